#include "account.h"

#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "money.h"

/* ---- reading ---- */

#define ALLOCATED(col, id) \
	"(SELECT coalesce(sum(l.amount), 0) FROM allocations l WHERE l." col " = " id ")"

/* What is left of a fee: its amount less what was waived and what paid it. */
#define FEE_LEFT(g) \
	g ".amount - coalesce(" g ".waived_amount, 0) - " ALLOCATED("charge_id", g ".id")

/*
 * Every live item with what is left of it: invoices not voided, fees not
 * voided, less what was waived.  kind is enum account_item_kind.  Each
 * branch takes its own condition (INV on invoices i, FEE on charges g), so
 * that a client's items are read through the client's index rather than
 * filtered out of everyone's.
 */
#define ITEMS_FROM(INV, FEE) \
	" FROM (" \
	" SELECT 0 AS kind, i.id AS id, i.number AS label, i.appointment_id AS appointment_id," \
	"  i.issued_at AS at, i.total AS amount, i.total - " ALLOCATED("invoice_id", "i.id") \
	"  AS due" \
	" FROM invoices i WHERE i.kind = 'invoice' AND " INV \
	"  AND NOT EXISTS (SELECT 1 FROM invoices v WHERE v.cancels = i.id)" \
	" UNION ALL" \
	" SELECT 1, g.id, g.kind || ' fee', g.appointment_id, g.at," \
	"  g.amount - coalesce(g.waived_amount, 0), " FEE_LEFT("g") \
	" FROM charges g WHERE g.voided_at IS NULL AND " FEE \
	") AS t"
#define ITEM_COLUMNS "SELECT t.kind, t.id, t.label, t.appointment_id, t.at, "

static void item_from_row(struct stmt *st, struct account_item *it)
{
	*it = (struct account_item){
		.kind = stmt_column_int(st, 0) ? ACCOUNT_FEE : ACCOUNT_INVOICE,
		.id = stmt_column_int64(st, 1),
		.label = db_column_strdup(st, 2),
		.appointment_id = stmt_column_int64(st, 3),
		.at = (time_t)stmt_column_int64(st, 4),
		.amount = stmt_column_int64(st, 5),
		.due = stmt_column_int64(st, 6),
	};
}

static enum appt_status read_items(struct appt_db *db, struct stmt *st,
				   struct account_items *out, struct appt_err *err)
{
	int rc;

	while ((rc = stmt_step(st)) == STORE_ROW) {
		ALLOC_GROW(out->items, out->nr + 1, out->alloc);
		item_from_row(st, &out->items[out->nr++]);
	}
	db_release_stmt(db, st);
	if (rc != STORE_DONE)
		return db_error(db, rc, "reading the client's account", err);
	return APPT_OK;
}

void account_items_release(struct account_items *list)
{
	for (size_t i = 0; i < list->nr; i++)
		free(list->items[i].label);
	free(list->items);
	*list = (struct account_items){ NULL, 0, 0 };
}

enum appt_status account_open_items(struct appt_db *db, long long client_id,
				    struct account_items *out, struct appt_err *err)
{
	struct stmt *st = db_prepare(db, ITEM_COLUMNS "t.amount, t.due"
		ITEMS_FROM("i.client_id = ?1", "g.client_id = ?1")
		" WHERE t.due > 0 ORDER BY t.at, t.kind, t.id");

	stmt_bind_int64(st, 1, client_id);
	return read_items(db, st, out, err);
}

enum appt_status account_read(struct appt_db *db, long long client_id, struct account *out,
			      struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"SELECT (SELECT coalesce(sum(i.total), 0) FROM invoices i WHERE i.client_id = ?1)"
		" + (SELECT coalesce(sum(g.amount - coalesce(g.waived_amount, 0)), 0) FROM charges g"
		"    WHERE g.client_id = ?1 AND g.voided_at IS NULL)"
		" - (SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.client_id = ?1),"
		" (SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.client_id = ?1)"
		" - (SELECT coalesce(sum(l.amount), 0) FROM allocations l"
		"    JOIN payments p ON p.id = l.payment_id WHERE p.client_id = ?1)");
	int rc;

	*out = (struct account){ 0 };
	stmt_bind_int64(st, 1, client_id);
	rc = stmt_step(st);
	if (rc == STORE_ROW) {
		out->balance = stmt_column_int64(st, 0);
		out->credit = stmt_column_int64(st, 1);
		/* billed less allocated: allocations only ever pay live items */
		out->due = out->balance + out->credit;
	}
	db_release_stmt(db, st);
	if (rc != STORE_ROW)
		return db_error(db, rc, "reading the client's balance", err);
	return APPT_OK;
}

