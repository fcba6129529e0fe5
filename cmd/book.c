/* appt book: book a client for a service at a time, or at the first free slot. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "booking.h"
#include "cli.h"
#include "client.h"
#include "command.h"
#include "series.h"
#include "via.h"

static const char usage[] =
	"usage: appt book --client C --service S [--at TIME | --first-available [--from TIME]]\n"
	"                 [--provider P] [--resource R]\n"
	"                 [--via call|sms|email|in-person|online|walk-in]\n"
	"                 [--note TEXT] [--force --reason TEXT] [--no-send] [-q]\n"
	"                 [--hold DURATION | --repeat EVERY (--count N | --until DATE)\n"
	"                  [--skip-conflicts]]\n"
	"\n"
	"  --client C           client number, exact e-mail or phone, or unique name\n"
	"  --service S          service id from the configuration\n"
	"  --at TIME            'YYYY-MM-DD HH:MM' or a day word and HH:MM ('tue 10:30')\n"
	"  --first-available    the earliest slot that fits (from --from, else now)\n"
	"  --provider P         only this provider (default: the first one free)\n"
	"  --resource R         only this room or chair\n"
	"  --via CHANNEL        how the request came in (phone means call); a walk-in\n"
	"                       needs no booking notice, and without --at or\n"
	"                       --first-available starts now\n"
	"  --note TEXT          kept on the appointment\n"
	"  --force --reason T   override a policy refusal (logged; managers only when\n"
	"                       roles.managers is set); never overrides a double booking\n"
	"  --no-send            do not deliver the confirmation now (cron will)\n"
	"  --hold DURATION      a tentative hold ('24h'): the slot is kept until then,\n"
	"                       appt confirm makes it a booking, appt remind lets it go\n"
	"  --repeat EVERY       a series: the same time every EVERY (1w, 2w, 4w, 1mo),\n"
	"                       --count N times or --until DATE (at most 52)\n"
	"  --skip-conflicts     book the occurrences that fit and list the others\n"
	"                       (default: all or nothing)\n"
	"  -q, --quiet          print only the new appointment's number (one a line)\n";

struct book_args {
	const char *client;
	int quiet;
	int no_send;
	struct cli_placement where;
	struct booking_request req;
	const char *until;
	int repeat;
	struct series_plan plan;
};


/* --hold, or --repeat with --count or --until; never both.  Usage (64), then values (65). */
static int read_series_args(const struct cmd_context *c, struct book_args *a)
{
	struct appt_err err = { "" };
	const char *hold = cmd_value(c, "hold"), *every = cmd_value(c, "repeat");
	const char *count = cmd_value(c, "count");

	a->until = cmd_value(c, "until");
	a->plan.skip_conflicts = cmd_given(c, "skip-conflicts");
	a->repeat = every != NULL;
	if (hold && every)
		return cli_usage_error("--hold and --repeat do not go together: hold one time,"
				       " then book the series");
	if (!every && (count || a->until || a->plan.skip_conflicts))
		return cli_usage_error("--count, --until and --skip-conflicts need --repeat");
	if (every && !count == !a->until)
		return cli_usage_error("--repeat needs --count N or --until DATE (one of them)");
	if (every && a->where.first_available)
		return cli_usage_error("--repeat needs --at: a series repeats one time of day");
	if (hold && when_parse_duration_range(hold, 60, BOOKING_HOLD_MAX, &a->req.hold, &err))
		return cli_report(APPT_DATAERR, &err);
	if (every && series_parse_every(every, &a->plan, &err))
		return cli_report(APPT_DATAERR, &err);
	if (count && cli_parse_count(count, "--count", &a->plan.count))
		return APPT_DATAERR;
	if (a->plan.count > SERIES_MAX)
		return cli_error(APPT_DATAERR, "--count %d is more than a series holds (%d);"
				 " book another series later", a->plan.count, SERIES_MAX);
	return APPT_OK;
}

