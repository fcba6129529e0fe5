/*
 * appt: the one binary, as git's.  It parses the global options, exports
 * them as APPT_CONFIG and APPT_DB, and runs a command of its table
 * in-process (command_main); called as appt-NAME (a link in libexec) it
 * runs NAME.  Any other COMMAND is appt-COMMAND found next to this binary,
 * then in the libexec directory, then on PATH, which replaces this process
 * (execv), so its exit status is appt's own.  "appt help CMD" shows the
 * command's man page.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "command.h"
#include "complete.h"
#include "util.h"
#include "version.h"

#ifndef APPT_LIBEXECDIR
#define APPT_LIBEXECDIR "/usr/local/libexec/appt"
#endif
#ifndef APPT_MANDIR
#define APPT_MANDIR "/usr/local/share/man"
#endif

#define CMD_PREFIX "appt-"
/*
 * A command is suggested when it is this close to the typed name, or when
 * at most half the typed letters are wrong ("nosuch" -> "noshow").
 */
#define SUGGEST_MAX_DISTANCE 2

static const char usage_line[] =
	"usage: appt [--config FILE] [--db FILE] [--version] [-h|--help] "
	"COMMAND [ARGS...]";

/*
 * The commands, in the order "appt" lists them: the desk's day.  Each is
 * one descriptor (libcore/command.h) in cmd/NAME.c; this list is the one
 * place a command is registered.
 */
#define COMMANDS(X)                                                           \
	X(init) X(config) X(client) X(slots) X(book) X(request) X(reschedule) X(cancel)  \
	X(noshow) X(confirm) X(checkin) X(start) X(done) X(invoice) X(pay) X(fee) X(undo) X(list) \
	X(show) X(block) X(waitlist) X(remind) X(log) X(report) X(import) X(export)       \
	X(backup) X(db) X(serve)

#define DECLARE(name) extern const struct command cmd_##name;
#define ADDRESS(name) &cmd_##name,
COMMANDS(DECLARE)

/* help is the front end's own (it runs man), described for the listing and completion. */
static const char *const help_args[] = { "@commands", NULL };
static const struct command cmd_help_entry = {
	.name = "help", .summary = "show the manual of a command",
	.max_args = 1, .complete_args = help_args,
};

static const struct command *const commands[] = { COMMANDS(ADDRESS) &cmd_help_entry };

#define COMMANDS_NR (sizeof(commands) / sizeof(commands[0]))