/* ---- spreading payments ---- */

static enum appt_status allocate(struct appt_db *db, time_t now, long long payment_id,
				 const struct account_item *it, long long amount,
				 struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"INSERT INTO allocations (payment_id, invoice_id, charge_id, amount, at)"
		" VALUES (?, ?, ?, ?, ?)");

	stmt_bind_int64(st, 1, payment_id);
	if (it->kind == ACCOUNT_INVOICE) {
		stmt_bind_int64(st, 2, it->id);
		stmt_bind_null(st, 3);
	} else {
		stmt_bind_null(st, 2);
		stmt_bind_int64(st, 3, it->id);
	}
	stmt_bind_int64(st, 4, amount);
	stmt_bind_int64(st, 5, (long long)now);
	return db_exec_stmt(db, st, "applying a payment", err);
}

/* The client's payments with something not yet spread, oldest first. */
struct unspread {
	struct money_left {
		long long id, left;
	} *items;
	size_t nr, alloc;
};

static enum appt_status read_unspread(struct appt_db *db, long long client_id,
				      struct unspread *out, struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"SELECT p.id, p.amount - " ALLOCATED("payment_id", "p.id")
		" FROM payments p WHERE p.client_id = ? ORDER BY p.at, p.id");
	int rc;

	stmt_bind_int64(st, 1, client_id);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		long long left = stmt_column_int64(st, 1);

		if (left <= 0)
			continue;
		ALLOC_GROW(out->items, out->nr + 1, out->alloc);
		out->items[out->nr++] = (struct money_left){ stmt_column_int64(st, 0), left };
	}
	db_release_stmt(db, st);
	if (rc != STORE_DONE)
		return db_error(db, rc, "reading the client's payments", err);
	return APPT_OK;
}

/* Oldest money to oldest debt, as a till would. */
static enum appt_status spread(struct appt_db *db, time_t now, struct unspread *money,
			       struct account_items *items, struct appt_err *err)
{
	enum appt_status status = APPT_OK;
	size_t p = 0, i = 0;

	while (!status && p < money->nr && i < items->nr) {
		struct account_item *it = &items->items[i];
		struct money_left *m = &money->items[p];
		long long amount = m->left < it->due ? m->left : it->due;

		status = allocate(db, now, m->id, it, amount, err);
		m->left -= amount;
		it->due -= amount;
		if (!m->left)
			p++;
		if (!it->due)
			i++;
	}
	return status;
}

enum appt_status account_settle(struct appt_db *db, time_t now, long long client_id,
				struct appt_err *err)
{
	struct unspread money = { NULL, 0, 0 };
	struct account_items items = { NULL, 0, 0 };
	enum appt_status status = read_unspread(db, client_id, &money, err);

	if (!status && money.nr)
		status = account_open_items(db, client_id, &items, err);
	if (!status && items.nr)
		status = spread(db, now, &money, &items, err);
	account_items_release(&items);
	free(money.items);
	return status;
}

enum appt_status account_release(struct appt_db *db, enum account_item_kind kind,
				 long long id, struct appt_err *err)
{
	struct stmt *st = db_prepare(db, kind == ACCOUNT_INVOICE
				     ? "DELETE FROM allocations WHERE invoice_id = ?"
				     : "DELETE FROM allocations WHERE charge_id = ?");

	stmt_bind_int64(st, 1, id);
	return db_exec_stmt(db, st, "taking back what a payment paid", err);
}

