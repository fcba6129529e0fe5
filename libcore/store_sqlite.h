/*
 * store_sqlite: the SQLite driver behind store.h, and what only SQLite has
 * (its handle, for the online backup API and SQL functions written in C).
 */
#ifndef APPT_STORE_SQLITE_H
#define APPT_STORE_SQLITE_H

#include <sqlite3.h>

#include "store.h"

/*
 * Opens db->path as an SQLite file (see db_open), creating it 0600 for
 * DB_OPEN_CREATE.
 */
enum appt_status store_sqlite_open(struct appt_db *db, enum db_open_mode mode,
				   struct appt_err *err);

/* The SQLite handle of a database db_open opened as a file. */
sqlite3 *store_sqlite_handle(struct appt_db *db);

#endif
