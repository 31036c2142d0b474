/*
 * cib_patch.c - apply a configuration change to a copy of the CIB (pure).
 *
 * In: the current document and a <change> element holding operations
 * (<replace>, <put>, <delete>, <nvpair-set>, <nvpair-unset>). Out: a new
 * document (its configuration unpacked, see cib_config_pack), or an
 * error naming the operation that could not be applied.
 * Runs identically on every node (it depends on nothing but its inputs),
 * which is what keeps the replicas identical. Never modifies the input.
 */
#include <errno.h>
#include <string.h>

#include <libxml/tree.h>

#include "fo/cibrepl.h"
#include "fo/common.h"
#include "fo/xmlutil.h"

static const char *const patch_sections[] = {
	"crm_config",	"nodes",       "resources", "constraints",
	"rsc_defaults", "op_defaults", NULL,
};

static bool
is_elem(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE &&
	       (name == NULL || strcmp((const char *)n->name, name) == 0);
}

static xmlNodePtr
first_child(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
		if (is_elem(c, name))
			return c;
	return NULL;
}

static char *
attr(xmlNodePtr n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

/* The element with this id in document order below @top, or NULL. */
static xmlNodePtr
find_id(xmlNodePtr top, const char *id)
{
	for (xmlNodePtr c = top->children; c; c = c->next) {
		xmlChar *v;
		xmlNodePtr hit;

		if (!is_elem(c, NULL))
			continue;
		v = xmlGetProp(c, (const xmlChar *)"id");
		if (v && strcmp((const char *)v, id) == 0) {
			xmlFree(v);
			return c;
		}
		xmlFree(v);
		hit = find_id(c, id);
		if (hit)
			return hit;
	}
	return NULL;
}

static xmlNodePtr
ensure_child(xmlNodePtr parent, const char *name)
{
	xmlNodePtr c = first_child(parent, name);

	return c ? c : xmlNewChild(parent, NULL, (const xmlChar *)name, NULL);
}

static bool
known_section(const char *s)
{
	for (int i = 0; s && patch_sections[i]; i++)
		if (strcmp(s, patch_sections[i]) == 0)
			return true;
	return false;
}

static int fail(char **why, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(char **why, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	*why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return rc;
}

static int
op_replace(xmlNodePtr root, xmlNodePtr op, char **why)
{
	xmlNodePtr newcfg = first_child(op, "configuration");
	xmlNodePtr old = first_child(root, "configuration");
	xmlNodePtr copy;

	if (newcfg == NULL)
		return fail(why, -FO_EINVAL,
			    "<replace> holds no <configuration>");
	copy = xmlDocCopyNode(newcfg, root->doc, 1);
	if (old) {
		xmlReplaceNode(old, copy);
		xmlFreeNode(old);
	} else if (first_child(root, "status")) {
		xmlAddPrevSibling(first_child(root, "status"), copy);
	} else {
		xmlAddChild(root, copy);
	}
	return 0;
}

static int
op_put(xmlNodePtr cfg, xmlNodePtr op, char **why)
{
	g_autofree char *section = attr(op, "section");
	xmlNodePtr elem = NULL, existing, copy;
	g_autofree char *id = NULL;

	for (xmlNodePtr c = op->children; c; c = c->next)
		if (is_elem(c, NULL)) {
			elem = c;
			break;
		}
	if (!known_section(section))
		return fail(why, -FO_EINVAL, "<put>: unknown section '%s'",
			    section ? section : "");
	if (elem == NULL)
		return fail(why, -FO_EINVAL, "<put section=\"%s\"> is empty",
			    section);
	id = attr(elem, "id");
	if (id == NULL || *id == '\0')
		return fail(why, -FO_EINVAL, "<put>: <%s> has no id",
			    (const char *)elem->name);
	copy = xmlDocCopyNode(elem, cfg->doc, 1);
	existing = find_id(cfg, id);
	if (existing) {
		if (!xmlStrEqual(existing->name, elem->name)) {
			xmlFreeNode(copy);
			return fail(why, -FO_EINVAL,
				    "<put>: id '%s' is already used by a <%s>",
				    id, (const char *)existing->name);
		}
		xmlReplaceNode(existing, copy);
		xmlFreeNode(existing);
	} else {
		xmlAddChild(ensure_child(cfg, section), copy);
	}
	return 0;
}

static int
op_delete(xmlNodePtr cfg, xmlNodePtr op, char **why)
{
	g_autofree char *id = attr(op, "id");
	g_autofree char *if_exists = attr(op, "if-exists");
	xmlNodePtr n;

	if (id == NULL)
		return fail(why, -FO_EINVAL, "<delete> has no id");
	n = find_id(cfg, id);
	if (n == NULL) {
		if (if_exists && strcmp(if_exists, "1") == 0)
			return 0;
		return fail(why, -FO_ENOTFOUND,
			    "no element with id '%s' in "
			    "the configuration",
			    id);
	}
	if (n->parent == cfg)
		return fail(why, -FO_EINVAL, "cannot delete section '%s'", id);
	xmlUnlinkNode(n);
	xmlFreeNode(n);
	return 0;
}

/*
 * The attribute set of kind @set (meta_attributes, instance_attributes,
 * cluster_property_set) that an nvpair operation addresses, or NULL.
 */
static xmlNodePtr
nvset_find(xmlNodePtr cfg, const char *parent_id, const char *set, bool create,
	   char **why)
{
	g_autofree char *setid = NULL;
	xmlNodePtr parent, s;

	if (strcmp(set, "cluster_property_set") == 0) {
		parent = ensure_child(cfg, "crm_config");
		s = find_id(parent, parent_id);
		if (s == NULL && create) {
			s = xmlNewChild(parent, NULL, XC(set), NULL);
			xmlNewProp(s, XC("id"), XC(parent_id));
		}
		return s;
	}
	if (strcmp(set, "meta_attributes") != 0 &&
	    strcmp(set, "instance_attributes") != 0 &&
	    strcmp(set, "utilization") != 0) {
		fail(why, -FO_EINVAL, "unknown attribute set '%s'", set);
		return NULL;
	}
	parent = find_id(cfg, parent_id);
	if (parent == NULL) {
		fail(why, -FO_ENOTFOUND, "no element with id '%s'", parent_id);
		return NULL;
	}
	s = first_child(parent, set);
	if (s == NULL && create) {
		setid = g_strdup_printf("%s-%s", parent_id, set);
		s = xmlNewChild(parent, NULL, XC(set), NULL);
		xmlNewProp(s, XC("id"), XC(setid));
	}
	return s;
}

static int
op_nvpair(xmlNodePtr cfg, xmlNodePtr op, bool set_it, char **why)
{
	g_autofree char *pid = attr(op, "parent-id"), *set = attr(op, "set");
	g_autofree char *name = attr(op, "name"), *value = attr(op, "value");
	g_autofree char *sid = NULL, *nid = NULL;
	xmlNodePtr s, nv;

	if (!pid || !set || !name || (set_it && !value))
		return fail(why, -FO_EINVAL,
			    "<%s> needs parent-id, set, name%s",
			    (const char *)op->name, set_it ? " and value" : "");
	s = nvset_find(cfg, pid, set, set_it, why);
	if (s == NULL)
		return *why ? -FO_EINVAL : 0; /* unset of nothing: done */
	for (nv = s->children; nv; nv = nv->next) {
		g_autofree char *n = NULL;

		if (!is_elem(nv, "nvpair"))
			continue;
		n = attr(nv, "name");
		if (n && strcmp(n, name) == 0)
			break;
	}
	if (!set_it) {
		if (nv) {
			xmlUnlinkNode(nv);
			xmlFreeNode(nv);
		}
		return 0;
	}
	if (nv) {
		xmlSetProp(nv, XC("value"), XC(value));
		return 0;
	}
	sid = attr(s, "id");
	nid = g_strdup_printf("%s-%s", sid ? sid : pid, name);
	nv = xmlNewChild(s, NULL, XC("nvpair"), NULL);
	xmlNewProp(nv, XC("id"), XC(nid));
	xmlNewProp(nv, XC("name"), XC(name));
	xmlNewProp(nv, XC("value"), XC(value));
	return 0;
}

void
cib_config_pack(xmlDocPtr doc, bool pack)
{
	static const char *const big[] = {"resources", "constraints"};
	xmlNodePtr cfg =
		first_child(xmlDocGetRootElement(doc), "configuration");

	for (size_t i = 0; cfg && i < G_N_ELEMENTS(big); i++) {
		xmlNodePtr sec = first_child(cfg, big[i]);

		if (sec && pack)
			(void)fo_xml_pack(sec);
		else if (sec && fo_xml_unpack(sec) != 0)
			log_warnx("cib: the packed <%s> does not parse",
				  big[i]);
	}
}

int
cib_patch_apply(xmlDocPtr doc, xmlNodePtr change, xmlDocPtr *out, char **why)
{
	xmlDocPtr copy;
	xmlNodePtr root, cfg;
	int rc = 0;

	*out = NULL;
	*why = NULL;
	if (!is_elem(change, "change"))
		return fail(why, -FO_ESYNTAX, "expected a <change> element");
	copy = doc ? xmlCopyDoc(doc, 1) : xmlNewDoc(XC("1.0"));
	root = xmlDocGetRootElement(copy);
	if (root == NULL) {
		root = xmlNewNode(NULL, XC("cib"));
		xmlDocSetRootElement(copy, root);
	}
	cib_config_pack(copy, false);
	for (xmlNodePtr op = change->children; op && rc == 0; op = op->next) {
		if (!is_elem(op, NULL))
			continue;
		if (is_elem(op, "replace")) {
			rc = op_replace(root, op, why);
			continue;
		}
		cfg = first_child(root, "configuration");
		if (cfg == NULL)
			cfg = xmlNewChild(root, NULL, XC("configuration"),
					  NULL);
		if (is_elem(op, "put"))
			rc = op_put(cfg, op, why);
		else if (is_elem(op, "delete"))
			rc = op_delete(cfg, op, why);
		else if (is_elem(op, "nvpair-set"))
			rc = op_nvpair(cfg, op, true, why);
		else if (is_elem(op, "nvpair-unset"))
			rc = op_nvpair(cfg, op, false, why);
		else
			rc = fail(why, -FO_EINVAL, "unknown operation <%s>",
				  (const char *)op->name);
	}
	if (rc != 0) {
		xmlFreeDoc(copy);
		return rc;
	}
	*out = copy;
	return 0;
}
