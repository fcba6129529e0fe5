#include "store_pg.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libpq's type oids for what appt binds (catalog/pg_type.h). */
#define INT8OID 20
#define TEXTOID 25
#define BOOLOID 16
#define INT2OID 21
#define INT4OID 23

/*
 * The one advisory lock every write takes first: as SQLite's BEGIN
 * IMMEDIATE, it serialises the check-then-write of every desk, on every
 * machine, so that appt's rules (capacity, a client's overlaps, gapless
 * counters) hold; the schema's constraints hold even without it.
 */
#define WRITE_LOCK_KEY 1634758772 /* "appt" in ASCII, as one integer */

struct pg_conn {
	PGconn *conn;
	long long changes;
	char errmsg[512];
};

struct pg_param {
	char *value; /* NULL: SQL NULL */
	Oid type;    /* 0: what the statement puts it in says */
	int used;    /* the text names it (?3 may come without ?1 and ?2) */
};

struct pg_stmt {
	struct stmt base;
	char *sql;           /* with $1.. */
	int nparams;
	char **names;        /* names[i]: ":name" of $i+1, or NULL */
	struct pg_param *params;
	PGresult *res;
	int row, nrows;
	int stream;  /* rows come one at a time, not all at once (store_stream) */
	int open;    /* a stream sent and not yet read to its end */
};

static struct pg_conn *conn_of(struct appt_db *db)
{
	return db->conn;
}

/* ---- errors ---- */

/*
 * SQLSTATE classes (PostgreSQL's Appendix A): 23 integrity constraint,
 * 40001 serialization failure, 40P01 deadlock, 55P03 lock not available
 * (lock_timeout), 57014 query canceled (statement_timeout).
 */
static int rc_of_state(const char *state)
{
	if (!state)
		return STORE_ERROR;
	if (!strncmp(state, "23", 2))
		return STORE_CONSTRAINT;
	if (!strcmp(state, "40001") || !strcmp(state, "40P01"))
		return STORE_RETRY;
	if (!strcmp(state, "55P03") || !strcmp(state, "57014"))
		return STORE_BUSY;
	return STORE_ERROR;
}

static void keep_error(struct pg_conn *c, const char *msg)
{
	size_t n;

	snprintf(c->errmsg, sizeof(c->errmsg), "%s", msg && *msg ? msg : "unknown error");
	n = strlen(c->errmsg);
	while (n && (c->errmsg[n - 1] == '\n' || c->errmsg[n - 1] == ' '))
		c->errmsg[--n] = '\0';
}

/* The schema's names for its rules, said as appt says them. */
static const struct {
	const char *constraint, *says;
} rules[] = {
	{ "appointments_provider_free",
	  "slot taken: the provider already has an appointment at that time"
	  " (the database refuses the overlap)" },
	{ "appointments_room_free",
	  "slot taken: the room already has an appointment at that time"
	  " (the database refuses the overlap)" },
};

static void keep_rule(struct pg_conn *c, const PGresult *res)
{
	const char *name = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);

	for (size_t i = 0; name && i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(name, rules[i].constraint))
			keep_error(c, rules[i].says);
}

/* Takes res: the rc of a finished command, its error kept for errmsg. */
static int result_rc(struct pg_conn *c, PGresult *res, int *rows)
{
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		const char *n = PQcmdTuples(res);

		c->changes = *n ? atoll(n) : 0;
		if (rows)
			*rows = st == PGRES_TUPLES_OK ? PQntuples(res) : 0;
		return STORE_OK;
	}
	keep_error(c, res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
			  : PQerrorMessage(c->conn));
	if (!res || !PQresultErrorField(res, PG_DIAG_SQLSTATE))
		keep_error(c, PQerrorMessage(c->conn));
	else
		keep_rule(c, res);
	return rc_of_state(res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL);
}

/* ---- the SQL text ---- */

static int is_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_';
}

/* Where a quoted literal or identifier opened at p ends (past its quote). */
static const char *skip_quoted(const char *p)
{
	char q = *p++;

	while (*p) {
		if (*p == q && p[1] == q)
			p += 2;
		else if (*p++ == q)
			break;
	}
	return p;
}

