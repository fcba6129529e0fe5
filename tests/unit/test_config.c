#include "unit.h"
#include "config.h"

#include <stdlib.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Each bad configuration is written to a temporary file, loaded, and its
 * problems are compared without the file name, as "LINE:COLUMN: message":
 * the positions are the contract (`appt config check` output), so they are
 * checked exactly.
 */

/* Three lines every configuration needs; snippets below start at line 4. */
#define BASE "business:\n  name: Test Clinic\n  timezone: America/Denver\n"

static char tmp_path[256];

/* A mkstemp/mkdtemp template: prefix in $TMPDIR, then the six letters they replace. */
static void temp_template(char *buf, size_t size, const char *prefix)
{
	const char *dir = getenv("TMPDIR");
	size_t len;

	snprintf(buf, size, "%s/%s", dir && *dir ? dir : "/tmp", prefix);
	len = strlen(buf);
	if (len + 7 > size)
		abort();
	memset(buf + len, 'X', 6);
	buf[len + 6] = '\0';
}

static const char *write_temp(const char *yaml)
{
	FILE *fp;
	int fd;

	temp_template(tmp_path, sizeof(tmp_path), "appt-config-");
	fd = mkstemp(tmp_path);
	if (fd < 0 || !(fp = fdopen(fd, "w")))
		abort();
	fputs(yaml, fp);
	fclose(fp);
	return tmp_path;
}

/* Loads yaml; its problems go to out without the "FILE:" prefix. */
static enum appt_status load_yaml(const char *yaml, struct appt_config **cfg,
				  struct strlist *out)
{
	const char *path = write_temp(yaml);
	size_t skip = strlen(path) + 1;
	struct strlist problems = STRLIST_INIT;
	struct appt_err err = { "" };
	enum appt_status status = config_load(path, cfg, &problems, &err);

	for (size_t i = 0; i < problems.nr; i++) {
		CHECK(!strncmp(problems.items[i], path, skip - 1));
		strlist_push(out, problems.items[i] + skip);
	}
	if (status == APPT_CONFIG)
		CHECK(!strncmp(err.msg, path, skip - 1));
	strlist_clear(&problems);
	unlink(path);
	return status;
}

/* The one problem a bad snippet must produce (appended to BASE). */
static void check_one(const char *yaml, const char *want)
{
	struct appt_config *cfg = NULL;
	struct strlist got = STRLIST_INIT;

	CHECK_INT(load_yaml(yaml, &cfg, &got), APPT_CONFIG);
	CHECK(cfg == NULL);
	CHECK_INT(got.nr, 1);
	for (size_t i = 0; i < got.nr; i++)
		CHECK_STR(got.items[i], want);
	strlist_clear(&got);
}

static struct appt_config *load_ok(const char *yaml)
{
	struct appt_config *cfg = NULL;
	struct strlist got = STRLIST_INIT;

	CHECK_INT(load_yaml(yaml, &cfg, &got), APPT_OK);
	for (size_t i = 0; i < got.nr; i++)
		printf("# unexpected problem: %s\n", got.items[i]);
	strlist_clear(&got);
	return cfg;
}

/* The tests run from the top of the tree; __FILE__ finds it from elsewhere. */
static char *example_path(void)
{
	const char *tail = "tests/unit/test_config.c";
	size_t len = strlen(__FILE__) - strlen(tail);

	if (access("config.example.yaml", R_OK) == 0 || strcmp(__FILE__ + len, tail))
		return xstrdup("config.example.yaml");
	return xasprintf("%.*sconfig.example.yaml", (int)len, __FILE__);
}

static struct appt_config *load_example(void)
{
	struct appt_config *cfg = NULL;
	struct strlist problems = STRLIST_INIT;
	struct appt_err err = { "" };
	char *path = example_path();

	CHECK_INT(config_load(path, &cfg, &problems, &err), APPT_OK);
	free(path);
	for (size_t i = 0; i < problems.nr; i++)
		printf("# %s\n", problems.items[i]);
	strlist_clear(&problems);
	return cfg;
}

