/*
 * schema.c - the configuration check: validate-with, subset, RELAX NG.
 *
 * Stage: before unpacking. In: the caller's <cib> element. Out: struct
 * cib_diag findings and a verdict (include/fo/schema.h). The check works
 * on a private copy of the document without the status section: the
 * subset walk (schema_subset.c) reports refused features and takes them
 * out of the copy, the shape walk (schema_shape.c) names missing and
 * unknown attributes and children, then the copy is validated against
 * schemas/fo-cib.rng,
 * which the build embeds as cib_schema_rng[]. libxml2's validity errors go
 * to a structured handler, never to stderr; an error on an element that
 * already has one (or on its ancestors, libxml2's follow-on complaints) is
 * dropped, so each problem is reported once. Copy nodes point back to the
 * caller's nodes through _private, so lines are the caller's.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include "fo/common.h"
#include "fo/schema.h"
#include "schema_int.h"

/* Generated from schemas/fo-cib.rng by lib/cib/schema.inc. */
extern const char cib_schema_rng[];
extern const size_t cib_schema_rng_len;

#if LIBXML_VERSION >= 21200
typedef const xmlError *cib_xml_error_t;
#else
typedef xmlErrorPtr cib_xml_error_t;
#endif

#define SCHEMA_HINT                                                            \
	"fix it to match the supported format "                                \
	"(docs/schema.md, schemas/fo-cib.rng)"

/* The caller's node behind a copy node (the node itself if not linked). */
static xmlNodePtr
chk_original(xmlNodePtr n)
{
	if (n != NULL && n->_private != NULL)
		return n->_private;
	return n;
}

/* `<name id="...">`, with name="..." for nvpairs; NULL for no element. */
static char *
chk_describe(xmlNodePtr n)
{
	GString *s;
	xmlChar *v;

	if (n == NULL || n->type != XML_ELEMENT_NODE || n->name == NULL)
		return NULL;
	s = g_string_new(NULL);
	g_string_append_printf(s, "<%s", (const char *)n->name);
	if ((v = xmlGetProp(n, (const xmlChar *)"id")) != NULL) {
		g_string_append_printf(s, " id=\"%s\"", (const char *)v);
		xmlFree(v);
	}
	if (xmlStrEqual(n->name, (const xmlChar *)"nvpair") &&
	    (v = xmlGetProp(n, (const xmlChar *)"name")) != NULL) {
		g_string_append_printf(s, " name=\"%s\"", (const char *)v);
		xmlFree(v);
	}
	g_string_append_c(s, '>');
	return g_string_free(s, FALSE);
}

enum cib_chk_sev
cib__sev_form(const struct cib_chk *c)
{
	return c->schema_warn_only ? CIB_CHK_WARN : CIB_CHK_ESCHEMA;
}

/* Mark n and its ancestors: later schema errors there are follow-ons. */
static void
chk_cover(struct cib_chk *c, xmlNodePtr n)
{
	for (; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent)
		g_hash_table_add(c->covered, n);
}

static void
chk_vdiag(struct cib_chk *c, xmlNodePtr n, enum cib_chk_sev sev,
	  const char *fmt, va_list ap)
{
	struct cib_diag *d = g_new0(struct cib_diag, 1);
	xmlNodePtr orig = chk_original(n);
	long line = orig != NULL ? xmlGetLineNo(orig) : 0;

	d->error = sev != CIB_CHK_WARN;
	d->file = g_strdup(c->file);
	d->line = line > 0 && line <= G_MAXINT ? (int)line : 0;
	d->element = chk_describe(orig);
	d->message = g_strdup_vprintf(fmt, ap);
	g_ptr_array_add(c->found, d);
	if (sev == CIB_CHK_ESCHEMA)
		c->n_schema++;
	else if (sev == CIB_CHK_EUNSUPPORTED)
		c->n_unsupported++;
	if (sev != CIB_CHK_WARN)
		chk_cover(c, n);
}

void
cib__chk_diag(struct cib_chk *c, xmlNodePtr n, enum cib_chk_sev sev,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	chk_vdiag(c, n, sev, fmt, ap);
	va_end(ap);
}

