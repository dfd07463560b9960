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
#include "i18n.h"
#include "import.h"
#include "util.h"

struct rejects {
	struct afile file;	/* whole or not at all, like every output */
	struct out *o;
	int header_done;
	const char *path;
};

static void reject_row(void *p, struct csvin *in, const char *why)
{
	struct rejects *r = p;
	size_t nh = csvin_nheader(in), n = csvin_nfields(in) > nh ? csvin_nfields(in) : nh;
	const char **vals = xcalloc(n + 1, sizeof *vals);
	if (!r->header_done) {	/* the file's own columns, as they came: text */
		struct out_col *cols = xcalloc(nh + 1, sizeof *cols);
		for (size_t i = 0; i < nh; i++)
			cols[i].name = csvin_header(in, i);
		cols[nh].name = "error";
		out_header(r->o, cols, nh + 1);
		free(cols);
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

/* The summary line of an import: each kind of it one message for the translators. */
static void import_summary(struct cmd *cmd, const struct import *im)
{
	long ins = im->inserted, upd = im->updated, same = im->unchanged;
	if (cmd->c.dry_run) {
		if (im->sync && im->kind->sync_removes)
			cmd_progress_done(cmd, "dry run: inserted %ld, updated %ld, unchanged %ld, removed %ld", ins, upd, same, im->left);
		else if (im->sync)
			cmd_progress_done(cmd, "dry run: inserted %ld, updated %ld, unchanged %ld, left %ld", ins, upd, same, im->left);
		else if (im->links)
			cmd_progress_done(cmd, "dry run: inserted %ld, updated %ld, unchanged %ld; links added or changed %ld", ins, upd,
					  same, im->links);
		else
			cmd_progress_done(cmd, "dry run: inserted %ld, updated %ld, unchanged %ld", ins, upd, same);
	} else {
		if (im->sync && im->kind->sync_removes)
			cmd_progress_done(cmd, "inserted %ld, updated %ld, unchanged %ld, removed %ld", ins, upd, same, im->left);
		else if (im->sync)
			cmd_progress_done(cmd, "inserted %ld, updated %ld, unchanged %ld, left %ld", ins, upd, same, im->left);
		else if (im->links)
			cmd_progress_done(cmd, "inserted %ld, updated %ld, unchanged %ld; links added or changed %ld", ins, upd, same,
					  im->links);
		else
			cmd_progress_done(cmd, "inserted %ld, updated %ld, unchanged %ld", ins, upd, same);
	}
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
	im.can_reject = frame_opt_in_list(cmd->verb->opts, "rejects", 7) == 2;
	if ((rj.path = cmd_opt(cmd, "rejects"))) {
		if ((rc = afile_open(&rj.file, rj.path, 0, &cmd->err)))
			goto out;
		rj.o = out_new(rj.file.f, OUT_CSV);
		im.reject = reject_row;
		im.rctx = &rj;
	}
	if (cmd->c.dry_run) {
		static const struct out_col cols[] = { { "op", COL_TEXT }, { "kind", COL_TEXT }, { "id", COL_TEXT },
			{ "field", COL_TEXT }, { "old", COL_TEXT }, { "new", COL_TEXT } };
		dry = cmd_out(cmd);
		out_header(dry, cols, 6);
		sink.emit = dry_change;
		sink.ctx = dry;
		cmd->c.changes = &sink;
	}
	char what[512];
	snprintf(what, sizeof what, "%s %s", cmd->verb->name, csvin_name(in));
	im.progress = cmd_progress(cmd, what, 0, N_("rows"));
	rc = import_run(&im, &cmd->err);
	if (dry) {
		int r2 = cmd_out_done(cmd, dry);
		rc = rc ? rc : r2;
	}
out:
	if (rj.o) {
		out_finish(rj.o);	/* a failed write is found by afile_commit */
		out_free(rj.o);
		if (rc)
			afile_abort(&rj.file);
		else
			rc = afile_commit(&rj.file, &cmd->err);	/* in place before the good rows are committed */
	}
	if (!rc)
		import_summary(cmd, &im);
	if (!rc && im.reject)
		cmd_note(cmd, "applied %ld, rejected %ld", im.applied, im.rejected);
	cmd->c.changes = NULL;
	import_free(&im);
	csvin_close(in);
	return rc;
}
