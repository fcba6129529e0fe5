/*
 * store: the seam between appt's SQL and the database that runs it.
 *
 * appt speaks to SQLite (a file, the default) or to PostgreSQL (a libpq
 * URI) through one small interface: prepare, bind, step, column, exec, and
 * the class of an error.  db.c builds transactions and the statement cache
 * on it; every other module prepares statements through db.h and steps
 * them with the stmt_* calls below, whichever store is behind them.
 *
 * The calls mirror SQLite's own (a statement is stepped row by row, bound
 * by position from 1, read by column from 0), because that is the model
 * every module was written to.  SQL text is written once, with SQLite's
 * ?NNN, ? and :name parameters; the PostgreSQL driver numbers them for
 * libpq.  Where the dialects differ, a module keeps both texts side by
 * side in one table indexed by enum store_dialect (db_sql picks).
 */
#ifndef APPT_STORE_H
#define APPT_STORE_H

#include "util.h"

struct stmt;
/*
 * How long a command waits for another writer before giving up (exit 75).
 * APPT_BUSY_TIMEOUT_MS overrides it, so that the test of that exit need not
 * wait the full 15 s.
 */
#define DB_BUSY_TIMEOUT_MS 15000

struct db_cached_stmt {
	const char *sql;
	struct stmt *st;
};

struct appt_db {
	const struct store_driver *drv;
	void *conn;   /* the driver's connection */
	char *path;   /* the file, or the URI as given (shown in messages) */
	char *login;  /* os_login(): who connected, recorded in every event */
	int depth;    /* begins not yet ended; 0: no transaction open */
	int writing;  /* the outermost begin was a write */
	int doomed;   /* a nested level failed: the outermost end rolls back */
	struct appt_err doom; /* why, said again if the caller carried on */
	struct db_cached_stmt *cache;
	size_t nr_cache, alloc_cache;
	int lock_fd;  /* SQLite: the file try_lock holds, or -1 */
};

enum db_open_mode {
	DB_OPEN_EXISTING, /* refuse (APPT_NOINPUT) when the file does not exist */
	DB_OPEN_CREATE,   /* appt init: create it 0600, with its directory (then migrate) */
	DB_OPEN_ANY_VERSION, /* as EXISTING, an older schema too, left as it is:
			      * appt backup copies one before init migrates it */
};


enum store_dialect {
	DIALECT_SQLITE,
	DIALECT_PG,
	NR_DIALECTS
};

/* What stmt_step and store exec return. */
enum store_rc {
	STORE_OK = 0,
	STORE_ROW = 100,
	STORE_DONE = 101,
	/* The error classes a caller may act on; the driver keeps the text. */
	STORE_BUSY = -1,       /* locked past the timeout: retry later */
	STORE_CONSTRAINT = -2, /* the database refused the row (UNIQUE, CHECK, exclusion) */
	STORE_RETRY = -3,      /* a serialization failure or deadlock: run it again */
	STORE_NOT_OURS = -4,   /* not a database of this store's kind at all */
	STORE_ERROR = -5,      /* anything else: I/O, a lost connection, a bug */
};

/*
 * A driver: SQLite's in store_sqlite.c, PostgreSQL's in store_pg.c.  Each
 * statement and connection it makes begins with the common part (struct
 * stmt, the fields of appt_db), so the calls below dispatch through it.
 */
