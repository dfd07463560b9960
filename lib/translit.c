/*
 * translit.c: the ICAO Doc 9303 transliteration of Cyrillic.
 */
#include <stdio.h>
#include <string.h>

#include "translit.h"
#include "values.h"

/* а … я, then ё: the Latin spelling of each lowercase letter. */
static const char *const icao[33] = {
	"a", "b", "v", "g", "d", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p",
	"r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "", "e", "iu", "ia",
	"e",
};

static const char *latin_of(unsigned cp, char ascii[2])
{
	if (cp >= 0x0410 && cp <= 0x042F)
		cp += 0x20;
	if (cp >= 0x0430 && cp <= 0x044F)
		return icao[cp - 0x0430];
	if (cp == 0x0401 || cp == 0x0451)
		return icao[32];
	if (cp == 0x2D)
		return "-";
	if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) {
		ascii[0] = (char)(cp | 0x20);
		ascii[1] = '\0';
		return ascii;
	}
	return "";
}

void translit_icao(const char *in, char *out, size_t n)
{
	size_t len = 0;
	char ascii[2];
	while (*in) {
		unsigned cp;
		in += utf8_decode(in, &cp);
		const char *l = latin_of(cp, ascii);
		size_t ll = strlen(l);
		if (len + ll + 1 > n)
			break;
		memcpy(out + len, l, ll);
		len += ll;
	}
	out[len] = '\0';
}

void login_base(const char *last, const char *first, char *out, size_t n)
{
	char l[128], f[128];
	translit_icao(last, l, sizeof l);
	translit_icao(first, f, sizeof f);
	if (!*l)
		strcpy(l, "user");
	if (*f)
		snprintf(out, n, "%s.%s", l, f);
	else
		snprintf(out, n, "%s", l);
}
