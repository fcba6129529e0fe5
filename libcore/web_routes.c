/*
 * web_routes: which path does what, the answers every route shares, and
 * the pages before a booking — the booking page (service, then times, then
 * a short form), the times as JSON, and the page a request filed goes to.
 * POST /book is web_book.c, an appointment's own pages web_appointment.c,
 * the SMS hook web_hooks.c.
 */
#include "web_routes.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "outbox.h"
#include "web_pages.h"
#include "when.h"

/* The most slots one page or one JSON answer lists. */
#define WEB_SLOTS_MAX 400

/* ---- answers every route uses ---- */

void web_page_status(struct web_response *res, int status)
{
	res->status = status;
	res->type = NULL;
}

void web_redirect(struct web_response *res, char *location)
{
	res->status = 303;
	res->location = location;
	strbuf_reset(&res->body);
}

void web_not_found(const struct appt_session *s, struct web_response *res)
{
	web_page_status(res, 404);
	page_begin(&res->body, s->cfg, "Page not found");
	strbuf_addstr(&res->body, "<p>There is no such page. A link from one of our messages"
		      " may have been cut short: copy the whole link, or"
		      " <a href=\"/\">book an appointment</a>.</p>\n");
	page_call_us(&res->body, s->cfg);
	page_end(&res->body, s->cfg);
}

void web_trouble(const struct appt_session *s, struct web_response *res,
		 enum appt_status status, const struct appt_err *err)
{
	web_page_status(res, status == APPT_TEMPFAIL ? 503 : 500);
	page_begin(&res->body, s->cfg, "Something went wrong");
	strbuf_addstr(&res->body, "<p>We could not do that just now; nothing was changed."
		      " Please try again in a minute.</p>\n");
	page_call_us(&res->body, s->cfg);
	page_end(&res->body, s->cfg);
	free(res->why);
	res->why = xstrdup(err->msg);
}

/*
 * A refusal as a client reads it.  libcore's messages speak to the desk —
 * appointment and client numbers, policy keys, the --force that would
 * override — and may name another client's appointment, so the web says
 * each kind of refusal in its own words, known by a phrase of the desk's
 * message; what it does not know is "could not be done online", with the
 * phone number under it.  Order matters: a taken slot's message also says
 * "already has appointment".
 */
static const struct {
	const char *marker;
	const char *words;
} client_words[] = {
	{ "in the past", "that time has passed" },
	{ "booking notice", "that time is too soon to book online" },
	{ "booking horizon", "that time is too far ahead to book online" },
	{ "is blocked", "we cannot take this booking online" },
	{ "too late to reschedule", "it is too close to your appointment to change it online" },
	{ "already rescheduled", "this appointment has been moved as often as it can be online" },
	{ "slot taken", "that time has just been taken" },
	{ "no provider is free", "that time has just been taken" },
	{ "session is full", "that session is full" },
	{ "already has appointment", "you already have an appointment at that time" },
	{ "closed on", "we are closed that day" },
	{ "has time off", "that time is not available" },
	{ "outside", "that time is outside our opening hours" },
	{ "too late to cancel online", NULL }, /* the web's own words: kept */
	{ "cannot ", "this appointment can no longer be changed online" },
};

char *web_reason(const char *msg)
{
	for (size_t i = 0; i < sizeof(client_words) / sizeof(client_words[0]); i++)
		if (strstr(msg, client_words[i].marker))
			return xstrdup(client_words[i].words ? client_words[i].words : msg);
	return xstrdup("that could not be done online");
}

void web_refused(const struct appt_session *s, struct web_response *res, int status,
		 const char *title, const char *msg)
{
	/* a 422 is the web's own words about the form; a refusal is the desk's */
	char *why = status == 422 ? xstrdup(msg) : web_reason(msg);
	char *text = xasprintf("Sorry: %s.", why);

	free(res->why);
	res->why = xstrdup(msg);
	web_page_status(res, status);
	page_begin(&res->body, s->cfg, title);
	page_note(&res->body, "error", text);
	page_call_us(&res->body, s->cfg);
	free(text);
	free(why);
}

/* ---- the booking page ---- */

/* A service as a client chooses it: its name, how long it takes, and its price. */
static void service_item(const struct appt_config *cfg, const struct cfg_service *svc,
			 struct strbuf *sb)
{
	char price[32];

