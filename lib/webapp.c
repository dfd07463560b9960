/*
 * webapp.c: the pages of the web cabinet (login, password, the children, a
 * student's progress), built from the same lib/ functions as the binaries:
 * the journal grid for averages and absences, the gate for who sees what,
 * the sessions module for who is logged in. Every value reaches the page
 * through html.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "access.h"
#include "audit.h"
#include "config.h"
#include "i18n.h"
#include "gate.h"
#include "attendance.h"
#include "grading.h"
#include "journal.h"
#include "known.h"
#include "values.h"
#include "webapp.h"
#include "webpage.h"
#include "websession.h"
#include "witness.h"

static const char css[] =
	"body{font-family:sans-serif;margin:0;color:#222;background:#fff;line-height:1.4}\n"
	"header{background:#234;color:#fff;padding:.6em 1em}\n"
	"main{padding:1em;max-width:60em}\n"
	"table{border-collapse:collapse;width:100%}\n"
	"td,th{border:1px solid #ccc;padding:.3em;text-align:left;vertical-align:top}\n"
	".m{display:inline-block;margin:0 .4em .2em 0;white-space:nowrap}\n"
	".err{color:#a00}\n"
	"input,select,button{font-size:1em;padding:.3em;margin:.2em 0}\n"
	"form.inline{display:inline}\n"
	"@media (max-width:40em){td,th{display:block;border:0}tr{display:block;border-bottom:1px solid #ccc}}\n";

/* A cookie of this site (name without its prefix); max_age < 0: for the browser's session only. */
static void set_cookie(struct req *q, int login_form, const char *value, long max_age)
{
	char age[32] = "";
	const char *name = q->insecure ? (login_form ? WEB_LOGIN_COOKIE_PLAIN : WEB_COOKIE_PLAIN)
				       : (login_form ? WEB_LOGIN_COOKIE : WEB_COOKIE);
	if (max_age >= 0)
		snprintf(age, sizeof age, "; Max-Age=%ld", max_age);
	if (q->out->ncookies < 2)
		snprintf(q->out->cookies[q->out->ncookies++], sizeof q->out->cookies[0],
			 "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", name, value, q->insecure ? "" : "; Secure", age);
}

void wp_simple_page(struct req *q, int status, const char *title, const char *text)
{
	struct page *p = &q->out->p;
	page_free(p);
	memset(p, 0, sizeof *p);
	free(q->out->data);	/* a failure replaces a document begun */
	q->out->data = NULL;
	*q->out->disposition = 0;
	p->status = status;
	page_begin(p, title, q->school);
	html_f(&p->body, "<h1>%s</h1>\n<p>%s</p>\n<p><a href=\"/\">На главную</a></p>\n", title, text);
	page_end(p);
}

void wp_not_found(struct req *q)
{
	wp_simple_page(q, 404, "Страница не найдена", "Такой страницы нет.");
}

void wp_failed(struct req *q, int status)
{
	if (status == EX_TEMPFAIL)
		wp_simple_page(q, 503, "Сервис занят", "Повторите запрос через минуту.");
	else
		wp_simple_page(q, 500, "Ошибка", "Произошла внутренняя ошибка. Повторите позже или обратитесь в школу.");
}

/* A page view's writes and its session's last_seen go in one transaction: one commit a view. */
int wp_begin(struct req *q)
{
	int rc = store_begin_write(q->c.store, &q->e);
	if (rc || !q->logged_in || q->touched)
		return rc;
	if ((rc = web_session_touch(&q->c, &q->u, &q->e))) {
		store_rollback(q->c.store);
		return rc;
	}
	q->touching = 1;
	return 0;
}

int wp_finish(struct req *q, int rc)
{
	int touching = q->touching;
	q->touching = 0;
	if (rc) {
		store_rollback(q->c.store);
		return rc;
	}
	/* the transaction appended to the audit chain when it read the chain's head */
	int audited = q->c.head_loaded && q->c.head_loaded == store_tx_serial(q->c.store);
	if ((rc = audited ? store_commit_durable(q->c.store, &q->e) : store_commit(q->c.store, &q->e)))
		return rc;
	q->touched |= touching;
	/* as every writing command does: the new head to the witness (audit.witness); a page view
	 * adds no audit record, so it costs nothing */
	struct perr we = { 0 };
	if (audited && witness_follow(q->c.store, q->c.now, &we))
		snprintf(q->out->warning, sizeof q->out->warning, _("%s; the change is committed: the witness gets the head "
								      "once the file can be written (portal-db witness)"), we.msg);
	return 0;
}

