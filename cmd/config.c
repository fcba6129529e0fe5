/*
 * appt config: check the configuration file, or say which one is in use.
 *
 * `check` prints every problem as FILE:LINE:COLUMN: message, one per line and
 * without the usual "appt config:" prefix, so that editors and grep can jump
 * to them.  The file is always the global one ($APPT_CONFIG, which the front
 * end's --config sets), so a check tests exactly what the other commands load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "command.h"
#include "config.h"
#include "util.h"

static const char usage[] =
	"usage: appt config check [--quiet]\n"
	"   or: appt config path\n"
	"   or: appt config list services|providers|resources|templates|programs\n"
	"\n"
	"    check         validate the configuration file and its references\n"
	"    path          print the configuration file in use\n"
	"    list KIND     print each id, a tab and its name (for scripts and completion)\n"
	"    -q, --quiet   check: print nothing when the file is valid\n"
	"    -h, --help    show this help\n"
	"\n"
	"The file is $APPT_CONFIG (appt --config FILE), else\n"
	"$XDG_CONFIG_HOME/appt/config.yaml when it exists, else /etc/appt/config.yaml.\n";

static int config_check(struct cmd_context *c)
{
	int quiet = cmd_given(c, "quiet");
	char *path = config_default_path();
	struct appt_config *cfg = NULL;
	struct strlist problems = STRLIST_INIT;
	struct appt_err err = { "" };
	enum appt_status status = config_load(path, &cfg, &problems, &err);

	if (status == APPT_CONFIG)
		for (size_t i = 0; i < problems.nr; i++)
			fprintf(stderr, "%s\n", problems.items[i]);
	else if (status != APPT_OK)
		cli_report(status, &err);
	else if (!quiet)
		printf("%s: ok (%zu providers, %zu services, %zu resources, %zu templates)\n",
		       path, cfg->nr_providers, cfg->nr_services, cfg->nr_resources,
		       cfg->nr_templates);
	config_free(cfg);
	strlist_clear(&problems);
	free(path);
	return status;
}

/* Each listable kind: where its entries are and how to read id and name. */
struct listing {
	const char *kind;
	size_t (*count)(const struct appt_config *cfg);
	void (*entry)(const struct appt_config *cfg, size_t i, const char **id,
		      const char **name);
};

#define LISTING(kind_, array, nr, idf, namef)                                 \
	static size_t count_##kind_(const struct appt_config *cfg)            \
	{                                                                     \
		return cfg->nr;                                               \
	}                                                                     \
	static void entry_##kind_(const struct appt_config *cfg, size_t i,    \
				  const char **id, const char **name)         \
	{                                                                     \
		*id = cfg->array[i].idf;                                      \
		*name = cfg->array[i].namef;                                  \
	}

LISTING(services, services, nr_services, id, name)
LISTING(providers, providers, nr_providers, id, name)
LISTING(resources, resources, nr_resources, id, kind)
LISTING(templates, templates, nr_templates, name, subject)
LISTING(programs, programs, nr_programs, id, name)

static const struct listing listings[] = {
	{ "services", count_services, entry_services },
	{ "providers", count_providers, entry_providers },
	{ "resources", count_resources, entry_resources },
	{ "templates", count_templates, entry_templates },
	{ "programs", count_programs, entry_programs },
};

static const struct listing *find_listing(const char *kind)
{
	for (size_t i = 0; i < sizeof(listings) / sizeof(listings[0]); i++)
		if (!strcmp(kind, listings[i].kind))
			return &listings[i];
	return NULL;
}

/* One KIND, one of the listings: refused before the configuration is read. */
static int check_list(struct cmd_context *c)
{
	if (c->argc != 1)
		return cli_usage_error("list needs one kind");
	if (!find_listing(c->argv[0]))
		return cli_usage_error("cannot list '%s' (services, providers, resources, templates or programs)",
				       c->argv[0]);
	return APPT_OK;
}

static int config_list(struct cmd_context *c)
{
	const struct listing *l = find_listing(c->argv[0]);

	for (size_t i = 0; i < l->count(c->s.cfg); i++) {
		const char *id, *name;

		l->entry(c->s.cfg, i, &id, &name);
		printf("%s\t%s\n", id, name ? name : "");
	}
	return APPT_OK;
}

/* check and path take no argument: the file is the global one. */
static int check_no_file(struct cmd_context *c)
{
	if (c->argc)
		return cli_usage_error("unexpected argument '%s' (the file is $APPT_CONFIG)",
				       c->argv[0]);
	return APPT_OK;
}

static int config_path(struct cmd_context *c)
{
	char *path = config_default_path();

	printf("%s\n", path);
	free(path);
	return APPT_OK;
}

static const struct cmd_option check_options[] = {
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

static const char *const list_args[] = {
	"services providers resources templates programs", NULL,
};

/*
 * One usage text for all three.  The arguments are counted by check(), in
 * config's own words; check reads the file itself, to print its problems
 * as FILE:LINE:COLUMN, so only list has the session open the configuration.
 */
static const struct command config_subcommands[] = {
	{ .name = "check", .summary = "validate the configuration file", .usage = usage,
	  .options = check_options, .min_args = 0, .max_args = -1,
	  .check = check_no_file, .run = config_check },
	{ .name = "path", .summary = "print the configuration file in use", .usage = usage,
	  .min_args = 0, .max_args = -1, .check = check_no_file, .run = config_path },
	{ .name = "list", .summary = "print the ids and names of a kind", .usage = usage,
	  .min_args = 0, .max_args = -1, .complete_args = list_args,
	  .needs = CMD_NEEDS_CONFIG, .check = check_list, .run = config_list },
};

static int refuse(const struct command *family, const char *name)
{
	if (!name)
		return cli_usage_error("missing subcommand (check, path or list)");
	return cli_usage_error("unknown subcommand '%s'", name);
}

/*
 * As config's one getopt loop read the whole line: -q may come before the
 * subcommand, and path and list accept (and ignore) it.
 */
const struct command cmd_config = {
	.name = "config", .summary = "check the configuration file", .usage = usage,
	.flags = CMD_OPTIONS_ANYWHERE, .subcommands = config_subcommands,
	.nr_subcommands = sizeof(config_subcommands) / sizeof(config_subcommands[0]),
	.refuse = refuse,
};
