/*
 * schema.h: the store's migrations, embedded from share/schema/NNN-*.sql at build time.
 */
#ifndef PORTAL_SCHEMA_H
#define PORTAL_SCHEMA_H

struct migration {
	int version;		/* NNN of the file name; PRAGMA user_version after it */
	const char *name;
	const char *sql;
};

/* SQLite's dialect: the PostgreSQL engine translates each (lib/store/pgddl.h) */
extern const struct migration schema_migrations[];
extern const int schema_migration_count;

#endif
