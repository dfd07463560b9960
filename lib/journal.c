/*
 * journal.c: periods and marks. A marks file of a whole school is about 1.4
 * million rows: every row is checked, looked up in memory (students, subjects,
 * teachers are read once), written by one prepared statement, and the whole
 * import shares one audit record; a mark whose value changes gets its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "audit.h"
#include "i18n.h"
#include "jimport.h"
#include "journal.h"
#include "subjects.h"
#include "values.h"

/* ---- periods ---- */

enum { PER_NAME, PER_START, PER_END, PER_N };
static const struct csv_col period_cols[PER_N] = {
	{ "name", "название|период|четверть", 1 },
	{ "start", "начало|дата начала|с", 1 },
	{ "end", "конец|дата окончания|по", 1 },
};

const struct out_col journal_period_cols[] = { { "name", COL_TEXT }, { "start", COL_TEXT }, { "end", COL_TEXT } };
const size_t journal_period_ncols = 3;

static int period_row(struct import *im, struct perr *e)
{
	char name[128], start[11], end[11], old[3][128] = { "", "", "" };
	const char *why, *v;
	int rc;
	if ((rc = actor_require_admin(im->c->actor, "set the school's periods", e)))
		return rc;
	str_copy(name, sizeof name, import_get(im, PER_NAME));
	if (!*name)
		import_error(im, "name", "is empty (expected a period's name, e.g. 2 четверть)");
	if (value_date(v = import_get(im, PER_START), start, &why))
		import_error(im, "start", "\"%s\" %s", v, why);
	if (value_date(v = import_get(im, PER_END), end, &why))
		import_error(im, "end", "\"%s\" %s", v, why);
	if (!im->row_bad && strcmp(start, end) > 0)
		import_error(im, "end", "%s is before the start %s (expected an end on or after the start)", end, start);
	if (im->row_bad)
		return 0;
	int exists = store_get(im->c->store, e, "SELECT start_date, end_date FROM periods WHERE name = $1", P_TEXT(name),
			       INTO_TEXT(old[1], sizeof old[1]), INTO_TEXT(old[2], sizeof old[2]));
	if (exists < 0)
		return -exists;
	struct change ch;
	int64_t seq;
	change_begin(&ch, im->c, exists ? "update" : "insert", "period", name);
	change_field(&ch, "start", old[1], start);
	change_field(&ch, "end", old[2], end);
	if (!ch.nfields) {
		change_discard(&ch);
		im->unchanged++;
		return 0;
	}
	exists ? im->updated++ : im->inserted++;
	if ((rc = change_commit(&ch, &seq, e)))
		return rc;
	return store_run(im->c->store, e,
		"INSERT INTO periods (name, start_date, end_date, audit_seq) VALUES ($1, $2, $3, $4) "
		"ON CONFLICT (name) DO UPDATE SET start_date = excluded.start_date, end_date = excluded.end_date, "
		"audit_seq = excluded.audit_seq", P_TEXT(name), P_TEXT(start), P_TEXT(end), P_INT(seq));
}

const struct import_kind journal_import_periods = { .name = "periods", .cols = period_cols, .ncols = PER_N, .row = period_row };

int journal_list_periods(struct ctx *c, row_fn fn, void *fctx, struct perr *e)
{
	return store_rows(c->store, e, fn, fctx, "SELECT name, start_date, end_date FROM periods ORDER BY start_date, end_date DESC, name");
}

int journal_period_so_far(struct store *s, const char *date, char *name, size_t n, char from[11], char to[11],
			  struct perr *e)
{
	int rc = store_get(s, e, "SELECT name, start_date, end_date FROM periods WHERE start_date <= $1 "
			   "ORDER BY start_date DESC LIMIT 1", P_TEXT(date), INTO_TEXT(name, n), INTO_TEXT(from, 11),
			   INTO_TEXT(to, 11));
	if (rc < 0)
		return -rc;
	if (!rc)
		return perr_set(e, EX_DATAERR, "no period starts on or before %s (portal-journal periods import)", date);
	if (strcmp(to, date) > 0)
		str_copy(to, 11, date);
	return 0;
}

/* ---- the journal kinds: columns of the file, columns of the table (identity first), the check ---- */

