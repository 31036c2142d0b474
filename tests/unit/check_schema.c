/*
 * check_schema.c - unit tests for the configuration check (fo/schema.h).
 *
 * In: the hand-written CIBs in tests/unit/schema/ and their expectations in
 * tests/unit/schema/cases (verdict, and findings by line, element and
 * message; each file ends with what Pacemaker's crm_verify said of it),
 * plus CIBs changed in memory: validate-with values, a wrong root, every
 * element removed and every attribute spoiled in turn (no crash, a defined
 * verdict), a tree left unchanged, nothing printed on stderr.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "fo/common.h"
#include "fo/schema.h"

static char *
data_path(const char *name)
{
	const char *top = getenv("top_srcdir");

	return g_build_filename(top != NULL ? top : ".", "tests", "unit",
				"schema", name, NULL);
}

static xmlDocPtr
load(const char *name)
{
	char *path = data_path(name);
	xmlDocPtr doc =
		xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_BIG_LINES);

	ck_assert_msg(doc != NULL, "cannot parse %s", path);
	g_free(path);
	return doc;
}

static GPtrArray *
diags_new(void)
{
	return g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
}

static int
count(GPtrArray *diags, bool error)
{
	guint i;
	int n = 0;

	for (i = 0; i < diags->len; i++)
		if (((struct cib_diag *)diags->pdata[i])->error == error)
			n++;
	return n;
}

static char *
dump(GPtrArray *diags)
{
	GString *s = g_string_new(NULL);
	guint i;

	for (i = 0; i < diags->len; i++) {
		char *line = cib_diag_format(diags->pdata[i]);

		g_string_append_printf(s, "\n    %s", line);
		g_free(line);
	}
	return g_string_free(s, FALSE);
}

static int
verdict_rc(const char *verdict)
{
	if (strcmp(verdict, "ok") == 0)
		return 0;
	if (strcmp(verdict, "schema") == 0)
		return -FO_ESCHEMA;
	if (strcmp(verdict, "unsupported") == 0)
		return -FO_EUNSUPPORTED;
	ck_abort_msg("cases: unknown verdict %s", verdict);
	return 1;
}

/* One line of tests/unit/schema/cases. */
static void
run_case(char **f)
{
	xmlDocPtr doc = load(f[0]);
	GPtrArray *diags = diags_new();
	int rc = cib_config_check(xmlDocGetRootElement(doc), f[0], diags);
	char *all = dump(diags);
	bool want_error = strcmp(f[2], "error") == 0, found = false;
	int line = atoi(f[3]);
	guint i;

	ck_assert_msg(rc == verdict_rc(f[1]), "%s: rc %d (%s), want %s:%s",
		      f[0], rc, fo_strerror(rc), f[1], all);
	if (rc == 0)
		ck_assert_msg(count(diags, true) == 0, "%s: errors:%s", f[0],
			      all);
	for (i = 0; strcmp(f[2], "-") != 0 && i < diags->len; i++) {
		struct cib_diag *d = diags->pdata[i];

		if (d->error == want_error && d->line == line &&
		    d->element != NULL && strstr(d->element, f[4]) != NULL &&
		    strstr(d->message, f[5]) != NULL &&
		    strcmp(d->file, f[0]) == 0)
			found = true;
	}
	ck_assert_msg(strcmp(f[2], "-") == 0 || found,
		      "%s: no %s on line %d naming %s with \"%s\"; got:%s",
		      f[0], f[2], line, f[4], f[5], all);
	if (strcmp(f[2], "-") == 0)
		ck_assert_msg(diags->len == 0, "%s: want no findings:%s", f[0],
			      all);
	g_free(all);
	g_ptr_array_free(diags, TRUE);
	xmlFreeDoc(doc);
}

START_TEST(test_cases)
{
	char *path = data_path("cases"), *text = NULL, **lines;
	int i, n = 0;

	ck_assert_msg(g_file_get_contents(path, &text, NULL, NULL),
		      "cannot read %s", path);
	lines = g_strsplit(text, "\n", -1);
	for (i = 0; lines[i] != NULL; i++) {
		char **f;

		if (lines[i][0] == '#' || lines[i][0] == '\0')
			continue;
		f = g_strsplit(lines[i], "\t", -1);
		ck_assert_msg(g_strv_length(f) == 6, "cases line %d: %s", i + 1,
			      lines[i]);
		run_case(f);
		g_strfreev(f);
		n++;
	}
	ck_assert_int_ge(n, 40);
	g_strfreev(lines);
	g_free(text);
	g_free(path);
}
END_TEST

