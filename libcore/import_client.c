/* import_client: finding the clients rows name, and client rows themselves. */
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "import_priv.h"
#include "phone.h"

/*
 * Client lookups remembered: a table of this many slots (a power of two,
 * at most half used) and keys of this many bytes; then it starts over.
 */
#define CLIENT_CACHE_SLOTS (1u << 17)
#define CLIENT_CACHE_BYTES (4u << 20)

/* ---- finding clients ---- */

enum { K_XID = 1, K_NAME = 2, K_EMAIL = 4, K_PHONE = 8 };

/*
 * Every lookup binds ?1 name, ?2 e-mail, ?3 phone key, ?4 external id.  A
 * record merged into another stands for the one it went into (merged_into
 * always names a live record), so a file from before a merge still finds
 * its client; the second column says a row was found only that way.
 */
#define CLIENT_MATCH(where)                                                  \
	"SELECT COALESCE(merged_into, id), min(merged_into IS NOT NULL)"     \
	" FROM clients WHERE " where " GROUP BY 1 ORDER BY 1 LIMIT 2"

/*
 * The lookups a client goes through, first match wins.  An e-mail or a
 * phone matches together with the name when a name is given: family
 * members often share one address, and a row must never change another
 * person's record or give them its appointment.
 */
static const struct match_step {
	const char *sql;
	const char *by;
	unsigned need;   /* key parts that must be given */
	unsigned absent; /* key parts that must not be */
} match_steps[] = {
	{ CLIENT_MATCH("external_id = ?4"), "external_id", K_XID, 0 },
	{ CLIENT_MATCH("email = ?2 COLLATE NOCASE AND name = ?1 COLLATE NOCASE"),
	  "e-mail and name", K_EMAIL | K_NAME, 0 },
	{ CLIENT_MATCH("phone_key = ?3 AND name = ?1 COLLATE NOCASE"),
	  "phone and name", K_PHONE | K_NAME, 0 },
	{ CLIENT_MATCH("email = ?2 COLLATE NOCASE"), "e-mail", K_EMAIL, K_NAME },
	{ CLIENT_MATCH("phone_key = ?3"), "phone", K_PHONE, K_NAME },
	{ CLIENT_MATCH("name = ?1 COLLATE NOCASE"), "name", K_NAME, K_EMAIL | K_PHONE },
};

static unsigned key_parts(const struct client_key *k)
{
	return (k->external_id ? K_XID : 0) | (k->name ? K_NAME : 0) |
	       (k->email ? K_EMAIL : 0) | (k->phone ? K_PHONE : 0);
}

static enum appt_status run_step(struct importer *im, const struct match_step *step,
				 const struct client_key *k, long long *id,
				 int *merged, struct appt_err *err)
{
	struct stmt *st = db_prepare_cached(im->s->db, step->sql);
	long long ids[2] = { 0, 0 };
	int rc, n = 0;

	db_bind_text(st, 1, k->name);
	db_bind_text(st, 2, k->email);
	db_bind_text(st, 3, k->phone);
	db_bind_text(st, 4, k->external_id);
	while (n < 2 && (rc = stmt_step(st)) == STORE_ROW) {
		*merged = stmt_column_int(st, 1);
		ids[n++] = stmt_column_int64(st, 0);
	}
	stmt_reset(st);
	if (n < 2 && rc != STORE_DONE)
		return db_error(im->s->db, rc, "looking up the client", err);
	if (n == 2)
		return appt_fail(err, APPT_DATAERR,
				 "more than one client has this %s (#%lld, #%lld, ...); "
				 "give an external_id or a distinct e-mail or phone",
				 step->by, ids[0], ids[1]);
	*id = ids[0];
	return APPT_OK;
}

enum appt_status import_find_client(struct importer *im, const struct client_key *k,
				    long long *id, const char **by, int *merged,
				    struct appt_err *err)
{
	unsigned have = key_parts(k);
	enum appt_status status = APPT_OK;

