/*
 * The queueing half of the outbox: turning lifecycle changes and due times
 * into message rows.  delivery.c is the other half.
 */
#include "outbox.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appointment.h"
#include "client.h"
#include "event.h"
#include "outbox_priv.h"
#include "phone.h"
#include "program.h"
#include "template.h"
#include "token.h"
#include "window.h"

static const char *const status_names[] = {
	[MESSAGE_PENDING] = "pending",
	[MESSAGE_SENDING] = "sending",
	[MESSAGE_SENT] = "sent",
	[MESSAGE_FAILED] = "failed",
	[MESSAGE_UNCERTAIN] = "uncertain",
	[MESSAGE_VOID] = "void",
	[MESSAGE_OPEN] = "open",
	[MESSAGE_CLOSED] = "closed",
};

const char *message_status_name(enum message_status status)
{
	return status_names[status];
}

enum message_status message_status_of(const char *stored)
{
	for (size_t i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (stored && !strcmp(status_names[i], stored))
			return (enum message_status)i;
	fprintf(stderr, "appt: internal error: message status '%s'\n", stored ? stored : "(null)");
	abort();
}

/*
 * How far past a reminder's due time the appointments are read: a reminder
 * due in a closed window goes out in the window before, and a window may
 * stay closed over a weekend.
 */
#define WINDOW_REACH_SQL "259200"

void draft_release(struct draft *d)
{
	free(d->key);
	free(d->note);
	memset(d, 0, sizeof(*d));
}

/* ---- routing: which channel and address, or a call task ---- */

struct route {
	const char *channel; /* a channels: key, or "call" */
	const char *recipient;
	char *note;          /* what happened when the wanted channel could not be used */
	char number[PHONE_KEY_SIZE]; /* the phone in international form, for a gateway */
};

static int is_email_channel(const struct cfg_channel *ch)
{
	return !strcmp(ch->name, "email") || ch->transport == TRANSPORT_SENDMAIL;
}

static const char *address_for(const struct cfg_channel *ch, const struct client *c)
{
	return is_email_channel(ch) ? c->email : c->phone;
}

/*
 * A client who texted STOP (client.h) gets no text by any channel that
 * reaches a phone: every channel but e-mail.
 */
static int texts_stopped(const struct cfg_channel *ch, const struct client *c)
{
	return c->texts_stopped_at && !is_email_channel(ch);
}

int outbox_is_text_channel(const struct appt_config *cfg, const char *channel)
{
	const struct cfg_channel *ch = config_channel(cfg, channel);

	return ch && !is_email_channel(ch);
}

/*
 * The channel if it is configured, the client has an address for it, and
 * it is not a text to a client who texted STOP.  A gateway gets a phone in
 * international form (+13035550101) however the desk typed it, when
 * business.country_code says what that form is.
 */
static int try_channel(const struct appt_config *cfg, const char *name,
		       const struct client *c, struct route *r)
{
	const struct cfg_channel *ch = config_channel(cfg, name);
	const char *to = ch && !texts_stopped(ch, c) ? address_for(ch, c) : NULL;

	if (!to)
		return 0;
	r->channel = ch->name;
	r->recipient = to;
	if (!is_email_channel(ch) && !phone_key(to, phone_country_code(), r->number, NULL) &&
	    r->number[0] == '+')
		r->recipient = r->number;
	return 1;
}

/* Why the wanted channel was not used: "no address for email", "texts stopped (STOP)". */
static char *why_not(const struct appt_config *cfg, const char *name, const struct client *c)
{
	const struct cfg_channel *ch = config_channel(cfg, name);

	if (ch && texts_stopped(ch, c))
		return xstrdup("texts stopped (STOP)");
	if (c->texts_stopped_at && strcmp(name, "sms"))
		return xasprintf("no address for %s, texts stopped (STOP)", name);
	return xasprintf("no address for %s", name);
}

/*
 * "preferred" is the client's own channel.  A client without the address a
 * channel needs, or who texted STOP, gets the message by their other
 * channel, else as a call task; the note says why, so the desk can fix the
 * record.
 */
static void route_message(const struct appt_config *cfg, const char *wanted,
			  const struct client *c, struct route *r)
{
	const char *name = strcmp(wanted, "preferred") ? wanted : c->channel;
	char *why;

	memset(r, 0, sizeof(*r));
	if (!strcmp(name, "call")) {
		r->channel = "call";
		r->recipient = c->phone;
		return;
	}
	if (try_channel(cfg, name, c, r))
		return;
	why = why_not(cfg, name, c);
	if ((strcmp(name, "email") && try_channel(cfg, "email", c, r)) ||
	    (strcmp(name, "sms") && try_channel(cfg, "sms", c, r))) {
		r->note = xasprintf("%s: sent by %s instead", why, r->channel);
	} else {
		r->channel = "call";
		r->recipient = c->phone;
		r->note = xasprintf("%s: call instead", why);
	}
	free(why);
}

/* ---- rendering ---- */

struct render_ctx {
	char date[80], time[40], id[24], last_visit[80], hold_until[120], request[24];
	char *first_name;
	char *url;
};

static const char *staff_name(const struct appt_session *s)
{
	const struct appt_config *cfg = s->cfg;

	for (size_t i = 0; i < cfg->staff_logins.nr; i++)
		if (!strcmp(cfg->staff_logins.items[i], s->actor))
			return cfg->staff_names.items[i];
	return cfg->business.signature ? cfg->business.signature : cfg->business.name;
}

/* {{hold.until}}: "Tuesday 5 January 2027 14:00", in the business's formats. */
static const char *hold_until_text(const struct appt_session *s, time_t at,
				   struct render_ctx *ctx)
{
	char day[80], clock[40];

