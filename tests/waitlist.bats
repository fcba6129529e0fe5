#!/usr/bin/env bats
# appt waitlist: clients waiting for a time, and appt remind offering them
# the slots a cancel, a move or a lapsed hold gives back: to the matching
# entries in the order they were added, one at a time, each offer a hold
# for policies.waitlist.offer_hold (2h).  The clock is Monday 2027-03-01
# 08:00 (America/Denver); Kim works 09:00-12:00 and 13:00-17:00, Lee
# mornings.  The fixture's channels write to sent-sms.log and
# sent-email.log beside the config.

load test_helper
load fixtures/messaging

setup() {
	common_setup
	# the offer, with the time the client is offered
	sed -i -e '/^notices:/a\  waitlist_offer: {channel: preferred, template: offer}' \
		-e '/^templates:/a\  offer:\n    subject: "A time for your {{service.name}}"\n    body: "Hello {{client.first_name}}, {{service.name}} with {{provider.name}} on {{appointment.date}} at {{appointment.time}} is free and held for you. Reply C to take it."' \
		"$APPT_CONFIG"
	init_db
	appt client add -q --name "Dan Dunn" --phone "+15550004" --channel sms >/dev/null
}

# wait_for CLIENT [OPTION...]: a waitlist entry for a consult; prints its id.
wait_for() {
	appt waitlist add -q --client "$1" --service consult "${@:2}"
}

# Dan's consult with Kim (Wednesday 3 March 10:00 unless given), cancelled:
# a freed slot.
free_slot() {
	local id
	id=$(appt book --client Dan --service consult --provider kim --at "${1:-2027-03-03 10:00}" -q --no-send)
	appt cancel "$id" --reason "cannot come" >/dev/null
}

# The ids `appt waitlist list` prints (CSV), space-separated.
listed_ids() {
	appt waitlist list --format csv "$@" | tail -n +2 | cut -d, -f1 | tr '\r\n' '  ' | tr -s ' ' | sed 's/ $//'
}

# Each freed slot as "status|offer_id|entry_id", by id.
slots_state() {
	db "SELECT status || '|' || coalesce(offer_id, 0) || '|' || coalesce(entry_id, 0)
	    FROM freed_slots ORDER BY id"
}

# The actions logged for a waitlist entry, oldest first, on one line.
entry_actions() {
	db "SELECT group_concat(action, ' ') FROM (SELECT action FROM events
	    WHERE entity = 'waitlist' AND entity_id = $1 ORDER BY id) logged"
}

# ---- add ----

@test "adds an entry: printed in its canonical words, stored and logged" {
	run -0 --separate-stderr appt waitlist add --client Ann --service consult --provider kim \
		--from 2027-03-02 --to fri --days "Mon-Wed,friday" --times "13:00-17:00, 9:00-12:00" \
		--note "prefers mornings"
	assert_output "waitlist #1: Ann Archer for consult with kim, mon,tue,wed,fri 09:00-12:00,13:00-17:00, 2027-03-02 to 2027-03-05"
	assert_equal "$stderr" ""
	run -0 db "SELECT client_id, service, provider, from_day, to_day, days, times, note, status, actor FROM waitlist"
	assert_output "1|consult|kim|2027-03-02|2027-03-05|mon,tue,wed,fri|09:00-12:00,13:00-17:00|prefers mornings|open|desk"
	run -0 db "SELECT actor, entity, entity_id, action FROM events WHERE entity = 'waitlist'"
	assert_output "desk|waitlist|1|add"
}

@test "'waitlist' alone is add; -q prints only the id; nothing narrowed is any time" {
	run -0 --separate-stderr appt waitlist --client Bob --service peel
	assert_output "waitlist #1: Bob Baker for peel, any time"
	run -0 --separate-stderr appt waitlist add -q --client Cy --service consult --from tomorrow
	assert_output "2"
	assert_equal "$stderr" ""
	run -0 db "SELECT from_day, to_day FROM waitlist WHERE id = 2"
	assert_output "2027-03-02|"
}

