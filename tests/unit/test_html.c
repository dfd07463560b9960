/*
 * test_html.c: the escaping path of lib/html.c and the page writer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "html.h"

static char *esc(void (*fn)(struct sbuf *, const char *), const char *s)
{
	static char out[512];
	struct sbuf b;
	sbuf_init(&b);
	fn(&b, s);
	str_copy(out, sizeof out, b.s ? b.s : "");
	sbuf_free(&b);
	return out;
}

static void test_text_escapes_markup(void **state)
{
	assert_string_equal(esc(html_txt, "<script>alert(\"x\")</script>"),
			    "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
	assert_string_equal(esc(html_txt, "Д'Артаньян & Co"), "Д&#39;Артаньян &amp; Co");
	assert_string_equal(esc(html_txt, "a\nb"), "a\nb");
	assert_string_equal(esc(html_txt, NULL), "");
}

static void test_attr_escapes_newlines(void **state)
{
	assert_string_equal(esc(html_attr, "a\"b\nc\td'"), "a&quot;b&#10;c&#9;d&#39;");
}

static void test_controls_dropped_bad_utf8_replaced(void **state)
{
	assert_string_equal(esc(html_txt, "a\x01\x1b\x7f" "b"), "ab");
	assert_string_equal(esc(html_txt, "a\xff" "b"), "a\xEF\xBF\xBD" "b");
	/* an overlong '<' and a surrogate are no characters */
	assert_string_equal(esc(html_txt, "\xc0\xbc"), "\xEF\xBF\xBD\xEF\xBF\xBD");
	assert_string_equal(esc(html_txt, "\xed\xa0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	/* a C1 control (U+0085) is replaced, byte by byte */
	assert_string_equal(esc(html_txt, "x\xc2\x85y"), "x\xEF\xBF\xBD\xEF\xBF\xBDy");
	assert_string_equal(esc(html_txt, "ёжик €"), "ёжик €");
}

static void test_template_escapes_values(void **state)
{
	struct sbuf b;
	sbuf_init(&b);
	html_f(&b, "<a href=\"/student/%s\">%s</a> %d%% %ld", "S1\"><x", "<b>", 5, 7L);
	assert_string_equal(b.s, "<a href=\"/student/S1&quot;&gt;&lt;x\">&lt;b&gt;</a> 5% 7");
	sbuf_free(&b);
}

static void test_page(void **state)
{
	struct page p = { 0 };
	page_begin(&p, "Вход <1>", "Школа \"№1\"");
	page_end(&p);
	assert_int_equal(p.status, 200);
	assert_non_null(strstr(p.body.s, "<title>Вход &lt;1&gt;</title>"));
	assert_non_null(strstr(p.body.s, "<header>Школа &quot;№1&quot;</header>"));
	assert_non_null(strstr(p.body.s, "</html>"));
	page_redirect(&p, "/login");
	assert_int_equal(p.status, 303);
	page_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_escapes_markup),
		cmocka_unit_test(test_attr_escapes_newlines),
		cmocka_unit_test(test_controls_dropped_bad_utf8_replaced),
		cmocka_unit_test(test_template_escapes_values),
		cmocka_unit_test(test_page),
	};
	return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
