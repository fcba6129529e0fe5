/*
 * config: appt's tables for the YAML file, and what is checked and looked
 * up in the struct appt_config they fill.
 *
 * yamlmap walks the file by these tables (one row per key, so a key is
 * named exactly once) and hours reads opening hours and sending windows;
 * what is left here is appt's own: the schemas of services, providers,
 * templates, policies and the rest, the hooks that default and check one
 * item, and the checks across the whole file: names that point elsewhere
 * (services, templates, channels, resource kinds), recorded as references
 * while loading and checked once everything is loaded, because YAML
 * sections may come in any order.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "listen.h"
#include "money.h"
#include "phone.h"
#include "template.h"

static const char *const default_sendmail[] = { "/usr/sbin/sendmail", "-t", "-i", NULL };

/* What a reference names (struct yamlmap_ref's kind); 0 is yamlmap's "nothing". */
enum ref_kind {
	REF_NONE,
	REF_SERVICE,  /* a services: id */
	REF_KIND,     /* a resource kind some resource has */
	REF_TEMPLATE, /* a templates: key */
	REF_CHANNEL,  /* preferred, call or a channels: key */
};

#define OFF(T, m) offsetof(struct T, m)

static int str_eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* The item of an array whose char * member at off equals key. */
static const void *find_by(const void *items, size_t nr, size_t size, size_t off,
			   const char *key)
{
	for (size_t i = 0; i < nr; i++) {
		const char *item = (const char *)items + i * size;

		if (str_eq(*(char *const *)(item + off), key))
			return item;
	}
	return NULL;
}

/* ---- item hooks: defaults and checks within one item -------------------- */

/* Anything but a call sends words, so it needs a template to take them from. */
static void need_template(struct yamlmap *ym, yaml_node_t *node, const char *channel,
			  const char *template, const char *label)
{
	if (channel && strcmp(channel, "call") && !template)
		yamlmap_problem(ym, node,
				"missing key 'template' in %s (channel '%s' sends a message)",
				label, channel);
}

static void service_init(void *obj)
{
	((struct cfg_service *)obj)->capacity = 1;
}

static void followup_init(void *obj)
{
	((struct cfg_timed_message *)obj)->max_delay = 86400;
}

static void resource_finish(struct yamlmap *ym, yaml_node_t *node, void *obj, const char *label)
{
	struct cfg_resource *r = obj;

	if (!r->name && r->id)
		r->name = xstrdup(r->id);
}

static void notice_finish(struct yamlmap *ym, yaml_node_t *node, void *obj, const char *label)
{
	struct cfg_notice *n = obj;

	n->set = 1;
	need_template(ym, node, n->channel, n->template, label);
}

static void timed_finish(struct yamlmap *ym, yaml_node_t *node, void *obj, const char *label)
{
	struct cfg_timed_message *m = obj;

	need_template(ym, node, m->channel, m->template, label);
}

static void step_finish(struct yamlmap *ym, yaml_node_t *node, void *obj, const char *label)
{
	struct cfg_outreach_step *st = obj;

	need_template(ym, node, st->channel, st->template, label);
}

/* Stable, so that two steps on one day (a call, then a text) keep their order. */
static void sort_steps(struct cfg_outreach_step *steps, size_t nr)
{
	for (size_t i = 1; i < nr; i++) {
		struct cfg_outreach_step x = steps[i];
		size_t j = i;

		for (; j > 0 && steps[j - 1].day > x.day; j--)
			steps[j] = steps[j - 1];
		steps[j] = x;
	}
}

static void program_finish(struct yamlmap *ym, yaml_node_t *node, void *obj, const char *label)
{
	struct cfg_program *prog = obj;

	if (!prog->name)
		prog->name = xstrdup(prog->id);
	sort_steps(prog->steps, prog->nr_steps);
}

static void channel_finish(struct yamlmap *ym, yaml_node_t *node, void *obj, const char *label)
{
	struct cfg_channel *ch = obj;

	if (!strcmp(ch->name, "call"))
		yamlmap_problem_at(ym, ch->pos, "'call' cannot be a channel: calls are a task list"
				   " for staff, not a transport");
	else if (!strcmp(ch->name, "preferred"))
		yamlmap_problem_at(ym, ch->pos, "'preferred' cannot be a channel: it means each"
				   " client's own channel");
	if (ch->transport == TRANSPORT_SENDMAIL && !ch->command.nr)
		for (const char *const *a = default_sendmail; *a; a++)
			strlist_push(&ch->command, *a);
	if (ch->transport == TRANSPORT_COMMAND && !ch->command.nr)
		yamlmap_problem(ym, node, "missing key 'command' in %s (transport command runs it)",
				label);
	if (ch->transport == TRANSPORT_FILE && !ch->path)
		yamlmap_problem(ym, node, "missing key 'path' in %s (transport file appends to it)",
				label);
}

static void unknown_placeholder(struct yamlmap *ym, struct cfg_pos pos, const char *what,
				const char *name, size_t len)
{
	char *bad = xstrndup(name, len);
	const char *near = NULL;
	size_t near_d = YAMLMAP_TYPO_MAX;

	for (const char *const *p = template_placeholders; *p; p++)
		yamlmap_closer(bad, *p, &near, &near_d);
	if (near)
		yamlmap_problem_at(ym, pos,
				   "%s: unknown placeholder '{{%s}}' (did you mean '{{%s}}'?)",
				   what, bad, near);
	else
		yamlmap_problem_at(ym, pos, "%s: unknown placeholder '{{%s}}'", what, bad);
	free(bad);
}

struct placeholder_check {
	struct yamlmap *ym;
	struct cfg_pos pos;
	const char *what;
};

