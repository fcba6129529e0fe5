#!/usr/bin/env bats
# What the desk billed and took in: report fees, revenue, outstanding and
# payments; export invoices and payments as CSV/JSON, and the journal
# (--format ledger) that hledger reads.  Three hand-computed days are built
# once through the commands (America/Denver, UTC-7 in early March 2027);
# billing adds State 6.25% and City 2.25%, consult costs 40.00, peel 85.00:
#
#   Mon 03-01 10:30  INV-2027-0001  #1 Ann peel (kim) + Serum 12.50, 10% off:
#                    subtotal 97.50, discount 9.75, net 87.75,
#                    State 5.48 (5.484375), City 1.97 (1.974375), total 95.20
#             10:45  INV-2027-0002  #2 Bob consult (lee): 40.00 + 2.50 + 0.90 = 43.40
#             11:00  payment #1  Ann 50.00 cash on INV-2027-0001
#             11:05  payment #2  Bob 43.40 card on INV-2027-0002 (ref "slip 0042")
#             11:20  charge #1   Cy no-show (#3) 40.00
#   Tue 03-02 09:00  payment #3  Ann 20.00 card (INV-2027-0001: 25.20 left)
#             09:10  payment #4  Cy 15.00 cash (charge #1: 25.00 left)
#             09:20  charge #1 waived (boss): 25.00
#             09:30  INV-2027-0003  credit note voiding INV-2027-0002: -43.40;
#                    Bob's 43.40 is his credit
#   Wed 03-03 09:00  charge #2   Bob late cancel (#5) 25.00, paid by his credit
#             10:20  charge #3   Ann no-show (#4) 40.00, undone at 10:30 (void)
#             10:40  payment #5  Ann 10.00 transfer (ref TX-77)
#             11:00  charge #4   Cy late cancel (#6) 25.00, open
#
# Balances after: Ann 15.20, Bob -18.40 (credit), Cy 25.00.

load test_helper

book() {
	appt book -q --client "$1" --service "$2" --provider "$3" --at "$4" >/dev/null
}

# at TIME COMMAND...: runs COMMAND with the clock at TIME, quietly.
at() {
	APPT_NOW="$1" "${@:2}" >/dev/null
}

# Consult priced, and billing's currency and two taxes.
with_billing() {
	sed -i '/^    name: Consultation$/a\    price: "40.00"' "$APPT_CONFIG"
	cat >>"$APPT_CONFIG" <<-'EOF'
	billing:
	  currency: USD
	  tax:
	    - {name: State, rate: 6.25%}
	    - {name: City, rate: 2.25%}
	EOF
}

build_books() {
	with_billing
	init_db
	book Ann peel kim "2027-03-01 09:30"
	book Bob consult lee "2027-03-01 10:00"
	book Cy consult kim "2027-03-01 11:00"
	book Ann consult kim "2027-03-03 10:00"
	book Bob consult kim "2027-03-03 14:00"
	book Cy consult kim "2027-03-04 09:00"
	at 2027-03-01T10:20 appt done 1
	at 2027-03-01T10:30 appt invoice 1 --item "Serum=12.50" --discount 10%
	at 2027-03-01T10:35 appt done 2
	at 2027-03-01T10:45 appt invoice 2
	at 2027-03-01T11:00 appt pay --invoice INV-2027-0001 --amount 50 --method cash
	at 2027-03-01T11:05 appt pay --invoice INV-2027-0002 --amount 43.40 --method card --ref "slip 0042"
	at 2027-03-01T11:20 appt noshow 3
	at 2027-03-02T09:00 appt pay --client Ann --amount 20 --method card
	at 2027-03-02T09:10 appt pay --client Cy --amount 15 --method cash
	at 2027-03-02T09:20 env APPT_USER=boss appt fee waive 1 --reason "first visit"
	at 2027-03-02T09:30 appt invoice void INV-2027-0002 --reason "billed twice"
	at 2027-03-03T09:00 appt cancel 5 --reason "car trouble"
	at 2027-03-03T10:20 appt noshow 4
	at 2027-03-03T10:30 appt undo 4 --reason "she was in the waiting room" 2>/dev/null
	at 2027-03-03T10:40 appt pay --client Ann --amount 10 --method transfer --ref TX-77
	at 2027-03-03T11:00 appt cancel 6 --reason flu
}

