/*
 * The sending half of the outbox.  One message at a time: it is claimed
 * (status 'sending', committed), marked as handed over just before its
 * transport runs, sent, and its result written in the transaction that
 * claims the next.  Two processes can never both claim one row, so nothing
 * is sent twice; a run that dies leaves at most one row behind, which the
 * next run puts back in the queue when it never reached the transport, and
 * reports as uncertain when it did.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "outbox_priv.h"
#include "transport.h"
#include "window.h"

/* A claim this old is uncertain even if its process id was reused. */
#define CLAIM_STALE 600

struct claimed {
	long long id;
	char *key, *kind, *name, *channel, *recipient, *subject, *body, *to_name, *program;
	long long client_id, appointment_id;
	int texts_stopped; /* the client texted STOP */
	int attempts; /* this one included */
	time_t not_after;
	/* the outcome, written back after sending */
	enum { OUTCOME_SENT, OUTCOME_FAILED } outcome;
	char error[APPT_ERR_MAX];
};

static void claimed_release(struct claimed *m)
{
	free(m->key);
	free(m->kind);
	free(m->name);
	free(m->channel);
	free(m->recipient);
	free(m->subject);
	free(m->body);
	free(m->to_name);
	free(m->program);
	memset(m, 0, sizeof(*m));
}

