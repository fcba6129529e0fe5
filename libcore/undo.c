#include "undo.h"

#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "avail.h"
#include "booking.h"
#include "client.h"
#include "event.h"
#include "invoice.h"
#include "money.h"
#include "outbox.h"
#include "program.h"

void undo_result_release(struct undo_result *r)
{
	free(r->action);
	strlist_clear(&r->done);
	strlist_clear(&r->warnings);
	memset(r, 0, sizeof(*r));
}

/* The changes an undo takes back: the status commands. */
static const char *const undoable[] = {
	"confirm", "checkin", "start", "done", "noshow", "cancel",
};

static int is_undoable(const char *action)
{
	for (size_t i = 0; i < sizeof(undoable) / sizeof(undoable[0]); i++)
		if (!strcmp(action, undoable[i]))
			return 1;
	return 0;
}

/* The change an undo takes back, as its audit event recorded it. */
struct target {
	long long id;
	time_t at;
	char *action;
	char *before;        /* the appointment before the change (JSON) */
	enum appt_state was; /* its state before */
	enum appt_state made;/* the state the change left */
};

static void target_release(struct target *t)
{
	free(t->action);
	free(t->before);
	memset(t, 0, sizeof(*t));
}

/* Looking back through an appointment's log, newest first. */
struct walk {
	long long *undone; /* events the undos seen took back */
	size_t nr, alloc;
	long long last_undo;
};

static int taken_back(const struct walk *w, long long id)
{
	for (size_t i = 0; i < w->nr; i++)
		if (w->undone[i] == id)
			return 1;
	return 0;
}

/* Nothing to undo: the latest change left is not a status change. */
static enum appt_status refuse_barrier(const struct appointment *a, const struct walk *w,
				       long long id, const char *action,
				       struct appt_err *err)
{
	if (w->last_undo)
		return appt_fail(err, APPT_REFUSED,
				 "appointment #%lld has no status change left to undo: event #%lld"
				 " undid the last one, and before it comes '%s' (event #%lld)",
				 a->id, w->last_undo, action, id);
	return appt_fail(err, APPT_REFUSED,
			 "appointment #%lld has no status change to undo: its last change is '%s'"
			 " (event #%lld); appt undo takes back confirm, checkin, start, done,"
			 " noshow and cancel", a->id, action, id);
}

static enum appt_status read_target(struct stmt *st, const struct appointment *a,
				    struct target *t, struct appt_err *err)
{
	*t = (struct target){
		.id = stmt_column_int64(st, 0),
		.at = (time_t)stmt_column_int64(st, 1),
		.action = db_column_strdup(st, 2),
		.before = db_column_strdup(st, 3),
	};
	if (state_parse(db_column_str(st, 4), &t->was) ||
	    state_parse(db_column_str(st, 5), &t->made))
		return appt_fail(err, APPT_REFUSED,
				 "event #%lld does not record appointment #%lld's state: nothing undone",
				 t->id, a->id);
	return APPT_OK;
}

/*
 * Steps through the log: an undo hides the event it took back, what a
 * change logged as part of itself (a no-show's block) belongs to it, and
 * the first status change left is the one to take back.
 */
static enum appt_status walk_log(struct stmt *st, const struct appointment *a,
				 struct walk *w, struct target *t, struct appt_err *err)
{
	int rc;

	while ((rc = stmt_step(st)) == STORE_ROW) {
		long long id = stmt_column_int64(st, 0);
		const char *action = db_column_str(st, 2);

		if (!strcmp(action, "undo")) {
			ALLOC_GROW(w->undone, w->nr + 1, w->alloc);
			w->undone[w->nr++] = stmt_column_int64(st, 6);
			if (!w->last_undo)
				w->last_undo = id;
		} else if (!taken_back(w, id) && strcmp(action, APPOINTMENT_BLOCKED_CLIENT)) {
			return is_undoable(action) ? read_target(st, a, t, err)
						   : refuse_barrier(a, w, id, action, err);
		}
	}
	if (rc != STORE_DONE)
		return db_error(st->db, rc, "reading the audit log", err);
	return appt_fail(err, APPT_REFUSED, "appointment #%lld has no logged change to undo",
			 a->id);
}

