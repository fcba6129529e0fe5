#!/usr/bin/env bats
# appt show: one appointment with every detail and its whole history from the
# audit log — who did what, when, why, whether forced, and what changed.
# The clock is Monday 2027-03-01 08:00 (America/Denver); boss is a manager.

load test_helper

setup() {
	common_setup
	init_db
}

# The OS login each history line shows beside APPT_USER, which differs
# from it unless bats runs as a user of that name.
LOGIN_RE='( \(login [^)]+\))?'

# Books Ann a consult with kim at $1 (Thursday 10:00), with any more options.
book_ann() {
	appt book --client Ann --service consult --provider kim --at "${1:-2027-03-04 10:00}" -q "${@:2}"
}

# Reads a value out of `appt show 1 --format json` with a Python expression
# over d, the parsed object.
json_of() {
	appt show "${2:-1}" --format json |
		python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}

@test "shows the appointment's details" {
	book_ann "2027-03-04 10:00" --via phone --note "prefers mornings" >/dev/null
	run -0 --separate-stderr appt show 1
	assert_equal "$stderr" ""
	assert_line --index 0 "appointment #1"
	assert_line --index 1 "client:       Ann Archer (#1, +15550001)"
	assert_line --index 2 "service:      Consultation (consult)"
	assert_line --index 3 "provider:     Kim Kowalski (kim)"
	assert_line --index 4 "when:         2027-03-04 10:00-10:30 America/Denver"
	assert_line --index 5 "status:       booked"
	assert_line --index 6 "booked via:   call"
	assert_line --index 7 "note:         prefers mornings"
	assert_line --index 8 "History:"
	assert_line --index 9 --regexp "^  2027-03-01 08:00  desk$LOGIN_RE +book$"
	assert_line --index 10 "Messages:"
	assert_line --index 11 --regexp "^  #1 +2027-03-01 08:00  notice +booked +sms +sent +\+15550001$"
	assert_equal "${#lines[@]}" 12
}

@test "json carries the messages about the appointment" {
	book_ann "2027-03-04 10:00" >/dev/null
	run -0 json_of 'd["messages"][0]["name"], d["messages"][0]["status"], d["messages"][0]["channel"]'
	assert_output "('booked', 'sent', 'sms')"
}

@test "shows the resource and the confirmation" {
	appt book --client Ann --service peel --provider kim --at "2027-03-04 10:00" -q >/dev/null
	appt confirm 1 --via sms >/dev/null
	run -0 appt show 1
	assert_line "resource:     room-1"
	assert_line "confirmed:    2027-03-01 08:00 via sms"
	assert_line "status:       confirmed"
	assert_line --regexp "^  2027-03-01 08:00  desk$LOGIN_RE +confirm$"
	assert_line "      status: booked -> confirmed"
	assert_line "      confirmed_via: none -> sms"
}

@test "history shows book, reschedule and cancel with actor, reason and changes" {
	book_ann "2027-03-04 10:00" >/dev/null
	APPT_USER=maria appt reschedule 1 --at "2027-03-08 10:00" --reason "client asked" >/dev/null
	APPT_NOW=2027-03-02T09:30 appt cancel 1 --by client --reason "moving away" >/dev/null
	run -0 --separate-stderr appt show 1
	assert_equal "$stderr" ""
	assert_line "status:       cancelled"
	assert_line "rescheduled:  1"
	assert_line "cancelled:    by client: moving away"
	assert_line --regexp "^  2027-03-01 08:00  desk$LOGIN_RE +book$"
	assert_line --regexp "^  2027-03-01 08:00  maria$LOGIN_RE +reschedule  reason: client asked$"
	assert_line "      start: 2027-03-04 10:00 -> 2027-03-08 10:00"
	assert_line "      end_at: 2027-03-04 10:30 -> 2027-03-08 10:30"
	assert_line "      reschedules: 0 -> 1"
	assert_line --regexp "^  2027-03-02 09:30  desk$LOGIN_RE +cancel  reason: moving away$"
	assert_line "      status: booked -> cancelled"
	assert_line "      cancelled_by: none -> client"
	# Oldest first: book, then reschedule, then cancel.
	run -0 json_of '" ".join(e["action"] for e in d["events"])'
	assert_output "book reschedule cancel"
}

