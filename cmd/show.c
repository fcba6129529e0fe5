/* appt show: one appointment, every detail, and its whole audit history. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appointment.h"
#include "cli.h"
#include "client.h"
#include "command.h"
#include "outbox.h"
#include "event.h"
#include "output.h"
#include "series.h"

static const char usage[] =
	"usage: appt show ID [--format table|json]\n"
	"\n"
	"Shows appointment ID: client, service, provider, time, state, confirmation,\n"
	"notes, and its history from the audit log (who did what, when and why).\n"
	"\n"
	"  --format F   table (the default) or json\n";

static void put_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Every line goes through text_for_terminal: notes, reasons and names an
 * older appt stored unchecked may hold escape sequences a terminal would
 * obey.
 */
static void put_line(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	char *clean;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	clean = text_for_terminal(strbuf_str(&sb));
	puts(clean);
	free(clean);
	strbuf_release(&sb);
}

static void show_fieldf(const char *label, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void show_fieldf(const char *label, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	put_line("%-13s %s", label, sb.buf);
	strbuf_release(&sb);
}

/* Fields with nothing to say are left out rather than shown empty. */
static void show_field(const char *label, const char *value)
{
	if (value && *value)
		show_fieldf(label, "%s", value);
}

static void show_when(const struct appointment *a)
{
	char start[40], end[40];

	when_format_local(a->start, start, sizeof(start));
	when_format_clock(a->end, end, sizeof(end));
	show_fieldf("when:", "%s-%s %s", start, end, when_zone());
}

static void show_confirmation(const struct appointment *a)
{
	char at[40];

	if (!a->confirmed_at)
		return;
	when_format_local(a->confirmed_at, at, sizeof(at));
	show_fieldf("confirmed:", "%s%s%s", at, a->confirmed_via ? " via " : "",
		    a->confirmed_via ? a->confirmed_via : "");
}

static void show_cancellation(const struct appointment *a)
{
	struct strbuf sb = STRBUF_INIT;

	if (a->cancelled_by)
		strbuf_addf(&sb, "by %s", a->cancelled_by);
	if (a->cancel_reason)
		strbuf_addf(&sb, "%s%s", sb.len ? ": " : "", a->cancel_reason);
	show_field("cancelled:", strbuf_str(&sb));
	strbuf_release(&sb);
}

/* A hold and when it lapses; the series and this one's place in it. */
static void show_tentative(const struct appt_session *s, const struct appointment *a)
{
	struct series_info info;
	char until[40];

	if (a->state == STATE_HELD) {
		when_format_local(a->hold_until, until, sizeof(until));
		show_fieldf("held until:", "%s (appt confirm %lld makes it a booking)", until, a->id);
	}
	if (!a->series_id || series_describe(s->db, a->series_id, a->id, &info, NULL))
		return;
	show_fieldf("series:", "#%lld (every %s), occurrence %d of %d", a->series_id,
		    info.every, info.position, info.total);
	series_info_release(&info);
}

static void show_details(const struct appt_session *s, const struct appointment *a,
			 const struct strlist *alerts)
{
	const struct cfg_provider *p = config_provider(s->cfg, a->provider);
	const struct cfg_service *svc = config_service(s->cfg, a->service);

	put_line("appointment #%lld", a->id);
	show_fieldf("client:", "%s (#%lld%s%s)", a->client_name, a->client_id,
		    a->client_phone ? ", " : "", a->client_phone ? a->client_phone : "");
	/* Right under the client: whoever opens the appointment sees them. */
	for (size_t i = 0; i < alerts->nr; i++)
		show_field("alert:", alerts->items[i]);
	show_fieldf("service:", "%s (%s)", svc ? svc->name : a->service, a->service);
	show_fieldf("provider:", "%s (%s)", p ? p->name : a->provider, a->provider);
	show_field("resource:", a->resource);
	show_when(a);
	show_field("status:", state_name(a->state));
	show_tentative(s, a);
	show_confirmation(a);
	show_field("booked via:", a->via);
	show_field("note:", a->note);
	if (a->reschedules)
		show_fieldf("rescheduled:", "%d", a->reschedules);
	show_field("late cancel:", a->late_cancel ? "yes" : NULL);
	show_cancellation(a);
}

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

/* A snapshot value as a person reads it: "*_at" and hold_until numbers are instants. */
static char *diff_value(const char *key, const json_t *v)
{
	size_t len = strlen(key);
	char buf[40], *text;

	if (!v || json_is_null(v))
		return xstrdup("none");
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_integer(v) &&
	    ((len > 3 && !strcmp(key + len - 3, "_at")) || !strcmp(key, "hold_until"))) {
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
	put_line("      %s: %s -> %s", key, a, b);
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

static void print_event(const struct event_row *row, void *data)
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
	put_line("%s", line.buf);
	strbuf_release(&line);
	print_changes(row->before, row->after);
}

static void print_message(const struct message_row *m, void *data)
{
	char due[40];
	int *count = data;

	if (!(*count)++)
		printf("\nMessages:\n");
	when_format_local(m->due_at, due, sizeof(due));
	put_line("  #%-5lld %s  %-8s %-12s %-6s %-9s %s", m->id, due, m->kind, m->name,
		 m->channel, m->status, m->recipient ? m->recipient : "");
	if (m->last_error)
		put_line("         last error: %s", m->last_error);
	if (m->note)
		put_line("         note: %s", m->note);
}

static int show_table(struct appt_session *s, const struct appointment *a,
		      const struct strlist *alerts)
{
	struct message_filter about = { .appointment_id = a->id };
	struct appt_err err = { "" };
	int status, count = 0;

	show_details(s, a, alerts);
	printf("\nHistory:\n");
	status = event_each(s->db, "appointment", a->id, print_event, NULL, &err);
	if (!status)
		status = outbox_each(s->db, &about, print_message, &count, &err);
	return cli_report(status, &err);
}

static json_t *json_instant(time_t t)
{
	char buf[40];

	if (!t)
		return json_null();
	when_format_iso(t, buf, sizeof(buf));
	return json_string(buf);
}

static void add_event(const struct event_row *row, void *data)
{
	json_t *ev = json_object();

	json_object_set_new(ev, "id", json_integer(row->id));
	json_object_set_new(ev, "at", json_instant(row->at));
	json_object_set_new(ev, "actor", output_json_text(row->actor));
	json_object_set_new(ev, "login", output_json_text(row->login));
	json_object_set_new(ev, "action", output_json_text(row->action));
	json_object_set_new(ev, "reason", output_json_text(row->reason));
	json_object_set_new(ev, "forced", json_boolean(row->forced));
	json_object_set_new(ev, "undoes", row->undoes ? json_integer(row->undoes) : json_null());
	json_object_set_new(ev, "before", output_json_snapshot(row->before));
	json_object_set_new(ev, "after", output_json_snapshot(row->after));
	json_array_append_new(data, ev);
}

static void add_message(const struct message_row *m, void *data)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(m->id));
	json_object_set_new(o, "kind", output_json_text(m->kind));
	json_object_set_new(o, "name", output_json_text(m->name));
	json_object_set_new(o, "channel", output_json_text(m->channel));
	json_object_set_new(o, "recipient", output_json_text(m->recipient));
	json_object_set_new(o, "status", output_json_text(m->status));
	json_object_set_new(o, "due", json_instant(m->due_at));
	json_object_set_new(o, "sent", json_instant(m->sent_at));
	json_object_set_new(o, "attempts", json_integer(m->attempts));
	json_object_set_new(o, "subject", output_json_text(m->subject));
	json_object_set_new(o, "note", output_json_text(m->note));
	json_object_set_new(o, "last_error", output_json_text(m->last_error));
	json_array_append_new(data, o);
}