static enum appt_status find_target(struct appt_session *s, const struct appointment *a,
				    struct target *t, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"SELECT id, at, action, before, json_extract(before, '$.status'),"
		" json_extract(after, '$.status'), undoes FROM events"
		" WHERE entity = 'appointment' AND entity_id = ? ORDER BY id DESC");
	struct walk w = { NULL, 0, 0, 0 };
	enum appt_status status;

	stmt_bind_int64(st, 1, a->id);
	status = walk_log(st, a, &w, t, err);
	stmt_finalize(st);
	free(w.undone);
	if (!status && a->state != t->made)
		status = appt_fail(err, APPT_REFUSED,
				   "appointment #%lld is %s, not %s as its %s (event #%lld) left it:"
				   " nothing undone", a->id, state_name(a->state),
				   state_name(t->made), t->action, t->id);
	return status;
}

/* ---- the calendar: an appointment that was freed takes its time again ---- */

static int occupies(enum appt_state st)
{
	return st != STATE_CANCELLED && st != STATE_NOSHOW;
}

/* Why the appointment's time is no longer its own (why stays empty when it is). */
static enum appt_status explain_taken(struct appt_session *s, const struct appointment *a,
				      const struct cfg_service *svc,
				      const struct cfg_provider *p, struct strbuf *why,
				      struct appt_err *err)
{
	const struct cfg_resource *room = a->resource ? config_resource(s->cfg, a->resource) : NULL;
	struct resource_day rooms = { 0 };
	struct day_plan plan = { 0 };
	struct appt_date date;
	struct fit fit;
	long long other = 0;
	enum appt_status status;

	when_to_local(a->start, &date, NULL, NULL);
	status = resource_day_load(s, svc, date, a->id, &rooms, err);
	if (!status)
		status = day_plan_load(s, &plan, p, svc, date, a->id, &rooms, err);
	if (!status) {
		/* hours and time off are policies: only a conflict refuses an undo */
		fit = day_plan_fit(&plan, a->start, room, AVAIL_OVERRIDE_ALL);
		if (fit.rule != RULE_FITS)
			avail_explain(&plan, a->start, &fit, why);
	}
	day_plan_release(&plan);
	resource_day_release(&rooms);
	if (!status && !why->len)
		status = avail_client_busy(s, a->client_id, a->start, a->end, a->id, &other, err);
	if (!status && other)
		strbuf_addf(why, "the client now has appointment #%lld at that time", other);
	return status;
}

static enum appt_status check_time_free(struct appt_session *s, const struct appointment *a,
					const struct target *t, struct appt_err *err)
{
	const struct cfg_service *svc = config_service(s->cfg, a->service);
	const struct cfg_provider *p = config_provider(s->cfg, a->provider);
	struct strbuf why = STRBUF_INIT;
	enum appt_status status;

	if (!svc || !p)
		return appt_fail(err, APPT_REFUSED,
				 "cannot undo the %s of appointment #%lld: %s '%s' is no longer"
				 " in the configuration", t->action, a->id, svc ? "provider" : "service",
				 svc ? a->provider : a->service);
	status = explain_taken(s, a, svc, p, &why, err);
	if (!status && why.len)
		status = appt_fail(err, APPT_REFUSED,
				   "cannot undo the %s of appointment #%lld: it would double-book (%s)",
				   t->action, a->id, why.buf);
	strbuf_release(&why);
	return status;
}

/* ---- the appointment row and the log ---- */

/*
 * The state and the columns the status commands set come back from the
 * snapshot.  The three instants are not in it, but each is set only by its
 * own action, from a state where it is empty: taking that action back
 * empties it again.
 */
