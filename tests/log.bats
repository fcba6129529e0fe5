#!/usr/bin/env bats
# appt log: the contact log (seed 004 step 3) and the closing of call tasks.
# Call tasks are inserted as the outbox writes them (messages on channel
# 'call', status 'open'), with ids from 101 so that notices the lifecycle
# commands queue never collide with them.  The clock is Monday 2027-03-01
# 08:00 (America/Denver).

load test_helper

setup() {
	common_setup
	init_db
}

# UTC seconds of a business-zone time (Denver is UTC-7 in early March).
epoch() {
	date -d "$1 -07:00" +%s
}

# add_task ID CLIENT_ID [APPOINTMENT_ID] [KIND] [NOTE] [CHANNEL] [STATUS]
add_task() {
	local id=$1 client=$2 appointment=${3:-} kind=${4:-deadline} note=${5:-}
	local channel=${6:-call} status=${7:-open} now
	now=$(epoch "2027-03-01 08:00")
	db "INSERT INTO messages (id, key, kind, name, client_id, appointment_id,
		channel, status, assign, note, due_at, next_attempt_at, created_at, updated_at)
		VALUES ($id, 'test:$id', '$kind', 'confirmation', $client,
		CAST(nullif('$appointment', '') AS INTEGER), '$channel', '$status', NULL,
		nullif('$note', ''), $now, $now, $now, $now)"
}

book_ann() {
	appt book -q --client Ann --service consult --provider kim --at "${1:-2027-03-02 09:00}"
}

@test "logs a contact on a client: printed, stored and audited" {
	run -0 --separate-stderr appt log --client Ann --via call --outcome reached Asked about peels
	assert_output "logged contact #1 for Ann Archer"
	assert_equal "$stderr" ""
	run -0 db "SELECT client_id, coalesce(CAST(appointment_id AS TEXT), '-'), coalesce(CAST(message_id AS TEXT), '-'),
		at, actor, via, outcome, coalesce(program, '-'), coalesce(CAST(attempt AS TEXT), '-'), text FROM contacts"
	assert_output "1|-|-|$(epoch '2027-03-01 08:00')|desk|call|reached|-|-|Asked about peels"
	run -0 db "SELECT actor, entity, entity_id, action, json_extract(after, '$.text'),
		json_extract(after, '$.via') FROM events WHERE entity = 'contact'"
	assert_output "desk|contact|1|log|Asked about peels|call"
}

@test "--via takes the shared vocabulary: phone is stored as call, online and walk-in refused" {
	run -0 appt log -q --client Ann --via phone "rang back"
	assert_equal "$(db 'SELECT via FROM contacts WHERE id = 1')" "call"
	assert_equal "$(db "SELECT json_extract(after, '$.via') FROM events WHERE entity = 'contact'")" "call"
	for via in online walk-in; do
		run -65 --separate-stderr appt log --client Ann --via "$via" "x"
		assert_equal "$stderr" "appt log: --via $via does not apply here (expected call, sms, email or in-person)"
	done
	assert_equal "$(db 'SELECT count(*) FROM contacts')" 1
}

@test "an appointment id logs on that appointment's client" {
	book_ann >/dev/null
	run -0 --separate-stderr appt log 1 --via sms "Sent directions"
	assert_output "logged contact #1 for Ann Archer"
	assert_equal "$(db 'SELECT client_id, appointment_id, outcome IS NULL FROM contacts')" "1|1|1"
}

@test "-q prints only the new contact's id" {
	appt log --client Bob --via email "first" >/dev/null
	run -0 --separate-stderr appt log -q --client Bob --via in-person "Came by the desk"
	assert_output "2"
}

@test "TEXT is every remaining word joined by spaces" {
	appt log --client Cy --via call left a  message "about Tuesday" >/dev/null
	assert_equal "$(db 'SELECT text FROM contacts')" "left a message about Tuesday"
}

@test "--task closes an open call task of the client" {
	book_ann >/dev/null
	add_task 101 1 1 deadline "unconfirmed: call to confirm"
	APPT_USER=maria run -0 --separate-stderr appt log --client Ann --via call --outcome reached --task 101 Confirmed by phone
	assert_output - <<-'EOF'
	logged contact #1 for Ann Archer
	closed call task #101
	EOF
	run -0 db "SELECT status, closed_at, closed_by, note FROM messages WHERE id = 101"
	assert_output "closed|$(epoch '2027-03-01 08:00')|maria|Confirmed by phone"
	assert_equal "$(db 'SELECT message_id, appointment_id FROM contacts')" "101|1"
	run -0 db "SELECT action, json_extract(before, '$.status'), json_extract(before, '$.note'),
		json_extract(after, '$.status'), json_extract(after, '$.closed_by')
		FROM events WHERE entity = 'message' AND entity_id = 101"
	assert_output "close|open|unconfirmed: call to confirm|closed|maria"
}

@test "--task with an appointment id works too" {
	book_ann >/dev/null
	add_task 101 1 1
	run -0 appt log 1 --via call --outcome reached --task 101 "Confirmed"
	assert_line "closed call task #101"
	assert_equal "$(db 'SELECT status FROM messages WHERE id = 101')" closed
}

