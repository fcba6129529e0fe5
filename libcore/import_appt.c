/*
 * import_appt: appointment rows — their client, the stored appointment they
 * match, the calendar later ones must fit, and writing them.
 */
#include <stdlib.h>
#include <string.h>

#include "booking.h"
#include "avail.h"
#include "client.h"
#include "event.h"
#include "import_priv.h"
#include "when.h"

/*
 * Day plans kept for checking later appointments (a power of two): a busy
 * day holds a plan per provider and service, about a hundred at the bench
 * clinic.  Each plan may sit in one of two slots.
 */
#define PLAN_SLOTS 256

/* Lookups bind ?1 external id, ?2 client, ?3 start, ?4 provider. */
#define APPT_MATCH(where)                                                    \
	"SELECT id, client_id, service, provider, resource, start_at, end_at," \
	" status, note, external_id FROM appointments WHERE " where

static const char by_xid_sql[] = APPT_MATCH("external_id = ?1");
static const char by_time_sql[] =
	APPT_MATCH("client_id = ?2 AND start_at = ?3 AND provider = ?4 ORDER BY id LIMIT 1");

/*
 * Right-hand sides see the old row: placed_at restarts only when the
 * appointment moved, done_at keeps its first value.
 */
static const char update_sql[] =
	"UPDATE appointments SET client_id = ?1, service = ?2, provider = ?3,"
	" resource = ?4, start_at = ?5, end_at = ?6, busy_from = ?7,"
	" busy_to = ?8, local_start = ?9, zone = ?10, status = ?11,"
	" note = COALESCE(?12, note), external_id = COALESCE(?15, external_id),"
	" placed_at = CASE WHEN start_at <> ?5 OR provider <> ?3 THEN ?13"
	"   ELSE placed_at END,"
	" done_at = CASE WHEN ?11 = 'done' THEN COALESCE(done_at, ?6) END,"
	" updated_at = ?13 WHERE id = ?14";

/* A day plan with its own copy of the rooms, so that both can grow. */
struct plan_slot {
	int loaded;
	unsigned long used; /* when last looked up: the older of two goes */
	struct day_plan plan;
	struct resource_day rooms;
	struct span day;
};

struct import_calendar {
	struct plan_slot slots[PLAN_SLOTS];
	unsigned long lookups;
};

/* ---- appointments: the row ---- */

struct appt_in {
	const struct cfg_service *svc;
	const struct cfg_provider *provider;
	time_t start;
	time_t end;
	enum appt_state state;
	int future;
	long long client_id;    /* 0: the client is to be created */
	struct client_key client; /* its phone is phone_key's */
	char phone_key[PHONE_KEY_SIZE];
};

/* The appointment a row matched, as stored. */
struct appt_old {
	long long id;
	long long client_id;
	char *service;
	char *provider;
	char *resource;
	time_t start;
	time_t end;
	enum appt_state state;
	char *note;
	char *external_id;
};

static void appt_old_release(struct appt_old *o)
{
	free(o->service);
	free(o->provider);
	free(o->resource);
	free(o->note);
	free(o->external_id);
	memset(o, 0, sizeof(*o));
}

static void list_known(const struct appt_config *cfg, int services, struct strbuf *out)
{
	size_t nr = services ? cfg->nr_services : cfg->nr_providers;

	for (size_t i = 0; i < nr; i++)
		strbuf_addf(out, "%s%s", i ? ", " : "",
			    services ? cfg->services[i].id : cfg->providers[i].id);
}

static enum appt_status unknown_ref(const struct appt_config *cfg, int services,
				    const char *id, struct appt_err *err)
{
	struct strbuf known = STRBUF_INIT;
	enum appt_status status;

	list_known(cfg, services, &known);
	status = appt_fail(err, APPT_DATAERR, "unknown %s '%s' (%s: %s)",
			   services ? "service" : "provider", id,
			   services ? "services" : "providers", known.buf);
	strbuf_release(&known);
	return status;
}

/* No provider cell: the one provider offering the service, if only one does. */
static enum appt_status only_provider(const struct appt_config *cfg,
				      const struct cfg_service *svc,
				      const struct cfg_provider **out,
				      struct appt_err *err)
{
	size_t n = 0;

