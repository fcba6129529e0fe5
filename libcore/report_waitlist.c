/*
 * report waitlist: every open waitlist entry, in the order the entries are
 * offered freed slots (the order they were added), with the free slots
 * that would suit each now: what the desk can propose when it calls.
 */
#include <stdio.h>
#include <stdlib.h>

#include "report_defs.h"
#include "waitlist.h"

static const struct output_column waitlist_columns[] = {
	{ "id", COL_INT, FIT_WHOLE },
	{ "added", COL_TEXT, FIT_WHOLE },
	{ "client", COL_TEXT, FIT_SHRINK },
	{ "phone", COL_TEXT, FIT_WHOLE },
	{ "service", COL_TEXT, FIT_WHOLE },
	{ "provider", COL_TEXT, FIT_WHOLE },
	{ "from", COL_TEXT, FIT_WHOLE },
	{ "to", COL_TEXT, FIT_WHOLE },
	{ "days", COL_TEXT, FIT_WHOLE },
	{ "times", COL_TEXT, FIT_WHOLE },
	{ "offers", COL_INT, FIT_WHOLE },
	{ "free_slots", COL_TEXT, FIT_SHRINK },
};

#define NCOLS (sizeof(waitlist_columns) / sizeof(waitlist_columns[0]))

/* Local times in a table, ISO 8601 instants in CSV and JSON, as every report. */
static void format_time(const struct report_args *a, time_t t, char *buf, size_t size)
{
	if (a->format == OUTPUT_TABLE)
		when_format_local(t, buf, size);
	else
		when_format_iso(t, buf, size);
}

/* "2027-03-02 10:00 kim; 2027-03-02 10:30 kim": a few, soonest first. */
static enum appt_status describe_slots(struct appt_session *s, const struct report_args *a,
				       const struct waitlist_entry *e, struct strbuf *out,
				       struct appt_err *err)
{
	size_t max = (size_t)s->cfg->policies.booking.offer_slots, nr = 0;
	struct slot *slots = NULL;
	enum appt_status status = waitlist_free_slots(s, e, a->provider, a->from, a->to,
						      max, &slots, &nr, err);

	for (size_t i = 0; !status && i < nr; i++) {
		char at[40];

		format_time(a, slots[i].start, at, sizeof(at));
		strbuf_addf(out, "%s%s %s", i ? "; " : "", at, slots[i].provider);
	}
	free(slots);
	return status;
}

static void entry_row(struct output *o, const struct report_args *a,
		      const struct waitlist_entry *e, const char *slots)
{
	char id[24], added[40], offers[16];

	snprintf(id, sizeof(id), "%lld", e->id);
	format_time(a, e->created_at, added, sizeof(added));
	snprintf(offers, sizeof(offers), "%d", e->offers);
	output_row(o, (const char *const[NCOLS]){
		id, added, e->client_name, e->client_phone, e->service, e->provider,
		e->from_day, e->to_day, e->days, e->times, offers, *slots ? slots : NULL,
	});
}

REPORT_FN(report_waitlist)
{
	struct waitlist_filter f = { .client_id = a->client_id, .provider = a->provider };
	struct waitlist_list entries = { NULL, 0, 0 };
	struct strbuf slots = STRBUF_INIT;
	struct output *o;
	enum appt_status status = waitlist_read(s->db, &f, &entries, err);

	if (status)
		return status;
	o = report_begin(a, waitlist_columns, NCOLS);
	for (size_t i = 0; !status && i < entries.nr; i++) {
		strbuf_reset(&slots);
		status = describe_slots(s, a, &entries.items[i], &slots, err);
		if (!status)
			entry_row(o, a, &entries.items[i], strbuf_str(&slots));
	}
	if (status)
		output_end(o);
	else
		status = report_end(o, err);
	strbuf_release(&slots);
	waitlist_list_release(&entries);
	return status;
}
