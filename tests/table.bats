#!/usr/bin/env bats
# Tables fit the terminal (DESIGN.md, Clients): with --format table a table
# is at most $COLUMNS wide; ids, dates, times and phones are never cut; names,
# notes, reasons and message text are shortened with "…"; --wide prints them
# whole; CSV and JSON are never touched.  The clock is Monday 2027-03-01 08:00.

load test_helper

LONG_NAME="Maximiliana Archibald-Worthington of Westfield"
LONG_EMAIL="maximiliana.archibald-worthington@westfield.example.com"
WIDE_NAME="李小龙李小龙李小龙李小龙"

setup() {
	common_setup
	init_db
	appt client add -q --name "$LONG_NAME" --phone "+15550009" --email "$LONG_EMAIL" >/dev/null
	appt client add -q --name "$WIDE_NAME" --phone "+15550010" >/dev/null
	appt book -q --client 4 --service consult --provider kim --at "2027-03-01 10:00" >/dev/null
	appt book -q --client 5 --service peel --provider kim --at "2027-03-01 11:00" >/dev/null
}

# Every line of $output is valid UTF-8 (no character split by a cut).
assert_utf8() {
	python3 -c 'import sys; sys.stdin.buffer.read().decode("utf-8", "strict")' <<<"$output"
}

@test "list: COLUMNS=80 fits; ids, times and phones whole; names cut with …" {
	COLUMNS= run -0 appt list --format table
	(( $(widest) > 80 ))
	COLUMNS=80 run -0 --separate-stderr appt list --format table
	assert_equal "$stderr" ""
	(( $(widest) <= 80 ))
	assert_line --index 0 --regexp "^id +time +client +phone +service +provider +resource +status$"
	assert_line --index 1 --regexp "^1 +10:00-10:30 +Maximiliana [^ ]*…  +\+15550009 +consult +kim +booked$"
	assert_line --index 2 --regexp "^2 +11:00-11:45 +李小龙[^ ]*…? +\+15550010 +peel +kim +room-1 +booked$"
	assert_utf8
}

@test "list: COLUMNS=60 cuts wide characters whole, counting each as two columns" {
	COLUMNS=60 run -0 appt list --format table --date 2027-03-01
	assert_utf8
	# a wide character that would cross the cut is left out, not split
	assert_line --index 2 --regexp "^2 +11:00-11:45 +李小龙 ?… +\+15550010 "
	[[ ${lines[1]} == *"10:00-10:30"* ]]
}

@test "list: --wide prints names whole; CSV and JSON are never shortened" {
	COLUMNS=60 run -0 appt list --format table --wide
	assert_line --index 1 --regexp "^1 +10:00-10:30 +$LONG_NAME +\+15550009 "
	assert_line --index 2 --regexp "^2 +11:00-11:45 +$WIDE_NAME +\+15550010 "
	[[ $output != *"…"* ]]
	COLUMNS=30 run -0 appt list --format csv
	assert_line --index 1 --partial ",$LONG_NAME,"
	[[ $output != *"…"* ]]
	COLUMNS=30 run -0 appt list --format json
	[[ $output == *"\"client\":\"$LONG_NAME\""* ]]
	[[ $output != *"…"* ]]
}

@test "without COLUMNS a table on a pipe is not shortened" {
	run -0 appt list --format table
	assert_line --index 1 --regexp "^1 +10:00-10:30 +$LONG_NAME +\+15550009 "
	COLUMNS=junk run -0 appt list --format table
	assert_line --index 1 --partial "$LONG_NAME"
}

@test "client list: COLUMNS=60 fits; names and e-mails give way, ids and phones do not" {
	COLUMNS=60 run -0 appt client list --format table
	(( $(widest) <= 60 ))
	assert_line --index 4 --regexp "^4 +Maximil[^ ]*…  +\+15550009 +maximil[^ ]*…  +sms "
	assert_line --index 5 --regexp "^5 +李小龙 ?… +\+15550010 "
	assert_utf8
	COLUMNS=60 run -0 appt client list --format table --wide
	assert_line --index 4 --regexp "^4 +$LONG_NAME +\+15550009 +$LONG_EMAIL +sms "
}

