/*
 * attendance.h: a student's lessons and the ones they missed, counted one way
 * for every output (the extract, the journal grid, the reports, the cabinet).
 *
 * A lesson is the journal's: the class's own lessons and those of the
 * student's groups and streams. An attendance record of one lesson counts for
 * that lesson; a record of the whole day counts for every lesson the student
 * had that day that has no record of its own. Where the journal has no lesson
 * of the student on that day, the timetable of the weekday stands for it, less
 * the lessons its changes cancel or move away; a day neither knows counts as
 * one lesson. A late (о) is not missed; a whole day late is one late.
 */
#ifndef PORTAL_ATTENDANCE_H
#define PORTAL_ATTENDANCE_H

#include <stddef.h>
#include <stdint.h>
#include "ctx.h"

/* One missed lesson (or one late). */
struct absence {
	const char *student;
	const char *date;
	int lesson_no;		/* 0: a day without a lesson the journal or the timetable knows */
	int64_t subject;	/* 0: not known */
	const char *code;	/* н without a reason, б illness, у excused, о late */
};

struct absence_count {
	long missed, illness, excused, unexcused, late;
};

/* The one rule of what a code counts as: о is late, the others are missed, by kind. */
void absence_count_add(struct absence_count *n, const char *code);
/* "Пропущено уроков: 42 (по болезни 41, по уважительной причине 0), опозданий: 3" */
void absence_count_text(const struct absence_count *n, char *out, size_t size);

/* The students whose lessons are counted: those of class cls (NULL: every class), or with
 * student not NULL, that one student of class cls. Who left is the caller's to drop. */
struct attendance_who {
	const char *cls;
	const char *student;
};

/* fn for every lesson a student of who missed and every late in from..to, by student, date
 * and lesson: one query over the set, not one a student. fn's non-zero ends the walk and is
 * returned. */
int attendance_each_absence(struct ctx *c, const struct attendance_who *who, const char *from, const char *to,
			    int (*fn)(void *arg, const struct absence *a), void *arg, struct perr *e);

/* fn with the number of lessons each student of who had in from..to (the journal's). */
int attendance_each_lessons(struct ctx *c, const struct attendance_who *who, const char *from, const char *to,
			    int (*fn)(void *arg, const char *student, long lessons), void *arg, struct perr *e);

#endif
