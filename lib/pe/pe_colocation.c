/*
 * pe_colocation.c - colocation constraints: unpacking, applying a
 * primary's placement to a dependent's scores, and merging dependents'
 * preferences into a primary's scores.
 *
 * In: rsc_colocation constraints (plus the groups' internal ones). Out:
 * each resource's this_with/with_this lists (document order), and the
 * score arithmetic Pacemaker uses while assigning: mandatory colocations
 * ban every node but the primary's, negative ones ban it, advisory ones
 * add the score; a primary folds in its dependents' scores by
 * score/INFINITY (pe__merge_weights), with loops broken by a flag.
 */
#include <limits.h>
#include <string.h>

#include "pe_private.h"

#define UNUSABLE (-100 * INF) /* Pacemaker's INFINITY_HACK */

static void
add_coloc(struct pe_ws *ws, const char *id, struct pe_rsc *dep,
	  struct pe_rsc *pri, int score, const char *attr, bool influence,
	  enum cib_role dep_role, enum cib_role pri_role)
{
	struct pe_coloc *c;

	if (score == 0)
		return;
	c = g_new0(struct pe_coloc, 1);
	c->id = id;
	c->dep = dep;
	c->pri = pri;
	c->score = score;
	c->attr = attr;
	c->influence = influence;
	c->dep_role = dep_role;
	c->pri_role = pri_role;
	g_ptr_array_add(ws->colocs, c);
	pe__vec_add(ws->arena, &dep->this_with, c);
	pe__vec_add(ws->arena, &pri->with_this, c);
}

void
pe__unpack_colocations(struct pe_ws *ws)
{
	guint i, j;

	for (i = 0; i < ws->cib->colocations->len; i++) {
		const struct cib_colocation *c =
			g_ptr_array_index(ws->cib->colocations, i);

		if (c->rsc_role >= CIB_ROLE_UNPROMOTED ||
		    c->with_role >= CIB_ROLE_UNPROMOTED)
			continue;
		add_coloc(ws, c->id, ws->rscs[c->rsc->idx],
			  ws->rscs[c->with->idx], c->score, c->node_attribute,
			  c->influence, c->rsc_role, c->with_role);
	}
	/* group internal colocations come after the configured ones */
	for (i = 0; i < ws->nr; i++) {
		struct pe_rsc *g = ws->rscs[i];

		if (g == NULL || g->kind != CIB_GROUP || !g->cfg->colocated)
			continue;
		for (j = 1; j < g->children.len; j++) {
			struct pe_rsc *m = g->children.v[j];

			add_coloc(ws, "group:internal_colocation", m,
				  g->children.v[j - 1], INF, NULL,
				  m->cfg->critical, CIB_ROLE_UNKNOWN,
				  CIB_ROLE_UNKNOWN);
		}
	}
}

static const char *
node_attr(const struct pe_ws *ws, int n, const char *attr)
{
	return g_hash_table_lookup(ws->nodes[n].cfg->attrs,
				   attr ? attr : "#uname");
}

static bool
str_eq(const char *a, const char *b)
{
	return a != NULL && b != NULL && g_ascii_strcasecmp(a, b) == 0;
}

static bool
can_run_any(const struct pe_ws *ws, const int *w)
{
	int n;

	for (n = 0; n < ws->nn; n++)
		if (w[n] != INT_MIN && w[n] >= 0 && ws->nodes[n].avail)
			return true;
	return false;
}

static bool
blocked(const struct pe_rsc *r)
{
	guint i;

	if (r->block)
		return true;
	for (i = 0; i < r->children.len; i++)
		if (blocked(r->children.v[i]))
			return true;
	return false;
}

/* colocation_apply_score: @pri is a primitive already assigned. */
static void
apply_native(struct pe_ws *ws, struct pe_rsc *dep, struct pe_rsc *pri,
	     const struct pe_coloc *c)
{
	int *work;
	const char *value = NULL;
	bool check = false;
	int n;

	if (pri->provisional || !dep->provisional)
		return;
	if (pri->assigned != NULL) {
		value = node_attr(ws, pri->assigned->idx, c->attr);
		check = true;
	} else if (c->score < 0) {
		return;
	}
	work = pe__wdup(ws, dep->w);
	for (n = 0; n < ws->nn; n++) {
		if (work[n] == INT_MIN)
			continue;
		if (check && str_eq(node_attr(ws, n, c->attr), value)) {
			if (c->score < INF)
				work[n] = cib_add_scores(c->score, work[n]);
		} else if (!check || c->score >= INF) {
			work[n] = -INF;
		}
	}
	if (c->score <= -INF || c->score >= INF || can_run_any(ws, work))
		pe__wcopy(ws, dep->w, work);
	g_free(work);
}

