/*
 * frame.c: parsing the command line against a tool's verb table, the common
 * options, and the preconditions every verb declares by flags.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <sys/stat.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "actor.h"
#include "config.h"
#include "frame.h"
#include "i18n.h"
#include "ids.h"
#include "journal.h"
#include "known.h"
#include "localedir.h"
#include "progress.h"
#include "util.h"
#include "values.h"
#include "witness.h"

#define MAX_ROW_ERRORS 100

struct opt_value {
	const char *name;
	const char *value;	/* "" for a flag */
};

/* Options every verb takes; '=' marks those with a value (frame.h). */
const char frame_common_opts[] = "db=,actor=,format=,output=,quiet,excel,help,version";
const char frame_input_opts[] = "encoding=,delimiter=";
const char frame_selectors[] = "class=,student=,guardian=,all";

int frame_opt_in_list(const char *list, const char *name, size_t len)
{
	const char *p = list;
	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		int takes = n && p[n - 1] == '=';
		size_t nlen = takes ? n - 1 : n;
		if (nlen == len && strncmp(p, name, len) == 0)
			return takes ? 2 : 1;
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

int frame_opt_kind(const struct tool *t, const char *name, size_t len)
{
	int k = frame_opt_in_list(frame_common_opts, name, len);
	if (!k)
		k = frame_opt_in_list(frame_input_opts, name, len);
	for (const struct verb *v = t->verbs; !k && v->name; v++)
		k = frame_opt_in_list(v->opts, name, len);
	return k;
}

static int verb_allows(const struct verb *v, const char *name)
{
	size_t len = strlen(name);
	return frame_opt_in_list(frame_common_opts, name, len) || frame_opt_in_list(v->opts, name, len) ||
	       ((v->flags & V_INPUT) && frame_opt_in_list(frame_input_opts, name, len));
}

const char *cmd_opt(const struct cmd *cmd, const char *name)
{
	const char *v = NULL;
	for (int i = 0; i < cmd->nopts; i++)
		if (strcmp(cmd->opts[i].name, name) == 0)
			v = cmd->opts[i].value;
	return v;
}

int cmd_flag(const struct cmd *cmd, const char *name)
{
	return cmd_opt(cmd, name) != NULL;
}

int cmd_opt_all(const struct cmd *cmd, const char *name, const char **vals, int max)
{
	int n = 0;
	for (int i = 0; i < cmd->nopts; i++)
		if (strcmp(cmd->opts[i].name, name) == 0 && n < max)
			vals[n++] = cmd->opts[i].value;
	return n;
}

const char *cmd_arg(const struct cmd *cmd, int i)
{
	return i < cmd->nargs ? cmd->args[i] : NULL;
}

static void vmessage(struct cmd *cmd, const char *prefix, const char *fmt, va_list ap)
{
	progress_clear(cmd->progress);	/* a message never lands in the middle of a progress line */
	fprintf(stderr, "%s: %s", cmd->tool->name, prefix);
	vfprintf(stderr, _(fmt), ap);
	fputc('\n', stderr);
}

void cmd_warn(struct cmd *cmd, const char *fmt, ...)
{
	if (cmd->quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vmessage(cmd, _("warning: "), fmt, ap);
	va_end(ap);
}

void cmd_note(struct cmd *cmd, const char *fmt, ...)
{
	if (cmd->quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vmessage(cmd, "", fmt, ap);
	va_end(ap);
}

void cmd_error(struct cmd *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(cmd, "", fmt, ap);
	va_end(ap);
}

void cmd_warn_cb(void *cmd, const char *msg)
{
	cmd_warn(cmd, "%s", msg);
}

void cmd_row_error(void *p, long line, const char *column, const char *msg)
{
	struct cmd *cmd = p;
	if (cmd->nerrors++ >= MAX_ROW_ERRORS)
		return;
	progress_clear(cmd->progress);
	if (cmd->input_name)	/* no file to name: the program is named, as for any other message */
		fprintf(stderr, "%s: %s: %s: %s\n", cmd->tool->name, cmd->input_name, column, msg);
	else
		fprintf(stderr, "%s:%ld: %s: %s\n", cmd->row_file ? cmd->row_file : "stdin", line, column, msg);
}

struct progress *cmd_progress(struct cmd *cmd, const char *what, long total, const char *unit)
{
	enum progress_mode mode = cmd->quiet ? PROGRESS_QUIET : isatty(2) ? PROGRESS_LIVE : PROGRESS_SUMMARY;
	progress_abort(cmd->progress);	/* one job at a time */
	cmd->progress = progress_start(stderr, mode, cmd->tool->name, _(what), total, _(unit));
	return cmd->progress;
}

void cmd_progress_done(struct cmd *cmd, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, _(fmt), ap);
	va_end(ap);
	if (!cmd->progress) {
		cmd_note(cmd, "%s", msg);
		return;
	}
	progress_done(cmd->progress, "%s", msg);
	cmd->progress = NULL;
}

static void usage_line(const struct verb *v, FILE *f)
{
	fprintf(f, "  %s%s%s\n", v->name, *v->args ? " " : "", v->args);
	fprintf(f, "      %s\n", _(v->about));
}

int frame_verbless(const struct tool *t)
{
	return t->verbs[0].name && !t->verbs[0].name[0];
}

/* The common options as --help lists them: each line one message for the translators. */
static void print_options(const struct tool *t, FILE *f)
{
	int xlsx = 0;	/* a verb of the tool writes workbooks */
	for (const struct verb *v = t->verbs; v->name; v++)
		xlsx |= !!(v->flags & V_XLSX);
	fputs(_("\noptions:\n"), f);
	fputs(_("  --db PATH        the store (env PORTAL_DB, default ./portal.db)\n"), f);
	fputs(_("  --actor LOGIN    who acts (env PORTAL_ACTOR, default the OS login name)\n"), f);
	if (frame_verbless(t)) {
		fputs(_("  -o, --output P   a directory (a file each) or a file (the paper ones in one)\n"), f);
		fputs(_("  --excel          the manifest as CSV for Excel on a Russian Windows (BOM, ';', CRLF, formula guard)\n"), f);
	} else {
		fputs(xlsx ? _("  --format FMT     csv (default), table, json; xlsx (a workbook, with -o FILE or -o -) where a verb lists it\n")
			   : _("  --format FMT     csv (default), table, json\n"), f);
		fputs(_("  --excel          CSV for Excel on a Russian Windows (BOM, ';', CRLF, formula guard)\n"), f);
		fputs(_("  -o, --output P   write to P instead of standard output\n"), f);
	}
	fputs(_("  -q, --quiet      no notes, warnings, progress or summaries on stderr (errors stay)\n"), f);
	fputs(frame_verbless(t) ? _("  --help           this text\n") : _("  --help           this text; VERB --help: the verb's own\n"), f);
	fputs(_("  --version        the version\n"), f);
	fprintf(f, _("\nSee %s(1).\n"), t->name);
}

static void print_usage(const struct tool *t, FILE *f)
{
	if (frame_verbless(t)) {
		fprintf(f, _("usage: %s %s\n%s\n"), t->name, t->verbs[0].args, _(t->verbs[0].about));
		if (t->verbs[0].flags & V_INPUT)
			fputs(_("\ninput: ids on standard input (or FILE): a CSV with student_id and/or guardian_id; "
				"--encoding utf-8|cp1251|utf-16le, --delimiter ','|';'|tab\n"), f);
	} else {
		fprintf(f, _("usage: %s VERB [OPTIONS] [FILE]\n%s\n\nverbs:\n"), t->name, _(t->about));
		for (const struct verb *v = t->verbs; v->name; v++)
			usage_line(v, f);
	}
	print_options(t, f);
}

static void print_verb_help(const struct tool *t, const struct verb *v)
{
	printf(_("usage: %s %s%s%s\n%s\n"), t->name, v->name, *v->args ? " " : "", v->args, _(v->about));
	if (v->flags & V_PEOPLE) {
		char sel[128] = "";	/* the selectors this verb takes */
		for (const char *p = frame_selectors; *p; p += strcspn(p, ",") + !!p[strcspn(p, ",")]) {
			size_t len = strcspn(p, ",=");
			if (frame_opt_in_list(v->opts, p, len))
				snprintf(sel + strlen(sel), sizeof sel - strlen(sel), "%s--%.*s", *sel ? ", " : "", (int)len, p);
		}
		printf(_("\npeople: the ids of FILE or - (standard input), or of standard input when it is no terminal and no "
			 "selector (%s) is given: a CSV with student_id and/or guardian_id, or one id a line; none is nobody; "
			 "--encoding utf-8|cp1251|utf-16le, --delimiter ','|';'|tab\n"), sel);
	} else if (v->flags & V_INPUT)
		fputs(_("\ninput: FILE or - for standard input; --encoding utf-8|cp1251|utf-16le, --delimiter ','|';'|tab\n"), stdout);
	printf(v->flags & V_XLSX ? _("\ncommon options: --db PATH, --actor LOGIN, --format csv|table|json|xlsx, --excel, -o PATH, -q\nSee %s(1).\n")
				 : _("\ncommon options: --db PATH, --actor LOGIN, --format csv|table|json, --excel, -o PATH, -q\nSee %s(1).\n"),
	       t->name);
}

const struct verb *frame_find_verb(const struct tool *t, char **words, int n, int *used)
{
	const struct verb *best = NULL;
	int best_used = 0;
	for (const struct verb *v = t->verbs; v->name; v++) {
		char buf[128];
		str_copy(buf, sizeof buf, v->name);
		int k = 0, ok = 1;
		for (char *save = NULL, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save), k++)
			if (k >= n || strcmp(words[k], w) != 0) {
				ok = 0;
				break;
			}
		if (ok && k > best_used) {
			best = v;
			best_used = k;
		}
	}
	*used = best_used;
	return best;
}

/* How many positional arguments a verb takes, read from its usage line: the words in capitals that
 * are no option's value (FILE, [FILE|-], LOGIN, [KEY [VALUE]]); -1 for any number, when one ends
 * in "...". A verb that reads input takes its FILE. */
static int verb_arity(const struct verb *v)
{
	char buf[512];
	int n = 0, value_next = 0;
	str_copy(buf, sizeof buf, v->args);
	for (char *save = NULL, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		const char *p = w + strspn(w, "[(");
		size_t len = strlen(w);
		if (*p == '-') {
			/* "--reason TEXT" and "[--rejects FILE]" take a value; "[--dry-run]" is whole */
			value_next = w[len - 1] != ']' && w[len - 1] != ')';
			continue;
		}
		if (value_next) {
			value_next = 0;
			continue;
		}
		if (*p >= 'A' && *p <= 'Z') {
			if (strstr(p, "...") || strstr(p, "…"))
				return -1;
			n++;
		}
	}
	return (v->flags & V_INPUT) && n < 1 ? 1 : n;
}

static int usage_error(const struct tool *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_error(const struct tool *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", t->name);
	vfprintf(stderr, _(fmt), ap);
	fputc('\n', stderr);
	va_end(ap);
	if (frame_verbless(t))
		fprintf(stderr, _("usage: %s %s; %s --help says more\n"), t->name, t->verbs[0].args, t->name);
	else
		fprintf(stderr, _("usage: %s VERB [OPTIONS] [FILE]; %s --help lists the verbs\n"), t->name, t->name);
	return EX_USAGE;
}

/* The edit distance of a and b (a swap of two neighbours is one edit), at most 9. */
static int edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > 40 || m > 40)
		return 9;
	int d[41][41];
	for (size_t i = 0; i <= n; i++)
		for (size_t j = 0; j <= m; j++) {
			if (!i || !j) {
				d[i][j] = (int)(i + j);
				continue;
			}
			int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[n][m] < 9 ? d[n][m] : 9;
}

/* Word k of a verb's name into buf ("" when it has fewer words). */
static const char *verb_word(const struct verb *v, int k, char *buf, size_t n)
{
	const char *p = v->name;
	for (int i = 0; i < k && p; i++)
		p = strchr(p, ' ') ? strchr(p, ' ') + 1 : NULL;
	snprintf(buf, n, "%.*s", p ? (int)strcspn(p, " ") : 0, p ? p : "");
	return buf;
}

/* The words at place k of the verbs whose words before it are words[0..k-1], as "a, b or c"
 * in list, and the one closest to typed (within two edits, less than half of it) in near. */
static void word_choices(const struct tool *t, char **words, int k, const char *typed, struct sbuf *list, char near[64])
{
	char seen[64][64];
	int n = 0, best = 3;
	*near = 0;
	for (const struct verb *v = t->verbs; v->name && n < 64; v++) {
		char w[64], prev[64];
		int ok = 1;
		for (int i = 0; i < k && ok; i++)
			ok = strcmp(verb_word(v, i, prev, sizeof prev), words[i]) == 0;
		if (!ok || !*verb_word(v, k, w, sizeof w))
			continue;
		for (int i = 0; i < n && ok; i++)
			ok = strcmp(seen[i], w) != 0;	/* "import" begins three verbs: named once */
		if (!ok)
			continue;
		str_copy(seen[n++], sizeof seen[0], w);
		int d = typed ? edit_distance(typed, w) : 9;
		if (d < best && d * 2 < (int)strlen(w)) {
			best = d;
			str_copy(near, 64, w);
		}
	}
	for (int i = 0; i < n; i++) {
		if (i)
			sbuf_adds(list, i == n - 1 ? _(" or ") : ", ");
		sbuf_adds(list, seen[i]);
	}
}

/* Words that name no verb: which word is wrong, what it may be, and the nearest one. */
static int unknown_words(const struct tool *t, char **words, int nwords)
{
	struct sbuf first, nouns;
	char near[64], nnear[64];
	sbuf_init(&first);
	sbuf_init(&nouns);
	word_choices(t, words, 1, nwords > 1 ? words[1] : NULL, &nouns, nnear);
	int rc;
	if (nouns.len && nwords < 2)
		rc = usage_error(t, "%s: which? (expected %s after it)", words[0], nouns.s);
	else if (nouns.len && *nnear)
		rc = usage_error(t, "%s: unknown \"%s\" (expected %s); did you mean \"%s\"?", words[0], words[1], nouns.s, nnear);
	else if (nouns.len)
		rc = usage_error(t, "%s: unknown \"%s\" (expected %s)", words[0], words[1], nouns.s);
	else {
		word_choices(t, words, 0, words[0], &first, near);
		if (*near)
			rc = usage_error(t, "unknown verb \"%s\"; did you mean \"%s\"?", words[0], near);
		else
			rc = usage_error(t, "unknown verb \"%s\"", words[0]);
	}
	sbuf_free(&first);
	sbuf_free(&nouns);
	return rc;
}

/* Splits argv into options and positional words; checks option names and values. */
static int parse_args(const struct tool *t, int argc, char **argv, struct cmd *cmd, char **words, int *nwords)
{
	int dashdash = 0;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (dashdash || a[0] != '-' || strcmp(a, "-") == 0) {
			words[(*nwords)++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			dashdash = 1;
			continue;
		}
		const char *name = a + 2, *value = NULL;
		if (strcmp(a, "-o") == 0)
			name = "output";
		else if (strcmp(a, "-q") == 0)
			name = "quiet";
		else if (strcmp(a, "-h") == 0)
			name = "help";
		else if (a[1] != '-')
			return usage_error(t, "unknown option %s", a);
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		int kind = frame_opt_kind(t, name, len);
		if (!kind)
			return usage_error(t, "unknown option --%.*s", (int)len, name);
		if (kind == 2) {
			if (eq)
				value = eq + 1;
			else if (i + 1 < argc)
				value = argv[++i];
			else
				return usage_error(t, "option --%.*s needs a value", (int)len, name);
		} else if (eq) {
			return usage_error(t, "option --%.*s takes no value", (int)len, name);
		} else {
			value = "";
		}
		cmd->opts = xrealloc(cmd->opts, (size_t)(cmd->nopts + 1) * sizeof *cmd->opts);
		cmd->opts[cmd->nopts].name = xstrndup(name, len);
		cmd->opts[cmd->nopts].value = value;
		cmd->nopts++;
	}
	return 0;
}

static int set_clock(struct cmd *cmd)
{
	const char *now = getenv("PORTAL_NOW");
	long long epoch;
	if (now && *now) {
		if (ts_parse_utc(now, &epoch) != 0) {
			fprintf(stderr, _("%s: PORTAL_NOW \"%s\" is not a UTC timestamp (expected YYYY-MM-DDTHH:MM:SSZ)\n"),
				cmd->tool->name, now);
			return EX_USAGE;
		}
	} else {
		epoch = (long long)time(NULL);
	}
	cmd->c.now_epoch = epoch;
	ts_format_utc(epoch, cmd->c.now);
	date_format_iso(ts_local_days(epoch, "Europe/Moscow"), cmd->c.today);
	return 0;
}

static int set_today(struct cmd *cmd)
{
	char tz[128];
	int rc = config_get(cmd->c.store, "school.timezone", tz, sizeof tz, &cmd->err);
	if (!rc)
		date_format_iso(ts_local_days(cmd->c.now_epoch, tz), cmd->c.today);
	return rc;
}

int cmd_open_output(struct cmd *cmd)
{
	const char *path = cmd_opt(cmd, "output");
	if (!path || strcmp(path, "-") == 0 || cmd->out != stdout)
		return 0;
	/* whole or not at all, 0600 (personal data); passwords never replace a file */
	int rc = afile_open(&cmd->output, path, (cmd->verb->flags & V_SECRET_OUTPUT) ? AFILE_NOREPLACE : 0, &cmd->err);
	if (rc)
		return rc;
	cmd->out = cmd->output.f;
	cmd->output_path = path;
	return 0;
}

static int open_output(struct cmd *cmd)
{
	cmd->out = stdout;
	if (cmd->fmt == OUT_XLSX || (cmd->verb->flags & (V_OWN_OUTPUT | V_LATE_OUTPUT)))
		return 0;
	return cmd_open_output(cmd);
}

int cmd_commit_output(struct cmd *cmd)
{
	if (!cmd->out || cmd->out == stdout)
		return 0;
	cmd->out = NULL;
	return afile_commit(&cmd->output, &cmd->err);
}

static int check_common(struct cmd *cmd)
{
	const char *fmt = (cmd->verb->flags & V_OWN_FORMAT) ? NULL : cmd_opt(cmd, "format");
	cmd->fmt = OUT_CSV;
	if (fmt && out_format_parse(fmt, &cmd->fmt) != 0)
		return perr_set(&cmd->err, EX_USAGE, "--format %s: not a format (expected csv, table, json or xlsx)", fmt);
	if (cmd->fmt == OUT_XLSX && !(cmd->verb->flags & V_XLSX))
		return perr_set(&cmd->err, EX_USAGE, "--format xlsx: %s %s does not write workbooks (expected csv, table or json)",
				cmd->tool->name, cmd->verb->name);
	if (cmd_flag(cmd, "excel")) {
		if (cmd->fmt != OUT_CSV)
			return perr_set(&cmd->err, EX_USAGE, "--excel goes with CSV output only");
		cmd->fmt = OUT_EXCEL;
	}
	const char *d = cmd_opt(cmd, "delimiter");
	if (d && strcmp(d, ",") && strcmp(d, ";") && strcmp(d, "tab") && strcmp(d, "\t"))
		return perr_set(&cmd->err, EX_USAGE, "--delimiter %s: expected ',' ';' or tab", d);
	return 0;
}

int cmd_open_input(struct cmd *cmd, int i, struct csvin **in)
{
	struct csvin_opts o = { cmd_opt(cmd, "encoding"), 0, cmd->input_name };
	const char *d = cmd_opt(cmd, "delimiter");
	if (d)
		o.delimiter = (strcmp(d, "tab") == 0) ? '\t' : d[0];
	const char *path = cmd_arg(cmd, i);
	if (i + 1 < cmd->nargs)
		return perr_set(&cmd->err, EX_USAGE, "%s: one input file at a time (extra argument \"%s\")",
				cmd->verb->name, cmd->args[i + 1]);
	int rc = csvin_open(path, &o, in, &cmd->err);
	if (!rc)
		cmd->row_file = csvin_name(*in);
	return rc;
}

int cmd_class(struct cmd *cmd, char buf[8], const char **cls)
{
	const char *c = cmd_opt(cmd, "class"), *why;
	*cls = NULL;
	if (!c)
		return 0;
	if (value_class(c, buf, &why))
		return perr_set(&cmd->err, EX_USAGE, "--class %s: %s", c, why);
	*cls = buf;
	return cmd->c.store ? known_class(cmd->c.store, "--class", buf, &cmd->err) : 0;
}

int cmd_dates(struct cmd *cmd, int need, char from[11], char to[11], const char **period)
{
	const char *p = cmd_opt(cmd, "period"), *f = cmd_opt(cmd, "from"), *t = cmd_opt(cmd, "to"), *why;
	const char *verb = *cmd->verb->name ? cmd->verb->name : cmd->tool->name;
	*period = p;
	*from = *to = 0;
	if (p && (f || t))
		return perr_set(&cmd->err, EX_USAGE, "%s: --period or --from/--to, not both", verb);
	if (p)
		return known_period(cmd->c.store, "--period", p, from, to, &cmd->err);
	if (!f && !t && !need)
		return 0;
	if (!f || !t)
		return perr_set(&cmd->err, EX_USAGE, "%s: --period P, or --from D and --to D, is required", verb);
	if (value_date(f, from, &why))
		return perr_set(&cmd->err, EX_USAGE, "--from %s: %s", f, why);
	if (value_date(t, to, &why))
		return perr_set(&cmd->err, EX_USAGE, "--to %s: %s", t, why);
	if (strcmp(from, to) > 0)
		return perr_set(&cmd->err, EX_USAGE, "--to %s is before --from %s", to, from);
	return 0;
}

/* The selector given (its name), or NULL. */
static const char *selector_given(const struct cmd *cmd)
{
	for (int i = 0; i < cmd->nopts; i++)
		if (frame_opt_in_list(frame_selectors, cmd->opts[i].name, strlen(cmd->opts[i].name)))
			return cmd->opts[i].name;
	return NULL;
}

/* The pipe contract (SPEC §2), for a verb of V_PEOPLE: the people of FILE or -, or of standard
 * input when no selector is given and it is no terminal (a pipe, a file, /dev/null under cron: a
 * closed or empty one is nobody, never everybody), staged for the lists (ids.h). */
static int read_people(struct cmd *cmd)
{
	const char *sel = selector_given(cmd), *verb = *cmd->verb->name ? cmd->verb->name : cmd->tool->name;
	struct csvin *in;
	int rc;
	if (cmd->nargs && sel)
		return perr_set(&cmd->err, EX_USAGE, "%s: ids (%s) and --%s together: give one or the other",
				verb, cmd->args[0], sel);
	if (!cmd->nargs && (sel || isatty(0)))
		return 0;
	cmd->by_ids = 1;
	cmd->ids_name = cmd->nargs && strcmp(cmd->args[0], "-") ? cmd->args[0] : "stdin";
	if (cmd->nargs || fcntl(0, F_GETFD) >= 0) {
		if ((rc = cmd_open_input(cmd, 0, &in)))
			return rc;
		rc = ids_read(cmd->c.store, in, &cmd->people, &cmd->err);
		csvin_close(in);
		if (rc)
			return rc;
	}
	if (!cmd->people.students.n && !cmd->people.guardians.n) {
		int file = cmd->nargs && strcmp(cmd->args[0], "-"), all = frame_opt_in_list(cmd->verb->opts, "all", 3);
		if (file && all)
			cmd_note(cmd, "%s: no ids in %s: nobody (--all: everybody)", verb, cmd->ids_name);
		else if (file)
			cmd_note(cmd, "%s: no ids in %s: nobody", verb, cmd->ids_name);
		else if (all)
			cmd_note(cmd, "%s: no ids on standard input: nobody (--all: everybody)", verb);
		else
			cmd_note(cmd, "%s: no ids on standard input: nobody", verb);
	}
	if ((rc = ids_stage(cmd->c.store, &cmd->people, &cmd->err)))
		return rc;
	cmd->c.picked = 1;
	return ids_may_read(&cmd->c, &cmd->people, cmd->ids_name, &cmd->err);
}

struct out *cmd_out(struct cmd *cmd)
{
	FILE *f = cmd->out;
	/* -q with --fail-if-any: the exit status is the answer (as grep -q gives it); the rows go nowhere */
	if (cmd->quiet && cmd_flag(cmd, "fail-if-any") && f == stdout) {
		if (!cmd->discard)
			cmd->discard = fopen("/dev/null", "w");
		if (cmd->discard)
			f = cmd->discard;
	}
	struct out *o = out_new(f, cmd->fmt);
	out_defer_header(o);	/* nothing reaches the output before an error: cmd_out_done */
	return o;
}

int cmd_print_row(void *out, const char *const *vals, size_t n)
{
	return out_row(out, vals, n) ? EX_IOERR : 0;
}

int cmd_out_done(struct cmd *cmd, struct out *o)
{
	/* after a failure (the verb's error is set) the header that waits for a row is dropped */
	int rc = cmd->err.status ? out_drop(o) : out_finish(o);
	int err = errno;
	out_free(o);
	if (rc)
		return perr_set(&cmd->err, EX_IOERR, "%s: write error: %s",
				cmd->output_path ? cmd->output_path : _("standard output"), strerror(err));
	return 0;
}

/* A write that PostgreSQL refused for another transaction's sake (a serialization failure or a
 * deadlock) runs again from the start, up to WRITE_ATTEMPTS times in all, when that repeats the
 * same command: it took no data from standard input and its output has not moved (a file, or
 * none; a pipe or a terminal cannot tell, so the command exits 75 there). */
#define WRITE_ATTEMPTS 4

static int may_run_again(struct cmd *cmd, off_t out_at)
{
	struct stat st;
	if (fstat(0, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode) || S_ISSOCK(st.st_mode)))
		return 0;
	return !cmd->out || (out_at >= 0 && fflush(cmd->out) == 0 && ftello(cmd->out) == out_at);
}

