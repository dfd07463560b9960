/*
 * complete.c: look-ups for shell completion: one statement each over the
 * store's small tables, and the keys and fields lib/ defines.
 */
#include <stdio.h>
#include <string.h>

#include "actor.h"
#include "audit.h"
#include "complete.h"
#include "config.h"
#include "import.h"
#include "roster.h"
#include "util.h"

/* People's ids and logins for an actor who may not read everything: the class rides along, and
 * only those of the classes the actor leads are offered (rights hold in completion too). */
static const char *const scoped_sql[] = {
	[LOOKUP_STUDENTS] = "SELECT student_id, class FROM students WHERE status = 'active' ORDER BY student_id",
	[LOOKUP_GUARDIANS] = "SELECT l.guardian_id, s.class FROM guardian_links l JOIN students s "
		"ON s.student_id = l.student_id WHERE " FACT_VALID("l") " ORDER BY l.guardian_id",
	[LOOKUP_LOGINS] = "SELECT a.login, s.class FROM accounts a JOIN students s ON a.kind = 'student' "
		"AND s.student_id = a.person_id UNION ALL SELECT a.login, s.class FROM accounts a JOIN guardian_links l "
		"ON a.kind = 'guardian' AND l.guardian_id = a.person_id JOIN students s ON s.student_id = l.student_id "
		"ORDER BY 1",
};

static const char *const lookup_sql[] = {
	[LOOKUP_CLASSES] = "SELECT name FROM classes ORDER BY sort_key, name",
	[LOOKUP_PERIODS] = "SELECT name FROM periods ORDER BY start_date",
	[LOOKUP_SUBJECTS] = "SELECT name FROM subjects ORDER BY name",
	[LOOKUP_STUDENTS] = "SELECT student_id FROM students WHERE status = 'active' ORDER BY student_id",
	[LOOKUP_GUARDIANS] = "SELECT guardian_id FROM guardians ORDER BY guardian_id",
	[LOOKUP_LOGINS] = "SELECT login FROM accounts ORDER BY login",
	[LOOKUP_STAFF_LOGINS] = "SELECT login FROM staff WHERE login IS NOT NULL ORDER BY login",
};

static int begins(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

struct lookup {
	const char *prefix;
	complete_fn fn;
	void *ctx;
	const struct actor *actor;	/* scoped: only rows of a class the actor leads */
	char last[128];			/* the word offered last: a guardian of two children once */
};

/* The prefix is matched here, not in SQL: LIKE would take '_' and '%' in it for patterns. */
static int lookup_row(void *p, const char *const *vals, size_t n)
{
	struct lookup *l = p;
	if (!vals[0] || !begins(vals[0], l->prefix))
		return 0;
	if (l->actor && (n < 2 || !actor_leads(l->actor, vals[1] ? vals[1] : "") || strcmp(l->last, vals[0]) == 0))
		return 0;
	str_copy(l->last, sizeof l->last, vals[0]);
	l->fn(l->ctx, vals[0], NULL);
	return 0;
}

int complete_lookup(struct store *s, const struct actor *a, enum complete_lookup what, const char *prefix,
		    complete_fn fn, void *ctx, struct perr *e)
{
	struct lookup l = { prefix, fn, ctx, NULL, "" };
	if (what <= LOOKUP_NONE || what > LOOKUP_STAFF_LOGINS)
		return 0;
	if (what < (int)(sizeof scoped_sql / sizeof *scoped_sql) && scoped_sql[what] && !actor_may_read_all(a)) {
		l.actor = a;
		return store_rows(s, e, lookup_row, &l, scoped_sql[what]);
	}
	return store_rows(s, e, lookup_row, &l, lookup_sql[what]);
}

void complete_config_keys(const char *prefix, complete_fn fn, void *ctx)
{
	for (size_t i = 0; i < config_key_count; i++)
		if (begins(config_keys[i].key, prefix))
			fn(ctx, config_keys[i].key, config_keys[i].about);
}

int complete_config_is_path(const char *key)
{
	return strcmp(key, "audit.witness") == 0;	/* config_set wants an absolute path there */
}

/* The fields with a fixed set of values (SPEC §4). */
static const struct {
	const char *field;
	const char *values[5];
} field_values[] = {
	{ "status", { "active", "left" } },
	{ "relation", { "mother", "father", "guardian", "other" } },
	{ "role", { "admin", "deputy", "class_leader", "teacher" } },
};

static void field_value_words(const char *word, const char *eq, complete_fn fn, void *ctx)
{
	char buf[128];
	size_t flen = (size_t)(eq - word);
	for (size_t i = 0; i < sizeof field_values / sizeof *field_values; i++) {
		if (strlen(field_values[i].field) != flen || strncmp(field_values[i].field, word, flen) != 0)
			continue;
		for (const char *const *v = field_values[i].values; *v; v++)
			if (begins(*v, eq + 1)) {
				snprintf(buf, sizeof buf, "%.*s=%s", (int)flen, word, *v);
				fn(ctx, buf, NULL);
			}
	}
}

/* Adds the fields of kind k that set changes (not the id, not login) and no earlier kind had. */
static void kind_fields(const struct import_kind *k, const char *word, const char *seen[], int *nseen,
			complete_fn fn, void *ctx)
{
	char buf[128];
	for (size_t c = 1; c < k->ncols; c++) {
		const char *name = k->cols[c].name;
		int dup = strcmp(name, "login") == 0 || strcmp(name, "student_id") == 0;
		for (int i = 0; !dup && i < *nseen; i++)
			dup = strcmp(seen[i], name) == 0;
		if (dup || !begins(name, word))
			continue;
		seen[(*nseen)++] = name;
		snprintf(buf, sizeof buf, "%s=", name);
		fn(ctx, buf, NULL);
	}
}

void complete_person_fields(const char *kind, const char *word, complete_fn fn, void *ctx)
{
	const char *eq = strchr(word, '=');
	if (eq) {
		field_value_words(word, eq, fn, ctx);
		return;
	}
	const struct import_kind *kinds[] = { &roster_update_students, &roster_update_guardians, &roster_update_staff };
	const char *names[] = { "student", "guardian", "staff" };
	const char *seen[64];
	int nseen = 0, any = 1;
	for (int i = 0; kind && i < 3; i++)
		any &= strcmp(kind, names[i]) != 0;
	for (int i = 0; i < 3; i++)
		if (any || strcmp(kind, names[i]) == 0)
			kind_fields(kinds[i], word, seen, &nseen, fn, ctx);
}
