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
#include "outbox.h"

static const char usage[] =
	"usage: appt remind [--dry-run] [--only KIND[,KIND...]] [--retry-uncertain[=ID]] [-v]\n"
	"   or: appt remind --mark-sent ID\n"
	"\n"
	"  --dry-run          show what would be queued and sent; change nothing\n"
	"  --only KIND        reminders, deadlines, followups, outreach or delivery\n"
	"                     (sending what is pending); repeatable, or comma-separated\n"
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
	{ "delivery", REMIND_DELIVERY },
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
					   "reminders, deadlines, followups, outreach or delivery)", k);
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

static int parse_args(int argc, char **argv, struct remind_options *o, int *verbose,
		      long long *mark_sent)
{
	static const struct option options[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "only", required_argument, NULL, 'o' },
		{ "retry-uncertain", optional_argument, NULL, 'r' },
		{ "mark-sent", required_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, status = APPT_OK;

	while (!status && (c = getopt_long(argc, argv, ":vh", options, NULL)) != -1) {
		switch (c) {
		case 'n': o->dry_run = 1; break;
		case 'o': status = parse_only(optarg, &o->only); break;
		case 'r':
			o->retry_uncertain = 1;
			if (optarg)
				status = cli_parse_id(optarg, "message", &o->retry_id);
			break;
		case 'm': status = cli_parse_id(optarg, "message", mark_sent); break;
		case 'v': *verbose = 1; break;
		case 'h': return -1;
		default: return cli_bad_option(c, argv);
		}
	}
	if (!status && !o->only)
		o->only = REMIND_ALL;
	return status ? status : cli_check_args(argc, argv, 0, 0);
}

static int summarise(const struct remind_options *o, const struct delivery_summary *sum)
{
	if (sum->another_run) {
		printf("another appt remind is running; this run did nothing\n");
		return APPT_OK;
	}
	if (o->dry_run) {
		printf("dry run: would send %d, call tasks %d, skipped %d; nothing changed\n",
		       sum->sent, sum->tasks, sum->skipped);
		return APPT_OK;
	}
	printf("sent %d, failed %d, call tasks %d, skipped %d\n", sum->sent, sum->failed,
	       sum->tasks, sum->skipped);
	if (stop_requested)
		cli_warning("stopped by %s: what is left waits for the next run",
			    stop_requested == SIGTERM ? "SIGTERM" : "SIGINT");
	if (sum->uncertain)
		cli_warning("%d message%s uncertain: see appt report messages, then"
			    " appt remind --retry-uncertain", sum->uncertain,
			    sum->uncertain == 1 ? " is" : "s are");
	return (sum->failed || sum->uncertain) ? APPT_UNAVAILABLE : APPT_OK;
}

int main(int argc, char **argv)
{
	struct printer printer = { 0 };
	struct remind_options o = { .report = print_line, .data = &printer,
				    .stop = &stop_requested };
	struct delivery_summary sum = { 0 };
	long long mark_sent = 0;
	struct appt_session s;
	struct appt_err err = { "" };
	int status;

	cli_start("remind", usage);
	status = parse_args(argc, argv, &o, &printer.verbose, &mark_sent);
	if (status)
		return status < 0 ? cli_help() : status;
	status = cli_open_session(&s, SESSION_CONFIG | SESSION_DB);
	if (!status && mark_sent) {
		status = cli_report(outbox_settle_uncertain(&s, mark_sent, 1, &err), &err);
		if (!status)
			printf("marked message #%lld sent\n", mark_sent);
	} else if (!status) {
		stop_on_signals();
		status = cli_report(outbox_remind(&s, &o, &sum, &err), &err);
		if (!status)
			status = summarise(&o, &sum);
	}
	session_close(&s);
	return cli_exit(status);
}
