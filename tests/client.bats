#!/usr/bin/env bats
# appt client: add, list, show, edit, note, block, unblock — output, exit
# codes, what reaches the database and the audit log, and that a refused
# command leaves both untouched.

load test_helper

setup() {
	common_setup
	appt init >/dev/null
	# APPT_NOW (08:00 in America/Denver, UTC-7) as stored in the database.
	NOW_EPOCH=$(date -u -d 2027-03-01T15:00:00Z +%s)
}

# The lock holder of the 75 test, if it is still there.
teardown() {
	if [ -n "${holder:-}" ]; then
		kill "$holder" 2>/dev/null || true
	fi
}

# A configuration with one program, for --program.
add_program() {
	cat >>"$APPT_CONFIG" <<'EOF'

programs:
  acne:
    name: Acne Clearing Program
    interval: 14d
    outreach:
      - day: 7
        channel: call
EOF
}

# Rows of a table, and the whole database as text: to prove nothing changed.
count() {
	db "SELECT count(*) FROM $1"
}

snapshot_db() {
	dump_db
}

# A no-show of client $1 that started $2 days before APPT_NOW.
add_noshow() {
	local start=$((NOW_EPOCH - $2 * 86400))
	db "INSERT INTO appointments (client_id, service, provider, start_at, end_at,
	    busy_from, busy_to, local_start, zone, status, created_at, updated_at)
	    VALUES ($1, 'consult', 'kim', $start, $start + 1800, $start, $start + 1800,
	    'x', 'America/Denver', 'no-show', $start, $start)"
}

# Sets business.country_code in the test config ("1": the US and Canada).
country_code() {
	sed -i "s/^business:\$/business:\n  country_code: \"$1\"/" "$APPT_CONFIG"
}

# Runs a command whose output is CSV, without the CR of each CRLF line end.
csv() {
	set -o pipefail
	"$@" | tr -d '\r'
}

# Parses stdin as JSON and prints the Python expression $1 of it (as `d`).
json() {
	python3 -c 'import json,sys; d = json.load(sys.stdin); print('"$1"')'
}

# ---- add ----------------------------------------------------------------

@test "add prints the new client and stores every field" {
	run -0 --separate-stderr appt client add --name "Ann Archer" --phone "+1 (555) 000-1" \
		--email ann@example.com --channel email --external-id X-1
	assert_output "added client #1 Ann Archer"
	assert_equal "$stderr" ""
	run -0 db "SELECT name, phone, email, channel, external_id, blocked, created_at FROM clients"
	assert_output "Ann Archer|+1 (555) 000-1|ann@example.com|email|X-1|0|$NOW_EPOCH"
}

@test "add -q prints only the id" {
	init_db
	run -0 appt client add -q --name "Dee Dunn" --phone 5550004
	assert_output "4"
}

@test "add logs one event with actor, time and the row after" {
	appt client add --name "Ann Archer" --phone 5550001 >/dev/null
	run -0 db "SELECT at, actor, entity, entity_id, action, before IS NULL FROM events"
	assert_output "$NOW_EPOCH|desk|client|1|add|1"
	run -0 db "SELECT json_extract(after, '\$.name') || ',' || json_extract(after, '\$.channel') FROM events"
	assert_output "Ann Archer,sms"
}

@test "add picks the channel from what it is given" {
	appt client add -q --name "Phone And Mail" --phone 5550001 --email a@example.com
	appt client add -q --name "Mail Only" --email b@example.com
	appt client add -q --name "Nothing" >/dev/null
	run -0 db "SELECT channel FROM clients ORDER BY id"
	assert_output $'sms\nemail\ncall'
}

@test "add --note stores the first note in the same change" {
	run -0 appt client add --name "Ann Archer" --phone 5550001 --note "allergic to latex"
	run -0 db "SELECT client_id, at, actor, text FROM client_notes"
	assert_output "1|$NOW_EPOCH|desk|allergic to latex"
	run -0 db "SELECT action FROM events ORDER BY id"
	assert_output $'add\nnote'
}

@test "add --program enrols in a configured program" {
	add_program
	run -0 appt client add --name "Ann Archer" --program acne
	run -0 db "SELECT program FROM clients"
	assert_output "acne"
}

@test "add --program refuses a program the configuration lacks (65)" {
	add_program
	run -65 --separate-stderr appt client add --name "Ann Archer" --program acme
	assert_equal "$output" ""
	assert_equal "$stderr" "appt client: unknown program 'acme' (programs: acne)"
	assert_equal "$(count clients)" 0
	assert_equal "$(count events)" 0
}

@test "add refuses a channel the client cannot be reached on (65)" {
	run -65 --separate-stderr appt client add --name "Ann" --channel sms --email a@example.com
	assert_equal "$stderr" "appt client: channel sms needs a phone number (give --phone or another --channel)"
	run -65 --separate-stderr appt client add --name "Ann" --channel email --phone 5550001
	assert_equal "$stderr" "appt client: channel email needs an e-mail address (give --email or another --channel)"
	assert_equal "$(count clients)" 0
	assert_equal "$(count events)" 0
}

@test "add without --name is a usage error (64)" {
	run -64 --separate-stderr appt client add --phone 5550001
	assert_equal "$output" ""
	assert_equal "${stderr_lines[0]}" "appt client: --name is required"
	assert_equal "${stderr_lines[1]}" "usage: appt client add --name N [--phone P] [--email E] [--channel sms|email|call]"
}

@test "add refuses an empty or blank name (65)" {
	run -65 --separate-stderr appt client add --name ""
	assert_equal "$stderr" "appt client: client name is empty"
	run -65 appt client add --name "   "
	assert_equal "$(count clients)" 0
}

@test "add refuses a name that is not UTF-8 (65)" {
	run -65 --separate-stderr appt client add --name "$(printf 'Ann \xff')"
	assert_equal "$stderr" "appt client: client name is not valid UTF-8"
	assert_equal "$(count clients)" 0
}

@test "add refuses control characters in a name (65)" {
	run -65 --separate-stderr appt client add --name "$(printf 'Ann\tArcher')"
	assert_equal "$stderr" "appt client: client name contains a control character (U+0009)"
}

