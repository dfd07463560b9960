/*
 * jimport.c: the engine of the journal imports (see jimport.h). A whole
 * school's year of marks is 1.4 million rows, so the common path of a row is:
 * check it against maps read once, bind it, one INSERT … ON CONFLICT DO
 * NOTHING. Only a row that is already there costs a look-up.
 *
 * Where the engine loads in bulk (PostgreSQL's COPY), an import that writes all or nothing
 * takes the bulk path instead: each row is checked the same way, then copied into a temporary
 * table, and jimport_flush writes them together: the changed rows each with its audit record
 * (old → new), the new rows in one INSERT … SELECT under the import's record, the rows that
 * replace an invalidated one; an identity repeated in the file goes through the row path's
 * functions line by line, so the checks, messages and audit records are the row path's.
 *
 * The common case there too is a file of new rows. So the checked rows first try the table
 * itself, in one tentative COPY under the import's record (store_load_try), while a spool file
 * keeps them as temp.jload takes them: a file of new rows is then written as it is read, with
 * no second pass. When the table refuses a row (it is there already, or repeated), something
 * else must be written meanwhile (a new subject), or a line is bad, the try is taken back whole
 * and the spool goes into temp.jload for the way above.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actor.h"
#include "audit.h"
#include "i18n.h"
#include "invalidate.h"
#include "jimport.h"
#include "subjects.h"
#include "values.h"

struct jstate {
	struct strmap students;		/* id → index of its class in classes */
	struct strmap class_idx;	/* class → index */
	char **classes;
	size_t nclasses;
	struct strmap subjects;		/* name key → id */
	struct strmap typed;		/* the subject as typed → id: most rows skip the key */
	struct strmap teachers;		/* staff id → 1 */
	struct strmap periods;		/* name → 1 */
	struct strmap groups;		/* class \x1f name \x1f subject id → group id */
	/* a teacher's rights: "class\x1fsubject id" and "class" → 1 */
	struct strmap teaching, own_subjects;
	int by_subject;			/* nobody is named in the timetable: a teacher's subjects decide */
	int existing;			/* the last row was there already: look up first (a re-import) */
	int admin;			/* the actor is an admin: no rights to look up a row */
	long last_subject;		/* the last subject id bound, and its text */
	char last_subject_text[24];
	int64_t start_seq, seq;		/* the first record this import may write; its own record */
	int any_invalid;		/* some audit record was invalidated (a leaked login's) */
	struct stmt *insert, *select, *update, *seen;
	struct store_load *load;	/* the bulk path: checked rows wait in temp.jload */
	struct store_load *direct;	/* or try the table itself first (all new), */
	FILE *spool;			/* kept meanwhile as temp.jload takes them */
	struct sbuf spool_row;
	char direct_seq[24];		/* the import's record, which the tried rows carry */
	uint64_t *keyhash;		/* temp.jload's rows' identities, hashed: the same twice */
	size_t nkeyhash, capkeyhash;	/* or never, and no repeat needs looking for */
	int want_direct;		/* try the table with the first row */
	int not_all_new;		/* the table refused the try: a row is there already */
	long loaded;
	/* --sync: what the file covers */
	struct strmap s_class, s_subject, s_set;
	char lo[11], hi[11];
	/* --dry-run shows a change by the names a user knows, not the store's ids (subject, group) */
	struct change_sink shown;
	struct import *im;
	char shown_id[400];
};

static const struct jkind *jk(const struct import *im)
{
	return (const struct jkind *)im->kind;
}

/* Each row's first column → its second (1 when there is none). */
static int put_row(void *ctx, struct stmt *st, struct perr *e)
{
	strmap_put(ctx, stmt_text(st, 0), stmt_columns(st) > 1 ? (long)stmt_int(st, 1) : 1);
	return 0;
}

static long class_index(struct jstate *js, const char *cls)
{
	long i = strmap_get(&js->class_idx, cls);
	if (i >= 0)
		return i;
	js->classes = xrealloc(js->classes, (js->nclasses + 1) * sizeof *js->classes);
	js->classes[js->nclasses] = xstrdup(cls);
	strmap_put(&js->class_idx, cls, (long)js->nclasses);
	return (long)js->nclasses++;
}

static int put_class(void *ctx, struct stmt *st, struct perr *e)
{
	class_index(ctx, stmt_text(st, 0));
	return 0;
}

static int put_student(void *ctx, struct stmt *st, struct perr *e)
{
	struct jstate *js = ctx;
	strmap_put(&js->students, stmt_text(st, 0), class_index(js, stmt_text(st, 1)));
	return 0;
}

static int load_students(struct store *s, struct jstate *js, struct perr *e)
{
	int rc = store_each(s, e, put_class, js, "SELECT name FROM classes");
	return rc ? rc : store_each(s, e, put_student, js, "SELECT student_id, class FROM students");
}

/* What a teacher teaches: the timetable, the lessons (a group's lessons count for its
 * members' classes) and the substitutions that name them. */
/* "class\x1fsubject id" and "class" → 1 */
static int put_teaching(void *ctx, struct stmt *st, struct perr *e)
{
	char key[128];
	snprintf(key, sizeof key, "%s\x1f%lld", stmt_text(st, 0), (long long)stmt_int(st, 1));
	strmap_put(ctx, key, 1);
	strmap_put(ctx, stmt_text(st, 0), 1);
	return 0;
}

static int load_teaching(struct ctx *c, struct jstate *js, struct perr *e)
{
	const char *me = c->actor->staff_id;
	int64_t by_subject;
	int rc = store_each(c->store, e, put_teaching, &js->teaching,
		"SELECT class, subject_id FROM schedule WHERE teacher_id = $1 "
		"UNION SELECT class, subject_id FROM lessons WHERE teacher_id = $1 AND group_id = 0 "
		"UNION SELECT s.class, l.subject_id FROM lessons l JOIN group_members gm ON gm.group_id = l.group_id "
		"JOIN students s ON s.student_id = gm.student_id WHERE l.teacher_id = $1 AND l.group_id <> 0 "
		"UNION SELECT class, COALESCE(subject_id, 0) FROM changes WHERE teacher_id = $1 AND kind = 'substitution'",
		P_TEXT(me));
	if (rc || (rc = store_each(c->store, e, put_row, &js->own_subjects,
				   "SELECT CAST(subject_id AS TEXT) FROM staff_subjects WHERE staff_id = $1", P_TEXT(me))))
		return rc;
	rc = store_get(c->store, e, "SELECT NOT EXISTS (SELECT 1 FROM schedule WHERE teacher_id IS NOT NULL) "
		       "AND NOT EXISTS (SELECT 1 FROM lessons WHERE teacher_id IS NOT NULL)", INTO_INT(&by_subject));
	js->by_subject = (int)by_subject;
	return rc < 0 ? -rc : 0;
}

int journal_may_edit_class(struct import *im, const char *cls, int64_t subject, struct perr *e)
{
	struct jstate *js = im->state;
	const struct actor *a = im->c->actor;
	char key[128], sid[24];
	if (actor_is(a, "admin"))
		return 0;
	snprintf(sid, sizeof sid, "%lld", (long long)subject);
	if (js->by_subject || !cls || !*cls) {
		/* no timetable names a teacher (or a stream across classes): the teacher's subjects decide */
		if (subject ? strmap_get(&js->own_subjects, sid) > 0 : js->own_subjects.n > 0)
			return 0;
		return perr_set(e, EX_NOPERM,
				"%s:%ld: not permitted: %s (teacher) lacks the right to edit the journal of this subject: "
				"it is not among the subjects of %s (portal-accounts list staff)",
				csvin_name(im->in), csvin_line(im->in), a->login, a->staff_id);
	}
	snprintf(key, sizeof key, "%s\x1f%s", cls, sid);
	if (strmap_get(&js->teaching, subject ? key : cls) > 0)
		return 0;
	if (subject)
		return perr_set(e, EX_NOPERM,
				"%s:%ld: not permitted: %s (teacher) lacks the right to edit the journal of class %s in this subject: "
				"the timetable names other teachers (portal-journal teachers --class %s)",
				csvin_name(im->in), csvin_line(im->in), a->login, cls, cls);
	return perr_set(e, EX_NOPERM,
			"%s:%ld: not permitted: %s (teacher) lacks the right to edit the journal of class %s: "
			"the timetable names other teachers (portal-journal teachers --class %s)",
			csvin_name(im->in), csvin_line(im->in), a->login, cls, cls);
}

