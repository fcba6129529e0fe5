/* appt report: the named reports for the desk, the managers and the auditors. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "client.h"
#include "command.h"
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
	const char *from, *to, *client;
	struct report_args args;
};

/* The command line as the reports take it (check has refused a bad one). */
static void read_opts(const struct cmd_context *c, struct report_opts *o)
{
	const char *date = cmd_value(c, "date"), *format = cmd_value(c, "format");

	memset(o, 0, sizeof(*o));
	/* --date D is the period of that one day */
	o->from = date ? date : cmd_value(c, "from");
	o->to = date ? date : cmd_value(c, "to");
	o->client = cmd_value(c, "client");
	o->args.provider = cmd_value(c, "provider");
	if (cmd_given(c, "wide"))
		o->args.output_flags |= OUTPUT_WIDE;
	o->args.out = stdout;
	o->args.format = output_default_format();
	if (format)
		output_parse_format(format, &o->args.format);
}

static int list_reports(void)
{
	for (const struct report_def *d = report_table; d->name; d++)
		printf("%-14s %s\n", d->name, d->summary);
	return APPT_OK;
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

/*
 * What getopt could not say, before anything is opened: NAME (none with
 * --list, and then nothing is opened at all), --date alone, a known
 * report, a known format.  The argument count is in cli_check_args's words.
 */
static int check(struct cmd_context *c)
{
	const char *format = cmd_value(c, "format");
	enum output_format f;

	if (cmd_given(c, "list")) {
		if (c->argc)
			return cli_usage_error("unexpected argument '%s'", c->argv[0]);
		c->needs = CMD_NEEDS_NOTHING;
		return APPT_OK;
	}
	if (c->argc < 1)
		return cli_usage_error("missing argument");
	if (c->argc > 1)
		return cli_usage_error("unexpected argument '%s'", c->argv[1]);
	if (cmd_value(c, "date") && (cmd_value(c, "from") || cmd_value(c, "to")))
		return cli_usage_error("--date cannot be combined with --from or --to");
	if (!report_find(c->argv[0]))
		return unknown_report(c->argv[0]);
	return format ? cli_parse_format(format, &f) : APPT_OK;
}

static int run(struct cmd_context *c)
{
	const struct report_def *d;
	struct appt_err err = { "" };
	struct report_opts o;
	int status;

	if (cmd_given(c, "list"))
		return list_reports();
	d = report_find(c->argv[0]);
	read_opts(c, &o);
	status = parse_period(&c->s, d, &o);
	if (!status)
		status = resolve_filters(&c->s, &o);
	if (!status)
		status = cli_report(d->run(&c->s, &o.args, &err), &err);
	return status;
}

static const struct cmd_option options[] = {
	{ "date", 0, CMD_VALUE, "today tomorrow mon tue wed thu fri sat sun" },
	{ "from", 0, CMD_VALUE, NULL },
	{ "to", 0, CMD_VALUE, NULL },
	{ "provider", 0, CMD_VALUE, "@providers" },
	{ "client", 0, CMD_VALUE, "@clients" },
	{ "format", 0, CMD_VALUE, "table csv json" },
	{ "wide", 0, CMD_FLAG, NULL },
	{ "list", 0, CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

static const char *const complete_args[] = { "@reports", NULL };

/*
 * One descriptor, NAME its argument: the reports are report_table's, and
 * their options (the same for all) may come before the name.
 */
const struct command cmd_report = {
	.name = "report", .summary = "print a report", .usage = usage,
	.options = options, .min_args = 0, .max_args = -1,
	.complete_args = complete_args, .needs = CMD_NEEDS_DB,
	.check = check, .run = run,
};
