/*
 * known.c: whether the store has the class, subject or period a command
 * names; when not, the message lists what it has (see known.h).
 */
#include <string.h>

#include "known.h"
#include "subjects.h"
#include "util.h"

enum { NAMES_SHOWN = 40 };	/* a school's classes fit; more is cut with "…" */

struct names {
	struct sbuf b;
	int n;
};

static int add_name(void *ctx, struct stmt *st, struct perr *e)
{
	struct names *ns = ctx;
	if (ns->n++ == NAMES_SHOWN) {
		sbuf_adds(&ns->b, ", …");
		return 0;
	}
	if (ns->n > NAMES_SHOWN)
		return 0;
	if (ns->b.len)
		sbuf_adds(&ns->b, ", ");
	sbuf_adds(&ns->b, stmt_text(st, 0));
	return 0;
}

/* 65: opt value is not one the store has; the message lists those it has (sql, one column). */
static int unknown(struct store *s, const char *opt, const char *value, const char *what, const char *sql,
		   const char *how_to_add, struct perr *e)
{
	struct names ns = { .n = 0 };
	sbuf_init(&ns.b);
	int rc = store_each(s, e, add_name, &ns, sql);
	if (!rc && ns.n)
		rc = perr_set(e, EX_DATAERR, "%s \"%s\": no such %s in this store (it has %s)", opt, value, what, ns.b.s);
	else if (!rc)
		rc = perr_set(e, EX_DATAERR, "%s \"%s\": no such %s in this store (it has none yet: %s)", opt, value, what,
			      how_to_add);
	sbuf_free(&ns.b);
	return rc;
}

int known_class(struct store *s, const char *opt, const char *cls, struct perr *e)
{
	int rc = store_exists(s, e, "SELECT 1 FROM classes WHERE name = $1", P_TEXT(cls));
	if (rc < 0)
		return -rc;
	if (rc)
		return 0;
	return unknown(s, opt, cls, "class", "SELECT name FROM classes ORDER BY sort_key, name",
		       "portal-accounts import students brings them", e);
}

int known_subject(struct store *s, const char *opt, const char *name, int64_t *id, struct perr *e)
{
	int rc = subject_find(s, name, id, e);
	if (rc || *id)
		return rc;
	return unknown(s, opt, name, "subject", "SELECT name FROM subjects ORDER BY name_key",
		       "the journal's imports bring them", e);
}

int known_period(struct store *s, const char *opt, const char *name, char start[11], char end[11], struct perr *e)
{
	int rc = store_get(s, e, "SELECT start_date, end_date FROM periods WHERE name = $1", P_TEXT(name),
			   INTO_TEXT(start, 11), INTO_TEXT(end, 11));
	if (rc < 0)
		return -rc;
	if (rc)
		return 0;
	return unknown(s, opt, name, "period", "SELECT name FROM periods ORDER BY start_date",
		       "portal-journal periods import sets them", e);
}