/* The number the import's rows carry: its own record's, or the next, which that record takes
 * when the first new row is written. */
static int import_seq(struct import *im, int64_t *seq, struct perr *e)
{
	struct jstate *js = im->state;
	*seq = js->seq;
	return *seq ? 0 : audit_next_seq(im->c, seq, e);
}

/* The load into temp.jload: the line of each row, and the table's columns. */
static int jload_begin(struct import *im, struct perr *e)
{
	const struct jkind *k = jk(im);
	struct jstate *js = im->state;
	const char *cols[JCOLS_MAX + 1] = { "line" };
	for (int i = 0; i < k->ncols; i++)
		cols[i + 1] = k->cols[i];
	return (js->load = store_load_begin(im->c->store, "temp.jload", cols, k->ncols + 1, e)) ? 0 : e->status;
}

/* A row of temp.jload (its line, then the table's columns): its identity's hash kept, so that
 * flush_repeated asks the store only when two rows may share one. */
static void note_key(struct jstate *js, const struct jkind *k, const char *const *vals)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */
	for (int i = 1; i <= k->nkey; i++) {
		for (const unsigned char *p = (const unsigned char *)(vals[i] ? vals[i] : "\x1e"); *p; p++)
			h = (h ^ *p) * 1099511628211ULL;
		h = (h ^ 0x1f) * 1099511628211ULL;
	}
	if (js->nkeyhash == js->capkeyhash) {
		js->capkeyhash = js->capkeyhash ? 2 * js->capkeyhash : 4096;
		js->keyhash = xrealloc(js->keyhash, js->capkeyhash * sizeof *js->keyhash);
	}
	js->keyhash[js->nkeyhash++] = h;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Whether two rows of temp.jload may share an identity: two equal hashes. */
static int maybe_repeated(struct jstate *js)
{
	qsort(js->keyhash, js->nkeyhash, sizeof *js->keyhash, cmp_u64);
	for (size_t i = 1; i < js->nkeyhash; i++)
		if (js->keyhash[i] == js->keyhash[i - 1])
			return 1;
	return 0;
}

/* The spool: an unnamed file in $TMPDIR (or /tmp), gone when closed; NULL when none can be made. */
static FILE *spool_open(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/portal-rows.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	unlink(path);
	FILE *f = fdopen(fd, "w+b");
	if (!f)
		close(fd);
	return f;
}

/* The try: the table's columns and the import's record, which nothing else may take before it.
 * Without a spool there is no way back, so no try: the rows take the checked way at once. */
static int direct_begin(struct import *im, struct perr *e)
{
	const struct jkind *k = jk(im);
	struct jstate *js = im->state;
	const char *cols[JCOLS_MAX + 1];
	int64_t seq;
	int rc = import_seq(im, &seq, e);
	if (rc)
		return rc;
	snprintf(js->direct_seq, sizeof js->direct_seq, "%lld", (long long)seq);
	for (int i = 0; i < k->ncols; i++)
		cols[i] = k->cols[i];
	cols[k->ncols] = "audit_seq";
	if (!(js->spool = spool_open()))
		return jload_begin(im, e);
	return (js->direct = store_load_try(im->c->store, k->table, cols, k->ncols + 1, e)) ? 0 : e->status;
}

/* The bulk path's table, temp.jload, with the table's columns as it types them; the rows try the
 * table itself first when the file may hold only new ones (--sync reads the file's rows back). */
static int load_start(struct import *im, struct perr *e)
{
	const struct jkind *k = jk(im);
	struct jstate *js = im->state;
	struct sbuf q;
	sbuf_init(&q);
	sbuf_adds(&q, "DROP TABLE IF EXISTS temp.jload; CREATE TEMP TABLE jload AS SELECT CAST(0 AS BIGINT) AS line");
	for (int i = 0; i < k->ncols; i++)
		sbuf_printf(&q, ", %s", k->cols[i]);
	sbuf_printf(&q, " FROM %s WHERE 1 = 0", k->table);
	int rc = store_exec(im->c->store, q.s, e);
	sbuf_free(&q);
	if (rc)
		return rc;
	/* the try begins with the first row, unless that row is there already (a re-import) */
	js->want_direct = !im->sync;
	return im->sync ? jload_begin(im, e) : 0;
}

/* The spool: each row's values as a length (-1: NULL) and the bytes, written a row at a time. */
static int spool_put(struct jstate *js, const char *const *vals, int n, struct perr *e)
{
	struct sbuf *b = &js->spool_row;
	sbuf_reset(b);
	for (int i = 0; i < n; i++) {
		int32_t len = vals[i] ? (int32_t)strlen(vals[i]) : -1;
		sbuf_add(b, (const char *)&len, sizeof len);
		if (len > 0)
			sbuf_add(b, vals[i], (size_t)len);
	}
	if (fwrite(b->s, b->len, 1, js->spool) != 1)
		return perr_set(e, EX_IOERR, "a temporary file for the rows: %s", strerror(errno));
	return 0;
}

/* The try is over and its rows are not in: the spool's rows into temp.jload, where the rows
 * after go too. */
static int fall_back(struct import *im, struct perr *e)
{
	const struct jkind *k = jk(im);
	struct jstate *js = im->state;
	int n = k->ncols + 1, rc;
	if (js->direct) {
		struct perr ignored = { 0 };
		rc = store_load_abort(js->direct, &ignored);
		js->direct = NULL;
		if (rc)
			return perr_set(e, rc, "%s", ignored.msg);
	}
	if ((rc = jload_begin(im, e)))
		return rc;
	FILE *f = js->spool;
	js->spool = NULL;
	rewind(f);
	char *buf[JCOLS_MAX + 1] = { 0 };
	size_t cap[JCOLS_MAX + 1] = { 0 };
	const char *vals[JCOLS_MAX + 1];
	int32_t len;
	while (!rc && fread(&len, sizeof len, 1, f) == 1) {
		for (int i = 0; i < n && !rc; i++) {
			if (i && fread(&len, sizeof len, 1, f) != 1)
				len = -2;
			if (len >= 0 && (size_t)len + 1 > cap[i])
				buf[i] = xrealloc(buf[i], cap[i] = (size_t)len + 1);
			if (len < -1 || (len > 0 && fread(buf[i], (size_t)len, 1, f) != 1)) {
				rc = perr_set(e, EX_IOERR, "a temporary file for the rows: %s",
					      ferror(f) ? strerror(errno) : "cut short");
				break;
			}
			if (len >= 0)
				buf[i][len] = '\0';
			vals[i] = len < 0 ? NULL : buf[i];
		}
		if (!rc) {
			note_key(js, k, vals);
			rc = store_load_row(js->load, vals, e);
		}
	}
	if (!rc && ferror(f))
		rc = perr_set(e, EX_IOERR, "a temporary file for the rows: %s", strerror(errno));
	for (int i = 0; i < n; i++)
		free(buf[i]);
	fclose(f);
	return rc;
}

