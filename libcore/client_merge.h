/*
 * client_merge: folding a duplicate client record into the one to keep
 * (appt client merge KEEP OTHER).
 *
 * Everything OTHER owns moves to KEEP: appointments, notes, contacts,
 * messages and charges.  KEEP's own phone, e-mail, date of birth and
 * program win; the ones KEEP lacks are filled from OTHER.  OTHER stays in
 * the database for history with merged_into = KEEP: no list shows it, no
 * reference but its number finds it (and that one is refused naming KEEP),
 * and it cannot be merged again nor be merged into.  Records merged into
 * OTHER before now point at KEEP, so merged_into always names a live
 * record.
 */
#ifndef APPT_CLIENT_MERGE_H
#define APPT_CLIENT_MERGE_H

#include <time.h>

#include "db.h"
#include "util.h"

struct merge_result {
	char *keep_name, *other_name;
	long long appointments, notes, contacts, messages, charges; /* moved */
	long long requests, waitlist, series; /* moved: the steps before a time is final */
	long long invoices, payments;         /* moved: billing */
	struct strlist filled;    /* KEEP's fields taken from OTHER: "e-mail", ... */
	int other_blocked;        /* OTHER was blocked and KEEP is not */
	char *other_blocked_reason;
};

void merge_result_release(struct merge_result *r);

/*
 * Inside a write transaction the caller opened.  Merging a client into
 * itself, or a record already merged (either side), is APPT_REFUSED; an
 * unknown id APPT_NOTFOUND; a reason with control characters APPT_DATAERR.  Each moved appointment and charge gets a
 * "merge" event, KEEP a "merge" and OTHER a "merged" event, each with
 * actor and reason (may be NULL).
 */
enum appt_status client_merge(struct appt_db *db, long long keep, long long other,
			      const char *reason, const char *actor, time_t now,
			      struct merge_result *res, struct appt_err *err);

#endif
