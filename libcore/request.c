#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "event.h"
#include "slots.h"
#include "when.h"
#include "wish.h"

/*
 * How far ahead --first-available looks when the configuration sets no
 * booking horizon: the slot search's own limit (slots.c).
 */
#define DEFAULT_HORIZON (60 * 86400L)

static const char *const state_names[] = {
	[REQUEST_OPEN] = "open",
	[REQUEST_ANSWERED] = "answered",
	[REQUEST_DECLINED] = "declined",
};

const char *request_state_name(enum request_state st)
{
	return state_names[st];
}

int request_state_parse(const char *name, enum request_state *out)
{
	for (int i = 0; i < REQUEST_STATE_COUNT; i++)
		if (name && !strcmp(name, state_names[i])) {
			*out = (enum request_state)i;
			return 0;
		}
	return -1;
}

/* ---- the client's wish: days and times ---- */

/* When the client can come: weekdays (a wish.h mask; 0: any) and times (none: all day). */
struct wish {
	unsigned days;
	struct wish_times times;
};

static enum appt_status parse_wish(const char *days, const char *times, struct wish *w,
				   struct appt_err *err)
{
	memset(w, 0, sizeof(*w));
	if (days && wish_parse_days(days, &w->days))
		return appt_fail(err, APPT_DATAERR,
				 "invalid days '%s' (write mon,tue or mon-fri)", days);
	if (times && wish_parse_times(times, &w->times))
		return appt_fail(err, APPT_DATAERR,
				 "invalid times '%s' (write 09:00-12:00 or"
				 " 09:00-12:00,14:00-17:00; each ending after it starts)", times);
	return APPT_OK;
}

/* What request_add stores, checked; the strings are the caller's to free. */
struct taken {
	char *days;
	char *times;
	const char *via;
};

static void taken_release(struct taken *t)
{
	free(t->days);
	free(t->times);
}

/* The stored forms (wish.h): "mon,tue", "09:00-12:00". */
static char *stored_days(unsigned days)
{
	struct strbuf sb = STRBUF_INIT;

	wish_format_days(days, &sb);
	return strbuf_detach(&sb);
}

static char *stored_times(const struct wish_times *t)
{
	struct strbuf sb = STRBUF_INIT;

	wish_format_times(t, &sb);
	return strbuf_detach(&sb);
}

static enum appt_status read_taken(const struct request_new *r, struct taken *t,
				   struct appt_err *err)
{
	struct wish w;
	enum appt_status status;

	memset(t, 0, sizeof(*t));
	if ((status = text_check("prefer", r->prefer, 0, err)) ||
	    (status = text_check("note", r->note, 1, err)))
		return status;
	if (r->via && (status = via_parse(r->via, VIA_FOR_REQUEST, &t->via, err)))
		return status;
	if ((status = parse_wish(r->days, r->times, &w, err)))
		return status;
	t->days = r->days ? stored_days(w.days) : NULL;
	t->times = r->times ? stored_times(&w.times) : NULL;
	return APPT_OK;
}

enum appt_status request_check(const struct request_new *r, struct appt_err *err)
{
	struct taken t;
	enum appt_status status = read_taken(r, &t, err);

	taken_release(&t);
	return status;
}

void request_describe_wish(const char *prefer, const char *days, const char *times,
			   struct strbuf *sb)
{
	const char *parts[] = { prefer, days, times };
	const char *sep = "";

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (!parts[i] || !*parts[i])
			continue;
		strbuf_addf(sb, "%s%s", sep, parts[i]);
		sep = "; ";
	}
}

/* ---- taking a request down ---- */

/* The service and provider asked for, as booking will judge them. */
static enum appt_status check_asked(const struct appt_config *cfg, const char *service,
				    const char *provider, struct appt_err *err)
{
	const struct cfg_service *svc = config_service(cfg, service);
	const struct cfg_provider *p;

	if (!svc)
		return config_no_service(cfg, service, err);
	if (!provider)
		return APPT_OK;
	if (!(p = config_provider(cfg, provider)))
		return appt_fail(err, APPT_NOTFOUND, "no provider '%s'", provider);
	if (!provider_offers(p, svc->id))
		return appt_fail(err, APPT_REFUSED, "%s does not offer %s", p->name, svc->name);
	return APPT_OK;
}

