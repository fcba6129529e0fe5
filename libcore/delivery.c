/*
 * The sending half of the outbox.  A message is claimed (status 'sending',
 * committed) before its transport runs, and its result is written after:
 * two processes can never both claim one row, so nothing is sent twice, and
 * a process that dies between the two leaves a row that the next run can
 * recognise as uncertain instead of guessing.
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

/* Messages claimed per transaction: fewer fsyncs, at most this many left uncertain by a crash. */
#define CLAIM_BATCH 32
/* A claim this old is uncertain even if its process id was reused. */
#define CLAIM_STALE 600

struct claimed {
	long long id;
	char *key, *kind, *name, *channel, *recipient, *subject, *body, *to_name;
	long long client_id, appointment_id;
	int attempts;
	time_t not_after;
	/* the outcome, written back after sending */
	enum { OUTCOME_SENT, OUTCOME_FAILED, OUTCOME_TOO_LATE } outcome;
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

/* ---- claiming ---- */

static const char claim_select[] =
	"SELECT m.id, m.key, m.kind, m.name, m.channel, m.recipient, m.subject, m.body,"
	" c.name, m.client_id, m.appointment_id, m.attempts, m.not_after"
	" FROM messages m JOIN clients c ON c.id = m.client_id"
	" WHERE m.status = 'pending' AND m.next_attempt_at <= ?1 AND (?2 = 0 OR m.id = ?2)"
	" ORDER BY m.next_attempt_at, m.id LIMIT ?3";

static void read_claimed(sqlite3_stmt *st, struct claimed *m)
{
	*m = (struct claimed){
		.id = sqlite3_column_int64(st, 0),
		.key = db_column_strdup(st, 1),
		.kind = db_column_strdup(st, 2),
		.name = db_column_strdup(st, 3),
		.channel = db_column_strdup(st, 4),
		.recipient = db_column_strdup(st, 5),
		.subject = db_column_strdup(st, 6),
		.body = db_column_strdup(st, 7),
		.to_name = db_column_strdup(st, 8),
		.client_id = sqlite3_column_int64(st, 9),
		.appointment_id = sqlite3_column_int64(st, 10),
		.attempts = sqlite3_column_int(st, 11) + 1,
		.not_after = (time_t)sqlite3_column_int64(st, 12),
	};
}

static enum appt_status mark_claimed(struct appt_session *s, const struct claimed *m,
				     struct appt_err *err)
{
	sqlite3_stmt *st = db_prepare_cached(s->db,
		"UPDATE messages SET status = 'sending', attempts = ?1, claimed_by = ?2,"
		" claimed_at = ?3, updated_at = ?3 WHERE id = ?4");
	int rc;

	sqlite3_bind_int(st, 1, m->attempts);
	sqlite3_bind_int64(st, 2, (long long)getpid());
	sqlite3_bind_int64(st, 3, s->now);
	sqlite3_bind_int64(st, 4, m->id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? APPT_OK : db_error(s->db, rc, "claiming a message", err);
}

/* Claims up to CLAIM_BATCH due messages (only_id: that one) in one transaction. */
static enum appt_status claim_batch(struct appt_session *s, long long only_id,
				    struct claimed *batch, size_t *nr,
				    struct appt_err *err)
{
	sqlite3_stmt *st;
	enum appt_status status = db_begin_write(s->db, err);
	int rc = SQLITE_DONE;

	*nr = 0;
	if (status)
		return status;
	st = db_prepare_cached(s->db, claim_select);
	sqlite3_bind_int64(st, 1, s->now);
	sqlite3_bind_int64(st, 2, only_id);
	sqlite3_bind_int(st, 3, CLAIM_BATCH);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_claimed(st, &batch[(*nr)++]);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		status = db_error(s->db, rc, "reading the outbox", err);
	for (size_t i = 0; !status && i < *nr; i++)
		status = mark_claimed(s, &batch[i], err);
	return db_finish_write(s->db, status, err);
}

/* ---- sending and recording ---- */

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

