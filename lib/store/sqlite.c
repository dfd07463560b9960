/*
 * store/sqlite.c: the SQLite engine behind store.h (engine.h's table). Opening
 * (WAL, foreign keys, busy timeout, defensive mode, no double-quoted string
 * literals), the embedded migrations, transactions and the statement primitives
 * (prepare, bind by $N, step, columns) that lib/store.c builds its helpers on.
 * This is the only file that includes sqlite3.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "engine.h"
#include "i18n.h"
#include "schema.h"
#include "util.h"

#define MAX_PARAMS STORE_MAX_PARAMS

struct sq_stmt {
	struct stmt base;
	sqlite3_stmt *st;
	int param[MAX_PARAMS + 1];	/* $N → SQLite's parameter index */
};

struct sq_store {
	struct store base;	/* base.where: the file */
	sqlite3 *db;
	int big_cache;		/* the writers' page cache is set */
	int mapped;		/* readers map the file */
	int busy_ms;		/* how long a writer waits for another */
	int fast;		/* STORE_FAST_COMMIT: commits do not wait for the disk */
};

#define SQ(s) ((struct sq_store *)(s))
#define SQST(st) ((struct sq_stmt *)(st))

/* Maps an SQLite result to a sysexits code and a message. */
static int db_error(struct sq_store *s, int rc, const char *what, struct perr *e)
{
	const char *path = s->base.where;
	int code = rc & 0xff;
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return perr_set(e, EX_TEMPFAIL, "%s: the store is busy (another writer held it past %d ms); try again",
				path, engine_busy_timeout_ms());
	if (code == SQLITE_CONSTRAINT)
		return perr_set(e, EX_DATAERR, "%s: %s", what, sqlite3_errmsg(s->db));
	if (code == SQLITE_FULL || code == SQLITE_IOERR)
		return perr_set(e, EX_IOERR, "%s: %s: %s", path, what, sqlite3_errmsg(s->db));
	if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM)
		return perr_set(e, EX_CANTCREAT, "%s: %s: %s", path, what, sqlite3_errmsg(s->db));
	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		return perr_set(e, EX_DATAERR, "%s: not a sound portal store: %s", path, sqlite3_errmsg(s->db));
	return perr_set(e, EX_SOFTWARE, "%s: %s: %s", path, what, sqlite3_errmsg(s->db));
}

static int configure(struct sq_store *s, struct perr *e)
{
	int on = 1, off = 0;
	sqlite3_busy_timeout(s->db, engine_busy_timeout_ms());
	sqlite3_extended_result_codes(s->db, 1);
	if (sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, on, NULL) != SQLITE_OK ||
	    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DQS_DML, off, NULL) != SQLITE_OK ||
	    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DQS_DDL, off, NULL) != SQLITE_OK ||
	    sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_FKEY, on, NULL) != SQLITE_OK ||
	    sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, off, NULL) != SQLITE_OK)
		return db_error(s, sqlite3_errcode(s->db), "configuring the connection", e);
	return 0;
}

static int run_simple(struct sq_store *s, const char *sql, struct perr *e)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return db_error(s, rc, sql, e);
	return 0;
}

static int sq_schema_version(struct store *base)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(SQ(base)->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The version as the engine reads it, a read the store's lock keeps waiting past the busy timeout
 * said as such (75, try again), then the checks every engine makes. */
static int check_version(struct sq_store *s, int flags, struct perr *e)
{
	if (sq_schema_version(&s->base) < 0)
		return db_error(s, sqlite3_errcode(s->db), "reading the schema version", e);
	return engine_check_version(&s->base, flags, e);
}

/* The schema's version is PRAGMA user_version: the last migration applied. */
static int sq_apply_migrations(struct store *base, int from, int *applied, struct perr *e)
{
	struct sq_store *s = SQ(base);
	char pragma[64];
	int n = 0;
	for (int i = 0; i < schema_migration_count; i++) {
		const struct migration *m = &schema_migrations[i];
		if (m->version <= from)
			continue;
		char *msg = NULL;
		if (sqlite3_exec(s->db, m->sql, NULL, NULL, &msg) != SQLITE_OK) {
			perr_set(e, EX_SOFTWARE, "%s: migration %s failed: %s", base->where, m->name, msg ? msg : "?");
			sqlite3_free(msg);
			return EX_SOFTWARE;
		}
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", m->version);
		if (sqlite3_exec(s->db, pragma, NULL, NULL, NULL) != SQLITE_OK)
			return db_error(s, sqlite3_errcode(s->db), "setting the schema version", e);
		n++;
	}
	if (applied)
		*applied = n;
	return 0;
}

static int create_file(const char *path, struct perr *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return perr_set(e, EX_CANTCREAT, "%s: a store already exists there; it is left as it is", path);
		return perr_set(e, EX_CANTCREAT, "%s: cannot create the store: %s", path, strerror(errno));
	}
	close(fd);
	return 0;
}

