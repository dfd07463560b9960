/*
 * afile.c: see afile.h. The temporary name is ".NAME.XXXXXX.tmp" beside NAME:
 * hidden from a listing, and found by a search for "*.tmp" if ever left.
 * The FILE is a stream of our own over the descriptor, so the reason of a
 * write that failed inside stdio (ENOSPC) is kept for the message: stdio
 * keeps only an error flag and drops the buffer it could not write.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "util.h"

struct afile_sink {
	int fd;
	int err;	/* the errno of the first write that failed; 0 while none did */
};

static ssize_t sink_write(void *cookie, const char *buf, size_t n)
{
	struct afile_sink *s = cookie;
	size_t done = 0;
	while (done < n) {
		ssize_t w = write(s->fd, buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!s->err)
				s->err = w < 0 ? errno : EIO;
			return 0;	/* stdio sets the stream's error flag */
		}
		done += (size_t)w;
	}
	return (ssize_t)n;
}

static int sink_close(void *cookie)
{
	struct afile_sink *s = cookie;
	int rc = close(s->fd);
	if (rc && !s->err)
		s->err = errno;
	return rc ? EOF : 0;
}

/* A stream over fd (taken over: closed with the stream). */
static int stream(struct afile *a, int fd)
{
	static const cookie_io_functions_t io = { .write = sink_write, .close = sink_close };
	a->sink = xcalloc(1, sizeof *a->sink);
	a->sink->fd = fd;
	if ((a->f = fopencookie(a->sink, "w", io)))
		return 0;
	close(fd);
	free(a->sink);
	a->sink = NULL;
	return -1;
}

static char *tmp_template(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0, n = strlen(path) + 16;
	char *t = xmalloc(n);
	snprintf(t, n, "%.*s.%s.XXXXXX.tmp", (int)dirlen, path, path + dirlen);
	return t;
}

int afile_open(struct afile *a, const char *path, int flags, struct perr *e)
{
	struct stat sb;
	int fd;
	memset(a, 0, sizeof *a);
	a->flags = flags;
	if ((flags & AFILE_NOREPLACE) && lstat(path, &sb) == 0)
		return perr_set(e, EX_CANTCREAT, "%s: cannot create: %s (it is never overwritten)", path, strerror(EEXIST));
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return perr_set(e, EX_CANTCREAT, "%s: cannot create: %s", path, strerror(EISDIR));
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		/* a device or a pipe (-o /dev/stdout) cannot be replaced: it is written as it is */
		fd = open(path, O_WRONLY | O_CLOEXEC);
	} else {
		a->tmp = tmp_template(path);
		fd = mkostemps(a->tmp, 4, O_CLOEXEC);	/* O_EXCL, 0600 */
	}
	if (fd < 0 || stream(a, fd)) {
		int err = errno;
		if (fd >= 0 && a->tmp)
			unlink(a->tmp);
		free(a->tmp);
		a->tmp = NULL;
		return perr_set(e, EX_CANTCREAT, "%s: cannot create: %s", path, strerror(err));
	}
	a->path = xstrdup(path);
	return 0;
}

int afile_close(struct afile *a, struct perr *e)
{
	FILE *f = a->f;
	if (!f)
		return 0;
	a->f = NULL;
	int bad = fflush(f) != 0 || ferror(f);
	if (!bad && a->tmp && fsync(a->sink->fd) != 0) {
		bad = 1;
		a->sink->err = a->sink->err ? a->sink->err : errno;
	}
	if (fclose(f) != 0)
		bad = 1;
	int err = a->sink->err;
	free(a->sink);
	a->sink = NULL;
	if (!bad)
		return 0;
	int rc = perr_set(e, EX_IOERR, "%s: cannot write: %s", a->path, strerror(err ? err : EIO));
	afile_abort(a);
	return rc;
}

/* Renames tmp to path; with AFILE_NOREPLACE only when nothing is there. -1 and errno when not. */
static int move_into_place(const struct afile *a)
{
	if (!(a->flags & AFILE_NOREPLACE))
		return rename(a->tmp, a->path);
	if (renameat2(AT_FDCWD, a->tmp, AT_FDCWD, a->path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* a file system without RENAME_NOREPLACE: link() refuses an existing name as well */
	if (link(a->tmp, a->path) != 0)
		return -1;
	/* the file is in place; should the unlink fail, its second name is the same 0600 file */
	(void)unlink(a->tmp);
	return 0;
}

int afile_commit(struct afile *a, struct perr *e)
{
	int rc = afile_close(a, e);
	if (rc)
		return rc;
	if (a->tmp && move_into_place(a) != 0) {
		int err = errno;
		rc = err == EEXIST ? perr_set(e, EX_CANTCREAT, "%s: cannot create: %s (it is never overwritten)", a->path, strerror(err))
				   : perr_set(e, EX_CANTCREAT, "%s: cannot create: %s", a->path, strerror(err));
		afile_abort(a);
		return rc;
	}
	free(a->tmp);
	free(a->path);
	a->tmp = a->path = NULL;
	return 0;
}

void afile_abort(struct afile *a)
{
	if (a->f)
		fclose(a->f);	/* dropped: what it failed to write no longer matters */
	a->f = NULL;
	free(a->sink);
	a->sink = NULL;
	if (a->tmp)
		unlink(a->tmp);
	free(a->tmp);
	free(a->path);
	a->tmp = a->path = NULL;
}
