/*
 * test_accounts.c: issuing credentials on a real store: who gets one, logins
 * with suffixes, one account for a guardian of two children, hashes that
 * verify, password rules, locks.
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

#include "accounts.h"
#include "actor.h"
#include "store_fixture.h"

static const char FIXTURE[] =
	"INSERT INTO classes (name, grade) VALUES ('7А', 7), ('8Б', 8);"
	"INSERT INTO students (student_id, last_name, first_name, birth_date, class) VALUES"
	" ('S1', 'Щеглова', 'Юлия', '2013-01-01', '7А'),"
	" ('S2', 'Щеглова', 'Юлия', '2013-02-02', '7А'),"
	" ('S3', 'Ильин', 'Игорь', '2013-03-03', '7А'),"
	" ('S4', 'Разъездной', 'Ян', '2012-04-04', '8Б');"
	"INSERT INTO students (student_id, last_name, first_name, birth_date, class, status, left_on) VALUES"
	" ('S5', 'Выбывший', 'Пётр', '2013-05-05', '7А', 'left', '2026-10-01');"
	"INSERT INTO guardians (guardian_id, last_name, first_name) VALUES ('P1', 'Щеглова', 'Анна');"
	"INSERT INTO guardian_links (guardian_id, student_id, relation) VALUES ('P1', 'S1', 'mother'), ('P1', 'S2', 'mother');";

static int setup(void **state)
{
	return fx_open(state, FIXTURE);
}

static int teardown(void **state)
{
	return fx_close(state);
}

static void issue(struct fx *f, const struct issue_opts *o, struct issue_plan *p)
{
	struct perr e = { 0 };
	assert_int_equal(issue_plan_make(&f->c, o, p, &e), 0);
	assert_int_equal(issue_plan_hash(p, NULL, NULL, &e), 0);
	assert_int_equal(store_begin_write(f->s, &e), 0);
	assert_int_equal(issue_plan_store(&f->c, p, &e), 0);
	assert_int_equal(store_commit(f->s, &e), 0);
}

static const struct issue_item *find(const struct issue_plan *p, const char *person)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->items[i].person_id, person) == 0)
			return &p->items[i];
	return NULL;
}

static void test_issue_class(void **state)
{
	struct fx *f = *state;
	struct issue_plan p;
	struct issue_opts o = { .cls = "7А", .who = "all", .reissue = 0 };
	struct perr e = { 0 };
	issue(f, &o, &p);
	assert_int_equal(p.n, 4);	/* S1, S2, S3 and P1 once; not S5 (left), not S4 (8Б) */
	assert_string_equal(find(&p, "S1")->login, "shcheglova.iuliia");
	assert_string_equal(find(&p, "S2")->login, "shcheglova.iuliia2");
	assert_string_equal(find(&p, "S3")->login, "ilin.igor");
	assert_string_equal(find(&p, "P1")->login, "shcheglova.anna");
	assert_null(find(&p, "S5"));
	for (size_t i = 0; i < p.n; i++) {
		const char *pw = p.items[i].password;
		assert_true(strlen(pw) >= 10);
		assert_null(strpbrk(pw, "0O1lI"));
		assert_int_equal(account_verify(f->s, p.items[i].login, pw, &e), 0);
		assert_int_equal(account_verify(f->s, p.items[i].login, "wrong password", &e), 1);
	}
	issue_plan_free(&p);
	/* a second run: nobody is left without an account */
	assert_int_equal(issue_plan_make(&f->c, &o, &p, &e), 0);
	assert_int_equal(p.n, 0);
	issue_plan_free(&p);
	assert_int_equal(account_verify(f->s, "no.such", "x", &e), 1);
}

static void test_reissue_replaces(void **state)
{
	struct fx *f = *state;
	struct issue_plan p, q;
	struct issue_opts o = { .cls = "8Б", .who = "students", .reissue = 0 }, r = { .cls = "8Б", .who = "students", .reissue = 1 };
	struct perr e = { 0 };
	char old[32];
	issue(f, &o, &p);
	assert_int_equal(p.n, 1);
	strcpy(old, p.items[0].password);
	issue(f, &r, &q);
	assert_int_equal(q.n, 1);
	assert_string_equal(q.items[0].login, "razieezdnoi.ian");
	assert_int_equal(account_verify(f->s, "razieezdnoi.ian", old, &e), 1);
	assert_int_equal(account_verify(f->s, "razieezdnoi.ian", q.items[0].password, &e), 0);
	issue_plan_free(&p);
	issue_plan_free(&q);
}

static void test_passwd_and_lock(void **state)
{
	struct fx *f = *state;
	struct issue_plan p;
	struct issue_opts o = { .cls = "8Б", .who = "students", .reissue = 0 };
	struct perr e = { 0 };
	issue(f, &o, &p);
	const char *login = "razieezdnoi.ian";
	assert_int_equal(store_begin_write(f->s, &e), 0);
	assert_int_equal(account_passwd(&f->c, login, "short", &e), 65);
	assert_int_equal(account_passwd(&f->c, login, login, &e), 65);
	assert_int_equal(account_passwd(&f->c, login, "a good long one", &e), 0);
	assert_int_equal(account_lock(&f->c, login, "lost the slip", &e), 0);
	assert_int_equal(store_commit(f->s, &e), 0);
	assert_int_equal(account_verify(f->s, login, "a good long one", &e), 1);	/* locked */
	assert_int_equal(account_check_active(f->s, login, &e), 77);
	assert_int_equal(store_begin_write(f->s, &e), 0);
	assert_int_equal(account_unlock(&f->c, login, &e), 0);
	assert_int_equal(store_commit(f->s, &e), 0);
	assert_int_equal(account_verify(f->s, login, "a good long one", &e), 0);
	assert_int_equal(account_verify(f->s, login, p.items[0].password, &e), 1);
	issue_plan_free(&p);
}

static void test_class_leader_scope(void **state)
{
	struct fx *f = *state;
	struct issue_plan p;
	struct issue_opts o = { .cls = "8Б", .who = "all", .reissue = 0 };
	struct perr e = { 0 };
	char *led[] = { "7А" };
	strcpy(f->a.role, "class_leader");
	f->a.classes = led;
	f->a.nclasses = 1;
	assert_int_equal(issue_plan_make(&f->c, &o, &p, &e), 77);
	assert_non_null(strstr(e.msg, "8Б"));
	issue_plan_free(&p);
	o.cls = NULL;	/* every class they may write: 7А only */
	assert_int_equal(issue_plan_make(&f->c, &o, &p, &e), 0);
	assert_int_equal(p.n, 4);
	assert_null(find(&p, "S4"));
	issue_plan_free(&p);
	f->a.classes = NULL;
	f->a.nclasses = 0;
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_issue_class, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reissue_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_passwd_and_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_class_leader_scope, setup, teardown),
	};
	return cmocka_run_group_tests_name("accounts", tests, NULL, NULL);
}
