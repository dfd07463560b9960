/*
 * eml.c: an extract as an e-mail message (RFC 5322, MIME, UTF-8) built with
 * GMime. Sending is the mail path's business; this writes the message. The
 * address comes from the caller, who got it from consent_email_address().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "ackcode.h"
#include "extract.h"
#include "values.h"

static void eml_init(void)
{
	static int done;
	if (!done) {
		g_mime_init();
		done = 1;
	}
}

int extract_eml(const struct extract *x, const char *from, const char *addr, const char *now, FILE *f, struct perr *e)
{
	const struct jgrid *g = &x->xc->g;
	char subject[512], id[128], a[11], b[11];
	long long epoch;
	eml_init();
	GMimeMessage *m = g_mime_message_new(TRUE);
	/* names and addresses in UTF-8: GMime would pick ISO-8859-5 for Cyrillic by itself */
	InternetAddress *ia = internet_address_mailbox_new(x->xc->school && *x->xc->school ? x->xc->school : NULL, from);
	internet_address_set_charset(ia, "utf-8");
	internet_address_list_add(g_mime_message_get_from(m), ia);
	g_object_unref(ia);
	ia = internet_address_mailbox_new(x->guardian_name, addr);
	internet_address_set_charset(ia, "utf-8");
	internet_address_list_add(g_mime_message_get_addresses(m, GMIME_ADDRESS_TYPE_TO), ia);
	g_object_unref(ia);
	snprintf(a, sizeof a, "%.2s.%.2s.%.4s", g->from + 8, g->from + 5, g->from);
	snprintf(b, sizeof b, "%.2s.%.2s.%.4s", g->to + 8, g->to + 5, g->to);
	snprintf(subject, sizeof subject, "Выписка из электронного журнала: %s, %s класс, %s", g->students[x->stu].name,
		 g->cls, g->period ? g->period : a);
	if (!g->period)
		snprintf(subject + strlen(subject), sizeof subject - strlen(subject), " – %s", b);
	g_mime_message_set_subject(m, subject, "utf-8");
	GDateTime *dt = ts_parse_utc(now, &epoch) == 0 ? g_date_time_new_from_unix_utc(epoch) : g_date_time_new_now_utc();
	g_mime_message_set_date(m, dt);
	g_date_time_unref(dt);
	const char *at = strchr(from, '@');
	snprintf(id, sizeof id, "extract.%s@%s", *x->code ? x->code : "draft", at ? at + 1 : "portal.invalid");
	g_mime_message_set_message_id(m, id);
	g_mime_object_set_header(GMIME_OBJECT(m), "Auto-Submitted", "auto-generated", NULL);
	struct sbuf body;
	sbuf_init(&body);
	extract_txt(x, &body);
	GMimeTextPart *part = g_mime_text_part_new_with_subtype("plain");
	g_mime_text_part_set_charset(part, "utf-8");
	g_mime_text_part_set_text(part, body.s);
	g_mime_part_set_content_encoding(GMIME_PART(part), GMIME_CONTENT_ENCODING_BASE64);
	g_mime_message_set_mime_part(m, GMIME_OBJECT(part));
	g_object_unref(part);
	sbuf_free(&body);
	GMimeFormatOptions *fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	char *text = g_mime_object_to_string(GMIME_OBJECT(m), fo);
	g_mime_format_options_free(fo);
	g_object_unref(m);
	int rc = 0;
	if (!text || fputs(text, f) == EOF)
		rc = perr_set(e, EX_IOERR, "cannot write the message");
	g_free(text);
	return rc;
}
