/*
 * test_csvin.c: the CSV reader: encodings, delimiters, quoting, line numbers,
 * header mapping and the errors that stop a file.
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

#include "csvin.h"
#include "util.h"
#include "values.h"

enum { C_ID, C_NAME, C_CLASS, C_N };
static const struct csv_col cols[C_N] = {
	{ "student_id", "ид", 1 },
	{ "last_name", "фамилия", 1 },
	{ "class", "класс", 0 },
};

static char path[64];

static const char *write_file(const char *bytes, size_t n)
{
	strcpy(path, "/tmp/test_csvin.XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bytes, n), (ssize_t)n);
	close(fd);
	return path;
}

static struct csvin *open_mapped(const char *bytes, const char *enc, struct perr *e, int *rc)
{
	struct csvin *in;
	struct csvin_opts o = { enc, 0, NULL };
	assert_int_equal(csvin_open(write_file(bytes, strlen(bytes)), &o, &in, e), 0);
	*rc = csvin_map(in, cols, C_N, NULL, NULL, e);
	return in;
}

static void test_utf8_bom_comma(void **state)
{
	struct perr e = { 0 };
	int rc;
	struct csvin *in = open_mapped("\xEF\xBB\xBFstudent_id,last_name\nS1,Иванов\n", NULL, &e, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(csvin_next(in, &e), 1);
	assert_string_equal(csvin_get(in, C_ID), "S1");
	assert_string_equal(csvin_get(in, C_NAME), "Иванов");
	assert_null(csvin_get(in, C_CLASS));
	assert_int_equal(csvin_line(in), 2);
	assert_int_equal(csvin_next(in, &e), 0);
	csvin_close(in);
	unlink(path);
}

static void test_cp1251_semicolon_crlf_russian_header(void **state)
{
	/* "ид;Фамилия;Класс\r\nS1;Щеглова;7a\r\n" in cp1251 */
	struct perr e = { 0 };
	int rc;
	struct csvin *in = open_mapped("\xE8\xE4;\xD4\xE0\xEC\xE8\xEB\xE8\xFF;\xCA\xEB\xE0\xF1\xF1\r\nS1;\xD9\xE5\xE3\xEB\xEE\xE2\xE0;7a\r\n",
				       "cp1251", &e, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(csvin_next(in, &e), 1);
	assert_string_equal(csvin_get(in, C_NAME), "Щеглова");
	assert_string_equal(csvin_get(in, C_CLASS), "7a");
	csvin_close(in);
	unlink(path);
}

static void test_cp1251_without_option_is_refused(void **state)
{
	struct perr e = { 0 };
	int rc;
	struct csvin *in = open_mapped("\xE8\xE4;\xD4\xE0\xEC\xE8\xEB\xE8\xFF\r\nS1;x\r\n", NULL, &e, &rc);
	assert_int_equal(rc, 65);
	assert_non_null(strstr(e.msg, ":1:"));
	assert_non_null(strstr(e.msg, "--encoding cp1251"));
	csvin_close(in);
	unlink(path);
}