static enum appt_status restore_row(struct appt_session *s, const struct appointment *a,
				    const struct target *t, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"UPDATE appointments SET status = json_extract(?1, '$.status'),"
		" note = json_extract(?1, '$.note'),"
		" confirmed_via = json_extract(?1, '$.confirmed_via'),"
		" late_cancel = coalesce(CAST(json_extract(?1, '$.late_cancel') AS INTEGER), 0),"
		" cancel_reason = json_extract(?1, '$.cancel_reason'),"
		" cancelled_by = json_extract(?1, '$.cancelled_by'),"
		" confirmed_at = CASE WHEN ?2 = 'confirm' THEN NULL ELSE confirmed_at END,"
		" done_at = CASE WHEN ?2 = 'done' THEN NULL ELSE done_at END,"
		" cancelled_at = CASE WHEN ?2 = 'cancel' THEN NULL ELSE cancelled_at END,"
		" updated_at = ?3 WHERE id = ?4");

	db_bind_text(st, 1, t->before);
	db_bind_text(st, 2, t->action);
	stmt_bind_int64(st, 3, s->now);
	stmt_bind_int64(st, 4, a->id);
	return db_exec_stmt(s->db, st, "restoring the appointment", err);
}

static enum appt_status log_undo(struct appt_session *s, const struct appointment *a,
				 const struct target *t, const char *before,
				 const char *reason, long long *event, struct appt_err *err)
{
	*event = 0;
	return event_log_current_id(s->db, &(struct event){
		.at = s->now, .actor = s->actor, .entity = "appointment",
		.entity_id = a->id, .action = "undo", .before = before,
		.reason = reason, .undoes = t->id }, event, err);
}

/* ---- messages ---- */

static const char *gone_as(enum message_status status)
{
	if (status == MESSAGE_SENT)
		return "was already sent";
	if (status == MESSAGE_CLOSED)
		return "was already done";
	return "may already have been sent";
}

static void note_message(enum message_fate fate, const struct message_ref *m, void *data)
{
	struct undo_result *res = data;
	char *line;

	if (fate == MESSAGE_GONE)
		line = xasprintf("message #%lld (%s %s by %s) %s: tell the client", m->id,
				 m->name, m->kind, m->channel, gone_as(m->status));
	else
		line = xasprintf("%s message #%lld (%s %s by %s)",
				 fate == MESSAGE_VOIDED ? "voided" : "restored", m->id, m->name,
				 m->kind, m->channel);
	strlist_push(fate == MESSAGE_GONE ? &res->warnings : &res->done, line);
	free(line);
}

/*
 * A visit that did not happen thanks nobody and starts no program clock:
 * the follow-ups queued since it was marked done, and the outreach cycle
 * counted from it, go (whatever their keys look like, they name the visit).
 */
static enum appt_status take_back_visit(struct appt_session *s, const struct appointment *a,
					const struct target *t, long long event,
					const char *why, struct undo_result *res,
					struct appt_err *err)
{
	struct message_scope followups = {
		.appointment_id = a->id, .kind = "followup", .since = t->at };
	enum appt_status status = outbox_take_back(s, &followups, event, why, note_message,
						   res, err);

	for (size_t i = 0; !status && i < s->cfg->nr_programs; i++) {
		char *prefix = program_cycle_key(s->cfg->programs[i].id, a->client_id, a->id);
		struct message_scope cycle = { .key_prefix = prefix };

		status = outbox_take_back(s, &cycle, event, why, note_message, res, err);
		free(prefix);
	}
	return status;
}

static enum appt_status undo_messages(struct appt_session *s, const struct appointment *a,
				      const struct target *t, struct undo_result *res,
				      struct appt_err *err)
{
	struct message_scope caused = { .cause_event = t->id };
	char *voided = xasprintf("voided: appt undo of the %s (event #%lld)", t->action, t->id);
	enum appt_status status = outbox_take_back(s, &caused, res->event, voided, note_message,
						   res, err);

	if (!status && !strcmp(t->action, "done"))
		status = take_back_visit(s, a, t, res->event, voided, res, err);
	/* reminders and a deadline call matter only for a visit still to come */
	if (!status && (t->was == STATE_BOOKED || t->was == STATE_CONFIRMED) && a->start > s->now)
		status = outbox_restore_voided(s, a->id, t->id, t->was == STATE_BOOKED,
					       note_message, res, err);
	free(voided);
	return status;
}

/* ---- charges and blocks ---- */

