/*
 * schema: the SQL that builds each schema version, in order.  db.c applies
 * migrations[v] to move a file from user_version v to v + 1.  Never edit a
 * released step: add a new one.
 */
#ifndef APPT_SCHEMA_H
#define APPT_SCHEMA_H

static const char *const schema_migrations[] = {
	/* 0 -> 1: the booking desk. */
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
};

#define SCHEMA_VERSION ((int)(sizeof(schema_migrations) / sizeof(schema_migrations[0])))

#endif
