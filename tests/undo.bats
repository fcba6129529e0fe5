#!/usr/bin/env bats
# appt undo (DESIGN.md "Corrections"; seed 000 §5.4: documented, never
# erased): the last status change of an appointment is taken back with what
# it caused — its fee voided, its block lifted, its messages voided or named
# when already sent, what it voided brought back — and both the change and
# the undo stay in the log.  Undoing a cancellation or a no-show is refused
# when it would double-book.  The clock is Monday 2027-03-01 08:00
# (America/Denver); book_consult books Ann with kim on Wednesday at 10:00.

load test_helper
load fixtures/messaging

setup() {
	common_setup
	init_db
}

# The id of the latest event of an appointment with this action.
event_of() {
	db "SELECT max(id) FROM events WHERE entity = 'appointment' AND entity_id = $1
	    AND action = '$2'"
}

# Ann's Wednesday consult checked in, started and done at its time.
visit_done() {
	book_consult >/dev/null
	for cmd in checkin start done; do
		APPT_NOW=2027-03-03T10:05 appt "$cmd" 1 >/dev/null
	done
}


@test "undo done: back in progress, done_at cleared, the change and the undo both logged" {
	visit_done
	done_event=$(event_of 1 done)
	APPT_NOW=2027-03-03T10:40 run -0 --separate-stderr appt undo 1 --reason "wrong appointment"
	assert_output "undid the done of #1: in-progress again"
	assert_equal "$stderr" ""
	run -0 db "SELECT status, coalesce(CAST(done_at AS TEXT), '-') FROM appointments WHERE id = 1"
	assert_output "in-progress|-"
	assert_equal "$(actions_of 1)" "book checkin start done undo"
	run -0 db "SELECT actor, undoes, reason, json_extract(before, '$.status'),
		json_extract(after, '$.status') FROM events ORDER BY id DESC LIMIT 1"
	assert_output "desk|$done_event|wrong appointment|done|in-progress"
	run -0 appt show 1
	assert_line --partial "undo of event #$done_event  reason: wrong appointment"
	# the visit can be done again, for real
	APPT_NOW=2027-03-03T10:45 run -0 appt done 1
	run -0 db "SELECT done_at FROM appointments WHERE id = 1"
	assert_output "$(epoch '2027-03-03 10:45')"
}

@test "successive undos walk back one status change at a time, then stop at the booking" {
	visit_done
	for expected in "the done of #1: in-progress" "the start of #1: waiting" "the checkin of #1: booked"; do
		run -0 appt undo 1
		assert_output "undid $expected again"
	done
	before=$(events)
	run -1 --separate-stderr appt undo 1
	assert_output ""
	assert_equal "$stderr" "appt undo: appointment #1 has no status change left to undo: event #$(db "SELECT max(id) FROM events") undid the last one, and before it comes 'book' (event #$(event_of 1 book))"
	assert_equal "$(events)" "$before"
	assert_equal "$(status_of 1)" booked
}

@test "nothing to undo after a booking or a reschedule: exit 1 naming the change" {
	book_consult >/dev/null
	run -1 --separate-stderr appt undo 1
	assert_equal "$stderr" "appt undo: appointment #1 has no status change to undo: its last change is 'book' (event #$(event_of 1 book)); appt undo takes back confirm, checkin, start, done, noshow and cancel"
	appt confirm 1 >/dev/null
	appt reschedule 1 --at "2027-03-04 10:00" >/dev/null
	run -1 --separate-stderr appt undo 1
	assert_regex "$stderr" "its last change is 'reschedule' \(event #$(event_of 1 reschedule)\)"
	assert_equal "$(actions_of 1)" "book confirm reschedule"
}

