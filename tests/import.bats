#!/usr/bin/env bats
# appt import: clients and appointments from CSV, all or nothing — the
# summary, re-runs that add nothing, --map / --ignore-unknown / --dry-run /
# --allow-overlap, and every malformed file refused with FILE:LINE and the
# database left exactly as it was.
# The fixture clinic: Monday 2027-03-01 08:00 now; kim works 09-12, 13-17;
# lee mornings only; one treatment room; peel 45m + 15m buffer in the room.

load test_helper

setup() {
	common_setup
	init_db
	cd "$BATS_TEST_TMPDIR"
}

snapshot_db() {
	dump_db
}

count() {
	db "SELECT count(*) FROM $1"
}

APPT_HEADER="client,phone,email,service,provider,start,end,status,notes,external_id"

# Writes an appointments file: the header, then one row per argument.
appointments_csv() {
	local file=$1
	shift
	printf '%s\n' "$APPT_HEADER" "$@" >"$file"
}

# Runs an import that must be refused with exit 65: the first error names
# FILE:LINE, and the database is byte for byte what it was.
assert_refused() {
	local where=$1 why=$2
	shift 2
	local before
	before=$(snapshot_db)
	run -65 --separate-stderr appt import "$@"
	assert_equal "$output" ""
	[[ "$stderr" == *"appt import: $where: "*"$why"* ]] || {
		echo "stderr: $stderr"
		return 1
	}
	[[ "$stderr" == *"nothing was imported"* ]]
	assert_equal "$(snapshot_db)" "$before"
}

# ---- clients ----

@test "clients are added with their notes, and the same file again adds nothing" {
	cat >clients.csv <<'EOF'
name,phone,email,channel,notes,program,external_id
Dee Dunn,+15550004,dee@example.com,email,"allergic to latex
prefers mornings",,X-4
Eve Eng,+15550005,,,,,X-5
EOF
	run -0 --separate-stderr appt import clients clients.csv
	assert_output "added 2, updated 0, unchanged 0"
	assert_equal "$stderr" ""
	run db "SELECT name, phone, email, channel, external_id FROM clients WHERE id > 3 ORDER BY id"
	assert_output "Dee Dunn|+15550004|dee@example.com|email|X-4
Eve Eng|+15550005||sms|X-5"
	run db "SELECT text FROM client_notes"
	assert_output "allergic to latex
prefers mornings"
	run db "SELECT count(*) FROM events WHERE entity = 'client' AND action = 'add'"
	assert_output "5"
	run -0 appt import clients clients.csv
	assert_output "added 0, updated 0, unchanged 2"
	run count client_notes
	assert_output "1"
}

@test "clients are found by external_id, else e-mail or phone with the name; a changed cell updates, an empty one keeps" {
	cat >clients.csv <<'EOF'
name,phone,email,channel,external_id
Ann Archer,+15550001,ANN@example.com,,
Bob Baker,+15559999,bob@example.com,,
cy cole,+15550003,,,
Bob's Son,,bob@example.com,email,
EOF
	run -0 appt import clients clients.csv --allow-duplicate
	# Ann: the e-mail matches whatever its case; Bob: a new phone; Cy: the
	# name's case; a family member sharing Bob's address is a new client
	# (--allow-duplicate: a new client may share an address).
	assert_output "added 1, updated 2, unchanged 1"
	run db "SELECT id, name, phone, email FROM clients ORDER BY id"
	assert_output "1|Ann Archer|+15550001|ann@example.com
2|Bob Baker|+15559999|bob@example.com
3|cy cole|+15550003|
4|Bob's Son||bob@example.com"
	run db "SELECT json_extract(before, '$.phone'), json_extract(after, '$.phone') FROM events WHERE entity = 'client' AND entity_id = 2 AND action = 'edit'"
	assert_output "+15550002|+15559999"
}

