/*
 * roster.c: the roster imports. Each row is checked whole before anything is
 * written; an object's changed fields go into one audit record; a class
 * leader touches only the classes they lead (a refusal stops the command).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "audit.h"
#include "i18n.h"
#include "ids.h"
#include "invalidate.h"
#include "rights.h"
#include "roster.h"
#include "subjects.h"
#include "values.h"

#define FIELD 256

/* ---- checking one field ---- */

/* The column's value: 1 present (out set, maybe ""), 0 absent from the file. */
static int present(struct import *im, size_t col, char *out, size_t n)
{
	const char *v = import_get(im, col);
	if (!v)
		return 0;
	if (str_copy(out, n, v))
		import_error(im, im->kind->cols[col].name, "is too long (%zu bytes; expected at most %zu)", strlen(v), n - 1);
	return 1;
}

static void need(struct import *im, size_t col, const char *v, const char *what)
{
	if (!*v)
		import_error(im, im->kind->cols[col].name, "is empty (expected %s)", _(what));
}

static int take_id(struct import *im, size_t col, char *out, size_t n)
{
	if (!present(im, col, out, n))
		return 0;
	need(im, col, out, N_("an id"));
	for (const char *p = out; *p; p++)
		if (*p == ' ' || *p == ',' || *p == ';' || (unsigned char)*p < 0x20) {
			import_error(im, im->kind->cols[col].name, "\"%s\" has a space or separator (expected an id such as S00123)", out);
			break;
		}
	return 1;
}

static int take_name(struct import *im, size_t col, char *out, size_t n, int required)
{
	char raw[FIELD];
	const char *why;
	int fixed = 0;
	if (!present(im, col, raw, sizeof raw))
		return 0;
	if (!*raw) {
		if (required)
			need(im, col, raw, N_("a name"));
		*out = '\0';
		return 1;
	}
	if (value_name(raw, out, n, &fixed, &why))
		import_error(im, im->kind->cols[col].name, "\"%s\" %s", raw, why);
	else if (fixed)
		import_warn(im, "%s: \"%s\" had Latin letters among Cyrillic ones; read as \"%s\"",
			    im->kind->cols[col].name, raw, out);
	return 1;
}

typedef int (*value_fn)(const char *in, char *out, size_t n, const char **why);

static int take_value(struct import *im, size_t col, char *out, size_t n, value_fn fn, int required, const char *what)
{
	char raw[FIELD];
	const char *why;
	if (!present(im, col, raw, sizeof raw))
		return 0;
	*out = '\0';
	if (!*raw) {
		if (required)
			need(im, col, raw, what);
		return 1;
	}
	if (fn(raw, out, n, &why))
		import_error(im, im->kind->cols[col].name, "\"%s\" %s", raw, why);
	return 1;
}

static int v_date(const char *in, char *out, size_t n, const char **why)
{
	(void)n;
	return value_date(in, out, why);
}

static int v_class(const char *in, char *out, size_t n, const char **why)
{
	(void)n;
	return value_class(in, out, why);
}

static int v_phone(const char *in, char *out, size_t n, const char **why)
{
	(void)n;
	return value_phone(in, out, why);
}

static int v_email(const char *in, char *out, size_t n, const char **why)
{
	return value_email(in, out, n, why);
}

/* Maps a word to a canonical value by a "canonical=alias|alias;..." table. */
static int take_choice(struct import *im, size_t col, char *out, size_t n, const char *table, const char *expected)
{
	char raw[FIELD], low[FIELD];
	if (!present(im, col, raw, sizeof raw))
		return 0;
	*out = '\0';
	if (!*raw)
		return 1;
	utf8_lower(raw, low, sizeof low);
	const char *p = table;
	while (*p) {
		const char *eq = strchr(p, '='), *end = strchr(p, ';');
		if (!end)
			end = p + strlen(p);
		const char *a = eq + 1;
		while (a < end) {
			const char *bar = memchr(a, '|', (size_t)(end - a));
			const char *stop = bar ? bar : end;
			if ((size_t)(stop - a) == strlen(low) && strncmp(a, low, (size_t)(stop - a)) == 0) {
				snprintf(out, n, "%.*s", (int)(eq - p), p);
				return 1;
			}
			a = stop + 1;
		}
		p = *end ? end + 1 : end;
	}
	import_error(im, im->kind->cols[col].name, "\"%s\" is not one of %s", raw, expected);
	return 1;
}

/* A second row for the same id in one file is a mistake, not an update. */
static int once_per_file(struct import *im, size_t col, const char *id)
{
	long first = strmap_get(&im->seen, id);
	if (first >= 0) {
		import_error(im, im->kind->cols[col].name, "%s is already on line %ld (expected each id once)", id, first);
		return 0;
	}
	strmap_put(&im->seen, id, csvin_line(im->in));
	return 1;
}

/* ---- store helpers ---- */

static int ensure_class(struct ctx *c, const char *cls, struct perr *e)
{
	char key[8];
	class_sort_key(cls, key);
	return store_run(c->store, e, "INSERT INTO classes (name, grade, sort_key) VALUES ($1, $2, $3) "
			 "ON CONFLICT (name) DO NOTHING", P_TEXT(cls), P_INT(class_grade(cls)), P_TEXT(key));
}

/* Reads one row of sql (bound to id) into cols[i] buffers of FIELD bytes; 1 found, 0 not, <0 error. */
static int load_row(struct ctx *c, const char *sql, const char *id, char (*cols)[FIELD], int n, struct perr *e)
{
	struct stmt *st = store_query(c->store, e, sql, P_TEXT(id));
	if (!st)
		return -e->status;
	int rc = stmt_step(st, e);
	if (rc == 1)
		for (int i = 0; i < n; i++)
			str_copy(cols[i], FIELD, stmt_text(st, i) ? stmt_text(st, i) : "");
	stmt_reset(st);
	return rc;
}

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

