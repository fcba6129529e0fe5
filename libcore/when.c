/*
 * when: the clock, the business time zone, civil dates, and the time and
 * duration syntax.  See when.h for the contract.
 *
 * Calendar arithmetic is done on day numbers (days since 1970-01-01 in the
 * proleptic Gregorian calendar) so that it never depends on the zone; only the
 * conversions between wall time and instants go through the C library.
 */
#include "when.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define SECS_PER_DAY 86400L

static char zone_name[256];
static int zone_installed, zone_ready;

static const char *nonnull(const char *s)
{
	return s ? s : "";
}

/* ---- day numbers ---------------------------------------------------- */

/* H. Hinnant's days_from_civil: exact for every proleptic Gregorian date. */
static long long days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static struct appt_date civil_from_days(long long z)
{
	struct appt_date d;
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.year = (int)(yoe + era * 400 + (d.month <= 2));
	return d;
}

static long long date_days(struct appt_date d)
{
	return days_from_civil(d.year, d.month, d.day);
}

static int leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_valid(struct appt_date d)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30,
				       31, 31, 30, 31, 30, 31 };

	if (d.year < 1 || d.year > 9999 || d.month < 1 || d.month > 12 ||
	    d.day < 1)
		return 0;
	return d.day <= mdays[d.month - 1] + (d.month == 2 && leap_year(d.year));
}

struct appt_date date_add_days(struct appt_date d, int days)
{
	return civil_from_days(date_days(d) + days);
}

int date_wday(struct appt_date d)
{
	/* Day 0, 1970-01-01, was a Thursday. */
	return (int)(((date_days(d) + 4) % 7 + 7) % 7);
}

int date_cmp(struct appt_date a, struct appt_date b)
{
	long long x = date_days(a), y = date_days(b);

	return (x > y) - (x < y);
}

long date_diff_days(struct appt_date later, struct appt_date earlier)
{
	return (long)(date_days(later) - date_days(earlier));
}

/* ---- the business zone ---------------------------------------------- */

/* glibc falls back to /etc/localtime when TZ is unset; the contract is UTC. */
static void zone_init(void)
{
	const char *tz;

	if (zone_ready)
		return;
	zone_ready = 1;
	tz = getenv("TZ");
	if (!tz)
		setenv("TZ", "UTC", 1);
	tzset();
}

static int zone_file_exists(const char *name)
{
	const char *dir = getenv("TZDIR");
	struct stat st;
	char *path;
	int ok;

	/* glibc reads TZDIR too, so checking elsewhere could pass a zone it
	 * will not find. */
	path = xasprintf("%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo",
			 name);
	ok = stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	     access(path, R_OK) == 0;
	free(path);
	return ok;
}

static int zone_name_ok(const char *name)
{
	if (!*name || *name == '/' || strstr(name, "..") ||
	    strlen(name) >= sizeof(zone_name))
		return 0;
	/* glibc knows UTC without tzdata; do not make it a config error. */
	return !strcmp(name, "UTC") || zone_file_exists(name);
}

enum appt_status when_set_zone(const char *name, struct appt_err *err)
{
	name = nonnull(name);
	if (!zone_name_ok(name))
		return appt_fail(err, APPT_CONFIG, "unknown time zone '%s'",
				 name);
	if (setenv("TZ", name, 1))
		return appt_fail(err, APPT_CONFIG,
				 "cannot install time zone '%s'", name);
	tzset();
	snprintf(zone_name, sizeof(zone_name), "%s", name);
	zone_installed = zone_ready = 1;
	return APPT_OK;
}

const char *when_zone(void)
{
	const char *tz;

	if (zone_installed)
		return zone_name;
	tz = getenv("TZ");
	if (tz && *tz == ':')
		tz++;
	return tz && *tz ? tz : "UTC";
}

/* ---- instants and wall time ----------------------------------------- */

static void local_tm(time_t t, struct tm *tm)
{
	static const struct tm epoch = { .tm_year = 70, .tm_mday = 1,
					 .tm_wday = 4 };

	zone_init();
	if (!localtime_r(&t, tm))
		*tm = epoch;
}

