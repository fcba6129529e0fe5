/* appt invoice: bill a done appointment; list, show, void and send invoices. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "cli.h"
#include "client.h"
#include "command.h"
#include "invoice.h"
#include "invoice_render.h"
#include "money.h"
#include "outbox.h"
#include "output.h"

static const char usage[] =
	"usage: appt invoice ID [--item TEXT=AMOUNT]... [--discount AMOUNT|PCT%] [-q]\n"
	"       appt invoice list [--client C] [--status S] [--from D] [--to D] [--format F]\n"
	"                         [--wide]\n"
	"       appt invoice show N [--format text|html]\n"
	"       appt invoice void N --reason T [-q]\n"
	"       appt invoice send N [--no-send]\n"
	"\n"
	"appt invoice ID issues the invoice of done appointment ID: the service at its\n"
	"price (services: price), each --item, the discount, each tax of billing.tax\n"
	"on what is left, and the total.  It is numbered PREFIX-YEAR-NNNN, without\n"
	"gaps, and never changed: void it to issue a credit note that cancels it.\n"
	"N is an invoice's number as printed (INV-2027-0001, any case): a bare number\n"
	"is an appointment's.\n"
	"\n"
	"  --item TEXT=AMOUNT  an extra product or charge (\"Fluoride varnish=12.50\");\n"
	"                   repeat for more\n"
	"  --discount X     an amount off (5.00) or a share of the subtotal (10%)\n"
	"  --client C       list: only this client's\n"
	"  --status S       list: open, paid, void or credit (default: all)\n"
	"  --from D, --to D list: issued from D, up to and including D\n"
	"  --format F       list: table, csv or json; show: text (default) or html\n"
	"  --wide           list: a table shows client names whole, however wide\n"
	"  --reason T       void: why, printed on the credit note and logged\n"
	"  --no-send        send: queue the e-mail for appt remind instead\n"
	"  -q, --quiet      issue and void: print only the new number\n";

/* ---- issue ---- */

/* "Fluoride varnish=12.50": the text before the last '=', the amount after. */
static int parse_item(const char *arg, struct invoice_item *item, char **text)
{
	const char *eq = strrchr(arg, '=');

	if (!eq || eq == arg)
		return cli_error(APPT_DATAERR, "invalid --item '%s' (expected TEXT=AMOUNT, such"
				 " as \"Fluoride varnish=12.50\")", arg);
	*text = xstrndup(arg, (size_t)(eq - arg));
	item->text = *text;
	if (money_parse(eq + 1, &item->amount) || !item->amount)
		return cli_error(APPT_DATAERR, "invalid amount '%s' in --item (write 12 or 12.50,"
				 " more than 0)", eq + 1);
	return APPT_OK;
}

static int parse_discount(const char *arg, struct invoice_order *o)
{
	if (!arg)
		return APPT_OK;
	if (strchr(arg, '%') ? rate_parse(arg, &o->discount_rate) : money_parse(arg, &o->discount))
		return cli_error(APPT_DATAERR, "invalid --discount '%s' (an amount such as 5.00,"
				 " or a share such as 10%%)", arg);
	return APPT_OK;
}

struct items {
	struct invoice_item *items;
	char **texts;
	size_t nr;
};

static void items_release(struct items *it)
{
	for (size_t i = 0; i < it->nr; i++)
		free(it->texts[i]);
	free(it->texts);
	free(it->items);
}

static int read_order(struct cmd_context *c, struct invoice_order *o, struct items *it)
{
	const struct strlist *args = cmd_values(c, "item");
	int status = cli_parse_id(c->argv[0], "appointment", &o->appointment_id);

	it->nr = 0;
	it->items = xcalloc(args->nr + 1, sizeof(*it->items));
	it->texts = xcalloc(args->nr + 1, sizeof(*it->texts));
	for (size_t i = 0; !status && i < args->nr; i++, it->nr++)
		status = parse_item(args->items[i], &it->items[i], &it->texts[i]);
	if (status && it->nr < args->nr)
		it->nr++; /* the text of the item that failed is ours to free too */
	o->items = it->items;
	o->nr_items = it->nr;
	return status ? status : parse_discount(cmd_value(c, "discount"), o);
}