static enum appt_status insert_request(struct appt_session *s, const struct request_new *r,
				       const struct taken *t, long long *id,
				       struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"INSERT INTO requests (client_id, service, provider, prefer, days, times, via,"
		" note, taken_by, created_at, reply_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		" RETURNING id");

	stmt_bind_int64(st, 1, r->client_id);
	db_bind_text(st, 2, r->service);
	db_bind_text(st, 3, r->provider);
	db_bind_text(st, 4, r->prefer);
	db_bind_text(st, 5, t->days);
	db_bind_text(st, 6, t->times);
	db_bind_text(st, 7, t->via);
	db_bind_text(st, 8, r->note);
	db_bind_text(st, 9, s->actor);
	stmt_bind_int64(st, 10, s->now);
	stmt_bind_int64(st, 11, s->now + s->cfg->policies.request.reply_within);
	return db_insert_id(s->db, st, id, "taking the request down", err);
}

/* The row, its audit event and the acknowledgement: one step, one transaction. */
static enum appt_status record_request(struct appt_session *s, const struct request_new *r,
				       const struct taken *t, long long *id, long long *message,
				       struct appt_err *err)
{
	long long event;
	enum appt_status status = insert_request(s, r, t, id, err);

	if (!status)
		status = event_log_current_id(s->db, &(struct event){
			.at = s->now, .actor = s->actor, .entity = "request",
			.entity_id = *id, .action = "add" }, &event, err);
	if (!status)
		status = outbox_queue_request_notice(s, "request_received",
			&(struct request_ref){ *id, r->client_id, r->service, 0 }, event,
			message, err);
	return status;
}

enum appt_status request_add(struct appt_session *s, const struct request_new *r,
			     long long *id, long long *message, struct appt_err *err)
{
	struct client c;
	struct taken t;
	enum appt_status status;

	*id = *message = 0;
	if ((status = read_taken(r, &t, err)))
		return status;
	status = check_asked(s->cfg, r->service, r->provider, err);
	if (!status)
		status = client_get(s->db, r->client_id, &c, err);
	if (!status) {
		client_release(&c);
		status = db_begin_write(s->db, err);
	}
	if (!status)
		status = db_finish_write(s->db, record_request(s, r, &t, id, message, err), err);
	taken_release(&t);
	return status;
}

/* ---- reading ---- */

#define REQUEST_COLUMNS                                                           \
	"SELECT r.id, r.client_id, c.name, c.phone, r.service, r.provider, r.prefer," \
	" r.days, r.times, r.via, r.note, r.taken_by, r.created_at, r.reply_by,"      \
	" r.status, r.appointment_id, r.closed_at, r.closed_by, r.decline_reason"     \
	" FROM requests r JOIN clients c ON c.id = r.client_id"

void request_release(struct request *r)
{
	free(r->client_name);
	free(r->client_phone);
	free(r->service);
	free(r->provider);
	free(r->prefer);
	free(r->days);
	free(r->times);
	free(r->via);
	free(r->note);
	free(r->taken_by);
	free(r->closed_by);
	free(r->decline_reason);
	memset(r, 0, sizeof(*r));
}

