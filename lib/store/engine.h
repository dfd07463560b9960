/*
 * store/engine.h: what an engine behind store.h provides, as a table of functions
 * (curl's lib/vtls/ keeps its TLS backends the same way). lib/store/engine.c
 * implements store.h on it: it picks the engine by the store's name (a
 * postgresql:// or postgres:// URI is PostgreSQL, anything else a SQLite path),
 * keeps the statement cache and the transaction bookkeeping every engine shares,
 * and calls the engine for the rest. lib/store/sqlite.c and lib/store/pg.c are
 * the engines; nothing outside lib/store/ includes this file.
 */
#ifndef PORTAL_STORE_ENGINE_H
#define PORTAL_STORE_ENGINE_H

#include <stdint.h>

#include "store.h"

#define STORE_STMT_BUCKETS 64
#define STORE_MAX_PARAMS 32

/* The part of a store every engine shares; an engine's own store begins with it. */
struct store {
	const struct engine *eng;
	char *where;		/* the file, or the URI without its password: for messages */
	int in_tx;
	int write_tx;		/* the open transaction is a writer's */
	int wrote;		/* a writer's transaction was committed */
	int retryable;		/* the last failure may pass when run again (store_retryable) */
	int tx_serial;		/* transactions begun on this connection */
	int closing;		/* store_close finalizes the statements: the connection ends anyway */
	struct stmt *cache[STORE_STMT_BUCKETS];
};

/* The part of a statement every engine shares; an engine's own statement begins with it. */
struct stmt {
	const struct engine *eng;
	struct store *store;
	char *sql;
	int nparams;		/* the highest $N of the SQL */
	struct stmt *next;	/* in its bucket of the cache */
};

struct engine {
	const char *name;
	/* where is the store's name as the user gave it; flags as store_open's */
	int (*open)(const char *where, int flags, struct store **out, struct perr *e);
	void (*close)(struct store *s);		/* the statements are finalized already */
	void (*discard)(struct store *s);	/* removes what open with STORE_CREATE made */
	int (*schema_version)(struct store *s);		/* -1 when it cannot be read */
	/* the migrations after version from, inside the open write transaction */
	int (*apply_migrations)(struct store *s, int from, int *applied, struct perr *e);
	int (*begin)(struct store *s, int write, struct perr *e);
	int (*commit)(struct store *s, int durable, struct perr *e);
	void (*rollback)(struct store *s);
	int (*twin)(struct store *s, struct store **out, struct perr *e);
	int (*exec)(struct store *s, const char *sql, struct perr *e);
	int (*changes)(struct store *s);
	int (*file_owner)(struct store *s, long *uid);
	int (*role)(struct store *s, char *name, size_t n);	/* NULL: the engine has no roles */
	int (*backup)(struct store *s, const char *path, struct perr *e);
	int (*check_integrity)(struct store *s, struct perr *e);
	int (*check_references)(struct store *s, struct perr *e);

	/* bulk loading (may be NULL: engine.c then INSERTs a row at a time); one load at a time. A
	 * tentative load (store_load_try) goes in whole or is taken back: by another statement, a row
	 * refused, or load_end with abort; load_row then drops its rows and load_taken_back says 1 */
	void *(*load_begin)(struct store *s, const char *table, const char *const *cols, int ncols, int tentative,
			    struct perr *e);
	int (*load_row)(struct store *s, void *load, const char *const *vals, struct perr *e);
	int (*load_end)(struct store *s, void *load, int abort, struct perr *e);	/* frees load */
	int (*load_taken_back)(struct store *s, void *load);

	/* a new statement with its shared part filled but for next (NULL with e filled) */
	struct stmt *(*prepare)(struct store *s, const char *sql, struct perr *e);
	void (*finalize)(struct stmt *st);
	void (*bind_text)(struct stmt *st, int i, const char *v, int copy);	/* v not NULL */
	void (*bind_int)(struct stmt *st, int i, int64_t v);
	void (*bind_double)(struct stmt *st, int i, double v);
	void (*bind_null)(struct stmt *st, int i);
	int (*step)(struct stmt *st, struct perr *e);
	void (*rewind)(struct stmt *st);	/* back before the first row, bindings kept */
	void (*unbind)(struct stmt *st);
	int (*columns)(struct stmt *st);
	const char *(*colname)(struct stmt *st, int i);
	const char *(*text)(struct stmt *st, int i);
	int64_t (*int64)(struct stmt *st, int i);
	double (*dbl)(struct stmt *st, int i);
	int (*isnull)(struct stmt *st, int i);
};

extern const struct engine engine_sqlite;
extern const struct engine engine_pg;

/* For the engines' open: the schema's version against the binary's, as flags ask (78 when
 * they differ, with what to do). */
int engine_check_version(struct store *s, int flags, struct perr *e);

/* How long a writer waits for another, in ms: PORTAL_BUSY_TIMEOUT, else 30 s (SQLite's busy
 * timeout, PostgreSQL's lock_timeout on the school's lock). */
int engine_busy_timeout_ms(void);

#endif
