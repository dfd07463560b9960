/*
 * consent.h: parents' consent to getting their child's progress information
 * electronically (152-ФЗ), and the channel it implies.
 *
 * consent_channel() is the one place that decides e-mail or paper, and
 * consent_email_address() (consent_gate() for a decision already read) the one
 * way an electronic path gets a guardian's address: it refuses unless the
 * standing decision is `given`. Every electronic output (extracts, mail) takes
 * the address from it; who gets what is delivery.h's plan.
 */
#ifndef PORTAL_CONSENT_H
#define PORTAL_CONSENT_H

#include "import.h"
#include "rowfn.h"

enum channel { CH_PAPER, CH_ELECTRONIC };

struct consent_state {
	char decision[12];	/* given | refused | withdrawn | none */
	char signed_on[11];	/* "" for none */
	char email[256];	/* the guardian's address, "" when none */
	enum channel channel;
};

/* The standing decision of guardian g for student s, and the channel: electronic only when
 * the decision is given and the guardian has an e-mail address. 65 when g is no guardian of s. */
int consent_channel(struct ctx *c, const char *g, const char *s, struct consent_state *out, struct perr *e);
/* The address to send s's information to g: 0 only with a standing consent and an address;
 * otherwise 77 naming why. The only door to a guardian's e-mail for electronic output. */
int consent_email_address(struct ctx *c, const char *g, const char *s, char *addr, size_t n, struct perr *e);
/* The same door for a standing decision already read (a consent_status): 0 and the address
 * (email), or 77 naming why not. */
int consent_gate(const char *g, const char *s, const char *decision, const char *email, char *addr, size_t n,
		 struct perr *e);

extern const struct import_kind consent_import;

/* One decision as `record` gives it; student NULL: every child of the guardian. */
struct consent_rec {
	const char *guardian, *student, *decision, *signed_on, *form, *doc;
	int by_guardian;	/* the guardian records it themself (the web cabinet): no class right is needed */
};
/* Records it (checked like an import row); *added = records written. 65 bad, 77 not permitted. */
int consent_record(struct ctx *c, const struct consent_rec *r, long *added, struct perr *e);

struct consent_filter {
	const char *cls, *student, *guardian;
	int missing_only;	/* only the links whose decision is none */
	int any_status;		/* with cls: the students who left too (whose extracts are asked for by name) */
	const char *decision;	/* only this standing decision (given, refused, withdrawn, none, or as record reads
				 * them); NULL: any */
	const char *channel;	/* only this channel (electronic, paper); NULL: any */
	int picked;		/* only the people of the table picked (ids.h): a guardian's links, a student's */
};

/* One guardian–student link with its standing decision; the texts live until the callback returns. */
struct consent_status {
	const char *guardian_id, *student_id, *cls, *guardian_name, *student_name;
	const char *decision;	/* given | refused | withdrawn | none */
	const char *signed_on;	/* "" for none */
	const char *email;	/* the guardian's address, "" when none */
	enum channel channel;	/* by consent_channel()'s rule */
};
typedef int (*consent_status_fn)(void *ctx, const struct consent_status *s);

/* Every link of the filter the actor may read, ordered by class, student name, student, guardian;
 * *rows = how many. A non-zero return of fn stops and is returned. */
int consent_each_status(struct ctx *c, const struct consent_filter *f, consent_status_fn fn, void *fctx, long *rows,
			struct perr *e);

/* The same as rows of consent_status_cols (portal-consent status). */
extern const struct out_col consent_status_cols[];
extern const size_t consent_status_ncols;
int consent_list_status(struct ctx *c, const struct consent_filter *f, row_fn fn, void *fctx, long *rows, struct perr *e);

extern const struct out_col consent_history_cols[];
extern const size_t consent_history_ncols;
/* Every decision recorded for guardian, or (guardian NULL, c->picked) for the people of the table
 * picked (ids.h): a guardian's decisions, those for a student. */
int consent_list_history(struct ctx *c, const char *guardian, row_fn fn, void *fctx, struct perr *e);

#endif
