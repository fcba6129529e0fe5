#include "unit.h"
#include "when.h"

#include <stdlib.h>

/* 2027-03-03 10:00 in America/Denver (MST), a Wednesday. */
#define WED_MORNING ((time_t)1804093200)

static void zone(const char *name)
{
	struct appt_err err;

	if (when_set_zone(name, &err) != APPT_OK)
		printf("# cannot install %s: %s\n", name, err.msg);
}

static struct appt_date ymd(int y, int m, int d)
{
	struct appt_date date = { y, m, d };

	return date;
}

/* The parsed instant as ISO text, or the error message prefixed "error: ". */
static const char *parsed(const char *s, time_t now)
{
	static char buf[APPT_ERR_MAX + 8];
	struct appt_err err;
	time_t t;

	if (when_parse_time(s, now, &t, &err) != APPT_OK) {
		snprintf(buf, sizeof(buf), "error: %s", err.msg);
		return buf;
	}
	when_format_iso(t, buf, sizeof(buf));
	return buf;
}

static time_t instant(const char *s)
{
	struct appt_err err;
	time_t t = -1;

	if (when_parse_time(s, 0, &t, &err) != APPT_OK)
		printf("# %s: %s\n", s, err.msg);
	return t;
}

static const char *date_text(struct appt_date d)
{
	static char buf[40];

	date_format_iso(d, buf, sizeof(buf));
	return buf;
}

static const char *word_date(const char *s, time_t now)
{
	struct appt_date d;
	struct appt_err err;

	if (when_parse_date(s, now, &d, &err) != APPT_OK)
		return err.msg[0] ? "error" : "error without message";
	return date_text(d);
}

static int refused_time(const char *s)
{
	struct appt_err err = { "" };
	time_t t;

	return when_parse_time(s, WED_MORNING, &t, &err) == APPT_DATAERR &&
	       strstr(err.msg, "invalid time '") == err.msg &&
	       strstr(err.msg, s) && !strchr(err.msg, '\n');
}

static long duration(const char *s)
{
	struct appt_err err;
	long secs = -1;

	if (when_parse_duration(s, &secs, &err) != APPT_OK)
		return -1;
	return secs;
}

static const char *duration_text(long secs)
{
	static char buf[64];

	when_format_duration(secs, buf, sizeof(buf));
	return buf;
}

static const char *now_from_env(const char *value, enum appt_status *st)
{
	static char buf[APPT_ERR_MAX + 8];
	struct appt_err err;
	time_t t;

	setenv("APPT_NOW", value, 1);
	*st = when_now(&t, &err);
	unsetenv("APPT_NOW");
	if (*st != APPT_OK) {
		snprintf(buf, sizeof(buf), "error: %s", err.msg);
		return buf;
	}
	when_format_iso(t, buf, sizeof(buf));
	return buf;
}

TEST(unset_tz_means_utc)
{
	char buf[40];

	CHECK_STR(when_zone(), "UTC");
	when_format_iso(1804008600, buf, sizeof(buf));
	CHECK_STR(buf, "2027-03-02T17:30:00+00:00");
	CHECK_INT(when_utc_offset(1804008600), 0);
}

TEST(zone_names_are_checked)
{
	struct appt_err err;

	CHECK_INT(when_set_zone("America/Denver", &err), APPT_OK);
	CHECK_STR(when_zone(), "America/Denver");
	CHECK_INT(when_set_zone("Mars/Olympus_Mons", &err), APPT_CONFIG);
	CHECK_STR(err.msg, "unknown time zone 'Mars/Olympus_Mons'");
	CHECK_INT(when_set_zone("../../../etc/passwd", &err), APPT_CONFIG);
	CHECK_INT(when_set_zone("America/../Europe/London", &err),
		  APPT_CONFIG);
	CHECK_INT(when_set_zone("/usr/share/zoneinfo/UTC", &err), APPT_CONFIG);
	CHECK_INT(when_set_zone("America", &err), APPT_CONFIG);
	CHECK_INT(when_set_zone("", &err), APPT_CONFIG);
	CHECK_INT(when_set_zone(NULL, &err), APPT_CONFIG);
	/* A refused name leaves the zone in force alone. */
	CHECK_STR(when_zone(), "America/Denver");
	CHECK_STR(getenv("TZ"), "America/Denver");
	CHECK_INT(when_set_zone("UTC", &err), APPT_OK);
	CHECK_INT(when_utc_offset(1804008600), 0);
}

