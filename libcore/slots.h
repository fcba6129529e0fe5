/*
 * slots: the next free starts for a service — what the desk offers a client
 * (at least two, as the booking procedure asks) and what --first-available
 * takes.
 */
#ifndef APPT_SLOTS_H
#define APPT_SLOTS_H

#include <time.h>

#include "session.h"
#include "util.h"

struct slot {
	time_t start;
	time_t end;
	const char *provider; /* points into the configuration */
	const char *resource; /* points into the configuration, or NULL */
};

struct slot_query {
	const char *service;
	const char *provider; /* NULL: every provider offering it */
	const char *resource; /* NULL: any resource of the kind the service needs */
	time_t from;          /* 0: now */
	int days;             /* how many days to look at; 0: up to the booking horizon */
	int count;            /* how many slots */
	long long exclude_id; /* an appointment to ignore (the one being moved) */
	int walk_in;          /* the client is here: no policies.booking.min_notice */
};

/*
 * Fills *slots (caller frees) with up to q->count free starts, earliest
 * first, never inside policies.booking.min_notice (but for a walk-in) nor
 * beyond max_advance.
 * An unknown service or provider is APPT_NOTFOUND.
 */
enum appt_status appointment_find_slots(struct appt_session *s,
					const struct slot_query *q,
					struct slot **slots, size_t *nr,
					struct appt_err *err);

#endif