	when_strftime(at, s->cfg->business.date_format, day, sizeof(day));
	when_strftime(at, s->cfg->business.time_format, clock, sizeof(clock));
	snprintf(ctx->hold_until, sizeof(ctx->hold_until), "%s %s", day, clock);
	return ctx->hold_until;
}

static void fill_appointment(const struct appt_session *s, const struct appointment *a,
			     struct render_ctx *ctx, const char *values[FIELD_COUNT])
{
	const struct cfg_service *svc = config_service(s->cfg, a->service);
	const struct cfg_provider *p = config_provider(s->cfg, a->provider);

	when_strftime(a->start, s->cfg->business.date_format, ctx->date, sizeof(ctx->date));
	when_strftime(a->start, s->cfg->business.time_format, ctx->time, sizeof(ctx->time));
	snprintf(ctx->id, sizeof(ctx->id), "%lld", a->id);
	values[FIELD_APPOINTMENT_DATE] = ctx->date;
	values[FIELD_APPOINTMENT_TIME] = ctx->time;
	values[FIELD_APPOINTMENT_ID] = ctx->id;
	values[FIELD_SERVICE_NAME] = svc ? svc->name : a->service;
	values[FIELD_PROVIDER_NAME] = p ? p->name : a->provider;
	if (a->hold_until)
		values[FIELD_HOLD_UNTIL] = hold_until_text(s, a->hold_until, ctx);
}

static void fill_values(const struct appt_session *s, const struct draft *d,
			const struct client *c, const struct appointment *a, time_t last_visit,
			struct render_ctx *ctx, const char *values[FIELD_COUNT])
{
	const struct appt_config *cfg = s->cfg;
	size_t first = strcspn(c->name, " ");

	memset(values, 0, sizeof(*values) * FIELD_COUNT);
	ctx->first_name = xstrndup(c->name, first);
	values[FIELD_CLIENT_NAME] = c->name;
	values[FIELD_CLIENT_FIRST_NAME] = ctx->first_name;
	values[FIELD_BUSINESS_NAME] = cfg->business.name;
	values[FIELD_BUSINESS_PHONE] = cfg->business.phone;
	values[FIELD_BUSINESS_BOOKING_URL] = cfg->business.booking_url;
	values[FIELD_BUSINESS_ADDRESS] = cfg->business.address;
	values[FIELD_STAFF_NAME] = staff_name(s);
	if (a)
		fill_appointment(s, a, ctx, values);
	else if (d->service && config_service(cfg, d->service))
		values[FIELD_SERVICE_NAME] = config_service(cfg, d->service)->name;
	if (d->request_id) {
		snprintf(ctx->request, sizeof(ctx->request), "%lld", d->request_id);
		values[FIELD_REQUEST_ID] = ctx->request;
	}
	values[FIELD_INVOICE_NUMBER] = d->invoice_number;
	values[FIELD_INVOICE_TOTAL] = d->invoice_total;
	values[FIELD_INVOICE_TEXT] = d->invoice_text;
	if (last_visit) {
		when_strftime(last_visit, cfg->business.date_format, ctx->last_visit,
			      sizeof(ctx->last_visit));
		values[FIELD_LAST_VISIT_DATE] = ctx->last_visit;
	}
}

/* The start of the client's last done visit, for {{last_visit.date}}. */
static time_t last_done_visit(struct appt_session *s, long long client_id)
{
	struct stmt *st = db_prepare_cached(s->db,
		"SELECT max(start_at) FROM appointments WHERE client_id = ? AND status = 'done'");
	time_t at = 0;

	stmt_bind_int64(st, 1, client_id);
	if (stmt_step(st) == STORE_ROW)
		at = (time_t)stmt_column_int64(st, 0);
	stmt_reset(st);
	return at;
}

/*
 * {{appointment.url}}: a link of the message's own (token.h), minted only
 * when the template prints it, in the transaction that queues the message.
 */
static enum appt_status appointment_link(struct appt_session *s, const struct cfg_template *t,
					 long long appointment_id, struct render_ctx *ctx,
					 struct appt_err *err)
{
	char token[TOKEN_TEXT_SIZE];
	enum appt_status status;

