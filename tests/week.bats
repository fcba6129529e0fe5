#!/usr/bin/env bats
# A week at the desk: config.example.yaml (its channels made file transports),
# appt remind from cron every 15 minutes from 06:00 to 22:00, and the desk
# following the seeds day by day from Friday 26 February to Saturday 6 March
# 2027 (America/Denver):
#
#   seed 000  booking with two slots offered, identity, confirmations and
#             reminders, a cancellation, no-shows up to a block, mistakes
#             put right (a wrong `done` undone)
#   seed 001  a request by phone and one online, confirmation by reply,
#             the deadline call for one that stays unconfirmed
#   seed 004  the acne program's "No Appointment Booked" steps: texts on
#             days 7 and 12, calls on 15 and 19, day 25's call then text
#
# The test asserts what each client received and when, and what was
# deliberately not sent.

load test_helper

setup_file() {
	export WEEK_DIR="$BATS_FILE_TMPDIR/week"
	mkdir -p "$WEEK_DIR"
	if [ "$APPT_TEST_STORE" = pg ]; then
		psql -X -q -U "$APPT_PG_SUPERUSER" -d postgres \
			-c "CREATE DATABASE $(pg_name "$WEEK_DIR") OWNER desk" >/dev/null
	fi
}

# One database for the whole week, day after day.
setup() {
	common_setup
	export APPT_CONFIG="$WEEK_DIR/config.yaml" APPT_DB="$WEEK_DIR/appt.db"
	if [ "$APPT_TEST_STORE" = pg ]; then
		export PGDATABASE=$(pg_name "$WEEK_DIR")
		export APPT_DB="postgresql:///$PGDATABASE"
	fi
	cd "$WEEK_DIR"
}

CLOCK_FILE() { echo "$WEEK_DIR/clock"; }

# The example clinic, sending to files.
example_config() {
	cp "$REPO_DIR/config.example.yaml" "$APPT_CONFIG"
	python3 - "$APPT_CONFIG" <<-'EOF'
		import sys
		path = sys.argv[1]
		s = open(path).read()
		s = s.replace("    transport: sendmail\n    command: [/usr/sbin/sendmail, -t, -i]",
		              "    transport: file\n    path: email.log")
		s = s.replace("    transport: command\n    command: [/usr/local/bin/send-sms]",
		              "    transport: file\n    path: sms.log")
		open(path, "w").write(s)
	EOF
}

# advance "YYYY-MM-DD HH:MM": appt remind every quarter hour from 06:00 to
# 22:00 up to that time, as cron would; what each run did goes to cron.log.
advance() {
	local end clock out
	end=$(date -u -d "$1" +%s)
	clock=$(cat "$(CLOCK_FILE)")
	while [ "$clock" -le "$end" ]; do
		local t h
		t=$(date -u -d "@$clock" +%Y-%m-%dT%H:%M)
		h=${t:11:2}
		if [ "$h" -ge 6 ] && [ "$h" -le 22 ]; then
			out=$(APPT_NOW=$t appt remind -v 2>&1) || [ $? -eq 69 ]
			printf '%s %s\n' "$t" "${out//$'\n'/ | }" >>"$WEEK_DIR/cron.log"
		fi
		clock=$((clock + 900))
	done
	echo "$clock" >"$(CLOCK_FILE)"
}

# at "YYYY-MM-DD HH:MM" WHO ARGS...: the desk runs `appt ARGS` then.
at() {
	advance "$1"
	APPT_USER=$2 APPT_NOW="${1/ /T}" appt "${@:3}"
}