@test "add accepts a UTF-8 name" {
	run -0 appt client add --name "Zoë Ñúñez 李" --email z@example.com
	assert_output "added client #1 Zoë Ñúñez 李"
	assert_equal "$(db 'SELECT name FROM clients')" "Zoë Ñúñez 李"
}

@test "add refuses a bad e-mail, phone or channel (65)" {
	run -65 --separate-stderr appt client add --name Ann --email ann.example.com
	assert_equal "$stderr" "appt client: invalid e-mail address 'ann.example.com' (expected NAME@DOMAIN)"
	run -65 appt client add --name Ann --email "ann @example.com"
	run -65 appt client add --name Ann --email "@example.com"
	run -65 appt client add --name Ann --email "ann@"
	run -65 --separate-stderr appt client add --name Ann --phone "555-CALL-NOW"
	assert_equal "$stderr" "appt client: invalid phone number '555-CALL-NOW' (digits, spaces and + - ( ) . only)"
	run -65 appt client add --name Ann --phone "+-()"
	run -65 --separate-stderr appt client add --name Ann --phone 5550001 --channel pigeon
	assert_equal "$stderr" "appt client: invalid channel 'pigeon' (expected sms, email or call)"
	assert_equal "$(count clients)" 0
	assert_equal "$(count events)" 0
}

@test "add refuses an external id another client has (1)" {
	appt client add -q --name "Ann Archer" --external-id X-1 >/dev/null
	before=$(snapshot_db)
	run -1 --separate-stderr appt client add --name "Bob Baker" --external-id X-1
	assert_equal "$stderr" "appt client: external id 'X-1' already belongs to client #1"
	assert_equal "$(snapshot_db)" "$before"
}

@test "add stores a name with shell and SQL characters verbatim" {
	name='$(touch '"$BATS_TEST_TMPDIR"'/pwned); "O'"'"'Brien"; DROP TABLE clients;--'
	run -0 appt client add -q --name "$name"
	assert_file_not_exists "$BATS_TEST_TMPDIR/pwned"
	assert_equal "$(db 'SELECT name FROM clients WHERE id = 1')" "$name"
	run -0 appt client show 1 --format json
	assert_equal "$(json 'd[0]["name"]' <<<"$output")" "$name"
}

# ---- list ---------------------------------------------------------------

@test "list --format csv has a header row and one row per client, by name" {
	init_db
	run -0 csv appt client list --format csv
	assert_line --index 0 "id,name,phone,email,channel,program,blocked,noshows,born"
	assert_line --index 1 "1,Ann Archer,\"'+15550001\",ann@example.com,sms,,0,0,"
	assert_line --index 3 "3,Cy Cole,\"'+15550003\",,call,,0,0,"
	assert_equal "${#lines[@]}" 4
}

@test "list is CSV when stdout is not a terminal" {
	init_db
	run -0 csv appt client list
	assert_line --index 0 "id,name,phone,email,channel,program,blocked,noshows,born"
}

@test "list --format json parses and carries types" {
	init_db
	run -0 appt client list --format json
	python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$output"
	assert_equal "$(json 'len(d), d[1]["email"], d[2]["blocked"], d[0]["noshows"]' <<<"$output")" \
		"3 bob@example.com False 0"
}

@test "list --format json of no clients is an empty array" {
	run -0 appt client list --format json
	assert_equal "$(json 'd' <<<"$output")" "[]"
}

@test "list --format table aligns columns" {
	init_db
	run -0 appt client list --format table
	assert_line --index 0 --regexp '^id +name +phone +email +channel +program +blocked +noshows$'
	assert_line --index 1 --regexp '^1 +Ann Archer +\+15550001 +ann@example.com +sms +0$'
}

@test "list --match filters by name, phone or e-mail" {
	init_db
	run -0 csv appt client list --format csv --match BOB@
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 --partial "Bob Baker"
	run -0 csv appt client list --format csv --match 0003
	assert_line --index 1 --partial "Cy Cole"
	run -0 csv appt client list --format csv --match archer
	assert_line --index 1 --partial "Ann Archer"
}

@test "list --blocked shows only blocked clients" {
	init_db
	appt client block Bob --reason "unpaid fees" >/dev/null
	run -0 csv appt client list --format csv --blocked
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 "2,Bob Baker,\"'+15550002\",bob@example.com,email,,1,0,"
}

@test "list counts no-shows inside policies.noshow.window only" {
	init_db
	add_noshow 1 10
	add_noshow 1 100
	add_noshow 1 200
	run -0 appt client list --format json
	assert_equal "$(json 'd[0]["noshows"]' <<<"$output")" "2"
}

# ---- show ---------------------------------------------------------------

@test "show prints the record and its notes" {
	init_db
	appt client note 1 "allergic to latex" >/dev/null
	APPT_USER=sam APPT_NOW=2027-03-02T09:30 appt client note 1 prefers mornings >/dev/null
	run -0 appt client show 1
	assert_line --regexp '^name: +Ann Archer$'
	assert_line --regexp '^phone: +\+15550001$'
	assert_line --regexp '^e-mail: +ann@example.com$'
	assert_line --regexp '^channel: +sms$'
	assert_line --regexp '^created: +2027-03-01 08:00$'
	assert_line --regexp '^no-shows: +0$'
	assert_line --regexp '^blocked: +no$'
	assert_line --regexp '^2027-03-01 08:00 +desk +allergic to latex$'
	assert_line --regexp '^2027-03-02 09:30 +sam +prefers mornings$'
}

@test "show says when there are no notes" {
	init_db
	run -0 appt client show 3
	assert_line --regexp '^notes: +none$'
}

@test "show tells whether and why a client is blocked" {
	init_db
	add_noshow 2 3
	APPT_NOW=2027-03-01T10:15 appt client block 2 --reason "3 no-shows" >/dev/null
	run -0 appt client show 2
	assert_line --regexp '^blocked: +yes$'
	assert_line --regexp '^blocked since: +2027-03-01 10:15$'
	assert_line --regexp '^blocked reason: +3 no-shows$'
	assert_line --regexp '^no-shows: +1$'
}