@test "undo confirm: booked again, its time and channel cleared, the deadline call reopened" {
	book_consult >/dev/null
	APPT_NOW=2027-03-02T10:00 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 1, skipped 0"
	APPT_NOW=2027-03-02T11:00 appt confirm 1 --via sms >/dev/null
	assert_equal "$(messages 'kind, status')" "notice|sent
deadline|void"
	APPT_NOW=2027-03-02T11:05 run -0 appt undo 1
	assert_output - <<-'EOF'
	undid the confirm of #1: booked again
	restored message #2 (confirmation deadline by call)
	EOF
	run -0 db "SELECT status, coalesce(CAST(confirmed_at AS TEXT), '-'), coalesce(confirmed_via, '-')
		FROM appointments WHERE id = 1"
	assert_output "booked|-|-"
	run -0 db "SELECT status, coalesce(CAST(void_event AS TEXT), '-'), coalesce(note, '-') FROM messages WHERE id = 2"
	assert_output "open|-|-"
	APPT_NOW=2027-03-02T11:10 run -0 appt report calls --format csv
	assert_line --index 1 --partial ",confirmation deadline of #1,"
}

@test "undo a late cancel: fee voided (void in report fees, out of its total), reminder and call back, sent notice named" {
	two_day_reminder
	book_consult Ann "2027-03-04 10:00" >/dev/null
	# queued, not yet delivered: the reminder pending, the deadline call open
	APPT_NOW=2027-03-03T10:00 appt remind --only reminders,deadlines >/dev/null
	APPT_NOW=2027-03-03T12:00 run -0 appt cancel 1 --reason "flu"
	assert_line --partial "fee 25.00 charged"
	assert_equal "$(messages 'name, status')" "booked|sent
two-days|void
confirmation|void
cancelled|sent"
	APPT_NOW=2027-03-03T12:30 run -0 --separate-stderr appt undo 1 --reason "cancelled the wrong client"
	assert_output - <<-'EOF'
	undid the cancel of #1: booked again
	restored message #2 (two-days reminder by sms)
	restored message #3 (confirmation deadline by call)
	voided fee 25.00 (late-cancel, charge #1)
	EOF
	assert_equal "$stderr" "appt undo: warning: message #4 (cancelled notice by sms) was already sent: tell the client"
	run -0 db "SELECT status, late_cancel, coalesce(cancel_reason, '-'), coalesce(cancelled_by, '-'),
		coalesce(CAST(cancelled_at AS TEXT), '-') FROM appointments WHERE id = 1"
	assert_output "booked|0|-|-|-"
	run -0 db "SELECT amount, voided_at, voided_by, void_reason FROM charges"
	assert_output "2500|$(epoch '2027-03-03 12:30')|desk|appt undo of the cancel (event #$(event_of 1 cancel))"
	run -0 db "SELECT action, reason FROM events WHERE entity = 'charge' ORDER BY id"
	assert_output "charge|
void|appt undo of the cancel (event #$(event_of 1 cancel))"
	run -0 appt report fees --from 2027-03-01 --to 2027-03-31 --format csv
	assert_equal "${#lines[@]}" 3
	assert_line --index 1 --partial ",late-cancel,25.00,void,0.00,"
	assert_line --index 2 --partial ",total,0.00,"
	run -0 appt export charges
	assert_line --index 1 --partial ",late-cancel,25.00,1,1,Ann Archer,desk,2027-03-03T12:30:00-07:00,desk,"
	assert_equal "$(messages 'name, status')" "booked|sent
two-days|pending
confirmation|open
cancelled|sent"
	# the restored reminder goes out with the next run; the call is on the list
	sent=$(sms_count)
	APPT_NOW=2027-03-03T12:35 run -0 appt remind
	assert_output "sent 1, failed 0, call tasks 0, skipped 0"
	assert_equal "$(sms_count)" $((sent + 1))
	APPT_NOW=2027-03-03T12:35 run -0 appt report calls --format csv
	assert_line --index 1 --partial ",confirmation deadline of #1,0,,1"
}

@test "a cancellation notice not yet sent is voided by the undo" {
	book_consult >/dev/null
	appt cancel 1 --by business --no-send >/dev/null
	run -0 --separate-stderr appt undo 1
	assert_output - <<-'EOF'
	undid the cancel of #1: booked again
	voided message #2 (cancelled notice by sms)
	EOF
	assert_equal "$stderr" ""
	run -0 db "SELECT status, void_event = (SELECT max(id) FROM events WHERE action = 'undo')
		FROM messages WHERE id = 2"
	assert_output "void|1"
	assert_equal "$(db 'SELECT count(*) FROM charges')" 0
	run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
}

# Ann misses three consults: Wednesday, Thursday and the next Monday, 10:00,
# numbered from FIRST (default 1); the third reaches
# policies.noshow.block_after (3) and blocks her.
three_noshows() {
	local first=${1:-1}
	book_consult Ann "2027-03-03 10:00" >/dev/null
	book_consult Ann "2027-03-04 10:00" >/dev/null
	book_consult Ann "2027-03-08 10:00" >/dev/null
	APPT_NOW=2027-03-03T10:20 appt noshow "$first" >/dev/null
	APPT_NOW=2027-03-04T10:20 appt noshow $((first + 1)) >/dev/null 2>&1
	APPT_NOW=2027-03-08T10:20 appt noshow $((first + 2)) >/dev/null 2>&1
}

@test "undo the no-show that blocked the client: fee voided, block lifted, sent notice named" {
	three_noshows
	assert_equal "$(db 'SELECT blocked FROM clients WHERE id = 1')" 1
	assert_equal "$(actions_of 3)" "book noshow block-client"
	APPT_NOW=2027-03-08T10:30 run -0 --separate-stderr appt undo 3 --reason "she was in the waiting room"
	assert_output - <<-'EOF'
	undid the noshow of #3: booked again
	voided fee 40.00 (no-show, charge #3)
	unblocked client #1 Ann Archer
	EOF
	assert_equal "$stderr" "appt undo: warning: message #6 (noshow notice by sms) was already sent: tell the client"
	run -0 db "SELECT blocked, coalesce(blocked_reason, '-') FROM clients WHERE id = 1"
	assert_output "0|-"
	run -0 db "SELECT action, reason FROM events WHERE entity = 'client' ORDER BY id DESC LIMIT 1"
	assert_output "unblock|appt undo of the no-show of appointment #3 (event #$(event_of 3 noshow))"
	assert_equal "$(status_of 3)" booked
	run -0 db "SELECT kind, voided_at IS NOT NULL FROM charges ORDER BY id"
	assert_output "no-show|0
no-show|0
no-show|1"
	# she can be checked in, and booked again without a manager
	APPT_NOW=2027-03-08T10:30 run -0 appt checkin 3
	APPT_NOW=2027-03-08T10:30 run -0 appt book -q --client Ann --service consult --at "2027-03-10 10:00"
}

@test "a block the no-show did not impose stays: set by hand before, or again since" {
	book_consult >/dev/null
	appt client block Ann --reason "unpaid bills" >/dev/null
	APPT_NOW=2027-03-03T10:20 appt noshow 1 >/dev/null
	APPT_NOW=2027-03-03T10:25 run -0 --separate-stderr appt undo 1
	refute_output --partial "unblocked"
	[[ $stderr != *blocked* ]]
	run -0 db "SELECT blocked, blocked_reason FROM clients WHERE id = 1"
	assert_output "1|unpaid bills"
	appt cancel 1 --by business >/dev/null
	appt client unblock Ann >/dev/null
	three_noshows 2
	appt client unblock Ann >/dev/null
	appt client block Ann --reason "rude to staff" >/dev/null
	APPT_NOW=2027-03-08T10:30 run -0 --separate-stderr appt undo 4
	refute_output --partial "unblocked"
	assert_regex "$stderr" "appt undo: warning: client #1 was blocked again since \(event #[0-9]+\): still blocked"
	run -0 db "SELECT blocked, blocked_reason FROM clients WHERE id = 1"
	assert_output "1|rude to staff"
}

@test "the block stays when the client's other no-shows still reach block_after" {
	three_noshows
	# blocked: only a manager books her again, and she misses that one too
	APPT_USER=boss appt book -q --client Ann --service consult --provider kim \
		--at "2027-03-09 10:00" --force --reason "one more chance" >/dev/null
	APPT_NOW=2027-03-09T10:20 appt noshow 4 >/dev/null 2>&1
	APPT_NOW=2027-03-09T10:30 run -0 --separate-stderr appt undo 3
	refute_output --partial "unblocked"
	assert_regex "$stderr" "appt undo: warning: client #1 stays blocked: 3 no-shows remain in 180d \(policies.noshow.block_after\)"
	assert_equal "$(db 'SELECT blocked FROM clients WHERE id = 1')" 1
}

@test "undoing a cancellation that would double-book is refused, and nothing changes" {
	book_consult >/dev/null
	appt cancel 1 >/dev/null
	book_consult Bob >/dev/null
	before=$(events)
	run -1 --separate-stderr appt undo 1
	assert_output ""
	assert_regex "$stderr" "^appt undo: cannot undo the cancel of appointment #1: it would double-book \(slot taken: Kim Kowalski already has appointment #2 at that time"
	assert_equal "$(events)" "$before"
	assert_equal "$(status_of 1)" cancelled
	run -0 db "SELECT status FROM messages WHERE appointment_id = 1 ORDER BY id"
	assert_output "sent
sent"
}

@test "undo is refused when the room, the group's last seat or the client's own time is taken now" {
	appt client add -q --name "Dee Dunn" --phone "+15550004" >/dev/null
	# the room: Bob's peel with lee took room-1 while Ann's was cancelled
	appt book -q --client Ann --service peel --provider kim --at "2027-03-03 10:00" >/dev/null
	appt cancel 1 >/dev/null
	appt book -q --client Bob --service peel --provider lee --at "2027-03-03 10:00" >/dev/null
	run -1 --separate-stderr appt undo 1
	assert_regex "$stderr" "it would double-book \(slot taken: no treatment-room is free at that time \(appointment #2 has it\)"
	# the group: three places, and Dee took Ann's
	for c in Ann Bob Cy; do
		appt book -q --client "$c" --service class --provider kim --at "2027-03-04 14:00" >/dev/null
	done
	appt cancel 3 >/dev/null
	appt book -q --client Dee --service class --provider kim --at "2027-03-04 14:00" >/dev/null
	run -1 --separate-stderr appt undo 3
	assert_regex "$stderr" "it would double-book \(slot taken: the Skincare Class session is full \(3 of 3 places\)"
	# the client: Ann booked lee for the time of her cancelled consult with kim
	book_consult Ann "2027-03-08 10:00" >/dev/null
	appt cancel 7 >/dev/null
	appt book -q --client Ann --service consult --provider lee --at "2027-03-08 10:00" >/dev/null
	run -1 --separate-stderr appt undo 7
	assert_equal "$stderr" "appt undo: cannot undo the cancel of appointment #7: it would double-book (the client now has appointment #8 at that time)"
	assert_equal "$(db "SELECT group_concat(status) FROM appointments WHERE id IN (1, 3, 7)")" "cancelled,cancelled,cancelled"
}

@test "no policy stands in the way of an undo: notice windows, time off, a blocked client" {
	book_consult >/dev/null
	appt cancel 1 --by business >/dev/null
	appt block --provider kim --from "2027-03-03 09:00" --to "2027-03-03 12:00" --reason training >/dev/null
	appt client block Ann --reason "unpaid bills" >/dev/null
	APPT_NOW=2027-03-03T09:50 run -0 --separate-stderr appt undo 1
	assert_output "undid the cancel of #1: booked again"
}

@test "undo a no-show whose slot is taken since is refused too" {
	book_consult >/dev/null
	APPT_NOW=2027-03-03T10:20 appt noshow 1 >/dev/null
	APPT_USER=boss APPT_NOW=2027-03-03T10:20 appt book -q --client Bob --service consult \
		--provider kim --at "2027-03-03 10:20" --via walk-in >/dev/null
	APPT_NOW=2027-03-03T10:25 run -1 --separate-stderr appt undo 1
	assert_regex "$stderr" "^appt undo: cannot undo the noshow of appointment #1: it would double-book"
	assert_equal "$(status_of 1)" no-show
	assert_equal "$(db 'SELECT count(*) FROM charges WHERE voided_at IS NULL')" 1
}

@test "undo done: pending follow-ups and the visit's program outreach voided, sent ones named" {
	add_template thanks "Thank you for coming in, {{client.first_name}}."
	add_template rebook "Time to book your next visit: {{business.booking_url}}"
	cat >>"$APPT_CONFIG" <<-'EOF'
	followups:
	  - name: thanks
	    after: 2h
	    channel: preferred
	    template: thanks
	  - name: rebook
	    after: 1d
	    channel: preferred
	    template: rebook
	programs:
	  acne:
	    name: Acne Clearing Program
	    interval: 14d
	    services: [peel]
	    outreach:
	      - day: 7
	        channel: sms
	        template: rebook
	EOF
	appt client add -q --name "Pat Peel" --phone "+15550004" --channel sms --program acne >/dev/null
	appt book -q --client Pat --service peel --provider kim --at "2027-03-01 10:00" >/dev/null
	APPT_NOW=2027-03-01T10:30 appt done 1 >/dev/null
	APPT_NOW=2027-03-01T12:30 appt remind >/dev/null
	APPT_NOW=2027-03-02T10:35 appt remind --only followups >/dev/null
	APPT_NOW=2027-03-08T09:00 appt remind --only outreach >/dev/null
	assert_equal "$(messages 'name, status')" "booked|sent
thanks|sent
rebook|pending
acne:day7|pending"
	APPT_NOW=2027-03-08T09:05 run -0 --separate-stderr appt undo 1 --reason "marked the wrong visit"
	assert_output - <<-'EOF'
	undid the done of #1: booked again
	voided message #3 (rebook followup by sms)
	voided message #4 (acne:day7 outreach by sms)
	EOF
	assert_equal "$stderr" "appt undo: warning: message #2 (thanks followup by sms) was already sent: tell the client"
	run -0 db "SELECT status, note FROM messages WHERE id IN (3, 4) ORDER BY id"
	assert_output "void|voided: appt undo of the done (event #$(event_of 1 done))
void|voided: appt undo of the done (event #$(event_of 1 done))"
	APPT_NOW=2027-03-08T09:10 run -0 appt remind
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
}

@test "bad input: not a number (65), unknown (2), usage (64), --help" {
	run -65 --separate-stderr appt undo abc
	assert_output ""
	assert_equal "$stderr" "appt undo: invalid appointment id 'abc' (expected a number)"
	run -2 --separate-stderr appt undo 99
	assert_equal "$stderr" "appt undo: no appointment #99"
	run -64 --separate-stderr appt undo
	assert_regex "$stderr" "missing argument"
	run -64 --separate-stderr appt undo 1 2
	assert_regex "$stderr" "unexpected argument '2'"
	run -64 --separate-stderr appt undo 1 --force
	assert_regex "$stderr" "unknown option '--force'"
	run -64 --separate-stderr appt undo 1 --reason
	assert_regex "$stderr" "needs a value"
	run -0 --separate-stderr appt undo --help
	assert_line --index 0 "usage: appt undo ID [--reason TEXT] [-q]"
	assert_equal "$stderr" ""
}

@test "-q prints nothing on success; warnings still go to stderr" {
	book_consult >/dev/null
	appt cancel 1 >/dev/null
	run -0 --separate-stderr appt undo -q 1
	assert_output ""
	assert_regex "$stderr" "^appt undo: warning: message #2 \(cancelled notice by sms\) was already sent"
	assert_equal "$(status_of 1)" booked
}
