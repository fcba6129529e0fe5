#!/usr/bin/env bats
# appt report: day, unconfirmed, noshows, cancellations, utilization, fees,
# contacts, messages.  One hand-computed week is built once through the
# commands (America/Denver, UTC-7 in early March 2027):
#
#   #  client   service  provider  start             ends as
#   1  Ann      consult  kim       Tue 03-02 09:00   done
#   2  Bob      consult  kim       Tue 03-02 10:00   done
#   3  Cy       consult  lee       Tue 03-02 09:00   done
#   4  Ann      consult  kim       Wed 03-03 09:00   no-show (fee 40.00)
#   5  Ann      consult  lee       Wed 03-03 10:00   no-show (fee 40.00)
#   6  Bob      consult  kim       Wed 03-03 11:00   cancelled 2 days ahead
#   7  Cy       consult  kim       Thu 03-04 09:00   cancelled late (fee 25.00)
#   8  Zoë Ng   consult  kim       Thu 03-04 10:00   booked
#   9  李小龙   peel     kim       Thu 03-04 11:00   confirmed
#  10  Bob      consult  lee       Mon 03-08 09:00   booked
#
# Lee is off Thursday 09:00-10:00; Friday 03-05 is a closure.  Reports run at
# Thursday 03-04 08:00 unless a test says otherwise.

load test_helper

MY_REPORTS="day unconfirmed noshows cancellations utilization fees contacts messages"

book() {
	appt book -q --client "$1" --service "$2" --provider "$3" --at "$4" >/dev/null
}

build_week() {
	init_db
	appt client add -q --name "Zoë Ng" --phone "+15550004" --note "allergic to latex" >/dev/null
	appt client note 4 "prefers mornings" >/dev/null
	appt client add -q --name "李小龙" --phone "+15550005" >/dev/null
	book Ann consult kim "2027-03-02 09:00"
	book Bob consult kim "2027-03-02 10:00"
	book Cy consult lee "2027-03-02 09:00"
	book Ann consult kim "2027-03-03 09:00"
	book Ann consult lee "2027-03-03 10:00"
	book Bob consult kim "2027-03-03 11:00"
	book Cy consult kim "2027-03-04 09:00"
	book 4 consult kim "2027-03-04 10:00"
	book 5 peel kim "2027-03-04 11:00"
	book Bob consult lee "2027-03-08 09:00"
	appt block --provider lee --from "2027-03-04 09:00" --to "2027-03-04 10:00" --reason dentist >/dev/null
	appt cancel 6 --reason "moving away" >/dev/null
	appt confirm 9 >/dev/null
	for id in 1 2 3; do APPT_NOW=2027-03-02T10:45 appt done $id >/dev/null; done
	APPT_NOW=2027-03-03T10:30 appt noshow 4 >/dev/null
	APPT_NOW=2027-03-03T10:30 appt noshow 5 >/dev/null 2>&1
	APPT_NOW=2027-03-03T12:00 appt cancel 7 --reason overslept >/dev/null
}

setup_file() {
	local BATS_TEST_TMPDIR="$BATS_FILE_TMPDIR"
	common_setup
	build_week
}

setup() {
	common_setup
	use_file_db
	export APPT_NOW=2027-03-04T08:00
}

# A report as CSV with the RFC 4180 line ends taken off, for line assertions.
csv() {
	set -o pipefail
	appt report "$@" --format csv | tr -d '\r'
}

# Runs python3 on the JSON in $output: the code sees it as `rows`.
json() {
	python3 -c "import json, sys; rows = json.load(sys.stdin); $1" <<<"$output"
}

@test "noshows: rate = no-shows / (done + no-shows), overall, by provider, by client" {
	run -0 --separate-stderr csv noshows
	assert_equal "$stderr" ""
	assert_equal "${#lines[@]}" 5
	assert_line --index 0 "scope,id,name,done,noshows,rate,in_window,flag"
	assert_line --index 1 "overall,,,3,2,40.0,,"
	assert_line --index 2 "provider,,kim,2,1,33.3,,"
	assert_line --index 3 "provider,,lee,1,1,50.0,,"
	assert_line --index 4 "client,1,Ann Archer,1,2,66.7,2,warn"
}

