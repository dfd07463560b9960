/*
 * pdf.c: the A4 documents (see pdf.h). Points throughout: pango is told
 * 72 dots per inch, so a 10 pt font is 10 units of the page, and metrics
 * are not hinted, so a line breaks where it will print.
 */
#include <cairo-pdf.h>
#include <errno.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pdf.h"
#include "util.h"

#define FRAME_W (PDF_W - PDF_LEFT - PDF_RIGHT)
#define FRAME_END (PDF_H - PDF_BOTTOM)

static const char *const FONTS[] = {
	[PDF_BODY] = "DejaVu Sans 10",
	[PDF_SMALL] = "DejaVu Sans 8",
	[PDF_SMALL_BOLD] = "DejaVu Sans Bold 8",
	[PDF_BOLD] = "DejaVu Sans Bold 10",
	[PDF_HEAD] = "DejaVu Sans Bold 11",
	[PDF_TITLE] = "DejaVu Sans Bold 14",
	[PDF_MONO] = "DejaVu Sans Mono 12",
};
enum { NSTYLES = sizeof FONTS / sizeof *FONTS };

struct pdf {
	FILE *f;
	int write_failed;	/* the errno of the first write that failed; 0 while none did */
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoContext *pc;
	PangoFontDescription *font[NSTYLES];
	double y;		/* the next line's top */
	int pages, number;	/* pages begun; the number within the part */
	char *footer;
};

static cairo_status_t put(void *closure, const unsigned char *data, unsigned int len)
{
	struct pdf *d = closure;
	if (fwrite(data, 1, len, d->f) != len) {
		if (!d->write_failed)
			d->write_failed = errno ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* "YYYY-MM-DDTHH:MM:SSZ" of SOURCE_DATE_EPOCH, or of now; 0 when neither is usable. */
static int created(const char *now, char out[21])
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		long long t = strtoll(sde, &end, 10);
		struct tm tm;
		time_t tt = (time_t)t;
		if (!*end && t >= 0 && gmtime_r(&tt, &tm)) {
			strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
			return 1;
		}
	}
	if (now && strlen(now) >= 19) {	/* the command's clock is UTC */
		memcpy(out, now, 19);
		memcpy(out + 19, "Z", 2);
		return 1;
	}
	return 0;
}

struct pdf *pdf_new(FILE *f, const char *title, const char *now)
{
	struct pdf *d = xcalloc(1, sizeof *d);
	char date[21];
	d->f = f;
	d->surface = cairo_pdf_surface_create_for_stream(put, d, PDF_W, PDF_H);
	if (cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(d->surface);
		free(d);
		return NULL;
	}
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "portal " PORTAL_VERSION);
	if (created(now, date)) {
		cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
		cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_MOD_DATE, date);
	}
	d->cr = cairo_create(d->surface);
	d->pc = pango_cairo_create_context(d->cr);
	pango_cairo_context_set_resolution(d->pc, 72);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(d->pc, fo);
	cairo_font_options_destroy(fo);
	for (int i = 0; i < NSTYLES; i++)
		d->font[i] = pango_font_description_from_string(FONTS[i]);
	d->y = PDF_TOP;
	return d;
}

int pdf_close(struct pdf *d, const char *what, struct perr *e)
{
	if (d->pages)
		cairo_show_page(d->cr);
	cairo_status_t st = cairo_status(d->cr);	/* a drawing that failed is not a document */
	cairo_destroy(d->cr);
	cairo_surface_finish(d->surface);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(d->surface);
	cairo_surface_destroy(d->surface);
	g_object_unref(d->pc);
	for (int i = 0; i < NSTYLES; i++)
		pango_font_description_free(d->font[i]);
	int rc = 0;
	if (d->write_failed || st == CAIRO_STATUS_WRITE_ERROR)
		rc = perr_set(e, EX_IOERR, "%s: cannot write the PDF document: %s", what,
			      strerror(d->write_failed ? d->write_failed : EIO));
	else if (st != CAIRO_STATUS_SUCCESS)
		rc = perr_set(e, EX_SOFTWARE, "%s: cannot make the PDF document: %s", what, cairo_status_to_string(st));
	free(d->footer);
	free(d);
	return rc;
}

