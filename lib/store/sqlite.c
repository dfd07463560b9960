/*
 * store/sqlite.c: the SQLite engine behind store.h. Opening (WAL, foreign keys,
 * busy timeout, defensive mode, no double-quoted string literals), the embedded
 * migrations, transactions, a statement cache and the statement primitives
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

#include "store.h"
#include "schema.h"
#include "util.h"

#define STMT_BUCKETS 64

#define MAX_PARAMS 32

struct stmt {
	sqlite3_stmt *st;
	int param[MAX_PARAMS + 1];	/* $N → SQLite's parameter index */
	int nparams;			/* the highest $N (or the number of '?') */
	struct store *store;
	char *sql;
	struct stmt *next;
};

struct store {
	sqlite3 *db;
	char *path;
	int in_tx;
	int write_tx;		/* the open transaction is a writer's */
	int wrote;		/* a writer's transaction was committed */
	int tx_serial;		/* transactions begun on this connection */
	int big_cache;		/* the writers' page cache is set */
	int mapped;		/* readers map the file */
	int busy_ms;		/* how long a writer waits for another */
	int fast;		/* STORE_FAST_COMMIT: commits do not wait for the disk */
	struct stmt *cache[STMT_BUCKETS];
};

static int busy_timeout_ms(void)
{
	const char *v = getenv("PORTAL_BUSY_TIMEOUT");
	if (v && *v) {
		char *end;
		long ms = strtol(v, &end, 10);
		if (*end == '\0' && ms >= 0 && ms <= 86400000L)
			return (int)ms;
	}
	return 30000;
}

/* Maps an SQLite result to a sysexits code and a message. */
static int db_error(struct store *s, int rc, const char *what, struct perr *e)
{
	int code = rc & 0xff;
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return perr_set(e, EX_TEMPFAIL, "%s: the store is busy (another writer held it past %d ms); try again",
				s->path, busy_timeout_ms());
	if (code == SQLITE_CONSTRAINT)
		return perr_set(e, EX_DATAERR, "%s: %s", what, sqlite3_errmsg(s->db));
	if (code == SQLITE_FULL || code == SQLITE_IOERR)
		return perr_set(e, EX_IOERR, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
	if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM)
		return perr_set(e, EX_CANTCREAT, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		return perr_set(e, EX_DATAERR, "%s: not a sound portal store: %s", s->path, sqlite3_errmsg(s->db));
	return perr_set(e, EX_SOFTWARE, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static int configure(struct store *s, struct perr *e)
{
	int on = 1, off = 0;
	sqlite3_busy_timeout(s->db, busy_timeout_ms());
	sqlite3_extended_result_codes(s->db, 1);
	if (sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, on, NULL) != SQLITE_OK ||
	    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DQS_DML, off, NULL) != SQLITE_OK ||
	    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DQS_DDL, off, NULL) != SQLITE_OK ||
	    sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_FKEY, on, NULL) != SQLITE_OK ||
	    sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, off, NULL) != SQLITE_OK)
		return db_error(s, sqlite3_errcode(s->db), "configuring the connection", e);
	return 0;
}

static int run_simple(struct store *s, const char *sql, struct perr *e);

int store_binary_schema_version(void)
{
	return schema_migration_count ? schema_migrations[schema_migration_count - 1].version : 0;
}