TEST(denver_gap_is_refused)
{
	struct appt_err err;
	time_t t;

	zone("America/Denver");
	CHECK_INT(when_parse_time("2027-03-14 02:30", 0, &t, &err),
		  APPT_DATAERR);
	CHECK_STR(err.msg, "2027-03-14 02:30 does not exist in "
			   "America/Denver (daylight saving gap)");
	CHECK_STR(parsed("2027-03-14T02:00", 0),
		  "error: 2027-03-14 02:00 does not exist in America/Denver "
		  "(daylight saving gap)");
	CHECK_INT(when_local_to_utc(ymd(2027, 3, 14), 2 * 60 + 59, &t, &err),
		  APPT_DATAERR);
	CHECK_STR(parsed("2027-03-14 01:59", 0), "2027-03-14T01:59:00-07:00");
	CHECK_STR(parsed("2027-03-14 03:00", 0), "2027-03-14T03:00:00-06:00");
}

TEST(denver_fold_takes_earlier_instant)
{
	zone("America/Denver");
	CHECK_STR(parsed("2027-11-07 01:30", 0), "2027-11-07T01:30:00-06:00");
	CHECK_INT(instant("2027-11-07 01:30"), 1825572600);
	/* An explicit offset picks the later one. */
	CHECK_INT(instant("2027-11-07T01:30-07:00"), 1825576200);
	CHECK_STR(parsed("2027-11-07T01:30-07:00", 0),
		  "2027-11-07T01:30:00-07:00");
	CHECK_STR(parsed("2027-11-07 00:59", 0), "2027-11-07T00:59:00-06:00");
	CHECK_STR(parsed("2027-11-07 02:00", 0), "2027-11-07T02:00:00-07:00");
}

TEST(london_summer_winter_gap_and_fold)
{
	zone("Europe/London");
	CHECK_STR(parsed("2027-07-01 09:00", 0), "2027-07-01T09:00:00+01:00");
	CHECK_STR(parsed("2027-01-15 09:00", 0), "2027-01-15T09:00:00+00:00");
	CHECK_STR(parsed("2027-03-28 01:30", 0),
		  "error: 2027-03-28 01:30 does not exist in Europe/London "
		  "(daylight saving gap)");
	CHECK_STR(parsed("2027-10-31 01:30", 0), "2027-10-31T01:30:00+01:00");
	CHECK_STR(parsed("2027-10-31T01:30+00:00", 0),
		  "2027-10-31T01:30:00+00:00");
	CHECK_INT(when_utc_offset(instant("2027-07-01 09:00")), 3600);
}

TEST(fold_without_dst_flag_takes_earlier)
{
	/* Moscow left UTC+4 for UTC+3 in 2014 with isdst 0 on both sides. */
	zone("Europe/Moscow");
	CHECK_INT(instant("2014-10-26 01:30"), 1414272600);
	CHECK_STR(parsed("2014-10-26 01:30", 0), "2014-10-26T01:30:00+04:00");
	CHECK_STR(parsed("2014-10-26 02:00", 0), "2014-10-26T02:00:00+03:00");
}

TEST(day_start_skips_missing_midnight)
{
	zone("America/Denver");
	CHECK_INT(when_day_start(ymd(2027, 3, 14)),
		  instant("2027-03-14T07:00Z"));
	/* Sao Paulo sprang forward at midnight in 2018. */
	zone("America/Sao_Paulo");
	CHECK_INT(when_day_start(ymd(2018, 11, 4)), 1541300400);
	/* Samoa skipped 2011-12-30 altogether. */
	zone("Pacific/Apia");
	CHECK_INT(when_day_start(ymd(2011, 12, 30)), 1325239200);
	CHECK_INT(when_day_start(ymd(2011, 12, 31)), 1325239200);
}