	*id = 0;
	*merged = 0;
	for (size_t i = 0; i < sizeof(match_steps) / sizeof(match_steps[0]); i++) {
		const struct match_step *step = &match_steps[i];

		if ((have & step->need) != step->need || (have & step->absent))
			continue;
		*by = step->by;
		if ((status = run_step(im, step, k, id, merged, err)) || *id)
			return status;
	}
	return status;
}

enum appt_status import_key_phone(struct client_key *k, char key[PHONE_KEY_SIZE],
				  struct appt_err *err)
{
	enum appt_status status;

	if (!k->phone)
		return APPT_OK;
	if ((status = phone_key(k->phone, phone_country_code(), key, err)))
		return status;
	k->phone = key;
	return APPT_OK;
}

/* ---- the client cache: an appointment file names the same people often ---- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

void client_cache_release(struct client_cache *c)
{
	free(c->slots);
	strbuf_release(&c->arena);
	strbuf_release(&c->key);
	memset(c, 0, sizeof(*c));
}

/* The key of a name, e-mail and phone, in c->key. */
static const char *cache_key(struct client_cache *c, const struct client_key *k)
{
	strbuf_reset(&c->key);
	strbuf_addf(&c->key, "%s\x1f%s\x1f%s", k->name ? k->name : "",
		    k->email ? k->email : "", k->phone ? k->phone : "");
	return c->key.buf;
}

static struct cached_client *cache_slot(const struct client_cache *c,
					const char *key, uint64_t hash)
{
	size_t mask = CLIENT_CACHE_SLOTS - 1, i = (size_t)hash & mask;

	while (c->slots[i].id && (c->slots[i].hash != hash ||
				  strcmp(c->arena.buf + c->slots[i].key, key)))
		i = (i + 1) & mask;
	return &c->slots[i];
}

long long client_cache_get(struct client_cache *c, const struct client_key *k)
{
	const char *key;

	if (!c->slots)
		return 0;
	key = cache_key(c, k);
	return cache_slot(c, key, hash_str(key))->id;
}

/* A full cache starts over: memory stays bounded whatever the file holds. */
void client_cache_put(struct client_cache *c, const struct client_key *k, long long id)
{
	const char *key = cache_key(c, k);
	uint64_t hash = hash_str(key);
	struct cached_client *slot;

	if (!c->slots)
		c->slots = xcalloc(CLIENT_CACHE_SLOTS, sizeof(*c->slots));
	if (2 * c->nr >= CLIENT_CACHE_SLOTS || c->arena.len >= CLIENT_CACHE_BYTES) {
		memset(c->slots, 0, CLIENT_CACHE_SLOTS * sizeof(*c->slots));
		strbuf_reset(&c->arena);
		c->nr = 0;
	}
	slot = cache_slot(c, key, hash);
	if (!slot->id) {
		*slot = (struct cached_client){ hash, 0, c->arena.len };
		strbuf_add(&c->arena, key, c->key.len + 1);
		c->nr++;
	}
	slot->id = id;
}

/* ---- client rows ---- */

/* A note is known as itself, or as all the notes joined, as export writes them. */
static const char note_known_sql[] =
	"SELECT 1 FROM client_notes WHERE client_id = ?1 AND text = ?2"
	" UNION ALL SELECT 1 FROM (SELECT group_concat(text, '\n') AS t"
	" FROM (SELECT text FROM client_notes WHERE client_id = ?1"
	" ORDER BY id) notes) joined WHERE t = ?2 LIMIT 1";

static const char *differs(const char *given, const char *stored, int nocase)
{
	if (!given)
		return NULL;
	if (stored && (nocase ? str_ieq(given, stored) : !strcmp(given, stored)))
		return NULL;
	return given;
}

/* A phone is the same number however the file types it. */
static const char *phone_differs(const char *given, const char *key, const char *stored)
{
	char stored_key[PHONE_KEY_SIZE];

	if (!given || (stored && !phone_key(stored, phone_country_code(), stored_key, NULL) &&
		       !strcmp(key, stored_key)))
		return NULL;
	return given;
}

