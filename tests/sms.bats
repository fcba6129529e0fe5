#!/usr/bin/env bats
# Texts clients send back (DESIGN.md "Serving clients"): the SMS gateway
# posts each one to appt serve's /hooks/sms.  C, Y or YES confirms the
# client's next appointment, R asks the desk to call about moving it, STOP
# ends texts to the number (the outbox sends by e-mail, else makes a call
# task) and START resumes them; anything else goes on the client's record
# with a call task, so that a person answers.  The gateway hears 200
# whatever was done.  The clock is Monday 2027-03-01 08:00 (America/Denver).

load test_helper
load fixtures/messaging

setup() {
	common_setup
	init_db
}

teardown() {
	serve_stop
}

# text FROM BODY [KEY]: what the gateway posts; prints the HTTP status.
# Encoded as a form is: a bare '+' would arrive as a space.
text() {
	curl -s -o /dev/null -w '%{http_code}' --data-urlencode "From=$1" \
		--data-urlencode "Body=$2" "${SERVE_URL%/}/hooks/sms${3:+?key=$3}"
}

# The call tasks as "kind|name|appointment|status|note".
tasks() {
	db "SELECT kind, name, coalesce(CAST(appointment_id AS TEXT), '-'), status, note
		FROM messages WHERE channel = 'call' ORDER BY id"
}

# The contacts as "client|appointment|via|inbound|actor|text".
contacts() {
	db "SELECT client_id, coalesce(CAST(appointment_id AS TEXT), '-'), via, inbound, actor, text
		FROM contacts ORDER BY id"
}


# ---- confirming ----

@test "C confirms the client's next booked appointment, by sms, as the actor sms" {
	book_consult Ann "2027-03-03 10:00" >/dev/null
	book_consult Ann "2027-03-04 10:00" >/dev/null
	serve_start
	run -0 text +15550001 C
	assert_output 200
	assert_equal "$(status_of 1)" confirmed
	assert_equal "$(status_of 2)" booked
	run -0 db "SELECT confirmed_via, confirmed_at FROM appointments WHERE id = 1"
	assert_output "sms|$(epoch '2027-03-01 08:00')"
	run -0 db "SELECT actor FROM events WHERE entity = 'appointment' AND entity_id = 1 AND action = 'confirm'"
	assert_output sms
	run -0 contacts
	assert_output "1|1|sms|1|sms|C"
	assert_equal "$(tasks)" ""
	run -0 grep -E "POST /hooks/sms 200 [0-9]+ms \(confirmed #1 for Ann Archer\)$" "$SERVE_LOG"
}

@test "yes in lower case, with a full stop, from the phone typed otherwise, confirms too" {
	book_consult >/dev/null
	serve_start
	run -0 text "+1 555-0001" "  yes. "
	assert_output 200
	assert_equal "$(status_of 1)" confirmed
	run -0 contacts
	assert_output "1|1|sms|1|sms|yes."
}

@test "C on an appointment already confirmed is only logged; with nothing booked it goes to the desk" {
	book_consult >/dev/null
	appt confirm 1 --via call >/dev/null
	serve_start
	run -0 text +15550001 Y
	assert_output 200
	run -0 tasks
	assert_output ""
	run -0 contacts
	assert_output "1|1|sms|1|sms|Y"
	assert_equal "$(db "SELECT count(*) FROM events WHERE action = 'confirm'")" 1
	run -0 grep -F "#1 for Ann Archer was already confirmed: logged" "$SERVE_LOG"
	# and with nothing booked at all
	run -0 text +15550002 yes
	assert_output 200
	run -0 db "SELECT client_id, note FROM messages WHERE channel = 'call' AND client_id = 2"
	assert_output "2|Text from the client: yes (nothing to confirm: no appointment to come)"
}

@test "YES takes a held time: booked and confirmed at once, and the client told" {
	add_template held "{{appointment.date}} {{appointment.time}} is held for you until {{hold.until}}."
	sed -i '/^notices:/a\  held: {channel: preferred, template: held}' "$APPT_CONFIG"
	appt book -q --client Ann --service consult --provider kim --at "2027-03-03 10:00" --hold 24h >/dev/null
	serve_start
	run -0 text +15550001 YES
	assert_output 200
	assert_equal "$(status_of 1)" confirmed
	run -0 db "SELECT name, channel, status FROM messages WHERE kind = 'notice' ORDER BY id"
	assert_output "held|sms|sent
booked|sms|sent"
}