@test "phones match however the file types them; a new client with another's phone or e-mail is refused" {
	sed -i 's/^business:$/business:\n  country_code: "1"/' "$APPT_CONFIG"
	appt client add -q --name "Dee Dunn" --phone "+1 303 555 0101" >/dev/null
	cat >clients.csv <<'EOF'
name,phone,email
Dee Dunn,(303) 555-0101,
Dee Dunn,1-303-555-0101,dee@example.com
EOF
	# Both rows are Dee: the second adds her e-mail and keeps her phone as typed.
	run -0 appt import clients clients.csv
	assert_output "added 0, updated 1, unchanged 1"
	assert_equal "$(db "SELECT phone, email FROM clients WHERE id = 4")" "+1 303 555 0101|dee@example.com"
	run -0 appt import clients clients.csv
	assert_output "added 0, updated 0, unchanged 2"
	cat >family.csv <<'EOF'
name,phone,email
Dan Dunn,303.555.0101,
Ann's Mother,,ANN@example.com
EOF
	assert_refused "family.csv:2" "phone number '303.555.0101' already belongs to client #4 Dee Dunn; --allow-duplicate lets two clients share it" clients family.csv
	[[ "$stderr" == *"family.csv:3: e-mail address 'ANN@example.com' already belongs to client #1 Ann Archer"* ]]
	run -0 appt import clients family.csv --allow-duplicate
	assert_output "added 2, updated 0, unchanged 0"
	assert_equal "$(db "SELECT phone_key FROM clients WHERE name = 'Dan Dunn'")" "+13035550101"
}

@test "an appointment row finds its client by phone however typed; a new one may not take another's phone" {
	sed -i 's/^business:$/business:\n  country_code: "1"/' "$APPT_CONFIG"
	appt client add -q --name "Dee Dunn" --phone "+1 303 555 0101" >/dev/null
	appointments_csv appts.csv "Dee Dunn,303-555-0101,,consult,kim,2026-10-05 10:00,,done,,"
	run -0 appt import appointments appts.csv
	assert_output "added 1, updated 0, unchanged 0"
	assert_equal "$(db 'SELECT client_id FROM appointments')" "4"
	appointments_csv other.csv "D. Dunn,3035550101,,consult,kim,2026-10-06 10:00,,done,,"
	assert_refused "other.csv:2" "phone number '3035550101' already belongs to client #4 Dee Dunn" appointments other.csv
	run -0 appt import appointments other.csv --allow-duplicate
	assert_output "added 1, updated 0, unchanged 0; new clients 1"
}

@test "a client import checks every value: e-mail, channel, program, a missing name" {
	cat >clients.csv <<'EOF'
name,phone,email,channel,program
Dee Dunn,,not-an-address,,
Eve Eng,+15550005,,fax,
Fay Fox,+15550006,,,acne
,+15550007,,,
EOF
	assert_refused "clients.csv:2" "invalid e-mail address 'not-an-address'" clients clients.csv
	[[ "$stderr" == *"clients.csv:3: invalid channel 'fax'"* ]]
	[[ "$stderr" == *"clients.csv:4: unknown program 'acne'"* ]]
	[[ "$stderr" == *"clients.csv:5: name is empty: a new client needs one"* ]]
	[[ "$stderr" == *"4 errors; nothing was imported"* ]]
}

# ---- appointments ----

