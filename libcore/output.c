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
	const struct output_column *cols;
	size_t ncols;
	unsigned flags;
	size_t nrows;
	/* table only: every line (header first), row-major, and column widths */
	char **cells;
	size_t alloc; /* lines stored */
	size_t *width;
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

/* A spreadsheet would run these as formulas (CWE-1236). */
static int looks_like_formula(const char *cell)
{
	return cell[0] && strchr("=+-@\t\r", cell[0]) != NULL;
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
	neutralise = neutralise && looks_like_formula(cell);
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

/* Table lines held until the end, so that columns can be aligned. */
static void table_store(struct output *o, const char *const *cells)
{
	o->cells = xreallocarray(o->cells, (o->alloc + 1) * o->ncols, sizeof(char *));
	for (size_t i = 0; i < o->ncols; i++) {
		const char *text = cells[i] ? cells[i] : "";
		size_t w;

		if (o->alloc && o->cols[i].type == COL_BOOL)
			text = strcmp(text, "1") ? "" : "yes";
		/* A table is for a terminal: no stored escape sequence reaches it. */
		o->cells[o->alloc * o->ncols + i] = text_for_terminal(text);
		w = utf8_width(o->cells[o->alloc * o->ncols + i]);
		if (w > o->width[i])
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
	o->cols = cols;
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

static size_t terminal_width(FILE *fp)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");

	if (env && atoi(env) > 0)
		return (size_t)atoi(env);
	if (isatty(fileno(fp)) && !ioctl(fileno(fp), TIOCGWINSZ, &ws) && ws.ws_col)
		return ws.ws_col;
	return 0;
}

/* Narrows the widest columns until the table fits the terminal. */
static void fit_widths(struct output *o)
{
	size_t limit = terminal_width(o->fp), total = 0;

	if (!limit)
		return;
	for (size_t i = 0; i < o->ncols; i++)
		total += o->width[i] + (i ? 2 : 0);
	while (total > limit) {
		size_t widest = 0;
		for (size_t i = 1; i < o->ncols; i++)
			if (o->width[i] > o->width[widest])
				widest = i;
		if (o->width[widest] <= 8)
			break;
		o->width[widest]--;
		total--;
	}
}

/* Prints text in exactly width columns, cutting with an ellipsis. */
static void print_cell(FILE *fp, const char *text, size_t width, int pad)
{
	size_t w = utf8_width(text);

	if (w <= width) {
		fputs(text, fp);
		if (pad)
			fprintf(fp, "%*s", (int)(width - w), "");
		return;
	}
	for (const char *p = text; *p;) {
		const char *next = p + 1;
		while ((*next & 0xc0) == 0x80)
			next++;
		char *part = xstrndup(text, (size_t)(next - text));
		size_t pw = utf8_width(part);
		free(part);
		if (pw + 1 > width) {
			fwrite(text, 1, (size_t)(p - text), fp);
			fputs("\u2026", fp);
			w = utf8_width(text) - utf8_width(p);
			if (pad)
				fprintf(fp, "%*s", (int)(width - w - 1), "");
			return;
		}
		p = next;
	}
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
	free(o);
	return failed ? -1 : 0;
}
