#include "complete.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct command *find_command(const struct command *const *commands, size_t nr,
					  const char *name)
{
	for (size_t i = 0; i < nr; i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

/*
 * The command a question's key names: words[0], or in a family its
 * subcommand words[1] when that is one.  *used is how many words the key
 * took.  NULL when words[0] is no command.
 */
static const struct command *key_command(const struct command *const *commands, size_t nr,
					 int nwords, char **words, int *used)
{
	const struct command *cmd, *sub;

	*used = 0;
	if (nwords < 1 || !(cmd = find_command(commands, nr, words[0])))
		return NULL;
	*used = 1;
	if (cmd->nr_subcommands && nwords >= 2 && (sub = command_find_sub(cmd, words[1]))) {
		*used = 2;
		return sub;
	}
	return cmd;
}

/* The subcommand a family alone stands for, or NULL. */
static const struct command *default_sub(const struct command *family)
{
	return family->flags & CMD_DEFAULT_SUB ? &family->subcommands[0] : NULL;
}

static void print_options(const struct command *cmd)
{
	const char *sep = "";

	for (size_t i = 0; cmd->options && cmd->options[i].name; i++) {
		const struct cmd_option *o = &cmd->options[i];

		printf("%s--%s%s", sep, o->name, o->arg == CMD_VALUE ? "=" : "");
		if (o->short_name)
			printf("/-%c", o->short_name);
		sep = " ";
	}
	putchar('\n');
}

static void print_subcommands(const struct command *family)
{
	for (size_t i = 0; i < family->nr_subcommands; i++)
		printf("%s%s", i ? " " : "", family->subcommands[i].name);
	putchar('\n');
}

/* Each space-separated word of words on a line of its own. */
static void print_words(const char *words)
{
	while (words && *words) {
		size_t len = strcspn(words, " ");

		if (len)
			printf("%.*s\n", (int)len, words);
		words += len + strspn(words + len, " ");
	}
}

static void print_table(const struct command *const *commands, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		const struct command *cmd = commands[i];

		if (!cmd->nr_subcommands || default_sub(cmd)) {
			printf("%s:", cmd->name);
			print_options(default_sub(cmd) ? default_sub(cmd) : cmd);
		}
		for (size_t j = 0; j < cmd->nr_subcommands; j++) {
			printf("%s %s:", cmd->name, cmd->subcommands[j].name);
			print_options(&cmd->subcommands[j]);
		}
	}
}

/* The option --name (or -n) of cmd, or NULL. */
static const struct cmd_option *find_option(const struct command *cmd, const char *name)
{
	int dashes = (int)strspn(name, "-");

	name += dashes;
	for (size_t i = 0; cmd->options && cmd->options[i].name; i++) {
		const struct cmd_option *o = &cmd->options[i];

		if (dashes == 1 ? o->short_name && name[0] == o->short_name && !name[1]
				: !strcmp(o->name, name))
			return o;
	}
	return NULL;
}

/*
 * The option a value question names: of the subcommand, or for a family
 * alone of its default subcommand, else of the first subcommand that has it.
 */
static const struct cmd_option *value_option(const struct command *cmd, const char *name)
{
	const struct cmd_option *o = NULL;

	if (!cmd->nr_subcommands)
		return find_option(cmd, name);
	if (default_sub(cmd))
		return find_option(default_sub(cmd), name);
	for (size_t i = 0; !o && i < cmd->nr_subcommands; i++)
		o = find_option(&cmd->subcommands[i], name);
	return o;
}

/* What completes positional argument n (1-based) of cmd, key having taken used words. */
static int answer_arg(const struct command *cmd, int used, const char *number)
{
	char *end;
	long n = strtol(number, &end, 10);

	if (*end || n < 1)
		return 1;
	if (cmd->nr_subcommands) {
		if (n == 1)
			for (size_t i = 0; i < cmd->nr_subcommands; i++)
				printf("%s\n", cmd->subcommands[i].name);
		return 0;
	}
	if (used == 2)
		n--; /* the subcommand was the first */
	for (long i = 0; cmd->complete_args && cmd->complete_args[i]; i++)
		if (i == n - 1)
			print_words(cmd->complete_args[i]);
	return 0;
}

int complete_query(const struct command *const *commands, size_t nr, int argc, char **argv)
{
	const char *question = argc > 0 ? argv[0] : "";
	const struct command *cmd;
	const struct cmd_option *o;
	int used;

	if (!strcmp(question, "table") && argc == 1) {
		print_table(commands, nr);
		return 0;
	}
	cmd = key_command(commands, nr, argc - 1, argv + 1, &used);
	if (!strcmp(question, "options") && cmd && used == argc - 1) {
		if (cmd->nr_subcommands && !(cmd = default_sub(cmd)))
			return 1;
		print_options(cmd);
		return 0;
	}
	if (!strcmp(question, "subcommands") && cmd && used == 1 && argc == 2) {
		if (cmd->nr_subcommands)
			print_subcommands(cmd);
		return 0;
	}
	if (!strcmp(question, "value") && cmd && used == argc - 2) {
		if (!(o = value_option(cmd, argv[argc - 1])))
			return 1;
		print_words(o->complete);
		return 0;
	}
	if (!strcmp(question, "arg") && cmd && used == argc - 2)
		return answer_arg(cmd, used, argv[argc - 1]);
	fprintf(stderr, "appt: --complete: no such question '%s%s%s'\n", question,
		argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
	return 1;
}
