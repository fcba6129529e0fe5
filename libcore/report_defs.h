/*
 * report_defs: the report functions and their report_table entries.  Each
 * group of reports lives in its own report_*.c; add its functions and
 * entries here when it lands.
 */
#ifndef APPT_REPORT_DEFS_H
#define APPT_REPORT_DEFS_H

#include "report.h"

#define REPORT_FN(fn) \
	enum appt_status fn(struct appt_session *s, const struct report_args *a, \
			    struct appt_err *err)

#define REPORT_ENTRIES

#endif
