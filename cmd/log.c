/* appt log: record a call, text, e-mail or talk on a client's record; close call tasks. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "client.h"
#include "command.h"
#include "contact.h"
#include "outbox.h"
#include "via.h"

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
 * than guessed.  *first is where TEXT starts.
 */
static int read_target(const struct cmd_context *c, struct log_args *a, int *first)
{
	*first = 0;
	if (!a->client) {
		if (c->argc < 1 || !all_digits(c->argv[0]))
			return cli_usage_error("give an appointment ID or --client C");
		*first = 1;
		return cli_parse_id(c->argv[0], "appointment", &a->e.appointment_id);
	}
	if (c->argc > 0 && all_digits(c->argv[0]))
		return cli_usage_error("give an appointment ID or --client, not both"
				       " (quote TEXT when it starts with a number)");
	return APPT_OK;
}

static int read_text(const struct cmd_context *c, int first, struct log_args *a)
{
	for (int i = first; i < c->argc; i++) {
		if (i > first)
			strbuf_addch(&a->text, ' ');
		strbuf_addstr(&a->text, c->argv[i]);
	}
	if (strspn(strbuf_str(&a->text), " \t\r\n") == a->text.len)
		return cli_usage_error("missing TEXT saying what happened");
	a->e.text = strbuf_str(&a->text);
	return APPT_OK;
}

/*
 * The command line as contact_log takes it: usage errors (64), then bad
 * values (65), all before the database is opened, so bad input changes
 * nothing.  The caller releases a->text whatever the result.
 */
static int read_args(const struct cmd_context *c, struct log_args *a)
{
	struct appt_err err = { "" };
	const char *task = cmd_value(c, "task");
	int first, status;

	memset(a, 0, sizeof(*a));
	strbuf_init(&a->text);
	a->client = cmd_value(c, "client");
	a->quiet = cmd_given(c, "quiet");
	a->e.via = cmd_value(c, "via");
	a->e.outcome = cmd_value(c, "outcome");
	a->e.inbound = cmd_given(c, "inbound") > 0;
	a->e.close = cmd_given(c, "close") > 0;
	status = read_target(c, a, &first);
	if (!status)
		status = read_text(c, first, a);
	if (!status && !a->e.via)
		status = cli_usage_error("--via is required");
	if (!status && task)
		status = cli_parse_id(task, "call task", &a->e.task_id);
	if (!status && a->e.close && !task)
		status = cli_usage_error("--close goes with --task");
	return status ? status : cli_report(contact_check(&a->e, &err), &err);
}

static int check(struct cmd_context *c)
{
	struct log_args a;
	int status = read_args(c, &a);

	strbuf_release(&a.text);
	return status;
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

static int run(struct cmd_context *c)
{
	struct log_args a;
	struct contact_result res = { 0 };
	struct appt_err err = { "" };
	int status = read_args(c, &a);

	if (!status && a.client)
		status = cli_report(client_resolve(c->s.db, a.client, &a.e.client_id, &err), &err);
	if (!status)
		status = cli_report(contact_log(&c->s, &a.e, &res, &err), &err);
	if (!status) {
		print_result(&c->s, &a, &res);
		send_released(&c->s, &a, &res);
	}
	strbuf_release(&a.text);
	return status;
}

/*
 * Options may come anywhere, after ID and TEXT too ("appt log 12 --via call
 * left a message"), as before: a word of TEXT that starts with '-' goes
 * after "--".  --via offers the canonical words only, as the completions
 * always have: "phone" is taken, but it is call.
 */
static const struct cmd_option options[] = {
	{ "client", 0, CMD_VALUE, "@clients" },
	{ "via", 0, CMD_VALUE, VIA_WORDS_LOG },
	{ "outcome", 0, CMD_VALUE, "reached voicemail no-answer other" },
	{ "inbound", 0, CMD_FLAG, NULL },
	{ "task", 0, CMD_VALUE, NULL },
	{ "close", 0, CMD_FLAG, NULL },
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

/* [ID] TEXT...: which words are which is check's to say, with its own messages. */
const struct command cmd_log = {
	.name = "log", .summary = "record a contact with a client", .usage = usage,
	.options = options, .min_args = 0, .max_args = -1,
	.needs = CMD_NEEDS_DB, .check = check, .run = run,
};
