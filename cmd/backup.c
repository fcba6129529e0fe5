/* appt backup: a consistent copy of the database, taken while others work. */
#include <stdio.h>

#include "backup.h"
#include "cli.h"

static const char usage[] =
	"usage: appt backup FILE [--force]\n"
	"\n"
	"Copies the database to FILE (mode 0600) while other commands go on, and\n"
	"checks the copy with SQLite's integrity check before reporting success.\n"
	"\n"
	"  -f, --force   replace FILE when it exists\n";

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct backup_result res;
	struct appt_err err = { "" };
	struct appt_session s;
	int force = 0, c, status;

	cli_start("backup", usage);
	while ((c = getopt_long(argc, argv, ":fh", options, NULL)) != -1) {
		switch (c) {
		case 'f': force = 1; break;
		case 'h': return cli_help();
		default: return cli_bad_option(c, argv);
		}
	}
	if ((status = cli_check_args(argc, argv, 1, 1)))
		return status;
	/* A copy of an older database is what to keep before appt init migrates it. */
	status = cli_open_session(&s, SESSION_CONFIG | SESSION_DB | SESSION_OLD_DB);
	if (!status)
		status = cli_report(backup_write(s.db, argv[optind], force, &res, &err), &err);
	if (!status)
		printf("backup of %s written to %s (%d pages, integrity ok)\n", s.db_path,
		       argv[optind], res.pages);
	session_close(&s);
	return cli_exit(status);
}
