/*
 * appt request: booking requests awaiting a reply (seed 002 §5) — take one
 * down, list them, show one, answer it by booking, or decline it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "client.h"
#include "command.h"
#include "event.h"
#include "output.h"
#include "request.h"
#include "show_history.h"

static const char usage[] =
	"usage: appt request add --client C --service S [--provider P] [--prefer TEXT]\n"
	"                        [--days D[,D...]] [--times HH:MM-HH:MM[,...]]\n"
	"                        [--via call|sms|email|in-person|online] [--note TEXT]\n"
	"                        [--no-send] [-q]\n"
	"       appt request list [--status open|answered|declined|all] [--client C]\n"
	"                        [--format F] [--wide]\n"
	"       appt request show R\n"
	"       appt request answer R (--at TIME | --first-available [--from TIME])\n"
	"                        [--provider P] [--hold DURATION] [--force --reason T]\n"
	"                        [--no-send] [-q]\n"
	"       appt request decline R --reason TEXT [--no-send] [-q]\n"
	"\n"
	"A request is what a client asked for before a time is agreed.  It is\n"
	"acknowledged at once (notices.request_received) and must be answered within\n"
	"policies.request.reply_within (24h unless set); appt remind makes a call task\n"
	"of one left unanswered, and appt report requests lists the open ones.\n"
	"\n"
	"  --client C        client number, exact e-mail or phone, or unique name\n"
	"  --service S       the service asked for\n"
	"  --provider P      add: the provider asked for; answer: book with P instead\n"
	"  --prefer TEXT     when the client would like to come, in their words\n"
	"  --days D,...      the days they can come: mon,tue or mon-fri\n"
	"  --times T,...     the times of day they can come: 09:00-12:00\n"
	"  --via CHANNEL     how the request came in (phone means call)\n"
	"  --note TEXT       kept on the request, and on the appointment that answers it\n"
	"  --status S        list: open (the default), answered, declined or all\n"
	"  --format F        list: table, csv or json (default: table on a terminal)\n"
	"  --wide            list: a table shows the wishes whole, however wide\n"
	"  --at TIME         answer: book at this time\n"
	"  --first-available answer: the first free slot on the days and times asked\n"
	"                    (from --from, else now)\n"
	"  --hold DURATION   answer: book it as a tentative hold for this long\n"
	"  --force --reason T  answer: override a booking policy (logged)\n"
	"  --reason TEXT     decline: why, for the client and the audit log\n"
	"  --no-send         do not deliver the notice now (appt remind will)\n"
	"  -q, --quiet       add: print only the new request's number; answer: only\n"
	"                    the appointment's; decline: nothing\n";

/* ---- add ---- */

static void read_new(const struct cmd_context *c, struct request_new *r)
{
	*r = (struct request_new){
		.service = cmd_value(c, "service"), .provider = cmd_value(c, "provider"),
		.prefer = cmd_value(c, "prefer"), .days = cmd_value(c, "days"),
		.times = cmd_value(c, "times"), .via = cmd_value(c, "via"),
		.note = cmd_value(c, "note"),
	};
}

/* --client and --service are the request; the rest is checked as the library will. */
static int check_add(struct cmd_context *c)
{
	struct appt_err err = { "" };
	struct request_new r;

	if (!cmd_value(c, "client") || !cmd_value(c, "service"))
		return cli_usage_error("--client and --service are required");
	read_new(c, &r);
	return cli_report(request_check(&r, &err), &err);
}

static void print_added(struct appt_session *s, long long id)
{
	struct request r;
	const struct cfg_service *svc;
	const struct cfg_provider *p;
	char by[40];

	if (request_get(s->db, id, &r, NULL)) {
		printf("request #%lld\n", id);
		return;
	}
	svc = config_service(s->cfg, r.service);
	p = r.provider ? config_provider(s->cfg, r.provider) : NULL;
	when_format_local(r.reply_by, by, sizeof(by));
	printf("request #%lld: %s, %s%s%s; reply by %s\n", r.id, r.client_name,
	       svc ? svc->name : r.service, p ? " with " : "", p ? p->name : "", by);
	request_release(&r);
}

static int run_add(struct cmd_context *c)
{
	struct appt_session *s = &c->s;
	struct appt_err err = { "" };
	struct request_new r;
	long long id = 0, message = 0;
	int status;

	read_new(c, &r);
	status = client_resolve(s->db, cmd_value(c, "client"), &r.client_id, &err);
	if (!status)
		status = request_add(s, &r, &id, &message, &err);
	if (status)
		return cli_report(status, &err);
	if (cmd_given(c, "quiet"))
		printf("%lld\n", id);
	else
		print_added(s, id);
	cli_send_notice(s, message, cmd_given(c, "no-send"));
	return APPT_OK;
}

