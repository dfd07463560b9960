/*
 * store.c: the statement helpers that read like the SQL they run (store_run,
 * store_exists, store_get, store_each, store_rows, store_query), with typed
 * parameters bound as $1, $2 … They are built on the statement primitives of
 * store.h only, so every engine behind it (lib/store/) gets them as they are.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "util.h"

static int is_into(const struct sparam *p)
{
	return p->type == SP_INTO_TEXT || p->type == SP_INTO_INT || p->type == SP_INTO_DOUBLE;
}

/* Binds the parameters in order, $1 first; copy: the text outlives the call (store_query). */
static int bind_params(struct stmt *st, const struct sparam *p, int copy, struct perr *e)
{
	int n = 0;
	for (const struct sparam *q = p; q->type != SP_END; q++)
		n += !is_into(q);
	if (n != stmt_nparams(st))
		return perr_set(e, EX_SOFTWARE, "a statement takes %d parameters, %d given [%.80s]", stmt_nparams(st), n,
				stmt_sql(st));
	n = 0;
	for (; p->type != SP_END; p++) {
		if (is_into(p))
			continue;
		n++;
		switch (p->type) {
		case SP_TEXT:
			(copy ? stmt_bind_text : stmt_bind_text_static)(st, n, p->text);
			break;
		case SP_INT:
			stmt_bind_int(st, n, p->i);
			break;
		case SP_DOUBLE:
			stmt_bind_double(st, n, p->d);
			break;
		default:
			stmt_bind_null(st, n);
			break;
		}
	}
	return 0;
}

/* The cached statement for sql with p bound; NULL and *status on an error. */
static struct stmt *prepare_bound(struct store *s, const char *sql, const struct sparam *p, int copy,
				  int *status, struct perr *e)
{
	struct perr local = { 0 };
	struct perr *err = e ? e : &local;
	struct stmt *st = store_prepare(s, sql, err);
	if (!st) {
		*status = err->status ? err->status : EX_SOFTWARE;
		return NULL;
	}
	if ((*status = bind_params(st, p, copy, err))) {
		stmt_unbind(st);
		return NULL;
	}
	return st;
}

/* Values bound without copying stay bound to the reset statement until it is prepared
 * again (store_prepare clears the bindings then); SQLite never reads them meanwhile. */
int store_run_params(struct store *s, struct perr *e, const char *sql, const struct sparam *p)
{
	int status;
	struct stmt *st = prepare_bound(s, sql, p, 0, &status, e);
	return st ? stmt_run(st, e) : status;
}

int store_exists_params(struct store *s, struct perr *e, const char *sql, const struct sparam *p)
{
	int status;
	struct stmt *st = prepare_bound(s, sql, p, 0, &status, e);
	if (!st)
		return -status;
	int rc = stmt_step(st, e);
	stmt_rewind(st);
	return rc;
}

/* Copies the row's columns into the INTO_ places (emptied when row is 0). */
static int copy_into(struct stmt *st, const struct sparam *p, int row, struct perr *e)
{
	int col = 0, ncols = stmt_columns(st);
	for (; p->type != SP_END; p++) {
		if (!is_into(p))
			continue;
		if (row && col >= ncols)
			return perr_set(e, EX_SOFTWARE, "a statement gives %d columns, more are read [%.80s]", ncols, stmt_sql(st));
		int null = !row || stmt_isnull(st, col);
		if (p->type == SP_INTO_TEXT) {
			if (p->size)
				str_copy(p->out_text, p->size, null ? "" : stmt_text(st, col));
		} else if (p->type == SP_INTO_INT) {
			*p->out_int = null ? 0 : stmt_int(st, col);
		} else {
			*p->out_double = null ? 0 : stmt_double(st, col);
		}
		col++;
	}
	return 0;
}

int store_get_params(struct store *s, struct perr *e, const char *sql, const struct sparam *p)
{
	int status;
	struct stmt *st = prepare_bound(s, sql, p, 0, &status, e);
	if (!st)
		return -status;
	int rc = stmt_step(st, e);
	if (rc >= 0 && (status = copy_into(st, p, rc, e)))
		rc = -status;
	stmt_rewind(st);
	return rc;
}

int store_each_params(struct store *s, struct perr *e, store_stmt_fn fn, void *ctx, const char *sql,
		      const struct sparam *p)
{
	int status;
	struct stmt *st = prepare_bound(s, sql, p, 0, &status, e);
	if (!st)
		return status;
	int rc, stop = 0;
	while ((rc = stmt_step(st, e)) == 1)
		if ((stop = fn(ctx, st, e)))
			break;
	stmt_rewind(st);
	return stop ? stop : rc < 0 ? -rc : 0;
}

#define ROW_COLS_MAX 32

int store_rows_params(struct store *s, struct perr *e, store_row_fn fn, void *ctx, const char *sql,
		      const struct sparam *p)
{
	int status;
	struct stmt *st = prepare_bound(s, sql, p, 0, &status, e);
	if (!st)
		return status;
	const char *vals[ROW_COLS_MAX];
	int n = stmt_columns(st), rc, stop = 0;
	if (n > ROW_COLS_MAX) {
		stmt_unbind(st);
		return perr_set(e, EX_SOFTWARE, "a statement gives %d columns, at most %d are handed on [%.80s]",
				n, ROW_COLS_MAX, sql);
	}
	while ((rc = stmt_step(st, e)) == 1) {
		for (int i = 0; i < n; i++)
			vals[i] = stmt_text(st, i);
		if ((stop = fn(ctx, vals, (size_t)n)))
			break;
	}
	stmt_rewind(st);
	if (stop)
		return stop < 0 ? -stop : stop;
	return rc < 0 ? -rc : 0;
}

struct stmt *store_query_params(struct store *s, struct perr *e, const char *sql, const struct sparam *p)
{
	int status;
	return prepare_bound(s, sql, p, 1, &status, e);
}