	for (size_t i = 0; i < cfg->nr_providers; i++)
		if (provider_offers(&cfg->providers[i], svc->id) && !n++)
			*out = &cfg->providers[i];
	if (n == 1)
		return APPT_OK;
	return appt_fail(err, APPT_DATAERR, "provider is empty and %zu providers offer %s",
			 n, svc->id);
}

static enum appt_status parse_refs(struct importer *im, struct appt_in *a,
				   struct appt_err *err)
{
	const struct appt_config *cfg = im->s->cfg;
	const char *service = im->val[F_SERVICE], *provider = im->val[F_PROVIDER];

	if (!service)
		return appt_fail(err, APPT_DATAERR, "service is empty");
	if (!(a->svc = config_service(cfg, service)))
		return unknown_ref(cfg, 1, service, err);
	if (!provider)
		return only_provider(cfg, a->svc, &a->provider, err);
	if (!(a->provider = config_provider(cfg, provider)))
		return unknown_ref(cfg, 0, provider, err);
	if (!provider_offers(a->provider, a->svc->id))
		return appt_fail(err, APPT_DATAERR, "%s does not offer %s",
				 a->provider->id, a->svc->id);
	return APPT_OK;
}

/*
 * A file holds dates: a day word would shift with the day it is imported.
 * The date is checked here so that the message names the forms a file may
 * use; the clock and the offset are when_parse_time's.
 */
static enum appt_status parse_when(struct importer *im, enum field f,
				   time_t *out, struct appt_err *err)
{
	const char *s = im->val[f];
	char day[11];
	struct appt_date d;

	snprintf(day, sizeof(day), "%s", s);
	if (date_parse_iso(day, &d))
		return appt_fail(err, APPT_DATAERR,
				 "invalid %s '%s' (expected YYYY-MM-DD HH:MM in business time, "
				 "or ISO 8601 with an offset)", import_field_names[f], s);
	return when_parse_time(s, im->s->now, out, err);
}

static enum appt_status parse_state(const char *s, enum appt_state *out,
				    struct appt_err *err)
{
	struct strbuf known = STRBUF_INIT;
	enum appt_status status;

	if (!s || !state_parse(s, out))
		return APPT_OK;
	for (int i = 0; i < STATE_COUNT; i++)
		strbuf_addf(&known, "%s%s", i ? ", " : "", state_name((enum appt_state)i));
	status = appt_fail(err, APPT_DATAERR, "unknown status '%s' (%s)", s, known.buf);
	strbuf_release(&known);
	return status;
}

/*
 * An appointment ends on the day it starts, history included: the day's
 * plan is all a later one is checked against, and a stored end in 9999
 * would keep the provider busy for ever.  (At most 25 hours, on the day
 * summer time ends.)
 */
static enum appt_status check_same_day(struct importer *im, const struct appt_in *a,
				       struct appt_err *err)
{
	struct appt_date d;
	char end[40];

	when_to_local(a->start, &d, NULL, NULL);
	if (a->end <= when_day_start(date_add_days(d, 1)))
		return APPT_OK;
	when_format_local(a->end, end, sizeof(end));
	return appt_fail(err, APPT_DATAERR,
			 "end %s is not on the day of start %s: an appointment ends by midnight",
			 end, im->val[F_START]);
}

static enum appt_status parse_times(struct importer *im, struct appt_in *a,
				    struct appt_err *err)
{
	enum appt_status status;

	if (!im->val[F_START])
		return appt_fail(err, APPT_DATAERR, "start is empty");
	if ((status = parse_when(im, F_START, &a->start, err)))
		return status;
	a->end = a->start + a->svc->duration;
	if (im->val[F_END] && (status = parse_when(im, F_END, &a->end, err)))
		return status;
	if (a->end <= a->start)
		return appt_fail(err, APPT_DATAERR, "end %s is not after start %s",
				 im->val[F_END], im->val[F_START]);
	if ((status = check_same_day(im, a, err)))
		return status;
	a->future = a->start >= im->s->now;
	return APPT_OK;
}

static enum appt_status parse_appointment(struct importer *im, struct appt_in *a,
					  struct appt_err *err)
{
	char **v = im->val;
	enum appt_status status;

