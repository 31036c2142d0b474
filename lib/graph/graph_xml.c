/*
 * graph_xml.c - serialise a transition graph: Pacemaker's
 * transition_graph XML shape (one synapse per action, its inputs as
 * triggers) and Graphviz dot.
 *
 * Output only; the attribute set is the subset the transition engine
 * needs (operation, key, node, interval, target rc, resource agent).
 */
#include <errno.h>
#include <string.h>

#include "fo/graph.h"

/* Text goes to @s; with @f set, @s is a buffer flushed to @f as it
 * fills, so a graph of 100 MB never sits in memory whole. */
struct xml_out {
	GString *s;
	FILE *f;
	bool failed;
};

static void
flush_out(struct xml_out *o, gsize keep_below)
{
	if (o->f == NULL || o->s->len < keep_below)
		return;
	if (fwrite(o->s->str, 1, o->s->len, o->f) != o->s->len)
		o->failed = true;
	g_string_truncate(o->s, 0);
}

static void
put_int(GString *s, long long v)
{
	char buf[24], *p = buf + sizeof(buf);
	unsigned long long u =
		v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	g_string_append_len(s, p, buf + sizeof(buf) - p);
}

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

	g_string_append(s, indent);
	g_string_append_c(s, '<');
	g_string_append(s, el);
	g_string_append(s, " id=\"");
	put_int(s, a->id);
	g_string_append_c(s, '"');
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
		g_string_append(s, indent);
		g_string_append(s, "  <primitive");
		attr(s, "id", a->rsc);
		if (a->rsc_long != NULL && a->rsc != NULL &&
		    strcmp(a->rsc_long, a->rsc) != 0)
			attr(s, "long-id", a->rsc_long);
		attr(s, "class", a->rsc_class);
		attr(s, "provider", a->rsc_provider);
		attr(s, "type", a->rsc_type);
		g_string_append(s, "/>\n");
	}
	g_string_append(s, indent);
	g_string_append(s, "  <attributes CRM_meta_interval=\"");
	put_int(s, (long long)a->interval_ms);
	g_string_append_c(s, '"');
	if (a->kind == GRAPH_RSC_OP) {
		g_string_append(s, " CRM_meta_op_target_rc=\"");
		put_int(s, a->target_rc);
		g_string_append_c(s, '"');
	}
	attr(s, "CRM_meta_rsc", a->extra);
	g_string_append(s, "/>\n");
	g_string_append(s, indent);
	g_string_append(s, "</");
	g_string_append(s, el);
	g_string_append(s, ">\n");
}

static void
write_xml(const struct graph *g, struct xml_out *o)
{
	GString *s = o->s;
	guint i, j;

	g_string_append(s, "<?xml version=\"1.0\"?>\n"
			   "<transition_graph transition_id=\"0\">\n");
	for (i = 0; i < g->actions->len; i++) {
		const struct graph_action *a = g_ptr_array_index(g->actions, i);

		g_string_append(s, "  <synapse id=\"");
		put_int(s, i);
		g_string_append(s, "\">\n    <action_set>\n");
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
			flush_out(o, 1 << 16);
		}
		g_string_append(s, "    </inputs>\n  </synapse>\n");
		flush_out(o, 1 << 16);
	}
	g_string_append(s, "</transition_graph>\n");
	flush_out(o, 0);
}

char *
graph_to_xml(const struct graph *g)
{
	struct xml_out o = {g_string_new(NULL), NULL, false};

	write_xml(g, &o);
	return g_string_free(o.s, FALSE);
}

int
graph_write_xml(const struct graph *g, FILE *f)
{
	struct xml_out o = {g_string_sized_new(1 << 17), f, false};

	write_xml(g, &o);
	g_string_free(o.s, TRUE);
	if (o.failed || ferror(f))
		return -EIO;
	return 0;
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
