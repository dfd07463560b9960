/*
 * jgrid.c: the class journal grid (see jgrid.h). Five queries, each over the
 * class's students or the class itself for the dates asked: the students, the
 * subjects with their teachers, the lessons, the marks, the lessons missed
 * (attendance.c's walk) and the finals of a period. Everything else is put
 * together in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "attendance.h"
#include "audit.h"
#include "jgrid.h"
#include "strmap.h"
#include "known.h"
#include "subjects.h"
#include "util.h"

/* The class's students in the dates: those who left before from are out. */
#define CLASS_STUDENTS_WHERE "class = $1 AND (status = 'active' OR left_on >= $2)"
#define CLASS_STUDENTS "SELECT student_id FROM students WHERE " CLASS_STUDENTS_WHERE
#define CLASS_MARKS "SELECT m.student_id, m.subject_id, m.date, m.value, m.weight FROM marks m " \
	"WHERE m.student_id IN (" CLASS_STUDENTS ") AND m.date BETWEEN $2 AND $3 AND " FACT_VALID("m") \
	" ORDER BY m.date, m.lesson_no, m.kind"
#define STUDENT_NAMES "SELECT student_id, TRIM(last_name || ' ' || first_name || ' ' || COALESCE(middle_name, '')) " \
	"FROM students WHERE " CLASS_STUDENTS_WHERE " ORDER BY last_name, first_name, middle_name, student_id"
/* The lessons of the class and its groups (keyed by the class), and of the streams its students
 * are in (class ''), with the teacher's name. */
#define LESSON_COLUMNS "SELECT l.date, l.lesson_no, l.subject_id, " \
	"TRIM(t.last_name || ' ' || t.first_name || ' ' || COALESCE(t.middle_name, '')), l.class, l.group_id " \
	"FROM lessons l LEFT JOIN staff t ON t.staff_id = l.teacher_id "
/* Two ranges of an index each: the class's own lessons by (class, date), the streams' by the
 * primary key (class '', group, date) for each group a student of the class is in. */
#define CLASS_LESSONS LESSON_COLUMNS "WHERE l.class = $1 AND l.date BETWEEN $2 AND $3 AND " FACT_VALID("l") \
	" UNION ALL " LESSON_COLUMNS "WHERE l.class = '' AND l.group_id IN (SELECT gm.group_id FROM group_members gm " \
	"JOIN students s ON s.student_id = gm.student_id WHERE s.class = $1 AND " FACT_VALID("gm") ") " \
	"AND l.date BETWEEN $2 AND $3 AND $1 <> '' AND " FACT_VALID("l") " ORDER BY 1, 2, 5, 6"

struct ev {
	long stu;		/* index into the grid's students */
	int64_t subj;		/* 0: attendance without a subject */
	char date[11];
	int lesson;
	char what[8];		/* a mark's value or an attendance code */
	double weight;
	int is_mark, is_absence;
};

struct builder {
	struct jgrid *g;
	struct strmap stu;	/* id → index */
	struct strmap dates;	/* date → index, once sorted */
	struct ev *ev;
	size_t nev, cap;
	int64_t only;		/* --subject */
	struct ctx *c;		/* for the absences' walk: its subjects' names */
	struct perr *e;
};

static char *dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

/* A class has a few dozen subjects at most: a look along them is quicker than a map. */
static long subject_index(const struct builder *b, int64_t id)
{
	for (size_t j = 0; j < b->g->nsubjects; j++)
		if (b->g->subjects[j].id == id)
			return (long)j;
	return -1;
}

static int add_subject(struct builder *b, int64_t id, const char *name, const char *teacher)
{
	if (subject_index(b, id) >= 0 || (b->only && id != b->only))
		return 0;
	struct jgrid *g = b->g;
	g->subjects = xrealloc(g->subjects, (g->nsubjects + 1) * sizeof *g->subjects);
	struct jg_subject *s = &g->subjects[g->nsubjects];
	memset(s, 0, sizeof *s);
	s->id = id;
	s->name = dup_or_empty(name);
	s->teacher = dup_or_empty(teacher);
	g->nsubjects++;
	return 0;
}

static struct ev *new_ev(struct builder *b)
{
	if (b->nev == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 1024;
		b->ev = xrealloc(b->ev, b->cap * sizeof *b->ev);
	}
	struct ev *v = &b->ev[b->nev++];
	memset(v, 0, sizeof *v);
	return v;
}

