#include "phone.h"

#include <string.h>

/* Punctuation people type inside a number; none of it changes the number. */
#define PHONE_PUNCT " -().+"

/* The longest country code (ITU-T E.164 assigns 1 to 3 digits). */
#define COUNTRY_CODE_MAX 3

static char country_code[COUNTRY_CODE_MAX + 1];

int phone_country_code_valid(const char *cc)
{
	size_t n = cc ? strlen(cc) : 0;

	return n >= 1 && n <= COUNTRY_CODE_MAX && cc[0] != '0' &&
	       strspn(cc, "0123456789") == n;
}

void phone_set_country_code(const char *cc)
{
	if (phone_country_code_valid(cc))
		memcpy(country_code, cc, strlen(cc) + 1);
	else
		country_code[0] = '\0';
}

const char *phone_country_code(void)
{
	return country_code;
}

/* The typed characters, before any digit is read. */
static enum appt_status check_typed(const char *typed, struct appt_err *err)
{
	size_t len = strlen(typed);
	const char *plus = strchr(typed, '+');

	/* Not echoed: a hundred thousand digits make no readable message. */
	if (len > PHONE_MAX_TYPED)
		return appt_fail(err, APPT_DATAERR,
				 "phone number is too long (%zu characters; at most %d)",
				 len, PHONE_MAX_TYPED);
	if (typed[strspn(typed, "0123456789" PHONE_PUNCT)] || !strpbrk(typed, "0123456789"))
		return appt_fail(err, APPT_DATAERR,
				 "invalid phone number '%s' (digits, spaces and + - ( ) . only)",
				 typed);
	if (plus && (plus != typed + strspn(typed, " ") || strchr(plus + 1, '+')))
		return appt_fail(err, APPT_DATAERR,
				 "invalid phone number '%s' ('+' only in front)", typed);
	return APPT_OK;
}

/* The digits of typed, in order; typed passed check_typed. */
static size_t digits_of(const char *typed, char *out)
{
	size_t n = 0;

	for (; *typed; typed++)
		if (*typed >= '0' && *typed <= '9')
			out[n++] = *typed;
	out[n] = '\0';
	return n;
}

/* How long the international prefix in front of digits is (0: none). */
static size_t exit_prefix(const char *digits, const char *cc)
{
	if (!strncmp(digits, "00", 2))
		return 2;
	/* NANP's own; no national number there starts with 0. */
	if (!strcmp(cc, "1") && !strncmp(digits, "011", 3))
		return 3;
	return 0;
}

/* The national trunk prefix dropped before the country code goes in front. */
static const char *trunk_prefix(const char *cc)
{
	if (!strcmp(cc, "1"))
		return "1";
	if (!strcmp(cc, "39"))
		return "";
	return "0";
}

static enum appt_status too_many(const char *typed, size_t n, const char *cc,
				 struct appt_err *err)
{
	if (cc)
		return appt_fail(err, APPT_DATAERR,
				 "phone number '%s' has %zu digits with country code %s (at most %d, E.164)",
				 typed, n, cc, PHONE_MAX_DIGITS);
	return appt_fail(err, APPT_DATAERR, "phone number '%s' has %zu digits (at most %d, E.164)",
			 typed, n, PHONE_MAX_DIGITS);
}

/* "+" and digits: the number as the world dials it. */
static enum appt_status international(const char *typed, const char *digits,
				      char *key, struct appt_err *err)
{
	size_t n = strlen(digits);

	if (!n)
		return appt_fail(err, APPT_DATAERR,
				 "invalid phone number '%s' (no number after the international prefix)",
				 typed);
	if (n > PHONE_MAX_DIGITS)
		return too_many(typed, n, NULL, err);
	key[0] = '+';
	memcpy(key + 1, digits, n + 1);
	return APPT_OK;
}

static enum appt_status national(const char *typed, const char *digits,
				 const char *cc, char *key, struct appt_err *err)
{
	const char *trunk = trunk_prefix(cc);
	size_t t = strlen(trunk), n;

	if (*trunk && !strncmp(digits, trunk, t) && digits[t])
		digits += t;
	n = strlen(digits);
	if (strlen(cc) + n > PHONE_MAX_DIGITS)
		return too_many(typed, strlen(cc) + n, cc, err);
	key[0] = '+';
	memcpy(key + 1, cc, strlen(cc));
	memcpy(key + 1 + strlen(cc), digits, n + 1);
	return APPT_OK;
}

enum appt_status phone_key(const char *typed, const char *cc,
			   char key[PHONE_KEY_SIZE], struct appt_err *err)
{
	char digits[PHONE_MAX_TYPED + 1];
	enum appt_status status;
	size_t n, skip;

	if ((status = check_typed(typed, err)))
		return status;
	n = digits_of(typed, digits);
	cc = phone_country_code_valid(cc) ? cc : "";
	if (strchr(typed, '+'))
		return international(typed, digits, key, err);
	if ((skip = exit_prefix(digits, cc)))
		return international(typed, digits + skip, key, err);
	if (*cc)
		return national(typed, digits, cc, key, err);
	if (n > PHONE_MAX_DIGITS)
		return too_many(typed, n, NULL, err);
	memcpy(key, digits, n + 1);
	return APPT_OK;
}
