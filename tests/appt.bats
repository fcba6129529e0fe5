#!/usr/bin/env bats
# The front end: global options, dispatch to appt-COMMAND, the command list,
# help, and the exit codes of its own failures.  Fixture commands are shell
# scripts written per test into $BATS_TEST_TMPDIR/bin, first on PATH.

load test_helper

setup() {
	common_setup
	FAKE_BIN="$BATS_TEST_TMPDIR/bin"
	mkdir -p "$FAKE_BIN"
	PATH="$FAKE_BIN:$PATH"
	make_echo "$FAKE_BIN"
}

# appt-echo in $1: prints its arguments and the exported files, exits
# $ECHO_EXIT; $2 labels the copy so a test can tell which one ran.
make_echo() {
	cat >"$1/appt-echo" <<EOF
#!/bin/sh
echo "from:${2:-path}"
for a in "\$@"; do echo "arg:\$a"; done
echo "config:\${APPT_CONFIG-unset}"
echo "db:\${APPT_DB-unset}"
exit "\${ECHO_EXIT:-0}"
EOF
	chmod 755 "$1/appt-echo"
}

# A stand-in for a command: appt-$1 on the fake PATH, saying its name.
make_fake() {
	printf '#!/bin/sh\necho "fake %s $*"\n' "$1" >"$FAKE_BIN/appt-$1"
	chmod 755 "$FAKE_BIN/appt-$1"
}

# A stand-in for man(1) on PATH that prints how it was called.
make_fake_man() {
	printf '#!/bin/sh\necho "man $*"\n' >"$FAKE_BIN/man"
	chmod 755 "$FAKE_BIN/man"
}

# A copy of appt in an uninstalled tree $BATS_TEST_TMPDIR/tree/build/bin,
# whose pages are in tree/man; prints the copy's path.
make_tree() {
	local tree="$BATS_TEST_TMPDIR/tree"
	mkdir -p "$tree/build/bin" "$tree/man"
	cp "$APPT_BUILD/bin/appt" "$tree/build/bin/appt"
	echo "$tree/build/bin/appt"
}

@test "runs appt-COMMAND found on PATH with its arguments" {
	run -0 --separate-stderr appt echo one "two words" ""
	assert_line --index 0 "from:path"
	assert_line --index 1 "arg:one"
	assert_line --index 2 "arg:two words"
	assert_line --index 3 "arg:"
	assert_equal "$stderr" ""
}

@test "passes the command's exit status through unchanged" {
	ECHO_EXIT=3 run -3 appt echo
	ECHO_EXIT=75 run -75 appt echo
	ECHO_EXIT=0 run -0 appt echo
}

@test "--config and --db reach the command as APPT_CONFIG and APPT_DB" {
	run -0 appt --config /tmp/c.yaml --db /tmp/d.db echo
	assert_line "config:/tmp/c.yaml"
	assert_line "db:/tmp/d.db"
}

@test "--config=FILE and --db=FILE are accepted too" {
	run -0 appt --config=/tmp/c2.yaml --db=/tmp/d2.db echo
	assert_line "config:/tmp/c2.yaml"
	assert_line "db:/tmp/d2.db"
}

@test "without global options the environment reaches the command as is" {
	run -0 appt echo
	assert_line "config:$APPT_CONFIG"
	assert_line "db:$APPT_DB"
}

@test "options after COMMAND belong to the command" {
	run -0 appt echo --config other.yaml --help
	assert_line "arg:--config"
	assert_line "arg:other.yaml"
	assert_line "arg:--help"
	assert_line "config:$APPT_CONFIG"
}

@test "-- ends the global options" {
	run -0 appt --db /tmp/x.db -- echo --db
	assert_line "arg:--db"
	assert_line "db:/tmp/x.db"
}

@test "the directory holding appt is searched before PATH" {
	local appt
	appt=$(make_tree)
	make_echo "$(dirname "$appt")" beside
	run -0 "$appt" echo
	assert_line --index 0 "from:beside"
}

@test "a relative PATH entry is searched from the current directory" {
	mkdir "$BATS_TEST_TMPDIR/rel"
	make_echo "$BATS_TEST_TMPDIR/rel" relative
	rm "$FAKE_BIN/appt-echo"
	cd "$BATS_TEST_TMPDIR"
	PATH="$PATH:rel" run -0 appt echo
	assert_line --index 0 "from:relative"
}

