/*
 * webreq.h: a request to the web cabinet and its answer, apart from any HTTP
 * server: method, path, cookies, client address and form body in; status,
 * cookies and a page out.
 */
#ifndef PORTAL_WEBREQ_H
#define PORTAL_WEBREQ_H

#include <stddef.h>
#include "html.h"

/* The session's cookie and the login form's CSRF token. A __Host- cookie must be Secure, so
 * with web.insecure_cookie=1 (plain HTTP on 127.0.0.1, for tests) they go without the prefix. */
#define WEB_COOKIE "__Host-portal"
#define WEB_LOGIN_COOKIE "__Host-portal-login"
#define WEB_COOKIE_PLAIN "portal"
#define WEB_LOGIN_COOKIE_PLAIN "portal-login"
#define WEB_BODY_MAX 8192			/* a form larger than this is 413 */

struct web_req {
	const char *method;		/* GET, HEAD, POST, ... */
	const char *path;
	const char *period;		/* ?period=NAME, NULL when not given */
	const char *sid;		/* the session cookie, NULL when none */
	const char *login_csrf;		/* the login form's cookie, NULL when none */
	const char *sid_plain;		/* the same without the __Host- prefix: only with web.insecure_cookie=1 */
	const char *login_csrf_plain;
	const char *client;		/* the client's address */
	const char *body;		/* application/x-www-form-urlencoded (POST) */
	size_t body_len;
	long long now;			/* the request's time (seconds since 1970) */
};

struct web_resp {
	struct page p;
	char cookies[2][256];		/* Set-Cookie values */
	int ncookies;
	const char *allow;		/* 405: the methods the path takes */
	char *data;			/* a non-HTML answer (a PDF), malloc'd: sent instead of p.body, with
					 * p.content_type; NULL for a page */
	size_t data_len;
	char disposition[160];		/* Content-Disposition of data ("" none) */
	char warning[600];		/* for the server's log ("" none): the answer stands */
};

/* The value of field name in a form body, percent-decoded, into out: 0, or -1 when absent or
 * longer than n - 1. */
int web_form_value(const char *body, size_t len, const char *name, char *out, size_t n);

#endif
