/*
 * schema: what builds each schema version, in order.  migrate.c applies
 * schema_steps[v] to move a file from user_version v to v + 1.  Never edit
 * a released step: add a new one.
 */
#ifndef APPT_SCHEMA_H
#define APPT_SCHEMA_H

#include <stddef.h>

/* One change to the text of a table's CREATE statement in sqlite_schema. */
struct schema_edit {
	const char *table;
	const char *from;
	const char *to;
};

/* A step runs its SQL, then its edits (either may be absent). */
struct schema_step {
	const char *sql;
	const struct schema_edit *edits;
	size_t nr_edits;
};

/*
 * CHECK (x IN ('a', 'b', 'c')): SQLite evaluates a list of more than two
 * constants by building a temporary b-tree on every run of a statement:
 * every row, for the INSERT that writes one, which cost an import more than
 * the row itself.  The same rules as chains of OR are
 * plain comparisons.  Every stored row obeys both forms, so only the text
 * changes: SQLite documents editing sqlite_schema for such a change.
 */
static const struct schema_edit check_in_lists[] = {
	{ "clients", "CHECK (channel IN ('sms','email','call'))",
	  "CHECK (channel = 'sms' OR channel = 'email' OR channel = 'call')" },
	{ "appointments",
	  "CHECK (status IN    ('booked','confirmed','waiting','in-progress','done','cancelled','no-show'))",
	  "CHECK (status = 'booked' OR status = 'confirmed' OR status = 'waiting'"
	  " OR status = 'in-progress' OR status = 'done' OR status = 'cancelled'"
	  " OR status = 'no-show')" },
	{ "messages",
	  "CHECK (kind IN    ('notice','reminder','deadline','followup','outreach'))",
	  "CHECK (kind = 'notice' OR kind = 'reminder' OR kind = 'deadline'"
	  " OR kind = 'followup' OR kind = 'outreach')" },
	{ "messages",
	  "CHECK (status IN    ('pending','sending','sent','failed','uncertain','void','open','closed'))",
	  "CHECK (status = 'pending' OR status = 'sending' OR status = 'sent'"
	  " OR status = 'failed' OR status = 'uncertain' OR status = 'void'"
	  " OR status = 'open' OR status = 'closed')" },
	{ "contacts", "CHECK (via IN ('call','sms','email','in-person'))",
	  "CHECK (via = 'call' OR via = 'sms' OR via = 'email' OR via = 'in-person')" },
	{ "contacts", "CHECK (outcome IN ('reached','voicemail','no-answer','other'))",
	  "CHECK (outcome = 'reached' OR outcome = 'voicemail'"
	  " OR outcome = 'no-answer' OR outcome = 'other')" },
};

/*
 * Step 5, the same on both stores but for the column types (ID(table):
 * the id column's; integer; text):
 *
 * appointments: hold_until is when a 'held' appointment lapses unless
 * confirmed (appt remind releases it); series_id ties the occurrences of
 * book --repeat together (series: how often, for how long).
 *
 * requests: what a client asked for before a time was agreed (seed 002
 * §5): reply_by is the deadline of policies.request.reply_within; an
 * answer names the appointment it booked.
 *
 * waitlist: clients waiting for a time; freed_slots: the times a cancel,
 * move, lapsed hold or no-show gave back, each offered to one matching
 * entry at a time (offer_id: the hold placed for that client, entry_id:
 * whose), every offer made kept in waitlist_offers so that nobody hears
 * of one slot twice.
 *
 * messages: request_id names the request a notice or call task is about;
 * kind 'request' is the call task of a request left unanswered too long.
 */
