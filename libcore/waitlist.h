/*
 * waitlist: clients waiting for a time (any, or an earlier one than they
 * have), and the offering of the times the calendar gives back.
 *
 * An entry names a client and a service, and may narrow what they can
 * take: a provider, a first and a last day, weekdays ("mon,tue") and
 * times of day ("09:00-12:00": the whole visit inside).  It is 'open'
 * until the client is booked for that service (vacancy.h closes it as
 * 'booked') or the desk removes it.
 *
 * appt remind offers each freed slot (vacancy.h) to the open entries in
 * the order they were added: the first that matches and that booking
 * accepts gets a hold (booking.h's "offer", which sends
 * notices.waitlist_offer) for policies.waitlist.offer_hold; the next hears
 * of the slot only when that hold lapses or is cancelled.  Nobody is
 * offered one slot twice, an entry with an offer unanswered waits for its
 * answer before it is offered another, and an entry is offered at most one
 * slot in 24h (from its last offer): the slot goes meanwhile to the next.
 * An offer that lapses is released without notices.expired: the offer
 * said until when.
 */
#ifndef APPT_WAITLIST_H
#define APPT_WAITLIST_H

#include <time.h>

#include "session.h"
#include "slots.h"
#include "util.h"

/* What waitlist add is given; NULL fields are "not given". */
struct waitlist_want {
	long long client_id;
	const char *service;
	const char *provider; /* NULL: any provider offering the service */
	const char *from;     /* the first day, as when_parse_date takes it */
	const char *to;       /* the last day, included */
	const char *days;     /* "mon,tue", ranges too ("mon-fri") */
	const char *times;    /* "09:00-12:00", several joined by commas */
	const char *note;
};

/* One entry as stored, with the words written the one way (canonical). */
struct waitlist_entry {
	long long id;
	long long client_id;
	char *client_name;
	char *client_phone;   /* NULL when unknown */
	char *service;
	char *provider;       /* NULL: any */
	char *from_day;       /* YYYY-MM-DD or NULL */
	char *to_day;
	char *days;           /* "mon,tue" or NULL: every day */
	char *times;          /* "09:00-12:00" or NULL: any time */
	char *note;
	char *status;         /* "open", "booked" or "removed" */
	long long appointment_id; /* booked: the appointment; else 0 */
	char *close_reason;
	time_t created_at;
	int offers;           /* slots offered to it so far */
};

struct waitlist_list {
	struct waitlist_entry *items;
	size_t nr;
	size_t alloc;
};

void waitlist_list_release(struct waitlist_list *list);

/* Which entries to read; 0 / NULL fields do not filter. */
struct waitlist_filter {
	long long id;
	long long client_id;
	const char *service;
	const char *provider; /* entries naming it, and those taking any provider */
	const char *status;   /* NULL: open; "all": every status */
};

/*
 * Adds an entry (its own transaction, logged "add") and sets *id.  An
 * unknown service or provider is APPT_NOTFOUND; a provider that does not
 * offer the service, or a blocked client, APPT_REFUSED; days, times or a
 * day that cannot be read, a last day before the first or already past,
 * or a note failing text_check, APPT_DATAERR.
 */
enum appt_status waitlist_add(struct appt_session *s, const struct waitlist_want *w,
			      long long *id, struct appt_err *err);

/*
 * Closes an open entry as 'removed' (its own transaction, logged "remove"
 * with the reason, which may be NULL).  No such entry is APPT_NOTFOUND,
 * one no longer open APPT_REFUSED.  A hold already offered to the client
 * stays: it is an appointment of its own, cancelled as any other.
 */
enum appt_status waitlist_remove(struct appt_session *s, long long id,
				 const char *reason, struct appt_err *err);

/* The entries f selects, oldest first, appended to out (caller releases). */
enum appt_status waitlist_read(struct appt_db *db, const struct waitlist_filter *f,
			       struct waitlist_list *out, struct appt_err *err);

/* One offer made, for the run's report; the strings live until fn returns. */
struct waitlist_offer {
	long long appointment_id; /* the hold placed for the client */
	long long entry_id;
	long long slot_id;
	time_t start;
	time_t hold_until;
	const char *provider;
	const char *client_name;
};

/*
 * appt remind's step, inside the caller's write transaction, after the
 * lapsed holds are released: freed slots whose time has come are closed,
 * and so are those the desk has booked another way since; each other open
 * one is offered to the first matching entry that booking accepts (the
 * client free, not blocked, the time inside the booking rules) and that
 * has had no offer in the last 24h.  A slot nobody matches stays open for
 * later runs.  fn (may be NULL) hears of each offer.
 */
enum appt_status waitlist_offer_freed(struct appt_session *s,
				      void (*fn)(const struct waitlist_offer *o, void *data),
				      void *data, struct appt_err *err);

/*
 * Up to max free slots matching entry e (its provider, days, dates and
 * times, the client free), earliest first, from the slot search of
 * slots.h; provider (may be NULL) narrows them further, and so does
 * [from, to) (0: unbounded).  *slots is the caller's to free.
 */
enum appt_status waitlist_free_slots(struct appt_session *s, const struct waitlist_entry *e,
				     const char *provider, time_t from, time_t to,
				     size_t max, struct slot **slots, size_t *nr,
				     struct appt_err *err);

#endif