int jimport_start(struct import *im, struct perr *e)
{
	const struct jkind *k = jk(im);
	struct ctx *c = im->c;
	const struct actor *a = c->actor;
	int rc;
	if (k->admin_only && (rc = actor_require_admin(a, "import the school's timetable, changes and holidays", e)))
		return rc;
	if (actor_is(a, "class_leader"))
		return perr_set(e, EX_NOPERM,
				"not permitted: %s (%s) lacks the right to edit the journal: teachers for what they teach, "
				"and admins, have it (a class leader reads the journal, never edits it)", a->login, a->role);
	if (!actor_is(a, "admin") && !actor_is(a, "teacher"))
		return perr_set(e, EX_NOPERM,
				"not permitted: %s (%s) lacks the right to edit the journal: teachers for what they teach, "
				"and admins, have it", a ? a->login : "-", a ? a->role : "-");
	struct jstate *js = xcalloc(1, sizeof *js);
	im->state = js;
	if ((rc = load_students(c->store, js, e)) ||
	    (rc = store_each(c->store, e, put_row, &js->teachers, "SELECT staff_id FROM staff")) ||
	    (rc = store_each(c->store, e, put_row, &js->periods, "SELECT name FROM periods")) ||
	    /* every subject known at once: a look-up in the middle would end the bulk path's try */
	    (rc = store_each(c->store, e, put_row, &js->subjects, "SELECT name_key, subject_id FROM subjects")) ||
	    (rc = audit_next_seq(c, &js->start_seq, e)))
		return rc;
	if (actor_is(a, "teacher") && (rc = load_teaching(c, js, e)))
		return rc;
	js->admin = actor_is(a, "admin");
	int any_invalid = store_exists(c->store, e, "SELECT 1 FROM audit_invalid");
	if (any_invalid < 0)
		return -any_invalid;
	js->any_invalid = any_invalid;

	/* the statements, from the table's columns */
	struct sbuf ins, sel, upd, where;
	sbuf_init(&ins);
	sbuf_init(&sel);
	sbuf_init(&upd);
	sbuf_init(&where);
	sbuf_printf(&ins, "INSERT INTO %s (", k->table);
	for (int i = 0; i < k->ncols; i++)
		sbuf_printf(&ins, "%s, ", k->cols[i]);
	sbuf_adds(&ins, "audit_seq) VALUES (");
	for (int i = 0; i < k->ncols; i++)
		sbuf_printf(&ins, "$%d, ", i + 1);
	sbuf_printf(&ins, "$%d) ON CONFLICT DO NOTHING", k->ncols + 1);
	for (int i = 0; i < k->nkey; i++)
		sbuf_printf(&where, "%s%s = $%d", i ? " AND " : " WHERE ", k->cols[i], i + 1);
	sbuf_adds(&sel, "SELECT ");
	sbuf_printf(&upd, "UPDATE %s SET ", k->table);
	for (int i = k->nkey; i < k->ncols; i++) {
		sbuf_printf(&sel, "%s, ", k->cols[i]);
		sbuf_printf(&upd, "%s = $%d, ", k->cols[i], i + 1);
	}
	/* and whether the row no longer counts (FACT_VALID names the table by a fixed alias, t); in a
	 * store where nothing was ever invalidated (the import's write transaction holds it so) it is
	 * 0 for every row, and the statement run per row need not ask */
	sbuf_printf(&sel, "audit_seq, %s FROM %s t%s", any_invalid ? "NOT " FACT_VALID("t") : "0", k->table, where.s);
	sbuf_printf(&upd, "audit_seq = $%d%s", k->ncols + 1, where.s);
	js->insert = store_prepare(c->store, ins.s, e);
	js->select = js->insert ? store_prepare(c->store, sel.s, e) : NULL;
	js->update = js->select ? store_prepare(c->store, upd.s, e) : NULL;
	rc = js->update ? 0 : e->status;
	if (!rc && im->sync) {
		/* what the file holds and covers, in temporary tables of this connection */
		sbuf_reset(&ins);
		sbuf_adds(&ins, "DROP TABLE IF EXISTS temp.sync_seen; DROP TABLE IF EXISTS temp.sync_class; "
			  "DROP TABLE IF EXISTS temp.sync_subject; DROP TABLE IF EXISTS temp.sync_set; "
			  "CREATE TEMP TABLE sync_class (k TEXT PRIMARY KEY); "
			  "CREATE TEMP TABLE sync_subject (k INTEGER PRIMARY KEY); "
			  "CREATE TEMP TABLE sync_set (k TEXT PRIMARY KEY); CREATE TEMP TABLE sync_seen (");
		for (int i = 0; i < k->nkey; i++)
			sbuf_printf(&ins, "%s %s, ", k->cols[i], k->types[i] == JT_TEXT ? "TEXT" : "INTEGER");
		sbuf_adds(&ins, "PRIMARY KEY (");
		for (int i = 0; i < k->nkey; i++)
			sbuf_printf(&ins, "%s%s", i ? ", " : "", k->cols[i]);
		sbuf_adds(&ins, "))");
		rc = store_exec(c->store, ins.s, e);
		sbuf_reset(&ins);
		sbuf_adds(&ins, "INSERT INTO temp.sync_seen VALUES (");
		for (int i = 0; i < k->nkey; i++)
			sbuf_printf(&ins, "%s$%d", i ? ", " : "", i + 1);
		sbuf_adds(&ins, ") ON CONFLICT DO NOTHING");
		if (!rc && !(js->seen = store_prepare(c->store, ins.s, e)))
			rc = e->status;
	}
	sbuf_free(&ins);
	sbuf_free(&sel);
	sbuf_free(&upd);
	sbuf_free(&where);
	/* --dry-run shows each row's fate as it is read, and --rejects sets a row aside as it is read:
	 * they take the row path */
	if (!rc && store_has_bulk_load(c->store) && !c->dry_run && !c->changes && !im->reject)
		rc = load_start(im, e);
	return rc;
}

void jimport_cleanup(struct import *im)
{
	struct jstate *js = im->state;
	if (!js)
		return;
	struct perr ignored = { 0 };
	if (js->load)
		store_load_end(js->load, &ignored);
	if (js->direct)
		store_load_abort(js->direct, &ignored);
	if (js->spool)
		fclose(js->spool);
	sbuf_free(&js->spool_row);
	free(js->keyhash);
	struct strmap *maps[] = { &js->students, &js->class_idx, &js->subjects, &js->typed, &js->teachers, &js->periods,
				  &js->groups, &js->teaching, &js->own_subjects, &js->s_class, &js->s_subject, &js->s_set };
	for (size_t i = 0; i < sizeof maps / sizeof *maps; i++)
		strmap_free(maps[i]);
	for (size_t i = 0; i < js->nclasses; i++)
		free(js->classes[i]);
	free(js->classes);
	free(js);
	im->state = NULL;
}

/* ---- the check helpers ---- */

void jrow_text(struct import *im, struct jrow *r, size_t ci, int col, const char *column, int required)
{
	const char *v = import_get(im, ci);
	if (v && *v)
		r->v[col] = v;
	else if (required)
		import_error(im, column, "is empty (expected a value)");
}

void jrow_student(struct import *im, struct jrow *r, size_t ci, int col)
{
	struct jstate *js = im->state;
	const char *v = import_get(im, ci);
	long cls;
	r->v[col] = v;
	if (!*v)
		import_error(im, "student_id", "is empty (expected a student id)");
	else if ((cls = strmap_get(&js->students, v)) < 0)
		import_error(im, "student_id", "%s is not a student of this store (expected the id of an imported student)", v);
	else
		r->cls = js->classes[cls];
}

void jrow_class(struct import *im, struct jrow *r, size_t ci, int col, int required)
{
	struct jstate *js = im->state;
	const char *v = import_get(im, ci), *why;
	if (!v || !*v) {
		if (required)
			import_error(im, "class", "is empty (expected a class, e.g. 7А)");
		return;
	}
	if (value_class(v, r->buf[col], &why)) {
		import_error(im, "class", "\"%s\" %s", v, why);
		return;
	}
	long i = strmap_get(&js->class_idx, r->buf[col]);
	if (i < 0) {
		import_error(im, "class", "%s is not a class of this store (expected a class of the imported roster)", r->buf[col]);
		return;
	}
	r->v[col] = r->cls = js->classes[i];
}

void jrow_teacher(struct import *im, struct jrow *r, size_t ci, int col)
{
	struct jstate *js = im->state;
	const char *v = import_get(im, ci);
	if (!v || !*v)
		return;
	if (strmap_get(&js->teachers, v) < 0)
		import_error(im, "teacher_id", "%s is not staff of this store (expected a staff id)", v);
	r->v[col] = v;
}

