/*
 * transport: one rendered message out of the process.
 *
 * Everything a client controls (name, address, anything in a rendered
 * subject or body) reaches the outside world only as data: argv comes from
 * the configuration alone and is exec'd without a shell, message fields
 * travel in the environment and on stdin, and header values have their
 * control characters flattened to spaces before they are written, so no
 * value can start a header line of its own.
 */
#include "transport.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "when.h"

#define LINE_MAX_COLS 78   /* RFC 5322's recommended header line length */
#define WORD_MAX 75        /* RFC 2047's limit for one encoded-word */
#define STDERR_KEEP 200    /* bytes of the command's stderr kept for the error */
#define KILL_GRACE_MS 2000 /* between SIGTERM and SIGKILL */
#define TICK_MS 20         /* how often a running child is checked for exit */

/* ---- header values ------------------------------------------------------ */

/* A copy of s with every control character (CR and LF above all) a space. */
static char *header_clean(const char *s)
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

static int address_valid(const char *addr)
{
	const char *at = strchr(addr, '@');

	if (!at || at == addr || !at[1] || strchr(at + 1, '@'))
		return 0;
	for (; *addr; addr++)
		if (!address_char_ok((unsigned char)*addr))
			return 0;
	return 1;
}

/*
 * Splits "Name <addr>", "\"Name\" <addr>" or a bare "addr" (as written in the
 * configuration's from: or business.email) into owned parts; *name is NULL
 * when there is none.
 */
static void mailbox_split(const char *spec, char **name, char **addr)
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
	char *clean = header_clean(value);
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
	char *clean = header_clean(name);
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

static void message_id_add(struct strbuf *sb, const struct outgoing *m)
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

static const char *email_from_spec(const struct appt_config *cfg,
				   const struct cfg_channel *ch)
{
	if (ch && ch->from && *ch->from)
		return ch->from;
	if (cfg && cfg->business.email && *cfg->business.email)
		return cfg->business.email;
	return "appt@localhost";
}

