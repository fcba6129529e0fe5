# Loaded by every suite: a scratch HOME, config and database per test, the
# clock pinned by APPT_NOW, and the build under test first on PATH.
bats_require_minimum_version 1.5.0

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load '/usr/lib/bats/bats-file/load'

TESTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$TESTS_DIR")"
FIXTURES="$TESTS_DIR/fixtures"
APPT_BUILD="${APPT_BUILD:-$REPO_DIR/build}"
PATH="$APPT_BUILD/bin:$PATH"
export PATH

# The store under test: sqlite (a file per test), or pg (a database per test
# on the cluster tests/with-pg started, as the role APPT_USER names).
APPT_TEST_STORE="${APPT_TEST_STORE:-sqlite}"

# Monday 1 March 2027, 08:00 in the fixture clinic's zone (America/Denver).
TEST_NOW="2027-03-01T08:00"

common_setup() {
	export HOME="$BATS_TEST_TMPDIR/home"
	mkdir -p "$HOME"
	# COLUMNS narrows tables; a test that wants it sets it
	unset XDG_CONFIG_HOME XDG_DATA_HOME APPT_DB APPT_CONFIG COLUMNS
	export LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC NO_COLOR=1
	export APPT_USER=desk
	export APPT_NOW="$TEST_NOW"
	export APPT_CONFIG="$BATS_TEST_TMPDIR/config.yaml"
	export APPT_DB="$BATS_TEST_TMPDIR/appt.db"
	[ "$APPT_TEST_STORE" = pg ] && pg_setup
	cp "$FIXTURES/clinic.yaml" "$APPT_CONFIG"
}

# The name of the database of a test directory.
pg_name() {
	printf 't_%s' "$(printf '%s' "$1" | md5sum | cut -c1-20)"
}

# A database of the test's own, owned by desk; the schema is appt init's.
pg_setup() {
	local name
	name=$(pg_name "$BATS_TEST_TMPDIR")
	psql -X -q -U "$APPT_PG_SUPERUSER" -d postgres -c "CREATE DATABASE $name OWNER desk" >/dev/null
	export PGDATABASE="$name" PGUSER=desk
	export APPT_DB="postgresql:///$name"
	pg_actor_wrapper
}

# The database setup_file built (in $BATS_FILE_TMPDIR) as this test's own.
use_file_db() {
	if [ "$APPT_TEST_STORE" = pg ]; then
		psql -X -q -U "$APPT_PG_SUPERUSER" -d postgres -c "DROP DATABASE $PGDATABASE" \
			-c "CREATE DATABASE $PGDATABASE TEMPLATE $(pg_name "$BATS_FILE_TMPDIR") OWNER desk" >/dev/null
	else
		cp "$BATS_FILE_TMPDIR/appt.db" "$APPT_DB"
	fi
}

# Tests that are about one store say so.
only_on() {
	[ "$APPT_TEST_STORE" = "$1" ] || skip "a test of the $1 store"
}

# The actor on PostgreSQL is the role that connected: a test that acts as
# APPT_USER connects as that role.  A program, not a function, so that
# "appt remind &" is appt's own process, which a test can signal.
pg_actor_wrapper() {
	local dir="$BATS_TEST_TMPDIR/pg-bin"
	mkdir -p "$dir"
	printf '#!/bin/sh\nPGUSER="${APPT_USER:-$(id -un)}" exec "%s/bin/appt" "$@"\n' \
		"$APPT_BUILD" >"$dir/appt"
	chmod +x "$dir/appt"
	PATH="$dir:$PATH"
}

setup() {
	common_setup
}

# A fresh database with the usual clients: Ann (sms), Bob (email), Cy (call).
init_db() {
	appt init >/dev/null
	appt client add -q --name "Ann Archer" --phone "+15550001" --email ann@example.com --channel sms >/dev/null
	appt client add -q --name "Bob Baker" --phone "+15550002" --email bob@example.com --channel email >/dev/null
	appt client add -q --name "Cy Cole" --phone "+15550003" --channel call >/dev/null
}

# Books a 30-minute consult with kim (client Ann, Wednesday 3 March 10:00
# unless given) and prints the new id.
book_consult() {
	appt book --client "${1:-Ann}" --service consult --provider kim --at "${2:-2027-03-03 10:00}" -q
}

# How many audit events the database holds.
events() {
	db "SELECT count(*) FROM events"
}

# The widest line of $output in display columns (wide characters count 2).
widest() {
	python3 -c '
import sys, unicodedata
w = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
print(max(w(l) for l in sys.stdin.read().splitlines()))' <<<"$output"
}

# An appointment's state.
status_of() {
	db "SELECT status FROM appointments WHERE id = $1"
}

