/*
 * invalidate.h: declaring audit records invalid (a leaked login) and making
 * their facts stop counting. What a record did is undone by the function the
 * module owning its kind of object registered (compensating changes, themselves
 * audited); a kind nobody registered needs none: links and memberships it made
 * drop out of every list by their audit_seq. This module names none of them.
 */
#ifndef PORTAL_INVALIDATE_H
#define PORTAL_INVALIDATE_H

#include <stdint.h>
#include "ctx.h"

/* One invalidated record: seq, at, actor, tool, action, object, undo_error ("" when what it
 * did was undone or stops counting by itself; else why it could not be undone). */
typedef int (*invalid_fn)(void *ctx, const char *const *vals, size_t n);

/* The record being undone and the leaked login it was done with. */
struct undo {
	int64_t seq;
	const char *login;
};

/* Undoes what record u did to the object id of the kind it was registered for (detail: the
 * record's JSON), while it still stands; 0 when nothing of it is left to undo. Any other
 * status but a busy or broken store is kept as why the record could not be undone, with
 * e's message. arg: what the owner registered with it. */
typedef int (*undo_fn)(struct ctx *c, const struct undo *u, const char *id, const char *detail, const void *arg,
		       struct perr *e);

/* How each kind of object is undone, filled by the modules that own the facts before a breach
 * runs (zero-initialised; the first entry of a kind counts). */
struct undo_table {
	struct undo_entry {
		const char *kind;	/* the audit log's object kind: account, student, mark */
		undo_fn fn;
		const void *arg;
	} *v;
	size_t n, cap;
};
void invalidate_register(struct undo_table *t, const char *kind, undo_fn fn, const void *arg);
void invalidate_table_free(struct undo_table *t);

/* A table whose fields the records of one kind change (the roster's people): invalidate_fields,
 * registered with it as arg, puts back each field that still holds what the record wrote. */
struct undo_fields {
	const char *kind, *table, *idcol;
	const char *fields[12];		/* the fields a record may change; the rest of its detail is ignored */
	int leaves;			/* an object the record added has left (status, left_on), not deleted */
};
int invalidate_fields(struct ctx *c, const struct undo *u, const char *id, const char *detail, const void *arg,
		      struct perr *e);

/* Every valid record of login at or after since (UTC timestamp), newest first: marked invalid
 * and undone. A record that cannot be undone (a later change stands in the way) is reported
 * through fn and the rest goes on: what a leaked login did never stops its breach. */
int invalidate_since(struct ctx *c, const struct undo_table *undo, const char *login, const char *since,
		     const char *reason, int64_t by_seq, long *count, invalid_fn fn, void *fctx, struct perr *e);

#endif