/* Notes every changed field of one person in one audit record; *seq = 0 when nothing changed. */
static int audit_person(struct import *im, const char *kind, const char *id, const struct csv_col *cols, int n,
			char (*old)[FIELD], char (*v)[FIELD], int exists, int64_t *seq, struct perr *e)
{
	struct change ch;
	*seq = 0;
	change_begin(&ch, im->c, exists ? "update" : "insert", kind, id);
	for (int i = 1; i < n; i++)
		change_field(&ch, cols[i].name, exists ? old[i] : NULL, v[i]);
	if (!ch.nfields) {
		change_discard(&ch);
		im->unchanged++;
		return 0;
	}
	exists ? im->updated++ : im->inserted++;
	return change_commit(&ch, seq, e);
}

/* ---- students ---- */

enum { S_ID, S_LAST, S_FIRST, S_MIDDLE, S_BIRTH, S_CLASS, S_EMAIL, S_PHONE, S_STATUS, S_LEFT, S_N };

#define STUDENT_COLS(req) { \
	{ "student_id", "ид|id|ид ученика|код ученика|идентификатор", 1 }, \
	{ "last_name", "фамилия", req }, \
	{ "first_name", "имя", req }, \
	{ "middle_name", "отчество", 0 }, \
	{ "birth_date", "дата рождения|др", req }, \
	{ "class", "класс", req }, \
	{ "email", "эл. почта|эл.почта|электронная почта|e-mail|почта", 0 }, \
	{ "phone", "телефон|тел.|тел|мобильный телефон", 0 }, \
	{ "status", "статус", 0 }, \
	{ "left_on", "дата выбытия|выбыл", 0 }, \
	LOGIN_COL }

/* list writes login last; read back, it is known and left alone (credentials change by issue) */
#define LOGIN_COL { "login", "логин", 0 }

static const struct csv_col student_cols[S_N + 1] = STUDENT_COLS(1);
static const struct csv_col student_update_cols[S_N + 1] = STUDENT_COLS(0);

const struct out_col roster_student_cols[] = { { "student_id", COL_TEXT }, { "last_name", COL_TEXT },
	{ "first_name", COL_TEXT }, { "middle_name", COL_TEXT }, { "birth_date", COL_TEXT }, { "class", COL_TEXT },
	{ "email", COL_TEXT }, { "phone", COL_TEXT }, { "status", COL_TEXT }, { "left_on", COL_TEXT },
	{ "login", COL_TEXT } };
const size_t roster_student_ncols = 11;

static const char STUDENT_SQL[] = "SELECT student_id, last_name, first_name, middle_name, birth_date, class, "
	"email, phone, status, left_on FROM students WHERE student_id = $1";

static const char STATUS_TABLE[] = "active=active|обучается|учится|активен|активный;left=left|выбыл|выбыла|выбывший|отчислен";

static void check_birth(struct import *im, const char *birth, const char *today)
{
	long b, t;
	if (!*birth || date_parse_iso(birth, &b) || date_parse_iso(today, &t))
		return;
	if (b > t || b < t - 25 * 366)
		import_error(im, "birth_date", "%s is not a plausible birth date of a student (expected within 25 years before today)", birth);
}

/* status and left_on agree: left needs a date (today when none), active has none. */
static void settle_status(struct import *im, char (*v)[FIELD], int status_given, int left_given)
{
	if (!*v[S_STATUS])
		str_copy(v[S_STATUS], FIELD, *v[S_LEFT] && left_given ? "left" : "active");
	if (strcmp(v[S_STATUS], "left") == 0 && !*v[S_LEFT])
		str_copy(v[S_LEFT], FIELD, im->c->today);
	if (strcmp(v[S_STATUS], "active") == 0 && *v[S_LEFT]) {
		if (left_given && status_given)
			import_error(im, "left_on", "%s is set but status is active (expected an empty left_on, or status left)", v[S_LEFT]);
		else
			*v[S_LEFT] = '\0';
	}
}

static int write_student(struct ctx *c, char (*v)[FIELD], int64_t seq, int exists, struct perr *e)
{
	const char *sql = exists
		? "UPDATE students SET last_name = $2, first_name = $3, middle_name = $4, birth_date = $5, class = $6, "
		  "email = $7, phone = $8, status = $9, left_on = $10, audit_seq = $11 WHERE student_id = $1"
		: "INSERT INTO students (student_id, last_name, first_name, middle_name, birth_date, class, email, phone, "
		  "status, left_on, audit_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
	int rc = ensure_class(c, v[S_CLASS], e);
	return rc ? rc : store_run(c->store, e, sql, P_TEXT(nz(v[S_ID])), P_TEXT(nz(v[S_LAST])), P_TEXT(nz(v[S_FIRST])),
				   P_TEXT(nz(v[S_MIDDLE])), P_TEXT(nz(v[S_BIRTH])), P_TEXT(nz(v[S_CLASS])),
				   P_TEXT(nz(v[S_EMAIL])), P_TEXT(nz(v[S_PHONE])), P_TEXT(nz(v[S_STATUS])),
				   P_TEXT(nz(v[S_LEFT])), P_INT(seq));
}

