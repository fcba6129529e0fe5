/* appt slots: the next free slots for a service, to offer a client. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "command.h"
#include "output.h"
#include "slots.h"

static const char usage[] =
	"usage: appt slots --service S [--provider P] [--from TIME] [--count N] [--days N]\n"
	"                  [--format table|csv|json] [--wide]\n"
	"\n"
	"  --service S     service id from the configuration\n"
	"  --provider P    only this provider\n"
	"  --from TIME     not before this time (default: now plus the booking notice)\n"
	"  --count N       how many slots (default: policies.booking.offer_slots, at least 2)\n"
	"  --days N        look at most N days ahead (default: the booking horizon)\n"
	"  --format F      table (on a terminal), csv or json\n"
	"  --wide          a table shows provider names whole, however wide\n";

struct slots_args {
	const char *from;
	enum output_format format;
	int wide;
	struct slot_query q;
};

/* Each --NAME given is checked, as each was when read; the last one counts. */
static int read_count(const struct cmd_context *c, const char *name, int *out)
{
	const struct strlist *values = cmd_values(c, name);
	char option[32];
	int status = APPT_OK;

	snprintf(option, sizeof(option), "--%s", name);
	for (size_t i = 0; !status && i < values->nr; i++)
		status = cli_parse_count(values->items[i], option, out);
	return status;
}

/* The command line as the library takes it; usage errors (64) and bad values (65). */
static int read_args(const struct cmd_context *c, struct slots_args *a)
{
	const char *format = cmd_value(c, "format");
	int status;

	memset(a, 0, sizeof(*a));
	a->q.service = cmd_value(c, "service");
	a->q.provider = cmd_value(c, "provider");
	a->from = cmd_value(c, "from");
	a->wide = cmd_given(c, "wide");
	a->format = output_default_format();
	if ((status = read_count(c, "count", &a->q.count)) ||
	    (status = read_count(c, "days", &a->q.days)))
		return status;
	if (!a->q.service)
		return cli_usage_error("--service is required");
	return format ? cli_parse_format(format, &a->format) : APPT_OK;
}

static int check(struct cmd_context *c)
{
	struct slots_args a;

	return read_args(c, &a);
}

static const struct output_column columns[] = {
	{ "start", COL_TEXT, FIT_WHOLE }, { "end", COL_TEXT, FIT_WHOLE },
	{ "provider", COL_TEXT, FIT_WHOLE }, { "provider_name", COL_TEXT, FIT_SHRINK },
	{ "resource", COL_TEXT, FIT_WHOLE },
};

static void print_slots(const struct appt_session *s, enum output_format fmt,
			unsigned flags, const struct slot *slots, size_t nr)
{
	struct output *o = output_begin(stdout, fmt, columns, 5, flags);

	for (size_t i = 0; i < nr; i++) {
		char start[40], end[40];
		const char *cells[5];

		if (fmt == OUTPUT_TABLE) {
			when_format_local(slots[i].start, start, sizeof(start));
			when_format_clock(slots[i].end, end, sizeof(end));
		} else {
			when_format_iso(slots[i].start, start, sizeof(start));
			when_format_iso(slots[i].end, end, sizeof(end));
		}
		cells[0] = start;
		cells[1] = end;
		cells[2] = slots[i].provider;
		cells[3] = config_provider(s->cfg, slots[i].provider)->name;
		cells[4] = slots[i].resource;
		output_row(o, cells);
	}
	output_end(o);
}

/* The free slots the query finds; --from needs the session's clock. */
static int find_slots(struct appt_session *s, struct slots_args *a,
		      struct slot **slots, size_t *nr)
{
	struct appt_err err = { "" };
	int status = a->from ? cli_parse_time(s, a->from, &a->q.from) : APPT_OK;

	if (status)
		return status;
	if (!a->q.count)
		a->q.count = s->cfg->policies.booking.offer_slots;
	return cli_report(appointment_find_slots(s, &a->q, slots, nr, &err), &err);
}

static int run(struct cmd_context *c)
{
	struct slots_args a;
	struct slot *slots = NULL;
	size_t nr = 0;
	int status = read_args(c, &a);

	if (!status)
		status = find_slots(&c->s, &a, &slots, &nr);
	if (!status && nr)
		print_slots(&c->s, a.format, a.wide ? OUTPUT_WIDE : 0, slots, nr);
	if (!status && !nr)
		status = cli_error(APPT_REFUSED, "no free slot for '%s' in that window", a.q.service);
	free(slots);
	return status;
}

static const struct cmd_option options[] = {
	{ "service", 0, CMD_VALUE, "@services" },
	{ "provider", 0, CMD_VALUE, "@providers" },
	{ "from", 0, CMD_VALUE, NULL },
	{ "count", 0, CMD_VALUE, NULL },
	{ "days", 0, CMD_VALUE, NULL },
	{ "format", 0, CMD_VALUE, "table csv json" },
	{ "wide", 0, CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

const struct command cmd_slots = {
	.name = "slots", .summary = "offer the next free slots", .usage = usage,
	.options = options, .min_args = 0, .max_args = 0,
	.needs = CMD_NEEDS_DB, .check = check, .run = run,
};
