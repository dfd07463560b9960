/*
 * known.c: whether the store has the class, subject or period a command
 * names; when not, the message lists what it has (see known.h).
 */
#include <string.h>

#include "i18n.h"
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

/* 65: opt value is not one the store has; the message lists those it has (sql, one column).
 * some: N_() "OPT \"VALUE\": no such … (it has NAMES)"; none: N_() "… (it has none yet: …)". */
static int unknown(struct store *s, const char *opt, const char *value, const char *some, const char *none,
		   const char *sql, struct perr *e)
{
	struct names ns = { .n = 0 };
	sbuf_init(&ns.b);
	int rc = store_each(s, e, add_name, &ns, sql);
	if (!rc && ns.n)
		rc = perr_set(e, EX_DATAERR, some, opt, value, ns.b.s);
	else if (!rc)
		rc = perr_set(e, EX_DATAERR, none, opt, value);
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
	return unknown(s, opt, cls, N_("%s \"%s\": no such class in this store (it has %s)"),
		       N_("%s \"%s\": no such class in this store (it has none yet: portal-accounts import students brings them)"),
		       "SELECT name FROM classes ORDER BY sort_key, name", e);
}

int known_subject(struct store *s, const char *opt, const char *name, int64_t *id, struct perr *e)
{
	int rc = subject_find(s, name, id, e);
	if (rc || *id)
		return rc;
	return unknown(s, opt, name, N_("%s \"%s\": no such subject in this store (it has %s)"),
		       N_("%s \"%s\": no such subject in this store (it has none yet: the journal's imports bring them)"),
		       "SELECT name FROM subjects ORDER BY name_key", e);
}

int known_period(struct store *s, const char *opt, const char *name, char start[11], char end[11], struct perr *e)
{
	int rc = store_get(s, e, "SELECT start_date, end_date FROM periods WHERE name = $1", P_TEXT(name),
			   INTO_TEXT(start, 11), INTO_TEXT(end, 11));
	if (rc < 0)
		return -rc;
	if (rc)
		return 0;
	return unknown(s, opt, name, N_("%s \"%s\": no such period in this store (it has %s)"),
		       N_("%s \"%s\": no such period in this store (it has none yet: portal-journal periods import sets them)"),
		       "SELECT name FROM periods ORDER BY start_date", e);
}
