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

/* Two decimal digits at a time: ids and intervals are most numbers of
 * the graph text. */
static const char digit_pairs[201] = "00010203040506070809"
				     "10111213141516171819"
				     "20212223242526272829"
				     "30313233343536373839"
				     "40414243444546474849"
				     "50515253545556575859"
				     "60616263646566676869"
				     "70717273747576777879"
				     "80818283848586878889"
				     "90919293949596979899";

/* @v in decimal, ending just before @end; returns where it starts. */
static char *
fmt_int(char *end, long long v)
{
	unsigned long long u =
		v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	char *p = end;

	while (u >= 100) {
		unsigned d = (unsigned)(u % 100) * 2;

		u /= 100;
		*--p = digit_pairs[d + 1];
		*--p = digit_pairs[d];
	}
	if (u >= 10) {
		*--p = digit_pairs[u * 2 + 1];
		*--p = digit_pairs[u * 2];
	} else {
		*--p = (char)('0' + u);
	}
	if (v < 0)
		*--p = '-';
	return p;
}

static void
put_int(struct xml_out *o, long long v)
{
	char buf[24], *p = fmt_int(buf + sizeof(buf), v);

	put_len(o, p, (size_t)(buf + sizeof(buf) - p));
}

/*
 * Most values have nothing to escape, and the same node, task and agent
 * names recur in thousands of actions: a value's length is found once
 * with the check for the five special characters (ESC: it has one), and
 * the graph's shared strings keep theirs in a small cache by address.
 */
#define ESC UINT32_MAX
#define LEN_CACHE 256

struct len_cache {
	const char *s[LEN_CACHE];
	uint32_t len[LEN_CACHE];
};

static uint32_t
value_len(const char *v)
{
	size_t n = strcspn(v, "&<>\"'");

	return v[n] != '\0' || n >= ESC ? ESC : (uint32_t)n;
}

/* value_len() of a string whose address may recur (NULL: 0) */
static inline uint32_t
cached_len(struct len_cache *c, const char *v)
{
	size_t h;

	if (v == NULL)
		return 0;
	/* Fibonacci hashing: the top byte of the product */
	h = (size_t)(((uint64_t)(uintptr_t)v * 0x9E3779B97F4A7C15ull) >> 56);
	if (c->s[h] != v) {
		c->s[h] = v;
		c->len[h] = value_len(v);
	}
	return c->len[h];
}

/* An action's opening tag: its values' lengths, found once though the
 * tag is written again in every trigger that names the action. */
struct head {
	uint32_t task, key, node, node_id;
};

static const char *const el_name[] = {
	[GRAPH_RSC_OP] = "rsc_op",
	[GRAPH_PSEUDO] = "pseudo_event",
	[GRAPH_CRM] = "crm_event",
};
static const uint8_t el_len[] = {
	[GRAPH_RSC_OP] = 6,
	[GRAPH_PSEUDO] = 12,
	[GRAPH_CRM] = 9,
};

static void
head_of(struct len_cache *c, const struct graph_action *a, struct head *h)
{
	h->task = cached_len(c, a->task);
	h->key = a->key != NULL ? value_len(a->key) : 0;
	h->node = cached_len(c, a->node);
	h->node_id = cached_len(c, a->node_id);
}

/* " NAME=\"VALUE\"" with VALUE escaped; nothing when @v is NULL.
 * @name_lit is a literal that starts with the space; @n is
 * value_len(@v). */
#define ATTR(o, name_lit, v, n)                                                \
	attr((o), (name_lit), sizeof(name_lit) - 1, (v), (n))

/* inlined, so each call copies its constant name without a loop */
static inline __attribute__((always_inline)) void
attr(struct xml_out *o, const char *name, size_t name_len, const char *v,
     uint32_t n)
{
	char *e, *p;

	if (v == NULL)
		return;
	if (n == ESC) {
		e = g_markup_escape_text(v, -1);
		put_len(o, name, name_len);
		PUT_LIT(o, "=\"");
		put_len(o, e, strlen(e));
		PUT_LIT(o, "\"");
		g_free(e);
		return;
	}
	/* the usual value: one copy of each part into room made once */
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
}

