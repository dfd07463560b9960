/*
 * websession.c: sessions, logins and their throttling for the web cabinet
 * (see websession.h). The store holds only hashes of session ids.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "accounts.h"
#include "actor.h"
#include "audit.h"
#include "config.h"
#include "values.h"
#include "websession.h"

const struct out_col web_session_cols[] = { { "login", COL_TEXT }, { "kind", COL_TEXT }, { "created", COL_TEXT },
	{ "last_seen", COL_TEXT }, { "client", COL_TEXT } };
const size_t web_session_ncols = 5;

static void hex(const unsigned char *b, size_t n, char *out)
{
	sodium_bin2hex(out, n * 2 + 1, b, n);
}

void web_token(char out[WEB_TOKEN_HEX])
{
	unsigned char b[32];
	randombytes_buf(b, sizeof b);
	hex(b, sizeof b, out);
	sodium_memzero(b, sizeof b);
}

/* The hash the store keeps of a session id. */
static void sid_hash(const char *sid, char out[WEB_TOKEN_HEX])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)sid, strlen(sid), NULL, 0);
	hex(h, sizeof h, out);
}

static void ago(const struct ctx *c, long seconds, char out[21])
{
	ts_format_utc(c->now_epoch - seconds, out);
}

int web_settings(struct store *s, long *idle, long *max, int *insecure, struct perr *e)
{
	char v[32];
	int rc;
	if ((rc = config_get(s, "web.session_idle", v, sizeof v, e)))
		return rc;
	*idle = atol(v);
	if ((rc = config_get(s, "web.session_max", v, sizeof v, e)))
		return rc;
	*max = atol(v);
	if ((rc = config_get(s, "web.insecure_cookie", v, sizeof v, e)))
		return rc;
	*insecure = strcmp(v, "1") == 0;
	if (*idle < 60 || *max < 60)
		return perr_set(e, EX_CONFIG, "web.session_idle and web.session_max must be at least 60 seconds");
	return 0;
}

int web_login_throttled(struct ctx *c, const char *login, const char *client, int *throttled, struct perr *e)
{
	char since[21];
	int64_t by_login = 0, by_client = 0;
	ago(c, WEB_FAIL_WINDOW, since);
	int rc = store_get(c->store, e,
		"SELECT (SELECT count(*) FROM login_failures WHERE login = $1 AND at >= $3), "
		"(SELECT count(*) FROM login_failures WHERE client = $2 AND at >= $3)",
		P_TEXT(login), P_TEXT(client), P_TEXT(since), INTO_INT(&by_login), INTO_INT(&by_client));
	if (rc < 0)
		return -rc;
	*throttled = by_login >= WEB_FAIL_PER_LOGIN || by_client >= WEB_FAIL_PER_CLIENT;
	return 0;
}

int web_login_check(struct ctx *c, const char *login, const char *password, int *ok, struct perr *e)
{
	int rc = account_verify(c->store, login, password, e);
	if (rc > 1)
		return rc;
	*ok = rc == 0;
	return 0;
}

static int audit_web(struct ctx *c, const char *action, const char *login, const char *client, struct perr *e)
{
	struct sbuf d;
	char object[160];
	int64_t seq;
	const char *saved = c->action;
	sbuf_init(&d);
	sbuf_adds(&d, "{\"client\":");
	sbuf_add_json(&d, client ? client : "");
	sbuf_adds(&d, "}");
	snprintf(object, sizeof object, "account:%s", login);
	c->action = action;
	int rc = audit_append(c, object, d.s, &seq, e);
	c->action = saved;
	sbuf_free(&d);
	return rc;
}

static int session_new(struct ctx *c, const char *login, const char *client, char sid[WEB_TOKEN_HEX], struct perr *e)
{
	char h[WEB_TOKEN_HEX], csrf[WEB_TOKEN_HEX];
	web_token(sid);
	web_token(csrf);
	sid_hash(sid, h);
	return store_run(c->store, e,
		"INSERT INTO web_sessions (id_hash, login, created, last_seen, csrf, client) VALUES ($1, $2, $3, $3, $4, $5)",
		P_TEXT(h), P_TEXT(login), P_TEXT(c->now), P_TEXT(csrf), P_TEXT(client ? client : ""));
}

