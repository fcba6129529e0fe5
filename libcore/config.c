/*
 * config: the YAML file as a struct appt_config.
 *
 * The loader walks libyaml's node graph guided by a schema made of tables:
 * one struct field row per YAML key, grouped in a struct schema per mapping.
 * Loading, unknown-key and missing-key detection, and freeing are all driven
 * by the same rows, so a key is named exactly once.  Names that point
 * elsewhere (services, templates, channels, resource kinds) are recorded as
 * references while loading and checked only when everything is loaded,
 * because YAML sections may come in any order.
 *
 * Problems are collected with their positions and sorted before they are
 * handed out, so `appt config check` lists them in file order even though
 * cross-reference problems are found after the walk.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <yaml.h>

#include "phone.h"
#include "template.h"


static const char *const default_sendmail[] = { "/usr/sbin/sendmail", "-t", "-i", NULL };

/* ---- the loader and its problems ---------------------------------------- */

struct problem {
	struct cfg_pos pos;
	size_t seq; /* keeps problems at one position in the order found */
	char *msg;
};

enum ref_kind {
	REF_NONE,
	REF_SERVICE,  /* a services: id */
	REF_KIND,     /* a resource kind some resource has */
	REF_TEMPLATE, /* a templates: key */
	REF_CHANNEL,  /* preferred, call or a channels: key */
};

struct ref {
	enum ref_kind kind;
	char *name;
	char *what; /* "'services' in provider 'anna'" */
	struct cfg_pos pos;
};

struct loader {
	const char *path;
	char *dir; /* the file's directory with its trailing '/', or NULL */
	yaml_document_t doc;
	struct appt_config *cfg;
	struct problem *problems;
	size_t nr_problems, alloc_problems;
	struct ref *refs;
	size_t nr_refs, alloc_refs;
};

static struct cfg_pos node_pos(const yaml_node_t *node)
{
	struct cfg_pos pos = { (int)node->start_mark.line + 1,
			       (int)node->start_mark.column + 1 };
	return pos;
}

static void vproblem_at(struct loader *ld, struct cfg_pos pos, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	struct problem *p;

	strbuf_vaddf(&sb, fmt, ap);
	ALLOC_GROW(ld->problems, ld->nr_problems + 1, ld->alloc_problems);
	p = &ld->problems[ld->nr_problems];
	p->pos = pos;
	p->seq = ld->nr_problems++;
	p->msg = strbuf_detach(&sb);
}

