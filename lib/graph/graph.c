/*
 * graph.c - transition graph construction and loop detection.
 *
 * The policy engine appends actions (id == index) and inputs; a graph is
 * a DAG when it is right, and graph_find_loop() proves it (iterative DFS,
 * so a 100k-action graph does not blow the stack).
 */
#include <string.h>

#include "fo/arena.h"
#include "fo/common.h"
#include "fo/graph.h"

static void
action_free(void *p)
{
	struct graph_action *a = p;

	g_free(a->key);
	g_free(a->task);
	g_free(a->rsc);
	g_free(a->rsc_long);
	g_free(a->rsc_class);
	g_free(a->rsc_provider);
	g_free(a->rsc_type);
	g_free(a->node);
	g_free(a->node_id);
	g_free(a->extra);
	g_free(a->inputs);
	g_free(a);
}

struct graph *
graph_new(void)
{
	struct graph *g = g_new0(struct graph, 1);

	g->actions = g_ptr_array_new_with_free_func(action_free);
	g->recheck = -1;
	return g;
}

struct graph *
graph_new_pooled(void)
{
	struct graph *g = g_new0(struct graph, 1);

	/* the actions, their inputs and strings belong to the pools */
	g->actions = g_ptr_array_new();
	g->strings = g_string_chunk_new(1 << 16);
	g->pool = fo_arena_new();
	g->recheck = -1;
	return g;
}

/* A copy of @s for @g: in the pool of a pooled graph, shared with
 * equal texts when @share. */
static char *
pool_copy(struct graph *g, const char *s, bool share)
{
	if (s == NULL)
		return NULL;
	if (g->strings == NULL)
		return g_strdup(s);
	return share ? g_string_chunk_insert_const(g->strings, s)
		     : g_string_chunk_insert(g->strings, s);
}

char *
graph_strdup(struct graph *g, const char *s)
{
	return pool_copy(g, s, true);
}

char *
graph_strdup_once(struct graph *g, const char *s)
{
	return pool_copy(g, s, false);
}

void
graph_free(struct graph *g)
{
	if (g == NULL)
		return;
	g_ptr_array_free(g->actions, TRUE);
	if (g->strings != NULL)
		g_string_chunk_free(g->strings);
	fo_arena_free(g->pool);
	g_free(g);
}

struct graph_action *
graph_add(struct graph *g, enum graph_kind kind, char *key, char *task,
	  char *rsc, char *node, uint64_t interval_ms)
{
	struct graph_action *a = g->pool != NULL
					 ? fo_arena_alloc(g->pool, sizeof(*a))
					 : g_new0(struct graph_action, 1);

	a->id = (int)g->actions->len;
	a->kind = kind;
	a->key = key;
	a->task = task;
	a->rsc = rsc;
	a->node = node;
	a->interval_ms = interval_ms;
	g_ptr_array_add(g->actions, a);
	return a;
}

void
graph_add_input(struct graph *g, int then, int first)
{
	struct graph_action *a;
	guint i;

	if (then < 0 || first < 0 || (guint)then >= g->actions->len ||
	    (guint)first >= g->actions->len)
		return;
	a = g_ptr_array_index(g->actions, then);
	for (i = 0; i < a->n_inputs; i++)
		if (a->inputs[i] == first)
			return;
	if (a->n_inputs == a->inputs_cap) {
		/* a GArray per action was 5% of a run with 5000 actions:
		 * a pooled graph's inputs come from its arena (a full
		 * array moves to twice the room, the old one stays) */
		guint cap = a->inputs_cap > 0 ? a->inputs_cap * 2 : 4;

		if (g->pool != NULL) {
			int *v = fo_arena_alloc(g->pool, cap * sizeof(int));

			if (a->n_inputs > 0)
				memcpy(v, a->inputs, a->n_inputs * sizeof(int));
			a->inputs = v;
		} else {
			a->inputs = g_renew(int, a->inputs, cap);
		}
		a->inputs_cap = cap;
	}
	a->inputs[a->n_inputs++] = first;
}

char *
graph_find_loop(const struct graph *g)
{
	guint n = g->actions->len, i;
	guint8 *color = g_new0(guint8, n + 1); /* 0 new, 1 open, 2 done */
	guint *pos = g_new0(guint, n + 1);
	int *stack = g_new0(int, n + 1);
	char *result = NULL;

	for (i = 0; i < n && result == NULL; i++) {
		int sp = 0;

		if (color[i] != 0)
			continue;
		stack[sp++] = (int)i;
		color[i] = 1;
		pos[i] = 0;
		while (sp > 0 && result == NULL) {
			int v = stack[sp - 1];
			struct graph_action *a =
				g_ptr_array_index(g->actions, v);

			if (pos[v] < a->n_inputs) {
				int w = a->inputs[pos[v]];

				pos[v]++;
				if (color[w] == 0) {
					color[w] = 1;
					pos[w] = 0;
					stack[sp++] = w;
				} else if (color[w] == 1) {
					GString *s = g_string_new(NULL);
					int k = sp - 1;

					while (k > 0 && stack[k] != w)
						k--;
					for (; k < sp; k++) {
						struct graph_action *x =
							g_ptr_array_index(
								g->actions,
								stack[k]);

						g_string_append_printf(
							s, "%s <- ", x->key);
					}
					g_string_append(
						s,
						((struct graph_action *)
							 g_ptr_array_index(
								 g->actions, w))
							->key);
					result = g_string_free(s, FALSE);
				}
			} else {
				color[v] = 2;
				sp--;
			}
		}
	}
	g_free(color);
	g_free(pos);
	g_free(stack);
	return result;
}
