/*
 * store_fixture.h: a fresh real store in /tmp for one unit test, acted on by an
 * admin at a fixed time; removed with its WAL afterwards. No mock of the store.
 * With PORTAL_TEST_ENGINE=postgresql (make check-pg) the store is a school schema of
 * the cluster the PG* variables name, dropped afterwards.
 */
#ifndef PORTAL_STORE_FIXTURE_H
#define PORTAL_STORE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctx.h"
#include "store.h"

struct fx {
	char path[160];
	struct store *s;
	struct ctx c;
	struct actor a;
};

/* The stores are PostgreSQL's (make check-pg). */
static inline int fx_postgresql(void)
{
	const char *v = getenv("PORTAL_TEST_ENGINE");
	return v && strcmp(v, "postgresql") == 0;
}

/* Creates the store and runs sql (may be NULL) in it; for cmocka's setup. */
static inline int fx_open(void **state, const char *sql)
{
	static int made;
	struct fx *f = calloc(1, sizeof *f);
	struct perr e = { 0 };
	if (fx_postgresql()) {
		const char *db = getenv("PGDATABASE");
		snprintf(f->path, sizeof f->path, "postgresql:///%s?school=unit_%ld_%d", db ? db : "postgres",
			 (long)getpid(), ++made);
	} else {
		strcpy(f->path, "/tmp/portal-unit.XXXXXX");
		close(mkstemp(f->path));
		unlink(f->path);
	}
	if (store_open(f->path, STORE_CREATE, &f->s, &e) || (sql && store_exec(f->s, sql, &e))) {
		fprintf(stderr, "%s\n", e.msg);
		free(f);
		return -1;
	}
	strcpy(f->a.login, "admin");
	strcpy(f->a.role, "admin");
	f->c = (struct ctx){ .store = f->s, .tool = "test", .action = "test", .actor = &f->a };
	strcpy(f->c.now, "2026-11-28T09:00:00Z");
	strcpy(f->c.today, "2026-11-28");
	*state = f;
	return 0;
}

/* For cmocka's teardown. */
static inline int fx_close(void **state)
{
	struct fx *f = *state;
	char p[200];
	if (fx_postgresql()) {
		store_discard(f->s);	/* the schema goes */
		free(f);
		return 0;
	}
	store_close(f->s);
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	free(f);
	return 0;
}

#endif
