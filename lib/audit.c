/*
 * audit.c: the hash-chained audit log and the change recorder every writer uses.
 * A record's hash covers its own fields and the previous record's hash; the
 * head table holds the newest link, so a removed tail shows as well.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "audit.h"

static void hash_field(crypto_hash_sha256_state *st, const char *s)
{
	char len[24];
	size_t n = s ? strlen(s) : 0;
	int l = snprintf(len, sizeof len, "%zu:", n);
	crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)l);
	if (n)
		crypto_hash_sha256_update(st, (const unsigned char *)s, n);
}

/* The hash of one record: every field length-prefixed, so no two records collide by shifting text. */
static void record_hash(const char *prev, int64_t seq, const char *at, const char *actor, const char *tool,
			const char *action, const char *object, const char *detail, char out[65])
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	char seqs[24];
	snprintf(seqs, sizeof seqs, "%lld", (long long)seq);
	crypto_hash_sha256_init(&st);
	const char *fields[] = { prev, seqs, at, actor, tool, action, object, detail };
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		hash_field(&st, fields[i]);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, 65, h, sizeof h);
}

static int load_head(struct ctx *c, struct perr *e)
{
	int rc = audit_head(c->store, &c->head_seq, c->head_hash, e);
	if (!rc)
		c->head_loaded = store_tx_serial(c->store);
	return rc;
}

/* The head read in an earlier transaction is stale: another command may have appended since. */
static int head_current(struct ctx *c)
{
	return c->head_loaded && c->head_loaded == store_tx_serial(c->store);
}

int audit_next_seq(struct ctx *c, int64_t *seq, struct perr *e)
{
	int rc = head_current(c) ? 0 : load_head(c, e);
	if (!rc)
		*seq = c->head_seq + 1;
	return rc;
}

int audit_append(struct ctx *c, const char *object, const char *detail, int64_t *seq, struct perr *e)
{
	int rc;
	if (!head_current(c) && (rc = load_head(c, e)))
		return rc;
	const char *actor = c->actor ? c->actor->login : "-";
	int64_t next = c->head_seq + 1;
	char hash[65];
	record_hash(c->head_hash, next, c->now, actor, c->tool, c->action, object, detail, hash);
	if ((rc = store_run(c->store, e,
			    "INSERT INTO audit (seq, at, actor, tool, action, object, detail, prev_hash, hash) "
			    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", P_INT(next), P_TEXT(c->now), P_TEXT(actor),
			    P_TEXT(c->tool), P_TEXT(c->action), P_TEXT(object), P_TEXT(detail), P_TEXT(c->head_hash),
			    P_TEXT(hash))) ||
	    (rc = store_run(c->store, e,
			    "INSERT INTO audit_head (id, seq, hash) VALUES (1, $1, $2) "
			    "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash", P_INT(next), P_TEXT(hash))))
		return rc;
	c->head_seq = next;
	memcpy(c->head_hash, hash, sizeof hash);
	if (seq)
		*seq = next;
	return 0;
}

static int verify_head(struct store *s, int64_t last, const char *last_hash, struct perr *e)
{
	int64_t hseq;
	char hhash[65];
	int rc = store_get(s, e, "SELECT seq, hash FROM audit_head WHERE id = 1", INTO_INT(&hseq), INTO_TEXT(hhash, sizeof hhash));
	if (rc < 0)
		return -rc;
	if (hseq > last)
		return perr_set(e, EX_DATAERR, "audit record %lld is missing: the log ends at %lld, its head says %lld",
				(long long)(last + 1), (long long)last, (long long)hseq);
	if (hseq < last || (last && strcmp(hhash, last_hash) != 0))
		return perr_set(e, EX_DATAERR, "audit record %lld does not match the chain's head: it was added or altered outside portal",
				(long long)last);
	return 0;
}

