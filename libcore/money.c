#include "money.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * Digits (their whole value at most limit), then up to max_frac decimals
 * after a point: the number scaled by 10^max_frac.
 */
static int parse_fixed(const char *s, int max_frac, long long limit, long long *out)
{
	long long whole = 0, frac = 0;
	int digits = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		whole = whole * 10 + (*p - '0');
		if (whole > limit)
			return -1;
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p) && digits < max_frac; p++, digits++)
			frac = frac * 10 + (*p - '0');
		if (!digits)
			return -1;
	}
	for (int d = digits; d < max_frac; d++)
		frac *= 10;
	for (int d = 0; d < max_frac; d++)
		whole *= 10;
	if (*p)
		return -1;
	*out = whole + frac;
	return 0;
}

int money_parse(const char *s, long long *cents)
{
	long long v;

	if (parse_fixed(s, 2, MONEY_MAX / 100, &v) || v > MONEY_MAX)
		return -1;
	*cents = v;
	return 0;
}

void money_format(long long cents, char *buf, size_t size)
{
	snprintf(buf, size, "%s%lld.%02lld", cents < 0 ? "-" : "",
		 llabs(cents) / 100, llabs(cents) % 100);
}

int rate_parse(const char *s, long *rate)
{
	long long v;
	size_t n = 0;
	char digits[32];

	while (s[n] && s[n] != '%' && n < sizeof(digits) - 1) {
		digits[n] = s[n];
		n++;
	}
	digits[n] = '\0';
	if (s[n] != '%' || s[n + 1] || parse_fixed(digits, 4, 100, &v) || v > RATE_ONE)
		return -1;
	*rate = (long)v;
	return 0;
}

void rate_format(long rate, char *buf, size_t size)
{
	long whole = rate / 10000, frac = rate % 10000;
	int width = 4;

	if (!frac) {
		snprintf(buf, size, "%ld%%", whole);
		return;
	}
	while (frac % 10 == 0) {
		frac /= 10;
		width--;
	}
	snprintf(buf, size, "%ld.%0*ld%%", whole, width, frac);
}

long long money_share(long long amount, long rate)
{
	long long a = llabs(amount);
	long long share = (a * rate + RATE_ONE / 2) / RATE_ONE;

	return amount < 0 ? -share : share;
}
