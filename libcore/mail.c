/*
 * mail: an RFC 5322 message for sendmail.  Header values never carry CR or
 * LF, whatever a client's name holds: control characters become spaces
 * before anything is written, so no value can start a header line of its
 * own.
 */
#include "mail.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "when.h"

#define LINE_MAX_COLS 78   /* RFC 5322's recommended header line length */
#define WORD_MAX 75        /* RFC 2047's limit for one encoded-word */

/* ---- header values ------------------------------------------------------ */

char *mail_header_clean(const char *s)
{
	char *out = xstrdup(s ? s : "");

	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return out;
}

static int is_printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

/* Characters that would let an address smuggle in a second mailbox, a
 * display name or a header; none occurs in a plain addr-spec we send to. */
static int address_char_ok(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("<>,;:\"()[]\\", c);
}

int mail_address_valid(const char *addr)
{
	const char *at = strchr(addr, '@');

	if (!at || at == addr || !at[1] || strchr(at + 1, '@'))
		return 0;
	for (; *addr; addr++)
		if (!address_char_ok((unsigned char)*addr))
			return 0;
	return 1;
}

void mail_split_mailbox(const char *spec, char **name, char **addr)
{
	const char *lt = strrchr(spec, '<'), *end = spec + strlen(spec);
	const char *a = spec, *b;

	*name = NULL;
	while (end > spec && end[-1] == ' ')
		end--;
	if (!lt || end == spec || end[-1] != '>') {
		while (*spec == ' ')
			spec++;
		*addr = xstrndup(spec, (size_t)(end - spec));
		return;
	}
	*addr = xstrndup(lt + 1, (size_t)(end - 1 - (lt + 1)));
	while (*a == ' ')
		a++;
	for (b = lt; b > a && b[-1] == ' '; b--)
		;
	if (b - a >= 2 && *a == '"' && b[-1] == '"')
		a++, b--;
	if (b > a)
		*name = xstrndup(a, (size_t)(b - a));
}

/* ---- base64 and RFC 2047 ------------------------------------------------ */

static void base64_add(struct strbuf *sb, const unsigned char *p, size_t n)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t v;

	for (; n >= 3; p += 3, n -= 3) {
		v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
		strbuf_addch(sb, digits[v >> 18 & 63]);
		strbuf_addch(sb, digits[v >> 12 & 63]);
		strbuf_addch(sb, digits[v >> 6 & 63]);
		strbuf_addch(sb, digits[v & 63]);
	}
	if (!n)
		return;
	v = (uint32_t)p[0] << 16 | (n == 2 ? (uint32_t)p[1] << 8 : 0);
	strbuf_addch(sb, digits[v >> 18 & 63]);
	strbuf_addch(sb, digits[v >> 12 & 63]);
	strbuf_addch(sb, n == 2 ? digits[v >> 6 & 63] : '=');
	strbuf_addch(sb, '=');
}

/* The longest prefix of s (n bytes) of at most max bytes that does not end
 * inside a UTF-8 sequence, so each encoded-word decodes on its own. */
static size_t utf8_prefix(const char *s, size_t n, size_t max)
{
	size_t k = max;

	if (n <= max)
		return n;
	while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
		k--;
	return k ? k : max;
}

/*
 * Appends s as B encoded-words starting at column col, each at most WORD_MAX
 * characters and folded onto continuation lines so no line passes
 * LINE_MAX_COLS.  Returns the column after the last word.
 */
static size_t encoded_words_add(struct strbuf *sb, const char *s, size_t col)
{
	static const char open[] = "=?UTF-8?B?", close[] = "?=";
	const size_t frame = sizeof(open) - 1 + sizeof(close) - 1;
	size_t len = strlen(s), off = 0, room, n;

	while (off < len) {
		room = col + frame < LINE_MAX_COLS ? LINE_MAX_COLS - col - frame : 0;
		if (room > WORD_MAX - frame)
			room = WORD_MAX - frame;
		if (room < 8) {
			strbuf_addstr(sb, "\n ");
			col = 1;
			continue;
		}
		n = utf8_prefix(s + off, len - off, room / 4 * 3);
		strbuf_addstr(sb, open);
		base64_add(sb, (const unsigned char *)s + off, n);
		strbuf_addstr(sb, close);
		col += frame + (n + 2) / 3 * 4;
		off += n;
		if (off < len) {
			strbuf_addstr(sb, "\n ");
			col = 1;
		}
	}
	return col;
}

/*
 * Appends a plain (already clean, ASCII) value, folding before a space when
 * a line would pass LINE_MAX_COLS; unfolding gives back the same text.
 */
static void folded_add(struct strbuf *sb, const char *s, size_t col)
{
	size_t n;

	while (*s) {
		for (n = 1; s[n] && s[n] != ' '; n++)
			;
		/* Folding before a lone space would leave a blank line. */
		if (*s == ' ' && n > 1 && col + n > LINE_MAX_COLS && col > 1) {
			strbuf_addch(sb, '\n');
			col = 0;
		}
		strbuf_add(sb, s, n);
		col += n;
		s += n;
	}
}

/* A word no fold can break would make a line too long: encoded-words can. */
static int has_long_word(const char *s, size_t max)
{
	size_t run = 0;

	for (; *s; s++)
		if ((run = *s == ' ' ? 0 : run + 1) > max)
			return 1;
	return 0;
}

