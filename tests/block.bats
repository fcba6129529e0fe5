#!/usr/bin/env bats
# appt block: a provider's time off.  Slots inside it are not offered,
# bookings inside it are refused, appointments already there are kept with a
# warning, and removing it makes the time bookable again.  The clock is Monday
# 2027-03-01 08:00 (America/Denver); Kim works 09:00-12:00 and 13:00-17:00.

load test_helper

setup() {
	common_setup
	init_db
}

block_kim() {
	appt block --provider kim --from "${1:-2027-03-03 09:00}" --to "${2:-2027-03-03 10:00}" "${@:3}"
}

# The start of Kim's first free consult slot from a time, as local time.
first_slot() {
	appt slots --service consult --provider kim --from "$1" --count 1 --format table |
		sed -n '2s/^\([0-9-]* [0-9:]*\).*/\1/p'
}

# The ids listed by `appt block list` (CSV), space-separated.
listed_ids() {
	appt block list --format csv "$@" | tail -n +2 | cut -d, -f1 | tr '\r\n' '  ' | tr -s ' ' | sed 's/ $//'
}

@test "adds time off: printed, stored and logged" {
	run -0 --separate-stderr block_kim "2027-03-03 09:00" "2027-03-03 10:00" --reason dentist
	assert_output "blocked kim from 2027-03-03 09:00 to 2027-03-03 10:00 (#1)"
	assert_equal "$stderr" ""
	run -0 db "SELECT provider, from_at, to_at, reason FROM blocks"
	assert_output "kim|$(date -d '2027-03-03T16:00Z' +%s)|$(date -d '2027-03-03T17:00Z' +%s)|dentist"
	run -0 db "SELECT actor, entity, entity_id, action, reason FROM events WHERE entity = 'block'"
	assert_output "desk|block|1|add|dentist"
}

@test "'block add' is the same command; -q prints only the id" {
	run -0 --separate-stderr appt block add --provider lee --from "2027-03-03 09:00" --to "2027-03-03 12:00"
	assert_output "blocked lee from 2027-03-03 09:00 to 2027-03-03 12:00 (#1)"
	run -0 --separate-stderr appt block add -q --provider lee --from "tue 09:00" --to "tue 12:00"
	assert_output "2"
	assert_equal "$(db 'SELECT count(*) FROM blocks')" 2
}

@test "now and today's weekday: time off from now to noon today" {
	APPT_NOW=2027-03-01T08:20:42 run -0 appt block add --provider kim --from now --to "mon 12:00"
	assert_output "blocked kim from 2027-03-01 08:20 to 2027-03-01 12:00 (#1)"
	APPT_NOW=2027-03-01T13:00 run -0 appt block add --provider kim --from "mon 9:00" --to "mon 9:30"
	assert_output "blocked kim from 2027-03-08 09:00 to 2027-03-08 09:30 (#2)"
}

@test "a booking overlapping the block is refused; one touching its ends is not" {
	block_kim "2027-03-03 09:30" "2027-03-03 10:30" --reason dentist >/dev/null
	run -1 --separate-stderr appt book --client Ann --service consult --provider kim --at "2027-03-03 09:30" -q
	assert_output ""
	assert_regex "$stderr" "^appt book: .*time off.*dentist"
	run -1 appt book --client Ann --service consult --provider kim --at "2027-03-03 09:15" -q
	run -1 appt book --client Ann --service consult --provider kim --at "2027-03-03 10:15" -q
	assert_equal "$(db 'SELECT count(*) FROM appointments')" 0
	run -0 appt book --client Ann --service consult --provider kim --at "2027-03-03 09:00" -q
	run -0 appt book --client Bob --service consult --provider kim --at "2027-03-03 10:30" -q
	assert_output "2"
}

@test "slots skip the block, and other providers keep their slots" {
	assert_equal "$(first_slot '2027-03-03 09:00')" "2027-03-03 09:00"
	block_kim "2027-03-03 09:00" "2027-03-03 10:00" >/dev/null
	assert_equal "$(first_slot '2027-03-03 09:00')" "2027-03-03 10:00"
	run -0 bash -c "appt slots --service consult --provider lee --from '2027-03-03 09:00' --count 1 --format table | sed -n 2p"
	assert_output --regexp "^2027-03-03 09:00 +09:30 +lee "
}

@test "removing the block makes its time bookable again" {
	block_kim >/dev/null
	run -0 --separate-stderr appt block remove 1
	assert_output "removed block #1"
	assert_equal "$stderr" ""
	assert_equal "$(db 'SELECT count(*) FROM blocks')" 0
	assert_equal "$(first_slot '2027-03-03 09:00')" "2027-03-03 09:00"
	run -0 appt book --client Ann --service consult --provider kim --at "2027-03-03 09:30" -q
	run -0 db "SELECT group_concat(action, ' ') FROM events WHERE entity = 'block' AND entity_id = 1"
	assert_output "add remove"
}

