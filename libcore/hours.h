/*
 * hours: the syntax of opening hours and sending windows in the YAML file,
 * as yamlmap field types.
 *
 * A week is a map of days to intervals: "mon-fri: 09:00-12:30,13:30-17:00",
 * "sun: closed".  A day key is mon..sun or a range, which may wrap past
 * Sunday ("sat-mon"); a day named twice is a problem, since one of the two
 * would silently lose.  A window is such a map (the days it does not name
 * send nothing), one set of intervals for every day ("08:00-20:00"), or
 * "always" (also "none": no window).
 */
#ifndef APPT_HOURS_H
#define APPT_HOURS_H

#include <stddef.h>

#include "util.h"
#include "yamlmap.h"

/* Minutes since local midnight, from < to, to <= 1440. */
struct cfg_interval {
	int from;
	int to;
};

struct cfg_day_hours {
	struct cfg_interval *intervals; /* sorted, not overlapping; none = closed */
	size_t nr;
	int set;                        /* the YAML named this day */
};

/* Indexed by weekday, 0 = Sunday (as struct tm). */
struct cfg_week_hours {
	struct cfg_day_hours day[7];
};

/*
 * When messages may go out (delivery.send_window, a channel's own
 * send_window): the same day-by-day intervals as opening hours.  A day with
 * no interval sends nothing; always means no window at all.
 */
struct cfg_window {
	int set;      /* the YAML gave one (a channel's; delivery's is always set) */
	int always;   /* "always" or "none": no window */
	struct cfg_week_hours week;
	struct cfg_pos pos;
};

/* A struct cfg_week_hours field, from a day map; only the days named are set. */
extern const struct yamlmap_type hours_week_type;
/* A struct cfg_window field; a value that is not valid leaves it unset. */
extern const struct yamlmap_type hours_window_type;

/*
 * Sets every day of week to the intervals of spec ("08:00-20:00"): a
 * window's default.  -1 with the reason in msg when spec is not valid (msg
 * may be NULL only for a spec known to be valid).
 */
int hours_every_day(const char *spec, struct cfg_week_hours *week, struct strbuf *msg);

/*
 * A day or a range of days of len bytes: "mon", "monday" or "mon-fri" (a
 * range may wrap past Sunday: "sat-mon"), as weekdays 0 = Sunday; -1 when
 * it names none.
 */
int hours_parse_days(const char *key, size_t len, int *first, int *last);
/*
 * "closed" or "HH:MM-HH:MM[,HH:MM-HH:MM...]" into out, sorted: -1 with a
 * message in msg when malformed, empty-ended or overlapping.  The caller
 * frees out->intervals.
 */
int hours_parse_day(const char *s, struct cfg_day_hours *out, struct strbuf *msg);

/* Whether a window opens at all: always, or on some day of the week. */
int hours_window_opens(const struct cfg_window *w);

#endif
