/*
 * hashtime.c: the time of one Argon2id hash with the parameters portal uses,
 * on one core: the unit of the issue benchmark's limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <sodium.h>

#include "accounts.h"

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20;
	char hash[crypto_pwhash_STRBYTES];
	struct timespec a, b;
	if (sodium_init() < 0 || n < 1)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < n; i++)
		if (crypto_pwhash_str(hash, "benchmark-pw", 12, ACCOUNT_PW_OPSLIMIT, ACCOUNT_PW_MEMLIMIT) != 0)
			return 1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.6f\n", ((double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9) / n);
	return 0;
}
