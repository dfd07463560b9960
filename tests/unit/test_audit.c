/*
 * test_audit.c: the audit log's hash chain on a real store: appends verify,
 * and an edited, removed or added record is found and named; an invalidation
 * is a record of the chain, and its mark cannot be added or removed quietly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <sodium.h>

#include "audit.h"
#include "store.h"
#include "store_fixture.h"

static int setup(void **state)
{
	return fx_open(state, NULL);
}

static int teardown(void **state)
{
	return fx_close(state);
}

static void append_three(struct fx *f)
{
	struct perr e = { 0 };
	int64_t seq;
	assert_int_equal(store_begin_write(f->s, &e), 0);
	for (int i = 0; i < 3; i++) {
		char obj[32];
		snprintf(obj, sizeof obj, "student:S%d", i + 1);
		assert_int_equal(audit_append(&f->c, obj, "{\"op\":\"insert\"}", &seq, &e), 0);
		assert_int_equal(seq, i + 1);
	}
	assert_int_equal(store_commit(f->s, &e), 0);
}

static void test_new_store_is_0600_and_verifies(void **state)
{
	struct fx *f = *state;
	struct stat sb;
	struct perr e = { 0 };
	long n = -1;
	if (fx_postgresql())
		skip();	/* no file: the server keeps the school */
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(audit_verify(f->s, &n, &e), 0);
	assert_int_equal(n, 0);
}

static void test_appends_verify(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	long n = 0;
	append_three(f);
	assert_int_equal(audit_verify(f->s, &n, &e), 0);
	assert_int_equal(n, 3);
}

static void tamper(struct fx *f, const char *sql)
{
	struct perr e = { 0 };
	assert_int_equal(store_exec(f->s, sql, &e), 0);
}

static void test_edited_record_is_named(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	append_three(f);
	tamper(f, "UPDATE audit SET detail = '{}' WHERE seq = 2");
	assert_int_equal(audit_verify(f->s, NULL, &e), 65);
	assert_non_null(strstr(e.msg, "record 2 was altered"));
}

static void test_removed_middle_record_is_named(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	append_three(f);
	tamper(f, "DELETE FROM audit WHERE seq = 2");
	assert_int_equal(audit_verify(f->s, NULL, &e), 65);
	assert_non_null(strstr(e.msg, "record 2 is missing"));
}

static void test_removed_last_record_is_named(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	append_three(f);
	tamper(f, "DELETE FROM audit WHERE seq = 3");
	assert_int_equal(audit_verify(f->s, NULL, &e), 65);
	assert_non_null(strstr(e.msg, "record 3 is missing"));
}

static void test_changes_become_one_record(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	struct change ch;
	int64_t seq = -1;
	assert_int_equal(store_begin_write(f->s, &e), 0);
	change_begin(&ch, &f->c, "update", "student", "S1");
	assert_int_equal(change_field(&ch, "phone", "", NULL), 0);	/* empty and NULL are the same */
	assert_int_equal(change_field(&ch, "email", "a@example.ru", "b@example.ru"), 1);
	assert_int_equal(change_field(&ch, "last_name", "Иванов", "Иванова"), 1);
	assert_int_equal(change_commit(&ch, &seq, &e), 0);
	assert_int_equal(seq, 1);
	struct stmt *st = store_prepare(f->s, "SELECT object, detail FROM audit WHERE seq = 1", &e);
	assert_int_equal(stmt_step(st, &e), 1);
	assert_string_equal(stmt_text(st, 0), "student:S1");
	assert_string_equal(stmt_text(st, 1),
			    "{\"op\":\"update\",\"email\":[\"a@example.ru\",\"b@example.ru\"],\"last_name\":[\"Иванов\",\"Иванова\"]}");
	stmt_reset(st);
	change_begin(&ch, &f->c, "update", "student", "S2");
	assert_int_equal(change_commit(&ch, &seq, &e), 0);
	assert_int_equal(seq, 0);	/* nothing changed, nothing written */
	assert_int_equal(store_commit(f->s, &e), 0);
}

