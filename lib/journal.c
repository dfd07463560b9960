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
#include "journal.h"
#include "subjects.h"
#include "values.h"

/* ---- periods ---- */

enum { P_NAME, P_START, P_END, P_N };
static const struct csv_col period_cols[P_N] = {
	{ "name", "название|период|четверть", 1 },
	{ "start", "начало|дата начала|с", 1 },
	{ "end", "конец|дата окончания|по", 1 },
};

const char *const journal_period_cols[] = { "name", "start", "end" };
const size_t journal_period_ncols = 3;

static int period_row(struct import *im, struct perr *e)
{
	char name[128], start[11], end[11], old[3][128] = { "", "", "" };
	const char *why, *v;
	int rc;
	if ((rc = actor_require_admin(im->c->actor, "set the school's periods", e)))
		return rc;
	str_copy(name, sizeof name, import_get(im, P_NAME));
	if (!*name)
		import_error(im, "name", "is empty (expected a period's name, e.g. 2 четверть)");
	if (value_date(v = import_get(im, P_START), start, &why))
		import_error(im, "start", "\"%s\" %s", v, why);
	if (value_date(v = import_get(im, P_END), end, &why))
		import_error(im, "end", "\"%s\" %s", v, why);
	if (!im->row_bad && strcmp(start, end) > 0)
		import_error(im, "end", "%s is before the start %s (expected an end on or after the start)", end, start);
	if (im->row_bad)
		return 0;
	struct stmt *st = store_prepare(im->c->store, "SELECT start_date, end_date FROM periods WHERE name = $1", e);
	if (!st)
		return e->status;
	stmt_bind_text(st, 1, name);
	int exists = stmt_step(st, e);
	if (exists == 1) {
		str_copy(old[1], sizeof old[1], stmt_text(st, 0));
		str_copy(old[2], sizeof old[2], stmt_text(st, 1));
	}
	stmt_reset(st);
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
	st = store_prepare(im->c->store,
		"INSERT INTO periods (name, start_date, end_date, audit_seq) VALUES ($1, $2, $3, $4) "
		"ON CONFLICT (name) DO UPDATE SET start_date = excluded.start_date, end_date = excluded.end_date, "
		"audit_seq = excluded.audit_seq", e);
	if (!st)
		return e->status;
	stmt_bind_text(st, 1, name);
	stmt_bind_text(st, 2, start);
	stmt_bind_text(st, 3, end);
	stmt_bind_int(st, 4, seq);
	return stmt_run(st, e);
}

const struct import_kind journal_import_periods = { .name = "periods", .cols = period_cols, .ncols = P_N, .row = period_row };

int journal_list_periods(struct ctx *c, row_fn fn, void *fctx, struct perr *e)
{
	struct stmt *st = store_prepare(c->store, "SELECT name, start_date, end_date FROM periods ORDER BY start_date, end_date DESC, name", e);
	if (!st)
		return e->status;
	int rc;
	const char *vals[3];
	while ((rc = stmt_step(st, e)) == 1) {
		for (int i = 0; i < 3; i++)
			vals[i] = stmt_text(st, i);
		if ((rc = fn(fctx, vals, 3)))
			break;
	}
	stmt_reset(st);
	return rc < 0 ? -rc : rc;
}

int journal_period(struct store *s, const char *name, char start[11], char end[11], struct perr *e)
{
	struct stmt *st = store_prepare(s, "SELECT start_date, end_date FROM periods WHERE name = $1", e);
	if (!st)
		return e->status;
	stmt_bind_text(st, 1, name);
	int rc = stmt_step(st, e);
	if (rc == 1) {
		str_copy(start, 11, stmt_text(st, 0));
		str_copy(end, 11, stmt_text(st, 1));
	}
	stmt_reset(st);
	if (rc < 0)
		return -rc;
	if (!rc)
		return perr_set(e, EX_DATAERR, "%s: no such period (portal-journal periods list shows them)", name);
	return 0;
}

