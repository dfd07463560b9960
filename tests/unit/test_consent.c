/*
 * test_consent.c: the consent registry on a real store: the standing decision
 * (latest by signing date, not by entry), the channel rule, and the gate every
 * electronic path goes through: no address without a standing consent.
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
#include "store_fixture.h"

static const char FIXTURE[] =
	"INSERT INTO classes (name, grade) VALUES ('7А', 7);"
	"INSERT INTO students (student_id, last_name, first_name, birth_date, class) VALUES"
	" ('S1', 'Тестова', 'Анна', '2013-01-01', '7А'), ('S2', 'Тестов', 'Борис', '2014-02-02', '7А');"
	"INSERT INTO guardians (guardian_id, last_name, first_name, email) VALUES"
	" ('P1', 'Тестова', 'Вера', 'vera@example.ru'), ('P2', 'Тестов', 'Глеб', NULL), ('P3', 'Чужая', 'Дарья', 'd@example.ru');"
	"INSERT INTO guardian_links (guardian_id, student_id, relation) VALUES"
	" ('P1', 'S1', 'mother'), ('P1', 'S2', 'mother'), ('P2', 'S1', 'father');";

static int setup(void **state)
{
	return fx_open(state, FIXTURE);
}

static int teardown(void **state)
{
	return fx_close(state);
}

static void rec(struct fx *f, const char *g, const char *s, const char *decision, const char *signed_on, int expect)
{
	struct perr e = { 0 };
	struct consent_rec r = { g, s, decision, signed_on, NULL, NULL, 0 };
	long added;
	assert_int_equal(store_begin_write(f->s, &e), 0);
	int rc = consent_record(&f->c, &r, &added, &e);
	if (rc)
		store_rollback(f->s);
	else
		assert_int_equal(store_commit(f->s, &e), 0);
	assert_int_equal(rc, expect);
}

static const char *channel(struct fx *f, const char *g, const char *s, char *decision)
{
	struct consent_state cs;
	struct perr e = { 0 };
	assert_int_equal(consent_channel(&f->c, g, s, &cs, &e), 0);
	strcpy(decision, cs.decision);
	return cs.channel == CH_ELECTRONIC ? "electronic" : "paper";
}

/* the gate: 0 and the address, or 77 */
static int gate(struct fx *f, const char *g, const char *s, char *addr)
{
	struct perr e = { 0 };
	*addr = 0;
	return consent_email_address(&f->c, g, s, addr, 256, &e);
}

static void test_no_decision_is_paper_and_no_address(void **state)
{
	struct fx *f = *state;
	char d[16], addr[256];
	assert_string_equal(channel(f, "P1", "S1", d), "paper");
	assert_string_equal(d, "none");
	assert_int_equal(gate(f, "P1", "S1", addr), EX_NOPERM);
	assert_string_equal(addr, "");
}

static void test_given_with_email_is_electronic(void **state)
{
	struct fx *f = *state;
	char d[16], addr[256];
	rec(f, "P1", "S1", "given", "2026-09-01", 0);
	assert_string_equal(channel(f, "P1", "S1", d), "electronic");
	assert_int_equal(gate(f, "P1", "S1", addr), 0);
	assert_string_equal(addr, "vera@example.ru");
	/* the other child has no decision of its own */
	assert_int_equal(gate(f, "P1", "S2", addr), EX_NOPERM);
}

static void test_given_without_email_is_paper(void **state)
{
	struct fx *f = *state;
	char d[16], addr[256];
	rec(f, "P2", "S1", "given", "2026-09-01", 0);
	assert_string_equal(channel(f, "P2", "S1", d), "paper");
	assert_string_equal(d, "given");
	assert_int_equal(gate(f, "P2", "S1", addr), EX_NOPERM);
}

static void test_refused_and_withdrawn_are_paper(void **state)
{
	struct fx *f = *state;
	char d[16], addr[256];
	rec(f, "P1", "S1", "refused", "2026-09-01", 0);
	assert_string_equal(channel(f, "P1", "S1", d), "paper");
	assert_int_equal(gate(f, "P1", "S1", addr), EX_NOPERM);
	rec(f, "P1", "S1", "given", "2026-09-10", 0);
	assert_int_equal(gate(f, "P1", "S1", addr), 0);
	rec(f, "P1", "S1", "withdrawn", "2026-10-01", 0);
	assert_string_equal(channel(f, "P1", "S1", d), "paper");
	assert_string_equal(d, "withdrawn");
	assert_int_equal(gate(f, "P1", "S1", addr), EX_NOPERM);
}

