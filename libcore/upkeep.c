#include "upkeep.h"

#include <stdarg.h>
#include <stdio.h>

#include "booking.h"
#include "request.h"
#include "waitlist.h"

static void say(const struct remind_options *o, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!o->report)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	o->report(line, o->data);
}

/* What each step's callback reports to: the run's options and its summary. */
struct run_report {
	const struct remind_options *o;
	struct delivery_summary *sum;
};

static void released(const struct appointment *a, void *data)
{
	struct run_report *e = data;
	char at[40];

	when_format_local(a->start, at, sizeof(at));
	e->sum->expired++;
	say(e->o, "%s hold #%lld for %s, %s", e->o->dry_run ? "would release" : "released",
	    a->id, a->client_name, at);
}

static void offered(const struct waitlist_offer *w, void *data)
{
	struct run_report *e = data;
	char at[40];

	when_format_local(w->start, at, sizeof(at));
	e->sum->offered++;
	say(e->o, "%s #%lld (slot %s with %s) to %s (waitlist #%lld)",
	    e->o->dry_run ? "would offer" : "offered", w->appointment_id, at, w->provider,
	    w->client_name, w->entry_id);
}

/*
 * The request itself; its call task has a line of its own among the new
 * tasks.  sum->overdue is counted by request_call_overdue.
 */
static void overdue(const struct request *r, long long task, void *data)
{
	struct run_report *e = data;
	char by[40];

	when_format_local(r->reply_by, by, sizeof(by));
	say(e->o, "%s request #%lld of %s: not answered by %s (call task #%lld)",
	    e->o->dry_run ? "would chase" : "chasing", r->id, r->client_name, by, task);
}

enum appt_status remind_upkeep(struct appt_session *s, const struct remind_options *o,
			       struct delivery_summary *sum, struct appt_err *err)
{
	struct run_report e = { o, sum };
	enum appt_status status = APPT_OK;

	if (o->only & REMIND_HOLDS)
		status = appointment_expire_holds(s, released, &e, err);
	/* after the holds: a lapsed offer's slot is open again for the next entry */
	if (!status && (o->only & REMIND_WAITLIST))
		status = waitlist_offer_freed(s, offered, &e, err);
	if (!status && (o->only & REMIND_REQUESTS))
		status = request_call_overdue(s, sum, overdue, &e, err);
	return status;
}
