/*
 * check_cli.c - unit tests for the pure parts of the tools (cli/cli_args.c,
 * cli/res_edit.c, cli/node_edit.c): durations, name=value words, and the
 * <change> each fo-res and fo-node command builds from a CIB.
 *
 * The expected <change> texts are written by hand from the shapes that
 * crm_resource (cli-prefer-RSC, cli-ban-RSC-on-NODE, role="Started",
 * target-role) and crm_attribute (nodes-ID, nodes-ID-NAME) write, and
 * from docs/cib-replication.md for the operations.
 */
#include <check.h>
#include <string.h>

#include <libxml/parser.h>

#include "cli.h"
#include "fo/common.h"
#include "fo/xmlutil.h"

static const char fixture[] =
	"<cib><configuration><crm_config/>"
	"<nodes><node id=\"1\" uname=\"n1\"/>"
	"<node id=\"2\" uname=\"n2\"><instance_attributes id=\"nodes-2\">"
	"<nvpair id=\"nodes-2-standby\" name=\"standby\" value=\"on\"/>"
	"</instance_attributes></node>"
	"<node id=\"3\" uname=\"n3\"/></nodes>"
	"<resources>"
	"<primitive id=\"db\" class=\"ocf\" provider=\"pacemaker\" "
	"type=\"Dummy\"/>"
	"<group id=\"web\"><primitive id=\"web-ip\" class=\"ocf\" "
	"provider=\"pacemaker\" type=\"Dummy\"/>"
	"<primitive id=\"web-srv\" class=\"ocf\" provider=\"pacemaker\" "
	"type=\"Dummy\"><meta_attributes id=\"web-srv-meta_attributes\">"
	"<nvpair id=\"web-srv-meta_attributes-target-role\" "
	"name=\"target-role\" value=\"Started\"/></meta_attributes>"
	"</primitive></group>"
	"<group id=\"app\"><meta_attributes id=\"app-meta\">"
	"<nvpair id=\"app-meta-tr\" name=\"target-role\" value=\"Stopped\"/>"
	"</meta_attributes><primitive id=\"app-a\" class=\"lsb\" "
	"type=\"cron\"/></group>"
	"<clone id=\"ping-clone\"><primitive id=\"ping\" class=\"ocf\" "
	"provider=\"pacemaker\" type=\"Dummy\"/></clone>"
	"</resources><constraints>"
	"<rsc_location id=\"db-likes-n1\" rsc=\"db\" node=\"n1\" "
	"score=\"50\"/>"
	"<rsc_location id=\"cli-prefer-db\" rsc=\"db\" role=\"Started\" "
	"node=\"n3\" score=\"INFINITY\"/>"
	"<rsc_location id=\"cli-ban-db-on-n1\" rsc=\"db\" role=\"Started\" "
	"node=\"n1\" score=\"-INFINITY\"/>"
	"<rsc_order id=\"web-after-db\" first=\"db\" then=\"web\"/>"
	"<rsc_colocation id=\"srv-with-db\" rsc=\"web-srv\" with-rsc=\"db\" "
	"score=\"INFINITY\"/>"
	"</constraints></configuration>"
	"<status>"
	"<node_state id=\"1\" uname=\"n1\" in_ccm=\"true\" crmd=\"online\">"
	"<lrm id=\"1\"><lrm_resources><lrm_resource id=\"db\">"
	"<lrm_rsc_op id=\"db_start_0\" operation=\"start\" call-id=\"3\" "
	"rc-code=\"0\"/>"
	"<lrm_rsc_op id=\"db_stop_0\" operation=\"stop\" call-id=\"9\" "
	"rc-code=\"0\"/></lrm_resource></lrm_resources></lrm></node_state>"
	"<node_state id=\"2\" uname=\"n2\" in_ccm=\"true\" crmd=\"online\">"
	"<lrm id=\"2\"><lrm_resources><lrm_resource id=\"db\">"
	"<lrm_rsc_op id=\"db_monitor_10000\" operation=\"monitor\" "
	"call-id=\"12\" rc-code=\"0\"/>"
	"<lrm_rsc_op id=\"db_start_0\" operation=\"start\" call-id=\"11\" "
	"rc-code=\"0\"/></lrm_resource></lrm_resources></lrm></node_state>"
	"<node_state id=\"3\" uname=\"n3\" in_ccm=\"false\" crmd=\"offline\">"
	"<lrm id=\"3\"><lrm_resources><lrm_resource id=\"web-ip\">"
	"<lrm_rsc_op id=\"web-ip_start_0\" operation=\"start\" call-id=\"4\" "
	"rc-code=\"0\"/></lrm_resource>"
	"<lrm_resource id=\"db\"><lrm_rsc_op id=\"db_monitor_0\" "
	"operation=\"monitor\" call-id=\"2\" rc-code=\"7\"/></lrm_resource>"
	"</lrm_resources></lrm></node_state>"
	"<node_state id=\"4\" uname=\"n4\" in_ccm=\"true\" crmd=\"offline\"/>"
	"</status></cib>";

