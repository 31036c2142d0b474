/*
 * check_cibxml.c - unit tests for lib/cib/cib_xml.c, the tokenizer of the
 * status section: events and values (entities, character references,
 * quotes, attribute-value normalisation), what it skips (comments, PIs,
 * CDATA), what it refuses (truncated input, bad nesting, duplicate or
 * unquoted attributes, DTDs, bad bytes) with the right line; and through
 * cib_load_memory(): the model it builds equals libxml2's, errors name
 * file, line and element, and lines after the status section stay right.
 */
#include <check.h>
#include <string.h>

#include "cib_xml.h"
#include "fo/cib.h"
#include "fo/common.h"

/* The tokenizer over the content of "<status>" + @body + "</status>". */
struct tok {
	char *doc;
	struct cib_xml x;
};

static void
tok_open(struct tok *t, const char *body)
{
	t->doc = g_strconcat("<status>", body, "</status>", NULL);
	cib__xml_init(&t->x, t->doc, strlen(t->doc), 8, 1, "status");
}

static void
tok_close(struct tok *t)
{
	cib__xml_clear(&t->x);
	g_free(t->doc);
}

/* Attribute @name of the START just read, as a new string (or NULL). */
static char *
val(const struct cib_xml *x, const char *name)
{
	int i;

	for (i = 0; i < x->n_attrs; i++)
		if (strcmp(x->attrs[i].name, name) == 0)
			return g_strndup(x->attrs[i].value, x->attrs[i].len);
	return NULL;
}

/* Attribute @name of the START just read is @want. */
static void
expect(const struct cib_xml *x, const char *name, const char *want)
{
	char *v = val(x, name);

	ck_assert_msg(v != NULL && strcmp(v, want) == 0, "%s: '%s', not '%s'",
		      name, v, want);
	g_free(v);
}

/* The error message for @body, and its line in *@line. */
static char *
error_of(const char *body, int *line, char **element)
{
	struct tok t;
	enum cib_xml_event ev;
	char *m = NULL;

	tok_open(&t, body);
	while ((ev = cib__xml_next(&t.x)) == CIB_XML_START || ev == CIB_XML_END)
		;
	if (ev == CIB_XML_ERROR) {
		m = g_strdup(t.x.error);
		*line = t.x.line;
		if (element != NULL)
			*element = g_strdup(t.x.name);
	}
	tok_close(&t);
	return m;
}

START_TEST(test_events)
{
	struct tok t;

	tok_open(&t, "\n  <a x=\"1\" y='2'/>\n  <b z = \"3\" >\n    <c/>"
		     "</b>\n");
	ck_assert_int_eq(cib__xml_next(&t.x), CIB_XML_START);
	ck_assert_str_eq(t.x.name, "a");
	ck_assert_int_eq(t.x.line, 2);
	ck_assert_int_eq(t.x.depth, 1);
	ck_assert_int_eq(t.x.n_attrs, 2);
	expect(&t.x, "x", "1");
	expect(&t.x, "y", "2");
	ck_assert_int_eq(cib__xml_next(&t.x), CIB_XML_END);
	ck_assert_str_eq(t.x.name, "a");
	ck_assert_int_eq(t.x.depth, 1);
	ck_assert_int_eq(cib__xml_next(&t.x), CIB_XML_START);
	ck_assert_str_eq(t.x.name, "b");
	ck_assert_int_eq(t.x.line, 3);
	expect(&t.x, "z", "3");
	ck_assert_int_eq(cib__xml_next(&t.x), CIB_XML_START);
	ck_assert_str_eq(t.x.name, "c");
	ck_assert_int_eq(t.x.depth, 2);
	ck_assert_int_eq(t.x.line, 4);
	ck_assert_int_eq(cib__xml_next(&t.x), CIB_XML_END);
	ck_assert_int_eq(cib__xml_next(&t.x), CIB_XML_END);
	ck_assert_str_eq(t.x.name, "b");
	ck_assert_int_eq(cib__xml_next(&t.x), CIB_XML_DONE);
	ck_assert_uint_eq(t.x.done_at, strlen(t.doc) - strlen("</status>"));
	ck_assert_int_eq(cib__xml_next(&t.x), CIB_XML_DONE);
	/* names are interned: the same pointer every time */
	ck_assert_ptr_eq(cib__xml_intern(&t.x, "b"),
			 cib__xml_intern(&t.x, "b"));
	tok_close(&t);
}
END_TEST

