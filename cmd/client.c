/*
 * appt client: client records — add, list, show, edit, note, block, unblock,
 * merge.
 *
 * Each subcommand is a descriptor (libcore/command.h) for its command line,
 * and an entry of client_actions for what it does: a change in one write
 * transaction, a read in one read transaction, or a run of its own (merge).
 * Nothing here touches SQL.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "cli.h"
#include "client.h"
#include "client_change.h"
#include "client_history.h"
#include "command.h"
#include "money.h"
#include "output.h"
#include "when.h"

/* What the command line said, for whichever subcommand runs. */
struct args {
	struct client_fields f;
	const char *note;
	const char *match;
	const char *reason;
	const char *format_name; /* NULL: the subcommand's default */
	enum output_format format;
	int quiet;
	int wide;
	int blocked_only;
	int no_program;
	int alert;               /* note: the note is an alert */
	char **pos;              /* positional arguments */
	int npos;
	struct strbuf text;      /* note: the words of TEXT... joined */
};

/* ---- command-line checks --------------------------------------------- */

static int is_blank(const char *s)
{
	return !s || !s[strspn(s, " \t\r\n")];
}

static int check_format(struct args *a)
{
	if (a->format_name && output_parse_format(a->format_name, &a->format))
		return cli_error(APPT_DATAERR,
				 "invalid value '%s' for --format (expected table, csv or json)",
				 a->format_name);
	return APPT_OK;
}

static int check_add(struct args *a)
{
	if (!a->f.name)
		return cli_usage_error("--name is required");
	if (a->note && is_blank(a->note))
		return cli_usage_error("--note needs some text");
	return APPT_OK;
}

static int changes_a_field(const struct args *a)
{
	const struct client_fields *f = &a->f;

	return f->name || f->phone || f->email || f->channel || f->program ||
	       a->no_program || f->external_id || f->born;
}

static int check_edit(struct args *a)
{
	if (!changes_a_field(a))
		return cli_usage_error("nothing to change: give at least one of --name, --phone, "
				       "--email, --channel, --program, --no-program, --external-id, "
				       "--born");
	if (a->f.program && a->no_program)
		return cli_usage_error("--program and --no-program contradict each other");
	/* the library reads "no program" as an empty one */
	if (a->no_program)
		a->f.program = "";
	return APPT_OK;
}

/*
 * TEXT... is every word after the client, as the shell split them.  Options
 * end at the client (a note may start with '-'), so --alert right after it
 * is read here: "note C --alert TEXT" is how the desk says it.
 */
static int check_note(struct args *a)
{
	int first = 1;

	if (a->npos > 1 && !strcmp(a->pos[1], "--alert")) {
		a->alert = 1;
		first = 2;
	}
	for (int i = first; i < a->npos; i++)
		strbuf_addf(&a->text, "%s%s", i > first ? " " : "", a->pos[i]);
	if (is_blank(a->text.buf))
		return cli_usage_error("the note is empty");
	return APPT_OK;
}

static int check_block(struct args *a)
{
	if (is_blank(a->reason))
		return cli_usage_error("blocking needs --reason: say why, it is kept with the client");
	return APPT_OK;
}

/* ---- changes ---------------------------------------------------------- */

static enum appt_status add_change(struct appt_session *s, const struct args *a,
				   long long *id, struct appt_err *err)
{
	return client_change_add(s, &a->f, a->note, id, err);
}

static enum appt_status edit_change(struct appt_session *s, const struct args *a,
				    long long *id, struct appt_err *err)
{
	return client_change_edit(s, a->pos[0], &a->f, id, err);
}

static enum appt_status note_change(struct appt_session *s, const struct args *a,
				    long long *id, struct appt_err *err)
{
	return client_change_note(s, a->pos[0], a->text.buf, a->alert, id, err);
}

static enum appt_status block_change(struct appt_session *s, const struct args *a,
				     long long *id, struct appt_err *err)
{
	return client_change_block(s, a->pos[0], 1, a->reason, id, err);
}

static enum appt_status unblock_change(struct appt_session *s, const struct args *a,
				       long long *id, struct appt_err *err)
{
	return client_change_block(s, a->pos[0], 0, a->reason, id, err);
}

/* ---- merge ------------------------------------------------------------ */

static void print_count(const char *sep, long long n, const char *what)
{
	printf("%s%lld %s%s", sep, n, what, n == 1 ? "" : "s");
}

