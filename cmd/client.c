/*
 * appt client: client records — add, list, show, edit, note, block, unblock,
 * merge.
 *
 * One table describes the subcommands (synopsis, options accepted, argument
 * counts, what runs), so usage text and option checks have one source.  Every
 * change runs in one write transaction; nothing here touches SQL.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "client.h"
#include "outbox.h"
#include "client_history.h"
#include "client_merge.h"
#include "output.h"
#include "when.h"

/* Suggestions further than this from the typed subcommand are not offered. */
#define SUGGEST_MAX_DISTANCE 2

enum opt {
	OPT_NAME,
	OPT_PHONE,
	OPT_EMAIL,
	OPT_CHANNEL,
	OPT_NOTE,
	OPT_PROGRAM,
	OPT_NO_PROGRAM,
	OPT_EXTERNAL_ID,
	OPT_BORN,
	OPT_ALLOW_DUPLICATE,
	OPT_ALERT,
	OPT_FORMAT,
	OPT_MATCH,
	OPT_BLOCKED,
	OPT_REASON,
	OPT_QUIET,
	OPT_WIDE,
	OPT_HELP,
};

#define BIT(o) (1u << (o))
/* getopt values for options with no short form: beyond any character. */
#define LONG_ONLY(o) (256 + (o))

/* The options that change a client's record (edit needs at least one). */
#define FIELD_OPTS                                                           \
	(BIT(OPT_NAME) | BIT(OPT_PHONE) | BIT(OPT_EMAIL) | BIT(OPT_CHANNEL) | \
	 BIT(OPT_PROGRAM) | BIT(OPT_NO_PROGRAM) | BIT(OPT_EXTERNAL_ID) | BIT(OPT_BORN))

static const struct option long_options[] = {
	{ "name", required_argument, NULL, LONG_ONLY(OPT_NAME) },
	{ "phone", required_argument, NULL, LONG_ONLY(OPT_PHONE) },
	{ "email", required_argument, NULL, LONG_ONLY(OPT_EMAIL) },
	{ "channel", required_argument, NULL, LONG_ONLY(OPT_CHANNEL) },
	{ "note", required_argument, NULL, LONG_ONLY(OPT_NOTE) },
	{ "program", required_argument, NULL, LONG_ONLY(OPT_PROGRAM) },
	{ "no-program", no_argument, NULL, LONG_ONLY(OPT_NO_PROGRAM) },
	{ "external-id", required_argument, NULL, LONG_ONLY(OPT_EXTERNAL_ID) },
	{ "born", required_argument, NULL, LONG_ONLY(OPT_BORN) },
	{ "allow-duplicate", no_argument, NULL, LONG_ONLY(OPT_ALLOW_DUPLICATE) },
	{ "alert", no_argument, NULL, LONG_ONLY(OPT_ALERT) },
	{ "format", required_argument, NULL, LONG_ONLY(OPT_FORMAT) },
	{ "match", required_argument, NULL, LONG_ONLY(OPT_MATCH) },
	{ "blocked", no_argument, NULL, LONG_ONLY(OPT_BLOCKED) },
	{ "reason", required_argument, NULL, LONG_ONLY(OPT_REASON) },
	{ "quiet", no_argument, NULL, 'q' },
	{ "wide", no_argument, NULL, LONG_ONLY(OPT_WIDE) },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

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
	int alert;               /* note: the note is an alert */
	unsigned given;          /* BIT() of every option seen */
	char **pos;              /* positional arguments */
	int npos;
	struct strbuf text;      /* note: the words of TEXT... joined */
};

struct subcommand {
	const char *name;
	const char *synopsis; /* after "appt client " */
	const char *details;  /* the options, for SUB --help */
	unsigned accepts;     /* BIT() of the options it takes */
	int min_args, max_args;
	/* Command-line checks that need neither configuration nor database. */
	int (*check)(struct args *a);
	/* A change, run inside one write transaction; sets *id to the client. */
	enum appt_status (*change)(struct appt_session *s, const struct args *a,
				   long long *id, struct appt_err *err);
	const char *done;     /* what a change prints: "<done> client #ID" */
	/* A read, run inside one read transaction. */
	int (*show)(struct appt_session *s, const struct args *a);
	/* Neither: runs its own transaction and prints its own result. */
	int (*run)(struct appt_session *s, const struct args *a);
	/* Options end at the first argument, so free text may start with '-'. */
	int free_text;
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
	if (!(a->given & BIT(OPT_NAME)))
		return cli_usage_error("--name is required");
	if ((a->given & BIT(OPT_NOTE)) && is_blank(a->note))
		return cli_usage_error("--note needs some text");
	return APPT_OK;
}