	strbuf_addstr(sb, "<li><a href=\"/?service=");
	strbuf_add_html(sb, svc->id);
	strbuf_addstr(sb, "\">");
	strbuf_add_html(sb, svc->name);
	strbuf_addf(sb, "<span class=\"about\">%ld minutes", svc->duration / 60);
	if (svc->price) {
		money_format(svc->price, price, sizeof(price));
		strbuf_addf(sb, " · %s ", price);
		strbuf_add_html(sb, cfg->billing.currency);
	}
	strbuf_addstr(sb, "</span></a></li>\n");
}

static void service_list(const struct appt_session *s, struct web_response *res)
{
	const struct appt_config *cfg = s->cfg;

	page_begin(&res->body, cfg, "Book an appointment");
	strbuf_addstr(&res->body, "<p>Choose what you would like to book.</p>\n<ul class=\"services\">\n");
	for (size_t i = 0; i < cfg->nr_services; i++)
		service_item(cfg, &cfg->services[i], &res->body);
	strbuf_addstr(&res->body, "</ul>\n");
	page_end(&res->body, cfg);
}

int web_read_from(const struct web_request *req, time_t *from)
{
	const char *text = web_param(&req->query, "from");
	struct appt_date d;

	*from = 0;
	if (!text || !*text)
		return 0;
	if (date_parse_iso(text, &d))
		return -1;
	*from = when_day_start(d);
	return 0;
}

enum appt_status web_find_slots(struct appt_session *s, const char *service,
				const char *provider, time_t from, long long exclude,
				struct slot **slots, size_t *nr, struct appt_err *err)
{
	struct appt_date today, first;
	int minute, wday, days = s->cfg->serve.days;
	struct slot_query q = { .service = service, .provider = provider, .from = from,
				.count = WEB_SLOTS_MAX, .exclude_id = exclude };

	/* serve.days counts from today, whatever day a page starts at */
	when_to_local(s->now, &today, &minute, &wday);
	if (from > s->now) {
		when_to_local(from, &first, &minute, &wday);
		days -= (int)date_diff_days(first, today);
	}
	*slots = NULL;
	*nr = 0;
	if (days <= 0)
		return APPT_OK;
	q.days = days;
	return appointment_find_slots(s, &q, slots, nr, err);
}

/* The booking page's address for a service's times, for the links between their pages. */
static char *slots_href(const struct cfg_service *svc, const char *provider)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "/?service=");
	strbuf_add_html(&sb, svc->id);
	if (provider) {
		strbuf_addstr(&sb, "&amp;provider=");
		strbuf_add_html(&sb, provider);
	}
	return strbuf_detach(&sb);
}

/* The free slots of a service, each leading to the form. */
static void slot_page(struct appt_session *s, const struct web_request *req,
		      const struct cfg_service *svc, struct web_response *res)
{
	const char *provider = web_param(&req->query, "provider");
	const char *const hidden[] = { "service", svc->id, NULL };
	struct appt_err err = { "" };
	struct slot *slots = NULL;
	size_t nr = 0;
	time_t from;
	enum appt_status status;

	if (web_read_from(req, &from) < 0 || (provider && !config_provider(s->cfg, provider)))
		return web_not_found(s, res);
	status = web_find_slots(s, svc->id, provider, from, 0, &slots, &nr, &err);
	if (status == APPT_NOTFOUND)
		return web_not_found(s, res);
	if (status)
		return web_trouble(s, res, status, &err);
	page_begin(&res->body, s->cfg, svc->name);
	if (!nr) {
		strbuf_addstr(&res->body, "<p>There is no free time online in the next days.</p>\n");
		page_call_us(&res->body, s->cfg);
	} else {
		char *here = slots_href(svc, provider);

		strbuf_addstr(&res->body, "<p>Choose a time.</p>\n");
		page_slot_pages(&res->body, s, slots, nr, from, here, "/", "get", hidden);
		free(here);
	}
	page_end(&res->body, s->cfg);
	free(slots);
}

