/*
 * check_res_status.c - unit tests of fo-res's views (cli/res_status.c):
 * status as text, XML and JSON, locate and failcount, on one small
 * hand-written CIB.
 *
 * The CIB: nodes n1 (online), n2 (online, standby), n3 (cleanly down);
 * ip started on n1; group g (a started, b started then its 10 s monitor
 * failed with rc 1 and exit reason "boom" on n1); clone c of d running on
 * n1 and n2 (clone-max defaults to 3 nodes); off stopped by target-role.
 * Fail counts: b#monitor_10000=2 on n1 (last failure 1700000000), the
 * legacy fail-count-d=1 on n2. The expected outputs below are derived by
 * hand from crm_mon's layout (1700000000 is Tue Nov 14 22:13:20 2023
 * UTC; `date -u -d @1700000000`), not taken from fo's output.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "fo/common.h"
#include "fo/xmlutil.h"
#include "res_status.h"

#define NOW 1700000100

static const char fixture[] =
	"<crmd-status nodeid=\"1\" dc=\"1\" quorate=\"true\" synced=\"true\" "
	"ring=\"1.8\" transition=\"7\" idle=\"true\">"
	"<cib admin_epoch=\"0\" epoch=\"5\" num_updates=\"3\" "
	"validate-with=\"pacemaker-3.9\"><configuration><crm_config>"
	"<cluster_property_set id=\"o\"><nvpair id=\"o1\" "
	"name=\"stonith-enabled\" value=\"false\"/></cluster_property_set>"
	"</crm_config>"
	"<nodes><node id=\"1\" uname=\"n1\"/>"
	"<node id=\"2\" uname=\"n2\"><instance_attributes id=\"n2-a\">"
	"<nvpair id=\"n2-s\" name=\"standby\" value=\"on\"/>"
	"</instance_attributes></node><node id=\"3\" uname=\"n3\"/></nodes>"
	"<resources>"
	"<primitive id=\"ip\" class=\"ocf\" provider=\"heartbeat\" "
	"type=\"IPaddr2\"/>"
	"<group id=\"g\"><primitive id=\"a\" class=\"ocf\" "
	"provider=\"pacemaker\" type=\"Dummy\"/><primitive id=\"b\" "
	"class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"><operations>"
	"<op id=\"b-mon\" name=\"monitor\" interval=\"10s\"/></operations>"
	"</primitive></group>"
	"<clone id=\"c\"><primitive id=\"d\" class=\"ocf\" "
	"provider=\"pacemaker\" type=\"Dummy\"/></clone>"
	"<primitive id=\"off\" class=\"ocf\" provider=\"pacemaker\" "
	"type=\"Dummy\"><meta_attributes id=\"off-m\"><nvpair id=\"off-t\" "
	"name=\"target-role\" value=\"Stopped\"/></meta_attributes>"
	"</primitive>"
	"</resources><constraints/></configuration><status>"
	"<node_state id=\"1\" uname=\"n1\" in_ccm=\"true\" crmd=\"online\" "
	"join=\"member\" expected=\"member\"><transient_attributes id=\"1\">"
	"<instance_attributes id=\"status-1\">"
	"<nvpair id=\"t1\" name=\"fail-count-b#monitor_10000\" value=\"2\"/>"
	"<nvpair id=\"t2\" name=\"last-failure-b#monitor_10000\" "
	"value=\"1700000000\"/></instance_attributes></transient_attributes>"
	"<lrm id=\"1\"><lrm_resources>"
	"<lrm_resource id=\"ip\" class=\"ocf\" provider=\"heartbeat\" "
	"type=\"IPaddr2\">"
	"<lrm_rsc_op id=\"ip_start_0\" operation=\"start\" interval=\"0\" "
	"call-id=\"2\" rc-code=\"0\" op-status=\"0\" "
	"transition-key=\"1:3:0:x\" last-rc-change=\"1699990000\"/>"
	"</lrm_resource>"
	"<lrm_resource id=\"a\" class=\"ocf\" provider=\"pacemaker\" "
	"type=\"Dummy\">"
	"<lrm_rsc_op id=\"a_start_0\" operation=\"start\" interval=\"0\" "
	"call-id=\"3\" rc-code=\"0\" op-status=\"0\" "
	"transition-key=\"2:3:0:x\" last-rc-change=\"1699990000\"/>"
	"</lrm_resource>"
	"<lrm_resource id=\"b\" class=\"ocf\" provider=\"pacemaker\" "
	"type=\"Dummy\">"
	"<lrm_rsc_op id=\"b_start_0\" operation=\"start\" interval=\"0\" "
	"call-id=\"4\" rc-code=\"0\" op-status=\"0\" "
	"transition-key=\"3:3:0:x\" last-rc-change=\"1699990000\"/>"
	"<lrm_rsc_op id=\"b_monitor_10000\" operation=\"monitor\" "
	"interval=\"10000\" call-id=\"5\" rc-code=\"1\" op-status=\"0\" "
	"transition-key=\"4:3:0:x\" last-rc-change=\"1700000000\" "
	"exec-time=\"12\" exit-reason=\"boom\"/></lrm_resource>"
	"<lrm_resource id=\"d\" class=\"ocf\" provider=\"pacemaker\" "
	"type=\"Dummy\">"
	"<lrm_rsc_op id=\"d_start_0\" operation=\"start\" interval=\"0\" "
	"call-id=\"6\" rc-code=\"0\" op-status=\"0\" "
	"transition-key=\"5:3:0:x\" last-rc-change=\"1699990000\"/>"
	"</lrm_resource></lrm_resources></lrm></node_state>"
	"<node_state id=\"2\" uname=\"n2\" in_ccm=\"true\" crmd=\"online\" "
	"join=\"member\" expected=\"member\"><transient_attributes id=\"2\">"
	"<instance_attributes id=\"status-2\">"
	"<nvpair id=\"t3\" name=\"fail-count-d\" value=\"1\"/>"
	"</instance_attributes></transient_attributes>"
	"<lrm id=\"2\"><lrm_resources>"
	"<lrm_resource id=\"d\" class=\"ocf\" provider=\"pacemaker\" "
	"type=\"Dummy\">"
	"<lrm_rsc_op id=\"d_start_0\" operation=\"start\" interval=\"0\" "
	"call-id=\"2\" rc-code=\"0\" op-status=\"0\" "
	"transition-key=\"6:3:0:x\" last-rc-change=\"1699990000\"/>"
	"</lrm_resource></lrm_resources></lrm></node_state>"
	"<node_state id=\"3\" uname=\"n3\" in_ccm=\"false\" crmd=\"offline\" "
	"join=\"down\" expected=\"down\"/>"
	"</status></cib></crmd-status>";

static const char want_text[] =
	"Cluster Summary:\n"
	"  * Current DC: n1 (1) - partition with quorum\n"
	"  * Transition: 7 (idle)\n"
	"  * CIB version: 0.5.3\n"
	"  * 3 nodes configured\n"
	"  * 7 resource instances configured (1 DISABLED)\n"
	"\n"
	"Node List:\n"
	"  * Node n2: standby (with active resources)\n"
	"  * Online: [ n1 ]\n"
	"  * OFFLINE: [ n3 ]\n"
	"\n"
	"Full List of Resources:\n"
	"  * ip\t(ocf:heartbeat:IPaddr2):\t Started n1\n"
	"  * Resource Group: g:\n"
	"    * a\t(ocf:pacemaker:Dummy):\t Started n1\n"
	"    * b\t(ocf:pacemaker:Dummy):\t FAILED n1\n"
	"  * Clone Set: c [d]:\n"
	"    * Started: [ n1 n2 ]\n"
	"    * Stopped: [ n3 ]\n"
	"  * off\t(ocf:pacemaker:Dummy):\t Stopped (disabled)\n"
	"\n"
	"Migration Summary:\n"
	"  * Node: n1:\n"
	"    * b: migration-threshold=1000000 fail-count=2 "
	"last-failure='Tue Nov 14 22:13:20 2023'\n"
	"  * Node: n2:\n"
	"    * d: migration-threshold=1000000 fail-count=1\n"
	"\n"
	"Failed Resource Actions:\n"
	"  * b 10s-interval monitor on n1 returned 'error' (boom) at "
	"Tue Nov 14 22:13:20 2023 after 12ms\n";

static xmlDocPtr doc;
static struct cib *cib;
static struct rs_info info;

static void
load(const char *text)
{
	xmlNodePtr cibel = NULL;
	g_autofree char *err = NULL;

	doc = xmlReadMemory(text, (int)strlen(text), "fixture", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	ck_assert_ptr_nonnull(doc);
	ck_assert_int_eq(
		rs_info_read(xmlDocGetRootElement(doc), NULL, &info, &cibel),
		0);
	ck_assert_int_eq(rs_cib_load(cibel, "fixture", &cib, &err), 0);
}

static void
setup(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	load(fixture);
}

static void
teardown(void)
{
	cib_free(cib);
	rs_info_clear(&info);
	xmlFreeDoc(doc);
	cib = NULL;
	doc = NULL;
}

/* Reload with the fixture's first @find replaced by @repl. */
static void
load_edited(const char *find, const char *repl)
{
	const char *p = strstr(fixture, find);
	g_autofree char *head = NULL, *text = NULL;

	ck_assert_ptr_nonnull(p);
	teardown();
	head = g_strndup(fixture, (gsize)(p - fixture));
	text = g_strdup_printf("%s%s%s", head, repl, p + strlen(find));
	load(text);
}

