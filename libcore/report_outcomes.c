/*
 * How appointments ended and what the policies charged: no-show rates
 * (seed 000 §5.6, seed 001 §6), cancellations and the fees of
 * policies.cancel and policies.noshow.
 */
#include "report_defs.h"
#include "report_sql.h"

/*
 * Rate = no-shows / (done + no-shows): only appointments that reached their
 * end count, so one still booked or cancelled neither helps nor hurts.
 */
#define RATE(noshows, done)                                                  \
	" CASE WHEN " done " + " noshows " > 0 THEN "                        \
	SQL_DECIMAL1("100 * " noshows, done " + " noshows) " END"
#define NOSHOW_COUNTS                                                        \
	" coalesce(sum(a.status = 'done'), 0) AS done,"                        \
	" coalesce(sum(a.status = 'no-show'), 0) AS noshows,"                  \
	RATE("sum(a.status = 'no-show')", "sum(a.status = 'done')")
#define NOSHOW_FROM                                                          \
	" FROM appointments a WHERE" SQL_PERIOD("a.start_at")                \
	" AND a.status IN ('done', 'no-show')" SQL_FILTERS

/*
 * The overall row and the provider rows come from one pass over the
 * period.  The client section lists clients with a no-show in the period; it joins
 * the clients after grouping, so only those rows pay for the lookup.  Their
 * flag is the booking rule's own count: no-shows started within
 * policies.noshow.window before now, whatever the period, so the report
 * says what `appt book` would say next.
 */
static const char *const noshows_sql[] = {
	"WITH p AS MATERIALIZED (SELECT a.provider AS name,"
	"  coalesce(sum(a.status = 'done'), 0) AS done,"
	"  coalesce(sum(a.status = 'no-show'), 0) AS noshows" NOSHOW_FROM
	"  GROUP BY a.provider)"
	" SELECT 'overall' AS scope, NULL, NULL AS name, coalesce(sum(done), 0),"
	"  coalesce(sum(noshows), 0)," RATE("sum(noshows)", "sum(done)") ", NULL, NULL FROM p"
	" UNION ALL SELECT 'provider', NULL, name, done, noshows,"
	   RATE("noshows", "done") ", NULL, NULL FROM p"
	" ORDER BY scope, name",

	"SELECT 'client', id, name, done, noshows, rate, recent,"
	"  CASE WHEN blocked <> 0 THEN 'blocked'"
	"   WHEN :block > 0 AND recent >= :block THEN 'block'"
	"   WHEN :warn > 0 AND recent >= :warn THEN 'warn' END"
	" FROM (SELECT c.id, c.name, c.blocked, t.done, t.noshows, t.rate,"
	"   (SELECT count(*) FROM appointments w WHERE w.client_id = c.id"
	"    AND w.status = 'no-show' AND w.start_at >= :since) AS recent"
	"  FROM (SELECT a.client_id," NOSHOW_COUNTS " AS rate" NOSHOW_FROM
	"   GROUP BY a.client_id) t"
	"  JOIN clients c ON c.id = t.client_id WHERE t.noshows > 0) counted"
	" ORDER BY noshows DESC, name, id",
	NULL,
};

static const struct report_column noshows_cols[] = {
	RC_TEXT("scope"), RC_INT("id"), RC_LONG_TEXT("name"), RC_INT("done"),
	RC_INT("noshows"), RC_DECIMAL("rate"), RC_INT("in_window"),
	RC_TEXT("flag"),
};

SQL_REPORT(report_noshows, noshows_cols, noshows_sql, 0)

/*
 * A cancellation is in the period when the visit was, or when it was
 * cancelled: the report answers both "which of this week's visits fell
 * through" and "what was cancelled today", next week's visits included.
 * Rows go by the visit's start; cancelled_at shows how much notice there
 * was.  The charge lookup goes through charges_client, the index charges
 * have.
 */
