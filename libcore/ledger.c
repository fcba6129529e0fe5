#include "ledger.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "when.h"

/* What one transaction records; also the order of a moment's transactions. */
enum entry_type {
	ENTRY_DOCUMENT, /* an invoice or a credit note, one row per line */
	ENTRY_FEE,      /* a fee charged */
	ENTRY_WAIVER,   /* a fee waived */
	ENTRY_FEE_VOID, /* a fee taken back by appt undo */
	ENTRY_PAYMENT,
};

/* The journal's columns, each branch of the statement in this order. */
enum journal_column {
	J_AT, J_TYPE, J_ID, J_LINE, J_CLIENT_ID, J_CLIENT,
	J_LABEL,     /* invoice number, fee kind or payment method */
	J_ABOUT,     /* the invoice a credit note voids or a payment was for */
	J_NOTE,      /* why (credit note, waiver, void), a payment's ref */
	J_ITEM,      /* an invoice line's kind */
	J_TEXT,      /* an invoice line's text */
	J_SERVICE,   /* the invoiced appointment's service id */
	J_AMOUNT,    /* the line's, the fee's, the waiver's, the payment's */
	J_OTHER,     /* a document's total; what was waived of a voided fee */
	J_RATE,      /* a tax line's */
	J_CURRENCY,  /* a document's */
	J_APPOINTMENT,
};

#define PERIOD(col) " " col " >= :from AND " col " < :to"
#define CLIENT_OF(t) " JOIN clients c ON c.id = " t ".client_id"

/*
 * One stream, every event of the period in time order, so that memory
 * stays flat however long the books are.  The first branch gives every
 * column its type; the later ones may leave theirs NULL.
 */
static const char journal_sql[] =
	"SELECT * FROM ("
	" SELECT i.issued_at AS at, 0 AS type, i.id AS id, n.line AS line,"
	"  i.client_id AS client_id, c.name AS client, i.number AS label,"
	"  (SELECT x.number FROM invoices x WHERE x.id = i.cancels) AS about,"
	"  i.reason AS note, n.kind AS item, n.text AS text, a.service AS service,"
	"  n.amount AS amount, i.total AS total, n.rate AS rate, i.currency AS currency,"
	"  i.appointment_id AS appointment_id"
	" FROM invoices i JOIN invoice_lines n ON n.invoice_id = i.id" CLIENT_OF("i")
	" LEFT JOIN appointments a ON a.id = i.appointment_id WHERE" PERIOD("i.issued_at")
	" UNION ALL SELECT g.at, 1, g.id, 0, g.client_id, c.name, g.kind, NULL, NULL, NULL,"
	"  NULL, NULL, g.amount, 0, NULL, NULL, g.appointment_id"
	" FROM charges g" CLIENT_OF("g") " WHERE" PERIOD("g.at")
	" UNION ALL SELECT g.waived_at, 2, g.id, 0, g.client_id, c.name, g.kind, NULL,"
	"  g.waive_reason, NULL, NULL, NULL, g.waived_amount, 0, NULL, NULL, g.appointment_id"
	" FROM charges g" CLIENT_OF("g") " WHERE g.waived_at IS NOT NULL AND" PERIOD("g.waived_at")
	" UNION ALL SELECT g.voided_at, 3, g.id, 0, g.client_id, c.name, g.kind, NULL,"
	"  g.void_reason, NULL, NULL, NULL, g.amount, coalesce(g.waived_amount, 0), NULL, NULL,"
	"  g.appointment_id"
	" FROM charges g" CLIENT_OF("g") " WHERE g.voided_at IS NOT NULL AND" PERIOD("g.voided_at")
	" UNION ALL SELECT p.at, 4, p.id, 0, p.client_id, c.name, p.method,"
	"  (SELECT x.number FROM invoices x WHERE x.id = p.invoice_id), p.ref, NULL, NULL, NULL,"
	"  p.amount, 0, NULL, NULL, NULL"
	" FROM payments p" CLIENT_OF("p") " WHERE" PERIOD("p.at")
	") journal ORDER BY at, type, id, line";

/* ---- text ------------------------------------------------------------ */

static int blank(unsigned char c)
{
	return c == ' ' || c < 0x20 || c == 0x7f;
}

/*
 * Appends s with control characters as spaces, each run of blanks one
 * space, none at either end, and each byte of `from` as the byte of `to`
 * at its place.
 */
static void clean_into(struct strbuf *out, const char *s, const char *from, const char *to)
{
	size_t start = out->len;
	int space = 0;

	for (; s && *s; s++) {
		const char *swap = strchr(from, *s);

		if (blank((unsigned char)*s)) {
			space = 1;
			continue;
		}
		if (space && out->len > start)
			strbuf_addch(out, ' ');
		space = 0;
		strbuf_addch(out, swap ? to[swap - from] : *s);
	}
}