/* ---- list ---- */

/* --status open|answered|declined|all; the last one given counts. */
static int parse_status(const struct cmd_context *c, int *state)
{
	const char *name = cmd_value(c, "status");
	enum request_state st;

	*state = REQUEST_OPEN;
	if (!name)
		return APPT_OK;
	if (!strcmp(name, "all")) {
		*state = -1;
		return APPT_OK;
	}
	if (request_state_parse(name, &st))
		return cli_error(APPT_DATAERR, "invalid value '%s' for --status"
				 " (expected open, answered, declined or all)", name);
	*state = (int)st;
	return APPT_OK;
}

static int check_list(struct cmd_context *c)
{
	enum output_format format;
	int state;

	if (parse_status(c, &state))
		return APPT_DATAERR;
	return cli_read_formats(cmd_values(c, "format"), &format);
}

static const struct output_column list_columns[] = {
	{ "id", COL_INT, FIT_WHOLE }, { "client", COL_TEXT, FIT_SHRINK },
	{ "service", COL_TEXT, FIT_WHOLE }, { "provider", COL_TEXT, FIT_WHOLE },
	{ "wish", COL_TEXT, FIT_SHRINK }, { "via", COL_TEXT, FIT_WHOLE },
	{ "reply_by", COL_TEXT, FIT_WHOLE }, { "status", COL_TEXT, FIT_WHOLE },
	{ "appointment", COL_INT, FIT_WHOLE },
};

#define NR_LIST_COLUMNS (sizeof(list_columns) / sizeof(list_columns[0]))

struct list_output {
	struct output *out;
	void (*format_time)(time_t t, char *buf, size_t size);
};

static void list_row(const struct request *r, void *data)
{
	struct list_output *lo = data;
	struct strbuf wish = STRBUF_INIT;
	char id[24], by[40], appointment[24];

	snprintf(id, sizeof(id), "%lld", r->id);
	snprintf(appointment, sizeof(appointment), "%lld", r->appointment_id);
	lo->format_time(r->reply_by, by, sizeof(by));
	request_describe_wish(r->prefer, r->days, r->times, &wish);
	output_row(lo->out, (const char *const[NR_LIST_COLUMNS]){
		id, r->client_name, r->service, r->provider, wish.len ? wish.buf : NULL,
		r->via, by, request_state_name(r->state),
		r->appointment_id ? appointment : NULL,
	});
	strbuf_release(&wish);
}

static int run_list(struct cmd_context *c)
{
	struct list_output lo = { NULL, when_format_iso };
	struct request_filter f = { REQUEST_OPEN, 0 };
	const char *client = cmd_value(c, "client");
	struct appt_err err = { "" };
	enum output_format format;
	int status;

	if ((status = parse_status(c, &f.state)) ||
	    (status = cli_read_formats(cmd_values(c, "format"), &format)))
		return status;
	if (client && (status = client_resolve(c->s.db, client, &f.client_id, &err)))
		return cli_report(status, &err);
	if (format == OUTPUT_TABLE)
		lo.format_time = when_format_local;
	lo.out = output_begin(stdout, format, list_columns, NR_LIST_COLUMNS,
			      cmd_given(c, "wide") ? OUTPUT_WIDE : 0);
	status = request_each(c->s.db, &f, list_row, &lo, &err);
	if (output_end(lo.out) && !status)
		return cli_error(APPT_IOERR, "cannot write output");
	return cli_report(status, &err);
}

/* ---- show ---- */

/* A request's number: 65 for one that is not. */
static int check_id(struct cmd_context *c)
{
	long long id;

	return cli_parse_id(c->argv[0], "request", &id);
}

/* The labels' column: "status:    open". */
#define FIELD_WIDTH 10

static void show_status(const struct appt_session *s, const struct request *r)
{
	char by[40], at[40];

	when_format_local(r->reply_by, by, sizeof(by));
	when_format_local(r->closed_at, at, sizeof(at));
	cli_put_field(FIELD_WIDTH, "reply by:", "%s%s", by,
		      r->state == REQUEST_OPEN && r->reply_by <= s->now ? " (overdue)" : "");
	if (r->state == REQUEST_ANSWERED)
		cli_put_field(FIELD_WIDTH, "status:", "answered: appointment #%lld (%s by %s)",
			      r->appointment_id, at, r->closed_by);
	else if (r->state == REQUEST_DECLINED)
		cli_put_field(FIELD_WIDTH, "status:", "declined: %s (%s by %s)",
			      r->decline_reason ? r->decline_reason : "no reason given", at,
			      r->closed_by);
	else
		cli_put_field(FIELD_WIDTH, "status:", "open");
}

