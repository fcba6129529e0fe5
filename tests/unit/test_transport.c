#include "unit.h"
#include "config.h"
#include "transport.h"
#include "when.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * Commands under test are /bin/sh -c scripts given as the channel's argv,
 * exactly as a configuration would: the shell is the command, never a layer
 * the transport adds.  Scripts write what they saw to files under a scratch
 * directory that $OUT points into.
 */

static char scratch[256];
static char out_path[300];
static struct appt_config cfg;

/* 2027-03-02 10:30:00 UTC, a Tuesday; 03:30 in Denver (MST, -0700). */
static const time_t NOW = 1803983400;

static const char *in_scratch(const char *name)
{
	static char buf[4][300];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", scratch, name);
	return p;
}

static char *slurp(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	FILE *fp = fopen(path, "rb");

	if (!fp)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(fp);
	return strbuf_detach(&sb);
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void channel_init(struct cfg_channel *ch, enum cfg_transport t,
			 const char *const argv[])
{
	memset(ch, 0, sizeof(*ch));
	ch->name = "test";
	ch->transport = t;
	for (; argv && *argv; argv++)
		strlist_push(&ch->command, *argv);
}

/* The channel for one shell script, run as /bin/sh -c SCRIPT sh. */
static void sh_channel(struct cfg_channel *ch, enum cfg_transport t, const char *script)
{
	const char *argv[] = { "/bin/sh", "-c", script, "sh", NULL };

	channel_init(ch, t, argv);
}

static struct outgoing message(void)
{
	struct outgoing m = {
		.id = 42, .key = "reminder:7:2027-03-03T10:00", .kind = "reminder",
		.channel = "email", .to = "zoe@example.com", .to_name = "Zoë Adams",
		.subject = "Your visit tomorrow", .body = "Hello Zoë,\nsee you at 10:30.\n",
		.client_id = 9, .appointment_id = 7,
	};
	return m;
}

/* 1 when some line of text starts with prefix. */
static int has_line(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (!strncmp(p, prefix, n))
			return 1;
	return 0;
}

/* The header line (with continuations) that starts with prefix, or "". */
static char *header(const char *msg, const char *prefix)
{
	const char *p = msg, *end;

	while (p && strncmp(p, prefix, strlen(prefix)))
		p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
	if (!p)
		return xstrdup("");
	for (end = p; (end = strchr(end, '\n')) && end[1] == ' '; end++)
		;
	return xstrndup(p, end ? (size_t)(end - p) : strlen(p));
}

static int lines_within(const char *text, size_t max)
{
	size_t n;

	for (const char *p = text; *p; p += n + 1) {
		n = strcspn(p, "\n");
		if (n > max)
			return 0;
		if (!p[n])
			break;
	}
	return 1;
}

static size_t b64_decode(const char *s, size_t n, char *out)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned v = 0, bits = 0;
	size_t len = 0;

	for (size_t i = 0; i < n && s[i] != '='; i++) {
		const char *d = strchr(digits, s[i]);

		if (!d || !s[i])
			continue;
		v = v << 6 | (unsigned)(d - digits);
		if ((bits += 6) >= 8) {
			bits -= 8;
			out[len++] = (char)(v >> bits & 0xff);
		}
	}
	out[len] = '\0';
	return len;
}

/*
 * Decodes a header value made of encoded-words only, checking that each
 * word is at most 75 characters and holds whole UTF-8 characters.
 */
static char *decode_words(const char *value, int *ok)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = value, *end;
	char buf[128];
	size_t n;

	*ok = 1;
	while ((p = strstr(p, "=?UTF-8?B?"))) {
		end = strstr(p + 10, "?=");
		if (!end || end + 2 - p > 75)
			*ok = 0;
		if (!end || end - p > 150)
			break;
		n = b64_decode(p + 10, (size_t)(end - p - 10), buf);
		if (!utf8_valid(buf, n))
			*ok = 0;
		strbuf_add(&sb, buf, n);
		p = end + 2;
	}
	return strbuf_detach(&sb);
}

static enum appt_status send_sh(const char *script, const struct outgoing *m,
				struct appt_err *err)
{
	struct cfg_channel ch;
	enum appt_status st;

	sh_channel(&ch, TRANSPORT_COMMAND, script);
	st = transport_send(&cfg, &ch, m, NOW, err);
	strlist_clear(&ch.command);
	return st;
}

