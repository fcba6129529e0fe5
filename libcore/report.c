#include "report.h"

#include <string.h>

#include "report_defs.h"

/*
 * Every report, in the order `appt report --list` shows them.  A report is
 * added here and implemented in its own report_*.c, declared in
 * report_defs.h.
 */
const struct report_def report_table[] = {
	REPORT_ENTRIES
	{ NULL, NULL, PERIOD_ALL, NULL },
};

const struct report_def *report_find(const char *name)
{
	for (const struct report_def *d = report_table; d->name; d++)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

struct output *report_begin(const struct report_args *a,
			    const struct output_column *cols, size_t ncols)
{
	return output_begin(a->out, a->format, cols, ncols, a->output_flags);
}

enum appt_status report_end(struct output *o, struct appt_err *err)
{
	if (output_end(o))
		return appt_fail(err, APPT_IOERR, "cannot write the report");
	return APPT_OK;
}
