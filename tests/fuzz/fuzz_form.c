/*
 * fuzz_form.c: libFuzzer target for the form parser of the web cabinet
 * (web_form_value, lib/webreq.h).
 *
 * The first byte is the size n of the output buffer (0 to 255); the name runs
 * to the first newline (cut at a NUL); the rest is the body, which may hold
 * NULs and has no terminator of its own. Invariants: on 0 the value is
 * NUL-terminated within n, never longer than n - 1, and is the same as a
 * decoding written apart from lib/webapp.c; nothing is read or written
 * outside the body and the buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "webreq.h"

static int hex_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The first field called name in body[0..len), decoded into out: its length, or -1 when absent,
 * holding a NUL, or longer than max. The same rules as the form parser, said another way. */
static long reference(const char *body, size_t len, const char *name, char *out, size_t max)
{
	size_t nl = strlen(name);
	const char *field = body, *end = body + len;
	while (field < end) {
		const char *amp = memchr(field, '&', (size_t)(end - field));
		const char *stop = amp ? amp : end;
		if ((size_t)(stop - field) > nl && strncmp(field, name, nl) == 0 && field[nl] == '=') {
			size_t o = 0;
			for (const char *c = field + nl + 1; c < stop; c++) {
				unsigned char ch = (unsigned char)*c;
				if (ch == '+')
					ch = ' ';
				else if (ch == '%' && stop - c > 2 && hex_digit((unsigned char)c[1]) >= 0 &&
					 hex_digit((unsigned char)c[2]) >= 0) {
					ch = (unsigned char)(hex_digit((unsigned char)c[1]) * 16 + hex_digit((unsigned char)c[2]));
					c += 2;
				}
				if (!ch || o >= max)
					return -1;
				out[o++] = (char)ch;
			}
			return (long)o;
		}
		field = stop + 1;
	}
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t n = data[0];
	const uint8_t *rest = data + 1, *nlpos = memchr(rest, '\n', size - 1);
	size_t name_len = nlpos ? (size_t)(nlpos - rest) : 0;
	size_t body_len = nlpos ? size - 1 - name_len - 1 : size - 1;
	char *name = malloc(name_len + 1), *body = malloc(body_len ? body_len : 1);
	char *out = malloc(n ? n : 1), *want = malloc(body_len + 1);
	if (!name || !body || !out || !want)
		goto done;
	memcpy(name, rest, name_len);
	name[name_len] = 0;
	memcpy(body, nlpos ? nlpos + 1 : rest, body_len);
	memset(out, 0x5A, n ? n : 1);
	int rc = web_form_value(body, body_len, name, out, n);
	FUZZ_CHECK(rc == 0 || rc == -1, "returned %d", rc);
	long wlen = n ? reference(body, body_len, name, want, n - 1) : -1;
	if (rc == 0) {
		const char *nul = memchr(out, 0, n);
		FUZZ_CHECK(n > 0 && nul, "no NUL within the %zu bytes of the buffer", n);
		FUZZ_CHECK((size_t)(nul - out) <= n - 1, "a value of %zu bytes in a buffer of %zu", (size_t)(nul - out), n);
		FUZZ_CHECK(wlen == nul - out && memcmp(out, want, (size_t)wlen) == 0,
			   "the value differs from the reference decoding (%ld against %zu bytes)", wlen, (size_t)(nul - out));
	} else {
		FUZZ_CHECK(wlen == -1, "refused a field the reference decodes (%ld bytes)", wlen);
	}
done:
	free(name);
	free(body);
	free(out);
	free(want);
	return 0;
}
