/*
 * pe_summary.c - the "Transition Summary": one line per resource that
 * changes, in crm_simulate's words (Start, Stop, Move, Recover, Restart)
 * with the reason when an action was forced or blocked.
 *
 * In: the working set after flag propagation. Out: lines such as
 * "Move       rsc1    ( node1 -> node2 )", in assignment order.
 */
#include <string.h>

#include "pe_private.h"

static struct pe_action *
find_task(struct pe_rsc *rsc, const char *task, struct pe_node *node,
	  bool any_node)
{
	guint i;

	for (i = 0; i < rsc->actions.len; i++) {
		struct pe_action *a = rsc->actions.v[i];

		if (a->interval == 0 && pe__task_is(a->task, task) &&
		    (any_node || a->node == node))
			return a;
	}
	return NULL;
}

/* A line's pieces, joined with one allocation: a printf per line was
 * 2000 instructions and a GString 1300, with 10^4 lines. */
struct piece {
	const char *s;
	size_t n;
};

#define LIT(lit) ((struct piece){(lit), sizeof(lit) - 1})

static struct piece
str(const char *s)
{
	return (struct piece){s, strlen(s)};
}

static char *
join(const struct piece *p, int n)
{
	size_t len = 0;
	char *out, *q;
	int i;

	for (i = 0; i < n; i++)
		len += p[i].n;
	q = out = g_malloc(len + 1);
	for (i = 0; i < n; i++) {
		memcpy(q, p[i].s, p[i].n);
		q += p[i].n;
	}
	*q = '\0';
	return out;
}

static void
item(GPtrArray *out, const char *change, struct pe_rsc *rsc,
     struct pe_node *origin, struct pe_node *dest, struct pe_action *action,
     struct pe_action *source)
{
	/* "%-8s   %s   ( %s )" and the reason */
	struct piece p[12];
	int n = 0;

	if (source == NULL)
		source = action;
	p[n++] = str(change);
	if (p[0].n < 8)
		p[n++] = (struct piece){"        ", 8 - p[0].n};
	p[n++] = LIT("   ");
	p[n++] = str(rsc->id);
	p[n++] = LIT("   ( ");
	if (origin == NULL) {
		p[n++] = str(dest->cfg->uname);
	} else if (dest == NULL || origin == dest) {
		p[n++] = str(origin->cfg->uname);
	} else {
		p[n++] = str(origin->cfg->uname);
		p[n++] = LIT(" -> ");
		p[n++] = str(dest->cfg->uname);
	}
	p[n++] = LIT(" )");
	if (source->reason != NULL) {
		p[n++] = LIT("  due to ");
		p[n++] = str(source->reason);
		if (!(action->flags & PA_RUNNABLE))
			p[n++] = LIT(" (blocked)");
	} else if (!(action->flags & PA_RUNNABLE)) {
		p[n++] = LIT("  blocked");
	}
	g_ptr_array_add(out, join(p, n));
}

static void
rsc_summary(struct pe_ws *ws, struct pe_rsc *rsc, GPtrArray *out)
{
	struct pe_node *current = pe__current_node(rsc), *next = rsc->assigned;
	struct pe_action *start, *stop = NULL;
	bool moving;
	enum cib_role role = rsc->role;
	guint i;

	(void)ws;
	if (rsc->kind != CIB_PRIMITIVE) {
		for (i = 0; i < rsc->children.len; i++)
			rsc_summary(ws, rsc->children.v[i], out);
		return;
	}
	if (current != NULL && role == CIB_ROLE_STOPPED)
		role = CIB_ROLE_STARTED;
	if (current == NULL && rsc->orphan)
		return;
	if (!rsc->managed || (current == NULL && next == NULL))
		return;
	moving = current != NULL && next != NULL && current != next;
	start = find_task(rsc, "start", next, false);
	stop = find_task(rsc, "stop",
			 start != NULL && (start->flags & PA_RUNNABLE) ? current
								       : NULL,
			 !(start != NULL && (start->flags & PA_RUNNABLE)));

	if (role == rsc->next_role) {
		if (next == NULL)
			return;
		if (rsc->reload &&
		    (start == NULL || (start->flags & PA_OPTIONAL))) {
			struct pe_action *r =
				find_task(rsc, "reload-agent", next, false);

			if (r != NULL)
				item(out, "Reload", rsc, current, next, r,
				     NULL);
			return;
		}
		if (start == NULL || (start->flags & PA_OPTIONAL))
			return;
		if (!(start->flags & PA_RUNNABLE))
			item(out, "Stop", rsc, current, NULL, stop,
			     stop != NULL && stop->reason ? stop : start);
		else if (moving && current != NULL)
			item(out, rsc->failed ? "Recover" : "Move", rsc,
			     current, next, stop, NULL);
		else if (rsc->failed)
			item(out, "Recover", rsc, current, NULL, stop, NULL);
		else
			item(out, "Restart", rsc, current, next, start, NULL);
		return;
	}
	if (stop != NULL &&
	    (rsc->next_role == CIB_ROLE_STOPPED ||
	     (start != NULL && !(start->flags & PA_RUNNABLE)))) {
		for (i = 0; i < rsc->running_on.len; i++) {
			struct pe_node *n = rsc->running_on.v[i];
			struct pe_action *s = find_task(rsc, "stop", n, false);

			if (s == NULL)
				continue;
			item(out, "Stop", rsc, n, NULL, s,
			     s->reason ? s : start);
		}
	} else if (stop != NULL && rsc->failed && rsc->need_stop) {
		item(out, "Recover", rsc, current, next, stop, start);
	} else if (moving) {
		item(out, "Move", rsc, current, next, stop, NULL);
	} else if (stop != NULL && !(stop->flags & PA_OPTIONAL)) {
		item(out, "Restart", rsc, current, next, start, NULL);
	} else if (role == CIB_ROLE_STOPPED &&
		   rsc->next_role > CIB_ROLE_STOPPED && start != NULL) {
		item(out, "Start", rsc, current, next, start, NULL);
	}
}

void
pe__summary(struct pe_ws *ws, GPtrArray *out)
{
	guint i;

	for (i = 0; i < ws->top->len; i++)
		rsc_summary(ws, g_ptr_array_index(ws->top, i), out);
}
