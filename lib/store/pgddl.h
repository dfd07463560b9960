/*
 * store/pgddl.h: a schema migration in PostgreSQL's dialect. The migrations share/schema/NNN-*.sql
 * are written in SQLite's, the one schema of both engines; lib/store/pg.c translates each with
 * pgddl_translate before it runs it. No libpq here, so that a unit test calls it as it is.
 */
#ifndef PORTAL_STORE_PGDDL_H
#define PORTAL_STORE_PGDDL_H

#include "err.h"
#include "util.h"

/* Appends the migration sql (the file name, for messages) in PostgreSQL's dialect to out: 0, or
 * EX_SOFTWARE and e naming the file, line and column of what the translation does not know. */
int pgddl_translate(const char *name, const char *sql, struct sbuf *out, struct perr *e);

#endif
