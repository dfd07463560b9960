/*
 * store.h: the only door to the database. Callers write SQL that both engines
 * accept, with numbered parameters ($1, $2 …), and run it through the helpers
 * below (or prepare, bind, step and read columns themselves in a hot loop). The
 * helpers (lib/store.c) are built on the statement primitives, which an engine
 * in lib/store/ provides (engine.h): lib/store/sqlite.c, the only file that
 * includes sqlite3.h, and lib/store/pg.c, the only one that includes libpq-fe.h.
 */
#ifndef PORTAL_STORE_H
#define PORTAL_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"

struct store;
struct stmt;

enum {
	STORE_CREATE = 1 << 0,	/* make a new store; fails (73) when the file exists */
	STORE_ANY_SCHEMA = 1 << 1,	/* open even when the schema is older (portal-db migrate) */
	STORE_READONLY = 1 << 2,
	STORE_ANY_VERSION = 1 << 3,	/* open whatever the schema (portal-db version only reads it) */
	/* Commits without waiting for the disk (synchronous = NORMAL in WAL): a killed process loses
	 * nothing, an OS crash or power cut may lose the last commits but never corrupts. For the web
	 * server only; the other tools' FULL commits sync the WAL, and so these frames before them. */
	STORE_FAST_COMMIT = 1 << 4,
};

/* Opens (or creates) the store at path: a SQLite file, or a PostgreSQL school as libpq's URI
 * (postgresql://… or postgres://…, the school's schema as school=NAME or the search path).
 * Status: 66 missing, 73 cannot create, 69 no server, 78 schema older ("run portal-db
 * migrate") or newer than this binary. */
int store_open(const char *path, int flags, struct store **out, struct perr *e);
void store_close(struct store *s);
/* Closes a store that store_open has just created and removes it: a failed init leaves nothing. */
void store_discard(struct store *s);

int store_schema_version(struct store *s);
int store_binary_schema_version(void);
/* Applies the embedded migrations the store lacks, in one transaction. *applied = how many. */
int store_migrate(struct store *s, int *applied, struct perr *e);

/* BEGIN IMMEDIATE: waits for other writers up to the busy timeout, then 75. */
int store_begin_write(struct store *s, struct perr *e);
int store_begin_read(struct store *s, struct perr *e);
int store_commit(struct store *s, struct perr *e);
/* Commits waiting for the disk even on a connection opened with STORE_FAST_COMMIT: for a commit
 * whose audit head then goes to the witness, which must never name a head the disk lacks. */
int store_commit_durable(struct store *s, struct perr *e);
void store_rollback(struct store *s);
int store_in_transaction(struct store *s);
/* 1 when the last failure (75) was the engine refusing a transaction for another's sake (a
 * PostgreSQL serialization failure or deadlock): the same transaction may succeed if run again. */
int store_retryable(struct store *s);
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
/* For the helpers of lib/store.c: back to the first row keeping the bindings, drop the
 * bindings, the highest $N of the SQL, the SQL itself (for messages). */
void stmt_rewind(struct stmt *st);
void stmt_unbind(struct stmt *st);
int stmt_nparams(const struct stmt *st);
const char *stmt_sql(const struct stmt *st);

/* ---- statements that read like their SQL ----
 * The SQL is followed by its parameters, $1 first, each with its type, and (for store_get)
 * where the row's columns go:
 *	rc = store_run(s, e, "UPDATE staff SET role = $2 WHERE staff_id = $1", P_TEXT(id), P_TEXT(role));
 *	rc = store_get(s, e, "SELECT start_date, end_date FROM periods WHERE name = $1", P_TEXT(name),
 *		       INTO_TEXT(start, 11), INTO_TEXT(end, 11));
 * The number of parameters must be the SQL's highest $N and a row must have a column for each
 * INTO_ (70 otherwise: a mistake of the code). Statements stay cached by their text; each helper
 * resets its statement before it returns, on every path. Values are never formatted into SQL. */
enum sparam_type { SP_END, SP_TEXT, SP_INT, SP_DOUBLE, SP_NULL, SP_INTO_TEXT, SP_INTO_INT, SP_INTO_DOUBLE };
struct sparam {
	enum sparam_type type;
	const char *text;
	int64_t i;
	double d;
	char *out_text;		/* INTO_TEXT: a buffer of size bytes ("" for NULL or no row) */
	size_t size;
	int64_t *out_int;	/* INTO_INT: 0 for NULL or no row */
	double *out_double;
};
#define P_TEXT(v)	((struct sparam){ .type = SP_TEXT, .text = (v) })	/* NULL binds NULL */
#define P_INT(v)	((struct sparam){ .type = SP_INT, .i = (v) })
#define P_DOUBLE(v)	((struct sparam){ .type = SP_DOUBLE, .d = (v) })
#define P_NULL		((struct sparam){ .type = SP_NULL })
#define INTO_TEXT(buf, n) ((struct sparam){ .type = SP_INTO_TEXT, .out_text = (buf), .size = (n) })
#define INTO_INT(p)	((struct sparam){ .type = SP_INTO_INT, .out_int = (p) })
#define INTO_DOUBLE(p)	((struct sparam){ .type = SP_INTO_DOUBLE, .out_double = (p) })
#define P_END		((struct sparam){ .type = SP_END })

