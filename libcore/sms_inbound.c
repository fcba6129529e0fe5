#include "sms_inbound.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "appointment.h"
#include "booking.h"
#include "client.h"
#include "contact.h"
#include "outbox.h"
#include "phone.h"
#include "when.h"

/* ---- what the text says ---- */

enum sms_word { WORD_OTHER, WORD_CONFIRM, WORD_RESCHEDULE, WORD_STOP, WORD_START };

static const struct keyword {
	const char *word;
	enum sms_word means;
} keywords[] = {
	{ "C", WORD_CONFIRM }, { "Y", WORD_CONFIRM }, { "YES", WORD_CONFIRM },
	{ "CONFIRM", WORD_CONFIRM },
	{ "R", WORD_RESCHEDULE }, { "RESCHEDULE", WORD_RESCHEDULE },
	{ "STOP", WORD_STOP }, { "STOPALL", WORD_STOP }, { "UNSUBSCRIBE", WORD_STOP },
	{ "END", WORD_STOP }, { "QUIT", WORD_STOP },
	{ "START", WORD_START }, { "UNSTOP", WORD_START },
};

/* Around a word: white space, and what a phone's keyboard adds after one. */
#define SPACE " \t\r\n"
#define AFTER_WORD SPACE ".!?"

/* The body without the white space around it: [*start, *start + *len). */
static void trim(const char *body, const char *strip_after, const char **start, size_t *len)
{
	size_t n;

	body += strspn(body, SPACE);
	n = strlen(body);
	while (n && strchr(strip_after, body[n - 1]))
		n--;
	*start = body;
	*len = n;
}

static enum sms_word read_word(const char *body)
{
	const char *word;
	size_t len;

	trim(body, AFTER_WORD, &word, &len);
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strlen(keywords[i].word) == len && !strncasecmp(word, keywords[i].word, len))
			return keywords[i].means;
	return WORD_OTHER;
}

/* ---- who sent it ---- */

/* A phone has at least this many digits; fewer is a gateway's or a service's short code. */
#define SENDER_DIGITS_MIN 7

/*
 * What counts as the client's next appointment: one still to come that
 * is booked, confirmed, or held (a hold that has not lapsed).  ?2 is now.
 */
#define NEXT_STATES                                                          \
	" a.start_at > ?2 AND (a.status = 'booked' OR a.status = 'confirmed'" \
	" OR (a.status = 'held' AND a.hold_until > ?2))"

/* A live client with the number, and when their next appointment starts. */
struct holder {
	long long id;
	time_t next; /* 0: none */
};

/* Everything one text is about, read inside its transaction. */
struct inbound {
	struct appt_session *s;
	const char *from;
	const char *body;
	enum sms_word word;
	char key[PHONE_KEY_SIZE];
	struct holder *holders; /* lowest number first */
	size_t nr;
	struct client client;   /* the one the text is for */
	struct appointment next;/* their next appointment; id 0: none */
	struct sms_outcome *out;
	struct strbuf line;
};

static void inbound_release(struct inbound *in)
{
	free(in->holders);
	client_release(&in->client);
	appointment_release(&in->next);
	strbuf_release(&in->line);
}

static enum appt_status read_holders(struct inbound *in, struct appt_err *err)
{
	struct stmt *st = db_prepare(in->s->db,
		"SELECT c.id, (SELECT min(a.start_at) FROM appointments a"
		"  WHERE a.client_id = c.id AND" NEXT_STATES ")"
		" FROM clients c WHERE c.phone_key = ?1 AND c.merged_into IS NULL ORDER BY c.id");
	size_t alloc = 0;
	int rc;

	db_bind_text(st, 1, in->key);
	stmt_bind_int64(st, 2, in->s->now);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		ALLOC_GROW(in->holders, in->nr + 1, alloc);
		in->holders[in->nr++] = (struct holder){ stmt_column_int64(st, 0),
			(time_t)stmt_column_int64(st, 1) };
	}
	stmt_finalize(st);
	if (rc != STORE_DONE)
		return db_error(in->s->db, rc, "looking up the sender", err);
	if (!in->nr)
		return appt_fail(err, APPT_NOTFOUND, "no client has phone number %s", in->from);
	return APPT_OK;
}