@test "shrinking is fair: the widest text gives way first, until texts share the room" {
	APPT_NOW=2027-03-01T09:00 appt log --client 4 --via call "$(printf 'word %.0s' {1..80})" >/dev/null
	COLUMNS=100 run -0 appt report contacts --format table --client 4
	(( $(widest) <= 100 ))
	# client and text, both cut, end up (nearly) as wide as each other
	run -0 python3 -c '
import sys
rows = sys.argv[1].splitlines()
head = rows[0]
client, text, by = head.index("client"), head.index("text"), head.index("by")
type_ = head.index("type")
print(abs((type_ - client) - (by - text)) <= 1)' "$output"
	assert_output "True"
}

@test "report contacts: a 600-character text with newlines is one line, cut at COLUMNS" {
	# the noshow notice (an SMS: no subject) becomes a two-line, 600-character body
	python3 - "$APPT_CONFIG" <<-'EOF'
		import sys
		path = sys.argv[1]
		text = open(path).read()
		body = "Hello, this is a very long message.\\n" + "Please read all of this carefully. " * 17
		start = text.index('    body: "Hello {{client.first_name}}, we missed you')
		end = text.index("\n", start)
		open(path, "w").write(text[:start] + '    body: "' + body + '"' + text[end:])
	EOF
	APPT_NOW=2027-03-01T10:30 appt noshow 1 >/dev/null
	COLUMNS=80 run -0 appt report contacts --format table --client 4
	(( $(widest) <= 80 ))
	assert_equal "${#lines[@]}" 3
	assert_line --index 2 --regexp "^2027-03-01 10:30  Maxim[^ ]*…  message  sms +sent +Hello[^…]*…  appt$"
	COLUMNS=80 run -0 appt report contacts --format table --client 4 --wide
	assert_equal "${#lines[@]}" 3
	(( $(widest) > 600 ))
	[[ ${lines[2]} == *"very long message. Please read"*"carefully. "*" appt" ]]
	COLUMNS=80 run -0 appt report contacts --format csv --client 4
	[[ $output == *$'very long message.\nPlease read'* ]]
}

@test "block list and slots fit too; times whole" {
	appt block --provider lee --from "2027-03-02 09:00" --to "2027-03-02 10:00" \
		--reason "dentist appointment across town, then the school run" >/dev/null
	COLUMNS=60 run -0 appt block list --format table
	(( $(widest) <= 60 ))
	assert_line --index 1 --regexp "^1 +lee +2027-03-02 09:00 +2027-03-02 10:00 +dentist [^ ]*…$"
	COLUMNS=60 run -0 appt block list --format table --wide
	assert_line --index 1 --partial "then the school run"
	COLUMNS=45 run -0 appt slots --service consult --provider kim --format table
	(( $(widest) <= 45 ))
	assert_line --index 1 --regexp "^2027-03-01 09:00 +09:30 +kim +Kim Kow…"
	COLUMNS=45 run -0 appt slots --service consult --provider kim --format table --wide
	assert_line --index 1 --partial "Kim Kowalski"
}

@test "headers give way last, and only when that makes the table fit" {
	# at 60 the client list fits only with its short-valued headers cut
	COLUMNS=60 run -0 appt client list --format table
	assert_line --index 0 --regexp "^id +name +phone +email +chan… +prog… +bloc… +nos…$"
	# the day sheet cannot fit 40 columns: its headers stay whole
	COLUMNS=40 run -0 appt report day --format table
	assert_line --index 0 --regexp "^id +start +end +provider +client +phone +service +room +state +alerts +notes$"
}

@test "every table command takes --wide, and names it in its usage" {
	local cmd
	for cmd in "list" "client list" "block list" "report day"; do
		run -0 appt $cmd --format table --wide
		run -0 appt $cmd --help
		assert_output --partial "--wide"
	done
	run -0 appt slots --service consult --format table --wide
	run -0 appt slots --help
	assert_output --partial "--wide"
	run -64 --separate-stderr appt block add --wide
	assert_regex "$stderr" "unknown option '--wide'"
}
