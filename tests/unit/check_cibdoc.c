/*
 * check_cibdoc.c - unit tests for fo-sim's fast path of reading a CIB:
 * the whole-document mode of lib/cib/cib_xml.c, the light element tree
 * of lib/cib/cib_elem.c, and cib_load_memory()/cib_load_file() with and
 * without libxml2.
 *
 * The prolog forms XML allows are read; a BOM, another encoding, a DTD
 * or namespaces stop the tokenizer but load through libxml2; every
 * truncation of a small CIB is an error, never a crash. The light tree
 * equals libxml2's tree (names, attributes, lines) for every fixture of
 * tests/pe/cases and Pacemaker's regression inputs, and each of them
 * gives the same model and diagnostics whether libxml2 reads it or not.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "cib_elem.h"
#include "cib_xml.h"
#include "fo/cib.h"
#include "fo/common.h"

/* as lib/cib/cib_unpack.c runs libxml2 */
#define OPTS                                                                   \
	(XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_HUGE |               \
	 XML_PARSE_COMPACT)

#define BODY                                                                   \
	"<cib have-quorum='1' dc-uuid='2' execution-date='100'>\n"             \
	"<configuration><crm_config><cluster_property_set id='o'>\n"           \
	"<nvpair id='o1' name='stonith-enabled' value='false'/>"               \
	"</cluster_property_set></crm_config>\n<nodes><node id='1' "           \
	"uname='node1'/>\n<node id='2' uname='node2'/></nodes>\n<resources>"   \
	"<primitive id='r1' class='ocf' provider='pacemaker' type='Dummy'>\n"  \
	"<meta_attributes id='m'><nvpair id='m1' name='target-role' "          \
	"value='Started'/></meta_attributes></primitive>\n"                    \
	"<primitive id='r2' class='ocf' provider='pacemaker' type='D&amp;'/>"  \
	"</resources>\n<constraints><rsc_location id='l' rsc='r1' "            \
	"node='node1' score='7'/></constraints></configuration>\n"             \
	"<status>\n<node_state id='1' uname='node1' in_ccm='true' "            \
	"crmd='online' join='member' expected='member'>\n"                     \
	"<lrm id='1'><lrm_resources><lrm_resource id='r1' class='ocf' "        \
	"provider='pacemaker' type='Dummy'>\n"                                 \
	"<lrm_rsc_op id='r1_last_0' operation='start' call-id='4' "            \
	"rc-code='0' op-status='0' interval='0' last-rc-change='100' "         \
	"transition-key='3:1:0:x' op-digest='abc'/>\n"                         \
	"</lrm_resource></lrm_resources></lrm>\n</node_state>\n</status>\n"    \
	"</cib>"

static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* Reading all of @doc (@len bytes) in document mode: its last event. */
static enum cib_xml_event
read_all(const char *doc, size_t len, char **error)
{
	struct cib_xml x;
	enum cib_xml_event ev;
	int roots = 0;

	cib__xml_init_doc(&x, doc, len);
	while ((ev = cib__xml_next(&x)) == CIB_XML_START || ev == CIB_XML_END)
		if (ev == CIB_XML_START && x.depth == 1)
			roots++;
	if (ev == CIB_XML_DONE) {
		ck_assert_int_eq(roots, 1);
		ck_assert_uint_eq(x.done_at, len);
	}
	if (ev == CIB_XML_ERROR)
		ck_assert_ptr_nonnull(x.error);
	if (error != NULL)
		*error = ev == CIB_XML_ERROR ? g_strdup(x.error) : NULL;
	cib__xml_clear(&x);
	return ev;
}

