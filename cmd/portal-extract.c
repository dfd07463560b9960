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

#include "audit.h"
#include "config.h"
#include "delivery.h"
#include "extract.h"
#include "frame.h"
#include "journal.h"
#include "mail.h"
#include "progress.h"
#include "roster.h"
#include "strmap.h"
#include "values.h"

enum fmt { F_TXT, F_CSV, F_XLSX, F_EML, F_PDF };
static const char *const fmt_ext[] = { "txt", "csv", "xlsx", "eml", "pdf" };

/* A file made, complete under a temporary name until every file is and the registration commits. */
struct made {
	struct afile file;
	char *path;		/* its final name, kept to take it back should the commit fail */
};

struct run {
	struct cmd *cmd;
	enum delivery_mode channel;
	enum fmt paper;			/* the format of paper extracts */
	const char *out;		/* -o */
	int dir;			/* -o is a directory: a file per extract */
	char from[11], to[11];
	const char *period;
	char mail_from[256];
	char portal_url[1024];		/* portal.url: the cabinet's address in the e-mails */
	char sendmail[1024];		/* --send: mail.sendmail, read before anything is registered */
	const struct strmap *lines;	/* the lines of the people piped in (cmd->people): only the guardians they name */
	struct made *made;
	size_t nmade;
	int send, resend;		/* --send, --resend */
	struct mailed { char *path, *code, *guardian; size_t row; } *mails;	/* the e-mails to hand over (--send) */
	size_t nmails;
	struct mrow { char *v[7]; } *rows;	/* the manifest, printed once the run is over */
	size_t nrows;
	struct progress *progress;	/* students done of those selected */
	long students_done;
	/* one file for all paper extracts (-o FILE) */
	struct afile one_file;
	FILE *one;			/* one_file.f while it is written */
	struct out *one_csv;
	struct xlsx book;
	int book_open;
	struct pdf *doc;		/* -o FILE.pdf: every paper extract, each from a new page */
	char email_dir[4200];		/* -o DIR, or FILE-email beside -o FILE */
	int email_dir_made;
	int dirs_created;		/* DIR_OUT, DIR_EMAIL: removed again (when empty) by a failed run */
	long n_paper, n_email, n_refused, n_skipped, n_again;
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
	r->channel = DELIVERY_AUTO;
	if (ch && !strcmp(ch, "paper"))
		r->channel = DELIVERY_PAPER_ONLY;
	else if (ch && !strcmp(ch, "email"))
		r->channel = DELIVERY_EMAIL_ONLY;
	else if (ch && strcmp(ch, "auto"))
		return perr_set(&cmd->err, EX_USAGE, "--channel %s: expected auto, paper or email", ch);
	if (!f || !strcmp(f, "txt"))
		r->paper = F_TXT;
	else if (!strcmp(f, "csv"))
		r->paper = F_CSV;
	else if (!strcmp(f, "xlsx"))
		r->paper = F_XLSX;
	else if (!strcmp(f, "eml")) {
		if (r->channel == DELIVERY_PAPER_ONLY)
			return perr_set(&cmd->err, EX_USAGE, "--format eml goes with e-mail, not with --channel paper");
		r->channel = DELIVERY_EMAIL_ONLY;
	} else if (!strcmp(f, "pdf"))
		r->paper = F_PDF;
	else
		return perr_set(&cmd->err, EX_USAGE, "--format %s: expected txt, csv, xlsx, eml or pdf", f);
	return 0;
}


