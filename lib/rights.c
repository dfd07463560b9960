/*
 * rights.c: the rights a row reaches through a second key (see rights.h).
 */
#include <stdio.h>
#include <string.h>

#include "actor.h"
#include "audit.h"
#include "i18n.h"
#include "rights.h"
#include "util.h"
#include "values.h"

/* The first class of the guardian's children the actor may not write into other ("" when
 * none); *nkids the number of children. */
static int guardian_blocked(struct ctx *c, const char *guardian, char other[64], long *nkids, struct perr *e)
{
	struct stmt *st = store_query(c->store, e,
		/* DISTINCT: the order's key is selected too (PostgreSQL orders DISTINCT rows by their columns) */
		"SELECT DISTINCT s.class, k.sort_key FROM guardian_links l JOIN students s ON s.student_id = l.student_id "
		"JOIN classes k ON k.name = s.class WHERE l.guardian_id = $1 AND " FACT_VALID("l")
		" ORDER BY k.sort_key, s.class", P_TEXT(guardian));
	if (!st)
		return e->status;
	int rc;
	*other = '\0';
	*nkids = 0;
	while ((rc = stmt_step(st, e)) == 1) {
		const char *cls = stmt_text(st, 0);
		(*nkids)++;
		if (!*other && actor_may_write_class(c->actor, cls, NULL, NULL))
			str_copy(other, 64, cls);
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

int rights_guardian_may(struct ctx *c, const char *guardian, struct perr *e)
{
	char other[64];
	long nkids;
	if (actor_is(c->actor, "admin"))
		return 1;
	int rc = guardian_blocked(c, guardian, other, &nkids, e);
	if (rc)
		return -rc;
	return nkids && !*other;
}

int rights_guardian(struct ctx *c, const char *guardian, const char *right, struct perr *e)
{
	char other[64];
	long nkids;
	const struct actor *a = c->actor;
	if (actor_is(a, "admin"))
		return 0;
	int rc = guardian_blocked(c, guardian, other, &nkids, e);
	if (rc)
		return rc;
	if (!nkids)
		return perr_set(e, EX_NOPERM, "not permitted: %s (%s) lacks the right to %s of guardian %s: "
				"the guardian has no child in a class, and only an admin has it",
				a ? a->login : "-", a ? a->role : "-", _(right), guardian);
	if (*other)
		return perr_set(e, EX_NOPERM, "not permitted: %s (%s) lacks the right to %s of guardian %s: "
				"a child of theirs is in class %s; only an admin, or who may write every class of the "
				"guardian's children, has it", a ? a->login : "-", a ? a->role : "-", _(right), guardian, other);
	return 0;
}