START_TEST(test_prolog_forms)
{
	static const char *const ok[] = {
		"<cib/>",
		"<cib></cib>",
		"<?xml version='1.0'?><cib/>",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cib/>\n",
		"<?xml version='1.0' encoding='utf-8' standalone='yes'?><cib/>",
		"<?xml version = '1.0'  standalone = \"no\" ?>\r\n<cib/>",
		"<?xml version='1.1' encoding='Utf-8'?><cib/>",
		"<?xml\tversion='1.0'\n?><!-- a -->\n<?pi x y?><cib a='1'>"
		"<x/></cib>\n<!-- after -->\n<?pi z?>\n\n",
		"\n  <cib/>",
		"<?xml-stylesheet href='x'?><cib/>",
	};
	static const char *const refused[] = {
		"",
		"   \n",
		"<!-- only a comment -->",
		"\xef\xbb\xbf<cib/>", /* a byte order mark */
		"<?xml version='1.0' encoding='ISO-8859-1'?><cib/>",
		"<?xml version='1.0' encoding='UTF8'?><cib/>",
		"<?xml version='2.0'?><cib/>",
		"<?xml version='1.'?><cib/>",
		"<?xml encoding='UTF-8'?><cib/>",
		"<?xml version='1.0' standalone='maybe'?><cib/>",
		"<?xml version='1.0' standalone='yes' encoding='UTF-8'?><cib/>",
		"<?xml version='1.0'encoding='UTF-8'?><cib/>",
		"<?xml version='1.0' junk?><cib/>",
		"<?xml version='1.0'",
		" <?xml version='1.0'?><cib/>", /* not at the start */
		"<!DOCTYPE cib><cib/>",
		"<cib xmlns='urn:x'/>",
		"<p:cib xmlns:p='urn:x'/>",
		"<cib/>text",
		"text<cib/>",
		"<cib/><cib/>",
		"</cib>",
		"<cib/></cib>",
		"<cib>",
		"<",
		"<cib/><!-- open",
		"<cib/><?pi",
		"<![CDATA[x]]><cib/>",
		"<cib/><![CDATA[x]]>",
		"<cib/><!-",
		"<?a:b x?><cib/>", /* libxml2: colons are forbidden */
		"<cib><?a:b?></cib>",
	};
	guint i;

	for (i = 0; i < G_N_ELEMENTS(ok); i++) {
		char *e = NULL;

		ck_assert_msg(read_all(ok[i], strlen(ok[i]), &e) ==
				      CIB_XML_DONE,
			      "ok[%u]: %s", i, e);
	}
	for (i = 0; i < G_N_ELEMENTS(refused); i++) {
		char *e = NULL;

		ck_assert_msg(read_all(refused[i], strlen(refused[i]), &e) ==
				      CIB_XML_ERROR,
			      "refused[%u] was read", i);
		g_free(e);
	}
}
END_TEST

/* ---- models, to compare two loads ---- */

static void
table(GString *s, const char *what, GHashTable *h)
{
	GList *keys, *l;

	if (h == NULL)
		return;
	keys = g_list_sort(g_hash_table_get_keys(h), (GCompareFunc)strcmp);
	for (l = keys; l != NULL; l = l->next)
		g_string_append_printf(
			s, " %s[%s]=%s", what, (const char *)l->data,
			(const char *)g_hash_table_lookup(h, l->data));
	g_list_free(keys);
	g_string_append_c(s, '\n');
}

static void
dump_nodes(GString *s, const struct cib *c)
{
	guint i, j, k;

	for (i = 0; i < c->nodes->len; i++) {
		const struct cib_node *n = c->nodes->pdata[i];

		g_string_append_printf(s, "node %s %s line %d online %d", n->id,
				       n->uname, n->line, n->online);
		table(s, "attr", n->attrs);
		for (j = 0; j < n->lrm->len; j++) {
			const struct cib_lrm_rsc *l = n->lrm->pdata[j];

			g_string_append_printf(s, " lrm %s line %d\n", l->id,
					       l->line);
			for (k = 0; k < l->n_ops; k++) {
				const struct cib_lrm_op *o = l->ops[k];

				g_string_append_printf(
					s, "  op %s %s call %d rc %d line %d\n",
					o->id, o->task, o->call_id, o->rc,
					o->line);
			}
		}
	}
}

