/* appt backup: a consistent copy of the database, taken while others work. */
#include <stdio.h>

#include "backup.h"
#include "cli.h"
#include "command.h"

static const char usage[] =
	"usage: appt backup FILE [--force]\n"
	"\n"
	"Copies the database to FILE (mode 0600) while other commands go on, and\n"
	"checks the copy with SQLite's integrity check before reporting success.\n"
	"\n"
	"  -f, --force   replace FILE when it exists\n";

static int run(struct cmd_context *c)
{
	const char *file = c->argv[0];
	struct backup_result res;
	struct appt_err err = { "" };
	int status = cli_report(backup_write(c->s.db, file, cmd_given(c, "force"), &res, &err),
				&err);

	if (!status)
		printf("backup of %s written to %s (%d pages, integrity ok)\n", c->s.db->path,
		       file, res.pages);
	return status;
}

static const struct cmd_option options[] = {
	{ "force", 'f', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

static const char *const complete_args[] = { "@files", NULL };

/* A copy of an older database is what to keep before appt init migrates it. */
const struct command cmd_backup = {
	.name = "backup", .summary = "make a consistent copy of the database",
	.usage = usage, .options = options, .min_args = 1, .max_args = 1,
	.complete_args = complete_args,
	.needs = CMD_NEEDS_DB | CMD_NEEDS_OLD_DB, .run = run,
};
