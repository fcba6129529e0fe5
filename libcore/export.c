#include "export.h"

#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ics.h"
#include "ledger.h"
#include "money.h"
#include "output.h"
#include "when.h"

enum cell_kind {
	CELL_TEXT,
	CELL_INT,
	CELL_BOOL,
	CELL_TIME,    /* UTC seconds, shown ISO 8601 with the zone's offset */
	CELL_MONEY,   /* cents, shown "25.00" */
	CELL_CONTACT, /* a phone number or e-mail address: --redact masks it */
	CELL_JSON,    /* an audit snapshot: --redact masks the contacts in it */
	CELL_EXTERNAL_ID, /* the stored one, else a stand-in (export.h) */
};

struct export_column {
	const char *name;
	const char *expr; /* over the table's FROM clause */
	enum cell_kind kind;
};

/*
 * The stand-in external id of a record made in appt: PREFIX || id.  A
 * database that was itself imported from an appt export may already hold
 * that value on another record; only then (checked once per export, as
 * probing every row would cost a quarter of the time) the stand-ins that
 * are taken get ".CREATED_AT" added, so that no two rows of an export ever
 * share an external id and a re-import never merges two records.
 */
struct external_ids {
	const char *table;
	const char *alias;
	const char *prefix;
	const char *prefix_end; /* the prefix with its ':' raised to ';' */
};

static const struct external_ids appointment_ids = {
	"appointments", "a", "appt:appointment:", "appt:appointment;",
};

static const struct external_ids client_ids = {
	"clients", "c", "appt:client:", "appt:client;",
};

struct export_table {
	const char *name;
	const struct external_ids *ids; /* NULL: no external_id column */
	const struct export_column *cols;
	size_t ncols;
	size_t nbasic;        /* the leading columns written without --all-columns */
	const char *from;
	const char *when;     /* what --from/--to compare */
	const char *provider; /* what --provider compares; NULL: not offered */
	const char *order;
};

#define COLUMNS(cols) cols, sizeof(cols) / sizeof(cols[0])

/*
 * The first ten are import's columns, in its order: a default export is a
 * file `appt import appointments` takes back unchanged.
 */
static const struct export_column appointment_columns[] = {
	{ "client", "c.name", CELL_TEXT },
	{ "phone", "c.phone", CELL_CONTACT },
	{ "email", "c.email", CELL_CONTACT },
	{ "service", "a.service", CELL_TEXT },
	{ "provider", "a.provider", CELL_TEXT },
	{ "start", "a.start_at", CELL_TIME },
	{ "end", "a.end_at", CELL_TIME },
	{ "status", "a.status", CELL_TEXT },
	{ "notes", "a.note", CELL_TEXT },
	{ "external_id", NULL, CELL_EXTERNAL_ID },
	{ "id", "a.id", CELL_INT },
	{ "client_id", "a.client_id", CELL_INT },
	{ "resource", "a.resource", CELL_TEXT },
	{ "local_start", "a.local_start", CELL_TEXT },
	{ "zone", "a.zone", CELL_TEXT },
	{ "via", "a.via", CELL_TEXT },
	{ "confirmed_at", "a.confirmed_at", CELL_TIME },
	{ "confirmed_via", "a.confirmed_via", CELL_TEXT },
	{ "reschedules", "a.reschedules", CELL_INT },
	{ "late_cancel", "a.late_cancel", CELL_BOOL },
	{ "cancel_reason", "a.cancel_reason", CELL_TEXT },
	{ "cancelled_by", "a.cancelled_by", CELL_TEXT },
	{ "created", "a.created_at", CELL_TIME },
	{ "updated", "a.updated_at", CELL_TIME },
};

/*
 * A client's notes are separate records; joined by newlines they make the
 * one "notes" cell import turns back into a note, which exports the same.
 */
static const struct export_column client_columns[] = {
	{ "name", "c.name", CELL_TEXT },
	{ "phone", "c.phone", CELL_CONTACT },
	{ "email", "c.email", CELL_CONTACT },
	{ "channel", "c.channel", CELL_TEXT },
	{ "notes", "(SELECT group_concat(text, '\n') FROM (SELECT text"
		   " FROM client_notes n WHERE n.client_id = c.id ORDER BY n.id) notes)", CELL_TEXT },
	{ "program", "c.program", CELL_TEXT },
	{ "external_id", NULL, CELL_EXTERNAL_ID },
	{ "id", "c.id", CELL_INT },
	{ "blocked", "c.blocked", CELL_BOOL },
	{ "blocked_reason", "c.blocked_reason", CELL_TEXT },
	{ "program_ended", "c.program_ended_at", CELL_TIME },
	{ "created", "c.created_at", CELL_TIME },
	{ "updated", "c.updated_at", CELL_TIME },
};

