#include "client.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "event.h"
#include "phone.h"
#include "when.h"

/* The columns client_from_row reads, in its order. */
#define CLIENT_COLUMNS                                                       \
	"id, name, phone, email, channel, program, program_ended_at,"        \
	" external_id, blocked, blocked_reason, created_at, born, merged_into,"  \
	" texts_stopped_at"

/* Candidates named in an "ambiguous reference" refusal. */
#define RESOLVE_LIST_MAX 10
/* Dates of birth before this year are taken for typing mistakes. */
#define BORN_MIN_YEAR 1900

void client_release(struct client *c)
{
	free(c->name);
	free(c->phone);
	free(c->email);
	free(c->channel);
	free(c->program);
	free(c->external_id);
	free(c->blocked_reason);
	free(c->born);
	memset(c, 0, sizeof(*c));
}

static void client_from_row(struct stmt *st, struct client *c)
{
	c->id = stmt_column_int64(st, 0);
	c->name = db_column_strdup(st, 1);
	c->phone = db_column_strdup(st, 2);
	c->email = db_column_strdup(st, 3);
	c->channel = db_column_strdup(st, 4);
	c->program = db_column_strdup(st, 5);
	c->program_ended_at = (time_t)stmt_column_int64(st, 6);
	c->external_id = db_column_strdup(st, 7);
	c->blocked = stmt_column_int(st, 8);
	c->blocked_reason = db_column_strdup(st, 9);
	c->created_at = (time_t)stmt_column_int64(st, 10);
	c->born = db_column_strdup(st, 11);
	c->merged_into = stmt_column_int64(st, 12);
	c->texts_stopped_at = (time_t)stmt_column_int64(st, 13);
}

/* "" stands for "none" on the command line; the database keeps NULL. */
static const char *null_if_empty(const char *s)
{
	return s && *s ? s : NULL;
}

static int is_blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

static enum appt_status check_name(const char *name, struct appt_err *err)
{
	enum appt_status status;

	if (!name)
		return APPT_OK;
	if ((status = text_check("client name", name, 0, err)))
		return status;
	if (is_blank(name))
		return appt_fail(err, APPT_DATAERR, "client name is empty");
	return APPT_OK;
}

/* key gets the phone's key, or "" when no phone is given. */
static enum appt_status check_phone(const char *phone, char key[PHONE_KEY_SIZE],
				    struct appt_err *err)
{
	enum appt_status status;

	key[0] = '\0';
	if (!phone || !*phone)
		return APPT_OK;
	if ((status = text_check("phone number", phone, 0, err)))
		return status;
	return phone_key(phone, phone_country_code(), key, err);
}

static enum appt_status check_born(const char *born, struct appt_err *err)
{
	struct appt_date d;

	if (!born || !*born || !date_parse_iso(born, &d))
		return APPT_OK;
	return appt_fail(err, APPT_DATAERR,
			 "invalid date of birth '%s' (expected YYYY-MM-DD)", born);
}

static enum appt_status check_email(const char *email, struct appt_err *err)
{
	enum appt_status status;
	const char *at;

	if (!email || !*email)
		return APPT_OK;
	if ((status = text_check("e-mail address", email, 0, err)))
		return status;
	at = strchr(email, '@');
	/*
	 * An address goes into a To: header as it is: the characters that
	 * header syntax gives a meaning (a display name's <>, a list's comma,
	 * a comment's brackets, quotes) would make it another address.
	 */
	if (!at || at == email || !at[1] || strchr(at + 1, '@') || strpbrk(email, " <>,;:\"()[]\\"))
		return appt_fail(err, APPT_DATAERR,
				 "invalid e-mail address '%s' (expected NAME@DOMAIN)", email);
	return APPT_OK;
}

static int channel_known(const char *channel)
{
	return !strcmp(channel, "sms") || !strcmp(channel, "email") ||
	       !strcmp(channel, "call");
}

/* client_validate, handing out the phone's key ("" for none). */
static enum appt_status validate(const struct client_fields *f,
				 char key[PHONE_KEY_SIZE], struct appt_err *err)
{
	enum appt_status status;

	if ((status = check_name(f->name, err)) ||
	    (status = check_phone(f->phone, key, err)) ||
	    (status = check_email(f->email, err)) ||
	    (status = check_born(f->born, err)))
		return status;
	if (f->channel && !channel_known(f->channel))
		return appt_fail(err, APPT_DATAERR,
				 "invalid channel '%s' (expected sms, email or call)",
				 f->channel);
	if (f->program && (status = text_check("program", f->program, 0, err)))
		return status;
	if (f->external_id && (status = text_check("external id", f->external_id, 0, err)))
		return status;
	return APPT_OK;
}