static void print_merge(long long keep, long long other, const struct merge_result *r)
{
	printf("merged client #%lld %s into #%lld %s: moved ", other, r->other_name, keep,
	       r->keep_name);
	print_count("", r->appointments, "appointment");
	print_count(", ", r->notes, "note");
	print_count(", ", r->contacts, "contact");
	print_count(", ", r->messages, "message");
	print_count(", ", r->charges, "charge");
	/* what only some clients have is named only when they had it */
	if (r->requests)
		print_count(", ", r->requests, "request");
	if (r->waitlist)
		printf(", %lld waitlist entr%s", r->waitlist, r->waitlist == 1 ? "y" : "ies");
	if (r->series)
		print_count(", ", r->series, "series record");
	if (r->invoices)
		print_count(", ", r->invoices, "invoice");
	if (r->payments)
		print_count(", ", r->payments, "payment");
	putchar('\n');
	for (size_t i = 0; i < r->filled.nr; i++)
		printf("%s%s", i ? ", " : "filled from the merged record: ", r->filled.items[i]);
	if (r->filled.nr)
		putchar('\n');
	if (r->other_blocked)
		cli_warning("client #%lld was blocked (%s) and #%lld is not; "
			    "'appt client block %lld' if that still holds", other,
			    r->other_blocked_reason ? r->other_blocked_reason : "no reason given",
			    keep, keep);
}

static int merge_clients(struct appt_session *s, const struct args *a)
{
	struct appt_err err = { "" };
	struct merge_result res = { 0 };
	long long keep = 0, other = 0;
	enum appt_status status = client_change_merge(s, a->pos[0], a->pos[1], a->reason,
						      &keep, &other, &res, &err);

	if (!status)
		print_merge(keep, other, &res);
	merge_result_release(&res);
	return cli_report(status, &err);
}

/* ---- list ------------------------------------------------------------- */

static const struct output_column list_columns[] = {
	{ "id", COL_INT, FIT_WHOLE },
	{ "name", COL_TEXT, FIT_SHRINK },
	{ "phone", COL_TEXT, FIT_WHOLE },
	{ "email", COL_TEXT, FIT_SHRINK },
	{ "channel", COL_TEXT, FIT_WHOLE },
	{ "program", COL_TEXT, FIT_WHOLE },
	{ "blocked", COL_BOOL, FIT_WHOLE },
	{ "noshows", COL_INT, FIT_WHOLE },
	{ "born", COL_TEXT, FIT_WHOLE },
};

#define NR_COLUMNS(cols) (sizeof(cols) / sizeof((cols)[0]))
/* The table leaves the date of birth out: it is for records, not for a glance. */
#define NR_TABLE_COLUMNS (NR_COLUMNS(list_columns) - 1)

struct list_ctx {
	struct appt_session *s;
	struct output *out;
	int blocked_only;
	time_t since; /* no-shows count from here */
};

static void list_row(const struct client *c, void *data)
{
	struct list_ctx *ctx = data;
	char id[24], noshows[24];

	if (ctx->blocked_only && !c->blocked)
		return;
	snprintf(id, sizeof(id), "%lld", c->id);
	snprintf(noshows, sizeof(noshows), "%d",
		 client_noshow_count(ctx->s->db, c->id, ctx->since));
	output_row(ctx->out, (const char *const[]){ id, c->name, c->phone, c->email,
		c->channel, c->program, c->blocked ? "1" : "0", noshows, c->born });
}

static int list_clients(struct appt_session *s, const struct args *a)
{
	struct appt_err err = { "" };
	struct list_ctx ctx = {
		.s = s,
		.blocked_only = a->blocked_only,
		.since = s->now - s->cfg->policies.noshow.window,
	};
	enum output_format format = a->format_name ? a->format : output_default_format();
	enum appt_status status;

	ctx.out = output_begin(stdout, format, list_columns,
			       format == OUTPUT_TABLE ? NR_TABLE_COLUMNS : NR_COLUMNS(list_columns),
			       a->wide ? OUTPUT_WIDE : 0);
	status = client_each(s->db, a->match, list_row, &ctx, &err);
	output_end(ctx.out);
	return cli_report(status, &err);
}

/* ---- show ------------------------------------------------------------- */

/* Appointments and contacts a record shows: enough to see where things stand. */
#define SHOW_HANDFUL 5

/*
 * A record is read whole: nothing of client show is shortened to fit the
 * terminal, least of all a note about an allergy.
 */
static const struct output_column show_columns[] = {
	{ "id", COL_INT, FIT_WHOLE },
	{ "name", COL_TEXT, FIT_WHOLE },
	{ "phone", COL_TEXT, FIT_WHOLE },
	{ "email", COL_TEXT, FIT_WHOLE },
	{ "born", COL_TEXT, FIT_WHOLE },
	{ "channel", COL_TEXT, FIT_WHOLE },
	{ "texts_stopped", COL_TEXT, FIT_WHOLE },
	{ "program", COL_TEXT, FIT_WHOLE },
	{ "program_ended", COL_TEXT, FIT_WHOLE },
	{ "external_id", COL_TEXT, FIT_WHOLE },
	{ "created", COL_TEXT, FIT_WHOLE },
	{ "noshows", COL_INT, FIT_WHOLE },
	{ "noshow_window", COL_TEXT, FIT_WHOLE },
	{ "blocked", COL_BOOL, FIT_WHOLE },
	{ "blocked_since", COL_TEXT, FIT_WHOLE },
	{ "blocked_reason", COL_TEXT, FIT_WHOLE },
	{ "balance", COL_MONEY, FIT_WHOLE },
	{ "credit", COL_MONEY, FIT_WHOLE },
	/* JSON arrays from here on: the alerts' texts, then the parts below. */
	{ "alerts", COL_RAW, FIT_WHOLE },
	{ "notes", COL_RAW, FIT_WHOLE },
	{ "upcoming", COL_RAW, FIT_WHOLE },
	{ "recent", COL_RAW, FIT_WHOLE },
	{ "contacts", COL_RAW, FIT_WHOLE },
	{ "open_items", COL_RAW, FIT_WHOLE },
	{ "payments", COL_RAW, FIT_WHOLE },
};

