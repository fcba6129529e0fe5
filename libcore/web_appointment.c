/*
 * web_appointment: the page a client's link opens (/a/TOKEN) — what, when,
 * where, with whom — and its three buttons: confirm, cancel, reschedule,
 * each the same libcore call as appt confirm, cancel and reschedule.  Also
 * a provider's calendar feed, the other page a token opens.
 */
#include "web_routes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appointment.h"
#include "booking.h"
#include "export.h"
#include "token.h"
#include "web_pages.h"
#include "when.h"

/* The feed: a month back (what just happened) and a year ahead. */
#define FEED_PAST (31 * 86400L)
#define FEED_AHEAD (366 * 86400L)

struct link {
	const char *token;  /* the path's token, NUL-terminated copy in buf */
	char buf[TOKEN_TEXT_SIZE];
	long long id;
	struct appointment a;
};

static const char *state_words(enum appt_state st)
{
	switch (st) {
	case STATE_HELD: return "Held for you, not yet booked";
	case STATE_BOOKED: return "Booked, waiting for your confirmation";
	case STATE_CONFIRMED: return "Confirmed";
	case STATE_WAITING: return "You have checked in";
	case STATE_IN_PROGRESS: return "In progress";
	case STATE_DONE: return "Done";
	case STATE_CANCELLED: return "Cancelled";
	case STATE_NOSHOW: return "Missed";
	default: return "";
	}
}

static const char *done_words(const char *done)
{
	if (!done)
		return NULL;
	if (!strcmp(done, "booked"))
		return "Thank you: your appointment is booked. Keep this page's link to change it.";
	if (!strcmp(done, "confirmed"))
		return "Thank you: your appointment is confirmed.";
	if (!strcmp(done, "cancelled"))
		return "Your appointment is cancelled.";
	if (!strcmp(done, "rescheduled"))
		return "Your appointment has moved to the new time.";
	return NULL;
}

static void details(const struct appt_session *s, const struct appointment *a, struct strbuf *sb)
{
	const struct cfg_service *svc = config_service(s->cfg, a->service);
	const struct cfg_provider *p = config_provider(s->cfg, a->provider);

	strbuf_addstr(sb, "<dl>\n<dt>What</dt><dd>");
	strbuf_add_html(sb, svc ? svc->name : a->service);
	strbuf_addstr(sb, "</dd>\n<dt>When</dt><dd>");
	page_when(sb, s->cfg, a->start);
	strbuf_addstr(sb, "</dd>\n<dt>With</dt><dd>");
	strbuf_add_html(sb, p ? p->name : a->provider);
	if (s->cfg->business.address) {
		strbuf_addstr(sb, "</dd>\n<dt>Where</dt><dd>");
		strbuf_add_html(sb, s->cfg->business.address);
	}
	strbuf_addstr(sb, "</dd>\n<dt>For</dt><dd>");
	strbuf_add_html(sb, a->client_name);
	strbuf_addstr(sb, "</dd>\n<dt>Status</dt><dd>");
	strbuf_add_html(sb, a->start <= s->now && (a->state == STATE_BOOKED ||
		a->state == STATE_CONFIRMED || a->state == STATE_HELD) ? "Past" : state_words(a->state));
	strbuf_addstr(sb, "</dd>\n</dl>\n");
}

static void action_button(struct strbuf *sb, const struct link *l, const char *action,
			  const char *label, const char *class)
{
	strbuf_addf(sb, "<form method=\"post\" action=\"/a/%s/%s\"><button%s>%s</button></form>\n",
		    l->token, action, class, label);
}

/* Why a button is not there: a client should not learn it only after choosing. */
static void call_instead(const struct appt_session *s, const char *what, struct strbuf *sb)
{
	strbuf_addstr(sb, "<p>");
	strbuf_add_html(sb, what);
	strbuf_addstr(sb, " Please call ");
	page_phone(sb, s->cfg);
	strbuf_addstr(sb, ".</p>\n");
}