	/* A reminder never arrives after the appointment started. */
	if (m->not_after && s->now >= m->not_after) {
		m->outcome = OUTCOME_TOO_LATE;
		return;
	}
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
	" last_error = ?4, note = coalesce(?5, note), updated_at = ?6,"
	" claimed_by = NULL WHERE id = ?7 AND status = 'sending'";

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
	sqlite3_stmt *st = db_prepare_cached(s->db, record_sql);
	int give_up = m->attempts >= s->cfg->delivery.max_attempts;
	const char *status = "sent";
	int rc;

	if (m->outcome == OUTCOME_TOO_LATE) {
		status = "void";
		sum->skipped++;
		say(o, "skipped #%lld %s %s: the appointment has started", m->id, m->kind, m->name);
	} else if (m->outcome == OUTCOME_FAILED) {
		status = give_up ? "failed" : "pending";
		sum->failed++;
		sum->gave_up += give_up;
		say(o, "%s #%lld %s %s to %s: %s", give_up ? "failed (giving up)" : "failed",
		    m->id, m->kind, m->name, m->recipient ? m->recipient : "-", m->error);
	} else {
		sum->sent++;
		say(o, "sent #%lld %s %s by %s to %s", m->id, m->kind, m->name, m->channel,
		    m->recipient ? m->recipient : "-");
	}
	db_bind_text(st, 1, status);
	if (m->outcome == OUTCOME_SENT)
		sqlite3_bind_int64(st, 2, s->now);
	sqlite3_bind_int64(st, 3, m->outcome == OUTCOME_FAILED ? retry_at(s, m->attempts) : s->now);
	db_bind_text(st, 4, m->outcome == OUTCOME_FAILED ? m->error : NULL);
	db_bind_text(st, 5, m->outcome == OUTCOME_TOO_LATE ? "skipped: the appointment had started" : NULL);
	sqlite3_bind_int64(st, 6, s->now);
	sqlite3_bind_int64(st, 7, m->id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? APPT_OK : db_error(s->db, rc, "recording a delivery", err);
}

static enum appt_status record_batch(struct appt_session *s, struct claimed *batch,
				     size_t nr, const struct remind_options *o,
				     struct delivery_summary *sum, struct appt_err *err)
{
	enum appt_status status = db_begin_write(s->db, err);

	for (size_t i = 0; !status && i < nr; i++)
		status = record_one(s, &batch[i], o, sum, err);
	return db_finish_write(s->db, status, err);
}

/* Claims, sends and records until nothing due is left (or only_id is done). */
static enum appt_status deliver_pending(struct appt_session *s, long long only_id,
					const struct remind_options *o,
					struct delivery_summary *sum, struct appt_err *err)
{
	struct claimed batch[CLAIM_BATCH];
	enum appt_status status;
	size_t nr;

	do {
		status = claim_batch(s, only_id, batch, &nr, err);
		for (size_t i = 0; !status && i < nr; i++)
			send_one(s, &batch[i]);
		if (!status)
			status = record_batch(s, batch, nr, o, sum, err);
		for (size_t i = 0; i < nr; i++)
			claimed_release(&batch[i]);
	} while (!status && nr == CLAIM_BATCH && !only_id);
	return status;
}

enum appt_status outbox_deliver_now(struct appt_session *s, long long id,
				    struct delivery_summary *sum,
				    struct appt_err *err)
{
	memset(sum, 0, sizeof(*sum));
	return deliver_pending(s, id, NULL, sum, err);
}

/* ---- uncertain messages ---- */

static int claimer_gone(const struct appt_session *s, long long pid, time_t claimed_at)
{
	if (s->now - claimed_at > CLAIM_STALE)
		return 1;
	return pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH);
}

/*
 * A row still 'sending' whose process is gone may or may not have been
 * delivered: it becomes 'uncertain' and waits for a human's
 * --retry-uncertain rather than risk a second copy.
 */
static enum appt_status find_uncertain(struct appt_session *s, const struct remind_options *o,
				       struct delivery_summary *sum, struct appt_err *err)
{
	sqlite3_stmt *st = db_prepare(s->db,
		"SELECT id, claimed_by, claimed_at, kind, name FROM messages WHERE status = 'sending'");
	sqlite3_stmt *mark = db_prepare(s->db,
		"UPDATE messages SET status = 'uncertain', updated_at = ?1,"
		" note = 'the run sending it stopped: delivery unknown' WHERE id = ?2");
	enum appt_status status = APPT_OK;
	int rc;

