# fish completion for appt(1), the appointment desk.
#
# Everything is asked of appt itself, so that nothing here lists a command,
# an option or a value: the options and subcommands of each command and the
# words an option or argument takes from `appt --complete` (the commands'
# own descriptors); the commands from `appt --list-commands`; services,
# providers, resources and programs from `appt config list KIND` (the first,
# tab-separated field of each line); client names from
# `appt client list --format csv`; report names from `appt report --list`
# (the first column).  A --config or --db given before the
# command on the line being completed is passed on, and stderr is discarded,
# so a missing configuration or database simply offers no candidates.
#
# Install as appt.fish in a directory of $fish_complete_path.

# The options of each command, asked of appt once, when this is loaded
# (see "appt --complete" in appt(1)): a line per key ("COMMAND" or "COMMAND
# SUBCOMMAND"), a ':', then the long options; a trailing '=' marks an option
# that takes a value, and "/x" gives the short spelling of an option.  An
# optional value (--retry-uncertain[=ID]) only ever follows an '=', so such
# an option is listed as taking none.  --help is added to every command.
set -g __appt_options (command appt --complete table 2>/dev/null | string replace -a -- '--' '' | string replace -a -- '/-' /)

# The options of KEY, one per line, as in the table above; fails for a key
# the table does not have.
function __appt_options_of -a key
    for entry in $__appt_options
        set -l parts (string split -m1 : -- $entry)
        if test "$parts[1]" = "$key"
            string split ' ' -- $parts[2] | string match -v ''
            return 0
        end
    end
    return 1
end

# Asks appt a completion question, answered from its command descriptors.
function __appt_ask
    command appt --complete $argv 2>/dev/null
end

# The subcommands of the commands that have them.
function __appt_subcommands -a cmd
    __appt_ask subcommands $cmd | string split ' ' | string match -v ''
end

# The key of the table for the command line parsed last; appt answers for
# a family alone ("appt block --provider ...") as for its default
# subcommand.
function __appt_key
    string join ' ' -- $__appt_cmd $__appt_sub | string trim
end

# Parses the line up to the cursor into __appt_global (the --config and
# --db options), __appt_cmd, __appt_sub and __appt_n (the positional
# arguments of the command so far, the subcommand included).
function __appt_parse
    set -l line (commandline -pc)
    test "$line" = "$__appt_parsed"; and return
    set -g __appt_parsed $line
    set -g __appt_global
    set -g __appt_cmd ''
    set -g __appt_sub ''
    set -g __appt_n 0
    set -l tokens (commandline -opc)
    set -l i 2
    while test $i -le (count $tokens)
        set -l w $tokens[$i]
        set i (math $i + 1)
        if test -z "$__appt_cmd"
            switch $w
                case --config --db
                    if test $i -le (count $tokens)
                        set -ga __appt_global $w (string replace -r '^~' -- $HOME $tokens[$i])
                    end
                    set i (math $i + 1)
                case '--config=*' '--db=*'
                    set -ga __appt_global (string replace -r '=~' -- "=$HOME" $w)
                case '-*'
                case '*'
                    set -g __appt_cmd $w
            end
        else if string match -q -- '-*' $w
            if not string match -q -- '*=*' $w
                and contains -- (string replace -r -- '^--' '' $w)= (__appt_options_of (__appt_key))
                set i (math $i + 1)
            end
        else
            if test -z "$__appt_sub"; and count (__appt_subcommands $__appt_cmd) >/dev/null
                set -g __appt_sub $w
            end
            set -g __appt_n (math $__appt_n + 1)
        end
    end
end

function __appt_no_command
    __appt_parse
    test -z "$__appt_cmd"
end

function __appt_key_is -a key
    __appt_parse
    test -n "$__appt_cmd"; and test (__appt_key) = "$key"
end

# Runs appt with the global options found on the line, errors discarded.
function __appt_query
    __appt_parse
    command appt $__appt_global $argv 2>/dev/null
end

# Ids of a configuration list: services, providers, resources or programs.
function __appt_config_ids -a kind
    __appt_query config list $kind | string split -f1 \t
