/*
 * ack.c: acknowledgements (see ack.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grading.h"
#include "ack.h"
#include "ackcode.h"
#include "actor.h"
#include "audit.h"
#include "config.h"
#include "ids.h"
#include "values.h"

const char *const ack_result_names[] = { "ok", "already", "unknown", "invalid" };

/* The school's local date of a UTC timestamp (an extract's issued_at). */
static int local_date(struct ctx *c, const char *ts, char out[11], struct perr *e)
{
	char tz[64];
	long long epoch;
	int rc = config_get(c->store, "school.timezone", tz, sizeof tz, e);
	if (rc)
		return rc;
	if (ts_parse_utc(ts, &epoch))
		return perr_set(e, EX_SOFTWARE, "\"%s\" is not a timestamp", ts);
	date_format_iso(ts_local_days(epoch, tz), out);
	return 0;
}

/* An extract that counts: not made with a login reported as leaked. */
#define EXTRACT_VALID FACT_VALID("x")

static const char *channel_of(const char *v)
{
	char low[32];
	if (!v || !*v)
		return NULL;
	utf8_lower(v, low, sizeof low);
	str_trim(low);
	if (!strcmp(low, "paper") || !strcmp(low, "бумага") || !strcmp(low, "бумажная"))
		return "paper";
	if (!strcmp(low, "email") || !strcmp(low, "e-mail") || !strcmp(low, "почта"))
		return "email";
	if (!strcmp(low, "web") || !strcmp(low, "портал"))
		return "web";
	return "";
}

#define EXTRACT_OF "SELECT x.extract_id, x.class, x.channel, x.guardian_id, x.issued_at, x.code FROM extracts x WHERE "

int ack_record(struct ctx *c, const struct ack_in *in, enum ack_result *res, char canon[11], struct perr *e)
{
	int rc;
	*canon = 0;
	if (in->code && ackcode_read(in->code, canon)) {
		*res = ACK_INVALID;
		return 0;
	}
	int64_t id;
	char cls[8], channel[8], guardian[64], issued_at[32], code[11], issued[11];
	rc = store_get(c->store, e, in->code ? EXTRACT_OF "x.code = $1 AND " EXTRACT_VALID
					     : EXTRACT_OF "x.extract_id = $1 AND " EXTRACT_VALID,
		       in->code ? P_TEXT(canon) : P_INT(in->extract_id), INTO_INT(&id), INTO_TEXT(cls, sizeof cls),
		       INTO_TEXT(channel, sizeof channel), INTO_TEXT(guardian, sizeof guardian),
		       INTO_TEXT(issued_at, sizeof issued_at), INTO_TEXT(code, sizeof code));
	if (rc <= 0) {
		*res = ACK_UNKNOWN;
		return -rc;
	}
	str_copy(canon, 11, code);
	if ((rc = local_date(c, issued_at, issued, e)))
		return rc;
	if (in->by_guardian) {
		if (!in->guardian || (*guardian && strcmp(guardian, in->guardian))) {
			*res = ACK_UNKNOWN;	/* another guardian's extract is none of theirs */
			return 0;
		}
	} else if ((rc = actor_may_write_class(c->actor, cls, "register acknowledgements", e))) {
		return rc;
	}
	const char *ch = in->channel ? channel_of(in->channel) : channel;
	if (!ch || !*ch)
		return perr_set(e, EX_DATAERR, "channel \"%s\" is not one (expected paper, email or web)", in->channel);
	const char *on = in->on ? in->on : c->today;
	if (strcmp(on, c->today) > 0)
		return perr_set(e, EX_DATAERR, "acknowledged_on %s is in the future (today is %s)", on, c->today);
	if (strcmp(on, issued) < 0)
		return perr_set(e, EX_DATAERR, "acknowledged_on %s is before the extract was made (%s)", on, issued);
	const char *g = in->guardian && *in->guardian ? in->guardian : (*guardian ? guardian : NULL);
	if (g) {
		rc = store_exists(c->store, e, "SELECT 1 FROM guardian_links l JOIN extracts x ON x.student_id = l.student_id "
				  "WHERE x.extract_id = $1 AND l.guardian_id = $2 AND " FACT_VALID("l"), P_INT(id), P_TEXT(g));
		if (rc < 0)
			return -rc;
		if (!rc)
			return perr_set(e, EX_DATAERR, "guardian %s is not a guardian of the student of extract %lld", g,
					(long long)id);
	}
	/* one acknowledgement that counts per extract */
	rc = store_exists(c->store, e, "SELECT 1 FROM acks a WHERE a.extract_id = $1 AND " FACT_VALID("a"), P_INT(id));
	if (rc < 0)
		return -rc;
	if (rc) {
		*res = ACK_ALREADY;
		return 0;
	}
	struct change chg;
	int64_t seq;
	char ids[24];
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	change_begin(&chg, c, "insert", "ack", canon);
	change_field(&chg, "extract_id", NULL, ids);
	change_field(&chg, "acknowledged_on", NULL, on);
	change_field(&chg, "channel", NULL, ch);
	change_field(&chg, "guardian_id", NULL, g);
	if ((rc = change_commit(&chg, &seq, e)) ||
	    (rc = store_run(c->store, e, "INSERT INTO acks (extract_id, acknowledged_on, channel, guardian_id, recorded_at, "
			    "audit_seq) VALUES ($1, $2, $3, $4, $5, $6)", P_INT(id), P_TEXT(on), P_TEXT(ch), P_TEXT(g),
			    P_TEXT(c->now), P_INT(seq))))
		return rc;
	*res = ACK_OK;
	return 0;
}