@test "a closed call task is refused, saying who closed it and when" {
	add_task 101 1
	APPT_USER=maria appt log --client Ann --via call --task 101 --close "done" >/dev/null
	run -1 --separate-stderr appt log --client Ann --via call --task 101 "again"
	assert_output ""
	assert_equal "$stderr" "appt log: call task #101 is already closed (by maria on 2027-03-01 08:00)"
	assert_equal "$(db 'SELECT count(*) FROM contacts')" 1
}

@test "a voided call task is refused" {
	add_task 101 1 "" deadline "" call void
	run -1 --separate-stderr appt log --client Ann --via call --task 101 "called"
	assert_regex "$stderr" "^appt log: call task #101 is void, not open"
	assert_equal "$(db 'SELECT count(*) FROM contacts')" 0
}

@test "a message that is not a call task is refused" {
	add_task 101 1 "" reminder "" sms pending
	run -1 --separate-stderr appt log --client Ann --via sms --task 101 "texted"
	assert_equal "$stderr" "appt log: message #101 is not a call task (it is a reminder by sms)"
	assert_equal "$(db 'SELECT status FROM messages WHERE id = 101')" pending
	assert_equal "$(db 'SELECT count(*) FROM contacts')" 0
}

@test "another client's call task is refused and stays open" {
	add_task 101 2
	run -1 --separate-stderr appt log --client Ann --via call --task 101 "called"
	assert_equal "$stderr" "appt log: call task #101 is for Bob Baker (client #2), not Ann Archer"
	assert_equal "$(db 'SELECT status FROM messages WHERE id = 101')" open
	assert_equal "$(db 'SELECT count(*) FROM contacts')" 0
	assert_equal "$(db "SELECT count(*) FROM events WHERE entity IN ('contact', 'message')")" 0
}

@test "not found: appointment, client, call task (exit 2)" {
	run -2 --separate-stderr appt log 9 --via call "called"
	assert_equal "$stderr" "appt log: no appointment #9"
	run -2 --separate-stderr appt log --client Zed --via call "called"
	assert_regex "$stderr" "^appt log: no client .*Zed"
	run -2 --separate-stderr appt log --client Ann --via call --task 7 "called"
	assert_equal "$stderr" "appt log: no call task #7"
	assert_equal "$(db 'SELECT count(*) FROM contacts')" 0
}

@test "bad values: --via, --outcome, ids (exit 65) before any lookup" {
	run -65 --separate-stderr appt log --client Ann --via fax "x"
	assert_equal "$stderr" "appt log: invalid value 'fax' for --via (expected call, sms, email or in-person)"
	run -65 --separate-stderr appt log --client Ann --via call --outcome busy "x"
	assert_equal "$stderr" "appt log: invalid contact outcome 'busy' (expected reached, voicemail, no-answer or other)"
	run -65 --separate-stderr appt log --client Zed --via fax "x"
	run -65 --separate-stderr appt log --client Ann --via call --task abc "x"
	assert_regex "$stderr" "invalid call task id 'abc'"
	run -65 appt log 0 --via call "x"
	assert_equal "$(db 'SELECT count(*) FROM contacts')" 0
}

@test "usage errors (exit 64)" {
	run -64 --separate-stderr appt log --via call "no target"
	assert_regex "$stderr" "^appt log: give an appointment ID or --client C"
	run -64 --separate-stderr appt log --client Ann --via call
	assert_regex "$stderr" "^appt log: missing TEXT"
	run -64 --separate-stderr appt log --client Ann --via call "  "
	run -64 --separate-stderr appt log --client Ann "no via"
	assert_regex "$stderr" "^appt log: --via is required"
	run -64 --separate-stderr appt log 1 --client Ann --via call "both"
	assert_regex "$stderr" "not both"
	run -64 --separate-stderr appt log --client Ann --via call --bogus "x"
	run -64 --separate-stderr appt log --client Ann --via
	assert_equal "$(db 'SELECT count(*) FROM contacts')" 0
}

@test "--help prints the usage on stdout" {
	run -0 --separate-stderr appt log --help
	assert_line --index 0 --regexp "^usage: appt log \(ID \| --client C\) --via"
}

# The acne program of seed 004, with a done peel on Monday 1 March.
program_client() {
	cat >>"$APPT_CONFIG" <<-'EOF'

	programs:
	  acne:
	    interval: 14d
	    outreach:
	      - day: 7
	        channel: sms
	        template: booked
	      - day: 15
	        channel: call
	EOF
	appt client add -q --name "Dee Dunn" --phone "+15550004" --program acne >/dev/null
	appt book -q --client Dee --service peel --provider kim --at "2027-03-01 10:00" >/dev/null
	APPT_NOW=2027-03-01T11:00 appt done 1 >/dev/null
}