static int initialise(struct sq_store *s, struct perr *e)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, &msg) != SQLITE_OK) {
		perr_set(e, EX_CANTCREAT, "%s: cannot switch to WAL: %s", s->base.where, msg ? msg : "?");
		sqlite3_free(msg);
		return EX_CANTCREAT;
	}
	return store_migrate(&s->base, NULL, e);
}

/* A server's writers each hold the lock for a few hundred microseconds: wait for it in steps of
 * that size (SQLite's own handler sleeps 1, 2, 5 … 100 ms, which makes a request's tail). */
static int short_waits(void *arg, int n)
{
	const struct sq_store *s = arg;
	if ((long)n * 250 >= (long)s->busy_ms * 1000)
		return 0;
	usleep(250);
	return 1;
}

static int fast_commit(struct sq_store *s, struct perr *e)
{
	s->busy_ms = engine_busy_timeout_ms();
	s->fast = 1;
	sqlite3_busy_handler(s->db, short_waits, s);
	return run_simple(s, "PRAGMA synchronous = NORMAL", e);
}

static int sq_file_owner(struct store *s, long *uid)
{
	struct stat sb;
	if (stat(s->where, &sb) != 0)
		return -1;
	*uid = (long)sb.st_uid;
	return 0;
}

/* The engine's memory statistics take a global mutex at every allocation: with a connection per
 * thread (portal-web) the threads queued on it. Nothing here reads the statistics. Set once,
 * before the engine starts. */
static pthread_once_t engine_once = PTHREAD_ONCE_INIT;

static void engine_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static void sq_close(struct store *base)
{
	sqlite3_close(SQ(base)->db);
	free(base->where);
	free(base);
}

static void sq_discard(struct store *s)
{
	unlink(s->where);
}

static int sq_open(const char *path, int flags, struct store **out, struct perr *e)
{
	struct stat sb;
	int rc;
	if (flags & STORE_CREATE) {
		if ((rc = create_file(path, e)))
			return rc;
	} else if (stat(path, &sb) != 0) {
		return perr_set(e, EX_NOINPUT, "%s: no store there (create one with portal-db init, or give --db)", path);
	}
	pthread_once(&engine_once, engine_setup);
	struct sq_store *s = xcalloc(1, sizeof *s);
	s->base.eng = &engine_sqlite;
	s->base.where = xstrdup(path);
	int oflags = (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	rc = sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = perr_set(e, EX_NOINPUT, "%s: cannot open the store: %s", path, s->db ? sqlite3_errmsg(s->db) : _("out of memory"));
		store_close(&s->base);
		return rc;
	}
	if ((rc = configure(s, e)) ||
	    (rc = (flags & STORE_CREATE) ? initialise(s, e) : check_version(s, flags, e)) ||
	    (rc = (flags & STORE_FAST_COMMIT) ? fast_commit(s, e) : 0)) {
		store_close(&s->base);
		if (flags & STORE_CREATE)
			unlink(path);
		return rc;
	}
	*out = &s->base;
	return 0;
}

static int sq_begin(struct store *base, int write, struct perr *e)
{
	struct sq_store *s = SQ(base);
	if (write) {
		/* A writer gets a bounded 8 MiB page cache: the files come in key order, so the pages
		 * being filled stay in it (64 MiB made a year of marks 6 % slower: more memory touched,
		 * nothing saved); a reader keeps SQLite's small one, so a report's scan reuses its pages. */
		if (!s->big_cache && run_simple(s, "PRAGMA cache_size = -8192", e))
			return e->status;
		s->big_cache = 1;
		return run_simple(s, "BEGIN IMMEDIATE", e);
	}
	/* A reader maps the file: a report's scan of a year of marks reads its pages in place
	 * instead of a pread and a copy each (a third of the whole-school report's time). */
	if (!s->mapped && run_simple(s, "PRAGMA mmap_size = 1073741824", e))
		return e->status;
	s->mapped = 1;
	return run_simple(s, "BEGIN", e);
}

static int sq_commit(struct store *base, int durable, struct perr *e)
{
	struct sq_store *s = SQ(base);
	int rc = run_simple(s, "COMMIT", e);
	if (rc || !durable || !s->fast)	/* else it waited for the disk at the commit */
		return rc;
	/* the safety level cannot change inside a transaction: the commit's frames are in the
	 * write-ahead log's file, and syncing that file puts them on the disk */
	char wal[4096];
	snprintf(wal, sizeof wal, "%s-wal", base->where);
	int fd = open(wal, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		return perr_set(e, EX_IOERR, "%s: cannot put the commit on the disk: %s", wal, strerror(err));
	}
	close(fd);
	return 0;
}

