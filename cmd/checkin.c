/* appt checkin: the client is at the desk (-> waiting). */
#include "state_command.h"

static const char usage[] =
	"usage: appt checkin ID [--force --reason TEXT] [-q]\n"
	"\n"
	"Marks the client of appointment ID arrived and waiting.  A walk-in or an\n"
	"unconfirmed booking may be checked in directly; not earlier than\n"
	"policies.arrival.early (default 1h) before the start.\n"
	"\n"
	STATE_ARRIVAL_OPTIONS;

STATE_COMMAND(checkin, "mark the client arrived (waiting)", STATE_WAITING, state_arrival_options);
