/*
 * hashtime.c: the anchor of the issue benchmark. A plain loop of N Argon2id
 * hashes with the parameters portal uses, on THREADS threads at once (a
 * counter hands out the work), prints its wall seconds. On a machine of two
 * vCPUs two concurrent hashes can each take twice as long as one alone, so the
 * anchor is measured, not computed from one hash.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <sodium.h>

#include "accounts.h"

struct loop {
	atomic_int next, failed;
	int n;
};

static void *hash_some(void *arg)
{
	struct loop *l = arg;
	char hash[crypto_pwhash_STRBYTES];
	while (atomic_fetch_add(&l->next, 1) < l->n)
		if (crypto_pwhash_str(hash, "benchmark-pw", 12, ACCOUNT_PW_OPSLIMIT, ACCOUNT_PW_MEMLIMIT) != 0)
			atomic_store(&l->failed, 1);
	return NULL;
}

int main(int argc, char **argv)
{
	struct loop l = { .n = argc > 1 ? atoi(argv[1]) : 20 };
	int threads = argc > 2 ? atoi(argv[2]) : 1;
	pthread_t t[64];
	struct timespec a, b;
	if (sodium_init() < 0 || l.n < 1 || threads < 1 || threads > 64)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < threads; i++)
		if (pthread_create(&t[i], NULL, hash_some, &l) != 0)
			return 1;
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (atomic_load(&l.failed))
		return 1;
	printf("%.6f\n", (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	return 0;
}