/* The table form's labels for show_columns up to the alerts. */
static const char *const show_labels[] = {
	"id:", "name:", "phone:", "e-mail:", "born:", "channel:", "texts:", "program:",
	"program ended:", "external id:", "created:", "no-shows:",
	"no-show window:", "blocked:", "blocked since:", "blocked reason:",
	"balance:", "credit:",
};

#define SHOW_FIELDS NR_COLUMNS(show_labels)
#define SHOW_ALERTS SHOW_FIELDS
#define SHOW_PARTS (SHOW_ALERTS + 1)
/* Where the alerts go in the table form: right under the name. */
#define SHOW_NAME 1

_Static_assert(SHOW_FIELDS == 18, "show_labels and show_columns agree");

static const struct output_column note_columns[] = {
	{ "at", COL_TEXT, FIT_WHOLE },
	{ "actor", COL_TEXT, FIT_WHOLE },
	{ "alert", COL_BOOL, FIT_WHOLE },
	{ "text", COL_TEXT, FIT_WHOLE },
};

static const struct output_column visit_columns[] = {
	{ "id", COL_INT, FIT_WHOLE },
	{ "start", COL_TEXT, FIT_WHOLE },
	{ "service", COL_TEXT, FIT_WHOLE },
	{ "provider", COL_TEXT, FIT_WHOLE },
	{ "status", COL_TEXT, FIT_WHOLE },
};

static const struct output_column item_columns[] = {
	{ "item", COL_TEXT, FIT_WHOLE },
	{ "date", COL_TEXT, FIT_WHOLE },
	{ "appointment", COL_INT, FIT_WHOLE },
	{ "amount", COL_MONEY, FIT_WHOLE },
	{ "due", COL_MONEY, FIT_WHOLE },
};

static const struct output_column payment_columns[] = {
	{ "id", COL_INT, FIT_WHOLE },
	{ "at", COL_TEXT, FIT_WHOLE },
	{ "amount", COL_MONEY, FIT_WHOLE },
	{ "method", COL_TEXT, FIT_WHOLE },
	{ "ref", COL_TEXT, FIT_WHOLE },
	{ "pays", COL_TEXT, FIT_WHOLE },
};

static const struct output_column contact_columns[] = {
	{ "at", COL_TEXT, FIT_WHOLE },
	{ "via", COL_TEXT, FIT_WHOLE },
	{ "outcome", COL_TEXT, FIT_WHOLE },
	{ "actor", COL_TEXT, FIT_WHOLE },
	{ "text", COL_TEXT, FIT_WHOLE },
};

/* One part of the record, rendered on its own while it is read. */
struct part {
	struct output *out;
	enum output_format format; /* table, or JSON for the record's cell */
	size_t nr;
	char *text;
};

/* Tables are read by people (local time); CSV and JSON carry the offset. */
static const char *format_time(enum output_format format, time_t t, char *buf,
			       size_t size)
{
	if (!t)
		return NULL;
	if (format == OUTPUT_TABLE)
		when_format_local(t, buf, size);
	else
		when_format_iso(t, buf, size);
	return buf;
}

static void note_row(const struct client_note *n, void *data)
{
	struct part *p = data;
	char at[48];

	output_row(p->out, (const char *const[]){
		format_time(p->format, n->at, at, sizeof(at)), n->actor,
		n->alert ? "1" : "0", n->text });
	p->nr++;
}

static void visit_row(const struct client_visit *v, void *data)
{
	struct part *p = data;
	char id[24], start[48];

	snprintf(id, sizeof(id), "%lld", v->id);
	output_row(p->out, (const char *const[]){
		id, format_time(p->format, v->start, start, sizeof(start)), v->service,
		v->provider, v->status });
	p->nr++;
}

static void contact_row(const struct client_contact *c, void *data)
{
	struct part *p = data;
	char at[48];

	output_row(p->out, (const char *const[]){
		format_time(p->format, c->at, at, sizeof(at)), c->via, c->outcome, c->actor,
		c->text });
	p->nr++;
}

static enum appt_status read_notes(struct appt_session *s, long long id,
				   struct part *p, struct appt_err *err)
{
	return client_each_note(s->db, id, note_row, p, err);
}

static enum appt_status read_upcoming(struct appt_session *s, long long id,
				      struct part *p, struct appt_err *err)
{
	return client_each_visit(s->db, id, s->now, VISITS_UPCOMING, SHOW_HANDFUL,
				 visit_row, p, err);
}