@test "show --format json is one parsable record with its notes" {
	init_db
	appt client note 1 'say "hi", then wait' >/dev/null
	run -0 appt client show 1 --format json
	python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$output"
	assert_equal "$(json 'd[0]["id"], d[0]["name"], d[0]["blocked"], d[0]["noshow_window"]' <<<"$output")" \
		"1 Ann Archer False 180d"
	assert_equal "$(json 'd[0]["notes"][0]["text"], d[0]["notes"][0]["at"]' <<<"$output")" \
		"say \"hi\", then wait 2027-03-01T08:00:00-07:00"
}

@test "show --format csv has a header row" {
	init_db
	run -0 csv appt client show 2 --format csv
	assert_line --index 0 "id,name,phone,email,born,channel,texts_stopped,program,program_ended,external_id,created,noshows,noshow_window,blocked,blocked_since,blocked_reason,balance,credit,alerts,notes,upcoming,recent,contacts,open_items,payments"
	assert_line --index 1 --partial "2,Bob Baker,"
	assert_line --index 1 --partial ",2027-03-01T08:00:00-07:00,0,180d,0,,,0.00,,"
}

@test "an unknown --format is a bad value (65)" {
	init_db
	run -65 --separate-stderr appt client show 1 --format xml
	assert_equal "$stderr" "appt client: invalid value 'xml' for --format (expected table, csv or json)"
	run -65 appt client list --format yaml
}

# ---- references ---------------------------------------------------------

@test "a client is found by number, e-mail, phone, name or part of a name" {
	init_db
	for ref in 2 BOB@EXAMPLE.COM +15550002 "bob baker" bak; do
		run -0 appt client show "$ref" --format json
		assert_equal "$(json 'd[0]["id"]' <<<"$output")" "2"
	done
}

@test "a unique exact name wins over names that contain it" {
	init_db
	appt client add -q --name "Ann" >/dev/null
	run -0 appt client show ann --format json
	assert_equal "$(json 'd[0]["id"]' <<<"$output")" "4"
}

@test "an ambiguous name is refused with the candidates (1)" {
	init_db
	appt client add -q --name "Ann Smith" >/dev/null
	run -1 --separate-stderr appt client show ann
	assert_equal "$output" ""
	assert_equal "$stderr" "appt client: 'ann' matches 2 clients: #1 Ann Archer, #4 Ann Smith; use the number"
}

@test "an ambiguous reference lists at most 10 candidates" {
	for i in $(seq 1 12); do appt client add -q --name "Ann $i" >/dev/null; done
	run -1 --separate-stderr appt client note ann hello
	[[ "$stderr" == *"'ann' matches 12 clients: #1 Ann 1, "*"#10 Ann 10, ...; use the number" ]]
	[[ "$stderr" != *"#11"* ]]
	assert_equal "$(count client_notes)" 0
}

@test "a reference that matches nobody is not found (2)" {
	init_db
	run -2 --separate-stderr appt client show zed
	assert_equal "$stderr" "appt client: no client matches 'zed'"
	run -2 --separate-stderr appt client show 99
	assert_equal "$stderr" "appt client: no client #99"
	run -2 appt client show 99999999999999999999999
	run -2 appt client show nobody@example.com
}

@test "an e-mail reference never falls back to names" {
	init_db
	appt client add -q --name "x@y" >/dev/null
	run -2 appt client show x@y
}

# ---- edit ---------------------------------------------------------------

@test "edit changes the given fields and logs before and after" {
	init_db
	run -0 --separate-stderr appt client edit "Bob Baker" --name "Robert Baker" --phone "" --external-id B-7
	assert_output "updated client #2"
	run -0 db "SELECT name, phone IS NULL, email, channel, external_id FROM clients WHERE id = 2"
	assert_output "Robert Baker|1|bob@example.com|email|B-7"
	run -0 db "SELECT action, json_extract(before, '\$.name'), json_extract(after, '\$.name') FROM events WHERE entity_id = 2 ORDER BY id DESC LIMIT 1"
	assert_output "edit|Bob Baker|Robert Baker"
}

@test "edit --program enrols and --no-program ends it" {
	add_program
	init_db
	run -0 appt client edit 1 --program acne
	assert_equal "$(db 'SELECT program FROM clients WHERE id = 1')" "acne"
	run -0 appt client edit 1 --no-program
	assert_equal "$(db 'SELECT program IS NULL FROM clients WHERE id = 1')" "1"
}

@test "edit --program re-enrols a client whose program ended, in the same program" {
	add_program
	init_db
	appt client edit 1 --program acne >/dev/null
	db "UPDATE clients SET program_ended_at = $NOW_EPOCH - 86400 WHERE id = 1"
	run -0 appt client edit 1 --program acne
	assert_equal "$(db 'SELECT program, program_ended_at IS NULL FROM clients WHERE id = 1')" "acne|1"
	run -0 db "SELECT json_extract(before, '\$.program_ended_at') IS NOT NULL, json_extract(after, '\$.program_ended_at') IS NULL FROM events WHERE entity_id = 1 ORDER BY id DESC LIMIT 1"
	assert_output "1|1"
	# Other changes leave the enrolment as it is.
	db "UPDATE clients SET program_ended_at = $NOW_EPOCH WHERE id = 1"
	run -0 appt client edit 1 --name "Ann B. Archer"
	assert_equal "$(db 'SELECT program_ended_at FROM clients WHERE id = 1')" "$NOW_EPOCH"
}

@test "edit refuses an unknown program (65)" {
	init_db
	before=$(snapshot_db)
	run -65 --separate-stderr appt client edit 1 --program acne
	assert_equal "$stderr" "appt client: unknown program 'acne' (the configuration defines no programs)"
	assert_equal "$(snapshot_db)" "$before"
}

@test "edit needs at least one field (64)" {
	init_db
	run -64 --separate-stderr appt client edit 1
	[[ "${stderr_lines[0]}" == *"appt client: nothing to change"* ]]
	run -64 appt client edit 1 --program acne --no-program
}

@test "edit refuses to leave a client unreachable on its channel (65)" {
	init_db
	before=$(snapshot_db)
	run -65 --separate-stderr appt client edit 1 --phone ""
	assert_equal "$stderr" "appt client: channel sms needs a phone number (give --phone or another --channel)"
	assert_equal "$(snapshot_db)" "$before"
	run -0 appt client edit 1 --phone "" --channel email
}

