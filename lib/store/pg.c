/*
 * store/pg.c: the PostgreSQL engine behind store.h (engine.h's table), on libpq.
 * This is the only file that includes libpq-fe.h.
 *
 * The store's name is libpq's URI (postgresql://… or postgres://…), so PGPASSFILE,
 * PGSERVICE, sslmode and the rest work as with psql. A school is a schema: the URI's
 * own parameter school=NAME (taken out before libpq sees the URI), or else the first
 * schema of the search path (?options=-csearch_path%3Dschool_8). The connection's
 * search path is that schema alone.
 *
 * Migrations: the same numbered files and versions as SQLite's, share/schema/NNN-*.sql, the
 * one schema, written in SQLite's dialect. This engine translates each before it runs it
 * (lib/store/pgddl.c): an INTEGER PRIMARY KEY that numbers itself is an identity column,
 * REAL is double precision, WITHOUT ROWID goes, and a trigger that refuses a change is a
 * plpgsql function raising restrict_violation (65, as SQLite's RAISE (ABORT)) whose guard of
 * DELETE guards TRUNCATE too; anything else of SQLite's own fails the translation.
 * The version is the one row of the table schema_version (SQLite: PRAGMA user_version).
 * portal-db init creates the schema (or takes an empty one a DBA made) and applies the
 * migrations in one transaction: a failed init leaves no half school.
 *
 * Transactions keep SQLite's semantics. SQLite's BEGIN IMMEDIATE lets one writer in at a
 * time, and every write here appends to the audit chain, whose head is one row: so a writer
 * takes the school's advisory lock (a session lock, taken before its transaction begins, so
 * that its snapshot already holds the previous writer's commit), waits for it up to the busy
 * timeout (lock_timeout; then 75, as SQLite's busy), and runs SERIALIZABLE. A reader is a
 * REPEATABLE READ snapshot and never waits. Two schools of one database never wait for
 * each other. A serialization failure or a deadlock is 75 too and marked so that the
 * command frame may run the command again (store_retryable).
 *
 * Roles: the database is the boundary. pg_role says whether the authenticated role owns the
 * school's schema (it may act as anyone) or not (lib/actor.c makes it the staff member whose
 * os_user it is); a role without USAGE on the schema is refused the school at open (77), and a
 * write its grants lack is 77 (42501). share/postgresql/grants.sh gives the roles their grants.
 *
 * Statements: the SQL of lib/ is PostgreSQL's already ($1 … parameters, ON CONFLICT,
 * RETURNING), but for two of SQLite's forms that rewrite_sql turns into PostgreSQL's: the
 * scalar max(a, b) and min(a, b) (GREATEST and LEAST, which skip a NULL where SQLite's give
 * NULL) and the schema temp. of temporary tables (pg_temp.). A statement is prepared on the server at its first run, with the types of
 * that run's values (an integer is int8, a double float8, a text "unknown", so the column
 * it meets decides); its rows come whole, so a walk may run other statements meanwhile as
 * on SQLite. A boolean reads as 1 or 0, as SQLite's comparisons give.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "engine.h"
#include "pgddl.h"
#include "schema.h"
#include "util.h"

#define MAX_PARAMS STORE_MAX_PARAMS
#define OID_BOOL 16
#define OID_INT8 20
#define OID_TEXT 25
#define OID_FLOAT8 701
#define LOCK_CLASS 1886351984	/* 'port': the first key of the schools' writer locks */

struct pg_store {
	struct store base;	/* base.where: the URI without its password */
	PGconn *conn;
	char *given;		/* the URI as given (a twin connects with it) */
	char *uri;		/* as libpq takes it: without school= */
	char *schema;
	int changes;		/* rows of the last INSERT, UPDATE or DELETE */
	int locked;		/* this session holds the school's writer lock */
	int nstmts;		/* names the server's prepared statements */
	struct pg_load *load;	/* the bulk load under way (store_load_begin) */
	int copying;		/* its COPY is open: nothing else runs until copy_pause */
};

/* A bulk load: COPY table (cols) FROM STDIN in text format, its rows gathered into buf and sent
 * in pieces. Another statement pauses it (the COPY ends, its rows are in) and the next row opens
 * a new COPY. */
struct pg_load {
	char *copy_sql;
	struct sbuf buf;
	int ncols;
	int tentative;		/* in whole or taken back: a savepoint before it (store_load_try) */
	int taken_back;
};
#define TRY_SAVEPOINT "store_load_try"

static void load_free(struct pg_load *l)
{
	if (!l)
		return;
	free(l->copy_sql);
	sbuf_free(&l->buf);
	free(l);
}

#define COPY_CHUNK (256 * 1024)

struct pg_stmt {
	struct stmt base;
	char name[16];
	char *pgsql;		/* the SQL as PostgreSQL takes it (rewrite_sql) */
	int prepared;
	unsigned types[MAX_PARAMS + 1];	/* of the first run's values: 0 unknown */
	char unused[MAX_PARAMS + 1];	/* $N not in the SQL: text */
	const char *vals[MAX_PARAMS + 1];
	char *owned[MAX_PARAMS + 1];	/* copies and numbers made here */
	PGresult *res;
	int row, nrows;		/* row: the current one + 1 */
	int failed;		/* the run that stmt_columns made failed: this status, err */
	struct perr err;
};