static xmlDocPtr cib;
static struct cli_edit e;
static char *why;

static void
setup(void)
{
	cib = xmlReadMemory(fixture, (int)strlen(fixture), "fixture", NULL,
			    XML_PARSE_NONET);
	ck_assert_ptr_nonnull(cib);
	cli_edit_init(&e);
	why = NULL;
}

static void
teardown(void)
{
	xmlFreeDoc(cib);
	cli_edit_clear(&e);
	g_free(why);
}

/* A fresh edit for the next command of a test. */
static void
reset_edit(void)
{
	cli_edit_clear(&e);
	cli_edit_init(&e);
	g_clear_pointer(&why, g_free);
}

/* The edit's <change> as one line. */
static void
assert_change(const char *expected)
{
	g_autofree char *s = cli_xml_string(e.change);

	ck_assert_str_eq(s, expected);
}

static void
assert_why(const char *part)
{
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, part) != NULL, "'%s' not in '%s'", part, why);
}

START_TEST(test_durations)
{
	static const struct {
		const char *s;
		guint64 ms;
	} ok[] = {
		{"10", 10000},	   {"10s", 10000},     {"500ms", 500},
		{"2min", 120000},  {"2m", 120000},     {"1h", 3600000},
		{" 20 s ", 20000}, {"PT10S", 10000},   {"PT1H30M", 5400000},
		{"P1D", 86400000}, {"P1W", 604800000}, {"P1DT2H", 93600000},
		{"0", 0},
	};
	static const char *const bad[] = {
		"",	"abc", "10x", "P",	"PT",  "P1M",  "P1Y",
		"PT1D", "-5",  "P1H", "10 s s", "PT5", "P1DT", NULL,
	};
	guint64 ms;

	for (size_t i = 0; i < G_N_ELEMENTS(ok); i++) {
		ck_assert_msg(cli_duration_ms(ok[i].s, &ms) == 0, "'%s'",
			      ok[i].s);
		ck_assert_uint_eq(ms, ok[i].ms);
	}
	for (int i = 0; bad[i]; i++)
		ck_assert_msg(cli_duration_ms(bad[i], &ms) == -FO_EINVAL,
			      "'%s' was taken", bad[i]);
	ck_assert_int_eq(cli_duration_ms(NULL, &ms), -FO_EINVAL);
}
END_TEST

