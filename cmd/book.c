/* appt book: book a client for a service at a time, or at the first free slot. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appointment.h"
#include "cli.h"
#include "client.h"
#include "via.h"

static const char usage[] =
	"usage: appt book --client C --service S [--at TIME | --first-available [--from TIME]]\n"
	"                 [--provider P] [--resource R]\n"
	"                 [--via call|sms|email|in-person|online|walk-in]\n"
	"                 [--note TEXT] [--force --reason TEXT] [--no-send] [-q]\n"
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
	"  -q, --quiet          print only the new appointment's number\n";

struct book_args {
	const char *client;
	int quiet;
	int no_send;
	struct cli_placement where;
	struct booking_request req;
};

static int parse_args(int argc, char **argv, struct book_args *a)
{
	static const struct option options[] = {
		{ "client", required_argument, NULL, 'c' },
		{ "service", required_argument, NULL, 's' },
		{ "at", required_argument, NULL, 'a' },
		{ "first-available", no_argument, NULL, 'F' },
		{ "from", required_argument, NULL, 'f' },
		{ "provider", required_argument, NULL, 'p' },
		{ "resource", required_argument, NULL, 'r' },
		{ "via", required_argument, NULL, 'v' },
		{ "note", required_argument, NULL, 'n' },
		{ "force", no_argument, NULL, 'X' },
		{ "reason", required_argument, NULL, 'R' },
		{ "no-send", no_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, ":qh", options, NULL)) != -1) {
		switch (c) {
		case 'c': a->client = optarg; break;
		case 's': a->req.service = optarg; break;
		case 'a': a->where.at = optarg; break;
		case 'F': a->where.first_available = 1; break;
		case 'f': a->where.from = optarg; break;
		case 'p': a->req.provider = optarg; break;
		case 'r': a->req.resource = optarg; break;
		case 'v': a->req.via = optarg; break;
		case 'n': a->req.note = optarg; break;
		case 'X': a->where.force = 1; break;
		case 'R': a->where.reason = optarg; break;
		case 'N': a->no_send = 1; break;
		case 'q': a->quiet = 1; break;
		case 'h': return -1;
		default: return cli_bad_option(c, argv);
		}
	}
	if (cli_check_args(argc, argv, 0, 0))
		return APPT_USAGE;
	if (!a->client || !a->req.service)
		return cli_usage_error("--client and --service are required");
	/* the library fills in the start: the current minute */
	a->where.may_start_now = a->req.via && !strcmp(a->req.via, "walk-in");
	if (cli_check_placement(&a->where))
		return APPT_USAGE;
	a->req.first_available = a->where.first_available;
	a->req.force = a->where.force;
	a->req.reason = a->where.reason;
	return cli_parse_via(&a->req.via, VIA_FOR_BOOK);
}

static int resolve(struct appt_session *s, struct book_args *a)
{
	struct appt_err err = { "" };
	int status = client_resolve(s->db, a->client, &a->req.client_id, &err);

	if (status)
		return cli_report(status, &err);
	status = cli_parse_placement(s, &a->where, &a->req.at, &a->req.from, &err);
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
		printf("booked #%lld: %s, %s with %s, %s-%s", res->id, c.name, svc->name,
		       p->name, start, end);
		client_release(&c);
	} else {
		printf("booked #%lld: %s with %s, %s-%s", res->id, svc->name, p->name, start, end);
	}
	if (res->resource)
		printf(" (%s)", res->resource);
	putchar('\n');
}

int main(int argc, char **argv)
{
	struct book_args a = { 0 };
	struct booking_result res = { 0 };
	struct appt_session s;
	struct appt_err err = { "" };
	int status;

	cli_start("book", usage);
	status = parse_args(argc, argv, &a);
	if (status)
		return status < 0 ? cli_help() : status;
	status = cli_open_session(&s, SESSION_CONFIG | SESSION_DB);
	if (!status)
		status = resolve(&s, &a);
	if (!status) {
		status = cli_report(appointment_book(&s, &a.req, &res, &err), &err);
		for (size_t i = 0; !status && i < res.warnings.nr; i++)
			cli_warning("%s", res.warnings.items[i]);
		if (!status)
			warn_alerts(&s, a.req.client_id);
	}
	if (!status && a.quiet)
		printf("%lld\n", res.id);
	else if (!status)
		print_booking(&s, &a.req, &res);
	if (!status)
		cli_send_notice(&s, res.message_id, a.no_send);
	booking_result_release(&res);
	session_close(&s);
	return cli_exit(status);
}