static void actions(struct appt_session *s, const struct link *l, struct strbuf *sb)
{
	enum appt_state st = l->a.state;
	int may_move = st != STATE_HELD && appointment_may_reschedule(s, &l->a);
	int late = appointment_cancel_is_late(s, &l->a);
	char notice[40];

	if (state_is_end(st) || l->a.start <= s->now) {
		strbuf_addstr(sb, "<p><a href=\"/\">Book another appointment</a></p>\n");
		return;
	}
	if (st == STATE_WAITING || st == STATE_IN_PROGRESS)
		return;
	strbuf_addstr(sb, "<div class=\"actions\">\n");
	if (st == STATE_BOOKED || st == STATE_HELD)
		action_button(sb, l, "confirm", "Confirm", "");
	if (may_move)
		strbuf_addf(sb, "<form method=\"get\" action=\"/a/%s\"><button name=\"reschedule\""
			    " value=\"1\" class=\"slot\">Change the time</button></form>\n", l->token);
	if (!late)
		strbuf_addf(sb, "<form method=\"get\" action=\"/a/%s\"><button name=\"cancel\""
			    " value=\"1\" class=\"secondary\">Cancel</button></form>\n", l->token);
	strbuf_addstr(sb, "</div>\n");
	page_duration(s->cfg->policies.cancel.min_notice, notice, sizeof(notice));
	if (late) {
		char *why = xasprintf("Less than %s before your appointment it can no longer be"
				      " cancelled%s online.", notice,
				      may_move || st == STATE_HELD ? "" : " or moved");

		call_instead(s, why, sb);
		free(why);
	} else if (!may_move && st != STATE_HELD) {
		call_instead(s, "This appointment can no longer be moved online.", sb);
	}
}

/* Cancelling is one step more: a stray tap must not give the time away. */
static void cancel_question(const struct link *l, struct strbuf *sb)
{
	strbuf_addstr(sb, "<h2>Cancel this appointment?</h2>\n<div class=\"actions\">\n");
	action_button(sb, l, "cancel", "Yes, cancel it", " class=\"secondary\"");
	strbuf_addf(sb, "<form method=\"get\" action=\"/a/%s\"><button class=\"slot\">"
		    "No, keep it</button></form>\n</div>\n", l->token);
}

/* Drops the appointment's own time from the slots: moving there moves nothing. */
static size_t without_own(const struct appointment *a, struct slot *slots, size_t nr)
{
	size_t kept = 0;

	for (size_t i = 0; i < nr; i++)
		if (slots[i].start != a->start || strcmp(slots[i].provider, a->provider))
			slots[kept++] = slots[i];
	return kept;
}

/* The free times the appointment could move to, a few days a page. */
static void reschedule_choices(struct appt_session *s, const struct web_request *req,
			       const struct link *l, struct strbuf *sb)
{
	struct appt_err err = { "" };
	struct slot *slots = NULL;
	char *action = xasprintf("/a/%s/reschedule", l->token);
	char *here = xasprintf("/a/%s?reschedule=1", l->token);
	size_t nr = 0;
	time_t from = 0;

	strbuf_addstr(sb, "<h2>Choose a new time</h2>\n");
	if (web_read_from(req, &from) < 0 ||
	    web_find_slots(s, l->a.service, NULL, from, l->id, &slots, &nr, &err) ||
	    !(nr = without_own(&l->a, slots, nr))) {
		strbuf_addstr(sb, "<p>There is no other free time online in the next days.</p>\n");
		page_call_us(sb, s->cfg);
	} else {
		page_slot_pages(sb, s, slots, nr, from, here, action, "post", NULL);
	}
	free(here);
	free(action);
	free(slots);
}

/* Not over, not begun: what a client may still confirm, move or cancel. */
static int changeable(const struct appt_session *s, const struct appointment *a)
{
	return !state_is_end(a->state) && a->state != STATE_WAITING &&
	       a->state != STATE_IN_PROGRESS && a->start > s->now;
}

static void show_page(struct appt_session *s, const struct web_request *req, struct link *l,
		      struct web_response *res)
{
	const char *done = done_words(web_param(&req->query, "done"));

	page_begin(&res->body, s->cfg, "Your appointment");
	if (done)
		page_note(&res->body, "done", done);
	details(s, &l->a, &res->body);
	if (web_param(&req->query, "cancel") && changeable(s, &l->a) &&
	    !appointment_cancel_is_late(s, &l->a))
		cancel_question(l, &res->body);
	else
		actions(s, l, &res->body);
	if (web_param(&req->query, "reschedule") && changeable(s, &l->a) &&
	    l->a.state != STATE_HELD && appointment_may_reschedule(s, &l->a))
		reschedule_choices(s, req, l, &res->body);
	page_end(&res->body, s->cfg);
}

