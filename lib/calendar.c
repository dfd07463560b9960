/*
 * calendar.c: the production calendar and business days.
 */
#include <string.h>

#include "audit.h"
#include "calendar.h"
#include "values.h"

/* ТК РФ ст.112: 1–8 January, 23 February, 8 March, 1 and 9 May, 12 June, 4 November. */
static int fixed_holiday(int m, int d)
{
	return (m == 1 && d <= 8) || (m == 2 && d == 23) || (m == 3 && d == 8) ||
	       (m == 5 && (d == 1 || d == 9)) || (m == 6 && d == 12) || (m == 11 && d == 4);
}

const char *calendar_default_kind(long days)
{
	int y, m, d;
	days_date(days, &y, &m, &d);
	return (date_weekday(days) >= 6 || fixed_holiday(m, d)) ? "dayoff" : "workday";
}

int calendar_kind(struct store *s, long days, char out[8], struct perr *e)
{
	char iso[11];
	date_format_iso(days, iso);
	int rc = store_get(s, e, "SELECT kind FROM calendar WHERE date = $1", P_TEXT(iso), INTO_TEXT(out, 8));
	if (rc < 0)
		return -rc;
	if (!rc)
		str_copy(out, 8, calendar_default_kind(days));
	return 0;
}

int calendar_next_workday(struct store *s, long day, long *out, struct perr *e)
{
	char kind[8];
	for (long d = day + 1; d < day + 400; d++) {
		int rc = calendar_kind(s, d, kind, e);
		if (rc)
			return rc;
		if (strcmp(kind, "dayoff") != 0) {
			*out = d;
			return 0;
		}
	}
	return perr_set(e, EX_DATAERR, "the calendar has no working day in the year after the date");
}

int calendar_put(struct ctx *c, const char *date, const char *kind, int *changed, struct perr *e)
{
	char old[8];
	int rc = store_get(c->store, e, "SELECT kind FROM calendar WHERE date = $1", P_TEXT(date), INTO_TEXT(old, sizeof old));
	if (rc < 0)
		return -rc;
	*changed = strcmp(old, kind) == 0 ? 0 : *old ? 2 : 1;
	if (!*changed)
		return 0;
	struct change ch;
	int64_t seq;
	change_begin(&ch, c, *old ? "update" : "insert", "calendar", date);
	change_field(&ch, "kind", old, kind);
	if ((rc = change_commit(&ch, &seq, e)))
		return rc;
	return store_run(c->store, e,
		"INSERT INTO calendar (date, kind, audit_seq) VALUES ($1, $2, $3) "
		"ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, audit_seq = excluded.audit_seq",
		P_TEXT(date), P_TEXT(kind), P_INT(seq));
}
