#include "event.h"

#include <stdlib.h>
#include <string.h>

/* Columns worth keeping in a snapshot, per entity. */
#define APPOINTMENT_JSON                                                   \
	"json_object('client_id', client_id, 'service', service,"           \
	" 'provider', provider, 'resource', resource, 'start', local_start," \
	" 'start_at', start_at, 'end_at', end_at, 'zone', zone,"             \
	" 'status', status, 'via', via, 'note', note,"                       \
	" 'confirmed_via', confirmed_via, 'reschedules', reschedules,"       \
	" 'late_cancel', late_cancel, 'cancel_reason', cancel_reason,"       \
	" 'cancelled_by', cancelled_by)"
#define CLIENT_JSON                                                        \
	"json_object('name', name, 'phone', phone, 'email', email,"         \
	" 'channel', channel, 'program', program,"                           \
	" 'program_ended_at', program_ended_at, 'external_id', external_id," \
	" 'blocked', blocked, 'blocked_reason', blocked_reason, 'born', born," \
	" 'merged_into', merged_into)"
#define BLOCK_JSON \
	"json_object('provider', provider, 'from_at', from_at, 'to_at', to_at, 'reason', reason)"
#define CHARGE_JSON                                                  \
	"json_object('appointment_id', appointment_id,"               \
	" 'client_id', client_id, 'kind', kind, 'amount', amount)"

/* A message's snapshot is what a call task's life changes. */
#define MESSAGE_JSON                                                          \
	"json_object('status', status, 'assign', assign, 'note', note,"       \
	" 'closed_at', closed_at, 'closed_by', closed_by, 'tries', tries)"
#define CONTACT_JSON                                                           \
	"json_object('client_id', client_id, 'appointment_id', appointment_id," \
	" 'message_id', message_id, 'at', at, 'via', via, 'outcome', outcome,"  \
	" 'program', program, 'attempt', attempt, 'last_visit', last_visit,"    \
	" 'text', text, 'inbound', inbound)"

#define SNAPSHOT_SQL(json, table) "SELECT " json " FROM " table " WHERE id = ?"
/*
 * Logging the row as it now is reads it inside the INSERT: one statement,
 * and the snapshot never passes through C.
 */
#define LOG_CURRENT_SQL(json, table)                                           \
	"INSERT INTO events (at, actor, entity, entity_id, action, before,"   \
	" after, reason, forced, login, undoes)"                              \
	" SELECT ?1, ?2, ?3, ?4, ?5, ?6, " json ", ?7, ?8, ?9, nullif(?10, 0)" \
	" FROM " table " WHERE id = ?4"
#define SNAPSHOT(entity, json, table) \
	{ entity, SNAPSHOT_SQL(json, table), LOG_CURRENT_SQL(json, table) }

static const struct snapshot {
	const char *entity;
	const char *select;      /* binds ?1 the id */
	const char *log_current; /* binds as event_log_current says */
} snapshots[] = {
	SNAPSHOT("appointment", APPOINTMENT_JSON, "appointments"),
	SNAPSHOT("client", CLIENT_JSON, "clients"),
	SNAPSHOT("block", BLOCK_JSON, "blocks"),
	SNAPSHOT("charge", CHARGE_JSON, "charges"),
	SNAPSHOT("message", MESSAGE_JSON, "messages"),
	SNAPSHOT("contact", CONTACT_JSON, "contacts"),
};

static const struct snapshot *snapshot_of(const char *entity)
{
	for (size_t i = 0; i < sizeof(snapshots) / sizeof(snapshots[0]); i++)
		if (!strcmp(entity, snapshots[i].entity))
			return &snapshots[i];
	return NULL;
}

char *event_snapshot(struct appt_db *db, const char *entity, long long id)
{
	const struct snapshot *snap = snapshot_of(entity);
	sqlite3_stmt *st;
	char *json = NULL;

	if (!snap)
		return NULL;
	st = db_prepare_cached(db, snap->select);
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		json = db_column_strdup(st, 0);
	sqlite3_reset(st);
	return json;
}

/*
 * ?1 at, ?2 actor, ?3 entity, ?4 entity id, ?5 action, ?6 before, then
 * after (if any), reason, forced, the login of the connection (the actor
 * is whatever APPT_USER said, the login who really ran appt), and the
 * event an undo takes back.
 */
static void bind_event(struct appt_db *db, sqlite3_stmt *st, const struct event *ev,
		       int with_after)
{
	int i = 7;

	sqlite3_bind_int64(st, 1, ev->at);
	db_bind_text(st, 2, ev->actor);
	db_bind_text(st, 3, ev->entity);
	sqlite3_bind_int64(st, 4, ev->entity_id);
	db_bind_text(st, 5, ev->action);
	db_bind_text(st, 6, ev->before);
	if (with_after)
		db_bind_text(st, i++, ev->after);
	db_bind_text(st, i++, ev->reason);
	sqlite3_bind_int(st, i++, ev->forced);
	db_bind_text(st, i++, db->login);
	sqlite3_bind_int64(st, i, ev->undoes);
}

enum appt_status event_log(struct appt_db *db, const struct event *ev,
			   struct appt_err *err)
{
	/* Cached: an import writes one event a row. */
	sqlite3_stmt *st = db_prepare_cached(db,
		"INSERT INTO events (at, actor, entity, entity_id, action, before,"
		" after, reason, forced, login, undoes)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, nullif(?, 0))");

	bind_event(db, st, ev, 1);
	return db_exec_stmt(db, st, "writing the audit log", err);
}

enum appt_status event_log_current(struct appt_db *db, const struct event *ev,
				   struct appt_err *err)
{
	const struct snapshot *snap = snapshot_of(ev->entity);
	sqlite3_stmt *st;
	enum appt_status status;

	if (!snap)
		return event_log(db, ev, err);
	st = db_prepare_cached(db, snap->log_current);
	bind_event(db, st, ev, 0);
	status = db_exec_stmt(db, st, "writing the audit log", err);
	if (!status && sqlite3_changes(db->handle) != 1)
		status = appt_fail(err, APPT_IOERR, "%s #%lld vanished before its %s was logged",
				   ev->entity, ev->entity_id, ev->action);
	return status;
}

char *event_actor_shown(const char *actor, const char *login)
{
	if (!login || !strcmp(login, actor))
		return xstrdup(actor);
	return xasprintf("%s (login %s)", actor, login);
}

enum appt_status event_each(struct appt_db *db, const char *entity,
			    long long id,
			    void (*fn)(const struct event_row *row, void *data),
			    void *data, struct appt_err *err)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT id, at, actor, action, before, after, reason, forced, login, undoes"
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
			.login = (const char *)sqlite3_column_text(st, 8),
			.undoes = sqlite3_column_int64(st, 9),
		};
		fn(&row, data);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, rc, "reading the audit log", err);
	return APPT_OK;
}