	memset(a, 0, sizeof(*a));
	a->state = STATE_BOOKED;
	a->client = (struct client_key){ v[F_CLIENT], v[F_EMAIL], v[F_PHONE], NULL };
	if ((status = parse_refs(im, a, err)) ||
	    (status = parse_times(im, a, err)) ||
	    (status = parse_state(v[F_STATUS], &a->state, err)))
		return status;
	if (!a->client.name && !a->client.email && !a->client.phone)
		return appt_fail(err, APPT_DATAERR, "client, phone and email are all empty");
	if ((status = import_key_phone(&a->client, a->phone_key, err)))
		return status;
	if (a->future && (a->state == STATE_DONE || a->state == STATE_NOSHOW))
		return appt_fail(err, APPT_DATAERR, "status %s is for past appointments, and this one starts %s",
				 state_name(a->state), v[F_START]);
	return APPT_OK;
}

/* ---- appointments: the client ---- */

static enum appt_status lookup_appt_client(struct importer *im, struct appt_in *a,
					   struct appt_err *err)
{
	const char *by;
	int merged;
	enum appt_status status;

	if ((a->client_id = client_cache_get(&im->clients, &a->client)))
		return APPT_OK;
	status = import_find_client(im, &a->client, &a->client_id, &by, &merged, err);
	if (!status && a->client_id)
		client_cache_put(&im->clients, &a->client, a->client_id);
	return status;
}

static enum appt_status create_appt_client(struct importer *im, struct appt_in *a,
					   struct appt_err *err)
{
	struct appt_session *s = im->s;
	struct client_fields f = {
		.name = a->client.name, .phone = im->val[F_PHONE], .email = a->client.email,
		.allow_duplicate = im->opt->allow_duplicate,
	};
	enum appt_status status;

	if (a->client_id)
		return APPT_OK;
	if (!f.name)
		return appt_fail(err, APPT_DATAERR,
				 "no client has this %s; a client cell (the name) is needed to add one",
				 f.email ? "e-mail" : "phone");
	status = client_add(s->db, &f, s->actor, s->now, &a->client_id, err);
	if (status)
		return status;
	im->res->clients_added++;
	client_cache_put(&im->clients, &a->client, a->client_id);
	return APPT_OK;
}

/* ---- appointments: matching a stored one ---- */

static void read_old(struct stmt *st, struct appt_old *o)
{
	o->id = stmt_column_int64(st, 0);
	o->client_id = stmt_column_int64(st, 1);
	o->service = db_column_strdup(st, 2);
	o->provider = db_column_strdup(st, 3);
	o->resource = db_column_strdup(st, 4);
	o->start = (time_t)stmt_column_int64(st, 5);
	o->end = (time_t)stmt_column_int64(st, 6);
	state_parse(db_column_str(st, 7), &o->state);
	o->note = db_column_strdup(st, 8);
	o->external_id = db_column_strdup(st, 9);
}

