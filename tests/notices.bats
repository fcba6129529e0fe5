#!/usr/bin/env bats
# Notices (seed 000 §5.1-5.4, 5.6; seed 003 "Confirmation and Notifications";
# seed 001 §4): book, reschedule, cancel and noshow queue their message in
# the change's own transaction and send it at once unless --no-send; routing
# falls back when a client lacks the address a channel needs; an appointment
# still unconfirmed at policies.confirmation.deadline becomes a call task.
# The fixture's channels are file transports (sent-sms.log, sent-email.log);
# the clock is Monday 2027-03-01 08:00 (America/Denver).

load test_helper
load fixtures/messaging

setup() {
	common_setup
	init_db
}

book_ann() {
	appt book -q --client Ann --service consult --provider kim --at "${1:-2027-03-02 09:00}" "${@:2}"
}

@test "book queues the confirmation and sends it at once by the client's channel" {
	run -0 --separate-stderr appt book --client Ann --service consult --provider kim --at "2027-03-02 09:00"
	assert_output "booked #1: Ann Archer, Consultation with Kim Kowalski, 2027-03-02 09:00-09:30"
	assert_equal "$stderr" ""
	run -0 cat "$SMS_LOG"
	assert_output - <<-'EOF'
	From appt 2027-03-01T08:00:00-07:00
	Message-Id: 1
	Kind: notice
	Channel: sms
	To: +15550001
	Subject: Your Consultation on Tuesday 2 March 2027

	Hello Ann, you are booked for Consultation with Kim Kowalski on Tuesday 2 March 2027 at 09:00.
	.
	EOF
	assert_file_not_exists "$EMAIL_LOG"
	run -0 db "SELECT kind, name, client_id, appointment_id, channel, recipient, status,
		attempts, sent_at, key FROM messages"
	assert_output "notice|booked|1|1|sms|+15550001|sent|1|$(epoch '2027-03-01 08:00')|notice:booked:1:$(epoch '2027-03-02 09:00'):0"
	# cron finds nothing left to do
	run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(sms_count)" 1
}

@test "an email client gets the confirmation by e-mail, with its subject" {
	run -0 appt book -q --client Bob --service consult --provider kim --at "2027-03-02 09:00"
	assert_equal "$(email_count)" 1
	assert_file_not_exists "$SMS_LOG"
	run -0 grep -E '^(To|Subject|Channel):' "$EMAIL_LOG"
	assert_output - <<-'EOF'
	Channel: email
	To: bob@example.com
	Subject: Your Consultation on Tuesday 2 March 2027
	EOF
}

@test "book --no-send leaves the confirmation pending for the next appt remind" {
	run -0 --separate-stderr book_ann "2027-03-02 09:00" --no-send
	assert_output "1"
	assert_file_not_exists "$SMS_LOG"
	assert_equal "$(messages 'kind, name, status, attempts')" "notice|booked|pending|0"
	APPT_NOW=2027-03-01T08:05 run -0 --separate-stderr appt remind -v
	assert_output - <<-'EOF'
	sent #1 notice booked by sms to +15550001
	sent 1, failed 0, call tasks 0, skipped 0
	EOF
	assert_equal "$stderr" ""
	assert_equal "$(sms_count)" 1
	grep -q '^From appt 2027-03-01T08:05:00-07:00$' "$SMS_LOG"
	assert_equal "$(messages 'status, sent_at')" "sent|$(epoch '2027-03-01 08:05')"
	APPT_NOW=2027-03-01T08:10 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(sms_count)" 1
}

@test "reschedule sends a new confirmation for the new time" {
	book_ann "2027-03-02 09:00" >/dev/null
	run -0 --separate-stderr appt reschedule 1 --at "2027-03-03 10:00"
	assert_equal "$stderr" ""
	assert_equal "$(sms_count)" 2
	run -0 grep '^Hello' "$SMS_LOG"
	assert_output - <<-'EOF'
	Hello Ann, you are booked for Consultation with Kim Kowalski on Tuesday 2 March 2027 at 09:00.
	Hello Ann, you are booked for Consultation with Kim Kowalski on Wednesday 3 March 2027 at 10:00.
	EOF
	assert_equal "$(messages 'name, status')" "booked|sent
rescheduled|sent"
}

