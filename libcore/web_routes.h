/*
 * web_routes: what the route files share — the answers every route gives
 * (a page's status, a redirect, not found, trouble, a refusal in a
 * client's words) and the routes web_route dispatches to.
 */
#ifndef APPT_WEB_ROUTES_H
#define APPT_WEB_ROUTES_H

#include "slots.h"
#include "web_priv.h"

/* A route: rest is what follows a prefix route's path ("/a/", "/feed/"), else "". */
typedef void web_route_fn(struct appt_session *s, const struct web_request *req,
			  const char *rest, struct web_response *res);

/* An HTML answer with this status. */
void web_page_status(struct web_response *res, int status);
/* 303 to location (taken). */
void web_redirect(struct web_response *res, char *location);
/* 404: the page, whatever was asked (a wrong token says no more than a wrong path). */
void web_not_found(const struct appt_session *s, struct web_response *res);
/* 500 (503 for a busy database): nothing changed, try again; the cause goes to the log. */
void web_trouble(const struct appt_session *s, struct web_response *res,
		 enum appt_status status, const struct appt_err *err);
/* A refusal's message without the desk's hints (caller frees). */
char *web_reason(const char *msg);
/*
 * Begins a page with status titled title that says why and whom to call;
 * the caller adds to it and ends it.  msg is a libcore refusal (409: said
 * in the client's words) or the web's own words on bad input (422).
 */
void web_refused(const struct appt_session *s, struct web_response *res, int status,
		 const char *title, const char *msg);
/* Delivers a queued notice now, as the commands do after their commit; a failure goes to the log line. */
void web_send_notice(struct appt_session *s, struct web_response *res, long long message);
/* 405, naming the methods the path takes. */
void web_wrong_method(struct web_response *res, const char *allow);
/* Whether start is still one of the service's free times (provider's, when given), exclude: an appointment moving. */
int web_still_free(struct appt_session *s, const struct cfg_service *svc,
		   const char *provider, time_t start, long long exclude);

/* The query's from=YYYY-MM-DD: the first day to show (0: now); -1 when malformed. */
int web_read_from(const struct web_request *req, time_t *from);

/* Free slots for the next serve.days days from from (0: now), exclude: an appointment moving. */
enum appt_status web_find_slots(struct appt_session *s, const char *service,
				const char *provider, time_t from, long long exclude,
				struct slot **slots, size_t *nr, struct appt_err *err);

/* The short form: the chosen time, then name, phone and e-mail (p's values kept). */
void web_details_form(struct appt_session *s, const struct web_params *p,
		      const struct cfg_service *svc, time_t start, struct strbuf *sb);
/* POST /book. */
web_route_fn web_post_book;

/* /a/TOKEN[/confirm|/cancel|/reschedule]. */
web_route_fn web_appointment;
/* /feed/TOKEN.ics. */
web_route_fn web_feed;
/* POST /hooks/sms. */
web_route_fn web_sms_hook;

#endif