void
cib__chk_refuse(struct cib_chk *c, xmlNodePtr n, xmlNodePtr prune,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	chk_vdiag(c, n, CIB_CHK_EUNSUPPORTED, fmt, ap);
	va_end(ap);
	if (prune != NULL && prune->parent != NULL &&
	    prune->parent->type == XML_ELEMENT_NODE)
		g_hash_table_add(c->prune, prune);
}

/* Point every node of copy at its twin in orig (same shape). */
static void
chk_link(xmlNodePtr copy, xmlNodePtr orig)
{
	for (; copy != NULL && orig != NULL;
	     copy = copy->next, orig = orig->next) {
		copy->_private = orig;
		if (copy->type == XML_ELEMENT_NODE)
			chk_link(copy->children, orig->children);
	}
}

/*
 * The copy: <cib> with its attributes, every child but the status
 * section's content. Returns NULL only if libxml2 fails to copy.
 */
static xmlDocPtr
chk_copy(xmlNodePtr cib_root)
{
	xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNodePtr root, child, copy;

	root = xmlDocCopyNode(cib_root, doc, 2);
	if (root == NULL) {
		xmlFreeDoc(doc);
		return NULL;
	}
	root->_private = cib_root;
	xmlDocSetRootElement(doc, root);
	for (child = cib_root->children; child != NULL; child = child->next) {
		bool status =
			child->type == XML_ELEMENT_NODE &&
			xmlStrEqual(child->name, (const xmlChar *)"status");

		copy = xmlDocCopyNode(child, doc, status ? 2 : 1);
		if (copy == NULL)
			continue;
		copy->_private = child;
		if (!status && copy->type == XML_ELEMENT_NODE)
			chk_link(copy->children, child->children);
		xmlAddChild(root, copy);
	}
	return doc;
}

/* pacemaker-1.0, -1.2, -1.3, -2.0 ... -2.10, -3.N; N without leading 0. */
static bool
validate_with_known(const char *v)
{
	const char *minor;
	long n;
	char *end;

	if (!g_str_has_prefix(v, "pacemaker-"))
		return false;
	v += strlen("pacemaker-");
	if (strcmp(v, "1.0") == 0 || strcmp(v, "1.2") == 0 ||
	    strcmp(v, "1.3") == 0)
		return true;
	if ((v[0] != '2' && v[0] != '3') || v[1] != '.')
		return false;
	minor = v + 2;
	if (!g_ascii_isdigit(minor[0]) || (minor[0] == '0' && minor[1] != '\0'))
		return false;
	errno = 0;
	n = strtol(minor, &end, 10);
	if (*end != '\0' || errno != 0)
		return false;
	return v[0] == '3' || n <= 10;
}

static void
chk_validate_with(struct cib_chk *c, xmlNodePtr root)
{
	xmlChar *v = xmlGetProp(root, (const xmlChar *)"validate-with");

	if (v == NULL) {
		cib__chk_diag(c, root, CIB_CHK_WARN,
			      "no validate-with attribute: fo checks the "
			      "configuration against its own schema anyway; "
			      "add validate-with=\"pacemaker-3.9\"");
	} else if (strcmp((const char *)v, "none") == 0) {
		c->schema_warn_only = true;
		cib__chk_diag(
			c, root, CIB_CHK_WARN,
			"validate-with=\"none\": what only the schema catches "
			"is reported as a warning; set "
			"validate-with=\"pacemaker-3.9\" to have it refused");
	} else if (!validate_with_known((const char *)v)) {
		cib__chk_diag(c, root, CIB_CHK_ESCHEMA,
			      "validate-with=\"%s\" is not a schema version fo "
			      "accepts (pacemaker-1.0 ... pacemaker-3.x, or "
			      "none); use validate-with=\"pacemaker-3.9\"",
			      (const char *)v);
	}
	xmlFree(v);
}

/* One validity error as libxml2 gave it; judged after validation. */
struct rng_error {
	xmlNodePtr node; /* element in the copy, or NULL */
	char *message;
	bool generic; /* a follow-on, often on the wrong element */
};

