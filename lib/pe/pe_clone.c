/*
 * pe_clone.c - anonymous clones: placing instances, the clone's
 * pseudo-actions and implied orderings, and which instance probes a node.
 *
 * A clone's instances (CHILD:0 .. CHILD:clone-max-1, made by the model)
 * are first kept where they run, then the rest go to the best nodes, at
 * most clone-node-max per node, as Pacemaker's distribute_children()
 * does. The clone's start/running/stop/stopped pseudo-actions order
 * constraints naming the clone against all its instances.
 */
#include <limits.h>
#include <string.h>

#include "pe_private.h"

/* The node where an instance (or one of its members) runs. */
static struct pe_node *
instance_node(const struct pe_rsc *r)
{
	guint i;

	if (r->running_on.len > 0)
		return r->running_on.v[0];
	for (i = 0; i < r->children.len; i++) {
		struct pe_node *n = instance_node(r->children.v[i]);

		if (n != NULL)
			return n;
	}
	return NULL;
}

static bool
instance_failed(const struct pe_rsc *r)
{
	guint i;

	if (r->failed)
		return true;
	for (i = 0; i < r->children.len; i++)
		if (instance_failed(r->children.v[i]))
			return true;
	return false;
}

static int
instance_rank(const struct pe_rsc *r)
{
	struct pe_node *n = instance_node(r);

	if (n == NULL)
		return 2;
	return n->avail ? 0 : 1;
}

/* Instances that run (on usable nodes) first; stable otherwise. */
static void
sort_instances(struct pe_vec *v)
{
	guint i, j;

	for (i = 1; i < v->len; i++) {
		gpointer x = v->v[i];
		int rx = instance_rank(x);

		for (j = i; j > 0 && instance_rank(v->v[j - 1]) > rx; j--)
			v->v[j] = v->v[j - 1];
		v->v[j] = x;
	}
}

static void
unassign(struct pe_rsc *r)
{
	guint i;

	for (i = 0; i < r->children.len; i++)
		unassign(r->children.v[i]);
	if (!r->provisional && r->assigned != NULL && r->kind == CIB_PRIMITIVE)
		r->assigned->num_rsc--;
	r->assigned = NULL;
	r->provisional = true;
	if (r->next_role == CIB_ROLE_STOPPED &&
	    r->cfg->target_role != CIB_ROLE_STOPPED)
		r->next_role = CIB_ROLE_UNKNOWN;
}

static void
set_all(struct pe_ws *ws, struct pe_rsc *r, int n, int score)
{
	guint i;

	for (i = 0; i < r->children.len; i++)
		set_all(ws, r->children.v[i], n, score);
	if (r->w[n] != INT_MIN || score == -INF)
		r->w[n] = score;
}

/* Pacemaker's can_run_instance() over every node of the instance. */
static void
limit_instance(struct pe_ws *ws, struct pe_rsc *clone, struct pe_rsc *inst,
	       const int *count)
{
	int n;

	for (n = 0; n < ws->nn; n++) {
		if (inst->w[n] == INT_MIN)
			continue;
		if (!ws->nodes[n].avail || clone->w[n] == INT_MIN)
			set_all(ws, inst, n, -INF);
		else if (clone->w[n] < 0)
			set_all(ws, inst, n, clone->w[n]);
		else if (count[n] >= clone->cfg->clone_node_max)
			set_all(ws, inst, n, -INF);
	}
}

/* Put @p first in @v. */
static void
vec_prepend(struct fo_arena *ar, struct pe_vec *v, void *p)
{
	pe__vec_add(ar, v, p);
	memmove(v->v + 1, v->v, (v->len - 1) * sizeof(void *));
	v->v[0] = p;
}

static void
append_parent_colocations(struct pe_ws *ws, struct pe_rsc *clone,
			  struct pe_rsc *inst, bool all)
{
	guint i;

	for (i = 0; i < clone->this_with.len; i++) {
		struct pe_coloc *c = clone->this_with.v[i];

		if (all || c->score < 0 || c->score == INF)
			vec_prepend(ws->arena, &inst->this_with, c);
	}
	for (i = 0; i < clone->with_this.len; i++) {
		struct pe_coloc *c = clone->with_this.v[i];

		if (!(c->influence || inst->running_on.len == 0))
			continue;
		if (all || c->score < 0)
			vec_prepend(ws->arena, &inst->with_this, c);
	}
}

static bool
assign_instance(struct pe_ws *ws, struct pe_rsc *clone, struct pe_rsc *inst,
		struct pe_node *prefer, bool all_coloc, int *count)
{
	struct pe_node *chosen;
	int *backup;

