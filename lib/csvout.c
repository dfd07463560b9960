/*
 * csvout.c: the one writer of tabular output (SPEC §2). Rows go out as plain
 * CSV (data for the next program, never altered), CSV for Excel on a Russian
 * Windows (BOM, ';', CRLF, formula guard), an aligned table for a terminal
 * (buffered until out_finish, aligned by display width) or JSON Lines, an
 * object a row built by jansson with each value typed by its column.
 *
 * Every line is built in a buffer and written with one call, so an I/O error
 * is caught in one place; the first one is kept and reported again by every
 * later call and by out_finish.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "csvout.h"
#include "util.h"
#include "values.h"

struct out {
	FILE *f;
	enum out_format fmt;
	char **cols;		/* column names; NULL until out_header */
	enum col_type *types;
	size_t ncols;
	char **cells;		/* table only: display copies, header row first */
	size_t ncells, capcells;
	struct sbuf line;	/* the line being built */
	int err;		/* first errno of a failed write; sticky */
	int finished;
	int defer;		/* out_defer_header: the header waits for the first row */
	struct sbuf held;	/* the header line while it waits */
};

static const struct {
	const char *name;
	enum out_format fmt;
} format_names[] = {
	{ "csv", OUT_CSV }, { "table", OUT_TABLE }, { "json", OUT_JSON }, { "xlsx", OUT_XLSX },
};

int out_format_parse(const char *name, enum out_format *fmt)
{
	size_t i;

	for (i = 0; name && i < sizeof format_names / sizeof format_names[0]; i++)
		if (strcmp(name, format_names[i].name) == 0) {
			*fmt = format_names[i].fmt;
			return 0;
		}
	return -1;
}

/* A caller's mistake (wrong order, wrong column count): not an I/O error, not sticky. */
static int misuse(void)
{
	errno = EINVAL;
	return -1;
}

static int io_error(struct out *o)
{
	if (!o->err)
		o->err = errno ? errno : EIO;
	errno = o->err;
	return -1;
}

static int write_all(FILE *f, const char *s, size_t n)
{
	errno = 0;
	if (n && fwrite(s, 1, n, f) != n) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}

static int put_line(struct out *o)
{
	if (write_all(o->f, o->line.s, o->line.len) < 0)
		return io_error(o);
	return 0;
}

/* ---- CSV ---- */

/* A cell Excel would take for a formula (or a DDE call). */
static int needs_guard(const char *s)
{
	return s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

static void csv_field_add(struct sbuf *b, const char *s, char sep, int guard)
{
	const char special[] = { ',', '"', '\r', '\n', sep, '\0' };
	int quote;

	if (!s)
		return;
	quote = strpbrk(s, special) != NULL;
	if (quote)
		sbuf_addc(b, '"');
	if (guard && needs_guard(s))
		sbuf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			sbuf_addc(b, '"');
		sbuf_addc(b, *s);
	}
	if (quote)
		sbuf_addc(b, '"');
}

int csv_write_field(FILE *f, const char *s, char sep)
{
	struct sbuf b;
	int rc, saved;

	sbuf_init(&b);
	csv_field_add(&b, s, sep, 0);
	rc = write_all(f, b.s, b.len);
	saved = errno;
	sbuf_free(&b);
	errno = saved;
	return rc;
}

static void csv_line_add(struct out *o, const char *const *vals, size_t n)
{
	int excel = o->fmt == OUT_EXCEL;
	char sep = excel ? ';' : ',';
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			sbuf_addc(&o->line, sep);
		csv_field_add(&o->line, vals[i], sep, excel);
	}
	sbuf_adds(&o->line, excel ? "\r\n" : "\n");
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ---- JSON Lines ---- */

/* A number as a number column holds it: optional '-', digits, optionally '.' and digits.
 * *real is set when it has a fraction. */
static int json_number_text(const char *s, int *real)
{
	*real = 0;
	if (*s == '-')
		s++;
	if (!is_digit(*s))
		return 0;
	while (is_digit(*s))
		s++;
	if (*s == '.') {
		*real = 1;
		if (!is_digit(*++s))
			return 0;
		while (is_digit(*s))
			s++;
	}
	return *s == '\0';
}