static const struct export_column event_columns[] = {
	{ "id", "e.id", CELL_INT },
	{ "at", "e.at", CELL_TIME },
	{ "actor", "e.actor", CELL_TEXT },
	{ "login", "e.login", CELL_TEXT },
	{ "entity", "e.entity", CELL_TEXT },
	{ "entity_id", "e.entity_id", CELL_INT },
	{ "action", "e.action", CELL_TEXT },
	{ "reason", "e.reason", CELL_TEXT },
	{ "forced", "e.forced", CELL_BOOL },
	{ "before", "e.before", CELL_JSON },
	{ "after", "e.after", CELL_JSON },
	{ "undoes", "e.undoes", CELL_INT },
};

static const struct export_column message_columns[] = {
	{ "id", "m.id", CELL_INT },
	{ "created", "m.created_at", CELL_TIME },
	{ "kind", "m.kind", CELL_TEXT },
	{ "name", "m.name", CELL_TEXT },
	{ "client_id", "m.client_id", CELL_INT },
	{ "client", "c.name", CELL_TEXT },
	{ "appointment_id", "m.appointment_id", CELL_INT },
	{ "program", "m.program", CELL_TEXT },
	{ "channel", "m.channel", CELL_TEXT },
	{ "recipient", "m.recipient", CELL_CONTACT },
	{ "template", "m.template", CELL_TEXT },
	{ "subject", "m.subject", CELL_TEXT },
	{ "body", "m.body", CELL_TEXT },
	{ "status", "m.status", CELL_TEXT },
	{ "assign", "m.assign", CELL_TEXT },
	{ "note", "m.note", CELL_TEXT },
	{ "due", "m.due_at", CELL_TIME },
	{ "attempts", "m.attempts", CELL_INT },
	{ "last_error", "m.last_error", CELL_TEXT },
	{ "sent", "m.sent_at", CELL_TIME },
	{ "closed", "m.closed_at", CELL_TIME },
	{ "closed_by", "m.closed_by", CELL_TEXT },
	{ "tries", "m.tries", CELL_INT },
	{ "attempt", "m.attempt", CELL_INT },
	{ "follows", "m.follows", CELL_INT },
};

/* The contact log, with seed 004's note: attempt, last service, form of contact. */
static const struct export_column contact_columns[] = {
	{ "id", "k.id", CELL_INT },
	{ "at", "k.at", CELL_TIME },
	{ "client_id", "k.client_id", CELL_INT },
	{ "client", "c.name", CELL_TEXT },
	{ "appointment_id", "k.appointment_id", CELL_INT },
	{ "task", "k.message_id", CELL_INT },
	{ "via", "k.via", CELL_TEXT },
	{ "outcome", "k.outcome", CELL_TEXT },
	{ "inbound", "k.inbound", CELL_BOOL },
	{ "program", "k.program", CELL_TEXT },
	{ "attempt", "k.attempt", CELL_INT },
	{ "last_service", "k.last_visit", CELL_TEXT },
	{ "text", "k.text", CELL_TEXT },
	{ "actor", "k.actor", CELL_TEXT },
};

static const struct export_column charge_columns[] = {
	{ "id", "ch.id", CELL_INT },
	{ "at", "ch.at", CELL_TIME },
	{ "kind", "ch.kind", CELL_TEXT },
	{ "amount", "ch.amount", CELL_MONEY },
	{ "appointment_id", "ch.appointment_id", CELL_INT },
	{ "client_id", "ch.client_id", CELL_INT },
	{ "client", "c.name", CELL_TEXT },
	{ "actor", "ch.actor", CELL_TEXT },
	/* a charge is never deleted: appt undo voids it */
	{ "voided", "ch.voided_at", CELL_TIME },
	{ "voided_by", "ch.voided_by", CELL_TEXT },
	{ "void_reason", "ch.void_reason", CELL_TEXT },
};

/*
 * An invoice or credit note as issued (a credit note's figures are
 * negative), with what was paid on it and what became of it, in
 * invoice_status's words.
 */
