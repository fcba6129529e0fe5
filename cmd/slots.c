/* appt slots: the next free slots for a service, to offer a client. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
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
	const char *format;
	int wide;
	struct slot_query q;
};

static int parse_args(int argc, char **argv, struct slots_args *a)
{
	static const struct option options[] = {
		{ "service", required_argument, NULL, 's' },
		{ "provider", required_argument, NULL, 'p' },
		{ "from", required_argument, NULL, 'f' },
		{ "count", required_argument, NULL, 'n' },
		{ "days", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'o' },
		{ "wide", no_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, status = APPT_OK;

	while (!status && (c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 's': a->q.service = optarg; break;
		case 'p': a->q.provider = optarg; break;
		case 'f': a->from = optarg; break;
		case 'n': status = cli_parse_count(optarg, "--count", &a->q.count); break;
		case 'd': status = cli_parse_count(optarg, "--days", &a->q.days); break;
		case 'o': a->format = optarg; break;
		case 'W': a->wide = 1; break;
		case 'h': return -1;
		default: return cli_bad_option(c, argv);
		}
	}
	if (status)
		return status;
	if (cli_check_args(argc, argv, 0, 0))
		return APPT_USAGE;
	if (!a->q.service)
		return cli_usage_error("--service is required");
	return APPT_OK;
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

int main(int argc, char **argv)
{
	struct slots_args a = { 0 };
	struct appt_session s;
	struct appt_err err = { "" };
	enum output_format fmt = output_default_format();
	struct slot *slots = NULL;
	size_t nr = 0;
	int status;

	cli_start("slots", usage);
	status = parse_args(argc, argv, &a);
	if (status)
		return status < 0 ? cli_help() : status;
	if (a.format && output_parse_format(a.format, &fmt))
		return cli_error(APPT_DATAERR, "invalid value '%s' for --format (expected table, csv or json)",
				 a.format);
	status = cli_open_session(&s, SESSION_CONFIG | SESSION_DB);
	if (!status && a.from)
		status = cli_parse_time(&s, a.from, &a.q.from);
	if (!status) {
		if (!a.q.count)
			a.q.count = s.cfg->policies.booking.offer_slots;
		status = cli_report(appointment_find_slots(&s, &a.q, &slots, &nr, &err), &err);
	}
	if (!status && nr)
		print_slots(&s, fmt, a.wide ? OUTPUT_WIDE : 0, slots, nr);
	if (!status && !nr)
		status = cli_error(APPT_REFUSED, "no free slot for '%s' in that window", a.q.service);
	free(slots);
	session_close(&s);
	return cli_exit(status);
}
