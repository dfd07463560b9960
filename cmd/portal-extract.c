/*
 * portal-extract: extracts from the journal for parents: e-mail (eml) to the
 * guardians whose standing consent allows it, one paper extract for every
 * student with another guardian or none. Each extract is registered with its
 * acknowledgement code; the manifest goes to standard output.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ackcode.h"
#include "actor.h"
#include "audit.h"
#include "config.h"
#include "consent.h"
#include "extract.h"
#include "frame.h"
#include "journal.h"
#include "mail.h"
#include "roster.h"
#include "strmap.h"
#include "values.h"

enum fmt { F_TXT, F_CSV, F_XLSX, F_EML, F_PDF };
static const char *const fmt_ext[] = { "txt", "csv", "xlsx", "eml", "pdf" };

struct pick {
	char *id, *cls;
};

/* A file made, complete under a temporary name until every file is and the registration commits. */
struct made {
	struct afile file;
	char *path;		/* its final name, kept to take it back should the commit fail */
};

struct run {
	struct cmd *cmd;
	enum { CH_AUTO, CH_PAPER_ONLY, CH_EMAIL_ONLY } channel;
	enum fmt paper;			/* the format of paper extracts */
	const char *out;		/* -o */
	int dir;			/* -o is a directory: a file per extract */
	char from[11], to[11];
	const char *period;
	char mail_from[256];
	char sendmail[1024];		/* --send: mail.sendmail, read before anything is registered */
	struct strmap named;		/* students named (--student or piped): those who left too */
	struct strmap guardians;	/* guardians piped in: only they */
	struct made *made;
	size_t nmade;
	struct mailed { char *path, *code, *guardian; } *mails;	/* the e-mails made, for --send */
	size_t nmails;
	/* one file for all paper extracts (-o FILE) */
	struct afile one_file;
	FILE *one;			/* one_file.f while it is written */
	struct out *one_csv;
	struct xlsx book;
	int book_open;
	struct pdf *doc;		/* -o FILE.pdf: every paper extract, each from a new page */
	struct out *manifest;		/* into manifest_buf: printed after the commit, never for a failed run */
	char *manifest_buf;
	size_t manifest_len;
	FILE *manifest_f;
	char email_dir[4200];		/* -o DIR, or FILE-email beside -o FILE */
	int email_dir_made;
	int dirs_created;		/* DIR_OUT, DIR_EMAIL: removed again (when empty) by a failed run */
	long n_paper, n_email, n_refused;
};

enum { DIR_OUT = 1, DIR_EMAIL = 2 };

/* Completes a file on the disk (flushed, checked, fsynced) and takes it over (*a is emptied) to
 * move into place with the others; 74 naming it when it cannot be completed (nothing of it is
 * left then). */
static int add_made(struct run *r, struct afile *a)
{
	int rc = afile_close(a, &r->cmd->err);
	if (rc)
		return rc;
	r->made = xrealloc(r->made, (r->nmade + 1) * sizeof *r->made);
	r->made[r->nmade].file = *a;
	r->made[r->nmade].path = xstrdup(a->path);
	r->nmade++;
	memset(a, 0, sizeof *a);
	return 0;
}

static int parse_format(struct cmd *cmd, struct run *r)
{
	const char *f = cmd_opt(cmd, "format"), *ch = cmd_opt(cmd, "channel");
	r->paper = F_TXT;
	r->channel = CH_AUTO;
	if (ch && !strcmp(ch, "paper"))
		r->channel = CH_PAPER_ONLY;
	else if (ch && !strcmp(ch, "email"))
		r->channel = CH_EMAIL_ONLY;
	else if (ch && strcmp(ch, "auto"))
		return perr_set(&cmd->err, EX_USAGE, "--channel %s: expected auto, paper or email", ch);
	if (!f || !strcmp(f, "txt"))
		r->paper = F_TXT;
	else if (!strcmp(f, "csv"))
		r->paper = F_CSV;
	else if (!strcmp(f, "xlsx"))
		r->paper = F_XLSX;
	else if (!strcmp(f, "eml")) {
		if (r->channel == CH_PAPER_ONLY)
			return perr_set(&cmd->err, EX_USAGE, "--format eml goes with e-mail, not with --channel paper");
		r->channel = CH_EMAIL_ONLY;
	} else if (!strcmp(f, "pdf"))
		r->paper = F_PDF;
	else
		return perr_set(&cmd->err, EX_USAGE, "--format %s: expected txt, csv, xlsx, eml or pdf", f);
	return 0;
}


