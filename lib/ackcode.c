/*
 * ackcode.c: see ackcode.h.
 */
#include <ctype.h>
#include <string.h>

#include <sodium.h>

#include "ackcode.h"

static const char ALPHABET[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void ackcode_new(char out[ACKCODE_LEN + 1])
{
	for (int i = 0; i < ACKCODE_LEN; i++)
		out[i] = ALPHABET[randombytes_uniform(32)];
	out[ACKCODE_LEN] = 0;
}

void ackcode_print(const char *code, char out[ACKCODE_LEN + 2])
{
	memcpy(out, code, 5);
	out[5] = '-';
	memcpy(out + 6, code + 5, 5);
	out[11] = 0;
}

int ackcode_read(const char *typed, char out[ACKCODE_LEN + 1])
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)typed; *p; p++) {
		int c = toupper(*p);
		if (c == '-' || c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == 'I' || c == 'L')
			c = '1';
		else if (c == 'O')
			c = '0';
		if (c >= 0x80 || !strchr(ALPHABET, c) || n == ACKCODE_LEN)
			return -1;
		out[n++] = (char)c;
	}
	out[n] = 0;
	return n == ACKCODE_LEN ? 0 : -1;
}