static void show_request(const struct appt_session *s, const struct request *r)
{
	const struct cfg_service *svc = config_service(s->cfg, r->service);
	const struct cfg_provider *p = r->provider ? config_provider(s->cfg, r->provider) : NULL;
	char taken[40];

	printf("request #%lld\n", r->id);
	cli_put_field(FIELD_WIDTH, "client:", "%s (#%lld%s%s)", r->client_name, r->client_id,
		      r->client_phone ? ", " : "", r->client_phone ? r->client_phone : "");
	cli_put_field(FIELD_WIDTH, "service:", "%s (%s)", svc ? svc->name : r->service, r->service);
	if (r->provider)
		cli_put_field(FIELD_WIDTH, "provider:", "%s (%s)", p ? p->name : r->provider, r->provider);
	else
		cli_put_field(FIELD_WIDTH, "provider:", "any");
	cli_put_text(FIELD_WIDTH, "prefer:", r->prefer);
	cli_put_text(FIELD_WIDTH, "days:", r->days);
	cli_put_text(FIELD_WIDTH, "times:", r->times);
	cli_put_text(FIELD_WIDTH, "via:", r->via);
	cli_put_text(FIELD_WIDTH, "note:", r->note);
	when_format_local(r->created_at, taken, sizeof(taken));
	cli_put_field(FIELD_WIDTH, "taken:", "%s by %s", taken, r->taken_by);
	show_status(s, r);
}

static int run_show(struct cmd_context *c)
{
	struct appt_err err = { "" };
	struct request r;
	long long id = 0;
	int count = 0;
	int status = cli_parse_id(c->argv[0], "request", &id);

	if (status)
		return status;
	if ((status = request_get(c->s.db, id, &r, &err)))
		return cli_report(status, &err);
	show_request(&c->s, &r);
	printf("\nHistory:\n");
	status = event_each(c->s.db, "request", id, history_print_event, NULL, &err);
	if (!status)
		status = outbox_each(c->s.db, &(struct message_filter){ .request_id = id },
				     history_print_message, &count, &err);
	request_release(&r);
	return cli_report(status, &err);
}

/* ---- answer ---- */

struct answer_args {
	long long id;
	struct cli_placement where;
	struct request_answer a;
};

/* The command line as the library takes it; usage errors (64) and bad values (65). */
static int read_answer(const struct cmd_context *c, struct answer_args *x)
{
	const char *hold = cmd_value(c, "hold");
	struct appt_err err = { "" };
	int status;

	memset(x, 0, sizeof(*x));
	x->where = (struct cli_placement){
		.at = cmd_value(c, "at"), .from = cmd_value(c, "from"),
		.first_available = cmd_given(c, "first-available"),
		.force = cmd_given(c, "force"), .reason = cmd_value(c, "reason"),
	};
	if ((status = cli_check_placement(&x->where)))
		return status;
	if ((status = cli_parse_id(c->argv[0], "request", &x->id)))
		return status;
	x->a = (struct request_answer){
		.first_available = x->where.first_available,
		.provider = cmd_value(c, "provider"),
		.force = x->where.force, .reason = x->where.reason,
	};
	if (hold)
		status = when_parse_duration_range(hold, 60, BOOKING_HOLD_MAX, &x->a.hold, &err);
	return cli_report(status, &err);
}

static int check_answer(struct cmd_context *c)
{
	struct answer_args x;

	return read_answer(c, &x);
}

/* As book prints a booking, after the request it answers. */
static void print_answer(struct appt_session *s, long long id,
			 const struct booking_result *res)
{
	const struct cfg_provider *p = config_provider(s->cfg, res->provider);
	const struct cfg_service *svc;
	struct request r;
	char start[40], end[16], until[40];

	if (request_get(s->db, id, &r, NULL)) {
		printf("request #%lld answered: #%lld\n", id, res->id);
		return;
	}
	svc = config_service(s->cfg, r.service);
	when_format_local(res->start, start, sizeof(start));
	when_format_clock(res->end, end, sizeof(end));
	printf("request #%lld answered: %s #%lld: %s, %s with %s, %s-%s", id,
	       res->hold_until ? "held" : "booked", res->id, r.client_name,
	       svc ? svc->name : r.service, p ? p->name : res->provider, start, end);
	if (res->hold_until) {
		when_format_local(res->hold_until, until, sizeof(until));
		printf(", until %s", until);
	}
	putchar('\n');
	request_release(&r);
}

