/*
 * outbox: every outbound message and call task, queued in the same
 * transaction as the change that caused it, under a unique key so that no
 * run ever sends the same message twice; and `appt remind`, which queues
 * what is due and delivers what is pending.
 *
 * A message's life: pending -> sending (claimed by one process, committed
 * before the transport runs) -> sent | pending again with backoff | failed,
 * or void when it was deliberately not sent (too late, moot, withheld).
 * Nothing goes out, and no call task falls due, outside its channel's
 * sending window.  A process that dies while sending leaves the row
 * 'sending': the next run queues it again when it never reached its
 * transport, and otherwise reports it as uncertain and sends it again only
 * with --retry-uncertain.  Call tasks are rows on channel 'call': open
 * until `appt log --task` records the call that closes them, or void once
 * moot.
 */
#ifndef APPT_OUTBOX_H
#define APPT_OUTBOX_H

#include <signal.h>
#include <time.h>

#include "session.h"
#include "util.h"

/*
 * Queues the notices: entry of the configuration (booked, rescheduled,
 * cancelled, noshow, blocked) for an appointment; nothing when that notice
 * is not configured.  cause_event is the audit event of the change.  With
 * withheld (why) the notice is recorded as not sent.  Inside the caller's
 * transaction.  *id is the message to deliver (0 when none).
 */
enum appt_status outbox_queue_notice(struct appt_session *s, const char *notice,
				     long long appointment_id, long long cause_event,
				     const char *withheld, long long *id,
				     struct appt_err *err);

/*
 * Whether the client was told of the appointment: a booking or move notice
 * reached (or may have reached) them, or went to the desk as a call task,
 * or none was ever queued (the desk told them itself).  A booking whose confirmation never went out was
 * never announced, and its cancellation tells the client nothing.
 */
enum appt_status outbox_client_told(struct appt_session *s, long long appointment_id,
				    int *told, struct appt_err *err);

/*
 * Voids every open call task that has become moot (the program client
 * booked, was blocked or left the program; the appointment was confirmed
 * or its time passed); with client_id only that client's, and their
 * pending outreach and rebooking follow-ups too.  sum (may be NULL) counts
 * them in closed.  Inside the caller's transaction.
 */
struct delivery_summary;
enum appt_status outbox_void_moot(struct appt_session *s, long long client_id,
				  struct delivery_summary *sum, struct appt_err *err);

/*
 * Voids every pending message and open task about an appointment (its old
 * time is gone: rescheduled or cancelled), naming the event that did it.
 * Inside the caller's transaction.
 */
enum appt_status outbox_void_appointment(struct appt_session *s,
					 long long appointment_id, long long event,
					 struct appt_err *err);

/*
 * Voids what is left of one kind of message about an appointment (NULL:
 * every kind), noting why and the event that did it (0: none): the
 * confirmation-deadline call once the client has confirmed.  Inside the
 * caller's transaction.
 */
enum appt_status outbox_void_kind(struct appt_session *s, long long appointment_id,
				  const char *kind, long long event, const char *why,
				  struct appt_err *err);

/*
 * The texts held back until call task task_id is logged (seed 004 day 25:
 * telephone, then follow up with the text) fall due now; *released says
 * how many.  Inside the caller's transaction.
 */
enum appt_status outbox_release_followers(struct appt_session *s, long long task_id,
					  int *released, struct appt_err *err);

/*
 * A client who texted STOP gets none of the texts still waiting for them:
 * each pending message on a channel that reaches their phone goes the way
 * a new one would (by e-mail, else as a call task), its note and audit
 * event ("reroute") saying why; *moved says how many.  Nothing when the
 * client's texts are not stopped.  Inside the caller's transaction.
 */
enum appt_status outbox_reroute_stopped(struct appt_session *s, long long client_id,
					int *moved, struct appt_err *err);

/* Where a message or call task is (messages.status). */
enum message_status {
	MESSAGE_PENDING,
	MESSAGE_SENDING,
	MESSAGE_SENT,
	MESSAGE_FAILED,
	MESSAGE_UNCERTAIN,
	MESSAGE_VOID,
	MESSAGE_OPEN,   /* a call task still to make */
	MESSAGE_CLOSED, /* a call task done with */
};

/* The word stored and shown: "pending", "open", ... */
const char *message_status_name(enum message_status status);
/* The status a stored word is (the schema holds the column to the words). */
enum message_status message_status_of(const char *stored);

/* ---- call tasks (outbox_task.c) ---- */

/* A call task, as `appt log --task` checks and counts it. */
struct call_task {
	long long id;
	long long client_id;
	long long appointment_id;
	char *client_name;
	char *kind;
	char *channel;           /* "call" for a call task; message #id may be another */
	enum message_status status;
	char *closed_by;
	time_t closed_at;
	time_t created_at;
	int attempt;
	int tries;
};

