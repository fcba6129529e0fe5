/*
 * web_form: application/x-www-form-urlencoded, the one body appt serve
 * takes (HTML forms without JavaScript send nothing else).  Parsed here
 * rather than with libmicrohttpd's post processor so that the bounds and
 * the UTF-8 check are ours and the same for query strings.
 */
#include "web_priv.h"

#include <stdlib.h>
#include <string.h>

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes one name or value; NULL when malformed or too long. */
static char *decode(const char *s, size_t len)
{
	char *out, *o;

	if (len > 3 * WEB_FIELD_MAX)
		return NULL;
	o = out = xmalloc(len + 1);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '+') {
			*o++ = ' ';
		} else if (s[i] != '%') {
			*o++ = s[i];
		} else if (i + 2 < len && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
			*o++ = (char)(hex_value(s[i + 1]) << 4 | hex_value(s[i + 2]));
			i += 2;
		} else {
			free(out);
			return NULL;
		}
	}
	*o = '\0';
	/* a NUL inside, bad UTF-8 or too long: refused whole */
	if ((size_t)(o - out) != strlen(out) || strlen(out) > WEB_FIELD_MAX ||
	    !utf8_valid(out, strlen(out))) {
		free(out);
		return NULL;
	}
	return out;
}

int web_params_parse(struct web_params *p, const char *text, size_t len)
{
	struct web_params got = { STRLIST_INIT, STRLIST_INIT };
	size_t i = 0;

	while (i < len) {
		size_t end = i, eq;
		char *name, *value;

		while (end < len && text[end] != '&')
			end++;
		for (eq = i; eq < end && text[eq] != '='; eq++)
			;
		name = decode(text + i, eq - i);
		value = decode(text + (eq < end ? eq + 1 : end), eq < end ? end - eq - 1 : 0);
		if (!name || !value) {
			free(name);
			free(value);
			web_params_clear(&got);
			return -1;
		}
		if (*name) {
			strlist_push(&got.names, name);
			strlist_push(&got.values, value);
		}
		free(name);
		free(value);
		i = end + 1;
	}
	for (size_t k = 0; k < got.names.nr; k++) {
		strlist_push(&p->names, got.names.items[k]);
		strlist_push(&p->values, got.values.items[k]);
	}
	web_params_clear(&got);
	return 0;
}

const char *web_param(const struct web_params *p, const char *name)
{
	for (size_t i = p->names.nr; i-- > 0;)
		if (!strcmp(p->names.items[i], name))
			return p->values.items[i];
	return NULL;
}

void web_params_clear(struct web_params *p)
{
	strlist_clear(&p->names);
	strlist_clear(&p->values);
}
