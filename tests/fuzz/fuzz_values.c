/*
 * fuzz_values.c: libFuzzer target for the value parsers (lib/values.c).
 *
 * The input, cut at 512 bytes and at its first NUL, goes through every
 * value_* parser. Invariants: a failure names its reason; an accepted value
 * is in the canonical form values.h documents (a real calendar day, a class
 * 1-11 with one capital Cyrillic letter, +7 and ten digits, ...); the
 * canonical form read again gives itself; a smaller output buffer fails
 * cleanly or gives the same text; utf8_valid agrees with an independent
 * validator.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "values.h"

#define TZ_NAME "Europe/Moscow"
enum { MAX_IN = 512 };

static void check_why(const char *what, const char *why)
{
	FUZZ_CHECK(why && *why, "%s: failed without a reason", what);
	FUZZ_CHECK(fuzz_utf8_ok(why, strlen(why)), "%s: the reason is not UTF-8", what);
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* "YYYY-MM-DD" of a real day in 1900..2199. */
static void check_iso_day(const char *out)
{
	FUZZ_CHECK(digits(out, 4) && out[4] == '-' && digits(out + 5, 2) && out[7] == '-' && digits(out + 8, 2),
		   "\"%s\" is not YYYY-MM-DD", out);
	FUZZ_CHECK(date_valid(num(out, 4), num(out + 5, 2), num(out + 8, 2)), "\"%s\" is not a calendar day", out);
}

static void fuzz_date(const char *s)
{
	char out[11], again[11];
	const char *why = NULL;
	long days;
	if (value_date(s, out, &why)) {
		check_why("value_date", why);
		return;
	}
	FUZZ_CHECK(strlen(out) == 10, "value_date: \"%s\"", out);
	check_iso_day(out);
	FUZZ_CHECK(date_parse_iso(out, &days) == 0, "date_parse_iso refuses \"%s\"", out);
	date_format_iso(days, again);
	FUZZ_CHECK(strcmp(again, out) == 0, "\"%s\" → day %ld → \"%s\"", out, days, again);
	FUZZ_CHECK(value_date(out, again, &why) == 0 && strcmp(again, out) == 0, "value_date not idempotent on \"%s\"", out);
}


static void fuzz_timestamp(const char *s)
{
	char out[21], again[21];
	const char *why = NULL;
	long long epoch;
	if (value_timestamp(s, TZ_NAME, out, &why)) {
		check_why("value_timestamp", why);
		return;
	}
	FUZZ_CHECK(strlen(out) == 20 && out[10] == 'T' && out[13] == ':' && out[16] == ':' && out[19] == 'Z' &&
		   digits(out + 11, 2) && digits(out + 14, 2) && digits(out + 17, 2),
		   "value_timestamp: \"%s\" is not YYYY-MM-DDTHH:MM:SSZ", out);
	FUZZ_CHECK(num(out + 11, 2) <= 23 && num(out + 14, 2) <= 59 && num(out + 17, 2) <= 59, "\"%s\": time of day", out);
	check_iso_day(out);
	FUZZ_CHECK(ts_parse_utc(out, &epoch) == 0, "ts_parse_utc refuses \"%s\"", out);
	ts_format_utc(epoch, again);
	FUZZ_CHECK(strcmp(again, out) == 0, "\"%s\" → %lld → \"%s\"", out, epoch, again);
	FUZZ_CHECK(value_timestamp(out, TZ_NAME, again, &why) == 0 && strcmp(again, out) == 0,
		   "value_timestamp not idempotent on \"%s\"", out);
}

/* One capital Cyrillic letter, А–Я or Ё, as UTF-8. */
static int capital_cyrillic(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] != 0xD0 || u[2] != '\0')
		return 0;
	return u[1] == 0x81 || (u[1] >= 0x90 && u[1] <= 0xAF);
}

static void fuzz_class(const char *s)
{
	char out[8], again[8];
	const char *why = NULL;
	if (value_class(s, out, &why)) {
		check_why("value_class", why);
		return;
	}
	int n = out[0] == '1' && out[1] >= '0' && out[1] <= '1' ? 2 : 1;
	FUZZ_CHECK(digits(out, n) && out[0] != '0' && num(out, n) >= 1 && num(out, n) <= 11, "value_class: grade of \"%s\"", out);
	FUZZ_CHECK(capital_cyrillic(out + n), "value_class: letter of \"%s\"", out);
	FUZZ_CHECK(class_grade(out) == num(out, n), "class_grade(\"%s\") = %d", out, class_grade(out));
	FUZZ_CHECK(value_class(out, again, &why) == 0 && strcmp(again, out) == 0, "value_class not idempotent on \"%s\"", out);
}

static void fuzz_phone(const char *s)
{
	char out[16], again[16];
	const char *why = NULL;
	if (value_phone(s, out, &why)) {
		check_why("value_phone", why);
		return;
	}
	FUZZ_CHECK(strlen(out) == 12 && strncmp(out, "+7", 2) == 0 && digits(out + 2, 10), "value_phone: \"%s\"", out);
	FUZZ_CHECK(value_phone(out, again, &why) == 0 && strcmp(again, out) == 0, "value_phone not idempotent on \"%s\"", out);
}

