#!/usr/bin/env bats
# Program outreach (seed 004, the acne program's "No Appointment Booked"
# procedure): a client enrolled in a program, with no appointment booked
# after their last visit, gets a text on day 7 and day 12, a call on day 15,
# a manager's call on day 19, a call and a text on day 25; with still nothing
# booked a day later the program ends.  appt remind runs the procedure from
# cron; this suite runs it every morning at 09:00.  Day 0 is Monday
# 2027-03-01 (America/Denver; daylight saving starts on day 13).

load test_helper
load fixtures/messaging

setup() {
	common_setup
	init_db
	add_template acne-day-7 "Hello {{client.first_name}}, this is {{staff.name}} from {{business.name}}. We hope you enjoyed your peel on {{last_visit.date}}."
	add_template acne-day-12 "Hello {{client.first_name}}, your next peel is nearly due: {{business.booking_url}}"
	add_template acne-call-15 "Call {{client.name}}: third attempt, last visit {{last_visit.date}}."
	add_template acne-call-19 "Manager call to {{client.name}}: fourth attempt, last visit {{last_visit.date}}."
	add_template acne-call-25 "Final call to {{client.name}}, then the day-25 text."
	add_template acne-day-25 "Hello {{client.first_name}}, this is our final offer to book your peel: {{business.booking_url}}"
	cat >>"$APPT_CONFIG" <<-'EOF'
	programs:
	  acne:
	    name: Acne Clearing Program
	    interval: 14d
	    services: [peel]
	    outreach:
	      - day: 7
	        channel: sms
	        template: acne-day-7
	      - day: 12
	        channel: sms
	        template: acne-day-12
	      - day: 15
	        channel: call
	        template: acne-call-15
	      - day: 19
	        channel: call
	        template: acne-call-19
	        assign: manager
	      - day: 25
	        channel: call
	        template: acne-call-25
	      - day: 25
	        channel: sms
	        template: acne-day-25
	    end_after: 1d
	EOF
	appt client add -q --name "Pat Peel" --phone "+15550004" --channel sms --program acne >/dev/null
	appt client add -q --name "Quinn Quill" --phone "+15550005" --channel sms --program acne >/dev/null
}

# visit CLIENT PROVIDER HH:MM [DATE]: a peel booked that morning (its
# confirmation sent), then checked in, started and done at its time.
visit() {
	local date=${4:-2027-03-01} id
	id=$(APPT_NOW="${date}T08:00" appt book -q --client "$1" --service peel --provider "$2" \
		--at "$date $3")
	APPT_NOW="${date}T$3" appt checkin "$id" >/dev/null
	APPT_NOW="${date}T$3" appt start "$id" >/dev/null
	APPT_NOW="${date}T$3" appt done "$id" >/dev/null
}

# The day N days after 2027-03-01.
day() {
	date -d "2027-03-01 +$1 days" +%F
}

# remind_on N: appt remind at 09:00 on day N.
remind_on() {
	APPT_NOW="$(day "$1")T09:00" appt remind "${@:2}"
}

# Outreach rows: "client|name|channel|status|assign|date queued".
outreach() {
	db "SELECT client_id, name, channel, status, coalesce(assign, '-'),
		date(created_at, 'unixepoch') FROM messages WHERE kind = 'outreach'
		${1:+AND client_id = $1} ORDER BY id"
}

