#!/usr/bin/env bats
# appt remind: the cron entry point (seed 000 §5.1 step 6, seed 001 §4, seed
# 003 reminders and follow-ups).  Every message is sent exactly once however
# often and however concurrently cron runs it; never after the appointment
# started; never for an old time; retried with backoff, then given up;
# uncertain after a crash until a human says --retry-uncertain.  The clock is
# Monday 2027-03-01 08:00 (America/Denver); each run sets APPT_NOW.

load test_helper
load fixtures/messaging

setup() {
	common_setup
	init_db
	add_template reminder "Reminder: {{service.name}} on {{appointment.date}} at {{appointment.time}}." \
		"Reminder: {{service.name}}"
	add_template reminder-soon "See you at {{appointment.time}} today, {{client.first_name}}."
	add_template thanks "Thank you for coming in, {{client.first_name}}."
	add_template next-peel "Time to book your next peel: {{business.booking_url}}"
	cat >>"$APPT_CONFIG" <<-'EOF'
	reminders:
	  - name: two-days
	    before: 48h
	    channel: preferred
	    template: reminder
	  - name: two-hours
	    before: 2h
	    channel: sms
	    template: reminder-soon
	EOF
}

book_ann() {
	appt book -q --client Ann --service consult --provider kim --at "$1" "${@:2}"
}

# The reminders of the database as "name|status|due_at|sent_at".
reminders() {
	db "SELECT name, status, due_at, coalesce(CAST(sent_at AS TEXT), '-') FROM messages
		WHERE kind = 'reminder' ORDER BY id"
}

remind_at() {
	APPT_NOW=$1 appt remind "${@:2}"
}

# Ann's confirmed Thursday 10:00 consult, whose two-day reminder the SMS
# gateway refuses once on Tuesday 10:00 (delivery: 5 attempts, a 10m
# backoff, lock_wait $1): remind exits 69 naming the error.
first_reminder_fails() {
	use_fake_sms
	delivery 5 10m "$1"
	book_ann "2027-03-04 10:00" >/dev/null
	appt confirm 1 --via sms >/dev/null
	gateway_fails 1 "gateway unavailable"
	run -69 --separate-stderr remind_at 2027-03-02T10:00
	assert_output "sent 0, failed 1, call tasks 0, skipped 0"
	assert_equal "$stderr" "appt remind: failed #2 reminder two-days to +15550001: command '$FAKE_SMS' exited 1: gateway unavailable"
}

# ---- reminders ----

@test "48h and 2h reminders: sent by the first run at or after their time, once" {
	book_ann "2027-03-04 10:00" >/dev/null
	appt confirm 1 --via sms >/dev/null
	for now in 2027-03-01T12:00 2027-03-02T09:55; do
		run -0 remind_at "$now"
		assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	done
	run -0 --separate-stderr remind_at 2027-03-02T10:00 -v
	assert_output - <<-'EOF'
	sent #2 reminder two-days by sms to +15550001
	sent 1, failed 0, call tasks 0, skipped 0
	EOF
	assert_equal "$stderr" ""
	for now in 2027-03-02T10:00 2027-03-02T10:05 2027-03-03T09:00 2027-03-04T07:55; do
		run -0 remind_at "$now"
		assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	done
	run -0 remind_at 2027-03-04T08:05
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	for now in 2027-03-04T08:05 2027-03-04T09:00 2027-03-04T11:00; do
		run -0 remind_at "$now"
		assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	done
	run -0 reminders
	assert_output - <<-EOF
	two-days|sent|$(epoch '2027-03-02 10:00')|$(epoch '2027-03-02 10:00')
	two-hours|sent|$(epoch '2027-03-04 08:00')|$(epoch '2027-03-04 08:05')
	EOF
	assert_equal "$(sms_count)" 3
	run -0 grep -A7 '^Message-Id: 2$' "$SMS_LOG"
	assert_output - <<-'EOF'
	Message-Id: 2
	Kind: reminder
	Channel: sms
	To: +15550001
	Subject: Reminder: Consultation

	Reminder: Consultation on Thursday 4 March 2027 at 10:00.
	.
	EOF
	grep -q '^See you at 10:00 today, Ann\.$' "$SMS_LOG"
}

@test "a reminder queued but not sent before the appointment started is skipped, never sent late" {
	book_ann "2027-03-02 09:00" >/dev/null
	# queue only: cron was told to leave delivery for later
	run -0 remind_at 2027-03-02T07:30 --only reminders
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(db "SELECT name, status FROM messages WHERE kind = 'reminder'")" "two-hours|pending"
	run -0 remind_at 2027-03-02T09:00 --dry-run
	assert_output - <<-'EOF'
	would skip #2 reminder two-hours: the appointment has started
	dry run: would send 0, call tasks 0, skipped 1; nothing changed
	EOF
	run -0 --separate-stderr remind_at 2027-03-02T09:00 -v
	assert_output - <<-'EOF'
	skipped #2 reminder two-hours: the appointment has started
	sent 0, failed 0, call tasks 0, skipped 1
	EOF
	assert_equal "$stderr" ""
	run -0 db "SELECT status, note, sent_at IS NULL FROM messages WHERE kind = 'reminder'"
	assert_output "void|skipped: the appointment has started|1"
	assert_equal "$(sms_count)" 1
	run -1 grep '^Kind: reminder' "$SMS_LOG"
}

