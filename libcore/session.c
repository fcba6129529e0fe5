#include "session.h"

#include <stdlib.h>
#include <string.h>

#include "migrate.h"
#include "phone.h"
#include "store_pg.h"

char *session_default_actor(void)
{
	const char *user = getenv("APPT_USER");

	return user && *user ? xstrdup(user) : os_login();
}

static enum appt_status open_config(struct appt_session *s,
				    struct strlist *problems,
				    struct appt_err *err)
{
	s->config_path = config_default_path();
	return config_load(s->config_path, &s->cfg, problems, err);
}

/*
 * The file is judged before anything is written to it (journal_mode=WAL
 * writes): a file appt refuses is left exactly as it was.  Only appt init
 * sets up an empty file or migrates an older one.
 */
static enum appt_status judge_and_migrate(struct appt_db *db, enum db_open_mode mode,
					  struct appt_err *err)
{
	int version = 0;
	enum appt_status status = migrate_check(db, mode, &version, err);

	if (!status && !version)
		status = db_refuse_link(db, err);
	if (!status)
		status = db_configure(db, err);
	if (!status && mode == DB_OPEN_CREATE)
		status = migrate_schema(db, err);
	return status;
}

enum appt_status session_open_target(const char *path, struct appt_db **out,
				     struct appt_err *err)
{
	enum appt_status status = db_open(path, DB_OPEN_CREATE, out, err);

	if (!status)
		status = judge_and_migrate(*out, DB_OPEN_CREATE, err);
	if (status) {
		db_close(*out);
		*out = NULL;
	}
	return status;
}

static enum appt_status open_db(struct appt_session *s, unsigned needs,
				struct appt_err *err)
{
	enum appt_status status;
	enum db_open_mode mode = (needs & SESSION_CREATE_DB) ? DB_OPEN_CREATE
				 : (needs & SESSION_OLD_DB) ? DB_OPEN_ANY_VERSION
							    : DB_OPEN_EXISTING;

	s->db_path = db_default_path(s->cfg ? s->cfg->database : NULL);
	status = db_open(s->db_path, mode, &s->db, err);
	if (!status)
		status = judge_and_migrate(s->db, mode, err);
	/*
	 * On a shared server the actor is the role that connected, which
	 * the server vouched for; APPT_USER, which anyone may set, is not.
	 */
	if (!status && db_dialect(s->db) == DIALECT_PG) {
		free(s->actor);
		s->actor = store_pg_session_user(s->db);
	}
	return status;
}

enum appt_status session_open(struct appt_session *s, unsigned needs,
			      struct strlist *problems, struct appt_err *err)
{
	enum appt_status status = APPT_OK;

	memset(s, 0, sizeof(*s));
	s->actor = session_default_actor();
	/* The actor goes into every event, and is printed wherever it is shown. */
	status = text_check("APPT_USER", s->actor, 0, err);
	if (!status && strlen(s->actor) > SESSION_ACTOR_MAX)
		status = appt_fail(err, APPT_DATAERR, "APPT_USER is longer than %d bytes",
				   SESSION_ACTOR_MAX);
	if (!status && (needs & SESSION_CONFIG))
		status = open_config(s, problems, err);
	/* Phone keys, like the zone, follow the business for the whole process. */
	if (!status && s->cfg)
		phone_set_country_code(s->cfg->business.country_code);
	/* APPT_NOW is read after the zone is known: it is business time. */
	if (!status)
		status = when_now(&s->now, err);
	if (!status && (needs & (SESSION_DB | SESSION_CREATE_DB)))
		status = open_db(s, needs, err);
	return status;
}

void session_close(struct appt_session *s)
{
	db_close(s->db);
	if (s->cfg)
		config_free(s->cfg);
	free(s->actor);
	free(s->config_path);
	free(s->db_path);
	memset(s, 0, sizeof(*s));
}

enum appt_status session_force_reason(int force, const char *reason, struct appt_err *err)
{
	if (force && (!reason || !*reason))
		return appt_fail(err, APPT_USAGE,
				 "--force needs --reason: every override is logged with why");
	return APPT_OK;
}

enum appt_status session_check_force(const struct appt_session *s,
				     const char *reason, struct appt_err *err)
{
	enum appt_status status = session_force_reason(1, reason, err);

	if (status)
		return status;
	if (s->cfg && s->cfg->managers.nr && !config_is_manager(s->cfg, s->actor))
		return appt_fail(err, APPT_REFUSED,
				 "only managers (roles.managers) may use --force, and '%s' is not one",
				 s->actor);
	return APPT_OK;
}
