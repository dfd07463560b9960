/*
 * csvin.h: the one reader of input CSV. It turns a file or stdin (UTF-8 with
 * or without BOM, cp1251 through iconv, UTF-16 by its BOM; ',' ';' or TAB
 * detected from the header; LF or CRLF; quoted fields with separators, quotes
 * and newlines) into records of named fields, each with the line it starts on.
 * A workbook (.xlsx, .xls, .ods) is told by its first bytes and refused (65)
 * with how to save it as CSV.
 */
#ifndef PORTAL_CSVIN_H
#define PORTAL_CSVIN_H

#include <stddef.h>
#include "err.h"

/* A column an import knows: canonical name and '|'-separated aliases
 * (compared case-insensitively, '_' and spaces alike). */
struct csv_col {
	const char *name;
	const char *aliases;
	int required;
};

struct csvin_opts {
	const char *encoding;	/* NULL or "utf-8": UTF-8; anything else is converted by iconv */
	char delimiter;		/* 0: detect from the header line */
	const char *name;	/* the name in messages instead of the path (NULL: the path, or "stdin") */
};

struct csvin;

/* path NULL or "-" reads standard input. 66 when the file cannot be opened (missing, not
 * readable by this OS user, a directory). */
int csvin_open(const char *path, const struct csvin_opts *o, struct csvin **out, struct perr *e);
void csvin_close(struct csvin *in);
/* The name used in messages: the path, or "stdin". */
const char *csvin_name(const struct csvin *in);
/* How far the reading is: bytes read of the input so far, and the size of a regular file
 * (0 when the input is a pipe or a terminal). */
void csvin_progress(const struct csvin *in, long long *done, long long *size);

/* Reads the header and maps its columns to cols. An unknown column is passed to
 * warn (once each); a missing required column is 65 before any row is read. */
int csvin_map(struct csvin *in, const struct csv_col *cols, size_t ncols,
	      void (*warn)(void *wctx, const char *msg), void *wctx, struct perr *e);

/* Next record: 1, 0 at the end, or a negative status (bad bytes, unclosed quote,
 * too many fields) with e filled as "FILE:LINE: ...". Records of empty fields only are skipped. */
int csvin_next(struct csvin *in, struct perr *e);
long csvin_line(const struct csvin *in);
/* The value of mapped column i (index into cols), trimmed; NULL when the file has no such column. */
const char *csvin_get(struct csvin *in, size_t i);
int csvin_has(const struct csvin *in, size_t i);
/* The record's raw fields and the header's, for --rejects. */
size_t csvin_nfields(const struct csvin *in);
const char *csvin_field(const struct csvin *in, size_t i);
size_t csvin_nheader(const struct csvin *in);
const char *csvin_header(const struct csvin *in, size_t i);

#endif
