/*
 * subjects.c: the subject list. A subject is created the first time a file
 * names it; the name as first written is kept for documents.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "subjects.h"
#include "values.h"

void subject_key(const char *name, char *out, size_t n)
{
	char low[512], *p = out;
	int space = 0;
	utf8_lower(name, low, sizeof low);
	str_trim(low);
	for (const char *q = low; *q && (size_t)(p - out) < n - 1; q++) {
		if (*q == ' ' || *q == '\t') {
			if (!space)
				*p++ = ' ';
			space = 1;
		} else {
			*p++ = *q;
			space = 0;
		}
	}
	*p = '\0';
}

int subject_find(struct store *s, const char *name, int64_t *id, struct perr *e)
{
	char key[512];
	subject_key(name, key, sizeof key);
	struct stmt *st = store_prepare(s, "SELECT subject_id FROM subjects WHERE name_key = ?", e);
	if (!st)
		return e->status;
	stmt_bind_text(st, 1, key);
	int rc = stmt_step(st, e);
	if (rc < 0)
		return -rc;
	*id = rc ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	return 0;
}

int subject_ensure(struct ctx *c, const char *name, int64_t *id, int *created, struct perr *e)
{
	int rc = subject_find(c->store, name, id, e);
	*created = 0;
	if (rc || *id)
		return rc;
	char key[512], clean[512];
	subject_key(name, key, sizeof key);
	str_copy(clean, sizeof clean, name);
	str_trim(clean);
	struct change ch;
	change_begin(&ch, c, "insert", "subject", clean);
	change_field(&ch, "name", NULL, clean);
	if ((rc = change_commit(&ch, NULL, e)))
		return rc;
	struct stmt *st = store_prepare(c->store, "INSERT INTO subjects (name, name_key) VALUES (?, ?) RETURNING subject_id", e);
	if (!st)
		return e->status;
	stmt_bind_text(st, 1, clean);
	stmt_bind_text(st, 2, key);
	rc = stmt_step(st, e);
	if (rc < 0)
		return -rc;
	*id = stmt_int(st, 0);
	stmt_reset(st);
	*created = 1;
	return 0;
}

int subject_name(struct store *s, int64_t id, char *out, size_t n, struct perr *e)
{
	struct stmt *st = store_prepare(s, "SELECT name FROM subjects WHERE subject_id = $1", e);
	if (!st)
		return e->status;
	stmt_bind_int(st, 1, id);
	int rc = stmt_step(st, e);
	if (rc == 1)
		str_copy(out, n, stmt_text(st, 0));
	else
		snprintf(out, n, "%lld", (long long)id);
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}
