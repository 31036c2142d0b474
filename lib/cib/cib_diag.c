/*
 * cib_diag.c - struct cib_diag (fo/schema.h): freeing one, one line for
 * people.
 *
 * Its own object file, apart from schema.c, so that a program that only
 * prints diagnostics (fo-sim reading a CIB) does not pull the RELAX NG
 * check, and with it libxml2, into its link.
 */
#include "fo/schema.h"

void
cib_diag_free(struct cib_diag *d)
{
	if (d == NULL)
		return;
	g_free(d->file);
	g_free(d->element);
	g_free(d->message);
	g_free(d);
}

char *
cib_diag_format(const struct cib_diag *d)
{
	GString *s = g_string_new(NULL);

	if (d == NULL)
		return g_string_free(s, FALSE);
	if (d->file != NULL)
		g_string_append_printf(s, "%s:", d->file);
	if (d->line > 0)
		g_string_append_printf(s, "%d:", d->line);
	if (s->len > 0)
		g_string_append_c(s, ' ');
	g_string_append(s, d->error ? "error: " : "warning: ");
	if (d->element != NULL)
		g_string_append_printf(s, "%s: ", d->element);
	g_string_append(s, d->message != NULL ? d->message : "");
	return g_string_free(s, FALSE);
}
