/*
 * request: what a client asked for before a time was agreed (seed 002 §5):
 * taken at the desk however it came in, acknowledged at once
 * (notices.request_received), and answered within
 * policies.request.reply_within (its deadline, reply_by) by booking it or
 * by declining it with a notice (notices.request_declined).  One still open
 * past its deadline becomes a call task for the desk on the next appt
 * remind, which closes by itself once the request is answered or declined.
 *
 * Every step is one transaction with its audit event (entity "request":
 * add, answer, decline) and the messages it queues; an answer books
 * through booking.h in the same transaction, so the request is answered
 * exactly when the appointment exists.
 */
#ifndef APPT_REQUEST_H
#define APPT_REQUEST_H

#include <time.h>

#include "booking.h"
#include "outbox.h"
#include "session.h"
#include "util.h"
#include "via.h"

/* How a request comes in: any way but walking in, which is seen at once (book --via walk-in). */
#define VIA_FOR_REQUEST VIA_FOR_CONFIRM
#define VIA_WORDS_REQUEST VIA_WORDS_CONFIRM

enum request_state {
	REQUEST_OPEN,
	REQUEST_ANSWERED,
	REQUEST_DECLINED,
	REQUEST_STATE_COUNT
};

/* The stored word: "open", "answered", "declined". */
const char *request_state_name(enum request_state st);
/* 0 and *out set for a known word, -1 otherwise. */
int request_state_parse(const char *name, enum request_state *out);

/* What the desk took down; NULL fields are "not said". */
struct request_new {
	long long client_id;
	const char *service;
	const char *provider;  /* NULL: whoever offers the service */
	const char *prefer;    /* the client's own words: "mornings, not Fridays" */
	const char *days;      /* "mon,tue" or "mon-fri": the days they can come */
	const char *times;     /* "09:00-12:00[,HH:MM-HH:MM...]": when on those days */
	const char *via;       /* a word of VIA_FOR_REQUEST (aliases allowed) */
	const char *note;
};

/*
 * What needs no database, for a command to refuse bad input before any
 * lookup (request_add checks it again): prefer passes text_check on one
 * line, note on several; days are day names or ranges, comma-separated;
 * times are clock intervals, each ending after it starts; via is among
 * VIA_FOR_REQUEST.  APPT_DATAERR saying which and what is allowed.
 */
enum appt_status request_check(const struct request_new *r, struct appt_err *err);

/*
 * Takes the request down (its own transaction): the client must exist, and
 * the service and the provider (APPT_NOTFOUND); the provider must offer the
 * service (APPT_REFUSED).  Days and times are stored in one canonical form
 * ("mon,tue", "09:00-12:00").  The deadline is now plus reply_within, and
 * the acknowledgement is queued: *message is it (0 when
 * notices.request_received is not configured), to deliver after the
 * commit.
 */
enum appt_status request_add(struct appt_session *s, const struct request_new *r,
			     long long *id, long long *message, struct appt_err *err);

/* A request as stored; every string is owned (request_release). */
struct request {
	long long id;
	long long client_id;
	char *client_name;
	char *client_phone;    /* may be NULL */
	char *service;
	char *provider;        /* NULL: any */
	char *prefer;
	char *days;
	char *times;
	char *via;
	char *note;
	char *taken_by;
	time_t created_at;
	time_t reply_by;
	enum request_state state;
	long long appointment_id; /* answered: the appointment booked; else 0 */
	time_t closed_at;         /* answered or declined: when; else 0 */
	char *closed_by;
	char *decline_reason;
};

void request_release(struct request *r);

/* Request #id: APPT_NOTFOUND "no request #ID" when there is none. */
enum appt_status request_get(struct appt_db *db, long long id, struct request *out,
			     struct appt_err *err);

/*
 * What the client would like, in one line for a list: the words, then the
 * days, then the times ("mornings; mon,tue; 09:00-12:00").  Any may be
 * NULL; nothing at all gives "".
 */
void request_describe_wish(const char *prefer, const char *days, const char *times,
			   struct strbuf *sb);

struct request_filter {
	int state;            /* -1: every state; else an enum request_state */
	long long client_id;  /* 0: every client */
};

/* Calls fn for each matching request, by deadline (the oldest first). */
enum appt_status request_each(struct appt_db *db, const struct request_filter *f,
			      void (*fn)(const struct request *r, void *data),
			      void *data, struct appt_err *err);

/* How the desk answers: the time is theirs to choose, the rest was asked. */
struct request_answer {
	time_t at;             /* when first_available is 0 */
	int first_available;   /* the first slot that suits the request's days and times */
	time_t from;           /* first_available: search from here (0: now) */
	const char *provider;  /* NULL: the provider asked for, else any */
	long hold;             /* > 0: book it as a tentative hold for this long */
	int force;             /* override a booking policy (with reason) */
	const char *reason;
};

/*
 * Answers an open request by booking it (its own transaction): the client,
 * service, note and way in of the request, the provider asked for unless
 * a->provider says otherwise.  first_available takes the first free slot
 * on one of the request's days and inside its times (any, when it stated
 * none); none before the booking horizon is APPT_REFUSED.  A request no
 * longer open is APPT_REFUSED naming its state; any refusal of the booking
 * leaves the request open.  res is the booking's (booking_result_release).
 */
enum appt_status request_answer(struct appt_session *s, long long id,
				const struct request_answer *a, struct booking_result *res,
				struct appt_err *err);

/*
 * Declines an open request (its own transaction), with why (required, one
 * line), and queues notices.request_declined: *message is it (0: none),
 * to deliver after the commit.  A request no longer open is APPT_REFUSED
 * naming its state.
 */
enum appt_status request_decline(struct appt_session *s, long long id, const char *reason,
				 long long *message, struct appt_err *err);

/*
 * appt remind: every open request past its deadline that has no call task
 * yet gets one (outbox_queue_request_call), counted in sum->overdue; fn
 * (may be NULL) hears of each.  Inside the caller's write transaction.
 */
enum appt_status request_call_overdue(struct appt_session *s, struct delivery_summary *sum,
				      void (*fn)(const struct request *r, long long task,
						 void *data),
				      void *data, struct appt_err *err);

#endif