@test "past appointments import in any state, later ones are booked; the client is created when unknown" {
	appointments_csv appts.csv \
		"Ann Archer,+15550001,ann@example.com,consult,kim,2026-11-02 10:00,,done,,OLD-1" \
		"Ann Archer,+15550001,ann@example.com,peel,kim,2026-11-09T10:00:00-07:00,,no-show,,OLD-2" \
		"Bob Baker,,bob@example.com,consult,lee,2026-12-01 09:00,2026-12-01 09:45,cancelled,called in sick,OLD-3" \
		"Bob Baker,,bob@example.com,consult,lee,2026-12-08 09:00,,in-progress,,OLD-4" \
		"Gil Gray,+15550008,,peel,kim,2027-03-02T17:00:00Z,,booked,first visit,NEW-1"
	run -0 --separate-stderr appt import appointments appts.csv
	assert_output "added 5, updated 0, unchanged 0; new clients 1"
	run db "SELECT a.external_id, c.name, a.service, a.provider, a.resource, a.local_start, a.end_at - a.start_at, a.status, a.note FROM appointments a JOIN clients c ON c.id = a.client_id ORDER BY a.id"
	assert_output "OLD-1|Ann Archer|consult|kim||2026-11-02 10:00|1800|done|
OLD-2|Ann Archer|peel|kim||2026-11-09 10:00|2700|no-show|
OLD-3|Bob Baker|consult|lee||2026-12-01 09:00|2700|cancelled|called in sick
OLD-4|Bob Baker|consult|lee||2026-12-08 09:00|1800|in-progress|
NEW-1|Gil Gray|peel|kim|room-1|2027-03-02 10:00|2700|booked|first visit"
	run db "SELECT name, phone, channel FROM clients WHERE id = 4"
	assert_output "Gil Gray|+15550008|sms"
	run db "SELECT count(*) FROM events WHERE entity = 'appointment' AND action = 'import' AND actor = 'desk'"
	assert_output "5"
	run -0 appt import appointments appts.csv
	assert_output "added 0, updated 0, unchanged 5"
	run count appointments
	assert_output "5"
}

@test "a changed status or time updates the appointment in place, with before and after in the audit log" {
	appointments_csv appts.csv \
		"Ann Archer,,ann@example.com,consult,kim,2027-03-02 09:00,,booked,,E-1" \
		"Bob Baker,,bob@example.com,consult,kim,2027-03-02 10:00,,booked,,E-2"
	appt import appointments appts.csv >/dev/null
	appointments_csv appts.csv \
		"Ann Archer,,ann@example.com,consult,kim,2027-03-02 09:00,,cancelled,,E-1" \
		"Bob Baker,,bob@example.com,consult,kim,2027-03-02 09:00,,booked,,E-2"
	run -0 appt import appointments appts.csv
	# Ann's cancellation frees 09:00 for Bob, in the same file.
	assert_output "added 0, updated 2, unchanged 0"
	run db "SELECT id, status, local_start FROM appointments ORDER BY id"
	assert_output "1|cancelled|2027-03-02 09:00
2|booked|2027-03-02 09:00"
	run db "SELECT json_extract(before, '$.start'), json_extract(after, '$.start') FROM events WHERE entity_id = 2 AND action = 'import' AND before IS NOT NULL"
	assert_output "2027-03-02 10:00|2027-03-02 09:00"
}

@test "without external_id an appointment is recognised by client, provider and start" {
	appointments_csv appts.csv \
		"Ann Archer,+15550001,,consult,kim,2026-10-05 10:00,,done,," \
		"Cy Cole,+15550003,,consult,kim,2027-03-03 10:00,,booked,,"
	run -0 appt import appointments appts.csv
	assert_output "added 2, updated 0, unchanged 0"
	run -0 appt import appointments appts.csv
	assert_output "added 0, updated 0, unchanged 2"
}

@test "empty cells keep what is stored: status, end and notes" {
	appointments_csv appts.csv \
		"Ann Archer,,ann@example.com,consult,kim,2026-10-05 10:00,2026-10-05 11:00,no-show,late again,E-1"
	appt import appointments appts.csv >/dev/null
	appointments_csv appts.csv "Ann Archer,,ann@example.com,consult,kim,2026-10-05 10:00,,,,E-1"
	run -0 appt import appointments appts.csv
	assert_output "added 0, updated 0, unchanged 1"
	run db "SELECT status, end_at - start_at, note FROM appointments"
	assert_output "no-show|3600|late again"
}

@test "a file neutralised by export (a quote before +, -, =, @) imports as the values themselves" {
	printf '%s\n' "$APPT_HEADER" \
		"Hal Hart,\"'+15550010\",,consult,kim,2026-10-05 10:00,,done,\"'=not a formula\"," >appts.csv
	run -0 appt import appointments appts.csv
	run db "SELECT c.phone, a.note FROM appointments a JOIN clients c ON c.id = a.client_id"
	assert_output "+15550010|=not a formula"
}

