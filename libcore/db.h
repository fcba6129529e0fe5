/*
 * db: the SQLite file — opening with the pragmas appt relies on, schema
 * migrations by PRAGMA user_version, write transactions, and small helpers
 * for the statements every other module prepares.
 *
 * Every write runs inside db_begin_write() .. db_finish_write(): BEGIN
 * IMMEDIATE takes the write lock up front, so two front desks checking the
 * same slot are serialised before either reads, and the busy timeout turns
 * contention into waiting rather than "database is locked".
 *
 * Transactions nest, as fossil's db_begin_transaction: a library function
 * opens its own, and when it is called inside another's it joins that one.
 * Only the outermost end commits, and any level that ends in failure dooms
 * the whole to roll back; so no caller opens a transaction for a callee.
 */
#ifndef APPT_DB_H
#define APPT_DB_H

#include <sqlite3.h>
#include <time.h>

#include "util.h"

/*
 * How long a command waits for another writer before giving up (exit 75).
 * APPT_BUSY_TIMEOUT_MS overrides it, so that the test of that exit need not
 * wait the full 15 s.
 */
#define DB_BUSY_TIMEOUT_MS 15000

struct db_cached_stmt {
	const char *sql;
	sqlite3_stmt *st;
};

struct appt_db {
	sqlite3 *handle;
	char *path;
	char *login;  /* os_login(): who connected, recorded in every event */
	int depth;    /* begins not yet ended; 0: no transaction open */
	int writing;  /* the outermost begin was a write */
	int doomed;   /* a nested level failed: the outermost end rolls back */
	struct appt_err doom; /* why, said again if the caller carried on */
	struct db_cached_stmt *cache;
	size_t nr_cache, alloc_cache;
};

enum db_open_mode {
	DB_OPEN_EXISTING, /* refuse (APPT_NOINPUT) when the file does not exist */
	DB_OPEN_CREATE,   /* appt init: create it 0600, with its directory (then migrate) */
	DB_OPEN_ANY_VERSION, /* as EXISTING, an older schema too, left as it is:
			      * appt backup copies one before init migrates it */
};

/*
 * The database file to use: $APPT_DB, else config_database (the config's
 * database: key, may be NULL), else $XDG_DATA_HOME/appt/appt.db (defaulting
 * to ~/.local/share).  Caller frees.
 */
char *db_default_path(const char *config_database);

/*
 * Opens path as SQLite, with the busy timeout, and writes nothing to it:
 * what the file holds is for the caller to judge first (the session asks
 * migrate).  A missing file is APPT_NOINPUT, or with DB_OPEN_CREATE is
 * created 0600 without following a symbolic link (open_private_file).
 */
enum appt_status db_open(const char *path, enum db_open_mode mode,
			 struct appt_db **out, struct appt_err *err);
/* Sets WAL, synchronous=FULL and foreign_keys: once the file is judged appt's. */
enum appt_status db_configure(struct appt_db *db, struct appt_err *err);
/* A database reached through a symbolic link is not set up: APPT_IOERR. */
enum appt_status db_refuse_link(struct appt_db *db, struct appt_err *err);
void db_close(struct appt_db *db);

/* The file's schema version (PRAGMA user_version). */
int db_file_version(struct appt_db *db);

/*
 * Opens a transaction, or joins the one open.  A write inside a read is a
 * bug in appt (the read could not take the lock without risking deadlock)
 * and aborts.  Each begin is ended by exactly one db_finish_write,
 * db_commit or db_rollback, or for a read db_end_read.
 */
enum appt_status db_begin_write(struct appt_db *db, struct appt_err *err);
enum appt_status db_begin_read(struct appt_db *db, struct appt_err *err);
/*
 * Ends one level: the change stands when status (the change's own) is
 * APPT_OK, and is rolled back with everything around it otherwise.  At the
 * outermost level this commits or rolls back.  Returns the status to
 * report, which a failed commit turns into its own.
 */
enum appt_status db_finish_write(struct appt_db *db, enum appt_status status,
				 struct appt_err *err);
/* db_finish_write with APPT_OK. */
enum appt_status db_commit(struct appt_db *db, struct appt_err *err);
/* Ends one level of a write, dooming the transaction: nothing of it is written. */
void db_rollback(struct appt_db *db);
/*
 * Ends one level of a read.  A read changes nothing, so ending it dooms
 * nothing: a read joined to a write leaves the write to its own end.
 */
void db_end_read(struct appt_db *db);

/*
 * Maps an SQLite result code to a status and message: BUSY/LOCKED become
 * APPT_TEMPFAIL ("database is busy; retry later"), the rest APPT_IOERR with
 * sqlite3_errmsg and what was being done.
 */
enum appt_status db_error(struct appt_db *db, int rc, const char *doing,
			  struct appt_err *err);

/* Prepares sql (dies on a programming error in the SQL itself). */
sqlite3_stmt *db_prepare(struct appt_db *db, const char *sql);

/*
 * A statement prepared once per connection, for queries run many times in
 * one command (the calendar reads of a slot search).  It comes back reset
 * with no bindings; the caller resets it after its last step (an unreset
 * statement keeps its read transaction open) and never finalizes it:
 * db_close does.  sql must be a string that lives as long as db.
 */
sqlite3_stmt *db_prepare_cached(struct appt_db *db, const char *sql);

/* Finalizes st, or only resets it when it belongs to the cache. */
void db_release_stmt(struct appt_db *db, sqlite3_stmt *st);

/* Binds NULL for a NULL string. */
void db_bind_text(sqlite3_stmt *st, int idx, const char *s);
/* Column text, or NULL; the copy belongs to the caller. */
char *db_column_strdup(sqlite3_stmt *st, int col);
/* Column text or "" (never NULL), valid until the next step/finalize. */
const char *db_column_str(sqlite3_stmt *st, int col);

/*
 * Runs a prepared statement that returns no rows (INSERT/UPDATE/DELETE) and
 * releases it (db_release_stmt).  Returns APPT_OK or the db_error of the failure.
 */
enum appt_status db_exec_stmt(struct appt_db *db, sqlite3_stmt *st,
			      const char *doing, struct appt_err *err);

/*
 * Runs a statement returning one integer (a count, an id) and releases it;
 * *value is untouched when there is no row.
 */
enum appt_status db_query_int(struct appt_db *db, sqlite3_stmt *st,
			      long long *value, const char *doing,
			      struct appt_err *err);

#endif
