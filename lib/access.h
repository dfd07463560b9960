/*
 * access.h: the access log of the web cabinet: every view of a person's data
 * (login, student, page, time, client address), and its listing for the
 * school (portal-db access). Rows are only ever appended.
 */
#ifndef PORTAL_ACCESS_H
#define PORTAL_ACCESS_H

#include "ctx.h"
#include "rowfn.h"

/* Appends a row at c->now (inside the caller's write transaction). */
int access_log_view(struct ctx *c, const char *login, const char *student, const char *page, const char *client,
		    struct perr *e);

extern const struct out_col access_list_cols[];
extern const size_t access_list_ncols;
/* The rows of student and/or login (NULL: any) at or after since (a date or a timestamp; NULL:
 * all), oldest first; with c->picked only the views of the people given (ids.h): a student's data,
 * a guardian's children's. Admins and deputies only (77). */
int access_list(struct ctx *c, const char *student, const char *login, const char *since, row_fn fn, void *fctx,
		struct perr *e);

/* One view of a child of a guardian; the texts live until the callback returns. */
struct access_view {
	const char *at, *login, *student_id, *student_name, *page;
};
typedef int (*access_view_fn)(void *ctx, const struct access_view *v);
/* The views of the children linked to guardian (the cabinet's /access), newest first, at most
 * limit rows. A non-zero return of fn stops and is returned. */
int access_each_of_guardian(struct ctx *c, const char *guardian, long limit, access_view_fn fn, void *fctx,
			    struct perr *e);

#endif
