/*
 * portal-db: the store itself: create, migrate, settings, the production
 * calendar, backup, integrity and the audit log.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "access.h"
#include "actor.h"
#include "audit.h"
#include "auditlog.h"
#include "calendar.h"
#include "config.h"
#include "frame.h"
#include "import.h"
#include "journal.h"
#include "roster.h"
#include "util.h"
#include "values.h"
#include "witness.h"

/* A witness path as given on the command line, made absolute: every command finds the same file. */
static int witness_arg(struct cmd *cmd, const char *given, char *out, size_t outlen)
{
	char cwd[4096];
	if (!*given)
		return perr_set(&cmd->err, EX_USAGE, "the witness needs a FILE (kept apart from the store)");
	if (given[0] == '/')
		return str_copy(out, outlen, given) ? perr_set(&cmd->err, EX_USAGE, "witness %s: the path is too long", given) : 0;
	if (!getcwd(cwd, sizeof cwd))
		return perr_set(&cmd->err, EX_OSERR, "cannot tell the current directory: %s", strerror(errno));
	if ((size_t)snprintf(out, outlen, "%s/%s", cwd, given) >= outlen)
		return perr_set(&cmd->err, EX_USAGE, "witness %s: the path is too long", given);
	return 0;
}

static int do_init(struct cmd *cmd)
{
	const char *admin = cmd_opt(cmd, "admin");
	const char *db = cmd_opt(cmd, "db"), *wopt = cmd_opt(cmd, "witness");
	char witness[4096] = "";
	int nonempty = 0;
	if (!admin || !*admin)
		return perr_set(&cmd->err, EX_USAGE, "init needs --admin LOGIN (the first admin's login)");
	if (!db)
		db = getenv("PORTAL_DB");
	if (!db || !*db)
		db = "portal.db";
	int rc = wopt ? witness_arg(cmd, wopt, witness, sizeof witness) : 0;
	if (!rc && wopt && access(db, F_OK) == 0)
		rc = perr_set(&cmd->err, EX_CANTCREAT, "%s: exists already (init makes a new store)", db);
	/* found before the store exists: a new store's witness starts empty, not with another store's heads */
	if (!rc && wopt && !(rc = witness_probe(witness, &nonempty, &cmd->err)) && nonempty)
		rc = perr_set(&cmd->err, EX_CANTCREAT, "witness %s holds heads already (another store's?): give a new file",
			      witness);
	if (!rc)
		rc = store_open(db, STORE_CREATE, &cmd->c.store, &cmd->err);
	if (rc)
		return rc;
	struct passwd *pw = getpwuid(geteuid());
	struct actor a = { 0 };
	str_copy(a.login, sizeof a.login, admin);
	str_copy(a.staff_id, sizeof a.staff_id, admin);
	str_copy(a.role, sizeof a.role, "admin");
	cmd->c.actor = NULL;
	const char *last = cmd_opt(cmd, "last-name"), *first = cmd_opt(cmd, "first-name"), *mid = cmd_opt(cmd, "middle-name");
	if ((rc = store_begin_write(cmd->c.store, &cmd->err)))
		return rc;
	cmd->c.actor = &a;
	rc = roster_create_admin(&cmd->c, admin, last, first, mid, pw ? pw->pw_name : NULL, &cmd->err);
	if (!rc && *witness)
		rc = config_set(&cmd->c, "audit.witness", witness, &cmd->err);
	cmd->c.actor = NULL;
	if (!rc)
		rc = store_commit(cmd->c.store, &cmd->err);
	if (rc) {
		store_discard(cmd->c.store);
		cmd->c.store = NULL;
		return rc;
	}
	cmd_note(cmd, "created %s (schema %d) with admin %s", db, store_binary_schema_version(), admin);
	return 0;
}

static int do_migrate(struct cmd *cmd)
{
	int applied = 0, before = store_schema_version(cmd->c.store);
	long chained = 0;
	int rc = store_migrate(cmd->c.store, &applied, &cmd->err);
	if (!rc)
		cmd_note(cmd, ngettext("schema %d → %d (%d migration applied)", "schema %d → %d (%d migrations applied)",
				       (unsigned long)applied), before, store_schema_version(cmd->c.store), applied);
	/* marks of invalid operations from before 008 get their records in the chain (again after a crash) */
	if (!rc && !(rc = store_begin_write(cmd->c.store, &cmd->err))) {
		rc = audit_chain_old_invalidations(&cmd->c, &chained, &cmd->err);
		rc = rc ? (store_rollback(cmd->c.store), rc) : store_commit(cmd->c.store, &cmd->err);
	}
	if (!rc && chained)
		cmd_note(cmd, ngettext("%ld older invalidation recorded in the audit chain",
				       "%ld older invalidations recorded in the audit chain", (unsigned long)chained), chained);
	return rc;
}