static void check_placeholder(const char *name, size_t len, size_t offset, void *data)
{
	struct placeholder_check *pc = data;

	if (template_field_index(name, len) < 0)
		unknown_placeholder(pc->ym, pc->pos, pc->what, name, len);
}

/* template_scan is what rendering uses, so the check and the sender agree on
 * what a placeholder is; the scalar's position is the closest we have. */
static void check_placeholders(struct yamlmap *ym, const char *s, struct cfg_pos pos,
			       const char *what)
{
	struct placeholder_check pc = { ym, pos, what };

	if (template_scan(s, check_placeholder, &pc, NULL) < 0)
		yamlmap_problem_at(ym, pos, "%s: unterminated '{{'", what);
}

static void template_finish(struct yamlmap *ym, yaml_node_t *node, void *obj, const char *label)
{
	struct cfg_template *t = obj;
	char *what;

	if (t->subject) {
		what = xasprintf("'subject' in %s", label);
		check_placeholders(ym, t->subject, t->subject_pos, what);
		free(what);
	}
	if (t->body) {
		what = xasprintf("'body' in %s", label);
		check_placeholders(ym, t->body, t->body_pos, what);
		free(what);
	}
}

/* A closure is one date, or a from/to range; never both. */
static void closure_finish(struct yamlmap *ym, yaml_node_t *node, void *obj, const char *label)
{
	struct cfg_closure *c = obj;
	yaml_node_t *date = yamlmap_get(ym, node, "date"), *from = yamlmap_get(ym, node, "from");
	yaml_node_t *to = yamlmap_get(ym, node, "to");

	if (date && (from || to))
		yamlmap_problem(ym, node, "%s: give either 'date' or 'from' and 'to', not both",
				label);
	else if (!date && !from && !to)
		yamlmap_problem(ym, node, "missing key 'date' in %s", label);
	else if (!date && (!from || !to))
		yamlmap_problem(ym, node, "missing key '%s' in %s", from ? "to" : "from", label);
	else if (date)
		c->to = c->from;
	else if (date_valid(c->from) && date_valid(c->to) && date_cmp(c->to, c->from) < 0)
		yamlmap_problem(ym, to, "'to' in %s is before its 'from'", label);
}

static void closure_from_scalar(struct yamlmap *ym, yaml_node_t *node, void *obj,
				const char *label)
{
	struct cfg_closure *c = obj;

	if (date_parse_iso(yamlmap_text(node), &c->from))
		yamlmap_problem(ym, node, "%s: invalid date '%s' (write YYYY-MM-DD)", label,
				yamlmap_text(node));
	c->to = c->from;
}

/* ---- appt's own field types --------------------------------------------- */

static void release_str(void *dst)
{
	free(*(char **)dst);
}

/* An IANA zone, installed as the business zone. */
static void load_zone(struct yamlmap *ym, yaml_node_t *value, void *dst, const char *what)
{
	struct appt_err err = { "" };
	const char *t = yamlmap_scalar(ym, value, what);

	if (!t)
		return;
	if (when_set_zone(t, &err) != APPT_OK)
		yamlmap_problem(ym, value, "%s: %s", what, err.msg);
	*(char **)dst = xstrdup(t);
}

static const struct yamlmap_type zone_type = { load_zone, release_str };

/* A tax rate: "8.5%". */
static void load_rate(struct yamlmap *ym, yaml_node_t *value, void *dst, const char *what)
{
	const char *t = yamlmap_scalar(ym, value, what);

	if (t && rate_parse(t, (long *)dst))
		yamlmap_problem(ym, value, "%s: invalid rate '%s' (write 8.5%%, at most 100%%)",
				what, t);
}

static const struct yamlmap_type rate_type = { load_rate, NULL };

/* ISO 4217: what an invoice and a ledger journal print beside the amounts. */
static void load_currency(struct yamlmap *ym, yaml_node_t *value, void *dst, const char *what)
{
	const char *t = yamlmap_scalar(ym, value, what);

	if (!t)
		return;
	if (strlen(t) != 3 || !isupper((unsigned char)t[0]) || !isupper((unsigned char)t[1]) ||
	    !isupper((unsigned char)t[2]))
		yamlmap_problem(ym, value, "%s: invalid currency '%s' (an ISO 4217 code such as"
				" USD or EUR)", what, t);
	*(char **)dst = xstrdup(t);
}

static const struct yamlmap_type currency_type = { load_currency, release_str };

/* An invoice number's prefix: letters, digits and dashes, as INV-2027-0001 shows. */
static void load_prefix(struct yamlmap *ym, yaml_node_t *value, void *dst, const char *what)
{
	const char *t = yamlmap_scalar(ym, value, what);
	int ok = t && *t && strlen(t) <= 16;

	for (const char *p = t; ok && *p; p++)
		ok = isalnum((unsigned char)*p) || *p == '-';
	if (t && !ok)
		yamlmap_problem(ym, value, "%s: invalid prefix '%s' (letters, digits and '-',"
				" at most 16)", what, t);
	if (t)
		*(char **)dst = xstrdup(t);
}

static const struct yamlmap_type prefix_type = { load_prefix, release_str };

/* "1" or "+1": stored as digits, the form phone keys put after their '+'. */
static void load_country_code(struct yamlmap *ym, yaml_node_t *value, void *dst,
			      const char *what)
{
	const char *t = yamlmap_scalar(ym, value, what);
	const char *digits = t && *t == '+' ? t + 1 : t;

	if (!t)
		return;
	if (!phone_country_code_valid(digits)) {
		yamlmap_problem(ym, value, "%s: expected a country calling code of 1 to 3 digits "
				"(1 for the US and Canada, 44 for the UK), found '%s'", what, t);
		return;
	}
	*(char **)dst = xstrdup(digits);
}

