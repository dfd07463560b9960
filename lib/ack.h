/*
 * ack.h: acknowledgements that a parent has read an extract: by its code
 * (typed or scanned, read the Crockford way) or its extract_id; what is
 * pending, and the acknowledged share per class (portal-report coverage
 * reuses ack_coverage).
 */
#ifndef PORTAL_ACK_H
#define PORTAL_ACK_H

#include "import.h"
#include "rowfn.h"

enum ack_result { ACK_OK, ACK_ALREADY, ACK_UNKNOWN, ACK_INVALID };
extern const char *const ack_result_names[];

struct ack_in {
	const char *code;		/* as typed; or NULL with extract_id */
	long long extract_id;
	const char *on;			/* acknowledged_on, canonical date; NULL: today */
	const char *channel;		/* NULL: the extract's own */
	const char *guardian;		/* NULL: the extract's */
	int by_guardian;		/* guardian registers it themself (the web cabinet): no class right is
					 * needed, but the extract must be theirs or their family's */
};

/* Registers one acknowledgement. *res says what happened; the status is 0 unless fatal
 * (77 for a class the actor does not lead, 65 for a bad date or channel, with e). */
int ack_record(struct ctx *c, const struct ack_in *in, enum ack_result *res, char canon[11], struct perr *e);

extern const struct import_kind ack_import;

/* One extract made for a guardian (to them, or on paper to their child's family), with its
 * acknowledgement; the texts live until the callback returns. */
struct ack_own {
	const char *code, *cls, *period, *from, *to, *channel;	/* period "" when by dates */
	const char *issued_at;		/* UTC */
	const char *acked_at;		/* when the acknowledgement that counts was recorded (UTC); "" none */
	const char *ack_channel;	/* "" none */
	int changed;			/* the journal it showed was written to (or made invalid) since */
};
typedef int (*ack_own_fn)(void *ctx, const struct ack_own *a);
/* The extracts that count of student made for guardian (theirs, or the family's on paper), newest
 * first. A non-zero return of fn stops and is returned. The caller has checked the link. */
int ack_each_own(struct ctx *c, const char *guardian, const char *student, ack_own_fn fn, void *fctx, struct perr *e);

extern const struct out_col ack_pending_cols[];
extern const size_t ack_pending_ncols;
/* The extracts of cls (NULL: every class the actor reads) and period (NULL: any) not acknowledged,
 * longest waiting first; only those waiting at least min_days days (0: all), and with c->picked only
 * those of the people of the table picked (ids.h): a student's, a guardian's and their family's on
 * paper. *rows = how many. */
int ack_list_pending(struct ctx *c, const char *cls, const char *period, long min_days, row_fn fn, void *fctx, long *rows,
		     struct perr *e);

/* The acknowledged share of one class's extracts that count; cls lives until the callback returns. */
struct ack_coverage {
	const char *cls;
	long extracts, acknowledged, pending;
	double pct;		/* acknowledged * 100 / extracts; 0 without extracts */
};
typedef int (*ack_coverage_fn)(void *ctx, const struct ack_coverage *a);
/* Per class with extracts (of period; NULL: any) the actor may read, by class. A non-zero
 * return of fn stops and is returned. */
int ack_each_coverage(struct ctx *c, const char *cls, const char *period, ack_coverage_fn fn, void *fctx, struct perr *e);

/* The same as rows: class,extracts,acknowledged,pending,acknowledged_pct (one decimal). */
extern const struct out_col ack_coverage_cols[];
extern const size_t ack_coverage_ncols;
int ack_coverage(struct ctx *c, const char *cls, const char *period, row_fn fn, void *fctx, struct perr *e);

#endif