static void test_invalidation_is_a_record_and_its_mark(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	append_three(f);
	assert_int_equal(store_begin_write(f->s, &e), 0);
	assert_int_equal(audit_invalidate(&f->c, 2, "login x reported \"leaked\"", 3, &e), 0);
	assert_int_equal(store_commit(f->s, &e), 0);
	struct stmt *st = store_prepare(f->s, "SELECT a.seq, a.object, a.detail, i.reason, i.by_seq FROM audit a, audit_invalid i "
				       "WHERE a.object = 'audit:' || i.seq", &e);
	assert_int_equal(stmt_step(st, &e), 1);
	assert_int_equal(stmt_int(st, 0), 4);
	assert_string_equal(stmt_text(st, 1), "audit:2");
	assert_string_equal(stmt_text(st, 2), "{\"op\":\"invalidate\",\"reason\":\"login x reported \\\"leaked\\\"\",\"by_seq\":3}");
	assert_string_equal(stmt_text(st, 3), "login x reported \"leaked\"");
	assert_int_equal(stmt_int(st, 4), 3);
	stmt_reset(st);
	assert_int_equal(audit_verify(f->s, NULL, &e), 0);
	assert_int_equal(audit_verify_invalid(f->s, &e), 0);

	tamper(f, "DELETE FROM audit_invalid");
	assert_int_equal(audit_verify_invalid(f->s, &e), 65);
	assert_non_null(strstr(e.msg, "record 2 was invalidated (record 4)"));
	tamper(f, "INSERT INTO audit_invalid (seq, reason, by_seq) VALUES (2, 'other', 3)");
	assert_int_equal(audit_verify_invalid(f->s, &e), 65);
	assert_non_null(strstr(e.msg, "record 2 is marked invalid"));
	tamper(f, "UPDATE audit_invalid SET reason = 'login x reported \"leaked\"', by_seq = 1");
	assert_int_equal(audit_verify_invalid(f->s, &e), 65);
	tamper(f, "UPDATE audit_invalid SET by_seq = 3");
	assert_int_equal(audit_verify_invalid(f->s, &e), 0);
	tamper(f, "INSERT INTO audit_invalid (seq, reason, by_seq) VALUES (1, 'made up', 3)");
	assert_int_equal(audit_verify_invalid(f->s, &e), 65);
	assert_non_null(strstr(e.msg, "record 1 is marked invalid"));
}

static void test_head_of_an_empty_and_a_full_log(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	int64_t seq = -1;
	char hash[65];
	assert_int_equal(audit_head(f->s, &seq, hash, &e), 0);
	assert_int_equal(seq, 0);
	assert_int_equal(strspn(hash, "0"), 64);
	append_three(f);
	assert_int_equal(audit_head(f->s, &seq, hash, &e), 0);
	assert_int_equal(seq, 3);
	struct stmt *st = store_prepare(f->s, "SELECT hash FROM audit WHERE seq = 3", &e);
	assert_int_equal(stmt_step(st, &e), 1);
	assert_string_equal(stmt_text(st, 0), hash);
	stmt_reset(st);
}

/* A long session (portal-ack scan) appends in one transaction after another while other
 * commands append too: each transaction continues the chain from its current head. */
static void test_a_session_follows_appends_by_others(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	struct store *other;
	int64_t seq;
	assert_int_equal(store_open(f->path, 0, &other, &e), 0);
	struct ctx oc = f->c;
	oc.store = other;
	oc.head_loaded = 0;
	assert_int_equal(store_begin_write(f->s, &e), 0);
	assert_int_equal(audit_append(&f->c, "ack:A", "{}", &seq, &e), 0);
	assert_int_equal(store_commit(f->s, &e), 0);
	assert_int_equal(store_begin_write(other, &e), 0);
	assert_int_equal(audit_append(&oc, "config:school.name", "{}", &seq, &e), 0);
	assert_int_equal(seq, 2);
	assert_int_equal(store_commit(other, &e), 0);
	store_close(other);
	assert_int_equal(store_begin_write(f->s, &e), 0);
	assert_int_equal(audit_append(&f->c, "ack:B", "{}", &seq, &e), 0);
	assert_int_equal(seq, 3);
	assert_int_equal(store_commit(f->s, &e), 0);
	assert_int_equal(audit_verify(f->s, NULL, &e), 0);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_store_is_0600_and_verifies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_appends_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edited_record_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_removed_middle_record_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_removed_last_record_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changes_become_one_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalidation_is_a_record_and_its_mark, setup, teardown),
		cmocka_unit_test_setup_teardown(test_head_of_an_empty_and_a_full_log, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_session_follows_appends_by_others, setup, teardown),
	};
	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
