#include "output.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util.h"

struct output {
	FILE *fp;
	enum output_format format;
	struct output_column *cols; /* a copy: callers may build theirs on the stack */
	size_t ncols;
	unsigned flags;
	size_t nrows;
	/* table only: every line (header first), row-major, and column widths */
	char **cells;
	size_t alloc; /* lines stored */
	size_t *width;
	size_t *data_width; /* the widest cell under the header */
	/* json only: each column's name encoded by jansson, once */
	char **json_keys;
};

enum output_format output_default_format(void)
{
	return isatty(STDOUT_FILENO) ? OUTPUT_TABLE : OUTPUT_CSV;
}

int output_parse_format(const char *s, enum output_format *out)
{
	static const char *const names[] = { "table", "csv", "json" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i])) {
			*out = (enum output_format)i;
			return 0;
		}
	}
	return -1;
}

void output_csv_cell(FILE *fp, const char *cell, int neutralise)
{
	char *repaired;
	int quote;

	if (!cell)
		return;
	/* CSV is UTF-8: bytes an older appt stored unchecked would make it unreadable. */
	if (!utf8_valid(cell, strlen(cell))) {
		repaired = text_repair_utf8(cell);
		output_csv_cell(fp, repaired, neutralise);
		free(repaired);
		return;
	}
	quote = strpbrk(cell, ",\"\r\n") != NULL;
	neutralise = neutralise && text_is_formula_like(cell);
	if (quote || neutralise)
		fputc('"', fp);
	if (neutralise)
		fputc('\'', fp);
	/* Runs between quotes go out whole; each quote is doubled. */
	for (const char *p = cell; *p;) {
		size_t run = strcspn(p, "\"");

		fwrite(p, 1, run, fp);
		p += run;
		if (*p == '"') {
			fputs("\"\"", fp);
			p++;
		}
	}
	if (quote || neutralise)
		fputc('"', fp);
}

static void csv_row(struct output *o, const char *const *cells, int header)
{
	for (size_t i = 0; i < o->ncols; i++) {
		/* a credit's "-43.40" is a number, not a formula */
		int neutralise = !header && o->cols[i].type == COL_TEXT &&
				 !(o->flags & OUTPUT_RAW_CELLS);
		if (i)
			fputc(',', o->fp);
		output_csv_cell(o->fp, cells[i], neutralise);
	}
	fputs("\r\n", o->fp);
}

/*
 * jansson refuses text that is not UTF-8 (json_string gives NULL, written
 * as null): an older appt stored such bytes unchecked, and a reader must
 * still show the rest.  Invalid bytes become U+FFFD.
 */
json_t *output_json_text(const char *s)
{
	char *repaired;
	json_t *v;

	if (!s)
		return json_null();
	if ((v = json_string(s)))
		return v;
	repaired = text_repair_utf8(s);
	v = json_string(repaired);
	free(repaired);
	return v ? v : json_null();
}

/*
 * An audit snapshot is JSON text (SQLite's json_object passes invalid
 * bytes through): parsed once repaired, kept as a string if it is not JSON.
 */
json_t *output_json_snapshot(const char *text)
{
	char *repaired;
	json_t *v;

	if (!text)
		return json_null();
	repaired = text_repair_utf8(text);
	v = json_loads(repaired, JSON_DECODE_ANY, NULL);
	free(repaired);
	return v ? v : output_json_text(text);
}

/*
 * A row is written member by member, the strings encoded by jansson: a
 * json_t object per row cost a report of a year's appointments more than
 * its query.
 */
static void json_dump_text(FILE *fp, json_t *v)
{
	if (!v) {
		fputs("null", fp);
		return;
	}
	json_dumpf(v, fp, JSON_ENCODE_ANY | JSON_COMPACT);
	json_decref(v);
}

static void json_value(FILE *fp, const struct output_column *col, const char *cell)
{
	if (!cell) {
		fputs("null", fp);
		return;
	}
	switch (col->type) {
	case COL_INT:
		fprintf(fp, "%lld", strtoll(cell, NULL, 10));
		return;
	case COL_BOOL:
		fputs(strcmp(cell, "1") ? "false" : "true", fp);
		return;
	case COL_RAW:
		json_dump_text(fp, output_json_snapshot(cell));
		return;
	case COL_TEXT:
	case COL_MONEY:
		break;
	}
	json_dump_text(fp, output_json_text(cell));
}

