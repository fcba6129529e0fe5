#!/usr/bin/env bats
# appt serve: the clients' side on the web (DESIGN.md "Serving clients",
# appt-serve(1)), tested from outside with curl against a server of each
# test's own on a free port.  /hooks/sms is sms.bats's; what a browser sees,
# browser.bats's.  The clock is Monday 2027-03-01 08:00 (America/Denver, UTC-7
# until Sunday the 14th); Kim works 09:00-12:00 and 13:00-17:00, Lee mornings
# only; Friday the 5th is closed; cancel and reschedule need 24h notice.

load test_helper

setup() {
	common_setup
	init_db
	printf 'serve:\n  base_url: http://clinic.test\n' >>"$APPT_CONFIG"
}

teardown() {
	if [ -n "${SERVE2_PID:-}" ]; then
		kill -TERM "$SERVE2_PID" 2>/dev/null || true
		wait "$SERVE2_PID" 2>/dev/null || true
	fi
	serve_stop
}

# A key of the serve section, the config's last: `serve_config KEY VALUE`.
serve_config() {
	printf '  %s: %s\n' "$1" "$2" >>"$APPT_CONFIG"
}

# One request to the server: `web PATH [CURL-ARG]...`.  Sets code (the HTTP
# status), output (the body, for assert_output) and headers.
web() {
	local path=$1
	shift
	code=$(curl -sS -o "$BATS_TEST_TMPDIR/body" -D "$BATS_TEST_TMPDIR/headers" \
		-w '%{http_code}' "$@" "${SERVE_URL%/}$path")
	output=$(cat "$BATS_TEST_TMPDIR/body")
	headers=$(tr -d '\r' <"$BATS_TEST_TMPDIR/headers")
}

# A header of the last answer.
header() {
	sed -n "s/^$1: //Ip" <<<"$headers"
}

# POST /book: a consult with Kim at START (ISO 8601) for Dee Dunn, +15550009,
# unless further curl arguments say otherwise (a later field wins).
book_web() {
	local start=$1
	shift
	web /book --data-urlencode service=consult --data-urlencode "start=$start" \
		--data-urlencode provider=kim --data-urlencode "name=Dee Dunn" \
		--data-urlencode "phone=+15550009" "$@"
}

# The token of the appointment's page the last answer was sent on to.
location_token() {
	header Location | sed -n 's|^/a/\([A-Za-z0-9_-]*\)?done=[a-z]*$|\1|p'
}

# Books over the web and prints the new page's token.
web_token() {
	book_web "$@"
	[ "$code" = 303 ] || { echo "POST /book: $code $output" >&2; return 1; }
	location_token
}

# The booking page of a service and the pages its "Later dates" links lead
# to, one after the other, as one text: `slot_pages QUERY`.
slot_pages() {
	local query=$1 pages="" i
	for i in $(seq 20); do
		web "/$query"
		[ "$code" = 200 ] || { echo "GET /$query: $code" >&2; return 1; }
		pages+=$output$'\n'
		query=$(sed -n 's|.*<a href="/\(?service=[^"]*\)">Later dates</a>.*|\1|p' <<<"$output" | sed 's/&amp;/\&/g')
		[ -n "$query" ] || break
	done
	printf '%s' "$pages"
}

# The SHA-256 of a token, as access_tokens stores it.
sha256_of() {
	printf '%s' "$1" | sha256sum | cut -c1-64
}


# ---- the server itself ----

