#include "dbcopy.h"

#include <stdlib.h>
#include <string.h>

/*
 * Parents before children, so that every reference lands on a row that is
 * there.  A reference within a table (a client merged into a later one, a
 * text that follows its call task) is filled in once the table is whole.
 */
static const struct copied_table {
	const char *name;
	const char *self_ref; /* a column naming another row of the table, or NULL */
} tables[] = {
	{ "clients", "merged_into" },
	{ "client_notes", NULL },
	{ "series", NULL },
	{ "appointments", NULL },
	{ "blocks", NULL },
	{ "charges", NULL },
	{ "events", NULL },
	{ "requests", NULL },
	{ "waitlist", NULL },
	{ "freed_slots", NULL },
	{ "waitlist_offers", NULL },
	{ "invoices", NULL },
	{ "invoice_lines", NULL },
	{ "payments", NULL },
	{ "allocations", NULL },
	{ "access_tokens", NULL },
	{ "messages", "follows" },
	{ "contacts", NULL },
};

#define NR_TABLES (sizeof(tables) / sizeof(tables[0]))

/* The source's columns of a table, as a select list. */
static char *column_list(struct appt_db *db, const char *table)
{
	char *sql = xasprintf("SELECT * FROM %s WHERE 1 = 0", table);
	struct stmt *st = db_prepare(db, sql);
	struct strbuf list = STRBUF_INIT;

	stmt_step(st); /* PostgreSQL names the columns of a result */
	for (int i = 0; i < stmt_column_count(st); i++)
		strbuf_addf(&list, "%s%s", i ? ", " : "", stmt_column_name(st, i));
	stmt_finalize(st);
	free(sql);
	return strbuf_detach(&list);
}

static void bind_value(struct stmt *to, int idx, struct stmt *from, int col)
{
	if (stmt_column_is_null(from, col))
		stmt_bind_null(to, idx);
	else if (stmt_column_is_int(from, col))
		stmt_bind_int64(to, idx, stmt_column_int64(from, col));
	else
		db_bind_text(to, idx, stmt_column_text(from, col));
}

static char *insert_sql(const char *table, const char *columns, int ncols)
{
	struct strbuf sql = STRBUF_INIT;

	strbuf_addf(&sql, "INSERT INTO %s (%s) VALUES (", table, columns);
	for (int i = 1; i <= ncols; i++)
		strbuf_addf(&sql, "%s?%d", i > 1 ? ", " : "", i);
	strbuf_addch(&sql, ')');
	return strbuf_detach(&sql);
}

/* Runs one bound write into the target, and makes it ready for the next. */
static enum appt_status write_row(struct appt_db *to, struct stmt *dst, const char *doing,
				  struct appt_err *err)
{
	int rc = stmt_step(dst);

	stmt_reset(dst);
	return rc == STORE_DONE ? APPT_OK : db_error(to, rc, doing, err);
}

/* Every row of one table, the self reference left NULL for now. */
static enum appt_status copy_rows(struct appt_db *from, struct appt_db *to,
				  const struct copied_table *t, const char *columns,
				  struct appt_err *err)
{
	char *select = xasprintf("SELECT %s FROM %s ORDER BY id", columns, t->name);
	struct stmt *src = db_prepare(from, select), *dst = NULL;
	enum appt_status status = APPT_OK;
	int rc, ncols = 0;

	while (!status && (rc = stmt_step(src)) == STORE_ROW) {
		if (!dst) {
			char *insert = insert_sql(t->name, columns, ncols = stmt_column_count(src));

			dst = db_prepare(to, insert);
			free(insert);
		}
		for (int i = 0; i < ncols; i++) {
			if (t->self_ref && !strcmp(stmt_column_name(src, i), t->self_ref))
				stmt_bind_null(dst, i + 1);
			else
				bind_value(dst, i + 1, src, i);
		}
		status = write_row(to, dst, "copying a row", err);
	}
	if (!status && rc != STORE_DONE)
		status = db_error(from, rc, "reading the source", err);
	stmt_finalize(src);
	stmt_finalize(dst);
	free(select);
	return status;
}

