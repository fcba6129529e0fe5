#!/usr/bin/env bats
# Files appt writes in a directory others may write too: the file
# transport's spool, the database init creates and the remind lock.  A
# symbolic link planted at one of those names is refused and nothing is
# written through it; a FIFO, a device or a directory is refused as not a
# regular file, without hanging.

load test_helper
load fixtures/messaging

VICTIM=""

setup() {
	only_on sqlite # files in a directory others may write: the SQLite file and its lock
	common_setup
	VICTIM="$BATS_TEST_TMPDIR/victim"
}

# Ann's consult on Wednesday, its confirmation queued but not sent.
book_unsent() {
	init_db
	appt book -q --client Ann --service consult --provider kim --at "2027-03-03 10:00" --no-send >/dev/null
}

@test "file transport: a symbolic link at the spool is refused, the file it names untouched" {
	book_unsent
	echo "someone else's file" >"$VICTIM"
	ln -s "$VICTIM" "$SMS_LOG"
	run -69 --separate-stderr appt remind
	assert_output "sent 0, failed 1, call tasks 0, skipped 0"
	assert_equal "$stderr" "appt remind: failed #1 notice booked to +15550001: cannot open '$SMS_LOG': it is a symbolic link, and appt never writes through one"
	assert_equal "$(cat "$VICTIM")" "someone else's file"
	assert_equal "$(messages status)" "pending"
	# A link to nowhere is not followed to create its target either.
	rm "$SMS_LOG"
	ln -s "$BATS_TEST_TMPDIR/created-by-appt" "$SMS_LOG"
	run -69 env APPT_NOW=2027-03-01T09:00 appt remind
	assert_file_not_exists "$BATS_TEST_TMPDIR/created-by-appt"
	# Once the link is gone the message goes out to a file of appt's own.
	rm "$SMS_LOG"
	run -0 env APPT_NOW=2027-03-01T10:00 appt remind
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	assert_equal "$(sms_count)" 1
	assert_equal "$(stat -c %a "$SMS_LOG")" 600
}

@test "file transport: a FIFO, a link to a device or a directory at the spool is a failed delivery, at once" {
	book_unsent
	mkfifo "$SMS_LOG"
	run -69 --separate-stderr timeout 10 appt remind
	assert_regex "$stderr" "cannot open '$SMS_LOG': it is not a regular file$"
	rm "$SMS_LOG"
	ln -s /dev/null "$SMS_LOG"
	run -69 --separate-stderr env APPT_NOW=2027-03-01T09:00 appt remind
	assert_regex "$stderr" "cannot open '$SMS_LOG': it is a symbolic link"
	rm "$SMS_LOG"
	mkdir "$SMS_LOG"
	run -69 --separate-stderr env APPT_NOW=2027-03-01T10:00 appt remind
	assert_regex "$stderr" "cannot open '$SMS_LOG': Is a directory$"
	assert_equal "$(messages status)" "pending"
}

@test "init refuses a symbolic link where the database would be, and creates nothing through it" {
	ln -s "$VICTIM" "$APPT_DB"
	run -74 --separate-stderr appt init
	assert_equal "$stderr" "appt init: cannot create '$APPT_DB': it is a symbolic link, and appt never writes through one"
	assert_file_not_exists "$VICTIM"
	# A link to an empty file is not set up as a database either.
	: >"$VICTIM"
	run -74 --separate-stderr appt init
	assert_equal "$stderr" "appt init: cannot create '$APPT_DB': it is a symbolic link, and appt never writes through one"
	assert_equal "$(stat -c %s "$VICTIM")" 0
	assert_file_not_exists "$VICTIM-wal"
}

@test "a database set up at a real path may be reached through a link the owner made" {
	mkdir "$BATS_TEST_TMPDIR/data"
	APPT_DB="$BATS_TEST_TMPDIR/data/appt.db" appt init -q
	ln -s "$BATS_TEST_TMPDIR/data/appt.db" "$APPT_DB"
	run -0 appt init
	run -0 appt client add -q --name "Ann Archer" --phone "+15550001"
	run -0 sqlite3 "$BATS_TEST_TMPDIR/data/appt.db" "SELECT name FROM clients"
	assert_output "Ann Archer"
}

@test "remind refuses a symbolic link at its lock (74), writing nothing through it" {
	book_unsent
	ln -s "$VICTIM" "$APPT_DB.remind-lock"
	run -74 --separate-stderr appt remind
	assert_equal "$output" ""
	# (The reason is strerror's: ELOOP for a link.)
	assert_regex "$stderr" "^appt remind: cannot take the remind lock of '.*appt\.db': "
	assert_file_not_exists "$VICTIM"
	echo "keep" >"$VICTIM"
	run -74 appt remind
	assert_equal "$(cat "$VICTIM")" "keep"
	assert_equal "$(messages status)" "pending"
	assert_equal "$(sms_count)" 0
}

@test "remind refuses a FIFO at its lock without hanging" {
	book_unsent
	mkfifo "$APPT_DB.remind-lock"
	run -74 --separate-stderr timeout 10 appt remind
	assert_regex "$stderr" "^appt remind: cannot take the remind lock of '.*appt\.db': "
	assert_equal "$(messages status)" "pending"
}
