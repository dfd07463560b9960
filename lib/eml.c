/*
 * eml.c: messages built with GMime (see eml.h), and an extract as one: a
 * short Russian letter with the acknowledgement code and the cabinet's
 * address, and the extract itself as the same PDF document as on paper. The
 * address comes from the caller, who got it from consent_email_address().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "eml.h"
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

/* names and addresses in UTF-8: GMime would pick ISO-8859-5 for Cyrillic by itself */
static void add_address(InternetAddressList *l, const char *name, const char *addr)
{
	InternetAddress *ia = internet_address_mailbox_new(name && *name ? name : NULL, addr);
	internet_address_set_charset(ia, "utf-8");
	internet_address_list_add(l, ia);
	g_object_unref(ia);
}

/* The parameter name of a parameter list in UTF-8 (RFC 2231), not a charset GMime guesses. */
static void param_utf8(GMimeParamList *l, const char *name)
{
	GMimeParam *p = l ? g_mime_param_list_get_parameter(l, name) : NULL;
	if (p)
		g_mime_param_set_charset(p, "UTF-8");
}

static GMimeObject *attachment(const struct eml_attachment *a)
{
	GMimeContentType *ct = g_mime_content_type_parse(NULL, a->type);
	GMimePart *part = g_mime_part_new_with_type(g_mime_content_type_get_media_type(ct),
						    g_mime_content_type_get_media_subtype(ct));
	g_object_unref(ct);
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(a->data, a->len);
	GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(s, GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(part, w);
	g_object_unref(w);
	g_object_unref(s);
	g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
	g_mime_object_set_disposition(GMIME_OBJECT(part), GMIME_DISPOSITION_ATTACHMENT);
	g_mime_part_set_filename(part, a->filename);	/* Content-Disposition filename and Content-Type name */
	param_utf8(g_mime_content_disposition_get_parameters(g_mime_object_get_content_disposition(GMIME_OBJECT(part))),
		   "filename");
	param_utf8(g_mime_content_type_get_parameters(g_mime_object_get_content_type(GMIME_OBJECT(part))), "name");
	return GMIME_OBJECT(part);
}

int eml_write(const struct eml_message *msg, FILE *f, struct perr *e)
{
	long long epoch;
	eml_init();
	GMimeMessage *m = g_mime_message_new(TRUE);
	add_address(g_mime_message_get_from(m), msg->from_name, msg->from);
	add_address(g_mime_message_get_addresses(m, GMIME_ADDRESS_TYPE_TO), msg->to_name, msg->to);
	g_mime_message_set_subject(m, msg->subject, "utf-8");
	GDateTime *dt = msg->now && ts_parse_utc(msg->now, &epoch) == 0 ? g_date_time_new_from_unix_utc(epoch)
								       : g_date_time_new_now_utc();
	g_mime_message_set_date(m, dt);
	g_date_time_unref(dt);
	g_mime_message_set_message_id(m, msg->message_id);
	g_mime_object_set_header(GMIME_OBJECT(m), "Auto-Submitted", "auto-generated", NULL);
	GMimeTextPart *text = g_mime_text_part_new_with_subtype("plain");
	g_mime_text_part_set_charset(text, "utf-8");
	g_mime_text_part_set_text(text, msg->text);
	g_mime_part_set_content_encoding(GMIME_PART(text), GMIME_CONTENT_ENCODING_BASE64);
	if (!msg->natt) {
		g_mime_message_set_mime_part(m, GMIME_OBJECT(text));
	} else {
		GMimeMultipart *mixed = g_mime_multipart_new_with_subtype("mixed");
		g_mime_multipart_add(mixed, GMIME_OBJECT(text));
		for (size_t i = 0; i < msg->natt; i++) {
			GMimeObject *a = attachment(&msg->att[i]);
			g_mime_multipart_add(mixed, a);
			g_object_unref(a);
		}
		g_mime_message_set_mime_part(m, GMIME_OBJECT(mixed));
		g_object_unref(mixed);
	}
	g_object_unref(text);
	GMimeFormatOptions *fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	g_mime_format_options_set_param_encoding_method(fo, GMIME_PARAM_ENCODING_METHOD_RFC2231);
	char *out = g_mime_object_to_string(GMIME_OBJECT(m), fo);
	g_mime_format_options_free(fo);
	g_object_unref(m);
	int rc = 0;
	if (!out)
		rc = perr_set(e, EX_SOFTWARE, "cannot format the message");
	else if (fputs(out, f) == EOF)
		rc = perr_set(e, EX_IOERR, "cannot write the message: %s", strerror(errno));
	g_free(out);
	return rc;
}

/* The extract as the paper one is printed, into memory: *data (malloc'd) and *len. */
static int extract_pdf_bytes(const struct extract *x, const char *now, char **data, size_t *len, struct perr *e)
{
	FILE *f = open_memstream(data, len);
	if (!f)
		return perr_set(e, EX_OSERR, "cannot make the PDF attachment in memory");
	struct pdf *doc = pdf_new(f, "Выписка из электронного журнала", now);
	int rc = doc ? 0 : perr_set(e, EX_SOFTWARE, "cannot start a PDF document");
	if (doc) {
		extract_pdf(x, doc);
		rc = pdf_close(doc, "the PDF attachment", e);
	}
	if (fclose(f) && !rc)
		rc = perr_set(e, EX_OSERR, "cannot make the PDF attachment in memory");
	return rc;
}

/* "Выписка Иванова Мария 2 четверть.pdf": no character a file system would not take. */
static void pdf_name(const struct extract *x, char *out, size_t n)
{
	const struct jgrid *g = &x->xc->g;
	char dates[32];
	snprintf(dates, sizeof dates, "%s – %s", g->from, x->xc->to);
	snprintf(out, n, "Выписка %s %s.pdf", g->students[x->stu].name, g->period ? g->period : dates);
	for (char *p = out; *p; p++)
		if (*p == '/' || *p == '\\' || *p == '"' || (unsigned char)*p < 0x20)
			*p = '_';
}

int extract_eml(const struct extract *x, const struct extract_mail *how, FILE *f, struct perr *e)
{
	const struct jgrid *g = &x->xc->g;
	char subject[512], id[128], a[11], b[11], fname[400];
	snprintf(a, sizeof a, "%.2s.%.2s.%.4s", g->from + 8, g->from + 5, g->from);
	snprintf(b, sizeof b, "%.2s.%.2s.%.4s", x->xc->to + 8, x->xc->to + 5, x->xc->to);
	snprintf(subject, sizeof subject, "Выписка из электронного журнала: %s, %s класс, %s", g->students[x->stu].name,
		 g->cls, g->period ? g->period : a);
	if (!g->period)
		snprintf(subject + strlen(subject), sizeof subject - strlen(subject), " – %s", b);
	const char *at = strchr(how->from, '@');
	snprintf(id, sizeof id, "extract.%s@%s", *x->code ? x->code : "draft", at ? at + 1 : "portal.invalid");
	char *pdf = NULL;
	size_t len = 0;
	int rc = extract_pdf_bytes(x, how->now, &pdf, &len, e);
	if (rc) {
		free(pdf);
		return rc;
	}
	struct sbuf body;
	sbuf_init(&body);
	extract_letter(x, how->url, &body);
	pdf_name(x, fname, sizeof fname);
	struct eml_attachment att = { "application/pdf", fname, pdf, len };
	struct eml_message m = { .from_name = x->xc->school, .from = how->from, .to_name = x->guardian_name,
				 .to = how->to, .subject = subject, .text = body.s, .now = how->now, .message_id = id,
				 .att = &att, .natt = 1 };
	rc = eml_write(&m, f, e);
	sbuf_free(&body);
	free(pdf);
	return rc;
}
