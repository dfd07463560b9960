/*
 * grading.h: the formulas of SPEC §6, in one place: the weighted average, the
 * period mark by the thresholds, and a class's success, quality, СОУ and mean.
 */
#ifndef PORTAL_GRADING_H
#define PORTAL_GRADING_H

#include <stddef.h>

/* A running weighted average: Σ(value·weight) / Σ(weight). */
struct wavg {
	double sum, weight;
	long n;
};
void wavg_add(struct wavg *w, double value, double weight);
/* The average, or -1 when there are no marks. */
double wavg_value(const struct wavg *w);

/* "2.5,3.5,4.5" → t[0..2]; -1 when malformed. */
int grading_thresholds(const char *s, double t[3]);
/* The period mark of an average: ≥ t3 → 5, ≥ t2 → 4, ≥ t1 → 3, else 2. */
int grading_round(double avg, const double t[3]);

/* One student's period result in a subject. */
enum period_result { PR_NONE, PR_EXEMPT, PR_NA, PR_MARK };

struct class_stats {
	long n, n5, n4, n3, n2, nna;	/* N as SPEC §6 counts it; a final «1» counts with the «2»s */
	double sum_avg;			/* Σ of the assessed students' weighted averages */
	long n_avg;
};
/* Adds a student: result, the period mark (for PR_MARK) and the weighted average (−1 when none). */
void class_stats_add(struct class_stats *s, enum period_result r, int mark, double avg);
double class_pct_success(const struct class_stats *s);	/* (N5+N4+N3)·100/N */
double class_pct_quality(const struct class_stats *s);	/* (N5+N4)·100/N */
double class_sou(const struct class_stats *s);		/* (N5·100+N4·64+N3·36+N2·16+Nна·7)/N */
double class_avg_mark(const struct class_stats *s);	/* mean of the students' averages; -1 when none */

/* v with places decimals (1 or 2), rounded half up as by hand, into out. */
void grading_fmt(double v, int places, char *out, size_t n);

#endif