/* The grid's queries take the class and the first date ($1, $2), most the last date too ($3). */
static struct stmt *query(struct ctx *c, const char *sql, const struct builder *b, struct perr *e)
{
	const struct jgrid *g = b->g;
	if (strstr(sql, "$3"))
		return store_query(c->store, e, sql, P_TEXT(g->cls), P_TEXT(g->from), P_TEXT(g->to));
	return store_query(c->store, e, sql, P_TEXT(g->cls), P_TEXT(g->from));
}

static int load_students(struct ctx *c, struct builder *b, struct perr *e)
{
	struct jgrid *g = b->g;
	struct stmt *st = query(c, STUDENT_NAMES, b, e);
	int rc;
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1) {
		g->students = xrealloc(g->students, (g->nstudents + 1) * sizeof *g->students);
		g->students[g->nstudents].id = xstrdup(stmt_text(st, 0));
		g->students[g->nstudents].name = xstrdup(stmt_text(st, 1));
		strmap_put(&b->stu, stmt_text(st, 0), (long)g->nstudents++);
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

/* Subjects of the timetable (with its teacher: the one with the most of its lessons),
 * then those the lessons and marks of the dates add. */
static int load_subjects(struct ctx *c, struct builder *b, struct perr *e)
{
	struct stmt *st = query(c,
		/* the teacher of each subject in one grouped pass: the most lessons, then the lowest id */
		"WITH n AS (SELECT x.subject_id, TRIM(t.last_name || ' ' || t.first_name || ' ' || COALESCE(t.middle_name, '')) AS name, "
		"ROW_NUMBER() OVER (PARTITION BY x.subject_id ORDER BY count(*) DESC, t.staff_id) AS k FROM schedule x "
		"JOIN staff t ON t.staff_id = x.teacher_id WHERE x.class = $1 "
		"GROUP BY x.subject_id, t.staff_id, t.last_name, t.first_name, t.middle_name) "
		"SELECT sc.subject_id, su.name, n.name FROM schedule sc JOIN subjects su ON su.subject_id = sc.subject_id "
		"LEFT JOIN n ON n.subject_id = sc.subject_id AND n.k = 1 "
		"WHERE sc.class = $1 AND " FACT_VALID("sc") " AND (sc.valid_from = '' OR sc.valid_from <= $3) "
		"AND (sc.valid_to IS NULL OR sc.valid_to >= $2) ORDER BY su.name", b, e);
	int rc;
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1)
		add_subject(b, stmt_int(st, 0), stmt_text(st, 1), stmt_text(st, 2));
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

/* A subject the lessons or the marks add that the timetable has not: by its name, without teacher
 * (the lessons give theirs). 0, or the status of a failed read. */
static int add_other_subject(struct ctx *c, struct builder *b, int64_t id, struct perr *e)
{
	char name[256];
	int rc;
	if (subject_index(b, id) >= 0 || (b->only && id != b->only))
		return 0;
	if ((rc = subject_name(c->store, id, name, sizeof name, e)))
		return rc;
	return add_subject(b, id, name, NULL);
}

/* An absence of the attendance module's walk: an event of its student, subject and date. */
static int add_absence(void *arg, const struct absence *a)
{
	struct builder *b = arg;
	int rc = a->subject ? add_other_subject(b->c, b, a->subject, b->e) : 0;
	if (rc)
		return rc;
	struct ev *v = new_ev(b);
	v->stu = strmap_get(&b->stu, a->student);
	v->subj = a->subject;
	str_copy(v->date, sizeof v->date, a->date);
	v->lesson = a->lesson_no;
	str_copy(v->what, sizeof v->what, a->code);
	v->is_absence = 1;
	return 0;
}

static int load_events(struct ctx *c, struct builder *b, struct perr *e)
{
	int rc;
	struct stmt *st = query(c, CLASS_LESSONS, b, e);
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1) {
		if ((rc = add_other_subject(c, b, stmt_int(st, 2), e)))
			break;
		long j = subject_index(b, stmt_int(st, 2));
		if (j >= 0 && !*b->g->subjects[j].teacher && stmt_text(st, 3)) {
			free(b->g->subjects[j].teacher);
			b->g->subjects[j].teacher = xstrdup(stmt_text(st, 3));	/* no timetable: the first lesson's */
		}
		struct ev *v = new_ev(b);
		v->stu = -1;
		v->subj = stmt_int(st, 2);
		str_copy(v->date, sizeof v->date, stmt_text(st, 0));
	}
	stmt_reset(st);
	if (rc)
		return rc < 0 ? -rc : rc;
	st = query(c, CLASS_MARKS, b, e);
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1) {
		if ((rc = add_other_subject(c, b, stmt_int(st, 1), e)))
			break;
		struct ev *v = new_ev(b);
		v->stu = strmap_get(&b->stu, stmt_text(st, 0));
		v->subj = stmt_int(st, 1);
		str_copy(v->date, sizeof v->date, stmt_text(st, 2));
		str_copy(v->what, sizeof v->what, stmt_text(st, 3));
		v->weight = stmt_double(st, 4);
		v->is_mark = 1;
	}
	stmt_reset(st);
	if (rc)
		return rc < 0 ? -rc : rc;
	/* the lessons missed, counted as everywhere else */
	struct attendance_who who = { b->g->cls, NULL };
	return attendance_each_absence(c, &who, b->g->from, b->g->to, add_absence, b, e);
}

