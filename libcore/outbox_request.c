/*
 * outbox_request: what a booking request (request.h) puts in the outbox —
 * its acknowledgement and its decline, both notices without an
 * appointment, and the call task of one left unanswered too long.  Each is
 * keyed by the request alone, so no run makes one twice.
 */
#include "outbox.h"

#include <stdio.h>
#include <stdlib.h>

#include "outbox_priv.h"

enum appt_status outbox_queue_request_notice(struct appt_session *s, const char *notice,
					     const struct request_ref *r, long long cause_event,
					     long long *id, struct appt_err *err)
{
	const struct cfg_notice *n = outbox_notice_config(s->cfg, notice);
	struct draft d;
	enum appt_status status;

	*id = 0;
	if (!n || !n->set)
		return APPT_OK;
	d = (struct draft){
		.kind = "notice", .name = notice, .client_id = r->client_id,
		.channel = n->channel, .template = n->template, .due_at = s->now,
		.cause_event = cause_event, .request_id = r->id, .service = r->service,
		.key = xasprintf("notice:%s:request:%lld", notice, r->id),
	};
	status = outbox_queue(s, &d, NULL, id, err);
	draft_release(&d);
	return status;
}

/* Why the desk calls, as the call list shows it. */
static char *call_note(const struct appt_session *s, const struct request_ref *r)
{
	const struct cfg_service *svc = config_service(s->cfg, r->service);
	char by[40];

	when_format_local(r->reply_by, by, sizeof(by));
	return xasprintf("request #%lld (%s) not answered by %s: call the client back",
			 r->id, svc ? svc->name : r->service, by);
}

enum appt_status outbox_queue_request_call(struct appt_session *s, const struct request_ref *r,
					   struct delivery_summary *sum, long long *id,
					   struct appt_err *err)
{
	struct draft d = {
		.kind = "request", .name = "reply", .client_id = r->client_id,
		.channel = "call", .due_at = r->reply_by, .request_id = r->id,
		.service = r->service, .note = call_note(s, r),
		.key = xasprintf("request:%lld", r->id),
	};
	enum appt_status status = outbox_queue(s, &d, sum, id, err);

	draft_release(&d);
	return status;
}

static void read_row(struct stmt *st, struct message_row *m)
{
	*m = (struct message_row){
		.id = stmt_column_int64(st, 0),
		.kind = db_column_str(st, 1),
		.name = db_column_str(st, 2),
		.client_id = stmt_column_int64(st, 3),
		.client_name = db_column_str(st, 4),
		.appointment_id = stmt_column_int64(st, 5),
		.channel = db_column_str(st, 6),
		.recipient = stmt_column_text(st, 7),
		.subject = stmt_column_text(st, 8),
		.body = stmt_column_text(st, 9),
		.status = db_column_str(st, 10),
		.assign = stmt_column_text(st, 11),
		.note = stmt_column_text(st, 12),
		.due_at = (time_t)stmt_column_int64(st, 13),
		.attempts = stmt_column_int(st, 14),
		.last_error = stmt_column_text(st, 15),
		.sent_at = (time_t)stmt_column_int64(st, 16),
		.created_at = (time_t)stmt_column_int64(st, 17),
	};
}

enum appt_status outbox_each_request_message(struct appt_db *db, long long id,
					     void (*fn)(const struct message_row *m, void *data),
					     void *data, struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"SELECT m.id, m.kind, m.name, m.client_id, c.name, m.appointment_id,"
		" m.channel, m.recipient, m.subject, m.body, m.status, m.assign, m.note,"
		" m.due_at, m.attempts, m.last_error, m.sent_at, m.created_at"
		" FROM messages m JOIN clients c ON c.id = m.client_id"
		" WHERE m.request_id = ?1 ORDER BY m.id");
	int rc;

	stmt_bind_int64(st, 1, id);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		struct message_row m;

		read_row(st, &m);
		fn(&m, data);
	}
	stmt_finalize(st);
	if (rc != STORE_DONE)
		return db_error(db, rc, "reading the request's messages", err);
	return APPT_OK;
}
