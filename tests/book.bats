#!/usr/bin/env bats
# appt book: the booking rules of seeds 000/001/002 and DESIGN.md.
# The fixture clinic: Monday 2027-03-01 08:00 now; kim works 09-12, 13-17;
# lee mornings only; one treatment room; peel 45m + 15m buffer in the room.

load test_helper

setup() {
	common_setup
	init_db
}

count_appointments() {
	db "SELECT count(*) FROM appointments"
}

@test "book prints the booking and stores it with its audit event" {
	run -0 appt book --client Ann --service peel --provider kim --at "2027-03-02 10:00" --via phone --note "allergic to latex"
	assert_output "booked #1: Ann Archer, Acne Peel with Kim Kowalski, 2027-03-02 10:00-10:45 (room-1)"
	run db "SELECT client_id, service, provider, resource, local_start, zone, status, via, note, end_at - start_at, busy_to - end_at FROM appointments"
	assert_output "1|peel|kim|room-1|2027-03-02 10:00|America/Denver|booked|call|allergic to latex|2700|900"
	run db "SELECT actor, action, forced, json_extract(after, '$.status') FROM events WHERE entity = 'appointment'"
	assert_output "desk|book|0|booked"
}

@test "--via takes every word of the vocabulary; phone is stored as call" {
	local via id at=(09:00 09:30 10:00 10:30 11:00 11:30 13:00)
	for via in call sms email in-person online walk-in phone; do
		id=$(appt book -q --client Ann --service consult --provider kim --at "2027-03-02 ${at[0]}" --via "$via")
		at=("${at[@]:1}")
		assert_equal "$(db "SELECT via FROM appointments WHERE id = $id")" "${via/phone/call}"
	done
	run -65 --separate-stderr appt book --client Ann --service consult --at "2027-03-03 10:00" --via fax
	assert_equal "$stderr" "appt book: invalid value 'fax' for --via (expected call, sms, email, in-person, online or walk-in)"
}

@test "a weekday names today while its time is ahead; 9:00 is a time" {
	# Monday 08:00: "mon 15:00" is this afternoon
	run -0 appt book -q --client Ann --service consult --provider kim --at "mon 15:00"
	assert_equal "$(db 'SELECT local_start FROM appointments WHERE id = 1')" "2027-03-01 15:00"
	# Monday 16:00: it has passed, so it is next Monday
	APPT_NOW=2027-03-01T16:00 run -0 appt book -q --client Bob --service consult --provider kim --at "monday 15:00"
	assert_equal "$(db 'SELECT local_start FROM appointments WHERE id = 2')" "2027-03-08 15:00"
	run -0 appt book -q --client Cy --service consult --provider kim --at "tue 9:00"
	assert_equal "$(db 'SELECT local_start FROM appointments WHERE id = 3')" "2027-03-02 09:00"
	run -0 appt book -q --client Cy --service consult --provider kim --at "2027-03-03 9:30"
	assert_equal "$(db 'SELECT local_start FROM appointments WHERE id = 4')" "2027-03-03 09:30"
	run -65 --separate-stderr appt book --client Cy --service consult --at "tue 9"
	assert_equal "$stderr" "appt book: invalid time 'tue 9' (expected YYYY-MM-DD HH:MM, a day word and HH:MM, or now)"
}

@test "book -q prints only the id; day words work" {
	run -0 appt book -q --client Bob --service consult --at "tue 09:00"
	assert_output "1"
	run db "SELECT local_start, provider FROM appointments"
	assert_output "2027-03-02 09:00|kim"
}

@test "without --provider the first free provider offering the service is taken" {
	appt book -q --client Ann --service consult --at "2027-03-02 09:00" >/dev/null
	run -0 appt book --client Bob --service consult --at "2027-03-02 09:00"
	assert_output --partial "with Lee Lam"
}

