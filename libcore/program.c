#include "program.h"

#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "event.h"

/* The key prefix of one outreach cycle: the steps after one visit. */
char *program_cycle_key(const char *program, long long client_id, long long visit_id)
{
	return xasprintf("outreach:%s:%lld:%lld:", program, client_id, visit_id);
}

static int counts_as_visit(const struct cfg_program *prog, const char *service)
{
	return !prog->services.nr || strlist_has(&prog->services, service);
}

/*
 * The first appointment a query lists (id, start_at, service; bound to the
 * client and now) whose service the program counts; *id stays 0 when none.
 */
static enum appt_status first_counted(struct appt_session *s, const char *sql,
				      const struct cfg_program *prog, long long client_id,
				      long long *id, time_t *start, struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(s->db, sql);
	int rc;

	stmt_bind_int64(st, 1, client_id);
	stmt_bind_int64(st, 2, s->now);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		if (!counts_as_visit(prog, db_column_str(st, 2)))
			continue;
		*id = stmt_column_int64(st, 0);
		*start = (time_t)stmt_column_int64(st, 1);
		break;
	}
	stmt_reset(st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return db_error(s->db, rc, "reading the client's visits", err);
	return APPT_OK;
}

/* The latest done visit: the program's clock starts there. */
static const char last_visit_sql[] =
	"SELECT id, start_at, service FROM appointments"
	" WHERE client_id = ?1 AND status = 'done' AND start_at <= ?2 ORDER BY start_at DESC";

/*
 * A booked visit stops the outreach, but only one of a service the program
 * counts: seed 004 keeps a client booked for something else (a
 * consultation) on the report.
 */
static const char next_booked_sql[] =
	"SELECT id, start_at, service FROM appointments WHERE client_id = ?1"
	" AND start_at >= ?2 - " VISIT_STILL_OPEN_SQL
	" AND status IN ('booked', 'confirmed', 'waiting', 'in-progress') ORDER BY start_at";

/*
 * Attempts since the visit: each is numbered when made (an outreach day's
 * messages share one number, a call task's tries share its number, an
 * inbound contact has none), so the latest number is the count.  The last
 * attempt is when the latest outbound one was queued or logged.
 */
static enum appt_status count_attempts(struct appt_session *s, long long client_id,
				       struct program_status *out, struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(s->db,
		"SELECT max(coalesce((SELECT max(attempt) FROM messages WHERE client_id = ?1"
		"        AND kind = 'outreach' AND created_at >= ?2), 0),"
		"     coalesce((SELECT max(attempt) FROM contacts WHERE client_id = ?1"
		"        AND at >= ?2 AND inbound = 0), 0)),"
		" max(coalesce((SELECT max(created_at) FROM messages WHERE client_id = ?1"
		"        AND kind = 'outreach' AND created_at >= ?2 AND attempt IS NOT NULL), 0),"
		"     coalesce((SELECT max(at) FROM contacts WHERE client_id = ?1 AND at >= ?2"
		"        AND inbound = 0), 0))");
	int rc;

	stmt_bind_int64(st, 1, client_id);
	stmt_bind_int64(st, 2, out->last_visit);
	rc = stmt_step(st);
	if (rc == STORE_ROW) {
		out->attempts = stmt_column_int(st, 0);
		out->last_attempt = (time_t)stmt_column_int64(st, 1);
	}
	stmt_reset(st);
	if (rc != STORE_ROW)
		return db_error(s->db, rc, "counting outreach attempts", err);
	return APPT_OK;
}

/*
 * Whether step i of this cycle was made, and when (0: not yet): when it
 * reached the client (its sending), else when it was queued.  *waiting is
 * set for a text still held back (day 25's, until its call is logged).
 */
static time_t step_made_at(struct appt_session *s, long long client_id,
			   const struct program_status *st, size_t i, int *waiting)
{
	struct stmt *q = db_prepare_cached(s->db,
		"SELECT max(created_at, coalesce(sent_at, 0)), status = 'pending'"
		" FROM messages WHERE key = ?");
	char *prefix = program_cycle_key(st->program->id, client_id, st->last_visit_id);
	char *key = xasprintf("%s%zu", prefix, i);
	time_t at = 0;

	db_bind_text(q, 1, key);
	if (stmt_step(q) == STORE_ROW) {
		at = (time_t)stmt_column_int64(q, 0);
		*waiting |= stmt_column_int(q, 1);
	}
	stmt_reset(q);
	free(key);
	free(prefix);
	return at;
}

