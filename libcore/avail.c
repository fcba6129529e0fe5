#include "avail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"
#include "db.h"

/*
 * How long before an instant an appointment reaching it can have started:
 * the longest service with its buffers, or the longest busy span stored if
 * that is longer (an import may give any end; a service may have been
 * shortened since).  Bounding the start from below lets an index answer
 * with a short range scan instead of the whole past; the appointments_span
 * index makes the stored maximum one lookup.
 */
static enum appt_status calendar_reach(struct appt_session *s, long *reach,
				       struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(s->db,
		"SELECT max(busy_to - busy_from) FROM appointments");
	long long stored = 0;
	enum appt_status status = db_query_int(s->db, st, &stored, "reading the calendar", err);

	*reach = 0;
	for (size_t i = 0; i < s->cfg->nr_services; i++) {
		const struct cfg_service *svc = &s->cfg->services[i];
		long span = svc->buffer_before + svc->duration + svc->buffer_after;

		if (span > *reach)
			*reach = span;
	}
	if (stored > *reach)
		*reach = (long)stored;
	return status;
}

int avail_rule_forceable(enum avail_rule rule)
{
	return rule == RULE_CLOSED || rule == RULE_TIME_OFF ||
	       rule == RULE_OUTSIDE_HOURS;
}

static void busy_list_clear(struct busy_list *list)
{
	for (size_t i = 0; i < list->nr; i++) {
		free(list->items[i].service);
		free(list->items[i].resource);
	}
	free(list->items);
	memset(list, 0, sizeof(*list));
}

/* Occupying states: a cancelled or missed appointment frees its time. */
#define OCCUPYING "status NOT IN ('cancelled', 'no-show')"

static const char busy_by_provider[] =
	"SELECT id, start_at, busy_from, busy_to, service, resource"
	" FROM appointments WHERE provider = ? AND busy_from < ? AND busy_from > ?"
	" AND busy_to > ? AND id <> ? AND " OCCUPYING " ORDER BY busy_from";
static const char busy_by_resource[] =
	"SELECT id, start_at, busy_from, busy_to, service, resource"
	" FROM appointments WHERE resource = ? AND busy_from < ? AND busy_from > ?"
	" AND busy_to > ? AND id <> ? AND " OCCUPYING " ORDER BY busy_from";

/*
 * Comparisons, not NOT IN: SQLite evaluates a list of more than two
 * constants by building a temporary b-tree on every run of the statement,
 * and an import runs this one for every later appointment.
 */
static const char client_busy_sql[] =
	"SELECT id FROM appointments WHERE client_id = ?1 AND id <> ?2"
	" AND start_at < ?3 AND start_at > ?5 AND end_at > ?4"
	" AND status <> 'cancelled' AND status <> 'no-show' AND status <> 'done'"
	" LIMIT 1";

enum appt_status avail_client_busy(struct appt_session *s, long long client_id,
				   time_t from, time_t to, long long exclude_id,
				   long long *other, struct appt_err *err)
{
	struct stmt *st;
	long reach;
	enum appt_status status = calendar_reach(s, &reach, err);

	*other = 0;
	if (status)
		return status;
	st = db_prepare_cached(s->db, client_busy_sql);
	stmt_bind_int64(st, 1, client_id);
	stmt_bind_int64(st, 2, exclude_id);
	stmt_bind_int64(st, 3, to);
	stmt_bind_int64(st, 4, from);
	stmt_bind_int64(st, 5, from - reach - 1);
	return db_query_int(s->db, st, other, "checking the client's calendar", err);
}

static void read_busy(struct stmt *st, struct busy_list *out)
{
	struct busy *b;

	ALLOC_GROW(out->items, out->nr + 1, out->alloc);
	b = &out->items[out->nr++];
	b->id = stmt_column_int64(st, 0);
	b->start = (time_t)stmt_column_int64(st, 1);
	b->from = (time_t)stmt_column_int64(st, 2);
	b->to = (time_t)stmt_column_int64(st, 3);
	b->service = db_column_strdup(st, 4);
	b->resource = db_column_strdup(st, 5);
}

/*
 * A day's calendar read: day.from - reach is where a busy span reaching
 * into the day can start at the earliest (calendar_reach, looked up once
 * by the caller for all its reads).
 */
