/*
 * gate.c: the 152-ФЗ gate of the web cabinet (see gate.h for the rule).
 */
#include <string.h>

#include "consent.h"
#include "gate.h"

static int staff_leads(struct ctx *c, const char *staff, const char *student, struct perr *e)
{
	return store_exists(c->store, e,
		"SELECT 1 FROM staff_classes sc JOIN staff t ON t.staff_id = sc.staff_id "
		"JOIN students s ON s.class = sc.class WHERE sc.staff_id = $1 AND s.student_id = $2 AND t.status = 'active'",
		P_TEXT(staff), P_TEXT(student));
}

int gate_view(struct ctx *c, const char *kind, const char *person, const char *student, enum gate_view *out,
	      struct perr *e)
{
	*out = GATE_HIDDEN;
	if (strcmp(kind, "student") == 0) {
		int rc = store_exists(c->store, e, "SELECT 1 FROM students WHERE student_id = $1", P_TEXT(student));
		if (rc < 0)
			return -rc;
		if (rc && strcmp(person, student) == 0)
			*out = GATE_OPEN;
		return 0;
	}
	if (strcmp(kind, "staff") == 0) {
		int rc = staff_leads(c, person, student, e);
		if (rc < 0)
			return -rc;
		*out = rc ? GATE_OPEN : GATE_HIDDEN;
		return 0;
	}
	if (strcmp(kind, "guardian") != 0)
		return 0;
	struct consent_state st;
	struct perr local = { 0 };
	int rc = consent_channel(c, person, student, &st, &local);
	if (rc == EX_DATAERR)
		return 0;	/* not their child: hidden, as one that does not exist */
	if (rc) {
		*e = local;
		return rc;
	}
	*out = strcmp(st.decision, "given") == 0 ? GATE_OPEN : GATE_PAPER;
	return 0;
}
