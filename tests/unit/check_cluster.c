/*
 * check_cluster.c - unit tests for the cluster layer's view state machine
 * and its cs_error_t translation (crmd/cluster), without corosync.
 *
 * The callback sequences below are the ones CPG-FACTS.md recorded on real
 * corosync 3.1.7 (join, crash, partition with the quorum-lag gap, merge,
 * back-to-back confchgs, totem change without a confchg).
 */
#include <check.h>
#include <errno.h>

#include "cluster_private.h"

#define A(n, p, r) { .nodeid = (n), .pid = (p), .reason = (r) }
#define RING(n, s) ((struct fo_ring_id){ .nodeid = (n), .seq = (s) })
#define NONE NULL, 0

static struct cluster__state st;

static void
setup_self(uint32_t nodeid, uint32_t pid)
{
	cluster__state_init(&st, nodeid, pid);
}

static void
teardown(void)
{
	cluster__state_clear(&st);
}

/* Bring node `self` into a complete, quorate 3-node view on ring 1.8. */
static void
three_nodes(uint32_t self)
{
	static const struct cpg_address m[] = {
		A(1, 10, 0), A(2, 20, 0), A(3, 30, 0)
	};
	const struct cpg_address j[] = { A(self, self * 10, 1) };

	setup_self(self, self * 10);
	ck_assert_int_eq(cluster__state_confchg(&st, m, 3, NONE, j, 1),
	    CLUSTER_NO_EVENT);
	ck_assert(!cluster__state_complete(&st));
	ck_assert_int_eq(cluster__state_totem(&st, RING(1, 8)), CLUSTER_VIEW);
	cluster__state_quorum(&st, true, RING(1, 8));
	ck_assert(cluster__state_quorate(&st));
}

START_TEST(test_first_join)
{
	static const struct cpg_address m[] = { A(1, 10, 0) };
	static const struct cpg_address j[] = { A(1, 10, 1) };

	setup_self(1, 10);
	ck_assert(!cluster__state_is_dc(&st));
	/* Own join: the ring comes with the totem callback that follows. */
	ck_assert_int_eq(cluster__state_confchg(&st, m, 1, NONE, j, 1),
	    CLUSTER_NO_EVENT);
	cluster__state_quorum(&st, true, RING(1, 4));
	ck_assert(!cluster__state_is_dc(&st));
	ck_assert_int_eq(cluster__state_totem(&st, RING(1, 4)), CLUSTER_VIEW);
	ck_assert(cluster__state_is_dc(&st));
	ck_assert_uint_eq(cluster__state_dc(&st), 1);
	/* The same totem again is not a new view. */
	ck_assert_int_eq(cluster__state_totem(&st, RING(1, 4)),
	    CLUSTER_NO_EVENT);
	teardown();
}
END_TEST

START_TEST(test_restarted_node_alone)
{
	static const struct cpg_address m[] = { A(3, 30, 0) };
	static const struct cpg_address j[] = { A(3, 30, 1) };

	/* A restarted node first forms a one-node ring, inquorate: lowest
	 * id of its view, but never DC. */
	setup_self(3, 30);
	cluster__state_confchg(&st, m, 1, NONE, j, 1);
	ck_assert_int_eq(cluster__state_totem(&st, RING(3, 20)),
	    CLUSTER_VIEW);
	cluster__state_quorum(&st, false, RING(3, 20));
	ck_assert(!cluster__state_is_dc(&st));
	ck_assert_uint_eq(cluster__state_dc(&st), 0);
	teardown();
}
END_TEST

START_TEST(test_three_nodes_dc)
{
	three_nodes(1);
	ck_assert(cluster__state_is_dc(&st));
	teardown();
	three_nodes(2);
	ck_assert(!cluster__state_is_dc(&st));
	ck_assert_uint_eq(cluster__state_dc(&st), 1);
	teardown();
}
END_TEST

