/*
 * rowfn.h: the callback every list of lib/ hands its rows to, and the columns
 * it declares for them, so that a module that only lists rows needs no other
 * module's header for it.
 */
#ifndef PORTAL_ROWFN_H
#define PORTAL_ROWFN_H

#include <stddef.h>

/* Rows of a list, one call each; vals has the list's columns. */
typedef int (*row_fn)(void *ctx, const char *const *vals, size_t n);

/* A column of a list as it is declared: its name and what its values are, so that a writer
 * that keeps types (json) writes a count or an average as a number. A number column holds
 * integers or decimals with a '.', or nothing; a text column anything. */
enum col_type { COL_TEXT = 0, COL_NUMBER };
struct out_col {
	const char *name;
	enum col_type type;
};

#endif
