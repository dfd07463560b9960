/*
 * csvin.c: the CSV reader. Lines are read one at a time (memory does not grow
 * with the file), converted to UTF-8 when asked, checked, and pushed through
 * libcsv; a record's line is the line it starts on, so multi-line quoted fields
 * count right.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "csvin.h"
#include "util.h"
#include "values.h"

struct record {
	struct sbuf data;	/* the fields, each NUL-terminated */
	size_t *off;		/* field starts in data */
	size_t n, cap;
	long line;
};

struct csvin {
	FILE *f;
	char *name;
	int own_file;
	iconv_t cd;
	int convert;
	char delim;
	struct csv_parser p;
	char *line;		/* getline buffer */
	size_t linecap;
	struct sbuf conv;	/* the line in UTF-8 */
	size_t pos;		/* where in conv the next part begins; conv.len: read the next line */
	long lineno;		/* lines read so far (a bare CR ends one too) */
	long rec_start;		/* line the open record started on, 0 when none */
	int field_seen;		/* the open record has a completed field */
	struct record cur;	/* being filled by libcsv */
	struct record ready;	/* the last completed record */
	int have_ready;
	int eof;
	struct perr err;	/* a fatal problem found inside a callback */
	size_t nheader;
	char **header;
	size_t ncols;
	long *map;		/* cols[i] → field index, -1 when absent */
};

static void record_clear(struct record *r)
{
	sbuf_reset(&r->data);
	r->n = 0;
}

static void record_add(struct record *r, const char *s, size_t len)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->off = xrealloc(r->off, r->cap * sizeof *r->off);
	}
	r->off[r->n++] = r->data.len;
	sbuf_add(&r->data, s, len);
	sbuf_addc(&r->data, '\0');
}

static const char *record_field(const struct record *r, size_t i)
{
	return i < r->n ? r->data.s + r->off[i] : NULL;
}

static void on_field(void *s, size_t len, void *data)
{
	struct csvin *in = data;
	size_t bad;
	if (in->err.status)
		return;
	if (!in->rec_start)
		in->rec_start = in->lineno;
	if (!utf8_valid(s, len, &bad)) {
		perr_set(&in->err, EX_DATAERR,
			 "%s:%ld: column %zu: byte 0x%02X is not UTF-8 (expected UTF-8; a file saved by Excel on a Russian Windows needs --encoding cp1251)",
			 in->name, in->rec_start, in->cur.n + 1, ((unsigned char *)s)[bad]);
		return;
	}
	record_add(&in->cur, s, len);
	in->field_seen = 1;
}

static void on_record(int c, void *data)
{
	struct csvin *in = data;
	(void)c;
	if (in->err.status)
		return;
	/* the record is complete: swap it into ready (one per line at most, but be safe) */
	struct record t = in->ready;
	in->ready = in->cur;
	in->ready.line = in->rec_start;
	in->cur = t;
	record_clear(&in->cur);
	in->have_ready = 1;
	in->rec_start = 0;
	in->field_seen = 0;
}

static int is_space(unsigned char c)
{
	return c == ' ';
}

int csvin_open(const char *path, const struct csvin_opts *o, struct csvin **out, struct perr *e)
{
	struct csvin *in = xcalloc(1, sizeof *in);
	*out = NULL;
	if (!path || strcmp(path, "-") == 0) {
		in->f = stdin;
		in->name = xstrdup("stdin");
	} else {
		in->f = fopen(path, "rb");
		if (!in->f) {
			int err = errno;
			free(in);
			return perr_set(e, err == ENOENT ? EX_NOINPUT : EX_IOERR, "%s: cannot read: %s", path, strerror(err));
		}
		in->own_file = 1;
		in->name = xstrdup(path);
	}
	if (o && o->name) {
		free(in->name);
		in->name = xstrdup(o->name);
	}
	const char *enc = o ? o->encoding : NULL;
	if (enc && strcasecmp(enc, "utf-8") != 0 && strcasecmp(enc, "utf8") != 0) {
		in->cd = iconv_open("UTF-8", enc);
		if (in->cd == (iconv_t)-1) {
			int rc = perr_set(e, EX_USAGE, "--encoding %s: not an encoding this system knows (expected utf-8 or cp1251)", enc);
			in->cd = NULL;
			csvin_close(in);
			return rc;
		}
		in->convert = 1;
	}
	in->delim = o ? o->delimiter : 0;
	if (csv_init(&in->p, CSV_STRICT_FINI) != 0) {
		csvin_close(in);
		return perr_set(e, EX_SOFTWARE, "cannot start the CSV parser");
	}
	csv_set_space_func(&in->p, is_space);
	*out = in;
	return 0;
}

