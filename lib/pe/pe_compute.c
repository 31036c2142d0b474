/*
 * pe_compute.c - the policy engine's pipeline: CIB model + now -> graph.
 *
 * unpack the working set (nodes, resources and their current state),
 * apply locations, stickiness and failures, assign nodes, create actions
 * and orderings, propagate what the orderings imply, then keep the
 * actions that are required and runnable as the transition graph. Pure:
 * no I/O, no clock, no globals.
 */
#include <limits.h>
#include <string.h>

#include "fo/common.h"
#include "pe_private.h"

void
pe__vec_reserve(struct fo_arena *ar, struct pe_vec *v, guint cap)
{
	void **nv;

	if (cap <= v->cap)
		return;
	nv = fo_arena_alloc(ar, cap * sizeof(void *));
	if (v->len > 0)
		memcpy(nv, v->v, v->len * sizeof(void *));
	v->v = nv;
	v->cap = cap;
}

static struct pe_rsc *
new_rsc(struct pe_ws *ws, struct cib_rsc *cfg)
{
	struct pe_rsc *r = g_new0(struct pe_rsc, 1);
	int n;

	r->cfg = cfg;
	r->idx = cfg->idx;
	r->id = cfg->id;
	r->kind = cfg->kind;
	r->w = g_new(int, ws->nn > 0 ? ws->nn : 1);
	r->known = g_new0(bool, ws->nn + 1);
	for (n = 0; n < ws->nn; n++)
		r->w[n] = INT_MIN;
	/* a probe per node, and its own stop, start and monitors */
	pe__vec_reserve(ws->arena, &r->actions, (guint)ws->nn + 4);
	r->provisional = true;
	r->managed = cfg->managed;
	r->orphan = cfg->orphan;
	r->priority = cfg->priority;
	r->stickiness = cfg->stickiness;
	r->role = CIB_ROLE_STOPPED;
	r->next_role = CIB_ROLE_UNKNOWN;
	if (cfg->target_role == CIB_ROLE_STOPPED)
		r->next_role = CIB_ROLE_STOPPED;
	return r;
}

/* Current state of a primitive from its derived per-node states. */
static void
unpack_state(struct pe_ws *ws, struct pe_rsc *r)
{
	GPtrArray *states = ws->cib->states[r->idx];
	guint i;

	for (i = 0; states != NULL && i < states->len; i++) {
		struct cib_rsc_state *st = g_ptr_array_index(states, i);
		struct pe_node *node = &ws->nodes[st->node->idx];

		if (st->role != CIB_ROLE_UNKNOWN)
			r->known[node->idx] = true;
		if (st->failure_ignored)
			r->failure_ignored = true;
		if (st->stop_role)
			r->next_role = CIB_ROLE_STOPPED;
		if (st->role <= CIB_ROLE_STOPPED)
			continue;
		if (st->role > r->role)
			r->role = st->role;
		pe__vec_add(ws->arena, &r->running_on, node);
		if (st->failed)
			r->failed = true;
		if (st->need_stop)
			r->need_stop = true;
		if (st->block) {
			r->block = true;
			r->managed = false;
		}
		if (st->pending)
			r->pending = true;
		if (node->cfg->maintenance)
			r->managed = false;
	}
}

/* Whether @node has any attribute cib_fail_count() reads. */
static bool
has_failures(const struct cib_node *node)
{
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init(&it, node->attrs);
	while (g_hash_table_iter_next(&it, &k, NULL))
		if (g_str_has_prefix(k, "fail-count-") ||
		    g_str_has_prefix(k, "last-failure-"))
			return true;
	return false;
}

