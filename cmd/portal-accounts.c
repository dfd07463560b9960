/*
 * portal-accounts: the roster (students, guardians, staff, study groups):
 * imports, lists that can be edited and imported back, updates.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include <sodium.h>

#include "accounts.h"
#include "actor.h"
#include "breach.h"
#include "config.h"
#include "csvout.h"
#include "slips.h"
#include "frame.h"
#include "roster.h"
#include "progress.h"
#include "strmap.h"
#include "util.h"
#include "values.h"

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
	const char *c;
	int rc = cmd_class(cmd, cls, &c);
	if (rc)
		return rc;
	struct out *o = cmd_out(cmd);
	out_header(o, roster_group_cols, roster_group_ncols);
	rc = roster_list_groups(&cmd->c, c, cmd_print_row, o, &cmd->err);
	int r2 = cmd_out_done(cmd, o);
	return rc ? rc : r2;
}

typedef int (*list_fn)(struct ctx *, const struct roster_filter *, row_fn, void *, struct perr *);

static int list_people(struct cmd *cmd, const struct out_col *cols, size_t ncols, list_fn fn)
{
	char cls[8];
	struct roster_filter f = { NULL, cmd_opt(cmd, "status"), cmd_flag(cmd, "locked"), cmd_flag(cmd, "without-account") };
	int rc = cmd_class(cmd, cls, &f.cls);
	if (rc)
		return rc;
	struct out *o = cmd_out(cmd);
	out_header(o, cols, ncols);
	rc = fn(&cmd->c, &f, cmd_print_row, o, &cmd->err);
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

/* The update kind its header's id column tells: guardian_id, staff_id, else student_id. The header
 * is read as the import reads it: in its encoding (cp1251, UTF-16), in any case. */
static int update_kind(struct cmd *cmd, const struct import_kind **k)
{
	static const struct csv_col ids[] = { { "guardian_id", "ид родителя", 0 }, { "staff_id", "ид сотрудника", 0 } };
	struct csvin *in;
	int rc = cmd_open_input(cmd, 0, &in);
	if (rc)
		return rc;
	rc = csvin_map(in, ids, 2, NULL, NULL, &cmd->err);
	*k = csvin_has(in, 0) ? &roster_update_guardians : csvin_has(in, 1) ? &roster_update_staff : &roster_update_students;
	csvin_close(in);
	return rc;
}

/* Runs an update from a buffer standing in for standard input (k NULL: the header tells the kind). */
static int update_from_buffer(struct cmd *cmd, const struct import_kind *k, char *buf, size_t len)
{
	FILE *in = fmemopen(buf, len ? len : 1, "r"), *saved = stdin;
	if (!in)
		return perr_set(&cmd->err, EX_OSERR, "cannot read the input");
	stdin = in;
	cmd->args[0] = "-";
	cmd->nargs = 1;
	int rc = k ? 0 : update_kind(cmd, &k);
	rewind(in);
	if (!rc)
		rc = cmd_run_import(cmd, k, 1);
	stdin = saved;
	fclose(in);
	return rc;
}

