/*
 * breach.h: a compromised login. Registering it locks the login, records when
 * it was found and reported, the deadline (end of the first business day after
 * discovery, by the store's production calendar) and whether the report was
 * late, and invalidates every operation done with the login at or after the report.
 */
#ifndef PORTAL_BREACH_H
#define PORTAL_BREACH_H

#include "invalidate.h"
#include "rowfn.h"

struct breach {
	const char *login;
	const char *discovered_at;	/* UTC timestamps, canonical */
	const char *reported_at;
	const char *reported_to;
};

extern const struct out_col breach_cols[];
extern const size_t breach_ncols;

int breach_register(struct ctx *c, const struct breach *b, long *invalidated, invalid_fn fn, void *fctx, struct perr *e);
/* The owner of login reports it leaked themself (the web cabinet): found and reported now, to
 * reported_to; the same lock, deadline and invalidation, with no admin right needed but the
 * actor's login must be login (77 otherwise). */
int breach_self_report(struct ctx *c, const char *login, const char *reported_to, long *invalidated, invalid_fn fn,
		       void *fctx, struct perr *e);
int breach_list(struct ctx *c, invalid_fn fn, void *fctx, struct perr *e);

#endif