START_TEST(test_values)
{
	struct tok t;

	tok_open(&t, "<e ent=\"&lt;&gt;&amp;&quot;&apos;\" num='&#65;&#x42;"
		     "&#x20AC;&#0000067;' sq='say \"hi\"' dq=\"it's\" "
		     "ws=\"a\nb\tc\r\nd\" ref=\"a&#10;b\" utf=\"caf\xc3\xa9\" "
		     "gt='a>b' empty=''/>");
	ck_assert_int_eq(cib__xml_next(&t.x), CIB_XML_START);
	expect(&t.x, "ent", "<>&\"'");
	expect(&t.x, "num",
	       "AB\xe2\x82\xac"
	       "C");
	expect(&t.x, "sq", "say \"hi\"");
	expect(&t.x, "dq", "it's");
	/* attribute-value normalisation: white space to spaces, CR-LF once;
	 * a character reference is kept as it is */
	expect(&t.x, "ws", "a b c d");
	expect(&t.x, "ref", "a\nb");
	expect(&t.x, "utf", "caf\xc3\xa9");
	expect(&t.x, "gt", "a>b");
	expect(&t.x, "empty", "");
	ck_assert_int_eq(cib__xml_next(&t.x), CIB_XML_END);
	ck_assert_int_eq(cib__xml_next(&t.x), CIB_XML_DONE);
	tok_close(&t);
}
END_TEST

START_TEST(test_skipped)
{
	struct tok t;

	tok_open(&t, "<!-- a comment, <b>not</b> an element -->\n"
		     "<?fo some processing instruction?>"
		     "<a><![CDATA[<b/> & ]]]]><!----></a> text &amp; more");
	ck_assert_int_eq(cib__xml_next(&t.x), CIB_XML_START);
	ck_assert_str_eq(t.x.name, "a");
	ck_assert_int_eq(t.x.line, 2);
	ck_assert_int_eq(cib__xml_next(&t.x), CIB_XML_END);
	ck_assert_int_eq(cib__xml_next(&t.x), CIB_XML_DONE);
	tok_close(&t);
}
END_TEST

START_TEST(test_errors)
{
	static const struct {
		const char *body, *message, *element;
		int line;
	} cases[] = {
		{"<a>\n<b>\n</a>", "</a> closes <b> of line 2", "b", 3},
		{"<a>\n</b>", "</b> closes <a> of line 1", "a", 2},
		{"</a>", "</a> where </status> belongs", "status", 1},
		{"<a x='1'\ny='2' x='3'/>", "attribute 'x' given twice", "a",
		 2},
		{"<a x='1'y='2'/>", "separated by white space", "a", 1},
		{"<a x=1/>", "not quoted", "a", 1},
		{"<a x/>", "'=' missing", "a", 1},
		{"<a x='<'/>", "'<' in an attribute value", "a", 1},
		{"<a x='&foo;'/>", "bad reference", "a", 1},
		{"<a x='&#0;'/>", "bad reference", "a", 1},
		{"<a x='&#xd800;'/>", "bad reference", "a", 1},
		{"<a x='&amp'/>", "bad reference", "a", 1},
		{"<a x='\x01'/>", "control character", "a", 1},
		{"<a x='\xff'/>", "not UTF-8", "a", 1},
		{"<a x='\xc3'/>", "not UTF-8", "a", 1},
		{"<a>\n\n&bad;</a>", "bad reference in text", "a", 3},
		{"<a>]]></a>", "']]>' in text", "a", 1},
		{"<a>\x02</a>", "no XML character", "a", 1},
		{"<!-- a -- b -->", "'--' inside a comment", "status", 1},
		{"\n<?xml version='1.0'?>", "XML declaration", "status", 2},
		{"<!DOCTYPE x>", "declaration", "status", 1},
		{"<!ENTITY x 'y'>", "declaration", "status", 1},
		{"<1a/>", "not followed by an element name", "status", 1},
		{"<a / >", "'/' not followed by '>'", "a", 1},
		{"<a \x01/>", "bad character", "a", 1},
		{"<x:a/>", "namespaces", "x:a", 1},
		{"<a xmlns='u'/>", "namespaces", "a", 1},
		{"<a b:c='1'/>", "namespaces", "a", 1},
		{"<a></a junk>", "junk in the end tag", "a", 1},
	};
	guint i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		int line = 0;
		char *el = NULL;
		char *m = error_of(cases[i].body, &line, &el);

		ck_assert_msg(m != NULL, "case %u: no error", i);
		ck_assert_msg(strstr(m, cases[i].message) != NULL,
			      "case %u: '%s', not '%s'", i, m,
			      cases[i].message);
		ck_assert_msg(line == cases[i].line, "case %u: line %d, not %d",
			      i, line, cases[i].line);
		ck_assert_msg(el != NULL && strcmp(el, cases[i].element) == 0,
			      "case %u: element %s, not %s", i, el,
			      cases[i].element);
		g_free(m);
		g_free(el);
	}
}
END_TEST