TEST(day_words_are_relative_to_now)
{
	zone("America/Denver");
	CHECK_STR(parsed("today 14:00", WED_MORNING),
		  "2027-03-03T14:00:00-07:00");
	CHECK_STR(parsed("tomorrow 09:00", WED_MORNING),
		  "2027-03-04T09:00:00-07:00");
	/* Today's weekday is today while the time is ahead, else next week. */
	CHECK_STR(parsed("wed 09:00", WED_MORNING),
		  "2027-03-10T09:00:00-07:00");
	CHECK_STR(parsed("Wednesday 09:00", WED_MORNING),
		  "2027-03-10T09:00:00-07:00");
	CHECK_STR(parsed("wed 09:59", WED_MORNING),
		  "2027-03-10T09:59:00-07:00");
	CHECK_STR(parsed("wed 10:00", WED_MORNING), /* the current minute */
		  "2027-03-03T10:00:00-07:00");
	CHECK_STR(parsed("wed 10:00", WED_MORNING + 59),
		  "2027-03-03T10:00:00-07:00");
	CHECK_STR(parsed("wed 10:00", WED_MORNING + 60),
		  "2027-03-10T10:00:00-07:00");
	CHECK_STR(parsed("wed 15:00", WED_MORNING),
		  "2027-03-03T15:00:00-07:00");
	CHECK_STR(parsed("Wednesday 23:59", WED_MORNING),
		  "2027-03-03T23:59:00-07:00");
	CHECK_STR(parsed("thu 09:00", WED_MORNING),
		  "2027-03-04T09:00:00-07:00");
	CHECK_STR(parsed("FRIDAY 09:00", WED_MORNING),
		  "2027-03-05T09:00:00-07:00");
	CHECK_STR(parsed("sat 00:00", WED_MORNING),
		  "2027-03-06T00:00:00-07:00");
	CHECK_STR(parsed("Sun 23:59", WED_MORNING),
		  "2027-03-07T23:59:00-07:00");
	CHECK_STR(parsed("MON 09:00", WED_MORNING),
		  "2027-03-08T09:00:00-07:00");
	CHECK_STR(parsed("tuesday 09:00", WED_MORNING),
		  "2027-03-09T09:00:00-07:00");
	CHECK_STR(parsed("TODAY 10:00", WED_MORNING),
		  "2027-03-03T10:00:00-07:00");
	/* today means today, even at a time gone by */
	CHECK_STR(parsed("today 08:00", WED_MORNING),
		  "2027-03-03T08:00:00-07:00");
}

TEST(now_is_the_current_minute)
{
	zone("America/Denver");
	CHECK_STR(parsed("now", WED_MORNING), "2027-03-03T10:00:00-07:00");
	CHECK_STR(parsed("NOW", WED_MORNING + 59), "2027-03-03T10:00:00-07:00");
	CHECK_STR(parsed("now", WED_MORNING + 61), "2027-03-03T10:01:00-07:00");
	CHECK(refused_time("now "));
	CHECK(refused_time("today now"));
	CHECK(refused_time("nowish"));
}

TEST(one_digit_hours_are_times)
{
	zone("America/Denver");
	CHECK_STR(parsed("tomorrow 9:00", WED_MORNING), "2027-03-04T09:00:00-07:00");
	CHECK_STR(parsed("fri 9:30", WED_MORNING), "2027-03-05T09:30:00-07:00");
	CHECK_STR(parsed("2027-03-02 9:00", WED_MORNING), "2027-03-02T09:00:00-07:00");
	CHECK_STR(parsed("2027-03-02T0:05", WED_MORNING), "2027-03-02T00:05:00-07:00");
	CHECK(refused_time("2027-03-02 9:0"));
	CHECK(refused_time("2027-03-02 009:00"));
	CHECK(refused_time("tomorrow 9"));
	CHECK(refused_time("tomorrow :30"));
}

TEST(day_words_use_business_date)
{
	/* 23:30 in Denver is already the next day in UTC. */
	time_t late;

	zone("America/Denver");
	late = instant("2027-03-03 23:30");
	CHECK_STR(parsed("tomorrow 09:00", late), "2027-03-04T09:00:00-07:00");
	CHECK_STR(parsed("today 09:00", late), "2027-03-03T09:00:00-07:00");
	CHECK_STR(parsed("sun 02:30", instant("2027-03-10 12:00")),
		  "error: 2027-03-14 02:30 does not exist in America/Denver "
		  "(daylight saving gap)");
}

