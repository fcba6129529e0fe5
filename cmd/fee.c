/* appt fee waive: forgive a late-cancellation or no-show fee. */
#include <stdio.h>

#include "account.h"
#include "cli.h"
#include "command.h"
#include "money.h"

static const char usage[] =
	"usage: appt fee waive CHARGE --reason T [-q]\n"
	"\n"
	"Waives what is unpaid of a late-cancellation or no-show fee: the client no\n"
	"longer owes it.  CHARGE is the first column of appt report fees.  When\n"
	"roles.managers is set, only a manager may waive.\n"
	"\n"
	"  --reason T     why, for the audit log (required)\n"
	"  -q, --quiet    print nothing\n";

static int check_waive(struct cmd_context *c)
{
	const char *reason = cmd_value(c, "reason");
	long long id;

	if (!reason || !*reason)
		return cli_usage_error("--reason is required: a waiver is logged with why");
	return cli_parse_id(c->argv[0], "charge", &id);
}

static int run_waive(struct cmd_context *c)
{
	struct appt_err err = { "" };
	struct account acc;
	long long id = 0, client_id = 0, waived = 0;
	char m[32];
	int status = cli_parse_id(c->argv[0], "charge", &id);

	if (!status)
		status = cli_report(fee_waive(&c->s, id, cmd_value(c, "reason"), &client_id,
					      &waived, &err), &err);
	if (status || cmd_given(c, "quiet"))
		return status;
	money_format(waived, m, sizeof(m));
	printf("waived %s of charge #%lld\n", m, id);
	if (!account_read(c->s.db, client_id, &acc, &err)) {
		money_format(acc.balance, m, sizeof(m));
		printf("balance: %s\n", m);
	}
	if (account_may_unblock(c->s.db, client_id))
		printf("the client is blocked and owes no fee now: appt client unblock %lld"
		       " lifts the block\n", client_id);
	return APPT_OK;
}

static const struct cmd_option waive_options[] = {
	{ "reason", 0, CMD_VALUE, NULL },
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct command fee_subcommands[] = {
	{ .name = "waive", .summary = "waive a late-cancellation or no-show fee", .usage = usage,
	  .options = waive_options, .min_args = 1, .max_args = 1,
	  .needs = CMD_NEEDS_DB, .check = check_waive, .run = run_waive },
};

const struct command cmd_fee = {
	.name = "fee", .summary = "fees: waive one", .usage = usage,
	.subcommands = fee_subcommands,
	.nr_subcommands = sizeof(fee_subcommands) / sizeof(fee_subcommands[0]),
};
