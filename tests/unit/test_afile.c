/*
 * test_afile.c: unit tests of lib/afile.c, the writer of an output whole or
 * not at all: the file appears under its name only when complete, 0600; an
 * abort or a failed write leaves nothing; a secret never replaces a file.
 * Each test works in a fresh directory under TMPDIR.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "afile.h"

struct dir {
	char path[256];
	char file[300];
};

static int make_dir(void **state)
{
	struct dir *d = calloc(1, sizeof *d);
	const char *t = getenv("TMPDIR");
	if (!d)
		return -1;
	snprintf(d->path, sizeof d->path, "%s/afile.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(d->path)) {
		free(d);
		return -1;
	}
	snprintf(d->file, sizeof d->file, "%s/out.csv", d->path);
	*state = d;
	return 0;
}

/* Removes the directory's files (one level) and the directory. */
static int drop_dir(void **state)
{
	struct dir *d = *state;
	DIR *dh = opendir(d->path);
	struct dirent *e;
	char p[600];
	while (dh && (e = readdir(dh)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(p, sizeof p, "%s/%s", d->path, e->d_name);
			unlink(p);
		}
	if (dh)
		closedir(dh);
	rmdir(d->path);
	free(d);
	return 0;
}

/* The names in the directory, sorted, joined by spaces. */
static void names(const struct dir *d, char *out, size_t n)
{
	struct dirent **list;
	int k = scandir(d->path, &list, NULL, alphasort);
	*out = 0;
	for (int i = 0; i < k; i++) {
		if (strcmp(list[i]->d_name, ".") && strcmp(list[i]->d_name, "..")) {
			if (*out)
				strncat(out, " ", n - strlen(out) - 1);
			strncat(out, list[i]->d_name, n - strlen(out) - 1);
		}
		free(list[i]);
	}
	free(list);
}

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	buf[n] = 0;
	if (f)
		fclose(f);
	return buf;
}

static void test_commit_puts_the_whole_file_in_place(void **state)
{
	struct dir *d = *state;
	struct afile a;
	struct perr e = { 0 };
	struct stat sb;
	char seen[512];
	mode_t old = umask(0);
	assert_int_equal(afile_open(&a, d->file, 0, &e), 0);
	umask(old);
	fputs("a,b\n1,2\n", a.f);
	names(d, seen, sizeof seen);
	assert_int_equal(strncmp(seen, ".out.csv.", 9), 0);	/* only the temporary one so far */
	assert_non_null(strstr(seen, ".tmp"));
	assert_int_equal(afile_commit(&a, &e), 0);
	names(d, seen, sizeof seen);
	assert_string_equal(seen, "out.csv");
	assert_string_equal(slurp(d->file), "a,b\n1,2\n");
	assert_int_equal(stat(d->file, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	afile_abort(&a);	/* harmless once committed */
}

static void test_commit_replaces_an_older_file(void **state)
{
	struct dir *d = *state;
	struct afile a;
	struct perr e = { 0 };
	FILE *f = fopen(d->file, "w");
	fputs("old\n", f);
	fclose(f);
	assert_int_equal(afile_open(&a, d->file, 0, &e), 0);
	fputs("new\n", a.f);
	assert_string_equal(slurp(d->file), "old\n");	/* untouched until the commit */
	assert_int_equal(afile_commit(&a, &e), 0);
	assert_string_equal(slurp(d->file), "new\n");
}

static void test_abort_leaves_nothing(void **state)
{
	struct dir *d = *state;
	struct afile a;
	struct perr e = { 0 };
	char seen[512];
	assert_int_equal(afile_open(&a, d->file, 0, &e), 0);
	fputs("half", a.f);
	afile_abort(&a);
	names(d, seen, sizeof seen);
	assert_string_equal(seen, "");
	afile_abort(&a);	/* twice is harmless */
}

static void test_noreplace_refuses_an_existing_file(void **state)
{
	struct dir *d = *state;
	struct afile a;
	struct perr e = { 0 };
	char seen[512];
	FILE *f = fopen(d->file, "w");
	fputs("keep\n", f);
	fclose(f);
	assert_int_equal(afile_open(&a, d->file, AFILE_NOREPLACE, &e), EX_CANTCREAT);
	assert_non_null(strstr(e.msg, "never overwritten"));
	/* one that appears while the secret is written is not replaced either */
	unlink(d->file);
	assert_int_equal(afile_open(&a, d->file, AFILE_NOREPLACE, &e), 0);
	fputs("secret\n", a.f);
	f = fopen(d->file, "w");
	fputs("keep\n", f);
	fclose(f);
	assert_int_equal(afile_commit(&a, &e), EX_CANTCREAT);
	assert_string_equal(slurp(d->file), "keep\n");
	names(d, seen, sizeof seen);
	assert_string_equal(seen, "out.csv");
}

static void test_noreplace_takes_a_free_name(void **state)
{
	struct dir *d = *state;
	struct afile a;
	struct perr e = { 0 };
	assert_int_equal(afile_open(&a, d->file, AFILE_NOREPLACE, &e), 0);
	fputs("secret\n", a.f);
	assert_int_equal(afile_commit(&a, &e), 0);
	assert_string_equal(slurp(d->file), "secret\n");
}

static void test_no_directory_is_73(void **state)
{
	struct dir *d = *state;
	struct afile a;
	struct perr e = { 0 };
	char p[400];
	snprintf(p, sizeof p, "%s/none/out.csv", d->path);
	assert_int_equal(afile_open(&a, p, 0, &e), EX_CANTCREAT);
	assert_non_null(strstr(e.msg, "none/out.csv: cannot create: No such file or directory"));
	/* a directory under the name: refused at once, not after the work */
	assert_int_equal(afile_open(&a, d->path, 0, &e), EX_CANTCREAT);
	assert_non_null(strstr(e.msg, "Is a directory"));
}

/* /dev/full is a device, written as it is, and every write fails with ENOSPC. */
static void test_failed_write_is_74_with_the_reason(void **state)
{
	struct afile a;
	struct perr e = { 0 };
	if (access("/dev/full", W_OK) != 0)
		skip();
	assert_int_equal(afile_open(&a, "/dev/full", 0, &e), 0);
	for (int i = 0; i < 2000; i++)
		fputs("0123456789", a.f);
	assert_int_equal(afile_commit(&a, &e), EX_IOERR);
	assert_string_equal(e.msg, "/dev/full: cannot write: No space left on device");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit_puts_the_whole_file_in_place, make_dir, drop_dir),
		cmocka_unit_test_setup_teardown(test_commit_replaces_an_older_file, make_dir, drop_dir),
		cmocka_unit_test_setup_teardown(test_abort_leaves_nothing, make_dir, drop_dir),
		cmocka_unit_test_setup_teardown(test_noreplace_refuses_an_existing_file, make_dir, drop_dir),
		cmocka_unit_test_setup_teardown(test_noreplace_takes_a_free_name, make_dir, drop_dir),
		cmocka_unit_test_setup_teardown(test_no_directory_is_73, make_dir, drop_dir),
		cmocka_unit_test_setup_teardown(test_failed_write_is_74_with_the_reason, make_dir, drop_dir),
	};
	return cmocka_run_group_tests_name("afile", tests, NULL, NULL);
}