/* The short form: the chosen time, then name, phone and e-mail. */
void web_details_form(struct appt_session *s, const struct web_params *p,
		      const struct cfg_service *svc, time_t start, struct strbuf *sb)
{
	const char *provider = web_param(p, "provider");
	const struct cfg_provider *pr = provider ? config_provider(s->cfg, provider) : NULL;
	const char *const hidden[] = { "service", svc->id, "start", web_param(p, "start"),
				       "provider", provider, NULL };

	strbuf_addstr(sb, "<dl><dt>What</dt><dd>");
	strbuf_add_html(sb, svc->name);
	strbuf_addstr(sb, "</dd><dt>When</dt><dd>");
	page_when(sb, s->cfg, start);
	if (pr) {
		strbuf_addstr(sb, "</dd><dt>With</dt><dd>");
		strbuf_add_html(sb, pr->name);
	}
	strbuf_addstr(sb, "</dd></dl>\n<form method=\"post\" action=\"/book\">\n");
	page_hidden_fields(sb, hidden);
	page_text_input(sb, "text", "name", "Your name", web_param(p, "name"),
		   "required autocomplete=\"name\" maxlength=\"200\"");
	page_text_input(sb, "tel", "phone", "Mobile phone", web_param(p, "phone"),
		   "autocomplete=\"tel\" maxlength=\"40\"");
	page_text_input(sb, "email", "email", "E-mail", web_param(p, "email"),
		   "autocomplete=\"email\" maxlength=\"200\"");
	strbuf_addstr(sb, "<p>We need a phone number or an e-mail address to send you the"
		      " confirmation.</p>\n");
	if (s->cfg->serve.booking == SERVE_REQUEST)
		strbuf_addstr(sb, "<p>This sends us a request: we will confirm the time, or offer"
			      " another, by text or e-mail.</p>\n<p><input type=\"submit\""
			      " value=\"Send request\"></p>\n</form>\n");
	else
		strbuf_addstr(sb, "<p><input type=\"submit\" value=\"Book\"></p>\n</form>\n");
	strbuf_addstr(sb, "<p><a href=\"/?service=");
	strbuf_add_html(sb, svc->id);
	strbuf_addstr(sb, "\">Choose another time</a></p>\n");
}

int web_still_free(struct appt_session *s, const struct cfg_service *svc,
		   const char *provider, time_t start, long long exclude)
{
	struct slot_query q = { .service = svc->id, .provider = provider, .from = start,
				.days = 1, .count = 1, .exclude_id = exclude };
	struct slot *slots = NULL;
	size_t nr = 0;
	int free_then = !appointment_find_slots(s, &q, &slots, &nr, NULL) && nr &&
			slots[0].start == start;

	free(slots);
	return free_then;
}

static void booking_page(struct appt_session *s, const struct web_request *req,
			 const char *rest, struct web_response *res)
{
	const char *service = web_param(&req->query, "service");
	const char *start = web_param(&req->query, "start");
	const struct cfg_service *svc = service ? config_service(s->cfg, service) : NULL;
	time_t at;

	if (!service)
		return service_list(s, res);
	if (!svc)
		return web_not_found(s, res);
	if (!start)
		return slot_page(s, req, svc, res);
	if (when_parse_time(start, s->now, &at, NULL))
		return web_not_found(s, res);
	if (!web_still_free(s, svc, web_param(&req->query, "provider"), at, 0)) {
		page_begin(&res->body, s->cfg, svc->name);
		page_note(&res->body, "error", "Sorry: that time is no longer free.");
		strbuf_addstr(&res->body, "<p><a href=\"/?service=");
		strbuf_add_html(&res->body, svc->id);
		strbuf_addstr(&res->body, "\">Choose another time</a></p>\n");
		return page_end(&res->body, s->cfg);
	}
	page_begin(&res->body, s->cfg, "Your details");
	web_details_form(s, &req->query, svc, at, &res->body);
	page_end(&res->body, s->cfg);
}

/*
 * GET /requested: where a request filed goes (303), so that a refresh
 * does not file it again.  It only reads back what its query says.
 */
static void requested_page(struct appt_session *s, const struct web_request *req,
			   const char *rest, struct web_response *res)
{
	const char *service = web_param(&req->query, "service");
	const struct cfg_service *svc = service ? config_service(s->cfg, service) : NULL;
	const char *start = web_param(&req->query, "start"), *by = web_param(&req->query, "by");
	time_t at, reply_by;

	if (!svc || !start || !by || when_parse_time(start, s->now, &at, NULL) ||
	    when_parse_time(by, s->now, &reply_by, NULL))
		return web_not_found(s, res);
	page_begin(&res->body, s->cfg, "Request received");
	strbuf_addstr(&res->body, "<p class=\"done\">Thank you. We have your request for ");
	strbuf_add_html(&res->body, svc->name);
	strbuf_addstr(&res->body, " on ");
	page_when(&res->body, s->cfg, at);
	strbuf_addstr(&res->body, ".</p>\n<p>We will answer by ");
	page_when(&res->body, s->cfg, reply_by);
	strbuf_addstr(&res->body, ", by text or e-mail. If you need us sooner, call ");
	page_phone(&res->body, s->cfg);
	strbuf_addstr(&res->body, ".</p>\n");
	page_end(&res->body, s->cfg);
}

