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
	cp "$FIXTURES/clinic.yaml" "$APPT_CONFIG"
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
	    WHERE entity = 'appointment' AND entity_id = $1 ORDER BY id)"
}

# Runs SQL against the test database (read-only checks of state).
db() {
	sqlite3 -batch -noheader "$APPT_DB" "$@"
}

# Replaces the value of a YAML line "  key: value" in the test config.
set_config() {
	local key=$1 value=$2
	sed -i -E "s|^([[:space:]]*$key:).*|\\1 $value|" "$APPT_CONFIG"
}
