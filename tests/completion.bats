#!/usr/bin/env bats
# Shell completion: completions/appt.bash is driven directly (COMP_WORDS,
# COMP_CWORD, _appt, COMPREPLY); the zsh and fish scripts are syntax-checked
# and run through the same cases where those shells are installed.  The
# candidates come from appt itself, so these tests also pin the interfaces
# the scripts rely on: `appt --list-commands`, `appt config list KIND` and
# `appt client list --format csv`.

load test_helper

COMPLETIONS="$REPO_DIR/completions"

# Every command of DESIGN.md; the scripts must know each, built or not.
ALL_COMMANDS="init config client slots book reschedule cancel noshow confirm checkin
start done list show block remind log report import export backup"

setup() {
	common_setup
	source "$COMPLETIONS/appt.bash"
}

# Completes the words given, the last one being the word under the cursor,
# and prints the candidates one per line.
complete_words() {
	COMP_WORDS=(appt "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_appt
	if [ ${#COMPREPLY[@]} -gt 0 ]; then
		printf '%s\n' "${COMPREPLY[@]}"
	fi
}

has_config_list() {
	appt config list services >/dev/null 2>&1
}

# The subcommands of a command (empty for most).
subcommands_of() {
	_appt_subcommands "$1"
}

@test "bash: commands come from appt --list-commands" {
	run -0 complete_words bo
	assert_output "book"
	run -0 complete_words ''
	for cmd in $(appt --list-commands); do
		assert_line "$cmd"
	done
}

@test "bash: global options before the command" {
	run -0 complete_words --con
	assert_output "--config"
	run -0 complete_words --
	assert_line "--list-commands"
	assert_line "--db"
}

@test "bash: the options of a command" {
	run -0 complete_words book --se
	assert_output "--service"
	run -0 complete_words book --f
	assert_line "--first-available"
	assert_line "--force"
	assert_line "--from"
	run -0 complete_words cancel --
	assert_line "--by"
	assert_line "--help"
	refute_line "--service"
}

@test "bash: subcommands, and their options" {
	run -0 complete_words client ''
	assert_equal "${output//$'\n'/ }" "add list show edit note block unblock merge"
	run -0 complete_words block ''
	assert_equal "${output//$'\n'/ }" "add list remove"
	run -0 complete_words config ''
	assert_equal "${output//$'\n'/ }" "check path list"
	run -0 complete_words client add --ex
	assert_output "--external-id"
	run -0 complete_words block list --fo
	assert_output "--format"
	# a bare "appt block --provider ..." adds time off
	run -0 complete_words block --provider kim --f
	assert_output "--from"
}

@test "bash: fixed option values" {
	run -0 complete_words book --via ''
	assert_equal "${output//$'\n'/ }" "call sms email in-person online walk-in"
	run -0 complete_words confirm --via ''
	assert_equal "${output//$'\n'/ }" "call sms email in-person online"
	run -0 complete_words cancel --by ''
	assert_equal "${output//$'\n'/ }" "client business"
	run -0 complete_words list --status ''
	assert_equal "${output//$'\n'/ }" "booked confirmed waiting in-progress done cancelled no-show"
	run -0 complete_words list --format ''
	assert_equal "${output//$'\n'/ }" "table csv json"
	run -0 complete_words client add --channel e
	assert_output "email"
}

@test "bash: --opt=value, which bash splits at the '='" {
	run -0 complete_words list --status = c
	assert_equal "${output//$'\n'/ }" "confirmed cancelled"
	run -0 complete_words list --format =
	assert_equal "${output//$'\n'/ }" "table csv json"
	# the value given with '=' is skipped, so "b" is completed as a value
	run -0 complete_words cancel --reason=late --by = b
	assert_output "business"
}

@test "bash: services, providers and resources from appt config list" {
	has_config_list || skip "appt config list is not built"
	run -0 complete_words book --service ''
	assert_equal "${output//$'\n'/ }" "consult peel facial class"
	run -0 complete_words slots --service p
	assert_output "peel"
	run -0 complete_words book --provider ''
	assert_equal "${output//$'\n'/ }" "kim lee"
	run -0 complete_words book --resource ''
	assert_output "room-1"
	run -0 complete_words config list ''
	assert_line "services"
}

@test "bash: the global --config on the line is passed on" {
	has_config_list || skip "appt config list is not built"
	unset APPT_CONFIG
	run -0 complete_words --config "$FIXTURES/clinic.yaml" book --service ''
	assert_equal "${output//$'\n'/ }" "consult peel facial class"
	run -0 complete_words --config = "$FIXTURES/config-minimal.yaml" slots --service ''
	assert_output "trim"
}

@test "bash: no configuration, no candidates and no noise" {
	export APPT_CONFIG="$BATS_TEST_TMPDIR/missing.yaml"
	run -0 --separate-stderr complete_words book --service ''
	assert_output ""
	assert_equal "$stderr" ""
	run -0 --separate-stderr complete_words book --client ''
	assert_output ""
	assert_equal "$stderr" ""
}

@test "bash: client names from the client list, quoted for the shell" {
	init_db
	appt client add -q --name 'O"Hara, Dee' >/dev/null
	run -0 complete_words book --client ''
	assert_line 'Ann\ Archer'
	assert_line 'Bob\ Baker'
	assert_line 'Cy\ Cole'
	assert_line 'O\"Hara\,\ Dee'
	run -0 complete_words list --client b
	assert_output 'Bob\ Baker'
	# inside an open quote the name goes in as it is
	run -0 complete_words book --client '"O'
	assert_output 'O"Hara, Dee'
	run -0 complete_words client show c
	assert_output 'Cy\ Cole'
}

@test "bash: positional arguments of report, import, export and help" {
	run -0 complete_words report ov
	assert_output "overdue"
	run -0 complete_words import ''
	assert_equal "${output//$'\n'/ }" "clients appointments"
	run -0 complete_words export e
	assert_output "events"
	run -0 complete_words help bo
	assert_output "book"
	mkdir "$BATS_TEST_TMPDIR/dir"
	touch "$BATS_TEST_TMPDIR/dir/clients.csv"
	run -0 complete_words import clients "$BATS_TEST_TMPDIR/dir/cl"
	assert_output "$BATS_TEST_TMPDIR/dir/clients.csv"
}

@test "bash: report names come from appt report --list" {
	run -0 complete_words report ''
	assert_equal "$output" "$(appt report --list | awk 'NF { print $1 }')"
	assert_line "overdue"
	assert_line "calls"
	run -0 complete_words report ca
	assert_equal "${output//$'\n'/ }" "calls cancellations"
	run -0 complete_words report --list --
	assert_line "--client"
	run -0 complete_words report day --format ''
	assert_equal "${output//$'\n'/ }" "table csv json"
	# the names are asked of appt, never kept in the script
	mkdir "$BATS_TEST_TMPDIR/stub"
	printf '%s\n' '#!/bin/sh' \
		'case "$*" in *"report --list") printf "alpha   the first\nbeta    the second\n" ;;' \
		'"--complete arg report 1") echo @reports ;; esac' \
		>"$BATS_TEST_TMPDIR/stub/appt"
	chmod +x "$BATS_TEST_TMPDIR/stub/appt"
	PATH="$BATS_TEST_TMPDIR/stub:$PATH" run -0 complete_words report ''
	assert_equal "${output//$'\n'/ }" "alpha beta"
}

@test "bash: export datasets, formats and options" {
	run -0 complete_words export ''
	assert_equal "${output//$'\n'/ }" "appointments clients events messages charges contacts invoices payments"
	run -0 complete_words export c
	assert_equal "${output//$'\n'/ }" "clients charges contacts"
	run -0 complete_words export --format ''
	assert_equal "${output//$'\n'/ }" "csv json ics ledger"
	run -0 complete_words export --format = i
	assert_output "ics"
	# an option's value is no dataset
	run -0 complete_words export --from 2027-03-01 e
	assert_output "events"
	run -0 complete_words export clients --r
	assert_equal "${output//$'\n'/ }" "--raw --redact"
	run -0 complete_words export clients --a
	assert_output "--all-columns"
}

@test "bash: remind --only kinds, alone or as a comma-separated list" {
	run -0 complete_words remind --only ''
	assert_equal "${output//$'\n'/ }" "reminders deadlines followups outreach delivery"
	run -0 complete_words remind --only f
	assert_output "followups"
	run -0 complete_words remind --only reminders,d
	assert_equal "${output//$'\n'/ }" "reminders,deadlines reminders,delivery"
	run -0 complete_words remind --only = deadlines,reminders,
	assert_equal "${output//$'\n'/ }" "deadlines,reminders,followups deadlines,reminders,outreach deadlines,reminders,delivery"
	run -0 complete_words remind -
	assert_line "--dry-run"
	assert_line "--retry-uncertain"
	assert_line "--mark-sent"
	assert_line "--verbose"
	assert_line "-v"
	# --retry-uncertain takes its ID only after '=': the next word is its own
	run -0 complete_words remind --retry-uncertain --d
	assert_output "--dry-run"
	run -0 complete_words remind --mark-sent 12 --o
	assert_output "--only"
}

@test "bash: log --via and --outcome values, and its options" {
	run -0 complete_words log --via ''
	assert_equal "${output//$'\n'/ }" "call sms email in-person"
	run -0 complete_words log --via i
	assert_output "in-person"
	run -0 complete_words log 12 --via = e
	assert_output "email"
	run -0 complete_words log --outcome ''
	assert_equal "${output//$'\n'/ }" "reached voicemail no-answer other"
	run -0 complete_words log --client 3 --
	assert_equal "${output//$'\n'/ }" "--client --via --outcome --inbound --task --close --quiet --help"
	run -0 complete_words log -
	assert_line "-q"
	init_db
	run -0 complete_words log --client a
	assert_output 'Ann\ Archer'
}

@test "bash: import datasets, a file or -, and its options" {
	run -0 complete_words import ''
	assert_equal "${output//$'\n'/ }" "clients appointments"
	run -0 complete_words import --dry-run a
	assert_output "appointments"
	# the value of --map (COLUMN=FIELD, split by bash at the '=') is skipped
	run -0 complete_words import --map Name = name cl
	assert_output "clients"
	run -0 complete_words import clients ''
	assert_line "-"
	run -0 complete_words import --
	assert_equal "${output//$'\n'/ }" "--dry-run --map --ignore-unknown --allow-overlap --allow-duplicate --help"
}

@test "bash: --no-send, short options and show --format" {
	local cmd
	for cmd in book noshow; do
		run -0 complete_words "$cmd" 12 --no-
		assert_output "--no-send"
	done
	for cmd in reschedule cancel; do
		run -0 complete_words "$cmd" 12 --no-
		assert_equal "${output//$'\n'/ }" "--no-send --no-notice"
	done
	run -0 complete_words backup -
	assert_equal "${output//$'\n'/ }" "--force -f --help"
	run -0 complete_words show 12 --format ''
	assert_equal "${output//$'\n'/ }" "table json"
	run -0 complete_words config check --
	assert_equal "${output//$'\n'/ }" "--quiet --help"
	run -0 complete_words block remove 4 -
	assert_equal "${output//$'\n'/ }" "--quiet -q --help"
}

@test "bash: every command has options in the script" {
	local cmd sub
	for cmd in $ALL_COMMANDS $(appt --list-commands); do
		[ "$cmd" = help ] && continue
		if [ -n "$(subcommands_of "$cmd")" ]; then
			for sub in $(subcommands_of "$cmd"); do
				_appt_options "$cmd $sub" >/dev/null || fail "no options for '$cmd $sub'"
			done
		else
			_appt_options "$cmd" >/dev/null || fail "no options for '$cmd'"
		fi
	done
}

# The long options a command's usage text names (the global ones aside).
usage_options() {
	appt "$@" --help 2>&1 | grep -oE -- '--[a-z][a-z-]*' | grep -vxE -- '--(config|db|help)' | sort -u
}

# The table a usage text gives, in the notation of _appt_options, one option
# a line.  The options are read from the synopsis (up to the first blank
# line) and from the lines that start with an option, up to the gap before
# their description: "--opt VALUE" (or "--opt a|b") makes "--opt=", and a
# line "-x, --opt" makes "--opt/-x".  --help aside.
usage_table() {
	appt "$@" --help 2>&1 | awk '
		function scan(text, short,    o, name) {
			while (match(text, /--[a-z][a-z-]*( [A-Z][A-Z_]*| [a-z-]+[|][a-z|-]+)?/)) {
				o = substr(text, RSTART, RLENGTH); text = substr(text, RSTART + RLENGTH)
				name = o; sub(/ .*/, "", name)
				if (name == "--help") continue
				seen[name] = 1
				if (o ~ / /) value[name] = "="
				if (short != "") alias[name] = "/" short
			}
		}
		/^$/ { described = 1 }
		!described { scan($0, "") }
		/^ +-/ {
			sub(/^ +/, ""); sub(/  .*/, "")
			if (match($0, /^-[a-z], /)) scan(substr($0, 5), substr($0, 1, 2))
			else scan($0, "")
		}
		END { for (name in seen) print name value[name] alias[name] }' | sort -u
}

# The table of the completion for the keys given, one option a line.
offered_table() {
	local key
	for key; do _appt_options "$key"; done | tr ' ' '\n' | grep . | sort -u
}

# Adds to $problems, naming the differences, unless the tables USAGE and
# OFFERED agree.
compare_tables() {
	local what=$1 usage=$2 offered=$3 diff
	diff=$(diff <(printf '%s\n' "$usage" | grep .) <(printf '%s\n' "$offered" | grep .)) ||
		problems+="$what: usage (<) and completion (>) differ:"$'\n'"$diff"$'\n'
}

@test "bash: the options offered match each built command's usage" {
	local cmd sub keys opt offered whole problems=""
	for cmd in $(appt --list-commands); do
		[ "$cmd" = help ] && continue
		keys=$cmd
		[ -n "$(subcommands_of "$cmd")" ] && keys=$(for sub in $(subcommands_of "$cmd"); do echo "$cmd:$sub"; done)
		offered=$(for k in $keys; do _appt_option_words "${k/:/ }"; done | sort -u)
		for opt in $(usage_options "$cmd"); do
			grep -qx -- "$opt" <<<"$offered" ||
				problems+="'appt $cmd --help' names $opt, the completion does not"$'\n'
		done
		if [ "$keys" = "$cmd" ]; then
			compare_tables "appt $cmd" "$(usage_table "$cmd")" "$(offered_table "$cmd")"
			continue
		fi
		# A subcommand with a usage of its own is held to it; the others
		# share the command's, which must then match them together.
		whole=$(appt "$cmd" --help 2>&1)
		keys=
		for sub in $(subcommands_of "$cmd"); do
			if [ "$(appt "$cmd" "$sub" --help 2>&1)" = "$whole" ]; then
				keys+=" $cmd:$sub"
			else
				compare_tables "appt $cmd $sub" "$(usage_table "$cmd" "$sub")" \
					"$(offered_table "$cmd $sub")"
			fi
		done
		if [ -n "$keys" ]; then
			compare_tables "appt $cmd" "$(usage_table "$cmd")" \
				"$(for k in $keys; do offered_table "${k/:/ }"; done | sort -u)"
		fi
	done
	[ -z "$problems" ] || fail "$problems"
}

@test "zsh: the script parses and completes" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	run -0 zsh -n "$COMPLETIONS/_appt"
	init_db
	# compadd, compset and _files are stubbed: they print what zsh would offer.
	run -0 zsh -f -c '
		compadd() {
			local -a c
			if [[ $1 == -a ]]; then c=("${(P@)2}"); else shift; c=("$@"); fi
			print -rl -- ${(M)c:#${PREFIX}*}
		}
		compset() { [[ $1 == -P && $PREFIX == ${~2}* ]] && PREFIX=${PREFIX#${~2}} }
		_files() { print -r -- "<files>" }
		compdef() { }
		source "$1"
		t() { words=(appt "$@"); CURRENT=$#words; PREFIX=$words[-1]; _appt; print -r -- "--" }
		t bo; t book --se; t book --via ""; t client show B; t book --via=w; t backup ""
		t report ov; t remind --only=reminders,d; t log --via i; t export c; t import clients ""
		t remind -
		for cmd in ${=2}; do _appt_options $cmd >/dev/null || print -r -- "unknown $cmd"; done
	' zsh "$COMPLETIONS/_appt" "init slots book reschedule cancel noshow confirm checkin start done list show remind log report import export backup"
	assert_equal "${output//$'\n'/ }" "book -- --service -- call sms email in-person online walk-in -- Bob Baker -- walk-in -- <files> --\
 overdue -- reminders,deadlines reminders,delivery -- in-person -- clients charges contacts -- <files> - --\
 --dry-run --only --retry-uncertain --mark-sent --verbose -v --help --"
}

@test "fish: the script parses and completes" {
	command -v fish >/dev/null || skip "fish is not installed"
	run -0 fish -n "$COMPLETIONS/appt.fish"
	init_db
	run -0 fish -N -c '
		source $argv[1]
		for line in "appt bo" "appt book --se" "appt confirm --via " "appt client show B" \
				"appt block --provider kim --t" "appt list --status=n" "appt report ov" \
				"appt remind --only reminders,d" "appt remind --only=f" "appt log --via i" \
				"appt export c" "appt backup --f"
			complete -C"$line"
			printf "%s\n" --
		end
		for cmd in (string split " " $argv[2])
			__appt_options_of $cmd >/dev/null; or echo "unknown $cmd"
		end
	' "$COMPLETIONS/appt.fish" "init slots book reschedule cancel noshow confirm checkin start done list show remind log report import export backup"
	assert_equal "${output//$'\n'/ }" "book -- --service -- call email in-person online sms -- Bob Baker -- --to -- --status=no-show --\
 overdue -- reminders,deadlines reminders,delivery -- --only=followups -- in-person -- charges clients contacts --\
 --force --"
}

@test "zsh and fish: the same table of options as bash" {
	local -a keys=(help)
	local cmd sub
	for cmd in $ALL_COMMANDS; do
		if [ -n "$(subcommands_of "$cmd")" ]; then
			for sub in $(subcommands_of "$cmd"); do keys+=("$cmd $sub"); done
		else
			keys+=("$cmd")
		fi
	done
	local expected
	expected=$(for k in "${keys[@]}"; do echo "$k:$(_appt_options "$k")"; done)
	if command -v zsh >/dev/null; then
		run -0 zsh -f -c '
			compdef() { }
			source "$1"; shift
			for k in "$@"; do print -r -- "$k:$(_appt_options $k)"; done
		' zsh "$COMPLETIONS/_appt" "${keys[@]}"
		assert_equal "$output" "$expected"
	fi
	if command -v fish >/dev/null; then
		run -0 fish -N -c '
			source $argv[1]
			for k in $argv[2..]
				set -l o (__appt_options_of $k); or echo "unknown $k"
				echo "$k:$o"
			end
		' "$COMPLETIONS/appt.fish" "${keys[@]}"
		# fish writes "--name" as "name" and "/-q" as "/q"
		assert_equal "$output" "$(sed -e 's/--//g' -e 's|/-|/|g' <<<"$expected")"
	fi
}

@test "fish: services from appt config list" {
	command -v fish >/dev/null || skip "fish is not installed"
	has_config_list || skip "appt config list is not built"
	run -0 fish -N -c 'source $argv[1]; complete -C"appt book --service "' "$COMPLETIONS/appt.fish"
	assert_equal "${output//$'\n'/ }" "class consult facial peel"
}

@test "the scripts copy no option, value or subcommand of appt's" {
	# What they offer is asked of appt (appt --complete): no option of a
	# command, no word of its subcommands, arguments or option values is
	# written in a script.  The exceptions are the questions the scripts
	# ask appt (client list --format csv, report --list, --complete table),
	# and words of the shells themselves (done, fish's count and string match).
	local options words word script code found=""
	options=$(appt --complete table | cut -d: -f2 | tr ' /' '\n\n' | tr -d = | grep -E '^--' |
		grep -vxE -- '--(format|list)')
	for cmd in $ALL_COMMANDS; do
		words+=$'\n'$(appt --complete subcommands "$cmd" 2>/dev/null | tr ' ' '\n')
		for n in 1 2 3; do
			words+=$'\n'$(appt --complete arg "$cmd" "$n" 2>/dev/null | grep -v '^@' || true)
		done
	done
	for opt in "list --status" "book --via" "log --outcome" "cancel --by" "client add --channel" \
		"remind --only" "export --format" "list --format"; do
		# shellcheck disable=SC2086
		words+=$'\n'$(appt --complete value $opt 2>/dev/null | grep -v '^@' || true)
	done
	words=$(grep -E '^[a-z][a-z-]{2,}$' <<<"$words" | grep -vxE 'client|list|csv|table|done|count|match|help|config' | sort -u)
	[ "$(wc -l <<<"$words")" -gt 20 ]
	for script in "$COMPLETIONS"/appt.bash "$COMPLETIONS"/_appt "$COMPLETIONS"/appt.fish; do
		code=$(grep -v '^[[:space:]]*#' "$script")
		for word in $options; do
			grep -qE -- "(^|[^a-z-])$word([^a-z-]|\$)" <<<"$code" && found+="$(basename "$script"): $word"$'\n'
		done
		for word in $words; do
			grep -qE -- "(^|[^@a-z_-])$word([^a-z_-]|\$)" <<<"$code" && found+="$(basename "$script"): $word"$'\n'
		done
	done
	[ -z "$found" ] || fail "copied into the scripts:"$'\n'"$found"
}

@test "appt --complete: its answers, and 1 for what it does not know" {
	run -0 appt --complete options block
	assert_output "$(appt --complete options block add)"
	assert_output --partial "--provider= "
	run -0 appt --complete table
	assert_line --partial "block:--provider="
	assert_line "help:"
	refute_line --partial "client:"
	run -0 appt --complete arg client 1
	assert_line "merge"
	run -0 appt --complete arg client merge 3
	assert_output "@clients"
	run -0 appt --complete value remind --only
	assert_line --index 0 "@list"
	run -0 appt --complete arg help 1
	assert_output "@commands"
	# a family without a default subcommand has no options of its own
	run -1 --separate-stderr appt --complete options client
	assert_output ""
	run -1 --separate-stderr appt --complete bogus
	assert_equal "$stderr" "appt: --complete: no such question 'bogus'"
	run -1 --separate-stderr appt --complete options nosuch
	assert_equal "$stderr" "appt: --complete: no such question 'options nosuch'"
	run -1 --separate-stderr appt --complete value book --nosuch
	assert_output ""
	run -1 --separate-stderr appt --complete arg import x
	assert_output ""
}
