#include "unit.h"
#include "phone.h"

/* The key of typed with country code cc, or "ERROR" when it is refused. */
static const char *key_of(const char *typed, const char *cc)
{
	static char key[PHONE_KEY_SIZE];
	struct appt_err err;

	if (phone_key(typed, cc, key, &err) != APPT_OK)
		return "ERROR";
	return key;
}

/* The message a refused number gets. */
static const char *refusal(const char *typed, const char *cc)
{
	static struct appt_err err;
	char key[PHONE_KEY_SIZE];

	err.msg[0] = '\0';
	if (phone_key(typed, cc, key, &err) != APPT_DATAERR)
		return "accepted";
	return err.msg;
}

TEST(nanp_typings_share_one_key)
{
	static const char *const typed[] = {
		"303-555-0101", "(303) 555 0101", "3035550101", "+1 303 555 0101",
		"1-303-555-0101", "303.555.0101", "+13035550101", "011 1 303 555 0101",
		"001 303 555 0101", " +1 (303) 555-0101 ",
	};

	for (size_t i = 0; i < sizeof(typed) / sizeof(typed[0]); i++)
		CHECK_STR(key_of(typed[i], "1"), "+13035550101");
}

TEST(other_countries_keep_their_code)
{
	CHECK_STR(key_of("+44 20 7946 0018", "1"), "+442079460018");
	CHECK_STR(key_of("0044 20 7946 0018", "1"), "+442079460018");
	CHECK_STR(key_of("011 44 20 7946 0018", "1"), "+442079460018");
	/* A British clinic: the national trunk 0 goes, +44 comes in front. */
	CHECK_STR(key_of("020 7946 0018", "44"), "+442079460018");
	CHECK_STR(key_of("+44 20 7946 0018", "44"), "+442079460018");
	CHECK_STR(key_of("+1 303 555 0101", "44"), "+13035550101");
	/* Italian numbers keep their leading 0 after +39. */
	CHECK_STR(key_of("06 1234 5678", "39"), "+390612345678");
	CHECK_STR(key_of("+39 06 1234 5678", "39"), "+390612345678");
	/* 011 is an international prefix only where the code is 1. */
	CHECK_STR(key_of("011 44 20", "44"), "+44114420");
}

TEST(without_a_country_code_digits_alone)
{
	CHECK_STR(key_of("303-555-0101", NULL), "3035550101");
	CHECK_STR(key_of("(303) 555 0101", ""), "3035550101");
	CHECK_STR(key_of("+1 303 555 0101", NULL), "+13035550101");
	CHECK_STR(key_of("00 1 303 555 0101", NULL), "+13035550101");
	/* An invalid code counts as none. */
	CHECK_STR(key_of("303-555-0101", "0x"), "3035550101");
}

TEST(bad_numbers_are_refused)
{
	CHECK_STR(refusal("555-CALL-NOW", "1"),
		  "invalid phone number '555-CALL-NOW' (digits, spaces and + - ( ) . only)");
	CHECK_STR(refusal("+-()", "1"),
		  "invalid phone number '+-()' (digits, spaces and + - ( ) . only)");
	CHECK_STR(refusal("555+0101", "1"), "invalid phone number '555+0101' ('+' only in front)");
	CHECK_STR(refusal("++1 555", "1"), "invalid phone number '++1 555' ('+' only in front)");
	CHECK_STR(refusal("00", "1"),
		  "invalid phone number '00' (no number after the international prefix)");
}

TEST(lengths_are_bounded)
{
	/* 15 digits is E.164's most; 16 is refused, in every form. */
	CHECK_STR(key_of("+123456789012345", NULL), "+123456789012345");
	CHECK_STR(refusal("+1234567890123456", NULL),
		  "phone number '+1234567890123456' has 16 digits (at most 15, E.164)");
	CHECK_STR(key_of("12345678901234", "1"), "+12345678901234");
	CHECK_STR(refusal("223456789012345", "1"),
		  "phone number '223456789012345' has 16 digits with country code 1 (at most 15, E.164)");
	CHECK_STR(refusal("1234567890123456", NULL),
		  "phone number '1234567890123456' has 16 digits (at most 15, E.164)");
	/* Punctuation may pad a number up to 32 characters, not beyond. */
	CHECK_STR(key_of("+1 (303) 555 - 0101 . . . . . . ", "1"), "+13035550101");
	CHECK_STR(refusal("+1 (303) 555 - 0101 . . . . . . .", "1"),
		  "phone number is too long (33 characters; at most 32)");
}

TEST(country_codes_are_checked)
{
	CHECK(phone_country_code_valid("1"));
	CHECK(phone_country_code_valid("44"));
	CHECK(phone_country_code_valid("358"));
	CHECK(!phone_country_code_valid(""));
	CHECK(!phone_country_code_valid(NULL));
	CHECK(!phone_country_code_valid("+1"));
	CHECK(!phone_country_code_valid("01"));
	CHECK(!phone_country_code_valid("1234"));
	phone_set_country_code("44");
	CHECK_STR(phone_country_code(), "44");
	phone_set_country_code("bogus");
	CHECK_STR(phone_country_code(), "");
}

int main(void)
{
	RUN(nanp_typings_share_one_key);
	RUN(other_countries_keep_their_code);
	RUN(without_a_country_code_digits_alone);
	RUN(bad_numbers_are_refused);
	RUN(lengths_are_bounded);
	RUN(country_codes_are_checked);
	return unit_done();
}