setup_file() {
	local BATS_TEST_TMPDIR="$BATS_FILE_TMPDIR"
	common_setup
	build_books
}

setup() {
	common_setup
	with_billing
	use_file_db
	export APPT_NOW=2027-03-03T18:00
}

# A report as CSV with the RFC 4180 line ends taken off.
csv() {
	set -o pipefail
	appt report "$@" --format csv | tr -d '\r'
}

# Runs python3 on the JSON in $output: the code sees it as `rows`.
json() {
	python3 -c "import json, sys; rows = json.load(sys.stdin); $1" <<<"$output"
}

need_hledger() {
	command -v hledger >/dev/null || skip "hledger is not installed (Debian package hledger)"
}

# The whole journal, in $BATS_TEST_TMPDIR/books.journal.
journal() {
	appt export invoices --format ledger "$@" >"$BATS_TEST_TMPDIR/books.journal"
}

# hledger's balance of the accounts QUERY names, as "account=amount" lines
# (amounts as hledger prints them, less the currency).
hledger_balance() {
	hledger -f "$BATS_TEST_TMPDIR/books.journal" balance -E -O csv "$@" |
		tr -d '\r"' | tail -n +2 | grep -v '^total,' | sed -E 's/ USD$//; s/,([^,]*)$/=\1/'
}

# The balance line of `appt client show C`.
balance_of() {
	appt client show "$1" | sed -nE 's/^balance: +//p'
}

# ---- report revenue ----

@test "revenue: by day, provider and service; the credit note on its own day; a total" {
	run -0 --separate-stderr csv revenue --from 2027-03-01 --to 2027-03-03
	assert_equal "$stderr" ""
	assert_output - <<-'EOF'
	day,provider,service,invoices,credit_notes,net,tax,total
	2027-03-01,kim,peel,1,0,87.75,7.45,95.20
	2027-03-01,lee,consult,1,0,40.00,3.40,43.40
	2027-03-02,lee,consult,0,1,-40.00,-3.40,-43.40
	total,,,2,1,87.75,7.45,95.20
	EOF
	# a day closed stays as it was: the void shows on Tuesday, not Monday
	run -0 csv revenue --date 2027-03-01
	assert_line --index 3 "total,,,2,0,127.75,10.85,138.60"
}

@test "revenue: --provider and --client narrow it; JSON amounts keep their cents" {
	run -0 csv revenue --from 2027-03-01 --to 2027-03-03 --provider lee
	assert_output - <<-'EOF'
	day,provider,service,invoices,credit_notes,net,tax,total
	2027-03-01,lee,consult,1,0,40.00,3.40,43.40
	2027-03-02,lee,consult,0,1,-40.00,-3.40,-43.40
	total,,,1,1,0.00,0.00,0.00
	EOF
	run -0 csv revenue --from 2027-03-01 --to 2027-03-03 --client Ann
	assert_line --index 1 "2027-03-01,kim,peel,1,0,87.75,7.45,95.20"
	assert_line --index 2 "total,,,1,0,87.75,7.45,95.20"
	run -0 appt report revenue --from 2027-03-01 --to 2027-03-03 --format json
	run -0 json '
assert rows[2] == {"day": "2027-03-02", "provider": "lee", "service": "consult", "invoices": 0,
                   "credit_notes": 1, "net": "-40.00", "tax": "-3.40", "total": "-43.40"}, rows[2]
assert rows[3]["day"] == "total" and rows[3]["total"] == "95.20", rows[3]
print("ok")'
	assert_output "ok"
}

# ---- report payments ----

