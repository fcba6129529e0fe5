/*
 * report calls: the staff's call list — every open call task, oldest due
 * first, with the calls already made on it (tries).
 */
#include <stdio.h>

#include "report_defs.h"
#include "when.h"

static const struct output_column call_columns[] = {
	{ "id", COL_INT, FIT_WHOLE },
	{ "due", COL_TEXT, FIT_WHOLE },
	{ "client", COL_TEXT, FIT_SHRINK },
	{ "phone", COL_TEXT, FIT_WHOLE },
	{ "reason", COL_TEXT, FIT_SHRINK },
	{ "tries", COL_INT, FIT_WHOLE },
	{ "assigned", COL_TEXT, FIT_WHOLE },
	{ "appointment", COL_INT, FIT_WHOLE },
};

#define NCOLS (sizeof(call_columns) / sizeof(call_columns[0]))

/*
 * A task without a note of its own says why it exists by its name, kind
 * and appointment ("two-days reminder of #5": a client whose channel is
 * call gets their reminders by phone).  An appointment's provider decides
 * --provider, so tasks about no appointment (program outreach) drop out of a
 * provider's list.
 */
static struct stmt *prepare_calls(struct appt_db *db, const struct report_args *a)
{
	struct stmt *st = db_prepare(db,
		"SELECT m.id, m.due_at, c.name, c.phone,"
		" coalesce(nullif(m.note, ''), CASE WHEN m.name = m.kind THEN m.kind"
		"   ELSE m.name || ' ' || m.kind END"
		"   || CASE WHEN m.appointment_id IS NOT NULL THEN ' of #' || m.appointment_id ELSE '' END),"
		" nullif(m.assign, ''), m.appointment_id, m.tries"
		" FROM messages m JOIN clients c ON c.id = m.client_id"
		" LEFT JOIN appointments ap ON ap.id = m.appointment_id"
		" WHERE m.channel = 'call' AND m.status = 'open'"
		" AND (?1 IS NULL OR ap.provider = ?1) AND (?2 = 0 OR m.client_id = ?2)"
		" AND (?3 = 0 OR m.due_at >= ?3) AND (?4 = 0 OR m.due_at < ?4)"
		" ORDER BY m.due_at, m.id");

	db_bind_text(st, 1, a->provider);
	stmt_bind_int64(st, 2, a->client_id);
	stmt_bind_int64(st, 3, a->period_given ? a->from : 0);
	stmt_bind_int64(st, 4, a->period_given ? a->to : 0);
	return st;
}

static void call_row(struct output *o, const struct report_args *a, struct stmt *st)
{
	char id[24], due[40], appointment[24], tries[16];
	time_t at = (time_t)stmt_column_int64(st, 1);

	snprintf(id, sizeof(id), "%lld", (long long)stmt_column_int64(st, 0));
	if (a->format == OUTPUT_TABLE)
		when_format_local(at, due, sizeof(due));
	else
		when_format_iso(at, due, sizeof(due));
	snprintf(appointment, sizeof(appointment), "%lld",
		 (long long)stmt_column_int64(st, 6));
	snprintf(tries, sizeof(tries), "%d", stmt_column_int(st, 7));
	output_row(o, (const char *const[NCOLS]){
		id, due,
		stmt_column_text(st, 2),
		stmt_column_text(st, 3),
		stmt_column_text(st, 4),
		tries,
		stmt_column_text(st, 5),
		stmt_column_is_null(st, 6) ? NULL : appointment,
	});
}

REPORT_FN(report_calls)
{
	struct stmt *st = prepare_calls(s->db, a);
	struct output *o = report_begin(a, call_columns, NCOLS);
	enum appt_status status;
	int rc;

	while ((rc = stmt_step(st)) == STORE_ROW)
		call_row(o, a, st);
	stmt_finalize(st);
	status = report_end(o, err);
	if (rc != STORE_DONE)
		return db_error(s->db, rc, "reading the call tasks", err);
	return status;
}
