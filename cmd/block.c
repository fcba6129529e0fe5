/* appt block: a provider's time off — add it, list it, remove it. */
#include <stdio.h>

#include "block.h"
#include "cli.h"
#include "command.h"
#include "output.h"

static const char usage[] =
	"usage: appt block [add] --provider P --from TIME --to TIME [--reason T] [-q]\n"
	"       appt block list [--provider P] [--from D] [--to D] [--format F] [--wide]\n"
	"       appt block remove ID [-q]\n"
	"\n"
	"Time off takes a provider out of the slots offered and refuses bookings\n"
	"inside it.  Appointments already booked there are kept, with a warning.\n"
	"\n"
	"  --provider P   the provider (list: only this one)\n"
	"  --from TIME    add: the first instant off; list: the first day shown\n"
	"  --to TIME      add: the end (excluded); list: the last day shown (included)\n"
	"  --reason T     why, for the agenda and the audit log\n"
	"  --format F     list: table, csv or json (default: table on a terminal)\n"
	"  --wide         list: a table shows reasons whole, however wide\n"
	"  -q, --quiet    add: print only the new id; remove: print nothing\n";

/* --provider, --from and --to: time off is nothing without all three. */
static int check_add(struct cmd_context *c)
{
	if (!cmd_value(c, "provider") || !cmd_value(c, "from") || !cmd_value(c, "to"))
		return cli_usage_error("--provider, --from and --to are required");
	return APPT_OK;
}

static int check_list(struct cmd_context *c)
{
	enum output_format format;

	return cli_read_formats(cmd_values(c, "format"), &format);
}

static int check_remove(struct cmd_context *c)
{
	long long id;

	return cli_parse_id(c->argv[0], "block", &id);
}

static int run_add(struct cmd_context *c)
{
	struct appt_session *s = &c->s;
	const char *provider = cmd_value(c, "provider");
	struct appt_err err = { "" };
	char from[40], to[40];
	time_t t_from, t_to;
	long long id = 0;
	int overlapping = 0, status;

	if ((status = cli_parse_time(s, cmd_value(c, "from"), &t_from)) ||
	    (status = cli_parse_time(s, cmd_value(c, "to"), &t_to)))
		return status;
	status = block_add(s, provider, t_from, t_to, cmd_value(c, "reason"), &id,
			   &overlapping, &err);
	if (status)
		return cli_report(status, &err);
	when_format_local(t_from, from, sizeof(from));
	when_format_local(t_to, to, sizeof(to));
	if (cmd_given(c, "quiet"))
		printf("%lld\n", id);
	else
		printf("blocked %s from %s to %s (#%lld)\n", provider, from, to, id);
	if (overlapping)
		cli_warning("%d booked appointment(s) fall inside this block; move them with appt reschedule",
			    overlapping);
	return APPT_OK;
}

/* The same columns in every format; only how the instants are written differs. */
static const struct output_column block_columns[] = {
	{ "id", COL_INT, FIT_WHOLE }, { "provider", COL_TEXT, FIT_WHOLE },
	{ "from", COL_TEXT, FIT_WHOLE }, { "to", COL_TEXT, FIT_WHOLE },
	{ "reason", COL_TEXT, FIT_SHRINK },
};

struct block_output {
	struct output *out;
	void (*format_time)(time_t t, char *buf, size_t size);
};

static void block_row(const struct block *b, void *data)
{
	struct block_output *bo = data;
	char id[24], from[40], to[40];
	const char *cells[] = { id, b->provider, from, to, b->reason };

	snprintf(id, sizeof(id), "%lld", b->id);
	bo->format_time(b->from, from, sizeof(from));
	bo->format_time(b->to, to, sizeof(to));
	output_row(bo->out, cells);
}

static int parse_day(const struct appt_session *s, const char *arg,
		     struct appt_date *out)
{
	struct appt_err err = { "" };

	return cli_report(when_parse_date(arg, s->now, out, &err), &err);
}

/*
 * The window to list as [*from, *to): by default what has not ended yet, so
 * the desk sees current and coming time off; --to includes its day.
 */
