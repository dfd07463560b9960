/*
 * webapp.h: the web cabinet's pages, apart from any HTTP server: a request
 * as its method, path, cookies, client address and form body goes in, a page
 * (status, cookies, HTML) comes out. cmd/portal-web.c carries them over HTTP.
 * Each request opens its own connection to the store.
 */
#ifndef PORTAL_WEBAPP_H
#define PORTAL_WEBAPP_H

#include "webreq.h"

/* Answers r from the store at db; never fails: an error is a page of its own (500, 503). */
void webapp_handle(const char *db, const struct web_req *r, struct web_resp *out);
void web_resp_free(struct web_resp *out);

#endif
