/*
 * breach.c: registering leaked logins and listing them.
 */
#include <stdio.h>
#include <string.h>

#include "accounts.h"
#include "actor.h"
#include "audit.h"
#include "breach.h"
#include "calendar.h"
#include "config.h"
#include "extract.h"
#include "journal.h"
#include "roster.h"
#include "values.h"

const struct out_col breach_cols[] = { { "login", COL_TEXT }, { "discovered_at", COL_TEXT },
	{ "reported_at", COL_TEXT }, { "reported_to", COL_TEXT }, { "deadline", COL_TEXT }, { "late", COL_NUMBER },
	{ "invalidated", COL_NUMBER } };
const size_t breach_ncols = 7;

/* The deadline date and whether the report came after its end, both in the school's time zone. */
static int deadline_of(struct ctx *c, const struct breach *b, char deadline[11], int *late, struct perr *e)
{
	char tz[64];
	long long found, reported;
	long next;
	int rc = config_get(c->store, "school.timezone", tz, sizeof tz, e);
	if (rc)
		return rc;
	ts_parse_utc(b->discovered_at, &found);
	ts_parse_utc(b->reported_at, &reported);
	if ((rc = calendar_next_workday(c->store, ts_local_days(found, tz), &next, e)))
		return rc;
	date_format_iso(next, deadline);
	*late = ts_local_days(reported, tz) > next;
	return 0;
}

/* The leaked login stops working: its account is locked (a staff login without one gets a locked one). */
static int lock_login(struct ctx *c, const char *login, int64_t seq, struct perr *e)
{
	int rc = account_staff_row(c, login, e);
	if (rc)
		return rc;
	return store_run(c->store, e, "UPDATE accounts SET locked = 1, locked_reason = 'breach', audit_seq = $2 WHERE login = $1",
			 P_TEXT(login), P_INT(seq));
}

/* How each kind of fact a leaked login wrote is undone, from the modules that own the facts. */
static void undo_table_fill(struct undo_table *t)
{
	accounts_register_undo(t);
	roster_register_undo(t);
	jimport_register_undo(t, journal_kinds);
	extract_register_undo(t);
}

static int do_register(struct ctx *c, const struct breach *b, long *invalidated, invalid_fn fn, void *fctx,
		       struct perr *e)
{
	char deadline[11];
	int late, rc;
	int64_t seq;
	if (strcmp(b->reported_at, b->discovered_at) < 0)
		return perr_set(e, EX_DATAERR, "--reported-at %s is before --discovered-at %s (expected a report after the discovery)",
				b->reported_at, b->discovered_at);
	if (strcmp(b->reported_at, c->now) > 0)
		return perr_set(e, EX_DATAERR, "--reported-at %s is in the future (now is %s)", b->reported_at, c->now);
	rc = store_exists(c->store, e, "SELECT 1 FROM breaches WHERE login = $1 AND discovered_at = $2",
			  P_TEXT(b->login), P_TEXT(b->discovered_at));
	if (rc < 0)
		return -rc;
	if (rc == 1)
		return perr_set(e, EX_DATAERR, "%s: a leak discovered at %s is already registered (see portal-accounts breaches)",
				b->login, b->discovered_at);
	if ((rc = deadline_of(c, b, deadline, &late, e)))
		return rc;
	struct change ch;
	change_begin(&ch, c, "breach", "login", b->login);
	change_field(&ch, "discovered_at", NULL, b->discovered_at);
	change_field(&ch, "reported_at", NULL, b->reported_at);
	change_field(&ch, "reported_to", NULL, b->reported_to);
	change_field(&ch, "deadline", NULL, deadline);
	change_field(&ch, "late", NULL, late ? "1" : "0");
	if ((rc = change_commit(&ch, &seq, e)) || (rc = lock_login(c, b->login, seq, e)))
		return rc;
	char reason[256];
	snprintf(reason, sizeof reason, "login %s reported leaked at %s", b->login, b->reported_at);
	struct undo_table undo = { 0 };
	undo_table_fill(&undo);
	rc = invalidate_since(c, &undo, b->login, b->reported_at, reason, seq, invalidated, fn, fctx, e);
	invalidate_table_free(&undo);
	if (rc)
		return rc;
	return store_run(c->store, e,
		"INSERT INTO breaches (login, discovered_at, reported_at, reported_to, deadline, late, invalidated, audit_seq) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", P_TEXT(b->login), P_TEXT(b->discovered_at), P_TEXT(b->reported_at),
		P_TEXT(b->reported_to), P_TEXT(deadline), P_INT(late), P_INT(*invalidated), P_INT(seq));
}

int breach_register(struct ctx *c, const struct breach *b, long *invalidated, invalid_fn fn, void *fctx, struct perr *e)
{
	int rc = actor_require_admin(c->actor, "register a leaked login", e);
	return rc ? rc : do_register(c, b, invalidated, fn, fctx, e);
}

int breach_self_report(struct ctx *c, const char *login, const char *reported_to, long *invalidated, invalid_fn fn,
		       void *fctx, struct perr *e)
{
	if (!c->actor || strcmp(c->actor->login, login) != 0)
		return perr_set(e, EX_NOPERM, "not permitted: %s may report only their own login as leaked, not %s",
				c->actor ? c->actor->login : "-", login);
	struct breach b = { login, c->now, c->now, reported_to };
	return do_register(c, &b, invalidated, fn, fctx, e);
}

int breach_list(struct ctx *c, invalid_fn fn, void *fctx, struct perr *e)
{
	if (!actor_may_read_all(c->actor))
		return perr_set(e, EX_NOPERM, "not permitted: %s (%s) lacks the right to read leaked logins: admins and deputies have it",
				c->actor->login, c->actor->role);
	return store_rows(c->store, e, fn, fctx,
			  "SELECT login, discovered_at, reported_at, reported_to, deadline, late, invalidated FROM breaches "
			  "ORDER BY discovered_at, breach_id");
}