void csvin_close(struct csvin *in)
{
	if (!in)
		return;
	if (in->own_file && in->f)
		fclose(in->f);
	if (in->convert)
		iconv_close(in->cd);
	csv_free(&in->p);
	free(in->line);
	sbuf_free(&in->conv);
	sbuf_free(&in->cur.data);
	free(in->cur.off);
	sbuf_free(&in->ready.data);
	free(in->ready.off);
	for (size_t i = 0; i < in->nheader; i++)
		free(in->header[i]);
	free(in->header);
	free(in->map);
	free(in->name);
	free(in);
}

const char *csvin_name(const struct csvin *in)
{
	return in->name;
}

/* Converts the raw line into in->conv as UTF-8. */
static int convert_line(struct csvin *in, const char *s, size_t n, struct perr *e)
{
	sbuf_reset(&in->conv);
	if (!in->convert) {
		sbuf_add(&in->conv, s, n);
		return 0;
	}
	char buf[4096];
	char *src = (char *)s;
	size_t left = n;
	iconv(in->cd, NULL, NULL, NULL, NULL);
	while (left > 0) {
		char *dst = buf;
		size_t room = sizeof buf;
		size_t r = iconv(in->cd, &src, &left, &dst, &room);
		sbuf_add(&in->conv, buf, sizeof buf - room);
		if (r == (size_t)-1 && errno != E2BIG)
			return perr_set(e, EX_DATAERR, "%s:%ld: byte 0x%02X at position %zu cannot be read in the given encoding",
					in->name, in->lineno, (unsigned char)*src, (size_t)(src - s) + 1);
	}
	return 0;
}

static char detect_delimiter(const char *s)
{
	size_t count[3] = { 0, 0, 0 };
	const char cand[3] = { ',', ';', '\t' };
	int quoted = 0;
	for (; *s; s++) {
		if (*s == '"')
			quoted = !quoted;
		for (int i = 0; i < 3 && !quoted; i++)
			if (*s == cand[i])
				count[i]++;
	}
	int best = 0;
	for (int i = 1; i < 3; i++)
		if (count[i] > count[best])
			best = i;
	return cand[best];
}

/* Whether the n bytes at s are only spaces and line ends (s is inside a buffer of ours). */
static int blank_n(char *s, size_t n)
{
	char c = s[n];
	s[n] = '\0';
	int blank = str_blank(s);
	s[n] = c;
	return blank;
}

/* Reads the next line into in->conv as UTF-8: 1, 0 at the end of the input, <0 a fatal status. */
static int read_line(struct csvin *in, struct perr *e)
{
	ssize_t n = getline(&in->line, &in->linecap, in->f);
	if (n < 0) {
		if (ferror(in->f))
			return -perr_set(e, EX_IOERR, "%s: read error: %s", in->name, strerror(errno));
		return 0;
	}
	in->lineno++;
	const char *s = in->line;
	if (memchr(s, '\0', (size_t)n))
		return -perr_set(e, EX_DATAERR, "%s:%ld: a NUL byte at position %zu (expected text)", in->name, in->lineno,
				 (size_t)((const char *)memchr(s, '\0', (size_t)n) - s) + 1);
	if (in->lineno == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		if (in->convert)
			return -perr_set(e, EX_DATAERR, "%s:1: the file is UTF-8 (it begins with a byte order mark), not the --encoding given: drop --encoding",
					 in->name);
		s += 3;
		n -= 3;
	}
	int rc = convert_line(in, s, (size_t)n, e);
	if (rc)
		return -rc;
	in->pos = 0;
	return 1;
}

/* Feeds the next line, or the next part of one: a CR without an LF after it ends a line as
 * LF and CRLF do (Excel for Mac writes such files), so a record never hides behind another on
 * one line. 1 fed, 0 at the end of the input, <0 a fatal status. */
