/*
 * slips.c: the text slips. A4 in monospace holds 80 columns; slips are
 * separated by a cut line and never split across a page (6 to a page).
 */
#include <string.h>

#include "slips.h"

static const char CUT[] =
	"- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -\n";

static const char *who_word(const char *kind)
{
	if (strcmp(kind, "student") == 0)
		return "Ученик";
	if (strcmp(kind, "guardian") == 0)
		return "Родитель (законный представитель)";
	return "Сотрудник";
}

static void slip(FILE *f, const struct slip_info *in, const struct issue_item *it)
{
	fprintf(f, "Школьный портал%s%s\n", in->school && *in->school ? " — " : "", in->school ? in->school : "");
	fprintf(f, "%s: %s%s%s\n", who_word(it->kind), it->full_name, *it->cls ? ", класс " : "", it->cls);
	fprintf(f, "Адрес портала:     %s\n", in->portal_url && *in->portal_url ? in->portal_url : "(уточните у классного руководителя)");
	fprintf(f, "Логин:             %s\n", it->login);
	fprintf(f, "Временный пароль:  %s\n", it->password);
	fprintf(f, "Смените пароль при первом входе.\n");
	fprintf(f, "1. Никому не передавайте логин и пароль.\n");
	fprintf(f, "2. Если они стали известны другому, в течение одного рабочего дня сообщите\n"
		   "   руководителю школы и в поддержку: %s.\n",
		in->support && *in->support ? in->support : "(контакт поддержки у классного руководителя)");
	fprintf(f, "3. Всё, что сделано с логином после такого сообщения, недействительно.\n");
}

int slips_write_txt(FILE *f, const struct slip_info *info, const struct issue_plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		fputs(CUT, f);
		slip(f, info, &p->items[i]);
		if (i % 6 == 5 && i + 1 < p->n) {
			fputs(CUT, f);
			fputc('\f', f);
		}
	}
	if (p->n)
		fputs(CUT, f);
	return ferror(f) ? -1 : 0;
}