static PangoLayout *layout(struct pdf *d, enum pdf_style s, enum pdf_align a, double w, const char *text)
{
	PangoLayout *l = pango_layout_new(d->pc);
	pango_layout_set_font_description(l, d->font[s]);
	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, a == PDF_CENTER ? PANGO_ALIGN_CENTER : a == PDF_RIGHT_ALIGN ? PANGO_ALIGN_RIGHT :
			       PANGO_ALIGN_LEFT);
	if (g_utf8_validate(text, -1, NULL)) {
		pango_layout_set_text(l, text, -1);
	} else {	/* pango would set nothing more in the document: the bad bytes become U+FFFD */
		char *good = g_utf8_make_valid(text, -1);
		pango_layout_set_text(l, good, -1);
		g_free(good);
	}
	return l;
}

double pdf_text_at(struct pdf *d, enum pdf_style s, enum pdf_align a, double x, double y, double w,
		   const char *text, int draw)
{
	PangoLayout *l = layout(d, s, a, w, text);
	PangoRectangle r;
	pango_layout_get_extents(l, NULL, &r);
	if (draw) {
		cairo_move_to(d->cr, x, y);
		pango_cairo_show_layout(d->cr, l);
	}
	g_object_unref(l);
	return r.height / (double)PANGO_SCALE;
}

static void footer(struct pdf *d)
{
	char n[96];
	if (!d->footer)
		return;
	snprintf(n, sizeof n, "стр. %d", d->number);
	cairo_save(d->cr);
	cairo_set_source_rgb(d->cr, 0.35, 0.35, 0.35);
	cairo_move_to(d->cr, PDF_LEFT, FRAME_END + 14);
	cairo_line_to(d->cr, PDF_W - PDF_RIGHT, FRAME_END + 14);
	cairo_set_line_width(d->cr, 0.4);
	cairo_stroke(d->cr);
	pdf_text_at(d, PDF_SMALL, PDF_LEFT_ALIGN, PDF_LEFT, FRAME_END + 18, FRAME_W * 0.8, d->footer, 1);
	pdf_text_at(d, PDF_SMALL, PDF_RIGHT_ALIGN, PDF_W - PDF_RIGHT - FRAME_W * 0.2, FRAME_END + 18, FRAME_W * 0.2, n, 1);
	cairo_restore(d->cr);
}

void pdf_page(struct pdf *d, const char *foot, int part)
{
	if (d->pages)
		cairo_show_page(d->cr);
	if (part && d->pages && d->number % 2) {	/* printed two-sided, a part starts on a sheet of its own */
		cairo_show_page(d->cr);
		d->pages++;
	}
	d->pages++;
	d->number = part ? 1 : d->number + 1;
	if (foot != d->footer) {
		free(d->footer);
		d->footer = foot ? xstrdup(foot) : NULL;
	}
	d->y = PDF_TOP;
	footer(d);
}

double pdf_y(const struct pdf *d)
{
	return d->y;
}

double pdf_room(const struct pdf *d)
{
	return FRAME_END - d->y;
}

static void next_page(struct pdf *d)
{
	pdf_page(d, d->footer, 0);
}

void pdf_keep(struct pdf *d, double need)
{
	if (d->y + need > FRAME_END && d->y > PDF_TOP)
		next_page(d);
}

void pdf_space(struct pdf *d, double pt)
{
	d->y += pt;
	if (d->y > FRAME_END)
		next_page(d);
}

