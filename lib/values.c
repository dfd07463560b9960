/*
 * values.c: the values people type into school spreadsheets (dates,
 * timestamps, class names, phones, e-mail addresses, person names), checked
 * and put into one canonical form, and the UTF-8 helpers the CSV reader and
 * the table writer need.
 *
 * Dates are day numbers since 1970-01-01, computed with the civil-from-days
 * arithmetic (proleptic Gregorian calendar), so no libc time function is
 * involved for a pure date. Only the conversions between local time in an
 * IANA zone and UTC go through mktime/localtime_r with TZ set for the call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "util.h"
#include "values.h"

#define WHY_DATE N_("is not a date (expected YYYY-MM-DD or DD.MM.YYYY)")
#define WHY_DAY N_("is not a day of the calendar (expected YYYY-MM-DD or DD.MM.YYYY)")
#define WHY_YEAR N_("is out of range (expected a year from 1900 to 2199)")
#define WHY_DATE_TIME N_("has a time of day (expected a date only, YYYY-MM-DD or DD.MM.YYYY)")
#define WHY_TS N_("is not a timestamp (expected YYYY-MM-DDTHH:MM:SSZ, YYYY-MM-DD HH:MM or DD.MM.YYYY HH:MM)")
#define WHY_TS_DAY N_("is not a day of the calendar (expected YYYY-MM-DDTHH:MM:SSZ, YYYY-MM-DD HH:MM or DD.MM.YYYY HH:MM)")
#define WHY_TIME N_("is not a time of day (expected hours 0–23, minutes and seconds 0–59)")
#define WHY_TZ N_("cannot be read: the time zone is not known (expected an IANA name such as Europe/Moscow)")
#define WHY_GAP N_("does not exist in the time zone (the clocks were moved forward at that hour)")
#define WHY_CLASS N_("is not a class (expected a grade 1–11 and a letter, e.g. 7А)")
#define WHY_PHONE N_("is not a phone number (expected +7 and 10 digits, e.g. +7 912 345-67-89)")
#define WHY_EMAIL N_("is not an e-mail address (expected name@domain.ru)")
#define WHY_EMAIL_CYR N_("has a Cyrillic domain (expected the domain in Latin letters or its xn-- form)")
#define WHY_EMAIL_LONG N_("is too long (expected an e-mail address of at most 254 characters)")
#define WHY_NAME_EMPTY N_("is empty (expected a name)")
#define WHY_NAME_CHAR N_("has a character that is not a letter (expected letters, hyphen, space or apostrophe)")
#define WHY_NAME_NOLETTER N_("has no letters (expected a name)")
#define WHY_NAME_UTF8 "is not UTF-8 text (expected letters, hyphen, space or apostrophe)"
#define WHY_NAME_LONG N_("is too long (expected a shorter name)")

#define SECS_PER_DAY 86400LL

/* ---------------------------------------------------------------- helpers */