@test "noshows JSON: counts and rates are numbers" {
	run -0 appt report noshows --format json
	run -0 json '
o, kim, lee, ann = rows
assert o == {"scope": "overall", "id": None, "name": None, "done": 3, "noshows": 2,
             "rate": 40.0, "in_window": None, "flag": None}, o
assert (kim["name"], kim["done"], kim["noshows"], kim["rate"]) == ("kim", 2, 1, 33.3)
assert (lee["name"], lee["done"], lee["noshows"], lee["rate"]) == ("lee", 1, 1, 50.0)
assert (ann["id"], ann["noshows"], ann["rate"], ann["in_window"], ann["flag"]) == (1, 2, 66.7, 2, "warn")
print("ok")'
	assert_output "ok"
}

@test "noshows flags follow policies.noshow: block_after, a blocked client, the window" {
	set_config block_after 2
	run -0 csv noshows
	assert_line --index 4 "client,1,Ann Archer,1,2,66.7,2,block"
	appt client block Ann --reason "unpaid fees" >/dev/null
	run -0 csv noshows
	assert_line --index 4 "client,1,Ann Archer,1,2,66.7,2,blocked"
	appt client unblock Ann >/dev/null
	# A month later with a 7-day window the no-shows no longer count.
	set_config window 7d
	APPT_NOW=2027-04-01T08:00 run -0 csv noshows \
		--from 2027-03-01 --to 2027-03-31
	assert_line --index 4 "client,1,Ann Archer,1,2,66.7,0,"
}

@test "noshows filters: --provider and --client" {
	run -0 csv noshows --provider lee
	assert_equal "${#lines[@]}" 4
	assert_line --index 1 "overall,,,1,1,50.0,,"
	assert_line --index 2 "provider,,lee,1,1,50.0,,"
	assert_line --index 3 "client,1,Ann Archer,0,1,100.0,2,warn"
	run -0 csv noshows --client Bob
	assert_equal "${#lines[@]}" 3
	assert_line --index 1 "overall,,,1,0,0.0,,"
	assert_line --index 2 "provider,,kim,1,0,0.0,,"
}

@test "noshows default period is the last 30 days" {
	# Today and the 29 days before it: on 03-31 that starts at 03-02.
	APPT_NOW=2027-03-31T08:00 run -0 csv noshows
	assert_line --index 1 "overall,,,3,2,40.0,,"
	APPT_NOW=2027-04-01T08:00 run -0 csv noshows
	assert_line --index 1 "overall,,,0,2,100.0,,"
	APPT_NOW=2027-04-02T08:00 run -0 csv noshows
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 "overall,,,0,0,,,"
}

@test "cancellations: reason, who, late flag and the fee charged" {
	run -0 csv cancellations
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 "id,start,cancelled_at,client,service,provider,reason,cancelled_by,late,fee"
	assert_line --index 1 "6,2027-03-03T11:00:00-07:00,2027-03-01T08:00:00-07:00,Bob Baker,consult,kim,moving away,client,0,"
	assert_line --index 2 "7,2027-03-04T09:00:00-07:00,2027-03-03T12:00:00-07:00,Cy Cole,consult,kim,overslept,client,1,25.00"
	run -0 appt report cancellations --format json
	run -0 json '
assert [r["late"] for r in rows] == [False, True]
assert [r["fee"] for r in rows] == [None, "25.00"]
print("ok")'
	assert_output "ok"
}

@test "cancellations: the visit or the cancellation in the period" {
	# #7 starts Thursday 03-04 (cancelled Wednesday)
	run -0 csv cancellations --from 2027-03-04 --to 2027-03-04
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 --partial "7,2027-03-04T09:00:00-07:00,"
	# #6 was cancelled on Monday 03-01, for Wednesday
	run -0 csv cancellations --date 2027-03-01
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 --partial "6,2027-03-03T11:00:00-07:00,2027-03-01T08:00:00-07:00,Bob Baker,"
	# Wednesday: #6's visit and #7's cancellation, once each
	run -0 csv cancellations --date 2027-03-03
	assert_equal "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f1 | tr '\n' ' ')" "6 7 "
}