START_TEST(test_minority_gap)
{
	static const struct cpg_address m[] = { A(3, 30, 0) };
	static const struct cpg_address l[] = { A(1, 10, 3), A(2, 20, 3) };

	three_nodes(3);
	ck_assert(!cluster__state_is_dc(&st));
	/* Partition: the minority's confchg puts it alone, while the last
	 * quorum callback (ring 1.8) still says quorate. Not DC. */
	ck_assert_int_eq(cluster__state_confchg(&st, m, 1, l, 2, NONE),
	    CLUSTER_NO_EVENT);
	ck_assert(!cluster__state_is_dc(&st));
	ck_assert_uint_eq(cluster__state_dc(&st), 0);
	ck_assert_int_eq(cluster__state_totem(&st, RING(3, 12)),
	    CLUSTER_VIEW);
	ck_assert(!cluster__state_is_dc(&st));	/* quorum ring is 1.8 */
	cluster__state_quorum(&st, false, RING(3, 12));
	ck_assert(!cluster__state_is_dc(&st));
	/* A late quorate callback for the old ring changes nothing. */
	cluster__state_quorum(&st, true, RING(1, 8));
	ck_assert(!cluster__state_is_dc(&st));
	teardown();
}
END_TEST

START_TEST(test_dc_crash)
{
	static const struct cpg_address m[] = { A(2, 20, 0), A(3, 30, 0) };
	static const struct cpg_address l[] = { A(1, 10, 3) };

	three_nodes(2);
	ck_assert_int_eq(cluster__state_confchg(&st, m, 2, l, 1, NONE),
	    CLUSTER_NO_EVENT);
	ck_assert(!cluster__state_is_dc(&st));
	ck_assert_int_eq(cluster__state_totem(&st, RING(2, 12)),
	    CLUSTER_VIEW);
	ck_assert(!cluster__state_is_dc(&st));
	cluster__state_quorum(&st, true, RING(2, 12));
	ck_assert(cluster__state_is_dc(&st));
	teardown();
}
END_TEST

START_TEST(test_process_leave_same_ring)
{
	static const struct cpg_address m[] = { A(1, 10, 0), A(3, 30, 0) };
	static const struct cpg_address l[] = { A(2, 20, 5) };
	static const struct cpg_address m3[] = {
		A(1, 10, 0), A(2, 21, 0), A(3, 30, 0)
	};
	static const struct cpg_address j[] = { A(2, 21, 1) };

	three_nodes(1);
	/* fo-crmd died on node 2, corosync stayed: no totem change, so the
	 * view is complete at once and quorum still holds for it. */
	ck_assert_int_eq(cluster__state_confchg(&st, m, 2, l, 1, NONE),
	    CLUSTER_VIEW);
	ck_assert(cluster__state_is_dc(&st));
	ck_assert_int_eq(cluster__state_confchg(&st, m3, 3, NONE, j, 1),
	    CLUSTER_VIEW);
	ck_assert_uint_eq(st.members->len, 3);
	ck_assert(cluster__state_is_dc(&st));
	teardown();
}
END_TEST

START_TEST(test_back_to_back)
{
	static const struct cpg_address m2[] = { A(1, 10, 0), A(2, 20, 0) };
	static const struct cpg_address l[] = { A(3, 30, 3) };
	static const struct cpg_address m3[] = {
		A(1, 10, 0), A(2, 20, 0), A(3, 30, 0)
	};
	static const struct cpg_address j[] = { A(3, 30, 4) };

	three_nodes(1);
	ck_assert_int_eq(cluster__state_confchg(&st, m2, 2, l, 1, NONE),
	    CLUSTER_NO_EVENT);
	ck_assert_int_eq(cluster__state_confchg(&st, m3, 3, NONE, j, 1),
	    CLUSTER_NO_EVENT);
	ck_assert_int_eq(cluster__state_totem(&st, RING(1, 16)),
	    CLUSTER_VIEW);
	ck_assert_uint_eq(st.members->len, 3);
	ck_assert(!cluster__state_is_dc(&st));
	cluster__state_quorum(&st, true, RING(1, 16));
	ck_assert(cluster__state_is_dc(&st));
	teardown();
}
END_TEST