	if (!s->cfg->serve.base_url || (!template_uses(t->subject, FIELD_APPOINTMENT_URL) &&
					!template_uses(t->body, FIELD_APPOINTMENT_URL)))
		return APPT_OK;
	status = token_mint_appointment(s->db, s->now, appointment_id, token, err);
	if (!status)
		ctx->url = xasprintf("%s/a/%s", s->cfg->serve.base_url, token);
	return status;
}

struct rendered {
	char *subject;
	char *body;
};

static enum appt_status render(struct appt_session *s, const struct draft *d,
			       const struct client *c, struct rendered *out,
			       struct appt_err *err)
{
	const struct cfg_template *t = d->template ? config_template(s->cfg, d->template) : NULL;
	struct appointment a = { 0 };
	struct render_ctx ctx = { 0 };
	const char *values[FIELD_COUNT];
	enum appt_status status = APPT_OK;

	memset(out, 0, sizeof(*out));
	if (!t)
		return APPT_OK;
	if (d->appointment_id)
		status = appointment_get(s->db, d->appointment_id, &a, err);
	if (!status && d->appointment_id)
		status = appointment_link(s, t, d->appointment_id, &ctx, err);
	if (status)
		goto out;
	fill_values(s, d, c, d->appointment_id ? &a : NULL,
		    d->last_visit ? d->last_visit : last_done_visit(s, c->id), &ctx, values);
	values[FIELD_APPOINTMENT_URL] = ctx.url;
	out->subject = t->subject ? template_render(t->subject, values) : NULL;
	out->body = template_render(t->body, values);
	free(ctx.first_name);
out:
	free(ctx.url);
	appointment_release(&a);
	return status;
}

/* The subject of an e-mail whose template has none (a text's, sent by e-mail). */
static char *email_subject(const struct appt_session *s)
{
	return xasprintf("A message from %s", s->cfg->business.name);
}

/* ---- queueing ---- */

/*
 * When a draft falls due: its own time moved into the sending window of
 * the channel it goes by (a call task: when the desk may make the call).
 */
static time_t send_time(const struct appt_session *s, const struct draft *d,
			const struct route *r)
{
	const struct cfg_window *w = config_send_window(s->cfg, r->channel);

	if (d->before_due)
		return window_send_before(w, d->due_at);
	if (d->follows)
		return window_close_of(w, d->due_at);
	return window_next_open(w, d->due_at);
}

static enum appt_status insert_message(struct appt_session *s, const struct draft *d,
				       const struct route *r, const struct rendered *text,
				       time_t due, long long *id, struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(s->db,
		"INSERT INTO messages (key, kind, name, client_id, appointment_id,"
		" program, channel, recipient, template, subject, body, status, assign, note,"
		" due_at, not_after, next_attempt_at, created_at, updated_at, cause_event,"
		" follows, attempt, request_id, invoice_id)"
		" VALUES (?1, ?2, ?3, ?4, nullif(?5, 0), ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
		" ?15, nullif(?16, 0), ?15, ?17, ?17, nullif(?18, 0), nullif(?19, 0), nullif(?20, 0),"
		" nullif(?21, 0), nullif(?22, 0))"
		" ON CONFLICT (key) DO NOTHING RETURNING id");
	int task = !strcmp(r->channel, "call");

	db_bind_text(st, 1, d->key);
	db_bind_text(st, 2, d->kind);
	db_bind_text(st, 3, d->name);
	stmt_bind_int64(st, 4, d->client_id);
	stmt_bind_int64(st, 5, d->appointment_id);
	db_bind_text(st, 6, d->program);
	db_bind_text(st, 7, r->channel);
	db_bind_text(st, 8, r->recipient);
	db_bind_text(st, 9, d->template);
	db_bind_text(st, 10, text->subject);
	db_bind_text(st, 11, text->body);
	db_bind_text(st, 12, message_status_name(d->skip ? MESSAGE_VOID : task ? MESSAGE_OPEN
									  : MESSAGE_PENDING));
	db_bind_text(st, 13, task ? d->assign : NULL);
	db_bind_text(st, 14, r->note ? r->note : d->note);
	stmt_bind_int64(st, 15, due);
	stmt_bind_int64(st, 16, d->not_after);
	stmt_bind_int64(st, 17, s->now);
	stmt_bind_int64(st, 18, d->cause_event);
	stmt_bind_int64(st, 19, d->follows);
	stmt_bind_int64(st, 20, d->skip ? 0 : d->attempt);
	stmt_bind_int64(st, 21, d->request_id);
	stmt_bind_int64(st, 22, d->invoice_id);
	return db_insert_id(s->db, st, id, "queuing a message", err);
}

static void count_queued(const struct draft *d, const struct route *r,
			 struct delivery_summary *sum)
{
	if (!sum)
		return;
	sum->queued++;
	if (d->skip)
		sum->skipped++;
	else if (!strcmp(r->channel, "call"))
		sum->tasks++;
}

enum appt_status outbox_queue(struct appt_session *s, const struct draft *d,
			      struct delivery_summary *sum, long long *id,
			      struct appt_err *err)
{
	struct client c;
	struct route r;
	struct rendered text = { 0 };
	time_t due;
	enum appt_status status = client_get(s->db, d->client_id, &c, err);

