/*
 * calendar.h: working days by the store's production calendar. A date with a
 * row in the calendar table is what that row says; any other date follows the
 * built-in rule: Saturdays, Sundays and the fixed federal holidays of
 * ТК РФ ст.112 are days off.
 */
#ifndef PORTAL_CALENDAR_H
#define PORTAL_CALENDAR_H

#include "ctx.h"

/* The built-in rule alone: "dayoff" or "workday". */
const char *calendar_default_kind(long days);
/* The kind of a day by the store: dayoff | short | workday. */
int calendar_kind(struct store *s, long days, char out[8], struct perr *e);
/* The first working day strictly after day. */
int calendar_next_workday(struct store *s, long day, long *out, struct perr *e);
/* Loads one calendar row (date canonical, kind checked by the caller); audited.
 * *changed: 0 the same already, 1 inserted, 2 updated. */
int calendar_put(struct ctx *c, const char *date, const char *kind, int *changed, struct perr *e);

#endif
