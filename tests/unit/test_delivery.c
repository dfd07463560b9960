/*
 * test_delivery.c: the delivery plan on a real store (who gets an e-mail, who
 * gets paper, and why) for each family shape, the selection and its rights,
 * the paper count of coverage, and the registration of extracts (unique
 * codes, rows, audit records).
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

#include "delivery.h"
#include "store_fixture.h"

/* S1 no guardian; S2 P1 consents, e-mail; S3 P2 consents, no e-mail; S4 P3 withdrew;
 * S5 P4 consents, e-mail, and P5 no decision. S6 is of another class. */
static const char FIXTURE[] =
	"INSERT INTO classes (name, grade) VALUES ('7А', 7), ('8Б', 8);"
	"INSERT INTO students (student_id, last_name, first_name, birth_date, class) VALUES"
	" ('S1', 'Антонова', 'Анна', '2013-01-01', '7А'), ('S2', 'Борисов', 'Борис', '2013-02-02', '7А'),"
	" ('S3', 'Васильева', 'Вера', '2013-03-03', '7А'), ('S4', 'Григорьев', 'Глеб', '2013-04-04', '7А'),"
	" ('S5', 'Дмитриева', 'Дарья', '2013-05-05', '7А'), ('S6', 'Егоров', 'Егор', '2012-06-06', '8Б');"
	"INSERT INTO guardians (guardian_id, last_name, first_name, email) VALUES"
	" ('P1', 'Борисова', 'Алла', 'alla@example.ru'), ('P2', 'Васильев', 'Иван', NULL),"
	" ('P3', 'Григорьева', 'Ольга', 'olga@example.ru'), ('P4', 'Дмитриев', 'Павел', 'pavel@example.ru'),"
	" ('P5', 'Дмитриева', 'Ирина', 'irina@example.ru');"
	"INSERT INTO guardian_links (guardian_id, student_id, relation) VALUES"
	" ('P1', 'S2', 'mother'), ('P2', 'S3', 'father'), ('P3', 'S4', 'mother'), ('P4', 'S5', 'father'),"
	" ('P5', 'S5', 'mother');";

static void rec(struct fx *f, const char *g, const char *s, const char *decision, const char *signed_on)
{
	struct perr e = { 0 };
	struct consent_rec r = { g, s, decision, signed_on, NULL, NULL, 0 };
	long added;
	assert_int_equal(store_begin_write(f->s, &e), 0);
	assert_int_equal(consent_record(&f->c, &r, &added, &e), 0);
	assert_int_equal(store_commit(f->s, &e), 0);
}

static int setup(void **state)
{
	if (fx_open(state, FIXTURE))
		return -1;
	struct fx *f = *state;
	rec(f, "P1", "S2", "given", "2026-09-01");
	rec(f, "P2", "S3", "given", "2026-09-01");
	rec(f, "P3", "S4", "given", "2026-09-01");
	rec(f, "P3", "S4", "withdrawn", "2026-10-01");
	rec(f, "P4", "S5", "given", "2026-09-01");
	return 0;
}

static int teardown(void **state)
{
	return fx_close(state);
}

static const char *const CLASS_7A[] = { "S1", "S2", "S3", "S4", "S5" };

static void plan(struct fx *f, enum delivery_mode mode, const struct strmap *only, struct delivery_plan *p)
{
	struct perr e = { 0 };
	assert_int_equal(delivery_plan_class(&f->c, "7А", CLASS_7A, 5, mode, only, p, &e), 0);
}

static void expect(const struct delivery_recipient *r, const char *student, const char *guardian,
		   enum delivery_channel ch)
{
	assert_string_equal(r->student, student);
	if (guardian)
		assert_string_equal(r->guardian, guardian);
	else
		assert_null(r->guardian);
	assert_int_equal(r->channel, ch);
	assert_non_null(r->why);
}

