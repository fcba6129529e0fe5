#include "booking.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "avail.h"
#include "client.h"
#include "event.h"
#include "outbox.h"
#include "slots.h"
#include "vacancy.h"

#define OVERRIDE_HINT "use --force --reason TEXT to override"

void booking_result_release(struct booking_result *r)
{
	free(r->resource);
	strlist_clear(&r->warnings);
	memset(r, 0, sizeof(*r));
}

/*
 * What each lifecycle action tells the client, and which older messages it
 * makes stale: every pending one about the appointment (its time is gone),
 * or only the confirmation-deadline call (the client confirmed, or came).
 */
enum stale { STALE_NONE, STALE_ALL, STALE_DEADLINE };

static const struct {
	const char *action;
	const char *notice;
	enum stale voids;
} lifecycle_notices[] = {
	{ "book", "booked", STALE_NONE },
	{ "hold", "held", STALE_NONE },
	{ "offer", "waitlist_offer", STALE_NONE },
	{ "expire", "expired", STALE_ALL },
	{ "reschedule", "rescheduled", STALE_ALL },
	{ "cancel", "cancelled", STALE_ALL },
	{ "noshow", "noshow", STALE_ALL },
	{ "confirm", NULL, STALE_DEADLINE },
	{ "checkin", NULL, STALE_DEADLINE },
	{ "start", NULL, STALE_DEADLINE },
	{ "done", NULL, STALE_DEADLINE },
};

/*
 * What the client is told of one change: the action's own notice, another
 * in its place (the no-show that blocks the client), or none, recorded as
 * withheld with why.
 */
struct notice_plan {
	const char *notice;   /* NULL: the action's own */
	const char *withheld; /* not NULL: why no notice goes */
};

static enum appt_status queue_messages(struct appt_session *s, long long id,
				       const char *action, long long event,
				       const struct notice_plan *plan, long long *message,
				       struct appt_err *err)
{
	enum appt_status status = APPT_OK;

	for (size_t i = 0; i < sizeof(lifecycle_notices) / sizeof(lifecycle_notices[0]); i++) {
		const char *notice = lifecycle_notices[i].notice;

		if (strcmp(action, lifecycle_notices[i].action))
			continue;
		if (lifecycle_notices[i].voids == STALE_ALL)
			status = outbox_void_appointment(s, id, event, err);
		else if (lifecycle_notices[i].voids == STALE_DEADLINE)
			status = outbox_void_kind(s, id, "deadline", event,
						  strcmp(action, "confirm")
						  ? "closed: the client came"
						  : "closed: the client confirmed", err);
		if (plan && plan->notice)
			notice = plan->notice;
		if (!status && notice)
			status = outbox_queue_notice(s, notice, id, event,
						     plan ? plan->withheld : NULL, message, err);
	}
	return status;
}

/*
 * The one place a lifecycle change is recorded: the audit event and the
 * client's confirmation or notice, in the change's own transaction, so that
 * a change and what it tells the client can never disagree.  Each message
 * queued or voided names the event, which is what lets appt undo take back
 * exactly what a change did.  *message (when not NULL) is the notice
 * queued, for delivery after the commit.
 */
static enum appt_status record_change_told(struct appt_session *s, long long id,
					   const char *action, const char *before,
					   const char *reason, int forced,
					   const struct notice_plan *plan,
					   long long *message, struct appt_err *err)
{
	long long queued = 0, event = 0;
	enum appt_status status = event_log_current_id(s->db, &(struct event){
		.at = s->now, .actor = s->actor, .entity = "appointment",
		.entity_id = id, .action = action, .before = before,
		.reason = reason, .forced = forced }, &event, err);

	if (!status)
		status = queue_messages(s, id, action, event, plan, &queued, err);
	if (message)
		*message = queued;
	return status;
}

static enum appt_status record_change(struct appt_session *s, long long id,
				      const char *action, const char *before,
				      const char *reason, int forced,
				      long long *message, struct appt_err *err)
{
	return record_change_told(s, id, action, before, reason, forced, NULL, message, err);
}

/* ---- finding where a booking goes ---- */

struct placement {
	const struct cfg_provider *provider;
	const struct cfg_resource *resource;
	time_t start;
	int forced; /* a forceable rule was overridden */
};

static enum appt_status lookup_service(const struct appt_config *cfg,
				       const char *id,
				       const struct cfg_service **out,
				       struct appt_err *err)
{
	*out = config_service(cfg, id);
	if (!*out)
		return config_no_service(cfg, id, err);
	return APPT_OK;
}

static enum appt_status check_request_refs(const struct appt_config *cfg,
					   const struct booking_request *req,
					   const struct cfg_service *svc,
					   struct appt_err *err)
{
	const struct cfg_provider *p;
	const struct cfg_resource *r;

	if (req->provider) {
		p = config_provider(cfg, req->provider);
		if (!p)
			return appt_fail(err, APPT_NOTFOUND, "no provider '%s'", req->provider);
		if (!provider_offers(p, svc->id))
			return appt_fail(err, APPT_REFUSED, "%s does not offer %s",
					 p->name, svc->name);
	}
	if (req->resource) {
		r = config_resource(cfg, req->resource);
		if (!r)
			return appt_fail(err, APPT_NOTFOUND, "no resource '%s'", req->resource);
		if (!svc->needs || strcmp(r->kind, svc->needs))
			return appt_fail(err, APPT_REFUSED, "%s does not use a %s",
					 svc->name, r->kind);
	}
	return session_force_reason(req->force, req->reason, err);
}

/* What a request writes as text: a note may span lines, a reason may not. */
static enum appt_status check_request_text(const struct booking_request *req,
					   struct appt_err *err)
{
	enum appt_status status = text_check("note", req->note, 1, err);

	return status ? status : text_check("reason", req->reason, 0, err);
}

/*
 * A walk-in is already at the desk: the booking notice, which gives the
 * clinic time to prepare for a client still to come, does not apply.
 */