static int student_row(struct import *im, struct perr *e)
{
	char v[S_N][FIELD] = { { 0 } }, old[S_N][FIELD] = { { 0 } };
	int given[S_N];
	if (!take_id(im, S_ID, v[S_ID], FIELD) || im->row_bad)
		return 0;
	given[S_LAST] = take_name(im, S_LAST, v[S_LAST], FIELD, 1);
	given[S_FIRST] = take_name(im, S_FIRST, v[S_FIRST], FIELD, 1);
	given[S_MIDDLE] = take_name(im, S_MIDDLE, v[S_MIDDLE], FIELD, 0);
	given[S_BIRTH] = take_value(im, S_BIRTH, v[S_BIRTH], FIELD, v_date, 1, N_("a date"));
	given[S_CLASS] = take_value(im, S_CLASS, v[S_CLASS], FIELD, v_class, 1, N_("a class such as 7А"));
	given[S_EMAIL] = take_value(im, S_EMAIL, v[S_EMAIL], FIELD, v_email, 0, "");
	given[S_PHONE] = take_value(im, S_PHONE, v[S_PHONE], FIELD, v_phone, 0, "");
	given[S_STATUS] = take_choice(im, S_STATUS, v[S_STATUS], FIELD, STATUS_TABLE, "active, left (обучается, выбыл)");
	given[S_LEFT] = take_value(im, S_LEFT, v[S_LEFT], FIELD, v_date, 0, "");
	if (given[S_BIRTH])
		check_birth(im, v[S_BIRTH], im->c->today);
	if (!once_per_file(im, S_ID, v[S_ID]) || im->row_bad)
		return 0;
	int exists = load_row(im->c, STUDENT_SQL, v[S_ID], old, S_N, e);
	if (exists < 0)
		return -exists;
	if (!exists && im->update_only) {
		import_error(im, "student_id", "%s is not a student of this store (expected an existing id; import adds new ones)", v[S_ID]);
		return 0;
	}
	for (int i = 1; i < S_N; i++)
		if (!given[i])
			str_copy(v[i], FIELD, old[i]);
	if (!given[S_STATUS] && !given[S_LEFT] && exists) {
		str_copy(v[S_STATUS], FIELD, old[S_STATUS]);
		str_copy(v[S_LEFT], FIELD, old[S_LEFT]);
	} else {
		/* a date of leaving alone says the student left */
		if (!given[S_STATUS] && given[S_LEFT] && *v[S_LEFT])
			str_copy(v[S_STATUS], FIELD, "left");
		settle_status(im, v, given[S_STATUS] && *v[S_STATUS], given[S_LEFT]);
		if (exists && strcmp(v[S_STATUS], "left") == 0 && strcmp(old[S_STATUS], "left") == 0 && !given[S_LEFT])
			str_copy(v[S_LEFT], FIELD, old[S_LEFT]);
	}
	if (im->row_bad)
		return 0;
	/* a move needs both classes */
	int rc = actor_may_write_class(im->c->actor, v[S_CLASS], "change the roster", e);
	if (!rc && exists && strcmp(old[S_CLASS], v[S_CLASS]) != 0)
		rc = actor_may_write_class(im->c->actor, old[S_CLASS], "change the roster", e);
	if (rc)
		return import_refuse(im, "class", e);
	strmap_put(&im->scope, v[S_CLASS], 1);
	int64_t seq;
	if ((rc = audit_person(im, "student", v[S_ID], student_cols, S_N, old, v, exists, &seq, e)) || !seq)
		return rc;
	return write_student(im->c, v, seq, exists, e);
}

/* The students of a class the file does not name. */
struct unseen {
	const struct strmap *seen;
	struct strmap gone;
};

static int note_unseen(void *ctx, struct stmt *st, struct perr *e)
{
	struct unseen *u = ctx;
	if (strmap_get(u->seen, stmt_text(st, 0)) < 0)
		strmap_put(&u->gone, stmt_text(st, 0), 1);
	return 0;
}

/* --sync: the students of the file's classes who are not in it have left. */
static int student_sync(struct import *im, struct perr *e)
{
	if (!im->sync)
		return 0;
	for (size_t k = 0; k < im->scope.cap; k++) {
		const char *cls = im->scope.keys[k];
		if (!cls)
			continue;
		struct unseen u = { .seen = &im->seen };
		strmap_init(&u.gone);
		int rc = store_each(im->c->store, e, note_unseen, &u,
				    "SELECT student_id FROM students WHERE class = $1 AND status = 'active' ORDER BY student_id",
				    P_TEXT(cls));
		for (size_t g = 0; rc == 0 && g < u.gone.cap; g++) {
			const char *id = u.gone.keys[g];
			if (!id)
				continue;
			struct change ch;
			int64_t seq;
			change_begin(&ch, im->c, "left", "student", id);
			change_field(&ch, "status", "active", "left");
			change_field(&ch, "left_on", NULL, im->c->today);
			if ((rc = change_commit(&ch, &seq, e)))
				break;
			rc = store_run(im->c->store, e, "UPDATE students SET status = 'left', left_on = $1, audit_seq = $2 "
				       "WHERE student_id = $3", P_TEXT(im->c->today), P_INT(seq), P_TEXT(id));
			im->left++;
		}
		strmap_free(&u.gone);
		if (rc)
			return rc;
	}
	return 0;
}

const struct import_kind roster_import_students = { .name = "students", .cols = student_cols, .ncols = S_N + 1, .row = student_row, .finish = student_sync };
const struct import_kind roster_update_students = { .name = "students", .cols = student_update_cols, .ncols = S_N + 1, .row = student_row };

/* ---- guardians: one row per guardian–student link ---- */

enum { G_ID, G_STUDENT, G_LAST, G_FIRST, G_MIDDLE, G_REL, G_EMAIL, G_PHONE, G_N };

#define GUARDIAN_COLS(req) { \
	{ "guardian_id", "ид родителя|ид представителя|код родителя|id родителя", 1 }, \
	{ "student_id", "ид ученика|код ученика|id ученика", req }, \
	{ "last_name", "фамилия", req }, \
	{ "first_name", "имя", req }, \
	{ "middle_name", "отчество", 0 }, \
	{ "relation", "кем приходится|родство|степень родства|отношение", 0 }, \
	{ "email", "эл. почта|эл.почта|электронная почта|e-mail|почта", 0 }, \
	{ "phone", "телефон|тел.|тел|мобильный телефон", 0 }, \
	LOGIN_COL }

static const struct csv_col guardian_cols[G_N + 1] = GUARDIAN_COLS(1);
static const struct csv_col guardian_update_cols[G_N + 1] = GUARDIAN_COLS(0);

const struct out_col roster_guardian_cols[] = { { "guardian_id", COL_TEXT }, { "student_id", COL_TEXT },
	{ "last_name", COL_TEXT }, { "first_name", COL_TEXT }, { "middle_name", COL_TEXT }, { "relation", COL_TEXT },
	{ "email", COL_TEXT }, { "phone", COL_TEXT }, { "login", COL_TEXT } };
const size_t roster_guardian_ncols = 9;

static const char RELATION_TABLE[] = "mother=mother|мать|мама;father=father|отец|папа;"
	"guardian=guardian|опекун|попечитель|опекунша;other=other|иное|другое|бабушка|дедушка|тётя|тетя|дядя|брат|сестра";

static const char GUARDIAN_SQL[] = "SELECT guardian_id, '', last_name, first_name, middle_name, '', email, phone "
	"FROM guardians WHERE guardian_id = $1";

