#!/usr/bin/env bats
# appt init: creating and migrating the database, and the schema's guarantees.

load test_helper

@test "init creates the database 0600 at the current schema version" {
	only_on sqlite # the database as a file
	run -0 appt init
	assert_output --partial "ready (schema version 7)"
	assert_file_exists "$APPT_DB"
	run stat -c %a "$APPT_DB"
	assert_output "600"
	run db "PRAGMA user_version"
	assert_output "7"
	run db "PRAGMA journal_mode"
	assert_output "wal"
}

@test "init is idempotent and keeps the data" {
	init_db
	run -0 appt init -q
	assert_output ""
	run db "SELECT count(*) FROM clients"
	assert_output "3"
}

@test "init creates missing directories, and honours the config's database key" {
	only_on sqlite # the database as a file
	unset APPT_DB
	echo "database: data/clinic.db" >>"$APPT_CONFIG"
	run -0 appt init
	assert_file_exists "$BATS_TEST_TMPDIR/data/clinic.db"
}

@test "without APPT_DB or a database key, the database lives under XDG_DATA_HOME" {
	only_on sqlite # the database as a file
	unset APPT_DB
	export XDG_DATA_HOME="$BATS_TEST_TMPDIR/xdg"
	run -0 appt init
	assert_file_exists "$XDG_DATA_HOME/appt/appt.db"
}

@test "other commands refuse to run without a database (66) and create nothing" {
	only_on sqlite # the database as a file
	run -66 --separate-stderr appt slots --service consult
	assert_equal "$stderr" "appt slots: no database at '$APPT_DB' (run 'appt init' to create it)"
	assert_file_not_exists "$APPT_DB"
}

@test "a database from a newer appt is refused (74)" {
	only_on sqlite # the database as a file
	appt init -q
	db "PRAGMA user_version = 99"
	run -74 --separate-stderr appt init
	assert_equal "$stderr" "appt init: database '$APPT_DB' has schema version 99, newer than this appt (7); upgrade appt"
}

@test "a database with a schema version appt never made is refused (74)" {
	only_on sqlite # the database as a file
	appt init -q
	db "PRAGMA user_version = -1"
	run -74 --separate-stderr appt init
	assert_equal "$stderr" "appt init: database '$APPT_DB' has schema version -1, which appt never made"
	run db "PRAGMA user_version"
	assert_output "-1"
}

@test "only init sets up a database: other commands refuse an empty file (74) and leave it empty" {
	only_on sqlite # the database as a file
	: >"$APPT_DB"
	for cmd in "list" "client list" "slots --service consult" "remind" "report day" "export events"; do
		run -74 --separate-stderr appt $cmd
		assert_equal "$stderr" "appt ${cmd%% *}: '$APPT_DB' is not an appt database (run 'appt init' to set it up)"
	done
	assert_equal "$(stat -c %s "$APPT_DB")" 0
	assert_file_not_exists "$APPT_DB-wal"
	run -0 appt init
	assert_output --partial "ready (schema version 7)"
	run -0 appt list
}

# A browser's bookmarks, or any other program's SQLite file.
make_foreign() {
	db "CREATE TABLE moz_bookmarks (id INTEGER PRIMARY KEY, title TEXT);
		CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);
		INSERT INTO moz_bookmarks (title) VALUES ('news')"
}

@test "a foreign SQLite file is refused by every command and by init (74), and left as it was" {
	only_on sqlite # the database as a file
	make_foreign
	sum=$(sha256sum <"$APPT_DB")
	run -74 --separate-stderr appt list
	assert_equal "$stderr" "appt list: '$APPT_DB' is not an appt database: it holds another program's tables (moz_bookmarks, moz_places)"
	run -74 --separate-stderr appt init
	assert_equal "$stderr" "appt init: '$APPT_DB' is not an appt database: it holds another program's tables (moz_bookmarks, moz_places); appt init sets up only an empty file"
	run -74 appt client add --name "Ann Archer" --phone "+15550001"
	assert_equal "$(sha256sum <"$APPT_DB")" "$sum"
	run db "SELECT name FROM sqlite_schema ORDER BY name; PRAGMA journal_mode"
	assert_output $'moz_bookmarks\nmoz_places\ndelete'
}

@test "a foreign file that happens to set user_version is refused too" {
	only_on sqlite # the database as a file
	make_foreign
	db "PRAGMA user_version = 4"
	run -74 --separate-stderr appt list
	assert_regex "$stderr" "is not an appt database: it holds another program's tables"
	run -74 appt init
	run db "SELECT count(*) FROM sqlite_schema"
	assert_output "2"
}

@test "a file that is not SQLite at all is refused (74), unchanged" {
	only_on sqlite # the database as a file
	echo "Dear diary" >"$APPT_DB"
	run -74 --separate-stderr appt list
	assert_equal "$stderr" "appt list: '$APPT_DB' is not an appt database: it is not an SQLite file"
	run -74 --separate-stderr appt init
	assert_equal "$stderr" "appt init: '$APPT_DB' is not an appt database: it is not an SQLite file"
	assert_equal "$(cat "$APPT_DB")" "Dear diary"
}

