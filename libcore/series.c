#include "series.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"

void series_result_release(struct series_result *r)
{
	for (size_t i = 0; i < r->nr; i++) {
		booking_result_release(&r->items[i].res);
		free(r->items[i].why);
	}
	free(r->items);
	memset(r, 0, sizeof(*r));
}

void series_info_release(struct series_info *i)
{
	free(i->every);
	memset(i, 0, sizeof(*i));
}

enum appt_status series_parse_every(const char *every, struct series_plan *p,
				    struct appt_err *err)
{
	char unit[4] = "";
	int n = 0, used = 0;

	if (sscanf(every, "%d%3[a-z]%n", &n, unit, &used) != 2 || every[used] || n < 1 || n > 52 ||
	    (strcmp(unit, "d") && strcmp(unit, "w") && strcmp(unit, "mo")))
		return appt_fail(err, APPT_DATAERR,
				 "invalid value '%s' for --repeat (expected Nd, Nw or Nmo, N from 1"
				 " to 52: 1w, 2w, 4w, 1mo)", every);
	p->every = every;
	p->days = !strcmp(unit, "d") ? n : !strcmp(unit, "w") ? 7 * n : 0;
	p->months = !strcmp(unit, "mo") ? n : 0;
	return APPT_OK;
}

/* The same day of another month, or its last day when it has no such day (31 Jan + 1mo). */
static struct appt_date add_months(struct appt_date d, int months)
{
	int m = d.month - 1 + months;
	struct appt_date out = { d.year + m / 12, m % 12 + 1, d.day };

	while (!date_valid(out))
		out.day--;
	return out;
}

/* ---- running each occurrence as a part of one transaction ---- */

/*
 * One occurrence's change in a savepoint: a conflict (APPT_REFUSED) is
 * kept as the occurrence's why and the others go on; anything else ends
 * the whole change.
 */
static enum appt_status run_part(struct appt_session *s, struct series_item *it,
				 enum appt_status (*fn)(void *data, struct appt_err *err),
				 void *data, int *conflicts, struct appt_err *err)
{
	struct appt_err why = { "" };
	enum appt_status status = db_try_part(s->db, fn, data, &why);

	if (status == APPT_REFUSED) {
		it->why = xstrdup(why.msg);
		(*conflicts)++;
		return APPT_OK;
	}
	if (status)
		*err = why;
	return status;
}

static struct series_item *add_item(struct series_result *out, time_t at)
{
	out->items = xreallocarray(out->items, out->nr + 1, sizeof(*out->items));
	memset(&out->items[out->nr], 0, sizeof(*out->items));
	out->items[out->nr].at = at;
	return &out->items[out->nr++];
}

/* "2027-03-16 10:00 (closed: ...); ..." for each occurrence refused. */
static void list_conflicts(const struct series_result *out, struct strbuf *sb)
{
	for (size_t i = 0; i < out->nr; i++) {
		char at[40];

		if (!out->items[i].why)
			continue;
		when_format_local(out->items[i].at, at, sizeof(at));
		strbuf_addf(sb, "%s%s (%s)", sb->len ? "; " : "", at, out->items[i].why);
	}
}

/* Nothing was written after all: no occurrence reads as done. */
static void forget_done(struct series_result *out)
{
	for (size_t i = 0; i < out->nr; i++)
		out->items[i].res.id = 0, out->items[i].res.message_id = 0;
	out->done = 0;
}

static enum appt_status refuse_conflicts(struct series_result *out, int conflicts,
					 const char *doing, const char *rest,
					 struct appt_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	enum appt_status status;

	list_conflicts(out, &sb);
	status = appt_fail(err, APPT_REFUSED, "%d of %zu occurrences cannot be %s, so none was: %s%s",
			   conflicts, out->nr, doing, sb.buf, rest);
	strbuf_release(&sb);
	forget_done(out);
	return status;
}

/* ---- booking ---- */