enum appt_status client_validate(const struct client_fields *f,
				 struct appt_err *err)
{
	char key[PHONE_KEY_SIZE];

	return validate(f, key, err);
}

/* A date of birth is in the past: identity checks compare it with papers. */
static enum appt_status check_born_past(const char *born, time_t now,
					struct appt_err *err)
{
	struct appt_date d, today;

	if (!born || !*born || date_parse_iso(born, &d))
		return APPT_OK;
	when_to_local(now, &today, NULL, NULL);
	if (date_cmp(d, today) > 0)
		return appt_fail(err, APPT_DATAERR,
				 "date of birth %s is in the future (expected a past date)", born);
	if (d.year < BORN_MIN_YEAR)
		return appt_fail(err, APPT_DATAERR,
				 "date of birth %s is before %d (a typing mistake?)", born,
				 BORN_MIN_YEAR);
	return APPT_OK;
}

/* A client must be reachable on the channel messages will use. */
static enum appt_status check_reachable(const char *channel, const char *phone,
					const char *email, struct appt_err *err)
{
	if (!strcmp(channel, "sms") && !null_if_empty(phone))
		return appt_fail(err, APPT_DATAERR,
				 "channel sms needs a phone number (give --phone or another --channel)");
	if (!strcmp(channel, "email") && !null_if_empty(email))
		return appt_fail(err, APPT_DATAERR,
				 "channel email needs an e-mail address (give --email or another --channel)");
	return APPT_OK;
}

static const char *default_channel(const struct client_fields *f)
{
	if (null_if_empty(f->phone))
		return "sms";
	if (null_if_empty(f->email))
		return "email";
	return "call";
}

/* An external id names one client: imports rely on it to skip repeats. */
static enum appt_status check_external_id(struct appt_db *db, const char *xid,
					  long long self, struct appt_err *err)
{
	struct stmt *st;
	long long owner = 0;
	enum appt_status status;

	if (!null_if_empty(xid))
		return APPT_OK;
	st = db_prepare_cached(db, "SELECT id FROM clients WHERE external_id = ? AND id <> ?");
	db_bind_text(st, 1, xid);
	stmt_bind_int64(st, 2, self);
	status = db_query_int(db, st, &owner, "checking the external id", err);
	if (!status && owner)
		return appt_fail(err, APPT_REFUSED,
				 "external id '%s' already belongs to client #%lld", xid, owner);
	return status;
}

/*
 * Another live client reached at the same phone (by key) or e-mail: most
 * likely the desk is typing in someone it already knows.  Records merged
 * into another no longer count.
 */
static const char taken_phone_sql[] =
	"SELECT id, name FROM clients WHERE phone_key = ?1 AND id <> ?2"
	" AND merged_into IS NULL ORDER BY id LIMIT 1";
static const char taken_email_sql[] =
	"SELECT id, name FROM clients WHERE email = ?1 COLLATE NOCASE AND id <> ?2"
	" AND merged_into IS NULL ORDER BY id LIMIT 1";

static enum appt_status check_taken(struct appt_db *db, const char *sql,
				    const char *value, long long self,
				    const char *what, const char *typed,
				    struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(db, sql);
	enum appt_status status = APPT_OK;
	int rc;

	db_bind_text(st, 1, value);
	stmt_bind_int64(st, 2, self);
	rc = stmt_step(st);
	if (rc == STORE_ROW)
		status = appt_fail(err, APPT_REFUSED,
				   "%s '%s' already belongs to client #%lld %s;"
				   " --allow-duplicate lets two clients share it",
				   what, typed, stmt_column_int64(st, 0), db_column_str(st, 1));
	else if (rc != STORE_DONE)
		status = db_error(db, rc, "looking for duplicate clients", err);
	stmt_reset(st);
	return status;
}

static enum appt_status check_duplicates(struct appt_db *db,
					 const struct client_fields *f,
					 const char *key, long long self,
					 struct appt_err *err)
{
	enum appt_status status;