static enum appt_status read_recent(struct appt_session *s, long long id,
				    struct part *p, struct appt_err *err)
{
	return client_each_visit(s->db, id, s->now, VISITS_RECENT, SHOW_HANDFUL,
				 visit_row, p, err);
}

/* "no-show fee #3", "INV-2027-0001" */
static void item_row(struct part *p, const struct account_item *it)
{
	char label[64], at[48], appointment[24], amount[32], due[32];

	if (it->kind == ACCOUNT_FEE)
		snprintf(label, sizeof(label), "%s #%lld", it->label, it->id);
	else
		snprintf(label, sizeof(label), "%s", it->label);
	snprintf(appointment, sizeof(appointment), "%lld", it->appointment_id);
	money_format(it->amount, amount, sizeof(amount));
	money_format(it->due, due, sizeof(due));
	output_row(p->out, (const char *const[]){
		label, format_time(p->format, it->at, at, sizeof(at)),
		it->appointment_id ? appointment : NULL, amount, due });
	p->nr++;
}

static enum appt_status read_open_items(struct appt_session *s, long long id,
					struct part *p, struct appt_err *err)
{
	struct account_items items = { NULL, 0, 0 };
	enum appt_status status = account_open_items(s->db, id, &items, err);

	for (size_t i = 0; !status && i < items.nr; i++)
		item_row(p, &items.items[i]);
	account_items_release(&items);
	return status;
}

static void payment_row(const struct payment_row *pay, void *data)
{
	struct part *p = data;
	char id[24], at[48], amount[32];

	snprintf(id, sizeof(id), "%lld", pay->id);
	money_format(pay->amount, amount, sizeof(amount));
	output_row(p->out, (const char *const[]){
		id, format_time(p->format, pay->at, at, sizeof(at)), amount, pay->method, pay->ref,
		pay->paid });
	p->nr++;
}

static enum appt_status read_payments(struct appt_session *s, long long id,
				      struct part *p, struct appt_err *err)
{
	return account_each_payment(s->db, id, SHOW_HANDFUL, payment_row, p, err);
}

static enum appt_status read_contacts(struct appt_session *s, long long id,
				      struct part *p, struct appt_err *err)
{
	return client_each_last_contact(s->db, id, SHOW_HANDFUL, contact_row, p, err);
}

/* The parts in the order of their show_columns from SHOW_PARTS on. */
static const struct part_def {
	const char *label;   /* the record's "label: none" when it is empty */
	const char *title;   /* its table's heading */
	const struct output_column *cols;
	size_t ncols;
	enum appt_status (*read)(struct appt_session *s, long long id, struct part *p,
				 struct appt_err *err);
} part_defs[] = {
	{ "notes:", "Notes", note_columns, NR_COLUMNS(note_columns), read_notes },
	{ "upcoming:", "Upcoming appointments", visit_columns, NR_COLUMNS(visit_columns),
	  read_upcoming },
	{ "recent:", "Recent appointments (newest first)", visit_columns,
	  NR_COLUMNS(visit_columns), read_recent },
	{ "contacts:", "Last contacts (newest first)", contact_columns,
	  NR_COLUMNS(contact_columns), read_contacts },
	{ "open items:", "Open items (oldest first)", item_columns, NR_COLUMNS(item_columns),
	  read_open_items },
	{ "payments:", "Last payments (newest first)", payment_columns,
	  NR_COLUMNS(payment_columns), read_payments },
};

#define NR_PARTS NR_COLUMNS(part_defs)

_Static_assert(SHOW_PARTS + NR_PARTS == NR_COLUMNS(show_columns), "one column per part");

/* Buffers for one client's cells; cells[i] is NULL for an empty one. */
struct show_data {
	char id[24], stopped[80], ended[48], created[48], since[48], noshows[24], window[32];
	char balance[32], credit[32];
	struct strlist alerts;
	char *alerts_json;
	struct part parts[NR_PARTS];
	const char *cells[NR_COLUMNS(show_columns)];
};

static void show_data_release(struct show_data *d)
{
	strlist_clear(&d->alerts);
	free(d->alerts_json);
	for (size_t i = 0; i < NR_PARTS; i++)
		free(d->parts[i].text);
}

/*
 * A part rendered on its own — a table for people, else a JSON array that
 * becomes the record's cell — through the same output module, so that
 * quoting is never done by hand.
 */
static enum appt_status render_part(struct appt_session *s, long long id,
				    const struct part_def *def, enum output_format format,
				    struct part *p, struct appt_err *err)
{
	size_t size = 0;
	FILE *fp = open_memstream(&p->text, &size);
	enum appt_status status;

	if (!fp)
		return appt_fail(err, APPT_IOERR, "out of memory rendering the record");
	p->format = format == OUTPUT_TABLE ? OUTPUT_TABLE : OUTPUT_JSON;
	p->out = output_begin(fp, p->format, def->cols, def->ncols, 0);
	status = def->read(s, id, p, err);
	output_end(p->out);
	fclose(fp);
	return status;
}

