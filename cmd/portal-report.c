/*
 * portal-report: analytics per class and per student (progress, attendance,
 * the class leader's coverage) for people (table, xlsx with a chart) and
 * scripts (csv, json), and the nightly run for cron.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grading.h"
#include "actor.h"
#include "frame.h"
#include "jgrid.h"
#include "journal.h"
#include "afile.h"
#include "config.h"
#include "mail.h"
#include "nightmail.h"
#include "progress.h"
#include "report.h"
#include "roster.h"
#include "values.h"
#include "xlsx.h"

/* ---- a table: the one shape every report takes, written as CSV … or as a sheet ---- */

enum { T_TEXT, T_INT, T_NUM1, T_NUM2 };

struct tcol {
	const char *name, *ru;	/* CSV column; heading for people */
	int type;
	double width;
};

struct table {
	const struct tcol *cols;
	size_t ncols, nrows;
	char ***rows;		/* nrows × ncols strings */
	const char *title;
};

static void trow(struct table *t, const char *const *v)
{
	t->rows = xrealloc(t->rows, (t->nrows + 1) * sizeof *t->rows);
	char **r = xcalloc(t->ncols, sizeof *r);
	for (size_t i = 0; i < t->ncols; i++)
		r[i] = xstrdup(v[i] ? v[i] : "");
	t->rows[t->nrows++] = r;
}

static void tfree(struct table *t)
{
	for (size_t i = 0; i < t->nrows; i++) {
		for (size_t k = 0; k < t->ncols; k++)
			free(t->rows[i][k]);
		free(t->rows[i]);
	}
	free(t->rows);
	t->rows = NULL;
	t->nrows = 0;
}

static int trow_cb(void *p, const char *const *v, size_t n)
{
	trow(p, v);
	return 0;
}

/* The table's columns for the writer: a count or a share is a number (json writes it so). */
static int table_header(struct out *o, const struct table *t)
{
	struct out_col *cols = xcalloc(t->ncols, sizeof *cols);
	for (size_t i = 0; i < t->ncols; i++)
		cols[i] = (struct out_col){ t->cols[i].name, t->cols[i].type == T_TEXT ? COL_TEXT : COL_NUMBER };
	int rc = out_header(o, cols, t->ncols);
	free(cols);
	return rc;
}

static int print_table(struct cmd *cmd, const struct table *t)
{
	struct out *o = cmd_out(cmd);
	table_header(o, t);
	int rc = 0;
	for (size_t i = 0; !rc && i < t->nrows; i++)
		rc = cmd_print_row(o, (const char *const *)t->rows[i], t->ncols);
	int r2 = cmd_out_done(cmd, o);
	return rc ? rc : r2;
}

/* A sheet for people: Russian headings, numbers as numbers, frozen header, A4 landscape. */
static lxw_worksheet *sheet(struct xlsx *x, const char *name, const struct table *t)
{
	lxw_worksheet *ws = xlsx_sheet(x, name, 1);
	int r = 0;
	if (!ws)
		return NULL;
	if (t->title)
		xlsx_text(ws, r++, 0, t->title, x->title);
	for (size_t i = 0; i < t->ncols; i++) {
		xlsx_text(ws, r, (int)i, t->cols[i].ru, x->head);
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, t->cols[i].width, NULL);
	}
	worksheet_freeze_panes(ws, (lxw_row_t)r + 1, 0);
	worksheet_repeat_rows(ws, (lxw_row_t)r, (lxw_row_t)r);
	r++;
	for (size_t k = 0; k < t->nrows; k++, r++)
		for (size_t i = 0; i < t->ncols; i++) {
			const char *v = t->rows[k][i];
			if (t->cols[i].type == T_TEXT || !*v)
				xlsx_text(ws, r, (int)i, v, x->text);
			else
				worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)i, strtod(v, NULL),
						       t->cols[i].type == T_NUM2 ? x->num2 : t->cols[i].type == T_NUM1 ? x->num1 : NULL);
		}
	return ws;
}

/* A column chart of one numeric column by another (average mark by subject). */
static void chart(struct xlsx *x, lxw_worksheet *ws, const char *sheetname, const struct table *t, int catcol, int valcol,
		  const char *title)
{
	if (!t->nrows)
		return;
	lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_COLUMN);
	int first = t->title ? 2 : 1;
	lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
	chart_series_set_categories(s, sheetname, (lxw_row_t)first, (lxw_col_t)catcol, (lxw_row_t)(first + t->nrows - 1),
				    (lxw_col_t)catcol);
	chart_series_set_values(s, sheetname, (lxw_row_t)first, (lxw_col_t)valcol, (lxw_row_t)(first + t->nrows - 1),
				(lxw_col_t)valcol);
	chart_title_set_name(ch, title);
	chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
	chart_axis_set_min(ch->y_axis, 0);
	chart_axis_set_max(ch->y_axis, 5);
	lxw_chart_options o = { .x_scale = 1.6, .y_scale = 1.3 };
	worksheet_insert_chart_opt(ws, (lxw_row_t)(first + t->nrows + 2), 0, ch, &o);
}

/* ---- options ---- */

struct scope {
	char cls_buf[8], from[11], to[11];
	const char *cls, *period;
};

