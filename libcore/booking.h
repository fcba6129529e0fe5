/*
 * booking: the rules of the seed procedures that change appointments —
 * booking, the state machine, notice windows, no double booking, late
 * cancellations, the no-show rules — each change one transaction with its
 * audit event and the messages it queues.
 *
 * A refusal is APPT_REFUSED with a message that names the rule and how to
 * override it ("use --force --reason TEXT").  Notes and reasons must pass
 * text_check (notes may span lines, reasons not): APPT_DATAERR before
 * anything is read or written.
 *
 * The seam for messages: every lifecycle change goes through one internal
 * function (record_change in booking.c), which writes the audit event in
 * the change's transaction and queues or voids what the change tells the
 * client.
 */
#ifndef APPT_BOOKING_H
#define APPT_BOOKING_H

#include <time.h>

#include "appointment.h"
#include "session.h"
#include "util.h"

/* What a command asks for; NULL / 0 fields are "not given". */
struct booking_request {
	long long client_id;
	const char *service;
	const char *provider;   /* NULL: any provider offering the service */
	const char *resource;   /* NULL: any free resource of the needed kind */
	time_t at;              /* when first_available is 0 (a walk-in: 0 = now) */
	int first_available;
	time_t from;            /* first_available: search from here (0 = now) */
	const char *via;        /* a canonical via.h word (VIA_FOR_BOOK), or NULL; walk-in:
				   no booking notice */
	const char *note;
	int force;
	const char *reason;     /* required with force */
	int no_notice;          /* reschedule: tell the client nothing (logged) */
	long hold;              /* > 0: a tentative hold for this long (state held),
				   at most BOOKING_HOLD_MAX */
	/*
	 * The audit action, which decides the notice: NULL is "book" (or
	 * "hold" with hold: notices.held), "offer" a waitlist offer (a hold
	 * that sends notices.waitlist_offer).
	 */
	const char *action;
	long long series_id;    /* one occurrence of this series (series.h) */
};

/* The longest hold: a week is time enough to decide. */
#define BOOKING_HOLD_MAX (7 * 86400L)

/* What was done, for the command to print. */
struct booking_result {
	long long id;
	time_t start;
	time_t end;
	const char *provider;     /* points into the configuration */
	char *resource;
	int late;                 /* cancel: inside the notice window */
	long long fee;            /* cents charged (late cancel, no-show) */
	long long client_id;
	int noshows;              /* the client's no-shows in policies.noshow.window */
	int client_blocked;       /* noshow: the client reached block_after */
	long long message_id;     /* the confirmation or notice queued (0: none) */
	int withheld;             /* cancel: no notice went (--no-notice, or never announced) */
	struct strlist warnings;  /* e.g. the no-show warning on booking */
	time_t hold_until;        /* a hold: when it lapses */
};

void booking_result_release(struct booking_result *r);

/* An appointment as given, for imports from another system. */
struct appointment_row {
	long long client_id;
	const char *service;   /* must exist in the configuration */
	const char *provider;
	const char *resource;  /* may be NULL */
	time_t start;
	time_t end;            /* 0: start plus the service's duration */
	enum appt_state state;
	const char *via;
	const char *note;
	const char *external_id;
	time_t hold_until;     /* state held: when it lapses */
	long long series_id;   /* 0: none */
};

/*
 * Inserts the row with its audit event (action), inside the caller's write
 * transaction.  It checks no policy: the caller decides which rules apply.
 */
enum appt_status appointment_insert(struct appt_session *s,
				    const struct appointment_row *row,
				    const char *action, const char *reason,
				    long long *id, struct appt_err *err);

enum appt_status appointment_book(struct appt_session *s,
				  const struct booking_request *req,
				  struct booking_result *res,
				  struct appt_err *err);

/*
 * Moves an appointment, keeping its id.  Uses req's at/first_available/from,
 * provider, resource, force and reason (client_id and service are the
 * appointment's own).  The confirmation resets to booked.
 */
enum appt_status appointment_reschedule(struct appt_session *s, long long id,
					const struct booking_request *req,
					struct booking_result *res,
					struct appt_err *err);

/*
 * Whether a may be moved now without --force: outside
 * policies.reschedule.min_notice and under its max_times.
 */
int appointment_may_reschedule(struct appt_session *s, const struct appointment *a);

/*
 * Whether the client cancelling a now would be late (inside
 * policies.cancel.min_notice, a late fee's case); a hold never is.
 */
int appointment_cancel_is_late(const struct appt_session *s, const struct appointment *a);

/*
 * by: "client" or "business" (NULL = client).  no_notice tells the client
 * nothing; nor does cancelling a booking they were never told of.
 */
enum appt_status appointment_cancel(struct appt_session *s, long long id,
				    const char *reason, const char *by,
				    int force, int no_notice, struct booking_result *res,
				    struct appt_err *err);

/*
 * The audit action a no-show logs on its appointment, after its own event,
 * when it blocks the client (policies.noshow.block_after): the block is then
 * known to be this no-show's, and appt undo lifts it with it.
 */
#define APPOINTMENT_BLOCKED_CLIENT "block-client"

enum appt_status appointment_noshow(struct appt_session *s, long long id,
				    const char *note, int force,
				    const char *reason,
				    struct booking_result *res,
				    struct appt_err *err);

/*
 * confirm (via: a canonical via.h word of VIA_FOR_CONFIRM, or NULL),
 * checkin, start, done: moves
 * along booked -> confirmed -> waiting -> in-progress -> done.  Skipping ahead
 * is allowed (a walk-in is checked in without a confirmation), going back or
 * leaving an end state is refused naming the current state.  A held
 * appointment can only be confirmed: it is then booked and confirmed at
 * once, and *message is the booking notice it queued (0: none), to deliver
 * after the commit.  checkin, start
 * and done earlier than policies.arrival.early before the start are refused
 * unless force (with reason, by a manager when roles.managers is set).
 */
enum appt_status appointment_set_state(struct appt_session *s, long long id,
				       enum appt_state to, const char *via,
				       int force, const char *reason,
				       long long *message, struct appt_err *err);

/*
 * Releases every hold whose time has come (appt remind): each is cancelled
 * by the business with the reason "hold expired", logged ("expire"), its
 * client told when notices.expired is set (not for a waitlist offer, whose
 * text said until when, nor once the held time has begun), and its slot
 * freed for the waitlist (vacancy.h).  fn (may be NULL) hears of each.  Inside the
 * caller's write transaction.
 */
enum appt_status appointment_expire_holds(struct appt_session *s,
					  void (*fn)(const struct appointment *a, void *data),
					  void *data, struct appt_err *err);

#endif
