#include "report_sql.h"

#include <limits.h>
#include <string.h>

#include "db.h"
#include "money.h"
#include "when.h"

#define CELL_SIZE 48

int report_multiday(const struct report_args *a)
{
	struct appt_date first, last;

	when_to_local(a->from, &first, NULL, NULL);
	when_to_local(a->to - 1, &last, NULL, NULL);
	return date_cmp(first, last) != 0;
}

static int column_shown(const struct report_column *c, const struct report_args *a)
{
	if ((c->flags & COLF_TABLE_ONLY) && a->format != OUTPUT_TABLE)
		return 0;
	if ((c->flags & COLF_DATA_ONLY) && a->format == OUTPUT_TABLE)
		return 0;
	return !(c->flags & COLF_MULTIDAY) || report_multiday(a);
}

/* A client's log asked for without dates is the client's whole history. */
static void query_period(const struct report_args *a, const struct report_query *q,
			 long long *from, long long *to)
{
	*from = a->from;
	*to = a->to;
	if ((q->flags & QUERY_CLIENT_ALL_TIME) && a->client_id && !a->period_given) {
		*from = LLONG_MIN;
		*to = LLONG_MAX;
	}
}

static void bind_params(struct stmt *st, const struct appt_session *s,
			const struct report_args *a, const struct report_query *q)
{
	const struct cfg_policies *pol = &s->cfg->policies;
	long long from, to;
	int idx;

	query_period(a, q, &from, &to);
	const struct { const char *name; long long value; } ints[] = {
		{ ":from", from },
		{ ":to", to },
		{ ":now", s->now },
		{ ":client", a->client_id },
		{ ":since", (long long)s->now - pol->noshow.window },
		{ ":warn", pol->noshow.warn_after },
		{ ":block", pol->noshow.block_after },
		{ ":deadline", pol->confirmation.deadline },
	};

	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		if ((idx = stmt_param_index(st, ints[i].name)))
			stmt_bind_int64(st, idx, ints[i].value);
	if ((idx = stmt_param_index(st, ":provider")))
		db_bind_text(st, idx, a->provider);
}

static void format_instant(time_t t, enum cell_kind kind, enum output_format format,
			   char buf[CELL_SIZE])
{
	struct appt_date date;

	if (kind == CELL_DATE) {
		when_to_local(t, &date, NULL, NULL);
		date_format_iso(date, buf, CELL_SIZE);
	} else if (format != OUTPUT_TABLE) {
		when_format_iso(t, buf, CELL_SIZE);
	} else if (kind == CELL_TIME) {
		when_format_local(t, buf, CELL_SIZE);
	} else {
		when_format_clock(t, buf, CELL_SIZE);
	}
}

/* One cell, formatted into buf when it needs it; NULL for an SQL NULL. */
static const char *format_cell(struct stmt *st, int i, enum cell_kind kind,
			       enum output_format format, char buf[CELL_SIZE])
{
	if (stmt_column_is_null(st, i))
		return NULL;
	switch (kind) {
	case CELL_PLAIN:
		return stmt_column_text(st, i);
	case CELL_MONEY:
		money_format(stmt_column_int64(st, i), buf, CELL_SIZE);
		return buf;
	case CELL_TIME:
	case CELL_CLOCK:
	case CELL_DATE:
		break;
	}
	format_instant((time_t)stmt_column_int64(st, i), kind, format, buf);
	return buf;
}

struct query_output {
	struct output *out;
	enum output_format format;
	int shown[REPORT_MAX_COLUMNS];
};

static void emit_row(struct stmt *st, const struct report_query *q,
		     const struct query_output *qo)
{
	char bufs[REPORT_MAX_COLUMNS][CELL_SIZE];
	const char *cells[REPORT_MAX_COLUMNS];
	size_t n = 0;

	for (size_t i = 0; i < q->ncols; i++)
		if (qo->shown[i])
			cells[n++] = format_cell(st, (int)i, q->cols[i].kind, qo->format, bufs[i]);
	output_row(qo->out, cells);
}

static enum appt_status run_statement(struct appt_session *s,
				      const struct report_args *a,
				      const struct report_query *q, const char *sql,
				      const struct query_output *qo,
				      struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db, sql);
	int rc;

	bind_params(st, s, a, q);
	while ((rc = stmt_step(st)) == STORE_ROW)
		emit_row(st, q, qo);
	stmt_finalize(st);
	if (rc != STORE_DONE)
		return db_error(s->db, rc, "reading the report", err);
	return APPT_OK;
}

/*
 * A report joins each of a year's appointments to its client: with SQLite's
 * default 2 MiB cache every such lookup is a read() of the clients table.
 */
enum appt_status report_read_begin(struct appt_db *db, struct appt_err *err)
{
	enum appt_status status = db_set_bulk_read(db, err);

	return status ? status : db_begin_read(db, err);
}

static enum appt_status run_statements(struct appt_session *s,
				       const struct report_args *a,
				       const struct report_query *q,
				       const struct query_output *qo,
				       struct appt_err *err)
{
	enum appt_status status = report_read_begin(s->db, err);

	if (status)
		return status;
	for (const char *const *sql = q->sql; *sql && !status; sql++)
		status = run_statement(s, a, q, *sql, qo, err);
	if (status) {
		db_end_read(s->db);
		return status;
	}
	return db_commit(s->db, err);
}

enum appt_status report_query_run(struct appt_session *s,
				  const struct report_args *a,
				  const struct report_query *q,
				  struct appt_err *err)
{
	struct output_column cols[REPORT_MAX_COLUMNS];
	struct query_output qo = { NULL, a->format, { 0 } };
	size_t n = 0;
	enum appt_status status;

	for (size_t i = 0; i < q->ncols; i++) {
		qo.shown[i] = column_shown(&q->cols[i], a);
		if (qo.shown[i])
			cols[n++] = (struct output_column){
				q->cols[i].name, q->cols[i].type,
				(q->cols[i].flags & COLF_SHRINK) ? FIT_SHRINK : FIT_WHOLE };
	}
	qo.out = report_begin(a, cols, n);
	status = run_statements(s, a, q, &qo, err);
	if (status) {
		output_end(qo.out);
		return status;
	}
	return report_end(qo.out, err);
}
