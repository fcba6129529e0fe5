#include "window.h"

#include "when.h"

/* A week holds every weekday, so eight days always reach an opening. */
#define WINDOW_SEARCH_DAYS 8

/*
 * The instant of a wall-clock minute.  A minute inside a daylight-saving
 * gap does not exist; the window then opens (or closes) when the clock
 * resumes.
 */
static time_t local_instant(struct appt_date d, int minute)
{
	time_t t;

	for (int m = minute; m <= 1440; m++)
		if (when_local_to_utc(d, m, &t, NULL) == APPT_OK)
			return t;
	return when_day_start(d) + minute * 60L;
}

static const struct cfg_day_hours *day_of(const struct cfg_window *w, struct appt_date d)
{
	return &w->week.day[date_wday(d)];
}

int window_is_open(const struct cfg_window *w, time_t t)
{
	const struct cfg_day_hours *day;
	struct appt_date date;
	int minute, wday;

	if (w->always)
		return 1;
	when_to_local(t, &date, &minute, &wday);
	day = &w->week.day[wday];
	for (size_t i = 0; i < day->nr; i++)
		if (day->intervals[i].from <= minute && minute < day->intervals[i].to)
			return 1;
	return 0;
}

/*
 * The first opening that ends after t, as [*from, *to): the one t is in,
 * or the next.  -1 when the window never opens.
 */
static int opening_after(const struct cfg_window *w, time_t t, time_t *from, time_t *to)
{
	struct appt_date date;

	when_to_local(t, &date, NULL, NULL);
	for (int k = 0; k < WINDOW_SEARCH_DAYS; k++) {
		struct appt_date d = date_add_days(date, k);
		const struct cfg_day_hours *day = day_of(w, d);

		for (size_t i = 0; i < day->nr; i++) {
			*to = local_instant(d, day->intervals[i].to);
			if (*to <= t)
				continue;
			*from = local_instant(d, day->intervals[i].from);
			return 0;
		}
	}
	return -1;
}

time_t window_next_open(const struct cfg_window *w, time_t t)
{
	time_t from, to;

	if (w->always || window_is_open(w, t) || opening_after(w, t, &from, &to))
		return t;
	return from > t ? from : t;
}

int window_last_before(const struct cfg_window *w, time_t t, time_t *from, time_t *to)
{
	struct appt_date date;

	if (w->always)
		return -1;
	when_to_local(t, &date, NULL, NULL);
	for (int k = 0; k < WINDOW_SEARCH_DAYS; k++) {
		struct appt_date d = date_add_days(date, -k);
		const struct cfg_day_hours *day = day_of(w, d);

		for (size_t i = day->nr; i-- > 0;) {
			*to = local_instant(d, day->intervals[i].to);
			if (*to > t)
				continue;
			*from = local_instant(d, day->intervals[i].from);
			return 0;
		}
	}
	return -1;
}

static time_t lead_before(time_t from, time_t to)
{
	return to - WINDOW_CLOSE_LEAD > from ? to - WINDOW_CLOSE_LEAD : from;
}

time_t window_send_before(const struct cfg_window *w, time_t due)
{
	time_t from, to;

	if (window_is_open(w, due) || window_last_before(w, due, &from, &to))
		return due;
	return lead_before(from, to);
}

time_t window_close_of(const struct cfg_window *w, time_t t)
{
	time_t from, to, at;

	if (w->always || opening_after(w, t, &from, &to))
		return t;
	at = lead_before(from, to);
	return at > t ? at : t;
}
