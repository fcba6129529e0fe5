#!/usr/bin/env bats
# appt book --hold: a tentative booking (state held) that occupies its slot
# until it is confirmed or appt remind lets it go.  The clock is Monday
# 2027-03-01 08:00 (America/Denver); the fixture's sms channel writes to
# sent-sms.log beside the config.

load test_helper

setup() {
	common_setup
	# the held and expired notices, with the time a hold lapses
	sed -i -e '/^notices:/a\  held: {channel: preferred, template: held}\n  expired: {channel: preferred, template: expired}' \
		-e '/^templates:/a\  held:\n    body: "Hello {{client.first_name}}, {{appointment.date}} {{appointment.time}} is held for you until {{hold.until}}."\n  expired:\n    body: "Hello {{client.first_name}}, the time we held for you on {{appointment.date}} has been released."' \
		"$APPT_CONFIG"
	init_db
}

hold_ann() {
	appt book --client Ann --service consult --provider kim --at "${1:-2027-03-03 10:00}" --hold "${2:-24h}" "${@:3}"
}

@test "a hold is placed, held until its time, and the client told until when" {
	run -0 --separate-stderr hold_ann
	assert_output "held #1: Ann Archer, Consultation with Kim Kowalski, 2027-03-03 10:00-10:30, until 2027-03-02 08:00"
	run -0 db "SELECT status, hold_until FROM appointments WHERE id = 1"
	assert_output "held|$(date -d '2027-03-02T15:00Z' +%s)"
	run -0 actions_of 1
	assert_output "hold"
	run -0 cat "$BATS_TEST_TMPDIR/sent-sms.log"
	assert_output --partial "is held for you until Tuesday 2 March 2027 08:00."
	run -0 appt show 1
	assert_line "status:       held"
	assert_line "held until:   2027-03-02 08:00 (appt confirm 1 makes it a booking)"
}

@test "a hold never outlasts the start of its appointment" {
	run -0 hold_ann "2027-03-02 10:00" 3d
	run -0 db "SELECT hold_until = start_at FROM appointments WHERE id = 1"
	assert_output "1"
}

@test "a hold blocks its slot for everyone else" {
	hold_ann >/dev/null
	run -1 appt book --client Bob --service consult --provider kim --at "2027-03-03 10:00"
	assert_output --partial "slot taken"
	run -0 appt slots --service consult --provider kim --from "2027-03-03 10:00" --count 1 --format csv
	refute_output --partial "2027-03-03T10:00"
}

@test "remind releases a lapsed hold exactly once, tells the client, and frees the slot" {
	hold_ann >/dev/null
	APPT_NOW=2027-03-02T07:59 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	run -0 status_of 1
	assert_output "held"
	APPT_NOW=2027-03-02T08:05 run -0 appt remind -v
	assert_line "released hold #1 for Ann Archer, 2027-03-03 10:00"
	assert_line --partial "; holds released 1"
	APPT_NOW=2027-03-02T08:10 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	run -0 db "SELECT status, cancelled_by, cancel_reason, late_cancel FROM appointments WHERE id = 1"
	assert_output "cancelled|business|hold expired|0"
	run -0 db "SELECT count(*) FROM events WHERE entity = 'appointment' AND action = 'expire'"
	assert_output "1"
	run -0 db "SELECT count(*) FROM messages WHERE name = 'expired' AND status = 'sent'"
	assert_output "1"
	run -0 grep -c "has been released" "$BATS_TEST_TMPDIR/sent-sms.log"
	assert_output "1"
	run -0 db "SELECT cause, status FROM freed_slots WHERE appointment_id = 1"
	assert_output "expire|open"
	APPT_NOW=2027-03-02T08:20 run -0 appt book --client Bob --service consult --provider kim --at "2027-03-03 10:00" -q
	assert_output "2"
}

@test "a hold that ran to its start is released without telling the client it was" {
	hold_ann "2027-03-01 10:00" 24h >/dev/null
	APPT_NOW=2027-03-01T10:00 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0; holds released 1"
	run -0 db "SELECT status, note FROM messages WHERE name = 'expired'"
	assert_output "void|not sent: the held time has begun"
}

@test "confirming before expiry keeps the time: booked and confirmed, and told so" {
	hold_ann >/dev/null
	run -0 appt confirm 1
	assert_output "confirmed #1"
	run -0 db "SELECT status FROM appointments WHERE id = 1"
	assert_output "confirmed"
	run -0 db "SELECT name, status FROM messages WHERE appointment_id = 1 ORDER BY id"
	assert_output "held|sent
booked|sent"
	APPT_NOW=2027-03-02T09:00 run -0 appt remind
	run -0 status_of 1
	assert_output "confirmed"
	run -0 db "SELECT count(*) FROM events WHERE action = 'expire'"
	assert_output "0"
}

@test "no reminder and no confirmation call go to a hold" {
	hold_ann "2027-03-03 10:00" 2d >/dev/null
	for t in 2027-03-01T12:00 2027-03-02T09:00 2027-03-02T11:00 2027-03-03T08:00; do
		APPT_NOW=$t appt remind >/dev/null
	done
	run -0 db "SELECT count(*) FROM messages WHERE appointment_id = 1 AND kind <> 'notice'"
	assert_output "0"
}

@test "a hold is checked in, started or done only once confirmed" {
	hold_ann "2027-03-01 09:30" 1h >/dev/null
	APPT_NOW=2027-03-01T08:55 run -1 appt checkin 1
	assert_output "appt checkin: cannot check in appointment #1: it is only held; confirm it first (appt confirm 1)"
	APPT_NOW=2027-03-01T08:55 run -1 appt done 1
	assert_output --partial "it is only held"
	run -0 status_of 1
	assert_output "held"
}

@test "letting a hold go is never a late cancellation" {
	hold_ann "2027-03-01 14:00" 2h >/dev/null
	run -0 appt cancel 1
	assert_output "cancelled #1 (2027-03-01 14:00)"
	run -0 db "SELECT status, late_cancel FROM appointments WHERE id = 1"
	assert_output "cancelled|0"
	run -0 db "SELECT count(*) FROM charges"
	assert_output "0"
}

@test "a moved hold stays a hold" {
	hold_ann "2027-03-04 10:00" >/dev/null
	run -0 appt reschedule 1 --at "2027-03-04 11:00"
	run -0 db "SELECT status, local_start FROM appointments WHERE id = 1"
	assert_output "held|2027-03-04 11:00"
}

@test "remind --only holds, and --dry-run shows the release and changes nothing" {
	hold_ann >/dev/null
	before=$(dump_db)
	APPT_NOW=2027-03-02T09:00 run -0 appt remind --dry-run
	assert_line "would release hold #1 for Ann Archer, 2027-03-03 10:00"
	assert_line --partial "holds released 1; nothing changed"
	assert_equal "$(dump_db)" "$before"
	APPT_NOW=2027-03-02T09:00 run -0 appt remind --only reminders
	run -0 status_of 1
	assert_output "held"
	APPT_NOW=2027-03-02T09:00 run -0 appt remind --only holds
	run -0 status_of 1
	assert_output "cancelled"
}

@test "bad --hold values and combinations are refused before anything is written" {
	run -65 hold_ann "2027-03-03 10:00" soon
	assert_output --partial "soon"
	run -65 hold_ann "2027-03-03 10:00" 30d
	assert_output --partial "out of range"
	run -64 appt book --client Ann --service consult --at "2027-03-03 10:00" --hold 24h --repeat 1w --count 2
	assert_output --partial "--hold and --repeat do not go together"
	run -0 db "SELECT count(*) FROM appointments"
	assert_output "0"
}
