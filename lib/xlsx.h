/*
 * xlsx.h: workbooks for people through libxlsxwriter. A workbook is written to
 * a temporary file beside its destination and renamed into place when it is
 * complete (or copied to standard output for "-o -"), so nobody ever opens
 * half a file. Every text is written as a string, never as a formula; sheets
 * are set up to print on A4. SOURCE_DATE_EPOCH fixes the creation date.
 */
#ifndef PORTAL_XLSX_H
#define PORTAL_XLSX_H

#include <xlsxwriter.h>
#include "afile.h"
#include "err.h"

struct xlsx {
	lxw_workbook *wb;
	struct afile file;		/* the temporary file libxlsxwriter writes by its name */
	const char *dest;		/* NULL or "-": standard output */
	lxw_format *head, *text, *num2, *num1, *title;
};

/* Starts a workbook for dest (a path, or NULL / "-" for standard output). 73 when it cannot. */
int xlsx_open(struct xlsx *x, const char *dest, struct perr *e);
/* A new sheet named name (cut to Excel's 31 characters, made unique), A4, landscape or not. */
lxw_worksheet *xlsx_sheet(struct xlsx *x, const char *name, int landscape);
/* Writes a text cell (never a formula); NULL or "" leaves the cell empty. */
void xlsx_text(lxw_worksheet *ws, int row, int col, const char *s, lxw_format *f);
/* Closes the workbook and moves it into place; 73/74 on failure (the temporary file is removed). */
int xlsx_close(struct xlsx *x, struct perr *e);
/* Closes the workbook, complete on the disk under its temporary name: x->file, for the caller to
 * commit or abort (several files moved into place together). 74 on failure, nothing left then. */
int xlsx_finish(struct xlsx *x, struct perr *e);
/* Drops an unfinished workbook and its temporary file. */
void xlsx_abort(struct xlsx *x);

#endif
