/*
 * check_schema_corpus.c - the configuration check accepts Pacemaker's own
 * regression inputs.
 *
 * In: every .xml file in $top_srcdir/../shared/pacemaker-cts/xml (170 CIBs from
 * Pacemaker 2.1.5's scheduler tests, all inside fo's subset by design; read
 * in place, never copied). Each must check with no error; warnings are
 * allowed. Without the corpus the test is skipped (exit 77), except under
 * CI=true, where a missing corpus is a failure.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "fo/common.h"
#include "fo/schema.h"

static char *
corpus_dir(void)
{
	const char *top = getenv("top_srcdir");

	return g_build_filename(top != NULL ? top : ".", "..", "shared",
				"pacemaker-cts", "xml", NULL);
}

START_TEST(test_corpus)
{
	char *dir = corpus_dir();
	GDir *d = g_dir_open(dir, 0, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	GString *failures = g_string_new(NULL);
	const char *name;
	guint i, nfail = 0, nwarn = 0;

	ck_assert_ptr_nonnull(d);
	while ((name = g_dir_read_name(d)) != NULL)
		if (g_str_has_suffix(name, ".xml"))
			g_ptr_array_add(names, g_strdup(name));
	g_dir_close(d);
	for (i = 0; i < names->len; i++) {
		char *path = g_build_filename(dir, names->pdata[i], NULL);
		xmlDocPtr doc = xmlReadFile(
			path, NULL, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
		GPtrArray *diags = g_ptr_array_new_with_free_func(
			(GDestroyNotify)cib_diag_free);
		int rc;
		guint j;

		ck_assert_msg(doc != NULL, "cannot parse %s", path);
		rc = cib_config_check(xmlDocGetRootElement(doc),
				      names->pdata[i], diags);
		for (j = 0; j < diags->len; j++) {
			struct cib_diag *dg = diags->pdata[j];
			char *line = cib_diag_format(dg);

			if (dg->error)
				g_string_append_printf(failures, "\n  %s",
						       line);
			else
				nwarn++;
			g_free(line);
		}
		if (rc != 0) {
			nfail++;
			g_string_append_printf(failures, "\n  %s: %s",
					       (char *)names->pdata[i],
					       fo_strerror(rc));
		}
		g_ptr_array_free(diags, TRUE);
		xmlFreeDoc(doc);
		g_free(path);
	}
	printf("check_schema_corpus: %u CIBs, %u refused, %u warnings\n",
	       names->len, nfail, nwarn);
	ck_assert_msg(names->len == 170, "%u CIBs in %s, want 170", names->len,
		      dir);
	if (nfail > 0)
		printf("check_schema_corpus: errors:%s\n", failures->str);
	ck_assert_msg(nfail == 0, "%u CIBs refused (errors above)", nfail);
	g_string_free(failures, TRUE);
	g_ptr_array_free(names, TRUE);
	g_free(dir);
}
END_TEST

int
main(void)
{
	char *dir = corpus_dir();
	const char *ci = getenv("CI");
	Suite *s;
	TCase *tc;
	SRunner *sr;
	int failed;

	if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		printf("check_schema_corpus: %s is missing (the Pacemaker "
		       "corpus lives beside the source tree)\n",
		       dir);
		g_free(dir);
		if (ci != NULL && strcmp(ci, "true") == 0) {
			printf("check_schema_corpus: CI=true: a missing corpus "
			       "is a failure\n");
			return 1;
		}
		return 77;
	}
	g_free(dir);
	s = suite_create("schema-corpus");
	tc = tcase_create("corpus");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_corpus);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
