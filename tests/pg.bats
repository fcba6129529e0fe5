#!/usr/bin/env bats
# The PostgreSQL store's own guarantees, which the database enforces for
# every desk on every machine and for SQL written behind appt's back: no
# overlapping appointments, an append-only audit log, one appt remind at a
# time (remind.bats' two parallel runs hold on both stores), the role that
# connected as the actor.  Run by make check on the
# cluster tests/with-pg starts; skipped on SQLite.

load test_helper
load fixtures/messaging

setup() {
	only_on pg
	common_setup
	init_db
}

# SQL as the database's owner would run it with psql, behind appt's back.
owner_sql() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -U desk -c "$1"
}

@test "the audit log cannot be changed or emptied, even with psql" {
	book_consult >/dev/null
	before=$(events)
	run ! owner_sql "UPDATE events SET actor = 'someone else'"
	assert_output --partial "events are append-only"
	run ! owner_sql "DELETE FROM events"
	assert_output --partial "events are append-only"
	run ! owner_sql "TRUNCATE events"
	assert_output --partial "events are append-only"
	run ! owner_sql "DELETE FROM appointments"
	assert_output --partial "appointments are never deleted"
	assert_equal "$(events)" "$before"
	assert_equal "$(db "SELECT count(*) FROM events WHERE actor = 'someone else'")" 0
}

@test "an overlapping appointment inserted with psql is refused by the database" {
	book_consult >/dev/null # kim, Wednesday 10:00-10:30
	run ! owner_sql "INSERT INTO appointments (client_id, service, provider, start_at, end_at,
		busy_from, busy_to, local_start, zone, created_at, updated_at)
		SELECT 2, 'consult', provider, start_at + 600, end_at + 600, busy_from + 600,
		busy_to + 600, local_start, zone, 0, 0 FROM appointments WHERE id = 1"
	assert_output --partial "appointments_provider_free"
	# a cancelled one frees the time, for the database as for appt
	appt cancel 1 --reason "moved away" >/dev/null
	run -0 owner_sql "INSERT INTO appointments (client_id, service, provider, start_at, end_at,
		busy_from, busy_to, local_start, zone, created_at, updated_at)
		SELECT 2, 'consult', provider, start_at + 600, end_at + 600, busy_from + 600,
		busy_to + 600, local_start, zone, 0, 0 FROM appointments WHERE id = 1"
	assert_equal "$(db "SELECT count(*) FROM appointments")" 2
}

@test "the database's refusal is appt's: import --allow-overlap still cannot double-book (65)" {
	book_consult >/dev/null # kim, Wednesday 10:00-10:30
	printf '%s\n' "client,phone,email,service,provider,start,end,status,notes,external_id" \
		"Bob Baker,,bob@example.com,consult,kim,2027-03-03 10:15,,booked,,A" >"$BATS_TEST_TMPDIR/appts.csv"
	before=$(events)
	run -65 --separate-stderr appt import appointments "$BATS_TEST_TMPDIR/appts.csv" --allow-overlap
	assert_regex "$stderr" "appts.csv:2: slot taken: the provider already has an appointment at that time"
	assert_equal "$(db "SELECT count(*) FROM appointments")" 1
	assert_equal "$(events)" "$before"
}

@test "16 desks booking one slot at once, each on its own connection: exactly one wins" {
	race_for_one_slot 16
}

@test "32 desks booking one slot at once: exactly one wins" {
	race_for_one_slot 32
}

# Holds a lock in another session (another machine's appt) until release_lock.
hold_lock() {
	mkfifo "$BATS_TEST_TMPDIR/hold"
	( psql -X -q -U desk -f "$BATS_TEST_TMPDIR/hold" >/dev/null ) 3>&- &
	exec 4>"$BATS_TEST_TMPDIR/hold"
	echo "$1" >&4
	until [ "$(db "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")" = 1 ]; do
		sleep 0.05
	done
}

release_lock() {
	exec 4>&-
	wait
}

@test "a write waiting past the busy timeout for another desk's is a temporary failure (75)" {
	hold_lock "BEGIN; SELECT pg_advisory_xact_lock(1634758772);"
	APPT_BUSY_TIMEOUT_MS=500 run -75 --separate-stderr appt client add --name "Dee Dunn"
	assert_regex "$stderr" "stayed busy while starting a write; retry later"
	release_lock
	assert_equal "$(db "SELECT count(*) FROM clients")" 3
	run -0 appt client add -q --name "Dee Dunn"
}

@test "remind's lock is an advisory lock: a run that cannot get it does nothing" {
	delivery 5 5m 0s
	appt book -q --client Ann --service consult --provider kim --at "2027-03-04 10:00" --no-send >/dev/null
	# another machine's run, holding the lock
	hold_lock "SELECT pg_advisory_lock(1634758772, hashtext('remind'));"
	run -0 --separate-stderr appt remind
	assert_output "another appt remind is running; this run did nothing"
	assert_equal "$(messages status)" "pending"
	release_lock
	run -0 appt remind
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
}

@test "the actor is the role that connected; APPT_USER cannot change it" {
	book_consult >/dev/null
	assert_equal "$(db "SELECT actor FROM events WHERE entity = 'appointment'")" desk
	# connected as desk, claiming to be the manager (appt itself, not the
	# tests' wrapper that connects as APPT_USER)
	PGUSER=desk APPT_USER=boss "$APPT_BUILD/bin/appt" confirm 1 >/dev/null
	assert_equal "$(db "SELECT actor FROM events WHERE action = 'confirm'")" desk
}

