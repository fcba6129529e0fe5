/*
 * appt reschedule: move an appointment, keeping its id.  The library owns the
 * policy (notice window, max_times, hours, conflicts) and the reset of the
 * confirmation; this file reads the command line and prints what was done.
 */
#include <stdio.h>

#include "booking.h"
#include "cli.h"
#include "when.h"

static const char usage[] =
	"usage: appt reschedule ID (--at TIME | --first-available [--from TIME])\n"
	"                          [--provider P] [--resource R] [--reason TEXT]\n"
	"                          [--force] [--no-send | --no-notice] [-q]\n"
	"\n"
	"Moves appointment ID to a new time, keeping its id.  Its confirmation\n"
	"resets to booked and a new confirmation is queued.  Inside the\n"
	"policies.reschedule.min_notice window, or past max_times moves, the move\n"
	"is refused unless forced.\n"
	"\n"
	"  --at TIME          the new start: \"2027-03-02 10:30\", \"tue 10:30\"\n"
	"  --first-available  the earliest free slot instead of a given time\n"
	"  --from TIME        with --first-available: search from TIME\n"
	"  --provider P       move to provider P\n"
	"  --resource R       use resource R (a room, a chair)\n"
	"  --reason TEXT      why, kept in the audit log\n"
	"  --force            override a policy refusal (needs --reason; managers\n"
	"                     only when roles.managers is set)\n"
	"  --no-send          queue the confirmation without delivering it now\n"
	"  --no-notice        tell the client nothing (recorded as not sent)\n"
	"  -q, --quiet        print only the appointment id\n";

struct options {
	struct cli_placement where;
	int quiet;
	int no_send;
	int help;
	struct booking_request req;
};

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option table[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "first-available", no_argument, NULL, 'A' },
		{ "from", required_argument, NULL, 'F' },
		{ "provider", required_argument, NULL, 'p' },
		{ "resource", required_argument, NULL, 'r' },
		{ "reason", required_argument, NULL, 'R' },
		{ "force", no_argument, NULL, 'f' },
		{ "no-send", no_argument, NULL, 'n' },
		{ "no-notice", no_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, ":qh", table, NULL)) != -1) {
		switch (c) {
		case 'a': o->where.at = optarg; break;
		case 'A': o->where.first_available = 1; break;
		case 'F': o->where.from = optarg; break;
		case 'p': o->req.provider = optarg; break;
		case 'r': o->req.resource = optarg; break;
		case 'R': o->where.reason = optarg; break;
		case 'f': o->where.force = 1; break;
		case 'n': o->no_send = 1; break;
		case 'N': o->req.no_notice = 1; break;
		case 'q': o->quiet = 1; break;
		case 'h': o->help = 1; return APPT_OK;
		default: return cli_bad_option(c, argv);
		}
	}
	return APPT_OK;
}

/* What the library needs from the placement options. */
static int check_options(struct options *o)
{
	o->req.first_available = o->where.first_available;
	o->req.force = o->where.force;
	o->req.reason = o->where.reason;
	if (o->no_send && o->req.no_notice)
		return cli_usage_error("give --no-send or --no-notice, not both");
	return cli_check_placement(&o->where);
}

static void print_moved(const struct appt_session *s,
			const struct booking_result *r)
{
	const struct cfg_provider *p = config_provider(s->cfg, r->provider);
	char start[40], end[40];

	when_format_local(r->start, start, sizeof(start));
	when_format_clock(r->end, end, sizeof(end));
	printf("moved #%lld to %s-%s with %s", r->id, start, end,
	       p ? p->name : r->provider);
	if (r->resource)
		printf(" (%s)", r->resource);
	putchar('\n');
}

static int apply(struct appt_session *s, long long id, void *opts,
		 struct booking_result *res, struct appt_err *err)
{
	struct options *o = opts;
	enum appt_status status = cli_parse_placement(s, &o->where, &o->req.at, &o->req.from, err);

	if (status)
		return status;
	return appointment_reschedule(s, id, &o->req, res, err);
}

static void print(const struct appt_session *s, const struct booking_result *res, void *opts)
{
	const struct options *o = opts;

	if (o->quiet)
		printf("%lld\n", res->id);
	else
		print_moved(s, res);
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct cli_change change = { apply, print, 0 };
	long long id;
	int status;

	cli_start("reschedule", usage);
	if ((status = parse_options(argc, argv, &o)) || o.help)
		return status ? status : cli_help();
	if ((status = cli_one_id(argc, argv, &id)) || (status = check_options(&o)))
		return status;
	change.no_send = o.no_send;
	return cli_exit(cli_change_appointment(id, &change, &o));
}