static int do_version(struct cmd *cmd)
{
	struct out *o = cmd_out(cmd);
	static const struct out_col cols[] = { { "binary", COL_TEXT }, { "schema_binary", COL_NUMBER },
		{ "schema_store", COL_NUMBER } };
	char sb[16], ss[16];
	snprintf(sb, sizeof sb, "%d", store_binary_schema_version());
	snprintf(ss, sizeof ss, "%d", store_schema_version(cmd->c.store));
	const char *vals[] = { PORTAL_VERSION, sb, ss };
	out_header(o, cols, 3);
	out_row(o, vals, 3);
	return cmd_out_done(cmd, o);
}

static int do_config(struct cmd *cmd)
{
	const char *key = cmd_arg(cmd, 0), *value = cmd_arg(cmd, 1);
	char buf[1024];
	int rc = 0;
	if (cmd->nargs > 2)
		return perr_set(&cmd->err, EX_USAGE, "config takes KEY and VALUE (quote a value with spaces)");
	if (key && !config_find(key))
		return perr_set(&cmd->err, EX_USAGE, "%s: no such setting (portal-db config lists them)", key);
	if (value && strcmp(key, "audit.witness") == 0 && *value) {
		if ((rc = witness_arg(cmd, value, buf, sizeof buf)))
			return rc;
		value = buf;
	}
	if (value) {
		int nonempty;
		if ((rc = actor_require_admin(cmd->c.actor, "change settings", &cmd->err)))
			return rc;
		/* a witness that cannot be written is refused before the setting is */
		if (strcmp(key, "audit.witness") == 0 && *value && (rc = witness_probe(value, &nonempty, &cmd->err)))
			return rc;
		if ((rc = store_begin_write(cmd->c.store, &cmd->err)))
			return rc;
		if ((rc = config_set(&cmd->c, key, value, &cmd->err))) {
			store_rollback(cmd->c.store);
			return rc;
		}
		return store_commit(cmd->c.store, &cmd->err);
	}
	if (key) {
		if ((rc = config_get(cmd->c.store, key, buf, sizeof buf, &cmd->err)))
			return rc;
		printf("%s\n", buf);
		return 0;
	}
	struct out *o = cmd_out(cmd);
	static const struct out_col cols[] = { { "key", COL_TEXT }, { "value", COL_TEXT } };
	out_header(o, cols, 2);
	for (size_t i = 0; i < config_key_count && !rc; i++) {
		rc = config_get(cmd->c.store, config_keys[i].key, buf, sizeof buf, &cmd->err);
		const char *vals[] = { config_keys[i].key, buf };
		if (!rc)
			out_row(o, vals, 2);
	}
	int rc2 = cmd_out_done(cmd, o);
	return rc ? rc : rc2;
}

/* ---- calendar ---- */

enum { CAL_DATE, CAL_KIND, CAL_N };
static const struct csv_col calendar_cols[CAL_N] = {
	{ "date", "дата", 1 },
	{ "kind", "тип|вид дня|вид", 1 },
};

static int calendar_row(struct import *im, struct perr *e)
{
	char date[11], kind[64];
	const char *why, *raw = import_get(im, CAL_DATE), *k = import_get(im, CAL_KIND);
	if (value_date(raw, date, &why))
		import_error(im, "date", "\"%s\" %s", raw, why);
	utf8_lower(k, kind, sizeof kind);
	if (strcmp(kind, "выходной") == 0 || strcmp(kind, "праздник") == 0)
		str_copy(kind, sizeof kind, "dayoff");
	else if (strcmp(kind, "сокращённый") == 0 || strcmp(kind, "сокращенный") == 0)
		str_copy(kind, sizeof kind, "short");
	else if (strcmp(kind, "рабочий") == 0)
		str_copy(kind, sizeof kind, "workday");
	if (strcmp(kind, "dayoff") && strcmp(kind, "short") && strcmp(kind, "workday"))
		import_error(im, "kind", "\"%s\" is not a kind of day (expected dayoff, short or workday)", k);
	if (im->row_bad)
		return 0;
	if (strmap_get(&im->seen, date) >= 0) {
		import_error(im, "date", "%s is already on line %ld (expected each date once)", date, strmap_get(&im->seen, date));
		return 0;
	}
	strmap_put(&im->seen, date, csvin_line(im->in));
	int changed;
	int rc = calendar_put(im->c, date, kind, &changed, e);
	changed == 1 ? im->inserted++ : changed == 2 ? im->updated++ : im->unchanged++;
	return rc;
}

