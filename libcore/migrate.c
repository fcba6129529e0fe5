#include "migrate.h"

#include <stdio.h>
#include <stdlib.h>

#include "schema.h"

static enum appt_status exec_sql(struct appt_db *db, const char *sql,
				 struct appt_err *err)
{
	int rc = sqlite3_exec(db->handle, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? APPT_OK : db_error(db, rc, "migrating the schema", err);
}

static enum appt_status set_int_pragma(struct appt_db *db, const char *name,
				       long long value, struct appt_err *err)
{
	char sql[80];

	snprintf(sql, sizeof(sql), "PRAGMA %s = %lld", name, value);
	return exec_sql(db, sql, err);
}

/* A file appt did not make, or edited by hand, is left alone. */
static enum appt_status apply_edit(struct appt_db *db, const struct schema_edit *e,
				   struct appt_err *err)
{
	sqlite3_stmt *st = db_prepare(db,
		"UPDATE sqlite_schema SET sql = replace(sql, ?2, ?3)"
		" WHERE type = 'table' AND name = ?1 AND instr(sql, ?2) > 0");
	enum appt_status status;

	db_bind_text(st, 1, e->table);
	db_bind_text(st, 2, e->from);
	db_bind_text(st, 3, e->to);
	status = db_exec_stmt(db, st, "migrating the schema", err);
	if (!status && sqlite3_changes(db->handle) != 1)
		status = appt_fail(err, APPT_IOERR,
				   "database '%s': table %s has no '%s'; its schema is not one appt made",
				   db->path, e->table, e->from);
	return status;
}

/*
 * The procedure of SQLite's "ALTER TABLE" page for changes that leave the
 * stored rows as they are: edit the text, then bump schema_version so that
 * every connection reads the schema again.
 */
static enum appt_status apply_edits(struct appt_db *db, const struct schema_step *step,
				    struct appt_err *err)
{
	long long version = 0;
	sqlite3_stmt *st = db_prepare(db, "PRAGMA schema_version");
	enum appt_status status = db_query_int(db, st, &version, "migrating the schema", err);
	int defensive = 0;

	/* A build that defends its schema by default would refuse the edit. */
	sqlite3_db_config(db->handle, SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive);
	sqlite3_db_config(db->handle, SQLITE_DBCONFIG_DEFENSIVE, 0, (int *)NULL);
	if (!status)
		status = exec_sql(db, "PRAGMA writable_schema = ON", err);
	for (size_t i = 0; !status && i < step->nr_edits; i++)
		status = apply_edit(db, &step->edits[i], err);
	if (!status)
		status = set_int_pragma(db, "schema_version", version + 1, err);
	sqlite3_exec(db->handle, "PRAGMA writable_schema = OFF", NULL, NULL, NULL);
	sqlite3_db_config(db->handle, SQLITE_DBCONFIG_DEFENSIVE, defensive, (int *)NULL);
	/* Reading the schema again proves the edited text still parses. */
	if (!status)
		status = exec_sql(db, "SELECT count(*) FROM sqlite_schema", err);
	return status;
}

static enum appt_status apply_step(struct appt_db *db, const struct schema_step *step,
				   struct appt_err *err)
{
	enum appt_status status = APPT_OK;

	if (step->sql)
		status = exec_sql(db, step->sql, err);
	if (!status && step->nr_edits)
		status = apply_edits(db, step, err);
	return status;
}

/*
 * What a file holds, read in one statement that a file that is not SQLite
 * fails to prepare.  appt's own tables are those every version since 1 has.
 */
static const char kind_sql[] =
	"SELECT (SELECT user_version FROM pragma_user_version), count(*),"
	" coalesce(sum(name IN ('clients', 'client_notes', 'appointments', 'blocks',"
	"  'charges', 'events')), 0),"
	" (SELECT group_concat(name, ', ') FROM (SELECT name FROM sqlite_schema"
	"  WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_' ORDER BY name LIMIT 3))"
	" FROM sqlite_schema WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_'";

#define APPT_TABLES 6

struct file_kind {
	int version;
	int tables;  /* tables of its own, SQLite's aside */
	int ours;    /* of appt's first tables, how many it has */
	char *some;  /* a few of its table names, for a refusal */
};

static enum appt_status read_kind(struct appt_db *db, struct file_kind *k,
				  struct appt_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->handle, kind_sql, -1, &st, NULL);

	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		k->version = sqlite3_column_int(st, 0);
		k->tables = sqlite3_column_int(st, 1);
		k->ours = sqlite3_column_int(st, 2);
		k->some = db_column_strdup(st, 3);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if ((rc & 0xff) == SQLITE_NOTADB)
		return appt_fail(err, APPT_IOERR, "'%s' is not an appt database: it is not an SQLite file",
				 db->path);
	return rc == SQLITE_OK ? APPT_OK : db_error(db, rc, "reading the database", err);
}

static enum appt_status refuse_foreign(struct appt_db *db, const struct file_kind *k,
				       enum db_open_mode mode, struct appt_err *err)
{
	return appt_fail(err, APPT_IOERR,
			 "'%s' is not an appt database: it holds another program's tables (%s%s)%s",
			 db->path, k->some ? k->some : "", k->tables > 3 ? ", ..." : "",
			 mode == DB_OPEN_CREATE ? "; appt init sets up only an empty file" : "");
}

static enum appt_status judge_kind(struct appt_db *db, const struct file_kind *k,
				   enum db_open_mode mode, struct appt_err *err)
{
	if (k->version < 0)
		return appt_fail(err, APPT_IOERR, "database '%s' has schema version %d, which appt never made",
				 db->path, k->version);
	if (k->version > SCHEMA_VERSION)
		return appt_fail(err, APPT_IOERR,
				 "database '%s' has schema version %d, newer than this appt (%d); upgrade appt",
				 db->path, k->version, SCHEMA_VERSION);
	if (k->tables && (!k->version || k->ours < APPT_TABLES))
		return refuse_foreign(db, k, mode, err);
	if (k->version == SCHEMA_VERSION || mode == DB_OPEN_CREATE)
		return APPT_OK;
	if (!k->version)
		return appt_fail(err, APPT_IOERR, "'%s' is not an appt database (run 'appt init' to set it up)",
				 db->path);
	if (mode == DB_OPEN_ANY_VERSION)
		return APPT_OK;
	return appt_fail(err, APPT_IOERR,
			 "database '%s' has schema version %d, older than this appt (%d); "
			 "run 'appt init' to migrate it", db->path, k->version, SCHEMA_VERSION);
}

enum appt_status migrate_check(struct appt_db *db, enum db_open_mode mode,
			       int *version, struct appt_err *err)
{
	struct file_kind k = { 0 };
	enum appt_status status = read_kind(db, &k, err);

	if (!status)
		status = judge_kind(db, &k, mode, err);
	*version = k.version;
	free(k.some);
	return status;
}

enum appt_status migrate_schema(struct appt_db *db, struct appt_err *err)
{
	enum appt_status status;
	int version;

	/* A current file needs no write lock: most commands only read. */
	if (db_file_version(db) == SCHEMA_VERSION)
		return APPT_OK;
	if ((status = db_begin_write(db, err)))
		return status;
	/* Another process may have migrated while we waited for the lock. */
	for (version = db_file_version(db); !status && version < SCHEMA_VERSION; version++) {
		status = apply_step(db, &schema_steps[version], err);
		if (!status)
			status = set_int_pragma(db, "user_version", version + 1, err);
	}
	return db_finish_write(db, status, err);
}
