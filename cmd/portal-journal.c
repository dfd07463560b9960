/*
 * portal-journal: the class journal: periods, marks, attendance, lessons and
 * homework, the timetable and its changes, tests, holidays, recommendations
 * and final marks in (teachers for what they teach, admins); read-only out.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "grading.h"
#include "frame.h"
#include "jgrid.h"
#include "journal.h"
#include "values.h"
#include "xlsx.h"

static int do_periods_import(struct cmd *cmd)
{
	return cmd_run_import(cmd, &journal_import_periods, 0);
}

static int do_periods_list(struct cmd *cmd)
{
	struct out *o = cmd_out(cmd);
	out_header(o, journal_period_cols, journal_period_ncols);
	int rc = journal_list_periods(&cmd->c, cmd_print_row, o, &cmd->err);
	int r2 = cmd_out_done(cmd, o);
	return rc ? rc : r2;
}

/* import KIND: the kind is the verb's second word */
static int do_import(struct cmd *cmd)
{
	const struct jkind *k = journal_kind(strchr(cmd->verb->name, ' ') + 1);
	if (!k)
		return perr_set(&cmd->err, EX_SOFTWARE, "%s: no such journal kind", cmd->verb->name);
	return cmd_run_import(cmd, &k->base, 0);
}

/* --class C and (--period P | --from D --to D): the class, its dates, the period's name. */
static int class_and_dates(struct cmd *cmd, char cls[8], char from[11], char to[11], const char **period)
{
	const char *c;
	int rc = cmd_class(cmd, cls, &c);
	if (!rc && !c)
		rc = perr_set(&cmd->err, EX_USAGE, "%s: --class C is required", cmd->verb->name);
	return rc ? rc : cmd_dates(cmd, 1, from, to, period);
}

static void short_date(const char *iso, char out[6])
{
	snprintf(out, 6, "%.2s.%.2s", iso + 8, iso + 5);
}

static void avg_text(const struct wavg *w, char out[16])
{
	double v = wavg_value(w);
	if (v < 0)
		*out = 0;
	else
		grading_fmt(v, 2, out, 16);
}

/* csv, table, json: a row per subject and student, a column per date of the grid. */
static int show_rows(struct cmd *cmd, const struct jgrid *g)
{
	size_t n = g->ndates + 6;
	const char **vals = xcalloc(n, sizeof *vals);
	struct out_col *cols = xcalloc(n, sizeof *cols);	/* a cell of marks and codes is text */
	char (*sd)[6] = xcalloc(g->ndates + 1, sizeof *sd), avg[16];
	struct out *o = cmd_out(cmd);
	cols[0].name = "subject";
	cols[1].name = "teacher";
	cols[2].name = "student_id";
	cols[3].name = "student_name";
	for (size_t d = 0; d < g->ndates; d++) {
		short_date(g->dates[d], sd[d]);
		cols[4 + d].name = cmd->fmt == OUT_TABLE ? sd[d] : g->dates[d];
	}
	cols[n - 2] = (struct out_col){ "average", COL_NUMBER };
	cols[n - 1].name = "final";	/* 1–5, н/а, осв */
	int rc = out_header(o, cols, n) ? EX_IOERR : 0;
	free(cols);
	for (size_t j = 0; !rc && j < g->nsubjects; j++)
		for (size_t k = 0; !rc && k < g->nstudents; k++) {
			const struct jg_line *l = &g->subjects[j].lines[k];
			vals[0] = g->subjects[j].name;
			vals[1] = g->subjects[j].teacher;
			vals[2] = g->students[k].id;
			vals[3] = g->students[k].name;
			for (size_t d = 0; d < g->ndates; d++)
				vals[4 + d] = l->cells[d];
			avg_text(&l->avg, avg);
			vals[n - 2] = avg;
			vals[n - 1] = l->final;
			rc = cmd_print_row(o, vals, n);
		}
	int r2 = cmd_out_done(cmd, o);
	free(vals);
	free(sd);
	return rc ? rc : r2;
}

static void ru_date(const char *iso, char out[11])
{
	snprintf(out, 11, "%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
}

/* A mark alone in its cell is a number; anything else (several marks, a code) a text. */
static void xlsx_cell(lxw_worksheet *ws, int row, int col, const char *s, struct xlsx *x)
{
	if (s && s[0] >= '1' && s[0] <= '5' && !s[1])
		worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, s[0] - '0', NULL);
	else
		xlsx_text(ws, row, col, s, x->text);
}

