/*
 * websession.h: sessions of the web cabinet, kept in the store so that any
 * portal-web process serving it knows them. A session id is 256 bits from
 * the CSPRNG, given to the browser once and kept only as its hash; a new one
 * at every login; it ends after web.session_idle seconds without a request,
 * web.session_max seconds after the login, at logout, at a password change
 * (with every other session of the login), and at the next request once the
 * account is locked (a breach locks it too). Failed logins are throttled by
 * login and by client address.
 */
#ifndef PORTAL_WEBSESSION_H
#define PORTAL_WEBSESSION_H

#include "ctx.h"
#include "rowfn.h"

#define WEB_TOKEN_HEX 65	/* 256 bits in hex and its NUL */
/* Failed logins within WEB_FAIL_WINDOW seconds that stop more attempts: of one login, of one client. */
#define WEB_FAIL_WINDOW 900
#define WEB_FAIL_PER_LOGIN 5
#define WEB_FAIL_PER_CLIENT 20

struct web_user {
	char login[96];
	char kind[10];		/* student | guardian | staff */
	char person[64];
	int must_change;
	char csrf[WEB_TOKEN_HEX];
	char sid_hash[WEB_TOKEN_HEX];
};

enum web_login_result { WL_OK, WL_BAD, WL_THROTTLED };

/* A fresh random token (256 bits, hex). */
void web_token(char out[WEB_TOKEN_HEX]);

/* Whether login or client has used up its failed attempts (reads only). */
int web_login_throttled(struct ctx *c, const char *login, const char *client, int *throttled, struct perr *e);
/* Checks the password as portal-accounts verify does (no transaction: the hash is slow).
 * *ok 1 for a match of an unlocked account. */
int web_login_check(struct ctx *c, const char *login, const char *password, int *ok, struct perr *e);
/* Records the outcome inside the caller's write transaction, audited: a failure (or a refusal
 * while throttled) as an attempt; a success as a new session whose id goes to sid. */
int web_login_record(struct ctx *c, const char *login, const char *client, enum web_login_result r,
		     char sid[WEB_TOKEN_HEX], struct perr *e);

/* The live session of cookie value sid: *found 0 when there is none (unknown, expired, the
 * account locked); an expired or locked one is deleted (its own statement when the caller has
 * no transaction). */
int web_session_find(struct ctx *c, const char *sid, const char *client, struct web_user *u, int *found,
		     struct perr *e);
/* The session found is in use: its last_seen moves to now. In the caller's write transaction. */
int web_session_touch(struct ctx *c, const struct web_user *u, struct perr *e);
/* Ends one session (logout), audited. */
int web_session_end(struct ctx *c, const struct web_user *u, struct perr *e);
/* Ends every session of login; *n = how many. Audited when any. */
int web_sessions_end_login(struct ctx *c, const char *login, long *n, struct perr *e);
/* Changes the password of u (the current one checked by the caller; account_passwd's rules),
 * ends every session of the login and opens a new one into sid. */
int web_passwd(struct ctx *c, const struct web_user *u, const char *password, const char *client,
	       char sid[WEB_TOKEN_HEX], struct perr *e);

/* The live sessions (portal-web sessions), admins only. */
extern const struct out_col web_session_cols[];
extern const size_t web_session_ncols;
int web_sessions_list(struct ctx *c, row_fn fn, void *fctx, struct perr *e);
/* portal-web revoke: ends every session of login (admins only, 77 otherwise). */
int web_revoke(struct ctx *c, const char *login, long *n, struct perr *e);
/* The settings: idle and absolute lifetime in seconds, whether the cookie may go without Secure. */
int web_settings(struct store *s, long *idle, long *max, int *insecure, struct perr *e);

#endif