#define PG(s) ((struct pg_store *)(s))
#define PGST(st) ((struct pg_stmt *)(st))

/* Maps a failed result's SQLSTATE to a sysexits code and a message. */
static int pg_error(struct pg_store *s, const PGresult *r, const char *what, struct perr *e)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!msg || !*msg)
		msg = PQerrorMessage(s->conn);
	if (!state)
		state = "";
	s->base.retryable = strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0;
	if (s->base.retryable)
		return perr_set(e, EX_TEMPFAIL, "%s: another writer's transaction got in the way (%s); try again",
				s->base.where, msg);
	if (strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0)
		return perr_set(e, EX_TEMPFAIL, "%s: the store is busy (another writer held it past %d ms); try again",
				s->base.where, engine_busy_timeout_ms());
	if (strncmp(state, "23", 2) == 0)
		return perr_set(e, EX_DATAERR, "%s: %s", what, msg);
	if (strcmp(state, "42501") == 0 && strstr(msg, "row-level security"))
		return perr_set(e, EX_NOPERM, "not permitted: %s: %s (the database keeps the role to the rows of its own classes)",
				s->base.where, msg);
	if (strcmp(state, "42501") == 0)
		return perr_set(e, EX_NOPERM, "not permitted: %s: %s (the database role lacks the grant)", s->base.where, msg);
	if (strncmp(state, "08", 2) == 0 || PQstatus(s->conn) != CONNECTION_OK)
		return perr_set(e, EX_UNAVAILABLE, "%s: the server is unavailable: %s", s->base.where, msg);
	if (strcmp(state, "53100") == 0)
		return perr_set(e, EX_IOERR, "%s: %s: %s", s->base.where, what, msg);
	return perr_set(e, EX_SOFTWARE, "%s: %s: %s", s->base.where, what, msg);
}

static int copy_pause(struct pg_store *s, struct perr *e);

/* Runs SQL without parameters; 0 or a status. */
static int run_simple(struct pg_store *s, const char *sql, struct perr *e)
{
	int rc0 = copy_pause(s, e);
	if (rc0)
		return rc0;
	PGresult *r = PQexec(s->conn, sql);
	ExecStatusType st = PQresultStatus(r);
	int rc = 0;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = pg_error(s, r, sql, e);
	PQclear(r);
	return rc;
}

/* The first column of the first row of a statement with up to two text parameters, into buf
 * ("" for NULL or no row): 1 a row, 0 none, -status. */
static int first_value(struct pg_store *s, const char *sql, const char *p1, const char *p2, char *buf, size_t n,
		       struct perr *e)
{
	const char *vals[2] = { p1, p2 };
	int rc;
	buf[0] = '\0';
	if ((rc = copy_pause(s, e)))
		return -rc;
	PGresult *r = PQexecParams(s->conn, sql, p2 ? 2 : p1 ? 1 : 0, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = -pg_error(s, r, sql, e);
	} else if (PQntuples(r) == 0) {
		rc = 0;
	} else {
		if (!PQgetisnull(r, 0, 0))
			str_copy(buf, n, PQgetvalue(r, 0, 0));
		rc = 1;
	}
	PQclear(r);
	return rc;
}

/* The URI for messages: without a password (user:secret@ → user@). */
static char *redact(const char *uri)
{
	char *out = xstrdup(uri);
	char *auth = strstr(out, "://");
	if (!auth)
		return out;
	auth += 3;
	char *at = strchr(auth, '@'), *slash = strchr(auth, '/');
	if (!at || (slash && slash < at))
		return out;
	char *colon = memchr(auth, ':', (size_t)(at - auth));
	if (colon)
		memmove(colon, at, strlen(at) + 1);
	return out;
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Takes the parameter school=NAME out of the URI's query (libpq refuses a parameter it does
 * not know); *school is its percent-decoded value, or NULL. */
static char *take_school(const char *uri, char **school)
{
	char *out = xstrdup(uri), *q = strchr(out, '?');
	*school = NULL;
	if (!q)
		return out;
	char *p = q + 1;
	while (*p) {
		char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (strncmp(p, "school=", 7) == 0) {
			free(*school);
			*school = xcalloc(1, len);
			char *d = *school;
			for (const char *v = p + 7; v < p + len; v++) {
				if (*v == '%' && v + 2 < p + len + 1 && hexval(v[1]) >= 0 && hexval(v[2]) >= 0) {
					*d++ = (char)(hexval(v[1]) * 16 + hexval(v[2]));
					v += 2;
				} else {
					*d++ = *v == '+' ? ' ' : *v;
				}
			}
			memmove(p, end ? end + 1 : p + len, strlen(end ? end + 1 : p + len) + 1);
		} else {
			p += len + (end ? 1 : 0);
		}
	}
	size_t n = strlen(out);
	while (n && (out[n - 1] == '&' || out[n - 1] == '?'))
		out[--n] = '\0';
	return out;
}

