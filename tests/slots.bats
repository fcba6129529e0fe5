#!/usr/bin/env bats
# appt slots: offering free times (at least two, as seed 000 §5.1 asks).

load test_helper

setup() {
	common_setup
	init_db
}

@test "offers policies.booking.offer_slots slots by default, after the booking notice" {
	run -0 appt slots --service consult --format csv
	assert_line --index 0 $'start,end,provider,provider_name,resource\r'
	assert_line --index 1 $'2027-03-01T09:00:00-07:00,2027-03-01T09:30:00-07:00,kim,Kim Kowalski,\r'
	assert_line --index 2 $'2027-03-01T09:15:00-07:00,2027-03-01T09:45:00-07:00,kim,Kim Kowalski,\r'
	assert_equal "${#lines[@]}" 3
}

@test "booked time is skipped, and another provider offered at the same start" {
	appt book -q --client Ann --service consult --provider kim --at "2027-03-01 09:00" >/dev/null
	run -0 appt slots --service consult --format csv --count 1
	assert_line --index 1 --partial "2027-03-01T09:00:00-07:00,2027-03-01T09:30:00-07:00,lee,"
	run -0 appt slots --service consult --provider kim --format csv --count 1
	assert_line --index 1 --partial "2027-03-01T09:30:00-07:00"
}

@test "the same start is offered once, even when two providers are free" {
	run -0 appt slots --service consult --format csv --count 4
	run bash -c "appt slots --service consult --format csv --count 4 | cut -d, -f1 | sort | uniq -d"
	assert_output ""
}

@test "closures and closed days are skipped" {
	run -0 appt slots --service consult --from "2027-03-05 08:00" --format csv --count 1
	assert_line --index 1 --partial "2027-03-06T09:00:00-07:00"
}

@test "--days limits the search, and nothing free is a refusal (1)" {
	run -1 --separate-stderr appt slots --service consult --from "2027-03-07 00:00" --days 1
	assert_equal "$stderr" "appt slots: no free slot for 'consult' in that window"
}

@test "the treatment room limits peels across providers" {
	appt book -q --client Ann --service peel --provider kim --at "2027-03-01 09:00" >/dev/null
	run -0 appt slots --service peel --format csv --count 1
	assert_line --index 1 --partial "2027-03-01T10:00:00-07:00"
}

@test "table and json formats" {
	run -0 appt slots --service peel --format table
	assert_line --index 0 --regexp "^start +end +provider +provider_name +resource$"
	assert_line --index 1 --regexp "^2027-03-01 09:00 +09:45 +kim +Kim Kowalski +room-1$"
	run -0 bash -c "appt slots --service consult --count 3 --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d), d[0][\"provider\"])'"
	assert_output "3 kim"
}

@test "errors: unknown service (2), provider not offering it (1), bad values (65), usage (64)" {
	run -2 appt slots --service botox
	assert_output --partial "no service 'botox'"
	run -2 appt slots --service consult --provider zoe
	run -1 appt slots --service facial --provider lee
	assert_output --partial "Lee Lam does not offer Facial"
	run -65 appt slots --service consult --count 0
	assert_output --partial "invalid value '0' for --count"
	run -65 appt slots --service consult --from "2027-13-01 10:00"
	run -64 appt slots
	assert_output --partial "--service is required"
	run -65 appt slots --service consult --format xml
	run -0 appt slots --help
	assert_output --partial "usage: appt slots"
}
