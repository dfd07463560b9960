/*
 * witness.h: the audit chain anchored outside the store. The witness file (the
 * audit.witness setting) is only ever appended to, one line per head:
 *
 *	SEQ HASH TIME		e.g. "17 3f…(64 hex)…a0 2026-11-28T09:00:00Z"
 *
 * the head's record number, its SHA-256 as audit_head holds it, and the UTC time it
 * was written. Whoever can write the store can recompute the chain, but not take
 * back a head already in the witness: check finds every witnessed head in the chain.
 */
#ifndef PORTAL_WITNESS_H
#define PORTAL_WITNESS_H

#include <stddef.h>
#include "store.h"

/* The store's witness file: "" when audit.witness is not set. */
int witness_path(struct store *s, char *out, size_t outlen, struct perr *e);

/* Creates the witness (mode 0600) when it is missing and opens it for appending, so a path
 * that cannot be written is found before anything is committed: 73. *nonempty = 1 when it
 * already holds something. */
int witness_probe(const char *path, int *nonempty, struct perr *e);

/* Appends the chain's head to path, fsync'd (74 when it cannot), and to syslog when
 * audit.syslog is 1. now is the UTC time of the line. */
int witness_append(struct store *s, const char *path, const char *now, struct perr *e);

/* After a committed write: appends the head to the store's witness when one is set and its
 * last line is not this head already. 74 naming the file when it cannot. */
int witness_follow(struct store *s, const char *now, struct perr *e);

/* Every line of the witness at path names a record still in the chain with the same hash and
 * no record past the head: 65 naming the line and the seq; 66 when the file cannot be read.
 * *heads = the lines checked. Run after audit_verify has found the chain itself unbroken. */
int witness_verify(struct store *s, const char *path, long *heads, struct perr *e);

/* 65 when audit.witness differs from the value its last audit record set (the setting was
 * removed or changed outside portal, to silence check). */
int witness_setting_verify(struct store *s, struct perr *e);

#endif