#define SQLITE_ID(table) "INTEGER PRIMARY KEY"
#define SCHEMA_STEP_5(ID, INT, TEXT) \
	"CREATE TABLE series (" \
	"  id " ID("series") "," \
	"  client_id " INT " NOT NULL REFERENCES clients(id)," \
	"  service " TEXT " NOT NULL," \
	"  every " TEXT " NOT NULL," \
	"  created_at " INT " NOT NULL," \
	"  actor " TEXT " NOT NULL" \
	");" \
	"ALTER TABLE appointments ADD COLUMN hold_until " INT ";" \
	"ALTER TABLE appointments ADD COLUMN series_id " INT " REFERENCES series(id);" \
	"CREATE INDEX appointments_series ON appointments(series_id, start_at)" \
	"  WHERE series_id IS NOT NULL;" \
	"CREATE INDEX appointments_held ON appointments(hold_until) WHERE status = 'held';" \
	"CREATE TABLE requests (" \
	"  id " ID("requests") "," \
	"  client_id " INT " NOT NULL REFERENCES clients(id)," \
	"  service " TEXT " NOT NULL," \
	"  provider " TEXT "," \
	"  prefer " TEXT "," \
	"  days " TEXT "," \
	"  times " TEXT "," \
	"  via " TEXT "," \
	"  note " TEXT "," \
	"  taken_by " TEXT " NOT NULL," \
	"  created_at " INT " NOT NULL," \
	"  reply_by " INT " NOT NULL," \
	"  status " TEXT " NOT NULL DEFAULT 'open'" \
	"    CHECK (status = 'open' OR status = 'answered' OR status = 'declined')," \
	"  appointment_id " INT " REFERENCES appointments(id)," \
	"  closed_at " INT "," \
	"  closed_by " TEXT "," \
	"  decline_reason " TEXT \
	");" \
	"CREATE INDEX requests_open ON requests(status, reply_by);" \
	"CREATE INDEX requests_client ON requests(client_id);" \
	"CREATE TABLE waitlist (" \
	"  id " ID("waitlist") "," \
	"  client_id " INT " NOT NULL REFERENCES clients(id)," \
	"  service " TEXT " NOT NULL," \
	"  provider " TEXT "," \
	"  from_day " TEXT "," \
	"  to_day " TEXT "," \
	"  days " TEXT "," \
	"  times " TEXT "," \
	"  note " TEXT "," \
	"  created_at " INT " NOT NULL," \
	"  actor " TEXT " NOT NULL," \
	"  status " TEXT " NOT NULL DEFAULT 'open'" \
	"    CHECK (status = 'open' OR status = 'booked' OR status = 'removed')," \
	"  appointment_id " INT " REFERENCES appointments(id)," \
	"  closed_at " INT "," \
	"  closed_by " TEXT "," \
	"  close_reason " TEXT \
	");" \
	"CREATE INDEX waitlist_open ON waitlist(status, id);" \
	"CREATE INDEX waitlist_client ON waitlist(client_id);" \
	"CREATE TABLE freed_slots (" \
	"  id " ID("freed_slots") "," \
	"  provider " TEXT " NOT NULL," \
	"  resource " TEXT "," \
	"  start_at " INT " NOT NULL," \
	"  end_at " INT " NOT NULL," \
	"  cause " TEXT " NOT NULL," \
	"  appointment_id " INT " REFERENCES appointments(id)," \
	"  created_at " INT " NOT NULL," \
	"  status " TEXT " NOT NULL DEFAULT 'open'" \
	"    CHECK (status = 'open' OR status = 'offered' OR status = 'taken' OR status = 'closed')," \
	"  offer_id " INT " REFERENCES appointments(id)," \
	"  entry_id " INT " REFERENCES waitlist(id)" \
	");" \
	"CREATE INDEX freed_slots_open ON freed_slots(status, start_at);" \
	"CREATE INDEX freed_slots_offer ON freed_slots(offer_id) WHERE offer_id IS NOT NULL;" \
	"CREATE TABLE waitlist_offers (" \
	"  id " ID("waitlist_offers") "," \
	"  entry_id " INT " NOT NULL REFERENCES waitlist(id)," \
	"  slot_id " INT " NOT NULL REFERENCES freed_slots(id)," \
	"  appointment_id " INT " NOT NULL REFERENCES appointments(id)," \
	"  at " INT " NOT NULL," \
	"  UNIQUE (entry_id, slot_id)" \
	");" \
	"ALTER TABLE messages ADD COLUMN request_id " INT " REFERENCES requests(id);" \
	"CREATE INDEX messages_request ON messages(request_id) WHERE request_id IS NOT NULL;"