@test "an unknown client, service or provider is not found (2)" {
	run -2 --separate-stderr appt waitlist --client Nobody --service consult
	assert_output ""
	assert_regex "$stderr" "^appt waitlist: "
	run -2 --separate-stderr appt waitlist --client Ann --service massage
	assert_regex "$stderr" "^appt waitlist: no service 'massage'"
	run -2 --separate-stderr appt waitlist --client Ann --service consult --provider zed
	assert_regex "$stderr" "^appt waitlist: no provider 'zed'"
	assert_equal "$(db 'SELECT count(*) FROM waitlist')" 0
}

@test "a provider who does not offer the service, or a blocked client, is refused (1)" {
	run -1 --separate-stderr appt waitlist --client Ann --service facial --provider lee
	assert_regex "$stderr" "^appt waitlist: Lee Lam does not offer Facial"
	appt client block Cy --reason "unpaid fees" >/dev/null
	run -1 --separate-stderr appt waitlist --client Cy --service consult
	assert_regex "$stderr" "^appt waitlist: client #3 Cy Cole is blocked \(unpaid fees\)"
	assert_equal "$(db 'SELECT count(*) FROM waitlist')" 0
}

@test "bad days, times or dates are bad data (65)" {
	run -65 --separate-stderr wait_for Ann --days mon,funday
	assert_regex "$stderr" "^appt waitlist: invalid days 'mon,funday'"
	run -65 wait_for Ann --days ""
	run -65 wait_for Ann --days "mon,"
	run -65 --separate-stderr wait_for Ann --times 9-12
	assert_regex "$stderr" "^appt waitlist: invalid times '9-12'"
	run -65 wait_for Ann --times 12:00-09:00
	run -65 wait_for Ann --times 09:00-12:00,11:00-13:00
	run -65 wait_for Ann --times 09:00-25:00
	run -65 --separate-stderr wait_for Ann --from 2027-02-30
	assert_regex "$stderr" "2027-02-30"
	run -65 wait_for Ann --from soon
	run -65 --separate-stderr wait_for Ann --from 2027-03-10 --to 2027-03-09
	assert_regex "$stderr" "^appt waitlist: the last day 2027-03-09 is before the first 2027-03-10"
	run -65 --separate-stderr wait_for Ann --to 2027-02-27
	assert_regex "$stderr" "already past"
	assert_equal "$(db 'SELECT count(*) FROM waitlist')" 0
}

@test "usage errors (64): no client or service, an unknown subcommand or option, arguments" {
	run -64 --separate-stderr appt waitlist --client Ann
	assert_regex "$stderr" "^appt waitlist: --client and --service are required"
	assert_regex "$stderr" "usage: appt waitlist"
	run -64 appt waitlist add --service consult
	run -64 appt waitlist
	run -64 --separate-stderr appt waitlist frobnicate
	assert_regex "$stderr" "unknown subcommand 'frobnicate'"
	run -64 appt waitlist add --client Ann --service consult --colour red
	run -64 appt waitlist add --client Ann --service consult extra
	run -64 appt waitlist remove
	run -64 appt waitlist remove 1 2
	run -0 appt waitlist --help
	assert_line --index 0 --partial "usage: appt waitlist"
	assert_equal "$(db 'SELECT count(*) FROM waitlist')" 0
}

# ---- list and remove ----

@test "list shows open entries by default, filtered by status, client and provider" {
	wait_for Ann >/dev/null
	wait_for Bob --provider kim --days mon >/dev/null
	wait_for Cy --provider lee >/dev/null
	appt waitlist remove 3 >/dev/null
	run -0 listed_ids
	assert_output "1 2"
	run -0 listed_ids --status all
	assert_output "1 2 3"
	run -0 listed_ids --status removed
	assert_output "3"
	run -0 listed_ids --client Bob
	assert_output "2"
	run -0 listed_ids --provider lee
	assert_output "1"
	run -0 listed_ids --service peel
	assert_output ""
	run -65 --separate-stderr appt waitlist list --status maybe
	assert_regex "$stderr" "invalid value 'maybe' for --status"
	run -65 appt waitlist list --format xml
	run -2 appt waitlist list --provider zed
	run -2 appt waitlist list --client Nobody
}

