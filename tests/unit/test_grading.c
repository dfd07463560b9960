/*
 * test_grading.c: SPEC §6 against its worked examples.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>

#include "grading.h"

static void test_weighted_average_4_44(void **state)
{
	struct wavg w = { 0 };
	char shown[16];
	assert_true(wavg_value(&w) < 0);
	wavg_add(&w, 4, 5);	/* контрольная */
	wavg_add(&w, 5, 3);	/* ответ */
	wavg_add(&w, 5, 1);	/* дз */
	snprintf(shown, sizeof shown, "%.2f", wavg_value(&w));
	assert_string_equal(shown, "4.44");	/* (20 + 15 + 5) / 9, not 4.33 */
}

static void test_rounding_by_thresholds(void **state)
{
	double t[3];
	assert_int_equal(grading_thresholds("2.5,3.5,4.5", t), 0);
	assert_int_equal(grading_round(4.5, t), 5);
	assert_int_equal(grading_round(4.44, t), 4);
	assert_int_equal(grading_round(3.5, t), 4);
	assert_int_equal(grading_round(3.49, t), 3);
	assert_int_equal(grading_round(2.5, t), 3);
	assert_int_equal(grading_round(2.49, t), 2);
	assert_int_equal(grading_round(1.0, t), 2);
	assert_int_equal(grading_round(4.4951, t), 5);	/* shown as 4.50 */
	assert_int_equal(grading_thresholds("4.5,3.5,2.5", t), -1);
	assert_int_equal(grading_thresholds("2.5;3.5", t), -1);
}

static void test_worked_class_example(void **state)
{
	struct class_stats s = { 0 };
	char buf[64];
	for (int i = 0; i < 5; i++)
		class_stats_add(&s, PR_MARK, 5, 5);
	for (int i = 0; i < 10; i++)
		class_stats_add(&s, PR_MARK, 4, 4);
	for (int i = 0; i < 8; i++)
		class_stats_add(&s, PR_MARK, 3, 3);
	for (int i = 0; i < 2; i++)
		class_stats_add(&s, PR_MARK, 2, 2);
	assert_int_equal(s.n, 25);
	snprintf(buf, sizeof buf, "%.1f %.1f %.1f %.2f", class_pct_success(&s), class_pct_quality(&s), class_sou(&s),
		 class_avg_mark(&s));
	assert_string_equal(buf, "92.0 60.0 58.4 3.72");
}

static void test_exempt_none_and_na(void **state)
{
	struct class_stats s = { 0 };
	class_stats_add(&s, PR_MARK, 4, 4.2);
	class_stats_add(&s, PR_EXEMPT, 0, -1);	/* осв: out of N */
	class_stats_add(&s, PR_NONE, 0, -1);	/* no marks: out of N */
	class_stats_add(&s, PR_NA, 0, -1);	/* н/а stays in N */
	class_stats_add(&s, PR_MARK, 1, 1.5);	/* a final «1» counts with the «2»s */
	assert_int_equal(s.n, 3);
	assert_int_equal(s.nna, 1);
	assert_int_equal(s.n2, 1);
	char buf[64];
	snprintf(buf, sizeof buf, "%.1f %.1f %.1f", class_pct_success(&s), class_pct_quality(&s), class_sou(&s));
	assert_string_equal(buf, "33.3 33.3 29.0");	/* (64 + 16 + 7) / 3 */
}

static void test_printed_half_up(void **state)
{
	char b[16];
	grading_fmt(1111.0 / 20, 1, b, sizeof b);	/* 55.55: the double is 55.549999… */
	assert_string_equal(b, "55.6");
	grading_fmt(40.0 / 9, 2, b, sizeof b);
	assert_string_equal(b, "4.44");
	grading_fmt(4.445, 2, b, sizeof b);
	assert_string_equal(b, "4.45");
	grading_fmt(92.0, 1, b, sizeof b);
	assert_string_equal(b, "92.0");
	grading_fmt(58.4, 1, b, sizeof b);
	assert_string_equal(b, "58.4");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weighted_average_4_44),
		cmocka_unit_test(test_rounding_by_thresholds),
		cmocka_unit_test(test_worked_class_example),
		cmocka_unit_test(test_exempt_none_and_na),
		cmocka_unit_test(test_printed_half_up),
	};
	return cmocka_run_group_tests_name("grading", tests, NULL, NULL);
}