#define INVOICE_PAID "(SELECT coalesce(sum(l.amount), 0) FROM allocations l WHERE l.invoice_id = i.id)"
static const struct export_column invoice_columns[] = {
	{ "number", "i.number", CELL_TEXT },
	{ "kind", "i.kind", CELL_TEXT },
	{ "issued", "i.issued_at", CELL_TIME },
	{ "client_id", "i.client_id", CELL_INT },
	{ "client", "c.name", CELL_TEXT },
	{ "appointment", "i.appointment_id", CELL_INT },
	{ "subtotal", "i.subtotal", CELL_MONEY },
	{ "discount", "i.discount", CELL_MONEY },
	{ "tax", "i.tax", CELL_MONEY },
	{ "total", "i.total", CELL_MONEY },
	{ "paid", INVOICE_PAID, CELL_MONEY },
	{ "status", "CASE WHEN i.kind = 'credit' THEN 'credit'"
		    " WHEN EXISTS (SELECT 1 FROM invoices v WHERE v.cancels = i.id) THEN 'void'"
		    " WHEN " INVOICE_PAID " >= i.total THEN 'paid' ELSE 'open' END", CELL_TEXT },
	{ "cancels", "(SELECT x.number FROM invoices x WHERE x.id = i.cancels)", CELL_TEXT },
	{ "currency", "i.currency", CELL_TEXT },
	{ "reason", "i.reason", CELL_TEXT },
	{ "actor", "i.actor", CELL_TEXT },
};

/* A payment as received; invoice: the one it was made on, if any. */
static const struct export_column payment_columns[] = {
	{ "id", "p.id", CELL_INT },
	{ "at", "p.at", CELL_TIME },
	{ "client_id", "p.client_id", CELL_INT },
	{ "client", "c.name", CELL_TEXT },
	{ "amount", "p.amount", CELL_MONEY },
	{ "method", "p.method", CELL_TEXT },
	{ "ref", "p.ref", CELL_TEXT },
	{ "invoice", "(SELECT x.number FROM invoices x WHERE x.id = p.invoice_id)", CELL_TEXT },
	{ "actor", "p.actor", CELL_TEXT },
};

#define EVERY_COLUMN ((size_t)-1)

/* Indexed by enum export_dataset. */
static const struct export_table tables[] = {
	{ "appointments", &appointment_ids, COLUMNS(appointment_columns), 10,
	  "appointments a JOIN clients c ON c.id = a.client_id", "a.start_at",
	  "a.provider", "a.start_at, a.id" },
	{ "clients", &client_ids, COLUMNS(client_columns), 7, "clients c", "c.created_at",
	  NULL, "c.id" },
	{ "events", NULL, COLUMNS(event_columns), EVERY_COLUMN, "events e", "e.at", NULL,
	  "e.id" },
	{ "messages", NULL, COLUMNS(message_columns), EVERY_COLUMN,
	  "messages m JOIN clients c ON c.id = m.client_id", "m.created_at",
	  NULL, "m.id" },
	{ "charges", NULL, COLUMNS(charge_columns), EVERY_COLUMN,
	  "charges ch JOIN clients c ON c.id = ch.client_id", "ch.at", NULL,
	  "ch.id" },
	{ "contacts", NULL, COLUMNS(contact_columns), EVERY_COLUMN,
	  "contacts k JOIN clients c ON c.id = k.client_id", "k.at", NULL, "k.id" },
	{ "invoices", NULL, COLUMNS(invoice_columns), EVERY_COLUMN,
	  "invoices i JOIN clients c ON c.id = i.client_id", "i.issued_at", NULL,
	  "i.issued_at, i.id" },
	{ "payments", NULL, COLUMNS(payment_columns), EVERY_COLUMN,
	  "payments p JOIN clients c ON c.id = p.client_id", "p.at", NULL, "p.at, p.id" },
};

#define NTABLES (sizeof(tables) / sizeof(tables[0]))

/* What an iCalendar event is made of; read by the CAL_* positions. */
enum calendar_field {
	CAL_ID, CAL_CLIENT, CAL_SERVICE, CAL_PROVIDER, CAL_RESOURCE, CAL_START,
	CAL_END, CAL_STATUS, CAL_NOTE, CAL_RESCHEDULES, CAL_CREATED, CAL_UPDATED,
};