# What a client received, one line a message: "Day HH:MM channel kind name",
# from the transports' own records (the name from the outbox, by Message-Id).
received() {
	db "SELECT id, name FROM messages" >names.txt
	python3 - "$1" names.txt sms.log email.log <<-'EOF'
		import sys, datetime
		to = sys.argv[1]
		names = dict(l.rstrip("\n").split("|", 1) for l in open(sys.argv[2]) if "|" in l)
		out = []
		for path in sys.argv[3:]:
		    try:
		        text = open(path).read()
		    except FileNotFoundError:
		        continue
		    for rec in text.split("From appt ")[1:]:
		        head = dict(l.split(": ", 1) for l in rec.split("\n\n", 1)[0].split("\n")[1:] if ": " in l)
		        if head.get("To") != to:
		            continue
		        when = datetime.datetime.fromisoformat(rec.split("\n", 1)[0])
		        name = names[head["Message-Id"]]
		        out.append((when, f'{when:%a %H:%M} {head["Channel"]} {head["Kind"]} {name}'))
		for _, line in sorted(out):
		    print(line)
	EOF
}

# Every text's time against the example's SMS window (mon-sat 08:00-20:00,
# sun 09:00-18:00), and every message id once: prints what breaks either.
window_and_once() {
	python3 - sms.log email.log <<-'EOF'
		import sys, datetime, collections
		seen = collections.Counter()
		for path in sys.argv[1:]:
		    try:
		        text = open(path).read()
		    except FileNotFoundError:
		        continue
		    for rec in text.split("From appt ")[1:]:
		        when = datetime.datetime.fromisoformat(rec.split("\n", 1)[0])
		        mid = [l for l in rec.split("\n") if l.startswith("Message-Id: ")][0]
		        seen[mid] += 1
		        if path == "sms.log":
		            lo, hi = (9, 18) if when.weekday() == 6 else (8, 20)
		            if not (lo <= when.hour < hi):
		                print("outside the window:", when, mid)
		for mid, n in seen.items():
		    if n > 1:
		        print("sent", n, "times:", mid)
	EOF
}