static json_t *json_appointment(const struct appt_session *s, const struct appointment *a)
{
	const struct cfg_provider *p = config_provider(s->cfg, a->provider);
	const struct cfg_service *svc = config_service(s->cfg, a->service);
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(a->id));
	json_object_set_new(o, "client_id", json_integer(a->client_id));
	json_object_set_new(o, "client", output_json_text(a->client_name));
	json_object_set_new(o, "phone", output_json_text(a->client_phone));
	json_object_set_new(o, "service", output_json_text(a->service));
	json_object_set_new(o, "service_name", output_json_text(svc ? svc->name : NULL));
	json_object_set_new(o, "provider", output_json_text(a->provider));
	json_object_set_new(o, "provider_name", output_json_text(p ? p->name : NULL));
	json_object_set_new(o, "resource", output_json_text(a->resource));
	json_object_set_new(o, "start", json_instant(a->start));
	json_object_set_new(o, "end", json_instant(a->end));
	json_object_set_new(o, "local_start", output_json_text(a->local_start));
	json_object_set_new(o, "zone", output_json_text(a->zone));
	json_object_set_new(o, "status", output_json_text(state_name(a->state)));
	json_object_set_new(o, "confirmed_at", json_instant(a->confirmed_at));
	json_object_set_new(o, "confirmed_via", output_json_text(a->confirmed_via));
	json_object_set_new(o, "via", output_json_text(a->via));
	json_object_set_new(o, "note", output_json_text(a->note));
	json_object_set_new(o, "reschedules", json_integer(a->reschedules));
	json_object_set_new(o, "late_cancel", json_boolean(a->late_cancel));
	json_object_set_new(o, "cancel_reason", output_json_text(a->cancel_reason));
	json_object_set_new(o, "cancelled_by", output_json_text(a->cancelled_by));
	json_object_set_new(o, "created_at", json_instant(a->created_at));
	json_object_set_new(o, "updated_at", json_instant(a->updated_at));
	return o;
}

