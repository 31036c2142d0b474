/*
 * pe_ordering.c - ordering constraints and what they imply.
 *
 * In: rsc_order constraints and the implied orderings of primitives and
 * groups, first as (resource, task) pairs, resolved to actions once all
 * actions exist. Out: edges between actions, and the actions' flags after
 * Pacemaker's propagation to a fixed point: a required "first" can make
 * "then" required (implies_then), a required "then" can make "first"
 * required (implies_first), an unrunnable "first" makes "then" unrunnable
 * (runnable_left), and a restart of a resource needs its stop.
 */
#include <string.h>

#include "pe_private.h"

void
pe__order(struct pe_ws *ws, struct pe_rsc *first_rsc, const char *first_task,
	  struct pe_action *first, struct pe_rsc *then_rsc,
	  const char *then_task, struct pe_action *then, unsigned type)
{
	struct pe_ospec *o = fo_arena_alloc(ws->arena, sizeof(*o));

	o->first_rsc = first_rsc;
	o->then_rsc = then_rsc;
	o->first_task = first_task;
	o->then_task = then_task;
	o->first_action = first;
	o->then_action = then;
	o->type = type;
	g_ptr_array_add(ws->ospecs, o);
}

void
pe__order_actions(struct pe_ws *ws, struct pe_action *first,
		  struct pe_action *then, unsigned type)
{
	struct pe_edge *e;
	guint i;

	if (first == then)
		return;
	for (i = 0; i < then->before.len; i++) {
		e = then->before.v[i];
		if (e->first == first && e->type == type)
			return;
	}
	e = fo_arena_alloc(ws->arena, sizeof(*e));
	e->first = first;
	e->then = then;
	e->type = type;
	pe__vec_add(ws->arena, &then->before, e);
	pe__vec_add(ws->arena, &first->after, e);
}

static const char *
invert(const char *task)
{
	if (strcmp(task, "start") == 0)
		return "stop";
	if (strcmp(task, "stop") == 0)
		return "start";
	if (strcmp(task, "promote") == 0)
		return "demote";
	if (strcmp(task, "demote") == 0)
		return "promote";
	if (strcmp(task, "running") == 0)
		return "stopped";
	if (strcmp(task, "stopped") == 0)
		return "running";
	return NULL;
}

void
pe__unpack_orders(struct pe_ws *ws)
{
	guint i;

	for (i = 0; i < ws->cib->orders->len; i++) {
		const struct cib_order *o =
			g_ptr_array_index(ws->cib->orders, i);
		struct pe_rsc *first = ws->rscs[o->first->idx];
		struct pe_rsc *then = ws->rscs[o->then->idx];
		const char *ft = o->first_action, *tt = o->then_action;
		unsigned flags = PO_OPTIONAL;
		bool symmetric = o->symmetrical;

		if (first == then)
			continue;
		if (o->kind == CIB_ORDER_SERIALIZE) {
			flags |= PO_SERIALIZE;
		} else if (o->kind == CIB_ORDER_OPTIONAL) {
			/* the deprecated restart-type=restart turns an
			 * optional order into one that restarts "then" */
			const char *rt = cib_meta(o->then, "restart-type");

			if (rt != NULL && strcmp(rt, "restart") == 0)
				flags |= PO_IMPLIES_THEN;
		} else if (o->kind == CIB_ORDER_MANDATORY) {
			if (!symmetric) {
				flags |= PO_ASYMMETRICAL;
			} else {
				flags |= PO_IMPLIES_THEN;
				if (strcmp(ft, "start") == 0 ||
				    strcmp(ft, "promote") == 0)
					flags |= PO_RUNNABLE_LEFT;
			}
		}
		pe__order(ws, first, ft, NULL, then, tt, NULL, flags);
		if (!symmetric || o->kind == CIB_ORDER_SERIALIZE)
			continue;
		if (invert(ft) == NULL || invert(tt) == NULL)
			continue;
		flags = PO_OPTIONAL;
		if (o->kind == CIB_ORDER_MANDATORY)
			flags |= PO_IMPLIES_FIRST;
		pe__order(ws, then, invert(tt), NULL, first, invert(ft), NULL,
			  flags);
	}
}