static void
build(struct pe_ws *ws)
{
	struct cib *cib = ws->cib;
	guint i;
	int n;

	ws->nn = (int)cib->nodes->len;
	ws->nodes = g_new0(struct pe_node, ws->nn + 1);
	for (n = 0; n < ws->nn; n++) {
		struct cib_node *c = g_ptr_array_index(cib->nodes, n);

		ws->nodes[n].cfg = c;
		ws->nodes[n].idx = n;
		ws->nodes[n].avail = c->online && !c->standby && !c->shutdown &&
				     !c->unclean && !c->maintenance;
		ws->nodes[n].failures = has_failures(c);
	}
	ws->nr = cib->all->len;
	ws->rscs = g_new0(struct pe_rsc *, ws->nr + 1);
	for (i = 0; i < ws->nr; i++) {
		struct cib_rsc *c = g_ptr_array_index(cib->all, i);
		struct pe_rsc *r = new_rsc(ws, c);

		ws->rscs[i] = r;
		if (c->parent != NULL && c->clone_of == NULL) {
			r->parent = ws->rscs[c->parent->idx];
			pe__vec_add(ws->arena, &r->parent->children, r);
		}
	}
	for (i = 0; i < cib->resources->len; i++)
		g_ptr_array_add(ws->top,
				ws->rscs[((struct cib_rsc *)g_ptr_array_index(
						  cib->resources, i))
						 ->idx]);
	for (i = 0; i < ws->nr; i++)
		if (ws->rscs[i]->orphan && ws->rscs[i]->parent == NULL)
			g_ptr_array_add(ws->top, ws->rscs[i]);
	for (i = 0; i < ws->nr; i++) {
		struct pe_rsc *r = ws->rscs[i];

		if (r->kind == CIB_PRIMITIVE)
			unpack_state(ws, r);
		if (cib->symmetric)
			for (n = 0; n < ws->nn; n++)
				r->w[n] = 0;
	}
	for (i = 0; i < ws->nr; i++) {
		struct pe_rsc *r = ws->rscs[i];
		const char *ma = r->cfg->multiple_active;

		if (r->running_on.len > 1 && ma != NULL) {
			if (strcmp(ma, "stop_only") == 0) {
				pe__rsc_location(ws, r, NULL, -INF);
			} else if (strcmp(ma, "block") == 0) {
				r->managed = false;
				r->block = true;
			}
		}

		if (r->orphan) {
			/* extra clone instances always stop */
			if ((cib->stop_orphans || r->cfg->tmpl != NULL) &&
			    r->managed)
				pe__rsc_location(ws, r, NULL, -INF);
			else
				r->managed = false;
		}
	}
}

static bool
in_graph(const struct pe_action *a)
{
	if (!(a->flags & PA_RUNNABLE))
		return false;
	if ((a->flags & PA_OPTIONAL) && !(a->flags & PA_PRINT))
		return false;
	if (a->rsc != NULL && !a->rsc->managed && a->kind == PK_RSC &&
	    strcmp(a->task, "monitor") != 0 && !a->cancel)
		return false;
	if (a->kind == PK_PSEUDO)
		return true;
	if (a->node == NULL)
		return false;
	if (!a->node->cfg->online || a->node->cfg->unclean)
		return false;
	return true;
}

static void
shutdowns(struct pe_ws *ws)
{
	guint i;
	int n;

	for (n = 0; n < ws->nn; n++) {
		struct pe_node *node = &ws->nodes[n];
		struct pe_action *down;
		char *key;

		if (!node->cfg->shutdown || !node->cfg->online)
			continue;
		down = pe__action(ws, NULL, "do_shutdown", 0, node, false);
		key = g_strdup_printf("do_shutdown-%s", node->cfg->uname);
		down->key = fo_arena_strdup(ws->arena, key);
		g_free(key);
		for (i = 0; i < ws->actions->len; i++) {
			struct pe_action *a = g_ptr_array_index(ws->actions, i);

			if (a->rsc == NULL || a->node != node ||
			    strcmp(a->task, "stop") != 0)
				continue;
			/* maintenance and unmanaged (not blocked) resources
			 * are left alone; everything else stops first */
			if (a->rsc->cfg->maintenance ||
			    ws->cib->maintenance_mode || node->cfg->maintenance)
				continue;
			if (!a->rsc->managed && !a->rsc->block)
				continue;
			a->flags &= ~PA_OPTIONAL;
			pe__order_actions(ws, a, down,
					  PO_OPTIONAL | PO_RUNNABLE_LEFT);
		}
	}
}

