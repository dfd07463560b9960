/*
 * ctx.h: what one command works with: the store, who acts, the clock, and
 * where its changes are reported. The binary fills it; lib/ only reads it.
 */
#ifndef PORTAL_CTX_H
#define PORTAL_CTX_H

#include <stdint.h>
#include "store.h"

struct actor {
	char staff_id[64];
	char login[64];
	char role[16];		/* admin | deputy | class_leader | teacher */
	char name[192];
	char **classes;		/* classes led */
	size_t nclasses;
};

/* A change to one field, as --dry-run shows it: op,kind,id,field,old,new. */
struct change_sink {
	void (*emit)(void *ctx, const char *op, const char *kind, const char *id,
		     const char *field, const char *old, const char *new_);
	void *ctx;
};

struct ctx {
	struct store *store;
	const char *tool;		/* portal-accounts */
	const char *action;		/* import students */
	struct actor *actor;		/* NULL for commands that need none */
	char now[21];			/* UTC timestamp of this command (PORTAL_NOW or the clock) */
	long long now_epoch;
	char today[11];			/* the school's local date */
	int dry_run;
	int picked;			/* the people given as ids are in the table picked (ids.h): a list of
					 * people keeps to them */
	struct change_sink *changes;	/* optional: every field change is shown here too */
	/* audit chain head, read once per transaction */
	int head_loaded;		/* the store_tx_serial() it was read in; 0 never */
	int64_t head_seq;
	char head_hash[65];
};

#endif
