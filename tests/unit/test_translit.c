/*
 * test_translit.c: logins by the ICAO Doc 9303 table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "translit.h"

static void check(const char *last, const char *first, const char *want)
{
	char out[128];
	login_base(last, first, out, sizeof out);
	assert_string_equal(out, want);
}

static void test_issue_examples(void **state)
{
	check("Щеглова", "Юлия", "shcheglova.iuliia");
	check("Разъездной", "Ян", "razieezdnoi.ian");
	check("Клеёнкина", "Оксана", "kleenkina.oksana");
	check("Ильин", "Игорь", "ilin.igor");
}

static void test_every_letter(void **state)
{
	char out[256];
	translit_icao("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", out, sizeof out);
	assert_string_equal(out, "abvgdeezhziiklmnoprstufkhtschshshchieyeiuia");
	translit_icao("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ", out, sizeof out);
	assert_string_equal(out, "abvgdeezhziiklmnoprstufkhtschshshchieyeiuia");
}

static void test_hyphen_latin_and_junk(void **state)
{
	check("Салтыков-Щедрин", "Михаил", "saltykov-shchedrin.mikhail");
	check("O'Neil", "Анна", "oneil.anna");
	check("", "", "user");
}

static void test_truncates_whole_letters(void **state)
{
	char out[4];
	translit_icao("Щука", out, sizeof out);
	assert_string_equal(out, "");	/* "shch" does not fit in 3: nothing half-written */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_examples),
		cmocka_unit_test(test_every_letter),
		cmocka_unit_test(test_hyphen_latin_and_junk),
		cmocka_unit_test(test_truncates_whole_letters),
	};
	return cmocka_run_group_tests_name("translit", tests, NULL, NULL);
}
