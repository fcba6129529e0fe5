#include "command.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A subcommand is suggested when it is this close to the typed name. */
#define SUGGEST_MAX_DISTANCE 2
/* getopt values of long options: beyond any character. */
#define OPT_BASE 256
#define OPT_HELP (-2)

static size_t nr_options(const struct command *cmd)
{
	size_t n = 0;

	while (cmd->options && cmd->options[n].name)
		n++;
	return n;
}

static int option_index(const struct cmd_context *c, const char *name)
{
	for (size_t i = 0; c->cmd->options && c->cmd->options[i].name; i++)
		if (!strcmp(c->cmd->options[i].name, name))
			return (int)i;
	/* asking for an option the command does not have is a bug in appt */
	fprintf(stderr, "appt: internal error: '%s' has no option '--%s'\n", c->cmd->name, name);
	abort();
}

const char *cmd_value(const struct cmd_context *c, const char *name)
{
	return c->values[option_index(c, name)];
}

int cmd_given(const struct cmd_context *c, const char *name)
{
	return c->counts[option_index(c, name)];
}

const struct strlist *cmd_values(const struct cmd_context *c, const char *name)
{
	return &c->repeated[option_index(c, name)];
}

/* ---- parsing ---------------------------------------------------------- */

static const int has_arg[] = {
	[CMD_FLAG] = no_argument,
	[CMD_VALUE] = required_argument,
	[CMD_OPTIONAL] = optional_argument,
};

/*
 * The getopt_long tables a command's options make, help included, and the
 * options they stand for: the command's own first, then (in a family that
 * says so) those only its siblings take.
 */
struct getopt_tables {
	struct option *longs;
	struct strbuf shorts;
	const struct cmd_option **all;
	size_t nr_own, nr_all;
};

static int takes_siblings(const struct cmd_context *c)
{
	return c->family && (c->family->flags & (CMD_SIBLING_OPTIONS | CMD_OPTIONS_ANYWHERE));
}

static int listed(const struct getopt_tables *t, const char *name)
{
	for (size_t i = 0; i < t->nr_all; i++)
		if (!strcmp(t->all[i]->name, name))
			return 1;
	return 0;
}

static void add_options(struct getopt_tables *t, const struct command *cmd)
{
	for (size_t i = 0; cmd->options && cmd->options[i].name; i++) {
		const struct cmd_option *o = &cmd->options[i];

		if (listed(t, o->name))
			continue;
		t->longs[t->nr_all] = (struct option){ o->name, has_arg[o->arg], NULL,
						       OPT_BASE + (int)t->nr_all };
		t->all[t->nr_all++] = o;
		if (!o->short_name)
			continue;
		strbuf_addch(&t->shorts, o->short_name);
		if (o->arg != CMD_FLAG)
			strbuf_addstr(&t->shorts, o->arg == CMD_VALUE ? ":" : "::");
	}
}

static void tables_build(const struct cmd_context *c, struct getopt_tables *t)
{
	size_t n = nr_options(c->cmd);

	for (size_t i = 0; takes_siblings(c) && i < c->family->nr_subcommands; i++)
		n += nr_options(&c->family->subcommands[i]);
	t->longs = xcalloc(n + 2, sizeof(*t->longs));
	t->all = xcalloc(n + 1, sizeof(*t->all));
	t->nr_all = 0;
	strbuf_init(&t->shorts);
	strbuf_addstr(&t->shorts, c->cmd->flags & CMD_TEXT_LAST ? "+:h" : ":h");
	add_options(t, c->cmd);
	t->nr_own = t->nr_all;
	for (size_t i = 0; takes_siblings(c) && i < c->family->nr_subcommands; i++)
		add_options(t, &c->family->subcommands[i]);
	t->longs[t->nr_all] = (struct option){ "help", no_argument, NULL, 'h' };
}

static void tables_release(struct getopt_tables *t)
{
	free(t->longs);
	free(t->all);
	strbuf_release(&t->shorts);
}

