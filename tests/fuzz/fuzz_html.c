/*
 * fuzz_html.c: libFuzzer target for the HTML escaper (lib/html.c).
 *
 * The input, cut at its first NUL, goes through html_txt, html_attr and
 * html_f's %s. Invariants: the output is well-formed UTF-8; it holds no raw
 * < > " ' of the input and no control character but the newline and tab
 * of text; every & starts one of the entities the escaper writes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "html.h"

static const char *const entities[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#10;", "&#9;" };

static void check(const char *what, const char *out, size_t n, int attr)
{
	FUZZ_CHECK(fuzz_utf8_ok(out, n), "%s: the output is not UTF-8", what);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)out[i];
		FUZZ_CHECK(ch != '<' && ch != '>' && ch != '"' && ch != '\'', "%s: a raw %c at %zu", what, ch, i);
		FUZZ_CHECK(ch >= 0x20 || (!attr && (ch == '\n' || ch == '\t')), "%s: control 0x%02x at %zu", what, ch, i);
		FUZZ_CHECK(ch != 0x7F, "%s: DEL at %zu", what, i);
		if (ch != '&')
			continue;
		int known = 0;
		for (size_t k = 0; k < sizeof entities / sizeof *entities; k++)
			known |= strncmp(out + i, entities[k], strlen(entities[k])) == 0;
		FUZZ_CHECK(known, "%s: a raw & at %zu", what, i);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1);
	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = 0;
	struct sbuf b;
	sbuf_init(&b);
	html_txt(&b, in);
	check("html_txt", b.s ? b.s : "", b.len, 0);
	sbuf_reset(&b);
	html_attr(&b, in);
	check("html_attr", b.s ? b.s : "", b.len, 1);
	sbuf_reset(&b);
	html_f(&b, "%s", in);
	check("html_f", b.s ? b.s : "", b.len, 1);
	sbuf_free(&b);
	free(in);
	return 0;
}
