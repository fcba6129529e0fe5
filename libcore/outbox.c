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
#include "outbox_priv.h"
#include "program.h"
#include "template.h"

/* A follow-up found this late (cron was down for a week) is not sent: 7 days. */
#define STALE_AFTER_SQL "604800"

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
};

static int is_email_channel(const struct cfg_channel *ch)
{
	return !strcmp(ch->name, "email") || ch->transport == TRANSPORT_SENDMAIL;
}

static const char *address_for(const struct cfg_channel *ch, const struct client *c)
{
	return is_email_channel(ch) ? c->email : c->phone;
}

/* The channel if it is configured and the client has an address for it. */
static int try_channel(const struct appt_config *cfg, const char *name,
		       const struct client *c, struct route *r)
{
	const struct cfg_channel *ch = config_channel(cfg, name);

	if (!ch || !address_for(ch, c))
		return 0;
	r->channel = ch->name;
	r->recipient = address_for(ch, c);
	return 1;
}

/*
 * "preferred" is the client's own channel.  A client without the address a
 * channel needs falls back to their other channel, else to a call task; the
 * note says which, so the desk can fix the record.
 */
static void route_message(const struct appt_config *cfg, const char *wanted,
			  const struct client *c, struct route *r)
{
	const char *name = strcmp(wanted, "preferred") ? wanted : c->channel;

	memset(r, 0, sizeof(*r));
	if (!strcmp(name, "call")) {
		r->channel = "call";
		r->recipient = c->phone;
		return;
	}
	if (try_channel(cfg, name, c, r))
		return;
	if ((strcmp(name, "email") && try_channel(cfg, "email", c, r)) ||
	    (strcmp(name, "sms") && try_channel(cfg, "sms", c, r))) {
		r->note = xasprintf("no address for %s: sent by %s instead", name, r->channel);
		return;
	}
	r->channel = "call";
	r->recipient = c->phone;
	r->note = xasprintf("no address for %s: call instead", name);
}

/* ---- rendering ---- */

struct render_ctx {
	char date[80], time[40], id[24], last_visit[80];
	char *first_name;
};

static const char *staff_name(const struct appt_session *s)
{
	const struct appt_config *cfg = s->cfg;

	for (size_t i = 0; i < cfg->staff_logins.nr; i++)
		if (!strcmp(cfg->staff_logins.items[i], s->actor))
			return cfg->staff_names.items[i];
	return cfg->business.signature ? cfg->business.signature : cfg->business.name;
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
}

static void fill_values(const struct appt_session *s, const struct client *c,
			const struct appointment *a, time_t last_visit,
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
	values[FIELD_STAFF_NAME] = staff_name(s);
	if (a)
		fill_appointment(s, a, ctx, values);
	if (last_visit) {
		when_strftime(last_visit, cfg->business.date_format, ctx->last_visit,
			      sizeof(ctx->last_visit));
		values[FIELD_LAST_VISIT_DATE] = ctx->last_visit;
	}
}

