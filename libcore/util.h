/*
 * util: status codes, error reports, allocation and growable strings shared by
 * every libcore module.
 *
 * Library functions never print and never exit (allocation failure aside, which
 * aborts in xmalloc and friends).  They return an enum appt_status and, when it
 * is not APPT_OK, fill the caller's struct appt_err with a one-line message
 * (lower case, no trailing full stop) that the command prints as
 * "appt COMMAND: message".
 */
#ifndef APPT_UTIL_H
#define APPT_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* Values are the process exit codes of DESIGN.md, so a command can return them. */
enum appt_status {
	APPT_OK = 0,
	APPT_REFUSED = 1,     /* a conflict or a policy */
	APPT_NOTFOUND = 2,    /* no such appointment, client, service, provider */
	APPT_USAGE = 64,      /* bad command line */
	APPT_DATAERR = 65,    /* unparsable time, malformed CSV line, invalid value */
	APPT_NOINPUT = 66,    /* an input file cannot be opened */
	APPT_UNAVAILABLE = 69,/* a message could not be delivered */
	APPT_IOERR = 74,      /* I/O or database error */
	APPT_TEMPFAIL = 75,   /* database locked past the timeout */
	APPT_CONFIG = 78,     /* configuration error */
};

#define APPT_ERR_MAX 1024

/* A macro's value as a string literal. */
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

struct appt_err {
	char msg[APPT_ERR_MAX];
};

/* Formats the message into err (when err is not NULL) and returns status. */
enum appt_status appt_fail(struct appt_err *err, enum appt_status status,
			   const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
enum appt_status appt_vfail(struct appt_err *err, enum appt_status status,
			    const char *fmt, va_list ap);

/* A short name for a status ("refused", "not found", ...). */
const char *appt_status_name(enum appt_status status);

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* realloc for arrays, checking nmemb * size for overflow. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
/* NULL stays NULL. */
char *xstrdup_or_null(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grows *items (of *alloc slots) so that at least `need` fit. */
#define ALLOC_GROW(items, need, alloc)                                       \
	do {                                                                 \
		if ((size_t)(need) > (alloc)) {                              \
			(alloc) = (alloc) < 8 ? 8 : (alloc) * 2;             \
			if ((alloc) < (size_t)(need))                        \
				(alloc) = (size_t)(need);                    \
			(items) = xreallocarray((items), (alloc),            \
						sizeof(*(items)));           \
		}                                                            \
	} while (0)

/*
 * A growable NUL-terminated string.  buf is never NULL after strbuf_init, so
 * it can always be printed; strbuf_detach hands the buffer to the caller and
 * leaves the strbuf empty, strbuf_release frees it.
 */
struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
/* s with &, <, >, " and ' escaped for HTML text and attribute values. */
void strbuf_add_html(struct strbuf *sb, const char *s);
/* s percent-encoded for a URL's query (all but A-Z a-z 0-9 - . _ ~). */
void strbuf_add_url(struct strbuf *sb, const char *s);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Returns "" for an empty strbuf that was never written to. */
const char *strbuf_str(const struct strbuf *sb);

/* A list of owned strings. */
struct strlist {
	char **items;
	size_t nr;
	size_t alloc;
};

#define STRLIST_INIT { NULL, 0, 0 }

/* A growable list of row ids, read before the rows are changed. */
struct idlist {
	long long *items;
	size_t nr;
	size_t alloc;
};

#define IDLIST_INIT { NULL, 0, 0 }

void idlist_push(struct idlist *list, long long id);
void idlist_clear(struct idlist *list);

void strlist_push(struct strlist *list, const char *s);
void strlist_clear(struct strlist *list);
int strlist_has(const struct strlist *list, const char *s);

/* Case-insensitive ASCII comparisons. */
int str_ieq(const char *a, const char *b);
int str_starts_with(const char *s, const char *prefix);
/* True when s is valid UTF-8. */
int utf8_valid(const char *s, size_t len);
/* Terminal columns taken by a UTF-8 string (wide characters count 2). */
size_t utf8_width(const char *s);
/*
 * The length in bytes of the longest start of s that takes at most max_width
 * columns, never splitting a character (zero-width ones after it included);
 * *width gets the columns it takes.
 */
size_t utf8_fit(const char *s, size_t max_width, size_t *width);
/* Damerau-style edit distance, for "did you mean" suggestions. */
size_t edit_distance(const char *a, const char *b);

/*
 * Free text where it enters the library (notes, reasons, contact texts,
 * client fields, import cells, APPT_USER): valid UTF-8 with no control
 * character, C0, DEL or C1, which would break table alignment, CSV lines
 * and message headers, or drive a terminal.  multiline (notes) still
 * allows line ends (LF, or CRLF as a file from Windows has them) and tabs.
 * NULL is fine.  APPT_DATAERR naming what:
 *	note is not valid UTF-8
 *	reason contains a control character (U+001B)
 */
enum appt_status text_check(const char *what, const char *s, int multiline,
			    struct appt_err *err);

/*
 * Readers of text stored by older versions, which checked less: s with
 * every invalid UTF-8 sequence replaced by U+FFFD, for writers that need
 * UTF-8 (JSON, CSV, iCalendar).  NULL stays NULL.  Caller frees.
 */
char *text_repair_utf8(const char *s);

/*
 * s as a terminal may be given it: invalid UTF-8 and control characters
 * become U+FFFD, so that a stored escape sequence cannot drive the
 * terminal; tabs and line feeds become spaces (a table row stays one
 * line).  NULL becomes "".  Caller frees.
 */
char *text_for_terminal(const char *s);

/*
 * Whether a spreadsheet would run cell as a formula (CWE-1236): CSV
 * writers put a quote before such a cell, and imports take it off again.
 */
int text_is_formula_like(const char *cell);

/*
 * The operating-system login the process runs as, from
 * getpwuid(geteuid()): not getlogin(), which names whoever owns the
 * terminal and is wrong or missing under cron and su.  "uid N" for a user
 * without a passwd entry.  Caller frees.
 */
char *os_login(void);

/*
 * Opens a file appt writes beside others' (a database it creates, a lock,
 * the file transport's spool), the way a shared directory needs: never
 * through a symbolic link planted at the name (O_NOFOLLOW), and only a
 * regular file: a FIFO could hang the write or a device take it.  flags
 * are open()'s; O_CLOEXEC is added, O_CREAT creates the file 0600.
 * Returns the descriptor, or -1 with errno set: ELOOP for a symbolic link,
 * EISDIR for a directory, EINVAL for anything else that is not a regular
 * file.
 */
int open_private_file(const char *path, int flags);
/* Why open_private_file failed, for "cannot open 'x': <reason>". */
const char *open_private_error(int errnum);

#endif
