/*
 * eml.h: RFC 5322 messages (MIME, UTF-8) built with GMime: a text part and
 * any attachments, each with its file name in RFC 2231 form (UTF-8, so a
 * Russian name arrives as written). What a message says is its caller's;
 * sending it is mail.h's.
 */
#ifndef PORTAL_EML_H
#define PORTAL_EML_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

struct eml_attachment {
	const char *type;		/* "application/pdf" */
	const char *filename;		/* UTF-8 */
	const void *data;
	size_t len;
};

struct eml_message {
	const char *from_name, *from;	/* from_name NULL or "": the address alone */
	const char *to_name, *to;
	const char *subject;
	const char *text;		/* the plain text part, UTF-8 */
	const char *now;		/* the Date: YYYY-MM-DDTHH:MM:SSZ (NULL: the clock) */
	const char *message_id;		/* without <> */
	const struct eml_attachment *att;
	size_t natt;
};

/* Writes m to f with CRLF line ends; 74 on a write error. */
int eml_write(const struct eml_message *m, FILE *f, struct perr *e);

#endif