static int is_walk_in(const struct booking_request *req)
{
	return req->via && !strcmp(req->via, "walk-in");
}

/* The start of the current minute: when a walk-in booked now starts. */
static time_t this_minute(const struct appt_session *s)
{
	return s->now - s->now % 60;
}

/* The booking window of policies.booking, for a start at req->at. */
static enum appt_status check_booking_window(struct appt_session *s,
					     const struct booking_request *req,
					     int *forced, struct appt_err *err)
{
	const struct cfg_booking_policy *pol = &s->cfg->policies.booking;
	int walk_in = is_walk_in(req), force = req->force;
	time_t t = req->at;
	char buf[32];

	if (t < (walk_in ? this_minute(s) : s->now))
		return appt_fail(err, APPT_REFUSED, "that time is in the past");
	if (!walk_in && t - s->now < pol->min_notice) {
		if (force)
			return *forced = 1, APPT_OK;
		when_format_duration(pol->min_notice, buf, sizeof(buf));
		return appt_fail(err, APPT_REFUSED,
				 "inside the booking notice of %s (policies.booking.min_notice); "
				 OVERRIDE_HINT, buf);
	}
	if (pol->max_advance && t - s->now > pol->max_advance) {
		if (force)
			return *forced = 1, APPT_OK;
		when_format_duration(pol->max_advance, buf, sizeof(buf));
		return appt_fail(err, APPT_REFUSED,
				 "beyond the %s booking horizon (policies.booking.max_advance); "
				 OVERRIDE_HINT, buf);
	}
	return APPT_OK;
}

/* What a refusal adds when the rule could have been overridden. */
/*
 * Why no provider fitted: each one's reason, and what the desk can do about
 * it, said once however many providers were tried.
 */
struct refusal {
	struct strbuf reasons;
	int tried;                 /* providers tried */
	int taken;                 /* one was refused for a conflict */
	int forceable;             /* one was refused for a rule --force overrides */
	enum avail_override override;
};

static void refusal_add(struct refusal *r, const struct day_plan *plan, time_t start,
			const struct fit *fit)
{
	if (r->reasons.len)
		strbuf_addstr(&r->reasons, "; ");
	avail_explain_rule(plan, start, fit, &r->reasons);
	r->tried++;
	r->taken |= fit->rule >= RULE_PROVIDER_BUSY;
	r->forceable |= avail_rule_forceable(fit->rule);
}

static enum appt_status refuse(const struct refusal *r, const struct cfg_service *svc,
			       struct appt_err *err)
{
	struct strbuf msg = STRBUF_INIT;
	enum appt_status status;

	if (!r->tried)
		strbuf_addstr(&msg, "no provider offers that service");
	else if (r->tried > 1)
		strbuf_addstr(&msg, "no provider is free then: ");
	else if (r->taken)
		strbuf_addstr(&msg, "slot taken: ");
	strbuf_addstr(&msg, strbuf_str(&r->reasons));
	if (r->taken) {
		strbuf_addstr(&msg, "; ");
		avail_slots_hint(svc, &msg);
	}
	if (r->forceable && r->override == AVAIL_STRICT)
		strbuf_addstr(&msg, "; " OVERRIDE_HINT);
	else if (r->forceable)
		strbuf_addstr(&msg, "; --force never books a provider appt chooses outside"
			      " their hours: name one with --provider");
	status = appt_fail(err, APPT_REFUSED, "%s", msg.buf);
	strbuf_release(&msg);
	return status;
}

/* Tries one provider at the requested start, overriding what r->override says. */
static int try_provider(struct appt_session *s, const struct cfg_provider *p,
			const struct cfg_service *svc,
			const struct booking_request *req,
			const struct resource_day *rooms, long long exclude_id,
			struct placement *out, struct refusal *r,
			enum appt_status *status, struct appt_err *err)
{
	struct appt_date date;
	struct day_plan plan;
	struct fit fit;
	const struct cfg_resource *want = req->resource ? config_resource(s->cfg, req->resource) : NULL;

	when_to_local(req->at, &date, NULL, NULL);
	*status = day_plan_load(s, &plan, p, svc, date, exclude_id, rooms, err);
	if (*status) {
		day_plan_release(&plan);
		return 0;
	}
	fit = day_plan_fit(&plan, req->at, want, r->override);
	if (fit.rule == RULE_FITS) {
		out->provider = p;
		out->resource = fit.resource;
		out->start = req->at;
		/* a pass with overrides runs only when none fitted without */
		out->forced |= r->override != AVAIL_STRICT;
	} else {
		refusal_add(r, &plan, req->at, &fit);
	}
	day_plan_release(&plan);
	return fit.rule == RULE_FITS;
}

/* The named provider, else each one offering the service in configured order. */
static int try_providers(struct appt_session *s, const struct cfg_service *svc,
			 const struct booking_request *req,
			 const struct resource_day *rooms, long long exclude_id,
			 enum avail_override override, struct placement *out,
			 struct refusal *r, enum appt_status *status, struct appt_err *err)
{
	strbuf_reset(&r->reasons);
	r->tried = r->taken = r->forceable = 0;
	r->override = override;
	for (size_t i = 0; !*status && i < s->cfg->nr_providers; i++) {
		const struct cfg_provider *p = &s->cfg->providers[i];

		if (req->provider ? strcmp(p->id, req->provider) : !provider_offers(p, svc->id))
			continue;
		if (try_provider(s, p, svc, req, rooms, exclude_id, out, r, status, err))
			return 1;
	}
	return 0;
}

/*
 * The requested start with the requested or the first free provider.  Every
 * provider is tried without --force first, so that an override never puts
 * a booking where another provider was free; with --force, a provider appt
 * chooses may be booked past a closure or time off, never outside their
 * hours (a provider named with --provider may).
 */
