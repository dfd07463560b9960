/*
 * consent.c: the consent registry (see consent.h). Records are appended,
 * never changed (the schema refuses UPDATE and DELETE); the standing decision
 * is computed by one query, and the channel by one function.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "audit.h"
#include "consent.h"
#include "i18n.h"
#include "ids.h"
#include "roster.h"
#include "values.h"

/* The standing decision per guardian–student link: the latest valid record by signed_on,
 * then by recording. $1 class, $2 student, $3 guardian (each NULL: any). A student who left
 * is out unless named, or unless $4 is not NULL (every student of the class). consents_of
 * and class_is narrow it to the class $1 (STANDING_CLASS_SQL): only its students' records are
 * ranked, and its students are read by the class. */
#define STANDING(consents_of, class_is) \
	"WITH latest AS (SELECT guardian_id, student_id, decision, signed_on, ROW_NUMBER() OVER (" \
	"PARTITION BY guardian_id, student_id ORDER BY signed_on DESC, recorded_at DESC, consent_id DESC) AS rn " \
	"FROM consents c WHERE " FACT_VALID("c") consents_of " AND (c.guardian_id = $3 OR $3 IS NULL) " \
	"AND (c.student_id = $2 OR $2 IS NULL)) " \
	"SELECT l.guardian_id, l.student_id, s.class, " \
	"TRIM(g.last_name || ' ' || g.first_name || ' ' || COALESCE(g.middle_name, '')), " \
	"TRIM(s.last_name || ' ' || s.first_name || ' ' || COALESCE(s.middle_name, '')), " \
	"COALESCE(x.decision, 'none'), COALESCE(x.signed_on, ''), COALESCE(g.email, '') " \
	"FROM guardian_links l JOIN students s ON s.student_id = l.student_id " \
	"JOIN guardians g ON g.guardian_id = l.guardian_id " \
	"LEFT JOIN latest x ON x.guardian_id = l.guardian_id AND x.student_id = l.student_id AND x.rn = 1 " \
	"WHERE " FACT_VALID("l") " AND " class_is " AND (l.student_id = $2 OR $2 IS NULL) " \
	"AND (l.guardian_id = $3 OR $3 IS NULL) AND (s.status = 'active' OR $2 IS NOT NULL OR CAST($4 AS TEXT) IS NOT NULL) "
#define STANDING_SQL STANDING("", "(s.class = $1 OR $1 IS NULL)")
/* One link, by the link's key and the consents' index (the general form scans every link). */
#define STANDING_ONE_SQL STANDING(" AND c.guardian_id = $3 AND c.student_id = $2", "l.guardian_id = $3 AND l.student_id = $2")
#define STANDING_CLASS_SQL \
	STANDING(" AND c.student_id IN (SELECT student_id FROM students WHERE class = $1)", "s.class = $1")

/* The one rule: electronic only where the decision is given and there is an address. */
static enum channel channel_of(const char *decision, const char *email)
{
	return strcmp(decision, "given") == 0 && email && *email ? CH_ELECTRONIC : CH_PAPER;
}

static const char *channel_name(enum channel ch)
{
	return ch == CH_ELECTRONIC ? "electronic" : "paper";
}

int consent_channel(struct ctx *c, const char *g, const char *s, struct consent_state *out, struct perr *e)
{
	struct stmt *st = store_query(c->store, e, STANDING_ONE_SQL, P_NULL, P_TEXT(s), P_TEXT(g), P_NULL);
	if (!st)
		return e->status;
	int rc = stmt_step(st, e);
	if (rc == 1) {
		str_copy(out->decision, sizeof out->decision, stmt_text(st, 5));
		str_copy(out->signed_on, sizeof out->signed_on, stmt_text(st, 6));
		str_copy(out->email, sizeof out->email, stmt_text(st, 7));
		out->channel = channel_of(out->decision, out->email);
	}
	stmt_reset(st);
	if (rc < 0)
		return -rc;
	if (!rc)
		return perr_set(e, EX_DATAERR, "%s is not a guardian of %s", g, s);
	return 0;
}

