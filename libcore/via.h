/*
 * via: how a contact was made, the one vocabulary of every --via
 * (DESIGN.md, Commands): call (alias phone), sms, email, in-person, online,
 * walk-in.  Each command takes the words that make sense for it; what is
 * stored is always the canonical word, so "phone" never reaches the
 * database and reports count one word per way of contact.
 */
#ifndef APPT_VIA_H
#define APPT_VIA_H

#include "util.h"

enum via {
	VIA_CALL,
	VIA_SMS,
	VIA_EMAIL,
	VIA_IN_PERSON,
	VIA_ONLINE,
	VIA_WALK_IN,
	VIA_COUNT,
};

#define VIA_BIT(v) (1u << (v))

/* How a booking came in: any way. */
#define VIA_FOR_BOOK (VIA_BIT(VIA_COUNT) - 1)
/* How a client confirmed: not by walking in, which is no confirmation. */
#define VIA_FOR_CONFIRM                                                      \
	(VIA_BIT(VIA_CALL) | VIA_BIT(VIA_SMS) | VIA_BIT(VIA_EMAIL) |         \
	 VIA_BIT(VIA_IN_PERSON) | VIA_BIT(VIA_ONLINE))
/* A contact staff log: what a person at the desk did or heard. */
#define VIA_FOR_LOG                                                          \
	(VIA_BIT(VIA_CALL) | VIA_BIT(VIA_SMS) | VIA_BIT(VIA_EMAIL) |         \
	 VIA_BIT(VIA_IN_PERSON))

/*
 * The canonical words of each set, for the shell completions, which offer
 * no alias ("phone"); test_util checks that they are the sets.
 */
#define VIA_WORDS_BOOK "call sms email in-person online walk-in"
#define VIA_WORDS_CONFIRM "call sms email in-person online"
#define VIA_WORDS_LOG "call sms email in-person"

/* The canonical word: "call", "in-person", ... */
const char *via_name(enum via v);

/*
 * word as one of the ways in allowed (VIA_BIT()s): *canonical gets its
 * canonical word (static storage; "phone" gives "call").  A word outside
 * the vocabulary, or one allowed does not take, is APPT_DATAERR naming the
 * words allowed takes, in the order above.
 */
enum appt_status via_parse(const char *word, unsigned allowed,
			   const char **canonical, struct appt_err *err);

/* The words of allowed as a list for people: "call, sms, email or in-person". */
void via_describe(unsigned allowed, struct strbuf *sb);

#endif