static void
rng_error_free(gpointer p)
{
	struct rng_error *e = p;

	g_free(e->message);
	g_free(e);
}

/*
 * libxml2's complaints about a parent's content ("extra content",
 * "failed to validate content", interleave errors) follow a precise error
 * further down and often name a sibling of the culprit.
 */
static bool
rng_message_generic(const char *m)
{
	return strstr(m, "has extra content") != NULL ||
	       strstr(m, "failed to validate content") != NULL ||
	       strstr(m, "Extra element") != NULL ||
	       strstr(m, "Invalid sequence in interleave") != NULL;
}

static void
chk_rng_error(void *ctx, cib_xml_error_t err)
{
	GPtrArray *raw = ctx;
	struct rng_error *e;
	xmlNodePtr n;

	if (err == NULL)
		return;
	n = err->node;
	if (n != NULL && n->type != XML_ELEMENT_NODE)
		n = n->parent;
	e = g_new0(struct rng_error, 1);
	e->node = n;
	e->message = g_strstrip(
		g_strdup(err->message != NULL ? err->message : "schema error"));
	e->generic = n == NULL || rng_message_generic(e->message);
	g_ptr_array_add(raw, e);
}

/*
 * Turn the raw validity errors into findings: one per element, none on an
 * element that already has an error (or inside whose subtree one is), and
 * the follow-on kind only when nothing more precise was found.
 */
static void
chk_rng_report(struct cib_chk *c, GPtrArray *raw)
{
	enum cib_chk_sev sev = cib__sev_form(c);
	bool precise = c->n_schema > 0 || c->n_unsupported > 0;
	guint i;

	for (i = 0; i < raw->len; i++)
		if (!((struct rng_error *)raw->pdata[i])->generic)
			precise = true;
	for (i = 0; i < raw->len; i++) {
		struct rng_error *e = raw->pdata[i];

		if (e->node == NULL || (precise && e->generic) ||
		    g_hash_table_contains(c->covered, e->node))
			continue;
		if (strstr(e->message, " failed to validate attributes"))
			cib__chk_diag(c, e->node, sev,
				      "an attribute is missing or has a value "
				      "outside the supported set; %s",
				      SCHEMA_HINT);
		else
			cib__chk_diag(c, e->node, sev, "%s; %s", e->message,
				      SCHEMA_HINT);
		chk_cover(c, e->node);
		c->n_rng++;
	}
}

/* An error in fo's own schema: a bug in fo, reported once. */
static void
chk_rng_parse_error(void *ctx, cib_xml_error_t err)
{
	struct cib_chk *c = ctx;
	char *msg;

	if (err == NULL || c->n_rng++ > 0)
		return;
	msg = g_strstrip(
		g_strdup(err->message != NULL ? err->message : "error"));
	cib__chk_diag(c, NULL, CIB_CHK_ESCHEMA,
		      "fo's built-in schema, line %d: %s (report this as a bug "
		      "in fo)",
		      err->line, msg);
	g_free(msg);
}

/* Parse the embedded schema and validate doc; findings go to c. */
static void
chk_relaxng(struct cib_chk *c, xmlDocPtr doc)
{
	xmlRelaxNGParserCtxtPtr pctx;
	xmlRelaxNGPtr rng = NULL;
	xmlRelaxNGValidCtxtPtr vctx = NULL;

	pctx = xmlRelaxNGNewMemParserCtxt(cib_schema_rng,
					  (int)cib_schema_rng_len);
	if (pctx != NULL) {
		xmlRelaxNGSetParserStructuredErrors(pctx, chk_rng_parse_error,
						    c);
		rng = xmlRelaxNGParse(pctx);
		xmlRelaxNGFreeParserCtxt(pctx);
	}
	if (rng == NULL) {
		cib__chk_diag(
			c, NULL, CIB_CHK_ESCHEMA,
			"fo's built-in schema did not load; the configuration "
			"was not checked (report this as a bug in fo)");
		return;
	}
	vctx = xmlRelaxNGNewValidCtxt(rng);
	if (vctx != NULL) {
		GPtrArray *raw = g_ptr_array_new_with_free_func(rng_error_free);
		int bad;

		xmlRelaxNGSetValidStructuredErrors(vctx, chk_rng_error, raw);
		bad = xmlRelaxNGValidateDoc(vctx, doc);
		chk_rng_report(c, raw);
		if (bad != 0 && c->n_rng == 0 && c->n_schema == 0 &&
		    c->n_unsupported == 0)
			cib__chk_diag(c, xmlDocGetRootElement(doc),
				      cib__sev_form(c), "does not validate; %s",
				      SCHEMA_HINT);
		g_ptr_array_free(raw, TRUE);
		xmlRelaxNGFreeValidCtxt(vctx);
	}
	xmlRelaxNGFree(rng);
}