TEST(example_loads)
{
	struct appt_config *cfg = load_example();
	const struct cfg_service *peel;

	if (!cfg)
		return;
	CHECK_STR(cfg->business.name, "Natural Skincare and Acne Clinic");
	CHECK_STR(cfg->business.timezone, "America/Denver");
	CHECK_INT(cfg->nr_providers, 3);
	CHECK_INT(cfg->nr_services, 5);
	CHECK_INT(cfg->nr_resources, 2);
	peel = config_service(cfg, "acne-peel");
	CHECK(peel != NULL);
	if (peel) {
		CHECK_INT(peel->duration, 45 * 60);
		CHECK_INT(peel->buffer_after, 15 * 60);
		CHECK_STR(peel->needs, "treatment-room");
		CHECK_INT(peel->price, 8500);
		CHECK_INT(peel->capacity, 1);
	}
	CHECK_INT(config_service(cfg, "skincare-class")->capacity, 6);
	CHECK(config_service(cfg, "nope") == NULL);
	config_free(cfg);
}

TEST(example_policies_and_defaults)
{
	struct appt_config *cfg = load_example();

	if (!cfg)
		return;
	CHECK_INT(cfg->policies.booking.min_notice, 2 * 3600);
	CHECK_INT(cfg->policies.booking.max_advance, 90 * 86400);
	CHECK_INT(cfg->policies.booking.offer_slots, 3);
	CHECK_INT(cfg->policies.reschedule.max_times, 2);
	CHECK_INT(cfg->policies.cancel.late_fee, 2500);
	CHECK_INT(cfg->policies.noshow.fee, 4000);
	CHECK_INT(cfg->policies.noshow.block_after, 3);
	CHECK_INT(cfg->policies.noshow.window, 180 * 86400);
	CHECK_INT(cfg->policies.confirmation.deadline, 24 * 3600);
	CHECK(cfg->notices.booked.set && cfg->notices.noshow.set);
	CHECK_STR(cfg->notices.cancelled.template, "cancelled");
	CHECK_INT(cfg->nr_reminders, 2);
	CHECK_INT(cfg->reminders[0].offset, 48 * 3600);
	CHECK_INT(cfg->nr_followups, 3);
	CHECK_STR(cfg->followups[2].service, "acne-peel");
	CHECK_INT(cfg->delivery.max_attempts, 5);
	CHECK_INT(cfg->delivery.lock_wait, 10);
	config_free(cfg);
}

TEST(example_acne_program_follows_seed_004)
{
	struct appt_config *cfg = load_example();
	const struct cfg_program *acne;
	static const int days[] = { 7, 12, 15, 19, 25, 25 };
	static const char *const channels[] = { "sms", "sms", "call", "call", "call", "sms" };

	if (!cfg)
		return;
	acne = config_program(cfg, "acne");
	CHECK(acne != NULL);
	if (acne) {
		CHECK_INT(acne->interval, 14 * 86400);
		CHECK_INT(acne->end_after, 86400);
		CHECK(strlist_has(&acne->services, "acne-peel"));
		CHECK_INT(acne->nr_steps, 6);
		for (size_t i = 0; i < acne->nr_steps && i < 6; i++) {
			CHECK_INT(acne->steps[i].day, days[i]);
			CHECK_STR(acne->steps[i].channel, channels[i]);
		}
		CHECK_STR(acne->steps[3].assign, "manager");
		CHECK(acne->steps[0].assign == NULL);
	}
	config_free(cfg);
}

TEST(example_hours_and_closures)
{
	struct appt_config *cfg = load_example();
	const struct cfg_day_hours *h;
	const struct cfg_provider *maria;
	struct appt_date xmas = { 2026, 12, 25 }, training = { 2027, 7, 7 }, day = { 2027, 7, 10 };

	if (!cfg)
		return;
	h = config_provider_day(cfg, NULL, 1);
	CHECK_INT(h->nr, 2);
	CHECK_INT(h->intervals[0].from, 9 * 60);
	CHECK_INT(h->intervals[0].to, 12 * 60 + 30);
	CHECK_INT(h->intervals[1].from, 13 * 60 + 30);
	CHECK_INT(config_provider_day(cfg, NULL, 0)->nr, 0);
	maria = config_provider(cfg, "maria");
	CHECK(maria && provider_offers(maria, "skincare-class"));
	CHECK(maria && !provider_offers(maria, "laser-session"));
	CHECK_INT(config_provider_day(cfg, maria, 1)->nr, 0);     /* mon: off */
	CHECK_INT(config_provider_day(cfg, maria, 2)->intervals[0].from, 10 * 60);
	CHECK_INT(config_provider_day(cfg, maria, 6)->intervals[0].to, 13 * 60);
	CHECK(config_provider_day(cfg, maria, 7) == NULL);
	CHECK(config_closure_on(cfg, xmas) != NULL);
	CHECK_STR(config_closure_on(cfg, xmas)->reason, "Christmas Day");
	CHECK(config_closure_on(cfg, training) != NULL);
	CHECK(config_closure_on(cfg, day) == NULL);
	config_free(cfg);
}