START_TEST(test_truncated)
{
	static const char *const doc =
		"<status>\n<node_state id='1'>\n<lrm id='1'>\n"
		"<lrm_resources><lrm_resource id='r'><lrm_rsc_op id='o' "
		"operation='start' call-id='3'/></lrm_resource>"
		"</lrm_resources></lrm></node_state></status>";
	size_t len = strlen(doc), cut;

	/* every prefix: an error (never a crash, never DONE), and the
	 * cuts inside an element name it and "truncated" */
	for (cut = 8; cut < len - strlen("</status>") + 1; cut++) {
		struct cib_xml x;
		enum cib_xml_event ev;
		char *copy = g_strndup(doc, cut);

		cib__xml_init(&x, copy, cut, 8, 1, "status");
		while ((ev = cib__xml_next(&x)) == CIB_XML_START ||
		       ev == CIB_XML_END)
			;
		ck_assert_msg(ev == CIB_XML_ERROR, "cut %zu: %d", cut, ev);
		ck_assert_msg(strstr(x.error, "truncated") != NULL ||
				      strstr(x.error, "bad reference") != NULL,
			      "cut %zu: %s", cut, x.error);
		ck_assert_ptr_nonnull(x.name);
		cib__xml_clear(&x);
		g_free(copy);
	}
}
END_TEST

START_TEST(test_truncated_line)
{
	static const char doc[] = "<status>\n<a>\n<b x='1'>\n<c/>\n";
	struct cib_xml x;
	enum cib_xml_event ev;

	cib__xml_init(&x, doc, sizeof(doc) - 1, 8, 1, "status");
	while ((ev = cib__xml_next(&x)) == CIB_XML_START || ev == CIB_XML_END)
		;
	ck_assert_int_eq(ev, CIB_XML_ERROR);
	ck_assert_str_eq(x.name, "b");
	ck_assert_int_eq(x.line, 5);
	ck_assert_msg(strstr(x.error, "inside <b> of line 3") != NULL, "%s",
		      x.error);
	cib__xml_clear(&x);
}
END_TEST

/* ---- through cib_load_memory() ---- */

#define CFG                                                                    \
	"<cib><configuration><crm_config><cluster_property_set id='o'>"        \
	"<nvpair id='o1' name='stonith-enabled' value='false'/>"               \
	"</cluster_property_set></crm_config><nodes><node id='1' "             \
	"uname='node1'/><node id='2' uname='node2'/></nodes><resources>"       \
	"<primitive id='r1' class='ocf' provider='pacemaker' type='Dummy'/>"   \
	"</resources><constraints/></configuration>\n"