/*
 * Step 6, billing (the same on both stores but for the column types, as
 * step 5; the triggers that keep issued documents unchanged are each
 * store's own):
 *
 * invoices: an invoice or a credit note ('credit', cancels naming the
 * invoice it voids), numbered without gaps per year (seq within year,
 * number as printed), billed_to and its figures in cents as issued; never
 * changed but for client_id, which follows a merge of duplicate records.
 * invoice_lines: what it lists, in order: the service, items, the
 * discount (negative), each tax (rate in millionths: 8.5% is 85000).
 *
 * payments: money received from a client, never changed (but for
 * client_id, as an invoice's) nor deleted; allocations:
 * which open item (an invoice or a fee) each payment paid, the rest of a
 * payment being the client's credit.  An allocation is bookkeeping, not
 * history: voiding what it paid releases it back to credit.
 *
 * charges: a waived fee keeps its amount; waived_amount is the part
 * forgiven (what was unpaid when it was waived).
 *
 * messages: invoice_id names the invoice an e-mail sends.
 */
#define SCHEMA_STEP_6(ID, INT, TEXT) \
	"CREATE TABLE invoices (" \
	"  id " ID("invoices") "," \
	"  number " TEXT " NOT NULL UNIQUE," \
	"  year " INT " NOT NULL," \
	"  seq " INT " NOT NULL," \
	"  kind " TEXT " NOT NULL CHECK (kind = 'invoice' OR kind = 'credit')," \
	"  appointment_id " INT " REFERENCES appointments(id)," \
	"  client_id " INT " NOT NULL REFERENCES clients(id)," \
	"  billed_to " TEXT " NOT NULL," \
	"  cancels " INT " REFERENCES invoices(id)," \
	"  currency " TEXT " NOT NULL," \
	"  subtotal " INT " NOT NULL," \
	"  discount " INT " NOT NULL," \
	"  tax " INT " NOT NULL," \
	"  total " INT " NOT NULL," \
	"  issued_at " INT " NOT NULL," \
	"  actor " TEXT " NOT NULL," \
	"  reason " TEXT "," \
	"  UNIQUE (year, seq)," \
	"  CHECK ((kind = 'credit') = (cancels IS NOT NULL))" \
	");" \
	"CREATE UNIQUE INDEX invoices_cancels ON invoices(cancels) WHERE cancels IS NOT NULL;" \
	"CREATE INDEX invoices_client ON invoices(client_id, issued_at);" \
	"CREATE INDEX invoices_appointment ON invoices(appointment_id);" \
	"CREATE INDEX invoices_issued ON invoices(issued_at);" \
	"CREATE TABLE invoice_lines (" \
	"  id " ID("invoice_lines") "," \
	"  invoice_id " INT " NOT NULL REFERENCES invoices(id)," \
	"  line " INT " NOT NULL," \
	"  kind " TEXT " NOT NULL" \
	"    CHECK (kind = 'service' OR kind = 'item' OR kind = 'discount' OR kind = 'tax')," \
	"  text " TEXT " NOT NULL," \
	"  amount " INT " NOT NULL," \
	"  rate " INT "," \
	"  UNIQUE (invoice_id, line)" \
	");" \
	"CREATE TABLE payments (" \
	"  id " ID("payments") "," \
	"  client_id " INT " NOT NULL REFERENCES clients(id)," \
	"  amount " INT " NOT NULL CHECK (amount > 0)," \
	"  method " TEXT " NOT NULL" \
	"    CHECK (method = 'cash' OR method = 'card' OR method = 'transfer' OR method = 'other')," \
	"  ref " TEXT "," \
	"  invoice_id " INT " REFERENCES invoices(id)," \
	"  at " INT " NOT NULL," \
	"  actor " TEXT " NOT NULL" \
	");" \
	"CREATE INDEX payments_client ON payments(client_id, at);" \
	"CREATE INDEX payments_at ON payments(at);" \
	"CREATE TABLE allocations (" \
	"  id " ID("allocations") "," \
	"  payment_id " INT " NOT NULL REFERENCES payments(id)," \
	"  invoice_id " INT " REFERENCES invoices(id)," \
	"  charge_id " INT " REFERENCES charges(id)," \
	"  amount " INT " NOT NULL CHECK (amount > 0)," \
	"  at " INT " NOT NULL," \
	"  CHECK ((invoice_id IS NULL) <> (charge_id IS NULL))" \
	");" \
	"CREATE INDEX allocations_payment ON allocations(payment_id);" \
	"CREATE INDEX allocations_invoice ON allocations(invoice_id) WHERE invoice_id IS NOT NULL;" \
	"CREATE INDEX allocations_charge ON allocations(charge_id) WHERE charge_id IS NOT NULL;" \
	"ALTER TABLE charges ADD COLUMN waived_at " INT ";" \
	"ALTER TABLE charges ADD COLUMN waived_by " TEXT ";" \
	"ALTER TABLE charges ADD COLUMN waive_reason " TEXT ";" \
	"ALTER TABLE charges ADD COLUMN waived_amount " INT ";" \
	"ALTER TABLE messages ADD COLUMN invoice_id " INT " REFERENCES invoices(id);" \
	"CREATE INDEX messages_invoice ON messages(invoice_id) WHERE invoice_id IS NOT NULL;"