static bool
is_descendant(const struct pe_rsc *r, const struct pe_rsc *anc)
{
	for (; r != NULL; r = r->parent)
		if (r == anc)
			return true;
	return false;
}

/*
 * The uncancelled interval-0 actions of @rsc for @task, in creation
 * order, in rsc->memo: valid until the next call for @rsc. @task must
 * live as long as the working set (a literal, an action's or an
 * ordering's task): it is kept as the memo's key, so the probes that
 * each order themselves before the same start do not each scan every
 * action of the resource.
 */
static const struct pe_vec *
actions_memo(struct pe_ws *ws, struct pe_rsc *rsc, const char *task)
{
	guint i;

	if (rsc->memo_task == NULL || !pe__task_is(rsc->memo_task, task)) {
		rsc->memo_task = task;
		rsc->memo_scanned = 0;
		rsc->memo.len = 0;
	}
	for (i = rsc->memo_scanned; i < rsc->actions.len; i++) {
		struct pe_action *a = rsc->actions.v[i];

		if (a->interval == 0 && pe__task_is(a->task, task) &&
		    !a->cancel)
			pe__vec_add(ws->arena, &rsc->memo, a);
	}
	rsc->memo_scanned = rsc->actions.len;
	return &rsc->memo;
}

/* The same as a copy in the arena, which the caller does not free. */
static struct pe_vec
actions_of(struct pe_ws *ws, struct pe_rsc *rsc, const char *task)
{
	const struct pe_vec *memo = actions_memo(ws, rsc, task);
	struct pe_vec out = {NULL, 0, 0};
	guint i;

	for (i = 0; i < memo->len; i++)
		pe__vec_add(ws->arena, &out, memo->v[i]);
	return out;
}

/* The last of them, or NULL. */
static struct pe_action *
last_action(struct pe_ws *ws, struct pe_rsc *rsc, const char *task)
{
	const struct pe_vec *memo = actions_memo(ws, rsc, task);

	return memo->len > 0 ? memo->v[memo->len - 1] : NULL;
}

/* Where an instance is (running, for stops) or will be. */
static struct pe_node *
instance_at(const struct pe_rsc *r, bool current)
{
	if (current)
		return r->running_on.len > 0 ? r->running_on.v[0] : NULL;
	return r->assigned;
}

/* Pacemaker's reaction to an instance that cannot be placed after all:
 * it stops, it does not start, its monitors do not run. */
static void
unassign_instance(struct pe_rsc *r)
{
	guint i;

	if (r->assigned != NULL)
		r->assigned->num_rsc--;
	r->assigned = NULL;
	r->next_role = CIB_ROLE_STOPPED;
	for (i = 0; i < r->actions.len; i++) {
		struct pe_action *a = r->actions.v[i];

		if (strcmp(a->task, "stop") == 0)
			a->flags &= ~PA_OPTIONAL;
		else if (strcmp(a->task, "start") == 0 ||
			 (a->interval > 0 && a->target_rc != 7))
			a->flags &= ~PA_RUNNABLE;
	}
}

/*
 * interleave=true: each instance of the "then" clone waits only for the
 * "first" clone's instance on the same node; an instance with no such
 * partner may not start at all (mandatory orderings).
 */
