/*
 * yamlmap: walks libyaml's node graph guided by the schema tables.
 *
 * Problems are collected with their positions and sorted before they are
 * handed out, so a check lists them in file order even though the caller's
 * whole-file checks (references, duplicates) find theirs after the walk.
 */
#include "yamlmap.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "when.h"

/* ---- the loader and its problems ---------------------------------------- */

struct problem {
	struct cfg_pos pos;
	size_t seq; /* keeps problems at one position in the order found */
	char *msg;
};

struct yamlmap {
	const char *path;
	char *dir; /* the file's directory with its trailing '/', or NULL */
	yaml_document_t doc;
	struct problem *problems;
	size_t nr_problems, alloc_problems;
	struct yamlmap_ref *refs;
	size_t nr_refs, alloc_refs;
};

struct cfg_pos yamlmap_pos(const yaml_node_t *node)
{
	struct cfg_pos pos = { (int)node->start_mark.line + 1,
			       (int)node->start_mark.column + 1 };
	return pos;
}

static void vproblem_at(struct yamlmap *ym, struct cfg_pos pos, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	struct problem *p;

	strbuf_vaddf(&sb, fmt, ap);
	ALLOC_GROW(ym->problems, ym->nr_problems + 1, ym->alloc_problems);
	p = &ym->problems[ym->nr_problems];
	p->pos = pos;
	p->seq = ym->nr_problems++;
	p->msg = strbuf_detach(&sb);
}

void yamlmap_problem_at(struct yamlmap *ym, struct cfg_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem_at(ym, pos, fmt, ap);
	va_end(ap);
}

void yamlmap_problem(struct yamlmap *ym, const yaml_node_t *node, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem_at(ym, yamlmap_pos(node), fmt, ap);
	va_end(ap);
}

static void add_ref(struct yamlmap *ym, int kind, const char *name, const char *what,
		    const yaml_node_t *node)
{
	struct yamlmap_ref *r;

	ALLOC_GROW(ym->refs, ym->nr_refs + 1, ym->alloc_refs);
	r = &ym->refs[ym->nr_refs++];
	r->kind = kind;
	r->name = xstrdup(name);
	r->what = xstrdup(what);
	r->pos = yamlmap_pos(node);
}

void yamlmap_check_refs(struct yamlmap *ym, yamlmap_ref_fn *check, void *data)
{
	for (size_t i = 0; i < ym->nr_refs; i++)
		check(ym, &ym->refs[i], data);
}

/* ---- small node helpers ------------------------------------------------- */

yaml_node_t *yamlmap_node(struct yamlmap *ym, int index)
{
	return yaml_document_get_node(&ym->doc, index);
}

const char *yamlmap_text(const yaml_node_t *node)
{
	return (const char *)node->data.scalar.value;
}

