/*
 * What the business said to its clients and how the outbox is doing: the
 * communication log the seeds ask to keep (seed 001 §5, seed 002 §6) and
 * the delivery state of every message.
 */
#include "report_defs.h"
#include "report_sql.h"

/*
 * --provider keeps the rows about that provider's appointments; a message
 * or contact about no appointment has no provider and is left out then.
 */
#define ABOUT(t, at)                                                          \
	" JOIN clients c ON c.id = " t ".client_id"                          \
	" LEFT JOIN appointments a ON a.id = " t ".appointment_id"           \
	" WHERE" SQL_PERIOD(at) SQL_PROVIDER("a") SQL_CLIENT(t ".client_id")

/*
 * Messages are dated by when they were queued (the change that caused
 * them); a message has no person behind it, so its "by" is appt.  Seed 004
 * step 3's note for program outreach: the attempt, the date of the last
 * service (the visit the outreach counts from) and the form of contact
 * (channel and status or outcome; "inbound" for what the client started).
 */
#define LAST_SERVICE(t, at)                                                    	"(SELECT date(max(v.start_at), 'unixepoch', 'localtime') FROM appointments v" 	" WHERE v.client_id = " t ".client_id AND v.status = 'done' AND v.start_at <= " at ")"

static const char *const contacts_sql[] = {
	"SELECT at, client, type, channel, status, attempt, last_service, text, actor FROM ("
	" SELECT m.created_at AS at, m.id AS id, c.name AS client,"
	"  'message' AS type, m.channel AS channel, m.status AS status, m.attempt AS attempt,"
	"  CASE WHEN m.attempt IS NOT NULL THEN " LAST_SERVICE("m", "m.created_at")
	"  END AS last_service,"
	"  coalesce(m.subject, m.body, m.name) AS text, 'appt' AS actor"
	"  FROM messages m" ABOUT("m", "m.created_at")
	" UNION ALL"
	" SELECT k.at, k.id, c.name, CASE WHEN k.inbound <> 0 THEN 'inbound' ELSE 'contact' END,"
	"  k.via, k.outcome, k.attempt, k.last_visit, k.text, k.actor"
	"  FROM contacts k" ABOUT("k", "k.at")
	") log ORDER BY at, type, id",
	NULL,
};

static const struct report_column contacts_cols[] = {
	RC_TIME("at"), RC_LONG_TEXT("client"), RC_TEXT("type"), RC_TEXT("channel"),
	RC_TEXT("status"), RC_INT("attempt"), RC_TEXT("last_service"), RC_LONG_TEXT("text"),
	RC_TEXT("by"),
};

SQL_REPORT(report_contacts, contacts_cols, contacts_sql, QUERY_CLIENT_ALL_TIME)

/*
 * Statuses in the order a message lives through them.  The error sample is
 * the latest error of the group's undelivered messages, what to look at
 * first when deliveries fail: the last updated of them, which the status
 * index finds.
 */
#define MESSAGES_IN_PERIOD(t)                                                 \
	" FROM messages " t " LEFT JOIN appointments a"                      \
	" ON a.id = " t ".appointment_id WHERE" SQL_PERIOD(t ".created_at")   \
	SQL_PROVIDER("a") SQL_CLIENT(t ".client_id")

static const char *const messages_sql[] = {
	"SELECT g.kind, g.status, g.n, g.oldest,"
	" (SELECT x.last_error" MESSAGES_IN_PERIOD("x")
	"  AND x.kind = g.kind AND x.status = g.status"
	"  AND x.status IN ('pending', 'sending', 'failed', 'uncertain')"
	"  AND x.last_error IS NOT NULL ORDER BY x.updated_at DESC, x.id DESC LIMIT 1)"
	" FROM (SELECT m.kind, m.status, count(*) AS n, min(m.created_at) AS oldest"
	MESSAGES_IN_PERIOD("m") " GROUP BY m.kind, m.status) g"
	" ORDER BY g.kind,"
	"  instr('pending sending sent failed uncertain void open closed', g.status)",
	NULL,
};

static const struct report_column messages_cols[] = {
	RC_TEXT("kind"), RC_TEXT("status"), RC_INT("count"),
	RC_TIME("oldest"), RC_LONG_TEXT("last_error"),
};

SQL_REPORT(report_messages, messages_cols, messages_sql, 0)