/* "=?" in plain text would be read back as the start of an encoded-word. */
static int needs_encoding(const char *clean)
{
	return !is_printable_ascii(clean) || strstr(clean, "=?") ||
	       has_long_word(clean, LINE_MAX_COLS - 10);
}

/* "Name: value" with value clean, encoded as needed. */
static void unstructured_add(struct strbuf *sb, const char *field, const char *value)
{
	char *clean = mail_header_clean(value);
	size_t col = strlen(field) + 2;

	strbuf_addf(sb, "%s: ", field);
	if (needs_encoding(clean))
		encoded_words_add(sb, clean, col);
	else
		folded_add(sb, clean, col);
	strbuf_addch(sb, '\n');
	free(clean);
}

/*
 * "Field: Name <addr>".  A short printable ASCII name is a quoted-string
 * (any '"' and '\' escaped); anything else is encoded-words, which also keep
 * a long name within the line length.  Characters address_valid refuses are
 * dropped from addr, so even an unchecked address stays one mailbox.
 */
static void mailbox_add(struct strbuf *sb, const char *field, const char *name,
			const char *addr)
{
	char *clean = mail_header_clean(name);
	size_t col = strlen(field) + 2, start;

	strbuf_addf(sb, "%s: ", field);
	if (*clean && (!is_printable_ascii(clean) || strlen(clean) > 60 ||
		       strstr(clean, "=?"))) {
		col = encoded_words_add(sb, clean, col);
	} else if (*clean) {
		start = sb->len;
		strbuf_addch(sb, '"');
		for (const char *p = clean; *p; p++) {
			if (*p == '"' || *p == '\\')
				strbuf_addch(sb, '\\');
			strbuf_addch(sb, *p);
		}
		strbuf_addch(sb, '"');
		col += sb->len - start;
	}
	if (*clean)
		strbuf_addstr(sb, col + strlen(addr) + 3 > LINE_MAX_COLS ? "\n <" : " <");
	for (; *addr; addr++)
		if (address_char_ok((unsigned char)*addr))
			strbuf_addch(sb, *addr);
	strbuf_addstr(sb, *clean ? ">\n" : "\n");
	free(clean);
}

/* ---- the e-mail message ------------------------------------------------- */

/* RFC 5322 wants English names whatever LC_TIME says, so no strftime. */
static void date_add(struct strbuf *sb, time_t now)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	long off = when_utc_offset(now), abs_off = off < 0 ? -off : off;
	time_t wall = now + off;
	struct tm tm;

	gmtime_r(&wall, &tm);
	strbuf_addf(sb, "Date: %s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld\n",
		    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
		    tm.tm_hour, tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+',
		    abs_off / 3600, abs_off % 3600 / 60);
}

/* FNV-1a: the outbox key can be any text, the Message-ID wants a token. */
static uint64_t key_hash(const char *key)
{
	uint64_t h = 14695981039346656037ULL;

	for (; key && *key; key++)
		h = (h ^ (unsigned char)*key) * 1099511628211ULL;
	return h;
}

/* A host name fit for the right of a Message-ID's "@". */
static int host_ok(const char *host)
{
	return *host && !host[strspn(host, "abcdefghijklmnopqrstuvwxyz"
					   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")];
}

static void message_id_add(struct strbuf *sb, const struct mail *m)
{
	char host[256];

	/* gethostname may truncate without a NUL. */
	host[sizeof(host) - 1] = '\0';
	if (gethostname(host, sizeof(host) - 1) < 0 || !host_ok(host))
		snprintf(host, sizeof(host), "localhost");
	strbuf_addf(sb, "Message-ID: <appt.%lld.%016llx@%s>\n", m->id,
		    (unsigned long long)key_hash(m->key), host);
}

/* RFC 2045 wants a text body in canonical CRLF form before base64. */
static void body_add(struct strbuf *sb, const char *body)
{
	struct strbuf crlf = STRBUF_INIT;
	const unsigned char *p;
	size_t n;

	for (const char *s = body ? body : ""; *s; s++) {
		if (*s == '\n' && (s == body || s[-1] != '\r'))
			strbuf_addch(&crlf, '\r');
		strbuf_addch(&crlf, *s);
	}
	p = (const unsigned char *)strbuf_str(&crlf);
	for (n = crlf.len; n > 0; ) {
		size_t chunk = n < 57 ? n : 57; /* 57 bytes make a 76-column line */

		base64_add(sb, p, chunk);
		strbuf_addch(sb, '\n');
		p += chunk;
		n -= chunk;
	}
	strbuf_release(&crlf);
}

char *mail_format(const struct mail *m, time_t now)
{
	struct strbuf sb = STRBUF_INIT;
	char *from_name, *from_addr;

	mail_split_mailbox(m->from, &from_name, &from_addr);
	mailbox_add(&sb, "From", from_name ? from_name : m->from_name, from_addr);
	mailbox_add(&sb, "To", m->to_name, m->to ? m->to : "");
	if (m->subject)
		unstructured_add(&sb, "Subject", m->subject);
	date_add(&sb, now);
	message_id_add(&sb, m);
	strbuf_addstr(&sb, "MIME-Version: 1.0\n"
			   "Content-Type: text/plain; charset=UTF-8\n"
			   "Content-Transfer-Encoding: base64\n\n");
	body_add(&sb, m->body);
	free(from_name);
	free(from_addr);
	return strbuf_detach(&sb);
}

