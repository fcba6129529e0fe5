/*
 * state_command: the shared body of `appt confirm`, `checkin`, `start` and
 * `done`.  The four commands differ only in the state they move to (and
 * confirm's --via), so each cmd/ file is its usage text and one call here;
 * the state machine and its refusals live in appointment.c.  Like cli, this
 * module prints: it is command-line surface, not library logic.
 */
#ifndef APPT_STATE_COMMAND_H
#define APPT_STATE_COMMAND_H

#include "booking.h"
#include "command.h"

/* The options of confirm (--via, -q), and of checkin, start and done (--force --reason, -q). */
extern const struct cmd_option state_confirm_options[];
extern const struct cmd_option state_arrival_options[];

/* The options checkin, start and done share, for their usage texts. */
#define STATE_ARRIVAL_OPTIONS                                                    \
	"  --force --reason T  earlier than policies.arrival.early before the start\n" \
	"                      (logged; managers only when roles.managers is set)\n"  \
	"  -q, --quiet         print nothing on success\n"

/*
 * A status command: check reads "ID [--via V]" or "ID [--force --reason T]"
 * before anything is opened; run moves the appointment to `to` and prints
 * what was done ("checked in #12").
 */
int state_command_check(struct cmd_context *c);
int state_command_run(struct cmd_context *c, enum appt_state to);

/* The descriptor of the status command NAME moving to state TO. */
#define STATE_COMMAND(NAME, SUMMARY, TO, OPTIONS)                              \
	static int run(struct cmd_context *c)                                \
	{                                                                    \
		return state_command_run(c, TO);                             \
	}                                                                    \
	const struct command cmd_##NAME = {                                  \
		.name = #NAME, .summary = SUMMARY, .usage = usage,           \
		.options = OPTIONS, .min_args = 1, .max_args = 1,            \
		.needs = CMD_NEEDS_DB, .check = state_command_check,         \
		.run = run,                                                  \
	}

#endif
