#!/usr/bin/env bats
# appt export: appointments, clients, events, messages and charges as CSV or
# JSON, appointments as an iCalendar feed.  The clock is Monday 2027-03-01
# 08:00 in America/Denver (UTC-7).

load test_helper

setup() {
	common_setup
	init_db
}

book() {
	appt book --client "$1" --service "${3:-consult}" --provider "${4:-kim}" --at "$2" -q "${@:5}" >/dev/null
}

APPOINTMENT_HEADER="client,phone,email,service,provider,start,end,status,notes,external_id"
CLIENT_HEADER="name,phone,email,channel,notes,program,external_id"

# CSV lines end in CRLF (RFC 4180); compare them without the CR.
strip_cr() {
	output=${output//$'\r'/}
	lines=("${lines[@]%$'\r'}")
}

# An export's cells as Python's csv module reads them: one row a line,
# cells joined by '|', newlines inside cells shown as '\n'.
export_cells() {
	appt export "$@" | python3 -c '
import csv, sys
for row in csv.reader(sys.stdin):
    print("|".join(c.replace("\n", "\\n") for c in row))
'
}


@test "appointments: import's columns, ISO 8601 times with the offset" {
	book Ann "2027-03-02 10:00" peel kim --note "first visit"
	run -0 --separate-stderr appt export appointments
	assert_equal "$stderr" ""
	assert_equal "${lines[0]}" "$APPOINTMENT_HEADER"$'\r'
	strip_cr
	assert_line --index 1 "Ann Archer,\"'+15550001\",ann@example.com,peel,kim,2027-03-02T10:00:00-07:00,2027-03-02T10:45:00-07:00,booked,first visit,appt:appointment:1"
	assert_equal "${#lines[@]}" 2
}

@test "times across the daylight-saving changes carry their own offsets" {
	local t
	for t in 2027-03-14T08:45:00Z 2027-03-14T09:00:00Z 2027-11-07T07:30:00Z 2027-11-07T08:30:00Z; do
		t=$(date -u -d "$t" +%s)
		db "INSERT INTO appointments (client_id, service, provider, start_at, end_at,
		      busy_from, busy_to, local_start, zone, status, created_at, updated_at, placed_at)
		    VALUES (1, 'consult', 'kim', $t, $t + 1800, $t, $t + 1800, 'x',
		      'America/Denver', 'cancelled', $t, $t, $t)"
	done
	run -0 bash -c "appt export appointments | tail -n +2 | cut -d, -f6,7"
	strip_cr
	assert_output "2027-03-14T01:45:00-07:00,2027-03-14T03:15:00-06:00
2027-03-14T03:00:00-06:00,2027-03-14T03:30:00-06:00
2027-11-07T01:30:00-06:00,2027-11-07T01:00:00-07:00
2027-11-07T01:30:00-07:00,2027-11-07T02:00:00-07:00"
}

@test "appointments come in start order; a stored external id is kept" {
	appt client add -q --name "Di Dale" --phone "+15550004" --external-id "old-77" >/dev/null
	book Bob "2027-03-02 11:00"
	book "Di Dale" "2027-03-02 09:00"
	db "UPDATE appointments SET external_id = 'crm-9' WHERE id = 2"
	run -0 export_cells appointments
	assert_line --index 1 --regexp "^Di Dale\|.*\|crm-9$"
	assert_line --index 2 --regexp "^Bob Baker\|.*\|appt:appointment:1$"
	run -0 export_cells clients
	assert_line --index 1 --regexp "^Ann Archer\|.*\|appt:client:1$"
	assert_line --index 4 --regexp "^Di Dale\|.*\|old-77$"
}

@test "a stand-in external id that another record holds gets the creation time" {
	# As after importing another appt's export: client 4 came in as that
	# database's client 2, and this database has a client 2 of its own.
	appt client add -q --name "Di Dale" --phone "+15550004" --external-id "appt:client:2" >/dev/null
	run -0 export_cells clients
	assert_line --index 2 --regexp "^Bob Baker\|.*\|appt:client:2\.[0-9]+$"
	assert_line --index 4 --regexp "^Di Dale\|.*\|appt:client:2$"
	run -0 bash -c "appt export clients | cut -d, -f7 | sort | uniq -d"
	assert_output ""
}

@test "clients: import's columns, notes joined by newlines" {
	appt client note Ann "allergic to latex" >/dev/null
	appt client note Ann "prefers mornings, no perfume" >/dev/null
	run -0 --separate-stderr appt export clients
	assert_equal "$stderr" ""
	strip_cr
	assert_line --index 0 "$CLIENT_HEADER"
	run -0 export_cells clients
	assert_line --index 1 "Ann Archer|'+15550001|ann@example.com|sms|allergic to latex\\nprefers mornings, no perfume||appt:client:1"
	assert_line --index 3 "Cy Cole|'+15550003||call|||appt:client:3"
}

