/*
 * jimport.h: the one engine behind every journal import (marks, attendance,
 * lessons, schedule, changes, tests, holidays, recommendations, finals).
 *
 * A kind describes its table (identity columns first) and checks a row into
 * canonical column values; the engine does the rest the same way for all:
 * references looked up in memory, the teacher's right to the class and
 * subject, one prepared INSERT … ON CONFLICT DO NOTHING per row, a look-up
 * only when the row is already there, an audit record per import (new rows)
 * and per changed or removed row (old → new), a repeated identity within one
 * file named as an error, and --sync. Where the engine loads in bulk (store_has_bulk_load) an
 * all-or-nothing import copies its checked rows into a temporary table and writes them
 * together at the end (jimport_flush), with the same messages and audit records.
 */
#ifndef PORTAL_JIMPORT_H
#define PORTAL_JIMPORT_H

#include <stdint.h>
#include "import.h"

enum jtype { JT_TEXT, JT_INT, JT_REAL };
enum { JCOLS_MAX = 10 };

struct jrow {
	const char *v[JCOLS_MAX];	/* each table column's value; NULL stores NULL */
	char buf[JCOLS_MAX][40];	/* room for canonical forms (dates, numbers) */
	const char *cls;		/* the row's class ("" a stream; NULL: none, e.g. holidays) */
	const char *subject_name;	/* as typed; resolved by jrow_subject */
	int subject_col;		/* the table column that takes the subject's id; -1 none */
	int64_t subject;		/* 0: none */
	int subject_done;
	const char *set;		/* --sync's third dimension (finals: the period) */
	const char *date;		/* --sync's date (canonical) */
};

struct jkind {
	struct import_kind base;	/* first: the import loop sees only this */
	const char *object;		/* the audit log's object kind: mark */
	const char *repeated;		/* N_(): a row whose identity an earlier line of the file had, as a user names it */
	const char *table;
	const char *const *cols;	/* table columns, identity first */
	const enum jtype *types;
	int nkey, ncols;
	int admin_only;			/* the school's calendar matters (schedule, changes, holidays) */
	/* --sync: the rows of the table the file covers, as a condition on alias t over the
	 * temporary tables sync_class, sync_subject, sync_set and $1..$2 (the file's first
	 * and last date). */
	const char *sync_where;
	/* Fills r from the current record; problems through import_error. Non-zero is fatal. */
	int (*check)(struct import *im, struct jrow *r, struct perr *e);
};

/* The kinds' shared look-ups, for check functions. Each reports its own error. */
void jrow_text(struct import *im, struct jrow *r, size_t ci, int col, const char *column, int required);
void jrow_student(struct import *im, struct jrow *r, size_t ci, int col);
void jrow_class(struct import *im, struct jrow *r, size_t ci, int col, int required);
void jrow_teacher(struct import *im, struct jrow *r, size_t ci, int col);
void jrow_date(struct import *im, struct jrow *r, size_t ci, int col, const char *column, int required);
/* An empty optional field takes dflt; dflt < 0 leaves it NULL. */
void jrow_int(struct import *im, struct jrow *r, size_t ci, int col, const char *column, long lo, long hi, long dflt,
	      int required);
void jrow_period(struct import *im, struct jrow *r, size_t ci, int col);
/* Notes the subject (resolved after the row checks out); col < 0 when the table has none. */
void jrow_subject_of(struct import *im, struct jrow *r, size_t ci, int col, int required, const char *none);
/* Resolves the noted subject now (a new one is created, with a warning). */
int jrow_subject(struct import *im, struct jrow *r, struct perr *e);
/* The study group (class or stream, name, subject) → its id in r->buf[col]. */
int jrow_group(struct import *im, struct jrow *r, const char *cls, const char *name, int col, struct perr *e);

int jimport_row(struct import *im, struct perr *e);
int jimport_start(struct import *im, struct perr *e);
int jimport_finish(struct import *im, struct perr *e);
int jimport_flush(struct import *im, struct perr *e);
void jimport_cleanup(struct import *im);

#define JKIND_BASE(nm, colsv, n) { .name = nm, .cols = colsv, .ncols = n, .row = jimport_row, \
	.start = jimport_start, .finish = jimport_finish, .flush = jimport_flush, .cleanup = jimport_cleanup, \
	.sync_removes = 1 }

struct undo_table;
/* What a leaked login did to the rows of kinds (NULL-terminated), by their audit object kind: an
 * update's old values and a --sync removal's row come back, audited; new rows drop out by their
 * audit_seq. */
void jimport_register_undo(struct undo_table *t, const struct jkind *const *kinds);

/* Who teaches class cls subject (0: any subject): 0 yes, 77 naming the right. Admins yes. */
int journal_may_edit_class(struct import *im, const char *cls, int64_t subject, struct perr *e);

#endif
