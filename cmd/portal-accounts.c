/*
 * portal-accounts: the roster (students, guardians, staff, study groups):
 * imports, lists that can be edited and imported back, updates.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "csvout.h"
#include "frame.h"
#include "roster.h"
#include "util.h"
#include "values.h"

static int print_row(void *o, const char *const *vals, size_t n)
{
	return out_row(o, vals, n) ? EX_IOERR : 0;
}

static int need_file_arg(struct cmd *cmd)
{
	if (cmd->nargs == 0 && isatty(0))
		return perr_set(&cmd->err, EX_USAGE, "%s needs FILE (or - to read standard input)", cmd->verb->name);
	return 0;
}

static int sync_only_students(struct cmd *cmd, const char *kind)
{
	if (cmd_flag(cmd, "sync") && strcmp(kind, "students") != 0)
		return perr_set(&cmd->err, EX_USAGE, "--sync goes with import students only");
	return 0;
}

static int do_import_students(struct cmd *cmd)
{
	int rc = need_file_arg(cmd);
	return rc ? rc : cmd_run_import(cmd, &roster_import_students, 0);
}

static int do_import_guardians(struct cmd *cmd)
{
	int rc = need_file_arg(cmd);
	if (!rc)
		rc = sync_only_students(cmd, "guardians");
	return rc ? rc : cmd_run_import(cmd, &roster_import_guardians, 0);
}

static int do_import_staff(struct cmd *cmd)
{
	int rc = need_file_arg(cmd);
	if (!rc)
		rc = sync_only_students(cmd, "staff");
	return rc ? rc : cmd_run_import(cmd, &roster_import_staff, 0);
}

static int do_groups_import(struct cmd *cmd)
{
	int rc = need_file_arg(cmd);
	return rc ? rc : cmd_run_import(cmd, &roster_import_groups, 0);
}

static int do_groups_list(struct cmd *cmd)
{
	char cls[8];
	const char *c = cmd_opt(cmd, "class"), *why;
	if (c && value_class(c, cls, &why))
		return perr_set(&cmd->err, EX_USAGE, "--class \"%s\" %s", c, why);
	struct out *o = cmd_out(cmd);
	out_header(o, (const char *const *)roster_group_cols, roster_group_ncols);
	int rc = roster_list_groups(&cmd->c, c ? cls : NULL, print_row, o, &cmd->err);
	int r2 = cmd_out_done(cmd, o);
	return rc ? rc : r2;
}

typedef int (*list_fn)(struct ctx *, const struct roster_filter *, row_fn, void *, struct perr *);

static int list_people(struct cmd *cmd, const char *const *cols, size_t ncols, list_fn fn)
{
	char cls[8];
	const char *c = cmd_opt(cmd, "class"), *why;
	struct roster_filter f = { NULL, cmd_opt(cmd, "status") };
	if (c && value_class(c, cls, &why))
		return perr_set(&cmd->err, EX_USAGE, "--class \"%s\" %s", c, why);
	if (c)
		f.cls = cls;
	struct out *o = cmd_out(cmd);
	out_header(o, cols, ncols);
	int rc = fn(&cmd->c, &f, print_row, o, &cmd->err);
	int r2 = cmd_out_done(cmd, o);
	return rc ? rc : r2;
}

static int do_list_students(struct cmd *cmd)
{
	return list_people(cmd, roster_student_cols, roster_student_ncols, roster_list_students);
}

static int do_list_guardians(struct cmd *cmd)
{
	return list_people(cmd, roster_guardian_cols, roster_guardian_ncols, roster_list_guardians);
}

static int do_list_staff(struct cmd *cmd)
{
	return list_people(cmd, roster_staff_cols, roster_staff_ncols, roster_list_staff);
}

/* The update kind its header's id column tells. */
static const struct import_kind *update_kind(const char *header)
{
	if (strstr(header, "guardian_id") || strstr(header, "ид родителя"))
		return &roster_update_guardians;
	if (strstr(header, "staff_id") || strstr(header, "ид сотрудника"))
		return &roster_update_staff;
	return &roster_update_students;
}

/* Runs an update from a buffer standing in for standard input. */
static int update_from_buffer(struct cmd *cmd, const struct import_kind *k, char *buf, size_t len)
{
	FILE *in = fmemopen(buf, len ? len : 1, "r"), *saved = stdin;
	if (!in)
		return perr_set(&cmd->err, EX_OSERR, "cannot read the input");
	stdin = in;
	cmd->args[0] = "-";
	cmd->nargs = 1;
	int rc = cmd_run_import(cmd, k, 1);
	stdin = saved;
	fclose(in);
	return rc;
}