/* Subjects as SQL sees them in --sync's scope: none is 0. */
#define SYNC_STUDENT "t.student_id IN (SELECT s.student_id FROM students s WHERE s.class IN (SELECT k FROM temp.sync_class))"
#define SYNC_SUBJECT "COALESCE(t.subject_id, 0) IN (SELECT k FROM temp.sync_subject)"
#define SYNC_DATES(col) "t." col " BETWEEN $1 AND $2"

/* marks */
enum { M_STUDENT, M_SUBJECT, M_DATE, M_VALUE, M_WEIGHT, M_KIND, M_LESSON, M_TEACHER, M_N };
static const struct csv_col mark_cols[M_N] = {
	{ "student_id", "ид ученика|код ученика|ид", 1 },
	{ "subject", "предмет", 1 },
	{ "date", "дата", 1 },
	{ "value", "отметка|оценка", 1 },
	{ "weight", "вес", 0 },
	{ "kind", "вид работы|вид|тип", 0 },
	{ "lesson_no", "номер урока|урок|№ урока", 0 },
	{ "teacher_id", "ид учителя|учитель", 0 },
};
static const char *const mark_db[] = { "student_id", "subject_id", "date", "lesson_no", "kind", "value", "weight", "teacher_id" };
static const enum jtype mark_types[] = { JT_TEXT, JT_INT, JT_TEXT, JT_INT, JT_TEXT, JT_INT, JT_REAL, JT_TEXT };

static int mark_check(struct import *im, struct jrow *r, struct perr *e)
{
	const char *v;
	jrow_student(im, r, M_STUDENT, 0);
	jrow_subject_of(im, r, M_SUBJECT, 1, 1, NULL);
	jrow_date(im, r, M_DATE, 2, "date", 1);
	r->date = r->v[2];
	jrow_int(im, r, M_LESSON, 3, "lesson_no", 1, 12, 1, 0);
	r->v[4] = (v = import_get(im, M_KIND)) ? v : "";
	v = import_get(im, M_VALUE);
	if (strlen(v) != 1 || *v < '1' || *v > '5')
		import_error(im, "value", "\"%s\" is not a mark (expected 1, 2, 3, 4 or 5)", v);
	r->v[5] = v;
	r->v[6] = "1";
	if ((v = import_get(im, M_WEIGHT)) && *v) {
		char buf[32], *end;
		str_copy(buf, sizeof buf, v);
		for (char *p = buf; *p; p++)
			if (*p == ',')
				*p = '.';	/* 1,5 as Excel writes it in Russia */
		double w = strtod(buf, &end);
		if (*end || !(w > 0) || w > 100)
			import_error(im, "weight", "\"%s\" is not a weight (expected a number above 0, e.g. 1 or 1.5)", v);
		if (strcmp(buf, v) || *v == '0' || strchr(v, 'e') || strchr(v, 'E') || strchr(v, '.'))
			snprintf(r->buf[6], sizeof r->buf[6], "%g", w);	/* 1,5 → 1.5; 01 → 1 */
		else
			str_copy(r->buf[6], sizeof r->buf[6], v);	/* an integer as typed: no formatting a row */
		r->v[6] = r->buf[6];
	}
	jrow_teacher(im, r, M_TEACHER, 7);
	return 0;
}

const struct jkind journal_import_marks = {
	JKIND_BASE("marks", mark_cols, M_N), "mark",
	N_("repeats the mark of an earlier line of this file "
	   "(the same student, subject, date, lesson_no and kind); expected one line per mark"),
	"marks",
	mark_db, mark_types, 5, 8, 0,
	SYNC_STUDENT " AND " SYNC_SUBJECT " AND " SYNC_DATES("date"), mark_check };

/* attendance */
enum { A_STUDENT, A_DATE, A_CODE, A_LESSON, A_SUBJECT, A_N };
static const struct csv_col att_cols[A_N] = {
	{ "student_id", "ид ученика|код ученика|ид", 1 },
	{ "date", "дата", 1 },
	{ "code", "код|отметка|посещаемость", 1 },
	{ "lesson_no", "номер урока|урок|№ урока", 0 },
	{ "subject", "предмет", 0 },
};
static const char *const att_db[] = { "student_id", "date", "lesson_no", "code", "subject_id" };
static const enum jtype att_types[] = { JT_TEXT, JT_TEXT, JT_INT, JT_TEXT, JT_INT };