@test "YES while a time is held takes the held time, even with an earlier appointment booked" {
	book_consult Ann "2027-03-02 10:00" >/dev/null
	appt book -q --client Ann --service consult --provider kim --at "2027-03-08 10:00" --hold 24h >/dev/null
	serve_start
	run -0 text +15550001 YES
	assert_output 200
	assert_equal "$(status_of 2)" confirmed
	assert_equal "$(status_of 1)" booked
	run -0 grep -F "confirmed #2 for Ann Archer" "$SERVE_LOG"
}

# ---- asking to reschedule ----

@test "R makes a call task to reschedule the next appointment, on the desk's call list" {
	book_consult >/dev/null
	serve_start
	run -0 text +15550001 "r"
	assert_output 200
	assert_equal "$(status_of 1)" booked
	run -0 tasks
	assert_output "request|sms|1|open|Text from the client: r (call to reschedule #1, 2027-03-03 10:00)"
	run -0 contacts
	assert_output "1|1|sms|1|sms|r"
	run -0 appt report calls --format table
	assert_line --regexp '^2 +2027-03-01 08:00 +Ann Archer +\+15550001 +Text from the client: r \(call to reschedule #1, 2027-03-03 10:00\) +0 +1$'
	run -0 grep -F "call task #2: reschedule #1 for Ann Archer" "$SERVE_LOG"
	# the desk calls back and moves it: the task goes with the old time
	appt reschedule 1 --at "2027-03-04 10:00" --reason "client texted R" >/dev/null
	assert_equal "$(db "SELECT status FROM messages WHERE id = 2")" void
	run -0 appt report calls --format table
	refute_output --partial "Text from the client"
}

# ---- STOP and START ----

@test "STOP: no more texts; Ann's reminder goes by e-mail instead" {
	two_day_reminder
	book_consult Ann "2027-03-04 10:00" >/dev/null
	assert_equal "$(sms_count)" 1
	serve_start
	run -0 text +15550001 STOP
	assert_output 200
	assert_equal "$(db 'SELECT texts_stopped_at FROM clients WHERE id = 1')" "$(epoch '2027-03-01 08:00')"
	run -0 db "SELECT actor, action, reason, json_extract(after, '$.texts_stopped_at') IS NOT NULL
		FROM events WHERE entity = 'client' AND entity_id = 1 AND action LIKE 'texts-%'"
	assert_output "sms|texts-stop|texted STOP|1"
	run -0 contacts
	assert_output "1|-|sms|1|sms|STOP"
	# nothing else changed: no task, Bob's texts as they were
	assert_equal "$(tasks)" ""
	assert_equal "$(db 'SELECT count(*) FROM clients WHERE texts_stopped_at IS NOT NULL')" 1
	run -0 appt client show Ann
	assert_line --regexp '^texts: +stopped on 2027-03-01 08:00 \(STOP\)$'
	APPT_NOW=2027-03-02T10:00 run -0 appt remind
	run -0 db "SELECT channel, recipient, status, note FROM messages WHERE kind = 'reminder'"
	assert_output "email|ann@example.com|sent|texts stopped (STOP): sent by email instead"
	assert_equal "$(sms_count)" 1
	assert_equal "$(email_count)" 1
}

@test "STOP: a text still waiting goes another way; with no e-mail, a call task" {
	appt client add -q --name "Dee Dunn" --phone "+15550004" >/dev/null
	appt book -q --client Dee --service consult --provider kim --at "2027-03-03 10:00" --no-send >/dev/null
	serve_start
	run -0 text +15550004 "Stop."
	assert_output 200
	run -0 db "SELECT name, channel, recipient, status, note FROM messages"
	assert_output "booked|call|+15550004|open|texts stopped (STOP): call instead"
	assert_equal "$(db "SELECT count(*) FROM events WHERE entity = 'message' AND action = 'reroute'")" 1
	run -0 grep -F "texts stopped for Dee Dunn; 1 waiting text sent another way" "$SERVE_LOG"
	run -0 appt remind
	assert_file_not_exists "$SMS_LOG"
	# a new message, too
	appt book -q --client Dee --service consult --provider kim --at "2027-03-04 10:00" >/dev/null
	run -0 db "SELECT channel, note FROM messages WHERE appointment_id = 2"
	assert_output "call|texts stopped (STOP): call instead"
}