/* The student's class, for the rights check; "" when there is no such student. */
static int student_class(struct ctx *c, const char *student, char cls[FIELD], struct perr *e)
{
	char found[ROSTER_CLASS_SIZE];
	int rc = roster_student_class(c->store, student, found, e);
	str_copy(cls, FIELD, rc ? "" : found);
	return rc;
}

static int write_guardian(struct ctx *c, char (*v)[FIELD], int64_t seq, int exists, struct perr *e)
{
	return store_run(c->store, e, exists
		? "UPDATE guardians SET last_name = $2, first_name = $3, middle_name = $4, email = $5, phone = $6, "
		  "audit_seq = $7 WHERE guardian_id = $1"
		: "INSERT INTO guardians (guardian_id, last_name, first_name, middle_name, email, phone, audit_seq) "
		  "VALUES ($1, $2, $3, $4, $5, $6, $7)", P_TEXT(v[G_ID]), P_TEXT(v[G_LAST]), P_TEXT(v[G_FIRST]),
		P_TEXT(nz(v[G_MIDDLE])), P_TEXT(nz(v[G_EMAIL])), P_TEXT(nz(v[G_PHONE])), P_INT(seq));
}

/* Whether the row's guardian–student link is on record, and its relation. */
static int link_on_record(struct import *im, char (*v)[FIELD], int *exists, char old_rel[FIELD], struct perr *e)
{
	int rc = store_get(im->c->store, e, "SELECT relation FROM guardian_links WHERE guardian_id = $1 AND student_id = $2",
			   P_TEXT(v[G_ID]), P_TEXT(v[G_STUDENT]), INTO_TEXT(old_rel, FIELD));
	if (rc < 0)
		return -rc;
	*exists = rc;
	return 0;
}

/* The guardian's own data; new_link: the row links them to one more child. An existing guardian's
 * data and links are for who may write every class of their children (SPEC §3): they reach the
 * guardian's credentials and what is sent to them. */
static int guardian_person(struct import *im, char (*v)[FIELD], const int *given, int new_link, struct perr *e)
{
	char old[G_N][FIELD] = { { 0 } };
	int exists = load_row(im->c, GUARDIAN_SQL, v[G_ID], old, G_N, e);
	if (exists < 0)
		return -exists;
	if (!exists && im->update_only) {
		import_error(im, "guardian_id", "%s is not a guardian of this store (expected an existing id; import adds new ones)", v[G_ID]);
		return 0;
	}
	static const int person[] = { G_LAST, G_FIRST, G_MIDDLE, G_EMAIL, G_PHONE };
	for (size_t k = 0; k < sizeof person / sizeof *person; k++)
		if (!given[person[k]])
			str_copy(v[person[k]], FIELD, old[person[k]]);
	long first = strmap_get(&im->seen, v[G_ID]);
	struct change ch;
	change_begin(&ch, im->c, exists ? "update" : "insert", "guardian", v[G_ID]);
	for (size_t k = 0; k < sizeof person / sizeof *person; k++)
		change_field(&ch, guardian_cols[person[k]].name, exists ? old[person[k]] : NULL, v[person[k]]);
	if (first >= 0 && ch.nfields) {
		change_discard(&ch);
		import_error(im, "guardian_id", "%s has other data on line %ld (expected the same name, e-mail and phone on every row of one guardian)",
			     v[G_ID], first);
		return 0;
	}
	int rc;
	if (exists && (ch.nfields || new_link) &&
	    (rc = rights_guardian(im->c, v[G_ID], ch.nfields ? N_("change the data") : N_("link a child"), e))) {
		change_discard(&ch);
		return import_refuse(im, "guardian_id", e);
	}
	if (first < 0)
		strmap_put(&im->seen, v[G_ID], csvin_line(im->in));
	if (!ch.nfields) {
		change_discard(&ch);
		return 0;
	}
	int64_t seq;
	rc = change_commit(&ch, &seq, e);
	if (!rc)
		exists ? im->updated++ : im->inserted++;
	return rc ? rc : write_guardian(im->c, v, seq, exists, e);
}

static int guardian_link(struct import *im, char (*v)[FIELD], int rel_given, int exists, const char *old_rel,
			 struct perr *e)
{
	char key[2 * FIELD + 2];
	snprintf(key, sizeof key, "%s:%s", v[G_ID], v[G_STUDENT]);
	if (!rel_given)
		str_copy(v[G_REL], FIELD, old_rel);
	struct change ch;
	int64_t seq;
	change_begin(&ch, im->c, exists ? "update" : "insert", "guardian_link", key);
	if (!exists)
		change_field(&ch, "student_id", NULL, v[G_STUDENT]);
	change_field(&ch, "relation", exists ? old_rel : NULL, v[G_REL]);
	if (!ch.nfields) {
		change_discard(&ch);
		return 0;
	}
	int rc = change_commit(&ch, &seq, e);
	if (rc)
		return rc;
	return store_run(im->c->store, e,
		"INSERT INTO guardian_links (guardian_id, student_id, relation, audit_seq) VALUES ($1, $2, $3, $4) "
		"ON CONFLICT (guardian_id, student_id) DO UPDATE SET relation = excluded.relation, audit_seq = excluded.audit_seq",
		P_TEXT(v[G_ID]), P_TEXT(v[G_STUDENT]), P_TEXT(nz(v[G_REL])), P_INT(seq));
}

