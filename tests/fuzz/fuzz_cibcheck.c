/*
 * fuzz_cibcheck.c - libFuzzer target: parse arbitrary bytes as a CIB and
 * run the configuration check (lib/cib/schema) on whatever parses.
 */
#include <stddef.h>
#include <stdint.h>

#include <libxml/parser.h>

#include "fo/schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GPtrArray *diags;
	xmlDocPtr doc;

	xmlSetGenericErrorFunc(NULL, quiet);
	if (size > 1 << 20)
		return 0;
	doc = xmlReadMemory((const char *)data, (int)size, "fuzz.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
	if (doc == NULL)
		return 0;
	diags = g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
	cib_config_check(xmlDocGetRootElement(doc), "fuzz.xml", diags);
	for (guint i = 0; i < diags->len; i++)
		g_free(cib_diag_format(diags->pdata[i]));
	g_ptr_array_unref(diags);
	xmlFreeDoc(doc);
	return 0;
}