@test "seed 004 day by day: texts on 7 and 12, calls on 15 and 19 (manager), call and text on 25, then the end" {
	visit Pat kim 10:00
	visit Quinn lee 11:00
	# Ann had a peel too but is not in the program
	visit Ann kim 09:00
	local log="" summary
	for n in $(seq 1 27); do
		if [ "$n" = 10 ]; then
			# Quinn books her next peel: the procedure stops for her
			APPT_NOW="$(day 10)T08:30" appt book -q --client Quinn --service peel \
				--provider kim --at "2027-03-31 10:00" >/dev/null
		fi
		summary=$(remind_on "$n")
		log+="$n $summary"$'\n'
		if [ "$n" = 25 ]; then
			# nobody logged the day-25 call: its text goes as the window closes
			summary=$(APPT_NOW="$(day 25)T19:45" appt remind)
			log+="25 evening $summary"$'\n'
		fi
	done
	run -0 printf '%s' "$log"
	assert_output - <<-'EOF'
	1 sent 0, failed 0, call tasks 0, skipped 0
	2 sent 0, failed 0, call tasks 0, skipped 0
	3 sent 0, failed 0, call tasks 0, skipped 0
	4 sent 0, failed 0, call tasks 0, skipped 0
	5 sent 0, failed 0, call tasks 0, skipped 0
	6 sent 0, failed 0, call tasks 0, skipped 0
	7 sent 2, failed 0, call tasks 0, skipped 0
	8 sent 0, failed 0, call tasks 0, skipped 0
	9 sent 0, failed 0, call tasks 0, skipped 0
	10 sent 0, failed 0, call tasks 0, skipped 0
	11 sent 0, failed 0, call tasks 0, skipped 0
	12 sent 1, failed 0, call tasks 0, skipped 0
	13 sent 0, failed 0, call tasks 0, skipped 0
	14 sent 0, failed 0, call tasks 0, skipped 0
	15 sent 0, failed 0, call tasks 1, skipped 0
	16 sent 0, failed 0, call tasks 0, skipped 0
	17 sent 0, failed 0, call tasks 0, skipped 0
	18 sent 0, failed 0, call tasks 0, skipped 0
	19 sent 0, failed 0, call tasks 1, skipped 0
	20 sent 0, failed 0, call tasks 0, skipped 0
	21 sent 0, failed 0, call tasks 0, skipped 0
	22 sent 0, failed 0, call tasks 0, skipped 0
	23 sent 0, failed 0, call tasks 0, skipped 0
	24 sent 0, failed 0, call tasks 0, skipped 0
	25 sent 0, failed 0, call tasks 1, skipped 0
	25 evening sent 1, failed 0, call tasks 0, skipped 0
	26 sent 0, failed 0, call tasks 0, skipped 0
	27 sent 0, failed 0, call tasks 0, skipped 0
	EOF
	# Pat (4): every step on its day, the day-19 call the manager's; a call
	# nobody logged gave way to the next step's, the last closed with the program
	run -0 outreach 4
	assert_output - <<-'EOF'
	4|acne:day7|sms|sent|-|2027-03-08
	4|acne:day12|sms|sent|-|2027-03-13
	4|acne:day15|call|void|-|2027-03-16
	4|acne:day19|call|void|boss|2027-03-20
	4|acne:day25|call|void|-|2027-03-26
	4|acne:day25|sms|sent|-|2027-03-26
	EOF
	run -0 db "SELECT name, note FROM messages WHERE client_id = 4 AND channel = 'call' ORDER BY id"
	assert_output - <<-'EOF'
	acne:day15|closed: day 19's outreach step takes over
	acne:day19|closed: day 25's outreach step takes over
	acne:day25|closed: the client's acne program has ended
	EOF
	# Quinn (5): the day-7 text, nothing after she booked on day 10
	run -0 outreach 5
	assert_output "5|acne:day7|sms|sent|-|2027-03-08"
	assert_equal "$(db "SELECT count(*) FROM messages WHERE client_id = 5 AND created_at > $(epoch '2027-03-11 08:30')")" 0
	assert_equal "$(db "SELECT count(*) FROM messages WHERE client_id = 1 AND kind = 'outreach'")" 0
	# what the texts said, and to whom
	run -0 grep -A6 '^Kind: outreach' "$SMS_LOG"
	assert_output - <<-'EOF'
	Kind: outreach
	Channel: sms
	To: +15550004

	Hello Pat, this is Front Desk from Test Clinic. We hope you enjoyed your peel on Monday 1 March 2027.
	.
	From appt 2027-03-08T09:00:00-07:00
	--
	Kind: outreach
	Channel: sms
	To: +15550005

	Hello Quinn, this is Front Desk from Test Clinic. We hope you enjoyed your peel on Monday 1 March 2027.
	.
	From appt 2027-03-11T08:30:00-07:00
	--
	Kind: outreach
	Channel: sms
	To: +15550004

	Hello Pat, your next peel is nearly due: https://clinic.example/book
	.
	From appt 2027-03-26T19:45:00-06:00
	--
	Kind: outreach
	Channel: sms
	To: +15550004

	Hello Pat, this is our final offer to book your peel: https://clinic.example/book
	.
	EOF
	# the call tasks: the script, the phone, why (before the program ended)
	run -0 db "SELECT m.name, m.recipient, m.body, json_extract(e.before, '$.note')
		FROM messages m JOIN events e ON e.entity = 'message' AND e.entity_id = m.id
		WHERE m.channel = 'call' ORDER BY m.id"
	assert_output - <<-'EOF'
	acne:day15|+15550004|Call Pat Peel: third attempt, last visit Monday 1 March 2027.|acne program: no appointment booked, day 15 after the last visit, attempt 3
	acne:day19|+15550004|Manager call to Pat Peel: fourth attempt, last visit Monday 1 March 2027.|acne program: no appointment booked, day 19 after the last visit, attempt 4
	acne:day25|+15550004|Final call to Pat Peel, then the day-25 text.|acne program: no appointment booked, day 25 after the last visit, attempt 5
	EOF
	# the program ended for Pat a day after the final text reached her (the
	# first run after day 26's 19:45), with its audit event; not for Quinn
	run -0 db "SELECT id, coalesce(program, '-'), coalesce(CAST(program_ended_at AS TEXT), '-') FROM clients WHERE id IN (4, 5) ORDER BY id"
	assert_output - <<-EOF
	4|acne|$(epoch '2027-03-28 09:00')
	5|acne|-
	EOF
	run -0 db "SELECT entity, entity_id, actor, at, reason, json_extract(before, '$.program_ended_at') IS NULL,
		json_extract(after, '$.program_ended_at') FROM events WHERE action = 'program-end'"
	assert_output "client|4|desk|$(epoch '2027-03-28 09:00')|no appointment booked after the final outreach step of acne|1|$(epoch '2027-03-28 09:00')"
	# and nothing more for Pat, however long cron keeps running
	run -0 remind_on 29
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	run -0 remind_on 45
	assert_equal "$(outreach 4 | wc -l)" 6
}

