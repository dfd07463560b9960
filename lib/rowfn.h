/*
 * rowfn.h: the callback every list of lib/ hands its rows to, so that a module
 * that only lists rows needs no other module's header for it.
 */
#ifndef PORTAL_ROWFN_H
#define PORTAL_ROWFN_H

#include <stddef.h>

/* Rows of a list, one call each; vals has the list's columns. */
typedef int (*row_fn)(void *ctx, const char *const *vals, size_t n);

#endif
