/*
 * output: rows as an aligned table, RFC 4180 CSV or JSON.  Listing commands
 * describe their columns once and hand over rows; CSV and JSON stream (memory
 * stays flat however many rows), a table buffers to align its columns.
 *
 * A table fits the terminal: at most $COLUMNS wide, else the width of the
 * terminal it is written to, unlimited when neither is known (a pipe).
 * FIT_SHRINK columns give way first, the widest first, each down to its
 * header or OUTPUT_SHRINK_MIN columns, cut with an ellipsis; when that is
 * not enough, headers wider than their column's data are cut too (never the
 * data of a FIT_WHOLE column), if that makes the table fit.  A table whose
 * whole columns alone are wider is printed as narrow as that allows, its
 * headers whole.  OUTPUT_WIDE (--wide) cuts nothing.  Every cell of a table
 * is one line: control characters (a newline in a message body) show as
 * spaces.  CSV and JSON are never shortened.
 */
#ifndef APPT_OUTPUT_H
#define APPT_OUTPUT_H

#include <stdio.h>

enum output_format {
	OUTPUT_TABLE,
	OUTPUT_CSV,
	OUTPUT_JSON,
};

enum column_type {
	COL_TEXT,
	COL_INT,  /* JSON number; never neutralised in CSV */
	COL_BOOL, /* "1"/"0" in; JSON true/false, "yes"/"" in tables */
	COL_RAW,  /* text that is already JSON (a snapshot in the audit log) */
	COL_MONEY, /* an amount money_format wrote ("-43.40"): JSON text, never neutralised */
};

/*
 * Whether a table may shorten the column.  Ids, dates, times, amounts,
 * phone numbers and configuration ids stay whole: cut, they would be wrong
 * rather than short.  Free text (names, notes, reasons, message bodies) may
 * shrink: its start says enough at a glance, and --wide shows all of it.
 */
enum column_fit {
	FIT_WHOLE,
	FIT_SHRINK,
};

struct output_column {
	const char *name;
	enum column_type type;
	enum column_fit fit;
};

/* A shrinking column keeps at least this many columns (or its header's). */
#define OUTPUT_SHRINK_MIN 8

enum output_flags {
	OUTPUT_RAW_CELLS = 1, /* CSV: do not neutralise formula-like cells */
	OUTPUT_NO_HEADER = 2,
	OUTPUT_WIDE = 4,      /* table: never shorten a column (--wide) */
};

struct output;

/* table on a terminal, CSV otherwise. */
enum output_format output_default_format(void);
/* 0 on "table", "csv" or "json"; -1 otherwise. */
int output_parse_format(const char *s, enum output_format *out);

/* cols is copied: it need not outlive the call. */
struct output *output_begin(FILE *fp, enum output_format format,
			    const struct output_column *cols, size_t ncols,
			    unsigned flags);
/* cells has ncols entries; NULL is an empty cell (JSON null). */
void output_row(struct output *o, const char *const *cells);
/* Writes what is buffered, frees o; -1 when the stream had a write error. */
int output_end(struct output *o);

/*
 * A CSV cell as RFC 4180 wants it (quoted when needed), neutralised unless
 * raw, invalid UTF-8 repaired (text_repair_utf8).
 */
void output_csv_cell(FILE *fp, const char *cell, int neutralise);

/*
 * JSON values for stored text, never null for text that is there: invalid
 * UTF-8 (which jansson refuses) is repaired first.  NULL gives JSON null.
 * A snapshot is parsed as JSON, else kept as a string.  New references
 * (jansson's json_t, declared here without its header).
 */
struct json_t;
struct json_t *output_json_text(const char *s);
struct json_t *output_json_snapshot(const char *text);

#endif
