/*
 * check_cib.c - unit tests for lib/cib: parsing a CIB into the model,
 * refusing bad input with a located message, rebuilding roles from
 * operation histories, fail counts in both forms, scores and intervals.
 */
#include <check.h>
#include <string.h>

#include "fo/cib.h"
#include "fo/common.h"

#define NODES                                                                  \
	"<nodes><node id='1' uname='node1'/><node id='2' uname='node2'/>"      \
	"</nodes>"
#define CONFIG(res, cons)                                                      \
	"<cib><configuration><crm_config><cluster_property_set id='o'>"        \
	"<nvpair id='o1' name='stonith-enabled' value='false'/>"               \
	"</cluster_property_set></crm_config>" NODES "<resources>" res         \
	"</resources><constraints>" cons "</constraints></configuration>"
#define DUMMY(id)                                                              \
	"<primitive id='" id "' class='ocf' provider='pacemaker' "             \
	"type='Dummy'><operations><op id='" id "-m' name='monitor' "           \
	"interval='10s'/></operations></primitive>"
#define UP(id, name, lrm, attrs)                                               \
	"<node_state id='" id "' uname='" name "' in_ccm='true' "              \
	"crmd='online' join='member' expected='member'>"                       \
	"<transient_attributes id='" id "'><instance_attributes id='t" id      \
	"'>" attrs "</instance_attributes></transient_attributes>"             \
	"<lrm id='" id "'><lrm_resources>" lrm "</lrm_resources></lrm>"        \
	"</node_state>"
#define OP(id, task, iv, call, rc, tgt)                                        \
	"<lrm_rsc_op id='" id "' operation='" task "' interval='" iv "' "      \
	"call-id='" call "' rc-code='" rc "' op-status='0' "                   \
	"transition-key='1:1:" tgt ":x'/>"

static struct cib *
load(const char *xml, GPtrArray *diags, int *rc)
{
	struct cib *cib = NULL;

	*rc = cib_load_memory(xml, strlen(xml), "test.xml", diags, &cib);
	return cib;
}

static bool
diag_has(GPtrArray *diags, const char *text, int line)
{
	guint i;

	for (i = 0; i < diags->len; i++) {
		const struct cib_diag *d = g_ptr_array_index(diags, i);

		if (strstr(d->message, text) != NULL &&
		    (line == 0 || d->line == line))
			return true;
	}
	return false;
}

START_TEST(test_scores_and_intervals)
{
	int s;
	uint64_t ms;

	ck_assert_int_eq(cib_parse_score("INFINITY", &s), 0);
	ck_assert_int_eq(s, CIB_INFINITY);
	ck_assert_int_eq(cib_parse_score("-INFINITY", &s), 0);
	ck_assert_int_eq(s, -CIB_INFINITY);
	ck_assert_int_eq(cib_parse_score("2000000", &s), 0);
	ck_assert_int_eq(s, CIB_INFINITY);
	ck_assert_int_eq(cib_parse_score("1.0", &s), 0);
	ck_assert_int_eq(s, 1);
	ck_assert_int_eq(cib_parse_score("12abc", &s), -FO_EINVAL);
	ck_assert_int_eq(cib_parse_score("", &s), -FO_EINVAL);
	ck_assert_int_eq(cib_add_scores(CIB_INFINITY, -CIB_INFINITY),
			 -CIB_INFINITY);
	ck_assert_int_eq(cib_add_scores(999999, 5), CIB_INFINITY);
	ck_assert_int_eq(cib_parse_interval("10s", &ms), 0);
	ck_assert_uint_eq(ms, 10000);
	ck_assert_int_eq(cib_parse_interval("5min", &ms), 0);
	ck_assert_uint_eq(ms, 300000);
	ck_assert_int_eq(cib_parse_interval("PT1M30S", &ms), 0);
	ck_assert_uint_eq(ms, 90000);
	ck_assert_int_eq(cib_parse_interval("10 parsecs", &ms), -FO_EINVAL);
	ck_assert_int_lt(cib_node_cmp("c001n02", "c001n10"), 0);
	ck_assert_int_gt(cib_node_cmp("node10", "Node9"), 0);
}
END_TEST