void
pe__apply_coloc(struct pe_ws *ws, struct pe_rsc *dep, struct pe_rsc *pri,
		const struct pe_coloc *c)
{
	struct pe_rsc *m;

	if (pri->kind == CIB_GROUP) {
		if (pri->provisional || pri->children.len == 0)
			return;
		if (!pri->cfg->colocated) {
			guint i;

			if (c->score >= INF)
				return;
			for (i = 0; i < pri->children.len; i++)
				apply_native(ws, dep, pri->children.v[i], c);
			return;
		}
		if (c->score >= INF)
			m = pri->children.v[pri->children.len - 1];
		else
			m = pri->children.v[0];
		apply_native(ws, dep, m, c);
		return;
	}
	if (pri->kind == CIB_CLONE) {
		/* a primitive with a clone: allowed where an instance runs */
		int *work = pe__wdup(ws, dep->w);
		guint i;
		int n;

		if (pri->provisional || !dep->provisional) {
			g_free(work);
			return;
		}
		for (n = 0; n < ws->nn; n++) {
			bool match = false;

			if (work[n] == INT_MIN)
				continue;
			for (i = 0; i < pri->children.len; i++) {
				struct pe_rsc *inst = pri->children.v[i];

				/* a blocked instance cannot host a
				 * mandatory dependent */
				if (c->score >= INF && blocked(inst))
					continue;
				if (inst->assigned != NULL &&
				    str_eq(node_attr(ws, inst->assigned->idx,
						     c->attr),
					   node_attr(ws, n, c->attr)))
					match = true;
			}
			if (match) {
				if (c->score < INF)
					work[n] = cib_add_scores(c->score,
								 work[n]);
			} else if (c->score >= INF) {
				work[n] = -INF;
			}
		}
		if (c->score <= -INF || c->score >= INF ||
		    can_run_any(ws, work))
			pe__wcopy(ws, dep->w, work);
		g_free(work);
		return;
	}
	apply_native(ws, dep, pri, c);
}

/* The best score of @rsc on a node whose attribute is @value (@vals:
 * each node's value of the attribute). */
static int
best_score_matching(const struct pe_ws *ws, const struct pe_rsc *rsc,
		    const char *const *vals, const char *value)
{
	int best = -INF, n;

	for (n = 0; n < ws->nn; n++) {
		if (rsc->w[n] == INT_MIN || rsc->w[n] <= best ||
		    !ws->nodes[n].avail)
			continue;
		if (str_eq(value, vals[n]))
			best = rsc->w[n];
	}
	return best;
}

static void
add_matching(struct pe_ws *ws, int *nodes, const struct pe_rsc *rsc,
	     const char *attr, double factor, bool only_positive)
{
	/* each node's value looked up once, not once per pair of nodes */
	const char **vals = g_new(const char *, ws->nn > 0 ? ws->nn : 1);
	int n;

	for (n = 0; n < ws->nn; n++)
		vals[n] = node_attr(ws, n, attr);
	for (n = 0; n < ws->nn; n++) {
		int score, weight, ns;
		double wf;

		if (nodes[n] == INT_MIN)
			continue;
		score = best_score_matching(ws, rsc, vals, vals[n]);
		if (factor < 0 && score < 0)
			continue;
		if (nodes[n] == UNUSABLE)
			continue;
		wf = factor * score;
		weight = (int)(wf < 0 ? wf - 0.5 : wf + 0.5);
		if (weight == 0 && score != 0)
			weight = factor > 0 ? 1 : factor < 0 ? -1 : 0;
		ns = cib_add_scores(weight, nodes[n]);
		if (only_positive && ns < 0 && nodes[n] > 0) {
			nodes[n] = UNUSABLE;
			continue;
		}
		if (only_positive && ns < 0 && nodes[n] == 0)
			continue;
		nodes[n] = ns;
	}
	g_free(vals);
}

static bool
has_influence(const struct pe_coloc *c)
{
	return c->influence || c->pri->running_on.len == 0;
}

/*
 * Pacemaker's merge of colocated resources' scores into @nodes (a copy
 * of a primary's scores): returns a new array (the old one is freed) or
 * @nodes itself when rolled back.
 */
int *
pe__merge_weights(struct pe_ws *ws, struct pe_rsc *rsc, int *nodes,
		  const char *attr, double factor, unsigned flags)
{
	int *work = NULL;
	const struct pe_vec *list;
	guint i;
	int n;

	if (rsc->merging)
		return nodes;
	rsc->merging = true;
	if (flags & PW_INIT) {
		if (rsc->kind == CIB_GROUP && rsc->children.len > 0) {
			struct pe_rsc *last =
				rsc->children.v[rsc->children.len - 1];

			work = pe__merge_weights(ws, last, NULL, attr, factor,
						 flags);
		} else {
			work = pe__wdup(ws, rsc->w);
		}
		flags &= ~PW_INIT;
	} else if (rsc->kind == CIB_GROUP && rsc->children.len > 0) {
		work = pe__wdup(ws, nodes);
		work = pe__merge_weights(ws, rsc->children.v[0], work, attr,
					 factor, flags);
	} else {
		work = pe__wdup(ws, nodes);
		add_matching(ws, work, rsc, attr, factor,
			     (flags & PW_POSITIVE) != 0);
	}

	if (can_run_any(ws, work)) {
		int mult = factor < 0 ? -1 : 1;

		if (flags & PW_FORWARD)
			list = &rsc->this_with;
		else if (rsc->kind == CIB_GROUP && rsc->children.len > 0)
			list = &((struct pe_rsc *)
					 rsc->children.v[rsc->children.len - 1])
					->with_this;
		else
			list = &rsc->with_this;
		for (i = 0; i < list->len; i++) {
			struct pe_coloc *c = list->v[i];
			struct pe_rsc *other;

			if (flags & PW_FORWARD) {
				other = c->pri;
			} else {
				if (!has_influence(c))
					continue;
				other = c->dep;
			}
			work = pe__merge_weights(ws, other, work, c->attr,
						 mult * c->score / (double)INF,
						 flags | PW_ROLLBACK);
		}
	} else if (flags & PW_ROLLBACK) {
		g_free(work);
		rsc->merging = false;
		return nodes;
	}
	if (flags & PW_POSITIVE) {
		for (n = 0; n < ws->nn; n++)
			if (work[n] == UNUSABLE)
				work[n] = 1;
	}
	g_free(nodes);
	rsc->merging = false;
	return work;
}
