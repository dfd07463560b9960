/*
 * err.c: filling the error record.
 */
#include <stdio.h>
#include <stdarg.h>

#include "err.h"
#include "i18n.h"

int perr_set(struct perr *e, int status, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, _(fmt), ap);	/* every error for people passes here */
		va_end(ap);
		e->status = status;
	}
	return status;
}