START_TEST(test_nvpairs)
{
	g_autofree char *n = NULL, *v = NULL;

	ck_assert_int_eq(cli_nvpair_parse("ip=10.0.0.1", &n, &v), 0);
	ck_assert_str_eq(n, "ip");
	ck_assert_str_eq(v, "10.0.0.1");
	g_free(n);
	g_free(v);
	ck_assert_int_eq(cli_nvpair_parse("cmd=a=b c", &n, &v), 0);
	ck_assert_str_eq(n, "cmd");
	ck_assert_str_eq(v, "a=b c");
	g_free(n);
	g_free(v);
	ck_assert_int_eq(cli_nvpair_parse("empty=", &n, &v), 0);
	ck_assert_str_eq(v, "");
	g_free(n);
	g_free(v);
	ck_assert_int_eq(cli_nvpair_parse("=x", &n, &v), -FO_EINVAL);
	ck_assert_ptr_null(n);
	ck_assert_int_eq(cli_nvpair_parse("novalue", &n, &v), -FO_EINVAL);
	ck_assert_int_eq(cli_nvpair_parse("a b=c", &n, &v), -FO_EINVAL);
	ck_assert_int_eq(cli_nvpair_parse(NULL, &n, &v), -FO_EINVAL);
}
END_TEST

START_TEST(test_formats_and_json)
{
	enum cli_format f;
	GString *j = g_string_new(NULL);

	ck_assert_int_eq(cli_format_parse("json", &f), 0);
	ck_assert_int_eq(f, CLI_FMT_JSON);
	ck_assert_int_eq(cli_format_parse("xml", &f), 0);
	ck_assert_int_eq(f, CLI_FMT_XML);
	ck_assert_int_eq(cli_format_parse("yaml", &f), -FO_EINVAL);
	cli_json_string(j, "a\"b\\c\nd\x01");
	ck_assert_str_eq(j->str, "\"a\\\"b\\\\c\\nd\\u0001\"");
	g_string_free(j, TRUE);
}
END_TEST

START_TEST(test_move)
{
	ck_assert_int_eq(cli_res_move(cib, "db", "n1", false, &e, &why),
			 CLI_OK);
	assert_change("<change><put section=\"constraints\"><rsc_location "
		      "id=\"cli-prefer-db\" rsc=\"db\" role=\"Started\" "
		      "node=\"n1\" score=\"INFINITY\"/></put>"
		      "<delete id=\"cli-ban-db-on-n1\" if-exists=\"1\"/>"
		      "</change>");
	ck_assert_str_eq(e.undo, "fo-res clear db");
	ck_assert_uint_eq(e.removed->len, 1);
}
END_TEST

START_TEST(test_move_refusals)
{
	/* db runs on n2 (its last op there is a successful monitor) */
	ck_assert_int_eq(cli_res_move(cib, "db", "n2", false, &e, &why),
			 CLI_ERROR);
	assert_why("already active on n2");
	g_clear_pointer(&why, g_free);
	ck_assert_int_eq(cli_res_move(cib, "db", "n9", false, &e, &why),
			 CLI_ERROR);
	assert_why("known nodes: n1, n2, n3");
	g_clear_pointer(&why, g_free);
	ck_assert_int_eq(cli_res_move(cib, "web-srv", "n1", false, &e, &why),
			 CLI_ERROR);
	assert_why("fo-res move web NODE");
	g_clear_pointer(&why, g_free);
	ck_assert_int_eq(cli_res_move(cib, "ping", "n1", false, &e, &why),
			 CLI_ERROR);
	assert_why("fo-res ban ping-clone NODE");
	g_clear_pointer(&why, g_free);
	ck_assert_int_eq(cli_res_move(cib, "nope", "n1", false, &e, &why),
			 CLI_ERROR);
	assert_why("no resource 'nope'");
	ck_assert(cli_edit_empty(&e));
}
END_TEST

START_TEST(test_move_force_and_away)
{
	ck_assert_int_eq(cli_res_move(cib, "db", "n2", true, &e, &why), CLI_OK);
	assert_change("<change><put section=\"constraints\"><rsc_location "
		      "id=\"cli-prefer-db\" rsc=\"db\" role=\"Started\" "
		      "node=\"n2\" score=\"INFINITY\"/></put></change>");
	reset_edit();
	/* without a node: a ban from the node the status shows it on */
	ck_assert_int_eq(cli_res_move(cib, "db", NULL, false, &e, &why),
			 CLI_OK);
	assert_change("<change><put section=\"constraints\"><rsc_location "
		      "id=\"cli-ban-db-on-n2\" rsc=\"db\" role=\"Started\" "
		      "node=\"n2\" score=\"-INFINITY\"/></put></change>");
}
END_TEST