@test "edit refuses bad values (65) and changes nothing" {
	init_db
	before=$(snapshot_db)
	run -65 appt client edit 1 --name ""
	run -65 appt client edit 1 --name "$(printf '\xc3')"
	run -65 appt client edit 1 --email nope
	run -65 appt client edit 1 --channel fax
	assert_equal "$(snapshot_db)" "$before"
}

@test "edit refuses another client's external id (1)" {
	init_db
	appt client edit 1 --external-id X-1 >/dev/null
	before=$(snapshot_db)
	run -1 --separate-stderr appt client edit 2 --external-id X-1
	assert_equal "$stderr" "appt client: external id 'X-1' already belongs to client #1"
	assert_equal "$(snapshot_db)" "$before"
	run -0 appt client edit 1 --external-id X-1
}

@test "edit of a missing client is not found (2)" {
	init_db
	run -2 appt client edit 42 --name Zed
}

# ---- note ---------------------------------------------------------------

@test "note joins its words and logs the text" {
	init_db
	run -0 --separate-stderr appt client note Cy dose -5 mg, "twice  daily"
	assert_output "noted on client #3"
	assert_equal "$(db 'SELECT text FROM client_notes')" "dose -5 mg, twice  daily"
	run -0 db "SELECT action, json_extract(after, '\$.note') FROM events ORDER BY id DESC LIMIT 1"
	assert_output "note|dose -5 mg, twice  daily"
}

@test "note without text is a usage error (64)" {
	init_db
	run -64 appt client note 1
	run -64 --separate-stderr appt client note 1 "" "  "
	assert_equal "${stderr_lines[0]}" "appt client: the note is empty"
	assert_equal "$(count client_notes)" 0
}

@test "note on a missing client is not found (2)" {
	init_db
	run -2 appt client note 7 hello
	assert_equal "$(count client_notes)" 0
}

# ---- block / unblock ----------------------------------------------------

@test "block needs --reason (64)" {
	init_db
	run -64 --separate-stderr appt client block 1
	[[ "${stderr_lines[0]}" == *"appt client: blocking needs --reason"* ]]
	run -64 appt client block 1 --reason " "
	assert_equal "$(db 'SELECT blocked FROM clients WHERE id = 1')" "0"
}

@test "block and unblock record the state and the reason" {
	init_db
	run -0 appt client block ann@example.com --reason "3 no-shows"
	assert_output "blocked client #1"
	assert_equal "$(db 'SELECT blocked, blocked_reason FROM clients WHERE id = 1')" "1|3 no-shows"
	run -0 appt client unblock 1 --reason "paid the fee"
	assert_output "unblocked client #1"
	assert_equal "$(db 'SELECT blocked, blocked_reason IS NULL FROM clients WHERE id = 1')" "0|1"
	run -0 db "SELECT action, reason, json_extract(before, '\$.blocked'), json_extract(after, '\$.blocked') FROM events WHERE entity_id = 1 AND action LIKE '%block' ORDER BY id"
	assert_output $'block|3 no-shows|0|1\nunblock|paid the fee|1|0'
}

@test "blocking a blocked client is refused with since and why (1)" {
	init_db
	appt client block 1 --reason "3 no-shows" >/dev/null
	before=$(snapshot_db)
	run -1 --separate-stderr appt client block 1 --reason again
	assert_equal "$stderr" "appt client: client #1 is already blocked (since 2027-03-01 08:00: 3 no-shows)"
	assert_equal "$(snapshot_db)" "$before"
}

@test "unblocking a client that is not blocked is refused (1)" {
	init_db
	before=$(snapshot_db)
	run -1 --separate-stderr appt client unblock 2
	assert_equal "$stderr" "appt client: client #2 is not blocked"
	assert_equal "$(snapshot_db)" "$before"
}

# ---- phone keys ---------------------------------------------------------

@test "a phone names its client however it is typed (business.country_code 1)" {
	country_code 1
	appt client add -q --name "Ann Archer" --phone "+1 303 555 0101" >/dev/null
	appt client add -q --name "Bob Baker" --phone "+44 20 7946 0018" >/dev/null
	for ref in 303-555-0101 "(303) 555 0101" 3035550101 "+1 303 555 0101" 1-303-555-0101; do
		run -0 appt client show "$ref" --format json
		assert_equal "$(json 'd[0]["id"]' <<<"$output")" "1"
	done
	run -0 appt client show "0044 20 7946 0018" --format json
	assert_equal "$(json 'd[0]["id"]' <<<"$output")" "2"
	# Stored as typed, matched by the key beside it.
	run -0 db "SELECT phone, phone_key FROM clients ORDER BY id"
	assert_output $'+1 303 555 0101|+13035550101\n+44 20 7946 0018|+442079460018'
	run -2 --separate-stderr appt client show 303-555-0199
	assert_equal "$stderr" "appt client: no client matches '303-555-0199'"
}

@test "a client number wins over a phone of the same digits" {
	country_code 1
	init_db
	appt client add -q --name "Dee Dunn" --phone 2 >/dev/null
	run -0 appt client show 2 --format json
	assert_equal "$(json 'd[0]["name"]' <<<"$output")" "Bob Baker"
	run -0 appt client show 5550003 --format json
	assert_equal "$(json 'd[0]["name"]' <<<"$output")" "Cy Cole"
}

@test "without business.country_code national typings match each other, not the + form" {
	appt client add -q --name "Ann Archer" --phone "303-555-0101" >/dev/null
	run -0 appt client show "(303) 555.0101" --format json
	assert_equal "$(json 'd[0]["id"]' <<<"$output")" "1"
	run -2 appt client show "+1 303 555 0101"
	assert_equal "$(db 'SELECT phone_key FROM clients')" "3035550101"
}

@test "edit keys the new phone; removing the phone removes its key" {
	country_code 1
	init_db
	run -0 appt client edit 3 --phone "(303) 555-0103"
	assert_equal "$(db 'SELECT phone_key FROM clients WHERE id = 3')" "+13035550103"
	run -0 appt client show 3035550103 --format json
	assert_equal "$(json 'd[0]["name"]' <<<"$output")" "Cy Cole"
	run -0 appt client edit 2 --phone ""
	assert_equal "$(db 'SELECT phone_key IS NULL FROM clients WHERE id = 2')" "1"
}

