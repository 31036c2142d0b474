/*
 * graph_xml.c - serialise a transition graph: Pacemaker's
 * transition_graph XML shape (one synapse per action, its inputs as
 * triggers) and Graphviz dot.
 *
 * Output only; the attribute set is the subset the transition engine
 * needs (operation, key, node, interval, target rc, resource agent).
 */
#include <string.h>

#include "fo/graph.h"

static void
attr(GString *s, const char *name, const char *v)
{
	if (v == NULL)
		return;
	g_string_append_c(s, ' ');
	g_string_append(s, name);
	g_string_append(s, "=\"");
	if (strpbrk(v, "&<>\"'") == NULL) {
		g_string_append(s, v);
	} else {
		char *e = g_markup_escape_text(v, -1);

		g_string_append(s, e);
		g_free(e);
	}
	g_string_append_c(s, '"');
}

/* One action element; @full adds the resource and attributes. */
static void
action_xml(GString *s, const struct graph_action *a, bool full,
	   const char *indent)
{
	const char *el = a->kind == GRAPH_RSC_OP   ? "rsc_op"
			 : a->kind == GRAPH_PSEUDO ? "pseudo_event"
						   : "crm_event";
	char buf[32];

	g_snprintf(buf, sizeof(buf), "%d", a->id);
	g_string_append_printf(s, "%s<%s", indent, el);
	attr(s, "id", buf);
	attr(s, "operation", a->task);
	attr(s, "operation_key", a->key);
	attr(s, "on_node", a->node);
	attr(s, "on_node_uuid", a->node_id);
	if (!full) {
		g_string_append(s, "/>\n");
		return;
	}
	g_string_append(s, ">\n");
	if (a->kind == GRAPH_RSC_OP) {
		g_string_append_printf(s, "%s  <primitive", indent);
		attr(s, "id", a->rsc);
		if (a->rsc_long != NULL && a->rsc != NULL &&
		    strcmp(a->rsc_long, a->rsc) != 0)
			attr(s, "long-id", a->rsc_long);
		attr(s, "class", a->rsc_class);
		attr(s, "provider", a->rsc_provider);
		attr(s, "type", a->rsc_type);
		g_string_append(s, "/>\n");
	}
	g_string_append_printf(s, "%s  <attributes", indent);
	g_snprintf(buf, sizeof(buf), "%llu",
		   (unsigned long long)a->interval_ms);
	attr(s, "CRM_meta_interval", buf);
	if (a->kind == GRAPH_RSC_OP) {
		g_snprintf(buf, sizeof(buf), "%d", a->target_rc);
		attr(s, "CRM_meta_op_target_rc", buf);
	}
	attr(s, "CRM_meta_rsc", a->extra);
	g_string_append(s, "/>\n");
	g_string_append_printf(s, "%s</%s>\n", indent, el);
}

char *
graph_to_xml(const struct graph *g)
{
	GString *s = g_string_new("<?xml version=\"1.0\"?>\n"
				  "<transition_graph transition_id=\"0\">\n");
	guint i, j;

	for (i = 0; i < g->actions->len; i++) {
		const struct graph_action *a = g_ptr_array_index(g->actions, i);

		g_string_append_printf(s,
				       "  <synapse id=\"%u\">\n"
				       "    <action_set>\n",
				       i);
		action_xml(s, a, true, "      ");
		g_string_append(s, "    </action_set>\n    <inputs>\n");
		for (j = 0; j < a->inputs->len; j++) {
			g_string_append(s, "      <trigger>\n");
			action_xml(s,
				   g_ptr_array_index(
					   g->actions,
					   g_array_index(a->inputs, int, j)),
				   false, "        ");
			g_string_append(s, "      </trigger>\n");
		}
		g_string_append(s, "    </inputs>\n  </synapse>\n");
	}
	g_string_append(s, "</transition_graph>\n");
	return g_string_free(s, FALSE);
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
		const struct graph_action *a = g_ptr_array_index(g->actions, i);

		dot_label(s, a);
		g_string_append_printf(
			s,
			" [ style=bold color=\"%s\" "
			"fontcolor=\"%s\"]\n",
			a->kind == GRAPH_PSEUDO ? "orange" : "green", "black");
	}
	for (i = 0; i < g->actions->len; i++) {
		const struct graph_action *a = g_ptr_array_index(g->actions, i);

		for (j = 0; j < a->inputs->len; j++) {
			dot_label(s, g_ptr_array_index(
					     g->actions,
					     g_array_index(a->inputs, int, j)));
			g_string_append(s, " -> ");
			dot_label(s, a);
			g_string_append(s, " [ style = bold]\n");
		}
	}
	g_string_append(s, "}\n");
	return g_string_free(s, FALSE);
}