@test "a reminder whose time passed while cron was down is not queued after the start" {
	book_ann "2027-03-02 09:00" >/dev/null
	run -0 remind_at 2027-03-02T09:01
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(db "SELECT count(*) FROM messages WHERE kind = 'reminder'")" 0
}

@test "an appointment booked after a reminder's due time does not get that reminder" {
	# 26h ahead: the 48h reminder fell due before the booking existed
	book_ann "2027-03-02 10:00" >/dev/null
	for now in 2027-03-01T08:05 2027-03-01T12:00 2027-03-02T07:59; do
		run -0 remind_at "$now"
		assert_output --regexp "^sent 0, failed 0, call tasks [01], skipped 0$"
	done
	run -0 remind_at 2027-03-02T08:00
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	run -0 reminders
	assert_output "two-hours|sent|$(epoch '2027-03-02 08:00')|$(epoch '2027-03-02 08:00')"
}

@test "a reminder held by a failing gateway is voided by a reschedule; the new time gets its own" {
	first_reminder_fails 10s
	assert_equal "$(reminders)" "two-days|pending|$(epoch '2027-03-02 10:00')|-"
	APPT_NOW=2027-03-02T10:05 run -0 --separate-stderr appt reschedule 1 --at "2027-03-08 10:00"
	assert_equal "$stderr" "appt reschedule: warning: message #3 not sent now; appt remind will retry it"
	run -0 db "SELECT status, note FROM messages WHERE id = 2"
	assert_output "void|voided: the appointment was moved or ended"
	gateway_recovers
	# the old reminder's retry time comes: it is not sent; the new confirmation is
	run -0 --separate-stderr remind_at 2027-03-02T10:15 -v
	assert_output - <<-'EOF'
	sent #3 notice rescheduled by sms to +15550001
	sent 1, failed 0, call tasks 0, skipped 0
	EOF
	for now in 2027-03-04T08:00 2027-03-06T09:59; do
		run -0 remind_at "$now"
		assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	done
	run -0 remind_at 2027-03-06T10:00 -v
	assert_output - <<-'EOF'
	sent #4 reminder two-days by sms to +15550001
	sent 1, failed 0, call tasks 0, skipped 0
	EOF
	assert_equal "$(gw_count_id 2)" 1
	assert_equal "$(gw_count_id 4)" 1
	run -0 reminders
	assert_output - <<-EOF
	two-days|void|$(epoch '2027-03-02 10:00')|-
	two-days|sent|$(epoch '2027-03-06 10:00')|$(epoch '2027-03-06 10:00')
	EOF
	grep -q 'Reminder: Consultation on Monday 8 March 2027 at 10:00' "$GW/out"
}

@test "a cancelled appointment's queued reminder is never sent" {
	book_ann "2027-03-04 10:00" >/dev/null
	run -0 remind_at 2027-03-02T10:00 --only reminders
	APPT_NOW=2027-03-02T10:30 run -0 appt cancel 1
	run -0 remind_at 2027-03-02T10:35
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	run -0 remind_at 2027-03-04T08:00
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(reminders)" "two-days|void|$(epoch '2027-03-02 10:00')|-"
	run -1 grep '^Kind: reminder' "$SMS_LOG"
	assert_equal "$(sms_count)" 2
}

# ---- exactly once ----

@test "two runs at the same time send every message once" {
	book_ann "2027-03-04 10:00" --no-send >/dev/null
	appt book -q --client Bob --service consult --provider kim --at "2027-03-04 11:00" --no-send >/dev/null
	run -0 remind_at 2027-03-02T11:00
	assert_output "sent 4, failed 0, call tasks 0, skipped 0"
	run -0 remind_at 2027-03-02T11:00
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(sms_count)" 2
	assert_equal "$(email_count)" 2
	assert_equal "$(db "SELECT count(*) FROM messages WHERE status = 'sent'")" 4
	assert_equal "$(db "SELECT count(DISTINCT key) FROM messages")" 4
}

