#include "show_history.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "when.h"

/*
 * The instant the local "start" already shows; listing both would say the
 * same change twice.
 */
static const char *const diff_hidden[] = { "start_at" };

static int diff_is_hidden(const char *key)
{
	for (size_t i = 0; i < sizeof(diff_hidden) / sizeof(diff_hidden[0]); i++)
		if (!strcmp(key, diff_hidden[i]))
			return 1;
	return 0;
}

/* Snapshot keys that hold an instant: start_at, hold_until, reply_by. */
static int is_instant_key(const char *key, size_t len)
{
	static const char *const endings[] = { "_at", "_until", "_by" };

	for (size_t i = 0; i < sizeof(endings) / sizeof(endings[0]); i++) {
		size_t n = strlen(endings[i]);

		if (len > n && !strcmp(key + len - n, endings[i]))
			return 1;
	}
	return 0;
}

/* A snapshot value as a person reads it: an integer at an instant's key is a time. */
static char *diff_value(const char *key, const json_t *v)
{
	size_t len = strlen(key);
	char buf[40], *text;

	if (!v || json_is_null(v))
		return xstrdup("none");
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_integer(v) && is_instant_key(key, len)) {
		when_format_local((time_t)json_integer_value(v), buf, sizeof(buf));
		return xstrdup(buf);
	}
	text = json_dumps(v, JSON_ENCODE_ANY);
	return text ? text : xstrdup("?");
}

static void print_change(const char *key, const json_t *from, const json_t *to)
{
	char *a, *b;

	if (diff_is_hidden(key) || (from && to && json_equal(from, to)))
		return;
	a = diff_value(key, from);
	b = diff_value(key, to);
	cli_put_line("      %s: %s -> %s", key, a, b);
	free(a);
	free(b);
}

/* Lists the keys whose values differ between two snapshots. */
static void print_changes(const char *before, const char *after)
{
	json_t *old, *new;
	const char *key;
	json_t *value;

	if (!before || !after)
		return;
	old = output_json_snapshot(before);
	new = output_json_snapshot(after);
	if (json_is_object(old) && json_is_object(new)) {
		json_object_foreach(new, key, value)
			print_change(key, json_object_get(old, key), value);
		json_object_foreach(old, key, value)
			if (!json_object_get(new, key))
				print_change(key, value, NULL);
	}
	json_decref(old);
	json_decref(new);
}

void history_print_event(const struct event_row *row, void *data)
{
	struct strbuf line = STRBUF_INIT;
	char *who = event_actor_shown(row->actor, row->login);
	char at[40];

	/* Most logins fit in 8 columns, which keeps the actions aligned. */
	when_format_local(row->at, at, sizeof(at));
	strbuf_addf(&line, "  %s  %-8s  %s", at, who, row->action);
	free(who);
	if (row->undoes)
		strbuf_addf(&line, " of event #%lld", row->undoes);
	if (row->forced)
		strbuf_addstr(&line, "  (forced)");
	if (row->reason && *row->reason)
		strbuf_addf(&line, "  reason: %s", row->reason);
	cli_put_line("%s", line.buf);
	strbuf_release(&line);
	print_changes(row->before, row->after);
}

void history_print_message(const struct message_row *m, void *data)
{
	char due[40];
	int *count = data;

	if (!(*count)++)
		printf("\nMessages:\n");
	when_format_local(m->due_at, due, sizeof(due));
	cli_put_line("  #%-5lld %s  %-8s %-12s %-6s %-9s %s", m->id, due, m->kind, m->name,
		 m->channel, m->status, m->recipient ? m->recipient : "");
	if (m->last_error)
		cli_put_line("         last error: %s", m->last_error);
	if (m->note)
		cli_put_line("         note: %s", m->note);
}

