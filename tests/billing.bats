#!/usr/bin/env bats
# Billing (issue 12): appt invoice, appt pay, appt fee waive, the balance in
# client show, and what undo does to an invoiced done or a paid fee.  The
# clock is Monday 2027-03-01 08:00 (America/Denver); Kim works 09:00-12:00
# and 13:00-17:00.  The fixture's peel costs 85.00 (a consult has no price),
# a no-show fee is 40.00, three no-shows block, and roles.managers is boss.
# Every figure below is worked out by hand from the two taxes set here:
# State 6.25% and City 2.25%, each rounded half-up to the cent on what is
# left after the discount.

load test_helper
load fixtures/messaging

setup() {
	common_setup
	cat >>"$APPT_CONFIG" <<-'EOF'
	billing:
	  currency: USD
	  tax:
	    - {name: State, rate: 6.25%}
	    - {name: City, rate: 2.25%}
	  footer: "Tax id 84-1234567"
	EOF
	init_db
}

# visit CLIENT DAY [SERVICE] [TIME]: booked at the suite's clock, with Kim,
# and done that day at 16:00; prints the appointment's id.
visit() {
	local id
	id=$(appt book --client "$1" --service "${3:-peel}" --provider kim --at "$2 ${4:-10:00}" -q --no-send)
	APPT_NOW="$2T16:00" appt done "$id" >/dev/null
	echo "$id"
}

# noshow CLIENT DAY [TIME] [PROVIDER]: a consult missed that day; the 40.00
# fee is charged at 20 past.
noshow() {
	local id time=${3:-10:00}
	id=$(appt book --client "$1" --service consult --provider "${4:-kim}" --at "$2 $time" -q --no-send)
	APPT_NOW="$2T${time%:00}:20" appt noshow "$id" >/dev/null 2>&1
	echo "$id"
}

# The client's balance as client show prints it.
balance_of() {
	appt client show "$1" | sed -n 's/^balance: *//p'
}

credit_of() {
	appt client show "$1" | sed -n 's/^credit: *//p'
}

csv() {
	set -o pipefail
	"$@" | tr -d '\r'
}

# Parses stdin as JSON and prints the Python expression $1 of it (as `d`).
json() {
	python3 -c 'import json,sys; d = json.load(sys.stdin); print('"$1"')'
}

# notices.invoice by e-mail, with the invoice itself in the body.
with_invoice_notice() {
	sed -i '/^notices:/a\  invoice: {channel: email, template: invoice}' "$APPT_CONFIG"
	add_template invoice 'Hello {{client.first_name}}, invoice {{invoice.number}} comes to {{invoice.total}}.\n\n{{invoice.text}}' \
		'Invoice {{invoice.number}}'
}

# ---- the figures --------------------------------------------------------

