/*
 * appt remind: the cron entry point.  Queues every reminder, confirmation
 * deadline, follow-up and program outreach step now due, and delivers what
 * is pending.  Safe to run as often as cron likes: every message has a
 * unique key, and a lock keeps two runs from overlapping.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "command.h"
#include "outbox.h"
#include "upkeep.h"

static const char usage[] =
	"usage: appt remind [--dry-run] [--only KIND[,KIND...]] [--retry-uncertain[=ID]] [-v]\n"
	"   or: appt remind --mark-sent ID\n"
	"\n"
	"  --dry-run          show what would be queued and sent; change nothing\n"
	"  --only KIND        reminders, deadlines, followups, outreach, delivery\n"
	"                     (sending what is pending), holds (releasing lapsed ones),\n"
	"                     waitlist (offering freed slots) or requests (calls for\n"
	"                     overdue ones); repeatable, or comma-separated\n"
	"  --retry-uncertain[=ID]  send again the messages (or message ID) a dead run\n"
	"                     left uncertain\n"
	"  --mark-sent ID     settle uncertain message ID as delivered (it did arrive)\n"
	"  -v, --verbose      a line for every message sent or task created\n"
	"\n"
	"Prints one summary line: sent N, failed N, call tasks N, skipped N.\n"
	"Exits 69 when a delivery failed or a message is uncertain.\n";

static const struct {
	const char *name;
	unsigned bit;
} kinds[] = {
	{ "reminders", REMIND_REMINDERS }, { "deadlines", REMIND_DEADLINES },
	{ "followups", REMIND_FOLLOWUPS }, { "outreach", REMIND_OUTREACH },
	{ "delivery", REMIND_DELIVERY }, { "holds", REMIND_HOLDS },
	{ "waitlist", REMIND_WAITLIST }, { "requests", REMIND_REQUESTS },
};

static int parse_only(const char *arg, unsigned *only)
{
	char *copy = xstrdup(arg), *save = NULL;
	int status = APPT_OK;

	for (char *k = strtok_r(copy, ",", &save); k && !status; k = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (!strcmp(k, kinds[i].name))
				break;
		if (i == sizeof(kinds) / sizeof(kinds[0]))
			status = cli_error(APPT_DATAERR, "invalid value '%s' for --only (expected "
					   "reminders, deadlines, followups, outreach, delivery, holds, waitlist"
					   " or requests)", k);
		else
			*only |= kinds[i].bit;
	}
	free(copy);
	return status;
}

static volatile sig_atomic_t stop_requested;

static void request_stop(int sig)
{
	stop_requested = sig;
}

/*
 * ^C or a service manager's SIGTERM ends the run after the message in
 * flight (finished and recorded, or given back unsent): a message is never
 * left uncertain by a clean stop.
 */
static void stop_on_signals(void)
{
	struct sigaction sa = { .sa_handler = request_stop };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

struct printer {
	int verbose;
};

/* Problems always reach the log cron mails; the rest only when asked. */
static void print_line(const char *line, void *data)
{
	const struct printer *p = data;

	if (str_starts_with(line, "failed") || str_starts_with(line, "uncertain"))
		fprintf(stderr, "appt remind: %s\n", line);
	else if (p->verbose || str_starts_with(line, "would "))
		printf("%s\n", line);
}

/*
 * Every --only given, each a comma-separated list: the kinds add up, and
 * the first bad one is the error (65).  None given: every kind.
 */
static int read_only(const struct strlist *values, unsigned *only)
{
	int status = APPT_OK;

	for (size_t i = 0; !status && i < values->nr; i++)
		status = parse_only(values->items[i], only);
	if (!*only)
		*only = REMIND_ALL;
	return status;
}

/* Every message ID an option was given, checked (65); the last one counts. */
static int read_id(const struct strlist *values, long long *id)
{
	int status = APPT_OK;

	for (size_t i = 0; !status && i < values->nr; i++)
		status = cli_parse_id(values->items[i], "message", id);
	return status;
}

struct remind_args {
	struct printer printer;
	struct remind_options o;
	long long mark_sent;
};

/*
 * The command line as outbox_remind takes it, checked before anything is
 * opened.  A line with two bad values reports --only's first, then
 * --retry-uncertain's, then --mark-sent's, whatever their order.
 */
static int read_args(const struct cmd_context *c, struct remind_args *a)
{
	int status;

	memset(a, 0, sizeof(*a));
	a->printer.verbose = cmd_given(c, "verbose") > 0;
	a->o = (struct remind_options){ .report = print_line, .data = &a->printer,
					.stop = &stop_requested, .upkeep = remind_upkeep };
	a->o.dry_run = cmd_given(c, "dry-run") > 0;
	a->o.retry_uncertain = cmd_given(c, "retry-uncertain") > 0;
	status = read_only(cmd_values(c, "only"), &a->o.only);
	if (!status)
		status = read_id(cmd_values(c, "retry-uncertain"), &a->o.retry_id);
	if (!status)
		status = read_id(cmd_values(c, "mark-sent"), &a->mark_sent);
	return status;
}

static int check(struct cmd_context *c)
{
	struct remind_args a;

	return read_args(c, &a);
}

/*
 * What the run did before a time was final, after the summary's four
 * counts, and only when it did something: "; holds released 1, waitlist
 * offers 1, overdue requests 2".
 */
static void print_upkeep(const struct delivery_summary *sum)
{
	const struct { const char *what; int n; } parts[] = {
		{ "holds released", sum->expired }, { "waitlist offers", sum->offered },
		{ "overdue requests", sum->overdue },
	};
	const char *sep = "; ";

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (!parts[i].n)
			continue;
		printf("%s%s %d", sep, parts[i].what, parts[i].n);
		sep = ", ";
	}
}