/* ---- import ---- */

enum { K_CODE, K_EXTRACT, K_ON, K_CHANNEL, K_GUARDIAN, K_N };
static const struct csv_col ack_cols[K_N] = {
	{ "code", "код|код подтверждения", 0 },
	{ "extract_id", "ид выписки|номер выписки", 0 },
	{ "acknowledged_on", "дата ознакомления|дата|ознакомлен", 1 },
	{ "channel", "канал|способ", 0 },
	{ "guardian_id", "ид родителя|ид представителя", 0 },
};

static int ack_row(struct import *im, struct perr *e)
{
	const char *code = import_get(im, K_CODE), *xid = import_get(im, K_EXTRACT), *v, *why;
	char on[11], canon[11];
	struct ack_in in = { 0 };
	if (code && *code)
		in.code = code;
	else if (xid && *xid) {
		char *end;
		in.extract_id = strtoll(xid, &end, 10);
		if (*end || in.extract_id <= 0)
			import_error(im, "extract_id", "\"%s\" is not an extract id (expected a number from the manifest)", xid);
	} else {
		import_error(im, "code", "is empty and so is extract_id (expected the extract's code or id)");
	}
	if (value_date(v = import_get(im, K_ON), on, &why))
		import_error(im, "acknowledged_on", "\"%s\" %s", v, why);
	else if (strcmp(on, im->c->today) > 0)
		import_error(im, "acknowledged_on", "%s is in the future (today is %s)", on, im->c->today);
	in.on = on;
	if ((v = import_get(im, K_CHANNEL)) && *v) {
		if (!*(channel_of(v)))
			import_error(im, "channel", "\"%s\" is not a channel (expected paper, email or web)", v);
		in.channel = v;
	}
	in.guardian = import_get(im, K_GUARDIAN);
	if (im->row_bad)
		return 0;
	enum ack_result res;
	struct perr e2 = { 0 };
	int rc = ack_record(im->c, &in, &res, canon, &e2);
	if (rc == EX_DATAERR) {
		/* the message names what it is about */
		const char *col = !strncmp(e2.msg, "guardian", 8) ? "guardian_id" : !strncmp(e2.msg, "channel", 7) ? "channel"
												: "acknowledged_on";
		import_error(im, col, "%s", e2.msg);
		return 0;
	}
	if (rc) {
		*e = e2;
		/* the extract's class is checked before anything is written */
		return rc == EX_NOPERM ? import_refuse(im, in.code ? "code" : "extract_id", e) : rc;
	}
	if (res == ACK_INVALID)
		import_error(im, "code", "\"%s\" is not a code (expected 10 letters and digits, e.g. ABCDE-FGHJK)", code);
	else if (res == ACK_UNKNOWN)
		import_error(im, in.code ? "code" : "extract_id", "%s is no extract of this store", in.code ? code : xid);
	else if (res == ACK_ALREADY)
		im->unchanged++;
	else
		im->inserted++;
	return 0;
}

static int ack_start(struct import *im, struct perr *e)
{
	if (!csvin_has(im->in, K_CODE) && !csvin_has(im->in, K_EXTRACT))
		return perr_set(e, EX_DATAERR, "%s: the header has neither code nor extract_id (expected one of them)",
				csvin_name(im->in));
	return 0;
}

const struct import_kind ack_import = { .name = "acks", .cols = ack_cols, .ncols = K_N, .row = ack_row, .start = ack_start };

/* ---- a guardian's own ---- */

/* Whether a fact of table f that extract x showed was written, or made invalid, after x was made: the
 * extract made again today would differ from the one handed over. where narrows f to x's student or
 * class and dates. */