/* xlsx: a sheet per subject, its own dates, A4 landscape, the header row repeated on every page. */
static int show_xlsx(struct cmd *cmd, const struct jgrid *g)
{
	struct xlsx x;
	char title[512], a[11], b[11], sd[6];
	int rc = xlsx_open(&x, cmd_opt(cmd, "output"), &cmd->err);
	if (rc)
		return rc;
	ru_date(g->from, a);
	ru_date(g->to, b);
	for (size_t j = 0; j < g->nsubjects || (j == 0 && !g->nsubjects); j++) {
		const struct jg_subject *s = g->nsubjects ? &g->subjects[j] : NULL;
		lxw_worksheet *ws = xlsx_sheet(&x, s ? s->name : "Журнал", 1);
		if (!ws) {
			xlsx_abort(&x);
			return perr_set(&cmd->err, EX_SOFTWARE, "cannot add a worksheet");
		}
		snprintf(title, sizeof title, "Журнал %s — %s%s%s; %s%s%s–%s", g->cls, s ? s->name : "нет предметов",
			 s && *s->teacher ? ", учитель " : "", s ? s->teacher : "", g->period ? g->period : "",
			 g->period ? " (" : "", a, b);
		if (g->period)
			strncat(title, ")", sizeof title - strlen(title) - 1);
		xlsx_text(ws, 0, 0, title, x.title);
		xlsx_text(ws, 1, 0, "№", x.head);
		xlsx_text(ws, 1, 1, "Ученик", x.head);
		worksheet_set_column(ws, 0, 0, 4, NULL);
		worksheet_set_column(ws, 1, 1, 32, NULL);
		int col = 2;
		for (size_t d = 0; s && d < g->ndates; d++)
			if (s->has[d]) {
				short_date(g->dates[d], sd);
				xlsx_text(ws, 1, col, sd, x.head);
				worksheet_set_column(ws, (lxw_col_t)col, (lxw_col_t)col, 5.5, NULL);
				col++;
			}
		xlsx_text(ws, 1, col, "Средний балл", x.head);
		xlsx_text(ws, 1, col + 1, "Итог", x.head);
		worksheet_set_column(ws, (lxw_col_t)col, (lxw_col_t)col, 9, NULL);
		worksheet_set_column(ws, (lxw_col_t)col + 1, (lxw_col_t)col + 1, 7, NULL);
		for (size_t k = 0; k < g->nstudents; k++) {
			int row = (int)k + 2, c = 2;
			worksheet_write_number(ws, (lxw_row_t)row, 0, (double)k + 1, NULL);
			xlsx_text(ws, row, 1, g->students[k].name, x.text);
			if (!s)
				continue;
			const struct jg_line *l = &s->lines[k];
			for (size_t d = 0; d < g->ndates; d++)
				if (s->has[d])
					xlsx_cell(ws, row, c++, l->cells[d], &x);
			double v = wavg_value(&l->avg);
			if (v >= 0)
				worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)c, v, x.num2);
			xlsx_cell(ws, row, c + 1, l->final, &x);
		}
		if (!g->nstudents)
			xlsx_text(ws, 2, 1, "В классе нет учеников за эти даты", NULL);
		worksheet_freeze_panes(ws, 2, 2);
		worksheet_repeat_rows(ws, 1, 1);
	}
	return xlsx_close(&x, &cmd->err);
}

static int do_show(struct cmd *cmd)
{
	char cls[8], from[11], to[11];
	const char *period = NULL, *fmt = cmd_opt(cmd, "format");
	struct jgrid g;
	int xlsx = fmt && strcmp(fmt, "xlsx") == 0;
	int rc = class_and_dates(cmd, cls, from, to, &period);
	if (rc || (rc = journal_may_read_class(&cmd->c, cls, &cmd->err)))
		return rc;
	if (xlsx && !cmd_opt(cmd, "output") && isatty(1))
		return perr_set(&cmd->err, EX_USAGE, "--format xlsx writes a workbook: give -o FILE (or -o - to pipe it)");
	/* one snapshot: the grid's queries see the same journal even while an import commits */
	if ((rc = store_begin_read(cmd->c.store, &cmd->err)))
		return rc;
	rc = jgrid_load(&cmd->c, cls, cmd_opt(cmd, "subject"), from, to, period, &g, &cmd->err);
	store_rollback(cmd->c.store);
	if (rc)
		return rc;
	rc = xlsx ? show_xlsx(cmd, &g) : show_rows(cmd, &g);
	jgrid_free(&g);
	return rc;
}

