/*
 * fuzz_csvin.c: libFuzzer target for the CSV reader (lib/csvin.c).
 *
 * The first byte picks the options (bits 0-1: delimiter detect , ; TAB;
 * bit 2: cp1251; a UTF-16 byte order mark wins), the rest is the file, written to a memfd that csvin_open
 * reads through /proc/self/fd/N. Invariants: line numbers never go back and
 * stay inside the file; every field is well-formed UTF-8; csvin_get is NULL
 * exactly for an unmapped column and trimmed otherwise; an error is a
 * negative status with a message naming the file; and when the file is read
 * without error, its records are those libcsv gives for the whole file at
 * once (no record lost or changed between lines).
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <csv.h>

#include "csvin.h"
#include "fuzz.h"

#define NAME "fuzz.csv"

enum { C_LAST, C_FIRST, C_BIRTH, C_CLASS, C_N };
static const struct csv_col cols[C_N] = {
	{ "last_name", "фамилия|Фамилия ученика|surname", 1 },
	{ "first_name", "имя|name", 0 },
	{ "birth_date", "дата рождения|др", 0 },
	{ "class", "класс", 0 },
};

/* ---- the reference: libcsv on the whole file, blank records left out ---- */

struct ref_rec {
	char **f;
	size_t *len;
	size_t n, cap;
};

struct ref {
	struct ref_rec *r;
	size_t n, cap;
	struct ref_rec cur;
};

static void ref_field(void *s, size_t len, void *data)
{
	struct ref *ref = data;
	struct ref_rec *c = &ref->cur;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 8;
		c->f = realloc(c->f, c->cap * sizeof *c->f);
		c->len = realloc(c->len, c->cap * sizeof *c->len);
		FUZZ_CHECK(c->f && c->len, "out of memory");
	}
	c->f[c->n] = malloc(len + 1);
	FUZZ_CHECK(c->f[c->n], "out of memory");
	if (len)
		memcpy(c->f[c->n], s, len);
	c->f[c->n][len] = '\0';
	c->len[c->n++] = len;
}

static void rec_free(struct ref_rec *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->f[i]);
	free(c->f);
	free(c->len);
	memset(c, 0, sizeof *c);
}

static void ref_record(int c, void *data)
{
	struct ref *ref = data;
	(void)c;
	int blank = 1;
	for (size_t i = 0; i < ref->cur.n && blank; i++)
		blank = fuzz_blank(ref->cur.f[i], ref->cur.len[i]);
	if (blank) {	/* csvin skips records of empty fields only */
		rec_free(&ref->cur);
		return;
	}
	if (ref->n == ref->cap) {
		ref->cap = ref->cap ? ref->cap * 2 : 8;
		ref->r = realloc(ref->r, ref->cap * sizeof *ref->r);
		FUZZ_CHECK(ref->r, "out of memory");
	}
	ref->r[ref->n++] = ref->cur;
	memset(&ref->cur, 0, sizeof ref->cur);
}

static void ref_free(struct ref *ref)
{
	for (size_t i = 0; i < ref->n; i++)
		rec_free(&ref->r[i]);
	rec_free(&ref->cur);
	free(ref->r);
}

static int space_only(unsigned char c)
{
	return c == ' ';
}

/* The delimiter csvin picks from a header line: the most frequent outside quotes. */
static char detect(const char *s, size_t n)
{
	size_t count[3] = { 0, 0, 0 };
	const char cand[3] = { ',', ';', '\t' };
	int quoted = 0;
	for (size_t i = 0; i < n && s[i] != '\n'; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		for (int k = 0; k < 3 && !quoted; k++)
			count[k] += s[i] == cand[k];
	}
	int best = 0;
	for (int k = 1; k < 3; k++)
		if (count[k] > count[best])
			best = k;
	return cand[best];
}

/* The whole file as UTF-8 (BOM dropped); NULL when it cannot be converted. A UTF-16 byte order
 * mark decides the encoding, whatever was asked. */