#define WRITTEN_AFTER(table, where) \
	"EXISTS (SELECT 1 FROM " table " f LEFT JOIN audit_invalid ai ON ai.seq = f.audit_seq WHERE " where \
	" AND (f.audit_seq > x.audit_seq OR ai.by_seq > x.audit_seq))"
/* the dates the extract covered, up to the day it was made */
#define X_DATES "f.date BETWEEN x.date_from AND MIN(x.date_to, substr(x.issued_at, 1, 10))"
#define X_CHANGED \
	WRITTEN_AFTER("marks", "f.student_id = x.student_id AND " X_DATES) " OR " \
	WRITTEN_AFTER("attendance", "f.student_id = x.student_id AND " X_DATES) " OR " \
	WRITTEN_AFTER("recommendations", "f.student_id = x.student_id AND " X_DATES) " OR " \
	WRITTEN_AFTER("finals", "f.student_id = x.student_id AND f.period = x.period") " OR " \
	WRITTEN_AFTER("lessons", "f.class = x.class AND " X_DATES) " OR " \
	WRITTEN_AFTER("changes", "f.class = x.class AND " X_DATES) " OR " \
	WRITTEN_AFTER("tests", "f.class = x.class AND f.date >= x.date_from")

int ack_each_own(struct ctx *c, const char *guardian, const char *student, ack_own_fn fn, void *fctx, struct perr *e)
{
	struct stmt *st = store_query(c->store, e,
		"SELECT x.code, x.class, COALESCE(x.period, ''), x.date_from, x.date_to, x.channel, x.issued_at, "
		"COALESCE((SELECT a.recorded_at FROM acks a WHERE a.extract_id = x.extract_id AND " FACT_VALID("a")
		" ORDER BY a.ack_id LIMIT 1), ''), "
		"COALESCE((SELECT a.channel FROM acks a WHERE a.extract_id = x.extract_id AND " FACT_VALID("a")
		" ORDER BY a.ack_id LIMIT 1), ''), " X_CHANGED " "
		"FROM extracts x WHERE x.student_id = $2 AND (x.guardian_id = $1 OR x.guardian_id IS NULL) AND " EXTRACT_VALID
		" ORDER BY x.issued_at DESC, x.extract_id DESC", P_TEXT(guardian), P_TEXT(student));
	int rc;
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1) {
		struct ack_own a = { stmt_text(st, 0), stmt_text(st, 1), stmt_text(st, 2), stmt_text(st, 3), stmt_text(st, 4),
				     stmt_text(st, 5), stmt_text(st, 6), stmt_text(st, 7), stmt_text(st, 8),
				     (int)stmt_int(st, 9) };
		if ((rc = fn(fctx, &a)))
			break;
	}
	stmt_reset(st);
	return rc < 0 ? -rc : rc;
}

/* ---- lists ---- */

/* Extracts that count, of classes the actor reads; $1 class, $2 period (NULL: any). */
#define SCOPE "x.class = COALESCE($1, x.class) AND (x.period = $2 OR $2 IS NULL) AND " EXTRACT_VALID
#define ACKED "EXISTS (SELECT 1 FROM acks a WHERE a.extract_id = x.extract_id AND " FACT_VALID("a") ")"

const struct out_col ack_pending_cols[] = { { "extract_id", COL_NUMBER }, { "student_id", COL_TEXT },
	{ "guardian_id", COL_TEXT }, { "class", COL_TEXT }, { "channel", COL_TEXT }, { "issued_on", COL_TEXT },
	{ "days_waiting", COL_NUMBER } };
const size_t ack_pending_ncols = 7;

static int may_read(struct ctx *c, const char *cls, const char *row_cls)
{
	return cls || actor_may_read_all(c->actor) || actor_leads(c->actor, row_cls);
}

/* The extracts pending: $3 the first instant of the day after the last one of issue counted
 * (--days-waiting), PICKED the condition of the people given (or "1 = 1"). */
#define PENDING_SQL(picked) \
	"SELECT x.extract_id, x.student_id, COALESCE(x.guardian_id, ''), x.class, x.channel, x.issued_at " \
	"FROM extracts x WHERE " SCOPE " AND NOT " ACKED " AND x.issued_at < $3 AND " picked " " \
	"ORDER BY x.issued_at, " CLASS_ORDER("x.class") ", x.extract_id"

/* The UTC instant at which the school's day today - min_days + 1 begins: an extract issued before it
 * has waited min_days days or more (0: the day after today, so every one). */
