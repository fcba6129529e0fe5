/*
 * schema_pg: appt's schema on PostgreSQL.  The store first shipped at
 * schema version 4, so an empty database is built at 4 in one step
 * (schema_pg_base), the same tables and columns as SQLite's four steps
 * built, and every later version adds one step here beside SQLite's in
 * schema.h.  Never edit a released step: add a new one.
 *
 * What SQLite enforces by appt holding its one write lock, PostgreSQL
 * enforces in the database itself, for SQL written behind appt's back and
 * desks on other machines alike:
 * - a provider's, and a room's, busy spans never overlap for appointments
 *   that occupy them (exclusion constraints over btree_gist), unless the
 *   two are seats of one group session (the same service at the same
 *   start: appt counts the seats against the service's capacity);
 * - the audit log is append-only and appointments are never deleted
 *   (triggers that refuse).
 * Text columns sort and compare by their bytes (COLLATE "C"), as SQLite's
 * BINARY does, so that every listing is in the same order on both stores
 * whatever the server's locale.
 * The few SQL functions of SQLite's that appt's statements use are
 * defined here, so that each statement keeps one text for both stores.
 */
#ifndef APPT_SCHEMA_PG_H
#define APPT_SCHEMA_PG_H

#include "schema.h"

#define SCHEMA_PG_BASE 4

/*
 * A new row's id is one more than the largest, as SQLite's rowid is: ids
 * have no gaps where a write was rolled back or a queued message was
 * already there, and a book reads the same on both stores.  Every write
 * holds the write lock (store_pg.c), so no two take the same number.
 */
#define PG_ID(table) "id bigint PRIMARY KEY DEFAULT appt_next_id('" table "')"
/* The same without the column's name, for schema.h's steps. */
#define PG_ID_TYPE(table) "bigint PRIMARY KEY DEFAULT appt_next_id('" table "')"
/* An appointment that holds its time: what the calendar checks compare. */
#define PG_OCCUPYING "status NOT IN ('cancelled', 'no-show')"