#define STATE                                                                  \
	"<status>\n"                                                           \
	"<node_state id='1' uname='node1' in_ccm='true' crmd='online' "        \
	"join='member' expected='member'>\n"                                   \
	"<transient_attributes id='1'><instance_attributes id='t1'>\n"         \
	"<!-- fail counts -->\n"                                               \
	"<nvpair id='a' name='fail-count-r1' value='2'/>"                      \
	"<nvpair id='b' name='note' value='a&amp;b &#x263a;\n c'/>"            \
	"</instance_attributes></transient_attributes>\n"                      \
	"<lrm id='1'><lrm_resources><lrm_resource id='r1' class='ocf' "        \
	"provider='pacemaker' type='Dummy'>\n"                                 \
	"<lrm_rsc_op id='r1_last_0' operation=\"start\" call-id='4' "          \
	"rc-code='0' op-status='0' interval='0' last-rc-change='100' "         \
	"exec-time='12' transition-key='3:1:0:x' op-digest='abc' "             \
	"exit-reason='it&apos;s fine'/>\n"                                     \
	"<lrm_rsc_op id='r1_monitor_10000' operation='monitor' call-id='5' "   \
	"rc-code='7' op-status='0' interval='10000' last-run='200' "           \
	"transition-key='4:1:0:x'/>\n"                                         \
	"</lrm_resource></lrm_resources></lrm>\n"                              \
	"</node_state>\n"                                                      \
	"</status>"

static struct cib *
load(const char *xml, GPtrArray *diags, int *rc)
{
	struct cib *cib = NULL;

	*rc = cib_load_memory(xml, strlen(xml), "test.xml", diags, &cib);
	return cib;
}

static GPtrArray *
diags_new(void)
{
	return g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
}

/* The status of @cib as text, to compare two loads. */
static char *
model_text(struct cib *cib)
{
	GString *s = g_string_new(NULL);
	guint i, j, k;

	for (i = 0; i < cib->nodes->len; i++) {
		struct cib_node *n = g_ptr_array_index(cib->nodes, i);

		g_string_append_printf(
			s, "node %s online=%d fc=%s note=%s\n", n->uname,
			n->online,
			(char *)g_hash_table_lookup(n->attrs, "fail-count-r1"),
			(char *)g_hash_table_lookup(n->attrs, "note"));
		for (j = 0; j < n->lrm->len; j++) {
			struct cib_lrm_rsc *l = g_ptr_array_index(n->lrm, j);

			g_string_append_printf(s, " rsc %s %s:%s:%s line %d\n",
					       l->id, l->cls, l->provider,
					       l->type, l->line);
			for (k = 0; k < l->n_ops; k++) {
				struct cib_lrm_op *o = l->ops[k];

				g_string_append_printf(
					s,
					"  op %s %s %llu call %d rc %d st %d "
					"tgt %d tr %d lrc %lld dig %s why %s "
					"exec %lld line %d\n",
					o->id, o->task,
					(unsigned long long)o->interval_ms,
					o->call_id, o->rc, o->status,
					o->target_rc, o->transition_id,
					(long long)o->last_rc_change,
					o->op_digest, o->exit_reason,
					(long long)o->exec_ms, o->line);
			}
		}
	}
	return g_string_free(s, FALSE);
}

START_TEST(test_same_model)
{
	/* an encoding other than UTF-8 leaves the document to libxml2:
	 * both readers must build the same model */
	GPtrArray *d1 = diags_new(), *d2 = diags_new();
	int rc1, rc2;
	struct cib *a = load(CFG STATE "</cib>", d1, &rc1);
	struct cib *b =
		load("<?xml version='1.0' encoding='ISO-8859-1'?>" CFG STATE
		     "</cib>",
		     d2, &rc2);
	char *ta, *tb;

	ck_assert_int_eq(rc1, 0);
	ck_assert_int_eq(rc2, 0);
	ta = model_text(a);
	tb = model_text(b);
	ck_assert_str_eq(ta, tb);
	ck_assert_msg(strstr(ta, "note=a&b \xe2\x98\xba  c") != NULL, "%s", ta);
	ck_assert_msg(strstr(ta, "why it's fine") != NULL, "%s", ta);
	ck_assert_msg(strstr(ta, "lrc 200") != NULL, "%s", ta);
	ck_assert_msg(strstr(ta, "line 8") != NULL, "%s", ta);
	g_free(ta);
	g_free(tb);
	cib_free(a);
	cib_free(b);
	g_ptr_array_free(d1, TRUE);
	g_ptr_array_free(d2, TRUE);
}
END_TEST