static void say(const struct remind_options *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(const struct remind_options *o, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (!o || !o->report)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	o->report(sb.buf, o->data);
	strbuf_release(&sb);
}

static int dry(const struct remind_options *o)
{
	return o && o->dry_run;
}

static int stop_asked(const struct remind_options *o)
{
	return o && o->stop && *o->stop;
}

/*
 * The kernel's id of this boot.  A claim made in another boot may have
 * reached its transport whatever the database says: the mark that says it
 * had not is written without waiting for the disk.
 */
static const char *boot_id(void)
{
	static char id[64];
	FILE *fp;

	if (id[0])
		return id;
	fp = fopen("/proc/sys/kernel/random/boot_id", "re");
	if (!fp || !fgets(id, sizeof(id), fp))
		snprintf(id, sizeof(id), "unknown");
	if (fp)
		fclose(fp);
	id[strcspn(id, "\n")] = '\0';
	return id;
}

/* ---- choosing the next message ---- */

static const char claim_select[] =
	"SELECT m.id, m.key, m.kind, m.name, m.channel, m.recipient, m.subject, m.body,"
	" c.name, m.client_id, m.appointment_id, m.attempts, m.not_after, m.program,"
	" c.texts_stopped_at IS NOT NULL"
	" FROM messages m JOIN clients c ON c.id = m.client_id"
	" WHERE m.status = 'pending' AND m.next_attempt_at <= ?1 AND (?2 = 0 OR m.id = ?2)"
	" ORDER BY m.next_attempt_at, m.id LIMIT 1";

static void read_claimed(struct stmt *st, struct claimed *m)
{
	*m = (struct claimed){
		.id = stmt_column_int64(st, 0),
		.key = db_column_strdup(st, 1),
		.kind = db_column_strdup(st, 2),
		.name = db_column_strdup(st, 3),
		.channel = db_column_strdup(st, 4),
		.recipient = db_column_strdup(st, 5),
		.subject = db_column_strdup(st, 6),
		.body = db_column_strdup(st, 7),
		.to_name = db_column_strdup(st, 8),
		.client_id = stmt_column_int64(st, 9),
		.appointment_id = stmt_column_int64(st, 10),
		.attempts = stmt_column_int(st, 11) + 1,
		.not_after = (time_t)stmt_column_int64(st, 12),
		.program = db_column_strdup(st, 13),
		.texts_stopped = stmt_column_int(st, 14),
	};
}

static const char *too_late_why(const char *kind)
{
	if (!strcmp(kind, "followup"))
		return "more than its max_delay after it fell due";
	if (!strcmp(kind, "reminder") || !strcmp(kind, "deadline"))
		return "the appointment has started";
	return "its time has passed";
}

/* Records a pending message as deliberately not sent. */
static enum appt_status skip_message(struct appt_session *s, const struct claimed *m,
				     const char *why, const struct remind_options *o,
				     struct delivery_summary *sum, struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(s->db,
		"UPDATE messages SET status = 'void', note = ?1, updated_at = ?2 WHERE id = ?3");
	char *note = xasprintf("skipped: %s", why);
	enum appt_status status;

	db_bind_text(st, 1, note);
	stmt_bind_int64(st, 2, s->now);
	stmt_bind_int64(st, 3, m->id);
	status = db_exec_stmt(s->db, st, "skipping a message", err);
	free(note);
	sum->skipped++;
	say(o, "%s #%lld %s %s: %s", dry(o) ? "would skip" : "skipped", m->id, m->kind,
	    m->name, why);
	return status;
}

/* A message whose channel's window is closed waits for its opening. */
static enum appt_status defer_message(struct appt_session *s, const struct claimed *m,
				      time_t next, const struct remind_options *o,
				      struct delivery_summary *sum, struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(s->db,
		"UPDATE messages SET next_attempt_at = ?1, updated_at = ?2 WHERE id = ?3");
	char when[40];

	stmt_bind_int64(st, 1, next);
	stmt_bind_int64(st, 2, s->now);
	stmt_bind_int64(st, 3, m->id);
	sum->deferred++;
	when_format_local(next, when, sizeof(when));
	say(o, "%s #%lld %s %s until %s: outside the %s sending window",
	    dry(o) ? "would hold" : "held", m->id, m->kind, m->name, when, m->channel);
	return db_exec_stmt(s->db, st, "holding a message for its window", err);
}

static enum appt_status mark_claimed(struct appt_session *s, const struct claimed *m,
				     struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(s->db,
		"UPDATE messages SET status = 'sending', claimed_by = ?1, claimed_at = ?2,"
		" claim_boot = ?3, handed_at = NULL, updated_at = ?2 WHERE id = ?4");

	stmt_bind_int64(st, 1, (long long)getpid());
	stmt_bind_int64(st, 2, s->now);
	db_bind_text(st, 3, boot_id());
	stmt_bind_int64(st, 4, m->id);
	return db_exec_stmt(s->db, st, "claiming a message", err);
}

enum verdict { SEND, SKIPPED, HELD };

/*
 * A text that was waiting when its client texted STOP, or that appt undo
 * brought back since, goes the way a new one would (outbox.c): by e-mail,
 * which the next claim picks up, else as a call task.
 */
static enum appt_status reroute_stopped(struct appt_session *s, const struct claimed *m,
					const struct remind_options *o, struct appt_err *err)
{
	int moved;

	say(o, "%s #%lld %s %s: the client's texts are stopped (STOP)",
	    dry(o) ? "would reroute" : "rerouted", m->id, m->kind, m->name);
	return outbox_reroute_stopped(s, m->client_id, &moved, err);
}

/*
 * Whether a due message goes now: not when its time has passed, when the
 * client's situation made it moot, or when its channel's window is closed;
 * nor as a text to a client who texted STOP, which goes another way.
 */
static enum appt_status judge(struct appt_session *s, const struct claimed *m,
			      const struct remind_options *o, struct delivery_summary *sum,
			      enum verdict *v, struct appt_err *err)
{
	const struct cfg_window *w = config_send_window(s->cfg, m->channel);
	struct queued q = { m->kind, m->name, m->client_id, m->appointment_id, m->program, 0 };
	struct strbuf why = STRBUF_INIT;
	enum appt_status status;
	time_t next;
	int moot;

	*v = SKIPPED;
	if (m->texts_stopped && outbox_is_text_channel(s->cfg, m->channel))
		return reroute_stopped(s, m, o, err);
	if (m->not_after && s->now >= m->not_after)
		return skip_message(s, m, too_late_why(m->kind), o, sum, err);
	status = outbox_moot(s, &q, &moot, &why, err);
	if (!status && moot)
		status = skip_message(s, m, why.buf, o, sum, err);
	strbuf_release(&why);
	if (status || moot)
		return status;
	next = window_next_open(w, s->now);
	*v = next > s->now ? HELD : SEND;
	if (*v == SEND)
		return APPT_OK;
	if (m->not_after && next >= m->not_after) {
		*v = SKIPPED;
		return skip_message(s, m, "its sending window opens only after its time",
				    o, sum, err);
	}
	return defer_message(s, m, next, o, sum, err);
}

/*
 * Inside the caller's write transaction: the next due message (only_id:
 * that one) that is to go now, claimed.  *found is 0 when none is left.
 */
static enum appt_status claim_next(struct appt_session *s, long long only_id,
				   const struct remind_options *o, struct delivery_summary *sum,
				   struct claimed *m, int *found, struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(s->db, claim_select);
	enum appt_status status = APPT_OK;
	enum verdict v = SKIPPED;
	int rc;

	*found = 0;
	while (!status && v != SEND) {
		stmt_bind_int64(st, 1, s->now);
		stmt_bind_int64(st, 2, only_id);
		rc = stmt_step(st);
		if (rc == STORE_ROW)
			read_claimed(st, m);
		stmt_reset(st);
		if (rc == STORE_DONE)
			return APPT_OK;
		if (rc != STORE_ROW)
			return db_error(s->db, rc, "reading the outbox", err);
		status = judge(s, m, o, sum, &v, err);
		if (v != SEND)
			claimed_release(m);
	}
	if (!status)
		status = mark_claimed(s, m, err);
	*found = !status;
	if (status && v == SEND)
		claimed_release(m);
	return status;
}

/* ---- handing over, sending and recording ---- */

/*
 * The mark that the message reached its transport.  It only has to
 * survive this process dying, not the machine (a claim from another boot
 * counts as handed over whatever the mark says), so it is committed
 * without waiting for the disk: one write, not one fsync, per message.
 */
static enum appt_status mark_handed(struct appt_session *s, const struct claimed *m,
				    struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(s->db,
		"UPDATE messages SET handed_at = ?1 WHERE id = ?2 AND status = 'sending'");
	enum appt_status status;

	db_durable(s->db, 0);
	stmt_bind_int64(st, 1, s->now);
	stmt_bind_int64(st, 2, m->id);
	status = db_exec_stmt(s->db, st, "handing a message over", err);
	db_durable(s->db, 1);
	return status;
}

/* A claim given back unsent (the run was asked to stop): pending again. */
static enum appt_status release_claim(struct appt_session *s, const struct claimed *m,
				      struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(s->db,
		"UPDATE messages SET status = 'pending', claimed_by = NULL, claimed_at = NULL,"
		" claim_boot = NULL, updated_at = ?1 WHERE id = ?2 AND status = 'sending'");

	stmt_bind_int64(st, 1, s->now);
	stmt_bind_int64(st, 2, m->id);
	return db_exec_stmt(s->db, st, "giving a message back", err);
}

static void send_one(struct appt_session *s, struct claimed *m)
{
	const struct cfg_channel *ch = config_channel(s->cfg, m->channel);
	struct appt_err err = { "" };
	struct outgoing out = {
		.id = m->id, .key = m->key, .kind = m->kind, .channel = m->channel,
		.to = m->recipient, .to_name = m->to_name, .subject = m->subject,
		.body = m->body ? m->body : "", .client_id = m->client_id,
		.appointment_id = m->appointment_id,
	};

	if (!ch) {
		m->outcome = OUTCOME_FAILED;
		snprintf(m->error, sizeof(m->error), "channel '%s' is no longer configured",
			 m->channel);
		return;
	}
	m->outcome = transport_send(s->cfg, ch, &out, s->now, &err) ? OUTCOME_FAILED
								       : OUTCOME_SENT;
	if (m->outcome == OUTCOME_FAILED)
		snprintf(m->error, sizeof(m->error), "%s", err.msg);
}

static const char record_sql[] =
	"UPDATE messages SET status = ?1, sent_at = ?2, next_attempt_at = ?3,"
	" last_error = ?4, attempts = ?5, updated_at = ?6, claimed_by = NULL"
	" WHERE id = ?7 AND status = 'sending'";

/* Retries back off: backoff, then twice that, and so on, up to max_attempts. */
static time_t retry_at(const struct appt_session *s, int attempts)
{
	long delay = s->cfg->delivery.backoff;

	for (int i = 1; i < attempts && delay < 7 * 86400L; i++)
		delay *= 2;
	return s->now + delay;
}

static enum appt_status record_one(struct appt_session *s, const struct claimed *m,
				   const struct remind_options *o,
				   struct delivery_summary *sum, struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(s->db, record_sql);
	int failed = m->outcome == OUTCOME_FAILED;
	int give_up = failed && m->attempts >= s->cfg->delivery.max_attempts;

	if (failed) {
		sum->failed++;
		sum->gave_up += give_up;
		say(o, "%s #%lld %s %s to %s: %s", give_up ? "failed (giving up)" : "failed",
		    m->id, m->kind, m->name, m->recipient ? m->recipient : "-", m->error);
	} else {
		sum->sent++;
		say(o, "sent #%lld %s %s by %s to %s", m->id, m->kind, m->name, m->channel,
		    m->recipient ? m->recipient : "-");
	}
	db_bind_text(st, 1, message_status_name(give_up ? MESSAGE_FAILED : failed ? MESSAGE_PENDING
									   : MESSAGE_SENT));
	if (!failed)
		stmt_bind_int64(st, 2, s->now);
	stmt_bind_int64(st, 3, failed ? retry_at(s, m->attempts) : s->now);
	db_bind_text(st, 4, failed ? m->error : NULL);
	stmt_bind_int64(st, 5, m->attempts);
	stmt_bind_int64(st, 6, s->now);
	stmt_bind_int64(st, 7, m->id);
	return db_exec_stmt(s->db, st, "recording a delivery", err);
}

/*
 * One transaction records the message just sent and claims the next, so a
 * message costs one durable commit.  *found says whether one was claimed.
 */
static enum appt_status record_and_claim(struct appt_session *s, struct claimed *done,
					 long long only_id, const struct remind_options *o,
					 struct delivery_summary *sum, struct claimed *next,
					 int *found, struct appt_err *err)
{
	enum appt_status status = db_begin_write(s->db, err);

	*found = 0;
	if (status)
		return status;
	if (done->id)
		status = record_one(s, done, o, sum, err);
	if (!status && !stop_asked(o) && !(only_id && done->id))
		status = claim_next(s, only_id, o, sum, next, found, err);
	status = db_finish_write(s->db, status, err);
	if (status && *found)
		claimed_release(next);
	*found = *found && !status;
	return status;
}

/* Hands the claimed message to its transport, unless the run was asked to stop. */
static enum appt_status hand_over(struct appt_session *s, struct claimed *m,
				  const struct remind_options *o, int *sent,
				  struct appt_err *err)
{
	*sent = 0;
	if (stop_asked(o))
		return release_claim(s, m, err);
	if (mark_handed(s, m, err))
		return APPT_IOERR;
	send_one(s, m);
	*sent = 1;
	return APPT_OK;
}

/* Claims, sends and records until nothing due is left (or only_id is done). */
static enum appt_status deliver_pending(struct appt_session *s, long long only_id,
					const struct remind_options *o,
					struct delivery_summary *sum, struct appt_err *err)
{
	struct claimed done = { 0 }, next;
	enum appt_status status;
	int found, sent;

	for (;;) {
		status = record_and_claim(s, &done, only_id, o, sum, &next, &found, err);
		claimed_release(&done);
		if (status || !found)
			break;
		done = next;
		status = hand_over(s, &done, o, &sent, err);
		if (status || !sent)
			break;
	}
	claimed_release(&done);
	return status;
}

/* A message left pending for later: *until is when it may go (0: it is due now). */
static time_t held_until(struct appt_session *s, long long id)
{
	struct stmt *st = db_prepare_cached(s->db,
		"SELECT next_attempt_at FROM messages WHERE id = ?1 AND status = 'pending'"
		" AND next_attempt_at > ?2");
	long long until = 0;

	stmt_bind_int64(st, 1, id);
	stmt_bind_int64(st, 2, s->now);
	db_query_int(s->db, st, &until, "reading the outbox", NULL);
	return (time_t)until;
}

enum appt_status outbox_deliver_now(struct appt_session *s, long long id,
				    struct delivery_summary *sum,
				    struct appt_err *err)
{
	enum appt_status status;

	memset(sum, 0, sizeof(*sum));
	status = deliver_pending(s, id, NULL, sum, err);
	if (!status && !sum->failed && (sum->held_until = held_until(s, id)))
		sum->deferred = 1;
	return status;
}

enum appt_status outbox_deliver_followers(struct appt_session *s, long long task_id,
					  struct delivery_summary *sum,
					  struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"SELECT id FROM messages WHERE follows = ?1 AND status = 'pending' ORDER BY id");
	enum appt_status status = APPT_OK;
	long long *ids = NULL;
	size_t nr = 0, alloc = 0;

	memset(sum, 0, sizeof(*sum));
	stmt_bind_int64(st, 1, task_id);
	while (stmt_step(st) == STORE_ROW) {
		ALLOC_GROW(ids, nr + 1, alloc);
		ids[nr++] = stmt_column_int64(st, 0);
	}
	stmt_finalize(st);
	for (size_t i = 0; !status && i < nr; i++)
		status = deliver_pending(s, ids[i], NULL, sum, err);
	free(ids);
	return status;
}

