/*
 * webacts.c: what a guardian does in the web cabinet, beyond reading: the
 * extracts made for them (the same PDF as the paper one, and «Ознакомлен(а)»
 * registered as an acknowledgement by the web), the access log of their
 * children, withdrawing consent online, and reporting their own password as
 * leaked. Each act goes through the same lib/ function as the binaries
 * (ack.c, consent.c, breach.c), audited as the guardian's login.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "ack.h"
#include "ackcode.h"
#include "breach.h"
#include "config.h"
#include "consent.h"
#include "extract.h"
#include "values.h"
#include "webpage.h"

static int is_guardian(const struct req *q)
{
	return strcmp(q->u.kind, "guardian") == 0;
}

/* A stored UTC timestamp as the school reads it: DD.MM.YYYY HH:MM. */
static void local_time(struct req *q, const char *ts, char out[17])
{
	char tz[64];
	long long epoch;
	if (config_get(q->c.store, "school.timezone", tz, sizeof tz, &q->e) || ts_parse_utc(ts, &epoch)) {
		q->e.status = 0;
		snprintf(out, 17, "%.16s", ts);
		return;
	}
	ts_format_local(epoch, tz, out);
}

static void page_head(struct req *q, const char *title, const struct web_student *w)
{
	struct page *p = &q->out->p;
	p->personal = 1;
	page_begin(p, title, q->school);
	if (w)
		html_f(&p->body, "<h1>%s</h1>\n<p>%s, %s</p>\n<p><a href=\"/student/%s\">Успеваемость</a> "
		       "<a href=\"/student/%s/extracts\">Выписки</a> <a href=\"/student/%s/consent\">Согласие</a> "
		       "<a href=\"/access\">Кто смотрел</a> <a href=\"/\">Главная</a> ",
		       title, w->name, w->cls, w->id, w->id, w->id);
	else
		html_f(&p->body, "<h1>%s</h1>\n<p><a href=\"/\">Главная</a> ", title);
	wp_logout_button(q);
	sbuf_adds(&p->body, "</p>\n");
}

/* ---- extracts ---- */

struct own_list {
	struct req *q;
	const struct web_student *w;
	const char *find;	/* a canonical code to look for; NULL: write the rows */
	int found, n;
};

static const char *channel_ru(const char *ch)
{
	return strcmp(ch, "email") == 0 ? "по электронной почте" : strcmp(ch, "web") == 0 ? "в личном кабинете" : "на бумаге";
}

static int own_row(void *ctx, const struct ack_own *a)
{
	struct own_list *l = ctx;
	struct req *q = l->q;
	struct sbuf *b = &q->out->p.body;
	if (l->find) {
		l->found |= strcmp(a->code, l->find) == 0;
		return 0;
	}
	char issued[17], acked[17], printed[ACKCODE_LEN + 2];
	local_time(q, a->issued_at, issued);
	issued[10] = 0;
	ackcode_print(a->code, printed);
	if (!l->n++)
		sbuf_adds(b, "<table><tr><th>Дата</th><th>Период</th><th>Как передана</th><th>Код</th><th>Документ</th>"
			  "<th>Ознакомление</th></tr>\n");
	html_f(b, "<tr><td>%s</td><td>", issued);
	if (*a->period)
		html_f(b, "%s", a->period);
	else
		html_f(b, "%.2s.%.2s.%.4s – %.2s.%.2s.%.4s", a->from + 8, a->from + 5, a->from, a->to + 8, a->to + 5, a->to);
	html_f(b, "</td><td>%s</td><td>%s</td><td>", channel_ru(a->channel), printed);
	if (l->w->view == GATE_OPEN && a->changed)
		html_f(b, "<a href=\"/student/%s/extracts/%s.pdf\">PDF</a><br><small>после выписки в журнале были исправления: "
		       "PDF показывает журнал на сегодня, выданная выписка — у вас на бумаге или в письме</small>",
		       l->w->id, a->code);
	else if (l->w->view == GATE_OPEN)
		html_f(b, "<a href=\"/student/%s/extracts/%s.pdf\">PDF</a>", l->w->id, a->code);
	else
		sbuf_adds(b, "на бумаге");
	sbuf_adds(b, "</td><td>");
	if (*a->acked_at) {
		local_time(q, a->acked_at, acked);
		html_f(b, "ознакомлен(а) %s", acked);
	} else {
		html_f(b, "<form class=\"inline\" method=\"post\" action=\"/student/%s/extracts\">"
		       "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><input type=\"hidden\" name=\"code\" value=\"%s\">"
		       "<button type=\"submit\">Ознакомлен(а)</button></form>", l->w->id, q->u.csrf, a->code);
	}
	sbuf_adds(b, "</td></tr>\n");
	return 0;
}

