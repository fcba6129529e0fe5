#include "db.h"

#include "store_pg.h"
#include "store_sqlite.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


char *db_default_path(const char *config_database)
{
	const char *env = getenv("APPT_DB");
	const char *data = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (env && *env)
		return xstrdup(env);
	if (config_database && *config_database)
		return xstrdup(config_database);
	if (data && *data)
		return xasprintf("%s/appt/appt.db", data);
	return xasprintf("%s/.local/share/appt/appt.db", home ? home : ".");
}

enum appt_status db_error(struct appt_db *db, int rc, const char *doing,
			  struct appt_err *err)
{
	if (rc == STORE_BUSY || rc == STORE_RETRY)
		return appt_fail(err, APPT_TEMPFAIL,
				 "database '%s' stayed busy while %s; retry later",
				 db->path, doing);
	/* The database's own rules refuse as appt's do: the change is not made. */
	if (rc == STORE_CONSTRAINT)
		return appt_fail(err, APPT_REFUSED, "%s; nothing was changed (while %s)",
				 db->drv->errmsg(db), doing);
	return appt_fail(err, APPT_IOERR, "database error while %s: %s", doing,
			 db->drv->errmsg(db));
}

enum appt_status db_exec(struct appt_db *db, const char *sql, const char *doing,
			 struct appt_err *err)
{
	int rc = db->drv->exec(db, sql);

	return rc == STORE_OK ? APPT_OK : db_error(db, rc, doing, err);
}

void db_durable(struct appt_db *db, int on)
{
	/* Only ever a hint: a commit that does wait is no less correct. */
	db->drv->exec(db, on ? db->drv->durable_on : db->drv->durable_off);
}

enum appt_status db_set_cache(struct appt_db *db, int kib, struct appt_err *err)
{
	char *sql;
	enum appt_status status;

	if (!db->drv->cache_size)
		return APPT_OK;
	sql = xasprintf("%s%d", db->drv->cache_size, kib);
	status = db_exec(db, sql, "sizing the page cache", err);
	free(sql);
	return status;
}

/* What db_set_bulk_read gives the page cache: a large clinic's clients, say. */
#define BULK_CACHE_KIB 16384

enum appt_status db_set_bulk_read(struct appt_db *db, struct appt_err *err)
{
	enum appt_status status = db_set_cache(db, BULK_CACHE_KIB, err);

	if (!status && db->drv->map_whole)
		status = db_exec(db, db->drv->map_whole, "mapping the database", err);
	return status;
}

long long db_changes(struct appt_db *db)
{
	return db->drv->changes(db);
}

enum appt_status db_configure(struct appt_db *db, struct appt_err *err)
{
	int rc = db->drv->configure(db);

	return rc == STORE_OK ? APPT_OK : db_error(db, rc, "setting the connection up", err);
}

/*
 * appt init sets up a new database only at a real path: a symbolic link
 * planted there would have it write into whatever empty file the link
 * names.  (SQLite itself refuses links in place of its -wal and -shm.)
 */
enum appt_status db_refuse_link(struct appt_db *db, struct appt_err *err)
{
	struct stat st;

	if (db_dialect(db) != DIALECT_SQLITE || lstat(db->path, &st) || !S_ISLNK(st.st_mode))
		return APPT_OK;
	return appt_fail(err, APPT_IOERR, "cannot create '%s': %s", db->path,
			 open_private_error(ELOOP));
}

enum appt_status db_open(const char *path, enum db_open_mode mode,
			 struct appt_db **out, struct appt_err *err)
{
	struct appt_db *db = xcalloc(1, sizeof(*db));
	enum appt_status status;

	*out = NULL;
	db->path = xstrdup(path);
	db->login = os_login();
	db->lock_fd = -1;
	status = store_name_is_pg(path) ? store_pg_open(db, mode, err)
					: store_sqlite_open(db, mode, err);
	if (status) {
		free(db->path);
		free(db->login);
		free(db);
		return status;
	}
	*out = db;
	return APPT_OK;
}

struct stmt *db_prepare_cached(struct appt_db *db, const char *sql)
{
	struct db_cached_stmt *c;

	for (size_t i = 0; i < db->nr_cache; i++) {
		if (db->cache[i].sql == sql) {
			stmt_reset(db->cache[i].st);
			db->drv->clear_bindings(db->cache[i].st);
			return db->cache[i].st;
		}
	}
	ALLOC_GROW(db->cache, db->nr_cache + 1, db->alloc_cache);
	c = &db->cache[db->nr_cache++];
	c->sql = sql;
	c->st = db_prepare(db, sql);
	return c->st;
}

void db_release_stmt(struct appt_db *db, struct stmt *st)
{
	for (size_t i = 0; i < db->nr_cache; i++) {
		if (db->cache[i].st == st) {
			stmt_reset(st);
			return;
		}
	}
	stmt_finalize(st);
}

void db_close(struct appt_db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->nr_cache; i++)
		stmt_finalize(db->cache[i].st);
	free(db->cache);
	db->drv->close(db);
	free(db->path);
	free(db->login);
	free(db);
}

/* Unbalanced begins and ends are a bug in appt, never the user's. */
static void misuse(const char *what)
{
	fprintf(stderr, "appt: internal error: %s\n", what);
	abort();
}

static enum appt_status begin(struct appt_db *db, int write, struct appt_err *err)
{
	int rc;