static bool
apply_interleaved(struct pe_ws *ws, struct pe_ospec *o, const char *ft)
{
	struct pe_rsc *first = o->first_rsc, *then = o->then_rsc;
	const struct pe_rsc *decides;
	const char *first_task = o->first_task;
	bool stopping, current;
	guint i, j;

	if (o->first_action != NULL || o->then_action != NULL ||
	    first == NULL || then == NULL || first == then ||
	    first->kind != CIB_CLONE || then->kind != CIB_CLONE || ft == NULL ||
	    o->then_task == NULL)
		return false;
	stopping = strcmp(o->then_task, "stop") == 0 ||
		   strcmp(o->then_task, "demote") == 0;
	current = strcmp(ft, "stopped") == 0 || strcmp(ft, "demoted") == 0;
	decides = stopping ? first : then;
	if (!decides->cfg->interleave)
		return false;
	for (i = 0; i < then->children.len; i++) {
		struct pe_rsc *ti = then->children.v[i];
		struct pe_node *where = instance_at(ti, current);
		struct pe_rsc *fi = NULL;
		struct pe_action *ta = last_action(ws, ti, o->then_task);
		struct pe_action *fa;

		for (j = 0; where != NULL && j < first->children.len; j++) {
			struct pe_rsc *c = first->children.v[j];

			if (instance_at(c, current) == where) {
				fi = c;
				break;
			}
		}
		if (fi == NULL) {
			if (!current &&
			    (o->type & (PO_RUNNABLE_LEFT | PO_IMPLIES_THEN)) &&
			    ti->kind == CIB_PRIMITIVE)
				unassign_instance(ti);
			continue;
		}
		fa = last_action(ws, fi, first_task);
		if (fa != NULL && ta != NULL)
			pe__order_actions(ws, fa, ta, o->type);
	}
	return true;
}

static void
apply_ospec(struct pe_ws *ws, struct pe_ospec *o)
{
	struct pe_vec firsts, thens;
	void *first_one, *then_one; /* a single action's storage */
	const char *ft = o->first_task;
	guint i, j;

	if (o->first_action == NULL && o->first_rsc != NULL &&
	    o->first_rsc->kind != CIB_PRIMITIVE && o->then_rsc != NULL &&
	    !is_descendant(o->then_rsc, o->first_rsc) &&
	    !is_descendant(o->first_rsc, o->then_rsc)) {
		if (strcmp(ft, "start") == 0)
			ft = "running";
		else if (strcmp(ft, "stop") == 0)
			ft = "stopped";
	}
	if (apply_interleaved(ws, o, ft))
		return;
	/*
	 * The lists are the resources' memos themselves (no pe__order_actions()
	 * changes one), copied only when the "then" lookup below is about to
	 * reuse the memo of the same resource: a copy per ordering was a
	 * fifth of this step for 5000 probes.
	 */
	if (o->first_action != NULL) {
		first_one = o->first_action;
		firsts = (struct pe_vec){&first_one, 1, 1};
	} else {
		firsts = *actions_memo(ws, o->first_rsc, ft);
		if (firsts.len == 0) {
			struct pe_rsc *r = o->first_rsc;

			if ((strcmp(ft, "stop") == 0 ||
			     strcmp(ft, "demote") == 0) &&
			    r->running_on.len == 0 && r->kind == CIB_PRIMITIVE)
				return;
			if (r->kind == CIB_PRIMITIVE)
				first_one =
					pe__action(ws, r, ft, 0, NULL, true);
			else
				first_one = pe__pseudo(ws, r, ft, true);
			firsts = (struct pe_vec){&first_one, 1, 1};
		} else if (o->then_action == NULL &&
			   o->then_rsc == o->first_rsc) {
			firsts = actions_of(ws, o->first_rsc, ft);
		}
	}
	if (o->then_action != NULL) {
		then_one = o->then_action;
		thens = (struct pe_vec){&then_one, 1, 1};
	} else {
		thens = *actions_memo(ws, o->then_rsc, o->then_task);
	}
	for (i = 0; i < firsts.len; i++)
		for (j = 0; j < thens.len; j++)
			pe__order_actions(ws, firsts.v[i], thens.v[j], o->type);
}

