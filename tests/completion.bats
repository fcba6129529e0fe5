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
	assert_equal "${output//$'\n'/ }" "add list show edit note block unblock"
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
	assert_equal "${output//$'\n'/ }" "phone email online walk-in"
	run -0 complete_words confirm --via ''
	assert_equal "${output//$'\n'/ }" "sms email call"
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
	run -0 complete_words book --via=phone --by = b
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

@test "bash: the options offered match each built command's usage" {
	local cmd sub keys opt offered
	for cmd in $(appt --list-commands); do
		[ "$cmd" = help ] && continue
		keys=$cmd
		[ -n "$(subcommands_of "$cmd")" ] && keys=$(for sub in $(subcommands_of "$cmd"); do echo "$cmd:$sub"; done)
		offered=$(for k in $keys; do _appt_options "${k/:/ }"; done | tr ' ' '\n' | tr -d = | sort -u)
		for opt in $(usage_options "$cmd"); do
			grep -qx -- "$opt" <<<"$offered" || fail "'appt $cmd --help' names $opt, the completion does not"
		done
		if [ "$keys" = "$cmd" ]; then
			for opt in $offered; do
				usage_options "$cmd" | grep -qx -- "$opt" ||
					fail "the completion offers $opt, 'appt $cmd --help' does not name it"
			done
		fi
	done
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
		for cmd in ${=2}; do _appt_options $cmd >/dev/null || print -r -- "unknown $cmd"; done
	' zsh "$COMPLETIONS/_appt" "init slots book reschedule cancel noshow confirm checkin start done list show remind log report import export backup"
	assert_equal "${output//$'\n'/ }" "book -- --service -- phone email online walk-in -- Bob Baker -- walk-in -- <files> --"
}

@test "fish: the script parses and completes" {
	command -v fish >/dev/null || skip "fish is not installed"
	run -0 fish -n "$COMPLETIONS/appt.fish"
	init_db
	run -0 fish -N -c '
		source $argv[1]
		for line in "appt bo" "appt book --se" "appt confirm --via " "appt client show B" \
				"appt block --provider kim --t" "appt list --status=n"
			complete -C"$line"
			printf "%s\n" --
		end
		for cmd in (string split " " $argv[2])
			__appt_options_of $cmd >/dev/null; or echo "unknown $cmd"
		end
	' "$COMPLETIONS/appt.fish" "init slots book reschedule cancel noshow confirm checkin start done list show remind log report import export backup"
	assert_equal "${output//$'\n'/ }" "book -- --service -- call email sms -- Bob Baker -- --to -- --status=no-show --"
}

@test "fish: services from appt config list" {
	command -v fish >/dev/null || skip "fish is not installed"
	has_config_list || skip "appt config list is not built"
	run -0 fish -N -c 'source $argv[1]; complete -C"appt book --service "' "$COMPLETIONS/appt.fish"
	assert_equal "${output//$'\n'/ }" "class consult facial peel"
}
