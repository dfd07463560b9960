/*
 * invalidate.h: declaring audit records invalid (a leaked login) and making
 * their facts stop counting: field changes are undone by compensating changes,
 * themselves audited; a student it added is marked left; an account it issued
 * is locked; links and memberships it made drop out of every list.
 */
#ifndef PORTAL_INVALIDATE_H
#define PORTAL_INVALIDATE_H

#include <stdint.h>
#include "ctx.h"

/* One invalidated record: seq, at, actor, tool, action, object, undo_error ("" when what it
 * did was undone or stops counting by itself; else why it could not be undone). */
typedef int (*invalid_fn)(void *ctx, const char *const *vals, size_t n);

/* Every valid record of login at or after since (UTC timestamp), newest first: marked invalid
 * and undone. A record that cannot be undone (a later change stands in the way) is reported
 * through fn and the rest goes on: what a leaked login did never stops its breach. */
int invalidate_since(struct ctx *c, const char *login, const char *since, const char *reason, int64_t by_seq,
		     long *count, invalid_fn fn, void *fctx, struct perr *e);

#endif
