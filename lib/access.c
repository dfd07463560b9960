/*
 * access.c: the access log of the web cabinet: appended at each view of a
 * person's data, listed for admins and deputies.
 */
#include <stdio.h>

#include "access.h"
#include "actor.h"
#include "audit.h"
#include "config.h"
#include "ids.h"
#include "values.h"

const struct out_col access_list_cols[] = { { "seq", COL_NUMBER }, { "at", COL_TEXT }, { "login", COL_TEXT },
	{ "student_id", COL_TEXT }, { "page", COL_TEXT }, { "client", COL_TEXT } };
const size_t access_list_ncols = 6;

int access_log_view(struct ctx *c, const char *login, const char *student, const char *page, const char *client,
		    struct perr *e)
{
	return store_run(c->store, e,
		"INSERT INTO access_log (login, student_id, page, at, client) VALUES ($1, $2, $3, $4, $5)",
		P_TEXT(login), P_TEXT(student), P_TEXT(page), P_TEXT(c->now), P_TEXT(client ? client : ""));
}

/* The views, PICKED the condition of the people given (or "1 = 1"). */
#define ACCESS_SQL(picked) \
	"SELECT a.seq, a.at, a.login, a.student_id, a.page, a.client FROM access_log a " \
	"WHERE (a.student_id = $1 OR $1 IS NULL) AND (a.login = $2 OR $2 IS NULL) AND (a.at >= $3 OR $3 IS NULL) " \
	"AND " picked " ORDER BY a.seq"

int access_list(struct ctx *c, const char *student, const char *login, const char *since, row_fn fn, void *fctx,
		struct perr *e)
{
	char tz[64], d[11], from[21] = "";
	const char *why;
	int rc;
	if (!actor_may_read_all(c->actor))
		return perr_set(e, EX_NOPERM, "not permitted: %s (%s) lacks the right to read the access log: "
				"admins and deputies have it", c->actor->login, c->actor->role);
	if (since) {
		if ((rc = config_get(c->store, "school.timezone", tz, sizeof tz, e)))
			return rc;
		if (value_date(since, d, &why) == 0)
			snprintf(from, sizeof from, "%sT00:00:00Z", d);
		else if (value_timestamp(since, tz, from, &why))
			return perr_set(e, EX_USAGE, "--since \"%s\" %s", since, why);
	}
	return store_rows(c->store, e, fn, fctx, c->picked ? ACCESS_SQL(IDS_PICKED_STUDENT("a.student_id")) : ACCESS_SQL("1 = 1"),
			  P_TEXT(student), P_TEXT(login), P_TEXT(*from ? from : NULL));
}

int access_each_of_guardian(struct ctx *c, const char *guardian, long limit, access_view_fn fn, void *fctx,
			    struct perr *e)
{
	struct stmt *st = store_query(c->store, e,
		"SELECT a.at, a.login, a.student_id, s.last_name || ' ' || s.first_name, a.page FROM access_log a "
		"JOIN students s ON s.student_id = a.student_id WHERE a.student_id IN (SELECT l.student_id FROM guardian_links l "
		"WHERE l.guardian_id = $1 AND " FACT_VALID("l") ") ORDER BY a.seq DESC LIMIT $2", P_TEXT(guardian), P_INT(limit));
	int rc;
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1) {
		struct access_view v = { stmt_text(st, 0), stmt_text(st, 1), stmt_text(st, 2), stmt_text(st, 3), stmt_text(st, 4) };
		if ((rc = fn(fctx, &v)))
			break;
	}
	stmt_reset(st);
	return rc < 0 ? -rc : rc;
}
