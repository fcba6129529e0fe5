/*
 * hours: day keys, "HH:MM-HH:MM" intervals and the week and window fields
 * made of them.  A day's intervals are kept sorted and checked not to
 * overlap, so that what reads them can walk them in order.
 */
#include "hours.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "when.h"

static const char *const day_names[7] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };
static const char *const day_full_names[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
};

/* "mon" or "monday", in any case, spaces around it allowed. */
static int day_index(const char *s, size_t len)
{
	while (len && *s == ' ')
		s++, len--;
	while (len && s[len - 1] == ' ')
		len--;
	for (int d = 0; d < 7; d++)
		if ((len == 3 && !strncasecmp(s, day_names[d], 3)) ||
		    (len == strlen(day_full_names[d]) && !strncasecmp(s, day_full_names[d], len)))
			return d;
	return -1;
}

int hours_parse_days(const char *key, size_t len, int *first, int *last)
{
	const char *dash = memchr(key, '-', len);

	if (!dash) {
		*first = *last = day_index(key, len);
		return *first < 0 ? -1 : 0;
	}
	*first = day_index(key, (size_t)(dash - key));
	*last = day_index(dash + 1, len - (size_t)(dash + 1 - key));
	return *first < 0 || *last < 0 ? -1 : 0;
}

static void format_clock(int minute, char *buf, size_t size)
{
	/* minute is 0..1440, so two digits each always fit */
	snprintf(buf, size, "%02d:%02d", (minute / 60) % 100, minute % 60);
}

/* One "HH:MM-HH:MM", spaces around it allowed. */
static int parse_interval(const char *s, size_t len, struct cfg_interval *iv)
{
	char buf[32], *dash, *from, *to, *end;

	while (len && *s == ' ')
		s++, len--;
	while (len && s[len - 1] == ' ')
		len--;
	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!(dash = strchr(buf, '-')))
		return -1;
	*dash = '\0';
	from = buf;
	to = dash + 1;
	for (end = dash; end > from && end[-1] == ' '; end--)
		end[-1] = '\0';
	while (*to == ' ')
		to++;
	iv->from = when_parse_clock(from);
	iv->to = when_parse_clock(to);
	return iv->from < 0 || iv->to < 0 ? -1 : 0;
}

static void sort_intervals(struct cfg_interval *iv, size_t nr)
{
	for (size_t i = 1; i < nr; i++) {
		struct cfg_interval x = iv[i];
		size_t j = i;

		for (; j > 0 && iv[j - 1].from > x.from; j--)
			iv[j] = iv[j - 1];
		iv[j] = x;
	}
}

/* The day's intervals in order; a message in msg when they make no sense. */
static int check_intervals(const struct cfg_interval *iv, size_t nr, struct strbuf *msg)
{
	char a[8], b[8], c[8], d[8];

	for (size_t i = 0; i < nr; i++) {
		format_clock(iv[i].from, a, sizeof(a));
		format_clock(iv[i].to, b, sizeof(b));
		if (iv[i].from >= iv[i].to) {
			strbuf_addf(msg, "%s-%s does not end after it starts", a, b);
			return -1;
		}
		if (i && iv[i].from < iv[i - 1].to) {
			format_clock(iv[i - 1].from, c, sizeof(c));
			format_clock(iv[i - 1].to, d, sizeof(d));
			strbuf_addf(msg, "%s-%s overlaps %s-%s", c, d, a, b);
			return -1;
		}
	}
	return 0;
}

int hours_parse_day(const char *s, struct cfg_day_hours *out, struct strbuf *msg)
{
	size_t alloc = 0;

	out->intervals = NULL;
	out->nr = 0;
	if (!strcmp(s, "closed"))
		return 0;
	for (const char *p = s;; p++) {
		size_t len = strcspn(p, ",");

		ALLOC_GROW(out->intervals, out->nr + 1, alloc);
		if (parse_interval(p, len, &out->intervals[out->nr])) {
			strbuf_addf(msg, "invalid hours '%s' (write \"09:00-12:30,13:30-17:00\""
				    " or closed)", s);
			return -1;
		}
		out->nr++;
		p += len;
		if (!*p)
			break;
	}
	sort_intervals(out->intervals, out->nr);
	return check_intervals(out->intervals, out->nr, msg);
}