/* INDENT "<EL id=\"N\" operation=... on_node_uuid=\"...\"" */
static void
head_xml(struct xml_out *o, const struct graph_action *a, const struct head *h,
	 const char *indent, size_t indent_len)
{
	char num[24], *id = fmt_int(num + sizeof(num), a->id);
	size_t id_len = (size_t)(num + sizeof(num) - id);
	size_t el = el_len[a->kind];
	char *p;

	if (o->len + indent_len + el + id_len + 7 > o->cap)
		make_room(o, indent_len + el + id_len + 7);
	p = o->buf + o->len;
	memcpy(p, indent, indent_len);
	p += indent_len;
	*p++ = '<';
	memcpy(p, el_name[a->kind], el);
	p += el;
	memcpy(p, " id=\"", 5);
	p += 5;
	memcpy(p, id, id_len);
	p += id_len;
	*p++ = '"';
	o->len = (size_t)(p - o->buf);
	ATTR(o, " operation", a->task, h->task);
	ATTR(o, " operation_key", a->key, h->key);
	ATTR(o, " on_node", a->node, h->node);
	ATTR(o, " on_node_uuid", a->node_id, h->node_id);
}

/* The action itself in its synapse: its tag with the resource and the
 * attributes. */
static void
action_xml(struct xml_out *o, struct len_cache *c, const struct graph_action *a,
	   const struct head *h)
{
	head_xml(o, a, h, "      ", 6);
	PUT_LIT(o, ">\n");
	if (a->kind == GRAPH_RSC_OP) {
		PUT_LIT(o, "        <primitive");
		ATTR(o, " id", a->rsc, cached_len(c, a->rsc));
		if (a->rsc_long != NULL && a->rsc != NULL &&
		    a->rsc_long != a->rsc && strcmp(a->rsc_long, a->rsc) != 0)
			ATTR(o, " long-id", a->rsc_long,
			     cached_len(c, a->rsc_long));
		ATTR(o, " class", a->rsc_class, cached_len(c, a->rsc_class));
		ATTR(o, " provider", a->rsc_provider,
		     cached_len(c, a->rsc_provider));
		ATTR(o, " type", a->rsc_type, cached_len(c, a->rsc_type));
		PUT_LIT(o, "/>\n");
	}
	PUT_LIT(o, "        <attributes CRM_meta_interval=\"");
	put_int(o, (long long)a->interval_ms);
	PUT_LIT(o, "\"");
	if (a->kind == GRAPH_RSC_OP) {
		PUT_LIT(o, " CRM_meta_op_target_rc=\"");
		put_int(o, a->target_rc);
		PUT_LIT(o, "\"");
	}
	if (a->extra != NULL)
		ATTR(o, " CRM_meta_rsc", a->extra, value_len(a->extra));
	PUT_LIT(o, "/>\n      </");
	put_len(o, el_name[a->kind], el_len[a->kind]);
	PUT_LIT(o, ">\n");
}

static void
write_xml(const struct graph *g, struct xml_out *o)
{
	guint n = g->actions->len, i, j;
	struct head *heads = g_new(struct head, n + 1);
	struct len_cache *c = g_new0(struct len_cache, 1);

	for (i = 0; i < n; i++)
		head_of(c, g_ptr_array_index(g->actions, i), &heads[i]);
	PUT_LIT(o, "<?xml version=\"1.0\"?>\n"
		   "<transition_graph transition_id=\"0\">\n");
	for (i = 0; i < n; i++) {
		const struct graph_action *a = g_ptr_array_index(g->actions, i);

		PUT_LIT(o, "  <synapse id=\"");
		put_int(o, i);
		PUT_LIT(o, "\">\n    <action_set>\n");
		action_xml(o, c, a, &heads[i]);
		PUT_LIT(o, "    </action_set>\n    <inputs>\n");
		for (j = 0; j < a->n_inputs; j++) {
			int in = a->inputs[j];

			PUT_LIT(o, "      <trigger>\n");
			head_xml(o, g_ptr_array_index(g->actions, in),
				 &heads[in], "        ", 8);
			PUT_LIT(o, "/>\n      </trigger>\n");
		}
		PUT_LIT(o, "    </inputs>\n  </synapse>\n");
	}
	PUT_LIT(o, "</transition_graph>\n");
	flush_out(o);
	g_free(heads);
	g_free(c);
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
			dot_label(s,
				  g_ptr_array_index(g->actions, a->inputs[j]));
			g_string_append(s, " -> ");
			dot_label(s, a);
			g_string_append(s, " [ style = bold]\n");
		}
	}
	g_string_append(s, "}\n");
	return g_string_free(s, FALSE);
}