/* The value of an XPath expression on @out's document, as a string. */
static char *
xpath(const char *out, const char *expr)
{
	xmlDocPtr d = xmlReadMemory(out, (int)strlen(out), "out", NULL,
				    XML_PARSE_NONET);
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	char *v;

	ck_assert_msg(d != NULL, "not XML: %s", out);
	ctx = xmlXPathNewContext(d);
	o = xmlXPathEvalExpression(XC(expr), ctx);
	ck_assert_ptr_nonnull(o);
	v = (char *)xmlXPathCastToString(o);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(d);
	return v;
}

#define ASSERT_XPATH(out, expr, want)                                          \
	do {                                                                   \
		char *v_ = xpath(out, expr);                                   \
		ck_assert_msg(strcmp(v_, want) == 0, "%s: '%s', want '%s'",    \
			      expr, v_, want);                                 \
		xmlFree(v_);                                                   \
	} while (0)

/* python3 -m json.tool accepts @json. */
static bool
json_valid(const char *json)
{
	char path[] = "/tmp/check_res_status.XXXXXX";
	int fd = mkstemp(path), status = -1;
	g_autofree char *cmd = NULL;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, json, strlen(json)), (ssize_t)strlen(json));
	close(fd);
	cmd = g_strdup_printf("python3 -m json.tool %s >/dev/null", path);
	status = system(cmd);
	unlink(path);
	return status == 0;
}

