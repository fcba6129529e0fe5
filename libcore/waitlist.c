#include "waitlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avail.h"
#include "booking.h"
#include "client.h"
#include "event.h"
#include "wish.h"

/* ---- which slots an entry takes ---- */

/*
 * Whether entry e would take its service at start with provider: the
 * provider offers the service (and is the one named), the day is inside
 * the entry's dates and weekdays, the visit inside its times.  What
 * booking decides (the client free, the calendar) is not asked here.
 */
static int entry_wants(const struct appt_session *s, const struct waitlist_entry *e,
		       const char *provider, time_t start)
{
	const struct cfg_service *svc = config_service(s->cfg, e->service);
	const struct cfg_provider *p = config_provider(s->cfg, provider);
	struct appt_date date;
	struct wish_times times;
	unsigned days;
	int minute, wday;
	char day[16];

	if (!svc || !p || !provider_offers(p, svc->id) || (e->provider && strcmp(e->provider, provider)))
		return 0;
	when_to_local(start, &date, &minute, &wday);
	date_format_iso(date, day, sizeof(day));
	if ((e->from_day && strcmp(day, e->from_day) < 0) || (e->to_day && strcmp(day, e->to_day) > 0))
		return 0;
	if (e->days && (wish_parse_days(e->days, &days) || !wish_day(days, wday)))
		return 0;
	if (e->times && (wish_parse_times(e->times, &times) || !wish_time(&times, minute, svc->duration)))
		return 0;
	return 1;
}

/* ---- reading entries ---- */

#define ENTRY_SELECT \
	"SELECT w.id, w.client_id, c.name, c.phone, w.service, w.provider, w.from_day," \
	" w.to_day, w.days, w.times, w.note, w.status, w.appointment_id, w.close_reason," \
	" w.created_at, (SELECT count(*) FROM waitlist_offers o WHERE o.entry_id = w.id)" \
	" FROM waitlist w JOIN clients c ON c.id = w.client_id"

static void entry_from_row(struct stmt *st, struct waitlist_entry *e)
{
	*e = (struct waitlist_entry){
		.id = stmt_column_int64(st, 0),
		.client_id = stmt_column_int64(st, 1),
		.client_name = db_column_strdup(st, 2),
		.client_phone = db_column_strdup(st, 3),
		.service = db_column_strdup(st, 4),
		.provider = db_column_strdup(st, 5),
		.from_day = db_column_strdup(st, 6),
		.to_day = db_column_strdup(st, 7),
		.days = db_column_strdup(st, 8),
		.times = db_column_strdup(st, 9),
		.note = db_column_strdup(st, 10),
		.status = db_column_strdup(st, 11),
		.appointment_id = stmt_column_int64(st, 12),
		.close_reason = db_column_strdup(st, 13),
		.created_at = (time_t)stmt_column_int64(st, 14),
		.offers = stmt_column_int(st, 15),
	};
}

/* Every row of st (ENTRY_SELECT's columns) appended to out; st is released. */
static enum appt_status read_entries(struct appt_db *db, struct stmt *st,
				     struct waitlist_list *out, struct appt_err *err)
{
	int rc;

	while ((rc = stmt_step(st)) == STORE_ROW) {
		ALLOC_GROW(out->items, out->nr + 1, out->alloc);
		entry_from_row(st, &out->items[out->nr++]);
	}
	db_release_stmt(db, st);
	if (rc != STORE_DONE)
		return db_error(db, rc, "reading the waitlist", err);
	return APPT_OK;
}

static void entry_release(struct waitlist_entry *e)
{
	free(e->client_name);
	free(e->client_phone);
	free(e->service);
	free(e->provider);
	free(e->from_day);
	free(e->to_day);
	free(e->days);
	free(e->times);
	free(e->note);
	free(e->status);
	free(e->close_reason);
}