/* The fee each change charges: at most one not voided per appointment and kind. */
static const char *fee_kind(const char *action)
{
	if (!strcmp(action, "cancel"))
		return "late-cancel";
	if (!strcmp(action, "noshow"))
		return "no-show";
	return NULL;
}

static enum appt_status void_charge(struct appt_session *s, long long id, const char *why,
				    struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"UPDATE charges SET voided_at = ?, voided_by = ?, void_reason = ? WHERE id = ?");
	enum appt_status status;

	stmt_bind_int64(st, 1, s->now);
	db_bind_text(st, 2, s->actor);
	db_bind_text(st, 3, why);
	stmt_bind_int64(st, 4, id);
	status = db_exec_stmt(s->db, st, "voiding a charge", err);
	if (!status)
		status = event_log_current(s->db, &(struct event){
			.at = s->now, .actor = s->actor, .entity = "charge", .entity_id = id,
			.action = "void", .reason = why }, err);
	/* what paid the fee is the client's credit again */
	if (!status)
		status = account_release(s->db, ACCOUNT_FEE, id, err);
	return status;
}

/* The change's fee, never deleted: voided, with who and why. */
static enum appt_status void_fee(struct appt_session *s, const struct appointment *a,
				 const struct target *t, struct undo_result *res,
				 struct appt_err *err)
{
	const char *kind = fee_kind(t->action);
	struct stmt *st;
	char *why, amount[32];
	enum appt_status status = APPT_OK;
	int rc;

	if (!kind)
		return APPT_OK;
	why = xasprintf("appt undo of the %s (event #%lld)", t->action, t->id);
	st = db_prepare(s->db, "SELECT id, amount FROM charges WHERE appointment_id = ?"
			" AND kind = ? AND voided_at IS NULL ORDER BY id");
	stmt_bind_int64(st, 1, a->id);
	db_bind_text(st, 2, kind);
	while (!status && (rc = stmt_step(st)) == STORE_ROW) {
		long long id = stmt_column_int64(st, 0);
		char *line;

		money_format(stmt_column_int64(st, 1), amount, sizeof(amount));
		status = void_charge(s, id, why, err);
		line = xasprintf("voided fee %s (%s, charge #%lld)", amount, kind, id);
		strlist_push(&res->done, line);
		free(line);
	}
	if (!status && rc != STORE_DONE)
		status = db_error(s->db, rc, "reading the charges", err);
	stmt_finalize(st);
	free(why);
	if (!status)
		status = account_settle(s->db, s->now, a->client_id, err);
	return status;
}

/* A done that was invoiced stands until its invoice is voided: the bill says it happened. */
static enum appt_status check_not_invoiced(struct appt_session *s, const struct appointment *a,
					   const struct target *t, struct appt_err *err)
{
	long long live = 0;
	struct invoice inv;
	enum appt_status status;

	if (strcmp(t->action, "done"))
		return APPT_OK;
	status = invoice_live_for(s->db, a->id, &live, err);
	if (status || !live)
		return status;
	status = invoice_get(s->db, live, &inv, err);
	if (!status)
		status = appt_fail(err, APPT_REFUSED, "appointment #%lld is invoiced (%s): void"
				   " the invoice first (appt invoice void %s --reason T)", a->id,
				   inv.number, inv.number);
	invoice_release(&inv);
	return status;
}

/*
 * The block a no-show imposed is the one it marked on its appointment right
 * after its own event (APPOINTMENT_BLOCKED_CLIENT); 0 when it blocked nobody.
 */
static long long block_mark(struct appt_session *s, const struct appointment *a,
			    const struct target *t)
{
	struct stmt *st = db_prepare(s->db,
		"SELECT CASE WHEN action = ?3 THEN id ELSE 0 END FROM events"
		" WHERE entity = 'appointment' AND entity_id = ?1 AND id > ?2 ORDER BY id LIMIT 1");
	long long mark = 0;

	stmt_bind_int64(st, 1, a->id);
	stmt_bind_int64(st, 2, t->id);
	db_bind_text(st, 3, APPOINTMENT_BLOCKED_CLIENT);
	db_query_int(s->db, st, &mark, "reading the audit log", NULL);
	return mark;
}

