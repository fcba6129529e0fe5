#!/usr/bin/env bats
# appt reschedule: moving keeps the id and resets the confirmation; the
# notice window, max_times, hours, closures and conflicts refuse a move and
# leave the appointment and the audit log untouched.  The clock is Monday
# 2027-03-01 08:00 unless a test sets APPT_NOW for one command.

load test_helper

setup() {
	common_setup
	init_db
}

# The UTC seconds of a UTC wall time, to compare with start_at.
utc() {
	date -u -d "$1" +%s
}

# The appointment's row as "local_start|status|reschedules".
row() {
	db "SELECT local_start, status, reschedules FROM appointments WHERE id = $1"
}

@test "moves the appointment, keeping its id" {
	book_consult Ann "2027-03-03 10:00"
	run -0 --separate-stderr appt reschedule 1 --at "2027-03-04 11:00"
	assert_output "moved #1 to 2027-03-04 11:00-11:30 with Kim Kowalski"
	assert_equal "$stderr" ""
	assert_equal "$(db 'SELECT count(*) FROM appointments')" 1
	assert_equal "$(row 1)" "2027-03-04 11:00|booked|1"
	assert_equal "$(db 'SELECT start_at FROM appointments WHERE id = 1')" "$(utc '2027-03-04 18:00')"
	assert_equal "$(db 'SELECT end_at FROM appointments WHERE id = 1')" "$(utc '2027-03-04 18:30')"
}

@test "logs the move as the actor, not forced" {
	book_consult Ann "2027-03-03 10:00"
	run -0 appt reschedule 1 --at "2027-03-04 11:00" --reason "client asked"
	run -0 db "SELECT actor, entity, entity_id, action, forced, reason FROM events ORDER BY id DESC LIMIT 1"
	assert_output "desk|appointment|1|reschedule|0|client asked"
	run -0 db "SELECT json_extract(before, '$.start'), json_extract(after, '$.start') FROM events ORDER BY id DESC LIMIT 1"
	assert_output "2027-03-03 10:00|2027-03-04 11:00"
}

@test "-q prints only the id" {
	book_consult Ann "2027-03-03 10:00"
	run -0 --separate-stderr appt reschedule 1 --at "2027-03-04 11:00" -q
	assert_output "1"
	assert_equal "$stderr" ""
}

@test "names the resource when the service needs one" {
	appt book --client Ann --service peel --provider kim --at "2027-03-03 10:00" -q
	run -0 appt reschedule 1 --at "2027-03-04 14:00"
	assert_output "moved #1 to 2027-03-04 14:00-14:45 with Kim Kowalski (room-1)"
	assert_equal "$(db 'SELECT resource FROM appointments WHERE id = 1')" "room-1"
}

@test "--provider moves to another provider" {
	book_consult Ann "2027-03-03 10:00"
	run -0 appt reschedule 1 --at "2027-03-04 09:00" --provider lee
	assert_output "moved #1 to 2027-03-04 09:00-09:30 with Lee Lam"
	assert_equal "$(db 'SELECT provider FROM appointments WHERE id = 1')" "lee"
}

@test "keeps its provider when --provider is not given" {
	appt book --client Ann --service consult --provider lee --at "2027-03-03 10:00" -q
	run -0 appt reschedule 1 --at "2027-03-04 10:00"
	assert_output "moved #1 to 2027-03-04 10:00-10:30 with Lee Lam"
	assert_equal "$(db 'SELECT provider FROM appointments WHERE id = 1')" "lee"
}

@test "may move within its own slot" {
	book_consult Ann "2027-03-03 10:00"
	run -0 appt reschedule 1 --at "2027-03-03 10:15"
	assert_output "moved #1 to 2027-03-03 10:15-10:45 with Kim Kowalski"
}

@test "--first-available --from moves to the earliest free slot" {
	book_consult Ann "2027-03-03 10:00"
	book_consult Bob "2027-03-08 09:00"
	run -0 appt reschedule 1 --first-available --from "2027-03-08 09:00" --provider kim
	assert_output "moved #1 to 2027-03-08 09:30-10:00 with Kim Kowalski"
	assert_equal "$(row 1)" "2027-03-08 09:30|booked|1"
}

@test "--first-available without --from searches from now" {
	book_consult Ann "2027-03-03 10:00"
	run -0 appt reschedule 1 --first-available --provider kim
	assert_output "moved #1 to 2027-03-01 09:00-09:30 with Kim Kowalski"
}

@test "a moved appointment is no longer confirmed" {
	[ -x "$APPT_BUILD/bin/appt-confirm" ] || skip "appt-confirm is not built"
	book_consult Ann "2027-03-03 10:00"
	appt confirm 1 --via sms
	assert_equal "$(db 'SELECT status FROM appointments WHERE id = 1')" "confirmed"
	run -0 appt reschedule 1 --at "2027-03-04 11:00"
	run -0 db "SELECT status, confirmed_at IS NULL FROM appointments WHERE id = 1"
	assert_output "booked|1"
}