/* ---- uncertain messages ---- */

static int claimer_gone(const struct appt_session *s, long long pid, time_t claimed_at)
{
	if (s->now - claimed_at > CLAIM_STALE)
		return 1;
	return pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH);
}

/*
 * Whether this run was asked to send message id again by its number
 * (--retry-uncertain=ID): a bare --retry-uncertain is for the messages a
 * human has looked at, not for one this very run finds uncertain.
 */
static int retried(const struct remind_options *o, long long id)
{
	return o && o->retry_uncertain && o->retry_id == id;
}

/*
 * A row still 'sending' whose process is gone: if it never reached its
 * transport in this boot, nobody saw it and it goes back in the queue;
 * otherwise it may or may not have been delivered, and it becomes
 * 'uncertain', waiting for a human's --retry-uncertain rather than risk a
 * second copy.
 */
static enum appt_status settle_dead_claims(struct appt_session *s, const struct remind_options *o,
					   struct delivery_summary *sum, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"SELECT id, claimed_by, claimed_at, kind, name,"
		" handed_at IS NULL AND claim_boot IS NOT DISTINCT FROM ?1 FROM messages WHERE status = 'sending'");
	struct stmt *mark = db_prepare(s->db,
		"UPDATE messages SET status = CASE WHEN ?3 <> 0 THEN 'pending' ELSE 'uncertain' END,"
		" claimed_by = NULL, updated_at = ?1,"
		" note = CASE WHEN ?3 <> 0 THEN note ELSE 'the run sending it stopped: delivery unknown' END"
		" WHERE id = ?2");
	enum appt_status status = APPT_OK;
	int rc;

	db_bind_text(st, 1, boot_id());
	while (!status && (rc = stmt_step(st)) == STORE_ROW) {
		int unsent = stmt_column_int(st, 5);

		if (!claimer_gone(s, stmt_column_int64(st, 1),
				  (time_t)stmt_column_int64(st, 2)))
			continue;
		stmt_bind_int64(mark, 1, s->now);
		stmt_bind_int64(mark, 2, stmt_column_int64(st, 0));
		stmt_bind_int64(mark, 3, unsent);
		if ((rc = stmt_step(mark)) != STORE_DONE)
			status = db_error(s->db, rc, "settling a claim", err);
		stmt_reset(mark);
		if (unsent) {
			sum->released++;
			say(o, "released #%lld %s %s: a run stopped before sending it; queued again",
			    stmt_column_int64(st, 0), db_column_str(st, 3), db_column_str(st, 4));
			continue;
		}
		if (retried(o, stmt_column_int64(st, 0)))
			continue;
		say(o, "uncertain #%lld %s %s: a run died while sending it; check, then"
		    " 'appt remind --retry-uncertain' to send it again",
		    stmt_column_int64(st, 0), db_column_str(st, 3), db_column_str(st, 4));
		sum->uncertain++;
	}
	stmt_finalize(st);
	stmt_finalize(mark);
	return status;
}

