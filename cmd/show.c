/* appt show: one appointment, every detail, and its whole audit history. */
#include <jansson.h>
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
#include "show_history.h"

static const char usage[] =
	"usage: appt show ID [--format table|json]\n"
	"\n"
	"Shows appointment ID: client, service, provider, time, state, confirmation,\n"
	"notes, and its history from the audit log (who did what, when and why).\n"
	"\n"
	"  --format F   table (the default) or json\n";

/* The labels' column: "provider:     Kim". */
#define FIELD_WIDTH 13

static void show_when(const struct appointment *a)
{
	char start[40], end[40];

	when_format_local(a->start, start, sizeof(start));
	when_format_clock(a->end, end, sizeof(end));
	cli_put_field(FIELD_WIDTH, "when:", "%s-%s %s", start, end, when_zone());
}

static void show_confirmation(const struct appointment *a)
{
	char at[40];

	if (!a->confirmed_at)
		return;
	when_format_local(a->confirmed_at, at, sizeof(at));
	cli_put_field(FIELD_WIDTH, "confirmed:", "%s%s%s", at, a->confirmed_via ? " via " : "",
		      a->confirmed_via ? a->confirmed_via : "");
}

static void show_cancellation(const struct appointment *a)
{
	struct strbuf sb = STRBUF_INIT;

	if (a->cancelled_by)
		strbuf_addf(&sb, "by %s", a->cancelled_by);
	if (a->cancel_reason)
		strbuf_addf(&sb, "%s%s", sb.len ? ": " : "", a->cancel_reason);
	cli_put_text(FIELD_WIDTH, "cancelled:", strbuf_str(&sb));
	strbuf_release(&sb);
}

/* A hold and when it lapses; the series and this one's place in it. */
static void show_tentative(const struct appt_session *s, const struct appointment *a)
{
	struct series_info info;
	char until[40];

	if (a->state == STATE_HELD) {
		when_format_local(a->hold_until, until, sizeof(until));
		cli_put_field(FIELD_WIDTH, "held until:", "%s (appt confirm %lld makes it a booking)",
			      until, a->id);
	}
	if (!a->series_id || series_describe(s->db, a->series_id, a->id, &info, NULL))
		return;
	cli_put_field(FIELD_WIDTH, "series:", "#%lld (every %s), occurrence %d of %d", a->series_id,
		      info.every, info.position, info.total);
	series_info_release(&info);
}

static void show_details(const struct appt_session *s, const struct appointment *a,
			 const struct strlist *alerts)
{
	const struct cfg_provider *p = config_provider(s->cfg, a->provider);
	const struct cfg_service *svc = config_service(s->cfg, a->service);

	cli_put_line("appointment #%lld", a->id);
	cli_put_field(FIELD_WIDTH, "client:", "%s (#%lld%s%s)", a->client_name, a->client_id,
		      a->client_phone ? ", " : "", a->client_phone ? a->client_phone : "");
	/* Right under the client: whoever opens the appointment sees them. */
	for (size_t i = 0; i < alerts->nr; i++)
		cli_put_text(FIELD_WIDTH, "alert:", alerts->items[i]);
	cli_put_field(FIELD_WIDTH, "service:", "%s (%s)", svc ? svc->name : a->service, a->service);
	cli_put_field(FIELD_WIDTH, "provider:", "%s (%s)", p ? p->name : a->provider, a->provider);
	cli_put_text(FIELD_WIDTH, "resource:", a->resource);
	show_when(a);
	cli_put_text(FIELD_WIDTH, "status:", state_name(a->state));
	show_tentative(s, a);
	show_confirmation(a);
	cli_put_text(FIELD_WIDTH, "booked via:", a->via);
	cli_put_text(FIELD_WIDTH, "note:", a->note);
	if (a->reschedules)
		cli_put_field(FIELD_WIDTH, "rescheduled:", "%d", a->reschedules);
	cli_put_text(FIELD_WIDTH, "late cancel:", a->late_cancel ? "yes" : NULL);
	show_cancellation(a);
}

static int show_table(struct appt_session *s, const struct appointment *a,
		      const struct strlist *alerts)
{
	struct message_filter about = { .appointment_id = a->id };
	struct appt_err err = { "" };
	int status, count = 0;

	show_details(s, a, alerts);
	printf("\nHistory:\n");
	status = event_each(s->db, "appointment", a->id, history_print_event, NULL, &err);
	if (!status)
		status = outbox_each(s->db, &about, history_print_message, &count, &err);
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