/* A buffer of exactly n bytes on the heap, so ASan sees a write past it. */
static char *exact(size_t n)
{
	char *b = malloc(n);
	FUZZ_CHECK(b, "out of memory");
	return b;
}

static void fuzz_email(const char *s, size_t small)
{
	char out[256], again[256];
	const char *why = NULL;
	int rc = value_email(s, out, sizeof out, &why);
	char *b = exact(small);
	const char *why_small = NULL;
	int rc_small = value_email(s, b, small, &why_small);
	if (rc_small)
		check_why("value_email (small buffer)", why_small);
	else
		FUZZ_CHECK(rc == 0 && strcmp(b, out) == 0, "value_email: %zu bytes gave \"%s\"", small, b);
	free(b);
	if (rc) {
		check_why("value_email", why);
		return;
	}
	size_t n = strlen(out);
	const char *at = strchr(out, '@');
	FUZZ_CHECK(n <= 254 && at && at > out && !strchr(at + 1, '@') && strchr(at + 1, '.'), "value_email: \"%s\"", out);
	for (const char *p = out; *p; p++)
		FUZZ_CHECK(*p > ' ' && *p <= '~', "value_email: byte 0x%02X in \"%s\"", (unsigned char)*p, out);
	for (const char *p = at + 1; *p; p++)
		FUZZ_CHECK(!(*p >= 'A' && *p <= 'Z'), "value_email: domain not lowercased in \"%s\"", out);
	FUZZ_CHECK(value_email(out, again, sizeof again, &why) == 0 && strcmp(again, out) == 0,
		   "value_email not idempotent on \"%s\"", out);
}

static void check_name_text(const char *out)
{
	size_t n = strlen(out);
	FUZZ_CHECK(n > 0 && fuzz_utf8_ok(out, n), "value_name: \"%s\" is not UTF-8 text", out);
	FUZZ_CHECK(out[0] != ' ' && out[n - 1] != ' ' && !strstr(out, "  "), "value_name: spaces in \"%s\"", out);
	int letter = 0;
	for (const char *p = out; *p;) {
		unsigned cp;
		p += utf8_decode(p, &cp);
		int is_letter = (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
				(cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
				(cp >= 0x400 && cp <= 0x4FF && !(cp >= 0x482 && cp <= 0x489));
		FUZZ_CHECK(is_letter || cp == ' ' || cp == '-' || cp == '\'', "value_name: U+%04X in \"%s\"", cp, out);
		letter |= is_letter;
	}
	FUZZ_CHECK(letter, "value_name: no letter in \"%s\"", out);
}

static void fuzz_name(const char *s, size_t small)
{
	char out[1024], again[1024];
	const char *why = NULL;
	int fixed = -1, fixed_again = -1;
	int rc = value_name(s, out, sizeof out, &fixed, &why);
	char *b = exact(small);
	const char *why_small = NULL;
	if (value_name(s, b, small, NULL, &why_small))
		check_why("value_name (small buffer)", why_small);
	else
		FUZZ_CHECK(rc == 0 && strcmp(b, out) == 0, "value_name: %zu bytes gave \"%s\"", small, b);
	free(b);
	if (rc) {
		check_why("value_name", why);
		return;
	}
	FUZZ_CHECK(fixed == 0 || fixed == 1, "value_name: fixed = %d", fixed);
	check_name_text(out);
	FUZZ_CHECK(value_name(out, again, sizeof again, &fixed_again, &why) == 0 && strcmp(again, out) == 0,
		   "value_name not idempotent on \"%s\"", out);
	FUZZ_CHECK(fixed_again == 0, "value_name fixes its own output \"%s\"", out);
}

static void fuzz_utf8(const uint8_t *data, size_t size)
{
	size_t bad = (size_t)-1;
	int ok = utf8_valid((const char *)data, size, &bad);
	FUZZ_CHECK(ok == fuzz_utf8_ok((const char *)data, size), "utf8_valid says %d", ok);
	if (ok)
		return;
	FUZZ_CHECK(bad < size && fuzz_utf8_ok((const char *)data, bad), "utf8_valid: first bad byte at %zu", bad);
	for (size_t len = 1; len <= 4 && bad + len <= size; len++)
		FUZZ_CHECK(!fuzz_utf8_ok((const char *)data + bad, len), "utf8_valid: byte %zu starts a character", bad);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[MAX_IN + 1];
	size_t n = size < MAX_IN ? size : MAX_IN;
	memcpy(s, data, n);
	s[n] = '\0';
	n = strlen(s);
	size_t small = 1 + n % 48;	/* an output buffer too small now and then */

	fuzz_utf8(data, size);
	fuzz_date(s);
	fuzz_timestamp(s);
	fuzz_class(s);
	fuzz_phone(s);
	fuzz_email(s, small);
	fuzz_name(s, small);
	return 0;
}
