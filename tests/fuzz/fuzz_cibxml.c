/*
 * fuzz_cibxml.c - libFuzzer target: arbitrary bytes as the content of a
 * <status> element through the status section's tokenizer
 * (lib/cib/cib_xml.c), every event and attribute read back, and the
 * same bytes between a minimal configuration and </status></cib>
 * through cib_load_memory() (the tokenizer feeding the status model).
 * The bytes are also read as a whole document: by the tokenizer's
 * document mode into a light tree (lib/cib/cib_elem.c), and by
 * cib_load_memory() (fo-sim's fast path, and libxml2 when it refuses).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libxml/parser.h>

#include "cib_elem.h"
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

/* The bytes as a whole document, into a light tree. */
static void
tokenize_doc(const uint8_t *data, size_t size)
{
	struct cib_xml x;
	struct cib_etree t;
	enum cib_xml_event ev;
	int depth = 0;

	cib__xml_init_doc(&x, (const char *)data, size);
	cib__etree_init(&t);
	while ((ev = cib__xml_next(&x)) == CIB_XML_START || ev == CIB_XML_END) {
		if (ev == CIB_XML_START) {
			cib__etree_start(&t, x.name, x.line, x.attrs,
					 x.n_attrs);
			depth++;
		} else {
			cib__etree_end(&t);
			depth--;
		}
		if (x.depth < 1 || depth < 0)
			__builtin_trap(); /* every element is in the root */
	}
	if (ev == CIB_XML_DONE && (x.done_at != size || depth != 0 ||
				   t.root == NULL || t.cur != NULL))
		__builtin_trap(); /* DONE: the root was read whole */
	if (ev == CIB_XML_ERROR && x.error == NULL)
		__builtin_trap(); /* an error always says what */
	cib__etree_clear(&t);
	cib__xml_clear(&x);
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
	if (size > 0)
		tokenize_doc(data, size);
	xmlSetGenericErrorFunc(NULL, quiet);
	log_init("fuzz", true, -1);
	diags = g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
	if (cib_load_memory((const char *)data, size, "fuzz.xml", diags,
			    &cib) == 0)
		cib_free(cib);
	g_ptr_array_unref(diags);
	cib = NULL;
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
