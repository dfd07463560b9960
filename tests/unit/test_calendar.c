/*
 * test_calendar.c: working days by the built-in rule and by an imported calendar.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sodium.h>

#include "calendar.h"
#include "store_fixture.h"
#include "values.h"

static long d(const char *iso)
{
	long days;
	assert_int_equal(date_parse_iso(iso, &days), 0);
	return days;
}

static void test_default_rule(void **state)
{
	assert_string_equal(calendar_default_kind(d("2026-06-12")), "dayoff");	/* Russia Day */
	assert_string_equal(calendar_default_kind(d("2026-11-04")), "dayoff");	/* Unity Day */
	assert_string_equal(calendar_default_kind(d("2027-01-08")), "dayoff");
	assert_string_equal(calendar_default_kind(d("2026-11-28")), "dayoff");	/* Saturday */
	assert_string_equal(calendar_default_kind(d("2026-11-29")), "dayoff");	/* Sunday */
	assert_string_equal(calendar_default_kind(d("2026-11-30")), "workday");	/* Monday */
	assert_string_equal(calendar_default_kind(d("2026-02-24")), "workday");
}

static int setup(void **state)
{
	return fx_open(state, NULL);
}

static int teardown(void **state)
{
	return fx_close(state);
}

static void test_store_overrides_rule(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	char kind[8];
	int changed;
	long next;
	assert_int_equal(store_begin_write(f->s, &e), 0);
	/* a working Saturday and a moved day off */
	assert_int_equal(calendar_put(&f->c, "2027-02-20", "workday", &changed, &e), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(calendar_put(&f->c, "2027-02-22", "dayoff", &changed, &e), 0);
	assert_int_equal(calendar_put(&f->c, "2027-02-22", "dayoff", &changed, &e), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(store_commit(f->s, &e), 0);
	assert_int_equal(calendar_kind(f->s, d("2027-02-20"), kind, &e), 0);
	assert_string_equal(kind, "workday");
	/* Friday 19 Feb → the working Saturday 20 Feb */
	assert_int_equal(calendar_next_workday(f->s, d("2027-02-19"), &next, &e), 0);
	assert_int_equal(next, d("2027-02-20"));
	/* Saturday 20 Feb → Sunday off, Monday 22 moved off, Tuesday 23 a holiday → Wednesday 24 */
	assert_int_equal(calendar_next_workday(f->s, d("2027-02-20"), &next, &e), 0);
	assert_int_equal(next, d("2027-02-24"));
	/* a Friday leak with no calendar rows: Monday */
	assert_int_equal(calendar_next_workday(f->s, d("2026-11-27"), &next, &e), 0);
	assert_int_equal(next, d("2026-11-30"));
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_rule),
		cmocka_unit_test_setup_teardown(test_store_overrides_rule, setup, teardown),
	};
	return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
