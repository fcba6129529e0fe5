#!/usr/bin/env bats
# A client books on a phone in a real browser (DESIGN.md "Serving clients"):
# headless Chromium, driven by tests/browser/book.py through Selenium, in a
# 360x740 viewport, goes from the service list to a slot, fills in the short
# form and books; every page fits 360 px, logs no console error and is
# well-formed HTML.  The clock is Monday 2027-03-01 08:00 (America/Denver),
# so the first free time is 09:00 with kim.
#
# The confirmation page's screenshot is kept as a test artifact:
#   $APPT_BUILD/artifacts/booking-phone.png
# (on a failure, whatever the browser showed last).
#
# Needs Debian's chromium, chromium-driver and python3-selenium (make deps
# installs them); skipped without them.  SQLite only: what is tested is the
# browser's side, the same on either store.

load test_helper

setup() {
	only_on sqlite
	browser_available
	common_setup
	init_db
}

teardown() {
	serve_stop
}

# A Python that has Selenium (Debian's python3-selenium is /usr/bin/python3's,
# which another python3 first on PATH may not see), in BROWSER_PYTHON.
browser_available() {
	CHROMIUM=$(command -v chromium || true)
	CHROMEDRIVER=$(command -v chromedriver || true)
	[ -n "$CHROMIUM" ] && [ -n "$CHROMEDRIVER" ] || skip "chromium not installed (Debian: chromium chromium-driver)"
	BROWSER_PYTHON=$(python_with selenium) || skip "python3-selenium not installed"
	export CHROMIUM CHROMEDRIVER
}

# book.py URL SHOT: its output in $BATS_TEST_TMPDIR/book.out, not a pipe,
# so that a browser process outliving it cannot hold the test up; timeout
# ends the whole group (python, chromedriver, chromium) if it hangs.
run_browser() {
	local status=0
	timeout -k 5 120 "$BROWSER_PYTHON" "$TESTS_DIR/browser/book.py" "$@" \
		>"$BATS_TEST_TMPDIR/book.out" 2>&1 3>&- || status=$?
	output=$(cat "$BATS_TEST_TMPDIR/book.out")
	return $status
}

@test "a client books on a phone: service, time, details, confirmation" {
	local shot="$BATS_TEST_TMPDIR/booking-phone.png" status=0
	serve_start
	run_browser "$SERVE_URL" "$shot" || status=$?
	# the artifact, pass or fail: $APPT_BUILD/artifacts/booking-phone.png
	if [ -s "$shot" ]; then
		mkdir -p "$APPT_BUILD/artifacts"
		cp "$shot" "$APPT_BUILD/artifacts/booking-phone.png"
	fi
	[ "$status" -eq 0 ] || { echo "$output"; cat "$SERVE_LOG"; false; }
	assert_output --regexp '^[A-Za-z0-9_-]+ Dana Diaz \| Consultation \| Monday 1 March 2027 09:00$'
	# a PNG, as a phone at 2x shows 360x740: 720x1480
	run python3 -c 'import struct, sys
d = open(sys.argv[1], "rb").read(24)
assert d[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
print("%dx%d" % struct.unpack(">II", d[16:24]))' "$shot"
	assert_output "720x1480"

	# booked, online, by a new client, and the web did it
	run db "SELECT a.status, a.via, a.service, a.provider, a.local_start, c.name, c.phone, c.email
		FROM appointments a JOIN clients c ON c.id = a.client_id"
	assert_output "booked|online|consult|kim|2027-03-01 09:00|Dana Diaz|+15550042|dana@example.com"
	run db "SELECT e.actor, e.entity, e.action FROM events e
		WHERE e.entity_id = (SELECT id FROM clients WHERE name = 'Dana Diaz') AND e.entity = 'client'
		   OR e.entity_id = (SELECT id FROM appointments) AND e.entity = 'appointment' ORDER BY e.id"
	assert_output "web|client|add
web|appointment|book"
	# the booking notice went out as the clinic's policy says
	run db "SELECT kind, status FROM messages WHERE appointment_id = (SELECT id FROM appointments)"
	assert_output "notice|sent"
	# the server logged each page, no error, and the one POST was let in
	run cat "$SERVE_LOG"
	assert_output --partial "POST /book 303"
	refute_output --regexp ' [45][0-9][0-9] [0-9]+ms'
}
