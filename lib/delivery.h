/*
 * delivery.h: who gets a student's progress information for a period, and
 * how. For a selection of students (a class, students by id, the guardians
 * piped in) the plan says, per recipient, e-mail or paper and why: an e-mail
 * to each guardian whose standing consent allows it (the rule is
 * consent.h's, and the address comes only through its gate), one paper
 * extract for every student with another guardian or none. The extracts made
 * are registered here too (code, audit record, row) in the caller's
 * transaction. portal-extract, the coverage report and the web cabinet all
 * use this one plan.
 */
#ifndef PORTAL_DELIVERY_H
#define PORTAL_DELIVERY_H

#include <stdint.h>
#include "consent.h"
#include "ctx.h"
#include "roster.h"
#include "strmap.h"

/* What the caller asks for (portal-extract --channel auto|paper|email). */
enum delivery_mode { DELIVERY_AUTO, DELIVERY_PAPER_ONLY, DELIVERY_EMAIL_ONLY };
/* What one recipient gets; REFUSED: an e-mail was asked for a guardian the consent gate refuses. */
enum delivery_channel { DELIVER_EMAIL, DELIVER_PAPER, DELIVER_REFUSED };

/* Whose extracts: a class, or students by id and the children at school of the guardians the
 * lines of people name alone. */
struct delivery_sel {
	const char *cls;			/* a normalised class: its students at school; NULL: by id */
	const char *const *students;		/* ids, any status; a repeat counts once */
	size_t nstudents;
	const struct strmap *lines;		/* the lines of the people given (ids.h); NULL: none */
};

struct delivery_pick {
	char *id;
	char cls[ROSTER_CLASS_SIZE];
};

/* The students of sel, ordered by class, once the actor's right to make their extracts is
 * checked. 65 naming an id that is no student, 77 naming a class the actor may not write. */
int delivery_select(struct ctx *c, const struct delivery_sel *sel, struct delivery_pick **v, size_t *n, struct perr *e);
void delivery_picks_free(struct delivery_pick *v, size_t n);

struct delivery_recipient {
	char *student;
	char *guardian;			/* NULL: the family (paper) */
	char *guardian_name;		/* NULL with no guardian */
	enum delivery_channel channel;
	char *email;			/* DELIVER_EMAIL: the address the consent gate gave; else NULL */
	char *why;			/* for people: why this channel (REFUSED: the gate's refusal) */
};

struct delivery_plan {
	struct delivery_recipient *v;	/* a student's together, in the order asked; e-mails before paper */
	size_t n;
};

/* The plan for the students ids of class cls (each once, any status), in their order: every
 * guardian of each by mode; with lines of people given (ids.h, not empty) only the guardians they
 * name for the student (ids_line_names): a line of the student alone names them all. */
int delivery_plan_class(struct ctx *c, const char *cls, const char *const *ids, size_t n, enum delivery_mode mode,
			const struct strmap *lines, struct delivery_plan *p, struct perr *e);
void delivery_plan_free(struct delivery_plan *p);

/* The paper recipients of class cls: its students at school who get a paper extract by the
 * auto plan. each_link (NULL: none) is also given every link of them the plan was made from. */
int delivery_paper_count(struct ctx *c, const char *cls, consent_status_fn each_link, void *fctx, long *n,
			 struct perr *e);

/* One extract made, as it is registered. */
struct delivery_extract {
	const char *student, *guardian;		/* guardian NULL: paper, for the family */
	const char *cls, *period, *from, *to;	/* period NULL with --from/--to */
	enum delivery_channel channel;		/* DELIVER_EMAIL or DELIVER_PAPER */
	const char *code;			/* from delivery_new_code */
	const char *format, *file;
	int queued;				/* an e-mail to hand to the mail program (--send): queued till it accepts */
};

/* A new acknowledgement code no extract has (50 random bits: a repeat is all but impossible,
 * and still checked). */
int delivery_new_code(struct ctx *c, char code[11], struct perr *e);
/* Registers x in the caller's write transaction: its audit record, then its row; *id its extract_id. */
int delivery_register(struct ctx *c, const struct delivery_extract *x, int64_t *id, struct perr *e);

/* ---- what the mail program accepted: nothing goes twice, nothing refused is lost ---- */

/* An e-mailed extract that went to the mail program (or waits to). */
struct delivery_mailed {
	int64_t id;
	char code[11];
	char file[4200];
	int sent;			/* 1: accepted; 0: queued, to be handed over again */
};

/* The e-mailed extract of student for guardian over from–to that still counts and was handed
 * (or waits to be handed) to the mail program: a queued one first, else the last sent. 1 found
 * (*m filled), 0 none, or -status. */
int delivery_mailed(struct ctx *c, const char *student, const char *guardian, const char *from, const char *to,
		    struct delivery_mailed *m, struct perr *e);
/* The extract of code was accepted by the mail program now (in the caller's transaction, beside
 * the audit record of the hand-over). */
int delivery_mail_sent(struct ctx *c, const char *code, struct perr *e);

#endif
