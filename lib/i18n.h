/*
 * i18n.h: messages for people in the user's language (gettext, domain "portal").
 * The few printers every message passes (perr_set, the frame's cmd_warn/cmd_note/
 * cmd_error, import_error, the progress line, the usage text) translate the format
 * they are given, so a call site writes its English format as it always did; the
 * Makefile's XGETTEXT_KEYWORDS tells xgettext which argument of each is a message.
 * A string kept in a table for later is marked N_() and translated where it is shown.
 * CSV, verbs, options and what goes into the store are never translated.
 */
#ifndef PORTAL_I18N_H
#define PORTAL_I18N_H

#include <libintl.h>

#define I18N_DOMAIN "portal"

/* A message in the user's language. */
#define _(s) gettext(s)
/* A message to be translated later, where it is shown: marks it for xgettext only. */
#define N_(s) (s)

#endif
