/*
 * check_safety.c - unit tests for the DC's recovery rule (crmd/dc/safety):
 * expected verdicts derived by hand from DESIGN.md "Safety".
 */
#include <check.h>

#include "fo/safety.h"

static const struct safety_config cfg_stop = {
	.token_ms = 1000,
	.consensus_ms = 1200,
	.max_stop_ms = 20000,
	.stop_grace_ms = -1,
	.fencing = false,
	.policy = SAFETY_NQ_STOP,
};

START_TEST(test_default_grace_formula)
{
	struct safety_config c = cfg_stop;

	/* 2 x (1000 + 1200) + 20000 + 2000 */
	ck_assert_uint_eq(safety_grace_ms(&c), 26400);
	c.stop_grace_ms = 0;
	ck_assert_uint_eq(safety_grace_ms(&c), 0);
	c.stop_grace_ms = 5000;
	ck_assert_uint_eq(safety_grace_ms(&c), 5000);
}
END_TEST

START_TEST(test_membership_loss_waits_for_grace)
{
	struct safety *s = safety_new();
	gint64 at = 0;

	ck_assert_int_eq(safety_check(s, &cfg_stop, 2, 0, NULL), SAFETY_SAFE);
	safety_lost(s, 2, SAFETY_LEFT_MEMBERSHIP, 1000);
	ck_assert_int_eq(safety_check(s, &cfg_stop, 2, 1000, &at), SAFETY_WAIT);
	ck_assert_int_eq(at, 1000 + 26400);
	ck_assert_int_eq(safety_check(s, &cfg_stop, 2, 27399, NULL),
			 SAFETY_WAIT);
	ck_assert_int_eq(safety_check(s, &cfg_stop, 2, 27400, NULL),
			 SAFETY_SAFE);
	ck_assert_int_eq(safety_next_deadline(s, &cfg_stop, 2000), 27400);
	/* Losing it again (a second view change) does not restart the clock. */
	safety_lost(s, 2, SAFETY_LEFT_MEMBERSHIP, 20000);
	ck_assert_int_eq(safety_check(s, &cfg_stop, 2, 27400, NULL),
			 SAFETY_SAFE);
	safety_back(s, 2);
	ck_assert_int_eq(safety_next_deadline(s, &cfg_stop, 2000), -1);
	safety_free(s);
}
END_TEST

START_TEST(test_grace_zero_is_immediate)
{
	struct safety_config c = cfg_stop;
	struct safety *s = safety_new();

	c.stop_grace_ms = 0;
	safety_lost(s, 3, SAFETY_LEFT_MEMBERSHIP, 500);
	ck_assert_int_eq(safety_check(s, &c, 3, 500, NULL), SAFETY_SAFE);
	safety_free(s);
}
END_TEST

START_TEST(test_clean_leave_is_final)
{
	struct safety *s = safety_new();

	safety_lost(s, 2, SAFETY_LEFT_CLEAN, 100);
	ck_assert_int_eq(safety_check(s, &cfg_stop, 2, 100, NULL), SAFETY_SAFE);
	/* Its corosync stopping afterwards does not make it unclean. */
	safety_lost(s, 2, SAFETY_LEFT_MEMBERSHIP, 200);
	ck_assert_int_eq(safety_check(s, &cfg_stop, 2, 200, NULL), SAFETY_SAFE);
	safety_free(s);
}
END_TEST

START_TEST(test_daemon_loss_blocks_until_back_or_fenced)
{
	struct safety *s = safety_new();

	safety_lost(s, 2, SAFETY_LEFT_DAEMON, 0);
	ck_assert_int_eq(safety_check(s, &cfg_stop, 2, 1000000000, NULL),
			 SAFETY_BLOCKED);
	/* Its node then leaving the membership changes nothing: no daemon
	 * there stops its resources. */
	safety_lost(s, 2, SAFETY_LEFT_MEMBERSHIP, 10);
	ck_assert_int_eq(safety_check(s, &cfg_stop, 2, 1000000000, NULL),
			 SAFETY_BLOCKED);
	ck_assert_int_eq(safety_next_deadline(s, &cfg_stop, 0), -1);
	safety_fenced(s, 2);
	ck_assert_int_eq(safety_check(s, &cfg_stop, 2, 11, NULL), SAFETY_SAFE);
	safety_free(s);
}
END_TEST

START_TEST(test_freeze_and_ignore_need_fencing)
{
	struct safety_config c = cfg_stop;
	struct safety *s = safety_new();

	safety_lost(s, 4, SAFETY_LEFT_MEMBERSHIP, 0);
	c.policy = SAFETY_NQ_FREEZE;
	ck_assert_int_eq(safety_check(s, &c, 4, 1000000000, NULL),
			 SAFETY_BLOCKED);
	c.policy = SAFETY_NQ_IGNORE;
	ck_assert_int_eq(safety_check(s, &c, 4, 1000000000, NULL),
			 SAFETY_BLOCKED);
	safety_fenced(s, 4);
	ck_assert_int_eq(safety_check(s, &c, 4, 0, NULL), SAFETY_SAFE);
	safety_free(s);
}
END_TEST

START_TEST(test_next_deadline_is_earliest)
{
	struct safety *s = safety_new();

	safety_lost(s, 5, SAFETY_LEFT_MEMBERSHIP, 3000);
	safety_lost(s, 6, SAFETY_LEFT_MEMBERSHIP, 1000);
	safety_lost(s, 7, SAFETY_LEFT_DAEMON, 0);
	ck_assert_int_eq(safety_next_deadline(s, &cfg_stop, 0), 27400);
	safety_free(s);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("safety");
	TCase *tc = tcase_create("rule");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_default_grace_formula);
	tcase_add_test(tc, test_membership_loss_waits_for_grace);
	tcase_add_test(tc, test_grace_zero_is_immediate);
	tcase_add_test(tc, test_clean_leave_is_final);
	tcase_add_test(tc, test_daemon_loss_blocks_until_back_or_fenced);
	tcase_add_test(tc, test_freeze_and_ignore_need_fencing);
	tcase_add_test(tc, test_next_deadline_is_earliest);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