static void test_auto_plan_per_family(void **state)
{
	struct fx *f = *state;
	struct delivery_plan p;
	plan(f, DELIVERY_AUTO, NULL, &p);
	assert_int_equal(p.n, 6);
	expect(&p.v[0], "S1", NULL, DELIVER_PAPER);	/* no guardian */
	assert_string_equal(p.v[0].why, "no guardian on record");
	expect(&p.v[1], "S2", "P1", DELIVER_EMAIL);	/* consenting, e-mail */
	assert_string_equal(p.v[1].email, "alla@example.ru");
	assert_string_equal(p.v[1].guardian_name, "Борисова Алла");
	expect(&p.v[2], "S3", NULL, DELIVER_PAPER);	/* consenting, no e-mail */
	assert_non_null(strstr(p.v[2].why, "no e-mail address"));
	expect(&p.v[3], "S4", NULL, DELIVER_PAPER);	/* withdrawn */
	assert_non_null(strstr(p.v[3].why, "withdrawn"));
	expect(&p.v[4], "S5", "P4", DELIVER_EMAIL);	/* two guardians, one consents: e-mail and paper */
	assert_string_equal(p.v[4].email, "pavel@example.ru");
	expect(&p.v[5], "S5", NULL, DELIVER_PAPER);
	assert_non_null(strstr(p.v[5].why, "P5"));
	for (size_t i = 0; i < p.n; i++)
		if (p.v[i].channel != DELIVER_EMAIL)
			assert_null(p.v[i].email);
	delivery_plan_free(&p);
}

static void test_email_only_refuses_without_consent(void **state)
{
	struct fx *f = *state;
	struct delivery_plan p;
	plan(f, DELIVERY_EMAIL_ONLY, NULL, &p);
	assert_int_equal(p.n, 5);	/* S1 has nobody to write to */
	expect(&p.v[0], "S2", "P1", DELIVER_EMAIL);
	expect(&p.v[1], "S3", "P2", DELIVER_REFUSED);
	assert_string_equal(p.v[1].why, "P2 gets no electronic information about S3: no e-mail address");
	expect(&p.v[2], "S4", "P3", DELIVER_REFUSED);
	assert_string_equal(p.v[2].why, "P3 gets no electronic information about S4: withdrawn");
	expect(&p.v[3], "S5", "P4", DELIVER_EMAIL);
	expect(&p.v[4], "S5", "P5", DELIVER_REFUSED);
	assert_string_equal(p.v[4].why, "P5 gets no electronic information about S5: no decision on record");
	delivery_plan_free(&p);
}

static void test_paper_only_is_one_per_student(void **state)
{
	struct fx *f = *state;
	struct delivery_plan p;
	plan(f, DELIVERY_PAPER_ONLY, NULL, &p);
	assert_int_equal(p.n, 5);
	for (size_t i = 0; i < p.n; i++)
		expect(&p.v[i], CLASS_7A[i], NULL, DELIVER_PAPER);
	delivery_plan_free(&p);
}

static void test_only_the_guardians_given(void **state)
{
	struct fx *f = *state;
	struct delivery_plan p;
	struct strmap only;
	strmap_init(&only);
	strmap_put(&only, "\037P4", 2);	/* a line of P4 alone (ids.h) */
	plan(f, DELIVERY_AUTO, &only, &p);
	/* S5: only P4, who consents: no paper; the others: none of their guardians given */
	assert_int_equal(p.n, 5);
	expect(&p.v[0], "S1", NULL, DELIVER_PAPER);
	expect(&p.v[1], "S2", NULL, DELIVER_PAPER);
	assert_string_equal(p.v[1].why, "none of the student's guardians was given");
	expect(&p.v[4], "S5", "P4", DELIVER_EMAIL);
	delivery_plan_free(&p);
	strmap_free(&only);
}

static void test_paper_count_is_the_plan(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	long n = -1;
	assert_int_equal(delivery_paper_count(&f->c, "7А", NULL, NULL, &n, &e), 0);
	assert_int_equal(n, 4);	/* S1, S3, S4, S5 */
	assert_int_equal(delivery_paper_count(&f->c, "8Б", NULL, NULL, &n, &e), 0);
	assert_int_equal(n, 1);
}

static void test_select_sorts_by_class_and_checks(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	struct delivery_pick *v;
	size_t n;
	const char *ids[] = { "S6", "S2", "S6" };
	struct delivery_sel sel = { .students = ids, .nstudents = 3 };
	assert_int_equal(delivery_select(&f->c, &sel, &v, &n, &e), 0);
	assert_int_equal(n, 2);	/* a repeat counts once */
	assert_string_equal(v[0].id, "S2");
	assert_string_equal(v[0].cls, "7А");
	assert_string_equal(v[1].id, "S6");
	delivery_picks_free(v, n);
	const char *bad[] = { "S2", "S9" };
	sel = (struct delivery_sel){ .students = bad, .nstudents = 2 };
	assert_int_equal(delivery_select(&f->c, &sel, &v, &n, &e), EX_DATAERR);
	assert_string_equal(e.msg, "S9: no such student");
	delivery_picks_free(v, n);
	/* a class leader of 8Б makes no extracts of 7А */
	char *led[] = { "8Б" };
	strcpy(f->a.role, "class_leader");
	f->a.classes = led;
	f->a.nclasses = 1;
	sel = (struct delivery_sel){ .cls = "7А" };
	assert_int_equal(delivery_select(&f->c, &sel, &v, &n, &e), EX_NOPERM);
	delivery_picks_free(v, n);
	f->a.classes = NULL;
	f->a.nclasses = 0;
}