static int check_issue(struct cmd_context *c)
{
	struct invoice_order o = { 0 };
	struct items it = { 0 };
	int status = read_order(c, &o, &it);

	items_release(&it);
	return status;
}

static void print_money_line(const char *label, long long amount, const char *currency)
{
	char m[32];

	money_format(amount, m, sizeof(m));
	printf("%s %s %s\n", label, m, currency);
}

static int print_issued(struct appt_session *s, long long id, int quiet)
{
	struct appt_err err = { "" };
	struct invoice inv;
	int status = cli_report(invoice_get(s->db, id, &inv, &err), &err);
	char total[32];

	if (status)
		return status;
	if (quiet) {
		printf("%s\n", inv.number);
	} else {
		money_format(inv.total, total, sizeof(total));
		printf("%s: %s %s to %s for appointment #%lld\n", inv.number, total, inv.currency,
		       inv.client_name, inv.appointment_id);
		if (inv.paid)
			print_money_line("paid from credit:", inv.paid, inv.currency);
		print_money_line("due:", inv.total - inv.paid, inv.currency);
	}
	invoice_release(&inv);
	return APPT_OK;
}

static int run_issue(struct cmd_context *c)
{
	struct invoice_order o = { 0 };
	struct items it = { 0 };
	struct appt_err err = { "" };
	long long id = 0;
	int status = read_order(c, &o, &it);

	if (!status)
		status = cli_report(invoice_issue(&c->s, &o, &id, &err), &err);
	items_release(&it);
	return status ? status : print_issued(&c->s, id, cmd_given(c, "quiet"));
}

/* ---- list ---- */

static const char *const statuses[] = { "open", "paid", "void", "credit" };

static int check_list(struct cmd_context *c)
{
	const char *st = cmd_value(c, "status");
	enum output_format format;
	int status = cli_read_formats(cmd_values(c, "format"), &format);

	if (status || !st)
		return status;
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (!strcmp(st, statuses[i]))
			return APPT_OK;
	return cli_error(APPT_DATAERR, "invalid value '%s' for --status (expected open, paid,"
			 " void or credit)", st);
}

static const struct output_column invoice_columns[] = {
	{ "number", COL_TEXT, FIT_WHOLE }, { "issued", COL_TEXT, FIT_WHOLE },
	{ "client", COL_TEXT, FIT_SHRINK }, { "appointment", COL_INT, FIT_WHOLE },
	{ "total", COL_MONEY, FIT_WHOLE }, { "paid", COL_MONEY, FIT_WHOLE },
	{ "status", COL_TEXT, FIT_WHOLE }, { "cancels", COL_TEXT, FIT_WHOLE },
};

#define NCOLS (sizeof(invoice_columns) / sizeof(invoice_columns[0]))

struct list_run {
	struct output *out;
	enum output_format format;
};

static void invoice_row(const struct invoice *inv, void *data)
{
	struct list_run *r = data;
	char issued[40], appointment[24], total[32], paid[32];

	if (r->format == OUTPUT_TABLE)
		when_format_local(inv->issued_at, issued, sizeof(issued));
	else
		when_format_iso(inv->issued_at, issued, sizeof(issued));
	snprintf(appointment, sizeof(appointment), "%lld", inv->appointment_id);
	money_format(inv->total, total, sizeof(total));
	money_format(inv->paid, paid, sizeof(paid));
	output_row(r->out, (const char *const[NCOLS]){
		inv->number, issued, inv->client_name, inv->appointment_id ? appointment : NULL,
		total, paid, invoice_status(inv), inv->cancels_number,
	});
}

