/*
 * attendance.c: a student's lessons and the ones they missed (see
 * attendance.h). One statement reads the records of a set of students with
 * the journal's lessons they stand for; the timetable is read only when a
 * whole day has no lesson in the journal or a lesson's subject is not known.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attendance.h"
#include "audit.h"
#include "strmap.h"
#include "util.h"
#include "values.h"

void absence_count_add(struct absence_count *n, const char *code)
{
	if (!strcmp(code, "о")) {
		n->late++;
		return;
	}
	n->missed++;
	if (!strcmp(code, "б"))
		n->illness++;
	else if (!strcmp(code, "у"))
		n->excused++;
	else
		n->unexcused++;
}

void absence_count_text(const struct absence_count *n, char *out, size_t size)
{
	snprintf(out, size, "Пропущено уроков: %ld (по болезни %ld, по уважительной причине %ld), опозданий: %ld",
		 n->missed, n->illness, n->excused, n->late);
}

/* The students of the set: $1 the class (NULL: every class), $4 the one student. $1 meets a
 * column before it is tested for NULL: PostgreSQL types a parameter by the first column it meets. */
#define WHO_SCHOOL "(s.class = $1 OR $1 IS NULL)"
#define WHO_CLASS "s.class = $1"
#define WHO_STUDENT "s.class = $1 AND s.student_id = $4"

#define RECORDS(who) "FROM students s JOIN attendance a ON a.student_id = s.student_id WHERE " who \
	" AND a.date BETWEEN $2 AND $3 AND " FACT_VALID("a")
/* The lessons of the student's groups and streams (gm, g, l), joined on l's date and more. */
#define GROUP_LESSONS "group_members gm JOIN study_groups g ON g.group_id = gm.group_id " \
	"JOIN lessons l ON l.class = g.class AND l.group_id = g.group_id"
#define GROUP_LESSONS_VALID "gm.student_id = a.student_id AND " FACT_VALID("gm") " AND " FACT_VALID("l")
/* No record of its own for lesson l of the record's day. */
#define NO_OWN_RECORD "NOT EXISTS (SELECT 1 FROM attendance x WHERE x.student_id = a.student_id AND x.date = a.date " \
	"AND x.lesson_no = l.lesson_no AND " FACT_VALID("x") ")"

/* Rows: student, class, date, lesson, subject (0 unknown), code, whole day the journal has no
 * lesson of (1: the timetable decides); by student, date and lesson. */
#define ABSENCES(who) \
	/* a lesson's own record: its subject, or that of the student's lesson then (the class's, a group's) */ \
	"SELECT a.student_id, s.class, a.date, a.lesson_no, COALESCE(a.subject_id, " \
	"(SELECT min(l.subject_id) FROM lessons l WHERE l.class = s.class AND l.group_id = 0 AND l.date = a.date " \
	"AND l.lesson_no = a.lesson_no " \
	"AND " FACT_VALID("l") "), (SELECT min(l.subject_id) FROM " GROUP_LESSONS " AND l.date = a.date " \
	"AND l.lesson_no = a.lesson_no WHERE " GROUP_LESSONS_VALID "), 0), a.code, 0 " RECORDS(who) " AND a.lesson_no > 0 " \
	/* a whole day: each lesson of the class that day without a record of its own */ \
	"UNION ALL SELECT a.student_id, s.class, a.date, l.lesson_no, l.subject_id, a.code, 0 " \
	"FROM students s JOIN attendance a ON a.student_id = s.student_id " \
	"JOIN lessons l ON l.class = s.class AND l.group_id = 0 AND l.date = a.date WHERE " who \
	" AND a.date BETWEEN $2 AND $3 AND " FACT_VALID("a") " AND a.lesson_no = 0 AND a.code <> 'о' AND " \
	FACT_VALID("l") " AND " NO_OWN_RECORD " " \
	/* … and of the student's groups and streams */ \
	"UNION ALL SELECT a.student_id, s.class, a.date, l.lesson_no, l.subject_id, a.code, 0 " \
	"FROM students s JOIN attendance a ON a.student_id = s.student_id JOIN group_members gm ON gm.student_id = a.student_id " \
	"JOIN study_groups g ON g.group_id = gm.group_id JOIN lessons l ON l.class = g.class AND l.group_id = g.group_id " \
	"AND l.date = a.date WHERE " who " AND a.date BETWEEN $2 AND $3 AND " FACT_VALID("a") \
	" AND a.lesson_no = 0 AND a.code <> 'о' AND " FACT_VALID("gm") " AND " FACT_VALID("l") " AND " NO_OWN_RECORD " " \
	/* a whole day late, or a whole day the journal has no lesson of the student on */ \
	"UNION ALL SELECT a.student_id, s.class, a.date, 0, COALESCE(a.subject_id, 0), a.code, 1 " RECORDS(who) \
	" AND a.lesson_no = 0 AND (a.code = 'о' OR (NOT EXISTS (SELECT 1 FROM lessons l WHERE l.class = s.class " \
	"AND l.group_id = 0 AND l.date = a.date AND " FACT_VALID("l") ") AND NOT EXISTS (SELECT 1 FROM " GROUP_LESSONS \
	" AND l.date = a.date WHERE " GROUP_LESSONS_VALID "))) ORDER BY 1, 3, 4"