static const struct yamlmap_type country_code_type = { load_country_code, release_str };

static void load_transport(struct yamlmap *ym, yaml_node_t *value, void *dst, const char *what)
{
	static const struct {
		const char *name;
		enum cfg_transport transport;
	} transports[] = {
		{ "sendmail", TRANSPORT_SENDMAIL },
		{ "command", TRANSPORT_COMMAND },
		{ "file", TRANSPORT_FILE },
	};
	enum cfg_transport *tr = dst;
	const char *t = yamlmap_scalar(ym, value, what);

	if (!t)
		return;
	for (size_t i = 0; i < sizeof(transports) / sizeof(*transports); i++)
		if (!strcmp(t, transports[i].name)) {
			*tr = transports[i].transport;
			return;
		}
	yamlmap_problem(ym, value, "%s: unknown transport '%s' (use sendmail, command or file)",
			what, t);
}

static const struct yamlmap_type transport_type = { load_transport, NULL };

/* roles.staff: login: "Display Name", kept as two parallel lists. */
static void load_staff(struct yamlmap *ym, yaml_node_t *value, void *dst, const char *what)
{
	struct appt_config *cfg = dst;
	yaml_node_pair_t *p;

	if (!yamlmap_expect(ym, value, YAML_MAPPING_NODE, what))
		return;
	for (p = value->data.mapping.pairs.start; p < value->data.mapping.pairs.top; p++) {
		yaml_node_t *key = yamlmap_node(ym, p->key), *name = yamlmap_node(ym, p->value);
		const char *login = yamlmap_scalar(ym, key, what), *display;

		if (!login || !(display = yamlmap_scalar(ym, name, what)))
			continue;
		if (strlist_has(&cfg->staff_logins, login)) {
			yamlmap_problem(ym, key, "%s: '%s' given twice", what, login);
			continue;
		}
		strlist_push(&cfg->staff_logins, login);
		strlist_push(&cfg->staff_names, display);
	}
}

static void release_staff(void *dst)
{
	struct appt_config *cfg = dst;

	strlist_clear(&cfg->staff_logins);
	strlist_clear(&cfg->staff_names);
}

static const struct yamlmap_type staff_type = { load_staff, release_staff };

/* ---- the tables --------------------------------------------------------- */

/*
 * Every duration has a range (appt-config(5) lists them): a value near
 * INT64_MAX once passed, then made slot searches spin and charged fees
 * at once.  The bounds are what a small business could mean.
 */
#define MINUTE 60L
#define DAY (24 * 3600L)
#define YEAR (365 * DAY)

/* The business section is at offset 0: these offsets are within appt_config. */
static const struct yamlmap_field business_fields[] = {
	YM_STR("name", appt_config, business.name, YM_REQUIRED),
	YM_CUSTOM("timezone", OFF(appt_config, business.timezone), YM_REQUIRED, zone_type),
	YM_STR("phone", appt_config, business.phone, 0),
	YM_STR("address", appt_config, business.address, 0),
	YM_STR("booking_url", appt_config, business.booking_url, 0),
	YM_CUSTOM("country_code", OFF(appt_config, business.country_code), 0, country_code_type),
	YM_STR("email", appt_config, business.email, 0),
	YM_STR("signature", appt_config, business.signature, 0),
	YM_STR("date_format", appt_config, business.date_format, YM_NONEMPTY),
	YM_STR("time_format", appt_config, business.time_format, YM_NONEMPTY),
	YM_END,
};
static const struct yamlmap_schema business_schema = { .fields = business_fields };

static const struct yamlmap_field closure_fields[] = {
	YM_DATE("date", cfg_closure, from),
	YM_DATE("from", cfg_closure, from),
	YM_DATE("to", cfg_closure, to),
	YM_STR("reason", cfg_closure, reason, 0),
	YM_END,
};
static const struct yamlmap_schema closure_schema = {
	.noun = "closure", .fields = closure_fields, .size = sizeof(struct cfg_closure),
	.pos_off = OFF(cfg_closure, pos), .has_pos = 1,
	.finish = closure_finish, .from_scalar = closure_from_scalar,
};

static const struct yamlmap_field provider_fields[] = {
	YM_STR("id", cfg_provider, id, YM_REQUIRED),
	YM_STR("name", cfg_provider, name, YM_REQUIRED),
	YM_STR("email", cfg_provider, email, 0),
	YM_CUSTOM("hours", OFF(cfg_provider, hours), 0, hours_week_type),
	YM_STRS("services", cfg_provider, services, REF_SERVICE),
	YM_END,
};
static const struct yamlmap_schema provider_schema = {
	.noun = "provider", .fields = provider_fields, .size = sizeof(struct cfg_provider),
	.id_key = "id", .pos_off = OFF(cfg_provider, pos), .has_pos = 1,
};

static const struct yamlmap_field resource_fields[] = {
	YM_STR("id", cfg_resource, id, YM_REQUIRED),
	YM_STR("kind", cfg_resource, kind, YM_REQUIRED),
	YM_STR("name", cfg_resource, name, 0),
	YM_END,
};
static const struct yamlmap_schema resource_schema = {
	.noun = "resource", .fields = resource_fields, .size = sizeof(struct cfg_resource),
	.id_key = "id", .pos_off = OFF(cfg_resource, pos), .has_pos = 1,
	.finish = resource_finish,
};