static int scope_opts(struct cmd *cmd, struct scope *s, int need_dates)
{
	int rc;
	memset(s, 0, sizeof *s);
	if ((rc = cmd_class(cmd, s->cls_buf, &s->cls)))
		return rc;
	if (s->cls) {
		if ((rc = journal_may_read_class(&cmd->c, s->cls, &cmd->err)))
			return rc;
	} else if (!cmd->by_ids && !actor_may_read_all(cmd->c.actor)) {	/* ids: the frame checked their classes */
		if (cmd->c.actor && cmd->c.actor->nclasses == 1)
			s->cls = cmd->c.actor->classes[0];	/* a class leader: their class */
		else
			return perr_set(&cmd->err, EX_NOPERM, "not permitted: %s reads the classes they lead: give --class",
					cmd->c.actor ? cmd->c.actor->login : "-");
	}
	return cmd_dates(cmd, need_dates, s->from, s->to, &s->period);
}

static int is_xlsx(struct cmd *cmd)
{
	const char *f = cmd_opt(cmd, "format");
	return f && !strcmp(f, "xlsx");
}

/* ---- the tables ---- */

static const struct tcol progress_cols[] = {
	{ "class", "Класс", T_TEXT, 7 }, { "subject", "Предмет", T_TEXT, 22 }, { "teacher", "Учитель", T_TEXT, 26 },
	{ "students", "Учеников", T_INT, 9 }, { "assessed", "Аттестовано (N)", T_INT, 11 },
	{ "avg_mark", "Средний балл", T_NUM2, 9 }, { "pct_success", "Успеваемость, %", T_NUM1, 12 },
	{ "pct_quality", "Качество, %", T_NUM1, 10 }, { "sou", "СОУ, %", T_NUM1, 8 },
	{ "n5", "«5»", T_INT, 5 }, { "n4", "«4»", T_INT, 5 }, { "n3", "«3»", T_INT, 5 }, { "n2", "«2»", T_INT, 5 },
	{ "nna", "н/а", T_INT, 5 },
};

static void progress_table(const struct report *r, struct table *t)
{
	t->cols = progress_cols;
	t->ncols = sizeof progress_cols / sizeof *progress_cols;
	for (size_t j = 0; j < r->nsubjects; j++) {
		const struct rp_subject *s = &r->subjects[j];
		char n[8][24];
		double avg = class_avg_mark(&s->st);
		snprintf(n[0], 24, "%ld", s->students);
		snprintf(n[1], 24, "%ld", s->st.n);
		if (avg >= 0)
			grading_fmt(avg, 2, n[2], 24);
		else
			n[2][0] = 0;
		if (s->st.n) {
			grading_fmt(class_pct_success(&s->st), 1, n[3], 24);
			grading_fmt(class_pct_quality(&s->st), 1, n[4], 24);
			grading_fmt(class_sou(&s->st), 1, n[5], 24);
		} else {
			n[3][0] = n[4][0] = n[5][0] = 0;
		}
		char c5[24], c4[24], c3[24], c2[24], cna[24];
		snprintf(c5, 24, "%ld", s->st.n5);
		snprintf(c4, 24, "%ld", s->st.n4);
		snprintf(c3, 24, "%ld", s->st.n3);
		snprintf(c2, 24, "%ld", s->st.n2);
		snprintf(cna, 24, "%ld", s->st.nna);
		const char *v[] = { s->cls, s->name, s->teacher, n[0], n[1], n[2], n[3], n[4], n[5], c5, c4, c3, c2, cna };
		trow(t, v);
	}
}

static const struct tcol by_student_cols[] = {
	{ "class", "Класс", T_TEXT, 7 }, { "student_id", "Ид", T_TEXT, 9 }, { "name", "Ученик", T_TEXT, 30 },
	{ "subject", "Предмет", T_TEXT, 22 }, { "average", "Средний балл", T_NUM2, 9 }, { "mark", "Отметка за период", T_TEXT, 9 },
	{ "final", "Итоговая", T_TEXT, 9 }, { "failing", "Неуспевание", T_INT, 9 },
};

/* By student: a row per student and subject, and a row «итого» with the overall average and
 * how many subjects are failed (a 2 or 1, or н/а). */
static void by_student_table(const struct report *r, struct table *t)
{
	t->cols = by_student_cols;
	t->ncols = sizeof by_student_cols / sizeof *by_student_cols;
	size_t i = 0;
	for (size_t k = 0; k < r->nstudents; k++) {
		const struct rp_student *s = &r->students[k];
		double sum = 0;
		long n = 0, failing = 0;
		struct sbuf fail;
		sbuf_init(&fail);
		for (; i < r->ncells && r->cells[i].stu < (long)k; i++)
			;
		for (size_t c = i; c < r->ncells && r->cells[c].stu == (long)k; c++) {
			const struct rp_cell *cell = &r->cells[c];
			int mark;
			enum period_result res = report_result(r, cell, &mark);
			double a = wavg_value(&cell->avg);
			const char *name = "";
			for (size_t j = 0; j < r->nsubjects; j++)
				if (r->subjects[j].id == cell->subject && !strcmp(r->subjects[j].cls, s->cls))
					name = r->subjects[j].name;
			char avg[24] = "", m[8] = "", f[4] = "0";
			if (a >= 0) {
				grading_fmt(a, 2, avg, sizeof avg);
				sum += a;
				n++;
			}
			if (res == PR_MARK)
				snprintf(m, sizeof m, "%d", mark);
			else if (res == PR_NA)
				str_copy(m, sizeof m, "н/а");
			else if (res == PR_EXEMPT)
				str_copy(m, sizeof m, "осв");
			if ((res == PR_MARK && mark <= 2) || res == PR_NA) {
				f[0] = '1';
				failing++;
			}
			const char *v[] = { s->cls, s->id, s->name, name, avg, m, cell->final, f };
			trow(t, v);
		}
		char avg[24] = "", nf[24];
		if (n)
			grading_fmt(sum / (double)n, 2, avg, sizeof avg);
		snprintf(nf, sizeof nf, "%ld", failing);
		const char *v[] = { s->cls, s->id, s->name, "итого", avg, "", "", nf };
		trow(t, v);
		sbuf_free(&fail);
	}
}