START_TEST(test_ban)
{
	/* a group is located by its first member (web-ip, on n3) */
	ck_assert_int_eq(cli_res_ban(cib, "web", NULL, &e, &why), CLI_OK);
	assert_change("<change><put section=\"constraints\"><rsc_location "
		      "id=\"cli-ban-web-on-n3\" rsc=\"web\" role=\"Started\" "
		      "node=\"n3\" score=\"-INFINITY\"/></put></change>");
	reset_edit();
	/* a clone's primitive stands for the clone */
	ck_assert_int_eq(cli_res_ban(cib, "ping", "n1", &e, &why), CLI_OK);
	assert_change("<change><put section=\"constraints\"><rsc_location "
		      "id=\"cli-ban-ping-clone-on-n1\" rsc=\"ping-clone\" "
		      "role=\"Started\" node=\"n1\" score=\"-INFINITY\"/>"
		      "</put></change>");
	reset_edit();
	/* a node name an XML id cannot hold, as the status may have it */
	xmlNewProp(xmlNewChild(cli_section(cib, "status"), NULL,
			       XC("node_state"), NULL),
		   XC("uname"), XC("node 5:x"));
	ck_assert_int_eq(cli_res_ban(cib, "db", "node 5:x", &e, &why), CLI_OK);
	assert_change("<change><put section=\"constraints\"><rsc_location "
		      "id=\"cli-ban-db-on-node.5.x\" rsc=\"db\" "
		      "role=\"Started\" node=\"node 5:x\" "
		      "score=\"-INFINITY\"/></put></change>");
	reset_edit();
	ck_assert_int_eq(cli_res_ban(cib, "ping-clone", NULL, &e, &why),
			 CLI_ERROR);
	assert_why("name the node");
	g_clear_pointer(&why, g_free);
	ck_assert_int_eq(cli_res_ban(cib, "app", NULL, &e, &why), CLI_ERROR);
	assert_why("active on no node");
}
END_TEST

START_TEST(test_clear)
{
	ck_assert_int_eq(cli_res_clear(cib, "db", &e, &why), CLI_OK);
	assert_change("<change><delete id=\"cli-prefer-db\" if-exists=\"1\"/>"
		      "<delete id=\"cli-ban-db-on-n1\" if-exists=\"1\"/>"
		      "</change>");
	ck_assert_uint_eq(e.removed->len, 2);
	reset_edit();
	ck_assert_int_eq(cli_res_clear(cib, "web", &e, &why), CLI_OK);
	ck_assert(cli_edit_empty(&e));
	ck_assert_uint_eq(e.notes->len, 1);
	ck_assert_int_eq(cli_res_clear(cib, "nope", &e, &why), CLI_ERROR);
	assert_why("no resource 'nope'");
}
END_TEST

