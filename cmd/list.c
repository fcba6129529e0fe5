/* appt list: the agenda — appointments of a day or a range of days. */
#include <stdio.h>
#include <string.h>

#include "appointment.h"
#include "cli.h"
#include "client.h"
#include "command.h"
#include "output.h"

static const char usage[] =
	"usage: appt list [--date D | --from D --to D] [--provider P] [--client C]\n"
	"                 [--status S] [--format table|csv|json] [--wide]\n"
	"\n"
	"Lists appointments in start order; without dates, today's.\n"
	"\n"
	"  --date D        one day: YYYY-MM-DD, today, tomorrow or a day word\n"
	"  --from D        the first day of a range (alone: from D on)\n"
	"  --to D          the last day of a range, included (alone: from today)\n"
	"  --provider P    only this provider's appointments\n"
	"  --client C      only this client's (number, e-mail, phone or name)\n"
	"  --status S      only appointments in state S\n"
	"  --format F      table, csv or json (default: table on a terminal, else csv)\n"
	"  --wide          a table shows long text whole instead of fitting the terminal\n";

struct list_args {
	const char *date;
	const char *from;
	const char *to;
	const char *provider;
	const char *client;
	const char *status;
	enum output_format format;
	int wide;
};

/*
 * Tables show the clock for reading at the desk (and the date when more than
 * one day is listed), CSV and JSON carry full ISO 8601 instants so that a
 * script never has to guess the zone.  A table leaves out "confirmed": its
 * status says so while it matters, and the line fits an 80-column terminal.
 */
enum list_where {
	IN_TABLE = 1,
	IN_DATA = 2,    /* CSV and JSON */
	MULTIDAY = 4,   /* a table's, only when more than one day is listed */
};

static const struct list_column {
	struct output_column col;
	unsigned where;
} list_columns[] = {
	{ { "id", COL_INT, FIT_WHOLE }, IN_TABLE | IN_DATA },
	{ { "date", COL_TEXT, FIT_WHOLE }, IN_TABLE | MULTIDAY },
	{ { "time", COL_TEXT, FIT_WHOLE }, IN_TABLE },
	{ { "start", COL_TEXT, FIT_WHOLE }, IN_DATA },
	{ { "end", COL_TEXT, FIT_WHOLE }, IN_DATA },
	{ { "client", COL_TEXT, FIT_SHRINK }, IN_TABLE | IN_DATA },
	{ { "phone", COL_TEXT, FIT_WHOLE }, IN_TABLE | IN_DATA },
	{ { "service", COL_TEXT, FIT_WHOLE }, IN_TABLE | IN_DATA },
	{ { "provider", COL_TEXT, FIT_WHOLE }, IN_TABLE | IN_DATA },
	{ { "resource", COL_TEXT, FIT_WHOLE }, IN_TABLE | IN_DATA },
	{ { "status", COL_TEXT, FIT_WHOLE }, IN_TABLE | IN_DATA },
	{ { "confirmed", COL_BOOL, FIT_WHOLE }, IN_DATA },
};

#define NCOLUMNS (sizeof(list_columns) / sizeof(list_columns[0]))

struct list_output {
	struct output *out;
	enum output_format format;
	int shown[NCOLUMNS];
};

static int column_shown(const struct list_column *c, enum output_format format,
			int multiday)
{
	if (format != OUTPUT_TABLE)
		return (c->where & IN_DATA) != 0;
	return (c->where & IN_TABLE) && (!(c->where & MULTIDAY) || multiday);
}

#define WHEN_CELL 96

static void list_row(const struct appointment *a, void *data)
{
	struct list_output *lo = data;
	char id[24], date[WHEN_CELL], clock[WHEN_CELL], start[WHEN_CELL], end[WHEN_CELL];
	char from[40], to[40];
	struct appt_date day;
	const char *all[NCOLUMNS] = {
		id, date, clock, start, end, a->client_name, a->client_phone,
		a->service, a->provider, a->resource, state_name(a->state),
		a->confirmed_at ? "1" : "0",
	};
	const char *cells[NCOLUMNS];
	size_t n = 0;

	snprintf(id, sizeof(id), "%lld", a->id);
	if (lo->format == OUTPUT_TABLE) {
		when_to_local(a->start, &day, NULL, NULL);
		date_format_iso(day, date, sizeof(date));
		when_format_clock(a->start, from, sizeof(from));
		when_format_clock(a->end, to, sizeof(to));
		snprintf(clock, sizeof(clock), "%s-%s", from, to);
	} else {
		when_format_iso(a->start, start, sizeof(start));
		when_format_iso(a->end, end, sizeof(end));
	}
	for (size_t i = 0; i < NCOLUMNS; i++)
		if (lo->shown[i])
			cells[n++] = all[i];
	output_row(lo->out, cells);
}

/*
 * The command line as list takes it; bad values (65) and usage errors (64).
 * Each --format given is checked, as each was when read; the last counts.
 */
static int read_args(const struct cmd_context *c, struct list_args *args)
{
	const struct strlist *formats = cmd_values(c, "format");
	int status = APPT_OK;

	memset(args, 0, sizeof(*args));
	args->date = cmd_value(c, "date");
	args->from = cmd_value(c, "from");
	args->to = cmd_value(c, "to");
	args->provider = cmd_value(c, "provider");
	args->client = cmd_value(c, "client");
	args->status = cmd_value(c, "status");
	args->wide = cmd_given(c, "wide");
	status = cli_read_formats(formats, &args->format);
	if (status)
		return status;
	if (args->date && (args->from || args->to))
		return cli_usage_error("--date cannot be combined with --from or --to");
	return APPT_OK;
}

