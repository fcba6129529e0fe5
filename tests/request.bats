#!/usr/bin/env bats
# appt request: booking requests awaiting a reply (seed 002 §5 steps 3-4).
# A request is acknowledged at once, must be answered within
# policies.request.reply_within (24h here), becomes one call task when it is
# not, and is answered by booking exactly what was asked, or declined with a
# notice.  The clock is Monday 2027-03-01 08:00 (America/Denver); Kim works
# 09:00-12:00 and 13:00-17:00, Lee mornings only; Friday the 5th is closed.

load test_helper
load fixtures/messaging

setup() {
	common_setup
	# the acknowledgement and the decline, naming the request and the service
	sed -i -e '/^notices:/a\  request_received: {channel: preferred, template: received}\n  request_declined: {channel: preferred, template: declined}' \
		-e '/^templates:/a\  received:\n    body: "Hello {{client.first_name}}, we have your request #{{request.id}} for {{service.name}} and will reply within a day."\n  declined:\n    body: "Hello {{client.first_name}}, we cannot offer {{service.name}} as you asked (request #{{request.id}})."' \
		"$APPT_CONFIG"
	init_db
}

# Ann asks for a consultation with Kim; more options may follow.
ask() {
	appt request add --client "${CLIENT:-Ann}" --service consult --provider kim --via phone "$@"
}

# The actions logged for a request, oldest first, on one line.
request_actions() {
	db "SELECT group_concat(action, ' ') FROM (SELECT action FROM events
	    WHERE entity = 'request' AND entity_id = $1 ORDER BY id) logged"
}

# A command's CSV without the CR of each line end (RFC 4180), keeping its exit status.
csv() {
	local out rc=0
	out=$("$@") || rc=$?
	printf '%s\n' "${out//$'\r'/}"
	return $rc
}

# Two desks answering request 1 at once, each its own process.
race_to_answer() {
	local i
	for i in 1 2; do
		( rc=0
		  appt request answer 1 "$@" >"$BATS_TEST_TMPDIR/out.$i" 2>"$BATS_TEST_TMPDIR/err.$i" || rc=$?
		  echo "$rc" >"$BATS_TEST_TMPDIR/rc.$i" ) &
	done
	wait
}

@test "add: printed, stored with its deadline, logged, and acknowledged at once" {
	run -0 --separate-stderr ask --prefer "mornings, not Fridays" --note "first visit"
	assert_output "request #1: Ann Archer, Consultation with Kim Kowalski; reply by 2027-03-02 08:00"
	assert_equal "$stderr" ""
	run -0 db "SELECT client_id, service, provider, prefer, via, note, taken_by, status,
		reply_by - created_at, created_at FROM requests"
	assert_output "1|consult|kim|mornings, not Fridays|call|first visit|desk|open|86400|$(epoch '2027-03-01 08:00')"
	run -0 request_actions 1
	assert_output "add"
	run -0 db "SELECT kind, name, request_id, appointment_id IS NULL, status, key FROM messages"
	assert_output "notice|request_received|1|1|sent|notice:request_received:request:1"
	run -0 cat "$SMS_LOG"
	assert_output --partial "Hello Ann, we have your request #1 for Consultation and will reply within a day."
}

@test "add -q prints only the new id; any provider is a request too" {
	run -0 --separate-stderr appt request add -q --client Bob --service peel
	assert_output "1"
	run -0 appt request add --client Cy --service consult
	assert_output "request #2: Cy Cole, Consultation; reply by 2027-03-02 08:00"
	run -0 db "SELECT id, provider IS NULL, via IS NULL FROM requests ORDER BY id"
	assert_output "1|1|1
2|1|1"
}

@test "a request is acknowledged once however often cron runs" {
	ask --no-send >/dev/null
	assert_equal "$(sms_count)" 0
	for i in 1 2 3; do
		APPT_NOW=2027-03-01T08:0$i run -0 appt remind
	done
	assert_equal "$(sms_count)" 1
	run -0 db "SELECT count(*), min(status) FROM messages WHERE name = 'request_received'"
	assert_output "1|sent"
}