@test "payments: the day's cash-up by method, every method listed, today by default" {
	run -0 csv payments
	assert_output - <<-'EOF'
	method,count,amount
	cash,0,0.00
	card,0,0.00
	transfer,1,10.00
	other,0,0.00
	total,1,10.00
	EOF
	APPT_NOW=2027-03-01T18:00 run -0 csv payments
	assert_output - <<-'EOF'
	method,count,amount
	cash,1,50.00
	card,1,43.40
	transfer,0,0.00
	other,0,0.00
	total,2,93.40
	EOF
	run -0 csv payments --date 2027-03-02
	assert_line --index 1 "cash,1,15.00"
	assert_line --index 2 "card,1,20.00"
	assert_line --index 5 "total,2,35.00"
}

@test "payments: --from/--to over a period, --client one client's" {
	run -0 csv payments --from 2027-03-01 --to 2027-03-03
	assert_output - <<-'EOF'
	method,count,amount
	cash,2,65.00
	card,2,63.40
	transfer,1,10.00
	other,0,0.00
	total,5,138.40
	EOF
	run -0 csv payments --from 2027-03-01 --to 2027-03-03 --client Ann
	assert_line --index 1 "cash,1,50.00"
	assert_line --index 2 "card,1,20.00"
	assert_line --index 5 "total,3,80.00"
}

# ---- report outstanding ----

@test "outstanding: each balance not zero, what is open by age, the credit, a total" {
	run -0 --separate-stderr csv outstanding
	assert_equal "$stderr" ""
	assert_output - <<-'EOF'
	id,client,balance,0-30,31-60,61-90,90+,credit
	3,Cy Cole,25.00,25.00,0.00,0.00,0.00,0.00
	1,Ann Archer,15.20,15.20,0.00,0.00,0.00,0.00
	2,Bob Baker,-18.40,0.00,0.00,0.00,0.00,18.40
	,total,21.80,40.20,0.00,0.00,0.00,18.40
	EOF
	# each balance is client show's
	assert_equal "$(balance_of Ann)" "15.20"
	assert_equal "$(balance_of Bob)" "-18.40"
	assert_equal "$(balance_of Cy)" "25.00"
	run -0 csv outstanding --client Bob
	assert_line --index 1 "2,Bob Baker,-18.40,0.00,0.00,0.00,0.00,18.40"
	assert_line --index 2 ",total,-18.40,0.00,0.00,0.00,0.00,18.40"
}

@test "outstanding: age in business days since issued: 30 is 0-30, 31 is 31-60, 91 is 90+" {
	# Wednesday 03-31 is 30 days after INV-2027-0001 (Monday 03-01): DST
	# began between, so this counts dates, not 24-hour days
	APPT_NOW=2027-03-31T23:59 run -0 csv outstanding --client Ann
	assert_line --index 1 "1,Ann Archer,15.20,15.20,0.00,0.00,0.00,0.00"
	APPT_NOW=2027-04-01T00:01 run -0 csv outstanding --client Ann
	assert_line --index 1 "1,Ann Archer,15.20,0.00,15.20,0.00,0.00,0.00"
	# a second invoice of Ann's, five weeks later (INV-2027-0004, 43.40)
	book Ann consult kim "2027-04-05 10:00"
	at 2027-04-05T10:40 appt done 7
	at 2027-04-05T10:45 appt invoice 7
	APPT_NOW=2027-04-10T12:00 run -0 csv outstanding --client Ann
	assert_line --index 1 "1,Ann Archer,58.60,43.40,15.20,0.00,0.00,0.00"
	APPT_NOW=2027-05-30T12:00 run -0 csv outstanding --client Ann
	assert_line --index 1 "1,Ann Archer,58.60,0.00,43.40,15.20,0.00,0.00"
	APPT_NOW=2027-05-31T12:00 run -0 csv outstanding
	assert_output - <<-'EOF'
	id,client,balance,0-30,31-60,61-90,90+,credit
	1,Ann Archer,58.60,0.00,43.40,0.00,15.20,0.00
	3,Cy Cole,25.00,0.00,0.00,25.00,0.00,0.00
	2,Bob Baker,-18.40,0.00,0.00,0.00,0.00,18.40
	,total,65.20,0.00,43.40,25.00,15.20,18.40
	EOF
}

