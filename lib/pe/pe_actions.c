/*
 * pe_actions.c - the actions a resource needs: stop, start, recurring
 * monitors, probes, cancellations, node shutdowns.
 *
 * In: assignment results (current nodes, assigned node, roles, failure
 * flags). Out: actions with their initial flags (optional, runnable) and
 * the orderings every primitive implies (stop before start, start before
 * its monitors, probe before start). Pacemaker's state matrix reduced to
 * Stopped/Started: the way down is stops, the way up is starts; each is
 * optional unless a move, recovery or role change requires it.
 */
#include <limits.h>
#include <string.h>

#include "pe_private.h"

void
pe__clear_failcount(struct pe_ws *ws, struct pe_rsc *rsc, struct pe_node *node)
{
	struct pe_action *a;
	char *key = g_strdup_printf("%s_clear_failcount_0", rsc->id);
	guint i;

	for (i = 0; i < ws->actions->len; i++) {
		a = g_ptr_array_index(ws->actions, i);
		if (a->kind == PK_CRM && a->node == node &&
		    strcmp(a->key, key) == 0) {
			g_free(key);
			return;
		}
	}
	a = pe__action(ws, NULL, "clear_failcount", 0, node, false);
	a->extra = rsc->id;
	a->key = fo_arena_strdup(ws->arena, key);
	g_free(key);
}

void
pe__set_reason(struct pe_action *a, const char *reason, bool overwrite)
{
	if (a->reason != NULL && !overwrite)
		return;
	g_free(a->reason);
	a->reason = g_strdup(reason);
}

struct pe_action *
pe__find_action(struct pe_rsc *rsc, const char *task, uint64_t interval,
		struct pe_node *node)
{
	guint i;

	for (i = 0; i < rsc->actions.len; i++) {
		struct pe_action *a = rsc->actions.v[i];

		if (a->interval == interval && a->node == node &&
		    pe__task_is(a->task, task))
			return a;
	}
	return NULL;
}

static bool
rsc_active(const struct pe_rsc *rsc)
{
	return rsc->running_on.len > 0;
}

/* Pacemaker's runnable rules, applied whenever an action is asked for
 * (custom_action()): an unmanaged resource's actions are optional. */
static void
set_runnable(struct pe_ws *ws, struct pe_action *a)
{
	struct pe_rsc *rsc = a->rsc;
	bool needs_quorum;

	if (a->flags & PA_PSEUDO)
		return;
	if (a->node == NULL) {
		a->flags &= ~PA_RUNNABLE;
		return;
	}
	if (!rsc->managed && a->interval == 0) {
		a->flags |= PA_OPTIONAL;
		return;
	}
	if (!a->node->cfg->online) {
		a->flags &= ~PA_RUNNABLE;
		return;
	}
	needs_quorum = strcmp(a->task, "start") == 0 ||
		       strcmp(a->task, "promote") == 0;
	if (!needs_quorum) {
		pe__set_reason(a, NULL, true);
		a->flags |= PA_RUNNABLE;
		return;
	}
	if (!ws->have_quorum && ws->cib->no_quorum_policy == CIB_NQ_STOP) {
		a->flags &= ~PA_RUNNABLE;
		pe__set_reason(a, "no quorum", true);
		return;
	}
	if (!ws->have_quorum && ws->cib->no_quorum_policy == CIB_NQ_FREEZE) {
		if (!rsc_active(rsc) || rsc->next_role > rsc->role) {
			a->flags &= ~PA_RUNNABLE;
			pe__set_reason(a, "quorum freeze", true);
		}
		return;
	}
	a->flags |= PA_RUNNABLE;
}

/* "ID_TASK_INTERVAL" in the arena (no printf: one key per action,
 * 10^5 actions) */
static char *
op_key(struct fo_arena *ar, const char *id, const char *task, uint64_t interval)
{
	size_t li = strlen(id), lt = strlen(task);
	char num[24], *p = num + sizeof(num), *key;
	size_t ln;

	do {
		*--p = (char)('0' + interval % 10);
		interval /= 10;
	} while (interval != 0);
	ln = (size_t)(num + sizeof(num) - p);
	key = fo_arena_alloc(ar, li + lt + ln + 3);
	memcpy(key, id, li);
	key[li] = '_';
	memcpy(key + li + 1, task, lt);
	key[li + 1 + lt] = '_';
	memcpy(key + li + lt + 2, p, ln);
	key[li + lt + 2 + ln] = '\0';
	return key;
}