static int feed_line(struct csvin *in, struct perr *e)
{
	if (in->pos >= in->conv.len) {
		int rc = read_line(in, e);
		if (rc <= 0)
			return rc;
		if (in->lineno == 1 && !in->delim)
			in->delim = detect_delimiter(in->conv.s ? in->conv.s : "");
		if (in->lineno == 1)
			csv_set_delim(&in->p, (unsigned char)in->delim);
	} else {
		in->lineno++;	/* the part after a bare CR */
	}
	char *part = in->conv.s + in->pos;
	const char *end = in->conv.s + in->conv.len;
	const char *cr = memchr(part, '\r', (size_t)(end - part));
	while (cr && cr + 1 < end && cr[1] == '\n')	/* CRLF ends the line itself */
		cr = memchr(cr + 1, '\r', (size_t)(end - cr - 1));
	size_t len = cr && cr + 1 < end ? (size_t)(cr + 1 - part) : (size_t)(end - part);
	in->pos += len;
	if (!in->rec_start)
		in->rec_start = in->lineno;
	long started = in->rec_start;
	if (csv_parse(&in->p, part, len, on_field, on_record, in) != len)
		return -perr_set(e, EX_DATAERR, "%s:%ld: cannot parse: %s", in->name, in->lineno,
				 csv_strerror(csv_error(&in->p)));
	if (in->err.status) {
		*e = in->err;
		return -e->status;
	}
	/* a blank line between records opens nothing */
	if (in->rec_start == started && !in->field_seen && !in->have_ready && blank_n(part, len) && started == in->lineno)
		in->rec_start = 0;
	return 1;
}

static int finish_input(struct csvin *in, struct perr *e)
{
	long open_line = in->rec_start;
	/* libcsv's own CSV_STRICT_FINI needs CSV_STRICT too; a quoted field still
	 * open at the end (FIELD_BEGUN = 2) is what it would report */
	if ((in->p.quoted && in->p.pstate == 2) || csv_fini(&in->p, on_field, on_record, in) != 0)
		return -perr_set(e, EX_DATAERR, "%s:%ld: a quoted field opened here is never closed (expected a closing \")",
				 in->name, open_line ? open_line : in->lineno);
	if (in->err.status) {
		*e = in->err;
		return -e->status;
	}
	in->eof = 1;
	return 0;
}

/* Fills in->ready with the next raw record: 1, 0 at the end, <0 fatal. */
static int next_raw(struct csvin *in, struct perr *e)
{
	in->have_ready = 0;
	while (!in->have_ready) {
		if (in->eof)
			return 0;
		int rc = feed_line(in, e);
		if (rc < 0)
			return rc;
		if (rc == 0 && (rc = finish_input(in, e)) < 0)
			return rc;
	}
	return 1;
}

static int all_empty(const struct record *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (!str_blank(record_field(r, i)))
			return 0;
	return 1;
}

/* Lowercases, turns '_' into ' ', collapses spaces: "Дата  рождения" and "дата_рождения" meet. */
static void header_key(const char *s, char *out, size_t n)
{
	char low[256], *p = out;
	utf8_lower(s, low, sizeof low);
	str_trim(low);
	int space = 0;
	for (const char *q = low; *q && (size_t)(p - out) < n - 1; q++) {
		char c = (*q == '_' || *q == '\t') ? ' ' : *q;
		if (c == ' ') {
			if (!space)
				*p++ = ' ';
			space = 1;
		} else {
			*p++ = c;
			space = 0;
		}
	}
	*p = '\0';
}

static int col_matches(const struct csv_col *c, const char *key)
{
	char k[256];
	header_key(c->name, k, sizeof k);
	if (strcmp(k, key) == 0)
		return 1;
	const char *a = c->aliases;
	while (a && *a) {
		const char *bar = strchr(a, '|');
		size_t len = bar ? (size_t)(bar - a) : strlen(a);
		char one[256];
		snprintf(one, sizeof one, "%.*s", (int)len, a);
		header_key(one, k, sizeof k);
		if (strcmp(k, key) == 0)
			return 1;
		a = bar ? bar + 1 : NULL;
	}
	return 0;
}

static void list_required(const struct csv_col *cols, size_t ncols, struct sbuf *b)
{
	for (size_t i = 0; i < ncols; i++)
		if (cols[i].required) {
			if (b->len)
				sbuf_adds(b, ", ");
			sbuf_adds(b, cols[i].name);
		}
}

