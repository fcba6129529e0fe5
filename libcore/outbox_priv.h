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
	int before_due;            /* about a time ahead (reminder, deadline call): queued once
				      its send time, moved into the window before due, has come */
	long long follows;         /* a text held back until this call task is logged */
	int attempt;               /* program outreach: the attempt it makes (0: none) */
	long long request_id;      /* about a booking request (0: none) */
	const char *service;       /* a service id, for {{service.name}} without an appointment */
	long long invoice_id;      /* an invoice sent (0: none), and its placeholders: */
	const char *invoice_number;
	const char *invoice_total; /* "95.20 USD" */
	const char *invoice_text;  /* the whole invoice as text (invoice_render.h) */
};

void draft_release(struct draft *d);

/* The notices: entry called name ("booked", "request_received", ...), or NULL. */
const struct cfg_notice *outbox_notice_config(const struct appt_config *cfg,
					      const char *name);

/*
 * Routes, renders and inserts a draft (inside the caller's transaction),
 * timed by the sending window of the channel it goes by.  A key already in
 * the outbox is left alone, and a before_due draft whose send time has not
 * come is not queued yet: *id is then 0.
 */
enum appt_status outbox_queue(struct appt_session *s, const struct draft *d,
			      struct delivery_summary *sum, long long *id,
			      struct appt_err *err);

/*
 * Whether channel is configured and reaches a phone (every channel but
 * e-mail): what a client who texted STOP gets nothing by.
 */
int outbox_is_text_channel(const struct appt_config *cfg, const char *channel);

/* Queues what has fallen due now, for the enum remind_kind bits given. */
enum appt_status outbox_queue_due(struct appt_session *s, unsigned kinds,
				  struct delivery_summary *sum, struct appt_err *err);

/* Program outreach (seed 004), and the end of programs that ran out. */
enum appt_status outbox_queue_outreach(struct appt_session *s,
				       struct delivery_summary *sum,
				       struct appt_err *err);

/* What a queued message is, as the relevance rules look at it. */
struct queued {
	const char *kind;
	const char *name;
	long long client_id;
	long long appointment_id;
	const char *program;
	time_t not_after;          /* 0: none */
};

/*
 * Whether a queued message no longer makes sense (outreach to a client who
 * booked, is blocked or left the program; a rebooking follow-up to one who
 * booked; a confirmation call for a time that has passed): *moot set, and
 * why (appended to) saying so.
 */
enum appt_status outbox_moot(struct appt_session *s, const struct queued *q, int *moot,
			     struct strbuf *why, struct appt_err *err);


/*
 * Closes the client's open outreach call tasks whose keys begin with prefix
 * (one cycle's): the step of day `day` takes over.  Inside the caller's
 * transaction.
 */
enum appt_status outbox_void_superseded(struct appt_session *s, long long client_id,
					const char *prefix, int day, struct appt_err *err);

#endif
