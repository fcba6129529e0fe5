/*
 * block: a provider's time off (holidays, training, a dentist's appointment):
 * intervals in which availability offers nothing and booking refuses.
 */
#ifndef APPT_BLOCK_H
#define APPT_BLOCK_H

#include <time.h>

#include "session.h"
#include "util.h"

struct block {
	long long id;
	const char *provider; /* valid inside the callback only */
	time_t from;
	time_t to;
	const char *reason;   /* may be NULL */
};

/*
 * Adds time off (its own transaction).  The provider must exist (APPT_NOTFOUND),
 * to > from and the reason pass text_check (APPT_DATAERR).  Booked appointments inside the block are not
 * cancelled; their number is returned in *overlapping so the desk can move them.
 */
enum appt_status block_add(struct appt_session *s, const char *provider,
			   time_t from, time_t to, const char *reason,
			   long long *id, int *overlapping, struct appt_err *err);
/* Removes it (its own transaction); APPT_NOTFOUND when there is none. */
enum appt_status block_remove(struct appt_session *s, long long id,
			      struct appt_err *err);

/*
 * Blocks overlapping [from, to) for a provider (NULL: all), by start.
 * from/to of 0 mean unbounded.
 */
enum appt_status block_each(struct appt_db *db, const char *provider,
			    time_t from, time_t to,
			    void (*fn)(const struct block *b, void *data),
			    void *data, struct appt_err *err);

#endif
