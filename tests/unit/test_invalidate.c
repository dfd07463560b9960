/*
 * test_invalidate.c: invalidating a leaked login's records on a real store: each
 * record goes to the function its kind's owner registered, with the object's id
 * and what was registered with it; a kind nobody registered needs no undo; an
 * undo that fails takes its own writes back, says why, and the rest goes on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "audit.h"
#include "invalidate.h"
#include "store_fixture.h"

static int setup(void **state)
{
	return fx_open(state, NULL);
}

static int teardown(void **state)
{
	return fx_close(state);
}

/* What the owner of "thing" registers: where its undo notes the ids it was given. */
struct owner {
	struct sbuf *log;
};

/* Undoes a thing; one whose record says "stuck" cannot be undone after a write of its own. */
static int undo_thing(struct ctx *c, const struct undo *u, const char *id, const char *detail, const void *arg,
		      struct perr *e)
{
	const struct owner *o = arg;
	sbuf_printf(o->log, "%s ", id);
	if (!strstr(detail, "stuck"))
		return 0;
	int rc = audit_append(c, "thing:undo", "{\"op\":\"compensate\"}", NULL, e);
	return rc ? rc : perr_set(e, EX_DATAERR, "%s stands in the way", id);
}

struct seen {
	long n;
	char why[3][64];
};

static int collect(void *ctx, const char *const *vals, size_t n)
{
	struct seen *s = ctx;
	assert_int_equal(n, 7);
	snprintf(s->why[s->n++], sizeof s->why[0], "%s=%s", vals[5], vals[6]);
	return 0;
}

static int64_t count(struct store *s, const char *sql)
{
	struct perr e = { 0 };
	struct stmt *st = store_prepare(s, sql, &e);
	assert_non_null(st);
	assert_int_equal(stmt_step(st, &e), 1);
	int64_t n = stmt_int(st, 0);
	stmt_reset(st);
	return n;
}

static void test_each_kind_goes_to_its_owner(void **state)
{
	struct fx *f = *state;
	struct perr e = { 0 };
	struct sbuf log;
	sbuf_init(&log);
	struct owner o = { &log };
	struct undo_table t = { 0 };
	invalidate_register(&t, "thing", undo_thing, &o);

	strcpy(f->a.login, "leaked");
	assert_int_equal(store_begin_write(f->s, &e), 0);
	assert_int_equal(audit_append(&f->c, "thing:T1", "{\"op\":\"update\"}", NULL, &e), 0);
	assert_int_equal(audit_append(&f->c, "other:O1", "{\"op\":\"update\"}", NULL, &e), 0);
	assert_int_equal(audit_append(&f->c, "thing:T2", "{\"op\":\"stuck\"}", NULL, &e), 0);
	strcpy(f->a.login, "admin");
	int64_t by;
	assert_int_equal(audit_append(&f->c, "login:leaked", "{\"op\":\"breach\"}", &by, &e), 0);
	struct seen s = { 0 };
	long n = 0;
	assert_int_equal(invalidate_since(&f->c, &t, "leaked", "2026-11-01T00:00:00Z", "test", by, &n, collect, &s, &e), 0);
	assert_int_equal(store_commit(f->s, &e), 0);
	invalidate_table_free(&t);

	assert_int_equal(n, 3);
	assert_string_equal(log.s, "T2 T1 ");	/* newest first; "other" has no owner */
	assert_string_equal(s.why[0], "thing:T2=T2 stands in the way");
	assert_string_equal(s.why[1], "other:O1=");
	assert_string_equal(s.why[2], "thing:T1=");
	assert_int_equal(count(f->s, "SELECT count(*) FROM audit_invalid"), 3);
	/* the failed undo's own record went back; the three invalidations are records of the chain */
	assert_int_equal(count(f->s, "SELECT count(*) FROM audit WHERE object = 'thing:undo'"), 0);
	assert_int_equal(count(f->s, "SELECT count(*) FROM audit"), 7);
	long checked = 0;
	assert_int_equal(audit_verify(f->s, &checked, &e), 0);
	sbuf_free(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_each_kind_goes_to_its_owner, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