static void add_pick(struct pick **v, size_t *n, const char *id, const char *cls)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[*n].id = xstrdup(id);
	(*v)[*n].cls = xstrdup(cls);
	(*n)++;
}

static int cmp_pick(const void *a, const void *b)
{
	return strcmp(((const struct pick *)a)->cls, ((const struct pick *)b)->cls);
}

/* The students: --class, --student…, or the ids piped in; sorted by class. */
static int select_students(struct cmd *cmd, struct run *r, struct pick **v, size_t *n)
{
	const char *cls = cmd_opt(cmd, "class"), **named = xcalloc((size_t)cmd->nopts + 1, sizeof *named), *why;
	int nn = cmd_opt_all(cmd, "student", named, cmd->nopts), rc;
	char c[8];
	struct strmap piped;
	strmap_init(&piped);
	*v = NULL;
	*n = 0;
	if (cls && nn) {
		free(named);
		return perr_set(&cmd->err, EX_USAGE, "--class or --student, not both");
	}
	if (cls) {
		free(named);
		if (value_class(cls, c, &why))
			return perr_set(&cmd->err, EX_USAGE, "--class %s: %s", cls, why);
		struct stmt *st = store_prepare(cmd->c.store, "SELECT student_id FROM students WHERE class = $1 AND status = 'active' "
						"ORDER BY last_name, first_name, student_id", &cmd->err);
		if (!st)
			return cmd->err.status;
		stmt_bind_text(st, 1, c);
		while ((rc = stmt_step(st, &cmd->err)) == 1)
			add_pick(v, n, stmt_text(st, 0), c);
		stmt_reset(st);
		if (rc < 0)
			return -rc;
		if (!*n)
			cmd_warn(cmd, "class %s has no students at school", c);
		return 0;
	}
	if (!nn) {
		if (!cmd->nargs && isatty(0)) {
			free(named);
			return perr_set(&cmd->err, EX_USAGE, "whose extracts? --class C, --student S, or ids on standard input");
		}
		if ((rc = cmd_read_ids(cmd, 0, &piped, &r->guardians))) {
			free(named);
			strmap_free(&piped);
			return rc;
		}
		if (!piped.n && r->guardians.n) {
			/* guardians only: their children at school */
			struct stmt *gs = store_prepare(cmd->c.store,
				"SELECT l.student_id FROM guardian_links l JOIN students s ON s.student_id = l.student_id "
				"WHERE l.guardian_id = $1 AND s.status = 'active' "
				"AND " FACT_VALID("l"), &cmd->err);
			if (!gs) {
				free(named);
				strmap_free(&piped);
				return cmd->err.status;
			}
			for (size_t i = 0; i < r->guardians.cap; i++) {
				if (!r->guardians.keys[i])
					continue;
				stmt_bind_text(gs, 1, r->guardians.keys[i]);
				while ((rc = stmt_step(gs, &cmd->err)) == 1)
					strmap_put(&piped, stmt_text(gs, 0), 1);
				stmt_reset(gs);
				if (rc < 0) {
					free(named);
					strmap_free(&piped);
					return -rc;
				}
			}
		}
		named = xrealloc(named, (piped.n + 1) * sizeof *named);
		for (size_t i = 0; i < piped.cap; i++)
			if (piped.keys[i])
				named[nn++] = piped.keys[i];
	}
	rc = 0;
	for (int i = 0; !rc && i < nn; i++) {
		char sc[ROSTER_CLASS_SIZE];
		if (strmap_get(&r->named, named[i]) >= 0)
			continue;
		if ((rc = roster_student_class(cmd->c.store, named[i], sc, &cmd->err)))
			break;
		if (!*sc)
			rc = perr_set(&cmd->err, EX_DATAERR, "%s: no such student", named[i]);
		else {
			add_pick(v, n, named[i], sc);
			strmap_put(&r->named, named[i], 1);
		}
	}
	strmap_free(&piped);
	free(named);
	if (*n > 1)
		qsort(*v, *n, sizeof **v, cmp_pick);
	return rc;
}