	while (!status && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!claimer_gone(s, sqlite3_column_int64(st, 1),
				  (time_t)sqlite3_column_int64(st, 2)))
			continue;
		sqlite3_bind_int64(mark, 1, s->now);
		sqlite3_bind_int64(mark, 2, sqlite3_column_int64(st, 0));
		if (sqlite3_step(mark) != SQLITE_DONE)
			status = db_error(s->db, sqlite3_errcode(s->db->handle), "marking uncertain", err);
		sqlite3_reset(mark);
		say(o, "uncertain #%lld %s %s: a run died while sending it; check, then"
		    " 'appt remind --retry-uncertain' to send it again",
		    sqlite3_column_int64(st, 0), db_column_str(st, 3), db_column_str(st, 4));
		sum->uncertain++;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(mark);
	return status;
}

static enum appt_status retry_uncertain(struct appt_session *s, struct appt_err *err)
{
	sqlite3_stmt *st = db_prepare(s->db,
		"UPDATE messages SET status = 'pending', next_attempt_at = ?1, updated_at = ?1,"
		" note = 'sent again by --retry-uncertain' WHERE status = 'uncertain'");

	sqlite3_bind_int64(st, 1, s->now);
	return db_exec_stmt(s->db, st, "retrying uncertain messages", err);
}

static enum appt_status settle(struct appt_session *s, long long id, int delivered,
			       struct appt_err *err)
{
	sqlite3_stmt *st = db_prepare(s->db, "SELECT status FROM messages WHERE id = ?");
	char *note, *status_now = NULL;
	enum appt_status status = APPT_OK;

	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		status_now = db_column_strdup(st, 0);
	sqlite3_finalize(st);
	if (!status_now)
		return appt_fail(err, APPT_NOTFOUND, "no message #%lld", id);
	if (strcmp(status_now, "uncertain"))
		status = appt_fail(err, APPT_REFUSED, "message #%lld is %s, not uncertain",
				   id, status_now);
	free(status_now);
	if (status)
		return status;
	note = xasprintf("%s by %s", delivered ? "marked sent" : "sent again", s->actor);
	st = db_prepare(s->db,
		"UPDATE messages SET status = ?1, sent_at = CASE WHEN ?1 = 'sent' THEN ?2 END,"
		" next_attempt_at = ?2, updated_at = ?2, note = ?3 WHERE id = ?4");
	db_bind_text(st, 1, delivered ? "sent" : "pending");
	sqlite3_bind_int64(st, 2, s->now);
	db_bind_text(st, 3, note);
	sqlite3_bind_int64(st, 4, id);
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
static int take_lock(const struct appt_session *s, int *fd)
{
	char *path = xasprintf("%s.remind-lock", s->db_path ? s->db_path : s->db->path);
	long waited_ms = 0, limit_ms = s->cfg->delivery.lock_wait * 1000;
	int got = 0;

	*fd = open_private_file(path, O_RDWR | O_CREAT);
	free(path);
	if (*fd < 0)
		return -1;
	while (!(got = !flock(*fd, LOCK_EX | LOCK_NB)) && waited_ms < limit_ms) {
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
	sqlite3_stmt *st = db_prepare(s->db, "SELECT coalesce(max(id), 0) FROM messages");
	long long id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;

	sqlite3_finalize(st);
	return id;
}

static enum appt_status prepare_run(struct appt_session *s, void *data, struct appt_err *err)
{
	struct run *r = data;
	enum appt_status status = find_uncertain(s, r->o, r->sum, err);

	if (!status && r->o->retry_uncertain)
		status = r->o->retry_id ? settle(s, r->o->retry_id, 0, err)
					: retry_uncertain(s, err);
	r->first_new = newest_message(s);
	if (!status)
		status = outbox_queue_due(s, r->o->only, r->sum, err);
	r->last_new = newest_message(s);
	return status;
}

static void show_would_send(const struct message_row *m, void *data)
{
	const struct run *r = data;

	r->sum->sent++;
	say(r->o, "would send #%lld %s %s by %s to %s%s%s", m->id, m->kind, m->name,
	    m->channel, m->recipient ? m->recipient : "-", m->subject ? ": " : "",
	    m->subject ? m->subject : "");
}

/*
 * The call tasks this run created (by id, so that a task another command
 * made in the same second is not taken for one of ours).
 */
static enum appt_status show_new_tasks(struct appt_session *s, const struct run *r,
				       struct appt_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (!r->o->report || r->last_new <= r->first_new)
		return APPT_OK;
	st = db_prepare(s->db,
		"SELECT m.id, c.name, coalesce(m.note, m.name), m.assign FROM messages m"
		" JOIN clients c ON c.id = m.client_id"
		" WHERE m.id > ?1 AND m.id <= ?2 AND m.status = 'open' ORDER BY m.id");
	sqlite3_bind_int64(st, 1, r->first_new);
	sqlite3_bind_int64(st, 2, r->last_new);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *assign = (const char *)sqlite3_column_text(st, 3);

		say(r->o, "%s #%lld for %s (%s)%s%s",
		    r->o->dry_run ? "would create call task" : "call task",
		    sqlite3_column_int64(st, 0), db_column_str(st, 1), db_column_str(st, 2),
		    assign ? ", assigned to " : "", assign ? assign : "");
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? APPT_OK : db_error(s->db, rc, "listing new call tasks", err);
}

/*
 * Pending messages a real run would skip, their appointment having started
 * (send_one's rule): shown as such and voided, inside the dry run's doomed
 * transaction, so that they are not listed as sent.
 */
static enum appt_status show_too_late(struct appt_session *s, const struct run *r,
				      struct appt_err *err)
{
	static const char where[] =
		" WHERE status = 'pending' AND next_attempt_at <= ?1"
		" AND not_after IS NOT NULL AND not_after <= ?1";
	char *sql = xasprintf("SELECT id, kind, name FROM messages%s ORDER BY id", where);
	sqlite3_stmt *st = db_prepare(s->db, sql);
	int rc;

	free(sql);
	sqlite3_bind_int64(st, 1, s->now);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->sum->skipped++;
		say(r->o, "would skip #%lld %s %s: the appointment has started",
		    sqlite3_column_int64(st, 0), db_column_str(st, 1), db_column_str(st, 2));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(s->db, rc, "reading the outbox", err);
	sql = xasprintf("UPDATE messages SET status = 'void'%s", where);
	st = db_prepare(s->db, sql);
	free(sql);
	sqlite3_bind_int64(st, 1, s->now);
	return db_exec_stmt(s->db, st, "skipping late messages", err);
}

/* --dry-run: everything a real run would queue, shown, then rolled back. */
static enum appt_status dry_run(struct appt_session *s, const struct remind_options *o,
				struct delivery_summary *sum, struct appt_err *err)
{
	struct run r = { o, sum, 0, 0 };
	struct message_filter due = { .status = "pending", .due_before = s->now + 1 };
	enum appt_status status = db_begin_write(s->db, err);

	if (status)
		return status;
	status = prepare_run(s, &r, err);
	if (!status)
		status = show_new_tasks(s, &r, err);
	if (!status && (o->only & REMIND_DELIVERY))
		status = show_too_late(s, &r, err);
	if (!status && (o->only & REMIND_DELIVERY))
		status = outbox_each(s->db, &due, show_would_send, &r, err);
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
	int fd, locked;

	memset(sum, 0, sizeof(*sum));
	locked = take_lock(s, &fd);
	if (locked < 0)
		return appt_fail(err, APPT_IOERR, "cannot create the remind lock beside '%s': %s",
				 s->db->path, strerror(errno));
	if (!locked) {
		close(fd);
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
	close(fd);
	return status;
}
