/*
 * test_store.c: the store's second read connection (store_twin), which the
 * whole school's report reads half of the marks on: it is given only when it
 * sees the same commit as the first connection, and refused (NULL, no error)
 * when a writer committed in between. A real store, a real second writer.
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

#include "audit.h"
#include "store_fixture.h"

static int setup(void **state)
{
	return fx_open(state, NULL);
}

static int teardown(void **state)
{
	return fx_close(state);
}

/* Appends one audit record through its own connection to the store at path, committed. */
static void write_elsewhere(const char *path, const char *object)
{
	struct store *w;
	struct perr e = { 0 };
	struct actor a = { .login = "admin", .role = "admin" };
	assert_int_equal(store_open(path, 0, &w, &e), 0);
	struct ctx c = { .store = w, .tool = "test", .action = "test", .actor = &a };
	strcpy(c.now, "2026-11-28T09:00:00Z");
	strcpy(c.today, "2026-11-28");
	assert_int_equal(store_begin_write(w, &e), 0);
	assert_int_equal(audit_append(&c, object, "{}", NULL, &e), 0);
	assert_int_equal(store_commit(w, &e), 0);
	store_close(w);
}

/* Begins a read transaction on s and reads, so its snapshot is taken: the number of audit records. */
static int64_t read_now(struct store *s)
{
	struct perr e = { 0 };
	assert_int_equal(store_begin_read(s, &e), 0);
	struct stmt *st = store_prepare(s, "SELECT count(*) FROM audit", &e);
	assert_non_null(st);
	assert_int_equal(stmt_step(st, &e), 1);
	int64_t n = stmt_int(st, 0);
	stmt_reset(st);
	return n;
}

static int64_t count_audit(struct store *s)
{
	struct perr e = { 0 };
	struct stmt *st = store_prepare(s, "SELECT count(*) FROM audit", &e);
	assert_non_null(st);
	assert_int_equal(stmt_step(st, &e), 1);
	int64_t n = stmt_int(st, 0);
	stmt_reset(st);
	return n;
}

static void test_twin_sees_the_same_commit(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	struct store *t = NULL;
	write_elsewhere(f->path, "first");
	int64_t n = read_now(f->s);
	assert_true(n >= 1);
	assert_int_equal(store_twin(f->s, &t, &e), 0);
	assert_non_null(t);
	assert_int_equal(count_audit(t), n);
	/* a commit after both began is seen by neither */
	write_elsewhere(f->path, "second");
	assert_int_equal(count_audit(t), n);
	assert_int_equal(count_audit(f->s), n);
	store_close(t);
	store_rollback(f->s);
}

static void test_no_twin_after_a_commit_in_between(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	struct store *t = (struct store *)&e;	/* anything but NULL: store_twin must clear it */
	write_elsewhere(f->path, "first");
	int64_t n = read_now(f->s);
	write_elsewhere(f->path, "between");	/* after the first connection's snapshot */
	assert_int_equal(store_twin(f->s, &t, &e), 0);
	assert_null(t);
	assert_int_equal(e.status, 0);
	assert_int_equal(count_audit(f->s), n);	/* the first connection reads on, unchanged */
	store_rollback(f->s);
}

static void test_no_twin_outside_a_read_transaction(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	struct store *t = NULL;
	assert_int_equal(store_twin(f->s, &t, &e), EX_SOFTWARE);
	assert_null(t);
	assert_non_null(strstr(e.msg, "read transaction"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_twin_sees_the_same_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_twin_after_a_commit_in_between, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_twin_outside_a_read_transaction, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