struct pe_action *
pe__action(struct pe_ws *ws, struct pe_rsc *rsc, const char *task,
	   uint64_t interval, struct pe_node *node, bool optional)
{
	struct pe_action *a = NULL;

	if (rsc != NULL)
		a = pe__find_action(rsc, task, interval, node);
	if (a != NULL) {
		if (!optional)
			a->flags &= ~PA_OPTIONAL;
		set_runnable(ws, a);
		return a;
	}
	a = fo_arena_alloc(ws->arena, sizeof(*a));
	a->id = (int)ws->actions->len;
	a->rsc = rsc;
	a->task = task;
	a->interval = interval;
	a->node = node;
	a->key = op_key(ws->arena,
			rsc ? rsc->id : (node ? node->cfg->uname : "none"),
			task, interval);
	a->kind = rsc != NULL ? PK_RSC : PK_CRM;
	a->flags = PA_RUNNABLE | (optional ? PA_OPTIONAL : 0);
	a->gid = -1;
	g_ptr_array_add(ws->actions, a);
	if (rsc != NULL)
		pe__vec_add(ws->arena, &rsc->actions, a);
	if (rsc != NULL)
		set_runnable(ws, a);
	return a;
}

struct pe_action *
pe__pseudo(struct pe_ws *ws, struct pe_rsc *rsc, const char *task,
	   bool optional)
{
	struct pe_action *a = pe__find_action(rsc, task, 0, NULL);

	if (a != NULL)
		return a;
	a = pe__action(ws, rsc, task, 0, NULL, optional);
	a->kind = PK_PSEUDO;
	a->flags |= PA_PSEUDO | PA_RUNNABLE;
	return a;
}

static void
stop_rsc(struct pe_ws *ws, struct pe_rsc *rsc, bool optional)
{
	guint i;

	for (i = 0; i < rsc->running_on.len; i++) {
		struct pe_node *n = rsc->running_on.v[i];
		struct pe_action *stop =
			pe__action(ws, rsc, "stop", 0, n, optional);

		if (rsc->assigned == NULL)
			pe__set_reason(stop, "node availability", true);
		if (!rsc->managed)
			stop->flags &= ~PA_RUNNABLE;
	}
}

static void
start_rsc(struct pe_ws *ws, struct pe_rsc *rsc, bool optional)
{
	struct pe_action *start =
		pe__action(ws, rsc, "start", 0, rsc->assigned, true);

	if ((start->flags & PA_RUNNABLE) && !optional)
		start->flags &= ~PA_OPTIONAL;
}

static const struct cib_op_cfg *
find_op(const struct pe_rsc *rsc, const char *name, uint64_t interval)
{
	guint i;

	for (i = 0; i < rsc->cfg->ops->len; i++) {
		const struct cib_op_cfg *op =
			g_ptr_array_index(rsc->cfg->ops, i);

		if (strcmp(op->name, name) == 0 && op->interval_ms == interval)
			return op;
	}
	return NULL;
}

static void
recurring_op(struct pe_ws *ws, struct pe_rsc *rsc, struct pe_action *start,
	     struct pe_node *node, const struct cib_op_cfg *op)
{
	struct pe_action *mon;
	bool optional;

	if (!op->enabled || op->interval_ms == 0)
		return;
	if (op->role != CIB_ROLE_UNKNOWN && op->role != CIB_ROLE_STARTED)
		return;
	if (find_op(rsc, op->name, op->interval_ms) != op)
		return; /* a duplicate definition */
	optional = start == NULL || (start->flags & PA_OPTIONAL);
	if (pe__find_action(rsc, op->name, op->interval_ms, node) == NULL)
		optional = false;
	mon = pe__action(ws, rsc, op->name, op->interval_ms, node, optional);
	if (start == NULL || !(start->flags & PA_RUNNABLE))
		mon->flags &= ~PA_RUNNABLE;
	else if (node == NULL || !node->cfg->online || node->cfg->unclean)
		mon->flags &= ~PA_RUNNABLE;
	if (start != NULL)
		pe__order(ws, rsc, NULL, start, rsc, NULL, mon,
			  PO_IMPLIES_THEN | PO_RUNNABLE_LEFT);
}

static void
recurring(struct pe_ws *ws, struct pe_rsc *rsc, struct pe_action *start,
	  struct pe_node *node)
{
	guint i;

	if (rsc->cfg->maintenance || ws->cib->maintenance_mode ||
	    (node != NULL && node->cfg->maintenance))
		return;
	for (i = 0; i < rsc->cfg->ops->len; i++)
		recurring_op(ws, rsc, start, node,
			     g_ptr_array_index(rsc->cfg->ops, i));
}