static int list_window(const struct cmd_context *c, time_t *from, time_t *to)
{
	const char *first_day = cmd_value(c, "from"), *last_day = cmd_value(c, "to");
	struct appt_date first, last;
	int status;

	*from = c->s.now;
	*to = 0;
	if (first_day) {
		if ((status = parse_day(&c->s, first_day, &first)))
			return status;
		*from = when_day_start(first);
	}
	if (last_day) {
		if ((status = parse_day(&c->s, last_day, &last)))
			return status;
		*to = when_day_start(date_add_days(last, 1));
	}
	if (*to && *to <= *from)
		return cli_error(APPT_DATAERR, "--to %s ends before the listing starts", last_day);
	return APPT_OK;
}

static int run_list(struct cmd_context *c)
{
	const char *provider = cmd_value(c, "provider");
	struct block_output bo = { NULL, when_format_iso };
	struct appt_err err = { "" };
	enum output_format format;
	time_t from, to;
	int status;

	if (provider && !config_provider(c->s.cfg, provider))
		return cli_error(APPT_NOTFOUND, "no provider '%s'", provider);
	if ((status = list_window(c, &from, &to)) ||
	    (status = cli_read_formats(cmd_values(c, "format"), &format)))
		return status;
	if (format == OUTPUT_TABLE)
		bo.format_time = when_format_local;
	bo.out = output_begin(stdout, format, block_columns,
			      sizeof(block_columns) / sizeof(block_columns[0]),
			      cmd_given(c, "wide") ? OUTPUT_WIDE : 0);
	status = block_each(c->s.db, provider, from, to, block_row, &bo, &err);
	if (output_end(bo.out) && !status)
		return cli_error(APPT_IOERR, "cannot write output");
	return cli_report(status, &err);
}

static int run_remove(struct cmd_context *c)
{
	struct appt_err err = { "" };
	long long id = 0;
	int status = cli_parse_id(c->argv[0], "block", &id);

	if (!status)
		status = cli_report(block_remove(&c->s, id, &err), &err);
	if (!status && !cmd_given(c, "quiet"))
		printf("removed block #%lld\n", id);
	return status;
}

static const struct cmd_option add_options[] = {
	{ "provider", 0, CMD_VALUE, "@providers" },
	{ "from", 0, CMD_VALUE, NULL },
	{ "to", 0, CMD_VALUE, NULL },
	{ "reason", 0, CMD_VALUE, NULL },
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct cmd_option list_options[] = {
	{ "provider", 0, CMD_VALUE, "@providers" },
	{ "from", 0, CMD_VALUE, NULL },
	{ "to", 0, CMD_VALUE, NULL },
	{ "format", 0, CMD_VALUE, "table csv json" },
	{ "wide", 0, CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct cmd_option remove_options[] = {
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

/* The three forms share one usage text: it is short, and says how they differ. */
static const struct command block_subcommands[] = {
	{ .name = "add", .summary = "take a provider's time off", .usage = usage,
	  .options = add_options, .min_args = 0, .max_args = 0,
	  .needs = CMD_NEEDS_DB, .check = check_add, .run = run_add },
	{ .name = "list", .summary = "list time off", .usage = usage,
	  .options = list_options, .min_args = 0, .max_args = 0,
	  .needs = CMD_NEEDS_DB, .check = check_list, .run = run_list },
	{ .name = "remove", .summary = "give time off back", .usage = usage,
	  .options = remove_options, .min_args = 1, .max_args = 1,
	  .needs = CMD_NEEDS_DB, .check = check_remove, .run = run_remove },
};

/* No suggestion: the usage, three lines, says what there is. */
static int refuse(const struct command *family, const char *name)
{
	if (!name)
		return cli_usage_error(NULL);
	return cli_usage_error("unknown subcommand '%s'", name);
}

/* `appt block --provider ...` is add: time off is what the command is for. */
const struct command cmd_block = {
	.name = "block", .summary = "manage provider time off", .usage = usage,
	.flags = CMD_DEFAULT_SUB, .subcommands = block_subcommands,
	.nr_subcommands = sizeof(block_subcommands) / sizeof(block_subcommands[0]),
	.refuse = refuse,
};