static enum appt_status place_at(struct appt_session *s,
				 const struct cfg_service *svc,
				 const struct booking_request *req,
				 long long exclude_id, struct placement *out,
				 struct appt_err *err)
{
	struct refusal r = { STRBUF_INIT, 0, 0, 0, AVAIL_STRICT };
	struct resource_day rooms;
	struct appt_date date;
	enum avail_override forcing = req->provider ? AVAIL_OVERRIDE_ALL : AVAIL_OVERRIDE_KEEP_HOURS;
	enum appt_status status;

	status = check_booking_window(s, req, &out->forced, err);
	if (status)
		return status;
	when_to_local(req->at, &date, NULL, NULL);
	status = resource_day_load(s, svc, date, exclude_id, &rooms, err);
	if (!status && !try_providers(s, svc, req, &rooms, exclude_id, AVAIL_STRICT, out,
				      &r, &status, err) && !status && req->force)
		try_providers(s, svc, req, &rooms, exclude_id, forcing, out, &r, &status, err);
	if (!status && !out->provider)
		status = refuse(&r, svc, err);
	resource_day_release(&rooms);
	strbuf_release(&r.reasons);
	return status;
}

/* How many free slots --first-available looks through for one the client is free at. */
#define FIRST_AVAILABLE_TRIES 64

static enum appt_status place_first_available(struct appt_session *s,
					      const struct cfg_service *svc,
					      const struct booking_request *req,
					      long long exclude_id,
					      struct placement *out,
					      struct appt_err *err)
{
	struct slot_query q = {
		.service = svc->id, .provider = req->provider, .resource = req->resource,
		.from = req->from, .count = FIRST_AVAILABLE_TRIES, .exclude_id = exclude_id,
		.walk_in = is_walk_in(req),
	};
	struct slot *slots = NULL, *pick = NULL;
	size_t nr = 0;
	enum appt_status status = appointment_find_slots(s, &q, &slots, &nr, err);

	/* The client's own appointments are not in the slot search: skip those times here. */
	for (size_t i = 0; !status && i < nr && !pick; i++) {
		long long other = 0;

		if (req->client_id)
			status = avail_client_busy(s, req->client_id, slots[i].start,
						   slots[i].start + svc->duration,
						   exclude_id, &other, err);
		if (!status && !other)
			pick = &slots[i];
	}
	if (!status && !pick)
		status = appt_fail(err, APPT_REFUSED,
				   "no free slot for %s within the booking horizon", svc->name);
	if (!status) {
		out->provider = config_provider(s->cfg, pick->provider);
		out->resource = pick->resource ? config_resource(s->cfg, pick->resource) : NULL;
		out->start = pick->start;
	}
	free(slots);
	return status;
}

static enum appt_status place(struct appt_session *s,
			      const struct cfg_service *svc,
			      const struct booking_request *req,
			      long long exclude_id, struct placement *out,
			      struct appt_err *err)
{
	memset(out, 0, sizeof(*out));
	if (req->first_available)
		return place_first_available(s, svc, req, exclude_id, out, err);
	return place_at(s, svc, req, exclude_id, out, err);
}

/* The client may not be in two places at once (a family booking may force it). */
static enum appt_status check_client_free(struct appt_session *s, long long client_id,
					  const struct cfg_service *svc, time_t start,
					  long long exclude_id, int force, int *forced,
					  struct appt_err *err)
{
	long long other = 0;
	enum appt_status status = avail_client_busy(s, client_id, start, start + svc->duration,
						    exclude_id, &other, err);

	if (status || !other)
		return status;
	if (force)
		return *forced = 1, APPT_OK;
	return appt_fail(err, APPT_REFUSED,
			 "the client already has appointment #%lld at that time; " OVERRIDE_HINT,
			 other);
}

/* ---- booking ---- */

static enum appt_status check_client_bookable(struct appt_session *s,
					      const struct booking_request *req,
					      int *forced, struct appt_err *err)
{
	struct client c;
	enum appt_status status = client_get(s->db, req->client_id, &c, err);

	if (status)
		return status;
	if (c.blocked) {
		if (req->force) {
			*forced = 1;
		} else {
			status = appt_fail(err, APPT_REFUSED,
					   "client #%lld %s is blocked (%s); " OVERRIDE_HINT,
					   c.id, c.name, c.blocked_reason ? c.blocked_reason : "no reason given");
		}
	}
	client_release(&c);
	return status;
}

static enum appt_status insert_row(struct appt_session *s,
				   const struct appointment_row *row,
				   const char *action, const char *reason,
				   int forced, long long *id, long long *message,
				   struct appt_err *err)
{
	const struct cfg_service *svc = config_service(s->cfg, row->service);
	struct stmt *st;
	time_t end = row->end ? row->end : row->start + svc->duration;
	char wall[40];
	enum appt_status status;

	st = db_prepare_cached(s->db,
		"INSERT INTO appointments (client_id, service, provider, resource,"
		" start_at, end_at, busy_from, busy_to, local_start, zone, status, via,"
		" note, external_id, created_at, updated_at, placed_at, done_at, imported,"
		" hold_until, series_id)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?15,?15,?15,"
		" CASE WHEN ?11 = 'done' THEN ?6 END, ?16, nullif(?17, 0), nullif(?18, 0))"
		" RETURNING id");
	when_format_local(row->start, wall, sizeof(wall));
	stmt_bind_int64(st, 1, row->client_id);
	db_bind_text(st, 2, svc->id);
	db_bind_text(st, 3, row->provider);
	db_bind_text(st, 4, row->resource);
	stmt_bind_int64(st, 5, row->start);
	stmt_bind_int64(st, 6, end);
	stmt_bind_int64(st, 7, row->start - svc->buffer_before);
	stmt_bind_int64(st, 8, end + svc->buffer_after);
	db_bind_text(st, 9, wall);
	db_bind_text(st, 10, when_zone());
	db_bind_text(st, 11, state_name(row->state));
	db_bind_text(st, 12, row->via);
	db_bind_text(st, 13, row->note);
	db_bind_text(st, 14, row->external_id);
	stmt_bind_int64(st, 15, s->now);
	/* history: a visit that had already ended when it was brought in */
	stmt_bind_int64(st, 16, !strcmp(action, "import") && state_is_end(row->state));
	stmt_bind_int64(st, 17, row->state == STATE_HELD ? row->hold_until : 0);
	stmt_bind_int64(st, 18, row->series_id);
	status = db_insert_id(s->db, st, id, "saving the appointment", err);
	if (status)
		return status;
	return record_change(s, *id, action, NULL, reason, forced, message, err);
}

