/* appt waitlist: clients waiting for a time — add them, list them, remove them. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "client.h"
#include "command.h"
#include "output.h"
#include "waitlist.h"

static const char usage[] =
	"usage: appt waitlist [add] --client C --service S [--provider P] [--from D] [--to D]\n"
	"                     [--days mon,tue] [--times 09:00-12:00] [--note T] [-q]\n"
	"       appt waitlist list [--client C] [--service S] [--provider P] [--status S]\n"
	"                     [--format F] [--wide]\n"
	"       appt waitlist remove ID [--reason T] [-q]\n"
	"\n"
	"Every slot a cancel, a move, a lapsed hold or a no-show frees is offered by\n"
	"appt remind to the matching entries in the order they were added: the first\n"
	"gets a hold (policies.waitlist.offer_hold) and notices.waitlist_offer, the\n"
	"next only when that hold lapses.  Booking the client for the service closes\n"
	"the entry.\n"
	"\n"
	"  --client C     the client (list: only this one)\n"
	"  --service S    the service wanted (list: only this one)\n"
	"  --provider P   only this provider (default: any offering the service)\n"
	"  --from D       the first day the client can come (YYYY-MM-DD, today,\n"
	"                 tomorrow or a day word)\n"
	"  --to D         the last day, included\n"
	"  --days LIST    weekdays: mon,tue, or a range such as mon-fri\n"
	"  --times LIST   times of day the whole visit fits in: 09:00-12:00,\n"
	"                 several joined by commas\n"
	"  --note T       for the desk\n"
	"  --status S     list: open (the default), booked, removed or all\n"
	"  --reason T     remove: why, for the audit log\n"
	"  --format F     list: table, csv or json (default: table on a terminal)\n"
	"  --wide         list: a table shows names and notes whole, however wide\n"
	"  -q, --quiet    add: print only the new id; remove: print nothing\n";

static int check_add(struct cmd_context *c)
{
	if (!cmd_value(c, "client") || !cmd_value(c, "service"))
		return cli_usage_error("--client and --service are required");
	return APPT_OK;
}

static int parse_status(const char *arg)
{
	static const char *const words[] = { "open", "booked", "removed", "all" };

	for (size_t i = 0; arg && i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(arg, words[i]))
			return APPT_OK;
	if (!arg)
		return APPT_OK;
	return cli_error(APPT_DATAERR, "invalid value '%s' for --status (expected open,"
			 " booked, removed or all)", arg);
}

static int check_list(struct cmd_context *c)
{
	enum output_format format;
	int status = cli_read_formats(cmd_values(c, "format"), &format);

	return status ? status : parse_status(cmd_value(c, "status"));
}

static int check_remove(struct cmd_context *c)
{
	long long id;

	return cli_parse_id(c->argv[0], "waitlist entry", &id);
}

static int resolve_client(struct appt_session *s, const char *ref, long long *id)
{
	struct appt_err err = { "" };

	*id = 0;
	if (!ref)
		return APPT_OK;
	return cli_report(client_resolve(s->db, ref, id, &err), &err);
}

/* "with kim, mon,tue 09:00-12:00, 2027-03-02 to 2027-03-12", or "any time". */
static void describe_wants(const struct waitlist_entry *e, struct strbuf *out)
{
	size_t bare;

	if (e->provider)
		strbuf_addf(out, " with %s", e->provider);
	bare = out->len;
	if (e->days)
		strbuf_addf(out, ", %s", e->days);
	if (e->times)
		strbuf_addf(out, "%s%s", e->days ? " " : ", ", e->times);
	if (e->from_day && e->to_day)
		strbuf_addf(out, ", %s to %s", e->from_day, e->to_day);
	else if (e->from_day)
		strbuf_addf(out, ", from %s", e->from_day);
	else if (e->to_day)
		strbuf_addf(out, ", until %s", e->to_day);
	if (out->len == bare)
		strbuf_addstr(out, ", any time");
}