/* The school's schema when the URI names none: the first of the connection's search path. */
static int search_path_schema(struct pg_store *s, struct perr *e)
{
	char path[1024];
	int rc = first_value(s, "SELECT current_schema()", NULL, NULL, path, sizeof path, e);
	if (rc < 0)
		return -rc;
	if (*path) {
		s->schema = xstrdup(path);
		return 0;
	}
	/* the first schema of the path is not there yet (portal-db init makes it) */
	if ((rc = first_value(s, "SELECT current_setting('search_path')", NULL, NULL, path, sizeof path, e)) < 0)
		return -rc;
	char *p = path;
	while (*p == ' ')
		p++;
	size_t len = strcspn(p, ",");
	while (len && p[len - 1] == ' ')
		len--;
	p[len] = '\0';
	if (*p == '"' && len >= 2 && p[len - 1] == '"') {
		p[len - 1] = '\0';
		p++;
	}
	if (strcmp(p, "$user") == 0)
		p = (char *)PQuser(s->conn);
	if (!p || !*p)
		return perr_set(e, EX_CONFIG, "%s: no school: give school=NAME in the URI, or a search_path", s->base.where);
	s->schema = xstrdup(p);
	return 0;
}

/* Runs SQL that names the school's schema: before, "%s" its quoted name, and after. */
static int run_on_school(struct pg_store *s, const char *before, const char *after, struct perr *e)
{
	char *ident = PQescapeIdentifier(s->conn, s->schema, strlen(s->schema));
	if (!ident)
		return pg_error(s, NULL, "quoting the school's name", e);
	struct sbuf q;
	sbuf_init(&q);
	sbuf_printf(&q, "%s%s%s", before, ident, after);
	PQfreemem(ident);
	int rc = run_simple(s, q.s, e);
	sbuf_free(&q);
	return rc;
}

static int connect_school(struct pg_store *s, struct perr *e)
{
	char sql[256];
	int rc;
	if (!s->schema && (rc = search_path_schema(s, e)))
		return rc;
	rc = run_on_school(s, "SET search_path TO ", "", e);
	/* a writer waits for the school's lock as long as SQLite's busy timeout */
	snprintf(sql, sizeof sql, "SET lock_timeout = %d; SET client_min_messages = warning", engine_busy_timeout_ms());
	return rc ? rc : run_simple(s, sql, e);
}

static int pg_schema_version(struct store *base)
{
	struct pg_store *s = PG(base);
	char v[32];
	int rc = first_value(s, "SELECT to_regclass('schema_version') IS NOT NULL", NULL, NULL, v, sizeof v, NULL);
	if (rc <= 0)
		return -1;
	if (strcmp(v, "t") != 0)
		return 0;
	rc = first_value(s, "SELECT version FROM schema_version", NULL, NULL, v, sizeof v, NULL);
	return rc < 0 ? -1 : rc == 0 ? 0 : atoi(v);
}

static int pg_apply_migrations(struct store *base, int from, int *applied, struct perr *e)
{
	struct pg_store *s = PG(base);
	char sql[128];
	struct sbuf ddl;
	int n = 0, rc = 0;
	if (from == 0 && (rc = run_simple(s, "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL); "
				      "DELETE FROM schema_version; INSERT INTO schema_version VALUES (0)", e)))
		return rc;
	sbuf_init(&ddl);
	for (int i = 0; i < schema_migration_count; i++) {
		const struct migration *m = &schema_migrations[i];
		if (m->version <= from)
			continue;
		sbuf_reset(&ddl);
		if ((rc = pgddl_translate(m->name, m->sql, &ddl, e)))
			break;
		PGresult *r = PQexec(s->conn, ddl.s);
		if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
			rc = perr_set(e, EX_SOFTWARE, "%s: migration %s failed: %s", base->where, m->name,
				      PQresultErrorMessage(r));
			PQclear(r);
			break;
		}
		PQclear(r);
		snprintf(sql, sizeof sql, "UPDATE schema_version SET version = %d", m->version);
		if ((rc = run_simple(s, sql, e)))
			break;
		n++;
	}
	sbuf_free(&ddl);
	if (applied && !rc)
		*applied = n;
	return rc;
}

/* A new school: its schema (made here, or an empty one a DBA made and granted) and the
 * migrations, in one transaction. */
/* portal compares and sorts text byte by byte, as SQLite does (Ё before А, capitals first), and
 * splits key ranges by that order: a database whose default collation orders by a language
 * (ru_RU, an ICU locale) would sort the same lists otherwise, and is refused its first school. */