static void
dump_resources(GString *s, const struct cib *c)
{
	guint i, j;

	for (i = 0; i < c->all->len; i++) {
		const struct cib_rsc *r = c->all->pdata[i];

		g_string_append_printf(
			s,
			"rsc %s kind %d %s:%s:%s parent %s line %d prio %d "
			"stick %d role %d managed %d mt %d ft %lld max %d/%d "
			"il %d ord %d col %d crit %d ma %s",
			r->id, r->kind, r->cls, r->provider, r->type,
			r->parent != NULL ? r->parent->id : "-", r->line,
			r->priority, r->stickiness, r->target_role, r->managed,
			r->migration_threshold, (long long)r->failure_timeout,
			r->clone_max, r->clone_node_max, r->interleave,
			r->ordered, r->colocated, r->critical,
			r->multiple_active);
		table(s, "meta", r->meta);
		table(s, "param", r->params);
		for (j = 0; j < r->ops->len; j++) {
			const struct cib_op_cfg *o = r->ops->pdata[j];

			g_string_append_printf(
				s,
				" op %s %s %llu role %d fail %d/%d en %d "
				"to %llu line %d",
				o->id, o->name,
				(unsigned long long)o->interval_ms, o->role,
				o->on_fail, o->on_fail_set, o->enabled,
				(unsigned long long)o->timeout_ms, o->line);
			table(s, "oparam", o->params);
		}
	}
}

static void
dump_constraints(GString *s, const struct cib *c)
{
	guint i, j, k;

	for (i = 0; i < c->locations->len; i++) {
		const struct cib_location *l = c->locations->pdata[i];

		g_string_append_printf(
			s, "loc %s %s %s score %d role %d disc %s line %d\n",
			l->id, l->rsc != NULL ? l->rsc->id : "-",
			l->node != NULL ? l->node->uname : "-", l->score,
			l->role, l->discovery, l->line);
		for (j = 0; j < l->rules->len; j++) {
			const struct cib_rule *r = l->rules->pdata[j];

			g_string_append_printf(s, " rule %s %d %s and %d\n",
					       r->id, r->score,
					       r->score_attribute, r->and_op);
			for (k = 0; k < r->exprs->len; k++) {
				const struct cib_expr *e = r->exprs->pdata[k];

				g_string_append_printf(
					s, "  %s %s %s %s\n", e->attribute,
					e->operation, e->value, e->type);
			}
		}
	}
	for (i = 0; i < c->colocations->len; i++) {
		const struct cib_colocation *o = c->colocations->pdata[i];

		g_string_append_printf(
			s, "col %s %s %s %d roles %d %d %s infl %d line %d\n",
			o->id, o->rsc->id, o->with->id, o->score, o->rsc_role,
			o->with_role, o->node_attribute, o->influence, o->line);
	}
	for (i = 0; i < c->orders->len; i++) {
		const struct cib_order *o = c->orders->pdata[i];

		g_string_append_printf(
			s, "ord %s %s %s %s %s kind %d sym %d line %d\n", o->id,
			o->first->id, o->first_action, o->then->id,
			o->then_action, o->kind, o->symmetrical, o->line);
	}
}

/* @c as text (NULL: "none"), with the diagnostics minus file names. */
static char *
dump(const struct cib *c, int rc, const GPtrArray *diags)
{
	GString *s = g_string_new(NULL);
	guint i;

	g_string_append_printf(s, "rc %d\n", rc);
	for (i = 0; i < diags->len; i++) {
		const struct cib_diag *d = diags->pdata[i];

		g_string_append_printf(s, "diag %d %d %s: %s\n", d->error,
				       d->line, d->element, d->message);
	}
	if (c == NULL)
		return g_string_free(s, FALSE);
	g_string_append_printf(
		s,
		"opts %d %d %d %d %d %d %d %d nq %d quorum %d dc %s exec "
		"%lld recheck %lld\n",
		c->stonith_enabled, c->symmetric, c->start_failure_fatal,
		c->maintenance_mode, c->stop_all, c->stop_orphans,
		c->startup_probes, c->stop_orphan_actions, c->no_quorum_policy,
		c->have_quorum, c->dc_uuid, (long long)c->execution_date,
		(long long)c->recheck_interval);
	table(s, "rsc_default", c->rsc_defaults);
	table(s, "op_default", c->op_defaults);
	dump_nodes(s, c);
	dump_resources(s, c);
	dump_constraints(s, c);
	return g_string_free(s, FALSE);
}