struct store_driver {
	const char *name;
	enum store_dialect dialect;
	/* What starts a write (taking the write lock at once), and a read. */
	const char *begin_write;
	const char *begin_read;
	/*
	 * Whether a commit waits for the disk: what a change that need only
	 * survive this process (not the machine) turns off for itself.
	 */
	const char *durable_off;
	const char *durable_on;
	/* The statement sizing this connection's page cache, before KiB; NULL: the server's own */
	const char *cache_size;
	/* The statement letting a bulk reader map the file, whole; NULL: nothing to map */
	const char *map_whole;
	/* Once the database is judged appt's: the session's settings. */
	int (*configure)(struct appt_db *db);
	void (*close)(struct appt_db *db);
	/* Runs one or more statements that return no rows. */
	int (*exec)(struct appt_db *db, const char *sql);
	/* *out is NULL when the text does not prepare: the rc and errmsg say why. */
	int (*prepare)(struct appt_db *db, const char *sql, struct stmt **out);
	/*
	 * Marks a statement whose rows are read one at a time, in order, with
	 * no other statement run until its last: memory stays flat however
	 * many rows there are.  NULL: every statement already streams.
	 */
	void (*stream)(struct stmt *st);
	int (*step)(struct stmt *st);
	/* Back to before the first step, bindings kept. */
	void (*reset)(struct stmt *st);
	void (*clear_bindings)(struct stmt *st);
	void (*finalize)(struct stmt *st);
	void (*bind_int64)(struct stmt *st, int idx, long long v);
	void (*bind_text)(struct stmt *st, int idx, const char *s); /* NULL binds a text NULL */
	/* A NULL of no type: what the statement puts it in says (an integer column). */
	void (*bind_null)(struct stmt *st, int idx);
	/* The index of :name, 0 if the text has none. */
	int (*param_index)(struct stmt *st, const char *name);
	int (*column_count)(struct stmt *st);
	const char *(*column_name)(struct stmt *st, int col);
	/* Whether the value is an integer (else text or NULL): copies keep types. */
	int (*column_is_int)(struct stmt *st, int col);
	int (*column_is_null)(struct stmt *st, int col);
	long long (*column_int64)(struct stmt *st, int col);
	/* NULL for NULL; valid until the next step, reset or finalize. */
	const char *(*column_text)(struct stmt *st, int col);
	/* Rows the last INSERT, UPDATE or DELETE changed. */
	long long (*changes)(struct appt_db *db);
	const char *(*errmsg)(struct appt_db *db);
	/*
	 * An exclusive lock on one kind of run (appt remind) over every
	 * process using the database, on any machine, held until unlock or
	 * the process ends: 1 taken, 0 held by another, -1 an error (errno).
	 */
	int (*try_lock)(struct appt_db *db, const char *name);
	void (*unlock)(struct appt_db *db);
	/* A transaction is open on the connection (the store may end one itself). */
	int (*in_transaction)(struct appt_db *db);
	/* The connection still works (a server's may be lost: a restart, a network cut). */
	int (*alive)(struct appt_db *db);
};

struct stmt {
	struct appt_db *db;
	const struct store_driver *drv;
};

static inline int stmt_step(struct stmt *st)
{
	return st->drv->step(st);
}

static inline void stmt_reset(struct stmt *st)
{
	st->drv->reset(st);
}

static inline void stmt_finalize(struct stmt *st)
{
	if (st)
		st->drv->finalize(st);
}

static inline void stmt_bind_int64(struct stmt *st, int idx, long long v)
{
	st->drv->bind_int64(st, idx, v);
}

static inline void stmt_bind_null(struct stmt *st, int idx)
{
	st->drv->bind_null(st, idx);
}

static inline int stmt_param_index(struct stmt *st, const char *name)
{
	return st->drv->param_index(st, name);
}

static inline int stmt_column_count(struct stmt *st)
{
	return st->drv->column_count(st);
}

static inline const char *stmt_column_name(struct stmt *st, int col)
{
	return st->drv->column_name(st, col);
}

static inline int stmt_column_is_int(struct stmt *st, int col)
{
	return st->drv->column_is_int(st, col);
}

static inline int stmt_column_is_null(struct stmt *st, int col)
{
	return st->drv->column_is_null(st, col);
}

static inline long long stmt_column_int64(struct stmt *st, int col)
{
	return st->drv->column_int64(st, col);
}

static inline int stmt_column_int(struct stmt *st, int col)
{
	return (int)st->drv->column_int64(st, col);
}

static inline const char *stmt_column_text(struct stmt *st, int col)
{
	return st->drv->column_text(st, col);
}

/* Which driver a database name means: a libpq URI is PostgreSQL's. */
int store_name_is_pg(const char *name);

/* DB_BUSY_TIMEOUT_MS, or APPT_BUSY_TIMEOUT_MS when set. */
int store_busy_timeout_ms(void);

#endif
