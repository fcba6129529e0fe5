/* appt pay: record money received, on one invoice or a client's oldest open items. */
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "cli.h"
#include "client.h"
#include "command.h"
#include "invoice.h"
#include "money.h"

static const char usage[] =
	"usage: appt pay (--invoice N | --client C) --amount X --method M [--ref T]\n"
	"                [--credit] [-q]\n"
	"\n"
	"Records a payment, whole or partial.  On an invoice it pays that invoice; on\n"
	"a client it pays their open invoices and fees, oldest first.  More than is\n"
	"due is refused unless --credit keeps the rest as the client's credit, which\n"
	"pays whatever they are billed next.\n"
	"\n"
	"  --invoice N    the invoice paid, by its number (INV-2027-0001)\n"
	"  --client C     the client paying\n"
	"  --amount X     how much: 45, 45.50\n"
	"  --method M     cash, card, transfer or other\n"
	"  --ref T        the card slip's or the transfer's reference\n"
	"  --credit       keep what is over the amount due as credit\n"
	"  -q, --quiet    print only the payment's id\n";

static int check_pay(struct cmd_context *c)
{
	const char *amount = cmd_value(c, "amount");
	struct appt_err err = { "" };
	long long cents;

	if (!cmd_value(c, "invoice") == !cmd_value(c, "client"))
		return cli_usage_error("give one of --invoice and --client");
	if (!amount || !cmd_value(c, "method"))
		return cli_usage_error("--amount and --method are required");
	if (money_parse(amount, &cents) || !cents)
		return cli_error(APPT_DATAERR, "invalid --amount '%s' (write 45 or 45.50, more"
				 " than 0)", amount);
	return cli_report(payment_check_method(cmd_value(c, "method"), &err), &err);
}

static int read_order(struct cmd_context *c, struct payment_order *o)
{
	struct appt_err err = { "" };
	const char *invoice = cmd_value(c, "invoice");

	*o = (struct payment_order){
		.method = cmd_value(c, "method"), .ref = cmd_value(c, "ref"),
		.credit = cmd_given(c, "credit"),
	};
	money_parse(cmd_value(c, "amount"), &o->amount);
	if (invoice)
		return cli_report(invoice_find(c->s.db, invoice, &o->invoice_id, &err), &err);
	return cli_report(client_resolve(c->s.db, cmd_value(c, "client"), &o->client_id, &err),
			  &err);
}

/* "  INV-2027-0001: 50.00 (45.20 left)", "  no-show fee: 25.00 (paid)" */
static void print_paid(const struct account_item *it)
{
	char amount[32], left[32];

	money_format(it->amount, amount, sizeof(amount));
	money_format(it->due, left, sizeof(left));
	if (it->kind == ACCOUNT_FEE)
		printf("  %s #%lld: %s", it->label, it->id, amount);
	else
		printf("  %s: %s", it->label, amount);
	if (it->due)
		printf(" (%s left)\n", left);
	else
		printf(" (paid)\n");
}

static void print_after(struct appt_session *s, const struct payment_result *r)
{
	char m[32];

	money_format(r->after.balance, m, sizeof(m));
	printf("balance: %s\n", m);
	if (r->after.credit) {
		money_format(r->after.credit, m, sizeof(m));
		printf("credit: %s\n", m);
	}
	if (account_may_unblock(s->db, r->client_id))
		printf("the client is blocked and owes no fee now: appt client unblock %lld"
		       " lifts the block\n", r->client_id);
}

static int run_pay(struct cmd_context *c)
{
	struct payment_order o;
	struct payment_result r;
	struct appt_err err = { "" };
	char amount[32];
	int status = read_order(c, &o);

	if (!status)
		status = cli_report(payment_record(&c->s, &o, &r, &err), &err);
	if (status)
		return status;
	if (cmd_given(c, "quiet")) {
		printf("%lld\n", r.id);
	} else {
		money_format(o.amount, amount, sizeof(amount));
		printf("payment #%lld: %s %s %s\n", r.id, amount, c->s.cfg->billing.currency,
		       o.method);
		for (size_t i = 0; i < r.paid.nr; i++)
			print_paid(&r.paid.items[i]);
		print_after(&c->s, &r);
	}
	payment_result_release(&r);
	return APPT_OK;
}

static const struct cmd_option options[] = {
	{ "invoice", 0, CMD_VALUE, NULL },
	{ "client", 0, CMD_VALUE, "@clients" },
	{ "amount", 0, CMD_VALUE, NULL },
	{ "method", 0, CMD_VALUE, "cash card transfer other" },
	{ "ref", 0, CMD_VALUE, NULL },
	{ "credit", 0, CMD_FLAG, NULL },
	{ "quiet", 'q', CMD_FLAG, NULL },
	{ NULL, 0, 0, NULL },
};

const struct command cmd_pay = {
	.name = "pay", .summary = "record a payment", .usage = usage, .options = options,
	.min_args = 0, .max_args = 0, .needs = CMD_NEEDS_DB, .check = check_pay, .run = run_pay,
};
