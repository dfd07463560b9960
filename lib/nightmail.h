/*
 * nightmail.h: the nightly reports mailed to staff (portal-report nightly
 * --mail): each class leader with an e-mail address gets their class's
 * workbook, each deputy the summary, once a night. A message is queued in
 * the store with its file until the mail program accepts it, so a second
 * run the same night sends nothing and a refused one goes again, the same.
 * Staff reports are no personal data of a parent's choosing: no consent
 * applies, an address is needed.
 */
#ifndef PORTAL_NIGHTMAIL_H
#define PORTAL_NIGHTMAIL_H

#include "ctx.h"

#define NIGHTMAIL_SUMMARY "summary"	/* the report of the deputies; any other is a class */

struct nightmail_to {
	char staff_id[64], name[256], email[256];
};

typedef int (*nightmail_to_fn)(void *fctx, const struct nightmail_to *to, struct perr *e);

/* The recipients of report (a class: its class leaders; NIGHTMAIL_SUMMARY: the deputies) who are
 * at school and have an e-mail address, each to fn. */
int nightmail_recipients(struct ctx *c, const char *report, nightmail_to_fn fn, void *fctx, struct perr *e);

enum nightmail_state { NIGHTMAIL_NONE, NIGHTMAIL_QUEUED, NIGHTMAIL_SENT };
/* Where the message of report for staff on night stands; a queued one's file into file. */
int nightmail_state(struct ctx *c, const char *night, const char *staff, const char *report, char *file, size_t n,
		    enum nightmail_state *st, struct perr *e);
/* Queues the message in file (caller's write transaction, audited). */
int nightmail_queue(struct ctx *c, const char *night, const char *staff, const char *report, const char *file,
		    struct perr *e);
/* The hand-over of a queued message, accepted (status 0) or not, audited; accepted: sent. */
int nightmail_handed(struct ctx *c, const char *night, const char *staff, const char *report, const char *file,
		     int status, struct perr *e);

/* The message of report (the file attach, named attach_name) to to, written to f. */
struct nightmail_msg {
	const char *from, *school, *night, *report, *attach, *attach_name, *now;
};
int nightmail_write(const struct nightmail_msg *m, const struct nightmail_to *to, FILE *f, struct perr *e);

#endif
