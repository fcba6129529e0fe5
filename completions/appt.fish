# fish completion for appt(1), the appointment desk.
#
# What depends on the installation or on the business is asked of appt
# itself: the commands from `appt --list-commands`; services, providers,
# resources and programs from `appt config list KIND` (the first,
# tab-separated field of each line); client names from
# `appt client list --format csv`; report names from `appt report --list`
# (the first column).  A --config or --db given before the
# command on the line being completed is passed on, and stderr is discarded,
# so a missing configuration or database simply offers no candidates.
#
# Install as appt.fish in a directory of $fish_complete_path.

# The options of each command: keys ("COMMAND" or "COMMAND SUBCOMMAND")
# separated by '|', a ':', then the long options; a trailing '=' marks an
# option that takes a value, and "/x" gives the short spelling of an option.
# An optional value (--retry-uncertain[=ID]) only ever follows an '=', so
# such an option is listed as taking none.  --help is added to every command.
set -g __appt_options \
    'init|config check|block remove:quiet/q' \
    'checkin|start|done:force reason= quiet/q' \
    'config path|config list|help:' \
    'client note:alert' \
    'backup:force/f' \
    'client add:name= phone= email= channel= born= note= program= external-id= allow-duplicate quiet/q' \
    'client list:format= wide match= blocked' \
    'client show:format=' \
    'client edit:name= phone= email= channel= program= no-program external-id= born= allow-duplicate' \
    'client block|client unblock|client merge:reason=' \
    'slots:service= provider= from= count= days= format= wide' \
    'book:client= service= at= first-available from= provider= resource= via= note= force reason= no-send quiet/q' \
    'reschedule:at= first-available from= provider= resource= reason= force no-send no-notice quiet/q' \
    'cancel:reason= by= force no-send no-notice' \
    'noshow:note= force reason= no-send' \
    'confirm:via= quiet/q' \
    'undo:reason= quiet/q' \
    'list:date= from= to= provider= client= status= format= wide' \
    'show:format=' \
    'block add:provider= from= to= reason= quiet/q' \
    'block list:provider= from= to= format= wide' \
    'remind:dry-run only= retry-uncertain mark-sent= verbose/v' \
    'log:client= via= outcome= inbound task= close quiet/q' \
    'report:date= from= to= provider= client= format= wide list' \
    'import:dry-run map= ignore-unknown allow-overlap allow-duplicate' \
    'export:from= to= format= provider= raw redact all-columns'

# The options of KEY, one per line, as in the table above; fails for a key
# the table does not have.
function __appt_options_of -a key
    for entry in $__appt_options
        set -l parts (string split -m1 : -- $entry)
        if contains -- $key (string split '|' -- $parts[1])
            string split ' ' -- $parts[2] | string match -v ''
            return 0
        end
    end
    return 1
end

# The subcommands of the commands that have them.
function __appt_subcommands -a cmd
    switch $cmd
        case client
            printf '%s\n' add list show edit note block unblock merge
        case block
            printf '%s\n' add list remove
        case config
            printf '%s\n' check path list
    end
end

# The key of the table for the command line parsed last; a bare
# "appt block --provider ..." means "appt block add".
function __appt_key
    if test -n "$__appt_sub"
        echo "$__appt_cmd $__appt_sub"
    else if test "$__appt_cmd" = block
        echo 'block add'
    else
        echo $__appt_cmd
    end
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

# The candidates for the value of OPTION (without its dashes) of COMMAND.
function __appt_values -a cmd opt
    switch "$cmd $opt"
        case '* service'
            __appt_config_ids services
        case '* provider'
            __appt_config_ids providers
        case '* resource'
            __appt_config_ids resources
        case '* program'
            __appt_config_ids programs
        case '* client'
            __appt_client_names
        case 'show format'
            printf '%s\n' table json
        case 'export format'
            printf '%s\n' csv json ics
        case '* format'
            printf '%s\n' table csv json
        case 'confirm via'
            printf '%s\n' call sms email in-person online
        case 'log via'
            printf '%s\n' call sms email in-person
        case '* via'
            printf '%s\n' call sms email in-person online walk-in
        case '* by'
            printf '%s\n' client business
        case '* status'
            printf '%s\n' booked confirmed waiting in-progress done cancelled no-show
        case '* channel'
            printf '%s\n' sms email call
        case '* outcome'
            printf '%s\n' reached voicemail no-answer other
        case '* date'
            printf '%s\n' today tomorrow mon tue wed thu fri sat sun
        case 'remind only'
            __appt_list_values reminders deadlines followups outreach delivery
    end
end

# Candidates for the next positional argument of the command.
function __appt_positional
    __appt_parse
    switch "$__appt_cmd:"(math $__appt_n + 1)
        case client:1 block:1 config:1
            __appt_subcommands $__appt_cmd
        case client:2
            contains -- $__appt_sub show edit note block unblock merge; and __appt_client_names
        case client:3
            test "$__appt_sub" = merge; and __appt_client_names
        case config:2
            test "$__appt_sub" = list; and printf '%s\n' services providers resources templates programs
        case report:1
            __appt_report_names
        case import:1
            printf '%s\n' clients appointments
        case import:2
            __fish_complete_path (commandline -ct)
            echo -
        case backup:1
            __fish_complete_path (commandline -ct)
        case export:1
            printf '%s\n' appointments clients events messages charges contacts
        case help:1
            __appt_query --list-commands
    end
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
    for key in (string split '|' -- $parts[1])
        set -l cmd (string split ' ' -- $key)[1]
        for o in (string split ' ' -- $parts[2] | string match -v '')
            set -l spelling (string split / -- $o)
            set -l name (string trim -r -c = -- $spelling[1])
            set -l short
            set -q spelling[2]; and set short -s $spelling[2]
            if test $name != $spelling[1]
                complete -c appt -n "__appt_key_is '$key'" -l $name -x -a "(__appt_values $cmd $name)"
            else
                complete -c appt -n "__appt_key_is '$key'" -l $name $short
            end
        end
    end
end
complete -c appt -n 'not __appt_no_command' -s h -l help -d 'show the usage'
complete -c appt -n 'not __appt_no_command' -a '(__appt_positional)'
