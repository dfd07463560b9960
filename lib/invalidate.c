/*
 * invalidate.c: invalidation of audit records and the compensation of what they did.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "invalidate.h"
#include "util.h"

void invalidate_register(struct undo_table *t, const char *kind, undo_fn fn, const void *arg)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	t->v[t->n++] = (struct undo_entry){ kind, fn, arg };
}

void invalidate_table_free(struct undo_table *t)
{
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

/* Reads one JSON string or null at *p; *out NULL for null. Advances *p. */
static int json_value(const char **p, struct sbuf *out, int *isnull)
{
	const char *s = *p;
	sbuf_reset(out);
	if (strncmp(s, "null", 4) == 0) {
		*isnull = 1;
		*p = s + 4;
		return 0;
	}
	*isnull = 0;
	if (*s != '"')
		return -1;
	for (s++; *s && *s != '"'; s++) {
		if (*s != '\\') {
			sbuf_addc(out, *s);
			continue;
		}
		s++;
		if (*s == 'n')
			sbuf_addc(out, '\n');
		else if (*s == 't')
			sbuf_addc(out, '\t');
		else if (*s == 'r')
			sbuf_addc(out, '\r');
		else if (*s == 'u') {
			unsigned v;
			if (sscanf(s + 1, "%4x", &v) != 1)
				return -1;
			sbuf_addc(out, (char)v);
			s += 4;
		} else if (*s)
			sbuf_addc(out, *s);
		else
			return -1;
	}
	if (*s != '"')
		return -1;
	*p = s + 1;
	return 0;
}

static int known_field(const struct undo_fields *t, const char *f)
{
	for (int i = 0; t->fields[i]; i++)
		if (strcmp(t->fields[i], f) == 0)
			return 1;
	return 0;
}

enum { RESTORE_MAX = 12 };

/* The fields of one object to put back, set in one statement, so that fields a table checks
 * together (a student's status and left_on) change together. */
struct restore {
	const char *field[RESTORE_MAX];
	char *value[RESTORE_MAX];
	int n;
};

static void restore_free(struct restore *r)
{
	for (int i = 0; i < r->n; i++)
		free(r->value[i]);
	r->n = 0;
}

/* Notes field to go back to old where it still holds new; a field changed again since keeps
 * its later value. */
static int restore_add(struct ctx *c, const struct undo_fields *t, const char *id, const char *field, const char *old,
		       const char *new_, struct restore *r, struct change *ch, struct perr *e)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE %s = $1", field, t->table, t->idcol);
	/* not store_get: the audit record tells NULL from "", and a value has no length limit */
	struct stmt *st = store_query(c->store, e, sql, P_TEXT(id));
	if (!st)
		return e->status;
	int rc = stmt_step(st, e);
	char *cur = rc == 1 && stmt_text(st, 0) ? xstrdup(stmt_text(st, 0)) : NULL;
	stmt_reset(st);
	if (rc <= 0 || strcmp(cur ? cur : "", new_ ? new_ : "") != 0 || r->n == RESTORE_MAX) {
		free(cur);
		return rc < 0 ? -rc : 0;
	}
	for (int i = 0; t->fields[i]; i++)
		if (strcmp(t->fields[i], field) == 0)
			r->field[r->n] = t->fields[i];	/* a name of the table, never of the record */
	r->value[r->n++] = old && *old ? xstrdup(old) : NULL;
	change_field(ch, field, cur, old);
	free(cur);
	return 0;
}

static int restore_apply(struct ctx *c, const struct undo_fields *t, const char *id, const struct restore *r,
			 struct perr *e)
{
	struct sbuf sql;
	sbuf_init(&sql);
	sbuf_printf(&sql, "UPDATE %s SET ", t->table);
	for (int i = 0; i < r->n; i++)
		sbuf_printf(&sql, "%s%s = $%d", i ? ", " : "", r->field[i], i + 2);
	sbuf_printf(&sql, " WHERE %s = $1", t->idcol);
	/* id, then a value a field: as many parameters as fields, so the list is built here */
	struct sparam p[1 + RESTORE_MAX + 1];
	p[0] = P_TEXT(id);
	for (int i = 0; i < r->n; i++)
		p[i + 1] = P_TEXT(r->value[i]);
	p[r->n + 1] = P_END;
	int rc = store_run_params(c->store, e, sql.s, p);
	sbuf_free(&sql);
	return rc;
}

