/*
 * import.h: the one loop every CSV import runs: map the header, check and
 * apply each record, report every bad one as FILE:LINE: COLUMN: reason, and
 * decide all-or-nothing or --rejects. The kinds (roster, groups, calendar,
 * later the journal) supply only what a row means.
 */
#ifndef PORTAL_IMPORT_H
#define PORTAL_IMPORT_H

#include "csvin.h"
#include "ctx.h"
#include "strmap.h"
#include "util.h"

struct import;

struct import_kind {
	const char *name;		/* students */
	const struct csv_col *cols;
	size_t ncols;
	/* Checks and applies the current record. Problems go through import_error and
	 * leave the store untouched for that row; a return != 0 is fatal (77, 70, …). */
	int (*row)(struct import *im, struct perr *e);
	/* After the last row, when the import will be kept (e.g. --sync). */
	int (*finish)(struct import *im, struct perr *e);
	/* After the last row, before the verdict (may be NULL): the rows the kind held back to write
	 * together (a bulk load) are written, and may still be found bad (through import_error, with
	 * import_at naming their line). */
	int (*flush)(struct import *im, struct perr *e);
	/* Before the first row (may be NULL); and cleanup after the last, always (may be NULL). */
	int (*start)(struct import *im, struct perr *e);
	void (*cleanup)(struct import *im);
	int sync_removes;		/* --sync removes rows absent from the file (else marks students left) */
};

struct import {
	struct ctx *c;
	struct csvin *in;
	const struct import_kind *kind;
	struct rowerr_sink errors;
	/* --rejects: called for each bad row with its reasons; NULL = all-or-nothing */
	void (*reject)(void *rctx, struct csvin *in, const char *why);
	void *rctx;
	void (*warn)(void *wctx, const char *msg);
	void *wctx;
	struct progress *progress;	/* rows read, and how far into the file (may be NULL) */
	int sync;			/* --sync */
	int update_only;		/* update: existing objects only */
	int can_reject;			/* the command takes --rejects FILE: a refusal says so */
	long applied, rejected;
	long inserted, updated, unchanged, left;
	long links;			/* guardian–student links added or changed */
	int row_bad;
	long line;			/* the line of the row being written when it is not the reader's (flush) */
	struct sbuf why;
	struct strmap seen;		/* ids met in this file → line */
	struct strmap scope;		/* e.g. classes the file covers */
	void *state;			/* the kind's own, from start to finish */
};

void import_init(struct import *im, struct ctx *c, struct csvin *in, const struct import_kind *kind);
void import_free(struct import *im);
/* 0: done (commit); 65: bad rows without --rejects (roll back); other: fatal. */
int import_run(struct import *im, struct perr *e);
/* The row written next came from line (0: the reader's current line), for a kind's flush. */
void import_at(struct import *im, long line);
/* After a row written by a flush: a bad one moves from applied to rejected. */
void import_row_done(struct import *im);
/* Reports a bad field of the current row. */
void import_error(struct import *im, const char *column, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A row the actor may not write (e holds the 77 refusal, naming the right): reported like a bad
 * row (FILE:LINE: COLUMN: the refusal); with --rejects it is one, and 0 is returned; without, it
 * stops the import (77, nothing written). Call it before the row writes anything. */
int import_refuse(struct import *im, const char *column, struct perr *e);
/* The current row's value of column i (NULL: the file has no such column). */
const char *import_get(struct import *im, size_t i);
/* A warning about the current row (not an error). */
void import_warn(struct import *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The warning that a row names a subject the store did not know (added, or with --dry-run would be). */
void subject_new_warning(struct import *im, const char *subject);

#endif
