/* appt checkin: the client is at the desk (-> waiting). */
#include "state_command.h"

static const char usage[] =
	"usage: appt checkin ID [-q]\n"
	"\n"
	"Marks the client of appointment ID arrived and waiting.  A walk-in or an\n"
	"unconfirmed booking may be checked in directly.\n"
	"\n"
	"  -q, --quiet   print nothing on success\n";

int main(int argc, char **argv)
{
	return state_command_main(argc, argv, "checkin", STATE_WAITING, usage);
}