static const struct tcol attendance_cols[] = {
	{ "student_id", "Ид", T_TEXT, 9 }, { "name", "Ученик", T_TEXT, 30 }, { "class", "Класс", T_TEXT, 7 },
	{ "lessons", "Уроков", T_INT, 8 }, { "missed", "Пропущено", T_INT, 10 }, { "illness", "По болезни", T_INT, 10 },
	{ "excused", "По уваж. причине", T_INT, 12 }, { "unexcused", "Без уваж. причины", T_INT, 12 },
	{ "late", "Опозданий", T_INT, 10 }, { "pct_attended", "Посещаемость, %", T_NUM1, 12 },
};

static void attendance_table(const struct report *r, struct table *t)
{
	t->cols = attendance_cols;
	t->ncols = sizeof attendance_cols / sizeof *attendance_cols;
	for (size_t k = 0; k < r->nstudents; k++) {
		const struct rp_student *s = &r->students[k];
		char n[6][24], pct[24] = "";
		long v6[] = { s->lessons, s->absent.missed, s->absent.illness, s->absent.excused, s->absent.unexcused,
			       s->absent.late };
		for (int i = 0; i < 6; i++)
			snprintf(n[i], 24, "%ld", v6[i]);
		double p = report_pct_attended(s);
		if (p >= 0)
			grading_fmt(p, 1, pct, sizeof pct);
		const char *v[] = { s->id, s->name, s->cls, n[0], n[1], n[2], n[3], n[4], n[5], pct };
		trow(t, v);
	}
}

static const struct tcol coverage_cols[] = {
	{ "class", "Класс", T_TEXT, 7 }, { "students", "Учеников", T_INT, 9 }, { "guardians", "Родителей", T_INT, 10 },
	{ "accounts", "Учётных записей", T_INT, 10 }, { "consents_given", "Согласий", T_INT, 9 },
	{ "consents_refused", "Отказов", T_INT, 9 }, { "consents_withdrawn", "Отозвано", T_INT, 9 },
	{ "consents_none", "Нет решения", T_INT, 9 }, { "paper_recipients", "На бумаге", T_INT, 9 },
	{ "extracts", "Выписок", T_INT, 9 }, { "acknowledged_pct", "Ознакомлено, %", T_NUM1, 12 },
};

/* ---- verbs ---- */

static int write_book(struct cmd *cmd, const char *dest, struct table *const *tables, const char *const *names, int chart_first,
		      const char *chart_title)
{
	struct xlsx x;
	int rc = xlsx_open(&x, dest, &cmd->err);
	if (rc)
		return rc;
	for (size_t i = 0; tables[i]; i++) {
		lxw_worksheet *ws = sheet(&x, names[i], tables[i]);
		if (!ws) {
			xlsx_abort(&x);
			return perr_set(&cmd->err, EX_SOFTWARE, "cannot add a worksheet");
		}
		if (i == 0 && chart_first)
			chart(&x, ws, names[i], tables[i], 1, 5, chart_title);
	}
	return xlsx_close(&x, &cmd->err);
}

static int need_output(struct cmd *cmd)
{
	if (is_xlsx(cmd) && !cmd_opt(cmd, "output") && isatty(1))
		return perr_set(&cmd->err, EX_USAGE, "--format xlsx writes a workbook: give -o FILE (or -o - to pipe it)");
	return 0;
}

static void title_of(const struct scope *s, const char *what, char *out, size_t n)
{
	snprintf(out, n, "%s%s%s, %s%s%.2s.%.2s.%.4s – %.2s.%.2s.%.4s%s", what, s->cls ? ", " : "", s->cls ? s->cls : "",
		 s->period ? s->period : "", s->period ? " (" : "", s->from + 8, s->from + 5, s->from, s->to + 8, s->to + 5,
		 s->to, s->period ? ")" : "");
}

