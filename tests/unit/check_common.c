/*
 * check_common.c - unit tests for lib/common (error text).
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "fo/common.h"

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

static Suite *
common_suite(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("strerror");

	tcase_add_test(tc, test_strerror_codes);
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