enum appt_status appointment_insert(struct appt_session *s,
				    const struct appointment_row *row,
				    const char *action, const char *reason,
				    long long *id, struct appt_err *err)
{
	return insert_row(s, row, action, reason, 0, id, NULL, err);
}

/* policies.noshow.warn_after: the desk is told on every booking. */
static void warn_noshows(struct appt_session *s, long long client_id,
			 struct booking_result *res)
{
	const struct cfg_noshow_policy *pol = &s->cfg->policies.noshow;
	int n = client_noshow_count(s->db, client_id, s->now - pol->window);
	char window[32], *msg;

	res->client_id = client_id;
	res->noshows = n;
	if (!pol->warn_after || n < pol->warn_after)
		return;
	when_format_duration(pol->window, window, sizeof(window));
	msg = xasprintf("client #%lld has %d no-show%s in the last %s (policies.noshow.warn_after: %d)",
			client_id, n, n == 1 ? "" : "s", window, pol->warn_after);
	strlist_push(&res->warnings, msg);
	free(msg);
}

/*
 * A client now firmly booked: the outreach calls and rebooking texts this
 * booking answers close, and so do their waitlist entries for the service.
 */
static enum appt_status booked_firmly(struct appt_session *s, long long id,
				      long long client_id, const char *service,
				      struct appt_err *err)
{
	enum appt_status status = outbox_void_moot(s, client_id, NULL, err);

	return status ? status : vacancy_booked(s, id, client_id, service, err);
}

static void fill_result(struct booking_result *res, long long id,
			const struct placement *pl, const struct cfg_service *svc)
{
	res->id = id;
	res->start = pl->start;
	res->end = pl->start + svc->duration;
	res->provider = pl->provider->id;
	res->resource = pl->resource ? xstrdup(pl->resource->id) : NULL;
}

/*
 * A hold lapses after its duration, and at the latest when the visit
 * starts: past that, nobody can still confirm it.
 */
static time_t hold_end(const struct appt_session *s, const struct booking_request *req,
		       time_t start)
{
	time_t until = s->now + req->hold;

	return until < start ? until : start;
}

static const char *booking_action(const struct booking_request *req)
{
	if (req->action)
		return req->action;
	return req->hold ? "hold" : "book";
}

static enum appt_status insert_booking(struct appt_session *s,
				      const struct booking_request *req,
				      const struct cfg_service *svc,
				      const struct placement *pl, int forced,
				      long long *id, long long *message,
				      struct appt_err *err)
{
	struct appointment_row row = {
		.client_id = req->client_id, .service = svc->id,
		.provider = pl->provider->id,
		.resource = pl->resource ? pl->resource->id : NULL,
		.start = pl->start, .state = req->hold ? STATE_HELD : STATE_BOOKED,
		.via = req->via, .note = req->note,
		.hold_until = req->hold ? hold_end(s, req, pl->start) : 0,
		.series_id = req->series_id,
	};
	return insert_row(s, &row, booking_action(req), req->reason, forced, id, message, err);
}

static enum appt_status book_locked(struct appt_session *s,
				    const struct booking_request *req,
				    const struct cfg_service *svc,
				    struct booking_result *res,
				    struct appt_err *err)
{
	struct placement pl;
	int forced = 0;
	long long id = 0;
	enum appt_status status;

	status = check_client_bookable(s, req, &forced, err);
	if (!status)
		status = place(s, svc, req, 0, &pl, err);
	if (!status)
		status = check_client_free(s, req->client_id, svc, pl.start, 0,
					   req->force, &forced, err);
	if (!status)
		status = insert_booking(s, req, svc, &pl, forced || pl.forced, &id,
					&res->message_id, err);
	/* a hold is not a booking yet: what it would answer waits for the confirmation */
	if (!status && !req->hold)
		status = booked_firmly(s, id, req->client_id, svc->id, err);
	if (!status)
		fill_result(res, id, &pl, svc);
	if (!status && req->hold)
		res->hold_until = hold_end(s, req, pl.start);
	return status;
}

enum appt_status appointment_book(struct appt_session *s,
				  const struct booking_request *given,
				  struct booking_result *res,
				  struct appt_err *err)
{
	struct booking_request r = *given, *req = &r;
	const struct cfg_service *svc;
	enum appt_status status;

	memset(res, 0, sizeof(*res));
	if (is_walk_in(req) && !req->at && !req->first_available)
		req->at = this_minute(s);
	status = lookup_service(s->cfg, req->service, &svc, err);
	if (!status)
		status = check_request_refs(s->cfg, req, svc, err);
	if (!status)
		status = check_request_text(req, err);
	if (!status && req->force)
		status = session_check_force(s, req->reason, err);
	if (status)
		return status;
	/* Checking and inserting under one write lock is what rules out a double booking. */
	status = db_begin_write(s->db, err);
	if (status)
		return status;
	status = db_finish_write(s->db, book_locked(s, req, svc, res, err), err);
	if (!status)
		warn_noshows(s, req->client_id, res);
	return status;
}

/* ---- what the client is told of a change ---- */

/*
 * --no-notice withholds the change's notice (recorded as not sent).  A
 * client never told of the booking (its confirmation never went out: sent
 * with --no-send and changed before cron ran, or held for the sending
 * window) is not told of a change either; a move then announces the
 * booking (unannounced, NULL: nothing).
 */
