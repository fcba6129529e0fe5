/*
 * session: what every command starts from — the configuration, the database,
 * the clock (APPT_NOW) and the actor for the audit log (APPT_USER).
 */
#ifndef APPT_SESSION_H
#define APPT_SESSION_H

#include <time.h>

#include "config.h"
#include "db.h"
#include "util.h"

/* A login, as APPT_USER may give it: room for any real one. */
#define SESSION_ACTOR_MAX 64

enum session_needs {
	SESSION_CONFIG = 1,    /* load and validate the YAML */
	SESSION_DB = 2,        /* open the existing database */
	SESSION_CREATE_DB = 4, /* create the database when missing (init) */
	SESSION_OLD_DB = 8,    /* with SESSION_DB: an older schema too, as it is (backup) */
};

struct appt_session {
	struct appt_config *cfg;
	struct appt_db *db;
	time_t now;
	char *actor;
	char *config_path;
	char *db_path;
};

/*
 * Opens what `needs` asks for.  Configuration problems go to problems (when
 * not NULL) and give APPT_CONFIG; the rest as the modules report them.
 */
enum appt_status session_open(struct appt_session *s, unsigned needs,
			      struct strlist *problems, struct appt_err *err);
/*
 * Opens a second database, a file or a URI, as appt init would: created
 * (a file) and given appt's schema if empty, migrated if older, refused if
 * it is not appt's.  For appt db copy's target.
 */
enum appt_status session_open_target(const char *path, struct appt_db **out,
				     struct appt_err *err);

void session_close(struct appt_session *s);

/*
 * The actor recorded in the audit log: $APPT_USER, else os_login().  The
 * database records os_login() beside it in every event (db->login), since
 * APPT_USER may name anyone.  Caller frees.
 */
char *session_default_actor(void);

/* --force without a --reason: APPT_USAGE, since every override is logged with why. */
enum appt_status session_force_reason(int force, const char *reason, struct appt_err *err);

/*
 * Whether the actor may use --force: anyone when roles.managers is empty,
 * else only the managers.  APPT_REFUSED with the rule named otherwise.
 */
enum appt_status session_check_force(const struct appt_session *s,
				     const char *reason, struct appt_err *err);

#endif
