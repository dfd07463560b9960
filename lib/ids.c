/*
 * ids.c: the people of a file or a pipe, as sets of student and guardian ids
 * with the line of each, checked against the store with one query per kind,
 * and staged in the temporary table the lists join (ids.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "i18n.h"
#include "ids.h"
#include "util.h"

static const struct csv_col id_cols[] = {
	{ "student_id", "ид ученика|код ученика", 0 },
	{ "guardian_id", "ид родителя|ид представителя|код родителя", 0 },
};

void ids_init(struct ids *ids)
{
	strmap_init(&ids->students);
	strmap_init(&ids->guardians);
	strmap_init(&ids->lines);
}

void ids_free(struct ids *ids)
{
	strmap_free(&ids->students);
	strmap_free(&ids->guardians);
	strmap_free(&ids->lines);
}

/* Notes an id at its first line. */
static void put_id(struct strmap *m, const char *id, long line)
{
	if (*id && strmap_get(m, id) < 0)
		strmap_put(m, id, line);
}

/* Notes the people of one line: a student, a guardian, or the link of both. */
static void put_line(struct strmap *lines, const char *student, const char *guardian, long line)
{
	char key[520];
	if (!*student && !*guardian)
		return;
	snprintf(key, sizeof key, "%s\037%s", student, guardian);
	put_id(lines, key, line);
}

/* A header-less list of ids: the first line (read as a header) is an id too. */
static int read_list(struct csvin *in, struct strmap *either, struct perr *e)
{
	char id[256];
	int rc;
	str_copy(id, sizeof id, csvin_header(in, 0));
	put_id(either, str_trim(id), csvin_line(in));
	while ((rc = csvin_next(in, e)) == 1) {
		str_copy(id, sizeof id, csvin_field(in, 0));
		put_id(either, str_trim(id), csvin_line(in));
	}
	return rc < 0 ? -rc : 0;
}

static int read_columns(struct csvin *in, struct ids *ids, struct perr *e)
{
	int rc;
	while ((rc = csvin_next(in, e)) == 1) {
		const char *s = csvin_get(in, 0), *g = csvin_get(in, 1);
		if (s)
			put_id(&ids->students, s, csvin_line(in));
		if (g)
			put_id(&ids->guardians, g, csvin_line(in));
		put_line(&ids->lines, s ? s : "", g ? g : "", csvin_line(in));
	}
	return rc < 0 ? -rc : 0;
}

/* Store ids, bit 1 a student's, bit 2 a guardian's. */
enum { IS_STUDENT = 1, IS_GUARDIAN = 2 };

struct known {
	struct strmap *ids;	/* id → its bits */
	long kind;
};

static int note_known(void *p, const char *const *vals, size_t n)
{
	struct known *k = p;
	long had = strmap_get(k->ids, vals[0]);
	strmap_put(k->ids, vals[0], (had < 0 ? 0 : had) | k->kind);
	return 0;
}

/* Adds every id the query lists to known with the bit kind: one statement for the whole set,
 * however many ids the input has (a school is a few thousand people). */
static int load_known(struct store *s, const char *sql, long kind, struct strmap *known, struct perr *e)
{
	struct known k = { known, kind };
	return store_rows(s, e, note_known, &k, sql);
}

/* The problem of the earliest line. */
struct bad_id {
	long line;
	char msg[512];
};

/* why: a message marked N_() with a %s for the id */
static void note_bad(struct bad_id *b, long line, const char *column, const char *id, const char *why)
{
	char msg[400];
	if (b->line && b->line <= line)
		return;
	b->line = line;
	snprintf(msg, sizeof msg, _(why), id);
	snprintf(b->msg, sizeof b->msg, "%s%s%s", column ? column : "", column ? ": " : "", msg);
}

static void check_kind(const struct strmap *m, const struct strmap *known, long kind, const char *column,
		       const char *why, struct bad_id *b)
{
	for (size_t i = 0; i < m->cap; i++) {
		long k = m->keys[i] ? strmap_get(known, m->keys[i]) : kind;
		if (k < 0 || !(k & kind))
			note_bad(b, m->vals[i], column, m->keys[i], why);
	}
}

