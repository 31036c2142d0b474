/*
 * fuzz_pe.c - libFuzzer target: arbitrary bytes as a CIB through the
 * unpacker (lib/cib, streaming status reader included) and, when it
 * unpacks, the policy engine (lib/pe) and graph serialisation.
 */
#include <stddef.h>
#include <stdint.h>

#include <libxml/parser.h>

#include "fo/cib.h"
#include "fo/common.h"
#include "fo/graph.h"
#include "fo/pe.h"

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
	struct pe_result *res = NULL;
	struct cib *cib = NULL;
	GPtrArray *diags;

	if (size > 1 << 20)
		return 0;
	xmlSetGenericErrorFunc(NULL, quiet);
	log_init("fuzz", true, -1);
	diags = g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
	if (cib_load_memory((const char *)data, size, "fuzz.xml", diags,
			    &cib) == 0) {
		pe_compute(cib, 1700000000, true, &res);
		if (res && res->graph)
			g_free(graph_to_xml(res->graph));
		pe_result_free(res);
		cib_free(cib);
	}
	g_ptr_array_unref(diags);
	return 0;
}
