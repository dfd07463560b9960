/*
 * known.h: the class, subject and period a command names (--class, --subject,
 * --period) checked against the store. One it does not have is 65 naming the
 * ones it has, so a typo is an error with its fix, never an empty table.
 */
#ifndef PORTAL_KNOWN_H
#define PORTAL_KNOWN_H

#include <stdint.h>
#include "store.h"

/* cls in canonical form (value_class); opt names it in the message ("--class"). */
int known_class(struct store *s, const char *opt, const char *cls, struct perr *e);
/* The subject however it is typed; *id its id. */
int known_subject(struct store *s, const char *opt, const char *name, int64_t *id, struct perr *e);
/* The period and its first and last date. */
int known_period(struct store *s, const char *opt, const char *name, char start[11], char end[11], struct perr *e);

#endif
