/*
 * invoice: the bill of a done appointment (seed 003, "Invoicing and
 * Payments"), and the credit note that voids one.
 *
 * An invoice lists the service at its price, the items the desk adds
 * (parts, extra time), a discount, and each tax of billing.tax on what is
 * left after the discount, rounded half-up to the cent (money.h).  It is
 * numbered inside the write transaction that issues it, PREFIX-YEAR-NNNN
 * with no gap in a year however many desks issue at once, and never
 * changed: the schema refuses UPDATE and DELETE.  Voiding one issues a
 * credit note, a document of its own taking the next number, that cancels
 * it line by line; what was paid on the invoice becomes the client's
 * credit (account.h).  An appointment has at most one live invoice.
 */
#ifndef APPT_INVOICE_H
#define APPT_INVOICE_H

#include <time.h>

#include "config.h"
#include "session.h"

/* The most items one invoice takes: a bill, not a catalogue. */
#define INVOICE_ITEMS_MAX 50

struct invoice_item {
	const char *text;
	long long amount; /* cents, > 0 */
};

/* What appt invoice ID is given. */
struct invoice_order {
	long long appointment_id;
	const struct invoice_item *items;
	size_t nr_items;
	long long discount; /* cents off, or: */
	long discount_rate; /* millionths off the subtotal (when > 0) */
};

struct invoice_line {
	char *kind; /* "service", "item", "discount" (negative) or "tax" */
	char *text;
	long long amount;
	long rate; /* a tax's, in millionths; else 0 */
};

/* The figures of an invoice before it has a number. */
struct invoice_figures {
	struct invoice_line *lines;
	size_t nr_lines;
	long long subtotal; /* service and items */
	long long discount; /* >= 0, shown negative */
	long long tax;
	long long total;
};

void invoice_figures_release(struct invoice_figures *f);

/*
 * The lines and totals of an invoice for a service sold at price (its
 * line reads service_name), as the order asks.  An item whose text fails
 * text_check, more than INVOICE_ITEMS_MAX items, or a discount larger than
 * the subtotal is APPT_DATAERR; a subtotal of 0 (no price, no items)
 * APPT_REFUSED.
 */
enum appt_status invoice_compute(const struct appt_config *cfg, const char *service_name,
				 long long price, const struct invoice_order *o,
				 struct invoice_figures *out, struct appt_err *err);

/* One invoice or credit note as issued, with what became of it. */
struct invoice {
	long long id;
	char *number;
	char *kind;              /* "invoice" or "credit" */
	long long appointment_id;
	long long client_id;
	char *client_name;       /* billed to, as issued */
	char *client_email;      /* the client's now; NULL when unknown */
	long long cancels;       /* a credit note: the invoice it voids; else 0 */
	char *cancels_number;
	char *voided_by;         /* an invoice voided: the credit note's number; else NULL */
	char *currency;
	long long subtotal, discount, tax, total;
	long long paid;          /* an invoice: what payments cover of it */
	time_t issued_at;
	char *actor;
	char *reason;            /* a credit note: why */
	char *service;           /* the appointment's service id */
	char *provider;
	time_t start;            /* the appointment's start */
	struct invoice_line *lines;
	size_t nr_lines;
};

void invoice_release(struct invoice *inv);

/*
 * "open" (an invoice with something left to pay), "paid", "void" (a
 * credit note cancels it) or "credit" (a credit note itself).
 */
const char *invoice_status(const struct invoice *inv);

/*
 * Issues the invoice of a done appointment (its own transaction, logged
 * "issue" on entity "invoice") and sets *id.  No such appointment is
 * APPT_NOTFOUND; one not done, or with a live invoice already,
 * APPT_REFUSED; invoice_compute's refusals as it says.  The client's credit
 * pays what it can of it at once.
 */
enum appt_status invoice_issue(struct appt_session *s, const struct invoice_order *o,
			       long long *id, struct appt_err *err);

/*
 * Voids invoice id by issuing a credit note (its own transaction, logged
 * "void" on the invoice and "issue" on the note) and sets *credit_id.  A
 * credit note, or an invoice already voided, is APPT_REFUSED; reason is
 * required (text_check).  The payments it had become the client's credit,
 * which then pays their other open items, oldest first.
 */
enum appt_status invoice_void(struct appt_session *s, long long id, const char *reason,
			      long long *credit_id, struct appt_err *err);

/*
 * An invoice named as printed ("INV-2027-0001", any case).  None is
 * APPT_NOTFOUND; a bare number APPT_DATAERR: `appt invoice 3` bills
 * appointment #3, so "3" naming an invoice would void the wrong one.
 */
enum appt_status invoice_find(struct appt_db *db, const char *ref, long long *id,
			      struct appt_err *err);

/* The invoice id, lines and all.  None is APPT_NOTFOUND. */
enum appt_status invoice_get(struct appt_db *db, long long id, struct invoice *out,
			     struct appt_err *err);

/* Which invoices invoice_each reads; 0 / NULL fields do not filter. */
struct invoice_filter {
	long long client_id;
	long long appointment_id;
	time_t from, to;    /* issued in [from, to) */
	const char *status; /* as invoice_status says */
};

/* Calls fn for each invoice f selects (no lines read), oldest first. */
enum appt_status invoice_each(struct appt_db *db, const struct invoice_filter *f,
			      void (*fn)(const struct invoice *inv, void *data), void *data,
			      struct appt_err *err);

/* The appointment's live invoice's id, or 0 (undo asks before taking back a done). */
enum appt_status invoice_live_for(struct appt_db *db, long long appointment_id,
				  long long *id, struct appt_err *err);

#endif
