/*
 * store.h: the only door to the database. Callers prepare statements with
 * '?' parameters in SQL that PostgreSQL also accepts, bind, step and read
 * columns; nothing outside lib/store.c includes sqlite3.h.
 */
#ifndef PORTAL_STORE_H
#define PORTAL_STORE_H

#include <stdint.h>
#include "err.h"

struct store;
struct stmt;

enum {
	STORE_CREATE = 1 << 0,	/* make a new store; fails (73) when the file exists */
	STORE_ANY_SCHEMA = 1 << 1,	/* open even when the schema is older (portal-db migrate) */
	STORE_READONLY = 1 << 2,
	STORE_ANY_VERSION = 1 << 3,	/* open whatever the schema (portal-db version only reads it) */
};

/* Opens (or creates) the store at path. Status: 66 missing, 73 cannot create,
 * 78 schema older ("run portal-db migrate") or newer than this binary. */
int store_open(const char *path, int flags, struct store **out, struct perr *e);
void store_close(struct store *s);

int store_schema_version(struct store *s);
int store_binary_schema_version(void);
/* Applies the embedded migrations the store lacks, in one transaction. *applied = how many. */
int store_migrate(struct store *s, int *applied, struct perr *e);

/* BEGIN IMMEDIATE: waits for other writers up to the busy timeout, then 75. */
int store_begin_write(struct store *s, struct perr *e);
int store_begin_read(struct store *s, struct perr *e);
int store_commit(struct store *s, struct perr *e);
void store_rollback(struct store *s);
int store_in_transaction(struct store *s);
/* 1 once a write transaction of this connection was committed (the audit head may have moved). */
int store_wrote(struct store *s);
/* Counts the transactions begun on this connection: what was read in an earlier one may be stale. */
int store_tx_serial(struct store *s);
/* A second connection in a read transaction that sees the same commit as s (in a read
 * transaction that has read), for a scan split across threads: *out stays NULL when a writer
 * committed in between (read on s alone). A twin is used by one thread and closed with
 * store_close. */
int store_twin(struct store *s, struct store **out, struct perr *e);

/* Runs SQL without results (several statements allowed). */
int store_exec(struct store *s, const char *sql, struct perr *e);

/* Statements are cached by their SQL text for the life of the store:
 * preparing the same text again returns the same statement, reset. */
struct stmt *store_prepare(struct store *s, const char *sql, struct perr *e);
void stmt_bind_text(struct stmt *st, int i, const char *v);	/* NULL binds NULL */
/* Binds without copying: v must stay as it is until the statement is reset. */
void stmt_bind_text_static(struct stmt *st, int i, const char *v);
void stmt_bind_int(struct stmt *st, int i, int64_t v);
void stmt_bind_double(struct stmt *st, int i, double v);
void stmt_bind_null(struct stmt *st, int i);
/* 1 a row, 0 done, <0 error (e filled; 75 when busy). */
int stmt_step(struct stmt *st, struct perr *e);
/* Steps to the end; 0 or a status. */
int stmt_run(struct stmt *st, struct perr *e);
void stmt_reset(struct stmt *st);
int stmt_columns(struct stmt *st);
const char *stmt_colname(struct stmt *st, int i);
const char *stmt_text(struct stmt *st, int i);		/* NULL when NULL */
int64_t stmt_int(struct stmt *st, int i);
double stmt_double(struct stmt *st, int i);
int stmt_isnull(struct stmt *st, int i);
int store_changes(struct store *s);

/* The owner of the store's file: 0 and *uid, or -1 when the store is no file of this machine. */
int store_file_owner(struct store *s, long *uid);

/* Online consistent copy to a new file (mode 0600; 73 when it exists). */
int store_backup(struct store *s, const char *path, struct perr *e);
/* PRAGMA integrity_check; 65 with the first problem. */
int store_check_integrity(struct store *s, struct perr *e);
/* PRAGMA foreign_key_check; 65 with the first broken reference. */
int store_check_references(struct store *s, struct perr *e);

#endif