@test "outside hours, on a closure and on a closed day: refused with the rule and the override" {
	run -1 --separate-stderr appt book --client Ann --service consult --provider kim --at "2027-03-02 12:15"
	assert_equal "$stderr" "appt book: outside Kim Kowalski's hours on 2027-03-02 (09:00-12:00, 13:00-17:00); use --force --reason TEXT to override"
	run -1 --separate-stderr appt book --client Ann --service consult --provider lee --at "2027-03-02 14:00"
	assert_equal "$stderr" "appt book: outside Lee Lam's hours on 2027-03-02 (09:00-12:00); use --force --reason TEXT to override"
	run -1 --separate-stderr appt book --client Ann --service consult --at "2027-03-05 10:00"
	assert_stderr_line() { :; }
	[[ "$stderr" == *"closed on 2027-03-05 (staff training)"* ]]
	run -1 --separate-stderr appt book --client Ann --service consult --provider kim --at "2027-03-07 10:00"
	[[ "$stderr" == *"not working that day"* ]]
	run count_appointments
	assert_output "0"
}

@test "a service running past closing time is refused" {
	run -1 appt book --client Ann --service consult --provider kim --at "2027-03-02 16:45"
	assert_output --partial "outside Kim Kowalski's hours"
}

@test "an overlapping booking of the provider is refused: slot taken" {
	appt book -q --client Ann --service consult --provider kim --at "2027-03-02 10:00" >/dev/null
	run -1 --separate-stderr appt book --client Bob --service consult --provider kim --at "2027-03-02 10:15"
	assert_equal "$stderr" "appt book: slot taken: Kim Kowalski already has appointment #1 at that time; 'appt slots --service consult' lists free times"
	run count_appointments
	assert_output "1"
}

@test "buffers count: nothing may start inside a peel's clean-up time" {
	appt book -q --client Ann --service peel --provider kim --at "2027-03-02 10:00" >/dev/null
	run -1 appt book --client Bob --service consult --provider kim --at "2027-03-02 10:50"
	assert_output --partial "slot taken"
	run -0 appt book -q --client Bob --service consult --provider kim --at "2027-03-02 11:00"
	assert_output "2"
}

@test "a resource is never double-booked across providers" {
	appt book -q --client Ann --service peel --provider kim --at "2027-03-02 10:00" >/dev/null
	run -1 --separate-stderr appt book --client Bob --service peel --provider lee --at "2027-03-02 10:30"
	[[ "$stderr" == *"no treatment-room is free at that time (appointment #1 has it)"* ]]
	run -0 appt book -q --client Bob --service consult --provider lee --at "2027-03-02 10:30"
}

@test "--resource must be of the kind the service needs" {
	run -2 appt book --client Ann --service peel --at "2027-03-02 10:00" --resource room-9
	assert_output --partial "no resource 'room-9'"
	run -1 appt book --client Ann --service consult --at "2027-03-02 10:00" --resource room-1
	assert_output --partial "does not use a treatment-room"
}

@test "group capacity: three places, the fourth is refused" {
	appt client add -q --name "Dee Dunn" --phone "+15550004" >/dev/null
	for c in Ann Bob Cy; do
		run -0 appt book -q --client "$c" --service class --at "2027-03-02 13:00"
	done
	run -1 --separate-stderr appt book --client Dee --service class --at "2027-03-02 13:00"
	assert_equal "$stderr" "appt book: slot taken: the Skincare Class session is full (3 of 3 places); 'appt slots --service class' lists free times"
	run db "SELECT count(*) FROM appointments WHERE service = 'class'"
	assert_output "3"
	# a different service may not overlap the class
	run -1 appt book --client Dee --service consult --provider kim --at "2027-03-02 13:30"
}

@test "inside the booking notice: refused, then forced by a manager with the reason logged" {
	run -1 --separate-stderr appt book --client Ann --service consult --at "2027-03-01 08:30"
	assert_equal "$stderr" "appt book: inside the booking notice of 1h (policies.booking.min_notice); use --force --reason TEXT to override"
	# opening hours still apply at 08:30, so force covers both
	APPT_USER=boss run -0 appt book -q --client Ann --service consult --provider kim --at "2027-03-01 08:30" --force --reason "doctor squeezes her in"
	run db "SELECT actor, forced, reason FROM events WHERE entity = 'appointment'"
	assert_output "boss|1|doctor squeezes her in"
}

@test "beyond max_advance: refused" {
	run -1 appt book --client Ann --service consult --at "2027-05-10 10:00"
	assert_output --partial "beyond the 60d booking horizon (policies.booking.max_advance)"
}

@test "a time in the past is refused" {
	APPT_USER=boss APPT_NOW=2027-03-02T12:00 run -1 appt book --client Ann --service consult --at "2027-03-02 10:00" --force --reason x
	assert_output --partial "in the past"
}

