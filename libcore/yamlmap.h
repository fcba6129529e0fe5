/*
 * yamlmap: a YAML file (libyaml) mapped onto C structs by tables.
 *
 * A struct yamlmap_schema describes one mapping: a row (struct
 * yamlmap_field) per key, saying what the value is and at which offset of
 * the struct it goes.  Loading, unknown-key and missing-key detection, and
 * freeing are all driven by the same rows, so a key is named exactly once.
 * Value syntaxes the mapper does not know plug in as a struct yamlmap_type
 * (a loader and a releaser).
 *
 * Every problem is kept with the position of the offending node and handed
 * out as "FILE:LINE:COLUMN: message" (1-based), sorted into file order;
 * loading goes on after a problem, so that a check can list them all.  An
 * unknown key is a problem, with the nearest known one suggested: a typo
 * must not silently fall back to a default.
 *
 * Names that point elsewhere in the file are recorded as references while
 * loading and checked only once everything is loaded, because sections may
 * come in any order; what a reference may name is the caller's business,
 * so its kind is only a number.
 */
#ifndef APPT_YAMLMAP_H
#define APPT_YAMLMAP_H

#include <stddef.h>
#include <yaml.h>

#include "util.h"

/* Where a node starts in the file.  (cfg_: the structs loaded embed it.) */
struct cfg_pos {
	int line;   /* 1-based */
	int column; /* 1-based */
};

/* One file being loaded: its problems, references and directory. */
struct yamlmap;

/* A name recorded by a field with .ref set, to be checked after loading. */
struct yamlmap_ref {
	int kind;   /* the field's .ref: what the name should name */
	char *name;
	char *what; /* "'services' in provider 'anna'" */
	struct cfg_pos pos;
};

enum yamlmap_kind {
	YM_F_STR,      /* char * */
	YM_F_PATH,     /* char *, relative to the file's directory (or ~/) */
	YM_F_DURATION, /* long seconds, from .min to .max */
	YM_F_INT,      /* int, at least .min, at most .max when that is not 0 */
	YM_F_MONEY,    /* long long cents */
	YM_F_DATE,     /* struct appt_date */
	YM_F_STRLIST,  /* struct strlist from a list of strings */
	YM_F_BOOL,     /* int 0/1 from true/false (or yes/no) */
	YM_F_SECTION,  /* a nested mapping into the struct at .off */
	YM_F_LIST,     /* an array at .off, its count (size_t) at .aux_off, from a list */
	YM_F_MAP,      /* the same from a mapping whose keys name the items */
	YM_F_CUSTOM,   /* .type loads and releases it */
};

#define YM_REQUIRED 1u /* a missing key, or a null value, is a problem */
#define YM_POS      2u /* YM_F_STR: the value's position goes to .aux_off */
#define YM_NONEMPTY 4u /* YM_F_STR: "" is refused (always so when required) */

/*
 * Loads value into dst; what names it in problems ("'hours' in provider
 * 'anna'").  A null value never reaches it (an optional key left empty
 * keeps its default).
 */
typedef void yamlmap_load_fn(struct yamlmap *ym, yaml_node_t *value, void *dst,
			     const char *what);
/* An item hook: node is the item's own node, label names the item. */
typedef void yamlmap_item_fn(struct yamlmap *ym, yaml_node_t *node, void *obj,
			     const char *label);

/* A value syntax of the caller's: opening hours, a time zone, an enum. */
struct yamlmap_type {
	yamlmap_load_fn *load;
	void (*release)(void *dst); /* NULL: nothing to free */
};

struct yamlmap_schema;

struct yamlmap_field {
	const char *key; /* NULL ends a table */
	enum yamlmap_kind kind;
	size_t off;
	size_t aux_off;
	unsigned flags;
	int min;                             /* YM_F_INT, YM_F_DURATION (seconds) */
	long max;                            /* YM_F_INT (0: none), YM_F_DURATION (seconds) */
	int ref;                             /* YM_F_STR, YM_F_STRLIST: a reference kind; 0 none */
	const struct yamlmap_schema *schema; /* YM_F_SECTION, YM_F_LIST, YM_F_MAP */
	const struct yamlmap_type *type;     /* YM_F_CUSTOM */
};

struct yamlmap_schema {
	const char *noun;                   /* names list and map items: "service 'peel'" */
	const struct yamlmap_field *fields;
	size_t size;                        /* of one list or map item */
	const char *id_key;                 /* list items: the key that names one */
	size_t key_off;                     /* map items: where the key (char *) goes */
	size_t pos_off;                     /* where the item's struct cfg_pos goes */
	unsigned has_key : 1;
	unsigned has_pos : 1;
	void (*init)(void *obj);            /* defaults before loading */
	yamlmap_item_fn *finish;            /* checks and defaults after loading a mapping */
	yamlmap_item_fn *from_scalar;       /* an item written as a plain string */
};

/* Table rows for a member m of struct T; fl is YM_REQUIRED and friends. */
#define YM_FIELD(k, kind_, T, m, ...) \
	{ .key = k, .kind = kind_, .off = offsetof(struct T, m), __VA_ARGS__ }
