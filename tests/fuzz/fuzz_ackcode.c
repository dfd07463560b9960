/*
 * fuzz_ackcode.c: libFuzzer target for acknowledgement codes (lib/ackcode.c).
 *
 * The input, cut at 256 bytes and at its first NUL, is read as a typed code.
 * Invariants: an accepted code is ACKCODE_LEN characters of Crockford's
 * alphabet; it is what the input gives read the Crockford way by hand
 * (separators dropped, case folded, I and L as 1, O as 0); printed, it is
 * ABCDE-FGHJK, and the printed form (also in lower case) reads back as the
 * same code; a refused input is one the hand reading refuses too.
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "ackcode.h"
#include "fuzz.h"

enum { MAX_IN = 256 };
static const char CROCKFORD[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* The Crockford reading, written apart from lib/ackcode.c; -1 when not a code. */
static int crockford(const char *s, char out[ACKCODE_LEN + 1])
{
	size_t n = 0;
	for (; *s; s++) {
		char c = *s;
		if (strchr("- \t\r\n", c))
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == 'I' || c == 'L')
			c = '1';
		if (c == 'O')
			c = '0';
		if (!strchr(CROCKFORD, c) || n == ACKCODE_LEN)
			return -1;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == ACKCODE_LEN ? 0 : -1;
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char typed[MAX_IN + 1], code[ACKCODE_LEN + 1], want[ACKCODE_LEN + 1];
	char printed[ACKCODE_LEN + 2], again[ACKCODE_LEN + 1];
	size_t n = size < MAX_IN ? size : MAX_IN;
	memcpy(typed, data, n);
	typed[n] = '\0';

	int rc = ackcode_read(typed, code);
	int rc_want = crockford(typed, want);
	FUZZ_CHECK(rc == rc_want, "ackcode_read says %d, the Crockford reading %d", rc, rc_want);
	if (rc)
		return 0;
	FUZZ_CHECK(strlen(code) == ACKCODE_LEN && strspn(code, CROCKFORD) == ACKCODE_LEN, "code \"%s\"", code);
	FUZZ_CHECK(strcmp(code, want) == 0, "code \"%s\", the Crockford reading \"%s\"", code, want);

	ackcode_print(code, printed);
	FUZZ_CHECK(strlen(printed) == ACKCODE_LEN + 1 && printed[5] == '-' && strncmp(printed, code, 5) == 0 &&
		   strcmp(printed + 6, code + 5) == 0, "\"%s\" printed as \"%s\"", code, printed);
	FUZZ_CHECK(ackcode_read(printed, again) == 0 && strcmp(again, code) == 0, "\"%s\" reads back as \"%s\"", printed, again);
	lower(printed);
	FUZZ_CHECK(ackcode_read(printed, again) == 0 && strcmp(again, code) == 0, "\"%s\" reads back as \"%s\"", printed, again);
	FUZZ_CHECK(ackcode_read(code, again) == 0 && strcmp(again, code) == 0, "\"%s\" reads back as \"%s\"", code, again);
	return 0;
}
