/*
 * portal-journal: the class journal: periods and marks in (teachers and
 * admins), read-only out.
 */
#include <stdio.h>
#include <string.h>

#include "frame.h"
#include "journal.h"

static int do_periods_import(struct cmd *cmd)
{
	return cmd_run_import(cmd, &journal_import_periods, 0);
}

static int do_periods_list(struct cmd *cmd)
{
	struct out *o = cmd_out(cmd);
	out_header(o, journal_period_cols, journal_period_ncols);
	int rc = journal_list_periods(&cmd->c, cmd_print_row, o, &cmd->err);
	int r2 = cmd_out_done(cmd, o);
	return rc ? rc : r2;
}

static int do_import_marks(struct cmd *cmd)
{
	return cmd_run_import(cmd, &journal_import_marks, 0);
}

static const struct verb verbs[] = {
	{ "periods import", "FILE [--dry-run] [--rejects FILE]", "the school's periods (name,start,end), admin",
	  "dry-run,rejects=", V_STORE | V_WRITE | V_INPUT, do_periods_import },
	{ "periods list", "", "the periods", "", V_STORE | V_READ, do_periods_list },
	{ "import marks", "FILE [--dry-run] [--rejects FILE]",
	  "marks (student_id,subject,date,value,weight,kind,lesson_no,teacher_id); a mark is one per student, subject, date, lesson and kind",
	  "dry-run,rejects=", V_STORE | V_WRITE | V_INPUT, do_import_marks },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

static const struct tool tool = { "portal-journal", "portal-journal: the class journal, in and read-only out", verbs };

int main(int argc, char **argv)
{
	return frame_main(&tool, argc, argv);
}