static void read_request(struct stmt *st, struct request *r)
{
	enum request_state state = REQUEST_OPEN;

	/* the schema holds status to the three words */
	request_state_parse(stmt_column_text(st, 14), &state);
	*r = (struct request){
		.id = stmt_column_int64(st, 0),
		.client_id = stmt_column_int64(st, 1),
		.client_name = db_column_strdup(st, 2),
		.client_phone = db_column_strdup(st, 3),
		.service = db_column_strdup(st, 4),
		.provider = db_column_strdup(st, 5),
		.prefer = db_column_strdup(st, 6),
		.days = db_column_strdup(st, 7),
		.times = db_column_strdup(st, 8),
		.via = db_column_strdup(st, 9),
		.note = db_column_strdup(st, 10),
		.taken_by = db_column_strdup(st, 11),
		.created_at = (time_t)stmt_column_int64(st, 12),
		.reply_by = (time_t)stmt_column_int64(st, 13),
		.state = state,
		.appointment_id = stmt_column_int64(st, 15),
		.closed_at = (time_t)stmt_column_int64(st, 16),
		.closed_by = db_column_strdup(st, 17),
		.decline_reason = db_column_strdup(st, 18),
	};
}

enum appt_status request_get(struct appt_db *db, long long id, struct request *out,
			     struct appt_err *err)
{
	struct stmt *st = db_prepare(db, REQUEST_COLUMNS " WHERE r.id = ?1");
	int rc;

	memset(out, 0, sizeof(*out));
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == STORE_ROW)
		read_request(st, out);
	stmt_finalize(st);
	if (rc == STORE_DONE)
		return appt_fail(err, APPT_NOTFOUND, "no request #%lld", id);
	if (rc != STORE_ROW)
		return db_error(db, rc, "reading the request", err);
	return APPT_OK;
}

enum appt_status request_each(struct appt_db *db, const struct request_filter *f,
			      void (*fn)(const struct request *r, void *data),
			      void *data, struct appt_err *err)
{
	struct stmt *st = db_prepare(db, REQUEST_COLUMNS
		" WHERE (?1 IS NULL OR r.status = ?1) AND (?2 = 0 OR r.client_id = ?2)"
		" ORDER BY r.reply_by, r.id");
	int rc;

	db_bind_text(st, 1, f->state >= 0 ? request_state_name(f->state) : NULL);
	stmt_bind_int64(st, 2, f->client_id);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		struct request r;

		read_request(st, &r);
		fn(&r, data);
		request_release(&r);
	}
	stmt_finalize(st);
	if (rc != STORE_DONE)
		return db_error(db, rc, "reading the requests", err);
	return APPT_OK;
}

/* ---- answering and declining ---- */

/* Only an open request is answered or declined; the refusal says what became of it. */
static enum appt_status require_open(const struct request *r, const char *verb,
				     struct appt_err *err)
{
	if (r->state == REQUEST_ANSWERED)
		return appt_fail(err, APPT_REFUSED,
				 "cannot %s request #%lld: it is already answered (appointment #%lld)",
				 verb, r->id, r->appointment_id);
	if (r->state == REQUEST_DECLINED)
		return appt_fail(err, APPT_REFUSED,
				 "cannot %s request #%lld: it is already declined (%s)", verb, r->id,
				 r->decline_reason ? r->decline_reason : "no reason given");
	return APPT_OK;
}

/*
 * The first free slot from lo inside [lo, hi) of one day's wanted times,
 * as the slot search offers it: *found set, with its start and provider.
 */
static enum appt_status slot_within(struct appt_session *s, const char *service,
				    const char *provider, time_t lo, time_t hi,
				    struct slot *found, int *ok, struct appt_err *err)
{
	struct slot_query q = { .service = service, .provider = provider, .from = lo,
				.days = 1, .count = 1 };
	struct slot *slots;
	size_t nr;
	enum appt_status status = appointment_find_slots(s, &q, &slots, &nr, err);

	*ok = !status && nr && slots[0].start >= lo && slots[0].end <= hi;
	if (*ok)
		*found = slots[0];
	free(slots);
	return status;
}