/* ---- GET /api/slots ---- */

static void json_error(struct web_response *res, int status, const char *msg)
{
	json_t *o = json_pack("{s:s}", "error", msg);
	char *text = json_dumps(o, 0);

	res->status = status;
	res->type = "application/json";
	strbuf_addstr(&res->body, text);
	strbuf_addch(&res->body, '\n');
	free(text);
	json_decref(o);
}

static void api_slots(struct appt_session *s, const struct web_request *req,
		      const char *rest, struct web_response *res)
{
	const char *service = web_param(&req->query, "service");
	const char *provider = web_param(&req->query, "provider");
	struct appt_err err = { "" };
	struct slot *slots = NULL;
	size_t nr = 0;
	time_t from;
	json_t *list;
	char *text;
	enum appt_status status;

	if (!service || web_read_from(req, &from) < 0)
		return json_error(res, 422, "give service=ID and, if any, from=YYYY-MM-DD");
	status = web_find_slots(s, service, provider, from, 0, &slots, &nr, &err);
	if (status == APPT_NOTFOUND)
		return json_error(res, 404, err.msg);
	if (status)
		return json_error(res, status == APPT_TEMPFAIL ? 503 : 500, "try again later");
	list = json_array();
	for (size_t i = 0; i < nr; i++) {
		char iso[40];

		when_format_iso(slots[i].start, iso, sizeof(iso));
		json_array_append_new(list, json_pack("{s:s,s:s}", "start", iso,
						      "provider", slots[i].provider));
	}
	text = json_dumps(list, JSON_COMPACT);
	res->type = "application/json";
	strbuf_addstr(&res->body, text);
	strbuf_addch(&res->body, '\n');
	free(text);
	json_decref(list);
	free(slots);
}

/* Sends what the change queued now, as the commands do; remind retries a failure. */
void web_send_notice(struct appt_session *s, struct web_response *res, long long message)
{
	struct delivery_summary sum;
	struct appt_err err = { "" };

	if (message && outbox_deliver_now(s, message, &sum, &err)) {
		free(res->why);
		res->why = xasprintf("message #%lld not sent now (%s); appt remind will retry it",
				     message, err.msg);
	}
}

/* ---- routing ---- */

static void style_sheet(struct appt_session *s, const struct web_request *req,
			const char *rest, struct web_response *res)
{
	res->type = "text/css; charset=utf-8";
	res->cache = 1;
	strbuf_addstr(&res->body, web_style_css);
}

void web_wrong_method(struct web_response *res, const char *allow)
{
	res->status = 405;
	res->type = "text/plain; charset=utf-8";
	res->allow = allow;
	strbuf_reset(&res->body);
	strbuf_addstr(&res->body, "method not allowed\n");
}

/*
 * Every path appt serve answers: whole, or a prefix ("/feed/") followed
 * by a token.  /a/ answers both methods itself (the page, its buttons).
 */
struct route {
	const char *path;
	size_t prefix_len;  /* 0: the whole path; else what is cut before rest */
	int post;           /* POST only; else GET and HEAD; -1 either */
	web_route_fn *answer;
};

static const struct route routes[] = {
	{ "/", 0, 0, booking_page },
	{ "/style.css", 0, 0, style_sheet },
	{ "/api/slots", 0, 0, api_slots },
	{ "/requested", 0, 0, requested_page },
	{ "/book", 0, 1, web_post_book },
	{ "/hooks/sms", 0, 1, web_sms_hook },
	{ "/feed/", 6, 0, web_feed },
	{ "/a/", 3, -1, web_appointment },
};

static const struct route *find_route(const char *path)
{
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const struct route *r = &routes[i];

		if (r->prefix_len ? !strncmp(path, r->path, r->prefix_len) : !strcmp(path, r->path))
			return r;
	}
	return NULL;
}

void web_route(struct appt_session *s, const struct web_request *req, struct web_response *res)
{
	const char *path = req->path;

	const struct route *r = find_route(path);

	if (!r)
		return web_not_found(s, res);
	if (r->post >= 0 && r->post != !strcmp(req->method, "POST"))
		return web_wrong_method(res, r->post ? "POST" : "GET, HEAD");
	r->answer(s, req, path + r->prefix_len, res);
}