	if (f->allow_duplicate)
		return APPT_OK;
	if (*key && (status = check_taken(db, taken_phone_sql, key, self,
					  "phone number", f->phone, err)))
		return status;
	if (null_if_empty(f->email))
		return check_taken(db, taken_email_sql, f->email, self,
				   "e-mail address", f->email, err);
	return APPT_OK;
}

struct change {
	long long id;
	const char *action;
	const char *before; /* snapshot before the change; NULL for add */
	const char *after;  /* NULL: the row as it is now */
	const char *reason;
	const char *actor;
	time_t now;
};

static enum appt_status log_change(struct appt_db *db, const struct change *ch,
				   struct appt_err *err)
{
	struct event ev = {
		.at = ch->now,
		.actor = ch->actor,
		.entity = "client",
		.entity_id = ch->id,
		.action = ch->action,
		.before = ch->before,
		.after = ch->after,
		.reason = ch->reason,
	};

	return ch->after ? event_log(db, &ev, err) : event_log_current(db, &ev, err);
}

static enum appt_status insert_client(struct appt_db *db,
				      const struct client_fields *f,
				      const char *key, const char *channel,
				      time_t now, long long *id, struct appt_err *err)
{
	/* Cached, like every statement an import runs once a row. */
	struct stmt *st = db_prepare_cached(db,
		"INSERT INTO clients (name, phone, email, channel, program,"
		" external_id, created_at, updated_at, phone_key, born)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");

	db_bind_text(st, 1, f->name);
	db_bind_text(st, 2, null_if_empty(f->phone));
	db_bind_text(st, 3, null_if_empty(f->email));
	db_bind_text(st, 4, channel);
	db_bind_text(st, 5, null_if_empty(f->program));
	db_bind_text(st, 6, null_if_empty(f->external_id));
	stmt_bind_int64(st, 7, now);
	stmt_bind_int64(st, 8, now);
	db_bind_text(st, 9, null_if_empty(key));
	db_bind_text(st, 10, null_if_empty(f->born));
	return db_insert_id(db, st, id, "adding the client", err);
}

enum appt_status client_add(struct appt_db *db, const struct client_fields *f,
			    const char *actor, time_t now, long long *id,
			    struct appt_err *err)
{
	const char *channel = f->channel ? f->channel : default_channel(f);
	char key[PHONE_KEY_SIZE];
	enum appt_status status;

	if (!f->name)
		return appt_fail(err, APPT_DATAERR, "a client needs a name");
	if ((status = validate(f, key, err)) ||
	    (status = check_born_past(f->born, now, err)) ||
	    (status = check_reachable(channel, f->phone, f->email, err)) ||
	    (status = check_external_id(db, f->external_id, 0, err)) ||
	    (status = check_duplicates(db, f, key, 0, err)) ||
	    (status = insert_client(db, f, key, channel, now, id, err)))
		return status;
	return log_change(db, &(struct change){ .id = *id, .action = "add",
						.actor = actor, .now = now }, err);
}

/*
 * NULL keeps a column; "" clears the optional ones.  Any program given
 * starts the enrolment afresh: the same program again re-enrols a client
 * whose program ended.
 */
static enum appt_status update_client(struct appt_db *db, long long id,
				      const struct client_fields *f,
				      const char *key, time_t now,
				      struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"UPDATE clients SET"
		" name = COALESCE(?1, name),"
		" phone = CASE WHEN ?2 IS NULL THEN phone ELSE NULLIF(?2, '') END,"
		" phone_key = CASE WHEN ?2 IS NULL THEN phone_key ELSE NULLIF(?9, '') END,"
		" email = CASE WHEN ?3 IS NULL THEN email ELSE NULLIF(?3, '') END,"
		" channel = COALESCE(?4, channel),"
		" program_ended_at = CASE WHEN ?5 IS NULL THEN program_ended_at END,"
		" program = CASE WHEN ?5 IS NULL THEN program ELSE NULLIF(?5, '') END,"
		" external_id = CASE WHEN ?6 IS NULL THEN external_id ELSE NULLIF(?6, '') END,"
		" born = CASE WHEN ?10 IS NULL THEN born ELSE NULLIF(?10, '') END,"
		" updated_at = ?7"
		" WHERE id = ?8");

	db_bind_text(st, 1, f->name);
	db_bind_text(st, 2, f->phone);
	db_bind_text(st, 3, f->email);
	db_bind_text(st, 4, f->channel);
	db_bind_text(st, 5, f->program);
	db_bind_text(st, 6, f->external_id);
	stmt_bind_int64(st, 7, now);
	stmt_bind_int64(st, 8, id);
	db_bind_text(st, 9, key);
	db_bind_text(st, 10, f->born);
	return db_exec_stmt(db, st, "updating the client", err);
}

