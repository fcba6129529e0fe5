#include "store_sqlite.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct sqlite_stmt {
	struct stmt base;
	sqlite3_stmt *st;
};

static sqlite3_stmt *raw(struct stmt *st)
{
	return ((struct sqlite_stmt *)st)->st;
}

sqlite3 *store_sqlite_handle(struct appt_db *db)
{
	return db->conn;
}

static int rc_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
		return STORE_OK;
	case SQLITE_ROW:
		return STORE_ROW;
	case SQLITE_DONE:
		return STORE_DONE;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORE_BUSY;
	case SQLITE_CONSTRAINT:
		return STORE_CONSTRAINT;
	case SQLITE_NOTADB:
		return STORE_NOT_OURS;
	default:
		return STORE_ERROR;
	}
}

static int sq_exec(struct appt_db *db, const char *sql)
{
	return rc_of(sqlite3_exec(db->conn, sql, NULL, NULL, NULL));
}

static const struct store_driver sqlite_driver;

static int sq_prepare(struct appt_db *db, const char *sql, struct stmt **out)
{
	sqlite3_stmt *raw_st = NULL;
	struct sqlite_stmt *st;
	int rc = sqlite3_prepare_v2(db->conn, sql, -1, &raw_st, NULL);

	*out = NULL;
	if (rc != SQLITE_OK) {
		sqlite3_finalize(raw_st);
		return rc_of(rc);
	}
	st = xcalloc(1, sizeof(*st));
	st->base.db = db;
	st->base.drv = &sqlite_driver;
	st->st = raw_st;
	*out = &st->base;
	return STORE_OK;
}

static int sq_step(struct stmt *st)
{
	return rc_of(sqlite3_step(raw(st)));
}

static void sq_reset(struct stmt *st)
{
	sqlite3_reset(raw(st));
}

static void sq_clear_bindings(struct stmt *st)
{
	sqlite3_clear_bindings(raw(st));
}

static void sq_finalize(struct stmt *st)
{
	sqlite3_finalize(raw(st));
	free(st);
}

static void sq_bind_int64(struct stmt *st, int idx, long long v)
{
	sqlite3_bind_int64(raw(st), idx, v);
}

