/* appt start: the service has begun (-> in-progress). */
#include "state_command.h"

static const char usage[] =
	"usage: appt start ID [--force --reason TEXT] [-q]\n"
	"\n"
	"Marks appointment ID in progress; not earlier than policies.arrival.early\n"
	"(default 1h) before the start.\n"
	"\n"
	STATE_ARRIVAL_OPTIONS;

STATE_COMMAND(start, "mark an appointment in progress", STATE_IN_PROGRESS, state_arrival_options);