@test "a phone over 15 digits or 32 characters is refused naming the field (65)" {
	country_code 1
	run -65 --separate-stderr appt client add --name Ann --phone "$(printf '%0100000d' 5)"
	assert_equal "$stderr" "appt client: phone number is too long (100000 characters; at most 32)"
	run -65 --separate-stderr appt client add --name Ann --phone "+1234567890123456"
	assert_equal "$stderr" "appt client: phone number '+1234567890123456' has 16 digits (at most 15, E.164)"
	run -65 --separate-stderr appt client add --name Ann --phone "303 555 0101 4444 5"
	assert_equal "$stderr" "appt client: phone number '303 555 0101 4444 5' has 16 digits with country code 1 (at most 15, E.164)"
	run -65 --separate-stderr appt client add --name Ann --phone "555+0101"
	assert_equal "$stderr" "appt client: invalid phone number '555+0101' ('+' only in front)"
	assert_equal "$(count clients)" 0
	run -0 appt client add -q --name Ann --phone "+123456789012345"
	run -65 appt client edit 1 --phone "+1234567890123456"
	assert_equal "$(db 'SELECT phone FROM clients')" "+123456789012345"
}

@test "appt init keys every phone again: a migrated database, a changed country code" {
	init_db
	assert_equal "$(db 'SELECT phone_key FROM clients WHERE id = 1')" "+15550001"
	appt client add -q --name "Dee Dunn" --phone "303-555-0104" >/dev/null
	# A database from before keys, and a phone no rule accepts any more.
	db "UPDATE clients SET phone_key = NULL WHERE id <= 2"
	db "INSERT INTO clients (name, phone, channel, created_at, updated_at)
	    VALUES ('Old Row', '12345678901234567890', 'sms', 0, 0)"
	country_code 1
	run -0 --separate-stderr appt init
	assert_line --index 0 "phone keys set for 3 clients"
	assert_equal "$stderr" "appt init: warning: client #5: phone number '12345678901234567890' has 20 digits with country code 1 (at most 15, E.164); it matches no lookup until edited"
	run -0 db "SELECT id, COALESCE(phone_key, '-') FROM clients ORDER BY id"
	assert_output $'1|+15550001\n2|+15550002\n3|+15550003\n4|+13035550104\n5|-'
	run -0 appt client show 3035550104 --format json
	assert_equal "$(json 'd[0]["name"]' <<<"$output")" "Dee Dunn"
	run -0 --separate-stderr appt init
	refute_output --partial "phone keys"
	run -0 --separate-stderr appt init -q
	assert_output ""
}

@test "business.country_code must be 1 to 3 digits (78)" {
	country_code 1x
	run -78 --separate-stderr appt config check
	[[ "$stderr" == *"config.yaml:4:17: 'country_code' in business: expected a country calling code of 1 to 3 digits (1 for the US and Canada, 44 for the UK), found '1x'"* ]]
	sed -i 's/country_code: "1x"/country_code: "+44"/' "$APPT_CONFIG"
	run -0 appt config check
}

# ---- duplicates ---------------------------------------------------------

@test "add refuses a phone another client has, however typed, naming the client (1)" {
	country_code 1
	appt client add -q --name "Ann Archer" --phone "+1 303 555 0101" >/dev/null
	before=$(snapshot_db)
	run -1 --separate-stderr appt client add --name "Ann A." --phone "303-555-0101"
	assert_equal "$output" ""
	assert_equal "$stderr" "appt client: phone number '303-555-0101' already belongs to client #1 Ann Archer; --allow-duplicate lets two clients share it"
	assert_equal "$(snapshot_db)" "$before"
	run -0 appt client add --name "Al Archer" --phone "(303) 555-0101" --allow-duplicate
	assert_output "added client #2 Al Archer"
	assert_equal "$(db "SELECT count(*) FROM clients WHERE phone_key = '+13035550101'")" 2
}

@test "add refuses an e-mail another client has, in any case (1)" {
	init_db
	run -1 --separate-stderr appt client add --name "Annie" --email "Ann@Example.COM"
	assert_equal "$stderr" "appt client: e-mail address 'Ann@Example.COM' already belongs to client #1 Ann Archer; --allow-duplicate lets two clients share it"
	assert_equal "$(count clients)" 3
	run -0 appt client add -q --name "Annie" --email "Ann@Example.COM" --allow-duplicate
	assert_output "4"
}

@test "edit refuses another client's phone or e-mail, not the client's own (1)" {
	init_db
	before=$(snapshot_db)
	run -1 --separate-stderr appt client edit Bob --phone "+1 555 0001"
	assert_equal "$stderr" "appt client: phone number '+1 555 0001' already belongs to client #1 Ann Archer; --allow-duplicate lets two clients share it"
	run -1 appt client edit Cy --email ann@example.com
	assert_equal "$(snapshot_db)" "$before"
	run -0 appt client edit Ann --phone "+1 555-0001" --email ANN@example.com
	run -0 appt client edit Cy --email ann@example.com --allow-duplicate
	assert_equal "$(db 'SELECT email FROM clients WHERE id = 3')" "ann@example.com"
	# A client already sharing is not refused for other changes.
	run -0 appt client edit Cy --name "Cy Cole-Archer"
}

# ---- date of birth ------------------------------------------------------

@test "--born is stored, shown, listed and in the audit snapshot" {
	run -0 appt client add --name "Ann Archer" --phone 5550001 --born 1990-04-17
	assert_equal "$(db 'SELECT born FROM clients')" "1990-04-17"
	run -0 appt client show 1
	assert_line --regexp '^born: +1990-04-17$'
	run -0 appt client show 1 --format json
	assert_equal "$(json 'd[0]["born"]' <<<"$output")" "1990-04-17"
	run -0 csv appt client list --format csv
	assert_line --index 0 "id,name,phone,email,channel,program,blocked,noshows,born"
	assert_line --index 1 "1,Ann Archer,5550001,,sms,,0,0,1990-04-17"
	run -0 appt client list --format json
	assert_equal "$(json 'd[0]["born"]' <<<"$output")" "1990-04-17"
	run -0 appt client list --format table
	refute_output --partial "1990"
	run -0 appt client edit 1 --born 1990-04-18
	run -0 db "SELECT json_extract(before, '\$.born'), json_extract(after, '\$.born') FROM events WHERE action = 'edit'"
	assert_output "1990-04-17|1990-04-18"
	run -0 appt client edit 1 --born ""
	assert_equal "$(db 'SELECT born IS NULL FROM clients')" "1"
}

