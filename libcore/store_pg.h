/*
 * store_pg: the PostgreSQL driver behind store.h, on libpq.
 *
 * A statement's text is appt's one text, with SQLite's parameters (?NNN,
 * ? and :name); the driver numbers them $1.. for libpq and sends each
 * integer as int8 and each string as text.  A statement runs at its first
 * step and its rows are read from the result.
 */
#ifndef APPT_STORE_PG_H
#define APPT_STORE_PG_H

#include "store.h"

/*
 * Connects to the database db->path names (a libpq URI).  The database
 * must exist: appt init builds appt's schema in it, never the database.
 * A password in the URI is masked in db->path, which messages show.
 */
enum appt_status store_pg_open(struct appt_db *db, enum db_open_mode mode,
			       struct appt_err *err);

/* The role that connected (session_user): the actor of every event. */
char *store_pg_session_user(struct appt_db *db);

#endif