/* The given cells that differ from the stored client; 0 when none do. */
static int client_changes(const struct client_fields *f, const char *key,
			  const struct client *c, struct client_fields *diff)
{
	*diff = (struct client_fields){
		.name = differs(f->name, c->name, 0),
		.phone = phone_differs(f->phone, key, c->phone),
		.email = differs(f->email, c->email, 1),
		.channel = differs(f->channel, c->channel, 0),
		.program = differs(f->program, c->program, 0),
		.external_id = differs(f->external_id, c->external_id, 0),
		.allow_duplicate = f->allow_duplicate,
	};
	return diff->name || diff->phone || diff->email || diff->channel ||
	       diff->program || diff->external_id;
}

/* Adds the row's notes unless the client has them; *changed when added. */
static enum appt_status merge_note(struct importer *im, long long id,
				   int *changed, struct appt_err *err)
{
	struct appt_session *s = im->s;
	const char *text = im->val[F_NOTES];
	struct stmt *st;
	long long known = 0;
	enum appt_status status;

	if (!text)
		return APPT_OK;
	st = db_prepare_cached(s->db, note_known_sql);
	stmt_bind_int64(st, 1, id);
	db_bind_text(st, 2, text);
	status = db_query_int(s->db, st, &known, "looking up the client's notes", err);
	if (status || known)
		return status;
	*changed = 1;
	return client_add_note(s->db, id, text, 0, s->actor, s->now, err);
}

static enum appt_status check_same_client(const struct client *c, const char *xid,
					  const char *by, struct appt_err *err)
{
	if (xid && c->external_id && strcmp(xid, c->external_id))
		return appt_fail(err, APPT_DATAERR,
				 "client #%lld (found by %s) has external_id '%s', not '%s'",
				 c->id, by, c->external_id, xid);
	return APPT_OK;
}

static enum appt_status update_client(struct importer *im, long long id,
				      const struct client_fields *f, const char *key,
				      const char *by, struct appt_err *err)
{
	struct appt_session *s = im->s;
	struct client c;
	struct client_fields diff;
	int changed = 0;
	enum appt_status status = client_get(s->db, id, &c, err);

	if (status)
		return status;
	status = check_same_client(&c, f->external_id, by, err);
	if (!status && client_changes(f, key, &c, &diff)) {
		changed = 1;
		status = client_edit(s->db, id, &diff, s->actor, s->now, err);
	}
	client_release(&c);
	if (!status)
		status = merge_note(im, id, &changed, err);
	if (!status)
		changed ? im->res->updated++ : im->res->unchanged++;
	return status;
}

static enum appt_status add_client(struct importer *im, const struct client_fields *f,
				   struct appt_err *err)
{
	struct appt_session *s = im->s;
	long long id = 0;
	int changed = 0;
	enum appt_status status;

	if (!f->name)
		return appt_fail(err, APPT_DATAERR, "name is empty: a new client needs one");
	status = client_add(s->db, f, s->actor, s->now, &id, err);
	if (!status)
		status = merge_note(im, id, &changed, err);
	if (!status)
		im->res->added++;
	return status;
}

/*
 * A row found only through a record merged into another describes what was
 * folded in by hand: it leaves the client as the merge made it, so that a
 * file from before the merge imports as unchanged.
 */
enum appt_status import_client_row(struct importer *im, struct appt_err *err)
{
	char **v = im->val;
	struct client_fields f = {
		.name = v[F_NAME], .phone = v[F_PHONE], .email = v[F_EMAIL],
		.channel = v[F_CHANNEL], .program = v[F_PROGRAM],
		.external_id = v[F_EXTERNAL_ID],
		.allow_duplicate = im->opt->allow_duplicate,
	};
	struct client_key k = { f.name, f.email, f.phone, f.external_id };
	char key[PHONE_KEY_SIZE] = "";
	const char *by;
	long long id;
	int merged;
	enum appt_status status;

	if ((status = client_validate(&f, err)) ||
	    (status = client_check_program(im->s->cfg, f.program, err)) ||
	    (status = import_key_phone(&k, key, err)) ||
	    (status = import_find_client(im, &k, &id, &by, &merged, err)))
		return status;
	if (merged) {
		im->res->unchanged++;
		return APPT_OK;
	}
	return id ? update_client(im, id, &f, key, by, err) : add_client(im, &f, err);
}
