#include "invoice_render.h"

#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "when.h"

#define TEXT_WIDTH 44   /* the label column of a text invoice */
#define AMOUNT_WIDTH 14

/* One labelled amount of the document, in the order printed. */
struct row {
	char *label;
	long long amount;
	int total; /* a sum: set apart from the lines above it */
};

struct rows {
	struct row *items;
	size_t nr, alloc;
};

static void add_row(struct rows *r, const char *label, long long amount, int total)
{
	ALLOC_GROW(r->items, r->nr + 1, r->alloc);
	r->items[r->nr++] = (struct row){ xstrdup(label), amount, total };
}

static void add_lines(struct rows *r, const struct invoice *inv, const char *kind)
{
	for (size_t i = 0; i < inv->nr_lines; i++)
		if (!strcmp(inv->lines[i].kind, kind))
			add_row(r, inv->lines[i].text, inv->lines[i].amount, 0);
}

/*
 * What was sold, its subtotal, the discount, each tax, the total in the
 * currency, and for a live invoice what is paid and due.
 */
static void build_rows(const struct invoice *inv, struct rows *r)
{
	char *total = xasprintf("Total %s", inv->currency);

	add_lines(r, inv, "service");
	add_lines(r, inv, "item");
	add_row(r, "Subtotal", inv->subtotal, 1);
	add_lines(r, inv, "discount");
	add_lines(r, inv, "tax");
	add_row(r, total, inv->total, 1);
	if (!strcmp(inv->kind, "invoice") && !inv->voided_by) {
		add_row(r, "Paid", inv->paid, 0);
		add_row(r, "Due", inv->total - inv->paid, 1);
	}
	free(total);
}

static void release_rows(struct rows *r)
{
	for (size_t i = 0; i < r->nr; i++)
		free(r->items[i].label);
	free(r->items);
}

/* The document's title: what kind, which number, and what it cancels. */
static char *title(const struct invoice *inv)
{
	if (!strcmp(inv->kind, "credit"))
		return xasprintf("Credit note %s (cancels %s)", inv->number,
				 inv->cancels_number ? inv->cancels_number : "?");
	return xasprintf("Invoice %s", inv->number);
}

/* "Consultation with kim, Tuesday 2 March 2027 10:00 (appointment #1)" */
static char *what_for(const struct appt_config *cfg, const struct invoice *inv)
{
	const struct cfg_service *svc = inv->service ? config_service(cfg, inv->service) : NULL;
	const struct cfg_provider *p = inv->provider ? config_provider(cfg, inv->provider) : NULL;
	char day[80], clock[16];

	if (!inv->appointment_id)
		return NULL;
	when_strftime(inv->start, cfg->business.date_format, day, sizeof(day));
	when_strftime(inv->start, cfg->business.time_format, clock, sizeof(clock));
	return xasprintf("%s with %s, %s %s (appointment #%lld)",
			 svc ? svc->name : inv->service, p ? p->name : inv->provider, day, clock,
			 inv->appointment_id);
}

/* ---- text ---- */

/* How much of s fits one line of the label column: broken at a space when it can. */
static size_t line_of(const char *s, size_t *width)
{
	size_t fit = utf8_fit(s, TEXT_WIDTH, width), cut = fit;

	if (!s[fit])
		return fit;
	while (cut > 0 && s[cut] != ' ')
		cut--;
	if (!cut)
		return fit;
	{
		char *head = xstrndup(s, cut);

		*width = utf8_width(head);
		free(head);
	}
	return cut;
}

/* A label too long for its column goes on over the next lines, never cut. */
static void text_row(struct strbuf *out, const char *label, long long amount)
{
	char money[32];
	size_t width, len = line_of(label, &width);

	money_format(amount, money, sizeof(money));
	strbuf_addf(out, "  %.*s%*s%*s\n", (int)len, label, (int)(TEXT_WIDTH - width), "",
		    AMOUNT_WIDTH, money);
	for (label += len; *label; label += len) {
		while (*label == ' ')
			label++;
		len = line_of(label, &width);
		strbuf_addf(out, "    %.*s\n", (int)len, label);
	}
}

static void text_head(const struct appt_config *cfg, const struct invoice *inv,
		      struct strbuf *out)
{
	char issued[16], *t = title(inv), *why = what_for(cfg, inv);
	struct appt_date d;

