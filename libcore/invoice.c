#include "invoice.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "account.h"
#include "appointment.h"
#include "event.h"
#include "money.h"

/* ---- the figures ---- */

static void add_line(struct invoice_figures *f, const char *kind, const char *text,
		     long long amount, long rate)
{
	f->lines = xrealloc(f->lines, (f->nr_lines + 1) * sizeof(*f->lines));
	f->lines[f->nr_lines++] = (struct invoice_line){
		.kind = xstrdup(kind), .text = xstrdup(text), .amount = amount, .rate = rate,
	};
}

void invoice_figures_release(struct invoice_figures *f)
{
	for (size_t i = 0; i < f->nr_lines; i++) {
		free(f->lines[i].kind);
		free(f->lines[i].text);
	}
	free(f->lines);
	*f = (struct invoice_figures){ 0 };
}

static enum appt_status check_items(const struct invoice_order *o, struct appt_err *err)
{
	if (o->nr_items > INVOICE_ITEMS_MAX)
		return appt_fail(err, APPT_DATAERR, "too many items (%zu; at most %d)",
				 o->nr_items, INVOICE_ITEMS_MAX);
	for (size_t i = 0; i < o->nr_items; i++) {
		enum appt_status status = text_check("item", o->items[i].text, 0, err);

		if (status)
			return status;
		if (!*o->items[i].text)
			return appt_fail(err, APPT_DATAERR, "an item needs a text: TEXT=AMOUNT");
	}
	return APPT_OK;
}

/* "10% off" or "discount": what the line says it took off. */
static char *discount_text(long rate)
{
	char pct[32];

	if (!rate)
		return xstrdup("Discount");
	rate_format(rate, pct, sizeof(pct));
	return xasprintf("Discount %s", pct);
}

static enum appt_status add_discount(struct invoice_figures *f, const struct invoice_order *o,
				     struct appt_err *err)
{
	char *text;

	f->discount = o->discount_rate ? money_share(f->subtotal, o->discount_rate) : o->discount;
	if (f->discount > f->subtotal) {
		char d[32], sub[32];

		money_format(f->discount, d, sizeof(d));
		money_format(f->subtotal, sub, sizeof(sub));
		return appt_fail(err, APPT_DATAERR, "discount %s is more than the subtotal %s", d,
				 sub);
	}
	if (!f->discount)
		return APPT_OK;
	text = discount_text(o->discount_rate);
	add_line(f, "discount", text, -f->discount, o->discount_rate);
	free(text);
	return APPT_OK;
}

/* Each tax on what is sold after the discount, each rounded on its own. */
static void add_taxes(struct invoice_figures *f, const struct appt_config *cfg)
{
	long long base = f->subtotal - f->discount;

	for (size_t i = 0; i < cfg->billing.nr_taxes; i++) {
		const struct cfg_tax *t = &cfg->billing.taxes[i];
		long long amount = money_share(base, t->rate);
		char pct[32], *text;

		rate_format(t->rate, pct, sizeof(pct));
		text = xasprintf("%s %s", t->name, pct);
		add_line(f, "tax", text, amount, t->rate);
		free(text);
		f->tax += amount;
	}
	f->total = base + f->tax;
}

enum appt_status invoice_compute(const struct appt_config *cfg, const char *service_name,
				 long long price, const struct invoice_order *o,
				 struct invoice_figures *out, struct appt_err *err)
{
	enum appt_status status = check_items(o, err);

	*out = (struct invoice_figures){ 0 };
	if (status)
		return status;
	add_line(out, "service", service_name, price, 0);
	out->subtotal = price;
	for (size_t i = 0; i < o->nr_items; i++) {
		add_line(out, "item", o->items[i].text, o->items[i].amount, 0);
		out->subtotal += o->items[i].amount;
	}
	if (out->subtotal > MONEY_MAX)
		status = appt_fail(err, APPT_DATAERR, "the invoice comes to more than %lld.00",
				   MONEY_MAX / 100);
	else if (!out->subtotal)
		status = appt_fail(err, APPT_REFUSED, "nothing to invoice: the service has no"
				   " price (services: price) and no --item was given");
	if (!status)
		status = add_discount(out, o, err);
	if (!status)
		add_taxes(out, cfg);
	if (status)
		invoice_figures_release(out);
	return status;
}