static enum appt_status plan_notice(struct appt_session *s, long long id, int no_notice,
				    const char *unannounced, struct notice_plan *plan,
				    struct appt_err *err)
{
	int told = 1;
	enum appt_status status = APPT_OK;

	memset(plan, 0, sizeof(*plan));
	if (no_notice) {
		plan->withheld = xasprintf("--no-notice by %s", s->actor);
		return APPT_OK;
	}
	status = outbox_client_told(s, id, &told, err);
	if (status || told)
		return status;
	if (unannounced)
		plan->notice = unannounced;
	else
		plan->withheld = xstrdup("the client was never told of the booking");
	return APPT_OK;
}

static void notice_plan_release(struct notice_plan *plan)
{
	free((char *)plan->withheld);
	memset(plan, 0, sizeof(*plan));
}

/* ---- reschedule ---- */

static enum appt_status require_state(const struct appointment *a,
				      const enum appt_state *allowed, size_t n,
				      const char *doing, struct appt_err *err)
{
	for (size_t i = 0; i < n; i++)
		if (a->state == allowed[i])
			return APPT_OK;
	return appt_fail(err, APPT_REFUSED, "cannot %s appointment #%lld: it is %s",
			 doing, a->id, state_name(a->state));
}

static enum appt_status check_reschedule_policy(struct appt_session *s,
						const struct appointment *a,
						int force, int *forced,
						struct appt_err *err)
{
	const struct cfg_reschedule_policy *pol = &s->cfg->policies.reschedule;
	char buf[32];

	if (a->start - s->now < pol->min_notice) {
		if (!force) {
			when_format_duration(pol->min_notice, buf, sizeof(buf));
			return appt_fail(err, APPT_REFUSED,
					 "appointment #%lld starts within %s: too late to reschedule"
					 " (policies.reschedule.min_notice); " OVERRIDE_HINT,
					 a->id, buf);
		}
		*forced = 1;
	}
	if (pol->max_times && a->reschedules >= pol->max_times) {
		if (!force)
			return appt_fail(err, APPT_REFUSED,
					 "appointment #%lld was already rescheduled %d time%s"
					 " (policies.reschedule.max_times: %d); " OVERRIDE_HINT,
					 a->id, a->reschedules, a->reschedules == 1 ? "" : "s",
					 pol->max_times);
		*forced = 1;
	}
	return APPT_OK;
}

int appointment_may_reschedule(struct appt_session *s, const struct appointment *a)
{
	int forced = 0;

	return check_reschedule_policy(s, a, 0, &forced, NULL) == APPT_OK;
}

static enum appt_status move_appointment(struct appt_session *s,
					 const struct appointment *a,
					 const struct cfg_service *svc,
					 const struct placement *pl,
					 struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"UPDATE appointments SET provider = ?, resource = ?, start_at = ?,"
		" end_at = ?, busy_from = ?, busy_to = ?, local_start = ?, zone = ?,"
		" status = CASE WHEN status = 'held' THEN 'held' ELSE 'booked' END,"
		" hold_until = CASE WHEN status = 'held' THEN min(hold_until, ?3) END,"
		" confirmed_at = NULL, confirmed_via = NULL,"
		" reschedules = reschedules + 1, updated_at = ?9, placed_at = ?9 WHERE id = ?10");
	char wall[40];

	when_format_local(pl->start, wall, sizeof(wall));
	db_bind_text(st, 1, pl->provider->id);
	db_bind_text(st, 2, pl->resource ? pl->resource->id : NULL);
	stmt_bind_int64(st, 3, pl->start);
	stmt_bind_int64(st, 4, pl->start + svc->duration);
	stmt_bind_int64(st, 5, pl->start - svc->buffer_before);
	stmt_bind_int64(st, 6, pl->start + svc->duration + svc->buffer_after);
	db_bind_text(st, 7, wall);
	db_bind_text(st, 8, when_zone());
	stmt_bind_int64(st, 9, s->now);
	stmt_bind_int64(st, 10, a->id);
	return db_exec_stmt(s->db, st, "moving the appointment", err);
}

static enum appt_status reschedule_locked(struct appt_session *s,
					  const struct appointment *a,
					  const struct booking_request *req,
					  struct booking_result *res,
					  struct appt_err *err)
{
	static const enum appt_state movable[] = { STATE_BOOKED, STATE_CONFIRMED, STATE_HELD };
	const struct cfg_service *svc;
	struct booking_request moved = *req;
	struct notice_plan plan = { NULL, NULL };
	struct placement pl;
	int forced = 0;
	char *before = NULL;
	enum appt_status status;

	/* The client keeps their provider unless the desk names another. */
	if (!moved.provider)
		moved.provider = a->provider;
	moved.client_id = a->client_id;
	status = require_state(a, movable, 3, "reschedule", err);
	if (!status)
		status = lookup_service(s->cfg, a->service, &svc, err);
	if (!status)
		status = check_request_refs(s->cfg, &moved, svc, err);
	if (!status)
		status = check_reschedule_policy(s, a, req->force, &forced, err);
	if (!status)
		status = place(s, svc, &moved, a->id, &pl, err);
	if (!status)
		status = check_client_free(s, a->client_id, svc, pl.start, a->id,
					   req->force, &forced, err);
	if (!status)
		status = plan_notice(s, a->id, req->no_notice, "booked", &plan, err);
	/* a hold moved is still only held: the client hears of the new time as a hold */
	if (!status && a->state == STATE_HELD && !plan.withheld)
		plan.notice = "held";
	if (!status) {
		before = event_snapshot(s->db, "appointment", a->id);
		status = move_appointment(s, a, svc, &pl, err);
	}
	if (!status)
		status = vacancy_freed(s, a, "reschedule", err);
	if (!status)
		status = record_change_told(s, a->id, "reschedule", before, req->reason,
					    forced || pl.forced, &plan, &res->message_id, err);
	if (!status)
		fill_result(res, a->id, &pl, svc);
	notice_plan_release(&plan);
	free(before);
	return status;
}