/* update: the kind is told by the id column of the header. */
static int do_update(struct cmd *cmd)
{
	const char *path = cmd_arg(cmd, 0);
	const struct import_kind *k;
	int rc = need_file_arg(cmd);
	if (rc)
		return rc;
	if (path && strcmp(path, "-") != 0)
		return (rc = update_kind(cmd, &k)) ? rc : cmd_run_import(cmd, k, 1);
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
	rc = update_from_buffer(cmd, NULL, buf, len);
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
	for (int i = 1; i < cmd->nargs; i++) {
		const char *eq = strchr(cmd->args[i], '=');
		size_t c = 1, flen = eq ? (size_t)(eq - cmd->args[i]) : 0;
		while (c < k->ncols && (strlen(k->cols[c].name) != flen || strncmp(k->cols[c].name, cmd->args[i], flen) != 0))
			c++;
		if (eq && flen && (c == k->ncols || strcmp(k->cols[c].name, "login") == 0))
			return perr_set(&cmd->err, EX_USAGE, "set: a %s has no field \"%.*s\" that set changes (see portal-accounts list %s)",
					kind, (int)flen, cmd->args[i], strcmp(kind, "staff") ? (strcmp(kind, "student") ? "guardians" : "students") : "staff");
	}
	char label[160];
	snprintf(label, sizeof label, "set %s", id);
	cmd->input_name = label;
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

/* ---- credentials ---- */

static void show_progress(void *p, size_t done, size_t total)
{
	progress_set(p, (long)done);
}

static int write_issue_csv(struct cmd *cmd, const struct issue_plan *p, const char *url)
{
	static const struct out_col cols[] = { { "kind", COL_TEXT }, { "person_id", COL_TEXT },
		{ "full_name", COL_TEXT }, { "class", COL_TEXT }, { "login", COL_TEXT }, { "password", COL_TEXT },
		{ "portal_url", COL_TEXT } };
	struct out *o = out_new(cmd->out, cmd_flag(cmd, "excel") ? OUT_EXCEL : OUT_CSV);
	out_header(o, cols, 7);
	for (size_t i = 0; i < p->n; i++) {
		const struct issue_item *it = &p->items[i];
		const char *vals[] = { it->kind, it->person_id, it->full_name, it->cls, it->login,
				       it->password ? it->password : "", url };
		out_row(o, vals, 7);
	}
	return cmd_out_done(cmd, o);
}

static int issue_output(struct cmd *cmd, const struct issue_plan *p, const char *fmt)
{
	char url[512], school[512], support[512];
	int rc;
	if ((rc = config_get(cmd->c.store, "portal.url", url, sizeof url, &cmd->err)) ||
	    (rc = config_get(cmd->c.store, "school.name", school, sizeof school, &cmd->err)) ||
	    (rc = config_get(cmd->c.store, "support.contact", support, sizeof support, &cmd->err)))
		return rc;
	struct slip_info info = { school, url, support };
	const char *where = cmd->output_path ? cmd->output_path : "standard output";
	if (strcmp(fmt, "txt") == 0) {
		if (slips_write_txt(cmd->out, &info, p) || fflush(cmd->out))
			return perr_set(&cmd->err, EX_IOERR, "%s: write error: %s", where, strerror(errno));
		return 0;
	}
	if (strcmp(fmt, "pdf") == 0) {
		if ((rc = slips_write_pdf(cmd->out, &info, p, cmd->c.now, &cmd->err))) {
			char why[sizeof cmd->err.msg];
			str_copy(why, sizeof why, cmd->err.msg);
			return perr_set(&cmd->err, rc, "%s: %s", where, why);
		}
		if (fflush(cmd->out))
			return perr_set(&cmd->err, EX_IOERR, "%s: write error: %s", where, strerror(errno));
		return 0;
	}
	return write_issue_csv(cmd, p, url);
}

/* The plan's notes on stderr: who was left out and why. */
static void issue_notes(struct cmd *cmd, const struct issue_plan *p)
{
	if (p->held_back)
		cmd_note(cmd, ngettext("%ld guardian left out: a child of theirs is in a class %s may not write (an admin issues theirs)",
				       "%ld guardians left out: a child of theirs is in a class %s may not write (an admin issues theirs)",
				       (unsigned long)p->held_back), p->held_back, cmd->c.actor->login);
	if (p->have_account)
		cmd_note(cmd, ngettext("%ld of the people given has an account already (--reissue gives new passwords)",
				       "%ld of the people given have an account already (--reissue gives new passwords)",
				       (unsigned long)p->have_account), p->have_account);
}

/* Plans, hashes and stores the credentials, and writes them out. */
static int issue_run(struct cmd *cmd, const struct issue_opts *o, const char *fmt, int by_ids)
{
	struct issue_plan plan;
	int rc, placed = 0;
	if ((rc = store_begin_read(cmd->c.store, &cmd->err)))
		return rc;
	rc = issue_plan_make(&cmd->c, o, &plan, &cmd->err);
	store_rollback(cmd->c.store);
	if (!rc)
		issue_notes(cmd, &plan);
	/* no slips document (and no -o file) for nobody; CSV of a class keeps its header */
	if (!rc && !plan.n && (by_ids || strcmp(fmt, "csv") != 0)) {
		if (cmd->c.dry_run)
			cmd_note(cmd, "dry run: nobody to issue credentials for: nothing written");
		else
			cmd_note(cmd, "nobody to issue credentials for: nothing written");
		issue_plan_free(&plan);
		return 0;
	}
	if (!rc)
		rc = cmd_open_output(cmd);
	if (rc) {
		issue_plan_free(&plan);
		return rc;
	}
	if (cmd->c.dry_run) {
		rc = write_issue_csv(cmd, &plan, "");
		cmd_note(cmd, ngettext("dry run: %zu account would be issued", "dry run: %zu accounts would be issued", plan.n), plan.n);
		issue_plan_free(&plan);
		return rc;
	}
	rc = issue_plan_hash(&plan, show_progress, cmd_progress(cmd, "hashing passwords", (long)plan.n, N_("accounts")),
			     &cmd->err);
	if (!rc && !(rc = store_begin_write(cmd->c.store, &cmd->err))) {
		rc = issue_plan_store(&cmd->c, &plan, &cmd->err);
		/* the passwords reach their file, whole and under its name, before the accounts exist:
		 * a failed write leaves no unknown password */
		if (!rc)
			rc = issue_output(cmd, &plan, fmt);
		if (!rc && !(rc = cmd_commit_output(cmd)))
			placed = cmd->output_path != NULL;
		if (!rc)
			rc = store_commit(cmd->c.store, &cmd->err);
		else
			store_rollback(cmd->c.store);
	}
	if (rc && placed)
		unlink(cmd->output_path);	/* passwords of accounts that were not made */
	if (!rc)
		cmd_progress_done(cmd, ngettext("issued %zu account", "issued %zu accounts", plan.n), plan.n);
	issue_plan_free(&plan);
	return rc;
}

/* issue: by --class (or every class the actor may write), or exactly the people of the ids in
 * FILE, - or a pipe (SPEC §2). */
static int do_issue(struct cmd *cmd)
{
	const char *fmt = cmd_opt(cmd, "format") ? cmd_opt(cmd, "format") : "csv", *out = cmd_opt(cmd, "output");
	char cls[8];
	struct issue_opts o = { NULL, cmd_opt(cmd, "who"), cmd_flag(cmd, "reissue"), NULL, NULL, NULL };
	int rc;
	if (strcmp(fmt, "csv") && strcmp(fmt, "txt") && strcmp(fmt, "pdf"))
		return perr_set(&cmd->err, EX_USAGE, "--format %s: issue writes csv, txt or pdf", fmt);
	if (!strcmp(fmt, "pdf") && !cmd->c.dry_run && (!out || !strcmp(out, "-")) && isatty(1))
		return perr_set(&cmd->err, EX_USAGE, "--format pdf: a document for the printer; give -o FILE or a pipe, not a terminal");
	if ((rc = cmd_class(cmd, cls, &o.cls)))
		return rc;
	if (!cmd->by_ids)
		return issue_run(cmd, &o, fmt, 0);
	if (!cmd->people.students.n && !cmd->people.guardians.n)
		return 0;	/* nobody: nothing written (the frame said so) */
	o.students = &cmd->people.students;
	o.guardians = &cmd->people.guardians;
	o.ids_name = cmd->ids_name;
	return issue_run(cmd, &o, fmt, 1);
}

/* Reads one line of standard input into a guarded buffer (a password). */
static char *read_secret(struct cmd *cmd)
{
	char *buf = sodium_malloc(1024);
	if (!buf)
		return NULL;
	if (!fgets(buf, 1024, stdin)) {
		buf[0] = '\0';
		return buf;
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	return buf;
}

static int do_verify(struct cmd *cmd)
{
	const char *login = cmd_arg(cmd, 0);
	if (!login)
		return perr_set(&cmd->err, EX_USAGE, "verify needs LOGIN (the password comes on standard input)");
	char *pw = read_secret(cmd);
	if (!pw)
		return perr_set(&cmd->err, EX_OSERR, "cannot lock memory for the password");
	int rc = account_verify(cmd->c.store, login, pw, &cmd->err);
	sodium_free(pw);
	return rc;
}

static int do_passwd(struct cmd *cmd)
{
	const char *login = cmd_arg(cmd, 0);
	if (!login)
		return perr_set(&cmd->err, EX_USAGE, "passwd needs LOGIN (the new password comes on standard input)");
	char *pw = read_secret(cmd);
	if (!pw)
		return perr_set(&cmd->err, EX_OSERR, "cannot lock memory for the password");
	int rc = account_passwd(&cmd->c, login, pw, &cmd->err);
	sodium_free(pw);
	return rc;
}

static int do_lock(struct cmd *cmd)
{
	const char *login = cmd_arg(cmd, 0);
	if (!login)
		return perr_set(&cmd->err, EX_USAGE, "lock needs LOGIN and --reason TEXT");
	return account_lock(&cmd->c, login, cmd_opt(cmd, "reason"), &cmd->err);
}

static int do_unlock(struct cmd *cmd)
{
	const char *login = cmd_arg(cmd, 0);
	if (!login)
		return perr_set(&cmd->err, EX_USAGE, "unlock needs LOGIN");
	return account_unlock(&cmd->c, login, &cmd->err);
}

static int timestamp_opt(struct cmd *cmd, const char *name, char out[21])
{
	char tz[64];
	const char *v = cmd_opt(cmd, name), *why;
	int rc = config_get(cmd->c.store, "school.timezone", tz, sizeof tz, &cmd->err);
	if (rc)
		return rc;
	if (!v)
		return perr_set(&cmd->err, EX_USAGE, "breach needs --%s TS", name);
	if (value_timestamp(v, tz, out, &why))
		return perr_set(&cmd->err, EX_USAGE, "--%s \"%s\" %s", name, v, why);
	return 0;
}

struct breach_out {
	struct cmd *cmd;
	struct out *out;
	long not_undone;
};

/* An invalidated operation: a row of the list; one that could not be undone is named on stderr too. */
static int breach_row(void *p, const char *const *vals, size_t n)
{
	struct breach_out *b = p;
	if (n > 6 && *vals[6]) {
		b->not_undone++;
		cmd_error(b->cmd, "audit record %s (%s %s): not undone: %s", vals[0], vals[4], vals[5], vals[6]);
	}
	return cmd_print_row(b->out, vals, n);
}

static int do_breach(struct cmd *cmd)
{
	char found[21], reported[21];
	long n = 0;
	struct breach b = { cmd_arg(cmd, 0), found, reported, cmd_opt(cmd, "reported-to") };
	int rc;
	if (!b.login)
		return perr_set(&cmd->err, EX_USAGE, "breach needs LOGIN --discovered-at TS --reported-at TS");
	if ((rc = timestamp_opt(cmd, "discovered-at", found)) || (rc = timestamp_opt(cmd, "reported-at", reported)))
		return rc;
	/* the list goes out only when the breach is registered: a refusal prints nothing */
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	static const struct out_col cols[] = { { "seq", COL_NUMBER }, { "at", COL_TEXT }, { "actor", COL_TEXT },
		{ "tool", COL_TEXT }, { "action", COL_TEXT }, { "object", COL_TEXT }, { "undo_error", COL_TEXT } };
	struct out *o = out_new(mem, cmd->fmt);
	struct breach_out bo = { cmd, o, 0 };
	out_header(o, cols, 7);
	rc = breach_register(&cmd->c, &b, &n, breach_row, &bo, &cmd->err);
	out_finish(o);
	out_free(o);
	fclose(mem);
	if (!rc && fwrite(buf, 1, len, cmd->out) != len)
		rc = perr_set(&cmd->err, EX_IOERR, "write error: %s", strerror(errno));
	free(buf);
	if (!rc)
		cmd_note(cmd, bo.not_undone ? ngettext("%s locked; %ld operation after the report invalidated (some not undone: see above)",
						       "%s locked; %ld operations after the report invalidated (some not undone: see above)",
						       (unsigned long)n)
					    : ngettext("%s locked; %ld operation after the report invalidated",
						       "%s locked; %ld operations after the report invalidated", (unsigned long)n),
			 b.login, n);
	return rc;
}

static int do_breaches(struct cmd *cmd)
{
	if (!actor_may_read_all(cmd->c.actor))
		return perr_set(&cmd->err, EX_NOPERM, "not permitted: %s (%s) lacks the right to read leaked logins: admins and deputies have it",
				cmd->c.actor->login, cmd->c.actor->role);
	struct out *o = cmd_out(cmd);
	out_header(o, breach_cols, breach_ncols);
	int rc = breach_list(&cmd->c, cmd_print_row, o, &cmd->err);
	int r2 = cmd_out_done(cmd, o);
	return rc ? rc : r2;
}

static const struct verb verbs[] = {
	{ "import students", "FILE [--sync] [--dry-run] [--rejects FILE]",
	  N_("add and update students by student_id; --sync: those of the file's classes not in it have left"),
	  "sync,dry-run,rejects=", V_STORE | V_WRITE | V_INPUT, do_import_students },
	{ "import guardians", "FILE [--dry-run] [--rejects FILE]", N_("add and update guardians, one row per guardian–student link"),
	  "sync,dry-run,rejects=", V_STORE | V_WRITE | V_INPUT, do_import_guardians },
	{ "import staff", "FILE [--dry-run] [--rejects FILE]", N_("add and update staff (admin)"),
	  "sync,dry-run,rejects=", V_STORE | V_WRITE | V_INPUT, do_import_staff },
	{ "groups import", "FILE [--dry-run] [--rejects FILE]", N_("study groups, streams and individual plans (class,group,subject,student_id)"),
	  "dry-run,rejects=", V_STORE | V_WRITE | V_INPUT, do_groups_import },
	{ "groups list", "[--class C | --all | FILE|-]", N_("the members of study groups; FILE: of the students (and guardians' "
	  "children) of its student_id/guardian_id"), "class=,all", V_STORE | V_READ | V_INPUT | V_PEOPLE, do_groups_list },
	{ "list students", "[--class C | --all | FILE|-] [--status active|left|all] [--locked] [--without-account]",
	  N_("students, in the columns import reads, then login; FILE: the students (and guardians' children) of its "
	  "student_id/guardian_id"),
	  "class=,all,status=,locked,without-account", V_STORE | V_READ | V_INPUT | V_PEOPLE, do_list_students },
	{ "list guardians", "[--class C | --all | FILE|-] [--status active|left|all] [--locked] [--without-account]",
	  N_("guardians, one row per link, then login; FILE: the guardians (and students' guardians) of its "
	  "student_id/guardian_id"),
	  "class=,all,status=,locked,without-account", V_STORE | V_READ | V_INPUT | V_PEOPLE, do_list_guardians },
	{ "list staff", "[--class C | --all] [--status active|left|all] [--locked] [--without-account]",
	  N_("staff; --class: who leads it; --all: every one (as without it: staff are given by no ids)"),
	  "class=,all,status=,locked,without-account", V_STORE | V_READ, do_list_staff },
	{ "update", "FILE [--dry-run] [--rejects FILE]", N_("change existing people; the id column tells the kind, only given columns change"),
	  "dry-run,rejects=", V_STORE | V_WRITE | V_INPUT, do_update },
	{ "set", "ID FIELD=VALUE... [--kind student|guardian|staff] [--dry-run]", N_("change fields of one person"),
	  "kind=,dry-run", V_STORE | V_WRITE, do_set },
	{ "issue", "[--class C | --all | FILE|-] [--who students|guardians|staff|all] [--reissue] [--format csv|txt|pdf] [-o FILE] [--dry-run]",
	  N_("credentials for those who have none (--reissue: new passwords for all) of a class, or exactly the people "
	  "of FILE's (or a pipe's) student_id/guardian_id; passwords appear here only"),
	  "class=,all,who=,reissue,dry-run", V_STORE | V_READ | V_INPUT | V_PEOPLE | V_SECRET_OUTPUT | V_OWN_FORMAT | V_LATE_OUTPUT,
	  do_issue },
	{ "verify", "LOGIN", N_("the password on standard input: exit 0 it matches, 1 it does not or the login is locked"),
	  "", V_STORE, do_verify },
	{ "passwd", "LOGIN", N_("a new password from standard input (at least 8 characters, not the login)"),
	  "", V_STORE | V_WRITE, do_passwd },
	{ "lock", "LOGIN --reason TEXT", N_("lock a login"), "reason=", V_STORE | V_WRITE, do_lock },
	{ "unlock", "LOGIN", N_("unlock a login"), "", V_STORE | V_WRITE, do_unlock },
	{ "breach", "LOGIN --discovered-at TS --reported-at TS [--reported-to TEXT]",
	  N_("register a leaked login: lock it, set its deadline, invalidate what was done with it after the report"),
	  "discovered-at=,reported-at=,reported-to=", V_STORE | V_WRITE, do_breach },
	{ "breaches", "", N_("the leaked logins, their deadlines and what they invalidated"), "", V_STORE | V_READ, do_breaches },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

static const struct tool tool = { "portal-accounts", N_("portal-accounts: students, guardians, staff and study groups"), verbs };

int main(int argc, char **argv)
{
	return frame_main(&tool, argc, argv);
}
