#!/usr/bin/env bats
# appt noshow: only after start + grace (15m); the fee (40.00), the warning at
# warn_after (2) and the block at block_after (3) of policies.noshow; a refused
# mark changes nothing.  Appointments are booked at the suite's clock, Monday
# 2027-03-01 08:00, and marked with APPT_NOW set past their start.

load test_helper

setup() {
	common_setup
	init_db
}

# Ann misses three consults: Wednesday, Thursday and the next Monday, 10:00.
three_noshows() {
	book_consult Ann "2027-03-03 10:00" >/dev/null
	book_consult Ann "2027-03-04 10:00" >/dev/null
	book_consult Ann "2027-03-08 10:00" >/dev/null
	APPT_NOW=2027-03-03T10:20 appt noshow 1 >/dev/null
	APPT_NOW=2027-03-04T10:20 appt noshow 2 >/dev/null 2>&1
	APPT_NOW=2027-03-08T10:20 appt noshow 3
}

@test "refuses before start + grace and changes nothing" {
	book_consult Ann "2027-03-03 10:00"
	before=$(events)
	APPT_NOW=2027-03-03T10:10 run -1 --separate-stderr appt noshow 1
	assert_output ""
	[[ $stderr == "appt noshow: "* ]]
	assert_equal "$(status_of 1)" "booked"
	assert_equal "$(events)" "$before"
	assert_equal "$(db 'SELECT count(*) FROM charges')" 0
}

@test "marks a no-show after the grace period and charges the fee" {
	book_consult Ann "2027-03-03 10:00"
	APPT_NOW=2027-03-03T10:20 run -0 --separate-stderr appt noshow 1 --note "no answer"
	assert_line --index 0 "marked #1 no-show"
	assert_line --index 1 "fee 40.00 charged"
	assert_equal "${#lines[@]}" 2
	assert_equal "$stderr" ""
	assert_equal "$(status_of 1)" "no-show"
	run -0 db "SELECT appointment_id, client_id, kind, amount, actor FROM charges"
	assert_output "1|1|no-show|4000|desk"
	run -0 db "SELECT actor, entity_id, action, forced FROM events ORDER BY id DESC LIMIT 1"
	assert_output "desk|1|noshow|0"
	assert_equal "$(db 'SELECT note FROM appointments WHERE id = 1')" "no answer"
}

@test "exactly at start + grace is allowed" {
	book_consult Ann "2027-03-03 10:00"
	APPT_NOW=2027-03-03T10:15 run -0 appt noshow 1
	assert_line --index 0 "marked #1 no-show"
}

@test "without a fee nothing is charged" {
	set_config fee '"0"'
	book_consult Ann "2027-03-03 10:00"
	APPT_NOW=2027-03-03T10:20 run -0 appt noshow 1
	assert_output "marked #1 no-show"
	assert_equal "$(db 'SELECT count(*) FROM charges')" 0
}

@test "a confirmed appointment can be a no-show" {
	[ -x "$APPT_BUILD/bin/appt-confirm" ] || skip "appt-confirm is not built"
	book_consult Ann "2027-03-03 10:00"
	appt confirm 1 >/dev/null
	APPT_NOW=2027-03-03T10:20 run -0 appt noshow 1
	assert_equal "$(status_of 1)" "no-show"
}

@test "refuses a done appointment" {
	[ -x "$APPT_BUILD/bin/appt-done" ] || skip "appt-done is not built"
	book_consult Ann "2027-03-03 10:00"
	APPT_NOW=2027-03-03T10:30 appt done 1 >/dev/null
	before=$(events)
	APPT_NOW=2027-03-03T10:40 run -1 --separate-stderr appt noshow 1
	[[ $stderr == *"done"* ]]
	assert_equal "$(status_of 1)" "done"
	assert_equal "$(events)" "$before"
}

@test "refuses a cancelled appointment, naming its state" {
	book_consult Ann "2027-03-03 10:00"
	appt cancel 1 >/dev/null
	before=$(events)
	APPT_NOW=2027-03-03T10:20 run -1 --separate-stderr appt noshow 1
	[[ $stderr == *"cancelled"* ]]
	assert_equal "$(status_of 1)" "cancelled"
	assert_equal "$(events)" "$before"
}

@test "marking twice is refused and charges once" {
	book_consult Ann "2027-03-03 10:00"
	APPT_NOW=2027-03-03T10:20 appt noshow 1 >/dev/null
	before=$(events)
	APPT_NOW=2027-03-03T10:25 run -1 --separate-stderr appt noshow 1
	[[ $stderr == *"no-show"* ]]
	assert_equal "$(events)" "$before"
	assert_equal "$(db 'SELECT count(*) FROM charges')" 1
}