static enum appt_status retry_uncertain(struct appt_session *s, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"UPDATE messages SET status = 'pending', next_attempt_at = ?1, updated_at = ?1,"
		" note = 'sent again by --retry-uncertain' WHERE status = 'uncertain'");

	stmt_bind_int64(st, 1, s->now);
	return db_exec_stmt(s->db, st, "retrying uncertain messages", err);
}

static enum appt_status settle(struct appt_session *s, long long id, int delivered,
			       struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db, "SELECT status FROM messages WHERE id = ?");
	enum message_status now = MESSAGE_UNCERTAIN;
	enum appt_status status;
	char *note;
	int found;

	stmt_bind_int64(st, 1, id);
	found = stmt_step(st) == STORE_ROW;
	if (found)
		now = message_status_of(db_column_str(st, 0));
	stmt_finalize(st);
	if (!found)
		return appt_fail(err, APPT_NOTFOUND, "no message #%lld", id);
	if (now != MESSAGE_UNCERTAIN)
		return appt_fail(err, APPT_REFUSED, "message #%lld is %s, not uncertain",
				 id, message_status_name(now));
	note = xasprintf("%s by %s", delivered ? "marked sent" : "sent again", s->actor);
	st = db_prepare(s->db,
		"UPDATE messages SET status = ?1, sent_at = CASE WHEN ?1 = 'sent' THEN ?2 END,"
		" next_attempt_at = ?2, updated_at = ?2, note = ?3 WHERE id = ?4");
	db_bind_text(st, 1, message_status_name(delivered ? MESSAGE_SENT : MESSAGE_PENDING));
	stmt_bind_int64(st, 2, s->now);
	db_bind_text(st, 3, note);
	stmt_bind_int64(st, 4, id);
	status = db_exec_stmt(s->db, st, "settling an uncertain message", err);
	free(note);
	return status;
}