@test "refuses a move inside the 24h notice window and changes nothing" {
	book_consult Ann "2027-03-03 10:00"
	before=$(events)
	APPT_NOW=2027-03-02T11:00 run -1 --separate-stderr appt reschedule 1 --at "2027-03-04 11:00"
	assert_output ""
	[[ $stderr == "appt reschedule: "* ]]
	[[ $stderr == *"--force"* ]]
	assert_equal "$(row 1)" "2027-03-03 10:00|booked|0"
	assert_equal "$(events)" "$before"
}

@test "a manager's --force --reason overrides the notice window and is logged" {
	book_consult Ann "2027-03-03 10:00"
	APPT_USER=boss APPT_NOW=2027-03-02T11:00 run -0 --separate-stderr \
		appt reschedule 1 --at "2027-03-04 11:00" --force --reason "provider ill"
	assert_output "moved #1 to 2027-03-04 11:00-11:30 with Kim Kowalski"
	assert_equal "$(row 1)" "2027-03-04 11:00|booked|1"
	run -0 db "SELECT actor, action, forced, reason FROM events ORDER BY id DESC LIMIT 1"
	assert_output "boss|reschedule|1|provider ill"
}

@test "--force without --reason is a usage error" {
	book_consult Ann "2027-03-03 10:00"
	before=$(events)
	APPT_USER=boss run -64 --separate-stderr appt reschedule 1 --at "2027-03-04 11:00" --force
	assert_output ""
	[[ $stderr == *"--reason"* ]]
	assert_equal "$(row 1)" "2027-03-03 10:00|booked|0"
	assert_equal "$(events)" "$before"
}

@test "only managers may force" {
	book_consult Ann "2027-03-03 10:00"
	before=$(events)
	APPT_USER=nobody APPT_NOW=2027-03-02T11:00 run -1 --separate-stderr \
		appt reschedule 1 --at "2027-03-04 11:00" --force --reason "please"
	[[ $stderr == *"managers"* ]]
	[[ $stderr == *"nobody"* ]]
	assert_equal "$(row 1)" "2027-03-03 10:00|booked|0"
	assert_equal "$(events)" "$before"
}

@test "refuses a third move (max_times 2)" {
	book_consult Ann "2027-03-03 10:00"
	run -0 appt reschedule 1 --at "2027-03-04 10:00"
	run -0 appt reschedule 1 --at "2027-03-08 10:00"
	before=$(events)
	run -1 --separate-stderr appt reschedule 1 --at "2027-03-09 10:00"
	[[ $stderr == *"max_times"* ]]
	[[ $stderr == *"--force"* ]]
	assert_equal "$(row 1)" "2027-03-08 10:00|booked|2"
	assert_equal "$(events)" "$before"
}

@test "a manager may force a third move" {
	book_consult Ann "2027-03-03 10:00"
	appt reschedule 1 --at "2027-03-04 10:00" -q
	appt reschedule 1 --at "2027-03-08 10:00" -q
	APPT_USER=boss run -0 appt reschedule 1 --at "2027-03-09 10:00" --force --reason "family emergency"
	assert_equal "$(row 1)" "2027-03-09 10:00|booked|3"
}

@test "refuses a slot taken by another appointment" {
	book_consult Ann "2027-03-03 10:00"
	book_consult Bob "2027-03-03 11:00"
	before=$(events)
	run -1 --separate-stderr appt reschedule 1 --at "2027-03-03 11:15" --provider kim
	[[ $stderr == *"slot taken"* ]]
	[[ $stderr == *"#2"* ]]
	assert_equal "$(row 1)" "2027-03-03 10:00|booked|0"
	assert_equal "$(events)" "$before"
}

@test "--force never double-books" {
	book_consult Ann "2027-03-03 10:00"
	book_consult Bob "2027-03-03 11:00"
	before=$(events)
	APPT_USER=boss run -1 --separate-stderr appt reschedule 1 --at "2027-03-03 11:00" \
		--provider kim --force --reason "squeeze in"
	[[ $stderr == *"slot taken"* ]]
	assert_equal "$(row 1)" "2027-03-03 10:00|booked|0"
	assert_equal "$(events)" "$before"
}

@test "refuses the closure day" {
	book_consult Ann "2027-03-03 10:00"
	before=$(events)
	run -1 --separate-stderr appt reschedule 1 --at "2027-03-05 10:00"
	[[ $stderr == "appt reschedule: "* ]]
	[[ $stderr == *"closed on 2027-03-05"* ]]
	assert_equal "$(row 1)" "2027-03-03 10:00|booked|0"
	assert_equal "$(events)" "$before"
}