static const struct yamlmap_field service_fields[] = {
	YM_STR("id", cfg_service, id, YM_REQUIRED),
	YM_STR("name", cfg_service, name, YM_REQUIRED),
	YM_DUR("duration", cfg_service, duration, YM_REQUIRED, MINUTE, DAY),
	YM_DUR("buffer_before", cfg_service, buffer_before, 0, 0, DAY),
	YM_DUR("buffer_after", cfg_service, buffer_after, 0, 0, DAY),
	YM_REF("needs", cfg_service, needs, YM_NONEMPTY, REF_KIND),
	YM_INT("capacity", cfg_service, capacity, 1, 0),
	YM_MONEY("price", cfg_service, price),
	YM_END,
};
static const struct yamlmap_schema service_schema = {
	.noun = "service", .fields = service_fields, .size = sizeof(struct cfg_service),
	.id_key = "id", .pos_off = OFF(cfg_service, pos), .has_pos = 1,
	.init = service_init,
};

static const struct yamlmap_field booking_fields[] = {
	YM_DUR("min_notice", cfg_booking_policy, min_notice, 0, 0, YEAR),
	YM_DUR("max_advance", cfg_booking_policy, max_advance, 0, 0, 3 * YEAR),
	YM_DUR("slot_step", cfg_booking_policy, slot_step, 0, MINUTE, DAY),
	/* the front desk always offers a choice: at least two slots */
	YM_INT("offer_slots", cfg_booking_policy, offer_slots, 2, 0),
	YM_END,
};
static const struct yamlmap_field reschedule_fields[] = {
	YM_DUR("min_notice", cfg_reschedule_policy, min_notice, 0, 0, YEAR),
	YM_INT("max_times", cfg_reschedule_policy, max_times, 0, 0),
	YM_END,
};
static const struct yamlmap_field cancel_fields[] = {
	YM_DUR("min_notice", cfg_cancel_policy, min_notice, 0, 0, YEAR),
	YM_MONEY("late_fee", cfg_cancel_policy, late_fee),
	YM_END,
};
static const struct yamlmap_field noshow_fields[] = {
	YM_DUR("grace", cfg_noshow_policy, grace, 0, 0, DAY),
	YM_MONEY("fee", cfg_noshow_policy, fee),
	YM_INT("warn_after", cfg_noshow_policy, warn_after, 0, 0),
	YM_INT("block_after", cfg_noshow_policy, block_after, 0, 0),
	YM_DUR("window", cfg_noshow_policy, window, 0, DAY, 3 * YEAR),
	YM_END,
};
static const struct yamlmap_field confirmation_fields[] = {
	YM_DUR("deadline", cfg_confirmation_policy, deadline, 0, 0, YEAR),
	YM_END,
};
static const struct yamlmap_field arrival_fields[] = {
	YM_DUR("early", cfg_arrival_policy, early, 0, 0, 7 * DAY),
	YM_END,
};
static const struct yamlmap_field request_fields[] = {
	YM_DUR("reply_within", cfg_request_policy, reply_within, 0, MINUTE, 30 * DAY),
	YM_END,
};
static const struct yamlmap_field waitlist_fields[] = {
	YM_DUR("offer_hold", cfg_waitlist_policy, offer_hold, 0, MINUTE, 7 * DAY),
	YM_END,
};
static const struct yamlmap_schema booking_schema = { .fields = booking_fields };
static const struct yamlmap_schema reschedule_schema = { .fields = reschedule_fields };
static const struct yamlmap_schema cancel_schema = { .fields = cancel_fields };
static const struct yamlmap_schema noshow_schema = { .fields = noshow_fields };
static const struct yamlmap_schema confirmation_schema = { .fields = confirmation_fields };
static const struct yamlmap_schema arrival_schema = { .fields = arrival_fields };
static const struct yamlmap_schema request_schema = { .fields = request_fields };
static const struct yamlmap_schema waitlist_schema = { .fields = waitlist_fields };

static const struct yamlmap_field policies_fields[] = {
	YM_SECTION("booking", OFF(cfg_policies, booking), &booking_schema, 0),
	YM_SECTION("reschedule", OFF(cfg_policies, reschedule), &reschedule_schema, 0),
	YM_SECTION("cancel", OFF(cfg_policies, cancel), &cancel_schema, 0),
	YM_SECTION("noshow", OFF(cfg_policies, noshow), &noshow_schema, 0),
	YM_SECTION("confirmation", OFF(cfg_policies, confirmation), &confirmation_schema, 0),
	YM_SECTION("arrival", OFF(cfg_policies, arrival), &arrival_schema, 0),
	YM_SECTION("request", OFF(cfg_policies, request), &request_schema, 0),
	YM_SECTION("waitlist", OFF(cfg_policies, waitlist), &waitlist_schema, 0),
	YM_END,
};
static const struct yamlmap_schema policies_schema = { .fields = policies_fields };

static const struct yamlmap_field notice_fields[] = {
	YM_REF("channel", cfg_notice, channel, YM_REQUIRED, REF_CHANNEL),
	YM_REF("template", cfg_notice, template, 0, REF_TEMPLATE),
	YM_END,
};
static const struct yamlmap_schema notice_schema = {
	.fields = notice_fields, .pos_off = OFF(cfg_notice, pos), .has_pos = 1,
	.finish = notice_finish,
};
static const struct yamlmap_field notices_fields[] = {
	YM_SECTION("booked", OFF(cfg_notices, booked), &notice_schema, 0),
	YM_SECTION("rescheduled", OFF(cfg_notices, rescheduled), &notice_schema, 0),
	YM_SECTION("cancelled", OFF(cfg_notices, cancelled), &notice_schema, 0),
	YM_SECTION("noshow", OFF(cfg_notices, noshow), &notice_schema, 0),
	YM_SECTION("blocked", OFF(cfg_notices, blocked), &notice_schema, 0),
	YM_SECTION("held", OFF(cfg_notices, held), &notice_schema, 0),
	YM_SECTION("expired", OFF(cfg_notices, expired), &notice_schema, 0),
	YM_SECTION("request_received", OFF(cfg_notices, request_received), &notice_schema, 0),
	YM_SECTION("request_declined", OFF(cfg_notices, request_declined), &notice_schema, 0),
	YM_SECTION("waitlist_offer", OFF(cfg_notices, waitlist_offer), &notice_schema, 0),
	YM_SECTION("invoice", OFF(cfg_notices, invoice), &notice_schema, 0),
	YM_END,
};
static const struct yamlmap_schema notices_schema = { .fields = notices_fields };

