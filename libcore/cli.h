/*
 * cli: the command-line surface the commands share, and where libcore
 * prints for them: errors as "appt NAME: message" on stderr, usage text,
 * and the final check that stdout was written.  (command and complete,
 * which answer --help and the completions, and state_command, the run
 * confirm, checkin, start and done share, print too; no other module does.)
 *
 * command.c runs every command through it (cli_start, the option parse,
 * cli_open_session, cli_exit); a command's own code uses the parsers and
 * reporters below for what its descriptor cannot say.
 */
#ifndef APPT_CLI_H
#define APPT_CLI_H

#include <getopt.h>
#include <time.h>

#include "output.h"
#include "session.h"
#include "util.h"

/* Records the command name (for messages) and its usage text. */
void cli_start(const char *name, const char *usage);

/* Prints "appt NAME: message" and returns status. */
int cli_error(enum appt_status status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints err's message and returns status (nothing for APPT_OK). */
int cli_report(enum appt_status status, const struct appt_err *err);
void cli_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A line of a record shown whole (appt show, appt request show), through
 * text_for_terminal: what was typed is stored as typed, and must not drive
 * the terminal that shows it.
 */
void cli_put_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "label:       value", the label padded to width. */
void cli_put_field(int width, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same for a plain value; a field with nothing to say is left out. */
void cli_put_text(int width, const char *label, const char *value);

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
/*
 * A --via value (NULL: not given) as one of the words of allowed (via.h):
 * *via becomes the canonical word; 65 and a message naming the words
 * allowed takes otherwise.
 */
int cli_parse_via(const char **via, unsigned allowed);
/* A --format value: table, csv or json; 65 and a message otherwise. */
int cli_parse_format(const char *arg, enum output_format *format);
/*
 * Every --format given (a command's cmd_values), each checked as it was
 * read; the last one counts, and none given is output_default_format().
 */
int cli_read_formats(const struct strlist *names, enum output_format *format);
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
	int may_start_now; /* neither --at nor --first-available: now (a walk-in) */
};

/* --force without --reason: 64 with the message and the usage. */
int cli_check_force(int force, const char *reason);

/* The combinations getopt cannot express; 64 with a message. */
int cli_check_placement(const struct cli_placement *p);
/*
 * Parses --at / --from (day words need the session's clock); APPT_DATAERR
 * with the message in err when one is bad.
 */
enum appt_status cli_parse_placement(const struct appt_session *s,
				     const struct cli_placement *p,
				     time_t *at, time_t *from, struct appt_err *err);

/*
 * After a lifecycle change has committed: delivers the notice it queued
 * (message_id, 0 for none) unless no_send.  A failed delivery is only a
 * warning — the change stands, the message stays queued, appt remind
 * retries it.
 */
void cli_send_notice(struct appt_session *s, long long message_id, int no_send);

#endif