int journal_may_edit(const struct actor *a, struct store *s, int64_t subject_id, struct perr *e)
{
	if (actor_is(a, "admin"))
		return 0;
	if (actor_is(a, "teacher")) {
		struct stmt *st = store_prepare(s, "SELECT 1 FROM staff_subjects WHERE staff_id = $1 AND subject_id = $2", e);
		if (!st)
			return e->status;
		stmt_bind_text(st, 1, a->staff_id);
		stmt_bind_int(st, 2, subject_id);
		int rc = stmt_step(st, e);
		stmt_reset(st);
		if (rc < 0)
			return -rc;
		if (rc == 1)
			return 0;
	}
	return perr_set(e, EX_NOPERM,
			"not permitted: %s (%s) lacks the right to edit the journal: teachers for the subjects they teach, and admins, have it%s",
			a ? a->login : "-", a ? a->role : "-",
			actor_is(a, "class_leader") ? " (a class leader reads the journal, never edits it)" : "");
}

/* ---- marks ---- */

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

struct marks_state {
	struct strmap students;		/* id → 1 */
	struct strmap subjects;		/* name key → subject_id (rights checked) */
	struct strmap typed;		/* the subject as typed → subject_id: most rows skip the key */
	struct strmap teachers;		/* staff id → 1 */
	int64_t seq;			/* the import's audit record */
	struct stmt *insert, *select;	/* prepared once: a row costs no look-up of its SQL */
};

