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

struct state_args {
	long long id;
	const char *via;
	int force;
	const char *reason;
	int quiet;
};

/*
 * Each command takes only its own options, so that --via on checkin or
 * --force on confirm is an unknown option, not a silently ignored one.
 */
static const struct option confirm_options[] = {
	{ "via", required_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};
static const struct option arrival_options[] = {
	{ "force", no_argument, NULL, 'f' },
	{ "reason", required_argument, NULL, 'R' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Returns -1 to go on, else the status to exit with. */
static int parse_args(int argc, char **argv, enum appt_state to,
		      struct state_args *args)
{
	const struct option *options = to == STATE_CONFIRMED ? confirm_options : arrival_options;
	int c, status;

	while ((c = getopt_long(argc, argv, ":qh", options, NULL)) != -1) {
		switch (c) {
		case 'v': args->via = optarg; break;
		case 'f': args->force = 1; break;
		case 'R': args->reason = optarg; break;
		case 'q': args->quiet = 1; break;
		case 'h': return cli_help();
		default: return cli_bad_option(c, argv);
		}
	}
	if ((status = cli_check_args(argc, argv, 1, 1)))
		return status;
	if (args->force && !(args->reason && *args->reason))
		return cli_usage_error("--force needs --reason: every override is logged with why");
	if ((status = cli_parse_via(&args->via, VIA_FOR_CONFIRM)))
		return status;
	if ((status = cli_parse_id(argv[optind], "appointment", &args->id)))
		return status;
	return -1;
}

int state_command_main(int argc, char **argv, const char *name,
		       enum appt_state to, const char *usage)
{
	struct state_args args = { 0 };
	struct appt_session s;
	struct appt_err err = { "" };
	int status;

	cli_start(name, usage);
	if ((status = parse_args(argc, argv, to, &args)) >= 0)
		return status;
	status = cli_open_session(&s, SESSION_CONFIG | SESSION_DB);
	if (!status)
		status = cli_report(appointment_set_state(&s, args.id, to, args.via, args.force,
							  args.reason, &err), &err);
	if (!status && !args.quiet)
		printf("%s #%lld\n", state_verb(to), args.id);
	session_close(&s);
	return cli_exit(status);
}