static int do_progress(struct cmd *cmd)
{
	struct scope s;
	struct report r;
	struct table t = { 0 };
	const char *by = cmd_opt(cmd, "by");
	char title[256];
	int rc = scope_opts(cmd, &s, 1);
	if (rc || (rc = need_output(cmd)))
		return rc;
	if (by && strcmp(by, "subject") && strcmp(by, "student"))
		return perr_set(&cmd->err, EX_USAGE, "--by %s: expected subject or student", by);
	if ((rc = store_begin_read(cmd->c.store, &cmd->err)))
		return rc;
	rc = report_load(&cmd->c, s.cls, s.from, s.to, s.period, &r, &cmd->err);
	store_rollback(cmd->c.store);
	if (rc)
		return rc;
	int students = by && !strcmp(by, "student");
	if (students)
		by_student_table(&r, &t);
	else
		progress_table(&r, &t);
	title_of(&s, students ? "Успеваемость по ученикам" : "Успеваемость по предметам", title, sizeof title);
	t.title = title;
	if (is_xlsx(cmd)) {
		struct table *ts[] = { &t, NULL };
		const char *names[] = { "Успеваемость" };
		rc = write_book(cmd, cmd_opt(cmd, "output"), ts, names, !students, "Средний балл по предметам");
	} else {
		rc = print_table(cmd, &t);
	}
	tfree(&t);
	report_free(&r);
	return rc;
}

static int do_attendance(struct cmd *cmd)
{
	struct scope s;
	struct report r;
	struct table t = { 0 };
	char title[256];
	int rc = scope_opts(cmd, &s, 1);
	if (rc || (rc = need_output(cmd)))
		return rc;
	if ((rc = store_begin_read(cmd->c.store, &cmd->err)))
		return rc;
	if (!(rc = report_load(&cmd->c, s.cls, s.from, s.to, s.period, &r, &cmd->err)))
		rc = report_load_attendance(&cmd->c, s.cls, &r, &cmd->err);
	store_rollback(cmd->c.store);
	if (rc) {
		report_free(&r);
		return rc;
	}
	attendance_table(&r, &t);
	title_of(&s, "Посещаемость", title, sizeof title);
	t.title = title;
	if (is_xlsx(cmd)) {
		struct table *ts[] = { &t, NULL };
		const char *names[] = { "Посещаемость" };
		rc = write_book(cmd, cmd_opt(cmd, "output"), ts, names, 0, NULL);
	} else {
		rc = print_table(cmd, &t);
	}
	tfree(&t);
	report_free(&r);
	return rc;
}

static int do_coverage(struct cmd *cmd)
{
	struct scope s;
	struct table t = { .cols = coverage_cols, .ncols = sizeof coverage_cols / sizeof *coverage_cols };
	int rc = scope_opts(cmd, &s, 0);
	if (rc || (rc = need_output(cmd)))
		return rc;
	if (!(rc = report_coverage(&cmd->c, s.cls, s.period, trow_cb, &t, &cmd->err))) {
		t.title = "Охват: учётные записи, согласия, выписки";
		if (is_xlsx(cmd)) {
			struct table *ts[] = { &t, NULL };
			const char *names[] = { "Охват" };
			rc = write_book(cmd, cmd_opt(cmd, "output"), ts, names, 0, NULL);
		} else {
			rc = print_table(cmd, &t);
		}
	}
	tfree(&t);
	return rc;
}

