/*
 * appointment: the appointment record — its states, reading one, listing
 * them.  The rules that change appointments (booking, the state machine,
 * the policies) are booking's; the outbox reads the record, and booking
 * queues its messages there, so the modules depend one way:
 * appointment <- outbox <- booking.
 *
 * States: booked -> confirmed -> waiting -> in-progress -> done, and
 * cancelled / no-show as ends.  held is a tentative booking that occupies
 * its slot until hold_until: confirmed, it is booked and confirmed at once;
 * left, appt remind cancels it.
 */
#ifndef APPT_APPOINTMENT_H
#define APPT_APPOINTMENT_H

#include <time.h>

#include "session.h"
#include "util.h"

enum appt_state {
	STATE_BOOKED,
	STATE_CONFIRMED,
	STATE_WAITING,
	STATE_IN_PROGRESS,
	STATE_DONE,
	STATE_CANCELLED,
	STATE_NOSHOW,
	STATE_HELD,
	STATE_COUNT
};

const char *state_name(enum appt_state st);           /* "in-progress" */
/* 0 and *out set for a known name, -1 otherwise. */
int state_parse(const char *name, enum appt_state *out);
/* done, cancelled and no-show: nothing moves an appointment on from them. */
int state_is_end(enum appt_state st);

struct appointment {
	long long id;
	long long client_id;
	char *client_name;
	char *client_phone;
	char *service;
	char *provider;
	char *resource;    /* NULL when the service needs none */
	time_t start;
	time_t end;
	char *local_start; /* what was booked, "2027-03-02 10:30" */
	char *zone;
	enum appt_state state;
	char *via;
	char *note;
	time_t confirmed_at; /* 0 when not confirmed */
	char *confirmed_via;
	int reschedules;
	int late_cancel;
	char *cancel_reason;
	char *cancelled_by;
	time_t created_at;
	time_t updated_at;
	time_t hold_until;   /* held: when the hold lapses; else 0 */
	long long series_id; /* book --repeat: the series it is one of; else 0 */
};

void appointment_release(struct appointment *a);
enum appt_status appointment_get(struct appt_db *db, long long id,
				 struct appointment *out, struct appt_err *err);

struct appointment_filter {
	time_t from;          /* start_at >= from (0: no bound) */
	time_t to;            /* start_at < to (0: no bound) */
	const char *provider; /* NULL: all */
	long long client_id;  /* 0: all */
	int state;            /* -1: all; else an enum appt_state */
};

/* Calls fn for each matching appointment in start order. */
enum appt_status appointment_each(struct appt_db *db,
				  const struct appointment_filter *f,
				  void (*fn)(const struct appointment *a, void *data),
				  void *data, struct appt_err *err);

#endif
