/*
 * outbox_priv: what outbox.c (queueing), outreach.c (program outreach) and
 * delivery.c (sending) share, and the rest of libcore need not see.
 */
#ifndef APPT_OUTBOX_PRIV_H
#define APPT_OUTBOX_PRIV_H

#include <time.h>

#include "outbox.h"

/* A message about to be queued. */
struct draft {
	const char *kind;          /* notice, reminder, deadline, followup, outreach */
	const char *name;
	long long client_id;
	long long appointment_id;  /* 0: none */
	const char *program;
	const char *channel;       /* preferred, call, or a channels: key */
	const char *template;      /* may be NULL for a call task */
	const char *assign;        /* call tasks: a login; NULL = the front desk */
	char *note;                /* owned */
	char *key;                 /* owned; unique in the outbox */
	time_t due_at;
	time_t not_after;          /* 0: none */
	time_t last_visit;         /* for {{last_visit.date}}; 0: the client's last done visit */
	int skip;                  /* record as void: seen, deliberately not sent */
	long long cause_event;     /* the audit event of the change that queued it; 0: a due time */
};

void draft_release(struct draft *d);

/*
 * Routes, renders and inserts a draft (inside the caller's transaction).
 * A key already in the outbox is left alone: *id is then 0.
 */
enum appt_status outbox_queue(struct appt_session *s, const struct draft *d,
			      struct delivery_summary *sum, long long *id,
			      struct appt_err *err);

/* Queues what has fallen due now, for the enum remind_kind bits given. */
enum appt_status outbox_queue_due(struct appt_session *s, unsigned kinds,
				  struct delivery_summary *sum, struct appt_err *err);

/* Program outreach (seed 004), and the end of programs that ran out. */
enum appt_status outbox_queue_outreach(struct appt_session *s,
				       struct delivery_summary *sum,
				       struct appt_err *err);

#endif