/* update: the kind is told by the id column of the header. */
static int do_update(struct cmd *cmd)
{
	const char *path = cmd_arg(cmd, 0);
	char *line = NULL;
	size_t cap = 0;
	int rc = need_file_arg(cmd);
	if (rc)
		return rc;
	if (path && strcmp(path, "-") != 0) {
		FILE *f = fopen(path, "rb");
		if (!f)
			return perr_set(&cmd->err, EX_NOINPUT, "%s: cannot read: %s", path, strerror(errno));
		ssize_t n = getline(&line, &cap, f);
		fclose(f);
		const struct import_kind *k = update_kind(n > 0 ? line : "");
		free(line);
		return cmd_run_import(cmd, k, 1);
	}
	/* standard input can be read once: keep it, tell the kind, then read it as the file */
	char *buf = NULL, chunk[65536];
	size_t len = 0, n;
	FILE *mem = open_memstream(&buf, &len);
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		fwrite(chunk, 1, n, mem);
	fclose(mem);
	if (cmd->nargs == 0) {
		static char *dash[] = { "-" };
		cmd->args = dash;
	}
	rc = update_from_buffer(cmd, update_kind(buf), buf, len);
	free(buf);
	return rc;
}

/* set ID FIELD=VALUE…: a one-row update. */
static int do_set(struct cmd *cmd)
{
	const char *id = cmd_arg(cmd, 0), *kind = cmd_opt(cmd, "kind");
	int rc;
	if (!id || cmd->nargs < 2)
		return perr_set(&cmd->err, EX_USAGE, "set needs ID and at least one FIELD=VALUE");
	if (!kind && (rc = roster_kind_of(cmd->c.store, id, &kind, &cmd->err)))
		return rc;
	if (!kind)
		return perr_set(&cmd->err, EX_DATAERR, "%s: no student, guardian or staff member has this id", id);
	const struct import_kind *k = strcmp(kind, "student") == 0 ? &roster_update_students
		: strcmp(kind, "guardian") == 0 ? &roster_update_guardians
		: strcmp(kind, "staff") == 0 ? &roster_update_staff : NULL;
	if (!k)
		return perr_set(&cmd->err, EX_USAGE, "--kind %s: expected student, guardian or staff", kind);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	fprintf(mem, "%s_id", kind);
	for (int i = 1; i < cmd->nargs; i++) {
		const char *eq = strchr(cmd->args[i], '=');
		if (!eq || eq == cmd->args[i]) {
			fclose(mem);
			free(buf);
			return perr_set(&cmd->err, EX_USAGE, "\"%s\": expected FIELD=VALUE", cmd->args[i]);
		}
		char field[128];
		snprintf(field, sizeof field, "%.*s", (int)(eq - cmd->args[i]), cmd->args[i]);
		fputc(',', mem);
		csv_write_field(mem, field, ',');
	}
	fputc('\n', mem);
	csv_write_field(mem, id, ',');
	for (int i = 1; i < cmd->nargs; i++) {
		fputc(',', mem);
		csv_write_field(mem, strchr(cmd->args[i], '=') + 1, ',');
	}
	fputc('\n', mem);
	fclose(mem);
	rc = update_from_buffer(cmd, k, buf, len);
	free(buf);
	return rc;
}

static const struct verb verbs[] = {
	{ "import students", "FILE [--sync] [--dry-run] [--rejects FILE]",
	  "add and update students by student_id; --sync: those of the file's classes not in it have left",
	  "sync,dry-run,rejects=", V_STORE | V_WRITE | V_INPUT, do_import_students },
	{ "import guardians", "FILE [--dry-run] [--rejects FILE]", "add and update guardians, one row per guardian–student link",
	  "sync,dry-run,rejects=", V_STORE | V_WRITE | V_INPUT, do_import_guardians },
	{ "import staff", "FILE [--dry-run] [--rejects FILE]", "add and update staff (admin)",
	  "sync,dry-run,rejects=", V_STORE | V_WRITE | V_INPUT, do_import_staff },
	{ "groups import", "FILE [--dry-run] [--rejects FILE]", "study groups, streams and individual plans (class,group,subject,student_id)",
	  "dry-run,rejects=", V_STORE | V_WRITE | V_INPUT, do_groups_import },
	{ "groups list", "[--class C]", "the members of study groups", "class=", V_STORE | V_READ, do_groups_list },
	{ "list students", "[--class C] [--status active|left|all]", "students, in the columns import reads, then login",
	  "class=,status=", V_STORE | V_READ, do_list_students },
	{ "list guardians", "[--class C] [--status active|left|all]", "guardians, one row per link, then login",
	  "class=,status=", V_STORE | V_READ, do_list_guardians },
	{ "list staff", "[--class C] [--status active|left|all]", "staff; --class: who leads it",
	  "class=,status=", V_STORE | V_READ, do_list_staff },
	{ "update", "FILE [--dry-run] [--rejects FILE]", "change existing people; the id column tells the kind, only given columns change",
	  "dry-run,rejects=", V_STORE | V_WRITE | V_INPUT, do_update },
	{ "set", "ID FIELD=VALUE... [--kind student|guardian|staff] [--dry-run]", "change fields of one person",
	  "kind=,dry-run", V_STORE | V_WRITE, do_set },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

static const struct tool tool = { "portal-accounts", "portal-accounts: students, guardians, staff and study groups", verbs };

int main(int argc, char **argv)
{
	return frame_main(&tool, argc, argv);
}