int audit_verify(struct store *s, long *count, struct perr *e)
{
	struct stmt *st = store_prepare(s,
		"SELECT seq, at, actor, tool, action, object, detail, prev_hash, hash FROM audit ORDER BY seq", e);
	if (!st)
		return e->status;
	char prev[65];
	memset(prev, '0', 64);
	prev[64] = '\0';
	int64_t expect = 1;
	long n = 0;
	int rc;
	while ((rc = stmt_step(st, e)) == 1) {
		int64_t seq = stmt_int(st, 0);
		char h[65];
		if (seq != expect) {
			stmt_reset(st);
			return perr_set(e, EX_DATAERR, "audit record %lld is missing (the next one is %lld)",
					(long long)expect, (long long)seq);
		}
		const char *stored_prev = stmt_text(st, 7), *stored = stmt_text(st, 8);
		record_hash(prev, seq, stmt_text(st, 1), stmt_text(st, 2), stmt_text(st, 3), stmt_text(st, 4),
			    stmt_text(st, 5), stmt_text(st, 6), h);
		if (!stored_prev || strcmp(stored_prev, prev) != 0 || !stored || strcmp(stored, h) != 0) {
			stmt_reset(st);
			return perr_set(e, EX_DATAERR, "audit record %lld was altered: its hash does not match its content",
					(long long)seq);
		}
		memcpy(prev, h, sizeof h);
		expect++;
		n++;
	}
	stmt_reset(st);
	if (rc < 0)
		return -rc;
	if (count)
		*count = n;
	return verify_head(s, expect - 1, prev, e);
}

int audit_head(struct store *s, int64_t *seq, char hash[65], struct perr *e)
{
	int rc = store_get(s, e, "SELECT seq, hash FROM audit_head WHERE id = 1", INTO_INT(seq), INTO_TEXT(hash, 65));
	if (rc < 0)
		return -rc;
	if (!rc) {
		memset(hash, '0', 64);
		hash[64] = '\0';
	}
	return 0;
}

/* The detail of an invalidation record: check rebuilds it from an audit_invalid row to compare. */
static void invalidation_detail(struct sbuf *b, const char *reason, int64_t by_seq)
{
	sbuf_adds(b, "{\"op\":\"invalidate\",\"reason\":");
	sbuf_add_json(b, reason);
	sbuf_printf(b, ",\"by_seq\":%lld}", (long long)by_seq);
}

int audit_invalidate(struct ctx *c, int64_t seq, const char *reason, int64_t by_seq, struct perr *e)
{
	char object[32];
	struct sbuf detail;
	snprintf(object, sizeof object, "audit:%lld", (long long)seq);
	sbuf_init(&detail);
	invalidation_detail(&detail, reason, by_seq);
	int rc = audit_append(c, object, detail.s, NULL, e);
	sbuf_free(&detail);
	if (rc)
		return rc;
	return store_run(c->store, e, "INSERT INTO audit_invalid (seq, reason, by_seq) VALUES ($1, $2, $3)",
			 P_INT(seq), P_TEXT(reason), P_INT(by_seq));
}

/* Every audit_invalid row has its invalidation record in the chain, with the same reason and by_seq. */
static int invalid_rows_recorded(struct store *s, struct perr *e)
{
	struct stmt *rows = store_prepare(s, "SELECT seq, reason, by_seq FROM audit_invalid ORDER BY seq", e);
	if (!rows)
		return e->status;
	struct sbuf detail;
	sbuf_init(&detail);
	int rc = 0, found = 1;
	int64_t seq = 0;
	while (found && (rc = stmt_step(rows, e)) == 1) {
		char object[32];
		seq = stmt_int(rows, 0);
		snprintf(object, sizeof object, "audit:%lld", (long long)seq);
		sbuf_reset(&detail);
		invalidation_detail(&detail, stmt_text(rows, 1), stmt_int(rows, 2));
		int r = store_exists(s, e, "SELECT 1 FROM audit WHERE object = $1 AND detail = $2", P_TEXT(object),
				     P_TEXT(detail.s));
		if (r < 0) {
			rc = r;
			break;
		}
		found = r == 1;
	}
	stmt_reset(rows);
	sbuf_free(&detail);
	if (rc < 0)
		return -rc;
	if (!found)
		return perr_set(e, EX_DATAERR, "audit record %lld is marked invalid, but the chain holds no such invalidation: "
				"the mark was added or altered outside portal", (long long)seq);
	return 0;
}

struct old_mark {
	int64_t seq, by_seq;
	char *reason;
};

int audit_chain_old_invalidations(struct ctx *c, long *added, struct perr *e)
{
	struct stmt *st = store_prepare(c->store,
		"SELECT i.seq, i.reason, i.by_seq FROM audit_invalid i WHERE NOT EXISTS (SELECT 1 FROM audit a "
		"WHERE a.object = 'audit:' || i.seq) ORDER BY i.seq", e);
	if (!st)
		return e->status;
	struct old_mark *m = NULL;
	size_t n = 0;
	int rc;
	while ((rc = stmt_step(st, e)) == 1) {
		m = xrealloc(m, (n + 1) * sizeof *m);
		m[n].seq = stmt_int(st, 0);
		m[n].reason = xstrdup(stmt_text(st, 1));
		m[n].by_seq = stmt_int(st, 2);
		n++;
	}
	stmt_reset(st);
	rc = rc < 0 ? -rc : 0;
	for (size_t i = 0; i < n && !rc; i++) {
		char object[32];
		struct sbuf detail;
		snprintf(object, sizeof object, "audit:%lld", (long long)m[i].seq);
		sbuf_init(&detail);
		invalidation_detail(&detail, m[i].reason, m[i].by_seq);
		rc = audit_append(c, object, detail.s, NULL, e);
		sbuf_free(&detail);
	}
	for (size_t i = 0; i < n; i++)
		free(m[i].reason);
	free(m);
	*added = rc ? 0 : (long)n;
	return rc;
}