START_TEST(test_role)
{
	xmlNodePtr nv;

	/* stopping a group also sets a member's own target-role */
	ck_assert_int_eq(cli_res_role(cib, "web", false, false, &e, &why),
			 CLI_OK);
	assert_change("<change><nvpair-set parent-id=\"web\" "
		      "set=\"meta_attributes\" name=\"target-role\" "
		      "value=\"Stopped\"/><nvpair-set parent-id=\"web-srv\" "
		      "set=\"meta_attributes\" name=\"target-role\" "
		      "value=\"Stopped\"/></change>");
	ck_assert_str_eq(e.undo, "fo-res start web");
	reset_edit();
	/* --force: the named resource only */
	ck_assert_int_eq(cli_res_role(cib, "web", false, true, &e, &why),
			 CLI_OK);
	assert_change("<change><nvpair-set parent-id=\"web\" "
		      "set=\"meta_attributes\" name=\"target-role\" "
		      "value=\"Stopped\"/></change>");
	reset_edit();
	/* --force on a clone's primitive: the primitive itself */
	ck_assert_int_eq(cli_res_role(cib, "ping", false, true, &e, &why),
			 CLI_OK);
	assert_change("<change><nvpair-set parent-id=\"ping\" "
		      "set=\"meta_attributes\" name=\"target-role\" "
		      "value=\"Stopped\"/></change>");
	reset_edit();
	ck_assert_int_eq(cli_res_role(cib, "ping", true, false, &e, &why),
			 CLI_OK);
	assert_change("<change><nvpair-set parent-id=\"ping-clone\" "
		      "set=\"meta_attributes\" name=\"target-role\" "
		      "value=\"Started\"/></change>");
	reset_edit();
	ck_assert_int_eq(cli_res_role(cib, "app-a", true, false, &e, &why),
			 CLI_ERROR);
	assert_why("fo-res start app");
	ck_assert(cli_edit_empty(&e));
	ck_assert_int_eq(cli_res_role(cib, "app-a", true, true, &e, &why),
			 CLI_OK);
	assert_change("<change><nvpair-set parent-id=\"app-a\" "
		      "set=\"meta_attributes\" name=\"target-role\" "
		      "value=\"Started\"/></change>");
	reset_edit();
	/* a clone's primitive with its own target-role keeps it */
	nv = xmlNewChild(
		xmlNewChild(cli_find_id(xmlDocGetRootElement(cib), "ping"),
			    NULL, XC("meta_attributes"), NULL),
		NULL, XC("nvpair"), NULL);
	xmlNewProp(nv, XC("name"), XC("target-role"));
	xmlNewProp(nv, XC("value"), XC("Stopped"));
	ck_assert_int_eq(cli_res_role(cib, "ping", true, false, &e, &why),
			 CLI_OK);
	assert_change("<change><nvpair-set parent-id=\"ping\" "
		      "set=\"meta_attributes\" name=\"target-role\" "
		      "value=\"Started\"/></change>");
	reset_edit();
	/* ... and stopping the clone sets the primitive's value too */
	ck_assert_int_eq(
		cli_res_role(cib, "ping-clone", false, false, &e, &why),
		CLI_OK);
	assert_change("<change><nvpair-set parent-id=\"ping-clone\" "
		      "set=\"meta_attributes\" name=\"target-role\" "
		      "value=\"Stopped\"/><nvpair-set parent-id=\"ping\" "
		      "set=\"meta_attributes\" name=\"target-role\" "
		      "value=\"Stopped\"/></change>");
}
END_TEST

START_TEST(test_add)
{
	char *argv[] = {"x",
			"ocf:heartbeat:Dummy",
			"fake=1",
			"state=/a=b",
			"op",
			"monitor",
			"timeout=20s",
			"interval=10s",
			"op",
			"start",
			"timeout=30s",
			"meta",
			"resource-stickiness=100",
			NULL};

	ck_assert_int_eq(cli_res_add(cib, 13, argv, &e, &why), CLI_OK);
	assert_change("<change><put section=\"resources\"><primitive id=\"x\" "
		      "class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		      "<instance_attributes id=\"x-instance_attributes\">"
		      "<nvpair id=\"x-instance_attributes-fake\" name=\"fake\" "
		      "value=\"1\"/><nvpair id=\"x-instance_attributes-state\" "
		      "name=\"state\" value=\"/a=b\"/></instance_attributes>"
		      "<meta_attributes id=\"x-meta_attributes\"><nvpair "
		      "id=\"x-meta_attributes-resource-stickiness\" "
		      "name=\"resource-stickiness\" value=\"100\"/>"
		      "</meta_attributes><operations>"
		      "<op id=\"x-monitor-interval-10s\" name=\"monitor\" "
		      "interval=\"10s\" timeout=\"20s\"/>"
		      "<op id=\"x-start-interval-0s\" name=\"start\" "
		      "interval=\"0s\" timeout=\"30s\"/>"
		      "</operations></primitive></put></change>");
	ck_assert_str_eq(e.undo, "fo-res delete x");
}
END_TEST