#define YM_STR(k, T, m, fl) YM_FIELD(k, YM_F_STR, T, m, .flags = fl)
/* A name to check once the file is loaded (struct yamlmap_ref). */
#define YM_REF(k, T, m, fl, r) YM_FIELD(k, YM_F_STR, T, m, .flags = fl, .ref = r)
/* A string whose own position goes to member p (a struct cfg_pos). */
#define YM_TEXT(k, T, m, p, fl) \
	YM_FIELD(k, YM_F_STR, T, m, .aux_off = offsetof(struct T, p), .flags = (fl) | YM_POS)
#define YM_PATH(k, T, m) YM_FIELD(k, YM_F_PATH, T, m, .flags = 0)
#define YM_DUR(k, T, m, fl, lo, hi) \
	YM_FIELD(k, YM_F_DURATION, T, m, .flags = fl, .min = lo, .max = hi)
#define YM_INT(k, T, m, lo, fl) YM_FIELD(k, YM_F_INT, T, m, .min = lo, .flags = fl)
#define YM_INT_IN(k, T, m, lo, hi, fl) \
	YM_FIELD(k, YM_F_INT, T, m, .min = lo, .max = hi, .flags = fl)
#define YM_MONEY(k, T, m) YM_FIELD(k, YM_F_MONEY, T, m, .flags = 0)
#define YM_DATE(k, T, m) YM_FIELD(k, YM_F_DATE, T, m, .flags = 0)
#define YM_STRS(k, T, m, r) YM_FIELD(k, YM_F_STRLIST, T, m, .ref = r)
#define YM_BOOL(k, T, m) YM_FIELD(k, YM_F_BOOL, T, m, .flags = 0)
#define YM_LIST(k, T, m, n, s, fl) \
	YM_FIELD(k, YM_F_LIST, T, m, .aux_off = offsetof(struct T, n), .schema = s, .flags = fl)
#define YM_MAP(k, T, m, n, s) \
	YM_FIELD(k, YM_F_MAP, T, m, .aux_off = offsetof(struct T, n), .schema = s)
/* These two take an offset: a section or a custom value may fill the parent itself. */
#define YM_SECTION(k, off_, s, fl) \
	{ .key = k, .kind = YM_F_SECTION, .off = off_, .schema = s, .flags = fl }
#define YM_CUSTOM(k, off_, fl, type_) \
	{ .key = k, .kind = YM_F_CUSTOM, .off = off_, .flags = fl, .type = &(type_) }
#define YM_END { .key = NULL }

/* What a file holds and what to do once it is walked. */
struct yamlmap_file {
	const struct yamlmap_schema *schema; /* the top-level mapping */
	const char *empty;                   /* the problem of an empty file */
	/* Defaults and checks across the whole file, once it is walked (not
	 * when it is empty or not YAML at all). */
	void (*finish)(struct yamlmap *ym, void *obj);
};

/*
 * Loads the file at path into obj (set to its defaults by the caller).
 * Each problem is appended to problems (when not NULL) as
 * "FILE:LINE:COLUMN: message".  Returns APPT_OK, APPT_NOINPUT (cannot
 * open or read), or APPT_CONFIG with the first problem in err; obj may be
 * partly loaded then, and yamlmap_free_fields still frees it.
 */
enum appt_status yamlmap_load(const char *path, const struct yamlmap_file *file, void *obj,
			      struct strlist *problems, struct appt_err *err);

/* Frees what the schema's rows loaded into obj (not obj itself). */
void yamlmap_free_fields(const struct yamlmap_schema *s, void *obj);

/* Calls check for each reference recorded, in the order they were met. */
typedef void yamlmap_ref_fn(struct yamlmap *ym, const struct yamlmap_ref *ref, void *data);
void yamlmap_check_refs(struct yamlmap *ym, yamlmap_ref_fn *check, void *data);

/* Problems, at a node or at a position. */
void yamlmap_problem(struct yamlmap *ym, const yaml_node_t *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void yamlmap_problem_at(struct yamlmap *ym, struct cfg_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Nodes, for the hooks. */
struct cfg_pos yamlmap_pos(const yaml_node_t *node);
yaml_node_t *yamlmap_node(struct yamlmap *ym, int index);
/* A scalar's text. */
const char *yamlmap_text(const yaml_node_t *node);
/* 1 when node is of type; else 0, after reporting "WHAT: expected a list, found a string". */
int yamlmap_expect(struct yamlmap *ym, const yaml_node_t *node, yaml_node_type_t type,
		   const char *what);
/* The scalar's text, or NULL after reporting that it is not a scalar. */
const char *yamlmap_scalar(struct yamlmap *ym, const yaml_node_t *node, const char *what);
/* The value under key in a mapping node, or NULL. */
yaml_node_t *yamlmap_get(struct yamlmap *ym, const yaml_node_t *map, const char *key);

/*
 * "Did you mean": keeps in *best the candidate closest to name so far, when
 * close enough to be a typo of it.  Start with *best NULL and *dist
 * YAMLMAP_TYPO_MAX.
 */
#define YAMLMAP_TYPO_MAX 3 /* edits beyond which a name is not a typo of another */
void yamlmap_closer(const char *name, const char *candidate, const char **best,
		    size_t *dist);

#endif