void ledger_account_part(const char *name, char *buf, size_t size)
{
	struct strbuf sb = STRBUF_INIT;

	/* ':' would open a sub-account, ';' a comment */
	clean_into(&sb, name, ":;", ".,");
	snprintf(buf, size, "%s", sb.len ? sb.buf : "-");
	strbuf_release(&sb);
}

static void add_account_part(struct strbuf *sb, const char *name)
{
	size_t size = strlen(name) + 2;
	char *part = xmalloc(size);

	ledger_account_part(name, part, size);
	strbuf_addstr(sb, part);
	free(part);
}

/* ---- transactions ---------------------------------------------------- */

struct posting {
	char *account;
	long long amount;
	char *comment; /* NULL: none */
};

struct txn {
	enum entry_type type;
	long long id;            /* 0: none begun */
	time_t at;
	struct strbuf head;      /* the description */
	struct strbuf note;      /* a comment line under the description */
	char currency[8];
	struct posting *postings;
	size_t nr, alloc;
};

static void txn_init(struct txn *t)
{
	memset(t, 0, sizeof(*t));
	strbuf_init(&t->head);
	strbuf_init(&t->note);
}

static void txn_clear(struct txn *t)
{
	for (size_t i = 0; i < t->nr; i++) {
		free(t->postings[i].account);
		free(t->postings[i].comment);
	}
	t->nr = 0;
	t->id = 0;
	strbuf_reset(&t->head);
	strbuf_reset(&t->note);
}

static void txn_release(struct txn *t)
{
	txn_clear(t);
	free(t->postings);
	strbuf_release(&t->head);
	strbuf_release(&t->note);
}

/* Takes account (xmalloc'd); comment is copied, cleaned. */
static void post(struct txn *t, char *account, long long amount, const char *comment)
{
	struct strbuf sb = STRBUF_INIT;

	if (comment)
		clean_into(&sb, comment, "", "");
	ALLOC_GROW(t->postings, t->nr + 1, t->alloc);
	t->postings[t->nr++] = (struct posting){
		account, amount, sb.len ? strbuf_detach(&sb) : NULL,
	};
	strbuf_release(&sb);
}

static void describe(struct txn *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The description, as hledger and ledger read it: no ';', no control characters. */
static void describe(struct txn *t, const char *fmt, ...)
{
	struct strbuf raw = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&raw, fmt, ap);
	va_end(ap);
	clean_into(&t->head, raw.buf, ";", ",");
	strbuf_release(&raw);
}

/* ---- accounts -------------------------------------------------------- */

static char *account(const char *prefix, const char *part)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, prefix);
	add_account_part(&sb, part);
	return strbuf_detach(&sb);
}

static char *receivable(struct stmt *st)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "assets:receivable:");
	add_account_part(&sb, db_column_str(st, J_CLIENT));
	strbuf_addf(&sb, " #%lld", (long long)stmt_column_int64(st, J_CLIENT_ID));
	return strbuf_detach(&sb);
}

/* A transfer lands in the bank; the other methods are their own accounts. */
static char *asset(const char *method)
{
	return account("assets:", strcmp(method, "transfer") ? method : "bank");
}

/* "State 6.25%" names tax State: the text less the rate invoice.c put after it. */
static char *tax_account(const char *text, long rate)
{
	char pct[32];
	size_t len = strlen(text), plen;
	char *name, *acct;

	rate_format(rate, pct, sizeof(pct));
	plen = strlen(pct);
	if (rate && len > plen + 1 && !strcmp(text + len - plen, pct) && text[len - plen - 1] == ' ')
		len -= plen + 1;
	name = xstrndup(text, len);
	acct = account("liabilities:tax:", name);
	free(name);
	return acct;
}

/* Where an invoice line goes: income, a discount given, a tax owed. */
static char *line_account(struct stmt *st)
{
	const char *item = db_column_str(st, J_ITEM);

	if (!strcmp(item, "service"))
		return account("income:services:", stmt_column_is_null(st, J_SERVICE)
			       ? db_column_str(st, J_TEXT) : db_column_str(st, J_SERVICE));
	if (!strcmp(item, "discount"))
		return xstrdup("income:discounts");
	if (!strcmp(item, "tax"))
		return tax_account(db_column_str(st, J_TEXT),
				   (long)stmt_column_int64(st, J_RATE));
	return xstrdup("income:items");
}

/* ---- each kind of transaction ------------------------------------------ */

/*
 * What the first row of a transaction says, read once.  other is a
 * document's total, or what was waived of a fee now voided.
 */