static int guardian_row(struct import *im, struct perr *e)
{
	char v[G_N][FIELD] = { { 0 } }, cls[FIELD], old_rel[FIELD] = "";
	int given[G_N] = { 0 }, link_exists = 0;
	if (!take_id(im, G_ID, v[G_ID], FIELD) || im->row_bad)
		return 0;
	given[G_STUDENT] = take_id(im, G_STUDENT, v[G_STUDENT], FIELD);
	given[G_LAST] = take_name(im, G_LAST, v[G_LAST], FIELD, 1);
	given[G_FIRST] = take_name(im, G_FIRST, v[G_FIRST], FIELD, 1);
	given[G_MIDDLE] = take_name(im, G_MIDDLE, v[G_MIDDLE], FIELD, 0);
	given[G_REL] = take_choice(im, G_REL, v[G_REL], FIELD, RELATION_TABLE, "mother, father, guardian, other (мать, отец, опекун, иное)");
	given[G_EMAIL] = take_value(im, G_EMAIL, v[G_EMAIL], FIELD, v_email, 0, "");
	given[G_PHONE] = take_value(im, G_PHONE, v[G_PHONE], FIELD, v_phone, 0, "");
	if (im->row_bad)
		return 0;
	int rc, child = given[G_STUDENT] && *v[G_STUDENT];
	if (child) {
		if ((rc = student_class(im->c, v[G_STUDENT], cls, e)))
			return rc;
		if (!*cls) {
			import_error(im, "student_id", "%s is not a student of this store (expected the id of an imported student)", v[G_STUDENT]);
			return 0;
		}
		if ((rc = actor_may_write_class(im->c->actor, cls, "change the guardians", e)))
			return import_refuse(im, "student_id", e);
		if ((rc = link_on_record(im, v, &link_exists, old_rel, e)))
			return rc;
	} else if ((rc = rights_guardian(im->c, v[G_ID], "change the data", e))) {
		return import_refuse(im, "guardian_id", e);
	}
	long before_ins = im->inserted, before_upd = im->updated;
	int again = strmap_get(&im->seen, v[G_ID]) >= 0;
	if ((rc = guardian_person(im, v, given, child && !link_exists, e)) || im->row_bad)
		return rc;
	int64_t seq_before = im->c->head_seq;
	if (child && (rc = guardian_link(im, v, given[G_REL], link_exists, old_rel, e)))
		return rc;
	if (im->c->head_seq != seq_before)
		im->links++;
	/* the summary counts guardians once each, links apart */
	if (!again && before_ins == im->inserted && before_upd == im->updated)
		im->unchanged++;
	return 0;
}

const struct import_kind roster_import_guardians = { .name = "guardians", .cols = guardian_cols, .ncols = G_N + 1, .row = guardian_row };
const struct import_kind roster_update_guardians = { .name = "guardians", .cols = guardian_update_cols, .ncols = G_N + 1, .row = guardian_row };

/* ---- staff ---- */

enum { T_ID, T_LAST, T_FIRST, T_MIDDLE, T_ROLE, T_LOGIN, T_OSUSER, T_EMAIL, T_PHONE, T_CLASSES, T_SUBJECTS, T_N };

#define STAFF_COLS(req) { \
	{ "staff_id", "ид|id|ид сотрудника|табельный номер", 1 }, \
	{ "last_name", "фамилия", req }, \
	{ "first_name", "имя", req }, \
	{ "middle_name", "отчество", 0 }, \
	{ "role", "роль|должность", req }, \
	{ "login", "логин", 0 }, \
	{ "os_user", "пользователь ос|пользователь", 0 }, \
	{ "email", "эл. почта|эл.почта|электронная почта|e-mail|почта", 0 }, \
	{ "phone", "телефон|тел.|тел", 0 }, \
	{ "classes", "классы|классное руководство", 0 }, \
	{ "subjects", "предметы", 0 } }

static const struct csv_col staff_cols[T_N] = STAFF_COLS(1);
static const struct csv_col staff_update_cols[T_N] = STAFF_COLS(0);

const struct out_col roster_staff_cols[] = { { "staff_id", COL_TEXT }, { "last_name", COL_TEXT },
	{ "first_name", COL_TEXT }, { "middle_name", COL_TEXT }, { "role", COL_TEXT }, { "login", COL_TEXT },
	{ "os_user", COL_TEXT }, { "email", COL_TEXT }, { "phone", COL_TEXT }, { "classes", COL_TEXT },
	{ "subjects", COL_TEXT } };
const size_t roster_staff_ncols = 11;

static const char ROLE_TABLE[] = "admin=admin|администратор|админ;deputy=deputy|заместитель|завуч|заместитель директора|"
	"заместитель руководителя;class_leader=class_leader|классный руководитель|кл. руководитель|классный руководитель;"
	"teacher=teacher|учитель|педагог|преподаватель";

static const char STAFF_SQL[] = "SELECT staff_id, last_name, first_name, middle_name, role, login, os_user, email, phone "
	"FROM staff WHERE staff_id = $1";

static int by_grade(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int d = class_grade(x) - class_grade(y);
	return d ? d : strcmp(x, y);
}

/* Joins items with ';' sorted and without repeats: the order the store lists them in,
 * so a list read back compares equal. */
static void join_sorted(char **items, size_t n, int (*cmp)(const void *, const void *), char *out, size_t outlen)
{
	if (n > 1)
		qsort(items, n, sizeof *items, cmp);
	*out = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i && strcmp(items[i], items[i - 1]) == 0)
			continue;
		if (*out && strlen(out) + 1 < outlen)
			strcat(out, ";");
		if (strlen(out) + strlen(items[i]) < outlen)
			strcat(out, items[i]);
	}
}

/* "8 Б; 7a" → "7А;8Б"; reports a bad class. */
static void normalise_classes(struct import *im, const char *raw, char *out, size_t n)
{
	char buf[FIELD], *save = NULL, *items[64], cls[64][8];
	size_t k = 0;
	str_copy(buf, sizeof buf, raw);
	for (char *tok = strtok_r(buf, ";,", &save); tok && k < 64; tok = strtok_r(NULL, ";,", &save)) {
		const char *why;
		if (str_blank(tok))
			continue;
		if (value_class(tok, cls[k], &why)) {
			import_error(im, "classes", "\"%s\" %s", str_trim(tok), why);
			continue;
		}
		items[k] = cls[k];
		k++;
	}
	join_sorted(items, k, by_grade, out, n);
}

/* Subjects by the names the store already knows them by ("математика " → "Математика"), sorted. */
static int normalise_subjects(struct import *im, const char *raw, char *out, size_t n, struct perr *e)
{
	char buf[FIELD * 4], *save = NULL, *items[64], known[64][FIELD];
	size_t k = 0;
	str_copy(buf, sizeof buf, raw);
	for (char *tok = strtok_r(buf, ";", &save); tok && k < 64; tok = strtok_r(NULL, ";", &save)) {
		char key[FIELD];
		str_trim(tok);
		if (!*tok)
			continue;
		subject_key(tok, key, sizeof key);
		int rc = store_get(im->c->store, e, "SELECT name FROM subjects WHERE name_key = $1", P_TEXT(key),
				   INTO_TEXT(known[k], FIELD));
		if (rc < 0)
			return -rc;
		if (!rc)
			str_copy(known[k], FIELD, tok);
		items[k] = known[k];
		k++;
	}
	join_sorted(items, k, str_cmp_ptr, out, n);
	return 0;
}

