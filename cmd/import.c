/* appt import: clients or appointments from CSV, all or nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "command.h"
#include "import.h"

static const char usage[] =
	"usage: appt import clients|appointments FILE|- [--dry-run] [--map COLUMN=FIELD]...\n"
	"                   [--ignore-unknown] [--allow-overlap] [--allow-duplicate]\n"
	"\n"
	"  FILE                 RFC 4180 CSV with a header row; - reads standard input\n"
	"  --dry-run            check everything, write nothing\n"
	"  --map COLUMN=FIELD   read column COLUMN as FIELD (repeatable)\n"
	"  --ignore-unknown     skip columns that are no field instead of refusing\n"
	"  --allow-overlap      do not check later appointments against the calendar\n"
	"  --allow-duplicate    add new clients even when another client has their\n"
	"                       phone or e-mail (a family sharing one)\n"
	"\n"
	"  clients:      name, phone, email, channel, notes, program, external_id\n"
	"  appointments: client, phone, email, service, provider, start, end, status,\n"
	"                notes, external_id\n";

/* Redraws of the progress bar per second, at most. */
#define PROGRESS_HZ 10
#define BAR_WIDTH 30

struct import_args {
	const char *file;
	struct import_options opt;
	struct import_map *maps;
	size_t nr_maps;
};

struct progress_bar {
	off_t size;         /* 0: unknown (a pipe) */
	double last;        /* when it was last drawn */
	int drawn;
};

static int add_map(struct import_args *a, const char *arg)
{
	struct appt_err err = { "" };
	struct import_map map;

	if (import_parse_map(a->opt.kind, arg, &map, &err))
		return cli_usage_error("%s", err.msg);
	a->maps = xreallocarray(a->maps, a->nr_maps + 1, sizeof(*a->maps));
	a->maps[a->nr_maps++] = map;
	return APPT_OK;
}

static void import_args_release(struct import_args *a)
{
	for (size_t i = 0; i < a->nr_maps; i++)
		import_map_release(&a->maps[i]);
	free(a->maps);
}

/*
 * The command line as import_run takes it; every error a usage error (64).
 * --map needs the kind, which only the first argument gives.  The caller
 * releases a whatever the result.
 */
static int read_args(const struct cmd_context *c, struct import_args *a)
{
	const struct strlist *maps = cmd_values(c, "map");
	int status = APPT_OK;

	memset(a, 0, sizeof(*a));
	a->opt.dry_run = cmd_given(c, "dry-run") > 0;
	a->opt.ignore_unknown = cmd_given(c, "ignore-unknown") > 0;
	a->opt.allow_overlap = cmd_given(c, "allow-overlap") > 0;
	a->opt.allow_duplicate = cmd_given(c, "allow-duplicate") > 0;
	if (import_parse_kind(c->argv[0], &a->opt.kind))
		return cli_usage_error("unknown kind '%s' (expected clients or appointments)",
				       c->argv[0]);
	a->file = c->argv[1];
	for (size_t i = 0; !status && i < maps->nr; i++)
		status = add_map(a, maps->items[i]);
	return status;
}

static int check(struct cmd_context *c)
{
	struct import_args a;
	int status = read_args(c, &a);

	import_args_release(&a);
	return status;
}

static double seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void draw_bar(const struct progress_bar *bar, const struct import_progress *p)
{
	if (bar->size > 0) {
		double done = (double)p->consumed / (double)bar->size;
		int fill = (int)(done * BAR_WIDTH);

		if (fill > BAR_WIDTH)
			fill = BAR_WIDTH;
		fprintf(stderr, "\rimporting [%.*s%*s] %3d%% %zu records", fill,
			"##############################", BAR_WIDTH - fill, "",
			(int)(done * 100), p->records);
	} else {
		fprintf(stderr, "\rimporting: %zu records", p->records);
	}
	fflush(stderr);
}