/* The alerts' texts as one JSON array, for the CSV and JSON forms. */
static char *alerts_json(const struct strlist *alerts)
{
	json_t *array = json_array();
	char *text;

	for (size_t i = 0; i < alerts->nr; i++)
		json_array_append_new(array, json_string(alerts->items[i]));
	text = json_dumps(array, JSON_COMPACT);
	json_decref(array);
	return text;
}

static enum appt_status fill_parts(struct appt_session *s, enum output_format format,
				   long long id, struct show_data *d, struct appt_err *err)
{
	enum appt_status status = client_alerts(s->db, id, &d->alerts, err);

	d->alerts_json = alerts_json(&d->alerts);
	d->cells[SHOW_ALERTS] = d->alerts_json;
	for (size_t i = 0; !status && i < NR_PARTS; i++) {
		status = render_part(s, id, &part_defs[i], format, &d->parts[i], err);
		d->cells[SHOW_PARTS + i] = d->parts[i].text;
	}
	return status;
}

/*
 * A client who texted STOP (appt serve's SMS hook) gets no text: people
 * read "stopped on 2027-03-01 08:00 (STOP)"; CSV and JSON carry the time.
 */
static const char *texts_stopped(enum output_format format, time_t at, char *buf,
				 size_t size)
{
	char when[48];

	if (!at || format != OUTPUT_TABLE)
		return format_time(format, at, buf, size);
	snprintf(buf, size, "stopped on %s (STOP)", format_time(format, at, when, sizeof(when)));
	return buf;
}

static enum appt_status fill_show(struct appt_session *s, enum output_format format,
				  const struct client *c, struct show_data *d,
				  struct appt_err *err)
{
	long window = s->cfg->policies.noshow.window;
	time_t since = c->blocked ? client_blocked_since(s->db, c->id) : 0;

	const char *cells[SHOW_FIELDS] = {
		d->id, c->name, c->phone, c->email, c->born, c->channel,
		texts_stopped(format, c->texts_stopped_at, d->stopped, sizeof(d->stopped)),
		c->program,
		format_time(format, c->program_ended_at, d->ended, sizeof(d->ended)),
		c->external_id,
		format_time(format, c->created_at, d->created, sizeof(d->created)),
		d->noshows, d->window, c->blocked ? "1" : "0",
		format_time(format, since, d->since, sizeof(d->since)),
		c->blocked_reason, d->balance, NULL,
	};
	struct account acc;
	enum appt_status status = account_read(s->db, c->id, &acc, err);

	if (status)
		return status;
	money_format(acc.balance, d->balance, sizeof(d->balance));
	if (acc.credit) {
		money_format(acc.credit, d->credit, sizeof(d->credit));
		cells[SHOW_FIELDS - 1] = d->credit;
	}

	snprintf(d->id, sizeof(d->id), "%lld", c->id);
	snprintf(d->noshows, sizeof(d->noshows), "%d",
		 client_noshow_count(s->db, c->id, s->now - window));
	when_format_duration(window, d->window, sizeof(d->window));
	memcpy(d->cells, cells, sizeof(cells));
	return fill_parts(s, format, c->id, d, err);
}

/* "key: value" lines (the alerts under the name), then each part's table. */
static void print_record(const struct show_data *d)
{
	static const struct output_column kv[] = {
		{ "key", COL_TEXT, FIT_WHOLE }, { "value", COL_TEXT, FIT_WHOLE },
	};
	struct output *o = output_begin(stdout, OUTPUT_TABLE, kv, 2, OUTPUT_NO_HEADER);

	for (size_t i = 0; i < SHOW_FIELDS; i++) {
		const char *value = d->cells[i];

		if (value && show_columns[i].type == COL_BOOL)
			value = strcmp(value, "1") ? "no" : "yes";
		if (value)
			output_row(o, (const char *const[]){ show_labels[i], value });
		for (size_t j = 0; i == SHOW_NAME && j < d->alerts.nr; j++)
			output_row(o, (const char *const[]){ "alert:", d->alerts.items[j] });
	}
	for (size_t i = 0; i < NR_PARTS; i++)
		if (!d->parts[i].nr)
			output_row(o, (const char *const[]){ part_defs[i].label, "none" });
	output_end(o);
	for (size_t i = 0; i < NR_PARTS; i++)
		if (d->parts[i].nr)
			printf("\n%s:\n%s", part_defs[i].title, d->parts[i].text);
}

static void print_show(enum output_format format, const struct show_data *d)
{
	struct output *o;

	if (format == OUTPUT_TABLE) {
		print_record(d);
		return;
	}
	o = output_begin(stdout, format, show_columns, NR_COLUMNS(show_columns), 0);
	output_row(o, d->cells);
	output_end(o);
}