@test "booked appointments inside new time off are kept, with a warning" {
	appt book --client Ann --service consult --provider kim --at "2027-03-03 10:00" -q >/dev/null
	appt book --client Bob --service consult --provider kim --at "2027-03-03 10:30" -q >/dev/null
	appt book --client Cy --service consult --provider kim --at "2027-03-03 11:00" -q >/dev/null
	appt cancel 3 --reason "moved away" >/dev/null
	run -0 --separate-stderr block_kim "2027-03-03 09:30" "2027-03-03 12:00"
	assert_output "blocked kim from 2027-03-03 09:30 to 2027-03-03 12:00 (#1)"
	assert_equal "$stderr" "appt block: warning: 2 booked appointment(s) fall inside this block; move them with appt reschedule"
	run -0 db "SELECT group_concat(status, ' ') FROM appointments"
	assert_output "booked booked cancelled"
}

@test "an unknown provider is not found (2)" {
	run -2 --separate-stderr appt block --provider nobody --from "2027-03-03 09:00" --to "2027-03-03 10:00"
	assert_output ""
	assert_regex "$stderr" "^appt block: no provider 'nobody'"
	run -2 --separate-stderr appt block list --provider nobody
	assert_regex "$stderr" "no provider 'nobody'"
	assert_equal "$(db 'SELECT count(*) FROM blocks')" 0
}

@test "--to not after --from is bad data (65)" {
	run -65 --separate-stderr block_kim "2027-03-03 10:00" "2027-03-03 09:00"
	assert_output ""
	assert_regex "$stderr" "^appt block: "
	run -65 block_kim "2027-03-03 10:00" "2027-03-03 10:00"
	assert_equal "$(db 'SELECT count(*) FROM blocks')" 0
}

@test "an unparsable time is bad data (65)" {
	run -65 --separate-stderr block_kim "2027-03-03 25:00" "2027-03-03 26:00"
	assert_regex "$stderr" "25:00"
	run -65 block_kim "2027-03-03 09:00" "soon"
}

@test "add without --provider, --from or --to is a usage error (64)" {
	run -64 --separate-stderr appt block --provider kim --from "2027-03-03 09:00"
	assert_regex "$stderr" "^appt block: --provider, --from and --to are required"
	assert_regex "$stderr" "usage: appt block"
	run -64 appt block add --from "2027-03-03 09:00" --to "2027-03-03 10:00"
	run -64 appt block add --provider kim --from a --to b extra
}

@test "list shows time off not yet ended, by start" {
	block_kim "2027-03-04 09:00" "2027-03-04 10:00" --reason later >/dev/null
	APPT_NOW=2027-02-01T08:00 block_kim "2027-02-20 09:00" "2027-02-20 10:00" --reason past >/dev/null
	block_kim "2027-03-01 07:00" "2027-03-01 09:00" --reason now >/dev/null
	appt block --provider lee --from "2027-03-02 09:00" --to "2027-03-02 10:00" >/dev/null
	run -0 listed_ids
	assert_output "3 4 1"
	run -0 listed_ids --provider kim
	assert_output "3 1"
	run -0 listed_ids --from 2027-02-01
	assert_output "2 3 4 1"
	run -0 listed_ids --from 2027-02-01 --to 2027-03-02
	assert_output "2 3 4"
}

@test "list formats: table with local times, CSV and JSON with ISO instants" {
	block_kim "2027-03-03 09:00" "2027-03-03 10:00" --reason dentist >/dev/null
	run -0 --separate-stderr appt block list --format table
	assert_line --index 0 --regexp "^id +provider +from +to +reason$"
	assert_line --index 1 --regexp "^1 +kim +2027-03-03 09:00 +2027-03-03 10:00 +dentist$"
	run -0 appt block list --format csv
	assert_line --index 1 "1,kim,2027-03-03T09:00:00-07:00,2027-03-03T10:00:00-07:00,dentist"$'\r'
	run -0 appt block list --format json
	assert_line --index 1 '  {"id":1,"provider":"kim","from":"2027-03-03T09:00:00-07:00","to":"2027-03-03T10:00:00-07:00","reason":"dentist"}'
}

@test "list --to before --from is bad data (65); a bad day too" {
	run -65 --separate-stderr appt block list --from 2027-03-05 --to 2027-03-04
	assert_regex "$stderr" "^appt block: --to 2027-03-04"
	run -65 appt block list --from someday
	run -65 appt block list --format yaml
}

@test "removing unknown time off is not found (2); a bad id is 65" {
	run -2 --separate-stderr appt block remove 7
	assert_output ""
	assert_regex "$stderr" "^appt block: .*#7"
	run -65 --separate-stderr appt block remove seven
	assert_regex "$stderr" "invalid block id 'seven'"
	run -64 appt block remove
	run -64 appt block remove 1 2
}

@test "-q on remove prints nothing" {
	block_kim >/dev/null
	run -0 --separate-stderr appt block remove -q 1
	assert_output ""
	assert_equal "$stderr" ""
}

@test "no subcommand or an unknown one is a usage error (64)" {
	run -64 --separate-stderr appt block
	assert_output ""
	assert_regex "$stderr" "usage: appt block"
	run -64 --separate-stderr appt block delete 1
	assert_regex "$stderr" "^appt block: unknown subcommand 'delete'"
	run -64 --separate-stderr appt block list --reason x
	assert_regex "$stderr" "unknown option '--reason'"
}

@test "--help prints the usage for every form" {
	run -0 --separate-stderr appt block --help
	assert_line --index 0 --partial "usage: appt block [add] --provider P"
	assert_equal "$stderr" ""
	run -0 appt block list --help
	assert_line --index 1 --partial "appt block list"
	run -0 appt block remove -h
	assert_line --index 2 --partial "appt block remove ID"
}