/* н absent, б illness, у (п) excused, о late; Latin look-alikes typed for them are read as meant. */
static const char *attendance_code(const char *v)
{
	static const struct { const char *typed, *code; } codes[] = {
		{ "н", "н" }, { "Н", "н" }, { "H", "н" }, { "б", "б" }, { "Б", "б" }, { "6", NULL },
		{ "у", "у" }, { "У", "у" }, { "y", "у" }, { "Y", "у" }, { "п", "у" }, { "П", "у" },
		{ "о", "о" }, { "О", "о" }, { "o", "о" }, { "O", "о" },
	};
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
		if (strcmp(v, codes[i].typed) == 0)
			return codes[i].code;
	return NULL;
}

static int attendance_check(struct import *im, struct jrow *r, struct perr *e)
{
	jrow_student(im, r, A_STUDENT, 0);
	jrow_date(im, r, A_DATE, 1, "date", 1);
	r->date = r->v[1];
	jrow_int(im, r, A_LESSON, 2, "lesson_no", 1, 12, 0, 0);
	const char *v = import_get(im, A_CODE);
	if (!(r->v[3] = attendance_code(v)))
		import_error(im, "code", "\"%s\" is not an attendance code (expected н absent, б illness, у or п excused, о late)", v);
	jrow_subject_of(im, r, A_SUBJECT, 4, 0, NULL);
	return 0;
}

const struct jkind journal_import_attendance = {
	JKIND_BASE("attendance", att_cols, A_N), "attendance",
	N_("repeats the attendance of an earlier line of this file "
	   "(the same student, date and lesson_no); expected one line per attendance"),
	"attendance",
	att_db, att_types, 3, 5, 0,
	SYNC_STUDENT " AND " SYNC_SUBJECT " AND " SYNC_DATES("date"), attendance_check };

/* lessons */
enum { L_CLASS, L_GROUP, L_SUBJECT, L_DATE, L_LESSON, L_TEACHER, L_TOPIC, L_HOMEWORK, L_N };
static const struct csv_col lesson_cols[L_N] = {
	{ "class", "класс", 0 },
	{ "group", "группа", 0 },
	{ "subject", "предмет", 1 },
	{ "date", "дата", 1 },
	{ "lesson_no", "номер урока|урок|№ урока", 1 },
	{ "teacher_id", "ид учителя|учитель", 0 },
	{ "topic", "тема|тема урока", 0 },
	{ "homework", "домашнее задание|дз", 0 },
};
static const char *const lesson_db[] = { "class", "group_id", "date", "lesson_no", "subject_id", "teacher_id", "topic", "homework" };
static const enum jtype lesson_types[] = { JT_TEXT, JT_INT, JT_TEXT, JT_INT, JT_INT, JT_TEXT, JT_TEXT, JT_TEXT };

static int lesson_check(struct import *im, struct jrow *r, struct perr *e)
{
	const char *group = import_get(im, L_GROUP);
	int has_group = group && *group;
	jrow_class(im, r, L_CLASS, 0, 0);
	if (!r->v[0] && !has_group && !im->row_bad)
		import_error(im, "class", "is empty and so is group (expected a class, a group, or both)");
	jrow_subject_of(im, r, L_SUBJECT, 4, 1, NULL);
	jrow_date(im, r, L_DATE, 2, "date", 1);
	r->date = r->v[2];
	jrow_int(im, r, L_LESSON, 3, "lesson_no", 1, 12, 1, 1);
	jrow_teacher(im, r, L_TEACHER, 5);
	jrow_text(im, r, L_TOPIC, 6, "topic", 0);
	jrow_text(im, r, L_HOMEWORK, 7, "homework", 0);
	r->v[1] = "0";
	if (!r->v[0])
		r->v[0] = r->cls = "";	/* a stream: the group has no class */
	if (!has_group || im->row_bad)
		return 0;
	int rc = jrow_subject(im, r, e);
	return rc ? rc : jrow_group(im, r, r->v[0], group, 1, e);
}