static int name_index(struct pg_stmt *st, const char *name, size_t len)
{
	for (int i = 0; i < st->nparams; i++)
		if (st->names[i] && strlen(st->names[i]) == len && !strncmp(st->names[i], name, len))
			return i + 1;
	return 0;
}

static void grow_params(struct pg_stmt *st, int n)
{
	if (n <= st->nparams)
		return;
	st->names = xrealloc(st->names, sizeof(*st->names) * (size_t)n);
	st->params = xrealloc(st->params, sizeof(*st->params) * (size_t)n);
	for (int i = st->nparams; i < n; i++) {
		st->names[i] = NULL;
		st->params[i] = (struct pg_param){ NULL, 0, 0 };
	}
	st->nparams = n;
}

/* One parameter at *p (?NNN, ? or :name): its number, p moved past it. */
static int parameter(struct pg_stmt *st, const char **p)
{
	const char *s = *p + 1;
	int idx;

	if (**p == '?') {
		idx = st->nparams + 1;
		if (*s >= '0' && *s <= '9')
			idx = (int)strtol(s, (char **)&s, 10);
		*p = s;
		grow_params(st, idx);
		st->params[idx - 1].used = 1;
		return idx;
	}
	while (is_name_char(*s))
		s++;
	idx = name_index(st, *p, (size_t)(s - *p));
	if (!idx) {
		idx = st->nparams + 1;
		grow_params(st, idx);
		st->names[idx - 1] = xstrndup(*p, (size_t)(s - *p));
	}
	st->params[idx - 1].used = 1;
	*p = s;
	return idx;
}

static int starts_parameter(const char *p)
{
	if (*p == '?')
		return 1;
	return *p == ':' && p[1] != ':' && is_name_char(p[1]) &&
	       !(p[1] >= '0' && p[1] <= '9');
}

/* SQLite's parameters as libpq's $N; literals and :: casts left alone. */
static void translate(struct pg_stmt *st, const char *sql)
{
	struct strbuf out = STRBUF_INIT;
	const char *p = sql;

	while (*p) {
		if (*p == '\'' || *p == '"') {
			const char *end = skip_quoted(p);

			strbuf_add(&out, p, (size_t)(end - p));
			p = end;
		} else if (*p == ':' && p[1] == ':') {
			strbuf_add(&out, p, 2);
			p += 2;
		} else if (starts_parameter(p)) {
			strbuf_addf(&out, "$%d", parameter(st, &p));
		} else {
			strbuf_addch(&out, *p++);
		}
	}
	st->sql = strbuf_detach(&out);
}

/* ---- statements ---- */

static const struct store_driver pg_driver;

static void pg_stream(struct stmt *base)
{
	((struct pg_stmt *)base)->stream = 1;
}

static int pg_prepare(struct appt_db *db, const char *sql, struct stmt **out)
{
	struct pg_stmt *st = xcalloc(1, sizeof(*st));

	st->base.db = db;
	st->base.drv = &pg_driver;
	translate(st, sql);
	*out = &st->base;
	return STORE_OK;
}

static struct pg_stmt *pg(struct stmt *st)
{
	return (struct pg_stmt *)st;
}

/* A stream left before its end is cancelled, and what the server sent read off. */
static void close_stream(struct pg_stmt *st)
{
	PGconn *conn = conn_of(st->base.db)->conn;
	PGcancel *cancel;
	PGresult *res;
	char why[64];

	if (!st->open)
		return;
	if ((cancel = PQgetCancel(conn))) {
		PQcancel(cancel, why, sizeof(why));
		PQfreeCancel(cancel);
	}
	while ((res = PQgetResult(conn)))
		PQclear(res);
	st->open = 0;
}

static void pg_reset(struct stmt *base)
{
	struct pg_stmt *st = pg(base);

	close_stream(st);
	PQclear(st->res);
	st->res = NULL;
	st->row = st->nrows = 0;
}

