/*
 * webpages.c: the information pages of the web cabinet about one student
 * (the journal lesson by lesson, homework, the timetable with its changes,
 * tests, teachers, recommendations) and the school's holidays. They read the
 * journal through the same lib/ functions as the binaries: the journal grid
 * for marks and attendance, the extract's reader for tests and
 * recommendations, the teachers' list of portal-journal. Every value reaches
 * the page through html.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "extract.h"
#include "jgrid.h"
#include "journal.h"
#include "known.h"
#include "values.h"
#include "webpage.h"

static const struct {
	const char *name, *title;
} nav_links[] = {
	{ "", "Успеваемость" }, { "journal", "Журнал" }, { "homework", "Домашние задания" },
	{ "timetable", "Расписание" }, { "tests", "Контрольные" }, { "teachers", "Учителя" },
	{ "recommendations", "Рекомендации" },
};

/* 2026-12-29 → 29.12.2026 */
static void ru_date(const char *iso, char out[11])
{
	if (iso && strlen(iso) == 10)
		snprintf(out, 11, "%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
	else
		str_copy(out, 11, iso ? iso : "");
}

static const char *weekday_name(const char *iso)
{
	static const char *const names[] = { "", "пн", "вт", "ср", "чт", "пт", "сб", "вс" };
	long days;
	return date_parse_iso(iso, &days) ? "" : names[date_weekday(days)];
}

/* The page's head: its title, whom it is about, the links to the other pages of the student. */
static void student_head(struct req *q, const struct web_student *w, const char *title, const char *self)
{
	struct page *p = &q->out->p;
	p->personal = 1;
	page_begin(p, title, q->school);
	html_f(&p->body, "<h1>%s</h1>\n<p>%s, %s</p>\n<nav><p><a href=\"/\">Главная</a>", title, w->name, w->cls);
	for (size_t i = 0; i < sizeof nav_links / sizeof *nav_links; i++) {
		if (!strcmp(nav_links[i].name, self))
			html_f(&p->body, " · <b>%s</b>", nav_links[i].title);
		else
			html_f(&p->body, *nav_links[i].name ? " · <a href=\"/student/%s/%s\">%s</a>" : " · <a href=\"/student/%s%s\">%s</a>",
			       w->id, nav_links[i].name, nav_links[i].title);
	}
	sbuf_adds(&p->body, " · <a href=\"/holidays\">Каникулы</a> ");
	wp_logout_button(q);
	sbuf_adds(&p->body, "</p></nav>\n");
}

/* The period of the page (?period=, else the current one) with its first and last date; 65 with
 * the notice on the page when there is no such period. */
static int page_period(struct req *q, char *name, size_t n, char from[11], char to[11])
{
	char so_far[11];
	int rc;
	if (q->r->period) {
		str_copy(name, n, q->r->period);
	} else if ((rc = journal_period_so_far(q->c.store, q->c.today, name, n, from, so_far, &q->e))) {
		return rc;
	}
	rc = known_period(q->c.store, "period", name, from, to, &q->e);
	if (rc == EX_DATAERR) {
		q->e.status = 0;
		sbuf_adds(&q->out->p.body, "<p>Такого учебного периода нет.</p>\n");
	}
	return rc;
}

static void period_title(struct req *q, const char *what, const char *name, const char *from, const char *to)
{
	char a[11], b[11];
	ru_date(from, a);
	ru_date(to, b);
	html_f(&q->out->p.body, "<h2>%s: %s (%s – %s)</h2>\n", what, name, a, b);
}

static const char *earlier(const char *a, const char *b)
{
	return strcmp(a, b) <= 0 ? a : b;
}

static void add_days(const char *iso, long n, char out[11])
{
	long days;
	if (date_parse_iso(iso, &days))
		str_copy(out, 11, iso);
	else
		date_format_iso(days + n, out);
}

/* A table's row begins: the table itself before its first row (*n counts the rows). */
static void row_start(struct sbuf *b, size_t *n)
{
	sbuf_adds(b, (*n)++ ? "<tr>" : "<table>\n<tr>");
}

/* ---- the lessons: the journal and the homework ---- */

struct lesson {
	char date[11];
	int64_t subject;
	char *subject_name, *topic, *homework;
};

struct lessons {
	struct lesson *v;
	size_t n;
};

static void lessons_free(struct lessons *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].subject_name);
		free(l->v[i].topic);
		free(l->v[i].homework);
	}
	free(l->v);
}

