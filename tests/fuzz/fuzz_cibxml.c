/*
 * fuzz_cibxml.c - libFuzzer target: arbitrary bytes as the content of a
 * <status> element through the status section's tokenizer
 * (lib/cib/cib_xml.c), every event and attribute read back, and the
 * same bytes between a minimal configuration and </status></cib>
 * through cib_load_memory() (the tokenizer feeding the status model).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libxml/parser.h>

#include "cib_xml.h"
#include "fo/cib.h"
#include "fo/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEAD                                                                   \
	"<cib><configuration><crm_config/><nodes><node id='1' "                \
	"uname='n1'/></nodes><resources><primitive id='r' class='ocf' "        \
	"provider='heartbeat' type='Dummy'/></resources><constraints/>"        \
	"</configuration><status>"
#define TAIL "</status></cib>"

static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void
tokenize(const uint8_t *data, size_t size)
{
	struct cib_xml x;
	enum cib_xml_event ev;
	size_t sum = 0;

	cib__xml_init(&x, (const char *)data, size, 0, 1, "status");
	while ((ev = cib__xml_next(&x)) == CIB_XML_START || ev == CIB_XML_END) {
		int i;

		sum += strlen(x.name) + (size_t)x.line + (size_t)x.depth;
		for (i = 0; ev == CIB_XML_START && i < x.n_attrs; i++) {
			void **slot = cib__xml_slot(&x, x.attrs[i].value,
						    x.attrs[i].len);

			sum += strlen(x.attrs[i].name) + x.attrs[i].len;
			if (*slot == NULL)
				*slot = &x;
		}
	}
	if (ev == CIB_XML_DONE && x.done_at >= size)
		__builtin_trap(); /* DONE points at its own end tag */
	if (ev == CIB_XML_ERROR && (x.error == NULL || x.name == NULL))
		__builtin_trap(); /* an error always says what and where */
	cib__xml_clear(&x);
	(void)sum;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GPtrArray *diags;
	struct cib *cib = NULL;
	char *doc;
	size_t len;

	if (size > 1 << 20)
		return 0;
	tokenize(data, size);
	xmlSetGenericErrorFunc(NULL, quiet);
	log_init("fuzz", true, -1);
	len = strlen(HEAD) + size + strlen(TAIL);
	doc = g_malloc(len);
	memcpy(doc, HEAD, strlen(HEAD));
	memcpy(doc + strlen(HEAD), data, size);
	memcpy(doc + strlen(HEAD) + size, TAIL, strlen(TAIL));
	diags = g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
	if (cib_load_memory(doc, len, "fuzz.xml", diags, &cib) == 0)
		cib_free(cib);
	g_ptr_array_unref(diags);
	g_free(doc);
	return 0;
}