/* The option a getopt value stands for: OPT_HELP, an index in t->all, or -1. */
static int option_of(const struct getopt_tables *t, int c)
{
	if (c == 'h')
		return OPT_HELP;
	if (c >= OPT_BASE)
		return c - OPT_BASE;
	for (size_t i = 0; c != '?' && c != ':' && i < t->nr_all; i++)
		if (t->all[i]->short_name == c)
			return (int)i;
	return -1;
}

static void record(struct cmd_context *c, int i, const char *value)
{
	c->values[i] = value ? value : "";
	c->counts[i]++;
	if (value)
		strlist_push(&c->repeated[i], value);
}

/* An option only a sibling subcommand takes: refused, or ignored (config -q). */
static int sibling_option(const struct cmd_context *c, const struct cmd_option *o)
{
	if (!(c->family->flags & CMD_SIBLING_OPTIONS))
		return APPT_OK;
	return cli_usage_error("option '--%s' does not apply to 'appt %s %s'", o->name,
			       c->family->name, c->cmd->name);
}

/* 0 to go on, 1 when --help was answered, else the usage error's status. */
static int parse(struct cmd_context *c, int argc, char **argv, int *helped)
{
	struct getopt_tables t;
	int ch, status = APPT_OK;

	*helped = 0;
	tables_build(c, &t);
	optind = 0;
	while (!status && (ch = getopt_long(argc, argv, t.shorts.buf, t.longs, NULL)) != -1) {
		int i = option_of(&t, ch);

		if (i == OPT_HELP) {
			*helped = 1;
			break;
		}
		if (i < 0)
			status = cli_bad_option(ch, argv);
		else if ((size_t)i >= t.nr_own)
			status = sibling_option(c, t.all[i]);
		else
			record(c, i, optarg);
	}
	tables_release(&t);
	if (status || *helped)
		return status;
	c->argv = argv + optind;
	c->argc = argc - optind;
	return cli_check_args(argc, argv, c->cmd->min_args, c->cmd->max_args);
}

/* ---- running ---------------------------------------------------------- */

static unsigned session_needs(unsigned needs)
{
	if (needs & CMD_NEEDS_INIT)
		return SESSION_CONFIG | SESSION_CREATE_DB;
	if (needs & CMD_NEEDS_DB)
		return SESSION_CONFIG | SESSION_DB | (needs & CMD_NEEDS_OLD_DB ? SESSION_OLD_DB : 0);
	return needs & CMD_NEEDS_CONFIG ? SESSION_CONFIG : 0;
}

static void context_init(struct cmd_context *c, const struct command *cmd,
			 const struct command *family)
{
	size_t n = nr_options(cmd) + 1;

	memset(c, 0, sizeof(*c));
	c->cmd = cmd;
	c->family = family;
	c->needs = cmd->needs;
	c->values = xcalloc(n, sizeof(*c->values));
	c->counts = xcalloc(n, sizeof(*c->counts));
	c->repeated = xcalloc(n, sizeof(*c->repeated));
}

static void context_release(struct cmd_context *c)
{
	size_t n = nr_options(c->cmd) + 1;

	for (size_t i = 0; i < n; i++)
		strlist_clear(&c->repeated[i]);
	free(c->repeated);
	free(c->counts);
	free(c->values);
}

/* cmd->run, on one snapshot of the database when it asked for one. */
static int run_needed(struct cmd_context *c)
{
	struct appt_err err = { "" };
	int status;

	if (!(c->needs & CMD_NEEDS_SNAPSHOT))
		return c->cmd->run(c);
	if ((status = db_begin_read(c->s.db, &err)))
		return cli_report(status, &err);
	status = c->cmd->run(c);
	db_end_read(c->s.db);
	return status;
}

/* One command (or subcommand), argv[0] being its name. */
static int run_one(const struct command *cmd, const struct command *family,
		   int argc, char **argv)
{
	struct cmd_context c;
	int helped, status;

	cli_start(family ? family->name : cmd->name, cmd->usage);
	context_init(&c, cmd, family);
	status = parse(&c, argc, argv, &helped);
	if (!status && helped)
		status = cli_help();
	else if (!status && cmd->check)
		status = cmd->check(&c);
	if (!status && !helped && c.needs)
		status = cli_open_session(&c.s, session_needs(c.needs));
	if (!status && !helped)
		status = cli_exit(run_needed(&c));
	session_close(&c.s);
	context_release(&c);
	return status;
}

