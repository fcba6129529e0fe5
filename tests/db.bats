#!/usr/bin/env bats
# appt db copy: the whole appointment book into another store, ids kept,
# each table counted and digested on both sides; refused into a database
# that already holds one.  Runs on both stores (the source is the store
# under test; the target here a SQLite file; pg.bats copies into
# PostgreSQL).

load test_helper

setup() {
	common_setup
	init_db
	book_consult >/dev/null
	appt book -q --client Bob --service consult --provider kim --at "2027-03-03 11:00" >/dev/null
	appt cancel 2 --reason "sick" >/dev/null
	appt client merge Cy Ann >/dev/null 2>&1 || true
	COPY="$BATS_TEST_TMPDIR/copy.db"
}

@test "copies every table with its ids, and says what it copied" {
	run -0 appt db copy --to "$COPY"
	assert_line --index 0 --regexp "^clients +3 rows  digest [0-9a-f]{16}$"
	assert_line --index 2 --regexp "^series +0 rows  digest [0-9a-f]{16}$"
	assert_line --index 3 --regexp "^appointments +2 rows  digest [0-9a-f]{16}$"
	assert_line --index 6 --regexp "^events +[0-9]+ rows  digest [0-9a-f]{16}$"
	assert_line --index 11 --regexp "^invoices +0 rows  digest [0-9a-f]{16}$"
	assert_line --index 18 --regexp "^copied '.*' to '$COPY'$"
	assert_equal "$(sqlite3 "$COPY" "SELECT id, status FROM appointments ORDER BY id")" "1|booked
2|cancelled"
	assert_equal "$(sqlite3 "$COPY" "SELECT count(*) FROM events")" "$(events)"
	assert_equal "$(stat -c %a "$COPY")" 600
	for set in clients appointments events messages; do
		appt export "$set" --format csv >"$BATS_TEST_TMPDIR/here.$set"
		APPT_DB=$COPY appt export "$set" --format csv >"$BATS_TEST_TMPDIR/copy.$set"
		cmp "$BATS_TEST_TMPDIR/here.$set" "$BATS_TEST_TMPDIR/copy.$set"
	done
}

@test "the copy is a working book: the next id follows the copied ones" {
	appt db copy -q --to "$COPY"
	run -0 env APPT_DB="$COPY" appt book -q --client Cy --service consult --provider kim \
		--at "2027-03-03 11:30"
	assert_output 3
	run -1 --separate-stderr env APPT_DB="$COPY" appt book --client Bob --service consult \
		--provider kim --at "2027-03-03 10:00"
	assert_regex "$stderr" "slot taken"
}

@test "-q prints nothing" {
	run -0 appt db copy -q --to "$COPY"
	assert_output ""
}

@test "a target that holds a book is refused (1), and left as it was" {
	appt db copy -q --to "$COPY"
	before=$(sqlite3 "$COPY" "SELECT count(*) FROM events")
	run -1 --separate-stderr appt db copy --to "$COPY"
	assert_output ""
	assert_equal "$stderr" "appt db: '$COPY' already holds an appointment book (3 clients); appt db copy fills only an empty database"
	assert_equal "$(sqlite3 "$COPY" "SELECT count(*) FROM events")" "$before"
}

@test "a target that is not appt's is refused, and not touched" {
	sqlite3 "$COPY" "CREATE TABLE moz_bookmarks (id INTEGER PRIMARY KEY, title TEXT)"
	run -74 --separate-stderr appt db copy --to "$COPY"
	assert_regex "$stderr" "is not an appt database: it holds another program's tables \\(moz_bookmarks\\)"
	assert_equal "$(sqlite3 "$COPY" ".tables")" "moz_bookmarks"
}

@test "usage: --to is required, no arguments, an unknown subcommand (64)" {
	run -64 --separate-stderr appt db copy
	assert_regex "$stderr" "--to TARGET is required"
	run -64 --separate-stderr appt db copy extra --to "$COPY"
	run -64 --separate-stderr appt db move --to "$COPY"
	assert_regex "$stderr" "unknown subcommand 'move'"
	run -64 --separate-stderr appt db
	assert_file_not_exists "$COPY"
}

@test "a missing source is 66, and no target is made" {
	only_on sqlite
	rm -f "$APPT_DB"
	run -66 --separate-stderr appt db copy --to "$COPY"
	assert_regex "$stderr" "no database at"
	assert_file_not_exists "$COPY"
}

@test "--help prints the usage" {
	run -0 appt db copy --help
	assert_line --index 0 "usage: appt db copy --to TARGET [-q]"
}