/* The end of the tag at @p ('<'): its '>', quotes skipped. */
static const char *
tag_close(const char *p)
{
	char quote = 0;

	for (p++; *p != '\0'; p++) {
		if (quote != 0)
			quote = *p == quote ? 0 : quote;
		else if (*p == '\'' || *p == '"')
			quote = *p;
		else if (*p == '>')
			return p;
	}
	return p;
}

/* Every event of the tokenizer over @doc ("<status>...</status>") is
 * on the line of its tag's '<', counted by hand: 1 + the newlines
 * before it (an empty element's END on its START's). */
static void
lines_exact(const char *doc)
{
	struct cib_xml x;
	enum cib_xml_event ev;
	const char *p = doc + 8, *empty_at = NULL;

	cib__xml_init(&x, doc, strlen(doc), 8, 1, "status");
	while ((ev = cib__xml_next(&x)) == CIB_XML_START || ev == CIB_XML_END ||
	       ev == CIB_XML_DONE) {
		const char *lt = empty_at;
		int line = 1;
		const char *q;

		if (lt == NULL) {
			/* the next tag that is not a comment or PI */
			for (lt = strchr(p, '<'); lt[1] == '!' || lt[1] == '?';
			     lt = strchr(tag_close(lt), '<'))
				;
			p = tag_close(lt) + 1;
			if (ev == CIB_XML_START && p[-2] == '/')
				empty_at = lt;
		} else {
			empty_at = NULL;
		}
		for (q = doc; q < lt; q++)
			line += *q == '\n';
		ck_assert_msg(x.line == line, "%s at %d, not %d, in\n%s",
			      x.name, x.line, line, doc);
		if (ev == CIB_XML_DONE)
			break;
	}
	ck_assert_int_eq(ev, CIB_XML_DONE);
	cib__xml_clear(&x);
}

START_TEST(test_lines_anywhere)
{
	/* the tokenizer counts lines past a tag without a newline and
	 * through the white space after it: with a newline in each place
	 * of the markup where white space may be, one at a time and all
	 * at once, every event must still be on its tag's line */
	const char *state = STATE;
	char *all = g_strdup(state);
	bool in_tag = false;
	char quote = 0;
	size_t i;

	for (i = 0; state[i] != '\0'; i++) {
		char c = state[i];

		if (quote != 0) {
			quote = c == quote ? 0 : quote;
			continue;
		}
		if (in_tag && (c == '\'' || c == '"')) {
			quote = c;
		} else if (c == '<') {
			in_tag = state[i + 1] != '!';
		} else if (c == '>') {
			in_tag = false;
		} else if (c == ' ' && in_tag) {
			char *one = g_strdup(state);

			one[i] = '\n';
			all[i] = '\n';
			lines_exact(one);
			g_free(one);
		}
	}
	lines_exact(all);
	g_free(all);
	/* around '=', before '>' and '/>', in end tags, in comments */
	lines_exact("<status>\n<node_state id = \n'1'\nuname='node1' "
		    "in_ccm='true' crmd='online' join='member' "
		    "expected='member'\n><lrm id='1'\n><lrm_resources>"
		    "<!--\n\n--><lrm_resource id='r1' class='ocf' "
		    "provider='pacemaker' type='Dummy'\n>\n<lrm_rsc_op "
		    "id='a' operation='start' call-id='4' rc-code='0'\n/>"
		    "<?pi\n?><lrm_rsc_op id='b' operation='monitor' "
		    "call-id='5' rc-code='7'/></lrm_resource\n>"
		    "<lrm_resource id='r2'><lrm_rsc_op id='c' "
		    "operation='stop' exit-reason='x\ny' call-id='6'/>"
		    "</lrm_resource></lrm_resources\n></lrm></node_state>"
		    "</status>");
}
END_TEST