@test "a file with a byte order mark, CRLF line ends and a note over several lines" {
	printf '\xef\xbb\xbf%s\r\n%s\r\n%s\r\n' "$APPT_HEADER" \
		'Ann Archer,,ann@example.com,consult,kim,2026-10-05 10:00,,done,"line one' \
		'line two",' >appts.csv
	printf '%s\r\n' 'Bob Baker,,bob@example.com,consult,kim,2026-10-05 25:00,,done,,' >>appts.csv
	run -65 --separate-stderr appt import appointments appts.csv
	# The second record starts on physical line 4, after the two-line note.
	[[ "$stderr" == *"appts.csv:4: "* ]]
	sed -i '$d' appts.csv
	run -0 appt import appointments appts.csv
	assert_output "added 1, updated 0, unchanged 0"
	# The line break inside the quotes is part of the value, CR and all.
	run db "SELECT note = 'line one' || '"$'\r\n'"' || 'line two' FROM appointments"
	assert_output "1"
}

# ---- malformed files: 65, the line, nothing written ----

@test "malformed: an unterminated quote names the line it opened on" {
	appointments_csv appts.csv \
		"Ann Archer,,ann@example.com,consult,kim,2026-10-05 10:00,,done,,A" \
		"Bob Baker,,bob@example.com,consult,kim,2026-10-05 11:00,,done,\"never closed,B" \
		"Cy Cole,+15550003,,consult,kim,2026-10-05 12:00,,done,,C"
	assert_refused "appts.csv:3" "a quoted field is never closed" appointments appts.csv
}

@test "malformed: a quote left open early in a long file stops the reading at 4 MiB" {
	{
		printf '%s\n' "$APPT_HEADER"
		printf '%s\n' 'Ann Archer,,ann@example.com,consult,kim,2026-10-05 10:00,,done,"oops,A'
		yes 'Bob Baker,,bob@example.com,consult,kim,2026-10-05 11:00,,done,,B' | head -100000
	} >appts.csv
	assert_refused "appts.csv:2" "a record longer than 4 MiB (a quote left open?)" appointments appts.csv
}

@test "malformed: a stray quote inside a field" {
	appointments_csv appts.csv \
		"Ann Archer,,ann@example.com,consult,kim,2026-10-05 10:00,,done,,A" \
		"Bob \"B\" Baker,,bob@example.com,consult,kim,2026-10-05 11:00,,done,,B"
	assert_refused "appts.csv:3" "malformed CSV" appointments appts.csv
}

@test "malformed: a wrong field count" {
	appointments_csv appts.csv \
		"Ann Archer,,ann@example.com,consult,kim,2026-10-05 10:00,,done,,A" \
		"Ann Archer,,ann@example.com,consult,kim,2026-10-06 10:00,,done,,B" \
		"Bob Baker,,bob@example.com,consult,kim,2026-10-05 11:00,,done,B"
	assert_refused "appts.csv:4" "expected 10 fields as in the header, found 9" appointments appts.csv
}

# Each case: a row, then "|" and the error it must give.
BAD_VALUES=(
	"Ann Archer,,ann@example.com,consult,kim,05/10/2026 10:00,,done,,B|invalid start '05/10/2026 10:00' (expected YYYY-MM-DD HH:MM"
	"Ann Archer,,ann@example.com,consult,kim,2026-02-30 10:00,,done,,C|invalid start '2026-02-30 10:00'"
	"Ann Archer,,ann@example.com,consult,kim,tomorrow 10:00,,done,,D|invalid start 'tomorrow 10:00'"
	"Ann Archer,,ann@example.com,consult,kim,2027-03-14 02:30,,booked,,E|daylight saving gap"
	"Ann Archer,,ann@example.com,consult,kim,2026-10-05 10:00,2026-10-05 09:00,done,,F|end 2026-10-05 09:00 is not after start 2026-10-05 10:00"
	"Ann Archer,,ann@example.com,massage,kim,2026-10-05 10:00,,done,,G|unknown service 'massage' (services: consult, peel, facial, class)"
	"Ann Archer,,ann@example.com,consult,pat,2026-10-06 10:00,,done,,H|unknown provider 'pat' (providers: kim, lee)"
	"Ann Archer,,ann@example.com,facial,lee,2026-10-07 10:00,,done,,I|lee does not offer facial"
	"Ann Archer,,ann@example.com,consult,kim,2026-10-08 10:00,,finished,,J|unknown status 'finished'"
	"Ann Archer,,ann@example.com,consult,kim,2027-03-02 10:00,,done,,K|status done is for past appointments"
	",+15550099,,consult,kim,2026-10-05 10:00,,done,,L|no client has this phone; a client cell (the name) is needed to add one"
)

