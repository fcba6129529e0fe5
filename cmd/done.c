/* appt done: the service was delivered (-> done); follow-ups become due. */
#include "state_command.h"

static const char usage[] =
	"usage: appt done ID [--force --reason TEXT] [-q]\n"
	"\n"
	"Marks appointment ID done; not earlier than policies.arrival.early (default\n"
	"1h) before the start.  Follow-up messages configured under followups: are\n"
	"sent from then on by appt remind; appt undo takes a mistaken done back.\n"
	"\n"
	STATE_ARRIVAL_OPTIONS;

STATE_COMMAND(done, "mark an appointment done", STATE_DONE, state_arrival_options);