static void pg_clear_bindings(struct stmt *base)
{
	struct pg_stmt *st = pg(base);

	for (int i = 0; i < st->nparams; i++) {
		free(st->params[i].value);
		st->params[i].value = NULL;
		st->params[i].type = 0;
	}
}

static void pg_finalize(struct stmt *base)
{
	struct pg_stmt *st = pg(base);

	pg_reset(base);
	pg_clear_bindings(base);
	for (int i = 0; i < st->nparams; i++)
		free(st->names[i]);
	free(st->names);
	free(st->params);
	free(st->sql);
	free(st);
}

static void bind(struct stmt *base, int idx, char *value, Oid type)
{
	struct pg_stmt *st = pg(base);

	if (idx < 1 || idx > st->nparams) {
		free(value);
		return;
	}
	free(st->params[idx - 1].value);
	st->params[idx - 1].value = value;
	st->params[idx - 1].type = type;
}

static void pg_bind_int64(struct stmt *st, int idx, long long v)
{
	bind(st, idx, xasprintf("%lld", v), INT8OID);
}

static void pg_bind_text(struct stmt *st, int idx, const char *s)
{
	/*
	 * A NULL is typed text too: "? IS NULL OR provider = ?" must know
	 * its type where it first meets it.  appt binds no NULL for a number.
	 */
	bind(st, idx, s ? xstrdup(s) : NULL, TEXTOID);
}

static void pg_bind_null(struct stmt *st, int idx)
{
	bind(st, idx, NULL, 0);
}

static int pg_param_index(struct stmt *base, const char *name)
{
	return name_index(pg(base), name, strlen(name));
}

/*
 * Sends the statement with its bindings: all its rows come back at once,
 * or for a stream one at a time (PQsetSingleRowMode), so that an export
 * of millions holds one row in memory.
 */
static int run(struct pg_stmt *st)
{
	struct pg_conn *c = conn_of(st->base.db);
	const char **values = xcalloc((size_t)st->nparams + 1, sizeof(*values));
	Oid *types = xcalloc((size_t)st->nparams + 1, sizeof(*types));
	int rc = STORE_OK;

	/*
	 * A number the text skips needs a type all the same; one it names
	 * but nobody bound is NULL, typed by where it goes, as in SQLite.
	 */
	for (int i = 0; i < st->nparams; i++) {
		values[i] = st->params[i].value;
		types[i] = st->params[i].used ? st->params[i].type : TEXTOID;
	}
	if (!st->stream) {
		st->res = PQexecParams(c->conn, st->sql, st->nparams, types, values, NULL, NULL, 0);
		rc = result_rc(c, st->res, &st->nrows);
	} else if (PQsendQueryParams(c->conn, st->sql, st->nparams, types, values, NULL, NULL, 0) &&
		   PQsetSingleRowMode(c->conn)) {
		st->open = 1;
	} else {
		keep_error(c, PQerrorMessage(c->conn));
		rc = STORE_ERROR;
	}
	free(values);
	free(types);
	st->row = -1;
	return rc;
}

/* The next row of a stream: a result of one row, then one of none, then NULL. */
static int stream_step(struct pg_stmt *st)
{
	struct pg_conn *c = conn_of(st->base.db);
	int rc;

	PQclear(st->res);
	st->res = st->open ? PQgetResult(c->conn) : NULL;
	if (st->res && PQresultStatus(st->res) == PGRES_SINGLE_TUPLE) {
		st->row = 0;
		st->nrows = 1;
		return STORE_ROW;
	}
	st->row = st->nrows = 0;
	rc = st->res ? result_rc(c, st->res, NULL) : STORE_OK;
	close_stream(st);
	return rc == STORE_OK ? STORE_DONE : rc;
}

static int pg_step(struct stmt *base)
{
	struct pg_stmt *st = pg(base);

	if (st->stream) {
		if (!st->open && !st->res && run(st) != STORE_OK)
			return STORE_ERROR;
		return stream_step(st);
	}
	if (!st->res) {
		int rc = run(st);

		if (rc != STORE_OK)
			return rc;
	}
	if (st->row + 1 < st->nrows) {
		st->row++;
		return STORE_ROW;
	}
	st->row = st->nrows;
	return STORE_DONE;
}