struct joined {
	char *out;
	size_t n;
};

static int join_item(void *ctx, struct stmt *st, struct perr *e)
{
	struct joined *j = ctx;
	if (*j->out && strlen(j->out) + 1 < j->n)
		strcat(j->out, ";");
	if (strlen(j->out) + strlen(stmt_text(st, 0)) < j->n)
		strcat(j->out, stmt_text(st, 0));
	return 0;
}

/* The staff member's classes or subjects joined with ';' in a stable order. */
static int staff_set(struct ctx *c, const char *sql, const char *id, char *out, size_t n, struct perr *e)
{
	struct joined j = { out, n };
	*out = '\0';
	return store_each(c->store, e, join_item, &j, sql, P_TEXT(id));
}

static const char STAFF_CLASSES_SQL[] = "SELECT sc.class FROM staff_classes sc JOIN classes c ON c.name = sc.class "
	"WHERE sc.staff_id = $1 ORDER BY c.sort_key, sc.class";
static const char STAFF_SUBJECTS_SQL[] = "SELECT s.name FROM staff_subjects ss JOIN subjects s ON s.subject_id = ss.subject_id "
	"WHERE ss.staff_id = $1 ORDER BY s.name";

static int replace_staff_sets(struct ctx *c, const char *id, const char *classes, const char *subjects, struct perr *e)
{
	char buf[FIELD * 4], *save = NULL;
	int rc;
	if ((rc = store_run(c->store, e, "DELETE FROM staff_classes WHERE staff_id = $1", P_TEXT(id))))
		return rc;
	str_copy(buf, sizeof buf, classes);
	for (char *tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save))
		if ((rc = ensure_class(c, tok, e)) ||
		    (rc = store_run(c->store, e, "INSERT INTO staff_classes (staff_id, class) VALUES ($1, $2) ON CONFLICT DO NOTHING",
				    P_TEXT(id), P_TEXT(tok))))
			return rc;
	if ((rc = store_run(c->store, e, "DELETE FROM staff_subjects WHERE staff_id = $1", P_TEXT(id))))
		return rc;
	str_copy(buf, sizeof buf, subjects);
	save = NULL;
	for (char *tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		int64_t sid;
		int created;
		if ((rc = subject_ensure(c, tok, &sid, &created, e)) ||
		    (rc = store_run(c->store, e, "INSERT INTO staff_subjects (staff_id, subject_id) VALUES ($1, $2) "
				    "ON CONFLICT DO NOTHING", P_TEXT(id), P_INT(sid))))
			return rc;
	}
	return 0;
}

static int write_staff(struct ctx *c, char (*v)[FIELD], int64_t seq, int exists, struct perr *e)
{
	int rc = store_run(c->store, e, exists
		? "UPDATE staff SET last_name = $2, first_name = $3, middle_name = $4, role = $5, login = $6, os_user = $7, "
		  "email = $8, phone = $9, audit_seq = $10 WHERE staff_id = $1"
		: "INSERT INTO staff (staff_id, last_name, first_name, middle_name, role, login, os_user, email, phone, audit_seq) "
		  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", P_TEXT(nz(v[T_ID])), P_TEXT(nz(v[T_LAST])),
		P_TEXT(nz(v[T_FIRST])), P_TEXT(nz(v[T_MIDDLE])), P_TEXT(nz(v[T_ROLE])), P_TEXT(nz(v[T_LOGIN])),
		P_TEXT(nz(v[T_OSUSER])), P_TEXT(nz(v[T_EMAIL])), P_TEXT(nz(v[T_PHONE])), P_INT(seq));
	return rc ? rc : replace_staff_sets(c, v[T_ID], v[T_CLASSES], v[T_SUBJECTS], e);
}

int roster_create_admin(struct ctx *c, const char *login, const char *last, const char *first, const char *middle,
			const char *os_user, struct perr *e)
{
	struct change ch;
	int64_t seq;
	change_begin(&ch, c, "insert", "staff", login);
	change_field(&ch, "last_name", NULL, last ? last : "Администратор");
	change_field(&ch, "first_name", NULL, first ? first : login);
	change_field(&ch, "middle_name", NULL, middle);
	change_field(&ch, "role", NULL, "admin");
	change_field(&ch, "login", NULL, login);
	change_field(&ch, "os_user", NULL, os_user);
	int rc = change_commit(&ch, &seq, e);
	return rc ? rc : store_run(c->store, e,
		"INSERT INTO staff (staff_id, last_name, first_name, middle_name, role, login, os_user, audit_seq) "
		"VALUES ($1, $2, $3, $4, 'admin', $1, $5, $6)", P_TEXT(login), P_TEXT(last ? last : "Администратор"),
		P_TEXT(first ? first : login), P_TEXT(middle), P_TEXT(os_user), P_INT(seq));
}

static int login_taken(struct import *im, const char *login, const char *id, struct perr *e)
{
	char row[1][FIELD];
	if (!*login)
		return 0;
	int rc = load_row(im->c, "SELECT staff_id FROM staff WHERE login = $1", login, row, 1, e);
	if (rc < 0)
		return -rc;
	if (rc == 1 && strcmp(row[0], id) != 0)
		import_error(im, "login", "%s is already the login of staff %s (expected a login of one person only)", login, row[0]);
	return 0;
}