/* Runs the verb inside the preconditions its flags name. */
static int run_verb(struct cmd *cmd)
{
	const struct verb *v = cmd->verb;
	int rc;
	if (v->flags & V_STORE) {
		const char *db = cmd_opt(cmd, "db");
		if (!db)
			db = getenv("PORTAL_DB");
		if (!db || !*db)
			db = "portal.db";
		int flags = ((v->flags & V_ANY_SCHEMA) ? STORE_ANY_SCHEMA : 0) |
			    ((v->flags & V_ANY_VERSION) ? STORE_ANY_VERSION : 0);
		if ((rc = store_open(db, flags, &cmd->c.store, &cmd->err)) || (rc = set_today(cmd)))
			return rc;
	}
	if (v->flags & (V_READ | V_WRITE)) {
		const char *login = (v->flags & V_ACTOR_FILTER) ? NULL : cmd_opt(cmd, "actor");
		if (!login)
			login = getenv("PORTAL_ACTOR");
		if ((rc = actor_load(cmd->c.store, login, &cmd->c.actor, &cmd->err)))
			return rc;
	}
	if ((v->flags & V_PEOPLE) && (rc = read_people(cmd)))
		return rc;
	cmd->c.dry_run = cmd_flag(cmd, "dry-run");
	if (v->flags & V_WRITE) {
		for (int attempt = 1;; attempt++) {
			off_t out_at = cmd->out ? ftello(cmd->out) : -1;
			if ((rc = store_begin_write(cmd->c.store, &cmd->err)))
				return rc;
			rc = v->run(cmd);
			if (rc == 0 && !cmd->c.dry_run)
				rc = store_commit(cmd->c.store, &cmd->err);
			else
				store_rollback(cmd->c.store);
			if (rc != EX_TEMPFAIL || attempt == WRITE_ATTEMPTS || !store_retryable(cmd->c.store) ||
			    !may_run_again(cmd, out_at))
				return rc;
			cmd_warn(cmd, "%s; running the command again", cmd->err.msg);
			cmd->err = (struct perr){ 0 };
			cmd->nerrors = 0;
		}
	}
	return v->run(cmd);
}

