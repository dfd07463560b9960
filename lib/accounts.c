/*
 * accounts.c: issuing credentials, checking and changing passwords, locks.
 * Hashing is slow on purpose (Argon2id), so issuing spreads it over every core.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "accounts.h"
#include "actor.h"
#include "audit.h"
#include "invalidate.h"
#include "rights.h"
#include "strmap.h"
#include "translit.h"
#include "util.h"

/* No look-alikes: no 0 O o, 1 l I. */
static const char PW_ALPHABET[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

static struct issue_item *plan_add(struct issue_plan *p)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		p->items = xrealloc(p->items, p->cap * sizeof *p->items);
	}
	struct issue_item *it = &p->items[p->n++];
	memset(it, 0, sizeof *it);
	return it;
}

static int login_taken(struct store *s, const char *login, const struct strmap *planned, struct perr *e, int *taken)
{
	*taken = strmap_get(planned, login) >= 0;
	if (*taken)
		return 0;
	int rc = store_exists(s, e, "SELECT 1 FROM accounts WHERE login = $1 UNION ALL SELECT 1 FROM staff WHERE login = $1",
			      P_TEXT(login));
	if (rc < 0)
		return -rc;
	*taken = rc;
	return 0;
}

/* lastname.firstname, then lastname.firstname2, 3, … while taken. */
static int choose_login(struct store *s, const char *last, const char *first, struct strmap *planned, char *out,
			size_t n, struct perr *e)
{
	char base[80];
	login_base(last, first, base, sizeof base);
	for (int k = 1; k < 10000; k++) {
		int taken, rc;
		if (k == 1)
			snprintf(out, n, "%s", base);
		else
			snprintf(out, n, "%s%d", base, k);
		if ((rc = login_taken(s, out, planned, e, &taken)))
			return rc;
		if (!taken) {
			strmap_put(planned, out, 1);
			return 0;
		}
	}
	return perr_set(e, EX_SOFTWARE, "no free login for %s", base);
}

static void full_name(char *out, size_t n, const char *last, const char *first, const char *middle)
{
	snprintf(out, n, "%s %s%s%s", last, first, middle && *middle ? " " : "", middle && *middle ? middle : "");
}

/* An item from a row of (id, last, first, middle); login NULL: a new one is chosen later
 * (until then login holds "last\tfirst"). */
static struct issue_item *plan_person(struct issue_plan *p, const char *kind, struct stmt *st, const char *cls,
				      const char *login)
{
	struct issue_item *it = plan_add(p);
	str_copy(it->kind, sizeof it->kind, kind);
	str_copy(it->person_id, sizeof it->person_id, stmt_text(st, 0));
	full_name(it->full_name, sizeof it->full_name, stmt_text(st, 1), stmt_text(st, 2), stmt_text(st, 3));
	str_copy(it->cls, sizeof it->cls, cls ? cls : "");
	str_copy(it->locked_reason, sizeof it->locked_reason, stmt_text(st, 6) ? stmt_text(st, 6) : "");
	if (login)
		str_copy(it->login, sizeof it->login, login);
	else
		snprintf(it->login, sizeof it->login, "%s\t%s", stmt_text(st, 1), stmt_text(st, 2));
	return it;
}

/* An account whose password a leaked login set does not count: plain issue replaces it. */
static int issued_by_leak(struct stmt *st)
{
	const char *reason = stmt_text(st, 6);
	return reason && (strncmp(reason, BREACH_LOCK_PREFIX, strlen(BREACH_LOCK_PREFIX)) == 0 ||
			  strcmp(reason, LEAK_ISSUED) == 0);
}

/* Whether a row (… , class at 4 or NULL, login at 5, lock reason at 6) is left out: a class the
 * actor may not write (when no class was named), or an account that counts and no --reissue. */
static int plan_skips(struct ctx *c, const struct issue_opts *o, struct stmt *st, const char *cls)
{
	if (cls && !o->cls && actor_may_write_class(c->actor, cls, NULL, NULL))
		return 1;
	return stmt_text(st, 5) && !o->reissue && !issued_by_leak(st);
}