@test "two runs in parallel: the lock lets one send, every message goes out once" {
	use_fake_sms
	echo 0.4 >"$GW/sleep"
	appt client add -q --name "Dee Dunn" --phone "+15550004" --channel sms >/dev/null
	book_ann "2027-03-04 10:00" --no-send >/dev/null
	appt book -q --client Dee --service consult --provider kim --at "2027-03-04 11:00" --no-send >/dev/null
	appt book -q --client Cy --service consult --provider kim --at "2027-03-04 13:00" --no-send >/dev/null
	export APPT_NOW=2027-03-02T11:00
	appt remind >"$BATS_TEST_TMPDIR/run1" 2>&1 3>&- &
	appt remind >"$BATS_TEST_TMPDIR/run2" 2>&1 3>&- &
	wait %1
	wait %2
	# Ann's and Dee's confirmations and reminders; Cy's confirmation is a call task
	run -0 sort "$BATS_TEST_TMPDIR/run1" "$BATS_TEST_TMPDIR/run2"
	assert_output - <<-'EOF'
	sent 0, failed 0, call tasks 0, skipped 0
	sent 4, failed 0, call tasks 0, skipped 0
	EOF
	assert_equal "$(gw_count)" 4
	for id in $(db "SELECT id FROM messages WHERE channel = 'sms'"); do
		assert_equal "$(gw_count_id "$id")" 1
	done
	assert_equal "$(db "SELECT status, count(*) FROM messages GROUP BY status ORDER BY status")" "open|1
sent|4"
}

@test "a run that cannot get the lock within delivery.lock_wait does nothing and exits 0" {
	only_on sqlite # the lock is a file beside the database (pg.bats: an advisory lock)
	delivery 5 5m 0s
	book_ann "2027-03-04 10:00" --no-send >/dev/null
	(
		flock 9
		: >"$BATS_TEST_TMPDIR/locked"
		sleep 1
	) 9>"$APPT_DB.remind-lock" 3>&- &
	until [ -e "$BATS_TEST_TMPDIR/locked" ]; do sleep 0.05; done
	run -0 --separate-stderr appt remind
	assert_output "another appt remind is running; this run did nothing"
	assert_equal "$stderr" ""
	assert_equal "$(messages status)" "pending"
	wait
	run -0 appt remind
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
}

@test "a run waits for the lock up to delivery.lock_wait, then does its work" {
	only_on sqlite # the lock is a file beside the database (pg.bats: an advisory lock)
	delivery 5 5m 5s
	run -0 appt remind
	assert_equal "$(stat -c %a "$APPT_DB.remind-lock")" 600
	book_ann "2027-03-04 10:00" --no-send >/dev/null
	(
		flock 9
		: >"$BATS_TEST_TMPDIR/locked"
		sleep 0.5
	) 9>"$APPT_DB.remind-lock" 3>&- &
	until [ -e "$BATS_TEST_TMPDIR/locked" ]; do sleep 0.05; done
	run -0 appt remind
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	wait
}

# ---- failures, backoff, giving up ----

@test "a failing gateway: exit 69 with the error; sent once after it recovers and the backoff passed" {
	first_reminder_fails 1s
	run -0 db "SELECT status, attempts, next_attempt_at, last_error FROM messages WHERE id = 2"
	assert_output "pending|1|$(epoch '2027-03-02 10:10')|command '$FAKE_SMS' exited 1: gateway unavailable"
	gateway_recovers
	# before the backoff has passed nothing is tried
	run -0 remind_at 2027-03-02T10:09
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(gw_count_id 2)" 1
	run -0 --separate-stderr remind_at 2027-03-02T10:10
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	assert_equal "$stderr" ""
	run -0 remind_at 2027-03-02T11:00
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(gw_count_id 2)" 2
	run -0 db "SELECT status, attempts, sent_at FROM messages WHERE id = 2"
	assert_output "sent|2|$(epoch '2027-03-02 10:10')"
}

@test "backoff doubles; after delivery.max_attempts the message is failed and reported" {
	use_fake_sms
	delivery 3 10m 1s
	book_ann "2027-03-04 10:00" --no-send >/dev/null
	gateway_fails 75 "throttled"
	run -69 --separate-stderr remind_at 2027-03-01T08:00
	assert_output "sent 0, failed 1, call tasks 0, skipped 0"
	assert_equal "$(db 'SELECT next_attempt_at FROM messages')" "$(epoch '2027-03-01 08:10')"
	run -69 --separate-stderr remind_at 2027-03-01T08:10
	assert_equal "$(db 'SELECT status, attempts, next_attempt_at FROM messages')" "pending|2|$(epoch '2027-03-01 08:30')"
	run -0 remind_at 2027-03-01T08:29
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	run -69 --separate-stderr remind_at 2027-03-01T08:30
	assert_output "sent 0, failed 1, call tasks 0, skipped 0"
	assert_equal "$stderr" "appt remind: failed (giving up) #1 notice booked to +15550001: command '$FAKE_SMS' exited 75: throttled"
	run -0 db "SELECT status, attempts, last_error FROM messages"
	assert_output "failed|3|command '$FAKE_SMS' exited 75: throttled"
	gateway_recovers
	run -0 remind_at 2027-03-01T12:00
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(gw_count)" 3
}

