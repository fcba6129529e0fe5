#include <string.h>

#include "listen.h"
#include "token.h"
#include "unit.h"
#include "web_priv.h"

TEST(forms_decode)
{
	struct web_params p = { STRLIST_INIT, STRLIST_INIT };
	const char *body = "name=Ann+O%27Neil&phone=%2B1+555&empty=&flag&name=Zoe";

	CHECK(web_params_parse(&p, body, strlen(body)) == 0);
	CHECK_STR(web_param(&p, "phone"), "+1 555");
	CHECK_STR(web_param(&p, "empty"), "");
	CHECK_STR(web_param(&p, "flag"), "");
	/* the last of a repeated field counts */
	CHECK_STR(web_param(&p, "name"), "Zoe");
	CHECK(web_param(&p, "nope") == NULL);
	web_params_clear(&p);
	CHECK(web_params_parse(&p, "a=%C3%A9t%C3%A9", 15) == 0);
	CHECK_STR(web_param(&p, "a"), "\xc3\xa9t\xc3\xa9");
	web_params_clear(&p);
}

TEST(forms_refuse_whole)
{
	struct web_params p = { STRLIST_INIT, STRLIST_INIT };
	static const char *const bad[] = {
		"a=1&b=%zz", "a=%4", "a=%", "a=%00x", "a=%C3%28", "a=%FF",
	};
	char big[3 * WEB_FIELD_MAX + 8];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(web_params_parse(&p, bad[i], strlen(bad[i])) == -1);
		/* nothing of a refused body is kept */
		CHECK(p.names.nr == 0);
	}
	memset(big, 'x', sizeof(big));
	memcpy(big, "a=", 2);
	CHECK(web_params_parse(&p, big, WEB_FIELD_MAX + 3) == -1);
	CHECK(web_params_parse(&p, big, WEB_FIELD_MAX + 2) == 0);
	web_params_clear(&p);
}

TEST(tokens_have_their_shape)
{
	CHECK(token_well_formed("G_EmCtIxfHc6gp-XZjNS0Q", 22));
	CHECK(!token_well_formed("G_EmCtIxfHc6gp-XZjNS0", 21));
	CHECK(!token_well_formed("G_EmCtIxfHc6gp-XZjNS0Q/", 23));
	CHECK(!token_well_formed("G_EmCtIxfHc6gp+XZjNS0Q", 22));
	CHECK(!token_well_formed("G_EmCtIxfHc6gp.XZjNS0Q", 22));
}

TEST(listen_addresses)
{
	struct listen_address a;

	CHECK(listen_address_parse("127.0.0.1:8080", &a) == 0 && a.port == 8080);
	CHECK(listen_address_parse("[::1]:80", &a) == 0 && a.port == 80);
	CHECK(listen_address_parse("0.0.0.0:0", &a) == 0 && a.port == 0);
	CHECK(!listen_address_valid("localhost:8080"));
	CHECK(!listen_address_valid("127.0.0.1"));
	CHECK(!listen_address_valid("127.0.0.1:65536"));
	CHECK(!listen_address_valid("127.0.0.1:-1"));
	CHECK(!listen_address_valid("::1:80"));
	CHECK(!listen_address_valid("[::1]80"));
	CHECK(!listen_address_valid(":8080"));
}

int main(void)
{
	RUN(forms_decode);
	RUN(forms_refuse_whole);
	RUN(tokens_have_their_shape);
	RUN(listen_addresses);
	return unit_done();
}