static int do_teachers(struct cmd *cmd)
{
	char cls[8];
	const char *c;
	int rc = cmd_class(cmd, cls, &c);
	if (!rc && !c)
		rc = perr_set(&cmd->err, EX_USAGE, "teachers: --class C is required");
	if (rc)
		return rc;
	if ((rc = journal_may_read_class(&cmd->c, cls, &cmd->err)))
		return rc;
	struct out *o = cmd_out(cmd);
	out_header(o, journal_teacher_cols, journal_teacher_ncols);
	rc = journal_list_teachers(&cmd->c, cls, cmd_print_row, o, &cmd->err);
	int r2 = cmd_out_done(cmd, o);
	return rc ? rc : r2;
}

#define IMPORT_ARGS "FILE [--sync] [--dry-run] [--rejects FILE]"
#define IMPORT_OPTS "sync,dry-run,rejects="
#define IMPORT_FLAGS (V_STORE | V_WRITE | V_INPUT)

static const struct verb verbs[] = {
	{ "periods import", "FILE [--dry-run] [--rejects FILE]", N_("the school's periods (name,start,end), admin"),
	  "dry-run,rejects=", V_STORE | V_WRITE | V_INPUT, do_periods_import },
	{ "periods list", "", N_("the periods"), "", V_STORE | V_READ, do_periods_list },
	{ "import marks", IMPORT_ARGS,
	  N_("marks (student_id,subject,date,value,weight,kind,lesson_no,teacher_id); one per student, subject, date, lesson and kind"),
	  IMPORT_OPTS, IMPORT_FLAGS, do_import },
	{ "import attendance", IMPORT_ARGS,
	  N_("attendance (student_id,date,code,lesson_no,subject); codes н б у п о; one per student, date and lesson"),
	  IMPORT_OPTS, IMPORT_FLAGS, do_import },
	{ "import lessons", IMPORT_ARGS,
	  N_("lessons and homework (class,group,subject,date,lesson_no,teacher_id,topic,homework)"),
	  IMPORT_OPTS, IMPORT_FLAGS, do_import },
	{ "import schedule", IMPORT_ARGS,
	  N_("the timetable (class,weekday,lesson_no,subject,teacher_id,room,valid_from,valid_to), admin"),
	  IMPORT_OPTS, IMPORT_FLAGS, do_import },
	{ "import changes", IMPORT_ARGS,
	  N_("substitutions, moved and cancelled lessons (date,class,lesson_no,kind,subject,teacher_id,new_date,new_lesson_no,note), admin"),
	  IMPORT_OPTS, IMPORT_FLAGS, do_import },
	{ "import tests", IMPORT_ARGS, N_("the test schedule (class,subject,date,topic)"), IMPORT_OPTS, IMPORT_FLAGS, do_import },
	{ "import holidays", IMPORT_ARGS, N_("holidays (name,start,end,grades), admin"), IMPORT_OPTS, IMPORT_FLAGS, do_import },
	{ "import recommendations", IMPORT_ARGS, N_("teachers' recommendations (student_id,date,text,teacher_id,subject)"),
	  IMPORT_OPTS, IMPORT_FLAGS, do_import },
	{ "import finals", IMPORT_ARGS, N_("final marks (student_id,subject,period,value); value 1-5, н/а or осв"),
	  IMPORT_OPTS, IMPORT_FLAGS, do_import },
	{ "show", "--class C [--subject S] (--period P | --from D --to D) [--format csv|table|json|xlsx] [-o FILE]",
	  N_("the class journal, read-only: a row per student, a column per date, the weighted average and the final mark"),
	  "class=,subject=,period=,from=,to=", V_STORE | V_READ | V_XLSX, do_show },
	{ "teachers", "--class C", N_("who teaches the class what: its subjects, its groups, streams across classes, individual plans"),
	  "class=", V_STORE | V_READ, do_teachers },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

static const struct tool tool = { "portal-journal", N_("portal-journal: the class journal, in and read-only out"), verbs };

int main(int argc, char **argv)
{
	return frame_main(&tool, argc, argv);
}