static int load_ids(struct store *s, const char *sql, struct strmap *m, struct perr *e)
{
	struct stmt *st = store_prepare(s, sql, e);
	if (!st)
		return e->status;
	int rc;
	while ((rc = stmt_step(st, e)) == 1)
		strmap_put(m, stmt_text(st, 0), 1);
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

static int marks_start(struct import *im, struct perr *e)
{
	struct marks_state *ms = xcalloc(1, sizeof *ms);
	im->state = ms;
	int rc = load_ids(im->c->store, "SELECT student_id FROM students", &ms->students, e);
	if (!rc)
		rc = load_ids(im->c->store, "SELECT staff_id FROM staff", &ms->teachers, e);
	if (rc)
		return rc;
	ms->insert = store_prepare(im->c->store,
		"INSERT INTO marks (student_id, subject_id, date, lesson_no, kind, value, weight, teacher_id, audit_seq) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING", e);
	ms->select = store_prepare(im->c->store,
		"SELECT value, weight, teacher_id FROM marks "
		"WHERE student_id = $1 AND subject_id = $2 AND date = $3 AND lesson_no = $4 AND kind = $5", e);
	return ms->insert && ms->select ? 0 : e->status;
}

/* The import's audit record, written right after its first new mark (which was given the
 * number it takes): a file that changes nothing leaves no trace. */
static int marks_audit(struct import *im, int64_t expect, struct perr *e)
{
	struct marks_state *ms = im->state;
	struct sbuf d;
	sbuf_init(&d);
	sbuf_adds(&d, "{\"op\":\"import\",\"file\":");
	sbuf_add_json(&d, csvin_name(im->in));
	sbuf_addc(&d, '}');
	int rc = audit_append(im->c, "marks", d.s, &ms->seq, e);
	sbuf_free(&d);
	if (!rc && ms->seq != expect)
		return perr_set(e, EX_SOFTWARE, "the import's audit record took %lld, not %lld",
				(long long)ms->seq, (long long)expect);
	return rc;
}

static void marks_cleanup(struct import *im)
{
	struct marks_state *ms = im->state;
	if (!ms)
		return;
	strmap_free(&ms->students);
	strmap_free(&ms->subjects);
	strmap_free(&ms->typed);
	strmap_free(&ms->teachers);
	free(ms);
	im->state = NULL;
}

/* The subject's id; a subject new to the store is added with a warning. Rights are checked once per subject. */
static int mark_subject(struct import *im, const char *name, int64_t *id, struct perr *e)
{
	struct marks_state *ms = im->state;
	char key[512];
	long known = strmap_get(&ms->typed, name);
	if (known > 0) {
		*id = known;
		return 0;
	}
	subject_key(name, key, sizeof key);
	known = strmap_get(&ms->subjects, key);
	if (known > 0) {
		*id = known;
		strmap_put(&ms->typed, name, known);
		return 0;
	}
	int created, rc = subject_ensure(im->c, name, id, &created, e);
	if (rc)
		return rc;
	if (created)
		import_warn(im, "subject: \"%s\" is new to this store; it is added with this import", name);
	if ((rc = journal_may_edit(im->c->actor, im->c->store, *id, e)))
		return rc;
	strmap_put(&ms->subjects, key, (long)*id);
	strmap_put(&ms->typed, name, (long)*id);
	return 0;
}

struct mark {
	const char *student, *date_raw, *kind, *teacher;
	char date[11];
	int64_t subject;
	long value, lesson;
	double weight;
};

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static void check_mark(struct import *im, struct mark *m)
{
	struct marks_state *ms = im->state;
	const char *v, *why;
	m->student = import_get(im, M_STUDENT);
	if (!*m->student)
		import_error(im, "student_id", "is empty (expected a student id)");
	else if (strmap_get(&ms->students, m->student) < 0)
		import_error(im, "student_id", "%s is not a student of this store (expected the id of an imported student)", m->student);
	if (!*import_get(im, M_SUBJECT))
		import_error(im, "subject", "is empty (expected a subject)");
	if (value_date(v = import_get(im, M_DATE), m->date, &why))
		import_error(im, "date", "\"%s\" %s", v, why);
	if (parse_long(v = import_get(im, M_VALUE), 1, 5, &m->value))
		import_error(im, "value", "\"%s\" is not a mark (expected 1, 2, 3, 4 or 5)", v);
	m->weight = 1;
	if ((v = import_get(im, M_WEIGHT)) && *v) {
		char buf[32], *end;
		str_copy(buf, sizeof buf, v);
		for (char *p = buf; *p; p++)
			if (*p == ',')
				*p = '.';	/* 1,5 as Excel writes it in Russia */
		m->weight = strtod(buf, &end);
		if (*end || !(m->weight > 0) || m->weight > 100)
			import_error(im, "weight", "\"%s\" is not a weight (expected a number above 0, e.g. 1 or 1.5)", v);
	}
	m->kind = (v = import_get(im, M_KIND)) ? v : "";
	m->lesson = 1;
	if ((v = import_get(im, M_LESSON)) && *v && parse_long(v, 1, 12, &m->lesson))
		import_error(im, "lesson_no", "\"%s\" is not a lesson number (expected 1 to 12)", v);
	m->teacher = (v = import_get(im, M_TEACHER)) && *v ? v : NULL;
	if (m->teacher && strmap_get(&ms->teachers, m->teacher) < 0)
		import_error(im, "teacher_id", "%s is not staff of this store (expected a staff id)", m->teacher);
}

/* Binds a mark's identity to $1..$5 and, with values, its value, weight and teacher to $6..$8.
 * The strings live in the record until the next one: bound without a copy. */
static void bind_mark(struct stmt *st, const struct mark *m, int values)
{
	stmt_bind_text_static(st, 1, m->student);
	stmt_bind_int(st, 2, m->subject);
	stmt_bind_text_static(st, 3, m->date);
	stmt_bind_int(st, 4, m->lesson);
	stmt_bind_text_static(st, 5, m->kind);
	if (!values)
		return;
	stmt_bind_int(st, 6, m->value);
	stmt_bind_double(st, 7, m->weight);
	stmt_bind_text_static(st, 8, m->teacher);
}

/* A mark already there with other values: its own audit record, old → new. */
static int update_mark(struct import *im, const struct mark *m, struct stmt *old, struct perr *e)
{
	char key[400], ov[8], nv[8], ow[32], nw[32];
	snprintf(key, sizeof key, "%s:%lld:%s:%ld:%s", m->student, (long long)m->subject, m->date, m->lesson, m->kind);
	snprintf(ov, sizeof ov, "%lld", (long long)stmt_int(old, 0));
	snprintf(nv, sizeof nv, "%ld", m->value);
	snprintf(ow, sizeof ow, "%g", stmt_double(old, 1));
	snprintf(nw, sizeof nw, "%g", m->weight);
	const char *ot = stmt_text(old, 2);
	struct change ch;
	int64_t seq;
	change_begin(&ch, im->c, "update", "mark", key);
	change_field(&ch, "value", ov, nv);
	change_field(&ch, "weight", ow, nw);
	change_field(&ch, "teacher_id", ot, m->teacher);
	stmt_reset(old);
	if (!ch.nfields) {
		change_discard(&ch);
		im->unchanged++;
		return 0;
	}
	int rc = change_commit(&ch, &seq, e);
	if (rc)
		return rc;
	im->updated++;
	struct stmt *st = store_prepare(im->c->store,
		"UPDATE marks SET value = $6, weight = $7, teacher_id = $8, audit_seq = $9 "
		"WHERE student_id = $1 AND subject_id = $2 AND date = $3 AND lesson_no = $4 AND kind = $5", e);
	if (!st)
		return e->status;
	bind_mark(st, m, 1);
	stmt_bind_int(st, 9, seq);
	return stmt_run(st, e);
}

static int mark_row(struct import *im, struct perr *e)
{
	struct marks_state *ms = im->state;
	struct mark m;
	check_mark(im, &m);
	if (im->row_bad)
		return 0;
	int64_t seq = ms->seq;
	int rc = mark_subject(im, import_get(im, M_SUBJECT), &m.subject, e);
	if (rc || (!seq && (rc = audit_next_seq(im->c, &seq, e))))
		return rc;
	struct stmt *st = ms->insert;
	bind_mark(st, &m, 1);
	stmt_bind_int(st, 9, seq);
	if ((rc = stmt_run(st, e)))
		return rc;
	if (store_changes(im->c->store) == 1) {
		im->inserted++;
		return ms->seq ? 0 : marks_audit(im, seq, e);
	}
	struct stmt *old = ms->select;
	bind_mark(old, &m, 0);
	if ((rc = stmt_step(old, e)) != 1)
		return rc < 0 ? -rc : perr_set(e, EX_SOFTWARE, "a mark vanished during the import");
	return update_mark(im, &m, old, e);
}

const struct import_kind journal_import_marks = { .name = "marks", .cols = mark_cols, .ncols = M_N, .row = mark_row,
	.start = marks_start, .cleanup = marks_cleanup };

int journal_check_references(struct store *s, struct perr *e)
{
	struct stmt *st = store_prepare(s,
		"SELECT m.student_id, m.subject_id, m.date, m.lesson_no, m.kind FROM marks m "
		"WHERE NOT EXISTS (SELECT 1 FROM students x WHERE x.student_id = m.student_id) "
		"OR NOT EXISTS (SELECT 1 FROM subjects x WHERE x.subject_id = m.subject_id) "
		"OR NOT EXISTS (SELECT 1 FROM audit x WHERE x.seq = m.audit_seq) "
		"OR (m.teacher_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM staff x WHERE x.staff_id = m.teacher_id)) "
		"LIMIT 1", e);
	if (!st)
		return e->status;
	int rc = stmt_step(st, e);
	if (rc == 1)
		rc = -perr_set(e, EX_DATAERR, "a mark points to a student, subject, teacher or audit record that is not there: "
			       "%s, subject %s, %s, lesson %s, %s", stmt_text(st, 0), stmt_text(st, 1), stmt_text(st, 2),
			       stmt_text(st, 3), stmt_text(st, 4));
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}
