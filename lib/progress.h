/*
 * progress.h: what a long job is doing. On a terminal one line, redrawn at most
 * ten times a second: what it does, done/total, the rate and the time left;
 * then one summary line in its place. To a file, a pipe or under cron only the
 * summary; with -q nothing. The binary chooses the mode (it knows -q and
 * whether standard error is a terminal); this module only draws.
 */
#ifndef PORTAL_PROGRESS_H
#define PORTAL_PROGRESS_H

#include <stdio.h>

enum progress_mode {
	PROGRESS_QUIET,		/* nothing, not even the summary */
	PROGRESS_SUMMARY,	/* the summary line only */
	PROGRESS_LIVE,		/* the redrawn line, then the summary */
};

struct progress;

/* A job of total units ("rows", "students"; total 0: not known beforehand) that prog (the
 * binary's name, the prefix of every line) reports on f. The first line is drawn after a tenth
 * of a second; the last state is drawn once more by progress_done, just before the summary. */
struct progress *progress_start(FILE *f, enum progress_mode mode, const char *prog, const char *what, long total,
				const char *unit);
/* What it does now ("extracts of 7А"); shown from the next redraw. */
void progress_what(struct progress *p, const char *what);
/* done units so far; redrawn when a tenth of a second has passed since the last time. */
void progress_set(struct progress *p, long done);
/* How far the job is when its total is not known (the bytes read of a file): 0..1, < 0 unknown. */
void progress_fraction(struct progress *p, double fraction);
/* Takes the line off the terminal, so that a message can be printed; the next redraw puts it back. */
void progress_clear(struct progress *p);
/* The end: the line goes, "prog: summary" is printed (not in PROGRESS_QUIET); p is freed. */
void progress_done(struct progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A job that failed: the line goes, without a summary; p is freed. NULL is nothing. */
void progress_abort(struct progress *p);

/* The numbers of the line, after elapsed seconds: "done/total unit, pct%, rate unit/s, N s left"
 * (done alone when the total is not known); each part only when it can be known. */
void progress_line(char *buf, size_t n, long done, long total, double fraction, double elapsed, const char *unit);

#endif
