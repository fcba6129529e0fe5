/*
 * sms_inbound: a text a client sends back, as the SMS gateway hands it to
 * `appt serve` (POST /hooks/sms; DESIGN.md, "Serving clients").  The
 * sender is matched to a client by phone however it was typed (phone.h
 * keys); the body, trimmed, in any case and without trailing punctuation
 * ("yes!", "C."), says what to do:
 *
 *	C, Y, YES, CONFIRM	confirms the client's next appointment when it is
 *				booked (or held: a waitlist offer says "reply
 *				YES"); one already confirmed is only logged;
 *				with none, the text goes to the desk as below
 *	R, RESCHEDULE		a call task for the desk to move the next one
 *	STOP, STOPALL, UNSUBSCRIBE, END, QUIT
 *				no more texts to the number (client.h): every
 *				live client with it, their waiting texts sent
 *				by e-mail or as call tasks instead
 *	START, UNSTOP		texts again
 *	anything else		on the client's record with a call task
 *				("Text from the client: ...") for the desk
 *
 * CANCEL, an opt-out word for carriers, is not taken for one here: a
 * client who texts it more likely means an appointment, and a person at the
 * desk answers it.  Every text is logged as an inbound sms contact on the
 * client's record (contact.h), and every step is one transaction with its
 * audit events, by s->actor ("sms").
 */
#ifndef APPT_SMS_INBOUND_H
#define APPT_SMS_INBOUND_H

#include "session.h"
#include "util.h"

enum sms_action {
	SMS_CONFIRMED,  /* the next appointment confirmed */
	SMS_RESCHEDULE, /* a call task to move the next appointment */
	SMS_STOPPED,    /* texts stopped */
	SMS_STARTED,    /* texts allowed again */
	SMS_FOR_DESK,   /* logged, with a call task for the desk */
};

struct sms_outcome {
	enum sms_action action;
	long long client_id;       /* whose record the text went on */
	long long appointment_id;  /* the appointment confirmed or to move; 0: none */
	long long contact_id;      /* the contact logged on client_id's record */
	long long task_id;         /* the call task made; 0: none */
	/*
	 * A hold confirmed is a booking now, and its notice is to be sent:
	 * the message to deliver after sms_inbound returns
	 * (outbox_deliver_now, as the lifecycle commands do); 0: none.
	 */
	long long message_id;
	int sharing;               /* live clients with the number (>1: one was chosen) */
	int new_client;            /* nobody had the number: a record was made for it */
	/* What was done, for the server's log: "confirmed #12 for Ann Archer". */
	char line[APPT_ERR_MAX];
};

/*
 * Acts on body, texted from the phone number from.  Several live clients
 * with the number: the text is for the one whose next appointment is
 * soonest, else for the lowest number; line says so.
 *
 * APPT_DATAERR, with nothing written: no sender, or a sender or body that
 * fails text_check (invalid UTF-8, control characters; the body may span
 * lines).  APPT_NOTFOUND, with nothing written: from is no phone number
 * at all (a short code, a name); the server answers the gateway 200 all
 * the same and logs the message.  A number no live client has gets a
 * record of its own, "Unknown (NUMBER)", and the text goes on it.
 */
enum appt_status sms_inbound(struct appt_session *s, const char *from, const char *body,
			     struct sms_outcome *out, struct appt_err *err);

#endif