static json_t *json_texts(const struct strlist *list)
{
	json_t *array = json_array();

	for (size_t i = 0; i < list->nr; i++)
		json_array_append_new(array, output_json_text(list->items[i]));
	return array;
}

static int show_json(struct appt_session *s, const struct appointment *a,
		     const struct strlist *alerts)
{
	struct appt_err err = { "" };
	json_t *o = json_appointment(s, a);
	json_t *events = json_array();
	int status;

	struct message_filter about = { .appointment_id = a->id };
	json_t *messages = json_array();

	status = event_each(s->db, "appointment", a->id, add_event, events, &err);
	if (!status)
		status = outbox_each(s->db, &about, add_message, messages, &err);
	json_object_set_new(o, "alerts", json_texts(alerts));
	json_object_set_new(o, "events", events);
	json_object_set_new(o, "messages", messages);
	if (!status) {
		json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	}
	json_decref(o);
	return cli_report(status, &err);
}

static int show(struct appt_session *s, long long id, enum output_format format)
{
	struct appointment a;
	struct strlist alerts = STRLIST_INIT;
	struct appt_err err = { "" };
	int status;

	memset(&a, 0, sizeof(a));
	status = appointment_get(s->db, id, &a, &err);
	if (!status)
		status = client_alerts(s->db, a.client_id, &alerts, &err);
	if (!status)
		status = format == OUTPUT_JSON ? show_json(s, &a, &alerts)
					       : show_table(s, &a, &alerts);
	else
		status = cli_report(status, &err);
	strlist_clear(&alerts);
	appointment_release(&a);
	return status;
}

/* One appointment is a record, not rows: CSV has nothing to offer here. */
static int parse_format(const char *arg, enum output_format *format)
{
	if (output_parse_format(arg, format) || *format == OUTPUT_CSV)
		return cli_error(APPT_DATAERR, "invalid value '%s' for --format (expected table or json)",
				 arg);
	return APPT_OK;
}

struct show_args {
	long long id;
	enum output_format format;
};

/*
 * The command line as show takes it, checked before anything is opened:
 * every --format given (65 for a bad one; the last counts), then the ID.
 */
static int read_args(const struct cmd_context *c, struct show_args *a)
{
	const struct strlist *formats = cmd_values(c, "format");
	int status = APPT_OK;

	a->format = OUTPUT_TABLE;
	for (size_t i = 0; !status && i < formats->nr; i++)
		status = parse_format(formats->items[i], &a->format);
	return status ? status : cli_parse_id(c->argv[0], "appointment", &a->id);
}

static int check(struct cmd_context *c)
{
	struct show_args a;

	return read_args(c, &a);
}

static int run(struct cmd_context *c)
{
	struct show_args a;
	int status = read_args(c, &a);

	return status ? status : show(&c->s, a.id, a.format);
}

static const struct cmd_option options[] = {
	{ "format", 0, CMD_VALUE, "table json" },
	{ NULL, 0, 0, NULL },
};

const struct command cmd_show = {
	.name = "show", .summary = "show one appointment and its history", .usage = usage,
	.options = options, .min_args = 1, .max_args = 1,
	.needs = CMD_NEEDS_DB, .check = check, .run = run,
};