/* A record is read by a person unless a format is asked for. */
static int show_client(struct appt_session *s, const struct args *a)
{
	struct appt_err err = { "" };
	enum output_format format = a->format_name ? a->format : OUTPUT_TABLE;
	struct client c = { 0 };
	struct show_data d = { .alerts = STRLIST_INIT };
	long long id;
	enum appt_status status = client_resolve(s->db, a->pos[0], &id, &err);

	if (!status)
		status = client_get(s->db, id, &c, &err);
	if (!status)
		status = fill_show(s, format, &c, &d, &err);
	if (!status)
		print_show(format, &d);
	show_data_release(&d);
	client_release(&c);
	return cli_report(status, &err);
}

/* ---- what each subcommand does ---------------------------------------- */

/* A change (client_change.h, one transaction); sets *id to the client. */
typedef enum appt_status change_fn(struct appt_session *s, const struct args *a,
				   long long *id, struct appt_err *err);

/* Exactly one of change, read and run. */
static const struct client_action {
	const char *name;
	/* Command-line checks that need neither configuration nor database. */
	int (*rules)(struct args *a);
	change_fn *change;
	const char *done;     /* what a change prints: "<done> client #ID" */
	/* A read, on one snapshot (CMD_NEEDS_SNAPSHOT). */
	int (*read)(struct appt_session *s, const struct args *a);
	/* Neither: does its own work (client_change_merge) and prints its own result. */
	int (*run)(struct appt_session *s, const struct args *a);
} client_actions[] = {
	{ "add", check_add, add_change, "added", NULL, NULL },
	{ "list", NULL, NULL, NULL, list_clients, NULL },
	{ "show", NULL, NULL, NULL, show_client, NULL },
	{ "edit", check_edit, edit_change, "updated", NULL, NULL },
	{ "note", check_note, note_change, "noted on", NULL, NULL },
	{ "block", check_block, block_change, "blocked", NULL, NULL },
	{ "unblock", NULL, unblock_change, "unblocked", NULL, NULL },
	{ "merge", NULL, NULL, NULL, NULL, merge_clients },
};

static const struct client_action *action_of(const struct command *cmd)
{
	for (size_t i = 0; i < NR_COLUMNS(client_actions); i++)
		if (!strcmp(client_actions[i].name, cmd->name))
			return &client_actions[i];
	/* a descriptor without an action is a bug in appt */
	abort();
}

static int has_option(const struct command *cmd, const char *name)
{
	for (const struct cmd_option *o = cmd->options; o && o->name; o++)
		if (!strcmp(o->name, name))
			return 1;
	return 0;
}

/* --name's value, or NULL when not given or not an option of this subcommand. */
static const char *value(const struct cmd_context *c, const char *name)
{
	return has_option(c->cmd, name) ? cmd_value(c, name) : NULL;
}

static int given(const struct cmd_context *c, const char *name)
{
	return has_option(c->cmd, name) && cmd_given(c, name);
}

static void read_fields(const struct cmd_context *c, struct client_fields *f)
{
	f->name = value(c, "name");
	f->phone = value(c, "phone");
	f->email = value(c, "email");
	f->channel = value(c, "channel");
	f->program = value(c, "program");
	f->external_id = value(c, "external-id");
	f->born = value(c, "born");
	f->allow_duplicate = given(c, "allow-duplicate");
}

/* The command line as struct args, checked: 64 or 65 before anything opens. */
static int read_args(const struct cmd_context *c, struct args *a)
{
	const struct client_action *act = action_of(c->cmd);
	int status;

	memset(a, 0, sizeof(*a));
	strbuf_init(&a->text);
	read_fields(c, &a->f);
	a->note = value(c, "note");
	a->match = value(c, "match");
	a->reason = value(c, "reason");
	a->format_name = value(c, "format");
	a->quiet = given(c, "quiet");
	a->wide = given(c, "wide");
	a->blocked_only = given(c, "blocked");
	a->no_program = given(c, "no-program");
	a->alert = given(c, "alert");
	a->pos = c->argv;
	a->npos = c->argc;
	status = check_format(a);
	if (!status && act->rules)
		status = act->rules(a);
	return status;
}

static int client_check(struct cmd_context *c)
{
	struct args a;
	int status = read_args(c, &a);

	strbuf_release(&a.text);
	return status;
}

static int run_change(struct cmd_context *c, const struct args *a)
{
	const struct client_action *act = action_of(c->cmd);
	struct appt_session *s = &c->s;
	struct appt_err err = { "" };
	long long id = 0;
	enum appt_status status = act->change(s, a, &id, &err);

	if (status)
		return cli_report(status, &err);
	/* Creating commands (those with -q) also name what they created. */
	if (a->quiet)
		printf("%lld\n", id);
	else if (has_option(c->cmd, "quiet"))
		printf("%s client #%lld %s\n", act->done, id, a->f.name);
	else
		printf("%s client #%lld\n", act->done, id);
	return APPT_OK;
}

