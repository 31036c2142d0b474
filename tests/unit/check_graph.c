/*
 * check_graph.c - unit tests for lib/graph: building, loop detection,
 * the walker (ready / done / failed / abort) and serialisation.
 */
#include <check.h>
#include <string.h>

#include "fo/graph.h"

static struct graph *
chain(void)
{
	struct graph *g = graph_new();

	/* 0 stop -> 1 start -> 2 monitor; 3 independent */
	graph_add(g, GRAPH_RSC_OP, g_strdup("r_stop_0"), g_strdup("stop"),
		  g_strdup("r"), g_strdup("n1"), 0);
	graph_add(g, GRAPH_RSC_OP, g_strdup("r_start_0"), g_strdup("start"),
		  g_strdup("r"), g_strdup("n2"), 0);
	graph_add(g, GRAPH_RSC_OP, g_strdup("r_monitor_10000"),
		  g_strdup("monitor"), g_strdup("r"), g_strdup("n2"), 10000);
	graph_add(g, GRAPH_PSEUDO, g_strdup("grp_start_0"), g_strdup("start"),
		  NULL, NULL, 0);
	graph_add_input(g, 1, 0);
	graph_add_input(g, 2, 1);
	graph_add_input(g, 2, 1);  /* duplicate ignored */
	graph_add_input(g, 2, 99); /* bad id ignored */
	return g;
}

START_TEST(test_walk)
{
	struct graph *g = chain();
	GPtrArray *ready = g_ptr_array_new();

	ck_assert_uint_eq(
		((struct graph_action *)g_ptr_array_index(g->actions, 2))
			->n_inputs,
		1);
	ck_assert_uint_eq(graph_ready(g, ready), 2);
	ck_assert_int_eq(
		((struct graph_action *)g_ptr_array_index(ready, 0))->id, 0);
	ck_assert_int_eq(
		((struct graph_action *)g_ptr_array_index(ready, 1))->id, 3);
	ck_assert_int_eq(graph_mark(g, 0, GRAPH_DONE), 0);
	ck_assert_int_eq(graph_mark(g, 3, GRAPH_DONE), 0);
	ck_assert_uint_eq(graph_ready(g, ready), 1);
	ck_assert_int_eq(
		((struct graph_action *)g_ptr_array_index(ready, 0))->id, 1);
	ck_assert(!graph_complete(g));
	ck_assert_int_ne(graph_mark(g, 42, GRAPH_DONE), 0);
	/* a failure aborts: the monitor is skipped, nothing is ready */
	ck_assert_int_eq(graph_mark(g, 1, GRAPH_FAILED), 0);
	ck_assert(g->aborted);
	ck_assert_uint_eq(graph_ready(g, ready), 0);
	ck_assert(graph_complete(g));
	ck_assert_int_eq(
		((struct graph_action *)g_ptr_array_index(g->actions, 2))
			->state,
		GRAPH_SKIPPED);
	g_ptr_array_free(ready, TRUE);
	graph_free(g);
}
END_TEST

START_TEST(test_loop)
{
	struct graph *g = chain();
	char *loop;

	ck_assert_ptr_null(graph_find_loop(g));
	graph_add_input(g, 0, 2); /* stop waits for the monitor */
	loop = graph_find_loop(g);
	ck_assert_ptr_nonnull(loop);
	ck_assert_ptr_nonnull(strstr(loop, "r_stop_0"));
	ck_assert_ptr_nonnull(strstr(loop, "r_monitor_10000"));
	g_free(loop);
	graph_free(g);
}
END_TEST

START_TEST(test_serialise)
{
	struct graph *g = chain();
	char *x = graph_to_xml(g), *d = graph_to_dot(g);

	ck_assert_ptr_nonnull(strstr(x, "<transition_graph"));
	ck_assert_ptr_nonnull(strstr(x, "operation_key=\"r_start_0\""));
	ck_assert_ptr_nonnull(strstr(x, "<pseudo_event"));
	ck_assert_ptr_nonnull(strstr(x, "CRM_meta_interval=\"10000\""));
	ck_assert_ptr_nonnull(strstr(d, "\"r_stop_0 n1\" -> \"r_start_0 n2\""));
	g_free(x);
	g_free(d);
	graph_free(g);
	graph_free(NULL);
}
END_TEST