/* The entry as stored (its words written the one way), read back to print. */
static int print_added(struct appt_session *s, long long id)
{
	struct waitlist_filter f = { .id = id, .status = "all" };
	struct waitlist_list found = { NULL, 0, 0 };
	struct strbuf wants = STRBUF_INIT;
	struct appt_err err = { "" };
	int status = cli_report(waitlist_read(s->db, &f, &found, &err), &err);

	if (!status && found.nr) {
		describe_wants(&found.items[0], &wants);
		printf("waitlist #%lld: %s for %s%s\n", id, found.items[0].client_name,
		       found.items[0].service, wants.buf);
	}
	strbuf_release(&wants);
	waitlist_list_release(&found);
	return status;
}

static int run_add(struct cmd_context *c)
{
	struct waitlist_want w = {
		.service = cmd_value(c, "service"), .provider = cmd_value(c, "provider"),
		.from = cmd_value(c, "from"), .to = cmd_value(c, "to"),
		.days = cmd_value(c, "days"), .times = cmd_value(c, "times"),
		.note = cmd_value(c, "note"),
	};
	struct appt_err err = { "" };
	long long id = 0;
	int status = resolve_client(&c->s, cmd_value(c, "client"), &w.client_id);

	if (!status)
		status = cli_report(waitlist_add(&c->s, &w, &id, &err), &err);
	if (status)
		return status;
	if (cmd_given(c, "quiet")) {
		printf("%lld\n", id);
		return APPT_OK;
	}
	return print_added(&c->s, id);
}

/* The same columns in every format; only how the instant is written differs. */
static const struct output_column entry_columns[] = {
	{ "id", COL_INT, FIT_WHOLE }, { "added", COL_TEXT, FIT_WHOLE },
	{ "client", COL_TEXT, FIT_SHRINK }, { "service", COL_TEXT, FIT_WHOLE },
	{ "provider", COL_TEXT, FIT_WHOLE }, { "from", COL_TEXT, FIT_WHOLE },
	{ "to", COL_TEXT, FIT_WHOLE }, { "days", COL_TEXT, FIT_WHOLE },
	{ "times", COL_TEXT, FIT_WHOLE }, { "status", COL_TEXT, FIT_WHOLE },
	{ "offers", COL_INT, FIT_WHOLE }, { "appointment", COL_INT, FIT_WHOLE },
	{ "note", COL_TEXT, FIT_SHRINK },
};

#define NCOLS (sizeof(entry_columns) / sizeof(entry_columns[0]))

static void entry_row(struct output *out, enum output_format format,
		      const struct waitlist_entry *e)
{
	char id[24], added[40], offers[16], appointment[24];

	snprintf(id, sizeof(id), "%lld", e->id);
	if (format == OUTPUT_TABLE)
		when_format_local(e->created_at, added, sizeof(added));
	else
		when_format_iso(e->created_at, added, sizeof(added));
	snprintf(offers, sizeof(offers), "%d", e->offers);
	snprintf(appointment, sizeof(appointment), "%lld", e->appointment_id);
	output_row(out, (const char *const[NCOLS]){
		id, added, e->client_name, e->service, e->provider, e->from_day, e->to_day,
		e->days, e->times, e->status, offers, e->appointment_id ? appointment : NULL,
		e->note,
	});
}

