/* appt confirm: the client said they will come (booked -> confirmed). */
#include "state_command.h"

static const char usage[] =
	"usage: appt confirm ID [--via call|sms|email|in-person|online] [-q]\n"
	"\n"
	"Marks appointment ID confirmed by the client.\n"
	"\n"
	"  --via CHANNEL  how the client confirmed (phone means call)\n"
	"  -q, --quiet    print nothing on success\n";

STATE_COMMAND(confirm, "mark an appointment confirmed", STATE_CONFIRMED, state_confirm_options);
