/*
 * web: appt serve, the clients' side on the web (DESIGN.md, Serving
 * clients) — an HTTP/1.1 server on libmicrohttpd, meant to sit behind the
 * business's reverse proxy for TLS, as git instaweb and fossil ui do.
 *
 * It has no rules of its own: every page and form goes through the same
 * libcore calls as the commands (slots.h, booking.h, request.h, token.h),
 * so hours, notice windows, policies, no double booking and the outbox
 * apply unchanged; the audit log names the actor "web" (or "sms").
 *
 * One thread answers every request, one after the other, on the session's
 * one database connection: a request is a few milliseconds of SQL, and
 * serialising them is what keeps twenty clients clicking the same slot
 * down to one booking without a second lock of our own.
 */
#ifndef APPT_WEB_H
#define APPT_WEB_H

#include <stdio.h>

#include "session.h"
#include "util.h"

/*
 * Serves on listen ("ADDR:PORT"; port 0 picks a free one) until SIGTERM or
 * SIGINT, then finishes the request being answered (one still uploading
 * is dropped, nothing of it written) and returns APPT_OK.  Says
 * "appt serve: listening on http://ADDR:PORT/" on log when ready, and one
 * line per request after.  APPT_IOERR when the address cannot be
 * bound, APPT_USAGE for a malformed address.
 */
enum appt_status web_serve(struct appt_session *s, const char *listen, FILE *log,
			   struct appt_err *err);

#endif