/* student: one student's analytics: a row per subject, then the attendance. */
static int do_student(struct cmd *cmd)
{
	const char *id = cmd_opt(cmd, "student");
	struct scope s;
	struct report r;
	struct table t = { 0 }, a = { 0 };
	char cls[8] = "", title[256];
	const struct ids *given = &cmd->people;
	if (cmd->by_ids && !given->students.n && !given->guardians.n) {	/* nobody: the headers only */
		struct report none = { 0 };
		struct table *ts[] = { &t, &a, NULL };
		const char *names[] = { "Успеваемость", "Посещаемость" };
		int rc = need_output(cmd);
		by_student_table(&none, &t);
		attendance_table(&none, &a);
		if (!rc)
			rc = is_xlsx(cmd) ? write_book(cmd, cmd_opt(cmd, "output"), ts, names, 0, NULL) : print_table(cmd, &t);
		return rc;
	}
	if (cmd->by_ids && given->guardians.n)
		return perr_set(&cmd->err, EX_USAGE, "student: one student at a time, and %s gives guardians (progress --by student "
				"lists several students, and a guardian's children)", cmd->ids_name);
	if (cmd->by_ids && given->students.n != 1)
		return perr_set(&cmd->err, EX_USAGE, ngettext("student: one student at a time, and %s gives %zu student (progress "
							      "--by student lists several)",
							      "student: one student at a time, and %s gives %zu students (progress "
							      "--by student lists several)", given->students.n),
				cmd->ids_name, given->students.n);
	for (size_t i = 0; cmd->by_ids && i < given->students.cap; i++)
		if (given->students.keys[i])
			id = given->students.keys[i];
	if (!id)
		return perr_set(&cmd->err, EX_USAGE, "student: --student S, or its id on standard input, is required");
	int rc = roster_student_class(cmd->c.store, id, cls, &cmd->err);
	if (rc)
		return rc;
	if (!*cls)
		return perr_set(&cmd->err, EX_DATAERR, "--student %s: no such student", id);
	if ((rc = journal_may_read_class(&cmd->c, cls, &cmd->err)) || (rc = scope_opts(cmd, &s, 1)) || (rc = need_output(cmd)))
		return rc;
	if ((rc = store_begin_read(cmd->c.store, &cmd->err)))
		return rc;
	if (!(rc = report_load(&cmd->c, cls, s.from, s.to, s.period, &r, &cmd->err)))
		rc = report_load_attendance(&cmd->c, cls, &r, &cmd->err);
	store_rollback(cmd->c.store);
	if (rc) {
		report_free(&r);
		return rc;
	}
	/* keep the one student */
	struct report one = r;
	long k = -1;
	for (size_t i = 0; i < r.nstudents; i++)
		if (!strcmp(r.students[i].id, id))
			k = (long)i;
	if (k < 0) {
		report_free(&r);
		return perr_set(&cmd->err, EX_DATAERR, "--student %s: not in class %s in these dates (left before they ended)", id, cls);
	}
	one.students = &r.students[k];
	one.nstudents = 1;
	size_t c0 = 0, c1;
	while (c0 < r.ncells && r.cells[c0].stu != k)
		c0++;
	for (c1 = c0; c1 < r.ncells && r.cells[c1].stu == k; c1++)
		r.cells[c1].stu = 0;
	one.cells = r.cells + c0;
	one.ncells = c1 - c0;
	by_student_table(&one, &t);
	attendance_table(&one, &a);
	snprintf(title, sizeof title, "%s, %s", r.students[k].name, cls);
	t.title = a.title = title;
	if (is_xlsx(cmd)) {
		struct table *ts[] = { &t, &a, NULL };
		const char *names[] = { "Успеваемость", "Посещаемость" };
		rc = write_book(cmd, cmd_opt(cmd, "output"), ts, names, 0, NULL);
	} else {
		rc = print_table(cmd, &t);
		if (!rc && !cmd->quiet) {
			/* the attendance line on stderr keeps stdout one table */
			const struct rp_student *p = &r.students[k];
			double pct = report_pct_attended(p);
			if (pct >= 0)
				grading_fmt(pct, 1, title, sizeof title);
			cmd_note(cmd, "attendance: lessons %ld, missed %ld (illness %ld, excused %ld, unexcused %ld), late %ld, %s%%",
				 p->lessons, p->absent.missed, p->absent.illness, p->absent.excused, p->absent.unexcused,
				 p->absent.late, pct >= 0 ? title : "-");
		}
	}
	tfree(&t);
	tfree(&a);
	report_free(&r);
	return rc;
}

/* ---- nightly ---- */

static const struct tcol summary_cols[] = {
	{ "class", "", T_TEXT, 0 }, { "students", "", T_INT, 0 }, { "avg_mark", "", T_NUM2, 0 },
	{ "pct_success", "", T_NUM1, 0 }, { "pct_quality", "", T_NUM1, 0 }, { "sou", "", T_NUM1, 0 },
	{ "pct_attended", "", T_NUM1, 0 }, { "acknowledged_pct", "", T_NUM1, 0 },
};

/* The class's figures over all its subjects: every student result counted once per subject. */
static void summary_row(const struct report *r, const char *cls, const char *ack_pct, struct table *sum)
{
	struct class_stats all = { 0 };
	long students = 0, lessons = 0, missed = 0;
	for (size_t j = 0; j < r->nsubjects; j++) {
		const struct class_stats *s = &r->subjects[j].st;
		if (strcmp(r->subjects[j].cls, cls))
			continue;
		all.n += s->n;
		all.n5 += s->n5;
		all.n4 += s->n4;
		all.n3 += s->n3;
		all.n2 += s->n2;
		all.nna += s->nna;
		all.sum_avg += s->sum_avg;
		all.n_avg += s->n_avg;
	}
	for (size_t k = 0; k < r->nstudents; k++)
		if (!strcmp(r->students[k].cls, cls)) {
			students++;
			lessons += r->students[k].lessons;
			missed += r->students[k].absent.missed;
		}
	char n[7][24];
	snprintf(n[0], 24, "%ld", students);
	double avg = class_avg_mark(&all);
	for (int i = 1; i < 6; i++)
		n[i][0] = 0;	/* nothing to count: empty */
	if (avg >= 0)
		grading_fmt(avg, 2, n[1], 24);
	if (all.n) {
		grading_fmt(class_pct_success(&all), 1, n[2], 24);
		grading_fmt(class_pct_quality(&all), 1, n[3], 24);
		grading_fmt(class_sou(&all), 1, n[4], 24);
	}
	if (lessons)
		grading_fmt((double)(lessons - missed) * 100 / (double)lessons, 1, n[5], 24);
	const char *v[] = { cls, n[0], n[1], n[2], n[3], n[4], n[5], ack_pct };
	trow(sum, v);
}

/* Writes path whole or not at all (lib/afile.h). */
static int write_csv_atomic(struct cmd *cmd, const char *path, const struct table *t)
{
	struct afile a;
	int rc = afile_open(&a, path, 0, &cmd->err);
	if (rc)
		return rc;
	struct out *o = out_new(a.f, OUT_CSV);
	table_header(o, t);
	for (size_t i = 0; i < t->nrows; i++)
		out_row(o, (const char *const *)t->rows[i], t->ncols);
	out_finish(o);	/* a failed write is found by afile_commit */
	out_free(o);
	return afile_commit(&a, &cmd->err);
}

