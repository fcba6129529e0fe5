#include "client_merge.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "client.h"
#include "event.h"
#include "outbox.h"

/*
 * What a client owns, by table.  Appointments, charges, invoices and
 * payments move row by row (an invoice keeps whom it was billed to),
 * each with its own event: `appt show` and a fee audit read a row's
 * history, and must see why its client changed.  Notes, contacts and
 * messages are read through their client, so the client events' counts
 * say what moved.
 */
static const struct owned {
	const char *table;
	const char *entity; /* NULL: moved in one statement, not logged row by row */
	size_t count;       /* where struct merge_result counts it */
} owned[] = {
	{ "appointments", "appointment", offsetof(struct merge_result, appointments) },
	{ "client_notes", NULL, offsetof(struct merge_result, notes) },
	{ "contacts", NULL, offsetof(struct merge_result, contacts) },
	{ "messages", NULL, offsetof(struct merge_result, messages) },
	{ "charges", "charge", offsetof(struct merge_result, charges) },
	{ "invoices", "invoice", offsetof(struct merge_result, invoices) },
	{ "payments", "payment", offsetof(struct merge_result, payments) },
	{ "requests", "request", offsetof(struct merge_result, requests) },
	{ "waitlist", "waitlist", offsetof(struct merge_result, waitlist) },
	{ "series", NULL, offsetof(struct merge_result, series) },
};

#define NR_OWNED (sizeof(owned) / sizeof(owned[0]))

struct merge {
	struct appt_db *db;
	long long keep, other;
	const char *reason;
	const char *actor;
	time_t now;
};

void merge_result_release(struct merge_result *r)
{
	strlist_clear(&r->filled);
	free(r->keep_name);
	free(r->other_name);
	free(r->other_blocked_reason);
	memset(r, 0, sizeof(*r));
}

static enum appt_status check_pair(const struct merge *m, struct client *keep,
				   struct client *other, struct appt_err *err)
{
	enum appt_status status;

	if (m->keep == m->other)
		return appt_fail(err, APPT_REFUSED, "cannot merge client #%lld into itself",
				 m->keep);
	if ((status = client_get(m->db, m->keep, keep, err)) ||
	    (status = client_get(m->db, m->other, other, err)))
		return status;
	if (keep->merged_into)
		return appt_fail(err, APPT_REFUSED, "client #%lld was merged into #%lld; keep that one",
				 keep->id, keep->merged_into);
	if (other->merged_into)
		return appt_fail(err, APPT_REFUSED, "client #%lld was already merged into #%lld",
				 other->id, other->merged_into);
	return APPT_OK;
}

static enum appt_status move_all(const struct merge *m, const struct owned *o,
				 long long *count, struct appt_err *err)
{
	char *sql = xasprintf("UPDATE %s SET client_id = ?1 WHERE client_id = ?2", o->table);
	struct stmt *st = db_prepare(m->db, sql);
	enum appt_status status;

	free(sql);
	stmt_bind_int64(st, 1, m->keep);
	stmt_bind_int64(st, 2, m->other);
	status = db_exec_stmt(m->db, st, "moving the client's records", err);
	if (!status)
		*count = db_changes(m->db);
	return status;
}

/* The ids first: rows must not move under a running scan. */
static enum appt_status owned_ids(const struct merge *m, const struct owned *o,
				  struct idlist *ids, struct appt_err *err)
{
	char *sql = xasprintf("SELECT id FROM %s WHERE client_id = ? ORDER BY id", o->table);
	struct stmt *st = db_prepare(m->db, sql);

	free(sql);
	stmt_bind_int64(st, 1, m->other);
	return db_collect_ids(m->db, st, ids, "reading the client's records", err);
}

static enum appt_status move_row(const struct merge *m, const struct owned *o,
				 long long id, struct appt_err *err)
{
	char *sql = xasprintf("UPDATE %s SET client_id = ?1 WHERE id = ?2", o->table);
	struct stmt *st = db_prepare(m->db, sql);
	char *before = event_snapshot(m->db, o->entity, id);
	enum appt_status status;

	free(sql);
	stmt_bind_int64(st, 1, m->keep);
	stmt_bind_int64(st, 2, id);
	status = db_exec_stmt(m->db, st, "moving the client's records", err);
	if (!status)
		status = event_log_current(m->db, &(struct event){
			.at = m->now, .actor = m->actor, .entity = o->entity, .entity_id = id,
			.action = "merge", .before = before, .reason = m->reason }, err);
	free(before);
	return status;
}

static enum appt_status move_each(const struct merge *m, const struct owned *o,
				  long long *count, struct appt_err *err)
{
	struct idlist ids = IDLIST_INIT;
	enum appt_status status = owned_ids(m, o, &ids, err);

	for (size_t i = 0; !status && i < ids.nr; i++)
		status = move_row(m, o, ids.items[i], err);
	if (!status)
		*count = (long long)ids.nr;
	idlist_clear(&ids);
	return status;
}

static enum appt_status move_owned(const struct merge *m, struct merge_result *res,
				   struct appt_err *err)
{
	enum appt_status status = APPT_OK;