@test "appt alone prints the usage and the commands, exit 0" {
	make_fake book
	run -0 --separate-stderr appt
	assert_line --index 0 --partial "usage: appt [--config FILE] [--db FILE]"
	assert_line "commands:"
	assert_line --regexp '^   book +book an appointment$'
	assert_line --regexp '^   help +show the manual of a command$'
	assert_equal "$stderr" ""
}

@test "the summaries are aligned in one column" {
	make_fake book
	make_fake reschedule
	run -0 appt
	local book resched
	book=$(grep -m1 ' book an appointment$' <<<"$output")
	resched=$(grep -m1 ' move an appointment, keeping its id$' <<<"$output")
	assert_equal "${book%%book an*}" "   book        "
	assert_equal "${resched%%move an*}" "   reschedule  "
}

@test "a user's own appt-NAME is listed under other commands" {
	run -0 appt
	assert_line "other commands:"
	assert_line "   echo"
	local others
	others=$(sed -n '/^other commands:$/,$p' <<<"$output")
	[[ $others == *"   echo"* ]]
	[[ $(sed -n '/^commands:$/,/^other commands:$/p' <<<"$output") != *"   echo"* ]]
}

@test "-h and --help print the command list" {
	run -0 appt -h
	assert_line --partial "usage: appt"
	assert_line "   echo"
	run -0 appt --help
	assert_line "   echo"
}

@test "a file that is not executable is not listed" {
	printf '#!/bin/sh\n' >"$FAKE_BIN/appt-x"
	chmod 644 "$FAKE_BIN/appt-x"
	run -0 appt --list-commands
	refute_line "x"
	run -0 appt
	refute_line "   x"
}

@test "--list-commands prints every name, sorted, without summaries" {
	make_fake book
	run -0 --separate-stderr appt --list-commands
	assert_line "book"
	assert_line "echo"
	assert_line "help"
	refute_output --partial "book an appointment"
	refute_output --partial "usage"
	assert_equal "$output" "$(sort <<<"$output")"
	assert_equal "$output" "$(sort -u <<<"$output")"
	assert_equal "$stderr" ""
}

@test "--version prints the version" {
	run -0 --separate-stderr appt --version
	assert_output --regexp '^appt [0-9]+\.[0-9]+\.[0-9]+$'
	assert_equal "$stderr" ""
}

@test "an unknown command exits 64 and suggests a close one" {
	make_fake book
	run -64 --separate-stderr appt boook
	assert_equal "$output" ""
	assert_equal "$(head -n1 <<<"$stderr")" "appt: 'boook' is not an appt command"
	[[ $stderr == *"did you mean 'book'?"* ]]
}

@test "the suggestion is a line of its own, for appt NAME and appt help NAME" {
	make_fake noshow
	local expected="appt: 'nosuch' is not an appt command
appt: did you mean 'noshow'?"
	run -64 --separate-stderr appt nosuch
	assert_equal "$output" ""
	assert_equal "$stderr" "$expected"
	run -64 --separate-stderr appt help nosuch
	assert_equal "$output" ""
	assert_equal "$stderr" "$expected"
	run -64 --separate-stderr appt help zzzzzzzz
	assert_equal "$stderr" "appt: 'zzzzzzzz' is not an appt command
appt: run 'appt help' for the list of commands"
}

@test "an unknown command with nothing close gets no suggestion" {
	run -64 --separate-stderr appt zzzzzzzz
	[[ $stderr == *"appt: 'zzzzzzzz' is not an appt command"* ]]
	[[ $stderr != *"did you mean"* ]]
	[[ $stderr == *"appt help"* ]]
}

@test "a command name with a slash is never run as a path" {
	mkdir -p "$BATS_TEST_TMPDIR/sub"
	make_echo "$BATS_TEST_TMPDIR/sub"
	cd "$BATS_TEST_TMPDIR"
	run -64 --separate-stderr appt ../sub/echo
	[[ $stderr == *"is not an appt command"* ]]
	run -64 appt ""
}

@test "a command that exists but cannot be executed exits 74" {
	printf '#!/bin/sh\necho ran\n' >"$FAKE_BIN/appt-x"
	chmod 644 "$FAKE_BIN/appt-x"
	run -74 --separate-stderr appt x
	assert_equal "$output" ""
	assert_equal "$stderr" "appt: cannot run 'appt-x': Permission denied"
}

@test "an executable appt-NAME later on PATH wins over a non-executable one" {
	mkdir "$BATS_TEST_TMPDIR/later"
	make_echo "$BATS_TEST_TMPDIR/later" later
	chmod 644 "$FAKE_BIN/appt-echo"
	PATH="$PATH:$BATS_TEST_TMPDIR/later" run -0 appt echo
	assert_line --index 0 "from:later"
}