START_TEST(test_text)
{
	GString *out = g_string_new(NULL);

	rs_status(cib, &info, NOW, CLI_FMT_TEXT, out);
	ck_assert_str_eq(out->str, want_text);
	g_string_free(out, TRUE);
}
END_TEST

START_TEST(test_xml)
{
	GString *out = g_string_new(NULL);

	rs_status(cib, &info, NOW, CLI_FMT_XML, out);
	ASSERT_XPATH(out->str, "string(/fo-status/summary/@dc)", "n1");
	ASSERT_XPATH(out->str, "string(/fo-status/summary/@quorum)", "true");
	ASSERT_XPATH(out->str, "string(/fo-status/summary/@transition)", "7");
	ASSERT_XPATH(out->str, "string(/fo-status/summary/@idle)", "true");
	ASSERT_XPATH(out->str, "string(/fo-status/summary/@cib-version)",
		     "0.5.3");
	ASSERT_XPATH(out->str,
		     "string(/fo-status/summary/@resources-configured)", "7");
	ASSERT_XPATH(out->str, "count(/fo-status/nodes/node)", "3");
	ASSERT_XPATH(out->str,
		     "string(/fo-status/nodes/node[@name='n2']/@standby)",
		     "true");
	ASSERT_XPATH(out->str,
		     "string(/fo-status/nodes/node[@name='n3']/@online)",
		     "false");
	ASSERT_XPATH(out->str,
		     "string(/fo-status/nodes/node[@name='n1']/@is-dc)",
		     "true");
	ASSERT_XPATH(out->str,
		     "string(/fo-status/nodes/node[@name='n1']"
		     "/@resources-running)",
		     "4");
	ASSERT_XPATH(out->str,
		     "string(/fo-status/resources/resource[@id='ip']"
		     "/node/@name)",
		     "n1");
	ASSERT_XPATH(out->str,
		     "string(/fo-status/resources/group[@id='g']"
		     "/resource[@id='b']/@failed)",
		     "true");
	ASSERT_XPATH(out->str,
		     "string(/fo-status/resources/group[@id='g']"
		     "/resource[@id='a']/@role)",
		     "Started");
	/* three instances, two running, one stopped */
	ASSERT_XPATH(out->str,
		     "count(/fo-status/resources/clone[@id='c']/resource)",
		     "3");
	ASSERT_XPATH(out->str,
		     "count(/fo-status/resources/clone/resource[@role="
		     "'Started'])",
		     "2");
	ASSERT_XPATH(out->str,
		     "string(/fo-status/resources/resource[@id='off']"
		     "/@disabled)",
		     "true");
	ASSERT_XPATH(out->str, "count(/fo-status/failures/failure)", "1");
	ASSERT_XPATH(out->str, "string(/fo-status/failures/failure/@node)",
		     "n1");
	ASSERT_XPATH(out->str,
		     "string(/fo-status/failures/failure/@exit-reason)",
		     "boom");
	ASSERT_XPATH(out->str,
		     "string(/fo-status/failures/failure/@last-rc-change)",
		     "2023-11-14T22:13:20Z");
	ASSERT_XPATH(out->str,
		     "string(/fo-status/failures/failure/@interval-ms)",
		     "10000");
	ASSERT_XPATH(out->str, "string(/fo-status/failures/failure/@status)",
		     "complete");
	ASSERT_XPATH(out->str, "count(/fo-status/fail-counts/fail-count)", "2");
	ASSERT_XPATH(out->str,
		     "string(/fo-status/fail-counts/fail-count"
		     "[@resource='b']/@count)",
		     "2");
	ASSERT_XPATH(out->str,
		     "string(/fo-status/fail-counts/fail-count"
		     "[@resource='d']/@node)",
		     "n2");
	g_string_free(out, TRUE);
}
END_TEST