void
pe__apply_ospecs(struct pe_ws *ws)
{
	guint i;

	for (i = 0; i < ws->ospecs->len; i++)
		apply_ospec(ws, g_ptr_array_index(ws->ospecs, i));
	/* resolved into edges: not needed any more */
	g_ptr_array_set_size(ws->ospecs, 0);
}

/* ---- flag propagation ---- */

static char *
reason_text(const struct pe_action *why, unsigned flag)
{
	return g_strdup_printf("%s %s %s",
			       flag == PA_RUNNABLE ? "unrunnable" : "required",
			       why->rsc ? why->rsc->id : "", why->task);
}

/* clear @flag on @a because of @why; true when it changed */
static bool
clear_because(struct pe_action *a, unsigned flag, const struct pe_action *why)
{
	if (!(a->flags & flag))
		return false;
	a->flags &= ~flag;
	if (a->rsc != why->rsc) {
		char *r = reason_text(why, flag);

		pe__set_reason(a, r, false);
		g_free(r);
	}
	return true;
}

static const char *
member_task(const char *task)
{
	if (strcmp(task, "running") == 0)
		return "start";
	if (strcmp(task, "stopped") == 0)
		return "stop";
	return task;
}

/* Pacemaker's group action flags: a group pseudo-action is required
 * when a member's matching action is, unrunnable when one cannot run. */
static unsigned
action_flags(struct pe_ws *ws, struct pe_action *a)
{
	unsigned flags;
	guint i;

	if (a->rsc == NULL || a->rsc->kind == CIB_PRIMITIVE)
		return a->flags;
	flags = PA_OPTIONAL | PA_RUNNABLE | PA_PSEUDO;
	if (a->rsc->kind == CIB_CLONE) {
		/* Pacemaker's summary_action_flags(): required when an
		 * instance's action is, runnable when any instance's is */
		bool any_runnable = false;

		for (i = 0; i < a->rsc->children.len; i++) {
			struct pe_rsc *m = a->rsc->children.v[i];
			struct pe_action *ma =
				last_action(ws, m, member_task(a->task));

			if (ma != NULL) {
				unsigned mf = action_flags(ws, ma);

				if ((flags & PA_OPTIONAL) &&
				    !(mf & PA_OPTIONAL)) {
					flags &= ~PA_OPTIONAL;
					a->flags &= ~PA_OPTIONAL;
				}
				if (mf & PA_RUNNABLE)
					any_runnable = true;
			}
		}
		if (!any_runnable) {
			flags &= ~PA_RUNNABLE;
			a->flags &= ~PA_RUNNABLE;
		}
		return flags;
	}
	for (i = 0; i < a->rsc->children.len; i++) {
		struct pe_rsc *m = a->rsc->children.v[i];
		const char *t = member_task(a->task);
		struct pe_action *ma = last_action(ws, m, t);

		if (ma != NULL) {
			unsigned mf = action_flags(ws, ma);

			if ((flags & PA_OPTIONAL) && !(mf & PA_OPTIONAL)) {
				flags &= ~PA_OPTIONAL;
				a->flags &= ~PA_OPTIONAL;
			}
			if (strcmp(t, a->task) != 0 && (flags & PA_RUNNABLE) &&
			    !(mf & PA_RUNNABLE)) {
				flags &= ~PA_RUNNABLE;
				a->flags &= ~PA_RUNNABLE;
			}
		} else if (strcmp(t, "stop") != 0 && strcmp(t, "demote") != 0) {
			flags &= ~PA_RUNNABLE;
		}
	}
	return flags;
}

static void
handle_restart(struct pe_action *first, struct pe_action *then, unsigned filter)
{
	bool go = false;

	if (first->rsc == NULL || then->rsc == NULL ||
	    first->rsc->kind != CIB_PRIMITIVE ||
	    then->rsc->kind != CIB_PRIMITIVE)
		return;
	if ((filter & PA_OPTIONAL) && !(then->flags & PA_OPTIONAL))
		go = true;
	if ((filter & PA_RUNNABLE) && !(then->flags & PA_RUNNABLE) &&
	    then->rsc->managed && first->rsc == then->rsc)
		go = true;
	if (!go)
		return;
	if (first->flags & PA_RUNNABLE)
		clear_because(first, PA_OPTIONAL, then);
	if (!(then->flags & PA_OPTIONAL))
		clear_because(first, PA_OPTIONAL, then);
	if (!(first->flags & PA_OPTIONAL) && !(first->flags & PA_RUNNABLE))
		clear_because(then, PA_RUNNABLE, first);
}