struct entry {
	long long id, amount, other;
	const char *client, *label, *about;
	struct stmt *st;
};

/* The receivable for the total; the lines follow, one row each (line_post). */
static void start_document(struct txn *t, const struct entry *e)
{
	/* the first row is line 1, the service (invoice.c) */
	if (e->about)
		describe(t, "%s %s, voids %s", e->label, e->client, e->about);
	else
		describe(t, "%s %s, %s", e->label, e->client, db_column_str(e->st, J_TEXT));
	post(t, receivable(e->st), e->other, NULL);
}

static void start_fee(struct txn *t, const struct entry *e)
{
	describe(t, "%s fee #%lld %s, appointment #%lld", e->label, e->id, e->client,
		 (long long)stmt_column_int64(e->st, J_APPOINTMENT));
	post(t, receivable(e->st), e->amount, NULL);
	post(t, account("income:fees:", e->label), -e->amount, NULL);
}

static void start_waiver(struct txn *t, const struct entry *e)
{
	describe(t, "%s fee #%lld waived %s", e->label, e->id, e->client);
	post(t, xstrdup("income:fees:waived"), e->amount, NULL);
	post(t, receivable(e->st), -e->amount, NULL);
}

/* The charge turned round, and its waiver with it: the fee was never owed. */
static void start_fee_void(struct txn *t, const struct entry *e)
{
	describe(t, "%s fee #%lld voided %s", e->label, e->id, e->client);
	post(t, account("income:fees:", e->label), e->amount, NULL);
	if (e->other)
		post(t, xstrdup("income:fees:waived"), -e->other, NULL);
	post(t, receivable(e->st), e->other - e->amount, NULL);
}

static void start_payment(struct txn *t, const struct entry *e)
{
	describe(t, "payment #%lld %s %s%s%s", e->id, e->label, e->client,
		 e->about ? ", " : "", e->about ? e->about : "");
	post(t, asset(e->label), e->amount, NULL);
	post(t, receivable(e->st), -e->amount, NULL);
}

/* Indexed by enum entry_type. */
static void (*const starters[])(struct txn *t, const struct entry *e) = {
	start_document, start_fee, start_waiver, start_fee_void, start_payment,
};

static const char *column_or_null(struct stmt *st, enum journal_column col)
{
	return stmt_column_is_null(st, (int)col) ? NULL : db_column_str(st, (int)col);
}

/* A comment hledger and ledger read as a tag: tag:ref, tag:reason. */
static void add_note(struct txn *t, const char *note)
{
	if (!note)
		return;
	strbuf_addstr(&t->note, t->type == ENTRY_PAYMENT ? "ref: " : "reason: ");
	clean_into(&t->note, note, "", "");
}

/* The first row of a transaction: its header and the postings it has once. */
static void txn_start(struct txn *t, struct stmt *st, const char *currency)
{
	const char *own = column_or_null(st, J_CURRENCY);
	struct entry e = {
		.id = stmt_column_int64(st, J_ID),
		.amount = stmt_column_int64(st, J_AMOUNT),
		.other = stmt_column_int64(st, J_OTHER),
		.client = db_column_str(st, J_CLIENT),
		.label = db_column_str(st, J_LABEL),
		.about = column_or_null(st, J_ABOUT),
		.st = st,
	};

	t->type = (enum entry_type)stmt_column_int(st, J_TYPE);
	t->id = e.id;
	t->at = (time_t)stmt_column_int64(st, J_AT);
	snprintf(t->currency, sizeof(t->currency), "%s", own ? own : currency);
	add_note(t, column_or_null(st, J_NOTE));
	starters[t->type](t, &e);
}

/* Each row of a document: one of its lines, income or tax as its kind says. */
static void line_post(struct txn *t, struct stmt *st)
{
	const char *item = db_column_str(st, J_ITEM), *text = db_column_str(st, J_TEXT);

	if (strcmp(item, "item"))
		text = NULL; /* the account says it; an item's text says which */
	post(t, line_account(st), -stmt_column_int64(st, J_AMOUNT), text);
}

/* ---- writing --------------------------------------------------------- */

struct journal {
	struct appt_session *s;
	FILE *fp;
	struct txn t;
	long long count;
};

#define DAY_SIZE 16

/* An instant's day in business time: 2027-03-01. */
static void format_day(time_t t, char buf[DAY_SIZE])
{
	struct appt_date day;

	when_to_local(t, &day, NULL, NULL);
	date_format_iso(day, buf, DAY_SIZE);
}

/* Accounts are padded to this many columns at least, so amounts line up. */
#define ACCOUNT_WIDTH 36