static int load_finals(struct ctx *c, struct builder *b, struct perr *e)
{
	struct jgrid *g = b->g;
	struct stmt *st = store_query(c->store, e, "SELECT f.student_id, f.subject_id, f.value FROM finals f "
				      "JOIN students s ON s.student_id = f.student_id WHERE s.class = $1 AND f.period = $2 AND "
				      FACT_VALID("f"), P_TEXT(g->cls), P_TEXT(g->period));
	int rc;
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1) {
		long si = strmap_get(&b->stu, stmt_text(st, 0)), ji = subject_index(b, stmt_int(st, 1));
		if (si >= 0 && ji >= 0)
			str_copy(g->subjects[ji].lines[si].final, sizeof g->subjects[ji].lines[si].final, stmt_text(st, 2));
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

static int cmp_subject(const void *a, const void *b)
{
	return strcmp(((const struct jg_subject *)a)->name, ((const struct jg_subject *)b)->name);
}

static void add_cell(struct jg_line *l, long d, const char *what)
{
	char *old = l->cells[d];
	size_t n = (old ? strlen(old) + 1 : 0) + strlen(what) + 1;
	char *s = xmalloc(n);
	snprintf(s, n, "%s%s%s", old ? old : "", old ? " " : "", what);
	free(old);
	l->cells[d] = s;
}

/* Puts the events into the grid: dates, cells, averages, absences. */
static void assemble(struct builder *b)
{
	struct jgrid *g = b->g;
	for (size_t i = 0; i < b->nev; i++) {
		struct ev *v = &b->ev[i];
		/* a date is a column when a subject shown has something on it: a lesson, a mark, an absence */
		if (!v->subj || subject_index(b, v->subj) < 0 || strmap_get(&b->dates, v->date) >= 0)
			continue;
		strmap_put(&b->dates, v->date, 0);
		g->dates = xrealloc(g->dates, (g->ndates + 1) * sizeof *g->dates);
		g->dates[g->ndates++] = xstrdup(v->date);
	}
	if (g->ndates > 1)	/* qsort of nothing may not be given NULL */
		qsort(g->dates, g->ndates, sizeof *g->dates, str_cmp_ptr);
	if (g->nsubjects > 1)
		qsort(g->subjects, g->nsubjects, sizeof *g->subjects, cmp_subject);
	for (size_t d = 0; d < g->ndates; d++)
		strmap_put(&b->dates, g->dates[d], (long)d);
	g->absences = xcalloc(g->nstudents + 1, sizeof *g->absences);
	for (size_t j = 0; j < g->nsubjects; j++) {
		struct jg_subject *s = &g->subjects[j];
		s->has = xcalloc(g->ndates + 1, 1);
		s->lines = xcalloc(g->nstudents + 1, sizeof *s->lines);
		for (size_t k = 0; k < g->nstudents; k++) {
			s->lines[k].cells = xcalloc(g->ndates + 1, sizeof *s->lines[k].cells);
			s->lines[k].marks = xcalloc(g->ndates + 1, sizeof *s->lines[k].marks);
		}
	}
	/* marks first, then the codes: a cell holds its marks, then its attendance codes */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < b->nev; i++) {
			struct ev *v = &b->ev[i];
			if ((pass == 0) == v->is_absence)
				continue;
			if (v->is_absence && v->stu >= 0)	/* the student's total, whatever subject is shown */
				absence_count_add(&g->absences[v->stu], v->what);
			long d = strmap_get(&b->dates, v->date), j = v->subj ? subject_index(b, v->subj) : -1;
			if (d < 0 || j < 0)
				continue;
			g->subjects[j].has[d] = 1;
			if (v->stu < 0)
				continue;	/* a lesson, or a student not in the grid */
			struct jg_line *l = &g->subjects[j].lines[v->stu];
			add_cell(l, d, v->what);
			if (v->is_absence) {
				absence_count_add(&l->abs, v->what);
			} else if (v->is_mark) {
				free(l->marks[d]);	/* the codes come in the second pass: the cell holds marks alone */
				l->marks[d] = xstrdup(l->cells[d]);
				wavg_add(&l->avg, atof(v->what), v->weight);
			}
		}
}

