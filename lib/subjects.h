/*
 * subjects.h: one subject however it is typed ("математика ", "Математика").
 */
#ifndef PORTAL_SUBJECTS_H
#define PORTAL_SUBJECTS_H

#include <stdint.h>
#include "ctx.h"

/* Lowercased, trimmed, inner spaces collapsed. */
void subject_key(const char *name, char *out, size_t n);
/* Finds the subject; *id = 0 when there is none. */
int subject_find(struct store *s, const char *name, int64_t *id, struct perr *e);
/* Finds or creates (audited) the subject; *created = 1 when it is new. */
int subject_ensure(struct ctx *c, const char *name, int64_t *id, int *created, struct perr *e);

/* The subject's name (its id when there is no such subject). */
int subject_name(struct store *s, int64_t id, char *out, size_t n, struct perr *e);

#endif
