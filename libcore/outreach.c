/*
 * Program outreach (seed 004): a client enrolled in a program whose last
 * visit was N days ago and who has nothing booked gets each step on its day
 * — texts, calls for the desk, a manager's call — and, with still no
 * booking end_after the final step, the program is ended.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outbox_priv.h"
#include "program.h"

struct overdue {
	long long client_id;
	struct program_status st;
};

struct overdue_list {
	struct overdue *items;
	size_t nr, alloc;
};

static void collect(long long client_id, const struct program_status *st, void *data)
{
	struct overdue_list *list = data;

	ALLOC_GROW(list->items, list->nr + 1, list->alloc);
	list->items[list->nr++] = (struct overdue){ client_id, *st };
}

/* "manager" means the first of roles.managers: the seed's designated manager. */
static const char *assignee(const struct appt_config *cfg, const char *assign)
{
	if (assign && !strcmp(assign, "manager") && cfg->managers.nr)
		return cfg->managers.items[0];
	return assign;
}

/* How one step goes out: as the attempt it makes, and after which call. */
struct step_plan {
	int stale;          /* a later step is already due: recorded as skipped */
	int attempt;        /* the cadence attempt the day's steps make */
	long long follows;  /* the call task of the same day a text waits for */
};

static enum appt_status queue_step(struct appt_session *s, const struct overdue *o,
				   size_t i, const struct step_plan *plan, long long *id,
				   struct delivery_summary *sum, struct appt_err *err)
{
	const struct cfg_program *prog = o->st.program;
	const struct cfg_outreach_step *step = &prog->steps[i];
	char *prefix = program_cycle_key(prog->id, o->client_id, o->st.last_visit_id);
	struct draft d = {
		.kind = "outreach", .client_id = o->client_id, .program = prog->id,
		.channel = step->channel, .template = step->template,
		.assign = assignee(s->cfg, step->assign),
		.due_at = when_day_start(date_add_days(o->st.last_visit_date, step->day)),
		.last_visit = o->st.last_visit,
		.skip = plan->stale, .attempt = plan->attempt, .follows = plan->follows,
		.key = xasprintf("%s%zu", prefix, i),
		.note = plan->stale ? xstrdup("skipped: a later step was already due")
			: plan->follows ? xasprintf("%s program: day %d, attempt %d; sent after"
						    " call task #%lld is logged", prog->id,
						    step->day, plan->attempt, plan->follows)
			: xasprintf("%s program: no appointment booked, day %d after the last"
				    " visit, attempt %d", prog->id, step->day, plan->attempt),
	};
	char name[64];
	enum appt_status status;

	snprintf(name, sizeof(name), "%s:day%d", prog->id, step->day);
	d.name = name;
	status = outbox_queue(s, &d, sum, id, err);
	draft_release(&d);
	free(prefix);
	return status;
}

static enum appt_status void_superseded(struct appt_session *s, const struct overdue *o,
				       int day, struct appt_err *err)
{
	char *prefix = program_cycle_key(o->st.program->id, o->client_id, o->st.last_visit_id);
	enum appt_status status = outbox_void_superseded(s, o->client_id, prefix, day, err);

	free(prefix);
	return status;
}

/*
 * A step's place in the cadence: seed 004 calls day 7's text the first
 * attempt and day 25's call and text the fifth.
 */
static int cadence_number(const struct cfg_program *prog, int day)
{
	int n = 0;

	for (size_t i = 0; i < prog->nr_steps && prog->steps[i].day <= day; i++)
		n += !i || prog->steps[i].day != prog->steps[i - 1].day;
	return n;
}

/*
 * Queues the steps now due: every step of the latest day reached, as one
 * attempt (seed 004's day 25: a call, then the text, which waits for the
 * call to be logged).  Attempts are numbered in the order they are made,
 * and a step is never numbered below its place in the cadence, so a cron
 * that missed day 12 still makes day 15's call the third attempt, and a
 * call the desk made on its own between steps pushes the next one up.  Earlier steps not sent (cron did not run that day)
 * are recorded as skipped, so a client never gets two days' texts at once.
 */
static enum appt_status queue_due_steps(struct appt_session *s, const struct overdue *o,
					struct delivery_summary *sum, struct appt_err *err)
{
	const struct cfg_program *prog = o->st.program;
	struct step_plan plan = { 0, o->st.attempts + 1, 0 };
	enum appt_status status = APPT_OK;
	int latest = -1;

	for (size_t i = (size_t)o->st.next_step; i < prog->nr_steps; i++)
		if (prog->steps[i].day <= o->st.days_since)
			latest = prog->steps[i].day;
	if (cadence_number(prog, latest) > plan.attempt)
		plan.attempt = cadence_number(prog, latest);
	if (latest >= 0)
		status = void_superseded(s, o, latest, err);
	for (size_t i = (size_t)o->st.next_step; !status && i < prog->nr_steps &&
	     prog->steps[i].day <= latest; i++) {
		int call = !strcmp(prog->steps[i].channel, "call");
		long long id = 0;

		plan.stale = prog->steps[i].day < latest;
		status = queue_step(s, o, i, &plan, &id, sum, err);
		if (!plan.stale && call && id)
			plan.follows = id;
	}
	return status;
}

static enum appt_status act_on(struct appt_session *s, const struct overdue *o,
			       struct delivery_summary *sum, struct appt_err *err)
{
	char *why;
	enum appt_status status;

	if (o->st.next_step >= 0)
		return queue_due_steps(s, o, sum, err);
	if (!o->st.due_to_end)
		return APPT_OK;
	why = xasprintf("no appointment booked after the final outreach step of %s",
			o->st.program->id);
	status = program_end(s, o->client_id, why, err);
	/* the program's open calls end with it */
	if (!status)
		status = outbox_void_moot(s, o->client_id, sum, err);
	free(why);
	return status;
}

enum appt_status outbox_queue_outreach(struct appt_session *s,
				       struct delivery_summary *sum,
				       struct appt_err *err)
{
	struct overdue_list list = { NULL, 0, 0 };
	enum appt_status status;

	/* Collected first: acting on a client changes the rows being listed. */
	status = program_each_overdue(s, collect, &list, err);
	for (size_t i = 0; !status && i < list.nr; i++)
		status = act_on(s, &list.items[i], sum, err);
	free(list.items);
	return status;
}