	for (size_t i = 0; !status && i < NR_OWNED; i++) {
		long long *count = (long long *)((char *)res + owned[i].count);

		status = owned[i].entity ? move_each(m, &owned[i], count, err)
					 : move_all(m, &owned[i], count, err);
	}
	/* outreach already made for OTHER's visits is KEEP's: not made again */
	if (!status)
		status = outbox_rekey_client(m->db, m->keep, m->other, err);
	return status;
}

static void note_filled(struct merge_result *res, const char *what,
			const char *mine, const char *theirs)
{
	if (!mine && theirs)
		strlist_push(&res->filled, what);
}

/*
 * KEEP's own values win; what it lacks comes from OTHER (with its key).
 * A STOP texted from the number KEEP is left with holds for KEEP too: a
 * merge never starts texts to a number that asked for none.
 */
static enum appt_status fill_keep(const struct merge *m, const struct client *keep,
				  const struct client *other, struct merge_result *res,
				  struct appt_err *err)
{
	struct stmt *st = db_prepare(m->db,
		"UPDATE clients AS k SET (phone, phone_key, email, born, program,"
		" program_ended_at, texts_stopped_at, updated_at) = (SELECT COALESCE(k.phone, o.phone),"
		" CASE WHEN k.phone IS NULL THEN o.phone_key ELSE k.phone_key END,"
		" COALESCE(k.email, o.email), COALESCE(k.born, o.born),"
		" COALESCE(k.program, o.program),"
		" CASE WHEN k.program IS NULL THEN o.program_ended_at ELSE k.program_ended_at END,"
		" COALESCE(k.texts_stopped_at, CASE WHEN o.phone_key ="
		"   (CASE WHEN k.phone IS NULL THEN o.phone_key ELSE k.phone_key END)"
		"   THEN o.texts_stopped_at END),"
		" ?3 FROM clients o WHERE o.id = ?2) WHERE k.id = ?1");

	note_filled(res, "phone", keep->phone, other->phone);
	note_filled(res, "e-mail", keep->email, other->email);
	note_filled(res, "born", keep->born, other->born);
	note_filled(res, "program", keep->program, other->program);
	stmt_bind_int64(st, 1, m->keep);
	stmt_bind_int64(st, 2, m->other);
	stmt_bind_int64(st, 3, m->now);
	return db_exec_stmt(m->db, st, "filling in the client kept", err);
}

/* OTHER, and whatever was merged into it before, now stand for KEEP. */
static enum appt_status retire_other(const struct merge *m, struct appt_err *err)
{
	struct stmt *st = db_prepare(m->db,
		"UPDATE clients SET merged_into = ?1, updated_at = ?3"
		" WHERE id = ?2 OR merged_into = ?2");

	stmt_bind_int64(st, 1, m->keep);
	stmt_bind_int64(st, 2, m->other);
	stmt_bind_int64(st, 3, m->now);
	return db_exec_stmt(m->db, st, "marking the merged client", err);
}

static enum appt_status log_client(const struct merge *m, long long id,
				   const char *action, const char *before,
				   struct appt_err *err)
{
	return event_log_current(m->db, &(struct event){
		.at = m->now, .actor = m->actor, .entity = "client", .entity_id = id,
		.action = action, .before = before, .reason = m->reason }, err);
}

static enum appt_status merge_records(const struct merge *m, const struct client *keep,
				      const struct client *other,
				      struct merge_result *res, struct appt_err *err)
{
	char *keep_before = event_snapshot(m->db, "client", m->keep);
	char *other_before = event_snapshot(m->db, "client", m->other);
	enum appt_status status;

	/* the other record's credit pays what the kept one owes */
	if (!(status = move_owned(m, res, err)) &&
	    !(status = account_settle(m->db, m->now, m->keep, err)) &&
	    !(status = fill_keep(m, keep, other, res, err)) &&
	    !(status = retire_other(m, err)) &&
	    !(status = log_client(m, m->keep, "merge", keep_before, err)))
		status = log_client(m, m->other, "merged", other_before, err);
	free(keep_before);
	free(other_before);
	return status;
}

enum appt_status client_merge(struct appt_db *db, long long keep, long long other,
			      const char *reason, const char *actor, time_t now,
			      struct merge_result *res, struct appt_err *err)
{
	const struct merge m = { db, keep, other, reason, actor, now };
	struct client k = { 0 }, o = { 0 };
	enum appt_status status;

	memset(res, 0, sizeof(*res));
	if (reason && (status = text_check("reason", reason, 0, err)))
		return status;
	if (!(status = check_pair(&m, &k, &o, err)))
		status = merge_records(&m, &k, &o, res, err);
	res->keep_name = xstrdup_or_null(k.name);
	res->other_name = xstrdup_or_null(o.name);
	if (!status && o.blocked && !k.blocked) {
		res->other_blocked = 1;
		res->other_blocked_reason = xstrdup_or_null(o.blocked_reason);
	}
	client_release(&k);
	client_release(&o);
	return status;
}
