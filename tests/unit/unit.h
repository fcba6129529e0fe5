/*
 * A minimal TAP producer for libcore unit tests: each TEST() is one test
 * point, so tests/run-all counts them beside the bats tests.
 *
 *	TEST(parses_durations) { CHECK(x == 1); CHECK_STR(a, "b"); }
 *	int main(void) { RUN(parses_durations); return unit_done(); }
 */
#ifndef APPT_UNIT_H
#define APPT_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_count, unit_failed, unit_current_failed;

#define TEST(name) static void name(void)

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			printf("# %s:%d: check failed: %s\n", __FILE__,      \
			       __LINE__, #cond);                             \
			unit_current_failed = 1;                             \
		}                                                            \
	} while (0)

#define CHECK_STR(got, want)                                                 \
	do {                                                                 \
		const char *g_ = (got), *w_ = (want);                        \
		if (!g_ || strcmp(g_, w_)) {                                 \
			printf("# %s:%d: got '%s', want '%s'\n", __FILE__,   \
			       __LINE__, g_ ? g_ : "(null)", w_);            \
			unit_current_failed = 1;                             \
		}                                                            \
	} while (0)

#define CHECK_INT(got, want)                                                 \
	do {                                                                 \
		long long g_ = (long long)(got), w_ = (long long)(want);     \
		if (g_ != w_) {                                              \
			printf("# %s:%d: %s is %lld, want %lld\n", __FILE__, \
			       __LINE__, #got, g_, w_);                      \
			unit_current_failed = 1;                             \
		}                                                            \
	} while (0)

#define RUN(name)                                                            \
	do {                                                                 \
		unit_current_failed = 0;                                     \
		name();                                                      \
		unit_count++;                                                \
		if (unit_current_failed)                                     \
			unit_failed++;                                       \
		printf("%s %d %s\n", unit_current_failed ? "not ok" : "ok",  \
		       unit_count, #name);                                   \
	} while (0)

static inline int unit_done(void)
{
	printf("1..%d\n", unit_count);
	return unit_failed ? 1 : 0;
}

#endif