/*
 * 6 -> 7: clients act for themselves (appt serve).  An access token is the
 * authority of one link: an appointment's page, or a provider's calendar
 * feed.  Only its SHA-256 is kept, so a copy of the database opens no
 * appointment's page.  texts_stopped_at is when a client texted STOP: no
 * SMS goes to them until they text START.
 */
#define SCHEMA_STEP_7(ID, INT, TEXT) \
	"CREATE TABLE access_tokens (" \
	"  id " ID("access_tokens") "," \
	"  hash " TEXT " NOT NULL UNIQUE," \
	"  kind " TEXT " NOT NULL CHECK (kind = 'appointment' OR kind = 'feed')," \
	"  appointment_id " INT " REFERENCES appointments(id)," \
	"  provider " TEXT "," \
	"  created_at " INT " NOT NULL," \
	"  CHECK ((kind = 'appointment') = (appointment_id IS NOT NULL))," \
	"  CHECK ((kind = 'feed') = (provider IS NOT NULL))" \
	");" \
	"CREATE INDEX access_tokens_appointment ON access_tokens(appointment_id);" \
	"CREATE INDEX access_tokens_provider ON access_tokens(provider) WHERE provider IS NOT NULL;" \
	"ALTER TABLE clients ADD COLUMN texts_stopped_at " INT ";"

/* What of an issued document may never change: all but its client_id. */
#define INVOICE_FIXED "number, year, seq, kind, appointment_id, billed_to, cancels, currency," \
	" subtotal, discount, tax, total, issued_at, actor, reason"
#define INVOICE_LINE_FIXED "id, invoice_id, line, kind, text, amount, rate"
#define PAYMENT_FIXED "id, amount, method, ref, invoice_id, at, actor"

#define SQLITE_REFUSE(name, when, table, why) \
	"CREATE TRIGGER " name " BEFORE " when " ON " table \
	"  BEGIN SELECT RAISE(ABORT, '" why "'); END;"
#define INVOICE_WHY "an issued invoice is never changed"
#define PAYMENT_WHY "a payment is never changed"
#define SQLITE_BILLING_TRIGGERS \
	SQLITE_REFUSE("invoices_no_update", "UPDATE OF id, " INVOICE_FIXED, "invoices", INVOICE_WHY) \
	SQLITE_REFUSE("invoices_no_delete", "DELETE", "invoices", INVOICE_WHY) \
	SQLITE_REFUSE("invoice_lines_no_update", "UPDATE OF " INVOICE_LINE_FIXED, "invoice_lines", \
		      INVOICE_WHY) \
	SQLITE_REFUSE("invoice_lines_no_delete", "DELETE", "invoice_lines", INVOICE_WHY) \
	SQLITE_REFUSE("payments_no_update", "UPDATE OF " PAYMENT_FIXED, "payments", PAYMENT_WHY) \
	SQLITE_REFUSE("payments_no_delete", "DELETE", "payments", PAYMENT_WHY)

/* 4 -> 5: 'held' among the states, 'request' among the kinds of message. */
static const struct schema_edit held_states[] = {
	{ "appointments", " OR status = 'no-show')",
	  " OR status = 'no-show' OR status = 'held')" },
	{ "messages", " OR kind = 'followup' OR kind = 'outreach')",
	  " OR kind = 'followup' OR kind = 'outreach' OR kind = 'request')" },
};

