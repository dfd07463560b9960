/*
 * err.h: the error record every lib function fills instead of printing.
 * The binary decides how to show it and which sysexits code to return.
 */
#ifndef PORTAL_ERR_H
#define PORTAL_ERR_H

#include <sysexits.h>

struct perr {
	int status;		/* a sysexits code; 0 while nothing failed */
	char msg[1024];		/* what went wrong, what was expected */
};

/* Fills e (when not NULL) and returns status, so callers can `return perr_set(...)`. The message
 * is fmt in the user's language (gettext): xgettext finds fmt by the name perr_set. */
int perr_set(struct perr *e, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Where a row-level problem is reported: one call per bad field of a data file. */
struct rowerr_sink {
	void (*report)(void *ctx, long line, const char *column, const char *msg);
	void *ctx;
};

#endif
