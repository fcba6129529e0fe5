/* appt log: record a call, text, e-mail or talk on a client's record; close call tasks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "client.h"
#include "contact.h"
#include "outbox.h"

static const char usage[] =
	"usage: appt log (ID | --client C) --via call|sms|email|in-person\n"
	"                [--outcome reached|voicemail|no-answer|other] [--inbound]\n"
	"                [--task MSGID [--close]] [-q] TEXT...\n"
	"\n"
	"Records a contact attempt or note.  For a client in a program with no visit\n"
	"booked, an outbound contact is numbered as seed 004 asks: \"No Appointment\n"
	"Booked, attempt N\" with the date of the last service.\n"
	"\n"
	"  ID                 an appointment number: the contact is about it and its client\n"
	"  --client C         client number, exact e-mail or phone, or unique name\n"
	"  --via CHANNEL      how the contact was made (phone means call)\n"
	"  --outcome O        what came of it\n"
	"  --inbound          the client got in touch (not an outreach attempt)\n"
	"  --task MSGID       the call was this call task (from appt report calls): it is\n"
	"                     counted, and closed when the outcome is reached\n"
	"  --close            close the task whatever the outcome\n"
	"  -q, --quiet        print only the new contact's number\n"
	"  TEXT...            what happened; the words are joined with spaces\n";

struct log_args {
	const char *client;
	const char *task;
	int quiet;
	struct strbuf text;
	struct contact_entry e;
};

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/*
 * Without --client the first word is the appointment.  With it, a first word
 * that is a bare number would be read both ways, so it is refused rather
 * than guessed.
 */
static int parse_target(int argc, char **argv, struct log_args *a)
{
	if (!a->client) {
		if (optind >= argc || !all_digits(argv[optind]))
			return cli_usage_error("give an appointment ID or --client C");
		return cli_parse_id(argv[optind++], "appointment", &a->e.appointment_id);
	}
	if (optind < argc && all_digits(argv[optind]))
		return cli_usage_error("give an appointment ID or --client, not both"
				       " (quote TEXT when it starts with a number)");
	return APPT_OK;
}

static int parse_text(int argc, char **argv, struct log_args *a)
{
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			strbuf_addch(&a->text, ' ');
		strbuf_addstr(&a->text, argv[i]);
	}
	if (strspn(strbuf_str(&a->text), " \t\r\n") == a->text.len)
		return cli_usage_error("missing TEXT saying what happened");
	a->e.text = strbuf_str(&a->text);
	return APPT_OK;
}

static int parse_args(int argc, char **argv, struct log_args *a)
{
	static const struct option options[] = {
		{ "client", required_argument, NULL, 'c' },
		{ "via", required_argument, NULL, 'v' },
		{ "outcome", required_argument, NULL, 'o' },
		{ "task", required_argument, NULL, 't' },
		{ "inbound", no_argument, NULL, 'i' },
		{ "close", no_argument, NULL, 'C' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, status;

	while ((c = getopt_long(argc, argv, ":qh", options, NULL)) != -1) {
		switch (c) {
		case 'c': a->client = optarg; break;
		case 'v': a->e.via = optarg; break;
		case 'o': a->e.outcome = optarg; break;
		case 't': a->task = optarg; break;
		case 'i': a->e.inbound = 1; break;
		case 'C': a->e.close = 1; break;
		case 'q': a->quiet = 1; break;
		case 'h': return -1;
		default: return cli_bad_option(c, argv);
		}
	}
	status = parse_target(argc, argv, a);
	if (!status)
		status = parse_text(argc, argv, a);
	if (!status && !a->e.via)
		status = cli_usage_error("--via is required");
	if (!status && a->task)
		status = cli_parse_id(a->task, "call task", &a->e.task_id);
	if (!status && a->e.close && !a->task)
		status = cli_usage_error("--close goes with --task");
	return status;
}

/* Values are checked before the database is opened, so bad input changes nothing. */
static int check_values(const struct log_args *a)
{
	struct appt_err err = { "" };

	return cli_report(contact_check(&a->e, &err), &err);
}

static void print_result(struct appt_session *s, const struct log_args *a,
			 const struct contact_result *res)
{
	struct client c;
	char day[16];

	if (a->quiet) {
		printf("%lld\n", res->id);
		return;
	}
	if (client_get(s->db, res->client_id, &c, NULL) == APPT_OK) {
		printf("logged contact #%lld for %s\n", res->id, c.name);
		client_release(&c);
	} else {
		printf("logged contact #%lld\n", res->id);
	}
	if (res->attempt) {
		date_format_iso(res->last_visit, day, sizeof(day));
		printf("No Appointment Booked, attempt %d; last service %s\n", res->attempt, day);
	}
	if (a->e.task_id && res->task_closed)
		printf("closed call task #%lld\n", a->e.task_id);
	else if (a->e.task_id)
		printf("call task #%lld stays open (%d call%s logged); log the call that reaches"
		       " the client with --outcome reached, or use --close\n", a->e.task_id,
		       res->task_tries, res->task_tries == 1 ? "" : "s");
}

/* The texts that waited for this call go now, as a booking's confirmation does. */
static void send_released(struct appt_session *s, const struct log_args *a,
			  const struct contact_result *res)
{
	struct delivery_summary sum;
	struct appt_err err = { "" };

	if (!res->released)
		return;
	if (outbox_deliver_followers(s, a->e.task_id, &sum, &err))
		cli_warning("the text that follows call task #%lld was not sent now (%s);"
			    " appt remind will send it", a->e.task_id, err.msg);
	else if (sum.deferred)
		printf("the text that follows call task #%lld waits for its sending window\n",
		       a->e.task_id);
	else if (!a->quiet)
		printf("sent the text that follows call task #%lld\n", a->e.task_id);
}

static int run(struct log_args *a)
{
	struct appt_session s;
	struct contact_result res = { 0 };
	struct appt_err err = { "" };
	int status = cli_open_session(&s, SESSION_CONFIG | SESSION_DB);

	if (!status && a->client)
		status = cli_report(client_resolve(s.db, a->client, &a->e.client_id, &err), &err);
	if (!status)
		status = cli_report(contact_log(&s, &a->e, &res, &err), &err);
	if (!status) {
		print_result(&s, a, &res);
		send_released(&s, a, &res);
	}
	session_close(&s);
	return status;
}

int main(int argc, char **argv)
{
	struct log_args a = { 0 };
	int status;

	cli_start("log", usage);
	strbuf_init(&a.text);
	status = parse_args(argc, argv, &a);
	if (status < 0) {
		strbuf_release(&a.text);
		return cli_help();
	}
	if (!status)
		status = check_values(&a);
	if (!status)
		status = run(&a);
	strbuf_release(&a.text);
	return cli_exit(status);
}