/* The students: --class, --student…, or the ids piped in; sorted by class, the actor's right checked. */
static int select_students(struct cmd *cmd, struct run *r, struct delivery_pick **v, size_t *n)
{
	const struct strmap *piped = &cmd->people.students;
	const char *cls = cmd_opt(cmd, "class");
	const char **named = xcalloc((size_t)cmd->nopts + piped->n + 1, sizeof *named);
	int nn = cmd_opt_all(cmd, "student", named, cmd->nopts), rc = 0;
	char c[8];
	struct delivery_sel sel = { .lines = r->lines };
	*v = NULL;
	*n = 0;
	if (cls && nn)
		rc = perr_set(&cmd->err, EX_USAGE, "--class or --student, not both");
	else if (cls && (rc = cmd_class(cmd, c, &cls)))
		;
	else if (!cls && !nn && !cmd->by_ids)
		rc = perr_set(&cmd->err, EX_USAGE, "whose extracts? --class C, --student S, or ids on standard input");
	for (size_t i = 0; cmd->by_ids && i < piped->cap; i++)
		if (piped->keys[i])
			named[nn++] = piped->keys[i];
	sel.cls = cls ? c : NULL;
	sel.students = named;
	sel.nstudents = (size_t)nn;
	if (!rc)
		rc = delivery_select(&cmd->c, &sel, v, n, &cmd->err);
	if (!rc && cls && !*n)
		cmd_warn(cmd, "class %s has no students at school", c);
	free(named);
	return rc;
}

static const struct out_col manifest_cols[] = { { "extract_id", COL_NUMBER }, { "student_id", COL_TEXT },
	{ "guardian_id", COL_TEXT }, { "channel", COL_TEXT }, { "code", COL_TEXT }, { "file", COL_TEXT },
	{ "sent", COL_TEXT } };
enum { MANIFEST_NCOLS = 7, MANIFEST_SENT = 6 };

/* A row of the manifest; sent: "sent", "skipped", "queued" (--send), else "". */
static void manifest(struct run *r, int64_t id, const struct extract *x, const char *guardian, const char *channel,
		     const char *file, const char *sent)
{
	char ids[24] = "";
	if (id)
		snprintf(ids, sizeof ids, "%lld", (long long)id);
	const char *v[] = { ids, x->xc->g.students[x->stu].id, guardian ? guardian : "", channel, x->code, file ? file : "", sent };
	r->rows = xrealloc(r->rows, (r->nrows + 1) * sizeof *r->rows);
	for (int i = 0; i < MANIFEST_NCOLS; i++)
		r->rows[r->nrows].v[i] = xstrdup(v[i]);
	r->nrows++;
}

/* The manifest to standard output: 74 on a write error. */
static int print_manifest(struct run *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return perr_set(&r->cmd->err, EX_OSERR, "cannot make the manifest in memory");
	struct out *o = out_new(f, r->cmd->fmt);
	out_header(o, manifest_cols, MANIFEST_NCOLS);
	for (size_t i = 0; i < r->nrows; i++)
		out_row(o, (const char *const *)r->rows[i].v, MANIFEST_NCOLS);
	out_finish(o);
	out_free(o);
	fclose(f);
	int rc = 0;
	if (len && fwrite(buf, 1, len, r->cmd->out) != len)
		rc = perr_set(&r->cmd->err, EX_IOERR, "standard output: write error");
	free(buf);
	return rc;
}