/* diags holds exactly one finding, as described. */
static void
assert_only(GPtrArray *diags, bool error, int line, const char *element,
	    const char *text)
{
	struct cib_diag *d;

	ck_assert_uint_eq(diags->len, 1);
	d = diags->pdata[0];
	ck_assert(d->error == error);
	ck_assert_int_eq(d->line, line);
	if (element != NULL)
		ck_assert_str_eq(d->element, element);
	else
		ck_assert_ptr_null(d->element);
	ck_assert_ptr_nonnull(strstr(d->message, text));
}

/* Check doc with validate-with set to v (NULL: removed). */
static int
check_version(const char *v, GPtrArray *diags)
{
	xmlDocPtr doc = load("accept-rules.xml");
	xmlNodePtr root = xmlDocGetRootElement(doc);
	int rc;

	if (v != NULL)
		xmlSetProp(root, (const xmlChar *)"validate-with",
			   (const xmlChar *)v);
	else
		xmlUnsetProp(root, (const xmlChar *)"validate-with");
	rc = cib_config_check(root, "v.xml", diags);
	xmlFreeDoc(doc);
	return rc;
}

START_TEST(test_validate_with)
{
	static const char *const good[] = {"pacemaker-3.9", "none",
					   "pacemaker-1.0", "pacemaker-1.2",
					   "pacemaker-1.3", "pacemaker-2.0",
					   "pacemaker-2.5", "pacemaker-2.10",
					   "pacemaker-3.0", "pacemaker-3.10"};
	static const char *const bad[] = {"pacemaker-4.0",
					  "pacemaker-next",
					  "pacemaker-2.11",
					  "pacemaker-1.1",
					  "pacemaker-0.7",
					  "pacemaker-3.01",
					  "pacemaker-3.",
					  "pacemaker-3",
					  "pacemaker-3.x",
					  "",
					  "foo",
					  "transitional-0.6",
					  "pacemaker-3.9 "};
	GPtrArray *diags;
	size_t i;
	int rc;

	for (i = 0; i < G_N_ELEMENTS(good); i++) {
		diags = diags_new();
		rc = check_version(good[i], diags);
		ck_assert_msg(rc == 0 && count(diags, true) == 0,
			      "validate-with=\"%s\" refused: %d", good[i], rc);
		/* only none is named in a warning */
		ck_assert_int_eq(count(diags, false),
				 strcmp(good[i], "none") == 0 ? 1 : 0);
		g_ptr_array_free(diags, TRUE);
	}
	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		diags = diags_new();
		rc = check_version(bad[i], diags);
		ck_assert_msg(rc == -FO_ESCHEMA, "validate-with=\"%s\": %d",
			      bad[i], rc);
		assert_only(diags, true, 1, "<cib>", "pacemaker-3.9");
		g_ptr_array_free(diags, TRUE);
	}
	diags = diags_new();
	ck_assert_int_eq(check_version(NULL, diags), 0);
	assert_only(diags, false, 1, "<cib>", "no validate-with");
	g_ptr_array_free(diags, TRUE);
}
END_TEST

START_TEST(test_pacemaker_39_kind_is_error)
{
	/* The none case's bad kind is an error once the schema is on. */
	xmlDocPtr doc = load("none-bad-kind.xml");
	xmlNodePtr root = xmlDocGetRootElement(doc);
	GPtrArray *diags = diags_new();

	xmlSetProp(root, (const xmlChar *)"validate-with",
		   (const xmlChar *)"pacemaker-3.9");
	ck_assert_int_eq(cib_config_check(root, "k.xml", diags), -FO_ESCHEMA);
	assert_only(diags, true, 22, "<rsc_order id=\"o-foo\">", "kind");
	g_ptr_array_free(diags, TRUE);
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_no_root)
{
	GPtrArray *diags = diags_new();
	char *s;

	ck_assert_int_eq(cib_config_check(NULL, "x.xml", diags), -FO_ESCHEMA);
	assert_only(diags, true, 0, NULL, "no root element");
	s = cib_diag_format(diags->pdata[0]);
	ck_assert_str_eq(
		s, "x.xml: error: no CIB: the document has no root element");
	g_free(s);
	ck_assert_int_eq(cib_config_check(NULL, NULL, NULL), -EINVAL);
	g_ptr_array_free(diags, TRUE);
}
END_TEST