	if (!inst->provisional)
		return inst->assigned != NULL;
	if (inst->allocating)
		return false;
	append_parent_colocations(ws, clone, inst, all_coloc);
	if (prefer != NULL &&
	    (inst->w[prefer->idx] == INT_MIN || inst->w[prefer->idx] < 0))
		return false;
	limit_instance(ws, clone, inst, count);
	backup = pe__wdup(ws, inst->w);
	ws->prefer = prefer;
	chosen = pe__assign(ws, inst);
	ws->prefer = NULL;
	if (chosen != NULL && prefer != NULL && chosen != prefer) {
		pe__wcopy(ws, inst->w, backup);
		unassign(inst);
		chosen = NULL;
	}
	g_free(backup);
	if (chosen != NULL)
		count[chosen->idx]++;
	return chosen != NULL;
}

struct pe_node *
pe__clone_assign(struct pe_ws *ws, struct pe_rsc *clone)
{
	int max = clone->cfg->clone_max, allocated = 0, avail = 0;
	int loop_max, *count;
	bool all_coloc;
	guint i;
	int n;

	if (!clone->provisional || clone->allocating)
		return NULL;
	clone->allocating = true;
	for (i = 0; i < clone->this_with.len; i++)
		pe__assign(ws, ((struct pe_coloc *)clone->this_with.v[i])->pri);
	for (i = 0; i < clone->with_this.len; i++) {
		struct pe_coloc *c = clone->with_this.v[i];

		if (!(c->influence || c->pri->running_on.len == 0))
			continue;
		clone->w = pe__merge_weights(ws, c->dep, clone->w, c->attr,
					     c->score / (double)INF,
					     PW_ROLLBACK | PW_POSITIVE);
	}
	pe__score_lines(ws, "pcmk__clone_assign", clone);
	sort_instances(&clone->children);
	count = g_new0(int, ws->nn + 1);
	for (n = 0; n < ws->nn; n++)
		if (clone->w[n] != INT_MIN && ws->nodes[n].avail)
			avail++;
	all_coloc = max < avail;
	loop_max = avail > 0 ? max / avail : 1;
	if (loop_max < 1)
		loop_max = 1;
	for (i = 0; i < clone->children.len && allocated < max; i++) {
		struct pe_rsc *inst = clone->children.v[i];
		struct pe_node *cur = instance_node(inst);

		if (cur == NULL || !inst->provisional || instance_failed(inst))
			continue;
		if (!cur->avail || clone->w[cur->idx] == INT_MIN ||
		    clone->w[cur->idx] < 0)
			continue;
		if (count[cur->idx] >= loop_max)
			continue;
		if (assign_instance(ws, clone, inst, cur, all_coloc, count))
			allocated++;
	}
	for (i = 0; i < clone->children.len; i++) {
		struct pe_rsc *inst = clone->children.v[i];

		if (!inst->provisional)
			continue;
		if (allocated >= max) {
			pe__rsc_location(ws, inst, NULL, -INF);
			ws->prefer = NULL;
			pe__assign(ws, inst);
			continue;
		}
		if (assign_instance(ws, clone, inst, NULL, all_coloc, count))
			allocated++;
	}
	g_free(count);
	clone->allocating = false;
	clone->provisional = false;
	return NULL;
}

void
pe__clone_internal(struct pe_ws *ws, struct pe_rsc *clone)
{
	guint i;

	pe__order(ws, clone, "stopped", NULL, clone, "start", NULL,
		  PO_OPTIONAL);
	pe__order(ws, clone, "start", NULL, clone, "running", NULL,
		  PO_RUNNABLE_LEFT);
	pe__order(ws, clone, "stop", NULL, clone, "stopped", NULL,
		  PO_RUNNABLE_LEFT);
	for (i = 0; i < clone->children.len; i++) {
		struct pe_rsc *c = clone->children.v[i];

		pe__order(ws, clone, "start", NULL, c, "start", NULL,
			  PO_RUNNABLE_LEFT | PO_IMPLIES_FIRST_PRINTED);
		pe__order(ws, c, "start", NULL, clone, "running", NULL,
			  PO_IMPLIES_THEN_PRINTED);
		pe__order(ws, clone, "stop", NULL, c, "stop", NULL,
			  PO_IMPLIES_FIRST_PRINTED);
		pe__order(ws, c, "stop", NULL, clone, "stopped", NULL,
			  PO_IMPLIES_THEN_PRINTED);
	}
}

static bool
has_state_on(const struct pe_rsc *r, const struct pe_node *node)
{
	guint i;

	if (r->kind == CIB_PRIMITIVE && r->known[node->idx])
		return true;
	for (i = 0; i < r->children.len; i++)
		if (has_state_on(r->children.v[i], node))
			return true;
	return false;
}

/* The one instance that probes @node for an anonymous clone. */
struct pe_rsc *
pe__clone_probe_instance(struct pe_rsc *clone, struct pe_node *node)
{
	guint i;

	if (clone->children.len == 0)
		return NULL;
	for (i = 0; i < clone->children.len; i++) {
		struct pe_rsc *c = clone->children.v[i];

		if (has_state_on(c, node))
			return c;
	}
	for (i = 0; i < clone->children.len; i++) {
		struct pe_rsc *c = clone->children.v[i];

		if (c->assigned == node)
			return c;
	}
	return clone->children.v[0];
}