/* The start of the client's last done visit, for {{last_visit.date}}. */
static time_t last_done_visit(struct appt_session *s, long long client_id)
{
	sqlite3_stmt *st = db_prepare_cached(s->db,
		"SELECT max(start_at) FROM appointments WHERE client_id = ? AND status = 'done'");
	time_t at = 0;

	sqlite3_bind_int64(st, 1, client_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		at = (time_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return at;
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
	if (status)
		return status;
	fill_values(s, c, d->appointment_id ? &a : NULL,
		    d->last_visit ? d->last_visit : last_done_visit(s, c->id), &ctx, values);
	out->subject = t->subject ? template_render(t->subject, values) : NULL;
	out->body = template_render(t->body, values);
	free(ctx.first_name);
	appointment_release(&a);
	return APPT_OK;
}

/* ---- queueing ---- */

static enum appt_status insert_message(struct appt_session *s, const struct draft *d,
				       const struct route *r, const struct rendered *text,
				       long long *id, struct appt_err *err)
{
	sqlite3_stmt *st = db_prepare_cached(s->db,
		"INSERT OR IGNORE INTO messages (key, kind, name, client_id, appointment_id,"
		" program, channel, recipient, template, subject, body, status, assign, note,"
		" due_at, not_after, next_attempt_at, created_at, updated_at, cause_event)"
		" VALUES (?1, ?2, ?3, ?4, nullif(?5, 0), ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
		" ?15, nullif(?16, 0), ?15, ?17, ?17, nullif(?18, 0))");
	int task = !strcmp(r->channel, "call");
	int rc;

	db_bind_text(st, 1, d->key);
	db_bind_text(st, 2, d->kind);
	db_bind_text(st, 3, d->name);
	sqlite3_bind_int64(st, 4, d->client_id);
	sqlite3_bind_int64(st, 5, d->appointment_id);
	db_bind_text(st, 6, d->program);
	db_bind_text(st, 7, r->channel);
	db_bind_text(st, 8, r->recipient);
	db_bind_text(st, 9, d->template);
	db_bind_text(st, 10, text->subject);
	db_bind_text(st, 11, text->body);
	db_bind_text(st, 12, d->skip ? "void" : task ? "open" : "pending");
	db_bind_text(st, 13, task ? d->assign : NULL);
	db_bind_text(st, 14, r->note ? r->note : d->note);
	sqlite3_bind_int64(st, 15, d->due_at);
	sqlite3_bind_int64(st, 16, d->not_after);
	sqlite3_bind_int64(st, 17, s->now);
	sqlite3_bind_int64(st, 18, d->cause_event);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_error(s->db, rc, "queuing a message", err);
	*id = sqlite3_changes(s->db->handle) ? sqlite3_last_insert_rowid(s->db->handle) : 0;
	return APPT_OK;
}

enum appt_status outbox_queue(struct appt_session *s, const struct draft *d,
			      struct delivery_summary *sum, long long *id,
			      struct appt_err *err)
{
	struct client c;
	struct route r;
	struct rendered text = { 0 };
	enum appt_status status = client_get(s->db, d->client_id, &c, err);

	*id = 0;
	if (status)
		return status;
	route_message(s->cfg, d->channel, &c, &r);
	status = render(s, d, &c, &text, err);
	if (!status)
		status = insert_message(s, d, &r, &text, id, err);
	if (!status && *id && sum) {
		sum->queued++;
		if (d->skip)
			sum->skipped++;
		else if (!strcmp(r.channel, "call"))
			sum->tasks++;
	}
	free(text.subject);
	free(text.body);
	free(r.note);
	client_release(&c);
	return status;
}

static const struct cfg_notice *notice_config(const struct appt_config *cfg,
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
	return NULL;
}

enum appt_status outbox_queue_notice(struct appt_session *s, const char *notice,
				     long long appointment_id, long long cause_event,
				     long long *id, struct appt_err *err)
{
	const struct cfg_notice *n = notice_config(s->cfg, notice);
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
		/* start and move count make each booking, move and end its own message */
		.key = xasprintf("notice:%s:%lld:%lld:%d", notice, a.id, (long long)a.start,
				 a.reschedules),
	};
	status = outbox_queue(s, &d, NULL, id, err);
	draft_release(&d);
	appointment_release(&a);
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
	sqlite3_stmt *st = db_prepare_cached(s->db,
		"UPDATE messages SET status = 'void', updated_at = ?1, note = ?2,"
		" void_event = nullif(?5, 0)"
		" WHERE appointment_id = ?3 AND (?4 IS NULL OR kind = ?4)"
		" AND status IN ('pending', 'open')");

	sqlite3_bind_int64(st, 1, s->now);
	db_bind_text(st, 2, why);
	sqlite3_bind_int64(st, 3, appointment_id);
	db_bind_text(st, 4, kind);
	sqlite3_bind_int64(st, 5, event);
	return db_exec_stmt(s->db, st, "voiding old messages", err);
}

/* ---- what falls due: reminders, deadlines, follow-ups, outreach ---- */

/* Runs a candidate query (?1 now, ?2 offset, ?3 name) and queues a draft per row. */
static enum appt_status queue_each(struct appt_session *s, const char *sql, long offset,
				   const char *name,
				   void (*make)(struct appt_session *s, sqlite3_stmt *row,
						const void *cfg_item, struct draft *d),
				   const void *cfg_item, struct delivery_summary *sum,
				   struct appt_err *err)
{
	sqlite3_stmt *st = db_prepare(s->db, sql);
	enum appt_status status = APPT_OK;
	int rc;

	sqlite3_bind_int64(st, 1, s->now);
	sqlite3_bind_int64(st, 2, offset);
	db_bind_text(st, 3, name);
	while (!status && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct draft d = { 0 };
		long long id;

		make(s, st, cfg_item, &d);
		status = outbox_queue(s, &d, sum, &id, err);
		draft_release(&d);
	}
	sqlite3_finalize(st);
	if (!status && rc != SQLITE_DONE)
		status = db_error(s->db, rc, "finding what is due", err);
	return status;
}

/*
 * Reminders go to appointments still booked or confirmed whose reminder time
 * has come, that were not (re)placed after it (the confirmation covers
 * those), and that have not started.
 */
static const char reminder_sql[] =
	"SELECT a.id, a.client_id, a.start_at FROM appointments a"
	" WHERE a.start_at > ?1 AND a.start_at <= ?1 + ?2"
	" AND a.status IN ('booked', 'confirmed') AND a.placed_at <= a.start_at - ?2"
	" AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.key ="
	"   'reminder:' || ?3 || ':' || a.id || ':' || a.start_at)";

static void make_reminder(struct appt_session *s, sqlite3_stmt *row,
			  const void *item, struct draft *d)
{
	const struct cfg_timed_message *r = item;
	time_t start = (time_t)sqlite3_column_int64(row, 2);

	*d = (struct draft){
		.kind = "reminder", .name = r->name,
		.appointment_id = sqlite3_column_int64(row, 0),
		.client_id = sqlite3_column_int64(row, 1),
		.channel = r->channel, .template = r->template,
		.due_at = start - r->offset, .not_after = start,
		.key = xasprintf("reminder:%s:%lld:%lld", r->name,
				 sqlite3_column_int64(row, 0), (long long)start),
	};
}

/* Seed 001 §4: no confirmation by the deadline, so the desk calls. */
static const char deadline_sql[] =
	"SELECT a.id, a.client_id, a.start_at FROM appointments a"
	" WHERE a.start_at > ?1 AND a.start_at <= ?1 + ?2 AND a.status = 'booked'"
	" AND a.placed_at <= a.start_at - ?2"
	" AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.key ="
	"   'deadline:' || a.id || ':' || a.start_at)";

static void make_deadline(struct appt_session *s, sqlite3_stmt *row,
			  const void *item, struct draft *d)
{
	time_t start = (time_t)sqlite3_column_int64(row, 2);
	char before[32];

	when_format_duration(s->cfg->policies.confirmation.deadline, before, sizeof(before));
	*d = (struct draft){
		.kind = "deadline", .name = "confirmation",
		.appointment_id = sqlite3_column_int64(row, 0),
		.client_id = sqlite3_column_int64(row, 1),
		.channel = "call",
		.due_at = start - s->cfg->policies.confirmation.deadline, .not_after = start,
		.note = xasprintf("not confirmed %s before the appointment: call to confirm", before),
		.key = xasprintf("deadline:%lld:%lld", sqlite3_column_int64(row, 0), (long long)start),
	};
}

static const char followup_sql[] =
	"SELECT a.id, a.client_id, a.done_at, a.service FROM appointments a"
	" WHERE a.done_at <= ?1 - ?2 AND a.done_at > ?1 - ?2 - " STALE_AFTER_SQL
	" AND a.status = 'done'"
	" AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.key ="
	"   'followup:' || ?3 || ':' || a.id)";

static void make_followup(struct appt_session *s, sqlite3_stmt *row,
			  const void *item, struct draft *d)
{
	const struct cfg_timed_message *f = item;
	int wanted = !f->service || !strcmp(f->service, db_column_str(row, 3));

	*d = (struct draft){
		.kind = "followup", .name = f->name,
		.appointment_id = sqlite3_column_int64(row, 0),
		.client_id = sqlite3_column_int64(row, 1),
		.channel = f->channel, .template = f->template,
		.due_at = (time_t)sqlite3_column_int64(row, 2) + f->offset,
		/* another service's visit: recorded as skipped so it is not looked at again */
		.skip = !wanted,
		.key = xasprintf("followup:%s:%lld", f->name, sqlite3_column_int64(row, 0)),
	};
}

static enum appt_status queue_timed(struct appt_session *s, const char *sql,
				    const struct cfg_timed_message *items, size_t nr,
				    void (*make)(struct appt_session *, sqlite3_stmt *,
						 const void *, struct draft *),
				    struct delivery_summary *sum, struct appt_err *err)
{
	enum appt_status status = APPT_OK;

	for (size_t i = 0; !status && i < nr; i++)
		status = queue_each(s, sql, items[i].offset, items[i].name, make,
				    &items[i], sum, err);
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
		status = queue_each(s, deadline_sql, deadline, NULL, make_deadline, NULL,
				    sum, err);
	if (!status && (kinds & REMIND_FOLLOWUPS))
		status = queue_timed(s, followup_sql, cfg->followups, cfg->nr_followups,
				     make_followup, sum, err);
	if (!status && (kinds & REMIND_OUTREACH))
		status = outbox_queue_outreach(s, sum, err);
	return status;
}

/* ---- reading the outbox ---- */

static void read_message(sqlite3_stmt *st, struct message_row *m)
{
	*m = (struct message_row){
		.id = sqlite3_column_int64(st, 0),
		.kind = db_column_str(st, 1),
		.name = db_column_str(st, 2),
		.client_id = sqlite3_column_int64(st, 3),
		.client_name = db_column_str(st, 4),
		.appointment_id = sqlite3_column_int64(st, 5),
		.channel = db_column_str(st, 6),
		.recipient = (const char *)sqlite3_column_text(st, 7),
		.subject = (const char *)sqlite3_column_text(st, 8),
		.body = (const char *)sqlite3_column_text(st, 9),
		.status = db_column_str(st, 10),
		.assign = (const char *)sqlite3_column_text(st, 11),
		.note = (const char *)sqlite3_column_text(st, 12),
		.due_at = (time_t)sqlite3_column_int64(st, 13),
		.attempts = sqlite3_column_int(st, 14),
		.last_error = (const char *)sqlite3_column_text(st, 15),
		.sent_at = (time_t)sqlite3_column_int64(st, 16),
		.created_at = (time_t)sqlite3_column_int64(st, 17),
	};
}

enum appt_status outbox_each(struct appt_db *db, const struct message_filter *f,
			     void (*fn)(const struct message_row *m, void *data),
			     void *data, struct appt_err *err)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT m.id, m.kind, m.name, m.client_id, c.name, m.appointment_id,"
		" m.channel, m.recipient, m.subject, m.body, m.status, m.assign, m.note,"
		" m.due_at, m.attempts, m.last_error, m.sent_at, m.created_at"
		" FROM messages m JOIN clients c ON c.id = m.client_id"
		" WHERE (?1 = 0 OR m.appointment_id = ?1) AND (?2 = 0 OR m.client_id = ?2)"
		" AND (?3 IS NULL OR m.status = ?3) AND (?4 IS NULL OR m.channel = ?4)"
		" AND m.created_at >= ?5 AND m.created_at < ?6 AND (?7 = 0 OR m.next_attempt_at < ?7)"
		" ORDER BY m.due_at, m.id");
	int rc;

	sqlite3_bind_int64(st, 1, f->appointment_id);
	sqlite3_bind_int64(st, 2, f->client_id);
	db_bind_text(st, 3, f->status);
	db_bind_text(st, 4, f->channel);
	sqlite3_bind_int64(st, 5, f->from ? f->from : INT64_MIN);
	sqlite3_bind_int64(st, 6, f->to ? f->to : INT64_MAX);
	sqlite3_bind_int64(st, 7, f->due_before);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct message_row m;

		read_message(st, &m);
		fn(&m, data);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, rc, "reading the outbox", err);
	return APPT_OK;
}
