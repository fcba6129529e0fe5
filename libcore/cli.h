/*
 * cli: the command-line surface the subcommands share.  This is the one
 * libcore module that prints: errors as "appt NAME: message" on stderr,
 * usage text, and the final check that stdout was written.
 *
 * A command's main() is: cli_start(), a getopt_long loop (optstring starting
 * with ':' so a missing value is reported as such), one libcore call, then
 * return cli_exit(status).
 */
#ifndef APPT_CLI_H
#define APPT_CLI_H

#include <getopt.h>
#include <time.h>

#include "session.h"
#include "util.h"

/* Records the command name (for messages) and its usage text. */
void cli_start(const char *name, const char *usage);
const char *cli_name(void);

/* Prints "appt NAME: message" and returns status. */
int cli_error(enum appt_status status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints err's message and returns status (nothing for APPT_OK). */
int cli_report(enum appt_status status, const struct appt_err *err);
void cli_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints the usage text on stdout; returns 0. */
int cli_help(void);
/* Prints the message (when fmt is not NULL) and the usage on stderr; returns 64. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* For getopt's '?' and ':': names the unknown option or the missing value. */
int cli_bad_option(int c, char **argv);

/*
 * Opens the session, printing every configuration problem (one per line)
 * or the error.  Returns the status to exit with.
 */
int cli_open_session(struct appt_session *s, unsigned needs);

/* Flushes stdout; a write error there turns success into 74. */
int cli_exit(int status);

/* Checks that argv[optind..] holds between min and max (-1: any) arguments. */
int cli_check_args(int argc, char **argv, int min, int max);

/* A positive integer id (appointment, message, block); 65 and a message otherwise. */
int cli_parse_id(const char *arg, const char *what, long long *id);
/* A positive integer option value (--count, --days). */
int cli_parse_count(const char *arg, const char *option, int *out);
/* A time argument / --date, reporting bad input as 65 on stderr. */
int cli_parse_time(const struct appt_session *s, const char *arg, time_t *out);

/*
 * Where a booking goes, as book and reschedule take it: --at TIME, or
 * --first-available [--from TIME], with --force needing --reason.
 */
struct cli_placement {
	const char *at;
	const char *from;
	int first_available;
	int force;
	const char *reason;
};

/* The combinations getopt cannot express; 64 with a message. */
int cli_check_placement(const struct cli_placement *p);
/* Parses --at / --from (day words need the session's clock); 65 when bad. */
int cli_parse_placement(const struct appt_session *s, const struct cli_placement *p,
			time_t *at, time_t *from);

/* Whether stdout/stderr should carry colour: a terminal and no NO_COLOR. */
int cli_color(void);

#endif