int consent_gate(const char *g, const char *s, const char *decision, const char *email, char *addr, size_t n,
		 struct perr *e)
{
	if (channel_of(decision, email) != CH_ELECTRONIC)
	{
		if (!strcmp(decision, "given"))
			return perr_set(e, EX_NOPERM, "%s gets no electronic information about %s: no e-mail address", g, s);
		if (!strcmp(decision, "none"))
			return perr_set(e, EX_NOPERM, "%s gets no electronic information about %s: no decision on record", g, s);
		/* TRANSLATORS: the last %s is the decision as the CSV says it: refused or withdrawn */
		return perr_set(e, EX_NOPERM, "%s gets no electronic information about %s: %s", g, s, decision);
	}
	str_copy(addr, n, email);
	return 0;
}

int consent_email_address(struct ctx *c, const char *g, const char *s, char *addr, size_t n, struct perr *e)
{
	struct consent_state cs;
	int rc = consent_channel(c, g, s, &cs, e);
	if (rc)
		return rc;
	return consent_gate(g, s, cs.decision, cs.email, addr, n, e);
}

/* ---- recording ---- */

typedef void (*consent_err)(void *ctx, const char *column, const char *msg);

static const char *decision_of(const char *v)
{
	static const struct { const char *typed, *decision; } d[] = {
		{ "given", "given" }, { "дано", "given" }, { "согласие", "given" }, { "согласен", "given" },
		{ "согласна", "given" }, { "да", "given" },
		{ "refused", "refused" }, { "отказ", "refused" }, { "не согласен", "refused" }, { "не согласна", "refused" },
		{ "нет", "refused" },
		{ "withdrawn", "withdrawn" }, { "отозвано", "withdrawn" }, { "отзыв", "withdrawn" }, { "отозвал", "withdrawn" },
		{ "отозвала", "withdrawn" },
	};
	char low[64];
	utf8_lower(v, low, sizeof low);
	str_trim(low);
	for (size_t i = 0; i < sizeof d / sizeof *d; i++)
		if (strcmp(low, d[i].typed) == 0)
			return d[i].decision;
	return NULL;
}

static const char *form_of(const char *v)
{
	char low[64];
	utf8_lower(v, low, sizeof low);
	str_trim(low);
	if (!strcmp(low, "paper") || !strcmp(low, "бумажная") || !strcmp(low, "бумага"))
		return "paper";
	if (!strcmp(low, "electronic") || !strcmp(low, "электронная") || !strcmp(low, "электронно"))
		return "electronic";
	return NULL;
}