/* Every invalidation record of the chain still has its audit_invalid row. */
static int recorded_invalid_rows(struct store *s, struct perr *e)
{
	struct stmt *recs = store_prepare(s, "SELECT seq, object FROM audit WHERE object LIKE 'audit:%' ORDER BY seq", e);
	if (!recs)
		return e->status;
	int rc = 0, found = 1;
	long long by = 0, seq = 0;
	while (found && (rc = stmt_step(recs, e)) == 1) {
		char tail;
		by = (long long)stmt_int(recs, 0);
		if (sscanf(stmt_text(recs, 1), "audit:%lld%c", &seq, &tail) != 1)
			continue;
		int r = store_exists(s, e, "SELECT 1 FROM audit_invalid WHERE seq = $1", P_INT(seq));
		if (r < 0) {
			rc = r;
			break;
		}
		found = r == 1;
	}
	stmt_reset(recs);
	if (rc < 0)
		return -rc;
	if (!found)
		return perr_set(e, EX_DATAERR, "audit record %lld was invalidated (record %lld), but its mark in audit_invalid "
				"is gone: it was removed outside portal", seq, by);
	return 0;
}

int audit_verify_invalid(struct store *s, struct perr *e)
{
	int rc = invalid_rows_recorded(s, e);
	return rc ? rc : recorded_invalid_rows(s, e);
}

void sbuf_add_json(struct sbuf *b, const char *s)
{
	if (!s) {
		sbuf_adds(b, "null");
		return;
	}
	sbuf_addc(b, '"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\') {
			sbuf_addc(b, '\\');
			sbuf_addc(b, (char)ch);
		} else if (ch == '\n') {
			sbuf_adds(b, "\\n");
		} else if (ch == '\t') {
			sbuf_adds(b, "\\t");
		} else if (ch == '\r') {
			sbuf_adds(b, "\\r");
		} else if (ch < 0x20) {
			sbuf_printf(b, "\\u%04x", ch);
		} else {
			sbuf_addc(b, (char)ch);
		}
	}
	sbuf_addc(b, '"');
}

void change_begin(struct change *ch, struct ctx *c, const char *op, const char *kind, const char *id)
{
	ch->ctx = c;
	ch->op = op;
	ch->kind = kind;
	ch->id = id;
	snprintf(ch->object, sizeof ch->object, "%s:%s", kind, id);
	sbuf_init(&ch->detail);
	sbuf_adds(&ch->detail, "{\"op\":");
	sbuf_add_json(&ch->detail, op);
	ch->nfields = 0;
	ch->sink = c->changes;
}

static int same(const char *a, const char *b)
{
	if (!a || !*a)
		return !b || !*b;
	return b && strcmp(a, b) == 0;
}

int change_field(struct change *ch, const char *field, const char *old, const char *new_)
{
	if (same(old, new_))
		return 0;
	const char *o = old && *old ? old : NULL, *n = new_ && *new_ ? new_ : NULL;
	sbuf_addc(&ch->detail, ',');
	sbuf_add_json(&ch->detail, field);
	sbuf_adds(&ch->detail, ":[");
	sbuf_add_json(&ch->detail, o);
	sbuf_addc(&ch->detail, ',');
	sbuf_add_json(&ch->detail, n);
	sbuf_addc(&ch->detail, ']');
	ch->nfields++;
	struct change_sink *sink = ch->sink;
	if (sink)
		sink->emit(sink->ctx, ch->op, ch->kind, ch->id, field, o ? o : "", n ? n : "");
	return 1;
}

int change_commit(struct change *ch, int64_t *seq, struct perr *e)
{
	int rc = 0;
	if (seq)
		*seq = 0;
	if (ch->nfields) {
		sbuf_addc(&ch->detail, '}');
		rc = audit_append(ch->ctx, ch->object, ch->detail.s, seq, e);
	}
	sbuf_free(&ch->detail);
	return rc;
}

void change_discard(struct change *ch)
{
	sbuf_free(&ch->detail);
}
