/*
 * delivery.c: the plan of who gets which extract, and their registration (see
 * delivery.h). The plan of a class is made from one read of its standing
 * decisions (consent.h); the channel of each guardian is consent.h's rule and
 * every address its gate's, so this file decides only what follows from them:
 * a student with a guardian on paper, or with none, gets one paper extract.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ackcode.h"
#include "actor.h"
#include "audit.h"
#include "delivery.h"
#include "i18n.h"
#include "ids.h"
#include "util.h"
#include "values.h"

/* ---- the selection ---- */

static void add_pick(struct delivery_pick **v, size_t *n, const char *id, const char *cls)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[*n].id = xstrdup(id);
	str_copy((*v)[*n].cls, sizeof (*v)[*n].cls, cls);
	(*n)++;
}

static int cmp_pick(const void *a, const void *b)
{
	return class_cmp(((const struct delivery_pick *)a)->cls, ((const struct delivery_pick *)b)->cls);
}

/* The students of a class at school, in the order of the class list. */
static int class_students(struct ctx *c, const char *cls, struct delivery_pick **v, size_t *n, struct perr *e)
{
	struct stmt *st = store_query(c->store, e, "SELECT student_id FROM students WHERE class = $1 AND status = 'active' "
				      "ORDER BY last_name, first_name, student_id", P_TEXT(cls));
	int rc;
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1)
		add_pick(v, n, stmt_text(st, 0), cls);
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

static int put_kid(void *kids, struct stmt *st, struct perr *e)
{
	strmap_put(kids, stmt_text(st, 0), 1);
	return 0;
}

/* The children at school of every guardian a line names alone ("\037G"), into kids. */
static int children(struct ctx *c, const struct strmap *lines, struct strmap *kids, struct perr *e)
{
	int rc = 0;
	for (size_t i = 0; !rc && lines && i < lines->cap; i++)
		if (lines->keys[i] && lines->keys[i][0] == '\037')
			rc = store_each(c->store, e, put_kid, kids, "SELECT l.student_id FROM guardian_links l JOIN students s "
					"ON s.student_id = l.student_id WHERE l.guardian_id = $1 AND s.status = 'active' AND "
					FACT_VALID("l"), P_TEXT(lines->keys[i] + 1));
	return rc;
}

/* Each id once, with its class; 65 for an id that is no student. */
static int by_id(struct ctx *c, const char *const *ids, size_t nids, struct delivery_pick **v, size_t *n, struct perr *e)
{
	struct strmap seen;
	int rc = 0;
	strmap_init(&seen);
	for (size_t i = 0; !rc && i < nids; i++) {
		char cls[ROSTER_CLASS_SIZE];
		if (strmap_get(&seen, ids[i]) >= 0)
			continue;
		if ((rc = roster_student_class(c->store, ids[i], cls, e)))
			break;
		if (!*cls)
			rc = perr_set(e, EX_DATAERR, "%s: no such student", ids[i]);
		else {
			add_pick(v, n, ids[i], cls);
			strmap_put(&seen, ids[i], 1);
		}
	}
	strmap_free(&seen);
	return rc;
}

/* The students given, and the children of the guardians given alone. */
static int by_ids(struct ctx *c, const struct delivery_sel *sel, struct delivery_pick **v, size_t *n, struct perr *e)
{
	struct strmap kids;
	int rc;
	strmap_init(&kids);
	const char **ids = NULL;
	size_t nids = 0;
	if (!(rc = children(c, sel->lines, &kids, e))) {
		ids = xcalloc(sel->nstudents + kids.n + 1, sizeof *ids);
		for (size_t i = 0; i < sel->nstudents; i++)
			ids[nids++] = sel->students[i];
		for (size_t i = 0; i < kids.cap; i++)
			if (kids.keys[i])
				ids[nids++] = kids.keys[i];
		rc = by_id(c, ids, nids, v, n, e);
	}
	free(ids);
	strmap_free(&kids);
	return rc;
}

int delivery_select(struct ctx *c, const struct delivery_sel *sel, struct delivery_pick **v, size_t *n, struct perr *e)
{
	int rc;
	*v = NULL;
	*n = 0;
	rc = sel->cls ? class_students(c, sel->cls, v, n, e) : by_ids(c, sel, v, n, e);
	if (!rc && *n > 1)
		qsort(*v, *n, sizeof **v, cmp_pick);
	for (size_t i = 0; !rc && i < *n; i++)
		if (i == 0 || strcmp((*v)[i].cls, (*v)[i - 1].cls))
			rc = actor_may_write_class(c->actor, (*v)[i].cls, "make extracts", e);
	return rc;
}

void delivery_picks_free(struct delivery_pick *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].id);
	free(v);
}

/* ---- the plan ---- */

/* A guardian–student link as the plan needs it. */
struct link {
	char *student, *guardian, *name, *decision, *signed_on, *email;
	enum channel channel;
};

