/*
 * Messages follow the client's situation: what made sense when it was
 * queued may not when it is due.  Outreach stops once the client books,
 * is blocked or leaves the program; a follow-up that invites a rebooking
 * (skip_if_booked) stops the same way; a confirmation call is moot once the
 * appointment's time has passed; the call about a booking request left
 * unanswered is moot once the request is answered or declined.  The outbox
 * asks these questions when a message is queued, again just before it is
 * sent, and of every open call task on each run of appt remind.
 */
#include <stdlib.h>
#include <string.h>

#include "appointment.h"
#include "client.h"
#include "event.h"
#include "outbox_priv.h"
#include "program.h"

static const struct cfg_timed_message *followup_config(const struct appt_config *cfg,
							const char *name)
{
	for (size_t i = 0; i < cfg->nr_followups; i++)
		if (!strcmp(cfg->followups[i].name, name))
			return &cfg->followups[i];
	return NULL;
}

/* The client's next appointment still to come, or still open (0: none). */
static long long next_booked(struct appt_session *s, long long client_id)
{
	struct stmt *st = db_prepare_cached(s->db,
		"SELECT id FROM appointments WHERE client_id = ?1"
		" AND start_at > ?2 - " VISIT_STILL_OPEN_SQL
		" AND status IN ('booked', 'confirmed', 'waiting', 'in-progress')"
		" ORDER BY start_at LIMIT 1");
	long long id = 0;

	stmt_bind_int64(st, 1, client_id);
	stmt_bind_int64(st, 2, s->now);
	db_query_int(s->db, st, &id, "reading the client's appointments", NULL);
	return id;
}

/* Blocked, or enrolled in a program that has ended: no invitation to book. */
static int client_closed(const struct client *c, struct strbuf *why)
{
	if (c->blocked) {
		strbuf_addf(why, "the client is blocked (%s)",
			    c->blocked_reason ? c->blocked_reason : "no reason given");
		return 1;
	}
	if (c->program && c->program_ended_at) {
		strbuf_addf(why, "the client's %s program has ended", c->program);
		return 1;
	}
	return 0;
}

static enum appt_status outreach_moot(struct appt_session *s, const struct queued *q,
				      const struct client *c, int *moot, struct strbuf *why,
				      struct appt_err *err)
{
	struct program_status st;
	enum appt_status status;

	if ((*moot = client_closed(c, why)))
		return APPT_OK;
	if (!c->program || (q->program && strcmp(c->program, q->program))) {
		strbuf_addf(why, "the client is no longer in the %s program",
			    q->program ? q->program : "outreach's");
		*moot = 1;
		return APPT_OK;
	}
	status = program_status(s, q->client_id, &st, err);
	if (!status && st.next_booked_id) {
		strbuf_addf(why, "the client booked #%lld", st.next_booked_id);
		*moot = 1;
	}
	return status;
}

static int followup_moot(struct appt_session *s, const struct queued *q,
			 const struct client *c, struct strbuf *why)
{
	const struct cfg_timed_message *f = followup_config(s->cfg, q->name);
	long long booked;

	if (!f || !f->skip_if_booked)
		return 0;
	if (client_closed(c, why))
		return 1;
	if ((booked = next_booked(s, q->client_id))) {
		strbuf_addf(why, "the client booked #%lld", booked);
		return 1;
	}
	return 0;
}

/* A notice about a booking (as against its end): moot once its time has come and gone. */
static int about_booking(const struct queued *q)
{
	return !strcmp(q->kind, "notice") &&
	       (!strcmp(q->name, "booked") || !strcmp(q->name, "rescheduled"));
}

