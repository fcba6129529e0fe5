#include "ics.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "version.h"

/* RFC 5545 3.1: content lines SHOULD NOT exceed 75 octets, CRLF excluded. */
#define ICS_LINE_OCTETS 75

struct ics_writer {
	FILE *fp;
	struct strbuf line; /* the content line being built, unfolded */
};

/*
 * Folds the line at 75 octets (a continuation starts with a space, which
 * counts) and never inside a UTF-8 character, which a calendar would show
 * as two broken halves.
 */
static void put_line(struct ics_writer *w)
{
	const char *p = w->line.buf;
	size_t left = w->line.len, room = ICS_LINE_OCTETS;

	while (left > room) {
		size_t cut = room;

		while (cut > room - 3 && ((unsigned char)p[cut] & 0xc0) == 0x80)
			cut--;
		fwrite(p, 1, cut, w->fp);
		fputs("\r\n ", w->fp);
		p += cut;
		left -= cut;
		room = ICS_LINE_OCTETS - 1;
	}
	fwrite(p, 1, left, w->fp);
	fputs("\r\n", w->fp);
	strbuf_reset(&w->line);
}

/* TEXT allows HTAB but no other control character. */
static int is_control(char c)
{
	return ((unsigned char)c < 0x20 && c != '\t') || c == 0x7f;
}

/* RFC 5545 3.3.11: TEXT escapes \ ; , and newlines, and has no controls. */
static void add_text(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\':
		case ';':
		case ',':
			strbuf_addch(sb, '\\');
			strbuf_addch(sb, *s);
			break;
		case '\r':
			if (s[1] == '\n')
				s++;
			/* fall through */
		case '\n':
			strbuf_add(sb, "\\n", 2);
			break;
		default:
			strbuf_addch(sb, is_control(*s) ? ' ' : *s);
		}
	}
}

/* A property whose value is already valid as written (no escaping). */
static void prop_raw(struct ics_writer *w, const char *name, const char *value)
{
	strbuf_addstr(&w->line, name);
	strbuf_addch(&w->line, ':');
	strbuf_addstr(&w->line, value);
	put_line(w);
}

static void prop_text(struct ics_writer *w, const char *name, const char *value)
{
	char *utf8;

	if (!value || !*value)
		return;
	/* iCalendar is UTF-8, whatever an older appt stored unchecked. */
	utf8 = text_repair_utf8(value);
	strbuf_addstr(&w->line, name);
	strbuf_addch(&w->line, ':');
	add_text(&w->line, utf8);
	put_line(w);
	free(utf8);
}

/* DATE-TIME in UTC form (3.3.5, FORM #2): no VTIMEZONE needed. */
static void prop_time(struct ics_writer *w, const char *name, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strbuf_addf(&w->line, "%s:%04d%02d%02dT%02d%02d%02dZ", name,
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
	put_line(w);
}

struct ics_writer *ics_begin(FILE *fp, const struct ics_calendar *cal)
{
	struct ics_writer *w = xcalloc(1, sizeof(*w));

	w->fp = fp;
	strbuf_init(&w->line);
	prop_raw(w, "BEGIN", "VCALENDAR");
	prop_raw(w, "VERSION", "2.0");
	prop_raw(w, "PRODID", "-//appt//appt " APPT_VERSION "//EN");
	prop_raw(w, "CALSCALE", "GREGORIAN");
	prop_raw(w, "METHOD", "PUBLISH");
	prop_text(w, "X-WR-CALNAME", cal->name);
	prop_text(w, "X-WR-TIMEZONE", cal->timezone);
	/* How often a subscribed calendar should fetch the feed again. */
	prop_raw(w, "REFRESH-INTERVAL;VALUE=DURATION", "PT1H");
	prop_raw(w, "X-PUBLISHED-TTL", "PT1H");
	return w;
}

void ics_event(struct ics_writer *w, const struct ics_event *ev)
{
	int cancelled = !strcmp(ev->status, "CANCELLED");

	prop_raw(w, "BEGIN", "VEVENT");
	prop_text(w, "UID", ev->uid);
	prop_time(w, "DTSTAMP", ev->stamp);
	if (ev->created)
		prop_time(w, "CREATED", ev->created);
	prop_time(w, "LAST-MODIFIED", ev->stamp);
	prop_time(w, "DTSTART", ev->start);
	prop_time(w, "DTEND", ev->end);
	strbuf_addf(&w->line, "SEQUENCE:%d", ev->sequence);
	put_line(w);
	prop_raw(w, "STATUS", ev->status);
	prop_text(w, "SUMMARY", ev->summary);
	prop_text(w, "DESCRIPTION", ev->description);
	prop_text(w, "LOCATION", ev->location);
	/* A cancelled visit stays visible but no longer blocks the time. */
	prop_raw(w, "TRANSP", cancelled ? "TRANSPARENT" : "OPAQUE");
	prop_raw(w, "END", "VEVENT");
}

int ics_end(struct ics_writer *w)
{
	int failed;

	prop_raw(w, "END", "VCALENDAR");
	strbuf_release(&w->line);
	failed = fflush(w->fp) || ferror(w->fp);
	free(w);
	return failed ? -1 : 0;
}

static void add_slug(struct strbuf *sb, const char *name)
{
	int dash = 0;

	for (const char *p = name ? name : ""; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x80 && isalnum(c)) {
			if (dash && sb->len)
				strbuf_addch(sb, '-');
			strbuf_addch(sb, (char)tolower(c));
			dash = 0;
		} else {
			dash = 1;
		}
	}
}

char *ics_uid_domain(const char *business_name)
{
	struct strbuf sb = STRBUF_INIT;
	char host[256];

	add_slug(&sb, business_name);
	if (!sb.len && !gethostname(host, sizeof(host))) {
		host[sizeof(host) - 1] = '\0';
		strbuf_addstr(&sb, host);
	}
	if (!sb.len)
		strbuf_addstr(&sb, "localhost");
	return strbuf_detach(&sb);
}