static const char *const cancellations_sql[] = {
	"SELECT a.id, a.start_at, coalesce(a.cancelled_at, a.updated_at),"
	"  c.name, a.service, a.provider, a.cancel_reason, a.cancelled_by,"
	"  a.late_cancel,"
	"  (SELECT sum(g.amount) FROM charges g WHERE g.client_id = a.client_id"
	"    AND g.appointment_id = a.id AND g.kind = 'late-cancel'"
	"    AND g.voided_at IS NULL)"
	SQL_APPOINTMENTS_WHERE " a.status = 'cancelled'"
	" AND ((" SQL_PERIOD("a.start_at") ") OR (" SQL_PERIOD("a.cancelled_at") "))"
	SQL_FILTERS
	" ORDER BY a.start_at, a.id",
	NULL,
};

static const struct report_column cancellations_cols[] = {
	RC_INT("id"), RC_TIME("start"), RC_TIME("cancelled_at"),
	RC_LONG_TEXT("client"), RC_TEXT("service"), RC_TEXT("provider"),
	RC_LONG_TEXT("reason"), RC_TEXT("cancelled_by"), RC_BOOL("late"),
	RC_MONEY("fee"),
};

SQL_REPORT(report_cancellations, cancellations_cols, cancellations_sql, 0)

/*
 * By when the charge was made: that is the day the money was owed.  Every
 * charge is listed, each with what became of it (account.h): open, paid,
 * waived, or void (appt undo took it back: it was never owed, and the
 * total leaves it out).  What paid it is the payments its allocations
 * name, each once however often it was spread onto the charge.
 */
#define FEES_FROM                                                            \
	" FROM charges g JOIN clients c ON c.id = g.client_id"               \
	" JOIN appointments a ON a.id = g.appointment_id"                    \
	" WHERE" SQL_PERIOD("g.at") SQL_PROVIDER("a") SQL_CLIENT("g.client_id")
#define FEE_PAID                                                             \
	"(SELECT coalesce(sum(l.amount), 0) FROM allocations l WHERE l.charge_id = g.id)"
#define FEE_STATUS                                                           \
	"CASE WHEN g.voided_at IS NOT NULL THEN 'void'"                        \
	" WHEN g.waived_at IS NOT NULL THEN 'waived'"                          \
	" WHEN " FEE_PAID " >= g.amount THEN 'paid' ELSE 'open' END"
#define FEE_PAID_BY                                                          \
	"(SELECT group_concat(payment, ', ') FROM"                             \
	" (SELECT '#' || p.id || ' ' || p.method AS payment FROM payments p"   \
	"  WHERE p.id IN (SELECT l.payment_id FROM allocations l"              \
	"   WHERE l.charge_id = g.id) ORDER BY p.id) paid_by)"
#define FEE_OWED "CASE WHEN g.voided_at IS NULL THEN g.amount ELSE 0 END"

/* amount = paid + waived + what is still open, row by row and in the total */
#define FEE_WAIVED "CASE WHEN g.voided_at IS NULL THEN coalesce(g.waived_amount, 0) ELSE 0 END"

static const char *const fees_sql[] = {
	"SELECT g.id, g.at, c.name, g.appointment_id, g.kind, g.amount, " FEE_STATUS ","
	" " FEE_PAID ", coalesce(g.waived_amount, 0), " FEE_PAID_BY ", g.actor, g.waived_by,"
	" g.waive_reason" FEES_FROM " ORDER BY g.at, g.id",
	"SELECT NULL, NULL, NULL, NULL, 'total', coalesce(sum(" FEE_OWED "), 0), NULL,"
	" coalesce(sum(" FEE_PAID "), 0), coalesce(sum(" FEE_WAIVED "), 0), NULL, NULL, NULL,"
	" NULL" FEES_FROM,
	NULL,
};

static const struct report_column fees_cols[] = {
	RC_INT("id"), RC_TIME("at"), RC_LONG_TEXT("client"), RC_INT("appointment"),
	RC_TEXT("kind"), RC_MONEY("amount"), RC_TEXT("status"), RC_MONEY("paid"),
	RC_MONEY("waived"), RC_LONG_TEXT("paid_by"),
	/* who charged it, and who waived it and why: for the audit */
	{ "actor", COL_TEXT, CELL_PLAIN, COLF_DATA_ONLY },
	{ "waived_by", COL_TEXT, CELL_PLAIN, COLF_DATA_ONLY },
	{ "waive_reason", COL_TEXT, CELL_PLAIN, COLF_DATA_ONLY },
};

SQL_REPORT(report_fees, fees_cols, fees_sql, 0)
