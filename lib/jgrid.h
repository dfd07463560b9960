/*
 * jgrid.h: the class journal as people read it, built by a few set-based
 * queries: per subject (its teacher, its lesson dates), per student a cell
 * per date (marks, then attendance codes: a code a lesson missed), the
 * weighted average of SPEC §6, the final mark, and the lessons missed as
 * attendance.h counts them. portal-journal show prints it; the extracts reuse it.
 */
#ifndef PORTAL_JGRID_H
#define PORTAL_JGRID_H

#include <stdint.h>
#include "attendance.h"
#include "ctx.h"
#include "grading.h"

struct jg_student {
	char *id, *name;	/* name: Фамилия Имя Отчество */
};

struct jg_line {		/* one student in one subject */
	char **cells;		/* per date of the grid (NULL: empty): marks, then attendance codes */
	char **marks;		/* per date: the marks alone */
	struct wavg avg;
	char final[16];		/* "" none; 1–5, н/а, осв */
	struct absence_count abs;	/* the lessons of the subject missed, the lates */
};

struct jg_subject {
	int64_t id;
	char *name, *teacher;	/* teacher: the timetable's, "" when none */
	unsigned char *has;	/* per date of the grid: the subject has something on it */
	struct jg_line *lines;	/* per student */
};

struct jgrid {
	char cls[8], from[11], to[11];
	char *period;		/* NULL for --from/--to */
	char **dates;		/* every date of the grid, ascending */
	size_t ndates;
	struct jg_student *students;
	size_t nstudents;
	struct jg_subject *subjects;
	size_t nsubjects;
	struct absence_count *absences;	/* per student: every lesson missed (attendance.h), whatever
					 * subject is shown, even a day no subject is known for */
};

/* Builds the grid of class cls from..to (period: its finals too; may be NULL), all subjects
 * or only subject (NULL: all). 65 for an unknown subject. */
int jgrid_load(struct ctx *c, const char *cls, const char *subject, const char *from, const char *to,
	       const char *period, struct jgrid *g, struct perr *e);
void jgrid_free(struct jgrid *g);

/* May the actor read class cls's journal? Admins, deputies, its class leader, the teachers
 * the timetable or the lessons name for it; else 77. */
int journal_may_read_class(struct ctx *c, const char *cls, struct perr *e);

#endif
