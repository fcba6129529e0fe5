/*
 * listen: the address appt serve listens on, "ADDR:PORT" as serve.listen
 * and --listen give it ("127.0.0.1:8080", "[::1]:8080", "0.0.0.0:80").
 * Numeric only: a name would need a resolver at start-up, and a server
 * should not listen somewhere other than what its configuration says.
 */
#ifndef APPT_LISTEN_H
#define APPT_LISTEN_H

#include <sys/socket.h>

struct listen_address {
	struct sockaddr_storage addr;
	socklen_t len;
	int family;
	unsigned port;
};

/* 0 and *out filled for a valid "ADDR:PORT" (port 0-65535; 0: any free port, which the server then reports), -1 otherwise. */
int listen_address_parse(const char *text, struct listen_address *out);

/* Whether text is a valid "ADDR:PORT" (for the configuration's check). */
int listen_address_valid(const char *text);

#endif