static enum appt_status load_busy(struct appt_session *s, const char *sql,
				  const char *value, struct span day, long reach,
				  long long exclude_id, struct busy_list *out,
				  struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(s->db, sql);
	int rc;

	db_bind_text(st, 1, value);
	stmt_bind_int64(st, 2, day.to);
	stmt_bind_int64(st, 3, day.from - reach - 1);
	stmt_bind_int64(st, 4, day.from);
	stmt_bind_int64(st, 5, exclude_id);
	while ((rc = stmt_step(st)) == STORE_ROW)
		read_busy(st, out);
	stmt_reset(st);
	if (rc != STORE_DONE)
		return db_error(s->db, rc, "reading the calendar", err);
	return APPT_OK;
}

static void spans_push(struct span **v, size_t *nr, time_t from, time_t to)
{
	if (to <= from)
		return;
	*v = xreallocarray(*v, *nr + 1, sizeof(**v));
	(*v)[(*nr)++] = (struct span){ from, to };
}

/* The provider's hours on the plan's date as instants. */
static enum appt_status load_hours(struct appt_session *s, struct day_plan *plan,
				   struct appt_err *err)
{
	const struct cfg_day_hours *day;

	/* A closure day keeps its hours: a forced booking still needs them. */
	plan->closure = config_closure_on(s->cfg, plan->date);
	day = config_provider_day(s->cfg, plan->provider, date_wday(plan->date));
	for (size_t i = 0; i < day->nr; i++) {
		time_t from, to;
		enum appt_status status;

		status = when_local_to_utc(plan->date, day->intervals[i].from, &from, err);
		if (!status)
			status = when_local_to_utc(plan->date, day->intervals[i].to, &to, err);
		if (status) /* hours inside a DST gap: skip that span rather than fail */
			continue;
		spans_push(&plan->hours, &plan->nr_hours, from, to);
	}
	return APPT_OK;
}

/* Cuts one block out of every open span, and remembers it for refusals. */
static void subtract_block(const struct block *b, void *data)
{
	struct day_plan *plan = data;
	struct span *next = NULL;
	size_t nr = 0;

	for (size_t i = 0; i < plan->nr_open; i++) {
		struct span sp = plan->open[i];

		if (b->to <= sp.from || b->from >= sp.to) {
			spans_push(&next, &nr, sp.from, sp.to);
			continue;
		}
		spans_push(&next, &nr, sp.from, b->from);
		spans_push(&next, &nr, b->to, sp.to);
	}
	free(plan->open);
	plan->open = next;
	plan->nr_open = nr;
	plan->blocks = xreallocarray(plan->blocks, plan->nr_blocks + 1, sizeof(*plan->blocks));
	plan->blocks[plan->nr_blocks++] = (struct plan_block){
		b->from, b->to, xstrdup_or_null(b->reason) };
}

static enum appt_status load_open(struct appt_session *s, struct day_plan *plan,
				  struct span day, struct appt_err *err)
{
	if (plan->closure)
		return APPT_OK;
	for (size_t i = 0; i < plan->nr_hours; i++)
		spans_push(&plan->open, &plan->nr_open, plan->hours[i].from,
			   plan->hours[i].to);
	return block_each(s->db, plan->provider->id, day.from, day.to,
			  subtract_block, plan, err);
}

static struct span day_bounds(struct appt_date date)
{
	return (struct span){ when_day_start(date), when_day_start(date_add_days(date, 1)) };
}

enum appt_status resource_day_load(struct appt_session *s,
				   const struct cfg_service *svc,
				   struct appt_date date, long long exclude_id,
				   struct resource_day *rd, struct appt_err *err)
{
	struct span day = day_bounds(date);
	long reach;
	enum appt_status status;

	memset(rd, 0, sizeof(*rd));
	if (!svc->needs)
		return APPT_OK;
	if ((status = calendar_reach(s, &reach, err)))
		return status;
	rd->resources = xcalloc(s->cfg->nr_resources, sizeof(*rd->resources));
	rd->busy = xcalloc(s->cfg->nr_resources, sizeof(*rd->busy));
	for (size_t i = 0; i < s->cfg->nr_resources && !status; i++) {
		const struct cfg_resource *r = &s->cfg->resources[i];

		if (strcmp(r->kind, svc->needs))
			continue;
		rd->resources[rd->nr] = r;
		status = load_busy(s, busy_by_resource, r->id, day, reach, exclude_id,
				   &rd->busy[rd->nr], err);
		rd->nr++;
	}
	return status;
}

