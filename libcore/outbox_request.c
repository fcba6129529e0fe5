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
