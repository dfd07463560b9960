/*
 * html.c: the one escaping path for HTML (text and attribute values) and
 * the page writer every page of the web cabinet goes through.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "html.h"

/* The length of the valid UTF-8 sequence at s (1–4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	size_t n;
	unsigned min;
	unsigned cp;
	if ((s[0] & 0xE0) == 0xC0)
		n = 2, min = 0x80, cp = s[0] & 0x1F;
	else if ((s[0] & 0xF0) == 0xE0)
		n = 3, min = 0x800, cp = s[0] & 0x0F;
	else if ((s[0] & 0xF8) == 0xF0)
		n = 4, min = 0x10000, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	/* C1 controls (U+0080–U+009F) are control characters too */
	return cp >= 0x80 && cp <= 0x9F ? 0 : n;
}

static void escape(struct sbuf *b, const char *str, int attr)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	while (*s) {
		const char *ent = NULL;
		switch (*s) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		case '\n': ent = attr ? "&#10;" : "\n"; break;
		case '\t': ent = attr ? "&#9;" : "\t"; break;
		default: break;
		}
		if (ent) {
			sbuf_adds(b, ent);
			s++;
			continue;
		}
		if (*s < 0x20 || *s == 0x7F) {	/* other control characters say nothing to a reader */
			s++;
			continue;
		}
		size_t n = utf8_len(s);
		if (n == 0) {
			sbuf_adds(b, "\xEF\xBF\xBD");	/* U+FFFD for a byte that starts no character */
			s++;
			continue;
		}
		sbuf_add(b, (const char *)s, n);
		s += n;
	}
}

void html_txt(struct sbuf *b, const char *s)
{
	escape(b, s, 0);
}

void html_attr(struct sbuf *b, const char *s)
{
	escape(b, s, 1);
}

void html_f(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	char num[32];
	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			sbuf_addc(b, *p);
			continue;
		}
		p++;
		if (*p == 's')
			html_attr(b, va_arg(ap, const char *));
		else if (*p == 'd')
			snprintf(num, sizeof num, "%d", va_arg(ap, int)), sbuf_adds(b, num);
		else if (p[0] == 'l' && p[1] == 'd')
			snprintf(num, sizeof num, "%ld", va_arg(ap, long)), sbuf_adds(b, num), p++;
		else if (p[0] == 'l' && p[1] == 'l' && p[2] == 'd')
			snprintf(num, sizeof num, "%lld", va_arg(ap, long long)), sbuf_adds(b, num), p += 2;
		else if (*p == '%')
			sbuf_addc(b, '%');
		else
			break;	/* a template the code got wrong: stop rather than guess */
	}
	va_end(ap);
}

void page_begin(struct page *p, const char *title, const char *school)
{
	sbuf_init(&p->body);
	if (!p->status)
		p->status = 200;
	p->content_type = "text/html; charset=utf-8";
	html_f(&p->body, "<!DOCTYPE html>\n<html lang=\"ru\"><head><meta charset=\"utf-8\">"
	       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	       "<title>%s</title><link rel=\"stylesheet\" href=\"/style.css\"></head>\n<body>"
	       "<header>%s</header>\n<main>\n", title, school && *school ? school : "Школьный портал");
}

void page_end(struct page *p)
{
	sbuf_adds(&p->body, "</main>\n</body></html>\n");
}

void page_redirect(struct page *p, const char *path)
{
	p->status = 303;
	str_copy(p->location, sizeof p->location, path);
}

void page_free(struct page *p)
{
	sbuf_free(&p->body);
}
