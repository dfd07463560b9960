/*
 * audit.h: the audit log. Every write appends one record per object it
 * changed (time, actor, tool, action, object, what changed old → new); the
 * records form a SHA-256 hash chain that portal-db check verifies.
 */
#ifndef PORTAL_AUDIT_H
#define PORTAL_AUDIT_H

#include <stdint.h>
#include "ctx.h"
#include "util.h"

/* Appends a record inside the caller's write transaction; *seq = its number. */
int audit_append(struct ctx *c, const char *object, const char *detail, int64_t *seq, struct perr *e);

/* The number the next appended record will get (inside the caller's write transaction). */
int audit_next_seq(struct ctx *c, int64_t *seq, struct perr *e);

/* Walks the chain; 65 naming the first record that was altered or removed. *count = records checked. */
int audit_verify(struct store *s, long *count, struct perr *e);

/* The chain's head as audit_head holds it: seq 0 and 64 zeros for an empty log. */
int audit_head(struct store *s, int64_t *seq, char hash[65], struct perr *e);

/* Declares record seq invalid: an audit record of its own (object audit:SEQ, detail with the
 * reason and by_seq) and the audit_invalid row, so the marks are covered by the chain. */
int audit_invalidate(struct ctx *c, int64_t seq, const char *reason, int64_t by_seq, struct perr *e);

/* 65 unless audit_invalid holds exactly the invalidations recorded in the chain, naming the seq. */
int audit_verify_invalid(struct store *s, struct perr *e);
/* Appends the invalidation record of every audit_invalid mark that has none (marks made before
 * invalidations were records of the chain); *added = how many. In the caller's write transaction. */
int audit_chain_old_invalidations(struct ctx *c, long *added, struct perr *e);

/* SQL condition for a fact whose audit_seq column is ALIAS.audit_seq: it still counts (the one
 * spelling of it). The uncorrelated EXISTS is computed once per statement, so a store without
 * any invalid record pays nothing per row; a fact with no audit record counts. */
#define FACT_VALID(alias) \
	"(NOT EXISTS (SELECT 1 FROM audit_invalid) OR " alias ".audit_seq IS NULL OR " \
	alias ".audit_seq NOT IN (SELECT seq FROM audit_invalid))"

/* The lock reason of an account whose password a leaked login set: "breach:LOGIN". */
#define BREACH_LOCK_PREFIX "breach:"
/* The lock reason of an account that a leaked login issued (stores before "breach:LOGIN"). */
#define LEAK_ISSUED "issued with a leaked login"
/* SQL condition on an account row ALIAS (LEFT JOINed: NULL for none): an account that counts, one
 * that no leaked login issued or set the password of (plain issue replaces those). */
#define ACCOUNT_COUNTS(alias) \
	"(" alias ".login IS NOT NULL AND COALESCE(" alias ".locked_reason, '') NOT LIKE '" BREACH_LOCK_PREFIX "%' " \
	"AND COALESCE(" alias ".locked_reason, '') <> '" LEAK_ISSUED "')"

/* Collects the field changes of one object into one audit record. */
struct change {
	struct ctx *ctx;
	const char *op;		/* insert | update | left | ... */
	const char *kind;	/* student | guardian | staff | ... */
	char object[160];	/* kind:id */
	const char *id;
	struct sbuf detail;	/* JSON */
	int nfields;
	struct change_sink *sink;	/* where the fields are shown (--dry-run): the ctx's, unless the caller sets one */
};
void change_begin(struct change *ch, struct ctx *c, const char *op, const char *kind, const char *id);
/* Notes field: old → new, when they differ (NULL and "" are the same). Returns 1 when it differed. */
int change_field(struct change *ch, const char *field, const char *old, const char *new_);
/* Writes the audit record when anything changed (*seq = 0 otherwise); frees the detail. */
int change_commit(struct change *ch, int64_t *seq, struct perr *e);
void change_discard(struct change *ch);

/* Appends s as a JSON string literal. */
void sbuf_add_json(struct sbuf *b, const char *s);

#endif