enum appt_status outbox_settle_uncertain(struct appt_session *s, long long id,
					 int delivered, struct appt_err *err)
{
	enum appt_status status = db_begin_write(s->db, err);

	if (status)
		return status;
	status = settle(s, id, delivered, err);
	return db_finish_write(s->db, status, err);
}

/* ---- the run ---- */

/*
 * One run at a time: an flock on a file beside the database, released by
 * the kernel if the run dies, so a crash never leaves a stale lock.
 */
static int take_lock(const struct appt_session *s)
{
	long waited_ms = 0, limit_ms = s->cfg->delivery.lock_wait * 1000;
	int got;

	while (!(got = db_try_lock(s->db, "remind")) && waited_ms < limit_ms) {
		struct timespec pause = { 0, 100 * 1000 * 1000 };

		nanosleep(&pause, NULL);
		waited_ms += 100;
	}
	return got;
}

static enum appt_status in_write(struct appt_session *s,
				 enum appt_status (*fn)(struct appt_session *, void *,
							struct appt_err *),
				 void *data, struct appt_err *err)
{
	enum appt_status status = db_begin_write(s->db, err);

	if (status)
		return status;
	status = fn(s, data, err);
	return db_finish_write(s->db, status, err);
}

struct run {
	const struct remind_options *o;
	struct delivery_summary *sum;
	long long first_new, last_new; /* the ids this run queued: (first_new, last_new] */
};