/* ---- reading ---- */

#define PAID_SQL "(SELECT coalesce(sum(l.amount), 0) FROM allocations l WHERE l.invoice_id = i.id)"

#define INVOICE_SELECT \
	"SELECT i.id, i.number, i.kind, i.appointment_id, i.client_id, i.billed_to, c.email," \
	" i.cancels, (SELECT x.number FROM invoices x WHERE x.id = i.cancels)," \
	" (SELECT v.number FROM invoices v WHERE v.cancels = i.id)," \
	" i.currency, i.subtotal, i.discount, i.tax, i.total, " PAID_SQL "," \
	" i.issued_at, i.actor, i.reason, a.service, a.provider, a.start_at" \
	" FROM invoices i JOIN clients c ON c.id = i.client_id" \
	" LEFT JOIN appointments a ON a.id = i.appointment_id"

static void invoice_from_row(struct stmt *st, struct invoice *inv)
{
	*inv = (struct invoice){
		.id = stmt_column_int64(st, 0),
		.number = db_column_strdup(st, 1),
		.kind = db_column_strdup(st, 2),
		.appointment_id = stmt_column_int64(st, 3),
		.client_id = stmt_column_int64(st, 4),
		.client_name = db_column_strdup(st, 5),
		.client_email = db_column_strdup(st, 6),
		.cancels = stmt_column_int64(st, 7),
		.cancels_number = db_column_strdup(st, 8),
		.voided_by = db_column_strdup(st, 9),
		.currency = db_column_strdup(st, 10),
		.subtotal = stmt_column_int64(st, 11),
		.discount = stmt_column_int64(st, 12),
		.tax = stmt_column_int64(st, 13),
		.total = stmt_column_int64(st, 14),
		.paid = stmt_column_int64(st, 15),
		.issued_at = (time_t)stmt_column_int64(st, 16),
		.actor = db_column_strdup(st, 17),
		.reason = db_column_strdup(st, 18),
		.service = db_column_strdup(st, 19),
		.provider = db_column_strdup(st, 20),
		.start = (time_t)stmt_column_int64(st, 21),
	};
}

void invoice_release(struct invoice *inv)
{
	free(inv->number);
	free(inv->kind);
	free(inv->client_name);
	free(inv->client_email);
	free(inv->cancels_number);
	free(inv->voided_by);
	free(inv->currency);
	free(inv->actor);
	free(inv->reason);
	free(inv->service);
	free(inv->provider);
	for (size_t i = 0; i < inv->nr_lines; i++) {
		free(inv->lines[i].kind);
		free(inv->lines[i].text);
	}
	free(inv->lines);
	*inv = (struct invoice){ 0 };
}

const char *invoice_status(const struct invoice *inv)
{
	if (!strcmp(inv->kind, "credit"))
		return "credit";
	if (inv->voided_by)
		return "void";
	return inv->paid >= inv->total ? "paid" : "open";
}

static enum appt_status read_lines(struct appt_db *db, struct invoice *inv,
				   struct appt_err *err)
{
	struct stmt *st = db_prepare(db, "SELECT kind, text, amount, coalesce(rate, 0)"
				     " FROM invoice_lines WHERE invoice_id = ? ORDER BY line");
	struct invoice_figures f = { 0 };
	int rc;

	stmt_bind_int64(st, 1, inv->id);
	while ((rc = stmt_step(st)) == STORE_ROW)
		add_line(&f, db_column_str(st, 0), db_column_str(st, 1),
			 stmt_column_int64(st, 2), (long)stmt_column_int64(st, 3));
	db_release_stmt(db, st);
	inv->lines = f.lines;
	inv->nr_lines = f.nr_lines;
	if (rc != STORE_DONE)
		return db_error(db, rc, "reading an invoice's lines", err);
	return APPT_OK;
}