void jrow_date(struct import *im, struct jrow *r, size_t ci, int col, const char *column, int required)
{
	const char *v = import_get(im, ci), *why;
	if (!v || !*v) {
		if (required)
			import_error(im, column, "is empty (expected a date, YYYY-MM-DD or DD.MM.YYYY)");
		return;
	}
	if (value_date(v, r->buf[col], &why))
		import_error(im, column, "\"%s\" %s", v, why);
	else
		r->v[col] = r->buf[col];
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

void jrow_int(struct import *im, struct jrow *r, size_t ci, int col, const char *column, long lo, long hi, long dflt,
	      int required)
{
	const char *v = import_get(im, ci);
	long n = dflt;
	if (!v || !*v) {
		if (required)
			import_error(im, column, "is empty (expected a number from %ld to %ld)", lo, hi);
		else if (dflt < 0)
			return;		/* stays NULL */
	} else if (parse_long(v, lo, hi, &n)) {
		import_error(im, column, "\"%s\" is not a number from %ld to %ld", v, lo, hi);
		return;
	} else if (*v != '0' && *v != '+') {
		r->v[col] = v;	/* already as the store writes it: no formatting a row */
		return;
	}
	snprintf(r->buf[col], sizeof r->buf[col], "%ld", n);
	r->v[col] = r->buf[col];
}

void jrow_period(struct import *im, struct jrow *r, size_t ci, int col)
{
	struct jstate *js = im->state;
	const char *v = import_get(im, ci);
	if (!*v)
		import_error(im, "period", "is empty (expected a period's name, e.g. 2 четверть)");
	else if (strmap_get(&js->periods, v) < 0)
		import_error(im, "period", "\"%s\" is not a period of this store (portal-journal periods list shows them)", v);
	r->v[col] = r->set = v;
}

void jrow_subject_of(struct import *im, struct jrow *r, size_t ci, int col, int required, const char *none)
{
	const char *v = import_get(im, ci);
	r->subject_col = col;
	if (v && *v) {
		r->subject_name = v;
		return;
	}
	if (required)
		import_error(im, "subject", "is empty (expected a subject)");
	if (col >= 0)
		r->v[col] = none;
	r->subject_done = 1;
}

int jrow_subject(struct import *im, struct jrow *r, struct perr *e)
{
	struct jstate *js = im->state;
	char key[512];
	if (r->subject_done || !r->subject_name)
		return 0;
	r->subject_done = 1;
	long known = strmap_get(&js->typed, r->subject_name);
	if (known <= 0) {
		subject_key(r->subject_name, key, sizeof key);
		if ((known = strmap_get(&js->subjects, key)) <= 0) {
			int64_t id;
			int created, rc = subject_ensure(im->c, r->subject_name, &id, &created, e);
			if (rc)
				return rc;
			if (created)
				subject_new_warning(im, r->subject_name);
			known = (long)id;
			strmap_put(&js->subjects, key, known);
		}
		strmap_put(&js->typed, r->subject_name, known);
	}
	r->subject = known;
	if (r->subject_col >= 0) {
		/* most rows have the subject of the row before: its text is kept, not printed again */
		if (known != js->last_subject) {
			snprintf(js->last_subject_text, sizeof js->last_subject_text, "%ld", known);
			js->last_subject = known;
		}
		r->v[r->subject_col] = js->last_subject_text;
	}
	return 0;
}

int jrow_group(struct import *im, struct jrow *r, const char *cls, const char *name, int col, struct perr *e)
{
	struct jstate *js = im->state;
	char key[400];
	snprintf(key, sizeof key, "%s\x1f%s\x1f%lld", cls, name, (long long)r->subject);
	long id = strmap_get(&js->groups, key);
	if (id < 0) {
		int64_t gid;
		int rc = store_get(im->c->store, e, "SELECT group_id FROM study_groups WHERE class = $1 AND name = $2 AND subject_id = $3",
				   P_TEXT(cls), P_TEXT(name), P_INT(r->subject), INTO_INT(&gid));
		if (rc < 0)
			return -rc;
		id = (long)gid;
		strmap_put(&js->groups, key, id);
	}
	if (!id) {
		if (*cls)
			import_error(im, "group", "\"%s\" is not a study group of %s for %s (portal-accounts groups list shows them)",
				     name, cls, r->subject_name);
		else
			import_error(im, "group", "\"%s\" is not a stream for %s (portal-accounts groups list shows them)", name,
				     r->subject_name);
		return 0;
	}
	snprintf(r->buf[col], sizeof r->buf[col], "%ld", id);
	r->v[col] = r->buf[col];
	return 0;
}

/* ---- one row ---- */

static void bind_row(const struct jkind *k, struct stmt *st, const struct jrow *r, int from, int to)
{
	for (int i = from; i < to; i++) {
		if (!r->v[i])
			stmt_bind_null(st, i + 1);
		else if (k->types[i] == JT_INT)
			stmt_bind_int(st, i + 1, strtoll(r->v[i], NULL, 10));
		else if (k->types[i] == JT_REAL)
			stmt_bind_double(st, i + 1, strtod(r->v[i], NULL));
		else
			stmt_bind_text_static(st, i + 1, r->v[i]);
	}
}

/* The identity in an audit record's detail, "key":[…], so that invalidation can find the row. */
static void change_key(struct change *ch, const struct jkind *k, const char *const *v)
{
	sbuf_adds(&ch->detail, ",\"key\":[");
	for (int i = 0; i < k->nkey; i++) {
		if (i)
			sbuf_addc(&ch->detail, ',');
		sbuf_add_json(&ch->detail, v[i] ? v[i] : "");
	}
	sbuf_addc(&ch->detail, ']');
}

/* The audit object's id: the identity joined by ':'. */
static void identity(const struct jkind *k, const char *const *v, char *out, size_t n)
{
	size_t len = 0;
	out[0] = 0;
	for (int i = 0; i < k->nkey && len < n; i++)
		len += (size_t)snprintf(out + len, n - len, "%s%s", i ? ":" : "", v[i] ? v[i] : "");
}

/* A column that holds an id of the store: shown as "subject" or "group", by name. */
static const char *named_column(const char *col)
{
	return !strcmp(col, "subject_id") ? "subject" : !strcmp(col, "group_id") ? "group" : NULL;
}

/* The name of the subject or group whose id is v in column col ("" for none). */
static const char *name_of(struct import *im, const char *col, const char *v, char *buf, size_t n)
{
	struct perr ignored = { 0 };
	int64_t id = v ? strtoll(v, NULL, 10) : 0;
	*buf = 0;
	if (!id)
		return buf;
	if (!strcmp(col, "subject_id"))
		subject_name(im->c->store, id, buf, n, &ignored);
	else if (store_get(im->c->store, &ignored, "SELECT name FROM study_groups WHERE group_id = $1", P_INT(id),
			   INTO_TEXT(buf, n)) != 1)
		snprintf(buf, n, "%lld", (long long)id);
	return buf;
}

/* The identity as --dry-run shows it: subjects and groups by their names. */
static void shown_identity(struct import *im, const char *const *v, char *out, size_t n)
{
	const struct jkind *k = jk(im);
	size_t len = 0;
	char name[160];
	out[0] = 0;
	for (int i = 0; i < k->nkey && len < n; i++) {
		const char *x = named_column(k->cols[i]) ? name_of(im, k->cols[i], v[i], name, sizeof name) : v[i];
		len += (size_t)snprintf(out + len, n - len, "%s%s", i ? ":" : "", x ? x : "");
	}
}

/* A change as --dry-run shows it (the sink of a change_begin'ed row; see shown_sink). */
static void show_change(void *p, const char *op, const char *kind, const char *id, const char *field,
			const char *old, const char *new_)
{
	struct jstate *js = p;
	struct change_sink *to = js->im->c->changes;
	char ob[160], nb[160];
	const char *named = named_column(field);
	(void)id;
	if (named) {
		old = name_of(js->im, field, old, ob, sizeof ob);
		new_ = name_of(js->im, field, new_, nb, sizeof nb);
	}
	to->emit(to->ctx, op, kind, js->shown_id, named ? named : field, old, new_);
}

/* Where the changes of row v go: with --dry-run, shown by names; else nowhere but the audit log. */
static struct change_sink *shown_sink(struct import *im, const char *const *v)
{
	struct jstate *js = im->state;
	if (!im->c->changes)
		return NULL;
	js->im = im;
	js->shown.emit = show_change;
	js->shown.ctx = js;
	shown_identity(im, v, js->shown_id, sizeof js->shown_id);
	return &js->shown;
}

/* A stored column's value as text, the way the import writes it. */
static const char *stored(const struct jkind *k, struct stmt *st, int sc, int col, char *buf, size_t n)
{
	if (stmt_isnull(st, sc))
		return NULL;
	if (k->types[col] == JT_REAL) {
		snprintf(buf, n, "%g", stmt_double(st, sc));
		return buf;
	}
	return stmt_text(st, sc);
}

/* The import's own audit record, written right after its first new row (which was given the
 * number it takes): a file that changes nothing leaves no trace. */
static int import_record(struct import *im, int64_t expect, struct perr *e)
{
	struct jstate *js = im->state;
	struct sbuf d;
	sbuf_init(&d);
	sbuf_adds(&d, "{\"op\":\"import\",\"file\":");
	sbuf_add_json(&d, csvin_name(im->in));
	sbuf_addc(&d, '}');
	int rc = audit_append(im->c, im->kind->name, d.s, &js->seq, e);
	sbuf_free(&d);
	if (!rc && js->seq != expect)
		return perr_set(e, EX_SOFTWARE, "the import's audit record took %lld, not %lld",
				(long long)js->seq, (long long)expect);
	return rc;
}

static void note_insert(struct import *im, const struct jrow *r)
{
	const struct jkind *k = jk(im);
	struct change_sink *sink = shown_sink(im, r->v);
	if (!sink)
		return;
	for (int i = k->nkey; i < k->ncols; i++)
		if (r->v[i] && *r->v[i])
			sink->emit(sink->ctx, "insert", k->object, NULL, k->cols[i], "", r->v[i]);
}

/* A stored row written with a login reported as leaked no longer counts: this file's row replaces
 * it, as a new row of the import. */
static int replace_invalid(struct import *im, const struct jrow *r, struct perr *e)
{
	const struct jkind *k = jk(im);
	struct jstate *js = im->state;
	int64_t seq;
	int rc = import_seq(im, &seq, e);
	if (rc)
		return rc;
	bind_row(k, js->update, r, 0, k->ncols);
	stmt_bind_int(js->update, k->ncols + 1, seq);
	if ((rc = stmt_run(js->update, e)) || (!js->seq && (rc = import_record(im, seq, e))))
		return rc;
	im->inserted++;
	note_insert(im, r);
	return 0;
}

/* The change from the stored values (columns from of st, in the table's order) to row r; ch
 * holds no field when nothing changes. */
static void row_change(struct import *im, const struct jrow *r, struct stmt *st, int from, struct change *ch)
{
	const struct jkind *k = jk(im);
	char id[400], nb[40], ob[40];
	identity(k, r->v, id, sizeof id);
	change_begin(ch, im->c, "update", k->object, id);
	ch->sink = shown_sink(im, r->v);
	change_key(ch, k, r->v);
	for (int i = k->nkey; i < k->ncols; i++) {
		const char *nv = r->v[i];
		if (nv && k->types[i] == JT_REAL) {
			snprintf(nb, sizeof nb, "%g", strtod(nv, NULL));
			nv = nb;
		}
		change_field(ch, k->cols[i], stored(k, st, from + i - k->nkey, i, ob, sizeof ob), nv);
	}
}

/* Writes the change row_change made (audited old → new), or counts the row unchanged. */
static int update_row(struct import *im, const struct jrow *r, struct change *ch, struct perr *e)
{
	const struct jkind *k = jk(im);
	struct jstate *js = im->state;
	int64_t seq;
	int rc;
	if (!ch->nfields) {
		change_discard(ch);
		im->unchanged++;
		return 0;
	}
	if ((rc = change_commit(ch, &seq, e)))
		return rc;
	im->updated++;
	bind_row(k, js->update, r, 0, k->ncols);
	stmt_bind_int(js->update, k->ncols + 1, seq);
	return stmt_run(js->update, e);
}

/* The row as stored: unchanged, updated (audited old → new), or a repeat of an earlier line;
 * ENOENT when it is not there. */
static int existing_row(struct import *im, const struct jrow *r, struct perr *e)
{
	const struct jkind *k = jk(im);
	struct jstate *js = im->state;
	struct stmt *old = js->select;
	bind_row(k, old, r, 0, k->nkey);
	int rc = stmt_step(old, e);
	if (rc != 1) {
		stmt_reset(old);
		return rc < 0 ? -rc : ENOENT;	/* not there: the caller inserts it */
	}
	int nval = k->ncols - k->nkey;
	if (stmt_int(old, nval + 1)) {
		stmt_reset(old);
		return replace_invalid(im, r, e);
	}
	if (stmt_int(old, nval) >= js->start_seq) {
		stmt_reset(old);
		import_error(im, k->base.cols[0].name, "%s", _(k->repeated));
		return 0;
	}
	struct change ch;
	row_change(im, r, old, 0, &ch);
	stmt_reset(old);
	return update_row(im, r, &ch, e);
}

static void note_scope(struct jstate *js, const struct jrow *r)
{
	char sid[24];
	if (r->cls)
		strmap_put(&js->s_class, r->cls, 1);
	if (r->subject_col >= 0) {
		snprintf(sid, sizeof sid, "%lld", (long long)r->subject);
		strmap_put(&js->s_subject, sid, 1);
	}
	if (r->set)
		strmap_put(&js->s_set, r->set, 1);
	if (r->date) {
		if (!*js->lo || strcmp(r->date, js->lo) < 0)
			memcpy(js->lo, r->date, 11);
		if (!*js->hi || strcmp(r->date, js->hi) > 0)
			memcpy(js->hi, r->date, 11);
	}
}

/* Writes a checked row: new, updated, unchanged, replacing an invalidated one, or a repeat of an
 * earlier line (an error). */
static int write_row(struct import *im, const struct jrow *r, struct perr *e)
{
	const struct jkind *k = jk(im);
	struct jstate *js = im->state;
	int64_t seq;
	int rc = import_seq(im, &seq, e);
	if (rc)
		return rc;
	/* A new file's rows are mostly new, a re-exported file's mostly there: the last row's
	 * fate says which statement to try first, so either costs one statement a row. */
	if (js->existing && (rc = existing_row(im, r, e)) != ENOENT)
		return rc;
	bind_row(k, js->insert, r, 0, k->ncols);
	stmt_bind_int(js->insert, k->ncols + 1, seq);
	if ((rc = stmt_run(js->insert, e)))
		return rc;
	js->existing = store_changes(im->c->store) != 1;
	if (js->existing) {
		rc = existing_row(im, r, e);
		return rc == ENOENT ? perr_set(e, EX_SOFTWARE, "a %s vanished during the import", k->object) : rc;
	}
	im->inserted++;
	note_insert(im, r);
	return js->seq ? 0 : import_record(im, seq, e);
}

/* The bulk path: the checked row waits in temp.jload with its line, for jimport_flush. */
static int load_row(struct import *im, const struct jrow *r, struct perr *e)
{
	const struct jkind *k = jk(im);
	struct jstate *js = im->state;
	const char *vals[JCOLS_MAX + 1];
	char line[24];
	snprintf(line, sizeof line, "%ld", csvin_line(im->in));
	vals[0] = line;
	for (int i = 0; i < k->ncols; i++)
		vals[i + 1] = r->v[i];
	if (im->sync)
		note_scope(js, r);
	js->loaded++;
	if (js->want_direct) {
		js->want_direct = 0;
		struct stmt *old = js->select;
		bind_row(k, old, r, 0, k->nkey);
		int there = stmt_step(old, e);
		stmt_reset(old);
		if (there < 0)
			return -there;
		js->not_all_new = there;
		int rc = there ? jload_begin(im, e) : direct_begin(im, e);
		if (rc)
			return rc;
	}
	if (!js->direct) {
		note_key(js, k, vals);
		return store_load_row(js->load, vals, e);
	}
	const char *dvals[JCOLS_MAX + 1];
	for (int i = 0; i < k->ncols; i++)
		dvals[i] = r->v[i];
	dvals[k->ncols] = js->direct_seq;
	int rc = spool_put(js, vals, k->ncols + 1, e);
	if (!rc)
		rc = store_load_row(js->direct, dvals, e);
	/* something was written meanwhile (a new subject): the try is over */
	if (!rc && store_load_taken_back(js->direct))
		rc = fall_back(im, e);
	return rc;
}

int jimport_row(struct import *im, struct perr *e)
{
	const struct jkind *k = jk(im);
	struct jstate *js = im->state;
	struct jrow r;
	memset(r.v, 0, sizeof r.v);
	r.cls = r.subject_name = r.set = r.date = NULL;
	r.subject_col = -1;
	r.subject = 0;
	r.subject_done = 0;
	int rc = k->check(im, &r, e);
	if (rc || im->row_bad || (rc = jrow_subject(im, &r, e)) || im->row_bad)
		return rc;
	if (!js->admin && (rc = journal_may_edit_class(im, r.cls, r.subject, e)))
		return rc;
	/* a teacher's own row names them when the file does not */
	if (actor_is(im->c->actor, "teacher"))
		for (int i = k->nkey; i < k->ncols; i++)
			if (!r.v[i] && strcmp(k->cols[i], "teacher_id") == 0)
				r.v[i] = im->c->actor->staff_id;
	if (js->load || js->direct || js->want_direct)
		return load_row(im, &r, e);
	if ((rc = write_row(im, &r, e)) || im->row_bad || !im->sync)
		return rc;
	note_scope(js, &r);
	bind_row(k, js->seen, &r, 0, k->nkey);
	return stmt_run(js->seen, e);
}

/* ---- the bulk path: the loaded rows written together ---- */

/* " AND l.k = t.k …" for the identity (keys are never NULL) */
static void key_join(struct sbuf *q, const struct jkind *k)
{
	for (int i = 0; i < k->nkey; i++)
		sbuf_printf(q, "%sl.%s = t.%s", i ? " AND " : "", k->cols[i], k->cols[i]);
}

static void key_list(struct sbuf *q, const struct jkind *k, const char *alias)
{
	for (int i = 0; i < k->nkey; i++)
		sbuf_printf(q, "%s%s%s", i ? ", " : "", alias, k->cols[i]);
}

/* A row of temp.jload read back (line, then the table's columns) as the row path holds it. */
static void loaded_row(const struct jkind *k, struct stmt *st, struct jrow *r)
{
	memset(r->v, 0, sizeof r->v);
	for (int i = 0; i < k->ncols; i++)
		r->v[i] = stmt_text(st, i + 1);
}

/* Each row of the statement (line, the table's columns, then what fn reads) to fn in turn, as
 * the row of its line. */
typedef int (*loaded_fn)(struct import *im, const struct jrow *r, struct stmt *st, struct perr *e);
static int each_loaded(struct import *im, const char *sql, loaded_fn fn, long *n, struct perr *e)
{
	const struct jkind *k = jk(im);
	struct stmt *st = store_query(im->c->store, e, sql);
	struct jrow r;
	int rc;
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1) {
		import_at(im, (long)stmt_int(st, 0));
		loaded_row(k, st, &r);
		if ((rc = fn(im, &r, st, e)))
			break;
		import_row_done(im);
		(*n)++;
	}
	stmt_reset(st);
	return rc < 0 ? -rc : rc;
}