/* The CSRF token of a form equals the expected one (constant time). */
int wp_csrf_ok(const struct web_req *r, const char *expected)
{
	char got[WEB_TOKEN_HEX];
	if (!expected || strlen(expected) != WEB_TOKEN_HEX - 1 ||
	    web_form_value(r->body, r->body_len, "csrf", got, sizeof got) || strlen(got) != WEB_TOKEN_HEX - 1)
		return 0;
	return sodium_memcmp(got, expected, WEB_TOKEN_HEX - 1) == 0;
}

void wp_forbidden(struct req *q)
{
	wp_simple_page(q, 403, "Запрос отклонён", "Форма устарела или отправлена не со страницы портала. Откройте страницу заново.");
}

/* ---- login, logout, password ---- */

static void login_form(struct req *q, int status, const char *message)
{
	char token[WEB_TOKEN_HEX];
	struct page *p = &q->out->p;
	web_token(token);
	set_cookie(q, 1, token, 3600);
	page_free(p);
	memset(p, 0, sizeof *p);
	p->status = status;
	p->personal = 1;
	page_begin(p, "Вход", q->school);
	sbuf_adds(&p->body, "<h1>Вход в личный кабинет</h1>\n");
	if (message)
		html_f(&p->body, "<p class=\"err\">%s</p>\n", message);
	html_f(&p->body, "<form method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
	       "<p><label>Логин<br><input name=\"login\" autocomplete=\"username\" required></label></p>\n"
	       "<p><label>Пароль<br><input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label></p>\n"
	       "<p><button type=\"submit\">Войти</button></p></form>\n", token);
	page_end(p);
}

static void do_login(struct req *q)
{
	const struct web_req *r = q->r;
	char login[96], sid[WEB_TOKEN_HEX];
	char *pw = sodium_malloc(256);
	int throttled = 0, ok = 0, rc;
	enum web_login_result res;
	if (!pw)
		return wp_failed(q, EX_OSERR);
	if (!wp_csrf_ok(r, q->login_csrf)) {
		sodium_free(pw);
		return wp_forbidden(q);
	}
	if (web_form_value(r->body, r->body_len, "login", login, sizeof login) ||
	    web_form_value(r->body, r->body_len, "password", pw, 256)) {
		sodium_free(pw);
		return login_form(q, 400, "Введите логин и пароль.");
	}
	str_trim(login);
	rc = web_login_throttled(&q->c, login, r->client, &throttled, &q->e);
	if (!rc && !throttled)
		rc = web_login_check(&q->c, login, pw, &ok, &q->e);
	sodium_free(pw);	/* wiped */
	if (rc)
		return wp_failed(q, rc);
	res = throttled ? WL_THROTTLED : ok ? WL_OK : WL_BAD;
	str_copy(q->actor.login, sizeof q->actor.login, login);
	if ((rc = wp_begin(q)) || (rc = wp_finish(q, web_login_record(&q->c, login, r->client, res, sid, &q->e))))
		return wp_failed(q, rc);
	if (res == WL_THROTTLED)
		return login_form(q, 429, "Слишком много неудачных попыток входа. Повторите через 15 минут.");
	if (res == WL_BAD)
		return login_form(q, 200, "Неверный логин или пароль.");
	set_cookie(q, 0, sid, -1);
	set_cookie(q, 1, "", 0);
	page_redirect(&q->out->p, "/");
}

static void do_logout(struct req *q)
{
	int rc;
	if (!wp_csrf_ok(q->r, q->u.csrf))
		return wp_forbidden(q);
	if ((rc = wp_begin(q)) || (rc = wp_finish(q, web_session_end(&q->c, &q->u, &q->e))))
		return wp_failed(q, rc);
	set_cookie(q, 0, "", 0);
	page_redirect(&q->out->p, "/login");
}

void wp_end_session_cookie(struct req *q)
{
	set_cookie(q, 0, "", 0);
}

void wp_logout_button(struct req *q)
{
	html_f(&q->out->p.body, "<form class=\"inline\" method=\"post\" action=\"/logout\">"
	       "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><button type=\"submit\">Выйти</button></form>\n",
	       q->u.csrf);
}