START_TEST(test_json)
{
	GString *out = g_string_new(NULL);

	rs_status(cib, &info, NOW, CLI_FMT_JSON, out);
	ck_assert_msg(json_valid(out->str), "invalid JSON: %s", out->str);
	ck_assert_ptr_nonnull(strstr(out->str, "\"summary\":{\"source\":"
					       "\"fo-crmd\",\"local_node_id\":"
					       "\"1\",\"dc\":\"n1\","));
	ck_assert_ptr_nonnull(strstr(out->str, "\"quorum\":true"));
	ck_assert_ptr_nonnull(
		strstr(out->str, "{\"type\":\"group\",\"id\":\"g\""));
	ck_assert_ptr_nonnull(strstr(out->str, "\"nodes\":[\"n1\"]"));
	ck_assert_ptr_nonnull(strstr(out->str, "\"exit_reason\":\"boom\""));
	ck_assert_ptr_nonnull(strstr(out->str, "\"count\":2"));
	g_string_free(out, TRUE);
}
END_TEST

/* Quotes, backslashes and control characters in an exit reason. */
START_TEST(test_json_escaping)
{
	GString *out = g_string_new(NULL);

	load_edited("exit-reason=\"boom\"",
		    "exit-reason=\"a&quot;b\\c&#10;d&#9;e\"");
	rs_status(cib, &info, NOW, CLI_FMT_JSON, out);
	ck_assert_msg(json_valid(out->str), "invalid JSON: %s", out->str);
	ck_assert_ptr_nonnull(
		strstr(out->str, "\"exit_reason\":\"a\\\"b\\\\c\\nd\\te\""));
	g_string_free(out, TRUE);
}
END_TEST

