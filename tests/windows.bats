#!/usr/bin/env bats
# Sending windows (delivery.send_window, a channel's own send_window): no
# text goes out and no call task falls due at night.  A message due outside
# the window waits for its next opening; a reminder goes in the last window
# before it falls due, never after the appointment starts.  The fixture's
# window is the default, 08:00-20:00 every day (America/Denver).

load test_helper
load fixtures/messaging

setup() {
	common_setup
	init_db
	add_template reminder-soon "See you at {{appointment.time}}, {{client.first_name}}."
	add_template next-peel "Time to book your next peel: {{business.booking_url}}"
}

# A reminder by text two hours before.
two_hour_reminder() {
	cat >>"$APPT_CONFIG" <<-'EOF'
	reminders:
	  - name: two-hours
	    before: 2h
	    channel: sms
	    template: reminder-soon
	EOF
}

book_ann() {
	appt book -q --client Ann --service consult --provider kim --at "$1" "${@:2}"
}

@test "a booking made at night: the confirmation waits for 08:00" {
	APPT_NOW=2027-03-01T21:30 run -0 --separate-stderr appt book --client Ann --service consult \
		--provider kim --at "2027-03-03 10:00"
	assert_output "booked #1: Ann Archer, Consultation with Kim Kowalski, 2027-03-03 10:00-10:30"
	assert_equal "$stderr" "appt book: message #1 waits for its sending window: appt remind sends it from 2027-03-02 08:00"
	assert_equal "$(sms_count)" 0
	run -0 db "SELECT status, due_at, next_attempt_at FROM messages"
	assert_output "pending|$(epoch '2027-03-02 08:00')|$(epoch '2027-03-02 08:00')"
	APPT_NOW=2027-03-02T07:55 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(sms_count)" 0
	APPT_NOW=2027-03-02T08:00 run -0 appt remind
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	grep -q '^From appt 2027-03-02T08:00:00-07:00$' "$SMS_LOG"
}

@test "a 2-hour reminder for 09:00 goes in the window before: half an hour before it closes" {
	set_config deadline 0
	two_hour_reminder
	book_ann "2027-03-03 09:00" >/dev/null
	for t in 2027-03-02T19:00 2027-03-02T19:25; do
		APPT_NOW=$t run -0 appt remind
		assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	done
	APPT_NOW=2027-03-02T19:30 run -0 appt remind -v
	assert_output - <<-'EOF'
	sent #2 reminder two-hours by sms to +15550001
	sent 1, failed 0, call tasks 0, skipped 0
	EOF
	# its own time, 07:00, is outside the window: nothing more then
	APPT_NOW=2027-03-03T07:00 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(db "SELECT count(*) FROM messages WHERE kind = 'reminder'")" 1
}

@test "a reminder whose window was missed goes when the window opens, but never after the start" {
	set_config deadline 0
	two_hour_reminder
	book_ann "2027-03-03 09:00" >/dev/null
	APPT_USER=boss book_ann "2027-03-03 08:30" --force --reason "early client" >/dev/null
	# cron was down all evening: at 07:00 both are queued and held for 08:00
	APPT_NOW=2027-03-03T07:00 run -0 appt remind -v
	assert_line "held #3 reminder two-hours until 2027-03-03 08:00: outside the sms sending window"
	assert_line "sent 0, failed 0, call tasks 0, skipped 0"
	# 08:00: the 09:00 one goes; the 08:30 one too (still before its start)
	APPT_NOW=2027-03-03T08:00 run -0 appt remind
	assert_output "sent 2, failed 0, call tasks 0, skipped 0"
}

@test "a reminder held for a window that opens only after the start is skipped" {
	two_hour_reminder
	printf 'delivery:\n  send_window: "09:30-20:00"\n' >>"$APPT_CONFIG"
	book_ann "2027-03-03 09:00" >/dev/null
	APPT_NOW=2027-03-03T07:00 run -0 appt remind -v
	assert_line "skipped #2 reminder two-hours: its sending window opens only after its time"
	assert_equal "$(db 'SELECT status FROM messages WHERE id = 2')" void
	APPT_NOW=2027-03-03T09:30 run -0 appt remind
	assert_equal "$(db "SELECT count(*) FROM messages WHERE kind = 'reminder' AND status = 'sent'")" 0
}

