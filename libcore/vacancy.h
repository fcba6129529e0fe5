/*
 * vacancy: the times the calendar gives back (a cancel, a move away, a
 * hold that lapsed, a no-show) kept for the waitlist, and the waitlist
 * entries a booking answers.  A leaf under booking: booking records here,
 * in the change's own transaction; waitlist.c reads and offers.
 *
 * A freed slot is 'open' until a waiting client is offered it (a hold
 * placed for them: 'offered', offer_id), 'taken' when that hold is
 * confirmed, open again when it lapses or is cancelled, and 'closed' when
 * its time has passed or the desk booked it another way.
 */
#ifndef APPT_VACANCY_H
#define APPT_VACANCY_H

#include "appointment.h"
#include "session.h"
#include "util.h"

/*
 * Appointment a stops holding its time (cause: "cancel", "reschedule",
 * "expire", "noshow").  A waitlist offer's hold gives its slot back to the
 * waitlist (open again, for the next entry); any other appointment whose
 * time is still ahead leaves a freed slot.  Inside the caller's write
 * transaction.
 */
enum appt_status vacancy_freed(struct appt_session *s, const struct appointment *a,
			       const char *cause, struct appt_err *err);

/*
 * Appointment id of client_id for service became a firm booking (booked,
 * or a hold confirmed): the offer it answered is taken, and the client's
 * open waitlist entries for that service are closed as booked.  Inside the
 * caller's write transaction.
 */
enum appt_status vacancy_booked(struct appt_session *s, long long id, long long client_id,
				const char *service, struct appt_err *err);

#endif
