/*
 * outbox_invoice: an invoice e-mailed to its client (appt invoice send):
 * notices.invoice's template with the invoice itself in {{invoice.text}},
 * keyed by the invoice alone so that it goes once.
 */
#include "outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invoice.h"
#include "invoice_render.h"
#include "money.h"
#include "outbox_priv.h"

/* The message already queued for the invoice, if any. */
static enum appt_status queued_before(struct appt_session *s, const char *key, long long *id,
				      struct appt_err *err)
{
	struct stmt *st = db_prepare(s->db, "SELECT id FROM messages WHERE key = ?");

	*id = 0;
	db_bind_text(st, 1, key);
	return db_query_int(s->db, st, id, "reading the outbox", err);
}

static enum appt_status queue_rendered(struct appt_session *s, const struct cfg_notice *n,
				       const struct invoice *inv, char *key, long long *id,
				       struct appt_err *err)
{
	struct strbuf text = STRBUF_INIT;
	char total[48], amount[32];
	struct draft d;
	enum appt_status status;

	invoice_render_text(s->cfg, inv, &text);
	money_format(inv->total, amount, sizeof(amount));
	snprintf(total, sizeof(total), "%s %s", amount, inv->currency);
	d = (struct draft){
		.kind = "notice", .name = "invoice", .client_id = inv->client_id,
		.appointment_id = inv->appointment_id, .channel = n->channel,
		.template = n->template, .due_at = s->now, .key = key,
		.invoice_id = inv->id, .invoice_number = inv->number, .invoice_total = total,
		.invoice_text = text.buf,
	};
	status = outbox_queue(s, &d, NULL, id, err);
	draft_release(&d);
	strbuf_release(&text);
	return status;
}

static enum appt_status queue_locked(struct appt_session *s, long long invoice_id,
				     long long *id, long long *already, struct appt_err *err)
{
	const struct cfg_notice *n = &s->cfg->notices.invoice;
	char *key = xasprintf("invoice:%lld", invoice_id);
	struct invoice inv;
	enum appt_status status;

	*id = *already = 0;
	if (!n->set) {
		free(key);
		return appt_fail(err, APPT_CONFIG, "notices.invoice is not set: it names the"
				 " channel and template an invoice goes by (appt-config(5))");
	}
	status = queued_before(s, key, already, err);
	if (status || *already) {
		free(key);
		return status;
	}
	status = invoice_get(s->db, invoice_id, &inv, err);
	/* a bill is a document to keep: never a text message, nor a call */
	if (!status && !inv.client_email)
		status = appt_fail(err, APPT_REFUSED, "%s has no e-mail address: print the invoice"
				   " instead (appt invoice show %s --format html)", inv.client_name,
				   inv.number);
	if (!status)
		status = queue_rendered(s, n, &inv, key, id, err);
	else
		free(key);
	invoice_release(&inv);
	return status;
}

enum appt_status outbox_queue_invoice(struct appt_session *s, long long invoice_id,
				      long long *id, long long *already, struct appt_err *err)
{
	enum appt_status status = db_begin_write(s->db, err);

	*id = *already = 0;
	if (!status)
		status = db_finish_write(s->db, queue_locked(s, invoice_id, id, already, err),
					 err);
	return status;
}
