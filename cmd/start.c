/* appt start: the service has begun (-> in-progress). */
#include "state_command.h"

static const char usage[] =
	"usage: appt start ID [-q]\n"
	"\n"
	"Marks appointment ID in progress.\n"
	"\n"
	"  -q, --quiet   print nothing on success\n";

int main(int argc, char **argv)
{
	return state_command_main(argc, argv, "start", STATE_IN_PROGRESS, usage);
}