/* Loads the appointment inside the write lock, so its state cannot change under us. */
static enum appt_status begin_change(struct appt_session *s, long long id,
				     int force, const char *reason,
				     struct appointment *a, struct appt_err *err)
{
	enum appt_status status = text_check("reason", reason, 0, err);

	if (!status && force)
		status = session_check_force(s, reason, err);
	if (!status)
		status = db_begin_write(s->db, err);
	if (status)
		return status;
	status = appointment_get(s->db, id, a, err);
	if (status)
		db_rollback(s->db);
	return status;
}

enum appt_status appointment_reschedule(struct appt_session *s, long long id,
					const struct booking_request *req,
					struct booking_result *res,
					struct appt_err *err)
{
	struct appointment a;
	enum appt_status status;

	memset(res, 0, sizeof(*res));
	status = begin_change(s, id, req->force, req->reason, &a, err);
	if (status)
		return status;
	status = db_finish_write(s->db, reschedule_locked(s, &a, req, res, err), err);
	appointment_release(&a);
	return status;
}

/* ---- cancel and no-show ---- */

static enum appt_status add_charge(struct appt_session *s,
				   const struct appointment *a, const char *kind,
				   long long amount, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"INSERT INTO charges (appointment_id, client_id, kind, amount, at, actor)"
		" VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
	long long id;
	enum appt_status status;

	stmt_bind_int64(st, 1, a->id);
	stmt_bind_int64(st, 2, a->client_id);
	db_bind_text(st, 3, kind);
	stmt_bind_int64(st, 4, amount);
	stmt_bind_int64(st, 5, s->now);
	db_bind_text(st, 6, s->actor);
	status = db_insert_id(s->db, st, &id, "charging a fee", err);
	if (!status)
		status = event_log_current(s->db, &(struct event){
			.at = s->now, .actor = s->actor, .entity = "charge", .entity_id = id,
			.action = "charge" }, err);
	/* a client in credit has the fee paid from it at once */
	if (!status)
		status = account_settle(s->db, s->now, a->client_id, err);
	return status;
}

static enum appt_status set_cancelled(struct appt_session *s,
				      const struct appointment *a, int late,
				      const char *reason, const char *by,
				      struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"UPDATE appointments SET status = 'cancelled', late_cancel = ?1,"
		" cancel_reason = ?2, cancelled_by = ?3, updated_at = ?4, cancelled_at = ?4"
		" WHERE id = ?5");

	stmt_bind_int64(st, 1, late);
	db_bind_text(st, 2, reason);
	db_bind_text(st, 3, by);
	stmt_bind_int64(st, 4, s->now);
	stmt_bind_int64(st, 5, a->id);
	return db_exec_stmt(s->db, st, "cancelling", err);
}

static enum appt_status cancel_locked(struct appt_session *s,
				      const struct appointment *a,
				      const char *reason, const char *by,
				      int force, int no_notice, struct booking_result *res,
				      struct appt_err *err)
{
	struct notice_plan plan = { NULL, NULL };
	static const enum appt_state cancellable[] = {
		STATE_BOOKED, STATE_CONFIRMED, STATE_WAITING, STATE_HELD };
	const struct cfg_cancel_policy *pol = &s->cfg->policies.cancel;
	char *before = event_snapshot(s->db, "appointment", a->id);
	int by_client = strcmp(by, "business") != 0;
	int started = a->start <= s->now;
	enum appt_status status;

	status = require_state(a, cancellable, 4, "cancel", err);
	if (!status && started && !force)
		status = appt_fail(err, APPT_REFUSED,
				   "appointment #%lld already started; mark it with 'appt noshow' or "
				   OVERRIDE_HINT, a->id);
	/* a hold was never a promise: letting it go is never late */
	res->late = by_client && appointment_cancel_is_late(s, a);
	/* A forced cancellation is a manager waiving the late fee. */
	res->fee = (res->late && !force) ? pol->late_fee : 0;
	force = force && (started || (res->late && pol->late_fee));
	if (!status)
		status = plan_notice(s, a->id, no_notice, NULL, &plan, err);
	if (!status)
		status = set_cancelled(s, a, res->late, reason, by, err);
	if (!status)
		status = vacancy_freed(s, a, "cancel", err);
	if (!status && res->fee)
		status = add_charge(s, a, "late-cancel", res->fee, err);
	if (!status)
		status = record_change_told(s, a->id, "cancel", before, reason, force, &plan,
					    &res->message_id, err);
	res->withheld = plan.withheld != NULL;
	notice_plan_release(&plan);
	free(before);
	return status;
}

int appointment_cancel_is_late(const struct appt_session *s, const struct appointment *a)
{
	return a->state != STATE_HELD &&
	       a->start - s->now < s->cfg->policies.cancel.min_notice;
}

enum appt_status appointment_cancel(struct appt_session *s, long long id,
				    const char *reason, const char *by,
				    int force, int no_notice, struct booking_result *res,
				    struct appt_err *err)
{
	struct appointment a;
	enum appt_status status;

	memset(res, 0, sizeof(*res));
	status = begin_change(s, id, force, reason, &a, err);
	if (status)
		return status;
	res->id = id;
	res->start = a.start;
	status = db_finish_write(s->db, cancel_locked(s, &a, reason, by ? by : "client",
					       force, no_notice, res, err), err);
	appointment_release(&a);
	return status;
}

static enum appt_status set_state_column(struct appt_session *s, long long id,
					 enum appt_state to, const char *note,
					 struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"UPDATE appointments SET status = ?, note = coalesce(?, note),"
		" updated_at = ? WHERE id = ?");

	db_bind_text(st, 1, state_name(to));
	db_bind_text(st, 2, note);
	stmt_bind_int64(st, 3, s->now);
	stmt_bind_int64(st, 4, id);
	return db_exec_stmt(s->db, st, "changing the state", err);
}

