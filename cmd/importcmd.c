/*
 * importcmd.c: the command side of every import: row errors on stderr,
 * --rejects FILE, --dry-run's change list, the summary line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "import.h"
#include "util.h"

struct rejects {
	FILE *f;
	struct out *o;
	int header_done;
	const char *path;
};

static void reject_row(void *p, struct csvin *in, const char *why)
{
	struct rejects *r = p;
	size_t nh = csvin_nheader(in), n = csvin_nfields(in) > nh ? csvin_nfields(in) : nh;
	const char **vals = xcalloc(n + 1, sizeof *vals);
	if (!r->header_done) {
		for (size_t i = 0; i < nh; i++)
			vals[i] = csvin_header(in, i);
		vals[nh] = "error";
		out_header(r->o, vals, nh + 1);
		r->header_done = 1;
	}
	for (size_t i = 0; i < nh; i++)
		vals[i] = csvin_field(in, i);
	vals[nh] = why;
	out_row(r->o, vals, nh + 1);
	free(vals);
}

static void dry_change(void *o, const char *op, const char *kind, const char *id, const char *field,
		       const char *old, const char *new_)
{
	const char *vals[] = { op, kind, id, field, old, new_ };
	out_row(o, vals, 6);
}

int cmd_run_import(struct cmd *cmd, const struct import_kind *kind, int update_only)
{
	struct csvin *in;
	struct import im;
	struct rejects rj = { 0 };
	struct out *dry = NULL;
	struct change_sink sink;
	int rc = cmd_open_input(cmd, 0, &in);
	if (rc)
		return rc;
	import_init(&im, &cmd->c, in, kind);
	im.errors.report = cmd_row_error;
	im.errors.ctx = cmd;
	im.warn = cmd_warn_cb;
	im.wctx = cmd;
	im.sync = cmd_flag(cmd, "sync");
	im.update_only = update_only;
	if ((rj.path = cmd_opt(cmd, "rejects"))) {
		int fd = open(rj.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || !(rj.f = fdopen(fd, "w"))) {
			rc = perr_set(&cmd->err, EX_CANTCREAT, "%s: cannot create: %s", rj.path, strerror(errno));
			goto out;
		}
		rj.o = out_new(rj.f, OUT_CSV);
		im.reject = reject_row;
		im.rctx = &rj;
	}
	if (cmd->c.dry_run) {
		static const char *const cols[] = { "op", "kind", "id", "field", "old", "new" };
		dry = cmd_out(cmd);
		out_header(dry, cols, 6);
		sink.emit = dry_change;
		sink.ctx = dry;
		cmd->c.changes = &sink;
	}
	rc = import_run(&im, &cmd->err);
	if (dry) {
		int r2 = cmd_out_done(cmd, dry);
		rc = rc ? rc : r2;
	}
	if (!rc) {
		if (im.sync)
			cmd_note(cmd, "%sinserted %ld, updated %ld, unchanged %ld, %s %ld", cmd->c.dry_run ? "dry run: " : "",
				 im.inserted, im.updated, im.unchanged, kind->left_word ? kind->left_word : "left", im.left);
		else if (im.links)
			cmd_note(cmd, "%sinserted %ld, updated %ld, unchanged %ld; links added or changed %ld",
				 cmd->c.dry_run ? "dry run: " : "", im.inserted, im.updated, im.unchanged, im.links);
		else
			cmd_note(cmd, "%sinserted %ld, updated %ld, unchanged %ld", cmd->c.dry_run ? "dry run: " : "",
				 im.inserted, im.updated, im.unchanged);
	}
	if (!rc && im.reject)
		fprintf(stderr, "applied %ld, rejected %ld\n", im.applied, im.rejected);
out:
	if (rj.o) {
		int r3 = out_finish(rj.o);
		out_free(rj.o);
		if (r3 && !rc)
			rc = perr_set(&cmd->err, EX_IOERR, "%s: write error", rj.path);
	}
	if (rj.f && fclose(rj.f) && !rc)
		rc = perr_set(&cmd->err, EX_IOERR, "%s: write error", rj.path);
	cmd->c.changes = NULL;
	import_free(&im);
	csvin_close(in);
	return rc;
}