static void problem_at(struct loader *ld, struct cfg_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void problem_at(struct loader *ld, struct cfg_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem_at(ld, pos, fmt, ap);
	va_end(ap);
}

static void problem(struct loader *ld, const yaml_node_t *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void problem(struct loader *ld, const yaml_node_t *node, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem_at(ld, node_pos(node), fmt, ap);
	va_end(ap);
}

static void add_ref(struct loader *ld, enum ref_kind kind, const char *name,
		    const char *what, const yaml_node_t *node)
{
	struct ref *r;

	ALLOC_GROW(ld->refs, ld->nr_refs + 1, ld->alloc_refs);
	r = &ld->refs[ld->nr_refs++];
	r->kind = kind;
	r->name = xstrdup(name);
	r->what = xstrdup(what);
	r->pos = node_pos(node);
}

/* ---- small node helpers ------------------------------------------------- */

static yaml_node_t *node_at(struct loader *ld, int index)
{
	return yaml_document_get_node(&ld->doc, index);
}

static const char *text(const yaml_node_t *node)
{
	return (const char *)node->data.scalar.value;
}

/* YAML 1.1's null: an empty or ~/null plain scalar (quoted "" is a string). */
static int is_null(const yaml_node_t *node)
{
	const char *t;

	if (node->type != YAML_SCALAR_NODE || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	t = text(node);
	return !*t || !strcmp(t, "~") || !strcmp(t, "null") || !strcmp(t, "Null") ||
	       !strcmp(t, "NULL");
}

static const char *type_noun(yaml_node_type_t type)
{
	switch (type) {
	case YAML_SCALAR_NODE: return "a string";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "nothing";
	}
}

static int expect(struct loader *ld, const yaml_node_t *node, yaml_node_type_t type,
		  const char *what)
{
	if (node->type == type)
		return 1;
	problem(ld, node, "%s: expected %s, found %s", what, type_noun(type),
		type_noun(node->type));
	return 0;
}

/* The scalar's text, or NULL after reporting that it is not a scalar. */
static const char *scalar(struct loader *ld, const yaml_node_t *node, const char *what)
{
	return expect(ld, node, YAML_SCALAR_NODE, what) ? text(node) : NULL;
}

/* The value under key in a mapping node, or NULL. */
static yaml_node_t *map_get(struct loader *ld, const yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(ld, p->key);

		if (k->type == YAML_SCALAR_NODE && !strcmp(text(k), key))
			return node_at(ld, p->value);
	}
	return NULL;
}

/* Keeps the closest candidate so far, when close enough to be a typo. */
static void closer(const char *name, const char *candidate, const char **best, size_t *best_d)
{
	size_t d = edit_distance(name, candidate);

	if (d < *best_d && d < strlen(name)) {
		*best = candidate;
		*best_d = d;
	}
}

#define SUGGEST_MAX 3 /* edits beyond which a name is not a typo of another */

static int str_eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static void *ptr_at(void *obj, size_t off)
{
	return (char *)obj + off;
}

/* The item of an array whose char * member at off equals key. */
static const void *find_by(const void *items, size_t nr, size_t size, size_t off,
			   const char *key)
{
	for (size_t i = 0; i < nr; i++) {
		const char *item = (const char *)items + i * size;

		if (str_eq(*(char *const *)(item + off), key))
			return item;
	}
	return NULL;
}

/* ---- the schema --------------------------------------------------------- */

enum field_kind {
	F_STR,      /* char * */
	F_PATH,     /* char *, relative to the file's directory */
	F_ZONE,     /* char *, an IANA zone, installed as the business zone */
	F_DURATION, /* long seconds, from .min to .max */
	F_INT,      /* int, at least .min, at most .max when that is not 0 */
	F_MONEY,    /* long long cents */
	F_DATE,     /* struct appt_date */
	F_STRLIST,  /* struct strlist from a list of strings */
	F_HOURS,    /* struct cfg_week_hours from a day map */
	F_WINDOW,   /* struct cfg_window: intervals for every day, a day map, or always */
	F_BOOL,     /* int 0/1 from true/false */
	F_SECTION,  /* a nested mapping into the struct at .off */
	F_LIST,     /* an array at .off, its count at .aux_off, from a list */
	F_MAP,      /* the same from a mapping whose keys name the items */
	F_CUSTOM,   /* .load and .release */
};

#define FL_REQUIRED 1u
#define FL_POS      4u /* F_STR: the value's position goes to .aux_off */
#define FL_NONEMPTY 8u /* F_STR: "" is refused (always so when required) */

struct loader;
struct schema;

typedef void load_fn(struct loader *ld, yaml_node_t *value, void *dst, const char *what);
typedef void release_fn(void *dst);
typedef void item_fn(struct loader *ld, yaml_node_t *node, void *obj, const char *label);

struct field {
	const char *key; /* NULL ends a table */
	enum field_kind kind;
	size_t off;
	size_t aux_off;
	unsigned flags;
	int min;                     /* F_INT, F_DURATION (seconds) */
	long max;                    /* F_INT (0: none), F_DURATION (seconds) */
	enum ref_kind ref;           /* F_STR, F_STRLIST: what the value names */
	const struct schema *schema; /* F_SECTION, F_LIST, F_MAP */
	load_fn *load;               /* F_CUSTOM */
	release_fn *release;         /* F_CUSTOM */
};

struct schema {
	const char *noun;           /* names list and map items: "service 'peel'" */
	const struct field *fields;
	size_t size;                /* of one list or map item */
	const char *id_key;         /* list items: the key that names one */
	size_t key_off;             /* map items: where the key goes */
	size_t pos_off;             /* where the item's position goes */
	unsigned has_key : 1;
	unsigned has_pos : 1;
	void (*init)(void *obj);    /* defaults before loading */
	item_fn *finish;            /* checks and defaults after loading */
	item_fn *from_scalar;       /* an item written as a plain string */
};

#define OFF(T, m) offsetof(struct T, m)
#define K_STR(k, T, m, fl) { .key = k, .kind = F_STR, .off = OFF(T, m), .flags = fl }
#define K_REF(k, T, m, fl, r) \
	{ .key = k, .kind = F_STR, .off = OFF(T, m), .flags = fl, .ref = r }
#define K_TEXT(k, T, m, p, fl) \
	{ .key = k, .kind = F_STR, .off = OFF(T, m), .aux_off = OFF(T, p), .flags = (fl) | FL_POS }
#define K_PATH(k, T, m) { .key = k, .kind = F_PATH, .off = OFF(T, m) }
/*
 * Every duration has a range (appt-config(5) lists them): a value near
 * INT64_MAX once passed, then made slot searches spin and charged fees
 * at once.  The bounds are what a small business could mean.
 */
#define MINUTE 60L
#define DAY (24 * 3600L)
#define YEAR (365 * DAY)
#define K_DUR(k, T, m, fl, lo, hi) \
	{ .key = k, .kind = F_DURATION, .off = OFF(T, m), .flags = fl, .min = lo, .max = hi }
#define K_INT(k, T, m, lo, fl) \
	{ .key = k, .kind = F_INT, .off = OFF(T, m), .min = lo, .flags = fl }
#define K_INT_IN(k, T, m, lo, hi, fl) \
	{ .key = k, .kind = F_INT, .off = OFF(T, m), .min = lo, .max = hi, .flags = fl }
#define K_MONEY(k, T, m) { .key = k, .kind = F_MONEY, .off = OFF(T, m) }
#define K_DATE(k, T, m) { .key = k, .kind = F_DATE, .off = OFF(T, m) }
#define K_STRS(k, T, m, r) { .key = k, .kind = F_STRLIST, .off = OFF(T, m), .ref = r }
#define K_HOURS(k, T, m) { .key = k, .kind = F_HOURS, .off = OFF(T, m) }
#define K_WINDOW(k, T, m) { .key = k, .kind = F_WINDOW, .off = OFF(T, m) }
#define K_BOOL(k, T, m) { .key = k, .kind = F_BOOL, .off = OFF(T, m) }
#define K_SECTION(k, off_, s, fl) \
	{ .key = k, .kind = F_SECTION, .off = off_, .schema = s, .flags = fl }
#define K_LIST(k, T, m, n, s, fl) \
	{ .key = k, .kind = F_LIST, .off = OFF(T, m), .aux_off = OFF(T, n), .schema = s, .flags = fl }
#define K_MAP(k, T, m, n, s) \
	{ .key = k, .kind = F_MAP, .off = OFF(T, m), .aux_off = OFF(T, n), .schema = s }
#define K_CUSTOM(k, off_, fl, ld_, rel) \
	{ .key = k, .kind = F_CUSTOM, .off = off_, .flags = fl, .load = ld_, .release = rel }
#define K_END { .key = NULL }

static void load_fields(struct loader *ld, yaml_node_t *node, const struct schema *s,
			void *obj, const char *label);

/* ---- scalar fields ------------------------------------------------------ */

static char *resolve_path(const struct loader *ld, const char *p)
{
	const char *home = getenv("HOME");

	if (p[0] == '/')
		return xstrdup(p);
	if (p[0] == '~' && p[1] == '/' && home && *home)
		return xasprintf("%s%s", home, p + 1);
	return ld->dir ? xasprintf("%s%s", ld->dir, p) : xstrdup(p);
}

static void load_str(struct loader *ld, const struct field *f, yaml_node_t *value,
		     void *obj, const char *what)
{
	const char *t = scalar(ld, value, what);

	if (!t)
		return;
	if (!*t && (f->flags & (FL_REQUIRED | FL_NONEMPTY)))
		problem(ld, value, "%s must not be empty", what);
	*(char **)ptr_at(obj, f->off) = f->kind == F_PATH ? resolve_path(ld, t) : xstrdup(t);
	if (f->flags & FL_POS)
		*(struct cfg_pos *)ptr_at(obj, f->aux_off) = node_pos(value);
	if (f->ref != REF_NONE)
		add_ref(ld, f->ref, t, what, value);
}

static void load_zone(struct loader *ld, const struct field *f, yaml_node_t *value,
		      void *obj, const char *what)
{
	struct appt_err err = { "" };
	const char *t = scalar(ld, value, what);

	if (!t)
		return;
	if (when_set_zone(t, &err) != APPT_OK)
		problem(ld, value, "%s: %s", what, err.msg);
	*(char **)ptr_at(obj, f->off) = xstrdup(t);
}

/* "1" or "+1": stored as digits, the form phone keys put after their '+'. */
static void load_country_code(struct loader *ld, yaml_node_t *value, void *dst,
			      const char *what)
{
	const char *t = scalar(ld, value, what);
	const char *digits = t && *t == '+' ? t + 1 : t;

	if (!t)
		return;
	if (!phone_country_code_valid(digits)) {
		problem(ld, value, "%s: expected a country calling code of 1 to 3 digits "
			"(1 for the US and Canada, 44 for the UK), found '%s'", what, t);
		return;
	}
	*(char **)dst = xstrdup(digits);
}

static void release_str(void *dst)
{
	free(*(char **)dst);
}

static void load_duration(struct loader *ld, const struct field *f, yaml_node_t *value,
			  void *obj, const char *what)
{
	struct appt_err err = { "" };
	const char *t = scalar(ld, value, what);
	long v;

	if (!t)
		return;
	if (when_parse_duration_range(t, f->min, f->max, &v, &err) != APPT_OK) {
		problem(ld, value, "%s: %s", what, err.msg);
		return;
	}
	*(long *)ptr_at(obj, f->off) = v;
}

static void load_int(struct loader *ld, const struct field *f, yaml_node_t *value,
		     void *obj, const char *what)
{
	const char *t = scalar(ld, value, what);
	char *end;
	long v;

	if (!t)
		return;
	errno = 0;
	v = strtol(t, &end, 10);
	if (!*t || *end || errno || v < INT_MIN || v > INT_MAX) {
		problem(ld, value, "%s: expected a whole number, found '%s'", what, t);
		return;
	}
	if (f->max && (v < f->min || v > f->max))
		problem(ld, value, "%s must be from %d to %ld, not %ld", what, f->min, f->max, v);
	else if (v < f->min)
		problem(ld, value, "%s must be at least %d", what, f->min);
	*(int *)ptr_at(obj, f->off) = (int)v;
}

static void load_money(struct loader *ld, const struct field *f, yaml_node_t *value,
		       void *obj, const char *what)
{
	const char *t = scalar(ld, value, what);

	if (t && money_parse(t, (long long *)ptr_at(obj, f->off)))
		problem(ld, value, "%s: invalid amount '%s' (write 85 or 85.00)", what, t);
}

static void load_date(struct loader *ld, const struct field *f, yaml_node_t *value,
		      void *obj, const char *what)
{
	const char *t = scalar(ld, value, what);

	if (t && date_parse_iso(t, (struct appt_date *)ptr_at(obj, f->off)))
		problem(ld, value, "%s: invalid date '%s' (write YYYY-MM-DD)", what, t);
}

static void load_strlist(struct loader *ld, const struct field *f, yaml_node_t *value,
			 void *obj, const char *what)
{
	struct strlist *list = ptr_at(obj, f->off);
	yaml_node_item_t *it;

	if (!expect(ld, value, YAML_SEQUENCE_NODE, what))
		return;
	for (it = value->data.sequence.items.start; it < value->data.sequence.items.top; it++) {
		yaml_node_t *item = node_at(ld, *it);
		const char *t = scalar(ld, item, what);

		if (!t)
			continue;
		strlist_push(list, t);
		if (f->ref != REF_NONE)
			add_ref(ld, f->ref, t, what, item);
	}
}

/* ---- opening hours ------------------------------------------------------ */

static const char *const day_names[7] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };

static int day_index(const char *s, size_t len)
{
	for (int d = 0; d < 7; d++)
		if (len == 3 && !strncasecmp(s, day_names[d], 3))
			return d;
	return -1;
}

/* "mon" or a range "mon-fri"; a range may wrap past Sunday ("sat-mon"). */
static int parse_day_key(const char *key, int *first, int *last)
{
	const char *dash = strchr(key, '-');

	if (!dash) {
		*first = *last = day_index(key, strlen(key));
		return *first < 0 ? -1 : 0;
	}
	*first = day_index(key, (size_t)(dash - key));
	*last = day_index(dash + 1, strlen(dash + 1));
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

/* "closed" or "HH:MM-HH:MM[,HH:MM-HH:MM...]". */
static int parse_day_hours(const char *s, struct cfg_day_hours *out, struct strbuf *msg)
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
			strbuf_addf(msg, "invalid hours '%s' (write \"09:00-12:30,13:30-17:00\" or closed)", s);
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
static void load_day_pair(struct loader *ld, yaml_node_t *key, yaml_node_t *value,
			  struct cfg_week_hours *week, int *first_line, const char *what)
{
	struct cfg_day_hours h = { NULL, 0, 0 };
	struct strbuf msg = STRBUF_INIT;
	const char *v;
	int first, last;

	if (parse_day_key(text(key), &first, &last)) {
		problem(ld, key, "%s: unknown day '%s' (use mon..sun or a range such as mon-fri)",
			what, text(key));
		return;
	}
	if (!(v = scalar(ld, value, what)))
		return;
	if (parse_day_hours(v, &h, &msg)) {
		problem(ld, value, "%s: %s", what, msg.buf);
	} else {
		for (int d = first;; d = (d + 1) % 7) {
			if (first_line[d]) {
				problem(ld, key, "%s: %s given twice (first at line %d)", what,
					day_names[d], first_line[d]);
			} else {
				set_day(week, d, &h);
				first_line[d] = node_pos(key).line;
			}
			if (d == last)
				break;
		}
	}
	free(h.intervals);
	strbuf_release(&msg);
}

static void load_week(struct loader *ld, yaml_node_t *value, struct cfg_week_hours *week,
		      const char *what)
{
	int first_line[7] = { 0 };
	yaml_node_pair_t *p;

	if (!expect(ld, value, YAML_MAPPING_NODE, what))
		return;
	for (p = value->data.mapping.pairs.start; p < value->data.mapping.pairs.top; p++) {
		yaml_node_t *key = node_at(ld, p->key);

		if (scalar(ld, key, what))
			load_day_pair(ld, key, node_at(ld, p->value), week, first_line, what);
	}
}

static void load_hours(struct loader *ld, const struct field *f, yaml_node_t *value,
		       void *obj, const char *what)
{
	load_week(ld, value, ptr_at(obj, f->off), what);
}

static void free_hours(struct cfg_week_hours *week)
{
	for (int d = 0; d < 7; d++)
		free(week->day[d].intervals);
}

/* The same intervals every day of the week. */
static int window_every_day(const char *spec, struct cfg_week_hours *week, struct strbuf *msg)
{
	struct cfg_day_hours h = { NULL, 0, 0 };

	if (parse_day_hours(spec, &h, msg)) {
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
static void load_window(struct loader *ld, const struct field *f, yaml_node_t *value,
			void *obj, const char *what)
{
	struct cfg_window *w = ptr_at(obj, f->off);
	struct strbuf msg = STRBUF_INIT;
	const char *t;

	free_hours(&w->week);
	memset(w, 0, sizeof(*w));
	w->set = 1;
	w->pos = node_pos(value);
	if (value->type == YAML_MAPPING_NODE) {
		load_week(ld, value, &w->week, what);
		return;
	}
	if (!(t = scalar(ld, value, what)))
		return;
	if (!strcmp(t, "always") || !strcmp(t, "none")) {
		w->always = 1;
	} else if (window_every_day(t, &w->week, &msg)) {
		problem(ld, value, "%s: %s", what, msg.buf);
		w->set = 0; /* one problem is enough */
	}
	strbuf_release(&msg);
}

static void load_bool(struct loader *ld, const struct field *f, yaml_node_t *value,
		      void *obj, const char *what)
{
	const char *t = scalar(ld, value, what);

	if (!t)
		return;
	if (!strcmp(t, "true") || !strcmp(t, "yes"))
		*(int *)ptr_at(obj, f->off) = 1;
	else if (!strcmp(t, "false") || !strcmp(t, "no"))
		*(int *)ptr_at(obj, f->off) = 0;
	else
		problem(ld, value, "%s: expected true or false, found '%s'", what, t);
}

/* ---- lists, maps and sections ------------------------------------------- */

static void *push_item(void *obj, const struct field *f)
{
	size_t *nr = ptr_at(obj, f->aux_off);
	size_t size = f->schema->size;
	char *items;

	/* memcpy: the array pointer has the item's struct type, not char * */
	memcpy(&items, ptr_at(obj, f->off), sizeof(items));
	items = xreallocarray(items, *nr + 1, size);
	memcpy(ptr_at(obj, f->off), &items, sizeof(items));
	memset(items + *nr * size, 0, size);
	return items + (*nr)++ * size;
}

static void load_item(struct loader *ld, const struct schema *s, yaml_node_t *node,
		      void *obj, const char *label, struct cfg_pos pos)
{
	if (s->init)
		s->init(obj);
	if (s->has_pos)
		*(struct cfg_pos *)ptr_at(obj, s->pos_off) = pos;
	if (node->type == YAML_SCALAR_NODE && s->from_scalar && !is_null(node)) {
		s->from_scalar(ld, node, obj, label);
		return;
	}
	load_fields(ld, node, s, obj, label);
	if (s->finish && node->type == YAML_MAPPING_NODE)
		s->finish(ld, node, obj, label);
}

/* "service 'peel'", "outreach step 2 of program 'acne'". */
static char *item_label(struct loader *ld, const struct schema *s, yaml_node_t *node,
			const char *name, size_t index, const char *parent)
{
	struct strbuf sb = STRBUF_INIT;
	yaml_node_t *id = s->id_key && node ? map_get(ld, node, s->id_key) : NULL;

	if (!name && id && id->type == YAML_SCALAR_NODE && !is_null(id))
		name = text(id);
	if (name)
		strbuf_addf(&sb, "%s '%s'", s->noun, name);
	else
		strbuf_addf(&sb, "%s %zu", s->noun, index + 1);
	if (*parent)
		strbuf_addf(&sb, " of %s", parent);
	return strbuf_detach(&sb);
}

static void load_list(struct loader *ld, const struct field *f, yaml_node_t *value,
		      void *obj, const char *label, const char *what)
{
	yaml_node_item_t *it;

	if (!expect(ld, value, YAML_SEQUENCE_NODE, what))
		return;
	for (it = value->data.sequence.items.start; it < value->data.sequence.items.top; it++) {
		yaml_node_t *node = node_at(ld, *it);
		char *item_name = item_label(ld, f->schema, node, NULL,
					     (size_t)(it - value->data.sequence.items.start), label);

		load_item(ld, f->schema, node, push_item(obj, f), item_name, node_pos(node));
		free(item_name);
	}
}

/* A key given earlier in the same mapping, or NULL. */
static yaml_node_t *earlier_key(struct loader *ld, const yaml_node_t *map,
				const yaml_node_pair_t *upto, const char *key)
{
	for (const yaml_node_pair_t *p = map->data.mapping.pairs.start; p < upto; p++) {
		yaml_node_t *k = node_at(ld, p->key);

		if (k->type == YAML_SCALAR_NODE && !strcmp(text(k), key))
			return k;
	}
	return NULL;
}

static void load_map(struct loader *ld, const struct field *f, yaml_node_t *value,
		     void *obj, const char *label, const char *what)
{
	yaml_node_pair_t *p;

	if (!expect(ld, value, YAML_MAPPING_NODE, what))
		return;
	for (p = value->data.mapping.pairs.start; p < value->data.mapping.pairs.top; p++) {
		yaml_node_t *key = node_at(ld, p->key), *prev;
		const char *name = scalar(ld, key, what);
		char *item_name;
		void *item;

		if (!name)
			continue;
		if ((prev = earlier_key(ld, value, p, name))) {
			problem(ld, key, "duplicate %s '%s' (first at line %d)", f->schema->noun,
				name, node_pos(prev).line);
			continue;
		}
		item = push_item(obj, f);
		*(char **)ptr_at(item, f->schema->key_off) = xstrdup(name);
		item_name = item_label(ld, f->schema, NULL, name, 0, label);
		load_item(ld, f->schema, node_at(ld, p->value), item, item_name, node_pos(key));
		free(item_name);
	}
}

static void load_section(struct loader *ld, const struct field *f, yaml_node_t *value,
			 void *obj, const char *label)
{
	char *sub = *label ? xasprintf("%s.%s", label, f->key) : xstrdup(f->key);

	load_item(ld, f->schema, value, ptr_at(obj, f->off), sub, node_pos(value));
	free(sub);
}

static void load_field(struct loader *ld, const struct field *f, yaml_node_t *value,
		       void *obj, const char *label)
{
	char *what = *label ? xasprintf("'%s' in %s", f->key, label) : xasprintf("'%s'", f->key);

	switch (f->kind) {
	case F_STR:
	case F_PATH: load_str(ld, f, value, obj, what); break;
	case F_ZONE: load_zone(ld, f, value, obj, what); break;
	case F_DURATION: load_duration(ld, f, value, obj, what); break;
	case F_INT: load_int(ld, f, value, obj, what); break;
	case F_MONEY: load_money(ld, f, value, obj, what); break;
	case F_DATE: load_date(ld, f, value, obj, what); break;
	case F_STRLIST: load_strlist(ld, f, value, obj, what); break;
	case F_HOURS: load_hours(ld, f, value, obj, what); break;
	case F_WINDOW: load_window(ld, f, value, obj, what); break;
	case F_BOOL: load_bool(ld, f, value, obj, what); break;
	case F_SECTION: load_section(ld, f, value, obj, label); break;
	case F_LIST: load_list(ld, f, value, obj, label, what); break;
	case F_MAP: load_map(ld, f, value, obj, label, what); break;
	case F_CUSTOM: f->load(ld, value, ptr_at(obj, f->off), what); break;
	}
	free(what);
}

static const struct field *find_field(const struct schema *s, const char *key)
{
	for (const struct field *f = s->fields; f->key; f++)
		if (!strcmp(f->key, key))
			return f;
	return NULL;
}

static void unknown_key(struct loader *ld, const struct schema *s, yaml_node_t *key,
			const char *label)
{
	const char *near = NULL;
	size_t near_d = SUGGEST_MAX;
	char hint[128] = "";

	for (const struct field *f = s->fields; f->key; f++)
		closer(text(key), f->key, &near, &near_d);
	if (near)
		snprintf(hint, sizeof(hint), " (did you mean '%s'?)", near);
	if (*label)
		problem(ld, key, "unknown key '%s' in %s%s", text(key), label, hint);
	else
		problem(ld, key, "unknown top-level key '%s'%s", text(key), hint);
}

/* One key: value pair of a mapping the schema describes. */
static void load_pair(struct loader *ld, const struct schema *s, yaml_node_t *map,
		      yaml_node_pair_t *p, void *obj, const char *label)
{
	yaml_node_t *key = node_at(ld, p->key), *value = node_at(ld, p->value), *prev;
	const struct field *f;

	if (!scalar(ld, key, *label ? label : "top level"))
		return;
	if (!(f = find_field(s, text(key)))) {
		unknown_key(ld, s, key, label);
	} else if ((prev = earlier_key(ld, map, p, f->key))) {
		problem(ld, key, "key '%s' given twice in %s (first at line %d)", f->key,
			*label ? label : "the file", node_pos(prev).line);
	} else if (is_null(value)) {
		if (f->flags & FL_REQUIRED)
			problem(ld, value, "missing value for '%s' in %s", f->key,
				*label ? label : "the file");
	} else {
		load_field(ld, f, value, obj, label);
	}
}

static void load_fields(struct loader *ld, yaml_node_t *node, const struct schema *s,
			void *obj, const char *label)
{
	yaml_node_pair_t *p;

	if (!expect(ld, node, YAML_MAPPING_NODE, *label ? label : "the file"))
		return;
	for (p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; p++)
		load_pair(ld, s, node, p, obj, label);
	for (const struct field *f = s->fields; f->key; f++)
		if ((f->flags & FL_REQUIRED) && !map_get(ld, node, f->key))
			problem(ld, node, "missing key '%s' in %s", f->key,
				*label ? label : "the file");
}

/* ---- freeing, driven by the same tables --------------------------------- */

static void free_fields(const struct schema *s, void *obj);

static void free_items(const struct field *f, void *obj)
{
	size_t nr = *(size_t *)ptr_at(obj, f->aux_off);
	char *items;

	memcpy(&items, ptr_at(obj, f->off), sizeof(items));
	for (size_t i = 0; i < nr; i++) {
		void *item = items + i * f->schema->size;

		free_fields(f->schema, item);
		if (f->schema->has_key)
			free(*(char **)ptr_at(item, f->schema->key_off));
	}
	free(items);
}

static void free_fields(const struct schema *s, void *obj)
{
	for (const struct field *f = s->fields; f->key; f++) {
		void *dst = ptr_at(obj, f->off);

		switch (f->kind) {
		case F_STR:
		case F_PATH:
		case F_ZONE: free(*(char **)dst); break;
		case F_STRLIST: strlist_clear(dst); break;
		case F_HOURS: free_hours(dst); break;
		case F_WINDOW: free_hours(&((struct cfg_window *)dst)->week); break;
		case F_SECTION: free_fields(f->schema, dst); break;
		case F_LIST:
		case F_MAP: free_items(f, obj); break;
		case F_CUSTOM: if (f->release) f->release(dst); break;
		default: break;
		}
	}
}

/* ---- item hooks: defaults and checks within one item -------------------- */

/* Anything but a call sends words, so it needs a template to take them from. */
static void need_template(struct loader *ld, yaml_node_t *node, const char *channel,
			  const char *template, const char *label)
{
	if (channel && strcmp(channel, "call") && !template)
		problem(ld, node, "missing key 'template' in %s (channel '%s' sends a message)",
			label, channel);
}

static void service_init(void *obj)
{
	((struct cfg_service *)obj)->capacity = 1;
}

static void followup_init(void *obj)
{
	((struct cfg_timed_message *)obj)->max_delay = 86400;
}

static void resource_finish(struct loader *ld, yaml_node_t *node, void *obj, const char *label)
{
	struct cfg_resource *r = obj;

	if (!r->name && r->id)
		r->name = xstrdup(r->id);
}

static void notice_finish(struct loader *ld, yaml_node_t *node, void *obj, const char *label)
{
	struct cfg_notice *n = obj;

	n->set = 1;
	need_template(ld, node, n->channel, n->template, label);
}

static void timed_finish(struct loader *ld, yaml_node_t *node, void *obj, const char *label)
{
	struct cfg_timed_message *m = obj;

	need_template(ld, node, m->channel, m->template, label);
}

static void step_finish(struct loader *ld, yaml_node_t *node, void *obj, const char *label)
{
	struct cfg_outreach_step *st = obj;

	need_template(ld, node, st->channel, st->template, label);
}

/* Stable, so that two steps on one day (a call, then a text) keep their order. */
static void sort_steps(struct cfg_outreach_step *steps, size_t nr)
{
	for (size_t i = 1; i < nr; i++) {
		struct cfg_outreach_step x = steps[i];
		size_t j = i;

		for (; j > 0 && steps[j - 1].day > x.day; j--)
			steps[j] = steps[j - 1];
		steps[j] = x;
	}
}

static void program_finish(struct loader *ld, yaml_node_t *node, void *obj, const char *label)
{
	struct cfg_program *prog = obj;

	if (!prog->name)
		prog->name = xstrdup(prog->id);
	sort_steps(prog->steps, prog->nr_steps);
}

static void channel_finish(struct loader *ld, yaml_node_t *node, void *obj, const char *label)
{
	struct cfg_channel *ch = obj;

	if (!strcmp(ch->name, "call"))
		problem_at(ld, ch->pos, "'call' cannot be a channel: calls are a task list for staff, not a transport");
	else if (!strcmp(ch->name, "preferred"))
		problem_at(ld, ch->pos, "'preferred' cannot be a channel: it means each client's own channel");
	if (ch->transport == TRANSPORT_SENDMAIL && !ch->command.nr)
		for (const char *const *a = default_sendmail; *a; a++)
			strlist_push(&ch->command, *a);
	if (ch->transport == TRANSPORT_COMMAND && !ch->command.nr)
		problem(ld, node, "missing key 'command' in %s (transport command runs it)", label);
	if (ch->transport == TRANSPORT_FILE && !ch->path)
		problem(ld, node, "missing key 'path' in %s (transport file appends to it)", label);
}

static void unknown_placeholder(struct loader *ld, struct cfg_pos pos, const char *what,
				const char *name, size_t len)
{
	char *bad = xstrndup(name, len);
	const char *near = NULL;
	size_t near_d = SUGGEST_MAX;

	for (const char *const *p = template_placeholders; *p; p++)
		closer(bad, *p, &near, &near_d);
	if (near)
		problem_at(ld, pos, "%s: unknown placeholder '{{%s}}' (did you mean '{{%s}}'?)",
			   what, bad, near);
	else
		problem_at(ld, pos, "%s: unknown placeholder '{{%s}}'", what, bad);
	free(bad);
}

struct placeholder_check {
	struct loader *ld;
	struct cfg_pos pos;
	const char *what;
};

static void check_placeholder(const char *name, size_t len, size_t offset, void *data)
{
	struct placeholder_check *pc = data;

	if (template_field_index(name, len) < 0)
		unknown_placeholder(pc->ld, pc->pos, pc->what, name, len);
}

/* template_scan is what rendering uses, so the check and the sender agree on
 * what a placeholder is; the scalar's position is the closest we have. */
static void check_placeholders(struct loader *ld, const char *s, struct cfg_pos pos,
			       const char *what)
{
	struct placeholder_check pc = { ld, pos, what };

	if (template_scan(s, check_placeholder, &pc, NULL) < 0)
		problem_at(ld, pos, "%s: unterminated '{{'", what);
}

static void template_finish(struct loader *ld, yaml_node_t *node, void *obj, const char *label)
{
	struct cfg_template *t = obj;
	char *what;

	if (t->subject) {
		what = xasprintf("'subject' in %s", label);
		check_placeholders(ld, t->subject, t->subject_pos, what);
		free(what);
	}
	if (t->body) {
		what = xasprintf("'body' in %s", label);
		check_placeholders(ld, t->body, t->body_pos, what);
		free(what);
	}
}

/* A closure is one date, or a from/to range; never both. */
static void closure_finish(struct loader *ld, yaml_node_t *node, void *obj, const char *label)
{
	struct cfg_closure *c = obj;
	yaml_node_t *date = map_get(ld, node, "date"), *from = map_get(ld, node, "from");
	yaml_node_t *to = map_get(ld, node, "to");

	if (date && (from || to))
		problem(ld, node, "%s: give either 'date' or 'from' and 'to', not both", label);
	else if (!date && !from && !to)
		problem(ld, node, "missing key 'date' in %s", label);
	else if (!date && (!from || !to))
		problem(ld, node, "missing key '%s' in %s", from ? "to" : "from", label);
	else if (date)
		c->to = c->from;
	else if (date_valid(c->from) && date_valid(c->to) && date_cmp(c->to, c->from) < 0)
		problem(ld, to, "'to' in %s is before its 'from'", label);
}

static void closure_from_scalar(struct loader *ld, yaml_node_t *node, void *obj,
				const char *label)
{
	struct cfg_closure *c = obj;

	if (date_parse_iso(text(node), &c->from))
		problem(ld, node, "%s: invalid date '%s' (write YYYY-MM-DD)", label, text(node));
	c->to = c->from;
}

/* ---- custom fields ------------------------------------------------------ */

static void load_transport(struct loader *ld, yaml_node_t *value, void *dst, const char *what)
{
	static const struct {
		const char *name;
		enum cfg_transport transport;
	} transports[] = {
		{ "sendmail", TRANSPORT_SENDMAIL },
		{ "command", TRANSPORT_COMMAND },
		{ "file", TRANSPORT_FILE },
	};
	enum cfg_transport *tr = dst;
	const char *t = scalar(ld, value, what);

	if (!t)
		return;
	for (size_t i = 0; i < sizeof(transports) / sizeof(*transports); i++)
		if (!strcmp(t, transports[i].name)) {
			*tr = transports[i].transport;
			return;
		}
	problem(ld, value, "%s: unknown transport '%s' (use sendmail, command or file)", what, t);
}

/* roles.staff: login: "Display Name", kept as two parallel lists. */
static void load_staff(struct loader *ld, yaml_node_t *value, void *dst, const char *what)
{
	struct appt_config *cfg = dst;
	yaml_node_pair_t *p;

	if (!expect(ld, value, YAML_MAPPING_NODE, what))
		return;
	for (p = value->data.mapping.pairs.start; p < value->data.mapping.pairs.top; p++) {
		yaml_node_t *key = node_at(ld, p->key), *name = node_at(ld, p->value);
		const char *login = scalar(ld, key, what), *display;

		if (!login || !(display = scalar(ld, name, what)))
			continue;
		if (strlist_has(&cfg->staff_logins, login)) {
			problem(ld, key, "%s: '%s' given twice", what, login);
			continue;
		}
		strlist_push(&cfg->staff_logins, login);
		strlist_push(&cfg->staff_names, display);
	}
}

static void release_staff(void *dst)
{
	struct appt_config *cfg = dst;

	strlist_clear(&cfg->staff_logins);
	strlist_clear(&cfg->staff_names);
}

/* ---- the tables --------------------------------------------------------- */

#define BIZ(m) offsetof(struct appt_config, business.m)

static const struct field business_fields[] = {
	{ .key = "name", .kind = F_STR, .off = BIZ(name), .flags = FL_REQUIRED },
	{ .key = "timezone", .kind = F_ZONE, .off = BIZ(timezone), .flags = FL_REQUIRED },
	{ .key = "phone", .kind = F_STR, .off = BIZ(phone) },
	{ .key = "address", .kind = F_STR, .off = BIZ(address) },
	{ .key = "booking_url", .kind = F_STR, .off = BIZ(booking_url) },
	K_CUSTOM("country_code", BIZ(country_code), 0, load_country_code, release_str),
	{ .key = "email", .kind = F_STR, .off = BIZ(email) },
	{ .key = "signature", .kind = F_STR, .off = BIZ(signature) },
	{ .key = "date_format", .kind = F_STR, .off = BIZ(date_format), .flags = FL_NONEMPTY },
	{ .key = "time_format", .kind = F_STR, .off = BIZ(time_format), .flags = FL_NONEMPTY },
	K_END,
};
static const struct schema business_schema = { .fields = business_fields };

static const struct field closure_fields[] = {
	K_DATE("date", cfg_closure, from),
	K_DATE("from", cfg_closure, from),
	K_DATE("to", cfg_closure, to),
	K_STR("reason", cfg_closure, reason, 0),
	K_END,
};
static const struct schema closure_schema = {
	.noun = "closure", .fields = closure_fields, .size = sizeof(struct cfg_closure),
	.pos_off = OFF(cfg_closure, pos), .has_pos = 1,
	.finish = closure_finish, .from_scalar = closure_from_scalar,
};

static const struct field provider_fields[] = {
	K_STR("id", cfg_provider, id, FL_REQUIRED),
	K_STR("name", cfg_provider, name, FL_REQUIRED),
	K_STR("email", cfg_provider, email, 0),
	K_HOURS("hours", cfg_provider, hours),
	K_STRS("services", cfg_provider, services, REF_SERVICE),
	K_END,
};
static const struct schema provider_schema = {
	.noun = "provider", .fields = provider_fields, .size = sizeof(struct cfg_provider),
	.id_key = "id", .pos_off = OFF(cfg_provider, pos), .has_pos = 1,
};

static const struct field resource_fields[] = {
	K_STR("id", cfg_resource, id, FL_REQUIRED),
	K_STR("kind", cfg_resource, kind, FL_REQUIRED),
	K_STR("name", cfg_resource, name, 0),
	K_END,
};
static const struct schema resource_schema = {
	.noun = "resource", .fields = resource_fields, .size = sizeof(struct cfg_resource),
	.id_key = "id", .pos_off = OFF(cfg_resource, pos), .has_pos = 1,
	.finish = resource_finish,
};

static const struct field service_fields[] = {
	K_STR("id", cfg_service, id, FL_REQUIRED),
	K_STR("name", cfg_service, name, FL_REQUIRED),
	K_DUR("duration", cfg_service, duration, FL_REQUIRED, MINUTE, DAY),
	K_DUR("buffer_before", cfg_service, buffer_before, 0, 0, DAY),
	K_DUR("buffer_after", cfg_service, buffer_after, 0, 0, DAY),
	K_REF("needs", cfg_service, needs, FL_NONEMPTY, REF_KIND),
	K_INT("capacity", cfg_service, capacity, 1, 0),
	K_MONEY("price", cfg_service, price),
	K_END,
};
static const struct schema service_schema = {
	.noun = "service", .fields = service_fields, .size = sizeof(struct cfg_service),
	.id_key = "id", .pos_off = OFF(cfg_service, pos), .has_pos = 1,
	.init = service_init,
};

static const struct field booking_fields[] = {
	K_DUR("min_notice", cfg_booking_policy, min_notice, 0, 0, YEAR),
	K_DUR("max_advance", cfg_booking_policy, max_advance, 0, 0, 3 * YEAR),
	K_DUR("slot_step", cfg_booking_policy, slot_step, 0, MINUTE, DAY),
	/* the front desk always offers a choice: at least two slots */
	K_INT("offer_slots", cfg_booking_policy, offer_slots, 2, 0),
	K_END,
};
static const struct field reschedule_fields[] = {
	K_DUR("min_notice", cfg_reschedule_policy, min_notice, 0, 0, YEAR),
	K_INT("max_times", cfg_reschedule_policy, max_times, 0, 0),
	K_END,
};
static const struct field cancel_fields[] = {
	K_DUR("min_notice", cfg_cancel_policy, min_notice, 0, 0, YEAR),
	K_MONEY("late_fee", cfg_cancel_policy, late_fee),
	K_END,
};
static const struct field noshow_fields[] = {
	K_DUR("grace", cfg_noshow_policy, grace, 0, 0, DAY),
	K_MONEY("fee", cfg_noshow_policy, fee),
	K_INT("warn_after", cfg_noshow_policy, warn_after, 0, 0),
	K_INT("block_after", cfg_noshow_policy, block_after, 0, 0),
	K_DUR("window", cfg_noshow_policy, window, 0, DAY, 3 * YEAR),
	K_END,
};
static const struct field confirmation_fields[] = {
	K_DUR("deadline", cfg_confirmation_policy, deadline, 0, 0, YEAR),
	K_END,
};
static const struct field arrival_fields[] = {
	K_DUR("early", cfg_arrival_policy, early, 0, 0, 7 * DAY),
	K_END,
};
static const struct schema booking_schema = { .fields = booking_fields };
static const struct schema reschedule_schema = { .fields = reschedule_fields };
static const struct schema cancel_schema = { .fields = cancel_fields };
static const struct schema noshow_schema = { .fields = noshow_fields };
static const struct schema confirmation_schema = { .fields = confirmation_fields };
static const struct schema arrival_schema = { .fields = arrival_fields };

static const struct field policies_fields[] = {
	K_SECTION("booking", OFF(cfg_policies, booking), &booking_schema, 0),
	K_SECTION("reschedule", OFF(cfg_policies, reschedule), &reschedule_schema, 0),
	K_SECTION("cancel", OFF(cfg_policies, cancel), &cancel_schema, 0),
	K_SECTION("noshow", OFF(cfg_policies, noshow), &noshow_schema, 0),
	K_SECTION("confirmation", OFF(cfg_policies, confirmation), &confirmation_schema, 0),
	K_SECTION("arrival", OFF(cfg_policies, arrival), &arrival_schema, 0),
	K_END,
};
static const struct schema policies_schema = { .fields = policies_fields };

static const struct field notice_fields[] = {
	K_REF("channel", cfg_notice, channel, FL_REQUIRED, REF_CHANNEL),
	K_REF("template", cfg_notice, template, 0, REF_TEMPLATE),
	K_END,
};
static const struct schema notice_schema = {
	.fields = notice_fields, .pos_off = OFF(cfg_notice, pos), .has_pos = 1,
	.finish = notice_finish,
};
static const struct field notices_fields[] = {
	K_SECTION("booked", OFF(cfg_notices, booked), &notice_schema, 0),
	K_SECTION("rescheduled", OFF(cfg_notices, rescheduled), &notice_schema, 0),
	K_SECTION("cancelled", OFF(cfg_notices, cancelled), &notice_schema, 0),
	K_SECTION("noshow", OFF(cfg_notices, noshow), &notice_schema, 0),
	K_SECTION("blocked", OFF(cfg_notices, blocked), &notice_schema, 0),
	K_END,
};
static const struct schema notices_schema = { .fields = notices_fields };

static const struct field reminder_fields[] = {
	K_STR("name", cfg_timed_message, name, FL_REQUIRED),
	K_DUR("before", cfg_timed_message, offset, FL_REQUIRED, 0, YEAR),
	K_REF("channel", cfg_timed_message, channel, FL_REQUIRED, REF_CHANNEL),
	K_REF("template", cfg_timed_message, template, 0, REF_TEMPLATE),
	K_END,
};
static const struct schema reminder_schema = {
	.noun = "reminder", .fields = reminder_fields, .size = sizeof(struct cfg_timed_message),
	.id_key = "name", .pos_off = OFF(cfg_timed_message, pos), .has_pos = 1,
	.finish = timed_finish,
};

static const struct field followup_fields[] = {
	K_STR("name", cfg_timed_message, name, FL_REQUIRED),
	K_DUR("after", cfg_timed_message, offset, FL_REQUIRED, 0, YEAR),
	K_REF("channel", cfg_timed_message, channel, FL_REQUIRED, REF_CHANNEL),
	K_REF("template", cfg_timed_message, template, 0, REF_TEMPLATE),
	K_REF("service", cfg_timed_message, service, 0, REF_SERVICE),
	K_BOOL("skip_if_booked", cfg_timed_message, skip_if_booked),
	K_DUR("max_delay", cfg_timed_message, max_delay, 0, MINUTE, YEAR),
	K_END,
};
static const struct schema followup_schema = {
	.noun = "followup", .fields = followup_fields, .size = sizeof(struct cfg_timed_message),
	.id_key = "name", .pos_off = OFF(cfg_timed_message, pos), .has_pos = 1,
	.init = followup_init, .finish = timed_finish,
};

static const struct field step_fields[] = {
	K_INT_IN("day", cfg_outreach_step, day, 1, 3 * 365, FL_REQUIRED),
	K_REF("channel", cfg_outreach_step, channel, FL_REQUIRED, REF_CHANNEL),
	K_REF("template", cfg_outreach_step, template, 0, REF_TEMPLATE),
	/* "manager" or a login; who may take a call is not the config's to check */
	K_STR("assign", cfg_outreach_step, assign, FL_NONEMPTY),
	K_END,
};
static const struct schema step_schema = {
	.noun = "outreach step", .fields = step_fields,
	.size = sizeof(struct cfg_outreach_step),
	.pos_off = OFF(cfg_outreach_step, pos), .has_pos = 1, .finish = step_finish,
};

static const struct field program_fields[] = {
	K_STR("name", cfg_program, name, 0),
	K_DUR("interval", cfg_program, interval, FL_REQUIRED, DAY, 3 * YEAR),
	K_STRS("services", cfg_program, services, REF_SERVICE),
	K_LIST("outreach", cfg_program, steps, nr_steps, &step_schema, FL_REQUIRED),
	K_DUR("end_after", cfg_program, end_after, 0, 0, 3 * YEAR),
	K_END,
};
static const struct schema program_schema = {
	.noun = "program", .fields = program_fields, .size = sizeof(struct cfg_program),
	.key_off = OFF(cfg_program, id), .has_key = 1,
	.pos_off = OFF(cfg_program, pos), .has_pos = 1, .finish = program_finish,
};

static const struct field channel_fields[] = {
	K_CUSTOM("transport", OFF(cfg_channel, transport), FL_REQUIRED, load_transport, NULL),
	K_STRS("command", cfg_channel, command, REF_NONE),
	K_STR("from", cfg_channel, from, 0),
	K_PATH("path", cfg_channel, path),
	K_WINDOW("send_window", cfg_channel, send_window),
	K_END,
};
static const struct schema channel_schema = {
	.noun = "channel", .fields = channel_fields, .size = sizeof(struct cfg_channel),
	.key_off = OFF(cfg_channel, name), .has_key = 1,
	.pos_off = OFF(cfg_channel, pos), .has_pos = 1, .finish = channel_finish,
};

static const struct field template_fields[] = {
	K_TEXT("subject", cfg_template, subject, subject_pos, 0),
	K_TEXT("body", cfg_template, body, body_pos, FL_REQUIRED),
	K_END,
};
static const struct schema template_schema = {
	.noun = "template", .fields = template_fields, .size = sizeof(struct cfg_template),
	.key_off = OFF(cfg_template, name), .has_key = 1,
	.pos_off = OFF(cfg_template, pos), .has_pos = 1, .finish = template_finish,
};

static const struct field roles_fields[] = {
	K_STRS("managers", appt_config, managers, REF_NONE),
	K_CUSTOM("staff", 0, 0, load_staff, release_staff),
	K_END,
};
static const struct schema roles_schema = { .fields = roles_fields };

static const struct field delivery_fields[] = {
	K_INT("max_attempts", cfg_delivery, max_attempts, 1, 0),
	K_DUR("backoff", cfg_delivery, backoff, 0, 0, DAY),
	K_DUR("lock_wait", cfg_delivery, lock_wait, 0, 0, 3600),
	K_WINDOW("send_window", cfg_delivery, send_window),
	K_END,
};
static const struct schema delivery_schema = { .fields = delivery_fields };

/* business and roles fill appt_config's own members, hence offset 0. */
static const struct field root_fields[] = {
	K_PATH("database", appt_config, database),
	K_SECTION("business", 0, &business_schema, FL_REQUIRED),
	K_HOURS("hours", appt_config, hours),
	K_LIST("closures", appt_config, closures, nr_closures, &closure_schema, 0),
	K_LIST("providers", appt_config, providers, nr_providers, &provider_schema, 0),
	K_LIST("resources", appt_config, resources, nr_resources, &resource_schema, 0),
	K_LIST("services", appt_config, services, nr_services, &service_schema, 0),
	K_SECTION("policies", OFF(appt_config, policies), &policies_schema, 0),
	K_SECTION("notices", OFF(appt_config, notices), &notices_schema, 0),
	K_LIST("reminders", appt_config, reminders, nr_reminders, &reminder_schema, 0),
	K_LIST("followups", appt_config, followups, nr_followups, &followup_schema, 0),
	K_MAP("programs", appt_config, programs, nr_programs, &program_schema),
	K_MAP("channels", appt_config, channels, nr_channels, &channel_schema),
	K_MAP("templates", appt_config, templates, nr_templates, &template_schema),
	K_SECTION("roles", 0, &roles_schema, 0),
	K_SECTION("delivery", OFF(appt_config, delivery), &delivery_schema, 0),
	K_END,
};
static const struct schema root_schema = { .fields = root_fields };

/* ---- whole-file checks -------------------------------------------------- */

static int kind_exists(const struct appt_config *cfg, const char *kind)
{
	for (size_t i = 0; i < cfg->nr_resources; i++)
		if (str_eq(cfg->resources[i].kind, kind))
			return 1;
	return 0;
}

static void check_ref(struct loader *ld, const struct ref *r)
{
	const struct appt_config *cfg = ld->cfg;

	switch (r->kind) {
	case REF_SERVICE:
		if (!config_service(cfg, r->name))
			problem_at(ld, r->pos, "%s names unknown service '%s'", r->what, r->name);
		break;
	case REF_KIND:
		if (!kind_exists(cfg, r->name))
			problem_at(ld, r->pos, "%s names resource kind '%s', but no resource has it",
				   r->what, r->name);
		break;
	case REF_TEMPLATE:
		if (!config_template(cfg, r->name))
			problem_at(ld, r->pos, "%s names unknown template '%s'", r->what, r->name);
		break;
	case REF_CHANNEL:
		if (strcmp(r->name, "preferred") && strcmp(r->name, "call") &&
		    !config_channel(cfg, r->name))
			problem_at(ld, r->pos,
				   "%s names unknown channel '%s' (use preferred, call or a key of channels:)",
				   r->what, r->name);
		break;
	case REF_NONE:
		break;
	}
}

/* Ids that other commands look up must name one item only. */
static void check_unique(struct loader *ld, const void *items, size_t nr, size_t size,
			 size_t id_off, size_t pos_off, const char *noun)
{
	for (size_t i = 0; i < nr; i++) {
		const char *item = (const char *)items + i * size;
		const char *id = *(char *const *)(item + id_off);
		const char *first = find_by(items, i, size, id_off, id);

		if (first)
			problem_at(ld, *(const struct cfg_pos *)(item + pos_off),
				   "duplicate %s '%s' (first at line %d)", noun, id,
				   ((const struct cfg_pos *)(first + pos_off))->line);
	}
}

/* Whether a window opens at all: always, or on some day of the week. */
static int window_opens(const struct cfg_window *w)
{
	for (int d = 0; d < 7 && !w->always; d++)
		if (w->week.day[d].nr)
			return 1;
	return w->always;
}

/* A window that never opens would hold every message back for ever. */
static void check_window(struct loader *ld, const struct cfg_window *w, const char *channel)
{
	if (!w->set || window_opens(w))
		return;
	if (channel)
		problem_at(ld, w->pos, "'send_window' in channel '%s' never opens: give it a"
			   " day with hours, or always", channel);
	else
		problem_at(ld, w->pos, "'send_window' in delivery never opens: give it a day"
			   " with hours, or always");
}

#define UNIQUE(ld, arr, nr, T, idm, noun) \
	check_unique(ld, arr, nr, sizeof(struct T), OFF(T, idm), OFF(T, pos), noun)

static void check_config(struct loader *ld)
{
	struct appt_config *cfg = ld->cfg;

	UNIQUE(ld, cfg->providers, cfg->nr_providers, cfg_provider, id, "provider id");
	UNIQUE(ld, cfg->resources, cfg->nr_resources, cfg_resource, id, "resource id");
	UNIQUE(ld, cfg->services, cfg->nr_services, cfg_service, id, "service id");
	UNIQUE(ld, cfg->reminders, cfg->nr_reminders, cfg_timed_message, name,
		     "reminder name");
	UNIQUE(ld, cfg->followups, cfg->nr_followups, cfg_timed_message, name,
		     "followup name");
	for (size_t i = 0; i < ld->nr_refs; i++)
		check_ref(ld, &ld->refs[i]);
	check_window(ld, &cfg->delivery.send_window, NULL);
	for (size_t i = 0; i < cfg->nr_channels; i++)
		check_window(ld, &cfg->channels[i].send_window, cfg->channels[i].name);
}

/* ---- loading ------------------------------------------------------------ */

static struct appt_config *config_new(const char *path)
{
	struct appt_config *cfg = xcalloc(1, sizeof(*cfg));

	cfg->path = xstrdup(path);
	cfg->policies.booking.slot_step = 15 * 60;
	cfg->policies.booking.offer_slots = 2;
	cfg->policies.reschedule.min_notice = 24 * 3600;
	cfg->policies.cancel.min_notice = 24 * 3600;
	cfg->policies.noshow.grace = 15 * 60;
	cfg->policies.noshow.window = 365 * 86400L;
	cfg->policies.arrival.early = 3600;
	cfg->delivery.max_attempts = 5;
	cfg->delivery.backoff = 5 * 60;
	cfg->delivery.lock_wait = 10;
	cfg->delivery.send_window.set = 1;
	window_every_day("08:00-20:00", &cfg->delivery.send_window.week, NULL);
	return cfg;
}

/* String defaults come last: setting them first would leak on override. */
static void config_string_defaults(struct appt_config *cfg)
{
	if (!cfg->business.date_format)
		cfg->business.date_format = xstrdup("%A %-d %B %Y");
	if (!cfg->business.time_format)
		cfg->business.time_format = xstrdup("%H:%M");
}

static enum appt_status read_file(const char *path, struct strbuf *sb, struct appt_err *err)
{
	FILE *fp = fopen(path, "rb");
	char buf[8192];
	size_t n;
	int failed;

	if (!fp)
		return appt_fail(err, APPT_NOINPUT, "cannot open '%s': %s", path, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(sb, buf, n);
	failed = ferror(fp);
	fclose(fp);
	if (failed)
		return appt_fail(err, APPT_NOINPUT, "cannot read '%s': %s", path,
				 strerror(errno ? errno : EIO));
	return APPT_OK;
}

/* Whether line (0-based) of the file is indented with a tab. */
static int tab_indented(const char *s, size_t line)
{
	for (; line && s; line--)
		if ((s = strchr(s, '\n')))
			s++;
	if (!s)
		return 0;
	for (; *s == ' ' || *s == '\t'; s++)
		if (*s == '\t')
			return 1;
	return 0;
}

/*
 * libyaml's own words, with the context it was in; a tab in the indentation
 * is named first, since "cannot start any token" does not say so.
 */
static void yaml_problem(struct loader *ld, const yaml_parser_t *parser, const char *input)
{
	struct cfg_pos pos = { (int)parser->problem_mark.line + 1,
			       (int)parser->problem_mark.column + 1 };
	const char *what = parser->problem ? parser->problem : "invalid YAML";
	struct strbuf sb = STRBUF_INIT;

	if (!strstr(what, "tab") && tab_indented(input, parser->problem_mark.line))
		strbuf_addstr(&sb, "a tab in the indentation, where YAML allows only spaces: ");
	strbuf_addstr(&sb, what);
	if (parser->context)
		strbuf_addf(&sb, " (%s)", parser->context);
	problem_at(ld, pos, "%s", sb.buf);
	strbuf_release(&sb);
}

static int parse_document(struct loader *ld, const struct strbuf *input)
{
	yaml_parser_t parser;
	int ok;

	if (!yaml_parser_initialize(&parser))
		abort(); /* only fails on allocation, like xmalloc */
	yaml_parser_set_input_string(&parser, (const unsigned char *)strbuf_str(input),
				     input->len);
	ok = yaml_parser_load(&parser, &ld->doc);
	if (!ok)
		yaml_problem(ld, &parser, strbuf_str(input));
	yaml_parser_delete(&parser);
	return ok;
}

static void load_root(struct loader *ld)
{
	yaml_node_t *root = yaml_document_get_root_node(&ld->doc);
	struct cfg_pos start = { 1, 1 };

	if (!root) {
		problem_at(ld, start, "the file is empty (expected business:, services: and the rest)");
		return;
	}
	load_fields(ld, root, &root_schema, ld->cfg, "");
	config_string_defaults(ld->cfg);
	check_config(ld);
}

static int problem_cmp(const void *a, const void *b)
{
	const struct problem *p = a, *q = b;

	if (p->pos.line != q->pos.line)
		return p->pos.line < q->pos.line ? -1 : 1;
	if (p->pos.column != q->pos.column)
		return p->pos.column < q->pos.column ? -1 : 1;
	return p->seq < q->seq ? -1 : p->seq > q->seq;
}

/* Sorted into file order and handed out as "FILE:LINE:COLUMN: message". */
static void hand_out_problems(struct loader *ld, struct strlist *problems,
			      struct appt_err *err)
{
	if (ld->nr_problems > 1)
		qsort(ld->problems, ld->nr_problems, sizeof(*ld->problems), problem_cmp);
	for (size_t i = 0; i < ld->nr_problems; i++) {
		const struct problem *p = &ld->problems[i];
		char *line = xasprintf("%s:%d:%d: %s", ld->path, p->pos.line, p->pos.column,
				       p->msg);

		if (!i)
			appt_fail(err, APPT_CONFIG, "%s", line);
		if (problems)
			strlist_push(problems, line);
		free(line);
	}
}

static void loader_release(struct loader *ld)
{
	for (size_t i = 0; i < ld->nr_problems; i++)
		free(ld->problems[i].msg);
	free(ld->problems);
	for (size_t i = 0; i < ld->nr_refs; i++) {
		free(ld->refs[i].name);
		free(ld->refs[i].what);
	}
	free(ld->refs);
	free(ld->dir);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? xstrndup(path, (size_t)(slash - path) + 1) : NULL;
}

enum appt_status config_load(const char *path, struct appt_config **out,
			     struct strlist *problems, struct appt_err *err)
{
	struct loader ld = { .path = path };
	struct strbuf input = STRBUF_INIT;
	enum appt_status status;

	*out = NULL;
	if ((status = read_file(path, &input, err)) != APPT_OK) {
		strbuf_release(&input);
		return status;
	}
	ld.dir = dir_of(path);
	ld.cfg = config_new(path);
	if (parse_document(&ld, &input)) {
		load_root(&ld);
		yaml_document_delete(&ld.doc);
	}
	strbuf_release(&input);
	status = ld.nr_problems ? APPT_CONFIG : APPT_OK;
	hand_out_problems(&ld, problems, err);
	if (status == APPT_OK)
		*out = ld.cfg;
	else
		config_free(ld.cfg);
	loader_release(&ld);
	return status;
}

void config_free(struct appt_config *cfg)
{
	if (!cfg)
		return;
	free_fields(&root_schema, cfg);
	free(cfg->path);
	free(cfg);
}

char *config_default_path(void)
{
	const char *env = getenv("APPT_CONFIG");
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *p = NULL;

	if (env && *env)
		return xstrdup(env);
	/* the XDG spec says a relative XDG_CONFIG_HOME is to be ignored */
	if (xdg && *xdg == '/')
		p = xasprintf("%s/appt/config.yaml", xdg);
	else if (home && *home)
		p = xasprintf("%s/.config/appt/config.yaml", home);
	if (p && access(p, F_OK) == 0)
		return p;
	free(p);
	return xstrdup("/etc/appt/config.yaml");
}

/* ---- lookups ------------------------------------------------------------ */

#define FIND(arr, nr, T, m, key) find_by(arr, nr, sizeof(struct T), OFF(T, m), key)

const struct cfg_service *config_service(const struct appt_config *cfg, const char *id)
{
	return FIND(cfg->services, cfg->nr_services, cfg_service, id, id);
}

const struct cfg_provider *config_provider(const struct appt_config *cfg, const char *id)
{
	return FIND(cfg->providers, cfg->nr_providers, cfg_provider, id, id);
}

const struct cfg_resource *config_resource(const struct appt_config *cfg, const char *id)
{
	return FIND(cfg->resources, cfg->nr_resources, cfg_resource, id, id);
}

const struct cfg_template *config_template(const struct appt_config *cfg, const char *name)
{
	return FIND(cfg->templates, cfg->nr_templates, cfg_template, name, name);
}

const struct cfg_channel *config_channel(const struct appt_config *cfg, const char *name)
{
	return FIND(cfg->channels, cfg->nr_channels, cfg_channel, name, name);
}

const struct cfg_program *config_program(const struct appt_config *cfg, const char *id)
{
	return FIND(cfg->programs, cfg->nr_programs, cfg_program, id, id);
}

const struct cfg_window *config_send_window(const struct appt_config *cfg,
					    const char *channel)
{
	const struct cfg_channel *ch = config_channel(cfg, channel);

	return ch && ch->send_window.set ? &ch->send_window : &cfg->delivery.send_window;
}

enum appt_status config_no_service(const struct appt_config *cfg, const char *id,
				   struct appt_err *err)
{
	struct strbuf known = STRBUF_INIT;
	enum appt_status status;

	for (size_t i = 0; i < cfg->nr_services; i++)
		strbuf_addf(&known, "%s%s", i ? ", " : "", cfg->services[i].id);
	status = appt_fail(err, APPT_NOTFOUND, "no service '%s' (services: %s)", id,
			   known.len ? known.buf : "none configured");
	strbuf_release(&known);
	return status;
}

int provider_offers(const struct cfg_provider *p, const char *service_id)
{
	return p && service_id && strlist_has(&p->services, service_id);
}

int config_is_manager(const struct appt_config *cfg, const char *login)
{
	return login && strlist_has(&cfg->managers, login);
}

const struct cfg_day_hours *config_provider_day(const struct appt_config *cfg,
						const struct cfg_provider *p, int wday)
{
	if (wday < 0 || wday > 6)
		return NULL;
	if (p && p->hours.day[wday].set)
		return &p->hours.day[wday];
	return &cfg->hours.day[wday];
}

const struct cfg_closure *config_closure_on(const struct appt_config *cfg,
					    struct appt_date date)
{
	for (size_t i = 0; i < cfg->nr_closures; i++) {
		const struct cfg_closure *c = &cfg->closures[i];

		if (date_cmp(c->from, date) <= 0 && date_cmp(date, c->to) <= 0)
			return c;
	}
	return NULL;
}
