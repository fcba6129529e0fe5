/*
 * bench/pqtrace.c: the SQL a process sends PostgreSQL, for bench/run's
 * psql floors (sqltrace.c's counterpart for libpq).
 *
 * Loaded with LD_PRELOAD, it wraps libpq's calls that send SQL (PQexec,
 * PQexecParams, PQsendQuery, PQsendQueryParams, and the execution of a
 * statement PQprepare or PQsendPrepare made) and writes each command to the
 * file named by BENCH_SQL_TRACE, followed by ';' and a line break, as psql
 * reads them.  Parameters are written in as literals of the type they were
 * sent with ('42'::int8, NULL::text), so that the server parses and plans
 * the replayed statement as it did the one appt sent; a parameter sent
 * untyped stays an untyped literal.  A prepared statement is written out
 * in full at each execution.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef PGresult *PQexec_fn(PGconn *, const char *);
typedef int PQsendQuery_fn(PGconn *, const char *);
typedef PGresult *PQexecParams_fn(PGconn *, const char *, int, const Oid *,
				  const char *const *, const int *, const int *, int);
typedef int PQsendQueryParams_fn(PGconn *, const char *, int, const Oid *,
				 const char *const *, const int *, const int *, int);
typedef PGresult *PQprepare_fn(PGconn *, const char *, const char *, int, const Oid *);
typedef int PQsendPrepare_fn(PGconn *, const char *, const char *, int, const Oid *);
typedef PGresult *PQexecPrepared_fn(PGconn *, const char *, int, const char *const *,
				    const int *, const int *, int);
typedef int PQsendQueryPrepared_fn(PGconn *, const char *, int, const char *const *,
				   const int *, const int *, int);

/* libpq's own function, whose name this library's wrapper took. */
#define REAL(name) ((name##_fn *)dlsym(RTLD_NEXT, #name))

static FILE *trace_file(void)
{
	static FILE *out;
	const char *path;

	if (!out && (path = getenv("BENCH_SQL_TRACE")) && *path)
		out = fopen(path, "ae");
	return out;
}

/* The types appt binds (catalog/pg_type.h), as SQL names them. */
static const char *type_name(Oid type)
{
	switch (type) {
	case 16: return "bool";
	case 20: return "int8";
	case 21: return "int2";
	case 23: return "int4";
	case 25: return "text";
	default: return NULL;
	}
}

