/*
 * appt cancel: cancel an appointment and free its slot.  The library decides
 * whether the cancellation is late (policies.cancel.min_notice) and charges
 * the fee; this file reads the command line and says what happened.
 */
#include <stdio.h>
#include <string.h>

#include "booking.h"
#include "cli.h"
#include "command.h"
#include "money.h"
#include "series.h"
#include "when.h"

static const char usage[] =
	"usage: appt cancel ID [--series] [--reason TEXT] [--by client|business] [--force]\n"
	"                      [--no-send | --no-notice]\n"
	"\n"
	"Cancels appointment ID and frees its slot for another booking.  A client\n"
	"cancelling inside the policies.cancel.min_notice window is a late\n"
	"cancellation and is charged policies.cancel.late_fee, when set.  A client\n"
	"never told of the booking is not told of its cancellation either.\n"
	"\n"
	"  --series                this and every later occurrence of its series\n"
	"  --reason TEXT           why, kept with the appointment and in the log\n"
	"  --by client|business    who cancelled (default: client)\n"
	"  --force                 override a policy refusal (needs --reason;\n"
	"                          managers only when roles.managers is set)\n"
	"  --no-send               queue the notice without delivering it now\n"
	"  --no-notice             tell the client nothing (recorded as not sent)\n";

struct cancel_args {
	long long id;
	const char *reason;
	const char *by;
	int force;
	int no_send;
	int no_notice;
	int series;
};

/*
 * The command line as appointment_cancel takes it, checked before anything
 * is opened: the ID (65), then --by, --force without --reason, and
 * --no-send with --no-notice (64).
 */
static int read_args(const struct cmd_context *c, struct cancel_args *a)
{
	int status;

	a->reason = cmd_value(c, "reason");
	a->by = cmd_value(c, "by");
	a->force = cmd_given(c, "force");
	a->no_send = cmd_given(c, "no-send");
	a->no_notice = cmd_given(c, "no-notice");
	a->series = cmd_given(c, "series");
	if ((status = cli_parse_id(c->argv[0], "appointment", &a->id)))
		return status;
	if (a->by && strcmp(a->by, "client") && strcmp(a->by, "business"))
		return cli_usage_error("--by takes client or business, not '%s'", a->by);
	if ((status = cli_check_force(a->force, a->reason)))
		return status;
	if (a->no_send && a->no_notice)
		return cli_usage_error("give --no-send or --no-notice, not both");
	return APPT_OK;
}

static int check(struct cmd_context *c)
{
	struct cancel_args a;

	return read_args(c, &a);
}

/* The cancellation, and whether it was late and charged. */
static void print_cancelled(const struct appt_session *s, const struct booking_result *r,
			    const struct cancel_args *a)
{
	char start[40], notice[40], fee[32];

	when_format_local(r->start, start, sizeof(start));
	printf("cancelled #%lld (%s)\n", r->id, start);
	if (r->withheld)
		printf("no cancellation notice sent (%s)\n",
		       a->no_notice ? "--no-notice" : "the client was never told of the booking");
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

/* --series: each occurrence cancelled, as one cancellation says it, then its notice. */
static int run_series(struct cmd_context *c, const struct cancel_args *a)
{
	struct series_result r = { 0 };
	struct appt_err err = { "" };
	int status = cli_report(series_cancel(&c->s, a->id, a->reason, a->by, a->force,
					      a->no_notice, &r, &err), &err);

	for (size_t i = 0; !status && i < r.nr; i++)
		print_cancelled(&c->s, &r.items[i].res, a);
	for (size_t i = 0; !status && i < r.nr; i++)
		cli_send_notice(&c->s, r.items[i].res.message_id, a->no_send);
	series_result_release(&r);
	return status;
}

static int run(struct cmd_context *c)
{
	struct cancel_args a;
	struct booking_result res = { 0 };
	struct appt_err err = { "" };
	int status = read_args(c, &a);

	if (!status && a.series)
		return run_series(c, &a);
	if (!status)
		status = cli_report(appointment_cancel(&c->s, a.id, a.reason, a.by, a.force,
						       a.no_notice, &res, &err), &err);
	if (!status) {
		print_cancelled(&c->s, &res, &a);
		cli_send_notice(&c->s, res.message_id, a.no_send);
	}
	booking_result_release(&res);
	return status;
}

/* appointment_cancel takes these (booking.h). */
#define BY_WORDS "client business"

static const struct cmd_option options[] = {
	{ "reason", 0, CMD_VALUE, NULL },
	{ "by", 0, CMD_VALUE, BY_WORDS },
	{ "force", 0, CMD_FLAG, NULL },
	{ "no-send", 0, CMD_FLAG, NULL },
	{ "no-notice", 0, CMD_FLAG, NULL },
	{ "series", 0, CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

const struct command cmd_cancel = {
	.name = "cancel", .summary = "cancel an appointment and free its slot", .usage = usage,
	.options = options, .min_args = 1, .max_args = 1,
	.needs = CMD_NEEDS_DB, .check = check, .run = run,
};
