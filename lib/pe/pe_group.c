/*
 * pe_group.c - groups: assignment of members in order, and the implied
 * orderings between members and the group's pseudo-actions.
 *
 * A group is its members colocated each with the previous one and
 * ordered after it; "group with X" constraints act on the first member,
 * "X with group" on the last. The group's start/running/stop/stopped
 * pseudo-actions are ordering points for constraints naming the group.
 */
#include "pe_private.h"

struct pe_node *
pe__group_assign(struct pe_ws *ws, struct pe_rsc *rsc)
{
	struct pe_node *first = NULL;
	struct pe_rsc *m0, *last;
	guint i;

	if (!rsc->provisional)
		return rsc->assigned;
	if (rsc->allocating)
		return NULL;
	if (rsc->children.len == 0) {
		rsc->provisional = false;
		return NULL;
	}
	rsc->allocating = true;
	m0 = rsc->children.v[0];
	last = rsc->children.v[rsc->children.len - 1];

	/* "group with R" becomes "first member with R" */
	for (i = 0; i < rsc->this_with.len; i++)
		pe__vec_add(ws->arena, &m0->this_with, rsc->this_with.v[i]);
	rsc->this_with.len = 0;
	/* "R with group" becomes "R with last member" */
	for (i = 0; i < rsc->with_this.len; i++)
		pe__vec_add(ws->arena, &last->with_this, rsc->with_this.v[i]);
	rsc->with_this.len = 0;

	pe__score_lines(ws, "pcmk__group_assign", rsc);
	for (i = 0; i < rsc->children.len; i++) {
		struct pe_rsc *m = rsc->children.v[i];
		struct pe_node *n;

		pe__score_lines(ws, "pcmk__group_assign", m);
		n = pe__assign(ws, m);
		if (first == NULL)
			first = n;
	}
	rsc->next_role = m0->next_role;
	rsc->allocating = false;
	rsc->provisional = false;
	rsc->assigned = rsc->cfg->colocated ? first : NULL;
	return rsc->assigned;
}

void
pe__group_internal(struct pe_ws *ws, struct pe_rsc *g)
{
	struct pe_rsc *prev = NULL, *last_active = NULL;
	bool ordered = g->cfg->ordered;
	guint i;

	pe__order(ws, g, "stop", NULL, g, "stopped", NULL, PO_RUNNABLE_LEFT);
	pe__order(ws, g, "stopped", NULL, g, "start", NULL, PO_OPTIONAL);
	pe__order(ws, g, "start", NULL, g, "running", NULL, PO_RUNNABLE_LEFT);
	for (i = 0; i < g->children.len; i++) {
		struct pe_rsc *m = g->children.v[i];
		unsigned down = PO_IMPLIES_FIRST_PRINTED;
		unsigned post_down = PO_IMPLIES_THEN_PRINTED;

		if (prev == NULL && ordered) {
			down |= PO_OPTIONAL;
			post_down = PO_IMPLIES_THEN;
		}
		pe__order(ws, g, "stop", NULL, m, "stop", NULL, down);
		pe__order(ws, m, "stop", NULL, g, "stopped", NULL, post_down);
		pe__order(ws, g, "start", NULL, m, "start", NULL,
			  PO_IMPLIES_FIRST_PRINTED);
		pe__order(ws, m, "start", NULL, g, "running", NULL,
			  PO_RUNNABLE_LEFT | PO_IMPLIES_THEN |
				  PO_IMPLIES_THEN_PRINTED);
		if (!ordered) {
			pe__order(ws, g, "start", NULL, m, "start", NULL,
				  PO_IMPLIES_THEN | PO_RUNNABLE_LEFT |
					  PO_IMPLIES_FIRST_PRINTED);
		} else if (prev == NULL) {
			pe__order(ws, g, "start", NULL, m, "start", NULL, 0);
		} else {
			pe__order(ws, prev, "start", NULL, m, "start", NULL,
				  PO_IMPLIES_THEN | PO_RUNNABLE_LEFT);
			pe__order(ws, m, "stop", NULL, prev, "stop", NULL,
				  PO_OPTIONAL | PO_RESTART);
		}
		if (m->running_on.len > 0) {
			if (ordered && prev != NULL &&
			    prev->running_on.len == 0 && last_active != NULL &&
			    last_active->running_on.len > 0)
				pe__order(ws, m, "stop", NULL, last_active,
					  "stop", NULL, PO_OPTIONAL);
			last_active = m;
		}
		prev = m;
	}
}
