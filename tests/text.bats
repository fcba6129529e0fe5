#!/usr/bin/env bats
# Free text: where it enters (notes, reasons, contact texts, client fields,
# import cells, APPT_USER) it must be valid UTF-8 without control
# characters, line ends and tabs allowed only in what spans lines (notes,
# contact texts); refused with 65 naming the field, nothing written.  Text
# an older appt stored unchecked is still read: exports repair invalid
# UTF-8 to U+FFFD (never a null snapshot), and nothing printed to a
# terminal carries a raw control character.

load test_helper

ESC=$'\e'

setup() {
	common_setup
	init_db
	cd "$BATS_TEST_TMPDIR"
}

# run -65 CMD...: refused naming WHY on stderr, and the audit log unchanged.
assert_text_refused() {
	local why=$1 before
	shift
	before=$(events)
	run -65 --separate-stderr "$@"
	assert_equal "$output" ""
	[[ "$stderr" == *": $why" ]] || { echo "stderr: $stderr"; return 1; }
	assert_equal "$(events)" "$before"
}

# Stored as an appt before these checks could have stored it: SQL straight
# into the file (the audit log takes INSERTs).
store_old_text() {
	book_consult >/dev/null
	db "UPDATE appointments SET note = CAST(X'636166E9' AS TEXT) || char(27) || '[2Jgone' WHERE id = 1;
	    UPDATE clients SET name = 'Ann ' || char(27) || '[31mArcher' WHERE id = 1;
	    INSERT INTO events (at, actor, entity, entity_id, action, before, after)
	    VALUES (0, 'old', 'appointment', 1, 'edit', '{\"note\":null}',
	            CAST(X'7B226E6F7465223A22636166E9227D' AS TEXT))"
}

@test "notes and reasons with a control character or invalid UTF-8 are refused (65), naming the field" {
	assert_text_refused "note contains a control character (U+001B)" \
		appt book --client Ann --service consult --provider kim --at "2027-03-03 10:00" --note "red ${ESC}[31m"
	assert_text_refused "note is not valid UTF-8" \
		appt book --client Ann --service consult --provider kim --at "2027-03-03 10:00" --note $'caf\xe9'
	assert_text_refused "reason contains a control character (U+009B)" \
		appt book --client Ann --service consult --provider kim --at "2027-03-06 10:00" --force --reason $'ok\xc2\x9b2J'
	id=$(book_consult)
	assert_text_refused "reason contains a control character (U+000A)" appt cancel "$id" --reason $'two\nlines'
	assert_text_refused "reason contains a control character (U+001B)" \
		appt reschedule "$id" --at "2027-03-04 10:00" --reason "${ESC}]0;title"
	assert_text_refused "reason contains a control character (U+007F)" \
		appt block --provider kim --from "2027-03-04 09:00" --to "2027-03-04 10:00" --reason $'x\x7f'
	assert_text_refused "note contains a control character (U+0007)" \
		env APPT_NOW=2027-03-03T11:00 appt noshow "$id" --note $'bell\a'
	assert_text_refused "contact text contains a control character (U+001B)" \
		appt log --client Ann --via call "${ESC}[2J"
	assert_text_refused "note contains a control character (U+000D)" appt client note Ann $'over\rwritten'
	run db "SELECT status, note IS NULL FROM appointments WHERE id = $id"
	assert_output "booked|1"
}

@test "notes and contact texts may span lines; reasons may not" {
	run -0 appt book -q --client Ann --service consult --provider kim --at "2027-03-03 10:00" --note $'first line\n\tsecond'
	run db "SELECT note FROM appointments WHERE id = 1"
	assert_output $'first line\n\tsecond'
	run -0 appt log --client Ann --via call $'called\nleft a message'
	run -0 appt client note Ann $'allergic to\r\nsalicylic acid'
}

@test "APPT_USER with a control character is refused (65) before anything is read or written" {
	before=$(events)
	APPT_USER="boss${ESC}[8m" run -65 --separate-stderr appt client add --name "Dee Dunn" --phone "+15550004"
	assert_equal "$stderr" "appt client: APPT_USER contains a control character (U+001B)"
	APPT_USER=$'b\xffss' run -65 --separate-stderr appt list
	assert_equal "$stderr" "appt list: APPT_USER is not valid UTF-8"
	assert_equal "$(events)" "$before"
}

@test "import refuses a cell with a control character on its line (65); CRLF in notes is a line end" {
	printf '%s\n' "client,phone,email,service,provider,start,end,status,notes,external_id" \
		"Ann Archer,,ann@example.com,consult,kim,2026-10-05 10:00,,done,\"ok${ESC}[2J\",A" \
		"Dee${ESC}[31m Dunn,+15550004,,consult,kim,2026-10-06 10:00,,done,,B" >appts.csv
	before=$(events)
	run -65 --separate-stderr appt import appointments appts.csv
	[[ "$stderr" == *"appts.csv:2: notes contains a control character (U+001B)"* ]]
	[[ "$stderr" == *"appts.csv:3: client contains a control character (U+001B)"* ]]
	assert_equal "$(events)" "$before"
	printf 'name,phone,notes\r\nDee Dunn,+15550004,"line one\r\nline two"\r\n' >clients.csv
	run -0 appt import clients clients.csv
}

@test "old invalid UTF-8 in an audit snapshot: JSON exports repair it, never null" {
	only_on sqlite # a PostgreSQL text column cannot hold invalid UTF-8 at all
	store_old_text
	run -0 bash -c 'appt export events --format json | python3 -c "
import json, sys
rows = json.load(sys.stdin)
old = [r for r in rows if r[\"actor\"] == \"old\"][0]
print(old[\"after\"][\"note\"], old[\"before\"])"'
	assert_output $'caf\uFFFD {\'note\': None}'
	run -0 bash -c 'appt show 1 --format json | python3 -c "
import json, sys
a = json.load(sys.stdin)
print(a[\"note\"][:4], a[\"events\"][-1][\"after\"][\"note\"])"'
	assert_output $'caf\uFFFD caf\uFFFD'
}

@test "old invalid UTF-8 in a CSV or iCalendar export is repaired: the file is UTF-8" {
	only_on sqlite # a PostgreSQL text column cannot hold invalid UTF-8 at all
	store_old_text
	for what in "appointments" "events" "appointments --format ics"; do
		run -0 bash -c "appt export $what | iconv -f UTF-8 -t UTF-8 >/dev/null"
	done
	run -0 bash -c 'appt export appointments | grep -c "caf"$'"'\\xef\\xbf\\xbd'"
	assert_output "1"
}

@test "nothing printed to a terminal carries a stored control character" {
	only_on sqlite # a PostgreSQL text column cannot hold invalid UTF-8 at all
	store_old_text
	INERT_NAME="Ann ("$'\uFFFD'"| )\[31mArcher"
	for cmd in "show 1" "list --date 2027-03-03 --format table" "client show 1" "report day --from 2027-03-03 --format table"; do
		run -0 appt $cmd
		# The escape shows as U+FFFD (or a blank): visible, and inert.
		[[ "$output" =~ $INERT_NAME ]] || { echo "$cmd: $output"; return 1; }
		[[ "$output" != *"$ESC"* ]]
	done
	run -0 appt show 1
	assert_line --partial $'note:         caf\uFFFD\uFFFD[2Jgone'
	# Error messages quote what they refuse without passing escapes on.
	run -2 --separate-stderr appt client show "x${ESC}[2J"
	[[ "$stderr" != *"$ESC"* ]]
	[[ "$stderr" == *$'x\uFFFD[2J'* ]]
}
