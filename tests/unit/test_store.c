/*
 * test_store.c: the statement helpers (store_run, store_exists, store_get,
 * store_each, store_rows, store_query): typed parameters by number, the
 * statement reset on every path, a wrong count of parameters refused; and the
 * store's second read connection (store_twin), which the whole school's report
 * reads half of the marks on: it is given only when it sees the same commit as
 * the first connection, and refused (NULL, no error) when a writer committed in
 * between. A real store, a real second writer. And the tentative bulk load
 * (store_load_try): in whole, or taken back by a key there already, by another
 * statement run in its middle, or by an abort, with what ran before it kept.
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

static int setup_table(void **state)
{
	return fx_open(state, "CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER, x REAL, note TEXT);"
		       "INSERT INTO t VALUES ('a', 1, 1.5, 'first'), ('b', 2, 2.5, NULL), ('c', 3, 3.5, 'third');");
}

/* ---- the helpers ---- */

static void test_run_binds_by_number(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	char buf[16];
	int64_t n;
	double x;
	/* $1 used twice, the parameters in the SQL's order by number, not by place */
	assert_int_equal(store_run(f->s, &e, "INSERT INTO t (k, n, x, note) VALUES ($2, $1, $3, $2 || $4)",
				   P_INT(7), P_TEXT("d"), P_DOUBLE(0.25), P_TEXT("!")), 0);
	assert_int_equal(store_get(f->s, &e, "SELECT n, x, note FROM t WHERE k = $1", P_TEXT("d"),
				   INTO_INT(&n), INTO_DOUBLE(&x), INTO_TEXT(buf, sizeof buf)), 1);
	assert_int_equal(n, 7);
	assert_true(x == 0.25);
	assert_string_equal(buf, "d!");
	assert_int_equal(store_run(f->s, &e, "UPDATE t SET note = $2 WHERE k = $1", P_TEXT("d"), P_NULL), 0);
	assert_int_equal(store_exists(f->s, &e, "SELECT 1 FROM t WHERE k = $1 AND note IS NULL", P_TEXT("d")), 1);
	assert_int_equal(store_run(f->s, &e, "DELETE FROM t WHERE k = $1", P_TEXT(NULL)), 0);
	assert_int_equal(store_changes(f->s), 0);	/* NULL matches nothing */
	assert_int_equal(store_run(f->s, &e, "DELETE FROM t WHERE note IS NULL"), 0);
	assert_int_equal(store_changes(f->s), 2);
}

static void test_run_reports_a_constraint_and_goes_on(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	static const char sql[] = "INSERT INTO t (k, n) VALUES ($1, $2)";
	assert_int_equal(store_run(f->s, &e, sql, P_TEXT("a"), P_INT(9)), EX_DATAERR);
	assert_non_null(strcasestr(e.msg, "unique"));	/* UNIQUE constraint failed; violates unique constraint */
	memset(&e, 0, sizeof e);
	assert_int_equal(store_run(f->s, &e, sql, P_TEXT("z"), P_INT(9)), 0);	/* the same statement, reset */
	assert_int_equal(store_exists(f->s, &e, "SELECT 1 FROM t WHERE k = $1 AND n = $2", P_TEXT("z"), P_INT(9)), 1);
}

static void test_a_wrong_count_of_parameters_is_refused(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	assert_int_equal(store_run(f->s, &e, "UPDATE t SET n = $2 WHERE k = $1", P_TEXT("a")), EX_SOFTWARE);
	assert_non_null(strstr(e.msg, "takes 2 parameters, 1 given"));
	assert_int_equal(store_exists(f->s, &e, "SELECT 1 FROM t WHERE k = $1", P_TEXT("a"), P_INT(1)), -EX_SOFTWARE);
	assert_int_equal(store_get(f->s, &e, "SELECT n FROM t WHERE k = $1"), -EX_SOFTWARE);
	assert_null(store_query(f->s, &e, "SELECT n FROM t"  " WHERE n > $1"));
	assert_int_equal(e.status, EX_SOFTWARE);
	/* nothing was written by the refused update */
	int64_t n;
	assert_int_equal(store_get(f->s, &e, "SELECT n FROM t WHERE k = $1", P_TEXT("a"), INTO_INT(&n)), 1);
	assert_int_equal(n, 1);
	/* bad SQL: the status of preparing it */
	memset(&e, 0, sizeof e);
	assert_int_equal(store_run(f->s, &e, "UPDATE nowhere SET n = 1"), EX_SOFTWARE);
	assert_non_null(strstr(e.msg, "nowhere"));
}

