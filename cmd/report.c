/* appt report: the named reports for the desk, the managers and the auditors. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "client.h"
#include "report.h"

static const char usage[] =
	"usage: appt report NAME [--date D | --from D --to D] [--provider P]\n"
	"                   [--client C] [--format table|csv|json] [--wide]\n"
	"   or: appt report --list\n"
	"\n"
	"  --from D, --to D   the period, both days included (YYYY-MM-DD, today,\n"
	"                     tomorrow or a day word); each report has a default\n"
	"  --date D           that one day: 'appt report day --date D' is D's day sheet\n"
	"  --provider P       only this provider\n"
	"  --client C         only this client (where the report is about clients)\n"
	"  --format F         table (on a terminal), csv or json\n"
	"  --wide             a table shows names, notes and texts whole, however wide\n"
	"  --list             the reports, one a line\n";

struct report_opts {
	const char *name, *date, *from, *to, *client, *format;
	int list;
	struct report_args args;
};

static int parse_args(int argc, char **argv, struct report_opts *o)
{
	static const struct option options[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "provider", required_argument, NULL, 'p' },
		{ "client", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'o' },
		{ "wide", no_argument, NULL, 'W' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'd': o->date = optarg; break;
		case 'f': o->from = optarg; break;
		case 't': o->to = optarg; break;
		case 'p': o->args.provider = optarg; break;
		case 'c': o->client = optarg; break;
		case 'o': o->format = optarg; break;
		case 'W': o->args.output_flags |= OUTPUT_WIDE; break;
		case 'l': o->list = 1; break;
		case 'h': return -1;
		default: return cli_bad_option(c, argv);
		}
	}
	if (o->list)
		return cli_check_args(argc, argv, 0, 0);
	if (cli_check_args(argc, argv, 1, 1))
		return APPT_USAGE;
	if (o->date && (o->from || o->to))
		return cli_usage_error("--date cannot be combined with --from or --to");
	/* --date D is the period of that one day */
	if (o->date)
		o->from = o->to = o->date;
	o->name = argv[optind];
	return APPT_OK;
}

static int list_reports(void)
{
	for (const struct report_def *d = report_table; d->name; d++)
		printf("%-14s %s\n", d->name, d->summary);
	return cli_exit(APPT_OK);
}

static int unknown_report(const char *name)
{
	const char *best = NULL;
	size_t best_d = 3;

	for (const struct report_def *d = report_table; d->name; d++) {
		size_t dist = edit_distance(name, d->name);
		if (dist < best_d) {
			best_d = dist;
			best = d->name;
		}
	}
	if (best)
		return cli_usage_error("no report '%s'; did you mean '%s'?", name, best);
	return cli_usage_error("no report '%s' (appt report --list shows them)", name);
}

/* The report's own default period when neither --from nor --to is given. */
static void default_period(const struct appt_session *s, const struct report_def *d,
			   struct appt_date *from, struct appt_date *to)
{
	struct appt_date today;

	when_to_local(s->now, &today, NULL, NULL);
	*from = *to = today;
	if (d->default_period == PERIOD_LAST_30_DAYS)
		*from = date_add_days(today, -29);
	else if (d->default_period == PERIOD_NEXT_7_DAYS)
		*to = date_add_days(today, 6);
}

/*
 * --from alone: a day sheet is that day, the next-days reports run their
 * usual length from it, and the others run from it to today (or to that
 * day, when it is still ahead).
 */
static struct appt_date period_end_from(const struct appt_session *s,
					const struct report_def *d,
					struct appt_date from)
{
	struct appt_date today;

	if (d->default_period == PERIOD_TODAY)
		return from;
	if (d->default_period == PERIOD_NEXT_7_DAYS)
		return date_add_days(from, 6);
	when_to_local(s->now, &today, NULL, NULL);
	return date_cmp(today, from) > 0 ? today : from;
}

static int parse_period(const struct appt_session *s, const struct report_def *d,
			struct report_opts *o)
{
	struct appt_err err = { "" };
	struct appt_date from, to;
	int status = APPT_OK;

	default_period(s, d, &from, &to);
	o->args.period_given = o->from || o->to;
	if (o->from)
		status = when_parse_date(o->from, s->now, &from, &err);
	if (!status && o->to)
		status = when_parse_date(o->to, s->now, &to, &err);
	if (status)
		return cli_report(status, &err);
	if (o->from && !o->to)
		to = period_end_from(s, d, from);
	if (date_cmp(to, from) < 0)
		return cli_error(APPT_DATAERR, "--to is before --from");
	if (d->default_period == PERIOD_ALL && !o->args.period_given)
		return APPT_OK;
	o->args.from = when_day_start(from);
	o->args.to = when_day_start(date_add_days(to, 1));
	return APPT_OK;
}

static int resolve_filters(struct appt_session *s, struct report_opts *o)
{
	struct appt_err err = { "" };

	if (o->args.provider && !config_provider(s->cfg, o->args.provider))
		return cli_error(APPT_NOTFOUND, "no provider '%s'", o->args.provider);
	if (o->client)
		return cli_report(client_resolve(s->db, o->client, &o->args.client_id, &err), &err);
	return APPT_OK;
}

static int run_report(const struct report_def *d, struct report_opts *o)
{
	struct appt_session s;
	struct appt_err err = { "" };
	int status = cli_open_session(&s, SESSION_CONFIG | SESSION_DB);

	if (!status)
		status = parse_period(&s, d, o);
	if (!status)
		status = resolve_filters(&s, o);
	if (!status)
		status = cli_report(d->run(&s, &o->args, &err), &err);
	session_close(&s);
	return status;
}

int main(int argc, char **argv)
{
	struct report_opts o = { 0 };
	const struct report_def *d;
	int status;

	cli_start("report", usage);
	status = parse_args(argc, argv, &o);
	if (status)
		return status < 0 ? cli_help() : status;
	if (o.list)
		return list_reports();
	d = report_find(o.name);
	if (!d)
		return unknown_report(o.name);
	o.args.out = stdout;
	o.args.format = output_default_format();
	if (o.format && output_parse_format(o.format, &o.args.format))
		return cli_error(APPT_DATAERR, "invalid value '%s' for --format (expected table, csv or json)",
				 o.format);
	return cli_exit(run_report(d, &o));
}