	*id = 0;
	if (status)
		return status;
	route_message(s->cfg, d->channel, &c, &r);
	due = send_time(s, d, &r);
	if (d->before_due && due > s->now)
		goto out;
	status = render(s, d, &c, &text, err);
	/* a text's template has no subject; sent as an e-mail instead, it needs one */
	if (!status && text.body && !text.subject && !strcmp(r.channel, "email"))
		text.subject = email_subject(s);
	if (!status)
		status = insert_message(s, d, &r, &text, due, id, err);
	if (!status && *id)
		count_queued(d, &r, sum);
out:
	free(text.subject);
	free(text.body);
	free(r.note);
	client_release(&c);
	return status;
}

const struct cfg_notice *outbox_notice_config(const struct appt_config *cfg,
					      const char *name)
{
	if (!strcmp(name, "booked"))
		return &cfg->notices.booked;
	if (!strcmp(name, "rescheduled"))
		return &cfg->notices.rescheduled;
	if (!strcmp(name, "cancelled"))
		return &cfg->notices.cancelled;
	if (!strcmp(name, "noshow"))
		return &cfg->notices.noshow;
	if (!strcmp(name, "blocked"))
		return &cfg->notices.blocked;
	if (!strcmp(name, "held"))
		return &cfg->notices.held;
	if (!strcmp(name, "expired"))
		return &cfg->notices.expired;
	if (!strcmp(name, "waitlist_offer"))
		return &cfg->notices.waitlist_offer;
	if (!strcmp(name, "request_received"))
		return &cfg->notices.request_received;
	if (!strcmp(name, "request_declined"))
		return &cfg->notices.request_declined;
	if (!strcmp(name, "invoice"))
		return &cfg->notices.invoice;
	return NULL;
}

enum appt_status outbox_queue_notice(struct appt_session *s, const char *notice,
				     long long appointment_id, long long cause_event,
				     const char *withheld, long long *id,
				     struct appt_err *err)
{
	const struct cfg_notice *n = outbox_notice_config(s->cfg, notice);
	struct appointment a;
	struct draft d = { 0 };
	enum appt_status status;