/* ---- nightly --mail ---- */

struct tos {
	struct nightmail_to *v;
	size_t n;
};

static int keep_to(void *p, const struct nightmail_to *to, struct perr *e)
{
	struct tos *t = p;
	t->v = xrealloc(t->v, (t->n + 1) * sizeof *t->v);
	t->v[t->n++] = *to;
	return 0;
}

struct job {
	char staff[64], report[64], file[4400];
	int status;
};

struct mailrun {
	struct cmd *cmd;
	const char *night, *path;
	struct nightmail_msg msg;
	char mail_dir[4200];
	struct job *jobs;
	size_t njobs;
	char **made;		/* the messages this run wrote: removed again if its registration fails */
	size_t nmade;
	long skipped;
};

/* The messages of one report: to every recipient that has not had it tonight. */
static int mail_report(struct mailrun *m, const char *report, const char *attach, const char *attach_name)
{
	struct cmd *cmd = m->cmd;
	struct tos tos = { 0 };
	int rc = nightmail_recipients(&cmd->c, report, keep_to, &tos, &cmd->err);
	for (size_t i = 0; !rc && i < tos.n; i++) {
		struct job j = { 0 };
		enum nightmail_state st;
		str_copy(j.staff, sizeof j.staff, tos.v[i].staff_id);
		str_copy(j.report, sizeof j.report, report);
		if ((rc = nightmail_state(&cmd->c, m->night, j.staff, report, j.file, sizeof j.file, &st, &cmd->err)))
			break;
		if (st == NIGHTMAIL_SENT) {
			m->skipped++;
			continue;
		}
		if (st == NIGHTMAIL_NONE) {
			struct afile a;
			snprintf(j.file, sizeof j.file, "%s/%s_%s.eml", m->mail_dir, j.staff, report);
			m->msg.report = report;
			m->msg.attach = attach;
			m->msg.attach_name = attach_name;
			if ((rc = afile_open(&a, j.file, 0, &cmd->err)))
				break;
			if ((rc = nightmail_write(&m->msg, &tos.v[i], a.f, &cmd->err))) {
				afile_abort(&a);
				break;
			}
			if ((rc = afile_commit(&a, &cmd->err)))
				break;
			m->made = xrealloc(m->made, (m->nmade + 1) * sizeof *m->made);
			m->made[m->nmade++] = xstrdup(j.file);
			if ((rc = nightmail_queue(&cmd->c, m->night, j.staff, report, j.file, &cmd->err)))
				break;
		}
		m->jobs = xrealloc(m->jobs, (m->njobs + 1) * sizeof *m->jobs);
		m->jobs[m->njobs++] = j;
	}
	free(tos.v);
	return rc;
}

/* The messages of the night, queued in one transaction (none stays when it fails). */
static int queue_night(struct mailrun *m, const struct table *sum)
{
	struct cmd *cmd = m->cmd;
	char attach[4400], name[256];
	int rc = store_begin_write(cmd->c.store, &cmd->err);
	for (size_t i = 0; !rc && i < sum->nrows; i++) {
		const char *cls = sum->rows[i][0];
		snprintf(attach, sizeof attach, "%s/%s.xlsx", m->path, cls);
		snprintf(name, sizeof name, "Отчёт %s %s.xlsx", cls, m->night);
		rc = mail_report(m, cls, attach, name);
	}
	if (!rc) {
		snprintf(attach, sizeof attach, "%s/summary.csv", m->path);
		snprintf(name, sizeof name, "Сводка %s.csv", m->night);
		rc = mail_report(m, NIGHTMAIL_SUMMARY, attach, name);
	}
	if (!rc)
		rc = store_commit(cmd->c.store, &cmd->err);
	if (rc) {
		if (store_in_transaction(cmd->c.store))
			store_rollback(cmd->c.store);
		for (size_t i = 0; i < m->nmade; i++)
			unlink(m->made[i]);
		m->njobs = 0;
	}
	return rc;
}

/* --mail: each class leader their class's workbook, each deputy the summary, once a night;
 * a message the mail program refuses stays queued for the next run. */
