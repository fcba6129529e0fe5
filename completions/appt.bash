# bash completion for appt(1), the appointment desk.
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
# Install as appt in bash-completion's completions directory, or source it.

# The options of COMMAND (or "COMMAND SUBCOMMAND"), one case arm per command;
# a trailing '=' marks an option that takes a value, and "/-x" gives the
# short spelling of an option.  An optional value (--retry-uncertain[=ID])
# only ever follows an '=', so such an option is listed as taking none.
# --help is added later, and an unknown key fails.
_appt_options()
{
	case $1 in
	init | "config check" | "block remove")
		echo --quiet/-q ;;
	checkin | start | done)
		echo --force --reason= --quiet/-q ;;
	"config path" | "config list" | help) ;;
	"client note")
		echo --alert ;;
	backup)
		echo --force/-f ;;
	"client add")
		echo --name= --phone= --email= --channel= --born= --note= --program= --external-id= \
			--allow-duplicate --quiet/-q ;;
	"client list")
		echo --format= --wide --match= --blocked ;;
	"client show")
		echo --format= ;;
	"client edit")
		echo --name= --phone= --email= --channel= --program= --no-program --external-id= \
			--born= --allow-duplicate ;;
	"client block" | "client unblock" | "client merge")
		echo --reason= ;;
	slots)
		echo --service= --provider= --from= --count= --days= --format= --wide ;;
	book)
		echo --client= --service= --at= --first-available --from= --provider= --resource= \
			--via= --note= --force --reason= --no-send --quiet/-q ;;
	reschedule)
		echo --at= --first-available --from= --provider= --resource= --reason= --force \
			--no-send --no-notice --quiet/-q ;;
	cancel)
		echo --reason= --by= --force --no-send --no-notice ;;
	noshow)
		echo --note= --force --reason= --no-send ;;
	confirm)
		echo --via= --quiet/-q ;;
	undo)
		echo --reason= --quiet/-q ;;
	list)
		echo --date= --from= --to= --provider= --client= --status= --format= --wide ;;
	show)
		echo --format= ;;
	"block add")
		echo --provider= --from= --to= --reason= --quiet/-q ;;
	"block list")
		echo --provider= --from= --to= --format= --wide ;;
	remind)
		echo --dry-run --only= --retry-uncertain --mark-sent= --verbose/-v ;;
	log)
		echo --client= --via= --outcome= --inbound --task= --close --quiet/-q ;;
	report)
		echo --date= --from= --to= --provider= --client= --format= --wide --list ;;
	import)
		echo --dry-run --map= --ignore-unknown --allow-overlap --allow-duplicate ;;
	export)
		echo --from= --to= --format= --provider= --raw --redact --all-columns ;;
	*) return 1 ;;
	esac
}

# The spellings of the options of KEY, one per line, without the '='.
_appt_option_words()
{
	_appt_options "$1" | tr ' /' '\n\n' | tr -d = | grep -v '^$'
}

# The subcommands of the commands that have them.
_appt_subcommands()
{
	case $1 in
	client) echo add list show edit note block unblock merge ;;
	block) echo add list remove ;;
	config) echo check path list ;;
	esac
}

# Runs appt with the global options found on the line, errors discarded.
_appt_query()
{
	command appt "${_appt_global[@]}" "$@" 2>/dev/null
}

# Ids of a configuration list: services, providers, resources or programs.
_appt_config_ids()
{
	_appt_query config list "$1" | cut -f1
}

# The name column of the client list, one per line (RFC 4180 CSV, so a name
# may be quoted; the "'" that neutralises a formula-like cell is dropped).
_appt_client_names()
{
	_appt_query client list --format csv | awk '
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
		col { split_csv($0, f); v = f[col]; if (v ~ /^'\''[-=+@]/) v = substr(v, 2); if (v != "") print v }'
}

# The names in the first column of `appt report --list`.
_appt_report_names()
{
	_appt_query report --list | awk 'NF { print $1 }'
}

# The WORDS an option takes as a comma-separated list, given the value typed
# so far (CUR): each word not yet in the list, after the part already typed.
_appt_list_values()
{
	local cur=$1 head="" w
	shift
	case $cur in *,*) head=${cur%,*}, ;; esac
	for w; do
		case ,$head in *,"$w",*) ;; *) printf '%s\n' "$head$w" ;; esac
	done
}

# The candidates for the value of OPTION of COMMAND, one per line; CUR is the
# value typed so far, for the options that take a comma-separated list.
_appt_values()
{
	case "$1 $2" in
	*" --service") _appt_config_ids services ;;
	*" --provider") _appt_config_ids providers ;;
	*" --resource") _appt_config_ids resources ;;
	*" --program") _appt_config_ids programs ;;
	*" --client") _appt_client_names ;;
	"show --format") printf '%s\n' table json ;;
	"export --format") printf '%s\n' csv json ics ;;
	*" --format") printf '%s\n' table csv json ;;
	"confirm --via") printf '%s\n' call sms email in-person online ;;
	"log --via") printf '%s\n' call sms email in-person ;;
	*" --via") printf '%s\n' call sms email in-person online walk-in ;;
	*" --by") printf '%s\n' client business ;;
	*" --status") printf '%s\n' booked confirmed waiting in-progress 'done' cancelled no-show ;;
	*" --channel") printf '%s\n' sms email call ;;
	*" --outcome") printf '%s\n' reached voicemail no-answer other ;;
	*" --date") printf '%s\n' today tomorrow mon tue wed thu fri sat sun ;;
	"remind --only") _appt_list_values "$3" reminders deadlines followups outreach delivery ;;
	esac
}