static const struct export_column calendar_columns[] = {
	[CAL_ID] = { "id", "a.id", CELL_INT },
	[CAL_CLIENT] = { "client", "c.name", CELL_TEXT },
	[CAL_SERVICE] = { "service", "a.service", CELL_TEXT },
	[CAL_PROVIDER] = { "provider", "a.provider", CELL_TEXT },
	[CAL_RESOURCE] = { "resource", "a.resource", CELL_TEXT },
	[CAL_START] = { "start", "a.start_at", CELL_INT },
	[CAL_END] = { "end", "a.end_at", CELL_INT },
	[CAL_STATUS] = { "status", "a.status", CELL_TEXT },
	[CAL_NOTE] = { "note", "a.note", CELL_TEXT },
	[CAL_RESCHEDULES] = { "reschedules", "a.reschedules", CELL_INT },
	[CAL_CREATED] = { "created", "a.created_at", CELL_INT },
	[CAL_UPDATED] = { "updated", "a.updated_at", CELL_INT },
};

static const struct export_table calendar_table = {
	"appointments", NULL, COLUMNS(calendar_columns), EVERY_COLUMN,
	"appointments a JOIN clients c ON c.id = a.client_id", "a.start_at",
	"a.provider", "a.start_at, a.id",
};

static const char *const format_names[] = { "csv", "json", "ics", "ledger" };

int export_parse_dataset(const char *name, enum export_dataset *out)
{
	for (size_t i = 0; i < NTABLES; i++) {
		if (!strcmp(name, tables[i].name)) {
			*out = (enum export_dataset)i;
			return 0;
		}
	}
	return -1;
}

int export_parse_format(const char *name, enum export_format *out)
{
	for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
		if (!strcmp(name, format_names[i])) {
			*out = (enum export_format)i;
			return 0;
		}
	}
	return -1;
}

const char *export_dataset_names(void)
{
	static char names[128];

	if (!names[0]) {
		for (size_t i = 0; i < NTABLES; i++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names),
				 "%s%s", i ? ", " : "", tables[i].name);
	}
	return names;
}

enum appt_status export_check(const struct export_request *req,
			      struct appt_err *err)
{
	const char *name = tables[req->dataset].name;

	if (req->format == EXPORT_ICS && req->dataset != EXPORT_APPOINTMENTS)
		return appt_fail(err, APPT_USAGE,
				 "--format ics is for appointments, not %s", name);
	if (req->provider && !tables[req->dataset].provider)
		return appt_fail(err, APPT_USAGE,
				 "--provider is for appointments, not %s", name);
	if (req->format == EXPORT_LEDGER && req->dataset != EXPORT_INVOICES &&
	    req->dataset != EXPORT_PAYMENTS)
		return appt_fail(err, APPT_USAGE,
				 "--format ledger is for invoices and payments, not %s", name);
	if ((req->format == EXPORT_ICS || req->format == EXPORT_LEDGER) &&
	    (req->flags & EXPORT_ALL_COLUMNS))
		return appt_fail(err, APPT_USAGE, "--all-columns is for csv and json");
	return APPT_OK;
}

/* ---- redaction ------------------------------------------------------ */

/* Bytes of the first character of s, a whole UTF-8 sequence, at most max. */
static int first_char_len(const char *s, size_t max)
{
	size_t n = max ? 1 : 0;

	while (n < max && ((unsigned char)s[n] & 0xc0) == 0x80)
		n++;
	return (int)n;
}

static size_t trailing_digits(const char *s, size_t len, size_t max)
{
	size_t n = 0;

	while (n < max && n < len && s[len - 1 - n] >= '0' && s[len - 1 - n] <= '9')
		n++;
	return n;
}

void export_mask_contact(const char *contact, char *buf, size_t size)
{
	const char *at = strchr(contact, '@');
	size_t len = strlen(contact), keep;

	if (at) {
		/* The domain stays: an audit may need to see whose it is. */
		snprintf(buf, size, "%.*s***%s",
			 first_char_len(contact, (size_t)(at - contact)), contact, at);
		return;
	}
	/* Two digits tell a caller which number it is; short ones show none. */
	keep = len > 4 ? trailing_digits(contact, len, 2) : 0;
	if (len + 1 > size) {
		if (size)
			buf[0] = '\0';
		return;
	}
	memset(buf, '*', len - keep);
	memcpy(buf + len - keep, contact + len - keep, keep);
	buf[len] = '\0';
}

/* The contact fields that snapshots in the audit log may hold. */
static const char *const snapshot_contacts[] = { "phone", "email", "recipient" };