TEST(example_channels_templates_roles)
{
	struct appt_config *cfg = load_example();
	const struct cfg_channel *sms, *email;

	if (!cfg)
		return;
	email = config_channel(cfg, "email");
	sms = config_channel(cfg, "sms");
	CHECK(email && email->transport == TRANSPORT_SENDMAIL);
	CHECK(sms && sms->transport == TRANSPORT_COMMAND);
	CHECK(sms && sms->command.nr == 1);
	CHECK(config_channel(cfg, "call") == NULL);
	CHECK(config_template(cfg, "acne-day-7") != NULL);
	CHECK(config_template(cfg, "booked")->subject != NULL);
	CHECK(config_is_manager(cfg, "jessi"));
	CHECK(!config_is_manager(cfg, "sam"));
	CHECK(strlist_has(&cfg->staff_logins, "sam"));
	CHECK_STR(cfg->business.date_format, "%A %-d %B %Y");
	config_free(cfg);
}

/* ---- bad configurations: exact positions ---- */

#define PEEL "services:\n  - id: peel\n    name: Peel\n    duration: 45m\n"

TEST(tab_in_indentation)
{
	check_one(BASE "services:\n\t- id: x\n",
		  "5:1: a tab in the indentation, where YAML allows only spaces: found "
		  "character that cannot start any token (while scanning for the next token)");
	check_one("business:\n  name: X\n\ttimezone: UTC\n",
		  "3:1: found a tab character that violates indentation "
		  "(while scanning a plain scalar)");
}

TEST(missing_key_at_mapping)
{
	check_one(BASE "services:\n  - id: peel\n    name: Peel\n",
		  "5:5: missing key 'duration' in service 'peel'");
	check_one("services: []\n", "1:1: missing key 'business' in the file");
	check_one(BASE "closures:\n  - reason: Inventory\n",
		  "5:5: missing key 'date' in closure 1");
}

TEST(unknown_key_with_suggestion)
{
	check_one(BASE "policies:\n  booking:\n    min_notise: 2h\n",
		  "6:5: unknown key 'min_notise' in policies.booking (did you mean 'min_notice'?)");
	check_one(BASE "polcies: {}\n",
		  "4:1: unknown top-level key 'polcies' (did you mean 'policies'?)");
	check_one(BASE "  colour: teal\n", "4:3: unknown key 'colour' in business");
}

TEST(bad_duration_at_value)
{
	struct appt_config *cfg = NULL;
	struct strlist got = STRLIST_INIT;
	const char *want = "7:15: 'duration' in service 'peel': invalid duration '45 minutes'";

	CHECK_INT(load_yaml(BASE "services:\n  - id: peel\n    name: Peel\n"
			    "    duration: 45 minutes\n", &cfg, &got), APPT_CONFIG);
	CHECK_INT(got.nr, 1);
	if (got.nr)
		CHECK(!strncmp(got.items[0], want, strlen(want)));
	strlist_clear(&got);
	check_one(BASE "policies:\n  booking:\n    slot_step: 0\n",
		  "6:16: 'slot_step' in policies.booking: duration '0' is out of range (1m to 1d)");
}

/* Every duration is bounded, with the range in the message. */
TEST(durations_out_of_range)
{
	check_one(BASE PEEL "    buffer_after: 9223372036854775807s\n",
		  "8:19: 'buffer_after' in service 'peel': duration '9223372036854775807s' "
		  "is out of range (0 to 1d)");
	check_one(BASE "services:\n  - id: peel\n    name: Peel\n    duration: 25h\n",
		  "7:15: 'duration' in service 'peel': duration '25h' is out of range (1m to 1d)");
	check_one(BASE "policies:\n  booking:\n    max_advance: 1096d\n",
		  "6:18: 'max_advance' in policies.booking: duration '1096d' is out of range (0 to 1095d)");
	check_one(BASE "delivery:\n  lock_wait: 2h\n",
		  "5:14: 'lock_wait' in delivery: duration '2h' is out of range (0 to 1h)");
	check_one(BASE "delivery:\n  backoff: 99999999999999999999w\n",
		  "5:12: 'backoff' in delivery: duration '99999999999999999999w' is out of range (0 to 1d)");
}