static void password_form(struct req *q, int status, const char *message)
{
	struct page *p = &q->out->p;
	page_free(p);
	memset(p, 0, sizeof *p);
	p->status = status;
	p->personal = 1;
	page_begin(p, "Смена пароля", q->school);
	sbuf_adds(&p->body, "<h1>Смена пароля</h1>\n");
	if (q->u.must_change)
		sbuf_adds(&p->body, "<p>Временный пароль нужно сменить перед началом работы.</p>\n");
	if (message)
		html_f(&p->body, "<p class=\"err\">%s</p>\n", message);
	html_f(&p->body, "<form method=\"post\" action=\"/password\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
	       "<p><label>Текущий пароль<br><input type=\"password\" name=\"old\" autocomplete=\"current-password\" required></label></p>\n"
	       "<p><label>Новый пароль (не короче 8 символов, не совпадает с логином)<br>"
	       "<input type=\"password\" name=\"new\" autocomplete=\"new-password\" minlength=\"8\" required></label></p>\n"
	       "<p><label>Новый пароль ещё раз<br><input type=\"password\" name=\"new2\" autocomplete=\"new-password\" required></label></p>\n"
	       "<p><button type=\"submit\">Сменить пароль</button></p></form>\n", q->u.csrf);
	wp_logout_button(q);
	page_end(p);
}

static void do_password(struct req *q)
{
	const struct web_req *r = q->r;
	char sid[WEB_TOKEN_HEX];
	char *old = sodium_malloc(3 * 256), *nw = old + 256, *nw2 = old + 512;
	const char *msg = NULL;
	int ok = 0, rc = 0;
	if (!old)
		return wp_failed(q, EX_OSERR);
	if (!wp_csrf_ok(r, q->u.csrf)) {
		sodium_free(old);
		return wp_forbidden(q);
	}
	if (web_form_value(r->body, r->body_len, "old", old, 256) || web_form_value(r->body, r->body_len, "new", nw, 256) ||
	    web_form_value(r->body, r->body_len, "new2", nw2, 256))
		msg = "Заполните все поля.";
	else if (strcmp(nw, nw2))
		msg = "Новые пароли не совпадают.";
	else if ((rc = web_login_check(&q->c, q->u.login, old, &ok, &q->e)) == 0 && !ok)
		msg = "Текущий пароль неверен.";
	else if (!rc && (strlen(nw) < 8 || strcmp(nw, q->u.login) == 0))
		msg = "Новый пароль должен быть не короче 8 символов и не совпадать с логином.";
	if (!rc && !msg && !(rc = wp_begin(q))) {
		rc = wp_finish(q, web_passwd(&q->c, &q->u, nw, r->client, sid, &q->e));
		if (rc == EX_DATAERR)
			msg = "Новый пароль не подходит: не короче 8 символов и не совпадает с логином.";
	}
	sodium_free(old);
	if (msg)
		return password_form(q, 200, msg);
	if (rc)
		return wp_failed(q, rc);
	set_cookie(q, 0, sid, -1);
	page_redirect(&q->out->p, "/");
}

/* ---- the children, a student ---- */