/*
 * policies.noshow.block_after: why this no-show blocks the client (the one
 * that reaches it, when they are not blocked already), or NULL.  Caller
 * frees.
 */
static char *noshow_blocks(struct appt_session *s, const struct appointment *a,
			   struct appt_err *err, enum appt_status *status)
{
	const struct cfg_noshow_policy *pol = &s->cfg->policies.noshow;
	struct client c;
	char window[32];
	int n;

	*status = APPT_OK;
	if (!pol->block_after)
		return NULL;
	n = client_noshow_count(s->db, a->client_id, s->now - pol->window);
	if (n < pol->block_after)
		return NULL;
	*status = client_get(s->db, a->client_id, &c, err);
	if (*status || c.blocked) {
		client_release(&c);
		return NULL;
	}
	client_release(&c);
	when_format_duration(pol->window, window, sizeof(window));
	return xasprintf("%d no-shows in %s (policies.noshow.block_after)", n, window);
}

/*
 * Blocks the client, marking the no-show's appointment right after its own
 * event (APPOINTMENT_BLOCKED_CLIENT): how appt undo knows this no-show
 * imposed the block.  Nobody blocked is asked to book again.
 */
static enum appt_status apply_noshow_block(struct appt_session *s,
					   const struct appointment *a, const char *why,
					   struct appt_err *err)
{
	enum appt_status status = client_set_blocked(s->db, a->client_id, 1, why, s->actor,
						     s->now, err);

	if (!status)
		status = event_log(s->db, &(struct event){
			.at = s->now, .actor = s->actor, .entity = "appointment",
			.entity_id = a->id, .action = APPOINTMENT_BLOCKED_CLIENT,
			.reason = why }, err);
	if (!status)
		status = outbox_void_moot(s, a->client_id, NULL, err);
	return status;
}

static enum appt_status noshow_locked(struct appt_session *s,
				      const struct appointment *a,
				      const char *note, int force,
				      const char *reason,
				      struct booking_result *res,
				      struct appt_err *err)
{
	static const enum appt_state missable[] = { STATE_BOOKED, STATE_CONFIRMED };
	const struct cfg_noshow_policy *pol = &s->cfg->policies.noshow;
	char *before = event_snapshot(s->db, "appointment", a->id), *block = NULL;
	char grace[32], at[40];
	int early = s->now < a->start + pol->grace;
	enum appt_status status;

	status = require_state(a, missable, 2, "mark a no-show for", err);
	force = force && early;
	if (!status && early && !force) {
		when_format_duration(pol->grace, grace, sizeof(grace));
		when_format_local(a->start + pol->grace, at, sizeof(at));
		status = appt_fail(err, APPT_REFUSED,
				   "too early for a no-show: appointment #%lld allows %s of grace"
				   " (policies.noshow.grace), until %s; " OVERRIDE_HINT,
				   a->id, grace, at);
	}
	res->fee = pol->fee;
	if (!status)
		status = set_state_column(s, a->id, STATE_NOSHOW, note, err);
	if (!status)
		status = vacancy_freed(s, a, "noshow", err);
	if (!status && res->fee)
		status = add_charge(s, a, "no-show", res->fee, err);
	if (!status)
		block = noshow_blocks(s, a, err, &status);
	/* the no-show that blocks tells the client so, and invites no rebooking */
	if (!status)
		status = record_change_told(s, a->id, "noshow", before, reason, force,
					    &(struct notice_plan){
						    block && s->cfg->notices.blocked.set
						    ? "blocked" : NULL, NULL },
					    &res->message_id, err);
	if (!status && block)
		status = apply_noshow_block(s, a, block, err);
	res->client_blocked = block && !status;
	free(block);
	free(before);
	return status;
}

enum appt_status appointment_noshow(struct appt_session *s, long long id,
				    const char *note, int force,
				    const char *reason,
				    struct booking_result *res,
				    struct appt_err *err)
{
	struct appointment a;
	enum appt_status status;

	memset(res, 0, sizeof(*res));
	status = text_check("note", note, 1, err);
	if (!status)
		status = begin_change(s, id, force, reason, &a, err);
	if (status)
		return status;
	res->id = id;
	res->start = a.start;
	status = db_finish_write(s->db, noshow_locked(s, &a, note, force, reason, res, err), err);
	if (!status)
		warn_noshows(s, a.client_id, res);
	appointment_release(&a);
	return status;
}

/* ---- confirm, check in, start, done ---- */

/* The audit action of each step, and how a refusal names it. */
static const char *const state_actions[STATE_COUNT] = {
	[STATE_CONFIRMED] = "confirm", [STATE_WAITING] = "checkin",
	[STATE_IN_PROGRESS] = "start", [STATE_DONE] = "done",
};
static const char *const state_verbs[STATE_COUNT] = {
	[STATE_CONFIRMED] = "confirm", [STATE_WAITING] = "check in",
	[STATE_IN_PROGRESS] = "start", [STATE_DONE] = "mark done",
};

/*
 * policies.arrival.early: a visit is checked in, started or marked done only
 * around its time, so a slip of the id on the wrong appointment is refused
 * instead of closing someone else's visit days ahead.  *force is left set
 * only when the override was needed, which is what the log records.
 */
static enum appt_status check_arrival(struct appt_session *s,
				      const struct appointment *a,
				      enum appt_state to, int *force,
				      struct appt_err *err)
{
	long early = s->cfg->policies.arrival.early;
	char allowed[32], at[40];

	if (to == STATE_CONFIRMED || s->now >= a->start - early) {
		*force = 0;
		return APPT_OK;
	}
	if (*force)
		return APPT_OK;
	when_format_duration(early, allowed, sizeof(allowed));
	when_format_local(a->start, at, sizeof(at));
	return appt_fail(err, APPT_REFUSED,
			 "too early to %s appointment #%lld: it starts %s and"
			 " policies.arrival.early allows %s before; " OVERRIDE_HINT,
			 state_verbs[to], a->id, at, allowed);
}

