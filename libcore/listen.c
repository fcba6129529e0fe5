/*
 * listen: "ADDR:PORT" to a socket address, with getaddrinfo's numeric-only
 * parsing so that IPv4 and bracketed IPv6 both work without a resolver.
 */
#include "listen.h"

#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Splits "HOST:PORT" or "[HOST]:PORT"; returns the host (caller frees) or NULL. */
static char *split_host_port(const char *text, const char **port)
{
	const char *colon;

	if (*text == '[') {
		const char *close = strchr(text, ']');

		if (!close || close[1] != ':')
			return NULL;
		*port = close + 2;
		return xstrndup(text + 1, (size_t)(close - text - 1));
	}
	colon = strrchr(text, ':');
	if (!colon || strchr(text, ':') != colon)
		return NULL;
	*port = colon + 1;
	return xstrndup(text, (size_t)(colon - text));
}

int listen_address_parse(const char *text, struct listen_address *out)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
				  .ai_socktype = SOCK_STREAM };
	struct addrinfo *res = NULL;
	const char *port = NULL;
	char *host = split_host_port(text, &port), *end;
	unsigned long n;
	int rc = -1;

	if (!host || !*host || !*port)
		goto out;
	n = strtoul(port, &end, 10);
	if (*end || n > 65535 || !(*port >= '0' && *port <= '9'))
		goto out;
	if (getaddrinfo(host, port, &hints, &res) || !res || res->ai_addrlen > sizeof(out->addr))
		goto out;
	memset(out, 0, sizeof(*out));
	memcpy(&out->addr, res->ai_addr, res->ai_addrlen);
	out->len = res->ai_addrlen;
	out->family = res->ai_family;
	out->port = (unsigned)n;
	rc = 0;
out:
	if (res)
		freeaddrinfo(res);
	free(host);
	return rc;
}

int listen_address_valid(const char *text)
{
	struct listen_address a;

	return listen_address_parse(text, &a) == 0;
}