const struct jkind journal_import_lessons = {
	JKIND_BASE("lessons", lesson_cols, L_N), "lesson",
	N_("repeats the lesson of an earlier line of this file "
	   "(the same class or group, date and lesson_no); expected one line per lesson"),
	"lessons",
	lesson_db, lesson_types, 4, 8, 0,
	"t.class IN (SELECT k FROM temp.sync_class) AND " SYNC_SUBJECT " AND " SYNC_DATES("date"), lesson_check };

/* schedule */
enum { S_CLASS, S_WEEKDAY, S_LESSON, S_SUBJECT, S_TEACHER, S_ROOM, S_FROM, S_TO, S_N };
static const struct csv_col sched_cols[S_N] = {
	{ "class", "класс", 1 },
	{ "weekday", "день недели|день", 1 },
	{ "lesson_no", "номер урока|урок|№ урока", 1 },
	{ "subject", "предмет", 1 },
	{ "teacher_id", "ид учителя|учитель", 0 },
	{ "room", "кабинет|каб", 0 },
	{ "valid_from", "действует с|с", 0 },
	{ "valid_to", "действует по|по", 0 },
};
static const char *const sched_db[] = { "class", "weekday", "lesson_no", "subject_id", "valid_from", "teacher_id", "room", "valid_to" };
static const enum jtype sched_types[] = { JT_TEXT, JT_INT, JT_INT, JT_INT, JT_TEXT, JT_TEXT, JT_TEXT, JT_TEXT };

static int schedule_check(struct import *im, struct jrow *r, struct perr *e)
{
	static const char *const days[] = { "пн", "вт", "ср", "чт", "пт", "сб" };
	static const char *const full[] = { "понедельник", "вторник", "среда", "четверг", "пятница", "суббота" };
	char low[64];
	const char *v = import_get(im, S_WEEKDAY);
	jrow_class(im, r, S_CLASS, 0, 1);
	utf8_lower(v, low, sizeof low);
	for (int d = 0; d < 6; d++)
		if (strcmp(low, days[d]) == 0 || strcmp(low, full[d]) == 0) {
			snprintf(r->buf[1], sizeof r->buf[1], "%d", d + 1);
			r->v[1] = r->buf[1];
		}
	if (!r->v[1])
		jrow_int(im, r, S_WEEKDAY, 1, "weekday", 1, 6, 0, 1);
	jrow_int(im, r, S_LESSON, 2, "lesson_no", 1, 12, 1, 1);
	jrow_subject_of(im, r, S_SUBJECT, 3, 1, NULL);
	jrow_date(im, r, S_FROM, 4, "valid_from", 0);
	if (!r->v[4])
		r->v[4] = "";
	jrow_teacher(im, r, S_TEACHER, 5);
	jrow_text(im, r, S_ROOM, 6, "room", 0);
	jrow_date(im, r, S_TO, 7, "valid_to", 0);
	if (r->v[7] && *r->v[4] && strcmp(r->v[4], r->v[7]) > 0)
		import_error(im, "valid_to", "%s is before valid_from %s (expected an end on or after the start)", r->v[7], r->v[4]);
	return 0;
}

const struct jkind journal_import_schedule = {
	JKIND_BASE("schedule", sched_cols, S_N), "schedule",
	N_("repeats the schedule of an earlier line of this file "
	   "(the same class, weekday, lesson_no, subject and valid_from); expected one line per schedule"),
	"schedule",
	sched_db, sched_types, 5, 8, 1,
	"t.class IN (SELECT k FROM temp.sync_class)", schedule_check };

/* changes */
enum { C_DATE, C_CLASS, C_LESSON, C_KIND, C_SUBJECT, C_TEACHER, C_NEWDATE, C_NEWLESSON, C_NOTE, C_N };
static const struct csv_col change_cols[C_N] = {
	{ "date", "дата", 1 },
	{ "class", "класс", 1 },
	{ "lesson_no", "номер урока|урок|№ урока", 1 },
	{ "kind", "вид|тип", 1 },
	{ "subject", "предмет", 0 },
	{ "teacher_id", "ид учителя|учитель", 0 },
	{ "new_date", "новая дата|перенесён на", 0 },
	{ "new_lesson_no", "новый номер урока|новый урок", 0 },
	{ "note", "примечание|комментарий", 0 },
};
static const char *const change_db[] = { "date", "class", "lesson_no", "kind", "subject_id", "teacher_id", "new_date",
					 "new_lesson_no", "note" };
