/*
 * command: one descriptor per command, and the one path every command runs
 * through (tmux's cmd_entry, git's builtins table, notmuch's mode flags).
 *
 * A command is data: its name, one-line summary, usage text, the options it
 * takes, how many arguments, what it needs opened (the configuration, the
 * database), and the function that does its work.  command_main() parses
 * the options from that table, answers --help, checks the argument count,
 * opens the session, runs, and maps the status to the exit code after
 * checking that stdout was written.  A family (client, block, config) is
 * a command whose subcommands are descriptors one level down.
 *
 * The same tables answer the shell completions (complete.h): no option
 * list is written twice.  Like cli, this module prints.
 */
#ifndef APPT_COMMAND_H
#define APPT_COMMAND_H

#include <stddef.h>

#include "session.h"

enum cmd_arg {
	CMD_FLAG,     /* --quiet */
	CMD_VALUE,    /* --client C */
	CMD_OPTIONAL, /* --retry-uncertain[=ID] */
};

struct cmd_option {
	const char *name;     /* the long name; NULL ends a table */
	char short_name;      /* 'q', or 0 */
	enum cmd_arg arg;
	/*
	 * What completes the value, for the shell: words ("table csv json"),
	 * the @words of complete.h ("@clients"), or "@list" and the words of
	 * a comma-separated list.  NULL: nothing.
	 */
	const char *complete;
};

enum cmd_needs {
	CMD_NEEDS_NOTHING = 0,
	CMD_NEEDS_CONFIG = 1, /* the configuration, loaded and valid */
	CMD_NEEDS_DB = 2,     /* the existing database (and the configuration) */
	CMD_NEEDS_INIT = 4,   /* the database, created or migrated (init) */
	CMD_NEEDS_OLD_DB = 8, /* with CMD_NEEDS_DB: an older schema too, as it is (backup) */
	/*
	 * With CMD_NEEDS_DB: the command only reads, and all it reads is one
	 * moment's (a record and its history): run is inside one read
	 * transaction, which the library's own reads join.
	 */
	CMD_NEEDS_SNAPSHOT = 16,
};

enum cmd_flags {
	CMD_TEXT_LAST = 1,  /* options stop at the first argument: TEXT... may start with '-' */
	CMD_DEFAULT_SUB = 2,/* a family run with options first runs its first subcommand */
	/*
	 * In a family: an option of another subcommand is refused as not
	 * applying to this one ("option '--reason' does not apply to 'appt
	 * client list'"), rather than as unknown.
	 */
	CMD_SIBLING_OPTIONS = 4,
	/*
	 * In a family whose options take no value (config): options may come
	 * before the subcommand's name, and every subcommand accepts (and
	 * ignores) the options of the others, as one getopt loop over the
	 * whole line did.
	 */
	CMD_OPTIONS_ANYWHERE = 8,
	/*
	 * A family given an id first (a word starting with a digit) runs its
	 * first subcommand on it: `appt invoice 12` issues, as `appt invoice
	 * list` lists.
	 */
	CMD_ID_SUB = 16,
};

struct cmd_context;

struct command {
	const char *name;
	const char *summary;   /* one line, for `appt` */
	const char *usage;     /* what --help prints: usage lines, then details */
	const struct cmd_option *options; /* NULL or ended by a NULL name */
	int min_args, max_args;           /* positional arguments; max -1: any */
	/*
	 * What completes each positional argument, for the shell, the first
	 * at [0], in cmd_option.complete's words ("clients appointments",
	 * "@files -"); ended by NULL.  NULL: nothing.
	 */
	const char *const *complete_args;
	unsigned needs;                   /* enum cmd_needs */
	unsigned flags;                   /* enum cmd_flags */
	/*
	 * What the table cannot say about the command line (one of two
	 * options, a value's syntax), checked before anything is opened, so
	 * that a usage error is 64 whatever the state of the files.  May be
	 * NULL.  Returns an exit status (APPT_OK to go on).
	 */
	int (*check)(struct cmd_context *c);
	int (*run)(struct cmd_context *c);
	/* A family: its subcommands, and how an unknown one is refused. */
	const struct command *subcommands;
	size_t nr_subcommands;
	/*
	 * A family's own words for a missing subcommand (name NULL) or an
	 * unknown one; returns the exit status.  NULL: "missing subcommand",
	 * and "unknown subcommand" with the closest name.
	 */
	int (*refuse)(const struct command *family, const char *name);
};

/* What one run has: the command, what the command line said, the session. */
struct cmd_context {
	const struct command *cmd;     /* the subcommand, in a family */
	const struct command *family;  /* NULL, or the family cmd belongs to */
	char **argv;                   /* the positional arguments */
	int argc;
	struct appt_session s;         /* open as needs asked */
	/* what is opened: cmd->needs, unless check said otherwise (report --list) */
	unsigned needs;
	/* private: option values by index into cmd->options */
	const char **values;
	int *counts;
	struct strlist *repeated;
};

/* The value of --name (the last one given), or NULL when not given. */
const char *cmd_value(const struct cmd_context *c, const char *name);
/* How many times --name was given (0: not given). */
int cmd_given(const struct cmd_context *c, const char *name);
/* Every value of a repeatable option, in the order given. */
const struct strlist *cmd_values(const struct cmd_context *c, const char *name);

/*
 * Runs cmd with argv (argv[0] its name): the whole of a command's main.
 * Returns the exit status.
 */
int command_main(const struct command *cmd, int argc, char **argv);

/* The subcommand NAME of a family, or NULL. */
const struct command *command_find_sub(const struct command *family, const char *name);

#endif