/* A command that committed a write appends the new audit head to the witness (audit.witness).
 * The commit stays when that fails: the command says so and exits 74. */
static int follow_witness(struct cmd *cmd, int rc)
{
	struct perr e = { 0 };
	if (!cmd->c.store || !store_wrote(cmd->c.store) || !witness_follow(cmd->c.store, cmd->c.now, &e))
		return rc;
	fprintf(stderr, _("%s: %s; the change is committed: the witness gets the head once the file can be "
			  "written (portal-db witness)\n"), cmd->tool->name, e.msg);
	return rc ? rc : EX_IOERR;
}

static int finish(struct cmd *cmd, int rc)
{
	progress_abort(cmd->progress);	/* a job that failed: its line goes, the error says why */
	cmd->progress = NULL;
	/* 1 is an answer, not a failure (--fail-if-any found some, verify said no): what was written is
	 * whole, and -o FILE keeps it (the crontab mails it) */
	int answered = rc == 0 || (rc == 1 && !cmd->err.status);
	if (cmd->out && cmd->out != stdout && !answered) {
		afile_abort(&cmd->output);
		cmd->out = NULL;
	}
	if (answered) {
		int c = cmd_commit_output(cmd);
		rc = c ? c : rc;
	}
	if (cmd->discard)
		fclose(cmd->discard);
	if (fclose(stdout) != 0 && !rc)
		rc = perr_set(&cmd->err, EX_IOERR, "standard output: write error: %s", strerror(errno));
	if (rc && cmd->err.status && cmd->err.msg[0])
		fprintf(stderr, "%s: %s\n", cmd->tool->name, cmd->err.msg);
	if (rc && cmd->nerrors > MAX_ROW_ERRORS)
		fprintf(stderr, ngettext("%s: … and %ld more bad row not shown\n", "%s: … and %ld more bad rows not shown\n",
					 (unsigned long)(cmd->nerrors - MAX_ROW_ERRORS)),
			cmd->tool->name, cmd->nerrors - MAX_ROW_ERRORS);
	actor_free(cmd->c.actor);
	ids_free(&cmd->people);
	store_close(cmd->c.store);
	for (int i = 0; i < cmd->nopts; i++)
		free((char *)cmd->opts[i].name);
	free(cmd->opts);
	return rc;
}