/* pcmk__update_ordered_actions() for one (first, then) pair */
static void
update_pair(struct pe_action *first, struct pe_action *then, unsigned flags,
	    unsigned filter, unsigned type)
{
	if (type & PO_ASYMMETRICAL) {
		if (then->rsc != NULL && !(first->flags & PA_RUNNABLE)) {
			bool skip = false;

			if (then->flags & PA_OPTIONAL) {
				if (then->rsc->running_on.len == 0 &&
				    strcmp(then->task, "stop") == 0)
					skip = true;
				else if (then->rsc->running_on.len == 1 &&
					 strcmp(then->task, "start") == 0 &&
					 then->rsc->running_on.v[0] ==
						 then->node)
					skip = true;
			}
			if (!skip) {
				clear_because(then, PA_OPTIONAL, first);
				clear_because(then, PA_RUNNABLE, first);
			}
		}
	}
	if ((type & PO_RUNNABLE_LEFT) && (filter & PA_RUNNABLE) &&
	    (then->flags & PA_RUNNABLE) && !(flags & PA_RUNNABLE))
		clear_because(then, PA_RUNNABLE, first);
	if ((type & PO_IMPLIES_THEN) && (filter & PA_OPTIONAL) &&
	    (then->flags & PA_OPTIONAL) && !(flags & PA_OPTIONAL))
		clear_because(then, PA_OPTIONAL, first);
	if (type & PO_RESTART)
		handle_restart(first, then, filter);
}

static void update_action(struct pe_ws *ws, struct pe_action *then);

