/* appt export: whole tables as CSV or JSON, appointments as a calendar. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "export.h"

static const char usage[] =
	"usage: appt export appointments|clients|events|messages|charges|contacts\n"
	"                   [--from D] [--to D] [--format csv|json|ics]\n"
	"                   [--provider P] [--raw] [--redact] [--all-columns]\n"
	"\n"
	"Writes every record of one kind to standard output, oldest first.\n"
	"\n"
	"  --from D        from day D on (appointments: by start; others: when made)\n"
	"  --to D          up to day D, included\n"
	"  --format F      csv (the default), json, or ics (appointments only)\n"
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
				 "invalid value '%s' for --format (expected csv, json or ics)", arg);
	return APPT_OK;
}

static int parse_dataset(const char *arg, enum export_dataset *dataset)
{
	if (export_parse_dataset(arg, dataset))
		return cli_usage_error("unknown export '%s' (expected one of: %s)", arg,
				       export_dataset_names());
	return APPT_OK;
}

static int parse_options(int argc, char **argv, struct export_args *args)
{
	static const struct option options[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'F' },
		{ "provider", required_argument, NULL, 'p' },
		{ "raw", no_argument, NULL, 'r' },
		{ "redact", no_argument, NULL, 'R' },
		{ "all-columns", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, status;

	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'f': args->from = optarg; break;
		case 't': args->to = optarg; break;
		case 'p': args->req.provider = optarg; break;
		case 'r': args->req.flags |= EXPORT_RAW; break;
		case 'R': args->req.flags |= EXPORT_REDACT; break;
		case 'a': args->req.flags |= EXPORT_ALL_COLUMNS; break;
		case 'F':
			if ((status = parse_format(optarg, &args->req.format)))
				return status;
			break;
		case 'h': return cli_help();
		default: return cli_bad_option(c, argv);
		}
	}
	return -1;
}

/* Returns -1 to go on, else the status to exit with. */
static int parse_args(int argc, char **argv, struct export_args *args)
{
	struct appt_err err = { "" };
	int status;

	if ((status = parse_options(argc, argv, args)) >= 0)
		return status;
	if ((status = cli_check_args(argc, argv, 1, 1)) ||
	    (status = parse_dataset(argv[optind], &args->req.dataset)))
		return status;
	if (export_check(&args->req, &err))
		return cli_usage_error("%s", err.msg);
	return -1;
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

int main(int argc, char **argv)
{
	struct export_args args = { .req = { .format = EXPORT_CSV } };
	struct appt_session s;
	int status;

	cli_start("export", usage);
	if ((status = parse_args(argc, argv, &args)) >= 0)
		return status;
	setvbuf(stdout, stdout_buffer, _IOFBF, sizeof(stdout_buffer));
	status = cli_open_session(&s, SESSION_CONFIG | SESSION_DB);
	if (!status)
		status = run_export(&s, &args);
	session_close(&s);
	return cli_exit(status);
}