/* After an edit: the row as written must still be reachable. */
static enum appt_status check_row_reachable(struct appt_db *db, long long id,
					    struct appt_err *err)
{
	struct client c;
	enum appt_status status = client_get(db, id, &c, err);

	if (!status)
		status = check_reachable(c.channel, c.phone, c.email, err);
	client_release(&c);
	return status;
}

static char *snapshot_or_fail(struct appt_db *db, long long id,
			      enum appt_status *status, struct appt_err *err)
{
	char *before = event_snapshot(db, "client", id);

	*status = before ? APPT_OK : appt_fail(err, APPT_NOTFOUND, "no client #%lld", id);
	return before;
}

enum appt_status client_edit(struct appt_db *db, long long id,
			     const struct client_fields *f, const char *actor,
			     time_t now, struct appt_err *err)
{
	enum appt_status status;
	char key[PHONE_KEY_SIZE];
	char *before = snapshot_or_fail(db, id, &status, err);

	if (status)
		return status;
	if (!(status = validate(f, key, err)) &&
	    !(status = check_born_past(f->born, now, err)) &&
	    !(status = check_external_id(db, f->external_id, id, err)) &&
	    !(status = check_duplicates(db, f, key, id, err)) &&
	    !(status = update_client(db, id, f, key, now, err)) &&
	    !(status = check_row_reachable(db, id, err)))
		status = log_change(db, &(struct change){ .id = id, .action = "edit",
			.before = before, .actor = actor, .now = now }, err);
	free(before);
	return status;
}

static enum appt_status insert_note(struct appt_db *db, long long id,
				    const char *text, int alert, const char *actor,
				    time_t now, struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(db,
		"INSERT INTO client_notes (client_id, at, actor, text, alert)"
		" VALUES (?, ?, ?, ?, ?)");

	stmt_bind_int64(st, 1, id);
	stmt_bind_int64(st, 2, now);
	db_bind_text(st, 3, actor);
	db_bind_text(st, 4, text);
	stmt_bind_int64(st, 5, !!alert);
	return db_exec_stmt(db, st, "adding the note", err);
}

/*
 * A note leaves the client row as it was, so the logged "after" is the row
 * with the note's text added (as "note" or "alert"): the audit log then
 * holds every note even though client_notes is an ordinary table.
 */