static int bytewise_collation(struct pg_store *s, struct perr *e)
{
	char other[8], name[128];
	int rc = first_value(s, "SELECT 'a' < 'B' OR 'Ёж' > 'Аз'", NULL, NULL, other, sizeof other, e);
	if (rc < 0)
		return -rc;
	if (strcmp(other, "t") != 0)
		return 0;
	if ((rc = first_value(s, "SELECT datname || ' (' || COALESCE(to_jsonb(d) ->> 'daticulocale', datcollate) || ')' "
			      "FROM pg_database d WHERE datname = current_database()",
			      NULL, NULL, name, sizeof name, e)) < 0)
		return -rc;
	return perr_set(e, EX_CONFIG,
			"%s: the database %s sorts text by a language, not byte by byte as portal does (as SQLite): "
			"make it with createdb --locale=C.UTF-8 --template=template0 NAME", s->base.where, name);
}

static int create_school(struct pg_store *s, struct perr *e)
{
	char there[8], tables[32];
	int rc = bytewise_collation(s, e);
	if (rc || (rc = store_begin_write(&s->base, e)))
		return rc;
	if ((rc = first_value(s, "SELECT count(*) FROM pg_namespace WHERE nspname = $1", s->schema, NULL,
			      there, sizeof there, e)) < 0 ||
	    (rc = first_value(s, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON c.relnamespace = n.oid "
			      "WHERE n.nspname = $1", s->schema, NULL, tables, sizeof tables, e)) < 0) {
		rc = -rc;
	} else if (strcmp(tables, "0") != 0) {
		rc = perr_set(e, EX_CANTCREAT, "%s: a store already exists there (schema %s is not empty); it is left as it is",
			      s->base.where, s->schema);
	} else if (strcmp(there, "0") == 0) {
		rc = run_on_school(s, "CREATE SCHEMA ", "", e);
	} else {
		rc = 0;
	}
	if (!rc)
		rc = pg_apply_migrations(&s->base, 0, NULL, e);
	if (!rc)
		return store_commit(&s->base, e);
	store_rollback(&s->base);
	return rc;
}

static void pg_close(struct store *base)
{
	struct pg_store *s = PG(base);
	load_free(s->load);	/* a load that failed half-way: the transaction is rolled back */
	PQfinish(s->conn);
	free(s->given);
	free(s->uri);
	free(s->schema);
	free(base->where);
	free(s);
}

static void pg_discard(struct store *base)
{
	run_on_school(PG(base), "DROP SCHEMA ", " CASCADE", NULL);
}

/* A school whose schema the role may not use is refused as such, not taken for an empty one. */
static int check_usage(struct pg_store *s, struct perr *e)
{
	char may[8];
	int rc = first_value(s, "SELECT has_schema_privilege(oid, 'USAGE') FROM pg_namespace WHERE nspname = $1",
			     s->schema, NULL, may, sizeof may, e);
	if (rc < 0)
		return -rc;
	if (rc == 1 && strcmp(may, "t") != 0)
		return perr_set(e, EX_NOPERM, "not permitted: the database role %s may not use the school %s "
				"(no USAGE on its schema; a DBA grants it, see share/postgresql/grants.sh)",
				PQuser(s->conn), s->schema);
	return 0;
}

static int pg_open(const char *where, int flags, struct store **out, struct perr *e)
{
	struct pg_store *s = xcalloc(1, sizeof *s);
	s->base.eng = &engine_pg;
	s->base.where = redact(where);
	s->given = xstrdup(where);
	s->uri = take_school(where, &s->schema);
	s->conn = PQconnectdb(s->uri);
	int rc;
	if (PQstatus(s->conn) != CONNECTION_OK) {
		char msg[512];
		str_copy(msg, sizeof msg, PQerrorMessage(s->conn));
		msg[strcspn(msg, "\n")] = '\0';
		rc = perr_set(e, EX_UNAVAILABLE, "%s: cannot connect: %s", s->base.where, msg);
	} else if (!(rc = connect_school(s, e)) && !(rc = check_usage(s, e))) {
		/* a school that is not there is a store that is not there, as a missing file */
		if (!(flags & STORE_CREATE) && store_schema_version(&s->base) == 0)
			rc = perr_set(e, EX_NOINPUT, "%s: no store in schema %s (create one with portal-db init, or give --db)",
				      s->base.where, s->schema);
		else
			rc = (flags & STORE_CREATE) ? create_school(s, e) : engine_check_version(&s->base, flags, e);
	}
	if (rc) {
		store_close(&s->base);
		return rc;
	}
	*out = &s->base;
	return 0;
}

static int writer_lock(struct pg_store *s, int take, struct perr *e)
{
	char key[32];
	snprintf(key, sizeof key, "%d", LOCK_CLASS);
	const char *vals[2] = { key, s->schema };
	int rc0 = copy_pause(s, e);
	if (rc0)
		return rc0;
	PGresult *r = PQexecParams(s->conn, take ? "SELECT pg_advisory_lock($1::int4, hashtext($2))"
					  : "SELECT pg_advisory_unlock($1::int4, hashtext($2))",
				   2, NULL, vals, NULL, NULL, 0);
	int rc = PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : pg_error(s, r, "the school's writer lock", e);
	PQclear(r);
	if (!rc)
		s->locked = take;
	return rc;
}

