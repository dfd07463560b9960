/*
 * groups.c: study groups (SPEC §4): a group of a class, a stream across classes
 * (class empty), an individual plan (a group of one). Memberships are added;
 * a student of a class group must be in that class.
 */
#include <stdio.h>
#include <string.h>

#include "actor.h"
#include "audit.h"
#include "ids.h"
#include "roster.h"
#include "subjects.h"
#include "values.h"

enum { GR_CLASS, GR_GROUP, GR_SUBJECT, GR_STUDENT, GR_N };

static const struct csv_col group_cols[GR_N] = {
	{ "class", "класс", 0 },
	{ "group", "группа|название группы", 1 },
	{ "subject", "предмет", 1 },
	{ "student_id", "ид ученика|код ученика|ид", 1 },
};

const struct out_col roster_group_cols[] = { { "class", COL_TEXT }, { "group", COL_TEXT }, { "subject", COL_TEXT },
	{ "student_id", COL_TEXT }, { "student_name", COL_TEXT } };
const size_t roster_group_ncols = 5;

static int find_group(struct ctx *c, const char *cls, const char *name, int64_t subject, int64_t *id, struct perr *e)
{
	int rc = store_get(c->store, e, "SELECT group_id FROM study_groups WHERE class = $1 AND name = $2 AND subject_id = $3",
			   P_TEXT(cls), P_TEXT(name), P_INT(subject), INTO_INT(id));
	return rc < 0 ? -rc : 0;
}

static int ensure_group(struct import *im, const char *cls, const char *name, const char *subject, int64_t *id, struct perr *e)
{
	int64_t sid;
	int created, rc;
	if ((rc = subject_ensure(im->c, subject, &sid, &created, e)))
		return rc;
	if (created)
		subject_new_warning(im, subject);
	if ((rc = find_group(im->c, cls, name, sid, id, e)) || *id)
		return rc;
	char key[512];
	int64_t seq;
	snprintf(key, sizeof key, "%s:%s:%s", *cls ? cls : "*", name, subject);
	struct change ch;
	change_begin(&ch, im->c, "insert", "group", key);
	change_field(&ch, "class", NULL, cls);
	change_field(&ch, "group", NULL, name);
	change_field(&ch, "subject", NULL, subject);
	if ((rc = change_commit(&ch, &seq, e)))
		return rc;
	rc = store_get(im->c->store, e,
		       "INSERT INTO study_groups (class, name, subject_id, audit_seq) VALUES ($1, $2, $3, $4) RETURNING group_id",
		       P_TEXT(cls), P_TEXT(name), P_INT(sid), P_INT(seq), INTO_INT(id));
	return rc < 0 ? -rc : 0;
}

static int add_member(struct import *im, int64_t gid, const char *key, const char *student, struct perr *e)
{
	int rc = store_exists(im->c->store, e, "SELECT 1 FROM group_members WHERE group_id = $1 AND student_id = $2",
			      P_INT(gid), P_TEXT(student));
	if (rc < 0)
		return -rc;
	if (rc == 1) {
		im->unchanged++;
		return 0;
	}
	char object[600];
	int64_t seq;
	snprintf(object, sizeof object, "%s:%s", key, student);
	struct change ch;
	change_begin(&ch, im->c, "insert", "group_member", object);
	change_field(&ch, "student_id", NULL, student);
	if ((rc = change_commit(&ch, &seq, e)))
		return rc;
	im->inserted++;
	return store_run(im->c->store, e, "INSERT INTO group_members (group_id, student_id, audit_seq) VALUES ($1, $2, $3)",
			 P_INT(gid), P_TEXT(student), P_INT(seq));
}

static int group_row(struct import *im, struct perr *e)
{
	char cls[8] = "", name[256], subject[256], student[128], scls[ROSTER_CLASS_SIZE] = "";
	const char *v, *why;
	if ((v = import_get(im, GR_CLASS)) && *v && value_class(v, cls, &why))
		import_error(im, "class", "\"%s\" %s", v, why);
	str_copy(name, sizeof name, import_get(im, GR_GROUP));
	str_copy(subject, sizeof subject, import_get(im, GR_SUBJECT));
	str_copy(student, sizeof student, import_get(im, GR_STUDENT));
	if (!*name)
		import_error(im, "group", "is empty (expected the group's name, e.g. 1 группа)");
	if (!*subject)
		import_error(im, "subject", "is empty (expected a subject)");
	if (!*student)
		import_error(im, "student_id", "is empty (expected a student id)");
	if (im->row_bad)
		return 0;
	int rc = roster_student_class(im->c->store, student, scls, e);
	if (rc)
		return rc;
	if (!*scls) {
		import_error(im, "student_id", "%s is not a student of this store (expected the id of an imported student)", student);
		return 0;
	}
	/* the rights first: the row reaches the student's class and the group's */
	if ((rc = actor_may_write_class(im->c->actor, scls, "change the study groups", e)))
		return import_refuse(im, "student_id", e);
	if (*cls && (rc = actor_may_write_class(im->c->actor, cls, "change the study groups", e)))
		return import_refuse(im, "class", e);
	if (*cls && strcmp(cls, scls) != 0) {
		import_error(im, "student_id", "%s is in class %s, not %s (expected a student of the group's class; leave class empty for a stream)",
			     student, scls, cls);
		return 0;
	}
	int64_t gid = 0;
	char key[600];
	snprintf(key, sizeof key, "%s:%s:%s", *cls ? cls : "*", name, subject);
	if ((rc = ensure_group(im, cls, name, subject, &gid, e)))
		return rc;
	return add_member(im, gid, key, student, e);
}

const struct import_kind roster_import_groups = { .name = "groups", .cols = group_cols, .ncols = GR_N, .row = group_row };

/* The members, PICKED the condition of the people given (or "1 = 1"). */
#define LIST_GROUPS_SQL(picked) \
	"SELECT g.class, g.name, sub.name, m.student_id, s.last_name || ' ' || s.first_name, s.class " \
	"FROM study_groups g JOIN subjects sub ON sub.subject_id = g.subject_id " \
	"JOIN group_members m ON m.group_id = g.group_id JOIN students s ON s.student_id = m.student_id " \
	"WHERE " FACT_VALID("m") " AND (g.class = $1 OR (g.class = '' AND s.class = $1) OR $1 IS NULL) AND " picked " " \
	"ORDER BY " CLASS_ORDER("g.class") ", sub.name, g.name, s.last_name, s.first_name, m.student_id"

int roster_list_groups(struct ctx *c, const char *cls, row_fn fn, void *fctx, struct perr *e)
{
	int rc = cls ? actor_may_read_class(c->actor, cls, e) : 0;
	if (rc)
		return rc;
	struct stmt *st = store_query(c->store, e,
		c->picked ? LIST_GROUPS_SQL(IDS_PICKED_STUDENT("m.student_id")) : LIST_GROUPS_SQL("1 = 1"), P_TEXT(cls));
	if (!st)
		return e->status;
	const char *vals[5];
	while ((rc = stmt_step(st, e)) == 1) {
		if (!cls && !actor_may_read_all(c->actor) && !actor_leads(c->actor, stmt_text(st, 5)))
			continue;
		for (int i = 0; i < 5; i++)
			vals[i] = stmt_text(st, i);
		if ((rc = fn(fctx, vals, 5)))
			break;
	}
	stmt_reset(st);
	return rc < 0 ? -rc : rc;
}