START_TEST(test_add_lsb)
{
	char *argv[] = {"c", "lsb:cron", NULL};

	ck_assert_int_eq(cli_res_add(cib, 2, argv, &e, &why), CLI_OK);
	assert_change("<change><put section=\"resources\"><primitive id=\"c\" "
		      "class=\"lsb\" type=\"cron\"/></put></change>");
}
END_TEST

START_TEST(test_add_refusals)
{
	static const struct {
		const char *words;
		int rc;
		const char *why;
	} cases[] = {
		{"x foo:bar:Dummy", CLI_USAGE, "unknown agent class 'foo'"},
		{"x ocf:Dummy", CLI_USAGE, "write ocf:PROVIDER:TYPE"},
		{"x lsb:a:b", CLI_USAGE, "write ocf:PROVIDER:TYPE"},
		{"x ocf::Dummy", CLI_USAGE, "write ocf:PROVIDER:TYPE"},
		{"1x ocf:a:b", CLI_USAGE, "not a valid id"},
		{"db ocf:a:b", CLI_ERROR, "already used"},
		{"x ocf:a:b a=1 a=2", CLI_USAGE, "'a' is given twice"},
		{"x ocf:a:b oops", CLI_USAGE, "is not name=value"},
		{"x ocf:a:b op", CLI_USAGE, "followed by the operation"},
		{"x ocf:a:b op interval=1s", CLI_USAGE,
		 "followed by the operation"},
		{"x ocf:a:b op monitor", CLI_USAGE, "needs interval="},
		{"x ocf:a:b op monitor interval=often", CLI_USAGE,
		 "interval='often' is not a duration"},
		{"x ocf:a:b op monitor interval=0", CLI_USAGE,
		 "must be above 0"},
		{"x ocf:a:b op start interval=10s", CLI_USAGE,
		 "only monitors recur"},
		{"x ocf:a:b op monitor interval=10s timeout=0", CLI_USAGE,
		 "timeout must be above 0"},
		{"x ocf:a:b op monitor interval=10s timeout=x", CLI_USAGE,
		 "timeout='x' is not a duration"},
		{"x ocf:a:b op monitor interval=10s op monitor interval=10s",
		 CLI_USAGE, "given twice"},
		{"x ocf:a:b op monitor interval=10s interval=5s", CLI_USAGE,
		 "given twice"},
		{"x ocf:a:b op monitor interval=10s id=y", CLI_USAGE,
		 "given twice or not settable"},
		{"x", CLI_USAGE, "add needs ID"},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_auto(GStrv) argv = g_strsplit(cases[i].words, " ", 0);

		ck_assert_msg(cli_res_add(cib, (int)g_strv_length(argv), argv,
					  &e, &why) == cases[i].rc,
			      "%s", cases[i].words);
		assert_why(cases[i].why);
		g_clear_pointer(&why, g_free);
		ck_assert(cli_edit_empty(&e));
	}
}
END_TEST

START_TEST(test_delete)
{
	ck_assert_int_eq(cli_res_delete(cib, "db", false, &e, &why), CLI_ERROR);
	assert_why("named by 5 constraint(s)");
	assert_why("<rsc_colocation id=\"srv-with-db\">");
	ck_assert(cli_edit_empty(&e));
	g_clear_pointer(&why, g_free);
	ck_assert_int_eq(cli_res_delete(cib, "db", true, &e, &why), CLI_OK);
	assert_change("<change><delete id=\"db-likes-n1\" if-exists=\"1\"/>"
		      "<delete id=\"cli-prefer-db\" if-exists=\"1\"/>"
		      "<delete id=\"cli-ban-db-on-n1\" if-exists=\"1\"/>"
		      "<delete id=\"web-after-db\" if-exists=\"1\"/>"
		      "<delete id=\"srv-with-db\" if-exists=\"1\"/>"
		      "<delete id=\"db\" if-exists=\"1\"/></change>");
	ck_assert_uint_eq(e.removed->len, 6);
}
END_TEST

