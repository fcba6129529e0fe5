/*
 * web_pages: the HTML of appt serve — one layout (the business's name,
 * address and phone on every page), forms that work without JavaScript,
 * and a style sheet readable on a 360-pixel phone.  Every text that comes
 * from the configuration or the database goes through strbuf_add_html.
 */
#ifndef APPT_WEB_PAGES_H
#define APPT_WEB_PAGES_H

#include "config.h"
#include "session.h"
#include "slots.h"
#include "util.h"

void page_begin(struct strbuf *sb, const struct appt_config *cfg, const char *title);
void page_end(struct strbuf *sb, const struct appt_config *cfg);

/* <p class="CLASS">TEXT</p>, escaped; class "error" or "done". */
void page_note(struct strbuf *sb, const char *class, const char *text);
/* The business's phone as a tel: link ("us" without business.phone). */
void page_phone(struct strbuf *sb, const struct appt_config *cfg);
/* "Please call us at PHONE." (or nothing without business.phone). */
void page_call_us(struct strbuf *sb, const struct appt_config *cfg);

/* Hidden inputs, from name/value pairs ending in NULL (a NULL value is left out). */
void page_hidden_fields(struct strbuf *sb, const char *const hidden[]);
/*
 * A labelled input: type, name (also its id) and label are the page's own
 * words, value is escaped, extra is attributes ("required maxlength=...").
 */
void page_text_input(struct strbuf *sb, const char *type, const char *name, const char *label,
		     const char *value, const char *extra);

/* The style sheet, served at /style.css. */
extern const char web_style_css[];

/*
 * Free slots grouped by day, each a button of its own form sending start
 * (ISO 8601) and provider to action, with the hidden fields given
 * (name/value pairs, NULL-terminated; a NULL value is left out) by method
 * ("get" or "post").
 */
void page_slot_list(struct strbuf *sb, const struct slot *slots, size_t nr,
		    const struct appt_config *cfg, const char *action, const char *method,
		    const char *const hidden[]);

/* A notice period as a client reads it: "90 minutes", "24 hours", "3 days". */
void page_duration(long seconds, char *buf, size_t size);

/*
 * page_slot_list of the first days of slots (a phone's worth), with links
 * to earlier dates (when from, the first day asked for, is after now) and
 * later ones: href&amp;from=YYYY-MM-DD, href already HTML-escaped.
 */
void page_slot_pages(struct strbuf *sb, const struct appt_session *s, const struct slot *slots,
		     size_t nr, time_t from, const char *href, const char *action,
		     const char *method, const char *const hidden[]);

/* "Tuesday 2 March 2027 at 10:00", in the business's formats. */
void page_when(struct strbuf *sb, const struct appt_config *cfg, time_t t);

#endif