/* cib_load_memory() of @len bytes at @doc, as text. */
static char *
load_dump(const char *doc, size_t len)
{
	GPtrArray *diags =
		g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
	struct cib *cib = NULL;
	int rc = cib_load_memory(doc, len, "test.xml", diags, &cib);
	char *s = dump(cib, rc, diags);

	ck_assert_msg((rc == 0) == (cib != NULL), "rc %d", rc);
	cib_free(cib);
	g_ptr_array_unref(diags);
	return s;
}

/*
 * @doc with its XML declaration (if any) replaced by one that says
 * ISO-8859-1 (the same bytes, for ASCII), on the same line: neither
 * fast reader takes it, libxml2 reads it alone.
 */
static char *
latin1(const char *doc, size_t len, size_t *out_len)
{
	static const char decl[] =
		"<?xml version='1.0' encoding='ISO-8859-1'?>";
	const char *body = doc;
	GString *s = g_string_new(decl);

	if (len > 5 && memcmp(doc, "<?xml", 5) == 0) {
		const char *e = g_strstr_len(doc, (gssize)len, "?>");

		ck_assert_ptr_nonnull(e);
		body = e + 2;
	}
	g_string_append_len(s, body, (gssize)(len - (size_t)(body - doc)));
	*out_len = s->len;
	return g_string_free(s, FALSE);
}

/* @doc loads the same with and without libxml2: its dump, or NULL
 * when @doc is not ASCII (libxml2 would read it as Latin-1). */
static char *
same_both_ways(const char *what, const char *doc, size_t len)
{
	size_t n, i;
	char *slow, *fast, *other;

	for (i = 0; i < len; i++)
		if (doc[i] & 0x80)
			return NULL;
	other = latin1(doc, len, &n);
	fast = load_dump(doc, len);
	slow = load_dump(other, n);
	ck_assert_msg(strcmp(fast, slow) == 0, "%s:\n%s\n---- libxml2:\n%s",
		      what, fast, slow);
	g_free(slow);
	g_free(other);
	return fast;
}

START_TEST(test_refused_loads)
{
	/* what the tokenizer refuses but is XML loads through libxml2,
	 * into the same model */
	const char *const other[] = {
		"\xef\xbb\xbf" BODY,
		"<?xml version='1.0' encoding='ISO-8859-1'?>" BODY,
		"<!DOCTYPE cib>" BODY,
		/* namespaces: "<cib" BODY + 4 */
		"<cib xmlns='urn:x' xmlns:p='urn:y' p:x='1'",
	};
	char *plain = load_dump(BODY, strlen(BODY));
	guint i;

	ck_assert_msg(strstr(plain, "rc 0\n") == plain, "%s", plain);
	ck_assert_msg(strstr(plain, "quorum 1 dc 2 exec 100") != NULL, "%s",
		      plain);
	ck_assert_msg(strstr(plain, "Dummy parent - line 6") != NULL, "%s",
		      plain);
	ck_assert_msg(strstr(plain, "pacemaker:D& parent") != NULL, "%s",
		      plain);
	ck_assert_msg(strstr(plain, "op r1_last_0 start call 4 rc 0 line 13") !=
			      NULL,
		      "%s", plain);
	for (i = 0; i < G_N_ELEMENTS(other); i++) {
		char *doc = i < 3 ? g_strdup(other[i])
				  : g_strconcat(other[i], BODY + 4, NULL);
		char *s = load_dump(doc, strlen(doc));

		g_free(doc);

		ck_assert_msg(strcmp(s, plain) == 0, "other[%u]:\n%s", i, s);
		g_free(s);
	}
	g_free(plain);
}
END_TEST

