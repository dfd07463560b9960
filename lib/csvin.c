/*
 * csvin.c: the CSV reader. Lines are read one at a time (memory does not grow
 * with the file), converted to UTF-8 when asked, checked, and pushed through
 * libcsv; a record's line is the line it starts on, so multi-line quoted fields
 * count right. The first bytes of the input tell a workbook saved where CSV
 * was meant (named, with how to save it as CSV) and UTF-16 text (Excel's
 * "Unicode text", read through iconv as a whole stream).
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <csv.h>

#include "csvin.h"
#include "i18n.h"
#include "util.h"
#include "values.h"

struct record {
	struct sbuf data;	/* the fields, each NUL-terminated */
	size_t *off;		/* field starts in data */
	size_t n, cap;
	long line;
};

/* What the first bytes say the input is. */
enum input_kind { IN_TEXT, IN_UTF16LE, IN_UTF16BE, IN_XLSX, IN_ODS, IN_XLS };

enum { HEAD_MAX = 96 };	/* an ODS names its type at bytes 30-84 */

/* The bytes of the input as the line reader gets them: the first ones (read to know what the
 * input is) again, then the rest; UTF-16 comes out as UTF-8. */
struct source {
	FILE *f;		/* the file, or standard input */
	unsigned char head[HEAD_MAX];
	size_t nhead, headpos;
	iconv_t cd;		/* UTF-16 → UTF-8; (iconv_t)-1: the bytes pass as they are */
	char raw[8192];		/* bytes read, not converted yet */
	size_t nraw;
	int eof;
	int broken;		/* the UTF-16 holds a byte sequence that is no character */
	long long consumed;	/* bytes taken from f */
};