static long long newest_message(struct appt_session *s)
{
	struct stmt *st = db_prepare(s->db, "SELECT coalesce(max(id), 0) FROM messages");
	long long id = stmt_step(st) == STORE_ROW ? stmt_column_int64(st, 0) : 0;

	stmt_finalize(st);
	return id;
}

static enum appt_status prepare_run(struct appt_session *s, void *data, struct appt_err *err)
{
	struct run *r = data;
	enum appt_status status = APPT_OK;

	/* the uncertain messages someone has checked go again; those found now wait */
	if (r->o->retry_uncertain && !r->o->retry_id)
		status = retry_uncertain(s, err);
	if (!status)
		status = settle_dead_claims(s, r->o, r->sum, err);
	r->first_new = newest_message(s);
	if (!status && r->o->upkeep)
		status = r->o->upkeep(s, r->o, r->sum, err);
	if (!status)
		status = outbox_void_moot(s, 0, r->sum, err);
	if (!status && r->o->retry_uncertain && r->o->retry_id)
		status = settle(s, r->o->retry_id, 0, err);
	if (!status)
		status = outbox_queue_due(s, r->o->only, r->sum, err);
	r->last_new = newest_message(s);
	return status;
}

/*
 * The call tasks this run created (by id, so that a task another command
 * made in the same second is not taken for one of ours).
 */
