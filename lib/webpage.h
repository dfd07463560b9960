/*
 * webpage.h: what the pages of the web cabinet share (lib/webapp.c and the
 * page modules beside it): the request at work, the page helpers, and the
 * table of pages about one student. Not for anything outside the cabinet.
 */
#ifndef PORTAL_WEBPAGE_H
#define PORTAL_WEBPAGE_H

#include "ctx.h"
#include "gate.h"
#include "webreq.h"
#include "websession.h"

/* One request at work: its store, its clock, who is logged in. */
struct req {
	const struct web_req *r;
	struct web_resp *out;
	struct ctx c;
	struct actor actor;
	struct web_user u;
	int logged_in;
	int touched, touching;		/* the session's last_seen committed, or in the open transaction */
	int insecure;			/* web.insecure_cookie */
	const char *sid, *login_csrf;	/* the cookies of the request, by the setting's names */
	const char *period_shown;	/* the period of the student's page */
	char school[256];
	struct perr e;
};

struct child {
	char id[64], name[256], cls[8];
};

/* The student a page is about; the gate has let the viewer see them. */
struct web_student {
	const char *id, *name, *cls;
	enum gate_view view;	/* GATE_OPEN, or GATE_PAPER for a page that needs no consent */
};

/* A page /student/ID/NAME ("" the progress page; a name ending in "/" takes every path under it). progress: behind the 152-ФЗ gate (without a
 * standing consent the paper notice instead). takes_post: a form posts to it (the CSRF token is
 * checked before run). run writes q->out->p; returns 0 or a status (the failure page). */
struct student_page {
	const char *name;
	int takes_post;
	int progress;
	int (*run)(struct req *q, const struct web_student *w);
};
extern const struct student_page web_student_pages[];

void wp_simple_page(struct req *q, int status, const char *title, const char *text);
void wp_not_found(struct req *q);
void wp_failed(struct req *q, int status);		/* 503 busy, else 500 */
void wp_forbidden(struct req *q);			/* 403: a form without its token */
void wp_method_not_allowed(struct req *q, const char *allow);
int wp_begin(struct req *q);				/* a write transaction; the session touched in it */
int wp_finish(struct req *q, int rc);			/* commit when rc is 0, else roll back */
int wp_csrf_ok(const struct web_req *r, const char *expected);
void wp_logout_button(struct req *q);
void wp_paper_notice(struct req *q);
void wp_short_date(const char *iso, char out[6]);	/* dd.mm */
void wp_end_session_cookie(struct req *q);		/* the browser forgets the session */

/* lib/webacts.c: what a guardian does beyond reading. */
int wp_extracts_page(struct req *q, const struct web_student *w);	/* extracts; POST: «Ознакомлен(а)» */
int wp_extract_pdf_page(struct req *q, const struct web_student *w);	/* extracts/CODE.pdf */
int wp_consent_page(struct req *q, const struct web_student *w);	/* consent; POST: withdraw it */
void wp_access(struct req *q);						/* /access */
void wp_leaked(struct req *q);						/* /leaked: GET asks, POST reports */

/* lib/webpages.c: the information pages about a student (rows of web_student_pages[]) and /holidays. */
int wp_journal_page(struct req *q, const struct web_student *w);
int wp_homework_page(struct req *q, const struct web_student *w);
int wp_timetable_page(struct req *q, const struct web_student *w);
int wp_tests_page(struct req *q, const struct web_student *w);
int wp_teachers_page(struct req *q, const struct web_student *w);
int wp_recommendations_page(struct req *q, const struct web_student *w);
void wp_holidays(struct req *q);

#endif
