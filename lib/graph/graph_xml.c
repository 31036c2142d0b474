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

/* Text goes to @buf; with @f set, @buf is flushed to @f as it fills, so
 * a graph of 100 MB never sits in memory whole. Appends are memcpy()s of
 * known lengths: writing the graph was a third of a small fo-sim run
 * when every piece went through GString and strlen(). */
/* Bytes handed to the file at a time: the kernel takes 512 KB writes
 * faster than 128 KB ones (a 3 MB graph on ext4: 0.75 ms, not 1.0). */
#define GRAPH_CHUNK (512u << 10)

struct xml_out {
	char *buf;
	size_t len, cap;
	FILE *f;
	bool failed;
};

static void
flush_out(struct xml_out *o)
{
	if (o->f == NULL || o->len == 0)
		return;
	if (fwrite(o->buf, 1, o->len, o->f) != o->len)
		o->failed = true;
	o->len = 0;
}

/* Room for @n more bytes: flush to the file, or grow the buffer. */
static void
make_room(struct xml_out *o, size_t n)
{
	if (o->len + n <= o->cap)
		return;
	flush_out(o);
	if (o->len + n <= o->cap)
		return;
	while (o->cap < o->len + n)
		o->cap = o->cap ? o->cap * 2 : 4096;
	o->buf = g_realloc(o->buf, o->cap);
}

static inline void
put_len(struct xml_out *o, const char *s, size_t n)
{
	if (o->len + n > o->cap)
		make_room(o, n);
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

/* A string literal, its length known at compile time. */
#define PUT_LIT(o, lit) put_len((o), (lit), sizeof(lit) - 1)

static void
put_str(struct xml_out *o, const char *s)
{
	put_len(o, s, strlen(s));
}

static void
put_int(struct xml_out *o, long long v)
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
	put_len(o, p, (size_t)(buf + sizeof(buf) - p));
}

/* " NAME=\"VALUE\"" with VALUE escaped; nothing when @v is NULL.
 * @name_lit is a literal that starts with the space. */
#define ATTR(o, name_lit, v) attr((o), (name_lit), sizeof(name_lit) - 1, (v))

static void
attr(struct xml_out *o, const char *name, size_t name_len, const char *v)
{
	size_t n;
	char *e;

	if (v == NULL)
		return;
	n = strcspn(v, "&<>\"'");
	if (v[n] == '\0') {
		/* the usual value, nothing to escape: one copy of each part
		 * into room made once */
		char *p;

		if (o->len + name_len + n + 3 > o->cap)
			make_room(o, name_len + n + 3);
		p = o->buf + o->len;
		memcpy(p, name, name_len);
		p += name_len;
		*p++ = '=';
		*p++ = '"';
		memcpy(p, v, n);
		p[n] = '"';
		o->len = (size_t)(p + n + 1 - o->buf);
		return;
	}
	e = g_markup_escape_text(v, -1);
	put_len(o, name, name_len);
	PUT_LIT(o, "=\"");
	put_str(o, e);
	PUT_LIT(o, "\"");
	g_free(e);
}

/* One action element; @full adds the resource and attributes. */
static void
action_xml(struct xml_out *o, const struct graph_action *a, bool full,
	   const char *indent, size_t indent_len)
{
	const char *el = a->kind == GRAPH_RSC_OP   ? "rsc_op"
			 : a->kind == GRAPH_PSEUDO ? "pseudo_event"
						   : "crm_event";
	size_t el_len = strlen(el);

	put_len(o, indent, indent_len);
	PUT_LIT(o, "<");
	put_len(o, el, el_len);
	PUT_LIT(o, " id=\"");
	put_int(o, a->id);
	PUT_LIT(o, "\"");
	ATTR(o, " operation", a->task);
	ATTR(o, " operation_key", a->key);
	ATTR(o, " on_node", a->node);
	ATTR(o, " on_node_uuid", a->node_id);
	if (!full) {
		PUT_LIT(o, "/>\n");
		return;
	}
	PUT_LIT(o, ">\n");
	if (a->kind == GRAPH_RSC_OP) {
		put_len(o, indent, indent_len);
		PUT_LIT(o, "  <primitive");
		ATTR(o, " id", a->rsc);
		if (a->rsc_long != NULL && a->rsc != NULL &&
		    strcmp(a->rsc_long, a->rsc) != 0)
			ATTR(o, " long-id", a->rsc_long);
		ATTR(o, " class", a->rsc_class);
		ATTR(o, " provider", a->rsc_provider);
		ATTR(o, " type", a->rsc_type);
		PUT_LIT(o, "/>\n");
	}
	put_len(o, indent, indent_len);
	PUT_LIT(o, "  <attributes CRM_meta_interval=\"");
	put_int(o, (long long)a->interval_ms);
	PUT_LIT(o, "\"");
	if (a->kind == GRAPH_RSC_OP) {
		PUT_LIT(o, " CRM_meta_op_target_rc=\"");
		put_int(o, a->target_rc);
		PUT_LIT(o, "\"");
	}
	ATTR(o, " CRM_meta_rsc", a->extra);
	PUT_LIT(o, "/>\n");
	put_len(o, indent, indent_len);
	PUT_LIT(o, "</");
	put_len(o, el, el_len);
	PUT_LIT(o, ">\n");
}

static void
write_xml(const struct graph *g, struct xml_out *o)
{
	guint i, j;

	PUT_LIT(o, "<?xml version=\"1.0\"?>\n"
		   "<transition_graph transition_id=\"0\">\n");
	for (i = 0; i < g->actions->len; i++) {
		const struct graph_action *a = g_ptr_array_index(g->actions, i);

		PUT_LIT(o, "  <synapse id=\"");
		put_int(o, i);
		PUT_LIT(o, "\">\n    <action_set>\n");
		action_xml(o, a, true, "      ", 6);
		PUT_LIT(o, "    </action_set>\n    <inputs>\n");
		for (j = 0; j < a->n_inputs; j++) {
			PUT_LIT(o, "      <trigger>\n");
			action_xml(o, g_ptr_array_index(g->actions, a->inputs[j]),
				   false, "        ", 8);
			PUT_LIT(o, "      </trigger>\n");
		}
		PUT_LIT(o, "    </inputs>\n  </synapse>\n");
	}
	PUT_LIT(o, "</transition_graph>\n");
	flush_out(o);
}

char *
graph_to_xml(const struct graph *g)
{
	struct xml_out o = {NULL, 0, 0, NULL, false};

	write_xml(g, &o);
	PUT_LIT(&o, "\0");
	return o.buf;
}

int
graph_write_xml(const struct graph *g, FILE *f)
{
	struct xml_out o = {g_malloc(GRAPH_CHUNK), 0, GRAPH_CHUNK, f, false};

	write_xml(g, &o);
	g_free(o.buf);
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

		for (j = 0; j < a->n_inputs; j++) {
			dot_label(s, g_ptr_array_index(g->actions,
						       a->inputs[j]));
			g_string_append(s, " -> ");
			dot_label(s, a);
			g_string_append(s, " [ style = bold]\n");
		}
	}
	g_string_append(s, "}\n");
	return g_string_free(s, FALSE);
}