static void json_row(struct output *o, const char *const *cells)
{
	fputs(o->nrows ? ",\n  {" : "  {", o->fp);
	for (size_t i = 0; i < o->ncols; i++) {
		if (i)
			fputc(',', o->fp);
		fputs(o->json_keys[i], o->fp);
		json_value(o->fp, &o->cols[i], cells[i]);
	}
	fputc('}', o->fp);
}

static void json_begin(struct output *o)
{
	o->json_keys = xcalloc(o->ncols, sizeof(*o->json_keys));
	for (size_t i = 0; i < o->ncols; i++) {
		json_t *name = json_string(o->cols[i].name);
		char *text = json_dumps(name, JSON_ENCODE_ANY);

		o->json_keys[i] = xasprintf("%s:", text);
		free(text);
		json_decref(name);
	}
	fputs("[\n", o->fp);
}

/*
 * A table cell is one line of text: a newline or tab in the data (a message
 * body, a pasted note) shows as a space, and any other control character or
 * invalid byte as U+FFFD, so nothing breaks the alignment or drives the
 * terminal.
 */
static char *table_text(const char *text)
{
	char *flat = xstrdup(text), *line;

	for (char *p = flat; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	/* no stored escape sequence reaches a terminal */
	line = text_for_terminal(flat);
	free(flat);
	return line;
}

/* Table lines held until the end, so that columns can be aligned. */
static void table_store(struct output *o, const char *const *cells)
{
	o->cells = xreallocarray(o->cells, (o->alloc + 1) * o->ncols, sizeof(char *));
	for (size_t i = 0; i < o->ncols; i++) {
		const char *text = cells[i] ? cells[i] : "";
		char *line;
		size_t w;

		if (o->alloc && o->cols[i].type == COL_BOOL)
			text = strcmp(text, "1") ? "" : "yes";
		line = table_text(text);
		o->cells[o->alloc * o->ncols + i] = line;
		w = utf8_width(line);
		if (o->alloc && w > o->data_width[i])
			o->data_width[i] = w;
		/* a header that is not printed takes no room */
		if ((o->alloc || !(o->flags & OUTPUT_NO_HEADER)) && w > o->width[i])
			o->width[i] = w;
	}
	o->alloc++;
}

struct output *output_begin(FILE *fp, enum output_format format,
			    const struct output_column *cols, size_t ncols,
			    unsigned flags)
{
	struct output *o = xcalloc(1, sizeof(*o));
	const char **names = xcalloc(ncols, sizeof(*names));

	o->fp = fp;
	o->format = format;
	o->cols = xcalloc(ncols ? ncols : 1, sizeof(*o->cols));
	if (ncols)
		memcpy(o->cols, cols, ncols * sizeof(*cols));
	o->ncols = ncols;
	o->flags = flags;
	for (size_t i = 0; i < ncols; i++)
		names[i] = cols[i].name;
	if (format == OUTPUT_CSV && !(flags & OUTPUT_NO_HEADER))
		csv_row(o, names, 1);
	else if (format == OUTPUT_JSON)
		json_begin(o);
	else if (format == OUTPUT_TABLE) {
		o->width = xcalloc(ncols, sizeof(*o->width));
		o->data_width = xcalloc(ncols, sizeof(*o->data_width));
		table_store(o, names);
	}
	free(names);
	return o;
}

void output_row(struct output *o, const char *const *cells)
{
	switch (o->format) {
	case OUTPUT_CSV:
		csv_row(o, cells, 0);
		break;
	case OUTPUT_JSON:
		json_row(o, cells);
		break;
	case OUTPUT_TABLE:
		table_store(o, cells);
		break;
	}
	o->nrows++;
}

/* $COLUMNS, else the terminal's width; 0 (no limit) when neither is known. */
static size_t terminal_width(FILE *fp)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	char *end;
	long n;

	if (env && *env) {
		n = strtol(env, &end, 10);
		if (!*end && n > 0)
			return (size_t)n;
	}
	if (fileno(fp) >= 0 && isatty(fileno(fp)) &&
	    !ioctl(fileno(fp), TIOCGWINSZ, &ws) && ws.ws_col)
		return ws.ws_col;
	return 0;
}

/* A header cut as a last resort keeps this much: three letters and "…". */
#define HEADER_MIN 4

static size_t at_most(size_t floor, size_t width)
{
	return floor < width ? floor : width;
}

static size_t at_least(size_t a, size_t b)
{
	return a > b ? a : b;
}

/*
 * How narrow column i may get.  First (last_resort 0) only shrinkable text
 * gives way, down to its header or OUTPUT_SHRINK_MIN.  When that is not
 * enough, headers wider than their data are cut too (a whole column's data
 * never is), and shrinkable text goes down to OUTPUT_SHRINK_MIN.
 */