/* A trimmed private copy of in (NULL counts as empty); the caller frees it. */
static char *trimmed_copy(const char *in)
{
	return str_trim(xstrdup(in ? in : ""));
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Sets *why and returns -1, so a check can end with `return fail(why, ...)`. */
static int fail(const char **why, const char *msg)
{
	*why = _(msg);
	return -1;
}

/* Reads between min and max digits at *p (and no more digits after them). */
static int scan_num(const char **p, int min, int max, int *val)
{
	int n = 0, v = 0;
	while (is_digit((*p)[n])) {
		if (n == max)
			return -1;
		v = v * 10 + ((*p)[n] - '0');
		n++;
	}
	if (n < min)
		return -1;
	*p += n;
	*val = v;
	return 0;
}

static int scan_char(const char **p, char c)
{
	if (**p != c)
		return -1;
	(*p)++;
	return 0;
}

static void skip_spaces(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

/* Writes v as exactly n decimal digits (zero-padded; a negative v as zeros). */
static void put_digits(char *out, long long v, int n)
{
	if (v < 0)
		v = 0;
	for (int i = n - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* ------------------------------------------------------------------ dates */

long date_days(int y, int m, int d)
{
	long yy = (long)y - (m <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void days_date(long days, int *y, int *m, int *d)
{
	long z = days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = mm;
	*y = (int)(yoe + era * 400 + (mm <= 2));
}

int date_weekday(long days)
{
	/* 1970-01-01 was a Thursday */
	return (int)(((days + 3) % 7 + 7) % 7) + 1;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

int date_valid(int y, int m, int d)
{
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= month_days(y, m);
}

void date_format_iso(long days, char out[11])
{
	int y, m, d;
	days_date(days, &y, &m, &d);
	put_digits(out, y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = '\0';
}

static int scan_iso_date(const char **p, int *y, int *m, int *d)
{
	const char *s = *p;
	if (scan_num(&s, 4, 4, y) || scan_char(&s, '-') || scan_num(&s, 2, 2, m) ||
	    scan_char(&s, '-') || scan_num(&s, 2, 2, d))
		return -1;
	*p = s;
	return 0;
}

static int scan_ru_date(const char **p, int *y, int *m, int *d)
{
	const char *s = *p;
	if (scan_num(&s, 1, 2, d) || scan_char(&s, '.') || scan_num(&s, 1, 2, m) ||
	    scan_char(&s, '.') || scan_num(&s, 4, 4, y))
		return -1;
	*p = s;
	return 0;
}

/* Either written form of a date; *iso tells which one it was. */
static int scan_date(const char **p, int *y, int *m, int *d, int *iso)
{
	*iso = scan_iso_date(p, y, m, d) == 0;
	return *iso ? 0 : scan_ru_date(p, y, m, d);
}

/* "H:MM", "HH:MM" or "HH:MM:SS"; hour_min is the fewest hour digits allowed. */
static int scan_time(const char **p, int hour_min, int *h, int *mi, int *s)
{
	const char *q = *p;
	if (scan_num(&q, hour_min, 2, h) || scan_char(&q, ':') || scan_num(&q, 2, 2, mi))
		return -1;
	*s = 0;
	if (*q == ':') {
		q++;
		if (scan_num(&q, 2, 2, s))
			return -1;
	}
	*p = q;
	return 0;
}

static int time_valid(int h, int mi, int s)
{
	return h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59;
}

/* Why a well-shaped y-m-d is no date, or NULL when it is one. */
static const char *date_problem(int y, int m, int d, const char *why_day)
{
	if (date_valid(y, m, d))
		return NULL;
	if ((y < 1900 || y > 2199) && m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m))
		return WHY_YEAR;
	return why_day;
}

/* Excel writes a date cell as "27.11.2026 0:00:00": only midnight is a date. */
static const char *date_tail_problem(const char *p)
{
	int h, mi, s;
	if (*p == '\0')
		return NULL;
	if (*p != ' ')
		return WHY_DATE;
	skip_spaces(&p);
	if (scan_time(&p, 1, &h, &mi, &s) || *p != '\0')
		return WHY_DATE;
	return h == 0 && mi == 0 && s == 0 ? NULL : WHY_DATE_TIME;
}

static int parse_date_text(const char *t, char out[11], const char **why)
{
	int y, m, d, iso;
	const char *p = t, *problem;
	if (scan_date(&p, &y, &m, &d, &iso))
		problem = WHY_DATE;
	else if (!(problem = date_tail_problem(p)))
		problem = date_problem(y, m, d, WHY_DAY);
	if (problem) {
		*why = _(problem);
		return -1;
	}
	date_format_iso(date_days(y, m, d), out);
	return 0;
}

int value_date(const char *in, char out[11], const char **why)
{
	char *t = trimmed_copy(in);
	int rc = parse_date_text(t, out, why);
	free(t);
	return rc;
}

int date_parse_iso(const char *s, long *days)
{
	int y, m, d;
	const char *p = s;
	if (!s || scan_iso_date(&p, &y, &m, &d) || *p != '\0' || !date_valid(y, m, d))
		return -1;
	*days = date_days(y, m, d);
	return 0;
}

/* ------------------------------------------------------------- timestamps */

/* TZ as it was before a call switched it, so it can be put back. */
struct tz_saved {
	char *old;		/* NULL when TZ was unset */
};

/* Not thread-safe: TZ is process-wide; the binaries are single-threaded. */
static void tz_enter(struct tz_saved *sv, const char *tz)
{
	const char *old = getenv("TZ");
	sv->old = old ? xstrdup(old) : NULL;
	setenv("TZ", tz && *tz ? tz : "UTC", 1);
	tzset();
}

static void tz_leave(struct tz_saved *sv)
{
	if (sv->old)
		setenv("TZ", sv->old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(sv->old);
	sv->old = NULL;
}

/* glibc quietly treats an unknown zone name as UTC; look for its file instead. */
static int tz_known(const char *tz)
{
	if (!tz || !*tz)
		return 1;
	if (*tz == ':')
		tz++;
	if (strpbrk(tz, "0123456789<,"))
		return 1;	/* a POSIX rule such as MSK-3: libc reads it itself */
	if (strstr(tz, ".."))
		return 0;
	struct sbuf path;
	sbuf_init(&path);
	if (*tz != '/') {
		const char *dir = getenv("TZDIR");
		sbuf_printf(&path, "%s/", dir && *dir ? dir : "/usr/share/zoneinfo");
	}
	sbuf_adds(&path, tz);
	int ok = access(path.s, R_OK) == 0;
	sbuf_free(&path);
	return ok;
}

/* Local wall time in tz → epoch; -1 unknown zone, -2 a time skipped by DST. */
static int local_to_epoch(const char *tz, const int f[6], long long *epoch)
{
	struct tz_saved sv;
	struct tm tm = { 0 };
	if (!tz_known(tz))
		return -1;
	tm.tm_year = f[0] - 1900;
	tm.tm_mon = f[1] - 1;
	tm.tm_mday = f[2];
	tm.tm_hour = f[3];
	tm.tm_min = f[4];
	tm.tm_sec = f[5];
	tm.tm_isdst = -1;
	tz_enter(&sv, tz);
	time_t t = mktime(&tm);
	tz_leave(&sv);
	/* mktime moves a wall time that does not exist to another hour */
	if (tm.tm_hour != f[3] || tm.tm_min != f[4] || tm.tm_mday != f[2])
		return -2;
	*epoch = (long long)t;
	return 0;
}

static long long utc_epoch(const int f[6])
{
	return date_days(f[0], f[1], f[2]) * SECS_PER_DAY + f[3] * 3600LL + f[4] * 60LL + f[5];
}

/* Reads one of the three forms into f = {y, m, d, h, mi, s}; *utc for the Z form. */
static int scan_timestamp(const char *t, int f[6], int *utc)
{
	const char *p = t;
	int iso;
	if (scan_date(&p, &f[0], &f[1], &f[2], &iso))
		return -1;
	*utc = iso && *p == 'T';
	if (*utc) {
		p++;
		return scan_time(&p, 2, &f[3], &f[4], &f[5]) || scan_char(&p, 'Z') || *p ? -1 : 0;
	}
	if (*p != ' ')
		return -1;
	skip_spaces(&p);
	return scan_time(&p, 1, &f[3], &f[4], &f[5]) || *p ? -1 : 0;
}

static int parse_timestamp_text(const char *t, const char *tz, char out[21], const char **why)
{
	int f[6], utc, rc;
	long long epoch;
	if (scan_timestamp(t, f, &utc))
		return fail(why, WHY_TS);
	const char *problem = date_problem(f[0], f[1], f[2], WHY_TS_DAY);
	if (problem)
		return fail(why, problem);
	if (!time_valid(f[3], f[4], f[5]))
		return fail(why, WHY_TIME);
	if (utc)
		epoch = utc_epoch(f);
	else if ((rc = local_to_epoch(tz, f, &epoch)))
		return fail(why, rc == -1 ? WHY_TZ : WHY_GAP);
	ts_format_utc(epoch, out);
	/* a local time early on 1900-01-01 is in 1899 in UTC: refused, as it could not be read back */
	if (strncmp(out, "1900", 4) < 0 || strncmp(out, "2199", 4) > 0)
		return fail(why, WHY_YEAR);
	return 0;
}

int value_timestamp(const char *in, const char *tz, char out[21], const char **why)
{
	char *t = trimmed_copy(in);
	int rc = parse_timestamp_text(t, tz, out, why);
	free(t);
	return rc;
}

void ts_format_utc(long long epoch, char out[21])
{
	long long days = epoch / SECS_PER_DAY, secs = epoch % SECS_PER_DAY;
	if (secs < 0) {
		secs += SECS_PER_DAY;
		days--;
	}
	date_format_iso((long)days, out);
	out[10] = 'T';
	put_digits(out + 11, secs / 3600, 2);
	out[13] = ':';
	put_digits(out + 14, secs / 60 % 60, 2);
	out[16] = ':';
	put_digits(out + 17, secs % 60, 2);
	out[19] = 'Z';
	out[20] = '\0';
}

int ts_parse_utc(const char *s, long long *epoch)
{
	int f[6];
	const char *p = s;
	if (!s || scan_iso_date(&p, &f[0], &f[1], &f[2]) || scan_char(&p, 'T') ||
	    scan_num(&p, 2, 2, &f[3]) || scan_char(&p, ':') || scan_num(&p, 2, 2, &f[4]) ||
	    scan_char(&p, ':') || scan_num(&p, 2, 2, &f[5]) || scan_char(&p, 'Z') || *p)
		return -1;
	if (!date_valid(f[0], f[1], f[2]) || !time_valid(f[3], f[4], f[5]))
		return -1;
	*epoch = utc_epoch(f);
	return 0;
}

long ts_local_days(long long epoch, const char *tz)
{
	struct tz_saved sv;
	struct tm tm;
	time_t t = (time_t)epoch;
	long long utc_days = epoch / SECS_PER_DAY - (epoch % SECS_PER_DAY < 0);
	tz_enter(&sv, tz);
	struct tm *ok = localtime_r(&t, &tm);
	tz_leave(&sv);
	if (!ok)
		return (long)utc_days;
	return date_days(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void ts_format_local(long long epoch, const char *tz, char out[17])
{
	struct tz_saved sv;
	struct tm tm;
	time_t t = (time_t)epoch;
	tz_enter(&sv, tz);
	struct tm *ok = localtime_r(&t, &tm);
	tz_leave(&sv);
	if (!ok)
		gmtime_r(&t, &tm);
	snprintf(out, 17, "%02d.%02d.%04d %02d:%02d", tm.tm_mday % 100, (tm.tm_mon + 1) % 100, (tm.tm_year + 1900) % 10000,
		 tm.tm_hour % 100, tm.tm_min % 100);
}

/* ------------------------------------------------------------------ UTF-8 */

/* Length of a valid sequence at s (at most n bytes), 0 when it is not one. */
static int decode_n(const unsigned char *s, size_t n, unsigned *cp)
{
	static const unsigned min_of_len[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	unsigned c = s[0];
	int len;
	if (c < 0x80)
		len = 1;
	else if (c >= 0xC2 && c <= 0xDF)
		len = 2;	/* C0 and C1 could only start an overlong */
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4;
	else
		return 0;
	c &= 0x7Fu >> (len == 1 ? 0 : len);	/* the payload bits of the lead byte */
	for (int i = 1; i < len; i++) {
		if ((size_t)i >= n || (s[i] & 0xC0) != 0x80)
			return 0;	/* truncated: stops before reading past a NUL */
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min_of_len[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;	/* overlong, beyond Unicode, or a surrogate */
	*cp = c;
	return len;
}

int utf8_decode(const char *s, unsigned *cp)
{
	int len = decode_n((const unsigned char *)s, 4, cp);
	if (len == 0) {
		*cp = 0xFFFD;
		return 1;
	}
	return len;
}

int utf8_encode(unsigned cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

int utf8_valid(const char *s, size_t n, size_t *bad)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	unsigned cp;
	while (i < n) {
		if (u[i] < 0x80) {	/* ASCII, most of a CSV line: no decoding */
			i++;
			continue;
		}
		int len = decode_n(u + i, n - i, &cp);
		if (len == 0) {
			if (bad)
				*bad = i;
			return 0;
		}
		i += (size_t)len;
	}
	return 1;
}

static int in_ranges(unsigned cp, const unsigned (*r)[2], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cp >= r[i][0] && cp <= r[i][1])
			return 1;
	return 0;
}

static int cp_width(unsigned cp)
{
	static const unsigned zero[][2] = {
		{ 0x0000, 0x001F }, { 0x007F, 0x009F },		/* control characters */
		{ 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x200B, 0x200F },
	};
	static const unsigned wide[][2] = {
		{ 0x1100, 0x115F }, { 0x2E80, 0xA4CF }, { 0xAC00, 0xD7A3 },
		{ 0xF900, 0xFAFF }, { 0xFE30, 0xFE4F }, { 0xFF00, 0xFF60 },
		{ 0xFFE0, 0xFFE6 }, { 0x1F300, 0x1FAFF }, { 0x20000, 0x3FFFD },
	};
	if (in_ranges(cp, zero, sizeof zero / sizeof zero[0]))
		return 0;
	return in_ranges(cp, wide, sizeof wide / sizeof wide[0]) ? 2 : 1;
}

size_t utf8_width(const char *s)
{
	size_t w = 0;
	unsigned cp;
	while (*s) {
		s += utf8_decode(s, &cp);
		w += (size_t)cp_width(cp);
	}
	return w;
}

static unsigned cp_lower(unsigned cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 0x20;
	if (cp >= 0x0410 && cp <= 0x042F)
		return cp + 0x20;
	return cp == 0x0401 ? 0x0451 : cp;
}

/* The bytes of the code point at s, lowercased, into buf; *in_len = bytes read. */
static int lower_one(const char *s, char buf[4], int *in_len)
{
	unsigned cp;
	*in_len = utf8_decode(s, &cp);
	if (cp == 0xFFFD && *in_len == 1) {
		buf[0] = *s;	/* an invalid byte is copied as it is, not replaced */
		return 1;
	}
	return utf8_encode(cp_lower(cp), buf);
}

char *utf8_lower(const char *s, char *out, size_t outlen)
{
	size_t pos = 0;
	if (outlen == 0)
		return out;
	while (*s) {
		char buf[4];
		int in_len, len = lower_one(s, buf, &in_len);
		if (pos + (size_t)len >= outlen)
			break;	/* stop at a code point boundary */
		memcpy(out + pos, buf, (size_t)len);
		pos += (size_t)len;
		s += in_len;
	}
	out[pos] = '\0';
	return out;
}

/* ------------------------------------------------------- Cyrillic, Latin */

static int is_cyrillic(unsigned cp)
{
	return cp >= 0x0400 && cp <= 0x04FF;
}

static int is_latin(unsigned cp)
{
	if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'))
		return 1;
	return cp >= 0x00C0 && cp <= 0x024F && cp != 0x00D7 && cp != 0x00F7;
}

/* The Cyrillic letter a Latin one is typed for in a Russian word, or 0. */
static unsigned cyrillic_twin(unsigned cp)
{
	static const unsigned twins[][2] = {
		{ 'A', 0x0410 }, { 'B', 0x0412 }, { 'E', 0x0415 }, { 'K', 0x041A },
		{ 'M', 0x041C }, { 'H', 0x041D }, { 'O', 0x041E }, { 'P', 0x0420 },
		{ 'C', 0x0421 }, { 'T', 0x0422 }, { 'X', 0x0425 },
		{ 'a', 0x0430 }, { 'e', 0x0435 }, { 'o', 0x043E }, { 'p', 0x0440 },
		{ 'c', 0x0441 }, { 'x', 0x0445 }, { 'y', 0x0443 },
	};
	for (size_t i = 0; i < sizeof twins / sizeof twins[0]; i++)
		if (twins[i][0] == cp)
			return twins[i][1];
	return 0;
}

/* ---------------------------------------------------------------- classes */

/* The capital Cyrillic letter of a class typed as cp, or 0 when there is none. */
static unsigned class_letter(unsigned cp)
{
	unsigned twin = cyrillic_twin(cp);
	if (twin)
		cp = twin;
	else if (cp == 'Y')
		return 0x0423;
	else if (cp == 'k')
		return 0x041A;
	else if (cp == 'm')
		return 0x041C;
	if (cp == 0x0401 || cp == 0x0451)
		return 0x0401;
	if (cp >= 0x0430 && cp <= 0x044F)
		return cp - 0x20;
	return cp >= 0x0410 && cp <= 0x042F ? cp : 0;
}

/* Space, hyphen and the quotes people put around a class letter: 7 «А», 7-"а". */
static int is_class_separator(unsigned cp)
{
	static const unsigned sep[] = { ' ', '\t', '-', '"', '\'', 0x00A0, 0x00AB, 0x00BB,
					0x201C, 0x201D, 0x201E };
	for (size_t i = 0; i < sizeof sep / sizeof sep[0]; i++)
		if (sep[i] == cp)
			return 1;
	return 0;
}

static const char *skip_class_separators(const char *p)
{
	unsigned cp;
	while (*p) {
		int len = utf8_decode(p, &cp);
		if (!is_class_separator(cp))
			break;
		p += len;
	}
	return p;
}

/* Reads a grade 1–11 without a leading zero. */
static int scan_grade(const char **p, int *grade)
{
	if (**p == '0' || scan_num(p, 1, 2, grade))
		return -1;
	return *grade >= 1 && *grade <= 11 ? 0 : -1;
}

static int parse_class_text(const char *t, char out[8])
{
	int grade, n;
	unsigned cp, letter;
	const char *p = t;
	if (scan_grade(&p, &grade))
		return -1;
	p = skip_class_separators(p);
	if (!*p)
		return -1;
	p += utf8_decode(p, &cp);
	if (!(letter = class_letter(cp)))
		return -1;
	if (*skip_class_separators(p))
		return -1;
	n = grade >= 10 ? 2 : 1;
	put_digits(out, grade, n);
	n += utf8_encode(letter, out + n);
	out[n] = '\0';
	return 0;
}

int value_class(const char *in, char out[8], const char **why)
{
	char *t = trimmed_copy(in);
	int rc = parse_class_text(t, out);
	free(t);
	if (rc)
		*why = _(WHY_CLASS);
	return rc;
}

int grades_include(const char *grades, int grade)
{
	if (!grades || !*grades)
		return 1;
	for (const char *p = grades; *p;) {
		char *end;
		if (strtol(p, &end, 10) == grade)
			return 1;
		p = *end ? end + 1 : end;
	}
	return 0;
}

/* The place of a Cyrillic capital in the alphabet, Ё after Е (1 А … 33 Я); 0 for another. */
static int letter_place(unsigned cp)
{
	if (cp == 0x0401)
		return 7;
	if (cp >= 0x0410 && cp <= 0x0415)
		return (int)(cp - 0x0410) + 1;
	if (cp >= 0x0416 && cp <= 0x042F)
		return (int)(cp - 0x0410) + 2;
	return 0;
}

void class_sort_key(const char *cls, char out[8])
{
	int grade = class_grade(cls);
	unsigned cp;
	*out = '\0';
	if (!grade)
		return;
	utf8_decode(cls + (grade >= 10 ? 2 : 1), &cp);
	snprintf(out, 8, "%02d%02d", grade, letter_place(cp));
}

int class_cmp(const char *a, const char *b)
{
	char ka[8], kb[8];
	class_sort_key(a, ka);
	class_sort_key(b, kb);
	int d = strcmp(ka, kb);
	return d ? d : strcmp(a, b);
}

int class_grade(const char *cls)
{
	int grade;
	unsigned cp;
	const char *p = cls;
	if (!cls || scan_grade(&p, &grade) || !*p)
		return 0;
	p += utf8_decode(p, &cp);
	if (*p || !(cp == 0x0401 || (cp >= 0x0410 && cp <= 0x042F)))
		return 0;
	return grade;
}

/* ----------------------------------------------------------------- phones */

/* Collects the digits of a phone, allowing the usual separators and a leading +. */
static int phone_digits(const char *t, char digits[16], int *plus)
{
	int n = 0;
	*plus = 0;
	for (const char *p = t; *p; p++) {
		if (is_digit(*p)) {
			if (n == 15)
				return -1;
			digits[n++] = *p;
		} else if (*p == '+' && n == 0 && !*plus) {
			*plus = 1;
		} else if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0) {
			p++;	/* a no-break space from Excel */
		} else if (!strchr(" \t()-.", *p)) {
			return -1;
		}
	}
	digits[n] = '\0';
	return n;
}

static int parse_phone_text(const char *t, char out[16])
{
	char digits[16];
	int plus, n = phone_digits(t, digits, &plus);
	const char *national;
	if (n == 11 && (digits[0] == '7' || (digits[0] == '8' && !plus)))
		national = digits + 1;
	else if (n == 10 && !plus)
		national = digits;
	else
		return -1;
	memcpy(out, "+7", 2);
	memcpy(out + 2, national, 11);	/* ten digits and the NUL */
	return 0;
}

int value_phone(const char *in, char out[16], const char **why)
{
	char *t = trimmed_copy(in);
	int rc = parse_phone_text(t, out);
	free(t);
	if (rc)
		*why = _(WHY_PHONE);
	return rc;
}

/* ---------------------------------------------------------------- e-mail */

/* Dot-atom: printable ASCII without specials, no leading, trailing or double dot. */
static int email_local_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.' || strstr(s, ".."))
		return 0;
	for (; *s; s++)
		if (*s <= ' ' || *s > '~' || strchr("<>(),;:\"[]\\@", *s))
			return 0;
	return 1;
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int domain_label_ok(const char *s, size_t n, int last)
{
	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '-')
			return 0;
	if (!last || strncmp(s, "xn--", 4) == 0 || strncmp(s, "XN--", 4) == 0)
		return 1;
	if (n < 2)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_alpha(s[i]))
			return 0;	/* a top-level domain is letters (or punycode) */
	return 1;
}

static int email_domain_ok(const char *s)
{
	const char *dot = strchr(s, '.');
	if (!dot || strlen(s) > 253)
		return 0;
	for (;;) {
		const char *end = strchr(s, '.');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		if (!domain_label_ok(s, n, end == NULL))
			return 0;
		if (!end)
			return 1;
		s = end + 1;
	}
}

static int has_cyrillic(const char *s)
{
	unsigned cp;
	while (*s) {
		s += utf8_decode(s, &cp);
		if (is_cyrillic(cp))
			return 1;
	}
	return 0;
}

static const char *email_problem(char *t)
{
	char *at = strchr(t, '@');
	if (!at || strchr(at + 1, '@'))
		return WHY_EMAIL;
	*at = '\0';
	if (!email_local_ok(t))
		return WHY_EMAIL;
	if (has_cyrillic(at + 1))
		return WHY_EMAIL_CYR;
	if (!email_domain_ok(at + 1))
		return WHY_EMAIL;
	for (char *p = at + 1; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 0x20);
	*at = '@';
	return strlen(t) > 254 ? WHY_EMAIL_LONG : NULL;
}

int value_email(const char *in, char *out, size_t outlen, const char **why)
{
	char *t = trimmed_copy(in);
	const char *problem = email_problem(t);
	if (!problem && str_copy(out, outlen, t))
		problem = WHY_EMAIL_LONG;
	free(t);
	if (problem)
		*why = _(problem);
	return problem ? -1 : 0;
}

/* ------------------------------------------------------------------ names */

static int is_name_letter(unsigned cp)
{
	if (is_latin(cp))
		return 1;
	/* the Cyrillic block without its signs and combining marks (U+0482–U+0489) */
	return is_cyrillic(cp) && !(cp >= 0x0482 && cp <= 0x0489);
}

static int is_name_space(unsigned cp)
{
	return cp == ' ' || cp == '\t' || cp == 0x00A0;
}

/* Decodes t into cps with spaces collapsed and ’ as '; returns the count. */
static long name_codepoints(const char *t, unsigned *cps, const char **problem)
{
	long n = 0;
	unsigned cp;
	while (*t) {
		t += utf8_decode(t, &cp);
		if (cp == 0x2019)
			cp = '\'';
		if (is_name_space(cp)) {
			if (n > 0 && cps[n - 1] != ' ')
				cps[n++] = ' ';
			continue;
		}
		if (!is_name_letter(cp) && cp != '-' && cp != '\'') {
			*problem = WHY_NAME_CHAR;
			return n;
		}
		cps[n++] = cp;
	}
	return n;
}

/* In a word that is mostly Cyrillic, Latin look-alikes become Cyrillic; returns how many. */
static int fix_word(unsigned *w, long n)
{
	long cyr = 0, lat = 0;
	int changed = 0;
	for (long i = 0; i < n; i++) {
		cyr += is_cyrillic(w[i]);
		lat += is_latin(w[i]);
	}
	if (cyr <= lat)
		return 0;
	for (long i = 0; i < n; i++) {
		unsigned twin = cyrillic_twin(w[i]);
		if (twin) {
			w[i] = twin;
			changed++;
		}
	}
	return changed;
}

static int fix_words(unsigned *cps, long n)
{
	int changed = 0;
	long start = 0;
	for (long i = 0; i <= n; i++) {
		if (i < n && cps[i] != ' ' && cps[i] != '-')
			continue;
		changed += fix_word(cps + start, i - start);
		start = i + 1;
	}
	return changed;
}

static int encode_name(const unsigned *cps, long n, char *out, size_t outlen)
{
	size_t pos = 0;
	char buf[4];
	for (long i = 0; i < n; i++) {
		int len = utf8_encode(cps[i], buf);
		if (pos + (size_t)len >= outlen)
			return -1;
		memcpy(out + pos, buf, (size_t)len);
		pos += (size_t)len;
	}
	if (pos >= outlen)
		return -1;
	out[pos] = '\0';
	return 0;
}

static int has_letter(const unsigned *cps, long n)
{
	for (long i = 0; i < n; i++)
		if (is_name_letter(cps[i]))
			return 1;
	return 0;
}

static int parse_name_text(const char *t, char *out, size_t outlen, int *fixed, const char **why)
{
	if (!*t)
		return fail(why, WHY_NAME_EMPTY);
	if (!utf8_valid(t, strlen(t), NULL))
		return fail(why, WHY_NAME_UTF8);
	const char *problem = NULL;
	unsigned *cps = xmalloc((strlen(t) + 1) * sizeof *cps);
	long n = name_codepoints(t, cps, &problem);
	if (!problem && !has_letter(cps, n))
		problem = WHY_NAME_NOLETTER;
	if (!problem) {
		int changed = fix_words(cps, n);
		if (encode_name(cps, n, out, outlen))
			problem = WHY_NAME_LONG;
		else if (fixed)
			*fixed = changed > 0;
	}
	free(cps);
	return problem ? fail(why, problem) : 0;
}

int value_name(const char *in, char *out, size_t outlen, int *fixed, const char **why)
{
	char *t = trimmed_copy(in);
	if (fixed)
		*fixed = 0;
	int rc = parse_name_text(t, out, outlen, fixed, why);
	free(t);
	return rc;
}