/* The command line as the library takes it; usage errors (64) and bad values (65). */
static int read_args(const struct cmd_context *c, struct book_args *a)
{
	int status;

	memset(a, 0, sizeof(*a));
	a->client = cmd_value(c, "client");
	a->req.service = cmd_value(c, "service");
	a->where.at = cmd_value(c, "at");
	a->where.first_available = cmd_given(c, "first-available");
	a->where.from = cmd_value(c, "from");
	a->req.provider = cmd_value(c, "provider");
	a->req.resource = cmd_value(c, "resource");
	a->req.via = cmd_value(c, "via");
	a->req.note = cmd_value(c, "note");
	a->where.force = cmd_given(c, "force");
	a->where.reason = cmd_value(c, "reason");
	a->no_send = cmd_given(c, "no-send");
	a->quiet = cmd_given(c, "quiet");
	if (!a->client || !a->req.service)
		return cli_usage_error("--client and --service are required");
	/* the library fills in the start: the current minute */
	a->where.may_start_now = a->req.via && !strcmp(a->req.via, "walk-in");
	if (cli_check_placement(&a->where))
		return APPT_USAGE;
	a->req.first_available = a->where.first_available;
	a->req.force = a->where.force;
	a->req.reason = a->where.reason;
	status = read_series_args(c, a);
	return status ? status : cli_parse_via(&a->req.via, VIA_FOR_BOOK);
}

static int check(struct cmd_context *c)
{
	struct book_args a;

	return read_args(c, &a);
}

static int resolve(struct appt_session *s, struct book_args *a)
{
	struct appt_err err = { "" };
	int status = client_resolve(s->db, a->client, &a->req.client_id, &err);

	if (status)
		return cli_report(status, &err);
	status = cli_parse_placement(s, &a->where, &a->req.at, &a->req.from, &err);
	if (!status && a->until)
		status = when_parse_date(a->until, s->now, &a->plan.until, &err);
	return cli_report(status, &err);
}

/*
 * The client's alerts (an allergy before a peel) where the desk looks while
 * booking, beside the policy warnings.  The booking stands either way.
 */
static void warn_alerts(struct appt_session *s, long long client_id)
{
	struct strlist alerts = STRLIST_INIT;
	struct client c;

	if (client_get(s->db, client_id, &c, NULL))
		return;
	if (!client_alerts(s->db, client_id, &alerts, NULL))
		for (size_t i = 0; i < alerts.nr; i++)
			cli_warning("alert for %s: %s", c.name, alerts.items[i]);
	strlist_clear(&alerts);
	client_release(&c);
}

static void print_booking(const struct appt_session *s, const struct booking_request *req,
			  const struct booking_result *res)
{
	const struct cfg_provider *p = config_provider(s->cfg, res->provider);
	const struct cfg_service *svc = config_service(s->cfg, req->service);
	struct client c;
	char start[40], end[16];

	when_format_local(res->start, start, sizeof(start));
	when_format_clock(res->end, end, sizeof(end));
	if (client_get(s->db, req->client_id, &c, NULL) == APPT_OK) {
		printf("%s #%lld: %s, %s with %s, %s-%s", res->hold_until ? "held" : "booked",
		       res->id, c.name, svc->name, p->name, start, end);
		client_release(&c);
	} else {
		printf("%s #%lld: %s with %s, %s-%s", res->hold_until ? "held" : "booked", res->id,
		       svc->name, p->name, start, end);
	}
	if (res->resource)
		printf(" (%s)", res->resource);
	if (res->hold_until) {
		when_format_local(res->hold_until, start, sizeof(start));
		printf(", until %s", start);
	}
	putchar('\n');
}

