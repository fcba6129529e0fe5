#!/usr/bin/env bash
# make demo: a fortnight at the front desk of the example clinic, on a fresh
# database under demo/: clients, slots offered, bookings, a reschedule, a
# cancellation, a client confirming through the link in their e-mail and
# another booking on the web page (appt serve), a no-show, the cron job
# sending reminders and program outreach, and the reports.  The clock is pinned (APPT_NOW) so every run
# shows the same days.
set -euo pipefail
cd "$(dirname "$0")"
BIN="$PWD/${O:-build}/bin"
export PATH="$BIN:$PATH"
export APPT_CONFIG="$PWD/demo/config.yaml"
export APPT_DB="$PWD/demo/appt.db"
export APPT_USER=jessi
export APPT_NOW="2027-03-01T08:00"

bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }
step() { bold "\$ $*"; "$@"; }
at() { local when=$1; shift; bold "[$when] \$ $*"; APPT_NOW="$when" "$@"; }

# The clients' side: appt serve on a free port, Bob opening the link in
# his e-mail and confirming, and a new client booking on the page.
serve_demo() {
	local pid url link path slot i
	bold "\$ appt serve --listen 127.0.0.1:0 2>demo/serve.log &   # appt-serve(1)"
	: >demo/serve.log
	appt serve --listen 127.0.0.1:0 2>>demo/serve.log &
	pid=$!
	# a demo stopped half-way (^C, a closed pipe) leaves no server behind
	trap "kill -TERM $pid 2>/dev/null" EXIT
	for i in $(seq 50); do
		url=$(sed -n 's|^appt serve: listening on \(http://[^ ]*\)/$|\1|p' demo/serve.log)
		[ -n "$url" ] && break
		sleep 0.1
	done
	link=$(grep -o 'https://[^ ]*/a/[A-Za-z0-9_-]*' demo/sent-email.log | tail -n 1)
	# (tail reads all it is given: no SIGPIPE for pipefail to see)
	path="/a/${link##*/a/}"
	bold "\$ curl $url/a/...   # Bob opens the link in his e-mail"
	curl -s "$url$path" | sed -n 's|^<dt>\(.*\)</dt><dd>\(.*\)</dd>$|  \1: \2|p'
	bold "\$ curl -X POST $url/a/.../confirm   # and confirms"
	curl -s -o /dev/null -w '  %{http_code} %{redirect_url}\n' -X POST "$url$path/confirm" |
		sed 's|/a/[A-Za-z0-9_-]*|/a/...|'
	slot=$(curl -s "$url/api/slots?service=facial" | sed -n 's/^\[{"start":"\([^"]*\)".*/\1/p')
	bold "\$ curl $url/book -d service=facial -d start=$slot ...   # a new client books"
	curl -s -o /dev/null -w '  %{http_code}\n' "$url/book" --data-urlencode service=facial \
		--data-urlencode "start=$slot" --data-urlencode "name=Cara Diaz" \
		--data-urlencode "phone=+1 555 0104"
	kill -TERM "$pid"
	wait "$pid"
	trap - EXIT
	bold "\$ cat demo/serve.log"
	cat demo/serve.log
}

rm -rf demo && mkdir -p demo
# config.example.yaml as it is, but for its channels: sendmail and the SMS
# gateway become files under demo/, so that the demo sends nothing.
sed '/^channels:/,/^$/c\
channels:\
  email: {transport: file, path: sent-email.log}\
  sms: {transport: file, path: sent-sms.log}\
' config.example.yaml >demo/config.yaml

echo "appt demo: Natural Skincare and Acne Clinic, from Monday 1 March 2027"
echo "(config.example.yaml with messages written to demo/sent-*.log)"
step appt config check
step appt init
step appt client add --name "Ann Archer" --phone "+1 555 0101" --email ann@example.com --program acne --note "allergic to salicylic acid"
step appt client add --name "Bob Baker" --email bob@example.com --channel email
step appt client add --name "Zoë Ng" --phone "+1 555 0103"
step appt slots --service acne-peel --format table
step appt book --client Ann --service acne-peel --first-available --via phone
step appt book --client Bob --service consultation --at "2027-03-02 10:00" --via email
step appt book --client "Zoë" --service facial --at "2027-03-01 13:30"
step appt reschedule 2 --at "2027-03-03 11:00" --reason "client asked"
step appt cancel 3 --reason "feeling unwell"
step appt confirm 1 --via sms
serve_demo
step appt list --from 2027-03-01 --to 2027-03-03 --format table
at 2027-03-01T10:00 appt checkin 1
at 2027-03-01T10:05 appt start 1
at 2027-03-01T10:50 appt done 1
at 2027-03-01T13:00 appt remind -v
at 2027-03-02T10:00 appt remind -v
at 2027-03-03T11:20 appt noshow 2 --note "no answer on the phone"
at 2027-03-03T12:00 appt report day --format table
at 2027-03-08T09:00 appt remind -v
at 2027-03-08T09:05 appt report overdue --format table
at 2027-03-08T09:10 appt report noshows --from 2027-03-01 --format table
step appt show 2
bold "\$ tail -n 8 demo/sent-sms.log"
tail -n 8 demo/sent-sms.log
echo
echo "database: $APPT_DB"
