/*
 * fuzz.h: what the libFuzzer targets share: an invariant check that aborts
 * (so libFuzzer keeps the input as a crash) and a UTF-8 validator written
 * apart from lib/values.c, so the library is not checked against itself.
 */
#ifndef PORTAL_FUZZ_H
#define PORTAL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant: say which, then abort() so libFuzzer saves the input. */
#define FUZZ_CHECK(cond, ...)							\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "%s:%d: invariant broken: %s: ",	\
				__FILE__, __LINE__, #cond);			\
			fprintf(stderr, __VA_ARGS__);				\
			fputc('\n', stderr);					\
			abort();						\
		}								\
	} while (0)

/* 1 when s[0..n) is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF), by the table of well-formed byte sequences. */
static inline int fuzz_utf8_ok(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned c = u[i];
		size_t len;
		unsigned lo = 0x80, hi = 0xBF;	/* the allowed range of the second byte */
		if (c < 0x80)
			len = 1;
		else if (c >= 0xC2 && c <= 0xDF)
			len = 2;
		else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else
			return 0;
		if (len > n - i)
			return 0;
		for (size_t k = 1; k < len; k++) {
			unsigned b = u[i + k];
			if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF))
				return 0;
		}
		i += len;
	}
	return 1;
}

/* The blanks of lib/util.c: ASCII white space and the no-break space. */
static inline size_t fuzz_blank_at(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == '\f' || *s == '\v')
		return 1;
	return (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0 ? 2 : 0;
}

static inline int fuzz_blank(const char *s, size_t n)
{
	for (size_t i = 0, l; i < n; i += l)
		if (!(l = fuzz_blank_at(s + i)) || i + l > n)
			return 0;
	return 1;
}

/* No blank at either end, as str_trim leaves a value. */
static inline int fuzz_trimmed(const char *s, size_t n)
{
	if (n == 0)
		return 1;
	if (fuzz_blank_at(s))
		return 0;
	if (fuzz_blank_at(s + n - 1) == 1)
		return 0;
	return !(n >= 2 && (unsigned char)s[n - 2] == 0xC2 && (unsigned char)s[n - 1] == 0xA0);
}

#endif
