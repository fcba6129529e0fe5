/* appt db: the database as a whole — copied from one store to another. */
#include <stdio.h>

#include "cli.h"
#include "command.h"
#include "dbcopy.h"
#include "session.h"

static const char usage[] =
	"usage: appt db copy --to TARGET [-q]\n"
	"\n"
	"Copies the whole appointment book (clients, notes, appointments, time\n"
	"off, charges, the audit log, messages and contacts) into TARGET, an\n"
	"SQLite file or a PostgreSQL URI (postgresql://...), in one transaction,\n"
	"keeping every id.  TARGET is created and set up as appt init would, and\n"
	"must hold no appointment book yet.  Each table is counted and digested\n"
	"on both sides afterwards; if any differs, nothing is kept.\n"
	"\n"
	"  --to TARGET    the file or URI to copy into\n"
	"  -q, --quiet    print nothing\n";

static int check_copy(struct cmd_context *c)
{
	if (!cmd_value(c, "to"))
		return cli_usage_error("--to TARGET is required");
	return APPT_OK;
}

static void print_table(const struct dbcopy_table *t, void *data)
{
	if (!*(int *)data)
		printf("%-14s %8lld rows  digest %016llx\n", t->name, t->rows, t->digest);
}

static int run_copy(struct cmd_context *c)
{
	struct appt_err err = { "" };
	struct appt_db *to = NULL;
	int quiet = cmd_given(c, "quiet") > 0;
	enum appt_status status = session_open_target(cmd_value(c, "to"), &to, &err);

	if (!status)
		status = dbcopy_run(c->s.db, to, print_table, &quiet, &err);
	if (!status && !quiet)
		printf("copied '%s' to '%s'\n", c->s.db->path, to->path);
	db_close(to);
	return cli_report(status, &err);
}

static const struct cmd_option copy_options[] = {
	{ "to", 0, CMD_VALUE, "@files" },
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct command db_subcommands[] = {
	{ .name = "copy", .summary = "copy the appointment book to another store",
	  .usage = usage, .options = copy_options, .min_args = 0, .max_args = 0,
	  .needs = CMD_NEEDS_DB, .check = check_copy, .run = run_copy },
};

const struct command cmd_db = {
	.name = "db", .summary = "copy the database to another store", .usage = usage,
	.subcommands = db_subcommands,
	.nr_subcommands = sizeof(db_subcommands) / sizeof(db_subcommands[0]),
};
