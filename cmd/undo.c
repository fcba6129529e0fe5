/*
 * appt undo: take back an appointment's last status change, made by
 * mistake, with what it caused.  The library finds the change, checks the
 * calendar and writes the undo; this file reads the command line and says
 * what was put right and what the desk still has to tell the client.
 */
#include <stdio.h>

#include "cli.h"
#include "command.h"
#include "undo.h"

static const char usage[] =
	"usage: appt undo ID [--reason TEXT] [-q]\n"
	"\n"
	"Takes back the last status change of appointment ID (confirm, checkin,\n"
	"start, done, noshow or cancel) and what it caused: its fee is voided, a\n"
	"block it imposed lifted, the messages it queued and not yet sent voided,\n"
	"and what it voided brought back.  Run it again to walk back one more\n"
	"change.  The change and the undo both stay in the audit log.\n"
	"\n"
	"  --reason TEXT   why, kept in the audit log\n"
	"  -q, --quiet     print nothing on success (warnings still go to stderr)\n";

/* The appointment whose last change is taken back; 65 for a bad ID. */
static int read_id(const struct cmd_context *c, long long *id)
{
	return cli_parse_id(c->argv[0], "appointment", id);
}

static int check(struct cmd_context *c)
{
	long long id;

	return read_id(c, &id);
}

static void print(const struct undo_result *r)
{
	printf("undid the %s of #%lld: %s again\n", r->action, r->id, state_name(r->to));
	for (size_t i = 0; i < r->done.nr; i++)
		printf("%s\n", r->done.items[i]);
}

static int run(struct cmd_context *c)
{
	struct undo_result res = { 0 };
	struct appt_err err = { "" };
	long long id;
	int status = read_id(c, &id);

	if (!status)
		status = cli_report(appointment_undo(&c->s, id, cmd_value(c, "reason"), &res, &err),
				    &err);
	if (!status && !cmd_given(c, "quiet"))
		print(&res);
	for (size_t i = 0; !status && i < res.warnings.nr; i++)
		cli_warning("%s", res.warnings.items[i]);
	undo_result_release(&res);
	return status;
}

static const struct cmd_option options[] = {
	{ "reason", 0, CMD_VALUE, NULL },
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

const struct command cmd_undo = {
	.name = "undo", .summary = "take back a status change made by mistake",
	.usage = usage, .options = options, .min_args = 1, .max_args = 1,
	.needs = CMD_NEEDS_DB, .check = check, .run = run,
};