/* Puts each id of a list into the map of whoever it is. */
static void sort_list(const struct strmap *either, const struct strmap *known, struct ids *ids, struct bad_id *b)
{
	for (size_t i = 0; i < either->cap; i++) {
		const char *id = either->keys[i];
		if (!id)
			continue;
		long k = strmap_get(known, id);
		if (k == (IS_STUDENT | IS_GUARDIAN))
			note_bad(b, either->vals[i], NULL, id, N_("%s is both a student's and a guardian's id (expected a CSV with a "
								  "student_id or guardian_id column to tell)"));
		else if (k <= 0)
			note_bad(b, either->vals[i], NULL, id, N_("%s is not a student or guardian of this store"));
		else {
			put_id(k == IS_STUDENT ? &ids->students : &ids->guardians, id, either->vals[i]);
			put_line(&ids->lines, k == IS_STUDENT ? id : "", k == IS_STUDENT ? "" : id, either->vals[i]);
		}
	}
}

static int check_ids(struct store *s, const char *name, const struct strmap *either, struct ids *ids, struct perr *e)
{
	struct strmap known;
	struct bad_id bad = { 0, "" };
	int rc = 0;
	strmap_init(&known);
	if (ids->students.n || either->n)
		rc = load_known(s, "SELECT student_id FROM students", IS_STUDENT, &known, e);
	if (!rc && (ids->guardians.n || either->n))
		rc = load_known(s, "SELECT guardian_id FROM guardians", IS_GUARDIAN, &known, e);
	if (!rc) {
		check_kind(&ids->students, &known, IS_STUDENT, "student_id", N_("%s is not a student of this store"), &bad);
		check_kind(&ids->guardians, &known, IS_GUARDIAN, "guardian_id", N_("%s is not a guardian of this store"), &bad);
		sort_list(either, &known, ids, &bad);
		if (bad.line)
			rc = perr_set(e, EX_DATAERR, "%s:%ld: %s", name, bad.line, bad.msg);
	}
	strmap_free(&known);
	return rc;
}

int ids_read(struct store *s, struct csvin *in, struct ids *ids, struct perr *e)
{
	struct strmap either;
	strmap_init(&either);
	/* other columns are the other tool's: no warning about them */
	int rc = csvin_map(in, id_cols, 2, NULL, NULL, e);
	if (rc == EX_DATAERR && csvin_nheader(in) == 0) {
		*e = (struct perr){ 0 };	/* empty input: no ids */
		rc = 0;
	} else if (!rc && !csvin_has(in, 0) && !csvin_has(in, 1)) {
		if (csvin_nheader(in) == 1)
			rc = read_list(in, &either, e);
		else
			rc = perr_set(e, EX_DATAERR, "%s: no student_id or guardian_id column (expected the output of "
				      "another portal tool, a CSV with one of them, or one id a line)", csvin_name(in));
	} else if (!rc) {
		rc = read_columns(in, ids, e);
	}
	if (!rc)
		rc = check_ids(s, csvin_name(in), &either, ids, e);
	strmap_free(&either);
	return rc;
}

int ids_line_names(const struct strmap *lines, const char *student, const char *guardian)
{
	char key[520];
	if (!lines || !lines->n)
		return 1;
	snprintf(key, sizeof key, "%s\037", student);
	if (strmap_get(lines, key) >= 0)
		return 1;
	snprintf(key, sizeof key, "%s\037%s", student, guardian);
	if (strmap_get(lines, key) >= 0)
		return 1;
	snprintf(key, sizeof key, "\037%s", guardian);
	return strmap_get(lines, key) >= 0;
}