const struct command *command_find_sub(const struct command *family, const char *name)
{
	for (size_t i = 0; i < family->nr_subcommands; i++)
		if (!strcmp(family->subcommands[i].name, name))
			return &family->subcommands[i];
	return NULL;
}

static int unknown_sub(const struct command *family, const char *name)
{
	const char *best = NULL;
	size_t best_distance = SUGGEST_MAX_DISTANCE + 1;

	if (family->refuse)
		return family->refuse(family, name);
	for (size_t i = 0; i < family->nr_subcommands; i++) {
		size_t d = edit_distance(name, family->subcommands[i].name);

		if (d < best_distance) {
			best = family->subcommands[i].name;
			best_distance = d;
		}
	}
	if (best)
		return cli_error(APPT_USAGE, "unknown subcommand '%s'; did you mean '%s'?",
				 name, best);
	return cli_error(APPT_USAGE, "unknown subcommand '%s' (see 'appt %s --help')",
			 name, family->name);
}

static int missing_sub(const struct command *family)
{
	if (family->refuse)
		return family->refuse(family, NULL);
	return cli_usage_error("missing subcommand");
}

static int is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

/*
 * CMD_OPTIONS_ANYWHERE: the first word that is no option is the
 * subcommand's name; it moves to argv[1], the options before it after it.
 */
static void name_first(int argc, char **argv)
{
	int i = 1;
	char *name;

	while (i < argc && argv[i][0] == '-')
		i++;
	if (i == argc)
		return;
	name = argv[i];
	memmove(argv + 2, argv + 1, (size_t)(i - 1) * sizeof(*argv));
	argv[1] = name;
}

/*
 * CMD_OPTIONS_ANYWHERE with options and no name, or an unknown name: the
 * options are read first, as one getopt loop did, so that a bad one (or
 * --help) is answered as such, then the name is missing or unknown.  The
 * words after an unknown name are counted as the first subcommand counts.
 */
static int options_without_sub(const struct command *family, const char *name,
			       int argc, char **argv)
{
	struct cmd_context c;
	int helped, status;

	cli_start(family->name, family->usage);
	context_init(&c, &family->subcommands[0], family);
	status = parse(&c, argc, argv, &helped);
	context_release(&c);
	if (!status && helped)
		return cli_help();
	if (status)
		return status;
	return name ? unknown_sub(family, name) : missing_sub(family);
}

/* appt FAMILY SUBCOMMAND ...: the subcommand's descriptor one level down. */
static int run_family(const struct command *family, int argc, char **argv)
{
	const struct command *sub;

	cli_start(family->name, family->usage);
	if (argc >= 2 && is_help(argv[1]))
		return cli_help();
	if ((family->flags & CMD_DEFAULT_SUB) && argc >= 2 && argv[1][0] == '-')
		return run_one(&family->subcommands[0], family, argc, argv);
	if ((family->flags & CMD_ID_SUB) && argc >= 2 && isdigit((unsigned char)argv[1][0]))
		return run_one(&family->subcommands[0], family, argc, argv);
	if (family->flags & CMD_OPTIONS_ANYWHERE)
		name_first(argc, argv);
	if (argc < 2)
		return missing_sub(family);
	if (argv[1][0] == '-' && (family->flags & CMD_OPTIONS_ANYWHERE))
		return options_without_sub(family, NULL, argc, argv);
	if (argv[1][0] == '-')
		return cli_usage_error("unknown option '%s' (options follow the subcommand)",
				       argv[1]);
	if (!(sub = command_find_sub(family, argv[1])) && (family->flags & CMD_OPTIONS_ANYWHERE))
		return options_without_sub(family, argv[1], argc - 1, argv + 1);
	if (!sub)
		return unknown_sub(family, argv[1]);
	return run_one(sub, family, argc - 1, argv + 1);
}

int command_main(const struct command *cmd, int argc, char **argv)
{
	if (cmd->nr_subcommands)
		return run_family(cmd, argc, argv);
	return run_one(cmd, NULL, argc, argv);
}