@test "a forced change is marked (forced)" {
	book_ann "2027-03-01 10:00" >/dev/null
	APPT_USER=boss run -0 appt reschedule 1 --at "2027-03-01 11:00" --force --reason "provider late"
	run -0 appt show 1
	assert_line --regexp "^  2027-03-01 08:00  boss$LOGIN_RE +reschedule  \(forced\)  reason: provider late$"
}

@test "a late cancellation is flagged" {
	book_ann "2027-03-01 11:00" >/dev/null
	appt cancel 1 --reason "overslept" >/dev/null
	run -0 appt show 1
	assert_line "late cancel:  yes"
	assert_line "      late_cancel: 0 -> 1"
}

@test "JSON carries the fields, ISO instants and nulls" {
	book_ann "2027-03-04 10:00" --note "prefers mornings" >/dev/null
	run -0 --separate-stderr appt show 1 --format json
	assert_equal "$stderr" ""
	run -0 json_of '[d["id"], d["client"], d["phone"], d["service"], d["service_name"], d["provider_name"]]'
	assert_output "[1, 'Ann Archer', '+15550001', 'consult', 'Consultation', 'Kim Kowalski']"
	run -0 json_of '[d["start"], d["end"], d["status"], d["resource"], d["confirmed_at"], d["note"], d["late_cancel"]]'
	assert_output "['2027-03-04T10:00:00-07:00', '2027-03-04T10:30:00-07:00', 'booked', None, None, 'prefers mornings', False]"
}

@test "JSON has every event with before and after as objects" {
	book_ann "2027-03-04 10:00" >/dev/null
	appt confirm 1 --via sms >/dev/null
	APPT_USER=maria appt cancel 1 --reason "moving away" >/dev/null
	run -0 json_of '[e["action"] for e in d["events"]]'
	assert_output "['book', 'confirm', 'cancel']"
	run -0 json_of 'd["events"][0]["before"], d["events"][0]["after"]["status"]'
	assert_output "(None, 'booked')"
	run -0 json_of '[d["events"][2][k] for k in ("at", "actor", "reason", "forced")]'
	assert_output "['2027-03-01T08:00:00-07:00', 'maria', 'moving away', False]"
	run -0 json_of 'd["events"][2]["before"]["status"], d["events"][2]["after"]["status"]'
	assert_output "('confirmed', 'cancelled')"
}

@test "an unknown appointment is not found (2)" {
	run -2 --separate-stderr appt show 42
	assert_output ""
	assert_regex "$stderr" "^appt show: no appointment #42$"
	run -2 --separate-stderr appt show 42 --format json
	assert_output ""
}

@test "a bad id is bad data (65); no id is a usage error (64)" {
	run -65 --separate-stderr appt show x1
	assert_output ""
	assert_regex "$stderr" "^appt show: invalid appointment id 'x1'"
	run -64 --separate-stderr appt show
	assert_regex "$stderr" "missing argument"
	run -64 --separate-stderr appt show 1 2
	assert_regex "$stderr" "unexpected argument '2'"
}

@test "--format takes table or json only" {
	book_ann >/dev/null
	run -65 --separate-stderr appt show 1 --format csv
	assert_output ""
	assert_regex "$stderr" "'csv'.*table or json"
	run -0 appt show 1 --format table
	assert_line --index 0 "appointment #1"
}

@test "--help prints the usage" {
	run -0 --separate-stderr appt show --help
	assert_line --index 0 "usage: appt show ID [--format table|json]"
	assert_equal "$stderr" ""
}
