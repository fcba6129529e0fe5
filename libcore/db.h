/*
 * db: the appointment book's database, SQLite file or PostgreSQL (store.h
 * is the seam between them): opening it, write transactions, and small
 * helpers for the statements every other module prepares.
 *
 * Every write runs inside db_begin_write() .. db_finish_write(), which
 * takes the write lock up front: BEGIN IMMEDIATE on SQLite, a
 * transaction-level advisory lock on PostgreSQL.  So two front desks
 * checking the same slot, on one machine or on several, are serialised
 * before either reads, and the busy timeout turns contention into waiting
 * rather than "database is locked".
 *
 * Transactions nest, as fossil's db_begin_transaction: a library function
 * opens its own, and when it is called inside another's it joins that one.
 * Only the outermost end commits, and any level that ends in failure dooms
 * the whole to roll back; so no caller opens a transaction for a callee.
 */
#ifndef APPT_DB_H
#define APPT_DB_H

#include <time.h>

#include "store.h"

/*
 * The database file to use: $APPT_DB, else config_database (the config's
 * database: key, may be NULL), else $XDG_DATA_HOME/appt/appt.db (defaulting
 * to ~/.local/share).  Caller frees.
 */
char *db_default_path(const char *config_database);

/*
 * Opens path, a SQLite file or a PostgreSQL URI (store_name_is_pg), with
 * the busy timeout, and writes nothing to it: what it holds is for the
 * caller to judge first (the session asks migrate).  A missing file is
 * APPT_NOINPUT, or with DB_OPEN_CREATE is created 0600 without following a
 * symbolic link (open_private_file).  A PostgreSQL database must exist.
 */
enum appt_status db_open(const char *path, enum db_open_mode mode,
			 struct appt_db **out, struct appt_err *err);
/*
 * Sets the connection up once the database is judged appt's: on SQLite
 * WAL, synchronous=FULL and foreign_keys.
 */
enum appt_status db_configure(struct appt_db *db, struct appt_err *err);
/* A database file reached through a symbolic link is not set up: APPT_IOERR. */
enum appt_status db_refuse_link(struct appt_db *db, struct appt_err *err);
void db_close(struct appt_db *db);

static inline enum store_dialect db_dialect(const struct appt_db *db)
{
	return db->drv->dialect;
}

/* The text of a statement written once per dialect: texts[db_dialect(db)]. */
static inline const char *db_sql(const struct appt_db *db,
				 const char *const texts[NR_DIALECTS])
{
	return texts[db_dialect(db)];
}

/* Runs statements that return no rows, e.g. a schema step. */
enum appt_status db_exec(struct appt_db *db, const char *sql, const char *doing,
			 struct appt_err *err);
/*
 * Commits that follow wait for the disk (on, the default) or only for the
 * database to have the change (off): a crash of the machine, not of appt,
 * may then lose them.
 */
void db_durable(struct appt_db *db, int on);
/*
 * An exclusive lock on one kind of run (name: "remind") over every process
 * using the database, on this machine or another; it is given back by
 * db_unlock or when the process ends.  1 taken, 0 another holds it, -1 an
 * error (errno says).
 */
static inline int db_try_lock(struct appt_db *db, const char *name)
{
	return db->drv->try_lock(db, name);
}

/* Whether the connection still works: a long-running appt serve asks after a failure. */
static inline int db_alive(struct appt_db *db)
{
	return db->drv->alive(db);
}

static inline void db_unlock(struct appt_db *db)
{
	db->drv->unlock(db);
}

/*
 * A page cache of kib KiB for this connection, for a bulk reader or writer
 * (a year's report, an import); a server-side store sizes its own.
 */
enum appt_status db_set_cache(struct appt_db *db, int kib, struct appt_err *err);

/*
 * Sets a connection up for a read of much of the database (an export, a
 * year's report): the file memory-mapped, so that pages come from the
 * kernel's cache without a read() and a copy each, and a 16 MiB page
 * cache for what mapping does not cover.  Desk commands, which read a few
 * pages, do not call it: setting up the map costs more than they read.
 */
enum appt_status db_set_bulk_read(struct appt_db *db, struct appt_err *err);

/* Rows the last INSERT, UPDATE or DELETE changed. */
long long db_changes(struct appt_db *db);

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
 * Maps a store result (enum store_rc) to a status and message: STORE_BUSY
 * and STORE_RETRY become APPT_TEMPFAIL ("retry later"), the rest APPT_IOERR
 * with the driver's message and what was being done.
 */
enum appt_status db_error(struct appt_db *db, int rc, const char *doing,
			  struct appt_err *err);

/* Prepares sql (dies on a programming error in the SQL itself). */
struct stmt *db_prepare(struct appt_db *db, const char *sql);

/*
 * db_prepare for a statement read row by row to its end (an export) with
 * no other statement run meanwhile: the rows are not all held at once.
 */
struct stmt *db_prepare_stream(struct appt_db *db, const char *sql);

/*
 * A statement prepared once per connection, for queries run many times in
 * one command (the calendar reads of a slot search).  It comes back reset
 * with no bindings; the caller resets it after its last step (an unreset
 * statement keeps its read transaction open) and never finalizes it:
 * db_close does.  sql must be a string that lives as long as db.
 */
struct stmt *db_prepare_cached(struct appt_db *db, const char *sql);

/* Finalizes st, or only resets it when it belongs to the cache. */
void db_release_stmt(struct appt_db *db, struct stmt *st);

/* Binds NULL for a NULL string. */
void db_bind_text(struct stmt *st, int idx, const char *s);
/* Column text, or NULL; the copy belongs to the caller. */
char *db_column_strdup(struct stmt *st, int col);
/* Column text or "" (never NULL), valid until the next step/finalize. */
const char *db_column_str(struct stmt *st, int col);

/*
 * Runs a prepared statement that returns no rows (INSERT/UPDATE/DELETE) and
 * releases it (db_release_stmt).  Returns APPT_OK or the db_error of the failure.
 */
enum appt_status db_exec_stmt(struct appt_db *db, struct stmt *st,
			      const char *doing, struct appt_err *err);

/*
 * Runs an INSERT .. RETURNING id (one portable text for both stores) and
 * releases it; *id is the new row's id, or 0 when nothing was inserted
 * (ON CONFLICT DO NOTHING).
 */
enum appt_status db_insert_id(struct appt_db *db, struct stmt *st, long long *id,
			      const char *doing, struct appt_err *err);

/*
 * Runs a statement returning one integer (a count, an id) and releases it;
 * *value is untouched when there is no row.
 */
enum appt_status db_query_int(struct appt_db *db, struct stmt *st,
			      long long *value, const char *doing,
			      struct appt_err *err);

/*
 * Runs a statement whose first column is a row id, appends every one to
 * out, and releases it: the rows to change, read whole before the first
 * change (a stream still open would see its own changes, or block them).
 */
enum appt_status db_collect_ids(struct appt_db *db, struct stmt *st, struct idlist *out,
				const char *doing, struct appt_err *err);

/*
 * Runs fn as one part of the write transaction in progress that may fail
 * alone (a SAVEPOINT, on both stores): a failure rolls back only what fn
 * wrote and leaves the rest of the transaction to commit, which a failed
 * nested db_begin_write/db_finish_write never does.  Returns fn's status.
 * book --repeat --skip-conflicts books what fits and lists the rest so.
 */
enum appt_status db_try_part(struct appt_db *db,
			     enum appt_status (*fn)(void *data, struct appt_err *err),
			     void *data, struct appt_err *err);

#endif
