#include "contact.h"

#include <stdlib.h>
#include <string.h>

#include "appointment.h"
#include "client.h"
#include "event.h"
#include "outbox.h"
#include "program.h"
#include "via.h"

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

static int blank(const char *s)
{
	for (; s && *s; s++)
		if (!strchr(" \t\r\n", *s))
			return 0;
	return 1;
}

enum appt_status contact_check(const struct contact_entry *e, struct appt_err *err)
{
	static const char *const outcomes[] = {
		"reached", "voicemail", "no-answer", "other", NULL };
	const char *via;

	if (via_parse(e->via, VIA_FOR_LOG, &via, err))
		return APPT_DATAERR;
	if (e->outcome && !in_list(e->outcome, outcomes))
		return appt_fail(err, APPT_DATAERR,
				 "invalid contact outcome '%s' (expected reached, voicemail, no-answer or other)",
				 e->outcome);
	if (blank(e->text))
		return appt_fail(err, APPT_DATAERR, "a contact needs a text saying what happened");
	return text_check("contact text", e->text, 1, err);
}

/* appt log ID: the appointment names the client. */
static enum appt_status appointment_client(struct appt_db *db, long long id,
					   long long *client_id, struct appt_err *err)
{
	struct appointment a = { 0 };
	enum appt_status status = appointment_get(db, id, &a, err);

	if (!status)
		*client_id = a.client_id;
	appointment_release(&a);
	return status;
}

/* A caller naming both must name the same client: a note never lands on the wrong record. */
static enum appt_status check_appointment(struct appt_db *db, long long id,
					  const struct client *c, struct appt_err *err)
{
	struct appointment a = { 0 };
	enum appt_status status = appointment_get(db, id, &a, err);

	if (!status && a.client_id != c->id)
		status = appt_fail(err, APPT_REFUSED,
				   "appointment #%lld is %s's (client #%lld), not %s's",
				   id, a.client_name, a.client_id, c->name);
	appointment_release(&a);
	return status;
}

static enum appt_status check_task(const struct call_task *t, long long id,
				   const struct client *c, struct appt_err *err)
{
	char when[40];

	if (strcmp(t->channel, "call"))
		return appt_fail(err, APPT_REFUSED,
				 "message #%lld is not a call task (it is %s %s by %s)",
				 id, strchr("aeiou", t->kind[0]) ? "an" : "a", t->kind, t->channel);
	if (t->status == MESSAGE_CLOSED) {
		when_format_local(t->closed_at, when, sizeof(when));
		return appt_fail(err, APPT_REFUSED, "call task #%lld is already closed (by %s on %s)",
				 id, t->closed_by ? t->closed_by : "unknown", when);
	}
	if (t->status != MESSAGE_OPEN)
		return appt_fail(err, APPT_REFUSED, "call task #%lld is %s, not open%s", id,
				 message_status_name(t->status), t->status != MESSAGE_VOID ? "" :
				 " (its appointment was rescheduled or cancelled)");
	if (t->client_id != c->id)
		return appt_fail(err, APPT_REFUSED,
				 "call task #%lld is for %s (client #%lld), not %s",
				 id, t->client_name, t->client_id, c->name);
	return APPT_OK;
}

/*
 * Seed 004 step 3: an outbound contact with a client of a running program
 * with no visit booked is "No Appointment Booked, attempt N", with the date
 * of the last service.  A call on the cycle's own outreach task is the
 * attempt that task makes (its tries share the number); any other contact
 * is the next attempt.  What the client started is not an attempt.
 */
static enum appt_status number_attempt(struct appt_session *s, const struct contact_entry *e,
				       const struct call_task *t, const char **program,
				       struct contact_result *res, struct appt_err *err)
{
	struct program_status st;
	enum appt_status status;

	memset(&st, 0, sizeof(st));
	if (e->inbound)
		return APPT_OK;
	status = program_status(s, e->client_id, &st, err);
	if (status || !st.program || !st.last_visit_id || st.next_booked_id)
		return status;
	if (t && t->attempt && !strcmp(t->kind, "outreach") && t->created_at >= st.last_visit)
		res->attempt = t->attempt;
	else
		res->attempt = st.attempts + 1;
	res->last_visit = st.last_visit_date;
	*program = st.program->id;
	return APPT_OK;
}

static void bind_id_or_null(struct stmt *st, int idx, long long id)
{
	if (id)
		stmt_bind_int64(st, idx, id);
	else
		stmt_bind_null(st, idx);
}

static enum appt_status insert_contact(struct appt_session *s, const struct contact_entry *e,
				       const char *program, struct contact_result *res,
				       struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"INSERT INTO contacts (client_id, appointment_id, message_id, at, actor,"
		" via, outcome, program, attempt, last_visit, text, inbound)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	enum appt_status status;
	char day[16];

	stmt_bind_int64(st, 1, e->client_id);
	bind_id_or_null(st, 2, e->appointment_id);
	bind_id_or_null(st, 3, e->task_id);
	stmt_bind_int64(st, 4, s->now);
	db_bind_text(st, 5, s->actor);
	db_bind_text(st, 6, e->via);
	db_bind_text(st, 7, e->outcome);
	db_bind_text(st, 8, program);
	bind_id_or_null(st, 9, res->attempt);
	if (res->attempt)
		date_format_iso(res->last_visit, day, sizeof(day));
	db_bind_text(st, 10, res->attempt ? day : NULL);
	db_bind_text(st, 11, e->text);
	stmt_bind_int64(st, 12, e->inbound);
	status = db_insert_id(s->db, st, &res->id, "recording the contact", err);
	if (status)
		return status;
	res->client_id = e->client_id;
	return event_log_current(s->db, &(struct event){
		.at = s->now, .actor = s->actor, .entity = "contact",
		.entity_id = res->id, .action = "log" }, err);
}