/* The client's latest block or unblock in the log. */
static long long last_block_event(struct appt_session *s, long long client_id)
{
	struct stmt *st = db_prepare(s->db,
		"SELECT max(id) FROM events WHERE entity = 'client' AND entity_id = ?"
		" AND (action = 'block' OR action = 'unblock')");
	long long id = 0;

	stmt_bind_int64(st, 1, client_id);
	db_query_int(s->db, st, &id, "reading the audit log", NULL);
	return id;
}

/* Why the block stays, or NULL when it is this no-show's to lift.  Caller frees. */
static char *block_stays(struct appt_session *s, const struct client *c, long long mark)
{
	const struct cfg_noshow_policy *pol = &s->cfg->policies.noshow;
	long long latest = last_block_event(s, c->id);
	int n = client_noshow_count(s->db, c->id, s->now - pol->window);
	char window[32];

	if (latest > mark)
		return xasprintf("client #%lld was blocked again since (event #%lld): still blocked",
				 c->id, latest);
	if (n < pol->block_after)
		return NULL;
	when_format_duration(pol->window, window, sizeof(window));
	return xasprintf("client #%lld stays blocked: %d no-shows remain in %s"
			 " (policies.noshow.block_after)", c->id, n, window);
}

static enum appt_status lift_block(struct appt_session *s, const struct appointment *a,
				   const struct target *t, struct undo_result *res,
				   struct appt_err *err)
{
	long long mark = strcmp(t->action, "noshow") ? 0 : block_mark(s, a, t);
	struct client c;
	char *stays, *why;
	enum appt_status status;

	if (!mark)
		return APPT_OK;
	status = client_get(s->db, a->client_id, &c, err);
	if (status || !c.blocked) {
		client_release(&c);
		return status;
	}
	stays = block_stays(s, &c, mark);
	if (stays) {
		strlist_push(&res->warnings, stays);
	} else {
		why = xasprintf("appt undo of the no-show of appointment #%lld (event #%lld)",
				a->id, t->id);
		status = client_set_blocked(s->db, c.id, 0, why, s->actor, s->now, err);
		free(why);
		why = xasprintf("unblocked client #%lld %s", c.id, c.name);
		strlist_push(&res->done, why);
		free(why);
	}
	free(stays);
	client_release(&c);
	return status;
}

/* ---- the whole undo ---- */

static enum appt_status undo_locked(struct appt_session *s, const struct appointment *a,
				    const char *reason, struct undo_result *res,
				    struct appt_err *err)
{
	struct target t = { 0 };
	char *before = NULL;
	enum appt_status status = find_target(s, a, &t, err);

	if (!status)
		status = check_not_invoiced(s, a, &t, err);
	if (!status && occupies(t.was) && !occupies(a->state))
		status = check_time_free(s, a, &t, err);
	if (!status) {
		before = event_snapshot(s->db, "appointment", a->id);
		status = restore_row(s, a, &t, err);
	}
	if (!status)
		status = log_undo(s, a, &t, before, reason, &res->event, err);
	if (!status)
		status = undo_messages(s, a, &t, res, err);
	if (!status)
		status = void_fee(s, a, &t, res, err);
	if (!status)
		status = lift_block(s, a, &t, res, err);
	if (!status) {
		res->undone = t.id;
		res->action = xstrdup(t.action);
		res->from = a->state;
		res->to = t.was;
	}
	free(before);
	target_release(&t);
	return status;
}

enum appt_status appointment_undo(struct appt_session *s, long long id,
				  const char *reason, struct undo_result *res,
				  struct appt_err *err)
{
	struct appointment a;
	enum appt_status status;

	memset(res, 0, sizeof(*res));
	res->id = id;
	/* Read and changed under one write lock: the state cannot move under us. */
	status = db_begin_write(s->db, err);
	if (status)
		return status;
	status = appointment_get(s->db, id, &a, err);
	if (status) {
		db_rollback(s->db);
		return status;
	}
	status = db_finish_write(s->db, undo_locked(s, &a, reason, res, err), err);
	appointment_release(&a);
	return status;
}
