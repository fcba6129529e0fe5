#!/usr/bin/env bats
# appt confirm, checkin, start, done: the service-delivery states of
# seeds/003 (booked -> confirmed -> waiting -> in-progress -> done).  Steps may
# be skipped, never undone; an end state is final.  The clock is Monday
# 2027-03-01 08:00 (America/Denver), 1803913200 in UTC seconds; checkin, start
# and done run at the visit (VISIT_NOW, Wednesday 09:30, half an hour before
# book_consult's 10:00): policies.arrival.early (default 1h) refuses them
# earlier.

load test_helper

NOW_EPOCH=1803913200
VISIT_NOW=2027-03-03T09:30
VISIT_EPOCH=1804091400

# Runs a command at the visit's time.
at_visit() {
	APPT_NOW=$VISIT_NOW "$@"
}

setup() {
	common_setup
	init_db
}

event_count() {
	db "SELECT count(*) FROM events"
}

@test "moves through every state, each step printed, stored and logged" {
	book_consult
	run -0 --separate-stderr appt confirm 1 --via sms
	assert_output "confirmed #1"
	assert_equal "$stderr" ""
	assert_equal "$(status_of 1)" confirmed
	run -0 --separate-stderr at_visit appt checkin 1
	assert_output "checked in #1"
	assert_equal "$(status_of 1)" waiting
	run -0 --separate-stderr at_visit appt start 1
	assert_output "started #1"
	assert_equal "$(status_of 1)" in-progress
	run -0 --separate-stderr at_visit appt done 1
	assert_output "done #1"
	assert_equal "$stderr" ""
	assert_equal "$(status_of 1)" done
	assert_equal "$(actions_of 1)" "book confirm checkin start done"
}

@test "confirm keeps when and how the client confirmed" {
	book_consult
	run -0 appt confirm 1 --via call
	run -0 db "SELECT confirmed_at, confirmed_via FROM appointments WHERE id = 1"
	assert_output "$NOW_EPOCH|call"
}

@test "confirm --via takes the shared vocabulary, phone stored as call, walk-in refused" {
	local via id at=(09:00 09:30 10:00 10:30 11:00)
	for via in call sms email in-person online; do
		id=$(book_consult Ann "2027-03-02 ${at[0]}")
		at=("${at[@]:1}")
		run -0 appt confirm "$id" --via "$via"
		assert_equal "$(db "SELECT confirmed_via FROM appointments WHERE id = $id")" "$via"
	done
	id=$(book_consult Bob "2027-03-02 11:30")
	run -0 appt confirm "$id" --via phone
	assert_equal "$(db "SELECT confirmed_via FROM appointments WHERE id = $id")" "call"
	id=$(book_consult Cy "2027-03-02 13:00")
	run -65 --separate-stderr appt confirm "$id" --via walk-in
	assert_equal "$stderr" "appt confirm: --via walk-in does not apply here (expected call, sms, email, in-person or online)"
	assert_equal "$(status_of "$id")" booked
}

@test "confirm without --via records no channel" {
	book_consult
	run -0 appt confirm 1
	run -0 db "SELECT confirmed_at, coalesce(confirmed_via, '-') FROM appointments WHERE id = 1"
	assert_output "$NOW_EPOCH|-"
}

@test "each change is logged with actor, time and the state before and after" {
	book_consult
	APPT_USER=maria run -0 at_visit appt checkin 1
	run -0 db "SELECT actor, at, forced, json_extract(before, '$.status'),
		   json_extract(after, '$.status') FROM events ORDER BY id DESC LIMIT 1"
	assert_output "maria|$VISIT_EPOCH|0|booked|waiting"
}

@test "a walk-in is checked in without a confirmation" {
	book_consult
	run -0 --separate-stderr at_visit appt checkin 1
	assert_output "checked in #1"
	run -0 db "SELECT status, coalesce(CAST(confirmed_at AS TEXT), '-') FROM appointments WHERE id = 1"
	assert_output "waiting|-"
}

@test "a booked appointment can be started or marked done directly" {
	book_consult Ann "2027-03-03 10:00"
	book_consult Bob "2027-03-03 11:00"
	run -0 at_visit appt start 1
	assert_equal "$(status_of 1)" in-progress
	APPT_NOW=2027-03-03T10:30 run -0 appt done 2
	assert_equal "$(status_of 2)" done
	assert_equal "$(actions_of 2)" "book done"
}

@test "done on a cancelled appointment is refused naming its state" {
	book_consult
	appt cancel 1 --reason "moving away" >/dev/null
	before=$(event_count)
	run -1 --separate-stderr appt done 1
	assert_output ""
	assert_regex "$stderr" "^appt done: .*#1.*cancelled"
	assert_equal "$(status_of 1)" cancelled
	assert_equal "$(event_count)" "$before"
}

@test "confirm on a done appointment is refused naming its state" {
	book_consult
	at_visit appt done 1 >/dev/null
	run -1 --separate-stderr appt confirm 1 --via sms
	assert_output ""
	assert_regex "$stderr" "^appt confirm: .*#1.*done"
	run -0 db "SELECT status, coalesce(confirmed_via, '-') FROM appointments WHERE id = 1"
	assert_output "done|-"
}

@test "going back is refused: checkin on an appointment in progress" {
	book_consult
	at_visit appt start 1 >/dev/null
	run -1 --separate-stderr at_visit appt checkin 1
	assert_regex "$stderr" "^appt checkin: .*in-progress"
	assert_equal "$(status_of 1)" in-progress
}

@test "repeating a step is refused: confirm twice" {
	book_consult
	appt confirm 1 >/dev/null
	run -1 --separate-stderr appt confirm 1
	assert_regex "$stderr" "^appt confirm: .*confirmed"
	assert_equal "$(db "SELECT count(*) FROM events WHERE action = 'confirm'")" 1
}

