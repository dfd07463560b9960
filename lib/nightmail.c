/*
 * nightmail.c: the nightly reports mailed to staff (see nightmail.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "eml.h"
#include "nightmail.h"
#include "util.h"

static int each_to(void *p, struct stmt *st, struct perr *e)
{
	void **a = p;
	struct nightmail_to to;
	str_copy(to.staff_id, sizeof to.staff_id, stmt_text(st, 0));
	str_copy(to.name, sizeof to.name, stmt_text(st, 1));
	str_copy(to.email, sizeof to.email, stmt_text(st, 2));
	return ((nightmail_to_fn)a[0])(a[1], &to, e);
}

int nightmail_recipients(struct ctx *c, const char *report, nightmail_to_fn fn, void *fctx, struct perr *e)
{
	void *a[2] = { (void *)fn, fctx };
	if (!strcmp(report, NIGHTMAIL_SUMMARY))
		return store_each(c->store, e, each_to, a, "SELECT staff_id, last_name || ' ' || first_name, email FROM staff "
				  "WHERE role = 'deputy' AND status = 'active' AND email IS NOT NULL AND email <> '' "
				  "ORDER BY staff_id");
	return store_each(c->store, e, each_to, a, "SELECT s.staff_id, s.last_name || ' ' || s.first_name, s.email FROM staff s "
			  "JOIN staff_classes k ON k.staff_id = s.staff_id WHERE k.class = $1 AND s.role = 'class_leader' AND "
			  "s.status = 'active' AND s.email IS NOT NULL AND s.email <> '' ORDER BY s.staff_id", P_TEXT(report));
}

int nightmail_state(struct ctx *c, const char *night, const char *staff, const char *report, char *file, size_t n,
		    enum nightmail_state *st, struct perr *e)
{
	char state[8];
	int rc = store_get(c->store, e, "SELECT state, file FROM report_mail WHERE night = $1 AND staff_id = $2 AND report = $3",
			   P_TEXT(night), P_TEXT(staff), P_TEXT(report), INTO_TEXT(state, sizeof state), INTO_TEXT(file, n));
	if (rc < 0)
		return -rc;
	*st = !rc ? NIGHTMAIL_NONE : !strcmp(state, "sent") ? NIGHTMAIL_SENT : NIGHTMAIL_QUEUED;
	return 0;
}

static void object_id(char *id, size_t n, const char *night, const char *staff, const char *report)
{
	snprintf(id, n, "%s/%s/%s", night, staff, report);
}

int nightmail_queue(struct ctx *c, const char *night, const char *staff, const char *report, const char *file,
		    struct perr *e)
{
	struct change ch;
	char id[512];
	int64_t seq;
	object_id(id, sizeof id, night, staff, report);
	change_begin(&ch, c, "insert", "report_mail", id);
	change_field(&ch, "file", NULL, file);
	change_field(&ch, "state", NULL, "queued");
	int rc = change_commit(&ch, &seq, e);
	return rc ? rc : store_run(c->store, e, "INSERT INTO report_mail (night, staff_id, report, file, state, made_at, "
				   "audit_seq) VALUES ($1, $2, $3, $4, 'queued', $5, $6)", P_TEXT(night), P_TEXT(staff),
				   P_TEXT(report), P_TEXT(file), P_TEXT(c->now), P_INT(seq));
}

int nightmail_handed(struct ctx *c, const char *night, const char *staff, const char *report, const char *file,
		     int status, struct perr *e)
{
	struct change ch;
	char id[512], result[32];
	int64_t seq;
	object_id(id, sizeof id, night, staff, report);
	snprintf(result, sizeof result, status ? "refused (exit %d)" : "accepted", status);
	change_begin(&ch, c, "send", "report_mail", id);
	change_field(&ch, "file", NULL, file);
	change_field(&ch, "sendmail", NULL, result);
	int rc = change_commit(&ch, &seq, e);
	if (!rc && !status)
		rc = store_run(c->store, e, "UPDATE report_mail SET state = 'sent', sent_at = $4 WHERE night = $1 AND "
			       "staff_id = $2 AND report = $3", P_TEXT(night), P_TEXT(staff), P_TEXT(report), P_TEXT(c->now));
	return rc;
}

/* The whole file into memory: *data (malloc'd), *len. */
static int slurp(const char *path, char **data, size_t *len, struct perr *e)
{
	FILE *f = fopen(path, "rb");
	struct sbuf b;
	char buf[65536];
	size_t got;
	if (!f)
		return perr_set(e, EX_NOINPUT, "%s: %s", path, strerror(errno));
	sbuf_init(&b);
	while ((got = fread(buf, 1, sizeof buf, f)) > 0)
		sbuf_add(&b, buf, got);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		sbuf_free(&b);
		return perr_set(e, EX_IOERR, "%s: read error", path);
	}
	*data = b.s;
	*len = b.len;
	return 0;
}

int nightmail_write(const struct nightmail_msg *m, const struct nightmail_to *to, FILE *f, struct perr *e)
{
	int summary = !strcmp(m->report, NIGHTMAIL_SUMMARY);
	char subject[512], id[512], text[1024], d[11];
	snprintf(d, sizeof d, "%.2s.%.2s.%.4s", m->night + 8, m->night + 5, m->night);
	if (summary)
		snprintf(subject, sizeof subject, "Сводка по классам на %s", d);
	else
		snprintf(subject, sizeof subject, "Отчёт по %s классу на %s", m->report, d);
	snprintf(text, sizeof text, "Здравствуйте, %s!\n\nВо вложении — %s на %s: успеваемость, посещаемость и охват "
		 "(согласия, выписки, ознакомление).\n\nПисьмо отправлено автоматически, отвечать на него не нужно.\n%s%s",
		 to->name, summary ? "сводка по всем классам" : "отчёт по вашему классу", d, m->school ? m->school : "",
		 m->school && *m->school ? "\n" : "");
	const char *at = strchr(m->from, '@');
	char hex[130] = "";
	for (size_t i = 0; m->report[i] && i < 64; i++)	/* a class's name in ASCII */
		snprintf(hex + 2 * i, 3, "%02x", (unsigned char)m->report[i]);
	snprintf(id, sizeof id, "nightly.%s.%s.%s@%s", m->night, to->staff_id, hex, at ? at + 1 : "portal.invalid");
	char *data = NULL;
	size_t len = 0;
	int rc = slurp(m->attach, &data, &len, e);
	if (rc)
		return rc;
	struct eml_attachment att = { summary ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
				      m->attach_name, data, len };
	struct eml_message msg = { .from_name = m->school, .from = m->from, .to_name = to->name, .to = to->email,
				   .subject = subject, .text = text, .now = m->now, .message_id = id, .att = &att, .natt = 1 };
	rc = eml_write(&msg, f, e);
	free(data);
	return rc;
}
