/*
 * web_priv: what the server's parts share — a request as the routes see it
 * and the response they fill.  web.c speaks HTTP (libmicrohttpd), the
 * routes (web_routes.c, web_appointment.c, web_hooks.c) apply libcore's
 * rules, web_pages.c writes the HTML.
 */
#ifndef APPT_WEB_PRIV_H
#define APPT_WEB_PRIV_H

#include <time.h>

#include "session.h"
#include "util.h"

/* Bounds on what a client may send (headers are bounded by web.c's memory limit). */
#define WEB_BODY_MAX (16 * 1024)
#define WEB_FIELD_MAX 1024

/* Decoded name=value pairs: a query string or a form body. */
struct web_params {
	struct strlist names;
	struct strlist values;
};

struct web_request {
	const char *method; /* GET, HEAD or POST (others are refused before routing) */
	const char *path;   /* without the query */
	struct web_params query;
	struct web_params form; /* a POST's application/x-www-form-urlencoded body */
	const char *addr;       /* the peer's address, for the log and the rate limit */
};

struct web_response {
	int status;
	const char *type;   /* Content-Type; NULL: text/html; charset=utf-8 */
	struct strbuf body;
	char *location;     /* a redirect's target (303) */
	const char *allow;  /* 405: the methods the path takes */
	int cache;          /* may be cached (the style sheet) */
	char *why;          /* a refusal's reason in the desk's words, for the log line */
};

/*
 * Parses "a=1&b=x+y%21" into p (appending).  -1 when a field is malformed
 * (bad %XX), longer than WEB_FIELD_MAX, or not valid UTF-8 or has control
 * characters other than a form's line breaks: nothing of it is kept.
 */
int web_params_parse(struct web_params *p, const char *text, size_t len);
/* The last value of name, or NULL. */
const char *web_param(const struct web_params *p, const char *name);
void web_params_clear(struct web_params *p);

/*
 * Whether req is the SMS gateway proving who it is: POST /hooks/sms with
 * serve.sms.key set and given (web_hooks.c).
 */
int web_is_sms_gateway(const struct appt_session *s, const struct web_request *req);

/* Fills res for the request; the session's clock is the request's. */
void web_route(struct appt_session *s, const struct web_request *req, struct web_response *res);

#endif