	strbuf_addf(out, "%s\n", cfg->business.name);
	if (cfg->business.address)
		strbuf_addf(out, "%s\n", cfg->business.address);
	if (cfg->business.phone)
		strbuf_addf(out, "%s\n", cfg->business.phone);
	when_to_local(inv->issued_at, &d, NULL, NULL);
	date_format_iso(d, issued, sizeof(issued));
	strbuf_addf(out, "\n%s\nIssued: %s\nBilled to: %s\n", t, issued, inv->client_name);
	if (why)
		strbuf_addf(out, "For: %s\n", why);
	if (inv->reason)
		strbuf_addf(out, "Reason: %s\n", inv->reason);
	strbuf_addstr(out, "\n");
	free(t);
	free(why);
}

void invoice_render_text(const struct appt_config *cfg, const struct invoice *inv,
			 struct strbuf *out)
{
	struct rows r = { NULL, 0, 0 };

	text_head(cfg, inv, out);
	build_rows(inv, &r);
	for (size_t i = 0; i < r.nr; i++) {
		if (r.items[i].total)
			strbuf_addf(out, "  %*s\n", TEXT_WIDTH + AMOUNT_WIDTH, "----------");
		text_row(out, r.items[i].label, r.items[i].amount);
	}
	release_rows(&r);
	if (inv->voided_by)
		strbuf_addf(out, "\nVOID: cancelled by credit note %s\n", inv->voided_by);
	if (cfg->billing.footer)
		strbuf_addf(out, "\n%s\n", cfg->billing.footer);
}

/* ---- HTML ---- */

static void html_text(struct strbuf *out, const char *tag, const char *text)
{
	strbuf_addf(out, "<%s>", tag);
	strbuf_add_html(out, text);
	strbuf_addf(out, "</%s>\n", tag);
}

/* "<p>For: ...</p>", nothing when there is no text. */
static void html_labelled(struct strbuf *out, const char *label, const char *text)
{
	if (!text)
		return;
	strbuf_addf(out, "<p>%s: ", label);
	strbuf_add_html(out, text);
	strbuf_addstr(out, "</p>\n");
}

static void html_head(const struct appt_config *cfg, const struct invoice *inv,
		      struct strbuf *out)
{
	char issued[16], *t = title(inv), *why = what_for(cfg, inv);
	struct appt_date d;

	strbuf_addstr(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
	html_text(out, "title", t);
	strbuf_addstr(out, "<style>body{font-family:sans-serif;max-width:40em;margin:1em auto;"
		      "padding:0 1em}table{width:100%;border-collapse:collapse}"
		      "td.amount{text-align:right;white-space:nowrap}"
		      "tr.total td{border-top:1px solid #000;font-weight:bold}</style>\n"
		      "</head>\n<body>\n<header>\n");
	html_text(out, "h1", cfg->business.name);
	if (cfg->business.address)
		html_text(out, "p", cfg->business.address);
	if (cfg->business.phone)
		html_text(out, "p", cfg->business.phone);
	strbuf_addstr(out, "</header>\n");
	html_text(out, "h2", t);
	when_to_local(inv->issued_at, &d, NULL, NULL);
	date_format_iso(d, issued, sizeof(issued));
	html_labelled(out, "Issued", issued);
	html_labelled(out, "Billed to", inv->client_name);
	html_labelled(out, "For", why);
	html_labelled(out, "Reason", inv->reason);
	free(t);
	free(why);
}

/* The footer line by line, as the text form prints it. */
static void html_footer(struct strbuf *out, const char *footer)
{
	strbuf_addstr(out, "<footer>\n");
	for (const char *line = footer; *line;) {
		size_t len = strcspn(line, "\n");
		char *one = xstrndup(line, len);

		html_text(out, "p", one);
		free(one);
		line += len + (line[len] == '\n');
	}
	strbuf_addstr(out, "</footer>\n");
}

void invoice_render_html(const struct appt_config *cfg, const struct invoice *inv,
			 struct strbuf *out)
{
	struct rows r = { NULL, 0, 0 };
	char money[32];

	html_head(cfg, inv, out);
	build_rows(inv, &r);
	strbuf_addstr(out, "<table>\n");
	for (size_t i = 0; i < r.nr; i++) {
		money_format(r.items[i].amount, money, sizeof(money));
		strbuf_addstr(out, r.items[i].total ? "<tr class=\"total\"><td>" : "<tr><td>");
		strbuf_add_html(out, r.items[i].label);
		strbuf_addf(out, "</td><td class=\"amount\">%s</td></tr>\n", money);
	}
	strbuf_addstr(out, "</table>\n");
	release_rows(&r);
	if (inv->voided_by)
		strbuf_addf(out, "<p><strong>VOID</strong>: cancelled by credit note %s</p>\n",
			    inv->voided_by);
	if (cfg->billing.footer)
		html_footer(out, cfg->billing.footer);
	strbuf_addstr(out, "</body>\n</html>\n");
}
