#include "import.h"

#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "import_priv.h"

/* How often the progress callback runs, in records. */
#define PROGRESS_EVERY 256
/*
 * The page cache for the import's one long transaction: big enough that
 * index pages are not spilled to the WAL and read back, small enough to
 * keep the whole process well under 32 MB.
 */
#define IMPORT_CACHE_KB 12288

const char *const import_field_names[F_COUNT] = {
	"name", "client", "phone", "email", "channel", "program", "service",
	"provider", "start", "end", "status", "notes", "external_id",
};

#define BIT(f) (1u << (f))

struct kind_def {
	const char *name;
	enum field fields[F_COUNT]; /* in the documented order, F_NONE-ended */
	unsigned required;          /* columns that must be present */
	unsigned one_of;            /* at least one of these columns */
	enum appt_status (*row)(struct importer *im, struct appt_err *err);
};

static const struct kind_def kinds[] = {
	[IMPORT_CLIENTS] = {
		"clients",
		{ F_NAME, F_PHONE, F_EMAIL, F_CHANNEL, F_NOTES, F_PROGRAM,
		  F_EXTERNAL_ID, F_NONE },
		BIT(F_NAME), 0, import_client_row,
	},
	[IMPORT_APPOINTMENTS] = {
		"appointments",
		{ F_CLIENT, F_PHONE, F_EMAIL, F_SERVICE, F_PROVIDER, F_START,
		  F_END, F_STATUS, F_NOTES, F_EXTERNAL_ID, F_NONE },
		BIT(F_SERVICE) | BIT(F_START),
		BIT(F_CLIENT) | BIT(F_PHONE) | BIT(F_EMAIL), import_appointment_row,
	},
};

/* The file being read: how its columns map, and how far it has got. */
struct reading {
	struct importer im;
	const struct kind_def *kind;
	enum field *columns;  /* per column: its field, or F_NONE */
	size_t nr_columns;
	int header_bad;       /* records are only checked for CSV problems */
	int header_seen;
	size_t records;
	size_t consumed;
	struct appt_err fatal; /* why the database stopped the import */
};

/* ---- fields and maps ---- */

static enum field field_of(const struct kind_def *k, const char *name)
{
	for (size_t i = 0; k->fields[i] != F_NONE; i++)
		if (str_ieq(name, import_field_names[k->fields[i]]))
			return k->fields[i];
	return F_NONE;
}

static void list_fields(const struct kind_def *k, struct strbuf *out)
{
	for (size_t i = 0; k->fields[i] != F_NONE; i++)
		strbuf_addf(out, "%s%s", i ? ", " : "", import_field_names[k->fields[i]]);
}

int import_parse_kind(const char *s, enum import_kind *out)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!strcmp(s, kinds[i].name)) {
			*out = (enum import_kind)i;
			return 0;
		}
	}
	return -1;
}

enum appt_status import_parse_map(enum import_kind kind, const char *arg,
				  struct import_map *out, struct appt_err *err)
{
	const struct kind_def *k = &kinds[kind];
	const char *eq = strrchr(arg, '=');
	struct strbuf known = STRBUF_INIT;
	enum appt_status status;

	if (!eq || eq == arg)
		return appt_fail(err, APPT_USAGE,
				 "invalid --map '%s' (expected COLUMN=FIELD)", arg);
	if (field_of(k, eq + 1) != F_NONE) {
		out->column = xstrndup(arg, (size_t)(eq - arg));
		out->field = xstrdup(eq + 1);
		return APPT_OK;
	}
	list_fields(k, &known);
	status = appt_fail(err, APPT_USAGE, "invalid --map '%s': %s has no field '%s' (fields: %s)",
			   arg, k->name, eq + 1, known.buf);
	strbuf_release(&known);
	return status;
}

void import_map_release(struct import_map *map)
{
	free(map->column);
	free(map->field);
	map->column = map->field = NULL;
}

void import_result_release(struct import_result *res)
{
	strlist_clear(&res->errors);
	memset(res, 0, sizeof(*res));
}

/* ---- errors ---- */