@test "each step falls due when its day's sending window opens, not at midnight nor the hour of the visit" {
	visit Pat kim 16:00
	APPT_NOW="$(day 7)T00:00" run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	APPT_NOW="$(day 7)T07:59" run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	APPT_NOW="$(day 7)T08:00" run -0 appt remind
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	APPT_NOW="$(day 7)T09:00" run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	run -0 db "SELECT due_at, sent_at FROM messages WHERE kind = 'outreach'"
	assert_output "$(epoch "$(day 7) 08:00")|$(epoch "$(day 7) 08:00")"
}

@test "days missed by cron: only the latest step due is made, the earlier ones recorded as skipped" {
	visit Pat kim 10:00
	run -0 remind_on 7
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	run -0 remind_on 16 -v
	assert_output - <<-'EOF'
	call task #4 for Pat Peel (acne program: no appointment booked, day 15 after the last visit, attempt 3)
	sent 0, failed 0, call tasks 1, skipped 1
	EOF
	run -0 outreach 4
	assert_output - <<-'EOF'
	4|acne:day7|sms|sent|-|2027-03-08
	4|acne:day12|sms|void|-|2027-03-17
	4|acne:day15|call|open|-|2027-03-17
	EOF
	assert_equal "$(db "SELECT note FROM messages WHERE name = 'acne:day12'")" "skipped: a later step was already due"
	assert_equal "$(grep -c '^Kind: outreach' "$SMS_LOG")" 1
	run -0 remind_on 17
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
}

@test "cron down from day 24 to day 26: the day-25 call and text still go, and the end waits a day after them" {
	visit Pat kim 10:00
	for n in 7 12 15 19; do remind_on "$n" >/dev/null; done
	run -0 remind_on 26
	assert_output "sent 1, failed 0, call tasks 1, skipped 0"
	assert_equal "$(db 'SELECT program_ended_at IS NULL FROM clients WHERE id = 4')" 1
	run -0 remind_on 27
	assert_equal "$(db 'SELECT program_ended_at FROM clients WHERE id = 4')" "$(epoch "$(day 27) 09:00")"
}

@test "a booking stops the procedure; cancelled, it resumes at the step now due" {
	visit Quinn lee 11:00
	run -0 remind_on 7
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	APPT_NOW="$(day 10)T08:30" appt book -q --client Quinn --service peel --provider kim \
		--at "2027-03-31 10:00" --no-send >/dev/null
	for n in 10 12 15; do
		run -0 remind_on "$n"
		assert_output --regexp '^sent [01], failed 0, call tasks 0, skipped 0$'
	done
	assert_equal "$(outreach 5 | wc -l)" 1
	APPT_NOW="$(day 16)T08:00" appt cancel 2 --no-send >/dev/null
	run -0 remind_on 16
	assert_output "sent 1, failed 0, call tasks 1, skipped 1"
	run -0 outreach 5
	assert_output - <<-'EOF'
	5|acne:day7|sms|sent|-|2027-03-08
	5|acne:day12|sms|void|-|2027-03-17
	5|acne:day15|call|open|-|2027-03-17
	EOF
}

@test "a new visit starts a new cycle counted from it" {
	visit Pat kim 10:00
	remind_on 7 >/dev/null
	visit Pat kim 10:00 "$(day 10)"
	for n in 12 15 16; do
		run -0 remind_on "$n"
		assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	done
	run -0 remind_on 17
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	run -0 outreach 4
	assert_output - <<-'EOF'
	4|acne:day7|sms|sent|-|2027-03-08
	4|acne:day7|sms|sent|-|2027-03-18
	EOF
	grep -q 'We hope you enjoyed your peel on Thursday 11 March 2027\.$' "$SMS_LOG"
}