static const enum jtype change_types[] = { JT_TEXT, JT_TEXT, JT_INT, JT_TEXT, JT_INT, JT_TEXT, JT_TEXT, JT_INT, JT_TEXT };

static int change_check(struct import *im, struct jrow *r, struct perr *e)
{
	static const struct { const char *typed, *kind; } kinds[] = {
		{ "substitution", "substitution" }, { "замена", "substitution" },
		{ "moved", "moved" }, { "перенос", "moved" },
		{ "cancelled", "cancelled" }, { "canceled", "cancelled" }, { "отмена", "cancelled" },
	};
	char low[64];
	const char *v = import_get(im, C_KIND);
	jrow_date(im, r, C_DATE, 0, "date", 1);
	r->date = r->v[0];
	jrow_class(im, r, C_CLASS, 1, 1);
	jrow_int(im, r, C_LESSON, 2, "lesson_no", 1, 12, 1, 1);
	utf8_lower(v, low, sizeof low);
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (strcmp(low, kinds[i].typed) == 0)
			r->v[3] = kinds[i].kind;
	if (!r->v[3])
		import_error(im, "kind", "\"%s\" is not a kind of change (expected substitution, moved or cancelled)", v);
	jrow_subject_of(im, r, C_SUBJECT, 4, 0, NULL);
	jrow_teacher(im, r, C_TEACHER, 5);
	jrow_date(im, r, C_NEWDATE, 6, "new_date", 0);
	jrow_int(im, r, C_NEWLESSON, 7, "new_lesson_no", 1, 12, -1, 0);
	jrow_text(im, r, C_NOTE, 8, "note", 0);
	if (r->v[3] && strcmp(r->v[3], "moved") == 0 && !r->v[6] && !r->v[7])
		import_error(im, "new_date", "is empty for a moved lesson (expected the date or the lesson number it moved to)");
	return 0;
}

const struct jkind journal_import_changes = {
	JKIND_BASE("changes", change_cols, C_N), "change",
	N_("repeats the change of an earlier line of this file "
	   "(the same date, class and lesson_no); expected one line per change"),
	"changes",
	change_db, change_types, 3, 9, 1,
	"t.class IN (SELECT k FROM temp.sync_class) AND " SYNC_DATES("date"), change_check };

/* tests */
enum { T_CLASS, T_SUBJECT, T_DATE, T_TOPIC, T_N };
static const struct csv_col test_cols[T_N] = {
	{ "class", "класс", 1 },
	{ "subject", "предмет", 1 },
	{ "date", "дата", 1 },
	{ "topic", "тема", 0 },
};
static const char *const test_db[] = { "class", "subject_id", "date", "topic" };
static const enum jtype test_types[] = { JT_TEXT, JT_INT, JT_TEXT, JT_TEXT };

static int test_check(struct import *im, struct jrow *r, struct perr *e)
{
	jrow_class(im, r, T_CLASS, 0, 1);
	jrow_subject_of(im, r, T_SUBJECT, 1, 1, NULL);
	jrow_date(im, r, T_DATE, 2, "date", 1);
	r->date = r->v[2];
	jrow_text(im, r, T_TOPIC, 3, "topic", 0);
	return 0;
}

const struct jkind journal_import_tests = {
	JKIND_BASE("tests", test_cols, T_N), "test",
	N_("repeats the test of an earlier line of this file "
	   "(the same class, subject and date); expected one line per test"),
	"tests",
	test_db, test_types, 3, 4, 0,
	"t.class IN (SELECT k FROM temp.sync_class) AND " SYNC_SUBJECT " AND " SYNC_DATES("date"), test_check };

