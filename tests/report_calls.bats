#!/usr/bin/env bats
# appt report calls: the open call tasks, oldest due first.  Tasks are
# inserted as the outbox writes them (channel 'call', status 'open').  The
# clock is Monday 2027-03-01 08:00 (America/Denver, UTC-7).

load test_helper

setup() {
	common_setup
	init_db
	appt book -q --client Ann --service consult --provider kim --at "2027-03-02 09:00" >/dev/null
	appt book -q --client Bob --service consult --provider lee --at "2027-03-02 10:00" >/dev/null
}

epoch() {
	date -d "$1 -07:00" +%s
}

# add_task ID CLIENT_ID APPOINTMENT_ID DUE [KIND] [NAME] [NOTE] [ASSIGN] [STATUS] [CHANNEL]
add_task() {
	local id=$1 client=$2 appointment=$3 due kind=${5:-deadline} name=${6:-confirmation}
	local note=${7:-} assign=${8:-} status=${9:-open} channel=${10:-call}
	due=$(epoch "$4")
	db "INSERT INTO messages (id, key, kind, name, client_id, appointment_id,
		channel, status, assign, note, due_at, next_attempt_at, created_at, updated_at)
		VALUES ($id, 'test:$id', '$kind', '$name', $client, CAST(nullif('$appointment', '') AS INTEGER),
		'$channel', '$status', nullif('$assign', ''), nullif('$note', ''),
		$due, $due, $due, $due)"
}

# Three open tasks out of id order, and rows the report must leave out.
add_tasks() {
	add_task 101 1 1 "2027-03-01 09:00" deadline confirmation "unconfirmed: call to confirm"
	add_task 102 3 "" "2027-02-20 09:00" outreach "acne day 15" "" manager
	add_task 103 2 2 "2027-03-01 08:30"
	add_task 104 1 1 "2027-02-01 09:00" deadline confirmation "" "" closed
	add_task 105 1 1 "2027-02-01 09:00" deadline confirmation "" "" void
	add_task 106 1 1 "2027-02-01 09:00" reminder "day before" "" "" pending sms
}

ids() {
	appt report calls --format csv "$@" | tail -n +2 | cut -d, -f1 | tr '\r\n' '  ' | tr -s ' ' | sed 's/ $//'
}

@test "is listed by appt report --list" {
	run -0 appt report --list
	assert_line --regexp "^calls +open call tasks, oldest first$"
}

@test "no open tasks: the header only" {
	run -0 --separate-stderr appt report calls --format csv
	assert_output "$(printf 'id,due,client,phone,reason,tries,assigned,appointment\r')"
}

@test "table: open call tasks only, oldest due first, local times" {
	add_tasks
	run -0 --separate-stderr appt report calls --format table
	assert_equal "$stderr" ""
	assert_output - <<-'EOF'
	id   due               client      phone      reason                        tries  assigned  appointment
	102  2027-02-20 09:00  Cy Cole     +15550003  acne day 15 outreach          0      manager
	103  2027-03-01 08:30  Bob Baker   +15550002  confirmation deadline of #2   0                2
	101  2027-03-01 09:00  Ann Archer  +15550001  unconfirmed: call to confirm  0                1
	EOF
}

@test "csv: ISO times with the offset, one row per open task" {
	add_tasks
	run -0 --separate-stderr appt report calls --format csv
	assert_line --index 0 "$(printf 'id,due,client,phone,reason,tries,assigned,appointment\r')"
	assert_line --index 1 "$(printf "102,2027-02-20T09:00:00-07:00,Cy Cole,\"'+15550003\",acne day 15 outreach,0,manager,\r")"
	assert_line --index 2 "$(printf "103,2027-03-01T08:30:00-07:00,Bob Baker,\"'+15550002\",confirmation deadline of #2,0,,2\r")"
	assert_line --index 3 "$(printf "101,2027-03-01T09:00:00-07:00,Ann Archer,\"'+15550001\",unconfirmed: call to confirm,0,,1\r")"
	assert_equal "${#lines[@]}" 4
}

@test "json: numbers, nulls and ISO times" {
	add_tasks
	run -0 --separate-stderr appt report calls --format json
	run -0 python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
for r in rows:
    print(r["id"], r["due"], r["client"], r["phone"], r["reason"], r["assigned"], r["appointment"], sep="|")
' "$output"
	assert_output - <<-'EOF'
	102|2027-02-20T09:00:00-07:00|Cy Cole|+15550003|acne day 15 outreach|manager|None
	103|2027-03-01T08:30:00-07:00|Bob Baker|+15550002|confirmation deadline of #2|None|2
	101|2027-03-01T09:00:00-07:00|Ann Archer|+15550001|unconfirmed: call to confirm|None|1
	EOF
}

@test "every open task is listed whatever today is; --from/--to narrow by due day" {
	add_tasks
	add_task 107 2 2 "2027-04-20 09:00"
	run -0 ids
	assert_output "102 103 101 107"
	run -0 ids --from 2027-03-01 --to 2027-03-01
	assert_output "103 101"
	run -0 ids --from 2027-02-01 --to 2027-02-28
	assert_output "102"
}

@test "--provider keeps tasks about that provider's appointments" {
	add_tasks
	run -0 ids --provider kim
	assert_output "101"
	run -0 ids --provider lee
	assert_output "103"
	run -2 --separate-stderr appt report calls --provider nobody
	assert_regex "$stderr" "no provider 'nobody'"
}

@test "--client keeps that client's tasks" {
	add_tasks
	run -0 ids --client Bob
	assert_output "103"
	run -0 ids --client "Cy Cole"
	assert_output "102"
	run -2 appt report calls --client Zed
}

@test "a task closed with appt log leaves the list" {
	add_tasks
	appt log --client Ann --via call --outcome reached --task 101 "Confirmed" >/dev/null
	run -0 ids
	assert_output "102 103"
}