/*
 * The next step not yet queued, and whether the program has run out: every
 * step is made and end_after has passed since the last one reached the
 * client (seed 004's final text: "if we do not hear back from you within
 * 24 hours").
 */
static void find_next_step(struct appt_session *s, long long client_id,
			   struct program_status *out)
{
	const struct cfg_program *prog = out->program;
	time_t last_made = 0;
	int waiting = 0;

	out->next_step = -1;
	for (size_t i = 0; i < prog->nr_steps; i++) {
		time_t at = step_made_at(s, client_id, out, i, &waiting);

		if (!at) {
			out->next_step = (int)i;
			out->next_date = date_add_days(out->last_visit_date, prog->steps[i].day);
			return;
		}
		if (at > last_made)
			last_made = at;
	}
	out->due_to_end = prog->nr_steps && prog->end_after && !waiting &&
			  s->now - last_made >= prog->end_after;
}

enum appt_status program_status(struct appt_session *s, long long client_id,
				struct program_status *out, struct appt_err *err)
{
	struct client c;
	struct appt_date today;
	time_t next_start;
	enum appt_status status;

	memset(out, 0, sizeof(*out));
	out->next_step = -1;
	status = client_get(s->db, client_id, &c, err);
	if (status)
		return status;
	if (c.program && !c.program_ended_at)
		out->program = config_program(s->cfg, c.program);
	client_release(&c);
	if (!out->program)
		return APPT_OK;
	status = first_counted(s, last_visit_sql, out->program, client_id,
			       &out->last_visit_id, &out->last_visit, err);
	if (status || !out->last_visit_id)
		return status;
	when_to_local(out->last_visit, &out->last_visit_date, NULL, NULL);
	when_to_local(s->now, &today, NULL, NULL);
	out->days_since = (int)date_diff_days(today, out->last_visit_date);
	status = first_counted(s, next_booked_sql, out->program, client_id,
			       &out->next_booked_id, &next_start, err);
	if (!status)
		status = count_attempts(s, client_id, out, err);
	if (!status)
		find_next_step(s, client_id, out);
	return status;
}

enum appt_status program_each_overdue(struct appt_session *s,
				      void (*fn)(long long client_id,
						 const struct program_status *st,
						 void *data),
				      void *data, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"SELECT id FROM clients WHERE program IS NOT NULL"
		" AND program_ended_at IS NULL AND blocked = 0 ORDER BY id");
	enum appt_status status = APPT_OK;
	int rc;

	while (!status && (rc = stmt_step(st)) == STORE_ROW) {
		long long id = stmt_column_int64(st, 0);
		struct program_status ps;

		status = program_status(s, id, &ps, err);
		if (!status && ps.program && ps.last_visit_id && !ps.next_booked_id)
			fn(id, &ps, data);
	}
	stmt_finalize(st);
	if (!status && rc != STORE_DONE)
		status = db_error(s->db, rc, "listing program clients", err);
	return status;
}

enum appt_status program_end(struct appt_session *s, long long client_id,
			     const char *why, struct appt_err *err)
{
	char *before = event_snapshot(s->db, "client", client_id);
	struct stmt *st = db_prepare(s->db,
		"UPDATE clients SET program_ended_at = ?1, updated_at = ?1 WHERE id = ?2");
	enum appt_status status;

	stmt_bind_int64(st, 1, s->now);
	stmt_bind_int64(st, 2, client_id);
	status = db_exec_stmt(s->db, st, "ending a program", err);
	if (!status)
		status = event_log_current(s->db, &(struct event){
			.at = s->now, .actor = s->actor, .entity = "client",
			.entity_id = client_id, .action = "program-end",
			.before = before, .reason = why }, err);
	free(before);
	return status;
}