static int check_edit(struct args *a)
{
	if (!(a->given & FIELD_OPTS))
		return cli_usage_error("nothing to change: give at least one of --name, --phone, "
				       "--email, --channel, --program, --no-program, --external-id, "
				       "--born");
	if ((a->given & BIT(OPT_PROGRAM)) && (a->given & BIT(OPT_NO_PROGRAM)))
		return cli_usage_error("--program and --no-program contradict each other");
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
	enum appt_status status = client_check_program(s->cfg, a->f.program, err);

	if (!status)
		status = client_add(s->db, &a->f, s->actor, s->now, id, err);
	if (!status && a->note)
		status = client_add_note(s->db, *id, a->note, 0, s->actor, s->now, err);
	return status;
}

static enum appt_status edit_change(struct appt_session *s, const struct args *a,
				    long long *id, struct appt_err *err)
{
	enum appt_status status = client_resolve(s->db, a->pos[0], id, err);

	if (!status)
		status = client_check_program(s->cfg, a->f.program, err);
	if (!status)
		status = client_edit(s->db, *id, &a->f, s->actor, s->now, err);
	return status;
}

static enum appt_status note_change(struct appt_session *s, const struct args *a,
				    long long *id, struct appt_err *err)
{
	enum appt_status status = client_resolve(s->db, a->pos[0], id, err);

	if (!status)
		status = client_add_note(s->db, *id, a->text.buf, a->alert, s->actor, s->now, err);
	return status;
}

static enum appt_status set_blocked(struct appt_session *s, const struct args *a,
				    int blocked, long long *id, struct appt_err *err)
{
	enum appt_status status = client_resolve(s->db, a->pos[0], id, err);

	if (!status)
		status = client_set_blocked(s->db, *id, blocked, a->reason, s->actor,
					    s->now, err);
	/* nobody blocked is asked to book again: those messages close now */
	if (!status && blocked)
		status = outbox_void_moot(s, *id, NULL, err);
	return status;
}

static enum appt_status block_change(struct appt_session *s, const struct args *a,
				     long long *id, struct appt_err *err)
{
	return set_blocked(s, a, 1, id, err);
}

static enum appt_status unblock_change(struct appt_session *s, const struct args *a,
				       long long *id, struct appt_err *err)
{
	return set_blocked(s, a, 0, id, err);
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

static enum appt_status merge_change(struct appt_session *s, const struct args *a,
				     long long *keep, long long *other,
				     struct merge_result *res, struct appt_err *err)
{
	enum appt_status status;

	if ((status = client_resolve(s->db, a->pos[0], keep, err)) ||
	    (status = client_resolve(s->db, a->pos[1], other, err)))
		return status;
	return client_merge(s->db, *keep, *other, a->reason, s->actor, s->now, res, err);
}

static int merge_clients(struct appt_session *s, const struct args *a)
{
	struct appt_err err = { "" };
	struct merge_result res = { 0 };
	long long keep = 0, other = 0;
	enum appt_status status = db_begin_write(s->db, &err);

	if (!status)
		status = db_finish_write(s->db, merge_change(s, a, &keep, &other, &res, &err), &err);
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
	{ "program", COL_TEXT, FIT_WHOLE },
	{ "program_ended", COL_TEXT, FIT_WHOLE },
	{ "external_id", COL_TEXT, FIT_WHOLE },
	{ "created", COL_TEXT, FIT_WHOLE },
	{ "noshows", COL_INT, FIT_WHOLE },
	{ "noshow_window", COL_TEXT, FIT_WHOLE },
	{ "blocked", COL_BOOL, FIT_WHOLE },
	{ "blocked_since", COL_TEXT, FIT_WHOLE },
	{ "blocked_reason", COL_TEXT, FIT_WHOLE },
	/* JSON arrays from here on: the alerts' texts, then the parts below. */
	{ "alerts", COL_RAW, FIT_WHOLE },
	{ "notes", COL_RAW, FIT_WHOLE },
	{ "upcoming", COL_RAW, FIT_WHOLE },
	{ "recent", COL_RAW, FIT_WHOLE },
	{ "contacts", COL_RAW, FIT_WHOLE },
};

/* The table form's labels for show_columns up to the alerts. */
static const char *const show_labels[] = {
	"id:", "name:", "phone:", "e-mail:", "born:", "channel:", "program:",
	"program ended:", "external id:", "created:", "no-shows:",
	"no-show window:", "blocked:", "blocked since:", "blocked reason:",
};

#define SHOW_FIELDS NR_COLUMNS(show_labels)
#define SHOW_ALERTS SHOW_FIELDS
#define SHOW_PARTS (SHOW_ALERTS + 1)
/* Where the alerts go in the table form: right under the name. */
#define SHOW_NAME 1

_Static_assert(SHOW_FIELDS == 15, "show_labels and show_columns agree");

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
};

