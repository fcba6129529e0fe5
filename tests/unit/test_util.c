#include "unit.h"
#include "util.h"

#include <stdlib.h>

TEST(strbuf_grows_and_detaches)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;

	for (int i = 0; i < 100; i++)
		strbuf_addf(&sb, "%d,", i);
	CHECK(sb.len == 290);
	CHECK(!strncmp(sb.buf, "0,1,2,", 6));
	s = strbuf_detach(&sb);
	CHECK(sb.buf == NULL);
	CHECK_STR(strbuf_str(&sb), "");
	free(s);
}

TEST(money_round_trips)
{
	long long c;
	char buf[32];

	CHECK(money_parse("25", &c) == 0 && c == 2500);
	CHECK(money_parse("25.5", &c) == 0 && c == 2550);
	CHECK(money_parse("0.05", &c) == 0 && c == 5);
	CHECK(money_parse("25.", &c) == -1);
	CHECK(money_parse("-3", &c) == -1);
	CHECK(money_parse("1.234", &c) == -1);
	CHECK(money_parse("abc", &c) == -1);
	money_format(2550, buf, sizeof(buf));
	CHECK_STR(buf, "25.50");
}

TEST(utf8_width_counts_columns)
{
	CHECK_INT(utf8_width("abc"), 3);
	CHECK_INT(utf8_width("Zoë"), 3);
	CHECK_INT(utf8_width("李小龙"), 6);
	CHECK(utf8_valid("Zoë", 4));
	CHECK(!utf8_valid("\xff", 1));
	CHECK(!utf8_valid("\xc3", 1));
}

/* A table cuts text with utf8_fit: never inside a character, wide ones count 2. */
TEST(utf8_fit_never_splits_a_character)
{
	size_t w;

	CHECK_INT(utf8_fit("abcdef", 4, &w), 4);
	CHECK_INT(w, 4);
	CHECK_INT(utf8_fit("Zoë Ng", 3, &w), 4); /* ë is two bytes, one column */
	CHECK_INT(w, 3);
	CHECK_INT(utf8_fit("李小龙", 5, &w), 6);  /* the third would need columns 5-6 */
	CHECK_INT(w, 4);
	CHECK_INT(utf8_fit("e\xcc\x81x", 1, &w), 3); /* a combining accent stays with its letter */
	CHECK_INT(w, 1);
	CHECK_INT(utf8_fit("ab", 10, &w), 2);
	CHECK_INT(w, 2);
	CHECK_INT(utf8_fit("\xff" "ab", 2, &w), 2); /* a stray byte is one column */
}

TEST(edit_distance_suggests)
{
	CHECK_INT(edit_distance("book", "bok"), 1);
	CHECK_INT(edit_distance("cancel", "cancle"), 2);
	CHECK_INT(edit_distance("", "abc"), 3);
}

int main(void)
{
	RUN(strbuf_grows_and_detaches);
	RUN(money_round_trips);
	RUN(utf8_width_counts_columns);
	RUN(utf8_fit_never_splits_a_character);
	RUN(edit_distance_suggests);
	return unit_done();
}