static int run_answer(struct cmd_context *c)
{
	struct appt_session *s = &c->s;
	struct booking_result res = { 0 };
	struct appt_err err = { "" };
	struct answer_args x;
	int status = read_answer(c, &x);

	if (!status)
		status = cli_report(cli_parse_placement(s, &x.where, &x.a.at, &x.a.from, &err),
				    &err);
	if (!status)
		status = cli_report(request_answer(s, x.id, &x.a, &res, &err), &err);
	for (size_t i = 0; !status && i < res.warnings.nr; i++)
		cli_warning("%s", res.warnings.items[i]);
	if (!status && cmd_given(c, "quiet"))
		printf("%lld\n", res.id);
	else if (!status)
		print_answer(s, x.id, &res);
	if (!status)
		cli_send_notice(s, res.message_id, cmd_given(c, "no-send"));
	booking_result_release(&res);
	return status;
}

/* ---- decline ---- */

/* Declining says why: the client is told, and the audit log keeps it. */
static int check_decline(struct cmd_context *c)
{
	const char *reason = cmd_value(c, "reason");
	struct appt_err err = { "" };
	long long id;
	int status;

	if (!reason)
		return cli_usage_error("--reason is required");
	if ((status = cli_parse_id(c->argv[0], "request", &id)))
		return status;
	return cli_report(text_check("reason", reason, 0, &err), &err);
}

static int run_decline(struct cmd_context *c)
{
	struct appt_err err = { "" };
	long long id = 0, message = 0;
	int status = cli_parse_id(c->argv[0], "request", &id);

	if (!status)
		status = cli_report(request_decline(&c->s, id, cmd_value(c, "reason"), &message,
						    &err), &err);
	if (!status && !cmd_given(c, "quiet"))
		printf("declined request #%lld\n", id);
	if (!status)
		cli_send_notice(&c->s, message, cmd_given(c, "no-send"));
	return status;
}

/* ---- the family ---- */

static const struct cmd_option add_options[] = {
	{ "client", 0, CMD_VALUE, "@clients" },
	{ "service", 0, CMD_VALUE, "@services" },
	{ "provider", 0, CMD_VALUE, "@providers" },
	{ "prefer", 0, CMD_VALUE, NULL },
	{ "days", 0, CMD_VALUE, "@list mon tue wed thu fri sat sun" },
	{ "times", 0, CMD_VALUE, NULL },
	{ "via", 0, CMD_VALUE, VIA_WORDS_REQUEST },
	{ "note", 0, CMD_VALUE, NULL },
	{ "no-send", 0, CMD_FLAG, NULL },
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct cmd_option list_options[] = {
	{ "status", 0, CMD_VALUE, "open answered declined all" },
	{ "client", 0, CMD_VALUE, "@clients" },
	{ "format", 0, CMD_VALUE, "table csv json" },
	{ "wide", 0, CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct cmd_option answer_options[] = {
	{ "at", 0, CMD_VALUE, NULL },
	{ "first-available", 0, CMD_FLAG, NULL },
	{ "from", 0, CMD_VALUE, NULL },
	{ "provider", 0, CMD_VALUE, "@providers" },
	{ "hold", 0, CMD_VALUE, NULL },
	{ "force", 0, CMD_FLAG, NULL },
	{ "reason", 0, CMD_VALUE, NULL },
	{ "no-send", 0, CMD_FLAG, NULL },
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct cmd_option decline_options[] = {
	{ "reason", 0, CMD_VALUE, NULL },
	{ "no-send", 0, CMD_FLAG, NULL },
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

#define WRITE CMD_NEEDS_DB
#define READ (CMD_NEEDS_DB | CMD_NEEDS_SNAPSHOT)

/* The five forms share one usage text: it is short, and says how they differ. */
static const struct command request_subcommands[] = {
	{ .name = "add", .summary = "take a booking request down", .usage = usage,
	  .options = add_options, .min_args = 0, .max_args = 0,
	  .needs = WRITE, .check = check_add, .run = run_add },
	{ .name = "list", .summary = "list booking requests", .usage = usage,
	  .options = list_options, .min_args = 0, .max_args = 0,
	  .needs = READ, .check = check_list, .run = run_list },
	{ .name = "show", .summary = "show a request, its deadline and messages", .usage = usage,
	  .min_args = 1, .max_args = 1,
	  .needs = READ, .check = check_id, .run = run_show },
	{ .name = "answer", .summary = "answer a request by booking it", .usage = usage,
	  .options = answer_options, .min_args = 1, .max_args = 1,
	  .needs = WRITE, .check = check_answer, .run = run_answer },
	{ .name = "decline", .summary = "decline a request, telling the client", .usage = usage,
	  .options = decline_options, .min_args = 1, .max_args = 1,
	  .needs = WRITE, .check = check_decline, .run = run_decline },
};

/* An option of another subcommand "does not apply", as the desk reads it. */
const struct command cmd_request = {
	.name = "request", .summary = "take down, answer and decline booking requests",
	.usage = usage, .flags = CMD_SIBLING_OPTIONS, .subcommands = request_subcommands,
	.nr_subcommands = sizeof(request_subcommands) / sizeof(request_subcommands[0]),
};
