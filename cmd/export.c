/*
 * appt export: whole tables as CSV or JSON, appointments as a calendar,
 * the billing as a journal.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "command.h"
#include "export.h"

static const char usage[] =
	"usage: appt export appointments|clients|events|messages|charges|contacts\n"
	"                   |invoices|payments\n"
	"                   [--from D] [--to D] [--format csv|json|ics|ledger]\n"
	"                   [--provider P] [--raw] [--redact] [--all-columns]\n"
	"\n"
	"Writes every record of one kind to standard output, oldest first.\n"
	"\n"
	"  --from D        from day D on (appointments: by start; others: when made)\n"
	"  --to D          up to day D, included\n"
	"  --format F      csv (the default), json, ics (appointments only), or\n"
	"                  ledger (invoices, payments: the whole billing journal\n"
	"                  of the period, for hledger and ledger)\n"
	"  --provider P    appointments of provider P only\n"
	"  --raw           CSV: keep cells a spreadsheet would run as formulas\n"
	"  --redact        mask phone numbers and e-mail addresses\n"
	"  --all-columns   appointments, clients: add the audit columns (id, ...)\n";

struct export_args {
	const char *from;
	const char *to;
	struct export_request req;
};

/* Pipes and files take the rows in large writes, not per line. */
static char stdout_buffer[1 << 17];

static int parse_format(const char *arg, enum export_format *format)
{
	if (export_parse_format(arg, format))
		return cli_error(APPT_DATAERR,
				 "invalid value '%s' for --format (expected csv, json, ics or ledger)", arg);
	return APPT_OK;
}

static int parse_dataset(const char *arg, enum export_dataset *dataset)
{
	if (export_parse_dataset(arg, dataset))
		return cli_usage_error("unknown export '%s' (expected one of: %s)", arg,
				       export_dataset_names());
	return APPT_OK;
}

/* The options that are flags of the request. */
static const struct {
	const char *option;
	unsigned flag;
} flag_options[] = {
	{ "raw", EXPORT_RAW },
	{ "redact", EXPORT_REDACT },
	{ "all-columns", EXPORT_ALL_COLUMNS },
};

/*
 * The command line as export_write takes it, the days aside (they need the
 * session's clock): a bad --format is 65, the rest usage errors (64).
 * Every --format given is checked, the last one used.
 */
static int read_args(const struct cmd_context *c, struct export_args *a)
{
	const struct strlist *formats = cmd_values(c, "format");
	struct appt_err err = { "" };
	int status = APPT_OK;

	memset(a, 0, sizeof(*a));
	a->req.format = EXPORT_CSV;
	a->from = cmd_value(c, "from");
	a->to = cmd_value(c, "to");
	a->req.provider = cmd_value(c, "provider");
	for (size_t i = 0; i < sizeof(flag_options) / sizeof(flag_options[0]); i++)
		if (cmd_given(c, flag_options[i].option))
			a->req.flags |= flag_options[i].flag;
	for (size_t i = 0; !status && i < formats->nr; i++)
		status = parse_format(formats->items[i], &a->req.format);
	if (!status)
		status = parse_dataset(c->argv[0], &a->req.dataset);
	if (!status && export_check(&a->req, &err))
		status = cli_usage_error("%s", err.msg);
	return status;
}

static int check(struct cmd_context *c)
{
	struct export_args a;

	return read_args(c, &a);
}

static int parse_day(const struct appt_session *s, const char *arg,
		     struct appt_date *out)
{
	struct appt_err err = { "" };

	return cli_report(when_parse_date(arg, s->now, out, &err), &err);
}

/* --from and --to are days, both included: [start of from, end of to). */
static int date_range(const struct appt_session *s, struct export_args *args)
{
	struct appt_date first = { 0, 0, 0 }, last;
	int status;

	if (args->from) {
		if ((status = parse_day(s, args->from, &first)))
			return status;
		args->req.from = when_day_start(first);
	}
	if (!args->to)
		return APPT_OK;
	if ((status = parse_day(s, args->to, &last)))
		return status;
	if (args->from && date_cmp(last, first) < 0)
		return cli_error(APPT_DATAERR, "--to %s is before --from %s", args->to,
				 args->from);
	args->req.to = when_day_start(date_add_days(last, 1));
	return APPT_OK;
}

static int run_export(struct appt_session *s, struct export_args *args)
{
	struct appt_err err = { "" };
	int status;

	if ((status = date_range(s, args)))
		return status;
	if (args->req.provider && !config_provider(s->cfg, args->req.provider))
		return cli_error(APPT_NOTFOUND, "no provider '%s'", args->req.provider);
	status = export_write(s, &args->req, stdout, NULL, &err);
	/* A failed write is cli_exit's to report, with the system's reason. */
	if (status == APPT_IOERR && ferror(stdout))
		return status;
	return cli_report(status, &err);
}

static int run(struct cmd_context *c)
{
	struct export_args a;
	int status = read_args(c, &a);

	if (status)
		return status;
	/* nothing has been written to stdout yet, as setvbuf requires */
	setvbuf(stdout, stdout_buffer, _IOFBF, sizeof(stdout_buffer));
	return run_export(&c->s, &a);
}

static const struct cmd_option options[] = {
	{ "from", 0, CMD_VALUE, NULL },
	{ "to", 0, CMD_VALUE, NULL },
	{ "format", 0, CMD_VALUE, "csv json ics ledger" },
	{ "provider", 0, CMD_VALUE, "@providers" },
	{ "raw", 0, CMD_FLAG, NULL },
	{ "redact", 0, CMD_FLAG, NULL },
	{ "all-columns", 0, CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

static const char *const complete_args[] = {
	"appointments clients events messages charges contacts invoices payments", NULL,
};

const struct command cmd_export = {
	.name = "export", .summary = "export records as CSV, JSON, iCalendar or a ledger journal",
	.usage = usage, .options = options, .min_args = 1, .max_args = 1,
	.complete_args = complete_args,
	.needs = CMD_NEEDS_DB, .check = check, .run = run,
};