/* ---- the e-mail message ------------------------------------------------- */

TEST(email_headers_for_a_plain_message)
{
	static const char head[] = "From: \"Test Clinic\" <desk@example.com>\n"
				   "To: \"Ann Lee\" <zoe@example.com>\n"
				   "Subject: Your visit tomorrow\n"
				   "Date: Tue, 02 Mar 2027 03:30:00 -0700\n"
				   "Message-ID: <appt.42.";
	struct outgoing m = message();
	char *msg, *id;

	m.to_name = "Ann Lee";
	msg = transport_email_message(&cfg, NULL, &m, NOW);
	CHECK(!strncmp(msg, head, strlen(head)));
	CHECK(strstr(msg, ">\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
			  "Content-Transfer-Encoding: base64\n\n"));
	CHECK(!strchr(msg, '\r'));
	id = header(msg, "Message-ID: <appt.42.");
	/* the key's hash in 16 hex digits, then the host */
	CHECK_INT(strspn(id + 21, "0123456789abcdef"), 16);
	CHECK(id[21 + 16] == '@' && id[strlen(id) - 1] == '>');
	free(id);
	free(msg);
}

TEST(email_message_id_follows_the_key)
{
	struct outgoing a = message(), b = message();
	char *ma, *mb, *ha, *hb, *hc;

	b.key = "reminder:7:2027-03-04T10:00";
	ma = transport_email_message(&cfg, NULL, &a, NOW);
	mb = transport_email_message(&cfg, NULL, &b, NOW);
	ha = header(ma, "Message-ID:");
	hb = header(mb, "Message-ID:");
	free(mb);
	mb = transport_email_message(&cfg, NULL, &a, NOW + 3600);
	hc = header(mb, "Message-ID:");
	CHECK(strcmp(ha, hb) != 0);
	CHECK_STR(hc, ha);
	free(ha);
	free(hb);
	free(hc);
	free(ma);
	free(mb);
}

TEST(email_from_prefers_channel_then_business)
{
	struct cfg_channel ch;
	struct appt_config bare = { 0 };
	struct outgoing m = message();
	char *msg, *h;

	channel_init(&ch, TRANSPORT_SENDMAIL, NULL);
	ch.from = "Front Desk <front@example.com>";
	msg = transport_email_message(&cfg, &ch, &m, NOW);
	h = header(msg, "From:");
	CHECK_STR(h, "From: \"Front Desk\" <front@example.com>");
	free(h);
	free(msg);
	ch.from = "plain@example.com";
	msg = transport_email_message(&cfg, &ch, &m, NOW);
	h = header(msg, "From:");
	CHECK_STR(h, "From: \"Test Clinic\" <plain@example.com>");
	free(h);
	free(msg);
	msg = transport_email_message(&bare, NULL, &m, NOW);
	h = header(msg, "From:");
	CHECK_STR(h, "From: appt@localhost");
	free(h);
	free(msg);
}

TEST(email_non_ascii_name_is_an_encoded_word)
{
	struct outgoing m = message();
	char *msg, *h;

	m.to_name = "Zoë";
	msg = transport_email_message(&cfg, NULL, &m, NOW);
	h = header(msg, "To:");
	CHECK_STR(h, "To: =?UTF-8?B?Wm/Dqw==?= <zoe@example.com>");
	free(h);
	free(msg);
}

TEST(email_quotes_names_with_specials_verbatim)
{
	struct outgoing m = message();
	char *msg, *h;

	m.to_name = "$(touch /tmp/x); \"O'Brien\" \\ <a@b>";
	msg = transport_email_message(&cfg, NULL, &m, NOW);
	h = header(msg, "To:");
	CHECK_STR(h, "To: \"$(touch /tmp/x); \\\"O'Brien\\\" \\\\ <a@b>\" <zoe@example.com>");
	free(h);
	free(msg);
}

