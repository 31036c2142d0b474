/*
 * check_digest.c - fo_op_digest() against digests Pacemaker 2.1.5 wrote.
 *
 * The expected values are the op-digest attributes crm_simulate recorded
 * in examples/web-active-*.xml (made by `crm_simulate -x ...-config.xml
 * -S -O ...`, see examples/README.md) for the parameters in those files.
 */
#include <check.h>
#include <stdint.h>

#include "fo/digest.h"

static GHashTable *
params(const char *const *kv)
{
	GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);

	for (int i = 0; kv[i]; i += 2)
		g_hash_table_insert(h, (gpointer)(uintptr_t)kv[i],
				    (gpointer)(uintptr_t)kv[i + 1]);
	return h;
}

static void
check(const char *const *kv, const char *timeout, const char *want)
{
	GHashTable *h = params(kv);
	char *got = fo_op_digest(h, timeout);

	ck_assert_str_eq(got, want);
	g_free(got);
	g_hash_table_destroy(h);
}

START_TEST(test_pacemaker_digests)
{
	static const char *const ip[] = {"ip", "10.213.0.100", "cidr_netmask",
					 "24", NULL};
	static const char *const web[] = {"command",
					  "python3 -m http.server 8080",
					  "pidfile", "/run/fo-web.pid", NULL};
	static const char *const api[] = {"command",
					  "python3 -m http.server 8081", NULL};

	/* start and probe: no timeout in the operation definition */
	check(ip, NULL, "98aa3af9a47575ed0f0b9e6b3599119e");
	/* monitor interval=10s timeout=20s */
	check(ip, "20000", "7429aa287c2751dc775c911817aa2f06");
	check(web, NULL, "3765ed214ce363d1d3183617519c88ea");
	check(web, "20000", "c853c2b455276d1a2c050ee9e1b26d21");
	check(api, NULL, "25e13b62d2b999c01214d94871d8bb2f");
	check(api, "20000", "1474fae143acde5f17c0af2c42b97ec6");
}
END_TEST

START_TEST(test_order_and_escaping)
{
	static const char *const a[] = {"b", "1", "a", "2", NULL};
	static const char *const b[] = {"a", "2", "b", "1", NULL};
	static const char *const q[] = {"x", "say \"hi\" & <bye>", NULL};
	GHashTable *ha = params(a), *hb = params(b), *hq = params(q);
	char *da = fo_op_digest(ha, NULL), *db = fo_op_digest(hb, NULL);
	char *dq = fo_op_digest(hq, NULL);
	char *want = g_compute_checksum_for_string(
		G_CHECKSUM_MD5,
		" <parameters x=\"say &quot;hi&quot; &amp; &lt;bye&gt;\"/>\n",
		-1);

	ck_assert_str_eq(da, db);
	ck_assert_str_eq(dq, want);
	g_free(da);
	g_free(db);
	g_free(dq);
	g_free(want);
	g_hash_table_destroy(ha);
	g_hash_table_destroy(hb);
	g_hash_table_destroy(hq);
}
END_TEST

/*
 * Values with characters XML escapes. Expected digests: crm_simulate
 * 2.1.5 on examples/web-active-passive-config.xml with web-server's
 * command changed, `crm_simulate -x F -S -O OUT`, the op-digest of
 * web-server's start and 10 s monitor in OUT. The command was
 * "py&#10;x&#9;y&#13;z" (newline, tab, carriage return) and
 * "a'b&amp;c&lt;d&gt;e&quot;f" in the CIB. Pacemaker writes a newline
 * as backslash-n, a tab as four spaces, an apostrophe as &apos;.
 */
START_TEST(test_pacemaker_escaping)
{
	static const char *const ctl[] = {"command", "py\nx\ty\rz", "pidfile",
					  "/run/fo-web.pid", NULL};
	static const char *const ent[] = {"command", "a'b&c<d>e\"f", "pidfile",
					  "/run/fo-web.pid", NULL};

	check(ctl, NULL, "3b11adb11b75827f3879747ac4941e52");
	check(ctl, "20000", "b90a6af225e135a5912ef9d428a4b1f0");
	check(ent, NULL, "c1807e2284bcad6662aa96fdf32d5341");
	check(ent, "20000", "f1b9dbb0f93371846c132e915d7ee905");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("digest");
	TCase *tc = tcase_create("op-digest");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_pacemaker_digests);
	tcase_add_test(tc, test_order_and_escaping);
	tcase_add_test(tc, test_pacemaker_escaping);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
