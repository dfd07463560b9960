/*
 * test_values.c: unit tests of lib/values.c, the checks and canonical forms
 * of dates, timestamps, class names, phones, e-mail addresses, person names,
 * and the UTF-8 helpers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "values.h"

#define WHY_DATE "is not a date (expected YYYY-MM-DD or DD.MM.YYYY)"
#define WHY_DAY "is not a day of the calendar (expected YYYY-MM-DD or DD.MM.YYYY)"
#define WHY_TS "is not a timestamp (expected YYYY-MM-DDTHH:MM:SSZ, YYYY-MM-DD HH:MM or DD.MM.YYYY HH:MM)"
#define WHY_TIME "is not a time of day (expected hours 0–23, minutes and seconds 0–59)"
#define WHY_CLASS "is not a class (expected a grade 1–11 and a letter, e.g. 7А)"
#define WHY_PHONE "is not a phone number (expected +7 and 10 digits, e.g. +7 912 345-67-89)"
#define WHY_EMAIL "is not an e-mail address (expected name@domain.ru)"
#define WHY_NAME_EMPTY "is empty (expected a name)"
#define WHY_NAME_CHAR "has a character that is not a letter (expected letters, hyphen, space or apostrophe)"

/* ---------------------------------------------------------------- helpers */

static void date_ok(const char *in, const char *want)
{
	char out[11];
	const char *why = NULL;
	if (value_date(in, out, &why) != 0)
		fail_msg("value_date(\"%s\") failed: %s", in, why);
	assert_string_equal(out, want);
}

static void date_bad(const char *in, const char *want_why)
{
	char out[11];
	const char *why = NULL;
	if (value_date(in, out, &why) != -1)
		fail_msg("value_date(\"%s\") accepted it as %s", in, out);
	assert_non_null(why);
	if (want_why)
		assert_string_equal(why, want_why);
}

static void ts_ok(const char *in, const char *tz, const char *want)
{
	char out[21];
	const char *why = NULL;
	if (value_timestamp(in, tz, out, &why) != 0)
		fail_msg("value_timestamp(\"%s\", %s) failed: %s", in, tz, why);
	assert_string_equal(out, want);
}

static void ts_bad(const char *in, const char *tz, const char *want_why)
{
	char out[21];
	const char *why = NULL;
	if (value_timestamp(in, tz, out, &why) != -1)
		fail_msg("value_timestamp(\"%s\") accepted it as %s", in, out);
	assert_non_null(why);
	if (want_why)
		assert_string_equal(why, want_why);
}

static void class_ok(const char *in, const char *want)
{
	char out[8];
	const char *why = NULL;
	if (value_class(in, out, &why) != 0)
		fail_msg("value_class(\"%s\") failed: %s", in, why);
	assert_string_equal(out, want);
}

static void class_bad(const char *in)
{
	char out[8];
	const char *why = NULL;
	if (value_class(in, out, &why) != -1)
		fail_msg("value_class(\"%s\") accepted it as %s", in, out);
	assert_string_equal(why, WHY_CLASS);
}

static void phone_ok(const char *in, const char *want)
{
	char out[16];
	const char *why = NULL;
	if (value_phone(in, out, &why) != 0)
		fail_msg("value_phone(\"%s\") failed: %s", in, why);
	assert_string_equal(out, want);
}

static void phone_bad(const char *in)
{
	char out[16];
	const char *why = NULL;
	if (value_phone(in, out, &why) != -1)
		fail_msg("value_phone(\"%s\") accepted it as %s", in, out);
	assert_string_equal(why, WHY_PHONE);
}

static void email_ok(const char *in, const char *want)
{
	char out[256];
	const char *why = NULL;
	if (value_email(in, out, sizeof out, &why) != 0)
		fail_msg("value_email(\"%s\") failed: %s", in, why);
	assert_string_equal(out, want);
}

static void email_bad(const char *in, const char *want_why)
{
	char out[256];
	const char *why = NULL;
	if (value_email(in, out, sizeof out, &why) != -1)
		fail_msg("value_email(\"%s\") accepted it as %s", in, out);
	assert_non_null(why);
	if (want_why)
		assert_string_equal(why, want_why);
}

static void name_ok(const char *in, const char *want, int want_fixed)
{
	char out[128];
	const char *why = NULL;
	int fixed = -1;
	if (value_name(in, out, sizeof out, &fixed, &why) != 0)
		fail_msg("value_name(\"%s\") failed: %s", in, why);
	assert_string_equal(out, want);
	assert_int_equal(fixed, want_fixed);
}