@test "the week, day by day" {
	example_config
	echo "$(date -u -d '2027-02-26 06:00' +%s)" >"$(CLOCK_FILE)"
	APPT_NOW=2027-02-26T08:00 run -0 appt init
	# The old system's history: the last peels of two program clients.
	cat >history.csv <<-'EOF'
	client,phone,email,service,provider,start,end,status,notes,external_id
	Dee Diaz,(303) 555-0104,,acne-peel,anna,2027-02-06 10:00,2027-02-06 10:45,done,,old-1
	Fay Fox,303-555-0106,,acne-peel,maria,2027-02-17 11:00,2027-02-17 11:45,done,,old-2
	EOF
	at "2027-02-26 08:30" sam import appointments history.csv >/dev/null
	at "2027-02-26 08:31" sam client edit Dee --program acne >/dev/null
	at "2027-02-26 08:31" sam client edit Fay --program acne >/dev/null
	at "2027-02-26 08:32" sam client add --name "Ann Archer" --phone "303-555-0101" --program acne >/dev/null
	at "2027-02-26 08:32" sam client note Ann --alert "allergic to salicylic acid" >/dev/null
	at "2027-02-26 08:33" sam client add --name "Bob Baker" --phone "303 555 0102" \
		--email bob@example.com --channel email >/dev/null
	at "2027-02-26 08:34" sam client add --name "Gus Gray" --phone "3035550107" >/dev/null
	# Seed 000 §5.1: the same person typed another way is the same client.
	run -1 at "2027-02-26 08:35" sam client add --name "Fay Fox" --phone "(303) 555-0106"
	# Friday: Ann calls; the desk offers two slots and books one (her alert shows).
	run -0 at "2027-02-26 16:00" sam slots --service acne-peel --from "mon 10:00" --format csv
	[ "${#lines[@]}" -ge 3 ]
	run -0 --separate-stderr at "2027-02-26 16:01" sam book --client Ann --service acne-peel --at "mon 10:00" --via phone
	assert_equal "$stderr" "appt book: warning: alert for Ann Archer: allergic to salicylic acid"
	# Bob's consultation, entered without a confirmation, then called off: Bob hears nothing.
	at "2027-02-26 16:05" sam book --client Bob --service consultation --at "tue 14:00" --via email --no-send >/dev/null
	run -0 at "2027-02-26 16:10" sam cancel 4 --reason "entered for the wrong client" --by business
	assert_line "no cancellation notice sent (the client was never told of the booking)"
	# Gus books online on Friday night, three peels: the confirmations wait for 08:00.
	for d in mon tue wed; do
		at "2027-02-26 21:30" sam book -q --client Gus --service acne-peel --at "$d 9:00" --via online >/dev/null
	done
	# Monday: Gus does not come; Ann comes and books her next peel at checkout.
	at "2027-03-01 09:20" sam noshow 5 >/dev/null
	at "2027-03-01 09:55" sam checkin 3 >/dev/null
	at "2027-03-01 10:00" anna start 3 >/dev/null
	at "2027-03-01 10:45" anna done 3 >/dev/null
	at "2027-03-01 10:50" sam book --client Ann --service acne-peel --at "2027-03-15 10:00" --via in-person >/dev/null 2>&1
	# A slip of the keyboard: Ann's next peel is not done two weeks early.
	run -1 at "2027-03-01 10:51" sam done 8
	# Tuesday: Gus misses again (warned); Wednesday he seems to miss a third
	# time and is blocked, told so at once; he walks in late: the desk undoes it.
	at "2027-03-02 09:20" sam noshow 6 >/dev/null 2>&1
	at "2027-03-03 08:40" sam confirm 7 --via sms >/dev/null
	at "2027-03-03 09:16" sam noshow 7 >/dev/null 2>&1
	run -0 --separate-stderr at "2027-03-03 09:25" sam undo 7 --reason "arrived late"
	assert_regex "$stderr" "was already sent: tell the client"
	run -0 at "2027-03-03 09:26" sam checkin 7
	# Wednesday: Dee's day 25 (last peel 6 February): the call is logged, then the text goes.
	run -0 at "2027-03-03 10:30" sam report calls --format csv
	local task
	task=$(printf '%s\n' "${lines[@]}" | awk -F, '/Dee Diaz/ && /day 25/ { print $1 }')
	[ -n "$task" ]
	run -0 at "2027-03-03 10:31" sam log --client Dee --via call --outcome voicemail --task "$task" "left a voicemail"
	assert_line "No Appointment Booked, attempt 5; last service 2027-02-06"
	assert_line "sent the text that follows call task #$task"
	# Thursday: Fay (last peel 17 February) is called on day 15 and books.
	run -0 at "2027-03-04 10:00" sam report calls --format csv
	task=$(printf '%s\n' "${lines[@]}" | awk -F, '/Fay Fox/ && /day 15/ { print $1 }')
	[ -n "$task" ]
	at "2027-03-04 10:05" sam log --client Fay --via call --outcome reached --task "$task" "booked for Tuesday" >/dev/null
	at "2027-03-04 10:06" sam book --client Fay --service acne-peel --at "2027-03-09 11:00" --via call >/dev/null 2>&1
	advance "2027-03-06 22:00"

	# ---- what each client received, and when ----
	run -0 window_and_once
	assert_output ""
	# Ann: her confirmation, both reminders, the next booking's, the thanks
	# after her peel and the feedback request (by text: she has no e-mail).
	run -0 received "+13035550101"
	assert_output - <<-'EOF'
	Fri 16:01 sms notice booked
	Sat 10:00 sms reminder two-days
	Mon 08:00 sms reminder two-hours
	Mon 10:50 sms notice booked
	Mon 12:45 sms followup thanks
	Thu 10:45 sms followup feedback
	EOF
	# Seed 001: Ann never confirmed, so the desk had a call to make on Sunday
	# 10:00, 24 hours before; unmade, it closed when she checked in.
	run -0 db "SELECT due_at, status, note FROM messages WHERE kind = 'deadline' AND appointment_id = 3"
	assert_output "$(TZ=America/Denver date -d '2027-02-28 10:00' +%s)|void|closed: the client came"
	# Bob heard nothing of a booking he never asked for, nor of its end.
	run -0 received "bob@example.com"
	assert_output ""
	run -0 received "+13035550102"
	assert_output ""
	run -0 db "SELECT name, status, coalesce(note, '') FROM messages WHERE client_id = 4 ORDER BY id"
	assert_output - <<-'EOF'
	booked|void|voided: the appointment was moved or ended
	cancelled|void|not sent: the client was never told of the booking
	EOF
	# Gus: Friday night's confirmations at 08:00 Saturday, reminders in the
	# windows before his 09:00 peels (Sunday's opens at 09:00), a no-show
	# notice each time he missed, the third the blocked one.
	run -0 received "+13035550107"
	assert_output - <<-'EOF'
	Sat 08:00 sms notice booked
	Sat 08:00 sms notice booked
	Sat 08:00 sms notice booked
	Sun 09:00 sms reminder two-days
	Sun 17:30 sms reminder two-hours
	Mon 09:00 sms reminder two-days
	Mon 09:20 sms notice noshow
	Mon 19:30 sms reminder two-hours
	Tue 09:20 sms notice noshow
	Tue 19:30 sms reminder two-hours
	Wed 09:16 sms notice blocked
	EOF
	# ... and the undo put him back: not blocked, no fee for Wednesday, in the chair.
	assert_equal "$(db 'SELECT blocked FROM clients WHERE id = 5')" 0
	assert_equal "$(db 'SELECT status FROM appointments WHERE id = 7')" waiting
	assert_equal "$(db 'SELECT count(*) FROM charges WHERE appointment_id = 7 AND voided_at IS NULL')" 0
	assert_equal "$(db "SELECT count(*) FROM events WHERE entity = 'appointment' AND entity_id = 7 AND action = 'undo'")" 1
	# Dee (last peel 6 February, enrolled on day 20): the manager's day-19
	# call, then day 25's call, logged, and the final text right after it;
	# a day after that text the program ended, its open call with it.
	run -0 received "+13035550104"
	assert_output "Wed 10:31 sms outreach acne:day25"
	run -0 db "SELECT name, channel, status, coalesce(note, '') FROM messages WHERE client_id = 1 AND status <> 'void' OR (client_id = 1 AND note LIKE 'closed:%') ORDER BY id"
	assert_output - <<-'EOF'
	acne:day19|call|void|closed: day 25's outreach step takes over
	acne:day25|call|void|closed: the client's acne program has ended
	acne:day25|sms|sent|acne program: day 25, attempt 5; sent after call task #28 is logged
	EOF
	assert_equal "$(db 'SELECT program_ended_at FROM clients WHERE id = 1')" "$(TZ=America/Denver date -d '2027-03-04 10:45' +%s)"
	assert_equal "$(db 'SELECT attempt, last_visit, via, outcome FROM contacts WHERE client_id = 1')" "5|2027-02-06|call|voicemail"
	# Fay: day 7's text (she was enrolled on day 9), day 12's, day 15's call
	# reached her and she booked: her confirmation, and nothing more.
	run -0 received "+13035550106"
	assert_output - <<-'EOF'
	Fri 08:45 sms outreach acne:day7
	Mon 08:00 sms outreach acne:day12
	Thu 10:06 sms notice booked
	EOF
	assert_equal "$(db "SELECT status, tries FROM messages WHERE client_id = 2 AND name = 'acne:day15'")" "closed|1"
	# The desk's lists are clear at the end of the week.
	APPT_NOW=2027-03-06T22:00 run -0 appt report calls --format csv
	assert_equal "${#lines[@]}" 1
	APPT_NOW=2027-03-06T22:00 run -0 appt report overdue --format csv
	assert_equal "${#lines[@]}" 1
}