@test "a gateway that hangs is stopped after the transport timeout and counts as failed" {
	use_fake_sms
	echo 10 >"$GW/sleep"
	book_ann "2027-03-04 10:00" --no-send >/dev/null
	SECONDS=0
	APPT_TRANSPORT_TIMEOUT=1 run -69 --separate-stderr appt remind
	[ "$SECONDS" -lt 8 ]
	assert_output "sent 0, failed 1, call tasks 0, skipped 0"
	assert_regex "$stderr" "^appt remind: failed #1 notice booked to \\+15550001: .*timed out after 1s"
	assert_equal "$(messages 'status, attempts')" "pending|1"
}

@test "a transport command that does not exist is a failed delivery naming it" {
	sed -i -E "/^  sms:/,/^\$/{s|transport: file|transport: command|;s|path: sent-sms.log|command: [$BATS_TEST_TMPDIR/no-such-sender]|}" "$APPT_CONFIG"
	book_ann "2027-03-04 10:00" --no-send >/dev/null
	run -69 --separate-stderr appt remind
	assert_equal "$stderr" "appt remind: failed #1 notice booked to +15550001: cannot run '$BATS_TEST_TMPDIR/no-such-sender': No such file or directory"
}

# ---- uncertain ----

# A process id no process has (999999, unless pid_max is large and it is taken).
dead_pid() {
	local pid=999999
	while kill -0 "$pid" 2>/dev/null; do pid=$((pid + 1)); done
	echo "$pid"
}

# die_while_sending ID PID [TIME]: message ID as a run that died mid-send
# leaves it: 'sending', claimed by PID at TIME.
die_while_sending() {
	db "UPDATE messages SET status = 'sending', attempts = 1, claimed_by = $2,
		claimed_at = $(epoch "${3:-2027-03-01 08:00}") WHERE id = $1"
}

@test "a message left 'sending' by a dead run is uncertain: reported, exit 69, not sent until --retry-uncertain" {
	use_fake_sms
	book_ann "2027-03-04 10:00" --no-send >/dev/null
	die_while_sending 1 "$(dead_pid)"
	run -69 --separate-stderr appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$stderr" "appt remind: uncertain #1 notice booked: a run died while sending it; check, then 'appt remind --retry-uncertain' to send it again
appt remind: warning: 1 message is uncertain: see appt report messages, then appt remind --retry-uncertain"
	run -0 db "SELECT status, attempts, note FROM messages"
	assert_output "uncertain|1|the run sending it stopped: delivery unknown"
	assert_equal "$(gw_count)" 0
	# later runs leave it alone
	APPT_NOW=2027-03-01T09:00 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(gw_count)" 0
	APPT_NOW=2027-03-01T09:05 run -0 --separate-stderr appt remind --retry-uncertain -v
	assert_output - <<-'EOF'
	sent #1 notice booked by sms to +15550001
	sent 1, failed 0, call tasks 0, skipped 0
	EOF
	assert_equal "$stderr" ""
	APPT_NOW=2027-03-01T09:10 run -0 appt remind --retry-uncertain
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(gw_count_id 1)" 1
	run -0 db "SELECT status, attempts, sent_at, note FROM messages"
	assert_output "sent|2|$(epoch '2027-03-01 09:05')|sent again by --retry-uncertain"
}

@test "a message being sent by a live process is left alone until its claim is stale" {
	use_fake_sms
	book_ann "2027-03-04 10:00" --no-send >/dev/null
	die_while_sending 1 $$
	run -0 --separate-stderr appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$stderr" ""
	assert_equal "$(messages status)" "sending"
	APPT_NOW=2027-03-01T08:11 run -69 --separate-stderr appt remind
	assert_line --index 0 "sent 0, failed 0, call tasks 0, skipped 0"
	assert_regex "$stderr" "^appt remind: uncertain #1 notice booked"
	assert_equal "$(messages status)" "uncertain"
	assert_equal "$(gw_count)" 0
}

# ---- what reaches the outside world ----

EVIL_NAME_TAIL='"O'"'"'Brien"'