# The actions logged for an appointment, oldest first, on one line.
actions_of() {
	db "SELECT group_concat(action, ' ') FROM (SELECT action FROM events
	    WHERE entity = 'appointment' AND entity_id = $1 ORDER BY id) logged"
}

# Runs SQL against the test database (read-only checks of state).
db() {
	if [ "$APPT_TEST_STORE" = pg ]; then
		# SQLite's comparisons are 1 and 0; psql prints a boolean t or f
		local out rc=0
		out=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -U "$APPT_PG_SUPERUSER" -c "$@") || rc=$?
		[ -z "$out" ] || sed -E ':a; s/(^|\|)t(\||$)/\11\2/; s/(^|\|)f(\||$)/\10\2/; ta' <<<"$out"
		return $rc
	else
		sqlite3 -batch -noheader "$APPT_DB" "$@"
	fi
}

# N desks, each its own process (and connection), booking kim at one time
# at once: exactly one wins, the others are told the slot is taken.
race_for_one_slot() {
	local n=$1 i
	for i in $(seq 1 "$n"); do
		appt client add -q --name "Racer $i" --phone "+1555200$i" >/dev/null
	done
	for i in $(seq 1 "$n"); do
		( rc=0
		  appt book --client "Racer $i" --service consult --provider kim --at "2027-03-02 10:00" \
			>"$BATS_TEST_TMPDIR/out.$i" 2>"$BATS_TEST_TMPDIR/err.$i" || rc=$?
		  echo "$rc" >"$BATS_TEST_TMPDIR/rc.$i" ) &
	done
	wait
	run bash -c "cat '$BATS_TEST_TMPDIR'/rc.* | sort | uniq -c | sed 's/^ *//'"
	assert_output "1 0
$((n - 1)) 1"
	run bash -c "cat '$BATS_TEST_TMPDIR'/err.*"
	refute_output --partial "locked"
	assert_output --partial "slot taken"
	run db "SELECT count(*) FROM appointments WHERE provider = 'kim' AND local_start = '2027-03-02 10:00'"
	assert_output "1"
}

# The whole database as text, to prove that nothing changed.
dump_db() {
	if [ "$APPT_TEST_STORE" = pg ]; then
		pg_dump -U "$APPT_PG_SUPERUSER" --data-only --no-owner --no-comments "$PGDATABASE" 2>/dev/null |
			grep -v '^--\|^SET \|^SELECT pg_catalog\|^\\restrict \|^\\unrestrict '
	else
		sqlite3 "$APPT_DB" .dump
	fi
}

# Replaces the value of a YAML line "  key: value" in the test config.
set_config() {
	local key=$1 value=$2
	sed -i -E "s|^([[:space:]]*$key:).*|\\1 $value|" "$APPT_CONFIG"
}

# appt serve on a free port of its own choosing (--listen 127.0.0.1:0): sets
# SERVE_URL and SERVE_PID, its log in $BATS_TEST_TMPDIR/serve.log.  The test's
# teardown calls serve_stop.
serve_start() {
	SERVE_LOG="$BATS_TEST_TMPDIR/serve.log"
	# made here: the background job opens it only when it gets to run
	: >"$SERVE_LOG"
	appt serve --listen 127.0.0.1:0 "$@" 2>>"$SERVE_LOG" &
	SERVE_PID=$!
	local i
	for i in $(seq 100); do
		SERVE_URL=$(sed -n 's/^appt serve: listening on \(http:[^ ]*\).*/\1/p' "$SERVE_LOG")
		SERVE_URL=${SERVE_URL%/}
		[ -n "$SERVE_URL" ] && return 0
		kill -0 "$SERVE_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$SERVE_LOG" >&2
	return 1
}

# A SIGTERM sent before the background job has exec'd appt (a test that
# failed at once) can be lost in the shell that was about to: it is sent
# again until the server is gone, and SIGKILL ends a server that never is.
serve_stop() {
	[ -n "${SERVE_PID:-}" ] || return 0
	local i
	for i in $(seq 100); do
		# gone, or exited and waiting to be reaped (Z): stopped
		[[ $(cut -d' ' -f3 "/proc/$SERVE_PID/stat" 2>/dev/null || echo Z) == Z ]] && break
		((i % 10 == 1)) && kill -TERM "$SERVE_PID" 2>/dev/null
		sleep 0.05
	done
	kill -KILL "$SERVE_PID" 2>/dev/null || true
	wait "$SERVE_PID" 2>/dev/null || true
	SERVE_PID=
}

# A python3 that has MODULE: Debian's python3-MODULE is /usr/bin/python3's,
# which another python3 first on PATH (pyenv's) may not see.
python_with() {
	local py
	for py in python3 /usr/bin/python3; do
		if command -v "$py" >/dev/null && "$py" -c "import $1" 2>/dev/null; then
			echo "$py"
			return 0
		fi
	done
	return 1
}