@test "cancellations: today's cancellation of next week's visit is in today's report" {
	appt cancel 10 --reason "found another clinic" >/dev/null
	assert_equal "$(db 'SELECT cancelled_at FROM appointments WHERE id = 10')" "$(date -d '2027-03-04 08:00 -07:00' +%s)"
	# today (Thursday): #7, a visit of today, and #10, cancelled today
	run -0 csv cancellations --date today
	assert_equal "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f1 | tr '\n' ' ')" "7 10 "
	assert_line --index 2 "10,2027-03-08T09:00:00-07:00,2027-03-04T08:00:00-07:00,Bob Baker,consult,lee,found another clinic,client,0,"
	# and in the default period (the last 30 days), by the visit's start
	run -0 csv cancellations
	assert_equal "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f1 | tr '\n' ' ')" "6 7 10 "
	run -0 appt report cancellations --format table --date today
	assert_line --index 2 --regexp "^10 +2027-03-08 09:00 +2027-03-04 08:00 +Bob Baker "
}

@test "fees: every charge and the total" {
	run -0 csv fees
	assert_equal "${#lines[@]}" 5
	assert_line --index 0 "id,at,client,appointment,kind,amount,status,paid,waived,paid_by,actor,waived_by,waive_reason"
	assert_line --index 1 "1,2027-03-03T10:30:00-07:00,Ann Archer,4,no-show,40.00,open,0.00,0.00,,desk,,"
	assert_line --index 2 "2,2027-03-03T10:30:00-07:00,Ann Archer,5,no-show,40.00,open,0.00,0.00,,desk,,"
	assert_line --index 3 "3,2027-03-03T12:00:00-07:00,Cy Cole,7,late-cancel,25.00,open,0.00,0.00,,desk,,"
	assert_line --index 4 ",,,,total,105.00,,0.00,0.00,,,,"
	run -0 appt report fees --format json --provider lee
	run -0 json '
assert [(r["appointment"], r["kind"], r["amount"]) for r in rows] == [(5, "no-show", "40.00"), (None, "total", "40.00")]
print("ok")'
	assert_output "ok"
}

@test "fees: an empty period still has its total" {
	run -0 csv fees --from 2027-01-01 --to 2027-01-31
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 ",,,,total,0.00,,0.00,0.00,,,,"
}

@test "utilization: booked over open minutes, less closures and time off" {
	# kim: 09-12 and 13-17 = 420 min a day; lee: 09-12 = 180, Thursday 120
	# (off 09-10).  A no-show held its slot; a cancellation did not.  Friday
	# is a closure and has no row.
	run -0 csv utilization --from 2027-03-02 --to 2027-03-05
	assert_equal "${#lines[@]}" 10
	assert_line --index 0 "scope,date,provider,open_min,booked_min,percent"
	assert_line --index 1 "day,2027-03-02,kim,420,60,14.3"
	assert_line --index 2 "day,2027-03-03,kim,420,30,7.1"
	assert_line --index 3 "day,2027-03-04,kim,420,75,17.9"
	assert_line --index 4 "provider,,kim,1260,165,13.1"
	assert_line --index 5 "day,2027-03-02,lee,180,30,16.7"
	assert_line --index 6 "day,2027-03-03,lee,180,30,16.7"
	assert_line --index 7 "day,2027-03-04,lee,120,0,0.0"
	assert_line --index 8 "provider,,lee,480,60,12.5"
	assert_line --index 9 "total,,,1740,225,12.9"
}

@test "utilization: a group class booked by several clients counts its hour once" {
	# class: capacity 3, an hour with kim; Ann, Bob and Cy on Saturday 10:00
	for c in Ann Bob Cy; do book "$c" class kim "2027-03-06 10:00"; done
	assert_equal "$(db "SELECT count(*) FROM appointments WHERE service = 'class'")" 3
	run -0 csv utilization --date 2027-03-06 --provider kim
	assert_line --index 1 "day,2027-03-06,kim,240,60,25.0"
	# a cancelled seat leaves the session booked; the last one frees it
	appt cancel 11 --reason "ill" >/dev/null
	appt cancel 12 --reason "ill" >/dev/null
	run -0 csv utilization --date 2027-03-06 --provider kim
	assert_line --index 1 "day,2027-03-06,kim,240,60,25.0"
	appt cancel 13 --reason "ill" >/dev/null
	run -0 csv utilization --date 2027-03-06 --provider kim
	assert_line --index 1 "day,2027-03-06,kim,240,0,0.0"
}