@test "a hostile client name reaches a command transport verbatim and runs nothing" {
	use_fake_sms
	local name="\$(touch $BATS_TEST_TMPDIR/pwned); $EVIL_NAME_TAIL"
	add_template verbatim "Dear {{client.name}}, see you on {{appointment.date}}." "For {{client.name}}"
	sed -i 's/^  booked: {channel: preferred, template: booked}/  booked: {channel: preferred, template: verbatim}/' "$APPT_CONFIG"
	appt client add -q --name "$name" --phone "+15550009" --channel sms \
		--note $'allergic to latex\nand to `nuts`' >/dev/null
	run -0 --separate-stderr appt book -q --client 4 --service consult --provider kim --at "2027-03-02 09:00"
	assert_equal "$stderr" ""
	run -0 cat "$GW/out"
	assert_output - <<-EOF
	--- message
	APPT_MSG_ID=1
	APPT_MSG_KIND=notice
	APPT_CHANNEL=sms
	APPT_TO=+15550009
	APPT_SUBJECT=For $name
	APPT_CLIENT_ID=4
	APPT_APPOINTMENT_ID=1

	Dear $name, see you on Tuesday 2 March 2027.
	--- end
	EOF
	assert_file_not_exists "$BATS_TEST_TMPDIR/pwned"
	assert_equal "$(db 'SELECT name FROM clients WHERE id = 4')" "$name"
	assert_equal "$(db 'SELECT text FROM client_notes WHERE client_id = 4')" $'allergic to latex\nand to `nuts`'
	assert_equal "$(db 'SELECT body FROM messages')" "Dear $name, see you on Tuesday 2 March 2027."
}

# The email channel becomes sendmail, played by parse-mail.py.
use_sendmail() {
	MAIL_OUT="$BATS_TEST_TMPDIR/mail.out"
	sed -i -E "/^  email:/,/^  sms:/{s|transport: file|transport: sendmail|;s|path: sent-email.log|command: [python3, \"$FIXTURES/parse-mail.py\", \"$MAIL_OUT\", -t, -i]\\n    from: \"Test Clinic <desk@clinic.example>\"|}" "$APPT_CONFIG"
	add_template mail "Bonjour {{client.name}}, à bientôt le {{appointment.date}}.\nLine two." \
		"Rendez-vous — {{client.name}}"
	sed -i 's/^  booked: {channel: preferred, template: booked}/  booked: {channel: preferred, template: mail}/' "$APPT_CONFIG"
}

@test "sendmail gets a well-formed UTF-8 message: the hostile name is data, not headers" {
	use_sendmail
	local name="\$(touch $BATS_TEST_TMPDIR/pwned); $EVIL_NAME_TAIL"
	appt client add -q --name "$name" --email ob@example.com --channel email >/dev/null
	run -0 --separate-stderr appt book -q --client 4 --service consult --provider kim --at "2027-03-02 09:00"
	assert_equal "$stderr" ""
	assert_equal "$(messages 'channel, status')" "email|sent"
	run -0 grep -v -e '^Message-ID: ' -e '^To: ' "$MAIL_OUT"
	assert_output - <<-EOF
	From: Test Clinic <desk@clinic.example>
	To-Name: $name
	To-Address: ob@example.com
	Subject: Rendez-vous — $name
	Date: Mon, 01 Mar 2027 08:00:00 -0700
	Headers: From To Subject Date Message-ID MIME-Version Content-Type Content-Transfer-Encoding
	Args: -t -i

	Bonjour $name, à bientôt le Tuesday 2 March 2027.
	Line two.
	--- end
	EOF
	assert_regex "$(grep '^Message-ID: ' "$MAIL_OUT")" '^Message-ID: <appt\.1\.[0-9a-f]{16}@[A-Za-z0-9.-]+>$'
	assert_file_not_exists "$BATS_TEST_TMPDIR/pwned"
}

@test "a newline smuggled into a name cannot add a header" {
	use_sendmail
	appt client add -q --name "Eve" --email eve@example.com --channel email >/dev/null
	# a record no command would write (names with control characters are refused)
	db "UPDATE clients SET name = 'Eve' || '"$'\r\n'"' || 'Bcc: victim@example.com' WHERE id = 4"
	run -0 --separate-stderr appt book -q --client 4 --service consult --provider kim --at "2027-03-02 09:00"
	assert_equal "$stderr" ""
	run -0 grep -e '^To-' -e '^Subject: ' -e '^Headers: ' "$MAIL_OUT"
	assert_output - <<-'EOF'
	To-Name: Eve  Bcc: victim@example.com
	To-Address: eve@example.com
	Subject: Rendez-vous — Eve  Bcc: victim@example.com
	Headers: From To Subject Date Message-ID MIME-Version Content-Type Content-Transfer-Encoding
	EOF
}

@test "a sendmail that rejects the message is a failed delivery with its reason" {
	use_sendmail
	printf '#!/bin/sh\ncat >/dev/null\necho "550 5.1.1 mailbox unavailable" >&2\nexit 1\n' \
		>"$BATS_TEST_TMPDIR/bad-sendmail"
	chmod +x "$BATS_TEST_TMPDIR/bad-sendmail"
	sed -i "s|command: \[python3, .*|command: [\"$BATS_TEST_TMPDIR/bad-sendmail\", -t, -i]|" "$APPT_CONFIG"
	appt book -q --client Bob --service consult --provider kim --at "2027-03-02 09:00" --no-send >/dev/null
	run -69 --separate-stderr appt remind
	assert_output "sent 0, failed 1, call tasks 0, skipped 0"
	assert_equal "$stderr" "appt remind: failed #1 notice booked to bob@example.com: command '$BATS_TEST_TMPDIR/bad-sendmail' exited 1: 550 5.1.1 mailbox unavailable"
}