int ids_stage(struct store *s, const struct ids *ids, struct perr *e)
{
	/* one transaction for the lines (of the temporary store: the store's file is not written) */
	int rc = store_exec(s, "CREATE TEMP TABLE IF NOT EXISTS picked (student_id TEXT, guardian_id TEXT);"
			    "CREATE INDEX IF NOT EXISTS picked_student ON picked (student_id);"
			    "CREATE INDEX IF NOT EXISTS picked_guardian ON picked (guardian_id);", e);
	if (!rc && !(rc = store_begin_read(s, e)))
		rc = store_run(s, e, "DELETE FROM picked");
	for (size_t i = 0; !rc && i < ids->lines.cap; i++) {
		const char *key = ids->lines.keys[i];
		if (!key)
			continue;
		const char *sep = strchr(key, '\037');
		char student[256];
		snprintf(student, sizeof student, "%.*s", (int)(sep - key), key);
		rc = store_run(s, e, "INSERT INTO picked (student_id, guardian_id) VALUES ($1, $2)",
			       P_TEXT(*student ? student : NULL), P_TEXT(sep[1] ? sep + 1 : NULL));
	}
	if (store_in_transaction(s)) {
		if (rc)
			store_rollback(s);
		else
			rc = store_commit(s, e);
	}
	return rc;
}

/* The first line (by number) naming somebody the actor may not read. */
struct reader {
	struct ctx *c;
	const struct ids *ids;
	struct strmap guardians;	/* a guardian picked alone → their index in gs */
	struct { char cls[64]; int may; } *gs;	/* a class of their children; whether one is readable */
	long line;
	char id[256], cls[64];
};

static void refuse(struct reader *r, const char *student, const char *guardian, const char *cls)
{
	char key[520];
	snprintf(key, sizeof key, "%s\037%s", student ? student : "", guardian ? guardian : "");
	long line = strmap_get(&r->ids->lines, key);
	if (line < 0 || (r->line && r->line <= line))
		return;
	r->line = line;
	str_copy(r->id, sizeof r->id, student ? student : guardian);
	str_copy(r->cls, sizeof r->cls, cls);
}

/* A line's student and class, or a guardian line's child's class. */
static int note_class(void *p, const char *const *vals, size_t n)
{
	struct reader *r = p;
	int may = actor_may_read_class(r->c->actor, vals[2], NULL) == 0;
	if (vals[0]) {
		if (!may)
			refuse(r, vals[0], vals[1], vals[2]);
		return 0;
	}
	long g = strmap_get(&r->guardians, vals[1]);
	if (g < 0) {
		g = (long)r->guardians.n;
		r->gs = xrealloc(r->gs, (size_t)(g + 1) * sizeof *r->gs);
		r->gs[g].may = 0;
		str_copy(r->gs[g].cls, sizeof r->gs[g].cls, vals[2]);
		strmap_put(&r->guardians, vals[1], g);
	}
	r->gs[g].may |= may;
	return 0;
}

int ids_may_read(struct ctx *c, const struct ids *ids, const char *name, struct perr *e)
{
	struct reader r = { .c = c, .ids = ids };
	if (actor_may_read_all(c->actor))
		return 0;
	strmap_init(&r.guardians);
	/* the class of each student picked, and of each child of a guardian picked alone: one statement */
	int rc = store_rows(c->store, e, note_class, &r,
		"SELECT p.student_id, p.guardian_id, s.class FROM picked p JOIN students s ON s.student_id = p.student_id "
		"UNION ALL SELECT NULL, p.guardian_id, s.class FROM picked p JOIN guardian_links l ON l.guardian_id = p.guardian_id "
		"AND " FACT_VALID("l") " JOIN students s ON s.student_id = l.student_id WHERE p.student_id IS NULL");
	for (size_t i = 0; !rc && i < r.guardians.cap; i++)
		if (r.guardians.keys[i] && !r.gs[r.guardians.vals[i]].may)
			refuse(&r, NULL, r.guardians.keys[i], r.gs[r.guardians.vals[i]].cls);
	if (!rc && r.line) {
		struct perr why = { 0 };
		actor_may_read_class(c->actor, r.cls, &why);
		rc = perr_set(e, EX_NOPERM, "%s:%ld: %s: %s", name, r.line, r.id, why.msg);
	}
	strmap_free(&r.guardians);
	free(r.gs);
	return rc;
}