START_TEST(test_file_info)
{
	static const char bare[] =
		"<cib admin_epoch=\"1\" epoch=\"2\" num_updates=\"3\" "
		"dc-uuid=\"2\" have-quorum=\"0\" cib-last-written=\"Mon Jul 15 "
		"09:53:36 2013\"><configuration><crm_config/><nodes>"
		"<node id=\"2\" uname=\"x\"/></nodes><resources/><constraints/>"
		"</configuration><status/></cib>";
	GString *out = g_string_new(NULL);

	teardown();
	doc = xmlReadMemory(bare, (int)strlen(bare), "bare", NULL, 0);
	{
		xmlNodePtr el = NULL;
		g_autofree char *err = NULL;

		ck_assert_int_eq(rs_info_read(xmlDocGetRootElement(doc),
					      "f.xml", &info, &el),
				 0);
		ck_assert_int_eq(rs_cib_load(el, "f.xml", &cib, &err), 0);
	}
	ck_assert_str_eq(info.dc, "2");
	ck_assert_int_eq(info.quorate, 0);
	ck_assert_int_eq(info.synced, -1);
	rs_status(cib, &info, NOW, CLI_FMT_TEXT, out);
	ck_assert_ptr_nonnull(strstr(out->str, "  * Read from: f.xml\n"
					       "  * Current DC: x (2) - "
					       "partition WITHOUT quorum\n"
					       "  * CIB version: 1.2.3, last "
					       "change: Mon Jul 15 09:53:36 "
					       "2013\n"));
	ck_assert_ptr_nonnull(strstr(out->str, "  * No resources\n"));
	g_string_free(out, TRUE);
}
END_TEST

START_TEST(test_info_errors)
{
	static const char noc[] = "<crmd-status dc=\"1\"/>";
	static const char nodc[] = "<crmd-status dc=\"0\" quorate=\"false\">"
				   "<cib epoch=\"4\"/></crmd-status>";
	xmlDocPtr d = xmlReadMemory(noc, (int)strlen(noc), "x", NULL, 0);
	struct rs_info i;
	xmlNodePtr el;

	ck_assert_int_eq(rs_info_read(xmlDocGetRootElement(d), NULL, &i, &el),
			 -FO_ESYNTAX);
	ck_assert_ptr_null(el);
	rs_info_clear(&i);
	xmlFreeDoc(d);
	ck_assert_int_eq(rs_info_read(NULL, NULL, &i, &el), -FO_ESYNTAX);
	rs_info_clear(&i);
	/* the daemon says dc="0" while it has no DC */
	d = xmlReadMemory(nodc, (int)strlen(nodc), "x", NULL, 0);
	ck_assert_int_eq(rs_info_read(xmlDocGetRootElement(d), NULL, &i, &el),
			 0);
	ck_assert_ptr_null(i.dc);
	ck_assert_int_eq(i.quorate, 0);
	ck_assert_str_eq(i.cib_version, "0.4.0");
	rs_info_clear(&i);
	xmlFreeDoc(d);
}
END_TEST

START_TEST(test_locate)
{
	static const struct {
		const char *rsc;
		enum cli_format fmt;
		const char *want;
	} cases[] = {
		{"ip", CLI_FMT_TEXT, "resource ip is running on: n1\n"},
		/* a clone, by its id and by its primitive's */
		{"c", CLI_FMT_TEXT,
		 "resource c is running on: n1\nresource c is running on: "
		 "n2\n"},
		{"d", CLI_FMT_TEXT,
		 "resource d is running on: n1\nresource d is running on: "
		 "n2\n"},
		{"g", CLI_FMT_TEXT, "resource g is running on: n1\n"},
		{"off", CLI_FMT_TEXT, "resource off is NOT running\n"},
		{"c", CLI_FMT_JSON,
		 "{\"resource\":\"c\",\"running\":true,"
		 "\"nodes\":[\"n1\",\"n2\"]}\n"},
	};
	GString *out = g_string_new(NULL);
	g_autofree char *why = NULL;

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_string_truncate(out, 0);
		ck_assert_int_eq(rs_locate(cib, cases[i].rsc, NOW, cases[i].fmt,
					   out, &why),
				 CLI_OK);
		ck_assert_str_eq(out->str, cases[i].want);
	}
	g_string_truncate(out, 0);
	ck_assert_int_eq(rs_locate(cib, "off", NOW, CLI_FMT_XML, out, &why),
			 CLI_OK);
	ASSERT_XPATH(out->str, "string(/locate/@running)", "false");
	ASSERT_XPATH(out->str, "count(/locate/node)", "0");
	g_string_truncate(out, 0);
	ck_assert_int_eq(rs_locate(cib, "nope", NOW, CLI_FMT_TEXT, out, &why),
			 CLI_ERROR);
	ck_assert_ptr_nonnull(strstr(why, "'nope'"));
	ck_assert_str_eq(out->str, "");
	g_string_free(out, TRUE);
}
END_TEST