int web_login_record(struct ctx *c, const char *login, const char *client, enum web_login_result r,
		     char sid[WEB_TOKEN_HEX], struct perr *e)
{
	int rc;
	if (r != WL_OK) {
		if ((rc = store_run(c->store, e, "INSERT INTO login_failures (login, client, at) VALUES ($1, $2, $3)",
				    P_TEXT(login), P_TEXT(client ? client : ""), P_TEXT(c->now))))
			return rc;
		return audit_web(c, r == WL_THROTTLED ? "web login throttled" : "web login failed", login, client, e);
	}
	if ((rc = session_new(c, login, client, sid, e)))
		return rc;
	return audit_web(c, "web login", login, client, e);
}

int web_session_find(struct ctx *c, const char *sid, const char *client, struct web_user *u, int *found,
		     struct perr *e)
{
	char h[WEB_TOKEN_HEX], idle_since[21], max_since[21], created[21], last[21];
	long idle, max;
	int insecure, rc;
	int64_t locked = 0, must = 0;
	*found = 0;
	memset(u, 0, sizeof *u);
	if (!sid || strlen(sid) != WEB_TOKEN_HEX - 1)
		return 0;
	if ((rc = web_settings(c->store, &idle, &max, &insecure, e)))
		return rc;
	sid_hash(sid, h);
	rc = store_get(c->store, e,
		"SELECT w.login, w.created, w.last_seen, w.csrf, COALESCE(a.kind, ''), COALESCE(a.person_id, ''), "
		"COALESCE(a.locked, 1), COALESCE(a.must_change, 0) FROM web_sessions w "
		"LEFT JOIN accounts a ON a.login = w.login WHERE w.id_hash = $1", P_TEXT(h),
		INTO_TEXT(u->login, sizeof u->login), INTO_TEXT(created, sizeof created), INTO_TEXT(last, sizeof last),
		INTO_TEXT(u->csrf, sizeof u->csrf), INTO_TEXT(u->kind, sizeof u->kind),
		INTO_TEXT(u->person, sizeof u->person), INTO_INT(&locked), INTO_INT(&must));
	if (rc <= 0)
		return -rc;
	ago(c, idle, idle_since);
	ago(c, max, max_since);
	if (locked || strcmp(last, idle_since) < 0 || strcmp(created, max_since) < 0) {
		memset(u, 0, sizeof *u);
		return store_run(c->store, e, "DELETE FROM web_sessions WHERE id_hash = $1", P_TEXT(h));
	}
	str_copy(u->sid_hash, sizeof u->sid_hash, h);
	u->must_change = must != 0;
	*found = 1;
	return 0;
}

int web_session_touch(struct ctx *c, const struct web_user *u, struct perr *e)
{
	return store_run(c->store, e, "UPDATE web_sessions SET last_seen = $2 WHERE id_hash = $1", P_TEXT(u->sid_hash),
			 P_TEXT(c->now));
}

int web_session_end(struct ctx *c, const struct web_user *u, struct perr *e)
{
	int rc = store_run(c->store, e, "DELETE FROM web_sessions WHERE id_hash = $1", P_TEXT(u->sid_hash));
	return rc ? rc : audit_web(c, "web logout", u->login, NULL, e);
}

int web_sessions_end_login(struct ctx *c, const char *login, long *n, struct perr *e)
{
	int rc = store_run(c->store, e, "DELETE FROM web_sessions WHERE login = $1", P_TEXT(login));
	if (rc)
		return rc;
	*n = store_changes(c->store);
	return *n ? audit_web(c, "web sessions ended", login, NULL, e) : 0;
}

int web_passwd(struct ctx *c, const struct web_user *u, const char *password, const char *client,
	       char sid[WEB_TOKEN_HEX], struct perr *e)
{
	long n;
	int rc = account_passwd(c, u->login, password, e);
	if (rc || (rc = web_sessions_end_login(c, u->login, &n, e)))
		return rc;
	return session_new(c, u->login, client, sid, e);
}

int web_sessions_list(struct ctx *c, row_fn fn, void *fctx, struct perr *e)
{
	int rc = actor_require_admin(c->actor, "list web sessions", e);
	if (rc)
		return rc;
	return store_rows(c->store, e, fn, fctx,
		"SELECT w.login, COALESCE(a.kind, ''), w.created, w.last_seen, w.client FROM web_sessions w "
		"LEFT JOIN accounts a ON a.login = w.login ORDER BY w.login, w.created");
}

int web_revoke(struct ctx *c, const char *login, long *n, struct perr *e)
{
	int rc = actor_require_admin(c->actor, "end web sessions", e);
	return rc ? rc : web_sessions_end_login(c, login, n, e);
}