static int pg_begin(struct store *base, int write, struct perr *e)
{
	struct pg_store *s = PG(base);
	int rc;
	if (!write)
		return run_simple(s, "BEGIN ISOLATION LEVEL REPEATABLE READ", e);
	if (!s->locked && (rc = writer_lock(s, 1, e)))
		return rc;
	if ((rc = run_simple(s, "BEGIN ISOLATION LEVEL SERIALIZABLE", e)))
		writer_lock(s, 0, NULL);
	return rc;
}

static int pg_commit(struct store *base, int durable, struct perr *e)
{
	struct pg_store *s = PG(base);
	int rc = run_simple(s, "COMMIT", e);
	if (!rc && s->locked)
		writer_lock(s, 0, NULL);
	return rc;
}

static void pg_rollback(struct store *base)
{
	struct pg_store *s = PG(base);
	if (PQtransactionStatus(s->conn) != PQTRANS_IDLE)
		run_simple(s, "ROLLBACK", NULL);
	if (s->locked)
		writer_lock(s, 0, NULL);
}

static char *rewrite_sql(const char *sql);

static int pg_exec(struct store *base, const char *sql, struct perr *e)
{
	char *pgsql = rewrite_sql(sql);
	int rc = run_simple(PG(base), pgsql, e);
	free(pgsql);
	return rc;
}

static int pg_changes(struct store *base)
{
	return PG(base)->changes;
}

/* No file: roles are the database's (the actor is the authenticated role, lib/actor.c). */
static int pg_file_owner(struct store *base, long *uid)
{
	return -1;
}

/* The authenticated role (session_user: a SET ROLE does not change who logged in) and whether it
 * owns the school's schema, is a member of its owner, or is a superuser. */
static int pg_role(struct store *base, char *name, size_t n)
{
	struct pg_store *s = PG(base);
	char owns[8];
	int rc = first_value(s, "SELECT r.rolsuper OR pg_has_role(r.oid, n.nspowner, 'MEMBER') "
			     "FROM pg_roles r, pg_namespace n WHERE r.rolname = session_user AND n.nspname = $1",
			     s->schema, NULL, owns, sizeof owns, NULL);
	if (first_value(s, "SELECT session_user", NULL, NULL, name, n, NULL) <= 0)
		str_copy(name, n, PQuser(s->conn));
	return rc == 1 && strcmp(owns, "t") == 0;	/* when the server cannot say: not the owner */
}


static int ident_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
	       (unsigned char)c >= 0x80;
}

/* Whether the parenthesis at p holds a comma of its own level (max(a, b), not max(a)). */
static int has_two_args(const char *p)
{
	int depth = 0;
	for (; *p; p++) {
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				;
			if (!*p)
				return 0;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			if (--depth == 0)
				return 0;
		} else if (*p == ',' && depth == 1) {
			return 1;
		}
	}
	return 0;
}

/* SQLite's forms PostgreSQL lacks, in PostgreSQL's words (see the top of the file). */
static char *rewrite_sql(const char *sql)
{
	size_t n = strlen(sql);
	char *out = xcalloc(1, n * 2 + 1), *o = out;
	for (const char *p = sql; *p;) {
		int word_start = p == sql || !ident_char(p[-1]);
		if (*p == '\'') {
			const char *q = p + 1;
			while (*q && *q != '\'')
				q++;
			size_t len = (size_t)(q - p) + (*q ? 1 : 0);
			memcpy(o, p, len);
			o += len;
			p += len;
		} else if (word_start && strncasecmp(p, "temp.", 5) == 0) {
			o += sprintf(o, "pg_temp.");
			p += 5;
		} else if (word_start && (strncasecmp(p, "max(", 4) == 0 || strncasecmp(p, "min(", 4) == 0) &&
			   has_two_args(p + 3)) {
			o += sprintf(o, "%s(", tolower((unsigned char)p[1]) == 'a' ? "greatest" : "least");
			p += 4;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

/* The highest $N of the SQL, outside quotes and comments; *used: a bit for each $N there. */
static int highest_param(const char *sql, uint64_t *used)
{
	int n = 0;
	*used = 0;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'' || *p == '"') {
			char q = *p;
			for (p++; *p && *p != q; p++)
				;
			if (!*p)
				break;
		} else if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
			if (!*p)
				break;
		} else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
			int k = atoi(p + 1);
			if (k > n)
				n = k;
			if (k < 64)
				*used |= (uint64_t)1 << k;
		}
	}
	return n;
}

static struct stmt *pg_prepare(struct store *base, const char *sql, struct perr *e)
{
	struct pg_store *s = PG(base);
	struct pg_stmt *st = xcalloc(1, sizeof *st);
	uint64_t used;
	st->base.nparams = highest_param(sql, &used);
	if (st->base.nparams > MAX_PARAMS) {
		free(st);
		perr_set(e, EX_SOFTWARE, "%s: a statement takes more than %d parameters [%.80s]", base->where, MAX_PARAMS, sql);
		return NULL;
	}
	/* a number the SQL skips is still a parameter to the server, which needs its type */
	for (int i = 1; i <= st->base.nparams; i++)
		st->unused[i] = !(used & ((uint64_t)1 << i));
	snprintf(st->name, sizeof st->name, "p%d", ++s->nstmts);
	st->pgsql = rewrite_sql(sql);
	return &st->base;
}

