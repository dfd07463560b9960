/*
 * journal.h: the class journal brought into the store: periods and marks
 * (the other journal kinds follow), checked like the roster.
 */
#ifndef PORTAL_JOURNAL_H
#define PORTAL_JOURNAL_H

#include "import.h"
#include "rowfn.h"

#include "jimport.h"

extern const struct import_kind journal_import_periods;
/* The journal's kinds, by the name `import KIND` takes; NULL-terminated. */
extern const struct jkind journal_import_marks, journal_import_attendance, journal_import_lessons,
	journal_import_schedule, journal_import_changes, journal_import_tests, journal_import_holidays,
	journal_import_recommendations, journal_import_finals;
extern const struct jkind *const journal_kinds[];
const struct jkind *journal_kind(const char *name);

extern const struct out_col journal_period_cols[];
extern const size_t journal_period_ncols;
int journal_list_periods(struct ctx *c, row_fn fn, void *fctx, struct perr *e);
/* The period the date falls in (or the last one before it), from its start to the date at most:
 * its name, from and to. 65 when no period starts on or before the date. */
int journal_period_so_far(struct store *s, const char *date, char *name, size_t n, char from[11], char to[11],
			  struct perr *e);

/* The references the marks table does not declare: 65 naming the first mark that points nowhere. */
int journal_check_references(struct store *s, struct perr *e);


/* Who teaches class cls what: subject,kind (class|group|stream|individual),group,group_class,
 * teacher_id,teacher_name,students. */
extern const struct out_col journal_teacher_cols[];
extern const size_t journal_teacher_ncols;
int journal_list_teachers(struct ctx *c, const char *cls, row_fn fn, void *fctx, struct perr *e);

#endif
