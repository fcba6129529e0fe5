/*
 * ics: an RFC 5545 iCalendar writer — a VCALENDAR of VEVENTs, streamed one
 * event at a time.
 *
 * Times are written in UTC ("20270302T173000Z"), which every calendar
 * application reads without a VTIMEZONE; X-WR-TIMEZONE names the business
 * zone so that applications show the events in it.  TEXT values are escaped
 * (RFC 5545 3.3.11), content lines folded at 75 octets without splitting a
 * UTF-8 character (3.1), and every line ends in CRLF.
 */
#ifndef APPT_ICS_H
#define APPT_ICS_H

#include <stdio.h>
#include <time.h>

struct ics_calendar {
	const char *name;     /* X-WR-CALNAME */
	const char *timezone; /* X-WR-TIMEZONE: an IANA name */
};

struct ics_event {
	const char *uid;
	time_t stamp;         /* DTSTAMP and LAST-MODIFIED */
	time_t created;       /* CREATED; 0 leaves it out */
	time_t start;
	time_t end;
	const char *summary;
	const char *description; /* NULL or "" leaves it out */
	const char *location;    /* NULL or "" leaves it out */
	const char *status;      /* TENTATIVE, CONFIRMED or CANCELLED */
	int sequence;
};

struct ics_writer;

/* Writes the calendar's header; the writer owns nothing of cal. */
struct ics_writer *ics_begin(FILE *fp, const struct ics_calendar *cal);
void ics_event(struct ics_writer *w, const struct ics_event *ev);
/* Closes the calendar, frees w; -1 when the stream had a write error. */
int ics_end(struct ics_writer *w);

/*
 * The part after '@' in a UID: the business name as lower-case ASCII
 * letters and digits joined by '-' ("Test Clinic" -> "test-clinic"), else
 * the host name.  Caller frees.
 */
char *ics_uid_domain(const char *business_name);

#endif