static enum appt_status match_old(struct importer *im, const char *sql,
				  const struct appt_in *a, struct appt_old *o,
				  struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(im->s->db, sql);
	int rc;

	db_bind_text(st, 1, im->val[F_EXTERNAL_ID]);
	stmt_bind_int64(st, 2, a->client_id);
	stmt_bind_int64(st, 3, a->start);
	db_bind_text(st, 4, a->provider->id);
	rc = stmt_step(st);
	if (rc == STORE_ROW)
		read_old(st, o);
	stmt_reset(st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return db_error(im->s->db, rc, "looking up the appointment", err);
	return APPT_OK;
}

/*
 * By external id, else by client, provider and start.  A record found the
 * second way that has another external id is another system's appointment:
 * merging the two would lose one.
 */
static enum appt_status find_appointment(struct importer *im, const struct appt_in *a,
					 struct appt_old *o, struct appt_err *err)
{
	const char *xid = im->val[F_EXTERNAL_ID];
	enum appt_status status = APPT_OK;

	memset(o, 0, sizeof(*o));
	if (xid && (status = match_old(im, by_xid_sql, a, o, err)))
		return status;
	if (!o->id && a->client_id)
		status = match_old(im, by_time_sql, a, o, err);
	if (!status && xid && o->external_id && strcmp(xid, o->external_id))
		status = appt_fail(err, APPT_DATAERR,
				   "appointment #%lld of this client at this time has external_id '%s', not '%s'",
				   o->id, o->external_id, xid);
	return status;
}

static int same_appointment(const struct importer *im, const struct appt_in *a,
			    const struct appt_old *o)
{
	const char *note = im->val[F_NOTES], *xid = im->val[F_EXTERNAL_ID];

	return a->client_id == o->client_id && !strcmp(a->svc->id, o->service) &&
	       !strcmp(a->provider->id, o->provider) && a->start == o->start &&
	       a->end == o->end && a->state == o->state &&
	       (!note || (o->note && !strcmp(note, o->note))) &&
	       (!xid || (o->external_id && !strcmp(xid, o->external_id)));
}

/* ---- appointments: the calendar of later ones ---- */

static int occupying(enum appt_state st)
{
	return st != STATE_CANCELLED && st != STATE_NOSHOW;
}

static void slot_release(struct plan_slot *slot)
{
	day_plan_release(&slot->plan);
	resource_day_release(&slot->rooms);
	slot->loaded = 0;
}

static void plans_clear(struct import_calendar *cal)
{
	for (size_t i = 0; cal && i < PLAN_SLOTS; i++)
		slot_release(&cal->slots[i]);
}

void import_calendar_free(struct import_calendar *cal)
{
	plans_clear(cal);
	free(cal);
}

static enum appt_status slot_load(struct importer *im, const struct appt_in *a,
				  long long exclude_id, struct plan_slot *slot,
				  struct appt_err *err)
{
	struct appt_date d;
	enum appt_status status;

	when_to_local(a->start, &d, NULL, NULL);
	status = resource_day_load(im->s, a->svc, d, exclude_id, &slot->rooms, err);
	if (!status)
		status = day_plan_load(im->s, &slot->plan, a->provider, a->svc, d,
				       exclude_id, &slot->rooms, err);
	if (status) {
		slot_release(slot);
		return status;
	}
	slot->loaded = 1;
	slot->day.from = when_day_start(d);
	slot->day.to = when_day_start(date_add_days(d, 1));
	return APPT_OK;
}

/* splitmix64's finaliser: every bit of x moves about half the bits out. */
static uint64_t mix64(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static size_t plan_hash(const struct cfg_provider *p, const struct cfg_service *svc,
			struct appt_date d)
{
	uint64_t day = (uint64_t)(d.year * 372 + d.month * 31 + d.day);

	return (size_t)mix64((uintptr_t)p ^ mix64((uintptr_t)svc ^ mix64(day))) &
	       (PLAN_SLOTS - 1);
}

static int plan_is(const struct plan_slot *slot, const struct cfg_provider *p,
		   const struct cfg_service *svc, struct appt_date d)
{
	return slot->loaded && slot->plan.provider == p && slot->plan.service == svc &&
	       !date_cmp(slot->plan.date, d);
}

/* The day plan for a start, from the cache or loaded into it. */
static enum appt_status plan_for(struct importer *im, const struct appt_in *a,
				 const struct day_plan **out, struct appt_err *err)
{
	struct appt_date d;
	struct plan_slot *slot;
	size_t h;
	enum appt_status status = APPT_OK;

	when_to_local(a->start, &d, NULL, NULL);
	if (!im->calendar)
		im->calendar = xcalloc(1, sizeof(*im->calendar));
	h = plan_hash(a->provider, a->svc, d);
	slot = &im->calendar->slots[h];
	if (!plan_is(slot, a->provider, a->svc, d)) {
		struct plan_slot *other = &im->calendar->slots[h ^ 1];

		/* The plan itself, else an empty slot, else the one used longer ago. */
		if (plan_is(other, a->provider, a->svc, d) ||
		    (slot->loaded && (!other->loaded || other->used < slot->used)))
			slot = other;
	}
	if (!plan_is(slot, a->provider, a->svc, d)) {
		slot_release(slot);
		status = slot_load(im, a, 0, slot, err);
	}
	slot->used = ++im->calendar->lookups;
	*out = &slot->plan;
	return status;
}

/* An appointment just written, as the busy lists of a plan hold it. */
struct written {
	long long id;
	time_t start;
	time_t from;
	time_t to;
	const char *service;
	const char *resource;
};

static void busy_push(struct busy_list *list, const struct written *b)
{
	ALLOC_GROW(list->items, list->nr + 1, list->alloc);
	list->items[list->nr++] = (struct busy){
		.id = b->id, .start = b->start, .from = b->from, .to = b->to,
		.service = xstrdup(b->service), .resource = xstrdup_or_null(b->resource),
	};
}

/*
 * A new appointment joins the cached plans it touches, so that the next
 * rows of the file are checked against it without reloading anything.
 */
static void plans_note(struct importer *im, const struct cfg_provider *p,
		       const struct written *b)
{
	for (size_t i = 0; im->calendar && i < PLAN_SLOTS; i++) {
		struct plan_slot *slot = &im->calendar->slots[i];

		if (!slot->loaded || b->from >= slot->day.to || b->to <= slot->day.from)
			continue;
		if (slot->plan.provider == p)
			busy_push(&slot->plan.busy, b);
		for (size_t r = 0; b->resource && r < slot->rooms.nr; r++)
			if (!strcmp(slot->rooms.resources[r]->id, b->resource))
				busy_push(&slot->rooms.busy[r], b);
	}
}

static enum appt_status client_conflict(struct importer *im, const struct appt_in *a,
					long long self, struct appt_err *err)
{
	long long other = 0;
	enum appt_status status;

	if (!a->client_id)
		return APPT_OK;
	status = avail_client_busy(im->s, a->client_id, a->start, a->end, self, &other, err);
	if (!status && other)
		status = appt_fail(err, APPT_DATAERR,
				   "the client already has appointment #%lld at that time; "
				   "--allow-overlap imports it anyway", other);
	return status;
}

static enum appt_status refuse_fit(const struct day_plan *plan, const struct appt_in *a,
				   const struct fit *fit, struct appt_err *err)
{
	struct strbuf why = STRBUF_INIT;
	enum appt_status status;

	avail_explain(plan, a->start, fit, &why);
	status = appt_fail(err, APPT_DATAERR, "%s; --allow-overlap imports it anyway", why.buf);
	strbuf_release(&why);
	return status;
}

/*
 * Where a later appointment goes: checked like a booking, with the end it
 * will be stored with, unless overlaps are allowed, and given a free room
 * when its service needs one (any room of the kind when none is free and
 * overlaps are allowed).
 */
static enum appt_status fit_in(struct importer *im, const struct day_plan *plan,
			       const struct appt_in *a, long long self,
			       const struct cfg_resource **room, struct appt_err *err)
{
	struct fit fit = day_plan_fit_span(plan, a->start, a->end, NULL, AVAIL_STRICT);
	enum appt_status status = APPT_OK;

	if (!im->opt->allow_overlap) {
		if (fit.rule != RULE_FITS)
			return refuse_fit(plan, a, &fit, err);
		status = client_conflict(im, a, self, err);
	} else if (fit.rule != RULE_FITS) {
		fit = day_plan_fit_span(plan, a->start, a->end, NULL, AVAIL_OVERRIDE_ALL);
	}
	*room = fit.resource;
	if (!*room && plan->rooms && plan->rooms->nr)
		*room = plan->rooms->resources[0];
	return status;
}

/* For a moved appointment: a plan without itself in it, used once. */
static enum appt_status place_moved(struct importer *im, const struct appt_in *a,
				    long long self, const struct cfg_resource **room,
				    struct appt_err *err)
{
	struct plan_slot once = { 0 };
	enum appt_status status = slot_load(im, a, self, &once, err);

	if (!status)
		status = fit_in(im, &once.plan, a, self, room, err);
	slot_release(&once);
	return status;
}

static enum appt_status place_new(struct importer *im, const struct appt_in *a,
				  const struct cfg_resource **room,
				  struct appt_err *err)
{
	const struct day_plan *plan;
	enum appt_status status = plan_for(im, a, &plan, err);

	return status ? status : fit_in(im, plan, a, 0, room, err);
}

/* ---- appointments: writing ---- */

static enum appt_status insert_appointment(struct importer *im, const struct appt_in *a,
					   const struct cfg_resource *room,
					   struct appt_err *err)
{
	struct appointment_row row = {
		.client_id = a->client_id, .service = a->svc->id,
		.provider = a->provider->id, .resource = room ? room->id : NULL,
		.start = a->start, .end = a->end, .state = a->state,
		.note = im->val[F_NOTES], .external_id = im->val[F_EXTERNAL_ID],
	};
	long long id = 0;
	enum appt_status status = appointment_insert(im->s, &row, "import", NULL, &id, err);

	if (status)
		return status;
	im->res->added++;
	if (a->future && occupying(a->state))
		plans_note(im, a->provider, &(struct written){
			.id = id, .start = a->start,
			.from = a->start - a->svc->buffer_before,
			.to = a->end + a->svc->buffer_after,
			.service = a->svc->id, .resource = row.resource });
	return APPT_OK;
}

static void bind_update(struct importer *im, struct stmt *st, const struct appt_in *a,
			const char *resource, long long id)
{
	char wall[40];

	when_format_local(a->start, wall, sizeof(wall));
	stmt_bind_int64(st, 1, a->client_id);
	db_bind_text(st, 2, a->svc->id);
	db_bind_text(st, 3, a->provider->id);
	db_bind_text(st, 4, resource);
	stmt_bind_int64(st, 5, a->start);
	stmt_bind_int64(st, 6, a->end);
	stmt_bind_int64(st, 7, a->start - a->svc->buffer_before);
	stmt_bind_int64(st, 8, a->end + a->svc->buffer_after);
	db_bind_text(st, 9, wall);
	db_bind_text(st, 10, when_zone());
	db_bind_text(st, 11, state_name(a->state));
	db_bind_text(st, 12, im->val[F_NOTES]);
	stmt_bind_int64(st, 13, im->s->now);
	stmt_bind_int64(st, 14, id);
	db_bind_text(st, 15, im->val[F_EXTERNAL_ID]);
}

/* The room an updated appointment keeps when it was not placed anew. */
static const char *kept_room(const struct appt_config *cfg, const struct appt_in *a,
			     const struct appt_old *o)
{
	const struct cfg_resource *r = o->resource ? config_resource(cfg, o->resource) : NULL;

	return r && a->svc->needs && !strcmp(r->kind, a->svc->needs) ? r->id : NULL;
}

static enum appt_status update_appointment(struct importer *im, const struct appt_in *a,
					   const struct appt_old *o,
					   const struct cfg_resource *room,
					   struct appt_err *err)
{
	struct appt_session *s = im->s;
	char *before = event_snapshot(s->db, "appointment", o->id);
	struct stmt *st = db_prepare_cached(s->db, update_sql);
	int rc;
	enum appt_status status = APPT_OK;

	bind_update(im, st, a, room ? room->id : kept_room(s->cfg, a, o), o->id);
	rc = stmt_step(st);
	stmt_reset(st);
	if (rc != STORE_DONE)
		status = db_error(s->db, rc, "updating the appointment", err);
	if (!status)
		status = event_log_current(s->db, &(struct event){
			.at = s->now, .actor = s->actor, .entity = "appointment",
			.entity_id = o->id, .action = "import", .before = before }, err);
	free(before);
	if (!status)
		im->res->updated++;
	/* Cached plans may hold the old time: start them over. */
	plans_clear(im->calendar);
	return status;
}

static enum appt_status write_appointment(struct importer *im, struct appt_in *a,
					  const struct appt_old *o,
					  struct appt_err *err)
{
	const struct cfg_resource *room = NULL;
	enum appt_status status = APPT_OK;

	if (a->future && occupying(a->state))
		status = o->id ? place_moved(im, a, o->id, &room, err)
			       : place_new(im, a, &room, err);
	if (!status)
		status = create_appt_client(im, a, err);
	if (status)
		return status;
	return o->id ? update_appointment(im, a, o, room, err)
		     : insert_appointment(im, a, room, err);
}

/* Empty cells keep what is stored: the status, and the end while the start stays. */
static void keep_stored(const struct importer *im, struct appt_in *a,
			const struct appt_old *o)
{
	if (!im->val[F_END] && a->start == o->start)
		a->end = o->end;
	if (!im->val[F_STATUS])
		a->state = o->state;
}

enum appt_status import_appointment_row(struct importer *im, struct appt_err *err)
{
	struct appt_in a;
	struct appt_old o;
	enum appt_status status;

	if ((status = parse_appointment(im, &a, err)) ||
	    (status = lookup_appt_client(im, &a, err)) ||
	    (status = find_appointment(im, &a, &o, err)))
		return status;
	if (o.id)
		keep_stored(im, &a, &o);
	if (o.id && same_appointment(im, &a, &o))
		im->res->unchanged++;
	else
		status = write_appointment(im, &a, &o, err);
	appt_old_release(&o);
	return status;
}