/* The lessons a student attends in the dates: the class's own and those of their groups and streams. */
static int student_lessons(struct req *q, const struct web_student *w, const char *from, const char *to,
			   struct lessons *out)
{
	struct stmt *st = store_query(q->c.store, &q->e,
		"SELECT l.date, l.subject_id, su.name, COALESCE(l.topic, ''), COALESCE(l.homework, '') FROM lessons l "
		"JOIN subjects su ON su.subject_id = l.subject_id WHERE l.class IN ($1, '') AND l.date BETWEEN $2 AND $3 "
		"AND " FACT_VALID("l") " AND ((l.class = $1 AND l.group_id = 0) OR l.group_id IN (SELECT gm.group_id "
		"FROM group_members gm WHERE gm.student_id = $4 AND " FACT_VALID("gm") ")) ORDER BY l.date, l.lesson_no",
		P_TEXT(w->cls), P_TEXT(from), P_TEXT(to), P_TEXT(w->id));
	int rc;
	memset(out, 0, sizeof *out);
	if (!st)
		return q->e.status;
	while ((rc = stmt_step(st, &q->e)) == 1) {
		out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
		struct lesson *l = &out->v[out->n++];
		str_copy(l->date, sizeof l->date, stmt_text(st, 0));
		l->subject = stmt_int(st, 1);
		l->subject_name = xstrdup(stmt_text(st, 2));
		l->topic = xstrdup(stmt_text(st, 3));
		l->homework = xstrdup(stmt_text(st, 4));
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

static long grid_date(const struct jgrid *g, const char *date)
{
	for (size_t i = 0; i < g->ndates; i++)
		if (!strcmp(g->dates[i], date))
			return (long)i;
	return -1;
}

static long grid_subject(const struct jgrid *g, int64_t id)
{
	for (size_t j = 0; j < g->nsubjects; j++)
		if (g->subjects[j].id == id)
			return (long)j;
	return -1;
}

/* The student's cell of the grid on a lesson (marks, then attendance codes), once per subject and day. */
static const char *lesson_cell(const struct jgrid *g, long k, const struct lesson *l, unsigned char *shown)
{
	long j = grid_subject(g, l->subject), d = grid_date(g, l->date);
	if (k < 0 || j < 0 || d < 0 || shown[(size_t)j * g->ndates + (size_t)d]++)
		return "";
	const char *cell = g->subjects[j].lines[k].cells[d];
	return cell ? cell : "";
}

int wp_journal_page(struct req *q, const struct web_student *w)
{
	char pname[128], from[11], to[11];
	struct jgrid g;
	struct lessons ls;
	struct sbuf *b = &q->out->p.body;
	student_head(q, w, "Журнал", "journal");
	int rc = page_period(q, pname, sizeof pname, from, to);
	if (rc)
		return rc == EX_DATAERR ? (page_end(&q->out->p), 0) : rc;
	const char *until = earlier(to, q->c.today);
	period_title(q, "Уроки", pname, from, until);
	memset(&g, 0, sizeof g);
	if ((rc = jgrid_load(&q->c, w->cls, NULL, from, until, NULL, &g, &q->e)))
		return rc;
	if ((rc = student_lessons(q, w, from, until, &ls))) {
		jgrid_free(&g);
		return rc;
	}
	long k = -1;
	for (size_t i = 0; i < g.nstudents; i++)
		if (!strcmp(g.students[i].id, w->id))
			k = (long)i;
	unsigned char *shown = xcalloc(g.nsubjects * g.ndates + 1, 1);
	const char *day = "";
	for (size_t i = 0; i < ls.n; i++) {
		const struct lesson *l = &ls.v[i];
		char d[11];
		if (strcmp(day, l->date)) {
			ru_date(l->date, d);
			if (*day)
				sbuf_adds(b, "</table>\n");
			html_f(b, "<h3>%s, %s</h3>\n<table>\n", weekday_name(l->date), d);
			day = l->date;
		}
		html_f(b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>\n", l->subject_name, l->topic,
		       lesson_cell(&g, k, l, shown));
	}
	sbuf_adds(b, ls.n ? "</table>\n<p>н — пропуск, б — по болезни, у — по уважительной причине, о — опоздание.</p>\n"
		  : "<p>Уроков в этот период нет.</p>\n");
	free(shown);
	lessons_free(&ls);
	jgrid_free(&g);
	page_end(&q->out->p);
	return 0;
}

int wp_homework_page(struct req *q, const struct web_student *w)
{
	char pname[128], from[11], to[11], until[11];
	struct lessons ls;
	struct sbuf *b = &q->out->p.body;
	size_t shown = 0;
	student_head(q, w, "Домашние задания", "homework");
	int rc = page_period(q, pname, sizeof pname, from, to);
	if (rc)
		return rc == EX_DATAERR ? (page_end(&q->out->p), 0) : rc;
	add_days(earlier(to, q->c.today), 14, until);	/* and the next two weeks */
	period_title(q, "Задания", pname, from, until);
	if ((rc = student_lessons(q, w, from, until, &ls)))
		return rc;
	for (size_t i = ls.n; i-- > 0;) {	/* the newest first */
		char d[11];
		if (!*ls.v[i].homework)
			continue;
		ru_date(ls.v[i].date, d);
		row_start(b, &shown);
		html_f(b, "<td>%s, %s</td><td>%s</td><td>%s</td></tr>\n", weekday_name(ls.v[i].date), d, ls.v[i].subject_name, ls.v[i].homework);
	}
	sbuf_adds(b, shown ? "</table>\n" : "<p>Домашних заданий в эти дни нет.</p>\n");
	lessons_free(&ls);
	page_end(&q->out->p);
	return 0;
}

/* ---- the extract's lists: tests and recommendations ---- */

static void ex_list_table(struct req *q, const struct ex_list *l, const char *none)
{
	struct sbuf *b = &q->out->p.body;
	size_t shown = 0;
	for (size_t i = 0; i < l->n; i++) {
		char d[11];
		ru_date(l->v[i].date, d);
		row_start(b, &shown);
		html_f(b, "<td>%s, %s</td><td>%s</td></tr>\n", weekday_name(l->v[i].date), d, l->v[i].text);
	}
	if (shown)
		sbuf_adds(b, "</table>\n");
	else
		html_f(b, "<p>%s</p>\n", none);
}

static int extract_page(struct req *q, const struct web_student *w, int tests)
{
	char pname[128], from[11], to[11];
	struct ex_class xc;
	student_head(q, w, tests ? "Контрольные работы" : "Рекомендации учителей", tests ? "tests" : "recommendations");
	int rc = page_period(q, pname, sizeof pname, from, to);
	if (rc)
		return rc == EX_DATAERR ? (page_end(&q->out->p), 0) : rc;
	if ((rc = ex_class_load(&q->c, w->cls, from, to, NULL, NULL, &xc, &q->e))) {
		ex_class_free(&xc);
		return rc;
	}
	if (tests) {
		period_title(q, "Период и четыре недели после него", pname, from, xc.horizon);
		ex_list_table(q, &xc.tests, "Контрольных работ в эти дни нет.");
	} else {
		long k = ex_class_student(&xc, w->id);
		static const struct ex_list none;
		period_title(q, "Рекомендации", pname, from, to);
		ex_list_table(q, k >= 0 ? &xc.recs[k] : &none, "Рекомендаций за этот период нет.");
	}
	ex_class_free(&xc);
	page_end(&q->out->p);
	return 0;
}

int wp_tests_page(struct req *q, const struct web_student *w)
{
	return extract_page(q, w, 1);
}

int wp_recommendations_page(struct req *q, const struct web_student *w)
{
	return extract_page(q, w, 0);
}

/* ---- teachers ---- */

struct teachers {
	struct req *q;
	const char *student;
	size_t n;
};

static int teacher_row(void *ctx, const char *const *v, size_t n)
{
	struct teachers *t = ctx;
	struct req *q = t->q;
	int64_t mine = 1;
	if (n < 6 || !*v[5])
		return 0;
	if (strcmp(v[1], "class")) {	/* a group: only the student's own */
		int rc = store_exists(q->c.store, &q->e, "SELECT 1 FROM group_members gm JOIN study_groups g ON "
				      "g.group_id = gm.group_id WHERE gm.student_id = $1 AND g.name = $2 AND g.class = $3 AND "
				      FACT_VALID("gm"), P_TEXT(t->student), P_TEXT(v[2]), P_TEXT(v[3]));
		if (rc < 0)
			return -rc;
		mine = rc;
	}
	if (mine) {
		row_start(&q->out->p.body, &t->n);
		html_f(&q->out->p.body, "<td>%s</td><td>%s</td><td>%s</td></tr>\n", v[0], v[5],
		       strcmp(v[1], "class") ? v[2] : "весь класс");
	}
	return 0;
}

int wp_teachers_page(struct req *q, const struct web_student *w)
{
	struct teachers t = { q, w->id, 0 };
	student_head(q, w, "Учителя", "teachers");
	int rc = journal_list_teachers(&q->c, w->cls, teacher_row, &t, &q->e);
	if (rc)
		return rc;
	sbuf_adds(&q->out->p.body, t.n ? "</table>\n" : "<p>Учителя класса пока не указаны.</p>\n");
	page_end(&q->out->p);
	return 0;
}

/* ---- the timetable ---- */

struct tt_slot {
	int weekday, lesson_no;
	char from[11], to[11];	/* valid_from ("" from the start), valid_to ("" open) */
	char *subject, *teacher, *room;
};

struct tt_change {
	char date[11], new_date[11], kind[16];
	int lesson_no, new_lesson_no;
	char *subject, *teacher, *note;
};

struct timetable {
	struct tt_slot *s;
	size_t ns;
	struct tt_change *c;
	size_t nc;
	char **holidays;	/* start, end pairs of the class's grade */
	size_t nh;
};

static char *col(struct stmt *st, int i)
{
	return xstrdup(stmt_text(st, i) ? stmt_text(st, i) : "");
}

static int load_slots(struct req *q, const char *cls, const char *from, const char *to, struct timetable *t)
{
	struct stmt *st = store_query(q->c.store, &q->e,
		"SELECT sc.weekday, sc.lesson_no, sc.valid_from, COALESCE(sc.valid_to, ''), su.name, "
		"TRIM(COALESCE(t.last_name || ' ' || t.first_name || ' ' || COALESCE(t.middle_name, ''), '')), sc.room "
		"FROM schedule sc JOIN subjects su ON su.subject_id = sc.subject_id LEFT JOIN staff t ON t.staff_id = sc.teacher_id "
		"WHERE sc.class = $1 AND " FACT_VALID("sc") " AND (sc.valid_from = '' OR sc.valid_from <= $3) "
		"AND (sc.valid_to IS NULL OR sc.valid_to >= $2) ORDER BY sc.weekday, sc.lesson_no, su.name",
		P_TEXT(cls), P_TEXT(from), P_TEXT(to));
	int rc;
	if (!st)
		return q->e.status;
	while ((rc = stmt_step(st, &q->e)) == 1) {
		t->s = xrealloc(t->s, (t->ns + 1) * sizeof *t->s);
		struct tt_slot *s = &t->s[t->ns++];
		s->weekday = (int)stmt_int(st, 0);
		s->lesson_no = (int)stmt_int(st, 1);
		str_copy(s->from, sizeof s->from, stmt_text(st, 2));
		str_copy(s->to, sizeof s->to, stmt_text(st, 3));
		s->subject = col(st, 4);
		s->teacher = col(st, 5);
		s->room = col(st, 6);
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

static int load_changes(struct req *q, const char *cls, const char *from, const char *to, struct timetable *t)
{
	struct stmt *st = store_query(q->c.store, &q->e,
		"SELECT ch.date, ch.lesson_no, ch.kind, COALESCE(su.name, ''), "
		"TRIM(COALESCE(t.last_name || ' ' || t.first_name || ' ' || COALESCE(t.middle_name, ''), '')), "
		"COALESCE(ch.new_date, ''), COALESCE(ch.new_lesson_no, 0), ch.note FROM changes ch "
		"LEFT JOIN subjects su ON su.subject_id = ch.subject_id LEFT JOIN staff t ON t.staff_id = ch.teacher_id "
		"WHERE ch.class = $1 AND (ch.date BETWEEN $2 AND $3 OR ch.new_date BETWEEN $2 AND $3) AND " FACT_VALID("ch")
		" ORDER BY ch.date, ch.lesson_no", P_TEXT(cls), P_TEXT(from), P_TEXT(to));
	int rc;
	if (!st)
		return q->e.status;
	while ((rc = stmt_step(st, &q->e)) == 1) {
		t->c = xrealloc(t->c, (t->nc + 1) * sizeof *t->c);
		struct tt_change *c = &t->c[t->nc++];
		str_copy(c->date, sizeof c->date, stmt_text(st, 0));
		c->lesson_no = (int)stmt_int(st, 1);
		str_copy(c->kind, sizeof c->kind, stmt_text(st, 2));
		c->subject = col(st, 3);
		c->teacher = col(st, 4);
		str_copy(c->new_date, sizeof c->new_date, stmt_text(st, 5));
		c->new_lesson_no = (int)stmt_int(st, 6);
		c->note = col(st, 7);
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

/* The holidays of the class's grade that touch the dates, as start and end. */
static int load_holidays(struct req *q, const char *cls, const char *from, const char *to, struct timetable *t)
{
	struct stmt *st = store_query(q->c.store, &q->e,
		"SELECT start_date, end_date, grades FROM holidays h WHERE end_date >= $1 AND start_date <= $2 AND "
		FACT_VALID("h"), P_TEXT(from), P_TEXT(to));
	int rc, grade = class_grade(cls);
	if (!st)
		return q->e.status;
	while ((rc = stmt_step(st, &q->e)) == 1) {
		if (!grades_include(stmt_text(st, 2), grade))
			continue;
		t->holidays = xrealloc(t->holidays, (t->nh + 2) * sizeof *t->holidays);
		t->holidays[t->nh++] = col(st, 0);
		t->holidays[t->nh++] = col(st, 1);
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

static void timetable_free(struct timetable *t)
{
	for (size_t i = 0; i < t->ns; i++) {
		free(t->s[i].subject);
		free(t->s[i].teacher);
		free(t->s[i].room);
	}
	for (size_t i = 0; i < t->nc; i++) {
		free(t->c[i].subject);
		free(t->c[i].teacher);
		free(t->c[i].note);
	}
	for (size_t i = 0; i < t->nh; i++)
		free(t->holidays[i]);
	free(t->s);
	free(t->c);
	free(t->holidays);
}

static const struct tt_change *change_of(const struct timetable *t, const char *date, int lesson_no)
{
	for (size_t i = 0; i < t->nc; i++)
		if (!strcmp(t->c[i].date, date) && t->c[i].lesson_no == lesson_no)
			return &t->c[i];
	return NULL;
}

static void change_text(struct sbuf *b, const struct tt_change *c)
{
	char d[11];
	if (!strcmp(c->kind, "cancelled")) {
		sbuf_adds(b, " <b>Отменён</b>");
	} else if (!strcmp(c->kind, "moved")) {
		ru_date(c->new_date, d);
		html_f(b, " <b>Перенесён</b> на %s", *c->new_date ? d : "другой день");
		if (c->new_lesson_no)
			html_f(b, ", урок %d", c->new_lesson_no);
	} else {
		html_f(b, " <b>Замена</b>%s%s%s%s", *c->subject ? ": " : "", c->subject, *c->teacher ? ", " : "", c->teacher);
	}
	if (*c->note)
		html_f(b, " (%s)", c->note);
}

static int in_holidays(const struct timetable *t, const char *date)
{
	for (size_t i = 0; i + 1 < t->nh; i += 2)
		if (strcmp(t->holidays[i], date) <= 0 && strcmp(date, t->holidays[i + 1]) <= 0)
			return 1;
	return 0;
}

static void timetable_day(struct req *q, const struct timetable *t, const char *date, int wd)
{
	struct sbuf *b = &q->out->p.body;
	char d[11];
	size_t n = 0;
	ru_date(date, d);
	html_f(b, "<h3>%s, %s</h3>\n", weekday_name(date), d);
	if (in_holidays(t, date)) {
		sbuf_adds(b, "<p>Каникулы.</p>\n");
		return;
	}
	for (size_t i = 0; i < t->ns; i++) {
		const struct tt_slot *s = &t->s[i];
		if (s->weekday != wd || (*s->from && strcmp(s->from, date) > 0) || (*s->to && strcmp(s->to, date) < 0))
			continue;
		const struct tt_change *c = change_of(t, date, s->lesson_no);
		row_start(b, &n);
		html_f(b, "<td>%d</td><td>%s</td><td>%s%s%s", s->lesson_no, s->subject,
		       s->teacher, *s->room ? ", " : "", s->room);
		if (c)
			change_text(b, c);
		sbuf_adds(b, "</td></tr>\n");
	}
	for (size_t i = 0; i < t->nc; i++) {	/* lessons moved to this day */
		const struct tt_change *c = &t->c[i];
		char from[11];
		if (strcmp(c->kind, "moved") || strcmp(c->new_date, date))
			continue;
		ru_date(c->date, from);
		row_start(b, &n);
		html_f(b, "<td>%d</td><td>%s</td><td><b>Перенесён</b> с %s, урок %d</td></tr>\n", c->new_lesson_no, *c->subject ? c->subject : "урок", from, c->lesson_no);
	}
	sbuf_adds(b, n ? "</table>\n" : "<p>Уроков нет.</p>\n");
}

int wp_timetable_page(struct req *q, const struct web_student *w)
{
	struct timetable t;
	char monday[11], last[11], date[11];
	long today;
	int rc;
	student_head(q, w, "Расписание", "timetable");
	if (date_parse_iso(q->c.today, &today))
		return perr_set(&q->e, EX_SOFTWARE, "%s: not a date", q->c.today);
	long first = today - (date_weekday(today) - 1);
	date_format_iso(first, monday);
	date_format_iso(first + 13, last);
	memset(&t, 0, sizeof t);
	if ((rc = load_slots(q, w->cls, monday, last, &t)) || (rc = load_changes(q, w->cls, monday, last, &t)) ||
	    (rc = load_holidays(q, w->cls, monday, last, &t))) {
		timetable_free(&t);
		return rc;
	}
	for (int week = 0; week < 2; week++) {
		sbuf_adds(&q->out->p.body, week ? "<h2>Следующая неделя</h2>\n" : "<h2>Эта неделя</h2>\n");
		for (int wd = 1; wd <= 6; wd++) {
			date_format_iso(first + week * 7 + wd - 1, date);
			int any = 0;
			for (size_t i = 0; i < t.ns && !any; i++)
				any = t.s[i].weekday == wd;
			if (any || wd < 6)
				timetable_day(q, &t, date, wd);
		}
	}
	timetable_free(&t);
	page_end(&q->out->p);
	return 0;
}

/* ---- the holidays of the school year ---- */

static int holiday_row(void *ctx, const char *const *v, size_t n)
{
	struct req *q = ctx;
	char a[11], b[11];
	if (n < 4)
		return 0;
	ru_date(v[1], a);
	ru_date(v[2], b);
	html_f(&q->out->p.body, "<tr><td>%s</td><td>%s – %s</td><td>%s</td></tr>\n", v[0], a, b,
	       *v[3] ? v[3] : "все");
	return 0;
}

void wp_holidays(struct req *q)
{
	struct page *p = &q->out->p;
	int rc;
	page_begin(p, "Каникулы", q->school);
	sbuf_adds(&p->body, "<h1>Каникулы</h1>\n<p><a href=\"/\">Главная</a></p>\n"
		  "<table>\n<tr><th>Каникулы</th><th>Даты</th><th>Классы</th></tr>\n");
	/* the school year: from the first period's start to the last one's end */
	rc = store_rows(q->c.store, &q->e, holiday_row, q,
		"SELECT name, start_date, end_date, grades FROM holidays h WHERE " FACT_VALID("h")
		" AND end_date >= COALESCE((SELECT min(start_date) FROM periods), '') "
		"AND start_date <= COALESCE((SELECT max(end_date) FROM periods), '9999') ORDER BY start_date, name");
	if (rc)
		return wp_failed(q, rc < 0 ? -rc : rc);
	sbuf_adds(&p->body, "</table>\n");
	page_end(p);
}