/* One day's wanted times as instants from `from` on; a time in a DST gap is left out. */
static enum appt_status day_slot(struct appt_session *s, const struct request *r,
				 const char *provider, const struct wish *w,
				 struct appt_date day, time_t from, struct slot *found,
				 int *ok, struct appt_err *err)
{
	static const struct wish_span whole_day = { 0, 1440 };
	size_t nr = w->times.nr ? w->times.nr : 1;
	enum appt_status status = APPT_OK;

	*ok = 0;
	for (size_t i = 0; !status && !*ok && i < nr; i++) {
		const struct wish_span *iv = w->times.nr ? &w->times.span[i] : &whole_day;
		time_t lo, hi;

		if (when_local_to_utc(day, iv->from, &lo, NULL) ||
		    when_local_to_utc(day, iv->to, &hi, NULL))
			continue;
		if (lo < from)
			lo = from;
		if (lo < hi)
			status = slot_within(s, r->service, provider, lo, hi, found, ok, err);
	}
	return status;
}

/*
 * --first-available for a request that said when: the first slot on one
 * of its days and inside its times, day by day up to the booking horizon.
 */
static enum appt_status wished_slot(struct appt_session *s, const struct request *r,
				    const char *provider, time_t from, struct slot *found,
				    struct appt_err *err)
{
	long horizon = s->cfg->policies.booking.max_advance;
	struct appt_date day, last;
	struct wish w;
	int ok = 0;
	enum appt_status status = parse_wish(r->days, r->times, &w, err);

	if (status)
		return status;
	from = from > s->now ? from : s->now;
	when_to_local(from, &day, NULL, NULL);
	when_to_local(s->now + (horizon ? horizon : DEFAULT_HORIZON), &last, NULL, NULL);
	for (; !status && !ok && date_cmp(day, last) <= 0; day = date_add_days(day, 1))
		if (wish_day(w.days, date_wday(day)))
			status = day_slot(s, r, provider, &w, day, from, found, &ok, err);
	if (!status && !ok)
		status = appt_fail(err, APPT_REFUSED,
				   "no free slot for request #%lld on %s%s%s before the booking"
				   " horizon; answer it with --at TIME", r->id,
				   r->days ? r->days : "any day", r->times ? " within " : "",
				   r->times ? r->times : "");
	return status;
}

/* Books what was asked, at the time the desk chose. */
static enum appt_status book_request(struct appt_session *s, const struct request *r,
				     const struct request_answer *a, struct booking_result *res,
				     struct appt_err *err)
{
	struct booking_request b = {
		.client_id = r->client_id, .service = r->service,
		.provider = a->provider ? a->provider : r->provider,
		.at = a->at, .via = r->via, .note = r->note,
		.force = a->force, .reason = a->reason, .hold = a->hold,
	};
	struct slot slot = { 0 };
	enum appt_status status;

	if (a->first_available && !r->days && !r->times) {
		b.first_available = 1;
		b.from = a->from;
	} else if (a->first_available) {
		if ((status = wished_slot(s, r, b.provider, a->from, &slot, err)))
			return status;
		b.at = slot.start;
		b.provider = slot.provider;
	}
	return appointment_book(s, &b, res, err);
}

static enum appt_status close_request(struct appt_session *s, const struct request *r,
				      enum request_state to, long long appointment_id,
				      const char *reason, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"UPDATE requests SET status = ?1, appointment_id = nullif(?2, 0), closed_at = ?3,"
		" closed_by = ?4, decline_reason = ?5 WHERE id = ?6 AND status = 'open'");
	enum appt_status status;

	db_bind_text(st, 1, request_state_name(to));
	stmt_bind_int64(st, 2, appointment_id);
	stmt_bind_int64(st, 3, s->now);
	db_bind_text(st, 4, s->actor);
	db_bind_text(st, 5, reason);
	stmt_bind_int64(st, 6, r->id);
	status = db_exec_stmt(s->db, st, "closing the request", err);
	/* the write lock was taken before the request was read: nobody can have closed it since */
	if (!status && db_changes(s->db) != 1)
		status = appt_fail(err, APPT_REFUSED, "request #%lld is no longer open", r->id);
	return status;
}

/*
 * The request closed, with its audit event (*event, for the messages it
 * causes), and its call task, if the deadline had made one, closed as moot.
 */