static int client_run(struct cmd_context *c)
{
	const struct client_action *act = action_of(c->cmd);
	struct args a;
	int status = read_args(c, &a);

	if (!status && act->run)
		status = act->run(&c->s, &a);
	else if (!status && act->change)
		status = run_change(c, &a);
	else if (!status)
		status = act->read(&c->s, &a);
	strbuf_release(&a.text);
	return status;
}

/* ---- the descriptors -------------------------------------------------- */

#define ADD_SYNOPSIS                                                           \
	"add --name N [--phone P] [--email E] [--channel sms|email|call]\n"    \
	"       [--born YYYY-MM-DD] [--note T] [--program NAME] [--external-id X]\n" \
	"       [--allow-duplicate] [-q]"
#define LIST_SYNOPSIS "list [--format table|csv|json] [--wide] [--match TEXT] [--blocked]"
#define SHOW_SYNOPSIS "show C [--format table|csv|json]"
#define EDIT_SYNOPSIS                                                          \
	"edit C [--name N] [--phone P] [--email E] [--channel sms|email|call]\n" \
	"       [--program NAME | --no-program] [--external-id X] [--born YYYY-MM-DD]\n" \
	"       [--allow-duplicate]"
#define NOTE_SYNOPSIS "note C [--alert] TEXT..."
#define BLOCK_SYNOPSIS "block C --reason T"
#define UNBLOCK_SYNOPSIS "unblock C [--reason T]"
#define MERGE_SYNOPSIS "merge KEEP OTHER [--reason T]"

#define REFERENCE_HELP                                                         \
	"C is a client: its number, an exact e-mail, a phone however typed, or a\n" \
	"unique (case-insensitive) part of its name.\n"

/* SUBCOMMAND --help: its synopsis, its options, and what C means where it takes one. */
#define SUB_USAGE(synopsis, details) \
	"usage: appt client " synopsis "\n\n" details
#define SUB_USAGE_C(synopsis, details) \
	SUB_USAGE(synopsis, details) "\n" REFERENCE_HELP

static const char usage[] =
	"usage: appt client " ADD_SYNOPSIS "\n"
	"   or: appt client " LIST_SYNOPSIS "\n"
	"   or: appt client " SHOW_SYNOPSIS "\n"
	"   or: appt client " EDIT_SYNOPSIS "\n"
	"   or: appt client " NOTE_SYNOPSIS "\n"
	"   or: appt client " BLOCK_SYNOPSIS "\n"
	"   or: appt client " UNBLOCK_SYNOPSIS "\n"
	"   or: appt client " MERGE_SYNOPSIS "\n"
	"\n" REFERENCE_HELP
	"\nSee 'appt client SUBCOMMAND --help' and appt-client(1).\n";

static const char add_usage[] = SUB_USAGE(ADD_SYNOPSIS,
	"  --name N          the client's name (required)\n"
	"  --phone P         phone number: digits, spaces and + - ( ) .\n"
	"                    (at most 15 digits; matched however typed)\n"
	"  --email E         e-mail address\n"
	"  --channel CH      how to reach the client: sms, email or call\n"
	"                    (default: sms with a phone, else email, else call)\n"
	"  --born DATE       date of birth, for identity checks\n"
	"  --note T          a first note (allergies, history, ...)\n"
	"  --program NAME    enrol in a program of the configuration\n"
	"  --external-id X   the client's id in another system (unique)\n"
	"  --allow-duplicate add even when another client has this phone or e-mail\n"
	"  -q, --quiet       print only the new client's number\n");

static const char list_usage[] = SUB_USAGE(LIST_SYNOPSIS,
	"  --format F        table, csv or json (default: table on a terminal, else csv)\n"
	"  --wide            a table shows names and e-mails whole, however wide\n"
	"  --match TEXT      only clients whose name, phone or e-mail contains TEXT\n"
	"  --blocked         only blocked clients\n");

static const char show_usage[] = SUB_USAGE_C(SHOW_SYNOPSIS,
	"  --format F        table (the default), csv or json\n");

static const char edit_usage[] = SUB_USAGE_C(EDIT_SYNOPSIS,
	"  --name N          new name\n"
	"  --phone P         new phone number ('' removes it)\n"
	"  --email E         new e-mail address ('' removes it)\n"
	"  --channel CH      sms, email or call\n"
	"  --program NAME    enrol in a program of the configuration (again,\n"
	"                    after it ended: the same NAME re-enrols)\n"
	"  --no-program      end the enrolment\n"
	"  --external-id X   the client's id in another system ('' removes it)\n"
	"  --born DATE       date of birth, YYYY-MM-DD ('' removes it)\n"
	"  --allow-duplicate keep a phone or e-mail another client also has\n");

static const char note_usage[] = SUB_USAGE_C(NOTE_SYNOPSIS,
	"  --alert           an alert (an allergy, say): book, show and the day\n"
	"                    sheet print it as a warning\n"
	"  TEXT...           the note; the words are joined with spaces\n");

static const char block_usage[] = SUB_USAGE_C(BLOCK_SYNOPSIS,
	"  --reason T        why (required; kept with the client)\n");