void waitlist_list_release(struct waitlist_list *list)
{
	for (size_t i = 0; i < list->nr; i++)
		entry_release(&list->items[i]);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

enum appt_status waitlist_read(struct appt_db *db, const struct waitlist_filter *f,
			       struct waitlist_list *out, struct appt_err *err)
{
	struct stmt *st = db_prepare(db, ENTRY_SELECT
		" WHERE (?1 = 0 OR w.id = ?1) AND (?2 = 0 OR w.client_id = ?2)"
		" AND (?3 IS NULL OR w.service = ?3)"
		" AND (?4 IS NULL OR w.provider IS NULL OR w.provider = ?4)"
		" AND (?5 = 'all' OR w.status = ?5)"
		" ORDER BY w.id");

	stmt_bind_int64(st, 1, f->id);
	stmt_bind_int64(st, 2, f->client_id);
	db_bind_text(st, 3, f->service);
	db_bind_text(st, 4, f->provider);
	db_bind_text(st, 5, f->status ? f->status : "open");
	return read_entries(db, st, out, err);
}

/* ---- adding and removing ---- */

/* The entry's words as stored: days and times canonical, days as dates. */
struct canonical {
	char from[16];
	char to[16];
	struct strbuf days;
	struct strbuf times;
};

static enum appt_status check_refs(const struct appt_session *s, const struct waitlist_want *w,
				   struct appt_err *err)
{
	const struct cfg_service *svc = config_service(s->cfg, w->service);
	const struct cfg_provider *p;

	if (!svc)
		return config_no_service(s->cfg, w->service, err);
	if (!w->provider)
		return APPT_OK;
	if (!(p = config_provider(s->cfg, w->provider)))
		return appt_fail(err, APPT_NOTFOUND, "no provider '%s'", w->provider);
	if (!provider_offers(p, svc->id))
		return appt_fail(err, APPT_REFUSED, "%s does not offer %s", p->name, svc->name);
	return APPT_OK;
}

static enum appt_status read_day(const struct appt_session *s, const char *arg,
				 struct appt_date *date, char *out, size_t size,
				 struct appt_err *err)
{
	enum appt_status status = when_parse_date(arg, s->now, date, err);

	if (!status)
		date_format_iso(*date, out, size);
	return status;
}

/* The first and last day: the last not before the first, nor already past. */
static enum appt_status read_dates(const struct appt_session *s, const struct waitlist_want *w,
				   struct canonical *c, struct appt_err *err)
{
	struct appt_date from, to, today;
	enum appt_status status = APPT_OK;

	if (w->from)
		status = read_day(s, w->from, &from, c->from, sizeof(c->from), err);
	if (!status && w->to)
		status = read_day(s, w->to, &to, c->to, sizeof(c->to), err);
	if (status || !w->to)
		return status;
	when_to_local(s->now, &today, NULL, NULL);
	if (w->from && date_cmp(to, from) < 0)
		return appt_fail(err, APPT_DATAERR, "the last day %s is before the first %s",
				 c->to, c->from);
	if (date_cmp(to, today) < 0)
		return appt_fail(err, APPT_DATAERR, "the last day %s is already past", c->to);
	return APPT_OK;
}

static enum appt_status canonicalise(const struct appt_session *s, const struct waitlist_want *w,
				     struct canonical *c, struct appt_err *err)
{
	struct wish_times times;
	unsigned days;
	enum appt_status status = read_dates(s, w, c, err);

	if (status)
		return status;
	if (w->days && wish_parse_days(w->days, &days))
		return appt_fail(err, APPT_DATAERR,
				 "invalid days '%s' (write mon,tue or a range such as mon-fri)", w->days);
	if (w->times && wish_parse_times(w->times, &times))
		return appt_fail(err, APPT_DATAERR,
				 "invalid times '%s' (write 09:00-12:00, several joined by commas,"
				 " none overlapping)", w->times);
	if (w->days)
		wish_format_days(days, &c->days);
	if (w->times)
		wish_format_times(&times, &c->times);
	return text_check("note", w->note, 1, err);
}

/* Waiting is for a time to book: a client who may not book waits for nothing. */
static enum appt_status check_client(struct appt_session *s, long long id,
				     struct appt_err *err)
{
	struct client c;
	enum appt_status status = client_get(s->db, id, &c, err);

	if (!status && c.blocked)
		status = appt_fail(err, APPT_REFUSED,
				   "client #%lld %s is blocked (%s); unblock them first"
				   " (appt client unblock)", c.id, c.name,
				   c.blocked_reason ? c.blocked_reason : "no reason given");
	client_release(&c);
	return status;
}

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

static enum appt_status insert_entry(struct appt_session *s, const struct waitlist_want *w,
				     const struct canonical *c, long long *id,
				     struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"INSERT INTO waitlist (client_id, service, provider, from_day, to_day, days,"
		" times, note, created_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		" RETURNING id");
	enum appt_status status;

	stmt_bind_int64(st, 1, w->client_id);
	db_bind_text(st, 2, w->service);
	db_bind_text(st, 3, w->provider);
	db_bind_text(st, 4, or_null(c->from));
	db_bind_text(st, 5, or_null(c->to));
	db_bind_text(st, 6, or_null(c->days.buf));
	db_bind_text(st, 7, or_null(c->times.buf));
	db_bind_text(st, 8, w->note);
	stmt_bind_int64(st, 9, s->now);
	db_bind_text(st, 10, s->actor);
	status = db_insert_id(s->db, st, id, "adding to the waitlist", err);
	if (status)
		return status;
	return event_log_current(s->db, &(struct event){
		.at = s->now, .actor = s->actor, .entity = "waitlist",
		.entity_id = *id, .action = "add" }, err);
}

enum appt_status waitlist_add(struct appt_session *s, const struct waitlist_want *w,
			      long long *id, struct appt_err *err)
{
	struct canonical c = { "", "", STRBUF_INIT, STRBUF_INIT };
	enum appt_status status = check_refs(s, w, err);

	if (!status)
		status = canonicalise(s, w, &c, err);
	if (!status)
		status = db_begin_write(s->db, err);
	if (!status) {
		enum appt_status done = check_client(s, w->client_id, err);

		if (!done)
			done = insert_entry(s, w, &c, id, err);
		status = db_finish_write(s->db, done, err);
	}
	strbuf_release(&c.days);
	strbuf_release(&c.times);
	return status;
}

/* Only an open entry can be removed; the others say what became of them. */
static enum appt_status check_open(struct appt_session *s, long long id,
				   struct appt_err *err)
{
	struct waitlist_list found = { NULL, 0, 0 };
	struct waitlist_filter f = { .id = id, .status = "all" };
	enum appt_status status = waitlist_read(s->db, &f, &found, err);
	const struct waitlist_entry *e = found.nr ? &found.items[0] : NULL;

	if (!status && !e)
		status = appt_fail(err, APPT_NOTFOUND, "no waitlist entry #%lld", id);
	else if (!status && !strcmp(e->status, "booked"))
		status = appt_fail(err, APPT_REFUSED,
				   "waitlist entry #%lld is closed: the client was booked (#%lld)",
				   id, e->appointment_id);
	else if (!status && strcmp(e->status, "open"))
		status = appt_fail(err, APPT_REFUSED, "waitlist entry #%lld is already %s",
				   id, e->status);
	waitlist_list_release(&found);
	return status;
}

static enum appt_status close_removed(struct appt_session *s, long long id,
				      const char *reason, struct appt_err *err)
{
	char *before = event_snapshot(s->db, "waitlist", id);
	struct stmt *st = db_prepare(s->db,
		"UPDATE waitlist SET status = 'removed', closed_at = ?1, closed_by = ?2,"
		" close_reason = ?3 WHERE id = ?4");
	enum appt_status status;

	stmt_bind_int64(st, 1, s->now);
	db_bind_text(st, 2, s->actor);
	db_bind_text(st, 3, reason);
	stmt_bind_int64(st, 4, id);
	status = db_exec_stmt(s->db, st, "removing a waitlist entry", err);
	if (!status)
		status = event_log_current(s->db, &(struct event){
			.at = s->now, .actor = s->actor, .entity = "waitlist",
			.entity_id = id, .action = "remove", .before = before,
			.reason = reason }, err);
	free(before);
	return status;
}

enum appt_status waitlist_remove(struct appt_session *s, long long id,
				 const char *reason, struct appt_err *err)
{
	enum appt_status status = text_check("reason", reason, 0, err);

	if (status)
		return status;
	status = db_begin_write(s->db, err);
	if (status)
		return status;
	status = check_open(s, id, err);
	if (!status)
		status = close_removed(s, id, reason, err);
	return db_finish_write(s->db, status, err);
}

/* ---- offering freed slots ---- */

/* A freed slot still open, and the service of the appointment that left it. */
struct freed {
	long long id;
	char *provider;
	time_t start;
	char *service; /* NULL when that appointment is gone */
};

struct freed_list {
	struct freed *items;
	size_t nr;
	size_t alloc;
};

static void freed_list_release(struct freed_list *list)
{
	for (size_t i = 0; i < list->nr; i++) {
		free(list->items[i].provider);
		free(list->items[i].service);
	}
	free(list->items);
}

/* A time that has begun is nobody's to offer any more. */
static enum appt_status close_past(struct appt_session *s, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"UPDATE freed_slots SET status = 'closed' WHERE status = 'open' AND start_at <= ?1");

	stmt_bind_int64(st, 1, s->now);
	return db_exec_stmt(s->db, st, "closing past freed slots", err);
}