/* Where the translations are: PORTAL_LOCALEDIR; beside a binary run from the source tree (bin/),
 * those make built in build/locale; else where make install put them (LOCALEDIR). */
static const char *locale_dir(char *buf, size_t n)
{
	const char *env = getenv("PORTAL_LOCALEDIR");
	struct stat st;
	if (env && *env)
		return env;
	ssize_t len = readlink("/proc/self/exe", buf, n);
	char *slash = len > 0 && (size_t)len < n ? memrchr(buf, '/', (size_t)len) : NULL;
	if (slash && (size_t)(slash - buf) + sizeof "/../build/locale" <= n) {
		memcpy(slash, "/../build/locale", sizeof "/../build/locale");
		if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
			return buf;
	}
	return LOCALEDIR;
}

int frame_main(const struct tool *t, int argc, char **argv)
{
	struct cmd cmd = { 0 };
	char **words = xcalloc((size_t)argc + 1, sizeof *words);
	int nwords = 0, used = 0, rc;
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");	/* "3.5", never "3,5", in every number written */
	char dir[4096];
	bindtextdomain(I18N_DOMAIN, locale_dir(dir, sizeof dir));
	textdomain(I18N_DOMAIN);
	/* the hidden first option of the shell completions: no other option, no verb runs */
	if (argc > 1 && strcmp(argv[1], "--complete") == 0) {
		free(words);
		rc = frame_complete(t, argc - 2, argv + 2);
		return fclose(stdout) != 0 && !rc ? EX_IOERR : rc;
	}
	/* Freed memory is kept for what comes next instead of going back to the kernel at every
	 * free: a document per extract or class allocates and frees its buffers each time, and
	 * shrinking the heap (with a TLB flush on every core) took half the time of a school's
	 * extracts (300 PDFs 3.8 → 1.65 s, workbooks 1.35 → 0.42 s; nightly 0.85 → 0.63 s). The
	 * peak is the same. */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);	/* the most glibc takes: an Argon2id hash's 19 MiB is reused */
	cmd.tool = t;
	ids_init(&cmd.people);
	if (sodium_init() < 0) {
		fprintf(stderr, _("%s: libsodium cannot start\n"), t->name);
		return EX_SOFTWARE;
	}
	if ((rc = parse_args(t, argc, argv, &cmd, words, &nwords)))
		goto done;
	cmd.quiet = cmd_flag(&cmd, "quiet");
	if (cmd_flag(&cmd, "version")) {
		printf("%s %s\n", t->name, PORTAL_VERSION);
		goto done;
	}
	cmd.verb = frame_find_verb(t, words, nwords, &used);
	if (!cmd.verb && frame_verbless(t)) {
		if (cmd_flag(&cmd, "help")) {
			print_usage(t, stdout);
			goto done;
		}
		cmd.verb = t->verbs;
		used = 0;
	}
	if (!cmd.verb) {
		if (cmd_flag(&cmd, "help") || nwords == 0) {
			print_usage(t, nwords || cmd_flag(&cmd, "help") ? stdout : stderr);
			rc = cmd_flag(&cmd, "help") ? 0 : EX_USAGE;
		} else {
			rc = unknown_words(t, words, nwords);
		}
		goto done;
	}
	if (cmd_flag(&cmd, "help")) {
		print_verb_help(t, cmd.verb);
		goto done;
	}
	for (int i = 0; i < cmd.nopts; i++)
		if (!verb_allows(cmd.verb, cmd.opts[i].name)) {
			rc = usage_error(t, "%s does not take --%s", cmd.verb->name, cmd.opts[i].name);
			goto done;
		}
	cmd.args = words + used;
	cmd.nargs = nwords - used;
	/* - is standard input, for a verb that reads it: a file, or people as ids (SPEC §2) */
	for (int i = 0; !(cmd.verb->flags & V_INPUT) && i < cmd.nargs; i++)
		if (strcmp(cmd.args[i], "-") == 0) {
			rc = usage_error(t, "%s reads nothing from - (standard input): it acts on no people given as ids "
					 "and reads no file", cmd.verb->name);
			goto done;
		}
	int arity = verb_arity(cmd.verb);
	if (arity >= 0 && cmd.nargs > arity) {
		const char *verb = cmd.verb->name, *extra = cmd.args[arity];
		if (*verb && arity)
			rc = usage_error(t, "%s: unexpected argument \"%s\" (it takes at most %d)", verb, extra, arity);
		else if (*verb)
			rc = usage_error(t, "%s: unexpected argument \"%s\" (it takes no FILE or other argument)", verb, extra);
		else if (arity)
			rc = usage_error(t, "unexpected argument \"%s\" (it takes at most %d)", extra, arity);
		else
			rc = usage_error(t, "unexpected argument \"%s\" (it takes no FILE or other argument)", extra);
		goto done;
	}
	cmd.c.tool = t->name;
	cmd.c.action = cmd.verb->name;
	if ((rc = set_clock(&cmd)) || (rc = check_common(&cmd)) || (rc = open_output(&cmd)))
		goto done;
	rc = follow_witness(&cmd, run_verb(&cmd));
done:
	rc = finish(&cmd, rc);
	free(words);
	return rc;
}
