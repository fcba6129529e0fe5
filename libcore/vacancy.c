#include "vacancy.h"

#include "event.h"

/* The slot an offer's hold stood on goes back to the waitlist for the next entry. */
static enum appt_status reopen_offer(struct appt_session *s, long long offer_id,
				     int *reopened, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"UPDATE freed_slots SET status = 'open', offer_id = NULL, entry_id = NULL"
		" WHERE offer_id = ?1 AND status = 'offered'");
	enum appt_status status;

	stmt_bind_int64(st, 1, offer_id);
	status = db_exec_stmt(s->db, st, "reopening a freed slot", err);
	*reopened = !status && db_changes(s->db) > 0;
	return status;
}

static enum appt_status record_freed(struct appt_session *s, const struct appointment *a,
				     const char *cause, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"INSERT INTO freed_slots (provider, resource, start_at, end_at, cause,"
		" appointment_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
	long long id;

	db_bind_text(st, 1, a->provider);
	db_bind_text(st, 2, a->resource);
	stmt_bind_int64(st, 3, a->start);
	stmt_bind_int64(st, 4, a->end);
	db_bind_text(st, 5, cause);
	stmt_bind_int64(st, 6, a->id);
	stmt_bind_int64(st, 7, s->now);
	return db_insert_id(s->db, st, &id, "recording a freed slot", err);
}

enum appt_status vacancy_freed(struct appt_session *s, const struct appointment *a,
			       const char *cause, struct appt_err *err)
{
	int reopened = 0;
	/* only a hold can be an offer: a plain cancellation skips the look */
	enum appt_status status = a->state == STATE_HELD
		? reopen_offer(s, a->id, &reopened, err) : APPT_OK;

	/* a time already begun is nobody's to offer */
	if (status || reopened || a->start <= s->now)
		return status;
	return record_freed(s, a, cause, err);
}

static enum appt_status take_offer(struct appt_session *s, long long id,
				   struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"UPDATE freed_slots SET status = 'taken' WHERE offer_id = ?1 AND status = 'offered'");

	stmt_bind_int64(st, 1, id);
	return db_exec_stmt(s->db, st, "settling a waitlist offer", err);
}

static enum appt_status close_entry(struct appt_session *s, long long entry,
				    long long id, struct appt_err *err)
{
	char *before = event_snapshot(s->db, "waitlist", entry);
	struct stmt *st = db_prepare(s->db,
		"UPDATE waitlist SET status = 'booked', appointment_id = ?1, closed_at = ?2,"
		" closed_by = ?3, close_reason = 'booked #' || ?1 WHERE id = ?4");
	enum appt_status status;

	stmt_bind_int64(st, 1, id);
	stmt_bind_int64(st, 2, s->now);
	db_bind_text(st, 3, s->actor);
	stmt_bind_int64(st, 4, entry);
	status = db_exec_stmt(s->db, st, "closing a waitlist entry", err);
	if (!status)
		status = event_log_current(s->db, &(struct event){
			.at = s->now, .actor = s->actor, .entity = "waitlist",
			.entity_id = entry, .action = "booked", .before = before }, err);
	free(before);
	return status;
}

enum appt_status vacancy_booked(struct appt_session *s, long long id, long long client_id,
				const char *service, struct appt_err *err)
{
	struct idlist entries = IDLIST_INIT;
	struct stmt *st = db_prepare(s->db,
		"SELECT id FROM waitlist WHERE client_id = ?1 AND service = ?2 AND status = 'open'"
		" ORDER BY id");
	enum appt_status status;

	stmt_bind_int64(st, 1, client_id);
	db_bind_text(st, 2, service);
	status = db_collect_ids(s->db, st, &entries, "reading the waitlist", err);
	if (!status)
		status = take_offer(s, id, err);
	for (size_t i = 0; !status && i < entries.nr; i++)
		status = close_entry(s, entries.items[i], id, err);
	idlist_clear(&entries);
	return status;
}
