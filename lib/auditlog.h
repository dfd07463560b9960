/*
 * auditlog.h: the audit log as a list (portal-db audit, later the web cabinet):
 * who may read it, its filters, its rows in order.
 */
#ifndef PORTAL_AUDITLOG_H
#define PORTAL_AUDITLOG_H

#include "ctx.h"
#include "rowfn.h"

extern const struct out_col audit_list_cols[];
extern const size_t audit_list_ncols;

struct audit_filter {
	const char *actor;	/* NULL: every actor */
	char since[21];		/* "" or a UTC timestamp */
	int invalid;		/* only records declared invalid */
};

/* Checks that c's actor may read the log (77) and reads since (a date or a timestamp in the
 * school's time zone; NULL for none; 64 when it is neither) into f. */
int audit_filter_set(struct ctx *c, struct audit_filter *f, const char *actor, const char *since, int invalid,
		     struct perr *e);
/* The records f lets through, oldest first, one fn call each with audit_list_cols. */
int audit_list(struct ctx *c, const struct audit_filter *f, store_row_fn fn, void *fctx, struct perr *e);

#endif
