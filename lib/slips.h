/*
 * slips.h: credential slips to print and cut, in Russian: who, login, the
 * temporary password, the portal's address and the three rules.
 */
#ifndef PORTAL_SLIPS_H
#define PORTAL_SLIPS_H

#include <stdio.h>
#include "accounts.h"
#include "err.h"

struct slip_info {
	const char *school;
	const char *portal_url;
	const char *support;
};

/* Writes one slip per item; 0, or -1 on a write error. */
int slips_write_txt(FILE *f, const struct slip_info *info, const struct issue_plan *p);
/* The slips as an A4 PDF document to f, its date now (or SOURCE_DATE_EPOCH); 0 or an error in e. */
int slips_write_pdf(FILE *f, const struct slip_info *info, const struct issue_plan *p, const char *now, struct perr *e);

#endif
