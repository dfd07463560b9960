/*
 * test_ids.c: the reader of people on standard input (the pipe contract): a CSV
 * by its student_id and/or guardian_id column, or a header-less list; BOM and
 * cp1251; each id with its first line; ids of nobody named with their line.
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

#include "ids.h"
#include "store_fixture.h"

#define FIXTURE \
	"INSERT INTO classes (name, grade) VALUES ('7А', 7);" \
	"INSERT INTO students (student_id, last_name, first_name, birth_date, class) VALUES" \
	" ('S1', 'Иванов', 'Иван', '2013-01-01', '7А'), ('S2', 'Петрова', 'Анна', '2013-02-02', '7А');" \
	"INSERT INTO guardians (guardian_id, last_name, first_name) VALUES ('G1', 'Иванова', 'Мария');" \
	/* an id both a student's and a guardian's: only a CSV column tells which */ \
	"INSERT INTO students (student_id, last_name, first_name, birth_date, class) VALUES ('X1', 'Орлов', 'Олег', '2013-03-03', '7А');" \
	"INSERT INTO guardians (guardian_id, last_name, first_name) VALUES ('X1', 'Орлова', 'Ольга');" \
	"INSERT INTO guardian_links (guardian_id, student_id, relation) VALUES ('G1', 'S1', 'mother');"

static int setup(void **state)
{
	return fx_open(state, FIXTURE);
}

static int teardown(void **state)
{
	return fx_close(state);
}

struct got {
	struct ids ids;
	struct strmap students, guardians;	/* the maps of ids, as read */
	struct perr e;
	int rc;
};

/* Reads bytes as a file of people (encoding NULL: UTF-8) into g. */
static void read_ids(void **state, const char *bytes, const char *encoding, struct got *g)
{
	struct fx *f = *state;
	char path[] = "/tmp/test_ids.XXXXXX";
	int fd = mkstemp(path);
	size_t n = strlen(bytes);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bytes, n), (ssize_t)n);
	close(fd);
	struct csvin_opts o = { encoding, 0, "people.csv" };
	struct csvin *in;
	memset(g, 0, sizeof *g);
	ids_init(&g->ids);
	assert_int_equal(csvin_open(path, &o, &in, &g->e), 0);
	g->rc = ids_read(f->s, in, &g->ids, &g->e);
	g->students = g->ids.students;
	g->guardians = g->ids.guardians;
	csvin_close(in);
	unlink(path);
}

static void got_free(struct got *g)
{
	ids_free(&g->ids);
}

static void student_column(void **state)
{
	struct got g;
	read_ids(state, "class,student_id,name\n7А,S1,Иванов\n7А,S2,Петрова\n", NULL, &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.students.n, 2);
	assert_int_equal(strmap_get(&g.students, "S1"), 2);
	assert_int_equal(strmap_get(&g.students, "S2"), 3);
	assert_int_equal(g.guardians.n, 0);
	got_free(&g);
}

static void guardian_column(void **state)
{
	struct got g;
	read_ids(state, "guardian_id\nG1\n", NULL, &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.students.n, 0);
	assert_int_equal(strmap_get(&g.guardians, "G1"), 2);
	got_free(&g);
}