/* A call on a task: counted, the task closed when done with, waiting texts released. */
static enum appt_status log_call(struct appt_session *s, const struct contact_entry *e,
				 const struct call_task *t, struct contact_result *res,
				 struct appt_err *err)
{
	enum appt_status status;

	res->task_closed = e->close || (e->outcome && !strcmp(e->outcome, "reached"));
	res->task_tries = t->tries + 1;
	status = outbox_count_call(s, e->task_id, e->text, res->task_closed, err);
	if (!status)
		status = outbox_release_followers(s, e->task_id, &res->released, err);
	return status;
}

/* The task must be an open call task of the client; its appointment is the contact's by default. */
static enum appt_status take_task(struct appt_db *db, struct contact_entry *e,
				  const struct client *c, struct call_task *t,
				  struct appt_err *err)
{
	enum appt_status status = outbox_call_task(db, e->task_id, t, err);

	if (!status)
		status = check_task(t, e->task_id, c, err);
	if (!status && !e->appointment_id)
		e->appointment_id = t->appointment_id;
	return status;
}

/* Every check and write of contact_log, inside its transaction. */
static enum appt_status log_in_transaction(struct appt_session *s, struct contact_entry *e,
					   struct contact_result *res, struct appt_err *err)
{
	struct call_task task = { 0 };
	struct client c = { 0 };
	const char *program = NULL;
	int client_given = e->client_id != 0;
	enum appt_status status = APPT_OK;

	if (!client_given)
		status = appointment_client(s->db, e->appointment_id, &e->client_id, err);
	if (!status)
		status = client_get(s->db, e->client_id, &c, err);
	if (!status && client_given && e->appointment_id)
		status = check_appointment(s->db, e->appointment_id, &c, err);
	if (!status && e->task_id)
		status = take_task(s->db, e, &c, &task, err);
	if (!status)
		status = number_attempt(s, e, e->task_id ? &task : NULL, &program, res, err);
	if (!status && e->task_id)
		status = log_call(s, e, &task, res, err);
	if (!status)
		status = insert_contact(s, e, program, res, err);
	call_task_release(&task);
	client_release(&c);
	return status;
}

enum appt_status contact_log(struct appt_session *s, const struct contact_entry *e,
			     struct contact_result *res, struct appt_err *err)
{
	struct contact_entry entry = *e;
	enum appt_status status;

	memset(res, 0, sizeof(*res));
	status = contact_check(e, err);
	if (!status) /* checked: the stored word is the canonical one ("phone": call) */
		via_parse(e->via, VIA_FOR_LOG, &entry.via, err);
	if (!status && !e->client_id && !e->appointment_id)
		status = appt_fail(err, APPT_USAGE, "a contact needs a client or an appointment");
	if (!status)
		status = db_begin_write(s->db, err);
	if (status)
		return status;
	status = db_finish_write(s->db, log_in_transaction(s, &entry, res, err), err);
	if (status)
		memset(res, 0, sizeof(*res));
	return status;
}

enum appt_status contact_each(struct appt_db *db, long long client_id,
			      time_t from, time_t to,
			      void (*fn)(const struct contact_row *c, void *data),
			      void *data, struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"SELECT k.id, k.client_id, c.name, k.appointment_id, k.message_id, k.at,"
		" k.actor, k.via, k.outcome, k.attempt, k.last_visit, k.text"
		" FROM contacts k JOIN clients c ON c.id = k.client_id"
		" WHERE (?1 = 0 OR k.client_id = ?1) AND (?2 = 0 OR k.at >= ?2)"
		" AND (?3 = 0 OR k.at < ?3) ORDER BY k.at, k.id");
	int rc;

	stmt_bind_int64(st, 1, client_id);
	stmt_bind_int64(st, 2, from);
	stmt_bind_int64(st, 3, to);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		struct contact_row row = {
			.id = stmt_column_int64(st, 0),
			.client_id = stmt_column_int64(st, 1),
			.client_name = db_column_str(st, 2),
			.appointment_id = stmt_column_int64(st, 3),
			.message_id = stmt_column_int64(st, 4),
			.at = (time_t)stmt_column_int64(st, 5),
			.actor = db_column_str(st, 6),
			.via = db_column_str(st, 7),
			.outcome = stmt_column_text(st, 8),
			.attempt = stmt_column_int(st, 9),
			.last_visit = stmt_column_text(st, 10),
			.text = db_column_str(st, 11),
		};
		fn(&row, data);
	}
	stmt_finalize(st);
	if (rc != STORE_DONE)
		return db_error(db, rc, "reading the contact log", err);
	return APPT_OK;
}