/*
 * The model's strings go into the graph's pool (graph_strdup(): one
 * copy of each text) once per resource, node or task rather than once
 * per action: a resource's and a node's copies are kept by index, a
 * task's (a literal or an operation's name, shared by address across
 * actions) by address in a small cache. A hash table from address to
 * copy was 1.3 M instructions for 5000 actions, most of it resources'
 * agent names, which the model does not share by address.
 */
#define TASK_CACHE 16

struct graph_rsc {
	char *shown, *id, *cls, *provider, *type;
};

struct graph_strings {
	struct graph *g;
	struct graph_rsc *rsc; /* by resource index */
	char **uname, **uuid;  /* by node index */
	const char *task[TASK_CACHE];
	char *task_copy[TASK_CACHE];
};

static char *
pool_task(struct graph_strings *gs, const char *task)
{
	size_t h = ((uintptr_t)task >> 3) % TASK_CACHE;

	if (gs->task[h] != task) {
		gs->task[h] = task;
		gs->task_copy[h] = graph_strdup(gs->g, task);
	}
	return gs->task_copy[h];
}

static const struct graph_rsc *
graph_rsc(struct graph_strings *gs, const struct pe_rsc *r)
{
	struct graph_rsc *c = &gs->rsc[r->idx];

	if (c->id == NULL) {
		c->id = graph_strdup(gs->g, r->id);
		c->shown = r->cfg->clone_name != NULL
				   ? graph_strdup(gs->g, r->cfg->clone_name)
				   : c->id;
		c->cls = graph_strdup(gs->g, r->cfg->cls);
		c->provider = graph_strdup(gs->g, r->cfg->provider);
		c->type = graph_strdup(gs->g, r->cfg->type);
	}
	return c;
}

static struct graph *
make_graph(struct pe_ws *ws)
{
	struct graph *g = graph_new_pooled();
	struct graph_strings gs = {
		.g = g,
		.rsc = g_new0(struct graph_rsc, ws->nr + 1),
		.uname = g_new0(char *, ws->nn + 1),
		.uuid = g_new0(char *, ws->nn + 1),
	};
	guint i, j;

	for (i = 0; i < ws->actions->len; i++) {
		struct pe_action *a = g_ptr_array_index(ws->actions, i);
		const struct graph_rsc *gr = NULL;
		struct graph_action *ga;
		enum graph_kind kind;
		bool on_node;

		if (!in_graph(a))
			continue;
		kind = a->kind == PK_PSEUDO ? GRAPH_PSEUDO
		       : a->kind == PK_CRM  ? GRAPH_CRM
					    : GRAPH_RSC_OP;
		on_node = a->node != NULL && kind != GRAPH_PSEUDO;
		if (a->rsc != NULL)
			gr = graph_rsc(&gs, a->rsc);
		if (on_node && gs.uname[a->node->idx] == NULL) {
			gs.uname[a->node->idx] =
				graph_strdup(g, a->node->cfg->uname);
			gs.uuid[a->node->idx] =
				graph_strdup(g, a->node->cfg->id);
		}
		ga = graph_add(
			g, kind, graph_strdup_once(g, a->key),
			pool_task(&gs, a->task), gr != NULL ? gr->shown : NULL,
			on_node ? gs.uname[a->node->idx] : NULL, a->interval);
		if (on_node)
			ga->node_id = gs.uuid[a->node->idx];
		if (gr != NULL)
			ga->rsc_long = gr->id;
		if (gr != NULL && kind == GRAPH_RSC_OP) {
			ga->rsc_class = gr->cls;
			ga->rsc_provider = gr->provider;
			ga->rsc_type = gr->type;
		}
		ga->extra = graph_strdup(g, a->extra);
		ga->target_rc = a->target_rc;
		a->gid = ga->id;
		ga->pe_id = a->id;
	}
	for (i = 0; i < ws->actions->len; i++) {
		struct pe_action *a = g_ptr_array_index(ws->actions, i);

		if (a->gid < 0)
			continue;
		for (j = 0; j < a->before.len; j++) {
			struct pe_edge *e = a->before.v[j];

			if (e->type == 0 || e->first->gid < 0)
				continue;
			graph_add_input(g, a->gid, e->first->gid);
		}
	}
	g_free(gs.rsc);
	g_free(gs.uname);
	g_free(gs.uuid);
	return g;
}