@test "stderr: the start line, then one line per request; SIGTERM stops it with exit 0" {
	serve_start
	[[ $SERVE_URL =~ ^http://127\.0\.0\.1:[0-9]+/?$ ]]
	web /
	assert_equal "$code" 200
	web /no/such/page
	assert_equal "$code" 404
	web "/api/slots?service=consult"
	assert_equal "$code" 200
	local rc=0
	kill -TERM "$SERVE_PID"
	wait "$SERVE_PID" || rc=$?
	SERVE_PID=
	assert_equal "$rc" 0
	# it no longer answers
	run curl -sS -o /dev/null "$SERVE_URL"
	[ "$status" -ne 0 ]
	run cat "$SERVE_LOG"
	assert_line --index 0 --regexp '^appt serve: listening on http://127\.0\.0\.1:[0-9]+/$'
	assert_line --index 1 --regexp '^2027-03-01T08:00:00-07:00 127\.0\.0\.1 GET / 200 [0-9]+ms$'
	assert_line --index 2 --regexp '^2027-03-01T08:00:00-07:00 127\.0\.0\.1 GET /no/such/page 404 [0-9]+ms$'
	# the path without the query string
	assert_line --index 3 --regexp '^2027-03-01T08:00:00-07:00 127\.0\.0\.1 GET /api/slots 200 [0-9]+ms$'
	assert_line --index 4 "appt serve: SIGTERM, stopping"
	assert_equal "${#lines[@]}" 5
}

@test "SIGINT stops it as SIGTERM does; a booking in flight is done whole or not at all" {
	serve_start
	# a booking whose body is still arriving, slowly, when the server stops
	local i
	{
		printf 'service=consult&start=2027-03-03T10:00:00-07:00&provider=kim&name=Slow&phone=5550009'
		for i in $(seq 16); do
			printf '&pad%s=%s' "$i" "$(head -c 500 /dev/zero | tr '\0' x)"
		done
	} >"$BATS_TEST_TMPDIR/slow"
	curl -s -o /dev/null -w '%{http_code}' --limit-rate 2000 \
		-H 'Content-Type: application/x-www-form-urlencoded' \
		--data-binary "@$BATS_TEST_TMPDIR/slow" "${SERVE_URL%/}/book" \
		>"$BATS_TEST_TMPDIR/slow.code" 3>&- &
	local curl_pid=$! rc=0
	sleep 1
	kill -INT "$SERVE_PID"
	wait "$SERVE_PID" || rc=$?
	SERVE_PID=
	wait "$curl_pid" || true
	assert_equal "$rc" 0
	run -0 tail -n 1 "$SERVE_LOG"
	assert_output "appt serve: SIGINT, stopping"
	# what the client was told is what the book holds
	if [ "$(cat "$BATS_TEST_TMPDIR/slow.code")" = 303 ]; then
		run -0 db "SELECT count(*) FROM appointments"
		assert_output 1
	else
		run -0 db "SELECT count(*) FROM appointments"
		assert_output 0
		run -0 db "SELECT count(*) FROM clients"
		assert_output 3
	fi
}

@test "the log shortens every token, of a page and of a feed, to four characters" {
	serve_start
	token=$(web_token 2027-03-03T10:00:00-07:00)
	web "/a/$token"
	assert_equal "$code" 200
	web "/a/$token/confirm" -X POST
	assert_equal "$code" 303
	feed=$(appt serve --feed-token kim)
	web "/feed/${feed##*/}"
	assert_equal "$code" 200
	run cat "$SERVE_LOG"
	assert_line --regexp " POST /book 303 [0-9]+ms$"
	assert_line --regexp " GET /a/${token:0:4}\.\.\. 200 [0-9]+ms$"
	assert_line --regexp " POST /a/${token:0:4}\.\.\./confirm 303 [0-9]+ms$"
	feed=${feed##*/feed/}
	assert_line --regexp " GET /feed/${feed:0:4}\.\.\.\.ics 200 [0-9]+ms$"
	refute_output --partial "$token"
	refute_output --partial "${feed%.ics}"
	refute_output --partial "${token:0:5}"
}

@test "--listen: a bad value is a usage error (64); a port in use is 74, 'cannot listen'" {
	local bad
	for bad in nonsense 127.0.0.1 127.0.0.1:99999 localhost:8080 :8080 127.0.0.1:80x; do
		run -64 --separate-stderr appt serve --listen "$bad"
		assert_equal "${stderr_lines[0]}" "appt serve: --listen: expected ADDRESS:PORT (127.0.0.1:8080, [::1]:8080), found '$bad'"
	done
	run -64 --separate-stderr appt serve --listen 127.0.0.1:0 --feed-token kim
	assert_equal "${stderr_lines[0]}" "appt serve: --listen and --feed-token do not go together"
	run -64 --separate-stderr appt serve extra
	serve_start
	local addr=${SERVE_URL#http://}
	addr=${addr%/}
	run -74 --separate-stderr timeout 10 appt serve --listen "$addr"
	assert_output ""
	assert_equal "$stderr" "appt serve: cannot listen on $addr: Address already in use"
	# the first one serves on
	web /
	assert_equal "$code" 200
}

# ---- the booking page ----

@test "GET / lists the services, each a link; the page names the business and its phone" {
	serve_start
	web /
	assert_equal "$code" 200
	assert_equal "$(header Content-Type)" "text/html; charset=utf-8"
	assert_equal "$(header Cache-Control)" "no-store"
	# a page's link (its token) never travels to another site as a Referer
	[[ $(header Referrer-Policy) =~ ^(no-referrer|same-origin)$ ]]
	[[ $(header Content-Security-Policy) == *"default-src 'none'"* ]]
	assert_output --partial "<title>Book an appointment · Test Clinic</title>"
	# each with how long it takes, and its price when it has one
	assert_output --partial '<li><a href="/?service=consult">Consultation<span class="about">30 minutes</span></a></li>'
	assert_output --partial '<li><a href="/?service=peel">Acne Peel<span class="about">45 minutes · 85.00 USD</span></a></li>'
	assert_output --partial '<li><a href="/?service=facial">Facial<span class="about">60 minutes</span></a></li>'
	assert_output --partial '<li><a href="/?service=class">Skincare Class<span class="about">60 minutes</span></a></li>'
	assert_output --partial '+1 555 0100'
	# no script: it works without JavaScript
	refute_output --partial "<script"
	web /style.css
	assert_equal "$code" 200
	assert_equal "$(header Content-Type)" "text/css; charset=utf-8"
	[ -n "$output" ]
}

@test "/?service=consult: the free slots of 14 days by day, each a form for the details page" {
	book_consult Ann "2027-03-02 09:00" >/dev/null
	appt book -q --client Bob --service consult --provider lee --at "2027-03-02 09:00" >/dev/null
	serve_start
	web "/?service=consult"
	assert_equal "$code" 200
	assert_output --partial "<h1>Consultation</h1>"
	# the first page, then its "Later dates", and theirs
	run -0 slot_pages "?service=consult"
	pages=$output
	run -0 grep -o '<h2>[^<]*</h2>' <<<"$pages"
	# Friday the 5th is closed, Sundays too; 14 days from today end on the 14th
	assert_output "<h2>Monday 1 March 2027</h2>
<h2>Tuesday 2 March 2027</h2>
<h2>Wednesday 3 March 2027</h2>
<h2>Thursday 4 March 2027</h2>
<h2>Saturday 6 March 2027</h2>
<h2>Monday 8 March 2027</h2>
<h2>Tuesday 9 March 2027</h2>
<h2>Wednesday 10 March 2027</h2>
<h2>Thursday 11 March 2027</h2>
<h2>Friday 12 March 2027</h2>
<h2>Saturday 13 March 2027</h2>"
	output=$pages
	# a slot is a GET form back to / with service, start and provider
	assert_output --partial '<form method="get" action="/"><input type="hidden" name="service" value="consult"><input type="hidden" name="start" value="2027-03-01T09:00:00-07:00"><input type="hidden" name="provider" value="kim">'
	# both providers are busy 09:00-09:30 on Tuesday: not offered
	refute_output --partial 'value="2027-03-02T09:00:00-07:00"'
	refute_output --partial 'value="2027-03-02T09:15:00-07:00"'
	assert_output --partial 'value="2027-03-02T09:30:00-07:00"'
	# the booking notice (1h): nothing before 09:00 today
	refute_output --partial 'value="2027-03-01T08:'
}

@test "serve.days bounds the slots shown; ?provider= narrows them; an unknown service or provider is 404" {
	serve_config days 3
	serve_start
	run -0 slot_pages "?service=consult"
	run -0 grep -c '<h2>' <<<"$output"
	assert_output 3
	web "/?service=consult&provider=lee"
	assert_equal "$code" 200
	# Lee works mornings only
	refute_output --partial 'T13:00:00'
	refute_output --partial 'name="provider" value="kim"'
	assert_output --partial 'value="2027-03-01T11:30:00-07:00"><input type="hidden" name="provider" value="lee">'
	web "/?service=nope"
	assert_equal "$code" 404
	assert_output --partial "There is no such page"
	web "/?service=consult&provider=nobody"
	assert_equal "$code" 404
	web /nope
	assert_equal "$code" 404
}

@test "a slot chosen: the details form (name, phone, e-mail) posting to /book" {
	serve_start
	web "/?service=consult&start=2027-03-03T10:00:00-07:00&provider=kim"
	assert_equal "$code" 200
	assert_output --partial "<dt>What</dt><dd>Consultation</dd><dt>When</dt><dd>Wednesday 3 March 2027 at 10:00</dd><dt>With</dt><dd>Kim Kowalski</dd>"
	assert_output --partial '<form method="post" action="/book">'
	assert_output --partial '<input type="hidden" name="service" value="consult">'
	assert_output --partial '<input type="hidden" name="start" value="2027-03-03T10:00:00-07:00">'
	assert_output --partial '<input type="hidden" name="provider" value="kim">'
	assert_output --partial 'name="name"'
	assert_output --partial 'type="tel" id="phone" name="phone"'
	assert_output --partial 'type="email" id="email" name="email"'
	# nothing is written by looking
	run -0 db "SELECT count(*) FROM appointments"
	assert_output 0
}

# ---- /api/slots ----

@test "/api/slots: JSON of the free slots with their offsets, by provider and from a day" {
	book_consult Ann "2027-03-02 10:00" >/dev/null
	serve_start
	web "/api/slots?service=consult"
	assert_equal "$code" 200
	assert_equal "$(header Content-Type)" "application/json"
	run -0 python3 -c '
import json, sys
d = json.loads(sys.argv[1])
print(d[0])
print(len({s["start"][:10] for s in d}), d[-1]["start"][:10])
print(sorted(set(map(tuple, (sorted(s) for s in d)))))' "$output"
	assert_line --index 0 "{'start': '2027-03-01T09:00:00-07:00', 'provider': 'kim'}"
	assert_line --index 1 "11 2027-03-13"
	assert_line --index 2 "[('provider', 'start')]"
	web "/api/slots?service=consult&provider=kim&from=2027-03-02"
	assert_equal "$code" 200
	run -0 python3 -c '
import json, sys
d = json.loads(sys.argv[1])
print(d[0]["start"], set(s["provider"] for s in d), d[-1]["start"])
print("2027-03-02T10:00:00-07:00" in [s["start"] for s in d], "2027-03-02T10:30:00-07:00" in [s["start"] for s in d])
print(sorted({s["start"][19:] for s in d}))' "$output"
	# Kim's 10:00 is taken; serve.days (14) counts from today, whatever the first day
	assert_line --index 0 "2027-03-02T09:00:00-07:00 {'kim'} 2027-03-13T12:30:00-07:00"
	assert_line --index 1 "False True"
	assert_line --index 2 "['-07:00']"
	web "/api/slots?service=consult&provider=lee&from=2027-03-02"
	run -0 python3 -c '
import json, sys
d = json.loads(sys.argv[1])
print(d[0], set(s["provider"] for s in d), max(s["start"][11:16] for s in d))' "$output"
	assert_output "{'start': '2027-03-02T09:00:00-07:00', 'provider': 'lee'} {'lee'} 11:30"
}

@test "/api/slots: times after the change to daylight time carry its offset" {
	serve_config days 20
	serve_start
	web "/api/slots?service=consult&provider=kim&from=2027-03-13"
	assert_equal "$code" 200
	run -0 python3 -c '
import json, sys
d = json.loads(sys.argv[1])
print(d[0]["start"], d[-1]["start"])
print([s["start"] for s in d if s["start"].startswith("2027-03-15T09:")])' "$output"
	# Sunday the 14th: UTC-6 from then on; 20 days from today end on the 20th
	assert_line --index 0 "2027-03-13T09:00:00-07:00 2027-03-20T12:30:00-06:00"
	assert_line --index 1 "['2027-03-15T09:00:00-06:00', '2027-03-15T09:15:00-06:00', '2027-03-15T09:30:00-06:00', '2027-03-15T09:45:00-06:00']"
	# one of them booked: 09:00 on the 15th is 15:00 UTC
	book_web 2027-03-15T09:00:00-06:00
	assert_equal "$code" 303
	run -0 db "SELECT local_start, start_at FROM appointments"
	assert_output "2027-03-15 09:00|$(date -u -d 2027-03-15T15:00:00Z +%s)"
}

@test "/api/slots: no service is 422, an unknown one 404, both as JSON errors" {
	serve_start
	local q
	for q in "" "?provider=kim" "?service=consult&from=tomorrow" "?service=consult&from=2027-02-30"; do
		web "/api/slots$q"
		assert_equal "$code" 422
		assert_equal "$(header Content-Type)" "application/json"
		run -0 python3 -c 'import json, sys; print(sorted(json.loads(sys.argv[1])))' "$output"
		assert_output "['error']"
	done
	web "/api/slots?service=nope"
	assert_equal "$code" 404
	run -0 python3 -c 'import json, sys; print(json.loads(sys.argv[1])["error"])' "$output"
	assert_output --partial "nope"
	web "/api/slots?service=consult" -X POST
	assert_equal "$code" 405
}

# ---- POST /book ----

@test "POST /book books: 303 to the page, a new client, the appointment, the audit log, the notice" {
	serve_start
	book_web 2027-03-03T10:00:00-07:00 --data-urlencode "email=dee@example.com"
	assert_equal "$code" 303
	run -0 location_token
	token=$output
	[[ $token =~ ^[A-Za-z0-9_-]{22}$ ]]
	run -0 db "SELECT name, phone, email FROM clients WHERE id = 4"
	assert_output "Dee Dunn|+15550009|dee@example.com"
	run -0 db "SELECT id, client_id, service, provider, local_start, status, via FROM appointments"
	assert_output "1|4|consult|kim|2027-03-03 10:00|booked|online"
	run -0 db "SELECT actor, action, entity, entity_id FROM events WHERE id > 3 ORDER BY id"
	assert_output "web|add|client|4
web|book|appointment|1"
	run -0 db "SELECT kind, name, client_id, appointment_id, body FROM messages"
	assert_output "notice|booked|4|1|Hello Dee, you are booked for Consultation with Kim Kowalski on Wednesday 3 March 2027 at 10:00."
	# the page it was sent on to
	web "$(header Location)"
	assert_equal "$code" 200
	assert_output --partial "Thank you: your appointment is booked."
	assert_output --partial "<dt>What</dt><dd>Consultation</dd>"
	assert_output --partial "<dt>When</dt><dd>Wednesday 3 March 2027 at 10:00</dd>"
	assert_output --partial "<dt>With</dt><dd>Kim Kowalski</dd>"
	assert_output --partial "<dt>For</dt><dd>Dee Dunn</dd>"
	assert_output --partial "<dt>Status</dt><dd>Booked, waiting for your confirmation</dd>"
}

@test "POST /book finds the client by phone however typed, else by e-mail; changes no record" {
	serve_start
	book_web 2027-03-03T10:00:00-07:00 --data-urlencode "name=Annie" --data-urlencode "phone=+1 (555) 0001"
	assert_equal "$code" 303
	book_web 2027-03-03T11:00:00-07:00 --data-urlencode "name=B. Baker" --data-urlencode "phone=" --data-urlencode "email=bob@example.com"
	assert_equal "$code" 303
	run -0 db "SELECT a.local_start, c.name FROM appointments a JOIN clients c ON c.id = a.client_id ORDER BY a.id"
	assert_output "2027-03-03 10:00|Ann Archer
2027-03-03 11:00|Bob Baker"
	# Cy, found by phone, gives an e-mail address his record lacks: anyone may
	# type his phone, so the address is a note for the desk, not his
	book_web 2027-03-03T13:00:00-07:00 --data-urlencode "name=Cy Cole" --data-urlencode "phone=+1 555-0003" --data-urlencode "email=cy@example.com"
	assert_equal "$code" 303
	run -0 db "SELECT count(*) FROM clients"
	assert_output 3
	# a record is never changed by what the form says
	run -0 db "SELECT id, name, phone, email FROM clients ORDER BY id"
	assert_output "1|Ann Archer|+15550001|ann@example.com
2|Bob Baker|+15550002|bob@example.com
3|Cy Cole|+15550003|"
	# what differs is a note for the desk
	run -0 db "SELECT client_id, actor, text FROM client_notes ORDER BY id"
	assert_output '1|web|booked online as "Annie"
2|web|booked online as "B. Baker"
3|web|booked online as "Cy Cole", e-mail cy@example.com'
}

@test "POST /book sent twice (a double tap, a refresh) books once, and the second answer holds no link" {
	serve_start
	book_web 2027-03-03T10:00:00-07:00
	assert_equal "$code" 303
	first=$(location_token)
	book_web 2027-03-03T10:00:00-07:00
	# whoever sends it again may be someone who typed another client's phone
	# and the time of their appointment: no link for them
	assert_equal "$code" 200
	assert_output --partial "This appointment is already booked."
	refute_output --partial "/a/"
	run -0 db "SELECT count(*) FROM appointments"
	assert_output 1
	run -0 db "SELECT count(*) FROM clients"
	assert_output 4
	run -0 db "SELECT count(*) FROM messages"
	assert_output 1
	run -0 db "SELECT count(*) FROM access_tokens"
	assert_output 1
	web "/a/$first"
	assert_equal "$code" 200
	assert_output --partial "<dt>For</dt><dd>Dee Dunn</dd>"
	# the same for one booked at the desk: the phone and the time give no link to it
	book_consult Ann "2027-03-04 10:00" >/dev/null
	book_web 2027-03-04T10:00:00-07:00 --data-urlencode "name=Mallory" --data-urlencode "phone=+15550001"
	assert_equal "$code" 200
	refute_output --partial "/a/"
	assert_equal "$(db "SELECT count(*) FROM access_tokens")" 1
	# someone else at that time is refused
	book_web 2027-03-03T10:00:00-07:00 --data-urlencode "name=Eve" --data-urlencode "phone=+15550077"
	assert_equal "$code" 409
}

@test "POST /book without a provider takes a free one" {
	book_consult Ann "2027-03-03 10:00" >/dev/null
	serve_start
	web /book --data-urlencode service=consult --data-urlencode start=2027-03-03T10:00:00-07:00 \
		--data-urlencode "name=Dee Dunn" --data-urlencode "email=dee@example.com"
	assert_equal "$code" 303
	run -0 db "SELECT provider, local_start FROM appointments WHERE id = 2"
	assert_output "lee|2027-03-03 10:00"
}

@test "POST /book of a taken slot: 409 with other times, and nothing written (not even the client)" {
	book_consult Ann "2027-03-03 10:00" >/dev/null
	serve_start
	before=$(dump_db)
	book_web 2027-03-03T10:00:00-07:00
	assert_equal "$code" 409
	assert_output --partial "That time is not available"
	assert_output --partial "+1 555 0100"
	assert_output --partial "These times are free:"
	assert_output --partial 'value="2027-03-01T09:00:00-07:00"'
	assert_equal "$(dump_db)" "$before"
	# a booking inside the booking notice (1h) is refused the same way
	book_web 2027-03-01T08:30:00-07:00
	assert_equal "$code" 409
	refute_output --partial "force"
	refute_output --partial "policies."
	assert_equal "$(dump_db)" "$before"
}

@test "POST /book with bad input: 422, the form again with the reason, nothing written" {
	serve_start
	before=$(dump_db)
	local s=service=consult t=start=2027-03-03T10:00:00-07:00
	local -a cases=(
		"please give your name|$s&$t&provider=kim&phone=5550009"
		"please give your name|$s&$t&provider=kim&name=++&phone=5550009"
		"please give a phone number or an e-mail address|$s&$t&provider=kim&name=Dee"
		"please give a phone number or an e-mail address|$s&$t&name=Dee&phone=&email="
		"choose a time|$s&provider=kim&name=Dee&phone=5550009"
		"choose a time|$s&start=next+week&name=Dee&phone=5550009"
		"choose a time|$s&start=2027-02-30T10:00:00-07:00&name=Dee&phone=5550009"
		"choose a service|service=nope&$t&name=Dee&phone=5550009"
		"choose a service|$t&name=Dee&phone=5550009"
		"choose a time from the list|$s&$t&provider=nobody&name=Dee&phone=5550009"
		"phone number|$s&$t&name=Dee&phone=call+me"
		"phone number|$s&$t&name=Dee&phone=555-12"
		"phone number|$s&$t&name=Dee&phone=555-0009+or+555-0010"
		"e-mail|$s&$t&name=Dee&email=not-an-address"
	)
	local c
	for c in "${cases[@]}"; do
		web /book -d "${c#*|}"
		[ "$code" = 422 ] || { echo "${c#*|}: $code" >&2; false; }
		assert_output --partial "${c%%|*}"
	done
	assert_equal "$(dump_db)" "$before"
	# the form again keeps what was typed
	web /book -d "$s&$t&provider=kim&name=Dee+Dunn&email=not-an-address"
	assert_equal "$code" 422
	assert_output --partial '<form method="post" action="/book">'
	assert_output --partial 'name="name" required autocomplete="name" maxlength="200" value="Dee Dunn"'
	assert_output --partial 'value="not-an-address"'
	# a form that is not well formed is 400
	web /book -d "$s&name=%zz"
	assert_equal "$code" 400
	assert_equal "$(dump_db)" "$before"
}

@test "serve.booking: request files a request with the chosen time, and says when it is answered" {
	serve_config booking request
	serve_start
	book_web 2027-03-04T10:00:00-07:00 --data-urlencode "name=Fay Fox" --data-urlencode "phone=" --data-urlencode "email=fay@example.com"
	# a page of its own, so that a refresh does not file it again
	assert_equal "$code" 303
	location=$(header Location)
	[[ $location == /requested\?* ]]
	web "$location"
	assert_equal "$code" 200
	assert_output --partial "Request received"
	assert_output --partial "Thursday 4 March 2027 at 10:00"
	assert_output --partial "answer by Tuesday 2 March 2027 at 08:00"
	# sent again: the same request
	book_web 2027-03-04T10:00:00-07:00 --data-urlencode "name=Fay Fox" --data-urlencode "phone=" --data-urlencode "email=fay@example.com"
	assert_equal "$code" 303
	run -0 db "SELECT count(*) FROM appointments"
	assert_output 0
	run -0 db "SELECT count(*) FROM access_tokens"
	assert_output 0
	run -0 db "SELECT r.id, c.name, c.email, r.service, r.provider, r.prefer, r.via, r.taken_by, r.status FROM requests r JOIN clients c ON c.id = r.client_id"
	assert_output "1|Fay Fox|fay@example.com|consult|kim|asked online for 2027-03-04 10:00 with Kim Kowalski|online|web|open"
	run -0 appt request list
	assert_line --partial "Fay Fox"
}

# ---- an appointment's page ----

@test "GET /a/TOKEN: what, when, with whom, for whom, the state, and the three buttons" {
	serve_start
	token=$(web_token 2027-03-03T10:00:00-07:00)
	web "/a/$token"
	assert_equal "$code" 200
	assert_output --partial "<h1>Your appointment</h1>"
	refute_output --partial "Thank you"
	assert_output --partial "<dt>What</dt><dd>Consultation</dd>"
	assert_output --partial "<dt>When</dt><dd>Wednesday 3 March 2027 at 10:00</dd>"
	assert_output --partial "<dt>For</dt><dd>Dee Dunn</dd>"
	assert_output --partial "<dt>Status</dt><dd>Booked, waiting for your confirmation</dd>"
	assert_output --partial "<form method=\"post\" action=\"/a/$token/confirm\">"
	assert_output --partial "<form method=\"get\" action=\"/a/$token\"><button name=\"reschedule\" value=\"1\""
	assert_output --partial "<form method=\"get\" action=\"/a/$token\"><button name=\"cancel\" value=\"1\""
	# cancelling asks first; only the answer posts
	web "/a/$token?cancel=1"
	assert_equal "$code" 200
	assert_output --partial "<form method=\"post\" action=\"/a/$token/cancel\">"
	run -0 db "SELECT status FROM appointments WHERE id = 1"
	assert_output booked
	web "/a/$token?done=nonsense"
	assert_equal "$code" 200
	refute_output --partial "Thank you"
}

@test "POST /a/TOKEN/confirm: confirmed online, logged as web; the page says so" {
	serve_start
	token=$(web_token 2027-03-03T10:00:00-07:00)
	web "/a/$token/confirm" -X POST
	assert_equal "$code" 303
	assert_equal "$(header Location)" "/a/$token?done=confirmed"
	run -0 db "SELECT status, confirmed_via, confirmed_at IS NOT NULL FROM appointments WHERE id = 1"
	assert_output "confirmed|online|1"
	run -0 db "SELECT actor, action FROM events WHERE entity = 'appointment' AND entity_id = 1 ORDER BY id"
	assert_output "web|book
web|confirm"
	web "/a/$token?done=confirmed"
	assert_output --partial "Thank you: your appointment is confirmed."
	assert_output --partial "<dt>Status</dt><dd>Confirmed</dd>"
	refute_output --partial "/confirm\""
	assert_output --partial 'name="cancel"'
	# pressed again: the same answer, nothing more
	before=$(dump_db)
	web "/a/$token/confirm" -X POST
	assert_equal "$code" 303
	assert_equal "$(header Location)" "/a/$token?done=confirmed"
	assert_equal "$(dump_db)" "$before"
}

@test "POST /a/TOKEN/cancel: cancelled by the client, the notice queued; then no buttons" {
	serve_start
	token=$(web_token 2027-03-03T10:00:00-07:00)
	web "/a/$token/cancel" -X POST
	assert_equal "$code" 303
	assert_equal "$(header Location)" "/a/$token?done=cancelled"
	run -0 db "SELECT status, cancelled_by, cancel_reason, late_cancel FROM appointments WHERE id = 1"
	assert_output "cancelled|client|cancelled online|0"
	run -0 db "SELECT actor, action FROM events WHERE entity = 'appointment' AND entity_id = 1 ORDER BY id"
	assert_output "web|book
web|cancel"
	run -0 db "SELECT name, body FROM messages WHERE appointment_id = 1 ORDER BY id"
	assert_line --index 1 "cancelled|Hello Dee, your appointment on Wednesday 3 March 2027 is cancelled. Book again at https://clinic.example/book."
	# no late fee is charged
	run -0 db "SELECT count(*) FROM charges"
	assert_output 0
	web "/a/$token?done=cancelled"
	assert_output --partial "Your appointment is cancelled."
	assert_output --partial "<dt>Status</dt><dd>Cancelled</dd>"
	refute_output --partial "<form"
	# the slot is free again
	web "/api/slots?service=consult&provider=kim&from=2027-03-03"
	assert_output --partial '"2027-03-03T10:00:00-07:00"'
	# a second cancel finds it done; a confirm of a cancelled appointment is refused
	before=$(dump_db)
	web "/a/$token/cancel" -X POST
	assert_equal "$code" 303
	assert_equal "$(header Location)" "/a/$token?done=cancelled"
	web "/a/$token/confirm" -X POST
	assert_equal "$code" 409
	web "/a/$token/reschedule" -d start=2027-03-04T10:00:00-07:00
	assert_equal "$code" 409
	assert_equal "$(dump_db)" "$before"
}

@test "cancel inside policies.cancel.min_notice: 409 'too late to cancel online' and the phone; nothing changes" {
	serve_start
	# this afternoon: 7 hours ahead
	token=$(web_token 2027-03-01T15:00:00-07:00)
	before=$(dump_db)
	web "/a/$token/cancel" -X POST
	assert_equal "$code" 409
	assert_output --partial "too late to cancel online"
	assert_output --partial '+1 555 0100</a>'
	assert_output --partial "<a href=\"/a/$token\">Back to your appointment</a>"
	assert_equal "$(dump_db)" "$before"
	run -0 db "SELECT status FROM appointments WHERE id = 1"
	assert_output booked
	# the page says so before anyone tries, and offers no cancel
	web "/a/$token"
	assert_output --partial "can no longer be cancelled"
	assert_output --partial "+1 555 0100</a>"
	refute_output --partial 'name="cancel"'
	web "/a/$token?cancel=1"
	refute_output --partial "/cancel\""
}

@test "POST /a/TOKEN/reschedule: moved, counted, logged, the notice queued; the old time free" {
	serve_start
	token=$(web_token 2027-03-03T10:00:00-07:00)
	web "/a/$token/reschedule" --data-urlencode start=2027-03-04T09:00:00-07:00 --data-urlencode provider=lee
	assert_equal "$code" 303
	assert_equal "$(header Location)" "/a/$token?done=rescheduled"
	run -0 db "SELECT provider, local_start, status, reschedules FROM appointments WHERE id = 1"
	assert_output "lee|2027-03-04 09:00|booked|1"
	run -0 db "SELECT actor, action FROM events WHERE entity = 'appointment' AND entity_id = 1 ORDER BY id"
	assert_output "web|book
web|reschedule"
	run -0 db "SELECT name FROM messages WHERE appointment_id = 1 ORDER BY id"
	assert_output "booked
rescheduled"
	web "/a/$token?done=rescheduled"
	assert_output --partial "Your appointment has moved to the new time."
	assert_output --partial "<dt>When</dt><dd>Thursday 4 March 2027 at 09:00</dd>"
	assert_output --partial "<dt>With</dt><dd>Lee Lam</dd>"
	web "/api/slots?service=consult&provider=kim&from=2027-03-03"
	assert_output --partial '"2027-03-03T10:00:00-07:00"'
	# without a provider: the same one
	web "/a/$token/reschedule" -d start=2027-03-04T11:00:00-07:00
	assert_equal "$code" 303
	run -0 db "SELECT provider, local_start, reschedules FROM appointments WHERE id = 1"
	assert_output "lee|2027-03-04 11:00|2"
	# past policies.reschedule.max_times (2): refused
	before=$(dump_db)
	web "/a/$token/reschedule" -d start=2027-03-04T14:00:00-07:00
	assert_equal "$code" 409
	assert_output --partial "+1 555 0100"
	assert_equal "$(dump_db)" "$before"
}

@test "reschedule: inside the notice, to a taken slot: 409; without a good start: 422; nothing changes" {
	book_consult Ann "2027-03-04 09:00" >/dev/null
	serve_start
	soon=$(web_token 2027-03-01T15:00:00-07:00)
	later=$(web_token 2027-03-03T10:00:00-07:00 --data-urlencode "phone=+15550008")
	before=$(dump_db)
	web "/a/$soon/reschedule" -d start=2027-03-08T09:00:00-07:00
	assert_equal "$code" 409
	assert_output --partial "too close to your appointment"
	assert_output --partial "+1 555 0100"
	web "/a/$later/reschedule" -d start=2027-03-04T09:00:00-07:00 -d provider=kim
	assert_equal "$code" 409
	assert_output --partial "that time has just been taken"
	for bad in "" "start=" "start=soon" "start=2027-03-08T09:00:00-07:00&provider=nobody"; do
		web "/a/$later/reschedule" -d "$bad"
		[ "$code" = 422 ] || { echo "'$bad': $code" >&2; false; }
		assert_output --partial "choose a new time from the list"
	done
	assert_equal "$(dump_db)" "$before"
}

@test "?reschedule=1 lists the new times, each posting to /a/TOKEN/reschedule" {
	serve_start
	token=$(web_token 2027-03-03T10:00:00-07:00)
	web "/a/$token?reschedule=1"
	assert_equal "$code" 200
	assert_output --partial "<h2>Choose a new time</h2>"
	assert_output --partial "<form method=\"post\" action=\"/a/$token/reschedule\"><input type=\"hidden\" name=\"start\" value=\"2027-03-04T09:00:00-07:00\"><input type=\"hidden\" name=\"provider\" value=\"kim\">"
	# a time offered there is taken as it is
	web "/a/$token/reschedule" -d "start=2027-03-04T09:00:00-07:00&provider=kim"
	assert_equal "$code" 303
	run -0 db "SELECT local_start FROM appointments WHERE id = 1"
	assert_output "2027-03-04 09:00"
}

@test "an appointment that is over: its page has no buttons, and a POST changes nothing (409)" {
	serve_start
	token=$(web_token 2027-03-03T10:00:00-07:00)
	serve_stop
	# the next day
	APPT_NOW=2027-03-04T08:00 serve_start
	web "/a/$token"
	assert_equal "$code" 200
	assert_output --partial "<dt>When</dt><dd>Wednesday 3 March 2027 at 10:00</dd>"
	# not "waiting for your confirmation": its time has passed
	assert_output --partial "<dt>Status</dt><dd>Past</dd>"
	refute_output --partial "<form"
	web "/a/$token?reschedule=1"
	refute_output --partial "<form"
	before=$(dump_db)
	local a
	# (confirm last: appt confirm itself takes a past appointment)
	for a in cancel reschedule confirm; do
		web "/a/$token/$a" -d start=2027-03-08T10:00:00-07:00
		[ "$code" = 409 ] || { echo "POST $a: $code" >&2; false; }
		assert_output --partial "+1 555 0100"
	done
	assert_equal "$(dump_db)" "$before"
}

@test "a wrong, malformed or truncated token is 404, GET or POST, and changes nothing" {
	serve_start
	token=$(web_token 2027-03-03T10:00:00-07:00)
	before=$(dump_db)
	local t other
	# the same token with its first character changed
	other=$([ "${token:0:1}" = A ] && echo B || echo A)${token:1}
	for t in "$other" "${token:0:21}" "${token}A" "${token:0:21}!" "${token:0:21}=" "AAAAAAAAAAAAAAAAAAAAAA" "" "../../etc/passwd"; do
		web "/a/$t"
		[ "$code" = 404 ] || { echo "GET /a/$t: $code" >&2; false; }
		assert_output --partial "There is no such page"
		web "/a/$t/cancel" -X POST
		[ "$code" = 404 ] || { echo "POST /a/$t/cancel: $code" >&2; false; }
	done
	web "/a/$token/delete" -X POST
	assert_equal "$code" 404
	web "/a/$token/" -X POST
	assert_equal "$code" 404
	assert_equal "$(dump_db)" "$before"
	# the link to the desk's appointment is not the web booking's
	web "/feed/$token.ics"
	assert_equal "$code" 404
}

@test "methods: GET of a button is 405 (Allow: POST); POST of a page is 405; other methods 405" {
	serve_start
	token=$(web_token 2027-03-03T10:00:00-07:00)
	before=$(dump_db)
	local a
	for a in confirm cancel reschedule; do
		web "/a/$token/$a"
		assert_equal "$code" 405
		assert_equal "$(header Allow)" "POST"
	done
	web "/a/$token" -X POST
	assert_equal "$code" 405
	assert_equal "$(header Allow)" "GET, HEAD"
	web / -X POST
	assert_equal "$code" 405
	assert_equal "$(header Allow)" "GET, HEAD"
	web /book
	assert_equal "$code" 405
	assert_equal "$(header Allow)" "POST"
	web /book -X PUT -d name=x
	assert_equal "$code" 405
	web "/a/$token/cancel" -X DELETE
	assert_equal "$code" 405
	assert_equal "$(dump_db)" "$before"
	run -0 db "SELECT status FROM appointments WHERE id = 1"
	assert_output booked
}

# ---- tokens ----

@test "a token is 22 base64url characters; only its SHA-256 is stored; each booking its own" {
	serve_start
	t1=$(web_token 2027-03-03T10:00:00-07:00)
	t2=$(web_token 2027-03-03T11:00:00-07:00)
	[[ $t1 =~ ^[A-Za-z0-9_-]{22}$ ]]
	[[ $t2 =~ ^[A-Za-z0-9_-]{22}$ ]]
	[ "$t1" != "$t2" ]
	run -0 db "SELECT kind, appointment_id, provider IS NULL, hash FROM access_tokens ORDER BY appointment_id"
	assert_output "appointment|1|1|$(sha256_of "$t1")
appointment|2|1|$(sha256_of "$t2")"
	# the token itself is nowhere in the database
	run -0 dump_db
	refute_output --partial "$t1"
	refute_output --partial "$t2"
	# each opens its own appointment
	web "/a/$t2"
	assert_output --partial "<dt>When</dt><dd>Wednesday 3 March 2027 at 11:00</dd>"
}

@test "{{appointment.url}}: each message carries a fresh link of its own to the appointment's page" {
	sed -i 's|at {{appointment.time}}\."|at {{appointment.time}}. Confirm, change or cancel: {{appointment.url}}"|' "$APPT_CONFIG"
	grep -q '{{appointment.url}}' "$APPT_CONFIG"
	book_consult Ann "2027-03-03 10:00" >/dev/null
	run -0 db "SELECT body FROM messages WHERE appointment_id = 1 AND name = 'booked'"
	assert_output --regexp '^Hello Ann, you are booked for Consultation with Kim Kowalski on Wednesday 3 March 2027 at 10:00\. Confirm, change or cancel: http://clinic\.test/a/[A-Za-z0-9_-]{22}$'
	desk_token=${output##*/a/}
	serve_start
	web "/a/$desk_token"
	assert_equal "$code" 200
	assert_output --partial "<dt>What</dt><dd>Consultation</dd>"
	assert_output --partial "<dt>For</dt><dd>Ann Archer</dd>"
	# a web booking: the message's link differs from the one the browser got; both open it
	web_tok=$(web_token 2027-03-04T10:00:00-07:00)
	run -0 db "SELECT body FROM messages WHERE appointment_id = 2"
	msg_token=${output##*/a/}
	[[ $msg_token =~ ^[A-Za-z0-9_-]{22}$ ]]
	[ "$msg_token" != "$web_tok" ]
	web "/a/$msg_token"
	assert_output --partial "<dt>For</dt><dd>Dee Dunn</dd>"
	web "/a/$web_tok"
	assert_output --partial "<dt>For</dt><dd>Dee Dunn</dd>"
	# a second message (the move) has another link; the first still works
	web "/a/$desk_token/reschedule" -d "start=2027-03-08T10:00:00-07:00&provider=kim"
	assert_equal "$code" 303
	run -0 db "SELECT body FROM messages WHERE appointment_id = 1 AND name = 'rescheduled'"
	moved_token=${output##*/a/}
	[[ $moved_token =~ ^[A-Za-z0-9_-]{22}$ ]]
	[ "$moved_token" != "$desk_token" ]
	for t in "$desk_token" "$moved_token"; do
		web "/a/$t"
		assert_output --partial "<dt>When</dt><dd>Monday 8 March 2027 at 10:00</dd>"
	done
	run -0 db "SELECT count(*) FROM access_tokens WHERE appointment_id = 1"
	assert_output 2
	# the messages hold the links; access_tokens only their hashes
	run -0 db "SELECT count(*) FROM access_tokens WHERE hash = '$(sha256_of "$desk_token")'"
	assert_output 1
	run -0 db "SELECT count(*) FROM access_tokens WHERE hash LIKE '%$desk_token%' OR hash LIKE '%$moved_token%'"
	assert_output 0
}

@test "{{appointment.url}} without serve.base_url is a configuration error (78)" {
	sed -i -e '/^serve:/,$d' -e 's|at {{appointment.time}}\."|at {{appointment.time}}. {{appointment.url}}"|' "$APPT_CONFIG"
	run -78 --separate-stderr appt serve --listen 127.0.0.1:0
	assert_output ""
	[[ $stderr == *"serve.base_url"* ]]
}

# ---- calendar feeds ----

@test "--feed-token prints the feed's URL; a new one revokes the old; unknown provider 2; no base_url 78" {
	run -0 --separate-stderr appt serve --feed-token kim
	assert_output --regexp '^http://clinic\.test/feed/[A-Za-z0-9_-]{22}\.ics$'
	assert_equal "$stderr" ""
	first=${output##*/feed/}
	first=${first%.ics}
	run -0 db "SELECT kind, provider, appointment_id IS NULL, hash FROM access_tokens"
	assert_output "feed|kim|1|$(sha256_of "$first")"
	serve_start
	web "/feed/$first.ics"
	assert_equal "$code" 200
	run -0 appt serve --feed-token kim
	second=${output##*/feed/}
	second=${second%.ics}
	[ "$second" != "$first" ]
	web "/feed/$first.ics"
	assert_equal "$code" 404
	web "/feed/$second.ics"
	assert_equal "$code" 200
	web "/feed/$second"
	assert_equal "$code" 404
	web "/feed/$second.ics" -X POST
	assert_equal "$code" 405
	run -0 db "SELECT kind, provider FROM access_tokens"
	assert_output "feed|kim"
	# a feed's token opens no appointment page
	web "/a/$second"
	assert_equal "$code" 404
	run -2 --separate-stderr appt serve --feed-token nobody
	assert_output ""
	assert_equal "$stderr" "appt serve: no provider 'nobody' in $APPT_CONFIG"
	sed -i '/^serve:/,$d' "$APPT_CONFIG"
	run -78 --separate-stderr appt serve --feed-token lee
	assert_output ""
	[[ $stderr == *"serve.base_url is not set"* ]]
	run -0 db "SELECT kind, provider FROM access_tokens"
	assert_output "feed|kim"
}

@test "GET /feed/TOKEN.ics: the provider's appointments as RFC 5545, read by a real parser" {
	PY=$(python_with icalendar) || skip "python3-icalendar is not installed"
	book_consult Ann "2027-03-02 10:00" >/dev/null
	appt book -q --client Bob --service consult --provider lee --at "2027-03-02 10:00" >/dev/null
	book_consult Cy "2027-03-03 09:00" >/dev/null
	appt cancel 3 --reason "sick" >/dev/null
	feed=$(appt serve --feed-token kim)
	serve_start
	# a booking from the web is in it at once
	web_token 2027-03-04T13:00:00-07:00 >/dev/null
	web "/feed/${feed##*/}"
	assert_equal "$code" 200
	assert_equal "$(header Content-Type)" "text/calendar; charset=utf-8"
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/kim.ics"
	run -0 "$PY" - "$BATS_TEST_TMPDIR/kim.ics" <<'EOF'
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
print(cal["VERSION"], cal["X-WR-CALNAME"])
for ev in sorted(cal.walk("VEVENT"), key=lambda e: str(e["UID"])):
    print(ev["UID"], ev["STATUS"], ev.decoded("DTSTART").isoformat(), ev.decoded("DTEND").isoformat(), ev["SUMMARY"])
EOF
	assert_output "2.0 Test Clinic — Kim Kowalski
appt-1@test-clinic TENTATIVE 2027-03-02T17:00:00+00:00 2027-03-02T17:30:00+00:00 Consultation — Ann Archer
appt-3@test-clinic CANCELLED 2027-03-03T16:00:00+00:00 2027-03-03T16:30:00+00:00 Consultation — Cy Cole
appt-4@test-clinic TENTATIVE 2027-03-04T20:00:00+00:00 2027-03-04T20:30:00+00:00 Consultation — Dee Dunn"
	# Lee's feed is Lee's alone
	lee=$(appt serve --feed-token lee)
	web "/feed/${lee##*/}"
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/lee.ics"
	run -0 "$PY" -c '
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
print([str(e["UID"]) for e in cal.walk("VEVENT")])' "$BATS_TEST_TMPDIR/lee.ics"
	assert_output "['appt-2@test-clinic']"
	# and Kim's still works: a feed each
	web "/feed/${feed##*/}"
	assert_equal "$code" 200
}

# ---- safety ----

@test "a body over 16 KiB is 413; a body that is not a form is 415; nothing written" {
	serve_start
	before=$(dump_db)
	# a real booking, padded past the bound
	pad=$(head -c 17000 /dev/zero | tr '\0' x)
	book_web 2027-03-03T10:00:00-07:00 --data-urlencode "note=$pad"
	assert_equal "$code" 413
	# 16 KiB exactly is read (and this one has a field too long: 400)
	head -c 16384 /dev/zero | tr '\0' x >"$BATS_TEST_TMPDIR/16k"
	web /book --data-binary "@$BATS_TEST_TMPDIR/16k"
	assert_equal "$code" 400
	web /book -H 'Content-Type: application/json' \
		-d '{"service":"consult","start":"2027-03-03T10:00:00-07:00","provider":"kim","name":"Dee","phone":"5550009"}'
	assert_equal "$code" 415
	web /book -F service=consult -F start=2027-03-03T10:00:00-07:00 -F provider=kim -F name=Dee -F phone=5550009
	assert_equal "$code" 415
	web /book -H 'Content-Type: text/plain' -d "service=consult&start=2027-03-03T10:00:00-07:00&provider=kim&name=Dee&phone=5550009"
	assert_equal "$code" 415
	assert_equal "$(dump_db)" "$before"
	# a form with a charset is a form
	book_web 2027-03-03T10:00:00-07:00 -H 'Content-Type: application/x-www-form-urlencoded; charset=UTF-8'
	assert_equal "$code" 303
	# and the server is fine after all that
	web /
	assert_equal "$code" 200
}

@test "a POST naming another site (Origin, Sec-Fetch-Site) is 403; the own site or none is let in" {
	serve_start
	token=$(web_token 2027-03-03T10:00:00-07:00)
	before=$(dump_db)
	local h
	for h in "Origin: http://evil.test" "Origin: https://clinic.test" "Origin: http://clinic.test:8080" \
		"Origin: null" "Origin: ${SERVE_URL%/}" "Sec-Fetch-Site: cross-site"; do
		web "/a/$token/cancel" -X POST -H "$h"
		[ "$code" = 403 ] || { echo "$h: $code" >&2; false; }
		book_web 2027-03-04T10:00:00-07:00 -H "$h"
		[ "$code" = 403 ] || { echo "$h: $code" >&2; false; }
	done
	assert_equal "$(dump_db)" "$before"
	# GETs are not refused
	web "/a/$token" -H "Origin: http://evil.test" -H "Sec-Fetch-Site: cross-site"
	assert_equal "$code" 200
	web "/a/$token/confirm" -X POST -H "Origin: http://clinic.test" -H "Sec-Fetch-Site: same-origin"
	assert_equal "$code" 303
	book_web 2027-03-04T10:00:00-07:00 -H "Sec-Fetch-Site: same-origin"
	assert_equal "$code" 303
	run -0 db "SELECT id, status FROM appointments ORDER BY id"
	assert_output "1|confirmed
2|booked"
}

@test "without serve.base_url a POST must come from the host it was sent to" {
	sed -i '/^serve:/,$d' "$APPT_CONFIG"
	serve_start
	local self=${SERVE_URL%/}
	book_web 2027-03-03T10:00:00-07:00 -H "Origin: http://clinic.test"
	assert_equal "$code" 403
	book_web 2027-03-03T10:00:00-07:00 -H "Origin: $self"
	assert_equal "$code" 303
	run -0 db "SELECT count(*) FROM appointments"
	assert_output 1
}

@test "more than serve.post_limit POSTs a minute from one address: 429, nothing written; GETs go on" {
	serve_config post_limit 3
	serve_start
	book_web 2027-03-03T10:00:00-07:00
	assert_equal "$code" 303
	book_web 2027-03-03T11:00:00-07:00
	assert_equal "$code" 303
	web / -X POST
	assert_equal "$code" 405
	before=$(dump_db)
	book_web 2027-03-03T13:00:00-07:00
	assert_equal "$code" 429
	assert_equal "$(header Retry-After)" 60
	book_web 2027-03-03T14:00:00-07:00
	assert_equal "$code" 429
	assert_equal "$(dump_db)" "$before"
	web /
	assert_equal "$code" 200
	web "/api/slots?service=consult"
	assert_equal "$code" 200
	run -0 db "SELECT local_start FROM appointments ORDER BY id"
	assert_output "2027-03-03 10:00
2027-03-03 11:00"
}

@test "every page escapes what it prints: a name with markup is text" {
	serve_start
	token=$(web_token 2027-03-03T10:00:00-07:00 --data-urlencode 'name=<script>alert(1)</script> "O'"'"'Neil" & co')
	run -0 db "SELECT name FROM clients WHERE id = 4"
	assert_output "<script>alert(1)</script> \"O'Neil\" & co"
	web "/a/$token"
	assert_equal "$code" 200
	assert_output --partial "<dt>For</dt><dd>&lt;script&gt;alert(1)&lt;/script&gt; &quot;O&#39;Neil&quot; &amp; co</dd>"
	refute_output --partial "<script>"
	# the form again, with what was typed in its fields
	web /book -d 'service=consult&start=2027-03-03T11:00:00-07:00&name=%22%3E%3Cscript%3Ex%3C%2Fscript%3E'
	assert_equal "$code" 422
	assert_output --partial 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"'
	refute_output --partial "<script>"
	# query parameters echoed on the details page
	web '/?service=consult&start=2027-03-03T11:00:00-07:00&provider=kim&name=%3Cscript%3E'
	refute_output --partial "<script>"
	# JSON is JSON, never taken for a page
	web "/api/slots?service=%3Cscript%3E"
	assert_equal "$code" 404
	assert_equal "$(header Content-Type)" "application/json"
	assert_equal "$(header X-Content-Type-Options)" "nosniff"
}

@test "20 clients booking one slot at once: exactly one 303, the others 409, one appointment" {
	serve_start
	local i pids=()
	for i in $(seq 1 20); do
		curl -sS -o /dev/null -w '%{http_code}\n' "${SERVE_URL%/}/book" \
			--data-urlencode service=consult --data-urlencode start=2027-03-02T10:00:00-07:00 \
			--data-urlencode provider=kim --data-urlencode "name=Racer $i" \
			--data-urlencode "phone=+1555200$(printf %02d "$i")" >"$BATS_TEST_TMPDIR/code.$i" &
		pids+=($!)
	done
	# the curls, not the server
	wait "${pids[@]}"
	run bash -c "cat '$BATS_TEST_TMPDIR'/code.* | sort | uniq -c | sed 's/^ *//'"
	assert_output "1 303
19 409"
	run -0 db "SELECT count(*) FROM appointments WHERE provider = 'kim' AND local_start = '2027-03-02 10:00'"
	assert_output 1
	# the losers left no client record behind
	run -0 db "SELECT count(*) FROM clients"
	assert_output 4
	run -0 db "SELECT c.name LIKE 'Racer %' FROM appointments a JOIN clients c ON c.id = a.client_id"
	assert_output 1
	run -0 db "SELECT count(*) FROM access_tokens"
	assert_output 1
	run -0 grep -c ' POST /book 409 ' "$SERVE_LOG"
	assert_output 19
}

@test "two servers on one database, 10 clients each at one slot: one booking, no client left behind" {
	serve_start
	: >"$BATS_TEST_TMPDIR/serve2.log"
	appt serve --listen 127.0.0.1:0 2>>"$BATS_TEST_TMPDIR/serve2.log" 3>&- &
	SERVE2_PID=$!
	local url2="" i pids=()
	for i in $(seq 100); do
		url2=$(sed -n 's/^appt serve: listening on \(http:[^ ]*\).*/\1/p' "$BATS_TEST_TMPDIR/serve2.log")
		[ -n "$url2" ] && break
		sleep 0.1
	done
	[ -n "$url2" ]
	for i in $(seq 1 20); do
		curl -sS -o /dev/null -w '%{http_code}\n' "$( ((i % 2)) && echo "${SERVE_URL%/}" || echo "${url2%/}")/book" \
			--data-urlencode service=consult --data-urlencode start=2027-03-02T10:00:00-07:00 \
			--data-urlencode provider=kim --data-urlencode "name=Racer $i" \
			--data-urlencode "email=racer$i@example.com" >"$BATS_TEST_TMPDIR/code.$i" &
		pids+=($!)
	done
	wait "${pids[@]}"
	run bash -c "cat '$BATS_TEST_TMPDIR'/code.* | sort | uniq -c | sed 's/^ *//'"
	assert_output "1 303
19 409"
	run -0 db "SELECT count(*) FROM appointments"
	assert_output 1
	run -0 db "SELECT count(*) FROM clients"
	assert_output 4
	run -0 db "SELECT count(*) FROM events WHERE actor = 'web'"
	assert_output 2
	run -0 grep -h -c ' POST /book ' "$SERVE_LOG" "$BATS_TEST_TMPDIR/serve2.log"
	assert_output "10
10"
}

@test "a refusal shows the client the reason, without the desk's hints or other appointments' numbers" {
	book_consult Ann "2027-03-03 10:00" >/dev/null
	serve_start
	book_web 2027-03-03T10:00:00-07:00
	assert_equal "$code" 409
	assert_output --partial "that time has just been taken"
	refute_output --partial "#1"
	refute_output --partial "appt slots"
	refute_output --partial "force"
	token=$(web_token 2027-03-02T09:00:00-07:00)
	web "/a/$token/reschedule" -d "start=2027-03-03T10:00:00-07:00&provider=kim"
	assert_equal "$code" 409
	refute_output --partial "#"
	refute_output --partial "policies."
	refute_output --partial "appt "
	# the day after: too late for anything, and told so without the desk's commands
	serve_stop
	APPT_NOW=2027-03-04T08:00 serve_start
	web "/a/$token/cancel" -X POST
	assert_equal "$code" 409
	refute_output --partial "#"
	refute_output --partial "appt "
	refute_output --partial "force"
}

@test "a blocked client is told only that the booking cannot be taken online" {
	appt client block Ann --reason "unpaid fees" >/dev/null
	serve_start
	before=$(dump_db)
	book_web 2027-03-03T10:00:00-07:00 --data-urlencode "phone=+15550001"
	assert_equal "$code" 409
	assert_output --partial "we cannot take this booking online"
	refute_output --partial "unpaid"
	refute_output --partial "blocked"
	assert_equal "$(dump_db)" "$before"
}

@test "a lost database connection stops the server with 74, for the service manager to restart it" {
	only_on pg
	serve_start
	web /
	assert_equal "$code" 200
	# the server's own connection, cut from the server's side (a restart, a network cut)
	psql -X -q -U "$APPT_PG_SUPERUSER" -d postgres -c "SELECT pg_terminate_backend(pid)
		FROM pg_stat_activity WHERE datname = '$PGDATABASE' AND pid <> pg_backend_pid()" >/dev/null
	web "/api/slots?service=consult"
	[[ $code == 5* ]]
	run wait "$SERVE_PID"
	assert_equal "$status" 74
	SERVE_PID=
	run -0 grep -F "appt serve: the connection to the database" "$SERVE_LOG"
	run -0 grep -F "was lost; stopping" "$SERVE_LOG"
	refute_output --partial "password"
}

@test "the times to move to leave out the appointment's own, come a few days a page, and its own time moves nothing" {
	serve_start
	token=$(web_token 2027-03-03T10:00:00-07:00)
	web "/a/$token?reschedule=1"
	assert_equal "$code" 200
	refute_output --partial 'value="2027-03-03T10:00:00-07:00"'
	assert_output --partial 'value="2027-03-03T10:15:00-07:00"'
	assert_output --regexp "<a href=\"/a/$token\?reschedule=1&amp;from=2027-03-[0-9]{2}\">Later dates</a>"
	later=$(sed -n 's|.*<a href="\(/a/[^"]*\)">Later dates</a>.*|\1|p' <<<"$output" | sed 's/&amp;/\&/g')
	web "$later"
	assert_equal "$code" 200
	assert_output --partial "Earlier dates"
	refute_output --partial "Monday 1 March 2027"
	# its own time, posted anyway (an old page): nothing moves, nothing is sent
	before=$(dump_db)
	web "/a/$token/reschedule" -d start=2027-03-03T10:00:00-07:00 -d provider=kim
	assert_equal "$code" 303
	assert_equal "$(header Location)" "/a/$token"
	assert_equal "$(dump_db)" "$before"
}

@test "a name longer than the form takes is 422, nothing written" {
	serve_start
	before=$(dump_db)
	book_web 2027-03-03T10:00:00-07:00 --data-urlencode "name=$(printf 'x%.0s' $(seq 201))"
	assert_equal "$code" 422
	assert_output --partial "please give a shorter name"
	assert_equal "$(dump_db)" "$before"
}

@test "a record a text made for an unknown number takes the name its owner books with" {
	serve_start
	assert_equal "$(curl -s -o /dev/null -w '%{http_code}' --data-urlencode From=+15550009 \
		--data-urlencode 'Body=can I book?' "$SERVE_URL/hooks/sms")" 200
	assert_equal "$(db "SELECT name FROM clients WHERE id = 4")" "Unknown (+15550009)"
	book_web 2027-03-03T10:00:00-07:00
	assert_equal "$code" 303
	assert_equal "$(db "SELECT id, name, phone FROM clients WHERE id >= 4")" "4|Dee Dunn|+15550009"
	assert_equal "$(db "SELECT count(*) FROM client_notes")" 0
	assert_equal "$(db "SELECT client_id FROM appointments")" 4
}

@test "a request filed where the zone is east of UTC: its page's times keep their '+'" {
	sed -i 's|^  timezone: .*|  timezone: Europe/Berlin|' "$APPT_CONFIG"
	serve_config booking request
	serve_start
	book_web 2027-03-04T10:00:00+01:00 --data-urlencode "name=Fay Fox"
	assert_equal "$code" 303
	[[ $(header Location) == *"start=2027-03-04T10%3A00%3A00%2B01%3A00"* ]]
	web "$(header Location)"
	assert_equal "$code" 200
	assert_output --partial "Thursday 4 March 2027 at 10:00"
}

@test "a time the pages do not offer (10:07) is refused, booking or moving, nothing written" {
	serve_start
	token=$(web_token 2027-03-03T10:00:00-07:00)
	before=$(dump_db)
	book_web 2027-03-04T10:07:00-07:00 --data-urlencode "name=Odd Minute" --data-urlencode "phone=+15550077"
	assert_equal "$code" 409
	assert_output --partial "that time has just been taken"
	web "/a/$token/reschedule" -d start=2027-03-04T10:07:00-07:00
	assert_equal "$code" 409
	assert_output --partial "Choose another time"
	assert_equal "$(dump_db)" "$before"
}

@test "the log cannot be forged: a %0a in a path is shown as '?'" {
	serve_start
	web "/x%0a2027-03-01T08:00:00-07:00%20127.0.0.1%20POST%20/book%20303%201ms"
	assert_equal "$code" 404
	run -0 grep -c "" "$SERVE_LOG"
	assert_output 2
	run -0 grep -F "GET /x?2027-03-01T08:00:00-07:00 127.0.0.1 POST /book 303 1ms 404" "$SERVE_LOG"
}