static enum appt_status record_close(struct appt_session *s, const struct request *r,
				     enum request_state to, long long appointment_id,
				     const char *reason, long long *event, struct appt_err *err)
{
	char *before = event_snapshot(s->db, "request", r->id);
	enum appt_status status = close_request(s, r, to, appointment_id, reason, err);

	if (!status)
		status = event_log_current_id(s->db, &(struct event){
			.at = s->now, .actor = s->actor, .entity = "request", .entity_id = r->id,
			.action = to == REQUEST_ANSWERED ? "answer" : "decline",
			.before = before, .reason = reason }, event, err);
	if (!status)
		status = outbox_void_moot(s, r->client_id, NULL, err);
	free(before);
	return status;
}

static enum appt_status answer_locked(struct appt_session *s, long long id,
				      const struct request_answer *a,
				      struct booking_result *res, struct appt_err *err)
{
	struct request r;
	long long event;
	enum appt_status status = request_get(s->db, id, &r, err);

	if (!status)
		status = require_open(&r, "answer", err);
	if (!status)
		status = book_request(s, &r, a, res, err);
	if (!status)
		status = record_close(s, &r, REQUEST_ANSWERED, res->id, NULL, &event, err);
	request_release(&r);
	return status;
}

enum appt_status request_answer(struct appt_session *s, long long id,
				const struct request_answer *a, struct booking_result *res,
				struct appt_err *err)
{
	/* the request is read under the write lock: two desks answering it book once */
	enum appt_status status = db_begin_write(s->db, err);

	if (status)
		return status;
	return db_finish_write(s->db, answer_locked(s, id, a, res, err), err);
}

static enum appt_status decline_locked(struct appt_session *s, long long id,
				       const char *reason, long long *message,
				       struct appt_err *err)
{
	struct request r;
	long long event;
	enum appt_status status = request_get(s->db, id, &r, err);

	if (!status)
		status = require_open(&r, "decline", err);
	if (!status)
		status = record_close(s, &r, REQUEST_DECLINED, 0, reason, &event, err);
	if (!status)
		status = outbox_queue_request_notice(s, "request_declined",
			&(struct request_ref){ r.id, r.client_id, r.service, r.reply_by }, event,
			message, err);
	request_release(&r);
	return status;
}

enum appt_status request_decline(struct appt_session *s, long long id, const char *reason,
				 long long *message, struct appt_err *err)
{
	enum appt_status status;

	*message = 0;
	if (!reason || !reason[strspn(reason, " \t")])
		return appt_fail(err, APPT_DATAERR, "declining request #%lld needs a reason", id);
	if ((status = text_check("reason", reason, 0, err)))
		return status;
	if ((status = db_begin_write(s->db, err)))
		return status;
	return db_finish_write(s->db, decline_locked(s, id, reason, message, err), err);
}

/* ---- the deadline ---- */

/* Open requests past their deadline without a call task, the oldest deadline first. */
static enum appt_status overdue_ids(struct appt_session *s, struct idlist *ids,
				    struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"SELECT r.id FROM requests r WHERE r.status = 'open' AND r.reply_by <= ?1"
		" AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.key = 'request:' || r.id)"
		" ORDER BY r.reply_by, r.id");

	stmt_bind_int64(st, 1, s->now);
	return db_collect_ids(s->db, st, ids, "finding overdue requests", err);
}

enum appt_status request_call_overdue(struct appt_session *s, struct delivery_summary *sum,
				      void (*fn)(const struct request *r, long long task,
						 void *data),
				      void *data, struct appt_err *err)
{
	struct idlist ids = IDLIST_INIT;
	enum appt_status status = overdue_ids(s, &ids, err);

	for (size_t i = 0; !status && i < ids.nr; i++) {
		struct request r;
		long long task = 0;

		status = request_get(s->db, ids.items[i], &r, err);
		if (!status)
			status = outbox_queue_request_call(s,
				&(struct request_ref){ r.id, r.client_id, r.service, r.reply_by },
				sum, &task, err);
		if (!status && task && sum)
			sum->overdue++;
		if (!status && task && fn)
			fn(&r, task, data);
		request_release(&r);
	}
	idlist_clear(&ids);
	return status;
}
