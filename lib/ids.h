/*
 * ids.h: the one reader of people on standard input (SPEC §2, the pipe
 * contract). A verb that acts on people takes them from a file or a pipe: a
 * CSV with a student_id and/or guardian_id column (other columns ignored), or
 * a header-less list of ids, one a line. Every id must be somebody in the
 * store; an id of nobody is 65 naming FILE:LINE.
 *
 * The people read are staged in a temporary table, picked, so that a list
 * keeps to them inside its own query (IDS_PICKED_STUDENT, IDS_PICKED_LINK),
 * however many there are: no query per id, no filtering of rows after.
 */
#ifndef PORTAL_IDS_H
#define PORTAL_IDS_H

#include "audit.h"
#include "csvin.h"
#include "ctx.h"
#include "err.h"
#include "store.h"
#include "strmap.h"

struct ids {
	struct strmap students, guardians;	/* every id read → the line it is first seen on */
	/* each line's people as "STUDENT\037GUARDIAN", one part empty for a line of one person
	 * (→ its line): a line with both names a link, the output of portal-consent status */
	struct strmap lines;
};

void ids_init(struct ids *ids);
void ids_free(struct ids *ids);

/* Reads the people of in (from csvin_open, not yet mapped) into ids; an id of a header-less list
 * goes to the map of whoever it is in s. Empty input is no ids. 65 naming FILE:LINE (the earliest
 * bad line) for an id of nobody in s, an id of both a student and a guardian in a list, or a CSV
 * with neither column. */
int ids_read(struct store *s, struct csvin *in, struct ids *ids, struct perr *e);

/* Whether the lines of ids (ids->lines) name guardian for student: a line of the student alone, of
 * that link, or of the guardian alone; every guardian when lines is NULL or empty. */
int ids_line_names(const struct strmap *lines, const char *student, const char *guardian);

/* Puts the lines of ids into the temporary table picked (student_id, guardian_id; NULL for the
 * part a line does not name), replacing what it held. */
int ids_stage(struct store *s, const struct ids *ids, struct perr *e);

/* 0 when the actor may read the class of every student picked (after ids_stage), and of a child of
 * every guardian picked alone; else 77 as name:LINE: ID: the refusal of its class, for the earliest
 * line. */
int ids_may_read(struct ctx *c, const struct ids *ids, const char *name, struct perr *e);

/* SQL conditions on the people of picked (after ids_stage only: the table exists from then), each
 * a few uncorrelated sets that the engine computes once for the statement, and one keyed look-up.
 * The children of the guardians named alone (a guardian's line stands for their children): */
#define IDS_CHILDREN_PICKED \
	"SELECT pl.student_id FROM picked p JOIN guardian_links pl ON pl.guardian_id = p.guardian_id AND " \
	FACT_VALID("pl") " WHERE p.student_id IS NULL"
/* A row about student S is theirs when a line names S (alone or with a guardian), or names a
 * guardian of S alone. */
#define IDS_PICKED_STUDENT(s) \
	"(" s " IN (SELECT student_id FROM picked WHERE student_id IS NOT NULL) OR " s " IN (" IDS_CHILDREN_PICKED "))"
/* A row about student S and guardian G (G NULL: the family's, as a paper extract) is theirs when a
 * line names S alone, G alone, or the link of both; a row of the family when a line names S with a
 * guardian, or a guardian of S alone. */
#define IDS_PICKED_LINK(s, g) \
	"(" s " IN (SELECT student_id FROM picked WHERE guardian_id IS NULL) " \
	"OR " g " IN (SELECT guardian_id FROM picked WHERE student_id IS NULL) " \
	"OR EXISTS (SELECT 1 FROM picked p WHERE p.student_id = " s " AND p.guardian_id = " g ") " \
	"OR (" g " IS NULL AND (" s " IN (SELECT student_id FROM picked WHERE guardian_id IS NOT NULL) " \
	"OR " s " IN (" IDS_CHILDREN_PICKED "))))"

#endif