/* The whole text, escaping included, written out by hand from
 * Pacemaker's transition graph shape: shared strings (the node) and
 * values that need escaping go through different paths of the
 * writer. */
START_TEST(test_serialise_exact)
{
	struct graph *g = graph_new_pooled();
	struct graph_action *a;
	char *x;
	const char *want =
		"<?xml version=\"1.0\"?>\n"
		"<transition_graph transition_id=\"0\">\n"
		"  <synapse id=\"0\">\n"
		"    <action_set>\n"
		"      <rsc_op id=\"0\" operation=\"monitor\" "
		"operation_key=\"a&amp;b_monitor_0\" on_node=\"n&quot;1\" "
		"on_node_uuid=\"1\">\n"
		"        <primitive id=\"a&amp;b:0\" long-id=\"a&amp;b\" "
		"class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>\n"
		"        <attributes CRM_meta_interval=\"0\" "
		"CRM_meta_op_target_rc=\"7\"/>\n"
		"      </rsc_op>\n"
		"    </action_set>\n"
		"    <inputs>\n"
		"    </inputs>\n"
		"  </synapse>\n"
		"  <synapse id=\"1\">\n"
		"    <action_set>\n"
		"      <crm_event id=\"1\" operation=\"clear_failcount\" "
		"operation_key=\"r_clear_failcount_0\" on_node=\"n&quot;1\" "
		"on_node_uuid=\"1\">\n"
		"        <attributes CRM_meta_interval=\"0\" "
		"CRM_meta_rsc=\"r&lt;1&gt;\"/>\n"
		"      </crm_event>\n"
		"    </action_set>\n"
		"    <inputs>\n"
		"      <trigger>\n"
		"        <rsc_op id=\"0\" operation=\"monitor\" "
		"operation_key=\"a&amp;b_monitor_0\" on_node=\"n&quot;1\" "
		"on_node_uuid=\"1\"/>\n"
		"      </trigger>\n"
		"      <trigger>\n"
		"        <pseudo_event id=\"2\" operation=\"start\" "
		"operation_key=\"g_start_0\"/>\n"
		"      </trigger>\n"
		"    </inputs>\n"
		"  </synapse>\n"
		"  <synapse id=\"2\">\n"
		"    <action_set>\n"
		"      <pseudo_event id=\"2\" operation=\"start\" "
		"operation_key=\"g_start_0\">\n"
		"        <attributes CRM_meta_interval=\"1234567890123\"/>\n"
		"      </pseudo_event>\n"
		"    </action_set>\n"
		"    <inputs>\n"
		"    </inputs>\n"
		"  </synapse>\n"
		"</transition_graph>\n";

	a = graph_add(g, GRAPH_RSC_OP, graph_strdup_once(g, "a&b_monitor_0"),
		      graph_strdup(g, "monitor"), graph_strdup(g, "a&b:0"),
		      graph_strdup(g, "n\"1"), 0);
	a->node_id = graph_strdup(g, "1");
	a->rsc_long = graph_strdup(g, "a&b");
	a->rsc_class = graph_strdup(g, "ocf");
	a->rsc_provider = graph_strdup(g, "heartbeat");
	a->rsc_type = graph_strdup(g, "Dummy");
	a->target_rc = 7;
	a = graph_add(g, GRAPH_CRM, graph_strdup_once(g, "r_clear_failcount_0"),
		      graph_strdup(g, "clear_failcount"), NULL,
		      graph_strdup(g, "n\"1"), 0);
	a->node_id = graph_strdup(g, "1");
	a->extra = graph_strdup(g, "r<1>");
	graph_add(g, GRAPH_PSEUDO, graph_strdup_once(g, "g_start_0"),
		  graph_strdup(g, "start"), NULL, NULL, 1234567890123ull);
	graph_add_input(g, 1, 0);
	graph_add_input(g, 1, 2);
	x = graph_to_xml(g);
	ck_assert_str_eq(x, want);
	g_free(x);
	graph_free(g);
}
END_TEST

static Suite *
graph_suite(void)
{
	Suite *s = suite_create("graph");
	TCase *tc = tcase_create("graph");

	tcase_add_test(tc, test_walk);
	tcase_add_test(tc, test_loop);
	tcase_add_test(tc, test_serialise);
	tcase_add_test(tc, test_serialise_exact);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(graph_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