static void pg_rewind(struct stmt *base)
{
	struct pg_stmt *st = PGST(base);
	PQclear(st->res);
	st->res = NULL;
	st->row = st->nrows = 0;
	st->failed = 0;
}

static void pg_unbind(struct stmt *base)
{
	struct pg_stmt *st = PGST(base);
	for (int i = 0; i <= MAX_PARAMS; i++) {
		free(st->owned[i]);
		st->owned[i] = NULL;
		st->vals[i] = NULL;
	}
}

static void pg_finalize(struct stmt *base)
{
	struct pg_stmt *st = PGST(base);
	struct pg_store *s = PG(base->store);
	pg_rewind(base);
	pg_unbind(base);
	/* the server forgets a connection's statements with it: no DEALLOCATE a statement at the end */
	if (st->prepared && !s->base.closing && PQstatus(s->conn) == CONNECTION_OK && !copy_pause(s, NULL)) {
		char sql[32];
		snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
		PQclear(PQexec(s->conn, sql));
	}
	free(st->pgsql);
	free(st);
}

static void set_value(struct pg_stmt *st, int i, const char *v, char *owned, unsigned type)
{
	if (i < 1 || i > MAX_PARAMS)
		return;
	free(st->owned[i]);
	st->owned[i] = owned;
	st->vals[i] = v;
	if (!st->prepared)
		st->types[i] = st->unused[i] ? OID_TEXT : type;
}

static void pg_bind_text(struct stmt *base, int i, const char *v, int copy)
{
	char *c = copy ? xstrdup(v) : NULL;
	set_value(PGST(base), i, c ? c : v, c, 0);
}

static void pg_bind_int(struct stmt *base, int i, int64_t v)
{
	char *c = xcalloc(1, 24);
	snprintf(c, 24, "%lld", (long long)v);
	set_value(PGST(base), i, c, c, OID_INT8);
}

static void pg_bind_double(struct stmt *base, int i, double v)
{
	char *c = xcalloc(1, 32);
	snprintf(c, 32, "%.17g", v);
	set_value(PGST(base), i, c, c, OID_FLOAT8);
}

static void pg_bind_null(struct stmt *base, int i)
{
	set_value(PGST(base), i, NULL, NULL, 0);
}

static int stmt_failed(struct pg_stmt *st, PGresult *r, struct perr *e)
{
	struct pg_store *s = PG(st->base.store);
	int status = pg_error(s, r, "running a statement", e);
	if (e && status == EX_SOFTWARE)
		snprintf(e->msg + strlen(e->msg), sizeof e->msg - strlen(e->msg), " [%.120s]", st->base.sql);
	PQclear(r);
	return status;
}

/* Prepares the statement (at its first run, with this run's types) and runs it: 0 or a status. */
static int execute(struct pg_stmt *st, struct perr *e)
{
	struct pg_store *s = PG(st->base.store);
	int n = st->base.nparams, rc0 = copy_pause(s, e);
	if (rc0)
		return rc0;
	if (!st->prepared) {
		PGresult *r = PQprepare(s->conn, st->name, st->pgsql, n, st->types + 1);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			return stmt_failed(st, r, e);
		PQclear(r);
		st->prepared = 1;
	}
	PGresult *r = PQexecPrepared(s->conn, st->name, n, st->vals + 1, NULL, NULL, 0);
	ExecStatusType rs = PQresultStatus(r);
	if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK)
		return stmt_failed(st, r, e);
	if (*PQcmdTuples(r) && strncmp(PQcmdStatus(r), "SELECT", 6) != 0)
		s->changes = atoi(PQcmdTuples(r));
	st->res = r;
	st->nrows = PQntuples(r);
	st->row = 0;
	return 0;
}

static int pg_step(struct stmt *base, struct perr *e)
{
	struct pg_stmt *st = PGST(base);
	if (st->failed) {	/* the run stmt_columns made */
		int status = st->failed;
		st->failed = 0;
		if (e)
			*e = st->err;
		return -status;
	}
	int rc;
	if (!st->res && (rc = execute(st, e)))
		return -rc;
	if (st->row >= st->nrows)
		return 0;
	st->row++;
	return 1;
}

/* The columns are known once the statement ran: stmt_columns runs it (its bindings are made
 * by then), and the first step reads the rows of that run. */
static void ensure_result(struct pg_stmt *st)
{
	if (!st->res && !st->failed) {
		memset(&st->err, 0, sizeof st->err);
		st->failed = execute(st, &st->err);
	}
}

static int pg_columns(struct stmt *base)
{
	struct pg_stmt *st = PGST(base);
	ensure_result(st);
	return st->res ? PQnfields(st->res) : 0;
}

