/*
 * phone: one key per phone number however it was typed, so that
 * "303-555-0101", "(303) 555 0101", "3035550101", "+1 303 555 0101" and
 * "1-303-555-0101" name one client when the business's country code is 1.
 *
 * The rule (appt-config(5), business.country_code):
 *
 * - A number is typed with digits, spaces and + - ( ) . only, '+' only in
 *   front; at most PHONE_MAX_TYPED characters.
 * - International: a leading '+', or the international prefix 00 (and 011
 *   when the country code is 1).  The key is '+' and the digits after it.
 * - National (anything else) with a country code C: the trunk prefix is
 *   dropped (a leading 1 for C = 1, a leading 0 for every other code but 39,
 *   as Italian numbers keep their 0) and the key is '+', C, then the digits.
 * - National without a country code: the key is the digits alone, so such
 *   numbers match each other however punctuated, but not a '+' form.
 * - A key has at most PHONE_MAX_DIGITS digits (E.164), country code included.
 */
#ifndef APPT_PHONE_H
#define APPT_PHONE_H

#include <stddef.h>

#include "util.h"

/* The longest number accepted as typed, in bytes: room for any punctuation. */
#define PHONE_MAX_TYPED 32
/* E.164: at most 15 digits, the country code included. */
#define PHONE_MAX_DIGITS 15
/* A key: '+', the digits, NUL. */
#define PHONE_KEY_SIZE (PHONE_MAX_DIGITS + 2)

/*
 * The key of typed into key, with country_code ("1", "44"; NULL or "" for
 * none).  APPT_DATAERR naming the phone number when it is malformed or too
 * long.
 */
enum appt_status phone_key(const char *typed, const char *country_code,
			   char key[PHONE_KEY_SIZE], struct appt_err *err);

/* Whether cc is a country code: 1 to 3 digits, not starting with 0. */
int phone_country_code_valid(const char *cc);

/*
 * The business's country code for the whole process, as the session
 * installs it from the configuration (the way the time zone is installed):
 * every client lookup and write keys phones with it, without each caller
 * passing the configuration along.  NULL or "" for none.
 */
void phone_set_country_code(const char *cc);
const char *phone_country_code(void);

#endif
