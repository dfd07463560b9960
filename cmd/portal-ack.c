/*
 * portal-ack: acknowledgements that parents have read their extracts: by
 * code, typed or scanned from the signed paper; what is still pending.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ack.h"
#include "actor.h"
#include "journal.h"
#include "frame.h"
#include "values.h"

static int common_in(struct cmd *cmd, struct ack_in *in, char on[11])
{
	const char *o = cmd_opt(cmd, "on"), *ch = cmd_opt(cmd, "channel"), *why;
	memset(in, 0, sizeof *in);
	if (o) {
		if (value_date(o, on, &why))
			return perr_set(&cmd->err, EX_DATAERR, "--on %s: %s", o, why);
		if (strcmp(on, cmd->c.today) > 0)
			return perr_set(&cmd->err, EX_DATAERR, "--on %s is in the future (today is %s)", on, cmd->c.today);
		in->on = on;
	}
	if (ch && strcmp(ch, "paper") && strcmp(ch, "email") && strcmp(ch, "web"))
		return perr_set(&cmd->err, EX_DATAERR, "--channel %s: expected paper, email or web", ch);
	in->channel = ch;
	in->guardian = cmd_opt(cmd, "guardian");
	return 0;
}

static int print_result(struct out *o, const char *code, enum ack_result res)
{
	const char *v[] = { code, ack_result_names[res] };
	return cmd_print_row(o, v, 2);
}

static const struct out_col result_cols[] = { { "code", COL_TEXT }, { "result", COL_TEXT } };

static int do_record(struct cmd *cmd)
{
	struct ack_in in;
	char on[11], canon[11];
	int rc = common_in(cmd, &in, on), bad = 0;
	if (rc)
		return rc;
	if (!cmd->nargs)
		return perr_set(&cmd->err, EX_USAGE, "record: give the codes, e.g. record ABCDE-FGHJK");
	struct out *o = cmd_out(cmd);
	out_header(o, result_cols, 2);
	for (int i = 0; !rc && i < cmd->nargs; i++) {
		enum ack_result res;
		in.code = cmd->args[i];
		if (!(rc = ack_record(&cmd->c, &in, &res, canon, &cmd->err))) {
			rc = print_result(o, cmd->args[i], res);
			bad += res == ACK_UNKNOWN || res == ACK_INVALID;
		}
	}
	int r2 = cmd_out_done(cmd, o);
	if (!rc && bad)
		rc = perr_set(&cmd->err, EX_DATAERR,
			      ngettext("%d code is not registered (unknown or invalid); nothing was registered",
				       "%d codes are not registered (unknown or invalid); nothing was registered", (unsigned long)bad),
			      bad);
	return rc ? rc : r2;
}

/* scan: a code a line as a scanner types them; each answered at once, each its own transaction. */
static int do_scan(struct cmd *cmd)
{
	struct ack_in in;
	char on[11], canon[11], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = common_in(cmd, &in, on), bad = 0, refused = 0;
	if (rc)
		return rc;
	/* who may not register anything is told before the first code is scanned */
	if (!actor_is(cmd->c.actor, "admin") && !actor_is(cmd->c.actor, "class_leader"))
		return perr_set(&cmd->err, EX_NOPERM, "not permitted: %s (%s) lacks the right to register acknowledgements: "
				"admins and class leaders have it", cmd->c.actor ? cmd->c.actor->login : "-",
				cmd->c.actor ? cmd->c.actor->role : "-");
	struct out *o = cmd_out(cmd);
	out_header(o, result_cols, 2);
	fflush(cmd->out);
	while (!rc && (len = getline(&line, &cap, stdin)) >= 0) {
		char *code = str_trim(line);
		enum ack_result res;
		if (!*code)
			continue;
		in.code = code;
		if ((rc = store_begin_write(cmd->c.store, &cmd->err)))
			break;	/* busy past the timeout: what was registered stays */
		int r = ack_record(&cmd->c, &in, &res, canon, &cmd->err);
		if (r) {
			store_rollback(cmd->c.store);
			if (r != EX_NOPERM && r != EX_DATAERR) {
				rc = r;
				break;
			}
			/* refused, or a date before the extract: say why, answer, go on with the next code */
			cmd_error(cmd, "%s: %s", code, cmd->err.msg);
			cmd->err.status = 0;
			cmd->err.msg[0] = 0;
			if (r == EX_NOPERM) {
				refused++;
				continue;
			}
			res = ACK_INVALID;
		} else if (cmd->c.dry_run) {
			store_rollback(cmd->c.store);
		} else if ((rc = store_commit(cmd->c.store, &cmd->err))) {
			break;
		}
		bad += res == ACK_UNKNOWN || res == ACK_INVALID;
		/* the answer now, while the next code is being scanned */
		if ((rc = print_result(o, code, res)) || (rc = fflush(cmd->out) ? EX_IOERR : 0))
			break;
	}
	free(line);
	int r2 = cmd_out_done(cmd, o);
	if (!rc && refused)
		rc = perr_set(&cmd->err, EX_NOPERM,
			      bad ? ngettext("%d code refused (named above); and some unknown or invalid",
					     "%d codes refused (named above); and some unknown or invalid", (unsigned long)refused)
				  : ngettext("%d code refused (named above)", "%d codes refused (named above)", (unsigned long)refused),
			      refused);
	else if (!rc && bad)
		rc = perr_set(&cmd->err, EX_DATAERR, ngettext("%d code unknown or invalid", "%d codes unknown or invalid", (unsigned long)bad),
			      bad);
	return rc ? rc : r2;
}