static bool
diag_at(GPtrArray *diags, const char *text, int line, const char *element)
{
	guint i;

	for (i = 0; i < diags->len; i++) {
		const struct cib_diag *d = g_ptr_array_index(diags, i);

		if (strstr(d->message, text) != NULL && d->line == line &&
		    d->file != NULL && strcmp(d->file, "test.xml") == 0 &&
		    (element == NULL ||
		     (d->element != NULL && strcmp(d->element, element) == 0)))
			return true;
	}
	return false;
}

START_TEST(test_load_errors)
{
	static const struct {
		const char *xml, *message, *element;
		int line;
	} cases[] = {
		/* CFG is line 1, <status> opens line 2 */
		{CFG "<status>\n<node_state id='1'>\n<lrm id='1' x='1' x='2'/>"
		     "</node_state></status></cib>",
		 "XML syntax: attribute 'x' given twice", "lrm", 4},
		{CFG "<status>\n<node_state id='1'>\n<lrm>\n</node_state>"
		     "</status></cib>",
		 "XML syntax: </node_state> closes <lrm> of line 4", "lrm", 5},
		{CFG "<status>\n<node_state id='1'>\n<lrm id='1'", "truncated",
		 "lrm", 4},
		{CFG "<status>\n<node_state id='1'>\n<lrm id='1'/>",
		 "truncated", "node_state", 4},
		/* after the status section: libxml2's line count is moved
		 * past the lines it did not read */
		{CFG STATE "\n\n</cib>\n<junk/>", "XML syntax", NULL, 16},
		{CFG STATE "\n<oops></cib>", "XML syntax", NULL, 14},
		/* in the status section, read by cib_status.c */
		{CFG "<status>\n<node_state id='1' uname='node1'>\n<lrm>"
		     "<lrm_resources>\n<lrm_resource class='ocf'/>"
		     "</lrm_resources></lrm></node_state></status></cib>",
		 "lrm_resource without an id", "lrm_resource", 5},
		{"<cib><status>\n<node_state id='1'/></status>" CFG "</cib>",
		 "the status section comes before the configuration",
		 "node_state", 2},
	};
	guint i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		GPtrArray *d = diags_new();
		int rc;
		struct cib *cib = load(cases[i].xml, d, &rc);
		guint k;

		ck_assert_msg(rc != 0, "case %u loaded", i);
		ck_assert_ptr_null(cib);
		if (!diag_at(d, cases[i].message, cases[i].line,
			     cases[i].element)) {
			for (k = 0; k < d->len; k++) {
				char *m = cib_diag_format(
					g_ptr_array_index(d, k));

				fprintf(stderr, "case %u: %s\n", i, m);
				g_free(m);
			}
			ck_abort_msg("case %u: no '%s' at line %d", i,
				     cases[i].message, cases[i].line);
		}
		g_ptr_array_free(d, TRUE);
	}
}
END_TEST

START_TEST(test_status_first_empty)
{
	/* an empty status section before the configuration is fine, and
	 * the configuration's lines are still counted right */
	GPtrArray *d = diags_new();
	int rc;
	struct cib *cib =
		load("<cib><status>\n<!-- x -->\n\n</status>\n<configuration>"
		     "<nodes/><resources>\n<primitive id='a' class='ocf' "
		     "type='D'/>\n<primitive id='a' class='ocf' type='D'/>"
		     "</resources></configuration></cib>",
		     d, &rc);

	ck_assert_int_ne(rc, 0);
	ck_assert_ptr_null(cib);
	ck_assert(diag_at(d, "duplicate id 'a'", 7, NULL));
	g_ptr_array_free(d, TRUE);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("cibxml");
	TCase *tc = tcase_create("tokenizer");

	tcase_add_test(tc, test_events);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_skipped);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_truncated_line);
	tcase_add_test(tc, test_same_model);
	tcase_add_test(tc, test_lines_anywhere);
	tcase_add_test(tc, test_load_errors);
	tcase_add_test(tc, test_status_first_empty);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
