/*
 * mail: the RFC 5322 message sendmail gets (sendmail -t reads its
 * recipients from it): From, To, Subject (RFC 2047 encoded when not
 * ASCII), Date (the business zone), Message-ID, MIME-Version and a UTF-8
 * text body in base64, with LF line ends.  It knows addresses and headers,
 * nothing of appt's configuration or outbox.
 */
#ifndef APPT_MAIL_H
#define APPT_MAIL_H

#include <time.h>

#include "util.h"

struct mail {
	const char *from;      /* "Name <addr>", "\"Name\" <addr>" or "addr" */
	const char *from_name; /* the name when from has none; may be NULL */
	const char *to;        /* an address */
	const char *to_name;   /* may be NULL */
	const char *subject;   /* may be NULL: no Subject header */
	const char *body;
	/* Message-ID: <appt.ID.HASH-OF-KEY@host>, stable for one outbox key */
	long long id;
	const char *key;
};

/* The message m, sent at now.  Caller frees. */
char *mail_format(const struct mail *m, time_t now);

/*
 * Whether addr is a plain addr-spec appt sends to: one '@' with text on
 * both sides, and none of the characters that would let it smuggle in a
 * second mailbox, a display name or a header.
 */
int mail_address_valid(const char *addr);

/*
 * Splits "Name <addr>", "\"Name\" <addr>" or a bare "addr" (as written in
 * the configuration's from: or business.email) into owned parts; *name is
 * NULL when there is none.
 */
void mail_split_mailbox(const char *spec, char **name, char **addr);

/* A copy of s (NULL: "") with every control character (CR, LF) a space. */
char *mail_header_clean(const char *s);

#endif
