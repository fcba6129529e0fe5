/*
 * dbcopy: a whole appointment book from one store to another (SQLite to
 * PostgreSQL when a business outgrows one desk, or back), in one
 * transaction on the target, read from one snapshot of the source, and
 * checked table by table: the rows counted and digested on both sides
 * after the copy must agree, or nothing is kept.
 */
#ifndef APPT_DBCOPY_H
#define APPT_DBCOPY_H

#include "db.h"

/* What one table's copy came to. */
struct dbcopy_table {
	const char *name;
	long long rows;
	unsigned long long digest; /* FNV-1a over every value, in id order */
};

/*
 * Copies every table of from into to, which must hold no appointment book
 * yet (an empty database with appt's schema: APPT_REFUSED otherwise).
 * Ids are kept, so every reference and every audit event still points at
 * its row.  fn is called once per table, after the check passed.
 */
enum appt_status dbcopy_run(struct appt_db *from, struct appt_db *to,
			    void (*fn)(const struct dbcopy_table *t, void *data),
			    void *data, struct appt_err *err);

#endif