static long long tm_wall_seconds(const struct tm *tm)
{
	return days_from_civil(tm->tm_year + 1900LL, tm->tm_mon + 1,
			       tm->tm_mday) * SECS_PER_DAY +
	       tm->tm_hour * 3600L + tm->tm_min * 60L + tm->tm_sec;
}

long when_utc_offset(time_t t)
{
	struct tm tm;

	local_tm(t, &tm);
	return (long)(tm_wall_seconds(&tm) - (long long)t);
}

void when_to_local(time_t t, struct appt_date *date, int *minute, int *wday)
{
	struct tm tm;

	local_tm(t, &tm);
	if (date) {
		date->year = tm.tm_year + 1900;
		date->month = tm.tm_mon + 1;
		date->day = tm.tm_mday;
	}
	if (minute)
		*minute = tm.tm_hour * 60 + tm.tm_min;
	if (wday)
		*wday = tm.tm_wday;
}

/* mktime normalizes a wall time that does not exist, so only a round trip
 * tells whether t really shows this wall time. */
static int shows_wall(time_t t, struct appt_date d, int minute)
{
	struct tm tm;

	zone_init();
	return localtime_r(&t, &tm) && tm.tm_year + 1900 == d.year &&
	       tm.tm_mon + 1 == d.month && tm.tm_mday == d.day &&
	       tm.tm_hour * 60 + tm.tm_min == minute && tm.tm_sec == 0;
}

static time_t mktime_hint(struct appt_date d, int minute, int isdst)
{
	struct tm tm = { 0 };

	zone_init();
	tm.tm_year = d.year - 1900;
	tm.tm_mon = d.month - 1;
	tm.tm_mday = d.day;
	tm.tm_hour = minute / 60;
	tm.tm_min = minute % 60;
	tm.tm_isdst = isdst;
	return mktime(&tm);
}

/* The earliest instant showing this wall time; 0 when none does (a gap). */
static int earliest_instant(struct appt_date d, int minute, time_t *out)
{
	long long wall = date_days(d) * SECS_PER_DAY + minute * 60L;
	time_t cand[4];
	int found = 0;

	cand[0] = mktime_hint(d, minute, 0);
	cand[1] = mktime_hint(d, minute, 1);
	/* The isdst hint cannot separate two standard-time offsets (a zone
	 * that moved its clocks back for good), so also try the offsets in
	 * force a day either side. */
	cand[2] = (time_t)(wall - when_utc_offset(cand[0] - SECS_PER_DAY));
	cand[3] = (time_t)(wall - when_utc_offset(cand[0] + SECS_PER_DAY));
	for (int i = 0; i < 4; i++) {
		if (!shows_wall(cand[i], d, minute))
			continue;
		if (!found || cand[i] < *out)
			*out = cand[i];
		found = 1;
	}
	return found;
}

enum appt_status when_local_to_utc(struct appt_date date, int minute,
				   time_t *out, struct appt_err *err)
{
	if (!date_valid(date) || minute < 0 || minute > 1440)
		return appt_fail(err, APPT_DATAERR,
				 "invalid local time %04d-%02d-%02d minute %d",
				 date.year, date.month, date.day, minute);
	if (minute == 1440) {
		date = date_add_days(date, 1);
		minute = 0;
	}
	if (earliest_instant(date, minute, out))
		return APPT_OK;
	return appt_fail(err, APPT_DATAERR,
			 "%04d-%02d-%02d %02d:%02d does not exist in %s "
			 "(daylight saving gap)",
			 date.year, date.month, date.day, minute / 60,
			 minute % 60, when_zone());
}

time_t when_day_start(struct appt_date date)
{
	time_t t;

	/* Where clocks spring forward at midnight the day begins at the end
	 * of the gap, the first minute that exists; a day skipped entirely
	 * (Pacific/Apia, 2011-12-30) begins where the next one does. */
	for (int day = 0; day < 2; day++, date = date_add_days(date, 1))
		for (int m = 0; m < 1440; m++)
			if (earliest_instant(date, m, &t))
				return t;
	return (time_t)(date_days(date) * SECS_PER_DAY);
}

/* ---- scanning ------------------------------------------------------- */