static void sq_rollback(struct store *base)
{
	struct sq_store *s = SQ(base);
	if (sqlite3_get_autocommit(s->db) == 0)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static int sq_exec(struct store *base, const char *sql, struct perr *e)
{
	struct sq_store *s = SQ(base);
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		rc = db_error(s, rc, msg ? msg : sql, e);
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

/* SQL here is written with PostgreSQL's $1, $2 … (reusable) or plain '?'. SQLite takes
 * "$1" as a named parameter numbered by first appearance, so map each $N to its index. */
static void map_params(struct sq_stmt *st)
{
	int n = sqlite3_bind_parameter_count(st->st), named = 0;
	for (int k = 1; k <= n; k++)
		named |= sqlite3_bind_parameter_name(st->st, k) != NULL;
	/* '?' parameters bind by position; with $N ones, a number the SQL does not use binds nothing
	 * (index 0), never another parameter's place */
	for (int i = 0; i <= MAX_PARAMS; i++)
		st->param[i] = named ? 0 : i;
	st->base.nparams = named ? 0 : n;
	for (int k = 1; k <= n; k++) {
		const char *name = sqlite3_bind_parameter_name(st->st, k);
		if (name && name[0] == '$') {
			int num = atoi(name + 1);
			if (num > 0 && num <= MAX_PARAMS)
				st->param[num] = k;
			if (num > st->base.nparams)
				st->base.nparams = num;
		}
	}
}

static int param(const struct sq_stmt *st, int i)
{
	return i > 0 && i <= MAX_PARAMS ? st->param[i] : i;
}

static struct stmt *sq_prepare(struct store *base, const char *sql, struct perr *e)
{
	struct sq_store *s = SQ(base);
	sqlite3_stmt *raw;
	int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, NULL);
	if (rc != SQLITE_OK) {
		db_error(s, rc, "preparing a statement", e);
		if (e)
			snprintf(e->msg + strlen(e->msg), sizeof e->msg - strlen(e->msg), " [%.80s]", sql);
		return NULL;
	}
	struct sq_stmt *st = xcalloc(1, sizeof *st);
	st->st = raw;
	map_params(st);
	return &st->base;
}

static void sq_finalize(struct stmt *st)
{
	sqlite3_finalize(SQST(st)->st);
	free(st);
}

static void sq_bind_text(struct stmt *base, int i, const char *v, int copy)
{
	struct sq_stmt *st = SQST(base);
	sqlite3_bind_text(st->st, param(st, i), v, -1, copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
}

static void sq_bind_int(struct stmt *base, int i, int64_t v)
{
	struct sq_stmt *st = SQST(base);
	sqlite3_bind_int64(st->st, param(st, i), v);
}

static void sq_bind_double(struct stmt *base, int i, double v)
{
	struct sq_stmt *st = SQST(base);
	sqlite3_bind_double(st->st, param(st, i), v);
}

static void sq_bind_null(struct stmt *base, int i)
{
	struct sq_stmt *st = SQST(base);
	sqlite3_bind_null(st->st, param(st, i));
}

static int sq_step(struct stmt *base, struct perr *e)
{
	struct sq_stmt *st = SQST(base);
	int rc = sqlite3_step(st->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	int status = db_error(SQ(base->store), rc, "running a statement", e);
	sqlite3_reset(st->st);
	return -status;
}

static void sq_rewind(struct stmt *st)
{
	sqlite3_reset(SQST(st)->st);
}

static void sq_unbind(struct stmt *st)
{
	sqlite3_clear_bindings(SQST(st)->st);
}

static int sq_columns(struct stmt *st)
{
	return sqlite3_column_count(SQST(st)->st);
}

static const char *sq_colname(struct stmt *st, int i)
{
	return sqlite3_column_name(SQST(st)->st, i);
}

static const char *sq_text(struct stmt *st, int i)
{
	return (const char *)sqlite3_column_text(SQST(st)->st, i);
}

static int64_t sq_int64(struct stmt *st, int i)
{
	return sqlite3_column_int64(SQST(st)->st, i);
}

static double sq_double(struct stmt *st, int i)
{
	return sqlite3_column_double(SQST(st)->st, i);
}

static int sq_isnull(struct stmt *st, int i)
{
	return sqlite3_column_type(SQST(st)->st, i) == SQLITE_NULL;
}

static int sq_changes(struct store *s)
{
	return sqlite3_changes(SQ(s)->db);
}

static int sq_backup(struct store *base, const char *path, struct perr *e)
{
	struct sq_store *s = SQ(base);
	int rc = create_file(path, e);
	if (rc)
		return rc == EX_CANTCREAT && e && strstr(e->msg, "already exists")
			? perr_set(e, EX_CANTCREAT, "%s: exists; a backup never overwrites a file", path) : rc;
	sqlite3 *dst;
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(dst);
		unlink(path);
		return perr_set(e, EX_CANTCREAT, "%s: cannot open for the backup", path);
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", s->db, "main");
	if (!b) {
		rc = perr_set(e, EX_CANTCREAT, "%s: %s", path, sqlite3_errmsg(dst));
	} else {
		/* One step copies everything inside one read transaction: a consistent snapshot. */
		int r = sqlite3_backup_step(b, -1);
		sqlite3_backup_finish(b);
		if (r != SQLITE_DONE)
			rc = (r == SQLITE_BUSY || r == SQLITE_LOCKED)
				? perr_set(e, EX_TEMPFAIL, "%s: the store is busy; try again", base->where)
				: perr_set(e, EX_IOERR, "%s: backup failed: %s", path, sqlite3_errstr(r));
	}
	if (!rc && sqlite3_exec(dst, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK)
		rc = perr_set(e, EX_IOERR, "%s: %s", path, sqlite3_errmsg(dst));
	if (sqlite3_close(dst) != SQLITE_OK && !rc)
		rc = perr_set(e, EX_IOERR, "%s: closing the backup failed", path);
	if (rc)
		unlink(path);
	return rc;
}

static int first_row_text(struct sq_store *s, const char *sql, char *buf, size_t n, struct perr *e)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_error(s, rc, sql, e);
	buf[0] = '\0';
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int nc = sqlite3_column_count(st);
		size_t used = 0;
		for (int i = 0; i < nc && used < n; i++) {
			const char *t = (const char *)sqlite3_column_text(st, i);
			used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? " " : "", t ? t : "NULL");
		}
		rc = 1;
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	} else {
		rc = -db_error(s, rc, sql, e);
	}
	sqlite3_finalize(st);
	return rc;
}

static int sq_check_integrity(struct store *base, struct perr *e)
{
	char buf[512];
	int rc = first_row_text(SQ(base), "PRAGMA integrity_check", buf, sizeof buf, e);
	if (rc < 0)
		return -rc;
	if (rc == 1 && strcmp(buf, "ok") != 0)
		return perr_set(e, EX_DATAERR, "%s: integrity check failed: %s", base->where, buf);
	return 0;
}

static int sq_check_references(struct store *base, struct perr *e)
{
	char buf[512];
	int rc = first_row_text(SQ(base), "PRAGMA foreign_key_check", buf, sizeof buf, e);
	if (rc < 0)
		return -rc;
	if (rc == 1)
		return perr_set(e, EX_DATAERR, "%s: a broken reference (table, row, parent, key): %s", base->where, buf);
	return 0;
}

static int sq_twin(struct store *base, struct store **out, struct perr *e)
{
	static const char last[] = "SELECT max(seq) FROM audit";	/* every write appends to it */
	char mine[32], its[32];
	struct store *t;
	int rc;
	if ((rc = first_row_text(SQ(base), last, mine, sizeof mine, e)) < 0)
		return -rc;
	if ((rc = store_open(base->where, STORE_READONLY, &t, e)))
		return rc;
	if ((rc = store_begin_read(t, e)) || (rc = first_row_text(SQ(t), last, its, sizeof its, e)) < 0) {
		store_close(t);
		return rc < 0 ? -rc : rc;
	}
	if (strcmp(mine, its)) {	/* a writer committed in between: read on s alone */
		store_close(t);
		return 0;
	}
	*out = t;
	return 0;
}

const struct engine engine_sqlite = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.discard = sq_discard,
	.schema_version = sq_schema_version,
	.apply_migrations = sq_apply_migrations,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.twin = sq_twin,
	.exec = sq_exec,
	.changes = sq_changes,
	.file_owner = sq_file_owner,
	.backup = sq_backup,
	.check_integrity = sq_check_integrity,
	.check_references = sq_check_references,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.bind_text = sq_bind_text,
	.bind_int = sq_bind_int,
	.bind_double = sq_bind_double,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.rewind = sq_rewind,
	.unbind = sq_unbind,
	.columns = sq_columns,
	.colname = sq_colname,
	.text = sq_text,
	.int64 = sq_int64,
	.dbl = sq_double,
	.isnull = sq_isnull,
};
