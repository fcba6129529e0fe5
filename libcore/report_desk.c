/*
 * The front desk's working lists: the day sheet (seed 000 §5.5) and the
 * appointments still waiting for the client's confirmation (seed 001 §4).
 */
#include "report_defs.h"
#include "report_sql.h"

/*
 * Cancelled appointments are left off the sheet: their time is free again.
 * The client's alerts (an allergy) and other notes (history) ride along so
 * the provider sees them without opening the record, the alerts in a
 * column of their own, before the notes that a narrow table shortens
 * first; each is ordered by when it was written, oldest first, like
 * `appt client show`.
 */
static const char *const day_sql[] = {
	"SELECT a.id, a.start_at, a.start_at, a.end_at, a.provider, c.name, c.phone,"
	"  a.service, a.resource, a.status, a.confirmed_at IS NOT NULL,"
	"  (SELECT group_concat(text, '; ') FROM"
	"    (SELECT n.text FROM client_notes n WHERE n.client_id = a.client_id"
	"     AND n.alert <> 0 ORDER BY n.at, n.id) alerts),"
	"  (SELECT group_concat(text, '; ') FROM"
	"    (SELECT n.text FROM client_notes n WHERE n.client_id = a.client_id"
	"     AND n.alert = 0 ORDER BY n.at, n.id) notes)"
	SQL_APPOINTMENTS_WHERE SQL_PERIOD("a.start_at")
	" AND a.status <> 'cancelled'" SQL_FILTERS
	" ORDER BY a.provider, a.start_at, a.id",
	NULL,
};

static const struct report_column day_cols[] = {
	RC_INT("id"), RC_TABLE_DATE("date"), RC_CLOCK("start"),
	RC_CLOCK("end"), RC_TEXT("provider"), RC_LONG_TEXT("client"),
	RC_TEXT("phone"), RC_TEXT("service"), RC_TEXT("room"),
	RC_TEXT("state"), RC_DATA_BOOL("confirmed"), RC_LONG_TEXT("alerts"), RC_LONG_TEXT("notes"),
};

SQL_REPORT(report_day, day_cols, day_sql, 0)

/*
 * Only the future counts: a past appointment still 'booked' is a matter for
 * `appt noshow`, not for a confirmation call.  past_deadline marks those the
 * confirmation deadline has passed for: the ones to phone now.
 */
static const char *const unconfirmed_sql[] = {
	"SELECT a.id, a.start_at, c.name, c.phone, a.service, a.provider,"
	"  " SQL_DECIMAL1("a.start_at - :now", "3600") ","
	"  :deadline > 0 AND a.start_at - :deadline <= :now"
	SQL_APPOINTMENTS_WHERE " a.start_at > max(:from - 1, :now)"
	" AND a.start_at < :to AND a.status = 'booked'" SQL_FILTERS
	" ORDER BY a.start_at, a.id",
	NULL,
};

static const struct report_column unconfirmed_cols[] = {
	RC_INT("id"), RC_TIME("start"), RC_LONG_TEXT("client"), RC_TEXT("phone"),
	RC_TEXT("service"), RC_TEXT("provider"), RC_DECIMAL("hours"),
	RC_BOOL("past_deadline"),
};

SQL_REPORT(report_unconfirmed, unconfirmed_cols, unconfirmed_sql, 0)