static int nightly_mail(struct cmd *cmd, const char *night, const char *path, const struct table *sum)
{
	char from[256], school[512], prog[1024];
	struct mailrun m = { .cmd = cmd, .night = night, .path = path };
	int rc, worst = 0;
	long sent = 0;
	if ((rc = config_get(cmd->c.store, "mail.from", from, sizeof from, &cmd->err)) ||
	    (rc = config_get(cmd->c.store, "mail.sendmail", prog, sizeof prog, &cmd->err)) ||
	    (rc = config_get(cmd->c.store, "school.name", school, sizeof school, &cmd->err)))
		return rc;
	if (str_blank(prog))
		return perr_set(&cmd->err, EX_CONFIG, "--mail: mail.sendmail is empty (set a sendmail-compatible program with "
				"portal-db config mail.sendmail \"/usr/sbin/sendmail -oi -t\")");
	m.msg = (struct nightmail_msg){ .from = *from ? from : "portal@school.invalid", .school = school, .night = night,
					.now = cmd->c.now };
	snprintf(m.mail_dir, sizeof m.mail_dir, "%s/mail", path);
	if (mkdir(m.mail_dir, 0700) && errno != EEXIST)
		return perr_set(&cmd->err, EX_CANTCREAT, "%s: cannot create: %s", m.mail_dir, strerror(errno));
	rc = queue_night(&m, sum);
	struct progress *bar = rc ? NULL : cmd_progress(cmd, "sending the nightly e-mails", (long)m.njobs, N_("e-mails"));
	for (size_t i = 0; !rc && i < m.njobs; i++) {
		struct perr e = { 0 };
		progress_set(bar, (long)i);
		if ((m.jobs[i].status = mail_send_file(prog, m.jobs[i].file, &e))) {
			cmd_error(cmd, "%s", e.msg);	/* even with -q: it did not leave */
			if (!worst || m.jobs[i].status != EX_TEMPFAIL)
				worst = m.jobs[i].status;
		} else {
			sent++;
		}
	}
	if (!rc && m.njobs && !(rc = store_begin_write(cmd->c.store, &cmd->err))) {
		for (size_t i = 0; !rc && i < m.njobs; i++)
			rc = nightmail_handed(&cmd->c, night, m.jobs[i].staff, m.jobs[i].report, m.jobs[i].file, m.jobs[i].status,
					      &cmd->err);
		rc = rc ? (store_rollback(cmd->c.store), rc) : store_commit(cmd->c.store, &cmd->err);
	}
	progress_set(bar, (long)m.njobs);
	if (!rc)
		cmd_progress_done(cmd, ngettext("%ld of %zu e-mail handed to %s; %ld sent before",
						"%ld of %zu e-mails handed to %s; %ld sent before", m.njobs),
				  sent, m.njobs, prog, m.skipped);
	if (!rc && worst)
		rc = perr_set(&cmd->err, worst, ngettext("%zu e-mail not sent (named above): queued; the next run hands it over again",
							 "%zu e-mails not sent (named above): queued; the next run hands them over again",
							 m.njobs - (size_t)sent), m.njobs - (size_t)sent);
	for (size_t i = 0; i < m.nmade; i++)
		free(m.made[i]);
	free(m.made);
	free(m.jobs);
	return rc;
}

static int do_nightly(struct cmd *cmd)
{
	const char *dir = cmd_opt(cmd, "out"), *d = cmd_opt(cmd, "date"), *why;
	char date[11], from[11], to[11], period[128], path[4096], lockpath[4096];
	int rc;
	if (!dir)
		return perr_set(&cmd->err, EX_USAGE, "nightly: --out DIR is required");
	if (!actor_may_read_all(cmd->c.actor))
		return perr_set(&cmd->err, EX_NOPERM, "not permitted: the nightly reports of every class are for admins and deputies");
	if (d) {
		if (value_date(d, date, &why))
			return perr_set(&cmd->err, EX_USAGE, "--date %s: %s", d, why);
	} else {
		str_copy(date, sizeof date, cmd->c.today);
	}
	if (mkdir(dir, 0700) && errno != EEXIST)
		return perr_set(&cmd->err, EX_CANTCREAT, "%s: cannot create: %s", dir, strerror(errno));
	/* one run at a time: a second one leaves at once with 75, and cron tries again */
	snprintf(lockpath, sizeof lockpath, "%s/.nightly.lock", dir);
	int lock = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lock < 0)
		return perr_set(&cmd->err, EX_CANTCREAT, "%s: cannot create: %s", lockpath, strerror(errno));
	if (flock(lock, LOCK_EX | LOCK_NB)) {
		close(lock);
		return perr_set(&cmd->err, EX_TEMPFAIL, "%s: another nightly run is writing there; try again later", dir);
	}
	snprintf(path, sizeof path, "%s/%s", dir, date);
	if (mkdir(path, 0700) && errno != EEXIST) {
		close(lock);
		return perr_set(&cmd->err, EX_CANTCREAT, "%s: cannot create: %s", path, strerror(errno));
	}
	/* the same day's files are the same: the workbooks' creation time is the date's */
	char sde[32];
	long days;
	date_parse_iso(date, &days);
	snprintf(sde, sizeof sde, "%lld", (long long)days * 86400);
	if (!getenv("SOURCE_DATE_EPOCH"))
		setenv("SOURCE_DATE_EPOCH", sde, 1);
	struct report r;
	struct table cov = { .cols = coverage_cols, .ncols = sizeof coverage_cols / sizeof *coverage_cols };
	struct table sum = { .cols = summary_cols, .ncols = sizeof summary_cols / sizeof *summary_cols };
	if ((rc = journal_period_so_far(cmd->c.store, date, period, sizeof period, from, to, &cmd->err)) ||
	    (rc = store_begin_read(cmd->c.store, &cmd->err))) {
		close(lock);
		return rc;
	}
	if (!(rc = report_load(&cmd->c, NULL, from, to, period, &r, &cmd->err)) &&
	    !(rc = report_load_attendance(&cmd->c, NULL, &r, &cmd->err)))
		rc = report_coverage(&cmd->c, NULL, NULL, trow_cb, &cov, &cmd->err);
	store_rollback(cmd->c.store);
	struct scope s = { .period = period };
	str_copy(s.from, sizeof s.from, from);
	str_copy(s.to, sizeof s.to, to);
	long nclasses = 0, done = 0;
	for (size_t i = 0; !rc && i < r.nstudents; i++)
		nclasses += !i || strcmp(r.students[i].cls, r.students[i - 1].cls);
	struct progress *bar = rc ? NULL : cmd_progress(cmd, "nightly workbooks", nclasses, N_("classes"));
	for (size_t i = 0; !rc && i < r.nstudents; i++) {
		const char *cls = r.students[i].cls;
		if (i && !strcmp(cls, r.students[i - 1].cls))
			continue;
		progress_set(bar, done++);
		/* this class's slice of the school's report */
		struct report one = r;
		size_t k0 = i, k1 = i;
		while (k1 < r.nstudents && !strcmp(r.students[k1].cls, cls))
			k1++;
		one.students = r.students + k0;
		one.nstudents = k1 - k0;
		size_t j0 = 0, j1;
		while (j0 < r.nsubjects && strcmp(r.subjects[j0].cls, cls))
			j0++;
		for (j1 = j0; j1 < r.nsubjects && !strcmp(r.subjects[j1].cls, cls); j1++)
			;
		one.subjects = r.subjects + j0;
		one.nsubjects = j1 - j0;
		struct table p = { 0 }, a = { 0 }, c1 = { .cols = coverage_cols, .ncols = cov.ncols };
		char tp[256], ta[256], file[4300];
		s.cls = cls;
		progress_table(&one, &p);
		attendance_table(&one, &a);
		title_of(&s, "Успеваемость", tp, sizeof tp);
		title_of(&s, "Посещаемость", ta, sizeof ta);
		p.title = tp;
		a.title = ta;
		c1.title = "Охват: учётные записи, согласия, выписки";
		const char *ack = "";
		for (size_t q = 0; q < cov.nrows; q++)
			if (!strcmp(cov.rows[q][0], cls)) {
				trow(&c1, (const char *const *)cov.rows[q]);
				ack = cov.rows[q][10];
			}
		summary_row(&one, cls, ack, &sum);
		struct table *ts[] = { &p, &a, &c1, NULL };
		const char *names[] = { "Успеваемость", "Посещаемость", "Охват" };
		snprintf(file, sizeof file, "%s/%s.xlsx", path, cls);
		rc = write_book(cmd, file, ts, names, 1, "Средний балл по предметам");
		tfree(&p);
		tfree(&a);
		tfree(&c1);
	}
	if (!rc) {
		char file[4300];
		snprintf(file, sizeof file, "%s/summary.csv", path);
		rc = write_csv_atomic(cmd, file, &sum);
	}
	progress_set(bar, done);
	if (!rc)
		cmd_progress_done(cmd, "%s: %zu class workbooks and summary.csv (%s, %s – %s)", path, sum.nrows, period, from, to);
	if (!rc && cmd_flag(cmd, "mail"))
		rc = nightly_mail(cmd, date, path, &sum);
	tfree(&sum);
	tfree(&cov);
	report_free(&r);
	close(lock);
	return rc;
}