@test "no acknowledgement when notices.request_received is not configured" {
	sed -i '/request_received:/d' "$APPT_CONFIG"
	run -0 ask
	assert_equal "$(db 'SELECT count(*) FROM messages')" 0
	assert_equal "$(db 'SELECT count(*) FROM requests')" 1
}

@test "policies.request.reply_within sets the deadline" {
	printf '  request:\n    reply_within: 4h\n' >"$BATS_TEST_TMPDIR/request.yaml"
	sed -i "/^policies:/r $BATS_TEST_TMPDIR/request.yaml" "$APPT_CONFIG"
	run -0 appt config check
	run -0 ask
	assert_output --partial "reply by 2027-03-01 12:00"
}

@test "days and times are stored in one form; bad ones are bad data (65)" {
	run -0 ask -q --days "Wed,mon" --times "9:00-12:00,14:00-16:30"
	run -0 ask -q --days "sat-mon"
	run -0 db "SELECT days, times FROM requests ORDER BY id"
	assert_output "mon,wed|09:00-12:00,14:00-16:30
mon,sat,sun|"
	run -65 --separate-stderr ask --days "mon,funday"
	assert_equal "$stderr" "appt request: invalid days 'mon,funday' (write mon,tue or mon-fri)"
	run -65 --separate-stderr ask --times "12:00-09:00"
	assert_regex "$stderr" "^appt request: invalid times '12:00-09:00'"
	run -65 ask --times "9-12"
	run -65 ask --days ""
	assert_equal "$(db 'SELECT count(*) FROM requests')" 2
}

@test "free text must pass the text check (65); a note may span lines" {
	run -65 --separate-stderr ask --prefer $'mornings\e[31m'
	assert_regex "$stderr" "^appt request: prefer contains a control character"
	run -65 ask --prefer $'two\nlines'
	run -0 ask -q --note $'allergic to latex\nprefers Kim'
	assert_equal "$(db 'SELECT count(*) FROM requests')" 1
}

@test "--via takes the ways a request comes in, phone meaning call" {
	run -0 ask -q --via email
	run -0 ask -q --via online
	run -65 --separate-stderr ask --via walk-in
	assert_regex "$stderr" "^appt request: .*walk-in"
	run -0 db "SELECT group_concat(via, ' ') FROM (SELECT via FROM requests ORDER BY id) v"
	assert_output "email online"
}

@test "unknown client, service or provider is not found (2); a provider who does not offer it is refused (1)" {
	run -2 --separate-stderr appt request add --client Nobody --service consult
	assert_regex "$stderr" "^appt request: no client matches 'Nobody'"
	run -2 --separate-stderr appt request add --client Ann --service massage
	assert_regex "$stderr" "^appt request: no service 'massage'"
	run -2 --separate-stderr appt request add --client Ann --service consult --provider zed
	assert_equal "$stderr" "appt request: no provider 'zed'"
	run -1 --separate-stderr appt request add --client Ann --service facial --provider lee
	assert_equal "$stderr" "appt request: Lee Lam does not offer Facial"
	assert_equal "$(db 'SELECT count(*) FROM requests')" 0
	assert_equal "$(db 'SELECT count(*) FROM messages')" 0
}

@test "usage errors are 64" {
	run -64 --separate-stderr appt request add --client Ann
	assert_regex "$stderr" "^appt request: --client and --service are required"
	assert_regex "$stderr" "usage: appt request add"
	run -64 appt request
	run -64 appt request frobnicate
	run -64 appt request add --client Ann --service consult --reason x
	run -64 appt request answer 1
	run -64 appt request answer 1 --at "2027-03-03 10:00" --first-available
	run -64 appt request answer 1 --from "2027-03-03 10:00" --at "2027-03-03 10:00"
	run -64 appt request answer 1 --at "2027-03-03 10:00" --force
	run -64 --separate-stderr appt request decline 1
	assert_regex "$stderr" "^appt request: --reason is required"
	run -64 appt request show
	run -64 appt request show 1 2
	run -0 appt request --help
	assert_line --index 0 --regexp "^usage: appt request add "
}

