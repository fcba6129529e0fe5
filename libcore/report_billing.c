/*
 * What the desk billed and took in (seed 003, "Invoicing and Payments"):
 * revenue as invoiced, what clients still owe and for how long, and the
 * end-of-day cash-up.  The figures are account.h's and invoice.h's: a
 * credit note is a negative invoice, a balance is what was billed less
 * what was paid.
 */
#include "report_defs.h"
#include "report_sql.h"

#include <stdlib.h>

/*
 * Revenue is what was invoiced, on the day it was invoiced (business time,
 * the date() both stores have): a credit note counts against the day it
 * was issued, not the day of the invoice it voids, so a closed day's
 * figures never change.  net is after the discount, before tax.
 */
#define REVENUE_FROM                                                         \
	" FROM invoices i LEFT JOIN appointments a ON a.id = i.appointment_id" \
	" WHERE" SQL_PERIOD("i.issued_at") SQL_PROVIDER("a") SQL_CLIENT("i.client_id")
#define REVENUE_COUNTS                                                       \
	" count(CASE WHEN i.kind = 'invoice' THEN 1 END),"                      \
	" count(CASE WHEN i.kind = 'credit' THEN 1 END),"
#define REVENUE_SUMS                                                         \
	" coalesce(sum(i.subtotal - i.discount), 0), coalesce(sum(i.tax), 0),"  \
	" coalesce(sum(i.total), 0)"

static const char *const revenue_sql[] = {
	"SELECT date(i.issued_at, 'unixepoch', 'localtime') AS day, a.provider, a.service,"
	REVENUE_COUNTS REVENUE_SUMS REVENUE_FROM
	" GROUP BY date(i.issued_at, 'unixepoch', 'localtime'), a.provider, a.service"
	" ORDER BY day, a.provider, a.service",
	"SELECT 'total', NULL, NULL," REVENUE_COUNTS REVENUE_SUMS REVENUE_FROM,
	NULL,
};

static const struct report_column revenue_cols[] = {
	RC_TEXT("day"), RC_TEXT("provider"), RC_TEXT("service"), RC_INT("invoices"),
	RC_INT("credit_notes"), RC_MONEY("net"), RC_MONEY("tax"), RC_MONEY("total"),
};

SQL_REPORT(report_revenue, revenue_cols, revenue_sql, 0)

/*
 * The cash-up: every method, those that took nothing too, so that the
 * drawer and the card terminal are counted against a line each.
 */
#define METHODS                                                              \
	"(SELECT 1 AS pos, 'cash' AS method UNION ALL SELECT 2, 'card'"        \
	" UNION ALL SELECT 3, 'transfer' UNION ALL SELECT 4, 'other') m"
#define PAYMENTS_IN_PERIOD SQL_PERIOD("p.at") SQL_CLIENT("p.client_id")

static const char *const payments_sql[] = {
	"SELECT m.method, count(p.id), coalesce(sum(p.amount), 0) FROM " METHODS
	" LEFT JOIN payments p ON p.method = m.method AND" PAYMENTS_IN_PERIOD
	" GROUP BY m.pos, m.method ORDER BY m.pos",
	"SELECT 'total', count(*), coalesce(sum(p.amount), 0) FROM payments p"
	" WHERE" PAYMENTS_IN_PERIOD,
	NULL,
};

static const struct report_column payments_cols[] = {
	RC_TEXT("method"), RC_INT("count"), RC_MONEY("amount"),
};

SQL_REPORT(report_payments, payments_cols, payments_sql, 0)

/*
 * outstanding: every client whose balance is not zero, as it stands now
 * (account_read's sums, over all time), with what is open by how long ago
 * it was issued or charged, and the credit.  The buckets add up, less the
 * credit, to the balance.
 *
 * Each row of "billed" is one thing on a client's account: an invoice or
 * credit note (its total), a fee not voided (less what was waived), a
 * payment (negative); due is what is left to pay of a live item, credit
 * what a payment has not spread.  Age goes by business days: the buckets'
 * first instants are days the C side works out (when.h), put into the
 * statement as numbers.
 */
