/*
 * grading.c: SPEC §6's formulas (Сетевой город's help, Симонов's СОУ).
 */
#include <math.h>
#include <stdio.h>

#include "grading.h"

void wavg_add(struct wavg *w, double value, double weight)
{
	w->sum += value * weight;
	w->weight += weight;
	w->n++;
}

double wavg_value(const struct wavg *w)
{
	return w->weight > 0 ? w->sum / w->weight : -1;
}

int grading_thresholds(const char *s, double t[3])
{
	char tail;
	if (!s || sscanf(s, "%lf,%lf,%lf%c", &t[0], &t[1], &t[2], &tail) != 3)
		return -1;
	return (t[0] < t[1] && t[1] < t[2]) ? 0 : -1;
}

int grading_round(double avg, const double t[3])
{
	/* the averages are shown with two decimals; compare what is shown, so 4.495 → "4.50" → 5 */
	double shown = (double)(long long)(avg * 100 + 0.5) / 100;
	return shown >= t[2] ? 5 : shown >= t[1] ? 4 : shown >= t[0] ? 3 : 2;
}

void class_stats_add(struct class_stats *s, enum period_result r, int mark, double avg)
{
	if (r == PR_NONE || r == PR_EXEMPT)
		return;		/* out of N: no marks, or exempt (осв) */
	s->n++;
	if (r == PR_NA) {
		s->nna++;
		return;
	}
	if (mark >= 5)
		s->n5++;
	else if (mark == 4)
		s->n4++;
	else if (mark == 3)
		s->n3++;
	else
		s->n2++;
	if (avg >= 0) {
		s->sum_avg += avg;
		s->n_avg++;
	}
}

double class_pct_success(const struct class_stats *s)
{
	return s->n ? (double)(s->n5 + s->n4 + s->n3) * 100 / (double)s->n : 0;
}

double class_pct_quality(const struct class_stats *s)
{
	return s->n ? (double)(s->n5 + s->n4) * 100 / (double)s->n : 0;
}

double class_sou(const struct class_stats *s)
{
	return s->n ? (double)(s->n5 * 100 + s->n4 * 64 + s->n3 * 36 + s->n2 * 16 + s->nna * 7) / (double)s->n : 0;
}

double class_avg_mark(const struct class_stats *s)
{
	return s->n_avg ? s->sum_avg / (double)s->n_avg : -1;
}

void grading_fmt(double v, int places, char *out, size_t n)
{
	/* half up, as people round by hand: 55.55 is 55.6, though the double holds 55.5499… */
	double scale = places >= 2 ? 100 : 10;
	snprintf(out, n, "%.*f", places, floor(v * scale + 0.5 + 1e-7) / scale);
}