# ---- --dry-run, --only, -v ----

@test "--dry-run lists what would be queued and sent and changes nothing" {
	book_ann "2027-03-04 10:00" >/dev/null
	appt book -q --client Bob --service consult --provider kim --at "2027-03-04 11:00" --no-send >/dev/null
	appt book -q --client Cy --service consult --provider kim --at "2027-03-04 13:00" >/dev/null
	appt confirm 1 --via sms >/dev/null
	dump_db >"$BATS_TEST_TMPDIR/before.sql"
	run -0 --separate-stderr remind_at 2027-03-03T12:00 --dry-run
	assert_output - <<-'EOF'
	would create call task #6 for Cy Cole (two-days)
	would create call task #7 for Bob Baker (not confirmed 1d before the appointment: call to confirm)
	would send #2 notice booked by email to bob@example.com: Your Consultation on Thursday 4 March 2027
	would send #4 reminder two-days by sms to +15550001: Reminder: Consultation
	would send #5 reminder two-days by email to bob@example.com: Reminder: Consultation
	dry run: would send 3, call tasks 2, skipped 0; nothing changed
	EOF
	assert_equal "$stderr" ""
	dump_db >"$BATS_TEST_TMPDIR/after.sql"
	cmp "$BATS_TEST_TMPDIR/before.sql" "$BATS_TEST_TMPDIR/after.sql"
	assert_equal "$(sms_count)" 1
	assert_file_not_exists "$EMAIL_LOG"
	# the real run does what the dry run said
	run -0 remind_at 2027-03-03T12:00 -v
	assert_output - <<-'EOF'
	call task #6 for Cy Cole (two-days)
	call task #7 for Bob Baker (not confirmed 1d before the appointment: call to confirm)
	sent #2 notice booked by email to bob@example.com
	sent #4 reminder two-days by sms to +15550001
	sent #5 reminder two-days by email to bob@example.com
	sent 3, failed 0, call tasks 2, skipped 0
	EOF
}

@test "--only picks what is queued; delivery is a kind of its own" {
	book_ann "2027-03-04 10:00" --no-send >/dev/null
	run -0 remind_at 2027-03-03T12:00 --only reminders
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(messages 'kind, status')" "notice|pending
reminder|pending"
	run -0 remind_at 2027-03-03T12:00 --only deadlines
	assert_output "sent 0, failed 0, call tasks 1, skipped 0"
	run -0 remind_at 2027-03-03T12:00 --only followups,outreach
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_file_not_exists "$SMS_LOG"
	run -0 remind_at 2027-03-03T12:00 --only delivery
	assert_output "sent 2, failed 0, call tasks 0, skipped 0"
	assert_equal "$(messages 'kind, status')" "notice|sent
reminder|sent
deadline|open"
}

@test "--only given twice adds up" {
	book_ann "2027-03-04 10:00" --no-send >/dev/null
	run -0 remind_at 2027-03-03T12:00 --only reminders --only delivery
	assert_output "sent 2, failed 0, call tasks 0, skipped 0"
	assert_equal "$(db "SELECT count(*) FROM messages WHERE kind = 'deadline'")" 0
}

# ---- follow-ups ----

@test "followups: thanks 2h after done; a service-limited one only after that service" {
	cat >>"$APPT_CONFIG" <<-'EOF'
	followups:
	  - name: thanks
	    after: 2h
	    channel: preferred
	    template: thanks
	  - name: next-peel
	    after: 12d
	    channel: sms
	    template: next-peel
	    service: peel
	EOF
	book_ann "2027-03-01 10:00" >/dev/null
	appt book -q --client Bob --service peel --provider kim --at "2027-03-01 11:00" >/dev/null
	APPT_NOW=2027-03-01T10:30 appt done 1 >/dev/null
	APPT_NOW=2027-03-01T11:45 appt done 2 >/dev/null
	run -0 remind_at 2027-03-01T12:29
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	run -0 remind_at 2027-03-01T12:30 -v
	assert_output - <<-'EOF'
	sent #3 followup thanks by sms to +15550001
	sent 1, failed 0, call tasks 0, skipped 0
	EOF
	run -0 remind_at 2027-03-01T13:45 -v
	assert_output - <<-'EOF'
	sent #4 followup thanks by email to bob@example.com
	sent 1, failed 0, call tasks 0, skipped 0
	EOF
	run -0 remind_at 2027-03-02T09:00
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	grep -q '^Thank you for coming in, Ann\.$' "$SMS_LOG"
	# day 12: the peel gets next-peel by sms; the consultation does not
	run -0 remind_at 2027-03-13T10:30
	assert_output "sent 0, failed 0, call tasks 0, skipped 1"
	run -0 remind_at 2027-03-13T11:45
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	run -0 remind_at 2027-03-14T12:00
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	run -0 db "SELECT name, appointment_id, channel, status FROM messages WHERE kind = 'followup' ORDER BY id"
	assert_output - <<-'EOF'
	thanks|1|sms|sent
	thanks|2|email|sent
	next-peel|1|sms|void
	next-peel|2|sms|sent
	EOF
	run -0 grep -B6 '^Time to book your next peel' "$SMS_LOG"
	assert_line "To: +15550002"
}