static void test_select_children_of_guardians(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	struct delivery_pick *v;
	size_t n;
	struct strmap g;
	strmap_init(&g);
	strmap_put(&g, "\037P4", 1);	/* lines of a guardian alone (ids.h) */
	strmap_put(&g, "\037P1", 2);
	struct delivery_sel sel = { .lines = &g };
	assert_int_equal(delivery_select(&f->c, &sel, &v, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_true((!strcmp(v[0].id, "S2") && !strcmp(v[1].id, "S5")) || (!strcmp(v[0].id, "S5") && !strcmp(v[1].id, "S2")));
	delivery_picks_free(v, n);
	strmap_free(&g);
}

static int64_t one_int(struct fx *f, const char *sql, const char *arg)
{
	struct perr e = { 0 };
	struct stmt *st = store_prepare(f->s, sql, &e);
	assert_non_null(st);
	stmt_bind_text(st, 1, arg);
	assert_int_equal(stmt_step(st, &e), 1);
	int64_t v = stmt_int(st, 0);
	stmt_reset(st);
	return v;
}

static void test_registration_codes_rows_audit(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	char code[2][11];
	int64_t id[2] = { 0, 0 };
	assert_int_equal(store_begin_write(f->s, &e), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(delivery_new_code(&f->c, code[i], &e), 0);
		assert_int_equal(strlen(code[i]), 10);
		struct delivery_extract x = { .student = "S5", .guardian = i ? NULL : "P4", .cls = "7А", .period = "2 четверть",
					      .from = "2026-11-05", .to = "2026-12-28", .channel = i ? DELIVER_PAPER : DELIVER_EMAIL,
					      .code = code[i], .format = i ? "txt" : "eml", .file = "x" };
		assert_int_equal(delivery_register(&f->c, &x, &id[i], &e), 0);
	}
	assert_int_equal(store_commit(f->s, &e), 0);
	assert_string_not_equal(code[0], code[1]);
	assert_true(id[0] > 0 && id[1] > id[0]);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(one_int(f, "SELECT count(*) FROM extracts WHERE code = $1", code[i]), 1);
		assert_int_equal(one_int(f, "SELECT count(*) FROM audit WHERE object = 'extract:' || $1 "
					 "AND detail LIKE '%\"op\":\"insert\"%student_id%'", code[i]), 1);
		/* the row names the audit record that made it */
		assert_int_equal(one_int(f, "SELECT count(*) FROM extracts x JOIN audit a ON a.seq = x.audit_seq "
					 "WHERE x.code = $1 AND a.object = 'extract:' || x.code", code[i]), 1);
	}
	assert_int_equal(one_int(f, "SELECT count(*) FROM extracts WHERE channel = 'email' AND guardian_id = $1", "P4"), 1);
	assert_int_equal(one_int(f, "SELECT count(*) FROM extracts WHERE channel = 'paper' AND guardian_id IS NULL "
				 "AND student_id = $1", "S5"), 1);
	/* a code taken is never given again */
	assert_int_equal(store_begin_read(f->s, &e), 0);
	for (int i = 0; i < 50; i++) {
		char c[11];
		assert_int_equal(delivery_new_code(&f->c, c, &e), 0);
		assert_string_not_equal(c, code[0]);
		assert_string_not_equal(c, code[1]);
	}
	store_rollback(f->s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_auto_plan_per_family, setup, teardown),
		cmocka_unit_test_setup_teardown(test_email_only_refuses_without_consent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paper_only_is_one_per_student, setup, teardown),
		cmocka_unit_test_setup_teardown(test_only_the_guardians_given, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paper_count_is_the_plan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select_sorts_by_class_and_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select_children_of_guardians, setup, teardown),
		cmocka_unit_test_setup_teardown(test_registration_codes_rows_audit, setup, teardown),
	};
	return cmocka_run_group_tests_name("delivery", tests, NULL, NULL);
}