/* The command NAME appt holds, help included, or NULL. */
static const struct command *find_known(const char *name)
{
	for (size_t i = 0; i < COMMANDS_NR; i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

/* The command NAME that appt runs through command_main, or NULL. */
static const struct command *builtin(const char *name)
{
	const struct command *cmd = find_known(name);

	return cmd != &cmd_help_entry ? cmd : NULL;
}

struct frontend {
	char *self_dir;      /* the directory holding this binary, or NULL */
	struct strlist dirs; /* where appt-NAME is looked up, in order */
};

enum action {
	ACTION_RUN,
	ACTION_LIST,
	ACTION_LIST_NAMES,
	ACTION_COMPLETE,
	ACTION_VERSION,
	ACTION_USAGE_ERROR,
};

/* Reports a bad command line, with the usage line; returns 64. */
__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("appt: ", stderr);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n%s\n", usage_line);
	va_end(ap);
	return APPT_USAGE;
}

/* The directory holding the running binary (owned), or NULL if unknown. */
static char *find_self_dir(const char *argv0)
{
	char *path = realpath("/proc/self/exe", NULL);
	char *slash;

	if (!path && argv0 && strchr(argv0, '/'))
		path = realpath(argv0, NULL);
	if (!path)
		return NULL;
	slash = strrchr(path, '/');
	if (slash == path)
		slash[1] = '\0';
	else
		*slash = '\0';
	return path;
}

/* Appends the PATH entries; an empty entry means the current directory. */
static void push_path_dirs(struct strlist *dirs)
{
	const char *path = getenv("PATH");
	const char *p, *end;

	if (!path)
		return;
	for (p = path;; p = end + 1) {
		char *dir;

		end = strchrnul(p, ':');
		dir = end == p ? xstrdup(".") : xstrndup(p, (size_t)(end - p));
		strlist_push(dirs, dir);
		free(dir);
		if (!*end)
			break;
	}
}

static void frontend_init(struct frontend *fe, const char *argv0)
{
	struct strlist dirs = STRLIST_INIT;

	fe->self_dir = find_self_dir(argv0);
	if (fe->self_dir)
		strlist_push(&dirs, fe->self_dir);
	strlist_push(&dirs, APPT_LIBEXECDIR);
	push_path_dirs(&dirs);
	fe->dirs = dirs;
}

static void frontend_release(struct frontend *fe)
{
	free(fe->self_dir);
	strlist_clear(&fe->dirs);
}

/* Whether NAME is the front end's own command (help), run by no descriptor. */
static int is_builtin(const char *name)
{
	return find_known(name) == &cmd_help_entry;
}

/* A command name must stay a file name: no path, nothing hidden. */
static int valid_name(const char *name)
{
	return *name && *name != '.' && !strchr(name, '/');
}

static int is_runnable(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

/* Adds the NAME of every runnable appt-NAME in dir not already in names. */
static void collect_dir(const char *dir, struct strlist *names)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		const char *name = de->d_name + strlen(CMD_PREFIX);
		char *path;

		if (!str_starts_with(de->d_name, CMD_PREFIX) ||
		    !valid_name(name) || strlist_has(names, name))
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (is_runnable(path))
			strlist_push(names, name);
		free(path);
	}
	closedir(d);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every available command: appt's own and each appt-NAME found, sorted. */
static void collect_commands(const struct frontend *fe, struct strlist *names)
{
	for (size_t i = 0; i < COMMANDS_NR; i++)
		strlist_push(names, commands[i]->name);
	for (size_t i = 0; i < fe->dirs.nr; i++)
		collect_dir(fe->dirs.items[i], names);
	qsort(names->items, names->nr, sizeof(*names->items), compare_names);
}

static int list_names(const struct frontend *fe)
{
	struct strlist names = STRLIST_INIT;

	collect_commands(fe, &names);
	for (size_t i = 0; i < names.nr; i++)
		puts(names.items[i]);
	strlist_clear(&names);
	return cli_exit(APPT_OK);
}

/* The width of the longest known command present, for the summary column. */
static int known_width(const struct strlist *names)
{
	size_t width = 0;

	for (size_t i = 0; i < COMMANDS_NR; i++)
		if (strlen(commands[i]->name) > width && strlist_has(names, commands[i]->name))
			width = strlen(commands[i]->name);
	return (int)width;
}

static void print_known(const struct strlist *names)
{
	int width = known_width(names);

	printf("\ncommands:\n");
	for (size_t i = 0; i < COMMANDS_NR; i++)
		if (strlist_has(names, commands[i]->name))
			printf("   %-*s  %s\n", width, commands[i]->name, commands[i]->summary);
}

static void print_others(const struct strlist *names)
{
	int header = 0;

	for (size_t i = 0; i < names->nr; i++) {
		if (find_known(names->items[i]))
			continue;
		if (!header++)
			printf("\nother commands:\n");
		printf("   %s\n", names->items[i]);
	}
}

/* "appt" alone: the usage line and the commands available here. */
static int list_commands(const struct frontend *fe)
{
	struct strlist names = STRLIST_INIT;

	collect_commands(fe, &names);
	puts(usage_line);
	print_known(&names);
	print_others(&names);
	printf("\nSee 'appt help COMMAND' for the manual of a command.\n");
	strlist_clear(&names);
	return cli_exit(APPT_OK);
}

static int close_enough(const char *name, size_t distance)
{
	return distance <= SUGGEST_MAX_DISTANCE || distance * 2 <= strlen(name);
}

/*
 * Prints, on a line of its own, the closest commands to name when any is
 * close enough, else where the list of commands is.
 */
static void suggest(const struct frontend *fe, const char *name)
{
	struct strlist names = STRLIST_INIT;
	size_t best = (size_t)-1;
	const char *sep = "appt: did you mean ";

	collect_commands(fe, &names);
	for (size_t i = 0; i < names.nr; i++) {
		size_t d = edit_distance(name, names.items[i]);
		if (d < best)
			best = d;
	}
	if (!names.nr || !close_enough(name, best)) {
		fputs("appt: run 'appt help' for the list of commands\n", stderr);
		strlist_clear(&names);
		return;
	}
	for (size_t i = 0; i < names.nr; i++) {
		if (edit_distance(name, names.items[i]) != best)
			continue;
		fprintf(stderr, "%s'%s'", sep, names.items[i]);
		sep = " or ";
	}
	fputs("?\n", stderr);
	strlist_clear(&names);
}

static int unknown_command(const struct frontend *fe, const char *name)
{
	fprintf(stderr, "appt: '%s' is not an appt command\n", name);
	suggest(fe, name);
	return APPT_USAGE;
}

/*
 * Runs appt-NAME, NAME being argv[0], with argv[1...] as its arguments; the
 * child sees the found path as its argv[0].  Returns only on failure.  Like execvp, a file that cannot be executed is
 * remembered and the search goes on; it is reported if nothing else runs.
 */
static int run_command(const struct frontend *fe, int argc, char **argv)
{
	const char *name = argv[0];
	const struct command *cmd = builtin(name);
	int failure = ENOENT;

	if (cmd)
		return command_main(cmd, argc, argv);
	if (!valid_name(name) || is_builtin(name))
		return unknown_command(fe, name);
	for (size_t i = 0; i < fe->dirs.nr; i++) {
		char *path = xasprintf("%s/" CMD_PREFIX "%s", fe->dirs.items[i], name);
		int err;

		argv[0] = path;
		execv(path, argv);
		err = errno;
		argv[0] = (char *)name;
		free(path);
		if (err == ENOENT || err == ENOTDIR)
			continue;
		failure = err;
		if (err != EACCES)
			break;
	}
	if (failure == ENOENT)
		return unknown_command(fe, name);
	fprintf(stderr, "appt: cannot run '" CMD_PREFIX "%s': %s\n", name,
		strerror(failure));
	return APPT_IOERR;
}

/* path as a regular file's canonical name (owned), or NULL. */
static char *existing_file(const char *path)
{
	char *real = realpath(path, NULL);
	struct stat st;

	if (real && !stat(real, &st) && S_ISREG(st.st_mode))
		return real;
	free(real);
	return NULL;
}

/*
 * The man page PAGE(1) (owned), installed under APPT_MANDIR or in the
 * build tree's man/ (build/bin/appt -> man/), or NULL.
 */
static char *find_page(const struct frontend *fe, const char *page)
{
	char *candidates[3] = { NULL, NULL, NULL };
	char *found = NULL;

	candidates[0] = xasprintf("%s/man1/%s.1", APPT_MANDIR, page);
	candidates[1] = xasprintf("%s/man1/%s.1.gz", APPT_MANDIR, page);
	if (fe->self_dir)
		candidates[2] = xasprintf("%s/../../man/%s.1", fe->self_dir, page);
	for (size_t i = 0; i < 3; i++) {
		if (!found && candidates[i])
			found = existing_file(candidates[i]);
		free(candidates[i]);
	}
	return found;
}

/* Runs "man -l page"; returns (the errno) only when man cannot be run. */
static int show_page(char *page)
{
	char *argv[] = { "man", "-l", page, NULL };

	fflush(stdout);
	execvp(argv[0], argv);
	return errno;
}

/* Whether appt-NAME exists somewhere on the search path. */
static int command_exists(const struct frontend *fe, const char *name)
{
	int found = 0;

	for (size_t i = 0; !found && i < fe->dirs.nr; i++) {
		char *path = xasprintf("%s/" CMD_PREFIX "%s", fe->dirs.items[i], name);
		found = !access(path, F_OK);
		free(path);
	}
	return found;
}

/* "appt help NAME": the man page, else "appt-NAME --help". */
static int help_command(const struct frontend *fe, const char *name)
{
	char *page_name, *page;
	char help_opt[] = "--help";
	char *argv[] = { (char *)name, help_opt, NULL };
	int exists, err;

	if (!valid_name(name))
		return unknown_command(fe, name);
	page_name = xasprintf(CMD_PREFIX "%s", name);
	page = find_page(fe, page_name);
	free(page_name);
	exists = builtin(name) || command_exists(fe, name);
	if (!page && !exists)
		return unknown_command(fe, name);
	if (!page)
		return run_command(fe, 2, argv);
	err = show_page(page);
	free(page);
	if (exists)
		return run_command(fe, 2, argv);
	fprintf(stderr, "appt: cannot run 'man': %s\n", strerror(err));
	return APPT_IOERR;
}

static int cmd_help(const struct frontend *fe, int argc, char **argv)
{
	char *page;

	if (argc > 2) {
		fputs("usage: appt help [COMMAND]\n", stderr);
		return APPT_USAGE;
	}
	if (argc < 2)
		return list_commands(fe);
	if (strcmp(argv[1], "appt") && !is_builtin(argv[1]))
		return help_command(fe, argv[1]);
	page = find_page(fe, "appt");
	if (page)
		show_page(page);
	free(page);
	return list_commands(fe);
}

/*
 * Handles "--OPT FILE" and "--OPT=FILE" at argv[*i], exporting FILE as var.
 * Returns 1 when taken, 0 when argv[*i] is another option, -1 on error.
 */
static int take_file_option(int argc, char **argv, int *i, const char *opt,
			    const char *var)
{
	size_t len = strlen(opt);
	const char *arg = argv[*i], *value;

	if (strncmp(arg, opt, len) || (arg[len] && arg[len] != '='))
		return 0;
	if (arg[len] == '=')
		value = arg + len + 1;
	else
		value = ++*i < argc ? argv[*i] : NULL;
	if (!value || !*value) {
		usage_error("option '%s' requires a file name", opt);
		return -1;
	}
	if (setenv(var, value, 1)) {
		fprintf(stderr, "appt: cannot set %s: %s\n", var, strerror(errno));
		return -1;
	}
	return 1;
}

/* Parses the global options; *cmd is set to the index of COMMAND. */
static enum action parse_options(int argc, char **argv, int *cmd)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *arg = argv[i];
		int taken = take_file_option(argc, argv, &i, "--config", "APPT_CONFIG");

		if (!taken)
			taken = take_file_option(argc, argv, &i, "--db", "APPT_DB");
		if (taken < 0)
			return ACTION_USAGE_ERROR;
		if (taken)
			continue;
		if (!strcmp(arg, "--")) {
			i++;
			break;
		}
		if (!strcmp(arg, "--version"))
			return ACTION_VERSION;
		if (!strcmp(arg, "-h") || !strcmp(arg, "--help"))
			return ACTION_LIST;
		if (!strcmp(arg, "--list-commands"))
			return ACTION_LIST_NAMES;
		if (!strcmp(arg, "--complete")) {
			*cmd = i + 1;
			return ACTION_COMPLETE;
		}
		usage_error("unknown option '%s'", arg);
		return ACTION_USAGE_ERROR;
	}
	*cmd = i;
	return i < argc ? ACTION_RUN : ACTION_LIST;
}