static const struct import_kind calendar_kind_import = { .name = "calendar", .cols = calendar_cols, .ncols = CAL_N, .row = calendar_row };

static int do_calendar_import(struct cmd *cmd)
{
	int rc = actor_require_admin(cmd->c.actor, "load the production calendar", &cmd->err);
	return rc ? rc : cmd_run_import(cmd, &calendar_kind_import, 0);
}

static int do_calendar_list(struct cmd *cmd)
{
	const char *from = cmd_opt(cmd, "from"), *to = cmd_opt(cmd, "to"), *why;
	char f[11], t[11], d[11], kind[8];
	long a, b;
	int y, m, dd;
	if (from && value_date(from, f, &why))
		return perr_set(&cmd->err, EX_USAGE, "--from \"%s\" %s", from, why);
	if (to && value_date(to, t, &why))
		return perr_set(&cmd->err, EX_USAGE, "--to \"%s\" %s", to, why);
	date_parse_iso(cmd->c.today, &a);
	days_date(a, &y, &m, &dd);
	a = from ? (date_parse_iso(f, &a), a) : date_days(y, 1, 1);
	b = to ? (date_parse_iso(t, &b), b) : date_days(y, 12, 31);
	if (b < a || b - a > 3660)
		return perr_set(&cmd->err, EX_USAGE, "--from/--to: expected a range of at most ten years, from before to");
	struct out *o = cmd_out(cmd);
	static const struct out_col cols[] = { { "date", COL_TEXT }, { "kind", COL_TEXT }, { "working", COL_NUMBER } };
	out_header(o, cols, 3);
	int rc = 0;
	for (long day = a; day <= b && !rc; day++) {
		date_format_iso(day, d);
		if ((rc = calendar_kind(cmd->c.store, day, kind, &cmd->err)))
			break;
		const char *vals[] = { d, kind, strcmp(kind, "dayoff") ? "1" : "0" };
		out_row(o, vals, 3);
	}
	int r2 = cmd_out_done(cmd, o);
	return rc ? rc : r2;
}

static int do_backup(struct cmd *cmd)
{
	const char *path = cmd_arg(cmd, 0);
	if (!path)
		return perr_set(&cmd->err, EX_USAGE, "backup needs FILE (a new file)");
	int rc = actor_require_admin(cmd->c.actor, "back up the store", &cmd->err);
	if (!rc)
		rc = store_backup(cmd->c.store, path, &cmd->err);
	if (!rc)
		cmd_note(cmd, "backed up to %s", path);
	return rc;
}

/* The chain against the witness: --witness FILE (kept by whoever audits), else audit.witness. */
static int check_witness(struct cmd *cmd, char *path, size_t pathlen, long *heads)
{
	const char *given = cmd_opt(cmd, "witness");
	int rc = witness_setting_verify(cmd->c.store, &cmd->err);
	if (!rc)
		rc = given ? witness_arg(cmd, given, path, pathlen) : witness_path(cmd->c.store, path, pathlen, &cmd->err);
	if (!rc && *path)
		rc = witness_verify(cmd->c.store, path, heads, &cmd->err);
	return rc;
}

static int do_check(struct cmd *cmd)
{
	long n = 0, heads = 0;
	char witness[4096] = "";
	if (cmd->nargs)
		return perr_set(&cmd->err, EX_USAGE, "check takes no FILE (the witness is --witness FILE)");
	int rc = store_begin_read(cmd->c.store, &cmd->err);
	if (!rc)
		rc = store_check_integrity(cmd->c.store, &cmd->err);
	/* the chain first: a removed audit record is named as such, not as the reference it breaks */
	if (!rc)
		rc = audit_verify(cmd->c.store, &n, &cmd->err);
	if (!rc)
		rc = audit_verify_invalid(cmd->c.store, &cmd->err);
	if (!rc)
		rc = check_witness(cmd, witness, sizeof witness, &heads);
	if (!rc)
		rc = store_check_references(cmd->c.store, &cmd->err);
	if (!rc)
		rc = journal_check_references(cmd->c.store, &cmd->err);
	store_rollback(cmd->c.store);
	if (!rc && *witness)
		cmd_note(cmd, ngettext("ok: integrity, references and %ld audit records in an unbroken chain that holds "
				       "the %ld head witnessed in %s",
				       "ok: integrity, references and %ld audit records in an unbroken chain that holds "
				       "the %ld heads witnessed in %s", (unsigned long)heads), n, heads, witness);
	else if (!rc)
		cmd_note(cmd, "ok: integrity, references and %ld audit records in an unbroken chain", n);
	if (!rc && !*witness)
		cmd_warn(cmd, "no witness (audit.witness is not set): a cut tail or a recomputed chain cannot be detected; "
			 "set one with portal-db config audit.witness FILE (a file kept apart from the store), "
			 "or give check --witness FILE");
	return rc;
}