static size_t narrowest(const struct output *o, size_t i, int last_resort)
{
	size_t header = (o->flags & OUTPUT_NO_HEADER) ? 0 : utf8_width(o->cells[i]);

	if (o->cols[i].fit == FIT_SHRINK)
		return at_most(last_resort ? OUTPUT_SHRINK_MIN
					   : at_least(header, OUTPUT_SHRINK_MIN), o->width[i]);
	if (!last_resort)
		return o->width[i];
	return at_most(at_least(o->data_width[i], HEADER_MIN), o->width[i]);
}

/*
 * Takes columns from the widest column still above its floor, the
 * rightmost of equals (later columns say less), so that long texts end up
 * sharing the room evenly, until the table fits or nothing can give.
 */
static void shrink_widest(struct output *o, const size_t *floor, size_t *total,
			  size_t limit)
{
	while (*total > limit) {
		long pick = -1;

		for (size_t i = 0; i < o->ncols; i++)
			if (o->width[i] > floor[i] &&
			    (pick < 0 || o->width[i] >= o->width[pick]))
				pick = (long)i;
		if (pick < 0)
			return;
		o->width[pick]--;
		(*total)--;
	}
}

/* Sets floor[] for the pass; returns the width of the table at its floors. */
static size_t floors(const struct output *o, int last_resort, size_t *floor)
{
	size_t total = 0;

	for (size_t i = 0; i < o->ncols; i++) {
		floor[i] = narrowest(o, i, last_resort);
		total += floor[i] + (i ? 2 : 0);
	}
	return total;
}

/*
 * Narrows columns until the table fits the terminal, gentlest cuts first.
 * Headers are cut only when that makes the table fit: a table too wide
 * anyway keeps them readable.
 */
static void fit_widths(struct output *o)
{
	size_t limit = terminal_width(o->fp), total = 0;
	size_t *floor;

	if (!limit || (o->flags & OUTPUT_WIDE))
		return;
	floor = xcalloc(o->ncols, sizeof(*floor));
	for (size_t i = 0; i < o->ncols; i++)
		total += o->width[i] + (i ? 2 : 0);
	floors(o, 0, floor);
	shrink_widest(o, floor, &total, limit);
	if (total > limit && floors(o, 1, floor) <= limit)
		shrink_widest(o, floor, &total, limit);
	free(floor);
}

/* Prints text in exactly width columns (pad: with trailing blanks), cut with an ellipsis. */
static void print_cell(FILE *fp, const char *text, size_t width, int pad)
{
	size_t w = utf8_width(text), len;

	if (w > width) {
		/* width is at least HEADER_MIN here: room for the ellipsis */
		len = utf8_fit(text, width - 1, &w);
		fwrite(text, 1, len, fp);
		fputs("\u2026", fp);
		w++;
	} else {
		fputs(text, fp);
	}
	if (pad && w < width)
		fprintf(fp, "%*s", (int)(width - w), "");
}

/* Lines are built whole so that an empty last cell leaves no trailing blanks. */
static void table_line(struct output *o, size_t r, struct strbuf *line)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&buf, &size);

	for (size_t i = 0; i < o->ncols; i++) {
		if (i)
			fputs("  ", mem);
		print_cell(mem, o->cells[r * o->ncols + i], o->width[i], i + 1 < o->ncols);
	}
	fclose(mem);
	while (size && buf[size - 1] == ' ')
		size--;
	strbuf_reset(line);
	strbuf_add(line, buf, size);
	free(buf);
}

static void table_flush(struct output *o)
{
	size_t first = (o->flags & OUTPUT_NO_HEADER) ? 1 : 0;
	struct strbuf line = STRBUF_INIT;

	fit_widths(o);
	for (size_t r = first; r < o->alloc; r++) {
		table_line(o, r, &line);
		fprintf(o->fp, "%s\n", line.buf);
	}
	strbuf_release(&line);
	for (size_t k = 0; k < o->alloc * o->ncols; k++)
		free(o->cells[k]);
	free(o->cells);
	free(o->width);
	free(o->data_width);
}

int output_end(struct output *o)
{
	int failed;

	if (o->format == OUTPUT_TABLE)
		table_flush(o);
	else if (o->format == OUTPUT_JSON)
		fputs(o->nrows ? "\n]\n" : "]\n", o->fp);
	failed = fflush(o->fp) || ferror(o->fp);
	for (size_t i = 0; o->json_keys && i < o->ncols; i++)
		free(o->json_keys[i]);
	free(o->json_keys);
	free(o->cols);
	free(o);
	return failed ? -1 : 0;
}
