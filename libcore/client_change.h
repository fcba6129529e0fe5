/*
 * client_change: each change the desk makes to a client record, whole.
 *
 * A client is named as the desk types it (an id, a name, a phone: see
 * client_resolve), and is resolved inside the same write transaction that
 * changes it, together with what the change brings along: the note given
 * at creation, the messages a block makes moot.  *id is set to the client
 * changed.  Each opens its own transaction (db.h: they nest).
 */
#ifndef APPT_CLIENT_CHANGE_H
#define APPT_CLIENT_CHANGE_H

#include "client.h"
#include "client_merge.h"
#include "session.h"

/* A new client, with a first note when note is not NULL. */
enum appt_status client_change_add(struct appt_session *s, const struct client_fields *f,
				   const char *note, long long *id, struct appt_err *err);

/* The fields of f that are set; program "" takes the client out of one. */
enum appt_status client_change_edit(struct appt_session *s, const char *ref,
				    const struct client_fields *f, long long *id,
				    struct appt_err *err);

/* A note, or an alert the desk sees at every booking. */
enum appt_status client_change_note(struct appt_session *s, const char *ref, const char *text,
				    int alert, long long *id, struct appt_err *err);

/*
 * Blocks (with the reason) or unblocks a client.  Nobody blocked is asked
 * to book again: a block closes the messages that would.
 */
enum appt_status client_change_block(struct appt_session *s, const char *ref, int blocked,
				     const char *reason, long long *id, struct appt_err *err);

/* Folds the client other into keep (client_merge.h); both ids are set. */
enum appt_status client_change_merge(struct appt_session *s, const char *keep_ref,
				     const char *other_ref, const char *reason,
				     long long *keep, long long *other,
				     struct merge_result *res, struct appt_err *err);

#endif
