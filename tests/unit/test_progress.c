/*
 * test_progress.c: the numbers of a progress line and what each mode prints
 * (lib/progress.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "progress.h"

static void line(long done, long total, double fraction, double elapsed, const char *expect)
{
	char buf[256];
	progress_line(buf, sizeof buf, done, total, fraction, elapsed, "rows");
	assert_string_equal(buf, expect);
}

static void test_known_total(void **state)
{
	line(0, 300, -1, 0, "0/300 rows, 0%");
	line(120, 300, -1, 2, "120/300 rows, 40%, 60 rows/s, 3 s left");
	line(300, 300, -1, 4, "300/300 rows, 100%, 75 rows/s");
}

static void test_unknown_total(void **state)
{
	/* the share of the file read stands for the share done */
	line(26585, 0, 0.25, 1, "26 585 rows, 25%, 26 585 rows/s, 3 s left");
	line(1234567, 0, -1, 10, "1 234 567 rows, 123 457 rows/s");
}

static void test_rate_after_half_a_second(void **state)
{
	line(50, 300, -1, 0.2, "50/300 rows, 16%");
}

static void test_time_left(void **state)
{
	line(10, 1000, -1, 10, "10/1 000 rows, 1%, 1 rows/s, 16 min 30 s left");
	line(1, 1000, -1, 10, "1/1 000 rows, 0%, 0 rows/s, 2 h 46 min left");
}

static void test_quiet_and_summary_print_no_line(void **state)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	struct progress *p = progress_start(f, PROGRESS_QUIET, "portal-x", "job", 10, "rows");
	progress_set(p, 5);
	progress_done(p, "done %d", 10);
	p = progress_start(f, PROGRESS_SUMMARY, "portal-x", "job", 10, "rows");
	progress_set(p, 5);
	progress_done(p, "done %d", 10);
	p = progress_start(f, PROGRESS_SUMMARY, "portal-x", "job", 10, "rows");
	progress_abort(p);
	fclose(f);
	assert_string_equal(buf, "portal-x: done 10\n");
	free(buf);
}

static void test_live_ends_with_the_summary_in_place(void **state)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	struct progress *p = progress_start(f, PROGRESS_LIVE, "portal-x", "job", 10, "rows");
	progress_set(p, 10);
	progress_done(p, "done");
	fclose(f);
	/* the last state, then spaces over it, then the summary at the start of the line */
	assert_non_null(strstr(buf, "\rportal-x: job: 10/10 rows, 100%"));
	assert_string_equal(strrchr(buf, '\r'), "\rportal-x: done\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_total),
		cmocka_unit_test(test_unknown_total),
		cmocka_unit_test(test_rate_after_half_a_second),
		cmocka_unit_test(test_time_left),
		cmocka_unit_test(test_quiet_and_summary_print_no_line),
		cmocka_unit_test(test_live_ends_with_the_summary_in_place),
	};
	return cmocka_run_group_tests_name("progress", tests, NULL, NULL);
}
