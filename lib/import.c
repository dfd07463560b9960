/*
 * import.c: the import loop shared by every kind of input file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "import.h"
#include "progress.h"

void import_init(struct import *im, struct ctx *c, struct csvin *in, const struct import_kind *kind)
{
	memset(im, 0, sizeof *im);
	im->c = c;
	im->in = in;
	im->kind = kind;
	sbuf_init(&im->why);
	strmap_init(&im->seen);
	strmap_init(&im->scope);
}

void import_free(struct import *im)
{
	if (im->kind && im->kind->cleanup)
		im->kind->cleanup(im);
	sbuf_free(&im->why);
	strmap_free(&im->seen);
	strmap_free(&im->scope);
}

static long current_line(struct import *im)
{
	return im->line ? im->line : csvin_line(im->in);
}

void import_at(struct import *im, long line)
{
	im->line = line;
	im->row_bad = 0;
	sbuf_reset(&im->why);
}

void import_row_done(struct import *im)
{
	if (!im->row_bad)
		return;
	im->applied--;
	im->rejected++;
	im->row_bad = 0;
}

void import_error(struct import *im, const char *column, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, _(fmt), ap);
	va_end(ap);
	im->row_bad = 1;
	if (im->why.len)
		sbuf_adds(&im->why, "; ");
	sbuf_printf(&im->why, "%s: %s", column, msg);
	if (im->errors.report)
		im->errors.report(im->errors.ctx, current_line(im), column, msg);
}

int import_refuse(struct import *im, const char *column, struct perr *e)
{
	int status = e->status;
	import_error(im, column, "%s", e->msg);
	if (!im->reject)
		return perr_set(e, status, "%s: a row reaches what %s may not write (the line above); nothing was written",
				csvin_name(im->in), im->c->actor ? im->c->actor->login : "-");
	e->status = 0;
	e->msg[0] = '\0';
	return 0;
}

void subject_new_warning(struct import *im, const char *subject)
{
	if (im->c->dry_run)
		import_warn(im, "subject: \"%s\" is new to this store; it would be added", subject);
	else
		import_warn(im, "subject: \"%s\" is new to this store; it is added with this import", subject);
}

void import_warn(struct import *im, const char *fmt, ...)
{
	char msg[768], line[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, _(fmt), ap);
	va_end(ap);
	snprintf(line, sizeof line, "%s:%ld: %s", csvin_name(im->in), current_line(im), msg);
	if (im->warn)
		im->warn(im->wctx, line);
}

const char *import_get(struct import *im, size_t i)
{
	return csvin_get(im->in, i);
}

int import_run(struct import *im, struct perr *e)
{
	int rc = csvin_map(im->in, im->kind->cols, im->kind->ncols, im->warn, im->wctx, e);
	if (rc)
		return rc;
	if (im->kind->start && (rc = im->kind->start(im, e)))
		return rc;
	while ((rc = csvin_next(im->in, e)) == 1) {
		if (im->progress) {
			long long done, size;
			csvin_progress(im->in, &done, &size);
			progress_fraction(im->progress, size ? (double)done / (double)size : -1);
			progress_set(im->progress, im->applied + im->rejected);
		}
		im->row_bad = 0;
		sbuf_reset(&im->why);
		if ((rc = im->kind->row(im, e)))
			return rc;
		if (!im->row_bad) {
			im->applied++;
			continue;
		}
		im->rejected++;
		if (im->reject)
			im->reject(im->rctx, im->in, im->why.s);
	}
	progress_set(im->progress, im->applied + im->rejected);
	if (rc < 0)
		return -rc;
	if (im->kind->flush) {
		rc = im->kind->flush(im, e);
		im->line = 0;
		if (rc)
			return rc;
	}
	if (im->rejected && !im->reject)
		return perr_set(e, EX_DATAERR,
				im->can_reject ? ngettext("%s: %ld bad row; nothing was written (fix it, or give --rejects FILE to load the good rows)",
							  "%s: %ld bad rows; nothing was written (fix them, or give --rejects FILE to load the good rows)",
							  (unsigned long)im->rejected)
					       : ngettext("%s: %ld bad row; nothing was written (fix it)",
							  "%s: %ld bad rows; nothing was written (fix them)", (unsigned long)im->rejected),
				csvin_name(im->in), im->rejected);
	if (im->kind->finish)
		return im->kind->finish(im, e);
	return 0;
}