/* --from D and --to D, D included: [start of from, start of the day after to). */
static int read_period(struct cmd_context *c, struct invoice_filter *f)
{
	struct appt_err err = { "" };
	struct appt_date d;
	const char *from = cmd_value(c, "from"), *to = cmd_value(c, "to");

	if (from && when_parse_date(from, c->s.now, &d, &err))
		return cli_report(APPT_DATAERR, &err);
	if (from)
		f->from = when_day_start(d);
	if (to && when_parse_date(to, c->s.now, &d, &err))
		return cli_report(APPT_DATAERR, &err);
	if (to)
		f->to = when_day_start(date_add_days(d, 1));
	return APPT_OK;
}

static int run_list(struct cmd_context *c)
{
	struct invoice_filter f = { .status = cmd_value(c, "status") };
	struct appt_err err = { "" };
	struct list_run r;
	const char *client = cmd_value(c, "client");
	int status = cli_read_formats(cmd_values(c, "format"), &r.format);

	if (!status && client)
		status = cli_report(client_resolve(c->s.db, client, &f.client_id, &err), &err);
	if (!status)
		status = read_period(c, &f);
	if (status)
		return status;
	r.out = output_begin(stdout, r.format, invoice_columns, NCOLS,
			     cmd_given(c, "wide") ? OUTPUT_WIDE : 0);
	status = cli_report(invoice_each(c->s.db, &f, invoice_row, &r, &err), &err);
	if (output_end(r.out) && !status)
		return cli_error(APPT_IOERR, "cannot write output");
	return status;
}

/* ---- show ---- */

static int check_show(struct cmd_context *c)
{
	const char *format = cmd_value(c, "format");

	if (format && strcmp(format, "text") && strcmp(format, "html"))
		return cli_error(APPT_DATAERR, "invalid value '%s' for --format (expected text or"
				 " html)", format);
	return APPT_OK;
}

static int read_invoice(struct cmd_context *c, struct invoice *inv)
{
	struct appt_err err = { "" };
	long long id = 0;
	int status = cli_report(invoice_find(c->s.db, c->argv[0], &id, &err), &err);

	*inv = (struct invoice){ 0 };
	if (!status)
		status = cli_report(invoice_get(c->s.db, id, inv, &err), &err);
	return status;
}

static int run_show(struct cmd_context *c)
{
	const char *format = cmd_value(c, "format");
	struct strbuf out = STRBUF_INIT;
	struct invoice inv;
	int status = read_invoice(c, &inv);

	if (status)
		return status;
	if (format && !strcmp(format, "html"))
		invoice_render_html(c->s.cfg, &inv, &out);
	else
		invoice_render_text(c->s.cfg, &inv, &out);
	fputs(out.buf, stdout);
	strbuf_release(&out);
	invoice_release(&inv);
	return APPT_OK;
}

/* ---- void ---- */

static int check_void(struct cmd_context *c)
{
	const char *reason = cmd_value(c, "reason");

	if (!reason || !*reason)
		return cli_usage_error("--reason is required: a credit note says why");
	return APPT_OK;
}

static void print_voided(struct appt_session *s, const struct invoice *inv,
			 long long credit_id)
{
	struct appt_err err = { "" };
	struct invoice note;
	struct account acc;
	char m[32];

	if (invoice_get(s->db, credit_id, &note, &err))
		return;
	money_format(note.total, m, sizeof(m));
	printf("voided %s with credit note %s (%s %s)\n", inv->number, note.number, m,
	       note.currency);
	if (inv->paid) {
		money_format(inv->paid, m, sizeof(m));
		printf("the %s paid on it is %s's credit\n", m, inv->client_name);
	}
	if (!account_read(s->db, inv->client_id, &acc, &err)) {
		money_format(acc.balance, m, sizeof(m));
		printf("balance: %s\n", m);
	}
	invoice_release(&note);
}

static int run_void(struct cmd_context *c)
{
	struct appt_err err = { "" };
	struct invoice inv, note;
	long long credit_id = 0;
	int status = read_invoice(c, &inv);

	if (!status)
		status = cli_report(invoice_void(&c->s, inv.id, cmd_value(c, "reason"), &credit_id,
						 &err), &err);
	if (!status && cmd_given(c, "quiet")) {
		if (!invoice_get(c->s.db, credit_id, &note, &err)) {
			printf("%s\n", note.number);
			invoice_release(&note);
		}
	} else if (!status) {
		print_voided(&c->s, &inv, credit_id);
	}
	invoice_release(&inv);
	return status;
}