static void mask_into(struct strbuf *out, const char *contact)
{
	size_t size = strlen(contact) + 5;
	char *buf = xmalloc(size);

	export_mask_contact(contact, buf, size);
	strbuf_reset(out);
	strbuf_addstr(out, buf);
	free(buf);
}

/*
 * A snapshot with its contacts masked, written back as the database wrote
 * it: compact, keys in order.  Text that is not a JSON object is left as
 * it is.
 */
static int mask_snapshot_into(struct strbuf *out, const char *json)
{
	json_t *row = json_loads(json, JSON_DECODE_ANY, NULL);
	struct strbuf masked = STRBUF_INIT;
	char *text;

	if (!json_is_object(row)) {
		json_decref(row);
		return 0;
	}
	for (size_t i = 0; i < sizeof(snapshot_contacts) / sizeof(snapshot_contacts[0]); i++) {
		json_t *v = json_object_get(row, snapshot_contacts[i]);

		if (!json_is_string(v))
			continue;
		mask_into(&masked, json_string_value(v));
		json_object_set_new(row, snapshot_contacts[i], json_string(masked.buf));
	}
	text = json_dumps(row, JSON_COMPACT | JSON_PRESERVE_ORDER);
	strbuf_reset(out);
	strbuf_addstr(out, text ? text : "");
	free(text);
	strbuf_release(&masked);
	json_decref(row);
	return 1;
}

/* ---- the query ------------------------------------------------------- */

static size_t columns_wanted(const struct export_table *t, unsigned flags)
{
	if ((flags & EXPORT_ALL_COLUMNS) || t->nbasic > t->ncols)
		return t->ncols;
	return t->nbasic;
}

static void add_external_id(struct strbuf *sql, const struct external_ids *ids,
			    int guarded)
{
	const char *a = ids->alias;

	strbuf_addf(sql, "coalesce(%s.external_id, '%s' || %s.id", a, ids->prefix, a);
	if (guarded)
		strbuf_addf(sql, " || CASE WHEN EXISTS (SELECT 1 FROM %s x"
			    " WHERE x.external_id = '%s' || %s.id)"
			    " THEN '.' || %s.created_at ELSE '' END",
			    ids->table, ids->prefix, a, a);
	strbuf_addch(sql, ')');
}

/* Whether any record holds an external id that looks like a stand-in. */
static int stand_ins_stored(struct appt_db *db, const struct external_ids *ids)
{
	struct stmt *st;
	struct strbuf sql = STRBUF_INIT;
	int found;

	strbuf_addf(&sql, "SELECT 1 FROM %s WHERE external_id >= '%s'"
		    " AND external_id < '%s' LIMIT 1", ids->table, ids->prefix,
		    ids->prefix_end);
	st = db_prepare(db, sql.buf);
	found = stmt_step(st) == STORE_ROW;
	stmt_finalize(st);
	strbuf_release(&sql);
	return found;
}

static void add_column(struct strbuf *sql, const struct export_table *t,
		       const struct export_column *col, int guarded)
{
	if (col->kind == CELL_EXTERNAL_ID)
		add_external_id(sql, t->ids, guarded);
	else
		strbuf_addstr(sql, col->expr);
}

/* Only the bounds asked for, so that the planner can use the indexes. */
static void add_where(struct strbuf *sql, const struct export_table *t,
		      const struct export_request *req)
{
	const char *sep = " WHERE ";

	if (req->from) {
		strbuf_addf(sql, "%s%s >= :from", sep, t->when);
		sep = " AND ";
	}
	if (req->to) {
		strbuf_addf(sql, "%s%s < :to", sep, t->when);
		sep = " AND ";
	}
	if (req->provider)
		strbuf_addf(sql, "%s%s = :provider", sep, t->provider);
}

static void bind_named_int(struct stmt *st, const char *name, long long v)
{
	int idx = stmt_param_index(st, name);

	if (idx)
		stmt_bind_int64(st, idx, v);
}

static struct stmt *prepare_query(struct appt_db *db, const struct export_table *t,
				   size_t ncols, const struct export_request *req)
{
	int guarded = t->ids && stand_ins_stored(db, t->ids);
	struct strbuf sql = STRBUF_INIT;
	struct stmt *st;
	int idx;

	strbuf_addstr(&sql, "SELECT ");
	for (size_t i = 0; i < ncols; i++) {
		if (i)
			strbuf_addstr(&sql, ", ");
		add_column(&sql, t, &t->cols[i], guarded);
	}
	strbuf_addf(&sql, " FROM %s", t->from);
	add_where(&sql, t, req);
	strbuf_addf(&sql, " ORDER BY %s", t->order);
	st = db_prepare_stream(db, sql.buf);
	strbuf_release(&sql);
	bind_named_int(st, ":from", req->from);
	bind_named_int(st, ":to", req->to);
	if ((idx = stmt_param_index(st, ":provider")))
		db_bind_text(st, idx, req->provider);
	return st;
}