static char *whole_utf8(const char *s, size_t n, int cp1251, size_t *outlen)
{
	const char *from = cp1251 ? "CP1251" : NULL;
	if (n >= 2 && (!memcmp(s, "\xFF\xFE", 2) || !memcmp(s, "\xFE\xFF", 2))) {
		from = s[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";
		s += 2;
		n -= 2;
	} else if (!cp1251 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		n -= 3;
	}
	char *out = malloc(n * 3 + 1);	/* a cp1251 byte, or a UTF-16 unit, is at most three bytes of UTF-8 */
	FUZZ_CHECK(out, "out of memory");
	if (!from) {
		memcpy(out, s, n);
		*outlen = n;
		return out;
	}
	iconv_t cd = iconv_open("UTF-8", from);
	FUZZ_CHECK(cd != (iconv_t)-1, "iconv_open: %s", strerror(errno));
	char *src = (char *)s, *dst = out;
	size_t left = n, room = n * 3;
	size_t r = iconv(cd, &src, &left, &dst, &room);
	iconv_close(cd);
	if (r == (size_t)-1) {
		free(out);
		return NULL;
	}
	*outlen = (size_t)(dst - out);
	return out;
}

static void reference(const char *s, size_t n, int cp1251, char delim, struct ref *ref)
{
	struct csv_parser p;
	size_t len;
	char *u = whole_utf8(s, n, cp1251, &len);
	FUZZ_CHECK(u, "csvin read a file that iconv cannot convert as a whole");
	FUZZ_CHECK(csv_init(&p, CSV_STRICT_FINI) == 0, "csv_init");
	csv_set_space_func(&p, space_only);
	csv_set_delim(&p, (unsigned char)(delim ? delim : detect(u, len)));
	FUZZ_CHECK(csv_parse(&p, u, len, ref_field, ref_record, ref) == len, "libcsv refused what csvin read");
	FUZZ_CHECK(csv_fini(&p, ref_field, ref_record, ref) == 0, "libcsv refused the end csvin read");
	csv_free(&p);
	free(u);
}

/* ---- the reader under test ---- */

static int fd = -1;
static char path[64];

static void write_input(const uint8_t *data, size_t size)
{
	if (fd < 0) {
		fd = memfd_create("fuzz_csvin", 0);
		FUZZ_CHECK(fd >= 0, "memfd_create: %s", strerror(errno));
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	FUZZ_CHECK(ftruncate(fd, 0) == 0, "ftruncate: %s", strerror(errno));
	for (size_t done = 0; done < size;) {
		ssize_t w = pwrite(fd, data + done, size - done, (off_t)done);
		FUZZ_CHECK(w > 0, "pwrite: %s", strerror(errno));
		done += (size_t)w;
	}
}

static void check_error(int rc, const struct perr *e)
{
	FUZZ_CHECK(e->status == -rc, "status %d, returned %d", e->status, rc);
	FUZZ_CHECK(e->msg[0], "an error without a message");
	FUZZ_CHECK(strncmp(e->msg, NAME, strlen(NAME)) == 0, "message does not name the file: %s", e->msg);
}

static void on_warn(void *wctx, const char *msg)
{
	(void)wctx;
	FUZZ_CHECK(msg && *msg, "an empty warning");
	FUZZ_CHECK(strncmp(msg, NAME ":", strlen(NAME) + 1) == 0, "warning does not name the file: %s", msg);
	FUZZ_CHECK(fuzz_utf8_ok(msg, strlen(msg)), "the warning is not UTF-8: %s", msg);
}

static void check_record(struct csvin *in, const struct ref_rec *want)
{
	size_t n = csvin_nfields(in);
	for (size_t i = 0; i < n; i++) {
		const char *f = csvin_field(in, i);
		FUZZ_CHECK(fuzz_utf8_ok(f, strlen(f)), "field %zu is not UTF-8", i + 1);
		if (i >= csvin_nheader(in))
			FUZZ_CHECK(fuzz_blank(f, strlen(f)), "field %zu beyond the header is not blank", i + 1);
	}
	if (want) {
		FUZZ_CHECK(n == want->n, "%zu fields, libcsv has %zu", n, want->n);
		for (size_t i = 0; i < n; i++)
			FUZZ_CHECK(strcmp(csvin_field(in, i), want->f[i]) == 0, "field %zu is \"%s\", libcsv has \"%s\"",
				   i + 1, csvin_field(in, i), want->f[i]);
	}
	/* csvin_get trims the field in place: after the raw comparison */
	for (size_t c = 0; c < C_N; c++) {
		const char *v = csvin_get(in, c);
		FUZZ_CHECK((v == NULL) == !csvin_has(in, c), "column %zu: get and has disagree", c);
		if (v)
			FUZZ_CHECK(fuzz_utf8_ok(v, strlen(v)) && fuzz_trimmed(v, strlen(v)),
				   "column %zu: \"%s\" is not trimmed UTF-8", c, v);
	}
}

/* Lines as the reader counts them: LF, CRLF and a bare CR each end one. */
static long count_lines(const uint8_t *s, size_t n)
{
	long lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n'));
	return lines + (n > 0 && s[n - 1] != '\n' && s[n - 1] != '\r');
}

/* Reads the whole file; returns 1 when it was read without an error. */
static int read_all(struct csvin *in, long lines, const struct ref *ref, size_t *nrec)
{
	struct perr e = { 0 };
	int rc = csvin_map(in, cols, C_N, on_warn, NULL, &e);
	if (rc) {
		FUZZ_CHECK(rc > 0 && e.status == rc && e.msg[0], "csvin_map: %d, status %d", rc, e.status);
		FUZZ_CHECK(strncmp(e.msg, NAME, strlen(NAME)) == 0, "message does not name the file: %s", e.msg);
		return 0;
	}
	FUZZ_CHECK(csvin_has(in, C_LAST), "mapped without the required column");
	FUZZ_CHECK(csvin_nheader(in) >= 1, "a header of no columns");
	for (size_t i = 0; i < csvin_nheader(in); i++)
		FUZZ_CHECK(fuzz_utf8_ok(csvin_header(in, i), strlen(csvin_header(in, i))), "header %zu is not UTF-8", i + 1);
	if (ref) {
		FUZZ_CHECK(ref->n >= 1 && csvin_nheader(in) == ref->r[0].n, "%zu header fields, libcsv has %zu",
			   csvin_nheader(in), ref->n ? ref->r[0].n : 0);
		for (size_t i = 0; i < csvin_nheader(in); i++)
			FUZZ_CHECK(strcmp(csvin_header(in, i), ref->r[0].f[i]) == 0, "header %zu is \"%s\", libcsv has \"%s\"",
				   i + 1, csvin_header(in, i), ref->r[0].f[i]);
	}
	long prev = csvin_line(in);
	FUZZ_CHECK(prev >= 1 && prev <= lines, "header on line %ld of %ld", prev, lines);
	*nrec = 1;
	while ((rc = csvin_next(in, &e)) == 1) {
		long line = csvin_line(in);
		FUZZ_CHECK(line >= prev && line <= lines, "record on line %ld after %ld (of %ld)", line, prev, lines);
		prev = line;
		FUZZ_CHECK((long)*nrec < lines, "more records than lines");
		check_record(in, ref && *nrec < ref->n ? &ref->r[*nrec] : NULL);
		(*nrec)++;
	}
	if (rc < 0) {
		check_error(rc, &e);
		return 0;
	}
	FUZZ_CHECK(rc == 0, "csvin_next returned %d", rc);
	FUZZ_CHECK(csvin_next(in, &e) == 0, "the end of the file did not stay the end");
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[4] = { 0, ',', ';', '\t' };
	if (size < 1)
		return 0;
	int cp1251 = data[0] >> 2 & 1;
	struct csvin_opts o = { cp1251 ? "cp1251" : NULL, delims[data[0] & 3], NAME };
	const uint8_t *file = data + 1;
	size_t n = size - 1;
	write_input(file, n);

	struct csvin *in = NULL;
	struct perr e = { 0 };
	int rc = csvin_open(path, &o, &in, &e);
	FUZZ_CHECK(rc == 0 && in, "csvin_open: %s", e.msg);
	FUZZ_CHECK(strcmp(csvin_name(in), NAME) == 0, "name %s", csvin_name(in));

	/* first pass: the invariants; then, when the file was read whole, the records against libcsv */
	size_t nrec = 0;
	int ok = read_all(in, count_lines(file, n), NULL, &nrec);
	csvin_close(in);
	if (!ok)
		return 0;
	struct ref ref = { 0 };
	reference((const char *)file, n, cp1251, o.delimiter, &ref);
	FUZZ_CHECK(ref.n == nrec, "csvin read %zu records (header included), libcsv %zu", nrec, ref.n);
	FUZZ_CHECK(csvin_open(path, &o, &in, &e) == 0, "csvin_open again: %s", e.msg);
	size_t again = 0;
	FUZZ_CHECK(read_all(in, count_lines(file, n), &ref, &again) && again == nrec, "a second reading differs");
	csvin_close(in);
	ref_free(&ref);
	return 0;
}
