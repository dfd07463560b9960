/*
 * values.h: the values people type into school spreadsheets, checked and put
 * into one canonical form: dates, timestamps, class names, phones, e-mail
 * addresses, person names. Also the UTF-8 helpers the CSV reader and the
 * table writer need.
 *
 * Every value_* function returns 0 and writes the canonical form to out, or
 * returns -1 and points *why at a static English message that says what was
 * expected (e.g. "is not a date (expected YYYY-MM-DD or DD.MM.YYYY)").
 * Input may carry leading/trailing spaces; they are ignored.
 */
#ifndef PORTAL_VALUES_H
#define PORTAL_VALUES_H

#include <stddef.h>

/* ---- dates: a date is also a day number (days since 1970-01-01) ---- */
long date_days(int y, int m, int d);			/* no check */
void days_date(long days, int *y, int *m, int *d);
int date_weekday(long days);				/* 1 = Monday … 7 = Sunday */
int date_valid(int y, int m, int d);			/* 1 if such a day exists, years 1900..2199 */
/* "YYYY-MM-DD" or "DD.MM.YYYY" (also "D.M.YYYY") → "YYYY-MM-DD" (out has 11 bytes). */
int value_date(const char *in, char out[11], const char **why);
/* Parses a canonical "YYYY-MM-DD" into a day number; -1 when it is not one. */
int date_parse_iso(const char *s, long *days);
void date_format_iso(long days, char out[11]);

/* ---- timestamps, always stored as UTC "YYYY-MM-DDTHH:MM:SSZ" ---- */
/* Accepts "YYYY-MM-DDTHH:MM[:SS]Z" (UTC) or "YYYY-MM-DD HH:MM[:SS]" /
 * "DD.MM.YYYY HH:MM[:SS]" in the time zone tz (an IANA name, e.g. Europe/Moscow). */
int value_timestamp(const char *in, const char *tz, char out[21], const char **why);
/* Seconds since the epoch → "YYYY-MM-DDTHH:MM:SSZ". */
void ts_format_utc(long long epoch, char out[21]);
/* "YYYY-MM-DDTHH:MM:SSZ" → seconds since the epoch; -1 on a bad string. */
int ts_parse_utc(const char *s, long long *epoch);
/* The local calendar date in time zone tz of an instant → day number. */
long ts_local_days(long long epoch, const char *tz);
/* An instant as the school reads it in time zone tz: "DD.MM.YYYY HH:MM" (out has 17 bytes). */
void ts_format_local(long long epoch, const char *tz, char out[17]);

/* ---- school values ---- */
/* "7a", "7 А", "7А" (Latin A), "7-а", "11б" → "7А"; grade 1–11, one Cyrillic letter.
 * out needs 8 bytes. */
int value_class(const char *in, char out[8], const char **why);
/* The grade (1–11) of a canonical class name, 0 when it is not one. */
int class_grade(const char *cls);
/* The order people count classes in, 1А, 1Б, 2А … 10А, 11А, as a key that sorts the same way
 * byte by byte in any engine and collation: the grade and the letter's place in the alphabet
 * (Ё after Е), two digits each: "0701" for 7А; "" for what is no class (a stream's ''). The
 * store keeps it in classes.sort_key; SQL orders by CLASS_ORDER. */
void class_sort_key(const char *cls, char out[8]);
/* Two class names in that order (qsort's comparison of names, not of pointers to them). */
int class_cmp(const char *a, const char *b);
/* The ORDER BY term of a class column col of a query: its stored key ('' for a stream). */
#define CLASS_ORDER(col) "COALESCE((SELECT k_.sort_key FROM classes k_ WHERE k_.name = " col "), '')"
/* 1 when a list of grades as the journal keeps it ("1;2", empty: every grade) takes in grade. */
int grades_include(const char *grades, int grade);
/* "8 (912) 345-67-89", "+7 912 345 67 89", "89123456789", "9123456789" → "+79123456789". */
int value_phone(const char *in, char out[16], const char **why);
/* Checks the shape local@domain.tld; trims; lowercases the domain. */
int value_email(const char *in, char *out, size_t outlen, const char **why);
/* Letters (Cyrillic or Latin), hyphen, space, apostrophe; trims, collapses runs of spaces;
 * "ё" kept as written. In a word that is mostly Cyrillic, Latin look-alikes (a, e, o, p, c, x,
 * y, A, B, E, K, M, H, O, P, C, T, X) are turned into their Cyrillic twins and *fixed is set. */
int value_name(const char *in, char *out, size_t outlen, int *fixed, const char **why);

/* ---- UTF-8 ---- */
/* 1 when s[0..n) is valid UTF-8; otherwise 0 and *bad = offset of the first bad byte. */
int utf8_valid(const char *s, size_t n, size_t *bad);
/* Columns a terminal uses for s (one per code point; combining marks none; wide CJK two). */
size_t utf8_width(const char *s);
/* Lowercases ASCII and Cyrillic (А–Я, Ё) into out; returns out. */
char *utf8_lower(const char *s, char *out, size_t outlen);
/* Decodes one code point at s; returns its byte length (1 for an invalid byte, *cp = 0xFFFD). */
int utf8_decode(const char *s, unsigned *cp);
/* Encodes cp at out (4 bytes room); returns the length. */
int utf8_encode(unsigned cp, char *out);

#endif
