/*
 * child: running one command to its end, as a transport does: argv exec'd
 * directly (never through a shell) with env, input on its stdin, stdout to
 * /dev/null, in a process group of its own.  Past timeout seconds the group
 * gets SIGTERM, and SIGKILL two seconds later.
 */
#ifndef APPT_CHILD_H
#define APPT_CHILD_H

#include "util.h"

/*
 * APPT_OK when it exited 0; APPT_UNAVAILABLE with the reason in err when
 * not (the first line of its stderr kept, at most 200 bytes):
 *	command '/usr/bin/x' exited 1: <first line of its stderr>
 *	command '/usr/bin/x' killed by signal 9
 *	command '/usr/bin/x' timed out after 30s
 *	cannot run '/usr/bin/x': No such file or directory
 */
enum appt_status child_run(char *const argv[], char *const env[], const char *input,
			   int timeout, struct appt_err *err);

#endif