static enum appt_status close_slot(struct appt_session *s, long long id,
				   struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"UPDATE freed_slots SET status = 'closed' WHERE id = ?1");

	stmt_bind_int64(st, 1, id);
	return db_exec_stmt(s->db, st, "closing a freed slot", err);
}

/* The open slots, soonest first: read whole, as each offer writes. */
static enum appt_status open_slots(struct appt_session *s, struct freed_list *out,
				   struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"SELECT f.id, f.provider, f.start_at, a.service FROM freed_slots f"
		" LEFT JOIN appointments a ON a.id = f.appointment_id"
		" WHERE f.status = 'open' ORDER BY f.start_at, f.id");
	int rc;

	while ((rc = stmt_step(st)) == STORE_ROW) {
		ALLOC_GROW(out->items, out->nr + 1, out->alloc);
		out->items[out->nr++] = (struct freed){
			.id = stmt_column_int64(st, 0),
			.provider = db_column_strdup(st, 1),
			.start = (time_t)stmt_column_int64(st, 2),
			.service = db_column_strdup(st, 3),
		};
	}
	stmt_finalize(st);
	if (rc != STORE_DONE)
		return db_error(s->db, rc, "reading the freed slots", err);
	return APPT_OK;
}

/*
 * Whether the time is still free for what left it: the desk may have
 * booked it another way since, or taken it off (time off, a closure).
 * Such a slot is closed rather than tried on every entry at every run.
 */
