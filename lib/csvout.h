/*
 * csvout.h: the one writer of tabular output. Every binary prints rows through
 * it, so the formats behave the same everywhere (SPEC §2):
 *   csv   UTF-8 without BOM, comma, LF, RFC 4180 quoting; data for the next program, never altered
 *   excel CSV for Excel on a Russian Windows: UTF-8 with BOM, ';', CRLF, and a "'" before a
 *         cell that begins with = + - @ TAB or CR (formula-injection guard)
 *   table columns aligned by display width (Cyrillic is 2 bytes, 1 column), for a terminal
 *   json  one JSON object per line (JSON Lines, written by jansson), keys the column names:
 *         a number column's values as JSON numbers, a text column's as strings, empty → null
 */
#ifndef PORTAL_CSVOUT_H
#define PORTAL_CSVOUT_H

#include <stdio.h>
#include <stddef.h>

#include "rowfn.h"

enum out_format { OUT_CSV, OUT_EXCEL, OUT_TABLE, OUT_JSON, OUT_XLSX };

struct out;

/* Parses "csv", "table", "json", "xlsx"; -1 on anything else. */
int out_format_parse(const char *name, enum out_format *fmt);
/* A writer on f (not closed by out_free). OUT_XLSX is not handled here. */
struct out *out_new(FILE *f, enum out_format fmt);
/* The columns, each with its type (rowfn.h). */
int out_header(struct out *o, const struct out_col *cols, size_t n);
/* vals[i] NULL is written as an empty cell (json: null). */
int out_row(struct out *o, const char *const *vals, size_t n);
/* The header waits for the first row, or for out_finish: a command that fails before its first
 * row drops it (out_drop) and prints nothing at all. Call before out_header. */
void out_defer_header(struct out *o);
/* Writes what is buffered (table, a deferred header) and flushes; 0, or -1 with errno on an I/O error. */
int out_finish(struct out *o);
/* Finishes after a failure: what is held back (a deferred header, a table) is dropped; the rows
 * already written are flushed. 0, or -1 with errno on an I/O error. */
int out_drop(struct out *o);
void out_free(struct out *o);

/* Appends one RFC 4180 field to f (quoted when it holds , " CR LF or sep). */
int csv_write_field(FILE *f, const char *s, char sep);

#endif