@test "a no-show is final" {
	book_consult Ann "2027-03-01 10:00"
	APPT_NOW=2027-03-01T10:30 appt noshow 1 >/dev/null
	run -1 --separate-stderr appt checkin 1
	assert_regex "$stderr" "no-show"
}

@test "an id that is not a number is bad data (65)" {
	book_consult
	for cmd in confirm checkin start done; do
		run -65 --separate-stderr appt "$cmd" abc
		assert_output ""
		assert_regex "$stderr" "^appt $cmd: .*'abc'"
	done
	run -65 appt done 0
	run -65 appt done -- -3
	assert_equal "$(status_of 1)" booked
}

@test "an unknown appointment is not found (2)" {
	for cmd in confirm checkin start done; do
		run -2 --separate-stderr appt "$cmd" 99
		assert_output ""
		assert_regex "$stderr" "^appt $cmd: .*#99"
	done
}

@test "an invalid --via is bad data (65) and changes nothing" {
	book_consult
	run -65 --separate-stderr appt confirm 1 --via pigeon
	assert_output ""
	assert_regex "$stderr" "^appt confirm: .*'pigeon'.*call, sms, email, in-person or online"
	assert_equal "$(status_of 1)" booked
	assert_equal "$(actions_of 1)" "book"
}

@test "--via belongs to confirm only" {
	book_consult
	run -64 --separate-stderr appt checkin 1 --via sms
	assert_regex "$stderr" "unknown option '--via'"
	assert_equal "$(status_of 1)" booked
}

@test "a missing or extra id is a usage error (64)" {
	book_consult
	run -64 --separate-stderr appt start
	assert_regex "$stderr" "missing argument"
	assert_regex "$stderr" "usage: appt start ID"
	run -64 --separate-stderr appt start 1 2
	assert_regex "$stderr" "unexpected argument '2'"
	run -64 --separate-stderr appt done 1 --bogus
	assert_regex "$stderr" "unknown option '--bogus'"
	run -64 --separate-stderr appt confirm 1 --via
	assert_regex "$stderr" "needs a value"
	assert_equal "$(status_of 1)" booked
}

@test "-q prints nothing on success" {
	book_consult
	run -0 --separate-stderr appt confirm -q 1
	assert_output ""
	assert_equal "$stderr" ""
	run -0 --separate-stderr at_visit appt done --quiet 1
	assert_output ""
	assert_equal "$(status_of 1)" done
}

@test "--help prints the usage on stdout" {
	run -0 --separate-stderr appt confirm --help
	assert_line --index 0 "usage: appt confirm ID [--via call|sms|email|in-person|online] [-q]"
	assert_equal "$stderr" ""
	run -0 appt checkin --help
	assert_line --index 0 "usage: appt checkin ID [--force --reason TEXT] [-q]"
	run -0 appt start -h
	assert_line --index 0 "usage: appt start ID [--force --reason TEXT] [-q]"
	run -0 appt done --help
	assert_line --index 0 "usage: appt done ID [--force --reason TEXT] [-q]"
}

@test "the front end runs the commands" {
	book_consult
	run -0 at_visit appt --db "$APPT_DB" checkin 1
	assert_output "checked in #1"
}

@test "checkin, start and done are refused earlier than policies.arrival.early, naming the rule" {
	book_consult
	before=$(event_count)
	for cmd in checkin start done; do
		APPT_NOW=2027-03-03T08:59 run -1 --separate-stderr appt "$cmd" 1
		assert_output ""
		assert_regex "$stderr" "^appt $cmd: too early to (check in|start|mark done) appointment #1: it starts 2027-03-03 10:00 and policies.arrival.early allows 1h before; use --force --reason TEXT to override$"
	done
	assert_equal "$(status_of 1)" booked
	assert_equal "$(event_count)" "$before"
	# exactly policies.arrival.early before is allowed
	APPT_NOW=2027-03-03T09:00 run -0 appt checkin 1
	assert_output "checked in #1"
}

@test "a manager's --force --reason overrides policies.arrival.early, logged as an override" {
	book_consult
	run -64 --separate-stderr appt done 1 --force
	assert_regex "$stderr" "^appt done: --force needs --reason"
	run -1 --separate-stderr appt done 1 --force --reason "closing the day early"
	assert_equal "$stderr" "appt done: only managers (roles.managers) may use --force, and 'desk' is not one"
	assert_equal "$(status_of 1)" booked
	APPT_USER=boss run -0 appt done 1 --force --reason "client came two days early"
	assert_output "done #1"
	run -0 db "SELECT action, actor, forced, reason FROM events ORDER BY id DESC LIMIT 1"
	assert_output "done|boss|1|client came two days early"
}

@test "--force at the visit's time is not logged as an override" {
	book_consult
	APPT_USER=boss run -0 at_visit appt checkin 1 --force --reason "just in case"
	run -0 db "SELECT action, forced FROM events ORDER BY id DESC LIMIT 1"
	assert_output "checkin|0"
}

@test "policies.arrival.early is configurable; confirm is not bound by it and takes no --force" {
	sed -i 's/^  confirmation:$/  arrival:\n    early: 3h\n&/' "$APPT_CONFIG"
	run -0 appt config check
	book_consult
	APPT_NOW=2027-03-03T06:59 run -1 --separate-stderr appt start 1
	assert_regex "$stderr" "allows 3h before"
	APPT_NOW=2027-03-03T07:00 run -0 appt start 1
	book_consult Bob "2027-03-04 10:00"
	run -0 appt confirm 2
	run -64 --separate-stderr appt confirm 2 --force --reason x
	assert_regex "$stderr" "unknown option '--force'"
}
