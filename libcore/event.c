#include "event.h"

#include <stdlib.h>
#include <string.h>

/* Columns worth keeping in a snapshot, per entity. */
static const char *snapshot_sql(const char *entity)
{
	if (!strcmp(entity, "appointment"))
		return "SELECT json_object('client_id', client_id, 'service', service,"
		       " 'provider', provider, 'resource', resource, 'start', local_start,"
		       " 'start_at', start_at, 'end_at', end_at, 'zone', zone,"
		       " 'status', status, 'via', via, 'note', note,"
		       " 'confirmed_via', confirmed_via, 'reschedules', reschedules,"
		       " 'late_cancel', late_cancel, 'cancel_reason', cancel_reason,"
		       " 'cancelled_by', cancelled_by)"
		       " FROM appointments WHERE id = ?";
	if (!strcmp(entity, "client"))
		return "SELECT json_object('name', name, 'phone', phone, 'email', email,"
		       " 'channel', channel, 'program', program,"
		       " 'program_ended_at', program_ended_at, 'external_id', external_id,"
		       " 'blocked', blocked, 'blocked_reason', blocked_reason)"
		       " FROM clients WHERE id = ?";
	if (!strcmp(entity, "block"))
		return "SELECT json_object('provider', provider, 'from_at', from_at,"
		       " 'to_at', to_at, 'reason', reason) FROM blocks WHERE id = ?";
	if (!strcmp(entity, "charge"))
		return "SELECT json_object('appointment_id', appointment_id,"
		       " 'client_id', client_id, 'kind', kind, 'amount', amount)"
		       " FROM charges WHERE id = ?";
	return NULL;
}

char *event_snapshot(struct appt_db *db, const char *entity, long long id)
{
	const char *sql = snapshot_sql(entity);
	sqlite3_stmt *st;
	char *json = NULL;

	if (!sql)
		return NULL;
	st = db_prepare_cached(db, sql);
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		json = db_column_strdup(st, 0);
	sqlite3_reset(st);
	return json;
}

enum appt_status event_log(struct appt_db *db, const struct event *ev,
			   struct appt_err *err)
{
	/* Cached: an import writes one event a row. */
	sqlite3_stmt *st = db_prepare_cached(db,
		"INSERT INTO events (at, actor, entity, entity_id, action, before,"
		" after, reason, forced) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");

	sqlite3_bind_int64(st, 1, ev->at);
	db_bind_text(st, 2, ev->actor);
	db_bind_text(st, 3, ev->entity);
	sqlite3_bind_int64(st, 4, ev->entity_id);
	db_bind_text(st, 5, ev->action);
	db_bind_text(st, 6, ev->before);
	db_bind_text(st, 7, ev->after);
	db_bind_text(st, 8, ev->reason);
	sqlite3_bind_int(st, 9, ev->forced);
	return db_exec_stmt(db, st, "writing the audit log", err);
}

enum appt_status event_each(struct appt_db *db, const char *entity,
			    long long id,
			    void (*fn)(const struct event_row *row, void *data),
			    void *data, struct appt_err *err)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT id, at, actor, action, before, after, reason, forced"
		" FROM events WHERE entity = ? AND entity_id = ? ORDER BY id");
	int rc;

	db_bind_text(st, 1, entity);
	sqlite3_bind_int64(st, 2, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct event_row row = {
			.id = sqlite3_column_int64(st, 0),
			.at = (time_t)sqlite3_column_int64(st, 1),
			.actor = db_column_str(st, 2),
			.action = db_column_str(st, 3),
			.before = (const char *)sqlite3_column_text(st, 4),
			.after = (const char *)sqlite3_column_text(st, 5),
			.reason = (const char *)sqlite3_column_text(st, 6),
			.forced = sqlite3_column_int(st, 7),
		};
		fn(&row, data);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, rc, "reading the audit log", err);
	return APPT_OK;
}
