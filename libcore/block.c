#include "block.h"

#include <stdint.h>
#include <stdlib.h>

#include "event.h"

static int count_overlapping(struct appt_db *db, const char *provider,
			     time_t from, time_t to)
{
	struct stmt *st = db_prepare(db,
		"SELECT count(*) FROM appointments WHERE provider = ?"
		" AND status NOT IN ('cancelled', 'no-show')"
		" AND start_at < ? AND end_at > ?");
	long long n = 0;

	db_bind_text(st, 1, provider);
	stmt_bind_int64(st, 2, to);
	stmt_bind_int64(st, 3, from);
	db_query_int(db, st, &n, "counting appointments", NULL);
	return (int)n;
}

static enum appt_status insert_block(struct appt_session *s, const char *provider,
				     time_t from, time_t to, const char *reason,
				     long long *id, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"INSERT INTO blocks (provider, from_at, to_at, reason, created_at)"
		" VALUES (?, ?, ?, ?, ?) RETURNING id");
	enum appt_status status;

	db_bind_text(st, 1, provider);
	stmt_bind_int64(st, 2, from);
	stmt_bind_int64(st, 3, to);
	db_bind_text(st, 4, reason);
	stmt_bind_int64(st, 5, s->now);
	status = db_insert_id(s->db, st, id, "adding time off", err);
	if (status)
		return status;
	return event_log_current(s->db, &(struct event){
		.at = s->now, .actor = s->actor, .entity = "block",
		.entity_id = *id, .action = "add", .reason = reason }, err);
}

enum appt_status block_add(struct appt_session *s, const char *provider,
			   time_t from, time_t to, const char *reason,
			   long long *id, int *overlapping, struct appt_err *err)
{
	enum appt_status status;

	if (!config_provider(s->cfg, provider))
		return appt_fail(err, APPT_NOTFOUND, "no provider '%s'", provider);
	if (to <= from)
		return appt_fail(err, APPT_DATAERR, "time off must end after it starts");
	if ((status = text_check("reason", reason, 0, err)))
		return status;
	status = db_begin_write(s->db, err);
	if (status)
		return status;
	status = insert_block(s, provider, from, to, reason, id, err);
	if (!status)
		*overlapping = count_overlapping(s->db, provider, from, to);
	return db_finish_write(s->db, status, err);
}

enum appt_status block_remove(struct appt_session *s, long long id,
			      struct appt_err *err)
{
	enum appt_status status;
	struct stmt *st;
	char *before;

	status = db_begin_write(s->db, err);
	if (status)
		return status;
	before = event_snapshot(s->db, "block", id);
	if (!before) {
		db_rollback(s->db);
		return appt_fail(err, APPT_NOTFOUND, "no time off #%lld", id);
	}
	st = db_prepare(s->db, "DELETE FROM blocks WHERE id = ?");
	stmt_bind_int64(st, 1, id);
	status = db_exec_stmt(s->db, st, "removing time off", err);
	if (!status)
		status = event_log(s->db, &(struct event){
			.at = s->now, .actor = s->actor, .entity = "block",
			.entity_id = id, .action = "remove", .before = before }, err);
	free(before);
	return db_finish_write(s->db, status, err);
}

enum appt_status block_each(struct appt_db *db, const char *provider,
			    time_t from, time_t to,
			    void (*fn)(const struct block *b, void *data),
			    void *data, struct appt_err *err)
{
	/* Plain range bounds (no "?=0 OR") so that the index can answer. */
	static const char sql_one[] =
		"SELECT id, provider, from_at, to_at, reason FROM blocks"
		" WHERE provider = ?1 AND to_at > ?2 AND from_at < ?3 ORDER BY from_at, id";
	static const char sql_all[] =
		"SELECT id, provider, from_at, to_at, reason FROM blocks"
		" WHERE to_at > ?2 AND from_at < ?3 ORDER BY from_at, id";
	struct stmt *st = db_prepare_cached(db, provider ? sql_one : sql_all);
	int rc;

	if (provider)
		db_bind_text(st, 1, provider);
	stmt_bind_int64(st, 2, from ? from : INT64_MIN);
	stmt_bind_int64(st, 3, to ? to : INT64_MAX);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		struct block b = {
			.id = stmt_column_int64(st, 0),
			.provider = db_column_str(st, 1),
			.from = (time_t)stmt_column_int64(st, 2),
			.to = (time_t)stmt_column_int64(st, 3),
			.reason = stmt_column_text(st, 4),
		};
		fn(&b, data);
	}
	stmt_reset(st);
	if (rc != STORE_DONE)
		return db_error(db, rc, "reading time off", err);
	return APPT_OK;
}
