/*
 * node_edit.c - what fo-node reads and writes in the CIB (pure).
 *
 * In: the live CIB and a node name. Out: the rows of `fo-node list`, or a
 * struct cli_edit that sets or removes a node attribute (standby,
 * maintenance) in the node's instance_attributes. Nodes are named by
 * uname; in the CIB a node is <node id="COROSYNC-NODEID" uname="NAME">,
 * and its attributes live in the set "nodes-ID" with nvpairs
 * "nodes-ID-NAME", the ids crm_attribute gives them.
 */
#include <string.h>

#include "cli.h"
#include "fo/xmlutil.h"

static bool
truthy(const char *v)
{
	return v && (g_ascii_strcasecmp(v, "on") == 0 ||
		     g_ascii_strcasecmp(v, "true") == 0 ||
		     g_ascii_strcasecmp(v, "yes") == 0 ||
		     g_ascii_strcasecmp(v, "y") == 0 || strcmp(v, "1") == 0);
}

/* The nvpair @name in any instance_attributes of @node, or NULL. */
static xmlNodePtr
node_nvpair(xmlNodePtr node, const char *name)
{
	for (xmlNodePtr s = cli_child(node, NULL); s; s = s->next) {
		if (s->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)s->name, "instance_attributes") != 0)
			continue;
		for (xmlNodePtr nv = cli_child(s, "nvpair"); nv;
		     nv = nv->next) {
			g_autofree char *n = cli_prop(nv, "name");

			if (g_strcmp0(n, name) == 0)
				return nv;
		}
	}
	return NULL;
}

int
cli_node_attr(xmlDocPtr cib, const char *node, const char *name,
	      const char *value, const char *undo, struct cli_edit *e,
	      char **why)
{
	xmlNodePtr n = cli_node_by_name(cib, node), ns = NULL, copy;
	g_autofree char *id = NULL, *sid = NULL, *old = NULL, *label = NULL;

	if (n == NULL && (ns = cli_node_state(cib, node, NULL)) == NULL) {
		g_autofree char *names = cli_node_names(cib);

		*why = g_strdup_printf("no node '%s' in the CIB (known nodes: "
				       "%s)",
				       node, names);
		return CLI_ERROR;
	}
	id = cli_prop(n ? n : ns, "id");
	old = cli_prop(node_nvpair(n, name), "value");
	if (value == NULL && old == NULL) {
		cli_edit_note(e, "%s has no %s attribute; nothing to change",
			      node, name);
		return CLI_OK;
	}
	if (value && g_strcmp0(old, value) == 0) {
		cli_edit_note(e, "%s already has %s=%s; nothing to change",
			      node, name, value);
		return CLI_OK;
	}
	if (n == NULL || cli_child(n, "instance_attributes") == NULL) {
		/* Give the node its set with crm_attribute's id first. */
		sid = g_strdup_printf("nodes-%s", id);
		if (n) {
			copy = xmlCopyNode(n, 1);
		} else {
			copy = xmlNewNode(NULL, XC("node"));
			xmlNewProp(copy, XC("id"), XC(id));
			xmlNewProp(copy, XC("uname"), XC(node));
			cli_edit_note(e,
				      "%s (id %s) was only in the status "
				      "section; added to <nodes>",
				      node, id);
		}
		xmlNewProp(xmlNewChild(copy, NULL, XC("instance_attributes"),
				       NULL),
			   XC("id"), XC(sid));
		cli_edit_put(e, "nodes", copy);
	}
	label = g_strdup_printf("node %s", node);
	cli_edit_nvpair(e, label, id, "instance_attributes", name, value);
	e->undo = g_strdup(undo);
	return CLI_OK;
}

static void
row_free(void *p)
{
	struct cli_node_row *r = p;

	g_free(r->name);
	g_free(r->id);
	g_free(r);
}

static struct cli_node_row *
make_row(xmlDocPtr cib, xmlNodePtr n, xmlNodePtr ns)
{
	struct cli_node_row *r = g_new0(struct cli_node_row, 1);
	g_autofree char *ccm = NULL, *crmd = NULL, *sb = NULL, *mt = NULL;

	r->configured = n != NULL;
	r->name = cli_prop(n ? n : ns, "uname");
	r->id = cli_prop(n ? n : ns, "id");
	if (ns == NULL)
		ns = cli_node_state(cib, NULL, r->id);
	ccm = cli_prop(ns, "in_ccm");
	crmd = cli_prop(ns, "crmd");
	if (g_strcmp0(ccm, "true") != 0)
		r->state = "offline";
	else if (g_strcmp0(crmd, "online") == 0)
		r->state = "online";
	else
		r->state = "member, fo-crmd down";
	sb = cli_prop(node_nvpair(n, "standby"), "value");
	mt = cli_prop(node_nvpair(n, "maintenance"), "value");
	r->standby = truthy(sb);
	r->maintenance = truthy(mt);
	return r;
}

GPtrArray *
cli_node_rows(xmlDocPtr cib)
{
	GPtrArray *rows = g_ptr_array_new_with_free_func(row_free);

	for (xmlNodePtr n = cli_child(cli_section(cib, "nodes"), "node"); n;
	     n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, "node") == 0)
			g_ptr_array_add(rows, make_row(cib, n, NULL));
	for (xmlNodePtr ns = cli_child(cli_section(cib, "status"), NULL); ns;
	     ns = ns->next) {
		g_autofree char *id = cli_prop(ns, "id");
		bool known = false;

		if (ns->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)ns->name, "node_state") != 0)
			continue;
		for (guint i = 0; i < rows->len && !known; i++)
			known = g_strcmp0(
					((struct cli_node_row *)rows->pdata[i])
						->id,
					id) == 0;
		if (!known)
			g_ptr_array_add(rows, make_row(cib, NULL, ns));
	}
	return rows;
}
