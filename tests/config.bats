#!/usr/bin/env bats
# appt config: check, path and list.

load test_helper

@test "config.example.yaml is valid" {
	export APPT_CONFIG="$REPO_DIR/config.example.yaml"
	run -0 --separate-stderr appt config check
	assert_output "$APPT_CONFIG: ok (3 providers, 5 services, 2 resources, 22 templates)"
	assert_equal "$stderr" ""
}

@test "the test clinic is valid; --quiet prints nothing" {
	run -0 appt config check --quiet
	assert_output ""
}

@test "every problem is listed as FILE:LINE:COLUMN, exit 78" {
	export APPT_CONFIG="$FIXTURES/config-bad.yaml"
	run -78 --separate-stderr appt config check
	assert_output ""
	run -0 bash -c 'appt config check 2>&1 | cut -d: -f2,3'
	assert_output "7:3
11:22
15:15
16:12
17:5
21:14
25:11
28:18
30:5"
	run -78 --separate-stderr appt config check
	[[ "$stderr" == *"config-bad.yaml:30:5: unknown key 'late_fe' in policies.cancel (did you mean 'late_fee'?)"* ]]
	[[ "$stderr" == *"config-bad.yaml:25:11: 'body' in template 'booked': unknown placeholder '{{appointment.hour}}'"* ]]
}

@test "every duration has a range: one near INT64_MAX is refused with FILE:LINE:COLUMN and the range (78)" {
	set_config slot_step 9223372036854775807s
	set_config grace 2d
	set_config window 5000d
	set_config max_advance 99999999999999999999w
	run -78 --separate-stderr appt config check
	assert_equal "$output" ""
	assert_equal "$stderr" "$APPT_CONFIG:56:18: 'max_advance' in policies.booking: duration '99999999999999999999w' is out of range (0 to 1095d)
$APPT_CONFIG:57:16: 'slot_step' in policies.booking: duration '9223372036854775807s' is out of range (1m to 1d)
$APPT_CONFIG:66:12: 'grace' in policies.noshow: duration '2d' is out of range (0 to 1d)
$APPT_CONFIG:70:13: 'window' in policies.noshow: duration '5000d' is out of range (1d to 1095d)"
	# Every command refuses such a file before it does anything.
	run -78 appt slots --service consult
}

@test "the ends of each range are allowed" {
	set_config slot_step 1d
	set_config grace 24h
	set_config window 1095d
	set_config max_advance 1095d
	sed -i 's/^    duration: 30m$/    duration: 1m/' "$APPT_CONFIG"
	run -0 appt config check --quiet
	set_config slot_step 59s
	run -78 --separate-stderr appt config check
	assert_regex "$stderr" ":57:16: 'slot_step' in policies.booking: duration '59s' is out of range \(1m to 1d\)$"
}

@test "a tab in the indentation is named with its position" {
	printf 'business:\n\tname: x\n' >"$APPT_CONFIG"
	run -78 --separate-stderr appt config check
	assert_regex "$stderr" "^$APPT_CONFIG:2:[0-9]+: .*tab"
}

@test "a missing required key and a reference to a missing template" {
	sed -i 's/^  name: Test Clinic$//' "$APPT_CONFIG"
	sed -i 's/template: noshow}/template: gone}/' "$APPT_CONFIG"
	run -78 --separate-stderr appt config check
	[[ "$stderr" == *"missing key 'name' in business"* ]]
	[[ "$stderr" == *"unknown template 'gone'"* ]] || [[ "$stderr" == *"'gone'"* ]]
}

@test "a missing file is 66" {
	export APPT_CONFIG="$BATS_TEST_TMPDIR/nope.yaml"
	run -66 --separate-stderr appt config check
	[[ "$stderr" == *"nope.yaml"* ]]
}

@test "path: APPT_CONFIG, the front end's --config, then XDG_CONFIG_HOME" {
	run -0 appt config path
	assert_output "$APPT_CONFIG"
	run -0 appt --config /tmp/other.yaml config path
	assert_output "/tmp/other.yaml"
	unset APPT_CONFIG
	export XDG_CONFIG_HOME="$BATS_TEST_TMPDIR/xdg"
	mkdir -p "$XDG_CONFIG_HOME/appt" && touch "$XDG_CONFIG_HOME/appt/config.yaml"
	run -0 appt config path
	assert_output "$XDG_CONFIG_HOME/appt/config.yaml"
	rm "$XDG_CONFIG_HOME/appt/config.yaml"
	run -0 appt config path
	assert_output "/etc/appt/config.yaml"
}

@test "list prints ids and names for scripts and completion" {
	run -0 appt config list providers
	assert_output "kim	Kim Kowalski
lee	Lee Lam"
	run -0 appt config list services
	assert_line --index 1 "peel	Acne Peel"
	run -64 appt config list colours
	assert_output --partial "cannot list 'colours'"
}

@test "usage errors are 64" {
	run -64 appt config
	run -64 appt config frobnicate
	assert_output --partial "unknown subcommand 'frobnicate'"
	run -64 appt config check extra
	run -64 appt config --bogus
	run -0 appt config --help
	assert_output --partial "usage: appt config check"
}

@test "list needs exactly one kind (64)" {
	run -64 --separate-stderr appt config list
	[[ "${stderr_lines[0]}" == "appt config: list needs one kind" ]]
	run -64 appt config list services providers
}

@test "serve: every key is checked with FILE:LINE:COLUMN (78)" {
	cat >>"$APPT_CONFIG" <<'YAML'
serve:
  listen: "localhost:80"
  base_url: "ftp://clinic.example"
  booking: maybe
  days: 0
  post_limit: 0
  sms:
    from_field: ""
    bodyfield: Body
YAML
	run -78 --separate-stderr appt config check
	local n
	n=$(wc -l <"$APPT_CONFIG")
	[[ "$stderr" == *":$((n - 7)):11: 'listen' in serve: expected ADDRESS:PORT (127.0.0.1:8080, [::1]:8080), found 'localhost:80'"* ]]
	[[ "$stderr" == *":$((n - 6)):13: 'base_url' in serve: expected an http:// or https:// URL without a query, found 'ftp://clinic.example'"* ]]
	[[ "$stderr" == *":$((n - 5)):12: 'booking' in serve: expected book or request, found 'maybe'"* ]]
	[[ "$stderr" == *":$((n - 4)):9: 'days' in serve must be from 1 to 366, not 0"* ]]
	[[ "$stderr" == *":$((n - 3)):15: 'post_limit' in serve must be from 1 to 100000, not 0"* ]]
	[[ "$stderr" == *":$((n - 1)):17: 'from_field' in serve.sms must not be empty"* ]]
	[[ "$stderr" == *":$n:5: unknown key 'bodyfield' in serve.sms (did you mean 'body_field'?)"* ]]
}

@test "serve: a template with {{appointment.url}} needs serve.base_url (78), and is fine with it" {
	sed -i 's/^templates:$/templates:\n  linked:\n    body: "Change it at {{appointment.url}}"/' "$APPT_CONFIG"
	run -78 --separate-stderr appt config check
	[[ "$stderr" == *"template 'linked' uses {{appointment.url}}, which needs serve.base_url"* ]]
	printf 'serve:\n  base_url: "https://book.clinic.example/"\n  listen: "[::1]:8081"\n' >>"$APPT_CONFIG"
	run -0 appt config check --quiet
	assert_output ""
}