@test "bad values are 65: an id, a status, a format, a hold, a time" {
	run -65 appt request show one
	run -65 appt request list --status pending
	run -65 appt request list --format xml
	run -65 appt request answer 1 --at "2027-03-03 10:00" --hold soon
	run -65 appt request answer 1 --at "2027-03-03 25:00"
	run -65 --separate-stderr appt request decline 1 --reason $'no\ttabs'
}

@test "answer --at books exactly what was asked, in one step with the request" {
	ask -q --note "first visit" >/dev/null
	run -0 --separate-stderr appt request answer 1 --at "2027-03-03 10:00"
	assert_output "request #1 answered: booked #1: Ann Archer, Consultation with Kim Kowalski, 2027-03-03 10:00-10:30"
	assert_equal "$stderr" ""
	run -0 db "SELECT client_id, service, provider, local_start, status, via, note FROM appointments"
	assert_output "1|consult|kim|2027-03-03 10:00|booked|call|first visit"
	run -0 db "SELECT status, appointment_id, closed_by, closed_at FROM requests"
	assert_output "answered|1|desk|$(epoch '2027-03-01 08:00')"
	run -0 request_actions 1
	assert_output "add answer"
	run -0 actions_of 1
	assert_output "book"
	# the booking's confirmation went out as any booking's does
	run -0 db "SELECT name FROM messages WHERE appointment_id = 1"
	assert_output "booked"
	assert_equal "$(sms_count)" 2
}

@test "answer -q prints the appointment's id; --provider books another provider" {
	appt request add -q --client Bob --service consult >/dev/null
	ask -q >/dev/null
	run -0 appt request answer 1 -q --at "2027-03-03 10:00" --provider lee
	assert_output "1"
	run -0 appt request answer 2 -q --at "2027-03-03 10:00"
	assert_output "2"
	run -0 db "SELECT id, client_id, provider FROM appointments ORDER BY id"
	assert_output "1|2|lee
2|1|kim"
}

@test "answer --first-available takes the first slot on the days and within the times asked" {
	ask -q --days wed,thu --times 14:00-16:00 >/dev/null
	appt book -q --client Bob --service consult --provider kim --at "2027-03-03 14:00" >/dev/null
	run -0 appt request answer 1 --first-available
	assert_output "request #1 answered: booked #2: Ann Archer, Consultation with Kim Kowalski, 2027-03-03 14:30-15:00"
	# from a later day on, the next wanted day
	ask -q --days mon --times 09:00-10:00 >/dev/null
	run -0 appt request answer 2 -q --first-available --from "2027-03-02 09:00"
	run -0 db "SELECT local_start FROM appointments WHERE id = 3"
	assert_output "2027-03-08 09:00"
}

@test "answer --first-available without days or times is the first free slot" {
	ask -q >/dev/null
	run -0 appt request answer 1 -q --first-available
	run -0 db "SELECT local_start FROM appointments"
	assert_output "2027-03-01 09:00"
}

@test "answer --first-available with times no slot fits is refused, the request left open" {
	ask -q --times 17:00-18:00 >/dev/null
	run -1 --separate-stderr appt request answer 1 --first-available
	assert_regex "$stderr" "^appt request: no free slot for request #1 on any day within 17:00-18:00"
	assert_equal "$(db 'SELECT status FROM requests')" open
	assert_equal "$(db 'SELECT count(*) FROM appointments')" 0
}

@test "answer --hold makes the answer tentative" {
	ask -q >/dev/null
	run -0 appt request answer 1 --at "2027-03-03 10:00" --hold 4h
	assert_output "request #1 answered: held #1: Ann Archer, Consultation with Kim Kowalski, 2027-03-03 10:00-10:30, until 2027-03-01 12:00"
	run -0 db "SELECT a.status, r.status, r.appointment_id FROM appointments a, requests r"
	assert_output "held|answered|1"
}

