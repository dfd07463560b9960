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

extern const struct migration schema_migrations[];
/* the same versions for PostgreSQL: share/schema/pg/NNN-name.sql where the dialects differ */
extern const struct migration schema_migrations_pg[];
extern const int schema_migration_count;

#endif