@test "--born must be a real date in the past (65)" {
	init_db
	before=$(snapshot_db)
	run -65 --separate-stderr appt client add --name Dee --born 1990-02-30
	assert_equal "$stderr" "appt client: invalid date of birth '1990-02-30' (expected YYYY-MM-DD)"
	run -65 appt client add --name Dee --born 17/04/1990
	run -65 --separate-stderr appt client add --name Dee --born 2027-03-02
	assert_equal "$stderr" "appt client: date of birth 2027-03-02 is in the future (expected a past date)"
	run -65 --separate-stderr appt client edit 1 --born 1850-01-01
	assert_equal "$stderr" "appt client: date of birth 1850-01-01 is before 1900 (a typing mistake?)"
	assert_equal "$(snapshot_db)" "$before"
	run -0 appt client add -q --name Dee --born 2027-03-01
}

# ---- merge --------------------------------------------------------------

# Client 4 "Ann A.", a duplicate of Ann with a booking, a note, a contact
# and a late-cancellation charge of her own.
add_duplicate() {
	appt client add -q --name "Ann A." --phone 5550009 --email ann.a@example.com \
		--born 1990-04-17 --external-id OLD-4 >/dev/null
	appt book -q --client 4 --service consult --provider kim --at "2027-03-03 10:00" --no-send >/dev/null
	appt book -q --client 4 --service consult --provider kim --at "2027-03-01 15:00" --no-send >/dev/null
	appt cancel 2 --reason "unwell" --no-send >/dev/null
	appt client note 4 "prefers mornings" >/dev/null
	appt log --client 4 --via call --outcome reached "asked about prices" >/dev/null
}

@test "merge moves everything to KEEP, fills what KEEP lacks and logs both" {
	init_db
	add_duplicate
	messages=$(db "SELECT count(*) FROM messages WHERE client_id = 4")
	run -0 --separate-stderr appt client merge "Ann Archer" 4 --reason "same person, typed twice"
	assert_line --index 0 "merged client #4 Ann A. into #1 Ann Archer: moved 2 appointments, 1 note, 1 contact, $messages messages, 1 charge"
	assert_line --index 1 "filled from the merged record: born"
	assert_equal "$stderr" ""
	for table in appointments client_notes contacts messages charges; do
		assert_equal "$(db "SELECT count(*) FROM $table WHERE client_id = 4")" 0
	done
	assert_equal "$(db 'SELECT count(*) FROM appointments WHERE client_id = 1')" 2
	# Ann's own phone and e-mail win; her missing date of birth is filled.
	run -0 db "SELECT phone, email, born, merged_into IS NULL FROM clients WHERE id = 1"
	assert_output "+15550001|ann@example.com|1990-04-17|1"
	run -0 db "SELECT name, merged_into, external_id FROM clients WHERE id = 4"
	assert_output "Ann A.|1|OLD-4"
	run -0 db "SELECT entity_id, action, actor, reason, json_extract(after, '\$.merged_into') FROM events WHERE entity = 'client' AND action LIKE 'merge%' ORDER BY id"
	assert_output $'1|merge|desk|same person, typed twice|\n4|merged|desk|same person, typed twice|1'
	run -0 db "SELECT entity, entity_id, json_extract(before, '\$.client_id') || '>' || json_extract(after, '\$.client_id') FROM events WHERE action = 'merge' AND entity <> 'client' ORDER BY id"
	assert_output $'appointment|1|4>1\nappointment|2|4>1\ncharge|1|4>1'
	run -0 appt show 1
	assert_output --partial "client_id: 4 -> 1"
}

@test "merge moves the duplicate's requests, waitlist entries and series too, each logged" {
	init_db
	appt client add -q --name "Ann A." --phone 5550009 >/dev/null
	appt request add -q --client 4 --service consult --prefer mornings >/dev/null
	appt waitlist add -q --client 4 --service consult >/dev/null
	appt book -q --client 4 --service consult --provider kim --at "2027-03-03 10:00" \
		--repeat 1w --count 2 --no-send >/dev/null
	run -0 appt client merge "Ann Archer" 4
	assert_line --index 0 --regexp "^merged client #4 Ann A. into #1 Ann Archer: moved 2 appointments, 0 notes, 0 contacts, [0-9]+ messages, 0 charges, 1 request, 1 waitlist entry, 1 series record$"
	for table in requests waitlist series; do
		assert_equal "$(db "SELECT count(*) FROM $table WHERE client_id = 1")" 1
	done
	run -0 db "SELECT entity FROM events WHERE action = 'merge' AND entity IN ('request', 'waitlist') ORDER BY id"
	assert_output $'request\nwaitlist'
}

@test "a merged record is kept for history but no longer listed or matched" {
	init_db
	add_duplicate
	appt client merge 1 4 >/dev/null
	run -0 csv appt client list --format csv
	refute_output --partial "Ann A."
	run -1 --separate-stderr appt client show 4
	assert_equal "$stderr" "appt client: client #4 was merged into #1"
	run -1 --separate-stderr appt book --client 4 --service consult --provider kim --at "2027-03-04 10:00"
	assert_equal "$stderr" "appt book: client #4 was merged into #1"
	run -2 appt client show ann.a@example.com
	run -2 appt client show 5550009
	run -2 appt client show "Ann A."
	# Its phone and e-mail are free again.
	run -0 appt client add -q --name "New Client" --phone 5550009 --email ann.a@example.com
}