static int staff_row(struct import *im, struct perr *e)
{
	char v[T_N][FIELD] = { { 0 } }, old[T_N][FIELD] = { { 0 } }, raw[FIELD * 4];
	int given[T_N] = { 0 }, rc;
	if ((rc = actor_require_admin(im->c->actor, "change staff", e)))
		return rc;
	if (!take_id(im, T_ID, v[T_ID], FIELD) || im->row_bad)
		return 0;
	given[T_LAST] = take_name(im, T_LAST, v[T_LAST], FIELD, 1);
	given[T_FIRST] = take_name(im, T_FIRST, v[T_FIRST], FIELD, 1);
	given[T_MIDDLE] = take_name(im, T_MIDDLE, v[T_MIDDLE], FIELD, 0);
	given[T_ROLE] = take_choice(im, T_ROLE, v[T_ROLE], FIELD, ROLE_TABLE, "admin, deputy, class_leader, teacher");
	if (given[T_ROLE] && !*v[T_ROLE] && !im->row_bad)
		need(im, T_ROLE, v[T_ROLE], N_("admin, deputy, class_leader or teacher"));
	given[T_LOGIN] = present(im, T_LOGIN, v[T_LOGIN], FIELD);
	given[T_OSUSER] = present(im, T_OSUSER, v[T_OSUSER], FIELD);
	given[T_EMAIL] = take_value(im, T_EMAIL, v[T_EMAIL], FIELD, v_email, 0, "");
	given[T_PHONE] = take_value(im, T_PHONE, v[T_PHONE], FIELD, v_phone, 0, "");
	if ((given[T_CLASSES] = present(im, T_CLASSES, raw, sizeof raw)))
		normalise_classes(im, raw, v[T_CLASSES], FIELD);
	if ((given[T_SUBJECTS] = present(im, T_SUBJECTS, raw, sizeof raw)) &&
	    (rc = normalise_subjects(im, raw, v[T_SUBJECTS], FIELD, e)))
		return rc;
	if (!once_per_file(im, T_ID, v[T_ID]) || im->row_bad)
		return 0;
	if ((rc = login_taken(im, v[T_LOGIN], v[T_ID], e)) || im->row_bad)
		return rc;
	int exists = load_row(im->c, STAFF_SQL, v[T_ID], old, T_CLASSES, e);
	if (exists < 0)
		return -exists;
	if (!exists && im->update_only) {
		import_error(im, "staff_id", "%s is not staff of this store (expected an existing id; import adds new ones)", v[T_ID]);
		return 0;
	}
	if (exists && ((rc = staff_set(im->c, STAFF_CLASSES_SQL, v[T_ID], old[T_CLASSES], FIELD, e)) ||
		       (rc = staff_set(im->c, STAFF_SUBJECTS_SQL, v[T_ID], old[T_SUBJECTS], FIELD, e))))
		return rc;
	for (int i = 1; i < T_N; i++)
		if (!given[i])
			str_copy(v[i], FIELD, old[i]);
	if (strcmp(v[T_ROLE], "admin") != 0 && strcmp(old[T_ROLE], "admin") == 0 && strcmp(v[T_ID], im->c->actor->staff_id) == 0) {
		import_error(im, "role", "would take the admin role from the acting admin %s (expected another admin to do it)", v[T_ID]);
		return 0;
	}
	int64_t seq;
	if ((rc = audit_person(im, "staff", v[T_ID], staff_cols, T_N, old, v, exists, &seq, e)) || !seq)
		return rc;
	return write_staff(im->c, v, seq, exists, e);
}

const struct import_kind roster_import_staff = { .name = "staff", .cols = staff_cols, .ncols = T_N, .row = staff_row };
const struct import_kind roster_update_staff = { .name = "staff", .cols = staff_update_cols, .ncols = T_N, .row = staff_row };

/* ---- lists ---- */