static void set_day(struct cfg_week_hours *week, int d, const struct cfg_day_hours *h)
{
	struct cfg_day_hours *day = &week->day[d];

	day->nr = h->nr;
	day->set = 1;
	day->intervals = h->nr ? xreallocarray(NULL, h->nr, sizeof(*h->intervals)) : NULL;
	if (h->nr)
		memcpy(day->intervals, h->intervals, h->nr * sizeof(*h->intervals));
}

/* One "mon-fri: 09:00-17:00" pair; first_line remembers where each day was given. */
static void load_day_pair(struct yamlmap *ym, yaml_node_t *key, yaml_node_t *value,
			  struct cfg_week_hours *week, int *first_line, const char *what)
{
	struct cfg_day_hours h = { NULL, 0, 0 };
	struct strbuf msg = STRBUF_INIT;
	const char *v;
	int first, last;

	if (hours_parse_days(yamlmap_text(key), strlen(yamlmap_text(key)), &first, &last)) {
		yamlmap_problem(ym, key,
				"%s: unknown day '%s' (use mon..sun or a range such as mon-fri)",
				what, yamlmap_text(key));
		return;
	}
	if (!(v = yamlmap_scalar(ym, value, what)))
		return;
	if (hours_parse_day(v, &h, &msg)) {
		yamlmap_problem(ym, value, "%s: %s", what, msg.buf);
	} else {
		for (int d = first;; d = (d + 1) % 7) {
			if (first_line[d]) {
				yamlmap_problem(ym, key, "%s: %s given twice (first at line %d)",
						what, day_names[d], first_line[d]);
			} else {
				set_day(week, d, &h);
				first_line[d] = yamlmap_pos(key).line;
			}
			if (d == last)
				break;
		}
	}
	free(h.intervals);
	strbuf_release(&msg);
}

static void load_week(struct yamlmap *ym, yaml_node_t *value, void *dst, const char *what)
{
	struct cfg_week_hours *week = dst;
	int first_line[7] = { 0 };
	yaml_node_pair_t *p;

	if (!yamlmap_expect(ym, value, YAML_MAPPING_NODE, what))
		return;
	for (p = value->data.mapping.pairs.start; p < value->data.mapping.pairs.top; p++) {
		yaml_node_t *key = yamlmap_node(ym, p->key);

		if (yamlmap_scalar(ym, key, what))
			load_day_pair(ym, key, yamlmap_node(ym, p->value), week, first_line, what);
	}
}

static void free_week(void *dst)
{
	struct cfg_week_hours *week = dst;

	for (int d = 0; d < 7; d++)
		free(week->day[d].intervals);
}

const struct yamlmap_type hours_week_type = { load_week, free_week };

int hours_every_day(const char *spec, struct cfg_week_hours *week, struct strbuf *msg)
{
	struct cfg_day_hours h = { NULL, 0, 0 };

	if (hours_parse_day(spec, &h, msg)) {
		free(h.intervals);
		return -1;
	}
	for (int d = 0; d < 7; d++)
		set_day(week, d, &h);
	free(h.intervals);
	return 0;
}

/*
 * "08:00-20:00" (every day), "always" / "none" (no window), or a day map as
 * hours: takes (the days it does not name send nothing).
 */
static void load_window(struct yamlmap *ym, yaml_node_t *value, void *dst, const char *what)
{
	struct cfg_window *w = dst;
	struct strbuf msg = STRBUF_INIT;
	const char *t;

	free_week(&w->week); /* the default a caller may have set */
	memset(w, 0, sizeof(*w));
	w->set = 1;
	w->pos = yamlmap_pos(value);
	if (value->type == YAML_MAPPING_NODE) {
		load_week(ym, value, &w->week, what);
		return;
	}
	if (!(t = yamlmap_scalar(ym, value, what)))
		return;
	if (!strcmp(t, "always") || !strcmp(t, "none")) {
		w->always = 1;
	} else if (hours_every_day(t, &w->week, &msg)) {
		yamlmap_problem(ym, value, "%s: %s", what, msg.buf);
		w->set = 0; /* one problem is enough */
	}
	strbuf_release(&msg);
}

static void free_window(void *dst)
{
	free_week(&((struct cfg_window *)dst)->week);
}

const struct yamlmap_type hours_window_type = { load_window, free_window };

int hours_window_opens(const struct cfg_window *w)
{
	for (int d = 0; d < 7 && !w->always; d++)
		if (w->week.day[d].nr)
			return 1;
	return w->always;
}