static const char unblock_usage[] = SUB_USAGE_C(UNBLOCK_SYNOPSIS,
	"  --reason T        why, for the audit log\n");

static const char merge_usage[] = SUB_USAGE_C(MERGE_SYNOPSIS,
	"  KEEP              the client to keep\n"
	"  OTHER             its duplicate: its appointments, notes, contacts,\n"
	"                    messages and charges move to KEEP, which takes the\n"
	"                    phone, e-mail, date of birth and program it lacks;\n"
	"                    OTHER stays for history, merged into KEEP\n"
	"  --reason T        why, for the audit log\n");

#define OPT_NAME { "name", 0, CMD_VALUE, NULL }
#define OPT_PHONE { "phone", 0, CMD_VALUE, NULL }
#define OPT_EMAIL { "email", 0, CMD_VALUE, NULL }
#define OPT_CHANNEL { "channel", 0, CMD_VALUE, "sms email call" }
#define OPT_BORN { "born", 0, CMD_VALUE, NULL }
#define OPT_PROGRAM { "program", 0, CMD_VALUE, "@programs" }
#define OPT_EXTERNAL_ID { "external-id", 0, CMD_VALUE, NULL }
#define OPT_ALLOW_DUPLICATE { "allow-duplicate", 0, CMD_FLAG, NULL }
#define OPT_FORMAT { "format", 0, CMD_VALUE, "table csv json" }
#define OPT_REASON { "reason", 0, CMD_VALUE, NULL }
#define OPT_END { NULL, 0, 0, NULL }

static const struct cmd_option add_options[] = {
	OPT_NAME, OPT_PHONE, OPT_EMAIL, OPT_CHANNEL, OPT_BORN,
	{ "note", 0, CMD_VALUE, NULL },
	OPT_PROGRAM, OPT_EXTERNAL_ID, OPT_ALLOW_DUPLICATE,
	{ "quiet", 'q', CMD_FLAG, NULL },
	OPT_END,
};

static const struct cmd_option list_options[] = {
	OPT_FORMAT,
	{ "wide", 0, CMD_FLAG, NULL },
	{ "match", 0, CMD_VALUE, NULL },
	{ "blocked", 0, CMD_FLAG, NULL },
	OPT_END,
};

static const struct cmd_option show_options[] = { OPT_FORMAT, OPT_END };

static const struct cmd_option edit_options[] = {
	OPT_NAME, OPT_PHONE, OPT_EMAIL, OPT_CHANNEL, OPT_PROGRAM,
	{ "no-program", 0, CMD_FLAG, NULL },
	OPT_EXTERNAL_ID, OPT_BORN, OPT_ALLOW_DUPLICATE,
	OPT_END,
};

static const struct cmd_option note_options[] = {
	{ "alert", 0, CMD_FLAG, NULL },
	OPT_END,
};

static const struct cmd_option block_options[] = { OPT_REASON, OPT_END };
static const struct cmd_option unblock_options[] = { OPT_REASON, OPT_END };
static const struct cmd_option merge_options[] = { OPT_REASON, OPT_END };

static const char *const one_client[] = { "@clients", NULL };
static const char *const two_clients[] = { "@clients", "@clients", NULL };

/*
 * Every subcommand works on the database, its action says how; list and
 * show read one snapshot of it.
 */
#define CLIENT_SUB(name_, summary_, min, max, args, needs_)                  \
	.name = #name_, .summary = summary_, .usage = name_##_usage,         \
	.options = name_##_options, .min_args = min, .max_args = max,         \
	.complete_args = args, .needs = needs_,                               \
	.check = client_check, .run = client_run

#define WRITE CMD_NEEDS_DB
#define READ (CMD_NEEDS_DB | CMD_NEEDS_SNAPSHOT)

static const struct command client_subcommands[] = {
	{ CLIENT_SUB(add, "add a client", 0, 0, NULL, WRITE) },
	{ CLIENT_SUB(list, "list the clients", 0, 0, NULL, READ) },
	{ CLIENT_SUB(show, "show a client's record", 1, 1, one_client, READ) },
	{ CLIENT_SUB(edit, "change a client's record", 1, 1, one_client, WRITE) },
	/* TEXT... may start with '-': options end at the client */
	{ CLIENT_SUB(note, "add a note or an alert", 2, -1, one_client, WRITE), .flags = CMD_TEXT_LAST },
	{ CLIENT_SUB(block, "refuse a client's bookings", 1, 1, one_client, WRITE) },
	{ CLIENT_SUB(unblock, "take a client's block back", 1, 1, one_client, WRITE) },
	{ CLIENT_SUB(merge, "merge a duplicate into a client", 2, 2, two_clients, WRITE) },
};

/* An option of another subcommand "does not apply", as the desk reads it. */
const struct command cmd_client = {
	.name = "client", .summary = "add, list, show, edit, block and merge clients",
	.usage = usage, .flags = CMD_SIBLING_OPTIONS,
	.subcommands = client_subcommands, .nr_subcommands = NR_COLUMNS(client_subcommands),
};
