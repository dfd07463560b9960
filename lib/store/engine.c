/*
 * store/engine.c: store.h on the engine table of engine.h. It picks the engine
 * by the store's name, keeps what every engine shares (the statement cache by
 * SQL text, the transaction bookkeeping, the schema version checks, migrate)
 * and hands everything else to the engine with one call through the table.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "schema.h"
#include "util.h"

/* libpq's URI forms; anything else names a SQLite file. */
static int is_postgresql(const char *where)
{
	return strncmp(where, "postgresql://", 13) == 0 || strncmp(where, "postgres://", 11) == 0;
}

int store_open(const char *where, int flags, struct store **out, struct perr *e)
{
	*out = NULL;
	return (is_postgresql(where) ? &engine_pg : &engine_sqlite)->open(where, flags, out, e);
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		store_rollback(s);
	s->closing = 1;
	for (int i = 0; i < STORE_STMT_BUCKETS; i++) {
		struct stmt *st = s->cache[i], *next;
		for (; st; st = next) {
			next = st->next;
			free(st->sql);
			s->eng->finalize(st);
		}
	}
	s->eng->close(s);
}

void store_discard(struct store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		store_rollback(s);
	s->eng->discard(s);
	store_close(s);
}

int store_binary_schema_version(void)
{
	return schema_migration_count ? schema_migrations[schema_migration_count - 1].version : 0;
}

int store_schema_version(struct store *s)
{
	return s->eng->schema_version(s);
}

int engine_check_version(struct store *s, int flags, struct perr *e)
{
	int have = store_schema_version(s), want = store_binary_schema_version();
	if (have < 0)
		return perr_set(e, EX_SOFTWARE, "%s: cannot read the store's schema version", s->where);
	if (flags & STORE_ANY_VERSION)
		return 0;
	if (have > want)
		return perr_set(e, EX_CONFIG, "%s: the store's schema (%d) is newer than this binary's (%d): use a newer portal",
				s->where, have, want);
	if (have == 0)
		return perr_set(e, EX_CONFIG, "%s: not a portal store (no schema); create one with portal-db init", s->where);
	if (have < want && !(flags & STORE_ANY_SCHEMA))
		return perr_set(e, EX_CONFIG, "%s: the store's schema (%d) is older than this binary's (%d): run portal-db migrate",
				s->where, have, want);
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
				s->where, from, store_binary_schema_version());
	}
	if (applied)
		*applied = 0;
	rc = s->eng->apply_migrations(s, from, applied, e);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

static int begin(struct store *s, int write, struct perr *e)
{
	int rc = s->eng->begin(s, write, e);
	if (!rc) {
		s->in_tx = 1;
		s->write_tx = write;
		s->tx_serial++;
	}
	return rc;
}

int store_begin_write(struct store *s, struct perr *e)
{
	return begin(s, 1, e);
}

int store_begin_read(struct store *s, struct perr *e)
{
	return begin(s, 0, e);
}

static int commit(struct store *s, int durable, struct perr *e)
{
	int write = s->write_tx;
	int rc = s->eng->commit(s, durable, e);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	s->wrote |= write;
	s->in_tx = s->write_tx = 0;
	return 0;
}

int store_commit(struct store *s, struct perr *e)
{
	return commit(s, 0, e);
}

int store_commit_durable(struct store *s, struct perr *e)
{
	return commit(s, 1, e);
}

void store_rollback(struct store *s)
{
	s->eng->rollback(s);
	s->in_tx = s->write_tx = 0;
}

int store_in_transaction(struct store *s)
{
	return s->in_tx;
}

int store_retryable(struct store *s)
{
	return s && s->retryable;
}

int store_wrote(struct store *s)
{
	return s->wrote;
}

int store_tx_serial(struct store *s)
{
	return s->tx_serial;
}

int store_twin(struct store *s, struct store **out, struct perr *e)
{
	*out = NULL;
	if (!s->in_tx)
		return perr_set(e, EX_SOFTWARE, "%s: a twin reads only beside a read transaction", s->where);
	return s->eng->twin(s, out, e);
}

int store_exec(struct store *s, const char *sql, struct perr *e)
{
	return s->eng->exec(s, sql, e);
}

int store_changes(struct store *s)
{
	return s->eng->changes(s);
}

int store_file_owner(struct store *s, long *uid)
{
	return s ? s->eng->file_owner(s, uid) : -1;
}

struct store_load {
	struct store *s;
	void *eng;		/* the engine's load */
	struct stmt *insert;	/* without one: INSERT INTO table (cols) VALUES ($1 …) */
	int ncols;
};

int engine_busy_timeout_ms(void)
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

int store_has_bulk_load(struct store *s)
{
	return s->eng->load_begin != NULL;
}

static struct store_load *load_begin(struct store *s, const char *table, const char *const *cols, int ncols,
				     int tentative, struct perr *e)
{
	struct store_load *l = xcalloc(1, sizeof *l);
	l->s = s;
	l->ncols = ncols;
	if (s->eng->load_begin) {
		if (!(l->eng = s->eng->load_begin(s, table, cols, ncols, tentative, e))) {
			free(l);
			return NULL;
		}
		return l;
	}
	struct sbuf q;
	sbuf_init(&q);
	sbuf_printf(&q, "INSERT INTO %s (", table);
	for (int i = 0; i < ncols; i++)
		sbuf_printf(&q, "%s%s", i ? ", " : "", cols[i]);
	sbuf_adds(&q, ") VALUES (");
	for (int i = 0; i < ncols; i++)
		sbuf_printf(&q, "%s$%d", i ? ", " : "", i + 1);
	sbuf_adds(&q, ")");
	l->insert = store_prepare(s, q.s, e);
	sbuf_free(&q);
	if (!l->insert) {
		free(l);
		return NULL;
	}
	return l;
}