static void on_progress(const struct import_progress *p, void *data)
{
	struct progress_bar *bar = data;
	double now = seconds_now();

	if (bar->drawn && now - bar->last < 1.0 / PROGRESS_HZ)
		return;
	bar->last = now;
	bar->drawn = 1;
	draw_bar(bar, p);
}

static void clear_bar(const struct progress_bar *bar)
{
	if (bar->drawn)
		fputs("\r\033[K", stderr);
}

/* A progress bar only for a person watching: never in a log or a pipe. */
static void setup_progress(struct import_args *a, FILE *fp, struct progress_bar *bar)
{
	struct stat st;

	if (!isatty(STDERR_FILENO))
		return;
	if (!fstat(fileno(fp), &st) && S_ISREG(st.st_mode))
		bar->size = st.st_size;
	a->opt.progress = on_progress;
	a->opt.progress_data = bar;
}

static int open_input(const struct import_args *a, FILE **fp)
{
	struct stat st;

	if (!strcmp(a->file, "-")) {
		*fp = stdin;
		return APPT_OK;
	}
	*fp = fopen(a->file, "r");
	if (!*fp)
		return cli_error(APPT_NOINPUT, "cannot open '%s': %s", a->file, strerror(errno));
	/* fopen takes a directory; reading it would fail as an I/O error later. */
	if (!fstat(fileno(*fp), &st) && S_ISDIR(st.st_mode))
		return cli_error(APPT_NOINPUT, "cannot open '%s': %s", a->file, strerror(EISDIR));
	return APPT_OK;
}

static void print_errors(const struct import_result *res)
{
	for (size_t i = 0; i < res->errors.nr; i++)
		cli_error(APPT_DATAERR, "%s", res->errors.items[i]);
	if (res->nr_errors > res->errors.nr)
		cli_error(APPT_DATAERR, "\u2026 and %zu more errors",
			  res->nr_errors - res->errors.nr);
}

static void print_summary(const struct import_args *a, const struct import_result *res)
{
	printf("%sadded %zu, updated %zu, unchanged %zu", a->opt.dry_run ? "would have: " : "",
	       res->added, res->updated, res->unchanged);
	if (res->clients_added)
		printf("; new clients %zu", res->clients_added);
	putchar('\n');
}

static int import_file(struct appt_session *s, struct import_args *a, FILE *fp)
{
	struct import_result res = { 0 };
	struct progress_bar bar = { 0 };
	struct appt_err err = { "" };
	int status;

	setup_progress(a, fp, &bar);
	a->opt.name = strcmp(a->file, "-") ? a->file : "<stdin>";
	a->opt.maps = a->maps;
	a->opt.nr_maps = a->nr_maps;
	status = import_run(s, fp, &a->opt, &res, &err);
	clear_bar(&bar);
	print_errors(&res);
	if (status)
		cli_report(status, &err);
	else
		print_summary(a, &res);
	import_result_release(&res);
	return status;
}

static int run(struct cmd_context *c)
{
	struct import_args a;
	FILE *fp = NULL;
	int status = read_args(c, &a);

	if (!status)
		status = open_input(&a, &fp);
	if (!status)
		status = import_file(&c->s, &a, fp);
	if (fp && fp != stdin)
		fclose(fp);
	import_args_release(&a);
	return status;
}

static const struct cmd_option options[] = {
	{ "dry-run", 0, CMD_FLAG, NULL },
	{ "map", 0, CMD_VALUE, NULL },
	{ "ignore-unknown", 0, CMD_FLAG, NULL },
	{ "allow-overlap", 0, CMD_FLAG, NULL },
	{ "allow-duplicate", 0, CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

static const char *const complete_args[] = { "clients appointments", "@files -", NULL };

const struct command cmd_import = {
	.name = "import", .summary = "import clients or appointments from CSV",
	.usage = usage, .options = options, .min_args = 2, .max_args = 2,
	.complete_args = complete_args,
	.needs = CMD_NEEDS_DB, .check = check, .run = run,
};
