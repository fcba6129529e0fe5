/*
 * transport: handing one rendered message to the outside world — a file
 * (demos, dry set-ups), a command (argv run directly, never through a shell,
 * the body on stdin, APPT_* variables set; exit 0 = delivered) or sendmail
 * (an RFC 5322 message on the command's stdin).
 */
#ifndef APPT_TRANSPORT_H
#define APPT_TRANSPORT_H

#include <time.h>

#include "config.h"
#include "util.h"

struct outgoing {
	long long id;             /* APPT_MSG_ID */
	const char *key;          /* the outbox key, for Message-ID */
	const char *kind;         /* APPT_MSG_KIND: notice, reminder, ... */
	const char *channel;      /* APPT_CHANNEL */
	const char *to;           /* APPT_TO: e-mail address or phone */
	const char *to_name;      /* the client's name, for the To: header */
	const char *subject;      /* APPT_SUBJECT; may be NULL */
	const char *body;
	long long client_id;      /* APPT_CLIENT_ID */
	long long appointment_id; /* APPT_APPOINTMENT_ID; 0 when none */
};

/*
 * How long a command or sendmail may take before it counts as failed: it
 * then gets SIGTERM, and SIGKILL two seconds later, sent to its whole process
 * group (each command runs in a group of its own).  APPT_TRANSPORT_TIMEOUT
 * (whole seconds, 1-86400) overrides it, so tests need not wait 30s.
 */
#define TRANSPORT_TIMEOUT_SECONDS 30

/*
 * Delivers m through channel ch.  APPT_OK when delivered; APPT_UNAVAILABLE
 * with the reason in err when not:
 *	command '/usr/bin/x' exited 1: <first line of its stderr, at most 200 bytes>
 *	command '/usr/bin/x' killed by signal 9
 *	command '/usr/bin/x' timed out after 30s
 *	cannot run '/usr/bin/x': No such file or directory
 *	invalid e-mail address 'x'          (sendmail; nothing is run)
 *	cannot open '/var/spool/appt.txt': Permission denied      (file)
 * The file transport's record format is described in transport.c.
 */
enum appt_status transport_send(const struct appt_config *cfg,
				const struct cfg_channel *ch,
				const struct outgoing *m, time_t now,
				struct appt_err *err);

/*
 * The RFC 5322 message sendmail gets: From (the channel's from, else
 * business.email, else appt@localhost), To, Subject (RFC 2047 encoded when
 * not ASCII), Date (business zone), Message-ID, MIME-Version and a UTF-8
 * text body in base64; LF line ends, as sendmail -t expects.  Header values
 * never carry CR or LF, whatever the client's name holds: control
 * characters become spaces, and characters an address may not hold are
 * dropped from it (transport_send refuses such an address outright).
 * Caller frees.
 */
char *transport_email_message(const struct appt_config *cfg,
			      const struct cfg_channel *ch,
			      const struct outgoing *m, time_t now);

#endif