# Candidates for the N-th positional argument (1-based) of COMMAND with
# subcommand SUB (empty when none), one per line; "<file>" asks for files.
_appt_positional()
{
	local cmd=$1 sub=$2 n=$3

	case "$cmd:$n" in
	client:1 | block:1 | config:1) _appt_subcommands "$cmd" | tr ' ' '\n' ;;
	client:2)
		case $sub in show | edit | note | block | unblock | merge) _appt_client_names ;; esac ;;
	client:3) [ "$sub" = merge ] && _appt_client_names ;;
	config:2) [ "$sub" = list ] && printf '%s\n' services providers resources templates programs ;;
	report:1) _appt_report_names ;;
	import:1) printf '%s\n' clients appointments ;;
	import:2) printf '%s\n' "<file>" - ;;
	backup:1) echo "<file>" ;;
	export:1) printf '%s\n' appointments clients events messages charges contacts ;;
	help:1) _appt_query --list-commands ;;
	esac
}

# Sets COMPREPLY to the lines of candidates starting with cur, ignoring case.
# Candidates with characters the shell treats specially (client names) are
# quoted unless the word being completed already opens a quote; a "<file>"
# line asks for file names.
_appt_reply()
{
	local cur=$1 plain=${1#[\"\']} line word
	local -a out=()

	plain=${plain//\\/}
	while IFS= read -r line; do
		if [ "$line" = "<file>" ]; then
			compopt -o filenames 2>/dev/null
			mapfile -t -O "${#out[@]}" out < <(compgen -f -- "$cur")
		elif [[ ${line,,} == "${plain,,}"* ]]; then
			if [[ $cur == [\"\']* || $line != *[!A-Za-z0-9,._+:@%/=-]* ]]; then
				word=$line
			else
				printf -v word '%q' "$line"
			fi
			out+=("$word")
		fi
	done
	COMPREPLY=("${out[@]}")
}

# The key of _appt_options for a command and its subcommand so far; a bare
# "appt block --provider ..." means "appt block add".
_appt_key()
{
	if [ -n "$2" ]; then
		echo "$1 $2"
	elif [ "$1" = block ]; then
		echo "block add"
	else
		echo "$1"
	fi
}

# Whether OPTION of KEY takes a value.
_appt_takes_value()
{
	[[ " $(_appt_options "$1") " == *" $2= "* ]]
}

_appt()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local i=1 w cmd="" sub="" opt="" n=0
	local -a _appt_global=()

	# "--opt=value": bash splits it into "--opt", "=" and "value".
	if [ "$cur" = "=" ]; then
		opt=$prev cur=""
	elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 2 ]; then
		opt=${COMP_WORDS[COMP_CWORD - 2]}
	fi

	# The global options, up to the command.
	while [ "$i" -lt "$COMP_CWORD" ] && [ -z "$cmd" ]; do
		w=${COMP_WORDS[i]}
		i=$((i + 1))
		case $w in
		--config | --db)
			[ "${COMP_WORDS[i]}" = "=" ] && i=$((i + 1))
			[ "$i" -lt "$COMP_CWORD" ] && _appt_global+=("$w" "${COMP_WORDS[i]/#\~/$HOME}")
			i=$((i + 1)) ;;
		-*) ;;
		*) cmd=$w ;;
		esac
	done

	if [ -z "$cmd" ]; then
		case ${opt:-$prev} in
		--config | --db) _appt_reply "$cur" <<<"<file>" ;;
		*)
			if [[ $cur == -* ]]; then
				mapfile -t COMPREPLY < <(compgen -W "--config --db --version --help --list-commands" -- "$cur")
			else
				mapfile -t COMPREPLY < <(compgen -W "$(_appt_query --list-commands)" -- "$cur")
			fi ;;
		esac
		return
	fi

	# The command's own words: its subcommand, option values, positionals.
	for (( ; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [ "$w" = "=" ]; then
			i=$((i + 1))
		elif [[ $w == -* ]]; then
			if _appt_takes_value "$(_appt_key "$cmd" "$sub")" "$w" &&
				[ "${COMP_WORDS[i + 1]}" != "=" ]; then
				i=$((i + 1))
			fi
		else
			[ -z "$sub" ] && [ -n "$(_appt_subcommands "$cmd")" ] && sub=$w
			n=$((n + 1))
		fi
	done

	if [ -z "$opt" ] && [[ $prev == -* ]] && _appt_takes_value "$(_appt_key "$cmd" "$sub")" "$prev"; then
		opt=$prev
	fi
	if [ -n "$opt" ]; then
		_appt_reply "$cur" < <(_appt_values "$cmd" "$opt" "$cur")
	elif [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_appt_option_words "$(_appt_key "$cmd" "$sub")") --help" -- "$cur")
	else
		_appt_reply "$cur" < <(_appt_positional "$cmd" "$sub" $((n + 1)))
	fi
}

complete -F _appt appt