static int check(struct cmd_context *c)
{
	struct list_args args;

	return read_args(c, &args);
}

static int parse_date(const struct appt_session *s, const char *arg,
		      struct appt_date *out)
{
	struct appt_err err = { "" };

	return cli_report(when_parse_date(arg, s->now, out, &err), &err);
}

/*
 * The days asked for as [f->from, f->to), the last day included.  Without
 * dates that is today; --from alone leaves the end open.
 */
static int date_range(const struct appt_session *s, const struct list_args *args,
		      struct appointment_filter *f)
{
	const char *first_arg = args->date ? args->date : args->from;
	const char *last_arg = args->date ? args->date : args->to;
	struct appt_date first, last;
	int status;

	when_to_local(s->now, &first, NULL, NULL);
	if (first_arg && (status = parse_date(s, first_arg, &first)))
		return status;
	f->from = when_day_start(first);
	if (args->from && !args->to)
		return APPT_OK;
	last = first;
	if (last_arg && (status = parse_date(s, last_arg, &last)))
		return status;
	if (date_cmp(last, first) < 0) {
		char shown[40];

		date_format_iso(first, shown, sizeof(shown));
		return cli_error(APPT_DATAERR, "--to %s is before the range's first day, %s",
				 last_arg, shown);
	}
	f->to = when_day_start(date_add_days(last, 1));
	return APPT_OK;
}

static int status_filter(const char *arg, struct appointment_filter *f)
{
	struct strbuf names = STRBUF_INIT;
	enum appt_state st;
	int status;

	if (!arg)
		return APPT_OK;
	if (!state_parse(arg, &st)) {
		f->state = (int)st;
		return APPT_OK;
	}
	for (int i = 0; i < STATE_COUNT; i++)
		strbuf_addf(&names, "%s%s", i ? ", " : "", state_name((enum appt_state)i));
	status = cli_error(APPT_DATAERR, "unknown status '%s' (expected one of: %s)",
			   arg, strbuf_str(&names));
	strbuf_release(&names);
	return status;
}

static int provider_filter(const struct appt_session *s, const char *arg,
			   struct appointment_filter *f)
{
	if (arg && !config_provider(s->cfg, arg))
		return cli_error(APPT_NOTFOUND, "no provider '%s'", arg);
	f->provider = arg;
	return APPT_OK;
}

static int client_filter(struct appt_session *s, const char *arg,
			 struct appointment_filter *f)
{
	struct appt_err err = { "" };

	if (!arg)
		return APPT_OK;
	return cli_report(client_resolve(s->db, arg, &f->client_id, &err), &err);
}

static int build_filter(struct appt_session *s, const struct list_args *args,
			struct appointment_filter *f)
{
	int status;

	if ((status = date_range(s, args, f)) ||
	    (status = provider_filter(s, args->provider, f)) ||
	    (status = status_filter(args->status, f)) ||
	    (status = client_filter(s, args->client, f)))
		return status;
	return APPT_OK;
}

/* Whether the filter's days are more than one (or have no end). */
static int multiday(const struct appointment_filter *f)
{
	struct appt_date first;

	when_to_local(f->from, &first, NULL, NULL);
	return !f->to || f->to != when_day_start(date_add_days(first, 1));
}

static struct output *begin_output(const struct list_args *args,
				   const struct appointment_filter *f,
				   struct list_output *lo)
{
	struct output_column cols[NCOLUMNS];
	size_t n = 0;

	for (size_t i = 0; i < NCOLUMNS; i++) {
		lo->shown[i] = column_shown(&list_columns[i], args->format, multiday(f));
		if (lo->shown[i])
			cols[n++] = list_columns[i].col;
	}
	return output_begin(stdout, args->format, cols, n,
			    args->wide ? OUTPUT_WIDE : 0);
}

static int list(struct appt_session *s, const struct list_args *args)
{
	struct appointment_filter f = { 0, 0, NULL, 0, -1 };
	struct list_output lo = { .format = args->format };
	struct appt_err err = { "" };
	int status;

	if ((status = build_filter(s, args, &f)))
		return status;
	lo.out = begin_output(args, &f, &lo);
	status = appointment_each(s->db, &f, list_row, &lo, &err);
	if (output_end(lo.out) && !status)
		return cli_error(APPT_IOERR, "cannot write output");
	return cli_report(status, &err);
}

static int run(struct cmd_context *c)
{
	struct list_args args;
	int status = read_args(c, &args);

	return status ? status : list(&c->s, &args);
}

/* The words completed for --status; state_parse() takes these (appointment.c). */
#define STATUS_WORDS "booked confirmed waiting in-progress done cancelled no-show"
/* when_parse_date() takes these besides YYYY-MM-DD. */
#define DATE_WORDS "today tomorrow mon tue wed thu fri sat sun"

static const struct cmd_option options[] = {
	{ "date", 0, CMD_VALUE, DATE_WORDS },
	{ "from", 0, CMD_VALUE, NULL },
	{ "to", 0, CMD_VALUE, NULL },
	{ "provider", 0, CMD_VALUE, "@providers" },
	{ "client", 0, CMD_VALUE, "@clients" },
	{ "status", 0, CMD_VALUE, STATUS_WORDS },
	{ "format", 0, CMD_VALUE, "table csv json" },
	{ "wide", 0, CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

const struct command cmd_list = {
	.name = "list", .summary = "show the agenda", .usage = usage,
	.options = options, .min_args = 0, .max_args = 0,
	.needs = CMD_NEEDS_DB, .check = check, .run = run,
};