/* The output of portal-consent status: both columns, a row per link. */
static void both_columns(void **state)
{
	struct got g;
	read_ids(state, "guardian_id,student_id,channel\nG1,S1,paper\nX1,X1,paper\n", NULL, &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(strmap_get(&g.students, "S1"), 2);
	assert_int_equal(strmap_get(&g.students, "X1"), 3);
	assert_int_equal(strmap_get(&g.guardians, "G1"), 2);
	assert_int_equal(strmap_get(&g.guardians, "X1"), 3);
	got_free(&g);
}

/* One id a line, no header: each goes to whoever it is. */
static void list_without_header(void **state)
{
	struct got g;
	read_ids(state, "S2\nG1\n S1 \n", NULL, &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(strmap_get(&g.students, "S2"), 1);
	assert_int_equal(strmap_get(&g.students, "S1"), 3);
	assert_int_equal(strmap_get(&g.guardians, "G1"), 2);
	got_free(&g);
}

static void bom_and_crlf(void **state)
{
	struct got g;
	read_ids(state, "\xEF\xBB\xBFstudent_id;class\r\nS1;7А\r\n", NULL, &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(strmap_get(&g.students, "S1"), 2);
	got_free(&g);
}

/* Excel on a Russian Windows: the Russian header in cp1251 ("ид ученика"). */
static void cp1251_header(void **state)
{
	struct got g;
	read_ids(state, "\xE8\xE4 \xF3\xF7\xE5\xED\xE8\xEA\xE0;\xEA\xEB\xE0\xF1\xF1\r\nS2;7\xC0\r\n", "cp1251", &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.students.n, 1);
	assert_int_equal(strmap_get(&g.students, "S2"), 2);
	got_free(&g);
}

static void empty_input(void **state)
{
	struct got g;
	read_ids(state, "", NULL, &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.students.n + g.guardians.n, 0);
	assert_int_equal(g.e.status, 0);
	got_free(&g);
}

/* The line of the earliest unknown id, in the words rows.bats and consent.bats expect. */
static void unknown_id_with_line(void **state)
{
	struct got g;
	read_ids(state, "student_id\nS1\nS99999\nS77777\n", NULL, &g);
	assert_int_equal(g.rc, EX_DATAERR);
	assert_string_equal(g.e.msg, "people.csv:3: student_id: S99999 is not a student of this store");
	got_free(&g);
	read_ids(state, "guardian_id,student_id\nG1,S1\nG9,S1\n", NULL, &g);
	assert_int_equal(g.rc, EX_DATAERR);
	assert_string_equal(g.e.msg, "people.csv:3: guardian_id: G9 is not a guardian of this store");
	got_free(&g);
	read_ids(state, "S1\nS404\n", NULL, &g);
	assert_int_equal(g.rc, EX_DATAERR);
	assert_string_equal(g.e.msg, "people.csv:2: S404 is not a student or guardian of this store");
	got_free(&g);
	/* a student's id in the guardian column is no guardian */
	read_ids(state, "guardian_id\nS1\n", NULL, &g);
	assert_int_equal(g.rc, EX_DATAERR);
	assert_string_equal(g.e.msg, "people.csv:2: guardian_id: S1 is not a guardian of this store");
	got_free(&g);
}

static void list_cannot_tell(void **state)
{
	struct got g;
	read_ids(state, "S1\nX1\n", NULL, &g);
	assert_int_equal(g.rc, EX_DATAERR);
	assert_non_null(strstr(g.e.msg, "people.csv:2: X1 is both a student's and a guardian's id"));
	got_free(&g);
}

static void no_id_column(void **state)
{
	struct got g;
	read_ids(state, "class,name\n7А,Иванов\n", NULL, &g);
	assert_int_equal(g.rc, EX_DATAERR);
	assert_non_null(strstr(g.e.msg, "people.csv: no student_id or guardian_id column"));
	got_free(&g);
}

/* An id given twice keeps its first line and counts once. */
static void duplicates(void **state)
{
	struct got g;
	read_ids(state, "student_id\nS2\nS1\nS2\n", NULL, &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.students.n, 2);
	assert_int_equal(strmap_get(&g.students, "S2"), 2);
	got_free(&g);
	read_ids(state, "G1\nS1\nG1\n", NULL, &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.guardians.n, 1);
	assert_int_equal(strmap_get(&g.guardians, "G1"), 1);
	got_free(&g);
}

/* The rows of sql (one text column) joined by spaces, in their order. */
static void rows_of(struct fx *f, const char *sql, char *out, size_t n)
{
	struct perr e = { 0 };
	struct stmt *st = store_prepare(f->s, sql, &e);
	assert_non_null(st);
	*out = 0;
	while (stmt_step(st, &e) == 1) {
		if (*out)
			strncat(out, " ", n - strlen(out) - 1);
		strncat(out, stmt_text(st, 0), n - strlen(out) - 1);
	}
	stmt_reset(st);
}

/* Staged lines: a student alone, a guardian alone (their children), a link (that pair, and
 * the family's row of the student). */
static void staged_lines(void **state)
{
	struct fx *f = *state;
	struct got g;
	char got[256];
	read_ids(state, "S2\nG1\n", NULL, &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(ids_stage(f->s, &g.ids, &g.e), 0);
	rows_of(f, "SELECT s.student_id FROM students s WHERE " IDS_PICKED_STUDENT("s.student_id") " ORDER BY 1", got,
		sizeof got);
	assert_string_equal(got, "S1 S2");	/* S1: G1's child */
	rows_of(f, "WITH r(s, g) AS (VALUES ('S1', 'G1'), ('S1', NULL), ('S1', 'X1'), ('S2', 'X1'), ('X1', NULL)) "
		"SELECT r.s || ':' || COALESCE(r.g, '') FROM r WHERE " IDS_PICKED_LINK("r.s", "r.g"), got, sizeof got);
	assert_string_equal(got, "S1:G1 S1: S2:X1");	/* G1's, G1's family's, and every row of S2 */
	got_free(&g);
	/* a line of both: the link and the family's row, not another guardian's; staged anew */
	read_ids(state, "guardian_id,student_id\nG1,S1\n", NULL, &g);
	assert_int_equal(ids_stage(f->s, &g.ids, &g.e), 0);
	rows_of(f, "WITH r(s, g) AS (VALUES ('S1', 'G1'), ('S1', NULL), ('S1', 'X1'), ('S2', NULL)) "
		"SELECT r.s || ':' || COALESCE(r.g, '') FROM r WHERE " IDS_PICKED_LINK("r.s", "r.g"), got, sizeof got);
	assert_string_equal(got, "S1:G1 S1:");
	rows_of(f, "SELECT s.student_id FROM students s WHERE " IDS_PICKED_STUDENT("s.student_id") " ORDER BY 1", got,
		sizeof got);
	assert_string_equal(got, "S1");
	got_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(student_column, setup, teardown),
		cmocka_unit_test_setup_teardown(guardian_column, setup, teardown),
		cmocka_unit_test_setup_teardown(both_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(list_without_header, setup, teardown),
		cmocka_unit_test_setup_teardown(bom_and_crlf, setup, teardown),
		cmocka_unit_test_setup_teardown(cp1251_header, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_input, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_id_with_line, setup, teardown),
		cmocka_unit_test_setup_teardown(list_cannot_tell, setup, teardown),
		cmocka_unit_test_setup_teardown(no_id_column, setup, teardown),
		cmocka_unit_test_setup_teardown(duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(staged_lines, setup, teardown),
	};
	return cmocka_run_group_tests_name("ids", tests, NULL, NULL);
}