/* Whether code (canonical) is one of the extracts of w made for the guardian logged in. */
static int own_code(struct req *q, const struct web_student *w, const char *code, int *found)
{
	struct own_list l = { q, w, code, 0, 0 };
	int rc = ack_each_own(&q->c, q->u.person, w->id, own_row, &l, &q->e);
	*found = l.found;
	return rc;
}

/* POST: «Ознакомлен(а)» for the extract of the form's code; then the list again. */
static int acknowledge(struct req *q, const struct web_student *w)
{
	char typed[64], code[ACKCODE_LEN + 1], canon[11];
	int found = 0, rc;
	enum ack_result res;
	if (web_form_value(q->r->body, q->r->body_len, "code", typed, sizeof typed) || ackcode_read(typed, code)) {
		wp_not_found(q);
		return 0;
	}
	if ((rc = own_code(q, w, code, &found)))
		return rc;
	if (!found) {
		wp_not_found(q);	/* another's code: as if there were none */
		return 0;
	}
	struct ack_in in = { .code = code, .channel = "web", .guardian = q->u.person, .by_guardian = 1 };
	if ((rc = wp_begin(q)) || (rc = wp_finish(q, ack_record(&q->c, &in, &res, canon, &q->e))))
		return rc;
	char path[160];
	snprintf(path, sizeof path, "/student/%s/extracts", w->id);
	page_redirect(&q->out->p, path);
	return 0;
}

int wp_extracts_page(struct req *q, const struct web_student *w)
{
	if (!is_guardian(q)) {
		wp_not_found(q);	/* extracts are made for guardians */
		return 0;
	}
	if (strcmp(q->r->method, "POST") == 0)
		return acknowledge(q, w);
	struct page *p = &q->out->p;
	page_head(q, "Выписки из электронного журнала", w);
	if (w->view != GATE_OPEN)
		sbuf_adds(&p->body, "<p>Согласия на получение сведений в электронном виде нет, поэтому выписки передаются "
			  "на бумаге; здесь можно подтвердить, что вы с ними ознакомились.</p>\n");
	struct own_list l = { q, w, NULL, 0, 0 };
	int rc = ack_each_own(&q->c, q->u.person, w->id, own_row, &l, &q->e);
	if (rc)
		return rc;
	sbuf_adds(&p->body, l.n ? "</table>\n" : "<p>Выписок пока не было.</p>\n");
	page_end(p);
	return 0;
}

/* GET /student/ID/extracts/CODE.pdf: the extract as the paper one is printed. */
int wp_extract_pdf_page(struct req *q, const struct web_student *w)
{
	const char *name = strstr(q->r->path, "/extracts/");
	char typed[32], code[ACKCODE_LEN + 1];
	size_t len = name ? strlen(name += 10) : 0;
	int found = 0, rc;
	if (!is_guardian(q) || len < 5 || len - 4 >= sizeof typed || strcmp(name + len - 4, ".pdf")) {
		wp_not_found(q);
		return 0;
	}
	memcpy(typed, name, len - 4);
	typed[len - 4] = 0;
	if (ackcode_read(typed, code) || (rc = own_code(q, w, code, &found)) || !found) {
		if (q->e.status)
			return q->e.status;
		wp_not_found(q);
		return 0;
	}
	if ((rc = extract_pdf_again(&q->c, code, &q->out->data, &q->out->data_len, &q->e)))
		return rc;
	struct page *p = &q->out->p;
	sbuf_init(&p->body);
	p->status = 200;
	p->personal = 1;
	p->content_type = "application/pdf";
	snprintf(q->out->disposition, sizeof q->out->disposition, "attachment; filename=\"%s.pdf\"", code);
	return 0;
}

/* ---- consent ---- */

static const char *decision_ru(const char *d)
{
	return strcmp(d, "given") == 0 ? "согласие дано" : strcmp(d, "refused") == 0 ? "в согласии отказано"
	       : strcmp(d, "withdrawn") == 0 ? "согласие отозвано" : "решения нет";
}

