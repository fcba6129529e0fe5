/*
 * template: finding and filling {{placeholder}} fields.
 *
 * Scanning and rendering share one tokenizer so that `appt config check`
 * refuses exactly what rendering would not understand.  Rendering walks the
 * template text once, left to right, and appends values without looking at
 * them: a value that itself reads "{{business.name}}" is never expanded.
 */
#include "template.h"

#include <string.h>

#include "util.h"

struct placeholder {
	size_t start; /* offset of "{{" */
	size_t end;   /* offset just past "}}" */
	const char *name;
	size_t len;
};

/*
 * The next placeholder at or after text[from].  Returns 1 when found, 0 when
 * there is none, -1 at a "{{" without "}}" (ph->start says where).
 */
static int next_placeholder(const char *text, size_t from, struct placeholder *ph)
{
	const char *open = strstr(text + from, "{{"), *close, *name, *end;

	if (!open)
		return 0;
	ph->start = (size_t)(open - text);
	if (!(close = strstr(open + 2, "}}")))
		return -1;
	for (name = open + 2; name < close && *name == ' '; name++)
		;
	for (end = close; end > name && end[-1] == ' '; end--)
		;
	ph->end = (size_t)(close + 2 - text);
	ph->name = name;
	ph->len = (size_t)(end - name);
	return 1;
}

int template_scan(const char *text,
		  void (*fn)(const char *name, size_t len, size_t offset, void *data),
		  void *data, size_t *bad)
{
	struct placeholder ph;
	size_t pos = 0;
	int found;

	while ((found = next_placeholder(text, pos, &ph)) > 0) {
		if (fn)
			fn(ph.name, ph.len, ph.start, data);
		pos = ph.end;
	}
	if (found < 0 && bad)
		*bad = ph.start;
	return found < 0 ? -1 : 0;
}

/*
 * The one list of names a template may use; enum template_field mirrors
 * its order (test_template checks that).
 */
const char *const template_placeholders[] = {
	"client.name",        "client.first_name", "appointment.date",
	"appointment.time",   "appointment.id",    "service.name",
	"provider.name",      "business.name",     "business.phone",
	"business.booking_url", "staff.name",      "last_visit.date",
	"business.address",   "hold.until",        "request.id",
	"invoice.number",     "invoice.total",     "invoice.text",
	"appointment.url",
	NULL,
};

int template_field_index(const char *name, size_t len)
{
	for (int i = 0; i < FIELD_COUNT && template_placeholders[i]; i++)
		if (strlen(template_placeholders[i]) == len &&
		    !memcmp(template_placeholders[i], name, len))
			return i;
	return -1;
}

int template_uses(const char *text, enum template_field field)
{
	struct placeholder ph;
	size_t pos = 0;

	while (text && next_placeholder(text, pos, &ph) > 0) {
		if (template_field_index(ph.name, ph.len) == (int)field)
			return 1;
		pos = ph.end;
	}
	return 0;
}

char *template_render(const char *text, const char *const values[FIELD_COUNT])
{
	struct strbuf out = STRBUF_INIT;
	struct placeholder ph;
	size_t pos = 0;
	int field;

	while (next_placeholder(text, pos, &ph) > 0) {
		strbuf_add(&out, text + pos, ph.start - pos);
		field = template_field_index(ph.name, ph.len);
		/* Config check refuses unknown names; keeping them visible beats
		 * silently dropping text if one ever gets through. */
		if (field < 0)
			strbuf_add(&out, text + ph.start, ph.end - ph.start);
		else if (values[field])
			strbuf_addstr(&out, values[field]);
		pos = ph.end;
	}
	strbuf_addstr(&out, text + pos);
	return strbuf_detach(&out);
}