int jgrid_load(struct ctx *c, const char *cls, const char *subject, const char *from, const char *to,
	       const char *period, struct jgrid *g, struct perr *e)
{
	struct builder b;
	int rc;
	memset(g, 0, sizeof *g);
	memset(&b, 0, sizeof b);
	b.g = g;
	b.c = c;
	b.e = e;
	str_copy(g->cls, sizeof g->cls, cls);
	str_copy(g->from, sizeof g->from, from);
	str_copy(g->to, sizeof g->to, to);
	g->period = period ? xstrdup(period) : NULL;
	strmap_init(&b.stu);
	strmap_init(&b.dates);
	if (subject && (rc = known_subject(c->store, "--subject", subject, &b.only, e)))
		goto out;
	if ((rc = load_students(c, &b, e)) || (rc = load_subjects(c, &b, e)) || (rc = load_events(c, &b, e)))
		goto out;
	assemble(&b);
	if (period)
		rc = load_finals(c, &b, e);
out:
	strmap_free(&b.stu);
	strmap_free(&b.dates);
	free(b.ev);
	if (rc)
		jgrid_free(g);	/* a grid that failed is none: the caller has nothing to free */
	return rc;
}


void jgrid_free(struct jgrid *g)
{
	for (size_t j = 0; j < g->nsubjects; j++) {
		struct jg_subject *s = &g->subjects[j];
		for (size_t k = 0; s->lines && k < g->nstudents; k++) {
			for (size_t d = 0; d < g->ndates; d++) {
				free(s->lines[k].cells[d]);
				free(s->lines[k].marks[d]);
			}
			free(s->lines[k].cells);
			free(s->lines[k].marks);
		}
		free(s->lines);
		free(s->has);
		free(s->name);
		free(s->teacher);
	}
	free(g->subjects);
	for (size_t k = 0; k < g->nstudents; k++) {
		free(g->students[k].id);
		free(g->students[k].name);
	}
	free(g->students);
	for (size_t d = 0; d < g->ndates; d++)
		free(g->dates[d]);
	free(g->dates);
	free(g->absences);
	free(g->period);
	memset(g, 0, sizeof *g);
}

int journal_may_read_class(struct ctx *c, const char *cls, struct perr *e)
{
	const struct actor *a = c->actor;
	if (actor_may_read_all(a) || actor_leads(a, cls))
		return 0;
	if (actor_is(a, "teacher")) {
		int rc = store_exists(c->store, e,
			"SELECT 1 FROM schedule WHERE class = $1 AND teacher_id = $2 "
			"UNION SELECT 1 FROM lessons WHERE class = $1 AND teacher_id = $2 "
			"UNION SELECT 1 FROM lessons l JOIN group_members gm ON gm.group_id = l.group_id "
			"JOIN students s ON s.student_id = gm.student_id WHERE s.class = $1 AND l.teacher_id = $2 "
			/* as for edits: with no timetable naming teachers, a teacher's subjects decide */
			"UNION SELECT 1 FROM staff_subjects WHERE staff_id = $2 "
			"AND NOT EXISTS (SELECT 1 FROM schedule WHERE teacher_id IS NOT NULL) "
			"AND NOT EXISTS (SELECT 1 FROM lessons WHERE teacher_id IS NOT NULL)", P_TEXT(cls), P_TEXT(a->staff_id));
		if (rc < 0)
			return -rc;
		if (rc == 1)
			return 0;
	}
	return perr_set(e, EX_NOPERM, "not permitted: %s (%s) lacks the right to read the journal of class %s: "
			"admins, deputies, its class leader and the teachers who teach it have it",
			a ? a->login : "-", a ? a->role : "-", cls);
}