static void test_exists(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	assert_int_equal(store_exists(f->s, &e, "SELECT 1 FROM t WHERE k = $1", P_TEXT("b")), 1);
	assert_int_equal(store_exists(f->s, &e, "SELECT 1 FROM t WHERE k = $1", P_TEXT("nobody")), 0);
	assert_int_equal(store_exists(f->s, &e, "SELECT 1 FROM t WHERE n > $1", P_INT(1)), 1);	/* many rows */
	/* the statement was reset though rows were left: the table can be dropped */
	assert_int_equal(store_exec(f->s, "DROP TABLE t", &e), 0);
}

static void test_get_fills_or_empties(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	char note[16] = "stale", small[3];
	int64_t n = 42;
	assert_int_equal(store_get(f->s, &e, "SELECT note, n FROM t WHERE k = $1", P_TEXT("b"),
				   INTO_TEXT(note, sizeof note), INTO_INT(&n)), 1);
	assert_string_equal(note, "");		/* NULL */
	assert_int_equal(n, 2);
	assert_int_equal(store_get(f->s, &e, "SELECT note, n FROM t WHERE k = $1", P_TEXT("x"),
				   INTO_TEXT(note, sizeof note), INTO_INT(&n)), 0);
	assert_string_equal(note, "");		/* no row */
	assert_int_equal(n, 0);
	assert_int_equal(store_get(f->s, &e, "SELECT note FROM t WHERE k = $1", P_TEXT("a"), INTO_TEXT(small, sizeof small)), 1);
	assert_string_equal(small, "fi");	/* cut to the buffer */
	/* fewer INTO places than columns read the first ones; more are a mistake */
	assert_int_equal(store_get(f->s, &e, "SELECT n, note FROM t ORDER BY k DESC", INTO_INT(&n)), 1);
	assert_int_equal(n, 3);
	assert_int_equal(store_get(f->s, &e, "SELECT n FROM t WHERE k = 'a'", INTO_INT(&n), INTO_TEXT(note, sizeof note)),
			 -EX_SOFTWARE);
	assert_non_null(strstr(e.msg, "gives 1 column"));
	assert_int_equal(store_exec(f->s, "DROP TABLE t", &e), 0);	/* every statement was reset */
}

struct seen {
	char keys[8][4];
	int n, stop_at;
	struct store *s;
};

static int note_row(void *ctx, struct stmt *st, struct perr *e)
{
	struct seen *v = ctx;
	int64_t n;
	str_copy(v->keys[v->n], sizeof v->keys[v->n], stmt_text(st, 0));
	/* another statement inside the walk */
	if (store_get(v->s, e, "SELECT n FROM t WHERE k = $1", P_TEXT(stmt_text(st, 0)), INTO_INT(&n)) != 1 ||
	    n != stmt_int(st, 1))
		return EX_SOFTWARE;
	return ++v->n == v->stop_at ? -1 : 0;
}

static void test_each_walks_and_stops(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	struct seen v = { .s = f->s };
	assert_int_equal(store_each(f->s, &e, note_row, &v, "SELECT k, n FROM t WHERE n >= $1 ORDER BY k", P_INT(2)), 0);
	assert_int_equal(v.n, 2);
	assert_string_equal(v.keys[0], "b");
	assert_string_equal(v.keys[1], "c");
	v = (struct seen){ .s = f->s, .stop_at = 1 };
	assert_int_equal(store_each(f->s, &e, note_row, &v, "SELECT k, n FROM t ORDER BY k"), -1);	/* as fn said */
	assert_int_equal(v.n, 1);
	assert_int_equal(store_exec(f->s, "DROP TABLE t", &e), 0);	/* stopped early, still reset */
}

static int join_row(void *ctx, const char *const *vals, size_t n)
{
	struct sbuf *b = ctx;
	for (size_t i = 0; i < n; i++)
		sbuf_printf(b, "%s%s", i ? "," : "", vals[i] ? vals[i] : "NULL");
	sbuf_addc(b, ';');
	return strstr(b->s, "c,") ? -EX_DATAERR : 0;
}

static void test_rows_hand_on_text(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	struct sbuf b;
	sbuf_init(&b);
	sbuf_adds(&b, "");
	assert_int_equal(store_rows(f->s, &e, join_row, &b, "SELECT k, note FROM t WHERE k < $1 ORDER BY k", P_TEXT("c")), 0);
	assert_string_equal(b.s, "a,first;b,NULL;");
	sbuf_reset(&b);
	sbuf_adds(&b, "");
	assert_int_equal(store_rows(f->s, &e, join_row, &b, "SELECT k, n FROM t ORDER BY k DESC"), EX_DATAERR);
	assert_string_equal(b.s, "c,3;");
	sbuf_free(&b);
	assert_int_equal(store_exec(f->s, "DROP TABLE t", &e), 0);
}

