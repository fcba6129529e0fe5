#include "event.h"

#include <stdlib.h>
#include <string.h>

/* Columns worth keeping in a snapshot, per entity: the key, and the column. */
struct field {
	const char *key, *column;
};
#define FIELD(name) { #name, #name }

static const struct field appointment_fields[] = {
	FIELD(client_id), FIELD(service), FIELD(provider), FIELD(resource),
	{ "start", "local_start" }, FIELD(start_at), FIELD(end_at), FIELD(zone),
	FIELD(status), FIELD(via), FIELD(note), FIELD(confirmed_via), FIELD(reschedules),
	FIELD(late_cancel), FIELD(cancel_reason), FIELD(cancelled_by), FIELD(hold_until),
	FIELD(series_id), { NULL, NULL },
};
static const struct field client_fields[] = {
	FIELD(name), FIELD(phone), FIELD(email), FIELD(channel), FIELD(program),
	FIELD(program_ended_at), FIELD(external_id), FIELD(blocked), FIELD(blocked_reason),
	FIELD(born), FIELD(merged_into), FIELD(texts_stopped_at), { NULL, NULL },
};
static const struct field block_fields[] = {
	FIELD(provider), FIELD(from_at), FIELD(to_at), FIELD(reason), { NULL, NULL },
};
static const struct field charge_fields[] = {
	FIELD(appointment_id), FIELD(client_id), FIELD(kind), FIELD(amount),
	FIELD(waived_amount), FIELD(waive_reason), { NULL, NULL },
};
/* A message's snapshot is what a call task's life changes. */
static const struct field message_fields[] = {
	FIELD(status), FIELD(assign), FIELD(note), FIELD(closed_at), FIELD(closed_by),
	FIELD(tries), { NULL, NULL },
};
static const struct field contact_fields[] = {
	FIELD(client_id), FIELD(appointment_id), FIELD(message_id), FIELD(at), FIELD(via),
	FIELD(outcome), FIELD(program), FIELD(attempt), FIELD(last_visit), FIELD(text),
	FIELD(inbound), { NULL, NULL },
};

static const struct field request_fields[] = {
	FIELD(client_id), FIELD(service), FIELD(provider), FIELD(prefer), FIELD(days),
	FIELD(times), FIELD(via), FIELD(note), FIELD(reply_by), FIELD(status),
	FIELD(appointment_id), FIELD(decline_reason), { NULL, NULL },
};
static const struct field waitlist_fields[] = {
	FIELD(client_id), FIELD(service), FIELD(provider), FIELD(from_day), FIELD(to_day),
	FIELD(days), FIELD(times), FIELD(note), FIELD(status), FIELD(appointment_id),
	FIELD(close_reason), { NULL, NULL },
};
static const struct field invoice_fields[] = {
	FIELD(number), FIELD(kind), FIELD(appointment_id), FIELD(client_id), FIELD(billed_to),
	FIELD(cancels),
	FIELD(currency), FIELD(subtotal), FIELD(discount), FIELD(tax), FIELD(total),
	FIELD(reason), { NULL, NULL },
};
static const struct field payment_fields[] = {
	FIELD(client_id), FIELD(amount), FIELD(method), FIELD(ref), FIELD(invoice_id),
	{ NULL, NULL },
};
static const struct field series_fields[] = {
	FIELD(client_id), FIELD(service), FIELD(every), { NULL, NULL },
};

static const struct snapshot {
	const char *entity;
	const char *table;
	const struct field *fields;
} snapshots[] = {
	{ "appointment", "appointments", appointment_fields },
	{ "client", "clients", client_fields },
	{ "block", "blocks", block_fields },
	{ "charge", "charges", charge_fields },
	{ "message", "messages", message_fields },
	{ "contact", "contacts", contact_fields },
	{ "request", "requests", request_fields },
	{ "waitlist", "waitlist", waitlist_fields },
	{ "series", "series", series_fields },
	{ "invoice", "invoices", invoice_fields },
	{ "payment", "payments", payment_fields },
};

#define NR_SNAPSHOTS (sizeof(snapshots) / sizeof(snapshots[0]))

/*
 * The row as one compact JSON object, keys in order, the same text on both
 * stores: SQLite's json_object, PostgreSQL's row_to_json of the fields.
 */
static void add_json(struct strbuf *sql, enum store_dialect dialect,
		     const struct field *f)
{
	const char *sep = "";

	strbuf_addstr(sql, dialect == DIALECT_PG ? "(SELECT row_to_json(j)::text FROM (SELECT "
						 : "json_object(");
	for (; f->key; f++, sep = ", ") {
		if (dialect == DIALECT_PG)
			strbuf_addf(sql, "%s%s AS \"%s\"", sep, f->column, f->key);
		else
			strbuf_addf(sql, "%s'%s', %s", sep, f->key, f->column);
	}
	strbuf_addstr(sql, dialect == DIALECT_PG ? ") j)" : ")");
}

/* The statements of one entity, made once per process and dialect. */
struct snapshot_sql {
	char *select;      /* binds ?1 the id */
	char *log_current; /* binds as event_log_current says */
};

static struct snapshot_sql made[NR_DIALECTS][NR_SNAPSHOTS];

