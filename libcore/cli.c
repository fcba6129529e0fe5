#include "cli.h"
#include "booking.h"
#include "outbox.h"
#include "via.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* NULL: the front end itself, whose messages say only "appt:" */
static const char *command_name;
static const char *command_usage = "";

void cli_start(const char *name, const char *usage)
{
	command_name = name;
	command_usage = usage;
	opterr = 0;
}

/*
 * Messages quote what they refuse (a name, a file's cell, a gateway's
 * stderr): text_for_terminal keeps an escape sequence in it from reaching
 * the terminal, and a message on one line.
 */
static void vprint(const char *kind, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	char *clean;

	strbuf_vaddf(&sb, fmt, ap);
	clean = text_for_terminal(strbuf_str(&sb));
	fprintf(stderr, "appt%s%s: %s%s\n", command_name ? " " : "", command_name ? command_name : "",
		kind, clean);
	free(clean);
	strbuf_release(&sb);
}

int cli_error(enum appt_status status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint("", fmt, ap);
	va_end(ap);
	return status;
}

int cli_report(enum appt_status status, const struct appt_err *err)
{
	if (status != APPT_OK)
		cli_error(status, "%s", err->msg[0] ? err->msg : appt_status_name(status));
	return status;
}

void cli_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint("warning: ", fmt, ap);
	va_end(ap);
}

int cli_help(void)
{
	printf("%s", command_usage);
	return cli_exit(APPT_OK);
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vprint("", fmt, ap);
		va_end(ap);
	}
	fprintf(stderr, "%s", command_usage);
	return APPT_USAGE;
}

int cli_bad_option(int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		return cli_usage_error("option '%s' needs a value", arg);
	if (optopt && !str_starts_with(arg, "--"))
		return cli_usage_error("unknown option '-%c'", optopt);
	return cli_usage_error("unknown option '%s'", arg);
}

int cli_open_session(struct appt_session *s, unsigned needs)
{
	struct strlist problems = STRLIST_INIT;
	struct appt_err err = { "" };
	enum appt_status status = session_open(s, needs, &problems, &err);

	if (status == APPT_CONFIG && problems.nr) {
		for (size_t i = 0; i < problems.nr; i++)
			cli_error(status, "%s", problems.items[i]);
	} else {
		cli_report(status, &err);
	}
	strlist_clear(&problems);
	return status;
}

int cli_exit(int status)
{
	/* errno is the failed flush's, or else still the failed write's */
	if (!fflush(stdout) && !ferror(stdout))
		return status;
	cli_error(APPT_IOERR, "cannot write output: %s", strerror(errno ? errno : EIO));
	return status ? status : APPT_IOERR;
}

int cli_check_args(int argc, char **argv, int min, int max)
{
	int n = argc - optind;

	if (n < min)
		return cli_usage_error("missing argument");
	if (max >= 0 && n > max)
		return cli_usage_error("unexpected argument '%s'", argv[optind + max]);
	return APPT_OK;
}

static int parse_positive(const char *arg, long long *out)
{
	char *end;
	long long v;

	if (!arg || !*arg || *arg == '-' || *arg == '+')
		return -1;
	errno = 0;
	v = strtoll(arg, &end, 10);
	if (errno || *end || v <= 0)
		return -1;
	*out = v;
	return 0;
}

int cli_parse_id(const char *arg, const char *what, long long *id)
{
	if (parse_positive(arg, id))
		return cli_error(APPT_DATAERR, "invalid %s id '%s' (expected a number)", what, arg);
	return APPT_OK;
}

int cli_parse_count(const char *arg, const char *option, int *out)
{
	long long v;

	if (parse_positive(arg, &v) || v > 100000)
		return cli_error(APPT_DATAERR, "invalid value '%s' for %s (expected a positive number)",
				 arg, option);
	*out = (int)v;
	return APPT_OK;
}

int cli_parse_via(const char **via, unsigned allowed)
{
	struct appt_err err = { "" };

	if (!*via)
		return APPT_OK;
	return cli_report(via_parse(*via, allowed, via, &err), &err);
}

int cli_read_formats(const struct strlist *names, enum output_format *format)
{
	int status = APPT_OK;

	*format = output_default_format();
	for (size_t i = 0; !status && i < names->nr; i++)
		status = cli_parse_format(names->items[i], format);
	return status;
}

int cli_parse_format(const char *arg, enum output_format *format)
{
	if (output_parse_format(arg, format))
		return cli_error(APPT_DATAERR,
				 "invalid value '%s' for --format (expected table, csv or json)", arg);
	return APPT_OK;
}

int cli_parse_time(const struct appt_session *s, const char *arg, time_t *out)
{
	struct appt_err err = { "" };

	return cli_report(when_parse_time(arg, s->now, out, &err), &err);
}

int cli_check_placement(const struct cli_placement *p)
{
	/* a walk-in may give neither: it starts now */
	if ((p->at && p->first_available) ||
	    (!p->at && !p->first_available && !p->may_start_now))
		return cli_usage_error("give exactly one of --at and --first-available");
	if (p->from && !p->first_available)
		return cli_usage_error("--from goes with --first-available");
	return cli_check_force(p->force, p->reason);
}

int cli_check_force(int force, const char *reason)
{
	struct appt_err err = { "" };

	if (session_force_reason(force, reason, &err))
		return cli_usage_error("%s", err.msg);
	return APPT_OK;
}

enum appt_status cli_parse_placement(const struct appt_session *s,
				     const struct cli_placement *p,
				     time_t *at, time_t *from, struct appt_err *err)
{
	enum appt_status status = APPT_OK;

	if (p->at)
		status = when_parse_time(p->at, s->now, at, err);
	if (!status && p->from)
		status = when_parse_time(p->from, s->now, from, err);
	return status;
}

static void print_held(long long message_id, time_t until)
{
	char when[40];

	when_format_local(until, when, sizeof(when));
	/* on stderr, as git's notes are: stdout stays the command's result (-q: the id) */
	fprintf(stderr, "appt %s: message #%lld waits for its sending window:"
		" appt remind sends it from %s\n", command_name, message_id, when);
}

void cli_send_notice(struct appt_session *s, long long message_id, int no_send)
{
	struct delivery_summary sum;
	struct appt_err err = { "" };

	if (!message_id || no_send)
		return;
	if (outbox_deliver_now(s, message_id, &sum, &err))
		cli_warning("message #%lld not sent now (%s); appt remind will retry it",
			    message_id, err.msg);
	else if (sum.failed)
		cli_warning("message #%lld not sent now; appt remind will retry it", message_id);
	else if (sum.deferred)
		print_held(message_id, sum.held_until);
}

void cli_put_line(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	char *clean;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	clean = text_for_terminal(strbuf_str(&sb));
	puts(clean);
	free(clean);
	strbuf_release(&sb);
}

void cli_put_field(int width, const char *label, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	cli_put_line("%-*s %s", width, label, sb.buf);
	strbuf_release(&sb);
}

void cli_put_text(int width, const char *label, const char *value)
{
	if (value && *value)
		cli_put_field(width, label, "%s", value);
}
