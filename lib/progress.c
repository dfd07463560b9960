/*
 * progress.c: the progress line of a long job on a terminal and its summary
 * (see progress.h). The line is redrawn by a carriage return and padded with
 * spaces over the last one (no escape sequence: any terminal takes it), cut
 * to the terminal's width so that it never wraps; redraws are limited by the
 * monotonic clock, never by the wall clock that PORTAL_NOW replaces.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "progress.h"
#include "util.h"
#include "values.h"

#define REDRAW_NS 100000000LL	/* at most ten lines a second */

struct progress {
	FILE *f;
	enum progress_mode mode;
	char *prog, *what, *unit;
	long total, done;
	double fraction;
	long long start_ns, drawn_ns;
	size_t shown;		/* display width of the line on the terminal; 0 when none is */
};

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* 12345 → "12 345": digits grouped, read at a glance however fast they change. */
static void grouped(long v, char *out, size_t n)
{
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%ld", v < 0 ? 0 : v);
	size_t o = 0;
	for (int i = 0; i < len && o + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			out[o++] = ' ';
		out[o++] = digits[i];
	}
	out[o] = 0;
}

static void duration(double s, char *out, size_t n)
{
	long t = (long)(s + 0.5);
	if (t < 1)
		snprintf(out, n, "%s", _("<1 s"));
	else if (t < 60)
		snprintf(out, n, _("%ld s"), t);
	else if (t < 3600)
		snprintf(out, n, _("%ld min %02ld s"), t / 60, t % 60);
	else
		snprintf(out, n, _("%ld h %02ld min"), t / 3600, t / 60 % 60);
}

void progress_line(char *buf, size_t n, long done, long total, double fraction, double elapsed, const char *unit)
{
	char d[32], t[32], left[32];
	size_t len;
	grouped(done, d, sizeof d);
	if (total > 0) {
		grouped(total, t, sizeof t);
		fraction = (double)done / (double)total;
		/* TRANSLATORS: done/total and the unit ("12/300 rows") */
		len = (size_t)snprintf(buf, n, _("%s/%s %s"), d, t, unit);
	} else {
		/* TRANSLATORS: done and the unit ("12 rows") */
		len = (size_t)snprintf(buf, n, _("%s %s"), d, unit);
	}
	if (len >= n)
		return;
	if (fraction >= 0)
		len += (size_t)snprintf(buf + len, n - len, ", %d%%", (int)(fraction * 100 > 100 ? 100 : fraction * 100));
	/* a rate needs a moment to mean anything */
	if (len < n && elapsed >= 0.5 && done > 0) {
		grouped((long)((double)done / elapsed + 0.5), d, sizeof d);
		/* TRANSLATORS: the rate, units a second ("1 200 rows/s") */
		len += (size_t)snprintf(buf + len, n - len, _(", %s %s/s"), d, unit);
		if (len < n && fraction > 0 && fraction < 1) {
			duration(elapsed * (1 - fraction) / fraction, left, sizeof left);
			/* TRANSLATORS: the time left ("2 min 05 s") */
			snprintf(buf + len, n - len, _(", %s left"), left);
		}
	}
}

/* The terminal's width, or 80 when it does not say. */
static size_t columns(FILE *f)
{
	struct winsize ws;
	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* The last bytes of s that fill at most width columns, from a character's start. */
static const char *tail_of(const char *s, size_t width)
{
	const char *p = s + strlen(s);
	size_t w = 0;
	while (p > s) {
		const char *q = p - 1;
		while (q > s && ((unsigned char)*q & 0xC0) == 0x80)
			q--;
		if (++w > width)
			break;
		p = q;
	}
	return p;
}

/* "prog: what: numbers", within the terminal's width: when it does not fit, what gives way
 * (its end is kept: the file's name, the class), then the end of the numbers. */
static void draw(struct progress *p, long long now)
{
	char stats[256], full[768];
	progress_line(stats, sizeof stats, p->done, p->total, p->fraction, (double)(now - p->start_ns) / 1e9, p->unit);
	size_t room = columns(p->f) - 1;	/* the last column would wrap on some terminals */
	size_t fixed = utf8_width(p->prog) + utf8_width(stats) + 4, w;
	const char *what = p->what;
	if (fixed + utf8_width(what) > room)
		what = fixed + 2 < room ? tail_of(what, room - fixed - 1) : "";
	snprintf(full, sizeof full, "%s: %s%s: %s", p->prog, what != p->what ? "…" : "", what, stats);
	w = utf8_width(full);
	while (w > room) {	/* a terminal narrower than the numbers: they are cut */
		char *e = full + strlen(full) - 1;
		while (e > full && ((unsigned char)*e & 0xC0) == 0x80)
			e--;
		*e = 0;
		w--;
	}
	fprintf(p->f, "\r%s%*s", full, p->shown > w ? (int)(p->shown - w) : 0, "");
	fflush(p->f);
	p->shown = w;
	p->drawn_ns = now;
}

struct progress *progress_start(FILE *f, enum progress_mode mode, const char *prog, const char *what, long total,
				const char *unit)
{
	struct progress *p = xcalloc(1, sizeof *p);
	p->f = f;
	p->mode = mode;
	p->prog = xstrdup(prog);
	p->what = xstrdup(what);
	p->unit = xstrdup(unit);
	p->total = total;
	p->fraction = -1;
	/* the first line after a tenth of a second: a job done sooner shows its summary alone */
	p->start_ns = p->drawn_ns = now_ns();
	return p;
}

void progress_what(struct progress *p, const char *what)
{
	if (!p)
		return;
	free(p->what);
	p->what = xstrdup(what);
}

void progress_set(struct progress *p, long done)
{
	if (!p)
		return;
	p->done = done;
	if (p->mode != PROGRESS_LIVE)
		return;
	long long now = now_ns();
	if (now - p->drawn_ns >= REDRAW_NS)
		draw(p, now);
}

void progress_fraction(struct progress *p, double fraction)
{
	if (p)
		p->fraction = fraction;
}

void progress_clear(struct progress *p)
{
	if (!p || !p->shown)
		return;
	fprintf(p->f, "\r%*s\r", (int)p->shown, "");
	fflush(p->f);
	p->shown = 0;
	p->drawn_ns = p->start_ns - REDRAW_NS;	/* put back at the next tick */
}

static void progress_free(struct progress *p)
{
	free(p->prog);
	free(p->what);
	free(p->unit);
	free(p);
}

void progress_done(struct progress *p, const char *fmt, ...)
{
	if (!p)
		return;
	if (p->mode == PROGRESS_LIVE) {
		/* the last state, whole, before the summary takes its place */
		p->fraction = p->total > 0 || p->fraction >= 0 ? 1 : -1;
		draw(p, now_ns());
	}
	progress_clear(p);
	if (p->mode != PROGRESS_QUIET) {
		va_list ap;
		va_start(ap, fmt);
		fprintf(p->f, "%s: ", p->prog);
		vfprintf(p->f, fmt, ap);
		fputc('\n', p->f);
		va_end(ap);
	}
	progress_free(p);
}

void progress_abort(struct progress *p)
{
	if (!p)
		return;
	progress_clear(p);
	progress_free(p);
}