@test "an older schema is migrated only by init: other commands say to run it (74)" {
	only_on sqlite # the database as a file
	load_v2
	run -74 --separate-stderr appt list
	assert_equal "$stderr" "appt list: database '$APPT_DB' has schema version 2, older than this appt (7); run 'appt init' to migrate it"
	run -74 appt confirm 1 --via call
	run db "PRAGMA user_version; SELECT status FROM appointments WHERE id = 1"
	assert_output $'2\nbooked'
	# What to keep before migrating: appt backup copies it as it is.
	run -0 appt backup "$BATS_TEST_TMPDIR/before-migration.db"
	run -0 sqlite3 "$BATS_TEST_TMPDIR/before-migration.db" "PRAGMA user_version"
	assert_output "2"
	run -0 appt init
	run -0 appt confirm 1 --via call
}

@test "a database that cannot be created is an I/O error (74)" {
	only_on sqlite # the database as a file
	export APPT_DB=/proc/nope/appt.db
	run -74 appt init
	assert_output --partial "cannot create"
}

@test "a missing configuration file is reported (66)" {
	export APPT_CONFIG="$BATS_TEST_TMPDIR/none.yaml"
	run -66 --separate-stderr appt init
	assert_equal "$stderr" "appt init: cannot open '$APPT_CONFIG': No such file or directory" || \
		assert_output --partial "none.yaml"
}

@test "a broken configuration stops init with 78 and FILE:LINE:COLUMN" {
	printf 'business:\n\tname: x\n' >"$APPT_CONFIG"
	run -78 --separate-stderr appt init
	assert_regex "$stderr" "config.yaml:2:[0-9]+: "
	assert_file_not_exists "$APPT_DB"
}

@test "the audit log refuses UPDATE and DELETE" {
	init_db
	run db "UPDATE events SET actor = 'someone else'"
	assert_failure
	assert_output --partial "events are append-only"
	run db "DELETE FROM events"
	assert_failure
	run db "SELECT count(*) FROM events WHERE actor = 'desk'"
	assert_output "3"
}

@test "appointments are never deleted" {
	init_db
	appt book -q --client Ann --service consult --at "2027-03-02 10:00" >/dev/null
	run db "DELETE FROM appointments"
	assert_failure
	assert_output --partial "never deleted"
}

@test "init: usage errors exit 64, --help exits 0" {
	run -64 appt init extra
	assert_output --partial "unexpected argument 'extra'"
	run -64 appt init --bogus
	assert_output --partial "unknown option '--bogus'"
	run -0 appt init --help
	assert_output --partial "usage: appt init"
}

# The database the previous release made: tests/fixtures/schema-v2.sql.
load_v2() {
	sqlite3 -batch "$APPT_DB" <"$BATS_TEST_DIRNAME/fixtures/schema-v2.sql"
}

@test "init migrates a version 1 database, keeping its appointments" {
	only_on sqlite # the database as a file
	load_v2
	# Back to what version 1 had: no outbox, no placed_at/done_at.
	db "DROP TABLE contacts; DROP TABLE messages; DROP INDEX appointments_done; DROP INDEX charges_at;
	    ALTER TABLE appointments DROP COLUMN placed_at; ALTER TABLE appointments DROP COLUMN done_at;
	    PRAGMA user_version = 1"
	run -0 appt init
	run db "PRAGMA user_version"
	assert_output "7"
	run db "SELECT id, placed_at = created_at FROM appointments"
	assert_output "1|1"
	run db "SELECT count(*) FROM messages"
	assert_output "0"
}

@test "init migrates a version 2 database: the same rules, checked without temporary tables" {
	only_on sqlite # the database as a file
	load_v2
	run -0 appt init
	assert_output --partial "ready (schema version 7)"
	run db "PRAGMA user_version; PRAGMA integrity_check"
	assert_output $'7\nok'
	run db "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%IN (''%' AND name <> 'charges'"
	assert_output "0"
	run db "SELECT name FROM sqlite_schema WHERE name = 'appointments_span'"
	assert_output "appointments_span"
	# The rewritten constraints refuse what the old ones refused.
	run db "UPDATE appointments SET status = 'lost'"
	assert_failure
	assert_output --partial "CHECK constraint failed"
	run db "INSERT INTO contacts (client_id, at, actor, via, text) VALUES (1, 0, 'x', 'fax', 't')"
	assert_failure
	run db "UPDATE clients SET channel = 'pigeon'"
	assert_failure
	# ... and the data is as it was, and appt works on it.
	run -0 appt confirm 1 --via call
	run db "SELECT id, status FROM appointments"
	assert_output "1|confirmed"
	run -0 appt init
	assert_output --partial "ready (schema version 7)"
}

@test "a version 2 database whose schema appt did not make is refused (74), and left as it was" {
	only_on sqlite # the database as a file
	load_v2
	db "PRAGMA writable_schema = ON;
	    UPDATE sqlite_schema SET sql = replace(sql, '''in-progress''', '''in-chair''') WHERE name = 'appointments';
	    PRAGMA writable_schema = OFF"
	run -74 --separate-stderr appt init
	assert_regex "$stderr" "^appt init: database '.*': table appointments has no 'CHECK \(status IN .*'; its schema is not one appt made$"
	run db "PRAGMA user_version"
	assert_output "2"
	run db "SELECT count(*) FROM sqlite_schema WHERE name = 'appointments_span'"
	assert_output "0"
}
