#!/usr/bin/env bash
# make demo: a morning at the front desk of the example clinic, on a fresh
# database under demo/.  The clock is pinned (APPT_NOW) so that every run
# shows the same day; drop APPT_NOW to run it against the real clock.
set -euo pipefail
cd "$(dirname "$0")"
BIN="$PWD/${O:-build}/bin"
export PATH="$BIN:$PATH"
export APPT_CONFIG="$PWD/config.example.yaml"
export APPT_DB="$PWD/demo/appt.db"
export APPT_USER=jessi
export APPT_NOW="2027-03-01T08:00"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

rm -rf demo && mkdir -p demo
echo "appt demo: Natural Skincare and Acne Clinic, Monday 1 March 2027, 08:00"
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
APPT_NOW="2027-03-03T11:20" step appt noshow 2 --note "no answer on the phone"
step appt list --from 2027-03-01 --to 2027-03-03 --format table
step appt show 2
step appt client show Bob
echo
echo "database: $APPT_DB"
