/*
 * completion.c: each binary answers its own completion questions from the verb
 * table and option lists it parses its command line with, so the bash, zsh and
 * fish scripts stay thin and a new verb completes without touching them.
 *
 *   portal-X --complete verbs                    each verb: its words, TAB, what it does
 *   portal-X --complete options [WORD...]        the options of the verb WORDs name (all of
 *                                                them before a verb): "--name", "--name=" when
 *                                                it takes a value
 *   portal-X --complete values OPTION [WORD...]  the values of OPTION after the verb of WORDs
 *   portal-X --complete line [WORD...] CURRENT   what the shell offers for the word CURRENT
 *                                                (maybe "") after the words before it
 *
 * line prints one first line, "words", "files" or "dirs". After "words" come the candidates
 * that begin with CURRENT, one a line, each a whole word ("--format=csv" for "--format=c"),
 * some followed by TAB and what they are. "files" and "dirs" leave the names to the shell
 * (after the '=' of "--opt=").
 *
 * A verb's fixed values are read from its usage line ("[--who students|guardians|staff|all]"),
 * so --help and the completion cannot disagree; values_of_option below holds the rest. Values
 * in the store come from --db or PORTAL_DB, looked up as the actor of --actor or PORTAL_ACTOR;
 * with no store, no rights or a locked actor nothing is printed. Every answer exits 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "complete.h"
#include "frame.h"
#include "util.h"

enum answer { ANSWER_WORDS, ANSWER_FILES, ANSWER_DIRS };

/* What an option's value is where no usage line lists its values. */
static const struct option_values {
	const char *name;
	const char *words;	/* fixed values, '|' separated */
	enum complete_lookup lookup;
	enum answer answer;
} values_of_option[] = {
	{ "db", NULL, LOOKUP_NONE, ANSWER_FILES },
	{ "output", NULL, LOOKUP_NONE, ANSWER_FILES },
	{ "encoding", "utf-8|cp1251|utf-16le", LOOKUP_NONE, ANSWER_WORDS },
	{ "delimiter", ",|;|tab", LOOKUP_NONE, ANSWER_WORDS },
	{ "decision", "given|refused|withdrawn", LOOKUP_NONE, ANSWER_WORDS },
	{ "form", "paper|electronic", LOOKUP_NONE, ANSWER_WORDS },
	{ "actor", NULL, LOOKUP_STAFF_LOGINS, ANSWER_WORDS },
	{ "class", NULL, LOOKUP_CLASSES, ANSWER_WORDS },
	{ "period", NULL, LOOKUP_PERIODS, ANSWER_WORDS },
	{ "subject", NULL, LOOKUP_SUBJECTS, ANSWER_WORDS },
	{ "student", NULL, LOOKUP_STUDENTS, ANSWER_WORDS },
	{ "guardian", NULL, LOOKUP_GUARDIANS, ANSWER_WORDS },
};

#define MAX_WORDS 64

/* The command line as far as the current word. */
struct line {
	const struct tool *t;
	const char *pos[MAX_WORDS];	/* the words that are no option or option value */
	int npos;
	const char *given[MAX_WORDS];	/* the names of the options given */
	int ngiven;
	const char *db, *actor, *kind;	/* --db, --actor, --kind */
};

/* Prints the candidates that begin with cur, each after before. */
struct emit {
	FILE *out;
	const char *before;
	const char *cur;
	const char *seen[128];		/* printed already */
	int nseen;
	int failed;			/* a look-up failed: print none of it */
};

static void emit(void *p, const char *word, const char *about)
{
	struct emit *e = p;
	if (strncmp(word, e->cur, strlen(e->cur)) != 0)
		return;
	for (int i = 0; i < e->nseen; i++)
		if (strcmp(e->seen[i], word) == 0)
			return;
	if (e->nseen < (int)(sizeof e->seen / sizeof *e->seen))
		e->seen[e->nseen++] = xstrdup(word);
	fprintf(e->out, "%s%s%s%s\n", e->before, word, about ? "\t" : "", about ? about : "");
}

static void emit_done(struct emit *e)
{
	for (int i = 0; i < e->nseen; i++)
		free((char *)e->seen[i]);
	e->nseen = 0;
}

/* Each '|' separated word of list. */
static void emit_list(struct emit *e, const char *list)
{
	char buf[256];
	str_copy(buf, sizeof buf, list);
	for (char *save = NULL, *w = strtok_r(buf, "|", &save); w; w = strtok_r(NULL, "|", &save))
		emit(e, w, NULL);
}

