#include "slots.h"

#include <stdlib.h>
#include <string.h>

#include "avail.h"

/* How far ahead to look when the configuration sets no booking horizon. */
#define DEFAULT_HORIZON (60 * 86400L)

struct slot_list {
	struct slot *items;
	size_t nr;
	size_t alloc;
};

struct search {
	struct appt_session *s;
	const struct slot_query *q;
	const struct cfg_service *svc;
	const struct cfg_resource *resource; /* NULL: any */
	time_t earliest;
	time_t latest;
};

static void push_slot(struct slot_list *list, time_t start, time_t end,
		      const char *provider, const char *resource)
{
	ALLOC_GROW(list->items, list->nr + 1, list->alloc);
	list->items[list->nr++] = (struct slot){ start, end, provider, resource };
}

/* Starts step apart from the span's beginning, none before `earliest`. */
static time_t first_start(time_t span_from, time_t earliest, long step)
{
	if (earliest <= span_from)
		return span_from;
	return span_from + ((earliest - span_from + step - 1) / step) * step;
}

static void collect_plan(const struct search *se, const struct day_plan *plan,
			 struct slot_list *out)
{
	long step = se->s->cfg->policies.booking.slot_step;

	for (size_t i = 0; i < plan->nr_open; i++) {
		const struct span *sp = &plan->open[i];

		for (time_t t = first_start(sp->from, se->earliest, step);
		     t + se->svc->duration <= sp->to && t <= se->latest; t += step) {
			struct fit fit = day_plan_fit(plan, t, se->resource, AVAIL_STRICT);

			if (fit.rule == RULE_FITS)
				push_slot(out, t, t + se->svc->duration, plan->provider->id,
					  fit.resource ? fit.resource->id : NULL);
		}
	}
}

static int provider_wanted(const struct search *se, const struct cfg_provider *p)
{
	if (se->q->provider)
		return !strcmp(p->id, se->q->provider);
	return provider_offers(p, se->svc->id);
}

static int by_start(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

/* Insertion sort: stable, so equal starts keep the providers' configured order. */
static void sort_day(struct slot_list *list, size_t first)
{
	for (size_t i = first + 1; i < list->nr; i++)
		for (size_t j = i; j > first && by_start(&list->items[j - 1], &list->items[j]) > 0; j--) {
			struct slot tmp = list->items[j];
			list->items[j] = list->items[j - 1];
			list->items[j - 1] = tmp;
		}
}

/*
 * Offering a client the same time twice is no choice at all (and two
 * providers may share the one room): keep the first provider per start.
 */
static void drop_same_starts(struct slot_list *list, size_t first)
{
	size_t kept = first;

	for (size_t i = first; i < list->nr; i++)
		if (kept == first || list->items[kept - 1].start != list->items[i].start)
			list->items[kept++] = list->items[i];
	list->nr = kept;
}

/* Every provider's slots on one date, in time order. */
static enum appt_status collect_day(const struct search *se, struct appt_date date,
				    struct slot_list *out, struct appt_err *err)
{
	size_t first = out->nr;
	struct resource_day rooms;
	enum appt_status status;

	status = resource_day_load(se->s, se->svc, date, se->q->exclude_id, &rooms, err);
	for (size_t i = 0; !status && i < se->s->cfg->nr_providers; i++) {
		const struct cfg_provider *p = &se->s->cfg->providers[i];
		struct day_plan plan;

		if (!provider_wanted(se, p))
			continue;
		status = day_plan_load(se->s, &plan, p, se->svc, date, se->q->exclude_id,
				       &rooms, err);
		if (!status)
			collect_plan(se, &plan, out);
		day_plan_release(&plan);
	}
	resource_day_release(&rooms);
	if (status)
		return status;
	sort_day(out, first);
	if (!se->q->provider)
		drop_same_starts(out, first);
	return APPT_OK;
}

static enum appt_status check_query(struct appt_session *s, const struct slot_query *q,
				    const struct cfg_service **svc, struct appt_err *err)
{
	const struct cfg_provider *p;

	*svc = config_service(s->cfg, q->service);
	if (!*svc)
		return config_no_service(s->cfg, q->service, err);
	if (!q->provider)
		return APPT_OK;
	p = config_provider(s->cfg, q->provider);
	if (!p)
		return appt_fail(err, APPT_NOTFOUND, "no provider '%s'", q->provider);
	if (!provider_offers(p, (*svc)->id))
		return appt_fail(err, APPT_REFUSED, "%s does not offer %s", p->name, (*svc)->name);
	return APPT_OK;
}

static void set_window(struct search *se)
{
	const struct cfg_booking_policy *pol = &se->s->cfg->policies.booking;
	time_t now = se->s->now;

	se->earliest = se->q->walk_in ? now : now + pol->min_notice;
	if (se->q->from > se->earliest)
		se->earliest = se->q->from;
	se->latest = now + (pol->max_advance ? pol->max_advance : DEFAULT_HORIZON);
	if (se->q->days) {
		struct appt_date d;
		time_t limit;

		when_to_local(se->earliest, &d, NULL, NULL);
		limit = when_day_start(date_add_days(d, se->q->days)) - 1;
		if (limit < se->latest)
			se->latest = limit;
	}
}

enum appt_status appointment_find_slots(struct appt_session *s,
					const struct slot_query *q,
					struct slot **slots, size_t *nr,
					struct appt_err *err)
{
	struct search se = { .s = s, .q = q };
	struct slot_list list = { NULL, 0, 0 };
	struct appt_date date, last;
	enum appt_status status;

	*slots = NULL;
	*nr = 0;
	status = check_query(s, q, &se.svc, err);
	if (status)
		return status;
	se.resource = q->resource ? config_resource(s->cfg, q->resource) : NULL;
	set_window(&se);
	when_to_local(se.earliest, &date, NULL, NULL);
	when_to_local(se.latest, &last, NULL, NULL);
	for (; !status && date_cmp(date, last) <= 0 && list.nr < (size_t)q->count;
	     date = date_add_days(date, 1))
		status = collect_day(&se, date, &list, err);
	if (status) {
		free(list.items);
		return status;
	}
	*slots = list.items;
	*nr = list.nr < (size_t)q->count ? list.nr : (size_t)q->count;
	return APPT_OK;
}
