/*
 * config.c - fo-crmd's check of a configuration before it is accepted.
 *
 * In: a candidate CIB (a tool's change applied to a copy, or a file on
 * disk). Out: 0, or the first error as text. The same check runs on every
 * node for every change, so every node accepts or refuses alike.
 */
#include <errno.h>
#include <string.h>

#include "crmd.h"
#include "fo/common.h"
#include "fo/schema.h"

int
crmd_config_validate(xmlDocPtr doc, char **why, void *data)
{
	GPtrArray *diags;
	GString *text;
	int rc;

	(void)data;
	diags = g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
	rc = cib_config_check(xmlDocGetRootElement(doc), NULL, diags);
	if (rc != 0) {
		text = g_string_new(NULL);
		for (guint i = 0; i < diags->len; i++) {
			const struct cib_diag *dg = diags->pdata[i];
			g_autofree char *line = NULL;

			if (!dg->error)
				continue;
			line = cib_diag_format(dg);
			if (text->len)
				g_string_append(text, "\n");
			g_string_append(text, line);
		}
		*why = g_string_free(text, FALSE);
	}
	g_ptr_array_unref(diags);
	return rc;
}