static char *snapshot_with_note(const char *snapshot, const char *text, int alert)
{
	json_t *row = snapshot ? json_loads(snapshot, 0, NULL) : NULL;
	char *json;

	if (!json_is_object(row)) {
		json_decref(row);
		return NULL;
	}
	json_object_set_new(row, alert ? "alert" : "note", json_string(text));
	/* compact and in order: the text the database wrote its snapshot in */
	json = json_dumps(row, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(row);
	return json;
}

static enum appt_status check_note(const char *text, struct appt_err *err)
{
	enum appt_status status = text_check("note", text, 1, err);

	if (!status && is_blank(text))
		status = appt_fail(err, APPT_DATAERR, "note is empty");
	return status;
}

enum appt_status client_add_note(struct appt_db *db, long long id,
				 const char *text, int alert, const char *actor,
				 time_t now, struct appt_err *err)
{
	enum appt_status status;
	char *before, *after;

	if ((status = check_note(text, err)))
		return status;
	before = snapshot_or_fail(db, id, &status, err);
	if (status)
		return status;
	after = snapshot_with_note(before, text, alert);
	status = insert_note(db, id, text, alert, actor, now, err);
	if (!status)
		status = log_change(db, &(struct change){ .id = id,
			.action = alert ? "alert" : "note", .before = before, .after = after,
			.actor = actor, .now = now }, err);
	free(before);
	free(after);
	return status;
}

time_t client_blocked_since(struct appt_db *db, long long id)
{
	struct stmt *st = db_prepare(db,
		"SELECT at FROM events WHERE entity = 'client' AND entity_id = ?"
		" AND action = 'block' ORDER BY id DESC LIMIT 1");
	long long at = 0;

	stmt_bind_int64(st, 1, id);
	db_query_int(db, st, &at, "reading the audit log", NULL);
	return (time_t)at;
}

/* The refusal for a block that is already in the state asked for. */
static enum appt_status already(struct appt_db *db, const struct client *c,
				struct appt_err *err)
{
	time_t since;
	char when[64];

	if (!c->blocked)
		return appt_fail(err, APPT_REFUSED, "client #%lld is not blocked", c->id);
	since = client_blocked_since(db, c->id);
	if (!since)
		return appt_fail(err, APPT_REFUSED, "client #%lld is already blocked (%s)",
				 c->id, c->blocked_reason ? c->blocked_reason : "no reason given");
	when_format_local(since, when, sizeof(when));
	return appt_fail(err, APPT_REFUSED, "client #%lld is already blocked (since %s: %s)",
			 c->id, when, c->blocked_reason ? c->blocked_reason : "no reason given");
}

static enum appt_status update_blocked(struct appt_db *db, long long id,
				       int blocked, const char *reason,
				       time_t now, struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"UPDATE clients SET blocked = ?, blocked_reason = ?, updated_at = ?"
		" WHERE id = ?");

	stmt_bind_int64(st, 1, blocked);
	db_bind_text(st, 2, blocked ? reason : NULL);
	stmt_bind_int64(st, 3, now);
	stmt_bind_int64(st, 4, id);
	return db_exec_stmt(db, st, blocked ? "blocking the client" : "unblocking the client",
			    err);
}

static enum appt_status check_block_reason(int blocked, const char *reason,
					   struct appt_err *err)
{
	if (blocked && (!reason || is_blank(reason)))
		return appt_fail(err, APPT_DATAERR, "blocking a client needs a reason");
	return reason ? text_check("reason", reason, 0, err) : APPT_OK;
}

enum appt_status client_set_blocked(struct appt_db *db, long long id,
				    int blocked, const char *reason,
				    const char *actor, time_t now,
				    struct appt_err *err)
{
	struct client c;
	char *before = NULL;
	enum appt_status status;

	blocked = !!blocked;
	if ((status = check_block_reason(blocked, reason, err)) ||
	    (status = client_get(db, id, &c, err)))
		return status;
	if (c.blocked == blocked) {
		status = already(db, &c, err);
		goto out;
	}
	before = event_snapshot(db, "client", id);
	status = update_blocked(db, id, blocked, reason, now, err);
	if (!status)
		status = log_change(db, &(struct change){ .id = id,
			.action = blocked ? "block" : "unblock", .before = before,
			.reason = null_if_empty(reason), .actor = actor, .now = now }, err);
out:
	free(before);
	client_release(&c);
	return status;
}

static enum appt_status update_texts_stopped(struct appt_db *db, long long id, int stopped,
					     time_t now, struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"UPDATE clients SET texts_stopped_at = CASE WHEN ?1 <> 0 THEN ?2 END,"
		" updated_at = ?2 WHERE id = ?3");

	stmt_bind_int64(st, 1, stopped);
	stmt_bind_int64(st, 2, now);
	stmt_bind_int64(st, 3, id);
	return db_exec_stmt(db, st, stopped ? "stopping the client's texts"
					    : "allowing the client's texts", err);
}

enum appt_status client_set_texts_stopped(struct appt_db *db, long long id, int stopped,
					  const char *why, const char *actor, time_t now,
					  int *changed, struct appt_err *err)
{
	struct client c;
	char *before;
	enum appt_status status = client_get(db, id, &c, err);

	*changed = 0;
	if (status)
		return status;
	stopped = !!stopped;
	if ((c.texts_stopped_at != 0) == stopped) {
		client_release(&c);
		return APPT_OK;
	}
	before = event_snapshot(db, "client", id);
	status = update_texts_stopped(db, id, stopped, now, err);
	if (!status)
		status = log_change(db, &(struct change){ .id = id,
			.action = stopped ? "texts-stop" : "texts-start", .before = before,
			.reason = why, .actor = actor, .now = now }, err);
	*changed = !status;
	free(before);
	client_release(&c);
	return status;
}