@test "a follow-up found more than its max_delay late is not sent" {
	cat >>"$APPT_CONFIG" <<-'EOF'
	followups:
	  - name: thanks
	    after: 2h
	    channel: preferred
	    template: thanks
	EOF
	book_ann "2027-03-01 10:00" >/dev/null
	APPT_NOW=2027-03-01T10:30 appt done 1 >/dev/null
	run -0 remind_at 2027-03-08T12:31
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(db "SELECT count(*) FROM messages WHERE kind = 'followup'")" 0
}

# ---- the command line ----

@test "usage errors exit 64 with the usage on stderr" {
	only_on sqlite # the database as a file
	run -64 --separate-stderr appt remind extra
	assert_equal "$output" ""
	[[ "$stderr" == "appt remind: unexpected argument 'extra'"$'\n'"usage: appt remind "* ]]
	run -64 --separate-stderr appt remind --bogus
	[[ "$stderr" == "appt remind: unknown option '--bogus'"$'\n'"usage: appt remind "* ]]
	run -64 --separate-stderr appt remind --only
	[[ "$stderr" == "appt remind: option '--only' needs a value"$'\n'"usage: appt remind "* ]]
	assert_file_not_exists "$APPT_DB.remind-lock"
}

@test "--help prints the usage on stdout" {
	run -0 --separate-stderr appt remind --help
	assert_line --index 0 "usage: appt remind [--dry-run] [--only KIND[,KIND...]] [--retry-uncertain[=ID]] [-v]"
	assert_output --partial "Prints one summary line: sent N, failed N, call tasks N, skipped N."
	assert_equal "$stderr" ""
}

@test "a bad --only value exits 65 naming the kinds" {
	run -65 --separate-stderr appt remind --only reminders,birthdays
	assert_equal "$output" ""
	assert_equal "$stderr" "appt remind: invalid value 'birthdays' for --only (expected reminders, deadlines, followups, outreach, delivery, holds, waitlist or requests)"
}

@test "a lock that cannot be made is an I/O error: exit 74, nothing sent" {
	only_on sqlite # the lock is a file beside the database (pg.bats: an advisory lock)
	book_ann "2027-03-04 10:00" --no-send >/dev/null
	mkdir "$APPT_DB.remind-lock"
	run -74 --separate-stderr appt remind
	assert_equal "$output" ""
	assert_regex "$stderr" "^appt remind: cannot take the remind lock of '.*appt\.db': "
	assert_equal "$(messages status)" "pending"
}

@test "no database exits 66; a broken configuration exits 78" {
	only_on sqlite # the database as a file
	rm -f "$APPT_DB"
	run -66 --separate-stderr appt remind
	assert_equal "$stderr" "appt remind: no database at '$APPT_DB' (run 'appt init' to create it)"
	assert_file_not_exists "$APPT_DB"
	appt init >/dev/null
	printf 'reminders:\n  - name: x\n    before: soon\n' >>"$APPT_CONFIG"
	run -78 --separate-stderr appt remind
	assert_equal "$output" ""
	assert_regex "$stderr" "^appt remind: $APPT_CONFIG:[0-9]+:[0-9]+: "
}

@test "uncertain messages are settled one at a time: --mark-sent ID and --retry-uncertain=ID" {
	use_fake_sms
	book_ann "2027-03-04 10:00" --no-send >/dev/null
	book_ann "2027-03-04 11:00" --no-send >/dev/null
	die_while_sending 1 "$(dead_pid)"
	die_while_sending 2 "$(dead_pid)"
	run -69 appt remind
	# the client did get #1: staff say so; #2 is sent again
	APPT_USER=boss run -0 appt remind --mark-sent 1
	assert_output "marked message #1 sent"
	APPT_NOW=2027-03-01T09:00 run -0 appt remind --retry-uncertain=2
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	assert_equal "$(gw_count_id 1)" 0
	assert_equal "$(gw_count_id 2)" 1
	run -0 db "SELECT id, status, note FROM messages ORDER BY id"
	assert_output "1|sent|marked sent by boss
2|sent|sent again by desk"
	run -1 --separate-stderr appt remind --mark-sent 2
	assert_equal "$stderr" "appt remind: message #2 is sent, not uncertain"
	run -2 appt remind --mark-sent 99
	run -65 appt remind --mark-sent abc
}