static int repeated_fn(struct import *im, const struct jrow *r, struct stmt *st, struct perr *e)
{
	return write_row(im, r, e);
}

static int changed_fn(struct import *im, const struct jrow *r, struct stmt *st, struct perr *e)
{
	struct change ch;
	row_change(im, r, st, jk(im)->ncols + 1, &ch);
	return update_row(im, r, &ch, e);
}

static int replaced_fn(struct import *im, const struct jrow *r, struct stmt *st, struct perr *e)
{
	return replace_invalid(im, r, e);
}

/* An identity on more than one line of the file: those lines through the row path's write_row,
 * in their order (the first writes, a later one is the error the row path names), then out of
 * the table. */
static int flush_repeated(struct import *im, long *n, struct perr *e)
{
	const struct jkind *k = jk(im);
	struct jstate *js = im->state;
	struct sbuf rep, q;
	int rc;
	if (!maybe_repeated(js))
		return 0;
	sbuf_init(&rep);
	sbuf_adds(&rep, "(");
	key_list(&rep, k, "");
	sbuf_adds(&rep, ") IN (SELECT ");
	key_list(&rep, k, "");
	sbuf_adds(&rep, " FROM temp.jload GROUP BY ");
	key_list(&rep, k, "");
	sbuf_adds(&rep, " HAVING count(*) > 1)");
	sbuf_init(&q);
	sbuf_printf(&q, "SELECT * FROM temp.jload WHERE %s ORDER BY line", rep.s);
	rc = each_loaded(im, q.s, repeated_fn, n, e);
	if (!rc && *n) {
		sbuf_reset(&q);
		sbuf_printf(&q, "DELETE FROM temp.jload WHERE %s", rep.s);
		rc = store_exec(im->c->store, q.s, e);
	}
	sbuf_free(&q);
	sbuf_free(&rep);
	return rc;
}

