/*
 * extract.h: the extract for parents ("Выписка из электронного журнала"):
 * one content model, filled from the journal by a few set-based queries per
 * class, and separate renderers (txt and pdf for printing, csv for scripts,
 * xlsx, eml). Who gets which extract is delivery.h's plan, and an e-mail only
 * ever gets the address consent.h's gate gives.
 */
#ifndef PORTAL_EXTRACT_H
#define PORTAL_EXTRACT_H

#include <stdio.h>

#include "ctx.h"
#include "jgrid.h"
#include "pdf.h"
#include "rowfn.h"
#include "util.h"
#include "xlsx.h"

struct ex_line {
	char date[11];
	char *text;
};

struct ex_list {
	struct ex_line *v;
	size_t n;
};

/* Everything about one class in the dates that the extracts of its students share. */
struct ex_class {
	struct jgrid g;			/* from the first day asked to the last or as_of, the earlier */
	char to[11];			/* the last day asked */
	char as_of[11];			/* the day the extract is made: a period not over counts up to it */
	char *school, *leader;		/* the class leader: Фамилия И. О. */
	char horizon[11];		/* to + 4 weeks: tests and holidays ahead */
	struct ex_list tests, changes, holidays;
	struct ex_list *recs;		/* per student of g */
};

/* One extract: a student of a loaded class, for a guardian or the family. */
struct extract {
	const struct ex_class *xc;
	size_t stu;			/* index into xc->g.students */
	const char *guardian_name;	/* NULL: "Родителям (законным представителям)" */
	char code[11];			/* "" when not registered (--dry-run) */
};

/* The class's extracts of from..to made on as_of (NULL: today): marks, attendance and
 * recommendations up to the earlier of to and as_of, as the nightly reports cut a period not over. */
int ex_class_load(struct ctx *c, const char *cls, const char *from, const char *to, const char *period,
		  const char *as_of, struct ex_class *xc, struct perr *e);
/* The index of student id in the loaded class; -1 when the class's grid has no such student. */
long ex_class_student(const struct ex_class *xc, const char *id);
void ex_class_free(struct ex_class *xc);

/* Renderers. txt: A4, monospace, 78 columns; form feed between extracts is the caller's. */
void extract_txt(const struct extract *x, struct sbuf *out);
extern const struct out_col extract_csv_cols[];
extern const size_t extract_csv_ncols;
/* The extract's flat rows (one per subject, and one "итого" row). */
int extract_csv(const struct extract *x, int (*fn)(void *, const char *const *, size_t), void *fctx);
/* Pages of their own in the document (A4, the code's QR symbol on the first). */
void extract_pdf(const struct extract *x, struct pdf *doc);
/* A sheet of its own in the workbook. */
int extract_xlsx(const struct extract *x, struct xlsx *book);
/* The letter an e-mailed extract comes with: whom it is about, the acknowledgement code, and
 * where to press «Ознакомлен(а)» (url/student/ID/extracts; url "" or NULL: tell the class leader). */
void extract_letter(const struct extract *x, const char *url, struct sbuf *out);
/* How an extract goes by e-mail: the sender, the address the consent gate gave, the date, the
 * portal's address (portal.url). */
struct extract_mail {
	const char *from, *to, *now, *url;
};
/* An RFC 5322 message: the letter, and the extract as the paper one (PDF) attached, written to f. */
int extract_eml(const struct extract *x, const struct extract_mail *how, FILE *f, struct perr *e);

/* The extract registered under code (canonical) made again as the paper one is printed, from the
 * journal as it stands, into memory: *data (malloc'd, the caller frees) and *len. 65 when no
 * extract that counts has the code, or its student is no longer in the class's grid. */
int extract_pdf_again(struct ctx *c, const char *code, char **data, size_t *len, struct perr *e);

struct undo_table;
/* An extract a leaked login sent by e-mail is named as not called back (it no longer counts). */
void extract_register_undo(struct undo_table *t);

#endif