	*id = 0;
	if (!n || !n->set)
		return APPT_OK;
	status = appointment_get(s->db, appointment_id, &a, err);
	if (status)
		return status;
	d = (struct draft){
		.kind = "notice", .name = notice, .client_id = a.client_id,
		.appointment_id = a.id, .channel = n->channel, .template = n->template,
		.due_at = s->now, .cause_event = cause_event,
		.skip = withheld != NULL,
		.note = withheld ? xasprintf("not sent: %s", withheld) : NULL,
		/* start and move count make each booking, move and end its own message */
		.key = xasprintf("notice:%s:%lld:%lld:%d", notice, a.id, (long long)a.start,
				 a.reschedules),
	};
	status = outbox_queue(s, &d, NULL, id, err);
	if (withheld)
		*id = 0;
	draft_release(&d);
	appointment_release(&a);
	return status;
}

enum appt_status outbox_client_told(struct appt_session *s, long long appointment_id,
				    int *told, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"SELECT count(*) = 0 OR sum(status IN ('sent', 'sending', 'uncertain', 'open', 'closed')) > 0"
		" FROM messages WHERE appointment_id = ?1 AND kind = 'notice'"
		" AND name IN ('booked', 'rescheduled', 'held', 'waitlist_offer')");
	long long v = 1;
	enum appt_status status;

	stmt_bind_int64(st, 1, appointment_id);
	status = db_query_int(s->db, st, &v, "reading the outbox", err);
	*told = v != 0;
	return status;
}

enum appt_status outbox_void_appointment(struct appt_session *s,
					 long long appointment_id, long long event,
					 struct appt_err *err)
{
	return outbox_void_kind(s, appointment_id, NULL, event,
				"voided: the appointment was moved or ended", err);
}

enum appt_status outbox_void_kind(struct appt_session *s, long long appointment_id,
				  const char *kind, long long event, const char *why,
				  struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(s->db,
		"UPDATE messages SET status = 'void', updated_at = ?1, note = ?2,"
		" void_event = nullif(?5, 0)"
		" WHERE appointment_id = ?3 AND (?4 IS NULL OR kind = ?4)"
		" AND status IN ('pending', 'open')");

	stmt_bind_int64(st, 1, s->now);
	db_bind_text(st, 2, why);
	stmt_bind_int64(st, 3, appointment_id);
	db_bind_text(st, 4, kind);
	stmt_bind_int64(st, 5, event);
	return db_exec_stmt(s->db, st, "voiding old messages", err);
}

enum appt_status outbox_release_followers(struct appt_session *s, long long task_id,
					  int *released, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"UPDATE messages SET next_attempt_at = ?1, due_at = ?1, updated_at = ?1"
		" WHERE follows = ?2 AND status = 'pending' AND next_attempt_at > ?1");
	enum appt_status status;

	stmt_bind_int64(st, 1, s->now);
	stmt_bind_int64(st, 2, task_id);
	status = db_exec_stmt(s->db, st, "releasing the texts that follow a call", err);
	*released = status ? 0 : db_changes(s->db);
	return status;
}

/* A pending message, as outbox_reroute_stopped reads it. */
struct waiting_text {
	long long id;
	char *channel;
};

static enum appt_status read_waiting(struct appt_session *s, long long client_id,
				     struct waiting_text **out, size_t *nr,
				     struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"SELECT id, channel FROM messages WHERE client_id = ?1 AND status = 'pending'"
		" ORDER BY id");
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*nr = 0;
	stmt_bind_int64(st, 1, client_id);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		ALLOC_GROW(*out, *nr + 1, alloc);
		(*out)[(*nr)++] = (struct waiting_text){ stmt_column_int64(st, 0),
			db_column_strdup(st, 1) };
	}
	stmt_finalize(st);
	return rc == STORE_DONE ? APPT_OK : db_error(s->db, rc, "reading the outbox", err);
}

/* One waiting text sent the way a new one would go, with its audit event. */
static enum appt_status reroute_one(struct appt_session *s, const struct client *c,
				    const struct waiting_text *w, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"UPDATE messages SET channel = ?1, recipient = ?2, note = ?3, updated_at = ?4,"
		" status = CASE WHEN ?1 = 'call' THEN 'open' ELSE status END,"
		" subject = CASE WHEN ?1 = 'email' THEN coalesce(subject, ?6) ELSE subject END"
		" WHERE id = ?5 AND status = 'pending'");
	char *before = event_snapshot(s->db, "message", w->id);
	char *subject = email_subject(s);
	struct route r;
	enum appt_status status;

	route_message(s->cfg, w->channel, c, &r);
	db_bind_text(st, 6, subject);
	db_bind_text(st, 1, r.channel);
	db_bind_text(st, 2, r.recipient);
	db_bind_text(st, 3, r.note);
	stmt_bind_int64(st, 4, s->now);
	stmt_bind_int64(st, 5, w->id);
	status = db_exec_stmt(s->db, st, "sending a waiting text another way", err);
	if (!status)
		status = event_log_current(s->db, &(struct event){
			.at = s->now, .actor = s->actor, .entity = "message", .entity_id = w->id,
			.action = "reroute", .before = before, .reason = r.note }, err);
	free(before);
	free(subject);
	free(r.note);
	return status;
}

