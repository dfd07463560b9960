/*
 * complete.h: the values a shell completion offers that the binaries do not
 * hold in their verb tables: those in the store (classes, periods, subjects,
 * student and guardian ids, logins) and those lib/ knows (config keys, the
 * fields set changes). One cheap query a look-up; the caller stays silent on
 * any error, so a shell never sees one.
 */
#ifndef PORTAL_COMPLETE_H
#define PORTAL_COMPLETE_H

#include "ctx.h"
#include "err.h"
#include "store.h"

enum complete_lookup {
	LOOKUP_NONE,
	LOOKUP_CLASSES,
	LOOKUP_PERIODS,
	LOOKUP_SUBJECTS,
	LOOKUP_STUDENTS,	/* student ids */
	LOOKUP_GUARDIANS,	/* guardian ids */
	LOOKUP_LOGINS,		/* every account's login */
	LOOKUP_STAFF_LOGINS,	/* who may act (--actor) */
};

/* Called once per candidate; about may be NULL. */
typedef void (*complete_fn)(void *ctx, const char *word, const char *about);

/* The values of what in s that begin with prefix, in the store's order. People's ids and logins
 * only as far as the actor a may read them: all for an admin or deputy, else those of the
 * classes a leads. */
int complete_lookup(struct store *s, const struct actor *a, enum complete_lookup what, const char *prefix,
		    complete_fn fn, void *ctx, struct perr *e);
/* The config keys that begin with prefix, with what each is for. */
void complete_config_keys(const char *prefix, complete_fn fn, void *ctx);
/* 1 when the value of a config key is a file name (audit.witness). */
int complete_config_is_path(const char *key);
/* "set ID FIELD=VALUE": with no '=' in word, the fields set changes for a person of kind
 * (student, guardian, staff; NULL or unknown: every kind) as "field="; after "field=", the
 * field's fixed values as "field=value". Only those that begin with word. */
void complete_person_fields(const char *kind, const char *word, complete_fn fn, void *ctx);

#endif