@test "a confirmation still pending when the appointment moves is never sent for the old time" {
	book_ann "2027-03-02 09:00" --no-send >/dev/null
	run -0 appt reschedule 1 --at "2027-03-03 10:00" --no-send
	run -0 messages 'name, status, note'
	# never told of the first time, the client is told of the booking, not of a move
	assert_output - <<-'EOF'
	booked|void|voided: the appointment was moved or ended
	booked|pending|
	EOF
	run -0 appt remind
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	assert_equal "$(sms_count)" 1
	run -0 grep -c 'on Wednesday 3 March 2027 at 10:00' "$SMS_LOG"
	run -1 grep 'Tuesday 2 March' "$SMS_LOG"
}

@test "cancel sends the cancellation notice offering to rebook" {
	appt book -q --client Bob --service consult --provider kim --at "2027-03-03 10:00" >/dev/null
	run -0 --separate-stderr appt cancel 1 --reason "moving away"
	assert_output "cancelled #1 (2027-03-03 10:00)"
	assert_equal "$stderr" ""
	assert_equal "$(email_count)" 2
	run -0 sed -n '/^Message-Id: 2$/,/^\.$/p' "$EMAIL_LOG"
	assert_output - <<-'EOF'
	Message-Id: 2
	Kind: notice
	Channel: email
	To: bob@example.com
	Subject: Cancelled: Consultation

	Hello Bob, your appointment on Wednesday 3 March 2027 is cancelled. Book again at https://clinic.example/book.
	.
	EOF
	assert_equal "$(messages 'name, status')" "booked|sent
cancelled|sent"
}

@test "noshow sends the request to rebook" {
	book_ann "2027-03-01 10:00" >/dev/null
	APPT_NOW=2027-03-01T10:20 run -0 --separate-stderr appt noshow 1
	assert_equal "$stderr" ""
	assert_equal "$(sms_count)" 2
	run -0 sed -n '/^Message-Id: 2$/,/^\.$/p' "$SMS_LOG"
	assert_output - <<-'EOF'
	Message-Id: 2
	Kind: notice
	Channel: sms
	To: +15550001

	Hello Ann, we missed you today. Please call +1 555 0100 to rebook.
	.
	EOF
	assert_equal "$(messages 'name, status')" "booked|sent
noshow|sent"
}

@test "--no-send on cancel and noshow queues the notice for cron" {
	book_ann "2027-03-01 10:00" >/dev/null
	book_ann "2027-03-03 10:00" >/dev/null
	APPT_NOW=2027-03-01T10:20 run -0 appt noshow 1 --no-send
	APPT_NOW=2027-03-01T10:20 run -0 appt cancel 2 --no-send
	assert_equal "$(sms_count)" 2
	assert_equal "$(messages 'name, status')" "booked|sent
booked|sent
noshow|pending
cancelled|pending"
	APPT_NOW=2027-03-01T10:25 run -0 appt remind
	assert_output "sent 2, failed 0, call tasks 0, skipped 0"
	assert_equal "$(sms_count)" 4
}

@test "a notice left out of the configuration is not sent" {
	sed -i '/^  noshow: {channel/d' "$APPT_CONFIG"
	book_ann "2027-03-01 10:00" >/dev/null
	APPT_NOW=2027-03-01T10:20 run -0 --separate-stderr appt noshow 1
	assert_equal "$stderr" ""
	assert_equal "$(db 'SELECT count(*) FROM messages')" 1
	assert_equal "$(sms_count)" 1
}

@test "an email client without an e-mail address gets an sms instead, with a note" {
	# a record from before the address rules (an older import): no e-mail
	db "UPDATE clients SET email = NULL WHERE name = 'Bob Baker'"
	run -0 --separate-stderr appt book -q --client Bob --service consult --provider kim --at "2027-03-02 09:00"
	assert_equal "$stderr" ""
	assert_file_not_exists "$EMAIL_LOG"
	assert_equal "$(sms_count)" 1
	grep -q '^To: +15550002$' "$SMS_LOG"
	run -0 messages 'channel, recipient, status, note'
	assert_output "sms|+15550002|sent|no address for email: sent by sms instead"
}

@test "a notice configured for e-mail goes by sms to a client with only a phone" {
	sed -i 's/^  cancelled: {channel: preferred/  cancelled: {channel: email/' "$APPT_CONFIG"
	appt book -q --client Cy --service consult --provider kim --at "2027-03-03 10:00" >/dev/null
	run -0 appt cancel 1
	run -0 db "SELECT channel, recipient, status, note FROM messages WHERE name = 'cancelled'"
	assert_output "sms|+15550003|sent|no address for email: sent by sms instead"
	assert_equal "$(sms_count)" 1
}