static void sq_bind_text(struct stmt *st, int idx, const char *s)
{
	if (s)
		sqlite3_bind_text(raw(st), idx, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(raw(st), idx);
}

static void sq_bind_null(struct stmt *st, int idx)
{
	sqlite3_bind_null(raw(st), idx);
}

static int sq_param_index(struct stmt *st, const char *name)
{
	return sqlite3_bind_parameter_index(raw(st), name);
}

static int sq_column_count(struct stmt *st)
{
	return sqlite3_column_count(raw(st));
}

static const char *sq_column_name(struct stmt *st, int col)
{
	return sqlite3_column_name(raw(st), col);
}

static int sq_column_is_int(struct stmt *st, int col)
{
	return sqlite3_column_type(raw(st), col) == SQLITE_INTEGER;
}

static int sq_column_is_null(struct stmt *st, int col)
{
	return sqlite3_column_type(raw(st), col) == SQLITE_NULL;
}

static long long sq_column_int64(struct stmt *st, int col)
{
	return sqlite3_column_int64(raw(st), col);
}

static const char *sq_column_text(struct stmt *st, int col)
{
	return (const char *)sqlite3_column_text(raw(st), col);
}

static long long sq_changes(struct appt_db *db)
{
	return sqlite3_changes(db->conn);
}

static const char *sq_errmsg(struct appt_db *db)
{
	return sqlite3_errmsg(db->conn);
}

static int sq_in_transaction(struct appt_db *db)
{
	return !sqlite3_get_autocommit(db->conn);
}

/* A file has no connection to lose. */
static int sq_alive(struct appt_db *db)
{
	return 1;
}

/* A file beside the database: flock dies with the process, as it must. */
static int sq_try_lock(struct appt_db *db, const char *name)
{
	char *path;

	if (db->lock_fd < 0) {
		path = xasprintf("%s.%s-lock", db->path, name);
		db->lock_fd = open_private_file(path, O_RDWR | O_CREAT);
		free(path);
		if (db->lock_fd < 0)
			return -1;
	}
	return !flock(db->lock_fd, LOCK_EX | LOCK_NB);
}

static void sq_unlock(struct appt_db *db)
{
	if (db->lock_fd >= 0)
		close(db->lock_fd);
	db->lock_fd = -1;
}

static int sq_configure(struct appt_db *db)
{
	/* journal_mode needs the lock briefly; the busy timeout covers it. */
	int rc = sq_exec(db, "PRAGMA journal_mode=WAL");

	return rc ? rc : sq_exec(db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON");
}

static void sq_close(struct appt_db *db)
{
	sq_unlock(db);
	sqlite3_close_v2(db->conn);
}

static const struct store_driver sqlite_driver = {
	.name = "SQLite",
	.dialect = DIALECT_SQLITE,
	.begin_write = "BEGIN IMMEDIATE",
	.begin_read = "BEGIN DEFERRED",
	.durable_off = "PRAGMA synchronous = NORMAL",
	.durable_on = "PRAGMA synchronous = FULL",
	.cache_size = "PRAGMA cache_size = -",
	/* SQLite clamps it to what it was built to allow (Debian's: 2 GiB) */
	.map_whole = "PRAGMA mmap_size = 1099511627776",
	.configure = sq_configure,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.step = sq_step,
	.reset = sq_reset,
	.clear_bindings = sq_clear_bindings,
	.finalize = sq_finalize,
	.bind_int64 = sq_bind_int64,
	.bind_text = sq_bind_text,
	.bind_null = sq_bind_null,
	.param_index = sq_param_index,
	.column_count = sq_column_count,
	.column_name = sq_column_name,
	.column_is_int = sq_column_is_int,
	.column_is_null = sq_column_is_null,
	.column_int64 = sq_column_int64,
	.column_text = sq_column_text,
	.changes = sq_changes,
	.errmsg = sq_errmsg,
	.in_transaction = sq_in_transaction,
	.alive = sq_alive,
	.try_lock = sq_try_lock,
	.unlock = sq_unlock,
};

/* mkdir -p for the directory holding path, 0700 for what it creates. */
static int make_parent_dirs(const char *path)
{
	char *dir = xstrdup(path);
	int rc = 0;

	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	free(dir);
	return rc;
}

/*
 * Creating the file ourselves, before SQLite does, is what makes it 0600
 * whatever the umask (SQLite would create it 0644), and never through a
 * symbolic link planted at the name.
 */
static enum appt_status create_file(const char *path, struct appt_err *err)
{
	int fd;

	if (make_parent_dirs(path))
		return appt_fail(err, APPT_IOERR, "cannot create the directory of '%s': %s",
				 path, strerror(errno));
	fd = open_private_file(path, O_RDWR | O_CREAT);
	if (fd < 0)
		return appt_fail(err, APPT_IOERR, "cannot create '%s': %s", path,
				 open_private_error(errno));
	close(fd);
	return APPT_OK;
}

static enum appt_status check_file(const char *path, enum db_open_mode mode,
				   struct appt_err *err)
{
	struct stat st;

	if (stat(path, &st)) {
		if (mode == DB_OPEN_EXISTING)
			return appt_fail(err, APPT_NOINPUT,
					 "no database at '%s' (run 'appt init' to create it)", path);
		return create_file(path, err);
	}
	if (!S_ISREG(st.st_mode))
		return appt_fail(err, APPT_NOINPUT, "'%s' is not a database file", path);
	return APPT_OK;
}

enum appt_status store_sqlite_open(struct appt_db *db, enum db_open_mode mode,
				   struct appt_err *err)
{
	sqlite3 *handle = NULL;
	enum appt_status status = check_file(db->path, mode, err);
	int rc;

	if (status)
		return status;
	/*
	 * SQLite allocates and frees 100 KiB or so of scratch memory for
	 * some statements on every run (a temporary b-tree for an IN list of
	 * constants, a sorter); glibc's default 128 KiB trim threshold then
	 * shrinks and regrows the heap with brk around each run, faulting its
	 * pages in anew.
	 */
	mallopt(M_TRIM_THRESHOLD, 16 << 20);
	mallopt(M_TOP_PAD, 1 << 20);
	/* Commands are single-threaded: no need for SQLite's per-call mutexes. */
	rc = sqlite3_open_v2(db->path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		status = appt_fail(err, APPT_IOERR, "database error while opening the database: %s",
				   handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc));
		sqlite3_close_v2(handle);
		return status;
	}
	sqlite3_extended_result_codes(handle, 1);
	sqlite3_busy_timeout(handle, store_busy_timeout_ms());
	db->conn = handle;
	db->drv = &sqlite_driver;
	return APPT_OK;
}