START_TEST(test_format)
{
	struct cib_diag d = {true, (char *)"f.xml", 12, (char *)"<op id=\"m\">",
			     (char *)"what is wrong"};
	struct cib_diag w = {false, NULL, 0, NULL, (char *)"note"};
	char *s;

	s = cib_diag_format(&d);
	ck_assert_str_eq(s, "f.xml:12: error: <op id=\"m\">: what is wrong");
	g_free(s);
	s = cib_diag_format(&w);
	ck_assert_str_eq(s, "warning: note");
	g_free(s);
	cib_diag_free(NULL);
}
END_TEST

/* Findings are appended: what the caller had stays first. */
START_TEST(test_appends)
{
	GPtrArray *diags = diags_new();
	struct cib_diag *mine = g_new0(struct cib_diag, 1);
	xmlDocPtr doc = load("refuse-bundle.xml");

	mine->message = g_strdup("caller's");
	mine->line = 999;
	g_ptr_array_add(diags, mine);
	ck_assert_int_eq(
		cib_config_check(xmlDocGetRootElement(doc), NULL, diags),
		-FO_EUNSUPPORTED);
	ck_assert_uint_eq(diags->len, 2);
	ck_assert_ptr_eq(diags->pdata[0], mine);
	ck_assert_ptr_null(((struct cib_diag *)diags->pdata[1])->file);
	g_ptr_array_free(diags, TRUE);
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_tree_unchanged_and_quiet)
{
	static const char *const files[] = {
		"refuse-bundle.xml", "refuse-template.xml", "bad-element.xml",
		"bad-duplicate-id.xml", "none-bad-kind.xml"};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(files); i++) {
		xmlDocPtr doc = load(files[i]);
		GPtrArray *diags = diags_new();
		xmlChar *before, *after;
		int nb, na, saved, fd, rc;
		char tmpl[] = "/tmp/check_schema.XXXXXX";
		off_t size;

		xmlDocDumpMemory(doc, &before, &nb);
		fflush(stderr);
		fd = mkstemp(tmpl);
		ck_assert_int_ge(fd, 0);
		saved = dup(2);
		dup2(fd, 2);
		rc = cib_config_check(xmlDocGetRootElement(doc), files[i],
				      diags);
		fflush(stderr);
		dup2(saved, 2);
		close(saved);
		size = lseek(fd, 0, SEEK_END);
		close(fd);
		unlink(tmpl);
		ck_assert_msg(size == 0, "%s: %ld bytes on stderr", files[i],
			      (long)size);
		ck_assert_int_ne(rc, 1);
		xmlDocDumpMemory(doc, &after, &na);
		ck_assert_int_eq(na, nb);
		ck_assert_str_eq((const char *)after, (const char *)before);
		xmlFree(before);
		xmlFree(after);
		g_ptr_array_free(diags, TRUE);
		xmlFreeDoc(doc);
	}
}
END_TEST

/* Every finding has a message; errors agree with the verdict. */
static void
check_sane(xmlNodePtr root, const char *what)
{
	GPtrArray *diags = diags_new();
	int rc = cib_config_check(root, "m.xml", diags);
	guint i;

	ck_assert_msg(rc == 0 || rc == -FO_ESCHEMA || rc == -FO_EUNSUPPORTED,
		      "%s: rc %d", what, rc);
	ck_assert_msg((rc != 0) == (count(diags, true) > 0), "%s", what);
	for (i = 0; i < diags->len; i++) {
		struct cib_diag *d = diags->pdata[i];

		ck_assert(d->message != NULL && d->message[0] != '\0');
	}
	g_ptr_array_free(diags, TRUE);
}