static int in_row(struct pg_stmt *st, int col)
{
	return st->res && st->row >= 0 && st->row < st->nrows && col >= 0 &&
	       col < PQnfields(st->res);
}

static int pg_column_is_null(struct stmt *base, int col)
{
	struct pg_stmt *st = pg(base);

	return !in_row(st, col) || PQgetisnull(st->res, st->row, col);
}

static int pg_column_count(struct stmt *base)
{
	struct pg_stmt *st = pg(base);

	return st->res ? PQnfields(st->res) : 0;
}

static const char *pg_column_name(struct stmt *base, int col)
{
	struct pg_stmt *st = pg(base);

	return st->res ? PQfname(st->res, col) : NULL;
}

static int pg_column_is_int(struct stmt *base, int col)
{
	struct pg_stmt *st = pg(base);
	Oid type;

	if (pg_column_is_null(base, col))
		return 0;
	type = PQftype(st->res, col);
	return type == INT8OID || type == INT4OID || type == INT2OID || type == BOOLOID;
}

static const char *pg_column_text(struct stmt *base, int col)
{
	struct pg_stmt *st = pg(base);

	if (pg_column_is_null(base, col))
		return NULL;
	/* SQLite's booleans are integers; a comparison read as text is 1 or 0. */
	if (PQftype(st->res, col) == BOOLOID)
		return *PQgetvalue(st->res, st->row, col) == 't' ? "1" : "0";
	return PQgetvalue(st->res, st->row, col);
}

static long long pg_column_int64(struct stmt *base, int col)
{
	const char *s = pg_column_text(base, col);

	/* numeric (a sum, an average) truncates as SQLite's integer read does */
	return s ? strtoll(s, NULL, 10) : 0;
}

/* ---- the connection ---- */

static int pg_exec(struct appt_db *db, const char *sql)
{
	struct pg_conn *c = conn_of(db);
	PGresult *res = PQexec(c->conn, sql);
	int rc = result_rc(c, res, NULL);

	PQclear(res);
	return rc;
}

static long long pg_changes(struct appt_db *db)
{
	return conn_of(db)->changes;
}

static const char *pg_errmsg(struct appt_db *db)
{
	return conn_of(db)->errmsg;
}

static int pg_in_transaction(struct appt_db *db)
{
	return PQtransactionStatus(conn_of(db)->conn) != PQTRANS_IDLE;
}

static int pg_alive(struct appt_db *db)
{
	return PQstatus(conn_of(db)->conn) == CONNECTION_OK;
}

/*
 * A session-level advisory lock, keyed (the write lock's key, the name's
 * hash): released at unlock, or by the server when the connection ends,
 * however the process ends.
 */
static int pg_try_lock(struct appt_db *db, const char *name)
{
	char *sql = xasprintf("SELECT pg_try_advisory_lock(%d, hashtext('%s'))",
			      WRITE_LOCK_KEY, name);
	struct stmt *st;
	int got = -1;

	pg_prepare(db, sql, &st);
	if (pg_step(st) == STORE_ROW)
		got = pg_column_int64(st, 0) != 0;
	pg_finalize(st);
	free(sql);
	return got;
}

static void pg_unlock(struct appt_db *db)
{
	pg_exec(db, "SELECT pg_advisory_unlock_all()");
}

static int pg_configure(struct appt_db *db)
{
	return STORE_OK;
}

static void pg_close(struct appt_db *db)
{
	struct pg_conn *c = conn_of(db);

	if (!c)
		return;
	PQfinish(c->conn);
	free(c);
}

