/* outbox_task: call tasks, the outbox rows staff work through by telephone. */
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "outbox.h"
#include "outbox_priv.h"

void call_task_release(struct call_task *t)
{
	free(t->client_name);
	free(t->kind);
	free(t->channel);
	free(t->closed_by);
	memset(t, 0, sizeof(*t));
}

enum appt_status outbox_call_task(struct appt_db *db, long long id, struct call_task *t,
				  struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"SELECT m.client_id, m.appointment_id, c.name, m.kind, m.channel,"
		" m.status, m.closed_by, m.closed_at, m.created_at, m.attempt, m.tries"
		" FROM messages m JOIN clients c ON c.id = m.client_id WHERE m.id = ?");
	int rc;

	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == STORE_ROW) {
		t->id = id;
		t->client_id = stmt_column_int64(st, 0);
		t->appointment_id = stmt_column_int64(st, 1);
		t->client_name = db_column_strdup(st, 2);
		t->kind = db_column_strdup(st, 3);
		t->channel = db_column_strdup(st, 4);
		t->status = message_status_of(stmt_column_text(st, 5));
		t->closed_by = db_column_strdup(st, 6);
		t->closed_at = (time_t)stmt_column_int64(st, 7);
		t->created_at = (time_t)stmt_column_int64(st, 8);
		t->attempt = stmt_column_int(st, 9);
		t->tries = stmt_column_int(st, 10);
	}
	stmt_finalize(st);
	if (rc == STORE_DONE)
		return appt_fail(err, APPT_NOTFOUND, "no call task #%lld", id);
	if (rc != STORE_ROW)
		return db_error(db, rc, "reading the call task", err);
	return APPT_OK;
}

enum appt_status outbox_count_call(struct appt_session *s, long long id, const char *text,
				   int close, struct appt_err *err)
{
	char *before = event_snapshot(s->db, "message", id);
	struct stmt *st = db_prepare(s->db,
		"UPDATE messages SET tries = tries + 1, updated_at = ?1,"
		" status = CASE WHEN ?5 <> 0 THEN 'closed' ELSE status END,"
		" closed_at = CASE WHEN ?5 <> 0 THEN ?1 END, closed_by = CASE WHEN ?5 <> 0 THEN ?2 END,"
		" note = CASE WHEN ?5 <> 0 THEN ?3 ELSE note END WHERE id = ?4 AND status = 'open'");
	enum appt_status status;

	stmt_bind_int64(st, 1, s->now);
	db_bind_text(st, 2, s->actor);
	db_bind_text(st, 3, text);
	stmt_bind_int64(st, 4, id);
	stmt_bind_int64(st, 5, close);
	status = db_exec_stmt(s->db, st, "counting the call", err);
	if (!status)
		status = event_log_current(s->db, &(struct event){
			.at = s->now, .actor = s->actor, .entity = "message",
			.entity_id = id, .action = close ? "close" : "try", .before = before }, err);
	free(before);
	return status;
}

/*
 * Kind 'request': a client asked for something (a text: sms_inbound.h),
 * like a booking request; with no request_id, no rule finds it moot, so it
 * stays on the list until someone logs the call.  An appointment's task
 * goes with it when the appointment is moved or cancelled.
 */
enum appt_status outbox_queue_desk_call(struct appt_session *s, const struct desk_call *call,
					long long *id, struct appt_err *err)
{
	struct draft d = {
		.kind = "request", .name = call->name, .client_id = call->client_id,
		.appointment_id = call->appointment_id, .channel = "call", .due_at = s->now,
		.note = xstrdup(call->note), .key = xstrdup(call->key),
	};
	enum appt_status status = outbox_queue(s, &d, NULL, id, err);

	draft_release(&d);
	return status;
}
