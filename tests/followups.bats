#!/usr/bin/env bats
# Follow-ups after a visit follow the client's situation (DESIGN.md,
# Corrections): counted from the end of the visit, never for imported
# history, never later than max_delay, one of a name per client per day;
# skip_if_booked marks an invitation to book again, skipped once the client
# has booked, is blocked, or left their program.  Monday 2027-03-01.

load test_helper
load fixtures/messaging

setup() {
	common_setup
	init_db
	set_config deadline 0
	add_template thanks "Thank you for your visit, {{client.first_name}}."
	add_template next-peel "Time to book your next peel: {{business.booking_url}}"
	cat >>"$APPT_CONFIG" <<-'EOF'
	followups:
	  - name: thanks
	    after: 2h
	    channel: sms
	    template: thanks
	  - name: next-peel
	    after: 1d
	    channel: sms
	    template: next-peel
	    skip_if_booked: true
	EOF
}

# visit CLIENT DATE HH:MM END: a consult booked, then done at END.
visit() {
	local id
	id=$(APPT_NOW="$2T08:00" appt book -q --client "$1" --service consult --provider kim --at "$2 $3")
	APPT_NOW="$2T$4" appt done "$id" >/dev/null
	echo "$id"
}

followups() {
	db "SELECT name, appointment_id, status, coalesce(note, '-') FROM messages
		WHERE kind = 'followup' ORDER BY id"
}

@test "a client who booked again before the invitation gets the thanks but not the invitation" {
	visit Ann 2027-03-01 09:00 09:30 >/dev/null
	APPT_NOW=2027-03-01T12:00 appt book -q --client Ann --service consult --provider kim \
		--at "2027-03-15 10:00" --no-send >/dev/null
	APPT_NOW=2027-03-01T12:00 appt remind >/dev/null
	APPT_NOW=2027-03-02T10:00 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 1"
	run -0 followups
	assert_output - <<-'EOF'
	thanks|1|sent|-
	next-peel|1|void|skipped: the client booked #2
	EOF
	assert_equal "$(grep -c 'next peel' "$SMS_LOG")" 0
}

@test "booked while the invitation waited for the window: it is skipped at sending" {
	printf 'delivery:\n  send_window: "08:00-16:00"\n' >>"$APPT_CONFIG"
	# done at 17:00: the invitation falls due at 17:00 the next day, after the window
	visit Ann 2027-03-01 16:30 17:00 >/dev/null
	APPT_NOW=2027-03-02T17:00 appt remind >/dev/null
	run -0 db "SELECT status, due_at FROM messages WHERE name = 'next-peel'"
	assert_output "pending|$(epoch '2027-03-03 08:00')"
	# the client books that evening, before the text went: the booking closes it
	APPT_NOW=2027-03-02T18:10 appt book -q --client Ann --service consult --provider kim \
		--at "2027-03-16 10:00" >/dev/null
	run -0 db "SELECT status, note FROM messages WHERE name = 'next-peel'"
	assert_output "void|closed: the client booked #2"
	APPT_NOW=2027-03-03T08:00 run -0 appt remind -v
	assert_output - <<-'EOF'
	sent #4 notice booked by sms to +15550001
	sent 1, failed 0, call tasks 0, skipped 0
	EOF
	assert_equal "$(grep -c 'next peel' "$SMS_LOG")" 0
}

@test "history brought in by an import is never followed up" {
	cd "$BATS_TEST_TMPDIR"
	printf '%s\n' "client,phone,email,service,provider,start,end,status,notes,external_id" \
		"Ann Archer,+15550001,,consult,kim,2027-03-01 08:00,2027-03-01 08:30,done,,old-1" >appts.csv
	APPT_NOW=2027-03-01T09:00 appt import appointments appts.csv --allow-overlap >/dev/null
	assert_equal "$(db 'SELECT imported FROM appointments')" 1
	APPT_NOW=2027-03-01T11:00 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	APPT_NOW=2027-03-02T09:00 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(db "SELECT count(*) FROM messages WHERE kind = 'followup'")" 0
}