/* Monitors with role="Stopped": run where the resource is not. */
static void
recurring_stopped(struct pe_ws *ws, struct pe_rsc *rsc, struct pe_node *chosen)
{
	guint i;
	int n;

	for (i = 0; i < rsc->cfg->ops->len; i++) {
		const struct cib_op_cfg *op =
			g_ptr_array_index(rsc->cfg->ops, i);

		if (op->role != CIB_ROLE_STOPPED || !op->enabled ||
		    op->interval_ms == 0)
			continue;
		for (n = 0; n < ws->nn; n++) {
			struct pe_node *node = &ws->nodes[n];
			struct pe_action *mon, *stop;
			bool optional = true;

			if (!node->cfg->online || node->cfg->unclean)
				continue;
			if (chosen == node) {
				/* it will run here: cancel the stopped check */
				if (pe__find_action(rsc, op->name,
						    op->interval_ms,
						    node) != NULL) {
					struct pe_action *c = pe__action(
						ws, rsc, "cancel",
						op->interval_ms, node, false);

					c->cancel = true;
					c->flags |= PA_RUNNABLE;
				}
				continue;
			}
			if (!rsc->managed)
				continue;
			if (pe__find_action(rsc, op->name, op->interval_ms,
					    node) == NULL)
				optional = false;
			mon = pe__action(ws, rsc, op->name, op->interval_ms,
					 node, optional);
			mon->target_rc = 7;
			stop = pe__find_action(rsc, "stop", 0, node);
			if (stop != NULL) {
				pe__order(ws, rsc, NULL, stop, rsc, NULL, mon,
					  PO_IMPLIES_THEN | PO_RUNNABLE_LEFT);
				if (!(stop->flags & PA_RUNNABLE))
					mon->flags &= ~PA_RUNNABLE;
			}
			if (!(mon->flags & PA_RUNNABLE))
				continue;
			/* a start here makes it pointless */
		}
	}
}

/* Existing recurring monitors from the history, and cancellations of
 * those that are no longer configured or are in maintenance. */
static void
existing_monitors(struct pe_ws *ws, struct pe_rsc *rsc)
{
	GPtrArray *states = ws->cib->states[rsc->cfg->idx];
	guint i, j;

	for (i = 0; states != NULL && i < states->len; i++) {
		struct cib_rsc_state *st = g_ptr_array_index(states, i);
		struct pe_node *node = &ws->nodes[st->node->idx];

		bool checked = node->avail || node->cfg->maintenance;

		if (rsc->orphan) {
			/* Pacemaker cleans an orphan's history away */
			struct pe_action *del;

			if (!rsc->managed || !node->cfg->online || !checked ||
			    rsc->cfg->tmpl != NULL)
				continue;
			del = pe__action(ws, rsc, "delete", 0, node, false);
			pe__order(ws, rsc, "stop", NULL, rsc, NULL, del,
				  PO_OPTIONAL);
			continue;
		}
		for (j = 0; st->active_ops != NULL && j < st->active_ops->len;
		     j++) {
			uint64_t iv =
				g_array_index(st->active_ops, uint64_t, j);
			const struct cib_op_cfg *op =
				find_op(rsc, "monitor", iv);
			guint k;
			bool again = false;

			for (k = 0;
			     st->reschedule != NULL && k < st->reschedule->len;
			     k++)
				if (g_array_index(st->reschedule, uint64_t,
						  k) == iv)
					again = true;
			if (checked && op != NULL && op->enabled) {
				/* parameters changed since it was started:
				 * run it again */
				const struct cib_lrm_op *rec =
					g_ptr_array_index(st->active_recs, j);

				if (rec->op_digest != NULL) {
					const char *dg =
						pe__digest(ws, rsc, op, iv);

					if (strcmp(dg, rec->op_digest) != 0)
						again = true;
				}
			}

			if (checked &&
			    (rsc->cfg->maintenance || node->cfg->maintenance ||
			     ((op == NULL || !op->enabled) &&
			      ws->cib->stop_orphan_actions))) {
				struct pe_action *c = pe__action(
					ws, rsc, "cancel", iv, node, false);

				c->cancel = true;
				c->flags |= PA_RUNNABLE;
				/* a definition that changed clears failures */
				if (!rsc->cfg->maintenance &&
				    !node->cfg->maintenance &&
				    !ws->cib->maintenance_mode &&
				    pe__fail_count(node, rsc->cfg, NULL) > 0)
					pe__clear_failcount(ws, rsc, node);
				continue;
			}
			if (!again)
				pe__action(ws, rsc, "monitor", iv, node, true);
		}
	}
}

