/*
 * ledger: the billing as a plain-text double-entry journal that hledger and
 * ledger read as it is (`appt export invoices|payments --format ledger`),
 * so that the books are kept where accountants keep them.
 *
 * Every billing event of the period is one transaction, dated by its
 * business day: an invoice or credit note as issued, a fee charged, a fee
 * waived, a fee voided (appt undo: the charge, and its waiver if any,
 * turned round), a payment.  The accounts:
 *
 *   assets:receivable:NAME #ID   what client ID owes (negative: credit)
 *   assets:cash|card|bank|other  what a payment brought in, by method
 *   income:services:SERVICE      an invoice's service line
 *   income:items                 the items added to an invoice
 *   income:discounts             discounts given (a debit)
 *   income:fees:late-cancel|no-show
 *   income:fees:waived           fees forgiven (a debit)
 *   liabilities:tax:NAME         each tax collected
 *
 * Amounts are exact (integer cents) with the currency code after them
 * ("85.00 USD"), and every transaction balances to the cent.  Over all
 * time a client's receivable account is the balance account_read gives.
 */
#ifndef APPT_LEDGER_H
#define APPT_LEDGER_H

#include <stdio.h>
#include <time.h>

#include "session.h"

/*
 * Writes the journal of [from, to) (0 leaves that end open) to fp and
 * counts its transactions in *count (may be NULL).  APPT_IOERR when fp
 * could not be written, or the database's error.
 */
enum appt_status ledger_write(struct appt_session *s, time_t from, time_t to, FILE *fp,
			      long long *count, struct appt_err *err);

/*
 * name as one component of an account name: ':' (the separator) and ';'
 * (a comment) replaced, each run of blanks one space, none at either end,
 * so that two spaces never end the name early.  buf holds strlen(name) + 1
 * bytes, at least 2.
 */
void ledger_account_part(const char *name, char *buf, size_t size);

#endif