/* Clients one resolution step found: how many, the first, a list to show. */
struct matches {
	size_t nr;
	long long first;
	struct strbuf shown;
};

static enum appt_status collect_matches(struct appt_db *db, struct stmt *st,
					struct matches *m, struct appt_err *err)
{
	int rc;

	while ((rc = stmt_step(st)) == STORE_ROW) {
		long long id = stmt_column_int64(st, 0);

		if (!m->nr)
			m->first = id;
		if (m->nr < RESOLVE_LIST_MAX)
			strbuf_addf(&m->shown, "%s#%lld %s", m->nr ? ", " : "", id,
				    db_column_str(st, 1));
		m->nr++;
	}
	stmt_finalize(st);
	if (rc != STORE_DONE)
		return db_error(db, rc, "looking up the client", err);
	return APPT_OK;
}

/* Only live records: one merged into another answers to nothing but its number. */
static enum appt_status match_sql(struct appt_db *db, const char *where,
				  const char *value, struct matches *m,
				  struct appt_err *err)
{
	char *sql = xasprintf("SELECT id, name FROM clients WHERE merged_into IS NULL"
			      " AND %s ORDER BY id", where);
	struct stmt *st = db_prepare(db, sql);

	free(sql);
	db_bind_text(st, 1, value);
	return collect_matches(db, st, m, err);
}

static int all_digits(const char *s)
{
	return *s && s[strspn(s, "0123456789")] == '\0';
}

/* A number too large for an id matches no client rather than a wrapped one. */
static enum appt_status match_id(struct appt_db *db, const char *ref,
				 struct matches *m, struct appt_err *err)
{
	struct stmt *st;
	char *end;
	long long id;

	errno = 0;
	id = strtoll(ref, &end, 10);
	if (errno || *end)
		return APPT_OK;
	st = db_prepare(db, "SELECT id, name FROM clients WHERE id = ?");
	stmt_bind_int64(st, 1, id);
	return collect_matches(db, st, m, err);
}

/*
 * The lookups a reference goes through, most specific first; the first that
 * finds anyone decides.  A unique exact name thus wins over a longer name
 * that merely contains it.  The phone step compares keys, so it runs only
 * for a reference that reads as a phone number.
 */
static const char by_phone[] = "phone_key = ?1";
static const char *const email_steps[] = { "email = ?1 COLLATE NOCASE", NULL };
static const char *const other_steps[] = {
	by_phone,
	"name = ?1 COLLATE NOCASE",
	"instr(lower(name), lower(?1)) > 0",
	NULL,
};

enum appt_status client_find_by_contact(struct appt_db *db, const char *phone,
				       const char *email, long long *id, struct appt_err *err)
{
	struct matches m = { 0, 0, STRBUF_INIT };
	char key[PHONE_KEY_SIZE];
	enum appt_status status = APPT_OK;

	if (phone && *phone && !phone_key(phone, phone_country_code(), key, NULL))
		status = match_sql(db, by_phone, key, &m, err);
	if (!status && !m.nr && email && *email)
		status = match_sql(db, email_steps[0], email, &m, err);
	strbuf_release(&m.shown);
	if (!status && !m.nr)
		return appt_fail(err, APPT_NOTFOUND, "no client with that phone or e-mail");
	if (!status)
		*id = m.first;
	return status;
}

static enum appt_status find_matches(struct appt_db *db, const char *ref,
				     struct matches *m, struct appt_err *err)
{
	const char *const *steps = strchr(ref, '@') ? email_steps : other_steps;
	char key[PHONE_KEY_SIZE];
	int keyed = !phone_key(ref, phone_country_code(), key, NULL);
	enum appt_status status = APPT_OK;

	/* Digits alone: the client's number, else a phone typed without spaces. */
	if (all_digits(ref)) {
		status = match_id(db, ref, m, err);
		if (!status && !m->nr && keyed)
			status = match_sql(db, by_phone, key, m, err);
		return status;
	}
	for (size_t i = 0; steps[i] && !status && !m->nr; i++) {
		if (steps[i] == by_phone && !keyed)
			continue;
		status = match_sql(db, steps[i], steps[i] == by_phone ? key : ref, m, err);
	}
	return status;
}

