#include "client_history.h"

/*
 * Both spans read appointments_client (client_id, start_at) from one end,
 * so a client with years of visits costs no more than one with a few.
 */
static const char *const visit_sql[] = {
	[VISITS_UPCOMING] =
		"SELECT id, start_at, service, provider, status FROM appointments"
		" WHERE client_id = ?1 AND start_at >= ?2 AND status <> 'cancelled'"
		" ORDER BY start_at, id LIMIT ?3",
	[VISITS_RECENT] =
		"SELECT id, start_at, service, provider, status FROM appointments"
		" WHERE client_id = ?1 AND start_at < ?2"
		" ORDER BY start_at DESC, id DESC LIMIT ?3",
};

enum appt_status client_each_visit(struct appt_db *db, long long client_id,
				   time_t now, enum visit_span span, int limit,
				   void (*fn)(const struct client_visit *v, void *data),
				   void *data, struct appt_err *err)
{
	struct stmt *st = db_prepare(db, visit_sql[span]);
	int rc;

	stmt_bind_int64(st, 1, client_id);
	stmt_bind_int64(st, 2, now);
	stmt_bind_int64(st, 3, limit);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		struct client_visit v = {
			.id = stmt_column_int64(st, 0),
			.start = (time_t)stmt_column_int64(st, 1),
			.service = db_column_str(st, 2),
			.provider = db_column_str(st, 3),
			.status = db_column_str(st, 4),
		};
		fn(&v, data);
	}
	stmt_finalize(st);
	if (rc != STORE_DONE)
		return db_error(db, rc, "reading the client's appointments", err);
	return APPT_OK;
}

enum appt_status client_each_last_contact(struct appt_db *db, long long client_id,
					  int limit,
					  void (*fn)(const struct client_contact *c, void *data),
					  void *data, struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"SELECT at, actor, via, outcome, text FROM contacts WHERE client_id = ?1"
		" ORDER BY at DESC, id DESC LIMIT ?2");
	int rc;

	stmt_bind_int64(st, 1, client_id);
	stmt_bind_int64(st, 2, limit);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		struct client_contact c = {
			.at = (time_t)stmt_column_int64(st, 0),
			.actor = db_column_str(st, 1),
			.via = db_column_str(st, 2),
			.outcome = stmt_column_text(st, 3),
			.text = db_column_str(st, 4),
		};
		fn(&c, data);
	}
	stmt_finalize(st);
	if (rc != STORE_DONE)
		return db_error(db, rc, "reading the client's contacts", err);
	return APPT_OK;
}