@test "a channel's own window: e-mail may go at any hour, texts may not" {
	cat >>"$APPT_CONFIG" <<-'EOF'
	delivery:
	  send_window: "08:00-20:00"
	EOF
	sed -i 's|^    path: sent-email.log|    path: sent-email.log\n    send_window: always|' "$APPT_CONFIG"
	run -0 appt config check
	APPT_NOW=2027-03-01T22:00 appt book -q --client Bob --service consult --provider kim --at "2027-03-03 10:00" >/dev/null
	APPT_NOW=2027-03-01T22:00 appt book -q --client Ann --service consult --provider kim --at "2027-03-03 11:00" >/dev/null
	assert_equal "$(email_count)" 1
	assert_equal "$(sms_count)" 0
}

@test "a window by day: no texts on Sunday, so Sunday's follow-up waits for Monday" {
	cat >>"$APPT_CONFIG" <<-'EOF'
	followups:
	  - name: next-peel
	    after: 1d
	    channel: sms
	    template: next-peel
	    max_delay: 3d
	delivery:
	  send_window:
	    mon-sat: "09:00-18:00"
	EOF
	run -0 appt config check
	# Saturday 6 March's visit: its follow-up falls due on Sunday
	APPT_NOW=2027-03-06T09:00 book_ann "2027-03-06 10:30" >/dev/null
	APPT_NOW=2027-03-06T11:00 appt done 1 >/dev/null
	APPT_NOW=2027-03-07T11:00 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	run -0 db "SELECT status, due_at FROM messages WHERE kind = 'followup'"
	assert_output "pending|$(epoch '2027-03-08 09:00')"
	APPT_NOW=2027-03-08T09:00 run -0 appt remind
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
}

@test "call tasks fall due inside the window: a confirmation call due at night is due the evening before" {
	sed -i 's/^    deadline: 24h/    deadline: 26h/' "$APPT_CONFIG"
	# 26h before Wednesday 09:00 is Tuesday 07:00: the call falls due Monday 19:30
	book_ann "2027-03-03 09:00" >/dev/null
	APPT_NOW=2027-03-01T19:29 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	APPT_NOW=2027-03-01T19:30 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 1, skipped 0"
	run -0 appt report calls --format csv
	assert_line --index 1 --partial "2027-03-01T19:30:00-07:00,Ann Archer"
}

@test "--dry-run says what it would hold" {
	APPT_NOW=2027-03-01T21:00 book_ann "2027-03-03 10:00" --no-send >/dev/null
	APPT_NOW=2027-03-01T21:00 db "UPDATE messages SET next_attempt_at = $(epoch '2027-03-01 21:00')"
	APPT_NOW=2027-03-01T21:05 run -0 appt remind --dry-run
	assert_output - <<-'EOF'
	would hold #1 notice booked until 2027-03-02 08:00: outside the sms sending window
	dry run: would send 0, call tasks 0, skipped 0; nothing changed
	EOF
	assert_equal "$(db 'SELECT next_attempt_at FROM messages')" "$(epoch '2027-03-01 21:00')"
}

@test "config check: a bad window, and one that never opens, are 78 with their position" {
	printf 'delivery:\n  send_window: "20:00-08:00"\n' >>"$APPT_CONFIG"
	run -78 --separate-stderr appt config check
	assert_regex "$stderr" "config.yaml:[0-9]+:16: 'send_window' in delivery: 20:00-08:00 does not end after it starts\$"
	sed -i '$d' "$APPT_CONFIG"
	printf '  send_window:\n    sun: closed\n' >>"$APPT_CONFIG"
	run -78 --separate-stderr appt config check
	assert_regex "$stderr" "config.yaml:[0-9]+:5: 'send_window' in delivery never opens"
	sed -i '$d' "$APPT_CONFIG"
	sed -i '$d' "$APPT_CONFIG"
	printf '  send_window: whenever\n' >>"$APPT_CONFIG"
	run -78 --separate-stderr appt config check
	assert_regex "$stderr" "invalid hours 'whenever'"
}
