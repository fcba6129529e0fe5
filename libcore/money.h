/*
 * money: amounts are integer cents everywhere (never floating point), read
 * and written here only; rates (a tax, a percentage discount) are integer
 * millionths of the whole, so that 8.5% is 85000 and 8.875% is 88750.
 *
 * Every amount appt stores has two decimals: billing.currency names the
 * currency, and a currency with other minor units is not supported.
 */
#ifndef APPT_MONEY_H
#define APPT_MONEY_H

#include <stddef.h>

#define MONEY_MAX 100000000000LL /* a billion, in cents: more than any one bill */
#define RATE_ONE 1000000L         /* 100% */

/* "85", "85.5" or "85.50" (no sign, at most two decimals, <= MONEY_MAX); 0 or -1. */
int money_parse(const char *s, long long *cents);
/* "85.50", "-3.08": always two decimals, no thousands separator. */
void money_format(long long cents, char *buf, size_t size);

/* "8.5%" (at most four decimals, at most 100%) into millionths; 0 or -1. */
int rate_parse(const char *s, long *rate);
/* "8.5%", "10%": no trailing zeros. */
void rate_format(long rate, char *buf, size_t size);

/* amount * rate, rounded half away from zero to the cent. */
long long money_share(long long amount, long rate);

#endif