static void test_earlier_consent_entered_later_does_not_override(void **state)
{
	struct fx *f = *state;
	char d[16], addr[256];
	rec(f, "P1", "S1", "withdrawn", "2026-10-01", 0);
	rec(f, "P1", "S1", "given", "2026-09-20", 0);	/* signed before the withdrawal, typed after it */
	assert_string_equal(channel(f, "P1", "S1", d), "paper");
	assert_string_equal(d, "withdrawn");
	assert_int_equal(gate(f, "P1", "S1", addr), EX_NOPERM);
}

static void test_without_student_covers_all_children(void **state)
{
	struct fx *f = *state;
	char d[16];
	rec(f, "P1", NULL, "given", "2026-09-01", 0);
	assert_string_equal(channel(f, "P1", "S1", d), "electronic");
	assert_string_equal(channel(f, "P1", "S2", d), "electronic");
}

static void test_invalidated_record_does_not_count(void **state)
{
	struct fx *f = *state;
	char d[16], addr[256];
	struct perr e = { 0 };
	rec(f, "P1", "S1", "given", "2026-09-01", 0);
	assert_int_equal(store_exec(f->s, "INSERT INTO audit_invalid (seq, reason, by_seq) SELECT audit_seq, 'test', audit_seq FROM consents", &e), 0);
	assert_string_equal(channel(f, "P1", "S1", d), "paper");
	assert_string_equal(d, "none");
	assert_int_equal(gate(f, "P1", "S1", addr), EX_NOPERM);
}

static void test_bad_decisions_are_refused(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	long n = -1;
	rec(f, "P1", "S1", "maybe", "2026-09-01", EX_DATAERR);
	rec(f, "P9", "S1", "given", "2026-09-01", EX_DATAERR);	/* unknown guardian */
	rec(f, "P1", "S1", "given", "2026-12-01", EX_DATAERR);	/* the future */
	rec(f, "P3", "S1", "given", "2026-09-01", EX_DATAERR);	/* not a child of P3 */
	struct stmt *st = store_prepare(f->s, "SELECT count(*) FROM consents", &e);
	assert_non_null(st);
	assert_int_equal(stmt_step(st, &e), 1);
	n = (long)stmt_int(st, 0);
	stmt_reset(st);
	assert_int_equal(n, 0);
}

static void test_records_cannot_be_changed(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	rec(f, "P1", "S1", "given", "2026-09-01", 0);
	assert_int_not_equal(store_exec(f->s, "UPDATE consents SET decision = 'refused'", &e), 0);
	assert_int_not_equal(store_exec(f->s, "DELETE FROM consents", &e), 0);
}

/* The web cabinet: a guardian withdraws for their own child without a class right, never for another's. */
static void test_guardian_withdraws_their_own(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	char d[12];
	long added = 0;
	rec(f, "P1", "S1", "given", "2026-11-02", 0);
	strcpy(f->a.login, "vera");
	strcpy(f->a.role, "guardian");
	struct consent_rec r = { "P1", "S1", "withdrawn", "2026-11-28", "electronic", NULL, 0 };
	assert_int_equal(store_begin_write(f->s, &e), 0);
	assert_int_equal(consent_record(&f->c, &r, &added, &e), EX_NOPERM);
	store_rollback(f->s);
	r.by_guardian = 1;
	r.guardian = "P3";	/* no child of P3 */
	assert_int_equal(store_begin_write(f->s, &e), 0);
	assert_int_equal(consent_record(&f->c, &r, &added, &e), EX_DATAERR);
	store_rollback(f->s);
	r.guardian = "P1";
	assert_int_equal(store_begin_write(f->s, &e), 0);
	assert_int_equal(consent_record(&f->c, &r, &added, &e), 0);
	assert_int_equal(store_commit(f->s, &e), 0);
	assert_int_equal(added, 1);
	assert_string_equal(channel(f, "P1", "S1", d), "paper");
	assert_string_equal(d, "withdrawn");
	assert_string_equal(channel(f, "P1", "S2", d), "paper");
	assert_string_equal(d, "none");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_decision_is_paper_and_no_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_given_with_email_is_electronic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_given_without_email_is_paper, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_and_withdrawn_are_paper, setup, teardown),
		cmocka_unit_test_setup_teardown(test_earlier_consent_entered_later_does_not_override, setup, teardown),
		cmocka_unit_test_setup_teardown(test_without_student_covers_all_children, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalidated_record_does_not_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_decisions_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_records_cannot_be_changed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guardian_withdraws_their_own, setup, teardown),
	};
	return cmocka_run_group_tests_name("consent", tests, NULL, NULL);
}