enum appt_status invoice_get(struct appt_db *db, long long id, struct invoice *out,
			     struct appt_err *err)
{
	struct stmt *st = db_prepare(db, INVOICE_SELECT " WHERE i.id = ?");
	int rc;

	*out = (struct invoice){ 0 };
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == STORE_ROW)
		invoice_from_row(st, out);
	db_release_stmt(db, st);
	if (rc == STORE_DONE)
		return appt_fail(err, APPT_NOTFOUND, "no invoice #%lld", id);
	if (rc != STORE_ROW)
		return db_error(db, rc, "reading an invoice", err);
	return read_lines(db, out, err);
}

enum appt_status invoice_find(struct appt_db *db, const char *ref, long long *id,
			      struct appt_err *err)
{
	struct stmt *st;
	enum appt_status status;

	*id = 0;
	if (*ref >= '0' && *ref <= '9')
		return appt_fail(err, APPT_DATAERR, "'%s' is not an invoice number: they read"
				 " like INV-2027-0001 (appt invoice list shows them; appt invoice"
				 " ID bills appointment ID)", ref);
	st = db_prepare(db, "SELECT id FROM invoices WHERE upper(number) = upper(?)");
	db_bind_text(st, 1, ref);
	status = db_query_int(db, st, id, "finding an invoice", err);
	if (!status && !*id)
		status = appt_fail(err, APPT_NOTFOUND, "no invoice '%s'", ref);
	return status;
}

static void bind_filter(struct stmt *st, const struct invoice_filter *f)
{
	stmt_bind_int64(st, 1, f->client_id);
	stmt_bind_int64(st, 2, f->appointment_id);
	stmt_bind_int64(st, 3, (long long)f->from);
	stmt_bind_int64(st, 4, (long long)f->to);
}

enum appt_status invoice_each(struct appt_db *db, const struct invoice_filter *f,
			      void (*fn)(const struct invoice *inv, void *data), void *data,
			      struct appt_err *err)
{
	struct stmt *st = db_prepare(db, INVOICE_SELECT
		" WHERE (?1 = 0 OR i.client_id = ?1) AND (?2 = 0 OR i.appointment_id = ?2)"
		" AND (?3 = 0 OR i.issued_at >= ?3) AND (?4 = 0 OR i.issued_at < ?4)"
		" ORDER BY i.issued_at, i.id");
	struct invoice inv;
	int rc;

	bind_filter(st, f);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		invoice_from_row(st, &inv);
		if (!f->status || !strcmp(f->status, invoice_status(&inv)))
			fn(&inv, data);
		invoice_release(&inv);
	}
	db_release_stmt(db, st);
	if (rc != STORE_DONE)
		return db_error(db, rc, "reading the invoices", err);
	return APPT_OK;
}

enum appt_status invoice_live_for(struct appt_db *db, long long appointment_id,
				  long long *id, struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"SELECT i.id FROM invoices i WHERE i.appointment_id = ? AND i.kind = 'invoice'"
		" AND NOT EXISTS (SELECT 1 FROM invoices v WHERE v.cancels = i.id)");

	*id = 0;
	stmt_bind_int64(st, 1, appointment_id);
	return db_query_int(db, st, id, "reading the appointment's invoice", err);
}

/* ---- issuing ---- */

/* The next number of the year, under the write lock: no gap, no twin. */
static enum appt_status next_number(struct appt_session *s, int *year, long long *seq,
				    struct appt_err *err)
{
	struct appt_date today;
	struct stmt *st;

	when_to_local(s->now, &today, NULL, NULL);
	*year = today.year;
	*seq = 0;
	st = db_prepare(s->db, "SELECT coalesce(max(seq), 0) + 1 FROM invoices WHERE year = ?");
	stmt_bind_int64(st, 1, *year);
	return db_query_int(s->db, st, seq, "numbering the invoice", err);
}

/* What one document is: the figures, and whom and what it bills. */
struct document {
	const char *kind;
	long long appointment_id;
	long long client_id;
	const char *billed_to;
	long long cancels;
	const char *reason;
	const struct invoice_figures *f;
};

