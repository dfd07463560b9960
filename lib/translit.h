/*
 * translit.h: Russian names in Latin letters by the ICAO Doc 9303 table, the
 * one Russian international passports use (Щеглова Юлия → shcheglova.iuliia).
 */
#ifndef PORTAL_TRANSLIT_H
#define PORTAL_TRANSLIT_H

#include <stddef.h>

/* Lowercase ASCII letters only: Cyrillic by the table, Latin kept, anything else dropped. */
void translit_icao(const char *in, char *out, size_t n);
/* "lastname.firstname" for a login. */
void login_base(const char *last, const char *first, char *out, size_t n);

#endif
