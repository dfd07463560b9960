/*
 * gate.h: what the holder of a web login may see of a student (the 152-ФЗ
 * gate of the web cabinet), decided once, beside consent_channel().
 *
 * - A guardian linked to the student sees the progress only while their
 *   standing consent is `given`; the e-mail address that the e-mail channel
 *   also needs plays no part here (nothing is sent: the guardian comes to
 *   the data). Without it they see the paper notice and nothing else.
 * - A student sees their own progress, always: it is shown to the person it
 *   is about, nothing leaves to a third party, so no guardian's consent is
 *   asked (the same marks are read out in class).
 * - A staff member sees the students of the classes they lead (read-only).
 * - Anyone else, and any student id that does not exist: hidden (404).
 */
#ifndef PORTAL_GATE_H
#define PORTAL_GATE_H

#include "ctx.h"

enum gate_view {
	GATE_HIDDEN,	/* answered as a page that does not exist */
	GATE_PAPER,	/* the paper notice only */
	GATE_OPEN,	/* the progress */
};

/* The view of student for the account kind (student | guardian | staff) of person. */
int gate_view(struct ctx *c, const char *kind, const char *person, const char *student, enum gate_view *out,
	      struct perr *e);

#endif