/* A word of a usage line without its brackets: "[--who" → "--who", "FILE|-]" → "FILE|-". */
static void bare(const char *w, char *out, size_t n)
{
	w += strspn(w, "[(");
	str_copy(out, n, w);
	size_t len = strlen(out);
	while (len && strchr("])", out[len - 1]))
		out[--len] = 0;
}

/* The word after "--name" in the verb's usage line ("C", "FILE", "csv|txt|pdf") into out;
 * 0 when the usage does not name the option with a value. */
static int usage_value(const struct verb *v, const char *name, char *out, size_t n)
{
	char buf[512], want[80], w[128];
	int next = 0;
	snprintf(want, sizeof want, "--%s", name);
	if (strcmp(name, "output") == 0)
		str_copy(want, sizeof want, "-o");
	str_copy(buf, sizeof buf, v->args);
	for (char *save = NULL, *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		bare(tok, w, sizeof w);
		if (next) {
			str_copy(out, n, w);
			return 1;
		}
		size_t len = strlen(tok);
		next = strcmp(w, want) == 0 && tok[len - 1] != ']' && tok[len - 1] != ')';
	}
	return 0;
}

/* 1 when the usage line shows the option ("[--sync]", "--reason TEXT"). */
static int usage_names(const struct verb *v, const char *name)
{
	char buf[512], w[128];
	str_copy(buf, sizeof buf, v->args);
	for (char *save = NULL, *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		bare(tok, w, sizeof w);
		if (w[0] == '-' && w[1] == '-' && strcmp(w + 2, name) == 0)
			return 1;
	}
	return 0;
}

/* A placeholder of fixed values is lowercase: "active|left|all", not "FILE|DIR" or "C". */
static int fixed_values(const char *word)
{
	return strchr(word, '|') && !(word[0] >= 'A' && word[0] <= 'Z');
}

static int any_verb_has(const struct tool *t, int flag)
{
	for (const struct verb *v = t->verbs; v->name; v++)
		if (v->flags & flag)
			return 1;
	return 0;
}

/* Opens the store of the command line as its actor; NULL on any error (the shell sees nothing). */
static struct store *open_store(const struct line *l, const struct verb *v, struct actor **a)
{
	struct perr e = { 0 };
	struct store *s;
	const char *db = l->db ? l->db : getenv("PORTAL_DB");
	const char *actor = (l->actor && !(v && (v->flags & V_ACTOR_FILTER))) ? l->actor : getenv("PORTAL_ACTOR");
	if (store_open(db && *db ? db : "portal.db", STORE_READONLY, &s, &e))
		return NULL;
	if (actor_load(s, actor, a, &e)) {
		store_close(s);
		return NULL;
	}
	return s;
}

static void lookup(const struct line *l, const struct verb *v, enum complete_lookup what, struct emit *e)
{
	struct actor *a = NULL;
	struct perr err = { 0 };
	struct store *s = open_store(l, v, &a);
	if (!s)
		return;
	if (complete_lookup(s, a, what, e->cur, emit, e, &err))
		e->failed = 1;
	actor_free(a);
	store_close(s);
}

/* The values of option name after verb v (NULL while no verb is typed whole). */
static enum answer option_values(const struct line *l, const struct verb *v, const char *name, struct emit *e)
{
	char w[256] = "";
	int named = v && usage_value(v, name, w, sizeof w);
	if (!named && strcmp(name, "format") == 0) {
		int xlsx = v ? !!(v->flags & V_XLSX) : any_verb_has(l->t, V_XLSX);
		emit_list(e, xlsx ? "csv|table|json|xlsx" : "csv|table|json");
		return ANSWER_WORDS;
	}
	for (const struct verb *o = l->t->verbs; !named && !v && o->name; o++)
		named = usage_value(o, name, w, sizeof w);
	if (named && fixed_values(w)) {
		emit_list(e, w);
		return ANSWER_WORDS;
	}
	if (named && (strncmp(w, "FILE", 4) == 0 || strncmp(w, "PATH", 4) == 0))
		return ANSWER_FILES;
	if (named && strncmp(w, "DIR", 3) == 0)
		return ANSWER_DIRS;
	for (size_t i = 0; i < sizeof values_of_option / sizeof *values_of_option; i++) {
		const struct option_values *o = &values_of_option[i];
		if (strcmp(o->name, name) != 0)
			continue;
		if (o->words)
			emit_list(e, o->words);
		else if (o->lookup)
			lookup(l, v, o->lookup, e);
		return o->answer;
	}
	return ANSWER_WORDS;	/* free text: a date, a reason, a name */
}

