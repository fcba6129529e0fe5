/*
 * contact: the contact log — calls, texts, e-mails and in-person talks staff
 * record on a client's record (seed 000 §5.4, seed 004 step 3), and the
 * closing of call tasks.
 */
#ifndef APPT_CONTACT_H
#define APPT_CONTACT_H

#include <time.h>

#include "session.h"
#include "util.h"

struct contact_entry {
	long long client_id;      /* 0: the appointment's client */
	long long appointment_id; /* 0: not about one appointment (or the task's) */
	long long task_id;        /* 0: no call task to close */
	const char *via;          /* via.h's VIA_FOR_LOG: call (or phone), sms, email, in-person */
	const char *outcome;      /* reached, voicemail, no-answer, other, or NULL */
	const char *text;
	int inbound;              /* the client got in touch: not an outreach attempt */
	int close;                /* close the task whatever the outcome */
};

struct contact_result {
	long long id;
	long long client_id;      /* whose record it went on */
	int attempt;              /* program outreach attempt number, 0 when not in a program */
	struct appt_date last_visit; /* the program's last visit, when attempt > 0 */
	int task_tries;           /* calls logged on the task, this one included */
	int task_closed;          /* the task is closed (reached, or --close) */
	int released;             /* texts that waited for the task, now due */
};

/*
 * Checks what needs no database: via among VIA_FOR_LOG and outcome among
 * the allowed values (APPT_DATAERR listing them) and a text that is not
 * blank and passes text_check (it may span lines).  contact_log stores
 * via's canonical word.  contact_log
 * checks the same; a command calls this to refuse bad input before any
 * lookup.
 */
enum appt_status contact_check(const struct contact_entry *e, struct appt_err *err);

/*
 * Records the contact in one transaction, with its audit event.  An
 * outbound contact with a client in a running program with nothing booked
 * gets the attempt number and the date of the last service (seed 004's
 * note): a call on an outreach task is that task's attempt, any other is
 * the next one.  With task_id the call is counted on the call task, which
 * must be an open call task of the same client (APPT_NOTFOUND /
 * APPT_REFUSED naming its state otherwise); it closes only when the client
 * was reached or close is set, and the texts waiting for it fall due.  An
 * appointment given with the client must be that client's (APPT_REFUSED).
 */
enum appt_status contact_log(struct appt_session *s, const struct contact_entry *e,
			     struct contact_result *res, struct appt_err *err);

struct contact_row {
	long long id;
	long long client_id;
	const char *client_name;
	long long appointment_id;
	long long message_id;
	time_t at;
	const char *actor;
	const char *via;
	const char *outcome;  /* may be NULL */
	int attempt;
	const char *last_visit; /* may be NULL */
	const char *text;
};

/* Contacts in [from, to) (0: unbounded), of one client (0: all), oldest first. */
enum appt_status contact_each(struct appt_db *db, long long client_id,
			      time_t from, time_t to,
			      void (*fn)(const struct contact_row *c, void *data),
			      void *data, struct appt_err *err);

#endif