TEST(parse_date_accepts_iso_and_words)
{
	struct appt_date d;
	struct appt_err err;

	zone("America/Denver");
	CHECK_STR(word_date("2027-03-02", WED_MORNING), "2027-03-02");
	CHECK_STR(word_date("today", WED_MORNING), "2027-03-03");
	CHECK_STR(word_date("Tomorrow", WED_MORNING), "2027-03-04");
	/* a date has no time to be past: today's weekday is today */
	CHECK_STR(word_date("wed", WED_MORNING), "2027-03-03");
	CHECK_STR(word_date("Wednesday", WED_MORNING + 12 * 3600), "2027-03-03");
	CHECK_STR(word_date("tue", WED_MORNING), "2027-03-09");
	CHECK_STR(word_date("sunday", WED_MORNING), "2027-03-07");
	CHECK_INT(when_parse_date("2026-02-30", WED_MORNING, &d, &err),
		  APPT_DATAERR);
	CHECK_STR(err.msg, "invalid date '2026-02-30' (expected YYYY-MM-DD, "
			   "today, tomorrow or a day word)");
	CHECK_INT(when_parse_date("tues", WED_MORNING, &d, &err),
		  APPT_DATAERR);
	CHECK_INT(when_parse_date("today 10:00", WED_MORNING, &d, &err),
		  APPT_DATAERR);
	CHECK_INT(when_parse_date("", WED_MORNING, &d, &err), APPT_DATAERR);
}

TEST(time_errors_quote_input)
{
	struct appt_err err;
	time_t t;

	zone("America/Denver");
	CHECK_INT(when_parse_time("25:00", WED_MORNING, &t, &err),
		  APPT_DATAERR);
	CHECK_STR(err.msg, "invalid time '25:00' (expected YYYY-MM-DD HH:MM, "
			   "a day word and HH:MM, or now)");
	CHECK(refused_time("2027-03-02 24:00"));
	CHECK(refused_time("today 24:00"));
	CHECK(refused_time("2027-03-02 25:00"));
	CHECK(refused_time("2027-03-02 10:60"));
	CHECK(refused_time("2027-03-02 10:00:60"));
	CHECK(refused_time("2026-02-30 10:00"));
	CHECK(refused_time("2027-02-29 10:00"));
	CHECK(refused_time("2027-13-01 10:00"));
	CHECK(refused_time("2027-03-02 10:00x"));
	CHECK(refused_time("2027-03-02 10:00 "));
	CHECK(refused_time("2027-03-02T10:00Zx"));
	CHECK(refused_time("2027-03-02 10:00+5"));
	CHECK(refused_time("2027-03-02 10:00+05:60"));
	CHECK(refused_time("2027-03-02"));
	CHECK(refused_time("2027-3-2 10:00"));
	CHECK(refused_time("2027-03-02  10:00"));
	CHECK(refused_time("2027-03-02 9:60"));
	CHECK(refused_time(""));
	CHECK(refused_time("tomorrow"));
	CHECK(refused_time("tomorrow  10:00"));
	CHECK(refused_time("tomorrow 10:00Z"));
	CHECK(refused_time("someday 10:00"));
	CHECK(refused_time("10:00"));
	CHECK_INT(when_parse_time(NULL, WED_MORNING, &t, &err), APPT_DATAERR);
}

TEST(iso_forms_and_offsets)
{
	zone("America/Denver");
	CHECK_INT(instant("2027-03-02T17:30Z"), 1804008600);
	CHECK_INT(instant("2027-03-02T17:30:00z"), 1804008600);
	CHECK_INT(instant("2027-03-02 10:30"), 1804008600);
	CHECK_INT(instant("2027-03-02T10:30"), 1804008600);
	CHECK_INT(instant("2027-03-02T10:30:45"), 1804008645);
	CHECK_INT(instant("2027-03-02T23:00+05:30"), 1804008600);
	CHECK_INT(instant("2027-03-02T14:30-03:00"), 1804008600);
	CHECK_INT(instant("2027-03-02 17:30+00:00"), 1804008600);
	/* An exact offset is never a gap. */
	CHECK_INT(instant("2027-03-14T02:30-07:00"), 1805016600);
	CHECK_STR(parsed("2027-03-14T02:30-07:00", 0),
		  "2027-03-14T03:30:00-06:00");
	CHECK_STR(parsed("2024-02-29 12:00", 0), "2024-02-29T12:00:00-07:00");
}