static void write_amount(FILE *fp, long long cents, const char *currency)
{
	char buf[32];

	money_format(cents, buf, sizeof(buf));
	fprintf(fp, "%12s %s", buf, currency);
}

static size_t account_width(const struct txn *t)
{
	size_t width = ACCOUNT_WIDTH;

	for (size_t i = 0; i < t->nr; i++)
		if (utf8_width(t->postings[i].account) > width)
			width = utf8_width(t->postings[i].account);
	return width;
}

static void write_txn(struct journal *j)
{
	const struct txn *t = &j->t;
	size_t width = account_width(t);
	char date[DAY_SIZE];

	format_day(t->at, date);
	fprintf(j->fp, "%s %s\n", date, t->head.buf);
	if (t->note.len)
		fprintf(j->fp, "    ; %s\n", t->note.buf);
	for (size_t i = 0; i < t->nr; i++) {
		const struct posting *p = &t->postings[i];

		fprintf(j->fp, "    %s%*s", p->account,
			(int)(width - utf8_width(p->account) + 2), "");
		write_amount(j->fp, p->amount, t->currency);
		if (p->comment)
			fprintf(j->fp, "  ; %s", p->comment);
		fputc('\n', j->fp);
	}
	fputc('\n', j->fp);
	j->count++;
}

/*
 * The postings of a transaction add up to nothing, or it is not written:
 * a document whose lines do not make its total is damaged, and the books
 * must not hide it.
 */
static enum appt_status finish_txn(struct journal *j, struct appt_err *err)
{
	long long sum = 0;

	if (!j->t.id)
		return APPT_OK;
	for (size_t i = 0; i < j->t.nr; i++)
		sum += j->t.postings[i].amount;
	if (sum)
		return appt_fail(err, APPT_DATAERR, "'%s' does not balance: its lines do not add"
				 " up to its total; the journal stops before it", j->t.head.buf);
	write_txn(j);
	txn_clear(&j->t);
	return APPT_OK;
}

static enum appt_status take_row(struct journal *j, struct stmt *st, struct appt_err *err)
{
	enum entry_type type = (enum entry_type)stmt_column_int(st, J_TYPE);
	long long id = stmt_column_int64(st, J_ID);
	enum appt_status status = APPT_OK;

	if (j->t.id != id || j->t.type != type) {
		if ((status = finish_txn(j, err)))
			return status;
		txn_start(&j->t, st, j->s->cfg->billing.currency);
	}
	if (type == ENTRY_DOCUMENT)
		line_post(&j->t, st);
	return status;
}

/* "; from 2027-03-01": a bound of the period, as its business day. */
static void write_bound(FILE *fp, const char *which, time_t t)
{
	char date[DAY_SIZE];

	format_day(t, date);
	fprintf(fp, "; %s %s\n", which, date);
}

static void write_header(struct journal *j, time_t from, time_t to)
{
	const char *name = j->s->cfg->business.name;
	struct strbuf clean = STRBUF_INIT;

	clean_into(&clean, name && *name ? name : "appt", "", "");
	fprintf(j->fp, "; %s: invoices, fees and payments, as appt recorded them\n", clean.buf);
	strbuf_release(&clean);
	if (from)
		write_bound(j->fp, "from", from);
	if (to)
		write_bound(j->fp, "to", to - 1);
	fputc('\n', j->fp);
}

static enum appt_status read_journal(struct journal *j, struct stmt *st, struct appt_err *err)
{
	enum appt_status status = APPT_OK;
	int rc;

	while (!status && (rc = stmt_step(st)) == STORE_ROW)
		status = take_row(j, st, err);
	if (!status && rc != STORE_DONE)
		return db_error(j->s->db, rc, "reading the journal", err);
	return status ? status : finish_txn(j, err);
}

enum appt_status ledger_write(struct appt_session *s, time_t from, time_t to, FILE *fp,
			      long long *count, struct appt_err *err)
{
	struct journal j = { s, fp, { 0 }, 0 };
	enum appt_status status = db_begin_read(s->db, err);
	struct stmt *st;

	if (status)
		return status;
	txn_init(&j.t);
	st = db_prepare_stream(s->db, journal_sql);
	stmt_bind_int64(st, stmt_param_index(st, ":from"), from ? (long long)from : LLONG_MIN);
	stmt_bind_int64(st, stmt_param_index(st, ":to"), to ? (long long)to : LLONG_MAX);
	write_header(&j, from, to);
	status = read_journal(&j, st, err);
	stmt_finalize(st);
	db_end_read(s->db);
	if (!status && (fflush(fp) || ferror(fp)))
		status = appt_fail(err, APPT_IOERR, "cannot write the journal");
	txn_release(&j.t);
	if (count)
		*count = j.count;
	return status;
}