START_TEST(test_same_errors)
{
	/* the unpacker's messages (file, line, element) are the same
	 * both ways, and name what they should */
	static const struct {
		const char *doc, *want;
		bool both; /* libxml2 alone says the same */
	} cases[] = {
		{"<cib><configuration>\n<nodes><node id='1'/></nodes>\n"
		 "<resources><primitive id='a' class='ocf'/>\n<group "
		 "id='g'><clone id='c'/></group></resources>\n<constraints>"
		 "<rsc_order id='o' first='a' then='zz'/>\n<rsc_ticket/>"
		 "</constraints></configuration></cib>",
		 "diag 1 2 node: a node needs both id and uname\n"
		 "diag 1 3 primitive: primitive 'a' needs class and type\n"
		 "diag 1 4 clone: a group cannot contain a <clone>\n"
		 "diag 1 5 rsc_order: then 'zz' names a resource that does "
		 "not exist\n"
		 "diag 1 6 rsc_ticket: <rsc_ticket> is not supported by fo\n",
		 true},
		/* a lone CR ends no line, for libxml2 as for the tokenizer */
		{"<cib>\r<configuration>\r<nodes><node id='1'/></nodes>"
		 "</configuration></cib>",
		 "diag 1 1 node: a node needs both id and uname", true},
		{"<cib><status/><configuration/><status/></cib>", "rc 0\n",
		 true},
		{"<cib/>", "the CIB has no <configuration> section", true},
		{"<cib><status><node_state id='1'/></status><configuration/>"
		 "</cib>",
		 "diag 1 1 node_state: the status section comes before the "
		 "configuration",
		 true},
		/* syntax errors: the tokenizer's in <status>, libxml2's
		 * outside (its push parser, as before) */
		{"<cib><configuration/><status>\n<node_state>\n<lrm></status>"
		 "</cib>",
		 "diag 1 3 lrm: XML syntax: </status> closes <lrm> of line 3",
		 false},
		{"<cib><configuration/>\n<x a='1' a='2'/></cib>",
		 "diag 1 2 (null): XML syntax: Attribute a redefined", false},
		{"<cib><configuration/>\n<x></cib>",
		 "diag 1 2 (null): XML syntax: Opening and ending tag "
		 "mismatch",
		 false},
		{"<bic/>", "the document element is <bic>, not <cib>", true},
		{"<cib><?a:b?><configuration/></cib>",
		 "diag 1 1 (null): XML syntax: colons are forbidden from PI "
		 "names 'a:b'",
		 true},
	};
	guint i;

	xmlSetGenericErrorFunc(NULL, quiet);
	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		size_t len = strlen(cases[i].doc);
		char *s = cases[i].both
				  ? same_both_ways("case", cases[i].doc, len)
				  : load_dump(cases[i].doc, len);

		ck_assert_msg(strstr(s, cases[i].want) != NULL,
			      "case %u:\n%s\nwants\n%s", i, s, cases[i].want);
		g_free(s);
	}
}
END_TEST

START_TEST(test_truncated)
{
	/* every truncation is an error: of the tokenizer, and of a load */
	size_t len = strlen(BODY), i;

	xmlSetGenericErrorFunc(NULL, quiet);
	for (i = 0; i < len; i++) {
		char *doc = g_malloc(i + 1);
		GPtrArray *diags = g_ptr_array_new_with_free_func(
			(GDestroyNotify)cib_diag_free);
		struct cib *cib = NULL;
		int rc;

		memcpy(doc, BODY, i); /* no terminator: read only @i bytes */
		ck_assert_msg(read_all(doc, i, NULL) == CIB_XML_ERROR,
			      "%zu bytes read whole", i);
		rc = cib_load_memory(doc, i, "cut.xml", diags, &cib);
		ck_assert_msg(rc != 0 && cib == NULL && diags->len > 0,
			      "%zu bytes loaded (rc %d)", i, rc);
		g_ptr_array_unref(diags);
		g_free(doc);
	}
}
END_TEST

