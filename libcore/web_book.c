/*
 * web_book: POST /book — the client the form names (found by phone or
 * e-mail, else added), and the booking, or the request the desk answers
 * (serve.booking), in one transaction.  A form sent twice (a double tap, a
 * refresh) finds what the first made and answers as the first did.
 */
#include "web_routes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "booking.h"
#include "client.h"
#include "phone.h"
#include "request.h"
#include "token.h"
#include "web_pages.h"
#include "when.h"

/* ---- POST /book ---- */

struct web_booking {
	const struct cfg_service *svc;
	const char *provider;
	time_t start;
	struct client_fields who;
};

/* The longest name the form takes (its input's maxlength, in bytes here). */
#define WEB_NAME_MAX 200

/* A phone a text can reach has at least this many digits, whatever the country. */
#define PHONE_DIGITS_MIN 7

static int too_few_digits(const char *phone)
{
	int digits = 0;

	for (const char *p = phone; *p; p++)
		digits += *p >= '0' && *p <= '9';
	return digits < PHONE_DIGITS_MIN;
}

static const char *given(const struct web_params *p, const char *name)
{
	const char *v = web_param(p, name);

	return v && v[strspn(v, " \t")] ? v : NULL;
}

/* What the form says, checked before anything is read or written: 0, or -1 with why. */
static int read_booking(struct appt_session *s, const struct web_params *p,
			struct web_booking *b, struct appt_err *err)
{
	const char *service = given(p, "service"), *start = given(p, "start");

	memset(b, 0, sizeof(*b));
	b->provider = given(p, "provider");
	b->who.name = given(p, "name");
	b->who.phone = given(p, "phone");
	b->who.email = given(p, "email");
	if (!service || !(b->svc = config_service(s->cfg, service)))
		return appt_fail(err, APPT_DATAERR, "choose a service"), -1;
	if (!start || when_parse_time(start, s->now, &b->start, NULL))
		return appt_fail(err, APPT_DATAERR, "choose a time"), -1;
	if (b->provider && !config_provider(s->cfg, b->provider))
		return appt_fail(err, APPT_DATAERR, "choose a time from the list"), -1;
	if (!b->who.name)
		return appt_fail(err, APPT_DATAERR, "please give your name"), -1;
	if (strlen(b->who.name) > WEB_NAME_MAX)
		return appt_fail(err, APPT_DATAERR, "please give a shorter name"), -1;
	if (!b->who.phone && !b->who.email)
		return appt_fail(err, APPT_DATAERR,
				 "please give a phone number or an e-mail address"), -1;
	if (b->who.phone && too_few_digits(b->who.phone))
		return appt_fail(err, APPT_DATAERR, "please give your whole phone number,"
				 " with its area code"), -1;
	return client_validate(&b->who, err) ? -1 : 0;
}

/* "Unknown (NUMBER)": the name sms_inbound gives the record of a number it did not know. */
static int placeholder_name(const struct client *c)
{
	char *unknown = c->phone ? xasprintf("Unknown (%s)", c->phone) : NULL;
	int is = unknown && !strcmp(c->name, unknown);

	free(unknown);
	return is;
}

/* Whether two phones are one number, however each was typed (phone.h keys). */
static int same_phone(const char *a, const char *b)
{
	char ka[PHONE_KEY_SIZE], kb[PHONE_KEY_SIZE];

	return !phone_key(a, phone_country_code(), ka, NULL) &&
	       !phone_key(b, phone_country_code(), kb, NULL) && !strcmp(ka, kb);
}

/*
 * What the form said that the record does not: a note for the desk, which
 * knows whether it is a nickname, someone booking for their child, or a
 * new address to take.  The record itself is never changed from a form
 * anyone can send: a phone or e-mail written onto a client's record would
 * send them their messages, links and all.  The one exception is the name
 * of a record a text from an unknown number made ("Unknown (NUMBER)"),
 * which reaches nobody new.
 */
static enum appt_status note_differences(struct appt_session *s, const struct web_booking *b,
					 long long id, struct appt_err *err)
{
	struct strbuf note = STRBUF_INIT;
	struct client_fields rename = { .name = b->who.name };
	struct client c;
	enum appt_status status = client_get(s->db, id, &c, err);

	if (status)
		return status;
	if (placeholder_name(&c)) {
		status = client_edit(s->db, id, &rename, s->actor, s->now, err);
	} else {
		strbuf_addf(&note, "booked online as \"%s\"", b->who.name);
		if (b->who.phone && (!c.phone || !same_phone(b->who.phone, c.phone)))
			strbuf_addf(&note, ", phone %s", b->who.phone);
		if (b->who.email && (!c.email || !str_ieq(b->who.email, c.email)))
			strbuf_addf(&note, ", e-mail %s", b->who.email);
		if (!str_ieq(c.name, b->who.name) || strchr(strbuf_str(&note), ','))
			status = client_add_note(s->db, id, strbuf_str(&note), 0, s->actor,
						 s->now, err);
	}
	strbuf_release(&note);
	client_release(&c);
	return status;
}