static void test_quoted_multiline_counts_lines(void **state)
{
	struct perr e = { 0 };
	int rc;
	struct csvin *in = open_mapped("student_id,last_name,class\n\"S1\",\"Ива\"\"нов\nвторая строка\",7А\n\nS2,\"a,b\",8Б\n",
				       NULL, &e, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(csvin_next(in, &e), 1);
	assert_int_equal(csvin_line(in), 2);
	assert_string_equal(csvin_get(in, C_NAME), "Ива\"нов\nвторая строка");
	assert_int_equal(csvin_next(in, &e), 1);
	assert_int_equal(csvin_line(in), 5);
	assert_string_equal(csvin_get(in, C_NAME), "a,b");
	csvin_close(in);
	unlink(path);
}

static void test_tab_detected(void **state)
{
	struct perr e = { 0 };
	int rc;
	struct csvin *in = open_mapped("student_id\tlast_name\nS1\tПетров, мл.\n", NULL, &e, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(csvin_next(in, &e), 1);
	assert_string_equal(csvin_get(in, C_NAME), "Петров, мл.");
	csvin_close(in);
	unlink(path);
}

static void test_missing_required_column(void **state)
{
	struct perr e = { 0 };
	int rc;
	struct csvin *in = open_mapped("student_id,class\nS1,7А\n", NULL, &e, &rc);
	assert_int_equal(rc, 65);
	assert_non_null(strstr(e.msg, "last_name"));
	csvin_close(in);
	unlink(path);
}

static void test_unterminated_quote(void **state)
{
	struct perr e = { 0 };
	int rc;
	struct csvin *in = open_mapped("student_id,last_name\nS1,x\nS2,\"open\nS3,y\n", NULL, &e, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(csvin_next(in, &e), 1);
	rc = csvin_next(in, &e);
	assert_true(rc < 0);
	assert_non_null(strstr(e.msg, ":3:"));
	assert_non_null(strstr(e.msg, "never closed"));
	csvin_close(in);
	unlink(path);
}

static void test_nul_byte(void **state)
{
	struct perr e = { 0 };
	struct csvin *in;
	static const char bytes[] = "student_id,last_name\nS1,a\0b\n";
	assert_int_equal(csvin_open(write_file(bytes, sizeof bytes - 1), NULL, &in, &e), 0);
	assert_int_equal(csvin_map(in, cols, C_N, NULL, NULL, &e), 0);
	assert_true(csvin_next(in, &e) < 0);
	assert_non_null(strstr(e.msg, ":2:"));
	assert_non_null(strstr(e.msg, "NUL"));
	csvin_close(in);
	unlink(path);
}

static void test_extra_field_is_an_error(void **state)
{
	struct perr e = { 0 };
	int rc;
	struct csvin *in = open_mapped("student_id,last_name\nS1,a,oops\n", NULL, &e, &rc);
	assert_int_equal(rc, 0);
	assert_true(csvin_next(in, &e) < 0);
	assert_non_null(strstr(e.msg, "column 3"));
	csvin_close(in);
	unlink(path);
}

static void test_empty_file(void **state)
{
	struct perr e = { 0 };
	int rc;
	struct csvin *in = open_mapped("", NULL, &e, &rc);
	assert_int_equal(rc, 65);
	assert_non_null(strstr(e.msg, "empty"));
	csvin_close(in);
	unlink(path);
}

/* A CR without an LF ends a line as LF and CRLF do: no record hides behind another. */
static void test_bare_cr_ends_a_line(void **state)
{
	struct perr e = { 0 };
	int rc;
	static const char *const files[] = {
		"student_id,last_name\r\nS1,Иванов\rS2,Петров\r\nS3,Сидоров\r\n",	/* one bare CR among CRLF */
		"student_id,last_name\rS1,Иванов\rS2,Петров\rS3,Сидоров\r",		/* Excel for Mac: CR only */
		"student_id,last_name\rS1,Иванов\rS2,Петров\rS3,Сидоров",
	};
	static const char *const names[] = { "Иванов", "Петров", "Сидоров" };
	for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
		struct csvin *in = open_mapped(files[f], NULL, &e, &rc);
		assert_int_equal(rc, 0);
		for (int i = 0; i < 3; i++) {
			assert_int_equal(csvin_next(in, &e), 1);
			assert_string_equal(csvin_get(in, C_NAME), names[i]);
			assert_int_equal(csvin_line(in), i + 2);
		}
		assert_int_equal(csvin_next(in, &e), 0);
		csvin_close(in);
		unlink(path);
	}
}

static void warned(void *ctx, const char *msg)
{
	struct sbuf *b = ctx;
	sbuf_adds(b, msg);
}

/* The warning about an unknown column names it whole, however long, as UTF-8. */
static void test_unknown_long_column_named_whole(void **state)
{
	struct perr e = { 0 };
	struct sbuf header, got;
	sbuf_init(&header);
	sbuf_init(&got);
	sbuf_adds(&header, "student_id,last_name,");
	for (int i = 0; i < 120; i++)
		sbuf_adds(&header, "Примечание");	/* 2,400 bytes */
	sbuf_adds(&header, "\nS1,Иванов,x\n");
	struct csvin *in;
	assert_int_equal(csvin_open(write_file(header.s, header.len), NULL, &in, &e), 0);
	assert_int_equal(csvin_map(in, cols, C_N, warned, &got, &e), 0);
	assert_non_null(got.s);
	assert_true(utf8_valid(got.s, got.len, NULL));
	assert_non_null(strstr(got.s, "ПримечаниеПримечание\" is not one this import reads"));
	assert_true(got.len > 2400);
	csvin_close(in);
	unlink(path);
	sbuf_free(&header);
	sbuf_free(&got);
}

static void test_missing_file(void **state)
{
	struct perr e = { 0 };
	struct csvin *in;
	assert_int_equal(csvin_open("/nonexistent/x.csv", NULL, &in, &e), 66);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_bom_comma),
		cmocka_unit_test(test_cp1251_semicolon_crlf_russian_header),
		cmocka_unit_test(test_cp1251_without_option_is_refused),
		cmocka_unit_test(test_quoted_multiline_counts_lines),
		cmocka_unit_test(test_tab_detected),
		cmocka_unit_test(test_bare_cr_ends_a_line),
		cmocka_unit_test(test_unknown_long_column_named_whole),
		cmocka_unit_test(test_missing_required_column),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_extra_field_is_an_error),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_missing_file),
	};
	return cmocka_run_group_tests_name("csvin", tests, NULL, NULL);
}
