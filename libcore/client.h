/*
 * client: the people appointments are for — contact details, preferred
 * channel, notes kept for every later booking, program enrolment, and the
 * block that the no-show policy (or a manager) can set.
 *
 * A client reference on the command line is its number, an exact e-mail, a
 * phone however typed (matched by its key, phone.h), or a unique
 * case-insensitive name match; an ambiguous name is refused (APPT_REFUSED)
 * with the candidates listed.  A record merged into another is matched by
 * nothing: its number is refused naming the record it went into.
 */
#ifndef APPT_CLIENT_H
#define APPT_CLIENT_H

#include <time.h>

#include "db.h"
#include "util.h"

struct client {
	long long id;
	char *name;
	char *phone;       /* NULL when unknown */
	char *email;       /* NULL when unknown */
	char *channel;     /* "sms", "email" or "call" */
	char *program;     /* NULL when not enrolled */
	time_t program_ended_at; /* 0 while the program runs */
	char *external_id;
	int blocked;
	char *blocked_reason;
	time_t created_at;
	char *born;        /* YYYY-MM-DD, NULL when unknown */
	long long merged_into; /* 0 unless folded into another record */
	time_t texts_stopped_at; /* when the client texted STOP; 0: texts allowed */
};

/* Fields for client_add / client_edit; NULL means "not given". */
struct client_fields {
	const char *name;
	const char *phone;
	const char *email;
	const char *channel;
	const char *program;
	const char *external_id;
	const char *born;
	/* Not a field: lets a phone or e-mail another client has through. */
	int allow_duplicate;
};

void client_release(struct client *c);

/*
 * Checks fields before they are written: a name that is empty or has control
 * characters, an e-mail without '@' or with spaces, a phone phone_key
 * refuses (characters other than digits, spaces, +-(). or too long), a
 * date of birth that is not a YYYY-MM-DD date and a channel not
 * sms/email/call are APPT_DATAERR naming the field.  (Program names are
 * checked against the configuration by the caller; that a date of birth is
 * in the past, by client_add and client_edit, which know the time.)
 */
enum appt_status client_validate(const struct client_fields *f,
				 struct appt_err *err);


/*
 * Inside a write transaction the caller opened: inserts, logs the event
 * (actor, now) and sets *id.  A duplicate external_id is APPT_REFUSED, and
 * so is a phone (by key) or e-mail (in any case) another client has, naming
 * that client, unless f->allow_duplicate.  A date of birth after today is
 * APPT_DATAERR.  With
 * no channel given the client gets sms when a phone is known, else email when
 * an e-mail is, else call; a channel without its address (sms and no phone,
 * email and no e-mail) is APPT_DATAERR.
 */
enum appt_status client_add(struct appt_db *db, const struct client_fields *f,
			    const char *actor, time_t now, long long *id,
			    struct appt_err *err);
/*
 * Changes the given fields (empty string clears phone/email/program/
 * external_id/born).  Any program given (re-)starts the enrolment, also the
 * same program after it ended.  The result must still reach the client on
 * its channel, and a phone or e-mail given is refused when another client
 * has it, as for client_add.
 */
enum appt_status client_edit(struct appt_db *db, long long id,
			     const struct client_fields *f, const char *actor,
			     time_t now, struct appt_err *err);
/*
 * A note on the client's record; an alert (an allergy, say) is a note that
 * book, show and the day sheet print as a warning.  Logged as "note" or
 * "alert" with the text in the snapshot.
 */
enum appt_status client_add_note(struct appt_db *db, long long id,
				 const char *text, int alert, const char *actor,
				 time_t now, struct appt_err *err);
/*
 * Blocks (reason required) or unblocks (reason optional, logged).  Blocking a
 * blocked client or unblocking one that is not is APPT_REFUSED.
 */
enum appt_status client_set_blocked(struct appt_db *db, long long id,
				    int blocked, const char *reason,
				    const char *actor, time_t now,
				    struct appt_err *err);

/*
 * Stops (the client texted STOP: no SMS reaches them, the outbox routes
 * around them) or allows again (START) the texts of one client, logged as
 * "texts-stop" / "texts-start" with why as the reason.  A client already in
 * that state is left alone with *changed 0: a gateway may pass on the same
 * word twice, and the first STOP's time is the one that counts.
 */
enum appt_status client_set_texts_stopped(struct appt_db *db, long long id, int stopped,
					  const char *why, const char *actor, time_t now,
					  int *changed, struct appt_err *err);

/* Resolves a reference (see above) to an id; APPT_NOTFOUND / APPT_REFUSED. */
enum appt_status client_resolve(struct appt_db *db, const char *ref,
				long long *id, struct appt_err *err);
/*
 * The client someone is when they give a phone and an e-mail without
 * signing in (appt serve): the oldest live record whose phone has phone's
 * key, else whose e-mail is email in any case.  APPT_NOTFOUND when none.
 */
enum appt_status client_find_by_contact(struct appt_db *db, const char *phone,
				       const char *email, long long *id, struct appt_err *err);
enum appt_status client_get(struct appt_db *db, long long id,
			    struct client *out, struct appt_err *err);

/* No-shows of a client with start_at >= since. */
int client_noshow_count(struct appt_db *db, long long id, time_t since);

/*
 * When the client was last blocked (the time of the latest "block" event),
 * or 0 when the log has none.
 */
time_t client_blocked_since(struct appt_db *db, long long id);

struct appt_config;
/*
 * A program name given for a client must be one of the configuration's
 * programs: APPT_DATAERR naming it and the known ones otherwise.  NULL and ""
 * (no program) pass.
 */
enum appt_status client_check_program(const struct appt_config *cfg,
				      const char *program, struct appt_err *err);

struct client_note {
	time_t at;
	const char *actor;
	const char *text;
	int alert;
};
/* Calls fn for each note of a client, oldest first. */
enum appt_status client_each_note(struct appt_db *db, long long id,
				  void (*fn)(const struct client_note *n, void *data),
				  void *data, struct appt_err *err);

/* The texts of a client's alerts, oldest first, appended to out. */
enum appt_status client_alerts(struct appt_db *db, long long id,
			       struct strlist *out, struct appt_err *err);

/*
 * Clients for `appt client list`, by name; a NULL or empty match lists all,
 * otherwise a case-insensitive substring of name, phone or e-mail.  Records
 * merged into another are left out.
 */
enum appt_status client_each(struct appt_db *db, const char *match,
			     void (*fn)(const struct client *c, void *data),
			     void *data, struct appt_err *err);

/*
 * Sets every client's phone key again from the phone as stored and the
 * business's country code (appt init: a database from before keys, or a
 * changed business.country_code), in one write transaction.
 * *changed counts the keys that changed; a stored phone the rules refuse
 * loses its key and its problem goes to unkeyed ("client #5: ...").
 */
enum appt_status client_rekey_phones(struct appt_db *db, size_t *changed,
				     struct strlist *unkeyed, struct appt_err *err);

#endif