START_TEST(test_failcount)
{
	GString *out = g_string_new(NULL);
	g_autofree char *why = NULL, *why2 = NULL;

	ck_assert_int_eq(rs_failcount(cib, "b", NULL, CLI_FMT_TEXT, out, &why),
			 CLI_OK);
	ck_assert_str_eq(out->str,
			 "b on n1: fail-count=2 (migration-threshold=1000000)"
			 " last-failure='Tue Nov 14 22:13:20 2023'\n"
			 "b on n2: fail-count=0 (migration-threshold="
			 "1000000)\n"
			 "b on n3: fail-count=0 (migration-threshold="
			 "1000000)\n");
	g_string_truncate(out, 0);
	/* a clone by the clone's id, on one node; the legacy attribute */
	ck_assert_int_eq(rs_failcount(cib, "c", "n2", CLI_FMT_TEXT, out, &why),
			 CLI_OK);
	ck_assert_str_eq(out->str, "d on n2: fail-count=1 (migration-"
				   "threshold=1000000)\n");
	g_string_truncate(out, 0);
	/* a group: each member */
	ck_assert_int_eq(rs_failcount(cib, "g", "n1", CLI_FMT_TEXT, out, &why),
			 CLI_OK);
	ck_assert_str_eq(out->str,
			 "a on n1: fail-count=0 (migration-threshold=1000000)"
			 "\nb on n1: fail-count=2 (migration-threshold="
			 "1000000) last-failure='Tue Nov 14 22:13:20 2023'\n");
	g_string_truncate(out, 0);
	ck_assert_int_eq(rs_failcount(cib, "b", "n1", CLI_FMT_XML, out, &why),
			 CLI_OK);
	ASSERT_XPATH(out->str,
		     "string(/failcounts/fail-counts/fail-count/@count)", "2");
	ASSERT_XPATH(out->str,
		     "string(/failcounts/fail-counts/fail-count/@last-failure)",
		     "2023-11-14T22:13:20Z");
	g_string_truncate(out, 0);
	ck_assert_int_eq(rs_failcount(cib, "b", NULL, CLI_FMT_JSON, out, &why),
			 CLI_OK);
	ck_assert_msg(json_valid(out->str), "invalid JSON: %s", out->str);
	g_string_truncate(out, 0);
	ck_assert_int_eq(rs_failcount(cib, "b", "n9", CLI_FMT_TEXT, out, &why),
			 CLI_ERROR);
	ck_assert_ptr_nonnull(strstr(why, "'n9'"));
	ck_assert_int_eq(
		rs_failcount(cib, "zz", NULL, CLI_FMT_TEXT, out, &why2),
		CLI_ERROR);
	ck_assert_ptr_nonnull(strstr(why2, "'zz'"));
	g_string_free(out, TRUE);
}
END_TEST

/* A failure older than failure-timeout is neither failed nor listed;
 * its fail count stays (crm_mon shows it too). */
START_TEST(test_failure_timeout)
{
	GString *out = g_string_new(NULL);

	load_edited("<operations>",
		    "<meta_attributes id=\"b-m\"><nvpair id=\"b-ft\" "
		    "name=\"failure-timeout\" value=\"60\"/>"
		    "</meta_attributes><operations>");
	rs_status(cib, &info, 1700000000 + 61, CLI_FMT_TEXT, out);
	ck_assert_ptr_nonnull(strstr(
		out->str, "    * b\t(ocf:pacemaker:Dummy):\t Started n1\n"));
	ck_assert_ptr_null(strstr(out->str, "Failed Resource Actions"));
	ck_assert_ptr_nonnull(strstr(out->str, "fail-count=2"));
	g_string_truncate(out, 0);
	/* a second earlier it still counts */
	rs_status(cib, &info, 1700000000 + 59, CLI_FMT_TEXT, out);
	ck_assert_ptr_nonnull(strstr(out->str, "Failed Resource Actions"));
	g_string_free(out, TRUE);
}
END_TEST

static Suite *
res_status_suite(void)
{
	Suite *s = suite_create("res_status");
	TCase *t = tcase_create("views");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, test_text);
	tcase_add_test(t, test_xml);
	tcase_add_test(t, test_json);
	tcase_add_test(t, test_json_escaping);
	tcase_add_test(t, test_file_info);
	tcase_add_test(t, test_info_errors);
	tcase_add_test(t, test_locate);
	tcase_add_test(t, test_failcount);
	tcase_add_test(t, test_failure_timeout);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(res_status_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
