#include "state_command.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "via.h"

/* What each status command reports, keyed by the state it moves to. */
static const struct {
	enum appt_state to;
	const char *done;
} state_verbs[] = {
	{ STATE_CONFIRMED, "confirmed" },
	{ STATE_WAITING, "checked in" },
	{ STATE_IN_PROGRESS, "started" },
	{ STATE_DONE, "done" },
};

static const char *state_verb(enum appt_state to)
{
	for (size_t i = 0; i < sizeof(state_verbs) / sizeof(state_verbs[0]); i++)
		if (state_verbs[i].to == to)
			return state_verbs[i].done;
	return state_name(to);
}

/*
 * Each command takes only its own options, so that --via on checkin or
 * --force on confirm is an unknown option, not a silently ignored one.
 */
const struct cmd_option state_confirm_options[] = {
	{ "via", 0, CMD_VALUE, VIA_WORDS_CONFIRM },
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};
const struct cmd_option state_arrival_options[] = {
	{ "force", 0, CMD_FLAG, NULL },
	{ "reason", 0, CMD_VALUE, NULL },
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

static int has_option(const struct cmd_context *c, const char *name)
{
	for (const struct cmd_option *o = c->cmd->options; o && o->name; o++)
		if (!strcmp(o->name, name))
			return 1;
	return 0;
}

/* The appointment, and confirm's --via as its canonical word. */
static int read_args(const struct cmd_context *c, long long *id, const char **via)
{
	const char *reason = has_option(c, "reason") ? cmd_value(c, "reason") : NULL;
	int status;

	*via = has_option(c, "via") ? cmd_value(c, "via") : NULL;
	if ((status = cli_check_force(has_option(c, "force") && cmd_given(c, "force"), reason)))
		return status;
	if ((status = cli_parse_via(via, VIA_FOR_CONFIRM)))
		return status;
	return cli_parse_id(c->argv[0], "appointment", id);
}

int state_command_check(struct cmd_context *c)
{
	const char *via;
	long long id;

	return read_args(c, &id, &via);
}

int state_command_run(struct cmd_context *c, enum appt_state to)
{
	struct appt_err err = { "" };
	int force = has_option(c, "force") && cmd_given(c, "force");
	const char *via;
	long long id, message = 0;
	int status = read_args(c, &id, &via);

	if (!status)
		status = cli_report(appointment_set_state(&c->s, id, to, via, force,
							  force ? cmd_value(c, "reason") : NULL,
							  &message, &err), &err);
	if (!status && !cmd_given(c, "quiet"))
		printf("%s #%lld\n", state_verb(to), id);
	/* a hold confirmed: its booking confirmation goes now */
	if (!status)
		cli_send_notice(&c->s, message, 0);
	return status;
}
