/*
 * html.h: HTML is written here and nowhere else. One escaping path for text
 * and one for attribute values: & < > " ' become entities, control characters
 * are dropped and invalid UTF-8 becomes U+FFFD, so a value can never close a
 * tag or an attribute. Pages are built with html_f(), whose template is the
 * only markup and whose %s values are always escaped.
 */
#ifndef PORTAL_HTML_H
#define PORTAL_HTML_H

#include "util.h"

/* s as text between tags (a newline stays a newline). */
void html_txt(struct sbuf *b, const char *s);
/* s as a quoted attribute value (newlines and tabs as character references too). */
void html_attr(struct sbuf *b, const char *s);

/* Appends the template fmt with its conversions filled: %s a value escaped as by html_attr
 * (safe in text and in quoted attributes), %d %ld %lld numbers, %% a percent sign. fmt is
 * markup written in the code, never a value. */
void html_f(struct sbuf *b, const char *fmt, ...);

/* A page: the document's head and tail around what the caller adds to body. */
struct page {
	struct sbuf body;
	int status;		/* HTTP status, 200 unless set */
	int personal;		/* a person's data: Cache-Control: no-store */
	char location[256];	/* a redirect's target ("" none) */
	const char *content_type;
};
/* Starts a page titled title (escaped), with the school's name in its header. */
void page_begin(struct page *p, const char *title, const char *school);
/* Closes the document. */
void page_end(struct page *p);
/* A redirect (303) to path, a path of this site written by the code. */
void page_redirect(struct page *p, const char *path);
void page_free(struct page *p);

#endif
