/*
 * test_csvout.c: unit tests of lib/csvout.c, the one writer of tabular output.
 * Every format is written to a memory stream and compared byte for byte.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "csvout.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Writes a header of typed columns and nrows rows of ncols cells (rows flat) in fmt; returns
 * the bytes. */
static char *render_typed(enum out_format fmt, const struct out_col *cols, size_t ncols,
			  const char *const *rows, size_t nrows, size_t *len)
{
	char *buf = NULL;
	size_t size = 0, r;
	FILE *f = open_memstream(&buf, &size);
	struct out *o;

	assert_non_null(f);
	o = out_new(f, fmt);
	assert_non_null(o);
	assert_int_equal(out_header(o, cols, ncols), 0);
	for (r = 0; r < nrows; r++)
		assert_int_equal(out_row(o, rows + r * ncols, ncols), 0);
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_int_equal(fclose(f), 0);
	if (len)
		*len = size;
	return buf;
}

/* The same with text columns named by names. */
static char *render(enum out_format fmt, const char *const *names, size_t ncols,
		    const char *const *rows, size_t nrows, size_t *len)
{
	struct out_col *cols = calloc(ncols, sizeof *cols);
	assert_non_null(cols);
	for (size_t i = 0; i < ncols; i++)
		cols[i] = (struct out_col){ names[i], COL_TEXT };
	char *buf = render_typed(fmt, cols, ncols, rows, nrows, len);
	free(cols);
	return buf;
}