/* Exactly n ASCII digits (isdigit would follow the locale) in [lo, hi]. */
static int scan_num(const char **p, int n, int lo, int hi, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return 0;
		v = v * 10 + (c - '0');
	}
	if (v < lo || v > hi)
		return 0;
	*p += n;
	*out = v;
	return 1;
}

static int scan_char(const char **p, char c)
{
	if (**p != c)
		return 0;
	(*p)++;
	return 1;
}

static int scan_date(const char **p, struct appt_date *d)
{
	return scan_num(p, 4, 1, 9999, &d->year) && scan_char(p, '-') &&
	       scan_num(p, 2, 1, 12, &d->month) && scan_char(p, '-') &&
	       scan_num(p, 2, 1, 31, &d->day) && date_valid(*d);
}

/*
 * HH:MM or H:MM as minutes, 0..1440 (24:00 only exactly); -1 when
 * malformed.  The desk types "9:00" as it says it.
 */
static int scan_clock(const char **p)
{
	int h, m;

	if (!scan_num(p, 2, 0, 24, &h) && !scan_num(p, 1, 0, 9, &h))
		return -1;
	if (!scan_char(p, ':') || !scan_num(p, 2, 0, 59, &m) || (h == 24 && m))
		return -1;
	return h * 60 + m;
}

int when_parse_clock(const char *s)
{
	const char *p = nonnull(s);
	int minute = scan_clock(&p);

	return minute >= 0 && !*p ? minute : -1;
}

int date_parse_iso(const char *s, struct appt_date *out)
{
	const char *p = nonnull(s);
	struct appt_date d;

	if (!scan_date(&p, &d) || *p)
		return -1;
	*out = d;
	return 0;
}

/* ---- time arguments ------------------------------------------------- */

struct wall_time {
	struct appt_date date;
	int minute, second;
	int has_offset;
	long offset; /* seconds east of UTC */
};

static int scan_offset(const char **p, struct wall_time *w)
{
	int sign, h, m;

	if (scan_char(p, 'Z') || scan_char(p, 'z')) {
		w->has_offset = 1;
		return 1;
	}
	if (**p != '+' && **p != '-')
		return 1;
	sign = *(*p)++ == '-' ? -1 : 1;
	if (!scan_num(p, 2, 0, 23, &h) || !scan_char(p, ':') ||
	    !scan_num(p, 2, 0, 59, &m))
		return 0;
	w->has_offset = 1;
	w->offset = sign * (h * 3600L + m * 60L);
	return 1;
}

static int parse_iso_time(const char *s, struct wall_time *w)
{
	const char *p = s;

	memset(w, 0, sizeof(*w));
	if (!scan_date(&p, &w->date))
		return 0;
	if (!scan_char(&p, ' ') && !scan_char(&p, 'T') && !scan_char(&p, 't'))
		return 0;
	w->minute = scan_clock(&p);
	if (w->minute < 0 || w->minute >= 1440)
		return 0;
	if (scan_char(&p, ':') && !scan_num(&p, 2, 0, 59, &w->second))
		return 0;
	return scan_offset(&p, w) && !*p;
}

static const char *const day_names[7] = {
	"sunday", "monday", "tuesday", "wednesday",
	"thursday", "friday", "saturday",
};

static int weekday_word(const char *s, size_t len)
{
	for (int i = 0; i < 7; i++)
		if ((len == 3 || len == strlen(day_names[i])) &&
		    !strncasecmp(s, day_names[i], len))
			return i;
	return -1;
}

/*
 * The date a day word of len bytes names, seen from the date today: a
 * weekday is its next date, today's own included.  *weekday says whether
 * it was one, since a weekday's time that has passed means next week.
 */
static int day_word(const char *s, size_t len, struct appt_date today,
		    struct appt_date *out, int *weekday)
{
	int wday, ahead;

	*weekday = 0;
	if (len == 5 && !strncasecmp(s, "today", 5))
		ahead = 0;
	else if (len == 8 && !strncasecmp(s, "tomorrow", 8))
		ahead = 1;
	else if ((wday = weekday_word(s, len)) >= 0) {
		ahead = (wday - date_wday(today) + 7) % 7;
		*weekday = 1;
	} else {
		return 0;
	}
	*out = date_add_days(today, ahead);
	return 1;
}