@test "a manager may force an early mark, logged with the reason" {
	book_consult Ann "2027-03-03 10:00"
	APPT_USER=boss APPT_NOW=2027-03-03T10:05 run -0 appt noshow 1 --force --reason "called: not coming"
	assert_line --index 0 "marked #1 no-show"
	run -0 db "SELECT actor, action, forced, reason FROM events ORDER BY id DESC LIMIT 1"
	assert_output "boss|noshow|1|called: not coming"
}

@test "only managers may force" {
	book_consult Ann "2027-03-03 10:00"
	before=$(events)
	APPT_USER=nobody APPT_NOW=2027-03-03T10:05 run -1 --separate-stderr \
		appt noshow 1 --force --reason "called"
	[[ $stderr == *"managers"* ]]
	assert_equal "$(status_of 1)" "booked"
	assert_equal "$(events)" "$before"
}

@test "--force without --reason is a usage error" {
	book_consult Ann "2027-03-03 10:00"
	APPT_USER=boss APPT_NOW=2027-03-03T10:05 run -64 --separate-stderr appt noshow 1 --force
	[[ $stderr == *"--reason"* ]]
	assert_equal "$(status_of 1)" "booked"
}

@test "the second no-show warns, and so does the next booking" {
	book_consult Ann "2027-03-03 10:00"
	book_consult Ann "2027-03-04 10:00"
	APPT_NOW=2027-03-03T10:20 run -0 --separate-stderr appt noshow 1
	assert_equal "$stderr" ""
	APPT_NOW=2027-03-04T10:20 run -0 --separate-stderr appt noshow 2
	assert_line --index 0 "marked #2 no-show"
	[[ $stderr == "appt noshow: warning: "* ]]
	APPT_NOW=2027-03-04T12:00 run -0 --separate-stderr \
		appt book --client Ann --service consult --provider kim --at "2027-03-10 10:00" -q
	assert_output "3"
	[[ $stderr == *"warning: "* ]]
	[[ $stderr == *"2 no-shows"* ]]
	assert_equal "$(db 'SELECT blocked FROM clients WHERE id = 1')" 0
}

@test "the third no-show blocks the client" {
	run -0 --separate-stderr three_noshows
	assert_line --index 0 "marked #3 no-show"
	assert_line --index 1 "fee 40.00 charged"
	assert_line --index 2 "client #1 blocked: 3 no-shows in 180d"
	assert_equal "$(db 'SELECT blocked FROM clients WHERE id = 1')" 1
	assert_equal "$(db "SELECT count(*) FROM charges WHERE kind = 'no-show' AND client_id = 1")" 3
	run -0 db "SELECT actor, action, json_extract(after, '$.blocked_reason') FROM events WHERE entity = 'client' AND entity_id = 1 AND action = 'block'"
	assert_output "desk|block|3 no-shows in 180d (policies.noshow.block_after)"
}

@test "a blocked client cannot book unless a manager forces it" {
	three_noshows >/dev/null 2>&1
	before=$(events)
	APPT_NOW=2027-03-08T12:00 run -1 --separate-stderr \
		appt book --client Ann --service consult --provider kim --at "2027-03-10 10:00"
	[[ $stderr == *"blocked"* ]]
	assert_equal "$(events)" "$before"
	assert_equal "$(db 'SELECT count(*) FROM appointments')" 3
	APPT_NOW=2027-03-08T12:00 run -1 appt book --client Ann --service consult --provider kim \
		--at "2027-03-10 10:00" --force --reason "paid up"
	APPT_USER=boss APPT_NOW=2027-03-08T12:00 run -0 --separate-stderr appt book --client Ann \
		--service consult --provider kim --at "2027-03-10 10:00" --force --reason "paid up" -q
	assert_output "4"
	run -0 db "SELECT actor, forced, reason FROM events ORDER BY id DESC LIMIT 1"
	assert_output "boss|1|paid up"
}

@test "other clients are not affected by a block" {
	three_noshows >/dev/null 2>&1
	APPT_NOW=2027-03-08T12:00 run -0 appt book --client Bob --service consult --provider kim \
		--at "2027-03-10 10:00" -q
	assert_equal "$(db 'SELECT blocked FROM clients WHERE id = 2')" 0
}

@test "a bad id is a data error and an unknown one is not found" {
	run -65 --separate-stderr appt noshow 1.5
	[[ $stderr == *"1.5"* ]]
	APPT_NOW=2027-03-03T10:20 run -2 --separate-stderr appt noshow 7
	[[ $stderr == "appt noshow: "* ]]
}

@test "usage errors: unknown option, missing id, missing value" {
	run -64 --separate-stderr appt noshow 1 --fee 10
	[[ $stderr == *"'--fee'"* ]]
	run -64 appt noshow
	run -64 appt noshow 1 2
	run -64 --separate-stderr appt noshow 1 --note
	[[ $stderr == *"needs a value"* ]]
}

@test "--help prints the usage on stdout" {
	run -0 --separate-stderr appt noshow --help
	assert_line --index 0 --partial "usage: appt noshow ID"
	assert_equal "$stderr" ""
}