/* YAML 1.1's null: an empty or ~/null plain scalar (quoted "" is a string). */
static int is_null(const yaml_node_t *node)
{
	const char *t;

	if (node->type != YAML_SCALAR_NODE || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	t = yamlmap_text(node);
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

int yamlmap_expect(struct yamlmap *ym, const yaml_node_t *node, yaml_node_type_t type,
		   const char *what)
{
	if (node->type == type)
		return 1;
	yamlmap_problem(ym, node, "%s: expected %s, found %s", what, type_noun(type),
			type_noun(node->type));
	return 0;
}

const char *yamlmap_scalar(struct yamlmap *ym, const yaml_node_t *node, const char *what)
{
	return yamlmap_expect(ym, node, YAML_SCALAR_NODE, what) ? yamlmap_text(node) : NULL;
}

/* The first of a mapping's pairs [start, end) whose key is key, or NULL. */
static yaml_node_pair_t *find_pair(struct yamlmap *ym, yaml_node_pair_t *start,
				   const yaml_node_pair_t *end, const char *key)
{
	for (yaml_node_pair_t *p = start; p < end; p++) {
		yaml_node_t *k = yamlmap_node(ym, p->key);

		if (k->type == YAML_SCALAR_NODE && !strcmp(yamlmap_text(k), key))
			return p;
	}
	return NULL;
}

yaml_node_t *yamlmap_get(struct yamlmap *ym, const yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (map->type != YAML_MAPPING_NODE)
		return NULL;
	p = find_pair(ym, map->data.mapping.pairs.start, map->data.mapping.pairs.top, key);
	return p ? yamlmap_node(ym, p->value) : NULL;
}

/* A key given earlier in the same mapping (before upto), or NULL. */
static yaml_node_t *earlier_key(struct yamlmap *ym, const yaml_node_t *map,
				const yaml_node_pair_t *upto, const char *key)
{
	yaml_node_pair_t *p = find_pair(ym, map->data.mapping.pairs.start, upto, key);

	return p ? yamlmap_node(ym, p->key) : NULL;
}

void yamlmap_closer(const char *name, const char *candidate, const char **best, size_t *dist)
{
	size_t d = edit_distance(name, candidate);

	if (d < *dist && d < strlen(name)) {
		*best = candidate;
		*dist = d;
	}
}

static void *ptr_at(void *obj, size_t off)
{
	return (char *)obj + off;
}

static void load_fields(struct yamlmap *ym, yaml_node_t *node, const struct yamlmap_schema *s,
			void *obj, const char *label);

/* ---- scalar fields ------------------------------------------------------ */

static char *resolve_path(const struct yamlmap *ym, const char *p)
{
	const char *home = getenv("HOME");

	if (p[0] == '/')
		return xstrdup(p);
	if (p[0] == '~' && p[1] == '/' && home && *home)
		return xasprintf("%s%s", home, p + 1);
	return ym->dir ? xasprintf("%s%s", ym->dir, p) : xstrdup(p);
}

static void load_str(struct yamlmap *ym, const struct yamlmap_field *f, yaml_node_t *value,
		     void *obj, const char *what)
{
	const char *t = yamlmap_scalar(ym, value, what);

	if (!t)
		return;
	if (!*t && (f->flags & (YM_REQUIRED | YM_NONEMPTY)))
		yamlmap_problem(ym, value, "%s must not be empty", what);
	*(char **)ptr_at(obj, f->off) = f->kind == YM_F_PATH ? resolve_path(ym, t) : xstrdup(t);
	if (f->flags & YM_POS)
		*(struct cfg_pos *)ptr_at(obj, f->aux_off) = yamlmap_pos(value);
	if (f->ref)
		add_ref(ym, f->ref, t, what, value);
}

static void load_duration(struct yamlmap *ym, const struct yamlmap_field *f,
			  yaml_node_t *value, void *obj, const char *what)
{
	struct appt_err err = { "" };
	const char *t = yamlmap_scalar(ym, value, what);
	long v;

	if (!t)
		return;
	if (when_parse_duration_range(t, f->min, f->max, &v, &err) != APPT_OK) {
		yamlmap_problem(ym, value, "%s: %s", what, err.msg);
		return;
	}
	*(long *)ptr_at(obj, f->off) = v;
}

static void load_int(struct yamlmap *ym, const struct yamlmap_field *f, yaml_node_t *value,
		     void *obj, const char *what)
{
	const char *t = yamlmap_scalar(ym, value, what);
	char *end;
	long v;

	if (!t)
		return;
	errno = 0;
	v = strtol(t, &end, 10);
	if (!*t || *end || errno || v < INT_MIN || v > INT_MAX) {
		yamlmap_problem(ym, value, "%s: expected a whole number, found '%s'", what, t);
		return;
	}
	if (f->max && (v < f->min || v > f->max))
		yamlmap_problem(ym, value, "%s must be from %d to %ld, not %ld", what, f->min,
				f->max, v);
	else if (v < f->min)
		yamlmap_problem(ym, value, "%s must be at least %d", what, f->min);
	*(int *)ptr_at(obj, f->off) = (int)v;
}

static void load_money(struct yamlmap *ym, const struct yamlmap_field *f, yaml_node_t *value,
		       void *obj, const char *what)
{
	const char *t = yamlmap_scalar(ym, value, what);

	if (t && money_parse(t, (long long *)ptr_at(obj, f->off)))
		yamlmap_problem(ym, value, "%s: invalid amount '%s' (write 85 or 85.00)", what, t);
}

static void load_date(struct yamlmap *ym, const struct yamlmap_field *f, yaml_node_t *value,
		      void *obj, const char *what)
{
	const char *t = yamlmap_scalar(ym, value, what);

	if (t && date_parse_iso(t, (struct appt_date *)ptr_at(obj, f->off)))
		yamlmap_problem(ym, value, "%s: invalid date '%s' (write YYYY-MM-DD)", what, t);
}

static void load_strlist(struct yamlmap *ym, const struct yamlmap_field *f,
			 yaml_node_t *value, void *obj, const char *what)
{
	struct strlist *list = ptr_at(obj, f->off);
	yaml_node_item_t *it;

	if (!yamlmap_expect(ym, value, YAML_SEQUENCE_NODE, what))
		return;
	for (it = value->data.sequence.items.start; it < value->data.sequence.items.top; it++) {
		yaml_node_t *item = yamlmap_node(ym, *it);
		const char *t = yamlmap_scalar(ym, item, what);

		if (!t)
			continue;
		strlist_push(list, t);
		if (f->ref)
			add_ref(ym, f->ref, t, what, item);
	}
}

static void load_bool(struct yamlmap *ym, const struct yamlmap_field *f, yaml_node_t *value,
		      void *obj, const char *what)
{
	const char *t = yamlmap_scalar(ym, value, what);

	if (!t)
		return;
	if (!strcmp(t, "true") || !strcmp(t, "yes"))
		*(int *)ptr_at(obj, f->off) = 1;
	else if (!strcmp(t, "false") || !strcmp(t, "no"))
		*(int *)ptr_at(obj, f->off) = 0;
	else
		yamlmap_problem(ym, value, "%s: expected true or false, found '%s'", what, t);
}

/* ---- lists, maps and sections ------------------------------------------- */

static void *push_item(void *obj, const struct yamlmap_field *f)
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

static void load_item(struct yamlmap *ym, const struct yamlmap_schema *s, yaml_node_t *node,
		      void *obj, const char *label, struct cfg_pos pos)
{
	if (s->init)
		s->init(obj);
	if (s->has_pos)
		*(struct cfg_pos *)ptr_at(obj, s->pos_off) = pos;
	if (node->type == YAML_SCALAR_NODE && s->from_scalar && !is_null(node)) {
		s->from_scalar(ym, node, obj, label);
		return;
	}
	load_fields(ym, node, s, obj, label);
	if (s->finish && node->type == YAML_MAPPING_NODE)
		s->finish(ym, node, obj, label);
}

/* "service 'peel'", "outreach step 2 of program 'acne'". */
static char *item_label(struct yamlmap *ym, const struct yamlmap_schema *s, yaml_node_t *node,
			const char *name, size_t index, const char *parent)
{
	struct strbuf sb = STRBUF_INIT;
	yaml_node_t *id = s->id_key && node ? yamlmap_get(ym, node, s->id_key) : NULL;

	if (!name && id && id->type == YAML_SCALAR_NODE && !is_null(id))
		name = yamlmap_text(id);
	if (name)
		strbuf_addf(&sb, "%s '%s'", s->noun, name);
	else
		strbuf_addf(&sb, "%s %zu", s->noun, index + 1);
	if (*parent)
		strbuf_addf(&sb, " of %s", parent);
	return strbuf_detach(&sb);
}

static void load_list(struct yamlmap *ym, const struct yamlmap_field *f, yaml_node_t *value,
		      void *obj, const char *label, const char *what)
{
	yaml_node_item_t *it;

	if (!yamlmap_expect(ym, value, YAML_SEQUENCE_NODE, what))
		return;
	for (it = value->data.sequence.items.start; it < value->data.sequence.items.top; it++) {
		yaml_node_t *node = yamlmap_node(ym, *it);
		char *item_name = item_label(ym, f->schema, node, NULL,
					     (size_t)(it - value->data.sequence.items.start), label);

		load_item(ym, f->schema, node, push_item(obj, f), item_name, yamlmap_pos(node));
		free(item_name);
	}
}

static void load_map(struct yamlmap *ym, const struct yamlmap_field *f, yaml_node_t *value,
		     void *obj, const char *label, const char *what)
{
	yaml_node_pair_t *p;

	if (!yamlmap_expect(ym, value, YAML_MAPPING_NODE, what))
		return;
	for (p = value->data.mapping.pairs.start; p < value->data.mapping.pairs.top; p++) {
		yaml_node_t *key = yamlmap_node(ym, p->key), *prev;
		const char *name = yamlmap_scalar(ym, key, what);
		char *item_name;
		void *item;

		if (!name)
			continue;
		if ((prev = earlier_key(ym, value, p, name))) {
			yamlmap_problem(ym, key, "duplicate %s '%s' (first at line %d)",
					f->schema->noun, name, yamlmap_pos(prev).line);
			continue;
		}
		item = push_item(obj, f);
		*(char **)ptr_at(item, f->schema->key_off) = xstrdup(name);
		item_name = item_label(ym, f->schema, NULL, name, 0, label);
		load_item(ym, f->schema, yamlmap_node(ym, p->value), item, item_name,
			  yamlmap_pos(key));
		free(item_name);
	}
}

static void load_section(struct yamlmap *ym, const struct yamlmap_field *f, yaml_node_t *value,
			 void *obj, const char *label)
{
	char *sub = *label ? xasprintf("%s.%s", label, f->key) : xstrdup(f->key);

	load_item(ym, f->schema, value, ptr_at(obj, f->off), sub, yamlmap_pos(value));
	free(sub);
}

static void load_field(struct yamlmap *ym, const struct yamlmap_field *f, yaml_node_t *value,
		       void *obj, const char *label)
{
	char *what = *label ? xasprintf("'%s' in %s", f->key, label) : xasprintf("'%s'", f->key);

	switch (f->kind) {
	case YM_F_STR:
	case YM_F_PATH: load_str(ym, f, value, obj, what); break;
	case YM_F_DURATION: load_duration(ym, f, value, obj, what); break;
	case YM_F_INT: load_int(ym, f, value, obj, what); break;
	case YM_F_MONEY: load_money(ym, f, value, obj, what); break;
	case YM_F_DATE: load_date(ym, f, value, obj, what); break;
	case YM_F_STRLIST: load_strlist(ym, f, value, obj, what); break;
	case YM_F_BOOL: load_bool(ym, f, value, obj, what); break;
	case YM_F_SECTION: load_section(ym, f, value, obj, label); break;
	case YM_F_LIST: load_list(ym, f, value, obj, label, what); break;
	case YM_F_MAP: load_map(ym, f, value, obj, label, what); break;
	case YM_F_CUSTOM: f->type->load(ym, value, ptr_at(obj, f->off), what); break;
	}
	free(what);
}

static const struct yamlmap_field *find_field(const struct yamlmap_schema *s, const char *key)
{
	for (const struct yamlmap_field *f = s->fields; f->key; f++)
		if (!strcmp(f->key, key))
			return f;
	return NULL;
}

static void unknown_key(struct yamlmap *ym, const struct yamlmap_schema *s, yaml_node_t *key,
			const char *label)
{
	const char *near = NULL;
	size_t near_d = YAMLMAP_TYPO_MAX;
	char hint[128] = "";

	for (const struct yamlmap_field *f = s->fields; f->key; f++)
		yamlmap_closer(yamlmap_text(key), f->key, &near, &near_d);
	if (near)
		snprintf(hint, sizeof(hint), " (did you mean '%s'?)", near);
	if (*label)
		yamlmap_problem(ym, key, "unknown key '%s' in %s%s", yamlmap_text(key), label, hint);
	else
		yamlmap_problem(ym, key, "unknown top-level key '%s'%s", yamlmap_text(key), hint);
}

/* One key: value pair of a mapping the schema describes. */
static void load_pair(struct yamlmap *ym, const struct yamlmap_schema *s, yaml_node_t *map,
		      yaml_node_pair_t *p, void *obj, const char *label)
{
	yaml_node_t *key = yamlmap_node(ym, p->key), *value = yamlmap_node(ym, p->value), *prev;
	const struct yamlmap_field *f;

	if (!yamlmap_scalar(ym, key, *label ? label : "top level"))
		return;
	if (!(f = find_field(s, yamlmap_text(key)))) {
		unknown_key(ym, s, key, label);
	} else if ((prev = earlier_key(ym, map, p, f->key))) {
		yamlmap_problem(ym, key, "key '%s' given twice in %s (first at line %d)", f->key,
				*label ? label : "the file", yamlmap_pos(prev).line);
	} else if (is_null(value)) {
		if (f->flags & YM_REQUIRED)
			yamlmap_problem(ym, value, "missing value for '%s' in %s", f->key,
					*label ? label : "the file");
	} else {
		load_field(ym, f, value, obj, label);
	}
}

static void load_fields(struct yamlmap *ym, yaml_node_t *node, const struct yamlmap_schema *s,
			void *obj, const char *label)
{
	yaml_node_pair_t *p;

	if (!yamlmap_expect(ym, node, YAML_MAPPING_NODE, *label ? label : "the file"))
		return;
	for (p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; p++)
		load_pair(ym, s, node, p, obj, label);
	for (const struct yamlmap_field *f = s->fields; f->key; f++)
		if ((f->flags & YM_REQUIRED) && !yamlmap_get(ym, node, f->key))
			yamlmap_problem(ym, node, "missing key '%s' in %s", f->key,
					*label ? label : "the file");
}

/* ---- freeing, driven by the same tables --------------------------------- */

static void free_items(const struct yamlmap_field *f, void *obj)
{
	size_t nr = *(size_t *)ptr_at(obj, f->aux_off);
	char *items;

	memcpy(&items, ptr_at(obj, f->off), sizeof(items));
	for (size_t i = 0; i < nr; i++) {
		void *item = items + i * f->schema->size;

		yamlmap_free_fields(f->schema, item);
		if (f->schema->has_key)
			free(*(char **)ptr_at(item, f->schema->key_off));
	}
	free(items);
}

void yamlmap_free_fields(const struct yamlmap_schema *s, void *obj)
{
	for (const struct yamlmap_field *f = s->fields; f->key; f++) {
		void *dst = ptr_at(obj, f->off);

		switch (f->kind) {
		case YM_F_STR:
		case YM_F_PATH: free(*(char **)dst); break;
		case YM_F_STRLIST: strlist_clear(dst); break;
		case YM_F_SECTION: yamlmap_free_fields(f->schema, dst); break;
		case YM_F_LIST:
		case YM_F_MAP: free_items(f, obj); break;
		case YM_F_CUSTOM: if (f->type->release) f->type->release(dst); break;
		default: break;
		}
	}
}

/* ---- reading and parsing the file --------------------------------------- */

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
static void yaml_problem(struct yamlmap *ym, const yaml_parser_t *parser, const char *input)
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
	yamlmap_problem_at(ym, pos, "%s", sb.buf);
	strbuf_release(&sb);
}

static int parse_document(struct yamlmap *ym, const struct strbuf *input)
{
	yaml_parser_t parser;
	int ok;

	if (!yaml_parser_initialize(&parser))
		abort(); /* only fails on allocation, like xmalloc */
	yaml_parser_set_input_string(&parser, (const unsigned char *)strbuf_str(input),
				     input->len);
	ok = yaml_parser_load(&parser, &ym->doc);
	if (!ok)
		yaml_problem(ym, &parser, strbuf_str(input));
	yaml_parser_delete(&parser);
	return ok;
}

static void load_root(struct yamlmap *ym, const struct yamlmap_file *file, void *obj)
{
	yaml_node_t *root = yaml_document_get_root_node(&ym->doc);
	struct cfg_pos start = { 1, 1 };

	if (!root) {
		yamlmap_problem_at(ym, start, "%s", file->empty);
		return;
	}
	load_fields(ym, root, file->schema, obj, "");
	if (file->finish)
		file->finish(ym, obj);
}

/* ---- handing out problems ---------------------------------------------- */

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
static void hand_out_problems(struct yamlmap *ym, struct strlist *problems,
			      struct appt_err *err)
{
	if (ym->nr_problems > 1)
		qsort(ym->problems, ym->nr_problems, sizeof(*ym->problems), problem_cmp);
	for (size_t i = 0; i < ym->nr_problems; i++) {
		const struct problem *p = &ym->problems[i];
		char *line = xasprintf("%s:%d:%d: %s", ym->path, p->pos.line, p->pos.column,
				       p->msg);

		if (!i)
			appt_fail(err, APPT_CONFIG, "%s", line);
		if (problems)
			strlist_push(problems, line);
		free(line);
	}
}

static void yamlmap_release(struct yamlmap *ym)
{
	for (size_t i = 0; i < ym->nr_problems; i++)
		free(ym->problems[i].msg);
	free(ym->problems);
	for (size_t i = 0; i < ym->nr_refs; i++) {
		free(ym->refs[i].name);
		free(ym->refs[i].what);
	}
	free(ym->refs);
	free(ym->dir);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? xstrndup(path, (size_t)(slash - path) + 1) : NULL;
}

enum appt_status yamlmap_load(const char *path, const struct yamlmap_file *file, void *obj,
			      struct strlist *problems, struct appt_err *err)
{
	struct yamlmap ym = { .path = path };
	struct strbuf input = STRBUF_INIT;
	enum appt_status status;

	if ((status = read_file(path, &input, err)) != APPT_OK) {
		strbuf_release(&input);
		return status;
	}
	ym.dir = dir_of(path);
	if (parse_document(&ym, &input)) {
		load_root(&ym, file, obj);
		yaml_document_delete(&ym.doc);
	}
	strbuf_release(&input);
	status = ym.nr_problems ? APPT_CONFIG : APPT_OK;
	hand_out_problems(&ym, problems, err);
	yamlmap_release(&ym);
	return status;
}