TEST(unknown_service_reference)
{
	check_one(BASE PEEL "providers:\n  - id: anna\n    name: Anna\n    services: [peel, wax]\n",
		  "11:22: 'services' in provider 'anna' names unknown service 'wax'");
	check_one(BASE PEEL "followups:\n  - name: f\n    after: 1d\n    channel: call\n"
		  "    service: peal\n",
		  "12:14: 'service' in followup 'f' names unknown service 'peal'");
}

TEST(needs_kind_without_resource)
{
	check_one(BASE PEEL "    needs: laser-room\nresources:\n  - id: room-1\n"
		  "    kind: treatment-room\n",
		  "8:12: 'needs' in service 'peel' names resource kind 'laser-room', "
		  "but no resource has it");
}

TEST(unknown_template_and_channel)
{
	check_one(BASE "notices:\n  booked:\n    channel: sms\n    template: booked\n"
		  "channels:\n  sms:\n    transport: file\n    path: sms.txt\n",
		  "7:15: 'template' in notices.booked names unknown template 'booked'");
	check_one(BASE "reminders:\n  - name: r\n    before: 2h\n    channel: fax\n"
		  "    template: t\ntemplates:\n  t:\n    body: Hello\n",
		  "7:14: 'channel' in reminder 'r' names unknown channel 'fax' "
		  "(use preferred, call or a key of channels:)");
	check_one(BASE "programs:\n  acne:\n    interval: 14d\n    outreach:\n"
		  "      - day: 7\n        channel: preferred\n",
		  "8:9: missing key 'template' in outreach step 1 of program 'acne' "
		  "(channel 'preferred' sends a message)");
}

TEST(unknown_placeholder)
{
	check_one(BASE "templates:\n  booked:\n    subject: \"Hi {{client.first_name}}\"\n"
		  "    body: |\n      Your {{ service.name }} on {{appointment.day}}\n",
		  "7:11: 'body' in template 'booked': unknown placeholder "
		  "'{{appointment.day}}' (did you mean '{{appointment.date}}'?)");
	check_one(BASE "templates:\n  booked:\n    body: \"See you {{appointment.date\"\n",
		  "6:11: 'body' in template 'booked': unterminated '{{'");
}

TEST(hours_problems)
{
	check_one(BASE "hours:\n  mon-fri: \"09:00-17:00\"\n  fri: closed\n",
		  "6:3: 'hours': fri given twice (first at line 5)");
	check_one(BASE "hours:\n  tue: \"09:00-12:00,11:30-17:00\"\n",
		  "5:8: 'hours': 09:00-12:00 overlaps 11:30-17:00");
	check_one(BASE "hours:\n  wed: \"17:00-09:00\"\n",
		  "5:8: 'hours': 17:00-09:00 does not end after it starts");
	check_one(BASE "hours:\n  thu: 9-5\n",
		  "5:8: 'hours': invalid hours '9-5' (write \"09:00-12:30,13:30-17:00\" or closed)");
	check_one(BASE "hours:\n  weekdays: closed\n",
		  "5:3: 'hours': unknown day 'weekdays' (use mon..sun or a range such as mon-fri)");
}

TEST(hours_wrap_and_sort)
{
	struct appt_config *cfg = load_ok(BASE "hours:\n  sat-mon: \"13:00-15:00, 09:00-12:00\"\n");

	if (!cfg)
		return;
	for (int d = 0; d < 7; d++)
		CHECK_INT(cfg->hours.day[d].set, d == 6 || d == 0 || d == 1);
	CHECK_INT(cfg->hours.day[0].nr, 2);
	CHECK_INT(cfg->hours.day[0].intervals[0].from, 9 * 60);
	CHECK_INT(cfg->hours.day[0].intervals[1].to, 15 * 60);
	config_free(cfg);
}

TEST(policy_and_value_problems)
{
	check_one(BASE "policies:\n  booking:\n    offer_slots: 1\n",
		  "6:18: 'offer_slots' in policies.booking must be at least 2");
	check_one(BASE "  phone: [1, 2]\n",
		  "4:10: 'phone' in business: expected a string, found a list");
	check_one(BASE PEEL "    price: 85.999\n",
		  "8:12: 'price' in service 'peel': invalid amount '85.999' (write 85 or 85.00)");
	check_one(BASE "closures:\n  - from: 2026-08-10\n    to: 2026-08-01\n",
		  "6:9: 'to' in closure 1 is before its 'from'");
	check_one(BASE "closures:\n  - 2026-02-30\n",
		  "5:5: closure 1: invalid date '2026-02-30' (write YYYY-MM-DD)");
}