static void
free_ws(struct pe_ws *ws)
{
	guint i;

	for (i = 0; i < ws->nr; i++) {
		struct pe_rsc *r = ws->rscs[i];

		g_free(r->w);
		g_free(r->known);
		g_free(r);
	}
	for (i = 0; i < ws->actions->len; i++) {
		struct pe_action *a = g_ptr_array_index(ws->actions, i);

		g_free(a->reason);
	}
	g_ptr_array_free(ws->ospecs, TRUE);
	g_hash_table_destroy(ws->digests);
	g_string_free(ws->digest_text, TRUE);
	g_ptr_array_free(ws->actions, TRUE);
	fo_arena_free(ws->arena);
	g_ptr_array_free(ws->colocs, TRUE);
	g_ptr_array_free(ws->top, TRUE);
	g_free(ws->rscs);
	g_free(ws->nodes);
}

int
pe_compute(struct cib *cib, int64_t now, bool with_scores,
	   struct pe_result **out)
{
	struct pe_ws ws = {0};
	struct pe_result *res = g_new0(struct pe_result, 1);
	char *loop;
	guint i;
	int rc = 0;

	cib_history_derive(cib, now);
	ws.cib = cib;
	ws.now = now;
	ws.recheck = -1;
	ws.have_quorum = cib->have_quorum;
	ws.top = g_ptr_array_new();
	ws.colocs = g_ptr_array_new_with_free_func(g_free);
	ws.actions = g_ptr_array_new();
	ws.ospecs = g_ptr_array_new();
	ws.arena = fo_arena_new();
	res->summary = g_ptr_array_new_with_free_func(g_free);
	res->warnings = g_ptr_array_new_with_free_func(g_free);
	res->scores = g_ptr_array_new_with_free_func(g_free);
	ws.scores = with_scores ? res->scores : NULL;
	ws.warnings = res->warnings;
	ws.digests =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	ws.digest_text = g_string_new(NULL);

	build(&ws);
	pe__apply_locations(&ws);
	pe__apply_stickiness_and_failures(&ws);
	pe__unpack_colocations(&ws);
	pe__sort_and_assign(&ws);
	for (i = 0; i < ws.top->len; i++)
		pe__create_actions(&ws, g_ptr_array_index(ws.top, i));
	pe__create_probes(&ws);
	pe__unpack_orders(&ws);
	pe__apply_ospecs(&ws);
	shutdowns(&ws);
	pe__update_actions(&ws);
	pe__summary(&ws, res->summary);
	res->graph = make_graph(&ws);
	res->recheck = ws.recheck;
	res->graph->recheck = ws.recheck;
	loop = graph_find_loop(res->graph);
	if (loop != NULL) {
		g_ptr_array_add(res->warnings,
				g_strdup_printf("the orderings "
						"form a loop: %s",
						loop));
		g_free(loop);
		rc = -FO_ELOOP;
	}
	free_ws(&ws);
	*out = res;
	return rc;
}

void
pe_result_free(struct pe_result *r)
{
	if (r == NULL)
		return;
	graph_free(r->graph);
	g_ptr_array_free(r->summary, TRUE);
	g_ptr_array_free(r->scores, TRUE);
	g_ptr_array_free(r->warnings, TRUE);
	g_free(r);
}