/* Unlink a refused subtree and keep it in user (a GPtrArray) to free. */
static void
chk_prune_one(gpointer key, gpointer value, gpointer user)
{
	(void)value;
	xmlUnlinkNode(key);
	g_ptr_array_add(user, key);
}

/* Line order, stable: findings on one line keep the order they were made. */
static gint
chk_by_line(gconstpointer a, gconstpointer b)
{
	const struct cib_diag *da = *(const struct cib_diag *const *)a;
	const struct cib_diag *db = *(const struct cib_diag *const *)b;

	return (da->line > db->line) - (da->line < db->line);
}

static int
chk_finish(struct cib_chk *c, GPtrArray *diags)
{
	guint i;

	g_ptr_array_sort(c->found, chk_by_line);
	for (i = 0; i < c->found->len; i++)
		g_ptr_array_add(diags, c->found->pdata[i]);
	g_ptr_array_free(c->found, TRUE);
	if (c->n_unsupported > 0)
		return -FO_EUNSUPPORTED;
	if (c->n_schema > 0)
		return -FO_ESCHEMA;
	return 0;
}

int
cib_config_check(xmlNodePtr cib_root, const char *file, GPtrArray *diags)
{
	struct cib_chk c = {0};
	xmlDocPtr doc = NULL;
	GPtrArray *pruned;
	guint i;
	int rc;

	if (diags == NULL)
		return -EINVAL;
	c.file = file;
	c.found = g_ptr_array_new();
	c.covered = g_hash_table_new(NULL, NULL);
	c.prune = g_hash_table_new(NULL, NULL);
	c.ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	if (cib_root == NULL || cib_root->type != XML_ELEMENT_NODE) {
		cib__chk_diag(&c, NULL, CIB_CHK_ESCHEMA,
			      "no CIB: the document has no root element");
		goto out;
	}
	if (!xmlStrEqual(cib_root->name, (const xmlChar *)"cib")) {
		cib__chk_diag(&c, cib_root, CIB_CHK_ESCHEMA,
			      "the root element is <%s>, not <cib>: this is "
			      "not a CIB",
			      (const char *)cib_root->name);
		goto out;
	}
	chk_validate_with(&c, cib_root);
	doc = chk_copy(cib_root);
	if (doc == NULL) {
		cib__chk_diag(&c, cib_root, CIB_CHK_ESCHEMA,
			      "the document could not be copied for checking");
		goto out;
	}
	cib__subset_scan(&c, xmlDocGetRootElement(doc));
	cib__shape_scan(&c, xmlDocGetRootElement(doc));

	/* Unlink every refused subtree, then free them after validation. */
	pruned = g_ptr_array_new();
	g_hash_table_foreach(c.prune, chk_prune_one, pruned);
	chk_relaxng(&c, doc);
	for (i = 0; i < pruned->len; i++)
		xmlFreeNode(pruned->pdata[i]);
	g_ptr_array_free(pruned, TRUE);
out:
	/* The findings reference no node, so the copy can go first. */
	if (doc != NULL)
		xmlFreeDoc(doc);
	g_hash_table_destroy(c.ids);
	g_hash_table_destroy(c.prune);
	g_hash_table_destroy(c.covered);
	rc = chk_finish(&c, diags);
	return rc;
}
