/* appt init: create the database, or migrate an older one; safe to repeat. */
#include <stdio.h>

#include "cli.h"
#include "client.h"

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
	enum appt_status status = db_begin_write(s->db, &err);

	if (!status)
		status = db_finish_write(s->db, client_rekey_phones(s->db, &changed, &unkeyed, &err),
					 &err);
	for (size_t i = 0; !status && i < unkeyed.nr; i++)
		cli_warning("%s; it matches no lookup until edited", unkeyed.items[i]);
	if (!status && changed && !quiet)
		printf("phone keys set for %zu client%s\n", changed, changed == 1 ? "" : "s");
	strlist_clear(&unkeyed);
	return cli_report(status, &err);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct appt_session s;
	int quiet = 0, c, status;

	cli_start("init", usage);
	while ((c = getopt_long(argc, argv, ":qh", options, NULL)) != -1) {
		switch (c) {
		case 'q': quiet = 1; break;
		case 'h': return cli_help();
		default: return cli_bad_option(c, argv);
		}
	}
	if ((status = cli_check_args(argc, argv, 0, 0)))
		return status;
	status = cli_open_session(&s, SESSION_CONFIG | SESSION_CREATE_DB);
	if (!status)
		status = rekey_phones(&s, quiet);
	if (!status && !quiet)
		printf("database '%s' ready (schema version %d)\n", s.db_path,
		       db_file_version(s.db));
	session_close(&s);
	return cli_exit(status);
}
