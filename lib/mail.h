/*
 * mail.h: mail leaves through a sendmail-compatible program (the setting
 * mail.sendmail, "/usr/sbin/sendmail -oi -t" by default): the message goes
 * to its standard input, the recipients come from its headers. No shell:
 * the setting's words are the program and its arguments.
 */
#ifndef PORTAL_MAIL_H
#define PORTAL_MAIL_H

#include "err.h"

/* Hands the RFC 5322 message in the file path to the program cmd. 0: accepted. Otherwise e
 * says why and the status is 75 when the program says to try again later (its exit 75), else 69
 * (it refused the message, cannot be run, or was killed). What the program prints goes to
 * standard error, never to standard output. */
int mail_send_file(const char *cmd, const char *path, struct perr *e);

#endif