void pdf_text(struct pdf *d, enum pdf_style s, enum pdf_align a, double indent, const char *text)
{
	PangoLayout *l = layout(d, s, a, FRAME_W - indent, text);
	PangoLayoutIter *it = pango_layout_get_iter(l);
	do {	/* line by line: a long paragraph goes on over the page */
		PangoRectangle r;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		double h = r.height / (double)PANGO_SCALE;
		double base = (pango_layout_iter_get_baseline(it) - r.y) / (double)PANGO_SCALE;
		if (d->y + h > FRAME_END && d->y > PDF_TOP)
			next_page(d);
		cairo_move_to(d->cr, PDF_LEFT + indent + r.x / (double)PANGO_SCALE, d->y + base);
		pango_cairo_show_layout_line(d->cr, pango_layout_iter_get_line_readonly(it));
		d->y += h;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(l);
}

enum { PAD = 3 };

/* One row of a table at the current line: the cells' text and their rules; its height. */
static double row(struct pdf *d, const struct pdf_col *cols, size_t ncols, const char *const *cells,
		  enum pdf_style s, int draw, int shade)
{
	double h = 0, x = PDF_LEFT;
	for (size_t c = 0; c < ncols; c++) {
		double w = cols[c].width * FRAME_W;
		double t = pdf_text_at(d, s, cols[c].align, x + PAD, d->y + PAD, w - 2 * PAD, cells[c] ? cells[c] : "", 0);
		if (t + 2 * PAD > h)
			h = t + 2 * PAD;
		x += w;
	}
	if (!draw)
		return h;
	x = PDF_LEFT;
	for (size_t c = 0; c < ncols; c++) {
		double w = cols[c].width * FRAME_W;
		if (shade) {
			cairo_set_source_rgb(d->cr, 0.9, 0.9, 0.9);
			cairo_rectangle(d->cr, x, d->y, w, h);
			cairo_fill(d->cr);
			cairo_set_source_rgb(d->cr, 0, 0, 0);
		}
		cairo_rectangle(d->cr, x, d->y, w, h);
		cairo_set_line_width(d->cr, 0.5);
		cairo_stroke(d->cr);
		pdf_text_at(d, s, cols[c].align, x + PAD, d->y + PAD, w - 2 * PAD, cells[c] ? cells[c] : "", 1);
		x += w;
	}
	return h;
}

void pdf_table(struct pdf *d, const struct pdf_col *cols, size_t ncols, const char *const *cells, size_t nrows,
	       enum pdf_style s)
{
	const char **head = xcalloc(ncols, sizeof *head);
	for (size_t c = 0; c < ncols; c++)
		head[c] = cols[c].head;
	enum pdf_style hs = PDF_SMALL_BOLD;
	double hh = row(d, cols, ncols, head, hs, 0, 1);
	for (size_t r = 0; r < nrows; r++) {
		double h = row(d, cols, ncols, cells + r * ncols, s, 0, 0);
		if (r == 0 || d->y + h > FRAME_END) {
			if (d->y + hh + h > FRAME_END && d->y > PDF_TOP)
				next_page(d);
			d->y += row(d, cols, ncols, head, hs, 1, 1);
		}
		d->y += row(d, cols, ncols, cells + r * ncols, s, 1, 0);
	}
	free(head);
}

int pdf_qr(struct pdf *d, const char *text, double x, double y, double size)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return -1;
	double m = size / (q->width + 8);	/* four modules of quiet zone on each side */
	cairo_save(d->cr);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	cairo_set_antialias(d->cr, CAIRO_ANTIALIAS_NONE);	/* no seams between the modules */
	for (int r = 0; r < q->width; r++)
		for (int c = 0; c < q->width; c++)
			if (q->data[r * q->width + c] & 1)
				cairo_rectangle(d->cr, x + (c + 4) * m, y + (r + 4) * m, m, m);
	cairo_fill(d->cr);
	cairo_restore(d->cr);
	QRcode_free(q);
	return 0;
}

void pdf_cut(struct pdf *d, double x0, double y0, double x1, double y1)
{
	static const double dash[] = { 4, 3 };
	cairo_save(d->cr);
	cairo_set_source_rgb(d->cr, 0.4, 0.4, 0.4);
	cairo_set_line_width(d->cr, 0.5);
	cairo_set_dash(d->cr, dash, 2, 0);
	cairo_move_to(d->cr, x0, y0);
	cairo_line_to(d->cr, x1, y1);
	cairo_stroke(d->cr);
	cairo_restore(d->cr);
}
