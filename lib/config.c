/*
 * config.c: settings kept in the store's config table; a key not set there
 * has its default from the table below. Every change is audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "config.h"
#include "values.h"

const struct config_key config_keys[] = {
	{ "school.name", "", "the school's name, as documents print it" },
	{ "school.address", "", "the school's address" },
	{ "school.director", "", "the school head's name" },
	{ "portal.url", "", "the address of the school portal, printed on credential slips" },
	{ "support.contact", "", "where a leaked login is reported (e-mail or phone of support)" },
	{ "mail.from", "", "the sender address of e-mail to parents" },
	{ "mail.sendmail", "/usr/sbin/sendmail -oi -t", "the sendmail-compatible program mail leaves through" },
	{ "school.timezone", "Europe/Moscow", "the school's time zone (IANA name)" },
	{ "grading.thresholds", "2.5,3.5,4.5", "the averages from which a period mark is 3, 4 and 5" },
	{ "audit.witness", "", "a file kept apart from the store: each new audit head is appended to it" },
	{ "audit.syslog", "0", "1: each new audit head goes to syslog too" },
	{ "web.session_idle", "1800", "seconds a web session lasts without a request" },
	{ "web.session_max", "43200", "seconds a web session lasts at most from its login" },
	{ "web.insecure_cookie", "0", "1: the session cookie goes without Secure (plain HTTP tests on 127.0.0.1 only)" },
};
const size_t config_key_count = sizeof config_keys / sizeof *config_keys;

const struct config_key *config_find(const char *key)
{
	for (size_t i = 0; i < config_key_count; i++)
		if (strcmp(config_keys[i].key, key) == 0)
			return &config_keys[i];
	return NULL;
}

int config_get(struct store *s, const char *key, char *out, size_t outlen, struct perr *e)
{
	const struct config_key *k = config_find(key);
	int rc = store_get(s, e, "SELECT value FROM config WHERE key = $1", P_TEXT(key), INTO_TEXT(out, outlen));
	if (rc < 0)
		return -rc;
	if (!rc)
		str_copy(out, outlen, k ? k->def : "");
	return 0;
}

static int check_thresholds(const char *v)
{
	double t[3];
	char tail;
	if (sscanf(v, "%lf,%lf,%lf%c", &t[0], &t[1], &t[2], &tail) != 3)
		return -1;
	return (t[0] > 1 && t[0] < t[1] && t[1] < t[2] && t[2] < 5) ? 0 : -1;
}

static int check_timezone(const char *v)
{
	char path[512];
	if (!*v || strstr(v, "..") || v[0] == '/')
		return -1;
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", v);
	return access(path, R_OK) == 0 ? 0 : -1;
}

static int check_seconds(const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);
	return *v && !*end && n >= 60 && n <= 604800 ? 0 : -1;
}

static int check_value(const char *key, const char *value, struct perr *e)
{
	char buf[256];
	const char *why = NULL;
	if (strcmp(key, "grading.thresholds") == 0 && check_thresholds(value))
		return perr_set(e, EX_DATAERR, "grading.thresholds: \"%s\" is not three rising averages between 1 and 5 (expected e.g. 2.5,3.5,4.5)", value);
	if (strcmp(key, "school.timezone") == 0 && check_timezone(value))
		return perr_set(e, EX_DATAERR, "school.timezone: \"%s\" is not a time zone (expected an IANA name, e.g. Europe/Moscow)", value);
	if (strcmp(key, "mail.from") == 0 && *value && value_email(value, buf, sizeof buf, &why))
		return perr_set(e, EX_DATAERR, "mail.from: \"%s\" %s", value, why);
	if (strcmp(key, "mail.sendmail") == 0 && str_blank(value))
		return perr_set(e, EX_DATAERR, "mail.sendmail: empty (expected a sendmail-compatible program and its options, "
				"e.g. /usr/sbin/sendmail -oi -t)");
	if (strcmp(key, "audit.witness") == 0 && *value && value[0] != '/')
		return perr_set(e, EX_DATAERR, "audit.witness: \"%s\" is not an absolute path (expected e.g. /var/log/portal/witness)", value);
	if (strcmp(key, "audit.syslog") == 0 && strcmp(value, "0") && strcmp(value, "1"))
		return perr_set(e, EX_DATAERR, "audit.syslog: \"%s\" (expected 1 to log each new audit head, 0 not to)", value);
	if ((strcmp(key, "web.session_idle") == 0 || strcmp(key, "web.session_max") == 0) && check_seconds(value))
		return perr_set(e, EX_DATAERR, "%s: \"%s\" is not a number of seconds (expected 60 to 604800)", key, value);
	if (strcmp(key, "web.insecure_cookie") == 0 && strcmp(value, "0") && strcmp(value, "1"))
		return perr_set(e, EX_DATAERR, "web.insecure_cookie: \"%s\" (expected 0, or 1 for tests over plain HTTP)", value);
	if (strcmp(key, "portal.url") == 0 && *value && strncmp(value, "https://", 8) && strncmp(value, "http://", 7))
		return perr_set(e, EX_DATAERR, "portal.url: \"%s\" is not an address (expected https://…)", value);
	return 0;
}

int config_set(struct ctx *c, const char *key, const char *value, struct perr *e)
{
	char old[1024];
	int rc;
	if (!config_find(key))
		return perr_set(e, EX_USAGE, "%s: no such setting (see portal-db config)", key);
	if ((rc = check_value(key, value, e)) || (rc = config_get(c->store, key, old, sizeof old, e)))
		return rc;
	if ((rc = store_run(c->store, e,
			    "INSERT INTO config (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			    P_TEXT(key), P_TEXT(value))))
		return rc;
	struct change ch;
	change_begin(&ch, c, "update", "config", key);
	change_field(&ch, "value", old, value);
	return change_commit(&ch, NULL, e);
}