@test "utilization JSON and --provider" {
	run -0 appt report utilization --format json --from 2027-03-02 --to 2027-03-05 --provider lee
	run -0 json '
assert [(r["scope"], r["date"], r["open_min"], r["booked_min"], r["percent"]) for r in rows] == [
    ("day", "2027-03-02", 180, 30, 16.7), ("day", "2027-03-03", 180, 30, 16.7),
    ("day", "2027-03-04", 120, 0, 0.0), ("provider", None, 480, 60, 12.5),
    ("total", None, 480, 60, 12.5)], rows
print("ok")'
	assert_output "ok"
}

@test "unconfirmed: upcoming appointments still booked, soonest first" {
	# CSV neutralises the phone's leading + (a spreadsheet formula).
	run -0 csv unconfirmed
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 "id,start,client,phone,service,provider,hours,past_deadline"
	assert_line --index 1 "8,2027-03-04T10:00:00-07:00,Zoë Ng,\"'+15550004\",consult,kim,2.0,1"
	assert_line --index 2 "10,2027-03-08T09:00:00-07:00,Bob Baker,\"'+15550002\",consult,lee,97.0,0"
	# The next seven days, today included: from Monday they end on Sunday,
	# from Tuesday they reach the next Monday.
	APPT_NOW=2027-03-01T08:00 run -0 csv unconfirmed
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 "8,2027-03-04T10:00:00-07:00,Zoë Ng,\"'+15550004\",consult,kim,74.0,0"
	APPT_NOW=2027-03-02T08:00 run -0 csv unconfirmed
	assert_equal "${#lines[@]}" 3
	# A start that has passed is for appt noshow, however 'booked' it is.
	APPT_NOW=2027-03-04T10:01 run -0 csv unconfirmed
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 --partial "10,2027-03-08T09:00:00-07:00,"
}

@test "day: the sheet per provider then time, with the client's notes" {
	run -0 csv day
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 "id,start,end,provider,client,phone,service,room,state,confirmed,alerts,notes"
	assert_line --index 1 "8,2027-03-04T10:00:00-07:00,2027-03-04T10:30:00-07:00,kim,Zoë Ng,\"'+15550004\",consult,,booked,0,,allergic to latex; prefers mornings"
	assert_line --index 2 "9,2027-03-04T11:00:00-07:00,2027-03-04T11:45:00-07:00,kim,李小龙,\"'+15550005\",peel,room-1,confirmed,1,,"
	run -0 appt report day --format json
	run -0 json '
assert [(r["id"], r["confirmed"], r["room"], r["notes"]) for r in rows] == [
    (8, False, None, "allergic to latex; prefers mornings"), (9, True, "room-1", None)], rows
print("ok")'
	assert_output "ok"
}

@test "day: a client's alerts in a column of their own, before the other notes" {
	appt client note 4 --alert allergic to salicylic acid >/dev/null
	run -0 csv day
	assert_line --index 1 "8,2027-03-04T10:00:00-07:00,2027-03-04T10:30:00-07:00,kim,Zoë Ng,\"'+15550004\",consult,,booked,0,allergic to salicylic acid,allergic to latex; prefers mornings"
	run -0 appt report day --format table
	assert_line --index 0 --regexp "  state +alerts +notes$"
	assert_line --index 1 --regexp "  allergic to salicylic acid  allergic to latex; prefers mornings$"
}

@test "day over several days: provider first, a date column in the table" {
	run -0 csv day --from 2027-03-02 --to 2027-03-03
	assert_equal "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f1 | tr '\n' ' ')" "1 2 4 3 5 "
	run -0 appt report day --format table --from 2027-03-02 --to 2027-03-03
	assert_line --index 0 --regexp "^id  date        start  end    provider  client "
	assert_line --index 1 --regexp "^1   2027-03-02  09:00  09:30  kim       Ann Archer  .*  done$"
	assert_line --index 5 --regexp "^5   2027-03-03  10:00  10:30  lee       Ann Archer  .*  no-show"
	run -0 appt report day --format table
	assert_line --index 0 --regexp "^id  start  end    provider  client "
}

