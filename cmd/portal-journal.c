/*
 * portal-journal: the class journal: periods, marks, attendance, lessons and
 * homework, the timetable and its changes, tests, holidays, recommendations
 * and final marks in (teachers for what they teach, admins); read-only out.
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

/* import KIND: the kind is the verb's second word */
static int do_import(struct cmd *cmd)
{
	const struct jkind *k = journal_kind(strchr(cmd->verb->name, ' ') + 1);
	if (!k)
		return perr_set(&cmd->err, EX_SOFTWARE, "%s: no such journal kind", cmd->verb->name);
	return cmd_run_import(cmd, &k->base, 0);
}

#define IMPORT_ARGS "FILE [--sync] [--dry-run] [--rejects FILE]"
#define IMPORT_OPTS "sync,dry-run,rejects="
#define IMPORT_FLAGS (V_STORE | V_WRITE | V_INPUT)

static const struct verb verbs[] = {
	{ "periods import", "FILE [--dry-run] [--rejects FILE]", "the school's periods (name,start,end), admin",
	  "dry-run,rejects=", V_STORE | V_WRITE | V_INPUT, do_periods_import },
	{ "periods list", "", "the periods", "", V_STORE | V_READ, do_periods_list },
	{ "import marks", IMPORT_ARGS,
	  "marks (student_id,subject,date,value,weight,kind,lesson_no,teacher_id); one per student, subject, date, lesson and kind",
	  IMPORT_OPTS, IMPORT_FLAGS, do_import },
	{ "import attendance", IMPORT_ARGS,
	  "attendance (student_id,date,code,lesson_no,subject); codes н б у п о; one per student, date and lesson",
	  IMPORT_OPTS, IMPORT_FLAGS, do_import },
	{ "import lessons", IMPORT_ARGS,
	  "lessons and homework (class,group,subject,date,lesson_no,teacher_id,topic,homework)",
	  IMPORT_OPTS, IMPORT_FLAGS, do_import },
	{ "import schedule", IMPORT_ARGS,
	  "the timetable (class,weekday,lesson_no,subject,teacher_id,room,valid_from,valid_to), admin",
	  IMPORT_OPTS, IMPORT_FLAGS, do_import },
	{ "import changes", IMPORT_ARGS,
	  "substitutions, moved and cancelled lessons (date,class,lesson_no,kind,subject,teacher_id,new_date,new_lesson_no,note), admin",
	  IMPORT_OPTS, IMPORT_FLAGS, do_import },
	{ "import tests", IMPORT_ARGS, "the test schedule (class,subject,date,topic)", IMPORT_OPTS, IMPORT_FLAGS, do_import },
	{ "import holidays", IMPORT_ARGS, "holidays (name,start,end,grades), admin", IMPORT_OPTS, IMPORT_FLAGS, do_import },
	{ "import recommendations", IMPORT_ARGS, "teachers' recommendations (student_id,date,text,teacher_id,subject)",
	  IMPORT_OPTS, IMPORT_FLAGS, do_import },
	{ "import finals", IMPORT_ARGS, "final marks (student_id,subject,period,value); value 1-5, н/а or осв",
	  IMPORT_OPTS, IMPORT_FLAGS, do_import },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

static const struct tool tool = { "portal-journal", "portal-journal: the class journal, in and read-only out", verbs };

int main(int argc, char **argv)
{
	return frame_main(&tool, argc, argv);
}