static enum appt_status insert_series(struct appt_session *s, const struct booking_request *req,
				      const struct series_plan *plan, long long *id,
				      struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"INSERT INTO series (client_id, service, every, created_at, actor)"
		" VALUES (?, ?, ?, ?, ?) RETURNING id");
	enum appt_status status;

	stmt_bind_int64(st, 1, req->client_id);
	db_bind_text(st, 2, req->service);
	db_bind_text(st, 3, plan->every);
	stmt_bind_int64(st, 4, s->now);
	db_bind_text(st, 5, s->actor);
	status = db_insert_id(s->db, st, id, "saving the series", err);
	if (!status)
		status = event_log_current(s->db, &(struct event){
			.at = s->now, .actor = s->actor, .entity = "series", .entity_id = *id,
			.action = "book", .reason = req->reason }, err);
	return status;
}

struct book_part {
	struct appt_session *s;
	struct booking_request req;
	struct booking_result *res;
};

static enum appt_status book_one(void *data, struct appt_err *err)
{
	struct book_part *p = data;

	return appointment_book(p->s, &p->req, p->res, err);
}

/* The k-th occurrence's day (0 is the first's); 0 past the plan's end. */
static int occurrence_day(const struct series_plan *plan, struct appt_date first, int k,
			  struct appt_date *day)
{
	*day = plan->months ? add_months(first, k * plan->months)
			    : date_add_days(first, k * plan->days);
	return plan->count ? k < plan->count : date_cmp(*day, plan->until) <= 0;
}

/*
 * One occurrence at minute of day: booked, or its why kept.  A wall time
 * a daylight-saving gap skips does not exist: a conflict of its own.
 */
static enum appt_status book_occurrence(struct appt_session *s, const struct booking_request *req,
					struct appt_date day, int minute,
					struct series_result *out, int *conflicts,
					struct appt_err *err)
{
	struct book_part part = { s, *req, NULL };
	struct appt_err gap = { "" };
	struct series_item *it = add_item(out, when_day_start(day));
	enum appt_status status;

	if (when_local_to_utc(day, minute, &it->at, &gap)) {
		it->why = xstrdup(gap.msg);
		(*conflicts)++;
		return APPT_OK;
	}
	part.req.at = it->at;
	part.req.series_id = out->id;
	part.res = &it->res;
	status = run_part(s, it, book_one, &part, conflicts, err);
	out->done += !status && !it->why;
	return status;
}

static enum appt_status book_occurrences(struct appt_session *s, const struct booking_request *req,
					 const struct series_plan *plan,
					 struct series_result *out, int *conflicts,
					 struct appt_err *err)
{
	struct appt_date first, day;
	int minute;
	enum appt_status status = APPT_OK;

	when_to_local(req->at, &first, &minute, NULL);
	if (occurrence_day(plan, first, SERIES_MAX, &day))
		return appt_fail(err, APPT_DATAERR,
				 "that series would have more than %d occurrences; end it sooner"
				 " (an earlier --until) and book the rest later", SERIES_MAX);
	for (int k = 0; !status && k < SERIES_MAX && occurrence_day(plan, first, k, &day); k++)
		status = book_occurrence(s, req, day, minute, out, conflicts, err);
	return status;
}

static enum appt_status book_locked(struct appt_session *s, const struct booking_request *req,
				    const struct series_plan *plan, struct series_result *out,
				    struct appt_err *err)
{
	int conflicts = 0;
	enum appt_status status = insert_series(s, req, plan, &out->id, err);

	if (!status)
		status = book_occurrences(s, req, plan, out, &conflicts, err);
	if (status || !conflicts)
		return status;
	if (!out->done)
		return refuse_conflicts(out, conflicts, "booked", "", err);
	if (!plan->skip_conflicts)
		return refuse_conflicts(out, conflicts, "booked",
					"; --skip-conflicts books the others", err);
	return APPT_OK;
}

enum appt_status series_book(struct appt_session *s, const struct booking_request *req,
			     const struct series_plan *plan, struct series_result *out,
			     struct appt_err *err)
{
	enum appt_status status;