/* The rows whose identity is stored with other values: an audit record each, old → new. */
static int flush_changed(struct import *im, long *n, struct perr *e)
{
	const struct jkind *k = jk(im);
	struct jstate *js = im->state;
	struct sbuf q;
	sbuf_init(&q);
	sbuf_adds(&q, "SELECT l.*");
	for (int i = k->nkey; i < k->ncols; i++)
		sbuf_printf(&q, ", t.%s", k->cols[i]);
	sbuf_printf(&q, " FROM temp.jload l JOIN %s t ON ", k->table);
	key_join(&q, k);
	sbuf_printf(&q, " WHERE %s AND (", js->any_invalid ? FACT_VALID("t") : "1 = 1");
	for (int i = k->nkey; i < k->ncols; i++)
		sbuf_printf(&q, "%sl.%s IS DISTINCT FROM t.%s", i > k->nkey ? " OR " : "", k->cols[i], k->cols[i]);
	sbuf_adds(&q, ") ORDER BY l.line");
	int rc = each_loaded(im, q.s, changed_fn, n, e);
	sbuf_free(&q);
	return rc;
}

/* The new rows, in one statement, under the import's audit record: every row of the table when
 * all is true (a row already there, or a repeat, fails it: 65), else the rows whose identity is
 * not stored. */
static int flush_new(struct import *im, int all, long *n, struct perr *e)
{
	const struct jkind *k = jk(im);
	struct jstate *js = im->state;
	int64_t seq;
	int rc = import_seq(im, &seq, e);
	if (rc)
		return rc;
	struct sbuf q;
	sbuf_init(&q);
	sbuf_printf(&q, "INSERT INTO %s (", k->table);
	key_list(&q, k, "");
	for (int i = k->nkey; i < k->ncols; i++)
		sbuf_printf(&q, ", %s", k->cols[i]);
	sbuf_adds(&q, ", audit_seq) SELECT ");
	for (int i = 0; i < k->ncols; i++)
		sbuf_printf(&q, "%sl.%s", i ? ", " : "", k->cols[i]);
	if (all) {
		sbuf_adds(&q, ", $1 FROM temp.jload l");
	} else {
		sbuf_printf(&q, ", $1 FROM temp.jload l WHERE NOT EXISTS (SELECT 1 FROM %s t WHERE ", k->table);
		key_join(&q, k);
		sbuf_adds(&q, ")");
	}
	rc = store_run(im->c->store, e, q.s, P_INT(seq));
	sbuf_free(&q);
	if (rc)
		return rc;
	*n = store_changes(im->c->store);
	im->inserted += *n;
	return *n && !js->seq ? import_record(im, seq, e) : 0;
}