/*
 * What payment p pays now, as the desk names the items: not the invoice it
 * was aimed at, which may have been voided since, nor nothing for one taken
 * on the client's account.
 */
#define PAYS_NOW \
	"(SELECT group_concat(item, ', ') FROM" \
	" (SELECT CASE WHEN l.invoice_id IS NOT NULL" \
	"  THEN (SELECT i.number FROM invoices i WHERE i.id = l.invoice_id)" \
	"  ELSE (SELECT g.kind || ' fee #' || g.id FROM charges g WHERE g.id = l.charge_id)" \
	"  END AS item FROM allocations l WHERE l.payment_id = p.id ORDER BY l.id) AS pays)"

enum appt_status account_each_payment(struct appt_db *db, long long client_id, int max,
				      void (*fn)(const struct payment_row *p, void *data),
				      void *data, struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"SELECT p.id, p.at, p.amount, p.method, p.ref, " PAYS_NOW ", p.actor FROM payments p"
		" WHERE p.client_id = ? ORDER BY p.at DESC, p.id DESC LIMIT ?");
	int rc;

	stmt_bind_int64(st, 1, client_id);
	stmt_bind_int64(st, 2, max);
	while ((rc = stmt_step(st)) == STORE_ROW)
		fn(&(struct payment_row){
			.id = stmt_column_int64(st, 0), .at = (time_t)stmt_column_int64(st, 1),
			.amount = stmt_column_int64(st, 2), .method = stmt_column_text(st, 3),
			.ref = stmt_column_text(st, 4), .paid = stmt_column_text(st, 5),
			.actor = stmt_column_text(st, 6) }, data);
	db_release_stmt(db, st);
	if (rc != STORE_DONE)
		return db_error(db, rc, "reading the client's payments", err);
	return APPT_OK;
}

int account_may_unblock(struct appt_db *db, long long client_id)
{
	struct stmt *st = db_prepare(db,
		"SELECT CASE WHEN c.blocked <> 0 AND NOT EXISTS (SELECT 1 FROM charges g"
		"  WHERE g.client_id = c.id AND g.voided_at IS NULL AND " FEE_LEFT("g") " > 0)"
		" THEN 1 ELSE 0 END FROM clients c WHERE c.id = ?1");
	long long may = 0;

	stmt_bind_int64(st, 1, client_id);
	if (db_query_int(db, st, &may, "reading the client", NULL))
		return 0;
	return may != 0;
}

/* ---- payments ---- */

static const char *const methods[] = { "cash", "card", "transfer", "other" };

enum appt_status payment_check_method(const char *method, struct appt_err *err)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (method && !strcmp(method, methods[i]))
			return APPT_OK;
	return appt_fail(err, APPT_DATAERR, "invalid method '%s' (expected cash, card,"
			 " transfer or other)", method ? method : "");
}

static enum appt_status check_order(const struct payment_order *o, struct appt_err *err)
{
	enum appt_status status = payment_check_method(o->method, err);

	if (status)
		return status;
	if (o->amount <= 0 || o->amount > MONEY_MAX)
		return appt_fail(err, APPT_DATAERR, "a payment is more than 0.00");
	return text_check("ref", o->ref, 0, err);
}

/* Over what is due, the desk says what to do with the rest. */
static enum appt_status refuse_over(long long amount, long long due, const char *what,
				    struct appt_err *err)
{
	char a[32], d[32], over[32];

	money_format(amount, a, sizeof(a));
	money_format(due, d, sizeof(d));
	money_format(amount - due, over, sizeof(over));
	return appt_fail(err, APPT_REFUSED, "%s is more than the %s %s; --credit keeps"
			 " the %s over as the client's credit", a, d, what, over);
}

/*
 * The invoice a payment names: whose, and what is left of it.  Read here,
 * not through invoice.h, which stands above this module (it settles).
 */
