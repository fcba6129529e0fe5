#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

enum appt_status appt_vfail(struct appt_err *err, enum appt_status status,
			    const char *fmt, va_list ap)
{
	if (err)
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return status;
}

enum appt_status appt_fail(struct appt_err *err, enum appt_status status,
			   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	appt_vfail(err, status, fmt, ap);
	va_end(ap);
	return status;
}

const char *appt_status_name(enum appt_status status)
{
	switch (status) {
	case APPT_OK: return "ok";
	case APPT_REFUSED: return "refused";
	case APPT_NOTFOUND: return "not found";
	case APPT_USAGE: return "usage error";
	case APPT_DATAERR: return "bad data";
	case APPT_NOINPUT: return "cannot open input";
	case APPT_UNAVAILABLE: return "not delivered";
	case APPT_IOERR: return "i/o error";
	case APPT_TEMPFAIL: return "temporary failure";
	case APPT_CONFIG: return "configuration error";
	}
	return "unknown";
}

static void *check_alloc(void *p)
{
	if (!p) {
		fputs("appt: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *xmalloc(size_t size)
{
	return check_alloc(malloc(size ? size : 1));
}

void *xcalloc(size_t nmemb, size_t size)
{
	return check_alloc(calloc(nmemb ? nmemb : 1, size ? size : 1));
}

void *xrealloc(void *ptr, size_t size)
{
	return check_alloc(realloc(ptr, size ? size : 1));
}

void *xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		check_alloc(NULL);
	return xrealloc(ptr, nmemb * size);
}

char *xstrdup(const char *s)
{
	return check_alloc(strdup(s));
}

char *xstrdup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
	return check_alloc(strndup(s, n));
}

char *xasprintf(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return strbuf_detach(&sb);
}

void strbuf_init(struct strbuf *sb)
{
	sb->alloc = 64;
	sb->len = 0;
	sb->buf = xmalloc(sb->alloc);
	sb->buf[0] = '\0';
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
}

char *strbuf_detach(struct strbuf *sb)
{
	char *buf;

	if (!sb->buf)
		strbuf_init(sb);
	buf = sb->buf;
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	return buf;
}

void strbuf_reset(struct strbuf *sb)
{
	if (!sb->buf)
		strbuf_init(sb);
	sb->len = 0;
	sb->buf[0] = '\0';
}

static void strbuf_grow(struct strbuf *sb, size_t extra)
{
	if (!sb->buf)
		strbuf_init(sb);
	if (extra >= SIZE_MAX - sb->len - 1)
		check_alloc(NULL);
	if (sb->len + extra + 1 > sb->alloc) {
		while (sb->len + extra + 1 > sb->alloc)
			sb->alloc *= 2;
		sb->buf = xrealloc(sb->buf, sb->alloc);
	}
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

void strbuf_add_html(struct strbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': strbuf_addstr(sb, "&amp;"); break;
		case '<': strbuf_addstr(sb, "&lt;"); break;
		case '>': strbuf_addstr(sb, "&gt;"); break;
		case '"': strbuf_addstr(sb, "&quot;"); break;
		case '\'': strbuf_addstr(sb, "&#39;"); break;
		default: strbuf_addch(sb, *s);
		}
	}
}

void strbuf_add_url(struct strbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~')
			strbuf_addch(sb, (char)c);
		else
			strbuf_addf(sb, "%%%02X", c);
	}
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	strbuf_grow(sb, 64);
	va_copy(copy, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	if ((size_t)n >= sb->alloc - sb->len) {
		strbuf_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

const char *strbuf_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

void strlist_push(struct strlist *list, const char *s)
{
	ALLOC_GROW(list->items, list->nr + 1, list->alloc);
	list->items[list->nr++] = xstrdup(s);
}

void strlist_clear(struct strlist *list)
{
	for (size_t i = 0; i < list->nr; i++)
		free(list->items[i]);
	free(list->items);
	list->items = NULL;
	list->nr = list->alloc = 0;
}

void idlist_push(struct idlist *list, long long id)
{
	ALLOC_GROW(list->items, list->nr + 1, list->alloc);
	list->items[list->nr++] = id;
}

void idlist_clear(struct idlist *list)
{
	free(list->items);
	list->items = NULL;
	list->nr = list->alloc = 0;
}

int strlist_has(const struct strlist *list, const char *s)
{
	for (size_t i = 0; i < list->nr; i++)
		if (!strcmp(list->items[i], s))
			return 1;
	return 0;
}

int str_ieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

int str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Length of the UTF-8 sequence starting at s (0 when invalid). */
static size_t utf8_seq(const unsigned char *s, size_t avail, uint32_t *cp)
{
	size_t n;
	uint32_t c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		n = 2; c &= 0x1f; min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3; c &= 0x0f; min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4; c &= 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

int utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;

	while (len) {
		size_t n = utf8_seq(p, len, &cp);
		if (!n)
			return 0;
		p += n;
		len -= n;
	}
	return 1;
}

static int is_control(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c < 0xa0);
}

/* A line end or a tab in multi-line text; a CR only as part of CRLF. */
static int is_line_space(const unsigned char *p)
{
	return *p == '\n' || *p == '\t' || (*p == '\r' && p[1] == '\n');
}

enum appt_status text_check(const char *what, const char *s, int multiline,
			    struct appt_err *err)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = s ? strlen(s) : 0;
	uint32_t c;

	while (len) {
		size_t n = utf8_seq(p, len, &c);

		if (!n)
			return appt_fail(err, APPT_DATAERR, "%s is not valid UTF-8", what);
		if (is_control(c) && !(multiline && is_line_space(p)))
			return appt_fail(err, APPT_DATAERR,
					 "%s contains a control character (U+%04X)", what, (unsigned)c);
		p += n;
		len -= n;
	}
	return APPT_OK;
}

