/*
 * complete: the shell completions' questions, answered from the command
 * descriptors (git's --git-completion-helper), so that completions/ keeps
 * no list of commands, options or values of its own.
 *
 *   table                  every command's and subcommand's options, a
 *                          line each: "KEY:OPTIONS" (KEY "book", "client
 *                          add", and a family alone that has a default)
 *   options CMD [SUB]      the options of one, on one line, as
 *                          "--client= --wide --quiet/-q": '=' after one
 *                          that takes a value, "/-q" its short spelling;
 *                          a family alone answers for its default subcommand
 *   subcommands CMD        a family's subcommands, on one line
 *   value CMD [SUB] --OPT  what completes the option's value, a word a line
 *   arg CMD [SUB] N        what completes the N-th positional argument
 *                          (a family's subcommand is its first)
 *
 * A word starting with '@' names what the script asks appt for when
 * completing (@clients, @services, @providers, @resources, @programs,
 * @templates, @reports, @commands) or @files; "@list" first says the value is a
 * comma-separated list of the words after it.  An optional value
 * (--retry-uncertain[=ID]) only ever follows an '=', so such an option is
 * listed as taking none.  Like cli, this module prints.
 */
#ifndef APPT_COMPLETE_H
#define APPT_COMPLETE_H

#include <stddef.h>

#include "command.h"

/*
 * Answers the question in argv (the words after --complete) about the
 * commands given.  Returns 0, or 1 when it names no command, subcommand
 * or option that is known, or is no question (a message on stderr).
 */
int complete_query(const struct command *const *commands, size_t nr,
		   int argc, char **argv);

#endif
