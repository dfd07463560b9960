/*
 * webapp.h: the web cabinet's pages, apart from any HTTP server: a request
 * as its method, path, cookies, client address and form body goes in, a page
 * (status, cookies, HTML) comes out. cmd/portal-web.c carries them over HTTP.
 * A server thread keeps one connection to the store across its requests
 * (struct web_conn), so the statements it prepared stay prepared.
 */
#ifndef PORTAL_WEBAPP_H
#define PORTAL_WEBAPP_H

#include "webreq.h"

/* One thread's connection to the store, opened on its first request; used by that thread only. */
struct web_conn;
struct web_conn *web_conn_new(const char *db);
void web_conn_free(struct web_conn *wc);

/* Answers r on wc's connection; never fails: an error is a page of its own (500, 503), after
 * which the connection is closed and the next request opens it again. */
void webapp_serve(struct web_conn *wc, const struct web_req *r, struct web_resp *out);
/* The same on a connection of its own, opened and closed for this request. */
void webapp_handle(const char *db, const struct web_req *r, struct web_resp *out);
void web_resp_free(struct web_resp *out);

#endif
