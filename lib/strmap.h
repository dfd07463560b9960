/*
 * strmap.h: a string → long map (open addressing), for "seen on line N" checks
 * inside one import.
 */
#ifndef PORTAL_STRMAP_H
#define PORTAL_STRMAP_H

#include <stddef.h>

struct strmap {
	char **keys;
	long *vals;
	size_t cap, n;
};

void strmap_init(struct strmap *m);
void strmap_free(struct strmap *m);
/* The value of key, or -1 when absent. */
long strmap_get(const struct strmap *m, const char *key);
void strmap_put(struct strmap *m, const char *key, long val);
/* Iteration: keys[i] non-NULL for i < cap. */

#endif
