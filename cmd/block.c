/* appt block: a provider's time off — add it, list it, remove it. */
#include <stdio.h>
#include <string.h>

#include "block.h"
#include "cli.h"
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

/* Everything any subcommand takes; each parser fills what it knows. */
struct block_args {
	const char *provider;
	const char *from;
	const char *to;
	const char *reason;
	long long id;
	int quiet;
	int wide;
	enum output_format format;
};

enum { OPT_PROVIDER = 'p', OPT_FROM = 'f', OPT_TO = 't', OPT_REASON = 'r',
       OPT_FORMAT = 'F', OPT_WIDE = 'W' };

static const struct option add_options[] = {
	{ "provider", required_argument, NULL, OPT_PROVIDER },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option list_options[] = {
	{ "provider", required_argument, NULL, OPT_PROVIDER },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "wide", no_argument, NULL, OPT_WIDE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option remove_options[] = {
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/*
 * One getopt loop for the three subcommands: each passes its own table, so an
 * option of another subcommand is still reported as unknown.
 * Returns -1 to go on, else the status to exit with.
 */
static int parse_options(int argc, char **argv, const char *optstring,
			 const struct option *options, struct block_args *args)
{
	int c;

	while ((c = getopt_long(argc, argv, optstring, options, NULL)) != -1) {
		switch (c) {
		case OPT_PROVIDER: args->provider = optarg; break;
		case OPT_FROM: args->from = optarg; break;
		case OPT_TO: args->to = optarg; break;
		case OPT_REASON: args->reason = optarg; break;
		case OPT_FORMAT:
			if (output_parse_format(optarg, &args->format))
				return cli_error(APPT_DATAERR, "invalid value '%s' for --format (expected table, csv or json)",
						 optarg);
			break;
		case OPT_WIDE: args->wide = 1; break;
		case 'q': args->quiet = 1; break;
		case 'h': return cli_help();
		default: return cli_bad_option(c, argv);
		}
	}
	return -1;
}

static int parse_add(int argc, char **argv, struct block_args *args)
{
	int status;

	if ((status = parse_options(argc, argv, ":qh", add_options, args)) >= 0 ||
	    (status = cli_check_args(argc, argv, 0, 0)))
		return status;
	if (!args->provider || !args->from || !args->to)
		return cli_usage_error("--provider, --from and --to are required");
	return -1;
}

static int parse_list(int argc, char **argv, struct block_args *args)
{
	int status;

	if ((status = parse_options(argc, argv, ":h", list_options, args)) >= 0 ||
	    (status = cli_check_args(argc, argv, 0, 0)))
		return status;
	return -1;
}

static int parse_remove(int argc, char **argv, struct block_args *args)
{
	int status;

	if ((status = parse_options(argc, argv, ":qh", remove_options, args)) >= 0 ||
	    (status = cli_check_args(argc, argv, 1, 1)) ||
	    (status = cli_parse_id(argv[optind], "block", &args->id)))
		return status;
	return -1;
}

static int run_add(struct appt_session *s, const struct block_args *args)
{
	struct appt_err err = { "" };
	char from[40], to[40];
	time_t t_from, t_to;
	long long id = 0;
	int overlapping = 0, status;

	if ((status = cli_parse_time(s, args->from, &t_from)) ||
	    (status = cli_parse_time(s, args->to, &t_to)))
		return status;
	status = block_add(s, args->provider, t_from, t_to, args->reason, &id,
			   &overlapping, &err);
	if (status)
		return cli_report(status, &err);
	when_format_local(t_from, from, sizeof(from));
	when_format_local(t_to, to, sizeof(to));
	if (args->quiet)
		printf("%lld\n", id);
	else
		printf("blocked %s from %s to %s (#%lld)\n", args->provider, from, to, id);
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
static int list_window(const struct appt_session *s, const struct block_args *args,
		       time_t *from, time_t *to)
{
	struct appt_date first, last;
	int status;

	*from = s->now;
	*to = 0;
	if (args->from) {
		if ((status = parse_day(s, args->from, &first)))
			return status;
		*from = when_day_start(first);
	}
	if (args->to) {
		if ((status = parse_day(s, args->to, &last)))
			return status;
		*to = when_day_start(date_add_days(last, 1));
	}
	if (*to && *to <= *from)
		return cli_error(APPT_DATAERR, "--to %s ends before the listing starts", args->to);
	return APPT_OK;
}

static int run_list(struct appt_session *s, const struct block_args *args)
{
	struct block_output bo = { NULL, when_format_iso };
	struct appt_err err = { "" };
	time_t from, to;
	int status;

	if (args->provider && !config_provider(s->cfg, args->provider))
		return cli_error(APPT_NOTFOUND, "no provider '%s'", args->provider);
	if ((status = list_window(s, args, &from, &to)))
		return status;
	if (args->format == OUTPUT_TABLE)
		bo.format_time = when_format_local;
	bo.out = output_begin(stdout, args->format, block_columns,
			      sizeof(block_columns) / sizeof(block_columns[0]),
			      args->wide ? OUTPUT_WIDE : 0);
	status = block_each(s->db, args->provider, from, to, block_row, &bo, &err);
	if (output_end(bo.out) && !status)
		return cli_error(APPT_IOERR, "cannot write output");
	return cli_report(status, &err);
}

static int run_remove(struct appt_session *s, const struct block_args *args)
{
	struct appt_err err = { "" };
	int status = block_remove(s, args->id, &err);

	if (!status && !args->quiet)
		printf("removed block #%lld\n", args->id);
	return cli_report(status, &err);
}

static const struct subcommand {
	const char *name;
	int (*parse)(int argc, char **argv, struct block_args *args);
	int (*run)(struct appt_session *s, const struct block_args *args);
} subcommands[] = {
	{ "add", parse_add, run_add },
	{ "list", parse_list, run_list },
	{ "remove", parse_remove, run_remove },
};

/* `appt block --provider ...` is add: time off is what the command is for. */
static const struct subcommand *find_subcommand(int *argc, char ***argv)
{
	const char *word = (*argv)[1];

	if (!word)
		return NULL;
	if (word[0] == '-')
		return &subcommands[0];
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
		if (!strcmp(word, subcommands[i].name)) {
			/* The subcommand's name stands in as argv[0] for getopt. */
			(*argc)--;
			(*argv)++;
			return &subcommands[i];
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct block_args args = { .format = output_default_format() };
	const struct subcommand *sub;
	struct appt_session s;
	int status;

	cli_start("block", usage);
	if (!(sub = find_subcommand(&argc, &argv))) {
		if (argc < 2)
			return cli_usage_error(NULL);
		return cli_usage_error("unknown subcommand '%s'", argv[1]);
	}
	if ((status = sub->parse(argc, argv, &args)) >= 0)
		return status;
	status = cli_open_session(&s, SESSION_CONFIG | SESSION_DB);
	if (!status)
		status = sub->run(&s, &args);
	session_close(&s);
	return cli_exit(status);
}