@test "day --date D: the sheet of any day, today by default" {
	run -0 csv day --date 2027-03-02
	assert_equal "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f1 | tr '\n' ' ')" "1 2 3 "
	run -0 appt report day --date 2027-03-03 --format table
	assert_line --index 0 --regexp "^id  start  end    provider  client "
	assert_line --index 1 --regexp "^4   09:00  09:30  kim       Ann Archer  .*  no-show"
	# a day word: Thursday's "tue" is next Tuesday, "thu" today
	run -0 csv day --date thu
	assert_equal "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f1 | tr '\n' ' ')" "8 9 "
	APPT_NOW=2027-03-02T08:00 run -0 csv day --date tomorrow
	assert_equal "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f1 | tr '\n' ' ')" "4 5 "
	# any report takes it as that one day
	run -0 csv fees --date 2027-03-03
	assert_equal "${#lines[@]}" 5
	assert_line --index 4 ",,,,total,105.00,,0.00,0.00,,,,"
	run -64 --separate-stderr appt report day --date today --from today
	assert_regex "$stderr" "^appt report: --date cannot be combined with --from or --to"
	run -65 --separate-stderr appt report day --date 2027-02-30
	assert_regex "$stderr" "^appt report: invalid date '2027-02-30'"
}

@test "day --provider and --client narrow the sheet" {
	run -0 csv day --from 2027-03-02 --to 2027-03-04 --provider lee
	assert_equal "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f1 | tr '\n' ' ')" "3 5 "
	run -0 csv day --from 2027-03-02 --to 2027-03-04 --client Ann
	assert_equal "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f1 | tr '\n' ' ')" "1 4 5 "
}

@test "contacts: messages and logged contacts merged by time" {
	APPT_NOW=2027-03-03T11:00 appt log --client Ann --via call --outcome voicemail "left a message about 4" >/dev/null
	run -0 csv contacts --client Ann
	assert_line --index 0 "at,client,type,channel,status,attempt,last_service,text,by"
	assert_line --index 1 "2027-03-01T08:00:00-07:00,Ann Archer,message,sms,sent,,,Your Consultation on Tuesday 2 March 2027,appt"
	assert_line --index 6 "2027-03-03T11:00:00-07:00,Ann Archer,contact,call,voicemail,,,left a message about 4,desk"
	assert_equal "${#lines[@]}" 7
	run -0 appt report contacts --format json --from 2027-03-03 --to 2027-03-03
	run -0 json '
assert [(r["client"], r["type"], r["by"]) for r in rows] == [
    ("Ann Archer", "message", "appt"), ("Ann Archer", "message", "appt"),
    ("Ann Archer", "contact", "desk"), ("Cy Cole", "message", "appt")], rows
print("ok")'
	assert_output "ok"
}

@test "contacts for a client without dates is the whole history" {
	APPT_NOW=2027-06-01T08:00 run -0 csv contacts --client "Zoë Ng"
	assert_equal "${#lines[@]}" 2
	APPT_NOW=2027-06-01T08:00 run -0 csv contacts
	assert_equal "${#lines[@]}" 1
}

# add_failed N CREATED: a reminder to Bob that failed with "sendmail exited N".
add_failed() {
	local at
	at=$(date -d "$2 -07:00" +%s)
	db "INSERT INTO messages (key, kind, name, client_id, channel, status, last_error,
		due_at, next_attempt_at, created_at, updated_at)
		VALUES ('test:$1', 'reminder', 'day before', 2, 'email', 'failed',
		'sendmail exited $1', $at, $at, $at, $at)"
}

