/*
 * migrate: tells this appt's database from any other file, and brings an
 * empty or older one to this appt's schema version, one step of schema.h
 * at a time, all in one write transaction.
 */
#ifndef APPT_MIGRATE_H
#define APPT_MIGRATE_H

#include "db.h"

/*
 * Reads, and never writes, what the file is.  Refused with APPT_IOERR: a
 * file that is not SQLite, one holding another program's tables, a schema
 * newer than this appt or one it never made; unless mode is
 * DB_OPEN_CREATE (appt init), an empty file ("run 'appt init'"); and for
 * DB_OPEN_EXISTING an older schema ("run 'appt init' to migrate it").
 * Only appt init adds tables, so that no command turns an empty file or a
 * bookmarks database into an appointment book by being pointed at it.
 * *version is the file's schema version, 0 for an empty file.
 */
enum appt_status migrate_check(struct appt_db *db, enum db_open_mode mode,
			       int *version, struct appt_err *err);

/* The database's schema version, 0 for one that keeps none (empty). */
int migrate_version(struct appt_db *db);

/* Brings a file migrate_check accepted to the current version, if older. */
enum appt_status migrate_schema(struct appt_db *db, struct appt_err *err);

#endif
