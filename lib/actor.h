/*
 * actor.h: who acts, and what their role lets them do (SPEC §3).
 * Refusals are 77 and name the missing right.
 */
#ifndef PORTAL_ACTOR_H
#define PORTAL_ACTOR_H

#include "ctx.h"

/* Resolves the actor: login given (--actor / PORTAL_ACTOR) matches staff.login;
 * with none, the OS login name matches staff.os_user or staff.login.
 * The login is a claim, checked: an OS user who is neither root nor the owner of the
 * store's file may act only as the staff member whose os_user is that OS user. On
 * PostgreSQL the authenticated role decides instead (store_role): the school's owner acts
 * as anyone, any other role as the staff member whose os_user it is, named or not.
 * 77 when nobody active matches, or the claim does not hold. */
int actor_load(struct store *s, const char *login, struct actor **out, struct perr *e);
void actor_free(struct actor *a);
/* 77 when login has a locked account (a breached or locked staff login acts no more). */
int account_check_active(struct store *s, const char *login, struct perr *e);

int actor_is(const struct actor *a, const char *role);
int actor_leads(const struct actor *a, const char *cls);
/* 0 when a may do what right names for everything (admin only); else 77. */
int actor_require_admin(const struct actor *a, const char *right, struct perr *e);
/* Writing the roster, groups, accounts, consents, extracts of class cls. right: what the refusal
 * names, "issue credentials" (marked for translation by the name of this function); NULL with e
 * NULL to ask only. */
int actor_may_write_class(const struct actor *a, const char *cls, const char *right, struct perr *e);
/* Reading a class: admin and deputy all; class leaders and teachers their classes. */
int actor_may_read_class(const struct actor *a, const char *cls, struct perr *e);
/* Reading everything (the audit log, all classes at once): admin and deputy. */
int actor_may_read_all(const struct actor *a);

#endif