@test "malformed values: a bad or impossible date, an unknown service, provider or status, each on its line" {
	local rows=("Ann Archer,,ann@example.com,consult,kim,2026-10-05 10:00,,done,,A") c
	for c in "${BAD_VALUES[@]}"; do
		rows+=("${c%%|*}")
	done
	appointments_csv appts.csv "${rows[@]}"
	assert_refused "appts.csv:3" "${BAD_VALUES[0]#*|}" appointments appts.csv
	for i in "${!BAD_VALUES[@]}"; do
		[[ "$stderr" == *"appts.csv:$((i + 3)): "*"${BAD_VALUES[i]#*|}"* ]] || {
			echo "line $((i + 3)): expected ${BAD_VALUES[i]#*|}"
			return 1
		}
	done
}

@test "malformed: a later appointment overlapping a booking, and one overlapping an earlier line" {
	appt book -q --client Ann --service consult --provider kim --at "2027-03-02 10:00" >/dev/null
	appointments_csv appts.csv \
		"Bob Baker,,bob@example.com,consult,kim,2027-03-02 10:15,,booked,,A"
	assert_refused "appts.csv:2" "slot taken: Kim Kowalski already has appointment #1 at that time" appointments appts.csv
	[[ "$stderr" == *"--allow-overlap imports it anyway"* ]]
	appointments_csv appts.csv \
		"Bob Baker,,bob@example.com,peel,kim,2027-03-03 10:00,,booked,,A" \
		"Cy Cole,+15550003,,peel,lee,2027-03-03 10:30,,booked,,B"
	assert_refused "appts.csv:3" "no treatment-room is free at that time" appointments appts.csv
}

@test "malformed: outside hours, on a closure, and the client elsewhere at that time" {
	appointments_csv appts.csv \
		"Ann Archer,,ann@example.com,consult,lee,2027-03-02 14:00,,booked,,A" \
		"Ann Archer,,ann@example.com,consult,kim,2027-03-05 10:00,,booked,,B" \
		"Bob Baker,,bob@example.com,consult,kim,2027-03-03 10:00,,booked,,C" \
		"Bob Baker,,bob@example.com,consult,lee,2027-03-03 10:00,,booked,,D"
	assert_refused "appts.csv:2" "outside Lee Lam's hours on 2027-03-02" appointments appts.csv
	[[ "$stderr" == *"appts.csv:3: closed on 2027-03-05 (staff training)"* ]]
	[[ "$stderr" == *"appts.csv:5: the client already has appointment #"*" at that time"* ]]
}