/* A new code no extract has (50 random bits: a repeat is all but impossible, and still checked). */
static int new_code(struct run *r, char code[11])
{
	for (;;) {
		ackcode_new(code);
		struct stmt *st = store_prepare(r->cmd->c.store, "SELECT 1 FROM extracts WHERE code = $1", &r->cmd->err);
		if (!st)
			return r->cmd->err.status;
		stmt_bind_text(st, 1, code);
		int rc = stmt_step(st, &r->cmd->err);
		stmt_reset(st);
		if (rc <= 0)
			return rc < 0 ? -rc : 0;
	}
}

/* Registers an extract with its code (x->code), its audit record and its row; *id the extract_id. */
static int reg(struct run *r, const struct extract *x, const char *guardian, const char *channel, const char *format,
	       const char *file, int64_t *id)
{
	struct ctx *c = &r->cmd->c;
	const struct jgrid *g = &x->xc->g;
	struct stmt *st;
	int rc;
	struct change ch;
	int64_t seq;
	change_begin(&ch, c, "insert", "extract", x->code);
	change_field(&ch, "student_id", NULL, g->students[x->stu].id);
	change_field(&ch, "guardian_id", NULL, guardian);
	change_field(&ch, "channel", NULL, channel);
	change_field(&ch, "period", NULL, g->period);
	change_field(&ch, "from", NULL, g->from);
	change_field(&ch, "to", NULL, g->to);
	change_field(&ch, "file", NULL, file);
	if ((rc = change_commit(&ch, &seq, &r->cmd->err)))
		return rc;
	if (!(st = store_prepare(c->store,
				 "INSERT INTO extracts (student_id, guardian_id, class, period, date_from, date_to, channel, code, "
				 "format, file, issued_at, audit_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
				 "RETURNING extract_id", &r->cmd->err)))
		return r->cmd->err.status;
	stmt_bind_text(st, 1, g->students[x->stu].id);
	stmt_bind_text(st, 2, guardian);
	stmt_bind_text(st, 3, g->cls);
	stmt_bind_text(st, 4, g->period);
	stmt_bind_text(st, 5, g->from);
	stmt_bind_text(st, 6, g->to);
	stmt_bind_text(st, 7, channel);
	stmt_bind_text(st, 8, x->code);
	stmt_bind_text(st, 9, format);
	stmt_bind_text(st, 10, file);
	stmt_bind_text(st, 11, c->now);
	stmt_bind_int(st, 12, seq);
	rc = stmt_step(st, &r->cmd->err);
	if (rc == 1)
		*id = stmt_int(st, 0);
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

static int manifest(struct run *r, int64_t id, const struct extract *x, const char *guardian, const char *channel,
		    const char *file)
{
	char ids[24] = "";
	if (id)
		snprintf(ids, sizeof ids, "%lld", (long long)id);
	const char *v[] = { ids, x->xc->g.students[x->stu].id, guardian ? guardian : "", channel, x->code, file ? file : "" };
	return cmd_print_row(r->manifest, v, 6);
}

static int csv_row(void *o, const char *const *v, size_t n)
{
	return out_row(o, v, n) ? EX_IOERR : 0;
}

/* Writes the paper extract x in its own file path (under a temporary name). */
static int paper_file(struct run *r, const struct extract *x, const char *path)
{
	struct afile a;
	int rc;
	if (r->paper == F_XLSX) {
		struct xlsx book;
		if ((rc = xlsx_open(&book, path, &r->cmd->err)))
			return rc;
		if (extract_xlsx(x, &book)) {
			xlsx_abort(&book);
			return perr_set(&r->cmd->err, EX_SOFTWARE, "cannot add a worksheet");
		}
		if ((rc = xlsx_finish(&book, &r->cmd->err)))
			return rc;
		return add_made(r, &book.file);
	}
	if ((rc = afile_open(&a, path, 0, &r->cmd->err)))
		return rc;
	if (r->paper == F_PDF) {
		struct pdf *doc = pdf_new(a.f, "Выписка из электронного журнала", r->cmd->c.now);
		if (doc)
			extract_pdf(x, doc);
		rc = doc ? pdf_close(doc, path, &r->cmd->err) :
			   perr_set(&r->cmd->err, EX_SOFTWARE, "%s: cannot start a PDF document", path);
	} else if (r->paper == F_TXT) {
		struct sbuf s;
		sbuf_init(&s);
		extract_txt(x, &s);
		fputs(s.s, a.f);	/* a failed write is found by add_made */
		sbuf_free(&s);
	} else {
		struct out *o = out_new(a.f, OUT_CSV);
		out_header(o, extract_csv_cols, extract_csv_ncols);
		extract_csv(x, csv_row, o);
		out_finish(o);
		out_free(o);
	}
	if (rc) {
		afile_abort(&a);
		return rc;
	}
	return add_made(r, &a);
}

/* One paper extract for the student's family. */
static int paper(struct run *r, struct extract *x)
{
	const struct jgrid *g = &x->xc->g;
	char path[4200];
	int64_t id = 0;
	int rc = 0, dry = r->cmd->c.dry_run;
	x->guardian_name = NULL;
	*x->code = 0;
	if (!dry && (rc = new_code(r, x->code)))
		return rc;
	/* the code is in the name: a second run never overwrites the first one's paper */
	if (r->dir)
		snprintf(path, sizeof path, "%s/%s_%s_%s.%s", r->out ? r->out : ".", g->cls, g->students[x->stu].id,
			 dry ? "paper" : x->code, fmt_ext[r->paper]);
	else
		str_copy(path, sizeof path, r->out ? r->out : "");
	if (!dry && (rc = reg(r, x, NULL, "paper", fmt_ext[r->paper], path, &id)))
		return rc;
	if (!dry) {
		if (r->dir)
			rc = paper_file(r, x, path);
		else if (r->paper == F_XLSX)
			rc = extract_xlsx(x, &r->book) ? perr_set(&r->cmd->err, EX_SOFTWARE, "cannot add a worksheet") : 0;
		else if (r->paper == F_PDF)
			extract_pdf(x, r->doc);
		else if (r->paper == F_TXT) {
			struct sbuf s;
			sbuf_init(&s);
			extract_txt(x, &s);
			if (r->n_paper)
				fputc('\f', r->one);	/* a page of its own on the printer */
			fputs(s.s, r->one);
			sbuf_free(&s);
		} else {
			extract_csv(x, csv_row, r->one_csv);
		}
		if (rc)
			return rc;
	}
	r->n_paper++;
	return manifest(r, id, x, NULL, "paper", path);
}

/* Creates a directory for the files (0700: personal data); remembered in dirs_created as which. */
static int make_dir(struct run *r, const char *dir, int which)
{
	if (mkdir(dir, 0700) == 0)
		r->dirs_created |= which;
	else if (errno != EEXIST)
		return perr_set(&r->cmd->err, EX_CANTCREAT, "%s: cannot create the directory: %s", dir, strerror(errno));
	return 0;
}

/* One e-mail to a guardian: only with the address the consent gate gives. */
static int email(struct run *r, struct extract *x, const char *guardian, const char *gname)
{
	const struct jgrid *g = &x->xc->g;
	char addr[256], path[4200];
	int64_t id = 0;
	int dry = r->cmd->c.dry_run;
	int rc = consent_email_address(&r->cmd->c, guardian, g->students[x->stu].id, addr, sizeof addr, &r->cmd->err);
	if (rc == EX_NOPERM) {
		/* refused for this guardian: named even with -q, never written */
		fprintf(stderr, "%s: %s\n", r->cmd->tool->name, r->cmd->err.msg);
		r->cmd->err.status = 0;
		r->cmd->err.msg[0] = 0;
		r->n_refused++;
		return 0;
	}
	if (rc)
		return rc;
	x->guardian_name = gname;
	*x->code = 0;
	if (!dry && (rc = new_code(r, x->code)))
		return rc;
	snprintf(path, sizeof path, "%s/%s_%s_%s_%s.eml", r->email_dir, g->cls, g->students[x->stu].id, guardian,
		 dry ? "email" : x->code);
	if (!dry) {
		if ((rc = reg(r, x, guardian, "email", "eml", path, &id)))
			return rc;
		if (!r->email_dir_made && (rc = make_dir(r, r->email_dir, DIR_EMAIL)))
			return rc;
		r->email_dir_made = 1;
		struct afile a;
		if ((rc = afile_open(&a, path, 0, &r->cmd->err)))
			return rc;
		if ((rc = extract_eml(x, r->mail_from, addr, r->cmd->c.now, a.f, &r->cmd->err))) {
			afile_abort(&a);
			return rc;
		}
		if ((rc = add_made(r, &a)))
			return rc;
		r->mails = xrealloc(r->mails, (r->nmails + 1) * sizeof *r->mails);
		r->mails[r->nmails].path = xstrdup(path);
		r->mails[r->nmails].code = xstrdup(x->code);
		r->mails[r->nmails].guardian = xstrdup(guardian);
		r->nmails++;
	}
	r->n_email++;
	return manifest(r, id, x, guardian, "email", path);
}

/* The extracts of one student by the channels of their guardians. */
static int student(struct run *r, struct ex_class *xc, const char *id)
{
	struct cmd *cmd = r->cmd;
	long k = ex_class_student(xc, id);
	struct extract x = { .xc = xc, .stu = (size_t)k };
	struct stmt *st = store_prepare(cmd->c.store,
		"SELECT l.guardian_id, TRIM(g.last_name || ' ' || g.first_name || ' ' || COALESCE(g.middle_name, '')) "
		"FROM guardian_links l JOIN guardians g ON g.guardian_id = l.guardian_id "
		"WHERE l.student_id = $1 AND " FACT_VALID("l") " "
		"ORDER BY l.guardian_id", &cmd->err);
	if (!st)
		return cmd->err.status;
	stmt_bind_text(st, 1, id);
	char (*gid)[64] = NULL, (*gname)[256] = NULL;
	size_t n = 0;
	int rc;
	while ((rc = stmt_step(st, &cmd->err)) == 1) {
		if (r->guardians.n && strmap_get(&r->guardians, stmt_text(st, 0)) < 0)
			continue;	/* only the guardians piped in */
		gid = xrealloc(gid, (n + 1) * sizeof *gid);
		gname = xrealloc(gname, (n + 1) * sizeof *gname);
		str_copy(gid[n], sizeof gid[n], stmt_text(st, 0));
		str_copy(gname[n], sizeof gname[n], stmt_text(st, 1));
		n++;
	}
	stmt_reset(st);
	rc = rc < 0 ? -rc : 0;
	int need_paper = r->channel == CH_PAPER_ONLY || (r->channel == CH_AUTO && n == 0);
	for (size_t i = 0; !rc && i < n && r->channel != CH_PAPER_ONLY; i++) {
		struct consent_state cs;
		if ((rc = consent_channel(&cmd->c, gid[i], id, &cs, &cmd->err)))
			break;
		if (cs.channel == CH_ELECTRONIC || r->channel == CH_EMAIL_ONLY)
			rc = email(r, &x, gid[i], gname[i]);
		else
			need_paper = 1;
	}
	if (!rc && need_paper)
		rc = paper(r, &x);
	free(gid);
	free(gname);
	return rc;
}

static int open_outputs(struct run *r)
{
	struct cmd *cmd = r->cmd;
	struct stat sb;
	const char *o = r->out;
	size_t len = o ? strlen(o) : 0;
	if (!o) {
		if (!cmd->c.dry_run)
			return perr_set(&cmd->err, EX_USAGE, "where to? -o DIR (a file per extract) or -o FILE (the paper ones in one file)");
		r->dir = 1;
		str_copy(r->email_dir, sizeof r->email_dir, ".");
		return 0;
	}
	r->dir = r->dir || (stat(o, &sb) == 0 && S_ISDIR(sb.st_mode)) || o[len - 1] == '/' || r->channel == CH_EMAIL_ONLY;
	/* e-mails are a file each: in DIR, or beside -o FILE in FILE-email/ */
	if (r->dir)
		str_copy(r->email_dir, sizeof r->email_dir, o);
	else
		snprintf(r->email_dir, sizeof r->email_dir, "%s-email", o);
	r->email_dir_made = r->dir;
	if (cmd->c.dry_run)
		return 0;
	if (r->dir)
		return make_dir(r, o, DIR_OUT);
	if (r->paper == F_XLSX) {
		if (xlsx_open(&r->book, o, &cmd->err))	/* its temporary file beside o */
			return cmd->err.status;
		r->book_open = 1;
		return 0;
	}
	if (afile_open(&r->one_file, o, 0, &cmd->err))
		return cmd->err.status;
	r->one = r->one_file.f;
	if (r->paper == F_CSV) {
		r->one_csv = out_new(r->one, OUT_CSV);
		out_header(r->one_csv, extract_csv_cols, extract_csv_ncols);
	}
	if (r->paper == F_PDF && !(r->doc = pdf_new(r->one, "Выписки из электронного журнала", cmd->c.now)))
		return perr_set(&cmd->err, EX_SOFTWARE, "%s: cannot start a PDF document", o);
	return 0;
}

/* Every file into its place, before the registration commits; 73 when one cannot be moved
 * (then none stays: those moved are taken back, the others dropped). */
static int move_into_place(struct run *r)
{
	int rc = 0;
	size_t i;
	for (i = 0; i < r->nmade && !rc; i++)
		rc = afile_commit(&r->made[i].file, &r->cmd->err);
	if (rc)
		for (size_t k = 0; k + 1 < i; k++)
			unlink(r->made[k].path);
	return rc;
}

/* A failed run: no file it made is left, neither under a temporary name nor under its own. */
static void drop_made(struct run *r, int moved)
{
	for (size_t i = 0; i < r->nmade; i++)
		if (moved)
			unlink(r->made[i].path);
		else
			afile_abort(&r->made[i].file);
	if (r->dirs_created & DIR_EMAIL)
		rmdir(r->email_dir);	/* only when empty: another run's files stay */
	if (r->dirs_created & DIR_OUT)
		rmdir(r->out);
}

/* --send, after the registration is committed and the files are in place: each e-mail to
 * mail.sendmail, each hand-over (accepted or not) in the audit log. A refusal stops nothing
 * else; the message stays in its file to be sent again. */
static int send_all(struct run *r)
{
	struct cmd *cmd = r->cmd;
	const char *prog = r->sendmail;
	int rc, worst = 0;
	long sent = 0;
	if (!r->nmails)
		return 0;
	int *res = xcalloc(r->nmails, sizeof *res);
	for (size_t i = 0; i < r->nmails; i++) {
		struct perr e = { 0 };
		res[i] = mail_send_file(prog, r->mails[i].path, &e);
		if (res[i]) {
			fprintf(stderr, "%s: %s\n", cmd->tool->name, e.msg);	/* even with -q: it did not leave */
			if (!worst || res[i] != EX_TEMPFAIL)
				worst = res[i];
		} else {
			sent++;
		}
	}
	if (!(rc = store_begin_write(cmd->c.store, &cmd->err))) {
		for (size_t i = 0; !rc && i < r->nmails; i++) {
			struct change ch;
			char result[32];
			int64_t seq;
			snprintf(result, sizeof result, res[i] ? "refused (exit %d)" : "accepted", res[i]);
			change_begin(&ch, &cmd->c, "send", "extract", r->mails[i].code);
			change_field(&ch, "guardian_id", NULL, r->mails[i].guardian);
			change_field(&ch, "file", NULL, r->mails[i].path);
			change_field(&ch, "sendmail", NULL, result);
			rc = change_commit(&ch, &seq, &cmd->err);
		}
		rc = rc ? (store_rollback(cmd->c.store), rc) : store_commit(cmd->c.store, &cmd->err);
	}
	free(res);
	if (!rc)
		cmd_note(cmd, "%ld of %zu e-mail%s handed to %s", sent, r->nmails, r->nmails == 1 ? "" : "s", prog);
	if (!rc && worst)
		rc = perr_set(&cmd->err, worst, "%zu e-mail%s not sent (named above): the files stay; send them again with "
			      "%s < FILE", r->nmails - (size_t)sent, r->nmails - (size_t)sent == 1 ? "" : "s", prog);
	return rc;
}

static int do_extract(struct cmd *cmd)
{
	struct run r = { .cmd = cmd };
	struct pick *v = NULL;
	size_t n = 0;
	int rc;
	strmap_init(&r.named);
	strmap_init(&r.guardians);
	char outbuf[4096];
	if ((r.out = cmd_opt(cmd, "output")) && strlen(r.out) > 1 && r.out[strlen(r.out) - 1] == '/') {
		str_copy(outbuf, sizeof outbuf, r.out);
		outbuf[strlen(outbuf) - 1] = 0;	/* "ex/": the directory ex */
		r.out = outbuf;
		r.dir = 1;
	}
	if ((rc = parse_format(cmd, &r)) || (rc = cmd_dates(cmd, 1, r.from, r.to, &r.period)))
		goto out;
	if ((rc = config_get(cmd->c.store, "mail.from", r.mail_from, sizeof r.mail_from, &cmd->err)))
		goto out;
	if (!*r.mail_from)
		str_copy(r.mail_from, sizeof r.mail_from, "portal@school.invalid");
	if (cmd_flag(cmd, "send") &&
	    (rc = config_get(cmd->c.store, "mail.sendmail", r.sendmail, sizeof r.sendmail, &cmd->err)))
		goto out;
	if (cmd_flag(cmd, "send") && str_blank(r.sendmail)) {
		rc = perr_set(&cmd->err, EX_CONFIG, "--send: mail.sendmail is empty (set a sendmail-compatible program with "
			      "portal-db config mail.sendmail \"/usr/sbin/sendmail -oi -t\"); nothing was made");
		goto out;
	}
	if ((rc = select_students(cmd, &r, &v, &n)))
		goto out;
	for (size_t i = 0; i < n; i++)
		if ((i == 0 || strcmp(v[i].cls, v[i - 1].cls)) &&
		    (rc = actor_may_write_class(cmd->c.actor, v[i].cls, "make extracts", &cmd->err)))
			goto out;
	if ((rc = open_outputs(&r)))
		goto out;
	if ((rc = store_begin_write(cmd->c.store, &cmd->err)))
		goto out;
	static const char *const cols[] = { "extract_id", "student_id", "guardian_id", "channel", "code", "file" };
	/* the manifest is printed once the extracts are registered for good */
	r.manifest_f = open_memstream(&r.manifest_buf, &r.manifest_len);
	r.manifest = out_new(r.manifest_f, cmd->fmt);
	out_header(r.manifest, cols, 6);
	for (size_t i = 0; !rc && i < n;) {
		struct ex_class xc;
		size_t j = i;
		if ((rc = ex_class_load(&cmd->c, v[i].cls, r.from, r.to, r.period, &xc, &cmd->err)))
			break;
		/* in the order of the class list; a named student the period does not hold is said */
		struct strmap sel;
		strmap_init(&sel);
		for (; j < n && !strcmp(v[j].cls, v[i].cls); j++)
			if (ex_class_student(&xc, v[j].id) < 0)
				cmd_warn(cmd, "%s: left class %s before %s: no extract", v[j].id, xc.g.cls, xc.g.from);
			else
				strmap_put(&sel, v[j].id, 1);
		for (size_t k = 0; !rc && k < xc.g.nstudents; k++)
			if (strmap_get(&sel, xc.g.students[k].id) >= 0)
				rc = student(&r, &xc, xc.g.students[k].id);
		strmap_free(&sel);
		ex_class_free(&xc);
		i = j;
	}
	out_finish(r.manifest);
	out_free(r.manifest);
	fclose(r.manifest_f);
	/* the one file, complete before anything is registered for good */
	if (r.one_csv) {
		out_finish(r.one_csv);
		out_free(r.one_csv);
	}
	int no_document = 0;	/* a PDF of no pages is not written */
	if (r.doc) {
		no_document = !r.n_paper;
		int drc = pdf_close(r.doc, r.out, &cmd->err);
		r.doc = NULL;
		if (drc && !rc)
			rc = drc;
	}
	if (r.one && (no_document || rc)) {
		afile_abort(&r.one_file);
		if (!rc)
			cmd_note(cmd, "%s: not written: no paper extracts", r.out);
	} else if (r.one) {	/* complete now; moved into place with the rest */
		rc = add_made(&r, &r.one_file);
	}
	if (r.book_open && rc)
		xlsx_abort(&r.book);
	else if (r.book_open && !(rc = xlsx_finish(&r.book, &cmd->err)))
		rc = add_made(&r, &r.book.file);
	/* registered for good only once every file is complete and in its place */
	int moved = 0;
	if (!rc && !cmd->c.dry_run && !(rc = move_into_place(&r))) {
		moved = 1;
		rc = store_commit(cmd->c.store, &cmd->err);
	}
	if (rc || cmd->c.dry_run) {
		if (store_in_transaction(cmd->c.store))
			store_rollback(cmd->c.store);
		drop_made(&r, moved);
	}
	if (!rc && r.manifest_len && fwrite(r.manifest_buf, 1, r.manifest_len, cmd->out) != r.manifest_len)
		rc = perr_set(&cmd->err, EX_IOERR, "standard output: write error");
	if (!rc)
		cmd_note(cmd, "%s%ld paper, %ld e-mail", cmd->c.dry_run ? "dry run: " : "", r.n_paper, r.n_email);
	if (!rc && r.n_refused)
		fprintf(stderr, "%s: %ld guardian%s without a standing consent got no e-mail (named above)\n", cmd->tool->name,
			r.n_refused, r.n_refused == 1 ? "" : "s");
	if (!rc && cmd_flag(cmd, "send") && !cmd->c.dry_run)
		rc = send_all(&r);
out:
	if (r.doc) {	/* a run that stopped before its files were finished: none of them stays */
		struct perr ignored = { 0 };
		pdf_close(r.doc, r.out, &ignored);
	}
	if (r.book_open)
		xlsx_abort(&r.book);
	afile_abort(&r.one_file);
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].cls);
	}
	free(v);
	for (size_t i = 0; i < r.nmade; i++) {
		afile_abort(&r.made[i].file);	/* frees the names of one moved into place; drops any other */
		free(r.made[i].path);
	}
	free(r.made);
	for (size_t i = 0; i < r.nmails; i++) {
		free(r.mails[i].path);
		free(r.mails[i].code);
		free(r.mails[i].guardian);
	}
	free(r.mails);
	free(r.manifest_buf);
	strmap_free(&r.named);
	strmap_free(&r.guardians);
	return rc;
}

static const struct verb verbs[] = {
	{ "", "(--class C | --student S... | ids on stdin) (--period P | --from D --to D) [--channel auto|paper|email] "
		  "[--format txt|csv|xlsx|eml|pdf] [-o FILE|DIR] [--send] [--dry-run]",
	  "extracts for parents: e-mail where the consent allows it, paper for the others; each registered with its code; "
	  "the manifest on standard output; --send: the e-mails leave through mail.sendmail",
	  "class=,student=,period=,from=,to=,channel=,send,dry-run", V_STORE | V_READ | V_INPUT | V_OWN_FORMAT | V_OWN_OUTPUT, do_extract },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

static const struct tool tool = { "portal-extract", "portal-extract: extracts from the journal for parents", verbs };

int main(int argc, char **argv)
{
	return frame_main(&tool, argc, argv);
}