static char *field(const char *s, char sep)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	assert_int_equal(csv_write_field(f, s, sep), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void assert_field(const char *s, char sep, const char *want)
{
	char *got = field(s, sep);
	assert_string_equal(got, want);
	free(got);
}

static void test_format_parse(void **state)
{
	enum out_format fmt = OUT_EXCEL;

	assert_int_equal(out_format_parse("csv", &fmt), 0);
	assert_int_equal(fmt, OUT_CSV);
	assert_int_equal(out_format_parse("table", &fmt), 0);
	assert_int_equal(fmt, OUT_TABLE);
	assert_int_equal(out_format_parse("json", &fmt), 0);
	assert_int_equal(fmt, OUT_JSON);
	assert_int_equal(out_format_parse("xlsx", &fmt), 0);
	assert_int_equal(fmt, OUT_XLSX);
	assert_int_equal(out_format_parse("CSV", &fmt), -1);
	assert_int_equal(out_format_parse("excel", &fmt), -1);
	assert_int_equal(out_format_parse("", &fmt), -1);
	assert_int_equal(out_format_parse("csvx", &fmt), -1);
	assert_int_equal(out_format_parse(NULL, &fmt), -1);
}

static void test_write_field_quoting(void **state)
{
	assert_field("plain", ',', "plain");
	assert_field("", ',', "");
	assert_field(NULL, ',', "");
	assert_field("a,b", ',', "\"a,b\"");
	assert_field("say \"hi\"", ',', "\"say \"\"hi\"\"\"");
	assert_field("two\nlines", ',', "\"two\nlines\"");
	assert_field("cr\rhere", ',', "\"cr\rhere\"");
	assert_field("a;b", ',', "a;b");
	assert_field("a;b", ';', "\"a;b\"");
	assert_field("a,b", ';', "\"a,b\"");
	assert_field("=1+2", ',', "=1+2");	/* plain CSV is never altered */
	assert_field("Щеглова", ',', "Щеглова");
}

static void test_csv_rows(void **state)
{
	const char *cols[] = { "student_id", "last_name", "note" };
	const char *rows[] = {
		"1", "Иванов", "plain",
		"2", NULL, "a,b",
		"3", "О\"Коннор", "line1\nline2",
		"4", "=HYPERLINK(\"x\")", "-5",
	};
	char *got = render(OUT_CSV, cols, N(cols), rows, N(rows) / N(cols), NULL);

	assert_string_equal(got,
			    "student_id,last_name,note\n"
			    "1,Иванов,plain\n"
			    "2,,\"a,b\"\n"
			    "3,\"О\"\"Коннор\",\"line1\nline2\"\n"
			    "4,\"=HYPERLINK(\"\"x\"\")\",-5\n");
	free(got);
}

static void test_excel_bom_sep_crlf(void **state)
{
	const char *cols[] = { "name", "note" };
	const char *rows[] = {
		"Иванов", "a;b",
		"Петров", NULL,
		"x,y", "plain",
	};
	size_t len;
	char *got = render(OUT_EXCEL, cols, N(cols), rows, N(rows) / N(cols), &len);
	const char *want = "\xEF\xBB\xBF" "name;note\r\n"
			   "Иванов;\"a;b\"\r\n"
			   "Петров;\r\n"
			   "\"x,y\";plain\r\n";

	assert_int_equal(len, strlen(want));
	assert_memory_equal(got, want, len);
	assert_null(strstr(got + 3, "\xEF\xBB\xBF"));	/* the BOM only once */
	free(got);
}

static void test_excel_formula_guard(void **state)
{
	const char *cols[] = { "v" };
	const char *rows[] = {
		"=1+2", "+7 912", "-5", "@SUM(A1)", "\tx", "\rx", "a=b", "plain", "=a;b", "",
	};
	char *got = render(OUT_EXCEL, cols, N(cols), rows, N(rows), NULL);

	assert_string_equal(got,
			    "\xEF\xBB\xBF" "v\r\n"
			    "'=1+2\r\n"
			    "'+7 912\r\n"
			    "'-5\r\n"
			    "'@SUM(A1)\r\n"
			    "'\tx\r\n"
			    "\"'\rx\"\r\n"
			    "a=b\r\n"
			    "plain\r\n"
			    "\"'=a;b\"\r\n"
			    "\r\n");
	free(got);
}

static void test_table_cyrillic_alignment(void **state)
{
	const char *cols[] = { "name", "class" };
	const char *rows[] = {
		"Ivanov", "7А",
		"Щеглова", "10Б",
	};
	char *got = render(OUT_TABLE, cols, N(cols), rows, N(rows) / N(cols), NULL);

	assert_string_equal(got,
			    "name     class\n"
			    "-------  -----\n"
			    "Ivanov   7А\n"
			    "Щеглова  10Б\n");
	free(got);
}

static void test_table_numbers_right(void **state)
{
	const char *cols[] = { "average", "name" };
	const char *rows[] = {
		"4.5", "A",
		"12,25", "B",
		"-3", "C",
		"+7", "D",
		"n/a", "E",
		"1.", "F",
		"", "G",
	};
	char *got = render(OUT_TABLE, cols, N(cols), rows, N(rows) / N(cols), NULL);

	assert_string_equal(got,
			    "average  name\n"
			    "-------  ----\n"
			    "    4.5  A\n"
			    "  12,25  B\n"
			    "     -3  C\n"
			    "     +7  D\n"
			    "n/a      E\n"
			    "1.       F\n"
			    "         G\n");
	free(got);
}

static void test_table_no_trailing_spaces(void **state)
{
	const char *cols[] = { "a", "comment" };
	const char *rows[] = {
		"x", NULL,
		"long value", "two\nlines\tand tab",
		"y", "short",
	};
	char *got = render(OUT_TABLE, cols, N(cols), rows, N(rows) / N(cols), NULL);

	assert_string_equal(got,
			    "a           comment\n"
			    "----------  -----------------\n"
			    "x\n"
			    "long value  two lines and tab\n"
			    "y           short\n");
	assert_null(strstr(got, " \n"));
	free(got);
}

static void test_table_header_only(void **state)
{
	const char *cols[] = { "student_id", "Ф" };
	char *got = render(OUT_TABLE, cols, N(cols), NULL, 0, NULL);

	assert_string_equal(got, "student_id  Ф\n----------  -\n");
	free(got);
}

static void test_json_escaping(void **state)
{
	const char *cols[] = { "name", "note", "ctl", "missing" };
	const char *rows[] = {
		"Щеглова", "say \"hi\" \\ back\nnext\ttab\rcr", "\x01\x1f", NULL,
	};
	char *got = render(OUT_JSON, cols, N(cols), rows, N(rows) / N(cols), NULL);

	assert_string_equal(got,
			    "{\"name\":\"Щеглова\","
			    "\"note\":\"say \\\"hi\\\" \\\\ back\\nnext\\ttab\\rcr\","
			    "\"ctl\":\"\\u0001\\u001F\","
			    "\"missing\":null}\n");
	free(got);
}

static void test_json_lines(void **state)
{
	const char *cols[] = { "k\"ey", "n" };
	const char *rows[] = { "1", "", "2", "x" };
	char *got = render(OUT_JSON, cols, N(cols), rows, N(rows) / N(cols), NULL);

	assert_string_equal(got,
			    "{\"k\\\"ey\":\"1\",\"n\":null}\n"	/* empty is null, like a missing value */
			    "{\"k\\\"ey\":\"2\",\"n\":\"x\"}\n");
	free(got);
}

/* A number column's values are JSON numbers, as written (4.06, not 4.0599999999999996); an empty
 * one is null; text that is no number stays a string; bytes that are no UTF-8 become U+FFFD. */
static void test_json_typed(void **state)
{
	const struct out_col cols[] = { { "class", COL_TEXT }, { "students", COL_NUMBER }, { "avg_mark", COL_NUMBER },
					{ "pct", COL_NUMBER }, { "final", COL_TEXT } };
	const char *rows[] = {
		"7А", "20", "4.06", "92.0", "5",
		"10Б", "0", "", "-3.5", "н/а",
		"\xff", "7", "x", "100.0", "",
	};
	char *got = render_typed(OUT_JSON, cols, N(cols), rows, N(rows) / N(cols), NULL);

	assert_string_equal(got,
			    "{\"class\":\"7А\",\"students\":20,\"avg_mark\":4.06,\"pct\":92.0,\"final\":\"5\"}\n"
			    "{\"class\":\"10Б\",\"students\":0,\"avg_mark\":null,\"pct\":-3.5,\"final\":\"н/а\"}\n"
			    "{\"class\":\"\xef\xbf\xbd\",\"students\":7,\"avg_mark\":\"x\",\"pct\":100.0,\"final\":null}\n");
	free(got);
	/* the other formats write the values as they are */
	got = render_typed(OUT_CSV, cols, N(cols), rows, 1, NULL);
	assert_string_equal(got, "class,students,avg_mark,pct,final\n7А,20,4.06,92.0,5\n");
	free(got);
}

static void test_column_count_mismatch(void **state)
{
	const struct out_col cols[] = { { "a", COL_TEXT }, { "b", COL_TEXT } };
	const char *one[] = { "1" };
	const char *three[] = { "1", "2", "3" };
	const char *two[] = { "1", "2" };
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	struct out *o = out_new(f, OUT_CSV);

	assert_non_null(o);
	errno = 0;
	assert_int_equal(out_row(o, two, 2), -1);	/* before the header */
	assert_int_equal(errno, EINVAL);
	assert_int_equal(out_header(o, cols, 2), 0);
	errno = 0;
	assert_int_equal(out_header(o, cols, 2), -1);	/* twice */
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(out_row(o, one, 1), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(out_row(o, three, 3), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(out_row(o, two, 2), 0);	/* a mistake is not sticky */
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, "a,b\n1,2\n");
	free(buf);
}

static void test_table_mismatch(void **state)
{
	const struct out_col cols[] = { { "a", COL_TEXT }, { "b", COL_TEXT } };
	const char *one[] = { "1" };
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	struct out *o = out_new(f, OUT_TABLE);

	assert_int_equal(out_header(o, cols, 2), 0);
	errno = 0;
	assert_int_equal(out_row(o, one, 1), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, "a  b\n-  -\n");
	free(buf);
}

/* Writes one header and row in fmt to a stream opened for reading only. */
static void write_readonly(enum out_format fmt)
{
	const struct out_col cols[] = { { "a", COL_TEXT }, { "b", COL_TEXT } };
	const char *row[] = { "1", "2" };
	FILE *f = fopen("/dev/null", "r");
	struct out *o;

	assert_non_null(f);
	o = out_new(f, fmt);
	assert_non_null(o);
	(void)out_header(o, cols, 2);	/* may fail already */
	(void)out_row(o, row, 2);
	errno = 0;
	assert_int_equal(out_finish(o), -1);
	assert_int_not_equal(errno, 0);
	assert_int_not_equal(errno, EINVAL);
	out_free(o);
	fclose(f);
}

static void test_readonly_stream(void **state)
{
	write_readonly(OUT_CSV);
	write_readonly(OUT_EXCEL);
	write_readonly(OUT_TABLE);
	write_readonly(OUT_JSON);
}

static void test_readonly_header_fails(void **state)
{
	const struct out_col cols[] = { { "a", COL_TEXT } };
	const char *row[] = { "1" };
	FILE *f = fopen("/dev/null", "r");
	struct out *o = out_new(f, OUT_CSV);

	errno = 0;
	assert_int_equal(out_header(o, cols, 1), -1);
	assert_int_not_equal(errno, 0);
	errno = 0;
	assert_int_equal(out_row(o, row, 1), -1);	/* the error is kept */
	assert_int_not_equal(errno, 0);
	out_free(o);
	fclose(f);
}

static void test_full_disk_at_finish(void **state)
{
	const struct out_col cols[] = { { "a", COL_TEXT } };
	FILE *f = fopen("/dev/full", "w");
	struct out *o;

	if (!f)
		skip();
	o = out_new(f, OUT_CSV);
	assert_int_equal(out_header(o, cols, 1), 0);	/* buffered: no error yet */
	errno = 0;
	assert_int_equal(out_finish(o), -1);
	assert_int_equal(errno, ENOSPC);
	out_free(o);
	fclose(f);
}

/* A deferred header: with the first row, or at out_finish; out_drop after a failure drops it
 * (and a table), but not the rows already written. */
static void deferred(enum out_format fmt, int rows, int fail, const char *expect)
{
	const struct out_col cols[] = { { "a", COL_TEXT }, { "b", COL_TEXT } };
	const char *row[] = { "1", "2" };
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	struct out *o = out_new(f, fmt);

	out_defer_header(o);
	assert_int_equal(out_header(o, cols, 2), 0);
	fflush(f);
	assert_int_equal(size, 0);
	for (int i = 0; i < rows; i++)
		assert_int_equal(out_row(o, row, 2), 0);
	assert_int_equal(fail ? out_drop(o) : out_finish(o), 0);
	out_free(o);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, expect);
	free(buf);
}

static void test_deferred_header(void **state)
{
	deferred(OUT_CSV, 0, 0, "a,b\n");
	deferred(OUT_CSV, 0, 1, "");
	deferred(OUT_CSV, 1, 0, "a,b\n1,2\n");
	deferred(OUT_CSV, 1, 1, "a,b\n1,2\n");
	deferred(OUT_EXCEL, 0, 1, "");
	deferred(OUT_TABLE, 1, 1, "");
	deferred(OUT_TABLE, 1, 0, "a  b\n-  -\n1  2\n");
}

static void test_new_and_free(void **state)
{
	errno = 0;
	assert_null(out_new(stdout, OUT_XLSX));
	assert_int_equal(errno, EINVAL);
	assert_null(out_new(NULL, OUT_CSV));
	out_free(NULL);
	errno = 0;
	assert_int_equal(out_finish(NULL), -1);
	assert_int_equal(errno, EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_write_field_quoting),
		cmocka_unit_test(test_csv_rows),
		cmocka_unit_test(test_excel_bom_sep_crlf),
		cmocka_unit_test(test_excel_formula_guard),
		cmocka_unit_test(test_table_cyrillic_alignment),
		cmocka_unit_test(test_table_numbers_right),
		cmocka_unit_test(test_table_no_trailing_spaces),
		cmocka_unit_test(test_table_header_only),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_json_lines),
		cmocka_unit_test(test_json_typed),
		cmocka_unit_test(test_column_count_mismatch),
		cmocka_unit_test(test_table_mismatch),
		cmocka_unit_test(test_readonly_stream),
		cmocka_unit_test(test_readonly_header_fails),
		cmocka_unit_test(test_full_disk_at_finish),
		cmocka_unit_test(test_deferred_header),
		cmocka_unit_test(test_new_and_free),
	};
	return cmocka_run_group_tests_name("csvout", tests, NULL, NULL);
}
