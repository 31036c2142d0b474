/*
 * check_store.c - unit tests for lib/store: atomic versioned CIB files,
 * digest checks, corrupt files set aside, pruning, history.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fo/common.h"
#include "fo/store.h"

static char *tmpdir;

static void
setup(void)
{
	GError *err = NULL;

	tmpdir = g_dir_make_tmp("check_store-XXXXXX", &err);
	ck_assert_ptr_nonnull(tmpdir);
}

static void
rm_rf(const char *dir)
{
	const char *name;
	GDir *d = g_dir_open(dir, 0, NULL);

	if (d == NULL)
		return;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree char *p = g_build_filename(dir, name, NULL);

		unlink(p);
	}
	g_dir_close(d);
	rmdir(dir);
}

static void
teardown(void)
{
	rm_rf(tmpdir);
	g_free(tmpdir);
}

static int
count_files(const char *pattern)
{
	g_autofree char *pat = g_build_filename(tmpdir, pattern, NULL);
	glob_t g;
	int n;

	if (glob(pat, 0, NULL, &g) != 0)
		return 0;
	n = (int)g.gl_pathc;
	globfree(&g);
	return n;
}

static void
save(struct cib_store *s, const char *xml, guint64 want)
{
	guint64 serial = 0;

	ck_assert_int_eq(cib_store_save(s, xml, strlen(xml), &serial), 0);
	ck_assert_uint_eq(serial, want);
}

START_TEST(test_save_load_roundtrip)
{
	struct cib_store *s = NULL;
	char *xml = NULL;
	size_t len = 0;
	unsigned bad = 99;

	ck_assert_int_eq(cib_store_open(tmpdir, 5, &s), 0);
	ck_assert_int_eq(cib_store_load(s, NULL, NULL, &xml, &len, &bad),
			 -ENOENT);
	save(s, "<cib epoch=\"1\"/>", 1);
	save(s, "<cib epoch=\"2\"/>", 2);
	ck_assert_int_eq(cib_store_load(s, NULL, NULL, &xml, &len, &bad), 0);
	ck_assert_str_eq(xml, "<cib epoch=\"2\"/>");
	ck_assert_uint_eq(len, strlen(xml));
	ck_assert_uint_eq(bad, 0);
	g_free(xml);
	ck_assert_int_eq(cib_store_load_serial(s, 1, &xml, NULL), 0);
	ck_assert_str_eq(xml, "<cib epoch=\"1\"/>");
	g_free(xml);
	ck_assert_int_eq(cib_store_load_serial(s, 7, &xml, NULL), -ENOENT);
	ck_assert_int_eq(count_files(".*.tmp"), 0);
	cib_store_free(s);
}
END_TEST

START_TEST(test_prune_keeps_last_n)
{
	struct cib_store *s = NULL;
	GArray *h = NULL;

	ck_assert_int_eq(cib_store_open(tmpdir, 3, &s), 0);
	for (guint64 i = 1; i <= 6; i++) {
		g_autofree char *x = g_strdup_printf("<cib n=\"%d\"/>", (int)i);

		save(s, x, i);
	}
	ck_assert_int_eq(count_files("cib-*.xml"), 3);
	ck_assert_int_eq(cib_store_history(s, &h), 0);
	ck_assert_uint_eq(h->len, 3);
	ck_assert_uint_eq(g_array_index(h, struct cib_store_entry, 0).serial,
			  6);
	ck_assert_uint_eq(g_array_index(h, struct cib_store_entry, 2).serial,
			  4);
	ck_assert(g_array_index(h, struct cib_store_entry, 0).valid);
	g_array_unref(h);
	cib_store_free(s);
}
END_TEST

/* Flip one byte of a stored file, as a bad disk or a stray edit would. */
static void
corrupt(guint64 serial, long offset, const char *with)
{
	g_autofree char *p =
		g_strdup_printf("%s/cib-%d.xml", tmpdir, (int)serial);
	FILE *f = fopen(p, "r+");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, offset, SEEK_SET), 0);
	fputs(with, f);
	fclose(f);
}

START_TEST(test_corrupt_newest_is_set_aside)
{
	struct cib_store *s = NULL;
	GArray *h = NULL;
	char *xml = NULL;
	unsigned bad = 0;

	ck_assert_int_eq(cib_store_open(tmpdir, 5, &s), 0);
	save(s, "<cib epoch=\"1\"/>", 1);
	save(s, "<cib epoch=\"2\"/>", 2);
	corrupt(2, 12, "9");
	ck_assert_int_eq(cib_store_history(s, &h), 0);
	ck_assert(!g_array_index(h, struct cib_store_entry, 0).valid);
	g_array_unref(h);
	ck_assert_int_eq(cib_store_load_serial(s, 2, &xml, NULL), -FO_ECORRUPT);
	ck_assert_int_eq(cib_store_load(s, NULL, NULL, &xml, NULL, &bad), 0);
	ck_assert_str_eq(xml, "<cib epoch=\"1\"/>");
	ck_assert_uint_eq(bad, 1);
	ck_assert_int_eq(count_files("cib-2.xml.*.corrupt"), 1);
	ck_assert_int_eq(count_files("cib-2.xml"), 0);
	g_free(xml);
	/* The next save does not collide with the set-aside file. */
	save(s, "<cib epoch=\"3\"/>", 2);
	cib_store_free(s);
}
END_TEST