@test "outstanding: paid off, a client leaves the report" {
	at 2027-03-03T18:00 appt pay --client Cy --amount 25 --method other
	run -0 csv outstanding
	refute_output --partial "Cy Cole"
	assert_line --index 3 ",total,-3.20,15.20,0.00,0.00,0.00,18.40"
	assert_equal "$(balance_of Cy)" "0.00"
}

# ---- report fees ----

@test "fees: each charge by id with its status, what was paid and by which payments" {
	run -0 csv fees --from 2027-03-01 --to 2027-03-03
	assert_output - <<-'EOF'
	id,at,client,appointment,kind,amount,status,paid,waived,paid_by,actor,waived_by,waive_reason
	1,2027-03-01T11:20:00-07:00,Cy Cole,3,no-show,40.00,waived,15.00,25.00,#4 cash,desk,boss,first visit
	2,2027-03-03T09:00:00-07:00,Bob Baker,5,late-cancel,25.00,paid,25.00,0.00,#2 card,desk,,
	3,2027-03-03T10:20:00-07:00,Ann Archer,4,no-show,40.00,void,0.00,0.00,,desk,,
	4,2027-03-03T11:00:00-07:00,Cy Cole,6,late-cancel,25.00,open,0.00,0.00,,desk,,
	,,,,total,90.00,,40.00,25.00,,,,
	EOF
	# the id is what appt fee waive takes
	APPT_USER=boss run -0 appt fee waive 4 --reason "snowed in" -q
	run -0 csv fees --date 2027-03-03 --client Cy
	assert_line --index 1 "4,2027-03-03T11:00:00-07:00,Cy Cole,6,late-cancel,25.00,waived,0.00,25.00,,desk,boss,snowed in"
}

@test "fees: a payment across two of them names itself in each" {
	# Cy's open fee and a new one, paid in one go
	book Cy consult kim "2027-03-08 09:00"
	at 2027-03-07T10:00 appt cancel 7 --reason "away"
	at 2027-03-07T10:05 appt pay --client Cy --amount 50 --method card
	run -0 csv fees --from 2027-03-03 --to 2027-03-07 --client Cy
	assert_line --index 1 "4,2027-03-03T11:00:00-07:00,Cy Cole,6,late-cancel,25.00,paid,25.00,0.00,#6 card,desk,,"
	assert_line --index 2 "5,2027-03-07T10:00:00-07:00,Cy Cole,7,late-cancel,25.00,paid,25.00,0.00,#6 card,desk,,"
	assert_line --index 3 ",,,,total,50.00,,50.00,0.00,,,,"
}

# ---- exports ----

@test "export invoices: one row per invoice and credit note, figures as issued" {
	run -0 bash -c "appt export invoices | tr -d '\r'"
	assert_output - <<-'EOF'
	number,kind,issued,client_id,client,appointment,subtotal,discount,tax,total,paid,status,cancels,currency,reason,actor
	INV-2027-0001,invoice,2027-03-01T10:30:00-07:00,1,Ann Archer,1,97.50,9.75,7.45,95.20,80.00,open,,USD,,desk
	INV-2027-0002,invoice,2027-03-01T10:45:00-07:00,2,Bob Baker,2,40.00,0.00,3.40,43.40,0.00,void,,USD,,desk
	INV-2027-0003,credit,2027-03-02T09:30:00-07:00,2,Bob Baker,2,-40.00,0.00,-3.40,-43.40,0.00,credit,INV-2027-0002,USD,billed twice,desk
	EOF
	run -0 appt export invoices --from 2027-03-02 --format json
	run -0 json '
assert [(r["number"], r["kind"], r["total"], r["status"], r["cancels"]) for r in rows] == \
    [("INV-2027-0003", "credit", "-43.40", "credit", "INV-2027-0002")], rows
assert rows[0]["client_id"] == 2 and rows[0]["appointment"] == 2, rows[0]
print("ok")'
	assert_output "ok"
}