/* A row's columns as text (NULL for NULL): the callback of store_rows, as the lists hand rows on. */
typedef int (*store_row_fn)(void *ctx, const char *const *vals, size_t n);
/* A row as a statement, for reading typed columns: the callback of store_each. */
typedef int (*store_stmt_fn)(void *ctx, struct stmt *st, struct perr *e);

/* One statement without rows (INSERT, UPDATE, DELETE): 0 or a status. */
int store_run_params(struct store *s, struct perr *e, const char *sql, const struct sparam *p);
/* 1 when the SQL finds a row, 0 when not, -status on an error. */
int store_exists_params(struct store *s, struct perr *e, const char *sql, const struct sparam *p);
/* The first row's columns into the INTO_ places: 1 a row, 0 none (the places emptied), -status. */
int store_get_params(struct store *s, struct perr *e, const char *sql, const struct sparam *p);
/* fn for each row: 0 goes on; any other value stops the walk and is returned as it is.
 * 0 after the last row, or a status. fn may run other statements, never this one. */
int store_each_params(struct store *s, struct perr *e, store_stmt_fn fn, void *ctx, const char *sql,
		      const struct sparam *p);
/* fn for each row, its columns as text: 0 goes on; any other value stops the walk and is returned
 * as a status (a negative one turned positive, as the lists do). */
int store_rows_params(struct store *s, struct perr *e, store_row_fn fn, void *ctx, const char *sql,
		      const struct sparam *p);
/* The statement prepared and bound (text copied), for a loop of its own over many rows: the
 * caller steps it and resets it. NULL with e filled on an error. */
struct stmt *store_query_params(struct store *s, struct perr *e, const char *sql, const struct sparam *p);

/* The SQL and then its parameters; the list ends with P_END, added here. */
#define STORE_SQL_PARAMS(sql, ...) (sql), (const struct sparam[]){ __VA_ARGS__ }
#define store_run(s, e, ...) store_run_params((s), (e), STORE_SQL_PARAMS(__VA_ARGS__, P_END))
#define store_exists(s, e, ...) store_exists_params((s), (e), STORE_SQL_PARAMS(__VA_ARGS__, P_END))
#define store_get(s, e, ...) store_get_params((s), (e), STORE_SQL_PARAMS(__VA_ARGS__, P_END))
#define store_each(s, e, fn, ctx, ...) store_each_params((s), (e), (fn), (ctx), STORE_SQL_PARAMS(__VA_ARGS__, P_END))
#define store_rows(s, e, fn, ctx, ...) store_rows_params((s), (e), (fn), (ctx), STORE_SQL_PARAMS(__VA_ARGS__, P_END))
#define store_query(s, e, ...) store_query_params((s), (e), STORE_SQL_PARAMS(__VA_ARGS__, P_END))

/* ---- bulk loading ----
 * Rows into a table of the caller's (a temporary one, made for the purpose) by the engine's own
 * fast way where it has one: PostgreSQL's COPY … FROM STDIN, which store_has_bulk_load says.
 * Without one the rows go in by a prepared INSERT each, no faster than the caller's own. Other
 * statements may run between the rows (a subject met for the first time): the engine pauses
 * the load for them and goes on after. Values are text as the column takes it, NULL for NULL. */
struct store_load;
int store_has_bulk_load(struct store *s);
struct store_load *store_load_begin(struct store *s, const char *table, const char *const *cols, int ncols,
				    struct perr *e);
int store_load_row(struct store_load *l, const char *const *vals, struct perr *e);
/* The last rows in; l is freed, also on an error (0 or a status). */
int store_load_end(struct store_load *l, struct perr *e);
/* A tentative load, for a caller that keeps the rows and has another way to write them: they go
 * into table whole or not at all. Another statement run before its end, or a row the table
 * refuses (a key it holds already), takes them all back, and the rows after are dropped:
 * store_load_taken_back says so, and store_load_end is then a status with the store as it was
 * before the load. Only where store_has_bulk_load (else NULL, EX_SOFTWARE). */
struct store_load *store_load_try(struct store *s, const char *table, const char *const *cols, int ncols,
				  struct perr *e);
int store_load_taken_back(const struct store_load *l);
/* Ends a load taking its rows back (a tentative one; l is freed). */
int store_load_abort(struct store_load *l, struct perr *e);

/* The owner of the store's file: 0 and *uid, or -1 when the store is no file of this machine. */
int store_file_owner(struct store *s, long *uid);
/* The database role the server authenticated, for the actor (lib/actor.c): 1 when it owns the
 * school (or is a superuser) and so may act as anyone, 0 when it does not (name holds it: it
 * acts only as the staff member whose os_user it is; also when the server cannot say), -1 when
 * the store has no roles (a file: its owner and the OS user decide). */
int store_role(struct store *s, char *name, size_t n);

/* Online consistent copy to a new file (mode 0600; 73 when it exists). */
int store_backup(struct store *s, const char *path, struct perr *e);
/* PRAGMA integrity_check; 65 with the first problem. */
int store_check_integrity(struct store *s, struct perr *e);
/* PRAGMA foreign_key_check; 65 with the first broken reference. */
int store_check_references(struct store *s, struct perr *e);

#endif