#define SCOPE_ARGS "[--class C | --all | FILE|-] (--period P | --from D --to D)"

static const struct verb verbs[] = {
	{ "progress", SCOPE_ARGS " [--by subject|student] [--format csv|table|json|xlsx] [-o FILE]",
	  N_("success, quality, СОУ and averages per class and subject (SPEC §6); --by student: each student's marks and failing "
	  "subjects; FILE: of the students of its student_id (and guardians' children) alone"),
	  "class=,all,period=,from=,to=,by=", V_STORE | V_READ | V_XLSX | V_INPUT | V_PEOPLE, do_progress },
	{ "attendance", SCOPE_ARGS " [--format csv|table|json|xlsx] [-o FILE]",
	  N_("lessons, missed (illness, excused, unexcused), late and the attended share per student; FILE: of its students alone"),
	  "class=,all,period=,from=,to=", V_STORE | V_READ | V_XLSX | V_INPUT | V_PEOPLE, do_attendance },
	{ "student", "[--student S | FILE|-] (--period P | --from D --to D) [--format csv|table|json|xlsx] [-o FILE]",
	  N_("one student's analytics: per subject the average, the period mark and the final; the attendance"),
	  "student=,period=,from=,to=", V_STORE | V_READ | V_XLSX | V_INPUT | V_PEOPLE, do_student },
	{ "coverage", "[--class C] [--period P] [--format csv|table|json|xlsx] [-o FILE]",
	  N_("per class: students, guardians, accounts, consents, paper recipients, extracts, acknowledged share"),
	  "class=,period=", V_STORE | V_READ | V_XLSX, do_coverage },
	{ "nightly", "--out DIR [--date D] [--mail]",
	  N_("for cron: DIR/D/<class>.xlsx (progress with a chart, attendance, coverage) and DIR/D/summary.csv, written atomically, "
	  "one run at a time (75 when another is running); --mail: each class leader their workbook, the deputies the summary, "
	  "once a night, through mail.sendmail"),
	  "out=,date=,mail", V_STORE | V_READ, do_nightly },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

static const struct tool tool = { "portal-report", N_("portal-report: analytics per class and per student, and the nightly run"),
				  verbs };

int main(int argc, char **argv)
{
	return frame_main(&tool, argc, argv);
}