@test "a client with neither address becomes a call task, never a delivery" {
	db "UPDATE clients SET email = NULL, phone = NULL WHERE name = 'Bob Baker'"
	run -0 --separate-stderr appt book -q --client Bob --service consult --provider kim --at "2027-03-02 09:00"
	assert_equal "$stderr" ""
	run -0 messages "kind, name, channel, coalesce(recipient, '-'), status, note"
	assert_output "notice|booked|call|-|open|no address for email: call instead"
	assert_file_not_exists "$EMAIL_LOG"
	assert_file_not_exists "$SMS_LOG"
	run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(messages status)" "open"
}

@test "a call client's confirmation is a call task with their phone" {
	run -0 appt book -q --client Cy --service consult --provider kim --at "2027-03-02 09:00"
	run -0 messages "kind, name, channel, recipient, status, coalesce(assign, '-')"
	assert_output "notice|booked|call|+15550003|open|-"
	assert_file_not_exists "$SMS_LOG"
}

@test "confirmation deadline: still booked 24h before the start, the desk gets a call task" {
	book_ann "2027-03-03 10:00" >/dev/null
	book_ann "2027-03-03 11:00" >/dev/null
	appt confirm 2 --via sms >/dev/null
	APPT_NOW=2027-03-02T09:59 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	APPT_NOW=2027-03-02T10:00 run -0 --separate-stderr appt remind -v
	assert_output - <<-'EOF'
	call task #3 for Ann Archer (not confirmed 1d before the appointment: call to confirm)
	sent 0, failed 0, call tasks 1, skipped 0
	EOF
	assert_equal "$stderr" ""
	run -0 db "SELECT kind, name, appointment_id, channel, recipient, status, due_at, not_after
		FROM messages WHERE channel = 'call'"
	assert_output "deadline|confirmation|1|call|+15550001|open|$(epoch '2027-03-02 10:00')|$(epoch '2027-03-03 10:00')"
	# the confirmed appointment's deadline passes at 11:00: no task
	APPT_NOW=2027-03-02T11:30 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(db "SELECT count(*) FROM messages WHERE channel = 'call'")" 1
	assert_equal "$(sms_count)" 2
}

@test "confirmation deadline: no task for an appointment booked inside the deadline" {
	book_ann "2027-03-01 15:00" >/dev/null
	APPT_NOW=2027-03-01T09:00 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(db "SELECT count(*) FROM messages WHERE channel = 'call'")" 0
}

@test "cancelling voids the open deadline call task" {
	book_ann "2027-03-03 10:00" >/dev/null
	APPT_NOW=2027-03-02T10:00 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 1, skipped 0"
	APPT_NOW=2027-03-02T10:30 run -0 appt cancel 1
	run -0 messages 'kind, status'
	assert_output - <<-'EOF'
	notice|sent
	deadline|void
	notice|sent
	EOF
}

@test "a confirmation the transport refuses is kept and sent by cron after the backoff" {
	use_fake_sms
	delivery 5 10m 1s
	gateway_fails 1 "gateway unavailable"
	run -0 --separate-stderr book_ann "2027-03-02 09:00"
	assert_output "1"
	assert_equal "$stderr" "appt book: warning: message #1 not sent now; appt remind will retry it"
	run -0 db "SELECT status, attempts, next_attempt_at, last_error FROM messages"
	assert_output "pending|1|$(epoch '2027-03-01 08:10')|command '$FAKE_SMS' exited 1: gateway unavailable"
	gateway_recovers
	APPT_NOW=2027-03-01T08:09 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	APPT_NOW=2027-03-01T08:10 run -0 appt remind
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	assert_equal "$(gw_count)" 2
	assert_equal "$(gw_count_id 1)" 2
	assert_equal "$(messages 'status, attempts')" "sent|2"
}

@test "confirming closes the open confirmation-deadline call task" {
	book_ann "2027-03-03 10:00" >/dev/null
	APPT_NOW=2027-03-02T10:00 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 1, skipped 0"
	APPT_NOW=2027-03-02T10:30 run -0 appt confirm 1 --via call
	run -0 messages 'kind, status, note'
	assert_line --index 1 "deadline|void|closed: the client confirmed"
	run -0 appt report calls --format csv
	assert_equal "${#lines[@]}" 1
}