static int emit_rows(struct ctx *c, struct stmt *st, int class_col, const struct roster_filter *f,
		     size_t ncols, row_fn fn, void *fctx, struct perr *e)
{
	const char *vals[16];
	int rc;
	while ((rc = stmt_step(st, e)) == 1) {
		const char *cls = stmt_text(st, class_col);
		if (!f->cls && !actor_may_read_all(c->actor) && !actor_leads(c->actor, cls ? cls : ""))
			continue;
		for (size_t i = 0; i < ncols; i++)
			vals[i] = stmt_text(st, (int)i);
		if ((rc = fn(fctx, vals, ncols))) {
			stmt_reset(st);
			return rc;
		}
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

static int check_filter(struct ctx *c, const struct roster_filter *f, struct perr *e)
{
	if (f->status && strcmp(f->status, "active") && strcmp(f->status, "left") && strcmp(f->status, "all"))
		return perr_set(e, EX_USAGE, "--status %s: expected active, left or all", f->status);
	return f->cls ? actor_may_read_class(c->actor, f->cls, e) : 0;
}

/* The students, PICKED the condition of the people given (or "1 = 1"). */
#define LIST_STUDENTS_SQL(picked) \
	"SELECT s.student_id, s.last_name, s.first_name, s.middle_name, s.birth_date, s.class, s.email, s.phone, " \
	"s.status, s.left_on, a.login FROM students s JOIN classes k ON k.name = s.class " \
	"LEFT JOIN accounts a ON a.kind = 'student' AND a.person_id = s.student_id " \
	"WHERE (s.class = $1 OR $1 IS NULL) AND ($2 = 'all' OR s.status = $2) AND ($3 = 0 OR a.locked = 1) " \
	"AND ($4 = 0 OR NOT " ACCOUNT_COUNTS("a") ") AND " picked " " \
	"ORDER BY k.sort_key, s.class, s.last_name, s.first_name, s.student_id"

int roster_list_students(struct ctx *c, const struct roster_filter *f, row_fn fn, void *fctx, struct perr *e)
{
	int rc = check_filter(c, f, e);
	if (rc)
		return rc;
	struct stmt *st = store_query(c->store, e,
		c->picked ? LIST_STUDENTS_SQL(IDS_PICKED_STUDENT("s.student_id")) : LIST_STUDENTS_SQL("1 = 1"),
		P_TEXT(f->cls), P_TEXT(f->status ? f->status : "active"), P_INT(f->locked), P_INT(f->without_account));
	if (!st)
		return e->status;
	return emit_rows(c, st, 5, f, roster_student_ncols, fn, fctx, e);
}

/* The guardians, a row per link; the class rides in the last, hidden column for the rights filter. */
#define LIST_GUARDIANS_SQL(picked) \
	"SELECT g.guardian_id, l.student_id, g.last_name, g.first_name, g.middle_name, l.relation, g.email, g.phone, " \
	"a.login, s.class FROM guardian_links l JOIN guardians g ON g.guardian_id = l.guardian_id " \
	"JOIN students s ON s.student_id = l.student_id JOIN classes k ON k.name = s.class " \
	"LEFT JOIN accounts a ON a.kind = 'guardian' AND a.person_id = g.guardian_id " \
	"WHERE " FACT_VALID("l") " AND (s.class = $1 OR $1 IS NULL) AND ($2 = 'all' OR s.status = $2) " \
	"AND ($3 = 0 OR a.locked = 1) AND ($4 = 0 OR NOT " ACCOUNT_COUNTS("a") ") AND " picked " " \
	"ORDER BY k.sort_key, s.class, s.last_name, s.first_name, l.student_id, g.guardian_id"

int roster_list_guardians(struct ctx *c, const struct roster_filter *f, row_fn fn, void *fctx, struct perr *e)
{
	int rc = check_filter(c, f, e);
	if (rc)
		return rc;
	struct stmt *st = store_query(c->store, e,
		c->picked ? LIST_GUARDIANS_SQL(IDS_PICKED_LINK("l.student_id", "l.guardian_id")) : LIST_GUARDIANS_SQL("1 = 1"),
		P_TEXT(f->cls), P_TEXT(f->status ? f->status : "active"), P_INT(f->locked), P_INT(f->without_account));
	if (!st)
		return e->status;
	return emit_rows(c, st, 9, f, roster_guardian_ncols, fn, fctx, e);
}

int roster_list_staff(struct ctx *c, const struct roster_filter *f, row_fn fn, void *fctx, struct perr *e)
{
	if (f->status && strcmp(f->status, "active") && strcmp(f->status, "left") && strcmp(f->status, "all"))
		return perr_set(e, EX_USAGE, "--status %s: expected active, left or all", f->status);
	struct stmt *st = store_query(c->store, e,
		"SELECT staff_id, last_name, first_name, middle_name, role, login, os_user, email, phone FROM staff "
		"WHERE ($1 = 'all' OR status = $1) AND (staff_id IN "
		"(SELECT staff_id FROM staff_classes WHERE class = $2) OR $2 IS NULL) AND ($3 = 0 OR EXISTS (SELECT 1 FROM accounts a "
		"WHERE a.kind = 'staff' AND a.person_id = staff.staff_id AND a.locked = 1)) AND ($4 = 0 OR NOT EXISTS ("
		"SELECT 1 FROM accounts a WHERE a.kind = 'staff' AND a.person_id = staff.staff_id AND " ACCOUNT_COUNTS("a") ")) "
		"ORDER BY last_name, first_name, staff_id", P_TEXT(f->status ? f->status : "active"), P_TEXT(f->cls),
		P_INT(f->locked), P_INT(f->without_account));
	if (!st)
		return e->status;
	/* collect first: the class and subject look-ups use other statements */
	size_t n = 0, cap = 0;
	char (*rows)[9][FIELD] = NULL;
	int rc;
	while ((rc = stmt_step(st, e)) == 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			rows = xrealloc(rows, cap * sizeof *rows);
		}
		for (int i = 0; i < 9; i++)
			str_copy(rows[n][i], FIELD, stmt_text(st, i) ? stmt_text(st, i) : "");
		n++;
	}
	stmt_reset(st);
	for (size_t r = 0; rc == 0 && r < n; r++) {
		char classes[FIELD], subjects[FIELD * 4];
		const char *vals[11];
		if ((rc = staff_set(c, STAFF_CLASSES_SQL, rows[r][0], classes, sizeof classes, e)) ||
		    (rc = staff_set(c, STAFF_SUBJECTS_SQL, rows[r][0], subjects, sizeof subjects, e)))
			break;
		for (int i = 0; i < 9; i++)
			vals[i] = rows[r][i];
		vals[9] = classes;
		vals[10] = subjects;
		rc = fn(fctx, vals, 11);
	}
	free(rows);
	return rc < 0 ? -rc : rc;
}

int roster_kind_of(struct store *s, const char *id, const char **kind, struct perr *e)
{
	static const struct { const char *kind, *sql; } probes[] = {
		{ "student", "SELECT 1 FROM students WHERE student_id = $1" },
		{ "guardian", "SELECT 1 FROM guardians WHERE guardian_id = $1" },
		{ "staff", "SELECT 1 FROM staff WHERE staff_id = $1" },
	};
	*kind = NULL;
	for (size_t i = 0; i < sizeof probes / sizeof *probes; i++) {
		int rc = store_exists(s, e, probes[i].sql, P_TEXT(id));
		if (rc < 0)
			return -rc;
		if (rc == 1 && *kind)
			return perr_set(e, EX_USAGE, "%s is both a %s and a %s id: give --kind", id, *kind, probes[i].kind);
		if (rc == 1)
			*kind = probes[i].kind;
	}
	return 0;
}

/* What a leaked login changed in a person: invalidate_fields puts back each field that still
 * holds what it wrote. A student it added has left (the day of the undo): nothing about a person
 * is deleted. */
static const struct undo_fields people[] = {
	{ "student", "students", "student_id",
	  { "last_name", "first_name", "middle_name", "birth_date", "class", "email", "phone", "status", "left_on" }, 1 },
	{ "guardian", "guardians", "guardian_id", { "last_name", "first_name", "middle_name", "email", "phone" }, 0 },
	{ "staff", "staff", "staff_id",
	  { "last_name", "first_name", "middle_name", "role", "login", "os_user", "email", "phone" }, 0 },
};

void roster_register_undo(struct undo_table *t)
{
	for (size_t i = 0; i < sizeof people / sizeof *people; i++)
		invalidate_register(t, people[i].kind, invalidate_fields, &people[i]);
}

int roster_student_class(struct store *s, const char *student_id, char out[ROSTER_CLASS_SIZE], struct perr *e)
{
	int rc = store_get(s, e, "SELECT class FROM students WHERE student_id = $1", P_TEXT(student_id),
			   INTO_TEXT(out, ROSTER_CLASS_SIZE));
	return rc < 0 ? -rc : 0;
}