START_TEST(test_delete_members)
{
	/* a member's references count when its group is deleted */
	ck_assert_int_eq(cli_res_delete(cib, "web", false, &e, &why),
			 CLI_ERROR);
	assert_why("named by 2 constraint(s)");
	g_clear_pointer(&why, g_free);
	ck_assert_int_eq(cli_res_delete(cib, "web-ip", false, &e, &why),
			 CLI_OK);
	assert_change("<change><delete id=\"web-ip\" if-exists=\"1\"/>"
		      "</change>");
	reset_edit();
	ck_assert_int_eq(cli_res_delete(cib, "app-a", false, &e, &why),
			 CLI_ERROR);
	assert_why("fo-res delete app");
	g_clear_pointer(&why, g_free);
	ck_assert_int_eq(cli_res_delete(cib, "ping", false, &e, &why),
			 CLI_ERROR);
	assert_why("fo-res delete ping-clone");
}
END_TEST

START_TEST(test_node_attr)
{
	ck_assert_int_eq(
		cli_node_attr(cib, "n1", "standby", "on", "u", &e, &why),
		CLI_OK);
	assert_change("<change><put section=\"nodes\"><node id=\"1\" "
		      "uname=\"n1\"><instance_attributes id=\"nodes-1\"/>"
		      "</node></put><nvpair-set parent-id=\"1\" "
		      "set=\"instance_attributes\" name=\"standby\" "
		      "value=\"on\"/></change>");
	ck_assert_str_eq(e.undo, "u");
	reset_edit();
	/* n2 has its set: only the nvpair */
	ck_assert_int_eq(
		cli_node_attr(cib, "n2", "maintenance", "on", NULL, &e, &why),
		CLI_OK);
	assert_change("<change><nvpair-set parent-id=\"2\" "
		      "set=\"instance_attributes\" name=\"maintenance\" "
		      "value=\"on\"/></change>");
	reset_edit();
	ck_assert_int_eq(
		cli_node_attr(cib, "n2", "standby", NULL, NULL, &e, &why),
		CLI_OK);
	assert_change("<change><nvpair-unset parent-id=\"2\" "
		      "set=\"instance_attributes\" name=\"standby\"/>"
		      "</change>");
	reset_edit();
	/* nothing to do: no change, a note */
	ck_assert_int_eq(
		cli_node_attr(cib, "n2", "standby", "on", NULL, &e, &why),
		CLI_OK);
	ck_assert(cli_edit_empty(&e));
	ck_assert_int_eq(
		cli_node_attr(cib, "n1", "standby", NULL, NULL, &e, &why),
		CLI_OK);
	ck_assert(cli_edit_empty(&e));
	ck_assert_uint_eq(e.notes->len, 2);
	/* a node only in the status is added to <nodes> */
	ck_assert_int_eq(
		cli_node_attr(cib, "n4", "standby", "on", NULL, &e, &why),
		CLI_OK);
	assert_change("<change><put section=\"nodes\"><node id=\"4\" "
		      "uname=\"n4\"><instance_attributes id=\"nodes-4\"/>"
		      "</node></put><nvpair-set parent-id=\"4\" "
		      "set=\"instance_attributes\" name=\"standby\" "
		      "value=\"on\"/></change>");
	reset_edit();
	ck_assert_int_eq(
		cli_node_attr(cib, "n9", "standby", "on", NULL, &e, &why),
		CLI_ERROR);
	assert_why("no node 'n9' in the CIB (known nodes: n1, n2, n3)");
}
END_TEST