static int run_list(struct cmd_context *c)
{
	struct waitlist_filter f = {
		.service = cmd_value(c, "service"), .provider = cmd_value(c, "provider"),
		.status = cmd_value(c, "status"),
	};
	struct waitlist_list entries = { NULL, 0, 0 };
	struct appt_err err = { "" };
	enum output_format format;
	struct output *out;
	int status;

	if (f.provider && !config_provider(c->s.cfg, f.provider))
		return cli_error(APPT_NOTFOUND, "no provider '%s'", f.provider);
	if (f.service && !config_service(c->s.cfg, f.service))
		return cli_report(config_no_service(c->s.cfg, f.service, &err), &err);
	if ((status = cli_read_formats(cmd_values(c, "format"), &format)) ||
	    (status = resolve_client(&c->s, cmd_value(c, "client"), &f.client_id)))
		return status;
	if ((status = cli_report(waitlist_read(c->s.db, &f, &entries, &err), &err)))
		return status;
	out = output_begin(stdout, format, entry_columns, NCOLS,
			   cmd_given(c, "wide") ? OUTPUT_WIDE : 0);
	for (size_t i = 0; i < entries.nr; i++)
		entry_row(out, format, &entries.items[i]);
	waitlist_list_release(&entries);
	if (output_end(out))
		return cli_error(APPT_IOERR, "cannot write output");
	return APPT_OK;
}

static int run_remove(struct cmd_context *c)
{
	struct appt_err err = { "" };
	long long id = 0;
	int status = cli_parse_id(c->argv[0], "waitlist entry", &id);

	if (!status)
		status = cli_report(waitlist_remove(&c->s, id, cmd_value(c, "reason"), &err), &err);
	if (!status && !cmd_given(c, "quiet"))
		printf("removed waitlist entry #%lld\n", id);
	return status;
}

static const struct cmd_option add_options[] = {
	{ "client", 0, CMD_VALUE, "@clients" },
	{ "service", 0, CMD_VALUE, "@services" },
	{ "provider", 0, CMD_VALUE, "@providers" },
	{ "from", 0, CMD_VALUE, "today tomorrow mon tue wed thu fri sat sun" },
	{ "to", 0, CMD_VALUE, "today tomorrow mon tue wed thu fri sat sun" },
	{ "days", 0, CMD_VALUE, "@list mon tue wed thu fri sat sun" },
	{ "times", 0, CMD_VALUE, NULL },
	{ "note", 0, CMD_VALUE, NULL },
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct cmd_option list_options[] = {
	{ "client", 0, CMD_VALUE, "@clients" },
	{ "service", 0, CMD_VALUE, "@services" },
	{ "provider", 0, CMD_VALUE, "@providers" },
	{ "status", 0, CMD_VALUE, "open booked removed all" },
	{ "format", 0, CMD_VALUE, "table csv json" },
	{ "wide", 0, CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct cmd_option remove_options[] = {
	{ "reason", 0, CMD_VALUE, NULL },
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

/* The three forms share one usage text: it is short, and says how they differ. */
static const struct command waitlist_subcommands[] = {
	{ .name = "add", .summary = "put a client on the waitlist", .usage = usage,
	  .options = add_options, .min_args = 0, .max_args = 0,
	  .needs = CMD_NEEDS_DB, .check = check_add, .run = run_add },
	{ .name = "list", .summary = "list the waitlist", .usage = usage,
	  .options = list_options, .min_args = 0, .max_args = 0,
	  .needs = CMD_NEEDS_DB | CMD_NEEDS_SNAPSHOT, .check = check_list, .run = run_list },
	{ .name = "remove", .summary = "take an entry off the waitlist", .usage = usage,
	  .options = remove_options, .min_args = 1, .max_args = 1,
	  .needs = CMD_NEEDS_DB, .check = check_remove, .run = run_remove },
};

/* No suggestion: the usage, three lines, says what there is. */
static int refuse(const struct command *family, const char *name)
{
	if (!name)
		return cli_usage_error(NULL);
	return cli_usage_error("unknown subcommand '%s'", name);
}

/* `appt waitlist --client ...` is add: waiting is what the command is for. */
const struct command cmd_waitlist = {
	.name = "waitlist", .summary = "clients waiting for a freed slot", .usage = usage,
	.flags = CMD_DEFAULT_SUB, .subcommands = waitlist_subcommands,
	.nr_subcommands = sizeof(waitlist_subcommands) / sizeof(waitlist_subcommands[0]),
	.refuse = refuse,
};