/* Text as a JSON string; bytes that are no UTF-8 become U+FFFD (jansson takes UTF-8 only). */
static json_t *json_text(const char *s)
{
	size_t n = strlen(s), bad;
	if (utf8_valid(s, n, &bad))
		return json_stringn(s, n);
	struct sbuf b;
	char cp[4];
	sbuf_init(&b);
	for (const char *p = s; *p;) {
		unsigned c;
		int len = utf8_decode(p, &c);
		sbuf_add(&b, cp, (size_t)utf8_encode(c, cp));
		p += len;
	}
	json_t *j = json_stringn(b.s, b.len);
	sbuf_free(&b);
	return j;
}

/* A cell as its column's type has it: nothing is null, a number column's number a number
 * (anything else there stays a string rather than be lost). */
static json_t *json_cell(const char *v, enum col_type type)
{
	int real;
	if (!v || !*v)
		return json_null();
	if (type == COL_NUMBER && json_number_text(v, &real)) {
		errno = 0;
		if (real)
			return json_real(strtod(v, NULL));	/* LC_NUMERIC is "C" (STYLE.md) */
		long long i = strtoll(v, NULL, 10);
		if (errno != ERANGE)
			return json_integer((json_int_t)i);
	}
	return json_text(v);
}

/* The row as one line of JSON; -1 (ENOMEM) when jansson cannot make it. */
static int json_line_add(struct out *o, const char *const *vals)
{
	json_t *obj = json_object();
	int ok = obj != NULL;
	for (size_t i = 0; ok && i < o->ncols; i++)
		ok = json_object_set_new(obj, o->cols[i], json_cell(vals[i], o->types[i])) == 0;
	/* 15 significant digits print the decimals the program wrote, 4.06 and not 4.0599999999999996 */
	char *line = ok ? json_dumps(obj, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
	json_decref(obj);
	if (!line) {
		errno = ENOMEM;
		return -1;
	}
	sbuf_adds(&o->line, line);
	sbuf_addc(&o->line, '\n');
	free(line);
	return 0;
}

/* ---- table ---- */

/* A copy fit for one terminal line: NULL is empty, line breaks and TABs become spaces. */
static char *display_copy(const char *s)
{
	char *c = xstrdup(s ? s : ""), *p;

	for (p = c; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	return c;
}

static void table_add(struct out *o, const char *const *vals)
{
	size_t i;

	if (o->ncells + o->ncols > o->capcells) {
		o->capcells = o->capcells ? o->capcells * 2 : 16 * o->ncols;
		while (o->capcells < o->ncells + o->ncols)
			o->capcells *= 2;
		o->cells = xrealloc(o->cells, o->capcells * sizeof *o->cells);
	}
	for (i = 0; i < o->ncols; i++)
		o->cells[o->ncells++] = display_copy(vals[i]);
}

/* Optional sign, digits, optional '.' or ',' and digits: an average or a percentage. */
static int is_number(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	if (!is_digit(*s))
		return 0;
	while (is_digit(*s))
		s++;
	if (*s == '.' || *s == ',') {
		s++;
		if (!is_digit(*s))
			return 0;
		while (is_digit(*s))
			s++;
	}
	return *s == '\0';
}

static void add_spaces(struct sbuf *b, size_t n)
{
	while (n--)
		sbuf_addc(b, ' ');
}

static void trim_line_end(struct sbuf *b)
{
	while (b->len && b->s[b->len - 1] == ' ')
		b->s[--b->len] = '\0';
}

static void table_row_add(struct out *o, char **row, const size_t *width, int align_numbers)
{
	size_t i;

	for (i = 0; i < o->ncols; i++) {
		size_t pad = width[i] - utf8_width(row[i]);
		if (i)
			add_spaces(&o->line, 2);
		if (align_numbers && is_number(row[i])) {
			add_spaces(&o->line, pad);
			sbuf_adds(&o->line, row[i]);
		} else {
			sbuf_adds(&o->line, row[i]);
			add_spaces(&o->line, pad);
		}
	}
	trim_line_end(&o->line);
	sbuf_addc(&o->line, '\n');
}

static void table_rule_add(struct out *o, const size_t *width)
{
	size_t i, k;

	for (i = 0; i < o->ncols; i++) {
		if (i)
			add_spaces(&o->line, 2);
		for (k = 0; k < width[i]; k++)
			sbuf_addc(&o->line, '-');
	}
	trim_line_end(&o->line);
	sbuf_addc(&o->line, '\n');
}

static size_t *table_widths(const struct out *o)
{
	size_t *width = xcalloc(o->ncols, sizeof *width);
	size_t i;

	for (i = 0; i < o->ncells; i++) {
		size_t w = utf8_width(o->cells[i]);
		if (w > width[i % o->ncols])
			width[i % o->ncols] = w;
	}
	return width;
}

/* Prints the header, its underline and the rows; one write per line. */
static int table_print(struct out *o)
{
	size_t *width = table_widths(o);
	size_t r, nrows = o->ncells / o->ncols;
	int rc = 0;

	for (r = 0; r < nrows && rc == 0; r++) {
		sbuf_reset(&o->line);
		table_row_add(o, o->cells + r * o->ncols, width, r > 0);
		if (r == 0)
			table_rule_add(o, width);
		rc = put_line(o);
	}
	free(width);
	return rc;
}

/* ---- the writer ---- */

struct out *out_new(FILE *f, enum out_format fmt)
{
	struct out *o;

	if (!f || (fmt != OUT_CSV && fmt != OUT_EXCEL && fmt != OUT_TABLE && fmt != OUT_JSON)) {
		errno = EINVAL;
		return NULL;
	}
	o = xcalloc(1, sizeof *o);
	o->f = f;
	o->fmt = fmt;
	sbuf_init(&o->line);
	sbuf_init(&o->held);
	return o;
}

void out_defer_header(struct out *o)
{
	if (o)
		o->defer = 1;
}

/* Writes the header that waits for the first row (or for out_finish). */
static int release_header(struct out *o)
{
	if (!o->held.len)
		return 0;
	int rc = write_all(o->f, o->held.s, o->held.len) < 0 ? io_error(o) : 0;
	sbuf_reset(&o->held);
	return rc;
}

int out_header(struct out *o, const struct out_col *cols, size_t n)
{
	size_t i;

	if (!o || o->cols || o->finished || !cols || n == 0)
		return misuse();
	for (i = 0; i < n; i++)
		if (!cols[i].name)
			return misuse();
	if (o->err) {
		errno = o->err;
		return -1;
	}
	o->cols = xcalloc(n, sizeof *o->cols);
	o->types = xcalloc(n, sizeof *o->types);
	for (i = 0; i < n; i++) {
		o->cols[i] = xstrdup(cols[i].name);
		o->types[i] = cols[i].type;
	}
	o->ncols = n;
	if (o->fmt == OUT_TABLE) {
		table_add(o, (const char *const *)o->cols);
		return 0;
	}
	if (o->fmt == OUT_JSON)
		return 0;
	sbuf_reset(&o->line);
	if (o->fmt == OUT_EXCEL)
		sbuf_adds(&o->line, "\xEF\xBB\xBF");	/* so Excel reads UTF-8, not cp1251 */
	csv_line_add(o, (const char *const *)o->cols, n);
	if (o->defer) {
		sbuf_add(&o->held, o->line.s, o->line.len);
		return 0;
	}
	return put_line(o);
}

int out_row(struct out *o, const char *const *vals, size_t n)
{
	if (!o || !o->cols || o->finished || !vals || n != o->ncols)
		return misuse();
	if (o->err) {
		errno = o->err;
		return -1;
	}
	if (o->fmt == OUT_TABLE) {
		table_add(o, vals);
		return 0;
	}
	if (release_header(o))
		return -1;
	sbuf_reset(&o->line);
	if (o->fmt != OUT_JSON)
		csv_line_add(o, vals, n);
	else if (json_line_add(o, vals) < 0)
		return io_error(o);
	return put_line(o);
}

int out_finish(struct out *o)
{
	if (!o)
		return misuse();
	if (!o->finished && !o->err && o->fmt == OUT_TABLE && o->cols)
		table_print(o);
	if (!o->finished && !o->err)
		release_header(o);
	o->finished = 1;
	errno = 0;
	if (fflush(o->f) == EOF || ferror(o->f))
		return io_error(o);
	if (o->err) {
		errno = o->err;
		return -1;
	}
	return 0;
}

int out_drop(struct out *o)
{
	if (!o)
		return misuse();
	sbuf_reset(&o->held);
	o->finished = 1;	/* a table is not printed */
	errno = 0;
	if (fflush(o->f) == EOF || ferror(o->f))
		return io_error(o);
	return 0;
}

void out_free(struct out *o)
{
	size_t i;

	if (!o)
		return;
	for (i = 0; i < o->ncols; i++)
		free(o->cols[i]);
	free(o->cols);
	free(o->types);
	for (i = 0; i < o->ncells; i++)
		free(o->cells[i]);
	free(o->cells);
	sbuf_free(&o->line);
	sbuf_free(&o->held);
	free(o);
}