TEST(channel_problems)
{
	check_one(BASE "channels:\n  call:\n    transport: sendmail\n",
		  "5:3: 'call' cannot be a channel: calls are a task list for staff, "
		  "not a transport");
	check_one(BASE "channels:\n  sms:\n    transport: command\n",
		  "6:5: missing key 'command' in channel 'sms' (transport command runs it)");
	check_one(BASE "channels:\n  fax:\n    transport: pigeon\n",
		  "6:16: 'transport' in channel 'fax': unknown transport 'pigeon' "
		  "(use sendmail, command or file)");
}

TEST(duplicates)
{
	check_one(BASE PEEL "  - id: peel\n    name: Again\n    duration: 30m\n",
		  "8:5: duplicate service id 'peel' (first at line 5)");
	check_one(BASE "  name: Other\n", "4:3: key 'name' given twice in business (first at line 2)");
	check_one(BASE "templates:\n  t:\n    body: a\n  t:\n    body: b\n",
		  "7:3: duplicate template 't' (first at line 5)");
}

TEST(problems_come_in_file_order)
{
	struct appt_config *cfg = NULL;
	struct strlist got = STRLIST_INIT;

	CHECK_INT(load_yaml(BASE "providers:\n  - id: a\n    name: A\n    services: [wax]\n"
			    "  - id: b\n    nmae: B\n", &cfg, &got), APPT_CONFIG);
	CHECK_INT(got.nr, 3);
	if (got.nr == 3) {
		CHECK_STR(got.items[0], "7:16: 'services' in provider 'a' names unknown service 'wax'");
		CHECK_STR(got.items[1], "8:5: missing key 'name' in provider 'b'");
		CHECK_STR(got.items[2], "9:5: unknown key 'nmae' in provider 'b' (did you mean 'name'?)");
	}
	strlist_clear(&got);
}

TEST(empty_and_missing_files)
{
	struct appt_config *cfg = NULL;
	struct strlist got = STRLIST_INIT;
	struct appt_err err = { "" };

	check_one("", "1:1: the file is empty (expected business:, services: and the rest)");
	CHECK_INT(config_load("/nonexistent/appt.yaml", &cfg, &got, &err), APPT_NOINPUT);
	CHECK(cfg == NULL);
	CHECK_INT(got.nr, 0);
	CHECK(strstr(err.msg, "cannot open '/nonexistent/appt.yaml'") != NULL);
}

TEST(relative_paths_follow_the_file)
{
	struct appt_config *cfg = load_ok(BASE "database: appt.db\nchannels:\n"
					  "  sms:\n    transport: file\n    path: out/sms.txt\n"
					  "  email:\n    transport: sendmail\n");
	char *dir = xstrndup(tmp_path, (size_t)(strrchr(tmp_path, '/') - tmp_path));
	char *db = xasprintf("%s/appt.db", dir), *out = xasprintf("%s/out/sms.txt", dir);

	if (cfg) {
		CHECK_STR(cfg->database, db);
		CHECK_STR(config_channel(cfg, "sms")->path, out);
		CHECK_INT(config_channel(cfg, "email")->command.nr, 3);
		CHECK_STR(config_channel(cfg, "email")->command.items[0], "/usr/sbin/sendmail");
		CHECK_INT(cfg->policies.booking.offer_slots, 2);
		CHECK_INT(cfg->policies.reschedule.min_notice, 24 * 3600);
		CHECK_INT(cfg->policies.noshow.window, 365 * 86400);
	}
	config_free(cfg);
	free(dir);
	free(db);
	free(out);
}