struct links {
	struct link *v;
	size_t n;
	struct strmap first;		/* student → index of their first link (a student's stand together) */
	consent_status_fn each;		/* passed every link read, when not NULL */
	void *each_ctx;
};

static int keep_link(void *p, const struct consent_status *cs)
{
	struct links *ls = p;
	ls->v = xrealloc(ls->v, (ls->n + 1) * sizeof *ls->v);
	ls->v[ls->n] = (struct link){ xstrdup(cs->student_id), xstrdup(cs->guardian_id), xstrdup(cs->guardian_name),
				      xstrdup(cs->decision), xstrdup(cs->signed_on), xstrdup(cs->email), cs->channel };
	if (strmap_get(&ls->first, cs->student_id) < 0)
		strmap_put(&ls->first, cs->student_id, (long)ls->n);
	ls->n++;
	return ls->each ? ls->each(ls->each_ctx, cs) : 0;
}

static void links_free(struct links *ls)
{
	for (size_t i = 0; i < ls->n; i++) {
		struct link *l = &ls->v[i];
		free(l->student);
		free(l->guardian);
		free(l->name);
		free(l->decision);
		free(l->signed_on);
		free(l->email);
	}
	free(ls->v);
	strmap_free(&ls->first);
}

/* The links of the students of cls with their standing decisions, in one read. */
static int read_links(struct ctx *c, const char *cls, int any_status, struct links *ls, struct perr *e)
{
	struct consent_filter f = { .cls = cls, .any_status = any_status };
	long rows;
	return consent_each_status(c, &f, keep_link, ls, &rows, e);
}

static void add_recipient(struct delivery_plan *p, const char *student, const struct link *l, enum delivery_channel ch,
			  const char *email, const char *why)
{
	p->v = xrealloc(p->v, (p->n + 1) * sizeof *p->v);
	p->v[p->n++] = (struct delivery_recipient){ xstrdup(student), l ? xstrdup(l->guardian) : NULL,
						    l ? xstrdup(l->name) : NULL, ch, email ? xstrdup(email) : NULL,
						    xstrdup(why) };
}

/* A guardian's entry by the consent gate; a guardian on paper leaves the why in paper_why. */
static int plan_guardian(struct delivery_plan *p, const char *student, const struct link *l, enum delivery_mode mode,
			 char *paper_why, size_t n, struct perr *e)
{
	char addr[256], why[320];
	struct perr gate = { 0 };
	int rc = consent_gate(l->guardian, student, l->decision, l->email, addr, sizeof addr, &gate);
	if (rc && rc != EX_NOPERM)
		return perr_set(e, rc, "%s", gate.msg);
	if (!rc) {
		snprintf(why, sizeof why, _("consent given on %s, e-mail address on record"), l->signed_on);
		add_recipient(p, student, l, DELIVER_EMAIL, addr, why);
	} else if (mode == DELIVERY_EMAIL_ONLY) {
		add_recipient(p, student, l, DELIVER_REFUSED, NULL, gate.msg);
	} else if (!*paper_why) {
		str_copy(paper_why, n, gate.msg);
	}
	return 0;
}

/* The entries of one student: an e-mail to each guardian it may go to, then paper when a
 * guardian (or no guardian) needs it. */
static int plan_student(struct delivery_plan *p, const char *student, const struct links *ls, enum delivery_mode mode,
			const struct strmap *only, struct perr *e)
{
	char paper_why[sizeof e->msg] = "";
	size_t kept = 0, all = 0;
	int rc = 0;
	if (mode == DELIVERY_PAPER_ONLY) {
		add_recipient(p, student, NULL, DELIVER_PAPER, NULL, _("paper was asked for"));
		return 0;
	}
	long i = strmap_get(&ls->first, student);
	for (size_t k = i < 0 ? ls->n : (size_t)i; !rc && k < ls->n && !strcmp(ls->v[k].student, student); k++) {
		all++;
		if (!ids_line_names(only, student, ls->v[k].guardian))
			continue;	/* only the guardians given for the student */
		kept++;
		rc = plan_guardian(p, student, &ls->v[k], mode, paper_why, sizeof paper_why, e);
	}
	if (!rc && mode == DELIVERY_AUTO && !kept)
		str_copy(paper_why, sizeof paper_why, all ? _("none of the student's guardians was given") : _("no guardian on record"));
	if (!rc && *paper_why)
		add_recipient(p, student, NULL, DELIVER_PAPER, NULL, paper_why);
	return rc;
}

static int plan_with(struct ctx *c, const char *cls, const char *const *ids, size_t n, enum delivery_mode mode,
		     const struct strmap *only, struct links *ls, int any_status, struct delivery_plan *p, struct perr *e)
{
	int rc = 0;
	p->v = NULL;
	p->n = 0;
	strmap_init(&ls->first);
	if (mode != DELIVERY_PAPER_ONLY)
		rc = read_links(c, cls, any_status, ls, e);
	for (size_t i = 0; !rc && i < n; i++)
		rc = plan_student(p, ids[i], ls, mode, only, e);
	links_free(ls);
	return rc;
}