static enum appt_status report_matches(const char *ref, const struct matches *m,
				       long long *id, struct appt_err *err)
{
	if (m->nr == 1) {
		*id = m->first;
		return APPT_OK;
	}
	if (!m->nr && all_digits(ref))
		return appt_fail(err, APPT_NOTFOUND, "no client #%s", ref);
	if (!m->nr)
		return appt_fail(err, APPT_NOTFOUND, "no client matches '%s'", ref);
	return appt_fail(err, APPT_REFUSED, "'%s' matches %zu clients: %s%s; use the number",
			 ref, m->nr, strbuf_str(&m->shown),
			 m->nr > RESOLVE_LIST_MAX ? ", ..." : "");
}

/* merged_into always names a live record: client_merge sees to that. */
static enum appt_status check_not_merged(struct appt_db *db, long long id,
					 struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(db, "SELECT merged_into FROM clients WHERE id = ?");
	long long into = 0;
	enum appt_status status;

	stmt_bind_int64(st, 1, id);
	status = db_query_int(db, st, &into, "looking up the client", err);
	if (!status && into)
		return appt_fail(err, APPT_REFUSED, "client #%lld was merged into #%lld",
				 id, into);
	return status;
}

enum appt_status client_resolve(struct appt_db *db, const char *ref,
				long long *id, struct appt_err *err)
{
	struct matches m = { 0, 0, STRBUF_INIT };
	enum appt_status status;

	if (!ref || is_blank(ref))
		return appt_fail(err, APPT_DATAERR, "empty client reference");
	status = find_matches(db, ref, &m, err);
	if (!status)
		status = report_matches(ref, &m, id, err);
	if (!status)
		status = check_not_merged(db, *id, err);
	strbuf_release(&m.shown);
	return status;
}

enum appt_status client_get(struct appt_db *db, long long id,
			    struct client *out, struct appt_err *err)
{
	static const char sql[] = "SELECT " CLIENT_COLUMNS " FROM clients WHERE id = ?";
	struct stmt *st = db_prepare_cached(db, sql);
	int rc;

	memset(out, 0, sizeof(*out));
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == STORE_ROW)
		client_from_row(st, out);
	stmt_reset(st);
	if (rc == STORE_ROW)
		return APPT_OK;
	if (rc == STORE_DONE)
		return appt_fail(err, APPT_NOTFOUND, "no client #%lld", id);
	return db_error(db, rc, "reading the client", err);
}

int client_noshow_count(struct appt_db *db, long long id, time_t since)
{
	struct stmt *st = db_prepare(db,
		"SELECT count(*) FROM appointments WHERE client_id = ?"
		" AND status = 'no-show' AND start_at >= ?");
	long long n = 0;

	stmt_bind_int64(st, 1, id);
	stmt_bind_int64(st, 2, since);
	db_query_int(db, st, &n, "counting no-shows", NULL);
	return (int)n;
}

enum appt_status client_each_note(struct appt_db *db, long long id,
				  void (*fn)(const struct client_note *n, void *data),
				  void *data, struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"SELECT at, actor, text, alert FROM client_notes WHERE client_id = ?"
		" ORDER BY at, id");
	int rc;

	stmt_bind_int64(st, 1, id);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		struct client_note n = {
			.at = (time_t)stmt_column_int64(st, 0),
			.actor = db_column_str(st, 1),
			.text = db_column_str(st, 2),
			.alert = stmt_column_int(st, 3),
		};
		fn(&n, data);
	}
	stmt_finalize(st);
	if (rc != STORE_DONE)
		return db_error(db, rc, "reading the notes", err);
	return APPT_OK;
}

enum appt_status client_each(struct appt_db *db, const char *match,
			     void (*fn)(const struct client *c, void *data),
			     void *data, struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"SELECT " CLIENT_COLUMNS " FROM clients WHERE merged_into IS NULL"
		" AND (?1 IS NULL"
		" OR instr(lower(name), lower(?1)) > 0"
		" OR instr(lower(COALESCE(phone, '')), lower(?1)) > 0"
		" OR instr(lower(COALESCE(email, '')), lower(?1)) > 0)"
		" ORDER BY name COLLATE NOCASE, id");
	int rc;

	db_bind_text(st, 1, null_if_empty(match));
	while ((rc = stmt_step(st)) == STORE_ROW) {
		struct client c;

		client_from_row(st, &c);
		fn(&c, data);
		client_release(&c);
	}
	stmt_finalize(st);
	if (rc != STORE_DONE)
		return db_error(db, rc, "listing clients", err);
	return APPT_OK;
}

