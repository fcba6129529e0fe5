/*
 * web: HTTP for appt serve, on libmicrohttpd (Debian's libmicrohttpd-dev):
 * a small, well-kept C server library that does HTTP/1.1 parsing, keep-alive
 * and timeouts, and leaves every byte of the answer to us.
 *
 * This file is the door: it takes a request in, bounds it (headers by
 * libmicrohttpd's per-connection memory, bodies by WEB_BODY_MAX), refuses
 * what no route should see (other methods, cross-site POSTs, POST floods,
 * bodies that are not forms), hands the rest to web_route, and writes one
 * log line.  The listening socket is ours, so that a port in use is a
 * clear message and port 0 tells which port it got.
 */
#include "web.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "listen.h"
#include "web_priv.h"
#include "when.h"

/* Addresses remembered for the POST limit: enough for a small business's clients. */
#define RATE_SLOTS 512
#define RATE_WINDOW 60 /* seconds */

struct rate_slot {
	char addr[INET6_ADDRSTRLEN];
	time_t window; /* start of the minute counted, on the monotonic clock */
	int posts;
};

struct web_server {
	struct appt_session *s;
	FILE *log;
	int lost;     /* the database connection was lost: stop, so that systemd restarts us */
	char *origin; /* scheme://host[:port] of serve.base_url, or NULL */
	struct rate_slot rates[RATE_SLOTS];
};

/* One request while its body arrives. */
struct pending {
	struct strbuf body;
	int too_big;
	struct timespec started;
};

static time_t monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* ---- refusals before routing ---- */

/* Whether addr has POSTed more than serve.post_limit times this minute. */
static int over_post_limit(struct web_server *w, const char *addr)
{
	time_t now = monotonic_seconds();
	struct rate_slot *slot = NULL, *oldest = &w->rates[0];

	for (size_t i = 0; i < RATE_SLOTS && !slot; i++) {
		if (!strcmp(w->rates[i].addr, addr))
			slot = &w->rates[i];
		else if (w->rates[i].window < oldest->window)
			oldest = &w->rates[i];
	}
	if (!slot) {
		slot = oldest;
		snprintf(slot->addr, sizeof(slot->addr), "%s", addr);
		slot->window = now;
		slot->posts = 0;
	}
	if (now - slot->window >= RATE_WINDOW) {
		slot->window = now;
		slot->posts = 0;
	}
	return ++slot->posts > w->s->cfg->serve.post_limit;
}

/* "https://book.example.com/x" -> "https://book.example.com". */
static char *origin_of(const char *url)
{
	const char *host = strstr(url, "://");
	size_t n;

	if (!host)
		return NULL;
	n = strcspn(host + 3, "/");
	return xstrndup(url, (size_t)(host + 3 - url) + n);
}

/*
 * A POST from a page of another site is refused: there are no cookies to
 * steal, but a form elsewhere must not book or cancel in a client's name.
 * Browsers say where a form came from (Origin, Sec-Fetch-Site); clients
 * that are not browsers (curl, an SMS gateway) say nothing and are let in,
 * since they could say anything.
 */
static int cross_site(struct web_server *w, struct MHD_Connection *conn)
{
	const char *origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
	const char *site = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Sec-Fetch-Site");
	const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
	const char *origin_host = origin ? strstr(origin, "://") : NULL;

	if (site && !strcmp(site, "cross-site"))
		return 1;
	if (!origin)
		return 0;
	if (w->origin)
		return strcmp(origin, w->origin) != 0;
	/* no base_url: the page's own host, as the browser reached it */
	return !host || !origin_host || strcmp(origin_host + 3, host) != 0;
}

static int is_form(struct MHD_Connection *conn)
{
	const char *type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
	static const char form[] = "application/x-www-form-urlencoded";

	return type && !strncasecmp(type, form, sizeof(form) - 1) &&
	       (!type[sizeof(form) - 1] || type[sizeof(form) - 1] == ';');
}

static void refuse(struct web_response *res, int status, const char *why)
{
	res->status = status;
	res->type = "text/plain; charset=utf-8";
	strbuf_reset(&res->body);
	strbuf_addf(&res->body, "%s\n", why);
}

/* ---- the request as the routes see it ---- */

struct query_walk {
	struct web_params *p;
	int bad;
};

static enum MHD_Result add_query(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	struct query_walk *q = cls;

	if (!value)
		value = "";
	if (strlen(key) > WEB_FIELD_MAX || strlen(value) > WEB_FIELD_MAX ||
	    !utf8_valid(key, strlen(key)) || !utf8_valid(value, strlen(value))) {
		q->bad = 1;
		return MHD_NO;
	}
	strlist_push(&q->p->names, key);
	strlist_push(&q->p->values, value);
	return MHD_YES;
}

static void peer_address(struct MHD_Connection *conn, char *buf, size_t size)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = info ? info->client_addr : NULL;
	socklen_t len = sa && sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
							  : sizeof(struct sockaddr_in);

	if (!sa || getnameinfo(sa, len, buf, (socklen_t)size, NULL, 0, NI_NUMERICHOST))
		snprintf(buf, size, "-");
}