void call_task_release(struct call_task *t);

/* Message #id, read as a call task: APPT_NOTFOUND "no call task #ID" when none. */
enum appt_status outbox_call_task(struct appt_db *db, long long id, struct call_task *t,
				  struct appt_err *err);

/*
 * One call made on an open task: its tries counted, and with close the
 * task closed, its note giving way to text (the audit event keeps the old
 * one).  Inside the caller's transaction.
 */
enum appt_status outbox_count_call(struct appt_session *s, long long id, const char *text,
				   int close, struct appt_err *err);

/* A call the desk is to make because the client asked (an inbound text). */
struct desk_call {
	long long client_id;
	long long appointment_id; /* 0: about no appointment */
	const char *name;         /* what it is: "sms" */
	const char *note;         /* why, as the call list shows it */
	const char *key;          /* unique: the same key never makes a second task */
};

/*
 * Queues the call task (kind 'request'), due now or at the call window's
 * next opening; *id is 0 when key was already used.  Inside the caller's
 * transaction.
 */
enum appt_status outbox_queue_desk_call(struct appt_session *s, const struct desk_call *call,
					long long *id, struct appt_err *err);

/* ---- appt undo: taking back what a change did to the outbox (outbox_undo.c) ---- */

/* A message appt undo voided, brought back, or found beyond recall. */
struct message_ref {
	long long id;
	const char *kind;
	const char *name;
	const char *channel;
	enum message_status status; /* gone: sent, closed, sending or uncertain */
};

enum message_fate {
	MESSAGE_VOIDED,   /* it had not gone out: taken back */
	MESSAGE_GONE,     /* sent, done, or being sent: the desk must tell the client */
	MESSAGE_RESTORED, /* voided by the undone change, and pending again */
};

typedef void message_fn(enum message_fate fate, const struct message_ref *m, void *data);

/*
 * The messages a change caused: the ones its audit event queued
 * (cause_event); else those whose key starts with key_prefix (an outreach
 * cycle after a visit); else one kind about an appointment queued at or
 * after `since` (the follow-ups after done).
 */
struct message_scope {
	long long cause_event;
	const char *key_prefix;
	long long appointment_id;
	const char *kind;
	time_t since;
};

/*
 * Voids the pending messages and open call tasks in scope, recording event
 * (the undo) and why on each, and calls fn for each one voided and each one
 * that has already gone out.  Inside the caller's transaction.
 */
enum appt_status outbox_take_back(struct appt_session *s, const struct message_scope *scope,
				  long long event, const char *why, message_fn *fn, void *data,
				  struct appt_err *err);

/*
 * Brings back, as it was before, what the event voided_by voided about an
 * appointment: its reminders and notices, and with deadline its
 * confirmation-deadline call, each unless its time has passed (not_after);
 * fn hears of each.  Inside the caller's transaction.
 */
enum appt_status outbox_restore_voided(struct appt_session *s, long long appointment_id,
				       long long voided_by, int deadline,
				       message_fn *fn, void *data, struct appt_err *err);

/*
 * After client other's messages moved to keep (client merge): the outbox
 * keys that name other (program outreach, "outreach:P:OTHER:VISIT:i") name
 * keep instead, so a step made for other is not made again for keep.
 * Inside the caller's transaction.
 */
enum appt_status outbox_rekey_client(struct appt_db *db, long long keep, long long other,
				     struct appt_err *err);

struct delivery_summary {
	int sent;
	int failed;     /* attempts that failed in this run (retried later or given up) */
	int gave_up;    /* of those, messages now marked failed for good */
	int tasks;      /* call tasks created */
	int skipped;    /* too late (the appointment started), or voided */
	int uncertain;  /* found 'sending' from a run that died */
	int released;   /* found claimed by a run that died before handing them over: pending again */
	int closed;     /* call tasks closed because they became moot */
	int deferred;   /* waiting for their channel's sending window */
	time_t held_until; /* outbox_deliver_now: when the message held back may go */
	int queued;
	int another_run; /* the lock was held by another run past delivery.lock_wait */
	int expired;     /* holds released (upkeep.h) */
	int offered;     /* freed slots offered to the waitlist */
	int overdue;     /* booking requests past their reply deadline, now call tasks */
};

/*
 * Delivers one message now (a lifecycle command after its commit); one
 * its sending window holds back is counted in deferred, with held_until.
 */
enum appt_status outbox_deliver_now(struct appt_session *s, long long id,
				    struct delivery_summary *sum,
				    struct appt_err *err);

/* Delivers now the texts call task task_id released (after its commit). */
enum appt_status outbox_deliver_followers(struct appt_session *s, long long task_id,
					  struct delivery_summary *sum,
					  struct appt_err *err);