enum appt_status client_check_program(const struct appt_config *cfg,
				      const char *program, struct appt_err *err)
{
	struct strbuf known = STRBUF_INIT;
	enum appt_status status;

	if (!null_if_empty(program) || config_program(cfg, program))
		return APPT_OK;
	for (size_t i = 0; i < cfg->nr_programs; i++)
		strbuf_addf(&known, "%s%s", i ? ", " : "", cfg->programs[i].id);
	if (known.len)
		status = appt_fail(err, APPT_DATAERR, "unknown program '%s' (programs: %s)",
				   program, known.buf);
	else
		status = appt_fail(err, APPT_DATAERR,
				   "unknown program '%s' (the configuration defines no programs)",
				   program);
	strbuf_release(&known);
	return status;
}

enum appt_status client_alerts(struct appt_db *db, long long id,
			       struct strlist *out, struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(db,
		"SELECT text FROM client_notes WHERE client_id = ? AND alert <> 0"
		" ORDER BY at, id");
	int rc;

	stmt_bind_int64(st, 1, id);
	while ((rc = stmt_step(st)) == STORE_ROW)
		strlist_push(out, db_column_str(st, 0));
	stmt_reset(st);
	if (rc != STORE_DONE)
		return db_error(db, rc, "reading the alerts", err);
	return APPT_OK;
}

/* A stored phone and the key it has. */
struct keyed_phone {
	long long id;
	char *phone;
	char *key;
};

/* Read whole before any is written: an UPDATE must not move a running scan. */
static enum appt_status read_phones(struct appt_db *db, struct keyed_phone **out,
				    size_t *nr, struct appt_err *err)
{
	struct stmt *st = db_prepare(db,
		"SELECT id, phone, phone_key FROM clients WHERE phone IS NOT NULL"
		" OR phone_key IS NOT NULL ORDER BY id");
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*nr = 0;
	while ((rc = stmt_step(st)) == STORE_ROW) {
		ALLOC_GROW(*out, *nr + 1, alloc);
		(*out)[(*nr)++] = (struct keyed_phone){ stmt_column_int64(st, 0),
			db_column_strdup(st, 1), db_column_strdup(st, 2) };
	}
	stmt_finalize(st);
	return rc == STORE_DONE ? APPT_OK : db_error(db, rc, "reading the clients' phones", err);
}

static enum appt_status set_phone_key(struct appt_db *db, long long id,
				      const char *key, struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(db, "UPDATE clients SET phone_key = ? WHERE id = ?");

	db_bind_text(st, 1, key);
	stmt_bind_int64(st, 2, id);
	return db_exec_stmt(db, st, "setting a phone key", err);
}

/* One client's key again; a phone the rules refuse keeps none. */
static enum appt_status rekey(struct appt_db *db, const struct keyed_phone *p,
			      size_t *changed, struct strlist *unkeyed,
			      struct appt_err *err)
{
	struct appt_err why = { "" };
	char key[PHONE_KEY_SIZE] = "";

	if (p->phone && phone_key(p->phone, phone_country_code(), key, &why)) {
		char *line = xasprintf("client #%lld: %s", p->id, why.msg);

		strlist_push(unkeyed, line);
		free(line);
		key[0] = '\0';
	}
	if (!strcmp(p->key ? p->key : "", key))
		return APPT_OK;
	(*changed)++;
	return set_phone_key(db, p->id, null_if_empty(key), err);
}

/* Keys are derived data, not a change anyone made: no audit event. */
enum appt_status client_rekey_phones(struct appt_db *db, size_t *changed,
				     struct strlist *unkeyed, struct appt_err *err)
{
	struct keyed_phone *phones = NULL;
	size_t nr = 0;
	enum appt_status status = db_begin_write(db, err);

	*changed = 0;
	if (status)
		return status;
	status = read_phones(db, &phones, &nr, err);
	for (size_t i = 0; i < nr; i++) {
		if (!status)
			status = rekey(db, &phones[i], changed, unkeyed, err);
		free(phones[i].phone);
		free(phones[i].key);
	}
	free(phones);
	return db_finish_write(db, status, err);
}