static struct stmt *who_query(struct ctx *c, const struct attendance_who *who, const char *school_sql,
			      const char *class_sql, const char *student_sql, const char *from, const char *to,
			      struct perr *e)
{
	if (who->student)
		return store_query(c->store, e, student_sql, P_TEXT(who->cls), P_TEXT(from), P_TEXT(to), P_TEXT(who->student));
	return store_query(c->store, e, who->cls ? class_sql : school_sql, P_TEXT(who->cls), P_TEXT(from), P_TEXT(to));
}

struct row {
	char *student;
	char cls[8], date[11], code[4];
	int lesson;
	int64_t subject;
	int whole_day;		/* no lesson of the journal that day: the timetable decides */
};

struct rows {
	struct row *v;
	size_t n;
};

static void rows_free(struct rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].student);
	free(r->v);
}

/* ---- the timetable, for the days and lessons the journal does not know ---- */

struct slot {
	char cls[8], from[11], to[11];	/* valid from..to ("" open) */
	int weekday, lesson;
	int64_t subject;
};

struct timetable {
	struct slot *v;
	size_t n;
	struct strmap away;	/* "class date lesson": cancelled or moved away by a change */
};

static int timetable_load(struct ctx *c, const char *cls, const char *from, const char *to, struct timetable *t,
			  struct perr *e)
{
	struct stmt *st = store_query(c->store, e,
		"SELECT sc.class, sc.weekday, sc.lesson_no, sc.subject_id, sc.valid_from, COALESCE(sc.valid_to, '') "
		"FROM schedule sc WHERE (sc.class = $1 OR $1 IS NULL) AND " FACT_VALID("sc")
		" ORDER BY sc.class, sc.weekday, sc.lesson_no, sc.subject_id", P_TEXT(cls));
	int rc;
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1) {
		t->v = xrealloc(t->v, (t->n + 1) * sizeof *t->v);
		struct slot *s = &t->v[t->n++];
		str_copy(s->cls, sizeof s->cls, stmt_text(st, 0));
		s->weekday = (int)stmt_int(st, 1);
		s->lesson = (int)stmt_int(st, 2);
		s->subject = stmt_int(st, 3);
		str_copy(s->from, sizeof s->from, stmt_text(st, 4));
		str_copy(s->to, sizeof s->to, stmt_text(st, 5));
	}
	stmt_reset(st);
	if (rc < 0)
		return -rc;
	st = store_query(c->store, e,
		"SELECT ch.class, ch.date, ch.lesson_no FROM changes ch WHERE (ch.class = $1 OR $1 IS NULL) "
		"AND ch.date BETWEEN $2 AND $3 AND (ch.kind = 'cancelled' OR (ch.kind = 'moved' AND (ch.new_date IS NOT NULL "
		"OR ch.new_lesson_no IS NOT NULL))) AND " FACT_VALID("ch"), P_TEXT(cls), P_TEXT(from), P_TEXT(to));
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1) {
		char key[40];
		snprintf(key, sizeof key, "%s %s %lld", stmt_text(st, 0), stmt_text(st, 1), (long long)stmt_int(st, 2));
		strmap_put(&t->away, key, 1);
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

/* Whether slot s is a lesson of class cls on date (of weekday wd) that its changes leave. */
static int slot_held(const struct timetable *t, const struct slot *s, const char *cls, const char *date, int wd)
{
	char key[40];
	if (strcmp(s->cls, cls) || s->weekday != wd || (*s->from && strcmp(s->from, date) > 0) ||
	    (*s->to && strcmp(s->to, date) < 0))
		return 0;
	snprintf(key, sizeof key, "%s %s %d", cls, date, s->lesson);
	return strmap_get(&t->away, key) < 0;
}

static int weekday_of(const char *date)
{
	long days;
	return date_parse_iso(date, &days) ? 0 : date_weekday(days);
}

/* The subject the timetable has for a lesson of the class on date; 0 when none. */
static int64_t timetable_subject(const struct timetable *t, const char *cls, const char *date, int lesson)
{
	int wd = weekday_of(date);
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].lesson == lesson && slot_held(t, &t->v[i], cls, date, wd))
			return t->v[i].subject;
	return 0;
}

/* Whether the records from..end of the same student and day have one of their own for lesson. */
static int own_record(const struct rows *r, size_t from, size_t end, int lesson)
{
	for (size_t i = from; i < end; i++)
		if (!r->v[i].whole_day && r->v[i].lesson == lesson)
			return 1;
	return 0;
}

