/*
 * client_history: what `appt client show` tells of a client's dealings with
 * the business besides the record itself: the next appointments, the
 * latest ones, and the last contacts of the contact log.
 */
#ifndef APPT_CLIENT_HISTORY_H
#define APPT_CLIENT_HISTORY_H

#include <time.h>

#include "db.h"
#include "util.h"

/* One appointment; the strings live until fn returns. */
struct client_visit {
	long long id;
	time_t start;
	const char *service;
	const char *provider;
	const char *status;
};

enum visit_span {
	VISITS_UPCOMING, /* starting at now or later, not cancelled: soonest first */
	VISITS_RECENT,   /* started before now, in any state: newest first */
};

/* Calls fn for at most limit appointments of the client. */
enum appt_status client_each_visit(struct appt_db *db, long long client_id,
				   time_t now, enum visit_span span, int limit,
				   void (*fn)(const struct client_visit *v, void *data),
				   void *data, struct appt_err *err);

/* One contact of the log; the strings live until fn returns. */
struct client_contact {
	time_t at;
	const char *actor;
	const char *via;
	const char *outcome; /* NULL when none was logged */
	const char *text;
};

/* Calls fn for the client's last limit contacts, newest first. */
enum appt_status client_each_last_contact(struct appt_db *db, long long client_id,
					  int limit,
					  void (*fn)(const struct client_contact *c, void *data),
					  void *data, struct appt_err *err);

#endif