# ---- what the client is told, and when nothing ----

@test "a booking never announced (--no-send), then cancelled: the client is told nothing" {
	book_ann "2027-03-03 10:00" --no-send >/dev/null
	run -0 --separate-stderr appt cancel 1 --reason "desk mistake"
	assert_output - <<-'EOF'
	cancelled #1 (2027-03-03 10:00)
	no cancellation notice sent (the client was never told of the booking)
	EOF
	run -0 messages 'name, status, note'
	assert_output - <<-'EOF'
	booked|void|voided: the appointment was moved or ended
	cancelled|void|not sent: the client was never told of the booking
	EOF
	run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(sms_count)" 0
}

@test "a booking whose confirmation went out is cancelled with a notice" {
	book_ann "2027-03-03 10:00" --no-send >/dev/null
	appt remind >/dev/null
	run -0 appt cancel 1
	refute_line --partial "no cancellation notice"
	assert_equal "$(sms_count)" 2
}

@test "--no-notice on cancel and reschedule: nothing sent, and the outbox says why" {
	book_ann "2027-03-03 10:00" >/dev/null
	run -0 appt reschedule 1 --at "2027-03-04 10:00" --no-notice
	run -0 appt cancel 1 --no-notice
	assert_line "no cancellation notice sent (--no-notice)"
	run -0 messages 'name, status, note'
	assert_output - <<-'EOF'
	booked|sent|
	rescheduled|void|not sent: --no-notice by desk
	cancelled|void|not sent: --no-notice by desk
	EOF
	assert_equal "$(sms_count)" 1
}

@test "the no-show that blocks a client sends notices.blocked, not an invitation to rebook" {
	add_template blocked "Hello {{client.first_name}}, after several missed visits please call {{business.phone}} before booking again."
	sed -i 's/^  noshow: {channel: preferred, template: noshow}/&\n  blocked: {channel: preferred, template: blocked}/' "$APPT_CONFIG"
	for d in 02 03 04; do
		APPT_NOW="2027-03-01T08:00" appt book -q --client Ann --service consult --provider kim --at "2027-03-$d 10:00" >/dev/null
	done
	APPT_NOW=2027-03-02T10:20 appt noshow 1 >/dev/null
	APPT_NOW=2027-03-03T10:20 appt noshow 2 >/dev/null
	APPT_NOW=2027-03-04T10:20 run -0 appt noshow 3
	run -0 messages 'name, status'
	assert_line --index 4 "noshow|sent"
	assert_line --index 5 "blocked|sent"
	assert_equal "${#lines[@]}" 6
	run -0 tail -2 "$SMS_LOG"
	assert_line --index 0 "Hello Ann, after several missed visits please call +1 555 0100 before booking again."
}

@test "{{business.address}} names where the clinic is" {
	sed -i 's|^  booking_url: https://clinic.example/book|&\n  address: 1 Main Street, Springfield|' "$APPT_CONFIG"
	add_template where "See you at {{business.address}}."
	sed -i 's/^  booked: {channel: preferred, template: booked}/  booked: {channel: preferred, template: where}/' "$APPT_CONFIG"
	book_ann >/dev/null
	grep -q '^See you at 1 Main Street, Springfield\.$' "$SMS_LOG"
}

@test "--no-send and --no-notice do not go together (64)" {
	book_ann "2027-03-03 10:00" >/dev/null
	run -64 --separate-stderr appt cancel 1 --no-send --no-notice
	assert_regex "$stderr" "^appt cancel: give --no-send or --no-notice, not both"
	run -64 --separate-stderr appt reschedule 1 --at "2027-03-04 10:00" --no-send --no-notice
	assert_regex "$stderr" "^appt reschedule: give --no-send or --no-notice, not both"
	assert_equal "$(db 'SELECT status, start_at FROM appointments')" "booked|$(epoch '2027-03-03 10:00')"
}

@test "-q prints the id alone even when the confirmation waits for its window" {
	APPT_NOW=2027-03-01T22:00 run -0 --separate-stderr appt book -q --client Ann --service consult \
		--provider kim --at "2027-03-03 10:00"
	assert_output "1"
	assert_regex "$stderr" "waits for its sending window"
}