static const char *pg_colname(struct stmt *base, int i)
{
	struct pg_stmt *st = PGST(base);
	ensure_result(st);
	return st->res ? PQfname(st->res, i) : NULL;
}

static const char *pg_text(struct stmt *base, int i)
{
	struct pg_stmt *st = PGST(base);
	int row = st->row - 1;
	if (!st->res || row < 0 || i >= PQnfields(st->res) || PQgetisnull(st->res, row, i))
		return NULL;
	const char *v = PQgetvalue(st->res, row, i);
	if (PQftype(st->res, i) == OID_BOOL)	/* as SQLite's comparisons give */
		return *v == 't' ? "1" : "0";
	return v;
}

static int64_t pg_int(struct stmt *base, int i)
{
	const char *v = pg_text(base, i);
	return v ? strtoll(v, NULL, 10) : 0;
}

static double pg_double(struct stmt *base, int i)
{
	const char *v = pg_text(base, i);
	return v ? strtod(v, NULL) : 0;
}

static int pg_isnull(struct stmt *base, int i)
{
	struct pg_stmt *st = PGST(base);
	return !st->res || st->row < 1 || PQgetisnull(st->res, st->row - 1, i);
}

/* ---- bulk loading: COPY … FROM STDIN ---- */

static int copy_send(struct pg_store *s, struct perr *e)
{
	struct pg_load *l = s->load;
	if (l->buf.len && PQputCopyData(s->conn, l->buf.s, (int)l->buf.len) != 1)
		return pg_error(s, NULL, "sending rows", e);
	sbuf_reset(&l->buf);
	return 0;
}

/* Ends the open COPY, if any: its rows are in the table (0), or a status. */
static int copy_end(struct pg_store *s, struct perr *e)
{
	if (!s->copying)
		return 0;
	s->copying = 0;
	int rc = copy_send(s, e);
	if (PQputCopyEnd(s->conn, rc ? "the rows could not be sent" : NULL) != 1 && !rc)
		rc = pg_error(s, NULL, "ending a bulk load", e);
	PGresult *r;
	while ((r = PQgetResult(s->conn))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && !rc)
			rc = pg_error(s, r, "loading rows", e);
		PQclear(r);
	}
	return rc;
}

/* A tentative load's rows go back: its COPY fails on purpose, and the savepoint before it is
 * rolled back to (the store as before the load); later rows are dropped. */
static int take_back(struct pg_store *s, struct perr *e)
{
	struct pg_load *l = s->load;
	l->taken_back = 1;
	sbuf_reset(&l->buf);
	if (s->copying) {
		s->copying = 0;
		PQputCopyEnd(s->conn, "the load is taken back");
		PGresult *r;
		while ((r = PQgetResult(s->conn)))
			PQclear(r);
	}
	PGresult *r = PQexec(s->conn, "ROLLBACK TO SAVEPOINT " TRY_SAVEPOINT "; RELEASE SAVEPOINT " TRY_SAVEPOINT);
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : pg_error(s, r, "taking a load back", e);
	PQclear(r);
	return rc;
}

/* Before another statement: the open COPY ends, its rows in; a tentative load is taken back
 * instead, since what the statement does would go back with it. */
static int copy_pause(struct pg_store *s, struct perr *e)
{
	if (s->load && s->load->tentative)
		return s->load->taken_back ? 0 : take_back(s, e);
	return copy_end(s, e);
}

static int copy_open(struct pg_store *s, struct perr *e)
{
	PGresult *r = PQexec(s->conn, s->load->copy_sql);
	int rc = PQresultStatus(r) == PGRES_COPY_IN ? 0 : pg_error(s, r, s->load->copy_sql, e);
	PQclear(r);
	s->copying = !rc;
	return rc;
}

static void *pg_load_begin(struct store *base, const char *table, const char *const *cols, int ncols, int tentative,
			   struct perr *e)
{
	struct pg_store *s = PG(base);
	if (s->load) {
		perr_set(e, EX_SOFTWARE, "%s: a bulk load is under way already", base->where);
		return NULL;
	}
	if (tentative && run_simple(s, "SAVEPOINT " TRY_SAVEPOINT, e))
		return NULL;
	struct pg_load *l = xcalloc(1, sizeof *l);
	struct sbuf q;
	char *t = rewrite_sql(table);
	sbuf_init(&q);
	sbuf_printf(&q, "COPY %s (", t);
	free(t);
	for (int i = 0; i < ncols; i++)
		sbuf_printf(&q, "%s%s", i ? ", " : "", cols[i]);
	sbuf_adds(&q, ") FROM STDIN");
	l->copy_sql = q.s;
	l->ncols = ncols;
	l->tentative = tentative;
	sbuf_init(&l->buf);
	s->load = l;
	return l;
}

/* A row in COPY's text format: tab between values, \N for NULL, backslash escapes. */
static int pg_load_taken_back(struct store *base, void *load)
{
	return ((struct pg_load *)load)->taken_back;
}

