/*
 * migrate: brings a database file to this appt's schema version, one step
 * of schema.h at a time, all in one write transaction.
 */
#ifndef APPT_MIGRATE_H
#define APPT_MIGRATE_H

#include "db.h"

/* Refuses a file newer than this appt; a no-op on a current one. */
enum appt_status migrate_schema(struct appt_db *db, struct appt_err *err);

#endif