struct csvin {
	FILE *f;		/* the source's stream */
	struct source src;
	FILE *file;		/* the file opened, or stdin */
	enum input_kind kind;
	long long size;		/* of a regular file; 0 unknown */
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
	int parser_ready;
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

static size_t source_take(struct source *s, char *buf, size_t size)
{
	if (s->headpos < s->nhead) {
		size_t n = s->nhead - s->headpos < size ? s->nhead - s->headpos : size;
		memcpy(buf, s->head + s->headpos, n);
		s->headpos += n;
		return n;
	}
	size_t n = fread(buf, 1, size, s->f);
	s->consumed += (long long)n;
	return n;
}

static ssize_t source_read(void *cookie, char *buf, size_t size)
{
	struct source *s = cookie;
	if (s->cd == (iconv_t)-1) {
		size_t n = source_take(s, buf, size);
		return n || !ferror(s->f) ? (ssize_t)n : -1;
	}
	for (;;) {
		if (!s->eof && s->nraw < sizeof s->raw) {
			size_t n = source_take(s, s->raw + s->nraw, sizeof s->raw - s->nraw);
			if (!n && ferror(s->f))
				return -1;
			s->eof = !n;
			s->nraw += n;
		}
		char *from = s->raw, *to = buf;
		size_t left = s->nraw, room = size;
		size_t r = iconv(s->cd, &from, &left, &to, &room);
		int err = errno;
		memmove(s->raw, from, left);
		s->nraw = left;
		if (room < size)
			return (ssize_t)(size - room);
		/* nothing came out: a sequence that is no character, or one the input ends inside */
		if ((r == (size_t)-1 && err == EILSEQ) || (s->eof && s->nraw)) {
			s->broken = 1;
			errno = EILSEQ;
			return -1;
		}
		if (s->eof)
			return 0;
	}
}

static int source_close(void *cookie)
{
	(void)cookie;
	return 0;
}

/* The first bytes: what the input is. Only as many are read as it takes to tell. */
static enum input_kind sniff(struct source *s)
{
	const unsigned char *h = s->head;
	s->nhead = fread(s->head, 1, 4, s->f);
	if (s->nhead == 4 && (!memcmp(h, "PK\x03\x04", 4) || !memcmp(h, "\xD0\xCF\x11\xE0", 4)))
		s->nhead += fread(s->head + 4, 1, HEAD_MAX - 4, s->f);	/* no text: read on */
	s->consumed = (long long)s->nhead;
	if (s->nhead >= 2 && h[0] == 0xFF && h[1] == 0xFE)
		return IN_UTF16LE;
	if (s->nhead >= 2 && h[0] == 0xFE && h[1] == 0xFF)
		return IN_UTF16BE;
	if (s->nhead >= 8 && !memcmp(h, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
		return IN_XLS;
	if (s->nhead >= 4 && !memcmp(h, "PK\x03\x04", 4))
		/* an OpenDocument file's first entry is "mimetype", stored, with its type */
		return s->nhead >= 84 && !memcmp(h + 30, "mimetype", 8) &&
		       !memcmp(h + 38, "application/vnd.oasis.opendocument.spreadsheet", 46) ? IN_ODS : IN_XLSX;
	return IN_TEXT;
}

static int is_utf16_name(const char *enc)
{
	return !strncasecmp(enc, "utf-16", 6) || !strncasecmp(enc, "utf16", 5) || !strncasecmp(enc, "ucs-2", 5);
}

/* 66 naming the file: missing, not readable by this OS user, or no file at all. */
static int open_error(const char *path, int err, struct perr *e)
{
	if (err == EACCES) {
		const char *me = os_user_name();
		if (!me)
			return perr_set(e, EX_NOINPUT, "%s: cannot read: %s (the OS user of this process may not read it)", path,
					strerror(err));
		return perr_set(e, EX_NOINPUT, "%s: cannot read: %s (the OS user %s may not read it)", path, strerror(err), me);
	}
	if (err == EISDIR)
		return perr_set(e, EX_NOINPUT, "%s: is a directory (expected a CSV file)", path);
	return perr_set(e, err == ENOENT || err == ENOTDIR ? EX_NOINPUT : EX_IOERR, "%s: cannot read: %s", path, strerror(err));
}

int csvin_open(const char *path, const struct csvin_opts *o, struct csvin **out, struct perr *e)
{
	struct csvin *in = xcalloc(1, sizeof *in);
	struct stat st;
	*out = NULL;
	if (!path || strcmp(path, "-") == 0) {
		in->file = stdin;
		in->name = xstrdup("stdin");
	} else {
		in->file = fopen(path, "rb");
		if (!in->file) {
			int rc = open_error(path, errno, e);
			free(in);
			return rc;
		}
		in->own_file = 1;
		in->name = xstrdup(path);
	}
	if (fileno(in->file) >= 0 && fstat(fileno(in->file), &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			int rc = open_error(in->name, EISDIR, e);
			csvin_close(in);
			return rc;
		}
		if (S_ISREG(st.st_mode))
			in->size = (long long)st.st_size;
	}
	if (o && o->name) {
		free(in->name);
		in->name = xstrdup(o->name);
	}
	in->src.f = in->file;
	in->src.cd = (iconv_t)-1;
	in->kind = sniff(&in->src);
	const char *enc = o ? o->encoding : NULL;
	const char *utf16 = in->kind == IN_UTF16LE ? "UTF-16LE" : in->kind == IN_UTF16BE ? "UTF-16BE"
			    : enc && is_utf16_name(enc) ? enc : NULL;
	if (in->kind == IN_UTF16LE || in->kind == IN_UTF16BE)
		in->src.headpos = 2;	/* the byte order mark: the encoding, not text */
	if (utf16) {
		/* the BOM decides, whatever --encoding says: a UTF-16 file is converted as a whole stream */
		if ((in->src.cd = iconv_open("UTF-8", utf16)) == (iconv_t)-1) {
			int rc = perr_set(e, EX_USAGE, "--encoding %s: not an encoding this system knows (expected utf-8, cp1251 or utf-16le)", enc);
			csvin_close(in);
			return rc;
		}
	} else if (enc && strcasecmp(enc, "utf-8") != 0 && strcasecmp(enc, "utf8") != 0) {
		in->cd = iconv_open("UTF-8", enc);
		if (in->cd == (iconv_t)-1) {
			int rc = perr_set(e, EX_USAGE, "--encoding %s: not an encoding this system knows (expected utf-8 or cp1251)", enc);
			in->cd = NULL;
			csvin_close(in);
			return rc;
		}
		in->convert = 1;
	}
	static const cookie_io_functions_t io = { .read = source_read, .close = source_close };
	if (!(in->f = fopencookie(&in->src, "r", io))) {
		csvin_close(in);
		return perr_set(e, EX_OSERR, "cannot read the input: %s", strerror(errno));
	}
	in->delim = o ? o->delimiter : 0;
	if (csv_init(&in->p, CSV_STRICT_FINI) != 0) {
		csvin_close(in);
		return perr_set(e, EX_SOFTWARE, "cannot start the CSV parser");
	}
	in->parser_ready = 1;
	csv_set_space_func(&in->p, is_space);
	*out = in;
	return 0;
}

void csvin_close(struct csvin *in)
{
	if (!in)
		return;
	if (in->f)
		fclose(in->f);
	if (in->own_file && in->file)
		fclose(in->file);
	if (in->src.cd != (iconv_t)-1 && in->src.cd)
		iconv_close(in->src.cd);
	if (in->convert)
		iconv_close(in->cd);
	if (in->parser_ready)
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

void csvin_progress(const struct csvin *in, long long *done, long long *size)
{
	*done = in->src.consumed;
	*size = in->size;
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

/* A workbook where CSV was meant: which one, and how to save it as CSV. */
static int workbook_error(struct csvin *in, struct perr *e)
{
	if (in->kind == IN_ODS)
		return perr_set(e, EX_DATAERR, "%s: this is a workbook (OpenDocument .ods), not CSV: save it as «Текст CSV (.csv)» "
				"with the encoding «Юникод (UTF-8)»", in->name);
	return perr_set(e, EX_DATAERR, "%s: this is a workbook (Excel %s), not CSV: save it as «CSV UTF-8 (разделитель — "
			"запятая)», or as «CSV (разделитель — точка с запятой)» and give --encoding cp1251", in->name,
			in->kind == IN_XLS ? ".xls" : ".xlsx");
}

/* Reads the next line into in->conv as UTF-8: 1, 0 at the end of the input, <0 a fatal status. */
static int read_line(struct csvin *in, struct perr *e)
{
	if (in->lineno == 0 && in->kind >= IN_XLSX)
		return -workbook_error(in, e);
	ssize_t n = getline(&in->line, &in->linecap, in->f);
	if (n < 0) {
		if (in->src.broken)
			return -perr_set(e, EX_DATAERR, "%s:%ld: bytes that are no UTF-16 character after this line (expected "
					 "UTF-16 text, as its byte order mark says)", in->name, in->lineno);
		if (ferror(in->f))
			return -perr_set(e, EX_IOERR, "%s: read error: %s", in->name, strerror(errno));
		return 0;
	}
	in->lineno++;
	const char *s = in->line;
	const char *nul = memchr(s, '\0', (size_t)n);
	if (nul && in->lineno == 1 && n >= 2 && (s[1] == '\0') != (s[0] == '\0'))
		return -perr_set(e, EX_DATAERR, "%s:1: the text is UTF-16 without a byte order mark (expected UTF-8: save it as "
				 "«CSV UTF-8 (разделитель — запятая)», or give --encoding %s)", in->name,
				 s[1] == '\0' ? "utf-16le" : "utf-16be");
	if (nul)
		return -perr_set(e, EX_DATAERR, "%s:%ld: a NUL byte at position %zu (expected text)", in->name, in->lineno,
				 (size_t)(nul - s) + 1);
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

/* The column's name as a file of Russian headers names it: its first alias in Cyrillic (the
 * canonical name when it has none); else the canonical name. */
static void col_name(const struct csv_col *c, int russian, struct sbuf *b)
{
	for (const char *a = c->aliases; russian && a && *a;) {
		size_t len = strcspn(a, "|"), k;
		for (k = 0; k < len && !((unsigned char)a[k] & 0x80); k++)
			;
		if (k < len) {
			sbuf_add(b, a, len);
			return;
		}
		a += len + (a[len] == '|');
	}
	sbuf_adds(b, c->name);
}

static void list_required(const struct csv_col *cols, size_t ncols, int russian, struct sbuf *b)
{
	for (size_t i = 0; i < ncols; i++)
		if (cols[i].required) {
			if (b->len)
				sbuf_adds(b, ", ");
			col_name(&cols[i], russian, b);
		}
}

/* Whether the header names its columns in Russian: more of them have letters beyond ASCII. */
static int header_russian(const struct csvin *in)
{
	long balance = 0;
	for (size_t f = 0; f < in->nheader; f++) {
		const unsigned char *p = (const unsigned char *)in->header[f];
		int cyr = 0;
		for (; *p && !cyr; p++)
			cyr = *p >= 0x80;
		if (!str_blank(in->header[f]))
			balance += cyr ? 1 : -1;
	}
	return balance > 0;
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
		list_required(cols, ncols, 0, &req);
		rc = req.s ? perr_set(e, EX_DATAERR, "%s: empty (expected a header line with %s)", in->name, req.s)
			   : perr_set(e, EX_DATAERR, "%s: empty (expected a header line with columns)", in->name);
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
			sbuf_printf(&msg, _("%s:%ld: column %zu \"%s\" is not one this import reads; it is ignored"),
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
	int russian = header_russian(in);
	sbuf_init(&missing);
	for (size_t i = 0; i < ncols; i++)
		if (cols[i].required && in->map[i] < 0) {
			if (missing.len)
				sbuf_adds(&missing, ", ");
			col_name(&cols[i], russian, &missing);
		}
	if (missing.len) {
		struct sbuf req;
		sbuf_init(&req);
		list_required(cols, ncols, russian, &req);
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
