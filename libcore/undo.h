/*
 * undo: puts right a status change made by mistake (DESIGN.md
 * "Corrections"; seed 000 §5.4: documented, never erased).
 *
 * appt undo takes back the latest status change of an appointment not yet
 * taken back — a confirm, checkin, start, done, noshow or cancel — and
 * returns the appointment to the state its audit event recorded before it.
 * What the change caused goes with it: its fee is voided, the block it
 * imposed lifted, the messages it queued voided (or, when they have gone
 * out, named so the desk can tell the client), and what it voided brought
 * back where that still makes sense.  Both the change and the undo stay in
 * the log (the undo's event names the one it took back), so successive
 * undos walk back one change at a time.
 *
 * A booking, a move or an import is not a status change: an undo stops
 * there.  Undoing a cancel or a no-show occupies the time again, so it is
 * refused when that would double-book; no policy (notice windows, a block)
 * stands in its way.
 */
#ifndef APPT_UNDO_H
#define APPT_UNDO_H

#include "appointment.h"

struct undo_result {
	long long id;            /* the appointment */
	long long event;         /* the undo's own audit event */
	long long undone;        /* the event taken back */
	char *action;            /* its action: "done", "cancel", ... */
	enum appt_state from;    /* the state before the undo */
	enum appt_state to;      /* the state restored */
	struct strlist done;     /* what else was taken back or brought back, a line each */
	struct strlist warnings; /* what could not be: the desk must tell the client */
};

void undo_result_release(struct undo_result *r);

/*
 * Takes back appointment id's latest status change, in one transaction;
 * reason (may be NULL) is logged with the undo.  APPT_NOTFOUND for an
 * unknown appointment; APPT_REFUSED, naming why, when there is nothing to
 * undo or when undoing would double-book.
 */
enum appt_status appointment_undo(struct appt_session *s, long long id,
				  const char *reason, struct undo_result *res,
				  struct appt_err *err);

#endif
