/*
 * ids.c: the people of a file or a pipe, as sets of student and guardian ids
 * with the line of each, checked against the store with one query per kind.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ids.h"
#include "util.h"

static const struct csv_col id_cols[] = {
	{ "student_id", "ид ученика|код ученика", 0 },
	{ "guardian_id", "ид родителя|ид представителя|код родителя", 0 },
};

/* Notes an id at its first line. */
static void put_id(struct strmap *m, const char *id, long line)
{
	if (*id && strmap_get(m, id) < 0)
		strmap_put(m, id, line);
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

static int read_columns(struct csvin *in, struct strmap *students, struct strmap *guardians, struct perr *e)
{
	int rc;
	while ((rc = csvin_next(in, e)) == 1) {
		const char *s = csvin_get(in, 0), *g = csvin_get(in, 1);
		if (s)
			put_id(students, s, csvin_line(in));
		if (g)
			put_id(guardians, g, csvin_line(in));
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
static void sort_list(const struct strmap *either, const struct strmap *known, struct strmap *students,
		      struct strmap *guardians, struct bad_id *b)
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
		else
			put_id(k == IS_STUDENT ? students : guardians, id, either->vals[i]);
	}
}

static int check_ids(struct store *s, const char *name, const struct strmap *either, struct strmap *students,
		     struct strmap *guardians, struct perr *e)
{
	struct strmap known;
	struct bad_id bad = { 0, "" };
	int rc = 0;
	strmap_init(&known);
	if (students->n || either->n)
		rc = load_known(s, "SELECT student_id FROM students", IS_STUDENT, &known, e);
	if (!rc && (guardians->n || either->n))
		rc = load_known(s, "SELECT guardian_id FROM guardians", IS_GUARDIAN, &known, e);
	if (!rc) {
		check_kind(students, &known, IS_STUDENT, "student_id", N_("%s is not a student of this store"), &bad);
		check_kind(guardians, &known, IS_GUARDIAN, "guardian_id", N_("%s is not a guardian of this store"), &bad);
		sort_list(either, &known, students, guardians, &bad);
		if (bad.line)
			rc = perr_set(e, EX_DATAERR, "%s:%ld: %s", name, bad.line, bad.msg);
	}
	strmap_free(&known);
	return rc;
}

int ids_read(struct store *s, struct csvin *in, struct strmap *students, struct strmap *guardians, struct perr *e)
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
		rc = read_columns(in, students, guardians, e);
	}
	if (!rc)
		rc = check_ids(s, csvin_name(in), &either, students, guardians, e);
	strmap_free(&either);
	return rc;
}