static enum appt_status appointment_moot(struct appt_session *s, const struct queued *q,
					 int *moot, struct strbuf *why, struct appt_err *err)
{
	struct appointment a;
	enum appt_status status = appointment_get(s->db, q->appointment_id, &a, err);
	int deadline = !strcmp(q->kind, "deadline");

	if (status)
		return status;
	if (about_booking(q) || (deadline && a.state == STATE_BOOKED)) {
		if (a.start <= s->now)
			strbuf_addf(why, "the time of appointment #%lld has passed", a.id);
	} else if (a.state != STATE_BOOKED && a.state != STATE_CONFIRMED) {
		strbuf_addf(why, "appointment #%lld is %s", a.id, state_name(a.state));
	} else if (deadline) {
		strbuf_addf(why, "the client confirmed appointment #%lld", a.id);
	}
	*moot = why->len > 0;
	appointment_release(&a);
	return APPT_OK;
}

enum appt_status outbox_moot(struct appt_session *s, const struct queued *q, int *moot,
			     struct strbuf *why, struct appt_err *err)
{
	struct client c;
	enum appt_status status;

	*moot = 0;
	if (q->not_after && s->now >= q->not_after) {
		strbuf_addstr(why, "its time has passed");
		*moot = 1;
		return APPT_OK;
	}
	if (!strcmp(q->kind, "reminder") || !strcmp(q->kind, "deadline") || about_booking(q))
		return q->appointment_id ? appointment_moot(s, q, moot, why, err) : APPT_OK;
	if (strcmp(q->kind, "outreach") && strcmp(q->kind, "followup"))
		return APPT_OK;
	status = client_get(s->db, q->client_id, &c, err);
	if (status)
		return status;
	if (!strcmp(q->kind, "outreach"))
		status = outreach_moot(s, q, &c, moot, why, err);
	else
		*moot = followup_moot(s, q, &c, why);
	client_release(&c);
	return status;
}

/* ---- voiding what has become moot ---- */

struct moot_row {
	long long id;
	char *kind, *name, *program;
	long long client_id, appointment_id;
	time_t not_after;
	long long request_id;
};

static void moot_rows_release(struct moot_row *rows, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		free(rows[i].kind);
		free(rows[i].name);
		free(rows[i].program);
	}
	free(rows);
}

/*
 * Open call tasks, and with a client the pending messages the rules apply
 * to.  Read whole before any is voided: the rules read the outbox too.
 */
static enum appt_status read_candidates(struct appt_session *s, long long client_id,
					struct moot_row **rows, size_t *nr,
					struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"SELECT id, kind, name, program, client_id, appointment_id, not_after, request_id"
		" FROM messages"
		" WHERE (status = 'open' AND (?1 = 0 OR client_id = ?1))"
		" OR (?1 <> 0 AND client_id = ?1 AND status = 'pending'"
		"     AND kind IN ('outreach', 'followup'))"
		" ORDER BY id");
	size_t alloc = 0;
	int rc;

	*rows = NULL;
	*nr = 0;
	stmt_bind_int64(st, 1, client_id);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		ALLOC_GROW(*rows, *nr + 1, alloc);
		(*rows)[(*nr)++] = (struct moot_row){
			.id = stmt_column_int64(st, 0),
			.kind = db_column_strdup(st, 1),
			.name = db_column_strdup(st, 2),
			.program = db_column_strdup(st, 3),
			.client_id = stmt_column_int64(st, 4),
			.appointment_id = stmt_column_int64(st, 5),
			.not_after = (time_t)stmt_column_int64(st, 6),
			.request_id = stmt_column_int64(st, 7),
		};
	}
	stmt_finalize(st);
	return rc == STORE_DONE ? APPT_OK : db_error(s->db, rc, "reading the outbox", err);
}

/*
 * The call a request past its deadline made (kind 'request'): moot once the
 * request is no longer open.  struct queued knows no request, so this is
 * asked of the open call tasks only, which is where such a call lives.
 */
