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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "mail.h"
#include "when.h"

/* ---- the e-mail message ------------------------------------------------- */

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
	struct mail mail = {
		.from = email_from_spec(cfg, ch),
		.from_name = cfg ? cfg->business.name : NULL,
		.to = m->to, .to_name = m->to_name, .subject = m->subject, .body = m->body,
		.id = m->id, .key = m->key,
	};

	return mail_format(&mail, now);
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
	char *kind = mail_header_clean(m->kind), *chan = mail_header_clean(m->channel);
	char *to = mail_header_clean(m->to), *subject = mail_header_clean(m->subject);
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

static enum appt_status run_argv(char *const argv[], const struct outgoing *m,
				 const char *input, struct appt_err *err)
{
	char **env = env_build(m);
	enum appt_status st = child_run(argv, env, input, transport_timeout(), err);

	env_free(env);
	return st;
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

	if (!m->to || !mail_address_valid(m->to)) {
		text = mail_header_clean(m->to);
		st = appt_fail(err, APPT_UNAVAILABLE, "invalid e-mail address '%s'", text);
		free(text);
		return st;
	}
	mail_split_mailbox(email_from_spec(cfg, ch), &from_name, &from_addr);
	st = mail_address_valid(from_addr) ? APPT_OK :
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