@test "messages: counts by kind and status, oldest, the latest error" {
	add_failed 1 "2027-03-02 07:00"
	add_failed 2 "2027-03-03 07:00"
	run -0 csv messages
	assert_line --index 0 "kind,status,count,oldest,last_error"
	assert_line "reminder,failed,2,2027-03-02T07:00:00-07:00,sendmail exited 2"
	assert_line --index 1 "notice,sent,$(db "SELECT count(*) FROM messages WHERE kind = 'notice' AND status = 'sent'"),2027-03-01T08:00:00-07:00,"
	run -0 appt report messages --format json
	run -0 json '
r = [r for r in rows if r["kind"] == "reminder"]
assert r == [{"kind": "reminder", "status": "failed", "count": 2,
              "oldest": "2027-03-02T07:00:00-07:00", "last_error": "sendmail exited 2"}], r
print("ok")'
	assert_output "ok"
}

# The display column at which `needle` starts in `line` (wide characters count 2).
column_of() {
	python3 -c '
import sys, unicodedata
line, needle = sys.argv[1], sys.argv[2]
prefix = line[:line.index(needle)]
print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in prefix))' "$1" "$2"
}

@test "table: UTF-8 names align by display width" {
	run -0 appt report day --format table
	assert_equal "${#lines[@]}" 3
	[[ ${lines[1]} == *"Zoë Ng  "* ]]
	[[ ${lines[2]} == *"李小龙  "* ]]
	local phone=$(column_of "${lines[0]}" phone)
	assert_equal "$(column_of "${lines[1]}" +15550004)" "$phone"
	assert_equal "$(column_of "${lines[2]}" +15550005)" "$phone"
	local state=$(column_of "${lines[0]}" state)
	assert_equal "$(column_of "${lines[1]}" booked)" "$state"
	assert_equal "$(column_of "${lines[2]}" confirmed)" "$state"
}

@test "table: COLUMNS=95 narrows a wide table, cutting with an ellipsis" {
	# fees is 97 wide, 95 once its names give way as far as they go
	COLUMNS= run -0 appt report fees --format table
	(( $(widest) > 95 ))
	COLUMNS=95 run -0 appt report fees --format table
	(( $(widest) <= 95 ))
	[[ $output == *"…"* ]]
	# times and ids stay whole; names give way
	assert_line --index 1 --regexp "^1   2027-03-03 10:30  Ann Arc…  4 +no-show +40\.00 +open +0\.00 +0\.00$"
	assert_line --index 4 --regexp "total +105\.00 +0\.00 +0\.00$"
	COLUMNS= run -0 appt report day --format table
	local wide=$(widest)
	COLUMNS=60 run -0 appt report day --format table
	(( $(widest) < wide ))
	[[ ${lines[1]} == *"…"* ]]
	assert_line --index 1 --regexp "^8 +10:00 +10:30 +kim +Zoë Ng +\+15550004 +consult"
}

@test "every report runs in every format" {
	for r in $MY_REPORTS; do
		run -0 --separate-stderr appt report "$r" --format table
		assert_equal "$stderr" ""
		[[ ${lines[0]} != "" ]]
		run -0 --separate-stderr appt report "$r" --format csv
		assert_equal "$stderr" ""
		[[ ${lines[0]} == *,*$'\r' ]]
		run -0 --separate-stderr appt report "$r" --format json
		assert_equal "$stderr" ""
		run -0 json 'assert isinstance(rows, list); print("ok")'
	done
}

@test "--list names every report" {
	run -0 appt report --list
	for r in $MY_REPORTS; do
		assert_line --regexp "^$r +[a-z]"
	done
}

@test "errors: bad --format 65, unknown report 64, unknown provider 2, --to before --from 65" {
	run -65 --separate-stderr appt report noshows --format xml
	[[ $stderr == "appt report: "*"'xml'"* ]]
	run -64 --separate-stderr appt report noshow
	[[ $stderr == *"did you mean 'noshows'"* ]]
	run -64 --separate-stderr appt report
	run -2 --separate-stderr appt report utilization --provider pat
	[[ $stderr == "appt report: "*"'pat'"* ]]
	run -65 --separate-stderr appt report fees --from 2027-03-04 --to 2027-03-01
	[[ $stderr == *"--to"* ]]
	run -65 --separate-stderr appt report fees --from 2027-02-30
	assert_output ""
}

@test "an unknown report with no near name points to --list (64)" {
	run -64 --separate-stderr appt report quarterly-summary
	[[ "${stderr_lines[0]}" == "appt report: no report 'quarterly-summary' (appt report --list shows them)" ]]
}
