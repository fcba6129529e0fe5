/*
 * backup: a consistent copy of the live database, taken online with
 * SQLite's backup API while other commands go on reading and writing.
 *
 * The copy is written to a temporary file (mode 0600) beside the target,
 * checked with PRAGMA integrity_check, synced, and only then renamed into
 * place: a failed or interrupted backup never leaves a half-written file
 * under the target's name, and never replaces a good older backup.
 */
#ifndef APPT_BACKUP_H
#define APPT_BACKUP_H

#include "db.h"
#include "util.h"

struct backup_result {
	int pages; /* database pages copied */
};

/*
 * Copies db to target.  An existing target is APPT_REFUSED unless force; the
 * database file itself is always refused.  A target that cannot be written
 * (missing or read-only directory) is APPT_IOERR; a database that stays
 * locked past the busy timeout is APPT_TEMPFAIL.  A PostgreSQL database is
 * APPT_REFUSED: its server's own pg_dump is the tool that copies it whole.
 */
enum appt_status backup_write(struct appt_db *db, const char *target, int force,
			      struct backup_result *res, struct appt_err *err);

#endif
