/*
 * frame.h: the command frame every portal binary shares: a verb table, the
 * common options of SPEC §2, preconditions applied once before a verb runs
 * (open the store, resolve the actor, BEGIN IMMEDIATE), output, exit codes.
 * Adding a verb is adding a row and a function.
 */
#ifndef PORTAL_FRAME_H
#define PORTAL_FRAME_H

#include <stdio.h>

#include "afile.h"
#include "csvin.h"
#include "csvout.h"
#include "ctx.h"
#include "err.h"
#include "i18n.h"
#include "ids.h"

enum {
	V_STORE = 1 << 0,	/* opens the store */
	V_READ = 1 << 1,	/* needs an actor (reads are scoped by role) */
	V_WRITE = 1 << 2,	/* needs an actor and a write transaction; commits on success */
	V_ANY_SCHEMA = 1 << 3,	/* opens a store of an older schema (migrate, version) */
	V_INPUT = 1 << 4,	/* reads a CSV file: --encoding --delimiter */
	V_ACTOR_FILTER = 1 << 5,	/* --actor filters the output; the actor is PORTAL_ACTOR or the OS login */
	V_SECRET_OUTPUT = 1 << 6,	/* -o FILE holds secrets: never replaces a file there */
	V_OWN_FORMAT = 1 << 7,		/* the verb reads --format itself */
	V_ANY_VERSION = 1 << 8,		/* opens a store of any schema, older or newer (version) */
	V_XLSX = 1 << 9,		/* --format xlsx writes a workbook to -o FILE (or -o -) */
	V_OWN_OUTPUT = 1 << 10,		/* -o is the verb's (a directory of files); stdout stays stdout */
	V_LATE_OUTPUT = 1 << 11,	/* -o FILE is made only when the verb calls cmd_open_output (it may write nothing) */
	/* acts on people (SPEC §2, the pipe contract; with V_INPUT): the frame reads them as ids from
	 * FILE or -, or from standard input when no selector (frame_selectors) is given and it is no
	 * terminal, into cmd->people and the table picked (c.picked), before the verb runs */
	V_PEOPLE = 1 << 12,
};

struct cmd;

struct verb {
	const char *name;	/* "import students" */
	/* "FILE [--sync] [--dry-run]" for usage lines; its words in capitals that are no option's value
	 * (FILE, [FILE|-], LOGIN, ID FIELD=VALUE...) are the positional arguments the verb takes, and
	 * any more is a usage error */
	const char *args;
	const char *about;
	const char *opts;	/* options beyond the common ones, ',' separated, '=' takes a value */
	int flags;
	int (*run)(struct cmd *cmd);
};

struct tool {
	const char *name;
	const char *about;
	const struct verb *verbs;
};

struct cmd {
	const struct tool *tool;
	const struct verb *verb;
	char **args;		/* positional arguments after the verb's words */
	int nargs;
	struct ctx c;
	struct perr err;
	FILE *out;		/* stdout, or -o PATH (output.f) */
	struct afile output;	/* -o PATH: written beside it, moved into place when the verb succeeds */
	enum out_format fmt;
	const char *output_path;
	int quiet;
	FILE *discard;		/* -q --fail-if-any: where the rows go */
	struct progress *progress;	/* the long job's line on a terminal (cmd_progress) */
	long nerrors;		/* row errors printed */
	const char *row_file;	/* the FILE part of row errors */
	const char *input_name;	/* a name for input that is no file (set ID): row errors carry no line */
	/* options */
	struct opt_value *opts;
	int nopts;
	/* V_PEOPLE: the people given as ids; by_ids when they were (FILE, - or standard input),
	 * even none: the verb acts on them alone, never on everybody */
	struct ids people;
	int by_ids;
	const char *ids_name;	/* where they came from: FILE or "stdin" */
};

/* The value of option name (without dashes); NULL when not given. */
const char *cmd_opt(const struct cmd *cmd, const char *name);
int cmd_flag(const struct cmd *cmd, const char *name);
/* Every value of a repeatable option, in order; returns the count. */
int cmd_opt_all(const struct cmd *cmd, const char *name, const char **vals, int max);