/* To hand the message in path over (--send); its manifest row is the last one. */
static void to_send(struct run *r, const char *path, const char *code, const char *guardian)
{
	r->mails = xrealloc(r->mails, (r->nmails + 1) * sizeof *r->mails);
	r->mails[r->nmails] = (struct mailed){ xstrdup(path), xstrdup(code), xstrdup(guardian), r->nrows - 1 };
	r->nmails++;
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

/* Registers x as made for guardian (NULL: the family) by channel, in file; *id its extract_id. */
static int reg(struct run *r, const struct extract *x, const char *guardian, enum delivery_channel channel,
	       const char *format, const char *file, int64_t *id)
{
	const struct jgrid *g = &x->xc->g;
	struct delivery_extract d = { .student = g->students[x->stu].id, .guardian = guardian, .cls = g->cls,
				      .period = g->period, .from = g->from, .to = x->xc->to, .channel = channel,
				      .code = x->code, .format = format, .file = file,
				      .queued = channel == DELIVER_EMAIL && r->send };
	return delivery_register(&r->cmd->c, &d, id, &r->cmd->err);
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
	if (!dry && (rc = delivery_new_code(&r->cmd->c, x->code, &r->cmd->err)))
		return rc;
	/* the code is in the name: a second run never overwrites the first one's paper */
	if (r->dir)
		snprintf(path, sizeof path, "%s/%s_%s_%s.%s", r->out ? r->out : ".", g->cls, g->students[x->stu].id,
			 dry ? "paper" : x->code, fmt_ext[r->paper]);
	else
		str_copy(path, sizeof path, r->out ? r->out : "");
	if (!dry && (rc = reg(r, x, NULL, DELIVER_PAPER, fmt_ext[r->paper], path, &id)))
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
	manifest(r, id, x, NULL, "paper", path, "");
	return 0;
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

/* --send: an e-mail of this information the mail program accepted is not made again (without
 * --resend), and one it has not accepted yet goes again, the same message: 1 when so (its row
 * is in the manifest), 0 when a new one is to be made. */
static int mailed_before(struct run *r, struct extract *x, const char *guardian, int *rc)
{
	const struct jgrid *g = &x->xc->g;
	struct delivery_mailed m;
	int found = delivery_mailed(&r->cmd->c, g->students[x->stu].id, guardian, g->from, x->xc->to, &m, &r->cmd->err);
	if (found < 0)
		*rc = -found;
	if (found <= 0 || (m.sent && r->resend))
		return 0;
	str_copy(x->code, sizeof x->code, m.code);
	manifest(r, m.id, x, guardian, "email", m.file, m.sent ? "skipped" : "queued");
	if (m.sent) {
		r->n_skipped++;
	} else {
		r->n_again++;
		if (!r->cmd->c.dry_run)
			to_send(r, m.file, m.code, guardian);
	}
	return 1;
}

/* One e-mail to a guardian, to the address the plan has from the consent gate. */
static int email(struct run *r, struct extract *x, const struct delivery_recipient *to)
{
	const struct jgrid *g = &x->xc->g;
	const char *guardian = to->guardian;
	char path[4200];
	int64_t id = 0;
	int rc = 0, dry = r->cmd->c.dry_run;
	x->guardian_name = to->guardian_name;
	*x->code = 0;
	if (r->send && (mailed_before(r, x, guardian, &rc) || rc))
		return rc;
	if (!dry && (rc = delivery_new_code(&r->cmd->c, x->code, &r->cmd->err)))
		return rc;
	snprintf(path, sizeof path, "%s/%s_%s_%s_%s.eml", r->email_dir, g->cls, g->students[x->stu].id, guardian,
		 dry ? "email" : x->code);
	if (!dry) {
		if ((rc = reg(r, x, guardian, DELIVER_EMAIL, "eml", path, &id)))
			return rc;
		if (!r->email_dir_made && (rc = make_dir(r, r->email_dir, DIR_EMAIL)))
			return rc;
		r->email_dir_made = 1;
		struct afile a;
		if ((rc = afile_open(&a, path, 0, &r->cmd->err)))
			return rc;
		struct extract_mail how = { r->mail_from, to->email, r->cmd->c.now, r->portal_url };
		if ((rc = extract_eml(x, &how, a.f, &r->cmd->err))) {
			afile_abort(&a);
			char why[sizeof r->cmd->err.msg];
			str_copy(why, sizeof why, r->cmd->err.msg);
			return perr_set(&r->cmd->err, rc, "%s: %s", path, why);
		}
		if ((rc = add_made(r, &a)))
			return rc;
	}
	r->n_email++;
	manifest(r, id, x, guardian, "email", path, r->send ? "queued" : "");
	if (r->send && !dry)
		to_send(r, path, x->code, guardian);
	return 0;
}

/* The extracts of the students of one class selected (sel), in the order of the class list,
 * by the delivery plan. */
static int class_extracts(struct run *r, struct ex_class *xc, const char *cls, const struct strmap *sel)
{
	struct cmd *cmd = r->cmd;
	const char **ids = xcalloc(xc->g.nstudents + 1, sizeof *ids);
	size_t n = 0;
	struct delivery_plan plan;
	for (size_t k = 0; k < xc->g.nstudents; k++)
		if (strmap_get(sel, xc->g.students[k].id) >= 0)
			ids[n++] = xc->g.students[k].id;
	int rc = delivery_plan_class(&cmd->c, cls, ids, n, r->channel, r->lines, &plan, &cmd->err);
	for (size_t i = 0; !rc && i < plan.n; i++) {
		const struct delivery_recipient *to = &plan.v[i];
		struct extract x = { .xc = xc, .stu = (size_t)ex_class_student(xc, to->student) };
		if (i && strcmp(to->student, plan.v[i - 1].student))
			progress_set(r->progress, ++r->students_done);
		if (to->channel == DELIVER_REFUSED) {
			/* refused for this guardian: named even with -q, never written */
			cmd_error(cmd, "%s", to->why);
			r->n_refused++;
		} else if (to->channel == DELIVER_EMAIL) {
			rc = email(r, &x, to);
		} else {
			rc = paper(r, &x);
		}
	}
	delivery_plan_free(&plan);
	free(ids);
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
	r->dir = r->dir || (stat(o, &sb) == 0 && S_ISDIR(sb.st_mode)) || o[len - 1] == '/' || r->channel == DELIVERY_EMAIL_ONLY;
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
 * mail.sendmail, each hand-over (accepted or not) in the audit log, each accepted one marked
 * sent. A refusal stops nothing else; the message stays queued in its file, and the next
 * --send hands it over again. */
static int send_all(struct run *r)
{
	struct cmd *cmd = r->cmd;
	const char *prog = r->sendmail;
	int rc, worst = 0;
	long sent = 0;
	if (!r->nmails)
		return 0;
	int *res = xcalloc(r->nmails, sizeof *res);
	struct progress *p = cmd_progress(cmd, "sending e-mails", (long)r->nmails, N_("e-mails"));
	for (size_t i = 0; i < r->nmails; i++) {
		struct perr e = { 0 };
		progress_set(p, (long)i);
		res[i] = mail_send_file(prog, r->mails[i].path, &e);
		if (res[i]) {
			cmd_error(cmd, "%s", e.msg);	/* even with -q: it did not leave */
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
			if (!rc && !res[i])
				rc = delivery_mail_sent(&cmd->c, r->mails[i].code, &cmd->err);
		}
		rc = rc ? (store_rollback(cmd->c.store), rc) : store_commit(cmd->c.store, &cmd->err);
	}
	for (size_t i = 0; !rc && i < r->nmails; i++)
		if (!res[i]) {
			free(r->rows[r->mails[i].row].v[MANIFEST_SENT]);
			r->rows[r->mails[i].row].v[MANIFEST_SENT] = xstrdup("sent");
		}
	free(res);
	progress_set(p, (long)r->nmails);
	if (!rc)
		cmd_progress_done(cmd, ngettext("%ld of %zu e-mail handed to %s", "%ld of %zu e-mails handed to %s", r->nmails), sent,
				  r->nmails, prog);
	if (!rc && worst)
		rc = perr_set(&cmd->err, worst, ngettext("%zu e-mail not sent (named above): queued; the next --send hands it over again",
							 "%zu e-mails not sent (named above): queued; the next --send hands them over again",
							 r->nmails - (size_t)sent), r->nmails - (size_t)sent);
	return rc;
}

static int do_extract(struct cmd *cmd)
{
	struct run r = { .cmd = cmd };
	struct delivery_pick *v = NULL;
	size_t n = 0;
	int rc;
	r.lines = &cmd->people.lines;
	char outbuf[4096];
	if ((r.out = cmd_opt(cmd, "output")) && strlen(r.out) > 1 && r.out[strlen(r.out) - 1] == '/') {
		str_copy(outbuf, sizeof outbuf, r.out);
		outbuf[strlen(outbuf) - 1] = 0;	/* "ex/": the directory ex */
		r.out = outbuf;
		r.dir = 1;
	}
	r.send = cmd_flag(cmd, "send");
	r.resend = cmd_flag(cmd, "resend");
	if (r.resend && !r.send) {
		rc = perr_set(&cmd->err, EX_USAGE, "--resend goes with --send");
		goto out;
	}
	if ((rc = parse_format(cmd, &r)) || (rc = cmd_dates(cmd, 1, r.from, r.to, &r.period)))
		goto out;
	if ((rc = config_get(cmd->c.store, "mail.from", r.mail_from, sizeof r.mail_from, &cmd->err)))
		goto out;
	if ((rc = config_get(cmd->c.store, "portal.url", r.portal_url, sizeof r.portal_url, &cmd->err)))
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
	if ((rc = open_outputs(&r)))
		goto out;
	if ((rc = store_begin_write(cmd->c.store, &cmd->err)))
		goto out;
	r.progress = cmd_progress(cmd, "extracts", (long)n, N_("students"));
	for (size_t i = 0; !rc && i < n;) {
		struct ex_class xc;
		size_t j = i;
		char what[64];
		snprintf(what, sizeof what, _("extracts of %s"), v[i].cls);
		progress_what(r.progress, what);
		if ((rc = ex_class_load(&cmd->c, v[i].cls, r.from, r.to, r.period, NULL, &xc, &cmd->err)))
			break;
		/* in the order of the class list; a named student the period does not hold is said */
		struct strmap sel;
		strmap_init(&sel);
		for (; j < n && !strcmp(v[j].cls, v[i].cls); j++)
			if (ex_class_student(&xc, v[j].id) < 0)
				cmd_warn(cmd, "%s: left class %s before %s: no extract", v[j].id, xc.g.cls, xc.g.from);
			else
				strmap_put(&sel, v[j].id, 1);
		rc = class_extracts(&r, &xc, v[i].cls, &sel);
		strmap_free(&sel);
		ex_class_free(&xc);
		i = j;
		progress_set(r.progress, r.students_done = (long)i);
	}
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
	if (!rc)
		cmd_progress_done(cmd, cmd->c.dry_run ? _("dry run: %ld paper, %ld e-mail") : _("%ld paper, %ld e-mail"), r.n_paper,
				  r.n_email);
	if (!rc && r.n_skipped)
		cmd_note(cmd, ngettext("%ld e-mail sent before: skipped (--resend sends it again)",
				       "%ld e-mails sent before: skipped (--resend sends them again)", (unsigned long)r.n_skipped),
			 r.n_skipped);
	if (!rc && r.n_again)
		cmd_note(cmd, ngettext("%ld queued e-mail handed over again", "%ld queued e-mails handed over again",
				       (unsigned long)r.n_again), r.n_again);
	if (!rc && r.n_refused)
		cmd_error(cmd, ngettext("%ld guardian without a standing consent got no e-mail (named above)",
					"%ld guardians without a standing consent got no e-mail (named above)", (unsigned long)r.n_refused),
			  r.n_refused);
	/* the manifest once the extracts are registered for good (and, with --send, handed over) */
	if (!rc) {
		int src = r.send && !cmd->c.dry_run ? send_all(&r) : 0;
		rc = print_manifest(&r);
		if (src)
			rc = src;
	}
out:
	if (r.doc) {	/* a run that stopped before its files were finished: none of them stays */
		struct perr ignored = { 0 };
		pdf_close(r.doc, r.out, &ignored);
	}
	if (r.book_open)
		xlsx_abort(&r.book);
	afile_abort(&r.one_file);
	delivery_picks_free(v, n);
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
	for (size_t i = 0; i < r.nrows; i++)
		for (int k = 0; k < MANIFEST_NCOLS; k++)
			free(r.rows[i].v[k]);
	free(r.rows);
	return rc;
}

static const struct verb verbs[] = {
	{ "", "(--class C | --student S... | ids on stdin) (--period P | --from D --to D) [--channel auto|paper|email] "
		  "[--format txt|csv|xlsx|eml|pdf] [-o FILE|DIR] [--send [--resend]] [--dry-run]",
	  N_("extracts for parents: e-mail where the consent allows it, paper for the others; each registered with its code; "
	  "the manifest on standard output; --send: the e-mails leave through mail.sendmail, each once (a refused one stays "
	  "queued for the next --send; --resend: again)"),
	  "class=,student=,period=,from=,to=,channel=,send,resend,dry-run",
	  V_STORE | V_READ | V_INPUT | V_PEOPLE | V_OWN_FORMAT | V_OWN_OUTPUT, do_extract },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

static const struct tool tool = { "portal-extract", N_("portal-extract: extracts from the journal for parents"), verbs };

int main(int argc, char **argv)
{
	return frame_main(&tool, argc, argv);
}