int store_schema_version(struct store *s)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int apply_migrations(struct store *s, int from, int *applied, struct perr *e)
{
	char pragma[64];
	int n = 0;
	for (int i = 0; i < schema_migration_count; i++) {
		const struct migration *m = &schema_migrations[i];
		if (m->version <= from)
			continue;
		char *msg = NULL;
		if (sqlite3_exec(s->db, m->sql, NULL, NULL, &msg) != SQLITE_OK) {
			perr_set(e, EX_SOFTWARE, "%s: migration %s failed: %s", s->path, m->name, msg ? msg : "?");
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

int store_migrate(struct store *s, int *applied, struct perr *e)
{
	int rc = store_begin_write(s, e);
	if (rc)
		return rc;
	int from = store_schema_version(s);
	if (from > store_binary_schema_version()) {
		store_rollback(s);
		return perr_set(e, EX_CONFIG, "%s: the store's schema (%d) is newer than this binary's (%d): use a newer portal",
				s->path, from, store_binary_schema_version());
	}
	rc = apply_migrations(s, from, applied, e);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
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

static int check_version(struct store *s, int flags, struct perr *e)
{
	int have = store_schema_version(s), want = store_binary_schema_version();
	if (have < 0)
		return db_error(s, sqlite3_errcode(s->db), "reading the schema version", e);
	if (flags & STORE_ANY_VERSION)
		return 0;
	if (have > want)
		return perr_set(e, EX_CONFIG, "%s: the store's schema (%d) is newer than this binary's (%d): use a newer portal",
				s->path, have, want);
	if (have == 0)
		return perr_set(e, EX_CONFIG, "%s: not a portal store (no schema); create one with portal-db init", s->path);
	if (have < want && !(flags & STORE_ANY_SCHEMA))
		return perr_set(e, EX_CONFIG, "%s: the store's schema (%d) is older than this binary's (%d): run portal-db migrate",
				s->path, have, want);
	return 0;
}

static int initialise(struct store *s, struct perr *e)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, &msg) != SQLITE_OK) {
		perr_set(e, EX_CANTCREAT, "%s: cannot switch to WAL: %s", s->path, msg ? msg : "?");
		sqlite3_free(msg);
		return EX_CANTCREAT;
	}
	return store_migrate(s, NULL, e);
}

/* A server's writers each hold the lock for a few hundred microseconds: wait for it in steps of
 * that size (SQLite's own handler sleeps 1, 2, 5 … 100 ms, which makes a request's tail). */
static int short_waits(void *arg, int n)
{
	const struct store *s = arg;
	if ((long)n * 250 >= (long)s->busy_ms * 1000)
		return 0;
	usleep(250);
	return 1;
}

static int fast_commit(struct store *s, struct perr *e)
{
	s->busy_ms = busy_timeout_ms();
	s->fast = 1;
	sqlite3_busy_handler(s->db, short_waits, s);
	return run_simple(s, "PRAGMA synchronous = NORMAL", e);
}

int store_file_owner(struct store *s, long *uid)
{
	struct stat sb;
	if (!s || !s->path || stat(s->path, &sb) != 0)
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

int store_open(const char *path, int flags, struct store **out, struct perr *e)
{
	struct stat sb;
	int rc;
	*out = NULL;
	if (flags & STORE_CREATE) {
		if ((rc = create_file(path, e)))
			return rc;
	} else if (stat(path, &sb) != 0) {
		return perr_set(e, EX_NOINPUT, "%s: no store there (create one with portal-db init, or give --db)", path);
	}
	pthread_once(&engine_once, engine_setup);
	struct store *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	int oflags = (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	rc = sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = perr_set(e, EX_NOINPUT, "%s: cannot open the store: %s", path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
		store_close(s);
		return rc;
	}
	if ((rc = configure(s, e)) ||
	    (rc = (flags & STORE_CREATE) ? initialise(s, e) : check_version(s, flags, e)) ||
	    (rc = (flags & STORE_FAST_COMMIT) ? fast_commit(s, e) : 0)) {
		store_close(s);
		if (flags & STORE_CREATE)
			unlink(path);
		return rc;
	}
	*out = s;
	return 0;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		store_rollback(s);
	for (int i = 0; i < STMT_BUCKETS; i++) {
		struct stmt *st = s->cache[i], *next;
		for (; st; st = next) {
			next = st->next;
			sqlite3_finalize(st->st);
			free(st->sql);
			free(st);
		}
	}
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

static int run_simple(struct store *s, const char *sql, struct perr *e)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return db_error(s, rc, sql, e);
	return 0;
}

int store_begin_write(struct store *s, struct perr *e)
{
	/* A writer gets a bounded 8 MiB page cache: the files come in key order, so the pages being
	 * filled stay in it (64 MiB made a year of marks 6 % slower: more memory touched, nothing
	 * saved); a reader keeps SQLite's small one, so a report's scan reuses its pages. */
	if (!s->big_cache && run_simple(s, "PRAGMA cache_size = -8192", e))
		return e->status;
	s->big_cache = 1;
	int rc = run_simple(s, "BEGIN IMMEDIATE", e);
	if (!rc) {
		s->in_tx = s->write_tx = 1;
		s->tx_serial++;
	}
	return rc;
}

int store_begin_read(struct store *s, struct perr *e)
{
	/* A reader maps the file: a report's scan of a year of marks reads its pages in place
	 * instead of a pread and a copy each (a third of the whole-school report's time). */
	if (!s->mapped && run_simple(s, "PRAGMA mmap_size = 1073741824", e))
		return e->status;
	s->mapped = 1;
	int rc = run_simple(s, "BEGIN", e);
	if (!rc) {
		s->in_tx = 1;
		s->tx_serial++;
	}
	return rc;
}

int store_commit(struct store *s, struct perr *e)
{
	int rc = run_simple(s, "COMMIT", e);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	s->wrote |= s->write_tx;
	s->in_tx = s->write_tx = 0;
	return 0;
}

int store_commit_durable(struct store *s, struct perr *e)
{
	int rc = store_commit(s, e);
	if (rc || !s->fast)	/* else it waited for the disk at the commit */
		return rc;
	/* the safety level cannot change inside a transaction: the commit's frames are in the
	 * write-ahead log's file, and syncing that file puts them on the disk */
	char wal[4096];
	snprintf(wal, sizeof wal, "%s-wal", s->path);
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

void store_rollback(struct store *s)
{
	if (sqlite3_get_autocommit(s->db) == 0)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = s->write_tx = 0;
}

int store_in_transaction(struct store *s)
{
	return s->in_tx;
}

int store_wrote(struct store *s)
{
	return s->wrote;
}

int store_tx_serial(struct store *s)
{
	return s->tx_serial;
}

int store_exec(struct store *s, const char *sql, struct perr *e)
{
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
static void map_params(struct stmt *st)
{
	int n = sqlite3_bind_parameter_count(st->st), named = 0;
	for (int k = 1; k <= n; k++)
		named |= sqlite3_bind_parameter_name(st->st, k) != NULL;
	/* '?' parameters bind by position; with $N ones, a number the SQL does not use binds nothing
	 * (index 0), never another parameter's place */
	for (int i = 0; i <= MAX_PARAMS; i++)
		st->param[i] = named ? 0 : i;
	st->nparams = named ? 0 : n;
	for (int k = 1; k <= n; k++) {
		const char *name = sqlite3_bind_parameter_name(st->st, k);
		if (name && name[0] == '$') {
			int num = atoi(name + 1);
			if (num > 0 && num <= MAX_PARAMS)
				st->param[num] = k;
			if (num > st->nparams)
				st->nparams = num;
		}
	}
}

static int param(const struct stmt *st, int i)
{
	return i > 0 && i <= MAX_PARAMS ? st->param[i] : i;
}

static unsigned hash_sql(const char *sql)
{
	unsigned h = 2166136261u;
	for (; *sql; sql++)
		h = (h ^ (unsigned char)*sql) * 16777619u;
	return h % STMT_BUCKETS;
}

struct stmt *store_prepare(struct store *s, const char *sql, struct perr *e)
{
	unsigned h = hash_sql(sql);
	for (struct stmt *st = s->cache[h]; st; st = st->next)
		if (strcmp(st->sql, sql) == 0) {
			sqlite3_reset(st->st);
			sqlite3_clear_bindings(st->st);
			return st;
		}
	sqlite3_stmt *raw;
	int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, NULL);
	if (rc != SQLITE_OK) {
		db_error(s, rc, "preparing a statement", e);
		if (e)
			snprintf(e->msg + strlen(e->msg), sizeof e->msg - strlen(e->msg), " [%.80s]", sql);
		return NULL;
	}
	struct stmt *st = xcalloc(1, sizeof *st);
	st->st = raw;
	map_params(st);
	st->store = s;
	st->sql = xstrdup(sql);
	st->next = s->cache[h];
	s->cache[h] = st;
	return st;
}

void stmt_bind_text(struct stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st->st, param(st, i), v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st->st, param(st, i));
}

void stmt_bind_text_static(struct stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st->st, param(st, i), v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st->st, param(st, i));
}

void stmt_bind_int(struct stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(st->st, param(st, i), v);
}

void stmt_bind_double(struct stmt *st, int i, double v)
{
	sqlite3_bind_double(st->st, param(st, i), v);
}

void stmt_bind_null(struct stmt *st, int i)
{
	sqlite3_bind_null(st->st, param(st, i));
}

int stmt_step(struct stmt *st, struct perr *e)
{
	int rc = sqlite3_step(st->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	int status = db_error(st->store, rc, "running a statement", e);
	sqlite3_reset(st->st);
	return -status;
}

int stmt_run(struct stmt *st, struct perr *e)
{
	int rc;
	while ((rc = stmt_step(st, e)) > 0)
		;
	sqlite3_reset(st->st);
	return rc < 0 ? -rc : 0;
}

void stmt_reset(struct stmt *st)
{
	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
}

int stmt_columns(struct stmt *st)
{
	return sqlite3_column_count(st->st);
}

const char *stmt_colname(struct stmt *st, int i)
{
	return sqlite3_column_name(st->st, i);
}

const char *stmt_text(struct stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st->st, i);
}

int64_t stmt_int(struct stmt *st, int i)
{
	return sqlite3_column_int64(st->st, i);
}

double stmt_double(struct stmt *st, int i)
{
	return sqlite3_column_double(st->st, i);
}

int stmt_isnull(struct stmt *st, int i)
{
	return sqlite3_column_type(st->st, i) == SQLITE_NULL;
}

int store_changes(struct store *s)
{
	return sqlite3_changes(s->db);
}

void stmt_rewind(struct stmt *st)
{
	sqlite3_reset(st->st);
}

void stmt_unbind(struct stmt *st)
{
	sqlite3_clear_bindings(st->st);
}

int stmt_nparams(const struct stmt *st)
{
	return st->nparams;
}

const char *stmt_sql(const struct stmt *st)
{
	return st->sql;
}

int store_backup(struct store *s, const char *path, struct perr *e)
{
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
				? perr_set(e, EX_TEMPFAIL, "%s: the store is busy; try again", s->path)
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

static int first_row_text(struct store *s, const char *sql, char *buf, size_t n, struct perr *e)
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

int store_check_integrity(struct store *s, struct perr *e)
{
	char buf[512];
	int rc = first_row_text(s, "PRAGMA integrity_check", buf, sizeof buf, e);
	if (rc < 0)
		return -rc;
	if (rc == 1 && strcmp(buf, "ok") != 0)
		return perr_set(e, EX_DATAERR, "%s: integrity check failed: %s", s->path, buf);
	return 0;
}

int store_check_references(struct store *s, struct perr *e)
{
	char buf[512];
	int rc = first_row_text(s, "PRAGMA foreign_key_check", buf, sizeof buf, e);
	if (rc < 0)
		return -rc;
	if (rc == 1)
		return perr_set(e, EX_DATAERR, "%s: a broken reference (table, row, parent, key): %s", s->path, buf);
	return 0;
}

int store_twin(struct store *s, struct store **out, struct perr *e)
{
	static const char last[] = "SELECT max(seq) FROM audit";	/* every write appends to it */
	char mine[32], its[32];
	struct store *t;
	int rc;
	*out = NULL;
	if (!s->in_tx)
		return perr_set(e, EX_SOFTWARE, "%s: a twin reads only beside a read transaction", s->path);
	if ((rc = first_row_text(s, last, mine, sizeof mine, e)) < 0)
		return -rc;
	if ((rc = store_open(s->path, STORE_READONLY, &t, e)))
		return rc;
	if ((rc = store_begin_read(t, e)) || (rc = first_row_text(t, last, its, sizeof its, e)) < 0) {
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
