#!/usr/bin/env bats
# appt backup: a consistent online copy of the database, mode 0600, checked
# before it is reported, never over an existing file without --force.

load test_helper

setup() {
	only_on sqlite # appt backup copies a file; pg.bats: its refusal on PostgreSQL
	common_setup
	init_db
	appt book --client Ann --service consult --provider kim --at "2027-03-02 10:00" -q >/dev/null
	COPY="$BATS_TEST_TMPDIR/copy.db"
}

# What a database holds, for comparing a copy with its original.
contents() {
	sqlite3 -batch "$1" "SELECT id, name, phone, email FROM clients ORDER BY id;
		SELECT id, client_id, status, start_at FROM appointments ORDER BY id;
		SELECT count(*) FROM events; PRAGMA user_version;"
}

# Temporary copies left behind (".copy.db.tmp-" and six random letters):
# there must be none.
stray_files() {
	ls -A "$BATS_TEST_TMPDIR" | grep -e '\.tmp-' || true
}

@test "the copy holds the same rows, passes integrity_check, mode 0600" {
	run -0 --separate-stderr appt backup "$COPY"
	assert_equal "$stderr" ""
	assert_output --regexp "^backup of $APPT_DB written to $COPY \\([0-9]+ pages, integrity ok\\)$"
	run -0 stat -c %a "$COPY"
	assert_output 600
	run -0 sqlite3 "$COPY" "PRAGMA integrity_check"
	assert_output ok
	assert_equal "$(contents "$COPY")" "$(contents "$APPT_DB")"
	# One self-contained file: no WAL to carry along.
	run -0 sqlite3 "$COPY" "PRAGMA journal_mode"
	assert_output delete
	run -0 stray_files
	assert_output ""
}

@test "the copy is 0600 whatever the umask" {
	umask 000
	run -0 appt backup "$COPY"
	run -0 stat -c %a "$COPY"
	assert_output 600
}

@test "a restored copy works as the database" {
	appt backup "$COPY" >/dev/null
	APPT_DB="$COPY" run -0 appt list --date 2027-03-02 --format csv
	assert_line --index 1 --partial "Ann Archer"
}

@test "an existing file is refused unless --force" {
	echo "precious" >"$COPY"
	run -1 --separate-stderr appt backup "$COPY"
	assert_equal "$stderr" "appt backup: '$COPY' exists; use --force to overwrite"
	assert_output ""
	run -0 cat "$COPY"
	assert_output "precious"
	chmod 644 "$COPY"
	run -0 appt backup --force "$COPY"
	assert_equal "$(contents "$COPY")" "$(contents "$APPT_DB")"
	run -0 stat -c %a "$COPY"
	assert_output 600
	run -0 stray_files
	assert_output ""
}

@test "the database itself and a directory are refused, even with --force" {
	run -1 appt backup --force "$APPT_DB"
	assert_output "appt backup: '$APPT_DB' is the database itself"
	run -1 appt backup --force "$BATS_TEST_TMPDIR"
	assert_output --partial "is a directory"
	run -0 sqlite3 "$APPT_DB" "PRAGMA integrity_check"
}

@test "a directory that cannot be written is exit 74, leaving nothing" {
	run -74 appt backup "$BATS_TEST_TMPDIR/missing/copy.db"
	assert_output "appt backup: cannot create a file in '$BATS_TEST_TMPDIR/missing': No such file or directory"
	mkdir "$BATS_TEST_TMPDIR/ro"
	chmod 555 "$BATS_TEST_TMPDIR/ro"
	if [ "$(id -u)" != 0 ]; then
		run -74 appt backup "$BATS_TEST_TMPDIR/ro/copy.db"
		assert_output --partial "Permission denied"
	fi
	run -0 ls -A "$BATS_TEST_TMPDIR/ro"
	assert_output ""
}

@test "a backup succeeds while another process holds a write transaction" {
	local fifo="$BATS_TEST_TMPDIR/hold"
	mkfifo "$fifo"
	# The writer reads its SQL from the fifo: it begins, writes, and waits.
	sqlite3 -batch "$APPT_DB" <"$fifo" >/dev/null 3>&- &
	local writer=$!
	exec 7>"$fifo"
	echo "BEGIN IMMEDIATE; INSERT INTO client_notes (client_id, at, actor, text) VALUES (1, 0, 'x', 'uncommitted');" >&7
	local i
	for i in $(seq 100); do
		sqlite3 -batch "$APPT_DB" "BEGIN IMMEDIATE; ROLLBACK;" 2>/dev/null || break
		sleep 0.05
	done
	run ! sqlite3 -batch "$APPT_DB" "BEGIN IMMEDIATE; ROLLBACK;"
	assert_output --partial "locked"
	run -0 appt backup "$COPY"
	echo "COMMIT;" >&7
	exec 7>&-
	wait "$writer"
	run -0 sqlite3 "$COPY" "SELECT count(*) FROM client_notes"
	assert_output 0
	run -0 sqlite3 "$APPT_DB" "SELECT count(*) FROM client_notes"
	assert_output 1
}

@test "backups taken while bookings go on are each consistent" {
	local i at
	(
		for at in "2027-03-02 09:00" "2027-03-02 09:30" "2027-03-02 10:30" \
			"2027-03-03 09:00" "2027-03-03 09:30" "2027-03-03 10:00"; do
			appt book --client Bob --service consult --provider lee --at "$at" -q --no-send || exit
		done
	) >/dev/null 2>&1 3>&- &
	local booker=$!
	for i in 1 2 3; do
		run -0 appt backup --force "$COPY"
		run -0 sqlite3 "$COPY" "PRAGMA integrity_check; PRAGMA foreign_key_check;"
		assert_output ok
		# Every appointment in a copy has its audit event: no half change.
		run -0 sqlite3 "$COPY" "SELECT count(*) FROM appointments a WHERE NOT EXISTS
			(SELECT 1 FROM events e WHERE e.entity = 'appointment' AND e.entity_id = a.id)"
		assert_output 0
	done
	wait "$booker"
	run -0 appt backup --force "$COPY"
	run -0 sqlite3 "$COPY" "SELECT count(*) FROM appointments"
	assert_output 7
}

@test "usage errors" {
	run -64 appt backup
	run -64 appt backup a.db b.db
	run -64 appt backup --bogus "$COPY"
	run -0 appt backup --help
	assert_line --index 0 "usage: appt backup FILE [--force]"
}