static const struct yamlmap_field reminder_fields[] = {
	YM_STR("name", cfg_timed_message, name, YM_REQUIRED),
	YM_DUR("before", cfg_timed_message, offset, YM_REQUIRED, 0, YEAR),
	YM_REF("channel", cfg_timed_message, channel, YM_REQUIRED, REF_CHANNEL),
	YM_REF("template", cfg_timed_message, template, 0, REF_TEMPLATE),
	YM_END,
};
static const struct yamlmap_schema reminder_schema = {
	.noun = "reminder", .fields = reminder_fields, .size = sizeof(struct cfg_timed_message),
	.id_key = "name", .pos_off = OFF(cfg_timed_message, pos), .has_pos = 1,
	.finish = timed_finish,
};

static const struct yamlmap_field followup_fields[] = {
	YM_STR("name", cfg_timed_message, name, YM_REQUIRED),
	YM_DUR("after", cfg_timed_message, offset, YM_REQUIRED, 0, YEAR),
	YM_REF("channel", cfg_timed_message, channel, YM_REQUIRED, REF_CHANNEL),
	YM_REF("template", cfg_timed_message, template, 0, REF_TEMPLATE),
	YM_REF("service", cfg_timed_message, service, 0, REF_SERVICE),
	YM_BOOL("skip_if_booked", cfg_timed_message, skip_if_booked),
	YM_DUR("max_delay", cfg_timed_message, max_delay, 0, MINUTE, YEAR),
	YM_END,
};
static const struct yamlmap_schema followup_schema = {
	.noun = "followup", .fields = followup_fields, .size = sizeof(struct cfg_timed_message),
	.id_key = "name", .pos_off = OFF(cfg_timed_message, pos), .has_pos = 1,
	.init = followup_init, .finish = timed_finish,
};

static const struct yamlmap_field step_fields[] = {
	YM_INT_IN("day", cfg_outreach_step, day, 1, 3 * 365, YM_REQUIRED),
	YM_REF("channel", cfg_outreach_step, channel, YM_REQUIRED, REF_CHANNEL),
	YM_REF("template", cfg_outreach_step, template, 0, REF_TEMPLATE),
	/* "manager" or a login; who may take a call is not the config's to check */
	YM_STR("assign", cfg_outreach_step, assign, YM_NONEMPTY),
	YM_END,
};
static const struct yamlmap_schema step_schema = {
	.noun = "outreach step", .fields = step_fields,
	.size = sizeof(struct cfg_outreach_step),
	.pos_off = OFF(cfg_outreach_step, pos), .has_pos = 1, .finish = step_finish,
};

static const struct yamlmap_field program_fields[] = {
	YM_STR("name", cfg_program, name, 0),
	YM_DUR("interval", cfg_program, interval, YM_REQUIRED, DAY, 3 * YEAR),
	YM_STRS("services", cfg_program, services, REF_SERVICE),
	YM_LIST("outreach", cfg_program, steps, nr_steps, &step_schema, YM_REQUIRED),
	YM_DUR("end_after", cfg_program, end_after, 0, 0, 3 * YEAR),
	YM_END,
};
static const struct yamlmap_schema program_schema = {
	.noun = "program", .fields = program_fields, .size = sizeof(struct cfg_program),
	.key_off = OFF(cfg_program, id), .has_key = 1,
	.pos_off = OFF(cfg_program, pos), .has_pos = 1, .finish = program_finish,
};

static const struct yamlmap_field channel_fields[] = {
	YM_CUSTOM("transport", OFF(cfg_channel, transport), YM_REQUIRED, transport_type),
	YM_STRS("command", cfg_channel, command, REF_NONE),
	YM_STR("from", cfg_channel, from, 0),
	YM_PATH("path", cfg_channel, path),
	YM_CUSTOM("send_window", OFF(cfg_channel, send_window), 0, hours_window_type),
	YM_END,
};
static const struct yamlmap_schema channel_schema = {
	.noun = "channel", .fields = channel_fields, .size = sizeof(struct cfg_channel),
	.key_off = OFF(cfg_channel, name), .has_key = 1,
	.pos_off = OFF(cfg_channel, pos), .has_pos = 1, .finish = channel_finish,
};

static const struct yamlmap_field template_fields[] = {
	YM_TEXT("subject", cfg_template, subject, subject_pos, 0),
	YM_TEXT("body", cfg_template, body, body_pos, YM_REQUIRED),
	YM_END,
};
static const struct yamlmap_schema template_schema = {
	.noun = "template", .fields = template_fields, .size = sizeof(struct cfg_template),
	.key_off = OFF(cfg_template, name), .has_key = 1,
	.pos_off = OFF(cfg_template, pos), .has_pos = 1, .finish = template_finish,
};

static const struct yamlmap_field roles_fields[] = {
	YM_STRS("managers", appt_config, managers, REF_NONE),
	YM_CUSTOM("staff", 0, 0, staff_type),
	YM_END,
};
static const struct yamlmap_schema roles_schema = { .fields = roles_fields };

