/*
 * ids.h: the one reader of people on standard input (SPEC §2, the pipe
 * contract). A verb that acts on people takes them from a file or a pipe: a
 * CSV with a student_id and/or guardian_id column (other columns ignored), or
 * a header-less list of ids, one a line. Every id must be somebody in the
 * store; an id of nobody is 65 naming FILE:LINE.
 */
#ifndef PORTAL_IDS_H
#define PORTAL_IDS_H

#include "csvin.h"
#include "err.h"
#include "store.h"
#include "strmap.h"

/* Reads the people of in (from csvin_open, not yet mapped) into students and guardians, each
 * id → the line it is first seen on; an id of a header-less list goes to the map of whoever it
 * is in s. Empty input is no ids. 65 naming FILE:LINE (the earliest bad line) for an id of
 * nobody in s, an id of both a student and a guardian in a list, or a CSV with neither column. */
int ids_read(struct store *s, struct csvin *in, struct strmap *students, struct strmap *guardians,
	     struct perr *e);

#endif