static void name_bad(const char *in, const char *want_why)
{
	char out[128];
	const char *why = NULL;
	if (value_name(in, out, sizeof out, NULL, &why) != -1)
		fail_msg("value_name(\"%s\") accepted it as %s", in, out);
	assert_non_null(why);
	if (want_why)
		assert_string_equal(why, want_why);
}

/* ------------------------------------------------------------------ dates */

static void test_date_days_known(void **state)
{
	assert_int_equal(date_days(1970, 1, 1), 0);
	assert_int_equal(date_days(1969, 12, 31), -1);
	assert_int_equal(date_days(2000, 3, 1), 11017);
	assert_int_equal(date_days(1900, 1, 1), -25567);
	assert_int_equal(date_days(2199, 12, 31), 84005);
}

static void test_date_round_trip(void **state)
{
	long first = date_days(1900, 1, 1), last = date_days(2199, 12, 31);
	int py = 1899, pm = 12, pd = 31;
	for (long n = first; n <= last; n++) {
		int y, m, d;
		days_date(n, &y, &m, &d);
		assert_true(date_valid(y, m, d));
		assert_int_equal(date_days(y, m, d), n);
		/* each day follows the previous one in the calendar */
		int next_day = d == pd + 1 && m == pm && y == py;
		int next_month = d == 1 && ((m == pm + 1 && y == py) || (m == 1 && pm == 12 && y == py + 1));
		assert_true(next_day || next_month);
		py = y, pm = m, pd = d;
	}
	assert_int_equal(py, 2199);
}

static void test_days_date_negative_and_far(void **state)
{
	int y, m, d;
	days_date(-1, &y, &m, &d);
	assert_int_equal(y, 1969);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
	days_date(date_days(1600, 2, 29), &y, &m, &d);
	assert_int_equal(y, 1600);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
}

static void test_date_weekday(void **state)
{
	assert_int_equal(date_weekday(date_days(2026, 11, 27)), 5);
	assert_int_equal(date_weekday(date_days(1970, 1, 1)), 4);
	assert_int_equal(date_weekday(date_days(2000, 1, 1)), 6);
	assert_int_equal(date_weekday(date_days(1900, 1, 1)), 1);
	assert_int_equal(date_weekday(date_days(2026, 9, 1)), 2);
	assert_int_equal(date_weekday(date_days(2026, 11, 29)), 7);
}

static void test_date_valid(void **state)
{
	assert_true(date_valid(2028, 2, 29));
	assert_true(date_valid(2000, 2, 29));
	assert_true(date_valid(1900, 1, 1));
	assert_true(date_valid(2199, 12, 31));
	assert_false(date_valid(2027, 2, 29));
	assert_false(date_valid(1900, 2, 29));
	assert_false(date_valid(2026, 11, 31));
	assert_false(date_valid(2026, 13, 1));
	assert_false(date_valid(2026, 0, 1));
	assert_false(date_valid(2026, 1, 0));
	assert_false(date_valid(1899, 12, 31));
	assert_false(date_valid(2200, 1, 1));
}

static void test_value_date_iso(void **state)
{
	date_ok("2026-11-27", "2026-11-27");
	date_ok("2028-02-29", "2028-02-29");
}

static void test_value_date_russian(void **state)
{
	date_ok("27.11.2026", "2026-11-27");
	date_ok("01.09.2013", "2013-09-01");
	date_ok("1.9.2013", "2013-09-01");
	date_ok("29.02.2028", "2028-02-29");
}

static void test_value_date_spaces(void **state)
{
	date_ok("  27.11.2026\t", "2026-11-27");
	date_ok(" 2026-11-27 ", "2026-11-27");
	date_ok("\xC2\xA0" "27.11.2026", "2026-11-27");
}

static void test_value_date_excel_midnight(void **state)
{
	date_ok("27.11.2026 0:00:00", "2026-11-27");
	date_ok("27.11.2026 00:00", "2026-11-27");
	date_ok("27.11.2026 0:00", "2026-11-27");
}

static void test_value_date_with_time_of_day(void **state)
{
	date_bad("27.11.2026 9:30", "has a time of day (expected a date only, YYYY-MM-DD or DD.MM.YYYY)");
	date_bad("27.11.2026 0:00:01", "has a time of day (expected a date only, YYYY-MM-DD or DD.MM.YYYY)");
}

static void test_value_date_bad_shape(void **state)
{
	date_bad("01/09/2013", WHY_DATE);
	date_bad("", WHY_DATE);
	date_bad(NULL, WHY_DATE);
	date_bad("2026-1-01", WHY_DATE);
	date_bad("2026-01-011", WHY_DATE);
	date_bad("27.11.26", WHY_DATE);
	date_bad("127.11.2026", WHY_DATE);
	date_bad("27.11.20261", WHY_DATE);
	date_bad("сегодня", WHY_DATE);
	date_bad("2026-11-27x", WHY_DATE);
	date_bad("27.11.2026 полдень", WHY_DATE);
	date_bad("27. 11.2026", WHY_DATE);
}

