/*
 * export: whole tables for audits, spreadsheets and calendars — appointments,
 * clients, the audit log (events), the outbox (messages), fees (charges),
 * invoices and payments as CSV or JSON, appointments as an iCalendar feed
 * (ics.h), and the billing as a journal for hledger and ledger (ledger.h).
 *
 * Every export is one SELECT read row by row straight into the output, so
 * memory stays flat whatever the size, and the rows are one consistent
 * snapshot even while other commands write.
 *
 * Appointments and clients carry exactly the columns `appt import` reads, in
 * its order, so that export -> import into a fresh database -> export gives
 * the same file.  A row without an external id gets a stand-in,
 * "appt:appointment:ID" / "appt:client:ID" (export.c says when it grows a
 * suffix): import stores it as the new row's external id, so the re-export
 * shows it unchanged, and re-importing the same file finds every row by it
 * and adds nothing.  --all-columns appends the audit columns (id, created,
 * ...) after the import columns.
 */
#ifndef APPT_EXPORT_H
#define APPT_EXPORT_H

#include <stdio.h>
#include <time.h>

#include "session.h"
#include "util.h"

enum export_dataset {
	EXPORT_APPOINTMENTS,
	EXPORT_CLIENTS,
	EXPORT_EVENTS,
	EXPORT_MESSAGES,
	EXPORT_CHARGES,
	EXPORT_CONTACTS,
	EXPORT_INVOICES, /* invoices and credit notes, one row each */
	EXPORT_PAYMENTS,
};

enum export_format {
	EXPORT_CSV,
	EXPORT_JSON,
	EXPORT_ICS,    /* appointments only */
	EXPORT_LEDGER, /* invoices or payments: either is the whole journal (ledger.h) */
};

enum export_flags {
	EXPORT_RAW = 1,         /* CSV: leave formula-like cells as they are */
	EXPORT_REDACT = 2,      /* mask phone numbers and e-mail addresses */
	EXPORT_ALL_COLUMNS = 4, /* appointments, clients: the audit columns too */
};

struct export_request {
	enum export_dataset dataset;
	enum export_format format;
	/*
	 * [from, to) over the appointment's start, or when the record was
	 * made (events, messages, charges, payments: at / created_at;
	 * clients: created_at; invoices: issued); 0 leaves that end open.
	 */
	time_t from;
	time_t to;
	const char *provider; /* appointments only; NULL: every provider */
	unsigned flags;
};

/* 0 and *out set for a known name, -1 otherwise. */
int export_parse_dataset(const char *name, enum export_dataset *out);
int export_parse_format(const char *name, enum export_format *out);
/* "appointments, clients, events, messages, charges, ...", for messages. */
const char *export_dataset_names(void);

/*
 * Checks the combinations a command line can get wrong: ics or --provider
 * for anything but appointments, ledger for anything but invoices and
 * payments, --all-columns with ics or ledger.  APPT_USAGE with the reason.
 */
enum appt_status export_check(const struct export_request *req,
			      struct appt_err *err);

/*
 * Writes the export to fp and counts the rows in *rows (may be NULL).  The
 * rows go out through stdio: give fp a large buffer (setvbuf) for speed.
 * APPT_IOERR when fp could not be written (ferror(fp) then tells), or the
 * database's error; APPT_USAGE as export_check.
 */
enum appt_status export_write(struct appt_session *s,
			      const struct export_request *req, FILE *fp,
			      long long *rows, struct appt_err *err);

/*
 * A phone number or e-mail address as --redact shows it: "ann@example.com"
 * -> "a***@example.com", "+15550001" -> "*******01".  buf holds at least
 * strlen(contact) + 5 bytes.
 */
void export_mask_contact(const char *contact, char *buf, size_t size);

#endif
