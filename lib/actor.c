/*
 * actor.c: resolving the acting staff member and the rules of SPEC §3.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actor.h"
#include "i18n.h"
#include "util.h"
#include "values.h"

static int load_classes(struct store *s, struct actor *a, struct perr *e)
{
	struct stmt *st = store_query(s, e, "SELECT class FROM staff_classes WHERE staff_id = $1 ORDER BY " CLASS_ORDER("class"),
				      P_TEXT(a->staff_id));
	if (!st)
		return e->status;
	int rc;
	while ((rc = stmt_step(st, e)) == 1) {
		a->classes = xrealloc(a->classes, (a->nclasses + 1) * sizeof *a->classes);
		a->classes[a->nclasses++] = xstrdup(stmt_text(st, 0));
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

/* Who connected, as the store knows it: on PostgreSQL the authenticated database role. */
struct principal {
	int role;		/* 1: a database role that does not own the school */
	int anyone;		/* may act as anyone */
	char name[128];		/* that role, or the OS user: who acts when no login is named */
};

/* Root and the owner of the store's file (cron, the admin's scripts) may act as anyone: they can
 * write the file itself. On PostgreSQL the database is the boundary: a role that owns the school's
 * schema acts as anyone, any other role only as the staff member whose os_user it is, wherever
 * the command runs. */
static void principal_of(struct store *s, struct principal *p)
{
	long owner;
	int r = store_role(s, p->name, sizeof p->name);
	p->role = r == 0;
	if (p->role)
		return;
	/* the school's owner acts as anyone, and by default as the OS user, as on SQLite */
	uid_t me = geteuid();
	p->anyone = r == 1 || me == 0 || (store_file_owner(s, &owner) == 0 && (long)me == owner);
	const char *name = os_user_name();
	str_copy(p->name, sizeof p->name, name ? name : "");
}

/* SPEC §3: the actor is a claim, checked. Another OS user (on PostgreSQL: another database role)
 * may act only as the staff member whose os_user is that user (role). */
static int check_claim(const struct principal *p, const char *login, const char *os_user, struct perr *e)
{
	if (p->anyone)
		return 0;
	if (*p->name && os_user && strcmp(p->name, os_user) == 0)
		return 0;
	if (p->role)
		return perr_set(e, EX_NOPERM,
				"not permitted: the database role %s does not own the school, so it may act only as the staff "
				"member whose os_user is %s, not as %s (an admin sets os_user in the staff list)",
				p->name, p->name, login);
	if (!*p->name)
		return perr_set(e, EX_NOPERM, "not permitted: the OS user %ld has no name, and is neither root nor the owner of the store's file",
				(long)geteuid());
	return perr_set(e, EX_NOPERM,
			"not permitted: the OS user %s is neither root nor the owner of the store's file, so it may act only as "
			"the staff member whose os_user is %s, not as %s (an admin sets os_user in the staff list)",
			p->name, p->name, login);
}

int account_check_active(struct store *s, const char *login, struct perr *e)
{
	char reason[256];
	int rc = store_get(s, e, "SELECT locked_reason FROM accounts WHERE login = $1 AND locked = 1", P_TEXT(login),
			   INTO_TEXT(reason, sizeof reason));
	if (rc < 0)
		return -rc;
	if (rc == 1)
		return perr_set(e, EX_NOPERM, "not permitted: the login %s is locked (%s)", login, reason);
	return 0;
}

int actor_load(struct store *s, const char *login, struct actor **out, struct perr *e)
{
	*out = NULL;
	struct principal p = { 0 };
	principal_of(s, &p);
	/* with no login given, the actor is who connected: the OS user, or the database role */
	const char *who = login && *login ? login : *p.name ? p.name : NULL;
	if (!who)
		return perr_set(e, EX_NOPERM, "not permitted: no actor (give --actor LOGIN or set PORTAL_ACTOR)");
	/* a staff member found by os_user may have no login: they act under the OS login ($1) */
	const char *sql = login && *login
		? "SELECT staff_id, COALESCE(login, $1), role, last_name || ' ' || first_name, status, os_user FROM staff "
		  "WHERE login = $1"
		: "SELECT staff_id, COALESCE(login, $1), role, last_name || ' ' || first_name, status, os_user FROM staff "
		  "WHERE os_user = $1 OR login = $1 ORDER BY (os_user = $1) DESC, staff_id LIMIT 1";
	struct actor *a = xcalloc(1, sizeof *a);
	char status[16], os_user[256];
	int rc = store_get(s, e, sql, P_TEXT(who), INTO_TEXT(a->staff_id, sizeof a->staff_id),
			   INTO_TEXT(a->login, sizeof a->login), INTO_TEXT(a->role, sizeof a->role),
			   INTO_TEXT(a->name, sizeof a->name), INTO_TEXT(status, sizeof status),
			   INTO_TEXT(os_user, sizeof os_user));
	if (rc < 0)
		rc = -rc;
	else if (rc == 0 && p.role && !(login && *login))
		rc = perr_set(e, EX_NOPERM, "not permitted: the database role %s is no staff member's os_user in this "
			      "store (an admin sets os_user in the staff list)", who);
	else if (rc == 0)
		rc = login && *login ? perr_set(e, EX_NOPERM, "not permitted: \"%s\" is not a staff login of this store", who)
				     : perr_set(e, EX_NOPERM, "not permitted: \"%s\" is not a staff login of this store "
						"(give --actor LOGIN or set PORTAL_ACTOR)", who);
	else if (!(rc = check_claim(&p, a->login, *os_user ? os_user : NULL, e)) && strcmp(status, "active") != 0)
		rc = perr_set(e, EX_NOPERM, "not permitted: staff login %s is no longer active", who);
	if (!rc)
		rc = account_check_active(s, a->login, e);
	if (!rc)
		rc = load_classes(s, a, e);
	if (rc) {
		actor_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

void actor_free(struct actor *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->nclasses; i++)
		free(a->classes[i]);
	free(a->classes);
	free(a);
}

int actor_is(const struct actor *a, const char *role)
{
	return a && strcmp(a->role, role) == 0;
}

int actor_leads(const struct actor *a, const char *cls)
{
	for (size_t i = 0; a && i < a->nclasses; i++)
		if (strcmp(a->classes[i], cls) == 0)
			return 1;
	return 0;
}

int actor_require_admin(const struct actor *a, const char *right, struct perr *e)
{
	if (actor_is(a, "admin"))
		return 0;
	return perr_set(e, EX_NOPERM, "not permitted: %s (%s) lacks the right to %s: only an admin has it",
			a ? a->login : "-", a ? a->role : "-", _(right));
}

int actor_may_write_class(const struct actor *a, const char *cls, const char *right, struct perr *e)
{
	if (actor_is(a, "admin"))
		return 0;
	if (actor_is(a, "class_leader") && actor_leads(a, cls))
		return 0;
	return perr_set(e, EX_NOPERM,
			"not permitted: %s (%s) lacks the right to %s of class %s: only an admin or the class leader of %s has it",
			a ? a->login : "-", a ? a->role : "-", right ? _(right) : "", cls, cls);
}

int actor_may_read_all(const struct actor *a)
{
	return actor_is(a, "admin") || actor_is(a, "deputy");
}

int actor_may_read_class(const struct actor *a, const char *cls, struct perr *e)
{
	if (actor_may_read_all(a) || actor_leads(a, cls))
		return 0;
	return perr_set(e, EX_NOPERM, "not permitted: %s (%s) lacks the right to read class %s",
			a ? a->login : "-", a ? a->role : "-", cls);
}
