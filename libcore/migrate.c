#include "migrate.h"

#include <stdio.h>
#include <stdlib.h>

#include "schema.h"
#include "schema_pg.h"
#include "store_sqlite.h"

static enum appt_status exec_sql(struct appt_db *db, const char *sql,
				 struct appt_err *err)
{
	return db_exec(db, sql, "migrating the schema", err);
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
	struct stmt *st = db_prepare(db,
		"UPDATE sqlite_schema SET sql = replace(sql, ?2, ?3)"
		" WHERE type = 'table' AND name = ?1 AND instr(sql, ?2) > 0");
	enum appt_status status;

	db_bind_text(st, 1, e->table);
	db_bind_text(st, 2, e->from);
	db_bind_text(st, 3, e->to);
	status = db_exec_stmt(db, st, "migrating the schema", err);
	if (!status && db_changes(db) != 1)
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
	struct stmt *st = db_prepare(db, "PRAGMA schema_version");
	enum appt_status status = db_query_int(db, st, &version, "migrating the schema", err);
	int defensive = 0;

	/* A build that defends its schema by default would refuse the edit. */
	sqlite3_db_config(store_sqlite_handle(db), SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive);
	sqlite3_db_config(store_sqlite_handle(db), SQLITE_DBCONFIG_DEFENSIVE, 0, (int *)NULL);
	if (!status)
		status = exec_sql(db, "PRAGMA writable_schema = ON", err);
	for (size_t i = 0; !status && i < step->nr_edits; i++)
		status = apply_edit(db, &step->edits[i], err);
	if (!status)
		status = set_int_pragma(db, "schema_version", version + 1, err);
	db_exec(db, "PRAGMA writable_schema = OFF", "migrating the schema", &(struct appt_err){ "" });
	sqlite3_db_config(store_sqlite_handle(db), SQLITE_DBCONFIG_DEFENSIVE, defensive, (int *)NULL);
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
 * How each store keeps appt's schema.  Both count versions alike; a store
 * that came later starts an empty database at the version it first shipped
 * with (base), built in one step, and takes every step after it.
 */
struct store_schema {
	/*
	 * What a database holds, in one statement that a file which is not
	 * SQLite fails to prepare: whether it keeps a version at all, how many
	 * tables of its own it has, how many of appt's first tables, and a
	 * few names.  appt's own tables are those every version since 1 has.
	 */
	const char *kind_sql;
	const char *versioned_sql; /* 1 if it keeps a version: kind_sql's first column */
	const char *version_sql;  /* the version, one integer */
	const char *set_version;  /* stores it: the text before the number */
	int base;
	const char *base_sql;     /* builds version base from nothing (NULL: base is 0) */
	const struct schema_step *steps; /* steps[v - base] moves v to v + 1 */
};

#define APPT_FIRST_TABLES "'clients', 'client_notes', 'appointments', 'blocks', 'charges', 'events'"

#define PG_VERSIONED "SELECT count(*) FROM pg_tables" \
	" WHERE schemaname = current_schema() AND tablename = 'appt_schema'"

static const struct store_schema schemas[NR_DIALECTS] = {
	[DIALECT_SQLITE] = {
		"SELECT 1, count(*),"
		" coalesce(sum(name IN (" APPT_FIRST_TABLES ")), 0),"
		" (SELECT group_concat(name, ', ') FROM (SELECT name FROM sqlite_schema"
		"  WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_' ORDER BY name LIMIT 3))"
		" FROM sqlite_schema WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_'",
		"SELECT 1",
		"PRAGMA user_version",
		"PRAGMA user_version = ",
		0, NULL, schema_steps,
	},
	[DIALECT_PG] = {
		"SELECT (" PG_VERSIONED "), count(*),"
		" coalesce(sum(CASE WHEN tablename IN (" APPT_FIRST_TABLES ") THEN 1 ELSE 0 END), 0),"
		" (SELECT string_agg(tablename::text, ', ') FROM (SELECT tablename"
		"  FROM pg_tables WHERE schemaname = current_schema()"
		"  AND tablename <> 'appt_schema' ORDER BY tablename LIMIT 3) t)"
		" FROM pg_tables WHERE schemaname = current_schema()"
		" AND tablename <> 'appt_schema'",
		PG_VERSIONED,
		"SELECT version FROM appt_schema",
		"UPDATE appt_schema SET version = ",
		SCHEMA_PG_BASE, schema_pg_base, schema_pg_steps,
	},
};

static const struct store_schema *schema_of(struct appt_db *db)
{
	return &schemas[db_dialect(db)];
}

int migrate_version(struct appt_db *db)
{
	struct appt_err ignored = { "" };
	long long versioned = 0, version = 0;

	db_query_int(db, db_prepare(db, schema_of(db)->versioned_sql), &versioned,
		     "reading the schema version", &ignored);
	if (versioned)
		db_query_int(db, db_prepare(db, schema_of(db)->version_sql), &version,
			     "reading the schema version", &ignored);
	return (int)version;
}

static enum appt_status set_version(struct appt_db *db, int version, struct appt_err *err)
{
	char sql[80];

	snprintf(sql, sizeof(sql), "%s%d", schema_of(db)->set_version, version);
	return exec_sql(db, sql, err);
}

struct file_kind {
	int version;
	int tables;  /* tables of its own, the store's aside */
	int ours;    /* of appt's first tables, how many it has */
	char *some;  /* a few of its table names, for a refusal */
};

#define APPT_TABLES 6

static enum appt_status read_kind(struct appt_db *db, struct file_kind *k,
				  struct appt_err *err)
{
	struct stmt *st = NULL;
	int rc = db->drv->prepare(db, schema_of(db)->kind_sql, &st);
	int versioned = 0;

	if (rc == STORE_OK && (rc = stmt_step(st)) == STORE_ROW) {
		versioned = stmt_column_int(st, 0);
		k->tables = stmt_column_int(st, 1);
		k->ours = stmt_column_int(st, 2);
		k->some = db_column_strdup(st, 3);
		rc = STORE_OK;
	}
	stmt_finalize(st);
	if (rc == STORE_NOT_OURS)
		return appt_fail(err, APPT_IOERR, "'%s' is not an appt database: it is not an SQLite file",
				 db->path);
	if (rc != STORE_OK)
		return db_error(db, rc, "reading the database", err);
	k->version = versioned ? migrate_version(db) : 0;
	return APPT_OK;
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
	if (k->version < 0 || (k->version && k->version < schema_of(db)->base))
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

static enum appt_status apply_base(struct appt_db *db, struct appt_err *err)
{
	const struct store_schema *sc = schema_of(db);
	enum appt_status status = exec_sql(db, sc->base_sql, err);

	return status ? status : set_version(db, sc->base, err);
}

enum appt_status migrate_schema(struct appt_db *db, struct appt_err *err)
{
	const struct store_schema *sc = schema_of(db);
	enum appt_status status;
	int version;

	/* A current database needs no write lock: most commands only read. */
	if (migrate_version(db) == SCHEMA_VERSION)
		return APPT_OK;
	if ((status = db_begin_write(db, err)))
		return status;
	/* Another process may have migrated while we waited for the lock. */
	version = migrate_version(db);
	if (!version && sc->base_sql) {
		status = apply_base(db, err);
		version = sc->base;
	}
	for (; !status && version < SCHEMA_VERSION; version++) {
		status = apply_step(db, &sc->steps[version - sc->base], err);
		if (!status)
			status = set_version(db, version + 1, err);
	}
	return db_finish_write(db, status, err);
}
