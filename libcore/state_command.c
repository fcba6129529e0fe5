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
	int quiet;
};

/*
 * --via leads the table so that the commands other than confirm can use the
 * rest of it: for them --via is an unknown option, not a silently ignored one.
 */
static const struct option state_options[] = {
	{ "via", required_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Returns -1 to go on, else the status to exit with. */
static int parse_args(int argc, char **argv, enum appt_state to,
		      struct state_args *args)
{
	int with_via = to == STATE_CONFIRMED;
	const struct option *options = with_via ? state_options : state_options + 1;
	int c, status;

	while ((c = getopt_long(argc, argv, ":qh", options, NULL)) != -1) {
		switch (c) {
		case 'v': args->via = optarg; break;
		case 'q': args->quiet = 1; break;
		case 'h': return cli_help();
		default: return cli_bad_option(c, argv);
		}
	}
	if ((status = cli_check_args(argc, argv, 1, 1)))
		return status;
	if ((status = cli_parse_via(&args->via, VIA_FOR_CONFIRM)))
		return status;
	if ((status = cli_parse_id(argv[optind], "appointment", &args->id)))
		return status;
	return -1;
}

int state_command_main(int argc, char **argv, const char *name,
		       enum appt_state to, const char *usage)
{
	struct state_args args = { 0, NULL, 0 };
	struct appt_session s;
	struct appt_err err = { "" };
	int status;

	cli_start(name, usage);
	if ((status = parse_args(argc, argv, to, &args)) >= 0)
		return status;
	status = cli_open_session(&s, SESSION_CONFIG | SESSION_DB);
	if (!status)
		status = cli_report(appointment_set_state(&s, args.id, to, args.via, &err),
				    &err);
	if (!status && !args.quiet)
		printf("%s #%lld\n", state_verb(to), args.id);
	session_close(&s);
	return cli_exit(status);
}
