/*
 * web_pages: the layout and the pieces the routes assemble pages from.
 */
#include "web_pages.h"

#include <stdio.h>
#include <string.h>

#include "session.h"
#include "when.h"

const char web_style_css[] =
	"*{box-sizing:border-box}\n"
	"body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;"
	"color:#1d2430;background:#f6f7f9}\n"
	"header,main,footer{max-width:40rem;margin:0 auto;padding:0 1rem}\n"
	"header{padding-top:1rem}\n"
	"header a{color:inherit;text-decoration:none;font-weight:600;font-size:1.2rem}\n"
	"h1{font-size:1.4rem;margin:1rem 0 .5rem}\n"
	"h2{font-size:1.05rem;margin:1.2rem 0 .4rem}\n"
	"footer{color:#5b6573;font-size:.9rem;padding-bottom:2rem;margin-top:2rem}\n"
	"a{color:#1a5fb4}\n"
	"ul.services{list-style:none;padding:0}\n"
	"ul.services li{margin:.4rem 0}\n"
	"ul.services a{display:block;padding:.8rem;background:#fff;border:1px solid #d6dbe1;"
	"border-radius:.5rem;text-decoration:none}\n"
	"ul.services .about{display:block;color:#5b6573;font-size:.9rem}\n"
	"div.slots{display:flex;flex-wrap:wrap;gap:.5rem}\n"
	"div.slots form{margin:0}\n"
	"button,input[type=submit]{font:inherit;padding:.6rem .9rem;border-radius:.5rem;"
	"border:1px solid #1a5fb4;background:#1a5fb4;color:#fff;cursor:pointer;min-height:2.75rem}\n"
	"button.slot{background:#fff;color:#1a5fb4}\n"
	"button.secondary{background:#fff;color:#a51d2d;border-color:#a51d2d}\n"
	"label{display:block;margin:.8rem 0 .2rem;font-weight:600}\n"
	"input[type=text],input[type=tel],input[type=email]{font:inherit;width:100%;"
	"padding:.6rem;border:1px solid #9aa3ad;border-radius:.4rem;background:#fff}\n"
	"dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem;background:#fff;"
	"padding:1rem;border-radius:.5rem;border:1px solid #d6dbe1}\n"
	"dt{color:#5b6573}dd{margin:0}\n"
	"p.error{background:#fde8e8;border:1px solid #e01b24;padding:.7rem;border-radius:.4rem}\n"
	"p.done{background:#e6f4ea;border:1px solid #2ec27e;padding:.7rem;border-radius:.4rem}\n"
	".actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}\n"
	".actions form{margin:0}\n";

void page_begin(struct strbuf *sb, const struct appt_config *cfg, const char *title)
{
	strbuf_addstr(sb, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		      "<title>");
	strbuf_add_html(sb, title);
	strbuf_addstr(sb, " · ");
	strbuf_add_html(sb, cfg->business.name);
	strbuf_addstr(sb, "</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n"
		      "<body>\n<header><a href=\"/\">");
	strbuf_add_html(sb, cfg->business.name);
	strbuf_addstr(sb, "</a></header>\n<main>\n<h1>");
	strbuf_add_html(sb, title);
	strbuf_addstr(sb, "</h1>\n");
}

/* A tel: link: the number's digits and a leading '+', however it is written. */
static void tel_link(struct strbuf *sb, const char *phone)
{
	strbuf_addstr(sb, "<a href=\"tel:");
	for (const char *p = phone; *p; p++)
		if ((*p >= '0' && *p <= '9') || (*p == '+' && p == phone))
			strbuf_addch(sb, *p);
	strbuf_addstr(sb, "\">");
	strbuf_add_html(sb, phone);
	strbuf_addstr(sb, "</a>");
}

void page_end(struct strbuf *sb, const struct appt_config *cfg)
{
	strbuf_addstr(sb, "</main>\n<footer>\n<p>");
	strbuf_add_html(sb, cfg->business.name);
	if (cfg->business.address) {
		strbuf_addstr(sb, "<br>");
		strbuf_add_html(sb, cfg->business.address);
	}
	if (cfg->business.phone) {
		strbuf_addstr(sb, "<br>Phone: ");
		tel_link(sb, cfg->business.phone);
	}
	strbuf_addstr(sb, "</p>\n</footer>\n</body>\n</html>\n");
}

void page_note(struct strbuf *sb, const char *class, const char *text)
{
	strbuf_addf(sb, "<p class=\"%s\">", class);
	strbuf_add_html(sb, text);
	strbuf_addstr(sb, "</p>\n");
}

void page_phone(struct strbuf *sb, const struct appt_config *cfg)
{
	if (cfg->business.phone)
		tel_link(sb, cfg->business.phone);
	else
		strbuf_addstr(sb, "us");
}

void page_call_us(struct strbuf *sb, const struct appt_config *cfg)
{
	if (!cfg->business.phone)
		return;
	strbuf_addstr(sb, "<p>Please call us at ");
	tel_link(sb, cfg->business.phone);
	strbuf_addstr(sb, ".</p>\n");
}

void page_duration(long seconds, char *buf, size_t size)
{
	long hours = seconds / 3600;

	if (seconds % 3600 || hours == 0)
		snprintf(buf, size, "%ld minutes", seconds / 60);
	else if (hours <= 48 || hours % 24)
		snprintf(buf, size, "%ld hour%s", hours, hours == 1 ? "" : "s");
	else
		snprintf(buf, size, "%ld days", hours / 24);
}