/* Each option of a ',' separated list ("db=,quiet"), those of a verb only when its usage shows
 * them (import guardians takes --sync only to say it goes with students). */
static void emit_opts(struct emit *e, const char *list, const struct verb *v, int arity)
{
	char buf[512], word[80];
	str_copy(buf, sizeof buf, list);
	for (char *save = NULL, *o = strtok_r(buf, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		size_t len = strlen(o);
		int takes = o[len - 1] == '=';
		if (takes)
			o[len - 1] = 0;
		/* --version goes before a verb (options() adds it there) */
		if (strcmp(o, "version") == 0 || (v && !usage_names(v, o)))
			continue;
		snprintf(word, sizeof word, "--%s%s", o, arity && takes ? "=" : "");
		emit(e, word, NULL);
		if (strcmp(o, "output") == 0 || strcmp(o, "quiet") == 0) {
			snprintf(word, sizeof word, "-%c%s", o[0], arity && takes ? "=" : "");
			emit(e, word, NULL);
		}
	}
}

/* The options of verb v: the common ones, the input ones where it reads a file, its own. */
static void verb_options(struct emit *e, const struct verb *v, int arity)
{
	emit_opts(e, frame_common_opts, NULL, arity);
	if (v->flags & V_INPUT)
		emit_opts(e, frame_input_opts, NULL, arity);
	emit_opts(e, v->opts, v, arity);
}

/* 1 when verb v begins with the n words; next gets its word after them ("" when it has none)
 * and *last whether that word is its last. */
static int verb_begins(const struct verb *v, const char *const *words, int n, char *next, size_t nextlen, int *last)
{
	char buf[128];
	int k = 0;
	str_copy(buf, sizeof buf, v->name);
	*next = 0;
	for (char *save = NULL, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save), k++) {
		if (k == n) {
			str_copy(next, nextlen, w);
			*last = strtok_r(NULL, " ", &save) == NULL;
			return 1;
		}
		if (strcmp(words[k], w) != 0)
			return 0;
	}
	return k == n;
}

/* The options where the verb is v, or (v NULL) any verb the words so far may become. */
static void options(const struct line *l, const struct verb *v, struct emit *e, int arity)
{
	char next[64];
	int last;
	if (frame_verbless(l->t))
		v = l->t->verbs;
	if (v) {
		verb_options(e, v, arity);
	} else if (l->npos == 0) {
		emit_opts(e, frame_common_opts, NULL, arity);
	} else {
		for (const struct verb *o = l->t->verbs; o->name; o++)
			if (verb_begins(o, l->pos, l->npos, next, sizeof next, &last))
				verb_options(e, o, arity);
	}
	if (!v ? l->npos == 0 : frame_verbless(l->t))
		emit(e, "--version", NULL);
}

/* The next word of every verb that begins with the words so far; 1 when there is one. */
static int verb_words(const struct line *l, struct emit *e)
{
	char next[64];
	int found = 0, last;
	for (const struct verb *v = l->t->verbs; v->name; v++) {
		if (!*v->name || !verb_begins(v, l->pos, l->npos, next, sizeof next, &last) || !*next)
			continue;
		/* the last word of a verb says what the verb does */
		emit(e, next, last ? _(v->about) : NULL);
		found = 1;
	}
	return found;
}

/* The k-th positional placeholder of v's usage ("FILE|-", "LOGIN", "KEY") into out, and where it
 * stands in the usage; 0 when v takes no k-th. A last one with "..." repeats; a verb that reads
 * ids and names no FILE (portal-extract) takes one. */
static int placeholder(const struct verb *v, int k, char *out, size_t n, size_t *at)
{
	char buf[512], w[128];
	int i = 0, value_next = 0, repeats = 0;
	str_copy(buf, sizeof buf, v->args);
	for (char *save = NULL, *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		size_t len = strlen(tok);
		bare(tok, w, sizeof w);
		if (w[0] == '-') {
			value_next = tok[len - 1] != ']' && tok[len - 1] != ')';
			continue;
		}
		if (value_next || !(w[0] >= 'A' && w[0] <= 'Z')) {
			value_next = 0;
			continue;
		}
		repeats = strstr(w, "...") || strstr(w, "…");
		str_copy(out, n, w);
		*at = (size_t)(tok - buf);
		if (i++ == k)
			return 1;
	}
	if (i > 0)
		return repeats;
	if (k == 0 && (v->flags & V_INPUT)) {
		str_copy(out, n, "FILE");
		*at = strlen(v->args);
		return 1;
	}
	return 0;
}