#define ALLOCATED(col, id)                                                   \
	"(SELECT coalesce(sum(l.amount), 0) FROM allocations l WHERE l." col " = " id ")"
#define BILLED                                                               \
	"(SELECT i.client_id AS client_id, i.issued_at AS at, i.total AS billed,"  \
	"  CASE WHEN i.kind = 'invoice' AND NOT EXISTS (SELECT 1 FROM invoices v" \
	"   WHERE v.cancels = i.id) THEN i.total - " ALLOCATED("invoice_id", "i.id") \
	"  ELSE 0 END AS due, 0 AS credit FROM invoices i"                     \
	" UNION ALL SELECT g.client_id, g.at, g.amount - coalesce(g.waived_amount, 0)," \
	"  g.amount - coalesce(g.waived_amount, 0) - " ALLOCATED("charge_id", "g.id") "," \
	"  0 FROM charges g WHERE g.voided_at IS NULL"                         \
	" UNION ALL SELECT p.client_id, p.at, -p.amount, 0,"                   \
	"  p.amount - " ALLOCATED("payment_id", "p.id") " FROM payments p) b"
/* What is due of the items cond selects. */
#define DUE_IF(cond) "sum(CASE WHEN b.due > 0 AND " cond " THEN b.due ELSE 0 END)"
/* The buckets' first instants are printf's arguments 1 to 3 (30, 60, 90 days ago). */
#define AGED                                                                 \
	"SELECT b.client_id AS client_id, sum(b.billed) AS balance,"           \
	" " DUE_IF("b.at >= %1$lld") " AS d30,"                                \
	" " DUE_IF("b.at >= %2$lld AND b.at < %1$lld") " AS d60,"              \
	" " DUE_IF("b.at >= %3$lld AND b.at < %2$lld") " AS d90,"              \
	" " DUE_IF("b.at < %3$lld") " AS older,"                               \
	" sum(b.credit) AS credit FROM " BILLED                                \
	" WHERE :client = 0 OR b.client_id = :client"                          \
	" GROUP BY b.client_id HAVING sum(b.billed) <> 0"

#define OUTSTANDING_ROWS                                                     \
	"SELECT c.id, c.name, t.balance, t.d30, t.d60, t.d90, t.older, t.credit" \
	" FROM (" AGED ") t JOIN clients c ON c.id = t.client_id"              \
	" ORDER BY t.balance DESC, c.name, c.id"
#define OUTSTANDING_TOTAL                                                    \
	"SELECT NULL, 'total', coalesce(sum(t.balance), 0), coalesce(sum(t.d30), 0)," \
	" coalesce(sum(t.d60), 0), coalesce(sum(t.d90), 0), coalesce(sum(t.older), 0)," \
	" coalesce(sum(t.credit), 0) FROM (" AGED ") t"

static const struct report_column outstanding_cols[] = {
	RC_INT("id"), RC_LONG_TEXT("client"), RC_MONEY("balance"), RC_MONEY("0-30"),
	RC_MONEY("31-60"), RC_MONEY("61-90"), RC_MONEY("90+"), RC_MONEY("credit"),
};

/* The first instant of the day `days` before today, in business time. */
static long long days_ago(const struct appt_session *s, int days)
{
	struct appt_date today;

	when_to_local(s->now, &today, NULL, NULL);
	return (long long)when_day_start(date_add_days(today, -days));
}

REPORT_FN(report_outstanding)
{
	/* 0-30 days is from today's date back to the date 30 days ago, included */
	long long d30 = days_ago(s, 30), d60 = days_ago(s, 60), d90 = days_ago(s, 90);
	char *sql[] = {
		xasprintf(OUTSTANDING_ROWS, d30, d60, d90),
		xasprintf(OUTSTANDING_TOTAL, d30, d60, d90),
		NULL,
	};
	const struct report_query q = {
		outstanding_cols, sizeof(outstanding_cols) / sizeof(outstanding_cols[0]),
		(const char *const *)sql, 0,
	};
	enum appt_status status = report_query_run(s, a, &q, err);

	free(sql[0]);
	free(sql[1]);
	return status;
}