@test "a role not in roles.managers cannot force; a manager's role can" {
	book_consult >/dev/null
	run -1 --separate-stderr env PGUSER=desk APPT_USER=boss "$APPT_BUILD/bin/appt" book --client Bob --service consult \
		--provider kim --at "2027-03-02 08:30" --force --reason "early start"
	assert_regex "$stderr" "only managers .* 'desk' is not one"
	run -0 env APPT_USER=boss appt book -q --client Bob --service consult --provider kim \
		--at "2027-03-02 08:30" --force --reason "early start"
	assert_equal "$(db "SELECT actor FROM events WHERE forced = 1")" boss
}

@test "backup refuses and names pg_dump" {
	run -1 --separate-stderr appt backup "$BATS_TEST_TMPDIR/copy.db"
	assert_regex "$stderr" "is a PostgreSQL database: back it up with pg_dump"
	assert_file_not_exists "$BATS_TEST_TMPDIR/copy.db"
}

@test "a password in the URI is never printed" {
	export APPT_DB="postgresql://desk:$PGPASSWORD@localhost:$PGPORT/$PGDATABASE"
	run -0 appt init
	assert_output "database 'postgresql://desk:***@localhost:$PGPORT/$PGDATABASE' ready (schema version 7)"
	run -66 --separate-stderr env APPT_DB="postgresql://desk:$PGPASSWORD@localhost:$PGPORT/nosuchdb" \
		appt list
	refute_output --partial "$PGPASSWORD"
	assert_regex "$stderr" "cannot connect to the database 'postgresql://desk:\*\*\*@"
	[[ "$stderr" != *"$PGPASSWORD"* ]]
}

@test "db copy from SQLite gives a book whose every export is byte for byte the same" {
	appt block add --provider kim --from "2027-03-05 09:00" --to "2027-03-05 12:00" --reason "course" >/dev/null
	appt client note Ann "allergic to latex" --alert >/dev/null 2>&1 || true
	# the same desk work, done on SQLite
	local file="$BATS_TEST_TMPDIR/desk.db"
	APPT_DB=$file appt init -q
	APPT_DB=$file appt client add -q --name "Ann Archer" --phone "+15550001" --email ann@example.com >/dev/null
	APPT_DB=$file appt client add -q --name "Bob Baker" --phone "+15550002" --email bob@example.com --channel email >/dev/null
	APPT_DB=$file appt book -q --client Ann --service consult --provider kim --at "2027-03-03 10:00" >/dev/null
	APPT_DB=$file appt book -q --client Bob --service consult --provider kim --at "2027-03-03 11:00" >/dev/null
	APPT_DB=$file appt cancel 2 --reason "sick" >/dev/null
	APPT_DB=$file appt block add --provider kim --from "2027-03-05 09:00" --to "2027-03-05 12:00" >/dev/null
	# into a fresh PostgreSQL database
	local target="postgresql:///${PGDATABASE}_copy"
	psql -X -q -U "$APPT_PG_SUPERUSER" -d postgres -c "CREATE DATABASE ${PGDATABASE}_copy OWNER desk"
	run -0 env APPT_DB="$file" appt db copy --to "$target"
	assert_line --index 0 --regexp "^clients +2 rows  digest [0-9a-f]{16}$"
	assert_line --index 18 "copied '$file' to '$target'"
	for set in clients appointments events messages; do
		APPT_DB=$file appt export "$set" --format csv >"$BATS_TEST_TMPDIR/sqlite.$set"
		APPT_DB=$target appt export "$set" --format csv >"$BATS_TEST_TMPDIR/pg.$set"
		cmp "$BATS_TEST_TMPDIR/sqlite.$set" "$BATS_TEST_TMPDIR/pg.$set"
	done
	# the next id follows the copied ones
	run -0 env APPT_DB="$target" appt book -q --client Ann --service consult --provider kim \
		--at "2027-03-03 11:30"
	assert_output 3
}

@test "only appt init sets up an empty database; another program's is refused" {
	local empty="${PGDATABASE}_empty"
	psql -X -q -U "$APPT_PG_SUPERUSER" -d postgres -c "CREATE DATABASE $empty OWNER desk"
	export APPT_DB="postgresql:///$empty" PGDATABASE=$empty
	run -74 --separate-stderr appt list
	assert_equal "$stderr" "appt list: '$APPT_DB' is not an appt database (run 'appt init' to set it up)"
	assert_equal "$(db "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" 0
	run -0 appt init
	assert_output "database '$APPT_DB' ready (schema version 7)"
	assert_equal "$(db "SELECT version FROM appt_schema")" 7
	run -0 appt init
	assert_output "database '$APPT_DB' ready (schema version 7)"
	# a database of another program's tables
	psql -X -q -U "$APPT_PG_SUPERUSER" -d postgres -c "CREATE DATABASE ${empty}_2 OWNER desk"
	psql -X -q -U desk -d "${empty}_2" -c "CREATE TABLE moz_bookmarks (id int)"
	run -74 --separate-stderr env APPT_DB="postgresql:///${empty}_2" appt init
	assert_regex "$stderr" "is not an appt database: it holds another program's tables \\(moz_bookmarks\\)"
}

@test "a database that cannot be reached is 66, naming it" {
	run -66 --separate-stderr env APPT_DB="postgresql:///no_such_database" appt list
	assert_regex "$stderr" "^appt list: cannot connect to the database 'postgresql:///no_such_database': "
	assert_output ""
}
