#include "csvio.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define READ_CHUNK 65536
/*
 * The longest record read.  A quote left open swallows the rest of the file
 * into one field: this keeps memory flat and says where that happened.
 */
#define RECORD_MAX (4u << 20)

struct reader {
	struct csv_parser parser;
	csv_record_fn fn;
	void *data;
	enum appt_status status; /* what fn returned; non-zero stops the reading */

	/* The record being assembled: field bytes, NUL-separated. */
	struct strbuf bytes;
	size_t *offsets;
	size_t *lens;
	char **fields;
	size_t nr;
	size_t alloc;
	char problem[256];

	struct strlist header;   /* its names, for messages */
	size_t index;            /* of the record being assembled */
	size_t line;             /* the physical line being fed */
	size_t record_line;      /* the line the record being assembled started on */
	int in_quotes;           /* an odd number of quotes so far */
	size_t consumed;
};

/* RFC 4180: spaces belong to the field, and "a" ,b is malformed. */
static int no_space(unsigned char c)
{
	return 0;
}

static void check_field(struct reader *r, const char *s, size_t len)
{
	size_t i = r->nr;
	int named = r->index && i < r->header.nr;

	if (r->problem[0])
		return;
	if (memchr(s, '\0', len) || !utf8_valid(s, len))
		snprintf(r->problem, sizeof(r->problem),
			 "field %zu%s%s%s is not valid UTF-8 text", i + 1,
			 named ? " (" : "", named ? r->header.items[i] : "",
			 named ? ")" : "");
}

/* The arrays only ever grow: a record costs no allocation once they fit. */
static void grow_fields(struct reader *r)
{
	r->alloc = r->alloc ? 2 * r->alloc : 16;
	r->offsets = xreallocarray(r->offsets, r->alloc, sizeof(*r->offsets));
	r->lens = xreallocarray(r->lens, r->alloc, sizeof(*r->lens));
	r->fields = xreallocarray(r->fields, r->alloc, sizeof(*r->fields));
}

static void on_field(void *field, size_t len, void *data)
{
	struct reader *r = data;
	const char *s = field ? field : "";

	if (r->status)
		return;
	if (!field)
		len = 0;
	check_field(r, s, len);
	if (r->nr == r->alloc)
		grow_fields(r);
	r->offsets[r->nr] = r->bytes.len;
	r->lens[r->nr] = len;
	r->nr++;
	strbuf_add(&r->bytes, s, len);
	strbuf_addch(&r->bytes, '\0');
}

static void remember_header(struct reader *r)
{
	for (size_t i = 0; i < r->nr; i++)
		strlist_push(&r->header, r->fields[i]);
}

static void check_count(struct reader *r)
{
	if (r->index && r->nr != r->header.nr)
		snprintf(r->problem, sizeof(r->problem),
			 "expected %zu fields as in the header, found %zu",
			 r->header.nr, r->nr);
}

static void on_record(int terminator, void *data)
{
	struct reader *r = data;
	struct csv_record rec;

	if (r->status)
		return;
	for (size_t i = 0; i < r->nr; i++)
		r->fields[i] = r->bytes.buf + r->offsets[i];
	if (!r->index)
		remember_header(r);
	check_count(r);
	rec = (struct csv_record){
		.index = r->index, .line = r->record_line, .nr = r->nr,
		.fields = r->fields, .lens = r->lens,
		.problem = r->problem[0] ? r->problem : NULL,
		.consumed = r->consumed,
	};
	r->status = r->fn(&rec, r->data);
	r->index++;
	r->nr = 0;
	r->problem[0] = '\0';
	strbuf_reset(&r->bytes);
	/* A lone CR ends a record in the middle of a physical line. */
	r->record_line = r->line;
}

static enum appt_status parse_failure(struct reader *r, size_t line,
				      struct csv_failure *fail)
{
	int code = csv_error(&r->parser);

	fail->line = line;
	if (code != CSV_EPARSE)
		return appt_fail(&fail->err, APPT_IOERR, "reading CSV: %s",
				 csv_strerror(code));
	return appt_fail(&fail->err, APPT_DATAERR,
			 "malformed CSV: a quote inside an unquoted field, or text after a closing quote");
}