static void test_value_date_impossible_day(void **state)
{
	date_bad("31.11.2026", WHY_DAY);
	date_bad("29.02.2027", WHY_DAY);
	date_bad("00.01.2026", WHY_DAY);
	date_bad("2026-13-01", WHY_DAY);
	date_bad("2026-02-30", WHY_DAY);
	date_bad("32.01.2026", WHY_DAY);
}

static void test_value_date_year_range(void **state)
{
	date_bad("01.01.1899", "is out of range (expected a year from 1900 to 2199)");
	date_bad("2300-06-01", "is out of range (expected a year from 1900 to 2199)");
}

static void test_date_parse_iso(void **state)
{
	long days = -7;
	assert_int_equal(date_parse_iso("2026-11-27", &days), 0);
	assert_int_equal(days, date_days(2026, 11, 27));
	assert_int_equal(date_parse_iso("1970-01-01", &days), 0);
	assert_int_equal(days, 0);
}

static void test_date_parse_iso_rejects(void **state)
{
	long days = 42;
	assert_int_equal(date_parse_iso("27.11.2026", &days), -1);
	assert_int_equal(date_parse_iso("2026-02-30", &days), -1);
	assert_int_equal(date_parse_iso(" 2026-11-27", &days), -1);
	assert_int_equal(date_parse_iso("2026-11-27 ", &days), -1);
	assert_int_equal(date_parse_iso("", &days), -1);
	assert_int_equal(days, 42);
}

static void test_date_format_iso(void **state)
{
	char out[11];
	date_format_iso(0, out);
	assert_string_equal(out, "1970-01-01");
	date_format_iso(-1, out);
	assert_string_equal(out, "1969-12-31");
	date_format_iso(date_days(2028, 2, 29), out);
	assert_string_equal(out, "2028-02-29");
}

/* ------------------------------------------------------------- timestamps */

static void test_ts_moscow_iso(void **state)
{
	ts_ok("2026-11-27 18:30", "Europe/Moscow", "2026-11-27T15:30:00Z");
	ts_ok("2026-07-01 12:00:15", "Europe/Moscow", "2026-07-01T09:00:15Z");
}

static void test_ts_moscow_russian(void **state)
{
	ts_ok("27.11.2026 09:00", "Europe/Moscow", "2026-11-27T06:00:00Z");
	ts_ok("1.9.2026 8:30", "Europe/Moscow", "2026-09-01T05:30:00Z");
	ts_ok(" 27.11.2026  09:00:30 ", "Europe/Moscow", "2026-11-27T06:00:30Z");
}

static void test_ts_moscow_previous_day(void **state)
{
	ts_ok("2026-01-01 01:00", "Europe/Moscow", "2025-12-31T22:00:00Z");
	/* Moscow was 2:30:17 ahead in 1900: this hour is in 1899 in UTC, which could not be read back */
	ts_bad("1.1.1900 0:00", "Europe/Moscow", "is out of range (expected a year from 1900 to 2199)");
	ts_ok("1.1.1900 3:00", "Europe/Moscow", "1900-01-01T00:29:43Z");
}

static void test_ts_utc_forms(void **state)
{
	ts_ok("2026-11-27T15:30Z", "Europe/Moscow", "2026-11-27T15:30:00Z");
	ts_ok("2026-11-27T15:30:45Z", "Europe/Moscow", "2026-11-27T15:30:45Z");
	ts_ok("1969-12-31T23:59:59Z", NULL, "1969-12-31T23:59:59Z");
}

static void test_ts_without_zone_is_utc(void **state)
{
	ts_ok("2026-11-27 18:30", NULL, "2026-11-27T18:30:00Z");
	ts_ok("2026-11-27 18:30", "", "2026-11-27T18:30:00Z");
}

static void test_ts_daylight_saving(void **state)
{
	ts_ok("2026-07-01 12:00", "Europe/Berlin", "2026-07-01T10:00:00Z");
	ts_ok("2026-01-15 12:00", "Europe/Berlin", "2026-01-15T11:00:00Z");
	ts_bad("2026-03-29 02:30", "Europe/Berlin",
	       "does not exist in the time zone (the clocks were moved forward at that hour)");
}

