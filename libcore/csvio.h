/*
 * csvio: reading RFC 4180 CSV as a stream, for imports.
 *
 * The input is fed to libcsv one physical line at a time, so that every
 * record knows the line it starts on (a quoted field may span lines) and
 * memory stays flat whatever the file's size: one record's fields are held
 * at a time, in buffers reused from record to record.
 *
 * Parsing is strict: a stray quote, text after a closing quote and a quote
 * left open at the end of the input are syntax errors, which end the
 * reading.  Problems confined to one record — a field count other than the
 * header's, a field that is not valid UTF-8 — are handed to the caller with
 * the record, so that an import can list them all.  Fields are exactly what
 * the file holds: nothing is trimmed.  A UTF-8 byte order mark before the
 * header is skipped; blank lines are ignored.
 */
#ifndef APPT_CSVIO_H
#define APPT_CSVIO_H

#include <stdio.h>

#include "util.h"

struct csv_record {
	size_t index;         /* 0 for the header, then 1, 2, ... */
	size_t line;          /* the physical line it starts on, 1-based */
	size_t nr;            /* fields */
	char **fields;        /* each NUL-terminated */
	size_t *lens;
	const char *problem;  /* NULL, or why the record cannot be used */
	size_t consumed;      /* input bytes read so far, for progress */
};

/*
 * Called for each record, the header first; the record and its strings
 * live until fn returns.  Anything but APPT_OK stops the reading, and
 * csv_read returns it.
 */
typedef enum appt_status (*csv_record_fn)(const struct csv_record *rec,
					  void *data);

/* Where a syntax error was found; line is 0 for other failures. */
struct csv_failure {
	size_t line;
	struct appt_err err;
};

/*
 * Reads fp to its end.  A syntax error is APPT_DATAERR with its line and
 * message (without a file name) in fail; a read error is APPT_IOERR.
 */
enum appt_status csv_read(FILE *fp, csv_record_fn fn, void *data,
			  struct csv_failure *fail);

#endif