static void count_quotes(struct reader *r, const char *s, size_t len)
{
	for (const char *end = s + len; (s = memchr(s, '"', (size_t)(end - s))); s++)
		r->in_quotes = !r->in_quotes;
}

/* Feeds one physical line (or the start of one) to the parser. */
static enum appt_status feed(struct reader *r, const char *s, size_t len,
			     struct csv_failure *fail)
{
	count_quotes(r, s, len);
	r->consumed += len;
	if (csv_parse(&r->parser, s, len, on_field, on_record, r) != len)
		return parse_failure(r, r->line, fail);
	if (csv_get_buffer_size(&r->parser) > RECORD_MAX || r->bytes.len > RECORD_MAX) {
		fail->line = r->record_line;
		return appt_fail(&fail->err, APPT_DATAERR,
				 "malformed CSV: a record longer than %u MiB (a quote left open?)",
				 RECORD_MAX >> 20);
	}
	return r->status;
}

static enum appt_status feed_chunk(struct reader *r, const char *buf, size_t len,
				   int *at_line_start, struct csv_failure *fail)
{
	enum appt_status status = APPT_OK;

	while (len && !status) {
		const char *nl = memchr(buf, '\n', len);
		size_t n = nl ? (size_t)(nl - buf) + 1 : len;

		if (*at_line_start && !r->in_quotes)
			r->record_line = r->line;
		*at_line_start = 0;
		status = feed(r, buf, n, fail);
		if (nl) {
			r->line++;
			*at_line_start = 1;
		}
		buf += n;
		len -= n;
	}
	return status;
}

static size_t skip_bom(const char *buf, size_t len)
{
	return len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) ? 3 : 0;
}

static enum appt_status read_all(struct reader *r, FILE *fp,
				 struct csv_failure *fail)
{
	char *buf = xmalloc(READ_CHUNK);
	int at_line_start = 1, first = 1;
	enum appt_status status = APPT_OK;
	size_t n;

	while (!status && (n = fread(buf, 1, READ_CHUNK, fp)) > 0) {
		size_t skip = first ? skip_bom(buf, n) : 0;

		first = 0;
		r->consumed += skip;
		status = feed_chunk(r, buf + skip, n - skip, &at_line_start, fail);
	}
	free(buf);
	if (!status && ferror(fp))
		status = appt_fail(&fail->err, APPT_IOERR, "reading the input: %s",
				   strerror(errno ? errno : EIO));
	if (!status && csv_fini(&r->parser, on_field, on_record, r)) {
		fail->line = r->record_line;
		return appt_fail(&fail->err, APPT_DATAERR,
				 "malformed CSV: a quoted field is never closed");
	}
	return status ? status : r->status;
}

#define CSV_FIELD_STEP (64 * 1024)

enum appt_status csv_read(FILE *fp, csv_record_fn fn, void *data,
			  struct csv_failure *fail)
{
	struct reader r = { .fn = fn, .data = data, .line = 1, .record_line = 1 };
	enum appt_status status;

	memset(fail, 0, sizeof(*fail));
	if (csv_init(&r.parser, CSV_STRICT | CSV_STRICT_FINI))
		return appt_fail(&fail->err, APPT_IOERR, "cannot start the CSV parser");
	csv_set_space_func(&r.parser, no_space);
	/*
	 * libcsv grows a field's buffer by this much at a time (128 bytes by
	 * default): a field of megabytes (a quote left open) was tens of
	 * thousands of reallocs, each copying the whole field under a
	 * sanitizer's allocator, which took the import test ten minutes.
	 */
	csv_set_blk_size(&r.parser, CSV_FIELD_STEP);
	strbuf_init(&r.bytes);
	status = read_all(&r, fp, fail);
	csv_free(&r.parser);
	strbuf_release(&r.bytes);
	strlist_clear(&r.header);
	free(r.offsets);
	free(r.lens);
	free(r.fields);
	return status;
}
