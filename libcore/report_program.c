/*
 * report overdue: seed 004's "No Appointment Booked" report — every client
 * in a running program with no visit booked: when they were last seen, how
 * many attempts were made, and what the next step is and when.
 */
#include <stdio.h>
#include <stdlib.h>

#include "client.h"
#include "program.h"
#include "report_defs.h"

static const struct output_column overdue_columns[] = {
	{ "client_id", COL_INT, FIT_WHOLE },
	{ "client", COL_TEXT, FIT_SHRINK },
	{ "phone", COL_TEXT, FIT_WHOLE },
	{ "program", COL_TEXT, FIT_WHOLE },
	{ "last_visit", COL_TEXT, FIT_WHOLE },
	{ "days_since", COL_INT, FIT_WHOLE },
	{ "attempts", COL_INT, FIT_WHOLE },
	{ "last_attempt", COL_TEXT, FIT_WHOLE },
	{ "next_step", COL_TEXT, FIT_SHRINK },
	{ "next_date", COL_TEXT, FIT_WHOLE },
};

#define NCOLS (sizeof(overdue_columns) / sizeof(overdue_columns[0]))

struct overdue_row {
	long long client_id;
	struct program_status st;
};

struct overdue_rows {
	struct overdue_row *items;
	size_t nr, alloc;
	const struct report_args *args;
};

static void collect(long long client_id, const struct program_status *st, void *data)
{
	struct overdue_rows *rows = data;

	if (rows->args->client_id && rows->args->client_id != client_id)
		return;
	ALLOC_GROW(rows->items, rows->nr + 1, rows->alloc);
	rows->items[rows->nr++] = (struct overdue_row){ client_id, *st };
}

/* Most overdue first: they are the ones the program is about to lose. */
static int by_days_since(const void *a, const void *b)
{
	const struct overdue_row *x = a, *y = b;

	if (x->st.days_since != y->st.days_since)
		return y->st.days_since - x->st.days_since;
	return (x->client_id > y->client_id) - (x->client_id < y->client_id);
}

/* "day 12: sms", "day 19: call (jessi)", or what happens once the steps are done. */
static void describe_next(const struct program_status *st, char *step, size_t size,
			  char *date, size_t dsize)
{
	const struct cfg_outreach_step *next;

	if (st->next_step < 0) {
		snprintf(step, size, "%s", st->program->end_after ? "end of program" : "none");
		date[0] = '\0';
		return;
	}
	next = &st->program->steps[st->next_step];
	snprintf(step, size, "day %d: %s%s%s%s", next->day, next->channel,
		 next->assign ? " (" : "", next->assign ? next->assign : "",
		 next->assign ? ")" : "");
	date_format_iso(st->next_date, date, dsize);
}

static void print_row(struct appt_session *s, struct output *o, const struct overdue_row *r)
{
	struct client c;
	char id[24], days[16], attempts[16], last[16], last_attempt[40] = "", step[96], date[16];
	struct appt_date attempt_date;

	if (client_get(s->db, r->client_id, &c, NULL))
		return;
	snprintf(id, sizeof(id), "%lld", r->client_id);
	snprintf(days, sizeof(days), "%d", r->st.days_since);
	snprintf(attempts, sizeof(attempts), "%d", r->st.attempts);
	date_format_iso(r->st.last_visit_date, last, sizeof(last));
	if (r->st.last_attempt) {
		when_to_local(r->st.last_attempt, &attempt_date, NULL, NULL);
		date_format_iso(attempt_date, last_attempt, sizeof(last_attempt));
	}
	describe_next(&r->st, step, sizeof(step), date, sizeof(date));
	output_row(o, (const char *const[NCOLS]){
		id, c.name, c.phone, r->st.program->id, last, days, attempts,
		last_attempt[0] ? last_attempt : NULL, step, date[0] ? date : NULL });
	client_release(&c);
}

enum appt_status report_overdue(struct appt_session *s, const struct report_args *a,
				struct appt_err *err)
{
	struct overdue_rows rows = { NULL, 0, 0, a };
	struct output *o;
	enum appt_status status = program_each_overdue(s, collect, &rows, err);

	if (status) {
		free(rows.items);
		return status;
	}
	/* qsort's array may not be NULL, even when empty */
	if (rows.nr)
		qsort(rows.items, rows.nr, sizeof(*rows.items), by_days_since);
	o = report_begin(a, overdue_columns, NCOLS);
	for (size_t i = 0; i < rows.nr; i++)
		print_row(s, o, &rows.items[i]);
	free(rows.items);
	return report_end(o, err);
}
