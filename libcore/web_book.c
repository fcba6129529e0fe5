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

/*
 * A client found by one contact who gave another the record lacks gets it
 * (never in place of one it has, nor one another client has); a name other
 * than the record's becomes a note for the desk, which knows whether it is
 * a nickname or someone booking for their child.
 */
static enum appt_status complete_client(struct appt_session *s, const struct web_booking *b,
					long long id, struct appt_err *err)
{
	struct client c;
	struct client_fields add = { 0 };
	long long other;
	enum appt_status status = client_get(s->db, id, &c, err);

	if (status)
		return status;
	if (!c.email && b->who.email &&
	    client_find_by_contact(s->db, NULL, b->who.email, &other, NULL) == APPT_NOTFOUND)
		add.email = b->who.email;
	if (!c.phone && b->who.phone &&
	    client_find_by_contact(s->db, b->who.phone, NULL, &other, NULL) == APPT_NOTFOUND)
		add.phone = b->who.phone;
	/* a record a text from an unknown number made is named by the number till now */
	if (placeholder_name(&c))
		add.name = b->who.name;
	if (add.email || add.phone || add.name)
		status = client_edit(s->db, id, &add, s->actor, s->now, err);
	if (!status && !add.name && !str_ieq(c.name, b->who.name)) {
		char *note = xasprintf("booked online as \"%s\"", b->who.name);

		status = client_add_note(s->db, id, note, 0, s->actor, s->now, err);
		free(note);
	}
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
	return status ? status : complete_client(s, b, *id, err);
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
	return status;
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
		*out = (struct web_booked){ e.id, 0, e.reply_by };
	else if (!status && s->cfg->serve.booking == SERVE_REQUEST)
		status = file_request(s, b, client_id, prefer, out, err);
	else if (!status)
		status = book(s, b, client_id, out, err);
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

	when_format_iso(b->start, start, sizeof(start));
	when_format_iso(reply_by, by, sizeof(by));
	return xasprintf("/requested?service=%s&start=%s&by=%s", b->svc->id, start, by);
}

void web_post_book(struct appt_session *s, const struct web_request *req,
		   struct web_response *res)
{
	struct web_booking b;
	struct web_booked done;
	struct appt_err err = { "" };
	char token[TOKEN_TEXT_SIZE];
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
	web_send_notice(s, done.message);
	if (s->cfg->serve.booking == SERVE_REQUEST)
		return web_redirect(res, request_page(&b, done.reply_by));
	status = token_mint_appointment(s->db, s->now, done.id, token, &err);
	if (status)
		return web_trouble(s, res, status, &err);
	web_redirect(res, xasprintf("/a/%s?done=booked", token));
}
