/*
 * invalidate.c: invalidation of audit records and the compensation of what they did.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "invalidate.h"
#include "jimport.h"
#include "util.h"

/* The record being undone and the login it was done with. */
struct undo {
	int64_t seq;
	const char *login;
};

/* The tables whose fields an audit record of kind KIND:ID may have changed. */
static const struct {
	const char *kind, *table, *idcol;
	const char *fields[12];
} tables[] = {
	{ "student", "students", "student_id",
	  { "last_name", "first_name", "middle_name", "birth_date", "class", "email", "phone", "status", "left_on" } },
	{ "guardian", "guardians", "guardian_id", { "last_name", "first_name", "middle_name", "email", "phone" } },
	{ "staff", "staff", "staff_id",
	  { "last_name", "first_name", "middle_name", "role", "login", "os_user", "email", "phone" } },
};

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

static int known_field(int t, const char *f)
{
	for (int i = 0; tables[t].fields[i]; i++)
		if (strcmp(tables[t].fields[i], f) == 0)
			return 1;
	return 0;
}

/* The fields of one object to put back, set in one statement, so that fields a table checks
 * together (a student's status and left_on) change together. */
struct restore {
	const char *field[12];
	char *value[12];
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
static int restore_add(struct ctx *c, int t, const char *id, const char *field, const char *old, const char *new_,
		       struct restore *r, struct change *ch, struct perr *e)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE %s = $1", field, tables[t].table, tables[t].idcol);
	struct stmt *st = store_prepare(c->store, sql, e);
	if (!st)
		return e->status;
	stmt_bind_text(st, 1, id);
	int rc = stmt_step(st, e);
	char *cur = rc == 1 && stmt_text(st, 0) ? xstrdup(stmt_text(st, 0)) : NULL;
	stmt_reset(st);
	if (rc <= 0 || strcmp(cur ? cur : "", new_ ? new_ : "") != 0 || r->n == 12) {
		free(cur);
		return rc < 0 ? -rc : 0;
	}
	for (int i = 0; tables[t].fields[i]; i++)
		if (strcmp(tables[t].fields[i], field) == 0)
			r->field[r->n] = tables[t].fields[i];	/* a name of the table, never of the record */
	r->value[r->n++] = old && *old ? xstrdup(old) : NULL;
	change_field(ch, field, cur, old);
	free(cur);
	return 0;
}

static int restore_apply(struct ctx *c, int t, const char *id, const struct restore *r, struct perr *e)
{
	struct sbuf sql;
	sbuf_init(&sql);
	sbuf_printf(&sql, "UPDATE %s SET ", tables[t].table);
	for (int i = 0; i < r->n; i++)
		sbuf_printf(&sql, "%s%s = $%d", i ? ", " : "", r->field[i], i + 2);
	sbuf_printf(&sql, " WHERE %s = $1", tables[t].idcol);
	struct stmt *st = store_prepare(c->store, sql.s, e);
	sbuf_free(&sql);
	if (!st)
		return e->status;
	stmt_bind_text(st, 1, id);
	for (int i = 0; i < r->n; i++)
		stmt_bind_text(st, i + 2, r->value[i]);
	return stmt_run(st, e);
}

/* Undoes the field changes recorded in detail for object kind:id. A student the record added
 * has left (the day of the undo): nothing about a person is deleted. */
