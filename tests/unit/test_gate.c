/*
 * test_gate.c: the 152-ФЗ gate of the web cabinet on a real store: a guardian
 * sees a child only under a standing `given` (an e-mail address is not needed),
 * the paper notice otherwise, nothing of another child; a student sees
 * themself only; a staff member the classes they lead.
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

#include "consent.h"
#include "gate.h"
#include "store_fixture.h"

static const char FIXTURE[] =
	"INSERT INTO classes (name, grade) VALUES ('7А', 7), ('8Б', 8);"
	"INSERT INTO students (student_id, last_name, first_name, birth_date, class) VALUES"
	" ('S1', 'Тестова', 'Анна', '2013-01-01', '7А'), ('S2', 'Тестов', 'Борис', '2012-02-02', '8Б');"
	"INSERT INTO guardians (guardian_id, last_name, first_name, email) VALUES"
	" ('P1', 'Тестова', 'Вера', NULL), ('P2', 'Тестов', 'Глеб', 'g@example.ru');"
	"INSERT INTO guardian_links (guardian_id, student_id, relation) VALUES ('P1', 'S1', 'mother'), ('P2', 'S2', 'father');"
	"INSERT INTO staff (staff_id, last_name, first_name, role, login) VALUES ('T1', 'Учитель', 'Ирина', 'class_leader', 'kl');"
	"INSERT INTO staff_classes (staff_id, class) VALUES ('T1', '7А');";

static int setup(void **state)
{
	return fx_open(state, FIXTURE);
}

static int teardown(void **state)
{
	return fx_close(state);
}

static enum gate_view view(struct fx *f, const char *kind, const char *person, const char *student)
{
	enum gate_view v = GATE_OPEN;
	struct perr e = { 0 };
	assert_int_equal(gate_view(&f->c, kind, person, student, &v, &e), 0);
	return v;
}

static void give(struct fx *f, const char *g, const char *s, const char *decision, const char *on)
{
	struct perr e = { 0 };
	struct consent_rec r = { g, s, decision, on, NULL, NULL, 0 };
	long added;
	assert_int_equal(store_begin_write(f->s, &e), 0);
	assert_int_equal(consent_record(&f->c, &r, &added, &e), 0);
	assert_int_equal(store_commit(f->s, &e), 0);
}

static void test_guardian_needs_standing_consent(void **state)
{
	struct fx *f = *state;
	assert_int_equal(view(f, "guardian", "P1", "S1"), GATE_PAPER);	/* no decision */
	give(f, "P1", "S1", "given", "2026-09-01");
	assert_int_equal(view(f, "guardian", "P1", "S1"), GATE_OPEN);	/* no e-mail needed */
	give(f, "P1", "S1", "withdrawn", "2026-11-01");
	assert_int_equal(view(f, "guardian", "P1", "S1"), GATE_PAPER);
	give(f, "P2", "S2", "refused", "2026-09-01");
	assert_int_equal(view(f, "guardian", "P2", "S2"), GATE_PAPER);
}

static void test_other_child_hidden_like_none(void **state)
{
	struct fx *f = *state;
	give(f, "P1", "S1", "given", "2026-09-01");
	assert_int_equal(view(f, "guardian", "P1", "S2"), GATE_HIDDEN);
	assert_int_equal(view(f, "guardian", "P1", "S9"), GATE_HIDDEN);
	assert_int_equal(view(f, "guardian", "P9", "S1"), GATE_HIDDEN);
}

static void test_student_sees_themself(void **state)
{
	struct fx *f = *state;
	assert_int_equal(view(f, "student", "S1", "S1"), GATE_OPEN);	/* whatever the guardians decided */
	assert_int_equal(view(f, "student", "S1", "S2"), GATE_HIDDEN);
	assert_int_equal(view(f, "student", "S9", "S9"), GATE_HIDDEN);
}

static void test_staff_sees_led_classes(void **state)
{
	struct fx *f = *state;
	assert_int_equal(view(f, "staff", "T1", "S1"), GATE_OPEN);
	assert_int_equal(view(f, "staff", "T1", "S2"), GATE_HIDDEN);
	assert_int_equal(view(f, "other", "T1", "S1"), GATE_HIDDEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_guardian_needs_standing_consent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_child_hidden_like_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_student_sees_themself, setup, teardown),
		cmocka_unit_test_setup_teardown(test_staff_sees_led_classes, setup, teardown),
	};
	return cmocka_run_group_tests_name("gate", tests, NULL, NULL);
}