/*
 * What may be refused before any route runs: a method we do not take, and
 * for a POST too many from one address, another site's form, a body too
 * big, or one that is not a form.  0 when the request goes on.
 */
static int gate(struct web_server *w, struct MHD_Connection *conn, struct web_request *req,
		struct pending *p, struct web_response *res)
{
	struct query_walk q = { &req->query, 0 };

	if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD") &&
	    strcmp(req->method, "POST")) {
		res->allow = "GET, HEAD, POST";
		refuse(res, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed");
		return -1;
	}
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_query, &q);
	if (q.bad) {
		refuse(res, MHD_HTTP_BAD_REQUEST, "malformed query string");
		return -1;
	}
	if (strcmp(req->method, "POST"))
		return 0;
	/*
	 * The SMS gateway, its key given, is not held to the per-address limit:
	 * behind the proxy it shares the clients' address, and a busy minute on
	 * the booking page must not lose a client's STOP.  Guesses at the key are.
	 */
	if (!web_is_sms_gateway(w->s, req) && over_post_limit(w, req->addr)) {
		refuse(res, MHD_HTTP_TOO_MANY_REQUESTS, "too many requests; try again in a minute");
		return -1;
	}
	if (cross_site(w, conn)) {
		refuse(res, MHD_HTTP_FORBIDDEN, "a form of another site may not post here");
		return -1;
	}
	if (p->too_big) {
		refuse(res, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large");
		return -1;
	}
	if (p->body.len && !is_form(conn)) {
		refuse(res, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
		       "expected application/x-www-form-urlencoded");
		return -1;
	}
	if (web_params_parse(&req->form, p->body.buf ? p->body.buf : "", p->body.len) < 0) {
		refuse(res, MHD_HTTP_BAD_REQUEST, "malformed form data");
		return -1;
	}
	return 0;
}

/* ---- the answer and its log line ---- */

/* A link's token shortened to its first four characters: a log holds no working link. */
static void shorten_token(const char *path, char *buf, size_t size)
{
	static const char *const secret[] = { "/a/", "/feed/" };

	for (size_t i = 0; i < sizeof(secret) / sizeof(secret[0]); i++) {
		size_t n = strlen(secret[i]);

		if (!strncmp(path, secret[i], n) && strlen(path) > n + 4) {
			const char *rest = strpbrk(path + n, "/.");

			snprintf(buf, size, "%s%.4s...%s", secret[i], path + n, rest ? rest : "");
			return;
		}
	}
	snprintf(buf, size, "%s", path);
}

/*
 * Control characters shown as '?': the path was %-decoded, and a reason
 * may quote what a client typed; a %0a in either must not forge a line.
 */
static void log_clean(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static void log_request(struct web_server *w, const struct web_request *req,
			const struct web_response *res, const struct pending *p)
{
	struct timespec end;
	char at[40], path[160], *why = res->why ? xasprintf(" (%s)", res->why) : NULL;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &end);
	ms = (end.tv_sec - p->started.tv_sec) * 1000 + (end.tv_nsec - p->started.tv_nsec) / 1000000;
	when_format_iso(w->s->now, at, sizeof(at));
	shorten_token(req->path, path, sizeof(path));
	log_clean(path);
	if (why)
		log_clean(why);
	fprintf(w->log, "%s %s %s %s %d %ldms%s\n", at, req->addr, req->method, path,
		res->status, ms, why ? why : "");
	fflush(w->log);
	free(why);
}