static void test_ts_bad_hours(void **state)
{
	ts_bad("2026-11-27 24:00", "Europe/Moscow", WHY_TIME);
	ts_bad("2026-11-27 25:00", "Europe/Moscow", WHY_TIME);
	ts_bad("27.11.2026 12:60", "Europe/Moscow", WHY_TIME);
	ts_bad("27.11.2026 12:30:60", "Europe/Moscow", WHY_TIME);
	ts_bad("2026-11-27T24:00:00Z", "Europe/Moscow", WHY_TIME);
}

static void test_ts_bad_shape(void **state)
{
	ts_bad("2026-11-27", "Europe/Moscow", WHY_TS);
	ts_bad("2026-11-27T15:30", "Europe/Moscow", WHY_TS);
	ts_bad("2026-11-27 15:30Z", "Europe/Moscow", WHY_TS);
	ts_bad("27.11.2026T15:30Z", "Europe/Moscow", WHY_TS);
	ts_bad("2026-11-27 1530", "Europe/Moscow", WHY_TS);
	ts_bad("2026-11-27T5:30Z", "Europe/Moscow", WHY_TS);
	ts_bad("2026-11-27 15:30:0", "Europe/Moscow", WHY_TS);
	ts_bad("", "Europe/Moscow", WHY_TS);
}

static void test_ts_impossible_day(void **state)
{
	ts_bad("31.11.2026 10:00", "Europe/Moscow",
	       "is not a day of the calendar (expected YYYY-MM-DDTHH:MM:SSZ, YYYY-MM-DD HH:MM or DD.MM.YYYY HH:MM)");
	ts_bad("2027-02-29T10:00:00Z", "Europe/Moscow", NULL);
}

static void test_ts_unknown_zone(void **state)
{
	ts_bad("2026-11-27 18:30", "Europe/Atlantis",
	       "cannot be read: the time zone is not known (expected an IANA name such as Europe/Moscow)");
	ts_bad("2026-11-27 18:30", "../../etc/passwd", NULL);
	/* the UTC form needs no zone */
	ts_ok("2026-11-27T15:30:00Z", "Europe/Atlantis", "2026-11-27T15:30:00Z");
}

static void test_ts_restores_tz(void **state)
{
	char out[21];
	const char *why;
	setenv("TZ", "America/New_York", 1);
	assert_int_equal(value_timestamp("2026-11-27 18:30", "Europe/Moscow", out, &why), 0);
	assert_string_equal(getenv("TZ"), "America/New_York");
	unsetenv("TZ");
	assert_int_equal(value_timestamp("2026-11-27 18:30", "Europe/Moscow", out, &why), 0);
	assert_null(getenv("TZ"));
	(void)ts_local_days(0, "Asia/Tokyo");
	assert_null(getenv("TZ"));
}