@test "a manager may force a move onto the closure day" {
	book_consult Ann "2027-03-03 10:00"
	APPT_USER=boss run -0 appt reschedule 1 --at "2027-03-05 10:00" --force --reason "training moved"
	assert_output "moved #1 to 2027-03-05 10:00-10:30 with Kim Kowalski"
	run -0 db "SELECT actor, forced, reason FROM events ORDER BY id DESC LIMIT 1"
	assert_output "boss|1|training moved"
}

@test "refuses a time outside opening hours" {
	book_consult Ann "2027-03-03 10:00"
	run -1 appt reschedule 1 --at "2027-03-03 12:15"
	assert_equal "$(row 1)" "2027-03-03 10:00|booked|0"
}

@test "refuses a time in the past" {
	book_consult Ann "2027-03-03 10:00"
	run -1 --separate-stderr appt reschedule 1 --at "2027-02-26 10:00"
	[[ $stderr == *"in the past"* ]]
	assert_equal "$(row 1)" "2027-03-03 10:00|booked|0"
}

@test "an unknown provider or resource is not found; a wrong one is refused" {
	book_consult Ann "2027-03-03 10:00"
	run -2 --separate-stderr appt reschedule 1 --at "2027-03-04 11:00" --provider zed
	[[ $stderr == *"'zed'"* ]]
	run -2 appt reschedule 1 --at "2027-03-04 11:00" --resource room-9
	run -1 --separate-stderr appt reschedule 1 --at "2027-03-04 11:00" --resource room-1
	[[ $stderr == *"does not use"* ]]
	appt book --client Bob --service facial --provider kim --at "2027-03-03 14:00" -q
	run -1 --separate-stderr appt reschedule 2 --at "2027-03-04 09:00" --provider lee
	[[ $stderr == *"Lee Lam does not offer Facial"* ]]
	assert_equal "$(row 1)" "2027-03-03 10:00|booked|0"
	assert_equal "$(row 2)" "2027-03-03 14:00|booked|0"
}

@test "refuses to move a cancelled appointment, naming its state" {
	book_consult Ann "2027-03-03 10:00"
	appt cancel 1 >/dev/null
	run -1 --separate-stderr appt reschedule 1 --at "2027-03-04 11:00"
	[[ $stderr == *"cancelled"* ]]
	assert_equal "$(row 1)" "2027-03-03 10:00|cancelled|0"
}

@test "bad times are data errors" {
	book_consult Ann "2027-03-03 10:00"
	before=$(events)
	for at in "2027-03-04 25:00" "2027-02-30 10:00" "abc"; do
		run -65 --separate-stderr appt reschedule 1 --at "$at"
		assert_output ""
		[[ $stderr == *"$at"* ]]
	done
	run -65 appt reschedule 1 --first-available --from "abc"
	assert_equal "$(row 1)" "2027-03-03 10:00|booked|0"
	assert_equal "$(events)" "$before"
}

@test "a bad id is a data error and an unknown one is not found" {
	run -65 --separate-stderr appt reschedule abc --at "2027-03-04 11:00"
	[[ $stderr == *"abc"* ]]
	run -65 appt reschedule --at "2027-03-04 11:00" -- -3
	run -2 --separate-stderr appt reschedule 99 --at "2027-03-04 11:00"
	[[ $stderr == "appt reschedule: "* ]]
}

@test "needs exactly one of --at and --first-available" {
	book_consult Ann "2027-03-03 10:00"
	run -64 --separate-stderr appt reschedule 1
	[[ $stderr == *"--at"* ]]
	run -64 appt reschedule 1 --at "2027-03-04 11:00" --first-available
	run -64 --separate-stderr appt reschedule 1 --at "2027-03-04 11:00" --from "2027-03-04 09:00"
	[[ $stderr == *"--from"* ]]
	assert_equal "$(row 1)" "2027-03-03 10:00|booked|0"
}

@test "usage errors: unknown option, missing value, missing or extra id" {
	run -64 --separate-stderr appt reschedule 1 --at "2027-03-04 11:00" --bogus
	[[ $stderr == *"'--bogus'"* ]]
	[[ $stderr == *"usage: appt reschedule"* ]]
	run -64 --separate-stderr appt reschedule 1 --at
	[[ $stderr == *"needs a value"* ]]
	run -64 appt reschedule --at "2027-03-04 11:00"
	run -64 appt reschedule 1 2 --at "2027-03-04 11:00"
}

@test "--no-send is accepted" {
	book_consult Ann "2027-03-03 10:00"
	run -0 appt reschedule 1 --at "2027-03-04 11:00" --no-send -q
	assert_output "1"
}

@test "--help prints the usage on stdout" {
	run -0 --separate-stderr appt reschedule --help
	assert_line --index 0 --partial "usage: appt reschedule ID"
	assert_output --partial "--first-available"
	assert_output --partial "--no-send"
	assert_equal "$stderr" ""
}