/*
 * Of several clients sharing a number (a parent booking for children), the
 * text is most likely about the appointment that comes first; with none
 * booked, the oldest record is as good a guess as any, and the desk
 * sees which one it went on.
 */
static const struct holder *choose(const struct inbound *in)
{
	const struct holder *best = &in->holders[0];

	for (size_t i = 1; i < in->nr; i++)
		if (in->holders[i].next && (!best->next || in->holders[i].next < best->next))
			best = &in->holders[i];
	return best;
}

/*
 * The appointment a reply is about: a time held for the client first (a
 * waitlist offer or a hold asks "reply YES", and is the one waiting for
 * an answer), else the one that comes next.
 */
static enum appt_status read_next(struct inbound *in, struct appt_err *err)
{
	struct stmt *st = db_prepare(in->s->db,
		"SELECT a.id FROM appointments a WHERE a.client_id = ?1 AND" NEXT_STATES
		" ORDER BY CASE WHEN a.status = 'held' THEN 0 ELSE 1 END, a.start_at, a.id LIMIT 1");
	long long id = 0;
	enum appt_status status;

	stmt_bind_int64(st, 1, in->client.id);
	stmt_bind_int64(st, 2, in->s->now);
	status = db_query_int(in->s->db, st, &id, "reading the client's appointments", err);
	if (!status && id)
		status = appointment_get(in->s->db, id, &in->next, err);
	return status;
}

/*
 * A number no client has is someone the desk does not know yet (a new
 * client, a relative): a record is made for it, named by the number, so
 * that their text reaches the desk like any other and a STOP is kept.
 * The desk renames it, or merges it into the client it turns out to be.
 */
static enum appt_status add_sender(struct inbound *in, struct appt_err *err)
{
	char *name = xasprintf("Unknown (%s)", in->from);
	struct client_fields f = { .name = name, .phone = in->from, .allow_duplicate = 1 };
	long long id = 0;
	enum appt_status status = client_add(in->s->db, &f, in->s->actor, in->s->now, &id, err);

	free(name);
	if (status)
		return status;
	in->holders = xmalloc(sizeof(*in->holders));
	in->holders[0] = (struct holder){ id, 0 };
	in->nr = 1;
	in->out->new_client = 1;
	return APPT_OK;
}

static enum appt_status find_sender(struct inbound *in, struct appt_err *err)
{
	const struct holder *h;
	enum appt_status status = read_holders(in, err);

	if (status == APPT_NOTFOUND)
		status = add_sender(in, err);
	if (status)
		return status;
	h = choose(in);
	status = client_get(in->s->db, h->id, &in->client, err);
	if (!status)
		status = read_next(in, err);
	return status;
}

/* ", one of 2 clients with +15550001 (the soonest appointment)" */
static void say_chosen(struct inbound *in)
{
	if (in->nr < 2)
		return;
	strbuf_addf(&in->line, ", one of %zu clients with %s (%s)", in->nr, in->key,
		    in->next.id ? "the soonest appointment" : "none has an appointment: the lowest number");
}

/* ---- what is written ---- */

/* The text as the record keeps it: without the white space around it. */
static char *contact_text(const char *body)
{
	const char *start;
	size_t len;

	trim(body, SPACE, &start, &len);
	return len ? xstrndup(start, len) : xstrdup("(an empty text)");
}

static enum appt_status log_contact(struct inbound *in, long long client_id,
				    long long appointment_id, long long *id,
				    struct appt_err *err)
{
	char *text = contact_text(in->body);
	struct contact_result res;
	enum appt_status status = contact_log(in->s, &(struct contact_entry){
		.client_id = client_id, .appointment_id = appointment_id, .via = "sms",
		.text = text, .inbound = 1 }, &res, err);

	*id = res.id;
	free(text);
	return status;
}

