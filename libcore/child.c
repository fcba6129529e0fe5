/*
 * child: one command run to its end, bounded in time, its stdin fed and
 * the first line of its stderr kept while its exit is awaited.
 */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STDERR_KEEP 200    /* bytes of the command's stderr kept for the error */
#define KILL_GRACE_MS 2000 /* between SIGTERM and SIGKILL */
#define TICK_MS 20         /* how often a running child is checked for exit */

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

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
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

/*
 * What the command starts with: stdin from in, stdout to out (/dev/null),
 * stderr to err, nothing else open, a process group of its own so that a
 * timeout can stop whatever it started (a shell script's children too; the
 * price is that a terminal's ^C reaches appt but not the command), and the
 * signal state of a fresh process: appt serve blocks SIGTERM in its
 * threads and ignores SIGPIPE, and neither must reach the command.
 */
static int spawn_setup(posix_spawn_file_actions_t *fa, posix_spawnattr_t *attr,
		       int in, int out, int err)
{
	sigset_t none, reset;

	sigemptyset(&none);
	sigemptyset(&reset);
	sigaddset(&reset, SIGPIPE);
	sigaddset(&reset, SIGTERM);
	sigaddset(&reset, SIGINT);
	if (posix_spawn_file_actions_init(fa))
		return -1;
	if (posix_spawnattr_init(attr)) {
		posix_spawn_file_actions_destroy(fa);
		return -1;
	}
	if (posix_spawn_file_actions_adddup2(fa, in, 0) ||
	    posix_spawn_file_actions_adddup2(fa, out, 1) ||
	    posix_spawn_file_actions_adddup2(fa, err, 2) ||
	    posix_spawn_file_actions_addclosefrom_np(fa, 3) ||
	    posix_spawnattr_setflags(attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
				     POSIX_SPAWN_SETSIGDEF) ||
	    posix_spawnattr_setpgroup(attr, 0) || posix_spawnattr_setsigmask(attr, &none) ||
	    posix_spawnattr_setsigdefault(attr, &reset)) {
		posix_spawn_file_actions_destroy(fa);
		posix_spawnattr_destroy(attr);
		return -1;
	}
	return 0;
}

/*
 * Starts argv with env.  On APPT_OK, c->pid runs and c->in / c->err are
 * our non-blocking pipe ends.  posix_spawn rather than fork: glibc's
 * clones without copying appt's page tables and reports a failed exec as
 * its result, which is what a remind run sending thousands of texts
 * through a command pays for each one.
 */
static enum appt_status child_start(struct child *c, char *const argv[],
				    char *const env[], struct appt_err *err)
{
	/* in[2], errp[2], devnull */
	int fds[5] = { -1, -1, -1, -1, -1 }, e;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;

	if (pipe2(fds, O_CLOEXEC) < 0 || pipe2(fds + 2, O_CLOEXEC) < 0 ||
	    (fds[4] = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0 ||
	    spawn_setup(&fa, &attr, fds[0], fds[4], fds[3]) < 0) {
		e = errno;
		pipes_close(fds, 5);
		return appt_fail(err, APPT_UNAVAILABLE, "cannot run '%s': %s",
				 argv[0], strerror(e));
	}
	e = posix_spawnp(&c->pid, argv[0], &fa, &attr, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(fds[0]);
	close(fds[3]);
	close(fds[4]);
	if (e) {
		close(fds[1]);
		close(fds[2]);
		return appt_fail(err, APPT_UNAVAILABLE, "cannot run '%s': %s",
				 argv[0], strerror(e));
	}
	/*
	 * Readable once the child exits: the pump then wakes at once instead of
	 * at its next tick (-1 on kernels before 5.3, which keep the tick).
	 */
	c->exited = (int)syscall(SYS_pidfd_open, c->pid, 0);
	c->in = fds[1];
	c->err = fds[2];
	fcntl(c->in, F_SETFL, O_NONBLOCK);
	fcntl(c->err, F_SETFL, O_NONBLOCK);
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

enum appt_status child_run(char *const argv[], char *const env[], const char *input,
			   int timeout, struct appt_err *err)
{
	struct child c = { .in = -1, .err = -1, .exited = -1 };
	struct sigaction ignore = { .sa_handler = SIG_IGN }, old;
	int late;
	enum appt_status st;

	c.data = input ? input : "";
	c.len = strlen(c.data);
	if ((st = child_start(&c, argv, env, err)) != APPT_OK)
		return st;
	/* A command that never reads its stdin must not kill us with SIGPIPE
	 * (the command itself starts with the usual disposition: spawn_setup). */
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