static int pg_load_row(struct store *base, void *load, const char *const *vals, struct perr *e)
{
	struct pg_store *s = PG(base);
	struct pg_load *l = load;
	int rc;
	if (l->taken_back)
		return 0;
	if (!s->copying && (rc = copy_open(s, e)))
		return rc;
	for (int i = 0; i < l->ncols; i++) {
		if (i)
			sbuf_addc(&l->buf, '\t');
		if (!vals[i]) {
			sbuf_adds(&l->buf, "\\N");
			continue;
		}
		const char *v = vals[i], *plain = v;
		for (; *v; v++) {
			char esc = *v == '\\' ? '\\' : *v == '\t' ? 't' : *v == '\n' ? 'n' : *v == '\r' ? 'r' : 0;
			if (!esc)
				continue;
			sbuf_add(&l->buf, plain, (size_t)(v - plain));
			sbuf_addc(&l->buf, '\\');
			sbuf_addc(&l->buf, esc);
			plain = v + 1;
		}
		sbuf_add(&l->buf, plain, (size_t)(v - plain));
	}
	sbuf_addc(&l->buf, '\n');
	return l->buf.len >= COPY_CHUNK ? copy_send(s, e) : 0;
}

static int pg_load_end(struct store *base, void *load, int abort, struct perr *e)
{
	struct pg_store *s = PG(base);
	struct pg_load *l = load;
	int rc = 0;
	if (!l->tentative) {
		rc = copy_end(s, e);
	} else if (l->taken_back) {
		rc = abort ? 0 : perr_set(e, EX_TEMPFAIL, "%s: the load was taken back", base->where);
	} else if (abort) {
		rc = take_back(s, e);
	} else if ((rc = copy_end(s, e))) {
		/* a row refused (a key there already): all of them go back; e says why */
		struct perr why = *e;
		int rc2 = take_back(s, e);
		if (rc2)
			rc = rc2;
		else
			*e = why;
	} else {
		s->load = NULL;		/* not a statement that takes it back */
		rc = run_simple(s, "RELEASE SAVEPOINT " TRY_SAVEPOINT, e);
	}
	s->load = NULL;
	load_free(l);
	return rc;
}

/* pg_dump of the school's schema into a new file (mode 0600). */
static int pg_backup(struct store *base, const char *path, struct perr *e)
{
	struct pg_store *s = PG(base);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? perr_set(e, EX_CANTCREAT, "%s: exists; a backup never overwrites a file", path)
				       : perr_set(e, EX_CANTCREAT, "%s: %s", path, strerror(errno));
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd, 1);
		execlp("pg_dump", "pg_dump", "--format=custom", "--schema", s->schema, "--dbname", s->uri, (char *)NULL);
		_exit(127);
	}
	close(fd);
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		unlink(path);
		if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 127)
			return perr_set(e, EX_UNAVAILABLE, "pg_dump is not installed (apt-get install postgresql-client); "
					"or run: pg_dump --format=custom --schema %s --file %s '%s'", s->schema, path, base->where);
		return perr_set(e, EX_IOERR, "%s: pg_dump of schema %s failed", path, s->schema);
	}
	return 0;
}

/* PostgreSQL checks its pages (data checksums) and enforces every declared reference itself. */
static int pg_check_nothing(struct store *base, struct perr *e)
{
	return 0;
}

/* A second connection that reads the same snapshot as s (an exported one). */
static int pg_twin(struct store *base, struct store **out, struct perr *e)
{
	struct pg_store *s = PG(base), *t;
	char snap[64], sql[128];
	int rc = first_value(s, "SELECT pg_export_snapshot()", NULL, NULL, snap, sizeof snap, e);
	if (rc <= 0)
		return rc < 0 ? -rc : 0;
	struct store *tw;
	if ((rc = pg_open(s->given, STORE_ANY_VERSION, &tw, e)))
		return rc;
	t = PG(tw);
	snprintf(sql, sizeof sql, "SET TRANSACTION SNAPSHOT '%s'", snap);
	if ((rc = store_begin_read(tw, e)) || (rc = run_simple(t, sql, e))) {
		store_close(tw);
		return rc;
	}
	*out = tw;
	return 0;
}

const struct engine engine_pg = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.discard = pg_discard,
	.schema_version = pg_schema_version,
	.apply_migrations = pg_apply_migrations,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.twin = pg_twin,
	.exec = pg_exec,
	.changes = pg_changes,
	.file_owner = pg_file_owner,
	.role = pg_role,
	.backup = pg_backup,
	.check_integrity = pg_check_nothing,
	.check_references = pg_check_nothing,
	.load_begin = pg_load_begin,
	.load_row = pg_load_row,
	.load_end = pg_load_end,
	.load_taken_back = pg_load_taken_back,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.bind_text = pg_bind_text,
	.bind_int = pg_bind_int,
	.bind_double = pg_bind_double,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.rewind = pg_rewind,
	.unbind = pg_unbind,
	.columns = pg_columns,
	.colname = pg_colname,
	.text = pg_text,
	.int64 = pg_int,
	.dbl = pg_double,
	.isnull = pg_isnull,
};
