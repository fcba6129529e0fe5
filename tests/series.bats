#!/usr/bin/env bats
# appt book --repeat: a series, every occurrence checked like one booking,
# all or nothing unless --skip-conflicts; cancel and reschedule --series act
# on an occurrence and every later one.  The clock is Monday 2027-03-01
# 08:00 (America/Denver); the test clinic is also closed on Friday 26 March
# and books up to 180 days ahead.

load test_helper

setup() {
	common_setup
	sed -i '/^closures:/a\  - date: 2027-03-26\n    reason: conference' "$APPT_CONFIG"
	set_config max_advance 180d
	init_db
}

# Six fortnightly peels from Friday 12 March: the second falls on the closure.
peels() {
	appt book --client Ann --service peel --provider kim --at "2027-03-12 10:00" --repeat 2w --count 6 "$@"
}

@test "a series across a closure day is refused naming that day, and nothing is written" {
	before=$(dump_db)
	run -1 --separate-stderr peels
	assert_output ""
	assert_equal "$stderr" "appt book: 1 of 6 occurrences cannot be booked, so none was: 2027-03-26 10:00 (closed on 2027-03-26 (conference); use --force --reason TEXT to override); --skip-conflicts books the others"
	assert_equal "$(dump_db)" "$before"
}

@test "--skip-conflicts books the rest and lists what it skipped" {
	run -0 peels --skip-conflicts
	assert_output "booked #1: Ann Archer, Acne Peel with Kim Kowalski, 2027-03-12 10:00-10:45 (room-1)
skipped 2027-03-26 10:00: closed on 2027-03-26 (conference); use --force --reason TEXT to override
booked #2: Ann Archer, Acne Peel with Kim Kowalski, 2027-04-09 10:00-10:45 (room-1)
booked #3: Ann Archer, Acne Peel with Kim Kowalski, 2027-04-23 10:00-10:45 (room-1)
booked #4: Ann Archer, Acne Peel with Kim Kowalski, 2027-05-07 10:00-10:45 (room-1)
booked #5: Ann Archer, Acne Peel with Kim Kowalski, 2027-05-21 10:00-10:45 (room-1)
series #1: 5 booked every 2w, 1 skipped"
	run -0 db "SELECT count(*), count(DISTINCT series_id), min(series_id) FROM appointments WHERE status = 'booked'"
	assert_output "5|1|1"
	run -0 db "SELECT client_id, service, every FROM series"
	assert_output "1|peel|2w"
	# each occurrence its own confirmation
	run -0 db "SELECT count(*) FROM messages WHERE kind = 'notice' AND name = 'booked'"
	assert_output "5"
	run -0 appt show 3
	assert_line "series:       #1 (every 2w), occurrence 3 of 5"
}

@test "cancelling the third with --series leaves two" {
	peels --skip-conflicts >/dev/null
	run -0 appt cancel 3 --series --by business --reason "moved away"
	assert_output "cancelled #3 (2027-04-23 10:00)
cancelled #4 (2027-05-07 10:00)
cancelled #5 (2027-05-21 10:00)"
	run -0 db "SELECT id, status FROM appointments ORDER BY id"
	assert_output "1|booked
2|booked
3|cancelled
4|cancelled
5|cancelled"
	run -0 db "SELECT count(*) FROM events WHERE action = 'cancel' AND reason = 'moved away'"
	assert_output "3"
	run -1 appt cancel 4 --series
	assert_output --partial "nothing of its series is left to change"
}

@test "reschedule --series moves this and every later occurrence by the same wall-clock shift" {
	peels --skip-conflicts >/dev/null
	run -0 appt reschedule 2 --series --at "2027-04-09 14:00"
	assert_output "moved #2 to 2027-04-09 14:00-14:45 with Kim Kowalski (room-1)
moved #3 to 2027-04-23 14:00-14:45 with Kim Kowalski (room-1)
moved #4 to 2027-05-07 14:00-14:45 with Kim Kowalski (room-1)
moved #5 to 2027-05-21 14:00-14:45 with Kim Kowalski (room-1)"
	run -0 db "SELECT group_concat(local_start, ',') FROM (SELECT local_start FROM appointments ORDER BY id) a"
	assert_output "2027-03-12 10:00,2027-04-09 14:00,2027-04-23 14:00,2027-05-07 14:00,2027-05-21 14:00"
	# a week later: each lands on the next one's old day, moved last first
	run -0 appt reschedule 2 --series --at "2027-04-16 14:00" -q
	assert_output "2
3
4
5"
}