@test "a booking refused leaves the request open and nothing written" {
	ask -q >/dev/null
	appt book -q --client Bob --service consult --provider kim --at "2027-03-03 10:00" >/dev/null
	before=$(dump_db)
	run -1 --separate-stderr appt request answer 1 --at "2027-03-03 10:00"
	assert_regex "$stderr" "^appt request: .*slot taken"
	assert_equal "$(dump_db)" "$before"
	run -2 --separate-stderr appt request answer 9 --at "2027-03-03 11:00"
	assert_equal "$stderr" "appt request: no request #9"
}

@test "answering or declining a closed request is refused, naming its state" {
	ask -q >/dev/null
	ask -q >/dev/null
	appt request answer 1 -q --at "2027-03-03 10:00" >/dev/null
	appt request decline 2 --reason "fully booked" >/dev/null
	before=$(dump_db)
	run -1 --separate-stderr appt request answer 1 --at "2027-03-03 11:00"
	assert_equal "$stderr" "appt request: cannot answer request #1: it is already answered (appointment #1)"
	run -1 --separate-stderr appt request decline 1 --reason "changed our mind"
	assert_equal "$stderr" "appt request: cannot decline request #1: it is already answered (appointment #1)"
	run -1 --separate-stderr appt request answer 2 --at "2027-03-03 11:00"
	assert_equal "$stderr" "appt request: cannot answer request #2: it is already declined (fully booked)"
	run -1 --separate-stderr appt request decline 2 --reason again
	assert_equal "$stderr" "appt request: cannot decline request #2: it is already declined (fully booked)"
	assert_equal "$(dump_db)" "$before"
}

@test "decline closes the request with its reason, logged, and tells the client" {
	ask -q >/dev/null
	run -0 --separate-stderr appt request decline 1 --reason "Kim is away that month"
	assert_output "declined request #1"
	assert_equal "$stderr" ""
	run -0 db "SELECT status, decline_reason, closed_by, appointment_id IS NULL FROM requests"
	assert_output "declined|Kim is away that month|desk|1"
	run -0 db "SELECT action, reason FROM events WHERE entity = 'request' ORDER BY id"
	assert_output "add|
decline|Kim is away that month"
	run -0 db "SELECT name, status, request_id FROM messages ORDER BY id"
	assert_output "request_received|sent|1
request_declined|sent|1"
	run -0 cat "$SMS_LOG"
	assert_output --partial "Hello Ann, we cannot offer Consultation as you asked (request #1)."
}

@test "decline -q prints nothing; --no-send leaves the notice to appt remind" {
	ask -q --no-send >/dev/null
	run -0 appt request decline 1 -q --no-send --reason "no longer offered"
	assert_output ""
	assert_equal "$(sms_count)" 0
	run -0 appt remind
	assert_equal "$(sms_count)" 2
}

@test "overdue after 24 h it comes first, and becomes exactly one call task however often remind runs" {
	ask -q >/dev/null
	APPT_NOW=2027-03-01T20:00 appt request add -q --client Bob --service peel >/dev/null
	APPT_NOW=2027-03-02T07:59 run -0 appt remind
	assert_equal "$(db "SELECT count(*) FROM messages WHERE kind = 'request'")" 0
	for t in 08:00 09:00 10:00; do
		APPT_NOW=2027-03-02T$t run -0 appt remind
	done
	run -0 db "SELECT kind, name, channel, status, request_id, client_id, due_at, key FROM messages
		WHERE kind = 'request'"
	assert_output "request|reply|call|open|1|1|$(epoch '2027-03-02 08:00')|request:1"
	APPT_NOW=2027-03-02T08:30 run -0 csv appt report requests --format csv
	assert_output - <<-'EOF'
	id,reply_by,overdue,client,phone,service,provider,wish,via,taken_by
	1,2027-03-02T08:00:00-07:00,1,Ann Archer,"'+15550001",consult,kim,,call,desk
	2,2027-03-02T20:00:00-07:00,0,Bob Baker,"'+15550002",peel,,,,desk
	EOF
	APPT_NOW=2027-03-02T08:30 run -0 appt report calls --format csv
	assert_line --index 1 --partial "request #1 (Consultation) not answered by 2027-03-02 08:00: call the client back"
}

