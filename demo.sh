#!/usr/bin/env bash
# make demo: a fortnight at the front desk of the example clinic, on a fresh
# database under demo/: clients, slots offered, bookings, a reschedule, a
# cancellation, a no-show, the cron job sending reminders and program
# outreach, and the reports.  The clock is pinned (APPT_NOW) so every run
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