START_TEST(test_truncated_file)
{
	struct cib_store *s = NULL;
	g_autofree char *p = NULL;
	char *xml = NULL;
	unsigned bad = 0;

	ck_assert_int_eq(cib_store_open(tmpdir, 5, &s), 0);
	save(s, "<cib epoch=\"1\"><configuration/></cib>", 1);
	p = g_strdup_printf("%s/cib-1.xml", tmpdir);
	ck_assert_int_eq(truncate(p, 20), 0);
	ck_assert_int_eq(cib_store_load(s, NULL, NULL, &xml, NULL, &bad),
			 -ENOENT);
	ck_assert_ptr_null(xml);
	ck_assert_uint_eq(bad, 1);
	cib_store_free(s);
}
END_TEST

/* A trailer that is intact but claims a different length is caught. */
START_TEST(test_trailer_length_mismatch)
{
	struct cib_store *s = NULL;
	g_autofree char *p = NULL;
	char *xml = NULL;
	FILE *f;

	ck_assert_int_eq(cib_store_open(tmpdir, 5, &s), 0);
	p = g_strdup_printf("%s/cib-1.xml", tmpdir);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs("<cib/>\n<!-- fo-digest sha256=00 length=6 -->\n", f);
	fclose(f);
	ck_assert_int_eq(cib_store_load_serial(s, 1, &xml, NULL), -FO_ECORRUPT);
	cib_store_free(s);
}
END_TEST

static int
reject_epoch_2(const char *xml, size_t len, char **why, void *data)
{
	(void)len;
	(*(int *)data)++;
	if (strstr(xml, "epoch=\"2\"")) {
		*why = g_strdup("schema says no");
		return -FO_ESCHEMA;
	}
	return 0;
}

START_TEST(test_validator_sets_aside)
{
	struct cib_store *s = NULL;
	char *xml = NULL;
	unsigned bad = 0;
	int calls = 0;

	ck_assert_int_eq(cib_store_open(tmpdir, 5, &s), 0);
	save(s, "<cib epoch=\"1\"/>", 1);
	save(s, "<cib epoch=\"2\"/>", 2);
	ck_assert_int_eq(
		cib_store_load(s, reject_epoch_2, &calls, &xml, NULL, &bad), 0);
	ck_assert_str_eq(xml, "<cib epoch=\"1\"/>");
	ck_assert_int_eq(calls, 2);
	ck_assert_uint_eq(bad, 1);
	g_free(xml);
	cib_store_free(s);
}
END_TEST

START_TEST(test_open_errors)
{
	struct cib_store *s = NULL;
	g_autofree char *file = g_build_filename(tmpdir, "plain", NULL);

	ck_assert(g_file_set_contents(file, "x", 1, NULL));
	ck_assert_int_eq(cib_store_open(file, 3, &s), -ENOTDIR);
	ck_assert_int_eq(cib_store_open(NULL, 3, &s), -EINVAL);
	ck_assert_ptr_null(s);
	cib_store_free(NULL);
}
END_TEST

START_TEST(test_ignores_foreign_names)
{
	struct cib_store *s = NULL;
	GArray *h = NULL;
	g_autofree char *junk = g_build_filename(tmpdir, "cib-x1.xml", NULL);
	g_autofree char *junk2 = g_build_filename(tmpdir, "cib-.xml", NULL);

	ck_assert(g_file_set_contents(junk, "junk", -1, NULL));
	ck_assert(g_file_set_contents(junk2, "junk", -1, NULL));
	ck_assert_int_eq(cib_store_open(tmpdir, 5, &s), 0);
	save(s, "<cib/>", 1);
	ck_assert_int_eq(cib_store_history(s, &h), 0);
	ck_assert_uint_eq(h->len, 1);
	g_array_unref(h);
	cib_store_free(s);
}
END_TEST

static Suite *
store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("files");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_save_load_roundtrip);
	tcase_add_test(tc, test_prune_keeps_last_n);
	tcase_add_test(tc, test_corrupt_newest_is_set_aside);
	tcase_add_test(tc, test_truncated_file);
	tcase_add_test(tc, test_trailer_length_mismatch);
	tcase_add_test(tc, test_validator_sets_aside);
	tcase_add_test(tc, test_open_errors);
	tcase_add_test(tc, test_ignores_foreign_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(store_suite());
	int failed;

	log_init("check_store", true, 0);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