@test "export payments: one row per payment, with its ref and invoice; --from/--to" {
	run -0 bash -c "appt export payments | tr -d '\r'"
	assert_output - <<-'EOF'
	id,at,client_id,client,amount,method,ref,invoice,actor
	1,2027-03-01T11:00:00-07:00,1,Ann Archer,50.00,cash,,INV-2027-0001,desk
	2,2027-03-01T11:05:00-07:00,2,Bob Baker,43.40,card,slip 0042,INV-2027-0002,desk
	3,2027-03-02T09:00:00-07:00,1,Ann Archer,20.00,card,,,desk
	4,2027-03-02T09:10:00-07:00,3,Cy Cole,15.00,cash,,,desk
	5,2027-03-03T10:40:00-07:00,1,Ann Archer,10.00,transfer,TX-77,,desk
	EOF
	run -0 bash -c "appt export payments --from 2027-03-02 --to 2027-03-02 | tail -n +2 | cut -d, -f1 | tr '\r\n' '  '"
	assert_output "3 4 "
	run -0 appt export payments --format json --to 2027-03-01
	run -0 json '
assert [(r["id"], r["amount"], r["method"], r["ref"]) for r in rows] == \
    [(1, "50.00", "cash", None), (2, "43.40", "card", "slip 0042")], rows
print("ok")'
	assert_output "ok"
}

# ---- the ledger journal ----

