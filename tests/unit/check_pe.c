/*
 * check_pe.c - unit tests for lib/pe on small CIBs whose outcome is
 * derived by hand from Pacemaker's rules (stickiness beats a smaller
 * preference, a failed resource moves at migration-threshold, a mandatory
 * colocation follows its primary, a mandatory order blocks the dependent,
 * and the same input always gives the same graph).
 */
#include <check.h>
#include <string.h>

#include "fo/cib.h"
#include "fo/common.h"
#include "fo/pe.h"

#define HEAD                                                                   \
	"<cib><configuration><crm_config><cluster_property_set id='o'>"        \
	"<nvpair id='o1' name='stonith-enabled' value='false'/>"               \
	"</cluster_property_set></crm_config><nodes>"                          \
	"<node id='1' uname='node1'/><node id='2' uname='node2'/></nodes>"
#define DUMMY(id, meta)                                                        \
	"<primitive id='" id "' class='ocf' provider='pacemaker' "             \
	"type='Dummy'><meta_attributes id='" id "-m'>" meta                    \
	"</meta_attributes></primitive>"
#define STATE(id, name, lrm, attrs)                                            \
	"<node_state id='" id "' uname='" name "' in_ccm='true' "              \
	"crmd='online' join='member' expected='member'>"                       \
	"<transient_attributes id='" id "'><instance_attributes id='t" id      \
	"'>" attrs "</instance_attributes></transient_attributes>"             \
	"<lrm id='" id "'><lrm_resources>" lrm "</lrm_resources></lrm>"        \
	"</node_state>"
#define RUNNING(rsc)                                                           \
	"<lrm_resource id='" rsc                                               \
	"' class='ocf' provider='pacemaker' type='Dummy'>"                     \
	"<lrm_rsc_op id='" rsc "_s' operation='start' interval='0' "           \
	"call-id='2' rc-code='0' op-status='0' transition-key='1:1:0:x'/>"     \
	"</lrm_resource>"
#define STOPPED(rsc)                                                           \
	"<lrm_resource id='" rsc                                               \
	"' class='ocf' provider='pacemaker' type='Dummy'>"                     \
	"<lrm_rsc_op id='" rsc "_p' operation='monitor' interval='0' "         \
	"call-id='1' rc-code='7' op-status='0' transition-key='1:1:7:x'/>"     \
	"</lrm_resource>"

static struct pe_result *
run(const char *xml)
{
	GPtrArray *d =
		g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
	struct cib *cib = NULL;
	struct pe_result *r = NULL;

	ck_assert_int_eq(cib_load_memory(xml, strlen(xml), "t.xml", d, &cib),
			 0);
	ck_assert_int_eq(pe_compute(cib, 1000, false, &r), 0);
	cib_free(cib);
	g_ptr_array_free(d, TRUE);
	return r;
}

static char *
summary(const struct pe_result *r)
{
	GString *s = g_string_new(NULL);
	guint i;

	for (i = 0; i < r->summary->len; i++) {
		char **w = g_strsplit_set(g_ptr_array_index(r->summary, i), " ",
					  -1);
		char **p;

		for (p = w; *p != NULL; p++)
			if (**p != '\0')
				g_string_append_printf(s, "%s ", *p);
		g_strfreev(w);
		g_string_append(s, "| ");
	}
	return g_string_free(s, FALSE);
}

static bool
has_action(const struct pe_result *r, const char *key, const char *node)
{
	guint i;

	for (i = 0; i < r->graph->actions->len; i++) {
		const struct graph_action *a =
			g_ptr_array_index(r->graph->actions, i);

		if (strcmp(a->key, key) == 0 &&
		    (node == NULL ||
		     (a->node != NULL && strcmp(a->node, node) == 0)))
			return true;
	}
	return false;
}

START_TEST(test_start_balances)
{
	/* nothing known: probes everywhere, one resource per node */
	struct pe_result *r = run(HEAD "<resources>" DUMMY("a", "") DUMMY(
		"b", "") "</resources><constraints/></configuration>"
			 "<status>" STATE("1", "node1", "", "") STATE(
				 "2", "node2", "", "") "</status></cib>");
	char *s = summary(r);

	ck_assert_str_eq(s, "Start a ( node1 ) | Start b ( node2 ) | ");
	ck_assert(has_action(r, "a_monitor_0", "node1"));
	ck_assert(has_action(r, "a_monitor_0", "node2"));
	ck_assert(has_action(r, "b_start_0", "node2"));
	g_free(s);
	pe_result_free(r);
}
END_TEST