@test "a later appointment is checked with the end it will be stored with: past closing, across lunch, into a booking" {
	appt book -q --client Ann --service consult --provider kim --at "2027-03-03 15:00" >/dev/null
	appointments_csv appts.csv \
		"Bob Baker,,bob@example.com,consult,kim,2027-03-02 16:30,2027-03-02 17:30,booked,,A" \
		"Bob Baker,,bob@example.com,consult,kim,2027-03-02 11:30,2027-03-02 13:30,booked,,B" \
		"Cy Cole,+15550003,,consult,kim,2027-03-03 14:00,2027-03-03 15:30,booked,,C"
	assert_refused "appts.csv:2" "outside Kim Kowalski's hours on 2027-03-02 (09:00-12:00, 13:00-17:00)" appointments appts.csv
	[[ "$stderr" == *"appts.csv:3: outside Kim Kowalski's hours on 2027-03-02"* ]]
	[[ "$stderr" == *"appts.csv:4: slot taken: Kim Kowalski already has appointment #1 at that time"* ]]
	[[ "$stderr" == *"3 errors; nothing was imported"* ]]
	# The same rows within the hours go in, with the ends they gave.
	appointments_csv appts.csv \
		"Bob Baker,,bob@example.com,consult,kim,2027-03-02 16:00,2027-03-02 17:00,booked,,A" \
		"Cy Cole,+15550003,,consult,kim,2027-03-03 13:00,2027-03-03 15:00,booked,,C"
	run -0 appt import appointments appts.csv
	run db "SELECT external_id, end_at - start_at, busy_to - busy_from FROM appointments
		WHERE external_id IS NOT NULL ORDER BY id"
	assert_output $'A|3600|3600\nC|7200|7200'
}

@test "an end after the day it starts is refused, for history too: nothing runs to 9999" {
	appointments_csv appts.csv \
		"Ann Archer,,ann@example.com,consult,kim,2027-03-02 10:00,9999-12-31 10:00,booked,,A" \
		"Ann Archer,,ann@example.com,consult,kim,2026-10-05 10:00,2026-10-07 10:00,done,,B" \
		"Bob Baker,,bob@example.com,consult,kim,2026-10-05 16:00,2026-10-06 00:30,done,,C" \
		"Bob Baker,,bob@example.com,consult,kim,2027-03-02 11:00,2027-03-02 10:00,booked,,D"
	assert_refused "appts.csv:2" "end 9999-12-31 10:00 is not on the day of start 2027-03-02 10:00: an appointment ends by midnight" \
		appointments appts.csv
	[[ "$stderr" == *"appts.csv:3: end 2026-10-07 10:00 is not on the day of start 2026-10-05 10:00"* ]]
	[[ "$stderr" == *"appts.csv:4: end 2026-10-06 00:30 is not on the day of start 2026-10-05 16:00"* ]]
	[[ "$stderr" == *"appts.csv:5: end 2027-03-02 10:00 is not after start 2027-03-02 11:00"* ]]
	# --allow-overlap lifts the calendar, never the bound on the end.
	assert_refused "appts.csv:2" "an appointment ends by midnight" appointments appts.csv --allow-overlap
	# History that ran past closing is history: it goes in as it was.
	appointments_csv appts.csv \
		"Bob Baker,,bob@example.com,consult,kim,2026-10-05 16:30,2026-10-05 23:59,done,,C"
	run -0 appt import appointments appts.csv
	# ... and the provider stays bookable the day after.
	run -0 appt book -q --client Ann --service consult --provider kim --at "2027-03-02 10:00"
}

@test "malformed: invalid UTF-8, in the header and in a record" {
	printf '%s\n' "$APPT_HEADER" \
		"Ann Archer,,ann@example.com,consult,kim,2026-10-05 10:00,,done,,A" \
		$'Ann Archer,,ann@example.com,consult,kim,2026-10-06 10:00,,done,caf\xe9,B' >appts.csv
	assert_refused "appts.csv:3" "field 9 (notes) is not valid UTF-8 text" appointments appts.csv
	printf 'client,phone,\xffemail,service,start\n' >bad-header.csv
	assert_refused "bad-header.csv:1" "is not valid UTF-8 text" appointments bad-header.csv
}

@test "more than 20 bad lines: the first 20, then how many more" {
	local rows=() i
	for i in $(seq 1 25); do
		rows+=("Ann Archer,,ann@example.com,massage,kim,2026-10-05 10:00,,done,,X$i")
	done
	appointments_csv appts.csv "${rows[@]}"
	assert_refused "appts.csv:2" "unknown service 'massage'" appointments appts.csv
	[ "$(grep -c "^appt import: appts.csv:" <<<"$stderr")" -eq 20 ]
	[[ "$stderr" == *"appts.csv:21: "* ]]
	[[ "$stderr" != *"appts.csv:22: "* ]]
	[[ "$stderr" == *"appt import: … and 5 more errors"* ]]
	[[ "$stderr" == *"appt import: 25 errors; nothing was imported" ]]
}