/*
 * "mon 15:00" on a Monday is today while 15:00 is still ahead (its minute
 * not yet over), else next Monday: what the desk means by it either way.
 * A time that does not exist today is left for wall_instant to refuse.
 */
static void skip_past_weekday(struct wall_time *w, time_t now)
{
	struct appt_err ignored;
	time_t t;

	if (when_local_to_utc(w->date, w->minute, &t, &ignored) == APPT_OK &&
	    t + 60 <= now)
		w->date = date_add_days(w->date, 7);
}

static int parse_day_word_time(const char *s, time_t now, struct wall_time *w)
{
	const char *space = strchr(s, ' '), *p;
	struct appt_date today;
	int weekday;

	if (!space)
		return 0;
	memset(w, 0, sizeof(*w));
	when_to_local(now, &today, NULL, NULL);
	if (!day_word(s, (size_t)(space - s), today, &w->date, &weekday))
		return 0;
	p = space + 1;
	w->minute = scan_clock(&p);
	if (w->minute < 0 || w->minute >= 1440 || *p)
		return 0;
	if (weekday)
		skip_past_weekday(w, now);
	return 1;
}

static enum appt_status wall_instant(const struct wall_time *w, time_t *out,
				     struct appt_err *err)
{
	enum appt_status st;

	if (w->has_offset) {
		*out = (time_t)(date_days(w->date) * SECS_PER_DAY +
				w->minute * 60L + w->second - w->offset);
		return APPT_OK;
	}
	st = when_local_to_utc(w->date, w->minute, out, err);
	if (st == APPT_OK)
		*out += w->second;
	return st;
}

enum appt_status when_parse_time(const char *s, time_t now, time_t *out,
				 struct appt_err *err)
{
	struct wall_time w;

	s = nonnull(s);
	/* The current minute: a walk-in booked "--at now" starts on the minute. */
	if (!strcasecmp(s, "now")) {
		*out = now - (now % 60 + 60) % 60;
		return APPT_OK;
	}
	if (parse_day_word_time(s, now, &w) || parse_iso_time(s, &w))
		return wall_instant(&w, out, err);
	return appt_fail(err, APPT_DATAERR,
			 "invalid time '%s' (expected YYYY-MM-DD HH:MM, "
			 "a day word and HH:MM, or now)", s);
}

enum appt_status when_parse_date(const char *s, time_t now,
				 struct appt_date *out, struct appt_err *err)
{
	struct appt_date today;
	int weekday; /* a date has no time to be past: "mon" on a Monday is today */

	s = nonnull(s);
	if (date_parse_iso(s, out) == 0)
		return APPT_OK;
	when_to_local(now, &today, NULL, NULL);
	if (day_word(s, strlen(s), today, out, &weekday))
		return APPT_OK;
	return appt_fail(err, APPT_DATAERR,
			 "invalid date '%s' (expected YYYY-MM-DD, today, "
			 "tomorrow or a day word)", s);
}

enum appt_status when_now(time_t *now, struct appt_err *err)
{
	const char *v = getenv("APPT_NOW");
	struct wall_time w;
	struct appt_err why;

	if (!v || !*v) {
		*now = time(NULL);
		return APPT_OK;
	}
	if (!parse_iso_time(v, &w))
		return appt_fail(err, APPT_DATAERR,
				 "invalid APPT_NOW '%s' (expected "
				 "YYYY-MM-DDTHH:MM[:SS], optionally with Z or "
				 "+HH:MM)", v);
	if (wall_instant(&w, now, &why) != APPT_OK)
		return appt_fail(err, APPT_DATAERR, "invalid APPT_NOW '%s': %s",
				 v, why.msg);
	return APPT_OK;
}

/* ---- durations ------------------------------------------------------ */

static const struct {
	char unit;
	long seconds;
} duration_units[] = {
	{ 'w', 7 * SECS_PER_DAY }, { 'd', SECS_PER_DAY }, { 'h', 3600 },
	{ 'm', 60 },               { 's', 1 },
};