static enum MHD_Result send_response(struct MHD_Connection *conn, struct web_response *res)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		res->body.len, res->body.buf ? res->body.buf : "", MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ok;

	MHD_add_response_header(r, "Content-Type",
				res->type ? res->type : "text/html; charset=utf-8");
	MHD_add_response_header(r, "Cache-Control", res->cache ? "max-age=3600" : "no-store");
	/*
	 * A token in the page's URL must not travel on to other sites as a
	 * Referer; same-origin rather than no-referrer, under which browsers
	 * send "Origin: null" on the page's own forms and cross_site could not
	 * tell them from a foreign one.
	 */
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'none'; style-src 'self'; form-action 'self';"
				" frame-ancestors 'none'; base-uri 'none'");
	if (res->location)
		MHD_add_response_header(r, "Location", res->location);
	if (res->allow)
		MHD_add_response_header(r, "Allow", res->allow);
	if (res->status == MHD_HTTP_TOO_MANY_REQUESTS)
		MHD_add_response_header(r, "Retry-After", "60");
	ok = MHD_queue_response(conn, (unsigned)res->status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result respond(struct web_server *w, struct MHD_Connection *conn,
			       const char *url, const char *method, struct pending *p)
{
	char addr[INET6_ADDRSTRLEN];
	struct web_request req = { method, url, { STRLIST_INIT, STRLIST_INIT },
				   { STRLIST_INIT, STRLIST_INIT }, addr };
	struct web_response res = { .status = MHD_HTTP_OK, .body = STRBUF_INIT };
	enum MHD_Result ok;

	peer_address(conn, addr, sizeof(addr));
	/* each request has its own time: APPT_NOW when set (tests), else the clock */
	if (when_now(&w->s->now, NULL))
		w->s->now = time(NULL);
	if (!gate(w, conn, &req, p, &res))
		web_route(w->s, &req, &res);
	ok = send_response(conn, &res);
	log_request(w, &req, &res, p);
	if (res.status >= 500 && !w->lost && !db_alive(w->s->db)) {
		/*
		 * libpq does not come back from a lost connection by itself, and
		 * every request after would fail: better to stop and be restarted
		 * (Restart=on-failure) than to answer 500 until someone looks.
		 */
		w->lost = 1;
		kill(getpid(), SIGTERM);
	}
	web_params_clear(&req.query);
	web_params_clear(&req.form);
	strbuf_release(&res.body);
	free(res.location);
	free(res.why);
	return ok;
}

static int declared_too_big(struct MHD_Connection *conn)
{
	const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");

	return length && strtoull(length, NULL, 10) > WEB_BODY_MAX;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	struct pending *p = *con_cls;

	if (!p) {
		p = xcalloc(1, sizeof(*p));
		strbuf_init(&p->body);
		clock_gettime(CLOCK_MONOTONIC, &p->started);
		*con_cls = p;
		/* a body said to be too big is refused before a byte of it is read */
		p->too_big = declared_too_big(conn);
		return p->too_big ? respond(cls, conn, url, method, p) : MHD_YES;
	}
	if (*upload_size) {
		if (p->body.len + *upload_size > WEB_BODY_MAX)
			p->too_big = 1;
		else
			strbuf_add(&p->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	return respond(cls, conn, url, method, p);
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
		      enum MHD_RequestTerminationCode why)
{
	struct pending *p = *con_cls;

	if (p) {
		strbuf_release(&p->body);
		free(p);
		*con_cls = NULL;
	}
}

/* ---- the socket and the daemon ---- */

static enum appt_status open_socket(const char *listen_text, int *fd, unsigned *port,
				    struct appt_err *err)
{
	struct listen_address a;
	int one = 1;

	if (listen_address_parse(listen_text, &a))
		return appt_fail(err, APPT_USAGE, "'%s' is not ADDRESS:PORT", listen_text);
	*fd = socket(a.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (*fd < 0)
		return appt_fail(err, APPT_IOERR, "socket: %s", strerror(errno));
	setsockopt(*fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(*fd, (struct sockaddr *)&a.addr, a.len) || listen(*fd, 64)) {
		int e = errno;

		close(*fd);
		return appt_fail(err, APPT_IOERR, "cannot listen on %s: %s", listen_text,
				 strerror(e));
	}
	getsockname(*fd, (struct sockaddr *)&a.addr, &a.len);
	*port = ntohs(a.family == AF_INET6 ? ((struct sockaddr_in6 *)&a.addr)->sin6_port
					   : ((struct sockaddr_in *)&a.addr)->sin_port);
	return APPT_OK;
}

/* The address as a URL's host: "127.0.0.1", "[::1]". */
static char *url_host(const char *listen_text)
{
	size_t n = strrchr(listen_text, ':') - listen_text;

	return xstrndup(listen_text, n);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	FILE *log = cls;

	fputs("appt serve: ", log);
	vfprintf(log, fmt, ap);
	fflush(log);
}

/* Blocks the stop signals in every thread, so that only sigwait sees them. */
static void block_stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	pthread_sigmask(SIG_BLOCK, set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

enum appt_status web_serve(struct appt_session *s, const char *listen_text, FILE *log,
			   struct appt_err *err)
{
	struct web_server *w = xcalloc(1, sizeof(*w));
	struct MHD_Daemon *d;
	sigset_t stop;
	unsigned port = 0;
	int fd = -1, sig;
	char *host;
	enum appt_status status = open_socket(listen_text, &fd, &port, err);

	if (status) {
		free(w);
		return status;
	}
	w->s = s;
	w->log = log;
	w->origin = s->cfg->serve.base_url ? origin_of(s->cfg->serve.base_url) : NULL;
	block_stop_signals(&stop);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
			     answer, w,
			     MHD_OPTION_EXTERNAL_LOGGER, mhd_log, log,
			     MHD_OPTION_LISTEN_SOCKET, fd,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
			     MHD_OPTION_CONNECTION_LIMIT, 256u,
			     MHD_OPTION_CONNECTION_TIMEOUT, 30u,
			     MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
			     MHD_OPTION_END);
	if (!d) {
		close(fd);
		free(w->origin);
		free(w);
		return appt_fail(err, APPT_IOERR, "could not start the HTTP server");
	}
	host = url_host(listen_text);
	fprintf(log, "appt serve: listening on http://%s:%u/\n", host, port);
	fflush(log);
	free(host);
	while (sigwait(&stop, &sig))
		;
	MHD_stop_daemon(d); /* which closes the listening socket */
	if (w->lost)
		status = appt_fail(err, APPT_IOERR, "the connection to the database '%s' was lost;"
				   " stopping (a service manager restarts appt serve)", s->db->path);
	else
		fprintf(log, "appt serve: %s, stopping\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	free(w->origin);
	free(w);
	return status;
}