@test "merge refuses itself, merged records and unknown clients, changing nothing" {
	init_db
	add_duplicate
	before=$(snapshot_db)
	run -1 --separate-stderr appt client merge 1 "ann archer"
	assert_equal "$stderr" "appt client: cannot merge client #1 into itself"
	run -2 --separate-stderr appt client merge 1 99
	assert_equal "$stderr" "appt client: no client #99"
	run -2 appt client merge nobody 1
	assert_equal "$(snapshot_db)" "$before"
	appt client merge 1 4 >/dev/null
	before=$(snapshot_db)
	run -1 --separate-stderr appt client merge 1 4
	assert_equal "$stderr" "appt client: client #4 was merged into #1"
	run -1 --separate-stderr appt client merge 4 2
	assert_equal "$stderr" "appt client: client #4 was merged into #1"
	run -65 appt client merge 2 3 --reason "$(printf 'a\033[2Jb')"
	run -64 appt client merge 1
	run -64 appt client merge 1 2 3
	assert_equal "$(snapshot_db)" "$before"
}

@test "merge warns when the merged record was blocked and KEEP is not" {
	init_db
	appt client block 2 --reason "3 no-shows" >/dev/null
	run -0 --separate-stderr appt client merge 3 2
	assert_equal "$stderr" "appt client: warning: client #2 was blocked (3 no-shows) and #3 is not; 'appt client block 3' if that still holds"
	assert_line --index 1 "filled from the merged record: e-mail"
	assert_equal "$(db 'SELECT blocked FROM clients WHERE id = 3')" "0"
}

@test "records merged into OTHER follow it into KEEP" {
	init_db
	appt client merge 2 3 >/dev/null
	appt client merge 1 2 >/dev/null
	run -0 db "SELECT id, COALESCE(CAST(merged_into AS TEXT), '-') FROM clients ORDER BY id"
	assert_output $'1|-\n2|1\n3|1'
	run -1 --separate-stderr appt client show 3
	assert_equal "$stderr" "appt client: client #3 was merged into #1"
}

@test "an import from before a merge still finds the client and changes nothing" {
	init_db
	add_duplicate
	appt client merge 1 4 >/dev/null
	cat >"$BATS_TEST_TMPDIR/clients.csv" <<'CSV'
name,phone,email,external_id
Ann A.,5550009,ann.a@example.com,OLD-4
CSV
	before=$(snapshot_db)
	run -0 appt import clients "$BATS_TEST_TMPDIR/clients.csv"
	assert_output "added 0, updated 0, unchanged 1"
	assert_equal "$(snapshot_db)" "$before"
}

# ---- alerts -------------------------------------------------------------

@test "note --alert marks an alert, before or after the client" {
	init_db
	run -0 appt client note Ann --alert allergic to salicylic acid
	assert_output "noted on client #1"
	run -0 appt client note --alert Bob latex
	run -0 appt client note Cy see --alert in the manual
	run -0 db "SELECT client_id, alert, text FROM client_notes ORDER BY id"
	assert_output $'1|1|allergic to salicylic acid\n2|1|latex\n3|0|see --alert in the manual'
	run -0 db "SELECT action, json_extract(after, '\$.alert') FROM events WHERE entity_id = 1 ORDER BY id DESC LIMIT 1"
	assert_output "alert|allergic to salicylic acid"
	run -64 --separate-stderr appt client note Ann --alert
	assert_equal "${stderr_lines[0]}" "appt client: the note is empty"
	run -64 appt client list --alert
}

@test "book warns of the client's alerts on stderr; the booking stands" {
	init_db
	appt client note Ann --alert allergic to salicylic acid >/dev/null
	appt client note Ann --alert pregnant >/dev/null
	appt client note Ann prefers mornings >/dev/null
	run -0 --separate-stderr appt book --client Ann --service peel --provider kim --at "2027-03-02 10:00" --no-send
	assert_output "booked #1: Ann Archer, Acne Peel with Kim Kowalski, 2027-03-02 10:00-10:45 (room-1)"
	assert_equal "$stderr" $'appt book: warning: alert for Ann Archer: allergic to salicylic acid\nappt book: warning: alert for Ann Archer: pregnant'
	run -0 --separate-stderr appt book --client Bob --service consult --provider kim --at "2027-03-02 11:00" --no-send
	assert_equal "$stderr" ""
}

@test "appt show prints the client's alerts under the client" {
	init_db
	appt client note Ann --alert allergic to salicylic acid >/dev/null
	id=$(appt book -q --client Ann --service consult --provider kim --at "2027-03-02 10:00" --no-send 2>/dev/null)
	run -0 appt show "$id"
	assert_line --index 1 "client:       Ann Archer (#1, +15550001)"
	assert_line --index 2 "alert:        allergic to salicylic acid"
	run -0 appt show "$id" --format json
	assert_equal "$(json 'd["alerts"]' <<<"$output")" "['allergic to salicylic acid']"
}

@test "client show puts the alerts under the name and marks them among the notes" {
	init_db
	appt client note Ann prefers mornings >/dev/null
	appt client note Ann --alert allergic to salicylic acid >/dev/null
	run -0 appt client show Ann
	assert_line --index 1 --regexp '^name: +Ann Archer$'
	assert_line --index 2 --regexp '^alert: +allergic to salicylic acid$'
	assert_line --regexp '^at +actor +alert +text$'
	assert_line --regexp '^2027-03-01 08:00 +desk +yes +allergic to salicylic acid$'
	run -0 appt client show Ann --format json
	assert_equal "$(json 'd[0]["alerts"], [n["alert"] for n in d[0]["notes"]]' <<<"$output")" \
		"['allergic to salicylic acid'] [False, True]"
}

# ---- show: appointments and contacts ------------------------------------

# An appointment of client $1 with kim, $2 days from APPT_NOW (negative: past), in state $3.
add_visit() {
	local start=$((NOW_EPOCH + $2 * 86400))
	db "INSERT INTO appointments (client_id, service, provider, start_at, end_at,
	    busy_from, busy_to, local_start, zone, status, created_at, updated_at)
	    VALUES ($1, 'consult', 'kim', $start, $start + 1800, $start, $start + 1800,
	    'x', 'America/Denver', '$3', $NOW_EPOCH, $NOW_EPOCH)"
}

