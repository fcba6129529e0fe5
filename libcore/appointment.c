#include "appointment.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_names[STATE_COUNT] = {
	"booked", "confirmed", "waiting", "in-progress", "done", "cancelled", "no-show",
	"held",
};

const char *state_name(enum appt_state st)
{
	return (unsigned)st < STATE_COUNT ? state_names[st] : "unknown";
}

int state_parse(const char *name, enum appt_state *out)
{
	for (int i = 0; i < STATE_COUNT; i++) {
		if (!strcmp(name, state_names[i])) {
			*out = (enum appt_state)i;
			return 0;
		}
	}
	return -1;
}

int state_is_end(enum appt_state st)
{
	return st == STATE_DONE || st == STATE_CANCELLED || st == STATE_NOSHOW;
}

void appointment_release(struct appointment *a)
{
	free(a->client_name);
	free(a->client_phone);
	free(a->service);
	free(a->provider);
	free(a->resource);
	free(a->local_start);
	free(a->zone);
	free(a->via);
	free(a->note);
	free(a->confirmed_via);
	free(a->cancel_reason);
	free(a->cancelled_by);
	memset(a, 0, sizeof(*a));
}


#define APPOINTMENT_COLUMNS                                                   \
	"a.id, a.client_id, c.name, c.phone, a.service, a.provider, a.resource," \
	" a.start_at, a.end_at, a.local_start, a.zone, a.status, a.via, a.note," \
	" a.confirmed_at, a.confirmed_via, a.reschedules, a.late_cancel,"     \
	" a.cancel_reason, a.cancelled_by, a.created_at, a.updated_at,"       \
	" a.hold_until, a.series_id"                                            \
	" FROM appointments a JOIN clients c ON c.id = a.client_id"

static void read_row(struct stmt *st, struct appointment *a)
{
	enum appt_state state = STATE_BOOKED;

	state_parse(db_column_str(st, 11), &state);
	*a = (struct appointment){
		.id = stmt_column_int64(st, 0),
		.client_id = stmt_column_int64(st, 1),
		.client_name = db_column_strdup(st, 2),
		.client_phone = db_column_strdup(st, 3),
		.service = db_column_strdup(st, 4),
		.provider = db_column_strdup(st, 5),
		.resource = db_column_strdup(st, 6),
		.start = (time_t)stmt_column_int64(st, 7),
		.end = (time_t)stmt_column_int64(st, 8),
		.local_start = db_column_strdup(st, 9),
		.zone = db_column_strdup(st, 10),
		.state = state,
		.via = db_column_strdup(st, 12),
		.note = db_column_strdup(st, 13),
		.confirmed_at = (time_t)stmt_column_int64(st, 14),
		.confirmed_via = db_column_strdup(st, 15),
		.reschedules = stmt_column_int(st, 16),
		.late_cancel = stmt_column_int(st, 17),
		.cancel_reason = db_column_strdup(st, 18),
		.cancelled_by = db_column_strdup(st, 19),
		.created_at = (time_t)stmt_column_int64(st, 20),
		.updated_at = (time_t)stmt_column_int64(st, 21),
		.hold_until = (time_t)stmt_column_int64(st, 22),
		.series_id = stmt_column_int64(st, 23),
	};
}

enum appt_status appointment_get(struct appt_db *db, long long id,
				 struct appointment *out, struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(db, "SELECT " APPOINTMENT_COLUMNS " WHERE a.id = ?");
	int rc;

	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == STORE_ROW)
		read_row(st, out);
	stmt_reset(st);
	if (rc == STORE_DONE)
		return appt_fail(err, APPT_NOTFOUND, "no appointment #%lld", id);
	if (rc != STORE_ROW)
		return db_error(db, rc, "reading an appointment", err);
	return APPT_OK;
}

enum appt_status appointment_each(struct appt_db *db,
				  const struct appointment_filter *f,
				  void (*fn)(const struct appointment *a, void *data),
				  void *data, struct appt_err *err)
{
	struct stmt *st = db_prepare(db, "SELECT " APPOINTMENT_COLUMNS
		" WHERE a.start_at >= ?1 AND a.start_at < ?2"
		" AND (?3 IS NULL OR a.provider = ?3) AND (?4 = 0 OR a.client_id = ?4)"
		" AND (?5 IS NULL OR a.status = ?5)"
		" ORDER BY a.start_at, a.provider, a.id");
	int rc;

	/* Plain range bounds (no "?=0 OR") so that appointments_start can answer. */
	stmt_bind_int64(st, 1, f->from ? f->from : INT64_MIN);
	stmt_bind_int64(st, 2, f->to ? f->to : INT64_MAX);
	db_bind_text(st, 3, f->provider);
	stmt_bind_int64(st, 4, f->client_id);
	db_bind_text(st, 5, f->state >= 0 ? state_name((enum appt_state)f->state) : NULL);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		struct appointment a;

		read_row(st, &a);
		fn(&a, data);
		appointment_release(&a);
	}
	stmt_finalize(st);
	if (rc != STORE_DONE)
		return db_error(db, rc, "listing appointments", err);
	return APPT_OK;
}