static const struct store_driver pg_driver = {
	.name = "PostgreSQL",
	.dialect = DIALECT_PG,
	.begin_write = "BEGIN ISOLATION LEVEL READ COMMITTED;"
		       " SELECT pg_advisory_xact_lock(" STRINGIFY(WRITE_LOCK_KEY) ")",
	/* One snapshot for every statement of a read, as SQLite's read has. */
	.begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	.durable_off = "SET synchronous_commit = off",
	.durable_on = "SET synchronous_commit = on",
	.configure = pg_configure,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.stream = pg_stream,
	.step = pg_step,
	.reset = pg_reset,
	.clear_bindings = pg_clear_bindings,
	.finalize = pg_finalize,
	.bind_int64 = pg_bind_int64,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.param_index = pg_param_index,
	.column_count = pg_column_count,
	.column_name = pg_column_name,
	.column_is_int = pg_column_is_int,
	.column_is_null = pg_column_is_null,
	.column_int64 = pg_column_int64,
	.column_text = pg_column_text,
	.changes = pg_changes,
	.errmsg = pg_errmsg,
	.in_transaction = pg_in_transaction,
	.alive = pg_alive,
	.try_lock = pg_try_lock,
	.unlock = pg_unlock,
};

/* The server's notices (an extension that exists already) are not appt's to print. */
static void ignore_notice(void *arg, const char *message)
{
}

/* postgresql://user:secret@host/db is shown as postgresql://user:***@host/db. */
static char *masked_uri(const char *uri)
{
	const char *start = strstr(uri, "://"), *at, *colon;

	if (!start)
		return xstrdup(uri);
	start += 3;
	at = strchr(start, '@');
	colon = at ? memchr(start, ':', (size_t)(at - start)) : NULL;
	if (!colon)
		return xstrdup(uri);
	return xasprintf("%.*s:***%s", (int)(colon - uri), uri, at);
}

/*
 * SQLite's 'localtime' is the process's zone; the server's sessions take
 * the same, so that a date SQL computes is the same on both stores.
 */
static void set_zone(struct appt_db *db)
{
	const char *tz = getenv("TZ");
	char *literal, *sql;

	if (tz && *tz == ':')
		tz++;
	if (!tz || !*tz)
		return;
	literal = PQescapeLiteral(conn_of(db)->conn, tz, strlen(tz));
	if (!literal)
		return;
	sql = xasprintf("SET TIME ZONE %s", literal);
	pg_exec(db, sql); /* a zone the server does not know leaves its own */
	free(sql);
	PQfreemem(literal);
}

/*
 * lock_timeout turns a wait for another desk's write into exit 75, as
 * SQLite's busy timeout does; notices stay off the terminal.
 */
static int set_session(struct appt_db *db)
{
	char sql[120];

	snprintf(sql, sizeof(sql), "SET lock_timeout = %d; SET client_min_messages = warning",
		 store_busy_timeout_ms());
	set_zone(db);
	return pg_exec(db, sql);
}

enum appt_status store_pg_open(struct appt_db *db, enum db_open_mode mode,
			       struct appt_err *err)
{
	struct pg_conn *c = xcalloc(1, sizeof(*c));
	char *shown = masked_uri(db->path);
	enum appt_status status = APPT_OK;

	c->conn = PQconnectdb(db->path);
	free(db->path);
	db->path = shown;
	db->conn = c;
	db->drv = &pg_driver;
	if (PQstatus(c->conn) != CONNECTION_OK) {
		keep_error(c, PQerrorMessage(c->conn));
		status = appt_fail(err, mode == DB_OPEN_EXISTING ? APPT_NOINPUT : APPT_IOERR,
				   "cannot connect to the database '%s': %s", db->path, c->errmsg);
	} else {
		PQsetNoticeProcessor(c->conn, ignore_notice, NULL);
		if (set_session(db) != STORE_OK)
			status = appt_fail(err, APPT_IOERR, "database error while setting"
					   " the connection up: %s", c->errmsg);
	}
	if (status) {
		pg_close(db);
		db->conn = NULL;
	}
	return status;
}

char *store_pg_session_user(struct appt_db *db)
{
	struct stmt *st = NULL;
	char *user = NULL;

	pg_prepare(db, "SELECT session_user", &st);
	if (pg_step(st) == STORE_ROW)
		user = xstrdup(pg_column_text(st, 0));
	pg_finalize(st);
	return user ? user : xstrdup("?");
}