void resource_day_release(struct resource_day *rd)
{
	for (size_t i = 0; i < rd->nr; i++)
		busy_list_clear(&rd->busy[i]);
	free(rd->busy);
	free(rd->resources);
	memset(rd, 0, sizeof(*rd));
}

enum appt_status day_plan_load_hours(struct appt_session *s, struct day_plan *plan,
				     const struct cfg_provider *p, struct appt_date date,
				     struct appt_err *err)
{
	enum appt_status status;

	memset(plan, 0, sizeof(*plan));
	plan->provider = p;
	plan->date = date;
	status = load_hours(s, plan, err);
	if (!status)
		status = load_open(s, plan, day_bounds(date), err);
	return status;
}

enum appt_status day_plan_load(struct appt_session *s, struct day_plan *plan,
			       const struct cfg_provider *p,
			       const struct cfg_service *svc,
			       struct appt_date date, long long exclude_id,
			       const struct resource_day *rd,
			       struct appt_err *err)
{
	enum appt_status status = day_plan_load_hours(s, plan, p, date, err);
	long reach = 0;

	plan->service = svc;
	plan->rooms = svc->needs ? rd : NULL;
	if (!status)
		status = calendar_reach(s, &reach, err);
	if (!status)
		status = load_busy(s, busy_by_provider, p->id, day_bounds(date), reach,
				   exclude_id, &plan->busy, err);
	return status;
}

void day_plan_release(struct day_plan *plan)
{
	free(plan->hours);
	free(plan->open);
	for (size_t i = 0; i < plan->nr_blocks; i++)
		free(plan->blocks[i].reason);
	free(plan->blocks);
	busy_list_clear(&plan->busy);
	memset(plan, 0, sizeof(*plan));
}

static int inside_spans(const struct span *v, size_t nr, time_t from, time_t to)
{
	for (size_t i = 0; i < nr; i++)
		if (from >= v[i].from && to <= v[i].to)
			return 1;
	return 0;
}

static enum avail_rule hours_rule(const struct day_plan *plan, time_t start,
				  time_t end, enum avail_override override)
{
	if (override == AVAIL_OVERRIDE_ALL)
		return RULE_FITS;
	if (plan->closure && override == AVAIL_STRICT)
		return RULE_CLOSED;
	if (!inside_spans(plan->hours, plan->nr_hours, start, end))
		return RULE_OUTSIDE_HOURS;
	if (!inside_spans(plan->open, plan->nr_open, start, end) && override == AVAIL_STRICT)
		return RULE_TIME_OFF;
	return RULE_FITS;
}

/* A session of a group service the new booking can join. */
static int same_group(const struct busy *b, const struct cfg_service *svc,
		      time_t start)
{
	return svc->capacity > 1 && b->start == start && !strcmp(b->service, svc->id);
}

/*
 * Checks the provider's calendar.  Overlaps with the same group session are
 * counted instead of refused; the group's resource is reported so the new
 * member joins the same room.
 */
static void check_provider(const struct day_plan *plan, time_t start,
			   struct span want, struct fit *fit,
			   const char **group_resource)
{
	for (size_t i = 0; i < plan->busy.nr; i++) {
		const struct busy *b = &plan->busy.items[i];

		if (b->from >= want.to || b->to <= want.from)
			continue;
		if (same_group(b, plan->service, start)) {
			fit->group_size++;
			*group_resource = b->resource;
			continue;
		}
		fit->rule = RULE_PROVIDER_BUSY;
		fit->conflict_id = b->id;
		return;
	}
	if (fit->group_size >= plan->service->capacity) {
		fit->rule = RULE_GROUP_FULL;
		fit->conflict_id = plan->busy.items[0].id;
	}
}

static long long resource_conflict(const struct busy_list *list, struct span want,
				   const struct cfg_service *svc, time_t start)
{
	for (size_t i = 0; i < list->nr; i++) {
		const struct busy *b = &list->items[i];

		if (b->from < want.to && b->to > want.from && !same_group(b, svc, start))
			return b->id;
	}
	return 0;
}

static void choose_resource(const struct day_plan *plan, time_t start,
			    struct span want, const struct cfg_resource *wanted,
			    const char *group_resource, struct fit *fit)
{
	for (size_t i = 0; plan->rooms && i < plan->rooms->nr; i++) {
		const struct cfg_resource *r = plan->rooms->resources[i];
		long long conflict;

		if (wanted && r != wanted)
			continue;
		if (group_resource && strcmp(r->id, group_resource))
			continue;
		conflict = resource_conflict(&plan->rooms->busy[i], want,
					     plan->service, start);
		if (!conflict) {
			fit->resource = r;
			return;
		}
		fit->conflict_id = conflict;
	}
	fit->rule = RULE_NO_RESOURCE;
}