/* A whole day the journal has no lesson of: each lesson of the timetable that day without a
 * record of its own (the records of that day are day0..end), or the day as one lesson. */
static int whole_day(const struct rows *r, size_t k, size_t end, const struct timetable *t,
		     int (*fn)(void *, const struct absence *), void *arg)
{
	const struct row *w = &r->v[k];
	struct absence a = { w->student, w->date, 0, w->subject, w->code };
	int wd = weekday_of(w->date), any = 0, rc = 0, last = -1;
	for (size_t i = 0; !rc && i < t->n; i++) {
		const struct slot *s = &t->v[i];
		if (s->lesson == last || !slot_held(t, s, w->cls, w->date, wd))
			continue;
		last = s->lesson;	/* a lesson once, whatever subjects share its slot */
		any = 1;
		if (own_record(r, k + 1, end, s->lesson))
			continue;
		a.lesson_no = s->lesson;
		a.subject = s->subject;
		rc = fn(arg, &a);
	}
	return any || rc ? rc : fn(arg, &a);
}

static int read_rows(struct ctx *c, const struct attendance_who *who, const char *from, const char *to, struct rows *r,
		     int *need_timetable, struct perr *e)
{
	struct stmt *st = who_query(c, who, ABSENCES(WHO_SCHOOL), ABSENCES(WHO_CLASS), ABSENCES(WHO_STUDENT), from, to, e);
	int rc;
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1) {
		if (!(r->n & (r->n - 1)))	/* at 0, 1, 2, 4, …: doubling */
			r->v = xrealloc(r->v, (r->n ? 2 * r->n : 1) * sizeof *r->v);
		struct row *w = &r->v[r->n++];
		w->student = xstrdup(stmt_text(st, 0));
		str_copy(w->cls, sizeof w->cls, stmt_text(st, 1));
		str_copy(w->date, sizeof w->date, stmt_text(st, 2));
		w->lesson = (int)stmt_int(st, 3);
		w->subject = stmt_int(st, 4);
		str_copy(w->code, sizeof w->code, stmt_text(st, 5));
		w->whole_day = stmt_int(st, 6) != 0 && strcmp(w->code, "о") != 0;
		if (w->whole_day || (w->lesson && !w->subject))
			*need_timetable = 1;
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

int attendance_each_absence(struct ctx *c, const struct attendance_who *who, const char *from, const char *to,
			    int (*fn)(void *arg, const struct absence *a), void *arg, struct perr *e)
{
	struct rows r = { 0 };
	struct timetable t = { 0 };
	int need = 0;
	strmap_init(&t.away);
	int rc = read_rows(c, who, from, to, &r, &need, e);
	if (!rc && need)
		rc = timetable_load(c, who->cls, from, to, &t, e);
	for (size_t k = 0; !rc && k < r.n; k++) {
		struct row *w = &r.v[k];
		if (w->whole_day) {
			size_t end = k + 1;	/* the records of the same student and day */
			while (end < r.n && !strcmp(r.v[end].student, w->student) && !strcmp(r.v[end].date, w->date))
				end++;
			rc = whole_day(&r, k, end, &t, fn, arg);
			continue;
		}
		if (w->lesson && !w->subject)
			w->subject = timetable_subject(&t, w->cls, w->date, w->lesson);
		struct absence a = { w->student, w->date, w->lesson, w->subject, w->code };
		rc = fn(arg, &a);
	}
	rows_free(&r);
	free(t.v);
	strmap_free(&t.away);
	return rc;
}

/* The lessons of each student: the class's own and those of the student's groups and streams. */
#define LESSONS(who) "SELECT s.student_id, (SELECT count(*) FROM lessons l WHERE l.class = s.class AND l.group_id = 0 " \
	"AND l.date BETWEEN $2 AND $3 AND " FACT_VALID("l") ") + (SELECT count(*) FROM " GROUP_LESSONS \
	" WHERE gm.student_id = s.student_id AND l.date BETWEEN $2 AND $3 AND " FACT_VALID("gm") " AND " FACT_VALID("l") \
	") FROM students s WHERE " who

int attendance_each_lessons(struct ctx *c, const struct attendance_who *who, const char *from, const char *to,
			    int (*fn)(void *arg, const char *student, long lessons), void *arg, struct perr *e)
{
	struct stmt *st = who_query(c, who, LESSONS(WHO_SCHOOL), LESSONS(WHO_CLASS), LESSONS(WHO_STUDENT), from, to, e);
	int rc;
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1)
		if ((rc = fn(arg, stmt_text(st, 0), (long)stmt_int(st, 1))))
			break;
	stmt_reset(st);
	return rc < 0 ? -rc : rc;
}
