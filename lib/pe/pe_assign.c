/*
 * pe_assign.c - choosing a node for every resource.
 *
 * In: scores after locations, stickiness and failures. Out: each
 * primitive's assigned node (or none). Resources are assigned in
 * Pacemaker's order (priority, then score on the current node, then best
 * score, a stable sort over document order); a resource first assigns
 * the primaries it is colocated with and folds in its dependents'
 * preferences; the node is the best score, then fewest resources, then
 * the current node, then the node name.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "pe_private.h"

struct pe_node *
pe__current_node(const struct pe_rsc *rsc)
{
	if (rsc->running_on.len == 0)
		return NULL;
	return rsc->running_on.v[0];
}

static const char *
score_text(int s, char *buf, size_t len)
{
	if (s >= INF)
		return "INFINITY";
	if (s <= -INF)
		return "-INFINITY";
	g_snprintf(buf, len, "%d", s);
	return buf;
}

void
pe__score_lines(struct pe_ws *ws, const char *fn, struct pe_rsc *rsc)
{
	char buf[32];
	int n;

	if (ws->scores == NULL)
		return;
	for (n = 0; n < ws->nn; n++) {
		if (rsc->w[n] == INT_MIN)
			continue;
		g_ptr_array_add(ws->scores,
				g_strdup_printf("%s: %s allocation"
						" score on %s: %s",
						fn, rsc->id,
						ws->nodes[n].cfg->uname,
						score_text(rsc->w[n], buf,
							   sizeof(buf))));
	}
}

/* Node order used for sorting: weight (unavailable = -INF), fewest
 * assigned resources, preferred node, name. */
struct node_sort {
	const struct pe_ws *ws;
	const int *w;
	const struct pe_node *prefer;
};

static int
node_weight(const struct node_sort *s, int n)
{
	if (!s->ws->nodes[n].avail || s->w[n] == INT_MIN)
		return -INF;
	return s->w[n];
}

static int
cmp_nodes(const void *a, const void *b, void *data)
{
	const struct node_sort *s = data;
	int x = *(const int *)a, y = *(const int *)b;
	int wx = node_weight(s, x), wy = node_weight(s, y);
	const struct pe_node *nx = &s->ws->nodes[x], *ny = &s->ws->nodes[y];

	if (wx != wy)
		return wx > wy ? -1 : 1;
	if (nx->num_rsc != ny->num_rsc)
		return nx->num_rsc < ny->num_rsc ? -1 : 1;
	if (s->prefer != NULL) {
		if (s->prefer == nx)
			return -1;
		if (s->prefer == ny)
			return 1;
	}
	return strcmp(nx->cfg->uname, ny->cfg->uname);
}

static int *
sorted_nodes(const struct pe_ws *ws, const int *w, const struct pe_node *prefer)
{
	struct node_sort s = {ws, w, prefer};
	int *order = g_new(int, ws->nn + 1);
	int n;

	for (n = 0; n < ws->nn; n++)
		order[n] = n;
	g_qsort_with_data(order, ws->nn, sizeof(int), cmp_nodes, &s);
	return order;
}

/* The first node in that order: a scan, where sorting them all for
 * every resource was a third of the assignment's cost. Among equals
 * (nodes of the same name) the first by index, as a stable sort. */
static int
best_node(const struct pe_ws *ws, const int *w, const struct pe_node *prefer)
{
	struct node_sort s = {ws, w, prefer};
	int best = 0, n;

	for (n = 1; n < ws->nn; n++)
		if (cmp_nodes(&n, &best, &s) < 0)
			best = n;
	return best;
}

static bool
node_usable(const struct pe_ws *ws, const struct pe_rsc *rsc, int n)
{
	return ws->nodes[n].avail && rsc->w[n] != INT_MIN && rsc->w[n] >= 0;
}

