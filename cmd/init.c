/* appt init: create the database, or migrate an older one; safe to repeat. */
#include <stdio.h>

#include "cli.h"
#include "client.h"
#include "command.h"
#include "migrate.h"

static const char usage[] =
	"usage: appt init [-q]\n"
	"\n"
	"Creates the database (mode 0600) named by APPT_DB, the configuration's\n"
	"database: key, or $XDG_DATA_HOME/appt/appt.db, and brings an older one\n"
	"up to the current schema, and keys every client's phone again with\n"
	"business.country_code (after a migration, or when the code changed).\n"
	"Running it again changes nothing.\n"
	"\n"
	"  -q, --quiet   print nothing on success\n";

/*
 * Phone keys depend on the configuration, so a database from before keys
 * or a changed business.country_code needs them set again.
 */
static int rekey_phones(struct appt_session *s, int quiet)
{
	struct appt_err err = { "" };
	struct strlist unkeyed = STRLIST_INIT;
	size_t changed = 0;
	enum appt_status status = client_rekey_phones(s->db, &changed, &unkeyed, &err);

	for (size_t i = 0; !status && i < unkeyed.nr; i++)
		cli_warning("%s; it matches no lookup until edited", unkeyed.items[i]);
	if (!status && changed && !quiet)
		printf("phone keys set for %zu client%s\n", changed, changed == 1 ? "" : "s");
	strlist_clear(&unkeyed);
	return cli_report(status, &err);
}

static int run(struct cmd_context *c)
{
	int quiet = cmd_given(c, "quiet"), status = rekey_phones(&c->s, quiet);

	if (!status && !quiet)
		printf("database '%s' ready (schema version %d)\n", c->s.db->path,
		       migrate_version(c->s.db));
	return status;
}

static const struct cmd_option options[] = {
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

const struct command cmd_init = {
	.name = "init", .summary = "create or migrate the database", .usage = usage,
	.options = options, .min_args = 0, .max_args = 0,
	.needs = CMD_NEEDS_INIT, .run = run,
};