@test "--force: needs --reason (64) and a manager when roles.managers is set (1)" {
	run -64 appt book --client Ann --service consult --at "2027-03-01 08:30" --force
	assert_output --partial "--force needs --reason"
	run -1 --separate-stderr appt book --client Ann --service consult --at "2027-03-01 08:30" --force --reason "please"
	assert_equal "$stderr" "appt book: only managers (roles.managers) may use --force, and 'desk' is not one"
	run count_appointments
	assert_output "0"
}

@test "--force never overrides a double booking" {
	appt book -q --client Ann --service consult --provider kim --at "2027-03-02 10:00" >/dev/null
	APPT_USER=boss run -1 appt book --client Bob --service consult --provider kim --at "2027-03-02 10:00" --force --reason "vip"
	assert_output --partial "slot taken"
}

@test "a client cannot hold two overlapping appointments" {
	appt book -q --client Ann --service consult --provider kim --at "2027-03-02 10:00" >/dev/null
	run -1 appt book --client Ann --service consult --provider lee --at "2027-03-02 10:15"
	assert_output --partial "the client already has appointment #1 at that time"
}

@test "an imported appointment longer than its service keeps the client busy to its end" {
	printf 'client,service,provider,start,end\nAnn Archer,consult,kim,2027-03-02 09:00,2027-03-02 11:30\n' >"$BATS_TEST_TMPDIR/long.csv"
	appt import appointments "$BATS_TEST_TMPDIR/long.csv" >/dev/null
	run -1 appt book --client Ann --service consult --provider lee --at "2027-03-02 11:00"
	assert_output --partial "the client already has appointment #1 at that time"
	run -0 appt book -q --client Ann --service consult --provider lee --at "2027-03-02 11:30"
	run db "SELECT id, provider, local_start FROM appointments ORDER BY id"
	assert_output $'1|kim|2027-03-02 09:00\n2|lee|2027-03-02 11:30'
}

@test "a blocked client is refused unless a manager forces it" {
	appt client block Cy --reason "3 no-shows" >/dev/null
	run -1 --separate-stderr appt book --client Cy --service consult --at "2027-03-02 10:00"
	assert_equal "$stderr" "appt book: client #3 Cy Cole is blocked (3 no-shows); use --force --reason TEXT to override"
	APPT_USER=boss run -0 appt book -q --client Cy --service consult --at "2027-03-02 10:00" --force --reason "paid deposit"
}

@test "--first-available takes the earliest slot that fits, after --from" {
	run -0 appt book --client Ann --service peel --first-available
	assert_output "booked #1: Ann Archer, Acne Peel with Kim Kowalski, 2027-03-01 09:00-09:45 (room-1)"
	run -0 appt book --client Bob --service peel --first-available
	assert_output --partial "2027-03-01 10:00-10:45"
	run -0 appt book --client Cy --service consult --provider lee --first-available --from "2027-03-03 11:00"
	assert_output --partial "with Lee Lam, 2027-03-03 11:00-11:30"
}

@test "not found: unknown client, service, provider (2)" {
	run -2 --separate-stderr appt book --client Zed --service consult --at "2027-03-02 10:00"
	assert_equal "$stderr" "appt book: no client matches 'Zed'"
	run -2 --separate-stderr appt book --client Ann --service botox --at "2027-03-02 10:00"
	assert_equal "$stderr" "appt book: no service 'botox' (services: consult, peel, facial, class)"
	run -2 --separate-stderr appt book --client Ann --service consult --provider zoe --at "2027-03-02 10:00"
	assert_equal "$stderr" "appt book: no provider 'zoe'"
}

@test "a provider who does not offer the service is refused" {
	run -1 appt book --client Ann --service facial --provider lee --at "2027-03-02 10:00"
	assert_output --partial "Lee Lam does not offer Facial"
}

@test "an ambiguous client name is refused with the candidates" {
	appt client add -q --name "Ann Smith" --phone "+15550009" >/dev/null
	run -1 appt book --client ann --service consult --at "2027-03-02 10:00"
	assert_output --partial "#1 Ann Archer"
	assert_output --partial "#4 Ann Smith"
	run count_appointments
	assert_output "0"
}

