#include "money.h"
#include "unit.h"

TEST(money_round_trips)
{
	long long c;
	char buf[32];

	CHECK(money_parse("25", &c) == 0 && c == 2500);
	CHECK(money_parse("25.5", &c) == 0 && c == 2550);
	CHECK(money_parse("0.05", &c) == 0 && c == 5);
	CHECK(money_parse("1000000000", &c) == 0 && c == MONEY_MAX);
	CHECK(money_parse("1000000000.01", &c) == -1);
	CHECK(money_parse("99999999999999999999", &c) == -1);
	CHECK(money_parse("25.", &c) == -1);
	CHECK(money_parse("-3", &c) == -1);
	CHECK(money_parse("1.234", &c) == -1);
	CHECK(money_parse("abc", &c) == -1);
	CHECK(money_parse("", &c) == -1);
	money_format(2550, buf, sizeof(buf));
	CHECK_STR(buf, "25.50");
	money_format(-308, buf, sizeof(buf));
	CHECK_STR(buf, "-3.08");
}

TEST(rates_read_and_print)
{
	long r;
	char buf[32];

	CHECK(rate_parse("8.5%", &r) == 0 && r == 85000);
	CHECK(rate_parse("8.875%", &r) == 0 && r == 88750);
	CHECK(rate_parse("0%", &r) == 0 && r == 0);
	CHECK(rate_parse("100%", &r) == 0 && r == RATE_ONE);
	CHECK(rate_parse("100.01%", &r) == -1);
	CHECK(rate_parse("8.5", &r) == -1);
	CHECK(rate_parse("8.12345%", &r) == -1);
	CHECK(rate_parse("-1%", &r) == -1);
	CHECK(rate_parse("%", &r) == -1);
	CHECK(rate_parse("8.5%%", &r) == -1);
	rate_format(85000, buf, sizeof(buf));
	CHECK_STR(buf, "8.5%");
	rate_format(88750, buf, sizeof(buf));
	CHECK_STR(buf, "8.875%");
	rate_format(100000, buf, sizeof(buf));
	CHECK_STR(buf, "10%");
	rate_format(500, buf, sizeof(buf));
	CHECK_STR(buf, "0.05%");
}

/* Half a cent goes up, away from zero: the rule of every tax line. */
TEST(shares_round_half_up)
{
	CHECK(money_share(1000, 85000) == 85);      /* 10.00 at 8.5% = 0.85 */
	CHECK(money_share(1010, 85000) == 86);      /* 0.8585 -> 0.86 */
	CHECK(money_share(100, 125000) == 13);      /* 0.125 -> 0.13 */
	CHECK(money_share(100, 124999) == 12);
	CHECK(money_share(-100, 125000) == -13);
	CHECK(money_share(MONEY_MAX, RATE_ONE) == MONEY_MAX);
	CHECK(money_share(0, 85000) == 0);
}

int main(void)
{
	RUN(money_round_trips);
	RUN(rates_read_and_print);
	RUN(shares_round_half_up);
	return unit_done();
}
