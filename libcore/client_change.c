#include "client_change.h"

#include "outbox.h"

static enum appt_status add_locked(struct appt_session *s, const struct client_fields *f,
				   const char *note, long long *id, struct appt_err *err)
{
	enum appt_status status = client_check_program(s->cfg, f->program, err);

	if (!status)
		status = client_add(s->db, f, s->actor, s->now, id, err);
	if (!status && note)
		status = client_add_note(s->db, *id, note, 0, s->actor, s->now, err);
	return status;
}

enum appt_status client_change_add(struct appt_session *s, const struct client_fields *f,
				   const char *note, long long *id, struct appt_err *err)
{
	enum appt_status status = db_begin_write(s->db, err);

	if (status)
		return status;
	return db_finish_write(s->db, add_locked(s, f, note, id, err), err);
}

static enum appt_status edit_locked(struct appt_session *s, const char *ref,
				    const struct client_fields *f, long long *id,
				    struct appt_err *err)
{
	enum appt_status status = client_resolve(s->db, ref, id, err);

	if (!status)
		status = client_check_program(s->cfg, f->program, err);
	if (!status)
		status = client_edit(s->db, *id, f, s->actor, s->now, err);
	return status;
}

enum appt_status client_change_edit(struct appt_session *s, const char *ref,
				    const struct client_fields *f, long long *id,
				    struct appt_err *err)
{
	enum appt_status status = db_begin_write(s->db, err);

	if (status)
		return status;
	return db_finish_write(s->db, edit_locked(s, ref, f, id, err), err);
}

enum appt_status client_change_note(struct appt_session *s, const char *ref, const char *text,
				    int alert, long long *id, struct appt_err *err)
{
	enum appt_status status = db_begin_write(s->db, err);

	if (status)
		return status;
	status = client_resolve(s->db, ref, id, err);
	if (!status)
		status = client_add_note(s->db, *id, text, alert, s->actor, s->now, err);
	return db_finish_write(s->db, status, err);
}

enum appt_status client_change_block(struct appt_session *s, const char *ref, int blocked,
				     const char *reason, long long *id, struct appt_err *err)
{
	enum appt_status status = db_begin_write(s->db, err);

	if (status)
		return status;
	status = client_resolve(s->db, ref, id, err);
	if (!status)
		status = client_set_blocked(s->db, *id, blocked, reason, s->actor, s->now, err);
	if (!status && blocked)
		status = outbox_void_moot(s, *id, NULL, err);
	return db_finish_write(s->db, status, err);
}

enum appt_status client_change_merge(struct appt_session *s, const char *keep_ref,
				     const char *other_ref, const char *reason,
				     long long *keep, long long *other,
				     struct merge_result *res, struct appt_err *err)
{
	enum appt_status status = db_begin_write(s->db, err);

	if (status)
		return status;
	if (!(status = client_resolve(s->db, keep_ref, keep, err)) &&
	    !(status = client_resolve(s->db, other_ref, other, err)))
		status = client_merge(s->db, *keep, *other, reason, s->actor, s->now, res, err);
	return db_finish_write(s->db, status, err);
}