/*
 * Copies s, each invalid byte, and with for_terminal each control
 * character, as U+FFFD; for_terminal turns tabs and line ends into spaces.
 */
static char *text_copy_clean(const char *s, int for_terminal)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	struct strbuf sb = STRBUF_INIT;
	uint32_t c;

	while (len) {
		size_t n = utf8_seq(p, len, &c);

		if (for_terminal && n && is_line_space(p)) {
			strbuf_addch(&sb, ' ');
			n += *p == '\r'; /* a CRLF is one line end */
		} else if (!n || (for_terminal && is_control(c))) {
			strbuf_addstr(&sb, "\xef\xbf\xbd");
		} else {
			strbuf_add(&sb, p, n);
		}
		n += !n;
		p += n;
		len -= n;
	}
	return strbuf_detach(&sb);
}

char *text_repair_utf8(const char *s)
{
	if (!s)
		return NULL;
	return utf8_valid(s, strlen(s)) ? xstrdup(s) : text_copy_clean(s, 0);
}

int text_is_formula_like(const char *cell)
{
	return cell[0] && strchr("=+-@\t\r", cell[0]) != NULL;
}

char *text_for_terminal(const char *s)
{
	return text_copy_clean(s ? s : "", 1);
}

/*
 * East Asian wide and fullwidth ranges, enough to align names in a table
 * without depending on the process locale (wcwidth needs a UTF-8 locale that
 * cron does not always provide).
 */
static int codepoint_width(uint32_t c)
{
	if (is_control(c))
		return 0;
	if ((c >= 0x0300 && c <= 0x036f) || (c >= 0x200b && c <= 0x200f) ||
	    (c >= 0xfe00 && c <= 0xfe0f))
		return 0;
	if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff) ||
	    (c >= 0x20000 && c <= 0x3fffd))
		return 2;
	return 1;
}

/* The bytes and the columns of the character at p; a byte that starts no
 * valid sequence is one column, as a terminal shows a replacement for it. */
static size_t char_width(const unsigned char *p, size_t len, size_t *width)
{
	uint32_t cp;
	size_t n = utf8_seq(p, len, &cp);

	if (!n) {
		*width = 1;
		return 1;
	}
	*width = (size_t)codepoint_width(cp);
	return n;
}

size_t utf8_width(const char *s)
{
	size_t width = 0;

	utf8_fit(s, SIZE_MAX, &width);
	return width;
}

size_t utf8_fit(const char *s, size_t max_width, size_t *width)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), used = 0, w;

	while (len) {
		size_t n = char_width(p, len, &w);

		if (used + w > max_width)
			break;
		used += w;
		p += n;
		len -= n;
	}
	*width = used;
	return (size_t)(p - (const unsigned char *)s);
}

size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *prev = xcalloc(lb + 1, sizeof(*prev));
	size_t *cur = xcalloc(lb + 1, sizeof(*cur));
	size_t result;

	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = tolower((unsigned char)a[i - 1]) !=
				      tolower((unsigned char)b[j - 1]);
			size_t best = prev[j - 1] + cost;
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			cur[j] = best;
		}
		size_t *tmp = prev;
		prev = cur;
		cur = tmp;
	}
	result = prev[lb];
	free(prev);
	free(cur);
	return result;
}

char *os_login(void)
{
	uid_t uid = geteuid();
	struct passwd *pw = getpwuid(uid);

	if (pw && pw->pw_name && *pw->pw_name)
		return xstrdup(pw->pw_name);
	return xasprintf("uid %lu", (unsigned long)uid);
}

/* Closes fd and fails with errnum, which close must not overwrite. */
static int fail_closing(int fd, int errnum)
{
	close(fd);
	errno = errnum;
	return -1;
}

/*
 * O_NONBLOCK only for the open itself: a FIFO opened for writing would
 * otherwise wait for a reader before fstat could refuse it.
 */
int open_private_file(const char *path, int flags)
{
	int fd = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
	struct stat st;

	if (fd < 0) {
		if (errno == ENXIO) /* a FIFO without a reader */
			errno = EINVAL;
		return -1;
	}
	if (fstat(fd, &st))
		return fail_closing(fd, errno);
	if (!S_ISREG(st.st_mode))
		return fail_closing(fd, S_ISDIR(st.st_mode) ? EISDIR : EINVAL);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

const char *open_private_error(int errnum)
{
	if (errnum == ELOOP)
		return "it is a symbolic link, and appt never writes through one";
	if (errnum == EINVAL)
		return "it is not a regular file";
	return strerror(errnum);
}
