/*
 * appt undo: take back an appointment's last status change, made by
 * mistake, with what it caused.  The library finds the change, checks the
 * calendar and writes the undo; this file reads the command line and says
 * what was put right and what the desk still has to tell the client.
 */
#include <stdio.h>

#include "cli.h"
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

struct options {
	const char *reason;
	int quiet;
	int help;
};

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option table[] = {
		{ "reason", required_argument, NULL, 'R' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, ":qh", table, NULL)) != -1) {
		switch (c) {
		case 'R': o->reason = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'h': o->help = 1; return APPT_OK;
		default: return cli_bad_option(c, argv);
		}
	}
	return APPT_OK;
}

static void print(const struct undo_result *r)
{
	printf("undid the %s of #%lld: %s again\n", r->action, r->id, state_name(r->to));
	for (size_t i = 0; i < r->done.nr; i++)
		printf("%s\n", r->done.items[i]);
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct undo_result res = { 0 };
	struct appt_err err = { "" };
	struct appt_session s;
	long long id;
	int status;

	cli_start("undo", usage);
	if ((status = parse_options(argc, argv, &o)) || o.help)
		return status ? status : cli_help();
	if ((status = cli_one_id(argc, argv, &id)))
		return status;
	status = cli_open_session(&s, SESSION_CONFIG | SESSION_DB);
	if (!status)
		status = cli_report(appointment_undo(&s, id, o.reason, &res, &err), &err);
	if (!status && !o.quiet)
		print(&res);
	for (size_t i = 0; !status && i < res.warnings.nr; i++)
		cli_warning("%s", res.warnings.items[i]);
	undo_result_release(&res);
	session_close(&s);
	return cli_exit(status);
}
