/*
 * report_sql: reports that are one or more SELECTs.  A report describes its
 * columns once (name, JSON type, how the SQL value becomes a cell) and gives
 * its statements; report_query_run binds the period, the filters and the
 * policies by name, streams every statement's rows into one output table and
 * reads them all in one transaction, so the sections of a report agree.
 *
 * Parameters a statement may name (unused ones are simply not bound):
 *   :from :to      the period, [from, to) as UTC seconds
 *   :now           the session's clock
 *   :provider      --provider (NULL when not given)
 *   :client        --client's id (0 when not given)
 *   :since         now less policies.noshow.window
 *   :warn :block   policies.noshow.warn_after / block_after (0: never)
 *   :deadline      policies.confirmation.deadline, seconds (0: none)
 */
#ifndef APPT_REPORT_SQL_H
#define APPT_REPORT_SQL_H

#include "report.h"

/* The WHERE pieces every statement repeats; t is a table alias. */
#define SQL_PERIOD(col) " " col " >= :from AND " col " < :to"
#define SQL_PROVIDER(t) " AND (:provider IS NULL OR " t ".provider = :provider)"
#define SQL_CLIENT(col) " AND (:client = 0 OR " col " = :client)"
/*
 * num / den as text with one decimal, rounded half up in integer arithmetic
 * so that a rate is exact ("66.7", "12.5"); both must be integer SQL.
 */
#define SQL_DECIMAL1(num, den)                                               \
	"printf('%.1f', (CAST(" num " AS BIGINT) * 20 + CAST(" den " AS BIGINT))" \
	" / (2 * CAST(" den " AS BIGINT)) / 10.0)"
/* --provider and --client on appointments a. */
#define SQL_FILTERS SQL_PROVIDER("a") SQL_CLIENT("a.client_id")
/* Appointments a with their clients c. */
#define SQL_APPOINTMENTS_WHERE \
	" FROM appointments a JOIN clients c ON c.id = a.client_id WHERE"

enum cell_kind {
	CELL_PLAIN, /* the SQL value as text; NULL stays empty / null */
	CELL_TIME,  /* an instant: "2027-03-02 10:30" in tables, ISO 8601 otherwise */
	CELL_CLOCK, /* an instant: "10:30" in tables, ISO 8601 otherwise */
	CELL_DATE,  /* an instant: its business date */
	CELL_MONEY, /* cents: "25.00" */
};

enum column_flags {
	COLF_TABLE_ONLY = 1, /* CSV and JSON have the same in another column */
	COLF_MULTIDAY = 2,   /* shown only when the period is longer than a day */
	COLF_SHRINK = 4,     /* free text a table may shorten (output.h's FIT_SHRINK) */
	COLF_DATA_ONLY = 8,  /* CSV and JSON only: in a table another column says it */
};

/* The SQL's result column i fills report column i. */
struct report_column {
	const char *name;
	enum column_type type;
	enum cell_kind kind;
	unsigned flags;
};

enum query_flags {
	/* --client without --from/--to: the client's whole history. */
	QUERY_CLIENT_ALL_TIME = 1,
};

#define REPORT_MAX_COLUMNS 16

struct report_query {
	const struct report_column *cols;
	size_t ncols;              /* at most REPORT_MAX_COLUMNS (SQL_REPORT checks) */
	const char *const *sql;    /* NULL-terminated, run in order */
	unsigned flags;
};

enum appt_status report_query_run(struct appt_session *s,
				  const struct report_args *a,
				  const struct report_query *q,
				  struct appt_err *err);

/* Starts the read transaction a report runs in, with a cache sized for it. */
enum appt_status report_read_begin(struct appt_db *db, struct appt_err *err);

/* Whether [a->from, a->to) covers more than one business date. */
int report_multiday(const struct report_args *a);

/* Columns by what they hold. */
#define RC_TEXT(name) { name, COL_TEXT, CELL_PLAIN, 0 }
/* Free text (names, notes, reasons, message text): a table may shorten it. */
#define RC_LONG_TEXT(name) { name, COL_TEXT, CELL_PLAIN, COLF_SHRINK }
/* A flag the table's state column already shows ("confirmed"). */
#define RC_DATA_BOOL(name) { name, COL_BOOL, CELL_PLAIN, COLF_DATA_ONLY }
#define RC_INT(name) { name, COL_INT, CELL_PLAIN, 0 }
#define RC_BOOL(name) { name, COL_BOOL, CELL_PLAIN, 0 }
/* A decimal the SQL formatted ("40.0"): a number in JSON, never neutralised. */
#define RC_DECIMAL(name) { name, COL_RAW, CELL_PLAIN, 0 }
#define RC_TIME(name) { name, COL_TEXT, CELL_TIME, 0 }
#define RC_CLOCK(name) { name, COL_TEXT, CELL_CLOCK, 0 }
#define RC_MONEY(name) { name, COL_MONEY, CELL_MONEY, 0 }
/* The date of an instant, for tables spanning days (CSV/JSON have it in ISO). */
#define RC_TABLE_DATE(name) { name, COL_TEXT, CELL_DATE, COLF_TABLE_ONLY | COLF_MULTIDAY }

/* Defines the report function fn running statements sql into columns cols. */
#define SQL_REPORT(fn, cols, sql, fl)                                        \
	REPORT_FN(fn)                                                        \
	{                                                                    \
		static const struct report_query q = {                       \
			cols, sizeof(cols) / sizeof(cols[0]), sql, fl };     \
		_Static_assert(sizeof(cols) / sizeof(cols[0]) <=             \
			       REPORT_MAX_COLUMNS, "too many columns");      \
		return report_query_run(s, a, &q, err);                      \
	}

#endif