static int given(const struct line *l, const char *name, size_t len)
{
	for (int i = 0; i < l->ngiven; i++)
		if (strlen(l->given[i]) == len && strncmp(l->given[i], name, len) == 0)
			return 1;
	return 0;
}

/* 1 when the FILE at offset at of v's usage is an alternative to an option given: one of its
 * bracket ("[--class C | FILE|-]"), or a selector for a verb whose FILE is implicit. */
static int file_excluded(const struct line *l, const struct verb *v, size_t at)
{
	const char *u = v->args;
	size_t ulen = strlen(u), start = 0, end = ulen;
	if (at >= ulen) {
		for (int i = 0; i < l->ngiven; i++)
			if (frame_opt_in_list(frame_selectors, l->given[i], strlen(l->given[i])))
				return 1;
		return 0;
	}
	for (size_t i = at, depth = 0; i-- > 0;) {
		if (strchr("])", u[i]))
			depth++;
		else if (strchr("[(", u[i]) && depth-- == 0) {
			start = i;
			break;
		}
	}
	for (size_t i = at, depth = 0; i < ulen; i++) {
		if (strchr("[(", u[i]))
			depth++;
		else if (strchr("])", u[i]) && depth-- == 0) {
			end = i;
			break;
		}
	}
	if (start == 0 && end == ulen)
		return 0;
	for (const char *p = strstr(u + start, "--"); p && p < u + end; p = strstr(p + 2, "--")) {
		size_t len = strcspn(p + 2, " ])|");
		if (given(l, p + 2, len))
			return 1;
	}
	return 0;
}

/* The k-th positional argument of verb v, the previous one prev. */
static enum answer positional(const struct line *l, const struct verb *v, int k, const char *prev, struct emit *e)
{
	char ph[128];
	size_t at = 0;
	if (!placeholder(v, k, ph, sizeof ph, &at))
		return ANSWER_WORDS;
	if (strncmp(ph, "FILE", 4) == 0)
		return file_excluded(l, v, at) ? ANSWER_WORDS : ANSWER_FILES;
	if (strncmp(ph, "DIR", 3) == 0)
		return ANSWER_DIRS;
	if (strcmp(ph, "LOGIN") == 0)
		lookup(l, v, LOOKUP_LOGINS, e);
	else if (strcmp(ph, "KEY") == 0)
		complete_config_keys(e->cur, emit, e);
	else if (strcmp(ph, "VALUE") == 0 && prev && complete_config_is_path(prev))
		return ANSWER_FILES;
	else if (strncmp(ph, "FIELD=VALUE", 11) == 0)
		complete_person_fields(l->kind, e->cur, emit, e);
	return ANSWER_WORDS;
}

/* Reads the words before the current one into l; returns the option whose value the current
 * word is (NULL when it is none). */