struct store_load *store_load_begin(struct store *s, const char *table, const char *const *cols, int ncols,
				    struct perr *e)
{
	return load_begin(s, table, cols, ncols, 0, e);
}

struct store_load *store_load_try(struct store *s, const char *table, const char *const *cols, int ncols,
				  struct perr *e)
{
	if (!s->eng->load_begin) {
		perr_set(e, EX_SOFTWARE, "%s: the engine has no tentative bulk load", s->where);
		return NULL;
	}
	return load_begin(s, table, cols, ncols, 1, e);
}

int store_load_taken_back(const struct store_load *l)
{
	return l->eng && l->s->eng->load_taken_back(l->s, l->eng);
}

int store_load_abort(struct store_load *l, struct perr *e)
{
	int rc = l->eng ? l->s->eng->load_end(l->s, l->eng, 1, e) : 0;
	free(l);
	return rc;
}

int store_load_row(struct store_load *l, const char *const *vals, struct perr *e)
{
	if (l->eng)
		return l->s->eng->load_row(l->s, l->eng, vals, e);
	for (int i = 0; i < l->ncols; i++)
		stmt_bind_text_static(l->insert, i + 1, vals[i]);
	return stmt_run(l->insert, e);
}

int store_load_end(struct store_load *l, struct perr *e)
{
	int rc = l->eng ? l->s->eng->load_end(l->s, l->eng, 0, e) : 0;
	free(l);
	return rc;
}

int store_role(struct store *s, char *name, size_t n)
{
	*name = '\0';
	return s && s->eng->role ? s->eng->role(s, name, n) : -1;
}

int store_backup(struct store *s, const char *path, struct perr *e)
{
	return s->eng->backup(s, path, e);
}

int store_check_integrity(struct store *s, struct perr *e)
{
	return s->eng->check_integrity(s, e);
}

int store_check_references(struct store *s, struct perr *e)
{
	return s->eng->check_references(s, e);
}

/* The bucket of a statement's text: its length and its first and last 32 bytes pick it (strcmp
 * decides); hashing every byte of a long statement cost more than the lookup it served. */
static unsigned hash_sql(const char *sql)
{
	size_t n = strlen(sql);
	unsigned h = 2166136261u ^ (unsigned)n;
	for (size_t i = 0; i < n && i < 32; i++)
		h = (h ^ (unsigned char)sql[i]) * 16777619u;
	for (size_t i = n > 32 ? n - 32 : n; i < n; i++)
		h = (h ^ (unsigned char)sql[i]) * 16777619u;
	return h % STORE_STMT_BUCKETS;
}

struct stmt *store_prepare(struct store *s, const char *sql, struct perr *e)
{
	unsigned h = hash_sql(sql);
	for (struct stmt *st = s->cache[h]; st; st = st->next)
		if (strcmp(st->sql, sql) == 0) {
			s->eng->rewind(st);
			s->eng->unbind(st);
			return st;
		}
	struct stmt *st = s->eng->prepare(s, sql, e);
	if (!st)
		return NULL;
	st->eng = s->eng;
	st->store = s;
	st->sql = xstrdup(sql);
	st->next = s->cache[h];
	s->cache[h] = st;
	return st;
}

void stmt_bind_text(struct stmt *st, int i, const char *v)
{
	if (v)
		st->eng->bind_text(st, i, v, 1);
	else
		st->eng->bind_null(st, i);
}

void stmt_bind_text_static(struct stmt *st, int i, const char *v)
{
	if (v)
		st->eng->bind_text(st, i, v, 0);
	else
		st->eng->bind_null(st, i);
}

void stmt_bind_int(struct stmt *st, int i, int64_t v)
{
	st->eng->bind_int(st, i, v);
}

void stmt_bind_double(struct stmt *st, int i, double v)
{
	st->eng->bind_double(st, i, v);
}

void stmt_bind_null(struct stmt *st, int i)
{
	st->eng->bind_null(st, i);
}

int stmt_step(struct stmt *st, struct perr *e)
{
	return st->eng->step(st, e);
}

int stmt_run(struct stmt *st, struct perr *e)
{
	int rc;
	while ((rc = st->eng->step(st, e)) > 0)
		;
	st->eng->rewind(st);
	return rc < 0 ? -rc : 0;
}

void stmt_reset(struct stmt *st)
{
	st->eng->rewind(st);
	st->eng->unbind(st);
}

void stmt_rewind(struct stmt *st)
{
	st->eng->rewind(st);
}

void stmt_unbind(struct stmt *st)
{
	st->eng->unbind(st);
}

int stmt_columns(struct stmt *st)
{
	return st->eng->columns(st);
}

const char *stmt_colname(struct stmt *st, int i)
{
	return st->eng->colname(st, i);
}

const char *stmt_text(struct stmt *st, int i)
{
	return st->eng->text(st, i);
}

int64_t stmt_int(struct stmt *st, int i)
{
	return st->eng->int64(st, i);
}

double stmt_double(struct stmt *st, int i)
{
	return st->eng->dbl(st, i);
}

int stmt_isnull(struct stmt *st, int i)
{
	return st->eng->isnull(st, i);
}

int stmt_nparams(const struct stmt *st)
{
	return st->nparams;
}

const char *stmt_sql(const struct stmt *st)
{
	return st->sql;
}
