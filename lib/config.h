/*
 * config.h: the store's settings (portal-db config), with their defaults.
 */
#ifndef PORTAL_CONFIG_H
#define PORTAL_CONFIG_H

#include <stddef.h>
#include "ctx.h"

struct config_key {
	const char *key;
	const char *def;	/* default value */
	const char *about;
};
extern const struct config_key config_keys[];
extern const size_t config_key_count;

const struct config_key *config_find(const char *key);
/* The value in the store, else the default; out gets "" for an unset key without one. */
int config_get(struct store *s, const char *key, char *out, size_t outlen, struct perr *e);
/* Checks the value for the key (65 with what was expected), stores and audits it. */
int config_set(struct ctx *c, const char *key, const char *value, struct perr *e);

#endif