@test "bad times are bad data (65) and nothing is written" {
	for at in "2027-03-02 25:00" "2027-02-30 10:00" "abc" "2027-03-02" "tue 9"; do
		run -65 --separate-stderr appt book --client Ann --service consult --at "$at"
		[[ "$stderr" == "appt book: "*"'$at'"* ]]
	done
	run -65 --separate-stderr appt book --client Ann --service consult --at "2027-03-14 02:30"
	[[ "$stderr" == *"does not exist in America/Denver"* ]]
	run count_appointments
	assert_output "0"
}

@test "usage errors (64) and an invalid option value (65)" {
	run -64 appt book --client Ann --at "2027-03-02 10:00"
	assert_output --partial "--client and --service are required"
	run -64 appt book --client Ann --service consult
	assert_output --partial "exactly one of --at and --first-available"
	run -64 appt book --client Ann --service consult --at "2027-03-02 10:00" --first-available
	run -64 appt book --client Ann --service consult --at "2027-03-02 10:00" --from "2027-03-02 10:00"
	run -65 appt book --client Ann --service consult --at "2027-03-02 10:00" --via pigeon
	assert_output --partial "invalid value 'pigeon' for --via"
	run -64 appt book --bogus
	run -64 appt book --client
	assert_output --partial "option '--client' needs a value"
	run -0 appt book --help
	assert_output --partial "usage: appt book"
}

@test "a configuration error is 78 and the database is untouched" {
	sed -i 's/duration: 30m/duration: abc/' "$APPT_CONFIG"
	run -78 --separate-stderr appt book --client Ann --service consult --at "2027-03-02 10:00"
	assert_regex "$stderr" "config.yaml:[0-9]+:[0-9]+: .*abc"
	run count_appointments
	assert_output "0"
}

@test "eight desks booking one slot at once: exactly one wins, no 'database is locked'" {
	race_for_one_slot 8
}

@test "--first-available honours --resource" {
	sed -i 's/^  - id: room-1$/  - id: room-2\n    kind: treatment-room\n  - id: room-1/' "$APPT_CONFIG"
	run -0 appt book --client Ann --service peel --first-available --resource room-1
	assert_output --partial "2027-03-01 09:00-09:45 (room-1)"
	run -0 appt book --client Bob --service peel --first-available --resource room-1
	assert_output --partial "(room-1)"
	refute_output --partial "09:00-09:45"
}

@test "--first-available skips the times the client is already booked" {
	appt book -q --client Ann --service consult --provider kim --at "2027-03-01 09:00" >/dev/null
	run -0 appt book --client Ann --service consult --first-available
	assert_output --partial "2027-03-01 09:30-10:00"
}

@test "--force is logged as an override only when one was used" {
	appt book -q --client Ann --service consult --provider kim --at "2027-03-02 09:00" >/dev/null
	appt block --provider kim --from "2027-03-02 09:00" --to "2027-03-02 10:00" --reason training >/dev/null
	# kim is off (forceable) and busy anyway; lee is simply free
	APPT_USER=boss run -0 appt book --client Bob --service consult --at "2027-03-02 09:00" --force --reason "squeeze in"
	assert_output --partial "with Lee Lam"
	run db "SELECT forced FROM events WHERE entity = 'appointment' AND entity_id = 2"
	assert_output "0"
}

@test "a forced booking without --provider takes a free provider before overriding another's time off" {
	appt block --provider kim --from "2027-03-03 09:00" --to "2027-03-03 12:00" --reason training >/dev/null
	# inside the booking notice, so --force is needed; kim is first but off, lee is free
	APPT_USER=boss APPT_NOW=2027-03-03T09:30 run -0 appt book -q --client Ann --service consult \
		--at "2027-03-03 10:00" --force --reason "squeeze in"
	run db "SELECT provider FROM appointments WHERE id = 1"
	assert_output "lee"
}