START_TEST(test_stickiness)
{
	/* 100 stickiness on node1 beats a 50 preference for node2 */
	const char *xml = HEAD "<resources>" DUMMY(
		"a",
		"<nvpair id='s' name='resource-stickiness' "
		"value='100'/>") "</resources><constraints><rsc_location "
				 "id='l' "
				 "rsc='a' node='node2' "
				 "score='50'/></constraints></configuration>"
				 "<status>" STATE("1", "node1", RUNNING("a"),
						  "")
					 STATE("2", "node2", STOPPED("a"),
					       "") "</status></cib>";
	struct pe_result *r = run(xml);

	ck_assert_uint_eq(r->summary->len, 0);
	ck_assert_uint_eq(r->graph->actions->len, 0);
	pe_result_free(r);
}
END_TEST

START_TEST(test_migration_threshold)
{
	/* two failures with migration-threshold=2: move to node2 */
	struct pe_result *r = run(HEAD "<resources>" DUMMY(
		"a",
		"<nvpair id='t' name='migration-threshold' "
		"value='2'/>") "</resources><constraints/></configuration>"
			       "<status>" STATE("1", "node1", RUNNING("a"),
						"<nvpair id='f' "
						"name='fail-count-a#monitor_"
						"10000' value='2'/>")
					  STATE("2", "node2", STOPPED("a"),
						"") "</status></cib>");
	char *s = summary(r);

	ck_assert_str_eq(s, "Move a ( node1 -> node2 ) | ");
	ck_assert(has_action(r, "a_stop_0", "node1"));
	ck_assert(has_action(r, "a_start_0", "node2"));
	g_free(s);
	pe_result_free(r);
}
END_TEST

START_TEST(test_colocation_and_order)
{
	/* b follows a (INFINITY colocation); a cannot run (banned
	 * everywhere), so b cannot start either (mandatory order) */
	struct pe_result *r = run(HEAD "<resources>" DUMMY("a", "") DUMMY(
		"b", "") "</resources><constraints>"
			 "<rsc_location id='l1' rsc='a' node='node1' "
			 "score='-INFINITY'/>"
			 "<rsc_location id='l2' rsc='a' node='node2' "
			 "score='-INFINITY'/>"
			 "<rsc_colocation id='c' rsc='b' with-rsc='a' "
			 "score='INFINITY'/>"
			 "<rsc_order id='o' first='a' then='b'/></constraints>"
			 "</configuration><status>" STATE(
				 "1", "node1", STOPPED("a") STOPPED("b"), "")
					  STATE("2", "node2",
						STOPPED("a") STOPPED("b"),
						"") "</status></cib>");

	ck_assert_uint_eq(r->summary->len, 0);
	ck_assert(!has_action(r, "b_start_0", NULL));
	pe_result_free(r);
}
END_TEST

START_TEST(test_deterministic)
{
	const char *xml = HEAD "<resources>" DUMMY("a", "") DUMMY("b", "")
		DUMMY("c",
		      "") "</resources><constraints><rsc_colocation id='x' "
			  "rsc='c' with-rsc='a' "
			  "score='-INFINITY'/></constraints>"
			  "</configuration><status>" STATE("1", "node1", "", "")
				  STATE("2", "node2", "", "") "</status></cib>";
	struct pe_result *r1 = run(xml), *r2 = run(xml);
	char *x1 = graph_to_xml(r1->graph), *x2 = graph_to_xml(r2->graph);

	ck_assert_str_eq(x1, x2);
	g_free(x1);
	g_free(x2);
	pe_result_free(r1);
	pe_result_free(r2);
}
END_TEST

static Suite *
pe_suite(void)
{
	Suite *s = suite_create("pe");
	TCase *tc = tcase_create("pe");

	tcase_add_test(tc, test_start_balances);
	tcase_add_test(tc, test_stickiness);
	tcase_add_test(tc, test_migration_threshold);
	tcase_add_test(tc, test_colocation_and_order);
	tcase_add_test(tc, test_deterministic);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(pe_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