static enum appt_status copy_self_refs(struct appt_db *from, struct appt_db *to,
				       const struct copied_table *t, struct appt_err *err)
{
	char *select = xasprintf("SELECT id, %s FROM %s WHERE %s IS NOT NULL ORDER BY id",
				 t->self_ref, t->name, t->self_ref);
	char *update = xasprintf("UPDATE %s SET %s = ?2 WHERE id = ?1", t->name, t->self_ref);
	struct stmt *src = db_prepare(from, select), *dst = db_prepare(to, update);
	enum appt_status status = APPT_OK;
	int rc;

	while (!status && (rc = stmt_step(src)) == STORE_ROW) {
		stmt_bind_int64(dst, 1, stmt_column_int64(src, 0));
		stmt_bind_int64(dst, 2, stmt_column_int64(src, 1));
		status = write_row(to, dst, "copying a reference", err);
	}
	if (!status && rc != STORE_DONE)
		status = db_error(from, rc, "reading the source", err);
	stmt_finalize(src);
	stmt_finalize(dst);
	free(select);
	free(update);
	return status;
}

static void digest_add(unsigned long long *h, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		*h ^= (unsigned char)s[i];
		*h *= 1099511628211ULL;
	}
}

/* Rows and a digest of every value, each NULL and each end of a value marked. */
static enum appt_status digest(struct appt_db *db, const char *table, const char *columns,
			       struct dbcopy_table *out, struct appt_err *err)
{
	char *select = xasprintf("SELECT %s FROM %s ORDER BY id", columns, table);
	struct stmt *st = db_prepare(db, select);
	int rc;

	out->name = table;
	out->rows = 0;
	out->digest = 14695981039346656037ULL;
	while ((rc = stmt_step(st)) == STORE_ROW) {
		out->rows++;
		for (int i = 0; i < stmt_column_count(st); i++) {
			const char *v = stmt_column_text(st, i);

			digest_add(&out->digest, v ? v : "\xff", v ? strlen(v) + 1 : 1);
		}
	}
	stmt_finalize(st);
	free(select);
	return rc == STORE_DONE ? APPT_OK : db_error(db, rc, "checking the copy", err);
}

static enum appt_status check_copy(struct appt_db *from, struct appt_db *to,
				   const char *table, const char *columns,
				   struct dbcopy_table *result, struct appt_err *err)
{
	struct dbcopy_table there;
	enum appt_status status = digest(from, table, columns, result, err);

	if (!status)
		status = digest(to, table, columns, &there, err);
	if (!status && (there.rows != result->rows || there.digest != result->digest))
		status = appt_fail(err, APPT_IOERR,
				   "table %s: %lld rows read but %lld in the copy, or their values"
				   " differ (digest %016llx, copy %016llx); nothing was copied",
				   table, result->rows, there.rows, result->digest, there.digest);
	return status;
}

static enum appt_status refuse_nonempty(struct appt_db *to, struct appt_err *err)
{
	for (size_t i = 0; i < NR_TABLES; i++) {
		char *sql = xasprintf("SELECT count(*) FROM %s", tables[i].name);
		long long rows = 0;
		enum appt_status status = db_query_int(to, db_prepare(to, sql), &rows,
						       "reading the target", err);

		free(sql);
		if (status)
			return status;
		if (rows)
			return appt_fail(err, APPT_REFUSED,
					 "'%s' already holds an appointment book (%lld %s);"
					 " appt db copy fills only an empty database", to->path,
					 rows, tables[i].name);
	}
	return APPT_OK;
}

static enum appt_status copy_table(struct appt_db *from, struct appt_db *to,
				   const struct copied_table *t, struct dbcopy_table *result,
				   struct appt_err *err)
{
	char *columns = column_list(from, t->name);
	enum appt_status status = copy_rows(from, to, t, columns, err);

	if (!status && t->self_ref)
		status = copy_self_refs(from, to, t, err);
	if (!status)
		status = check_copy(from, to, t->name, columns, result, err);
	free(columns);
	return status;
}

enum appt_status dbcopy_run(struct appt_db *from, struct appt_db *to,
			    void (*fn)(const struct dbcopy_table *t, void *data),
			    void *data, struct appt_err *err)
{
	struct dbcopy_table results[NR_TABLES];
	enum appt_status status = db_begin_read(from, err);

	if (status)
		return status;
	if (!(status = db_begin_write(to, err))) {
		status = refuse_nonempty(to, err);
		for (size_t i = 0; !status && i < NR_TABLES; i++)
			status = copy_table(from, to, &tables[i], &results[i], err);
		status = db_finish_write(to, status, err);
	}
	db_end_read(from);
	for (size_t i = 0; !status && i < NR_TABLES; i++)
		fn(&results[i], data);
	return status;
}