@test "an unknown global option is a usage error" {
	run -64 --separate-stderr appt --bogus echo
	assert_equal "$output" ""
	[[ $stderr == *"appt: unknown option '--bogus'"* ]]
	[[ $stderr == *"usage: appt"* ]]
}

@test "--config and --db need a file name" {
	run -64 --separate-stderr appt --config
	[[ $stderr == *"'--config' requires a file name"* ]]
	[[ $stderr == *"usage: appt"* ]]
	run -64 --separate-stderr appt --db= echo
	[[ $stderr == *"'--db' requires a file name"* ]]
}

@test "appt help with no command prints the list" {
	run -0 --separate-stderr appt help
	assert_line --partial "usage: appt"
	assert_line "   echo"
	assert_equal "$stderr" ""
}

@test "appt help CMD falls back to CMD --help without a man page" {
	run -0 appt help echo
	assert_line "arg:--help"
}

@test "appt help CMD passes the status of CMD --help through" {
	ECHO_EXIT=64 run -64 appt help echo
}

@test "appt help CMD shows the page from the build tree with man -l" {
	local appt
	appt=$(make_tree)
	make_fake_man
	touch "$BATS_TEST_TMPDIR/tree/man/appt-echo.1"
	run -0 "$appt" help echo
	assert_output "man -l $BATS_TEST_TMPDIR/tree/man/appt-echo.1"
}

@test "appt help CMD uses CMD --help when man cannot be run" {
	local appt
	appt=$(make_tree)
	touch "$BATS_TEST_TMPDIR/tree/man/appt-echo.1"
	PATH="$FAKE_BIN" run -0 "$appt" help echo
	assert_line "arg:--help"
}

@test "appt help for an unknown command exits 64" {
	make_fake book
	run -64 --separate-stderr appt help boook
	assert_equal "$output" ""
	[[ $stderr == *"appt: 'boook' is not an appt command"* ]]
	[[ $stderr == *"did you mean 'book'?"* ]]
}

@test "appt help with too many arguments is a usage error" {
	run -64 --separate-stderr appt help echo book
	[[ $stderr == *"usage: appt help"* ]]
}

@test "appt help appt shows appt(1), or the list without a page" {
	local appt
	appt=$(make_tree)
	make_fake_man
	run -0 "$appt" help appt
	assert_line --partial "usage: appt"
	touch "$BATS_TEST_TMPDIR/tree/man/appt.1"
	run -0 "$appt" help appt
	assert_output "man -l $BATS_TEST_TMPDIR/tree/man/appt.1"
}

@test "appt CMD --help is passed to the command" {
	run -0 appt echo --help
	assert_line "arg:--help"
}

@test "a write error on stdout exits 74" {
	run -74 --separate-stderr bash -c 'appt --list-commands >/dev/full'
	[[ $stderr == *"appt: cannot write output: No space left on device"* ]]
	run -74 bash -c 'appt >/dev/full'
	run -74 bash -c 'appt --version >/dev/full'
}

@test "appt(1) renders without warnings" {
	command -v groff >/dev/null || skip "groff is not installed"
	run -0 --separate-stderr groff -man -Tutf8 -ww -z "$REPO_DIR/man/appt.1"
	assert_equal "$stderr" ""
}

@test "make install puts appt-NAME links in libexec; uninstall takes back all it put" {
	local stage="$BATS_TEST_TMPDIR/stage" repo
	repo=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	# -o all: install what this build holds, never rebuild it here
	run make -s -C "$repo" -o all O="$APPT_BUILD" PREFIX=/usr DESTDIR="$stage" install
	assert_success
	assert [ -x "$stage/usr/bin/appt" ]
	assert_equal "$(readlink "$stage/usr/libexec/appt/appt-book")" /usr/bin/appt
	assert [ -f "$stage/usr/share/man/man1/appt-book.1" ]
	assert [ -f "$stage/usr/share/man/man5/appt-config.5" ]
	assert [ -f "$stage/usr/share/bash-completion/completions/appt" ]
	run make -s -C "$repo" -o all O="$APPT_BUILD" PREFIX=/usr DESTDIR="$stage" uninstall
	assert_success
	run find "$stage" ! -type d
	assert_output ""
	assert [ ! -e "$stage/usr/libexec/appt" ]
	# nothing of the source tree went with it
	assert [ -f "$repo/man/appt-config.5" ]
}