static enum appt_status invoice_target(struct appt_db *db, long long id, long long *client_id,
				       struct account_item *it, char **number,
				       struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"SELECT i.client_id, i.number, i.kind = 'credit',"
		" (SELECT v.number FROM invoices v WHERE v.cancels = i.id),"
		" i.total - " ALLOCATED("invoice_id", "i.id") " FROM invoices i WHERE i.id = ?");
	enum appt_status status = APPT_OK;
	int rc;

	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == STORE_ROW) {
		*client_id = stmt_column_int64(st, 0);
		*number = db_column_strdup(st, 1);
		*it = (struct account_item){ .kind = ACCOUNT_INVOICE, .id = id,
					     .due = stmt_column_int64(st, 4) };
		if (stmt_column_int(st, 2))
			status = appt_fail(err, APPT_REFUSED, "%s is a credit note: nothing to pay",
					   *number);
		else if (!stmt_column_is_null(st, 3))
			status = appt_fail(err, APPT_REFUSED, "%s is void (credit note %s): nothing"
					   " to pay", *number, stmt_column_text(st, 3));
	}
	db_release_stmt(db, st);
	if (rc == STORE_DONE)
		return appt_fail(err, APPT_NOTFOUND, "no invoice #%lld", id);
	if (rc != STORE_ROW)
		return db_error(db, rc, "reading the invoice paid", err);
	return status;
}

static enum appt_status check_amount(struct appt_session *s, const struct payment_order *o,
				     long long *client_id, struct account_item *target,
				     struct appt_err *err)
{
	struct account acc;
	char *number = NULL, *what;
	long long due;
	enum appt_status status;

	*client_id = o->client_id;
	if (o->invoice_id)
		status = invoice_target(s->db, o->invoice_id, client_id, target, &number, err);
	else
		status = account_read(s->db, o->client_id, &acc, err);
	if (status || o->credit) {
		free(number);
		return status;
	}
	due = o->invoice_id ? target->due : acc.due;
	what = number ? xasprintf("due on %s", number) : xstrdup("the client owes");
	free(number);
	if (o->amount > due)
		status = refuse_over(o->amount, due, what, err);
	free(what);
	return status;
}

static enum appt_status insert_payment(struct appt_session *s, const struct payment_order *o,
				       long long client_id, long long *id, struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db,
		"INSERT INTO payments (client_id, amount, method, ref, invoice_id, at, actor)"
		" VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
	enum appt_status status;

	stmt_bind_int64(st, 1, client_id);
	stmt_bind_int64(st, 2, o->amount);
	db_bind_text(st, 3, o->method);
	db_bind_text(st, 4, o->ref);
	if (o->invoice_id)
		stmt_bind_int64(st, 5, o->invoice_id);
	else
		stmt_bind_null(st, 5);
	stmt_bind_int64(st, 6, (long long)s->now);
	db_bind_text(st, 7, s->actor);
	status = db_insert_id(s->db, st, id, "recording a payment", err);
	if (!status)
		status = event_log_current(s->db, &(struct event){
			.at = s->now, .actor = s->actor, .entity = "payment", .entity_id = *id,
			.action = "pay" }, err);
	return status;
}

/* What this one payment paid, with what is left of each item. */
static enum appt_status read_paid(struct appt_db *db, long long payment_id,
				  struct account_items *out, struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		ITEM_COLUMNS "a.amount, t.due"
		ITEMS_FROM("i.id IN (SELECT invoice_id FROM allocations WHERE payment_id = ?1)",
			   "g.id IN (SELECT charge_id FROM allocations WHERE payment_id = ?1)")
		" JOIN allocations a ON (t.kind = 0 AND a.invoice_id = t.id)"
		"  OR (t.kind = 1 AND a.charge_id = t.id)"
		" WHERE a.payment_id = ?1 ORDER BY a.id");
	enum appt_status status;

	stmt_bind_int64(st, 1, payment_id);
	status = read_items(db, st, out, err);
	return status;
}

static enum appt_status pay_locked(struct appt_session *s, const struct payment_order *o,
				   struct payment_result *out, struct appt_err *err)
{
	struct account_item target = { 0 };
	enum appt_status status = check_amount(s, o, &out->client_id, &target, err);