/* The client the form names: found by phone or e-mail, else added. */
static enum appt_status web_client(struct appt_session *s, const struct web_booking *b,
				   long long *id, struct appt_err *err)
{
	enum appt_status status = client_find_by_contact(s->db, b->who.phone, b->who.email,
							 id, err);

	if (status == APPT_NOTFOUND)
		return client_add(s->db, &b->who, s->actor, s->now, id, err);
	return status;
}

static char *asked_for(const struct appt_session *s, const struct web_booking *b)
{
	struct strbuf sb = STRBUF_INIT;
	char when[80];
	const struct cfg_provider *p = b->provider ? config_provider(s->cfg, b->provider) : NULL;

	when_format_local(b->start, when, sizeof(when));
	strbuf_addf(&sb, "asked online for %s", when);
	if (p)
		strbuf_addf(&sb, " with %s", p->name);
	return strbuf_detach(&sb);
}

/* What a form sent again finds: the booking or the request the first one made. */
struct earlier {
	const struct web_booking *b;
	const char *prefer;
	long long id;
	time_t reply_by;
};

static void same_booking(const struct appointment *a, void *data)
{
	struct earlier *e = data;

	if (!e->id && !strcmp(a->service, e->b->svc->id) && a->start == e->b->start &&
	    a->state != STATE_CANCELLED && a->state != STATE_NOSHOW)
		e->id = a->id;
}

static void same_request(const struct request *r, void *data)
{
	struct earlier *e = data;

	if (!e->id && !strcmp(r->service, e->b->svc->id) && r->prefer &&
	    !strcmp(r->prefer, e->prefer)) {
		e->id = r->id;
		e->reply_by = r->reply_by;
	}
}

static enum appt_status find_earlier(struct appt_session *s, long long client_id,
				     struct earlier *e, struct appt_err *err)
{
	if (s->cfg->serve.booking == SERVE_REQUEST) {
		struct request_filter f = { .state = REQUEST_OPEN, .client_id = client_id };

		return request_each(s->db, &f, same_request, e, err);
	} else {
		struct appointment_filter f = { .from = e->b->start, .to = e->b->start + 1,
						.client_id = client_id, .state = -1 };

		return appointment_each(s->db, &f, same_booking, e, err);
	}
}

/* What book_or_request made (or found made before). */
struct web_booked {
	long long id;       /* the appointment, or the request */
	long long message;  /* the notice to send now; 0: none (or sent the first time) */
	time_t reply_by;    /* a request: when the desk answers by */
	int again;          /* the same booking or request was there already */
	char token[TOKEN_TEXT_SIZE]; /* a booking made now: its page's link */
};

static enum appt_status file_request(struct appt_session *s, const struct web_booking *b,
				     long long client_id, const char *prefer,
				     struct web_booked *out, struct appt_err *err)
{
	struct request_new r = { .client_id = client_id, .service = b->svc->id,
				 .provider = b->provider, .prefer = prefer, .via = "online" };

	out->reply_by = s->now + s->cfg->policies.request.reply_within;
	return request_add(s, &r, &out->id, &out->message, err);
}

static enum appt_status book(struct appt_session *s, const struct web_booking *b,
			     long long client_id, struct web_booked *out, struct appt_err *err)
{
	struct booking_request req = { .client_id = client_id, .service = b->svc->id,
				       .provider = b->provider, .at = b->start, .via = "online" };
	struct booking_result res;
	enum appt_status status = appointment_book(s, &req, &res, err);

	out->id = res.id;
	out->message = res.message_id;
	booking_result_release(&res);
	/* the link, in the booking's transaction: a booking made always has one */
	if (!status)
		status = token_mint_appointment(s->db, s->now, out->id, out->token, err);
	return status;
}

/* A booking or a request not made before, with what the form said that the record does not. */
static enum appt_status make_new(struct appt_session *s, const struct web_booking *b,
				 long long client_id, const char *prefer, struct web_booked *out,
				 struct appt_err *err)
{
	enum appt_status status;

	/* a time the pages offer, not any minute a script sends */
	if (!web_still_free(s, b->svc, b->provider, b->start, 0))
		return appt_fail(err, APPT_REFUSED, "slot taken: %s is not one of the free times",
				 b->svc->id);
	status = note_differences(s, b, client_id, err);
	if (status)
		return status;
	if (s->cfg->serve.booking == SERVE_REQUEST)
		return file_request(s, b, client_id, prefer, out, err);
	return book(s, b, client_id, out, err);
}