/* The field changes recorded in detail for object id of the table arg describes go back. */
int invalidate_fields(struct ctx *c, const struct undo *u, const char *id, const char *detail, const void *arg,
		      struct perr *e)
{
	const struct undo_fields *t = arg;
	struct change ch;
	struct restore r = { .n = 0 };
	struct sbuf key, old, new_;
	int rc = 0, on, nn;
	int inserted = strstr(detail, "\"op\":\"insert\"") != NULL;
	sbuf_init(&key);
	sbuf_init(&old);
	sbuf_init(&new_);
	change_begin(&ch, c, "compensate", t->kind, id);
	if (inserted && t->leaves) {
		rc = restore_add(c, t, id, "status", "left", "active", &r, &ch, e);
		if (!rc && r.n)
			rc = restore_add(c, t, id, "left_on", c->today, NULL, &r, &ch, e);
	}
	for (const char *p = strchr(detail, ','); !rc && !inserted && p; p = strchr(p, ',')) {
		int kn;
		p++;
		if (json_value(&p, &key, &kn) || strncmp(p, ":[", 2) != 0)
			continue;
		p += 2;
		if (json_value(&p, &old, &on) || *p != ',')
			break;
		p++;
		if (json_value(&p, &new_, &nn) || *p != ']')
			break;
		if (known_field(t, key.s ? key.s : ""))
			rc = restore_add(c, t, id, key.s, on ? NULL : (old.s ? old.s : ""), nn ? NULL : (new_.s ? new_.s : ""),
					 &r, &ch, e);
	}
	sbuf_free(&key);
	sbuf_free(&old);
	sbuf_free(&new_);
	if (!rc && r.n)
		rc = restore_apply(c, t, id, &r, e);
	restore_free(&r);
	if (rc) {
		change_discard(&ch);
		return rc;
	}
	return change_commit(&ch, NULL, e);
}

/* The function the owner of the object's kind registered, if any: a kind nobody registered needs
 * no undo (its facts drop out by their audit_seq). */
static int compensate(struct ctx *c, const struct undo_table *t, const struct undo *u, const char *object,
		      const char *detail, struct perr *e)
{
	const char *colon = strchr(object, ':');
	if (!colon)
		return 0;
	size_t klen = (size_t)(colon - object);
	for (size_t i = 0; i < t->n; i++)
		if (strlen(t->v[i].kind) == klen && strncmp(object, t->v[i].kind, klen) == 0)
			return t->v[i].fn(c, u, colon + 1, detail, t->v[i].arg, e);
	return 0;
}

/* Undoes one record inside a savepoint: when it cannot be undone (a later change stands in the
 * way), its own writes go back, the reason is kept in why, and the breach goes on. Only a busy
 * store or a broken one stops it. */
static int compensate_or_note(struct ctx *c, const struct undo_table *t, const struct undo *u, const char *object,
			      const char *detail, char *why, size_t n, struct perr *e)
{
	int64_t head_seq = c->head_seq;
	char head_hash[65];
	int head_loaded = c->head_loaded;
	memcpy(head_hash, c->head_hash, sizeof head_hash);
	*why = '\0';
	int rc = store_exec(c->store, "SAVEPOINT undo_one", e);
	if (rc)
		return rc;
	struct perr why_err = { 0 };
	rc = compensate(c, t, u, object, detail, &why_err);
	if (!rc)
		return store_exec(c->store, "RELEASE SAVEPOINT undo_one", e);
	if (rc == EX_TEMPFAIL || rc == EX_OSERR || rc == EX_IOERR) {
		*e = why_err;
		return rc;
	}
	str_copy(why, n, why_err.msg[0] ? why_err.msg : "it could not be undone");
	/* the audit records the failed undo appended went back with it */
	c->head_seq = head_seq;
	c->head_loaded = head_loaded;
	memcpy(c->head_hash, head_hash, sizeof head_hash);
	if ((rc = store_exec(c->store, "ROLLBACK TO SAVEPOINT undo_one", e)))
		return rc;
	return store_exec(c->store, "RELEASE SAVEPOINT undo_one", e);
}

struct victim {
	int64_t seq;
	char *vals[6];
	char *detail;
};

int invalidate_since(struct ctx *c, const struct undo_table *undo, const char *login, const char *since,
		     const char *reason, int64_t by_seq, long *count, invalid_fn fn, void *fctx, struct perr *e)
{
	/* collected first: undoing a record runs other statements */
	struct stmt *st = store_query(c->store, e,
		"SELECT a.seq, a.at, a.actor, a.tool, a.action, a.object, a.detail FROM audit a "
		"WHERE a.actor = $1 AND a.at >= $2 AND a.seq < $3 "
		"AND NOT EXISTS (SELECT 1 FROM audit_invalid i WHERE i.seq = a.seq) ORDER BY a.seq DESC",
		P_TEXT(login), P_TEXT(since), P_INT(by_seq));
	if (!st)
		return e->status;
	struct victim *v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = stmt_step(st, e)) == 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n].seq = stmt_int(st, 0);
		for (int i = 0; i < 6; i++)
			v[n].vals[i] = xstrdup(stmt_text(st, i) ? stmt_text(st, i) : "");
		v[n].detail = xstrdup(stmt_text(st, 6));
		n++;
	}
	stmt_reset(st);
	rc = rc < 0 ? -rc : 0;
	for (size_t i = 0; i < n && !rc; i++) {
		struct undo u = { v[i].seq, login };
		char why[sizeof e->msg];
		/* the invalidation is a record of its own, after by_seq: the query above never selects it */
		if (!(rc = audit_invalidate(c, v[i].seq, reason, by_seq, e)))
			rc = compensate_or_note(c, undo, &u, v[i].vals[5], v[i].detail, why, sizeof why, e);
		const char *row[7] = { v[i].vals[0], v[i].vals[1], v[i].vals[2], v[i].vals[3], v[i].vals[4], v[i].vals[5], why };
		if (!rc && fn)
			rc = fn(fctx, row, 7);
	}
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < 6; k++)
			free(v[i].vals[k]);
		free(v[i].detail);
	}
	free(v);
	if (count)
		*count = (long)n;
	return rc;
}