static void
assign_to(struct pe_ws *ws, struct pe_rsc *rsc, struct pe_node *node,
	  bool force)
{
	if (node != NULL && !force && !node_usable(ws, rsc, node->idx))
		node = NULL;
	rsc->provisional = false;
	rsc->assigned = node;
	if (node != NULL)
		node->num_rsc++;
	else
		rsc->next_role = CIB_ROLE_STOPPED;
}

static void
assign_best(struct pe_ws *ws, struct pe_rsc *rsc)
{
	struct pe_node *cur = pe__current_node(rsc);
	struct pe_node *chosen = NULL;
	int best;

	if (ws->nn == 0) {
		assign_to(ws, rsc, NULL, false);
		return;
	}
	best = best_node(ws, rsc->w, cur);

	chosen = &ws->nodes[best];
	if (ws->prefer != NULL && rsc->w[ws->prefer->idx] != INT_MIN &&
	    rsc->w[best] != INT_MIN &&
	    node_weight(&(struct node_sort){ws, rsc->w, cur},
			ws->prefer->idx) >= rsc->w[best] &&
	    ws->prefer->avail && rsc->w[ws->prefer->idx] >= 0) {
		chosen = ws->prefer;
	} else if (rsc->w[best] == INT_MIN) {
		chosen = NULL;
	} else if (rsc->w[best] > 0 && ws->nodes[best].avail && cur != NULL &&
		   cur->avail && rsc->w[cur->idx] != INT_MIN &&
		   rsc->w[cur->idx] >= 0 &&
		   node_weight(&(struct node_sort){ws, rsc->w, cur},
			       cur->idx) == rsc->w[best]) {
		/* the current node when it ties with the best (in the
		 * order above, the nodes of the best's weight come first) */
		chosen = cur;
	}
	assign_to(ws, rsc, chosen, false);
}

static struct pe_node *assign_primitive(struct pe_ws *ws, struct pe_rsc *rsc);

struct pe_node *
pe__assign(struct pe_ws *ws, struct pe_rsc *rsc)
{
	switch (rsc->kind) {
	case CIB_GROUP:
		return pe__group_assign(ws, rsc);
	case CIB_CLONE:
		return pe__clone_assign(ws, rsc);
	default:
		return assign_primitive(ws, rsc);
	}
}

static struct pe_node *
assign_primitive(struct pe_ws *ws, struct pe_rsc *rsc)
{
	guint i;

	if (rsc->parent != NULL && !rsc->parent->allocating)
		pe__assign(ws, rsc->parent);
	if (!rsc->provisional)
		return rsc->assigned;
	if (rsc->allocating)
		return NULL;
	rsc->allocating = true;

	for (i = 0; i < rsc->this_with.len; i++) {
		struct pe_coloc *c = rsc->this_with.v[i];
		int *archive = NULL;

		if (c->score < 0 && c->score > -INF)
			archive = pe__wdup(ws, rsc->w);
		pe__assign(ws, c->pri);
		pe__apply_coloc(ws, rsc, c->pri, c);
		if (archive != NULL) {
			int n;
			bool any = false;

			for (n = 0; n < ws->nn; n++)
				if (node_usable(ws, rsc, n))
					any = true;
			if (!any)
				pe__wcopy(ws, rsc->w, archive);
			g_free(archive);
		}
	}
	for (i = 0; i < rsc->with_this.len; i++) {
		struct pe_coloc *c = rsc->with_this.v[i];

		if (!(c->influence || c->pri->running_on.len == 0))
			continue;
		rsc->w = pe__merge_weights(ws, c->dep, rsc->w, c->attr,
					   c->score / (double)INF, PW_ROLLBACK);
	}
	if (rsc->next_role == CIB_ROLE_STOPPED)
		pe__rsc_location(ws, rsc, NULL, -INF);
	pe__score_lines(ws, "pcmk__primitive_assign", rsc);

	if (!rsc->managed) {
		rsc->next_role = rsc->role;
		assign_to(ws, rsc, pe__current_node(rsc), true);
	} else if (ws->cib->stop_all) {
		assign_to(ws, rsc, NULL, true);
	} else {
		assign_best(ws, rsc);
	}
	rsc->allocating = false;
	return rsc->assigned;
}