/* ---- rows ------------------------------------------------------------ */

#define CELL_BUF 48
_Static_assert(CELL_BUF >= WHEN_ISO_MAX, "a time cell fits its scratch");
/* How often a long export looks for a write error (a full disk). */
#define ERROR_CHECK_ROWS 4096

struct export_run {
	struct appt_session *s;
	const struct export_request *req;
	const struct export_table *table;
	size_t ncols;
	struct stmt *st;
	FILE *fp;
	int neutralise;
	/* per column */
	const char **cells;
	size_t *lens;
	char (*scratch)[CELL_BUF];
	struct when_iso_clock *clocks;
	struct strbuf *masked; /* --redact: each column's masked text */
	int write_failed;
	/* per format */
	struct output *out;
	struct output_column *json_cols;
	struct ics_writer *ics;
	char *uid_domain;
	struct strbuf summary;
	struct strbuf description;
};

static const char *read_cell(struct export_run *r, size_t i)
{
	struct stmt *st = r->st;
	int col = (int)i;
	const char *text;

	r->lens[i] = 0;
	if (stmt_column_is_null(st, col))
		return NULL;
	switch (r->table->cols[i].kind) {
	case CELL_TIME:
		r->lens[i] = when_iso_clock_format(&r->clocks[i],
						   (time_t)stmt_column_int64(st, col), r->scratch[i]);
		return r->scratch[i];
	case CELL_MONEY:
		money_format(stmt_column_int64(st, col), r->scratch[i], CELL_BUF);
		r->lens[i] = strlen(r->scratch[i]);
		return r->scratch[i];
	case CELL_BOOL:
		r->lens[i] = 1;
		return stmt_column_int(st, col) ? "1" : "0";
	default:
		text = stmt_column_text(st, col);
		if (r->masked && r->table->cols[i].kind == CELL_CONTACT) {
			mask_into(&r->masked[i], text);
			text = r->masked[i].buf;
		} else if (r->masked && r->table->cols[i].kind == CELL_JSON &&
			   mask_snapshot_into(&r->masked[i], text)) {
			text = r->masked[i].buf;
		}
		r->lens[i] = strlen(text);
		return text;
	}
}

static void read_cells(struct export_run *r)
{
	for (size_t i = 0; i < r->ncols; i++)
		r->cells[i] = read_cell(r, i);
}

/* ---- CSV ------------------------------------------------------------- */

/*
 * Most cells need neither quotes nor neutralising nor repair (invalid
 * UTF-8 an older appt stored) and go out in one write; the rest take
 * output.c's path, so both exports and listings follow one set of rules.
 */
static void csv_cell(FILE *fp, const char *cell, size_t len, int neutralise)
{
	if (!cell)
		return;
	if ((neutralise && text_is_formula_like(cell)) ||
	    strpbrk(cell, ",\"\r\n") || !utf8_valid(cell, len))
		output_csv_cell(fp, cell, neutralise);
	else
		fwrite_unlocked(cell, 1, len, fp);
}

static void csv_begin(struct export_run *r)
{
	for (size_t i = 0; i < r->ncols; i++) {
		if (i)
			putc_unlocked(',', r->fp);
		fputs_unlocked(r->table->cols[i].name, r->fp);
	}
	fputs_unlocked("\r\n", r->fp);
}

static void csv_row(struct export_run *r)
{
	const struct export_column *cols = r->table->cols;

	read_cells(r);
	for (size_t i = 0; i < r->ncols; i++) {
		int neutralise = r->neutralise && cols[i].kind != CELL_INT &&
				 cols[i].kind != CELL_BOOL && cols[i].kind != CELL_JSON &&
				 cols[i].kind != CELL_MONEY;

		if (i)
			putc_unlocked(',', r->fp);
		csv_cell(r->fp, r->cells[i], r->lens[i], neutralise);
	}
	fputs_unlocked("\r\n", r->fp);
}

static int csv_end(struct export_run *r)
{
	return fflush(r->fp) || ferror(r->fp) ? -1 : 0;
}