/* holidays */
enum { H_NAME, H_START, H_END, H_GRADES, H_N };
static const struct csv_col holiday_cols[H_N] = {
	{ "name", "название|каникулы", 1 },
	{ "start", "начало|с", 1 },
	{ "end", "конец|по", 1 },
	{ "grades", "классы|параллели", 0 },
};
static const char *const holiday_db[] = { "name", "start_date", "end_date", "grades" };
static const enum jtype holiday_types[] = { JT_TEXT, JT_TEXT, JT_TEXT, JT_TEXT };

static int holiday_check(struct import *im, struct jrow *r, struct perr *e)
{
	jrow_text(im, r, H_NAME, 0, "name", 1);
	jrow_date(im, r, H_START, 1, "start", 1);
	r->date = r->v[1];
	jrow_date(im, r, H_END, 2, "end", 1);
	if (r->v[1] && r->v[2] && strcmp(r->v[1], r->v[2]) > 0)
		import_error(im, "end", "%s is before the start %s (expected an end on or after the start)", r->v[2], r->v[1]);
	/* grades: "1", "1;2", "1, 2" → "1;2"; empty: every grade */
	const char *v = import_get(im, H_GRADES);
	char *out = r->buf[3];
	size_t len = 0;
	r->v[3] = out;
	*out = 0;
	for (const char *p = v ? v : ""; *p;) {
		char *end;
		long g = strtol(p, &end, 10);
		if (end == p || g < 1 || g > 11) {
			import_error(im, "grades", "\"%s\" is not a list of grades (expected numbers 1 to 11, e.g. 1 or 1;2)", v);
			break;
		}
		len += (size_t)snprintf(out + len, sizeof r->buf[3] - len, "%s%ld", len ? ";" : "", g);
		for (p = end; *p == ' ' || *p == ';' || *p == ','; p++)
			;
	}
	return 0;
}

const struct jkind journal_import_holidays = {
	JKIND_BASE("holidays", holiday_cols, H_N), "holiday",
	N_("repeats the holiday of an earlier line of this file "
	   "(the same name and start); expected one line per holiday"),
	"holidays",
	holiday_db, holiday_types, 2, 4, 1,
	SYNC_DATES("start_date"), holiday_check };

/* recommendations */
enum { R_STUDENT, R_DATE, R_TEXT, R_TEACHER, R_SUBJECT, R_N };
static const struct csv_col rec_cols[R_N] = {
	{ "student_id", "ид ученика|код ученика|ид", 1 },
	{ "date", "дата", 1 },
	{ "text", "текст|рекомендация", 1 },
	{ "teacher_id", "ид учителя|учитель", 0 },
	{ "subject", "предмет", 0 },
};
static const char *const rec_db[] = { "student_id", "date", "subject_id", "text", "teacher_id" };
static const enum jtype rec_types[] = { JT_TEXT, JT_TEXT, JT_INT, JT_TEXT, JT_TEXT };

static int rec_check(struct import *im, struct jrow *r, struct perr *e)
{
	jrow_student(im, r, R_STUDENT, 0);
	jrow_date(im, r, R_DATE, 1, "date", 1);
	r->date = r->v[1];
	jrow_subject_of(im, r, R_SUBJECT, 2, 0, "0");
	jrow_text(im, r, R_TEXT, 3, "text", 1);
	jrow_teacher(im, r, R_TEACHER, 4);
	return 0;
}

const struct jkind journal_import_recommendations = {
	JKIND_BASE("recommendations", rec_cols, R_N), "recommendation",
	N_("repeats the recommendation of an earlier line of this file "
	   "(the same student, date and subject); expected one line per recommendation"),
	"recommendations",
	rec_db, rec_types, 3, 5, 0,
	SYNC_STUDENT " AND " SYNC_SUBJECT " AND " SYNC_DATES("date"), rec_check };

/* finals */
enum { F_STUDENT, F_SUBJECT, F_PERIOD, F_VALUE, F_N };
static const struct csv_col final_cols[F_N] = {
	{ "student_id", "ид ученика|код ученика|ид", 1 },
	{ "subject", "предмет", 1 },
	{ "period", "период|четверть", 1 },
	{ "value", "отметка|оценка|итог", 1 },
};
static const char *const final_db[] = { "student_id", "subject_id", "period", "value" };
static const enum jtype final_types[] = { JT_TEXT, JT_INT, JT_TEXT, JT_TEXT };