static int children(struct req *q, struct child **v, size_t *n)
{
	struct stmt *st = store_query(q->c.store, &q->e,
		"SELECT s.student_id, s.last_name || ' ' || s.first_name, s.class FROM students s WHERE "
		"($1 = 'guardian' AND s.student_id IN (SELECT l.student_id FROM guardian_links l WHERE l.guardian_id = $2 AND "
		FACT_VALID("l") ")) OR ($1 = 'student' AND s.student_id = $2) OR "
		"($1 = 'staff' AND s.status = 'active' AND s.class IN (SELECT class FROM staff_classes WHERE staff_id = $2)) "
		"ORDER BY " CLASS_ORDER("s.class") ", s.last_name, s.first_name, s.student_id", P_TEXT(q->u.kind), P_TEXT(q->u.person));
	int rc;
	if (!st)
		return q->e.status;
	*v = NULL;
	*n = 0;
	while ((rc = stmt_step(st, &q->e)) == 1) {
		*v = xrealloc(*v, (*n + 1) * sizeof **v);
		str_copy((*v)[*n].id, sizeof (*v)[*n].id, stmt_text(st, 0));
		str_copy((*v)[*n].name, sizeof (*v)[*n].name, stmt_text(st, 1));
		str_copy((*v)[*n].cls, sizeof (*v)[*n].cls, stmt_text(st, 2));
		(*n)++;
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

static void do_home(struct req *q)
{
	struct child *v = NULL;
	size_t n = 0;
	int rc = children(q, &v, &n);
	if (rc)
		return wp_failed(q, rc);
	if (n == 1) {
		char path[128];
		snprintf(path, sizeof path, "/student/%s", v[0].id);
		free(v);
		/* an id goes into a path the code writes: only the characters of ids */
		for (const char *s = path + 9; *s; s++)
			if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.", *s))
				return wp_failed(q, EX_SOFTWARE);
		return page_redirect(&q->out->p, path);
	}
	struct page *p = &q->out->p;
	p->personal = 1;
	page_begin(p, "Личный кабинет", q->school);
	html_f(&p->body, "<h1>Личный кабинет</h1>\n<p>%s ", q->u.login);
	wp_logout_button(q);
	sbuf_adds(&p->body, " <a href=\"/password\">Сменить пароль</a> <a href=\"/access\">Кто смотрел</a> "
		  "<a href=\"/leaked\">Мой пароль стал известен другим</a></p>\n");
	if (!n)
		sbuf_adds(&p->body, "<p>С этой учётной записью не связан ни один ученик.</p>\n");
	else
		sbuf_adds(&p->body, "<ul>\n");
	for (size_t i = 0; i < n; i++)
		html_f(&p->body, "<li><a href=\"/student/%s\">%s</a>, %s</li>\n", v[i].id, v[i].name, v[i].cls);
	if (n)
		sbuf_adds(&p->body, "</ul>\n");
	page_end(p);
	rc = wp_begin(q);
	for (size_t i = 0; !rc && i < n; i++)
		rc = access_log_view(&q->c, q->u.login, v[i].id, "/", q->r->client, &q->e);
	free(v);
	if (!rc)
		rc = wp_finish(q, 0);
	else if (store_in_transaction(q->c.store))
		store_rollback(q->c.store);
	if (rc)
		wp_failed(q, rc);
}

void wp_paper_notice(struct req *q)
{
	struct page *p = &q->out->p;
	char support[256];
	if (config_get(q->c.store, "support.contact", support, sizeof support, &q->e))
		*support = 0;
	p->personal = 1;
	page_begin(p, "Сведения об успеваемости", q->school);
	sbuf_adds(&p->body, "<h1>Сведения об успеваемости</h1>\n"
		  "<p>Согласие на получение сведений об успеваемости в электронном виде (152-ФЗ) не дано или отозвано, "
		  "поэтому сведения передаются вам на бумаге: выписку из электронного журнала выдаёт классный руководитель.</p>\n"
		  "<p>Чтобы видеть сведения здесь, подайте классному руководителю письменное согласие на обработку "
		  "персональных данных и получение сведений в электронном виде.</p>\n");
	if (*support)
		html_f(&p->body, "<p>Вопросы: %s</p>\n", support);
	sbuf_adds(&p->body, "<p><a href=\"/\">На главную</a></p>\n");
	page_end(p);
}

/* dd.mm of an ISO date */
void wp_short_date(const char *iso, char out[6])
{
	snprintf(out, 6, "%.2s.%.2s", iso && strlen(iso) >= 10 ? iso + 8 : "??", iso && strlen(iso) >= 10 ? iso + 5 : "??");
}

/* One subject of a child's page: its marks (with dates and kinds), their weighted average, the
 * period's final mark, the lessons missed. */
struct subj_line {
	int64_t id;
	char *name;
	struct wavg avg;
	char final[8];
	struct absence_count abs;
	struct sbuf marks;	/* the marks' HTML, in the order of the journal */
	int shown;		/* anything to show */
};

struct progress_page {
	struct req *q;
	struct subj_line *v;
	size_t n;
	struct absence_count total;
};

static struct subj_line *subj_line(struct progress_page *pp, int64_t id)
{
	for (size_t i = 0; i < pp->n; i++)
		if (pp->v[i].id == id)
			return &pp->v[i];
	return NULL;
}

/* Every subject of the school, by name: a few dozen rows, the lines the page may show. */
static int load_subjects(struct progress_page *pp)
{
	struct stmt *st = store_query(pp->q->c.store, &pp->q->e, "SELECT subject_id, name FROM subjects ORDER BY name, subject_id");
	int rc;
	if (!st)
		return pp->q->e.status;
	while ((rc = stmt_step(st, &pp->q->e)) == 1) {
		pp->v = xrealloc(pp->v, (pp->n + 1) * sizeof *pp->v);
		struct subj_line *l = &pp->v[pp->n++];
		memset(l, 0, sizeof *l);
		l->id = stmt_int(st, 0);
		l->name = xstrdup(stmt_text(st, 1) ? stmt_text(st, 1) : "");
		sbuf_init(&l->marks);
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

/* The student's marks in the dates, with kinds and weights, subject by subject in the journal's
 * order: a range of the marks' key (student, subject, date …) for each subject, not every mark of
 * the student's year. */
static int load_marks(struct progress_page *pp, const char *student, const char *from, const char *to)
{
	struct req *q = pp->q;
	struct stmt *st = store_query(q->c.store, &q->e,
		"SELECT m.subject_id, m.date, m.value, m.weight, m.kind FROM marks m WHERE m.student_id = $1 "
		"AND m.subject_id IN (SELECT subject_id FROM subjects) AND m.date BETWEEN $2 AND $3 AND " FACT_VALID("m")
		" ORDER BY m.subject_id, m.date, m.lesson_no, m.kind", P_TEXT(student), P_TEXT(from), P_TEXT(to));
	int rc;
	if (!st)
		return q->e.status;
	while ((rc = stmt_step(st, &q->e)) == 1) {
		struct subj_line *l = subj_line(pp, stmt_int(st, 0));
		if (!l)
			continue;	/* a subject the store does not have: refused by its foreign key */
		char date[6];
		const char *kind = stmt_text(st, 4) ? stmt_text(st, 4) : "";
		int value = (int)stmt_int(st, 2);
		wp_short_date(stmt_text(st, 1), date);
		html_f(&l->marks, *kind ? "<span class=\"m\">%s <b>%d</b> %s</span>" : "<span class=\"m\">%s <b>%d</b>%s</span>",
		       date, value, kind);
		wavg_add(&l->avg, value, stmt_double(st, 3));
		l->shown = 1;
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

static int load_finals(struct progress_page *pp, const char *student, const char *period)
{
	struct req *q = pp->q;
	struct stmt *st = store_query(q->c.store, &q->e, "SELECT f.subject_id, f.value FROM finals f WHERE f.student_id = $1 "
				      "AND f.period = $2 AND " FACT_VALID("f"), P_TEXT(student), P_TEXT(period));
	int rc;
	if (!st)
		return q->e.status;
	while ((rc = stmt_step(st, &q->e)) == 1) {
		struct subj_line *l = subj_line(pp, stmt_int(st, 0));
		if (l && stmt_text(st, 1)) {
			str_copy(l->final, sizeof l->final, stmt_text(st, 1));
			l->shown = 1;
		}
	}
	stmt_reset(st);
	return rc < 0 ? -rc : 0;
}

/* A lesson missed (or a late): to its subject's line when known, always to the total. */
static int add_absence(void *arg, const struct absence *a)
{
	struct progress_page *pp = arg;
	struct subj_line *l = a->subject ? subj_line(pp, a->subject) : NULL;
	absence_count_add(&pp->total, a->code);
	if (l) {
		absence_count_add(&l->abs, a->code);
		l->shown = 1;
	}
	return 0;
}

static int period_selector(void *ctx, const char *const *vals, size_t n)
{
	struct req *q = ctx;
	const char *cur = q->period_shown;
	html_f(&q->out->p.body, "<option%s>%s</option>", cur && strcmp(cur, vals[0]) == 0 ? " selected" : "", vals[0]);
	return 0;
}

static void subject_row(struct req *q, const struct subj_line *l, const double t[3])
{
	struct sbuf *b = &q->out->p.body;
	char avg[16] = "—", mark[16] = "—";
	double a = wavg_value(&l->avg);
	if (a >= 0) {
		grading_fmt(a, 2, avg, sizeof avg);
		snprintf(mark, sizeof mark, "%d", grading_round(a, t));	/* SPEC §6: the average rounded */
	}
	if (*l->final)
		str_copy(mark, sizeof mark, l->final);	/* the final mark where set */
	html_f(b, "<tr><td>%s</td><td>", l->name);
	if (l->marks.len)
		sbuf_add(b, l->marks.s, l->marks.len);
	html_f(b, "</td><td>%s</td><td>%s</td><td>%ld", avg, mark, l->abs.missed);
	if (l->abs.illness || l->abs.excused)
		html_f(b, " (по болезни %ld, уваж. %ld)", l->abs.illness, l->abs.excused);
	if (l->abs.late)
		html_f(b, ", опозданий %ld", l->abs.late);
	sbuf_adds(b, "</td></tr>\n");
}

/* A child's progress in a period: per subject the marks with dates and kinds, the weighted average,
 * the final mark, the lessons missed (lib/attendance.c's count, as the extract and the reports), and
 * the total; a period not over up to today, as the extract. A handful of queries over the child's
 * own rows, not the class's grid. */
static int progress(struct req *q, const char *student, const char *name, const char *cls)
{
	char pname[128] = "", from[11], to[11], tstr[64];
	double t[3];
	struct page *p = &q->out->p;
	struct progress_page pp = { q, NULL, 0, { 0 } };
	int rc;
	if ((rc = config_get(q->c.store, "grading.thresholds", tstr, sizeof tstr, &q->e)))
		return rc;
	if (grading_thresholds(tstr, t))
		return perr_set(&q->e, EX_CONFIG, "grading.thresholds: \"%s\" is not three averages", tstr);
	if (q->r->period) {
		str_copy(pname, sizeof pname, q->r->period);
		rc = known_period(q->c.store, "period", pname, from, to, &q->e);
	} else {
		rc = journal_period_so_far(q->c.store, q->c.today, pname, sizeof pname, from, to, &q->e);
	}
	q->period_shown = pname;
	p->personal = 1;
	page_begin(p, name, q->school);
	html_f(&p->body, "<h1>%s, %s</h1>\n<p><a href=\"/\">Главная</a> ", name, cls);
	wp_logout_button(q);
	sbuf_adds(&p->body, "</p>\n<form method=\"get\"><label>Период <select name=\"period\">");
	int lr = journal_list_periods(&q->c, period_selector, q, &q->e);
	sbuf_adds(&p->body, "</select></label> <button type=\"submit\">Показать</button></form>\n");
	if (lr)
		return lr;
	if (rc == EX_DATAERR) {
		q->e.status = 0;
		sbuf_adds(&p->body, "<p>Такого учебного периода нет.</p>\n");
		page_end(p);
		return 0;
	}
	if (rc)
		return rc;
	char f1[11], t1[11];
	snprintf(f1, sizeof f1, "%.2s.%.2s.%.4s", from + 8, from + 5, from);
	snprintf(t1, sizeof t1, "%.2s.%.2s.%.4s", to + 8, to + 5, to);
	html_f(&p->body, "<h2>%s (%s – %s)</h2>\n", pname, f1, t1);
	/* as the extract: a period not over up to today */
	const char *until = strcmp(to, q->c.today) <= 0 ? to : q->c.today;
	struct attendance_who who = { cls, student };
	size_t nshown = 0;
	if ((rc = load_subjects(&pp)) || (rc = load_marks(&pp, student, from, until)) ||
	    (rc = load_finals(&pp, student, pname)) ||
	    (rc = attendance_each_absence(&q->c, &who, from, until, add_absence, &pp, &q->e)))
		goto out;
	for (size_t j = 0; j < pp.n; j++) {
		if (!pp.v[j].shown)
			continue;
		if (!nshown++)
			sbuf_adds(&p->body, "<table><tr><th>Предмет</th><th>Отметки</th><th>Средний балл</th>"
				  "<th>За период</th><th>Пропуски</th></tr>\n");
		subject_row(q, &pp.v[j], t);
	}
	sbuf_adds(&p->body, nshown ? "</table>\n" : "<p>За этот период отметок и пропусков нет.</p>\n");
	char total[160];	/* every lesson missed, as the extract and the reports count them */
	absence_count_text(&pp.total, total, sizeof total);
	html_f(&p->body, "<p class=\"absences\">%s</p>\n", total);
out:
	for (size_t j = 0; j < pp.n; j++) {
		free(pp.v[j].name);
		sbuf_free(&pp.v[j].marks);
	}
	free(pp.v);
	if (!rc)
		page_end(p);
	return rc;
}

static int is(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

/* /student/ID/...: the gate decides first (another's child is 404, like no child at all); a page
 * of progress shows the paper notice without a standing consent; every view is logged. */
static void do_student(struct req *q, const char *student, const struct student_page *sp)
{
	enum gate_view v;
	char name[256] = "", cls[8] = "";
	int rc = gate_view(&q->c, q->u.kind, q->u.person, student, &v, &q->e);
	if (rc)
		return wp_failed(q, rc);
	if (v == GATE_HIDDEN)
		return wp_not_found(q);
	if (v == GATE_PAPER && sp->progress)
		return wp_paper_notice(q);
	if (is(q->r->method, "POST") && !wp_csrf_ok(q->r, q->u.csrf))
		return wp_forbidden(q);
	rc = store_get(q->c.store, &q->e, "SELECT last_name || ' ' || first_name || COALESCE(' ' || middle_name, ''), class "
		       "FROM students WHERE student_id = $1", P_TEXT(student), INTO_TEXT(name, sizeof name), INTO_TEXT(cls, sizeof cls));
	if (rc < 0)
		return wp_failed(q, -rc);
	struct web_student who = { student, name, cls, v };
	if ((rc = sp->run(q, &who)))
		return wp_failed(q, rc);
	if (q->out->p.status == 404)
		return;		/* a page this login does not have (a guardian's, for staff): nothing was shown */
	char page[160];
	snprintf(page, sizeof page, "%s", q->r->path);
	if ((rc = wp_begin(q)) || (rc = wp_finish(q, access_log_view(&q->c, q->u.login, student, page, q->r->client, &q->e))))
		wp_failed(q, rc);
}

static int progress_page(struct req *q, const struct web_student *w)
{
	return progress(q, w->id, w->name, w->cls);
}

/* The pages about one student, by the part of the path after /student/ID/. */
const struct student_page web_student_pages[] = {
	{ "", 0, 1, progress_page },
	{ "journal", 0, 1, wp_journal_page },
	{ "homework", 0, 1, wp_homework_page },
	{ "timetable", 0, 1, wp_timetable_page },
	{ "tests", 0, 1, wp_tests_page },
	{ "teachers", 0, 1, wp_teachers_page },
	{ "recommendations", 0, 1, wp_recommendations_page },
	{ "extracts", 1, 0, wp_extracts_page },
	{ "extracts/", 0, 1, wp_extract_pdf_page },
	{ "consent", 1, 0, wp_consent_page },
	{ NULL, 0, 0, NULL },
};

/* ---- the routes ---- */


void wp_method_not_allowed(struct req *q, const char *allow)
{
	wp_simple_page(q, 405, "Метод не поддерживается", "Этот адрес так не открывается.");
	q->out->allow = allow;
}

struct web_conn {
	char *db;
	struct store *store;	/* NULL until the first request, and after an error */
};

struct web_conn *web_conn_new(const char *db)
{
	struct web_conn *wc = xcalloc(1, sizeof *wc);
	wc->db = xstrdup(db);
	return wc;
}

void web_conn_free(struct web_conn *wc)
{
	if (!wc)
		return;
	store_close(wc->store);
	free(wc->db);
	free(wc);
}

static int open_request(struct req *q, struct web_conn *wc)
{
	char tz[64];
	int rc = wc->store ? 0 : store_open(wc->db, STORE_FAST_COMMIT, &wc->store, &q->e);
	if (rc)
		return rc;
	q->c.store = wc->store;
	q->c.tool = "portal-web";
	q->c.action = "web";
	q->c.now_epoch = q->r->now;
	ts_format_utc(q->r->now, q->c.now);
	if ((rc = config_get(q->c.store, "school.timezone", tz, sizeof tz, &q->e)))
		return rc;
	date_format_iso(ts_local_days(q->r->now, tz), q->c.today);
	if ((rc = config_get(q->c.store, "school.name", q->school, sizeof q->school, &q->e)))
		return rc;
	q->c.actor = &q->actor;
	str_copy(q->actor.role, sizeof q->actor.role, "web");
	long idle, max;
	if ((rc = web_settings(q->c.store, &idle, &max, &q->insecure, &q->e)))
		return rc;
	q->sid = q->r->sid;
	q->login_csrf = q->r->login_csrf;
	if (q->insecure) {
		q->sid = q->sid ? q->sid : q->r->sid_plain;
		q->login_csrf = q->login_csrf ? q->login_csrf : q->r->login_csrf_plain;
	}
	return 0;
}

static int session(struct req *q)
{
	int rc;
	if (!q->sid)
		return 0;
	if ((rc = web_session_find(&q->c, q->sid, q->r->client, &q->u, &q->logged_in, &q->e)))
		return rc;
	if (q->logged_in) {
		str_copy(q->actor.login, sizeof q->actor.login, q->u.login);
		str_copy(q->actor.role, sizeof q->actor.role, q->u.kind);
	}
	return 0;
}

static void route(struct req *q)
{
	const char *m = q->r->method, *path = q->r->path;
	int get = is(m, "GET") || is(m, "HEAD"), post = is(m, "POST");
	if (is(path, "/login")) {
		if (get)
			return q->logged_in ? page_redirect(&q->out->p, "/") : login_form(q, 200, NULL);
		return post ? do_login(q) : wp_method_not_allowed(q, "GET, HEAD, POST");
	}
	if (!is(path, "/") && !is(path, "/logout") && !is(path, "/password") && !is(path, "/holidays") &&
	    !is(path, "/access") && !is(path, "/leaked") &&
	    strncmp(path, "/student/", 9))
		return wp_not_found(q);
	if (!q->logged_in) {
		if (post)
			return wp_forbidden(q);	/* no session: no token to match */
		return page_redirect(&q->out->p, "/login");
	}
	if (is(path, "/logout"))
		return post ? do_logout(q) : wp_method_not_allowed(q, "POST");
	if (is(path, "/password")) {
		if (get)
			return password_form(q, 200, NULL);
		return post ? do_password(q) : wp_method_not_allowed(q, "GET, HEAD, POST");
	}
	if (is(path, "/leaked"))
		return get || post ? wp_leaked(q) : wp_method_not_allowed(q, "GET, HEAD, POST");
	if (q->u.must_change)
		return page_redirect(&q->out->p, "/password");
	if (is(path, "/access"))
		return get ? wp_access(q) : wp_method_not_allowed(q, "GET, HEAD");
	if (is(path, "/"))
		return get ? do_home(q) : wp_method_not_allowed(q, "GET, HEAD");
	if (is(path, "/holidays"))
		return get ? wp_holidays(q) : wp_method_not_allowed(q, "GET, HEAD");
	char id[64];
	const char *rest = path + 9, *slash = strchr(rest, '/');
	size_t idlen = slash ? (size_t)(slash - rest) : strlen(rest);
	if (!idlen || idlen >= sizeof id)
		return wp_not_found(q);
	memcpy(id, rest, idlen);
	id[idlen] = '\0';
	const char *name = slash ? slash + 1 : "";
	for (const struct student_page *sp = web_student_pages; sp->run; sp++)
		if (is(name, sp->name) || (*sp->name && sp->name[strlen(sp->name) - 1] == '/' &&
					   !strncmp(name, sp->name, strlen(sp->name))))
			return (get || (post && sp->takes_post)) ? do_student(q, id, sp)
				: wp_method_not_allowed(q, sp->takes_post ? "GET, HEAD, POST" : "GET, HEAD");
	wp_not_found(q);
}

/* After an answer of 500 or 503 the connection may be unusable (a file replaced, a disk error,
 * a schema changed): the next request opens a new one. */
static void done_with_store(struct web_conn *wc, int status)
{
	if (!wc->store)
		return;
	if (store_in_transaction(wc->store))
		store_rollback(wc->store);
	if (status >= 500) {
		store_close(wc->store);
		wc->store = NULL;
	}
}

void webapp_serve(struct web_conn *wc, const struct web_req *r, struct web_resp *out)
{
	struct req q;
	memset(&q, 0, sizeof q);
	memset(out, 0, sizeof *out);
	q.r = r;
	q.out = out;
	const char *m = r->method;
	int get = is(m, "GET") || is(m, "HEAD");
	if (is(r->path, "/style.css") || is(r->path, "/healthz")) {
		if (!get) {
			wp_method_not_allowed(&q, "GET, HEAD");
			return;
		}
		sbuf_init(&out->p.body);
		out->p.status = 200;
		if (is(r->path, "/style.css")) {
			out->p.content_type = "text/css; charset=utf-8";
			sbuf_adds(&out->p.body, css);
			return;
		}
		out->p.content_type = "text/plain; charset=utf-8";
		int rc = open_request(&q, wc);
		if (rc)
			out->p.status = 503;
		sbuf_adds(&out->p.body, rc ? "store unavailable\n" : "ok\n");
		done_with_store(wc, out->p.status);
		return;
	}
	int rc = open_request(&q, wc);
	if (!rc)
		rc = session(&q);
	if (rc)
		wp_failed(&q, rc);
	else
		route(&q);
	if (q.logged_in && !q.touched && out->p.status < 500 && ((rc = wp_begin(&q)) || (rc = wp_finish(&q, 0)))) {
		web_resp_free(out);	/* a page with no write of its own: the session touched alone, or a failure */
		memset(out, 0, sizeof *out);
		wp_failed(&q, rc);
	}
	if (!out->p.body.s && !out->data && out->p.status != 303)
		wp_failed(&q, EX_SOFTWARE);
	if (out->p.status == 303 && !out->p.body.s)
		sbuf_init(&out->p.body);
	done_with_store(wc, out->p.status);
	sodium_memzero(&q.u, sizeof q.u);
}

void webapp_handle(const char *db, const struct web_req *r, struct web_resp *out)
{
	struct web_conn *wc = web_conn_new(db);
	webapp_serve(wc, r, out);
	web_conn_free(wc);
}

void web_resp_free(struct web_resp *out)
{
	page_free(&out->p);
	free(out->data);
	out->data = NULL;
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

int web_form_value(const char *body, size_t len, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name), i = 0;
	if (!body || !n)
		return -1;
	while (i < len) {
		size_t end = i;
		while (end < len && body[end] != '&')
			end++;
		if (end - i > nl && memcmp(body + i, name, nl) == 0 && body[i + nl] == '=') {
			size_t o = 0;
			for (size_t k = i + nl + 1; k < end; k++) {
				int ch = (unsigned char)body[k];
				if (ch == '+')
					ch = ' ';
				else if (ch == '%' && k + 2 < end && hexval(body[k + 1]) >= 0 && hexval(body[k + 2]) >= 0) {
					ch = hexval(body[k + 1]) * 16 + hexval(body[k + 2]);
					k += 2;
				}
				if (ch == 0 || o + 1 >= n)
					return -1;	/* a NUL in a field, or a field too long */
				out[o++] = (char)ch;
			}
			out[o] = 0;
			return 0;
		}
		i = end + 1;
	}
	return -1;
}