@test "ledger: each billing event is a transaction of exact amounts in business days" {
	journal
	run -0 cat "$BATS_TEST_TMPDIR/books.journal"
	# the invoice: receivable, income, the discount a debit, each tax owed
	assert_output --partial "2027-03-01 INV-2027-0001 Ann Archer, Acne Peel
    assets:receivable:Ann Archer #1              95.20 USD
    income:services:peel                        -85.00 USD
    income:items                                -12.50 USD  ; Serum
    income:discounts                              9.75 USD
    liabilities:tax:State                        -5.48 USD
    liabilities:tax:City                         -1.97 USD
"
	# the credit note turns every line round, the day it is issued
	assert_output --partial "2027-03-02 INV-2027-0003 Bob Baker, voids INV-2027-0002
    ; reason: billed twice
    assets:receivable:Bob Baker #2              -43.40 USD
    income:services:consult                      40.00 USD
    liabilities:tax:State                         2.50 USD
    liabilities:tax:City                          0.90 USD
"
	assert_output --partial "2027-03-01 payment #2 card Bob Baker, INV-2027-0002
    ; ref: slip 0042
    assets:card                                  43.40 USD
    assets:receivable:Bob Baker #2              -43.40 USD
"
	assert_output --partial "2027-03-01 no-show fee #1 Cy Cole, appointment #3
    assets:receivable:Cy Cole #3                 40.00 USD
    income:fees:no-show                         -40.00 USD
"
	assert_output --partial "2027-03-02 no-show fee #1 waived Cy Cole
    ; reason: first visit
    income:fees:waived                           25.00 USD
    assets:receivable:Cy Cole #3                -25.00 USD
"
	# the fee undone is turned round the day it was
	assert_output --partial "2027-03-03 no-show fee #3 voided Ann Archer
    ; reason: appt undo of the noshow (event #"
	assert_output --partial ")
    income:fees:no-show                          40.00 USD
    assets:receivable:Ann Archer #1             -40.00 USD
"
	assert_output --partial "2027-03-03 payment #5 transfer Ann Archer
    ; ref: TX-77
    assets:bank                                  10.00 USD
    assets:receivable:Ann Archer #1             -10.00 USD
"
	# 3 documents, 4 fees charged, 1 waived, 1 voided, 5 payments
	assert_equal "$(grep -c '^2027-' "$BATS_TEST_TMPDIR/books.journal")" 14
}

@test "ledger: hledger reads it; every client's receivable is client show's balance" {
	need_hledger
	journal
	run -0 --separate-stderr hledger -f "$BATS_TEST_TMPDIR/books.journal" check
	run -0 hledger_balance assets:receivable
	assert_output - <<-'EOF'
	assets:receivable:Ann Archer #1=15.20
	assets:receivable:Bob Baker #2=-18.40
	assets:receivable:Cy Cole #3=25.00
	EOF
	local line account amount id
	for line in "${lines[@]}"; do
		account=${line%=*} amount=${line#*=} id=${account##*#}
		assert_equal "$amount" "$(balance_of "$id")"
	done
	# and what they add up to is report outstanding's total
	run -0 bash -c "hledger -f '$BATS_TEST_TMPDIR/books.journal' balance -O csv assets:receivable |
		tr -d '\r\"' | tail -1"
	assert_output "total,21.80 USD"
	run -0 csv outstanding
	assert_line --index 4 --partial ",total,21.80,"
}

@test "ledger: ledger reads it as well, to the same balances" {
	command -v ledger >/dev/null || skip "ledger is not installed (Debian package ledger)"
	journal
	run -0 ledger -f "$BATS_TEST_TMPDIR/books.journal" --flat balance assets:receivable
	assert_line --regexp "^ +15\.20 USD  assets:receivable:Ann Archer #1$"
	assert_line --regexp "^ +-18\.40 USD  assets:receivable:Bob Baker #2$"
	assert_line --regexp "^ +25\.00 USD  assets:receivable:Cy Cole #3$"
	run -0 ledger -f "$BATS_TEST_TMPDIR/books.journal" --flat -b 2027-03-01 -e 2027-03-02 \
		balance assets and not receivable
	assert_line --regexp "^ +43\.40 USD  assets:card$"
	assert_line --regexp "^ +50\.00 USD  assets:cash$"
}

@test "ledger: income, discounts, fees and taxes as billed; everything adds to nothing" {
	need_hledger
	journal
	run -0 hledger_balance income liabilities
	assert_output - <<-'EOF'
	income:discounts=9.75
	income:fees:late-cancel=-50.00
	income:fees:no-show=-40.00
	income:fees:waived=25.00
	income:items=-12.50
	income:services:consult=0
	income:services:peel=-85.00
	liabilities:tax:City=-1.97
	liabilities:tax:State=-5.48
	EOF
	run -0 bash -c "hledger -f '$BATS_TEST_TMPDIR/books.journal' balance -O csv | tr -d '\r\"' | tail -1"
	assert_output "total,0"
}

# The cash-up of a day as the ledger's accounts would say it: "account=amount"
# for each method that took something, by account name.
cash_up_accounts() {
	csv payments --date "$1" | tail -n +2 | grep -v '^total,' |
		awk -F, '$2 > 0 { print "assets:" ($1 == "transfer" ? "bank" : $1) "=" $3 }' | sort
}

# What the ledger says came in on a day, by account (-E's zeros left out).
money_in() {
	hledger_balance -p "$1" assets not:receivable | grep -v '=0$'
}

@test "ledger: each day's cash, card and bank are that day's cash-up" {
	need_hledger
	journal
	local day
	for day in 2027-03-01 2027-03-02 2027-03-03; do
		run -0 money_in "$day"
		assert_output "$(cash_up_accounts "$day")"
		[ -n "$output" ]
	done
	run -0 money_in 2027-03-01
	assert_output - <<-'EOF'
	assets:card=43.40
	assets:cash=50.00
	EOF
	# and over the three days, as the period's cash-up
	run -0 bash -c "hledger -f '$BATS_TEST_TMPDIR/books.journal' balance -O csv -b 2027-03-01 -e 2027-03-04 assets not:receivable | tr -d '\r\"' | tail -1"
	assert_output "total,138.40 USD"
	run -0 csv payments --from 2027-03-01 --to 2027-03-03
	assert_line --index 5 "total,5,138.40"
}

@test "ledger: export payments writes the same journal; --from/--to a period; ledger is for these two" {
	journal
	run -0 appt export payments --format ledger
	assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/books.journal")"
	run -0 appt export invoices --format ledger --from 2027-03-02 --to 2027-03-02
	assert_equal "$(grep -c '^2027-03-02 ' <<<"$output")" 4
	refute_output --regexp $'\n2027-03-0[13] '
	assert_line --index 1 "; from 2027-03-02"
	run -64 --separate-stderr appt export charges --format ledger
	assert_equal "${stderr_lines[0]}" "appt export: --format ledger is for invoices and payments, not charges"
	run -64 --separate-stderr appt export payments --format ledger --all-columns
	run -65 --separate-stderr appt export payments --format xml
	assert_regex "$stderr" "expected csv, json, ics or ledger"
}

@test "ledger: a waived fee undone turns round the charge and its waiver" {
	need_hledger
	# Cy's no-show was no no-show after all: charge #1 (40.00, 25.00 of it
	# waived, 15.00 paid) is voided, and the 15.00 pays Cy's open fee
	APPT_NOW=2027-03-03T12:00 run -0 appt undo 3 --reason "wrong client"
	assert_line "voided fee 40.00 (no-show, charge #1)"
	journal
	run -0 cat "$BATS_TEST_TMPDIR/books.journal"
	assert_output --partial ")
    income:fees:no-show                          40.00 USD
    income:fees:waived                          -25.00 USD
    assets:receivable:Cy Cole #3                -15.00 USD"
	assert_line --regexp "^2027-03-03 no-show fee #1 voided Cy Cole$"
	run -0 hledger_balance "assets:receivable:Cy"
	assert_output "assets:receivable:Cy Cole #3=10.00"
	assert_equal "$(balance_of Cy)" "10.00"
	run -0 csv fees --date 2027-03-01
	assert_line --index 1 "1,2027-03-01T11:20:00-07:00,Cy Cole,3,no-show,40.00,void,0.00,25.00,,desk,boss,first visit"
	run -0 hledger_balance income:fees
	assert_output - <<-'EOF'
	income:fees:late-cancel=-50.00
	income:fees:no-show=0
	income:fees:waived=0
	EOF
}

@test "ledger: a client's name makes a safe account: no ':', no ';', no double space" {
	need_hledger
	appt client add -q --name "Dee: Dunn;  Jr" --phone "+15550004" >/dev/null
	book 4 consult lee "2027-03-04 10:00"
	at 2027-03-04T10:40 appt done 7
	at 2027-03-04T10:45 appt invoice 7
	at 2027-03-04T10:50 appt pay --client 4 --amount 20 --method card
	journal
	run -0 hledger -f "$BATS_TEST_TMPDIR/books.journal" accounts assets:receivable
	assert_line "assets:receivable:Dee. Dunn, Jr #4"
	run -0 hledger_balance "assets:receivable:Dee"
	assert_output "assets:receivable:Dee. Dunn, Jr #4=23.40"
	assert_equal "$(balance_of 4)" "23.40"
}

@test "every billing report runs in every format" {
	local r f
	for r in fees revenue outstanding payments; do
		for f in table csv json; do
			run -0 --separate-stderr appt report "$r" --format "$f"
			assert_equal "$stderr" ""
			[[ ${lines[0]} != "" ]]
		done
		run -0 appt report "$r" --format json
		run -0 json 'assert isinstance(rows, list) and rows[-1] is not None; print("ok")'
	done
	run -0 appt report --list
	assert_line --regexp "^revenue +invoiced revenue"
	assert_line --regexp "^outstanding +"
	assert_line --regexp "^payments +takings by method"
}