START_TEST(test_model)
{
	GPtrArray *d =
		g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
	int rc;
	struct cib *cib = load(CONFIG(DUMMY("r1") "<group id='g'>" DUMMY("a")
					      DUMMY("b") "</group>",
				      "<rsc_location id='l' rsc='r1' "
				      "node='node2' score='100'/>"
				      "<rsc_colocation id='c' rsc='g' "
				      "with-rsc='r1' score='INFINITY'/>"
				      "<rsc_order id='o' first='r1' then='g' "
				      "kind='Optional'/>") "<status/></cib>",
			       d, &rc);
	struct cib_rsc *g;

	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(cib);
	ck_assert_uint_eq(cib->nodes->len, 2);
	ck_assert_uint_eq(cib->resources->len, 2);
	g = cib_find_rsc(cib, "g");
	ck_assert_int_eq(g->kind, CIB_GROUP);
	ck_assert_uint_eq(g->children->len, 2);
	ck_assert_ptr_eq(cib_find_rsc(cib, "b")->parent, g);
	ck_assert_uint_eq(cib_find_rsc(cib, "a")->ops->len, 1);
	ck_assert_uint_eq(((struct cib_op_cfg *)g_ptr_array_index(
				   cib_find_rsc(cib, "a")->ops, 0))
				  ->interval_ms,
			  10000);
	ck_assert_int_eq(
		((struct cib_location *)g_ptr_array_index(cib->locations, 0))
			->score,
		100);
	ck_assert_int_eq(
		((struct cib_order *)g_ptr_array_index(cib->orders, 0))->kind,
		CIB_ORDER_OPTIONAL);
	ck_assert(!cib->stonith_enabled);
	cib_free(cib);
	g_ptr_array_free(d, TRUE);
}
END_TEST

START_TEST(test_bad_input)
{
	static const struct {
		const char *xml;
		const char *message;
	} cases[] = {
		{CONFIG(DUMMY("r1") DUMMY("r1"), "") "</cib>",
		 "duplicate id 'r1'"},
		{CONFIG(DUMMY("r1"), "<rsc_colocation id='c' rsc='r1' "
				     "with-rsc='nope' score='10'/>") "</cib>",
		 "'nope' names a resource that does not exist"},
		{CONFIG(DUMMY("r1"), "<rsc_location id='l' rsc='r1' "
				     "node='node1' score='lots'/>") "</cib>",
		 "bad score"},
		{CONFIG("<primitive id='x' class='ocf' type='D'><operations>"
			"<op id='m' name='monitor' "
			"interval='soon'/></operations>"
			"</primitive>",
			"") "</cib>",
		 "bad interval"},
		{CONFIG("<primitive class='ocf' type='D'/>", "") "</cib>",
		 "missing id"},
		{CONFIG("<bundle id='b'/>", "") "</cib>", "not supported"},
		{"<cib><configuration><nodes>", "XML syntax"},
		{"<html><body/></html>", "not a CIB"},
		{"\x01\x02garbage", "XML syntax"},
		{"<cib><status/></cib>", "no <configuration>"},
		{CONFIG(DUMMY("a") DUMMY("b"),
			"<rsc_order id='o1' "
			"first='a' then='b'/><rsc_order id='o2' first='b' "
			"then='a'/>") "</cib>",
		 "the orderings form a loop"},
	};
	guint i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		GPtrArray *d = g_ptr_array_new_with_free_func(
			(GDestroyNotify)cib_diag_free);
		int rc;
		struct cib *cib = load(cases[i].xml, d, &rc);

		ck_assert_msg(rc != 0, "case %u loaded", i);
		ck_assert_ptr_null(cib);
		ck_assert_msg(diag_has(d, cases[i].message, 0),
			      "case %u: no '%s'", i, cases[i].message);
		g_ptr_array_free(d, TRUE);
	}
}
END_TEST

START_TEST(test_error_line)
{
	GPtrArray *d =
		g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
	int rc;
	struct cib *cib =
		load("<cib><configuration>\n<nodes/>\n"
		     "<resources>\n<primitive id='a' class='ocf' type='D'/>\n"
		     "<primitive id='a' class='ocf' type='D'/>\n</resources>\n"
		     "</configuration></cib>",
		     d, &rc);

	ck_assert_int_ne(rc, 0);
	ck_assert_ptr_null(cib);
	ck_assert(diag_has(d, "duplicate id 'a'", 5));
	g_ptr_array_free(d, TRUE);
}
END_TEST