	if (db->depth) {
		if (write && !db->writing)
			misuse("a write begun inside a read transaction");
		db->depth++;
		return APPT_OK;
	}
	rc = db->drv->exec(db, write ? db->drv->begin_write : db->drv->begin_read);
	if (rc != STORE_OK)
		return db_error(db, rc, write ? "starting a write" : "starting a read", err);
	db->depth = 1;
	db->writing = write;
	db->doomed = 0;
	return APPT_OK;
}

enum appt_status db_begin_write(struct appt_db *db, struct appt_err *err)
{
	return begin(db, 1, err);
}

enum appt_status db_begin_read(struct appt_db *db, struct appt_err *err)
{
	return begin(db, 0, err);
}

/* The store may have rolled back already (a full disk, an I/O error). */
static void rollback_outermost(struct appt_db *db)
{
	if (db->drv->in_transaction(db))
		db->drv->exec(db, "ROLLBACK");
}

enum appt_status db_finish_write(struct appt_db *db, enum appt_status status,
				 struct appt_err *err)
{
	int rc;

	if (!db->depth)
		misuse("a transaction ended that was never begun");
	if (status && !db->doomed) {
		db->doomed = 1;
		db->doom = *err;
	}
	if (--db->depth)
		return status;
	if (db->doomed) {
		rollback_outermost(db);
		return status ? status : appt_fail(err, APPT_IOERR,
						   "a change inside this one failed (%s); nothing was written",
						   db->doom.msg[0] ? db->doom.msg : "no reason given");
	}
	rc = db->drv->exec(db, "COMMIT");
	if (rc != STORE_OK) {
		status = db_error(db, rc, "committing", err);
		rollback_outermost(db);
	}
	return status;
}

enum appt_status db_commit(struct appt_db *db, struct appt_err *err)
{
	return db_finish_write(db, APPT_OK, err);
}

enum appt_status db_try_part(struct appt_db *db,
			     enum appt_status (*fn)(void *data, struct appt_err *err),
			     void *data, struct appt_err *err)
{
	int doomed = db->doomed, rc;
	struct appt_err doom = db->doom;
	enum appt_status status;

	if (!db->depth || !db->writing)
		misuse("a part of a write outside a write");
	rc = db->drv->exec(db, "SAVEPOINT appt_part");
	if (rc != STORE_OK)
		return db_error(db, rc, "starting a part of the change", err);
	status = fn(data, err);
	if (status) {
		rc = db->drv->exec(db, "ROLLBACK TO SAVEPOINT appt_part");
		/* what fn doomed is undone with it */
		db->doomed = doomed;
		db->doom = doom;
	}
	if (rc == STORE_OK)
		rc = db->drv->exec(db, "RELEASE SAVEPOINT appt_part");
	if (rc != STORE_OK) {
		db->doomed = 1;
		return db_error(db, rc, "ending a part of the change", err);
	}
	return status;
}

void db_rollback(struct appt_db *db)
{
	struct appt_err ignored = { "" };

	db_finish_write(db, APPT_REFUSED, &ignored);
}

void db_end_read(struct appt_db *db)
{
	if (!db->depth)
		misuse("a read ended that was never begun");
	if (--db->depth)
		return;
	if (db->writing)
		misuse("a write ended as a read");
	rollback_outermost(db); /* nothing to keep, and nothing lost */
}

struct stmt *db_prepare(struct appt_db *db, const char *sql)
{
	struct stmt *st;

	if (db->drv->prepare(db, sql, &st) != STORE_OK) {
		/* A statement that does not prepare is a bug in appt itself. */
		fprintf(stderr, "appt: internal error preparing SQL: %s\n%s\n",
			db->drv->errmsg(db), sql);
		abort();
	}
	return st;
}

struct stmt *db_prepare_stream(struct appt_db *db, const char *sql)
{
	struct stmt *st = db_prepare(db, sql);

	if (db->drv->stream)
		db->drv->stream(st);
	return st;
}

void db_bind_text(struct stmt *st, int idx, const char *s)
{
	st->drv->bind_text(st, idx, s);
}

char *db_column_strdup(struct stmt *st, int col)
{
	const char *s = stmt_column_text(st, col);

	return s ? xstrdup(s) : NULL;
}

const char *db_column_str(struct stmt *st, int col)
{
	const char *s = stmt_column_text(st, col);

	return s ? s : "";
}

enum appt_status db_exec_stmt(struct appt_db *db, struct stmt *st,
			      const char *doing, struct appt_err *err)
{
	int rc = stmt_step(st);

	db_release_stmt(db, st);
	if (rc != STORE_DONE)
		return db_error(db, rc, doing, err);
	return APPT_OK;
}

enum appt_status db_query_int(struct appt_db *db, struct stmt *st,
			      long long *value, const char *doing,
			      struct appt_err *err)
{
	int rc = stmt_step(st);

	if (rc == STORE_ROW)
		*value = stmt_column_int64(st, 0);
	db_release_stmt(db, st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return db_error(db, rc, doing, err);
	return APPT_OK;
}

enum appt_status db_collect_ids(struct appt_db *db, struct stmt *st, struct idlist *out,
				const char *doing, struct appt_err *err)
{
	int rc;

	while ((rc = stmt_step(st)) == STORE_ROW)
		idlist_push(out, stmt_column_int64(st, 0));
	db_release_stmt(db, st);
	if (rc != STORE_DONE)
		return db_error(db, rc, doing, err);
	return APPT_OK;
}

enum appt_status db_insert_id(struct appt_db *db, struct stmt *st, long long *id,
			      const char *doing, struct appt_err *err)
{
	*id = 0;
	return db_query_int(db, st, id, doing, err);
}
