/*
 * appt noshow: mark a no-show once the start and the grace period are past.
 * The library applies policies.noshow (fee, warning, block); this file reads
 * the command line and reports each consequence on its own line.
 */
#include <stdio.h>

#include "booking.h"
#include "cli.h"
#include "client.h"
#include "command.h"
#include "money.h"
#include "when.h"

static const char usage[] =
	"usage: appt noshow ID [--note TEXT] [--force --reason TEXT] [--no-send]\n"
	"\n"
	"Marks appointment ID a no-show.  Allowed once its start plus\n"
	"policies.noshow.grace has passed; charges policies.noshow.fee, warns at\n"
	"warn_after no-shows and blocks the client at block_after no-shows within\n"
	"the policy window.\n"
	"\n"
	"  --note TEXT     a note kept with the appointment\n"
	"  --force         override a policy refusal (needs --reason; managers\n"
	"                  only when roles.managers is set)\n"
	"  --reason TEXT   why the override, kept in the audit log\n"
	"  --no-send       queue the message asking to rebook without delivering it now\n";

struct noshow_args {
	long long id;
	const char *note;
	const char *reason;
	int force;
	int no_send;
};

/*
 * The command line as appointment_noshow takes it, checked before anything
 * is opened: the ID (65), then --force without --reason (64).
 */
static int read_args(const struct cmd_context *c, struct noshow_args *a)
{
	int status;

	a->note = cmd_value(c, "note");
	a->reason = cmd_value(c, "reason");
	a->force = cmd_given(c, "force");
	a->no_send = cmd_given(c, "no-send");
	if ((status = cli_parse_id(c->argv[0], "appointment", &a->id)))
		return status;
	return cli_check_force(a->force, a->reason);
}

static int check(struct cmd_context *c)
{
	struct noshow_args a;

	return read_args(c, &a);
}

static void print_blocked(const struct appt_session *s, const struct booking_result *r)
{
	char window[40];

	when_format_duration(s->cfg->policies.noshow.window, window, sizeof(window));
	printf("client #%lld blocked: %d no-shows in %s\n", r->client_id, r->noshows, window);
}

/* Each consequence of the no-show on its own line: fee, warning, block. */
static void print_noshow(const struct appt_session *s, const struct booking_result *r)
{
	char fee[32];

	printf("marked #%lld no-show\n", r->id);
	if (r->fee) {
		money_format(r->fee, fee, sizeof(fee));
		printf("fee %s charged\n", fee);
	}
	for (size_t i = 0; i < r->warnings.nr; i++)
		cli_warning("%s", r->warnings.items[i]);
	if (r->client_blocked)
		print_blocked(s, r);
}

static int run(struct cmd_context *c)
{
	struct noshow_args a;
	struct booking_result res = { 0 };
	struct appt_err err = { "" };
	int status = read_args(c, &a);

	if (!status)
		status = cli_report(appointment_noshow(&c->s, a.id, a.note, a.force, a.reason,
						       &res, &err), &err);
	if (!status) {
		print_noshow(&c->s, &res);
		cli_send_notice(&c->s, res.message_id, a.no_send);
	}
	booking_result_release(&res);
	return status;
}

static const struct cmd_option options[] = {
	{ "note", 0, CMD_VALUE, NULL },
	{ "force", 0, CMD_FLAG, NULL },
	{ "reason", 0, CMD_VALUE, NULL },
	{ "no-send", 0, CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

const struct command cmd_noshow = {
	.name = "noshow", .summary = "mark a no-show and apply the policy", .usage = usage,
	.options = options, .min_args = 1, .max_args = 1,
	.needs = CMD_NEEDS_DB, .check = check, .run = run,
};
