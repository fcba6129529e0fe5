# bash completion for appt(1), the appointment desk.
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
# Install as appt in bash-completion's completions directory, or source it.

# Asks appt a completion question, answered from its command descriptors
# (see "appt --complete" in appt(1)); nothing here lists an option.
_appt_ask()
{
	command appt --complete "$@" 2>/dev/null
}

# The options of KEY ("COMMAND" or "COMMAND SUBCOMMAND") on one line; a
# trailing '=' marks an option that takes a value, and "/-x" gives the
# short spelling of an option.  --help is added later; an unknown key fails.
_appt_options()
{
	# shellcheck disable=SC2086 # the key is one or two words
	_appt_ask options $1
}

# The spellings of the options of KEY, one per line, without the '='.
_appt_option_words()
{
	_appt_options "$1" | tr ' /' '\n\n' | tr -d = | grep -v '^$'
}

# The subcommands of the commands that have them, on one line.
_appt_subcommands()
{
	_appt_ask subcommands "$1"
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

# The candidates the words on stdin (appt's answer to a question) stand
# for, one per line: an @word is asked of appt, @files asks for files, and
# "@list" makes the words after it a comma-separated list completed after
# CUR, the value typed so far.
_appt_words()
{
	local cur=$1 w
	local -a answer
	mapfile -t answer
	if [ "${answer[0]}" = @list ]; then
		_appt_list_values "$cur" "${answer[@]:1}"
		return
	fi
	for w in "${answer[@]}"; do
		case $w in
		@services | @providers | @resources | @programs | @templates) _appt_config_ids "${w#@}" ;;
		@clients) _appt_client_names ;;
		@reports) _appt_report_names ;;
		@commands) _appt_query --list-commands ;;
		@files) echo "<file>" ;;
		*) printf '%s\n' "$w" ;;
		esac
	done
}

# The candidates for the value of OPTION of KEY, one per line; CUR is the
# value typed so far.
_appt_values()
{
	# shellcheck disable=SC2086 # the key is one or two words
	_appt_ask value $1 "$2" | _appt_words "$3"
}

# Candidates for the N-th positional argument (1-based) of KEY, one per
# line; "<file>" asks for files.
_appt_positional()
{
	# shellcheck disable=SC2086 # the key is one or two words
	_appt_ask arg $1 "$2" | _appt_words ""
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

# The key of a question for a command and its subcommand so far; appt
# answers for a family alone ("appt block --provider ...") as for its
# default subcommand.
_appt_key()
{
	echo "$1${2:+ $2}"
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
		_appt_reply "$cur" < <(_appt_values "$(_appt_key "$cmd" "$sub")" "$opt" "$cur")
	elif [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_appt_option_words "$(_appt_key "$cmd" "$sub")") --help" -- "$cur")
	else
		_appt_reply "$cur" < <(_appt_positional "$(_appt_key "$cmd" "$sub")" $((n + 1)))
	fi
}

complete -F _appt appt
