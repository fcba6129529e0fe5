#!/usr/bin/env bats
# appt list: the agenda of a day or a range of days, filtered by provider,
# client and status, as a table, CSV or JSON.  The clock is Monday 2027-03-01
# 08:00 in America/Denver (UTC-7); 2027-03-05 is a closure.

load test_helper

setup() {
	common_setup
	init_db
}

book() {
	appt book --client "$1" --service "${3:-consult}" --provider "${4:-kim}" --at "$2" -q >/dev/null
}

# The ids listed (CSV, header skipped), space-separated.
listed_ids() {
	appt list --format csv "$@" | tail -n +2 | cut -d, -f1 | tr '\r\n' '  ' | tr -s ' ' | sed 's/ $//'
}

HEADER_CSV="id,start,end,client,phone,service,provider,resource,status,confirmed"

# CSV lines end in CRLF (RFC 4180); compare them without the CR.
strip_cr() {
	output=${output//$'\r'/}
	lines=("${lines[@]%$'\r'}")
}

@test "lists today by default, in start order" {
	book Bob "2027-03-01 11:00"
	book Ann "2027-03-01 10:00" consult lee
	book Cy "2027-03-02 10:00"
	run -0 listed_ids
	assert_output "2 1"
}

@test "CSV has ISO 8601 instants with the offset" {
	book Ann "2027-03-01 10:00" peel
	run -0 --separate-stderr appt list --format csv
	assert_equal "$stderr" ""
	assert_equal "${lines[0]}" "$HEADER_CSV"$'\r'
	strip_cr
	assert_line --index 0 "$HEADER_CSV"
	# A leading + would run as a formula in a spreadsheet: neutralised.
	assert_line --index 1 "1,2027-03-01T10:00:00-07:00,2027-03-01T10:45:00-07:00,Ann Archer,\"'+15550001\",peel,kim,room-1,booked,0"
	assert_equal "${#lines[@]}" 2
}

@test "CSV is the default when stdout is not a terminal" {
	book Ann "2027-03-01 10:00"
	run -0 appt list
	strip_cr
	assert_line --index 0 "$HEADER_CSV"
	assert_line --index 1 --partial "1,2027-03-01T10:00:00-07:00,"
}

@test "a table shows start-end, and the local date when it lists several days" {
	book Ann "2027-03-01 10:00" peel
	book Bob "2027-03-01 11:00"
	book Cy "2027-03-02 10:00"
	appt confirm 2 --via email >/dev/null
	run -0 --separate-stderr appt list --format table
	assert_equal "$stderr" ""
	assert_line --index 0 --regexp "^id +time +client +phone +service +provider +resource +status$"
	assert_line --index 1 --regexp "^1 +10:00-10:45 +Ann Archer +\+15550001 +peel +kim +room-1 +booked$"
	assert_line --index 2 --regexp "^2 +11:00-11:30 +Bob Baker +\+15550002 +consult +kim +confirmed$"
	assert_equal "${#lines[@]}" 3
	run -0 appt list --format table --from today --to tomorrow
	assert_line --index 0 --regexp "^id +date +time +client +phone +service +provider +resource +status$"
	assert_line --index 1 --regexp "^1 +2027-03-01 +10:00-10:45 +Ann Archer "
	assert_line --index 3 --regexp "^3 +2027-03-02 +10:00-10:30 +Cy Cole "
	run -0 appt list --format table --from today
	assert_line --index 0 --regexp "^id +date +time "
}

@test "JSON is an array of objects with typed values" {
	book Ann "2027-03-01 10:00"
	appt confirm 1 >/dev/null
	run -0 --separate-stderr appt list --format json
	assert_equal "$stderr" ""
	assert_line --index 0 "["
	assert_line --index 1 '  {"id":1,"start":"2027-03-01T10:00:00-07:00","end":"2027-03-01T10:30:00-07:00","client":"Ann Archer","phone":"+15550001","service":"consult","provider":"kim","resource":null,"status":"confirmed","confirmed":true}'
	assert_line --index 2 "]"
}

@test "an empty agenda is a header, a bare table header, or []" {
	run -0 --separate-stderr appt list --format csv
	strip_cr
	assert_output "$HEADER_CSV"
	assert_equal "$stderr" ""
	run -0 --separate-stderr appt list --format table
	assert_output --regexp "^id +time +client +phone +service +provider +resource +status$"
	run -0 --separate-stderr appt list --format json
	assert_equal "$(python3 -c 'import json, sys; print(json.loads(sys.argv[1]))' "$output")" "[]"
}

@test "--date takes a date, today, tomorrow or a day word" {
	book Ann "2027-03-01 10:00"
	book Bob "2027-03-02 10:00"
	book Cy "2027-03-03 10:00"
	run -0 listed_ids --date 2027-03-02
	assert_output "2"
	run -0 listed_ids --date tomorrow
	assert_output "2"
	run -0 listed_ids --date wed
	assert_output "3"
	run -0 listed_ids --date today
	assert_output "1"
	# a day word for today's weekday is today, not next week
	run -0 listed_ids --date mon
	assert_output "1"
	run -0 listed_ids --from mon --to tue
	assert_output "1 2"
}

@test "--from/--to includes the whole last day" {
	book Ann "2027-03-01 10:00"
	book Bob "2027-03-03 16:30"
	book Cy "2027-03-04 09:00"
	run -0 listed_ids --from 2027-03-01 --to 2027-03-03
	assert_output "1 2"
	run -0 listed_ids --from 2027-03-02 --to 2027-03-02
	assert_output ""
}

@test "--from alone has no end; --to alone starts today" {
	book Ann "2027-03-01 10:00"
	book Bob "2027-03-03 10:00"
	book Cy "2027-04-20 10:00"
	run -0 listed_ids --from 2027-03-02
	assert_output "2 3"
	run -0 listed_ids --to 2027-03-03
	assert_output "1 2"
}

@test "--date with --from or --to is a usage error (64)" {
	run -64 --separate-stderr appt list --date today --from today
	assert_output ""
	assert_regex "$stderr" "^appt list: --date cannot be combined with --from or --to"
	run -64 appt list --date today --to tomorrow
}

@test "--to before the first day is bad data (65)" {
	run -65 --separate-stderr appt list --from 2027-03-03 --to 2027-03-02
	assert_output ""
	assert_regex "$stderr" "^appt list: --to 2027-03-02 is before"
}

@test "an unparsable date is bad data (65)" {
	run -65 --separate-stderr appt list --date 2027-02-30
	assert_output ""
	assert_regex "$stderr" "2027-02-30"
	run -65 appt list --from yesterday-ish --to today
}

@test "--provider keeps one provider's appointments" {
	book Ann "2027-03-01 10:00" consult lee
	book Bob "2027-03-01 10:00" consult kim
	run -0 listed_ids --provider lee
	assert_output "1"
}

@test "an unknown provider is not found (2)" {
	run -2 --separate-stderr appt list --provider nobody
	assert_output ""
	assert_regex "$stderr" "^appt list: no provider 'nobody'"
}

@test "--client takes a name, number, phone or e-mail" {
	book Ann "2027-03-01 10:00"
	book Bob "2027-03-01 11:00"
	book Ann "2027-03-01 14:00"
	run -0 listed_ids --client ann
	assert_output "1 3"
	run -0 listed_ids --client 2
	assert_output "2"
	run -0 listed_ids --client bob@example.com
	assert_output "2"
	run -0 listed_ids --client +15550001
	assert_output "1 3"
}

@test "an unknown client is not found (2); an ambiguous one is refused (1)" {
	run -2 --separate-stderr appt list --client Zed
	assert_output ""
	assert_regex "$stderr" "^appt list: .*Zed"
	appt client add -q --name "Ann Other" >/dev/null
	run -1 --separate-stderr appt list --client ann
	assert_output ""
	assert_regex "$stderr" "Ann Archer"
}

@test "--status filters, and cancelled appointments stay on the agenda" {
	book Ann "2027-03-01 10:00"
	book Bob "2027-03-01 11:00"
	appt cancel 1 --reason "ill" >/dev/null
	run -0 listed_ids
	assert_output "1 2"
	run -0 listed_ids --status cancelled
	assert_output "1"
	run -0 listed_ids --status booked
	assert_output "2"
	APPT_NOW=2027-03-01T11:00 appt start 2 >/dev/null
	run -0 listed_ids --status in-progress
	assert_output "2"
}

@test "an unknown status is bad data (65) listing the valid ones" {
	run -65 --separate-stderr appt list --status finished
	assert_output ""
	assert_regex "$stderr" "^appt list: unknown status 'finished' \(expected one of: booked, confirmed, waiting, in-progress, done, cancelled, no-show, held\)$"
}

@test "an unknown format is bad data (65); stray arguments are usage errors (64)" {
	run -65 --separate-stderr appt list --format xml
	assert_regex "$stderr" "'xml'"
	run -64 --separate-stderr appt list today
	assert_regex "$stderr" "unexpected argument 'today'"
	run -64 appt list --bogus
}

@test "--help prints the usage" {
	run -0 --separate-stderr appt list --help
	assert_line --index 0 --partial "usage: appt list [--date D | --from D --to D]"
	assert_equal "$stderr" ""
}
