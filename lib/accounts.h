/*
 * accounts.h: credentials of students, guardians and staff. Passwords come
 * from the OS CSPRNG, exist in plain only in the issuing command's output,
 * and are kept as Argon2id hashes (libsodium crypto_pwhash_str).
 */
#ifndef PORTAL_ACCOUNTS_H
#define PORTAL_ACCOUNTS_H

#include <stddef.h>
#include "ctx.h"

/* Argon2id cost: 2 passes over 19 MiB, OWASP's minimum for Argon2id; one hash
 * takes tens of milliseconds, so guessing offline is slow, issuing is not. */
#define ACCOUNT_PW_OPSLIMIT 2ULL
#define ACCOUNT_PW_MEMLIMIT (19UL * 1024 * 1024)
#define ACCOUNT_PW_LEN 12

/* One person to issue credentials for. */
struct issue_item {
	char kind[10];		/* student | guardian | staff */
	char person_id[64];
	char full_name[256];
	char cls[64];		/* the class, or the children's classes for a guardian */
	char login[96];
	int reissue;		/* an account exists: replace its password (and lift its lock) */
	char locked_reason[128];	/* the lock the new password lifts, "" when none */
	char hash[128];		/* crypto_pwhash_STRBYTES */
	char *password;		/* points into the plan's guarded secret buffer */
};

struct issue_plan {
	struct issue_item *items;
	size_t n, cap;
	unsigned char *secrets;	/* sodium_malloc'ed: every plain password, wiped on free */
	long held_back;		/* guardians of the class left out: a child of theirs is in a class the actor may not write */
	long have_account;	/* people given by id left out: they have an account (no --reissue) */
};

struct strmap;

struct issue_opts {
	const char *cls;	/* NULL: every class the actor may write */
	const char *who;	/* students | guardians | staff | all */
	int reissue;
	/* the pipe contract: exactly these people (id → line of ids_name), each one the actor's to
	 * issue for (77 naming the person otherwise); NULL: by class */
	const struct strmap *students, *guardians;
	const char *ids_name;
};

/* Who gets credentials, with their logins. Reads only. */
int issue_plan_make(struct ctx *c, const struct issue_opts *o, struct issue_plan *p, struct perr *e);
/* Draws the passwords and hashes them on every core; progress(done, total) now and then. */
int issue_plan_hash(struct issue_plan *p, void (*progress)(void *pctx, size_t done, size_t total), void *pctx,
		    struct perr *e);
/* Writes the accounts (inside the caller's write transaction); 75 when the plan went stale. */
int issue_plan_store(struct ctx *c, struct issue_plan *p, struct perr *e);
void issue_plan_free(struct issue_plan *p);

/* 0 the password matches an unlocked account; 1 it does not, or the account is locked or unknown. */
int account_verify(struct store *s, const char *login, const char *password, struct perr *e);
/* Sets a new password (at least 8 characters, not the login); clears must_change. */
int account_passwd(struct ctx *c, const char *login, const char *password, struct perr *e);
int account_lock(struct ctx *c, const char *login, const char *reason, struct perr *e);
int account_unlock(struct ctx *c, const char *login, struct perr *e);
/* What an account belongs to: kind, person and that person's class (students' and guardians'). */
int account_owner(struct store *s, const char *login, char kind[10], char person[64], char cls[64], struct perr *e);
/* A staff login with no account yet gets one that no password opens ("!"), so that it can be
 * locked and unlocked like any other (inside the caller's write transaction). */
int account_staff_row(struct ctx *c, const char *login, struct perr *e);

struct undo_table;
/* What a leaked login did to an account is undone while it stands: a password it set is locked
 * away ("breach:LOGIN"), so the next issue gives the person new credentials; a lock it set is lifted. */
void accounts_register_undo(struct undo_table *t);

#endif