static void test_query_copies_its_text(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	char key[4] = "a";
	struct stmt *st = store_query(f->s, &e, "SELECT k, n FROM t WHERE k > $1 ORDER BY k", P_TEXT(key));
	assert_non_null(st);
	key[0] = 'z';		/* the bound text was copied */
	assert_int_equal(stmt_step(st, &e), 1);
	assert_string_equal(stmt_text(st, 0), "b");
	assert_int_equal(stmt_step(st, &e), 1);
	assert_int_equal(stmt_int(st, 1), 3);
	assert_int_equal(stmt_step(st, &e), 0);
	stmt_reset(st);
	assert_int_equal(store_exec(f->s, "DROP TABLE t", &e), 0);
}

/* ---- the second connection ---- */

/* Appends one audit record through its own connection to the store at path, committed. */
/* ---- the tentative bulk load (PostgreSQL's COPY under a savepoint) ---- */

static long count_t(struct fx *f)
{
	struct perr e = { 0 };
	int64_t n = -1;
	assert_int_equal(store_get(f->s, &e, "SELECT COUNT(*) FROM t", INTO_INT(&n)), 1);
	return (long)n;
}

static struct store_load *try_t(struct fx *f, struct perr *e)
{
	static const char *const cols[] = { "k", "n" };
	return store_load_try(f->s, "t", cols, 2, e);
}

static void test_a_tried_load_is_in_whole_or_taken_back(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	if (!store_has_bulk_load(f->s)) {
		/* SQLite has no bulk path: a try is refused, not faked */
		assert_null(try_t(f, &e));
		assert_int_equal(e.status, EX_SOFTWARE);
		return;
	}
	assert_int_equal(store_begin_write(f->s, &e), 0);
	/* all new: in */
	struct store_load *l = try_t(f, &e);
	assert_non_null(l);
	assert_int_equal(store_load_row(l, (const char *[]){ "d", "4" }, &e), 0);
	assert_int_equal(store_load_row(l, (const char *[]){ "e", NULL }, &e), 0);
	assert_int_equal(store_load_end(l, &e), 0);
	assert_int_equal(count_t(f), 5);
	/* a key there already: every row of the try goes back, and the transaction goes on */
	l = try_t(f, &e);
	assert_int_equal(store_load_row(l, (const char *[]){ "f", "6" }, &e), 0);
	assert_int_equal(store_load_row(l, (const char *[]){ "a", "7" }, &e), 0);
	assert_int_not_equal(store_load_end(l, &e), 0);
	e = (struct perr){ 0 };
	assert_int_equal(count_t(f), 5);
	/* another statement in the middle: taken back before it runs, the rows after dropped */
	l = try_t(f, &e);
	assert_int_equal(store_load_row(l, (const char *[]){ "g", "8" }, &e), 0);
	assert_int_equal(store_run(f->s, &e, "UPDATE t SET note = 'seen' WHERE k = 'a'"), 0);
	assert_true(store_load_taken_back(l));
	assert_int_equal(store_load_row(l, (const char *[]){ "h", "9" }, &e), 0);
	assert_int_not_equal(store_load_end(l, &e), 0);
	e = (struct perr){ 0 };
	assert_int_equal(count_t(f), 5);
	/* an abort takes the rows back, and what ran before the try stays */
	l = try_t(f, &e);
	assert_int_equal(store_load_row(l, (const char *[]){ "i", "10" }, &e), 0);
	assert_int_equal(store_load_abort(l, &e), 0);
	assert_int_equal(count_t(f), 5);
	assert_int_equal(store_exists(f->s, &e, "SELECT 1 FROM t WHERE k = 'a' AND note = 'seen'"), 1);
	assert_int_equal(store_commit(f->s, &e), 0);
	assert_int_equal(count_t(f), 5);
}

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
	assert_int_equal(e.status, 0);
	if (fx_postgresql()) {
		/* PostgreSQL hands the snapshot itself to the twin: it reads what the first one reads */
		assert_non_null(t);
		assert_int_equal(count_audit(t), n);
		store_close(t);
	} else {
		assert_null(t);
	}
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
		cmocka_unit_test_setup_teardown(test_run_binds_by_number, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_run_reports_a_constraint_and_goes_on, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_a_wrong_count_of_parameters_is_refused, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_exists, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_get_fills_or_empties, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_each_walks_and_stops, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_rows_hand_on_text, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_query_copies_its_text, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_a_tried_load_is_in_whole_or_taken_back, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_twin_sees_the_same_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_twin_after_a_commit_in_between, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_twin_outside_a_read_transaction, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