@test "remind says how many requests became overdue, once" {
	ask -q >/dev/null
	APPT_NOW=2027-03-02T09:00 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 1, skipped 0; overdue requests 1"
	APPT_NOW=2027-03-02T09:05 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	APPT_NOW=2027-03-02T09:10 run -0 appt remind --only reminders
	APPT_NOW=2027-03-02T09:10 run -0 appt remind --dry-run
	assert_output --partial "nothing changed"
	assert_equal "$(db "SELECT count(*) FROM messages WHERE kind = 'request'")" 1
}

@test "the call task closes as moot once the request is answered or declined" {
	ask -q >/dev/null
	ask -q >/dev/null
	APPT_NOW=2027-03-02T09:00 appt remind >/dev/null
	assert_equal "$(db "SELECT count(*) FROM messages WHERE kind = 'request' AND status = 'open'")" 2
	APPT_NOW=2027-03-02T09:10 run -0 appt request answer 1 -q --at "2027-03-03 10:00"
	APPT_NOW=2027-03-02T09:10 run -0 appt request decline 2 --reason "double entry"
	run -0 db "SELECT request_id, status, note FROM messages WHERE kind = 'request' ORDER BY id"
	assert_output "1|void|closed: request #1 is answered (appointment #1)
2|void|closed: request #2 is declined"
	APPT_NOW=2027-03-02T09:30 run -0 appt remind
	assert_equal "$(db "SELECT count(*) FROM messages WHERE kind = 'request'")" 2
	APPT_NOW=2027-03-02T09:30 run -0 csv appt report calls --format csv
	assert_output "id,due,client,phone,reason,tries,assigned,appointment"
}

@test "the report lists open requests only, with their wishes, in every format" {
	ask -q --prefer mornings --days mon,tue --times 09:00-12:00 >/dev/null
	ask -q >/dev/null
	appt request decline 2 --reason duplicate >/dev/null
	run -0 appt report requests --format table
	assert_line --index 0 --regexp "^id +reply_by +overdue +client +phone +service +provider +wish +via +taken_by$"
	assert_line --index 1 --regexp "^1 +2027-03-02 08:00 +Ann Archer +\+15550001 +consult +kim +mornings; mon,tue; 09:00-12:00 +call +desk$"
	assert_equal "${#lines[@]}" 2
	APPT_NOW=2027-03-03T08:00 run -0 appt report requests --format json
	assert_equal "$(jq -c '.[0] | [.id, .overdue, .reply_by, .wish]' <<<"$output")" \
		'[1,true,"2027-03-02T08:00:00-07:00","mornings; mon,tue; 09:00-12:00"]'
	run -0 csv appt report requests --format csv --provider lee
	assert_output "id,reply_by,overdue,client,phone,service,provider,wish,via,taken_by"
	run -0 appt report --list
	assert_line --regexp "^requests +open booking requests with their reply deadline, overdue first$"
}

