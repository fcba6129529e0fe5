#!/usr/bin/env bats
# appt cancel: the slot is freed, the reason kept, a cancellation inside
# policies.cancel.min_notice (24h) is late and charged the late fee (25.00),
# and a refused cancel changes nothing.  The clock is Monday 2027-03-01 08:00
# unless a test sets APPT_NOW for one command.

load test_helper

setup() {
	common_setup
	init_db
}

# "status|late_cancel|cancel_reason|cancelled_by" of an appointment.
row() {
	db "SELECT status, late_cancel, coalesce(cancel_reason, '-'), coalesce(cancelled_by, '-') FROM appointments WHERE id = $1"
}

@test "cancels well ahead: no fee, the reason kept, the event logged" {
	book_consult Ann "2027-03-03 10:00"
	run -0 --separate-stderr appt cancel 1 --reason "moving away"
	assert_output "cancelled #1 (2027-03-03 10:00)"
	assert_equal "$stderr" ""
	assert_equal "$(row 1)" "cancelled|0|moving away|client"
	assert_equal "$(db 'SELECT count(*) FROM charges')" 0
	run -0 db "SELECT actor, entity_id, action, forced, reason FROM events ORDER BY id DESC LIMIT 1"
	assert_output "desk|1|cancel|0|moving away"
}

@test "a cancellation inside 24h is late and charges the fee" {
	book_consult Ann "2027-03-03 10:00"
	APPT_NOW=2027-03-02T12:00 run -0 --separate-stderr appt cancel 1 --reason "overslept"
	assert_line --index 0 "cancelled #1 (2027-03-03 10:00)"
	assert_line --index 1 "late cancellation (inside 1d): fee 25.00 charged"
	assert_equal "${#lines[@]}" 2
	assert_equal "$(row 1)" "cancelled|1|overslept|client"
	run -0 db "SELECT appointment_id, client_id, kind, amount, actor FROM charges"
	assert_output "1|1|late-cancel|2500|desk"
}

@test "exactly 24h ahead is not late" {
	book_consult Ann "2027-03-03 10:00"
	APPT_NOW=2027-03-02T10:00 run -0 appt cancel 1
	assert_output "cancelled #1 (2027-03-03 10:00)"
	assert_equal "$(db 'SELECT late_cancel FROM appointments WHERE id = 1')" 0
}

@test "a late cancellation without a late fee is marked but not charged" {
	set_config late_fee '"0"'
	book_consult Ann "2027-03-03 10:00"
	APPT_NOW=2027-03-02T12:00 run -0 appt cancel 1
	assert_line --index 1 "late cancellation (inside 1d)"
	assert_equal "$(db 'SELECT late_cancel FROM appointments WHERE id = 1')" 1
	assert_equal "$(db 'SELECT count(*) FROM charges')" 0
}

@test "--by business is recorded" {
	book_consult Ann "2027-03-03 10:00"
	run -0 appt cancel 1 --by business --reason "provider ill"
	assert_output "cancelled #1 (2027-03-03 10:00)"
	assert_equal "$(row 1)" "cancelled|0|provider ill|business"
}

@test "the business cancelling late charges the client nothing" {
	book_consult Ann "2027-03-03 10:00"
	APPT_NOW=2027-03-02T12:00 run -0 appt cancel 1 --by business --reason "provider ill"
	assert_output "cancelled #1 (2027-03-03 10:00)"
	assert_equal "$(db 'SELECT count(*) FROM charges')" 0
}

@test "cancelling twice is refused naming the state" {
	book_consult Ann "2027-03-03 10:00"
	appt cancel 1 >/dev/null
	before=$(events)
	run -1 --separate-stderr appt cancel 1
	assert_output ""
	[[ $stderr == "appt cancel: "* ]]
	[[ $stderr == *"cancelled"* ]]
	assert_equal "$(events)" "$before"
	assert_equal "$(db 'SELECT count(*) FROM charges')" 0
}

@test "a late cancel refused twice charges only once" {
	book_consult Ann "2027-03-03 10:00"
	APPT_NOW=2027-03-02T12:00 appt cancel 1 >/dev/null
	APPT_NOW=2027-03-02T12:05 run -1 appt cancel 1
	assert_equal "$(db 'SELECT count(*) FROM charges')" 1
}