/* ---- the buttons ---- */

static enum appt_status do_confirm(struct appt_session *s, struct link *l,
				   long long *message, struct appt_err *err)
{
	return appointment_set_state(s, l->id, STATE_CONFIRMED, "online", 0, NULL, message, err);
}

/*
 * A client cancelling inside policies.cancel.min_notice would owe the late
 * fee: a click must not charge anyone, so the page says to call, and the
 * desk decides (appt cancel, with the fee or --force to waive it).
 */
static enum appt_status do_cancel(struct appt_session *s, struct link *l, long long *message,
				  struct appt_err *err)
{
	struct booking_result res;
	enum appt_status status;
	char notice[40];

	if (l->a.start > s->now && appointment_cancel_is_late(s, &l->a)) {
		page_duration(s->cfg->policies.cancel.min_notice, notice, sizeof(notice));
		return appt_fail(err, APPT_REFUSED, "it is less than %s before your appointment,"
				 " too late to cancel online", notice);
	}
	status = appointment_cancel(s, l->id, "cancelled online", "client", 0, 0, &res, err);
	*message = res.message_id;
	booking_result_release(&res);
	return status;
}

static enum appt_status do_reschedule(struct appt_session *s, const struct web_request *req,
				      struct link *l, long long *message, struct appt_err *err)
{
	const char *start = web_param(&req->form, "start");
	const char *provider = web_param(&req->form, "provider");
	struct booking_request br = { .provider = provider && *provider ? provider : NULL,
				      .via = "online" };
	struct booking_result res;
	enum appt_status status;

	if (!start || when_parse_time(start, s->now, &br.at, NULL))
		return appt_fail(err, APPT_DATAERR, "choose a new time from the list");
	if (br.provider && !config_provider(s->cfg, br.provider))
		return appt_fail(err, APPT_DATAERR, "choose a new time from the list");
	/* a time the list offers, not any minute a script sends */
	if (!web_still_free(s, config_service(s->cfg, l->a.service), br.provider, br.at, l->id))
		return appt_fail(err, APPT_REFUSED, "slot taken: not one of the free times");
	status = appointment_reschedule(s, l->id, &br, &res, err);
	*message = res.message_id;
	booking_result_release(&res);
	return status;
}

/*
 * A button pressed twice (a double tap, a form sent again after going
 * back) finds its work done: the client sees the page as after the first.
 */
static int already_done(const struct web_request *req, const struct link *l,
			const char *action)
{
	const char *start = web_param(&req->form, "start");
	time_t at;

	if (!strcmp(action, "confirm"))
		return l->a.state == STATE_CONFIRMED;
	if (!strcmp(action, "cancel"))
		return l->a.state == STATE_CANCELLED;
	/* moving to where it is already (a form sent again, the list of an old page) moves nothing */
	return start && !when_parse_time(start, l->a.start, &at, NULL) && at == l->a.start &&
	       !state_is_end(l->a.state);
}

static const char *done_word(const char *action)
{
	return !strcmp(action, "confirm") ? "confirmed"
	       : !strcmp(action, "cancel") ? "cancelled" : "rescheduled";
}

/* A button refused: why, whom to call, and the way back to the page. */
static void refused(struct appt_session *s, const struct link *l, const char *action,
		    int status, const char *msg, struct web_response *res)
{
	web_refused(s, res, status, "That could not be done", msg);
	/* a time refused (taken meanwhile, say): the others, if it may still move */
	if (!strcmp(action, "reschedule") && changeable(s, &l->a) &&
	    appointment_may_reschedule(s, &l->a))
		strbuf_addf(&res->body, "<p><a href=\"/a/%s?reschedule=1\">Choose another time</a>"
			    "</p>\n", l->token);
	strbuf_addf(&res->body, "<p><a href=\"/a/%s\">Back to your appointment</a></p>\n",
		    l->token);
	page_end(&res->body, s->cfg);
}