TEST(iso_formatting_shows_offsets)
{
	char buf[40];

	zone("UTC");
	when_format_iso(1804008600, buf, sizeof(buf));
	CHECK_STR(buf, "2027-03-02T17:30:00+00:00");
	zone("Asia/Kolkata");
	when_format_iso(1804008600, buf, sizeof(buf));
	CHECK_STR(buf, "2027-03-02T23:00:00+05:30");
	zone("America/St_Johns");
	when_format_iso(1804008600, buf, sizeof(buf));
	CHECK_STR(buf, "2027-03-02T14:00:00-03:30");
	CHECK_INT(when_utc_offset(1804008600), -(3 * 3600 + 1800));
	zone("America/Denver");
	when_format_iso(1804008645, buf, sizeof(buf));
	CHECK_STR(buf, "2027-03-02T10:30:45-07:00");
	when_format_iso(1804008600, buf, 11);
	CHECK_STR(buf, "2027-03-02");
}

TEST(local_and_clock_formatting)
{
	char buf[64];

	zone("America/Denver");
	when_format_local(1804008600, buf, sizeof(buf));
	CHECK_STR(buf, "2027-03-02 10:30");
	when_format_clock(1804008600, buf, sizeof(buf));
	CHECK_STR(buf, "10:30");
	when_format_clock(instant("2027-03-02 09:05"), buf, sizeof(buf));
	CHECK_STR(buf, "09:05");
	date_format_iso(ymd(27, 3, 2), buf, sizeof(buf));
	CHECK_STR(buf, "0027-03-02");
	when_strftime(1804008600, "%A %d %B %H:%M %Z", buf, sizeof(buf));
	CHECK_STR(buf, "Tuesday 02 March 10:30 MST");
	when_strftime(1804008600, "", buf, sizeof(buf));
	CHECK_STR(buf, "");
	when_strftime(1804008600, "%A %A %A", buf, 8);
	CHECK_STR(buf, "");
}

TEST(local_to_utc_and_back)
{
	struct appt_err err;
	struct appt_date d;
	int minute, wday;
	time_t t;

	zone("America/Denver");
	CHECK_INT(when_local_to_utc(ymd(2027, 3, 2), 630, &t, &err), APPT_OK);
	CHECK_INT(t, 1804008600);
	when_to_local(t, &d, &minute, &wday);
	CHECK_STR(date_text(d), "2027-03-02");
	CHECK_INT(minute, 630);
	CHECK_INT(wday, 2);
	when_to_local(t, NULL, NULL, NULL);
	CHECK_INT(when_local_to_utc(ymd(2027, 3, 2), 1440, &t, &err), APPT_OK);
	CHECK_INT(t, when_day_start(ymd(2027, 3, 3)));
	CHECK_INT(when_local_to_utc(ymd(2027, 3, 13), 1440, &t, &err),
		  APPT_OK);
	CHECK_INT(t, instant("2027-03-14T07:00Z"));
	CHECK_INT(when_local_to_utc(ymd(2027, 3, 2), 1441, &t, &err),
		  APPT_DATAERR);
	CHECK_INT(when_local_to_utc(ymd(2027, 3, 2), -1, &t, &err),
		  APPT_DATAERR);
	CHECK_INT(when_local_to_utc(ymd(2027, 2, 29), 600, &t, &err),
		  APPT_DATAERR);
	CHECK_INT(when_utc_offset(instant("2027-01-10 12:00")), -7 * 3600);
	CHECK_INT(when_utc_offset(instant("2027-07-10 12:00")), -6 * 3600);
}

