/*
 * report.h: the analytics of SPEC §6 per class and per student, read with a
 * few set-based queries over the whole school (or one class) at once: the
 * students in the period, every student's weighted average per subject in one
 * grouped pass over the marks, the finals, the lessons and the attendance.
 * The formulas themselves are grading.h's.
 */
#ifndef PORTAL_REPORT_H
#define PORTAL_REPORT_H

#include <stdint.h>
#include "attendance.h"
#include "ctx.h"
#include "grading.h"
#include "rowfn.h"

struct rp_student {
	char *id, *name, *cls;
	long lessons;
	struct absence_count absent;	/* the lessons missed and the lates, as attendance.h counts them */
};

struct rp_cell {			/* one student in one subject */
	long stu;			/* index into students */
	int64_t subject;
	struct wavg avg;
	char final[8];			/* "" none */
};

struct rp_subject {			/* one subject of one class */
	char *cls, *name, *teacher;
	int64_t id;
	long students;			/* the class's students in the period */
	struct class_stats st;
};

struct report {
	char from[11], to[11];
	const char *period;
	double t[3];			/* grading.thresholds */
	struct rp_student *students;
	size_t nstudents;
	struct rp_cell *cells;		/* ordered by student, then subject */
	size_t ncells;
	struct rp_subject *subjects;	/* ordered by class, then subject name */
	size_t nsubjects;
	int attendance_loaded;
};

/* Loads the progress of one class (cls) or every class (NULL) in from..to. */
int report_load(struct ctx *c, const char *cls, const char *from, const char *to, const char *period,
		struct report *r, struct perr *e);
/* Adds the attendance (lessons, missed by kind, late: attendance.h) of the loaded students. */
int report_load_attendance(struct ctx *c, const char *cls, struct report *r, struct perr *e);
void report_free(struct report *r);

/* A student's result in a cell: the final mark where set, else the rounded average. */
enum period_result report_result(const struct report *r, const struct rp_cell *cell, int *mark);
double report_pct_attended(const struct rp_student *s);	/* -1 when no lessons are known */

/* coverage: the class leader's duty list per class. */
extern const struct out_col report_coverage_cols[];
extern const size_t report_coverage_ncols;
int report_coverage(struct ctx *c, const char *cls, const char *period, row_fn fn, void *fctx, struct perr *e);

#endif