@test "an empty file and a file with only a header" {
	: >empty.csv
	assert_refused "empty.csv:1" "no header row" appointments empty.csv
	printf '%s\n' "$APPT_HEADER" >header.csv
	run -0 appt import appointments header.csv
	assert_output "added 0, updated 0, unchanged 0"
}

# ---- columns ----

@test "an unknown column is refused naming the columns; --ignore-unknown skips it" {
	printf '%s\n' "client,email,service,provider,start,Room" \
		"Ann Archer,ann@example.com,consult,kim,2026-10-05 10:00,3" >appts.csv
	assert_refused "appts.csv:1" "unknown column 'Room' (appointments columns: client, phone, email, service, provider, start, end, status, notes, external_id); use --map 'Room=FIELD' or --ignore-unknown" appointments appts.csv
	run -0 appt import appointments --ignore-unknown appts.csv
	assert_output "added 1, updated 0, unchanged 0"
}

@test "--map reads another system's export; header names ignore case and spaces" {
	printf '%s\n' "Patient, Mobile ,Treatment,Clinician,Start Time,Ref" \
		"Ann Archer,+15550001,consult,kim,2026-10-05 10:00,R1" >other.csv
	run -0 appt import appointments other.csv --map "Patient=client" --map "mobile=phone" \
		--map "Treatment=service" --map "Clinician=provider" --map "Start Time=start" \
		--map "Ref=external_id"
	assert_output "added 1, updated 0, unchanged 0"
	run db "SELECT client_id, external_id FROM appointments"
	assert_output "1|R1"
}

@test "--map errors: an unknown field is a usage error, a column not in the file bad data" {
	printf '%s\n' "client,service,start" "Ann Archer,consult,2026-10-05 10:00" >appts.csv
	run -64 --separate-stderr appt import appointments appts.csv --map "start=begin"
	[[ "$stderr" == "appt import: invalid --map 'start=begin': appointments has no field 'begin' (fields: client, phone, email, service, provider, start, end, status, notes, external_id)"* ]]
	run -64 appt import appointments appts.csv --map "nothing"
	assert_refused "appts.csv:1" "--map 'When=start': the header has no column 'When'" appointments appts.csv --map "When=start"
}

@test "columns the kind needs, and two columns for one field" {
	printf '%s\n' "client,service" "Ann Archer,consult" >appts.csv
	assert_refused "appts.csv:1" "no start column: appointments need one" appointments appts.csv
	printf '%s\n' "service,start" "consult,2026-10-05 10:00" >appts.csv
	assert_refused "appts.csv:1" "no client, phone or email column" appointments appts.csv
	printf '%s\n' "name,Name" "Ann,Ann" >clients.csv
	assert_refused "clients.csv:1" "columns 1 and 2 both give name" clients clients.csv
}

@test "no provider cell: the one provider offering the service" {
	printf '%s\n' "client,email,service,start" \
		"Ann Archer,ann@example.com,facial,2026-10-05 10:00" >appts.csv
	run -0 appt import appointments appts.csv
	run db "SELECT provider FROM appointments"
	assert_output "kim"
}

# ---- options ----

@test "--dry-run checks everything, prints what it would have done and writes nothing" {
	appointments_csv appts.csv \
		"Ann Archer,,ann@example.com,consult,kim,2026-10-05 10:00,,done,,A" \
		"Zoe Zed,+15550026,,consult,kim,2027-03-02 10:00,,booked,,B"
	local before
	before=$(snapshot_db)
	run -0 appt import appointments appts.csv --dry-run
	assert_output "would have: added 2, updated 0, unchanged 0; new clients 1"
	assert_equal "$(snapshot_db)" "$before"
	appointments_csv bad.csv "Ann Archer,,ann@example.com,massage,kim,2026-10-05 10:00,,done,,A"
	assert_refused "bad.csv:2" "unknown service" appointments bad.csv --dry-run
}