# ---- a run that stops: only what reached the transport can be uncertain ----

# claimed_unsent ID: message ID claimed in this boot by a run that died
# before handing it to the transport.
claimed_unsent() {
	db "UPDATE messages SET status = 'sending', claimed_by = $(dead_pid),
		claimed_at = $(epoch '2027-03-01 08:00'),
		claim_boot = '$(cat /proc/sys/kernel/random/boot_id)' WHERE id = $1"
}

@test "a claim that never reached the transport is queued again, not uncertain" {
	use_fake_sms
	book_ann "2027-03-04 10:00" --no-send >/dev/null
	claimed_unsent 1
	run -0 --separate-stderr appt remind -v
	assert_output - <<-'EOF'
	released #1 notice booked: a run stopped before sending it; queued again
	sent #1 notice booked by sms to +15550001
	sent 1, failed 0, call tasks 0, skipped 0
	EOF
	assert_equal "$stderr" ""
	assert_equal "$(db 'SELECT status, attempts FROM messages')" "sent|1"
	assert_equal "$(gw_count_id 1)" 1
}

@test "a claim handed to the transport, or made in another boot, is uncertain" {
	use_fake_sms
	book_ann "2027-03-04 10:00" --no-send >/dev/null
	book_ann "2027-03-04 11:00" --no-send >/dev/null
	claimed_unsent 1
	db "UPDATE messages SET handed_at = $(epoch '2027-03-01 08:00') WHERE id = 1"
	claimed_unsent 2
	db "UPDATE messages SET claim_boot = 'another boot' WHERE id = 2"
	run -69 --separate-stderr appt remind
	assert_regex "$stderr" "uncertain #1 notice booked"
	assert_regex "$stderr" "uncertain #2 notice booked"
	assert_equal "$(messages status)" "uncertain
uncertain"
	assert_equal "$(gw_count)" 0
}

@test "--retry-uncertain=ID on a message its dead run left sending: sent, exit 0" {
	use_fake_sms
	book_ann "2027-03-04 10:00" --no-send >/dev/null
	die_while_sending 1 "$(dead_pid)"
	APPT_NOW=2027-03-01T09:00 run -0 --separate-stderr appt remind --retry-uncertain=1
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	assert_equal "$stderr" ""
	assert_equal "$(gw_count_id 1)" 1
}

@test "^C during a run: the message in flight is finished and recorded, the rest wait" {
	use_fake_sms
	for h in 10 11 13; do book_ann "2027-03-04 $h:00" --no-send >/dev/null; done
	echo 1 >"$GW/sleep"
	appt remind >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	local pid=$!
	while [ ! -e "$GW/started" ]; do sleep 0.05; done
	kill -INT "$pid"
	local rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 0
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" "sent 1, failed 0, call tasks 0, skipped 0"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" \
		"appt remind: warning: stopped by SIGINT: what is left waits for the next run"
	assert_equal "$(messages status)" "sent
pending
pending"
	assert_equal "$(gw_count)" 1
	rm "$GW/sleep"
	run -0 appt remind
	assert_output "sent 2, failed 0, call tasks 0, skipped 0"
}

@test "kill -9 at random moments: nothing sent twice, a claim never handed over is queued again" {
	use_fake_sms
	for d in 02 03 04; do
		for h in 09 10 11 13 14 15; do
			book_ann "2027-03-$d $h:00" --no-send >/dev/null
		done
	done
	echo 0.05 >"$GW/sleep"
	for i in $(seq 1 12); do
		appt remind >/dev/null 2>&1 &
		local pid=$!
		sleep "0.$((RANDOM % 25))"
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" || true
	done
	rm "$GW/sleep"
	appt remind >/dev/null 2>&1 || true
	local id status seen
	while IFS='|' read -r id status; do
		seen=$(gw_count_id "$id")
		# (a kill in the instant between the hand-over mark and the exec
		# may leave one uncertain that the gateway never saw: never two)
		case $status in
		sent) [ "$seen" -eq 1 ] || fail "message #$id is sent but the gateway saw it $seen times" ;;
		uncertain) [ "$seen" -le 1 ] || fail "message #$id is uncertain but the gateway saw it $seen times" ;;
		*) fail "message #$id is $status after a run with nothing in the way" ;;
		esac
	done < <(db "SELECT id, status FROM messages ORDER BY id")
	assert_equal "$(db "SELECT count(*) FROM messages")" 18
	# what a kill left before the hand-over was released, and sent
	assert_equal "$(db "SELECT count(*) FROM messages WHERE status NOT IN ('sent', 'uncertain')")" 0
	[ "$(db "SELECT count(*) FROM messages WHERE status = 'uncertain'")" -le 12 ]
}
