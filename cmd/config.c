/*
 * appt config: check the configuration file, or say which one is in use.
 *
 * `check` prints every problem as FILE:LINE:COLUMN: message, one per line and
 * without the usual "appt config:" prefix, so that editors and grep can jump
 * to them.  The file is always the global one ($APPT_CONFIG, which the front
 * end's --config sets), so a check tests exactly what the other commands load.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
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

static int config_check(int quiet)
{
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

static int config_list(const char *kind)
{
	const struct listing *l = NULL;
	struct appt_session s;
	int status;

	for (size_t i = 0; i < sizeof(listings) / sizeof(listings[0]); i++)
		if (!strcmp(kind, listings[i].kind))
			l = &listings[i];
	if (!l)
		return cli_usage_error("cannot list '%s' (services, providers, resources, templates or programs)", kind);
	status = cli_open_session(&s, SESSION_CONFIG);
	for (size_t i = 0; !status && i < l->count(s.cfg); i++) {
		const char *id, *name;

		l->entry(s.cfg, i, &id, &name);
		printf("%s\t%s\n", id, name ? name : "");
	}
	session_close(&s);
	return status;
}

static int config_path(void)
{
	char *path = config_default_path();

	printf("%s\n", path);
	free(path);
	return APPT_OK;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, quiet = 0;
	const char *action;

	cli_start("config", usage);
	while ((c = getopt_long(argc, argv, ":qh", options, NULL)) != -1) {
		switch (c) {
		case 'q': quiet = 1; break;
		case 'h': return cli_help();
		default: return cli_bad_option(c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error("missing subcommand (check, path or list)");
	action = argv[optind++];
	if (!strcmp(action, "list")) {
		if (optind + 1 != argc)
			return cli_usage_error("list needs one kind");
		return cli_exit(config_list(argv[optind]));
	}
	if (strcmp(action, "check") && strcmp(action, "path"))
		return cli_usage_error("unknown subcommand '%s'", action);
	if (optind < argc)
		return cli_usage_error("unexpected argument '%s' (the file is $APPT_CONFIG)",
				       argv[optind]);
	return cli_exit(!strcmp(action, "check") ? config_check(quiet) : config_path());
}