@test "program clients get the attempt number and last service (seed 004)" {
	program_client
	export APPT_NOW=2027-03-08T10:00
	run -0 --separate-stderr appt log --client Dee --via sms --outcome other "Texted: book your next peel"
	assert_output - <<-'EOF'
	logged contact #1 for Dee Dunn
	No Appointment Booked, attempt 1; last service 2027-03-01
	EOF
	APPT_NOW=2027-03-13T10:00 run -0 appt log --client Dee --via call --outcome no-answer "No answer"
	assert_line "No Appointment Booked, attempt 2; last service 2027-03-01"
	run -0 db "SELECT program, attempt, last_visit FROM contacts ORDER BY id"
	assert_output - <<-'EOF'
	acne|1|2027-03-01
	acne|2|2027-03-01
	EOF
	assert_equal "$(db "SELECT json_extract(after, '$.attempt') FROM events WHERE entity = 'contact' AND entity_id = 2")" 2
}

@test "closing the program's own call task is that attempt, not another" {
	program_client
	APPT_NOW=2027-03-08T10:00 appt log --client Dee --via sms "Texted" >/dev/null
	db "INSERT INTO messages (id, key, kind, name, client_id, program, channel,
		status, due_at, next_attempt_at, created_at, updated_at)
		VALUES (101, 'outreach:acne:4:1:1', 'outreach', 'acne day 15', 4, 'acne',
		'call', 'open', $(epoch '2027-03-16 09:00'), $(epoch '2027-03-16 09:00'),
		$(epoch '2027-03-16 09:00'), $(epoch '2027-03-16 09:00'));
		UPDATE messages SET attempt = 2 WHERE id = 101"
	export APPT_NOW=2027-03-16T11:00
	run -0 appt log --client Dee --via call --outcome voicemail --task 101 "Left a voicemail"
	assert_line "No Appointment Booked, attempt 2; last service 2027-03-01"
	assert_line --partial "call task #101 stays open (1 call logged)"
	# the second call on the same task is the same attempt, counted on the task
	APPT_NOW=2027-03-16T15:00 run -0 appt log --client Dee --via call --outcome reached --task 101 "Talked: will book"
	assert_line "No Appointment Booked, attempt 2; last service 2027-03-01"
	assert_line "closed call task #101"
	assert_equal "$(db 'SELECT status, tries FROM messages WHERE id = 101')" "closed|2"
	run -0 appt log --client Dee --via sms "Texted the booking link"
	assert_line "No Appointment Booked, attempt 3; last service 2027-03-01"
}

@test "no attempt number once a visit is booked, or outside a program" {
	program_client
	export APPT_NOW=2027-03-08T10:00
	appt book -q --client Dee --service peel --provider kim --at "2027-03-10 10:00" >/dev/null
	run -0 appt log --client Dee --via call --outcome reached "Booked for Wednesday"
	assert_output "logged contact #1 for Dee Dunn"
	run -0 appt log --client Ann --via call "Not in a program"
	assert_output "logged contact #2 for Ann Archer"
	assert_equal "$(db "SELECT count(*) FROM contacts WHERE attempt IS NOT NULL OR program IS NOT NULL")" 0
}

@test "a call nobody answered is counted and leaves the task open; reached or --close closes it" {
	add_task 101 1
	run -0 appt log --client Ann --via call --outcome no-answer --task 101 "no answer"
	assert_line "call task #101 stays open (1 call logged); log the call that reaches the client with --outcome reached, or use --close"
	run -0 appt log --client Ann --via call --outcome voicemail --task 101 "left a voicemail"
	assert_line --partial "stays open (2 calls logged)"
	assert_equal "$(db 'SELECT status, tries FROM messages WHERE id = 101')" "open|2"
	run -0 appt report calls --format csv
	assert_line --index 1 --partial "confirmation deadline,2,,"
	run -0 appt log --client Ann --via call --outcome reached --task 101 "confirmed"
	assert_line "closed call task #101"
	assert_equal "$(db 'SELECT status, tries, note FROM messages WHERE id = 101')" "closed|3|confirmed"
	add_task 102 1
	run -0 appt log --client Ann --via call --outcome other --task 102 --close "number disconnected"
	assert_line "closed call task #102"
	run -64 --separate-stderr appt log --client Ann --via call --close "no task"
	assert_equal "${stderr%%$'\n'*}" "appt log: --close goes with --task"
}

@test "what the client started is no outreach attempt (--inbound)" {
	program_client
	APPT_NOW=2027-03-08T10:00 run -0 appt log --client Dee --via sms --inbound "Client texted: busy this week"
	assert_output "logged contact #1 for Dee Dunn"
	APPT_NOW=2027-03-09T10:00 run -0 appt log --client Dee --via call --outcome voicemail "Called back"
	assert_line "No Appointment Booked, attempt 1; last service 2027-03-01"
	run -0 db "SELECT inbound, coalesce(CAST(attempt AS TEXT), '-') FROM contacts ORDER BY id"
	assert_output - <<-'EOF'
	1|-
	0|1
	EOF
	run -0 appt report contacts --format csv --client Dee
	assert_line --partial ",Dee Dunn,inbound,sms,,,,Client texted: busy this week,desk"
	assert_line --partial ",Dee Dunn,contact,call,voicemail,1,2027-03-01,Called back,desk"
}