/* GET: the standing decision and, while a consent stands, the form to withdraw it; POST: withdraws. */
int wp_consent_page(struct req *q, const struct web_student *w)
{
	struct consent_state cs;
	int rc;
	if (!is_guardian(q)) {
		wp_not_found(q);
		return 0;
	}
	if ((rc = consent_channel(&q->c, q->u.person, w->id, &cs, &q->e)))
		return rc;
	if (strcmp(q->r->method, "POST") == 0) {
		long added = 0;
		struct consent_rec r = { q->u.person, w->id, "withdrawn", q->c.today, "electronic", NULL, 1 };
		/* only a standing consent is withdrawn; a second press records nothing */
		if (strcmp(cs.decision, "given") == 0 &&
		    ((rc = wp_begin(q)) || (rc = wp_finish(q, consent_record(&q->c, &r, &added, &q->e)))))
			return rc;
		char path[160];
		snprintf(path, sizeof path, "/student/%s/consent", w->id);
		page_redirect(&q->out->p, path);
		return 0;
	}
	struct page *p = &q->out->p;
	page_head(q, "Согласие на получение сведений в электронном виде", w);
	html_f(&p->body, "<p>Сейчас: %s", decision_ru(cs.decision));
	if (*cs.signed_on)
		html_f(&p->body, " (%.2s.%.2s.%.4s)", cs.signed_on + 8, cs.signed_on + 5, cs.signed_on);
	html_f(&p->body, ". Сведения об успеваемости передаются %s.</p>\n",
	       cs.channel == CH_ELECTRONIC ? "в электронном виде" : "на бумаге");
	if (strcmp(cs.decision, "given") == 0)
		html_f(&p->body, "<form method=\"post\" action=\"/student/%s/consent\"><input type=\"hidden\" name=\"csrf\" "
		       "value=\"%s\"><p>Если вы отзовёте согласие, сведения об успеваемости будут передаваться только на "
		       "бумаге, а в личном кабинете их не будет видно.</p><p><button type=\"submit\">Отозвать согласие"
		       "</button></p></form>\n", w->id, q->u.csrf);
	else
		sbuf_adds(&p->body, "<p>Чтобы дать согласие, подайте классному руководителю письменное согласие на обработку "
			  "персональных данных и получение сведений в электронном виде.</p>\n");
	page_end(p);
	return 0;
}

/* ---- the access log ---- */

static int access_row(void *ctx, const struct access_view *v)
{
	struct req *q = ctx;
	char at[17];
	local_time(q, v->at, at);
	html_f(&q->out->p.body, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", at, v->login, v->student_name,
	       v->page);
	return 0;
}

void wp_access(struct req *q)
{
	if (!is_guardian(q))
		return wp_not_found(q);
	struct page *p = &q->out->p;
	page_head(q, "Кто смотрел сведения о ваших детях", NULL);
	sbuf_adds(&p->body, "<p>Каждый просмотр сведений о ребёнке в личном кабинете записывается: когда, под каким логином, "
		  "какая страница. Последние 500 просмотров:</p>\n<table><tr><th>Когда</th><th>Логин</th><th>Ученик</th>"
		  "<th>Страница</th></tr>\n");
	int rc = access_each_of_guardian(&q->c, q->u.person, 500, access_row, q, &q->e);
	if (rc)
		return wp_failed(q, rc);
	sbuf_adds(&p->body, "</table>\n");
	page_end(p);
}

/* ---- a leaked password ---- */

void wp_leaked(struct req *q)
{
	struct page *p = &q->out->p;
	if (strcmp(q->r->method, "POST") != 0) {
		page_head(q, "Мой пароль стал известен другим", NULL);
		html_f(&p->body, "<p>Если ваш пароль мог узнать кто-то другой, сообщите об этом здесь. Учётная запись будет "
		       "сразу заблокирована, а вы выйдете из личного кабинета.</p>\n<form method=\"post\" action=\"/leaked\">"
		       "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><p><button type=\"submit\">Мой пароль стал известен "
		       "другим</button></p></form>\n", q->u.csrf);
		page_end(p);
		return;
	}
	if (!wp_csrf_ok(q->r, q->u.csrf))
		return wp_forbidden(q);
	long invalidated = 0, ended = 0;
	int rc = wp_begin(q);
	if (!rc) {
		rc = breach_self_report(&q->c, q->u.login, "личный кабинет", &invalidated, NULL, NULL, &q->e);
		if (!rc)
			rc = web_sessions_end_login(&q->c, q->u.login, &ended, &q->e);
		rc = wp_finish(q, rc);
	}
	if (rc)
		return wp_failed(q, rc);
	wp_end_session_cookie(q);
	wp_simple_page(q, 200, "Учётная запись заблокирована",
		       "Мы зарегистрировали, что ваш пароль стал известен другим. Учётная запись заблокирована, вы вышли "
		       "из личного кабинета на всех устройствах; действия, сделанные под этим логином с этой минуты, "
		       "считаются недействительными. Чтобы получить новый логин и пароль, обратитесь к классному "
		       "руководителю.");
	p->personal = 1;
}