static int waited_since(struct ctx *c, long min_days, char out[21], struct perr *e)
{
	char tz[64], local[24], day[11];
	const char *why;
	long today;
	int rc = config_get(c->store, "school.timezone", tz, sizeof tz, e);
	if (rc)
		return rc;
	if (date_parse_iso(c->today, &today))
		return perr_set(e, EX_SOFTWARE, "\"%s\" is not a date", c->today);
	date_format_iso(today - min_days + 1, day);
	snprintf(local, sizeof local, "%s 00:00", day);
	if (value_timestamp(local, tz, out, &why))
		return perr_set(e, EX_SOFTWARE, "%s: %s", local, why);
	return 0;
}

int ack_list_pending(struct ctx *c, const char *cls, const char *period, long min_days, row_fn fn, void *fctx, long *rows,
		     struct perr *e)
{
	int rc;
	char before[21];
	*rows = 0;
	if (cls && (rc = actor_may_read_class(c->actor, cls, e)))
		return rc;
	if (min_days < 0)
		return perr_set(e, EX_USAGE, "--days-waiting %ld: expected a number of days, 0 or more", min_days);
	if ((rc = waited_since(c, min_days, before, e)))
		return rc;
	struct stmt *st = store_query(c->store, e,
		c->picked ? PENDING_SQL(IDS_PICKED_LINK("x.student_id", "x.guardian_id")) : PENDING_SQL("1 = 1"),
		P_TEXT(cls), P_TEXT(period), P_TEXT(before));
	if (!st)
		return e->status;
	long today;
	date_parse_iso(c->today, &today);
	const char *vals[7];
	char days[24], on[11];
	while ((rc = stmt_step(st, e)) == 1) {
		if (!may_read(c, cls, stmt_text(st, 3)))
			continue;
		long issued;
		for (int i = 0; i < 5; i++)
			vals[i] = stmt_text(st, i);
		if ((rc = local_date(c, stmt_text(st, 5), on, e))) {	/* the day it was made, at school */
			rc = -rc;
			break;
		}
		vals[5] = on;
		snprintf(days, sizeof days, "%ld", date_parse_iso(on, &issued) ? 0 : today - issued);
		vals[6] = days;
		(*rows)++;
		if ((rc = fn(fctx, vals, 7)))
			break;
	}
	stmt_reset(st);
	return rc < 0 ? -rc : rc;
}

const struct out_col ack_coverage_cols[] = { { "class", COL_TEXT }, { "extracts", COL_NUMBER },
	{ "acknowledged", COL_NUMBER }, { "pending", COL_NUMBER }, { "acknowledged_pct", COL_NUMBER } };
const size_t ack_coverage_ncols = 5;

int ack_each_coverage(struct ctx *c, const char *cls, const char *period, ack_coverage_fn fn, void *fctx, struct perr *e)
{
	int rc;
	if (cls && (rc = actor_may_read_class(c->actor, cls, e)))
		return rc;
	struct stmt *st = store_query(c->store, e,
		"SELECT x.class, count(*), sum(CASE WHEN " ACKED " THEN 1 ELSE 0 END) FROM extracts x WHERE " SCOPE
		" GROUP BY x.class ORDER BY " CLASS_ORDER("x.class"), P_TEXT(cls), P_TEXT(period));
	if (!st)
		return e->status;
	while ((rc = stmt_step(st, e)) == 1) {
		if (!may_read(c, cls, stmt_text(st, 0)))
			continue;
		struct ack_coverage a = { .cls = stmt_text(st, 0), .extracts = (long)stmt_int(st, 1),
					  .acknowledged = (long)stmt_int(st, 2) };
		a.pending = a.extracts - a.acknowledged;
		a.pct = a.extracts ? a.acknowledged * 100.0 / a.extracts : 0.0;
		if ((rc = fn(fctx, &a)))
			break;
	}
	stmt_reset(st);
	return rc < 0 ? -rc : rc;
}

struct coverage_rows {
	row_fn fn;
	void *fctx;
};

/* A typed coverage as the row of ack_coverage_cols. */
static int coverage_row(void *p, const struct ack_coverage *a)
{
	const struct coverage_rows *cr = p;
	char n[3][24], pct[16];
	snprintf(n[0], sizeof n[0], "%ld", a->extracts);
	snprintf(n[1], sizeof n[1], "%ld", a->acknowledged);
	snprintf(n[2], sizeof n[2], "%ld", a->pending);
	grading_fmt(a->pct, 1, pct, sizeof pct);
	const char *vals[] = { a->cls, n[0], n[1], n[2], pct };
	return cr->fn(cr->fctx, vals, 5);
}

int ack_coverage(struct ctx *c, const char *cls, const char *period, row_fn fn, void *fctx, struct perr *e)
{
	struct coverage_rows cr = { fn, fctx };
	return ack_each_coverage(c, cls, period, coverage_row, &cr, e);
}
