/*
 * account: what a client owes and has paid — invoices, fees, payments,
 * waivers and credit notes — and which payment paid which item.
 *
 * The balance is what was billed (invoices, less their credit notes; fees
 * not voided, less what was waived) less what was paid; negative is the
 * client's credit.  A payment is recorded once and never changed; how it
 * is spread over the open items (allocations) is bookkeeping that follows
 * what happens later: an invoice voided or a fee undone gives what paid it
 * back as credit, and credit pays the oldest open item first, whenever a
 * payment, an invoice or a fee arrives.
 */
#ifndef APPT_ACCOUNT_H
#define APPT_ACCOUNT_H

#include <time.h>

#include "session.h"

/* The two kinds of item a payment pays. */
enum account_item_kind {
	ACCOUNT_INVOICE,
	ACCOUNT_FEE,
};

/* One open item: an invoice or a fee with something left to pay. */
struct account_item {
	enum account_item_kind kind;
	long long id;
	char *label;       /* "INV-2027-0001", or "no-show fee" */
	long long appointment_id;
	time_t at;         /* issued or charged */
	long long amount;  /* as billed (a fee: less what was waived) */
	long long due;     /* what is left to pay */
};

struct account_items {
	struct account_item *items;
	size_t nr, alloc;
};

void account_items_release(struct account_items *list);

struct account {
	long long balance; /* billed less paid: negative is credit */
	long long due;     /* the open items' sum */
	long long credit;  /* payments not spread over any item */
};

enum appt_status account_read(struct appt_db *db, long long client_id, struct account *out,
			      struct appt_err *err);

/* The client's open items, oldest first. */
enum appt_status account_open_items(struct appt_db *db, long long client_id,
				    struct account_items *out, struct appt_err *err);

/*
 * Spreads the client's credit over their open items, oldest first (inside
 * the caller's write transaction).
 */
enum appt_status account_settle(struct appt_db *db, time_t now, long long client_id,
				struct appt_err *err);

/* Takes back what paid an item (voided, undone): it is credit again. */
enum appt_status account_release(struct appt_db *db, enum account_item_kind kind,
				 long long id, struct appt_err *err);

/* ---- payments ---- */

/* What appt pay is given: a client, or one invoice of theirs. */
struct payment_order {
	long long client_id;  /* 0 with invoice_id */
	long long invoice_id; /* 0: the client's oldest open items */
	long long amount;     /* cents, > 0 */
	const char *method;   /* cash, card, transfer or other */
	const char *ref;      /* a card slip, a transfer's reference; may be NULL */
	int credit;           /* what is over the amount due is kept as credit */
};

/* What one payment paid, for the desk to read back. */
struct payment_result {
	long long id;
	long long client_id;
	struct account_items paid; /* .amount: what this payment put on it; .due: what is left */
	struct account after;
};

void payment_result_release(struct payment_result *r);

/* cash, card, transfer or other; any other word is APPT_DATAERR listing them. */
enum appt_status payment_check_method(const char *method, struct appt_err *err);

/*
 * Records a payment (its own transaction, logged "pay" on entity
 * "payment") and spreads it.  A method not in the list, or a ref failing
 * text_check, is APPT_DATAERR; no such client or invoice APPT_NOTFOUND;
 * an invoice voided or a credit note, or an amount over what is due
 * (the invoice's, or the client's whole) without credit, APPT_REFUSED.
 */
enum appt_status payment_record(struct appt_session *s, const struct payment_order *o,
				struct payment_result *out, struct appt_err *err);

/*
 * Waives what is unpaid of a late-cancellation or no-show fee (its own
 * transaction, logged "waive" on entity "charge" with the reason, which is
 * required).  When roles.managers is set only a manager may.  No such
 * charge is APPT_NOTFOUND; one voided, waived or paid already APPT_REFUSED.
 * *client_id and *waived say whose and how much.
 */
enum appt_status fee_waive(struct appt_session *s, long long charge_id, const char *reason,
			   long long *client_id, long long *waived, struct appt_err *err);

/* One payment as recorded, for the client's record. */
struct payment_row {
	long long id;
	time_t at;
	long long amount;
	const char *method;
	const char *ref;      /* may be NULL */
	const char *paid;     /* what it pays now: "INV-2027-0001, no-show fee #3"; NULL: credit */
	const char *actor;
};

/* The client's last max payments, newest first; the strings live until fn returns. */
enum appt_status account_each_payment(struct appt_db *db, long long client_id, int max,
				      void (*fn)(const struct payment_row *p, void *data),
				      void *data, struct appt_err *err);

/*
 * Whether the client is blocked with no fee left open: the desk may lift
 * the block now (appt-client(1) says to, once the fee is paid).
 */
int account_may_unblock(struct appt_db *db, long long client_id);

#endif