@test "the freed slot can be booked by another client" {
	book_consult Ann "2027-03-03 10:00"
	run -1 appt book --client Bob --service consult --provider kim --at "2027-03-03 10:00" -q
	appt cancel 1 >/dev/null
	run -0 appt book --client Bob --service consult --provider kim --at "2027-03-03 10:00" -q
	assert_output "2"
	run -0 db "SELECT id, client_id, status FROM appointments ORDER BY id"
	assert_line --index 0 "1|1|cancelled"
	assert_line --index 1 "2|2|booked"
}

@test "refuses an appointment that has started, unless forced" {
	book_consult Ann "2027-03-03 10:00"
	before=$(events)
	APPT_NOW=2027-03-03T10:05 run -1 --separate-stderr appt cancel 1
	[[ $stderr == *"already started"* ]]
	[[ $stderr == *"appt noshow"* ]]
	assert_equal "$(row 1)" "booked|0|-|-"
	assert_equal "$(events)" "$before"
	APPT_USER=boss APPT_NOW=2027-03-03T10:05 run -0 appt cancel 1 --force --reason "entered by mistake"
	assert_equal "$(db 'SELECT status FROM appointments WHERE id = 1')" "cancelled"
}

@test "refuses a done appointment" {
	book_consult Ann "2027-03-03 10:00"
	APPT_NOW=2027-03-03T10:30 appt done 1 >/dev/null
	run -1 --separate-stderr appt cancel 1
	[[ $stderr == *"it is done"* ]]
}

@test "--by takes only client or business" {
	book_consult Ann "2027-03-03 10:00"
	before=$(events)
	run -64 --separate-stderr appt cancel 1 --by staff
	[[ $stderr == *"'staff'"* ]]
	assert_equal "$(row 1)" "booked|0|-|-"
	assert_equal "$(events)" "$before"
}

@test "--force without --reason is a usage error" {
	book_consult Ann "2027-03-03 10:00"
	APPT_USER=boss run -64 --separate-stderr appt cancel 1 --force
	[[ $stderr == *"--reason"* ]]
	assert_equal "$(row 1)" "booked|0|-|-"
}

@test "only managers may force" {
	book_consult Ann "2027-03-03 10:00"
	before=$(events)
	APPT_USER=nobody run -1 --separate-stderr appt cancel 1 --force --reason "please"
	[[ $stderr == *"managers"* ]]
	assert_equal "$(row 1)" "booked|0|-|-"
	assert_equal "$(events)" "$before"
}

@test "a manager's forced late cancel waives the fee and is logged" {
	book_consult Ann "2027-03-03 10:00"
	APPT_USER=boss APPT_NOW=2027-03-02T12:00 run -0 appt cancel 1 --force --reason "waived: hospital"
	assert_line --index 0 "cancelled #1 (2027-03-03 10:00)"
	assert_line --index 1 "late cancellation (inside 1d)"
	assert_equal "$(db 'SELECT count(*) FROM charges')" 0
	assert_equal "$(row 1)" "cancelled|1|waived: hospital|client"
	run -0 db "SELECT actor, action, forced, reason FROM events ORDER BY id DESC LIMIT 1"
	assert_output "boss|cancel|1|waived: hospital"
}

@test "a bad id is a data error and an unknown one is not found" {
	run -65 --separate-stderr appt cancel x1
	[[ $stderr == *"x1"* ]]
	run -2 --separate-stderr appt cancel 42
	[[ $stderr == "appt cancel: "* ]]
}

@test "usage errors: unknown option, missing id, extra argument" {
	run -64 --separate-stderr appt cancel 1 --bogus
	[[ $stderr == *"'--bogus'"* ]]
	run -64 appt cancel
	run -64 appt cancel 1 2
	run -64 --separate-stderr appt cancel 1 --reason
	[[ $stderr == *"needs a value"* ]]
}

@test "--no-send is accepted" {
	book_consult Ann "2027-03-03 10:00"
	run -0 appt cancel 1 --no-send
	assert_equal "$(row 1)" "cancelled|0|-|client"
}

@test "--help prints the usage on stdout" {
	run -0 --separate-stderr appt cancel --help
	assert_line --index 0 --partial "usage: appt cancel ID"
	assert_output --partial "--by client|business"
	assert_equal "$stderr" ""
}