START_TEST(test_node_rows)
{
	GPtrArray *rows = cli_node_rows(cib);
	const struct cli_node_row *r;

	ck_assert_uint_eq(rows->len, 4);
	r = rows->pdata[1];
	ck_assert_str_eq(r->name, "n2");
	ck_assert_str_eq(r->state, "online");
	ck_assert(r->standby && !r->maintenance && r->configured);
	r = rows->pdata[2];
	ck_assert_str_eq(r->state, "offline");
	ck_assert(!r->standby);
	r = rows->pdata[3];
	ck_assert_str_eq(r->name, "n4");
	ck_assert_str_eq(r->state, "member, fo-crmd down");
	ck_assert(!r->configured);
	g_ptr_array_unref(rows);
}
END_TEST

START_TEST(test_active_nodes)
{
	GPtrArray *on = cli_res_active_nodes(cib, "db");

	/* n1: stopped (stop rc 0 last); n3: probe rc 7; n2: monitor rc 0 */
	ck_assert_uint_eq(on->len, 1);
	ck_assert_str_eq(on->pdata[0], "n2");
	g_ptr_array_unref(on);
	on = cli_res_active_nodes(cib, "ping");
	ck_assert_uint_eq(on->len, 0);
	g_ptr_array_unref(on);
}
END_TEST

START_TEST(test_edit_check)
{
	char *good[] = {"x",	   "ocf:pacemaker:Dummy", "op",
			"monitor", "interval=10s",	  NULL};
	char *bad[] = {"y",	  "ocf:pacemaker:Dummy", "op",
		       "monitor", "interval=10s",	 "colour=red",
		       NULL};
	static const char valid[] =
		"<cib validate-with=\"pacemaker-3.9\"><configuration>"
		"<crm_config/><nodes><node id=\"1\" uname=\"n1\"/></nodes>"
		"<resources/><constraints/></configuration><status/></cib>";
	xmlDocPtr v = xmlReadMemory(valid, (int)strlen(valid), "valid", NULL,
				    XML_PARSE_NONET);

	ck_assert_int_eq(cli_res_add(v, 5, good, &e, &why), CLI_OK);
	ck_assert_int_eq(cli_edit_check(v, &e, &why), CLI_OK);
	ck_assert_ptr_null(why);
	reset_edit();
	/* the words are fine; the configuration check names the attribute */
	ck_assert_int_eq(cli_res_add(v, 6, bad, &e, &why), CLI_OK);
	ck_assert_int_eq(cli_edit_check(v, &e, &why), CLI_ERROR);
	assert_why("attribute \"colour\" is not part of <op>");
	assert_why("nothing was changed");
	reset_edit();
	/* an operation the replica refuses: deleting what is not there */
	cli_edit_delete(&e, "n1-not-there", NULL);
	xmlUnsetProp(cli_child(e.change, "delete"), XC("if-exists"));
	ck_assert_int_eq(cli_edit_check(v, &e, &why), CLI_ERROR);
	assert_why("no element with id 'n1-not-there'");
	xmlFreeDoc(v);
}
END_TEST

static Suite *
cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *p = tcase_create("parse");
	TCase *r = tcase_create("edits");

	tcase_add_test(p, test_durations);
	tcase_add_test(p, test_nvpairs);
	tcase_add_test(p, test_formats_and_json);
	suite_add_tcase(s, p);
	tcase_add_checked_fixture(r, setup, teardown);
	tcase_add_test(r, test_move);
	tcase_add_test(r, test_move_refusals);
	tcase_add_test(r, test_move_force_and_away);
	tcase_add_test(r, test_ban);
	tcase_add_test(r, test_clear);
	tcase_add_test(r, test_role);
	tcase_add_test(r, test_add);
	tcase_add_test(r, test_add_lsb);
	tcase_add_test(r, test_add_refusals);
	tcase_add_test(r, test_delete);
	tcase_add_test(r, test_delete_members);
	tcase_add_test(r, test_node_attr);
	tcase_add_test(r, test_node_rows);
	tcase_add_test(r, test_active_nodes);
	tcase_add_test(r, test_edit_check);
	suite_add_tcase(s, r);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cli_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
