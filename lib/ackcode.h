/*
 * ackcode.h: acknowledgement codes: 10 characters of Crockford's base32 from
 * the CSPRNG (50 bits), printed as ABCDE-FGHJK, read back the Crockford way
 * (case, hyphens and spaces ignored; I and L read as 1, O as 0).
 */
#ifndef PORTAL_ACKCODE_H
#define PORTAL_ACKCODE_H

#include <stddef.h>

enum { ACKCODE_LEN = 10 };

/* A new random code (out: 11 bytes). */
void ackcode_new(char out[ACKCODE_LEN + 1]);
/* The code as printed for people: ABCDE-FGHJK (out: 12 bytes). */
void ackcode_print(const char *code, char out[ACKCODE_LEN + 2]);
/* Reads a code as typed or scanned into its canonical form; -1 when it is not one. */
int ackcode_read(const char *typed, char out[ACKCODE_LEN + 1]);

#endif