static int plan_students(struct ctx *c, const struct issue_opts *o, struct issue_plan *p, struct perr *e)
{
	struct stmt *st = store_query(c->store, e,
		"SELECT s.student_id, s.last_name, s.first_name, s.middle_name, s.class, a.login, a.locked_reason "
		"FROM students s JOIN classes k ON k.name = s.class "
		"LEFT JOIN accounts a ON a.kind = 'student' AND a.person_id = s.student_id "
		"WHERE s.status = 'active' AND (s.class = $1 OR $1 IS NULL) "
		"ORDER BY k.sort_key, s.class, s.last_name, s.first_name, s.student_id", P_TEXT(o->cls));
	if (!st)
		return e->status;
	int rc;
	while ((rc = stmt_step(st, e)) == 1) {
		const char *cls = stmt_text(st, 4), *login = stmt_text(st, 5);
		if (!plan_skips(c, o, st, cls))
			plan_person(p, "student", st, cls, login)->reissue = login != NULL;
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

static int plan_guardians(struct ctx *c, const struct issue_opts *o, struct issue_plan *p, struct perr *e)
{
	struct stmt *st = store_query(c->store, e,
		"SELECT g.guardian_id, g.last_name, g.first_name, g.middle_name, s.class, a.login, a.locked_reason "
		"FROM guardians g JOIN guardian_links l ON l.guardian_id = g.guardian_id "
		"JOIN students s ON s.student_id = l.student_id JOIN classes k ON k.name = s.class "
		"LEFT JOIN accounts a ON a.kind = 'guardian' AND a.person_id = g.guardian_id "
		"WHERE " FACT_VALID("l") " AND s.status = 'active' AND (s.class = $1 OR $1 IS NULL) "
		"ORDER BY g.guardian_id, k.sort_key, s.class", P_TEXT(o->cls));
	if (!st)
		return e->status;
	int rc;
	struct issue_item *cur = NULL;
	char held[64] = "";
	while ((rc = stmt_step(st, e)) == 1) {
		const char *id = stmt_text(st, 0), *cls = stmt_text(st, 4), *login = stmt_text(st, 5);
		if (plan_skips(c, o, st, cls) || strcmp(held, id) == 0)
			continue;
		if (cur && strcmp(cur->person_id, id) == 0) {
			/* one account for a guardian of several children: note every class */
			if (!strstr(cur->cls, cls) && strlen(cur->cls) + strlen(cls) + 2 < sizeof cur->cls) {
				strcat(cur->cls, ";");
				strcat(cur->cls, cls);
			}
			continue;
		}
		/* a guardian's credentials reach every child's data: a child of another class keeps them
		 * for an admin (or whoever may write all the classes) */
		int may = rights_guardian_may(c, id, e);
		if (may < 0) {
			rc = may;
			break;
		}
		if (!may) {
			str_copy(held, sizeof held, id);
			p->held_back++;
			continue;
		}
		cur = plan_person(p, "guardian", st, cls, login);
		cur->reissue = login != NULL;
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

/* The ids of a map in the order of their lines. */
struct given_id {
	const char *id;
	long line;
};

static int by_line(const void *a, const void *b)
{
	long x = ((const struct given_id *)a)->line, y = ((const struct given_id *)b)->line;
	return (x > y) - (x < y);
}

static struct given_id *ids_by_line(const struct strmap *m, size_t *n)
{
	struct given_id *v = xcalloc(m->n + 1, sizeof *v);
	*n = 0;
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i]) {
			v[*n].id = m->keys[i];
			v[(*n)++].line = m->vals[i];
		}
	qsort(v, *n, sizeof *v, by_line);
	return v;
}

/* A refusal about one person given by id: FILE:LINE: ID: the reason. */
static int id_refused(const struct issue_opts *o, const struct given_id *g, struct perr *e)
{
	char why[sizeof e->msg];
	str_copy(why, sizeof why, e->msg);
	return perr_set(e, e->status, "%s:%ld: %s: %s", o->ids_name, g->line, g->id, why);
}

/* The children's classes of a guardian (links that count, children at school), ';'-joined. */
static int guardian_classes(struct ctx *c, const char *guardian, char *out, size_t n, struct perr *e)
{
	struct stmt *st = store_query(c->store, e,
		"SELECT DISTINCT s.class, k.sort_key FROM guardian_links l JOIN students s ON s.student_id = l.student_id "
		"JOIN classes k ON k.name = s.class WHERE l.guardian_id = $1 AND s.status = 'active' AND " FACT_VALID("l")
		" ORDER BY k.sort_key, s.class", P_TEXT(guardian));
	if (!st)
		return e->status;
	int rc;
	*out = '\0';
	while ((rc = stmt_step(st, e)) == 1)
		if (strlen(out) + strlen(stmt_text(st, 0)) + 2 < n) {
			if (*out)
				strcat(out, ";");
			strcat(out, stmt_text(st, 0));
		}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

static const char ID_STUDENT_SQL[] =
	"SELECT s.student_id, s.last_name, s.first_name, s.middle_name, s.class, a.login, a.locked_reason, s.status "
	"FROM students s LEFT JOIN accounts a ON a.kind = 'student' AND a.person_id = s.student_id WHERE s.student_id = $1";
static const char ID_GUARDIAN_SQL[] =
	"SELECT g.guardian_id, g.last_name, g.first_name, g.middle_name, NULL, a.login, a.locked_reason, 'active' "
	"FROM guardians g LEFT JOIN accounts a ON a.kind = 'guardian' AND a.person_id = g.guardian_id WHERE g.guardian_id = $1";

/* One person given by id: checked (at school, the actor's to issue for), then planned unless they
 * have an account that counts and there is no --reissue. */
static int plan_given(struct ctx *c, const struct issue_opts *o, const char *kind, const struct given_id *g,
		      struct issue_plan *p, struct perr *e)
{
	int student = strcmp(kind, "student") == 0, rc;
	char cls[64];
	struct stmt *st = store_query(c->store, e, student ? ID_STUDENT_SQL : ID_GUARDIAN_SQL, P_TEXT(g->id));
	if (!st)
		return e->status;
	if ((rc = stmt_step(st, e)) != 1) {
		stmt_reset(st);
		if (rc < 0)
			return -rc;
		if (student)
			return perr_set(e, EX_DATAERR, "%s:%ld: %s is not a student of this store", o->ids_name, g->line, g->id);
		return perr_set(e, EX_DATAERR, "%s:%ld: %s is not a guardian of this store", o->ids_name, g->line, g->id);
	}
	if (student) {
		str_copy(cls, sizeof cls, stmt_text(st, 4));
		if (strcmp(stmt_text(st, 7), "active") != 0)
			rc = perr_set(e, EX_DATAERR, "%s:%ld: %s has left the school (status left): no credentials",
				      o->ids_name, g->line, g->id);
		else if ((rc = actor_may_write_class(c->actor, cls, "issue credentials", e)))
			rc = id_refused(o, g, e);
	} else if (!(rc = guardian_classes(c, g->id, cls, sizeof cls, e))) {
		if (!*cls)
			rc = perr_set(e, EX_DATAERR, "%s:%ld: %s has no child at school: no credentials",
				      o->ids_name, g->line, g->id);
		else if ((rc = rights_guardian(c, g->id, "issue credentials", e)))
			rc = id_refused(o, g, e);
	}
	if (!rc && stmt_text(st, 5) && !o->reissue && !issued_by_leak(st))
		p->have_account++;
	else if (!rc)
		plan_person(p, kind, st, cls, stmt_text(st, 5))->reissue = stmt_text(st, 5) != NULL;
	stmt_reset(st);
	return rc;
}

/* The people of the ids, students first, each kind in the order of the lines. */
static int plan_ids(struct ctx *c, const struct issue_opts *o, const char *who, struct issue_plan *p, struct perr *e)
{
	static const char *const kinds[] = { "student", "guardian" };
	const struct strmap *maps[] = { o->students, o->guardians };
	int rc = 0;
	for (int k = 0; k < 2 && !rc; k++) {
		if (!maps[k] || (strcmp(who, "all") && strncmp(who, kinds[k], strlen(kinds[k]))))
			continue;
		size_t n;
		struct given_id *v = ids_by_line(maps[k], &n);
		for (size_t i = 0; i < n && !rc; i++)
			rc = plan_given(c, o, kinds[k], &v[i], p, e);
		free(v);
	}
	return rc;
}

static int plan_staff(struct ctx *c, const struct issue_opts *o, struct issue_plan *p, struct perr *e)
{
	int rc = actor_require_admin(c->actor, "issue staff credentials", e);
	if (rc)
		return rc;
	struct stmt *st = store_query(c->store, e,
		"SELECT f.staff_id, f.last_name, f.first_name, f.middle_name, f.login, a.login, a.locked_reason "
		"FROM staff f LEFT JOIN accounts a ON a.kind = 'staff' AND a.person_id = f.staff_id "
		"WHERE f.status = 'active' ORDER BY f.last_name, f.first_name, f.staff_id");
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1) {
		const char *staff_login = stmt_text(st, 4), *login = stmt_text(st, 5);
		if (plan_skips(c, o, st, NULL))
			continue;
		const char *keep = login ? login : staff_login && *staff_login ? staff_login : NULL;
		plan_person(p, "staff", st, NULL, keep)->reissue = login != NULL;
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

/* Turns the "last\tfirst" placeholders into free logins, in plan order. */
static int plan_logins(struct ctx *c, struct issue_plan *p, struct perr *e)
{
	struct strmap planned;
	strmap_init(&planned);
	int rc = 0;
	for (size_t i = 0; i < p->n && !rc; i++) {
		struct issue_item *it = &p->items[i];
		char *tab = strchr(it->login, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		char last[96], first[96];
		str_copy(last, sizeof last, it->login);
		str_copy(first, sizeof first, tab + 1);
		rc = choose_login(c->store, last, first, &planned, it->login, sizeof it->login, e);
	}
	strmap_free(&planned);
	return rc;
}

int issue_plan_make(struct ctx *c, const struct issue_opts *o, struct issue_plan *p, struct perr *e)
{
	const char *who = o->who ? o->who : "all";
	int rc = 0;
	memset(p, 0, sizeof *p);
	if (strcmp(who, "students") && strcmp(who, "guardians") && strcmp(who, "staff") && strcmp(who, "all"))
		return perr_set(e, EX_USAGE, "--who %s: expected students, guardians, staff or all", who);
	if (o->students || o->guardians) {
		if (o->cls)
			return perr_set(e, EX_USAGE, "ids and --class together: give one or the other");
		if (!strcmp(who, "staff"))
			return perr_set(e, EX_USAGE, "--who staff takes no ids (students and guardians are given by id)");
		rc = plan_ids(c, o, who, p, e);
		return rc ? rc : plan_logins(c, p, e);
	}
	if (o->cls && (rc = actor_may_write_class(c->actor, o->cls, "issue credentials", e)))
		return rc;
	if (!strcmp(who, "students") || !strcmp(who, "all"))
		rc = plan_students(c, o, p, e);
	if (!rc && (!strcmp(who, "guardians") || !strcmp(who, "all")))
		rc = plan_guardians(c, o, p, e);
	if (!rc && !strcmp(who, "staff"))
		rc = plan_staff(c, o, p, e);
	return rc ? rc : plan_logins(c, p, e);
}

struct hash_job {
	struct issue_plan *p;
	atomic_size_t next;
	atomic_size_t done;
	atomic_int failed;
};

static void *hash_worker(void *arg)
{
	struct hash_job *job = arg;
	size_t i;
	while ((i = atomic_fetch_add(&job->next, 1)) < job->p->n) {
		struct issue_item *it = &job->p->items[i];
		if (crypto_pwhash_str(it->hash, it->password, strlen(it->password), ACCOUNT_PW_OPSLIMIT,
				      ACCOUNT_PW_MEMLIMIT) != 0)
			atomic_store(&job->failed, 1);
		atomic_fetch_add(&job->done, 1);
	}
	return NULL;
}

static void draw_password(char *out)
{
	for (int i = 0; i < ACCOUNT_PW_LEN; i++)
		out[i] = PW_ALPHABET[randombytes_uniform(sizeof PW_ALPHABET - 1)];
	out[ACCOUNT_PW_LEN] = '\0';
}

int issue_plan_hash(struct issue_plan *p, void (*progress)(void *, size_t, size_t), void *pctx, struct perr *e)
{
	if (!p->n)
		return 0;
	p->secrets = sodium_malloc(p->n * (ACCOUNT_PW_LEN + 1));
	if (!p->secrets)
		return perr_set(e, EX_OSERR, "cannot lock memory for the passwords");
	for (size_t i = 0; i < p->n; i++) {
		p->items[i].password = (char *)p->secrets + i * (ACCOUNT_PW_LEN + 1);
		draw_password(p->items[i].password);
	}
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nthreads = cores < 1 ? 1 : (size_t)cores;
	if (nthreads > p->n)
		nthreads = p->n;
	struct hash_job job = { .p = p };
	pthread_t *t = xcalloc(nthreads, sizeof *t);
	size_t started = 0;
	for (; started < nthreads; started++)
		if (pthread_create(&t[started], NULL, hash_worker, &job) != 0)
			break;
	if (!started)
		hash_worker(&job);
	while (progress && atomic_load(&job.done) < p->n) {
		progress(pctx, atomic_load(&job.done), p->n);
		usleep(100000);
	}
	for (size_t i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	free(t);
	if (progress)
		progress(pctx, p->n, p->n);
	if (atomic_load(&job.failed))
		return perr_set(e, EX_OSERR, "hashing a password failed (out of memory?)");
	return 0;
}

static int store_item(struct ctx *c, struct issue_item *it, struct perr *e)
{
	struct change ch;
	int64_t seq;
	int rc;
	change_begin(&ch, c, it->reissue ? "reissue" : "issue", "account", it->login);
	change_field(&ch, "kind", NULL, it->kind);
	change_field(&ch, "person_id", NULL, it->person_id);
	change_field(&ch, "password", NULL, it->reissue ? "replaced" : "set");
	/* new credentials are the remedy for a lock: they work from now on */
	change_field(&ch, "locked", it->locked_reason, NULL);
	if ((rc = change_commit(&ch, &seq, e)))
		return rc;
	rc = store_run(c->store, e, it->reissue
		? "UPDATE accounts SET pw_hash = $3, must_change = 1, locked = 0, locked_reason = NULL, issued_at = $4, audit_seq = $5 "
		  "WHERE login = $1 AND kind = $2 AND person_id = $6"
		: "INSERT INTO accounts (login, kind, person_id, pw_hash, must_change, issued_at, audit_seq) "
		  "VALUES ($1, $2, $6, $3, 1, $4, $5) ON CONFLICT DO NOTHING",
		P_TEXT(it->login), P_TEXT(it->kind), P_TEXT(it->hash), P_TEXT(c->now), P_INT(seq), P_TEXT(it->person_id));
	if (rc)
		return rc;
	if (store_changes(c->store) != 1)
		return perr_set(e, EX_TEMPFAIL, "%s: someone issued credentials at the same time; nothing was written, run it again",
				it->login);
	if (strcmp(it->kind, "staff") != 0)
		return 0;
	return store_run(c->store, e, "UPDATE staff SET login = $1 WHERE staff_id = $2 AND (login IS NULL OR login = '')",
			 P_TEXT(it->login), P_TEXT(it->person_id));
}

int issue_plan_store(struct ctx *c, struct issue_plan *p, struct perr *e)
{
	for (size_t i = 0; i < p->n; i++) {
		int rc = store_item(c, &p->items[i], e);
		if (rc)
			return rc;
	}
	return 0;
}

void issue_plan_free(struct issue_plan *p)
{
	if (p->secrets)
		sodium_free(p->secrets);	/* zeroes before it frees */
	if (p->items)
		sodium_memzero(p->items, p->cap * sizeof *p->items);
	free(p->items);
	memset(p, 0, sizeof *p);
}

/* An Argon2id hash with portal's cost that no password matches in practice: an unknown
 * login is checked against it, so it takes as long as a known one. */
static const char DUMMY_HASH[] =
	"$argon2id$v=19$m=19456,t=2,p=1$RAUH8P8B1bzwKPTv/5CBJA$8klzWfYzGqatwWxKSRMfWQIXywO+DaF29SUl74+3/88";

int account_verify(struct store *s, const char *login, const char *password, struct perr *e)
{
	char hash[crypto_pwhash_STRBYTES];
	int64_t locked;
	int rc = store_get(s, e, "SELECT pw_hash, locked FROM accounts WHERE login = $1", P_TEXT(login),
			   INTO_TEXT(hash, sizeof hash), INTO_INT(&locked));
	if (rc < 0)
		return -rc;
	/* no such login, or a placeholder hash ("!") of a login that never had a password */
	if (hash[0] != '$')
		str_copy(hash, sizeof hash, DUMMY_HASH);
	int ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	sodium_memzero(hash, sizeof hash);
	return ok && !locked && rc == 1 ? 0 : 1;
}

/* A staff login that has no account yet (staff act by their login, not a password). */
static int staff_login(struct store *s, const char *login, char person[64], struct perr *e)
{
	int rc = store_get(s, e, "SELECT staff_id FROM staff WHERE login = $1", P_TEXT(login), INTO_TEXT(person, 64));
	if (rc < 0)
		return -rc;
	if (rc == 0)
		return perr_set(e, EX_DATAERR, "%s: no such login (no account, and no staff member has it)", login);
	return 0;
}

int account_owner(struct store *s, const char *login, char kind[10], char person[64], char cls[64], struct perr *e)
{
	int rc = store_get(s, e,
		"SELECT a.kind, a.person_id, COALESCE(s.class, (SELECT MIN(s2.class) FROM guardian_links l "
		"JOIN students s2 ON s2.student_id = l.student_id WHERE l.guardian_id = a.person_id), '') "
		"FROM accounts a LEFT JOIN students s ON a.kind = 'student' AND s.student_id = a.person_id "
		"WHERE a.login = $1", P_TEXT(login), INTO_TEXT(kind, 10), INTO_TEXT(person, 64), INTO_TEXT(cls, 64));
	if (rc < 0)
		return -rc;
	if (rc == 1)
		return 0;
	if ((rc = staff_login(s, login, person, e)))
		return rc;
	str_copy(kind, 10, "staff");
	*cls = '\0';
	return 0;
}

/* Admins for every account; class leaders for their classes' students, and for guardians whose children
 * are all in classes they lead; staff for themselves. */
static int may_manage(struct ctx *c, const char *login, const char *right, struct perr *e)
{
	char kind[10], person[64], cls[64];
	int rc = account_owner(c->store, login, kind, person, cls, e);
	if (rc)
		return rc;
	if (actor_is(c->actor, "admin") || strcmp(c->actor->login, login) == 0)
		return 0;
	if (strcmp(kind, "staff") == 0)
		return actor_require_admin(c->actor, right, e);
	if (strcmp(kind, "guardian") == 0)
		return rights_guardian(c, person, right, e);
	return actor_may_write_class(c->actor, cls, right, e);
}

int account_staff_row(struct ctx *c, const char *login, struct perr *e)
{
	int rc = store_run(c->store, e,
		"INSERT INTO accounts (login, kind, person_id, pw_hash, must_change, locked, issued_at) "
		"SELECT login, 'staff', staff_id, '!', 1, 0, $2 FROM staff WHERE login = $1 "
		"AND NOT EXISTS (SELECT 1 FROM accounts WHERE login = $1) ON CONFLICT DO NOTHING", P_TEXT(login), P_TEXT(c->now));
	if (rc)
		return rc;
	/* a staff member whose account is under another login: that account is the one to act on */
	rc = store_exists(c->store, e, "SELECT 1 FROM accounts WHERE login = $1", P_TEXT(login));
	if (rc < 0)
		return -rc;
	return rc ? 0 : perr_set(e, EX_DATAERR, "%s: no account has this login (the staff member has one under another login)", login);
}

static int set_account(struct ctx *c, const char *login, const char *op, const char *field, const char *old,
		       const char *new_, const char *sql, const char *arg, struct perr *e)
{
	struct change ch;
	int64_t seq;
	int rc = account_staff_row(c, login, e);
	if (rc)
		return rc;
	change_begin(&ch, c, op, "account", login);
	change_field(&ch, field, old, new_);
	if ((rc = change_commit(&ch, &seq, e)))
		return rc;
	return store_run(c->store, e, sql, P_TEXT(login), P_TEXT(arg), P_INT(seq));
}

int account_passwd(struct ctx *c, const char *login, const char *password, struct perr *e)
{
	char hash[crypto_pwhash_STRBYTES];
	int rc = may_manage(c, login, "change passwords", e);
	if (rc)
		return rc;
	if (strlen(password) < 8)
		return perr_set(e, EX_DATAERR, "the new password is too short (expected at least 8 characters)");
	if (strcmp(password, login) == 0)
		return perr_set(e, EX_DATAERR, "the new password is the login (expected something else)");
	if (crypto_pwhash_str(hash, password, strlen(password), ACCOUNT_PW_OPSLIMIT, ACCOUNT_PW_MEMLIMIT) != 0)
		return perr_set(e, EX_OSERR, "hashing the password failed (out of memory?)");
	rc = set_account(c, login, "passwd", "password", "old", "changed",
			 "UPDATE accounts SET pw_hash = $2, must_change = 0, audit_seq = $3 WHERE login = $1", hash, e);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

int account_lock(struct ctx *c, const char *login, const char *reason, struct perr *e)
{
	int rc = may_manage(c, login, "lock accounts", e);
	if (rc)
		return rc;
	if (!reason || !*reason)
		return perr_set(e, EX_USAGE, "lock needs --reason TEXT");
	return set_account(c, login, "lock", "locked", "0", reason,
			   "UPDATE accounts SET locked = 1, locked_reason = $2, audit_seq = $3 WHERE login = $1", reason, e);
}

int account_unlock(struct ctx *c, const char *login, struct perr *e)
{
	int rc = may_manage(c, login, "unlock accounts", e);
	if (rc)
		return rc;
	return set_account(c, login, "unlock", "locked", "1", "0",
			   "UPDATE accounts SET locked = 0, locked_reason = $2, audit_seq = $3 WHERE login = $1", NULL, e);
}

/* An account whose password (or lock) the leaked login wrote: what it set is undone while it
 * still stands (the account's audit_seq is still the invalidated record). A password it set is
 * locked away ("breach:LOGIN"), so the next issue gives the person new credentials; a lock it
 * set is lifted. */
static int undo_account(struct ctx *c, const struct undo *u, const char *login, const char *detail, const void *arg,
			struct perr *e)
{
	int lifted = strstr(detail, "\"op\":\"lock\"") != NULL;
	char was[256];
	int rc = store_get(c->store, e, "SELECT locked_reason FROM accounts WHERE login = $1 AND audit_seq = $2",
			   P_TEXT(login), P_INT(u->seq), INTO_TEXT(was, sizeof was));
	if (rc <= 0)
		return rc < 0 ? -rc : 0;	/* set again since: the later state stands */
	char reason[128];
	snprintf(reason, sizeof reason, "%s%s", BREACH_LOCK_PREFIX, u->login);
	struct change ch;
	int64_t seq;
	change_begin(&ch, c, "compensate", "account", login);
	change_field(&ch, "locked", *was ? was : NULL, lifted ? NULL : reason);
	if ((rc = change_commit(&ch, &seq, e)))
		return rc;
	return store_run(c->store, e, "UPDATE accounts SET locked = $2, locked_reason = $3, audit_seq = $4 WHERE login = $1",
			 P_TEXT(login), P_INT(!lifted), P_TEXT(lifted ? NULL : reason), P_INT(seq ? seq : u->seq));
}

void accounts_register_undo(struct undo_table *t)
{
	invalidate_register(t, "account", undo_account, NULL);
}