static int summarise(const struct remind_options *o, const struct delivery_summary *sum)
{
	if (sum->another_run) {
		printf("another appt remind is running; this run did nothing\n");
		return APPT_OK;
	}
	if (o->dry_run) {
		printf("dry run: would send %d, call tasks %d, skipped %d", sum->sent, sum->tasks,
		       sum->skipped);
		print_upkeep(sum);
		printf("; nothing changed\n");
		return APPT_OK;
	}
	printf("sent %d, failed %d, call tasks %d, skipped %d", sum->sent, sum->failed,
	       sum->tasks, sum->skipped);
	print_upkeep(sum);
	putchar('\n');
	if (stop_requested)
		cli_warning("stopped by %s: what is left waits for the next run",
			    stop_requested == SIGTERM ? "SIGTERM" : "SIGINT");
	if (sum->uncertain)
		cli_warning("%d message%s uncertain: see appt report messages, then"
			    " appt remind --retry-uncertain", sum->uncertain,
			    sum->uncertain == 1 ? " is" : "s are");
	return (sum->failed || sum->uncertain) ? APPT_UNAVAILABLE : APPT_OK;
}

static int settle_sent(struct appt_session *s, long long id)
{
	struct appt_err err = { "" };
	int status = cli_report(outbox_settle_uncertain(s, id, 1, &err), &err);

	if (!status)
		printf("marked message #%lld sent\n", id);
	return status;
}

static int remind(struct appt_session *s, const struct remind_options *o)
{
	struct delivery_summary sum = { 0 };
	struct appt_err err = { "" };
	int status;

	stop_on_signals();
	status = cli_report(outbox_remind(s, o, &sum, &err), &err);
	return status ? status : summarise(o, &sum);
}

static int run(struct cmd_context *c)
{
	struct remind_args a;
	int status = read_args(c, &a);

	if (status)
		return status;
	return a.mark_sent ? settle_sent(&c->s, a.mark_sent) : remind(&c->s, &a.o);
}

/*
 * --retry-uncertain takes its ID only after '=' (getopt's optional
 * argument), so "--retry-uncertain 12" is an unexpected argument, as before.
 * --only takes its kinds as a comma-separated list too, which a word list
 * cannot say: appt.bash completes each kind after those already typed.
 */
static const struct cmd_option options[] = {
	{ "dry-run", 0, CMD_FLAG, NULL },
	{ "only", 0, CMD_VALUE, "@list reminders deadlines followups outreach delivery" },
	{ "retry-uncertain", 0, CMD_OPTIONAL, NULL },
	{ "mark-sent", 0, CMD_VALUE, NULL },
	{ "verbose", 'v', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

const struct command cmd_remind = {
	.name = "remind", .summary = "send due reminders and follow-ups (cron)",
	.usage = usage, .options = options, .min_args = 0, .max_args = 0,
	.needs = CMD_NEEDS_DB, .check = check, .run = run,
};