static enum appt_status request_moot(struct appt_session *s, const struct moot_row *row,
				     int *moot, struct strbuf *why, struct appt_err *err)
{
	struct stmt *st;
	int rc;

	*moot = 0;
	if (strcmp(row->kind, "request") || !row->request_id)
		return APPT_OK;
	st = db_prepare_cached(s->db, "SELECT status, appointment_id FROM requests WHERE id = ?1");
	stmt_bind_int64(st, 1, row->request_id);
	rc = stmt_step(st);
	if (rc == STORE_ROW && strcmp(db_column_str(st, 0), "open")) {
		strbuf_addf(why, "request #%lld is %s", row->request_id, db_column_str(st, 0));
		if (!stmt_column_is_null(st, 1))
			strbuf_addf(why, " (appointment #%lld)", stmt_column_int64(st, 1));
		*moot = 1;
	}
	stmt_reset(st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return db_error(s->db, rc, "reading the request", err);
	return APPT_OK;
}

/* Closed by appt itself, with its audit event: nobody needs to act on it any more. */
static enum appt_status void_one(struct appt_session *s, long long id, const char *why,
				 struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(s->db,
		"UPDATE messages SET status = 'void', note = ?1, updated_at = ?2"
		" WHERE id = ?3 AND status IN ('pending', 'open')");
	char *before = event_snapshot(s->db, "message", id);
	char *note = xasprintf("closed: %s", why);
	enum appt_status status;

	db_bind_text(st, 1, note);
	stmt_bind_int64(st, 2, s->now);
	stmt_bind_int64(st, 3, id);
	status = db_exec_stmt(s->db, st, "closing a moot message", err);
	if (!status)
		status = event_log_current(s->db, &(struct event){
			.at = s->now, .actor = s->actor, .entity = "message", .entity_id = id,
			.action = "void", .before = before, .reason = why }, err);
	free(before);
	free(note);
	return status;
}

enum appt_status outbox_void_moot(struct appt_session *s, long long client_id,
				  struct delivery_summary *sum, struct appt_err *err)
{
	struct moot_row *rows;
	size_t nr;
	enum appt_status status = read_candidates(s, client_id, &rows, &nr, err);

	for (size_t i = 0; !status && i < nr; i++) {
		struct queued q = { rows[i].kind, rows[i].name, rows[i].client_id,
				    rows[i].appointment_id, rows[i].program, rows[i].not_after };
		struct strbuf why = STRBUF_INIT;
		int moot;

		status = outbox_moot(s, &q, &moot, &why, err);
		if (!status && !moot)
			status = request_moot(s, &rows[i], &moot, &why, err);
		if (!status && moot)
			status = void_one(s, rows[i].id, why.buf, err);
		if (!status && moot && sum)
			sum->closed++;
		strbuf_release(&why);
	}
	moot_rows_release(rows, nr);
	return status;
}

/*
 * An outreach call nobody made gives way to the next step's (seed 004:
 * unanswered, the desk's call is escalated to the manager's on day 19): the
 * client's open outreach call tasks of the cycle whose keys begin with
 * prefix are closed, naming the step that takes over.
 */
enum appt_status outbox_void_superseded(struct appt_session *s, long long client_id,
					const char *prefix, int day, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"SELECT id FROM messages WHERE client_id = ?1 AND kind = 'outreach'"
		" AND status = 'open' AND substr(key, 1, length(?2)) = ?2 ORDER BY id");
	char *why = xasprintf("day %d's outreach step takes over", day);
	enum appt_status status = APPT_OK;
	long long *ids = NULL;
	size_t nr = 0, alloc = 0;
	int rc;

	stmt_bind_int64(st, 1, client_id);
	db_bind_text(st, 2, prefix);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		ALLOC_GROW(ids, nr + 1, alloc);
		ids[nr++] = stmt_column_int64(st, 0);
	}
	stmt_finalize(st);
	if (rc != STORE_DONE)
		status = db_error(s->db, rc, "reading the outbox", err);
	for (size_t i = 0; !status && i < nr; i++)
		status = void_one(s, ids[i], why, err);
	free(ids);
	free(why);
	return status;
}