enum remind_kind {
	REMIND_REMINDERS = 1,
	REMIND_DEADLINES = 2,
	REMIND_FOLLOWUPS = 4,
	REMIND_OUTREACH = 8,
	REMIND_DELIVERY = 16, /* deliver what is pending (notices, retries) */
	REMIND_HOLDS = 32,    /* release the holds that lapsed (upkeep.h) */
	REMIND_WAITLIST = 64, /* offer freed slots to the waitlist */
	REMIND_REQUESTS = 128,/* a call task for each request past its reply deadline */
	REMIND_ALL = 255,
};

struct remind_options;

/*
 * What the layers above the outbox do on every run, first, inside the
 * run's transaction (upkeep.h): the outbox cannot call them itself, as
 * they book and cancel through booking, which queues through the outbox.
 */
typedef enum appt_status remind_upkeep_fn(struct appt_session *s,
					  const struct remind_options *o,
					  struct delivery_summary *sum,
					  struct appt_err *err);

struct remind_options {
	unsigned only;          /* enum remind_kind bits */
	int dry_run;            /* queue and show, then roll everything back */
	int retry_uncertain;    /* send uncertain messages again */
	long long retry_id;     /* with retry_uncertain: only this one (0: all) */
	/*
	 * Set (by a signal handler) to stop after the message in flight:
	 * it is finished and recorded, or given back unsent.  May be NULL.
	 */
	volatile sig_atomic_t *stop;
	/* Each message acted on, for the command to print (may be NULL). */
	void (*report)(const char *line, void *data);
	void *data;
	remind_upkeep_fn *upkeep; /* may be NULL */
};

/*
 * One cron run: takes the remind lock (waiting up to delivery.lock_wait,
 * then returning APPT_OK with sum->another_run set), queues what is due,
 * delivers what is pending.  APPT_OK even when deliveries failed:
 * the summary says how many, and the command maps that to exit 69.
 */
enum appt_status outbox_remind(struct appt_session *s,
			       const struct remind_options *o,
			       struct delivery_summary *sum,
			       struct appt_err *err);

/*
 * Settles one uncertain message by hand, once someone has checked whether
 * the client got it: as sent, or back to pending for the next run.  Not
 * found is APPT_NOTFOUND; a message that is not uncertain, APPT_REFUSED.
 */
enum appt_status outbox_settle_uncertain(struct appt_session *s, long long id,
					 int delivered, struct appt_err *err);

struct message_row {
	long long id;
	const char *kind;
	const char *name;
	long long client_id;
	const char *client_name;
	long long appointment_id;
	const char *channel;
	const char *recipient;
	const char *subject;
	const char *body;
	const char *status;
	const char *assign;
	const char *note;
	time_t due_at;
	int attempts;
	const char *last_error;
	time_t sent_at;
	time_t created_at;
};

struct message_filter {
	long long appointment_id; /* 0: any */
	long long client_id;      /* 0: any */
	const char *status;       /* NULL: any */
	const char *channel;      /* NULL: any ("call" for tasks) */
	time_t from, to;          /* created_at in [from, to); 0: no bound */
	time_t due_before;        /* pending ones whose next attempt is before this; 0: any */
	long long request_id;     /* about this booking request; 0: any */
};

/* Messages matching f, oldest first. */
enum appt_status outbox_each(struct appt_db *db, const struct message_filter *f,
			     void (*fn)(const struct message_row *m, void *data),
			     void *data, struct appt_err *err);

/* ---- invoices (outbox_invoice.c) ---- */

/*
 * Queues notices.invoice for invoice id, once whatever runs again (key
 * "invoice:ID"): *id is the new message, or 0 with *already the one queued
 * before.  notices.invoice not set is APPT_CONFIG; a client with no e-mail
 * address APPT_REFUSED.  Its own transaction.
 */
enum appt_status outbox_queue_invoice(struct appt_session *s, long long invoice_id,
				      long long *id, long long *already, struct appt_err *err);

/* ---- booking requests (outbox_request.c) ---- */

/* What the outbox needs to know of a booking request (request.h). */
struct request_ref {
	long long id;
	long long client_id;
	const char *service;
	time_t reply_by;
};

/*
 * Queues the notices: entry notice (request_received, request_declined)
 * about a request, once per request and notice whatever runs again;
 * nothing when that notice is not configured.  cause_event is the audit
 * event of the step.  *id is the message to deliver (0: none).  Inside
 * the caller's transaction.
 */
enum appt_status outbox_queue_request_notice(struct appt_session *s, const char *notice,
					     const struct request_ref *r, long long cause_event,
					     long long *id, struct appt_err *err);

/*
 * The call task of a request left unanswered past its deadline: kind
 * 'request', due at reply_by, one per request (key "request:ID"); *id is
 * 0 when it was already made.  Inside the caller's transaction.
 */
enum appt_status outbox_queue_request_call(struct appt_session *s, const struct request_ref *r,
					   struct delivery_summary *sum, long long *id,
					   struct appt_err *err);

#endif
