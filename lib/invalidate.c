/*
 * invalidate.c: invalidation of audit records and the compensation of what they did.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "audit.h"
#include "invalidate.h"
#include "jimport.h"
#include "util.h"

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

/* Sets field back to old where it still holds new. */
static int restore_field(struct ctx *c, int t, const char *id, const char *field, const char *old, const char *new_,
			 struct change *ch, struct perr *e)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE %s = $1", field, tables[t].table, tables[t].idcol);
	struct stmt *st = store_prepare(c->store, sql, e);
	if (!st)
		return e->status;
	stmt_bind_text(st, 1, id);
	int rc = stmt_step(st, e);
	char cur[512] = "";
	if (rc == 1 && stmt_text(st, 0))
		str_copy(cur, sizeof cur, stmt_text(st, 0));
	stmt_reset(st);
	if (rc <= 0)
		return rc < 0 ? -rc : 0;
	if (strcmp(cur, new_ ? new_ : "") != 0)
		return 0;	/* changed again since: the later change stands */
	change_field(ch, field, cur, old);
	snprintf(sql, sizeof sql, "UPDATE %s SET %s = $2 WHERE %s = $1", tables[t].table, field, tables[t].idcol);
	st = store_prepare(c->store, sql, e);
	if (!st)
		return e->status;
	stmt_bind_text(st, 1, id);
	stmt_bind_text(st, 2, old);
	return stmt_run(st, e);
}

/* Undoes the field changes recorded in detail for object kind:id. */
static int compensate_fields(struct ctx *c, int t, const char *id, const char *detail, struct perr *e)
{
	struct change ch;
	struct sbuf key, old, new_;
	int rc = 0, on, nn;
	int inserted = strstr(detail, "\"op\":\"insert\"") != NULL;
	sbuf_init(&key);
	sbuf_init(&old);
	sbuf_init(&new_);
	change_begin(&ch, c, "compensate", tables[t].kind, id);
	if (inserted && t == 0) {
		/* a student added with a leaked login stops counting; the record stays */
		rc = restore_field(c, t, id, "status", "left", "active", &ch, e);
		if (!rc)
			rc = restore_field(c, t, id, "left_on", c->today, NULL, &ch, e);
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
			rc = restore_field(c, t, id, key.s, on ? NULL : (old.s ? old.s : ""), nn ? NULL : (new_.s ? new_.s : ""), &ch, e);
	}
	sbuf_free(&key);
	sbuf_free(&old);
	sbuf_free(&new_);
	if (rc) {
		change_discard(&ch);
		return rc;
	}
	return change_commit(&ch, NULL, e);
}

static int lock_issued_account(struct ctx *c, const char *login, struct perr *e)
{
	struct change ch;
	change_begin(&ch, c, "compensate", "account", login);
	change_field(&ch, "locked", NULL, LEAK_ISSUED);
	int rc = change_commit(&ch, NULL, e);
	if (rc)
		return rc;
	struct stmt *st = store_prepare(c->store,
		"UPDATE accounts SET locked = 1, locked_reason = $2 WHERE login = $1", e);
	if (!st)
		return e->status;
	stmt_bind_text(st, 1, login);
	stmt_bind_text(st, 2, LEAK_ISSUED);
	return stmt_run(st, e);
}

static int compensate(struct ctx *c, const char *object, const char *detail, struct perr *e)
{
	const char *colon = strchr(object, ':');
	if (!colon)
		return 0;
	size_t klen = (size_t)(colon - object);
	if (klen == 7 && strncmp(object, "account", 7) == 0 && strstr(detail, "\"op\":\"issue\""))
		return lock_issued_account(c, colon + 1, e);
	for (int t = 0; t < (int)(sizeof tables / sizeof *tables); t++)
		if (strlen(tables[t].kind) == klen && strncmp(object, tables[t].kind, klen) == 0)
			return compensate_fields(c, t, colon + 1, detail, e);
	char kind[32];
	snprintf(kind, sizeof kind, "%.*s", (int)klen, object);
	/* the journal's rows: an update or a removal is put back; new rows drop out by their audit_seq */
	return jimport_compensate(c, kind, detail, e);
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
		struct stmt *ins = store_prepare(c->store, "INSERT INTO audit_invalid (seq, reason, by_seq) VALUES ($1, $2, $3)", e);
		if (!ins) {
			rc = e->status;
			break;
		}
		stmt_bind_int(ins, 1, v[i].seq);
		stmt_bind_text(ins, 2, reason);
		stmt_bind_int(ins, 3, by_seq);
		if (!(rc = stmt_run(ins, e)))
			rc = compensate(c, v[i].vals[5], v[i].detail, e);
		if (!rc && fn)
			rc = fn(fctx, (const char *const *)v[i].vals, 6);
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
