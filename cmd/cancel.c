/*
 * appt cancel: cancel an appointment and free its slot.  The library decides
 * whether the cancellation is late (policies.cancel.min_notice) and charges
 * the fee; this file reads the command line and says what happened.
 */
#include <stdio.h>
#include <string.h>

#include "booking.h"
#include "cli.h"
#include "when.h"

static const char usage[] =
	"usage: appt cancel ID [--reason TEXT] [--by client|business] [--force]\n"
	"                      [--no-send | --no-notice]\n"
	"\n"
	"Cancels appointment ID and frees its slot for another booking.  A client\n"
	"cancelling inside the policies.cancel.min_notice window is a late\n"
	"cancellation and is charged policies.cancel.late_fee, when set.  A client\n"
	"never told of the booking is not told of its cancellation either.\n"
	"\n"
	"  --reason TEXT           why, kept with the appointment and in the log\n"
	"  --by client|business    who cancelled (default: client)\n"
	"  --force                 override a policy refusal (needs --reason;\n"
	"                          managers only when roles.managers is set)\n"
	"  --no-send               queue the notice without delivering it now\n"
	"  --no-notice             tell the client nothing (recorded as not sent)\n";

struct options {
	const char *reason;
	const char *by;
	int force;
	int no_send;
	int no_notice;
	int help;
};

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option table[] = {
		{ "reason", required_argument, NULL, 'R' },
		{ "by", required_argument, NULL, 'b' },
		{ "force", no_argument, NULL, 'f' },
		{ "no-send", no_argument, NULL, 'n' },
		{ "no-notice", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, ":h", table, NULL)) != -1) {
		switch (c) {
		case 'R': o->reason = optarg; break;
		case 'b': o->by = optarg; break;
		case 'f': o->force = 1; break;
		case 'n': o->no_send = 1; break;
		case 'N': o->no_notice = 1; break;
		case 'h': o->help = 1; return APPT_OK;
		default: return cli_bad_option(c, argv);
		}
	}
	return APPT_OK;
}

static int check_options(const struct options *o)
{
	if (o->by && strcmp(o->by, "client") && strcmp(o->by, "business"))
		return cli_usage_error("--by takes client or business, not '%s'", o->by);
	if (o->force && !(o->reason && *o->reason))
		return cli_usage_error("--force needs --reason: every override is logged with why");
	if (o->no_send && o->no_notice)
		return cli_usage_error("give --no-send or --no-notice, not both");
	return APPT_OK;
}

/* The cancellation, and whether it was late and charged. */
static void print(const struct appt_session *s, const struct booking_result *r,
		  void *opts)
{
	char start[40], notice[40], fee[32];

	when_format_local(r->start, start, sizeof(start));
	printf("cancelled #%lld (%s)\n", r->id, start);
	if (r->withheld)
		printf("no cancellation notice sent (%s)\n",
		       ((const struct options *)opts)->no_notice ? "--no-notice"
		       : "the client was never told of the booking");
	if (!r->late)
		return;
	when_format_duration(s->cfg->policies.cancel.min_notice, notice, sizeof(notice));
	printf("late cancellation (inside %s)", notice);
	if (r->fee) {
		money_format(r->fee, fee, sizeof(fee));
		printf(": fee %s charged", fee);
	}
	putchar('\n');
}

static int apply(struct appt_session *s, long long id, void *opts,
		 struct booking_result *res, struct appt_err *err)
{
	const struct options *o = opts;

	return appointment_cancel(s, id, o->reason, o->by, o->force, o->no_notice, res, err);
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct cli_change change = { apply, print, 0 };
	long long id;
	int status;

	cli_start("cancel", usage);
	if ((status = parse_options(argc, argv, &o)) || o.help)
		return status ? status : cli_help();
	if ((status = cli_one_id(argc, argv, &id)) || (status = check_options(&o)))
		return status;
	change.no_send = o.no_send;
	return cli_exit(cli_change_appointment(id, &change, &o));
}