static void line_error(struct reading *r, size_t line, const char *msg)
{
	struct import_result *res = r->im.res;
	char *full;

	if (res->nr_errors++ >= IMPORT_MAX_ERRORS)
		return;
	full = xasprintf("%s:%zu: %s", r->im.opt->name, line, msg);
	strlist_push(&res->errors, full);
	free(full);
}

__attribute__((format(printf, 3, 4)))
static void header_error(struct reading *r, size_t line, const char *fmt, ...)
{
	struct appt_err err;
	va_list ap;

	va_start(ap, fmt);
	appt_vfail(&err, APPT_DATAERR, fmt, ap);
	va_end(ap);
	line_error(r, line, err.msg);
	r->header_bad = 1;
}

/* ---- the header ---- */

/* Surrounding spaces are no part of a name or a value. */
static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*end = '\0';
	return s;
}

static const struct import_map *map_for(struct reading *r, const char *column,
					 size_t *index)
{
	for (size_t i = 0; i < r->im.opt->nr_maps; i++) {
		if (str_ieq(r->im.opt->maps[i].column, column)) {
			*index = i;
			return &r->im.opt->maps[i];
		}
	}
	return NULL;
}

static void unknown_column(struct reading *r, size_t line, const char *name)
{
	struct strbuf known = STRBUF_INIT;

	list_fields(r->kind, &known);
	header_error(r, line,
		     "unknown column '%s' (%s columns: %s); use --map '%s=FIELD' or --ignore-unknown",
		     name, r->kind->name, known.buf, name);
	strbuf_release(&known);
}

static void place_column(struct reading *r, size_t line, size_t i,
			 const char *name, int *used_maps, size_t *first_col)
{
	size_t m = 0;
	const struct import_map *map = map_for(r, name, &m);
	enum field f = field_of(r->kind, map ? map->field : name);

	if (map)
		used_maps[m] = 1;
	if (f == F_NONE) {
		if (!r->im.opt->ignore_unknown)
			unknown_column(r, line, name);
		return;
	}
	if (first_col[f]) {
		header_error(r, line, "columns %zu and %zu both give %s",
			     first_col[f], i + 1, import_field_names[f]);
		return;
	}
	first_col[f] = i + 1;
	r->columns[i] = f;
}

static void check_needed(struct reading *r, size_t line, const size_t *first_col)
{
	const struct kind_def *k = r->kind;
	unsigned have = 0;

	for (int f = 0; f < F_COUNT; f++)
		if (first_col[f])
			have |= BIT(f);
	for (int f = 0; f < F_COUNT; f++)
		if ((k->required & BIT(f)) && !(have & BIT(f)))
			header_error(r, line, "no %s column: %s need one",
				     import_field_names[f], k->name);
	if (k->one_of && !(have & k->one_of))
		header_error(r, line, "no client, phone or email column: %s need one to find the client",
			     k->name);
}

static void check_maps_used(struct reading *r, size_t line, const int *used)
{
	for (size_t i = 0; i < r->im.opt->nr_maps; i++)
		if (!used[i])
			header_error(r, line, "--map '%s=%s': the header has no column '%s'",
				     r->im.opt->maps[i].column, r->im.opt->maps[i].field,
				     r->im.opt->maps[i].column);
}

static void read_header(struct reading *r, const struct csv_record *rec)
{
	size_t first_col[F_COUNT] = { 0 };
	int *used = xcalloc(r->im.opt->nr_maps + 1, sizeof(*used));

	r->header_seen = 1;
	r->nr_columns = rec->nr;
	r->columns = xreallocarray(NULL, rec->nr ? rec->nr : 1, sizeof(*r->columns));
	for (size_t i = 0; i < rec->nr; i++) {
		r->columns[i] = F_NONE;
		if (!rec->problem)
			place_column(r, rec->line, i, trim(rec->fields[i]), used, first_col);
	}
	if (rec->problem) {
		header_error(r, rec->line, "%s", rec->problem);
	} else {
		check_needed(r, rec->line, first_col);
		check_maps_used(r, rec->line, used);
	}
	free(used);
}

/* ---- records ---- */

/*
 * An export neutralises a cell a spreadsheet would run as a formula by
 * putting a quote before it; taking it off again lets an export be
 * imported as it is.
 */