static const struct yamlmap_field delivery_fields[] = {
	YM_INT("max_attempts", cfg_delivery, max_attempts, 1, 0),
	YM_DUR("backoff", cfg_delivery, backoff, 0, 0, DAY),
	YM_DUR("lock_wait", cfg_delivery, lock_wait, 0, 0, 3600),
	YM_CUSTOM("send_window", OFF(cfg_delivery, send_window), 0, hours_window_type),
	YM_END,
};
static const struct yamlmap_schema delivery_schema = { .fields = delivery_fields };

static const struct yamlmap_field tax_fields[] = {
	YM_STR("name", cfg_tax, name, YM_REQUIRED),
	YM_CUSTOM("rate", OFF(cfg_tax, rate), YM_REQUIRED, rate_type),
	YM_END,
};
static const struct yamlmap_schema tax_schema = {
	.noun = "tax", .fields = tax_fields, .size = sizeof(struct cfg_tax),
	.pos_off = OFF(cfg_tax, pos), .has_pos = 1,
};

static const struct yamlmap_field billing_fields[] = {
	YM_CUSTOM("currency", OFF(cfg_billing, currency), 0, currency_type),
	YM_CUSTOM("invoice_prefix", OFF(cfg_billing, invoice_prefix), 0, prefix_type),
	YM_LIST("tax", cfg_billing, taxes, nr_taxes, &tax_schema, 0),
	YM_STR("footer", cfg_billing, footer, 0),
	YM_END,
};
static const struct yamlmap_schema billing_schema = { .fields = billing_fields };

/* "ADDR:PORT": an IPv4 or IPv6 ("[::1]:8080") address and a port. */
static void load_listen(struct yamlmap *ym, yaml_node_t *value, void *dst, const char *what)
{
	const char *t = yamlmap_scalar(ym, value, what);

	if (!t)
		return;
	if (!listen_address_valid(t)) {
		yamlmap_problem(ym, value, "%s: expected ADDRESS:PORT (127.0.0.1:8080, [::1]:8080),"
				" found '%s'", what, t);
		return;
	}
	*(char **)dst = xstrdup(t);
}

static const struct yamlmap_type listen_type = { load_listen, release_str };

/* The public URL messages link to: http(s)://host[/path], kept without its last '/'. */
static void load_base_url(struct yamlmap *ym, yaml_node_t *value, void *dst, const char *what)
{
	const char *t = yamlmap_scalar(ym, value, what);
	size_t n;

	if (!t)
		return;
	n = strlen(t);
	while (n && t[n - 1] == '/')
		n--;
	if ((strncmp(t, "http://", 7) && strncmp(t, "https://", 8)) || n <= 8 ||
	    strpbrk(t, " \t\"<>?#")) {
		yamlmap_problem(ym, value, "%s: expected an http:// or https:// URL without a query,"
				" found '%s'", what, t);
		return;
	}
	*(char **)dst = xstrndup(t, n);
}

static const struct yamlmap_type base_url_type = { load_base_url, release_str };

static void load_serve_booking(struct yamlmap *ym, yaml_node_t *value, void *dst,
			       const char *what)
{
	const char *t = yamlmap_scalar(ym, value, what);

	if (t && !strcmp(t, "book"))
		*(enum serve_booking *)dst = SERVE_BOOK;
	else if (t && !strcmp(t, "request"))
		*(enum serve_booking *)dst = SERVE_REQUEST;
	else if (t)
		yamlmap_problem(ym, value, "%s: expected book or request, found '%s'", what, t);
}

static const struct yamlmap_type serve_booking_type = { load_serve_booking, NULL };

static const struct yamlmap_field serve_sms_fields[] = {
	YM_STR("from_field", cfg_serve, sms_from, YM_NONEMPTY),
	YM_STR("body_field", cfg_serve, sms_body, YM_NONEMPTY),
	YM_STR("key", cfg_serve, sms_key, YM_NONEMPTY),
	YM_END,
};
static const struct yamlmap_schema serve_sms_schema = { .fields = serve_sms_fields };

static const struct yamlmap_field serve_fields[] = {
	YM_CUSTOM("listen", OFF(cfg_serve, listen), 0, listen_type),
	YM_CUSTOM("base_url", OFF(cfg_serve, base_url), 0, base_url_type),
	YM_CUSTOM("booking", OFF(cfg_serve, booking), 0, serve_booking_type),
	YM_INT_IN("days", cfg_serve, days, 1, 366, 0),
	YM_INT_IN("post_limit", cfg_serve, post_limit, 1, 100000, 0),
	YM_SECTION("sms", 0, &serve_sms_schema, 0),
	YM_END,
};
static const struct yamlmap_schema serve_schema = { .fields = serve_fields };

/* business and roles fill appt_config's own members, hence offset 0. */
static const struct yamlmap_field root_fields[] = {
	YM_PATH("database", appt_config, database),
	YM_SECTION("business", 0, &business_schema, YM_REQUIRED),
	YM_CUSTOM("hours", OFF(appt_config, hours), 0, hours_week_type),
	YM_LIST("closures", appt_config, closures, nr_closures, &closure_schema, 0),
	YM_LIST("providers", appt_config, providers, nr_providers, &provider_schema, 0),
	YM_LIST("resources", appt_config, resources, nr_resources, &resource_schema, 0),
	YM_LIST("services", appt_config, services, nr_services, &service_schema, 0),
	YM_SECTION("policies", OFF(appt_config, policies), &policies_schema, 0),
	YM_SECTION("notices", OFF(appt_config, notices), &notices_schema, 0),
	YM_LIST("reminders", appt_config, reminders, nr_reminders, &reminder_schema, 0),
	YM_LIST("followups", appt_config, followups, nr_followups, &followup_schema, 0),
	YM_MAP("programs", appt_config, programs, nr_programs, &program_schema),
	YM_MAP("channels", appt_config, channels, nr_channels, &channel_schema),
	YM_MAP("templates", appt_config, templates, nr_templates, &template_schema),
	YM_SECTION("roles", 0, &roles_schema, 0),
	YM_SECTION("delivery", OFF(appt_config, delivery), &delivery_schema, 0),
	YM_SECTION("billing", OFF(appt_config, billing), &billing_schema, 0),
	YM_SECTION("serve", OFF(appt_config, serve), &serve_schema, 0),
	YM_END,
};
static const struct yamlmap_schema root_schema = { .fields = root_fields };