/* ---- send ---- */

static int queue_send(struct appt_session *s, long long id, long long *message,
		      long long *already)
{
	struct appt_err err = { "" };

	return cli_report(outbox_queue_invoice(s, id, message, already, &err), &err);
}

static int run_send(struct cmd_context *c)
{
	struct invoice inv;
	long long message = 0, already = 0;
	int status = read_invoice(c, &inv);

	if (!status && inv.voided_by)
		status = cli_error(APPT_REFUSED, "%s is void: send its credit note, %s", inv.number,
				   inv.voided_by);
	if (!status)
		status = queue_send(&c->s, inv.id, &message, &already);
	if (!status && already)
		status = cli_error(APPT_REFUSED, "%s was already sent (message #%lld; appt show"
				   " lists it with the appointment)", inv.number, already);
	if (!status) {
		printf("%s: message #%lld to %s\n", inv.number, message, inv.client_name);
		cli_send_notice(&c->s, message, cmd_given(c, "no-send"));
	}
	invoice_release(&inv);
	return status;
}

/* ---- the family ---- */

static int check_one(struct cmd_context *c)
{
	if (!c->argv[0][0])
		return cli_usage_error("an invoice number is required");
	return APPT_OK;
}

static const struct cmd_option issue_options[] = {
	{ "item", 0, CMD_VALUE, NULL },
	{ "discount", 0, CMD_VALUE, NULL },
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct cmd_option list_options[] = {
	{ "client", 0, CMD_VALUE, "@clients" },
	{ "status", 0, CMD_VALUE, "open paid void credit" },
	{ "from", 0, CMD_VALUE, "today tomorrow mon tue wed thu fri sat sun" },
	{ "to", 0, CMD_VALUE, "today tomorrow mon tue wed thu fri sat sun" },
	{ "format", 0, CMD_VALUE, "table csv json" },
	{ "wide", 0, CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct cmd_option show_options[] = {
	{ "format", 0, CMD_VALUE, "text html" },
	{ NULL, 0, 0, NULL },
};

static const struct cmd_option void_options[] = {
	{ "reason", 0, CMD_VALUE, NULL },
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct cmd_option send_options[] = {
	{ "no-send", 0, CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

static const struct command invoice_subcommands[] = {
	{ .name = "issue", .summary = "invoice a done appointment", .usage = usage,
	  .options = issue_options, .min_args = 1, .max_args = 1,
	  .needs = CMD_NEEDS_DB, .check = check_issue, .run = run_issue },
	{ .name = "list", .summary = "list invoices and credit notes", .usage = usage,
	  .options = list_options, .min_args = 0, .max_args = 0,
	  .needs = CMD_NEEDS_DB | CMD_NEEDS_SNAPSHOT, .check = check_list, .run = run_list },
	{ .name = "show", .summary = "print an invoice", .usage = usage,
	  .options = show_options, .min_args = 1, .max_args = 1,
	  .needs = CMD_NEEDS_DB | CMD_NEEDS_SNAPSHOT, .check = check_show, .run = run_show },
	{ .name = "void", .summary = "cancel an invoice with a credit note", .usage = usage,
	  .options = void_options, .min_args = 1, .max_args = 1,
	  .needs = CMD_NEEDS_DB, .check = check_void, .run = run_void },
	{ .name = "send", .summary = "e-mail an invoice to the client", .usage = usage,
	  .options = send_options, .min_args = 1, .max_args = 1,
	  .needs = CMD_NEEDS_DB, .check = check_one, .run = run_send },
};

const struct command cmd_invoice = {
	.name = "invoice", .summary = "invoices: issue, list, show, void, send", .usage = usage,
	.flags = CMD_ID_SUB | CMD_SIBLING_OPTIONS, .subcommands = invoice_subcommands,
	.nr_subcommands = sizeof(invoice_subcommands) / sizeof(invoice_subcommands[0]),
};