static int do_import(struct cmd *cmd)
{
	if (cmd->nargs == 0 && isatty(0))
		return perr_set(&cmd->err, EX_USAGE, "import needs FILE (or - to read standard input)");
	return cmd_run_import(cmd, &ack_import, 0);
}

static int class_period(struct cmd *cmd, char cls[8], const char **c, const char **p)
{
	char from[11], to[11];	/* the period is checked to exist (65); its dates are not needed here */
	int rc = cmd_class(cmd, cls, c);
	return rc ? rc : cmd_dates(cmd, 0, from, to, p);
}

static int do_pending(struct cmd *cmd)
{
	char cls[8], *end = NULL;
	const char *c, *p, *d = cmd_opt(cmd, "days-waiting");
	long rows = 0, days = d ? strtol(d, &end, 10) : 0;
	int rc = class_period(cmd, cls, &c, &p);
	if (rc)
		return rc;
	if (d && (!*d || *end || days < 0))
		return perr_set(&cmd->err, EX_USAGE, "--days-waiting %s: expected a number of days, 0 or more", d);
	struct out *o = cmd_out(cmd);
	out_header(o, ack_pending_cols, ack_pending_ncols);
	rc = ack_list_pending(&cmd->c, c, p, days, cmd_print_row, o, &rows, &cmd->err);
	int r2 = cmd_out_done(cmd, o);
	if (rc || r2)
		return rc ? rc : r2;
	if (rows && cmd_flag(cmd, "fail-if-any")) {
		cmd_note(cmd, ngettext("%ld extract not acknowledged", "%ld extracts not acknowledged", (unsigned long)rows), rows);
		return 1;
	}
	return 0;
}

static int do_status(struct cmd *cmd)
{
	char cls[8];
	const char *c, *p;
	int rc = class_period(cmd, cls, &c, &p);
	if (rc)
		return rc;
	struct out *o = cmd_out(cmd);
	out_header(o, ack_coverage_cols, ack_coverage_ncols);
	rc = ack_coverage(&cmd->c, c, p, cmd_print_row, o, &cmd->err);
	int r2 = cmd_out_done(cmd, o);
	return rc ? rc : r2;
}

static const struct verb verbs[] = {
	{ "record", "CODE... [--on DATE] [--channel paper|email|web] [--guardian G] [--dry-run]",
	  N_("registers that parents have read these extracts; all or nothing: an unknown or invalid code registers none"),
	  "on=,channel=,guardian=,dry-run", V_STORE | V_WRITE, do_record },
	{ "scan", "[--on DATE] [--channel paper|email|web] [--dry-run]",
	  N_("codes one a line on standard input, as a barcode scanner types them; each answered at once (ok, already, unknown, invalid)"),
	  "on=,channel=,dry-run", V_STORE | V_READ, do_scan },
	{ "import", "FILE [--dry-run] [--rejects FILE]",
	  N_("acknowledgements from a file (code or extract_id, acknowledged_on, channel, guardian_id)"),
	  "dry-run,rejects=", V_STORE | V_WRITE | V_INPUT, do_import },
	{ "pending", "[--class C | --all | FILE|-] [--period P] [--days-waiting N] [--fail-if-any]",
	  N_("extracts not acknowledged yet, longest waiting first; FILE: those of the people of its student_id/guardian_id; "
	  "--days-waiting: those waiting N days or more; --fail-if-any exits 1 when there are any"),
	  "class=,all,period=,days-waiting=,fail-if-any", V_STORE | V_READ | V_INPUT | V_PEOPLE, do_pending },
	{ "status", "[--class C] [--period P]", N_("per class: extracts, acknowledged, pending, the acknowledged share"),
	  "class=,period=", V_STORE | V_READ, do_status },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

static const struct tool tool = { "portal-ack", N_("portal-ack: parents' acknowledgements of the extracts"), verbs };

int main(int argc, char **argv)
{
	return frame_main(&tool, argc, argv);
}
