/*
 * xlsx.c: see xlsx.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "util.h"
#include "values.h"
#include "xlsx.h"

int xlsx_open(struct xlsx *x, const char *dest, struct perr *e)
{
	char spool[4096];
	memset(x, 0, sizeof *x);
	x->dest = dest && strcmp(dest, "-") ? dest : NULL;
	/* for standard output the workbook is spooled in TMPDIR first: a zip file is written with seeks */
	if (!x->dest)
		snprintf(spool, sizeof spool, "%s/portal.xlsx", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	int rc = afile_open(&x->file, x->dest ? x->dest : spool, 0, e);	/* 0600: libxlsxwriter keeps the mode */
	if (rc)
		return rc;
	lxw_workbook_options opt = { .constant_memory = LXW_FALSE, .tmpdir = NULL, .use_zip64 = LXW_FALSE };
	if (!(x->wb = workbook_new_opt(x->file.tmp ? x->file.tmp : x->file.path, &opt))) {
		afile_abort(&x->file);
		return perr_set(e, EX_CANTCREAT, "%s: cannot start a workbook", x->dest ? x->dest : _("standard output"));
	}
	lxw_doc_properties props = { .author = "portal" };
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde)
		props.created = (time_t)strtoll(sde, NULL, 10);
	workbook_set_properties(x->wb, &props);
	x->head = workbook_add_format(x->wb);
	format_set_bold(x->head);
	format_set_text_wrap(x->head);
	format_set_align(x->head, LXW_ALIGN_VERTICAL_TOP);
	format_set_bottom(x->head, LXW_BORDER_THIN);
	x->title = workbook_add_format(x->wb);
	format_set_bold(x->title);
	format_set_font_size(x->title, 12);
	x->text = workbook_add_format(x->wb);
	format_set_num_format(x->text, "@");
	x->num2 = workbook_add_format(x->wb);
	format_set_num_format(x->num2, "0.00");
	x->num1 = workbook_add_format(x->wb);
	format_set_num_format(x->num1, "0.0");
	return 0;
}

lxw_worksheet *xlsx_sheet(struct xlsx *x, const char *name, int landscape)
{
	/* Excel: at most 31 characters, none of []:*?/\ , unique in the workbook */
	char clean[128], try[160];
	size_t n = 0, chars = 0;
	for (const char *p = name; *p && chars < 28 && n + 4 < sizeof clean;) {
		unsigned cp;
		int len = utf8_decode(p, &cp);
		if (strchr("[]:*?/\\", *p))
			clean[n++] = '_';
		else {
			memcpy(clean + n, p, (size_t)len);
			n += (size_t)len;
		}
		p += len;
		chars++;
	}
	clean[n] = 0;
	str_copy(try, sizeof try, clean);
	for (int i = 2; workbook_get_worksheet_by_name(x->wb, try); i++)
		snprintf(try, sizeof try, "%s %d", clean, i);
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, try);
	if (!ws)
		return NULL;
	worksheet_set_paper(ws, 9);	/* A4 */
	if (landscape)
		worksheet_set_landscape(ws);
	else
		worksheet_set_portrait(ws);
	worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.5);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_set_footer(ws, "&C&P / &N");
	return ws;
}

void xlsx_text(lxw_worksheet *ws, int row, int col, const char *s, lxw_format *f)
{
	if (s && *s)
		worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s, f);
}

static int copy_out(const char *path, struct perr *e)
{
	FILE *f = fopen(path, "rb");
	char buf[65536];
	size_t n;
	if (!f)
		return perr_set(e, EX_IOERR, "%s: cannot read back: %s", path, strerror(errno));
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		if (fwrite(buf, 1, n, stdout) != n) {
			fclose(f);
			return perr_set(e, EX_IOERR, "standard output: write error: %s", strerror(errno));
		}
	int bad = ferror(f);
	fclose(f);
	if (bad || fflush(stdout))
		return perr_set(e, EX_IOERR, "standard output: write error");
	return 0;
}

int xlsx_finish(struct xlsx *x, struct perr *e)
{
	lxw_error err = workbook_close(x->wb);
	x->wb = NULL;
	if (err != LXW_NO_ERROR) {
		afile_abort(&x->file);
		return perr_set(e, EX_IOERR, "%s: cannot write the workbook: %s", x->dest ? x->dest : _("standard output"),
				lxw_strerror(err));
	}
	return afile_close(&x->file, e);
}

int xlsx_close(struct xlsx *x, struct perr *e)
{
	int rc = xlsx_finish(x, e);
	if (rc || x->dest)
		return rc ? rc : afile_commit(&x->file, e);
	rc = copy_out(x->file.tmp, e);
	afile_abort(&x->file);
	return rc;
}

void xlsx_abort(struct xlsx *x)
{
	if (x->wb) {
		workbook_close(x->wb);
		x->wb = NULL;
	}
	afile_abort(&x->file);
}