/* ---- whole-file checks -------------------------------------------------- */

static int kind_exists(const struct appt_config *cfg, const char *kind)
{
	for (size_t i = 0; i < cfg->nr_resources; i++)
		if (str_eq(cfg->resources[i].kind, kind))
			return 1;
	return 0;
}

static void check_ref(struct yamlmap *ym, const struct yamlmap_ref *r, void *data)
{
	const struct appt_config *cfg = data;

	switch (r->kind) {
	case REF_SERVICE:
		if (!config_service(cfg, r->name))
			yamlmap_problem_at(ym, r->pos, "%s names unknown service '%s'", r->what,
					   r->name);
		break;
	case REF_KIND:
		if (!kind_exists(cfg, r->name))
			yamlmap_problem_at(ym, r->pos,
					   "%s names resource kind '%s', but no resource has it",
					   r->what, r->name);
		break;
	case REF_TEMPLATE:
		if (!config_template(cfg, r->name))
			yamlmap_problem_at(ym, r->pos, "%s names unknown template '%s'", r->what,
					   r->name);
		break;
	case REF_CHANNEL:
		if (strcmp(r->name, "preferred") && strcmp(r->name, "call") &&
		    !config_channel(cfg, r->name))
			yamlmap_problem_at(ym, r->pos,
					   "%s names unknown channel '%s' (use preferred, call or a key of channels:)",
					   r->what, r->name);
		break;
	case REF_NONE:
		break;
	}
}

/* Ids that other commands look up must name one item only. */
static void check_unique(struct yamlmap *ym, const void *items, size_t nr, size_t size,
			 size_t id_off, size_t pos_off, const char *noun)
{
	for (size_t i = 0; i < nr; i++) {
		const char *item = (const char *)items + i * size;
		const char *id = *(char *const *)(item + id_off);
		const char *first = find_by(items, i, size, id_off, id);

		if (first)
			yamlmap_problem_at(ym, *(const struct cfg_pos *)(item + pos_off),
					   "duplicate %s '%s' (first at line %d)", noun, id,
					   ((const struct cfg_pos *)(first + pos_off))->line);
	}
}

/* A window that never opens would hold every message back for ever. */
static void check_window(struct yamlmap *ym, const struct cfg_window *w, const char *channel)
{
	if (!w->set || hours_window_opens(w))
		return;
	if (channel)
		yamlmap_problem_at(ym, w->pos, "'send_window' in channel '%s' never opens: give it"
				   " a day with hours, or always", channel);
	else
		yamlmap_problem_at(ym, w->pos, "'send_window' in delivery never opens: give it a"
				   " day with hours, or always");
}

#define UNIQUE(ym, arr, nr, T, idm, noun) \
	check_unique(ym, arr, nr, sizeof(struct T), OFF(T, idm), OFF(T, pos), noun)

/* What no one item can check alone. */
/* {{appointment.url}} links to appt serve, which must say where it is. */
static void check_appointment_urls(struct yamlmap *ym, const struct appt_config *cfg)
{
	for (size_t i = 0; i < cfg->nr_templates && !cfg->serve.base_url; i++) {
		const struct cfg_template *t = &cfg->templates[i];

		if (template_uses(t->subject, FIELD_APPOINTMENT_URL) ||
		    template_uses(t->body, FIELD_APPOINTMENT_URL))
			yamlmap_problem_at(ym, t->pos, "template '%s' uses {{appointment.url}}, which"
					   " needs serve.base_url (the public address of appt serve)",
					   t->name);
	}
}

static void check_config(struct yamlmap *ym, struct appt_config *cfg)
{
	UNIQUE(ym, cfg->providers, cfg->nr_providers, cfg_provider, id, "provider id");
	UNIQUE(ym, cfg->resources, cfg->nr_resources, cfg_resource, id, "resource id");
	UNIQUE(ym, cfg->services, cfg->nr_services, cfg_service, id, "service id");
	UNIQUE(ym, cfg->reminders, cfg->nr_reminders, cfg_timed_message, name, "reminder name");
	UNIQUE(ym, cfg->followups, cfg->nr_followups, cfg_timed_message, name, "followup name");
	UNIQUE(ym, cfg->billing.taxes, cfg->billing.nr_taxes, cfg_tax, name, "tax name");
	yamlmap_check_refs(ym, check_ref, cfg);
	check_appointment_urls(ym, cfg);
	check_window(ym, &cfg->delivery.send_window, NULL);
	for (size_t i = 0; i < cfg->nr_channels; i++)
		check_window(ym, &cfg->channels[i].send_window, cfg->channels[i].name);
}

/* ---- loading ------------------------------------------------------------ */

static struct appt_config *config_new(const char *path)
{
	struct appt_config *cfg = xcalloc(1, sizeof(*cfg));

	cfg->path = xstrdup(path);
	cfg->policies.booking.slot_step = 15 * 60;
	cfg->policies.booking.offer_slots = 2;
	cfg->policies.reschedule.min_notice = 24 * 3600;
	cfg->policies.cancel.min_notice = 24 * 3600;
	cfg->policies.noshow.grace = 15 * 60;
	cfg->policies.noshow.window = 365 * 86400L;
	cfg->policies.arrival.early = 3600;
	cfg->policies.request.reply_within = 24 * 3600;
	cfg->policies.waitlist.offer_hold = 2 * 3600;
	cfg->serve.days = 14;
	cfg->serve.post_limit = 30;
	cfg->delivery.max_attempts = 5;
	cfg->delivery.backoff = 5 * 60;
	cfg->delivery.lock_wait = 10;
	cfg->delivery.send_window.set = 1;
	hours_every_day("08:00-20:00", &cfg->delivery.send_window.week, NULL);
	return cfg;
}