/* ---- JSON ------------------------------------------------------------ */

static enum column_type json_cell_type(enum cell_kind kind)
{
	switch (kind) {
	case CELL_INT:
		return COL_INT;
	case CELL_BOOL:
		return COL_BOOL;
	case CELL_JSON:
		return COL_RAW; /* a snapshot nests as an object */
	default:
		return COL_TEXT;
	}
}

static struct output_column *json_columns(const struct export_run *r)
{
	struct output_column *cols = xcalloc(r->ncols, sizeof(*cols));

	for (size_t i = 0; i < r->ncols; i++) {
		cols[i].name = r->table->cols[i].name;
		cols[i].type = json_cell_type(r->table->cols[i].kind);
	}
	return cols;
}

static void json_begin(struct export_run *r)
{
	r->json_cols = json_columns(r);
	r->out = output_begin(r->fp, OUTPUT_JSON, r->json_cols, r->ncols, 0);
}

static void json_row(struct export_run *r)
{
	read_cells(r);
	output_row(r->out, r->cells);
}

static int json_end(struct export_run *r)
{
	int rc = output_end(r->out);

	free(r->json_cols);
	return rc;
}

/* ---- iCalendar ------------------------------------------------------- */

static const char *config_name(const char *name, const char *id)
{
	return name && *name ? name : id;
}

static const char *service_name(const struct appt_config *cfg, const char *id)
{
	const struct cfg_service *sv = config_service(cfg, id);

	return sv ? config_name(sv->name, id) : id;
}

static const char *provider_name(const struct appt_config *cfg, const char *id)
{
	const struct cfg_provider *p = config_provider(cfg, id);

	return p ? config_name(p->name, id) : id;
}

static const char *resource_name(const struct appt_config *cfg, const char *id)
{
	const struct cfg_resource *res = id ? config_resource(cfg, id) : NULL;

	return res ? config_name(res->name, id) : id;
}

/* booked is not yet confirmed by the client: a tentative hold. */
static const char *ics_status(const char *status)
{
	if (!strcmp(status, "booked"))
		return "TENTATIVE";
	if (!strcmp(status, "cancelled"))
		return "CANCELLED";
	return "CONFIRMED";
}

static void ics_begin_run(struct export_run *r)
{
	const struct appt_config *cfg = r->s->cfg;
	struct strbuf name = STRBUF_INIT;

	strbuf_addstr(&name, cfg->business.name ? cfg->business.name : "appt");
	if (r->req->provider)
		strbuf_addf(&name, " \u2014 %s", provider_name(cfg, r->req->provider));
	r->uid_domain = ics_uid_domain(cfg->business.name);
	r->ics = ics_begin(r->fp, &(struct ics_calendar){
		.name = name.buf, .timezone = when_zone() });
	strbuf_release(&name);
}

static const char *column_text(struct stmt *st, enum calendar_field f)
{
	return stmt_column_text(st, (int)f);
}

static void ics_describe(struct export_run *r, struct stmt *st)
{
	const char *note = column_text(st, CAL_NOTE);

	strbuf_reset(&r->summary);
	strbuf_addf(&r->summary, "%s \u2014 %s",
		    service_name(r->s->cfg, column_text(st, CAL_SERVICE)),
		    column_text(st, CAL_CLIENT));
	strbuf_reset(&r->description);
	strbuf_addf(&r->description, "Provider: %s\nStatus: %s",
		    provider_name(r->s->cfg, column_text(st, CAL_PROVIDER)),
		    column_text(st, CAL_STATUS));
	if (note && *note)
		strbuf_addf(&r->description, "\nNote: %s", note);
}

static void ics_row(struct export_run *r)
{
	struct stmt *st = r->st;
	const char *status = ics_status(column_text(st, CAL_STATUS));
	char uid[320];

	snprintf(uid, sizeof(uid), "appt-%lld@%s",
		 (long long)stmt_column_int64(st, CAL_ID), r->uid_domain);
	ics_describe(r, st);
	ics_event(r->ics, &(struct ics_event){
		.uid = uid,
		.stamp = (time_t)stmt_column_int64(st, CAL_UPDATED),
		.created = (time_t)stmt_column_int64(st, CAL_CREATED),
		.start = (time_t)stmt_column_int64(st, CAL_START),
		.end = (time_t)stmt_column_int64(st, CAL_END),
		.summary = r->summary.buf,
		.description = r->description.buf,
		.location = resource_name(r->s->cfg, column_text(st, CAL_RESOURCE)),
		.status = status,
		/* A cancellation revises the event as much as a move does. */
		.sequence = stmt_column_int(st, CAL_RESCHEDULES) +
			    !strcmp(status, "CANCELLED"),
	});
}

