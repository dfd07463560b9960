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
	int rc = store_get(s, e, "SELECT subject_id FROM subjects WHERE name_key = $1", P_TEXT(key), INTO_INT(id));
	return rc < 0 ? -rc : 0;
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
	rc = store_get(c->store, e, "INSERT INTO subjects (name, name_key) VALUES ($1, $2) RETURNING subject_id",
		       P_TEXT(clean), P_TEXT(key), INTO_INT(id));
	if (rc < 0)
		return -rc;
	*created = 1;
	return 0;
}

int subject_name(struct store *s, int64_t id, char *out, size_t n, struct perr *e)
{
	int rc = store_get(s, e, "SELECT name FROM subjects WHERE subject_id = $1", P_INT(id), INTO_TEXT(out, n));
	if (rc != 1)
		snprintf(out, n, "%lld", (long long)id);
	return rc < 0 ? -rc : 0;
}