static enum appt_status slot_still_free(struct appt_session *s, const struct freed *f,
					int *is_free, struct appt_err *err)
{
	const struct cfg_service *svc = f->service ? config_service(s->cfg, f->service) : NULL;
	const struct cfg_provider *p = config_provider(s->cfg, f->provider);
	struct resource_day rooms;
	struct day_plan plan;
	struct appt_date date;
	enum appt_status status;

	*is_free = 0;
	if (!svc || !p)
		return APPT_OK;
	when_to_local(f->start, &date, NULL, NULL);
	status = resource_day_load(s, svc, date, 0, &rooms, err);
	if (!status) {
		status = day_plan_load(s, &plan, p, svc, date, 0, &rooms, err);
		if (!status)
			*is_free = day_plan_fit(&plan, f->start, NULL, AVAIL_STRICT).rule == RULE_FITS;
		day_plan_release(&plan);
	}
	resource_day_release(&rooms);
	return status;
}

/*
 * How long an entry rests after an offer before it is made another: 24h
 * from the last offer, not the calendar day, so that the next one comes at
 * a time the desk can tell.  A client who lets offers lapse would
 * otherwise hear of every slot a busy day frees, each offer and its lapse
 * a text; the slot goes meanwhile to the next entry in order.
 */
#define OFFER_REST (24 * 60 * 60L)

/*
 * The open entries that may take the slot, in the order they were added:
 * not offered this slot before, with no offer of another unanswered, and
 * none made them in the last OFFER_REST.
 */
static enum appt_status candidates(struct appt_session *s, const struct freed *f,
				   struct waitlist_list *out, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db, ENTRY_SELECT
		" WHERE w.status = 'open' AND (w.provider IS NULL OR w.provider = ?1)"
		" AND (w.from_day IS NULL OR w.from_day <= ?2)"
		" AND (w.to_day IS NULL OR w.to_day >= ?2)"
		" AND NOT EXISTS (SELECT 1 FROM waitlist_offers x"
		"   WHERE x.entry_id = w.id AND (x.slot_id = ?3 OR x.at > ?4))"
		" AND NOT EXISTS (SELECT 1 FROM freed_slots p"
		"   WHERE p.entry_id = w.id AND p.status = 'offered')"
		" ORDER BY w.id");
	struct appt_date date;
	char day[16];

	when_to_local(f->start, &date, NULL, NULL);
	date_format_iso(date, day, sizeof(day));
	db_bind_text(st, 1, f->provider);
	db_bind_text(st, 2, day);
	stmt_bind_int64(st, 3, f->id);
	stmt_bind_int64(st, 4, s->now - OFFER_REST);
	return read_entries(s->db, st, out, err);
}