static int final_check(struct import *im, struct jrow *r, struct perr *e)
{
	static const struct { const char *typed, *value; } values[] = {
		{ "1", "1" }, { "2", "2" }, { "3", "3" }, { "4", "4" }, { "5", "5" },
		{ "н/а", "н/а" }, { "на", "н/а" }, { "н\\а", "н/а" }, { "не аттестован", "н/а" },
		{ "осв", "осв" }, { "осв.", "осв" }, { "освобождён", "осв" }, { "освобожден", "осв" },
	};
	char low[64];
	const char *v = import_get(im, F_VALUE);
	jrow_student(im, r, F_STUDENT, 0);
	jrow_subject_of(im, r, F_SUBJECT, 1, 1, NULL);
	jrow_period(im, r, F_PERIOD, 2);
	utf8_lower(v, low, sizeof low);
	for (size_t i = 0; i < sizeof values / sizeof *values; i++)
		if (strcmp(low, values[i].typed) == 0)
			r->v[3] = values[i].value;
	if (!r->v[3])
		import_error(im, "value", "\"%s\" is not a final mark (expected 1 to 5, н/а or осв)", v);
	return 0;
}

const struct jkind journal_import_finals = {
	JKIND_BASE("finals", final_cols, F_N), "final",
	N_("repeats the final of an earlier line of this file "
	   "(the same student, subject and period); expected one line per final"),
	"finals",
	final_db, final_types, 3, 4, 0,
	SYNC_STUDENT " AND " SYNC_SUBJECT " AND t.period IN (SELECT k FROM temp.sync_set)", final_check };

const struct jkind *const journal_kinds[] = {
	&journal_import_marks, &journal_import_attendance, &journal_import_lessons, &journal_import_schedule,
	&journal_import_changes, &journal_import_tests, &journal_import_holidays, &journal_import_recommendations,
	&journal_import_finals, NULL,
};

const struct jkind *journal_kind(const char *name)
{
	for (size_t i = 0; journal_kinds[i]; i++)
		if (strcmp(journal_kinds[i]->base.name, name) == 0)
			return journal_kinds[i];
	return NULL;
}

/* The references the journal tables do not declare, by their columns' names. */
static const struct { const char *col, *check; } references[] = {
	{ "student_id", "NOT EXISTS (SELECT 1 FROM students x WHERE x.student_id = t.student_id)" },
	{ "subject_id", "COALESCE(t.subject_id, 0) <> 0 AND NOT EXISTS (SELECT 1 FROM subjects x WHERE x.subject_id = t.subject_id)" },
	{ "teacher_id", "t.teacher_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM staff x WHERE x.staff_id = t.teacher_id)" },
	{ "class", "t.class <> '' AND NOT EXISTS (SELECT 1 FROM classes x WHERE x.name = t.class)" },
	{ "group_id", "t.group_id <> 0 AND NOT EXISTS (SELECT 1 FROM study_groups x WHERE x.group_id = t.group_id)" },
	{ "period", "NOT EXISTS (SELECT 1 FROM periods x WHERE x.name = t.period)" },
};

int journal_check_references(struct store *s, struct perr *e)
{
	int rc = 0;
	for (size_t i = 0; !rc && journal_kinds[i]; i++) {
		const struct jkind *k = journal_kinds[i];
		struct sbuf q;
		sbuf_init(&q);
		sbuf_adds(&q, "SELECT ");
		for (int c = 0; c < k->nkey; c++)
			sbuf_printf(&q, "%st.%s", c ? ", " : "", k->cols[c]);
		sbuf_printf(&q, " FROM %s t WHERE NOT EXISTS (SELECT 1 FROM audit x WHERE x.seq = t.audit_seq)", k->table);
		for (int c = 0; c < k->ncols; c++)
			for (size_t r = 0; r < sizeof references / sizeof *references; r++)
				if (strcmp(k->cols[c], references[r].col) == 0)
					sbuf_printf(&q, " OR (%s)", references[r].check);
		sbuf_adds(&q, " LIMIT 1");
		struct stmt *st = store_prepare(s, q.s, e);
		sbuf_free(&q);
		if (!st)
			return e->status;
		if ((rc = stmt_step(st, e)) == 1) {
			struct sbuf id;
			sbuf_init(&id);
			for (int c = 0; c < k->nkey; c++)
				sbuf_printf(&id, "%s%s", c ? ", " : "", stmt_text(st, c) ? stmt_text(st, c) : "");
			rc = -perr_set(e, EX_DATAERR, "a row of %s points to a student, subject, teacher, class, group, period or "
				       "audit record that is not there: %s", k->table, id.s);
			sbuf_free(&id);
		}
		stmt_reset(st);
		rc = rc < 0 ? -rc : 0;
	}
	return rc;
}