/* A call list row is one line: the text's line ends become spaces. */
static char *task_note(const char *body, const char *why)
{
	char *text = contact_text(body);
	char *note;

	for (char *p = text; *p; p++)
		if (strchr("\t\r\n", *p))
			*p = ' ';
	note = why ? xasprintf("Text from the client: %s (%s)", text, why)
		   : xasprintf("Text from the client: %s", text);
	free(text);
	return note;
}

/* The call task that follows a contact, keyed by it: one task per text. */
static enum appt_status make_task(struct inbound *in, long long appointment_id,
				  const char *why, struct appt_err *err)
{
	char *note = task_note(in->body, why);
	char *key = xasprintf("sms:%lld", in->out->contact_id);
	enum appt_status status = outbox_queue_desk_call(in->s, &(struct desk_call){
		.client_id = in->client.id, .appointment_id = appointment_id, .name = "sms",
		.note = note, .key = key }, &in->out->task_id, err);

	free(note);
	free(key);
	return status;
}

/* Anything appt does not act on itself: on the record, and a person calls back. */
static enum appt_status for_desk(struct inbound *in, const char *why, struct appt_err *err)
{
	enum appt_status status = log_contact(in, in->client.id, 0, &in->out->contact_id, err);

	if (!status)
		status = make_task(in, 0, why, err);
	in->out->action = SMS_FOR_DESK;
	strbuf_addf(&in->line, "logged for the desk (call task #%lld) on %s's record",
		    in->out->task_id, in->client.name);
	say_chosen(in);
	if (why)
		strbuf_addf(&in->line, "; %s", why);
	return status;
}

static enum appt_status confirm(struct inbound *in, struct appt_err *err)
{
	const struct appointment *a = &in->next;
	enum appt_status status;
	char *why;

	if (!a->id)
		return for_desk(in, "nothing to confirm: no appointment to come", err);
	/* a second "yes" (or a reply to the reminder after confirming) needs no one */
	if (a->state == STATE_CONFIRMED) {
		status = log_contact(in, in->client.id, a->id, &in->out->contact_id, err);
		in->out->action = SMS_CONFIRMED;
		in->out->appointment_id = a->id;
		strbuf_addf(&in->line, "#%lld for %s was already confirmed: logged", a->id,
			    in->client.name);
		say_chosen(in);
		return status;
	}
	if (a->state != STATE_BOOKED && a->state != STATE_HELD) {
		why = xasprintf("nothing to confirm: #%lld is already %s", a->id,
				state_name(a->state));
		status = for_desk(in, why, err);
		free(why);
		return status;
	}
	status = appointment_set_state(in->s, a->id, STATE_CONFIRMED, "sms", 0, NULL,
				       &in->out->message_id, err);
	if (!status)
		status = log_contact(in, in->client.id, a->id, &in->out->contact_id, err);
	in->out->action = SMS_CONFIRMED;
	in->out->appointment_id = a->id;
	strbuf_addf(&in->line, "confirmed #%lld for %s", a->id, in->client.name);
	say_chosen(in);
	return status;
}

static enum appt_status reschedule(struct inbound *in, struct appt_err *err)
{
	const struct appointment *a = &in->next;
	enum appt_status status;
	char when[40], *why;

	if (!a->id)
		return for_desk(in, "asks to reschedule, but no appointment is to come", err);
	when_format_local(a->start, when, sizeof(when));
	why = xasprintf("call to reschedule #%lld, %s", a->id, when);
	status = log_contact(in, in->client.id, a->id, &in->out->contact_id, err);
	if (!status)
		status = make_task(in, a->id, why, err);
	in->out->action = SMS_RESCHEDULE;
	in->out->appointment_id = a->id;
	strbuf_addf(&in->line, "call task #%lld: reschedule #%lld for %s", in->out->task_id,
		    a->id, in->client.name);
	say_chosen(in);
	free(why);
	return status;
}

/*
 * STOP is about the number, not one record: every live client with it
 * stops getting texts (their waiting ones go another way), and each record
 * shows the text that did it.  START undoes it the same way.
 */
