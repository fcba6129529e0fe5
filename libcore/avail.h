/*
 * avail: when a provider can take a service — opening hours with breaks,
 * closures, time off, other appointments with their buffers, resources and
 * group capacity.  One day plan per provider and date answers both "does this
 * start fit?" (booking) and "which starts fit?" (slots), so the two can never
 * disagree.
 */
#ifndef APPT_AVAIL_H
#define APPT_AVAIL_H

#include <time.h>

#include "config.h"
#include "session.h"
#include "util.h"

struct span {
	time_t from;
	time_t to;
};

/* An appointment occupying a provider or a resource. */
struct busy {
	long long id;
	time_t start;
	time_t from; /* busy_from: start less buffer_before */
	time_t to;   /* busy_to: end plus buffer_after */
	char *service;
	char *resource;
};

struct plan_block {
	time_t from;
	time_t to;
	char *reason; /* may be NULL */
};

struct busy_list {
	struct busy *items;
	size_t nr;
	size_t alloc;
};

/*
 * The bookings of every resource able to serve a service on one date.  They
 * are the same for every provider, so a slot search loads them once a day
 * and lends them to each provider's plan.
 */
struct resource_day {
	const struct cfg_resource **resources;
	struct busy_list *busy; /* busy[i] belongs to resources[i] */
	size_t nr;
};

struct day_plan {
	const struct cfg_provider *provider;
	const struct cfg_service *service;
	struct appt_date date;
	const struct cfg_closure *closure; /* the whole day is closed */
	struct span *hours;                /* working spans before time off */
	size_t nr_hours;
	struct span *open;                 /* working spans less time off */
	size_t nr_open;
	struct plan_block *blocks;         /* the day's time off */
	size_t nr_blocks;
	struct busy_list busy;             /* the provider's appointments */
	const struct resource_day *rooms;  /* borrowed; NULL when none is needed */
};

/* Why a start does not fit; the first four may be overridden with --force. */
enum avail_rule {
	RULE_FITS,
	RULE_CLOSED,         /* a closure day */
	RULE_TIME_OFF,       /* inside the provider's time off */
	RULE_OUTSIDE_HOURS,  /* outside the provider's working hours */
	RULE_PROVIDER_BUSY,  /* overlaps another appointment (buffers included) */
	RULE_GROUP_FULL,     /* the group session has no place left */
	RULE_NO_RESOURCE,    /* no resource of the needed kind is free */
};

int avail_rule_forceable(enum avail_rule rule);

/*
 * The client's own calendar: *other is an appointment of theirs still to
 * happen that overlaps [from, to), or 0.  exclude_id (0: none) is left out.
 */
enum appt_status avail_client_busy(struct appt_session *s, long long client_id,
				   time_t from, time_t to, long long exclude_id,
				   long long *other, struct appt_err *err);

struct fit {
	enum avail_rule rule;
	time_t end;                          /* the end the start was checked with */
	const struct cfg_resource *resource; /* chosen when the service needs one */
	long long conflict_id;               /* the appointment in the way */
	int group_size;                      /* joining a group: places taken */
};

/*
 * Loads the resources a service needs (none when it needs none) with their
 * bookings on a date.  exclude_id (0: none) is left out of every busy list:
 * the appointment being rescheduled must not collide with itself.
 */
enum appt_status resource_day_load(struct appt_session *s,
				   const struct cfg_service *svc,
				   struct appt_date date, long long exclude_id,
				   struct resource_day *rd, struct appt_err *err);
void resource_day_release(struct resource_day *rd);

/*
 * Loads the plan of one provider for one business date and service, lending
 * it rd (loaded for the same service, date and exclude_id).
 */
enum appt_status day_plan_load(struct appt_session *s, struct day_plan *plan,
			       const struct cfg_provider *p,
			       const struct cfg_service *svc,
			       struct appt_date date, long long exclude_id,
			       const struct resource_day *rd,
			       struct appt_err *err);
/* Only a provider's open time on a date (hours less closures and time off). */
enum appt_status day_plan_load_hours(struct appt_session *s, struct day_plan *plan,
				     const struct cfg_provider *p, struct appt_date date,
				     struct appt_err *err);
void day_plan_release(struct day_plan *plan);

/*
 * Which of the forceable rules a fit overrides.  A conflict (another
 * appointment, a full group, no free room) is never overridden.
 */
enum avail_override {
	AVAIL_STRICT,          /* every rule */
	AVAIL_OVERRIDE_ALL,    /* closures, time off and the provider's hours */
	/*
	 * Closures and time off, but never the provider's working hours: a
	 * forced booking whose provider appt chose, not the desk.
	 */
	AVAIL_OVERRIDE_KEEP_HOURS,
};

/*
 * Whether the service can start at `start` in this plan.  want_resource (NULL:
 * any) limits the resources tried; override says which forceable rules are
 * not checked.
 */
struct fit day_plan_fit(const struct day_plan *plan, time_t start,
			const struct cfg_resource *want_resource,
			enum avail_override override);
/*
 * The same for an appointment that ends at end rather than after the
 * service's duration (an import gives its own end): the span stored is the
 * span checked.  end must not be after the plan's day.
 */
struct fit day_plan_fit_span(const struct day_plan *plan, time_t start, time_t end,
			     const struct cfg_resource *want_resource,
			     enum avail_override override);

/*
 * A sentence for a refusal: "Kim Kowalski is off 10:00-12:00 (training)",
 * "slot taken: ...; 'appt slots --service S' lists free times".
 */
void avail_explain(const struct day_plan *plan, time_t start,
		   const struct fit *fit, struct strbuf *out);
/* The broken rule alone, for a list of providers' reasons. */
void avail_explain_rule(const struct day_plan *plan, time_t start,
			const struct fit *fit, struct strbuf *out);
/* "'appt slots --service S' lists free times" */
void avail_slots_hint(const struct cfg_service *svc, struct strbuf *out);

#endif
