/*
 * import: clients and appointments from CSV, all or nothing.
 *
 * Columns are found by their header name (case and surrounding spaces do
 * not matter), or renamed with a map ("Start Time=start").  Every record is
 * checked and written inside one write transaction; any bad record makes the
 * whole import roll back, and every problem found is reported as
 * "FILE:LINE: message".  A dry run does all the same work, then rolls back.
 *
 * Re-running an import adds nothing:
 *
 * - a client is the one with the same external_id (client rows), else the
 *   same e-mail and name, else the same phone and name; a row without a
 *   name matches by e-mail, else phone, and one with only a name by the
 *   name.  The name takes part because family members share addresses:
 *   a row must never change someone else's record.  More than one match
 *   is an error.  Phones compare by key (phone.h), however typed; a record
 *   merged into another stands for the one it went into, and a client
 *   row found only that way is left unchanged.
 * - a client the import would add, or give a phone or e-mail, that another
 *   client already has is refused as client_add refuses it, unless
 *   allow_duplicate.
 * - a client row is unchanged when every non-empty cell equals what is
 *   stored, else updated (empty cells never clear anything).  Notes are
 *   added to the client's notes unless one of them, or all of them joined
 *   by newlines (as export writes them), already reads the same.
 * - an appointment row is the appointment with the same external_id, else
 *   the one of the same client with the same provider at the same start;
 *   it is unchanged when client, service, provider, start, end, status,
 *   notes and external id are the same, else updated in place (an
 *   "import" event in the audit log holds the row before and after).
 * - the client of an appointment row that matches nobody is created from
 *   the row's client (its name), phone and email cells.
 *
 * Appointments starting before now are history and go in as they are, in
 * any state.  Later ones are checked like a booking: opening hours,
 * closures, time off, the provider's, the room's and the client's other
 * appointments and group capacity — unless allow_overlap.  The booking
 * notice and horizon and a client's block are not checked: those govern
 * taking a new request, and an imported booking was already made.
 */
#ifndef APPT_IMPORT_H
#define APPT_IMPORT_H

#include <stdio.h>

#include "session.h"
#include "util.h"

/* Errors kept word for word; the rest are only counted. */
#define IMPORT_MAX_ERRORS 20

enum import_kind {
	IMPORT_CLIENTS,
	IMPORT_APPOINTMENTS,
};

/* 0 and *out set for "clients" / "appointments", -1 otherwise. */
int import_parse_kind(const char *s, enum import_kind *out);

/* A --map COLUMN=FIELD. */
struct import_map {
	char *column;
	char *field;
};

/*
 * Splits "COLUMN=FIELD" at its last '=' (a field name never holds one) and
 * checks FIELD is a field of kind: APPT_USAGE naming the fields otherwise.
 * On success the caller owns out's strings (import_map_release).
 */
enum appt_status import_parse_map(enum import_kind kind, const char *arg,
				  struct import_map *out, struct appt_err *err);
void import_map_release(struct import_map *map);

struct import_progress {
	size_t records;    /* data records read */
	size_t consumed;   /* input bytes read */
};

struct import_options {
	enum import_kind kind;
	const char *name;          /* the input's name in messages */
	const struct import_map *maps;
	size_t nr_maps;
	int ignore_unknown;        /* skip columns that are no field */
	int allow_overlap;         /* do not check later appointments */
	int allow_duplicate;       /* new clients may share a phone or e-mail */
	int dry_run;               /* roll back at the end */
	/* Called every few hundred records and once at the end (may be NULL). */
	void (*progress)(const struct import_progress *p, void *data);
	void *progress_data;
};

struct import_result {
	size_t added;
	size_t updated;
	size_t unchanged;
	size_t clients_added;      /* appointments: clients created for them */
	struct strlist errors;     /* the first IMPORT_MAX_ERRORS, "FILE:LINE: message" */
	size_t nr_errors;          /* all of them */
};

void import_result_release(struct import_result *res);

/*
 * Reads fp and imports it in one write transaction.  Bad data is
 * APPT_DATAERR with the problems in res->errors (err says how many); then,
 * and for a dry run, nothing is written.  Other failures (the database, a
 * read error) are their own status with err.
 */
enum appt_status import_run(struct appt_session *s, FILE *fp,
			    const struct import_options *opt,
			    struct import_result *res, struct appt_err *err);

#endif