static void post_action(struct appt_session *s, const struct web_request *req, struct link *l,
			const char *action, struct web_response *res)
{
	struct appt_err err = { "" };
	long long message = 0;
	enum appt_status status;

	if (already_done(req, l, action)) {
		/* its own time, never moved: nothing was done, nothing to say */
		int moved_nowhere = !strcmp(action, "reschedule") && !l->a.reschedules;

		return web_redirect(res, moved_nowhere ? xasprintf("/a/%s", l->token)
			: xasprintf("/a/%s?done=%s", l->token, done_word(action)));
	}
	/* the desk may still confirm a visit that happened; a link may not */
	if (!changeable(s, &l->a))
		return refused(s, l, action, 409, "cannot change it: it is over or has begun", res);
	if (!strcmp(action, "confirm"))
		status = do_confirm(s, l, &message, &err);
	else if (!strcmp(action, "cancel"))
		status = do_cancel(s, l, &message, &err);
	else
		status = do_reschedule(s, req, l, &message, &err);
	if (status == APPT_REFUSED || status == APPT_DATAERR)
		return refused(s, l, action, status == APPT_REFUSED ? 409 : 422, err.msg, res);
	if (status)
		return web_trouble(s, res, status, &err);
	web_send_notice(s, res, message);
	web_redirect(res, xasprintf("/a/%s?done=%s", l->token, done_word(action)));
}

/* ---- /a/TOKEN ---- */

static int read_link(struct appt_session *s, const char *rest, struct link *l,
		     const char **action, enum appt_status *status, struct appt_err *err)
{
	size_t n = strcspn(rest, "/");

	memset(l, 0, sizeof(*l));
	*action = rest[n] ? rest + n + 1 : NULL;
	if (!token_well_formed(rest, n))
		return -1;
	memcpy(l->buf, rest, n);
	l->buf[n] = '\0';
	l->token = l->buf;
	*status = token_find_appointment(s->db, l->token, &l->id, err);
	if (!*status)
		*status = appointment_get(s->db, l->id, &l->a, err);
	return *status == APPT_NOTFOUND ? -1 : 0;
}

static int known_action(const char *action)
{
	return !strcmp(action, "confirm") || !strcmp(action, "cancel") ||
	       !strcmp(action, "reschedule");
}

void web_appointment(struct appt_session *s, const struct web_request *req, const char *rest,
		     struct web_response *res)
{
	struct appt_err err = { "" };
	enum appt_status status = APPT_OK;
	const char *action;
	struct link l;
	int post = !strcmp(req->method, "POST");

	if (read_link(s, rest, &l, &action, &status, &err) ||
	    (action && !known_action(action)))
		web_not_found(s, res);
	else if (status)
		web_trouble(s, res, status, &err);
	else if (!action && post)
		web_wrong_method(res, "GET, HEAD");
	else if (action && !post)
		web_wrong_method(res, "POST");
	else if (action)
		post_action(s, req, &l, action, res);
	else
		show_page(s, req, &l, res);
	appointment_release(&l.a);
}

/* ---- /feed/TOKEN.ics ---- */

void web_feed(struct appt_session *s, const struct web_request *req, const char *rest,
	      struct web_response *res)
{
	size_t n = strlen(rest);
	char token[TOKEN_TEXT_SIZE], *provider = NULL, *text = NULL;
	struct export_request ex = { .dataset = EXPORT_APPOINTMENTS, .format = EXPORT_ICS };
	struct appt_err err = { "" };
	size_t len = 0;
	FILE *fp;
	enum appt_status status;

	if (n != TOKEN_TEXT_LEN + 4 || strcmp(rest + TOKEN_TEXT_LEN, ".ics"))
		return web_not_found(s, res);
	memcpy(token, rest, TOKEN_TEXT_LEN);
	token[TOKEN_TEXT_LEN] = '\0';
	status = token_find_feed(s->db, token, &provider, &err);
	if (status == APPT_NOTFOUND)
		return web_not_found(s, res);
	if (status)
		return web_trouble(s, res, status, &err);
	ex.provider = provider;
	ex.from = s->now - FEED_PAST;
	ex.to = s->now + FEED_AHEAD;
	fp = open_memstream(&text, &len);
	if (!fp)
		status = appt_fail(&err, APPT_IOERR, "open_memstream: %s", strerror(errno));
	else
		status = export_write(s, &ex, fp, NULL, &err);
	if (fp)
		fclose(fp);
	if (status) {
		web_trouble(s, res, status, &err);
	} else {
		res->type = "text/calendar; charset=utf-8";
		strbuf_add(&res->body, text, len);
	}
	free(text);
	free(provider);
}
