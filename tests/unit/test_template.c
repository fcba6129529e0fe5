#include "unit.h"
#include "config.h"
#include "template.h"

#include <stdlib.h>

static const char *values[FIELD_COUNT] = {
	[FIELD_CLIENT_NAME] = "Zoë Adams",
	[FIELD_CLIENT_FIRST_NAME] = "Zoë",
	[FIELD_APPOINTMENT_DATE] = "Tuesday 2 March 2027",
	[FIELD_APPOINTMENT_TIME] = "10:30",
	[FIELD_SERVICE_NAME] = "Peel",
	[FIELD_BUSINESS_NAME] = "Test Clinic",
};

static void check_render(const char *text, const char *const vals[FIELD_COUNT],
			 const char *want, int line)
{
	char *got = template_render(text, vals);

	if (strcmp(got, want)) {
		printf("# line %d: rendered '%s', want '%s'\n", line, got, want);
		unit_current_failed = 1;
	}
	free(got);
}

#define RENDER(text, want) check_render(text, values, want, __LINE__)

/* The enum indexes template_placeholders[]: a reordering there must show here. */
TEST(uses_finds_a_field)
{
	CHECK(template_uses("Change it: {{ appointment.url }}", FIELD_APPOINTMENT_URL));
	CHECK(!template_uses("{{appointment.id}} {{appointment.urls}}", FIELD_APPOINTMENT_URL));
	CHECK(!template_uses(NULL, FIELD_APPOINTMENT_URL));
	CHECK(!template_uses("{{appointment.url", FIELD_APPOINTMENT_URL));
}

TEST(fields_follow_template_placeholders)
{
	static const char *const names[FIELD_COUNT] = {
		"client.name", "client.first_name", "appointment.date",
		"appointment.time", "appointment.id", "service.name",
		"provider.name", "business.name", "business.phone",
		"business.booking_url", "staff.name", "last_visit.date",
		"business.address", "hold.until", "request.id",
		"invoice.number", "invoice.total", "invoice.text",
		"appointment.url",
	};

	for (int i = 0; i < FIELD_COUNT; i++) {
		CHECK_STR(template_placeholders[i], names[i]);
		CHECK_INT(template_field_index(names[i], strlen(names[i])), i);
	}
	CHECK(template_placeholders[FIELD_COUNT] == NULL);
	CHECK_INT(template_field_index("client.nam", 10), -1);
	CHECK_INT(template_field_index("client.name", 6), -1);
	CHECK_INT(template_field_index("", 0), -1);
}

TEST(renders_placeholders_with_optional_spaces)
{
	RENDER("Hello {{client.first_name}}!", "Hello Zoë!");
	RENDER("{{ client.name }} at {{appointment.time }} on {{  appointment.date}}",
	       "Zoë Adams at 10:30 on Tuesday 2 March 2027");
	RENDER("{{service.name}}{{service.name}}", "PeelPeel");
	RENDER("no fields", "no fields");
	RENDER("", "");
}

TEST(missing_values_render_empty)
{
	RENDER("[{{provider.name}}]", "[]");
	RENDER("[{{ staff.name }}] [{{last_visit.date}}]", "[] []");
}

TEST(unknown_and_odd_braces_stay_literal)
{
	RENDER("{{ nope }} {{client.first_name}}", "{{ nope }} Zoë");
	RENDER("{{}} and {x} and }} and {", "{{}} and {x} and }} and {");
	RENDER("{{Client.Name}}", "{{Client.Name}}");
}

TEST(unterminated_placeholder_renders_the_rest_as_is)
{
	RENDER("Hi {{client.first_name", "Hi {{client.first_name");
	RENDER("{{client.first_name}}, see {{oops", "Zoë, see {{oops");
}

/* A client who calls herself "{{business.name}}" gets exactly that. */
TEST(values_are_never_rescanned)
{
	const char *vals[FIELD_COUNT] = {
		[FIELD_CLIENT_NAME] = "{{business.name}}",
		[FIELD_CLIENT_FIRST_NAME] = "{{",
		[FIELD_SERVICE_NAME] = "$(touch /tmp/x) `id` %s %n",
		[FIELD_BUSINESS_NAME] = "Test Clinic",
	};

	check_render("Dear {{client.name}} of {{business.name}}", vals,
		     "Dear {{business.name}} of Test Clinic", __LINE__);
	/* The value opens braces that the template text then closes. */
	check_render("{{client.first_name}}business.name}}", vals,
		     "{{business.name}}", __LINE__);
	check_render("{{client.first_name}} {{service.name}}", vals,
		     "{{ $(touch /tmp/x) `id` %s %n", __LINE__);
}

struct seen {
	char names[8][32];
	size_t offsets[8];
	int nr;
};

static void collect(const char *name, size_t len, size_t offset, void *data)
{
	struct seen *s = data;

	if (s->nr < 8 && len < 32) {
		memcpy(s->names[s->nr], name, len);
		s->names[s->nr][len] = '\0';
		s->offsets[s->nr++] = offset;
	}
}

TEST(scan_reports_trimmed_names_and_offsets)
{
	struct seen s = { 0 };
	size_t bad = 99;

	CHECK_INT(template_scan("Hi {{ client.name }}, {{x}}{{}}", collect, &s, &bad), 0);
	CHECK_INT(s.nr, 3);
	CHECK_STR(s.names[0], "client.name");
	CHECK_INT(s.offsets[0], 3);
	CHECK_STR(s.names[1], "x");
	CHECK_INT(s.offsets[1], 22);
	CHECK_STR(s.names[2], "");
	CHECK_INT(s.offsets[2], 27);
	CHECK_INT(bad, 99);
}

TEST(scan_stops_at_unterminated_braces)
{
	struct seen s = { 0 };
	size_t bad = 0;

	CHECK_INT(template_scan("{{a}} then {{b", collect, &s, &bad), -1);
	CHECK_INT(s.nr, 1);
	CHECK_STR(s.names[0], "a");
	CHECK_INT(bad, 11);
	CHECK_INT(template_scan("{{", NULL, NULL, NULL), -1);
	CHECK_INT(template_scan("", NULL, NULL, &bad), 0);
}

int main(void)
{
	RUN(fields_follow_template_placeholders);
	RUN(uses_finds_a_field);
	RUN(renders_placeholders_with_optional_spaces);
	RUN(missing_values_render_empty);
	RUN(unknown_and_odd_braces_stay_literal);
	RUN(unterminated_placeholder_renders_the_rest_as_is);
	RUN(values_are_never_rescanned);
	RUN(scan_reports_trimmed_names_and_offsets);
	RUN(scan_stops_at_unterminated_braces);
	return unit_done();
}