#define NUNITS (sizeof(duration_units) / sizeof(duration_units[0]))

static int unit_index(char c)
{
	for (size_t i = 0; i < NUNITS; i++)
		if (duration_units[i].unit == c)
			return (int)i;
	return -1;
}

/*
 * Counts too large for a long saturate at LONG_MAX, as totals do below:
 * "99999999999999999999s" is a duration, and too long, rather than
 * malformed, and nothing ever wraps round.
 */
static int scan_count(const char **p, long *n)
{
	const char *start = *p;

	*n = 0;
	for (; **p >= '0' && **p <= '9'; (*p)++) {
		int digit = **p - '0';

		*n = *n > (LONG_MAX - digit) / 10 ? LONG_MAX : *n * 10 + digit;
	}
	return *p > start;
}

/* Units must come largest first, once each, so "30m1h" is taken for the
 * typo it most likely is. */
static int parse_duration(const char *s, long *total)
{
	int last = -1, u;
	long n;

	*total = 0;
	if (!strcmp(s, "0"))
		return 1;
	while (*s) {
		if (!scan_count(&s, &n) || (u = unit_index(*s)) <= last)
			return 0;
		s++;
		last = u;
		if (n > (LONG_MAX - *total) / duration_units[u].seconds)
			*total = LONG_MAX;
		else
			*total += n * duration_units[u].seconds;
	}
	return last >= 0;
}

enum appt_status when_parse_duration(const char *s, long *seconds,
				     struct appt_err *err)
{
	return when_parse_duration_range(s, 0, WHEN_DURATION_MAX, seconds, err);
}

void when_format_range(long min, long max, char *buf, size_t size)
{
	char lo[32], hi[32];

	when_format_duration(min, lo, sizeof(lo));
	when_format_duration(max, hi, sizeof(hi));
	snprintf(buf, size, "%s to %s", min ? lo : "0", hi);
}

enum appt_status when_parse_duration_range(const char *s, long min, long max,
					   long *seconds, struct appt_err *err)
{
	char range[80];
	long total;

	s = nonnull(s);
	if (!parse_duration(s, &total))
		return appt_fail(err, APPT_DATAERR,
				 "invalid duration '%s' (expected e.g. 45m, "
				 "1h30m, 7d or 2w)", s);
	if (total < min || total > max) {
		when_format_range(min, max, range, sizeof(range));
		return appt_fail(err, APPT_DATAERR, "duration '%s' is out of range (%s)",
				 s, range);
	}
	*seconds = total;
	return APPT_OK;
}

void when_format_duration(long seconds, char *buf, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned long v = seconds < 0 ? 0UL - (unsigned long)seconds
				      : (unsigned long)seconds;

	if (seconds < 0)
		strbuf_addch(&sb, '-');
	if (v >= (unsigned long)SECS_PER_DAY)
		strbuf_addf(&sb, "%lud", v / SECS_PER_DAY);
	if (v / 3600 % 24)
		strbuf_addf(&sb, "%luh", v / 3600 % 24);
	if (v / 60 % 60 || v == 0)
		strbuf_addf(&sb, "%lum", v / 60 % 60);
	if (v % 60)
		strbuf_addf(&sb, "%lus", v % 60);
	if (size)
		snprintf(buf, size, "%s", strbuf_str(&sb));
	strbuf_release(&sb);
}

/* ---- formatting ----------------------------------------------------- */

/*
 * Reports and exports format an instant or two per row, hundreds of
 * thousands of rows: digits are written by hand rather than by snprintf,
 * and the zone is looked up once per instant.
 */