TEST(email_long_non_ascii_subject_splits_into_whole_characters)
{
	const char *subject = "Rappel : votre séance de peeling chez Clinique Zoë — "
			      "demain à 10h30 ; merci de confirmer ou d'appeler le cabinet, "
			      "les créneaux sont très demandés ✓";
	struct outgoing m = message();
	char *msg, *h, *decoded;
	int ok;

	m.subject = subject;
	msg = transport_email_message(&cfg, NULL, &m, NOW);
	h = header(msg, "Subject: ");
	CHECK(!strncmp(h, "Subject: =?UTF-8?B?", 19));
	CHECK(strstr(h, "?=\n =?UTF-8?B?") != NULL);
	CHECK(lines_within(h, 78));
	decoded = decode_words(h, &ok);
	CHECK(ok);
	CHECK_STR(decoded, subject);
	free(decoded);
	free(h);
	free(msg);
}

TEST(email_long_ascii_subject_is_folded_plain)
{
	const char *subject = "A reminder of your appointment tomorrow at ten thirty "
			      "in the morning with Dr Smith at the Main Street office";
	struct outgoing m = message();
	struct strbuf unfolded = STRBUF_INIT;
	char *msg, *h;

	m.subject = subject;
	msg = transport_email_message(&cfg, NULL, &m, NOW);
	h = header(msg, "Subject: ");
	CHECK(strchr(h, '\n') != NULL);
	CHECK(lines_within(h, 78));
	for (const char *p = h + 9; *p; p++)
		if (*p != '\n')
			strbuf_addch(&unfolded, *p);
	CHECK_STR(strbuf_str(&unfolded), subject);
	strbuf_release(&unfolded);
	free(h);
	free(msg);
}

TEST(email_subject_that_looks_encoded_is_encoded)
{
	struct outgoing m = message();
	char *msg, *h, *decoded;
	int ok;

	m.subject = "=?UTF-8?B?SGk=?=";
	msg = transport_email_message(&cfg, NULL, &m, NOW);
	h = header(msg, "Subject: ");
	decoded = decode_words(h, &ok);
	CHECK_STR(decoded, "=?UTF-8?B?SGk=?=");
	free(decoded);
	free(h);
	free(msg);
}

TEST(email_header_injection_yields_no_new_header)
{
	struct outgoing m = message();
	char *msg, *h;

	m.to_name = "Eve\r\nBcc: x@evil";
	m.subject = "Hi\nBcc: y@evil\rCc: z@evil";
	m.to = "eve@example.com\r\nBcc: w@evil";
	msg = transport_email_message(&cfg, NULL, &m, NOW);
	CHECK(!has_line(msg, "Bcc"));
	CHECK(!has_line(msg, "Cc"));
	CHECK(!strchr(msg, '\r'));
	h = header(msg, "To:");
	CHECK_STR(h, "To: \"Eve  Bcc: x@evil\" <eve@example.comBccw@evil>");
	free(h);
	h = header(msg, "Subject:");
	CHECK_STR(h, "Subject: Hi Bcc: y@evil Cc: z@evil");
	free(h);
	free(msg);
}

TEST(email_body_is_base64_of_crlf_text)
{
	struct outgoing m = message();
	struct strbuf body = STRBUF_INIT, want = STRBUF_INIT;
	char *msg, *b64, *decoded;

	for (int i = 0; i < 40; i++)
		strbuf_addf(&body, "Line %d: café ✓\n", i);
	m.body = body.buf;
	msg = transport_email_message(&cfg, NULL, &m, NOW);
	b64 = strstr(msg, "\n\n") + 2;
	CHECK(lines_within(b64, 76));
	CHECK(strlen(b64) > 77 && b64[76] == '\n');
	decoded = xmalloc(strlen(b64));
	b64_decode(b64, strlen(b64), decoded);
	for (const char *p = body.buf; *p; p++)
		strbuf_addstr(&want, *p == '\n' ? "\r\n" : (char[]){ *p, 0 });
	CHECK_STR(decoded, want.buf);
	free(decoded);
	free(msg);
	strbuf_release(&want);
	strbuf_release(&body);
}