START_TEST(test_totem_only)
{
	three_nodes(1);
	/* Token loss with the same members: new ring, no confchg. */
	ck_assert_int_eq(cluster__state_totem(&st, RING(1, 19)),
	    CLUSTER_VIEW);
	ck_assert(!cluster__state_is_dc(&st));
	cluster__state_quorum(&st, true, RING(1, 19));
	ck_assert(cluster__state_is_dc(&st));
	teardown();
}
END_TEST

START_TEST(test_evicted_and_unsorted)
{
	static const struct cpg_address m[] = { A(1, 10, 0), A(2, 20, 0) };
	static const struct cpg_address l[] = { A(3, 30, 2) };
	static const struct cpg_address un[] = {
		A(3, 30, 0), A(1, 12, 0), A(1, 11, 0)
	};
	static const struct cpg_address j[] = { A(1, 11, 1) };
	const struct cluster_member *mm;

	three_nodes(3);
	ck_assert_int_eq(cluster__state_confchg(&st, m, 2, l, 1, NONE),
	    CLUSTER_EVICTED);
	teardown();
	/* Two processes on node 1: only the lowest (nodeid, pid) is DC. */
	setup_self(1, 12);
	cluster__state_confchg(&st, un, 3, NONE, j, 1);
	cluster__state_totem(&st, RING(1, 30));
	cluster__state_quorum(&st, true, RING(1, 30));
	mm = (const struct cluster_member *)(const void *)st.members->data;
	ck_assert_uint_eq(mm[0].pid, 11);
	ck_assert_uint_eq(mm[1].pid, 12);
	ck_assert_uint_eq(mm[2].nodeid, 3);
	ck_assert(!cluster__state_is_dc(&st));
	ck_assert_uint_eq(cluster__state_dc(&st), 1);
	teardown();
}
END_TEST

START_TEST(test_reset)
{
	three_nodes(1);
	ck_assert(cluster__state_is_dc(&st));
	cluster__state_reset(&st);
	ck_assert(!cluster__state_complete(&st));
	ck_assert(!cluster__state_is_dc(&st));
	ck_assert_uint_eq(st.nodeid, 1);
	teardown();
}
END_TEST

START_TEST(test_errno)
{
	ck_assert_int_eq(cluster__errno(CS_OK), 0);
	ck_assert_int_eq(CS_OK, 1);
	ck_assert_int_eq(cluster__errno(CS_ERR_LIBRARY), -ENOTCONN);
	ck_assert_int_eq(cluster__errno(CS_ERR_TRY_AGAIN), -EAGAIN);
	ck_assert_int_eq(cluster__errno(CS_ERR_BAD_HANDLE), -EBADF);
	ck_assert_int_eq(cluster__errno(CS_ERR_EXIST), -EEXIST);
	ck_assert_int_eq(cluster__errno(CS_ERR_INTERRUPT), -EINTR);
	ck_assert_int_eq(cluster__errno(CS_ERR_NAME_TOO_LONG), -ENAMETOOLONG);
	ck_assert_int_eq(cluster__errno((cs_error_t)999), -EIO);
}
END_TEST

static Suite *
cluster_suite(void)
{
	Suite *s = suite_create("cluster");
	TCase *tc = tcase_create("view");

	tcase_add_test(tc, test_first_join);
	tcase_add_test(tc, test_restarted_node_alone);
	tcase_add_test(tc, test_three_nodes_dc);
	tcase_add_test(tc, test_minority_gap);
	tcase_add_test(tc, test_dc_crash);
	tcase_add_test(tc, test_process_leave_same_ring);
	tcase_add_test(tc, test_back_to_back);
	tcase_add_test(tc, test_totem_only);
	tcase_add_test(tc, test_evicted_and_unsorted);
	tcase_add_test(tc, test_reset);
	tcase_add_test(tc, test_errno);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cluster_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