TEST(default_path)
{
	char dir[256];
	char *p, *sub, *file;

	temp_template(dir, sizeof(dir), "appt-xdg-");

	setenv("APPT_CONFIG", "/somewhere/appt.yaml", 1);
	p = config_default_path();
	CHECK_STR(p, "/somewhere/appt.yaml");
	free(p);
	unsetenv("APPT_CONFIG");
	if (!mkdtemp(dir))
		abort();
	setenv("XDG_CONFIG_HOME", dir, 1);
	p = config_default_path();
	CHECK_STR(p, "/etc/appt/config.yaml");
	free(p);
	sub = xasprintf("%s/appt", dir);
	file = xasprintf("%s/config.yaml", sub);
	CHECK(mkdir(sub, 0700) == 0);
	close(creat(file, 0600));
	p = config_default_path();
	CHECK_STR(p, file);
	free(p);
	unlink(file);
	rmdir(sub);
	rmdir(dir);
	free(sub);
	free(file);
	unsetenv("XDG_CONFIG_HOME");
}

/* Fixtures live beside the tests, found as the example is. */
static char *fixture_path(const char *name)
{
	char *example = example_path();
	size_t len = strlen(example) - strlen("config.example.yaml");
	char *p = xasprintf("%.*stests/fixtures/%s", (int)len, example, name);

	free(example);
	return p;
}

TEST(minimal_fixture_takes_defaults)
{
	char *path = fixture_path("config-minimal.yaml");
	struct appt_config *cfg = NULL;
	struct appt_err err = { "" };

	CHECK_INT(config_load(path, &cfg, NULL, &err), APPT_OK);
	if (cfg) {
		CHECK_INT(cfg->policies.booking.slot_step, 15 * 60);
		CHECK_INT(cfg->policies.noshow.grace, 15 * 60);
		CHECK_INT(cfg->delivery.backoff, 5 * 60);
		CHECK(!cfg->notices.booked.set);
		CHECK(cfg->database == NULL);
		CHECK_STR(cfg->business.time_format, "%H:%M");
		CHECK_INT(config_provider_day(cfg, config_provider(cfg, "pat"), 3)->nr, 1);
		CHECK_INT(config_provider_day(cfg, config_provider(cfg, "pat"), 6)->nr, 0);
	}
	config_free(cfg);
	free(path);
}

TEST(bad_fixture_lists_every_problem)
{
	static const char *const want[] = {
		"7:3: 'hours': fri given twice (first at line 6)",
		"11:22: 'services' in provider 'pat' names unknown service 'colour'",
		"15:15: 'duration' in service 'trim': invalid duration 'half an hour'",
		"16:12: 'needs' in service 'trim' names resource kind 'chair', but no resource has it",
		"17:5: missing key 'name' in service 'wash'",
		"21:14: 'channel' in notices.booked names unknown channel 'email'",
		"25:11: 'body' in template 'booked': unknown placeholder '{{appointment.hour}}'",
		"28:18: 'offer_slots' in policies.booking must be at least 2",
		"30:5: unknown key 'late_fe' in policies.cancel (did you mean 'late_fee'?)",
	};
	size_t n = sizeof(want) / sizeof(*want);
	char *path = fixture_path("config-bad.yaml");
	struct appt_config *cfg = NULL;
	struct strlist got = STRLIST_INIT;
	struct appt_err err = { "" };
	size_t skip = strlen(path) + 1;

	CHECK_INT(config_load(path, &cfg, &got, &err), APPT_CONFIG);
	CHECK_INT(got.nr, n);
	/* prefixes, since when.c words the bad duration's own message */
	for (size_t i = 0; i < got.nr && i < n; i++)
		if (strncmp(got.items[i] + skip, want[i], strlen(want[i])))
			CHECK_STR(got.items[i] + skip, want[i]);
	strlist_clear(&got);
	free(path);
}

int main(void)
{
	RUN(example_loads);
	RUN(example_policies_and_defaults);
	RUN(example_acne_program_follows_seed_004);
	RUN(example_hours_and_closures);
	RUN(example_channels_templates_roles);
	RUN(tab_in_indentation);
	RUN(missing_key_at_mapping);
	RUN(unknown_key_with_suggestion);
	RUN(bad_duration_at_value);
	RUN(durations_out_of_range);
	RUN(unknown_service_reference);
	RUN(needs_kind_without_resource);
	RUN(unknown_template_and_channel);
	RUN(unknown_placeholder);
	RUN(hours_problems);
	RUN(hours_wrap_and_sort);
	RUN(policy_and_value_problems);
	RUN(channel_problems);
	RUN(duplicates);
	RUN(problems_come_in_file_order);
	RUN(empty_and_missing_files);
	RUN(relative_paths_follow_the_file);
	RUN(default_path);
	RUN(minimal_fixture_takes_defaults);
	RUN(bad_fixture_lists_every_problem);
	return unit_done();
}