/* Apply one edge; group "then" actions also update their members. */
static void
update_edge(struct pe_ws *ws, struct pe_edge *e, bool *fchg, bool *tchg)
{
	struct pe_action *first = e->first, *then = e->then;
	unsigned saved_first = first->flags;
	unsigned ff = action_flags(ws, first), tf;
	unsigned type = e->type;
	GPtrArray *targets = NULL; /* then and its members' actions */
	guint i, n = 1;

	tf = action_flags(ws, then);
	if (then->rsc != NULL && then->rsc->kind != CIB_PRIMITIVE) {
		targets = g_ptr_array_new();
		g_ptr_array_add(targets, then);
	}
	if (then->rsc != NULL && then->rsc->kind == CIB_CLONE) {
		for (i = 0; i < then->rsc->children.len; i++) {
			struct pe_rsc *m = then->rsc->children.v[i];
			struct pe_action *x = last_action(ws, m, then->task);

			if (x != NULL && (action_flags(ws, x) & PA_RUNNABLE))
				g_ptr_array_add(targets, x);
		}
	}
	if (then->rsc != NULL && then->rsc->kind == CIB_GROUP) {
		for (i = 0; i < then->rsc->children.len; i++) {
			struct pe_rsc *m = then->rsc->children.v[i];
			struct pe_action *x = last_action(ws, m, then->task);

			if (x != NULL)
				g_ptr_array_add(targets, x);
		}
	}
	if (targets != NULL)
		n = targets->len;
	for (i = 0; i < n; i++) {
		struct pe_action *t =
			targets != NULL ? g_ptr_array_index(targets, i) : then;
		unsigned saved_then = t->flags;

		if (type & PO_IMPLIES_THEN)
			update_pair(first, t, ff & PA_OPTIONAL, PA_OPTIONAL,
				    PO_IMPLIES_THEN);
		if ((type & PO_RESTART) && t->rsc != NULL)
			update_pair(first, t, ff, PA_OPTIONAL | PA_RUNNABLE,
				    PO_RESTART);
		if (type & PO_IMPLIES_FIRST) {
			/*
			 * Pacemaker 2.1.5 makes "first" required here only
			 * when its ordering flags already say so, which for
			 * resource actions never adds anything: a stop
			 * ordered before a required stop becomes required
			 * through its own resource's restart instead (and
			 * the summary names that reason). The corpus agrees
			 * (bug-lf-2453, clone-interleave-2).
			 */
			if (first->rsc == NULL && !(ff & PA_OPTIONAL) &&
			    (first->flags & PA_RUNNABLE))
				first->flags &= ~PA_RUNNABLE;
		}
		if (type & PO_RUNNABLE_LEFT)
			update_pair(first, t, ff, PA_RUNNABLE,
				    PO_RUNNABLE_LEFT);
		if (type & PO_ASYMMETRICAL)
			update_pair(first, t, ff, PA_RUNNABLE, PO_ASYMMETRICAL);
		/* the rest applies to the ordering's own "then" only, not
		 * to the members it was expanded to */
		if (i > 0)
			goto next;
		if ((first->flags & PA_RUNNABLE) &&
		    (type & PO_IMPLIES_THEN_PRINTED) && !(ff & PA_OPTIONAL))
			t->flags |= PA_PRINT;
		if ((type & PO_IMPLIES_FIRST_PRINTED) && !(tf & PA_OPTIONAL))
			first->flags |= PA_PRINT;
		if ((type &
		     (PO_IMPLIES_THEN | PO_IMPLIES_FIRST | PO_RESTART)) &&
		    first->rsc != NULL && !first->rsc->managed &&
		    first->rsc->block && !(first->flags & PA_RUNNABLE) &&
		    strcmp(first->task, "stop") == 0 &&
		    (t->flags & PA_RUNNABLE)) {
			t->flags &= ~PA_RUNNABLE;
		}
	next:
		if ((t->flags & ~PA_PRINT) != (saved_then & ~PA_PRINT)) {
			*tchg = true;
			/* Pacemaker re-runs a member's orderings at once */
			if (t->rsc != NULL && t->rsc->parent != NULL)
				update_action(ws, t);
		}
	}
	if ((first->flags & ~PA_PRINT) != (saved_first & ~PA_PRINT))
		*fchg = true;
	if (targets != NULL)
		g_ptr_array_free(targets, TRUE);
}

/*
 * Pacemaker's pcmk__update_action_for_orderings(): apply every ordering
 * where @then is "then" (latest first); when "first" changes, revisit
 * what follows it; when @then changes, revisit it and what follows it.
 * Flags only ever move one way (optional -> required, runnable ->
 * unrunnable), so this ends.
 */
static void
update_action(struct pe_ws *ws, struct pe_action *then)
{
	bool then_changed = false;
	guint i, k;

	for (i = then->before.len; i > 0; i--) {
		struct pe_edge *e = then->before.v[i - 1];
		bool fchg = false, tchg = false;

		if (e->type == 0)
			continue;
		update_edge(ws, e, &fchg, &tchg);
		if (tchg)
			then_changed = true;
		if (fchg) {
			struct pe_action *f = e->first;

			for (k = f->after.len; k > 0; k--)
				update_action(
					ws,
					((struct pe_edge *)f->after.v[k - 1])
						->then);
			update_action(ws, f);
		}
	}
	if (then_changed) {
		update_action(ws, then);
		for (k = then->after.len; k > 0; k--)
			update_action(
				ws,
				((struct pe_edge *)then->after.v[k - 1])->then);
	}
}

void
pe__update_actions(struct pe_ws *ws)
{
	guint i;

	/* Pacemaker walks its action list newest first */
	for (i = ws->actions->len; i > 0; i--)
		update_action(ws, g_ptr_array_index(ws->actions, i - 1));
}
