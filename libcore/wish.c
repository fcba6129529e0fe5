#include "wish.h"

#include <string.h>
#include <stdlib.h>

#include "hours.h"

/* Monday first: the order a week is read in, and the order they are stored in. */
static const char *const day_names[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

/* One "mon" or "mon-fri" (hours.h's days, 0 = Sunday) into mask, bit 0 Monday. */
static int add_days(const char *s, size_t len, unsigned *mask)
{
	int first, last;

	if (hours_parse_days(s, len, &first, &last))
		return -1;
	for (int d = first;; d = (d + 1) % 7) {
		*mask |= 1u << ((d + 6) % 7);
		if (d == last)
			return 0;
	}
}

/* "mon,tue", "mon-fri" or both mixed. */
int wish_parse_days(const char *spec, unsigned *mask)
{
	*mask = 0;
	for (const char *p = spec;; p++) {
		size_t len = strcspn(p, ",");

		if (add_days(p, len, mask))
			return -1;
		p += len;
		if (!*p)
			return 0;
	}
}

void wish_format_days(unsigned mask, struct strbuf *out)
{
	for (int d = 0; d < 7; d++)
		if (mask & (1u << d))
			strbuf_addf(out, "%s%s", out->len ? "," : "", day_names[d]);
}

/* Whether a weekday (0 = Sunday, as when_to_local gives it) is in mask. */
int wish_day(unsigned mask, int wday)
{
	return !mask || ((mask >> ((wday + 6) % 7)) & 1);
}

/* hours.h's parser, as opening hours are written: sorted, none overlapping. */
int wish_parse_times(const char *spec, struct wish_times *t)
{
	struct cfg_day_hours day = { NULL, 0, 0 };
	struct strbuf why = STRBUF_INIT;
	int bad = !strcmp(spec, "closed") || hours_parse_day(spec, &day, &why) ||
		  day.nr > WISH_MAX_SPANS;

	t->nr = 0;
	for (size_t i = 0; !bad && i < day.nr; i++, t->nr++)
		t->span[i] = (struct wish_span){ day.intervals[i].from, day.intervals[i].to };
	free(day.intervals);
	strbuf_release(&why);
	return bad ? -1 : 0;
}

void wish_format_times(const struct wish_times *t, struct strbuf *out)
{
	for (size_t i = 0; i < t->nr; i++)
		strbuf_addf(out, "%s%02d:%02d-%02d:%02d", i ? "," : "",
			    t->span[i].from / 60, t->span[i].from % 60,
			    t->span[i].to / 60, t->span[i].to % 60);
}

/* The whole visit, start minute to end, inside one of the spans. */
int wish_time(const struct wish_times *t, int minute, long duration)
{
	long end = minute + (duration + 59) / 60;

	for (size_t i = 0; i < t->nr; i++)
		if (minute >= t->span[i].from && end <= t->span[i].to)
			return 1;
	return 0;
}
