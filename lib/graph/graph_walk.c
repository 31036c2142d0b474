/*
 * graph_walk.c - walking a transition graph: which actions may run now,
 * recording results, aborting.
 *
 * Shared by fo-sim -S (every action succeeds) and the transition engine.
 * An action is ready when it is pending and all its inputs are DONE; a
 * failure aborts the graph: nothing new starts, pending actions end
 * SKIPPED once nothing runs.
 */
#include "fo/common.h"
#include "fo/graph.h"

guint
graph_ready(const struct graph *g, GPtrArray *out)
{
	guint i, j;

	g_ptr_array_set_size(out, 0);
	if (g->aborted)
		return 0;
	for (i = 0; i < g->actions->len; i++) {
		struct graph_action *a = g_ptr_array_index(g->actions, i);
		bool ready = a->state == GRAPH_PENDING;

		for (j = 0; ready && j < a->n_inputs; j++) {
			struct graph_action *in =
				g_ptr_array_index(g->actions, a->inputs[j]);

			if (in->state != GRAPH_DONE)
				ready = false;
		}
		if (ready)
			g_ptr_array_add(out, a);
	}
	return out->len;
}

int
graph_mark(struct graph *g, int id, enum graph_state state)
{
	struct graph_action *a;

	if (id < 0 || (guint)id >= g->actions->len)
		return -FO_EINVAL;
	a = g_ptr_array_index(g->actions, id);
	a->state = state;
	if (state == GRAPH_FAILED)
		graph_abort(g);
	return 0;
}

void
graph_abort(struct graph *g)
{
	guint i;

	g->aborted = true;
	for (i = 0; i < g->actions->len; i++) {
		struct graph_action *a = g_ptr_array_index(g->actions, i);

		if (a->state == GRAPH_PENDING)
			a->state = GRAPH_SKIPPED;
	}
}

bool
graph_complete(const struct graph *g)
{
	guint i;

	for (i = 0; i < g->actions->len; i++) {
		struct graph_action *a = g_ptr_array_index(g->actions, i);

		if (a->state == GRAPH_PENDING || a->state == GRAPH_RUNNING)
			return false;
	}
	return true;
}