static char *put_digits(char *p, long v, int width)
{
	for (int i = width - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + width;
}

/* Years after 9999 get their fifth digit rather than losing their first. */
static char *put_date(char *p, int year, int month, int day)
{
	int width = 4;

	if (year < 0) /* only from a hand-edited time: as snprintf would */
		return p + sprintf(p, "%04d-%02d-%02d", year, month, day);
	for (long y = year; y > 9999; y /= 10)
		width++;
	p = put_digits(p, year, width);
	*p++ = '-';
	p = put_digits(p, month, 2);
	*p++ = '-';
	return put_digits(p, day, 2);
}

static char *put_clock(char *p, int hour, int minute)
{
	p = put_digits(p, hour, 2);
	*p++ = ':';
	return put_digits(p, minute, 2);
}

/* Copies what was written into buf, cut to size like snprintf. */
static void finish_text(char *buf, size_t size, const char *text, const char *end)
{
	size_t len = (size_t)(end - text);

	if (!size)
		return;
	if (len > size - 1)
		len = size - 1;
	memcpy(buf, text, len);
	buf[len] = '\0';
}

void date_format_iso(struct appt_date d, char *buf, size_t size)
{
	char text[24];

	if (d.year < 0) {
		snprintf(buf, size, "%04d-%02d-%02d", d.year, d.month, d.day);
		return;
	}
	finish_text(buf, size, text, put_date(text, d.year, d.month, d.day));
}

/* ---- many instants in ISO 8601 ---- */

#define QUARTER 900

static long long floor_div(long long a, long long b)
{
	return a / b - (a % b < 0);
}

void when_iso_clock_init(struct when_iso_clock *c)
{
	memset(c, 0, sizeof(*c));
	c->quarter = c->day = LLONG_MIN;
}

static void clock_offset(struct when_iso_clock *c, long long t)
{
	long long quarter = floor_div(t, QUARTER);
	long first, last, mins;
	char *p = c->zone;

	if (quarter == c->quarter)
		return;
	first = when_utc_offset((time_t)(quarter * QUARTER));
	last = when_utc_offset((time_t)(quarter * QUARTER + QUARTER - 1));
	c->offset = first == last ? first : when_utc_offset((time_t)t);
	c->quarter = first == last ? quarter : LLONG_MIN;
	mins = (c->offset < 0 ? -c->offset : c->offset) / 60;
	*p++ = c->offset < 0 ? '-' : '+';
	*put_clock(p, (int)(mins / 60 % 100), (int)(mins % 60)) = '\0';
}

static void clock_date(struct when_iso_clock *c, long long day)
{
	time_t midnight = (time_t)(day * SECS_PER_DAY);
	struct tm tm;

	if (day == c->day)
		return;
	gmtime_r(&midnight, &tm);
	c->date_len = (size_t)(put_date(c->date, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) -
			       c->date);
	c->day = day;
}

size_t when_iso_clock_format(struct when_iso_clock *c, time_t t, char *out)
{
	long long wall, day;
	int secs;
	char *p = out;

	clock_offset(c, (long long)t);
	wall = (long long)t + c->offset;
	day = floor_div(wall, SECS_PER_DAY);
	secs = (int)(wall - day * SECS_PER_DAY);
	clock_date(c, day);
	memcpy(p, c->date, c->date_len);
	p += c->date_len;
	*p++ = 'T';
	p = put_clock(p, secs / 3600, secs / 60 % 60);
	*p++ = ':';
	p = put_digits(p, secs % 60, 2);
	memcpy(p, c->zone, 7);
	return (size_t)(p + 6 - out);
}

void when_format_iso(time_t t, char *buf, size_t size)
{
	struct when_iso_clock c;
	char text[WHEN_ISO_MAX];

	when_iso_clock_init(&c);
	finish_text(buf, size, text, text + when_iso_clock_format(&c, t, text));
}

void when_format_local(time_t t, char *buf, size_t size)
{
	struct tm tm;
	char text[32], *p;

	local_tm(t, &tm);
	p = put_date(text, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	*p++ = ' ';
	finish_text(buf, size, text, put_clock(p, tm.tm_hour, tm.tm_min));
}

void when_format_clock(time_t t, char *buf, size_t size)
{
	struct tm tm;
	char text[8];

	local_tm(t, &tm);
	finish_text(buf, size, text, put_clock(text, tm.tm_hour, tm.tm_min));
}

void when_strftime(time_t t, const char *fmt, char *buf, size_t size)
{
	struct tm tm;

	if (!size)
		return;
	local_tm(t, &tm);
	/* The format comes from configuration by design. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (!strftime(buf, size, nonnull(fmt), &tm))
		buf[0] = '\0';
#pragma GCC diagnostic pop
}