@test "a forced booking without --provider never goes outside a provider's hours" {
	# Monday 13:30: kim (working) is busy, lee works mornings only
	appt book -q --client Bob --service consult --provider kim --at "2027-03-01 13:30" >/dev/null
	APPT_USER=boss run -1 --separate-stderr appt book --client Ann --service consult \
		--at "2027-03-01 13:30" --force --reason "squeeze in"
	assert_output ""
	assert_equal "$stderr" "appt book: no provider is free then: Kim Kowalski already has appointment #1 at that time; outside Lee Lam's hours on 2027-03-01 (09:00-12:00); 'appt slots --service consult' lists free times; --force never books a provider appt chooses outside their hours: name one with --provider"
	assert_equal "$(count_appointments)" 1
	# named, the provider's hours are the desk's to override
	APPT_USER=boss run -0 appt book -q --client Ann --service consult --provider lee \
		--at "2027-03-01 13:30" --force --reason "lee stays late"
	run db "SELECT provider, forced FROM appointments a JOIN events e ON e.entity_id = a.id
		AND e.entity = 'appointment' WHERE a.id = 2"
	assert_output "lee|1"
}

@test "a forced booking without --provider may override time off and closures, within hours" {
	appt block --provider kim --from "2027-03-01 13:00" --to "2027-03-01 14:00" --reason dentist >/dev/null
	# lee does not work afternoons: kim's time off is what --force overrides
	APPT_USER=boss run -0 appt book -q --client Ann --service consult --at "2027-03-01 13:30" \
		--force --reason "urgent"
	# Friday 5 March is a closure; both work 10:00 on Fridays
	APPT_USER=boss run -0 appt book -q --client Bob --service consult --at "2027-03-05 10:00" \
		--force --reason "open for one client"
	# Friday 5 March 14:00: only kim works then
	APPT_USER=boss run -0 appt book -q --client Cy --service consult --at "2027-03-05 14:00" \
		--force --reason "open for one client"
	run db "SELECT id, provider FROM appointments ORDER BY id"
	assert_output - <<-'OUT'
	1|kim
	2|kim
	3|kim
	OUT
	run db "SELECT group_concat(forced) FROM events WHERE entity = 'appointment'"
	assert_output "1,1,1"
}

@test "a walk-in books now without --force: no booking notice, the current minute" {
	APPT_NOW=2027-03-01T09:07:40 run -0 --separate-stderr appt book --client Ann --service consult --via walk-in
	assert_output "booked #1: Ann Archer, Consultation with Kim Kowalski, 2027-03-01 09:07-09:37"
	assert_equal "$stderr" ""
	run db "SELECT via, local_start, start_at % 60 FROM appointments WHERE id = 1"
	assert_output "walk-in|2027-03-01 09:07|0"
	run db "SELECT action, forced, coalesce(reason, '-') FROM events WHERE entity = 'appointment'"
	assert_output "book|0|-"
	# kim is busy now: the walk-in goes to the provider who is free
	APPT_NOW=2027-03-01T09:10 run -0 appt book --client Bob --service consult --via walk-in
	assert_output --partial "with Lee Lam, 2027-03-01 09:10-09:40"
}

@test "a walk-in at a given time or at the first free slot ignores the booking notice" {
	APPT_NOW=2027-03-01T09:07 run -0 appt book --client Ann --service consult --via walk-in --provider lee \
		--at "2027-03-01 09:30"
	assert_output --partial "2027-03-01 09:30-10:00"
	# the first slot on the 15-minute grid from now, not from now + min_notice (1h)
	APPT_NOW=2027-03-01T09:07 run -0 appt book --client Bob --service consult --via walk-in \
		--provider kim --first-available
	assert_output --partial "2027-03-01 09:15-09:45"
	run db "SELECT group_concat(forced) FROM events WHERE entity = 'appointment'"
	assert_output "0,0"
}

@test "a walk-in still keeps hours, the calendar and the past; others keep the notice" {
	# 08:00: nobody works yet
	run -1 --separate-stderr appt book --client Ann --service consult --via walk-in
	assert_regex "$stderr" "^appt book: no provider is free then: outside Kim Kowalski's hours on 2027-03-01"
	APPT_NOW=2027-03-01T09:07 run -1 --separate-stderr appt book --client Ann --service consult \
		--via walk-in --at "2027-03-01 09:00"
	assert_equal "$stderr" "appt book: that time is in the past"
	APPT_NOW=2027-03-01T09:07 run -1 --separate-stderr appt book --client Ann --service consult \
		--via phone --at "2027-03-01 09:30"
	assert_regex "$stderr" "policies.booking.min_notice"
	run -64 --separate-stderr appt book --client Ann --service consult --via phone
	assert_regex "$stderr" "exactly one of --at and --first-available"
	assert_equal "$(count_appointments)" 0
}