static bool
str_differs(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

static bool
agent_changed(const struct pe_rsc *rsc, const struct cib_lrm_rsc *l)
{
	return l != NULL && l->cls != NULL &&
	       (str_differs(l->cls, rsc->cfg->cls) ||
		str_differs(l->provider, rsc->cfg->provider) ||
		str_differs(l->type, rsc->cfg->type));
}

/* A start whose parameters differ from the configuration's: restart
 * (Pacemaker's check_action_definition() for non-recurring ops). */
static void
definition_changed(struct pe_ws *ws, struct pe_rsc *rsc)
{
	GPtrArray *states = ws->cib->states[rsc->cfg->idx];
	guint i;

	if (rsc->orphan || !rsc->managed)
		return;
	for (i = 0; states != NULL && i < states->len; i++) {
		struct cib_rsc_state *st = g_ptr_array_index(states, i);
		struct pe_node *node = &ws->nodes[st->node->idx];
		const struct cib_lrm_op *op = st->last_start;
		const char *dg;

		/* Pacemaker checks definitions only on nodes that can run
		 * resources (or are in maintenance) */
		if (!node->avail && !node->cfg->maintenance)
			continue;
		if (node->cfg->online && agent_changed(rsc, st->lrm)) {
			/* another agent now: forget the old history and
			 * start afresh (Pacemaker's cleanup) */
			struct pe_action *del =
				pe__action(ws, rsc, "delete", 0, node, false);

			pe__order(ws, rsc, "stop", NULL, rsc, NULL, del,
				  PO_IMPLIES_THEN);
			pe__order(ws, rsc, NULL, del, rsc, "start", NULL,
				  PO_IMPLIES_THEN);
			continue;
		}
		/* a probe that found it running counts as its start */
		if (st->role <= CIB_ROLE_STOPPED || op == NULL ||
		    op->op_digest == NULL || !node->cfg->online)
			continue;
		dg = pe__digest(ws, rsc, find_op(rsc, "start", 0), 0);
		if (strcmp(dg, op->op_digest) != 0) {
			const char *rd = NULL;
			struct pe_action *a;

			/* a restart digest means the agent can reload the
			 * parameters outside op-force-restart */
			if (op->restart_digest != NULL)
				rd = pe__digest_only(
					ws, rsc, find_op(rsc, "start", 0), 0,
					op->force_restart ? op->force_restart
							  : "");
			if (rd != NULL && strcmp(rd, op->restart_digest) == 0 &&
			    rsc->pending) {
				/* no reload of a start still in flight */
				pe__action(ws, rsc, "start", 0, node, false);
			} else if (rd != NULL &&
				   strcmp(rd, op->restart_digest) == 0) {
				rsc->reload = true;
				pe__action(ws, rsc, "reload-agent", 0, node,
					   false);
			} else {
				a = pe__action(ws, rsc, "start", 0, node,
					       false);
				pe__set_reason(a, "resource definition change",
					       true);
			}
		}
	}
}

static void
create_primitive(struct pe_ws *ws, struct pe_rsc *rsc)
{
	struct pe_node *chosen = rsc->assigned, *current;
	bool need_stop = false, multiply_active;
	struct pe_action *start;

	existing_monitors(ws, rsc);
	definition_changed(ws, rsc);
	if (rsc->orphan && rsc->managed && rsc->cfg->tmpl == NULL) {
		int n;

		/* an orphan's fail counts go with it */
		for (n = 0; n < ws->nn; n++)
			if (ws->nodes[n].cfg->online &&
			    pe__fail_count(&ws->nodes[n], rsc->cfg, NULL) > 0)
				pe__clear_failcount(ws, rsc, &ws->nodes[n]);
	}
	if (rsc->next_role == CIB_ROLE_UNKNOWN)
		rsc->next_role = chosen ? CIB_ROLE_STARTED : CIB_ROLE_STOPPED;
	current = pe__current_node(rsc);
	multiply_active = rsc->running_on.len > 1;
	if (multiply_active) {
		const char *ma = rsc->cfg->multiple_active;

		if (ma == NULL || strcmp(ma, "stop_start") == 0 ||
		    strcmp(ma, "stop_unexpected") == 0)
			need_stop = true;
	}
	if (rsc->pending) {
		start = pe__action(ws, rsc, "start", 0, chosen, true);
		start->flags |= PA_PRINT;
	}
	if (current != NULL && chosen != NULL && current != chosen)
		need_stop = true;
	else if (rsc->failed && rsc->need_stop)
		need_stop = true;
	else if (rsc->block)
		need_stop = true;

	/* down to Stopped, then up to the current role, then on to the
	 * next role (Pacemaker's role matrix for Stopped/Started) */
	if (rsc->role > CIB_ROLE_STOPPED) {
		stop_rsc(ws, rsc, !need_stop);
		if (rsc->role <= rsc->next_role && !rsc->block)
			start_rsc(ws, rsc, !need_stop);
	}
	if (rsc->role < CIB_ROLE_STARTED && rsc->next_role >= CIB_ROLE_STARTED)
		start_rsc(ws, rsc, false);
	else if (rsc->role > CIB_ROLE_STOPPED &&
		 rsc->next_role == CIB_ROLE_STOPPED)
		stop_rsc(ws, rsc, false);

	if (rsc->block) {
		/* no monitors for a blocked resource */
	} else if (rsc->next_role != CIB_ROLE_STOPPED || !rsc->managed) {
		start = pe__action(ws, rsc, "start", 0, chosen, true);
		recurring(ws, rsc, start, chosen);
		recurring_stopped(ws, rsc, chosen);
	} else {
		recurring_stopped(ws, rsc, NULL);
	}
}

static void
primitive_internal(struct pe_ws *ws, struct pe_rsc *rsc)
{
	if (!rsc->managed)
		return; /* Pacemaker: no implicit constraints then */
	pe__order(ws, rsc, "stop", NULL, rsc, "start", NULL,
		  PO_OPTIONAL | PO_IMPLIES_THEN | PO_RESTART);
}

void
pe__create_actions(struct pe_ws *ws, struct pe_rsc *rsc)
{
	guint i;

	for (i = 0; i < rsc->children.len; i++)
		pe__create_actions(ws, rsc->children.v[i]);
	if (rsc->kind == CIB_PRIMITIVE) {
		create_primitive(ws, rsc);
		primitive_internal(ws, rsc);
	} else if (rsc->kind == CIB_CLONE) {
		pe__pseudo(ws, rsc, "start", true);
		pe__pseudo(ws, rsc, "running", true);
		pe__pseudo(ws, rsc, "stop", true);
		pe__pseudo(ws, rsc, "stopped", true);
		pe__clone_internal(ws, rsc);
	} else if (rsc->kind == CIB_GROUP) {
		pe__pseudo(ws, rsc, "start", true);
		pe__pseudo(ws, rsc, "running", true);
		pe__pseudo(ws, rsc, "stop", true);
		pe__pseudo(ws, rsc, "stopped", true);
		pe__group_internal(ws, rsc);
	}
}

static struct pe_rsc *
top_of(struct pe_rsc *rsc)
{
	while (rsc->parent != NULL)
		rsc = rsc->parent;
	return rsc;
}

static void
probe_rsc(struct pe_ws *ws, struct pe_rsc *rsc, struct pe_node *node)
{
	struct pe_action *probe;
	unsigned flags = PO_OPTIONAL;
	struct pe_rsc *top;
	guint i;

	if (rsc->kind == CIB_CLONE) {
		struct pe_rsc *inst = pe__clone_probe_instance(rsc, node);

		if (inst != NULL)
			probe_rsc(ws, inst, node);
		return;
	}
	for (i = 0; i < rsc->children.len; i++)
		probe_rsc(ws, rsc->children.v[i], node);
	if (rsc->kind != CIB_PRIMITIVE || rsc->orphan || rsc->known[node->idx])
		return;
	probe = pe__action(ws, rsc, "monitor", 0, node, false);
	probe->flags &= ~PA_OPTIONAL;
	probe->target_rc = 7;
	if (!(probe->flags & PA_RUNNABLE) && rsc->running_on.len == 0)
		flags |= PO_RUNNABLE_LEFT;
	top = top_of(rsc);
	pe__order(ws, rsc, NULL, probe, top, "start", NULL, flags);
}

void
pe__create_probes(struct pe_ws *ws)
{
	guint i;
	int n;

	if (!ws->cib->startup_probes)
		return;
	for (n = 0; n < ws->nn; n++) {
		struct pe_node *node = &ws->nodes[n];

		if (!node->cfg->online || node->cfg->unclean)
			continue;
		for (i = 0; i < ws->top->len; i++)
			probe_rsc(ws, g_ptr_array_index(ws->top, i), node);
	}
}
