#!/usr/bin/env bats
# appt report overdue: seed 004's "No Appointment Booked" report.

load test_helper

setup() {
	common_setup
	cat >>"$APPT_CONFIG" <<'YAML'
programs:
  acne:
    name: Acne Program
    interval: 14d
    services: [peel]
    outreach:
      - {day: 7, channel: sms, template: booked}
      - {day: 12, channel: sms, template: booked}
      - {day: 15, channel: call}
      - {day: 19, channel: call, assign: manager}
    end_after: 1d
YAML
	init_db
	appt client edit Ann --program acne >/dev/null
	appt client edit Bob --program acne >/dev/null
	# Ann's peel on Tuesday 2 March, done; Bob has never been seen.
	appt book -q --client Ann --service peel --at "2027-03-02 10:00" >/dev/null
	APPT_NOW=2027-03-02T10:50 appt done 1 >/dev/null
}

@test "a program client with no visit booked is listed with the next step" {
	APPT_NOW=2027-03-05T12:00 run -0 appt report overdue --format csv
	assert_line --index 0 $'client_id,client,phone,program,last_visit,days_since,attempts,last_attempt,next_step,next_date\r'
	assert_line --index 1 $'1,Ann Archer,"\'+15550001",acne,2027-03-02,3,0,,day 7: sms,2027-03-09\r'
	assert_equal "${#lines[@]}" 2
}

@test "attempts and the next step follow the outreach sent by appt remind" {
	APPT_NOW=2027-03-09T09:00 appt remind >/dev/null
	APPT_NOW=2027-03-10T09:00 run -0 appt report overdue --format json
	run -0 python3 -c 'import json,sys; r=json.load(sys.stdin)[0]; print(r["days_since"], r["attempts"], r["last_attempt"], r["next_step"], r["next_date"])' <<<"$output"
	assert_output "8 1 2027-03-09 day 12: sms 2027-03-14"
}

@test "a logged contact counts as an attempt" {
	APPT_NOW=2027-03-06T09:00 appt log --client Ann --via call --outcome voicemail "left a message" >/dev/null
	APPT_NOW=2027-03-06T10:00 run -0 appt report overdue --format csv
	assert_line --index 1 --partial ",acne,2027-03-02,4,1,2027-03-06,day 7: sms,"
}

@test "booking the next visit takes the client off the report" {
	appt book -q --client Ann --service peel --at "2027-03-15 10:00" >/dev/null
	APPT_NOW=2027-03-10T09:00 run -0 appt report overdue --format csv
	assert_equal "${#lines[@]}" 1
}

@test "a table for the desk, most overdue first, and --client" {
	appt book -q --client Bob --service peel --at "2027-03-03 10:00" >/dev/null
	APPT_NOW=2027-03-03T10:50 appt done 2 >/dev/null
	APPT_NOW=2027-03-20T09:00 run -0 appt report overdue --format table
	assert_line --index 0 --regexp "^client_id +client +phone +program +last_visit +days_since +attempts"
	assert_line --index 1 --regexp "^1 +Ann Archer .* 18 +0 +day 7: sms +2027-03-09$"
	assert_line --index 2 --regexp "^2 +Bob Baker .* 17 "
	APPT_NOW=2027-03-20T09:00 run -0 appt report overdue --client Bob --format csv
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 --partial "Bob Baker"
}

@test "after the last step, the next step is the end of the program" {
	for d in 09 14 17 21; do APPT_NOW=2027-03-${d}T09:00 appt remind >/dev/null; done
	APPT_NOW=2027-03-21T12:00 run -0 appt report overdue --format csv
	assert_line --index 1 --partial ",4,2027-03-21,end of program,"
	APPT_NOW=2027-03-22T09:00 appt remind >/dev/null
	APPT_NOW=2027-03-22T12:00 run -0 appt report overdue --format csv
	assert_equal "${#lines[@]}" 1
	run db "SELECT action, reason FROM events WHERE entity = 'client' AND action = 'program-end'"
	assert_output "program-end|no appointment booked after the final outreach step of acne"
}