enum appt_status outbox_reroute_stopped(struct appt_session *s, long long client_id,
					int *moved, struct appt_err *err)
{
	struct waiting_text *waiting = NULL;
	struct client c;
	size_t nr = 0;
	enum appt_status status = client_get(s->db, client_id, &c, err);

	*moved = 0;
	if (!status && c.texts_stopped_at)
		status = read_waiting(s, client_id, &waiting, &nr, err);
	for (size_t i = 0; i < nr; i++) {
		const struct cfg_channel *ch = config_channel(s->cfg, waiting[i].channel);

		/* a channel no longer configured fails at delivery, and says so */
		if (!status && ch && texts_stopped(ch, &c)) {
			status = reroute_one(s, &c, &waiting[i], err);
			*moved += !status;
		}
		free(waiting[i].channel);
	}
	free(waiting);
	client_release(&c);
	return status;
}

enum appt_status outbox_rekey_client(struct appt_db *db, long long keep, long long other,
				     struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"UPDATE messages SET key = 'outreach:' || program || ':' || ?1"
		"   || substr(key, length('outreach:' || program || ':' || ?2) + 1)"
		" WHERE client_id = ?1 AND kind = 'outreach'"
		" AND substr(key, 1, length('outreach:' || program || ':' || ?2 || ':'))"
		"   = 'outreach:' || program || ':' || ?2 || ':'");

	stmt_bind_int64(st, 1, keep);
	stmt_bind_int64(st, 2, other);
	return db_exec_stmt(db, st, "renaming the merged client's outreach", err);
}

/* ---- what falls due: reminders, deadlines, follow-ups, outreach ---- */

/*
 * Runs a candidate query (?1 now, ?2 offset, ?3 name, ?4 how late it may
 * be) and queues a draft per row.
 */
static enum appt_status queue_each(struct appt_session *s, const char *sql, long offset,
				   long late, const char *name,
				   void (*make)(struct appt_session *s, struct stmt *row,
						const void *cfg_item, struct draft *d),
				   const void *cfg_item, struct delivery_summary *sum,
				   struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db, sql);
	enum appt_status status = APPT_OK;
	int rc;

	stmt_bind_int64(st, 1, s->now);
	stmt_bind_int64(st, 2, offset);
	db_bind_text(st, 3, name);
	stmt_bind_int64(st, 4, late);
	while (!status && (rc = stmt_step(st)) == STORE_ROW) {
		struct draft d = { 0 };
		long long id;

		make(s, st, cfg_item, &d);
		status = outbox_queue(s, &d, sum, &id, err);
		draft_release(&d);
	}
	stmt_finalize(st);
	if (!status && rc != STORE_DONE)
		status = db_error(s->db, rc, "finding what is due", err);
	return status;
}

/*
 * Reminders go to appointments still booked or confirmed whose reminder,
 * moved into the sending window before it, has come; that have not started;
 * and that were (re)placed well before it fell due: the confirmation of a
 * booking made less than a quarter of the reminder's lead before then has
 * just told the client (a 48-hour reminder an hour after the confirmation
 * would be noise).  Appointments are read as far ahead as the reminder's
 * lead and a closed window's reach.
 */
static const char reminder_sql[] =
	"SELECT a.id, a.client_id, a.start_at FROM appointments a"
	" WHERE a.start_at > ?1 AND a.start_at <= ?1 + ?2 + " WINDOW_REACH_SQL
	" AND a.status IN ('booked', 'confirmed') AND a.placed_at <= a.start_at - ?2 - ?2 / 4"
	" AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.key ="
	"   'reminder:' || ?3 || ':' || a.id || ':' || a.start_at)";