/* String defaults come last: setting them first would leak on override. */
static void config_string_defaults(struct appt_config *cfg)
{
	if (!cfg->business.date_format)
		cfg->business.date_format = xstrdup("%A %-d %B %Y");
	if (!cfg->business.time_format)
		cfg->business.time_format = xstrdup("%H:%M");
	if (!cfg->billing.currency)
		cfg->billing.currency = xstrdup("USD");
	if (!cfg->billing.invoice_prefix)
		cfg->billing.invoice_prefix = xstrdup("INV");
	if (!cfg->serve.listen)
		cfg->serve.listen = xstrdup("127.0.0.1:8080");
	if (!cfg->serve.sms_from)
		cfg->serve.sms_from = xstrdup("From");
	if (!cfg->serve.sms_body)
		cfg->serve.sms_body = xstrdup("Body");
}

static void config_finish(struct yamlmap *ym, void *obj)
{
	config_string_defaults(obj);
	check_config(ym, obj);
}

static const struct yamlmap_file config_file = {
	.schema = &root_schema,
	.empty = "the file is empty (expected business:, services: and the rest)",
	.finish = config_finish,
};

enum appt_status config_load(const char *path, struct appt_config **out,
			     struct strlist *problems, struct appt_err *err)
{
	struct appt_config *cfg = config_new(path);
	enum appt_status status = yamlmap_load(path, &config_file, cfg, problems, err);

	*out = NULL;
	if (status == APPT_OK)
		*out = cfg;
	else
		config_free(cfg);
	return status;
}

void config_free(struct appt_config *cfg)
{
	if (!cfg)
		return;
	yamlmap_free_fields(&root_schema, cfg);
	free(cfg->path);
	free(cfg);
}

char *config_default_path(void)
{
	const char *env = getenv("APPT_CONFIG");
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *p = NULL;

	if (env && *env)
		return xstrdup(env);
	/* the XDG spec says a relative XDG_CONFIG_HOME is to be ignored */
	if (xdg && *xdg == '/')
		p = xasprintf("%s/appt/config.yaml", xdg);
	else if (home && *home)
		p = xasprintf("%s/.config/appt/config.yaml", home);
	if (p && access(p, F_OK) == 0)
		return p;
	free(p);
	return xstrdup("/etc/appt/config.yaml");
}

/* ---- lookups ------------------------------------------------------------ */

#define FIND(arr, nr, T, m, key) find_by(arr, nr, sizeof(struct T), OFF(T, m), key)

const struct cfg_service *config_service(const struct appt_config *cfg, const char *id)
{
	return FIND(cfg->services, cfg->nr_services, cfg_service, id, id);
}

const struct cfg_provider *config_provider(const struct appt_config *cfg, const char *id)
{
	return FIND(cfg->providers, cfg->nr_providers, cfg_provider, id, id);
}

const struct cfg_resource *config_resource(const struct appt_config *cfg, const char *id)
{
	return FIND(cfg->resources, cfg->nr_resources, cfg_resource, id, id);
}

const struct cfg_template *config_template(const struct appt_config *cfg, const char *name)
{
	return FIND(cfg->templates, cfg->nr_templates, cfg_template, name, name);
}

const struct cfg_channel *config_channel(const struct appt_config *cfg, const char *name)
{
	return FIND(cfg->channels, cfg->nr_channels, cfg_channel, name, name);
}

const struct cfg_program *config_program(const struct appt_config *cfg, const char *id)
{
	return FIND(cfg->programs, cfg->nr_programs, cfg_program, id, id);
}

const struct cfg_window *config_send_window(const struct appt_config *cfg,
					    const char *channel)
{
	const struct cfg_channel *ch = config_channel(cfg, channel);

	return ch && ch->send_window.set ? &ch->send_window : &cfg->delivery.send_window;
}

enum appt_status config_no_service(const struct appt_config *cfg, const char *id,
				   struct appt_err *err)
{
	struct strbuf known = STRBUF_INIT;
	enum appt_status status;

	for (size_t i = 0; i < cfg->nr_services; i++)
		strbuf_addf(&known, "%s%s", i ? ", " : "", cfg->services[i].id);
	status = appt_fail(err, APPT_NOTFOUND, "no service '%s' (services: %s)", id,
			   known.len ? known.buf : "none configured");
	strbuf_release(&known);
	return status;
}

int provider_offers(const struct cfg_provider *p, const char *service_id)
{
	return p && service_id && strlist_has(&p->services, service_id);
}

int config_is_manager(const struct appt_config *cfg, const char *login)
{
	return login && strlist_has(&cfg->managers, login);
}

const struct cfg_day_hours *config_provider_day(const struct appt_config *cfg,
						const struct cfg_provider *p, int wday)
{
	if (wday < 0 || wday > 6)
		return NULL;
	if (p && p->hours.day[wday].set)
		return &p->hours.day[wday];
	return &cfg->hours.day[wday];
}

const struct cfg_closure *config_closure_on(const struct appt_config *cfg,
					    struct appt_date date)
{
	for (size_t i = 0; i < cfg->nr_closures; i++) {
		const struct cfg_closure *c = &cfg->closures[i];

		if (date_cmp(c->from, date) <= 0 && date_cmp(date, c->to) <= 0)
			return c;
	}
	return NULL;
}
