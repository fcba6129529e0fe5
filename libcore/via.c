#include "via.h"

#include <string.h>

static const char *const via_names[VIA_COUNT] = {
	[VIA_CALL] = "call",       [VIA_SMS] = "sms",
	[VIA_EMAIL] = "email",     [VIA_IN_PERSON] = "in-person",
	[VIA_ONLINE] = "online",   [VIA_WALK_IN] = "walk-in",
};

const char *via_name(enum via v)
{
	return v < VIA_COUNT ? via_names[v] : "?";
}

/* The way a word names, or VIA_COUNT for none. */
static enum via via_lookup(const char *word)
{
	/* "phone" is what the desk says for a call: one word in the database. */
	if (!strcmp(word, "phone"))
		return VIA_CALL;
	for (int v = 0; v < VIA_COUNT; v++)
		if (!strcmp(word, via_names[v]))
			return (enum via)v;
	return VIA_COUNT;
}

void via_describe(unsigned allowed, struct strbuf *sb)
{
	int left = 0;

	for (int v = 0; v < VIA_COUNT; v++)
		left += (allowed & VIA_BIT(v)) != 0;
	for (int v = 0; v < VIA_COUNT; v++) {
		if (!(allowed & VIA_BIT(v)))
			continue;
		strbuf_addstr(sb, via_names[v]);
		left--;
		if (left)
			strbuf_addstr(sb, left == 1 ? " or " : ", ");
	}
}

enum appt_status via_parse(const char *word, unsigned allowed,
			   const char **canonical, struct appt_err *err)
{
	enum via v = via_lookup(word ? word : "");
	struct strbuf takes = STRBUF_INIT;
	enum appt_status status = APPT_OK;

	if (v < VIA_COUNT && (allowed & VIA_BIT(v))) {
		*canonical = via_names[v];
		return APPT_OK;
	}
	via_describe(allowed, &takes);
	if (v == VIA_COUNT)
		status = appt_fail(err, APPT_DATAERR, "invalid value '%s' for --via (expected %s)",
				   word ? word : "", strbuf_str(&takes));
	else
		status = appt_fail(err, APPT_DATAERR, "--via %s does not apply here (expected %s)",
				   word, strbuf_str(&takes));
	strbuf_release(&takes);
	return status;
}