static void write_literal(FILE *out, const char *value, Oid type)
{
	const char *name = type_name(type);

	if (!value) {
		fputs("NULL", out);
	} else {
		fputc('\'', out);
		for (const char *p = value; *p; p++) {
			if (*p == '\'')
				fputc('\'', out);
			fputc(*p, out);
		}
		fputc('\'', out);
	}
	if (name)
		fprintf(out, "::%s", name);
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

/* The command with its $N written in, its trailing ';' and blanks dropped. */
static void write_sql(FILE *out, const char *sql, int nparams, const Oid *types,
		      const char *const *values)
{
	size_t len = strlen(sql);
	const char *p = sql, *end;

	while (len && strchr("; \t\n", sql[len - 1]))
		len--;
	end = sql + len;
	while (p < end) {
		if (*p == '\'' || *p == '"') {
			const char *q = skip_quoted(p);

			fwrite(p, 1, (size_t)((q < end ? q : end) - p), out);
			p = q;
		} else if (*p == '-' && p[1] == '-') {
			size_t n = strcspn(p, "\n");

			fwrite(p, 1, n, out);
			p += n;
		} else if (*p == '$' && p[1] >= '1' && p[1] <= '9') {
			char *after;
			long n = strtol(p + 1, &after, 10);

			if (n > nparams) {
				fprintf(stderr, "pqtrace: $%ld of %d parameters: %s\n", n, nparams, sql);
				abort();
			}
			write_literal(out, values[n - 1], types ? types[n - 1] : 0);
			p = after;
		} else {
			fputc(*p++, out);
		}
	}
	fputs(";\n", out);
	fflush(out);
}

static void write_command(const char *sql, int nparams, const Oid *types,
			  const char *const *values, const int *formats)
{
	FILE *out = trace_file();

	if (!out)
		return;
	for (int i = 0; formats && i < nparams; i++)
		if (formats[i]) {
			/* Written as text, a binary value would change. */
			fprintf(stderr, "pqtrace: binary parameter: %s\n", sql);
			abort();
		}
	write_sql(out, sql, nparams, types, values);
}

/* ---- prepared statements: their text and types, by name, for each execution ---- */

struct prepared {
	struct prepared *next;
	char *name, *sql;
	int ntypes;
	Oid *types;
};

static struct prepared *statements;

static struct prepared *find_prepared(const char *name)
{
	for (struct prepared *p = statements; p; p = p->next)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

static void remember(const char *name, const char *sql, int ntypes, const Oid *types)
{
	struct prepared *p = find_prepared(name);

	if (!trace_file())
		return;
	if (!p) {
		p = calloc(1, sizeof(*p));
		p->name = strdup(name);
		p->next = statements;
		statements = p;
	} else {
		free(p->sql);
		free(p->types);
	}
	p->sql = strdup(sql);
	p->ntypes = types ? ntypes : 0;
	p->types = calloc((size_t)ntypes + 1, sizeof(*types));
	if (types)
		memcpy(p->types, types, sizeof(*types) * (size_t)ntypes);
}

static void write_prepared(const char *name, int nparams, const char *const *values,
			   const int *formats)
{
	struct prepared *p = find_prepared(name);
	Oid *types;

	if (!trace_file())
		return;
	if (!p) {
		fprintf(stderr, "pqtrace: statement '%s' was prepared before tracing\n", name);
		abort();
	}
	/* Types past those given at prepare time were the server's to infer. */
	types = calloc((size_t)nparams + 1, sizeof(*types));
	for (int i = 0; i < nparams && i < p->ntypes; i++)
		types[i] = p->types[i];
	write_command(p->sql, nparams, types, values, formats);
	free(types);
}

/*
 * ---- the wrapped calls ----
 *
 * libpq's own calls go through the same entry points (PQexec sends by
 * PQsendQuery, PQexecParams by PQsendQueryParams): only the outermost call,
 * appt's, is written.
 */

static int depth;

PGresult *PQexec(PGconn *conn, const char *query)
{
	PGresult *res;

	if (!depth++)
		write_command(query, 0, NULL, NULL, NULL);
	res = REAL(PQexec)(conn, query);
	depth--;
	return res;
}

int PQsendQuery(PGconn *conn, const char *query)
{
	int ok;

	if (!depth++)
		write_command(query, 0, NULL, NULL, NULL);
	ok = REAL(PQsendQuery)(conn, query);
	depth--;
	return ok;
}

PGresult *PQexecParams(PGconn *conn, const char *command, int nparams, const Oid *types,
		       const char *const *values, const int *lengths, const int *formats,
		       int result_format)
{
	PGresult *res;

	if (!depth++)
		write_command(command, nparams, types, values, formats);
	res = REAL(PQexecParams)(conn, command, nparams, types, values, lengths, formats,
				 result_format);
	depth--;
	return res;
}

int PQsendQueryParams(PGconn *conn, const char *command, int nparams, const Oid *types,
		      const char *const *values, const int *lengths, const int *formats,
		      int result_format)
{
	int ok;

	if (!depth++)
		write_command(command, nparams, types, values, formats);
	ok = REAL(PQsendQueryParams)(conn, command, nparams, types, values, lengths, formats,
				     result_format);
	depth--;
	return ok;
}

PGresult *PQprepare(PGconn *conn, const char *name, const char *query, int nparams,
		    const Oid *types)
{
	PGresult *res;

	if (!depth++)
		remember(name, query, nparams, types);
	res = REAL(PQprepare)(conn, name, query, nparams, types);
	depth--;
	return res;
}

int PQsendPrepare(PGconn *conn, const char *name, const char *query, int nparams,
		  const Oid *types)
{
	int ok;

	if (!depth++)
		remember(name, query, nparams, types);
	ok = REAL(PQsendPrepare)(conn, name, query, nparams, types);
	depth--;
	return ok;
}

PGresult *PQexecPrepared(PGconn *conn, const char *name, int nparams,
			 const char *const *values, const int *lengths, const int *formats,
			 int result_format)
{
	PGresult *res;

	if (!depth++)
		write_prepared(name, nparams, values, formats);
	res = REAL(PQexecPrepared)(conn, name, nparams, values, lengths, formats,
				   result_format);
	depth--;
	return res;
}

int PQsendQueryPrepared(PGconn *conn, const char *name, int nparams,
			const char *const *values, const int *lengths, const int *formats,
			int result_format)
{
	int ok;

	if (!depth++)
		write_prepared(name, nparams, values, formats);
	ok = REAL(PQsendQueryPrepared)(conn, name, nparams, values, lengths, formats,
				       result_format);
	depth--;
	return ok;
}