#define NR_PARTS NR_COLUMNS(part_defs)

_Static_assert(SHOW_PARTS + NR_PARTS == NR_COLUMNS(show_columns), "one column per part");

/* Buffers for one client's cells; cells[i] is NULL for an empty one. */
struct show_data {
	char id[24], ended[48], created[48], since[48], noshows[24], window[32];
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

static enum appt_status fill_show(struct appt_session *s, enum output_format format,
				  const struct client *c, struct show_data *d,
				  struct appt_err *err)
{
	long window = s->cfg->policies.noshow.window;
	time_t since = c->blocked ? client_blocked_since(s->db, c->id) : 0;

	const char *cells[SHOW_FIELDS] = {
		d->id, c->name, c->phone, c->email, c->born, c->channel, c->program,
		format_time(format, c->program_ended_at, d->ended, sizeof(d->ended)),
		c->external_id,
		format_time(format, c->created_at, d->created, sizeof(d->created)),
		d->noshows, d->window, c->blocked ? "1" : "0",
		format_time(format, since, d->since, sizeof(d->since)),
		c->blocked_reason,
	};

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

/* ---- the table -------------------------------------------------------- */

static const struct subcommand subcommands[] = {
	{
		.name = "add",
		.synopsis = "add --name N [--phone P] [--email E] [--channel sms|email|call]\n"
			    "       [--born YYYY-MM-DD] [--note T] [--program NAME] [--external-id X]\n"
			    "       [--allow-duplicate] [-q]",
		.details = "  --name N          the client's name (required)\n"
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
			   "  -q, --quiet       print only the new client's number\n",
		.accepts = BIT(OPT_NAME) | BIT(OPT_PHONE) | BIT(OPT_EMAIL) |
			   BIT(OPT_CHANNEL) | BIT(OPT_NOTE) | BIT(OPT_PROGRAM) |
			   BIT(OPT_EXTERNAL_ID) | BIT(OPT_BORN) | BIT(OPT_ALLOW_DUPLICATE) |
			   BIT(OPT_QUIET),
		.min_args = 0, .max_args = 0,
		.check = check_add,
		.change = add_change,
		.done = "added",
	},
	{
		.name = "list",
		.synopsis = "list [--format table|csv|json] [--wide] [--match TEXT] [--blocked]",
		.details = "  --format F        table, csv or json (default: table on a terminal, else csv)\n"
			   "  --wide            a table shows names and e-mails whole, however wide\n"
			   "  --match TEXT      only clients whose name, phone or e-mail contains TEXT\n"
			   "  --blocked         only blocked clients\n",
		.accepts = BIT(OPT_FORMAT) | BIT(OPT_WIDE) | BIT(OPT_MATCH) | BIT(OPT_BLOCKED),
		.min_args = 0, .max_args = 0,
		.show = list_clients,
	},
	{
		.name = "show",
		.synopsis = "show C [--format table|csv|json]",
		.details = "  --format F        table (the default), csv or json\n",
		.accepts = BIT(OPT_FORMAT),
		.min_args = 1, .max_args = 1,
		.show = show_client,
	},
	{
		.name = "edit",
		.synopsis = "edit C [--name N] [--phone P] [--email E] [--channel sms|email|call]\n"
			    "       [--program NAME | --no-program] [--external-id X] [--born YYYY-MM-DD]\n"
			    "       [--allow-duplicate]",
		.details = "  --name N          new name\n"
			   "  --phone P         new phone number ('' removes it)\n"
			   "  --email E         new e-mail address ('' removes it)\n"
			   "  --channel CH      sms, email or call\n"
			   "  --program NAME    enrol in a program of the configuration (again,\n"
			   "                    after it ended: the same NAME re-enrols)\n"
			   "  --no-program      end the enrolment\n"
			   "  --external-id X   the client's id in another system ('' removes it)\n"
			   "  --born DATE       date of birth, YYYY-MM-DD ('' removes it)\n"
			   "  --allow-duplicate keep a phone or e-mail another client also has\n",
		.accepts = FIELD_OPTS | BIT(OPT_ALLOW_DUPLICATE),
		.min_args = 1, .max_args = 1,
		.check = check_edit,
		.change = edit_change,
		.done = "updated",
	},
	{
		.name = "note",
		.synopsis = "note C [--alert] TEXT...",
		.details = "  --alert           an alert (an allergy, say): book, show and the day\n"
			   "                    sheet print it as a warning\n"
			   "  TEXT...           the note; the words are joined with spaces\n",
		.accepts = BIT(OPT_ALERT),
		.min_args = 2, .max_args = -1,
		.free_text = 1,
		.check = check_note,
		.change = note_change,
		.done = "noted on",
	},
	{
		.name = "block",
		.synopsis = "block C --reason T",
		.details = "  --reason T        why (required; kept with the client)\n",
		.accepts = BIT(OPT_REASON),
		.min_args = 1, .max_args = 1,
		.check = check_block,
		.change = block_change,
		.done = "blocked",
	},
	{
		.name = "unblock",
		.synopsis = "unblock C [--reason T]",
		.details = "  --reason T        why, for the audit log\n",
		.accepts = BIT(OPT_REASON),
		.min_args = 1, .max_args = 1,
		.change = unblock_change,
		.done = "unblocked",
	},
	{
		.name = "merge",
		.synopsis = "merge KEEP OTHER [--reason T]",
		.details = "  KEEP              the client to keep\n"
			   "  OTHER             its duplicate: its appointments, notes, contacts,\n"
			   "                    messages and charges move to KEEP, which takes the\n"
			   "                    phone, e-mail, date of birth and program it lacks;\n"
			   "                    OTHER stays for history, merged into KEEP\n"
			   "  --reason T        why, for the audit log\n",
		.accepts = BIT(OPT_REASON),
		.min_args = 2, .max_args = 2,
		.run = merge_clients,
	},
};

#define NR_SUBCOMMANDS NR_COLUMNS(subcommands)

static const char reference_help[] =
	"C is a client: its number, an exact e-mail, a phone however typed, or a\n"
	"unique (case-insensitive) part of its name.\n";

static void build_usage(struct strbuf *sb, const struct subcommand *only)
{
	for (size_t i = 0; i < NR_SUBCOMMANDS; i++) {
		if (only && only != &subcommands[i])
			continue;
		strbuf_addf(sb, "%s appt client %s\n", sb->len ? "   or:" : "usage:",
			    subcommands[i].synopsis);
	}
	if (only)
		strbuf_addf(sb, "\n%s", only->details);
	if (!only || only->max_args)
		strbuf_addf(sb, "\n%s", reference_help);
	if (!only)
		strbuf_addstr(sb, "\nSee 'appt client SUBCOMMAND --help' and appt-client(1).\n");
}

/* ---- running ---------------------------------------------------------- */

static enum opt opt_of(int c)
{
	if (c == 'q')
		return OPT_QUIET;
	if (c == 'h')
		return OPT_HELP;
	return (enum opt)(c - 256);
}

static const char *opt_name(enum opt o)
{
	for (const struct option *lo = long_options; lo->name; lo++)
		if (opt_of(lo->val) == o)
			return lo->name;
	return "?";
}

static void set_option(struct args *a, enum opt o, const char *value)
{
	a->given |= BIT(o);
	switch (o) {
	case OPT_NAME: a->f.name = value; break;
	case OPT_PHONE: a->f.phone = value; break;
	case OPT_EMAIL: a->f.email = value; break;
	case OPT_CHANNEL: a->f.channel = value; break;
	case OPT_NOTE: a->note = value; break;
	case OPT_PROGRAM: a->f.program = value; break;
	case OPT_NO_PROGRAM: a->f.program = ""; break;
	case OPT_EXTERNAL_ID: a->f.external_id = value; break;
	case OPT_BORN: a->f.born = value; break;
	case OPT_ALLOW_DUPLICATE: a->f.allow_duplicate = 1; break;
	case OPT_ALERT: a->alert = 1; break;
	case OPT_FORMAT: a->format_name = value; break;
	case OPT_MATCH: a->match = value; break;
	case OPT_BLOCKED: a->blocked_only = 1; break;
	case OPT_REASON: a->reason = value; break;
	case OPT_QUIET: a->quiet = 1; break;
	case OPT_WIDE: a->wide = 1; break;
	case OPT_HELP: break;
	}
}

/* argv[0] is the subcommand's name. */
static int parse_options(const struct subcommand *sub, int argc, char **argv,
			 struct args *a)
{
	const char *optstring = sub->free_text ? "+:qh" : ":qh";
	int c;