static int read_header(struct csvin *in, const struct csv_col *cols, size_t ncols, struct perr *e)
{
	int rc;
	do {
		rc = next_raw(in, e);
	} while (rc == 1 && all_empty(&in->ready));
	if (rc < 0)
		return -rc;
	if (rc == 0) {
		struct sbuf req;
		sbuf_init(&req);
		list_required(cols, ncols, &req);
		rc = perr_set(e, EX_DATAERR, "%s: empty (expected a header line with %s)", in->name, req.s ? req.s : "columns");
		sbuf_free(&req);
		return rc;
	}
	in->nheader = in->ready.n;
	in->header = xcalloc(in->nheader, sizeof *in->header);
	for (size_t i = 0; i < in->nheader; i++)
		in->header[i] = xstrdup(record_field(&in->ready, i));
	return 0;
}

int csvin_map(struct csvin *in, const struct csv_col *cols, size_t ncols,
	      void (*warn)(void *wctx, const char *msg), void *wctx, struct perr *e)
{
	int rc = read_header(in, cols, ncols, e);
	if (rc)
		return rc;
	long header_line = in->ready.line;
	in->ncols = ncols;
	in->map = xcalloc(ncols, sizeof *in->map);
	for (size_t i = 0; i < ncols; i++)
		in->map[i] = -1;
	for (size_t f = 0; f < in->nheader; f++) {
		char key[256];
		header_key(in->header[f], key, sizeof key);
		size_t i;
		for (i = 0; i < ncols && !col_matches(&cols[i], key); i++)
			;
		if (i == ncols) {
			struct sbuf msg;	/* the column's name whole, however long */
			sbuf_init(&msg);
			sbuf_printf(&msg, "%s:%ld: column %zu \"%s\" is not one this import reads; it is ignored",
				    in->name, header_line, f + 1, in->header[f]);
			if (warn && *key)
				warn(wctx, msg.s);
			sbuf_free(&msg);
			continue;
		}
		if (in->map[i] >= 0)
			return perr_set(e, EX_DATAERR, "%s:%ld: columns %ld and %zu both are %s (expected one)",
					in->name, header_line, in->map[i] + 1, f + 1, cols[i].name);
		in->map[i] = (long)f;
	}
	struct sbuf missing;
	sbuf_init(&missing);
	for (size_t i = 0; i < ncols; i++)
		if (cols[i].required && in->map[i] < 0) {
			if (missing.len)
				sbuf_adds(&missing, ", ");
			sbuf_adds(&missing, cols[i].name);
		}
	if (missing.len) {
		struct sbuf req;
		sbuf_init(&req);
		list_required(cols, ncols, &req);
		rc = perr_set(e, EX_DATAERR, "%s:%ld: no column %s (expected the columns %s)",
			      in->name, header_line, missing.s, req.s);
		sbuf_free(&req);
	}
	sbuf_free(&missing);
	return rc;
}

int csvin_next(struct csvin *in, struct perr *e)
{
	int rc;
	do {
		rc = next_raw(in, e);
	} while (rc == 1 && all_empty(&in->ready));
	if (rc <= 0)
		return rc;
	if (in->ready.n > in->nheader) {
		for (size_t i = in->nheader; i < in->ready.n; i++)
			if (!str_blank(record_field(&in->ready, i)))
				return -perr_set(e, EX_DATAERR, "%s:%ld: column %zu: a value beyond the header's %zu columns (expected %zu fields; a separator inside a value needs quotes)",
						 in->name, in->ready.line, i + 1, in->nheader, in->nheader);
	}
	return 1;
}

long csvin_line(const struct csvin *in)
{
	return in->ready.line;
}

int csvin_has(const struct csvin *in, size_t i)
{
	return i < in->ncols && in->map[i] >= 0;
}

const char *csvin_get(struct csvin *in, size_t i)
{
	if (!csvin_has(in, i))
		return NULL;
	char *v = (char *)record_field(&in->ready, (size_t)in->map[i]);
	return v ? str_trim(v) : "";
}

size_t csvin_nfields(const struct csvin *in)
{
	return in->ready.n;
}

const char *csvin_field(const struct csvin *in, size_t i)
{
	const char *v = record_field(&in->ready, i);
	return v ? v : "";
}

size_t csvin_nheader(const struct csvin *in)
{
	return in->nheader;
}

const char *csvin_header(const struct csvin *in, size_t i)
{
	return i < in->nheader ? in->header[i] : "";
}