static int do_witness(struct cmd *cmd)
{
	char path[4096];
	if (cmd->nargs)
		return perr_set(&cmd->err, EX_USAGE, "witness takes no FILE (set it with portal-db config audit.witness FILE)");
	int rc = witness_path(cmd->c.store, path, sizeof path, &cmd->err);
	if (!rc && !*path)
		return perr_set(&cmd->err, EX_CONFIG, "audit.witness is not set: set it with portal-db config audit.witness FILE "
				"(a file kept apart from the store)");
	if (!rc)
		rc = witness_append(cmd->c.store, path, cmd->c.now, &cmd->err);
	if (!rc)
		cmd_note(cmd, "the audit head appended to %s", path);
	return rc;
}

/* A record to the output; a write error shows when the output is done. */
static int audit_out_row(void *o, const char *const *vals, size_t n)
{
	out_row(o, vals, n);
	return 0;
}

static int do_audit(struct cmd *cmd)
{
	struct audit_filter f;
	int rc = audit_filter_set(&cmd->c, &f, cmd_opt(cmd, "actor"), cmd_opt(cmd, "since"), cmd_flag(cmd, "invalid"),
				  &cmd->err);
	if (rc)
		return rc;
	struct out *o = cmd_out(cmd);
	out_header(o, audit_list_cols, audit_list_ncols);
	rc = audit_list(&cmd->c, &f, audit_out_row, o, &cmd->err);
	int r2 = cmd_out_done(cmd, o);
	return rc ? rc : r2;
}

static int do_access(struct cmd *cmd)
{
	struct out *o = cmd_out(cmd);
	out_header(o, access_list_cols, access_list_ncols);
	int rc = access_list(&cmd->c, cmd_opt(cmd, "student"), cmd_opt(cmd, "login"), cmd_opt(cmd, "since"), cmd_print_row, o,
			     &cmd->err);
	int r2 = cmd_out_done(cmd, o);
	return rc ? rc : r2;
}

static const struct verb verbs[] = {
	{ "init", "--admin LOGIN [--last-name NAME] [--first-name NAME] [--middle-name NAME] [--witness FILE]",
	  N_("create a store (mode 0600, WAL) and its first admin; --witness sets audit.witness"),
	  "admin=,last-name=,first-name=,middle-name=,witness=", 0, do_init },
	{ "migrate", "", N_("bring an older store to this binary's schema"), "", V_STORE | V_ANY_SCHEMA, do_migrate },
	{ "version", "", N_("the binary's version and schema, and the store's"), "", V_STORE | V_ANY_VERSION, do_version },
	{ "config", "[KEY [VALUE]]", N_("list, read or (admin) set a setting"), "", V_STORE | V_READ, do_config },
	{ "calendar import", "FILE [--dry-run] [--rejects FILE]", N_("load a production calendar (date,kind)"),
	  "dry-run,rejects=", V_STORE | V_WRITE | V_INPUT, do_calendar_import },
	{ "calendar list", "[--from DATE] [--to DATE]", N_("the days and whether they are working days"),
	  "from=,to=", V_STORE | V_READ, do_calendar_list },
	{ "backup", "FILE", N_("an online, consistent copy of the store (mode 0600)"), "", V_STORE | V_READ, do_backup },
	{ "check", "[--witness FILE]", N_("integrity, references, the audit hash chain and its witness"), "witness=",
	  V_STORE, do_check },
	{ "witness", "", N_("append the audit head to the witness file (audit.witness)"), "", V_STORE, do_witness },
	{ "audit", "[--actor LOGIN] [--since TS] [--invalid]",
	  N_("the audit log (here --actor filters; who reads comes from PORTAL_ACTOR or the OS login)"),
	  "since=,invalid", V_STORE | V_READ | V_ACTOR_FILTER, do_audit },
	{ "access", "[--student S | --all | FILE|-] [--login L] [--since TS]",
	  N_("who viewed whose data in the web cabinet, and when (admins and deputies); FILE: the data of its "
	  "student_id (and guardians' children) alone"),
	  "student=,all,login=,since=", V_STORE | V_READ | V_INPUT | V_PEOPLE, do_access },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

static const struct tool tool = { "portal-db", N_("portal-db: the store: create, migrate, settings, calendar, backup, check, audit log and its witness"), verbs };

int main(int argc, char **argv)
{
	return frame_main(&tool, argc, argv);
}
