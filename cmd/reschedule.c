/*
 * appt reschedule: move an appointment, keeping its id.  The library owns the
 * policy (notice window, max_times, hours, conflicts) and the reset of the
 * confirmation; this file reads the command line and prints what was done.
 */
#include <stdio.h>
#include <string.h>

#include "booking.h"
#include "cli.h"
#include "command.h"
#include "series.h"
#include "when.h"

static const char usage[] =
	"usage: appt reschedule ID (--at TIME | --first-available [--from TIME])\n"
	"                          [--provider P] [--resource R] [--reason TEXT]\n"
	"                          [--force] [--no-send | --no-notice] [-q]\n"
	"   or: appt reschedule ID --series --at TIME [options as above]\n"
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
	"  --series           move this and every later occurrence of its series by\n"
	"                     the same shift (all or nothing; needs --at)\n"
	"  -q, --quiet        print only the appointment id\n";

struct reschedule_args {
	long long id;
	struct cli_placement where;
	int quiet;
	int no_send;
	int series;
	struct booking_request req;
};

/*
 * The command line as the library takes it, checked before anything is
 * opened: the ID (65), then the combinations the table cannot say (64).
 */
static int read_args(const struct cmd_context *c, struct reschedule_args *a)
{
	int status;

	memset(a, 0, sizeof(*a));
	a->where.at = cmd_value(c, "at");
	a->where.first_available = cmd_given(c, "first-available");
	a->where.from = cmd_value(c, "from");
	a->req.provider = cmd_value(c, "provider");
	a->req.resource = cmd_value(c, "resource");
	a->where.reason = cmd_value(c, "reason");
	a->where.force = cmd_given(c, "force");
	a->no_send = cmd_given(c, "no-send");
	a->req.no_notice = cmd_given(c, "no-notice");
	a->quiet = cmd_given(c, "quiet");
	a->series = cmd_given(c, "series");
	if ((status = cli_parse_id(c->argv[0], "appointment", &a->id)))
		return status;
	a->req.first_available = a->where.first_available;
	a->req.force = a->where.force;
	a->req.reason = a->where.reason;
	if (a->no_send && a->req.no_notice)
		return cli_usage_error("give --no-send or --no-notice, not both");
	if (a->series && a->where.first_available)
		return cli_usage_error("--series moves by the shift --at gives; give --at");
	return cli_check_placement(&a->where);
}

static int check(struct cmd_context *c)
{
	struct reschedule_args a;

	return read_args(c, &a);
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

/* The new time (--at, --from need the session's clock), then the move. */
static enum appt_status move(struct appt_session *s, struct reschedule_args *a,
			     struct booking_result *res, struct appt_err *err)
{
	enum appt_status status = cli_parse_placement(s, &a->where, &a->req.at,
						      &a->req.from, err);

	return status ? status : appointment_reschedule(s, a->id, &a->req, res, err);
}

/* --series: every occurrence moved by the same shift, a line each, then the notices. */
static int run_series(struct cmd_context *c, struct reschedule_args *a)
{
	struct series_result r = { 0 };
	struct appt_err err = { "" };
	enum appt_status status = cli_parse_placement(&c->s, &a->where, &a->req.at,
						      &a->req.from, &err);

	if (!status)
		status = series_reschedule(&c->s, a->id, &a->req, &r, &err);
	status = cli_report(status, &err);
	for (size_t i = 0; !status && i < r.nr; i++) {
		if (a->quiet)
			printf("%lld\n", r.items[i].res.id);
		else
			print_moved(&c->s, &r.items[i].res);
	}
	for (size_t i = 0; !status && i < r.nr; i++)
		cli_send_notice(&c->s, r.items[i].res.message_id, a->no_send);
	series_result_release(&r);
	return status;
}

static int run(struct cmd_context *c)
{
	struct reschedule_args a;
	struct booking_result res = { 0 };
	struct appt_err err = { "" };
	int status = read_args(c, &a);

	if (!status && a.series)
		return run_series(c, &a);
	if (!status)
		status = cli_report(move(&c->s, &a, &res, &err), &err);
	if (!status && a.quiet)
		printf("%lld\n", res.id);
	else if (!status)
		print_moved(&c->s, &res);
	if (!status)
		cli_send_notice(&c->s, res.message_id, a.no_send);
	booking_result_release(&res);
	return status;
}

static const struct cmd_option options[] = {
	{ "at", 0, CMD_VALUE, NULL },
	{ "first-available", 0, CMD_FLAG, NULL },
	{ "from", 0, CMD_VALUE, NULL },
	{ "provider", 0, CMD_VALUE, "@providers" },
	{ "resource", 0, CMD_VALUE, "@resources" },
	{ "reason", 0, CMD_VALUE, NULL },
	{ "force", 0, CMD_FLAG, NULL },
	{ "no-send", 0, CMD_FLAG, NULL },
	{ "no-notice", 0, CMD_FLAG, NULL },
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ "series", 0, CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

const struct command cmd_reschedule = {
	.name = "reschedule", .summary = "move an appointment, keeping its id", .usage = usage,
	.options = options, .min_args = 1, .max_args = 1,
	.needs = CMD_NEEDS_DB, .check = check, .run = run,
};