/* The i-th positional argument or NULL. */
const char *cmd_arg(const struct cmd *cmd, int i);

/* Messages on stderr, "portal-X: ..." (warnings unless -q). */
void cmd_warn(struct cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cmd_note(struct cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An error of one item that does not stop the command (a refused e-mail): even with -q. */
void cmd_error(struct cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* For csvin_map's warn callback. */
void cmd_warn_cb(void *cmd, const char *msg);
/* Row errors as FILE:LINE: COLUMN: message, the first 100 of them. */
void cmd_row_error(void *cmd, long line, const char *column, const char *msg);


struct progress;
/* A long job's progress on standard error (lib/progress.h): on a terminal a line redrawn at most ten
 * times a second, to a file, a pipe or cron only the summary, with -q nothing. total 0: not known. */
struct progress *cmd_progress(struct cmd *cmd, const char *what, long total, const char *unit);
/* The job is done: its line gives way to the summary "portal-X: ...". */
void cmd_progress_done(struct cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Makes -o FILE for a verb of V_LATE_OUTPUT (stdout without -o); 73 when it cannot. */
int cmd_open_output(struct cmd *cmd);

/* Opens the input FILE (positional i, "-" or absent = stdin) with --encoding/--delimiter. */
int cmd_open_input(struct cmd *cmd, int i, struct csvin **in);
/* A writer for tabular output in the chosen format on cmd->out; its header goes out with the
 * first row, or when cmd_out_done finishes a verb that did not fail. */
struct out *cmd_out(struct cmd *cmd);
/* A lib lister's row callback that writes to the struct out given as its context. */
int cmd_print_row(void *out, const char *const *vals, size_t n);
/* Finishes a writer: 74 on an I/O error. When the verb failed (cmd->err is set) what the writer
 * holds back is dropped, so an error before the first row leaves the output empty. */
int cmd_out_done(struct cmd *cmd, struct out *o);
/* Moves -o PATH into place now (it is complete): 74 when it cannot be written whole, 73 when it
 * cannot take its name; nothing is left under the name then. Without -o PATH, 0. The frame does
 * this after a verb that succeeds, and drops the file after one that fails. */
int cmd_commit_output(struct cmd *cmd);

/* --class C, in canonical form into buf; *cls NULL when not given. 64 when it is no class, 65
 * (naming the classes there are) when the store has no such class. */
int cmd_class(struct cmd *cmd, char buf[8], const char **cls);
/* (--period P | --from D --to D): the dates and *period (NULL for --from/--to). Without any of
 * them: 64 when need, else 0 with from and to empty. A period the store does not have is 65
 * naming those it has. */
int cmd_dates(struct cmd *cmd, int need, char from[11], char to[11], const char **period);

/* The options that select people (SPEC §2): with one of them a verb of V_PEOPLE reads no ids, and
 * with FILE or - too it is a usage error. --all: everybody the actor may read, whatever standard
 * input is (for cron, whose standard input is no terminal). */
extern const char frame_selectors[];

struct import_kind;
/* Runs an import kind on the verb's FILE: errors, --rejects, --dry-run, --sync, the summary. */
int cmd_run_import(struct cmd *cmd, const struct import_kind *kind, int update_only);

int frame_main(const struct tool *tool, int argc, char **argv);

/* ---- the verb table as the parser reads it, for the completion answers (completion.c) ---- */
/* The options every verb takes, and those of a verb that reads a file: ',' separated, '=' takes a value. */
extern const char frame_common_opts[], frame_input_opts[];
/* Looks name up in such a list: 2 it takes a value, 1 a flag, 0 absent. */
int frame_opt_in_list(const char *list, const char *name, size_t len);
/* The same over every verb of the tool, while the verb is not known yet. */
int frame_opt_kind(const struct tool *t, const char *name, size_t len);
/* The verb whose words are the longest prefix of words; *used = how many it took. */
const struct verb *frame_find_verb(const struct tool *t, char **words, int n, int *used);
/* A tool of one job (portal-extract) has a single verb without a name. */
int frame_verbless(const struct tool *t);
/* portal-X --complete QUESTION...: the answers a shell completion asks for (completion.c). */
int frame_complete(const struct tool *t, int argc, char **argv);

#endif