static const struct schema_step schema_steps[] = {
	/* 0 -> 1: the booking desk. */
	{
	"CREATE TABLE clients ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL CHECK (name <> ''),"
	"  phone TEXT,"
	"  email TEXT,"
	"  channel TEXT NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms','email','call')),"
	"  program TEXT,"
	"  program_ended_at INTEGER,"
	"  external_id TEXT UNIQUE,"
	"  blocked INTEGER NOT NULL DEFAULT 0,"
	"  blocked_reason TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	");"
	"CREATE INDEX clients_name ON clients(name COLLATE NOCASE);"
	"CREATE INDEX clients_email ON clients(email COLLATE NOCASE);"
	"CREATE INDEX clients_phone ON clients(phone);"
	"CREATE TABLE client_notes ("
	"  id INTEGER PRIMARY KEY,"
	"  client_id INTEGER NOT NULL REFERENCES clients(id),"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  text TEXT NOT NULL"
	");"
	"CREATE INDEX client_notes_client ON client_notes(client_id);"
	/*
	 * busy_from/busy_to include the service's buffers: they are what
	 * overlap checks compare.  local_start and zone keep what the desk
	 * booked, so a tzdata change can be repaired from them.
	 */
	"CREATE TABLE appointments ("
	"  id INTEGER PRIMARY KEY,"
	"  client_id INTEGER NOT NULL REFERENCES clients(id),"
	"  service TEXT NOT NULL,"
	"  provider TEXT NOT NULL,"
	"  resource TEXT,"
	"  start_at INTEGER NOT NULL,"
	"  end_at INTEGER NOT NULL,"
	"  busy_from INTEGER NOT NULL,"
	"  busy_to INTEGER NOT NULL,"
	"  local_start TEXT NOT NULL,"
	"  zone TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'booked' CHECK (status IN"
	"    ('booked','confirmed','waiting','in-progress','done','cancelled','no-show')),"
	"  via TEXT,"
	"  note TEXT,"
	"  confirmed_at INTEGER,"
	"  confirmed_via TEXT,"
	"  reschedules INTEGER NOT NULL DEFAULT 0,"
	"  late_cancel INTEGER NOT NULL DEFAULT 0,"
	"  cancel_reason TEXT,"
	"  cancelled_by TEXT,"
	"  external_id TEXT UNIQUE,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  CHECK (end_at > start_at AND busy_from <= start_at AND busy_to >= end_at)"
	");"
	"CREATE INDEX appointments_provider ON appointments(provider, busy_from);"
	"CREATE INDEX appointments_resource ON appointments(resource, busy_from);"
	"CREATE INDEX appointments_client ON appointments(client_id, start_at);"
	"CREATE INDEX appointments_start ON appointments(start_at);"
	"CREATE TABLE blocks ("
	"  id INTEGER PRIMARY KEY,"
	"  provider TEXT NOT NULL,"
	"  from_at INTEGER NOT NULL,"
	"  to_at INTEGER NOT NULL,"
	"  reason TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  CHECK (to_at > from_at)"
	");"
	"CREATE INDEX blocks_provider ON blocks(provider, from_at);"
	"CREATE TABLE charges ("
	"  id INTEGER PRIMARY KEY,"
	"  appointment_id INTEGER NOT NULL REFERENCES appointments(id),"
	"  client_id INTEGER NOT NULL REFERENCES clients(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('late-cancel','no-show')),"
	"  amount INTEGER NOT NULL CHECK (amount >= 0),"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL"
	");"
	"CREATE INDEX charges_client ON charges(client_id, at);"
	/* The audit log: who did what, when, with the row before and after. */
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  entity TEXT NOT NULL,"
	"  entity_id INTEGER NOT NULL,"
	"  action TEXT NOT NULL,"
	"  before TEXT,"
	"  after TEXT,"
	"  reason TEXT,"
	"  forced INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX events_entity ON events(entity, entity_id, id);"
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	/* Appointments are history: a cancelled one is a state, never a gap. */
	"CREATE TRIGGER appointments_no_delete BEFORE DELETE ON appointments"
	"  BEGIN SELECT RAISE(ABORT, 'appointments are never deleted'); END;",
	  NULL, 0 },

	/*
	 * 1 -> 2: messages.  placed_at is when the desk last put the
	 * appointment at its time (book, reschedule): a reminder or a
	 * confirmation deadline that fell due before then is not sent.
	 * done_at starts the follow-ups and the program outreach clock.
	 */
	{
	"ALTER TABLE appointments ADD COLUMN placed_at INTEGER;"
	"UPDATE appointments SET placed_at = created_at;"
	"ALTER TABLE appointments ADD COLUMN done_at INTEGER;"
	"UPDATE appointments SET done_at = updated_at WHERE status = 'done';"
	"CREATE INDEX appointments_done ON appointments(done_at) WHERE done_at IS NOT NULL;"
	/*
	 * The outbox.  key is unique: queuing the same message twice is a
	 * no-op, which is what makes every run of appt remind idempotent.
	 * A call task is a row on channel 'call' whose status is open until
	 * appt log --task closes it.
	 */
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL UNIQUE,"
	"  kind TEXT NOT NULL CHECK (kind IN"
	"    ('notice','reminder','deadline','followup','outreach')),"
	"  name TEXT NOT NULL,"
	"  client_id INTEGER NOT NULL REFERENCES clients(id),"
	"  appointment_id INTEGER REFERENCES appointments(id),"
	"  program TEXT,"
	"  channel TEXT NOT NULL,"
	"  recipient TEXT,"
	"  template TEXT,"
	"  subject TEXT,"
	"  body TEXT,"
	"  status TEXT NOT NULL CHECK (status IN"
	"    ('pending','sending','sent','failed','uncertain','void','open','closed')),"
	"  assign TEXT,"
	"  note TEXT,"
	"  due_at INTEGER NOT NULL,"
	"  not_after INTEGER,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  claimed_by INTEGER,"
	"  claimed_at INTEGER,"
	"  last_error TEXT,"
	"  sent_at INTEGER,"
	"  closed_at INTEGER,"
	"  closed_by TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	");"
	"CREATE INDEX messages_status ON messages(status, next_attempt_at);"
	"CREATE INDEX messages_appointment ON messages(appointment_id);"
	"CREATE INDEX messages_client ON messages(client_id, created_at);"
	"CREATE INDEX messages_created ON messages(created_at);"
	"CREATE INDEX charges_at ON charges(at);"
	/* The contact log: calls, texts and talks staff record (seed 004 step 3). */
	"CREATE TABLE contacts ("
	"  id INTEGER PRIMARY KEY,"
	"  client_id INTEGER NOT NULL REFERENCES clients(id),"
	"  appointment_id INTEGER REFERENCES appointments(id),"
	"  message_id INTEGER REFERENCES messages(id),"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  via TEXT NOT NULL CHECK (via IN ('call','sms','email','in-person')),"
	"  outcome TEXT CHECK (outcome IN ('reached','voicemail','no-answer','other')),"
	"  program TEXT,"
	"  attempt INTEGER,"
	"  last_visit TEXT,"
	"  text TEXT NOT NULL"
	");"
	"CREATE INDEX contacts_client ON contacts(client_id, at);"
	"CREATE INDEX contacts_at ON contacts(at);",
	  NULL, 0 },

	/*
	 * 2 -> 3: the CHECK constraints as comparisons (check_in_lists), and
	 * the longest busy span stored in one lookup: calendar reads bound
	 * their scans by it (avail.c).
	 */
	{
	"CREATE INDEX appointments_span ON appointments(busy_to - busy_from);",
	  check_in_lists, sizeof(check_in_lists) / sizeof(check_in_lists[0]) },

	/*
	 * 3 -> 4: what a real week at the desk needs.
	 *
	 * clients: phone_key is the phone as digits however it was typed
	 * (client.c fills it with business.country_code; appt init refills
	 * it), so that one number names one client; born for identity
	 * checks; merged_into for a duplicate folded into another record.
	 * client_notes.alert marks an allergy and the like.
	 *
	 * appointments: imported marks history brought in by appt import
	 * (no follow-up thanks anyone for it); cancelled_at is when it was
	 * cancelled, for the cancellations report.
	 *
	 * messages: cause_event and void_event name the audit events that
	 * queued and voided a message, so that appt undo can take back
	 * exactly what a change did; handed_at and claim_boot tell a message
	 * that reached its transport from one that was only claimed when a
	 * run dies; follows holds a text back until its call task is logged;
	 * tries counts the calls logged on a call task; attempt is the program
 * outreach attempt a message makes (seed 004 numbers them).
	 *
	 * charges: a charge is never deleted, it is voided (appt undo).
	 * events: login is the operating-system login beside the actor
	 * (APPT_USER may name anyone); undoes names the event an undo took back.
	 * contacts: inbound marks a contact the client started: not an attempt.
 * The one --via vocabulary stores phone as call.
	 */
	{
	"ALTER TABLE clients ADD COLUMN phone_key TEXT;"
	"ALTER TABLE clients ADD COLUMN born TEXT;"
	"ALTER TABLE clients ADD COLUMN merged_into INTEGER REFERENCES clients(id);"
	"CREATE INDEX clients_phone_key ON clients(phone_key);"
	"ALTER TABLE client_notes ADD COLUMN alert INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE appointments ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;"
	"UPDATE appointments SET imported = 1 WHERE id IN"
	"  (SELECT entity_id FROM events WHERE entity = 'appointment' AND action = 'import'"
	"   AND json_extract(after, '$.status') IN ('done', 'no-show', 'cancelled'));"
	"ALTER TABLE appointments ADD COLUMN cancelled_at INTEGER;"
	"UPDATE appointments SET cancelled_at = (SELECT max(at) FROM events e"
	"  WHERE e.entity = 'appointment' AND e.entity_id = appointments.id"
	"  AND e.action = 'cancel') WHERE status = 'cancelled';"
	"UPDATE appointments SET cancelled_at = updated_at"
	"  WHERE status = 'cancelled' AND cancelled_at IS NULL;"
	"ALTER TABLE messages ADD COLUMN cause_event INTEGER;"
	"ALTER TABLE messages ADD COLUMN void_event INTEGER;"
	"ALTER TABLE messages ADD COLUMN handed_at INTEGER;"
	"ALTER TABLE messages ADD COLUMN claim_boot TEXT;"
	"ALTER TABLE messages ADD COLUMN follows INTEGER REFERENCES messages(id);"
	"ALTER TABLE messages ADD COLUMN tries INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE messages ADD COLUMN attempt INTEGER;"
	/* Outreach already made: each day of a cycle one attempt, in order. */
	"UPDATE messages SET attempt = (SELECT count(DISTINCT m2.due_at) FROM messages m2"
	"  WHERE m2.kind = 'outreach' AND m2.status <> 'void' AND m2.due_at <= messages.due_at"
	"  AND rtrim(m2.key, '0123456789') = rtrim(messages.key, '0123456789'))"
	"  WHERE kind = 'outreach' AND status <> 'void';"
	"CREATE INDEX messages_cause ON messages(cause_event) WHERE cause_event IS NOT NULL;"
	"CREATE INDEX messages_follows ON messages(follows) WHERE follows IS NOT NULL;"
	"ALTER TABLE charges ADD COLUMN voided_at INTEGER;"
	"ALTER TABLE charges ADD COLUMN voided_by TEXT;"
	"ALTER TABLE charges ADD COLUMN void_reason TEXT;"
	"ALTER TABLE events ADD COLUMN login TEXT;"
	"ALTER TABLE events ADD COLUMN undoes INTEGER;"
	"ALTER TABLE contacts ADD COLUMN inbound INTEGER NOT NULL DEFAULT 0;"
	/* one --via vocabulary: phone is call */
	"UPDATE appointments SET via = 'call' WHERE via = 'phone';"
	"UPDATE appointments SET confirmed_via = 'call' WHERE confirmed_via = 'phone';",
	  NULL, 0 },

	/*
	 * 4 -> 5: before a time is final (held_states, SCHEMA_STEP_5).
	 */
	{ SCHEMA_STEP_5(SQLITE_ID, "INTEGER", "TEXT"),
	  held_states, sizeof(held_states) / sizeof(held_states[0]) },

	/* 5 -> 6: billing (SCHEMA_STEP_6). */
	{ SCHEMA_STEP_6(SQLITE_ID, "INTEGER", "TEXT") SQLITE_BILLING_TRIGGERS, NULL, 0 },
	/* 6 -> 7: appt serve's links and STOP (SCHEMA_STEP_7). */
	{ SCHEMA_STEP_7(SQLITE_ID, "INTEGER", "TEXT"), NULL, 0 },
};

#define SCHEMA_VERSION ((int)(sizeof(schema_steps) / sizeof(schema_steps[0])))

#endif