static const char schema_pg_base[] =
	"CREATE EXTENSION IF NOT EXISTS btree_gist;"
	"CREATE TABLE appt_schema (version integer NOT NULL);"
	"CREATE FUNCTION appt_next_id(tab text) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$"
	"  DECLARE n bigint;"
	"  BEGIN EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM %I', tab) INTO n; RETURN n; END $$;"
	/* SQLite's NOCASE: names and e-mail addresses compared without case. */
	"CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);"
	"INSERT INTO appt_schema VALUES (0);"
	"CREATE TABLE clients ("
	"  " PG_ID("clients") ","
	"  name text COLLATE \"C\" NOT NULL CHECK (name <> ''),"
	"  phone text COLLATE \"C\","
	"  email text COLLATE \"C\","
	"  channel text COLLATE \"C\" NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms', 'email', 'call')),"
	"  program text COLLATE \"C\","
	"  program_ended_at bigint,"
	"  external_id text COLLATE \"C\" UNIQUE,"
	"  blocked integer NOT NULL DEFAULT 0,"
	"  blocked_reason text COLLATE \"C\","
	"  created_at bigint NOT NULL,"
	"  updated_at bigint NOT NULL,"
	"  phone_key text COLLATE \"C\","
	"  born text COLLATE \"C\","
	"  merged_into bigint REFERENCES clients(id)"
	");"
	"CREATE INDEX clients_name ON clients(name COLLATE nocase);"
	"CREATE INDEX clients_email ON clients(email COLLATE nocase);"
	"CREATE INDEX clients_phone ON clients(phone);"
	"CREATE INDEX clients_phone_key ON clients(phone_key);"
	"CREATE TABLE client_notes ("
	"  " PG_ID("client_notes") ","
	"  client_id bigint NOT NULL REFERENCES clients(id),"
	"  at bigint NOT NULL,"
	"  actor text COLLATE \"C\" NOT NULL,"
	"  text text COLLATE \"C\" NOT NULL,"
	"  alert integer NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX client_notes_client ON client_notes(client_id);"
	"CREATE TABLE appointments ("
	"  " PG_ID("appointments") ","
	"  client_id bigint NOT NULL REFERENCES clients(id),"
	"  service text COLLATE \"C\" NOT NULL,"
	"  provider text COLLATE \"C\" NOT NULL,"
	"  resource text COLLATE \"C\","
	"  start_at bigint NOT NULL,"
	"  end_at bigint NOT NULL,"
	"  busy_from bigint NOT NULL,"
	"  busy_to bigint NOT NULL,"
	"  local_start text COLLATE \"C\" NOT NULL,"
	"  zone text COLLATE \"C\" NOT NULL,"
	"  status text COLLATE \"C\" NOT NULL DEFAULT 'booked' CHECK (status IN"
	"    ('booked', 'confirmed', 'waiting', 'in-progress', 'done', 'cancelled', 'no-show')),"
	"  via text COLLATE \"C\","
	"  note text COLLATE \"C\","
	"  confirmed_at bigint,"
	"  confirmed_via text COLLATE \"C\","
	"  reschedules integer NOT NULL DEFAULT 0,"
	"  late_cancel integer NOT NULL DEFAULT 0,"
	"  cancel_reason text COLLATE \"C\","
	"  cancelled_by text COLLATE \"C\","
	"  external_id text COLLATE \"C\" UNIQUE,"
	"  created_at bigint NOT NULL,"
	"  updated_at bigint NOT NULL,"
	"  placed_at bigint,"
	"  done_at bigint,"
	"  imported integer NOT NULL DEFAULT 0,"
	"  cancelled_at bigint,"
	"  CHECK (end_at > start_at AND busy_from <= start_at AND busy_to >= end_at),"
	/* History brought in by import went in as it was: only the calendar to come. */
	"  CONSTRAINT appointments_provider_free EXCLUDE USING gist (provider WITH =,"
	"    int8range(busy_from, busy_to) WITH &&, (service || ' ' || start_at) WITH <>)"
	"    WHERE (" PG_OCCUPYING " AND imported = 0),"
	"  CONSTRAINT appointments_room_free EXCLUDE USING gist (resource WITH =,"
	"    int8range(busy_from, busy_to) WITH &&, (service || ' ' || start_at) WITH <>)"
	"    WHERE (" PG_OCCUPYING " AND imported = 0 AND resource IS NOT NULL)"
	");"
	"CREATE INDEX appointments_provider ON appointments(provider, busy_from);"
	"CREATE INDEX appointments_resource ON appointments(resource, busy_from);"
	"CREATE INDEX appointments_client ON appointments(client_id, start_at);"
	"CREATE INDEX appointments_start ON appointments(start_at);"
	"CREATE INDEX appointments_done ON appointments(done_at) WHERE done_at IS NOT NULL;"
	"CREATE INDEX appointments_span ON appointments((busy_to - busy_from));"
	"CREATE TABLE blocks ("
	"  " PG_ID("blocks") ","
	"  provider text COLLATE \"C\" NOT NULL,"
	"  from_at bigint NOT NULL,"
	"  to_at bigint NOT NULL,"
	"  reason text COLLATE \"C\","
	"  created_at bigint NOT NULL,"
	"  CHECK (to_at > from_at)"
	");"
	"CREATE INDEX blocks_provider ON blocks(provider, from_at);"
	"CREATE TABLE charges ("
	"  " PG_ID("charges") ","
	"  appointment_id bigint NOT NULL REFERENCES appointments(id),"
	"  client_id bigint NOT NULL REFERENCES clients(id),"
	"  kind text COLLATE \"C\" NOT NULL CHECK (kind IN ('late-cancel', 'no-show')),"
	"  amount bigint NOT NULL CHECK (amount >= 0),"
	"  at bigint NOT NULL,"
	"  actor text COLLATE \"C\" NOT NULL,"
	"  voided_at bigint,"
	"  voided_by text COLLATE \"C\","
	"  void_reason text COLLATE \"C\""
	");"
	"CREATE INDEX charges_client ON charges(client_id, at);"
	"CREATE INDEX charges_at ON charges(at);"
	"CREATE TABLE events ("
	"  " PG_ID("events") ","
	"  at bigint NOT NULL,"
	"  actor text COLLATE \"C\" NOT NULL,"
	"  entity text COLLATE \"C\" NOT NULL,"
	"  entity_id bigint NOT NULL,"
	"  action text COLLATE \"C\" NOT NULL,"
	"  before text COLLATE \"C\","
	"  after text COLLATE \"C\","
	"  reason text COLLATE \"C\","
	"  forced integer NOT NULL DEFAULT 0,"
	"  login text COLLATE \"C\","
	"  undoes bigint"
	");"
	"CREATE INDEX events_entity ON events(entity, entity_id, id);"
	"CREATE FUNCTION appt_refuse() RETURNS trigger LANGUAGE plpgsql AS $$"
	"  BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation'; END $$;"
	"CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events"
	"  FOR EACH ROW EXECUTE FUNCTION appt_refuse('events are append-only');"
	"CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events"
	"  FOR EACH STATEMENT EXECUTE FUNCTION appt_refuse('events are append-only');"
	"CREATE TRIGGER appointments_no_delete BEFORE DELETE ON appointments"
	"  FOR EACH ROW EXECUTE FUNCTION appt_refuse('appointments are never deleted');"
	"CREATE TRIGGER appointments_no_truncate BEFORE TRUNCATE ON appointments"
	"  FOR EACH STATEMENT EXECUTE FUNCTION appt_refuse('appointments are never deleted');"
	"CREATE TABLE messages ("
	"  " PG_ID("messages") ","
	"  key text COLLATE \"C\" NOT NULL UNIQUE,"
	"  kind text COLLATE \"C\" NOT NULL CHECK (kind IN"
	"    ('notice', 'reminder', 'deadline', 'followup', 'outreach')),"
	"  name text COLLATE \"C\" NOT NULL,"
	"  client_id bigint NOT NULL REFERENCES clients(id),"
	"  appointment_id bigint REFERENCES appointments(id),"
	"  program text COLLATE \"C\","
	"  channel text COLLATE \"C\" NOT NULL,"
	"  recipient text COLLATE \"C\","
	"  template text COLLATE \"C\","
	"  subject text COLLATE \"C\","
	"  body text COLLATE \"C\","
	"  status text COLLATE \"C\" NOT NULL CHECK (status IN"
	"    ('pending', 'sending', 'sent', 'failed', 'uncertain', 'void', 'open', 'closed')),"
	"  assign text COLLATE \"C\","
	"  note text COLLATE \"C\","
	"  due_at bigint NOT NULL,"
	"  not_after bigint,"
	"  attempts integer NOT NULL DEFAULT 0,"
	"  next_attempt_at bigint NOT NULL,"
	"  claimed_by bigint,"
	"  claimed_at bigint,"
	"  last_error text COLLATE \"C\","
	"  sent_at bigint,"
	"  closed_at bigint,"
	"  closed_by text COLLATE \"C\","
	"  created_at bigint NOT NULL,"
	"  updated_at bigint NOT NULL,"
	"  cause_event bigint,"
	"  void_event bigint,"
	"  handed_at bigint,"
	"  claim_boot text COLLATE \"C\","
	"  follows bigint REFERENCES messages(id),"
	"  tries integer NOT NULL DEFAULT 0,"
	"  attempt integer"
	");"
	"CREATE INDEX messages_status ON messages(status, next_attempt_at);"
	"CREATE INDEX messages_appointment ON messages(appointment_id);"
	"CREATE INDEX messages_client ON messages(client_id, created_at);"
	"CREATE INDEX messages_created ON messages(created_at);"
	"CREATE INDEX messages_cause ON messages(cause_event) WHERE cause_event IS NOT NULL;"
	"CREATE INDEX messages_follows ON messages(follows) WHERE follows IS NOT NULL;"
	"CREATE TABLE contacts ("
	"  " PG_ID("contacts") ","
	"  client_id bigint NOT NULL REFERENCES clients(id),"
	"  appointment_id bigint REFERENCES appointments(id),"
	"  message_id bigint REFERENCES messages(id),"
	"  at bigint NOT NULL,"
	"  actor text COLLATE \"C\" NOT NULL,"
	"  via text COLLATE \"C\" NOT NULL CHECK (via IN ('call', 'sms', 'email', 'in-person')),"
	"  outcome text COLLATE \"C\" CHECK (outcome IN ('reached', 'voicemail', 'no-answer', 'other')),"
	"  program text COLLATE \"C\","
	"  attempt integer,"
	"  last_visit text COLLATE \"C\","
	"  text text COLLATE \"C\" NOT NULL,"
	"  inbound integer NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX contacts_client ON contacts(client_id, at);"
	"CREATE INDEX contacts_at ON contacts(at);"
	/*
	 * SQLite's names for what appt's statements ask of JSON: a '$.key'
	 * path of a flat object, as text.
	 */
	"CREATE FUNCTION json_extract(doc text, path text) RETURNS text"
	"  LANGUAGE sql IMMUTABLE AS $$ SELECT (doc::json) ->> substr(path, 3) $$;"
	"CREATE FUNCTION json_valid(doc text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$"
	"  BEGIN PERFORM doc::json; RETURN doc IS NOT NULL;"
	"  EXCEPTION WHEN others THEN RETURN false; END $$;"
	"CREATE FUNCTION group_concat_step(acc text, value anyelement, sep text) RETURNS text"
	"  LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN value IS NULL THEN acc"
	"  WHEN acc IS NULL THEN value::text ELSE acc || sep || value::text END $$;"
	"CREATE AGGREGATE group_concat(anyelement, text) (SFUNC = group_concat_step, STYPE = text);"
	"CREATE FUNCTION group_concat_step(acc text, value anyelement) RETURNS text"
	"  LANGUAGE sql IMMUTABLE AS $$ SELECT group_concat_step(acc, value, ',') $$;"
	"CREATE AGGREGATE group_concat(anyelement) (SFUNC = group_concat_step, STYPE = text);"
	/*
	 * date(T, 'unixepoch'): the day of an instant in UTC, and with
	 * 'localtime' in the session's zone (the process's TZ, store_pg.c)
	 */
	"CREATE FUNCTION date(t bigint, unit text) RETURNS text LANGUAGE sql IMMUTABLE AS"
	"  $$ SELECT to_char(to_timestamp(t) AT TIME ZONE 'UTC', 'YYYY-MM-DD') $$;"
	"CREATE FUNCTION date(t bigint, unit text, zone text) RETURNS text"
	"  LANGUAGE sql STABLE AS $$ SELECT to_char(to_timestamp(t), 'YYYY-MM-DD') $$;"
	/* SQLite's comparisons are integers: sum() counts them, min() is "all" */
	"CREATE FUNCTION appt_count_true(acc bigint, value boolean) RETURNS bigint"
	"  LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce(acc, 0) + coalesce(value::int, 0) $$;"
	"CREATE AGGREGATE sum(boolean) (SFUNC = appt_count_true, STYPE = bigint);"
	"CREATE FUNCTION appt_all_true(acc boolean, value boolean) RETURNS boolean"
	"  LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN acc IS NULL THEN value ELSE acc AND value END $$;"
	"CREATE AGGREGATE min(boolean) (SFUNC = appt_all_true, STYPE = boolean);"
	/* and max() and min() of two values are the larger and the smaller */
	"CREATE FUNCTION max(a bigint, b bigint) RETURNS bigint"
	"  LANGUAGE sql IMMUTABLE AS $$ SELECT greatest(a, b) $$;"
	"CREATE FUNCTION min(a bigint, b bigint) RETURNS bigint"
	"  LANGUAGE sql IMMUTABLE AS $$ SELECT least(a, b) $$;"
	/* printf('%.1f', x), the one format appt's reports ask for */
	"CREATE FUNCTION printf(format text, x numeric) RETURNS text"
	"  LANGUAGE sql IMMUTABLE AS $$ SELECT to_char(round(x, 1), 'FM999999999999990.0') $$;"
	"CREATE FUNCTION instr(haystack text, needle text) RETURNS integer"
	"  LANGUAGE sql IMMUTABLE AS $$ SELECT strpos(haystack, needle) $$;"
	;