@test "--allow-overlap imports a later appointment the calendar would refuse" {
	only_on sqlite # PostgreSQL refuses a provider's overlap whatever appt allows: pg.bats
	appt book -q --client Ann --service consult --provider kim --at "2027-03-02 10:00" >/dev/null
	appointments_csv appts.csv \
		"Bob Baker,,bob@example.com,consult,kim,2027-03-02 10:15,,booked,,A" \
		"Bob Baker,,bob@example.com,peel,kim,2027-03-05 10:00,,booked,,B"
	run -0 appt import appointments appts.csv --allow-overlap
	assert_output "added 2, updated 0, unchanged 0"
	run db "SELECT local_start, resource FROM appointments WHERE external_id IS NOT NULL ORDER BY id"
	assert_output "2027-03-02 10:15|
2027-03-05 10:00|room-1"
}

@test "- reads standard input, named <stdin> in errors" {
	appointments_csv appts.csv "Ann Archer,,ann@example.com,consult,kim,2026-10-05 10:00,,done,,A"
	run -0 --separate-stderr appt import appointments - <appts.csv
	assert_output "added 1, updated 0, unchanged 0"
	appointments_csv bad.csv "Ann Archer,,ann@example.com,consult,kim,2026-10-05 10:00,,done,A"
	run -65 --separate-stderr appt import appointments - <bad.csv
	[[ "$stderr" == "appt import: <stdin>:2: expected 10 fields"* ]]
}

@test "no progress bar when standard error is not a terminal" {
	appointments_csv appts.csv "Ann Archer,,ann@example.com,consult,kim,2026-10-05 10:00,,done,,A"
	run -0 --separate-stderr appt import appointments appts.csv
	assert_equal "$stderr" ""
}

@test "usage errors and a file that cannot be opened" {
	run -64 appt import
	run -64 appt import people x.csv
	run -64 appt import clients
	run -64 appt import clients a.csv b.csv
	run -64 appt import clients x.csv --bogus
	run -66 --separate-stderr appt import clients missing.csv
	assert_equal "$stderr" "appt import: cannot open 'missing.csv': No such file or directory"
	mkdir dir.csv
	run -66 --separate-stderr appt import clients dir.csv
	assert_equal "$stderr" "appt import: cannot open 'dir.csv': Is a directory"
	run -0 appt import --help
	assert_output --partial "usage: appt import clients|appointments"
}

# ---- round trip ----

@test "export -> import into a fresh database -> export gives the same file" {
	if [ ! -x "$APPT_BUILD/bin/appt-export" ]; then
		skip "appt-export is not built"
	fi
	appt client note Ann "allergic to latex" >/dev/null
	appt client note Ann "prefers mornings" >/dev/null
	appt book -q --client Ann --service peel --provider kim --at "2027-03-02 10:00" --note "first, \"quoted\"" >/dev/null
	appt book -q --client Bob --service consult --provider lee --at "2027-03-02 10:00" >/dev/null
	appt book -q --client Cy --service class --provider kim --at "2027-03-03 14:00" >/dev/null
	appt book -q --client Bob --service class --provider kim --at "2027-03-03 14:00" >/dev/null
	appt cancel 2 --reason "sick" >/dev/null
	appointments_csv past.csv "Ann Archer,+15550001,ann@example.com,consult,kim,2026-10-05 10:00,,no-show,,OLD-1"
	appt import appointments past.csv >/dev/null
	appt export clients >clients.csv
	appt export appointments >appts.csv

	export APPT_DB="$BATS_TEST_TMPDIR/fresh.db"
	appt init >/dev/null
	run -0 appt import clients clients.csv
	assert_output "added 3, updated 0, unchanged 0"
	run -0 appt import appointments appts.csv
	assert_output "added 5, updated 0, unchanged 0"
	appt export clients >clients2.csv
	appt export appointments >appts2.csv
	run diff clients.csv clients2.csv
	assert_success
	run diff appts.csv appts2.csv
	assert_success
	run -0 appt import appointments appts.csv
	assert_output "added 0, updated 0, unchanged 5"
}