end

# The name column of the client list, one per line (RFC 4180 CSV, so a name
# may be quoted; the "'" that neutralises a formula-like cell is dropped).
function __appt_client_names
    __appt_query client list --format csv | awk '
		function split_csv(line, out,    i, c, n, q) {
			n = 1; q = 0; out[1] = ""
			for (i = 1; i <= length(line); i++) {
				c = substr(line, i, 1)
				if (q && c == "\"" && substr(line, i + 1, 1) == "\"") { out[n] = out[n] c; i++ }
				else if (c == "\"") q = !q
				else if (!q && c == ",") out[++n] = ""
				else out[n] = out[n] c
			}
			return n
		}
		{ sub(/\r$/, "") }
		NR == 1 { n = split_csv($0, head); for (i = 1; i <= n; i++) if (head[i] == "name") col = i; next }
		col { split_csv($0, f); v = f[col]; if (v ~ /^\047[-=+@]/) v = substr(v, 2); if (v != "") print v }'
end

# The names in the first column of `appt report --list`.
function __appt_report_names
    __appt_query report --list | string replace -rf -- '^(\S+).*' '$1'
end

# The words given as arguments, for an option that takes a comma-separated
# list of them: each word not yet in the list typed so far, after that list.
function __appt_list_values
    set -l cur (string replace -r -- '^--[^=]*=' '' (commandline -ct))
    set -l head (string match -r -- '^.*,' $cur)
    set -l given
    test -n "$head"; and set given (string split , -- $head)
    for w in $argv
        contains -- $w $given; or printf '%s\n' "$head$w"
    end
end

# The candidates the lines on stdin (appt's answer to a question) stand
# for: an @word is asked of appt, @files completes a path, and "@list"
# makes the words after it a comma-separated list.
function __appt_words
    set -l answer
    while read -l w
        set -a answer $w
    end
    if test "$answer[1]" = @list
        __appt_list_values $answer[2..]
        return
    end
    for w in $answer
        switch $w
            case @services @providers @resources @programs @templates
                __appt_config_ids (string sub -s 2 -- $w)
            case @clients
                __appt_client_names
            case @reports
                __appt_report_names
            case @commands
                __appt_query --list-commands
            case @files
                __fish_complete_path (commandline -ct)
            case '*'
                printf '%s\n' $w
        end
    end
end

# The candidates for the value of OPTION (without its dashes) of KEY.
function __appt_values -a key opt
    __appt_ask value (string split ' ' -- $key) --$opt | __appt_words
end

# Candidates for the next positional argument of the command.
function __appt_positional
    __appt_parse
    test -n "$__appt_cmd"; or return
    __appt_ask arg (string split ' ' -- (__appt_key)) (math $__appt_n + 1) | __appt_words
end

complete -c appt -f

# Before the command: the global options and the commands.
complete -c appt -n __appt_no_command -l config -r -F -d 'configuration file'
complete -c appt -n __appt_no_command -l db -r -F -d 'database file'
complete -c appt -n __appt_no_command -l version -d 'print the version'
complete -c appt -n __appt_no_command -s h -l help -d 'list the commands'
complete -c appt -n __appt_no_command -l list-commands -d 'print the command names'
complete -c appt -n __appt_no_command -a '(__appt_query --list-commands)'

# After it: the command's options from the table, and its positionals.
for entry in $__appt_options
    set -l parts (string split -m1 : -- $entry)
    set -l key $parts[1]
    for o in (string split ' ' -- $parts[2] | string match -v '')
        set -l spelling (string split / -- $o)
        set -l name (string trim -r -c = -- $spelling[1])
        set -l short
        set -q spelling[2]; and set short -s $spelling[2]
        if test $name != $spelling[1]
            complete -c appt -n "__appt_key_is '$key'" -l $name -x -a "(__appt_values '$key' $name)"
        else
            complete -c appt -n "__appt_key_is '$key'" -l $name $short
        end
    end
end
complete -c appt -n 'not __appt_no_command' -s h -l help -d 'print the usage'
complete -c appt -n 'not __appt_no_command' -a '(__appt_positional)'
