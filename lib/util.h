/*
 * util.h: allocation that cannot fail quietly, growable strings, small string helpers.
 */
#ifndef PORTAL_UTIL_H
#define PORTAL_UTIL_H

#include <stddef.h>
#include <stdarg.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A growable NUL-terminated buffer. */
struct sbuf {
	char *s;
	size_t len, cap;
};
void sbuf_init(struct sbuf *b);
void sbuf_free(struct sbuf *b);
void sbuf_reset(struct sbuf *b);
void sbuf_add(struct sbuf *b, const char *s, size_t n);
void sbuf_adds(struct sbuf *b, const char *s);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Trims ASCII whitespace (and NBSP) at both ends in place; returns s. */
char *str_trim(char *s);
/* True when s is NULL or holds only whitespace. */
int str_blank(const char *s);
/* qsort's comparison of two char * by their bytes. */
int str_cmp_ptr(const void *a, const void *b);
/* Copies at most n-1 bytes and terminates; returns 0, or -1 when it did not fit. */
int str_copy(char *dst, size_t n, const char *src);

/* The name of the OS user this process runs as; NULL when the user has none. */
const char *os_user_name(void);

#endif
