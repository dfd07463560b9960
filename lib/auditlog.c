/*
 * auditlog.c: the audit log as a list: who may read it, the filters of
 * portal-db audit, and its rows with whether each record still counts.
 */
#include <stdio.h>

#include "actor.h"
#include "auditlog.h"
#include "config.h"
#include "values.h"

const struct out_col audit_list_cols[] = { { "seq", COL_NUMBER }, { "at", COL_TEXT }, { "actor", COL_TEXT },
	{ "tool", COL_TEXT }, { "action", COL_TEXT }, { "object", COL_TEXT }, { "detail", COL_TEXT },
	{ "valid", COL_NUMBER }, { "invalid_reason", COL_TEXT } };
const size_t audit_list_ncols = 9;

int audit_filter_set(struct ctx *c, struct audit_filter *f, const char *actor, const char *since, int invalid,
		     struct perr *e)
{
	char tz[64], d[11];
	const char *why;
	int rc;
	f->actor = actor;
	f->since[0] = '\0';
	f->invalid = invalid;
	if (!actor_may_read_all(c->actor))
		return perr_set(e, EX_NOPERM, "not permitted: %s (%s) lacks the right to read the audit log: admins and deputies have it",
				c->actor->login, c->actor->role);
	if (!since)
		return 0;
	if ((rc = config_get(c->store, "school.timezone", tz, sizeof tz, e)))
		return rc;
	if (value_date(since, d, &why) == 0)
		snprintf(f->since, sizeof f->since, "%sT00:00:00Z", d);
	else if (value_timestamp(since, tz, f->since, &why))
		return perr_set(e, EX_USAGE, "--since \"%s\" %s", since, why);
	return 0;
}

int audit_list(struct ctx *c, const struct audit_filter *f, store_row_fn fn, void *fctx, struct perr *e)
{
	return store_rows(c->store, e, fn, fctx,
		"SELECT a.seq, a.at, a.actor, a.tool, a.action, a.object, a.detail, "
		"CASE WHEN i.seq IS NULL THEN '1' ELSE '0' END, i.reason "
		"FROM audit a LEFT JOIN audit_invalid i ON i.seq = a.seq "
		"WHERE (a.actor = $1 OR $1 IS NULL) AND (a.at >= $2 OR $2 IS NULL) AND ($3 = 0 OR i.seq IS NOT NULL) "
		"ORDER BY a.seq", P_TEXT(f->actor), P_TEXT(*f->since ? f->since : NULL), P_INT(f->invalid));
}