static enum appt_status mark_offered(struct appt_session *s, const struct freed *f,
				     long long hold, long long entry, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"UPDATE freed_slots SET status = 'offered', offer_id = ?1, entry_id = ?2"
		" WHERE id = ?3");
	enum appt_status status;

	stmt_bind_int64(st, 1, hold);
	stmt_bind_int64(st, 2, entry);
	stmt_bind_int64(st, 3, f->id);
	status = db_exec_stmt(s->db, st, "offering a freed slot", err);
	if (status)
		return status;
	st = db_prepare(s->db,
		"INSERT INTO waitlist_offers (entry_id, slot_id, appointment_id, at)"
		" VALUES (?1, ?2, ?3, ?4)");
	stmt_bind_int64(st, 1, entry);
	stmt_bind_int64(st, 2, f->id);
	stmt_bind_int64(st, 3, hold);
	stmt_bind_int64(st, 4, s->now);
	return db_exec_stmt(s->db, st, "recording a waitlist offer", err);
}

struct offer_part {
	struct appt_session *s;
	const struct freed *slot;
	const struct waitlist_entry *entry;
	struct booking_result res;
};

/*
 * One try, in a savepoint (db_try_part): booking's refusal of this client
 * (busy, blocked, inside the notice) is undone alone, and the next entry
 * is tried in the same run.
 */
static enum appt_status place_offer(void *data, struct appt_err *err)
{
	struct offer_part *o = data;
	struct appt_session *s = o->s;
	struct booking_request req = {
		.client_id = o->entry->client_id, .service = o->entry->service,
		.provider = o->slot->provider, .at = o->slot->start,
		.hold = s->cfg->policies.waitlist.offer_hold, .action = "offer",
	};
	char reason[64];
	enum appt_status status = appointment_book(s, &req, &o->res, err);

	if (!status)
		status = mark_offered(s, o->slot, o->res.id, o->entry->id, err);
	snprintf(reason, sizeof(reason), "offered hold #%lld", o->res.id);
	if (!status)
		status = event_log_current(s->db, &(struct event){
			.at = s->now, .actor = s->actor, .entity = "waitlist",
			.entity_id = o->entry->id, .action = "offer", .reason = reason }, err);
	return status;
}

/* What makes the client unable to take it, not the run unable to go on. */
static int is_refusal(enum appt_status status)
{
	return status == APPT_REFUSED || status == APPT_NOTFOUND || status == APPT_DATAERR;
}

struct offer_run {
	struct appt_session *s;
	void (*fn)(const struct waitlist_offer *o, void *data);
	void *data;
};

static void tell(const struct offer_run *r, const struct offer_part *o)
{
	struct waitlist_offer w = {
		.appointment_id = o->res.id, .entry_id = o->entry->id, .slot_id = o->slot->id,
		.start = o->slot->start, .hold_until = o->res.hold_until,
		.provider = o->slot->provider, .client_name = o->entry->client_name,
	};

	if (r->fn)
		r->fn(&w, r->data);
}

/*
 * A group's place is a seat in a session that exists: a client waiting
 * for a class is offered a seat freed in one, never a session of their
 * own made in a consultation's freed time.
 */
static int seat_fits(const struct appt_session *s, const struct waitlist_entry *e,
		     const struct freed *f)
{
	const struct cfg_service *svc = config_service(s->cfg, e->service);

	return svc && (svc->capacity <= 1 || (f->service && !strcmp(f->service, svc->id)));
}

/* The first candidate booking accepts gets the slot; the rest wait. */
static enum appt_status offer_slot(const struct offer_run *r, const struct freed *f,
				   struct appt_err *err)
{
	struct waitlist_list entries = { NULL, 0, 0 };
	enum appt_status status = candidates(r->s, f, &entries, err);

	for (size_t i = 0; !status && i < entries.nr; i++) {
		struct offer_part o = { r->s, f, &entries.items[i], { 0 } };
		struct appt_err why = { "" };

		if (!seat_fits(r->s, o.entry, f) || !entry_wants(r->s, o.entry, f->provider, f->start))
			continue;
		status = db_try_part(r->s->db, place_offer, &o, &why);
		if (!status)
			tell(r, &o);
		booking_result_release(&o.res);
		if (!status)
			break;
		if (is_refusal(status))
			status = APPT_OK;
		else
			*err = why;
	}
	waitlist_list_release(&entries);
	return status;
}

static enum appt_status offer_each(const struct offer_run *r, struct appt_err *err)
{
	struct freed_list slots = { NULL, 0, 0 };
	enum appt_status status = open_slots(r->s, &slots, err);