static const struct snapshot_sql *sql_of(struct appt_db *db, const struct snapshot *snap)
{
	struct snapshot_sql *q = &made[db_dialect(db)][snap - snapshots];
	struct strbuf sql = STRBUF_INIT;

	if (q->select)
		return q;
	strbuf_addstr(&sql, "SELECT ");
	add_json(&sql, db_dialect(db), snap->fields);
	strbuf_addf(&sql, " FROM %s WHERE id = ?", snap->table);
	q->select = strbuf_detach(&sql);
	/*
	 * Logging the row as it now is reads it inside the INSERT: one
	 * statement, and the snapshot never passes through C.
	 */
	strbuf_addstr(&sql, "INSERT INTO events (at, actor, entity, entity_id, action, before,"
		      " after, reason, forced, login, undoes)"
		      " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ");
	add_json(&sql, db_dialect(db), snap->fields);
	strbuf_addf(&sql, ", ?7, ?8, ?9, nullif(?10, 0) FROM %s WHERE id = ?4 RETURNING id",
		    snap->table);
	q->log_current = strbuf_detach(&sql);
	return q;
}

static const struct snapshot *snapshot_of(const char *entity)
{
	for (size_t i = 0; i < NR_SNAPSHOTS; i++)
		if (!strcmp(entity, snapshots[i].entity))
			return &snapshots[i];
	return NULL;
}

char *event_snapshot(struct appt_db *db, const char *entity, long long id)
{
	const struct snapshot *snap = snapshot_of(entity);
	struct stmt *st;
	char *json = NULL;

	if (!snap)
		return NULL;
	st = db_prepare_cached(db, sql_of(db, snap)->select);
	stmt_bind_int64(st, 1, id);
	if (stmt_step(st) == STORE_ROW)
		json = db_column_strdup(st, 0);
	stmt_reset(st);
	return json;
}

/*
 * ?1 at, ?2 actor, ?3 entity, ?4 entity id, ?5 action, ?6 before, then
 * after (if any), reason, forced, the login of the connection (the actor
 * is whatever APPT_USER said, the login who really ran appt), and the
 * event an undo takes back.
 */
static void bind_event(struct appt_db *db, struct stmt *st, const struct event *ev,
		       int with_after)
{
	int i = 7;

	stmt_bind_int64(st, 1, ev->at);
	db_bind_text(st, 2, ev->actor);
	db_bind_text(st, 3, ev->entity);
	stmt_bind_int64(st, 4, ev->entity_id);
	db_bind_text(st, 5, ev->action);
	db_bind_text(st, 6, ev->before);
	if (with_after)
		db_bind_text(st, i++, ev->after);
	db_bind_text(st, i++, ev->reason);
	stmt_bind_int64(st, i++, ev->forced);
	db_bind_text(st, i++, db->login);
	stmt_bind_int64(st, i, ev->undoes);
}

static enum appt_status event_log_id(struct appt_db *db, const struct event *ev,
				     long long *id, struct appt_err *err)
{
	/* Cached: an import writes one event a row. */
	struct stmt *st = db_prepare_cached(db,
		"INSERT INTO events (at, actor, entity, entity_id, action, before,"
		" after, reason, forced, login, undoes)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, nullif(?, 0)) RETURNING id");

	bind_event(db, st, ev, 1);
	return db_insert_id(db, st, id, "writing the audit log", err);
}

enum appt_status event_log(struct appt_db *db, const struct event *ev,
			   struct appt_err *err)
{
	long long id;

	return event_log_id(db, ev, &id, err);
}

enum appt_status event_log_current_id(struct appt_db *db, const struct event *ev,
				      long long *id, struct appt_err *err)
{
	const struct snapshot *snap = snapshot_of(ev->entity);
	struct stmt *st;
	enum appt_status status;

	if (!snap)
		return event_log_id(db, ev, id, err);
	st = db_prepare_cached(db, sql_of(db, snap)->log_current);
	bind_event(db, st, ev, 0);
	status = db_insert_id(db, st, id, "writing the audit log", err);
	if (!status && !*id)
		status = appt_fail(err, APPT_IOERR, "%s #%lld vanished before its %s was logged",
				   ev->entity, ev->entity_id, ev->action);
	return status;
}

enum appt_status event_log_current(struct appt_db *db, const struct event *ev,
				   struct appt_err *err)
{
	long long id;

	return event_log_current_id(db, ev, &id, err);
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
	struct stmt *st = db_prepare(db,
		"SELECT id, at, actor, action, before, after, reason, forced, login, undoes"
		" FROM events WHERE entity = ? AND entity_id = ? ORDER BY id");
	int rc;

	db_bind_text(st, 1, entity);
	stmt_bind_int64(st, 2, id);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		struct event_row row = {
			.id = stmt_column_int64(st, 0),
			.at = (time_t)stmt_column_int64(st, 1),
			.actor = db_column_str(st, 2),
			.action = db_column_str(st, 3),
			.before = stmt_column_text(st, 4),
			.after = stmt_column_text(st, 5),
			.reason = stmt_column_text(st, 6),
			.forced = stmt_column_int(st, 7),
			.login = stmt_column_text(st, 8),
			.undoes = stmt_column_int64(st, 9),
		};
		fn(&row, data);
	}
	stmt_finalize(st);
	if (rc != STORE_DONE)
		return db_error(db, rc, "reading the audit log", err);
	return APPT_OK;
}
