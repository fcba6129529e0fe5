/*
 * utilization: booked minutes against open minutes, per provider and day.
 *
 * Open minutes come from the same day plans booking uses (hours less
 * closures less time off), so the report can never disagree with what the
 * desk could have booked.  Booked minutes are appointment durations, start
 * to end without buffers, of every appointment starting that day except the
 * cancelled: a no-show held its slot all the same.  A provider's time is
 * booked once however many clients share it: a group class (capacity > 1)
 * booked by five clients is an hour of the provider's, not five.
 */
#include "report_defs.h"
#include "report_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avail.h"
#include "db.h"

struct util_cell {
	long long open;   /* seconds */
	long long booked; /* seconds */
};

struct util_grid {
	const struct cfg_provider **providers;
	size_t nr_providers;
	struct appt_date first;
	size_t nr_days;
	struct util_cell *cells; /* provider-major: [p * nr_days + d] */
};

static void grid_init(struct util_grid *g, const struct appt_config *cfg,
		      const struct report_args *a)
{
	struct appt_date last;

	memset(g, 0, sizeof(*g));
	g->providers = xcalloc(cfg->nr_providers, sizeof(*g->providers));
	for (size_t i = 0; i < cfg->nr_providers; i++)
		if (!a->provider || !strcmp(a->provider, cfg->providers[i].id))
			g->providers[g->nr_providers++] = &cfg->providers[i];
	when_to_local(a->from, &g->first, NULL, NULL);
	when_to_local(a->to - 1, &last, NULL, NULL);
	g->nr_days = (size_t)date_diff_days(last, g->first) + 1;
	g->cells = xcalloc(g->nr_providers * g->nr_days, sizeof(*g->cells));
}

static void grid_release(struct util_grid *g)
{
	free(g->providers);
	free(g->cells);
}

static struct util_cell *grid_cell(struct util_grid *g, const char *provider, size_t day)
{
	for (size_t p = 0; p < g->nr_providers; p++)
		if (!strcmp(g->providers[p]->id, provider))
			return &g->cells[p * g->nr_days + day];
	return NULL; /* a provider no longer in the configuration */
}

/*
 * One aggregate per day over the start index: a day's rows, summed by SQL.
 * The clients of one group session are one span of the provider's time:
 * no double booking lets anything else share a provider's start and end.
 */
static enum appt_status load_booked(struct appt_session *s, struct util_grid *g,
				    const struct report_args *a, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"SELECT provider, sum(end_at - start_at) FROM"
		" (SELECT DISTINCT provider, start_at, end_at FROM appointments"
		"  WHERE start_at >= ? AND start_at < ? AND status <> 'cancelled'"
		"  AND (?3 IS NULL OR provider = ?3) AND (?4 = 0 OR client_id = ?4)) sessions"
		" GROUP BY provider");
	int rc = STORE_DONE;

	db_bind_text(st, 3, a->provider);
	stmt_bind_int64(st, 4, a->client_id);
	for (size_t d = 0; d < g->nr_days && rc == STORE_DONE; d++) {
		struct appt_date date = date_add_days(g->first, (int)d);

		stmt_reset(st);
		stmt_bind_int64(st, 1, when_day_start(date));
		stmt_bind_int64(st, 2, when_day_start(date_add_days(date, 1)));
		while ((rc = stmt_step(st)) == STORE_ROW) {
			struct util_cell *cell = grid_cell(g, db_column_str(st, 0), d);
			if (cell)
				cell->booked = stmt_column_int64(st, 1);
		}
	}
	stmt_finalize(st);
	if (rc != STORE_DONE)
		return db_error(s->db, rc, "reading the booked minutes", err);
	return APPT_OK;
}

static enum appt_status load_open(struct appt_session *s, struct util_grid *g,
				  struct appt_err *err)
{
	enum appt_status status = APPT_OK;

	for (size_t p = 0; p < g->nr_providers && !status; p++) {
		for (size_t d = 0; d < g->nr_days && !status; d++) {
			struct util_cell *cell = &g->cells[p * g->nr_days + d];
			struct day_plan plan;

			status = day_plan_load_hours(s, &plan, g->providers[p],
						     date_add_days(g->first, (int)d), err);
			for (size_t i = 0; i < plan.nr_open && !status; i++)
				cell->open += plan.open[i].to - plan.open[i].from;
			day_plan_release(&plan);
		}
	}
	return status;
}

static const struct output_column util_cols[] = {
	{ "scope", COL_TEXT, FIT_WHOLE }, { "date", COL_TEXT, FIT_WHOLE },
	{ "provider", COL_TEXT, FIT_WHOLE }, { "open_min", COL_INT, FIT_WHOLE },
	{ "booked_min", COL_INT, FIT_WHOLE }, { "percent", COL_RAW, FIT_WHOLE },
};

/* scope: "day", "provider" (the provider's whole period) or "total". */
static void util_row(struct output *o, const char *scope, const char *date,
		     const char *provider, struct util_cell c)
{
	char open[24], booked[24], percent[24];
	const char *cells[] = { scope, date, provider, open, booked,
				c.open ? percent : NULL };

	snprintf(open, sizeof(open), "%lld", c.open / 60);
	snprintf(booked, sizeof(booked), "%lld", c.booked / 60);
	if (c.open) {
		/* In tenths, rounded half up: the same arithmetic as SQL_DECIMAL1. */
		long long tenths = (c.booked * 2000 + c.open) / (2 * c.open);
		snprintf(percent, sizeof(percent), "%lld.%lld", tenths / 10, tenths % 10);
	}
	output_row(o, cells);
}

static void add_cell(struct util_cell *sum, struct util_cell c)
{
	sum->open += c.open;
	sum->booked += c.booked;
}

/* The provider's days (those with open or booked time), then its total. */
static struct util_cell write_provider(struct output *o, const struct util_grid *g,
				       size_t p)
{
	const char *id = g->providers[p]->id;
	struct util_cell sum = { 0, 0 };

	for (size_t d = 0; d < g->nr_days; d++) {
		struct util_cell c = g->cells[p * g->nr_days + d];
		char date[40];

		if (!c.open && !c.booked)
			continue;
		date_format_iso(date_add_days(g->first, (int)d), date, sizeof(date));
		util_row(o, "day", date, id, c);
		add_cell(&sum, c);
	}
	util_row(o, "provider", NULL, id, sum);
	return sum;
}

static enum appt_status write_grid(const struct util_grid *g,
				   const struct report_args *a, struct appt_err *err)
{
	struct output *o = report_begin(a, util_cols, sizeof(util_cols) / sizeof(util_cols[0]));
	struct util_cell total = { 0, 0 };

	for (size_t p = 0; p < g->nr_providers; p++)
		add_cell(&total, write_provider(o, g, p));
	util_row(o, "total", NULL, NULL, total);
	return report_end(o, err);
}

REPORT_FN(report_utilization)
{
	struct util_grid g;
	enum appt_status status = report_read_begin(s->db, err);

	if (status)
		return status;
	grid_init(&g, s->cfg, a);
	status = load_booked(s, &g, a, err);
	if (!status)
		status = load_open(s, &g, err);
	db_end_read(s->db);
	if (!status)
		status = write_grid(&g, a, err);
	grid_release(&g);
	return status;
}