/* One line an occurrence, booked or skipped, then what the series came to. */
static void print_series(const struct appt_session *s, const struct book_args *a,
			 const struct series_result *r)
{
	int skipped = 0;

	for (size_t i = 0; i < r->nr; i++) {
		char at[40];

		if (!r->items[i].why) {
			if (a->quiet)
				printf("%lld\n", r->items[i].res.id);
			else
				print_booking(s, &a->req, &r->items[i].res);
			continue;
		}
		skipped++;
		when_format_local(r->items[i].at, at, sizeof(at));
		if (!a->quiet)
			printf("skipped %s: %s\n", at, r->items[i].why);
	}
	if (!a->quiet && skipped)
		printf("series #%lld: %d booked every %s, %d skipped\n", r->id, r->done,
		       a->plan.every, skipped);
	else if (!a->quiet)
		printf("series #%lld: %d booked every %s\n", r->id, r->done, a->plan.every);
}

/* The desk's warnings are about the client: said once, not once an occurrence. */
static void warn_once(const struct series_result *r)
{
	for (size_t i = 0; i < r->nr; i++) {
		if (!r->items[i].res.id)
			continue;
		for (size_t w = 0; w < r->items[i].res.warnings.nr; w++)
			cli_warning("%s", r->items[i].res.warnings.items[w]);
		return;
	}
}

static int run_series(struct cmd_context *c, struct book_args *a)
{
	struct series_result r = { 0 };
	struct appt_err err = { "" };
	int status = cli_report(series_book(&c->s, &a->req, &a->plan, &r, &err), &err);

	if (!status) {
		print_series(&c->s, a, &r);
		warn_once(&r);
		warn_alerts(&c->s, a->req.client_id);
		for (size_t i = 0; i < r.nr; i++)
			cli_send_notice(&c->s, r.items[i].res.message_id, a->no_send);
	}
	series_result_release(&r);
	return status;
}

static int run(struct cmd_context *c)
{
	struct book_args a;
	struct booking_result res = { 0 };
	struct appt_err err = { "" };
	int status = read_args(c, &a);

	if (!status)
		status = resolve(&c->s, &a);
	if (!status && a.repeat)
		return run_series(c, &a);
	if (!status) {
		status = cli_report(appointment_book(&c->s, &a.req, &res, &err), &err);
		for (size_t i = 0; !status && i < res.warnings.nr; i++)
			cli_warning("%s", res.warnings.items[i]);
		if (!status)
			warn_alerts(&c->s, a.req.client_id);
	}
	if (!status && a.quiet)
		printf("%lld\n", res.id);
	else if (!status)
		print_booking(&c->s, &a.req, &res);
	if (!status)
		cli_send_notice(&c->s, res.message_id, a.no_send);
	booking_result_release(&res);
	return status;
}

static const struct cmd_option options[] = {
	{ "client", 0, CMD_VALUE, "@clients" },
	{ "service", 0, CMD_VALUE, "@services" },
	{ "at", 0, CMD_VALUE, NULL },
	{ "first-available", 0, CMD_FLAG, NULL },
	{ "from", 0, CMD_VALUE, NULL },
	{ "provider", 0, CMD_VALUE, "@providers" },
	{ "resource", 0, CMD_VALUE, "@resources" },
	{ "via", 0, CMD_VALUE, VIA_WORDS_BOOK },
	{ "note", 0, CMD_VALUE, NULL },
	{ "force", 0, CMD_FLAG, NULL },
	{ "reason", 0, CMD_VALUE, NULL },
	{ "no-send", 0, CMD_FLAG, NULL },
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ "hold", 0, CMD_VALUE, "1h 2h 24h 48h" },
	{ "repeat", 0, CMD_VALUE, "1w 2w 4w 1mo" },
	{ "count", 0, CMD_VALUE, NULL },
	{ "until", 0, CMD_VALUE, NULL },
	{ "skip-conflicts", 0, CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

const struct command cmd_book = {
	.name = "book", .summary = "book an appointment", .usage = usage,
	.options = options, .min_args = 0, .max_args = 0,
	.needs = CMD_NEEDS_DB, .check = check, .run = run,
};
