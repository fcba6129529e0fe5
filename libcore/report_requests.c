/*
 * report requests: the booking requests still waiting for an answer, with
 * their deadline (seed 002 §5 step 3: a reply within 24 hours), those past
 * it first.  A deadline is an instant, so the list is by deadline, and the
 * overdue ones, whose deadlines have passed, lead it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "report_defs.h"
#include "request.h"
#include "when.h"

static const struct output_column request_columns[] = {
	{ "id", COL_INT, FIT_WHOLE },
	{ "reply_by", COL_TEXT, FIT_WHOLE },
	{ "overdue", COL_BOOL, FIT_WHOLE },
	{ "client", COL_TEXT, FIT_SHRINK },
	{ "phone", COL_TEXT, FIT_WHOLE },
	{ "service", COL_TEXT, FIT_WHOLE },
	{ "provider", COL_TEXT, FIT_WHOLE },
	{ "wish", COL_TEXT, FIT_SHRINK },
	{ "via", COL_TEXT, FIT_WHOLE },
	{ "taken_by", COL_TEXT, FIT_WHOLE },
};

#define NCOLS (sizeof(request_columns) / sizeof(request_columns[0]))

/*
 * --provider keeps the requests that named that provider; --client one
 * client's; a period, the deadlines inside it.
 */
static struct stmt *prepare_requests(struct appt_db *db, const struct report_args *a,
				     time_t now)
{
	struct stmt *st = db_prepare(db,
		"SELECT r.id, r.reply_by, CASE WHEN r.reply_by <= ?5 THEN 1 ELSE 0 END,"
		" c.name, c.phone, r.service, r.provider, r.prefer, r.days, r.times, r.via,"
		" r.taken_by FROM requests r JOIN clients c ON c.id = r.client_id"
		" WHERE r.status = 'open'"
		" AND (?1 IS NULL OR r.provider = ?1) AND (?2 = 0 OR r.client_id = ?2)"
		" AND (?3 = 0 OR r.reply_by >= ?3) AND (?4 = 0 OR r.reply_by < ?4)"
		" ORDER BY r.reply_by, r.id");

	db_bind_text(st, 1, a->provider);
	stmt_bind_int64(st, 2, a->client_id);
	stmt_bind_int64(st, 3, a->period_given ? a->from : 0);
	stmt_bind_int64(st, 4, a->period_given ? a->to : 0);
	stmt_bind_int64(st, 5, now);
	return st;
}

static void request_row(struct output *o, const struct report_args *a, struct stmt *st)
{
	struct strbuf wish = STRBUF_INIT;
	char id[24], by[40];
	time_t at = (time_t)stmt_column_int64(st, 1);

	snprintf(id, sizeof(id), "%lld", (long long)stmt_column_int64(st, 0));
	if (a->format == OUTPUT_TABLE)
		when_format_local(at, by, sizeof(by));
	else
		when_format_iso(at, by, sizeof(by));
	request_describe_wish(stmt_column_text(st, 7), stmt_column_text(st, 8),
			      stmt_column_text(st, 9), &wish);
	output_row(o, (const char *const[NCOLS]){
		id, by,
		stmt_column_int(st, 2) ? "1" : "0",
		stmt_column_text(st, 3),
		stmt_column_text(st, 4),
		stmt_column_text(st, 5),
		stmt_column_text(st, 6),
		wish.len ? wish.buf : NULL,
		stmt_column_text(st, 10),
		stmt_column_text(st, 11),
	});
	strbuf_release(&wish);
}

REPORT_FN(report_requests)
{
	struct stmt *st = prepare_requests(s->db, a, s->now);
	struct output *o = report_begin(a, request_columns, NCOLS);
	enum appt_status status;
	int rc;

	while ((rc = stmt_step(st)) == STORE_ROW)
		request_row(o, a, st);
	stmt_finalize(st);
	status = report_end(o, err);
	if (rc != STORE_DONE)
		return db_error(s->db, rc, "reading the requests", err);
	return status;
}