/*
 * "appt --complete QUESTION...": what the shell completions offer, read
 * from the descriptors (complete.h), help among them.
 */
static int complete(int nwords, char **words)
{
	return cli_exit(complete_query(commands, COMMANDS_NR, nwords, words));
}

static int dispatch(const struct frontend *fe, int argc, char **argv)
{
	int cmd = 0;

	switch (parse_options(argc, argv, &cmd)) {
	case ACTION_VERSION:
		printf("appt %s\n", APPT_VERSION);
		return cli_exit(APPT_OK);
	case ACTION_LIST:
		return list_commands(fe);
	case ACTION_COMPLETE:
		return complete(argc - cmd, argv + cmd);
	case ACTION_LIST_NAMES:
		return list_names(fe);
	case ACTION_USAGE_ERROR:
		return APPT_USAGE;
	case ACTION_RUN:
		break;
	}
	if (!strcmp(argv[cmd], "help"))
		return cmd_help(fe, argc - cmd, argv + cmd);
	return run_command(fe, argc - cmd, argv + cmd);
}

/*
 * Called as appt-NAME (a link install puts in libexec, for scripts that
 * call a command directly): the built-in command NAME, or NULL.
 */
static const struct command *called_as(const char *argv0)
{
	const char *base = argv0 ? strrchr(argv0, '/') : NULL;

	base = base ? base + 1 : argv0;
	if (!base || !str_starts_with(base, CMD_PREFIX))
		return NULL;
	return builtin(base + strlen(CMD_PREFIX));
}

int main(int argc, char **argv)
{
	const struct command *cmd = argc > 0 ? called_as(argv[0]) : NULL;
	struct frontend fe;
	int status;

	if (cmd) {
		argv[0] = (char *)cmd->name;
		return command_main(cmd, argc, argv);
	}
	frontend_init(&fe, argc > 0 ? argv[0] : NULL);
	status = argc > 0 ? dispatch(&fe, argc, argv) : APPT_USAGE;
	frontend_release(&fe);
	return status;
}