	while ((c = getopt_long(argc, argv, optstring, long_options, NULL)) != -1) {
		enum opt o;

		if (c == '?' || c == ':')
			return cli_bad_option(c, argv);
		o = opt_of(c);
		if (o != OPT_HELP && !(sub->accepts & BIT(o)))
			return cli_usage_error("option '--%s' does not apply to 'appt client %s'",
					       opt_name(o), sub->name);
		set_option(a, o, optarg);
		if (o == OPT_HELP)
			return APPT_OK;
	}
	a->pos = argv + optind;
	a->npos = argc - optind;
	return APPT_OK;
}

static int run_change(const struct subcommand *sub, struct appt_session *s,
		      const struct args *a)
{
	struct appt_err err = { "" };
	long long id = 0;
	enum appt_status status = db_begin_write(s->db, &err);

	if (!status)
		status = db_finish_write(s->db, sub->change(s, a, &id, &err), &err);
	if (status)
		return cli_report(status, &err);
	/* Creating commands (those with -q) also name what they created. */
	if (a->quiet)
		printf("%lld\n", id);
	else if (sub->accepts & BIT(OPT_QUIET))
		printf("%s client #%lld %s\n", sub->done, id, a->f.name);
	else
		printf("%s client #%lld\n", sub->done, id);
	return APPT_OK;
}

static int run_show(const struct subcommand *sub, struct appt_session *s,
		    const struct args *a)
{
	struct appt_err err = { "" };
	int status = db_begin_read(s->db, &err);

	if (status)
		return cli_report(status, &err);
	status = sub->show(s, a);
	db_rollback(s->db);
	return status;
}

static int run(const struct subcommand *sub, const struct args *a)
{
	struct appt_session s;
	int status = cli_open_session(&s, SESSION_CONFIG | SESSION_DB);

	if (!status && sub->run)
		status = sub->run(&s, a);
	else if (!status)
		status = sub->change ? run_change(sub, &s, a) : run_show(sub, &s, a);
	session_close(&s);
	return status;
}

static int run_subcommand(const struct subcommand *sub, int argc, char **argv)
{
	struct strbuf usage = STRBUF_INIT;
	struct args a = { .text = STRBUF_INIT };
	int status;

	build_usage(&usage, sub);
	cli_start("client", usage.buf);
	status = parse_options(sub, argc, argv, &a);
	if (!status && (a.given & BIT(OPT_HELP)))
		status = cli_help();
	else if (!status && !(status = cli_check_args(argc, argv, sub->min_args, sub->max_args)) &&
		 !(status = check_format(&a)) && !(status = sub->check ? sub->check(&a) : 0))
		status = cli_exit(run(sub, &a));
	strbuf_release(&a.text);
	strbuf_release(&usage);
	return status;
}

static const struct subcommand *find_subcommand(const char *name)
{
	for (size_t i = 0; i < NR_SUBCOMMANDS; i++)
		if (!strcmp(subcommands[i].name, name))
			return &subcommands[i];
	return NULL;
}

static int unknown_subcommand(const char *name)
{
	const char *best = NULL;
	size_t best_distance = SUGGEST_MAX_DISTANCE + 1;

	for (size_t i = 0; i < NR_SUBCOMMANDS; i++) {
		size_t d = edit_distance(name, subcommands[i].name);

		if (d < best_distance) {
			best = subcommands[i].name;
			best_distance = d;
		}
	}
	if (best)
		return cli_error(APPT_USAGE, "unknown subcommand '%s'; did you mean '%s'?",
				 name, best);
	return cli_error(APPT_USAGE, "unknown subcommand '%s' (see 'appt client --help')",
			 name);
}

/* appt client with no subcommand, or only options. */
static int no_subcommand(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("missing subcommand");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return cli_help();
	return cli_usage_error("unknown option '%s' (options follow the subcommand)", argv[1]);
}

int main(int argc, char **argv)
{
	struct strbuf usage = STRBUF_INIT;
	const struct subcommand *sub;
	int status;

	build_usage(&usage, NULL);
	cli_start("client", usage.buf);
	if (argc < 2 || argv[1][0] == '-')
		status = no_subcommand(argc, argv);
	else if (!(sub = find_subcommand(argv[1])))
		status = unknown_subcommand(argv[1]);
	else
		status = run_subcommand(sub, argc - 1, argv + 1);
	strbuf_release(&usage);
	return status;
}