static void make_reminder(struct appt_session *s, struct stmt *row,
			  const void *item, struct draft *d)
{
	const struct cfg_timed_message *r = item;
	time_t start = (time_t)stmt_column_int64(row, 2);

	*d = (struct draft){
		.kind = "reminder", .name = r->name,
		.appointment_id = stmt_column_int64(row, 0),
		.client_id = stmt_column_int64(row, 1),
		.channel = r->channel, .template = r->template,
		.due_at = start - r->offset, .not_after = start, .before_due = 1,
		.key = xasprintf("reminder:%s:%lld:%lld", r->name,
				 stmt_column_int64(row, 0), (long long)start),
	};
}

/* Seed 001 §4: no confirmation by the deadline, so the desk calls. */
static const char deadline_sql[] =
	"SELECT a.id, a.client_id, a.start_at FROM appointments a"
	" WHERE a.start_at > ?1 AND a.start_at <= ?1 + ?2 + " WINDOW_REACH_SQL
	" AND a.status = 'booked' AND a.placed_at <= a.start_at - ?2"
	" AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.key ="
	"   'deadline:' || a.id || ':' || a.start_at)";

static void make_deadline(struct appt_session *s, struct stmt *row,
			  const void *item, struct draft *d)
{
	time_t start = (time_t)stmt_column_int64(row, 2);
	char before[32];

	when_format_duration(s->cfg->policies.confirmation.deadline, before, sizeof(before));
	*d = (struct draft){
		.kind = "deadline", .name = "confirmation",
		.appointment_id = stmt_column_int64(row, 0),
		.client_id = stmt_column_int64(row, 1),
		.channel = "call", .before_due = 1,
		.due_at = start - s->cfg->policies.confirmation.deadline, .not_after = start,
		.note = xasprintf("not confirmed %s before the appointment: call to confirm", before),
		.key = xasprintf("deadline:%lld:%lld", stmt_column_int64(row, 0), (long long)start),
	};
}

/*
 * Follow-ups count from the end of the visit: when it was marked done, or
 * its booked end when the desk closed it later (Saturday's visits marked
 * done on Monday thank nobody on Monday).  History brought in by an import
 * is never followed up, and a follow-up more than max_delay (?4) late is
 * not sent at all.  The key carries done_at, so a visit marked done again
 * after an undo gets its follow-ups afresh; the key of earlier releases,
 * without it, still counts.
 */
#define VISIT_END "min(a.done_at, a.end_at)"

static const char followup_sql[] =
	"SELECT a.id, a.client_id, " VISIT_END ", a.service, a.done_at FROM appointments a"
	" WHERE a.done_at > ?1 - ?2 - ?4 AND a.status = 'done' AND a.imported = 0"
	" AND " VISIT_END " <= ?1 - ?2 AND " VISIT_END " > ?1 - ?2 - ?4"
	" AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.key IN"
	"   ('followup:' || ?3 || ':' || a.id || ':' || a.done_at, 'followup:' || ?3 || ':' || a.id))";

/* A follow-up of this name already queued for the client on due's day: one a day is enough. */
static long long same_day_followup(struct appt_session *s, const char *name,
				   long long client_id, time_t due)
{
	struct stmt *st = db_prepare_cached(s->db,
		"SELECT id FROM messages WHERE client_id = ?1 AND kind = 'followup' AND name = ?2"
		" AND status <> 'void' AND due_at >= ?3 AND due_at < ?4 LIMIT 1");
	struct appt_date day;
	long long id = 0;

	when_to_local(due, &day, NULL, NULL);
	stmt_bind_int64(st, 1, client_id);
	db_bind_text(st, 2, name);
	stmt_bind_int64(st, 3, when_day_start(day));
	stmt_bind_int64(st, 4, when_day_start(date_add_days(day, 1)));
	db_query_int(s->db, st, &id, "reading the outbox", NULL);
	return id;
}

/* Why a follow-up is recorded as skipped rather than sent; NULL to send it. */
static char *followup_skip(struct appt_session *s, const struct cfg_timed_message *f,
			   const struct draft *d, const char *service)
{
	struct queued q = { "followup", f->name, d->client_id, d->appointment_id, NULL, 0 };
	struct strbuf why = STRBUF_INIT;
	long long twin;

	/* another service's visit: recorded so that it is not looked at again */
	if (f->service && strcmp(f->service, service))
		return xasprintf("skipped: %s follows %s visits only", f->name, f->service);
	int moot;

	if ((twin = same_day_followup(s, f->name, d->client_id, d->due_at)))
		return xasprintf("skipped: message #%lld already follows up that day", twin);
	if (!outbox_moot(s, &q, &moot, &why, NULL) && moot) {
		char *note = xasprintf("skipped: %s", why.buf);

		strbuf_release(&why);
		return note;
	}
	strbuf_release(&why);
	return NULL;
}