TEST(date_arithmetic_crosses_boundaries)
{
	CHECK_STR(date_text(date_add_days(ymd(2027, 1, 31), 1)), "2027-02-01");
	CHECK_STR(date_text(date_add_days(ymd(2024, 2, 28), 1)), "2024-02-29");
	CHECK_STR(date_text(date_add_days(ymd(2023, 2, 28), 1)), "2023-03-01");
	CHECK_STR(date_text(date_add_days(ymd(1900, 2, 28), 1)), "1900-03-01");
	CHECK_STR(date_text(date_add_days(ymd(2000, 3, 1), -1)), "2000-02-29");
	CHECK_STR(date_text(date_add_days(ymd(2027, 12, 31), 1)), "2028-01-01");
	CHECK_STR(date_text(date_add_days(ymd(2028, 1, 1), -1)), "2027-12-31");
	CHECK_STR(date_text(date_add_days(ymd(2024, 1, 1), 365)), "2024-12-31");
	CHECK_STR(date_text(date_add_days(ymd(1970, 1, 1), -1)), "1969-12-31");
	CHECK_STR(date_text(date_add_days(ymd(2027, 3, 2), 0)), "2027-03-02");
	CHECK_STR(date_text(date_add_days(ymd(2027, 3, 2), 36525)),
		  "2127-03-03");
	CHECK_INT(date_diff_days(ymd(2028, 1, 1), ymd(2027, 1, 1)), 365);
	CHECK_INT(date_diff_days(ymd(2025, 1, 1), ymd(2024, 1, 1)), 366);
	CHECK_INT(date_diff_days(ymd(2027, 3, 1), ymd(2027, 2, 28)), 1);
	CHECK_INT(date_diff_days(ymd(2027, 2, 28), ymd(2027, 3, 1)), -1);
	CHECK_INT(date_wday(ymd(1970, 1, 1)), 4);
	CHECK_INT(date_wday(ymd(1969, 12, 31)), 3);
	CHECK_INT(date_wday(ymd(2000, 1, 1)), 6);
	CHECK_INT(date_wday(ymd(2027, 3, 2)), 2);
	CHECK_INT(date_wday(ymd(2027, 3, 7)), 0);
	CHECK_INT(date_cmp(ymd(2027, 3, 2), ymd(2027, 3, 2)), 0);
	CHECK(date_cmp(ymd(2027, 3, 2), ymd(2027, 3, 3)) < 0);
	CHECK(date_cmp(ymd(2028, 1, 1), ymd(2027, 12, 31)) > 0);
}

TEST(dates_are_validated)
{
	struct appt_date d = { 0, 0, 0 };

	CHECK(date_valid(ymd(2024, 2, 29)));
	CHECK(date_valid(ymd(2000, 2, 29)));
	CHECK(!date_valid(ymd(1900, 2, 29)));
	CHECK(!date_valid(ymd(2023, 2, 29)));
	CHECK(!date_valid(ymd(2027, 4, 31)));
	CHECK(date_valid(ymd(2027, 12, 31)));
	CHECK(!date_valid(ymd(2027, 13, 1)));
	CHECK(!date_valid(ymd(2027, 0, 1)));
	CHECK(!date_valid(ymd(2027, 1, 0)));
	CHECK_INT(date_parse_iso("2024-02-29", &d), 0);
	CHECK_STR(date_text(d), "2024-02-29");
	CHECK_INT(date_parse_iso("2026-02-30", &d), -1);
	CHECK_STR(date_text(d), "2024-02-29");
	CHECK_INT(date_parse_iso("2026-2-3", &d), -1);
	CHECK_INT(date_parse_iso("2026-02-03 ", &d), -1);
	CHECK_INT(date_parse_iso("0000-01-01", &d), -1);
	CHECK_INT(date_parse_iso("", &d), -1);
	CHECK_INT(date_parse_iso(NULL, &d), -1);
}

TEST(durations_parse)
{
	struct appt_err err;
	long secs;

	CHECK_INT(duration("45m"), 2700);
	CHECK_INT(duration("1h30m"), 5400);
	CHECK_INT(duration("24h"), 86400);
	CHECK_INT(duration("7d"), 604800);
	CHECK_INT(duration("2w"), 1209600);
	CHECK_INT(duration("90s"), 90);
	CHECK_INT(duration("1d12h"), 129600);
	CHECK_INT(duration("1w1d1h1m1s"), 694861);
	CHECK_INT(duration("90m"), 5400);
	CHECK_INT(duration("0"), 0);
	CHECK_INT(duration("0m"), 0);
	CHECK_INT(duration("007m"), 420);
	CHECK_INT(when_parse_duration("5x", &secs, &err), APPT_DATAERR);
	CHECK(strstr(err.msg, "invalid duration '5x'") == err.msg);
}