static void test_ts_format_utc(void **state)
{
	char out[21];
	ts_format_utc(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	ts_format_utc(-1, out);
	assert_string_equal(out, "1969-12-31T23:59:59Z");
	ts_format_utc(1795793400LL, out);
	assert_string_equal(out, "2026-11-27T15:30:00Z");
	ts_format_utc(-2208988800LL, out);
	assert_string_equal(out, "1900-01-01T00:00:00Z");
}

static void test_ts_parse_utc(void **state)
{
	long long epoch = 0;
	assert_int_equal(ts_parse_utc("2026-11-27T15:30:00Z", &epoch), 0);
	assert_int_equal(epoch, 1795793400LL);
	assert_int_equal(ts_parse_utc("1900-01-01T00:00:00Z", &epoch), 0);
	assert_int_equal(epoch, -2208988800LL);
}

static void test_ts_parse_utc_rejects(void **state)
{
	long long epoch = 5;
	assert_int_equal(ts_parse_utc("2026-11-27T15:30Z", &epoch), -1);
	assert_int_equal(ts_parse_utc("2026-11-27T15:30:00", &epoch), -1);
	assert_int_equal(ts_parse_utc("2026-11-27 15:30:00Z", &epoch), -1);
	assert_int_equal(ts_parse_utc("2026-11-27T24:00:00Z", &epoch), -1);
	assert_int_equal(ts_parse_utc("2026-02-30T10:00:00Z", &epoch), -1);
	assert_int_equal(ts_parse_utc("2026-11-27T15:30:00Zx", &epoch), -1);
	assert_int_equal(epoch, 5);
}

static void test_ts_round_trip(void **state)
{
	char out[21];
	long long back;
	for (long long e = -2208988800LL; e < 7258118400LL; e += 86399LL * 37) {
		ts_format_utc(e, out);
		assert_int_equal(ts_parse_utc(out, &back), 0);
		assert_int_equal(back, e);
	}
}

static void test_ts_local_days(void **state)
{
	long long evening = 1795815000LL;	/* 2026-11-27T21:30:00Z */
	assert_int_equal(ts_local_days(evening, "Europe/Moscow"), date_days(2026, 11, 28));
	assert_int_equal(ts_local_days(evening, "UTC"), date_days(2026, 11, 27));
	assert_int_equal(ts_local_days(evening, NULL), date_days(2026, 11, 27));
	assert_int_equal(ts_local_days(evening, "America/New_York"), date_days(2026, 11, 27));
	assert_int_equal(ts_local_days(-1, "UTC"), -1);
}

static void test_ts_format_local(void **state)
{
	char out[17];
	long long evening = 1795815000LL;	/* 2026-11-27T21:30:00Z */
	ts_format_local(evening, "Europe/Moscow", out);
	assert_string_equal(out, "28.11.2026 00:30");
	ts_format_local(evening, "UTC", out);
	assert_string_equal(out, "27.11.2026 21:30");
}

/* ---------------------------------------------------------------- classes */

static void test_grades_include(void **state)
{
	(void)state;
	assert_true(grades_include("", 5));
	assert_true(grades_include(NULL, 11));
	assert_true(grades_include("1", 1));
	assert_false(grades_include("1", 11));
	assert_true(grades_include("1;2", 2));
	assert_false(grades_include("1;2", 3));
	assert_false(grades_include("10;11", 1));
}

static void test_class_cyrillic(void **state)
{
	class_ok("7А", "7А");
	class_ok("7а", "7А");
	class_ok("11б", "11Б");
	class_ok("1Я", "1Я");
	class_ok("10в", "10В");
}

static void test_class_latin_look_alike(void **state)
{
	class_ok("7a", "7А");
	class_ok("7A", "7А");
	class_ok("8B", "8В");
	class_ok("9e", "9Е");
	class_ok("5k", "5К");
	class_ok("5K", "5К");
	class_ok("6m", "6М");
	class_ok("6H", "6Н");
	class_ok("3c", "3С");
	class_ok("4T", "4Т");
	class_ok("2y", "2У");
	class_ok("2Y", "2У");
	class_ok("1x", "1Х");
	class_ok("1P", "1Р");
	class_ok("1o", "1О");
}

static void test_class_separators(void **state)
{
	class_ok("7 А", "7А");
	class_ok("7-а", "7А");
	class_ok("7 «А»", "7А");
	class_ok("7\"а\"", "7А");
	class_ok("  11 - б  ", "11Б");
}

static void test_class_yo(void **state)
{
	class_ok("5ё", "5Ё");
	class_ok("5Ё", "5Ё");
}

static void test_class_rejected(void **state)
{
	class_bad("12А");
	class_bad("0А");
	class_bad("07А");
	class_bad("7");
	class_bad("7АБ");
	class_bad("7Q");
	class_bad("7h");
	class_bad("10 b");		/* b is not a look-alike of б */
	class_bad("");
	class_bad("А7");
	class_bad("7 А 1");
	class_bad("-7А");
	class_bad("7\xD0");
}

static void test_class_grade(void **state)
{
	assert_int_equal(class_grade("7А"), 7);
	assert_int_equal(class_grade("11Б"), 11);
	assert_int_equal(class_grade("1Ё"), 1);
	assert_int_equal(class_grade("7a"), 0);
	assert_int_equal(class_grade("7а"), 0);
	assert_int_equal(class_grade("12А"), 0);
	assert_int_equal(class_grade("07А"), 0);
	assert_int_equal(class_grade("7"), 0);
	assert_int_equal(class_grade("7АБ"), 0);
	assert_int_equal(class_grade(""), 0);
	assert_int_equal(class_grade(NULL), 0);
}

static int by_class(const void *a, const void *b)
{
	return class_cmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_class_order(void **state)
{
	char key[8];
	class_sort_key("7А", key);
	assert_string_equal(key, "0701");
	class_sort_key("11Я", key);
	assert_string_equal(key, "1133");
	class_sort_key("5Ё", key);
	assert_string_equal(key, "0507");
	class_sort_key("", key);
	assert_string_equal(key, "");
	/* as people count them, not as the names' bytes go (10А, 11А, 1А; Ё before А) */
	const char *v[] = { "11А", "10Б", "1Б", "2А", "10А", "1А", "5Ж", "5Ё", "5Е", "" };
	qsort(v, sizeof v / sizeof *v, sizeof *v, by_class);
	const char *want[] = { "", "1А", "1Б", "2А", "5Е", "5Ё", "5Ж", "10А", "10Б", "11А" };
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		assert_string_equal(v[i], want[i]);
}

/* ----------------------------------------------------------------- phones */

static void test_phone_forms(void **state)
{
	phone_ok("8 (912) 345-67-89", "+79123456789");
	phone_ok("+7 912 345 67 89", "+79123456789");
	phone_ok("89123456789", "+79123456789");
	phone_ok("79123456789", "+79123456789");
	phone_ok("+79123456789", "+79123456789");
	phone_ok("9123456789", "+79123456789");
	phone_ok("(343) 123.45.67", "+73431234567");
	phone_ok(" +7\xC2\xA0" "912\xC2\xA0" "345-67-89 ", "+79123456789");
}

static void test_phone_rejected(void **state)
{
	phone_bad("912345678");
	phone_bad("345-67-89");
	phone_bad("+8 912 345-67-89");
	phone_bad("+9123456789");
	phone_bad("891234567890");
	phone_bad("69123456789");
	phone_bad("8912345678a");
	phone_bad("8-912-345-67-89 доб. 12");
	phone_bad("7+9123456789");
	phone_bad("++79123456789");
	phone_bad("");
	phone_bad("+");
	phone_bad("1234567890123456789");
}

/* ---------------------------------------------------------------- e-mail */

static void test_email_accepted(void **state)
{
	email_ok("ivanova@mail.ru", "ivanova@mail.ru");
	email_ok("  Ivanova.A+school@Mail.RU  ", "Ivanova.A+school@mail.ru");
	email_ok("a@b-c.example.com", "a@b-c.example.com");
	email_ok("o'brien@school1.spb.ru", "o'brien@school1.spb.ru");
	email_ok("info@xn--80a1acny.xn--p1ai", "info@xn--80a1acny.xn--p1ai");
}

static void test_email_rejected(void **state)
{
	email_bad("ivanova", WHY_EMAIL);
	email_bad("", WHY_EMAIL);
	email_bad("a@@mail.ru", WHY_EMAIL);
	email_bad("a@b@mail.ru", WHY_EMAIL);
	email_bad("@mail.ru", WHY_EMAIL);
	email_bad("a@mail", WHY_EMAIL);
	email_bad("a@.ru", WHY_EMAIL);
	email_bad("a@mail..ru", WHY_EMAIL);
	email_bad("a@mail.ru.", WHY_EMAIL);
	email_bad("a@mail.r", WHY_EMAIL);
	email_bad("a@mail.r1", WHY_EMAIL);
	email_bad("iv anova@mail.ru", WHY_EMAIL);
	email_bad("a<b@mail.ru", WHY_EMAIL);
	email_bad("a,b@mail.ru", WHY_EMAIL);
	email_bad("a@ma_il.ru", WHY_EMAIL);
	email_bad("a@-mail.ru", WHY_EMAIL);
	email_bad(".a@mail.ru", WHY_EMAIL);
	email_bad("a..b@mail.ru", WHY_EMAIL);
	email_bad("иванова@mail.ru", WHY_EMAIL);
}

static void test_email_cyrillic_domain(void **state)
{
	email_bad("ivanova@почта.рф",
		  "has a Cyrillic domain (expected the domain in Latin letters or its xn-- form)");
	email_bad("ivanova@school.рф",
		  "has a Cyrillic domain (expected the domain in Latin letters or its xn-- form)");
}

static void test_email_too_long_for_buffer(void **state)
{
	char out[10];
	const char *why = NULL;
	assert_int_equal(value_email("ivanova@mail.ru", out, sizeof out, &why), -1);
	assert_string_equal(why, "is too long (expected an e-mail address of at most 254 characters)");
}

/* ------------------------------------------------------------------ names */

static void test_name_plain(void **state)
{
	name_ok("Иванов", "Иванов", 0);
	name_ok("  Анна   Мария  ", "Анна Мария", 0);
	name_ok("Анна\t\xC2\xA0Мария", "Анна Мария", 0);
	name_ok("иванов", "иванов", 0);
}

static void test_name_yo_kept(void **state)
{
	name_ok("Ёлкина", "Ёлкина", 0);
	name_ok("Пётр", "Пётр", 0);
}

static void test_name_hyphen_and_apostrophe(void **state)
{
	name_ok("Салтыков-Щедрин", "Салтыков-Щедрин", 0);
	name_ok("Д'Артаньян", "Д'Артаньян", 0);
	name_ok("Д’Артаньян", "Д'Артаньян", 0);
	name_ok("O'Brien", "O'Brien", 0);
}

static void test_name_latin_kept(void **state)
{
	name_ok("Smith", "Smith", 0);
	name_ok("Anna Maria", "Anna Maria", 0);
	name_ok("Müller", "Müller", 0);
}

static void test_name_mixed_script_fixed(void **state)
{
	name_ok("Иванoв", "Иванов", 1);		/* Latin o */
	name_ok("Cемёнова", "Семёнова", 1);		/* Latin C */
	name_ok("Петрoва-Boдкина", "Петрова-Водкина", 1);
	name_ok("Smith Иванoв", "Smith Иванов", 1);
	name_ok("TAPAСОВ", "TAPAСОВ", 0);		/* mostly Latin: left as typed */
	name_ok("Maрк", "Maрк", 0);			/* as much Latin as Cyrillic: left as typed */
}

static void test_name_fixed_may_be_null(void **state)
{
	char out[64];
	const char *why = NULL;
	assert_int_equal(value_name("Иванoв", out, sizeof out, NULL, &why), 0);
	assert_string_equal(out, "Иванов");
}

static void test_name_rejected(void **state)
{
	name_bad("Иван0в", WHY_NAME_CHAR);
	name_bad("Иванов!", WHY_NAME_CHAR);
	name_bad("Иванов, Пётр", WHY_NAME_CHAR);
	name_bad("", WHY_NAME_EMPTY);
	name_bad("   ", WHY_NAME_EMPTY);
	name_bad(NULL, WHY_NAME_EMPTY);
	name_bad("-", "has no letters (expected a name)");
	name_bad("Иван\xD0", "is not UTF-8 text (expected letters, hyphen, space or apostrophe)");
}

static void test_name_too_long_for_buffer(void **state)
{
	char out[8];
	const char *why = NULL;
	assert_int_equal(value_name("Константинопольский", out, sizeof out, NULL, &why), -1);
	assert_string_equal(why, "is too long (expected a shorter name)");
}

/* ------------------------------------------------------------------ UTF-8 */

static void test_utf8_valid_good(void **state)
{
	const char *s = "Щеглова Юлия 日本 \xF0\x9F\x98\x80";
	size_t bad = 99;
	assert_true(utf8_valid(s, strlen(s), &bad));
	assert_int_equal(bad, 99);
	assert_true(utf8_valid("a\0b", 3, NULL));
	assert_true(utf8_valid("", 0, NULL));
}

static void test_utf8_valid_bad(void **state)
{
	size_t bad = 99;
	assert_false(utf8_valid("ab\xFF", 3, &bad));
	assert_int_equal(bad, 2);
	assert_false(utf8_valid("\xC0\x80", 2, &bad));		/* overlong NUL */
	assert_int_equal(bad, 0);
	assert_false(utf8_valid("Я\xD0", 3, &bad));		/* truncated */
	assert_int_equal(bad, 2);
	assert_false(utf8_valid("\xE0\x80\xAF", 3, &bad));	/* overlong '/' */
	assert_false(utf8_valid("\xED\xA0\x80", 3, &bad));	/* surrogate */
	assert_false(utf8_valid("\xF4\x90\x80\x80", 4, &bad));	/* beyond U+10FFFF */
	assert_false(utf8_valid("\x80", 1, &bad));		/* stray continuation */
	assert_false(utf8_valid("\xD0\xAF", 1, &bad));		/* cut by n */
}

static void test_utf8_width(void **state)
{
	assert_int_equal(utf8_width("Щеглова"), 7);
	assert_int_equal(utf8_width("abc"), 3);
	assert_int_equal(utf8_width(""), 0);
	assert_int_equal(utf8_width("e\xCC\x81"), 1);		/* e + combining acute */
	assert_int_equal(utf8_width("日本"), 4);
	assert_int_equal(utf8_width("\xF0\x9F\x98\x80"), 2);	/* emoji */
	assert_int_equal(utf8_width("a\tb"), 2);
	assert_int_equal(utf8_width("a\xE2\x80\x8B" "b"), 2);	/* zero-width space */
	assert_int_equal(utf8_width("\xFF"), 1);			/* shown as U+FFFD */
}

static void test_utf8_lower(void **state)
{
	char out[128];
	assert_string_equal(utf8_lower("ЁЛКА Abc", out, sizeof out), "ёлка abc");
	assert_string_equal(utf8_lower("АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ", out, sizeof out),
			    "абвгдежзийклмнопрстуфхцчшщъыьэюя");
	assert_string_equal(utf8_lower("ёлка 7а", out, sizeof out), "ёлка 7а");
	assert_string_equal(utf8_lower("日本 Ä", out, sizeof out), "日本 Ä");
	assert_string_equal(utf8_lower("A\xFF" "B", out, sizeof out), "a\xFF" "b");
}

static void test_utf8_lower_truncates_at_boundary(void **state)
{
	char out[8];
	assert_string_equal(utf8_lower("ЁЛКА", out, 4), "ё");
	assert_string_equal(utf8_lower("ЁЛКА", out, 5), "ёл");
	assert_string_equal(utf8_lower("Ё", out, 2), "");
	assert_string_equal(utf8_lower("ABC", out, 3), "ab");
	out[0] = 'x';
	utf8_lower("ABC", out, 0);
	assert_int_equal(out[0], 'x');
}

static void test_utf8_decode_encode(void **state)
{
	static const unsigned cps[] = { 0x41, 0x416, 0x451, 0x20AC, 0x1F600, 0x10FFFF };
	static const int lens[] = { 1, 2, 2, 3, 4, 4 };
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		char buf[5] = { 0 };
		unsigned cp = 0;
		assert_int_equal(utf8_encode(cps[i], buf), lens[i]);
		assert_int_equal(utf8_decode(buf, &cp), lens[i]);
		assert_int_equal(cp, cps[i]);
	}
}

static void test_utf8_decode_invalid(void **state)
{
	unsigned cp = 0;
	char buf[5] = { 0 };
	assert_int_equal(utf8_decode("\xFF" "a", &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(utf8_decode("\xD0", &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(utf8_encode(0xD800, buf), 3);
	assert_memory_equal(buf, "\xEF\xBF\xBD", 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grades_include),
		cmocka_unit_test(test_date_days_known),
		cmocka_unit_test(test_date_round_trip),
		cmocka_unit_test(test_days_date_negative_and_far),
		cmocka_unit_test(test_date_weekday),
		cmocka_unit_test(test_date_valid),
		cmocka_unit_test(test_value_date_iso),
		cmocka_unit_test(test_value_date_russian),
		cmocka_unit_test(test_value_date_spaces),
		cmocka_unit_test(test_value_date_excel_midnight),
		cmocka_unit_test(test_value_date_with_time_of_day),
		cmocka_unit_test(test_value_date_bad_shape),
		cmocka_unit_test(test_value_date_impossible_day),
		cmocka_unit_test(test_value_date_year_range),
		cmocka_unit_test(test_date_parse_iso),
		cmocka_unit_test(test_date_parse_iso_rejects),
		cmocka_unit_test(test_date_format_iso),
		cmocka_unit_test(test_ts_moscow_iso),
		cmocka_unit_test(test_ts_moscow_russian),
		cmocka_unit_test(test_ts_moscow_previous_day),
		cmocka_unit_test(test_ts_utc_forms),
		cmocka_unit_test(test_ts_without_zone_is_utc),
		cmocka_unit_test(test_ts_daylight_saving),
		cmocka_unit_test(test_ts_bad_hours),
		cmocka_unit_test(test_ts_bad_shape),
		cmocka_unit_test(test_ts_impossible_day),
		cmocka_unit_test(test_ts_unknown_zone),
		cmocka_unit_test(test_ts_restores_tz),
		cmocka_unit_test(test_ts_format_utc),
		cmocka_unit_test(test_ts_parse_utc),
		cmocka_unit_test(test_ts_parse_utc_rejects),
		cmocka_unit_test(test_ts_round_trip),
		cmocka_unit_test(test_ts_local_days),
		cmocka_unit_test(test_ts_format_local),
		cmocka_unit_test(test_class_cyrillic),
		cmocka_unit_test(test_class_latin_look_alike),
		cmocka_unit_test(test_class_separators),
		cmocka_unit_test(test_class_yo),
		cmocka_unit_test(test_class_rejected),
		cmocka_unit_test(test_class_grade),
		cmocka_unit_test(test_class_order),
		cmocka_unit_test(test_phone_forms),
		cmocka_unit_test(test_phone_rejected),
		cmocka_unit_test(test_email_accepted),
		cmocka_unit_test(test_email_rejected),
		cmocka_unit_test(test_email_cyrillic_domain),
		cmocka_unit_test(test_email_too_long_for_buffer),
		cmocka_unit_test(test_name_plain),
		cmocka_unit_test(test_name_yo_kept),
		cmocka_unit_test(test_name_hyphen_and_apostrophe),
		cmocka_unit_test(test_name_latin_kept),
		cmocka_unit_test(test_name_mixed_script_fixed),
		cmocka_unit_test(test_name_fixed_may_be_null),
		cmocka_unit_test(test_name_rejected),
		cmocka_unit_test(test_name_too_long_for_buffer),
		cmocka_unit_test(test_utf8_valid_good),
		cmocka_unit_test(test_utf8_valid_bad),
		cmocka_unit_test(test_utf8_width),
		cmocka_unit_test(test_utf8_lower),
		cmocka_unit_test(test_utf8_lower_truncates_at_boundary),
		cmocka_unit_test(test_utf8_decode_encode),
		cmocka_unit_test(test_utf8_decode_invalid),
	};
	return cmocka_run_group_tests_name("values", tests, NULL, NULL);
}
