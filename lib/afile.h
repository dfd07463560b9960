/*
 * afile.h: an output file that is written whole or not at all. It is written
 * under a temporary name beside its final one (the same directory, so the
 * rename is atomic), created new (O_EXCL) with mode 0600 (outputs hold
 * personal data), and moved into place only once every byte is on the disk:
 * flushed, checked for a write error, fsynced and closed. A full disk, an
 * error or an abort leaves nothing under the final name and no temporary file.
 *
 * A library that writes by name (libxlsxwriter) may write a->tmp itself;
 * afile_close's fsync covers what it wrote, as it is the same file.
 */
#ifndef PORTAL_AFILE_H
#define PORTAL_AFILE_H

#include <stdio.h>

#include "err.h"

enum {
	AFILE_NOREPLACE = 1 << 0,	/* never replaces a file under the final name (secrets): 73 when one is there */
};

struct afile_sink;

struct afile {
	FILE *f;		/* write here; NULL once closed */
	struct afile_sink *sink;	/* the descriptor under f and the reason of a write that failed */
	char *path;		/* the final name */
	char *tmp;		/* the temporary name beside it; NULL once moved into place or removed */
	int flags;
};

/* Creates the temporary file for path. 73 when it cannot (nothing is left then). */
int afile_open(struct afile *a, const char *path, int flags, struct perr *e);
/* Completes the file under its temporary name: fflush, ferror, fsync, fclose. 74 naming the final
 * name and the reason when any of them fails; the temporary file is removed then. */
int afile_close(struct afile *a, struct perr *e);
/* Closes the file when still open and moves it to its final name. 74 when it cannot be completed,
 * 73 when AFILE_NOREPLACE finds a file there or the move fails; nothing is left then. Frees a's names. */
int afile_commit(struct afile *a, struct perr *e);
/* Drops the file: closes it when open, removes the temporary one, frees a's names. Safe on an
 * afile that is already committed, aborted, or zeroed. */
void afile_abort(struct afile *a);

#endif