@test "Saturday's visits closed on Monday: counted from the visit's end, too late to thank anyone" {
	APPT_NOW=2027-03-06T08:00 appt book -q --client Ann --service consult --provider kim --at "2027-03-06 10:00" >/dev/null
	APPT_NOW=2027-03-08T09:00 appt done 1 >/dev/null
	APPT_NOW=2027-03-08T09:05 appt remind >/dev/null
	APPT_NOW=2027-03-08T11:30 appt remind >/dev/null
	# "thanks" was due Saturday 12:30; the invitation Sunday 10:30, still within its day
	run -0 db "SELECT name, due_at FROM messages WHERE kind = 'followup'"
	assert_output "next-peel|$(epoch '2027-03-07 10:30')"
	assert_equal "$(grep -c 'Thank you for your visit' "$SMS_LOG")" 0
}

@test "max_delay: a follow-up held past it is skipped, not sent late" {
	sed -i 's/^    skip_if_booked: true/    skip_if_booked: true\n    max_delay: 1h/' "$APPT_CONFIG"
	# done 19:00 Monday: due 19:00 Tuesday, inside the window until 20:00 ...
	id=$(APPT_NOW=2027-03-01T08:00 appt book -q --client Ann --service consult --provider kim --at "2027-03-01 16:30")
	APPT_NOW=2027-03-01T17:00 appt done "$id" >/dev/null
	# ... but nobody ran cron until 21:00: more than an hour late
	APPT_NOW=2027-03-02T21:00 run -0 appt remind -v
	refute_line --partial "next-peel by sms"
	assert_equal "$(grep -c 'next peel' "$SMS_LOG")" 0
}

@test "two visits on one day: one thanks" {
	visit Ann 2027-03-01 09:00 09:30 >/dev/null
	visit Ann 2027-03-01 14:00 14:30 >/dev/null
	APPT_NOW=2027-03-01T12:00 appt remind >/dev/null
	APPT_NOW=2027-03-01T17:00 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 1"
	run -0 db "SELECT name, appointment_id, status, note FROM messages WHERE name = 'thanks' ORDER BY id"
	assert_output - <<-'EOF'
	thanks|1|sent|
	thanks|2|void|skipped: message #3 already follows up that day
	EOF
	assert_equal "$(grep -c 'Thank you for your visit' "$SMS_LOG")" 1
}

@test "a blocked client gets the thanks but no invitation to book again" {
	visit Ann 2027-03-01 09:00 09:30 >/dev/null
	appt client block Ann --reason "unpaid fees" >/dev/null
	APPT_NOW=2027-03-02T10:00 run -0 appt remind
	assert_output "sent 1, failed 0, call tasks 0, skipped 1"
	assert_equal "$(db "SELECT note FROM messages WHERE name = 'next-peel'")" \
		"skipped: the client is blocked (unpaid fees)"
}

@test "a client whose program ended is not invited to book again" {
	cat >>"$APPT_CONFIG" <<-'EOF'
	programs:
	  acne:
	    interval: 14d
	    outreach:
	      - {day: 7, channel: call}
	EOF
	appt client edit Ann --program acne >/dev/null
	visit Ann 2027-03-01 09:00 09:30 >/dev/null
	db "UPDATE clients SET program_ended_at = $(epoch '2027-03-01 12:00') WHERE id = 1"
	APPT_NOW=2027-03-02T10:00 run -0 appt remind
	assert_equal "$(db "SELECT note FROM messages WHERE name = 'next-peel'")" \
		"skipped: the client's acne program has ended"
}

@test "config: skip_if_booked takes true or false, max_delay a positive duration" {
	sed -i 's/^    skip_if_booked: true/    skip_if_booked: perhaps\n    max_delay: 0/' "$APPT_CONFIG"
	run -78 --separate-stderr appt config check
	assert_regex "$stderr" "'skip_if_booked' in followup 'next-peel': expected true or false, found 'perhaps'"
	assert_regex "$stderr" "'max_delay' in followup 'next-peel': duration '0' is out of range \(1m to 365d\)"
}

@test "blocking a client closes their waiting invitation at once" {
	printf 'delivery:\n  send_window: "08:00-16:00"\n' >>"$APPT_CONFIG"
	visit Ann 2027-03-01 16:30 17:00 >/dev/null
	APPT_NOW=2027-03-02T17:00 appt remind >/dev/null
	assert_equal "$(db "SELECT status FROM messages WHERE name = 'next-peel'")" pending
	APPT_NOW=2027-03-02T17:30 appt client block Ann --reason "abusive to staff" >/dev/null
	run -0 db "SELECT status, note FROM messages WHERE name = 'next-peel'"
	assert_output "void|closed: the client is blocked (abusive to staff)"
}
