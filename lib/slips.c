/*
 * slips.c: the slips. Text: A4 in monospace holds 80 columns; slips are
 * separated by a cut line and never split across a page (6 to a page).
 * PDF: the same words across the page's width, login and password in a
 * monospace face that tells 0 from O and 1 from l, slips one under another
 * between dashed cut lines, never split across a page.
 */
#include <stdio.h>
#include <string.h>

#include "pdf.h"
#include "slips.h"

static const char CUT[] =
	"- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -\n";

static const char *who_word(const char *kind)
{
	if (strcmp(kind, "student") == 0)
		return "Ученик";
	if (strcmp(kind, "guardian") == 0)
		return "Родитель (законный представитель)";
	return "Сотрудник";
}

/* The words of every slip, text or PDF. */
static const char CHANGE[] = "Смените пароль при первом входе.";
static const char RULE1[] = "1. Никому не передавайте логин и пароль.";
static const char RULE3[] = "3. Всё, что сделано с логином после такого сообщения, недействительно.";

static const char *school_line_sep(const struct slip_info *in)
{
	return in->school && *in->school ? " — " : "";
}

static const char *url_of(const struct slip_info *in)
{
	return in->portal_url && *in->portal_url ? in->portal_url : "(уточните у классного руководителя)";
}

static const char *support_of(const struct slip_info *in)
{
	return in->support && *in->support ? in->support : "(контакт поддержки у классного руководителя)";
}

static void slip(FILE *f, const struct slip_info *in, const struct issue_item *it)
{
	fprintf(f, "Школьный портал%s%s\n", school_line_sep(in), in->school ? in->school : "");
	fprintf(f, "%s: %s%s%s\n", who_word(it->kind), it->full_name, *it->cls ? ", класс " : "", it->cls);
	fprintf(f, "Адрес портала:     %s\n", url_of(in));
	fprintf(f, "Логин:             %s\n", it->login);
	fprintf(f, "Временный пароль:  %s\n", it->password);
	fprintf(f, "%s\n%s\n", CHANGE, RULE1);
	fprintf(f, "2. Если они стали известны другому, в течение одного рабочего дня сообщите\n"	/* 80 columns */
		   "   руководителю школы и в поддержку: %s.\n", support_of(in));
	fprintf(f, "%s\n", RULE3);
}

int slips_write_txt(FILE *f, const struct slip_info *info, const struct issue_plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		fputs(CUT, f);
		slip(f, info, &p->items[i]);
		if (i % 6 == 5 && i + 1 < p->n) {
			fputs(CUT, f);
			fputc('\f', f);
		}
	}
	if (p->n)
		fputs(CUT, f);
	return ferror(f) ? -1 : 0;
}

/* One slip with its top at y: its height; drawn only when draw. */
static double slip_pdf(struct pdf *d, const struct slip_info *in, const struct issue_item *it, double y, int draw)
{
	const double x = PDF_LEFT + 6, w = PDF_W - PDF_LEFT - PDF_RIGHT - 12, label = 130;
	char line[1024];
	double h = 8;
	snprintf(line, sizeof line, "Школьный портал%s%s", school_line_sep(in), in->school ? in->school : "");
	h += pdf_text_at(d, PDF_SMALL_BOLD, PDF_LEFT_ALIGN, x, y + h, w, line, draw) + 3;
	snprintf(line, sizeof line, "%s: %s%s%s", who_word(it->kind), it->full_name, *it->cls ? ", класс " : "", it->cls);
	h += pdf_text_at(d, PDF_BOLD, PDF_LEFT_ALIGN, x, y + h, w, line, draw) + 3;
	pdf_text_at(d, PDF_BODY, PDF_LEFT_ALIGN, x, y + h, label, "Адрес портала:", draw);
	h += pdf_text_at(d, PDF_BODY, PDF_LEFT_ALIGN, x + label, y + h, w - label, url_of(in), draw) + 3;
	pdf_text_at(d, PDF_BODY, PDF_LEFT_ALIGN, x, y + h + 2, label, "Логин:", draw);
	h += pdf_text_at(d, PDF_MONO, PDF_LEFT_ALIGN, x + label, y + h, w - label, it->login, draw) + 2;
	pdf_text_at(d, PDF_BODY, PDF_LEFT_ALIGN, x, y + h + 2, label, "Временный пароль:", draw);
	h += pdf_text_at(d, PDF_MONO, PDF_LEFT_ALIGN, x + label, y + h, w - label, it->password ? it->password : "", draw) + 4;
	h += pdf_text_at(d, PDF_BOLD, PDF_LEFT_ALIGN, x, y + h, w, CHANGE, draw) + 3;
	h += pdf_text_at(d, PDF_SMALL, PDF_LEFT_ALIGN, x, y + h, w, RULE1, draw);
	snprintf(line, sizeof line, "2. Если они стали известны другому, в течение одного рабочего дня сообщите руководителю школы "
		 "и в поддержку: %s.", support_of(in));
	h += pdf_text_at(d, PDF_SMALL, PDF_LEFT_ALIGN, x, y + h, w, line, draw);
	h += pdf_text_at(d, PDF_SMALL, PDF_LEFT_ALIGN, x, y + h, w, RULE3, draw);
	return h + 8;
}

int slips_write_pdf(FILE *f, const struct slip_info *info, const struct issue_plan *p, const char *now, struct perr *e)
{
	struct pdf *d = pdf_new(f, "Школьный портал: логины и временные пароли", now);
	if (!d)
		return perr_set(e, EX_SOFTWARE, "cannot start a PDF document");
	const double x0 = PDF_LEFT, x1 = PDF_W - PDF_RIGHT;
	pdf_page(d, "Логины и временные пароли: разрежьте по пунктиру, раздайте лично в руки.", 1);
	for (size_t i = 0; i < p->n; i++) {
		double h = slip_pdf(d, info, &p->items[i], pdf_y(d), 0);
		pdf_keep(d, h);	/* a slip is never split */
		double y = pdf_y(d);
		pdf_cut(d, x0, y, x1, y);
		slip_pdf(d, info, &p->items[i], y, 1);
		pdf_cut(d, x0, y + h, x1, y + h);
		pdf_space(d, h);
	}
	return pdf_close(d, "the slips", e);
}