@test "the hand-computed invoice: price, two items, 10% off and two taxes, each rounded half-up" {
	visit Ann 2027-03-03 >/dev/null
	# 85.00 + 12.50 + 46.95 = 144.45; 10% is 14.445, so 14.45 off: 130.00
	# State 6.25% of 130.00 = 8.125 -> 8.13; City 2.25% = 2.925 -> 2.93
	# (half-even would give 14.44, 8.12 and 2.92); total 141.06
	APPT_NOW=2027-03-03T17:00 run -0 --separate-stderr appt invoice 1 \
		--item "Fluoride varnish=12.50" --item "Aftercare kit & <gel>=46.95" --discount 10%
	assert_output - <<-'EOF'
	INV-2027-0001: 141.06 USD to Ann Archer for appointment #1
	due: 141.06 USD
	EOF
	assert_equal "$stderr" ""
	run -0 appt invoice show INV-2027-0001
	assert_output - <<-'EOF'
	Test Clinic
	+1 555 0100

	Invoice INV-2027-0001
	Issued: 2027-03-03
	Billed to: Ann Archer
	For: Acne Peel with Kim Kowalski, Wednesday 3 March 2027 10:00 (appointment #1)

	  Acne Peel                                            85.00
	  Fluoride varnish                                     12.50
	  Aftercare kit & <gel>                                46.95
	                                                  ----------
	  Subtotal                                            144.45
	  Discount 10%                                        -14.45
	  State 6.25%                                           8.13
	  City 2.25%                                            2.93
	                                                  ----------
	  Total USD                                           141.06
	  Paid                                                  0.00
	                                                  ----------
	  Due                                                 141.06

	Tax id 84-1234567
	EOF
	run -0 db "SELECT number, year, seq, kind, appointment_id, client_id, coalesce(cancels, 0), currency,
		subtotal, discount, tax, total, issued_at, actor FROM invoices"
	assert_output "INV-2027-0001|2027|1|invoice|1|1|0|USD|14445|1445|1106|14106|$(epoch '2027-03-03 17:00')|desk"
	run -0 db "SELECT line, kind, text, amount, coalesce(rate, 0) FROM invoice_lines WHERE invoice_id = 1 ORDER BY line"
	assert_output - <<-'EOF'
	1|service|Acne Peel|8500|0
	2|item|Fluoride varnish|1250|0
	3|item|Aftercare kit & <gel>|4695|0
	4|discount|Discount 10%|-1445|100000
	5|tax|State 6.25%|813|62500
	6|tax|City 2.25%|293|22500
	EOF
	# the lines add up to the total
	run -0 db "SELECT sum(amount) FROM invoice_lines WHERE invoice_id = 1"
	assert_output "14106"
}

@test "an amount off: each tax on what is left, half a cent rounded up" {
	visit Ann 2027-03-03 >/dev/null
	# 85.00 + 16.00 - 3.00 = 98.00; State 6.125 -> 6.13, City 2.205 -> 2.21
	APPT_NOW=2027-03-03T17:00 run -0 appt invoice 1 --item "Extra time=16" --discount 3
	assert_output - <<-'EOF'
	INV-2027-0001: 106.34 USD to Ann Archer for appointment #1
	due: 106.34 USD
	EOF
	run -0 appt invoice show INV-2027-0001
	assert_line "  Extra time                                           16.00"
	assert_line "  Discount                                             -3.00"
	assert_line "  State 6.25%                                           6.13"
	assert_line "  City 2.25%                                            2.21"
	assert_line "  Total USD                                           106.34"
	run -0 db "SELECT subtotal, discount, tax, total FROM invoices"
	assert_output "10100|300|834|10634"
	run -0 db "SELECT kind, amount, coalesce(rate, 0) FROM invoice_lines ORDER BY line"
	assert_output - <<-'EOF'
	service|8500|0
	item|1600|0
	discount|-300|0
	tax|613|62500
	tax|221|22500
	EOF
}

@test "without a discount there is no discount line, and -q prints only the number" {
	visit Ann 2027-03-03 >/dev/null
	# 85.00: State 5.3125 -> 5.31, City 1.9125 -> 1.91
	APPT_NOW=2027-03-03T17:00 run -0 --separate-stderr appt invoice 1 -q
	assert_output "INV-2027-0001"
	run -0 db "SELECT group_concat(kind, ' ') FROM (SELECT kind FROM invoice_lines ORDER BY line) l"
	assert_output "service tax tax"
	run -0 db "SELECT subtotal, discount, tax, total FROM invoices"
	assert_output "8500|0|722|9222"
}

@test "a long item text goes on over the next lines of the text invoice, never cut" {
	visit Ann 2027-03-03 >/dev/null
	export APPT_NOW=2027-03-03T17:00
	appt invoice 1 --item "A very long product name that goes on and on past the column edge, really=5" \
		--item "Überlängeprodukt_ohne_Leerzeichen_das_sehr_sehr_lang_ist=1" >/dev/null
	run -0 appt invoice show INV-2027-0001
	assert_line "  A very long product name that goes on and on          5.00"
	assert_line "    past the column edge, really"
	assert_line "  Überlängeprodukt_ohne_Leerzeichen_das_sehr_s          1.00"
	assert_line "    ehr_lang_ist"
}

@test "--format html escapes the client's name and the items' text" {
	appt client add -q --name '<script>alert(1)</script>' --phone "+15550005" >/dev/null
	visit 4 2027-03-03 >/dev/null
	APPT_NOW=2027-03-03T17:00 appt invoice 1 --item 'Gel & <b>cream</b>=5' >/dev/null
	run -0 appt invoice show INV-2027-0001 --format html
	assert_line --index 0 "<!DOCTYPE html>"
	assert_line "<title>Invoice INV-2027-0001</title>"
	assert_output --partial "<p>Billed to: &lt;script&gt;alert(1)&lt;/script&gt;</p>"
	assert_output --partial "<tr><td>Gel &amp; &lt;b&gt;cream&lt;/b&gt;</td><td class=\"amount\">5.00</td></tr>"
	# 90.00: State 5.625 -> 5.63, City 2.025 -> 2.03
	assert_output --partial "<tr class=\"total\"><td>Total USD</td><td class=\"amount\">97.66</td></tr>"
	assert_output --partial "<footer>"
	assert_output --partial "Tax id 84-1234567"
	refute_output --partial "<script>"
	refute_output --partial "<b>cream"
	assert_line --index -1 "</html>"
	# text stays as typed
	run -0 appt invoice show INV-2027-0001 --format text
	assert_line "Billed to: <script>alert(1)</script>"
	run -65 --separate-stderr appt invoice show INV-2027-0001 --format pdf
	assert_equal "$stderr" "appt invoice: invalid value 'pdf' for --format (expected text or html)"
}

@test "a service without a price and no item is refused: nothing to invoice (1)" {
	visit Ann 2027-03-03 consult >/dev/null
	APPT_NOW=2027-03-03T17:00 run -1 --separate-stderr appt invoice 1
	assert_output ""
	assert_regex "$stderr" "^appt invoice: nothing to invoice: the service has no price"
	assert_equal "$(db 'SELECT count(*) FROM invoices')" 0
	# an item is enough: 50.00 + 3.13 (3.125) + 1.13 (1.125)
	APPT_NOW=2027-03-03T17:00 run -0 appt invoice 1 --item "Visit=50"
	assert_line --index 0 "INV-2027-0001: 54.26 USD to Ann Archer for appointment #1"
}

@test "billing.currency and a rate with three decimals: 8.875% of 100.00 is 8.88" {
	sed -i -e 's/^  currency: USD/  currency: EUR/' -e '/^    - {name: City/d' \
		-e 's/{name: State, rate: 6.25%}/{name: Sales, rate: 8.875%}/' "$APPT_CONFIG"
	visit Ann 2027-03-03 >/dev/null
	# 85.00 + 15.00 = 100.00; 8.875 -> 8.88
	APPT_NOW=2027-03-03T17:00 run -0 appt invoice 1 --item "Serum=15"
	assert_output - <<-'EOF'
	INV-2027-0001: 108.88 EUR to Ann Archer for appointment #1
	due: 108.88 EUR
	EOF
	run -0 appt invoice show INV-2027-0001
	assert_line "  Sales 8.875%                                          8.88"
	assert_line "  Total EUR                                           108.88"
	run -0 db "SELECT currency, tax, total FROM invoices"
	assert_output "EUR|888|10888"
	run -0 db "SELECT rate FROM invoice_lines WHERE kind = 'tax'"
	assert_output "88750"
	run -0 appt pay --client Ann --amount 8.88 --method cash
	assert_line --index 0 "payment #1: 8.88 EUR cash"
}

@test "without billing.tax an invoice has no tax line; a bad rate, currency or prefix is a configuration error (78)" {
	sed -i '/^billing:/,$d' "$APPT_CONFIG"
	visit Ann 2027-03-03 >/dev/null
	APPT_NOW=2027-03-03T17:00 run -0 appt invoice 1 -q
	assert_output "INV-2027-0001"
	run -0 db "SELECT subtotal, tax, total, currency FROM invoices"
	assert_output "8500|0|8500|USD"
	run -0 db "SELECT count(*) FROM invoice_lines WHERE kind = 'tax'"
	assert_output "0"
	cp "$APPT_CONFIG" "$BATS_TEST_TMPDIR/good.yaml"
	for bad in "tax: [{name: VAT, rate: '20'}]" "tax: [{name: VAT, rate: 101%}]" "tax: [{name: VAT, rate: 1.23456%}]" \
		"tax: [{name: VAT, rate: 5%}, {name: VAT, rate: 6%}]" "tax: [{rate: 5%}]" \
		"currency: usd" "currency: DOLLARS" "invoice_prefix: 'IN V'"; do
		cp "$BATS_TEST_TMPDIR/good.yaml" "$APPT_CONFIG"
		printf 'billing:\n  %s\n' "$bad" >>"$APPT_CONFIG"
		run -78 --separate-stderr appt config check
		assert_regex "$stderr" "config.yaml:[0-9]+:[0-9]+: "
		run -78 appt invoice list
	done
}

# ---- numbers ------------------------------------------------------------

@test "numbers run without gaps: a refused invoice takes none; a credit note takes the next" {
	visit Ann 2027-03-02 >/dev/null
	visit Bob 2027-03-03 >/dev/null
	appt book --client Cy --service peel --provider kim --at "2027-03-04 10:00" -q --no-send >/dev/null
	visit Cy 2027-03-08 >/dev/null
	export APPT_NOW=2027-03-08T17:00
	run -0 appt invoice 1 -q
	assert_output "INV-2027-0001"
	run -1 appt invoice 3 -q
	run -65 appt invoice 2 --discount 200
	run -1 appt invoice 1
	run -0 appt invoice 2 -q
	assert_output "INV-2027-0002"
	run -0 appt invoice void INV-2027-0001 --reason "wrong client" -q
	assert_output "INV-2027-0003"
	run -0 appt invoice 4 -q
	assert_output "INV-2027-0004"
	run -0 db "SELECT group_concat(number || ':' || kind || ':' || seq, ' ') FROM (SELECT number, kind, seq FROM invoices ORDER BY id) i"
	assert_output "INV-2027-0001:invoice:1 INV-2027-0002:invoice:2 INV-2027-0003:credit:3 INV-2027-0004:invoice:4"
}

@test "a new year, in the business's zone, restarts at 0001; the prefix is billing.invoice_prefix" {
	visit Ann 2027-03-02 >/dev/null
	visit Bob 2027-03-03 >/dev/null
	visit Cy 2027-03-04 >/dev/null
	# 23:30 in Denver on 31 December is already 2028 in UTC: still 2027's
	APPT_NOW=2027-12-31T23:30 run -0 appt invoice 1 -q
	assert_output "INV-2027-0001"
	APPT_NOW=2028-01-01T00:10 run -0 appt invoice 2 -q
	assert_output "INV-2028-0001"
	sed -i '/^billing:/a\  invoice_prefix: ACME' "$APPT_CONFIG"
	APPT_NOW=2028-01-02T09:00 run -0 appt invoice void INV-2027-0001 --reason "year end" -q
	assert_output "ACME-2028-0002"
	APPT_NOW=2028-01-02T09:00 run -0 appt invoice 3 -q
	assert_output "ACME-2028-0003"
	run -0 db "SELECT number, year, seq FROM invoices ORDER BY id"
	assert_output - <<-'EOF'
	INV-2027-0001|2027|1
	INV-2028-0001|2028|1
	ACME-2028-0002|2028|2
	ACME-2028-0003|2028|3
	EOF
	# an invoice is found by its number in any case, never by a bare number:
	# that is an appointment's, and voiding "3" must not hit another client
	run -0 appt invoice show inv-2028-0001
	assert_line "Invoice INV-2028-0001"
	for args in "show 4" "send 4" "void 4 --reason x"; do
		run -65 --separate-stderr appt invoice $args
		assert_regex "$stderr" "'4' is not an invoice number: they read like INV-2027-0001"
	done
	run -65 --separate-stderr appt pay --invoice 4 --amount 1 --method cash
	assert_regex "$stderr" "'4' is not an invoice number"
}

@test "8 desks invoicing 8 done visits at once: INV-2027-0001 to 0008, no gap and no twin" {
	local i t
	for t in 09:00 09:30 10:00 10:30 11:00 11:30 13:00 13:30; do
		appt book --client Ann --service consult --provider kim --at "2027-03-03 $t" -q --no-send >/dev/null
	done
	for i in $(seq 1 8); do
		APPT_NOW=2027-03-03T16:00 appt done "$i" >/dev/null
	done
	export APPT_NOW=2027-03-03T17:00
	for i in $(seq 1 8); do
		( rc=0
		  appt invoice "$i" --item "Visit=50" -q >"$BATS_TEST_TMPDIR/out.$i" 2>"$BATS_TEST_TMPDIR/err.$i" || rc=$?
		  echo "$rc" >"$BATS_TEST_TMPDIR/rc.$i" ) &
	done
	wait
	run bash -c "cat '$BATS_TEST_TMPDIR'/rc.* | sort | uniq -c | sed 's/^ *//'"
	assert_output "8 0"
	run bash -c "cat '$BATS_TEST_TMPDIR'/err.*"
	assert_output ""
	run bash -c "cat '$BATS_TEST_TMPDIR'/out.* | sort | tr '\n' ' '"
	assert_output "INV-2027-0001 INV-2027-0002 INV-2027-0003 INV-2027-0004 INV-2027-0005 INV-2027-0006 INV-2027-0007 INV-2027-0008 "
	run -0 db "SELECT count(*), count(DISTINCT seq), min(seq), max(seq), count(DISTINCT appointment_id) FROM invoices"
	assert_output "8|8|1|8|8"
	run -0 db "SELECT count(*) FROM events WHERE entity = 'invoice' AND action = 'issue'"
	assert_output "8"
}

@test "8 desks invoicing the same visit at once: one invoice, the others refused naming it" {
	local i
	visit Ann 2027-03-03 >/dev/null
	export APPT_NOW=2027-03-03T17:00
	for i in $(seq 1 8); do
		( rc=0
		  appt invoice 1 -q >"$BATS_TEST_TMPDIR/out.$i" 2>"$BATS_TEST_TMPDIR/err.$i" || rc=$?
		  echo "$rc" >"$BATS_TEST_TMPDIR/rc.$i" ) &
	done
	wait
	run bash -c "cat '$BATS_TEST_TMPDIR'/rc.* | sort | uniq -c | sed 's/^ *//'"
	assert_output "1 0
7 1"
	run bash -c "cat '$BATS_TEST_TMPDIR'/err.* | sort -u"
	assert_output "appt invoice: appointment #1 already has invoice INV-2027-0001; void it first (appt invoice void INV-2027-0001 --reason T)"
	run -0 db "SELECT count(*) FROM invoices"
	assert_output "1"
}

# ---- refusals -----------------------------------------------------------

@test "a visit not done is refused (1) and told to run appt done; nothing is written" {
	book_consult Ann >/dev/null
	before=$(dump_db)
	APPT_NOW=2027-03-03T17:00 run -1 --separate-stderr appt invoice 1 --item "Visit=50"
	assert_output ""
	assert_equal "$stderr" "appt invoice: appointment #1 is booked: only a done appointment is invoiced (appt done 1 first)"
	assert_equal "$(dump_db)" "$before"
	# a no-show is not a visit either
	APPT_NOW=2027-03-03T10:20 appt noshow 1 >/dev/null
	APPT_NOW=2027-03-03T17:00 run -1 --separate-stderr appt invoice 1 --item "Visit=50"
	assert_regex "$stderr" "is no-show: .*appt done 1 first"
	assert_equal "$(db 'SELECT count(*) FROM invoices')" 0
}

@test "a second invoice for a visit is refused (1) naming the first; void it and one may follow" {
	visit Ann 2027-03-03 >/dev/null
	export APPT_NOW=2027-03-03T17:00
	appt invoice 1 >/dev/null
	before=$(dump_db)
	run -1 --separate-stderr appt invoice 1 --item "More=5"
	assert_output ""
	assert_equal "$stderr" "appt invoice: appointment #1 already has invoice INV-2027-0001; void it first (appt invoice void INV-2027-0001 --reason T)"
	assert_equal "$(dump_db)" "$before"
	appt invoice void INV-2027-0001 --reason "forgot the varnish" >/dev/null
	run -0 appt invoice 1 --item "Fluoride varnish=12.50" -q
	assert_output "INV-2027-0003"
}

@test "no such appointment is not found (2); id 0 is bad data (65); a word is no subcommand (64)" {
	run -2 --separate-stderr appt invoice 99
	assert_equal "$stderr" "appt invoice: no appointment #99"
	run -65 appt invoice 0
	run -64 --separate-stderr appt invoice abc
	assert_equal "$stderr" "appt invoice: unknown subcommand 'abc' (see 'appt invoice --help')"
	assert_equal "$(db 'SELECT count(*) FROM invoices')" 0
}

@test "a bad --item or --discount is bad data (65) and writes nothing" {
	visit Ann 2027-03-03 >/dev/null
	export APPT_NOW=2027-03-03T17:00
	before=$(dump_db)
	for item in "Varnish" "=12.50" "Varnish=" "Varnish=0" "Varnish=-5" "Varnish=12.505" "Varnish=1,50" "Varnish=abc"; do
		run -65 --separate-stderr appt invoice 1 --item "$item"
		assert_regex "$stderr" "^appt invoice: invalid (--item|amount)"
	done
	run -65 --separate-stderr appt invoice 1 --item $'Two\nlines=5'
	assert_regex "$stderr" "control character"
	run -65 --separate-stderr appt invoice 1 --item "Gold=1000000000" --item "Platinum=1000000000"
	assert_regex "$stderr" "^appt invoice: the invoice comes to more than 1000000000.00"
	for discount in abc 5%% 101% -5 1.234 "10 %"; do
		run -65 --separate-stderr appt invoice 1 --discount "$discount"
		assert_regex "$stderr" "^appt invoice: invalid --discount"
	done
	assert_equal "$(dump_db)" "$before"
}

@test "a discount above the subtotal is bad data (65); the whole subtotal off is a zero invoice" {
	visit Ann 2027-03-03 >/dev/null
	export APPT_NOW=2027-03-03T17:00
	run -65 --separate-stderr appt invoice 1 --item "Kit=5" --discount 90.01
	assert_equal "$stderr" "appt invoice: discount 90.01 is more than the subtotal 90.00"
	assert_equal "$(db 'SELECT count(*) FROM invoices')" 0
	run -0 appt invoice 1 --discount 100%
	assert_line --index 0 "INV-2027-0001: 0.00 USD to Ann Archer for appointment #1"
	run -0 db "SELECT subtotal, discount, tax, total FROM invoices"
	assert_output "8500|8500|0|0"
	run -0 appt invoice list --format csv
	assert_line --index 1 --partial ",0.00,0.00,paid,"
}

@test "an unknown invoice number is not found (2) for show, void, send and pay" {
	with_invoice_notice
	for args in "show INV-2027-0001" "void INV-2027-0001 --reason x" "send INV-2027-0001" "show inv-2027-0007"; do
		run -2 --separate-stderr appt invoice $args
		assert_regex "$stderr" "^appt invoice: no invoice '(INV-2027-0001|inv-2027-0007)'$"
	done
	run -2 --separate-stderr appt pay --invoice INV-2027-0001 --amount 5 --method cash
	assert_equal "$stderr" "appt pay: no invoice 'INV-2027-0001'"
}

@test "void needs --reason (64); a void invoice or a credit note cannot be voided (1)" {
	visit Ann 2027-03-03 >/dev/null
	export APPT_NOW=2027-03-03T17:00
	appt invoice 1 >/dev/null
	before=$(dump_db)
	run -64 --separate-stderr appt invoice void INV-2027-0001
	assert_regex "$stderr" "^appt invoice: --reason is required"
	run -64 appt invoice void INV-2027-0001 --reason ""
	run -65 --separate-stderr appt invoice void INV-2027-0001 --reason $'two\nlines'
	assert_equal "$stderr" "appt invoice: reason contains a control character (U+000A)"
	assert_equal "$(dump_db)" "$before"
	run -0 appt invoice void INV-2027-0001 --reason "wrong price"
	before=$(dump_db)
	run -1 --separate-stderr appt invoice void INV-2027-0001 --reason "again"
	assert_equal "$stderr" "appt invoice: INV-2027-0001 is already voided by credit note INV-2027-0002"
	run -1 --separate-stderr appt invoice void INV-2027-0002 --reason "undo the void"
	assert_equal "$stderr" "appt invoice: INV-2027-0002 is a credit note: it cannot be voided"
	assert_equal "$(dump_db)" "$before"
}

@test "the database itself refuses to change or delete invoices, their lines and payments" {
	visit Ann 2027-03-03 >/dev/null
	export APPT_NOW=2027-03-03T17:00
	appt invoice 1 >/dev/null
	appt pay --invoice INV-2027-0001 --amount 20 --method cash >/dev/null
	before=$(dump_db)
	run db "UPDATE invoices SET total = 1"
	assert_failure
	assert_output --partial "an issued invoice is never changed"
	run db "DELETE FROM invoices"
	assert_failure
	run db "UPDATE invoice_lines SET amount = 1"
	assert_failure
	assert_output --partial "an issued invoice is never changed"
	run db "DELETE FROM invoice_lines"
	assert_failure
	run db "UPDATE payments SET amount = 1"
	assert_failure
	assert_output --partial "a payment is never changed"
	run db "DELETE FROM payments"
	assert_failure
	if [ "$APPT_TEST_STORE" = pg ]; then
		run db "TRUNCATE invoices, invoice_lines, payments, allocations"
		assert_failure
	fi
	assert_equal "$(dump_db)" "$before"
	run -0 db "SELECT total FROM invoices"
	assert_output "9222"
	run -0 db "SELECT amount FROM payments"
	assert_output "2000"
}

# ---- payments -----------------------------------------------------------

@test "partial payments: each paid on the invoice, what is left shown, then paid" {
	visit Ann 2027-03-03 >/dev/null
	APPT_NOW=2027-03-03T17:00 appt invoice 1 >/dev/null
	export APPT_NOW=2027-03-04T09:00
	run -0 --separate-stderr appt pay --invoice INV-2027-0001 --amount 50 --method card --ref "slip 0042"
	assert_output - <<-'EOF'
	payment #1: 50.00 USD card
	  INV-2027-0001: 50.00 (42.22 left)
	balance: 42.22
	EOF
	assert_equal "$stderr" ""
	run -0 appt invoice list --status open --format csv
	assert_line --index 1 --partial ",92.22,50.00,open,"
	run -0 appt pay --invoice inv-2027-0001 --amount 42.22 --method cash -q
	assert_output "2"
	assert_equal "$(balance_of Ann)" "0.00"
	run -0 db "SELECT id, client_id, amount, method, coalesce(ref, '-'), invoice_id, at, actor FROM payments ORDER BY id"
	assert_output "1|1|5000|card|slip 0042|1|$(epoch '2027-03-04 09:00')|desk
2|1|4222|cash|-|1|$(epoch '2027-03-04 09:00')|desk"
	run -0 db "SELECT payment_id, coalesce(invoice_id, 0), coalesce(charge_id, 0), amount FROM allocations ORDER BY id"
	assert_output "1|1|0|5000
2|1|0|4222"
	run -0 appt invoice list --status paid --format csv
	assert_line --index 1 --partial ",92.22,92.22,paid,"
	run -0 appt invoice show INV-2027-0001
	assert_line "  Paid                                                 92.22"
	assert_line "  Due                                                   0.00"
}

@test "a payment on a client pays their oldest items first: two invoices and a fee between them" {
	visit Ann 2027-03-02 >/dev/null
	APPT_NOW=2027-03-02T17:00 appt invoice 1 >/dev/null
	noshow Ann 2027-03-03 >/dev/null
	visit Ann 2027-03-04 >/dev/null
	APPT_NOW=2027-03-04T17:00 appt invoice 3 >/dev/null
	export APPT_NOW=2027-03-08T09:00
	# owed: 92.22 + 40.00 + 92.22
	assert_equal "$(balance_of Ann)" "224.44"
	run -0 --separate-stderr appt pay --client Ann --amount 150 --method transfer --ref "TR-981"
	assert_output - <<-'EOF'
	payment #1: 150.00 USD transfer
	  INV-2027-0001: 92.22 (paid)
	  no-show fee #1: 40.00 (paid)
	  INV-2027-0002: 17.78 (74.44 left)
	balance: 74.44
	EOF
	run -0 db "SELECT coalesce(invoice_id, 0), coalesce(charge_id, 0), amount FROM allocations ORDER BY id"
	assert_output - <<-'EOF'
	1|0|9222
	0|1|4000
	2|0|1778
	EOF
	run -0 db "SELECT coalesce(invoice_id, 0) FROM payments"
	assert_output "0"
	run -0 appt client show Ann
	assert_line --regexp '^balance: +74\.44$'
	refute_line --regexp '^credit:'
	assert_line "Open items (oldest first):"
	assert_line --regexp '^INV-2027-0002 +2027-03-04 17:00 +3 +92\.22 +74\.44$'
	refute_line --regexp "^INV-2027-0001 "
	refute_line --regexp "^no-show fee #1 "
	assert_line "Last payments (newest first):"
	# what the payment pays, item by item
	assert_line --regexp '^1 +2027-03-08 09:00 +150\.00 +transfer +TR-981 +INV-2027-0001, no-show fee #1, INV-2027-0002$'
	# the rest pays the rest
	run -0 appt pay --client Ann --amount 74.44 --method cash
	assert_line "  INV-2027-0002: 74.44 (paid)"
	assert_line "balance: 0.00"
	run -0 appt client show Ann
	assert_line --regexp '^open items: +none$'
}

@test "overpayment is refused (1) and writes nothing: on an invoice and on a client" {
	visit Ann 2027-03-03 >/dev/null
	APPT_NOW=2027-03-03T17:00 appt invoice 1 >/dev/null
	export APPT_NOW=2027-03-04T09:00
	before=$(dump_db)
	run -1 --separate-stderr appt pay --invoice INV-2027-0001 --amount 100 --method cash
	assert_output ""
	assert_equal "$stderr" "appt pay: 100.00 is more than the 92.22 due on INV-2027-0001; --credit keeps the 7.78 over as the client's credit"
	run -1 --separate-stderr appt pay --client Ann --amount 92.23 --method cash
	assert_equal "$stderr" "appt pay: 92.23 is more than the 92.22 the client owes; --credit keeps the 0.01 over as the client's credit"
	# Bob owes nothing
	run -1 --separate-stderr appt pay --client Bob --amount 10 --method cash
	assert_equal "$stderr" "appt pay: 10.00 is more than the 0.00 the client owes; --credit keeps the 10.00 over as the client's credit"
	assert_equal "$(dump_db)" "$before"
	# a paid invoice takes nothing more
	appt pay --invoice INV-2027-0001 --amount 92.22 --method cash >/dev/null
	run -1 --separate-stderr appt pay --invoice INV-2027-0001 --amount 0.01 --method cash
	assert_regex "$stderr" "0.01 is more than the 0.00 due on INV-2027-0001"
	assert_equal "$(db 'SELECT count(*) FROM payments')" 1
}

@test "4 desks taking 50.00 each on a 92.22 invoice at once: one is recorded, three refused" {
	local i
	visit Ann 2027-03-03 >/dev/null
	APPT_NOW=2027-03-03T17:00 appt invoice 1 >/dev/null
	export APPT_NOW=2027-03-03T17:10
	for i in 1 2 3 4; do
		( rc=0
		  appt pay --invoice INV-2027-0001 --amount 50 --method cash >"$BATS_TEST_TMPDIR/out.$i" 2>"$BATS_TEST_TMPDIR/err.$i" || rc=$?
		  echo "$rc" >"$BATS_TEST_TMPDIR/rc.$i" ) &
	done
	wait
	run bash -c "cat '$BATS_TEST_TMPDIR'/rc.* | sort | uniq -c | sed 's/^ *//'"
	assert_output "1 0
3 1"
	run bash -c "cat '$BATS_TEST_TMPDIR'/err.* | sort -u"
	assert_output "appt pay: 50.00 is more than the 42.22 due on INV-2027-0001; --credit keeps the 7.78 over as the client's credit"
	run -0 db "SELECT count(*), sum(amount) FROM payments"
	assert_output "1|5000"
	assert_equal "$(balance_of Ann)" "42.22"
}

@test "--credit keeps the rest: it pays the next invoice when issued and a later fee at once" {
	export APPT_NOW=2027-03-01T09:00
	run -0 appt pay --client Bob --amount 100 --method cash --credit
	assert_output - <<-'EOF'
	payment #1: 100.00 USD cash
	balance: -100.00
	credit: 100.00
	EOF
	run -0 appt client show Bob
	assert_line --regexp '^balance: +-100\.00$'
	assert_line --regexp '^credit: +100\.00$'
	visit Bob 2027-03-03 >/dev/null
	APPT_NOW=2027-03-03T17:00 run -0 appt invoice 1
	assert_output - <<-'EOF'
	INV-2027-0001: 92.22 USD to Bob Baker for appointment #1
	paid from credit: 92.22 USD
	due: 0.00 USD
	EOF
	assert_equal "$(credit_of Bob)" "7.78"
	run -0 appt invoice list --format csv
	assert_line --index 1 --partial ",92.22,92.22,paid,"
	# the fee is paid from the 7.78 left the moment it is charged
	noshow Bob 2027-03-04 >/dev/null
	run -0 db "SELECT payment_id, coalesce(invoice_id, 0), coalesce(charge_id, 0), amount FROM allocations ORDER BY id"
	assert_output "1|1|0|9222
1|0|1|778"
	run -0 appt client show Bob
	assert_line --regexp '^balance: +32\.22$'
	refute_line --regexp '^credit:'
	assert_line --regexp '^no-show fee #1 +2027-03-04 10:20 +2 +40\.00 +32\.22$'
	# --credit on an invoice: its due paid, the rest pays the fee, 7.78 kept
	visit Bob 2027-03-08 >/dev/null
	APPT_NOW=2027-03-08T17:00 appt invoice 3 >/dev/null
	APPT_NOW=2027-03-08T17:30 run -0 appt pay --invoice INV-2027-0002 --amount 132.22 --method card --credit
	assert_output - <<-'EOF'
	payment #2: 132.22 USD card
	  INV-2027-0002: 92.22 (paid)
	  no-show fee #1: 32.22 (paid)
	balance: -7.78
	credit: 7.78
	EOF
}

@test "pay on a void invoice or a credit note is refused (1)" {
	visit Ann 2027-03-03 >/dev/null
	export APPT_NOW=2027-03-03T17:00
	appt invoice 1 >/dev/null
	appt invoice void INV-2027-0001 --reason "wrong client" >/dev/null
	before=$(dump_db)
	run -1 --separate-stderr appt pay --invoice INV-2027-0001 --amount 10 --method cash
	assert_equal "$stderr" "appt pay: INV-2027-0001 is void (credit note INV-2027-0002): nothing to pay"
	run -1 --separate-stderr appt pay --invoice INV-2027-0001 --amount 10 --method cash --credit
	run -1 --separate-stderr appt pay --invoice INV-2027-0002 --amount 10 --method cash
	assert_equal "$stderr" "appt pay: INV-2027-0002 is a credit note: nothing to pay"
	assert_equal "$(dump_db)" "$before"
}

@test "pay: bad method or amount is bad data (65); --invoice with --client, or neither, is usage (64)" {
	visit Ann 2027-03-03 >/dev/null
	export APPT_NOW=2027-03-03T17:00
	appt invoice 1 >/dev/null
	before=$(dump_db)
	run -65 --separate-stderr appt pay --client Ann --amount 10 --method bitcoin
	assert_equal "$stderr" "appt pay: invalid method 'bitcoin' (expected cash, card, transfer or other)"
	run -65 appt pay --invoice INV-2027-0001 --amount 10 --method CASH
	for amount in 0 0.00 -5 abc 1.234 "1,5" 10. .5 1e3 "" 10000000000.01; do
		run -65 --separate-stderr appt pay --client Ann --amount "$amount" --method cash
		assert_regex "$stderr" "^appt pay: invalid --amount"
	done
	run -65 --separate-stderr appt pay --client Ann --amount 10 --method cash --ref $'slip\n1'
	assert_regex "$stderr" "control character"
	run -64 --separate-stderr appt pay --invoice INV-2027-0001 --client Ann --amount 10 --method cash
	assert_regex "$stderr" "^appt pay: give one of --invoice and --client"
	run -64 --separate-stderr appt pay --amount 10 --method cash
	assert_regex "$stderr" "^appt pay: give one of --invoice and --client"
	run -64 appt pay --client Ann --method cash
	run -64 appt pay --client Ann --amount 10
	run -2 --separate-stderr appt pay --client Nobody --amount 10 --method cash
	assert_equal "$stderr" "appt pay: no client matches 'Nobody'"
	# the command line is read before any lookup: a bad method is 65 whoever pays
	run -65 --separate-stderr appt pay --client Nobody --amount 10 --method bitcoin
	assert_regex "$stderr" "invalid method 'bitcoin'"
	assert_equal "$(dump_db)" "$before"
}

# ---- fees ---------------------------------------------------------------

@test "fee waive: a manager's only when roles.managers is set; logged with the reason" {
	noshow Ann 2027-03-03 >/dev/null
	export APPT_NOW=2027-03-03T12:00
	before=$(dump_db)
	run -1 --separate-stderr appt fee waive 1 --reason "first time"
	assert_equal "$stderr" "appt fee: only managers (roles.managers) may waive a fee, and 'desk' is not one"
	assert_equal "$(dump_db)" "$before"
	APPT_USER=boss run -0 --separate-stderr appt fee waive 1 --reason "first time"
	assert_output - <<-'EOF'
	waived 40.00 of charge #1
	balance: 0.00
	EOF
	assert_equal "$stderr" ""
	run -0 db "SELECT waived_at, waived_by, waive_reason, waived_amount, amount FROM charges"
	assert_output "$(epoch '2027-03-03 12:00')|boss|first time|4000|4000"
	run -0 db "SELECT actor, entity_id, reason, json_extract(after, '\$.waived_amount') FROM events WHERE action = 'waive'"
	assert_output "boss|1|first time|4000"
	assert_equal "$(balance_of Ann)" "0.00"
	# without roles.managers anyone may
	sed -i -e '/^roles:/d' -e '/^  managers: \[boss\]/d' "$APPT_CONFIG"
	noshow Ann 2027-03-04 >/dev/null
	run -0 appt fee waive 2 --reason "storm" -q
	assert_output ""
	assert_equal "$(db 'SELECT waived_by FROM charges WHERE id = 2')" "desk"
}

@test "waiving a partly paid fee forgives only what is left" {
	noshow Ann 2027-03-03 >/dev/null
	export APPT_NOW=2027-03-03T12:00
	appt pay --client Ann --amount 15 --method cash >/dev/null
	APPT_USER=boss run -0 appt fee waive 1 --reason "paid what she could"
	assert_output - <<-'EOF'
	waived 25.00 of charge #1
	balance: 0.00
	EOF
	run -0 db "SELECT amount, waived_amount FROM charges"
	assert_output "4000|2500"
}

@test "waiving a paid, voided or waived fee is refused (1); no such charge (2); no reason (64)" {
	noshow Ann 2027-03-03 >/dev/null
	noshow Bob 2027-03-04 >/dev/null
	noshow Cy 2027-03-08 >/dev/null
	export APPT_NOW=2027-03-08T12:00 APPT_USER=boss
	appt pay --client Ann --amount 40 --method cash >/dev/null
	appt undo 2 --reason "he came after all" >/dev/null 2>&1
	appt fee waive 3 --reason "storm" >/dev/null
	before=$(dump_db)
	run -1 --separate-stderr appt fee waive 1 --reason x
	assert_equal "$stderr" "appt fee: charge #1 is paid: nothing left to waive"
	run -1 --separate-stderr appt fee waive 2 --reason x
	assert_equal "$stderr" "appt fee: charge #2 was voided (appt undo): nothing to waive"
	run -1 --separate-stderr appt fee waive 3 --reason x
	assert_equal "$stderr" "appt fee: charge #3 is already waived"
	run -2 --separate-stderr appt fee waive 99 --reason x
	assert_equal "$stderr" "appt fee: no charge #99 (appt report fees lists them)"
	run -64 --separate-stderr appt fee waive 3
	assert_regex "$stderr" "^appt fee: --reason is required"
	run -64 appt fee waive 3 --reason ""
	run -65 appt fee waive 3 --reason $'two\nlines'
	run -65 appt fee waive abc --reason x
	run -64 appt fee waive --reason x
	assert_equal "$(dump_db)" "$before"
}

@test "a late-cancellation fee is an open item like a no-show fee: paid in part, then waived" {
	book_consult Ann "2027-03-02 10:00" >/dev/null
	export APPT_NOW=2027-03-01T12:00
	appt cancel 1 --reason "flu" >/dev/null
	run -0 appt client show Ann
	assert_line --regexp '^balance: +25\.00$'
	assert_line --regexp '^late-cancel fee #1 +2027-03-01 12:00 +1 +25\.00 +25\.00$'
	run -0 appt pay --client Ann --amount 10 --method cash
	assert_line "  late-cancel fee #1: 10.00 (15.00 left)"
	APPT_USER=boss run -0 appt fee waive 1 --reason "doctor's note"
	assert_line --index 0 "waived 15.00 of charge #1"
	assert_line "balance: 0.00"
	run -0 db "SELECT kind, amount, waived_amount FROM charges"
	assert_output "late-cancel|2500|1500"
}

@test "undo of a no-show takes its fee off the balance; what paid it is credit again" {
	noshow Ann 2027-03-03 >/dev/null
	export APPT_NOW=2027-03-03T12:00
	appt pay --client Ann --amount 40 --method card >/dev/null
	assert_equal "$(balance_of Ann)" "0.00"
	run -0 appt undo 1 --reason "she was in the waiting room"
	assert_line "voided fee 40.00 (no-show, charge #1)"
	run -0 appt client show Ann
	assert_line --regexp '^balance: +-40\.00$'
	assert_line --regexp '^credit: +40\.00$'
	run -0 db "SELECT count(*) FROM allocations"
	assert_output "0"
	# an unpaid fee undone simply leaves the balance
	noshow Bob 2027-03-04 >/dev/null
	assert_equal "$(balance_of Bob)" "40.00"
	APPT_NOW=2027-03-04T12:00 appt undo 2 --reason "clock was wrong" >/dev/null 2>&1
	assert_equal "$(balance_of Bob)" "0.00"
}

@test "undo of a paid no-show: the money released pays the client's open invoice" {
	noshow Ann 2027-03-02 >/dev/null
	visit Ann 2027-03-03 >/dev/null
	APPT_NOW=2027-03-03T17:00 appt invoice 2 >/dev/null
	export APPT_NOW=2027-03-03T18:00
	# the fee is the oldest item: 40.00 on the client pays it
	run -0 appt pay --client Ann --amount 40 --method cash
	assert_line "  no-show fee #1: 40.00 (paid)"
	assert_line "balance: 92.22"
	run -0 appt undo 1 --reason "she came after all"
	assert_line "voided fee 40.00 (no-show, charge #1)"
	# the 40.00 is not left idle as credit: it pays the invoice
	run -0 appt client show Ann
	assert_line --regexp '^balance: +52\.22$'
	refute_line --regexp '^credit:'
	assert_line --regexp '^INV-2027-0001 +2027-03-03 17:00 +2 +92\.22 +52\.22$'
	run -0 db "SELECT payment_id, coalesce(invoice_id, 0), coalesce(charge_id, 0), amount FROM allocations"
	assert_output "1|1|0|4000"
	run -0 appt invoice list --format csv
	assert_line --index 1 --partial ",92.22,40.00,open,"
}

@test "paying or waiving the fee that blocked a client says how to lift the block" {
	noshow Cy 2027-03-03 >/dev/null
	noshow Cy 2027-03-04 >/dev/null
	noshow Cy 2027-03-08 >/dev/null
	noshow Ann 2027-03-03 11:00 >/dev/null
	noshow Ann 2027-03-04 11:00 >/dev/null
	noshow Ann 2027-03-08 11:00 >/dev/null
	export APPT_NOW=2027-03-08T12:00
	assert_equal "$(db 'SELECT blocked FROM clients WHERE id IN (1, 3) ORDER BY id')" "1
1"
	assert_equal "$(balance_of Cy)" "120.00"
	# a fee still open: no word of unblocking
	run -0 appt pay --client Cy --amount 80 --method cash
	refute_output --partial "unblock"
	# Cy's fees are charges 1 to 3, Ann's 4 to 6
	APPT_USER=boss run -0 appt fee waive 3 --reason "hardship"
	assert_output - <<-'EOF'
	waived 40.00 of charge #3
	balance: 0.00
	the client is blocked and owes no fee now: appt client unblock 3 lifts the block
	EOF
	APPT_USER=boss appt fee waive 4 --reason "hardship" >/dev/null
	APPT_USER=boss run -0 appt fee waive 5 --reason "hardship"
	refute_output --partial "unblock"
	run -0 appt pay --client Ann --amount 40 --method card
	assert_output - <<-'EOF'
	payment #2: 40.00 USD card
	  no-show fee #6: 40.00 (paid)
	balance: 0.00
	the client is blocked and owes no fee now: appt client unblock 1 lifts the block
	EOF
	# the hint is a hint: the block stands until the desk lifts it
	assert_equal "$(db 'SELECT blocked FROM clients WHERE id = 1')" "1"
}

# ---- void ---------------------------------------------------------------

@test "void issues a credit note that cancels the invoice line by line: the balance is 0.00" {
	visit Bob 2027-03-03 >/dev/null
	APPT_NOW=2027-03-03T17:00 appt invoice 1 --item "Fluoride varnish=12.50" --item "Aftercare kit & <gel>=46.95" --discount 10% >/dev/null
	assert_equal "$(balance_of Bob)" "141.06"
	export APPT_NOW=2027-03-04T09:00
	run -0 --separate-stderr appt invoice void INV-2027-0001 --reason "billed the wrong visit"
	assert_output - <<-'EOF'
	voided INV-2027-0001 with credit note INV-2027-0002 (-141.06 USD)
	balance: 0.00
	EOF
	run -0 appt client show Bob
	assert_line --regexp '^balance: +0\.00$'
	refute_line --regexp '^credit:'
	assert_line --regexp '^open items: +none$'
	run -0 db "SELECT number, kind, cancels, subtotal, discount, tax, total, reason FROM invoices WHERE id = 2"
	assert_output "INV-2027-0002|credit|1|-14445|-1445|-1106|-14106|billed the wrong visit"
	run -0 db "SELECT kind, text, amount FROM invoice_lines WHERE invoice_id = 2 ORDER BY line"
	assert_output - <<-'EOF'
	service|Acne Peel|-8500
	item|Fluoride varnish|-1250
	item|Aftercare kit & <gel>|-4695
	discount|Discount 10%|1445
	tax|State 6.25%|-813
	tax|City 2.25%|-293
	EOF
	run -0 appt invoice show INV-2027-0002
	assert_line "Credit note INV-2027-0002 (cancels INV-2027-0001)"
	assert_line "Reason: billed the wrong visit"
	assert_line "  Total USD                                          -141.06"
	refute_line --partial "Due"
	run -0 appt invoice show INV-2027-0001
	assert_line "VOID: cancelled by credit note INV-2027-0002"
	refute_line --partial "Due"
}

@test "void of a paid invoice: what was paid becomes the client's credit" {
	visit Ann 2027-03-03 >/dev/null
	APPT_NOW=2027-03-03T17:00 appt invoice 1 >/dev/null
	APPT_NOW=2027-03-03T17:05 appt pay --invoice INV-2027-0001 --amount 50 --method card >/dev/null
	export APPT_NOW=2027-03-04T09:00
	run -0 appt invoice void INV-2027-0001 --reason "charged by mistake"
	assert_output - <<-'EOF'
	voided INV-2027-0001 with credit note INV-2027-0002 (-92.22 USD)
	the 50.00 paid on it is Ann Archer's credit
	balance: -50.00
	EOF
	run -0 appt client show Ann
	assert_line --regexp '^balance: +-50\.00$'
	assert_line --regexp '^credit: +50\.00$'
	# the payment stays as recorded, on the invoice it was made on
	run -0 db "SELECT amount, invoice_id FROM payments"
	assert_output "5000|1"
	run -0 db "SELECT count(*) FROM allocations"
	assert_output "0"
	# and the credit pays the invoice issued again: 97.50, State 6.09375 ->
	# 6.09, City 2.19375 -> 2.19, 105.78 less the 50.00
	run -0 appt invoice 1 --item "Fluoride varnish=12.50"
	assert_line "paid from credit: 50.00 USD"
	assert_line "due: 55.78 USD"
}

@test "undo of an invoiced done is refused (1) until the invoice is voided" {
	visit Ann 2027-03-03 >/dev/null
	APPT_NOW=2027-03-03T17:00 appt invoice 1 >/dev/null
	export APPT_NOW=2027-03-03T17:10
	before=$(dump_db)
	run -1 --separate-stderr appt undo 1 --reason "not done yet"
	assert_output ""
	assert_equal "$stderr" "appt undo: appointment #1 is invoiced (INV-2027-0001): void the invoice first (appt invoice void INV-2027-0001 --reason T)"
	assert_equal "$(dump_db)" "$before"
	assert_equal "$(status_of 1)" "done"
	appt invoice void INV-2027-0001 --reason "not done yet" >/dev/null
	run -0 appt undo 1 --reason "not done yet"
	assert_line --index 0 --partial "undid the done of #1"
	refute [ "$(status_of 1)" = done ]
}

# ---- send ---------------------------------------------------------------

@test "invoice send: one e-mail with the invoice in its body; a second send is refused (1)" {
	with_invoice_notice
	visit Bob 2027-03-03 >/dev/null
	export APPT_NOW=2027-03-03T17:00
	# 97.50 + 6.09 + 2.19
	appt invoice 1 --item "Fluoride varnish=12.50" >/dev/null
	run -0 --separate-stderr appt invoice send INV-2027-0001
	assert_output --regexp '^INV-2027-0001: message #[0-9]+ to Bob Baker$'
	assert_equal "$stderr" ""
	run -0 db "SELECT kind, name, channel, status, invoice_id, appointment_id FROM messages WHERE invoice_id IS NOT NULL"
	assert_output "notice|invoice|email|sent|1|1"
	assert_equal "$(email_count)" 1
	run -0 cat "$EMAIL_LOG"
	assert_line "To: bob@example.com"
	assert_line "Subject: Invoice INV-2027-0001"
	assert_line "Hello Bob, invoice INV-2027-0001 comes to 105.78 USD."
	assert_line "Invoice INV-2027-0001"
	assert_line "Billed to: Bob Baker"
	assert_line "  Fluoride varnish                                     12.50"
	assert_line "  Total USD                                           105.78"
	assert_line "Tax id 84-1234567"
	before=$(dump_db)
	run -1 --separate-stderr appt invoice send INV-2027-0001
	assert_regex "$stderr" "^appt invoice: INV-2027-0001 was already sent \\(message #[0-9]+"
	assert_equal "$(dump_db)" "$before"
	assert_equal "$(email_count)" 1
}

@test "invoice send without notices.invoice is a configuration error (78); a void invoice is refused (1)" {
	visit Bob 2027-03-03 >/dev/null
	export APPT_NOW=2027-03-03T17:00
	appt invoice 1 >/dev/null
	before=$(dump_db)
	run -78 --separate-stderr appt invoice send INV-2027-0001
	assert_regex "$stderr" "^appt invoice: notices.invoice is not set"
	assert_equal "$(dump_db)" "$before"
	assert_equal "$(email_count)" 0
	with_invoice_notice
	appt invoice void INV-2027-0001 --reason "wrong visit" >/dev/null
	run -1 --separate-stderr appt invoice send INV-2027-0001
	assert_equal "$stderr" "appt invoice: INV-2027-0001 is void: send its credit note, INV-2027-0002"
	run -0 appt invoice send INV-2027-0002
	assert_equal "$(email_count)" 1
	run -0 cat "$EMAIL_LOG"
	assert_line "Credit note INV-2027-0002 (cancels INV-2027-0001)"
	assert_line "Hello Bob, invoice INV-2027-0002 comes to -92.22 USD."
}

@test "invoice send to a client without an e-mail address is refused (1): nothing queued, no text sent" {
	with_invoice_notice
	visit Cy 2027-03-03 >/dev/null
	export APPT_NOW=2027-03-03T17:00
	appt invoice 1 >/dev/null
	before=$(dump_db)
	run -1 --separate-stderr appt invoice send INV-2027-0001
	assert_output ""
	assert_regex "$stderr" "^appt invoice: Cy Cole has no e-mail address"
	assert_equal "$(dump_db)" "$before"
	assert_equal "$(sms_count)" 0
	assert_equal "$(email_count)" 0
}

@test "invoice send --no-send queues the e-mail for appt remind" {
	with_invoice_notice
	visit Bob 2027-03-03 >/dev/null
	export APPT_NOW=2027-03-03T17:00
	appt invoice 1 >/dev/null
	run -0 appt invoice send INV-2027-0001 --no-send
	assert_equal "$(email_count)" 0
	run -0 db "SELECT status FROM messages WHERE invoice_id = 1"
	assert_output "pending"
	run -0 appt remind
	assert_equal "$(email_count)" 1
	run -0 appt remind
	assert_equal "$(email_count)" 1
}

# ---- list ---------------------------------------------------------------

# Ann: INV-1 paid, INV-2 open (20.00 paid), INV-3 void (cancelled by the
# credit note INV-4); Bob: INV-5 open.  A peel is 92.22; 10% off it is
# 76.50 + 4.78 (4.78125) + 1.72 (1.72125) = 83.00.
four_states() {
	visit Ann 2027-03-02 >/dev/null
	visit Ann 2027-03-03 >/dev/null
	visit Ann 2027-03-04 >/dev/null
	visit Bob 2027-03-08 >/dev/null
	APPT_NOW=2027-03-08T17:00 appt invoice 1 >/dev/null
	APPT_NOW=2027-03-08T17:01 appt invoice 2 >/dev/null
	APPT_NOW=2027-03-08T17:02 appt invoice 3 --discount 10% >/dev/null
	APPT_NOW=2027-03-08T17:03 appt invoice void INV-2027-0003 --reason "duplicate" >/dev/null
	APPT_NOW=2027-03-08T17:04 appt invoice 4 >/dev/null
	APPT_NOW=2027-03-08T17:05 appt pay --invoice INV-2027-0001 --amount 92.22 --method cash >/dev/null
	APPT_NOW=2027-03-08T17:06 appt pay --invoice INV-2027-0002 --amount 20 --method card >/dev/null
}

@test "invoice list: every document, oldest first, as CSV (a credit note's total is a number)" {
	four_states
	run -0 csv appt invoice list --format csv
	assert_output - <<-'EOF'
	number,issued,client,appointment,total,paid,status,cancels
	INV-2027-0001,2027-03-08T17:00:00-07:00,Ann Archer,1,92.22,92.22,paid,
	INV-2027-0002,2027-03-08T17:01:00-07:00,Ann Archer,2,92.22,20.00,open,
	INV-2027-0003,2027-03-08T17:02:00-07:00,Ann Archer,3,83.00,0.00,void,
	INV-2027-0004,2027-03-08T17:03:00-07:00,Ann Archer,3,-83.00,0.00,credit,INV-2027-0003
	INV-2027-0005,2027-03-08T17:04:00-07:00,Bob Baker,4,92.22,0.00,open,
	EOF
}

@test "invoice list --status open|paid|void|credit and --client, as CSV and JSON" {
	four_states
	listed() {
		appt invoice list --format csv "$@" | tr -d '\r' | tail -n +2 | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//'
	}
	assert_equal "$(listed --status open)" "INV-2027-0002 INV-2027-0005"
	assert_equal "$(listed --status paid)" "INV-2027-0001"
	assert_equal "$(listed --status void)" "INV-2027-0003"
	assert_equal "$(listed --status credit)" "INV-2027-0004"
	assert_equal "$(listed --client Bob)" "INV-2027-0005"
	assert_equal "$(listed --client Ann --status open)" "INV-2027-0002"
	assert_equal "$(listed --client Cy)" ""
	run -0 appt invoice list --status credit --format json
	assert_equal "$(json 'len(d), d[0]["number"], d[0]["total"], d[0]["paid"], d[0]["status"], d[0]["cancels"], d[0]["appointment"]' <<<"$output")" \
		"1 INV-2027-0004 -83.00 0.00 credit INV-2027-0003 3"
	run -0 appt invoice list --client Ann --format json
	assert_equal "$(json '[r["status"] for r in d]' <<<"$output")" "['paid', 'open', 'void', 'credit']"
	assert_equal "$(json 'd[1]["issued"], d[1]["client"], d[1]["total"], d[1]["paid"], d[1]["cancels"]' <<<"$output")" \
		"2027-03-08T17:01:00-07:00 Ann Archer 92.22 20.00 None"
	run -0 appt invoice list --status open --format table
	assert_line --index 0 --regexp '^number +issued +client +appointment +total +paid +status +cancels$'
	assert_equal "${#lines[@]}" 3
	run -65 --separate-stderr appt invoice list --status overdue
	assert_equal "$stderr" "appt invoice: invalid value 'overdue' for --status (expected open, paid, void or credit)"
	run -65 appt invoice list --format xml
	run -2 appt invoice list --client Nobody
}

@test "invoice list --from and --to take the day each invoice was issued" {
	visit Ann 2027-03-02 >/dev/null
	visit Ann 2027-03-03 >/dev/null
	visit Ann 2027-03-04 >/dev/null
	APPT_NOW=2027-03-02T17:00 appt invoice 1 >/dev/null
	APPT_NOW=2027-03-03T17:00 appt invoice 2 >/dev/null
	APPT_NOW=2027-03-04T17:00 appt invoice 3 >/dev/null
	run -0 csv appt invoice list --from 2027-03-03 --to 2027-03-03 --format csv
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 --partial "INV-2027-0002,"
	run -0 csv appt invoice list --from 2027-03-03 --format csv
	assert_equal "${#lines[@]}" 3
	run -65 appt invoice list --from someday
}

# ---- the record ---------------------------------------------------------

@test "every issue, void, payment and waiver is in the audit log with its actor and reason" {
	visit Ann 2027-03-03 >/dev/null
	noshow Ann 2027-03-04 >/dev/null
	export APPT_NOW=2027-03-04T17:00
	APPT_USER=maria appt invoice 1 >/dev/null
	APPT_USER=maria appt pay --invoice INV-2027-0001 --amount 10 --method cash --ref "R1" >/dev/null
	APPT_USER=sam appt invoice void INV-2027-0001 --reason "wrong price" >/dev/null
	APPT_USER=boss appt fee waive 1 --reason "first time" >/dev/null
	run -0 db "SELECT entity, entity_id, action, actor, coalesce(reason, '-') FROM events
		WHERE entity IN ('invoice', 'payment') OR (entity = 'charge' AND action <> 'charge') ORDER BY id"
	assert_output - <<-'EOF'
	invoice|1|issue|maria|-
	payment|1|pay|maria|-
	invoice|2|issue|sam|wrong price
	invoice|1|void|sam|wrong price
	charge|1|waive|boss|first time
	EOF
	run -0 db "SELECT actor FROM invoices ORDER BY id"
	assert_output "maria
sam"
	run -0 db "SELECT actor, ref FROM payments"
	assert_output "maria|R1"
	# the payment's snapshot names what it was
	run -0 db "SELECT after FROM events WHERE entity = 'payment'"
	assert_output --partial '"amount":1000'
	assert_output --partial '"method":"cash"'
	assert_output --partial '"ref":"R1"'
}

@test "client show: balance and credit in every format, open items and last payments" {
	visit Ann 2027-03-03 >/dev/null
	noshow Ann 2027-03-04 >/dev/null
	export APPT_NOW=2027-03-04T17:00
	appt invoice 1 >/dev/null
	appt pay --invoice INV-2027-0001 --amount 50 --method card --ref "slip 7" >/dev/null
	# 92.22 + 40.00 - 50.00
	run -0 appt client show Ann
	assert_line --regexp '^balance: +82\.22$'
	assert_line --regexp '^no-show fee #1 +2027-03-04 10:20 +2 +40\.00 +40\.00$'
	assert_line --regexp '^INV-2027-0001 +2027-03-04 17:00 +1 +92\.22 +42\.22$'
	run -0 csv appt client show Ann --format csv
	assert_line --index 0 --partial ",blocked_reason,balance,credit,alerts,"
	assert_line --index 0 --partial ",contacts,open_items,payments"
	assert_line --index 1 --partial ",82.22,,"
	run -0 appt client show Ann --format json
	assert_equal "$(json 'd[0]["balance"], d[0]["credit"], len(d[0]["open_items"]), len(d[0]["payments"])' <<<"$output")" \
		"82.22 None 2 1"
	assert_equal "$(json '[(i["item"], i["appointment"], i["amount"], i["due"]) for i in d[0]["open_items"]]' <<<"$output")" \
		"[('no-show fee #1', 2, '40.00', '40.00'), ('INV-2027-0001', 1, '92.22', '42.22')]"
	assert_equal "$(json '[(p["id"], p["amount"], p["method"], p["ref"], p["pays"]) for p in d[0]["payments"]]' <<<"$output")" \
		"[(1, '50.00', 'card', 'slip 7', 'INV-2027-0001')]"
	# credit shows, in JSON too
	appt pay --client Ann --amount 100 --method cash --credit >/dev/null
	run -0 appt client show Ann --format json
	assert_equal "$(json 'd[0]["balance"], d[0]["credit"], d[0]["open_items"]' <<<"$output")" "-17.78 17.78 []"
	# a client who never paid anything
	run -0 appt client show Bob
	assert_line --regexp '^balance: +0\.00$'
	refute_line --regexp '^credit:'
	assert_line --regexp '^open items: +none$'
}

@test "invoice list --status and invoice show --format refuse a word they do not know (65), naming those they take" {
	visit Ann 2027-03-03 >/dev/null
	APPT_NOW=2027-03-03T17:00 appt invoice 1 -q >/dev/null
	run -65 --separate-stderr appt invoice list --status bogus
	assert_output ""
	assert_equal "$stderr" "appt invoice: invalid value 'bogus' for --status (expected open, paid, void or credit)"
	run -65 --separate-stderr appt invoice show INV-2027-0001 --format pdf
	assert_output ""
	assert_equal "$stderr" "appt invoice: invalid value 'pdf' for --format (expected text or html)"
}
