/*
 * state_command: the shared body of `appt confirm`, `checkin`, `start` and
 * `done`.  The four commands differ only in the state they move to (and
 * confirm's --via), so each cmd/ file is its usage text and one call here;
 * the state machine and its refusals live in appointment.c.  Like cli, this
 * module prints: it is command-line surface, not library logic.
 */
#ifndef APPT_STATE_COMMAND_H
#define APPT_STATE_COMMAND_H

#include "appointment.h"

/*
 * Parses "ID [--via V] [-q] [--help]" for confirm (V one of via.h's
 * VIA_FOR_CONFIRM), "ID [--force --reason TEXT] [-q] [--help]" for the
 * others (the override of policies.arrival.early), moves the appointment
 * to `to` and prints what was done,
 * e.g. "checked in #12".  name and usage are the command's, for messages.
 * Returns the exit status.
 */
/* The options checkin, start and done share, for their usage texts. */
#define STATE_ARRIVAL_OPTIONS                                                    \
	"  --force --reason T  earlier than policies.arrival.early before the start\n" \
	"                      (logged; managers only when roles.managers is set)\n"  \
	"  -q, --quiet         print nothing on success\n"

int state_command_main(int argc, char **argv, const char *name,
		       enum appt_state to, const char *usage);

#endif