/*
 * The client and the booking (or the request) in one transaction: a slot
 * taken in the meantime leaves no new client record behind either.
 */
static enum appt_status book_or_request(struct appt_session *s, const struct web_booking *b,
					struct web_booked *out, struct appt_err *err)
{
	char *prefer = asked_for(s, b);
	struct earlier e = { b, prefer, 0, 0 };
	long long client_id = 0;
	enum appt_status status = db_begin_write(s->db, err);

	memset(out, 0, sizeof(*out));
	if (status) {
		free(prefer);
		return status;
	}
	status = web_client(s, b, &client_id, err);
	if (!status)
		status = find_earlier(s, client_id, &e, err);
	if (!status && e.id)
		*out = (struct web_booked){ .id = e.id, .reply_by = e.reply_by, .again = 1 };
	else if (!status)
		status = make_new(s, b, client_id, prefer, out, err);
	free(prefer);
	return db_finish_write(s->db, status, err);
}

static void form_again(struct appt_session *s, const struct web_request *req,
		       const struct web_booking *b, const char *msg, int status,
		       struct web_response *res)
{
	char *sorry;

	free(res->why);
	res->why = xstrdup(msg);
	web_page_status(res, status);
	page_begin(&res->body, s->cfg, "Your details");
	sorry = xasprintf("Sorry: %s.", msg);
	page_note(&res->body, "error", sorry);
	free(sorry);
	if (b->svc && b->start)
		web_details_form(s, &req->form, b->svc, b->start, &res->body);
	else
		strbuf_addstr(&res->body, "<p><a href=\"/\">Start again</a></p>\n");
	page_end(&res->body, s->cfg);
}

/* 409: the time is gone (or a rule refused it); the next free times instead. */
static void slot_gone(struct appt_session *s, const struct web_booking *b,
		      const char *msg, struct web_response *res)
{
	const char *const hidden[] = { "service", b->svc->id, NULL };
	struct appt_err err = { "" };
	struct slot *slots = NULL;
	size_t nr = 0;

	web_refused(s, res, 409, "That time is not available", msg);
	if (!web_find_slots(s, b->svc->id, NULL, 0, 0, &slots, &nr, &err) && nr) {
		strbuf_addstr(&res->body, "<p>These times are free:</p>\n");
		page_slot_list(&res->body, slots, nr, s->cfg, "/", "get", hidden);
	}
	page_end(&res->body, s->cfg);
	free(slots);
}

/*
 * A request filed goes, like a booking, to a page of its own by 303, so
 * that a refresh does not post it again; what the page says is only read
 * back from its query.
 */
static char *request_page(const struct web_booking *b, time_t reply_by)
{
	char start[40], by[40];

	struct strbuf url = STRBUF_INIT;

	when_format_iso(b->start, start, sizeof(start));
	when_format_iso(reply_by, by, sizeof(by));
	strbuf_addstr(&url, "/requested?service=");
	strbuf_add_url(&url, b->svc->id);
	strbuf_addstr(&url, "&start=");
	strbuf_add_url(&url, start);
	strbuf_addstr(&url, "&by=");
	strbuf_add_url(&url, by);
	return strbuf_detach(&url);
}

/*
 * The same booking sent again.  It may be a double tap, or someone who
 * typed another client's phone and the time of their appointment: the
 * page says it is there and shows no link, which the client has in the
 * message that confirmed it.
 */
static void booked_before(struct appt_session *s, struct web_response *res)
{
	page_begin(&res->body, s->cfg, "Already booked");
	strbuf_addstr(&res->body, "<p class=\"done\">This appointment is already booked. The"
		      " message that confirmed it has the link to change or cancel it.</p>\n");
	page_call_us(&res->body, s->cfg);
	page_end(&res->body, s->cfg);
}

void web_post_book(struct appt_session *s, const struct web_request *req, const char *rest,
		   struct web_response *res)
{
	struct web_booking b;
	struct web_booked done;
	struct appt_err err = { "" };
	enum appt_status status;

	if (read_booking(s, &req->form, &b, &err))
		return form_again(s, req, &b, err.msg, 422, res);
	status = book_or_request(s, &b, &done, &err);
	if (status == APPT_REFUSED)
		return slot_gone(s, &b, err.msg, res);
	if (status == APPT_DATAERR || status == APPT_NOTFOUND)
		return form_again(s, req, &b, err.msg, 422, res);
	if (status)
		return web_trouble(s, res, status, &err);
	web_send_notice(s, res, done.message);
	if (s->cfg->serve.booking == SERVE_REQUEST)
		return web_redirect(res, request_page(&b, done.reply_by));
	if (done.again)
		return booked_before(s, res);
	web_redirect(res, xasprintf("/a/%s?done=booked", done.token));
}
