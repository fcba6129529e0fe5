/*
 * token: minting and finding the secrets of appt serve's links.  Nettle
 * gives the hash; the kernel gives the randomness.
 */
#include "token.h"

#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <stdio.h>
#include <sys/random.h>

static const char b64url[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* 16 bytes as 22 base64url characters: 5 groups of 3 bytes, then 1 byte. */
static void encode(const unsigned char in[TOKEN_BYTES], char out[TOKEN_TEXT_SIZE])
{
	size_t o = 0, i;

	for (i = 0; i + 3 <= TOKEN_BYTES; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];

		out[o++] = b64url[v >> 18 & 63];
		out[o++] = b64url[v >> 12 & 63];
		out[o++] = b64url[v >> 6 & 63];
		out[o++] = b64url[v & 63];
	}
	out[o++] = b64url[in[i] >> 2];
	out[o++] = b64url[(in[i] & 3) << 4];
	out[o] = '\0';
}

int token_well_formed(const char *text, size_t len)
{
	if (len != TOKEN_TEXT_LEN)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!text[i] || !strchr(b64url, text[i]))
			return 0;
	return 1;
}

/* The stored form: the token's SHA-256 in hex. */
static void hash_text(const char *text, char out[2 * SHA256_DIGEST_SIZE + 1])
{
	struct sha256_ctx ctx;
	unsigned char digest[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, TOKEN_TEXT_LEN, (const uint8_t *)text);
	sha256_digest(&ctx, sizeof(digest), digest);
	for (size_t i = 0; i < sizeof(digest); i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

static enum appt_status fresh_token(char text[TOKEN_TEXT_SIZE], struct appt_err *err)
{
	unsigned char raw[TOKEN_BYTES];

	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return appt_fail(err, APPT_IOERR, "getrandom: %s", strerror(errno));
	encode(raw, text);
	return APPT_OK;
}

static enum appt_status insert_token(struct appt_db *db, time_t now, long long appointment_id,
				     const char *provider, char text[TOKEN_TEXT_SIZE],
				     struct appt_err *err)
{
	char hash[2 * SHA256_DIGEST_SIZE + 1];
	struct stmt *st;
	enum appt_status status = fresh_token(text, err);

	if (status)
		return status;
	hash_text(text, hash);
	st = db_prepare_cached(db, "INSERT INTO access_tokens"
			       " (hash, kind, appointment_id, provider, created_at)"
			       " VALUES (?1, ?2, nullif(?3, 0), ?4, ?5)");
	db_bind_text(st, 1, hash);
	db_bind_text(st, 2, provider ? "feed" : "appointment");
	stmt_bind_int64(st, 3, appointment_id);
	db_bind_text(st, 4, provider);
	stmt_bind_int64(st, 5, (long long)now);
	return db_exec_stmt(db, st, "storing a link's token", err);
}

enum appt_status token_mint_appointment(struct appt_db *db, time_t now,
					long long appointment_id,
					char text[TOKEN_TEXT_SIZE], struct appt_err *err)
{
	enum appt_status status = db_begin_write(db, err);

	if (status)
		return status;
	status = insert_token(db, now, appointment_id, NULL, text, err);
	return db_finish_write(db, status, err);
}

enum appt_status token_mint_feed(struct appt_db *db, time_t now, const char *provider,
				 char text[TOKEN_TEXT_SIZE], struct appt_err *err)
{
	enum appt_status status = db_begin_write(db, err);
	struct stmt *st;

	if (status)
		return status;
	st = db_prepare(db, "DELETE FROM access_tokens WHERE kind = 'feed' AND provider = ?1");
	db_bind_text(st, 1, provider);
	status = db_exec_stmt(db, st, "revoking the provider's old feed", err);
	if (!status)
		status = insert_token(db, now, 0, provider, text, err);
	return db_finish_write(db, status, err);
}

/* Reads the token's row: the appointment's id, or the feed's provider. */
static enum appt_status find_token(struct appt_db *db, const char *text, const char *kind,
				   long long *appointment_id, char **provider,
				   struct appt_err *err)
{
	char hash[2 * SHA256_DIGEST_SIZE + 1];
	struct stmt *st;
	int rc;

	if (!token_well_formed(text, strlen(text)))
		return appt_fail(err, APPT_NOTFOUND, "no such link");
	hash_text(text, hash);
	st = db_prepare_cached(db, "SELECT appointment_id, provider FROM access_tokens"
			       " WHERE hash = ?1 AND kind = ?2");
	db_bind_text(st, 1, hash);
	db_bind_text(st, 2, kind);
	rc = stmt_step(st);
	if (rc == STORE_ROW) {
		if (appointment_id)
			*appointment_id = stmt_column_int64(st, 0);
		if (provider)
			*provider = db_column_strdup(st, 1);
	}
	stmt_reset(st);
	if (rc == STORE_ROW)
		return APPT_OK;
	if (rc != STORE_DONE)
		return db_error(db, rc, "looking up a link", err);
	return appt_fail(err, APPT_NOTFOUND, "no such link");
}

enum appt_status token_find_appointment(struct appt_db *db, const char *text,
					long long *appointment_id, struct appt_err *err)
{
	return find_token(db, text, "appointment", appointment_id, NULL, err);
}

enum appt_status token_find_feed(struct appt_db *db, const char *text, char **provider,
				 struct appt_err *err)
{
	return find_token(db, text, "feed", NULL, provider, err);
}
