/* appt done: the service was delivered (-> done); follow-ups become due. */
#include "state_command.h"

static const char usage[] =
	"usage: appt done ID [-q]\n"
	"\n"
	"Marks appointment ID done.  Follow-up messages configured under\n"
	"followups: are sent from then on by appt remind.\n"
	"\n"
	"  -q, --quiet   print nothing on success\n";

int main(int argc, char **argv)
{
	return state_command_main(argc, argv, "done", STATE_DONE, usage);
}
