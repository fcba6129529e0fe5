/*
 * token: the secrets in appt serve's links.  An appointment's page
 * (/a/TOKEN) and a provider's calendar feed (/feed/TOKEN.ics) are opened by
 * whoever holds the link: there are no accounts, the token is the authority
 * (as Easy!Appointments' hash links and Cal.com's booking links are).
 *
 * A token is 128 random bits from getrandom(2), written as 22 base64url
 * characters so that it fits a text message.  Only its SHA-256 is stored:
 * a copy of the database (a backup, an export) opens nothing.  A lookup
 * hashes what it was given and asks the unique index for that hash, so a
 * guess near a real token is no faster or slower to refuse than any other.
 *
 * An appointment may have many tokens: each message that prints
 * {{appointment.url}} mints its own (the plain token exists only in that
 * message), and every one stays valid as long as the appointment exists.
 * A provider has one feed token; minting a new one revokes the old.
 */
#ifndef APPT_TOKEN_H
#define APPT_TOKEN_H

#include <time.h>

#include "db.h"
#include "util.h"

#define TOKEN_BYTES 16
#define TOKEN_TEXT_LEN 22 /* base64url of 16 bytes, without padding */
#define TOKEN_TEXT_SIZE (TOKEN_TEXT_LEN + 1)

/*
 * Mints a token for the appointment, inside the caller's write transaction
 * (or one of its own): *text receives it.
 */
enum appt_status token_mint_appointment(struct appt_db *db, time_t now,
					long long appointment_id,
					char text[TOKEN_TEXT_SIZE], struct appt_err *err);

/* Mints the provider's feed token, revoking the ones before it; its own transaction. */
enum appt_status token_mint_feed(struct appt_db *db, time_t now, const char *provider,
				 char text[TOKEN_TEXT_SIZE], struct appt_err *err);

/*
 * The appointment a token opens: *appointment_id, or APPT_NOTFOUND for any
 * text that is not a live token (malformed, unknown, a feed's).
 */
enum appt_status token_find_appointment(struct appt_db *db, const char *text,
					long long *appointment_id, struct appt_err *err);

/* The provider whose feed a token opens (caller frees *provider), or APPT_NOTFOUND. */
enum appt_status token_find_feed(struct appt_db *db, const char *text, char **provider,
				 struct appt_err *err);

/* Whether text has a token's shape: 22 base64url characters. */
int token_well_formed(const char *text, size_t len);

#endif