TEST(bad_durations_are_refused)
{
	CHECK_INT(duration("abc"), -1);
	CHECK_INT(duration(""), -1);
	CHECK_INT(duration(NULL), -1);
	CHECK_INT(duration("5"), -1);
	CHECK_INT(duration("-5m"), -1);
	CHECK_INT(duration("+5m"), -1);
	CHECK_INT(duration("5x"), -1);
	CHECK_INT(duration("m"), -1);
	CHECK_INT(duration("1h30"), -1);
	CHECK_INT(duration("1h 30m"), -1);
	CHECK_INT(duration(" 5m"), -1);
	CHECK_INT(duration("5m "), -1);
	CHECK_INT(duration("5M"), -1);
	CHECK_INT(duration("30m1h"), -1);
	CHECK_INT(duration("1h1h"), -1);
	CHECK_INT(duration("00"), -1);
	CHECK_INT(duration("99999999999999999999s"), -1);
	CHECK_INT(duration("15250284452472w"), -1);
	CHECK_INT(duration("9223372036854775807s1s"), -1);
	CHECK_INT(duration("9223372036854775807s"), -1);
}

TEST(durations_are_bounded)
{
	struct appt_err err;
	long secs = 0;

	CHECK_INT(duration("3650d"), WHEN_DURATION_MAX);
	CHECK_INT(when_parse_duration("3650d1s", &secs, &err), APPT_DATAERR);
	CHECK_STR(err.msg, "duration '3650d1s' is out of range (0 to 3650d)");
	CHECK_INT(when_parse_duration("9223372036854775807s", &secs, &err), APPT_DATAERR);
	CHECK_STR(err.msg, "duration '9223372036854775807s' is out of range (0 to 3650d)");
	CHECK_INT(when_parse_duration_range("25h", 60, 86400, &secs, &err), APPT_DATAERR);
	CHECK_STR(err.msg, "duration '25h' is out of range (1m to 1d)");
	CHECK_INT(when_parse_duration_range("30s", 60, 86400, &secs, &err), APPT_DATAERR);
	CHECK_INT(when_parse_duration_range("1h", 60, 86400, &secs, &err), APPT_OK);
	CHECK_INT(secs, 3600);
	CHECK_INT(when_parse_duration_range("soon", 0, 60, &secs, &err), APPT_DATAERR);
	CHECK(strstr(err.msg, "invalid duration 'soon'") == err.msg);
}

TEST(durations_format)
{
	static const long round_trip[] = { 0, 1, 59, 60, 61, 3599, 3600, 5400,
					   86399, 86400, 129600, 1209600,
					   90061 };
	char small[3];

	CHECK_STR(duration_text(5400), "1h30m");
	CHECK_STR(duration_text(0), "0m");
	CHECK_STR(duration_text(2700), "45m");
	CHECK_STR(duration_text(90), "1m30s");
	CHECK_STR(duration_text(30), "30s");
	CHECK_STR(duration_text(3600), "1h");
	CHECK_STR(duration_text(86400), "1d");
	CHECK_STR(duration_text(129600), "1d12h");
	CHECK_STR(duration_text(1209600), "14d");
	CHECK_STR(duration_text(90061), "1d1h1m1s");
	CHECK_STR(duration_text(86460), "1d1m");
	CHECK_STR(duration_text(-5400), "-1h30m");
	when_format_duration(5400, small, sizeof(small));
	CHECK_STR(small, "1h");
	for (size_t i = 0; i < sizeof(round_trip) / sizeof(*round_trip); i++)
		CHECK_INT(duration(duration_text(round_trip[i])), round_trip[i]);
}

TEST(clock_parses_strictly)
{
	CHECK_INT(when_parse_clock("00:00"), 0);
	CHECK_INT(when_parse_clock("09:05"), 545);
	CHECK_INT(when_parse_clock("23:59"), 1439);
	CHECK_INT(when_parse_clock("24:00"), 1440);
	CHECK_INT(when_parse_clock("24:01"), -1);
	CHECK_INT(when_parse_clock("25:00"), -1);
	CHECK_INT(when_parse_clock("12:60"), -1);
	CHECK_INT(when_parse_clock("9:05"), 545);
	CHECK_INT(when_parse_clock("0:00"), 0);
	CHECK_INT(when_parse_clock("9:5"), -1);
	CHECK_INT(when_parse_clock("009:05"), -1);
	CHECK_INT(when_parse_clock("09:5"), -1);
	CHECK_INT(when_parse_clock("09:05 "), -1);
	CHECK_INT(when_parse_clock("0905"), -1);
	CHECK_INT(when_parse_clock("12-30"), -1);
	CHECK_INT(when_parse_clock("ab:cd"), -1);
	CHECK_INT(when_parse_clock(""), -1);
	CHECK_INT(when_parse_clock(NULL), -1);
}