static int ics_end_run(struct export_run *r)
{
	return ics_end(r->ics);
}

/* ---- the run --------------------------------------------------------- */

struct format_ops {
	void (*begin)(struct export_run *r);
	void (*row)(struct export_run *r);
	int (*end)(struct export_run *r);
};

/* Indexed by enum export_format. */
static const struct format_ops format_ops[] = {
	{ csv_begin, csv_row, csv_end },
	{ json_begin, json_row, json_end },
	{ ics_begin_run, ics_row, ics_end_run },
};

static void run_init(struct export_run *r, struct appt_session *s,
		     const struct export_request *req, FILE *fp)
{
	memset(r, 0, sizeof(*r));
	r->s = s;
	r->req = req;
	r->fp = fp;
	r->table = req->format == EXPORT_ICS ? &calendar_table : &tables[req->dataset];
	r->ncols = columns_wanted(r->table, req->flags);
	r->neutralise = !(req->flags & EXPORT_RAW);
	r->cells = xcalloc(r->ncols, sizeof(*r->cells));
	r->lens = xcalloc(r->ncols, sizeof(*r->lens));
	r->scratch = xcalloc(r->ncols, sizeof(*r->scratch));
	r->clocks = xcalloc(r->ncols, sizeof(*r->clocks));
	for (size_t i = 0; i < r->ncols; i++)
		when_iso_clock_init(&r->clocks[i]);
	/* Masking is done as the rows are read: every format, every store alike. */
	if (req->flags & EXPORT_REDACT) {
		r->masked = xcalloc(r->ncols, sizeof(*r->masked));
		for (size_t i = 0; i < r->ncols; i++)
			strbuf_init(&r->masked[i]);
	}
	strbuf_init(&r->summary);
	strbuf_init(&r->description);
}

static void run_release(struct export_run *r)
{
	free(r->cells);
	free(r->lens);
	free(r->scratch);
	free(r->clocks);
	for (size_t i = 0; r->masked && i < r->ncols; i++)
		strbuf_release(&r->masked[i]);
	free(r->masked);
	free(r->uid_domain);
	strbuf_release(&r->summary);
	strbuf_release(&r->description);
}

/*
 * Streams the rows; returns the SQLite code that ended the loop.  A write
 * error (a full disk) stops it early rather than reading on for nothing.
 */
static int run_rows(struct export_run *r, const struct format_ops *ops,
		    long long *rows)
{
	int rc;

	while ((rc = stmt_step(r->st)) == STORE_ROW) {
		ops->row(r);
		if (++*rows % ERROR_CHECK_ROWS == 0 && ferror(r->fp)) {
			r->write_failed = 1;
			return STORE_DONE;
		}
	}
	return rc;
}

static enum appt_status write_rows(struct appt_session *s, const struct export_request *req,
				   FILE *fp, long long *rows, struct appt_err *err)
{
	const struct format_ops *ops = &format_ops[req->format];
	enum appt_status status = db_begin_read(s->db, err);
	struct export_run r;
	long long count = 0;
	int rc;

	if (status)
		return status;
	run_init(&r, s, req, fp);
	/* One read transaction: the stand-in check sees what the rows see. */
	r.st = prepare_query(s->db, r.table, r.ncols, req);
	ops->begin(&r);
	rc = run_rows(&r, ops, &count);
	stmt_finalize(r.st);
	db_end_read(s->db);
	if (ops->end(&r) || r.write_failed)
		status = appt_fail(err, APPT_IOERR, "cannot write the export");
	else if (rc != STORE_DONE)
		status = db_error(s->db, rc, "exporting", err);
	run_release(&r);
	if (rows)
		*rows = count;
	return status;
}

enum appt_status export_write(struct appt_session *s,
			      const struct export_request *req, FILE *fp,
			      long long *rows, struct appt_err *err)
{
	enum appt_status status = export_check(req, err);

	if (!status)
		status = db_set_bulk_read(s->db, err);
	if (status)
		return status;
	/* the journal is every billing event, whichever of the two was named */
	if (req->format == EXPORT_LEDGER)
		return ledger_write(s, req->from, req->to, fp, rows, err);
	return write_rows(s, req, fp, rows, err);
}
