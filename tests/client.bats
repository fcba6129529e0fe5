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
	sqlite3 "$APPT_DB" .dump
}

# A no-show of client $1 that started $2 days before APPT_NOW.
add_noshow() {
	local start=$((NOW_EPOCH - $2 * 86400))
	db "INSERT INTO appointments (client_id, service, provider, start_at, end_at,
	    busy_from, busy_to, local_start, zone, status, created_at, updated_at)
	    VALUES ($1, 'consult', 'kim', $start, $start + 1800, $start, $start + 1800,
	    'x', 'America/Denver', 'no-show', $start, $start)"
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
	assert_line --index 0 "id,name,phone,email,channel,program,blocked,noshows"
	assert_line --index 1 "1,Ann Archer,\"'+15550001\",ann@example.com,sms,,0,0"
	assert_line --index 3 "3,Cy Cole,\"'+15550003\",,call,,0,0"
	assert_equal "${#lines[@]}" 4
}

@test "list is CSV when stdout is not a terminal" {
	init_db
	run -0 csv appt client list
	assert_line --index 0 "id,name,phone,email,channel,program,blocked,noshows"
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
	assert_line --index 1 "2,Bob Baker,\"'+15550002\",bob@example.com,email,,1,0"
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
	assert_line --index 0 "id,name,phone,email,channel,program,program_ended,external_id,created,noshows,noshow_window,blocked,blocked_since,blocked_reason,notes"
	assert_line --index 1 --partial "2,Bob Baker,"
	assert_line --index 1 --partial ",2027-03-01T08:00:00-07:00,0,180d,0,,,"
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
	run ! sqlite3 "$APPT_DB" "UPDATE events SET actor = 'x'"
	assert_output --partial "events are append-only"
	run ! sqlite3 "$APPT_DB" "DELETE FROM events"
	assert_equal "$(db "SELECT count(*) FROM events WHERE actor = 'desk'")" 3
}