/* ---- the light tree against libxml2's ---- */

static void
same_elem(const char *path, const struct cib_elem *e, xmlNodePtr n)
{
	const struct cib_elem *c;
	xmlAttrPtr a;
	xmlNodePtr k;
	int i = 0;

	ck_assert_msg(strcmp(e->name, (const char *)n->name) == 0,
		      "%s:%d: <%s>, libxml2 <%s>", path, e->line, e->name,
		      n->name);
	ck_assert_msg(cib__elem_line(e) == (int)xmlGetLineNo(n),
		      "%s: <%s> line %d, libxml2 %ld", path, e->name, e->line,
		      xmlGetLineNo(n));
	for (a = n->properties; a != NULL; a = a->next, i++) {
		ck_assert_msg(i < e->n_attrs, "%s:%d: <%s> misses %s", path,
			      e->line, e->name, a->name);
		ck_assert_str_eq(e->attrs[i].name, (const char *)a->name);
		ck_assert_str_eq(e->attrs[i].value,
				 (const char *)a->children->content);
	}
	ck_assert_int_eq(i, e->n_attrs);
	for (c = e->children, k = n->children;; c = c->next, k = k->next) {
		while (k != NULL && k->type != XML_ELEMENT_NODE)
			k = k->next;
		if (c == NULL || k == NULL)
			break;
		ck_assert_ptr_eq(c->parent, e);
		same_elem(path, c, k);
	}
	ck_assert_msg(c == NULL && k == NULL, "%s:%d: <%s>: %s children", path,
		      e->line, e->name, c != NULL ? "more" : "fewer");
}

/* The tokenizer's tree of @buf, and libxml2's tree copied, against
 * libxml2's tree. */
static void
same_tree(const char *path, const char *buf, size_t len)
{
	xmlDocPtr doc = xmlReadMemory(buf, (int)len, path, NULL, OPTS);
	struct cib_etree t, copy;
	struct cib_xml x;
	enum cib_xml_event ev;

	ck_assert_msg(doc != NULL, "%s: libxml2 cannot read it", path);
	cib__xml_init_doc(&x, buf, len);
	cib__etree_init(&t);
	while ((ev = cib__xml_next(&x)) == CIB_XML_START || ev == CIB_XML_END)
		if (ev == CIB_XML_START)
			cib__etree_start(&t, x.name, x.line, x.attrs,
					 x.n_attrs);
		else
			cib__etree_end(&t);
	ck_assert_msg(ev == CIB_XML_DONE, "%s:%d: %s", path, x.line, x.error);
	same_elem(path, t.root, xmlDocGetRootElement(doc));
	cib__etree_init(&copy);
	cib__etree_copy(&copy, xmlDocGetRootElement(doc), true);
	same_elem(path, copy.root, xmlDocGetRootElement(doc));
	ck_assert_ptr_null(copy.cur);
	cib__etree_clear(&copy);
	cib__etree_clear(&t);
	cib__xml_clear(&x);
	xmlFreeDoc(doc);
}

/* Every .xml file of @dir: the same tree, the same load both ways.
 * Returns how many were read. */
static guint
corpus(const char *dir, guint *ascii)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;
	guint n = 0;

	if (d == NULL)
		return 0;
	while ((name = g_dir_read_name(d)) != NULL) {
		char *path, *buf, *s;
		gsize len;

		if (!g_str_has_suffix(name, ".xml"))
			continue;
		path = g_build_filename(dir, name, NULL);
		ck_assert(g_file_get_contents(path, &buf, &len, NULL));
		same_tree(path, buf, len);
		if ((s = same_both_ways(path, buf, len)) != NULL)
			(*ascii)++;
		g_free(s);
		g_free(buf);
		g_free(path);
		n++;
	}
	g_dir_close(d);
	return n;
}