START_TEST(test_history)
{
	GPtrArray *d =
		g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
	int rc;
	/* r1: probed, started, monitor failed (call order shuffled in the
	 * document: call-id decides). r2: started then stopped. */
	struct cib *cib = load(
		CONFIG(DUMMY("r1") DUMMY("r2"), "") "<status>" UP(
			"1", "node1",
			"<lrm_resource id='r1' class='ocf' "
			"type='Dummy'>" OP("r1_mon", "monitor", "10000", "3",
					   "7", "0") OP("r1_probe", "monitor",
							"0", "1", "7", "7")
				OP("r1_start", "start", "0", "2", "0",
				   "0") "</lrm_resource><lrm_resource "
					"id='r2' class='ocf' "
					"type='Dummy'>" OP("r2_stop", "stop",
							   "0", "5", "0", "0")
						OP("r2_start", "start", "0",
						   "4", "0",
						   "0") "</lrm_resource>",
			"<nvpair id='f1' "
			"name='fail-count-r1#monitor_10000' value='2'/>"
			"<nvpair id='f2' name='fail-count-r1' value='1'/>"
			"<nvpair id='f3' name='last-failure-r1' "
			"value='1000'/>") "</status></cib>",
		d, &rc);
	struct cib_node *n1;
	struct cib_rsc_state *st;
	int64_t last;

	ck_assert_int_eq(rc, 0);
	cib_history_derive(cib, 2000);
	n1 = cib_find_node(cib, "node1");
	ck_assert(n1->online);
	ck_assert(!cib_find_node(cib, "node2")->online);
	st = cib_rsc_state(cib, cib_find_rsc(cib, "r1"), n1);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(st->role, CIB_ROLE_STARTED);
	ck_assert(st->failed);
	ck_assert(st->need_stop);
	st = cib_rsc_state(cib, cib_find_rsc(cib, "r2"), n1);
	ck_assert_int_eq(st->role, CIB_ROLE_STOPPED);
	ck_assert(!st->failed);
	ck_assert_int_eq(cib_fail_count(n1, cib_find_rsc(cib, "r1"), &last), 3);
	ck_assert_int_eq(last, 1000);
	ck_assert_int_eq(cib_fail_count(n1, cib_find_rsc(cib, "r2"), NULL), 0);
	/* a simulated stop supersedes the failure */
	cib_lrm_append(cib, n1, cib_find_rsc(cib, "r1"), "stop", 0, 0,
		       CIB_EXEC_DONE);
	cib_history_derive(cib, 2000);
	st = cib_rsc_state(cib, cib_find_rsc(cib, "r1"), n1);
	ck_assert_int_eq(st->role, CIB_ROLE_STOPPED);
	ck_assert(!st->failed);
	cib_free(cib);
	g_ptr_array_free(d, TRUE);
}
END_TEST

START_TEST(test_clone_instances)
{
	GPtrArray *d =
		g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
	int rc;
	struct cib *cib = load(
		CONFIG("<clone id='c'><meta_attributes "
		       "id='cm'><nvpair id='cm1' name='clone-max' value='2'/>"
		       "</meta_attributes>" DUMMY("d") "</clone>",
		       "") "<status>" UP("2", "node2",
					 "<lrm_resource id='d:5' class='ocf' "
					 "type='Dummy'>" OP(
						 "d_start", "start", "0", "2",
						 "0", "0") "</lrm_resource>",
					 "") "</status></cib>",
		d, &rc);
	struct cib_rsc *c;

	ck_assert_int_eq(rc, 0);
	c = cib_find_rsc(cib, "c");
	ck_assert_uint_eq(c->children->len, 2);
	ck_assert_str_eq(
		((struct cib_rsc *)g_ptr_array_index(c->children, 1))->id,
		"d:1");
	cib_history_derive(cib, 0);
	/* the history of "d:5" belongs to the first free instance */
	ck_assert_int_eq(cib_rsc_state(cib, cib_find_rsc(cib, "d:0"),
				       cib_find_node(cib, "node2"))
				 ->role,
			 CIB_ROLE_STARTED);
	cib_free(cib);
	g_ptr_array_free(d, TRUE);
}
END_TEST

static Suite *
cib_suite(void)
{
	Suite *s = suite_create("cib");
	TCase *tc = tcase_create("model");

	tcase_add_test(tc, test_scores_and_intervals);
	tcase_add_test(tc, test_model);
	tcase_add_test(tc, test_bad_input);
	tcase_add_test(tc, test_error_line);
	tcase_add_test(tc, test_history);
	tcase_add_test(tc, test_clone_instances);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cib_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