static enum appt_status insert_lines(struct appt_session *s, long long id,
				     const struct invoice_figures *f, struct appt_err *err)
{
	enum appt_status status = APPT_OK;

	for (size_t i = 0; !status && i < f->nr_lines; i++) {
		struct stmt *st = db_prepare(s->db,
			"INSERT INTO invoice_lines (invoice_id, line, kind, text, amount, rate)"
			" VALUES (?, ?, ?, ?, ?, ?)");

		stmt_bind_int64(st, 1, id);
		stmt_bind_int64(st, 2, (long long)i + 1);
		db_bind_text(st, 3, f->lines[i].kind);
		db_bind_text(st, 4, f->lines[i].text);
		stmt_bind_int64(st, 5, f->lines[i].amount);
		if (f->lines[i].rate)
			stmt_bind_int64(st, 6, f->lines[i].rate);
		else
			stmt_bind_null(st, 6);
		status = db_exec_stmt(s->db, st, "writing an invoice line", err);
	}
	return status;
}

static void bind_document(struct appt_session *s, struct stmt *st, const struct document *d,
			  const char *number, int year, long long seq)
{
	db_bind_text(st, 1, number);
	stmt_bind_int64(st, 2, year);
	stmt_bind_int64(st, 3, seq);
	db_bind_text(st, 4, d->kind);
	stmt_bind_int64(st, 5, d->appointment_id);
	stmt_bind_int64(st, 6, d->client_id);
	if (d->cancels)
		stmt_bind_int64(st, 7, d->cancels);
	else
		stmt_bind_null(st, 7);
	db_bind_text(st, 8, s->cfg->billing.currency);
	stmt_bind_int64(st, 9, d->f->subtotal);
	stmt_bind_int64(st, 10, d->f->discount);
	stmt_bind_int64(st, 11, d->f->tax);
	stmt_bind_int64(st, 12, d->f->total);
	stmt_bind_int64(st, 13, (long long)s->now);
	db_bind_text(st, 14, s->actor);
	db_bind_text(st, 15, d->reason);
	db_bind_text(st, 16, d->billed_to);
}

/* Numbers and writes one document, lines and all, and logs it "issue". */
static enum appt_status insert_document(struct appt_session *s, const struct document *d,
					long long *id, struct appt_err *err)
{
	int year;
	long long seq;
	char *number;
	struct stmt *st;
	enum appt_status status = next_number(s, &year, &seq, err);

	if (status)
		return status;
	number = xasprintf("%s-%04d-%04lld", s->cfg->billing.invoice_prefix, year, seq);
	st = db_prepare(s->db,
		"INSERT INTO invoices (number, year, seq, kind, appointment_id, client_id, cancels,"
		" currency, subtotal, discount, tax, total, issued_at, actor, reason, billed_to)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
		" RETURNING id");
	bind_document(s, st, d, number, year, seq);
	free(number);
	status = db_insert_id(s->db, st, id, "issuing an invoice", err);
	if (!status)
		status = insert_lines(s, *id, d->f, err);
	if (!status)
		status = event_log_current(s->db, &(struct event){
			.at = s->now, .actor = s->actor, .entity = "invoice", .entity_id = *id,
			.action = "issue", .reason = d->reason }, err);
	return status;
}

static enum appt_status check_billable(struct appt_db *db, const struct appointment *a,
				       struct appt_err *err)
{
	long long live = 0;
	enum appt_status status;
	struct invoice inv;

	if (a->state != STATE_DONE)
		return appt_fail(err, APPT_REFUSED, "appointment #%lld is %s: only a done"
				 " appointment is invoiced (appt done %lld first)", a->id,
				 state_name(a->state), a->id);
	status = invoice_live_for(db, a->id, &live, err);
	if (status || !live)
		return status;
	status = invoice_get(db, live, &inv, err);
	if (!status)
		status = appt_fail(err, APPT_REFUSED, "appointment #%lld already has invoice %s;"
				   " void it first (appt invoice void %s --reason T)", a->id,
				   inv.number, inv.number);
	invoice_release(&inv);
	return status;
}

