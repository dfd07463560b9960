/*
 * extract.c: the content of an extract, read per class by a few set-based
 * queries (the journal grid, the tests, changes and holidays of the class,
 * the students' recommendations and attendance), and its renderers for
 * people (txt, xlsx) and scripts (csv). The e-mail renderer is in eml.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grading.h"
#include "ackcode.h"
#include "audit.h"
#include "config.h"
#include "extract.h"
#include "invalidate.h"
#include "values.h"

static void list_add(struct ex_list *l, const char *date, const char *text)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	str_copy(l->v[l->n].date, sizeof l->v[l->n].date, date ? date : "");
	l->v[l->n].text = xstrdup(text);
	l->n++;
}

static void list_free(struct ex_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* 2026-12-29 → 29.12.2026 */
static void ru_date(const char *iso, char out[11])
{
	if (iso && strlen(iso) == 10)
		snprintf(out, 11, "%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
	else
		str_copy(out, 11, iso ? iso : "");
}

/* 4.4444 → "4,44" */
static void ru_num(double v, char out[16])
{
	grading_fmt(v, 2, out, 16);
	char *dot = strchr(out, '.');
	if (dot)
		*dot = ',';
}

/* A query of the class over dates: $1 the class, $2 and $3 the first and last date. */
static struct stmt *class_query(struct ctx *c, const char *sql, const struct ex_class *xc, const char *to, struct perr *e)
{
	return store_query(c->store, e, sql, P_TEXT(xc->g.cls), P_TEXT(xc->g.from), P_TEXT(to));
}

#define SHORT_NAME(t) "TRIM(" t ".last_name || ' ' || substr(" t ".first_name, 1, 1) || '.' || " \
	"COALESCE(' ' || substr(" t ".middle_name, 1, 1) || '.', ''))"

static int load_lists(struct ctx *c, struct ex_class *xc, struct perr *e)
{
	char a[11], b[11];
	struct sbuf line;	/* a topic or a holiday's name as long as it was written */
	int rc;
	/* the tests and holidays of the four weeks after the period too */
	struct stmt *st = store_query(c->store, e,
		"SELECT t.date, su.name, COALESCE(t.topic, '') FROM tests t JOIN subjects su ON su.subject_id = t.subject_id "
		"WHERE t.class = $1 AND t.date BETWEEN $2 AND $3 AND " FACT_VALID("t") " ORDER BY t.date, su.name",
		P_TEXT(xc->g.cls), P_TEXT(xc->g.from), P_TEXT(xc->horizon));
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1) {
		sbuf_init(&line);
		sbuf_printf(&line, "%s%s%s", stmt_text(st, 1), *stmt_text(st, 2) ? " — " : "", stmt_text(st, 2));
		list_add(&xc->tests, stmt_text(st, 0), line.s);
		sbuf_free(&line);
	}
	stmt_reset(st);
	if (rc < 0)
		return -rc;
	st = class_query(c,
		"SELECT ch.date, ch.lesson_no, ch.kind, COALESCE(su.name, ''), COALESCE(" SHORT_NAME("t") ", ''), "
		"COALESCE(ch.new_date, ''), COALESCE(CAST(ch.new_lesson_no AS TEXT), ''), COALESCE(ch.note, '') FROM changes ch "
		"LEFT JOIN subjects su ON su.subject_id = ch.subject_id LEFT JOIN staff t ON t.staff_id = ch.teacher_id "
		"WHERE ch.class = $1 AND ch.date BETWEEN $2 AND $3 AND " FACT_VALID("ch") " ORDER BY ch.date, ch.lesson_no", xc, xc->to, e);
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1) {
		const char *kind = stmt_text(st, 2);
		struct sbuf s;
		sbuf_init(&s);
		sbuf_printf(&s, "урок %lld: %s", (long long)stmt_int(st, 1),
			    !strcmp(kind, "substitution") ? "замена" : !strcmp(kind, "moved") ? "перенос" : "отмена");
		if (*stmt_text(st, 3))
			sbuf_printf(&s, ", %s", stmt_text(st, 3));
		if (*stmt_text(st, 4))
			sbuf_printf(&s, ", учитель %s", stmt_text(st, 4));
		if (*stmt_text(st, 5) || *stmt_text(st, 6)) {
			ru_date(stmt_text(st, 5), a);
			sbuf_printf(&s, ", перенесён на %s%s%s", a, *stmt_text(st, 6) ? " урок " : "", stmt_text(st, 6));
		}
		if (*stmt_text(st, 7))
			sbuf_printf(&s, " (%s)", stmt_text(st, 7));
		list_add(&xc->changes, stmt_text(st, 0), s.s);
		sbuf_free(&s);
	}
	stmt_reset(st);
	if (rc < 0)
		return -rc;
	st = store_query(c->store, e,
		"SELECT start_date, end_date, name, grades FROM holidays h WHERE end_date >= $1 AND start_date <= $2 AND "
		FACT_VALID("h") " ORDER BY start_date", P_TEXT(xc->g.from), P_TEXT(xc->horizon));
	if (!st)
		return e->status;
	int grade = class_grade(xc->g.cls);
	while ((rc = stmt_step(st, e)) == 1) {
		if (!grades_include(stmt_text(st, 3), grade))
			continue;
		ru_date(stmt_text(st, 0), a);
		ru_date(stmt_text(st, 1), b);
		sbuf_init(&line);
		sbuf_printf(&line, "%s: %s – %s", stmt_text(st, 2), a, b);
		list_add(&xc->holidays, stmt_text(st, 0), line.s);
		sbuf_free(&line);
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

static int load_recommendations(struct ctx *c, struct ex_class *xc, struct perr *e)
{
	struct sbuf line;	/* a recommendation is as long as the teacher wrote it */
	int rc;
	xc->recs = xcalloc(xc->g.nstudents + 1, sizeof *xc->recs);
	struct stmt *st = class_query(c,
		"SELECT r.student_id, r.date, COALESCE(su.name, ''), COALESCE(" SHORT_NAME("t") ", ''), r.text "
		"FROM recommendations r JOIN students s ON s.student_id = r.student_id "
		"LEFT JOIN subjects su ON su.subject_id = r.subject_id LEFT JOIN staff t ON t.staff_id = r.teacher_id "
		"WHERE s.class = $1 AND r.date BETWEEN $2 AND $3 AND " FACT_VALID("r") " ORDER BY r.date", xc, xc->g.to, e);
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1) {
		long k = ex_class_student(xc, stmt_text(st, 0));
		if (k < 0)
			continue;
		const char *su = stmt_text(st, 2), *t = stmt_text(st, 3);
		sbuf_init(&line);
		sbuf_printf(&line, "%s%s%s%s%s%s", su, *t ? (*su ? " (" : "") : "", t, *t && *su ? ")" : "",
			    *su || *t ? ": " : "", stmt_text(st, 4));
		list_add(&xc->recs[k], stmt_text(st, 1), line.s);
		sbuf_free(&line);
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

long ex_class_student(const struct ex_class *xc, const char *id)
{
	for (size_t k = 0; k < xc->g.nstudents; k++)
		if (!strcmp(xc->g.students[k].id, id))
			return (long)k;
	return -1;
}

int ex_class_load(struct ctx *c, const char *cls, const char *from, const char *to, const char *period,
		  const char *as_of, struct ex_class *xc, struct perr *e)
{
	char buf[512];
	long days;
	memset(xc, 0, sizeof *xc);
	str_copy(xc->to, sizeof xc->to, to);
	str_copy(xc->as_of, sizeof xc->as_of, as_of ? as_of : c->today);
	/* a period not over: its journal up to the day the extract is made, as the nightly reports */
	int rc = jgrid_load(c, cls, NULL, from, strcmp(to, xc->as_of) <= 0 ? to : xc->as_of, period, &xc->g, e);
	if (rc)
		return rc;
	if (date_parse_iso(to, &days))
		return perr_set(e, EX_SOFTWARE, "%s: not a date", to);
	date_format_iso(days + 28, xc->horizon);
	if ((rc = config_get(c->store, "school.name", buf, sizeof buf, e)))
		return rc;
	xc->school = xstrdup(buf);
	rc = store_get(c->store, e, "SELECT " SHORT_NAME("t") " FROM staff t JOIN staff_classes sc ON sc.staff_id = t.staff_id "
		       "WHERE sc.class = $1 AND t.status = 'active' ORDER BY t.role <> 'class_leader', t.staff_id LIMIT 1",
		       P_TEXT(cls), INTO_TEXT(buf, sizeof buf));
	if (rc < 0)
		return -rc;
	xc->leader = xstrdup(buf);
	if ((rc = load_lists(c, xc, e)))
		return rc;
	return load_recommendations(c, xc, e);
}

void ex_class_free(struct ex_class *xc)
{
	for (size_t k = 0; xc->recs && k < xc->g.nstudents; k++)
		list_free(&xc->recs[k]);
	free(xc->recs);
	list_free(&xc->tests);
	list_free(&xc->changes);
	list_free(&xc->holidays);
	free(xc->school);
	free(xc->leader);
	jgrid_free(&xc->g);
	memset(xc, 0, sizeof *xc);
}

/* ---- txt ---- */

enum { TXT_WIDTH = 78 };

/* Appends text wrapped at TXT_WIDTH display columns, the first line after first (already
 * written, of width used), the next ones indented by indent. */
static void wrap(struct sbuf *out, size_t used, size_t indent, const char *text)
{
	size_t col = used;
	int line_start = 1;	/* nothing of text on this line yet */
	for (const char *p = text; *p;) {
		const char *w = p;
		while (*p && *p != ' ')
			p++;
		char *word = xstrndup(w, (size_t)(p - w));	/* a word of any length, whole */
		size_t ww = utf8_width(word);
		if (!line_start && col + 1 + ww > TXT_WIDTH) {
			sbuf_addc(out, '\n');
			for (col = 0; col < indent; col++)
				sbuf_addc(out, ' ');
		} else if (!line_start) {
			sbuf_addc(out, ' ');
			col++;
		}
		sbuf_adds(out, word);
		free(word);
		col += ww;
		line_start = 0;
		while (*p == ' ')
			p++;
	}
	sbuf_addc(out, '\n');
}

static void centered(struct sbuf *out, const char *s)
{
	size_t w = utf8_width(s);
	for (size_t i = w < TXT_WIDTH ? (TXT_WIDTH - w) / 2 : 0; i > 0; i--)
		sbuf_addc(out, ' ');
	sbuf_adds(out, s);
	sbuf_addc(out, '\n');
}

/* "05.11 — 5, 4; 09.11 — 3" of a student's marks in a subject */
static void marks_line(const struct ex_class *xc, const struct jg_line *l, struct sbuf *s)
{
	for (size_t d = 0; d < xc->g.ndates; d++) {
		if (!l->marks[d])
			continue;
		if (s->len)
			sbuf_adds(s, "; ");
		sbuf_printf(s, "%.2s.%.2s — ", xc->g.dates[d] + 8, xc->g.dates[d] + 5);
		for (const char *m = l->marks[d]; *m; m++)
			if (*m == ' ')
				sbuf_adds(s, ", ");
			else
				sbuf_addc(s, *m);
	}
}

static int has_marks(const struct jg_line *l)
{
	return l->avg.n > 0 || *l->final;
}

/* Whether a subject has its row in a student's extract: marks, a final, absences or lateness. */
static int shown(const struct jg_line *l)
{
	return has_marks(l) || l->abs.missed || l->abs.late;
}

enum { HEADING_LINES = 4 };

/* The lines every renderer prints under the title: to whom, the student, the period, the date
 * its figures go up to. */
static void heading(const struct extract *x, struct sbuf line[HEADING_LINES])
{
	const struct jgrid *g = &x->xc->g;
	char a[11], b[11], d[11];
	ru_date(g->from, a);
	ru_date(x->xc->to, b);
	ru_date(x->xc->as_of, d);
	for (int i = 0; i < HEADING_LINES; i++)
		sbuf_init(&line[i]);
	sbuf_printf(&line[0], "Кому: %s", x->guardian_name ? x->guardian_name : "родителям (законным представителям)");
	sbuf_printf(&line[1], "Ученик: %s, %s класс", g->students[x->stu].name, g->cls);
	if (g->period)
		sbuf_printf(&line[2], "Период: %s (%s – %s)", g->period, a, b);
	else
		sbuf_printf(&line[2], "Период: %s – %s", a, b);
	sbuf_printf(&line[3], "По состоянию на: %s", d);
}

static void heading_free(struct sbuf line[HEADING_LINES])
{
	for (int i = 0; i < HEADING_LINES; i++)
		sbuf_free(&line[i]);
}

/* The signature lines: the class leader's (a name or a blank to fill) and the parent's. */
#define LEADER_SIGNS "Классный руководитель ________________ /%s/"
#define PARENT_SIGNS "С выпиской ознакомлен(а) __________ /________________/ «__» ________ 20__ г."

static void txt_list(struct sbuf *out, const char *title, const struct ex_list *l, int with_date)
{
	char d[11];
	sbuf_printf(out, "\n%s\n", title);
	if (!l->n)
		sbuf_adds(out, "  нет\n");
	for (size_t i = 0; i < l->n; i++) {
		sbuf_adds(out, "  ");
		if (with_date) {
			ru_date(l->v[i].date, d);
			sbuf_printf(out, "%s  ", d);
		}
		wrap(out, with_date ? 14 : 2, with_date ? 14 : 4, l->v[i].text);
	}
}

void extract_txt(const struct extract *x, struct sbuf *out)
{
	const struct ex_class *xc = x->xc;
	const struct jgrid *g = &xc->g;
	char b[11], num[16], line[512], code[12];
	if (*xc->school)
		centered(out, xc->school);
	centered(out, "ВЫПИСКА ИЗ ЭЛЕКТРОННОГО ЖУРНАЛА");
	sbuf_addc(out, '\n');
	struct sbuf head[HEADING_LINES];
	heading(x, head);
	for (int i = 0; i < HEADING_LINES; i++)
		sbuf_printf(out, "%s\n", head[i].s);
	heading_free(head);
	sbuf_adds(out, "\nУСПЕВАЕМОСТЬ\n");
	int any = 0;
	for (size_t j = 0; j < g->nsubjects; j++) {
		const struct jg_subject *s = &g->subjects[j];
		const struct jg_line *l = &s->lines[x->stu];
		if (!shown(l))
			continue;
		any = 1;
		snprintf(line, sizeof line, "%s%s%s%s", s->name, *s->teacher ? " (учитель " : "", s->teacher, *s->teacher ? ")" : "");
		sbuf_addc(out, '\n');
		wrap(out, 0, 2, line);
		struct sbuf m;
		sbuf_init(&m);
		marks_line(xc, l, &m);
		sbuf_adds(out, "  Отметки: ");
		wrap(out, 11, 4, m.len ? m.s : "нет");
		sbuf_free(&m);
		double avg = wavg_value(&l->avg);
		if (avg >= 0) {
			ru_num(avg, num);
			sbuf_printf(out, "  Средний балл: %s", num);
		} else {
			sbuf_adds(out, "  Средний балл: —");
		}
		if (*l->final)
			sbuf_printf(out, "   Итоговая отметка: %s", l->final);
		sbuf_printf(out, "   Пропуски: %ld", l->abs.missed);
		if (l->abs.late)
			sbuf_printf(out, ", опозданий: %ld", l->abs.late);
		sbuf_addc(out, '\n');
	}
	if (!any)
		sbuf_adds(out, "\n  За этот период отметок нет.\n");
	absence_count_text(&g->absences[x->stu], line, sizeof line);
	sbuf_printf(out, "\nПОСЕЩАЕМОСТЬ\n  %s\n", line);
	ru_date(xc->horizon, b);
	snprintf(line, sizeof line, "КОНТРОЛЬНЫЕ РАБОТЫ (в периоде и до %s)", b);
	txt_list(out, line, &xc->tests, 1);
	txt_list(out, "ИЗМЕНЕНИЯ В РАСПИСАНИИ", &xc->changes, 1);
	txt_list(out, "КАНИКУЛЫ", &xc->holidays, 0);
	txt_list(out, "РЕКОМЕНДАЦИИ УЧИТЕЛЕЙ", &xc->recs[x->stu], 1);
	sbuf_adds(out, "\n\n");
	sbuf_printf(out, LEADER_SIGNS "\n\n", *xc->leader ? xc->leader : "____________________");
	sbuf_adds(out, PARENT_SIGNS "\n");
	if (*x->code) {
		ackcode_print(x->code, code);
		sbuf_printf(out, "\nКод подтверждения: %s\n", code);
	}
}

/* ---- pdf ---- */

static void pdf_list(struct pdf *doc, const char *title, const struct ex_list *l, int with_date)
{
	char d[11];
	pdf_space(doc, 8);
	pdf_keep(doc, 40);	/* a heading is not left alone at the foot of a page */
	pdf_text(doc, PDF_HEAD, PDF_LEFT_ALIGN, 0, title);
	pdf_space(doc, 2);
	if (!l->n)
		pdf_text(doc, PDF_BODY, PDF_LEFT_ALIGN, 12, "нет");
	for (size_t i = 0; i < l->n; i++) {
		struct sbuf line;
		sbuf_init(&line);
		if (with_date) {
			ru_date(l->v[i].date, d);
			sbuf_printf(&line, "%s — ", d);
		}
		sbuf_adds(&line, l->v[i].text);
		pdf_text(doc, PDF_BODY, PDF_LEFT_ALIGN, 12, line.s);
		sbuf_free(&line);
	}
}

void extract_pdf(const struct extract *x, struct pdf *doc)
{
	const struct ex_class *xc = x->xc;
	const struct jgrid *g = &xc->g;
	enum { QR = 78 };	/* the code's symbol, points: 2.75 cm */
	char b[11], line[512], code[12];
	snprintf(line, sizeof line, "Выписка из электронного журнала: %s, %s класс", g->students[x->stu].name, g->cls);
	pdf_page(doc, line, 1);
	/* the heading on the left, the acknowledgement code's QR symbol on the right */
	double top = pdf_y(doc), w = PDF_W - PDF_LEFT - PDF_RIGHT - QR - 12;
	if (*x->code) {
		ackcode_print(x->code, code);
		pdf_qr(doc, code, PDF_W - PDF_RIGHT - QR, top, QR);
		pdf_text_at(doc, PDF_SMALL, PDF_CENTER, PDF_W - PDF_RIGHT - QR - 6, top + QR - 2, QR + 12, code, 1);
	}
	if (*xc->school)
		pdf_space(doc, pdf_text_at(doc, PDF_BODY, PDF_LEFT_ALIGN, PDF_LEFT, pdf_y(doc), w, xc->school, 1) + 4);
	pdf_space(doc, pdf_text_at(doc, PDF_TITLE, PDF_LEFT_ALIGN, PDF_LEFT, pdf_y(doc), w, "ВЫПИСКА ИЗ ЭЛЕКТРОННОГО ЖУРНАЛА",
				   1) + 8);
	struct sbuf head[HEADING_LINES];
	heading(x, head);
	for (int i = 0; i < HEADING_LINES; i++)
		pdf_space(doc, pdf_text_at(doc, PDF_BODY, PDF_LEFT_ALIGN, PDF_LEFT, pdf_y(doc), w, head[i].s, 1) + 2);
	heading_free(head);
	if (*x->code && pdf_y(doc) < top + QR + 12)
		pdf_space(doc, top + QR + 12 - pdf_y(doc));
	pdf_space(doc, 10);
	pdf_text(doc, PDF_HEAD, PDF_LEFT_ALIGN, 0, "Успеваемость");
	pdf_space(doc, 4);
	static const struct pdf_col cols[] = {
		{ "Предмет, учитель", 0.25, PDF_LEFT_ALIGN },
		{ "Отметки", 0.43, PDF_LEFT_ALIGN },
		{ "Средний балл", 0.11, PDF_CENTER },
		{ "Итог", 0.09, PDF_CENTER },
		{ "Пропуски, опоздания", 0.12, PDF_CENTER },
	};
	enum { NC = sizeof cols / sizeof *cols };
	char **cells = xcalloc(g->nsubjects * NC + 1, sizeof *cells);
	size_t n = 0;
	for (size_t j = 0; j < g->nsubjects; j++) {
		const struct jg_subject *s = &g->subjects[j];
		const struct jg_line *l = &s->lines[x->stu];
		if (!shown(l))
			continue;
		struct sbuf m;
		char num[16], miss[64];
		sbuf_init(&m);
		marks_line(xc, l, &m);
		double avg = wavg_value(&l->avg);
		if (avg >= 0)
			ru_num(avg, num);
		else
			str_copy(num, sizeof num, "—");
		if (l->abs.late)
			snprintf(miss, sizeof miss, "%ld, %ld", l->abs.missed, l->abs.late);
		else
			snprintf(miss, sizeof miss, "%ld", l->abs.missed);
		char **c = cells + n * NC;
		c[0] = xstrdup(s->name);
		if (*s->teacher) {
			free(c[0]);
			c[0] = xmalloc(strlen(s->name) + strlen(s->teacher) + 2);
			sprintf(c[0], "%s\n%s", s->name, s->teacher);
		}
		c[1] = xstrdup(m.len ? m.s : "нет");
		c[2] = xstrdup(num);
		c[3] = xstrdup(l->final);
		c[4] = xstrdup(miss);
		sbuf_free(&m);
		n++;
	}
	if (n)
		pdf_table(doc, cols, NC, (const char *const *)cells, n, PDF_BODY);
	else
		pdf_text(doc, PDF_BODY, PDF_LEFT_ALIGN, 12, "За этот период отметок нет.");
	for (size_t i = 0; i < n * NC; i++)
		free(cells[i]);
	free(cells);
	pdf_space(doc, 8);
	pdf_keep(doc, 40);
	pdf_text(doc, PDF_HEAD, PDF_LEFT_ALIGN, 0, "Посещаемость");
	pdf_space(doc, 2);
	absence_count_text(&g->absences[x->stu], line, sizeof line);
	pdf_text(doc, PDF_BODY, PDF_LEFT_ALIGN, 12, line);
	ru_date(xc->horizon, b);
	snprintf(line, sizeof line, "Контрольные работы (в периоде и до %s)", b);
	pdf_list(doc, line, &xc->tests, 1);
	pdf_list(doc, "Изменения в расписании", &xc->changes, 1);
	pdf_list(doc, "Каникулы", &xc->holidays, 0);
	pdf_list(doc, "Рекомендации учителей", &xc->recs[x->stu], 1);
	/* the signatures stay together, with the code */
	pdf_space(doc, 18);
	pdf_keep(doc, 90);
	snprintf(line, sizeof line, LEADER_SIGNS, *xc->leader ? xc->leader : "____________________");
	pdf_text(doc, PDF_BODY, PDF_LEFT_ALIGN, 0, line);
	pdf_space(doc, 16);
	pdf_text(doc, PDF_BODY, PDF_LEFT_ALIGN, 0, PARENT_SIGNS);
	if (*x->code) {
		pdf_space(doc, 12);
		snprintf(line, sizeof line, "Код подтверждения: %s (QR-код вверху первой страницы). Подписанную выписку верните "
			 "классному руководителю.", code);
		pdf_text(doc, PDF_SMALL, PDF_LEFT_ALIGN, 0, line);
	}
}

/* ---- the letter of an e-mail ---- */

void extract_letter(const struct extract *x, const char *url, struct sbuf *out)
{
	const struct jgrid *g = &x->xc->g;
	char code[12];
	struct sbuf head[HEADING_LINES];
	sbuf_adds(out, "Здравствуйте!\n\nВо вложении — выписка из электронного журнала (PDF), та же, что выдаётся на бумаге.\n\n");
	heading(x, head);
	for (int i = 0; i < HEADING_LINES; i++)
		sbuf_printf(out, "%s\n", head[i].s);
	heading_free(head);
	if (*x->code) {
		ackcode_print(x->code, code);
		sbuf_printf(out, "\nКод подтверждения: %s\n", code);
	}
	if (url && *url) {
		size_t n = strlen(url);
		sbuf_printf(out, "\nПрочитав выписку, войдите в личный кабинет на школьном портале и нажмите «Ознакомлен(а)»:\n"
			    "%.*s/student/%s/extracts\n", (int)(n && url[n - 1] == '/' ? n - 1 : n), url, g->students[x->stu].id);
	} else {
		sbuf_adds(out, "\nПрочитав выписку, сообщите код подтверждения классному руководителю.\n");
	}
	sbuf_adds(out, "\nПисьмо отправлено автоматически, отвечать на него не нужно.\n");
	if (*x->xc->school)
		sbuf_printf(out, "%s\n", x->xc->school);
}

/* ---- csv ---- */

const struct out_col extract_csv_cols[] = { { "code", COL_TEXT }, { "student_id", COL_TEXT },
	{ "student_name", COL_TEXT }, { "class", COL_TEXT }, { "period", COL_TEXT }, { "from", COL_TEXT },
	{ "to", COL_TEXT }, { "subject", COL_TEXT }, { "teacher", COL_TEXT }, { "marks", COL_TEXT },
	{ "average", COL_NUMBER }, { "final", COL_TEXT }, { "missed", COL_NUMBER }, { "illness", COL_NUMBER },
	{ "excused", COL_NUMBER }, { "late", COL_NUMBER }, { "as_of", COL_TEXT } };
const size_t extract_csv_ncols = 17;

/* missed, illness, excused, late as the csv's cells */
static void count_cells(const struct absence_count *a, char n[4][24])
{
	snprintf(n[0], 24, "%ld", a->missed);
	snprintf(n[1], 24, "%ld", a->illness);
	snprintf(n[2], 24, "%ld", a->excused);
	snprintf(n[3], 24, "%ld", a->late);
}

int extract_csv(const struct extract *x, int (*fn)(void *, const char *const *, size_t), void *fctx)
{
	const struct ex_class *xc = x->xc;
	const struct jgrid *g = &xc->g;
	char avg[16], n[4][24];
	const char *v[17] = { x->code, g->students[x->stu].id, g->students[x->stu].name, g->cls, g->period ? g->period : "",
			      g->from, xc->to };
	v[16] = xc->as_of;
	int rc = 0;
	for (size_t j = 0; !rc && j < g->nsubjects; j++) {
		const struct jg_line *l = &g->subjects[j].lines[x->stu];
		if (!shown(l))
			continue;
		struct sbuf m;
		sbuf_init(&m);
		for (size_t d = 0; d < g->ndates; d++)
			if (l->marks[d])
				sbuf_printf(&m, "%s%s:%s", m.len ? " " : "", g->dates[d], l->marks[d]);
		double a = wavg_value(&l->avg);
		if (a >= 0)
			grading_fmt(a, 2, avg, sizeof avg);
		else
			*avg = 0;
		count_cells(&l->abs, n);
		v[7] = g->subjects[j].name;
		v[8] = g->subjects[j].teacher;
		v[9] = m.s ? m.s : "";
		v[10] = avg;
		v[11] = l->final;
		for (int i = 0; i < 4; i++)
			v[12 + i] = n[i];
		rc = fn(fctx, v, 17);
		sbuf_free(&m);
	}
	/* the attendance of the whole period, subject "итого" */
	count_cells(&g->absences[x->stu], n);
	v[7] = "итого";
	v[8] = v[9] = v[10] = v[11] = "";
	for (int i = 0; i < 4; i++)
		v[12 + i] = n[i];
	return rc ? rc : fn(fctx, v, 17);
}

/* ---- xlsx ---- */

int extract_xlsx(const struct extract *x, struct xlsx *book)
{
	const struct ex_class *xc = x->xc;
	const struct jgrid *g = &xc->g;
	char a[11], b[11], title[512], code[12], sheet[160];
	snprintf(sheet, sizeof sheet, "%s %s", g->cls, g->students[x->stu].name);
	lxw_worksheet *ws = xlsx_sheet(book, sheet, 0);
	if (!ws)
		return -1;
	ru_date(g->from, a);
	ru_date(xc->to, b);
	int r = 0;
	if (*xc->school)
		xlsx_text(ws, r++, 0, xc->school, NULL);
	xlsx_text(ws, r++, 0, "Выписка из электронного журнала", book->title);
	snprintf(title, sizeof title, "%s, %s класс; %s%s%s – %s%s", g->students[x->stu].name, g->cls,
		 g->period ? g->period : "", g->period ? " (" : "", a, b, g->period ? ")" : "");
	xlsx_text(ws, r++, 0, title, NULL);
	ru_date(xc->as_of, a);
	snprintf(title, sizeof title, "По состоянию на: %s", a);
	xlsx_text(ws, r++, 0, title, NULL);
	r++;
	static const char *const head[] = { "Предмет", "Учитель", "Отметки", "Средний балл", "Итоговая", "Пропуски", "Опоздания" };
	for (int i = 0; i < 7; i++)
		xlsx_text(ws, r, i, head[i], book->head);
	worksheet_repeat_rows(ws, (lxw_row_t)r, (lxw_row_t)r);
	r++;
	worksheet_set_column(ws, 0, 0, 20, NULL);
	worksheet_set_column(ws, 1, 1, 18, NULL);
	worksheet_set_column(ws, 2, 2, 40, NULL);
	worksheet_set_column(ws, 3, 6, 10, NULL);
	int any = 0;
	for (size_t j = 0; j < g->nsubjects; j++) {
		const struct jg_line *l = &g->subjects[j].lines[x->stu];
		if (!shown(l))
			continue;
		any = 1;
		struct sbuf m;
		sbuf_init(&m);
		marks_line(xc, l, &m);
		xlsx_text(ws, r, 0, g->subjects[j].name, book->text);
		xlsx_text(ws, r, 1, g->subjects[j].teacher, book->text);
		xlsx_text(ws, r, 2, m.s, book->text);
		sbuf_free(&m);
		double avg = wavg_value(&l->avg);
		if (avg >= 0)
			worksheet_write_number(ws, (lxw_row_t)r, 3, avg, book->num2);
		if (l->final[0] >= '1' && l->final[0] <= '5' && !l->final[1])
			worksheet_write_number(ws, (lxw_row_t)r, 4, l->final[0] - '0', NULL);
		else
			xlsx_text(ws, r, 4, l->final, book->text);
		worksheet_write_number(ws, (lxw_row_t)r, 5, (double)l->abs.missed, NULL);
		worksheet_write_number(ws, (lxw_row_t)r, 6, (double)l->abs.late, NULL);
		r++;
	}
	if (!any)
		xlsx_text(ws, r++, 0, "За этот период отметок нет.", NULL);
	absence_count_text(&g->absences[x->stu], title, sizeof title);
	r++;
	xlsx_text(ws, r++, 0, title, NULL);
	const struct { const char *title; const struct ex_list *l; } lists[] = {
		{ "Контрольные работы", &xc->tests }, { "Изменения в расписании", &xc->changes },
		{ "Каникулы", &xc->holidays }, { "Рекомендации учителей", &xc->recs[x->stu] },
	};
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
		r++;
		xlsx_text(ws, r++, 0, lists[i].title, book->head);
		if (!lists[i].l->n)
			xlsx_text(ws, r++, 0, "нет", NULL);
		for (size_t k = 0; k < lists[i].l->n; k++) {
			ru_date(lists[i].l->v[k].date, a);
			if (lists[i].l != &xc->holidays)
				xlsx_text(ws, r, 0, a, book->text);
			xlsx_text(ws, r++, lists[i].l != &xc->holidays ? 1 : 0, lists[i].l->v[k].text, book->text);
		}
	}
	r++;
	snprintf(title, sizeof title, LEADER_SIGNS, *xc->leader ? xc->leader : "____________");
	xlsx_text(ws, r++, 0, title, NULL);
	r++;
	xlsx_text(ws, r++, 0, PARENT_SIGNS, NULL);
	if (*x->code) {
		ackcode_print(x->code, code);
		snprintf(title, sizeof title, "Код подтверждения: %s", code);
		xlsx_text(ws, ++r, 0, title, NULL);
	}
	return 0;
}

/* An extract a leaked login registered stops counting by its audit_seq; one it handed to the mail
 * server cannot be called back, and the breach says so. */
/* The period or dates and the people of an extract as it was registered. */
struct ex_row {
	char student[64], cls[8], period[128], from[11], to[11], issued_at[21], guardian[512];
	int by_period;
};

static int ex_row_of(struct ctx *c, const char *code, struct ex_row *r, struct perr *e)
{
	int rc = store_get(c->store, e,
		"SELECT x.student_id, x.class, COALESCE(x.period, ''), x.date_from, x.date_to, x.issued_at, "
		"COALESCE(TRIM(g.last_name || ' ' || g.first_name || ' ' || COALESCE(g.middle_name, '')), '') "
		"FROM extracts x LEFT JOIN guardians g ON g.guardian_id = x.guardian_id WHERE x.code = $1 AND " FACT_VALID("x"),
		P_TEXT(code), INTO_TEXT(r->student, sizeof r->student), INTO_TEXT(r->cls, sizeof r->cls),
		INTO_TEXT(r->period, sizeof r->period), INTO_TEXT(r->from, sizeof r->from), INTO_TEXT(r->to, sizeof r->to),
		INTO_TEXT(r->issued_at, sizeof r->issued_at), INTO_TEXT(r->guardian, sizeof r->guardian));
	if (rc < 0)
		return -rc;
	if (!rc)
		return perr_set(e, EX_DATAERR, "%s: no extract has this code", code);
	r->by_period = *r->period != 0;
	return 0;
}

int extract_pdf_again(struct ctx *c, const char *code, char **data, size_t *len, struct perr *e)
{
	struct ex_row r;
	struct ex_class xc;
	*data = NULL;
	*len = 0;
	int rc = ex_row_of(c, code, &r, e);
	if (rc)
		return rc;
	/* made as on the day it was issued: a period then not over counts up to that day */
	char tz[128], made[11];
	long long at;
	memset(&xc, 0, sizeof xc);
	if ((rc = config_get(c->store, "school.timezone", tz, sizeof tz, e)))
		goto out;
	if (ts_parse_utc(r.issued_at, &at)) {
		rc = perr_set(e, EX_SOFTWARE, "%s: issued_at \"%s\" is not a timestamp", code, r.issued_at);
		goto out;
	}
	date_format_iso(ts_local_days(at, tz), made);
	if ((rc = ex_class_load(c, r.cls, r.from, r.to, r.by_period ? r.period : NULL, made, &xc, e)))
		goto out;
	long k = ex_class_student(&xc, r.student);
	if (k < 0) {
		rc = perr_set(e, EX_DATAERR, "%s: student %s is no longer in the grid of class %s", code, r.student, r.cls);
		goto out;
	}
	struct extract x = { &xc, (size_t)k, *r.guardian ? r.guardian : NULL, "" };
	str_copy(x.code, sizeof x.code, code);
	FILE *f = open_memstream(data, len);
	if (!f) {
		rc = perr_set(e, EX_OSERR, "cannot make the PDF in memory");
		goto out;
	}
	struct pdf *doc = pdf_new(f, "Выписка из электронного журнала", r.issued_at);	/* the date it was made */
	rc = doc ? 0 : perr_set(e, EX_SOFTWARE, "cannot start a PDF document");
	if (doc) {
		extract_pdf(&x, doc);
		rc = pdf_close(doc, "the extract's PDF", e);
	}
	if (fclose(f) && !rc)
		rc = perr_set(e, EX_OSERR, "cannot make the PDF in memory");
out:
	ex_class_free(&xc);
	if (rc) {
		free(*data);
		*data = NULL;
		*len = 0;
	}
	return rc;
}

static int undo_extract(struct ctx *c, const struct undo *u, const char *code, const char *detail, const void *arg,
			struct perr *e)
{
	if (strstr(detail, "\"op\":\"send\"") && strstr(detail, "\"accepted\""))
		return perr_set(e, EX_DATAERR, "the e-mail of extract %s was accepted by the mail server; it cannot be called "
				"back (the extract no longer counts)", code);
	return 0;
}

void extract_register_undo(struct undo_table *t)
{
	invalidate_register(t, "extract", undo_extract, NULL);
}
