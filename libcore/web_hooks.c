/*
 * web_hooks: POST /hooks/sms, where the SMS gateway hands over a client's
 * reply.  The gateway is not a browser: it is known by the shared secret
 * in its URL (serve.sms.key) when one is set, and its form fields are
 * named as it names them (serve.sms.from_field, body_field).  What the
 * text means is sms_inbound's; the gateway only hears 200, so that it
 * does not retry a text that was understood, or misunderstood, once.
 */
#include "web_routes.h"

#include <stdio.h>
#include <string.h>

#include "sms_inbound.h"

/* The key compared in time that does not depend on where they differ. */
static int key_matches(const char *given, const char *want)
{
	size_t n = strlen(want), m = given ? strlen(given) : 0;
	unsigned char diff = (unsigned char)(n != m);

	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(want[i] ^ (i < m ? given[i] : 0));
	return !diff;
}

int web_is_sms_gateway(const struct appt_session *s, const struct web_request *req)
{
	const char *key = s->cfg->serve.sms_key;

	return key && !strcmp(req->path, "/hooks/sms") &&
	       key_matches(web_param(&req->query, "key"), key);
}

static void plain(struct web_response *res, int status, const char *text)
{
	res->status = status;
	res->type = "text/plain; charset=utf-8";
	strbuf_addf(&res->body, "%s\n", text);
}

void web_sms_hook(struct appt_session *s, const struct web_request *req, const char *rest,
		  struct web_response *res)
{
	const struct cfg_serve *cfg = &s->cfg->serve;
	const char *from = web_param(&req->form, cfg->sms_from);
	const char *body = web_param(&req->form, cfg->sms_body);
	struct sms_outcome out = { 0 };
	struct appt_err err = { "" };
	enum appt_status status;
	char *actor = s->actor;

	if (cfg->sms_key && !key_matches(web_param(&req->query, "key"), cfg->sms_key))
		return plain(res, 403, "wrong key");
	if (!from || !body)
		return plain(res, 422, "expected the sender and the text of the message");
	s->actor = "sms";
	status = sms_inbound(s, from, body, &out, &err);
	s->actor = actor;
	if (status == APPT_TEMPFAIL || status == APPT_IOERR)
		return plain(res, 503, "try again later");
	res->why = xstrdup(status ? err.msg : out.line);
	if (!status)
		web_send_notice(s, res, out.message_id);
	/* an empty TwiML answer: gateways that read one send no reply, the rest ignore it */
	res->type = "text/xml; charset=utf-8";
	strbuf_addstr(&res->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>\n");
}