@test "list: open ones by deadline; --status, --client and every format" {
	ask -q --prefer evenings >/dev/null
	CLIENT=Bob ask -q >/dev/null
	ask -q >/dev/null
	appt request answer 3 -q --at "2027-03-03 10:00" >/dev/null
	run -0 csv appt request list --format csv
	assert_output - <<-'EOF'
	id,client,service,provider,wish,via,reply_by,status,appointment
	1,Ann Archer,consult,kim,evenings,call,2027-03-02T08:00:00-07:00,open,
	2,Bob Baker,consult,kim,,call,2027-03-02T08:00:00-07:00,open,
	EOF
	run -0 csv appt request list --format csv --status answered
	assert_line --index 1 "3,Ann Archer,consult,kim,,call,2027-03-02T08:00:00-07:00,answered,1"
	run -0 csv appt request list --format csv --status all --client Ann
	assert_equal "${#lines[@]}" 3
	run -0 appt request list --format json
	assert_equal "$(jq -c '[.[] | .id]' <<<"$output")" "[1,2]"
	assert_equal "$(jq -c '.[0].appointment' <<<"$output")" "null"
	run -0 appt request list --format table
	assert_line --index 0 --regexp "^id +client +service +provider +wish +via +reply_by +status +appointment$"
	assert_line --index 1 --regexp "^1 +Ann Archer +consult +kim +evenings +call +2027-03-02 08:00 +open$"
	run -2 appt request list --client Nobody
}

@test "show prints the request, its deadline, status, history and messages" {
	ask -q --prefer "after work" --days mon-fri --times 15:00-17:00 --note "bring records" >/dev/null
	APPT_NOW=2027-03-02T09:00 appt remind >/dev/null
	APPT_NOW=2027-03-02T09:00 run -0 --separate-stderr appt request show 1
	assert_equal "$stderr" ""
	assert_line --index 0 "request #1"
	assert_line "client:    Ann Archer (#1, +15550001)"
	assert_line "service:   Consultation (consult)"
	assert_line "provider:  Kim Kowalski (kim)"
	assert_line "prefer:    after work"
	assert_line "days:      mon,tue,wed,thu,fri"
	assert_line "times:     15:00-17:00"
	assert_line "via:       call"
	assert_line "note:      bring records"
	assert_line "taken:     2027-03-01 08:00 by desk"
	assert_line "reply by:  2027-03-02 08:00 (overdue)"
	assert_line "status:    open"
	assert_line --regexp "^  2027-03-01 08:00  desk.*  add$"
	assert_line --regexp "^  #1 +2027-03-01 08:00  notice +request_received +sms +sent +\+15550001$"
	assert_line --regexp "^  #2 +2027-03-02 08:00  request +reply +call +open +\+15550001$"
	APPT_NOW=2027-03-02T09:00 appt request answer 1 -q --first-available >/dev/null
	run -0 appt request show 1
	assert_line "status:    answered: appointment #1 (2027-03-02 09:00 by desk)"
	assert_line "reply by:  2027-03-02 08:00"
	run -0 db "SELECT local_start FROM appointments"
	assert_output "2027-03-02 15:00"
	run -2 --separate-stderr appt request show 7
	assert_equal "$stderr" "appt request: no request #7"
}

@test "two desks answering the same request give one booking" {
	ask -q >/dev/null
	race_to_answer --at "2027-03-03 10:00"
	run bash -c "cat '$BATS_TEST_TMPDIR'/rc.* | sort | tr '\n' ' '"
	assert_output "0 1 "
	run bash -c "cat '$BATS_TEST_TMPDIR'/err.*"
	refute_output --partial "locked"
	assert_output "appt request: cannot answer request #1: it is already answered (appointment #1)"
	assert_equal "$(db 'SELECT count(*) FROM appointments')" 1
	assert_equal "$(request_actions 1)" "add answer"
}

@test "two desks answering at different times still book once" {
	ask -q >/dev/null
	for i in 1 2; do
		( rc=0
		  appt request answer 1 --at "2027-03-0$((i + 2)) 10:00" >/dev/null 2>&1 || rc=$?
		  echo "$rc" >"$BATS_TEST_TMPDIR/rc.$i" ) &
	done
	wait
	run bash -c "cat '$BATS_TEST_TMPDIR'/rc.* | sort | tr '\n' ' '"
	assert_output "0 1 "
	assert_equal "$(db 'SELECT count(*) FROM appointments')" 1
	assert_equal "$(db 'SELECT appointment_id FROM requests')" 1
}
