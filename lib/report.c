/*
 * report.c: the analytics (see report.h). The marks of a whole school's
 * quarter are read in one pass grouped by the marks table's own key
 * (student, subject), so SQLite aggregates them as it walks the key without
 * sorting; everything else is small.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ack.h"
#include "actor.h"
#include "attendance.h"
#include "audit.h"
#include "ids.h"
#include "config.h"
#include "consent.h"
#include "delivery.h"
#include "report.h"
#include "strmap.h"
#include "util.h"
#include "values.h"

struct loader {
	struct report *r;
	struct strmap stu;	/* id → index */
	long *first, *count;	/* per student: its cells from the marks */
	struct strmap subj;	/* "class subject" → index */
};

static long add_cell(struct rp_cell **cells, size_t *n, long stu, int64_t subject)
{
	if (!(*n & (*n - 1)))	/* at 0, 1, 2, 4, …: doubling, not a copy a cell */
		*cells = xrealloc(*cells, (*n ? 2 * *n : 1) * sizeof **cells);
	memset(&(*cells)[*n], 0, sizeof **cells);
	(*cells)[*n].stu = stu;
	(*cells)[*n].subject = subject;
	return (long)(*n)++;
}

/* The cell of (stu, subject), made when there is none (a final without marks): the marks'
 * cells of a student stand together (the marks come in the student's key order). */
static long cell_of(struct loader *l, long stu, int64_t subject)
{
	for (long i = l->first[stu]; i < l->first[stu] + l->count[stu]; i++)
		if (l->r->cells[i].subject == subject)
			return i;
	return add_cell(&l->r->cells, &l->r->ncells, stu, subject);
}

static long subject_of(struct loader *l, const char *cls, int64_t id, const char *name, const char *teacher)
{
	char key[48];
	snprintf(key, sizeof key, "%s %lld", cls, (long long)id);
	long i = strmap_get(&l->subj, key);
	struct report *r = l->r;
	if (i >= 0) {
		if (teacher && !*r->subjects[i].teacher) {
			free(r->subjects[i].teacher);
			r->subjects[i].teacher = xstrdup(teacher);
		}
		return i;
	}
	if (!(r->nsubjects & (r->nsubjects - 1)))
		r->subjects = xrealloc(r->subjects, (r->nsubjects ? 2 * r->nsubjects : 1) * sizeof *r->subjects);
	struct rp_subject *s = &r->subjects[r->nsubjects];
	memset(s, 0, sizeof *s);
	s->cls = xstrdup(cls);
	s->id = id;
	s->name = xstrdup(name ? name : "");
	s->teacher = xstrdup(teacher ? teacher : "");
	strmap_put(&l->subj, key, (long)r->nsubjects);
	return (long)r->nsubjects++;
}

/* A statement over the period: $1 the class (NULL: every class), $2 and $3 its first and last day. */
static struct stmt *q(struct ctx *c, const char *sql, const char *cls, const struct report *r, struct perr *e)
{
	return store_query(c->store, e, sql, P_TEXT(cls), P_TEXT(r->from), P_TEXT(r->to));
}

/* The students of the period: those who left before it ended are out; with c->picked, only the
 * people given (ids.h): a statement of the report is made with IN_PERIOD or IN_PERIOD_PICKED, the
 * choice of in_period(). */
#define IN_PERIOD "(s.status = 'active' OR s.left_on >= $3) AND s.class = COALESCE($1, s.class)"
#define IN_PERIOD_PICKED IN_PERIOD " AND " IDS_PICKED_STUDENT("s.student_id")
#define in_period(c, sql) ((c)->picked ? sql(IN_PERIOD_PICKED) : sql(IN_PERIOD))

#define STUDENTS_SQL(in) \
	"SELECT s.student_id, TRIM(s.last_name || ' ' || s.first_name || ' ' || COALESCE(s.middle_name, '')), " \
	"s.class FROM students s WHERE " in " ORDER BY " CLASS_ORDER("s.class") ", s.last_name, s.first_name, s.student_id"