static void make_followup(struct appt_session *s, struct stmt *row,
			  const void *item, struct draft *d)
{
	const struct cfg_timed_message *f = item;
	time_t due = (time_t)stmt_column_int64(row, 2) + f->offset;

	*d = (struct draft){
		.kind = "followup", .name = f->name,
		.appointment_id = stmt_column_int64(row, 0),
		.client_id = stmt_column_int64(row, 1),
		.channel = f->channel, .template = f->template,
		.due_at = due, .not_after = due + f->max_delay,
		.key = xasprintf("followup:%s:%lld:%lld", f->name, stmt_column_int64(row, 0),
				 stmt_column_int64(row, 4)),
	};
	d->note = followup_skip(s, f, d, db_column_str(row, 3));
	d->skip = d->note != NULL;
}

static enum appt_status queue_timed(struct appt_session *s, const char *sql,
				    const struct cfg_timed_message *items, size_t nr,
				    void (*make)(struct appt_session *, struct stmt *,
						 const void *, struct draft *),
				    struct delivery_summary *sum, struct appt_err *err)
{
	enum appt_status status = APPT_OK;

	for (size_t i = 0; !status && i < nr; i++)
		status = queue_each(s, sql, items[i].offset, items[i].max_delay, items[i].name,
				    make, &items[i], sum, err);
	return status;
}

enum appt_status outbox_queue_due(struct appt_session *s, unsigned kinds,
				  struct delivery_summary *sum, struct appt_err *err)
{
	const struct appt_config *cfg = s->cfg;
	long deadline = cfg->policies.confirmation.deadline;
	enum appt_status status = APPT_OK;

	if (kinds & REMIND_REMINDERS)
		status = queue_timed(s, reminder_sql, cfg->reminders, cfg->nr_reminders,
				     make_reminder, sum, err);
	if (!status && (kinds & REMIND_DEADLINES) && deadline)
		status = queue_each(s, deadline_sql, deadline, 0, NULL, make_deadline, NULL,
				    sum, err);
	if (!status && (kinds & REMIND_FOLLOWUPS))
		status = queue_timed(s, followup_sql, cfg->followups, cfg->nr_followups,
				     make_followup, sum, err);
	if (!status && (kinds & REMIND_OUTREACH))
		status = outbox_queue_outreach(s, sum, err);
	return status;
}

/* ---- reading the outbox ---- */

static void read_message(struct stmt *st, struct message_row *m)
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

enum appt_status outbox_each(struct appt_db *db, const struct message_filter *f,
			     void (*fn)(const struct message_row *m, void *data),
			     void *data, struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"SELECT m.id, m.kind, m.name, m.client_id, c.name, m.appointment_id,"
		" m.channel, m.recipient, m.subject, m.body, m.status, m.assign, m.note,"
		" m.due_at, m.attempts, m.last_error, m.sent_at, m.created_at"
		" FROM messages m JOIN clients c ON c.id = m.client_id"
		" WHERE (?1 = 0 OR m.appointment_id = ?1) AND (?2 = 0 OR m.client_id = ?2)"
		" AND (?3 IS NULL OR m.status = ?3) AND (?4 IS NULL OR m.channel = ?4)"
		" AND m.created_at >= ?5 AND m.created_at < ?6 AND (?7 = 0 OR m.next_attempt_at < ?7)"
		" AND (?8 = 0 OR m.request_id = ?8)"
		" ORDER BY m.due_at, m.id");
	int rc;

	stmt_bind_int64(st, 1, f->appointment_id);
	stmt_bind_int64(st, 2, f->client_id);
	db_bind_text(st, 3, f->status);
	db_bind_text(st, 4, f->channel);
	stmt_bind_int64(st, 5, f->from ? f->from : INT64_MIN);
	stmt_bind_int64(st, 6, f->to ? f->to : INT64_MAX);
	stmt_bind_int64(st, 7, f->due_before);
	stmt_bind_int64(st, 8, f->request_id);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		struct message_row m;

		read_message(st, &m);
		fn(&m, data);
	}
	stmt_finalize(st);
	if (rc != STORE_DONE)
		return db_error(db, rc, "reading the outbox", err);
	return APPT_OK;
}