void page_when(struct strbuf *sb, const struct appt_config *cfg, time_t t)
{
	char day[80], clock[40];

	when_strftime(t, cfg->business.date_format, day, sizeof(day));
	when_strftime(t, cfg->business.time_format, clock, sizeof(clock));
	strbuf_add_html(sb, day);
	strbuf_addstr(sb, " at ");
	strbuf_add_html(sb, clock);
}

void page_text_input(struct strbuf *sb, const char *type, const char *name, const char *label,
		     const char *value, const char *extra)
{
	strbuf_addf(sb, "<label for=\"%s\">%s</label>\n<input type=\"%s\" id=\"%s\" name=\"%s\""
		    " %s value=\"", name, label, type, name, name, extra);
	strbuf_add_html(sb, value ? value : "");
	strbuf_addstr(sb, "\">\n");
}

void page_hidden_fields(struct strbuf *sb, const char *const hidden[])
{
	for (size_t i = 0; hidden && hidden[i]; i += 2) {
		if (!hidden[i + 1])
			continue;
		strbuf_addstr(sb, "<input type=\"hidden\" name=\"");
		strbuf_add_html(sb, hidden[i]);
		strbuf_addstr(sb, "\" value=\"");
		strbuf_add_html(sb, hidden[i + 1]);
		strbuf_addstr(sb, "\">");
	}
}

static void day_heading(struct strbuf *sb, const struct appt_config *cfg, time_t t)
{
	char day[80];

	when_strftime(t, cfg->business.date_format, day, sizeof(day));
	strbuf_addstr(sb, "<h2>");
	strbuf_add_html(sb, day);
	strbuf_addstr(sb, "</h2>\n<div class=\"slots\">\n");
}

/* A slot is a form of its own: the button sends its start and provider. */
static void slot_button(struct strbuf *sb, const struct appt_config *cfg,
			const struct slot *slot, int providers, const char *action,
			const char *method, const char *const hidden[])
{
	char iso[40], clock[40];
	const struct cfg_provider *p = config_provider(cfg, slot->provider);
	const char *const own[] = { "start", iso, "provider", slot->provider, NULL };

	when_format_iso(slot->start, iso, sizeof(iso));
	when_strftime(slot->start, cfg->business.time_format, clock, sizeof(clock));
	strbuf_addf(sb, "<form method=\"%s\" action=\"", method);
	strbuf_add_html(sb, action);
	strbuf_addstr(sb, "\">");
	page_hidden_fields(sb, hidden);
	page_hidden_fields(sb, own);
	strbuf_addstr(sb, "<button class=\"slot\">");
	strbuf_add_html(sb, clock);
	if (providers > 1) {
		strbuf_addstr(sb, " · ");
		strbuf_add_html(sb, p ? p->name : slot->provider);
	}
	strbuf_addstr(sb, "</button></form>\n");
}

/* How many providers the slots name: one needs no name on every button. */
static int count_providers(const struct slot *slots, size_t nr)
{
	for (size_t i = 1; i < nr; i++)
		if (strcmp(slots[i].provider, slots[0].provider))
			return 2;
	return 1;
}

void page_slot_list(struct strbuf *sb, const struct slot *slots, size_t nr,
		    const struct appt_config *cfg, const char *action, const char *method,
		    const char *const hidden[])
{
	int providers = count_providers(slots, nr);
	struct appt_date day = { 0, 0, 0 }, d;
	int minute, wday;

	for (size_t i = 0; i < nr; i++) {
		when_to_local(slots[i].start, &d, &minute, &wday);
		if (!i || date_cmp(d, day)) {
			if (i)
				strbuf_addstr(sb, "</div>\n");
			day_heading(sb, cfg, slots[i].start);
			day = d;
		}
		slot_button(sb, cfg, &slots[i], providers, action, method, hidden);
	}
	if (nr)
		strbuf_addstr(sb, "</div>\n");
}

/* How many days of times one page shows: a phone's worth of buttons. */
#define PAGE_DAYS 4

/* How many of the slots fall on the first PAGE_DAYS days among them. */
static size_t first_days(const struct slot *slots, size_t nr)
{
	struct appt_date day = { 0, 0, 0 }, d;
	int minute, wday, days = 0;
	size_t i;

	for (i = 0; i < nr; i++) {
		when_to_local(slots[i].start, &d, &minute, &wday);
		if (!i || date_cmp(d, day)) {
			if (++days > PAGE_DAYS)
				break;
			day = d;
		}
	}
	return i;
}

static void date_link(struct strbuf *sb, const char *href, time_t t, const char *label)
{
	struct appt_date d;
	int minute, wday;
	char date[16];

	when_to_local(t, &d, &minute, &wday);
	date_format_iso(d, date, sizeof(date));
	strbuf_addf(sb, "<a href=\"%s&amp;from=%s\">%s</a>", href, date, label);
}

void page_slot_pages(struct strbuf *sb, const struct appt_session *s, const struct slot *slots,
		     size_t nr, time_t from, const char *href, const char *action,
		     const char *method, const char *const hidden[])
{
	size_t shown = first_days(slots, nr);

	page_slot_list(sb, slots, shown, s->cfg, action, method, hidden);
	if (shown == nr && from <= s->now)
		return;
	strbuf_addstr(sb, "<p class=\"pages\">");
	if (from > s->now)
		date_link(sb, href, s->now, "Earlier dates");
	if (from > s->now && shown < nr)
		strbuf_addstr(sb, " · ");
	if (shown < nr)
		date_link(sb, href, slots[shown].start, "Later dates");
	strbuf_addstr(sb, "</p>\n");
}