TEST(appt_now_overrides_clock)
{
	enum appt_status st;

	zone("America/Denver");
	CHECK_STR(now_from_env("2027-03-02T17:30Z", &st),
		  "2027-03-02T10:30:00-07:00");
	CHECK_STR(now_from_env("2027-03-02T23:00:00+05:30", &st),
		  "2027-03-02T10:30:00-07:00");
	CHECK_STR(now_from_env("2027-03-02T10:30-07:00", &st),
		  "2027-03-02T10:30:00-07:00");
	CHECK_STR(now_from_env("2027-03-02T10:30", &st),
		  "2027-03-02T10:30:00-07:00");
	CHECK_STR(now_from_env("2027-11-07T01:30", &st),
		  "2027-11-07T01:30:00-06:00");
	CHECK_STR(now_from_env("2027-03-02T10:30:15", &st),
		  "2027-03-02T10:30:15-07:00");
	CHECK_INT(st, APPT_OK);
}

TEST(bad_appt_now_names_variable)
{
	enum appt_status st;
	const char *msg;

	zone("America/Denver");
	msg = now_from_env("tomorrow 10:00", &st);
	CHECK_INT(st, APPT_DATAERR);
	CHECK(strstr(msg, "APPT_NOW") && strstr(msg, "'tomorrow 10:00'"));
	msg = now_from_env("2027-03-02T25:00", &st);
	CHECK_INT(st, APPT_DATAERR);
	CHECK(strstr(msg, "APPT_NOW"));
	msg = now_from_env("2027-03-02T10:30Q", &st);
	CHECK_INT(st, APPT_DATAERR);
	msg = now_from_env("2027-03-14T02:30", &st);
	CHECK_INT(st, APPT_DATAERR);
	CHECK(strstr(msg, "APPT_NOW") && strstr(msg, "daylight saving gap"));
}

TEST(real_clock_without_appt_now)
{
	struct appt_err err;
	time_t before = time(NULL), t = 0;

	unsetenv("APPT_NOW");
	CHECK_INT(when_now(&t, &err), APPT_OK);
	CHECK(t >= before && t <= time(NULL));
	setenv("APPT_NOW", "", 1);
	CHECK_INT(when_now(&t, &err), APPT_OK);
	CHECK(t >= before && t <= time(NULL));
	unsetenv("APPT_NOW");
}

int main(void)
{
	/* Must run first: it checks the zone before any when_set_zone. */
	unsetenv("TZ");
	RUN(unset_tz_means_utc);
	RUN(zone_names_are_checked);
	RUN(denver_gap_is_refused);
	RUN(denver_fold_takes_earlier_instant);
	RUN(london_summer_winter_gap_and_fold);
	RUN(fold_without_dst_flag_takes_earlier);
	RUN(day_start_skips_missing_midnight);
	RUN(day_words_are_relative_to_now);
	RUN(now_is_the_current_minute);
	RUN(one_digit_hours_are_times);
	RUN(day_words_use_business_date);
	RUN(parse_date_accepts_iso_and_words);
	RUN(time_errors_quote_input);
	RUN(iso_forms_and_offsets);
	RUN(iso_formatting_shows_offsets);
	RUN(local_and_clock_formatting);
	RUN(local_to_utc_and_back);
	RUN(date_arithmetic_crosses_boundaries);
	RUN(dates_are_validated);
	RUN(durations_parse);
	RUN(bad_durations_are_refused);
	RUN(durations_are_bounded);
	RUN(durations_format);
	RUN(clock_parses_strictly);
	RUN(appt_now_overrides_clock);
	RUN(bad_appt_now_names_variable);
	RUN(real_clock_without_appt_now);
	return unit_done();
}
