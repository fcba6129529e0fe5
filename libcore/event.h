/*
 * event: the audit log.  Every change writes one row — who, when, what, the
 * record before and after as JSON — inside the same transaction as the change,
 * so the log can never disagree with the data.  The schema refuses UPDATE and
 * DELETE on it.  "Who" is the actor (APPT_USER, which anyone may set) and
 * the OS login of the connection beside it (db->login).
 */
#ifndef APPT_EVENT_H
#define APPT_EVENT_H

#include <time.h>

#include "db.h"
#include "util.h"

struct event {
	time_t at;
	const char *actor;
	const char *entity;   /* "appointment", "client", "block", "charge", "message", "contact" */
	long long entity_id;
	const char *action;   /* "book", "cancel", "edit", ... */
	const char *before;   /* JSON snapshot, or NULL */
	const char *after;    /* JSON snapshot, or NULL */
	const char *reason;   /* may be NULL */
	int forced;           /* a policy was overridden with --force */
	long long undoes;     /* appt undo: the event taken back (0: none) */
};

enum appt_status event_log(struct appt_db *db, const struct event *ev,
			   struct appt_err *err);

/*
 * As event_log, with ev->after (which is ignored) the entity's row as it
 * now is: what a change logs once it has been written.
 */
enum appt_status event_log_current(struct appt_db *db, const struct event *ev,
				   struct appt_err *err);
/* event_log_current, and *id the event's own id. */
enum appt_status event_log_current_id(struct appt_db *db, const struct event *ev,
				      long long *id, struct appt_err *err);

/*
 * The JSON snapshot of one row, made by the database (json_object, or
 * row_to_json on PostgreSQL) so that the text is valid JSON whatever the
 * data holds, and the same text on both stores.  NULL when the row is absent.
 * Caller frees.
 */
char *event_snapshot(struct appt_db *db, const char *entity, long long id);

/* One logged event; the strings live until fn returns. */
struct event_row {
	long long id;
	time_t at;
	const char *actor;
	const char *login;  /* the OS login that ran appt; NULL before schema 4 */
	const char *action;
	const char *before;
	const char *after;
	const char *reason; /* may be NULL */
	int forced;
	long long undoes;   /* 0: not an undo */
};

/*
 * Who did it, as people read it: the actor, and the login beside it when
 * they differ ("boss (login eve)"): APPT_USER may name anyone.  Caller frees.
 */
char *event_actor_shown(const char *actor, const char *login);

/* Calls fn for each event of an entity, oldest first. */
enum appt_status event_each(struct appt_db *db, const char *entity,
			    long long id,
			    void (*fn)(const struct event_row *row, void *data),
			    void *data, struct appt_err *err);

#endif