static const char *read_line(struct line *l, int n, char **w, int *dashdash)
{
	for (int i = 0; i < n; i++) {
		const char *a = w[i], *value = NULL;
		if (*dashdash || a[0] != '-' || strcmp(a, "-") == 0) {
			if (l->npos < MAX_WORDS)
				l->pos[l->npos++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			*dashdash = 1;
			continue;
		}
		const char *name = strcmp(a, "-o") == 0 ? "output" : strcmp(a, "-q") == 0 ? "quiet"
				 : strcmp(a, "-h") == 0 ? "help" : a + 2;
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		if (eq)
			value = eq + 1;
		else if (frame_opt_kind(l->t, name, len) == 2) {
			if (i + 1 == n)
				return name;
			value = w[++i];
		}
		char *copy = xstrndup(name, len);
		if (l->ngiven < MAX_WORDS)
			l->given[l->ngiven++] = copy;
		if (strcmp(copy, "db") == 0)
			l->db = value;
		else if (strcmp(copy, "actor") == 0)
			l->actor = value;
		else if (strcmp(copy, "kind") == 0)
			l->kind = value;
	}
	return NULL;
}

static const struct verb *line_verb(const struct line *l, int *used)
{
	*used = 0;
	if (frame_verbless(l->t))
		return l->t->verbs;
	return frame_find_verb(l->t, (char **)l->pos, l->npos, used);
}

static int answer_line(const struct tool *t, int n, char **w)
{
	struct line l = { .t = t };
	struct emit e = { .out = NULL, .before = "", .cur = n ? w[n - 1] : "" };
	int dashdash = 0, used;
	const char *pending = n ? read_line(&l, n - 1, w, &dashdash) : NULL;
	const struct verb *v = line_verb(&l, &used);
	enum answer a = ANSWER_WORDS;
	char before[80];
	/* the answer comes first: a shell reads one line to know what follows */
	char *buf = NULL;
	size_t len = 0;
	e.out = open_memstream(&buf, &len);
	if (!e.out)
		return 0;
	const char *eq = strchr(e.cur, '=');
	if (pending) {
		a = option_values(&l, v, pending, &e);
	} else if (!dashdash && e.cur[0] == '-' && e.cur[1] == '-' && eq) {
		snprintf(before, sizeof before, "%.*s", (int)(eq - e.cur + 1), e.cur);
		char *name = xstrndup(e.cur + 2, (size_t)(eq - e.cur - 2));
		e.before = before;
		e.cur = eq + 1;
		a = option_values(&l, v, name, &e);
		free(name);
	} else if (!dashdash && e.cur[0] == '-') {
		options(&l, v, &e, 0);
	} else if ((!v || used == l.npos) && !frame_verbless(t) && verb_words(&l, &e)) {
		a = ANSWER_WORDS;
	} else if (v) {
		int k = l.npos - used;
		a = positional(&l, v, k, k > 0 ? l.pos[l.npos - 1] : NULL, &e);
	}
	fclose(e.out);
	printf("%s\n", a == ANSWER_FILES ? "files" : a == ANSWER_DIRS ? "dirs" : "words");
	if (a == ANSWER_WORDS && !e.failed)
		fputs(buf, stdout);
	free(buf);
	emit_done(&e);
	for (int i = 0; i < l.ngiven; i++)
		free((char *)l.given[i]);
	return 0;
}

static int answer_verbs(const struct tool *t)
{
	for (const struct verb *v = t->verbs; v->name; v++)
		if (*v->name)
			printf("%s\t%s\n", v->name, _(v->about));
	return 0;
}

/* The verb of words (all of them), NULL when they name none whole. */
static const struct verb *verb_of(struct line *l, int n, char **w)
{
	int used;
	for (int i = 0; i < n && l->npos < MAX_WORDS; i++)
		l->pos[l->npos++] = w[i];
	const struct verb *v = line_verb(l, &used);
	return v && used == l->npos ? v : NULL;
}

static int answer_options(const struct tool *t, int n, char **w)
{
	struct line l = { .t = t };
	struct emit e = { .out = stdout, .before = "", .cur = "" };
	options(&l, verb_of(&l, n, w), &e, 1);
	emit_done(&e);
	return 0;
}

static int answer_values(const struct tool *t, int n, char **w)
{
	struct line l = { .t = t };
	struct emit e = { .out = NULL, .before = "", .cur = "" };
	const char *name = w[0] + strspn(w[0], "-");
	const struct verb *v = verb_of(&l, n - 1, w + 1);
	char *buf = NULL;
	size_t len = 0;
	if (!(e.out = open_memstream(&buf, &len)))
		return 0;
	/* the words after the option are only the verb's: the store is PORTAL_DB's */
	option_values(&l, v, strcmp(name, "o") == 0 ? "output" : name, &e);
	fclose(e.out);
	if (!e.failed)
		fputs(buf, stdout);
	free(buf);
	emit_done(&e);
	return 0;
}

int frame_complete(const struct tool *t, int argc, char **argv)
{
	const char *q = argc > 0 ? argv[0] : "";
	if (strcmp(q, "verbs") == 0 && argc == 1)
		return answer_verbs(t);
	if (strcmp(q, "options") == 0)
		return answer_options(t, argc - 1, argv + 1);
	if (strcmp(q, "values") == 0 && argc >= 2)
		return answer_values(t, argc - 1, argv + 1);
	if (strcmp(q, "line") == 0)
		return answer_line(t, argc - 1, argv + 1);
	fprintf(stderr, "%s: --complete verbs | options [VERB] | values OPTION [VERB] | line [WORD...] CURRENT\n", t->name);
	return EX_USAGE;
}
