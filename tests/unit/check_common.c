/*
 * check_common.c - unit tests for lib/common (error text, packed XML
 * children).
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "fo/common.h"
#include "fo/xmlutil.h"

START_TEST(test_strerror_codes)
{
	ck_assert_str_eq(fo_strerror(0), "success");
	ck_assert_str_eq(fo_strerror(-ENOENT), strerror(ENOENT));
	ck_assert_str_eq(fo_strerror(-FO_EDUP), "duplicate id");
	ck_assert_str_eq(fo_strerror(-FO_ECORRUPT),
			 "file is corrupt (digest mismatch)");
	ck_assert_str_eq(fo_strerror(-FO_EMAX), "unknown error");
	ck_assert_str_eq(fo_strerror(12345678), "unknown error");
}
END_TEST

/* A history as the copies hold it: values that need escaping included. */
static const char history[] =
	"<cib><status><node_state id=\"1\"><lrm_resource id=\"r&amp;1\" "
	"type=\"Dummy\"><lrm_rsc_op id=\"a\" exit-reason=\"x &lt; y &amp; "
	"&quot;z&quot;&#10;\" call-id=\"3\"/><lrm_rsc_op id=\"b\" "
	"call-id=\"4\" note=\"caf&#xE9; &gt; 'q'\"/></lrm_resource>"
	"<lrm_resource id=\"r2\"/></node_state></status></cib>";

static char *
dump(xmlDocPtr doc)
{
	xmlChar *text = NULL;
	int len = 0;
	char *copy;

	xmlDocDumpMemory(doc, &text, &len);
	copy = g_strndup((const char *)text, (gsize)len);
	xmlFree(text);
	return copy;
}

static xmlNodePtr
first_rsc(xmlDocPtr doc)
{
	return xmlDocGetRootElement(doc)->children->children->children;
}

START_TEST(test_pack_dump_unchanged)
{
	xmlDocPtr doc = xmlReadMemory(history, sizeof(history) - 1, "h", NULL,
				      XML_PARSE_NOBLANKS);
	g_autofree char *before = dump(doc), *after = NULL, *copied = NULL;
	xmlNodePtr r1 = first_rsc(doc);
	xmlDocPtr copy;

	ck_assert_int_eq(fo_xml_pack(r1), 0);
	ck_assert_int_eq(fo_xml_pack(r1->next), 0);
	ck_assert(fo_xml_packed(r1));
	ck_assert(!fo_xml_packed(r1->next)); /* no children: nothing */
	ck_assert_ptr_eq(r1->children, r1->last);
	after = dump(doc);
	ck_assert_str_eq(after, before);
	/* a copy of the document stays packed and dumps the same */
	copy = xmlCopyDoc(doc, 1);
	ck_assert(fo_xml_packed(first_rsc(copy)));
	copied = dump(copy);
	ck_assert_str_eq(copied, before);
	/* packing twice is packing once */
	ck_assert_int_eq(fo_xml_pack(r1), 0);
	ck_assert(fo_xml_packed(r1));
	xmlFreeDoc(copy);
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_unpack_round_trip)
{
	xmlDocPtr doc = xmlReadMemory(history, sizeof(history) - 1, "h", NULL,
				      XML_PARSE_NOBLANKS);
	g_autofree char *before = dump(doc), *after = NULL;
	xmlNodePtr r1 = first_rsc(doc), op;

	ck_assert_int_eq(fo_xml_pack(r1), 0);
	ck_assert_int_eq(fo_xml_unpack(r1), 0);
	ck_assert(!fo_xml_packed(r1));
	op = r1->children;
	ck_assert_str_eq((const char *)op->name, "lrm_rsc_op");
	ck_assert_str_eq(fo_xml_prop(op, "exit-reason"), "x < y & \"z\"\n");
	ck_assert_ptr_eq(op->doc, doc);
	ck_assert_str_eq(fo_xml_prop(op->next, "note"), "caf\xc3\xa9 > 'q'");
	ck_assert_ptr_null(op->next->next);
	after = dump(doc);
	ck_assert_str_eq(after, before);
	/* an element outside any document */
	op = xmlNewNode(NULL, XC("lrm_resource"));
	xmlAddChild(op, xmlCopyNode(r1->children, 1));
	ck_assert_int_eq(fo_xml_pack(op), 0);
	ck_assert(fo_xml_packed(op));
	ck_assert_int_eq(fo_xml_unpack(op), 0);
	ck_assert_str_eq(fo_xml_prop(op->children, "id"), "a");
	xmlFreeNode(op);
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_unpack_bad_text)
{
	xmlNodePtr el = xmlNewNode(NULL, XC("lrm_resource"));
	static const char bad[] = "<lrm_rsc_op id=\"a\">";

	xmlAddChild(el, fo_xml_verbatim(NULL, bad, sizeof(bad) - 1));
	ck_assert_int_eq(fo_xml_unpack(el), -EINVAL);
	ck_assert(fo_xml_packed(el)); /* unchanged */
	xmlFreeNode(el);
}
END_TEST

static Suite *
common_suite(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("strerror");

	tcase_add_test(tc, test_strerror_codes);
	suite_add_tcase(s, tc);
	tc = tcase_create("xmlpack");
	tcase_add_test(tc, test_pack_dump_unchanged);
	tcase_add_test(tc, test_unpack_round_trip);
	tcase_add_test(tc, test_unpack_bad_text);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(common_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