static enum appt_status advance_locked(struct appt_session *s,
				       const struct appointment *a,
				       enum appt_state to, const char *via,
				       int force, const char *reason,
				       long long *message, struct appt_err *err)
{
	char *before;
	struct stmt *st;
	int held = a->state == STATE_HELD;
	enum appt_status status;

	if (held && to != STATE_CONFIRMED)
		return appt_fail(err, APPT_REFUSED,
				 "cannot %s appointment #%lld: it is only held; confirm it first"
				 " (appt confirm %lld)", state_verbs[to], a->id, a->id);
	if (!held && (state_is_end(a->state) || a->state >= to))
		return appt_fail(err, APPT_REFUSED,
				 "cannot %s appointment #%lld: it is %s%s",
				 state_verbs[to], a->id, a->state == to ? "already " : "",
				 state_name(a->state));
	status = check_arrival(s, a, to, &force, err);
	if (status)
		return status;
	before = event_snapshot(s->db, "appointment", a->id);
	st = db_prepare(s->db,
		"UPDATE appointments SET status = ?1, updated_at = ?2,"
		" confirmed_at = CASE WHEN ?1 = 'confirmed' THEN ?2 ELSE confirmed_at END,"
		" confirmed_via = CASE WHEN ?1 = 'confirmed' THEN ?3 ELSE confirmed_via END,"
		" done_at = CASE WHEN ?1 = 'done' THEN ?2 ELSE done_at END"
		" WHERE id = ?4");
	db_bind_text(st, 1, state_name(to));
	stmt_bind_int64(st, 2, s->now);
	db_bind_text(st, 3, via);
	stmt_bind_int64(st, 4, a->id);
	status = db_exec_stmt(s->db, st, "changing the state", err);
	/*
	 * A client who confirmed (or came) needs no confirmation call (seed
	 * 001 §4).  A hold confirmed is a booking now: the client is told so,
	 * and what it answers (an offer, a waitlist entry) is settled.
	 */
	if (!status)
		status = record_change_told(s, a->id, state_actions[to], before, reason, force,
					    &(struct notice_plan){ held ? "booked" : NULL, NULL },
					    message, err);
	if (!status && held)
		status = booked_firmly(s, a->id, a->client_id, a->service, err);
	free(before);
	return status;
}

enum appt_status appointment_set_state(struct appt_session *s, long long id,
				       enum appt_state to, const char *via,
				       int force, const char *reason,
				       long long *message, struct appt_err *err)
{
	struct appointment a;
	enum appt_status status;

	if (!state_actions[to])
		return appt_fail(err, APPT_USAGE, "no command moves an appointment to %s",
				 state_name(to));
	status = begin_change(s, id, force, reason, &a, err);
	if (status)
		return status;
	*message = 0;
	status = db_finish_write(s->db, advance_locked(s, &a, to, via, force, reason,
						       message, err), err);
	appointment_release(&a);
	return status;
}

/* ---- holds that lapse ---- */

/* Whether the hold was placed by the waitlist (logged "offer"), not at the desk. */
static enum appt_status was_offer(struct appt_session *s, long long id, int *offer,
				  struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"SELECT count(*) FROM events WHERE entity = 'appointment' AND entity_id = ?1"
		" AND action = 'offer'");
	long long n = 0;
	enum appt_status status;

	stmt_bind_int64(st, 1, id);
	status = db_query_int(s->db, st, &n, "reading the audit log", err);
	*offer = n > 0;
	return status;
}

static enum appt_status expire_one(struct appt_session *s, const struct appointment *a,
				   struct appt_err *err)
{
	char *before = event_snapshot(s->db, "appointment", a->id);
	struct notice_plan plan = { NULL, NULL };
	int offer = 0;
	enum appt_status status = plan_notice(s, a->id, 0, NULL, &plan, err);

	/* a hold that ran to the visit's own start: "released" would tell nothing */
	if (!status && !plan.withheld && a->start <= s->now)
		plan.withheld = xstrdup("the held time has begun");
	/*
	 * The offer said until when: a client who let it lapse has answered,
	 * and a "released" text after each offer would double what they hear.
	 */
	if (!status && !plan.withheld)
		status = was_offer(s, a->id, &offer, err);
	if (!status && offer)
		plan.withheld = xstrdup("a waitlist offer, which said until when");
	if (!status)
		status = set_cancelled(s, a, 0, "hold expired", "business", err);
	if (!status)
		status = vacancy_freed(s, a, "expire", err);
	if (!status)
		status = record_change_told(s, a->id, "expire", before, NULL, 0, &plan, NULL, err);
	notice_plan_release(&plan);
	free(before);
	return status;
}

/* The holds whose time has come, oldest first. */
static enum appt_status lapsed_holds(struct appt_session *s, struct idlist *ids,
				     struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"SELECT id FROM appointments WHERE status = 'held' AND hold_until <= ?1"
		" ORDER BY hold_until, id");

	stmt_bind_int64(st, 1, s->now);
	return db_collect_ids(s->db, st, ids, "finding lapsed holds", err);
}

enum appt_status appointment_expire_holds(struct appt_session *s,
					  void (*fn)(const struct appointment *a, void *data),
					  void *data, struct appt_err *err)
{
	struct idlist ids = IDLIST_INIT;
	enum appt_status status = lapsed_holds(s, &ids, err);

	for (size_t i = 0; !status && i < ids.nr; i++) {
		struct appointment a;

		status = appointment_get(s->db, ids.items[i], &a, err);
		if (!status)
			status = expire_one(s, &a, err);
		if (!status && fn)
			fn(&a, data);
		if (!status)
			appointment_release(&a);
	}
	idlist_clear(&ids);
	return status;
}
