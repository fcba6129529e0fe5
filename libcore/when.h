/*
 * when: the clock, the business time zone, civil dates, and the time and
 * duration syntax of DESIGN.md.
 *
 * Instants are time_t (UTC seconds).  Civil dates and wall-clock minutes are in
 * the business time zone, which when_set_zone() installs for the whole process
 * (a command serves one business, so one zone per process is enough and lets us
 * use the C library's tzdata handling).
 */
#ifndef APPT_WHEN_H
#define APPT_WHEN_H

#include <stddef.h>
#include <time.h>

#include "util.h"

struct appt_date {
	int year;
	int month; /* 1-12 */
	int day;   /* 1-31 */
};

/* Installs an IANA zone ("America/Denver") as the business zone.  Refuses a
 * name that has no tzdata file with APPT_CONFIG. */
enum appt_status when_set_zone(const char *tzname, struct appt_err *err);
const char *when_zone(void);

/*
 * The current instant: APPT_NOW when set (YYYY-MM-DDTHH:MM[:SS] in business
 * time, or with Z / +HH:MM / -HH:MM), else the real clock.  A malformed
 * APPT_NOW is APPT_DATAERR naming the variable.
 */
enum appt_status when_now(time_t *now, struct appt_err *err);

/*
 * A time argument: "YYYY-MM-DD HH:MM", "YYYY-MM-DDTHH:MM[:SS]", optionally
 * followed by "Z" or "+HH:MM"/"-HH:MM"; or a day word followed by a space
 * and HH:MM; or "now", the current minute (now with its seconds dropped).
 * Day words: today, tomorrow, and mon..sun / monday..sunday, the next such
 * day that still has the time ahead: "mon 15:00" on a Monday morning is
 * today, on a Monday at 16:00 next Monday (today while its minute lasts).
 * Wherever HH:MM is taken, H:MM is too ("9:00").  now anchors the words.  A
 * wall time in a DST gap is APPT_DATAERR ("... does not exist in ZONE
 * (daylight saving gap)"); a time in a DST fold resolves to the earlier
 * instant.  Any other malformed or impossible value (2026-02-30, 25:00) is
 * APPT_DATAERR quoting the input.
 */
enum appt_status when_parse_time(const char *s, time_t now, time_t *out,
				 struct appt_err *err);

/*
 * A --date argument: YYYY-MM-DD, today, tomorrow or a day word; a day word
 * names the next such date, today included ("mon" on a Monday is today).
 */
enum appt_status when_parse_date(const char *s, time_t now,
				 struct appt_date *out, struct appt_err *err);

/* A strict YYYY-MM-DD; returns 0 on success, -1 otherwise (also for 2026-02-30). */
int date_parse_iso(const char *s, struct appt_date *out);

/*
 * The longest duration appt takes anywhere, ten years: an instant plus or
 * minus any duration stays far inside time_t, so no sum can wrap round (a
 * slot step near INT64_MAX once made slot searches spin for ever).
 */
#define WHEN_DURATION_MAX (3650 * 86400L)

/* "45m", "1h30m", "24h", "7d", "2w", "90s", "0" (and combinations such as
 * "1d12h"), into seconds.  APPT_DATAERR quoting the input otherwise, and for
 * one longer than WHEN_DURATION_MAX (overflowing numbers included):
 * "duration '99999d' is out of range (0 to 3650d)". */
enum appt_status when_parse_duration(const char *s, long *seconds,
				     struct appt_err *err);
/*
 * The same within [min, max] (max at most WHEN_DURATION_MAX), what one
 * setting or option allows: "duration '25h' is out of range (1m to 24h)".
 */
enum appt_status when_parse_duration_range(const char *s, long min, long max,
					   long *seconds, struct appt_err *err);
/* "0 to 24h", "1m to 24h": a range as those messages give it. */
void when_format_range(long min, long max, char *buf, size_t size);
/* The shortest form of the same syntax: 5400 -> "1h30m", 0 -> "0m". */
void when_format_duration(long seconds, char *buf, size_t size);

/* "HH:MM" or "H:MM" (0:00-24:00) into minutes since midnight; -1 when malformed. */
int when_parse_clock(const char *s);

/*
 * The instant of a wall time in the business zone.  minute may be 0..1440
 * (1440 is the next day's midnight).  Gap: APPT_DATAERR; fold: the earlier.
 */
enum appt_status when_local_to_utc(struct appt_date date, int minute,
				   time_t *out, struct appt_err *err);

/* The business-zone civil date, minute of day (0-1439) and weekday
 * (0 = Sunday) of an instant.  Either output pointer may be NULL. */
void when_to_local(time_t t, struct appt_date *date, int *minute, int *wday);

/* Midnight at the start of a business-zone date (the first instant of it). */
time_t when_day_start(struct appt_date date);

/* Date arithmetic on the proleptic Gregorian calendar. */
struct appt_date date_add_days(struct appt_date d, int days);
int date_wday(struct appt_date d);               /* 0 = Sunday */
int date_cmp(struct appt_date a, struct appt_date b);
long date_diff_days(struct appt_date later, struct appt_date earlier);
int date_valid(struct appt_date d);

/* Formatting, all in the business zone.  buf should hold at least 40 bytes. */
void date_format_iso(struct appt_date d, char *buf, size_t size); /* 2027-03-02 */
void when_format_iso(time_t t, char *buf, size_t size);  /* 2027-03-02T10:30:00-07:00 */
void when_format_local(time_t t, char *buf, size_t size); /* 2027-03-02 10:30 */
void when_format_clock(time_t t, char *buf, size_t size); /* 10:30 */
/* strftime with the business zone; an empty result for a bad format. */
void when_strftime(time_t t, const char *fmt, char *buf, size_t size);
/* UTC offset of the zone at t, in seconds east of UTC. */
long when_utc_offset(time_t t);

/*
 * Many instants in ISO 8601, fast (an export's every time cell): localtime
 * and printf for each would cost more than SQLite's own work.  A zone's
 * offset only changes at its transitions, so it is kept per quarter hour
 * (checked at both ends of the quarter, which catches a transition inside
 * it), and the date per day.  when_format_iso is the same with nothing kept.
 */
struct when_iso_clock {
	long long quarter; /* LLONG_MIN: no offset kept */
	long offset;
	char zone[8];      /* "-07:00" */
	long long day;     /* local day number of date; LLONG_MIN: none */
	char date[24];     /* "2027-03-02" */
	size_t date_len;
};

#define WHEN_ISO_MAX 40 /* bytes an instant takes, with its NUL */

void when_iso_clock_init(struct when_iso_clock *c);
/* t into out (WHEN_ISO_MAX bytes), NUL-terminated; returns its length. */
size_t when_iso_clock_format(struct when_iso_clock *c, time_t t, char *out);

#endif