static enum appt_status issue_locked(struct appt_session *s, const struct invoice_order *o,
				     long long *id, struct appt_err *err)
{
	struct appointment a;
	struct invoice_figures f = { 0 };
	const struct cfg_service *svc;
	enum appt_status status = appointment_get(s->db, o->appointment_id, &a, err);

	if (status)
		return status;
	status = check_billable(s->db, &a, err);
	svc = config_service(s->cfg, a.service);
	if (!status)
		status = invoice_compute(s->cfg, svc ? svc->name : a.service, svc ? svc->price : 0,
					 o, &f, err);
	if (!status)
		status = insert_document(s, &(struct document){
			.kind = "invoice", .appointment_id = a.id, .client_id = a.client_id,
			.billed_to = a.client_name, .f = &f }, id, err);
	if (!status)
		status = account_settle(s->db, s->now, a.client_id, err);
	invoice_figures_release(&f);
	appointment_release(&a);
	return status;
}

enum appt_status invoice_issue(struct appt_session *s, const struct invoice_order *o,
			       long long *id, struct appt_err *err)
{
	enum appt_status status = db_begin_write(s->db, err);

	*id = 0;
	if (!status)
		status = db_finish_write(s->db, issue_locked(s, o, id, err), err);
	return status;
}

/* ---- voiding ---- */

/* The invoice's figures, every one turned round. */
static void negate(const struct invoice *inv, struct invoice_figures *f)
{
	*f = (struct invoice_figures){
		.subtotal = -inv->subtotal, .discount = -inv->discount, .tax = -inv->tax,
		.total = -inv->total,
	};
	for (size_t i = 0; i < inv->nr_lines; i++)
		add_line(f, inv->lines[i].kind, inv->lines[i].text, -inv->lines[i].amount,
			 inv->lines[i].rate);
}

static enum appt_status check_voidable(const struct invoice *inv, struct appt_err *err)
{
	if (!strcmp(inv->kind, "credit"))
		return appt_fail(err, APPT_REFUSED, "%s is a credit note: it cannot be voided",
				 inv->number);
	if (inv->voided_by)
		return appt_fail(err, APPT_REFUSED, "%s is already voided by credit note %s",
				 inv->number, inv->voided_by);
	return APPT_OK;
}

static enum appt_status void_locked(struct appt_session *s, long long id, const char *reason,
				    long long *credit_id, struct appt_err *err)
{
	struct invoice inv;
	struct invoice_figures f = { 0 };
	enum appt_status status = invoice_get(s->db, id, &inv, err);

	if (!status)
		status = check_voidable(&inv, err);
	if (!status) {
		negate(&inv, &f);
		status = insert_document(s, &(struct document){
			.kind = "credit", .appointment_id = inv.appointment_id,
			.client_id = inv.client_id, .billed_to = inv.client_name, .cancels = id,
			.reason = reason, .f = &f },
			credit_id, err);
	}
	if (!status)
		status = event_log_current(s->db, &(struct event){
			.at = s->now, .actor = s->actor, .entity = "invoice", .entity_id = id,
			.action = "void", .reason = reason }, err);
	if (!status)
		status = account_release(s->db, ACCOUNT_INVOICE, id, err);
	if (!status)
		status = account_settle(s->db, s->now, inv.client_id, err);
	invoice_figures_release(&f);
	invoice_release(&inv);
	return status;
}

enum appt_status invoice_void(struct appt_session *s, long long id, const char *reason,
			      long long *credit_id, struct appt_err *err)
{
	enum appt_status status;

	*credit_id = 0;
	if (!reason || !*reason)
		return appt_fail(err, APPT_USAGE, "voiding an invoice needs --reason");
	status = text_check("reason", reason, 0, err);
	if (!status)
		status = db_begin_write(s->db, err);
	if (!status)
		status = db_finish_write(s->db, void_locked(s, id, reason, credit_id, err), err);
	return status;
}
