/*
 * graph_xml.c - serialise a transition graph: Pacemaker's
 * transition_graph XML shape (one synapse per action, its inputs as
 * triggers) and Graphviz dot.
 *
 * Output only; the attribute set is the subset the transition engine
 * needs (operation, key, node, interval, target rc, resource agent).
 */
#include <string.h>

#include <libxml/tree.h>

#include "fo/graph.h"

static void
add_action_xml(xmlNodePtr parent, const struct graph_action *a, bool full)
{
	static char rsc_op[] = "rsc_op", pseudo[] = "pseudo_event",
	    crm[] = "crm_event";
	char *el = a->kind == GRAPH_RSC_OP ? rsc_op :
	    a->kind == GRAPH_PSEUDO ? pseudo : crm;
	xmlNodePtr n = xmlNewChild(parent, NULL, BAD_CAST el, NULL);
	char buf[32];

	g_snprintf(buf, sizeof(buf), "%d", a->id);
	xmlNewProp(n, BAD_CAST "id", BAD_CAST buf);
	xmlNewProp(n, BAD_CAST "operation", BAD_CAST a->task);
	xmlNewProp(n, BAD_CAST "operation_key", BAD_CAST a->key);
	if (a->node != NULL)
		xmlNewProp(n, BAD_CAST "on_node", BAD_CAST a->node);
	if (a->node_id != NULL)
		xmlNewProp(n, BAD_CAST "on_node_uuid", BAD_CAST a->node_id);
	if (!full)
		return;
	if (a->kind == GRAPH_RSC_OP) {
		xmlNodePtr p = xmlNewChild(n, NULL, BAD_CAST "primitive",
		    NULL);

		xmlNewProp(p, BAD_CAST "id", BAD_CAST a->rsc);
		if (a->rsc_long != NULL && strcmp(a->rsc_long, a->rsc) != 0)
			xmlNewProp(p, BAD_CAST "long-id",
			    BAD_CAST a->rsc_long);
		if (a->rsc_class)
			xmlNewProp(p, BAD_CAST "class", BAD_CAST a->rsc_class);
		if (a->rsc_provider)
			xmlNewProp(p, BAD_CAST "provider",
			    BAD_CAST a->rsc_provider);
		if (a->rsc_type)
			xmlNewProp(p, BAD_CAST "type", BAD_CAST a->rsc_type);
	}
	{
		xmlNodePtr at = xmlNewChild(n, NULL, BAD_CAST "attributes",
		    NULL);

		g_snprintf(buf, sizeof(buf), "%llu",
		    (unsigned long long)a->interval_ms);
		xmlNewProp(at, BAD_CAST "CRM_meta_interval", BAD_CAST buf);
		g_snprintf(buf, sizeof(buf), "%d", a->target_rc);
		if (a->kind == GRAPH_RSC_OP)
			xmlNewProp(at, BAD_CAST "CRM_meta_op_target_rc",
			    BAD_CAST buf);
		if (a->extra != NULL)
			xmlNewProp(at, BAD_CAST "CRM_meta_rsc",
			    BAD_CAST a->extra);
	}
}

char *
graph_to_xml(const struct graph *g)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "transition_graph");
	xmlChar *mem = NULL;
	int len = 0;
	char *out;
	guint i, j;

	xmlDocSetRootElement(doc, root);
	xmlNewProp(root, BAD_CAST "transition_id", BAD_CAST "0");
	for (i = 0; i < g->actions->len; i++) {
		const struct graph_action *a = g_ptr_array_index(g->actions,
		    i);
		xmlNodePtr syn = xmlNewChild(root, NULL, BAD_CAST "synapse",
		    NULL);
		xmlNodePtr set, inputs;
		char buf[32];

		g_snprintf(buf, sizeof(buf), "%u", i);
		xmlNewProp(syn, BAD_CAST "id", BAD_CAST buf);
		set = xmlNewChild(syn, NULL, BAD_CAST "action_set", NULL);
		add_action_xml(set, a, true);
		inputs = xmlNewChild(syn, NULL, BAD_CAST "inputs", NULL);
		for (j = 0; j < a->inputs->len; j++) {
			xmlNodePtr trig = xmlNewChild(inputs, NULL,
			    BAD_CAST "trigger", NULL);

			add_action_xml(trig, g_ptr_array_index(g->actions,
			    g_array_index(a->inputs, int, j)), false);
		}
	}
	xmlDocDumpFormatMemory(doc, &mem, &len, 1);
	out = g_strndup((const char *)mem, (gsize)len);
	xmlFree(mem);
	xmlFreeDoc(doc);
	return out;
}

static void
dot_label(GString *s, const struct graph_action *a)
{
	if (a->node != NULL && a->kind != GRAPH_PSEUDO)
		g_string_append_printf(s, "\"%s %s\"", a->key, a->node);
	else
		g_string_append_printf(s, "\"%s\"", a->key);
}

char *
graph_to_dot(const struct graph *g)
{
	GString *s = g_string_new(" digraph \"g\" {\n");
	guint i, j;

	for (i = 0; i < g->actions->len; i++) {
		const struct graph_action *a = g_ptr_array_index(g->actions,
		    i);

		dot_label(s, a);
		g_string_append_printf(s, " [ style=bold color=\"%s\" "
		    "fontcolor=\"%s\"]\n", a->kind == GRAPH_PSEUDO ? "orange" :
		    "green", "black");
	}
	for (i = 0; i < g->actions->len; i++) {
		const struct graph_action *a = g_ptr_array_index(g->actions,
		    i);

		for (j = 0; j < a->inputs->len; j++) {
			dot_label(s, g_ptr_array_index(g->actions,
			    g_array_index(a->inputs, int, j)));
			g_string_append(s, " -> ");
			dot_label(s, a);
			g_string_append(s, " [ style = bold]\n");
		}
	}
	g_string_append(s, "}\n");
	return g_string_free(s, FALSE);
}