@test "a text still pending when delivery finds the client stopped goes another way then" {
	# as appt undo may bring back a notice queued by sms before the STOP
	appt book -q --client Ann --service consult --provider kim --at "2027-03-03 10:00" --no-send >/dev/null
	db "UPDATE clients SET texts_stopped_at = $(epoch '2027-03-01 07:00') WHERE id = 1"
	run -0 appt remind -v
	assert_line "rerouted #1 notice booked: the client's texts are stopped (STOP)"
	run -0 db "SELECT channel, status, note FROM messages"
	assert_output "email|sent|texts stopped (STOP): sent by email instead"
	assert_equal "$(email_count)" 1
	assert_file_not_exists "$SMS_LOG"
}

@test "START: texts again" {
	two_day_reminder
	book_consult Ann "2027-03-04 10:00" >/dev/null
	serve_start
	assert_equal "$(text +15550001 unsubscribe)" 200
	assert_equal "$(text +15550001 START)" 200
	assert_equal "$(db 'SELECT texts_stopped_at IS NULL FROM clients WHERE id = 1')" 1
	run -0 db "SELECT actor, action FROM events WHERE entity = 'client' AND action LIKE 'texts-%' ORDER BY id"
	assert_output "sms|texts-stop
sms|texts-start"
	run -0 appt client show Ann
	refute_line --regexp '^texts:'
	APPT_NOW=2027-03-02T10:00 run -0 appt remind
	run -0 db "SELECT channel, coalesce(note, '-') FROM messages WHERE kind = 'reminder'"
	assert_output "sms|-"
	assert_equal "$(sms_count)" 2
}

@test "STOP twice keeps the first time; client show prints it in every format" {
	serve_start
	assert_equal "$(text +15550001 STOP)" 200
	serve_stop
	APPT_NOW=2027-03-01T09:00 serve_start
	assert_equal "$(text +15550001 STOP)" 200
	assert_equal "$(db "SELECT count(*) FROM events WHERE action = 'texts-stop'")" 1
	assert_equal "$(db "SELECT count(*) FROM contacts")" 2
	run -0 grep -F "texts stopped for Ann Archer (they already were)" "$SERVE_LOG"
	run -0 appt client show Ann --format json
	assert_equal "$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["texts_stopped"])' <<<"$output")" \
		"2027-03-01T08:00:00-07:00"
	run -0 appt client show Bob --format json
	assert_equal "$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["texts_stopped"])' <<<"$output")" None
}

@test "a merge never starts texts to a number that texted STOP" {
	serve_start
	assert_equal "$(text +15550001 STOP)" 200
	appt client add -q --name "A. Archer" --email a.archer@example.com --channel email >/dev/null
	appt client merge 4 1 --reason "same person" >/dev/null
	run -0 db "SELECT phone, texts_stopped_at FROM clients WHERE id = 4"
	assert_output "+15550001|$(epoch '2027-03-01 08:00')"
}

# ---- anything else ----

@test "any other text goes on the client's record with a call task for the desk" {
	book_consult >/dev/null
	serve_start
	run -0 text +15550001 $'Running 10 min late,\nsorry!'
	assert_output 200
	assert_equal "$(status_of 1)" booked
	run -0 tasks
	assert_output "request|sms|-|open|Text from the client: Running 10 min late, sorry!"
	run -0 db "SELECT text FROM contacts"
	assert_output $'Running 10 min late,\nsorry!'
	run -0 appt report calls --format table
	assert_line --regexp '^2 +2027-03-01 08:00 +Ann Archer +\+15550001 +Text from the client: Running 10 min late, sorry! +0$'
	run -0 appt client show Ann
	assert_output --partial "sms"
	assert_output --partial "Running 10 min late,"
	run -0 grep -F "logged for the desk (call task #2) on Ann Archer's record" "$SERVE_LOG"
}

@test "CANCEL is not taken for STOP: a person answers it" {
	book_consult >/dev/null
	serve_start
	assert_equal "$(text +15550001 CANCEL)" 200
	assert_equal "$(db 'SELECT texts_stopped_at IS NULL FROM clients WHERE id = 1')" 1
	assert_equal "$(status_of 1)" booked
	run -0 tasks
	assert_output "request|sms|-|open|Text from the client: CANCEL"
}

# ---- who sent it ----