static char *unneutralise(char *s)
{
	return s[0] == '\'' && text_is_formula_like(s + 1) ? s + 1 : s;
}

static void fill_values(struct reading *r, const struct csv_record *rec)
{
	memset(r->im.val, 0, sizeof(r->im.val));
	for (size_t i = 0; i < rec->nr && i < r->nr_columns; i++) {
		enum field f = r->columns[i];
		char *v;

		if (f == F_NONE)
			continue;
		v = unneutralise(f == F_NOTES ? rec->fields[i] : trim(rec->fields[i]));
		r->im.val[f] = *v ? v : NULL;
	}
}

/* Every cell is free text entering the database: only notes span lines. */
static enum appt_status check_cells(const struct importer *im, struct appt_err *err)
{
	enum appt_status status = APPT_OK;

	for (int f = 0; !status && f < F_COUNT; f++)
		status = text_check(import_field_names[f], im->val[f], f == F_NOTES, err);
	return status;
}

static void report_progress(struct reading *r)
{
	struct import_progress p = { r->records, r->consumed };

	if (r->im.opt->progress)
		r->im.opt->progress(&p, r->im.opt->progress_data);
}

/* The database failing ends the import; anything else is the record's fault. */
static int fatal(enum appt_status status)
{
	return status == APPT_IOERR || status == APPT_TEMPFAIL;
}

static enum appt_status on_record(const struct csv_record *rec, void *data)
{
	struct reading *r = data;
	struct appt_err err = { "" };
	enum appt_status status;

	if (!rec->index) {
		read_header(r, rec);
		return APPT_OK;
	}
	r->consumed = rec->consumed;
	if (++r->records % PROGRESS_EVERY == 0)
		report_progress(r);
	if (rec->problem) {
		line_error(r, rec->line, rec->problem);
		return APPT_OK;
	}
	if (r->header_bad)
		return APPT_OK;
	fill_values(r, rec);
	status = check_cells(&r->im, &err);
	if (!status)
		status = r->kind->row(&r->im, &err);
	if (fatal(status)) {
		r->fatal = err;
		return status;
	}
	if (status)
		line_error(r, rec->line, err.msg[0] ? err.msg : appt_status_name(status));
	return APPT_OK;
}

/* ---- the run ---- */

static void reading_release(struct reading *r)
{
	import_calendar_free(r->im.calendar);
	client_cache_release(&r->im.clients);
	free(r->columns);
}

static enum appt_status set_cache_size(struct appt_db *db, struct appt_err *err)
{
	return db_set_cache(db, IMPORT_CACHE_KB, err);
}

static enum appt_status read_records(struct reading *r, FILE *fp,
				     struct appt_err *err)
{
	struct csv_failure fail;
	enum appt_status status = csv_read(fp, on_record, r, &fail);

	if (status == APPT_DATAERR && fail.line) {
		line_error(r, fail.line, fail.err.msg);
		return APPT_OK;
	}
	if (status)
		*err = fail.err.msg[0] ? fail.err : r->fatal;
	if (!status && !r->header_seen)
		line_error(r, 1, "no header row: the input is empty");
	return status;
}

static enum appt_status finish(struct reading *r, enum appt_status status,
			       struct appt_err *err)
{
	struct import_result *res = r->im.res;

	if (!status && res->nr_errors)
		status = appt_fail(err, APPT_DATAERR, "%zu error%s; nothing was imported",
				   res->nr_errors, res->nr_errors == 1 ? "" : "s");
	if (!status && !r->im.opt->dry_run)
		return db_commit(r->im.s->db, err);
	db_rollback(r->im.s->db);
	return status;
}

enum appt_status import_run(struct appt_session *s, FILE *fp,
			    const struct import_options *opt,
			    struct import_result *res, struct appt_err *err)
{
	struct reading r = {
		.im = { .s = s, .opt = opt, .res = res },
		.kind = &kinds[opt->kind],
	};
	enum appt_status status;

	memset(res, 0, sizeof(*res));
	status = set_cache_size(s->db, err);
	if (!status)
		status = db_begin_write(s->db, err);
	if (!status) {
		status = read_records(&r, fp, err);
		report_progress(&r);
		status = finish(&r, status, err);
	}
	reading_release(&r);
	return status;
}