@test "reschedule --series is all or nothing, naming each conflict" {
	peels --skip-conflicts >/dev/null
	appt book --client Bob --service facial --provider kim --at "2027-05-07 14:00" -q >/dev/null
	before=$(dump_db)
	run -1 appt reschedule 2 --series --at "2027-04-09 14:00"
	assert_output --partial "1 of 4 occurrences cannot be moved, so none was: 2027-05-07 14:00 (slot taken"
	assert_equal "$(dump_db)" "$before"
}

@test "--until includes its day; a monthly series keeps the day of month, clamped" {
	run -0 appt book --client Ann --service consult --provider kim --at "2027-03-03 09:00" --repeat 1w --until 2027-03-24 -q
	assert_output "1
2
3
4"
	run -0 appt book --client Bob --service consult --provider kim --at "2027-03-31 09:00" --repeat 1mo --count 3 -q
	run -0 db "SELECT group_concat(local_start, ',') FROM (SELECT local_start FROM appointments WHERE client_id = 2 ORDER BY start_at) a"
	assert_output "2027-03-31 09:00,2027-04-30 09:00,2027-05-31 09:00"
}

@test "a program client booked in series is not overdue" {
	cat >>"$APPT_CONFIG" <<'YAML'
programs:
  acne:
    name: Acne Program
    interval: 14d
    services: [peel]
    outreach:
      - {day: 7, channel: call}
YAML
	appt client edit Ann --program acne >/dev/null
	peels --skip-conflicts >/dev/null
	APPT_NOW=2027-03-12T10:50 appt done 1 >/dev/null
	APPT_NOW=2027-03-25T09:00 run -0 appt report overdue --format csv
	refute_output --partial "Ann Archer"
	# the rest of the series let go, she is overdue again
	APPT_NOW=2027-03-25T09:00 appt cancel 2 --series >/dev/null
	APPT_NOW=2027-03-25T09:00 run -0 appt report overdue --format csv
	assert_output --partial "Ann Archer"
}

@test "usage and bad values: 64 and 65, nothing written" {
	run -64 appt book --client Ann --service consult --at "2027-03-03 09:00" --repeat 1w
	assert_output --partial "--repeat needs --count N or --until DATE"
	run -64 appt book --client Ann --service consult --at "2027-03-03 09:00" --repeat 1w --count 2 --until 2027-04-01
	run -64 appt book --client Ann --service consult --first-available --repeat 1w --count 2
	assert_output --partial "--repeat needs --at"
	run -64 appt book --client Ann --service consult --at "2027-03-03 09:00" --skip-conflicts
	assert_output --partial "need --repeat"
	run -65 appt book --client Ann --service consult --at "2027-03-03 09:00" --repeat 3x --count 2
	assert_output --partial "invalid value '3x' for --repeat"
	run -65 appt book --client Ann --service consult --at "2027-03-03 09:00" --repeat 1w --count 53
	assert_output --partial "more than a series holds (52)"
	run -65 appt book --client Ann --service consult --at "2027-03-03 09:00" --repeat 1w --until 2027-02-30
	run -64 appt reschedule 1 --series --first-available
	run -0 db "SELECT count(*) FROM appointments"
	assert_output "0"
}

@test "an --until past 52 occurrences is bad data, and a wall time a DST gap skips is a conflict" {
	run -65 appt book --client Ann --service consult --provider kim --at "2027-03-03 09:00" --repeat 1d --until 2027-05-31
	assert_output "appt book: that series would have more than 52 occurrences; end it sooner (an earlier --until) and book the rest later"
	run -0 db "SELECT count(*) FROM series"
	assert_output "0"
	# 02:30 on Sunday 14 March does not exist in Denver
	APPT_USER=boss run -1 appt book --client Ann --service consult --provider kim --at "2027-03-07 02:30" \
		--repeat 1w --count 2 --force --reason "night clinic"
	assert_output --partial "2027-03-14 00:00 (2027-03-14 02:30 does not exist"
	run -1 appt book --client Ann --service consult --provider kim --at "2027-03-07 02:30" \
		--repeat 1w --count 2 --force --reason "night clinic"
	assert_output "appt book: only managers (roles.managers) may use --force, and 'desk' is not one"
}

@test "--series on an appointment of no series is refused" {
	id=$(book_consult)
	run -1 appt cancel "$id" --series
	assert_output "appt cancel: appointment #1 is not one of a series; leave out --series"
	run -0 status_of "$id"
	assert_output "booked"
}
