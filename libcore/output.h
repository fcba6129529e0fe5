/*
 * output: rows as an aligned table, RFC 4180 CSV or JSON.  Listing commands
 * describe their columns once and hand over rows; CSV and JSON stream (memory
 * stays flat however many rows), a table buffers to align its columns.
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
};

struct output_column {
	const char *name;
	enum column_type type;
};

enum output_flags {
	OUTPUT_RAW_CELLS = 1, /* CSV: do not neutralise formula-like cells */
	OUTPUT_NO_HEADER = 2,
};

struct output;

/* table on a terminal, CSV otherwise. */
enum output_format output_default_format(void);
/* 0 on "table", "csv" or "json"; -1 otherwise. */
int output_parse_format(const char *s, enum output_format *out);

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