/* The children a record covers: the one named, or all the guardian's (valid links, active). */
static int children(struct ctx *c, const char *g, const char *s, char ***out, size_t *n, struct perr *e)
{
	struct stmt *st = store_query(c->store, e,
		"SELECT l.student_id FROM guardian_links l JOIN students s ON s.student_id = l.student_id "
		"WHERE l.guardian_id = $1 AND " FACT_VALID("l") " AND (l.student_id = $2 OR $2 IS NULL AND s.status = 'active') "
		"ORDER BY l.student_id", P_TEXT(g), P_TEXT(s));
	int rc;
	if (!st)
		return e->status;
	*out = NULL;
	*n = 0;
	while ((rc = stmt_step(st, e)) == 1) {
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[(*n)++] = xstrdup(stmt_text(st, 0));
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* 1 when the guardian is on record, 0 when not, -status on an error. */
static int guardian_exists(struct ctx *c, const char *g, struct perr *e)
{
	return store_exists(c->store, e, "SELECT 1 FROM guardians WHERE guardian_id = $1", P_TEXT(g));
}

/* Checks one decision; reports each problem through err and returns 0 (nothing written) or
 * writes its records. Non-zero: fatal (77, 70, …). */
static int add_decision(struct ctx *c, const struct consent_rec *r, consent_err err, void *ectx, long *added,
			long *unchanged, struct perr *e)
{
	char date[11], msg[512];
	const char *decision = NULL, *form = NULL, *why;
	int bad = 0, found, rc;
	if (!r->guardian || !*r->guardian) {
		err(ectx, "guardian_id", _("is empty (expected a guardian id)"));
		bad = 1;
	} else if ((found = guardian_exists(c, r->guardian, e)) < 0) {
		return -found;
	} else if (!found) {
		snprintf(msg, sizeof msg, _("%s is not a guardian of this store (expected the id of an imported guardian)"), r->guardian);
		err(ectx, "guardian_id", msg);
		bad = 1;
	}
	if (!r->decision || !(decision = decision_of(r->decision))) {
		snprintf(msg, sizeof msg, _("\"%s\" is not a decision (expected given, refused or withdrawn)"), r->decision ? r->decision : "");
		err(ectx, "decision", msg);
		bad = 1;
	}
	if (!r->signed_on || value_date(r->signed_on, date, &why)) {
		if (r->signed_on)
			snprintf(msg, sizeof msg, _("\"%s\" %s"), r->signed_on, why);
		else
			str_copy(msg, sizeof msg, _("is empty (expected a date)"));
		err(ectx, "signed_on", msg);
		bad = 1;
	} else if (strcmp(date, c->today) > 0) {
		snprintf(msg, sizeof msg, _("%s is in the future (today is %s; expected the date the decision was signed)"), date, c->today);
		err(ectx, "signed_on", msg);
		bad = 1;
	}
	if (r->form && *r->form && !(form = form_of(r->form))) {
		snprintf(msg, sizeof msg, _("\"%s\" is not a form (expected paper or electronic)"), r->form);
		err(ectx, "form", msg);
		bad = 1;
	}
	if (bad)
		return 0;
	char **kids = NULL;
	size_t n = 0;
	const char *student = r->student && *r->student ? r->student : NULL;
	if ((rc = children(c, r->guardian, student, &kids, &n, e)))
		return rc;
	if (!n) {
		if (student)
			snprintf(msg, sizeof msg, _("%s is not a child of guardian %s (expected a student linked to the guardian)"),
				 student, r->guardian);
		else
			snprintf(msg, sizeof msg, _("is empty, and guardian %s has no active child to cover"), r->guardian);
		err(ectx, "student_id", msg);
		return 0;
	}
	/* every child's class first: a decision for all the guardian's children is refused whole */
	for (size_t i = 0; !rc && !r->by_guardian && i < n; i++) {
		char cls[ROSTER_CLASS_SIZE], refusal[sizeof e->msg];
		if ((rc = roster_student_class(c->store, kids[i], cls, e)) ||
		    !(rc = actor_may_write_class(c->actor, cls, "record consents", e)))
			continue;
		str_copy(refusal, sizeof refusal, e->msg);
		perr_set(e, rc, "guardian %s, student %s: %s", r->guardian, kids[i], refusal);
	}
	const char *doc = r->doc && *r->doc ? r->doc : NULL;
	for (size_t i = 0; !rc && i < n; i++) {
		/* the same decision recorded again (the same file twice) adds nothing, unless another
		 * decision of the same day was recorded after it: then this one must stand again */
		int same = store_exists(c->store, e,
			"SELECT 1 FROM consents c WHERE guardian_id = $1 AND student_id = $2 AND decision = $3 AND signed_on = $4 "
			"AND COALESCE(form, '') = COALESCE($5, '') AND COALESCE(doc_ref, '') = COALESCE($6, '') AND " FACT_VALID("c")
			" AND NOT EXISTS (SELECT 1 FROM consents d WHERE d.guardian_id = c.guardian_id AND d.student_id = c.student_id "
			"AND d.signed_on = c.signed_on AND (d.recorded_at > c.recorded_at OR (d.recorded_at = c.recorded_at "
			"AND d.consent_id > c.consent_id)) AND " FACT_VALID("d") ")",
			P_TEXT(r->guardian), P_TEXT(kids[i]), P_TEXT(decision), P_TEXT(date), P_TEXT(form), P_TEXT(doc));
		if (same < 0) {
			rc = -same;
			break;
		}
		if (same) {
			(*unchanged)++;
			continue;
		}
		char id[160];
		int64_t seq;
		struct change ch;
		snprintf(id, sizeof id, "%s:%s", r->guardian, kids[i]);
		change_begin(&ch, c, "insert", "consent", id);
		change_field(&ch, "decision", NULL, decision);
		change_field(&ch, "signed_on", NULL, date);
		change_field(&ch, "form", NULL, form);
		change_field(&ch, "doc_ref", NULL, r->doc);
		if ((rc = change_commit(&ch, &seq, e)) ||
		    (rc = store_run(c->store, e, "INSERT INTO consents (guardian_id, student_id, decision, signed_on, form, "
				    "doc_ref, recorded_at, audit_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
				    P_TEXT(r->guardian), P_TEXT(kids[i]), P_TEXT(decision), P_TEXT(date), P_TEXT(form),
				    P_TEXT(doc), P_TEXT(c->now), P_INT(seq))))
			break;
		(*added)++;
	}
	free_list(kids, n);
	return rc;
}

struct first_err {
	char msg[600];
};

static void keep_first(void *p, const char *column, const char *msg)
{
	struct first_err *f = p;
	if (!*f->msg)
		snprintf(f->msg, sizeof f->msg, "--%s: %s", strcmp(column, "guardian_id") == 0 ? "guardian"
						      : strcmp(column, "student_id") == 0 ? "student"
						      : strcmp(column, "signed_on") == 0 ? "signed-on"
						      : strcmp(column, "doc_ref") == 0 ? "doc" : column, msg);
}

int consent_record(struct ctx *c, const struct consent_rec *r, long *added, struct perr *e)
{
	struct first_err f = { "" };
	long unchanged = 0;
	*added = 0;
	int rc = add_decision(c, r, keep_first, &f, added, &unchanged, e);
	if (!rc && *f.msg)
		return perr_set(e, EX_DATAERR, "%s; nothing was recorded", f.msg);
	return rc;
}

/* the import */
enum { K_GUARDIAN, K_STUDENT, K_DECISION, K_SIGNED, K_FORM, K_DOC, K_N };
static const struct csv_col consent_cols[K_N] = {
	{ "guardian_id", "ид родителя|ид представителя|код родителя", 1 },
	{ "student_id", "ид ученика|код ученика", 0 },
	{ "decision", "решение|согласие", 1 },
	{ "signed_on", "дата подписания|дата|подписано", 1 },
	{ "form", "форма", 0 },
	{ "doc_ref", "документ|номер документа", 0 },
};

static void import_err(void *p, const char *column, const char *msg)
{
	import_error(p, column, "%s", msg);
}

static int consent_row(struct import *im, struct perr *e)
{
	struct consent_rec r = { import_get(im, K_GUARDIAN), import_get(im, K_STUDENT), import_get(im, K_DECISION),
				 import_get(im, K_SIGNED), import_get(im, K_FORM), import_get(im, K_DOC), 0 };
	long added = 0;
	int rc = add_decision(im->c, &r, import_err, im, &added, &im->unchanged, e);
	im->inserted += added;
	if (rc == EX_NOPERM)	/* refused before anything was written */
		return import_refuse(im, r.student && *r.student ? "student_id" : "guardian_id", e);
	return rc;
}

const struct import_kind consent_import = { .name = "consents", .cols = consent_cols, .ncols = K_N, .row = consent_row };

/* ---- lists ---- */

const struct out_col consent_status_cols[] = { { "guardian_id", COL_TEXT }, { "student_id", COL_TEXT },
	{ "class", COL_TEXT }, { "guardian_name", COL_TEXT }, { "student_name", COL_TEXT }, { "decision", COL_TEXT },
	{ "signed_on", COL_TEXT }, { "has_email", COL_NUMBER }, { "channel", COL_TEXT } };
const size_t consent_status_ncols = 9;

/* The class list's order, then each student's guardians. */
#define STATUS_ORDER "ORDER BY " CLASS_ORDER("s.class") ", s.last_name, s.first_name, s.student_id, l.guardian_id"

/* The status list's own conditions: $5 the standing decision (NULL: any), and the people picked. */
#define STATUS_WHERE "AND (COALESCE(x.decision, 'none') = $5 OR $5 IS NULL) "
#define STATUS_PICKED "AND " IDS_PICKED_LINK("l.student_id", "l.guardian_id") " "

static int status_class(struct ctx *c, const struct consent_filter *f, const char *cls, consent_status_fn fn, void *fctx,
			long *rows, struct perr *e)
{
	static const char *const sql[2][2] = {
		{ STANDING_SQL STATUS_WHERE STATUS_ORDER, STANDING_SQL STATUS_WHERE STATUS_PICKED STATUS_ORDER },
		{ STANDING_CLASS_SQL STATUS_WHERE STATUS_ORDER, STANDING_CLASS_SQL STATUS_WHERE STATUS_PICKED STATUS_ORDER },
	};
	const char *decision = f->missing_only ? "none" : f->decision;
	if (decision && strcmp(decision, "none"))
		decision = decision_of(decision);	/* as record reads it: согласие, отказ … */
	struct stmt *st = store_query(c->store, e, sql[cls != NULL][f->picked != 0], P_TEXT(cls), P_TEXT(f->student),
				      P_TEXT(f->guardian), f->any_status ? P_INT(1) : P_NULL, P_TEXT(decision));
	if (!st)
		return e->status;
	int rc;
	while ((rc = stmt_step(st, e)) == 1) {
		struct consent_status cs = {
			.guardian_id = stmt_text(st, 0), .student_id = stmt_text(st, 1), .cls = stmt_text(st, 2),
			.guardian_name = stmt_text(st, 3), .student_name = stmt_text(st, 4), .decision = stmt_text(st, 5),
			.signed_on = stmt_text(st, 6), .email = stmt_text(st, 7),
		};
		cs.channel = channel_of(cs.decision, cs.email);
		if (f->channel && strcmp(channel_name(cs.channel), f->channel) != 0)
			continue;	/* the channel by its one rule, channel_of() */
		(*rows)++;
		if ((rc = fn(fctx, &cs)))
			break;
	}
	stmt_reset(st);
	return rc < 0 ? -rc : rc;
}

static int student_class_check(struct ctx *c, const char *student, struct perr *e)
{
	char cls[ROSTER_CLASS_SIZE];
	int rc = roster_student_class(c->store, student, cls, e);
	if (rc)
		return rc;
	if (!*cls)
		return perr_set(e, EX_DATAERR, "--student %s: no such student", student);
	return actor_may_read_class(c->actor, cls, e);
}

int consent_each_status(struct ctx *c, const struct consent_filter *f, consent_status_fn fn, void *fctx, long *rows,
			struct perr *e)
{
	int rc;
	*rows = 0;
	if (f->decision && strcmp(f->decision, "none") && !decision_of(f->decision))
		return perr_set(e, EX_USAGE, "--decision %s: expected given, refused, withdrawn or none", f->decision);
	if (f->channel && strcmp(f->channel, "electronic") && strcmp(f->channel, "paper"))
		return perr_set(e, EX_USAGE, "--channel %s: expected paper or electronic", f->channel);
	if (f->cls) {
		if ((rc = actor_may_read_class(c->actor, f->cls, e)))
			return rc;
		return status_class(c, f, f->cls, fn, fctx, rows, e);
	}
	if (f->student) {
		if ((rc = student_class_check(c, f->student, e)))
			return rc;
		return status_class(c, f, NULL, fn, fctx, rows, e);
	}
	if (actor_may_read_all(c->actor))
		return status_class(c, f, NULL, fn, fctx, rows, e);
	/* a class leader: the classes they lead */
	rc = c->actor && c->actor->nclasses ? 0 : actor_may_read_class(c->actor, "(any)", e);
	for (size_t i = 0; !rc && c->actor && i < c->actor->nclasses; i++)
		rc = status_class(c, f, c->actor->classes[i], fn, fctx, rows, e);
	return rc;
}

struct status_rows {
	row_fn fn;
	void *fctx;
};

/* A typed status as the row of consent_status_cols. */
static int status_row(void *p, const struct consent_status *cs)
{
	const struct status_rows *sr = p;
	const char *vals[] = { cs->guardian_id, cs->student_id, cs->cls, cs->guardian_name, cs->student_name, cs->decision,
			       cs->signed_on, *cs->email ? "1" : "0", channel_name(cs->channel) };
	return sr->fn(sr->fctx, vals, 9);
}

int consent_list_status(struct ctx *c, const struct consent_filter *f, row_fn fn, void *fctx, long *rows, struct perr *e)
{
	struct status_rows sr = { fn, fctx };
	return consent_each_status(c, f, status_row, &sr, rows, e);
}

const struct out_col consent_history_cols[] = { { "consent_id", COL_NUMBER }, { "guardian_id", COL_TEXT },
	{ "student_id", COL_TEXT }, { "decision", COL_TEXT }, { "signed_on", COL_TEXT }, { "form", COL_TEXT },
	{ "doc_ref", COL_TEXT }, { "recorded_at", COL_TEXT }, { "recorded_by", COL_TEXT },
	{ "invalidated", COL_NUMBER } };
const size_t consent_history_ncols = 10;

/* The history: $1 the guardian, or the people picked (PICKED their condition, else "1 = 1"). */
#define HISTORY_SQL(picked) \
	"SELECT c.consent_id, c.guardian_id, c.student_id, c.decision, c.signed_on, c.form, c.doc_ref, c.recorded_at, " \
	"a.actor, CASE WHEN " FACT_VALID("c") " THEN '0' ELSE '1' END, s.class FROM consents c " \
	"JOIN audit a ON a.seq = c.audit_seq JOIN students s ON s.student_id = c.student_id " \
	"WHERE (c.guardian_id = $1 OR $1 IS NULL) AND " picked " " \
	"ORDER BY c.guardian_id, c.student_id, c.signed_on, c.recorded_at, c.consent_id"

int consent_list_history(struct ctx *c, const char *guardian, row_fn fn, void *fctx, struct perr *e)
{
	int rc = guardian ? guardian_exists(c, guardian, e) : 1;
	if (rc < 0)
		return -rc;
	if (!rc)
		return perr_set(e, EX_DATAERR, "--guardian %s: no such guardian", guardian);
	if (guardian && !actor_may_read_all(c->actor)) {
		/* a class leader: a guardian of a child in a class they lead */
		struct stmt *st = store_query(c->store, e, "SELECT s.class FROM guardian_links l JOIN students s "
					      "ON s.student_id = l.student_id WHERE l.guardian_id = $1", P_TEXT(guardian));
		if (!st)
			return e->status;
		int may = 0;
		while ((rc = stmt_step(st, e)) == 1)
			may |= actor_leads(c->actor, stmt_text(st, 0));
		stmt_reset(st);
		if (rc < 0)
			return -rc;
		if (!may)
			return perr_set(e, EX_NOPERM, "not permitted: %s (%s) lacks the right to read the consents of %s: "
					"admins, deputies and the class leaders of the guardian's children have it",
					c->actor ? c->actor->login : "-", c->actor ? c->actor->role : "-", guardian);
	}
	struct stmt *st = store_query(c->store, e,
		guardian || !c->picked ? HISTORY_SQL("1 = 1") : HISTORY_SQL(IDS_PICKED_LINK("c.student_id", "c.guardian_id")),
		P_TEXT(guardian));
	if (!st)
		return e->status;
	const char *vals[10];
	while ((rc = stmt_step(st, e)) == 1) {
		if (!actor_may_read_all(c->actor) && !actor_leads(c->actor, stmt_text(st, 10)))
			continue;	/* a child in a class the class leader does not lead */
		for (int i = 0; i < 10; i++)
			vals[i] = stmt_text(st, i);
		if ((rc = fn(fctx, vals, 10)))
			break;
	}
	stmt_reset(st);
	return rc < 0 ? -rc : rc;
}