/* Python's email package reads the message back as a mail client would. */
static int python_check(const struct outgoing *m, const struct cfg_channel *ch,
			const char *from_name, const char *from_addr, const char *name)
{
	const char *msg_path = in_scratch(name), *json_path = in_scratch("expected.json");
	char *msg = transport_email_message(&cfg, ch, m, NOW);
	char *to_name = xstrdup(m->to_name);
	FILE *fp = fopen(msg_path, "w");
	int status = -1;
	json_t *want;
	pid_t pid;

	/* Control characters in a name are sent as spaces. */
	for (char *p = to_name; *p; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	want = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "from_name", from_name,
			 "from_addr", from_addr, "to_name", to_name, "to_addr", m->to,
			 "subject", m->subject, "body", m->body);
	free(to_name);
	if (fp) {
		fputs(msg, fp);
		fclose(fp);
	}
	json_dump_file(want, json_path, 0);
	json_decref(want);
	free(msg);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		execlp("python3", "python3", "tests/unit/check_email.py", msg_path, json_path,
		       (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(email_parses_back_in_python)
{
	struct outgoing m = message();
	struct cfg_channel ch;

	channel_init(&ch, TRANSPORT_SENDMAIL, NULL);
	ch.from = "Clinique Zoë <desk@example.com>";
	/* One LF: Python folds runs of spaces in a phrase into one. */
	m.to_name = "Zoë \"Z\" Ådams\nBcc: x@evil";
	m.subject = "Rappel : votre séance de peeling chez Clinique Zoë — demain à 10h30, "
		    "merci de confirmer ✓";
	m.body = "Bonjour Zoë,\n\nÀ demain !\n.\nFrom the desk\n";
	CHECK_INT(python_check(&m, &ch, "Clinique Zoë", "desk@example.com", "zoe.eml"), 0);
	m.to_name = "$(touch /tmp/x); \"O'Brien\"";
	m.subject = "A reminder of your appointment tomorrow at ten thirty in the "
		    "morning with Dr Smith";
	ch.from = NULL;
	CHECK_INT(python_check(&m, &ch, "Test Clinic", "desk@example.com", "obrien.eml"), 0);
}

/* ---- the command transport ---------------------------------------------- */

TEST(command_gets_body_on_stdin_and_message_variables)
{
	struct outgoing m = message();
	struct appt_err err = { "" };
	char *body, *env;

	setenv("APPT_TO", "stale@example.com", 1);
	CHECK_INT(send_sh("cat > \"$OUT\"; env | grep '^APPT_' | sort > \"$OUT.env\"",
			  &m, &err), APPT_OK);
	unsetenv("APPT_TO");
	body = slurp(out_path);
	CHECK_STR(body, m.body);
	env = slurp(in_scratch("out.env"));
	CHECK_STR(env, "APPT_APPOINTMENT_ID=7\nAPPT_CHANNEL=email\nAPPT_CLIENT_ID=9\n"
		       "APPT_MSG_ID=42\nAPPT_MSG_KIND=reminder\n"
		       "APPT_SUBJECT=Your visit tomorrow\nAPPT_TO=zoe@example.com\n");
	free(body);
	free(env);
}

TEST(command_variables_empty_when_unset)
{
	struct outgoing m = message();
	struct appt_err err = { "" };
	char *env;

	m.subject = NULL;
	m.appointment_id = 0;
	CHECK_INT(send_sh("printf '[%s][%s]' \"${APPT_SUBJECT-unset}\" "
			  "\"${APPT_APPOINTMENT_ID-unset}\" > \"$OUT\"", &m, &err), APPT_OK);
	env = slurp(out_path);
	CHECK_STR(env, "[][]");
	free(env);
}

TEST(command_failure_reports_first_stderr_line)
{
	struct outgoing m = message();
	struct appt_err err = { "" };

	CHECK_INT(send_sh("echo 'no credit left' >&2; echo 'second line' >&2; exit 1",
			  &m, &err), APPT_UNAVAILABLE);
	CHECK_STR(err.msg, "command '/bin/sh' exited 1: no credit left");
	CHECK_INT(send_sh("exit 3", &m, &err), APPT_UNAVAILABLE);
	CHECK_STR(err.msg, "command '/bin/sh' exited 3");
	CHECK_INT(send_sh("printf 'bad\\033[31m\\ttab\\r' >&2; exit 2", &m, &err),
		  APPT_UNAVAILABLE);
	CHECK_STR(err.msg, "command '/bin/sh' exited 2: bad [31m tab");
}

TEST(command_stderr_is_cut_at_a_character)
{
	struct outgoing m = message();
	struct appt_err err = { "" };
	struct strbuf want = STRBUF_INIT;
	const char *line;

	/* "x" then 150 two-byte characters: byte 200 falls inside one. */
	CHECK_INT(send_sh("printf x >&2; i=0; while [ $i -lt 150 ]; do printf 'é' >&2; "
			  "i=$((i+1)); done; exit 2", &m, &err), APPT_UNAVAILABLE);
	strbuf_addch(&want, 'x');
	for (int i = 0; i < 99; i++)
		strbuf_addstr(&want, "é");
	line = strstr(err.msg, ": ");
	CHECK(line != NULL);
	CHECK_STR(line ? line + 2 : "", want.buf);
	strbuf_release(&want);
}

TEST(command_killed_by_signal)
{
	struct outgoing m = message();
	struct appt_err err = { "" };

	CHECK_INT(send_sh("kill -9 $$", &m, &err), APPT_UNAVAILABLE);
	CHECK_STR(err.msg, "command '/bin/sh' killed by signal 9");
}

static double elapsed_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

TEST(command_timeout_kills_it)
{
	struct outgoing m = message();
	struct appt_err err = { "" };
	struct timespec t0;
	double took;

	setenv("APPT_TRANSPORT_TIMEOUT", "1", 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(send_sh("sleep 20", &m, &err), APPT_UNAVAILABLE);
	took = elapsed_since(&t0);
	CHECK_STR(err.msg, "command '/bin/sh' timed out after 1s");
	CHECK(took >= 0.9 && took < 2.5);
	/* Deaf to SIGTERM, with a grandchild: SIGKILL to the group after the grace. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(send_sh("trap '' TERM; sleep 20; echo late > \"$OUT.late\"", &m, &err),
		  APPT_UNAVAILABLE);
	took = elapsed_since(&t0);
	CHECK_STR(err.msg, "command '/bin/sh' timed out after 1s");
	CHECK(took >= 2.5 && took < 5);
	unsetenv("APPT_TRANSPORT_TIMEOUT");
	CHECK(!exists(in_scratch("out.late")));
}

TEST(command_that_ignores_stdin_does_not_kill_us)
{
	struct outgoing m = message();
	struct appt_err err = { "" };
	char *big = xmalloc(1 << 20);

	memset(big, 'a', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	m.body = big;
	CHECK_INT(send_sh("exec 0<&-; exit 0", &m, &err), APPT_OK);
	CHECK_INT(send_sh("exit 4", &m, &err), APPT_UNAVAILABLE);
	CHECK_STR(err.msg, "command '/bin/sh' exited 4");
	CHECK_INT(send_sh("wc -c > \"$OUT\"", &m, &err), APPT_OK);
	free(big);
	big = slurp(out_path);
	CHECK_INT(big ? atol(big) : -1, (1 << 20) - 1);
	free(big);
}

TEST(command_missing_binary)
{
	const char *abs[] = { "/nonexistent/appt-send", NULL };
	const char *rel[] = { "appt-no-such-command", "x", NULL };
	struct outgoing m = message();
	struct appt_err err = { "" };
	struct cfg_channel ch;

	channel_init(&ch, TRANSPORT_COMMAND, abs);
	CHECK_INT(transport_send(&cfg, &ch, &m, NOW, &err), APPT_UNAVAILABLE);
	CHECK_STR(err.msg, "cannot run '/nonexistent/appt-send': No such file or directory");
	strlist_clear(&ch.command);
	channel_init(&ch, TRANSPORT_COMMAND, rel);
	CHECK_INT(transport_send(&cfg, &ch, &m, NOW, &err), APPT_UNAVAILABLE);
	CHECK_STR(err.msg, "cannot run 'appt-no-such-command': No such file or directory");
	strlist_clear(&ch.command);
}

TEST(command_runs_from_path_without_a_shell)
{
	const char *argv[] = { "sh", "-c", "cat > \"$OUT\"", "sh", NULL };
	struct outgoing m = message();
	struct appt_err err = { "" };
	struct cfg_channel ch;
	char *got;

	channel_init(&ch, TRANSPORT_COMMAND, argv);
	CHECK_INT(transport_send(&cfg, &ch, &m, NOW, &err), APPT_OK);
	strlist_clear(&ch.command);
	got = slurp(out_path);
	CHECK_STR(got, m.body);
	free(got);
}

TEST(command_sees_no_other_descriptors)
{
	struct outgoing m = message();
	struct appt_err err = { "" };
	char *fds;
	/* No O_CLOEXEC on purpose; 42 stays clear of what ls itself opens. */
	int devnull = open("/dev/null", O_RDONLY), leak = dup2(devnull, 42);

	close(devnull);
	CHECK_INT(leak, 42);
	CHECK_INT(send_sh("exec ls /proc/self/fd > \"$OUT\"", &m, &err), APPT_OK);
	close(leak);
	fds = slurp(out_path);
	CHECK(fds && !strstr(fds, "\n42\n"));
	CHECK(fds && !strncmp(fds, "0\n1\n2\n", 6));
	free(fds);
}

/* Shell syntax in a client's name or subject is text, never run. */
TEST(client_text_is_never_executed)
{
	const char *pwned = in_scratch("pwned");
	char *name = xasprintf("$(touch %s); `touch %s`; \"O'Brien\"", pwned, pwned);
	struct outgoing m = message();
	struct appt_err err = { "" };
	struct cfg_channel ch;
	char *got, *h;
	int ok;

	m.to_name = name;
	m.subject = name;
	m.body = name;
	CHECK_INT(send_sh("printf '%s|%s' \"$APPT_SUBJECT\" \"$(cat)\" > \"$OUT\"", &m, &err),
		  APPT_OK);
	got = slurp(out_path);
	h = xasprintf("%s|%s", name, name);
	CHECK_STR(got, h);
	free(got);
	free(h);
	sh_channel(&ch, TRANSPORT_SENDMAIL, "cat > \"$OUT\"");
	CHECK_INT(transport_send(&cfg, &ch, &m, NOW, &err), APPT_OK);
	strlist_clear(&ch.command);
	got = slurp(out_path);
	h = header(got ? got : "", "To:");
	CHECK(!has_line(got ? got : "", "Bcc"));
	free(got);
	got = decode_words(h, &ok);
	CHECK_STR(got, name);
	free(h);
	free(got);
	CHECK(!exists(pwned));
	free(name);
}

/* ---- the sendmail transport --------------------------------------------- */

TEST(sendmail_pipes_the_message)
{
	struct outgoing m = message();
	struct appt_err err = { "" };
	struct cfg_channel ch;
	char *got, *want;

	sh_channel(&ch, TRANSPORT_SENDMAIL, "cat > \"$OUT\"; echo \"$APPT_TO\" > \"$OUT.env\"");
	CHECK_INT(transport_send(&cfg, &ch, &m, NOW, &err), APPT_OK);
	got = slurp(out_path);
	want = transport_email_message(&cfg, &ch, &m, NOW);
	CHECK_STR(got, want);
	free(got);
	free(want);
	got = slurp(in_scratch("out.env"));
	CHECK_STR(got, "zoe@example.com\n");
	free(got);
	strlist_clear(&ch.command);
}

TEST(sendmail_refuses_bad_addresses)
{
	static const char *const bad[] = {
		"eve@example.com\r\nBcc: x@evil", "a@b.c, x@evil", "Eve <eve@example.com>",
		"eve @example.com", "eve", "@example.com", "eve@", "a@b@c", "",
	};
	struct outgoing m = message();
	struct appt_err err = { "" };
	struct cfg_channel ch;

	sh_channel(&ch, TRANSPORT_SENDMAIL, "cat > \"$OUT.bad\"");
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		m.to = bad[i];
		CHECK_INT(transport_send(&cfg, &ch, &m, NOW, &err), APPT_UNAVAILABLE);
		CHECK(str_starts_with(err.msg, "invalid e-mail address '"));
		CHECK(!strchr(err.msg, '\n') && !strchr(err.msg, '\r'));
	}
	m = message();
	ch.from = "Desk <desk example.com>";
	CHECK_INT(transport_send(&cfg, &ch, &m, NOW, &err), APPT_UNAVAILABLE);
	CHECK_STR(err.msg, "channel 'test': invalid From address 'desk example.com'");
	CHECK(!exists(in_scratch("out.bad")));
	strlist_clear(&ch.command);
}

/* ---- the file transport ------------------------------------------------- */

TEST(file_appends_readable_records)
{
	struct outgoing m = message();
	struct appt_err err = { "" };
	struct cfg_channel ch;
	struct stat st;
	char *got;

	channel_init(&ch, TRANSPORT_FILE, NULL);
	ch.path = (char *)in_scratch("outbox.txt");
	m.body = "Hi.\n.\n..dots\nend";
	CHECK_INT(transport_send(&cfg, &ch, &m, NOW, &err), APPT_OK);
	m.id = 43;
	m.subject = NULL;
	m.channel = "sms";
	m.to = "+1555\n0100";
	m.body = "Short";
	CHECK_INT(transport_send(&cfg, &ch, &m, NOW, &err), APPT_OK);
	got = slurp(ch.path);
	CHECK_STR(got, "From appt 2027-03-02T03:30:00-07:00\n"
		       "Message-Id: 42\nKind: reminder\nChannel: email\n"
		       "To: zoe@example.com\nSubject: Your visit tomorrow\n\n"
		       "Hi.\n..\n...dots\nend\n.\n"
		       "From appt 2027-03-02T03:30:00-07:00\n"
		       "Message-Id: 43\nKind: reminder\nChannel: sms\n"
		       "To: +1555 0100\n\nShort\n.\n");
	CHECK(stat(ch.path, &st) == 0 && (st.st_mode & 0777) == 0600);
	free(got);
}

TEST(file_unopenable_is_unavailable)
{
	struct outgoing m = message();
	struct appt_err err = { "" };
	struct cfg_channel ch;
	const char *path = in_scratch("no/such/dir/outbox.txt");

	channel_init(&ch, TRANSPORT_FILE, NULL);
	ch.path = (char *)path;
	CHECK_INT(transport_send(&cfg, &ch, &m, NOW, &err), APPT_UNAVAILABLE);
	CHECK(str_starts_with(err.msg, "cannot open '"));
	CHECK(strstr(err.msg, "': No such file or directory") != NULL);
}

/* Every command run above was waited for. */
TEST(no_child_is_left_behind)
{
	int status;

	errno = 0;
	CHECK(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD);
}

static void cleanup(void)
{
	pid_t pid;

	if ((pid = fork()) == 0) {
		execl("/bin/rm", "rm", "-rf", scratch, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	struct appt_err err;
	int len;

	len = snprintf(scratch, sizeof(scratch) - 6, "%s/appt-transport-",
		       tmp && *tmp ? tmp : "/tmp");
	/* then the six letters mkdtemp replaces */
	if (len > 0 && (size_t)len < sizeof(scratch) - 7)
		memset(scratch + len, 'X', 6);
	if (!mkdtemp(scratch)) {
		printf("Bail out! cannot make a scratch directory: %s\n", strerror(errno));
		return 1;
	}
	if (when_set_zone("America/Denver", &err) != APPT_OK) {
		printf("Bail out! %s\n", err.msg);
		return 1;
	}
	snprintf(out_path, sizeof(out_path), "%s/out", scratch);
	setenv("OUT", out_path, 1);
	cfg.business.name = "Test Clinic";
	cfg.business.email = "desk@example.com";

	RUN(email_headers_for_a_plain_message);
	RUN(email_message_id_follows_the_key);
	RUN(email_from_prefers_channel_then_business);
	RUN(email_non_ascii_name_is_an_encoded_word);
	RUN(email_quotes_names_with_specials_verbatim);
	RUN(email_long_non_ascii_subject_splits_into_whole_characters);
	RUN(email_long_ascii_subject_is_folded_plain);
	RUN(email_subject_that_looks_encoded_is_encoded);
	RUN(email_header_injection_yields_no_new_header);
	RUN(email_body_is_base64_of_crlf_text);
	RUN(email_parses_back_in_python);
	RUN(command_gets_body_on_stdin_and_message_variables);
	RUN(command_variables_empty_when_unset);
	RUN(command_failure_reports_first_stderr_line);
	RUN(command_stderr_is_cut_at_a_character);
	RUN(command_killed_by_signal);
	RUN(command_timeout_kills_it);
	RUN(command_that_ignores_stdin_does_not_kill_us);
	RUN(command_missing_binary);
	RUN(command_runs_from_path_without_a_shell);
	RUN(command_sees_no_other_descriptors);
	RUN(client_text_is_never_executed);
	RUN(sendmail_pipes_the_message);
	RUN(sendmail_refuses_bad_addresses);
	RUN(file_appends_readable_records);
	RUN(file_unopenable_is_unavailable);
	RUN(no_child_is_left_behind);
	cleanup();
	return unit_done();
}