int delivery_plan_class(struct ctx *c, const char *cls, const char *const *ids, size_t n, enum delivery_mode mode,
			const struct strmap *lines, struct delivery_plan *p, struct perr *e)
{
	struct links ls = { 0 };
	return plan_with(c, cls, ids, n, mode, lines, &ls, 1, p, e);
}

void delivery_plan_free(struct delivery_plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].student);
		free(p->v[i].guardian);
		free(p->v[i].guardian_name);
		free(p->v[i].email);
		free(p->v[i].why);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

int delivery_paper_count(struct ctx *c, const char *cls, consent_status_fn each_link, void *fctx, long *n,
			 struct perr *e)
{
	struct delivery_pick *v = NULL;
	size_t nv = 0;
	struct links ls = { .each = each_link, .each_ctx = fctx };
	struct delivery_plan p = { 0 };
	*n = 0;
	int rc = class_students(c, cls, &v, &nv, e);
	if (!rc) {
		const char **ids = xcalloc(nv + 1, sizeof *ids);
		for (size_t i = 0; i < nv; i++)
			ids[i] = v[i].id;
		rc = plan_with(c, cls, ids, nv, DELIVERY_AUTO, NULL, &ls, 0, &p, e);
		free(ids);
	}
	for (size_t i = 0; !rc && i < p.n; i++)
		*n += p.v[i].channel == DELIVER_PAPER;
	delivery_plan_free(&p);
	delivery_picks_free(v, nv);
	return rc;
}

/* ---- registration ---- */

int delivery_new_code(struct ctx *c, char code[11], struct perr *e)
{
	for (;;) {
		ackcode_new(code);
		int rc = store_exists(c->store, e, "SELECT 1 FROM extracts WHERE code = $1", P_TEXT(code));
		if (rc <= 0)
			return -rc;
	}
}

int delivery_register(struct ctx *c, const struct delivery_extract *x, int64_t *id, struct perr *e)
{
	const char *channel = x->channel == DELIVER_EMAIL ? "email" : "paper";
	struct change ch;
	int64_t seq;
	int rc;
	change_begin(&ch, c, "insert", "extract", x->code);
	change_field(&ch, "student_id", NULL, x->student);
	change_field(&ch, "guardian_id", NULL, x->guardian);
	change_field(&ch, "channel", NULL, channel);
	change_field(&ch, "period", NULL, x->period);
	change_field(&ch, "from", NULL, x->from);
	change_field(&ch, "to", NULL, x->to);
	change_field(&ch, "file", NULL, x->file);
	if ((rc = change_commit(&ch, &seq, e)))
		return rc;
	rc = store_get(c->store, e,
		"INSERT INTO extracts (student_id, guardian_id, class, period, date_from, date_to, channel, code, "
		"format, file, issued_at, audit_seq, mail_state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
		"$13) RETURNING extract_id", P_TEXT(x->student), P_TEXT(x->guardian), P_TEXT(x->cls), P_TEXT(x->period),
		P_TEXT(x->from), P_TEXT(x->to), P_TEXT(channel), P_TEXT(x->code), P_TEXT(x->format), P_TEXT(x->file),
		P_TEXT(c->now), P_INT(seq), P_TEXT(x->queued ? "queued" : NULL), INTO_INT(id));
	return rc < 0 ? -rc : 0;
}

/* ---- the mail program's answers ---- */

int delivery_mailed(struct ctx *c, const char *student, const char *guardian, const char *from, const char *to,
		    struct delivery_mailed *m, struct perr *e)
{
	char state[8];
	memset(m, 0, sizeof *m);
	int rc = store_get(c->store, e,
		"SELECT e.extract_id, e.code, e.file, e.mail_state FROM extracts e WHERE e.student_id = $1 AND "
		"e.guardian_id = $2 AND e.date_from = $3 AND e.date_to = $4 AND e.channel = 'email' AND "
		"e.mail_state IS NOT NULL AND " FACT_VALID("e") " ORDER BY CASE e.mail_state WHEN 'queued' THEN 0 ELSE 1 END, "
		"e.extract_id DESC LIMIT 1", P_TEXT(student), P_TEXT(guardian), P_TEXT(from), P_TEXT(to), INTO_INT(&m->id),
		INTO_TEXT(m->code, sizeof m->code), INTO_TEXT(m->file, sizeof m->file), INTO_TEXT(state, sizeof state));
	if (rc == 1)
		m->sent = !strcmp(state, "sent");
	return rc;
}

int delivery_mail_sent(struct ctx *c, const char *code, struct perr *e)
{
	return store_run(c->store, e, "UPDATE extracts SET mail_state = 'sent', sent_at = $2 WHERE code = $1", P_TEXT(code),
			 P_TEXT(c->now));
}