/* ---- who teaches a class what ---- */

const struct out_col journal_teacher_cols[] = { { "subject", COL_TEXT }, { "kind", COL_TEXT }, { "group", COL_TEXT },
	{ "group_class", COL_TEXT }, { "teacher_id", COL_TEXT }, { "teacher_name", COL_TEXT },
	{ "students", COL_NUMBER } };
const size_t journal_teacher_ncols = 7;

int journal_list_teachers(struct ctx *c, const char *cls, row_fn fn, void *fctx, struct perr *e)
{
	/* the timetable and the class's own lessons (kind class); the groups its students are in,
	 * with the teachers of their lessons: a group of the class, a stream across classes, or a
	 * group of one (an individual plan) */
	return store_rows(c->store, e, fn, fctx,
		"WITH t (subject_id, grp, teacher_id) AS ("
		"  SELECT subject_id, 0, teacher_id FROM schedule WHERE class = $1 AND " FACT_VALID("schedule")
		"  UNION SELECT subject_id, 0, teacher_id FROM lessons WHERE class = $1 AND group_id = 0 AND teacher_id IS NOT NULL"
		"  AND " FACT_VALID("lessons") /* a subject off the timetable: who gave its lessons (not substitutes) */
		"  AND NOT EXISTS (SELECT 1 FROM schedule x WHERE x.class = $1 AND x.subject_id = lessons.subject_id)"
		"  UNION SELECT g.subject_id, g.group_id, (SELECT l.teacher_id FROM lessons l WHERE l.class = g.class"
		"  AND l.group_id = g.group_id AND l.teacher_id IS NOT NULL AND " FACT_VALID("l")
		"  GROUP BY l.teacher_id ORDER BY count(*) DESC, l.teacher_id LIMIT 1) FROM study_groups g"	/* who gives most of its lessons */
		"  WHERE g.group_id IN (SELECT gm.group_id FROM group_members gm JOIN students s ON s.student_id = gm.student_id"
		"  WHERE s.class = $1 AND s.status = 'active' AND " FACT_VALID("gm") ")), "
		"members (group_id, n) AS (SELECT group_id, count(*) FROM group_members gm WHERE " FACT_VALID("gm")
		"  AND gm.group_id IN (SELECT grp FROM t) GROUP BY group_id) "
		"SELECT su.name, CASE WHEN t.grp = 0 THEN 'class' WHEN g.class = '' THEN 'stream'"
		"  WHEN m.n = 1 THEN 'individual' ELSE 'group' END, COALESCE(g.name, ''), COALESCE(g.class, $1), t.teacher_id,"
		"  TRIM(COALESCE(st.last_name, '') || ' ' || COALESCE(st.first_name, '') || ' ' || COALESCE(st.middle_name, '')),"
		"  CASE WHEN t.grp = 0 THEN (SELECT count(*) FROM students x WHERE x.class = $1 AND x.status = 'active')"
		"  ELSE COALESCE(m.n, 0) END "
		"FROM t JOIN subjects su ON su.subject_id = t.subject_id LEFT JOIN study_groups g ON g.group_id = t.grp"
		" LEFT JOIN members m ON m.group_id = t.grp LEFT JOIN staff st ON st.staff_id = t.teacher_id "
		"WHERE t.teacher_id IS NOT NULL OR t.grp <> 0 "
		"ORDER BY su.name, t.grp <> 0, g.class = '', g.name, t.teacher_id", P_TEXT(cls));
}