static enum appt_status stop_one(struct inbound *in, long long id, int stop, int *changed,
				 int *moved, struct appt_err *err)
{
	long long contact;
	enum appt_status status = client_set_texts_stopped(in->s->db, id, stop,
		stop ? "texted STOP" : "texted START", in->s->actor, in->s->now, changed, err);

	*moved = 0;
	if (!status && stop)
		status = outbox_reroute_stopped(in->s, id, moved, err);
	if (!status)
		status = log_contact(in, id, 0, &contact, err);
	if (!status && id == in->client.id)
		in->out->contact_id = contact;
	return status;
}

static enum appt_status set_texts(struct inbound *in, int stop, struct appt_err *err)
{
	enum appt_status status = APPT_OK;
	int changed = 0, moved = 0;

	for (size_t i = 0; !status && i < in->nr; i++) {
		int one_changed, one_moved;

		status = stop_one(in, in->holders[i].id, stop, &one_changed, &one_moved, err);
		changed += one_changed;
		moved += one_moved;
	}
	in->out->action = stop ? SMS_STOPPED : SMS_STARTED;
	strbuf_addf(&in->line, "texts %s for %s", stop ? "stopped" : "allowed again",
		    in->client.name);
	if (in->nr > 1)
		strbuf_addf(&in->line, " and %zu other client%s with %s", in->nr - 1,
			    in->nr > 2 ? "s" : "", in->key);
	if (!changed)
		strbuf_addf(&in->line, " (they already were)");
	if (moved)
		strbuf_addf(&in->line, "; %d waiting text%s sent another way", moved,
			    moved > 1 ? "s" : "");
	return status;
}

static enum appt_status act(struct inbound *in, struct appt_err *err)
{
	enum appt_status status = find_sender(in, err);

	if (status)
		return status;
	in->out->client_id = in->client.id;
	in->out->sharing = (int)in->nr;
	switch (in->word) {
	case WORD_CONFIRM:
		return confirm(in, err);
	case WORD_RESCHEDULE:
		return reschedule(in, err);
	case WORD_STOP:
		return set_texts(in, 1, err);
	case WORD_START:
		return set_texts(in, 0, err);
	case WORD_OTHER:
		break;
	}
	return for_desk(in, NULL, err);
}

/* ---- the entry point ---- */

/* What the gateway sent, checked before anything is read or written. */
static enum appt_status check_input(const char *from, const char *body, char *key,
				    struct appt_err *err)
{
	struct appt_err why = { "" };
	enum appt_status status;

	if (!from || !from[strspn(from, SPACE)])
		return appt_fail(err, APPT_DATAERR, "a text needs its sender's number (From)");
	if ((status = text_check("sender", from, 0, err)) ||
	    (status = text_check("text", body, 1, err)))
		return status;
	/* a short code or a name is no phone number: nobody to match */
	if (phone_key(from, phone_country_code(), key, &why))
		return appt_fail(err, APPT_NOTFOUND, "no client has phone number %s (%s)",
				 from, why.msg);
	/* nor is a service's short code (12345), which no one is given a record for */
	if (strlen(key) - 1 < SENDER_DIGITS_MIN)
		return appt_fail(err, APPT_NOTFOUND, "no client has phone number %s (a short"
				 " code, not a phone)", from);
	return APPT_OK;
}

enum appt_status sms_inbound(struct appt_session *s, const char *from, const char *body,
			     struct sms_outcome *out, struct appt_err *err)
{
	struct inbound in = { .s = s, .from = from, .body = body ? body : "", .out = out,
			      .line = STRBUF_INIT };
	enum appt_status status;

	memset(out, 0, sizeof(*out));
	status = check_input(from, in.body, in.key, err);
	if (!status)
		status = db_begin_write(s->db, err);
	if (status)
		return status;
	in.word = read_word(in.body);
	status = db_finish_write(s->db, act(&in, err), err);
	if (status) {
		memset(out, 0, sizeof(*out));
	} else {
		snprintf(out->line, sizeof(out->line), "%s", strbuf_str(&in.line));
	}
	inbound_release(&in);
	return status;
}
