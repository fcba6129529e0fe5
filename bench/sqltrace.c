/*
 * bench/sqltrace.c: the SQL a process runs, for bench/run's floors.
 *
 * Loaded with LD_PRELOAD, it wraps sqlite3_open_v2 and has SQLite report
 * every statement the connection then starts (each run of a prepared
 * statement once), with its bound values written in, to the file named by
 * BENCH_SQL_TRACE: each statement followed by ';' and a line break, as the
 * sqlite3 shell reads them.  A trigger's own statements are left out: they
 * run again when the shell runs the statement that fired them.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int open_fn(const char *, sqlite3 **, int, const char *);

static FILE *trace_file(void)
{
	static FILE *out;
	const char *path;

	if (!out && (path = getenv("BENCH_SQL_TRACE")) && *path)
		out = fopen(path, "ae");
	return out;
}

static int on_statement(unsigned type, void *context, void *statement, void *text)
{
	char *sql;

	(void)type;
	(void)context;
	if (!strncmp(text, "--", 2))
		return 0;
	sql = sqlite3_expanded_sql(statement);
	if (!sql) {
		/* Written without its values, the statement would run on NULLs. */
		fprintf(stderr, "sqltrace: cannot expand: %s\n", (const char *)text);
		abort();
	}
	fprintf(trace_file(), "%s;\n", sql);
	sqlite3_free(sql);
	return 0;
}

int sqlite3_open_v2(const char *path, sqlite3 **db, int flags, const char *vfs)
{
	open_fn *real_open = (open_fn *)dlsym(RTLD_NEXT, "sqlite3_open_v2");
	int rc = real_open(path, db, flags, vfs);

	if (rc == SQLITE_OK && trace_file())
		sqlite3_trace_v2(*db, SQLITE_TRACE_STMT, on_statement, NULL);
	return rc;
}