static int load_students(struct ctx *c, const char *cls, struct loader *l, struct perr *e)
{
	struct report *r = l->r;
	struct stmt *st = q(c, in_period(c, STUDENTS_SQL), cls, r, e);
	int rc;
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1) {
		if (!(r->nstudents & (r->nstudents - 1)))
			r->students = xrealloc(r->students, (r->nstudents ? 2 * r->nstudents : 1) * sizeof *r->students);
		struct rp_student *s = &r->students[r->nstudents];
		memset(s, 0, sizeof *s);
		s->id = xstrdup(stmt_text(st, 0));
		s->name = xstrdup(stmt_text(st, 1));
		s->cls = xstrdup(stmt_text(st, 2));
		strmap_put(&l->stu, s->id, (long)r->nstudents++);
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

/* The whole school's marks are read in ranges of students taken in turn by two connections, one
 * in a thread (two cores read the pages at once), when a second connection sees the same commit.
 * Ranges, not halves: the youngest classes have no marks, so halves by student would not be
 * halves by work. */
enum {
	SPLIT_MIN = 400,	/* students; below it a second connection costs more than it saves */
	RANGES = 16,
};

struct ranges {
	const char *cls, *from, *to;	/* $1, $2, $3 */
	int narrow;			/* the statement keeps to the students of $1 or of those picked: no $4 */
	const char *bound[RANGES + 1];	/* range i: bound[i] ($4) <= student_id < bound[i + 1] (NULL: none) */
	int n, next;
	pthread_mutex_t lock;
};

/* One connection's part of the marks pass: the cells it made, and per student its first cell and
 * their count (a student's cells stand together: the marks come in the key's order). */
struct scan {
	struct store *store;
	const char *sql;
	struct ranges *ranges;
	const struct strmap *stu;
	struct rp_cell *cells;
	size_t ncells;
	long *first, *count;
	int rc;
	struct perr e;
};

/* A row per mark, summed here: summed by the engine (SUM … GROUP BY student, subject) the pass
 * cost SQLite 10 % more for 5-13 % less on PostgreSQL; an index on marks by date would serve one
 * grouped pass on PostgreSQL (0.30 → 0.14 s) but slows the marks import past its aim on both. */
#define MARKS_SQL "SELECT m.student_id, m.subject_id, m.value, m.weight FROM marks m WHERE "
#define MARKS_TAIL " AND m.date BETWEEN $2 AND $3 AND " FACT_VALID("m") " ORDER BY m.student_id, m.subject_id"
#define MARKS_OF_SQL(in) MARKS_SQL "m.student_id IN (SELECT s.student_id FROM students s WHERE " in ") " MARKS_TAIL
/* a range of the whole school's students: from its first ($4) to the next range's first ($5), or
 * to the end; the bound stays out of the last range's SQL, where SQLite would no longer walk the
 * key in order */
#define RANGE_SQL MARKS_SQL "m.student_id >= $4 AND m.student_id < $5 AND CAST($1 AS TEXT) IS NULL" MARKS_TAIL
#define LAST_RANGE_SQL MARKS_SQL "m.student_id >= $4 AND CAST($1 AS TEXT) IS NULL" MARKS_TAIL

static int next_range(struct ranges *rs)
{
	pthread_mutex_lock(&rs->lock);
	int i = rs->next < rs->n ? rs->next++ : -1;
	pthread_mutex_unlock(&rs->lock);
	return i;
}

/* Sums the marks of the ranges it takes per (student, subject) as the key brings them: a change of
 * pair opens a cell, a change of student is one look-up. */
static void *scan_run(void *arg)
{
	struct scan *p = arg;
	const struct ranges *rs = p->ranges;
	int i, rc = 0;
	while (!rc && (i = next_range(p->ranges)) >= 0) {
		char *prev = NULL;	/* the student of the rows being read */
		long k = -1, ci = -1;
		int64_t subject = 0;
		/* one class: its students ($1); the whole school: the range from its first student ($4) to
		 * the next range's ($5): an engine that hands over a statement's rows whole (PostgreSQL)
		 * would otherwise read every later range again */
		struct stmt *st = rs->narrow
			? store_query(p->store, &p->e, p->sql, P_TEXT(rs->cls), P_TEXT(rs->from), P_TEXT(rs->to))
			: rs->bound[i + 1]
			? store_query(p->store, &p->e, RANGE_SQL, P_NULL, P_TEXT(rs->from), P_TEXT(rs->to), P_TEXT(rs->bound[i]),
				      P_TEXT(rs->bound[i + 1]))
			: store_query(p->store, &p->e, LAST_RANGE_SQL, P_NULL, P_TEXT(rs->from), P_TEXT(rs->to),
				      P_TEXT(rs->bound[i]));
		if (!st) {
			rc = -p->e.status;
			break;
		}
		const char *end = rs->bound[i + 1];	/* NULL: the last range */
		while ((rc = stmt_step(st, &p->e)) == 1) {
			const char *id = stmt_text(st, 0);
			int64_t sub = stmt_int(st, 1);
			if (!prev || strcmp(id, prev)) {
				if (end && strcmp(id, end) >= 0) {	/* the next range's: once per student, not per mark */
					rc = 0;
					break;
				}
				free(prev);
				prev = xstrdup(id);
				k = strmap_get(p->stu, id);	/* < 0: left before the period ended */
				ci = -1;
			}
			if (k < 0)
				continue;
			if (ci < 0 || sub != subject) {
				ci = add_cell(&p->cells, &p->ncells, k, sub);
				if (!p->count[k]++)
					p->first[k] = ci;
				subject = sub;
			}
			struct rp_cell *cell = &p->cells[ci];
			double w = stmt_double(st, 3);
			cell->avg.sum += (double)stmt_int(st, 2) * w;
			cell->avg.weight += w;
			cell->avg.n++;
		}
		stmt_reset(st);
		free(prev);
	}
	p->rc = rc < 0 ? -rc : 0;
	if (p->rc)	/* the other connection stops too */
		while (next_range(p->ranges) >= 0)
			;
	return NULL;
}


static int load_marks(struct ctx *c, const char *cls, struct loader *l, struct perr *e)
{
	struct report *r = l->r;
	struct store *twin = NULL;
	int rc = 0;
	int narrow = cls || c->picked;
	if (!narrow && r->nstudents >= SPLIT_MIN && (rc = store_twin(c->store, &twin, e)))
		return rc;
	/* one class, or the people given: the key's first column narrows the pass to their students */
	const char *sql = narrow ? in_period(c, MARKS_OF_SQL) : NULL;	/* else the ranges' */
	struct ranges rs = { .cls = cls, .narrow = narrow, .from = r->from, .to = r->to, .n = 1, .bound = { "", NULL } };
	char **ids = NULL;
	if (twin) {
		ids = xcalloc(r->nstudents, sizeof *ids);
		for (size_t i = 0; i < r->nstudents; i++)
			ids[i] = r->students[i].id;
		qsort(ids, r->nstudents, sizeof *ids, str_cmp_ptr);
		rs.n = RANGES;
		for (int i = 1; i < RANGES; i++)
			rs.bound[i] = ids[r->nstudents * (size_t)i / RANGES];
	}
	pthread_mutex_init(&rs.lock, NULL);
	struct scan part[2];
	memset(part, 0, sizeof part);
	int nparts = twin ? 2 : 1;
	for (int i = 0; i < nparts; i++) {
		part[i].ranges = &rs;
		part[i].stu = &l->stu;
		part[i].first = xcalloc(r->nstudents + 1, sizeof *part[i].first);
		part[i].count = xcalloc(r->nstudents + 1, sizeof *part[i].count);
		part[i].store = i ? twin : c->store;
		part[i].sql = sql;
	}
	pthread_t th;
	int threaded = twin && !pthread_create(&th, NULL, scan_run, &part[1]);
	scan_run(&part[0]);
	if (threaded)
		pthread_join(th, NULL);
	if (twin && part[1].ncells) {	/* the second connection's cells after the first's, one by one:
					 * add_cell's doubling stays as the finals below expect it */
		for (size_t k = 0; k < r->nstudents; k++)
			if (part[1].count[k]) {
				part[0].first[k] = part[1].first[k] + (long)part[0].ncells;
				part[0].count[k] = part[1].count[k];
			}
		for (size_t i = 0; i < part[1].ncells; i++) {
			long ci = add_cell(&part[0].cells, &part[0].ncells, 0, 0);
			part[0].cells[ci] = part[1].cells[i];
		}
	}
	rc = part[0].rc ? part[0].rc : part[1].rc;
	if (rc)
		*e = part[0].rc ? part[0].e : part[1].e;
	r->cells = part[0].cells;
	r->ncells = part[0].ncells;
	l->first = part[0].first;
	l->count = part[0].count;
	part[0].cells = NULL;
	part[0].first = part[0].count = NULL;
	for (int i = 0; i < 2; i++) {
		free(part[i].cells);
		free(part[i].first);
		free(part[i].count);
	}
	pthread_mutex_destroy(&rs.lock);
	free(ids);
	store_close(twin);
	if (rc || !r->period)
		return rc;
	struct stmt *st = store_query(c->store, e, "SELECT f.student_id, f.subject_id, f.value FROM finals f "
				      "WHERE f.period = $1 AND " FACT_VALID("f"), P_TEXT(r->period));
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1) {
		long who = strmap_get(&l->stu, stmt_text(st, 0));
		if (who >= 0) {
			long fc = cell_of(l, who, stmt_int(st, 1));
			str_copy(r->cells[fc].final, sizeof r->cells[0].final, stmt_text(st, 2));
		}
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

/* The subjects per class: the timetable's (with the teacher who has most of its lessons), and
 * those the marks add. */
static int load_subjects(struct ctx *c, const char *cls, struct loader *l, struct perr *e)
{
	struct report *r = l->r;
	/* a row per class, subject and teacher, the teacher with most lessons first, no teacher last */
	struct stmt *st = q(c,
		"SELECT sc.class, sc.subject_id, su.name, TRIM(t.last_name || ' ' || t.first_name || ' ' || "
		"COALESCE(t.middle_name, '')) FROM schedule sc JOIN subjects su ON su.subject_id = sc.subject_id "
		"LEFT JOIN staff t ON t.staff_id = sc.teacher_id "
		"WHERE sc.class = COALESCE($1, sc.class) AND " FACT_VALID("sc") " AND (sc.valid_from = '' OR sc.valid_from <= $3) "
		"AND (sc.valid_to IS NULL OR sc.valid_to >= $2) GROUP BY sc.class, sc.subject_id, su.name, t.staff_id, "
		"t.last_name, t.first_name, t.middle_name "
		"ORDER BY sc.class, sc.subject_id, t.staff_id IS NULL, count(*) DESC, t.staff_id", cls, r, e);
	int rc;
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1)	/* the first row of a subject names its teacher */
		subject_of(l, stmt_text(st, 0), stmt_int(st, 1), stmt_text(st, 2), stmt_text(st, 3));
	stmt_reset(st);
	if (rc < 0)
		return -rc;
	/* names of the subjects only marks know */
	if (!(st = store_query(c->store, e, "SELECT subject_id, name FROM subjects")))
		return e->status;
	char **byid = NULL;
	long max = 0;
	while ((rc = stmt_step(st, e)) == 1) {
		long id = (long)stmt_int(st, 0);
		if (id >= max) {
			byid = xrealloc(byid, (size_t)(id + 1) * sizeof *byid);
			memset(byid + max, 0, (size_t)(id + 1 - max) * sizeof *byid);
			max = id + 1;
		}
		byid[id] = xstrdup(stmt_text(st, 1));
	}
	stmt_reset(st);
	/* the cells are in the students' order, so a class's stand together: each of its subjects
	 * is looked up once */
	unsigned char *seen = xcalloc((size_t)max + 1, 1);
	const char *in = NULL;	/* the class being read */
	for (size_t i = 0; rc >= 0 && i < r->ncells; i++) {
		int64_t id = r->cells[i].subject;
		const char *cls_i = r->students[r->cells[i].stu].cls;
		if (!in || strcmp(in, cls_i)) {
			in = cls_i;
			memset(seen, 0, (size_t)max + 1);
		}
		int known = id >= 0 && id < max;
		if (known && seen[id])
			continue;
		if (known)
			seen[id] = 1;
		subject_of(l, cls_i, id, known && byid[id] ? byid[id] : "?", NULL);
	}
	free(seen);
	for (long i = 0; i < max; i++)
		free(byid[i]);
	free(byid);
	return rc < 0 ? -rc : 0;
}

static int cmp_cell(const void *a, const void *b)
{
	const struct rp_cell *x = a, *y = b;
	if (x->stu != y->stu)
		return x->stu < y->stu ? -1 : 1;
	return x->subject < y->subject ? -1 : x->subject > y->subject;
}

static int cmp_subject(const void *a, const void *b)
{
	const struct rp_subject *x = a, *y = b;
	int d = class_cmp(x->cls, y->cls);
	return d ? d : strcmp(x->name, y->name);
}

enum period_result report_result(const struct report *r, const struct rp_cell *cell, int *mark)
{
	const char *f = cell->final;
	*mark = 0;
	if (!strcmp(f, "осв"))
		return PR_EXEMPT;
	if (!strcmp(f, "н/а"))
		return PR_NA;
	if (*f >= '1' && *f <= '5') {
		*mark = *f - '0';
		return PR_MARK;
	}
	double a = wavg_value(&cell->avg);
	if (a < 0)
		return PR_NONE;
	*mark = grading_round(a, r->t);
	return PR_MARK;
}

/* The people given (c->picked) are some students of some classes: the subjects of the other
 * classes are none of theirs. */
static void keep_classes_of_students(struct report *r)
{
	struct strmap classes;
	size_t kept = 0;
	strmap_init(&classes);
	for (size_t k = 0; k < r->nstudents; k++)
		strmap_put(&classes, r->students[k].cls, 1);
	for (size_t j = 0; j < r->nsubjects; j++) {
		struct rp_subject *s = &r->subjects[j];
		if (strmap_get(&classes, s->cls) < 0) {
			free(s->cls);
			free(s->name);
			free(s->teacher);
		} else {
			r->subjects[kept++] = *s;
		}
	}
	r->nsubjects = kept;
	strmap_free(&classes);
}

int report_load(struct ctx *c, const char *cls, const char *from, const char *to, const char *period,
		struct report *r, struct perr *e)
{
	struct loader l = { .r = r };
	char t[64];
	int rc;
	memset(r, 0, sizeof *r);
	str_copy(r->from, sizeof r->from, from);
	str_copy(r->to, sizeof r->to, to);
	r->period = period;
	if ((rc = config_get(c->store, "grading.thresholds", t, sizeof t, e)))
		return rc;
	if (grading_thresholds(t, r->t))
		return perr_set(e, EX_CONFIG, "grading.thresholds: \"%s\" is not three averages", t);
	strmap_init(&l.stu);
	strmap_init(&l.subj);
	if (!(rc = load_students(c, cls, &l, e)) && !(rc = load_marks(c, cls, &l, e))) {
		if (r->ncells > 1)	/* by student as listed, then subject */
			qsort(r->cells, r->ncells, sizeof *r->cells, cmp_cell);
		rc = load_subjects(c, cls, &l, e);
	}
	if (!rc && c->picked)
		keep_classes_of_students(r);
	if (!rc) {
		if (r->nsubjects > 1)
			qsort(r->subjects, r->nsubjects, sizeof *r->subjects, cmp_subject);
		strmap_free(&l.subj);
		strmap_init(&l.subj);
		for (size_t j = 0; j < r->nsubjects; j++) {
			char key[48];
			snprintf(key, sizeof key, "%s %lld", r->subjects[j].cls, (long long)r->subjects[j].id);
			strmap_put(&l.subj, key, (long)j);
		}
		/* the students a class has, and each one's result in each subject */
		struct strmap per_class;	/* class → its students in the period */
		strmap_init(&per_class);
		for (size_t k = 0; k < r->nstudents; k++)
			strmap_put(&per_class, r->students[k].cls, (strmap_get(&per_class, r->students[k].cls) > 0 ?
								    strmap_get(&per_class, r->students[k].cls) : 0) + 1);
		for (size_t j = 0; j < r->nsubjects; j++) {
			long n = strmap_get(&per_class, r->subjects[j].cls);
			r->subjects[j].students = n > 0 ? n : 0;
		}
		strmap_free(&per_class);
		for (size_t i = 0; i < r->ncells; i++) {
			const struct rp_cell *cell = &r->cells[i];
			char key[48];
			int mark;
			snprintf(key, sizeof key, "%s %lld", r->students[cell->stu].cls, (long long)cell->subject);
			long j = strmap_get(&l.subj, key);
			enum period_result res = report_result(r, cell, &mark);
			if (j >= 0)
				class_stats_add(&r->subjects[j].st, res, mark, wavg_value(&cell->avg));
		}
	}
	strmap_free(&l.stu);
	free(l.first);
	free(l.count);
	strmap_free(&l.subj);
	return rc;
}

struct att_sum {
	struct report *r;
	struct strmap stu;	/* id → index; a student who left before the period ended is not there */
};

static int add_lessons(void *arg, const char *student, long lessons)
{
	struct att_sum *a = arg;
	long k = strmap_get(&a->stu, student);
	if (k >= 0)
		a->r->students[k].lessons = lessons;
	return 0;
}

static int add_absence(void *arg, const struct absence *ab)
{
	struct att_sum *a = arg;
	long k = strmap_get(&a->stu, ab->student);
	if (k >= 0)
		absence_count_add(&a->r->students[k].absent, ab->code);
	return 0;
}

int report_load_attendance(struct ctx *c, const char *cls, struct report *r, struct perr *e)
{
	struct att_sum a = { .r = r };
	struct attendance_who who = { cls, NULL };
	strmap_init(&a.stu);
	for (size_t k = 0; k < r->nstudents; k++)
		strmap_put(&a.stu, r->students[k].id, (long)k);
	int rc = attendance_each_lessons(c, &who, r->from, r->to, add_lessons, &a, e);
	if (!rc)
		rc = attendance_each_absence(c, &who, r->from, r->to, add_absence, &a, e);
	strmap_free(&a.stu);
	r->attendance_loaded = 1;
	return rc;
}

double report_pct_attended(const struct rp_student *s)
{
	if (s->lessons <= 0)
		return -1;
	long missed = s->absent.missed > s->lessons ? s->lessons : s->absent.missed;
	return (double)(s->lessons - missed) * 100 / (double)s->lessons;
}

void report_free(struct report *r)
{
	for (size_t k = 0; k < r->nstudents; k++) {
		free(r->students[k].id);
		free(r->students[k].name);
		free(r->students[k].cls);
	}
	free(r->students);
	for (size_t j = 0; j < r->nsubjects; j++) {
		free(r->subjects[j].cls);
		free(r->subjects[j].name);
		free(r->subjects[j].teacher);
	}
	free(r->subjects);
	free(r->cells);
	memset(r, 0, sizeof *r);
}

/* ---- coverage ---- */

const struct out_col report_coverage_cols[] = { { "class", COL_TEXT }, { "students", COL_NUMBER },
	{ "guardians", COL_NUMBER }, { "accounts", COL_NUMBER }, { "consents_given", COL_NUMBER },
	{ "consents_refused", COL_NUMBER }, { "consents_withdrawn", COL_NUMBER }, { "consents_none", COL_NUMBER },
	{ "paper_recipients", COL_NUMBER }, { "extracts", COL_NUMBER }, { "acknowledged_pct", COL_NUMBER } };
const size_t report_coverage_ncols = 11;

/* The standing decisions of a class's links, counted. */
struct cov {
	long given, refused, withdrawn, none;
};

static int cov_link(void *p, const struct consent_status *cs)
{
	struct cov *cv = p;
	if (!strcmp(cs->decision, "given"))
		cv->given++;
	else if (!strcmp(cs->decision, "refused"))
		cv->refused++;
	else if (!strcmp(cs->decision, "withdrawn"))
		cv->withdrawn++;
	else
		cv->none++;
	return 0;
}

static int cov_acks(void *p, const struct ack_coverage *a)
{
	*(struct ack_coverage *)p = (struct ack_coverage){ .extracts = a->extracts, .pct = a->pct };
	return 0;
}

/* One row of coverage: the class's decisions and paper recipients by the delivery plan, its
 * extracts and their acknowledged share. */
static int coverage_class(struct ctx *c, const char *cls, const char *period, const long counts[3], row_fn fn,
			  void *fctx, struct perr *e)
{
	struct cov cv = { 0 };
	struct ack_coverage a = { .extracts = 0, .pct = 0.0 };
	long paper;
	int rc;
	if ((rc = delivery_paper_count(c, cls, cov_link, &cv, &paper, e)) ||
	    (rc = ack_each_coverage(c, cls, period, cov_acks, &a, e)))
		return rc;
	long vals[] = { counts[0], counts[1], counts[2], cv.given, cv.refused, cv.withdrawn, cv.none, paper, a.extracts };
	char num[9][24], pct[16];
	const char *v[11];
	v[0] = cls;
	for (int k = 0; k < 9; k++) {
		snprintf(num[k], sizeof num[k], "%ld", vals[k]);
		v[1 + k] = num[k];
	}
	grading_fmt(a.pct, 1, pct, sizeof pct);
	v[10] = pct;
	return fn(fctx, v, 11);
}

int report_coverage(struct ctx *c, const char *cls, const char *period, row_fn fn, void *fctx, struct perr *e)
{
	struct stmt *st = store_query(c->store, e,
		"SELECT s.class, count(*), "
		"(SELECT count(DISTINCT l.guardian_id) FROM guardian_links l JOIN students x ON x.student_id = l.student_id "
		" WHERE x.class = s.class AND x.status = 'active' AND " FACT_VALID("l") "), "
		"(SELECT count(*) FROM accounts a WHERE a.locked = 0 AND ((a.kind = 'student' AND a.person_id IN "
		" (SELECT x.student_id FROM students x WHERE x.class = s.class AND x.status = 'active')) OR (a.kind = 'guardian' "
		" AND a.person_id IN (SELECT l.guardian_id FROM guardian_links l JOIN students x ON x.student_id = l.student_id "
		" WHERE x.class = s.class AND x.status = 'active')))) "
		"FROM students s WHERE s.status = 'active' AND s.class = COALESCE($1, s.class) GROUP BY s.class ORDER BY " CLASS_ORDER("s.class"),
		P_TEXT(cls));
	if (!st)
		return e->status;
	/* read the classes first: the per-class look-ups below use statements of their own */
	struct { char cls[8]; long counts[3]; } *rows = NULL;	/* students, guardians, accounts */
	size_t n = 0;
	int rc;
	while ((rc = stmt_step(st, e)) == 1) {
		if (!cls && !actor_may_read_all(c->actor) && !actor_leads(c->actor, stmt_text(st, 0)))
			continue;
		rows = xrealloc(rows, (n + 1) * sizeof *rows);
		str_copy(rows[n].cls, sizeof rows[n].cls, stmt_text(st, 0));
		for (int k = 0; k < 3; k++)
			rows[n].counts[k] = (long)stmt_int(st, 1 + k);
		n++;
	}
	stmt_reset(st);
	rc = rc < 0 ? -rc : 0;
	for (size_t i = 0; !rc && i < n; i++)
		rc = coverage_class(c, rows[i].cls, period, rows[i].counts, fn, fctx, e);
	free(rows);
	return rc;
}