static enum appt_status show_new_tasks(struct appt_session *s, const struct run *r,
				       struct appt_err *err)
{
	struct stmt *st;
	int rc;

	if (!r->o->report || r->last_new <= r->first_new)
		return APPT_OK;
	st = db_prepare(s->db,
		"SELECT m.id, c.name, coalesce(m.note, m.name), m.assign FROM messages m"
		" JOIN clients c ON c.id = m.client_id"
		" WHERE m.id > ?1 AND m.id <= ?2 AND m.status = 'open' ORDER BY m.id");
	stmt_bind_int64(st, 1, r->first_new);
	stmt_bind_int64(st, 2, r->last_new);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		const char *assign = stmt_column_text(st, 3);

		say(r->o, "%s #%lld for %s (%s)%s%s",
		    r->o->dry_run ? "would create call task" : "call task",
		    stmt_column_int64(st, 0), db_column_str(st, 1), db_column_str(st, 2),
		    assign ? ", assigned to " : "", assign ? assign : "");
	}
	stmt_finalize(st);
	return rc == STORE_DONE ? APPT_OK : db_error(s->db, rc, "listing new call tasks", err);
}

/*
 * --dry-run: everything a real run would queue, skip, hold and send, judged
 * by the same rules inside a transaction that is then rolled back.
 */
static enum appt_status dry_run(struct appt_session *s, const struct remind_options *o,
				struct delivery_summary *sum, struct appt_err *err)
{
	struct run r = { o, sum, 0, 0 };
	struct claimed m;
	enum appt_status status = db_begin_write(s->db, err);
	int found = 1;

	if (status)
		return status;
	status = prepare_run(s, &r, err);
	if (!status)
		status = show_new_tasks(s, &r, err);
	while (!status && found && (o->only & REMIND_DELIVERY)) {
		status = claim_next(s, 0, o, sum, &m, &found, err);
		if (status || !found)
			break;
		sum->sent++;
		say(o, "would send #%lld %s %s by %s to %s%s%s", m.id, m.kind, m.name,
		    m.channel, m.recipient ? m.recipient : "-", m.subject ? ": " : "",
		    m.subject ? m.subject : "");
		claimed_release(&m);
	}
	db_rollback(s->db);
	return status;
}

enum appt_status outbox_remind(struct appt_session *s,
			       const struct remind_options *o,
			       struct delivery_summary *sum,
			       struct appt_err *err)
{
	struct run r = { o, sum, 0, 0 };
	enum appt_status status;
	int locked;

	memset(sum, 0, sizeof(*sum));
	locked = take_lock(s);
	if (locked < 0)
		return appt_fail(err, APPT_IOERR, "cannot take the remind lock of '%s': %s",
				 s->db->path, strerror(errno));
	if (!locked) {
		sum->another_run = 1;
		return APPT_OK;
	}
	if (o->dry_run) {
		status = dry_run(s, o, sum, err);
	} else {
		status = in_write(s, prepare_run, &r, err);
		if (!status)
			status = show_new_tasks(s, &r, err);
	}
	if (!status && !o->dry_run && (o->only & REMIND_DELIVERY))
		status = deliver_pending(s, 0, o, sum, err);
	db_unlock(s->db);
	return status;
}