/* Pacemaker's cmp_resources(): priority, current-node score, scores. */
struct rsc_sort {
	struct pe_ws *ws;
	int *node_order;
	int **merged; /* by top-level position */
};

static int
cmp_resources(const void *a, const void *b, void *data)
{
	struct rsc_sort *s = data;
	struct pe_rsc *r1 = *(struct pe_rsc *const *)a;
	struct pe_rsc *r2 = *(struct pe_rsc *const *)b;
	int *w1 = s->merged[r1->idx], *w2 = s->merged[r2->idx];
	int s1 = r1->priority, s2 = r2->priority;
	struct pe_node *n1, *n2;
	int i;

	if (s1 != s2)
		return s1 > s2 ? -1 : 1;
	n1 = pe__current_node(r1);
	n2 = pe__current_node(r2);
	if (n1 != NULL && w1[n1->idx] != INT_MIN)
		s1 = w1[n1->idx];
	if (n2 != NULL && w2[n2->idx] != INT_MIN)
		s2 = w2[n2->idx];
	if (s1 != s2)
		return s1 > s2 ? -1 : 1;
	for (i = 0; i < s->ws->nn; i++) {
		int n = s->node_order[i];
		int x = w1[n] == INT_MIN ? -INF : w1[n];
		int y = w2[n] == INT_MIN ? -INF : w2[n];

		if (x != y)
			return x > y ? -1 : 1;
	}
	return 0;
}

static void
stable_sort(struct pe_rsc **v, guint len, struct rsc_sort *s)
{
	/* merge sort: keeps document order among equals */
	struct pe_rsc **tmp;
	guint w, i;

	if (len < 2)
		return;
	tmp = g_new(struct pe_rsc *, len);
	for (w = 1; w < len; w *= 2) {
		for (i = 0; i < len; i += 2 * w) {
			guint lo = i, mid = MIN(i + w, len),
			      hi = MIN(i + 2 * w, len), a = lo, b = mid, k = lo;

			while (a < mid && b < hi)
				tmp[k++] = cmp_resources(&v[b], &v[a], s) < 0
						   ? v[b++]
						   : v[a++];
			while (a < mid)
				tmp[k++] = v[a++];
			while (b < hi)
				tmp[k++] = v[b++];
		}
		memcpy(v, tmp, sizeof(*v) * len);
	}
	g_free(tmp);
}

void
pe__sort_and_assign(struct pe_ws *ws)
{
	struct rsc_sort s;
	int *zero = g_new0(int, ws->nn);
	struct pe_rsc **v;
	guint i, len = ws->top->len;

	s.ws = ws;
	s.node_order = NULL;
	s.merged = g_new0(int *, ws->nr + 1);
	v = g_new(struct pe_rsc *, len + 1);
	for (i = 0; i < len; i++)
		v[i] = g_ptr_array_index(ws->top, i);
	/* Pacemaker sorts by scores only for non-default placement
	 * strategies (which fo does not support); the default keeps the
	 * priority order the unpacker made, and needs no merged scores
	 * (merging has no effect but its result). */
	if (ws->cib->placement_sort) {
		s.node_order = sorted_nodes(ws, zero, NULL);
		for (i = 0; i < len; i++)
			s.merged[v[i]->idx] =
				pe__merge_weights(ws, v[i], NULL, NULL, 1.0,
						  PW_FORWARD | PW_INIT);
		stable_sort(v, len, &s);
	}
	/* the summary follows this order, as Pacemaker's does */
	for (i = 0; i < len; i++)
		ws->top->pdata[i] = v[i];
	for (i = 0; i < len; i++)
		pe__assign(ws, v[i]);
	for (i = 0; i < ws->nr; i++)
		g_free(s.merged[i]);
	g_free(s.merged);
	g_free(s.node_order);
	g_free(zero);
	g_free(v);
}