/* A file of new rows, the common case (a teacher's first export of a term): all of them in one
 * plain INSERT, the fastest the engine has (an INSERT that looks for each row first, or skips the
 * ones there, takes half as long again). When a row is stored already or repeated in the file the
 * store refuses it (65): it is taken back and 0 returned with *done 0, for the rows to be sorted
 * out one fate at a time, where a real fault shows again. */
static int flush_all_new(struct import *im, int *done, struct perr *e)
{
	struct store *s = im->c->store;
	long n = 0;
	*done = 0;
	int rc = store_exec(s, "SAVEPOINT jload_all", e);
	if (rc)
		return rc;
	rc = flush_new(im, 1, &n, e);
	if (!rc) {
		*done = 1;
		return store_exec(s, "RELEASE SAVEPOINT jload_all", e);
	}
	if (rc != EX_DATAERR)
		return rc;
	*e = (struct perr){ 0 };
	return store_exec(s, "ROLLBACK TO SAVEPOINT jload_all; RELEASE SAVEPOINT jload_all", e);
}

/* The rows that replace one written with a leaked login. */
static int flush_replaced(struct import *im, long *n, struct perr *e)
{
	const struct jkind *k = jk(im);
	struct jstate *js = im->state;
	if (!js->any_invalid)
		return 0;
	struct sbuf q;
	sbuf_init(&q);
	sbuf_printf(&q, "SELECT l.* FROM temp.jload l JOIN %s t ON ", k->table);
	key_join(&q, k);
	sbuf_printf(&q, " WHERE NOT %s ORDER BY l.line", FACT_VALID("t"));
	int rc = each_loaded(im, q.s, replaced_fn, n, e);
	sbuf_free(&q);
	return rc;
}

int jimport_flush(struct import *im, struct perr *e)
{
	const struct jkind *k = jk(im);
	struct jstate *js = im->state;
	long repeated = 0, changed = 0, added = 0, replaced = 0;
	int done, rc;
	if (!js)
		return 0;
	if (js->direct) {
		/* the try: all the rows in under the import's record, unless a line was bad */
		if (!im->rejected) {
			rc = store_load_end(js->direct, e);
			js->direct = NULL;
			if (!rc) {
				fclose(js->spool);
				js->spool = NULL;
				im->inserted += js->loaded;
				return js->loaded ? import_record(im, strtoll(js->direct_seq, NULL, 10), e) : 0;
			}
			/* a row is there already (or repeated): the rows' fates one by one */
			js->not_all_new = 1;
			*e = (struct perr){ 0 };
		}
		if ((rc = fall_back(im, e)))
			return rc;
	}
	if (!js->load)
		return 0;	/* no row */
	rc = store_load_end(js->load, e);
	js->load = NULL;
	if (rc || !js->loaded)
		return rc;
	if (im->sync) {
		struct sbuf q;
		sbuf_init(&q);
		sbuf_adds(&q, "INSERT INTO temp.sync_seen SELECT ");
		key_list(&q, k, "");
		sbuf_adds(&q, " FROM temp.jload ON CONFLICT DO NOTHING");
		rc = store_exec(im->c->store, q.s, e);
		sbuf_free(&q);
	}
	if (rc || (!im->rejected && !js->not_all_new && ((rc = flush_all_new(im, &done, e)) || done)))
		return rc;
	/* bad rows without --rejects: nothing will be written, only the repeats remain to be named */
	if ((rc = flush_repeated(im, &repeated, e)) || (im->rejected && !im->reject))
		return rc;
	/* the changed rows take their audit records before the new rows take the import's, whose
	 * number they carry; the rows that replace an invalidated one are of the import too */
	if ((rc = flush_changed(im, &changed, e)) ||
	    (rc = flush_new(im, 0, &added, e)) || (rc = flush_replaced(im, &replaced, e)))
		return rc;
	/* the changed rows counted themselves (updated, or unchanged when only a number's form differs) */
	im->unchanged += js->loaded - repeated - changed - added - replaced;
	return 0;
}

/* ---- --sync: remove what the file no longer holds ---- */

static int fill_set(struct store *s, const char *table, const struct strmap *m, struct perr *e)
{
	char sql[96];
	int rc = 0;
	snprintf(sql, sizeof sql, "INSERT INTO temp.%s (k) VALUES ($1)", table);	/* a name of this file's, no value */
	for (size_t i = 0; i < m->cap && !rc; i++)
		if (m->keys[i])
			rc = store_run(s, e, sql, P_TEXT(m->keys[i]));
	return rc;
}

struct removal {
	char **v;	/* ncols values */
};

int jimport_finish(struct import *im, struct perr *e)
{
	const struct jkind *k = jk(im);
	struct jstate *js = im->state;
	struct store *s = im->c->store;
	int rc;
	if (!im->sync)
		return 0;
	if (!im->applied) {
		/* an empty file covers nothing: removing "everything it does not hold" would be a guess */
		return 0;
	}
	if (im->rejected) {
		/* a rejected line may be the very row --sync would take for absent */
		if (im->warn) {
			char msg[256];
			snprintf(msg, sizeof msg,
				 ngettext("%s: --sync removed nothing, because %ld line of the file was rejected; "
					  "fix it and import the file again",
					  "%s: --sync removed nothing, because %ld lines of the file were rejected; "
					  "fix them and import the file again", (unsigned long)im->rejected),
				 csvin_name(im->in), im->rejected);
			im->warn(im->wctx, msg);
		}
		return 0;
	}
	if ((rc = fill_set(s, "sync_class", &js->s_class, e)) || (rc = fill_set(s, "sync_subject", &js->s_subject, e)) ||
	    (rc = fill_set(s, "sync_set", &js->s_set, e)))
		return rc;
	struct sbuf q;
	sbuf_init(&q);
	sbuf_adds(&q, "SELECT ");
	for (int i = 0; i < k->ncols; i++)
		sbuf_printf(&q, "%st.%s", i ? ", " : "", k->cols[i]);
	sbuf_printf(&q, " FROM %s t WHERE %s AND NOT EXISTS (SELECT 1 FROM temp.sync_seen x WHERE ", k->table, k->sync_where);
	for (int i = 0; i < k->nkey; i++)
		sbuf_printf(&q, "%sx.%s = t.%s", i ? " AND " : "", k->cols[i], k->cols[i]);
	sbuf_adds(&q, ")");
	/* a kind kept by dates covers the file's first to last date ($1, $2) */
	struct stmt *st = strstr(k->sync_where, "$1") ? store_query(s, e, q.s, P_TEXT(js->lo), P_TEXT(js->hi))
						      : store_query(s, e, q.s);
	sbuf_free(&q);
	if (!st)
		return e->status;
	/* read them all first: the rows go while the look-up would still walk them */
	struct removal *rm = NULL;
	size_t n = 0;
	char buf[40];
	while ((rc = stmt_step(st, e)) == 1) {
		rm = xrealloc(rm, (n + 1) * sizeof *rm);
		rm[n].v = xcalloc((size_t)k->ncols, sizeof *rm[n].v);
		for (int i = 0; i < k->ncols; i++) {
			const char *v = stored(k, st, i, i, buf, sizeof buf);
			rm[n].v[i] = v ? xstrdup(v) : NULL;
		}
		n++;
	}
	stmt_reset(st);
	rc = rc < 0 ? -rc : 0;
	sbuf_init(&q);
	sbuf_printf(&q, "DELETE FROM %s", k->table);
	for (int i = 0; i < k->nkey; i++)
		sbuf_printf(&q, "%s%s = $%d", i ? " AND " : " WHERE ", k->cols[i], i + 1);
	struct stmt *del = rc ? NULL : store_prepare(s, q.s, e);
	sbuf_free(&q);
	if (!rc && !del)
		rc = e->status;
	for (size_t j = 0; j < n; j++) {
		if (!rc) {
			char id[400];
			struct change ch;
			int64_t seq;
			struct jrow r;
			identity(k, (const char *const *)rm[j].v, id, sizeof id);
			change_begin(&ch, im->c, "delete", k->object, id);
			ch.sink = shown_sink(im, (const char *const *)rm[j].v);
			change_key(&ch, k, (const char *const *)rm[j].v);
			for (int i = k->nkey; i < k->ncols; i++)
				change_field(&ch, k->cols[i], rm[j].v[i], NULL);
			if (!ch.nfields)
				change_field(&ch, k->cols[0], rm[j].v[0], NULL);
			rc = change_commit(&ch, &seq, e);
			for (int i = 0; i < k->nkey; i++)
				r.v[i] = rm[j].v[i];
			if (!rc) {
				bind_row(k, del, &r, 0, k->nkey);
				rc = stmt_run(del, e);
			}
			im->left++;
		}
		for (int i = 0; i < k->ncols; i++)
			free(rm[j].v[i]);
		free(rm[j].v);
	}
	free(rm);
	return rc;
}