	memset(out, 0, sizeof(*out));
	/* who may force is one answer for the whole series, not one an occurrence */
	status = req->force ? session_check_force(s, req->reason, err) : APPT_OK;
	if (!status)
		status = db_begin_write(s->db, err);
	if (status)
		return status;
	status = db_finish_write(s->db, book_locked(s, req, plan, out, err), err);
	if (status)
		out->id = 0;
	return status;
}

/* ---- cancelling and moving what is left of a series ---- */

/* Appointment id, which must be one of a series. */
static enum appt_status series_member(struct appt_session *s, long long id,
				      struct appointment *a, struct appt_err *err)
{
	enum appt_status status = appointment_get(s->db, id, a, err);

	if (!status && !a->series_id)
		status = appt_fail(err, APPT_REFUSED,
				   "appointment #%lld is not one of a series; leave out --series", id);
	return status;
}

/* a and the later occurrences of its series that still hold their time. */
static enum appt_status later_occurrences(struct appt_session *s, const struct appointment *a,
					  int latest_first, struct idlist *ids,
					  struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db, latest_first
		? "SELECT id FROM appointments WHERE series_id = ?1 AND start_at >= ?2"
		  " AND status IN ('booked', 'confirmed', 'held') ORDER BY start_at DESC, id DESC"
		: "SELECT id FROM appointments WHERE series_id = ?1 AND start_at >= ?2"
		  " AND status IN ('booked', 'confirmed', 'held') ORDER BY start_at, id");
	enum appt_status status;

	stmt_bind_int64(st, 1, a->series_id);
	stmt_bind_int64(st, 2, a->start);
	status = db_collect_ids(s->db, st, ids, "reading the series", err);
	if (!status && !ids->nr)
		status = appt_fail(err, APPT_REFUSED,
				   "appointment #%lld is %s: nothing of its series is left to change",
				   a->id, state_name(a->state));
	return status;
}

static enum appt_status cancel_locked(struct appt_session *s, long long id, const char *reason,
				      const char *by, int force, int no_notice,
				      struct series_result *out, struct appt_err *err)
{
	struct idlist ids = IDLIST_INIT;
	struct appointment a;
	enum appt_status status = series_member(s, id, &a, err);

	if (!status)
		status = later_occurrences(s, &a, 0, &ids, err);
	for (size_t i = 0; !status && i < ids.nr; i++) {
		struct series_item *it = add_item(out, 0);

		status = appointment_cancel(s, ids.items[i], reason, by, force, no_notice,
					    &it->res, err);
		it->at = it->res.start;
		out->done += !status;
	}
	appointment_release(&a);
	idlist_clear(&ids);
	return status;
}

enum appt_status series_cancel(struct appt_session *s, long long id, const char *reason,
			       const char *by, int force, int no_notice,
			       struct series_result *out, struct appt_err *err)
{
	enum appt_status status;

	memset(out, 0, sizeof(*out));
	status = db_begin_write(s->db, err);
	if (status)
		return status;
	status = db_finish_write(s->db, cancel_locked(s, id, reason, by, force, no_notice,
						      out, err), err);
	if (status)
		forget_done(out);
	return status;
}

/* The same move of the wall clock: "a week later, an hour earlier". */
struct shift {
	long days;
	int minutes;
};

static struct shift shift_between(time_t from, time_t to)
{
	struct appt_date d0, d1;
	int m0, m1;

	when_to_local(from, &d0, &m0, NULL);
	when_to_local(to, &d1, &m1, NULL);
	return (struct shift){ date_diff_days(d1, d0), m1 - m0 };
}

static enum appt_status shifted(time_t t, struct shift sh, time_t *out, struct appt_err *err)
{
	struct appt_date d;
	int m;

	when_to_local(t, &d, &m, NULL);
	m += sh.minutes;
	d = date_add_days(d, (int)sh.days + (m < 0 ? -1 : m >= 1440 ? 1 : 0));
	m = (m + 1440) % 1440;
	return when_local_to_utc(d, m, out, err);
}

