/*
 * program: where a client enrolled in a treatment program stands (seed 004):
 * the last visit, days since, whether a visit is booked, the outreach made
 * since, and the next step due.  The outbox queues outreach from it, the
 * overdue report prints it, and the contact log numbers attempts with it.
 */
#ifndef APPT_PROGRAM_H
#define APPT_PROGRAM_H

#include <time.h>

#include "config.h"
#include "session.h"
#include "util.h"

/*
 * A visit that started less than this ago and is still open (booked,
 * confirmed, waiting, in progress: nobody has marked it done or missed yet)
 * still counts as booked: the client is probably in the chair, and no text
 * should ask them to book.
 */
#define VISIT_STILL_OPEN_SQL "86400"

struct program_status {
	const struct cfg_program *program; /* NULL: not enrolled, or ended */
	long long last_visit_id;           /* 0: no visit done yet */
	time_t last_visit;                 /* start of that visit */
	struct appt_date last_visit_date;
	int days_since;                    /* business days of the calendar, not opening days */
	long long next_booked_id;          /* a booked visit ahead (0: none) */
	int attempts;                      /* outreach sent or tasked, and contacts logged, since the visit */
	time_t last_attempt;               /* 0: none */
	int next_step;                     /* index into program->steps; -1 when none is left */
	struct appt_date next_date;        /* when next_step falls due */
	int due_to_end;                    /* all steps are past and end_after has run out */
};

/*
 * "outreach:PROGRAM:CLIENT:VISIT:", the outbox key prefix of the outreach
 * cycle after one visit; step i's key appends i.  Caller frees.
 */
char *program_cycle_key(const char *program, long long client_id, long long visit_id);

/* The status of one client's program; out->program is NULL when not enrolled. */
enum appt_status program_status(struct appt_session *s, long long client_id,
				struct program_status *out, struct appt_err *err);

/*
 * Calls fn for each client enrolled in a running program who has had a visit
 * and has no visit booked ahead: the "No Appointment Booked" list.  A
 * blocked client is not on it: nobody invites them to book.
 */
enum appt_status program_each_overdue(struct appt_session *s,
				      void (*fn)(long long client_id,
						 const struct program_status *st,
						 void *data),
				      void *data, struct appt_err *err);

/*
 * Ends the client's program (clients.program_ended_at) with an audit event
 * naming why; inside the caller's write transaction.
 */
enum appt_status program_end(struct appt_session *s, long long client_id,
			     const char *why, struct appt_err *err);

#endif