@test "a visit for a service outside the program does not restart the clock" {
	visit Pat kim 10:00
	APPT_NOW="$(day 3)T08:00" appt book -q --client Pat --service consult --provider kim --at "$(day 3) 10:00" >/dev/null
	APPT_NOW="$(day 3)T10:30" appt done 2 >/dev/null
	run -0 remind_on 7
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	grep -q 'your peel on Monday 1 March 2027\.$' "$SMS_LOG"
}

@test "no outreach before a first visit, nor for a client outside the program" {
	appt client add -q --name "Newt New" --phone "+15550006" --program acne >/dev/null
	visit Ann kim 10:00
	for n in 7 12 15 19 25 26; do
		run -0 remind_on "$n"
		assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	done
	assert_equal "$(db "SELECT count(*) FROM messages WHERE kind = 'outreach'")" 0
	assert_equal "$(db "SELECT count(*) FROM clients WHERE program_ended_at IS NOT NULL")" 0
}

@test "the manager's call goes to the first of roles.managers" {
	sed -i 's/^  managers: \[boss\]/  managers: [jessi, boss]/' "$APPT_CONFIG"
	visit Pat kim 10:00
	run -0 remind_on 19 -v
	assert_output - <<-'EOF'
	call task #5 for Pat Peel (acne program: no appointment booked, day 19 after the last visit, attempt 4), assigned to jessi
	sent 0, failed 0, call tasks 1, skipped 3
	EOF
	assert_equal "$(db "SELECT assign FROM messages WHERE name = 'acne:day19'")" jessi
}

@test "--dry-run shows the day's outreach and changes nothing" {
	visit Pat kim 10:00
	for n in 7 12 15; do remind_on "$n" >/dev/null; done
	dump_db >"$BATS_TEST_TMPDIR/before.sql"
	run -0 --separate-stderr remind_on 19 --dry-run
	assert_output - <<-'EOF'
	would create call task #5 for Pat Peel (acne program: no appointment booked, day 19 after the last visit, attempt 4), assigned to boss
	dry run: would send 0, call tasks 1, skipped 0; nothing changed
	EOF
	assert_equal "$stderr" ""
	dump_db >"$BATS_TEST_TMPDIR/after.sql"
	cmp "$BATS_TEST_TMPDIR/before.sql" "$BATS_TEST_TMPDIR/after.sql"
	# cron would have missed day 19: recorded as skipped
	run -0 --separate-stderr remind_on 26 --dry-run
	assert_output - <<-'EOF'
	would create call task #6 for Pat Peel (acne program: no appointment booked, day 25 after the last visit, attempt 5)
	would send #7 outreach acne:day25 by sms to +15550004
	dry run: would send 1, call tasks 1, skipped 1; nothing changed
	EOF
}

@test "--only outreach queues the steps; the texts wait for a delivery run" {
	visit Pat kim 10:00
	run -0 remind_on 7 --only outreach
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	assert_equal "$(outreach 4)" "4|acne:day7|sms|pending|-|2027-03-08"
	run -0 remind_on 7 --only reminders,deadlines,followups
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	run -1 grep '^Kind: outreach' "$SMS_LOG"
	run -0 remind_on 7 --only delivery
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
}

@test "a booking for a service outside the program does not stop the outreach (seed 004 step 2)" {
	visit Quinn lee 11:00
	run -0 remind_on 7
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	APPT_NOW="$(day 8)T08:30" appt book -q --client Quinn --service consult --provider kim \
		--at "2027-03-20 10:00" --no-send >/dev/null
	run -0 remind_on 12
	assert_output --regexp '^sent [12], failed 0, call tasks 0, skipped 0$'
	run -0 outreach 5
	assert_line --index 1 "5|acne:day12|sms|sent|-|2027-03-13"
}

@test "a client merged into another keeps the outreach already made: nothing is sent twice" {
	visit Pat kim 10:00
	run -0 remind_on 7
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	appt client add -q --name "Patricia Peel" --phone "+15550009" --allow-duplicate --program acne >/dev/null
	APPT_NOW="$(day 8)T09:00" run -0 appt client merge 6 4 --reason "same person"
	run -0 remind_on 8
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	run -0 db "SELECT client_id, key, status FROM messages WHERE kind = 'outreach'"
	assert_output "6|outreach:acne:6:1:0|sent"
	run -0 remind_on 12
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	assert_equal "$(grep -c '^To: +15550009$' "$SMS_LOG")" 1
}
