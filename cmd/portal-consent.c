/*
 * portal-consent: parents' consent to getting their child's progress
 * electronically (152-ФЗ): record, import, the standing decision and the
 * channel it implies, who has none, and each guardian's history.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "consent.h"
#include "frame.h"
#include "values.h"

/* "N decisions recorded", or that the same one is on record already; --dry-run says so first. */
static void consent_recorded_note(struct cmd *cmd, long added)
{
	if (!added)
		cmd_note(cmd, cmd->c.dry_run ? _("dry run: 0 decisions recorded (the same decision is on record already)")
					     : _("0 decisions recorded (the same decision is on record already)"));
	else if (cmd->c.dry_run)
		cmd_note(cmd, ngettext("dry run: %ld decision recorded", "dry run: %ld decisions recorded", (unsigned long)added), added);
	else
		cmd_note(cmd, ngettext("%ld decision recorded", "%ld decisions recorded", (unsigned long)added), added);
}

static int do_record(struct cmd *cmd)
{
	struct consent_rec r = { cmd_opt(cmd, "guardian"), cmd_opt(cmd, "student"), cmd_opt(cmd, "decision"),
				 cmd_opt(cmd, "signed-on"), cmd_opt(cmd, "form"), cmd_opt(cmd, "doc"), 0 };
	long added;
	if (!r.guardian || !r.decision || !r.signed_on)
		return perr_set(&cmd->err, EX_USAGE, "record: --guardian G, --decision D and --signed-on DATE are required");
	int rc = consent_record(&cmd->c, &r, &added, &cmd->err);
	if (!rc)
		consent_recorded_note(cmd, added);
	return rc;
}

static int do_import(struct cmd *cmd)
{
	if (cmd->nargs == 0 && isatty(0))
		return perr_set(&cmd->err, EX_USAGE, "import needs FILE (or - to read standard input)");
	return cmd_run_import(cmd, &consent_import, 0);
}


static int list_status(struct cmd *cmd, int missing)
{
	char cls[8];
	struct consent_filter f = { .student = cmd_opt(cmd, "student"), .missing_only = missing, .picked = cmd->by_ids,
				    .decision = cmd_opt(cmd, "decision"), .channel = cmd_opt(cmd, "channel") };
	long rows;
	int rc = cmd_class(cmd, cls, &f.cls);
	if (rc)
		return rc;
	struct out *o = cmd_out(cmd);
	out_header(o, consent_status_cols, consent_status_ncols);
	rc = consent_list_status(&cmd->c, &f, cmd_print_row, o, &rows, &cmd->err);
	int r2 = cmd_out_done(cmd, o);
	if (rc || r2)
		return rc ? rc : r2;
	if (missing && cmd_flag(cmd, "fail-if-any") && rows) {
		cmd_note(cmd, ngettext("%ld guardian–student link without a decision", "%ld guardian–student links without a decision",
				       (unsigned long)rows), rows);
		return 1;
	}
	return 0;
}

static int do_status(struct cmd *cmd)
{
	return list_status(cmd, 0);
}

static int do_missing(struct cmd *cmd)
{
	return list_status(cmd, 1);
}

static int do_history(struct cmd *cmd)
{
	const char *g = cmd_opt(cmd, "guardian");
	if (!g && !cmd->by_ids)
		return perr_set(&cmd->err, EX_USAGE, "history: --guardian G, or ids on standard input, is required");
	struct out *o = cmd_out(cmd);
	out_header(o, consent_history_cols, consent_history_ncols);
	int rc = consent_list_history(&cmd->c, g, cmd_print_row, o, &cmd->err);
	int r2 = cmd_out_done(cmd, o);
	return rc ? rc : r2;
}

static const struct verb verbs[] = {
	{ "record", "--guardian G [--student S] --decision D --signed-on DATE [--form F] [--doc REF] [--dry-run]",
	  N_("records a decision (given, refused, withdrawn); without --student it covers all the guardian's children"),
	  "guardian=,student=,decision=,signed-on=,form=,doc=,dry-run", V_STORE | V_WRITE, do_record },
	{ "import", "FILE [--dry-run] [--rejects FILE]",
	  N_("decisions from a file (guardian_id,student_id,decision,signed_on,form,doc_ref)"),
	  "dry-run,rejects=", V_STORE | V_WRITE | V_INPUT, do_import },
	{ "status", "[--class C | --student S | --all | FILE|-] [--decision D] [--channel paper|electronic]",
	  N_("the standing decision and the channel (electronic or paper) of each guardian and child; FILE: only the people of "
	  "its student_id/guardian_id; --decision given|refused|withdrawn|none, --channel: only those"),
	  "class=,student=,all,decision=,channel=", V_STORE | V_READ | V_INPUT | V_PEOPLE, do_status },
	{ "missing", "[--class C | --all | FILE|-] [--fail-if-any]",
	  N_("guardians with no decision on record; --fail-if-any exits 1 when there are any"),
	  "class=,all,fail-if-any", V_STORE | V_READ | V_INPUT | V_PEOPLE, do_missing },
	{ "history", "[--guardian G | FILE|-]", N_("every decision recorded for a guardian (or the people of FILE), invalidated "
	  "ones marked"), "guardian=", V_STORE | V_READ | V_INPUT | V_PEOPLE, do_history },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

static const struct tool tool = { "portal-consent", N_("portal-consent: parents' consent to electronic progress information (152-ФЗ)"), verbs };

int main(int argc, char **argv)
{
	return frame_main(&tool, argc, argv);
}