struct move_part {
	struct appt_session *s;
	long long id;
	struct booking_request req;
	struct booking_result *res;
};

static enum appt_status move_one(void *data, struct appt_err *err)
{
	struct move_part *p = data;

	return appointment_reschedule(p->s, p->id, &p->req, p->res, err);
}

static enum appt_status move_each(struct appt_session *s, const struct idlist *ids,
				  const struct booking_request *req, struct shift sh,
				  struct series_result *out, int *conflicts, struct appt_err *err)
{
	enum appt_status status = APPT_OK;

	for (size_t i = 0; !status && i < ids->nr; i++) {
		struct move_part part = { s, ids->items[i], *req, NULL };
		struct series_item *it = add_item(out, 0);
		struct appointment o;

		status = appointment_get(s->db, ids->items[i], &o, err);
		if (!status && shifted(o.start, sh, &part.req.at, err))
			status = APPT_OK, it->why = xstrdup(err->msg), (*conflicts)++;
		it->at = part.req.at ? part.req.at : o.start;
		part.res = &it->res;
		if (!status && !it->why)
			status = run_part(s, it, move_one, &part, conflicts, err);
		out->done += !status && !it->why;
		appointment_release(&o);
	}
	return status;
}

/* The desk reads a series in the order of its dates, whatever order it moved in. */
static int by_start(const void *x, const void *y)
{
	const struct series_item *a = x, *b = y;

	return (a->at > b->at) - (a->at < b->at);
}

static enum appt_status reschedule_locked(struct appt_session *s, long long id,
					  const struct booking_request *req,
					  struct series_result *out, struct appt_err *err)
{
	struct idlist ids = IDLIST_INIT;
	struct appointment a;
	int conflicts = 0;
	enum appt_status status = series_member(s, id, &a, err);

	/* moving later, the last goes first: no occurrence lands on one not yet moved */
	if (!status)
		status = later_occurrences(s, &a, req->at > a.start, &ids, err);
	if (!status)
		status = move_each(s, &ids, req, shift_between(a.start, req->at), out,
				   &conflicts, err);
	if (!status && conflicts)
		status = refuse_conflicts(out, conflicts, "moved", "", err);
	qsort(out->items, out->nr, sizeof(*out->items), by_start);
	appointment_release(&a);
	idlist_clear(&ids);
	return status;
}

enum appt_status series_reschedule(struct appt_session *s, long long id,
				   const struct booking_request *req,
				   struct series_result *out, struct appt_err *err)
{
	enum appt_status status;

	memset(out, 0, sizeof(*out));
	if (req->first_available)
		return appt_fail(err, APPT_USAGE, "--series moves by the shift --at gives;"
				 " --first-available cannot say one");
	status = db_begin_write(s->db, err);
	if (status)
		return status;
	status = db_finish_write(s->db, reschedule_locked(s, id, req, out, err), err);
	if (status)
		forget_done(out);
	return status;
}

enum appt_status series_describe(struct appt_db *db, long long series_id, long long appointment_id,
				 struct series_info *out, struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"SELECT s.every, (SELECT count(*) FROM appointments o WHERE o.series_id = s.id"
		"   AND o.start_at <= (SELECT start_at FROM appointments WHERE id = ?2)),"
		" (SELECT count(*) FROM appointments o WHERE o.series_id = s.id)"
		" FROM series s WHERE s.id = ?1");
	int rc;

	memset(out, 0, sizeof(*out));
	stmt_bind_int64(st, 1, series_id);
	stmt_bind_int64(st, 2, appointment_id);
	rc = stmt_step(st);
	if (rc == STORE_ROW) {
		out->every = db_column_strdup(st, 0);
		out->position = stmt_column_int(st, 1);
		out->total = stmt_column_int(st, 2);
	}
	stmt_finalize(st);
	if (rc == STORE_DONE)
		return appt_fail(err, APPT_NOTFOUND, "no series #%lld", series_id);
	return rc == STORE_ROW ? APPT_OK : db_error(db, rc, "reading a series", err);
}