static int
count_elements(xmlNodePtr n)
{
	int k = 0;

	for (; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			k += 1 + count_elements(n->children);
	return k;
}

/* The k-th element in document order (0 is the root). */
static xmlNodePtr
nth_element(xmlNodePtr n, int *k)
{
	xmlNodePtr r;

	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if ((*k)-- == 0)
			return n;
		if ((r = nth_element(n->children, k)) != NULL)
			return r;
	}
	return NULL;
}

/* Remove each element in turn, spoil each attribute in turn: no crash. */
static void
mutate(const char *file)
{
	static const char *const values[] = {"", "abc", "-INFINITY", "P"};
	xmlDocPtr doc = load(file);
	int total = count_elements(xmlDocGetRootElement(doc)), k, j;
	size_t v;

	xmlFreeDoc(doc);
	for (k = 0; k < total; k++) {
		int idx = k;
		xmlNodePtr n;
		xmlAttrPtr a;

		doc = load(file);
		n = nth_element(xmlDocGetRootElement(doc), &idx);
		ck_assert_ptr_nonnull(n);
		for (a = n->properties, j = 0; a != NULL; a = a->next, j++)
			for (v = 0; v < G_N_ELEMENTS(values); v++) {
				xmlChar *old = xmlGetProp(n, a->name);

				xmlSetProp(n, a->name,
					   (const xmlChar *)values[v]);
				check_sane(xmlDocGetRootElement(doc), file);
				xmlSetProp(n, a->name, old);
				xmlFree(old);
			}
		if (n != xmlDocGetRootElement(doc)) {
			xmlUnlinkNode(n);
			xmlFreeNode(n);
		}
		check_sane(xmlDocGetRootElement(doc), file);
		xmlFreeDoc(doc);
	}
}

START_TEST(test_mutations)
{
	mutate("accept-rules.xml");
	mutate("refuse-promotable.xml");
	mutate("warn-acls.xml");
}
END_TEST

/* Lines past 65535 (libxml2 keeps them only with XML_PARSE_BIG_LINES). */
START_TEST(test_big_lines)
{
	GString *s = g_string_new(NULL);
	xmlDocPtr doc;
	GPtrArray *diags = diags_new();
	struct cib_diag *d;
	int i;

	g_string_append(s, "<cib "
			   "validate-with=\"pacemaker-3.9\">\n<configuration><"
			   "crm_config/><nodes/><resources/><constraints>\n");
	for (i = 0; i < 70000; i++)
		g_string_append(s, "\n");
	/* line 70003 */
	g_string_append(
		s, "<rsc_ticket id=\"t\" rsc=\"r\" "
		   "ticket=\"x\"/>\n</constraints></configuration></cib>\n");
	doc = xmlReadMemory(s->str, (int)s->len, "big.xml", NULL,
			    XML_PARSE_BIG_LINES);
	ck_assert_ptr_nonnull(doc);
	ck_assert_int_eq(
		cib_config_check(xmlDocGetRootElement(doc), "big.xml", diags),
		-FO_EUNSUPPORTED);
	ck_assert_uint_eq(diags->len, 1);
	d = diags->pdata[0];
	/*
	 * libxml2 keeps an element's line only up to 65535; past that,
	 * xmlGetLineNo() reads it off the text node that follows the
	 * element, whose recorded line is where that text ends: one line
	 * further here. Without XML_PARSE_BIG_LINES it would say 65535.
	 */
	ck_assert_int_ge(d->line, 70003);
	ck_assert_int_le(d->line, 70004);
	g_ptr_array_free(diags, TRUE);
	xmlFreeDoc(doc);
	g_string_free(s, TRUE);
}
END_TEST

static Suite *
schema_suite(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("check");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_cases);
	tcase_add_test(tc, test_validate_with);
	tcase_add_test(tc, test_pacemaker_39_kind_is_error);
	tcase_add_test(tc, test_no_root);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_appends);
	tcase_add_test(tc, test_tree_unchanged_and_quiet);
	tcase_add_test(tc, test_mutations);
	tcase_add_test(tc, test_big_lines);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(schema_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