char *transport_email_message(const struct appt_config *cfg,
			      const struct cfg_channel *ch,
			      const struct outgoing *m, time_t now)
{
	struct strbuf sb = STRBUF_INIT;
	char *from_name, *from_addr;

	mailbox_split(email_from_spec(cfg, ch), &from_name, &from_addr);
	mailbox_add(&sb, "From", from_name ? from_name : cfg ? cfg->business.name : NULL,
		    from_addr);
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

/* ---- writing ------------------------------------------------------------ */

static int write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * The file transport's record, one per message, appended:
 *
 *	From appt 2027-03-02T10:30:00-07:00
 *	Message-Id: 42
 *	Kind: reminder
 *	Channel: sms
 *	To: +15551234567
 *	Subject: Your appointment tomorrow      (left out when there is none)
 *
 *	the body, each line that starts with "." given one more "."
 *	.
 *
 * The lone "." ends the record (as in SMTP, hence the dot-stuffing), so a
 * body can hold any text, a "From appt" line included.
 */
static void file_record(struct strbuf *sb, const struct outgoing *m, time_t now)
{
	char when[64];
	char *kind = header_clean(m->kind), *chan = header_clean(m->channel);
	char *to = header_clean(m->to), *subject = header_clean(m->subject);
	const char *line = m->body ? m->body : "";

	when_format_iso(now, when, sizeof(when));
	strbuf_addf(sb, "From appt %s\nMessage-Id: %lld\nKind: %s\nChannel: %s\nTo: %s\n",
		    when, m->id, kind, chan, to);
	if (m->subject)
		strbuf_addf(sb, "Subject: %s\n", subject);
	strbuf_addch(sb, '\n');
	while (*line) {
		size_t n = strcspn(line, "\n");

		if (*line == '.')
			strbuf_addch(sb, '.');
		strbuf_add(sb, line, n);
		strbuf_addch(sb, '\n');
		line += n + (line[n] == '\n');
	}
	strbuf_addstr(sb, ".\n");
	free(kind);
	free(chan);
	free(to);
	free(subject);
}

static enum appt_status send_file(const struct cfg_channel *ch,
				  const struct outgoing *m, time_t now,
				  struct appt_err *err)
{
	struct strbuf rec = STRBUF_INIT;
	enum appt_status st = APPT_OK;
	int fd;

	if (!ch->path)
		return appt_fail(err, APPT_UNAVAILABLE, "channel '%s' has no path", ch->name);
	/* The spool is often in a shared directory: see open_private_file. */
	fd = open_private_file(ch->path, O_WRONLY | O_APPEND | O_CREAT);
	if (fd < 0)
		return appt_fail(err, APPT_UNAVAILABLE, "cannot open '%s': %s",
				 ch->path, open_private_error(errno));
	file_record(&rec, m, now);
	/* The lock keeps concurrent runs' records whole even when write_all
	 * takes more than one write. */
	if (flock(fd, LOCK_EX) < 0 || write_all(fd, rec.buf, rec.len) < 0)
		st = appt_fail(err, APPT_UNAVAILABLE, "cannot write '%s': %s",
			       ch->path, strerror(errno));
	if (close(fd) < 0 && st == APPT_OK)
		st = appt_fail(err, APPT_UNAVAILABLE, "cannot write '%s': %s",
			       ch->path, strerror(errno));
	strbuf_release(&rec);
	return st;
}

/* ---- running a command -------------------------------------------------- */

struct child {
	pid_t pid;
	int in;            /* our end of its stdin; -1 once all written or refused */
	int err;           /* our end of its stderr; -1 at end of file */
	const char *data;  /* what goes to its stdin */
	size_t len, off;
	char line[STDERR_KEEP + 1]; /* the first line of its stderr */
	size_t line_len;
	int line_done;
	int status;
	int reaped;
	int exited;        /* pidfd_open of pid: readable once it has exited; -1 if none */
};

static int transport_timeout(void)
{
	const char *s = getenv("APPT_TRANSPORT_TIMEOUT");
	char *end;
	long v;

	if (!s || !*s)
		return TRANSPORT_TIMEOUT_SECONDS;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 1 || v > 86400)
		return TRANSPORT_TIMEOUT_SECONDS;
	return (int)v;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void env_push(char ***env, size_t *nr, size_t *alloc, char *entry)
{
	ALLOC_GROW(*env, *nr + 1, *alloc);
	(*env)[(*nr)++] = entry;
}

static const char *const msg_vars[] = {
	"APPT_MSG_ID", "APPT_MSG_KIND", "APPT_CHANNEL", "APPT_TO", "APPT_SUBJECT",
	"APPT_CLIENT_ID", "APPT_APPOINTMENT_ID", NULL,
};

static int is_msg_var(const char *entry)
{
	for (const char *const *v = msg_vars; *v; v++)
		if (str_starts_with(entry, *v) && entry[strlen(*v)] == '=')
			return 1;
	return 0;
}

/*
 * Our environment plus the message's APPT_* variables, built before fork
 * because the child may only make async-signal-safe calls.  Every entry is
 * owned (free with env_free).
 */
static char **env_build(const struct outgoing *m)
{
	char **env = NULL, id[32] = "", appt[32] = "", client[32] = "";
	size_t nr = 0, alloc = 0;

	for (char **e = environ; e && *e; e++)
		if (!is_msg_var(*e))
			env_push(&env, &nr, &alloc, xstrdup(*e));
	snprintf(id, sizeof(id), "%lld", m->id);
	snprintf(client, sizeof(client), "%lld", m->client_id);
	if (m->appointment_id)
		snprintf(appt, sizeof(appt), "%lld", m->appointment_id);
	env_push(&env, &nr, &alloc, xasprintf("APPT_MSG_ID=%s", id));
	env_push(&env, &nr, &alloc, xasprintf("APPT_MSG_KIND=%s", m->kind ? m->kind : ""));
	env_push(&env, &nr, &alloc, xasprintf("APPT_CHANNEL=%s", m->channel ? m->channel : ""));
	env_push(&env, &nr, &alloc, xasprintf("APPT_TO=%s", m->to ? m->to : ""));
	env_push(&env, &nr, &alloc, xasprintf("APPT_SUBJECT=%s", m->subject ? m->subject : ""));
	env_push(&env, &nr, &alloc, xasprintf("APPT_CLIENT_ID=%s", client));
	env_push(&env, &nr, &alloc, xasprintf("APPT_APPOINTMENT_ID=%s", appt));
	env_push(&env, &nr, &alloc, NULL);
	return env;
}

static void env_free(char **env)
{
	for (char **e = env; *e; e++)
		free(*e);
	free(env);
}

/* Moves fd to 3 or above so the dup2 calls onto 0-2 cannot clobber it (our
 * own stdio may be closed, making pipe ends land on 0-2). */
static int above_stdio(int fd)
{
	return fd > 2 ? fd : fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

/*
 * In the child: stdin from the pipe, stdout to /dev/null, stderr to the pipe,
 * everything else closed at exec, a process group of its own so a timeout
 * can stop whatever it started (a shell script's children too; the price is
 * that a terminal's ^C reaches appt but not the command).  An exec failure
 * goes back as errno on report, which exec closes on success.
 * Async-signal-safe calls only.
 */
static void __attribute__((noreturn))
child_exec(char *const argv[], char *const env[], int in, int out, int err,
	   int report, long max_fd)
{
	int e;

	setpgid(0, 0);
	in = above_stdio(in);
	out = above_stdio(out);
	err = above_stdio(err);
	report = above_stdio(report);
	if (in < 0 || out < 0 || err < 0 || report < 0 || dup2(in, 0) < 0 ||
	    dup2(out, 1) < 0 || dup2(err, 2) < 0)
		goto fail;
	/* Marking, not closing, keeps report open until the exec. */
#ifdef CLOSE_RANGE_CLOEXEC
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
#endif
		for (int fd = 3; fd < max_fd; fd++)
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	execvpe(argv[0], argv, env);
fail:
	e = errno;
	/* Either way the parent reaps a 127; the if only satisfies
	 * warn_unused_result, which a (void) cast does not. */
	if (write(report, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

static void pipes_close(int fds[], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static pid_t wait_retry(pid_t pid, int *status, int flags)
{
	pid_t r;

	while ((r = waitpid(pid, status, flags)) < 0 && errno == EINTR)
		;
	return r;
}

/* Reads the exec report: 0 when exec succeeded, else the child's errno. */
static int exec_result(int report)
{
	int e = 0;
	ssize_t n;

	while ((n = read(report, &e, sizeof(e))) < 0 && errno == EINTR)
		;
	return n == (ssize_t)sizeof(e) ? e : 0;
}

/*
 * Starts argv with the APPT_* variables of m.  On APPT_OK, c->pid runs and
 * c->in / c->err are our non-blocking pipe ends.
 */
static enum appt_status child_start(struct child *c, char *const argv[],
				    const struct outgoing *m, struct appt_err *err)
{
	/* in[2], errp[2], report[2], devnull */
	int fds[7] = { -1, -1, -1, -1, -1, -1, -1 }, e;
	long max_fd = sysconf(_SC_OPEN_MAX);
	char **env;

	if (pipe2(fds, O_CLOEXEC) < 0 || pipe2(fds + 2, O_CLOEXEC) < 0 ||
	    pipe2(fds + 4, O_CLOEXEC) < 0 ||
	    (fds[6] = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0) {
		e = errno;
		pipes_close(fds, 7);
		return appt_fail(err, APPT_UNAVAILABLE, "cannot run '%s': %s",
				 argv[0], strerror(e));
	}
	env = env_build(m);
	c->pid = fork();
	if (c->pid == 0)
		child_exec(argv, env, fds[0], fds[6], fds[3], fds[5],
			   max_fd > 0 ? max_fd : 1024);
	e = errno;
	env_free(env);
	close(fds[0]);
	close(fds[3]);
	close(fds[5]);
	close(fds[6]);
	if (c->pid < 0) {
		close(fds[1]);
		close(fds[2]);
		close(fds[4]);
		return appt_fail(err, APPT_UNAVAILABLE, "cannot run '%s': %s",
				 argv[0], strerror(e));
	}
	setpgid(c->pid, c->pid); /* whichever of us runs first, the group exists */
	/*
	 * Readable once the child exits: the pump then wakes at once instead of
	 * at its next tick (-1 on kernels before 5.3, which keep the tick).
	 */
	c->exited = (int)syscall(SYS_pidfd_open, c->pid, 0);
	e = exec_result(fds[4]);
	close(fds[4]);
	c->in = fds[1];
	c->err = fds[2];
	fcntl(c->in, F_SETFL, O_NONBLOCK);
	fcntl(c->err, F_SETFL, O_NONBLOCK);
	if (e) {
		close(c->in);
		close(c->err);
		if (c->exited >= 0)
			close(c->exited);
		wait_retry(c->pid, &c->status, 0);
		return appt_fail(err, APPT_UNAVAILABLE, "cannot run '%s': %s",
				 argv[0], strerror(e));
	}
	return APPT_OK;
}

static void child_close_in(struct child *c)
{
	close(c->in);
	c->in = -1;
}

/* Writes what the pipe takes now; a child that exits or closes its stdin
 * early (EPIPE) is judged by its exit status, not by our write. */
static void child_feed(struct child *c)
{
	ssize_t w = write(c->in, c->data + c->off, c->len - c->off);

	if (w > 0)
		c->off += (size_t)w;
	else if (w < 0 && errno != EAGAIN && errno != EINTR)
		child_close_in(c);
	if (c->in >= 0 && c->off == c->len)
		child_close_in(c);
}

/* Keeps the first line of stderr; reads the rest to keep the pipe flowing. */
static int child_read_err(struct child *c)
{
	char buf[4096];
	ssize_t n = read(c->err, buf, sizeof(buf));

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		close(c->err);
		c->err = -1;
		return 0;
	}
	for (ssize_t i = 0; i < n && !c->line_done; i++) {
		if (buf[i] == '\n' || c->line_len == STDERR_KEEP)
			c->line_done = 1;
		else
			c->line[c->line_len++] = buf[i];
	}
	return n > 0;
}

static void child_poll_reap(struct child *c)
{
	if (!c->reaped && wait_retry(c->pid, &c->status, WNOHANG) == c->pid)
		c->reaped = 1;
}

/*
 * Feeds stdin and drains stderr until the child exits or the deadline passes
 * (returns -1).  The exit is checked every TICK_MS rather than waiting for
 * stderr's end of file: a daemon the command leaves behind may hold that
 * open for ever.
 */
static int child_pump(struct child *c, long long deadline)
{
	struct pollfd p[3];
	long long left;
	int n;

	while (!c->reaped) {
		if ((left = deadline - now_ms()) <= 0)
			return -1;
		n = 0;
		if (c->in >= 0)
			p[n++] = (struct pollfd){ .fd = c->in, .events = POLLOUT };
		if (c->err >= 0)
			p[n++] = (struct pollfd){ .fd = c->err, .events = POLLIN };
		if (c->exited >= 0)
			p[n++] = (struct pollfd){ .fd = c->exited, .events = POLLIN };
		if (c->exited < 0 && left > TICK_MS)
			left = TICK_MS;
		if (poll(p, (nfds_t)n, left > INT_MAX ? INT_MAX : (int)left) > 0) {
			for (int i = 0; i < n; i++) {
				if (!p[i].revents || p[i].fd == c->exited)
					continue;
				if (p[i].fd == c->in)
					child_feed(c);
				else
					child_read_err(c);
			}
		}
		child_poll_reap(c);
	}
	/* What it wrote just before exiting; bounded against a chatty daemon. */
	for (int i = 0; i < 16 && c->err >= 0 && child_read_err(c); i++)
		;
	return 0;
}

/* SIGTERM to its group, SIGKILL after KILL_GRACE_MS; reaps it either way. */
static void child_kill(struct child *c)
{
	long long until = now_ms() + KILL_GRACE_MS;
	struct timespec tick = { 0, TICK_MS * 1000000L };

	kill(-c->pid, SIGTERM);
	for (child_poll_reap(c); !c->reaped && now_ms() < until; child_poll_reap(c))
		nanosleep(&tick, NULL);
	kill(-c->pid, SIGKILL);
	if (!c->reaped)
		wait_retry(c->pid, &c->status, 0);
	c->reaped = 1;
}

/* n, less a UTF-8 sequence that the STDERR_KEEP cut left incomplete. */
static size_t utf8_whole(const char *s, size_t n)
{
	size_t lead = n;
	unsigned char c;

	while (lead > 0 && ((unsigned char)s[lead - 1] & 0xc0) == 0x80)
		lead--;
	if (!lead)
		return n;
	c = (unsigned char)s[lead - 1];
	if (c < 0xc0)
		return n;
	return n - (lead - 1) < (c >= 0xf0 ? 4u : c >= 0xe0 ? 3u : 2u) ? lead - 1 : n;
}

/* The kept stderr line, safe to print: controls flattened, no cut UTF-8
 * sequence at the end, no trailing blanks. */
static const char *child_err_line(struct child *c)
{
	size_t n = utf8_whole(c->line, c->line_len);

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)c->line[i] < 0x20 || c->line[i] == 0x7f)
			c->line[i] = ' ';
	while (n > 0 && c->line[n - 1] == ' ')
		n--;
	c->line[n] = '\0';
	return c->line;
}

static enum appt_status child_outcome(struct child *c, const char *cmd,
				      struct appt_err *err)
{
	const char *line = child_err_line(c);
	const char *sep = *line ? ": " : "";

	if (WIFEXITED(c->status) && WEXITSTATUS(c->status) == 0)
		return APPT_OK;
	if (WIFSIGNALED(c->status))
		return appt_fail(err, APPT_UNAVAILABLE, "command '%s' killed by signal %d%s%s",
				 cmd, WTERMSIG(c->status), sep, line);
	return appt_fail(err, APPT_UNAVAILABLE, "command '%s' exited %d%s%s", cmd,
			 WEXITSTATUS(c->status), sep, line);
}

static enum appt_status run_argv(char *const argv[], const struct outgoing *m,
				 const char *input, struct appt_err *err)
{
	struct child c = { .in = -1, .err = -1, .exited = -1 };
	struct sigaction ignore = { .sa_handler = SIG_IGN }, old;
	int timeout = transport_timeout(), late;
	enum appt_status st;

	c.data = input ? input : "";
	c.len = strlen(c.data);
	if ((st = child_start(&c, argv, m, err)) != APPT_OK)
		return st;
	/* A command that never reads its stdin must not kill us with SIGPIPE;
	 * set after fork so the command gets the usual disposition. */
	sigaction(SIGPIPE, &ignore, &old);
	late = child_pump(&c, now_ms() + timeout * 1000LL);
	sigaction(SIGPIPE, &old, NULL);
	if (c.in >= 0)
		close(c.in);
	if (late)
		child_kill(&c);
	if (c.err >= 0)
		close(c.err);
	if (c.exited >= 0)
		close(c.exited);
	if (late)
		return appt_fail(err, APPT_UNAVAILABLE, "command '%s' timed out after %ds",
				 argv[0], timeout);
	return child_outcome(&c, argv[0], err);
}

static enum appt_status run_command(const struct cfg_channel *ch,
				    const struct outgoing *m, const char *input,
				    struct appt_err *err)
{
	char **argv;
	enum appt_status st;

	if (!ch->command.nr)
		return appt_fail(err, APPT_UNAVAILABLE, "channel '%s' has no command",
				 ch->name);
	/* exec wants a NULL at the end, which a strlist does not keep. */
	argv = xcalloc(ch->command.nr + 1, sizeof(*argv));
	memcpy(argv, ch->command.items, ch->command.nr * sizeof(*argv));
	st = run_argv(argv, m, input, err);
	free(argv);
	return st;
}

/* ---- dispatch ----------------------------------------------------------- */

static enum appt_status send_email(const struct appt_config *cfg,
				   const struct cfg_channel *ch,
				   const struct outgoing *m, time_t now,
				   struct appt_err *err)
{
	char *from_name, *from_addr, *text;
	enum appt_status st;

	if (!m->to || !address_valid(m->to)) {
		text = header_clean(m->to);
		st = appt_fail(err, APPT_UNAVAILABLE, "invalid e-mail address '%s'", text);
		free(text);
		return st;
	}
	mailbox_split(email_from_spec(cfg, ch), &from_name, &from_addr);
	st = address_valid(from_addr) ? APPT_OK :
		appt_fail(err, APPT_UNAVAILABLE,
			  "channel '%s': invalid From address '%s'", ch->name, from_addr);
	free(from_name);
	free(from_addr);
	if (st != APPT_OK)
		return st;
	text = transport_email_message(cfg, ch, m, now);
	st = run_command(ch, m, text, err);
	free(text);
	return st;
}

enum appt_status transport_send(const struct appt_config *cfg,
				const struct cfg_channel *ch,
				const struct outgoing *m, time_t now,
				struct appt_err *err)
{
	switch (ch->transport) {
	case TRANSPORT_FILE:
		return send_file(ch, m, now, err);
	case TRANSPORT_COMMAND:
		return run_command(ch, m, m->body, err);
	case TRANSPORT_SENDMAIL:
		return send_email(cfg, ch, m, now, err);
	}
	return appt_fail(err, APPT_UNAVAILABLE, "channel '%s' has no transport", ch->name);
}
