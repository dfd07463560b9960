/*
 * roster.h: students, guardians and staff: the imports (upsert by id, --sync),
 * updates of existing people, and the lists that can be edited and imported back.
 */
#ifndef PORTAL_ROSTER_H
#define PORTAL_ROSTER_H

#include "import.h"
#include "rowfn.h"

extern const struct import_kind roster_import_students, roster_import_guardians, roster_import_staff;
extern const struct import_kind roster_update_students, roster_update_guardians, roster_update_staff;
extern const struct import_kind roster_import_groups;

/* A new store's first admin: staff id and login, audited as inserted by the admin in c->actor;
 * the last name "Администратор" and the first name the login when not given. */
int roster_create_admin(struct ctx *c, const char *login, const char *last, const char *first, const char *middle,
			const char *os_user, struct perr *e);

struct roster_filter {
	const char *cls;	/* NULL: every class the actor may read */
	const char *status;	/* active | left | all */
	int locked;		/* only people whose account is locked (a leak, a lock) */
	int without_account;	/* only people with no account that counts (whom plain issue gives one) */
};

extern const struct out_col roster_student_cols[];
extern const size_t roster_student_ncols;
extern const struct out_col roster_guardian_cols[];
extern const size_t roster_guardian_ncols;
extern const struct out_col roster_staff_cols[];
extern const size_t roster_staff_ncols;
extern const struct out_col roster_group_cols[];
extern const size_t roster_group_ncols;

/* The lists of students and guardians (and of group members) keep to the people of the table
 * picked when c->picked (ids.h): a guardian's line lists their children, a student's line the
 * student's guardians. */
int roster_list_students(struct ctx *c, const struct roster_filter *f, row_fn fn, void *fctx, struct perr *e);
int roster_list_guardians(struct ctx *c, const struct roster_filter *f, row_fn fn, void *fctx, struct perr *e);
int roster_list_staff(struct ctx *c, const struct roster_filter *f, row_fn fn, void *fctx, struct perr *e);
int roster_list_groups(struct ctx *c, const char *cls, row_fn fn, void *fctx, struct perr *e);

/* Which kind an id names: "student", "guardian", "staff"; NULL when none; 64 when several. */
int roster_kind_of(struct store *s, const char *id, const char **kind, struct perr *e);

struct undo_table;
/* What a leaked login changed in students, guardians and staff is put back; a student it added has left. */
void roster_register_undo(struct undo_table *t);

/* A class name as the store keeps it ("11А": grade and one Cyrillic capital), with its NUL. */
#define ROSTER_CLASS_SIZE 8

/* The class of a student (any status) into out; "" when there is no such student. */
int roster_student_class(struct store *s, const char *student_id, char out[ROSTER_CLASS_SIZE], struct perr *e);

#endif
