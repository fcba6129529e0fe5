#!/usr/bin/env bats
# Who did it: APPT_USER names the actor, and anyone may set it, so every
# event also records the operating-system login that ran appt
# (getpwuid(geteuid()), never getlogin or $USER), and everything that
# prints an event shows both when they differ.  The fixture's managers are
# [boss]; the tests run as whoever runs bats, with APPT_USER=desk.

load test_helper

LOGIN=""

setup() {
	common_setup
	init_db
	LOGIN=$(id -un)
}

# APPT_USER=boss forcing a booking before opening time.
forged_force() {
	APPT_USER=boss appt book -q --client Ann --service consult --provider kim \
		--at "2027-03-02 08:30" --force --reason "early bird" >/dev/null
}

@test "every event records the OS login beside APPT_USER" {
	forged_force
	run db "SELECT count(*) FROM events WHERE login IS NULL OR login <> '$LOGIN'"
	assert_output "0"
	run db "SELECT actor, login, action, forced FROM events WHERE entity = 'appointment'"
	assert_output "boss|$LOGIN|book|1"
}

@test "appt show prints the login beside a forged actor, and JSON carries it" {
	[ "$LOGIN" != boss ] || skip "the tests run as a user named boss"
	forged_force
	run -0 appt show 1
	assert_line --regexp "^  2027-03-01 08:00  boss \\(login $LOGIN\\)  book  \\(forced\\)  reason: early bird$"
	run -0 bash -c "appt show 1 --format json | python3 -c '
import json, sys
e = json.load(sys.stdin)[\"events\"][0]
print(e[\"actor\"], e[\"login\"])'"
	assert_output "boss $LOGIN"
}

@test "without APPT_USER the actor is the login, shown once; \$USER and \$LOGNAME change nothing" {
	unset APPT_USER
	USER=mallory LOGNAME=mallory run -0 appt book -q --client Ann --service consult --provider kim --at "2027-03-02 10:00"
	run db "SELECT actor, login FROM events WHERE entity = 'appointment'"
	assert_output "$LOGIN|$LOGIN"
	run -0 appt show 1
	assert_line --regexp "^  2027-03-01 08:00  $LOGIN +book$"
}

@test "export events has the login beside the actor, in CSV and JSON" {
	forged_force
	run -0 bash -c "appt export events | head -1"
	assert_output --regexp "^id,at,actor,login,entity,entity_id,action,"
	run -0 bash -c "appt export events --format json | python3 -c '
import json, sys
rows = json.load(sys.stdin)
print(sorted({(r[\"actor\"], r[\"login\"]) for r in rows}))'"
	assert_output "[('boss', '$LOGIN'), ('desk', '$LOGIN')]"
}

@test "an APPT_USER longer than any login is refused (65) before anything is written" {
	only_on sqlite # on PostgreSQL the actor is the role that connected (pg.bats)
	local before
	before=$(db "SELECT count(*) FROM events")
	APPT_USER=$(printf 'x%.0s' $(seq 65)) run -65 --separate-stderr appt client add --name "Long Name"
	assert_equal "$stderr" "appt client: APPT_USER is longer than 64 bytes"
	assert_equal "$(db "SELECT count(*) FROM events")" "$before"
	APPT_USER=$(printf 'x%.0s' $(seq 64)) run -0 appt client add -q --name "Long Name"
}