START_TEST(test_corpus)
{
	const char *top = getenv("top_srcdir");
	char *cases = g_build_filename(top != NULL ? top : ".", "tests", "pe",
				       "cases", NULL);
	char *cts = g_build_filename(top != NULL ? top : ".", "..", "shared",
				     "pacemaker-cts", "xml", NULL);
	guint ascii = 0, n1, n2;

	xmlSetGenericErrorFunc(NULL, quiet);
	n1 = corpus(cases, &ascii);
	n2 = corpus(cts, &ascii);
	printf("check_cibdoc: %u fixtures, %u Pacemaker inputs (%u ASCII, "
	       "loaded both ways)\n",
	       n1, n2, ascii);
	ck_assert_uint_gt(n1, 50);
	if (n2 == 0 && g_strcmp0(getenv("CI"), "true") == 0)
		ck_abort_msg("no Pacemaker inputs in %s", cts);
	g_free(cases);
	g_free(cts);
}
END_TEST

START_TEST(test_big_lines)
{
	/* past line 65535 libxml2's trees say 65535: so does the light
	 * tree, and both loads */
	GString *s = g_string_new("<cib><configuration><nodes>\n");
	char *d;
	int i;

	for (i = 0; i < 70000; i++)
		g_string_append_printf(s, "<node id='%d' uname='n%d'/>\n", i,
				       i);
	g_string_append(s, "<node id='x'/></nodes></configuration></cib>");
	same_tree("big", s->str, s->len);
	d = same_both_ways("big", s->str, s->len);
	ck_assert_msg(strstr(d, "diag 1 65535 node: a node needs") != NULL,
		      "%.300s", d);
	g_free(d);
	g_string_free(s, TRUE);
}
END_TEST

START_TEST(test_gzip)
{
	/* a compressed file is read by libxml2: the same model as the
	 * file itself */
	char *dir = g_dir_make_tmp("cibdoc-XXXXXX", NULL);
	char *path = g_build_filename(dir, "cib.xml", NULL);
	char *gz = g_strconcat(path, ".gz", NULL);
	char *argv[] = {"gzip", "-k", path, NULL};
	GPtrArray *d1 =
		g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
	GPtrArray *d2 =
		g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
	struct cib *a = NULL, *b = NULL;
	int rc1, rc2, status = -1;
	char *s1, *s2;

	ck_assert_ptr_nonnull(dir);
	ck_assert(g_file_set_contents(path, BODY, -1, NULL));
	ck_assert(g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL,
			       NULL, NULL, NULL, &status, NULL));
	ck_assert_int_eq(status, 0);
	rc1 = cib_load_file(path, d1, &a);
	rc2 = cib_load_file(gz, d2, &b);
	s1 = dump(a, rc1, d1);
	s2 = dump(b, rc2, d2);
	ck_assert_int_eq(rc1, 0);
	ck_assert_str_eq(s1, s2);
	cib_free(a);
	cib_free(b);
	g_free(s1);
	g_free(s2);
	g_ptr_array_unref(d1);
	g_ptr_array_unref(d2);
	ck_assert_int_eq(remove(gz), 0);
	ck_assert_int_eq(remove(path), 0);
	ck_assert_int_eq(remove(dir), 0);
	g_free(gz);
	g_free(path);
	g_free(dir);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("cibdoc");
	TCase *tc = tcase_create("document");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_prolog_forms);
	tcase_add_test(tc, test_refused_loads);
	tcase_add_test(tc, test_same_errors);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_corpus);
	tcase_add_test(tc, test_big_lines);
	tcase_add_test(tc, test_gzip);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	log_init("check_cibdoc", true, -1);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
