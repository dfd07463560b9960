/*
 * rights.h: rights on a row that reaches a person through a second key
 * (SPEC §3): a guardian belongs to every class of their children, so their
 * own data and credentials are for whoever may write all of those classes.
 */
#ifndef PORTAL_RIGHTS_H
#define PORTAL_RIGHTS_H

#include "ctx.h"

/* 0 when the actor may change guardian's own data (name, e-mail, phone), links and credentials:
 * an admin, or who may write the class of every child linked to the guardian (links that count,
 * a child who left too). Else 77 naming the guardian and a class the actor may not write; a
 * guardian with no child is an admin's. right says what was refused ("change the guardians"). */
int rights_guardian(struct ctx *c, const char *guardian, const char *right, struct perr *e);

/* The same, without a message: 1 the actor may, 0 not, <0 a store error (e filled). */
int rights_guardian_may(struct ctx *c, const char *guardian, struct perr *e);

#endif
