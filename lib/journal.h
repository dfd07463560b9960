/*
 * journal.h: the class journal brought into the store: periods and marks
 * (the other journal kinds follow), checked like the roster.
 */
#ifndef PORTAL_JOURNAL_H
#define PORTAL_JOURNAL_H

#include "import.h"
#include "roster.h"

extern const struct import_kind journal_import_periods, journal_import_marks;

extern const char *const journal_period_cols[];
extern const size_t journal_period_ncols;
int journal_list_periods(struct ctx *c, row_fn fn, void *fctx, struct perr *e);
/* The dates of period name; 65 when there is no such period. */
int journal_period(struct store *s, const char *name, char start[11], char end[11], struct perr *e);

/* The references the marks table does not declare: 65 naming the first mark that points nowhere. */
int journal_check_references(struct store *s, struct perr *e);

/* May the actor edit the journal of subject in class? Admins; teachers for their subjects. */
int journal_may_edit(const struct actor *a, struct store *s, int64_t subject_id, struct perr *e);

#endif