	if (!status)
		status = insert_payment(s, o, out->client_id, &out->id, err);
	if (!status && o->invoice_id && target.due > 0)
		status = allocate(s->db, s->now, out->id, &target,
				  o->amount < target.due ? o->amount : target.due, err);
	if (!status)
		status = account_settle(s->db, s->now, out->client_id, err);
	if (!status)
		status = read_paid(s->db, out->id, &out->paid, err);
	if (!status)
		status = account_read(s->db, out->client_id, &out->after, err);
	return status;
}

void payment_result_release(struct payment_result *r)
{
	account_items_release(&r->paid);
}

enum appt_status payment_record(struct appt_session *s, const struct payment_order *o,
				struct payment_result *out, struct appt_err *err)
{
	enum appt_status status = check_order(o, err);

	*out = (struct payment_result){ 0 };
	if (!status)
		status = db_begin_write(s->db, err);
	if (!status)
		status = db_finish_write(s->db, pay_locked(s, o, out, err), err);
	return status;
}

/* ---- waivers ---- */

static enum appt_status check_waivable(struct appt_db *db, long long id, long long *client_id,
				       long long *due, struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"SELECT g.client_id, g.voided_at IS NOT NULL, g.waived_at IS NOT NULL,"
		" g.amount - " ALLOCATED("charge_id", "g.id") " FROM charges g WHERE g.id = ?");
	int rc, voided = 0, waived = 0;

	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == STORE_ROW) {
		*client_id = stmt_column_int64(st, 0);
		voided = stmt_column_int(st, 1);
		waived = stmt_column_int(st, 2);
		*due = stmt_column_int64(st, 3);
	}
	db_release_stmt(db, st);
	if (rc == STORE_DONE)
		return appt_fail(err, APPT_NOTFOUND, "no charge #%lld (appt report fees lists them)",
				 id);
	if (rc != STORE_ROW)
		return db_error(db, rc, "reading the charge", err);
	if (voided)
		return appt_fail(err, APPT_REFUSED, "charge #%lld was voided (appt undo): nothing"
				 " to waive", id);
	if (waived)
		return appt_fail(err, APPT_REFUSED, "charge #%lld is already waived", id);
	if (*due <= 0)
		return appt_fail(err, APPT_REFUSED, "charge #%lld is paid: nothing left to waive",
				 id);
	return APPT_OK;
}

static enum appt_status waive_locked(struct appt_session *s, long long id, const char *reason,
				     long long *client_id, long long *waived,
				     struct appt_err *err)
{
	enum appt_status status = check_waivable(s->db, id, client_id, waived, err);
	struct stmt *st;

	if (status)
		return status;
	st = db_prepare(s->db, "UPDATE charges SET waived_at = ?, waived_by = ?, waive_reason = ?,"
			" waived_amount = ? WHERE id = ?");
	stmt_bind_int64(st, 1, (long long)s->now);
	db_bind_text(st, 2, s->actor);
	db_bind_text(st, 3, reason);
	stmt_bind_int64(st, 4, *waived);
	stmt_bind_int64(st, 5, id);
	status = db_exec_stmt(s->db, st, "waiving a fee", err);
	if (!status)
		status = event_log_current(s->db, &(struct event){
			.at = s->now, .actor = s->actor, .entity = "charge", .entity_id = id,
			.action = "waive", .reason = reason }, err);
	return status;
}

enum appt_status fee_waive(struct appt_session *s, long long charge_id, const char *reason,
			   long long *client_id, long long *waived, struct appt_err *err)
{
	enum appt_status status;

	*client_id = *waived = 0;
	if (!reason || !*reason)
		return appt_fail(err, APPT_USAGE, "waiving a fee needs --reason: it is logged");
	if ((status = text_check("reason", reason, 0, err)))
		return status;
	if (s->cfg->managers.nr && !config_is_manager(s->cfg, s->actor))
		return appt_fail(err, APPT_REFUSED, "only managers (roles.managers) may waive a"
				 " fee, and '%s' is not one", s->actor);
	status = db_begin_write(s->db, err);
	if (!status)
		status = db_finish_write(s->db, waive_locked(s, charge_id, reason, client_id,
							     waived, err), err);
	return status;
}