@test "show lists upcoming and recent appointments, a handful each, and the last contacts" {
	init_db
	for days in -9 -8 -7 -6 -5 -4; do add_visit 1 "$days" done; done
	add_visit 1 -1 no-show
	add_visit 1 2 booked
	add_visit 1 3 cancelled
	add_visit 1 1 confirmed
	add_visit 2 1 booked
	for i in 1 2 3 4 5 6; do
		APPT_NOW="2027-02-2${i}T10:00" appt log --client Ann --via call --outcome no-answer "try $i" >/dev/null
	done
	run -0 appt client show Ann --format json
	assert_equal "$(json '[v["id"] for v in d[0]["upcoming"]]' <<<"$output")" "[10, 8]"
	assert_equal "$(json '[(v["id"], v["status"]) for v in d[0]["recent"]]' <<<"$output")" \
		"[(7, 'no-show'), (6, 'done'), (5, 'done'), (4, 'done'), (3, 'done')]"
	assert_equal "$(json '[c["text"] for c in d[0]["contacts"]]' <<<"$output")" \
		"['try 6', 'try 5', 'try 4', 'try 3', 'try 2']"
	assert_equal "$(json 'd[0]["recent"][0]["start"]' <<<"$output")" "2027-02-28T08:00:00-07:00"
	run -0 appt client show Ann
	assert_line "Upcoming appointments:"
	assert_line --regexp '^10 +2027-03-02 08:00 +consult +kim +confirmed$'
	assert_line "Recent appointments (newest first):"
	assert_line --regexp '^7 +2027-02-28 08:00 +consult +kim +no-show$'
	assert_line "Last contacts (newest first):"
	assert_line --regexp '^2027-02-26 10:00 +call +no-answer +desk +try 6$'
}

@test "show says none for what a client has not had" {
	init_db
	run -0 appt client show Cy
	assert_line --regexp '^upcoming: +none$'
	assert_line --regexp '^recent: +none$'
	assert_line --regexp '^contacts: +none$'
	run -0 appt client show Cy --format json
	assert_equal "$(json 'd[0]["alerts"], d[0]["upcoming"], d[0]["recent"], d[0]["contacts"]' <<<"$output")" "[] [] [] []"
}

# ---- command line -------------------------------------------------------

@test "--help prints the usage on stdout" {
	run -0 --separate-stderr appt client --help
	assert_line --index 0 --partial "usage: appt client add --name N"
	assert_line --partial "or: appt client unblock C [--reason T]"
	assert_equal "$stderr" ""
	run -0 appt client block --help
	assert_line --index 0 "usage: appt client block C --reason T"
	assert_line --partial "--reason T"
}

@test "no subcommand is a usage error (64)" {
	run -64 --separate-stderr appt client
	assert_equal "$output" ""
	assert_equal "${stderr_lines[0]}" "appt client: missing subcommand"
}

@test "an unknown subcommand suggests the closest (64)" {
	run -64 --separate-stderr appt client shwo 1
	assert_equal "$stderr" "appt client: unknown subcommand 'shwo'; did you mean 'show'?"
	run -64 --separate-stderr appt client frobnicate
	assert_equal "$stderr" "appt client: unknown subcommand 'frobnicate' (see 'appt client --help')"
}

@test "unknown options, options of other subcommands and extra arguments (64)" {
	init_db
	run -64 --separate-stderr appt client list --bogus
	assert_equal "${stderr_lines[0]}" "appt client: unknown option '--bogus'"
	run -64 --separate-stderr appt client list --reason x
	assert_equal "${stderr_lines[0]}" "appt client: option '--reason' does not apply to 'appt client list'"
	run -64 --separate-stderr appt client add --name
	assert_equal "${stderr_lines[0]}" "appt client: option '--name' needs a value"
	run -64 --separate-stderr appt client show 1 2
	assert_equal "${stderr_lines[0]}" "appt client: unexpected argument '2'"
	run -64 appt client show
	run -64 appt client list -q
}

@test "without a database it says to run init (66)" {
	only_on sqlite # the database as a file
	export APPT_DB="$BATS_TEST_TMPDIR/none/appt.db"
	run -66 --separate-stderr appt client list
	assert_equal "$output" ""
	[[ "${stderr_lines[0]}" == *"run 'appt init'"* ]]
	assert_file_not_exists "$APPT_DB"
}

@test "a broken configuration is a config error (78)" {
	set_config timezone Mars/Olympus
	run -78 --separate-stderr appt client add --name Ann
	[[ "${stderr_lines[0]}" == *"appt client: "* ]]
	assert_equal "$(count clients)" 0
}

@test "a database locked past the busy timeout is a temporary failure (75)" {
	only_on sqlite # the lock of the file; pg.bats holds the advisory lock
	init_db
	ready="$BATS_TEST_TMPDIR/locked"
	# Another writer holding the lock, as a second front desk mid-change.
	python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(60)' "$APPT_DB" "$ready" >/dev/null 2>&1 3>&- &
	holder=$!
	for _ in $(seq 50); do [ -e "$ready" ] && break; sleep 0.1; done
	APPT_BUSY_TIMEOUT_MS=500 run -75 --separate-stderr appt client add --name "Dee Dunn"
	[[ "$stderr" == *"retry later"* ]]
	assert_equal "$(count clients)" 3
}

@test "a failed write to stdout is an I/O error (74)" {
	init_db
	run -74 --separate-stderr bash -c 'appt client list --format csv >/dev/full'
	[[ "$stderr" == *"appt client: cannot write output"* ]]
}

@test "the audit log refuses UPDATE and DELETE" {
	init_db
	run ! db "UPDATE events SET actor = 'x'"
	assert_output --partial "events are append-only"
	run ! db "DELETE FROM events"
	assert_equal "$(db "SELECT count(*) FROM events WHERE actor = 'desk'")" 3
}

@test "an e-mail address with what a To: header gives meaning (<>, commas, quotes) is refused (65)" {
	local bad
	for bad in 'mal<b>@example.com' 'a@b.com, c@d.com' '"x"@example.com' 'x@example.com (work)' 'x;y@example.com'; do
		run -65 appt client add --name "Mal Formed" --email "$bad"
		assert_output --partial "invalid e-mail address"
	done
	assert_equal "$(db "SELECT count(*) FROM clients WHERE name = 'Mal Formed'")" 0
}
