#include "unit.h"
#include "util.h"
#include "via.h"

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

TEST(text_check_refuses_controls_and_bad_utf8)
{
	struct appt_err err = { "" };

	CHECK_INT(text_check("note", NULL, 0, &err), APPT_OK);
	CHECK_INT(text_check("note", "Zoë, 李", 0, &err), APPT_OK);
	CHECK_INT(text_check("note", "a\nb\tc\r\nd", 1, &err), APPT_OK);
	CHECK_INT(text_check("reason", "a\nb", 0, &err), APPT_DATAERR);
	CHECK_STR(err.msg, "reason contains a control character (U+000A)");
	CHECK_INT(text_check("note", "over\rwrite", 1, &err), APPT_DATAERR);
	CHECK_STR(err.msg, "note contains a control character (U+000D)");
	CHECK_INT(text_check("note", "\xc2\x9b" "2J", 1, &err), APPT_DATAERR);
	CHECK_STR(err.msg, "note contains a control character (U+009B)");
	CHECK_INT(text_check("APPT_USER", "bo\xffss", 0, &err), APPT_DATAERR);
	CHECK_STR(err.msg, "APPT_USER is not valid UTF-8");
}

TEST(text_readers_repair_and_defuse)
{
	char *s;

	CHECK(text_repair_utf8(NULL) == NULL);
	s = text_repair_utf8("caf\xe9 \xc3");
	CHECK_STR(s, "caf\xef\xbf\xbd \xef\xbf\xbd");
	free(s);
	s = text_repair_utf8("keep\e[1m\n");
	CHECK_STR(s, "keep\e[1m\n");
	free(s);
	s = text_for_terminal("a\e[2J\tb\r\nc\x7f\xc2\x9b\xff");
	CHECK_STR(s, "a\xef\xbf\xbd[2J b c\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
	s = text_for_terminal(NULL);
	CHECK_STR(s, "");
	free(s);
}

/* The words a set of ways in offers are its canonical words, each once. */
static void check_via_words(const char *words, unsigned allowed)
{
	char *copy = xstrdup(words), *save = NULL;
	unsigned seen = 0;
	int n = 0;

	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save), n++) {
		const char *canonical = NULL;
		struct appt_err err = { 0 };

		CHECK(via_parse(w, allowed, &canonical, &err) == APPT_OK);
		CHECK_STR(canonical, w);
		for (int v = 0; v < VIA_COUNT; v++)
			if (canonical && !strcmp(via_name(v), canonical))
				seen |= VIA_BIT(v);
	}
	CHECK_INT(seen, allowed);
	CHECK_INT(n, __builtin_popcount(allowed));
	free(copy);
}

TEST(via_words_are_the_sets)
{
	check_via_words(VIA_WORDS_BOOK, VIA_FOR_BOOK);
	check_via_words(VIA_WORDS_CONFIRM, VIA_FOR_CONFIRM);
	check_via_words(VIA_WORDS_LOG, VIA_FOR_LOG);
}

int main(void)
{
	RUN(strbuf_grows_and_detaches);
	RUN(utf8_width_counts_columns);
	RUN(utf8_fit_never_splits_a_character);
	RUN(edit_distance_suggests);
	RUN(text_check_refuses_controls_and_bad_utf8);
	RUN(text_readers_repair_and_defuse);
	RUN(via_words_are_the_sets);
	return unit_done();
}
