#include "db.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
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
	int primary = rc & 0xff;

	if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
		return appt_fail(err, APPT_TEMPFAIL,
				 "database '%s' stayed busy while %s; retry later",
				 db->path, doing);
	return appt_fail(err, APPT_IOERR, "database error while %s: %s", doing,
			 db->handle ? sqlite3_errmsg(db->handle) : sqlite3_errstr(rc));
}

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

static enum appt_status exec_sql(struct appt_db *db, const char *sql,
				 const char *doing, struct appt_err *err)
{
	int rc = sqlite3_exec(db->handle, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? APPT_OK : db_error(db, rc, doing, err);
}

int db_file_version(struct appt_db *db)
{
	sqlite3_stmt *st = db_prepare(db, "PRAGMA user_version");
	int version = 0;

	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return version;
}

static int busy_timeout_ms(void)
{
	const char *env = getenv("APPT_BUSY_TIMEOUT_MS");
	int ms = env ? atoi(env) : 0;

	return ms > 0 ? ms : DB_BUSY_TIMEOUT_MS;
}

enum appt_status db_configure(struct appt_db *db, struct appt_err *err)
{
	enum appt_status status;

	/* journal_mode needs the lock briefly; the busy timeout covers it. */
	status = exec_sql(db, "PRAGMA journal_mode=WAL", "enabling WAL", err);
	if (!status)
		status = exec_sql(db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON",
				  "setting pragmas", err);
	return status;
}

/*
 * appt init sets up a new database only at a real path: a symbolic link
 * planted there would have it write into whatever empty file the link
 * names.  (SQLite itself refuses links in place of its -wal and -shm.)
 */
enum appt_status db_refuse_link(struct appt_db *db, struct appt_err *err)
{
	struct stat st;

	if (lstat(db->path, &st) || !S_ISLNK(st.st_mode))
		return APPT_OK;
	return appt_fail(err, APPT_IOERR, "cannot create '%s': %s", db->path,
			 open_private_error(ELOOP));
}

enum appt_status db_open(const char *path, enum db_open_mode mode,
			 struct appt_db **out, struct appt_err *err)
{
	struct appt_db *db;
	enum appt_status status;
	struct stat st;
	int rc;

	*out = NULL;
	if (stat(path, &st)) {
		if (mode == DB_OPEN_EXISTING)
			return appt_fail(err, APPT_NOINPUT,
					 "no database at '%s' (run 'appt init' to create it)", path);
		status = create_file(path, err);
		if (status)
			return status;
	} else if (!S_ISREG(st.st_mode)) {
		return appt_fail(err, APPT_NOINPUT, "'%s' is not a database file", path);
	}

	/*
	 * SQLite allocates and frees 100 KiB or so of scratch memory for
	 * some statements on every run (a temporary b-tree for an IN list of
	 * constants, a sorter); glibc's default 128 KiB trim threshold then
	 * shrinks and regrows the heap with brk around each run, faulting its
	 * pages in anew.
	 */
	mallopt(M_TRIM_THRESHOLD, 16 << 20);
	mallopt(M_TOP_PAD, 1 << 20);
	db = xcalloc(1, sizeof(*db));
	db->path = xstrdup(path);
	db->login = os_login();
	/* Commands are single-threaded: no need for SQLite's per-call mutexes. */
	rc = sqlite3_open_v2(path, &db->handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		status = db_error(db, rc, "opening the database", err);
		db_close(db);
		return status;
	}
	sqlite3_extended_result_codes(db->handle, 1);
	sqlite3_busy_timeout(db->handle, busy_timeout_ms());
	*out = db;
	return APPT_OK;
}

sqlite3_stmt *db_prepare_cached(struct appt_db *db, const char *sql)
{
	struct db_cached_stmt *c;

	for (size_t i = 0; i < db->nr_cache; i++) {
		if (db->cache[i].sql == sql) {
			sqlite3_reset(db->cache[i].st);
			sqlite3_clear_bindings(db->cache[i].st);
			return db->cache[i].st;
		}
	}
	ALLOC_GROW(db->cache, db->nr_cache + 1, db->alloc_cache);
	c = &db->cache[db->nr_cache++];
	c->sql = sql;
	c->st = db_prepare(db, sql);
	return c->st;
}

void db_release_stmt(struct appt_db *db, sqlite3_stmt *st)
{
	for (size_t i = 0; i < db->nr_cache; i++) {
		if (db->cache[i].st == st) {
			sqlite3_reset(st);
			return;
		}
	}
	sqlite3_finalize(st);
}

void db_close(struct appt_db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->nr_cache; i++)
		sqlite3_finalize(db->cache[i].st);
	free(db->cache);
	sqlite3_close_v2(db->handle);
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
	rc = sqlite3_exec(db->handle, write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED",
			  NULL, NULL, NULL);
	if (rc != SQLITE_OK)
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

/* SQLite may have rolled back already (a full disk, an I/O error). */
static void rollback_outermost(struct appt_db *db)
{
	if (sqlite3_get_autocommit(db->handle) == 0)
		sqlite3_exec(db->handle, "ROLLBACK", NULL, NULL, NULL);
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
	rc = sqlite3_exec(db->handle, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		status = db_error(db, rc, "committing", err);
		rollback_outermost(db);
	}
	return status;
}

enum appt_status db_commit(struct appt_db *db, struct appt_err *err)
{
	return db_finish_write(db, APPT_OK, err);
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

sqlite3_stmt *db_prepare(struct appt_db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->handle, sql, -1, &st, NULL);

	if (rc != SQLITE_OK) {
		/* A statement that does not prepare is a bug in appt itself. */
		fprintf(stderr, "appt: internal error preparing SQL: %s\n%s\n",
			sqlite3_errmsg(db->handle), sql);
		abort();
	}
	return st;
}

void db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	if (s)
		sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, idx);
}

char *db_column_strdup(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? xstrdup((const char *)s) : NULL;
}

const char *db_column_str(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? (const char *)s : "";
}

enum appt_status db_exec_stmt(struct appt_db *db, sqlite3_stmt *st,
			      const char *doing, struct appt_err *err)
{
	int rc = sqlite3_step(st);

	db_release_stmt(db, st);
	if (rc != SQLITE_DONE)
		return db_error(db, rc, doing, err);
	return APPT_OK;
}

enum appt_status db_query_int(struct appt_db *db, sqlite3_stmt *st,
			      long long *value, const char *doing,
			      struct appt_err *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		*value = sqlite3_column_int64(st, 0);
	db_release_stmt(db, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(db, rc, doing, err);
	return APPT_OK;
}