@test "list formats: a table with local times, CSV and JSON with ISO instants" {
	wait_for Ann >/dev/null
	wait_for Bob --provider kim --days mon,tue --times 09:00-12:00 --note "any cancellation" >/dev/null
	run -0 appt waitlist list --format table
	assert_line --index 0 --regexp "^id +added +client +service +provider +from +to +days +times +status +offers +appointment +note$"
	assert_line --index 2 --regexp "^2 +2027-03-01 08:00 +Bob Baker +consult +kim +mon,tue +09:00-12:00 +open +0 +any cancellation$"
	run -0 bash -c "appt waitlist list --format csv | tr -d '\\r'"
	assert_line --index 0 "id,added,client,service,provider,from,to,days,times,status,offers,appointment,note"
	assert_line --index 2 '2,2027-03-01T08:00:00-07:00,Bob Baker,consult,kim,,,"mon,tue",09:00-12:00,open,0,,any cancellation'
	run -0 bash -c "appt waitlist list --format json | python3 -c '
import json, sys
rows = json.load(sys.stdin)
print(len(rows), rows[0][\"provider\"], rows[1][\"days\"], rows[1][\"offers\"], rows[1][\"added\"])'"
	assert_output "2 None mon,tue 0 2027-03-01T08:00:00-07:00"
}

@test "remove closes an open entry, logged with its reason" {
	wait_for Ann >/dev/null
	run -0 --separate-stderr appt waitlist remove 1 --reason "found another clinic"
	assert_output "removed waitlist entry #1"
	assert_equal "$stderr" ""
	run -0 db "SELECT status, closed_by, close_reason FROM waitlist WHERE id = 1"
	assert_output "removed|desk|found another clinic"
	run -0 entry_actions 1
	assert_output "add remove"
	run -0 db "SELECT reason FROM events WHERE entity = 'waitlist' AND action = 'remove'"
	assert_output "found another clinic"
	wait_for Bob >/dev/null
	run -0 appt waitlist remove -q 2
	assert_output ""
}

@test "remove: a closed entry is refused (1), an unknown one not found (2), a bad id 65" {
	wait_for Ann >/dev/null
	appt waitlist remove 1 >/dev/null
	run -1 --separate-stderr appt waitlist remove 1
	assert_regex "$stderr" "^appt waitlist: waitlist entry #1 is already removed"
	wait_for Bob >/dev/null
	appt book --client Bob --service consult --provider kim --at "2027-03-03 10:00" -q >/dev/null
	run -1 --separate-stderr appt waitlist remove 2
	assert_regex "$stderr" "^appt waitlist: waitlist entry #2 is closed: the client was booked \(#1\)"
	run -2 --separate-stderr appt waitlist remove 9
	assert_regex "$stderr" "^appt waitlist: no waitlist entry #9"
	run -65 appt waitlist remove x
	run -0 db "SELECT group_concat(status, ' ') FROM (SELECT status FROM waitlist ORDER BY id) w"
	assert_output "removed booked"
}

@test "booking the client for the service closes the entry as booked" {
	wait_for Ann >/dev/null
	appt waitlist add -q --client Ann --service peel >/dev/null
	run -0 appt book --client Ann --service consult --provider lee --at "2027-03-04 09:00" -q
	assert_output "1"
	run -0 db "SELECT id, status, coalesce(appointment_id, 0) FROM waitlist ORDER BY id"
	assert_output "1|booked|1
2|open|0"
	run -0 listed_ids
	assert_output "2"
	run -0 entry_actions 1
	assert_output "add booked"
}

# ---- offering freed slots ----

@test "remind offers a freed slot to the first matching entry, with the time in the message" {
	wait_for Ann --days mon,tue >/dev/null
	wait_for Bob >/dev/null
	wait_for Cy >/dev/null
	free_slot
	run -0 appt remind -v
	assert_line "offered #2 (slot 2027-03-03 10:00 with kim) to Bob Baker (waitlist #2)"
	assert_line --regexp "^sent 1, failed 0, call tasks 0, skipped 0; waitlist offers 1$"
	run -0 db "SELECT client_id, status, provider, local_start, hold_until FROM appointments WHERE id = 2"
	assert_output "2|held|kim|2027-03-03 10:00|$(epoch '2027-03-01 10:00')"
	run -0 slots_state
	assert_output "offered|2|2"
	run -0 db "SELECT entry_id, slot_id, appointment_id FROM waitlist_offers"
	assert_output "2|1|2"
	run -0 actions_of 2
	assert_output "offer"
	run -0 entry_actions 2
	assert_output "add offer"
	run -0 messages "name, channel, status"
	assert_output --partial "waitlist_offer|email|sent"
	run -0 cat "$EMAIL_LOG"
	assert_output --partial "Consultation with Kim Kowalski on Wednesday 3 March 2027 at 10:00 is free and held for you"
	run -0 db "SELECT count(*) FROM waitlist_offers WHERE entry_id <> 2"
	assert_output "0"
}

@test "the next entry hears of the slot only when the offer's hold lapses" {
	wait_for Bob >/dev/null
	wait_for Ann >/dev/null
	wait_for Cy >/dev/null
	free_slot
	appt remind >/dev/null
	APPT_NOW=2027-03-01T09:59 run -0 appt remind -v
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	APPT_NOW=2027-03-01T10:00 run -0 appt remind -v
	assert_line "released hold #2 for Bob Baker, 2027-03-03 10:00"
	assert_line "offered #3 (slot 2027-03-03 10:00 with kim) to Ann Archer (waitlist #2)"
	assert_line --partial "; holds released 1, waitlist offers 1"
	run -0 grep -c "at 10:00 is free and held for you" "$SMS_LOG"
	assert_output "1"
	# Cy prefers calls: the offer is a call task for the desk
	APPT_NOW=2027-03-01T12:00 run -0 appt remind -v
	assert_line "offered #4 (slot 2027-03-03 10:00 with kim) to Cy Cole (waitlist #3)"
	run -0 db "SELECT channel, status FROM messages WHERE appointment_id = 4"
	assert_output "call|open"
	# everyone has been offered it: the slot waits, open, for a new entry
	APPT_NOW=2027-03-01T14:00 run -0 appt remind -v
	refute_output --partial "offered"
	assert_line --partial "; holds released 1"
	run -0 slots_state
	assert_output "open|0|0"
	run -0 db "SELECT group_concat(entry_id, ' ') FROM (SELECT entry_id FROM waitlist_offers ORDER BY id) o"
	assert_output "1 2 3"
	run -0 db "SELECT group_concat(status, ' ') FROM (SELECT status FROM appointments ORDER BY id) a"
	assert_output "cancelled cancelled cancelled cancelled"
	APPT_NOW=2027-03-01T14:05 wait_for Dan
	APPT_NOW=2027-03-01T14:10 run -0 appt remind -v
	assert_line "offered #5 (slot 2027-03-03 10:00 with kim) to Dan Dunn (waitlist #4)"
}

@test "a client who no longer matches is skipped: removed, booked meanwhile, blocked, busy" {
	appt client add -q --name "Eve Ember" --phone "+15550005" >/dev/null
	appt client add -q --name "Fay Fox" --phone "+15550006" >/dev/null
	wait_for Ann >/dev/null
	wait_for Bob >/dev/null
	wait_for Cy >/dev/null
	wait_for Eve >/dev/null
	wait_for Fay >/dev/null
	appt waitlist remove 1 >/dev/null
	appt book --client Bob --service consult --provider lee --at "2027-03-04 09:00" -q >/dev/null
	appt client block Cy --reason "unpaid fees" >/dev/null
	appt book --client Eve --service peel --provider lee --at "2027-03-03 09:45" -q >/dev/null
	free_slot
	run -0 appt remind -v
	assert_line "offered #4 (slot 2027-03-03 10:00 with kim) to Fay Fox (waitlist #5)"
	run -0 db "SELECT id, status FROM waitlist ORDER BY id"
	assert_output "1|removed
2|booked
3|open
4|open
5|open"
	run -0 db "SELECT entry_id FROM waitlist_offers"
	assert_output "5"
	# a refusal of one client leaves nothing behind of its try
	run -0 db "SELECT count(*) FROM appointments WHERE status = 'held'"
	assert_output "1"
}

@test "an entry takes only its provider, dates, days and times (the whole visit inside)" {
	appt client add -q --name "Eve Ember" --phone "+15550005" >/dev/null
	appt client add -q --name "Fay Fox" --phone "+15550006" >/dev/null
	appt client add -q --name "Gil Gray" --phone "+15550007" >/dev/null
	wait_for Ann --provider lee >/dev/null
	wait_for Bob --to 2027-03-02 >/dev/null
	wait_for Cy --times 13:00-17:00 >/dev/null
	wait_for Eve --times 09:00-10:15 >/dev/null
	wait_for Fay --days mon,tue,thu,fri,sat >/dev/null
	wait_for Gil --provider kim --from wed --days wed --times 10:00-10:30 >/dev/null
	free_slot
	run -0 appt remind -v
	assert_line "offered #2 (slot 2027-03-03 10:00 with kim) to Gil Gray (waitlist #6)"
	run -0 db "SELECT entry_id FROM waitlist_offers"
	assert_output "6"
}

@test "a slot nobody matches stays open, and a later entry is offered it" {
	wait_for Bob --days mon >/dev/null
	free_slot
	run -0 appt remind -v
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	run -0 slots_state
	assert_output "open|0|0"
	wait_for Cy >/dev/null
	APPT_NOW=2027-03-01T08:30 run -0 appt remind -v
	assert_line "offered #2 (slot 2027-03-03 10:00 with kim) to Cy Cole (waitlist #2)"
}

@test "confirming the offer books it: the slot is taken and the entry booked" {
	wait_for Bob >/dev/null
	wait_for Cy >/dev/null
	free_slot
	appt remind >/dev/null
	run -0 appt confirm 2
	assert_output "confirmed #2"
	run -0 status_of 2
	assert_output "confirmed"
	run -0 slots_state
	assert_output "taken|2|1"
	run -0 db "SELECT status, appointment_id, close_reason FROM waitlist WHERE id = 1"
	assert_output "booked|2|booked #2"
	run -0 entry_actions 1
	assert_output "add offer booked"
	run -0 listed_ids --status booked
	assert_output "1"
	# taken for good: nobody else hears of it, even once the hold's time is past
	APPT_NOW=2027-03-01T12:00 run -0 appt remind -v
	refute_output --partial "offered"
	run -0 db "SELECT count(*) FROM waitlist_offers"
	assert_output "1"
}

@test "cancelling an offered hold passes the slot to the next entry" {
	wait_for Bob >/dev/null
	wait_for Cy >/dev/null
	free_slot
	appt remind >/dev/null
	appt cancel 2 --reason "cannot make it" >/dev/null
	run -0 slots_state
	assert_output "open|0|0"
	APPT_NOW=2027-03-01T08:10 run -0 appt remind -v
	assert_line "offered #3 (slot 2027-03-03 10:00 with kim) to Cy Cole (waitlist #2)"
	run -0 db "SELECT status FROM waitlist ORDER BY id"
	assert_output "open
open"
}

@test "an entry with an offer unanswered is not offered another slot meanwhile, nor within a day" {
	wait_for Bob >/dev/null
	free_slot "2027-03-03 10:00"
	free_slot "2027-03-03 14:00"
	run -0 appt remind -v
	assert_line "offered #3 (slot 2027-03-03 10:00 with kim) to Bob Baker (waitlist #1)"
	refute_output --partial "14:00"
	run -0 slots_state
	assert_output "offered|3|1
open|0|0"
	# declined by letting it lapse: Bob rests a day from that offer, and
	# nobody else waits, so both slots stay open
	APPT_NOW=2027-03-01T10:00 run -0 appt remind -v
	assert_line "released hold #3 for Bob Baker, 2027-03-03 10:00"
	refute_output --partial "offered"
	run -0 slots_state
	assert_output "open|0|0
open|0|0"
	APPT_NOW=2027-03-02T07:59 run -0 appt remind -v
	refute_output --partial "offered"
	# 24h after the first offer the other slot is Bob's to be offered
	APPT_NOW=2027-03-02T08:00 run -0 appt remind -v
	assert_line "offered #4 (slot 2027-03-03 14:00 with kim) to Bob Baker (waitlist #1)"
	run -0 db "SELECT group_concat(at, ' ') FROM (SELECT at FROM waitlist_offers ORDER BY id) o"
	assert_output "$(epoch '2027-03-01 08:00') $(epoch '2027-03-02 08:00')"
}

# The expired notice of hold.bats, which a desk hold's lapse sends.
with_expired_notice() {
	sed -i -e '/^notices:/a\  expired: {channel: preferred, template: expired}' \
		-e '/^templates:/a\  expired:\n    body: "Hello {{client.first_name}}, the time we held for you on {{appointment.date}} has been released."' \
		"$APPT_CONFIG"
}

@test "a lapsed offer sends no expired notice; a desk hold lapsing still does" {
	with_expired_notice
	wait_for Ann >/dev/null
	free_slot
	appt remind >/dev/null
	run -0 appt book --client Ann --service consult --provider lee --at "2027-03-04 09:00" --hold 2h -q
	assert_output "3"
	APPT_NOW=2027-03-01T10:00 run -0 appt remind -v
	assert_line "released hold #2 for Ann Archer, 2027-03-03 10:00"
	assert_line "released hold #3 for Ann Archer, 2027-03-04 09:00"
	assert_line --regexp "^sent 1, .*; holds released 2$"
	# the offer's lapse is recorded as withheld, with why; the desk hold's sent
	run -0 db "SELECT appointment_id, status, coalesce(note, '') FROM messages
		   WHERE name = 'expired' ORDER BY appointment_id"
	assert_output "2|void|not sent: a waitlist offer, which said until when
3|sent|"
	run -0 db "SELECT count(*) FROM messages WHERE appointment_id = 2 AND name = 'expired'
		   AND status <> 'void'"
	assert_output "0"
	run -0 grep -c "has been released" "$SMS_LOG"
	assert_output "1"
	run -0 grep -c "is free and held for you" "$SMS_LOG"
	assert_output "1"
}

@test "a client who lets offers lapse is offered at most one slot a day" {
	with_expired_notice
	wait_for Ann >/dev/null
	free_slot "2027-03-03 10:00"
	free_slot "2027-03-03 14:00"
	free_slot "2027-03-04 10:00"
	# remind every hour for a day: one offer, and no text of its lapse
	for h in $(seq 0 23); do
		APPT_NOW=$(date -u -d "2027-03-01 08:00 UTC $h hours" +%Y-%m-%dT%H:%M) appt remind >/dev/null
	done
	run -0 db "SELECT name FROM messages WHERE client_id = 1 AND status = 'sent' ORDER BY id"
	assert_output "waitlist_offer"
	run -0 grep -c "^Hello Ann" "$SMS_LOG"
	assert_output "1"
	run -0 slots_state
	assert_output "open|0|0
open|0|0
open|0|0"
	# a day after the first offer, the next slot
	APPT_NOW=2027-03-02T08:00 run -0 appt remind -v
	assert_line "offered #5 (slot 2027-03-03 14:00 with kim) to Ann Archer (waitlist #1)"
	run -0 db "SELECT name FROM messages WHERE client_id = 1 AND status = 'sent' ORDER BY id"
	assert_output "waitlist_offer
waitlist_offer"
}

@test "after one entry lets its offer lapse, the next entry is offered the next slot at once" {
	wait_for Bob >/dev/null
	wait_for Ann --times 13:00-17:00 >/dev/null
	free_slot "2027-03-03 10:00"
	run -0 appt remind -v
	assert_line "offered #2 (slot 2027-03-03 10:00 with kim) to Bob Baker (waitlist #1)"
	APPT_NOW=2027-03-01T10:00 run -0 appt remind -v
	assert_line "released hold #2 for Bob Baker, 2027-03-03 10:00"
	refute_output --partial "offered"
	# a slot freed after the lapse: Bob rests, Ann is not kept waiting for him
	APPT_NOW=2027-03-01T10:30 free_slot "2027-03-03 14:00"
	APPT_NOW=2027-03-01T10:30 run -0 appt remind -v
	assert_line "offered #4 (slot 2027-03-03 14:00 with kim) to Ann Archer (waitlist #2)"
	refute_output --partial "to Bob Baker"
	run -0 slots_state
	assert_output "open|0|0
offered|4|2"
}

@test "remind run twice at the same time makes one offer" {
	wait_for Bob >/dev/null
	wait_for Cy >/dev/null
	free_slot
	appt remind >/dev/null
	run -0 appt remind -v
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	run -0 db "SELECT count(*) FROM waitlist_offers"
	assert_output "1"
	run -0 db "SELECT count(*) FROM messages WHERE name = 'waitlist_offer'"
	assert_output "1"
}

@test "remind runs at once, on one connection each, make one offer" {
	wait_for Bob >/dev/null
	wait_for Cy >/dev/null
	free_slot
	for i in 1 2 3 4; do
		appt remind >"$BATS_TEST_TMPDIR/out.$i" 2>&1 &
	done
	wait
	run -0 db "SELECT count(*) FROM waitlist_offers"
	assert_output "1"
	run -0 db "SELECT count(*) FROM appointments WHERE status = 'held'"
	assert_output "1"
}

@test "two desks taking the same freed slot give one booking" {
	wait_for Bob >/dev/null
	free_slot
	( appt remind >"$BATS_TEST_TMPDIR/out.remind" 2>&1 ) &
	( rc=0; appt book --client Ann --service consult --provider kim --at "2027-03-03 10:00" -q \
		>"$BATS_TEST_TMPDIR/out.book" 2>&1 || rc=$?; echo "$rc" >"$BATS_TEST_TMPDIR/rc.book" ) &
	wait
	run -0 db "SELECT count(*) FROM appointments
		   WHERE local_start = '2027-03-03 10:00' AND status NOT IN ('cancelled', 'no-show')"
	assert_output "1"
	# whoever came second: the desk was told the slot is taken, or the slot was closed
	if [ "$(cat "$BATS_TEST_TMPDIR/rc.book")" = 0 ]; then
		run -0 slots_state
		assert_output "closed|0|0"
	else
		run -0 cat "$BATS_TEST_TMPDIR/out.book"
		assert_output --partial "slot taken"
	fi
}

@test "a slot booked another way, or whose time has come, is closed and offered to nobody" {
	wait_for Bob --days mon >/dev/null
	free_slot "2027-03-03 10:00"
	free_slot "2027-03-03 14:00"
	appt book --client Ann --service consult --provider kim --at "2027-03-03 10:00" -q >/dev/null
	appt remind >/dev/null
	run -0 slots_state
	assert_output "closed|0|0
open|0|0"
	wait_for Cy >/dev/null
	APPT_NOW=2027-03-03T14:00 run -0 appt remind -v
	refute_output --partial "offered"
	run -0 slots_state
	assert_output "closed|0|0
closed|0|0"
}

@test "a slot freed by a move, and a seat freed in a group class, are offered" {
	appt waitlist add -q --client Cy --service class >/dev/null
	wait_for Bob --days wed >/dev/null
	for c in Ann Dan Bob; do
		appt book --client "$c" --service class --provider kim --at "2027-03-03 13:00" -q --no-send >/dev/null
	done
	run -1 appt book --client Cy --service class --provider kim --at "2027-03-03 13:00"
	appt cancel 2 --reason "cannot come" >/dev/null
	appt book --client Ann --service consult --provider kim --at "2027-03-03 10:00" -q --no-send >/dev/null
	appt reschedule 4 --at "2027-03-04 10:00" >/dev/null
	run -0 appt remind -v
	assert_line "offered #5 (slot 2027-03-03 10:00 with kim) to Bob Baker (waitlist #2)"
	assert_line "offered #6 (slot 2027-03-03 13:00 with kim) to Cy Cole (waitlist #1)"
	run -0 db "SELECT cause FROM freed_slots ORDER BY id"
	assert_output "cancel
reschedule"
	run -0 db "SELECT service, status FROM appointments WHERE id = 6"
	assert_output "class|held"
}

@test "remind --only: holds alone offers nothing, waitlist does; --dry-run changes nothing" {
	wait_for Bob >/dev/null
	free_slot
	run -0 appt remind --only holds
	assert_output "sent 0, failed 0, call tasks 0, skipped 0"
	before=$(dump_db)
	run -0 appt remind --dry-run -v
	assert_line "would offer #2 (slot 2027-03-03 10:00 with kim) to Bob Baker (waitlist #1)"
	assert_line --partial "; waitlist offers 1; nothing changed"
	assert_equal "$(dump_db)" "$before"
	run -0 appt remind --only waitlist -v
	assert_line --regexp "^offered #[0-9]+ \(slot 2027-03-03 10:00 with kim\) to Bob Baker \(waitlist #1\)$"
	run -0 db "SELECT status, entry_id FROM freed_slots"
	assert_output "offered|1"
}

# ---- appt report waitlist ----

# Each row of the waitlist report as "id client free_slots".
report_rows() {
	appt report waitlist --format json "$@" | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    print(r["id"], r["client"], r["free_slots"])'
}

@test "report waitlist: open entries with the free slots that suit each" {
	wait_for Ann --days wed --times 09:00-12:00 >/dev/null
	wait_for Bob --from 2027-03-08 --to 2027-03-08 >/dev/null
	wait_for Cy >/dev/null
	appt waitlist remove 3 >/dev/null
	# Ann is busy 09:00-09:45; Lee's peel keeps Lee busy to 10:00
	appt book --client Ann --service peel --provider lee --at "2027-03-03 09:00" -q >/dev/null
	run -0 report_rows
	assert_output "1 Ann Archer 2027-03-03T09:45:00-07:00 kim; 2027-03-03T10:00:00-07:00 kim
2 Bob Baker 2027-03-08T09:00:00-07:00 kim; 2027-03-08T09:15:00-07:00 kim"
	run -0 report_rows --provider lee
	assert_output "1 Ann Archer 2027-03-03T10:00:00-07:00 lee; 2027-03-03T10:15:00-07:00 lee
2 Bob Baker 2027-03-08T09:00:00-07:00 lee; 2027-03-08T09:15:00-07:00 lee"
	run -0 report_rows --client Bob
	assert_output "2 Bob Baker 2027-03-08T09:00:00-07:00 kim; 2027-03-08T09:15:00-07:00 kim"
	run -0 appt report waitlist --format table --wide
	assert_line --index 0 --regexp "^id +added +client +phone +service +provider +from +to +days +times +offers +free_slots$"
	assert_line --index 1 --regexp "^1 +2027-03-01 08:00 +Ann Archer +\+15550001 +consult +wed +09:00-12:00 +0 +2027-03-03 09:45 kim; 2027-03-03 10:00 kim$"
	run -0 appt report --list
	assert_line --regexp "^waitlist +open waitlist entries"
}

@test "report waitlist: an entry no free slot suits is listed with none" {
	wait_for Ann --provider lee --days sat >/dev/null
	run -0 report_rows
	assert_output "1 Ann Archer None"
	run -0 bash -c "appt report waitlist --format csv | tr -d '\\r'"
	assert_line --index 1 --regexp ",consult,lee,,,sat,,0,$"
}