struct fit day_plan_fit(const struct day_plan *plan, time_t start,
			const struct cfg_resource *want_resource,
			enum avail_override override)
{
	return day_plan_fit_span(plan, start, start + plan->service->duration,
				 want_resource, override);
}

struct fit day_plan_fit_span(const struct day_plan *plan, time_t start, time_t end,
			     const struct cfg_resource *want_resource,
			     enum avail_override override)
{
	const struct cfg_service *svc = plan->service;
	struct fit fit = { .rule = RULE_FITS, .end = end };
	struct span want = { start - svc->buffer_before, end + svc->buffer_after };
	const char *group_resource = NULL;

	fit.rule = hours_rule(plan, start, end, override);
	if (fit.rule != RULE_FITS)
		return fit;
	check_provider(plan, start, want, &fit, &group_resource);
	if (fit.rule == RULE_FITS && svc->needs)
		choose_resource(plan, start, want, want_resource, group_resource, &fit);
	return fit;
}

static void append_hours(const struct day_plan *plan, struct strbuf *out)
{
	char a[16], b[16];

	if (!plan->nr_hours) {
		strbuf_addstr(out, "not working that day");
		return;
	}
	for (size_t i = 0; i < plan->nr_hours; i++) {
		when_format_clock(plan->hours[i].from, a, sizeof(a));
		when_format_clock(plan->hours[i].to, b, sizeof(b));
		strbuf_addf(out, "%s%s-%s", i ? ", " : "", a, b);
	}
}

/* The time off that overlaps [start, end), described for a refusal. */
static void describe_time_off(const struct day_plan *plan, time_t start,
			      time_t end, struct strbuf *out)
{
	char from[40], to[40];

	for (size_t i = 0; i < plan->nr_blocks; i++) {
		const struct plan_block *b = &plan->blocks[i];

		if (b->to <= start || b->from >= end)
			continue;
		when_format_local(b->from, from, sizeof(from));
		when_format_local(b->to, to, sizeof(to));
		strbuf_addf(out, " from %s to %s", from, to);
		if (b->reason)
			strbuf_addf(out, " (%s)", b->reason);
		return;
	}
}

void avail_explain_rule(const struct day_plan *plan, time_t start,
			const struct fit *fit, struct strbuf *out)
{
	const char *who = plan->provider->name;
	char date[16];

	date_format_iso(plan->date, date, sizeof(date));
	switch (fit->rule) {
	case RULE_FITS:
		break;
	case RULE_CLOSED:
		strbuf_addf(out, "closed on %s%s%s%s", date,
			    plan->closure->reason ? " (" : "",
			    plan->closure->reason ? plan->closure->reason : "",
			    plan->closure->reason ? ")" : "");
		break;
	case RULE_TIME_OFF:
		strbuf_addf(out, "%s has time off", who);
		describe_time_off(plan, start, fit->end, out);
		break;
	case RULE_OUTSIDE_HOURS:
		strbuf_addf(out, "outside %s's hours on %s (", who, date);
		append_hours(plan, out);
		strbuf_addch(out, ')');
		break;
	case RULE_PROVIDER_BUSY:
		strbuf_addf(out, "%s already has appointment #%lld at that time",
			    who, fit->conflict_id);
		break;
	case RULE_GROUP_FULL:
		strbuf_addf(out, "the %s session is full (%d of %d places)",
			    plan->service->name, fit->group_size, plan->service->capacity);
		break;
	case RULE_NO_RESOURCE:
		strbuf_addf(out, "no %s is free at that time (appointment #%lld has it)",
			    plan->service->needs, fit->conflict_id);
		break;
	}
}

void avail_slots_hint(const struct cfg_service *svc, struct strbuf *out)
{
	strbuf_addf(out, "'appt slots --service %s' lists free times", svc->id);
}

void avail_explain(const struct day_plan *plan, time_t start,
		   const struct fit *fit, struct strbuf *out)
{
	int taken = fit->rule >= RULE_PROVIDER_BUSY;

	if (taken)
		strbuf_addstr(out, "slot taken: ");
	avail_explain_rule(plan, start, fit, out);
	if (taken) {
		strbuf_addstr(out, "; ");
		avail_slots_hint(plan->service, out);
	}
}