@test "formula cells are neutralised unless --raw" {
	appt client add -q --name '=HYPERLINK("http://x")' --phone "+1 555" >/dev/null
	run -0 appt export clients
	strip_cr
	assert_line --index 4 "\"'=HYPERLINK(\"\"http://x\"\")\",\"'+1 555\",,sms,,,appt:client:4"
	run -0 appt export clients --raw
	strip_cr
	assert_line --index 4 "\"=HYPERLINK(\"\"http://x\"\")\",+1 555,,sms,,,appt:client:4"
	# JSON is not a spreadsheet: never neutralised.
	run -0 bash -c "appt export clients --format json | python3 -c 'import json,sys; r=json.load(sys.stdin)[3]; print(r[\"name\"], r[\"phone\"])'"
	assert_output '=HYPERLINK("http://x") +1 555'
}

@test "--redact masks phone numbers and e-mail addresses everywhere" {
	book Ann "2027-03-02 10:00"
	appt client edit Bob --email bob.b@example.org >/dev/null
	for what in appointments clients events messages; do
		run -0 appt export "$what" --redact --format json
		refute_output --partial "ann@example.com"
		refute_output --partial "bob.b@example.org"
		refute_output --partial "15550001"
		run -0 appt export "$what" --redact
		refute_output --partial "ann@example.com"
		refute_output --partial "15550001"
	done
	run -0 appt export clients --redact
	strip_cr
	assert_line --index 1 "Ann Archer,*******01,a***@example.com,sms,,,appt:client:1"
	run -0 bash -c "appt export events --redact --format json | python3 -c '
import json, sys
ev = [e for e in json.load(sys.stdin) if e[\"entity\"] == \"client\" and e[\"action\"] == \"edit\"][0]
print(ev[\"before\"][\"email\"], ev[\"after\"][\"email\"], ev[\"after\"][\"phone\"])'"
	assert_output "b***@example.com b***@example.org *******02"
}

@test "JSON: an array of objects with numbers, booleans and nested snapshots" {
	book Ann "2027-03-02 10:00"
	run -0 bash -c "appt export events --format json | python3 -c '
import json, sys
rows = json.load(sys.stdin)
book = [r for r in rows if r[\"action\"] == \"book\"][0]
print(type(book[\"id\"]).__name__, book[\"forced\"], book[\"before\"], book[\"after\"][\"service\"], book[\"at\"])'"
	assert_output "int False None consult 2027-03-01T08:00:00-07:00"
	run -0 bash -c "appt export appointments --format json --all-columns | python3 -c '
import json, sys
a = json.load(sys.stdin)[0]
print(list(a)[:10], a[\"id\"], a[\"late_cancel\"], a[\"resource\"], a[\"start\"])'"
	assert_output "['client', 'phone', 'email', 'service', 'provider', 'start', 'end', 'status', 'notes', 'external_id'] 1 False None 2027-03-02T10:00:00-07:00"
}

@test "an empty export is the header alone, or an empty array" {
	run -0 appt export charges
	strip_cr
	assert_output "id,at,kind,amount,appointment_id,client_id,client,actor,voided,voided_by,void_reason"
	run -0 bash -c "appt export charges --format json | python3 -c 'import json,sys; print(json.load(sys.stdin))'"
	assert_output "[]"
}

@test "--all-columns appends the audit columns after import's" {
	book Ann "2027-03-02 10:00" peel
	run -0 appt export appointments --all-columns
	strip_cr
	assert_line --index 0 "$APPOINTMENT_HEADER,id,client_id,resource,local_start,zone,via,confirmed_at,confirmed_via,reschedules,late_cancel,cancel_reason,cancelled_by,created,updated"
	assert_line --index 1 --partial ",appt:appointment:1,1,1,room-1,2027-03-02 10:00,America/Denver,"
	run -0 appt export clients --all-columns
	strip_cr
	assert_line --index 0 "$CLIENT_HEADER,id,blocked,blocked_reason,program_ended,created,updated"
}

@test "charges: the fee in currency units" {
	book Ann "2027-03-01 13:00"
	appt cancel 1 >/dev/null
	run -0 appt export charges
	strip_cr
	assert_line --index 1 "1,2027-03-01T08:00:00-07:00,late-cancel,25.00,1,1,Ann Archer,desk,,,"
}

@test "--from and --to select days: appointments by start, the rest by when made" {
	book Ann "2027-03-02 10:00"
	book Bob "2027-03-03 10:00"
	book Cy "2027-03-04 10:00"
	run -0 bash -c "appt export appointments --from 2027-03-03 --to 2027-03-03 | tail -n +2 | cut -d, -f1"
	assert_output "Bob Baker"
	run -0 bash -c "appt export appointments --from 2027-03-03 | tail -n +2 | wc -l"
	assert_output 2
	run -0 bash -c "appt export appointments --to 2027-03-02 | tail -n +2 | wc -l"
	assert_output 1
	APPT_NOW=2027-03-02T08:00 appt client add -q --name "Later Client" >/dev/null
	run -0 bash -c "appt export clients --from 2027-03-02 --format json | python3 -c 'import json,sys; print([c[\"name\"] for c in json.load(sys.stdin)])'"
	assert_output "['Later Client']"
	run -0 bash -c "appt export events --to 2027-03-01 | tail -n +2 | wc -l"
	assert_output 6
	run -65 appt export appointments --from 2027-03-04 --to 2027-03-03
	assert_output --partial "before --from"
}

@test "--provider keeps one provider's appointments" {
	book Ann "2027-03-02 10:00" consult kim
	book Bob "2027-03-02 10:00" consult lee
	run -0 bash -c "appt export appointments --provider lee | tail -n +2 | cut -d, -f1"
	assert_output "Bob Baker"
	run -2 appt export appointments --provider nobody
	assert_output "appt export: no provider 'nobody'"
	run -64 appt export clients --provider kim
	assert_line --index 0 "appt export: --provider is for appointments, not clients"
}

@test "usage errors: no dataset, an unknown one, a bad format, ics for clients" {
	run -64 appt export
	run -64 appt export receipts
	assert_line --index 0 --partial "unknown export 'receipts'"
	run -65 appt export clients --format xml
	run -64 appt export clients --format ics
	assert_line --index 0 "appt export: --format ics is for appointments, not clients"
	run -64 appt export appointments --format ics --all-columns
	run -0 appt export --help
	assert_line --index 0 --partial "usage: appt export"
}

@test "a failed write to standard output is exit 74" {
	[ -w /dev/full ] || skip "no /dev/full"
	run -74 --separate-stderr bash -c "appt export events >/dev/full"
	assert_equal "$stderr" "appt export: cannot write output: No space left on device"
}

@test "ics: a calendar a real parser reads, with stable UIDs and escaped text" {
	PY=$(python_with icalendar) || skip "python3-icalendar is not installed"
	appt client add -q --name "Lopez, Maria" --phone "+15550009" >/dev/null
	book "Lopez, Maria" "2027-03-02 10:00" peel kim --note "$(printf 'Line one, with a comma; a semicolon \\ a backslash\nLine two: ünïcödé — and a long tail that must be folded ✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓')"
	book Ann "2027-03-03 09:00" consult lee
	appt cancel 2 --reason "sick" >/dev/null
	appt export appointments --format ics >"$BATS_TEST_TMPDIR/cal.ics"
	run -0 "$PY" - "$BATS_TEST_TMPDIR/cal.ics" <<'EOF'
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
print(cal["VERSION"], cal["X-WR-CALNAME"], cal["X-WR-TIMEZONE"])
for ev in cal.walk("VEVENT"):
    print(ev["UID"], ev["STATUS"], ev["SEQUENCE"], ev.decoded("DTSTART").isoformat(),
          ev.decoded("DTEND").isoformat(), ev["SUMMARY"], ev.get("LOCATION", "-"))
    print(repr(str(ev["DESCRIPTION"])))
EOF
	assert_line --index 0 "2.0 Test Clinic America/Denver"
	assert_line --index 1 "appt-1@test-clinic TENTATIVE 0 2027-03-02T17:00:00+00:00 2027-03-02T17:45:00+00:00 Acne Peel — Lopez, Maria room-1"
	assert_line --index 2 "'Provider: Kim Kowalski\\nStatus: booked\\nNote: Line one, with a comma; a semicolon \\\\ a backslash\\nLine two: ünïcödé — and a long tail that must be folded ✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓'"
	assert_line --index 3 "appt-2@test-clinic CANCELLED 1 2027-03-03T16:00:00+00:00 2027-03-03T16:30:00+00:00 Consultation — Ann Archer -"
	# Escaped and folded as RFC 5545 says, every line CRLF and at most 75 octets.
	run -0 grep -c "SUMMARY:Acne Peel — Lopez\\\\, Maria"$'\r' "$BATS_TEST_TMPDIR/cal.ics"
	run -0 grep -c '^ ' "$BATS_TEST_TMPDIR/cal.ics"
	run -0 bash -c "LC_ALL=C awk '!/\r\$/ || length(\$0) > 76' '$BATS_TEST_TMPDIR/cal.ics'"
	assert_output ""
	# No UTF-8 character is split by a fold.
	run -0 python3 -c "
import sys
data = open(sys.argv[1], 'rb').read()
for line in data.split(b'\r\n'):
    line.decode('utf-8')
print('ok')" "$BATS_TEST_TMPDIR/cal.ics"
	assert_output "ok"
	# The UIDs do not change between runs.
	run -0 bash -c "appt export appointments --format ics | cmp - '$BATS_TEST_TMPDIR/cal.ics'"
}

@test "ics: one provider's calendar" {
	PY=$(python_with icalendar) || skip "python3-icalendar is not installed"
	book Ann "2027-03-02 10:00" consult kim
	book Bob "2027-03-02 10:00" consult lee
	appt export appointments --format ics --provider lee >"$BATS_TEST_TMPDIR/lee.ics"
	run -0 "$PY" -c '
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
print(cal["X-WR-CALNAME"], [str(e["UID"]) for e in cal.walk("VEVENT")])' "$BATS_TEST_TMPDIR/lee.ics"
	assert_output "Test Clinic — Lee Lam ['appt-2@test-clinic']"
}

@test "a few thousand rows stream out in every format" {
	# Generated straight into the table: booking them one by one is slow.
	db "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
	    INSERT INTO appointments (client_id, service, provider, start_at, end_at,
	      busy_from, busy_to, local_start, zone, status, created_at, updated_at, placed_at)
	    SELECT 1 + i % 3, 'consult', 'kim', 1803398400 + i * 1800, 1803398400 + i * 1800 + 1800,
	      1803398400 + i * 1800, 1803398400 + i * 1800 + 1800, 'x', 'America/Denver',
	      'booked', 1803398400, 1803398400, 1803398400 FROM n"
	run -0 bash -c "appt export appointments | tail -n +2 | wc -l"
	assert_output 3000
	run -0 bash -c "appt export appointments --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'"
	assert_output 3000
	run -0 bash -c "appt export appointments --format ics | grep -c '^BEGIN:VEVENT'"
	assert_output 3000
}

@test "export, import into a fresh database, export: the same files" {
	[ -x "$APPT_BUILD/bin/appt-import" ] || skip "appt import is not built"
	appt client note Ann "allergic to latex" >/dev/null
	appt client add -q --name "Di Dale" --email di@example.com --external-id crm-4 >/dev/null
	book Ann "2027-03-02 10:00" peel kim --note "first visit, bring forms"
	book "Di Dale" "2027-03-02 11:00" consult lee
	appt cancel 2 --reason "moved away" >/dev/null
	appt export clients >"$BATS_TEST_TMPDIR/clients1.csv"
	appt export appointments >"$BATS_TEST_TMPDIR/appointments1.csv"
	export APPT_DB="$BATS_TEST_TMPDIR/fresh.db"
	appt init >/dev/null
	run -0 appt import clients "$BATS_TEST_TMPDIR/clients1.csv"
	run -0 appt import appointments "$BATS_TEST_TMPDIR/appointments1.csv"
	# Neutralised cells ('+1555...) go back in as they were.
	run -0 bash -c "appt export clients | cmp - '$BATS_TEST_TMPDIR/clients1.csv'"
	run -0 bash -c "appt export appointments | cmp - '$BATS_TEST_TMPDIR/appointments1.csv'"
	# Importing the same files again adds nothing.
	run -0 appt import clients "$BATS_TEST_TMPDIR/clients1.csv"
	run -0 appt import appointments "$BATS_TEST_TMPDIR/appointments1.csv"
	run -0 bash -c "appt export appointments | cmp - '$BATS_TEST_TMPDIR/appointments1.csv'"
	run -0 bash -c "appt export clients | cmp - '$BATS_TEST_TMPDIR/clients1.csv'"
}

@test "contacts: the contact log with seed 004's note, in CSV and JSON" {
	APPT_NOW=2027-03-01T09:00 appt log --client Ann --via call --outcome voicemail "left a message" >/dev/null
	APPT_NOW=2027-03-01T10:00 appt log --client Ann --via sms --inbound "client texted back" >/dev/null
	run -0 appt export contacts
	assert_line --index 0 $'id,at,client_id,client,appointment_id,task,via,outcome,inbound,program,attempt,last_service,text,actor\r'
	assert_line --index 1 --partial ",Ann Archer,,,call,voicemail,0,,,,left a message,desk"
	assert_line --index 2 --partial ",Ann Archer,,,sms,,1,,,,client texted back,desk"
	run -0 appt export contacts --format json
	run -0 python3 -c 'import json,sys; r=json.load(sys.stdin); print(len(r), r[1]["inbound"], r[0]["via"])' <<<"$output"
	assert_output "2 True call"
}