/* ---- invalidation: what a leaked login changed in the journal is put back ---- */

/* Reads one JSON string or null at *p into *out (NULL for null); advances *p. -1 when malformed. */
static int json_str(const char **p, char **out)
{
	const char *s = *p;
	*out = NULL;
	if (strncmp(s, "null", 4) == 0) {
		*p = s + 4;
		return 0;
	}
	if (*s != '"')
		return -1;
	struct sbuf b;
	sbuf_init(&b);
	sbuf_adds(&b, "");
	for (s++; *s && *s != '"'; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			sbuf_addc(&b, *s == 'n' ? '\n' : *s == 't' ? '\t' : *s == 'r' ? '\r' : *s);
		} else {
			sbuf_addc(&b, *s);
		}
	}
	if (*s != '"') {
		sbuf_free(&b);
		return -1;
	}
	*p = s + 1;
	*out = b.s;
	return 0;
}

/* The identity of a record's "key":[…] into key (nkey strings); the count read, -1 malformed. */
static int detail_key(const char *detail, char **key, int max)
{
	const char *p = strstr(detail, "\"key\":[");
	int n = 0;
	if (!p)
		return -1;
	for (p += 7; *p && *p != ']' && n < max; n++) {
		if (json_str(&p, &key[n]) || !key[n])
			return -1;
		if (*p == ',')
			p++;
	}
	return n;
}

/* The old and new values of field in a record's detail ("field":[old,new]); 0 when absent. */
static int detail_field(const char *detail, const char *field, char **old, char **new_)
{
	char pat[80];
	snprintf(pat, sizeof pat, "\"%s\":[", field);
	const char *p = strstr(detail, pat);
	*old = *new_ = NULL;
	if (!p)
		return 0;
	p += strlen(pat);
	if (json_str(&p, old) || *p++ != ',' || json_str(&p, new_)) {
		free(*old);
		*old = NULL;
		return 0;
	}
	return 1;
}

/* Undoes a journal change recorded in detail (an audit record of kind k being invalidated): an
 * update's old values and a --sync removal's row come back, audited. */
static int jimport_compensate(struct ctx *c, const struct undo *u, const char *object, const char *detail,
			      const void *kind, struct perr *e)
{
	const struct jkind *k = kind;
	const char *p = strstr(detail, "\"key\":");
	int del = strstr(detail, "\"op\":\"delete\"") != NULL;
	if (!p || (!del && !strstr(detail, "\"op\":\"update\"")))
		return 0;	/* an import's new rows drop out by their audit_seq */
	char *key[JCOLS_MAX] = { 0 }, *old[JCOLS_MAX] = { 0 };
	int rc = 0, present[JCOLS_MAX] = { 0 };
	if (detail_key(p, key, JCOLS_MAX) != k->nkey) {
		for (int i = 0; i < JCOLS_MAX; i++)
			free(key[i]);
		return perr_set(e, EX_SOFTWARE, "an audit record of a %s has no readable identity", k->object);
	}
	struct jrow r;
	memset(r.v, 0, sizeof r.v);
	for (int i = 0; i < k->nkey; i++)
		r.v[i] = key[i];
	char *newv[JCOLS_MAX] = { 0 };
	for (int i = k->nkey; i < k->ncols; i++)
		present[i] = detail_field(detail, k->cols[i], &old[i], &newv[i]);
	/* the row as it is now */
	struct sbuf q;
	sbuf_init(&q);
	sbuf_adds(&q, "SELECT ");
	for (int i = k->nkey; i < k->ncols; i++)
		sbuf_printf(&q, "%s, ", k->cols[i]);
	sbuf_printf(&q, "audit_seq FROM %s", k->table);
	for (int i = 0; i < k->nkey; i++)
		sbuf_printf(&q, "%s%s = $%d", i ? " AND " : " WHERE ", k->cols[i], i + 1);
	struct stmt *st = store_prepare(c->store, q.s, e);
	sbuf_free(&q);
	char id[400], buf[40];
	identity(k, r.v, id, sizeof id);
	struct change ch;
	change_begin(&ch, c, "compensate", k->object, id);
	change_key(&ch, k, r.v);
	int there = 0, committed = 0;
	if (!st) {
		rc = e->status;
		goto out;
	}
	bind_row(k, st, &r, 0, k->nkey);
	if ((there = stmt_step(st, e)) < 0) {
		rc = -there;
		goto out;
	}
	for (int i = k->nkey; i < k->ncols; i++) {
		const char *cur = there ? stored(k, st, i - k->nkey, i, buf, sizeof buf) : NULL;
		/* a field changed again since keeps its later value, as the roster's do */
		if (present[i] && (del || !strcmp(cur ? cur : "", newv[i] ? newv[i] : "")))
			change_field(&ch, k->cols[i], cur, old[i]);
		else {
			free(old[i]);
			old[i] = cur ? xstrdup(cur) : NULL;
		}
	}
	stmt_reset(st);
	if (del && there)
		goto out;	/* put back since: the later row stands */
	int64_t seq;
	if (!ch.nfields)
		goto out;	/* nothing of it is left to undo */
	committed = 1;
	if ((rc = change_commit(&ch, &seq, e)))
		goto out;
	for (int i = k->nkey; i < k->ncols; i++)
		r.v[i] = old[i];
	if (!there) {
		/* a row --sync removed: back, as it was */
		sbuf_init(&q);
		sbuf_printf(&q, "INSERT INTO %s (", k->table);
		for (int i = 0; i < k->ncols; i++)
			sbuf_printf(&q, "%s, ", k->cols[i]);
		sbuf_adds(&q, "audit_seq) VALUES (");
		for (int i = 0; i < k->ncols; i++)
			sbuf_printf(&q, "$%d, ", i + 1);
		sbuf_printf(&q, "$%d)", k->ncols + 1);
	} else {
		sbuf_init(&q);
		sbuf_printf(&q, "UPDATE %s SET ", k->table);
		for (int i = k->nkey; i < k->ncols; i++)
			sbuf_printf(&q, "%s = $%d, ", k->cols[i], i + 1);
		sbuf_printf(&q, "audit_seq = $%d", k->ncols + 1);
		for (int i = 0; i < k->nkey; i++)
			sbuf_printf(&q, "%s%s = $%d", i ? " AND " : " WHERE ", k->cols[i], i + 1);
	}
	st = store_prepare(c->store, q.s, e);
	sbuf_free(&q);
	if (!st) {
		rc = e->status;
		goto out;
	}
	bind_row(k, st, &r, 0, k->ncols);
	stmt_bind_int(st, k->ncols + 1, seq);
	rc = stmt_run(st, e);
out:
	if (!committed)
		change_discard(&ch);
	for (int i = 0; i < JCOLS_MAX; i++) {
		free(key[i]);
		free(old[i]);
		free(newv[i]);
	}
	return rc;
}

void jimport_register_undo(struct undo_table *t, const struct jkind *const *kinds)
{
	for (size_t i = 0; kinds[i]; i++)
		invalidate_register(t, kinds[i]->object, jimport_compensate, kinds[i]);
}
