/*
 * report: the named reports of `appt report NAME`.  Each report is one entry
 * of report_table (report.c) pointing at a function in its own file
 * (report_<group>.c); the function reads the database and writes rows through
 * output.h in the requested format, so every report speaks table, CSV and
 * JSON alike.
 */
#ifndef APPT_REPORT_H
#define APPT_REPORT_H

#include <stdio.h>
#include <time.h>

#include "output.h"
#include "session.h"
#include "util.h"

struct report_args {
	time_t from;          /* first instant included (start of --from's day) */
	time_t to;            /* first instant excluded (end of --to's day) */
	int period_given;     /* --from or --to was on the command line */
	const char *provider; /* NULL: all providers */
	long long client_id;  /* 0: all clients */
	enum output_format format;
	unsigned output_flags; /* output.h's: OUTPUT_WIDE for --wide */
	FILE *out;
};

struct report_def {
	const char *name;
	const char *summary;  /* one line for `appt report --list` */
	/* The period used when neither --from nor --to is given. */
	enum { PERIOD_TODAY, PERIOD_LAST_30_DAYS, PERIOD_NEXT_7_DAYS, PERIOD_ALL } default_period;
	enum appt_status (*run)(struct appt_session *s, const struct report_args *a,
				struct appt_err *err);
};

/* NULL-terminated by a zero entry. */
extern const struct report_def report_table[];

const struct report_def *report_find(const char *name);

/* Writes one output.h table: a convenience for reports of one section. */
struct output *report_begin(const struct report_args *a,
			    const struct output_column *cols, size_t ncols);
/* Ends it; APPT_IOERR when the output could not be written. */
enum appt_status report_end(struct output *o, struct appt_err *err);

#endif
