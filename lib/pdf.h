/*
 * pdf.h: print-quality A4 documents for people (extracts, credential slips):
 * cairo draws, pango sets Cyrillic text in DejaVu, libqrencode makes the
 * acknowledgement code's QR symbol. Text flows down the page and onto the
 * next; tables repeat their header on a new page; every page has a footer.
 * The document is written to a stream the caller owns (a temporary file
 * it renames once it is complete).
 */
#ifndef PORTAL_PDF_H
#define PORTAL_PDF_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

/* A4 in points, and the frame text is set in */
#define PDF_W 595.276
#define PDF_H 841.890
#define PDF_LEFT 56.7		/* 2 cm: room to file the sheet */
#define PDF_RIGHT 42.5		/* 1.5 cm */
#define PDF_TOP 42.5
#define PDF_BOTTOM 56.7		/* the footer stands in it */

enum pdf_style {
	PDF_BODY,	/* 10 pt */
	PDF_SMALL,	/* 8 pt */
	PDF_SMALL_BOLD,	/* 8 pt bold: a table's header */
	PDF_BOLD,	/* 10 pt bold */
	PDF_HEAD,	/* 11 pt bold: a section's heading */
	PDF_TITLE,	/* 14 pt bold */
	PDF_MONO,	/* 12 pt monospace: logins and passwords */
};

enum pdf_align { PDF_LEFT_ALIGN, PDF_CENTER, PDF_RIGHT_ALIGN };

struct pdf;

/* A new document written to f; title goes into its properties; the creation date is
 * SOURCE_DATE_EPOCH's when set, else now (YYYY-MM-DDTHH:MM:SSZ, the command's clock).
 * NULL when cairo cannot start one. */
struct pdf *pdf_new(FILE *f, const char *title, const char *now);
/* Finishes the document: 0, or an error in e naming what (74 on a write error). Frees d. */
int pdf_close(struct pdf *d, const char *what, struct perr *e);

/* A new page; footer (NULL: none) is printed at the bottom with the page's number in its
 * document part; part starts the numbering again at 1 (an extract of its own), after a blank
 * page when the part before it ended on a front side (so two-sided printing keeps them apart). */
void pdf_page(struct pdf *d, const char *footer, int part);
/* The next line's top, and the room left on the page, in points. */
double pdf_y(const struct pdf *d);
double pdf_room(const struct pdf *d);
/* Moves down by pt; a new page (same footer) when need points do not fit from there. */
void pdf_space(struct pdf *d, double pt);
void pdf_keep(struct pdf *d, double need);

/* A paragraph across the frame (less indent on the left), wrapped, flowing onto new pages. */
void pdf_text(struct pdf *d, enum pdf_style s, enum pdf_align a, double indent, const char *text);
/* Text set in a box of width w at (x, y) without flowing; returns its height. draw 0: measure only. */
double pdf_text_at(struct pdf *d, enum pdf_style s, enum pdf_align a, double x, double y, double w,
		   const char *text, int draw);

struct pdf_col {
	const char *head;
	double width;		/* a share of the frame's width; the shares add up to 1 */
	enum pdf_align align;
};
/* A ruled table; cells[r * ncols + c]; a cell may hold "\n". The header comes again at the top
 * of every page the table reaches; a row is never split. */
void pdf_table(struct pdf *d, const struct pdf_col *cols, size_t ncols, const char *const *cells, size_t nrows,
	       enum pdf_style s);

/* text's QR symbol (error correction M), size points wide, its top left at (x, y); -1 when it cannot
 * be encoded. */
int pdf_qr(struct pdf *d, const char *text, double x, double y, double size);
/* A dashed line from (x0, y0) to (x1, y1): where to cut. */
void pdf_cut(struct pdf *d, double x0, double y0, double x1, double y1);

#endif
