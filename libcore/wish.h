/*
 * wish: the days and times a client says they can come, as a booking
 * request (request.h) and a waitlist entry (waitlist.h) take them:
 * "mon,tue" or "mon-fri" (a range may wrap: "sat-mon"; full names too),
 * and "09:00-12:00" or several joined by commas, read by the parsers of
 * the configuration's opening hours (hours.h), so that a day or a time
 * means the same wherever it is typed.  Each is stored in one form,
 * Monday first and the times sorted.
 */
#ifndef APPT_WISH_H
#define APPT_WISH_H

#include <stddef.h>

#include "util.h"

/* Times of day in minutes, sorted and apart. */
#define WISH_MAX_SPANS 8

struct wish_span {
	int from;
	int to;
};

struct wish_times {
	struct wish_span span[WISH_MAX_SPANS];
	size_t nr;
};

/* Into a mask, bit 0 Monday; -1 when malformed. */
int wish_parse_days(const char *spec, unsigned *mask);
void wish_format_days(unsigned mask, struct strbuf *out);
/* Whether a weekday (0 = Sunday, as when_to_local gives it) is wanted; mask 0: any. */
int wish_day(unsigned mask, int wday);

/* -1 when malformed, empty, overlapping or more than WISH_MAX_SPANS. */
int wish_parse_times(const char *spec, struct wish_times *t);
void wish_format_times(const struct wish_times *t, struct strbuf *out);
/* Whether a visit from minute for duration seconds lies inside one span. */
int wish_time(const struct wish_times *t, int minute, long duration);

#endif
