/*
 * What appt undo does to the outbox: the messages a mistaken change queued
 * are voided unless they have gone out (then the desk is told, since a text
 * cannot be unsent), and what the change voided comes back where it still
 * makes sense.  Every row keeps its history: a void names the undo's event.
 */
#include "outbox.h"

#include <string.h>

/* Statuses of a message that has left, or may have left, appt's hands. */
#define GONE "(status = 'sent' OR status = 'closed' OR status = 'sending' OR status = 'uncertain')"
#define REF_COLUMNS "id, kind, name, channel, status"

/*
 * The two statements for one kind of scope: ?1..?5 and ?9 as message_scope,
 * ?6..?8 the void.
 */
#define SCOPED(where)                                                              \
	{ "SELECT " REF_COLUMNS " FROM messages WHERE " where " AND " GONE          \
	  " ORDER BY id",                                                           \
	  "UPDATE messages SET status = 'void', void_event = ?6, note = ?7,"       \
	  " updated_at = ?8 WHERE " where " AND (status = 'pending' OR status = 'open')" \
	  " RETURNING " REF_COLUMNS }

/* Indexed by scope_kind; each WHERE can use an index (cause, key, appointment). */
static const struct {
	const char *gone;
	const char *take;
} scoped_sql[] = {
	SCOPED("cause_event = ?1"),
	/* every key that starts with the prefix sorts between it and it + U+10FFFF */
	SCOPED("key >= ?2 AND key < ?9"),
	SCOPED("appointment_id = ?3 AND kind = ?4 AND created_at >= ?5"),
};

static size_t scope_kind(const struct message_scope *sc)
{
	return sc->cause_event ? 0 : sc->key_prefix ? 1 : 2;
}

static void bind_scope(struct stmt *st, const struct message_scope *sc)
{
	stmt_bind_int64(st, 1, sc->cause_event);
	db_bind_text(st, 2, sc->key_prefix);
	stmt_bind_int64(st, 3, sc->appointment_id);
	db_bind_text(st, 4, sc->kind);
	stmt_bind_int64(st, 5, sc->since);
	if (sc->key_prefix) {
		char *end = xasprintf("%s\xf4\x8f\xbf\xbf", sc->key_prefix);

		db_bind_text(st, 9, end);
		free(end);
	}
}

/* Steps st to its end, telling fn of each row; finalizes it. */
static enum appt_status each_ref(struct appt_session *s, struct stmt *st,
				 enum message_fate fate, message_fn *fn, void *data,
				 struct appt_err *err)
{
	int rc;

	while ((rc = stmt_step(st)) == STORE_ROW) {
		struct message_ref m = {
			.id = stmt_column_int64(st, 0),
			.kind = db_column_str(st, 1),
			.name = db_column_str(st, 2),
			.channel = db_column_str(st, 3),
			.status = message_status_of(db_column_str(st, 4)),
		};
		fn(fate, &m, data);
	}
	stmt_finalize(st);
	if (rc != STORE_DONE)
		return db_error(s->db, rc, "taking messages back", err);
	return APPT_OK;
}

enum appt_status outbox_take_back(struct appt_session *s, const struct message_scope *scope,
				  long long event, const char *why, message_fn *fn, void *data,
				  struct appt_err *err)
{
	size_t k = scope_kind(scope);
	struct stmt *st = db_prepare(s->db, scoped_sql[k].gone);
	enum appt_status status;

	bind_scope(st, scope);
	status = each_ref(s, st, MESSAGE_GONE, fn, data, err);
	if (status)
		return status;
	st = db_prepare(s->db, scoped_sql[k].take);
	bind_scope(st, scope);
	stmt_bind_int64(st, 6, event);
	db_bind_text(st, 7, why);
	stmt_bind_int64(st, 8, s->now);
	return each_ref(s, st, MESSAGE_VOIDED, fn, data, err);
}

/*
 * The note a void wrote goes: a call task without one says what it is for
 * by its name ("confirmation (deadline)" on the call list).  Follow-ups and
 * outreach are never voided by a status change, so never restored.
 */
enum appt_status outbox_restore_voided(struct appt_session *s, long long appointment_id,
				       long long voided_by, int deadline,
				       message_fn *fn, void *data, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"UPDATE messages SET status = CASE WHEN channel = 'call' THEN 'open'"
		" ELSE 'pending' END, void_event = NULL, note = NULL, updated_at = ?4"
		" WHERE appointment_id = ?1 AND void_event = ?2 AND status = 'void'"
		" AND (kind = 'reminder' OR kind = 'notice' OR (?3 <> 0 AND kind = 'deadline'))"
		" AND (not_after IS NULL OR not_after > ?4)"
		" RETURNING " REF_COLUMNS);

	stmt_bind_int64(st, 1, appointment_id);
	stmt_bind_int64(st, 2, voided_by);
	stmt_bind_int64(st, 3, deadline);
	stmt_bind_int64(st, 4, s->now);
	return each_ref(s, st, MESSAGE_RESTORED, fn, data, err);
}
