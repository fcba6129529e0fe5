/*
 * invoice_render: an invoice or credit note as the client reads it, on
 * paper (text, for a printer or an e-mail body) or in a browser (HTML, one
 * self-contained page to print or attach).  The business's name, address
 * and phone head it and billing.footer (a tax id) ends it.
 */
#ifndef APPT_INVOICE_RENDER_H
#define APPT_INVOICE_RENDER_H

#include "config.h"
#include "invoice.h"
#include "util.h"

void invoice_render_text(const struct appt_config *cfg, const struct invoice *inv,
			 struct strbuf *out);
/* Every text from the database or the configuration is escaped. */
void invoice_render_html(const struct appt_config *cfg, const struct invoice *inv,
			 struct strbuf *out);

#endif