static int compensate_fields(struct ctx *c, int t, const char *id, const char *detail, struct perr *e)
{
	struct change ch;
	struct restore r = { .n = 0 };
	struct sbuf key, old, new_;
	int rc = 0, on, nn;
	int inserted = strstr(detail, "\"op\":\"insert\"") != NULL;
	sbuf_init(&key);
	sbuf_init(&old);
	sbuf_init(&new_);
	change_begin(&ch, c, "compensate", tables[t].kind, id);
	if (inserted && t == 0) {
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

/* An account whose password (or lock) the leaked login wrote: what it set is undone while it
 * still stands (the account's audit_seq is still the invalidated record). A password it set is
 * locked away ("breach:LOGIN"), so the next issue gives the person new credentials; a lock it
 * set is lifted. */
static int compensate_account(struct ctx *c, const struct undo *u, const char *login, const char *detail,
			      struct perr *e)
{
	int lifted = strstr(detail, "\"op\":\"lock\"") != NULL;
	struct stmt *st = store_prepare(c->store, "SELECT locked, locked_reason FROM accounts WHERE login = $1 AND audit_seq = $2", e);
	if (!st)
		return e->status;
	stmt_bind_text(st, 1, login);
	stmt_bind_int(st, 2, u->seq);
	int rc = stmt_step(st, e);
	char was[256] = "";
	if (rc == 1 && stmt_text(st, 1))
		str_copy(was, sizeof was, stmt_text(st, 1));
	stmt_reset(st);
	if (rc <= 0)
		return rc < 0 ? -rc : 0;	/* set again since: the later state stands */
	char reason[128];
	snprintf(reason, sizeof reason, "%s%s", BREACH_LOCK_PREFIX, u->login);
	struct change ch;
	int64_t seq;
	change_begin(&ch, c, "compensate", "account", login);
	change_field(&ch, "locked", *was ? was : NULL, lifted ? NULL : reason);
	if ((rc = change_commit(&ch, &seq, e)))
		return rc;
	st = store_prepare(c->store, "UPDATE accounts SET locked = $2, locked_reason = $3, audit_seq = $4 WHERE login = $1", e);
	if (!st)
		return e->status;
	stmt_bind_text(st, 1, login);
	stmt_bind_int(st, 2, !lifted);
	stmt_bind_text(st, 3, lifted ? NULL : reason);
	stmt_bind_int(st, 4, seq ? seq : u->seq);
	return stmt_run(st, e);
}

static int compensate(struct ctx *c, const struct undo *u, const char *object, const char *detail, struct perr *e)
{
	const char *colon = strchr(object, ':');
	if (!colon)
		return 0;
	size_t klen = (size_t)(colon - object);
	if (klen == 7 && strncmp(object, "account", 7) == 0)
		return compensate_account(c, u, colon + 1, detail, e);
	if (klen == 7 && strncmp(object, "extract", 7) == 0 && strstr(detail, "\"op\":\"send\"") &&
	    strstr(detail, "\"accepted\""))
		return perr_set(e, EX_DATAERR, "the e-mail of extract %s was accepted by the mail server; it cannot be called "
				"back (the extract no longer counts)", colon + 1);
	for (int t = 0; t < (int)(sizeof tables / sizeof *tables); t++)
		if (strlen(tables[t].kind) == klen && strncmp(object, tables[t].kind, klen) == 0)
			return compensate_fields(c, t, colon + 1, detail, e);
	char kind[32];
	snprintf(kind, sizeof kind, "%.*s", (int)klen, object);
	/* the journal's rows: an update or a removal is put back; new rows drop out by their audit_seq */
	return jimport_compensate(c, kind, detail, e);
}

/* Undoes one record inside a savepoint: when it cannot be undone (a later change stands in the
 * way), its own writes go back, the reason is kept in why, and the breach goes on. Only a busy
 * store or a broken one stops it. */
static int compensate_or_note(struct ctx *c, const struct undo *u, const char *object, const char *detail,
			      char *why, size_t n, struct perr *e)
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
	rc = compensate(c, u, object, detail, &why_err);
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

int invalidate_since(struct ctx *c, const char *login, const char *since, const char *reason, int64_t by_seq,
		     long *count, invalid_fn fn, void *fctx, struct perr *e)
{
	struct stmt *st = store_prepare(c->store,
		"SELECT a.seq, a.at, a.actor, a.tool, a.action, a.object, a.detail FROM audit a "
		"WHERE a.actor = $1 AND a.at >= $2 AND a.seq < $3 "
		"AND NOT EXISTS (SELECT 1 FROM audit_invalid i WHERE i.seq = a.seq) ORDER BY a.seq DESC", e);
	if (!st)
		return e->status;
	stmt_bind_text(st, 1, login);
	stmt_bind_text(st, 2, since);
	stmt_bind_int(st, 3, by_seq);
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
			rc = compensate_or_note(c, &u, v[i].vals[5], v[i].detail, why, sizeof why, e);
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
