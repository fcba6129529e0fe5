/*
 * appt noshow: mark a no-show once the start and the grace period are past.
 * The library applies policies.noshow (fee, warning, block); this file reads
 * the command line and reports each consequence on its own line.
 */
#include <stdio.h>

#include "booking.h"
#include "cli.h"
#include "client.h"
#include "when.h"

static const char usage[] =
	"usage: appt noshow ID [--note TEXT] [--force --reason TEXT] [--no-send]\n"
	"\n"
	"Marks appointment ID a no-show.  Allowed once its start plus\n"
	"policies.noshow.grace has passed; charges policies.noshow.fee, warns at\n"
	"warn_after no-shows and blocks the client at block_after no-shows within\n"
	"the policy window.\n"
	"\n"
	"  --note TEXT     a note kept with the appointment\n"
	"  --force         override a policy refusal (needs --reason; managers\n"
	"                  only when roles.managers is set)\n"
	"  --reason TEXT   why the override, kept in the audit log\n"
	"  --no-send       queue the message asking to rebook without delivering it now\n";

struct options {
	const char *note;
	const char *reason;
	int force;
	int no_send;
	int help;
};

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option table[] = {
		{ "note", required_argument, NULL, 'N' },
		{ "reason", required_argument, NULL, 'R' },
		{ "force", no_argument, NULL, 'f' },
		{ "no-send", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, ":h", table, NULL)) != -1) {
		switch (c) {
		case 'N': o->note = optarg; break;
		case 'R': o->reason = optarg; break;
		case 'f': o->force = 1; break;
		case 'n': o->no_send = 1; break;
		case 'h': o->help = 1; return APPT_OK;
		default: return cli_bad_option(c, argv);
		}
	}
	return APPT_OK;
}

static int check_options(const struct options *o)
{
	if (o->force && !(o->reason && *o->reason))
		return cli_usage_error("--force needs --reason: every override is logged with why");
	return APPT_OK;
}

static void print_blocked(const struct appt_session *s, const struct booking_result *r)
{
	char window[40];

	when_format_duration(s->cfg->policies.noshow.window, window, sizeof(window));
	printf("client #%lld blocked: %d no-shows in %s\n", r->client_id, r->noshows, window);
}

/* Each consequence of the no-show on its own line: fee, warning, block. */
static void print(const struct appt_session *s, const struct booking_result *r,
		  void *opts)
{
	char fee[32];

	printf("marked #%lld no-show\n", r->id);
	if (r->fee) {
		money_format(r->fee, fee, sizeof(fee));
		printf("fee %s charged\n", fee);
	}
	for (size_t i = 0; i < r->warnings.nr; i++)
		cli_warning("%s", r->warnings.items[i]);
	if (r->client_blocked)
		print_blocked(s, r);
}

static int apply(struct appt_session *s, long long id, void *opts,
		 struct booking_result *res, struct appt_err *err)
{
	const struct options *o = opts;

	return appointment_noshow(s, id, o->note, o->force, o->reason, res, err);
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct cli_change change = { apply, print, 0 };
	long long id;
	int status;

	cli_start("noshow", usage);
	if ((status = parse_options(argc, argv, &o)) || o.help)
		return status ? status : cli_help();
	if ((status = cli_one_id(argc, argv, &id)) || (status = check_options(&o)))
		return status;
	change.no_send = o.no_send;
	return cli_exit(cli_change_appointment(id, &change, &o));
}