	for (size_t i = 0; !status && i < slots.nr; i++) {
		int is_free = 0;

		status = slot_still_free(r->s, &slots.items[i], &is_free, err);
		if (!status && !is_free)
			status = close_slot(r->s, slots.items[i].id, err);
		else if (!status)
			status = offer_slot(r, &slots.items[i], err);
	}
	freed_list_release(&slots);
	return status;
}

enum appt_status waitlist_offer_freed(struct appt_session *s,
				      void (*fn)(const struct waitlist_offer *o, void *data),
				      void *data, struct appt_err *err)
{
	struct offer_run r = { s, fn, data };
	enum appt_status status = db_begin_write(s->db, err);

	if (status)
		return status;
	status = close_past(s, err);
	if (!status)
		status = offer_each(&r, err);
	return db_finish_write(s->db, status, err);
}

/* ---- free slots that match an entry (the report) ---- */

/* Slots one day may have: every start of a long day at a five-minute step. */
#define SLOTS_PER_DAY 300

/* The first and last instants to look at for e, inside [from, to) when given. */
static void search_window(const struct appt_session *s, const struct waitlist_entry *e,
			  time_t from, time_t to, time_t *first, time_t *end)
{
	const struct cfg_booking_policy *pol = &s->cfg->policies.booking;
	struct appt_date d;

	*first = from > s->now ? from : s->now;
	*end = s->now + (pol->max_advance ? pol->max_advance : 60 * 86400L);
	if (to && to < *end)
		*end = to;
	if (e->from_day && !date_parse_iso(e->from_day, &d) && when_day_start(d) > *first)
		*first = when_day_start(d);
	if (e->to_day && !date_parse_iso(e->to_day, &d) &&
	    when_day_start(date_add_days(d, 1)) < *end)
		*end = when_day_start(date_add_days(d, 1));
}

/* Keeps the slots of one day e takes and the client is free at, up to max. */
static enum appt_status keep_wanted(struct appt_session *s, const struct waitlist_entry *e,
				    const struct slot *day, size_t nr, time_t end,
				    struct slot **out, size_t *kept, size_t max,
				    struct appt_err *err)
{
	enum appt_status status = APPT_OK;

	for (size_t i = 0; !status && i < nr && *kept < max && day[i].start < end; i++) {
		long long other = 0;

		if (!entry_wants(s, e, day[i].provider, day[i].start))
			continue;
		status = avail_client_busy(s, e->client_id, day[i].start, day[i].end, 0,
					   &other, err);
		if (!status && !other)
			(*out)[(*kept)++] = day[i];
	}
	return status;
}

/*
 * Whether the slot search can be asked at all: the service still
 * configured, the provider (when one is named) offering it.  An entry
 * the configuration has left behind simply has no slots.
 */
static int searchable(const struct appt_session *s, const char *service,
		      const char *provider)
{
	const struct cfg_service *svc = config_service(s->cfg, service);
	const struct cfg_provider *p = provider ? config_provider(s->cfg, provider) : NULL;

	return svc && (!provider || (p && provider_offers(p, svc->id)));
}

enum appt_status waitlist_free_slots(struct appt_session *s, const struct waitlist_entry *e,
				     const char *provider, time_t from, time_t to,
				     size_t max, struct slot **slots, size_t *nr,
				     struct appt_err *err)
{
	struct slot_query q = {
		.service = e->service, .provider = e->provider ? e->provider : provider,
		.days = 1, .count = SLOTS_PER_DAY,
	};
	struct appt_date date, last;
	enum appt_status status = APPT_OK;
	unsigned days = 0x7f;
	time_t first, end;

	*slots = xcalloc(max ? max : 1, sizeof(**slots));
	*nr = 0;
	if ((provider && e->provider && strcmp(provider, e->provider)) ||
	    !searchable(s, q.service, q.provider) || (e->days && wish_parse_days(e->days, &days)))
		return APPT_OK;
	search_window(s, e, from, to, &first, &end);
	when_to_local(first, &date, NULL, NULL);
	when_to_local(end - 1, &last, NULL, NULL);
	/* a day at a time, so that few wanted days far apart are still reached */
	for (; !status && *nr < max && first < end && date_cmp(date, last) <= 0;
	     date = date_add_days(date, 1)) {
		struct slot *day = NULL;
		size_t found = 0;
		time_t start = when_day_start(date);

		if (!wish_day(days, date_wday(date)))
			continue;
		q.from = start > first ? start : first;
		status = appointment_find_slots(s, &q, &day, &found, err);
		if (!status)
			status = keep_wanted(s, e, day, found, end, slots, nr, max, err);
		free(day);
	}
	return status;
}