@test "a number shared by two clients: the text is for the one whose appointment comes first" {
	appt client add -q --name "Ann Junior" --phone "+15550001" --allow-duplicate >/dev/null
	book_consult 1 "2027-03-04 10:00" >/dev/null
	book_consult 4 "2027-03-02 10:00" >/dev/null
	serve_start
	assert_equal "$(text +15550001 C)" 200
	assert_equal "$(status_of 1)" booked
	assert_equal "$(status_of 2)" confirmed
	run -0 grep -F "confirmed #2 for Ann Junior, one of 2 clients with +15550001 (the soonest appointment)" "$SERVE_LOG"
	# STOP is about the number: both records
	assert_equal "$(text +15550001 STOP)" 200
	assert_equal "$(db 'SELECT count(*) FROM clients WHERE texts_stopped_at IS NOT NULL')" 2
	run -0 db "SELECT client_id, text FROM contacts ORDER BY id"
	assert_output "4|C
1|STOP
4|STOP"
}

@test "an unknown number gets a record of its own and reaches the desk; a short code writes nothing" {
	book_consult >/dev/null
	serve_start
	assert_equal "$(text '+1 555 999 0000' 'Hi, is this the clinic?')" 200
	run -0 db "SELECT id, name, phone, channel FROM clients WHERE id = 4"
	assert_output "4|Unknown (+1 555 999 0000)|+1 555 999 0000|sms"
	run -0 db "SELECT client_id, note FROM messages WHERE channel = 'call' AND client_id = 4"
	assert_output "4|Text from the client: Hi, is this the clinic?"
	run -0 appt report calls
	assert_output --partial "Unknown (+1 555 999 0000)"
	# a second text from it goes on the same record
	assert_equal "$(text +15559990000 STOP)" 200
	assert_equal "$(db "SELECT count(*) FROM clients")" 4
	run -0 db "SELECT texts_stopped_at IS NOT NULL FROM clients WHERE id = 4"
	assert_output 1
	dump_db >"$BATS_TEST_TMPDIR/before"
	assert_equal "$(text 'ACME' C)" 200
	assert_equal "$(text '12345' STOP)" 200
	dump_db >"$BATS_TEST_TMPDIR/after"
	run -0 diff "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
	run -0 grep -F "no client has phone number ACME" "$SERVE_LOG"
	run -0 grep -F "no client has phone number 12345 (a short code, not a phone)" "$SERVE_LOG"
}

@test "a text that is not valid UTF-8, or has control characters, is refused with nothing written" {
	book_consult >/dev/null
	serve_start
	dump_db >"$BATS_TEST_TMPDIR/before"
	# the form itself is malformed: the server refuses it before reading it
	assert_equal "$(text +15550001 "$(printf 'C\377')")" 400
	# a well-formed form whose text would drive a terminal: understood, and refused
	assert_equal "$(text +15550001 "$(printf 'hi \033[2J')")" 200
	dump_db >"$BATS_TEST_TMPDIR/after"
	run -0 diff "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
	run -0 grep -F "text contains a control character (U+001B)" "$SERVE_LOG"
}

@test "with serve.sms.key set, a wrong key is 403 and nothing is written" {
	book_consult >/dev/null
	printf 'serve:\n  sms:\n    key: s3cret\n' >>"$APPT_CONFIG"
	serve_start
	assert_equal "$(text +15550001 C)" 403
	assert_equal "$(text +15550001 C wrong)" 403
	assert_equal "$(status_of 1)" booked
	assert_equal "$(text +15550001 C s3cret)" 200
	assert_equal "$(status_of 1)" confirmed
}

@test "with serve.sms.key the gateway is not held to the POST limit the booking form is" {
	printf 'serve:\n  post_limit: 2\n  sms:\n    key: s3cret\n' >>"$APPT_CONFIG"
	book_consult >/dev/null
	serve_start
	assert_equal "$(text +15550001 STOP wrong)" 403
	assert_equal "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$SERVE_URL/book")" 422
	assert_equal "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$SERVE_URL/book")" 429
	for i in 1 2 3; do
		assert_equal "$(text +15550001 "thanks $i" s3cret)" 200
	done
	assert_equal "$(db "SELECT count(*) FROM contacts")" 3
	# guesses at the key are held to the limit, and a wrong key is refused
	assert_equal "$(text +15550001 STOP wrong)" 429
	assert_equal "$(db "SELECT count(*) FROM contacts")" 3
}