/*
 * UPDATE of the columns named, DELETE and TRUNCATE of a table refused, as
 * the audit log's are.
 */
#define PG_REFUSE(name, table, fixed, why) \
	"CREATE TRIGGER " name " BEFORE UPDATE OF " fixed " OR DELETE ON " table \
	"  FOR EACH ROW EXECUTE FUNCTION appt_refuse('" why "');" \
	"CREATE TRIGGER " name "_truncate BEFORE TRUNCATE ON " table \
	"  FOR EACH STATEMENT EXECUTE FUNCTION appt_refuse('" why "');"

/* Steps after the base: schema_pg_steps[v - SCHEMA_PG_BASE] moves v to v + 1. */
static const struct schema_step schema_pg_steps[] = {
	/* 4 -> 5: before a time is final (SCHEMA_STEP_5 in schema.h) */
	{ "ALTER TABLE appointments DROP CONSTRAINT appointments_status_check;"
	  "ALTER TABLE appointments ADD CONSTRAINT appointments_status_check CHECK (status IN"
	  "  ('held', 'booked', 'confirmed', 'waiting', 'in-progress', 'done', 'cancelled', 'no-show'));"
	  "ALTER TABLE messages DROP CONSTRAINT messages_kind_check;"
	  "ALTER TABLE messages ADD CONSTRAINT messages_kind_check CHECK (kind IN"
	  "  ('notice', 'reminder', 'deadline', 'followup', 'outreach', 'request'));"
	  SCHEMA_STEP_5(PG_ID_TYPE, "bigint", "text COLLATE \"C\""), NULL, 0 },
	/* 5 -> 6: billing (SCHEMA_STEP_6 in schema.h) */
	{ SCHEMA_STEP_6(PG_ID_TYPE, "bigint", "text COLLATE \"C\"")
	  PG_REFUSE("invoices_no_change", "invoices", "id, " INVOICE_FIXED, INVOICE_WHY)
	  PG_REFUSE("invoice_lines_no_change", "invoice_lines", INVOICE_LINE_FIXED, INVOICE_WHY)
	  PG_REFUSE("payments_no_change", "payments", PAYMENT_FIXED, PAYMENT_WHY), NULL, 0 },
	/* 6 -> 7: appt serve's links and STOP (SCHEMA_STEP_7 in schema.h) */
	{ SCHEMA_STEP_7(PG_ID_TYPE, "bigint", "text COLLATE \"C\""), NULL, 0 },
};

#endif
