/*
 * sim_status.c - fo-sim's cluster status, in crm_simulate's layout:
 * the node list (Online/OFFLINE summaries, standby, UNCLEAN) and the
 * resource list (primitives, groups) with role, node and flags.
 *
 * In: a CIB model whose derived state (cib_history_derive()) is current.
 * Out: text appended to a GString. Resources print in document order.
 */
#include <string.h>

#include "fo/cib.h"
#include "sim.h"

static void
node_list(const struct cib *cib, GString *out)
{
	GString *online = g_string_new(NULL), *offline = g_string_new(NULL);
	guint i, j, k;

	g_string_append(out, "  * Node List:\n");
	for (i = 0; i < cib->nodes->len; i++) {
		struct cib_node *n = g_ptr_array_index(cib->nodes, i);
		bool active = false;

		for (j = 0; j < cib->all->len && !active; j++) {
			GPtrArray *st = cib->states[j];

			for (k = 0; st != NULL && k < st->len; k++) {
				struct cib_rsc_state *s =
					g_ptr_array_index(st, k);

				if (s->node == n && s->role > CIB_ROLE_STOPPED)
					active = true;
			}
		}
		if (n->unclean) {
			g_string_append_printf(
				out,
				"    * Node %s: UNCLEAN "
				"(%s)\n",
				n->uname, n->online ? "online" : "offline");
		} else if (!n->online && n->standby) {
			g_string_append_printf(out,
					       "    * Node %s: OFFLINE "
					       "(standby)\n",
					       n->uname);
		} else if (!n->online) {
			g_string_append_printf(offline, " %s", n->uname);
		} else if (n->standby) {
			g_string_append_printf(
				out, "    * Node %s: standby%s\n", n->uname,
				active ? " (with active resources)" : "");
		} else if (n->maintenance) {
			g_string_append_printf(out,
					       "    * Node %s: "
					       "maintenance\n",
					       n->uname);
		} else {
			g_string_append_printf(online, " %s", n->uname);
		}
	}
	if (online->len > 0)
		g_string_append_printf(out, "    * Online: [%s ]\n",
				       online->str);
	if (offline->len > 0)
		g_string_append_printf(out, "    * OFFLINE: [%s ]\n",
				       offline->str);
	g_string_free(online, TRUE);
	g_string_free(offline, TRUE);
}

static char *
agent_text(const struct cib_rsc *r)
{
	if (r->provider != NULL)
		return g_strdup_printf("%s:%s:%s", r->cls, r->provider,
				       r->type);
	return g_strdup_printf("%s:%s", r->cls, r->type);
}

static bool
rsc_managed(const struct cib *cib, const struct cib_rsc *r, bool *blocked)
{
	GPtrArray *st = cib->states[r->idx];
	bool managed = r->managed;
	guint i;

	*blocked = false;
	for (i = 0; st != NULL && i < st->len; i++) {
		struct cib_rsc_state *s = g_ptr_array_index(st, i);

		if (s->role > CIB_ROLE_STOPPED && s->block) {
			*blocked = true;
			managed = false;
		}
		if (s->role > CIB_ROLE_STOPPED && s->node->maintenance)
			managed = false;
	}
	return managed;
}

static void
primitive_line(const struct cib *cib, const struct cib_rsc *r,
	       const char *indent, GString *out)
{
	GPtrArray *st = cib->states[r->idx];
	GString *nodes = g_string_new(NULL), *flags = g_string_new(NULL);
	bool failed = false, ignored = false, pending = false, blocked;
	bool managed = rsc_managed(cib, r, &blocked) &&
		       !(r->orphan && !cib->stop_orphans);
	enum cib_role role = CIB_ROLE_STOPPED;
	char *agent = agent_text(r);
	guint i, count = 0;

	for (i = 0; st != NULL && i < st->len; i++) {
		struct cib_rsc_state *s = g_ptr_array_index(st, i);

		if (s->failure_ignored)
			ignored = true;
		if (s->role <= CIB_ROLE_STOPPED)
			continue;
		count++;
		g_string_append_printf(nodes, " %s", s->node->uname);
		if (s->role > role)
			role = s->role;
		if (s->failed)
			failed = true;
		if (s->pending)
			pending = true;
	}
	if (r->orphan && count == 0)
		goto out;
	if (count > 1 && r->multiple_active != NULL &&
	    strcmp(r->multiple_active, "block") == 0)
		blocked = true;
	if (r->target_role == CIB_ROLE_STOPPED)
		g_string_append(flags, ", disabled");
	if (blocked)
		g_string_append(flags, ", blocked");
	else if (!managed)
		g_string_append(flags, ", unmanaged");
	if (ignored)
		g_string_append(flags, ", failure ignored");
	g_string_append_printf(out, "%s* %s\t(%s):\t %s%s", indent,
			       r->tmpl != NULL ? r->tmpl->id : r->id, agent,
			       r->orphan ? "ORPHANED " : "",
			       failed		       ? "FAILED"
			       : pending && count == 1 ? "Starting"
						       : cib_role_text(role));
	if (count == 1)
		g_string_append(out, nodes->str);
	if (flags->len > 0)
		g_string_append_printf(out, " (%s)", flags->str + 2);
	if (count > 1)
		g_string_append_printf(out, " [%s ]", nodes->str);
	g_string_append_c(out, '\n');
out:
	g_free(agent);
	g_string_free(nodes, TRUE);
	g_string_free(flags, TRUE);
}

/* Where an instance runs (a member for cloned groups), healthy or not. */
static struct cib_node *
instance_state(const struct cib *cib, const struct cib_rsc *inst, bool *healthy)
{
	GPtrArray *st = cib->states[inst->idx];
	struct cib_node *where = NULL;
	bool blocked;
	guint i;

	*healthy = true;
	if (inst->kind == CIB_GROUP) {
		for (i = 0; i < inst->children->len; i++) {
			bool h;
			struct cib_node *n = instance_state(
				cib, g_ptr_array_index(inst->children, i), &h);

			if (n == NULL || !h)
				*healthy = false;
			if (where == NULL)
				where = n;
		}
		return where;
	}
	for (i = 0; st != NULL && i < st->len; i++) {
		struct cib_rsc_state *s = g_ptr_array_index(st, i);

		if (s->role <= CIB_ROLE_STOPPED)
			continue;
		if (where != NULL || s->failed || s->pending ||
		    s->failure_ignored)
			*healthy = false;
		where = s->node;
	}
	if (!rsc_managed(cib, inst, &blocked))
		*healthy = false;
	return where;
}

static void
instance_lines(const struct cib *cib, const struct cib_rsc *inst, GString *out)
{
	guint i;

	if (inst->kind == CIB_GROUP) {
		g_string_append_printf(out, "      * Resource Group: %s:\n",
				       inst->tmpl ? inst->tmpl->id : inst->id);
		for (i = 0; i < inst->children->len; i++)
			primitive_line(cib,
				       g_ptr_array_index(inst->children, i),
				       "        ", out);
		return;
	}
	primitive_line(cib, inst, "      ", out);
}

static gint
cmp_node_name(gconstpointer a, gconstpointer b)
{
	return cib_node_cmp(*(const char *const *)a, *(const char *const *)b);
}

static void
clone_lines(const struct cib *cib, const struct cib_rsc *r, GString *out)
{
	const struct cib_rsc *first =
		r->children->len > 0 ? g_ptr_array_index(r->children, 0) : NULL;
	GPtrArray *started = g_ptr_array_new();
	GString *flags = g_string_new(NULL);
	bool *busy = g_new0(bool, cib->nodes->len + 1);
	int active = 0;
	guint i;

	if (!r->managed)
		g_string_append(flags, ", unmanaged");
	if (r->target_role == CIB_ROLE_STOPPED)
		g_string_append(flags, ", disabled");
	g_string_append_printf(
		out, "    * Clone Set: %s [%s]", r->id,
		first != NULL && first->tmpl != NULL ? first->tmpl->id : "");
	if (flags->len > 0)
		g_string_append_printf(out, " (%s)", flags->str + 2);
	g_string_append(out, ":\n");
	for (i = 0; i < r->children->len; i++) {
		const struct cib_rsc *inst = g_ptr_array_index(r->children, i);
		bool healthy;
		struct cib_node *n = instance_state(cib, inst, &healthy);

		if (n == NULL)
			continue;
		active++;
		busy[n->idx] = true;
		if (healthy)
			g_ptr_array_add(started, n->uname);
		else
			instance_lines(cib, inst, out);
	}
	if (started->len > 0) {
		g_ptr_array_sort(started, cmp_node_name);
		g_string_append(out, "      * Started: [");
		for (i = 0; i < started->len; i++)
			g_string_append_printf(
				out, " %s",
				(char *)g_ptr_array_index(started, i));
		g_string_append(out, " ]\n");
	}
	if (active < r->clone_max) {
		GString *stopped = g_string_new(NULL);

		for (i = 0; i < cib->nodes->len; i++) {
			struct cib_node *n = g_ptr_array_index(cib->nodes, i);

			if (!busy[n->idx])
				g_string_append_printf(stopped, " %s",
						       n->uname);
		}
		if (stopped->len > 0)
			g_string_append_printf(
				out, "      * Stopped%s: [%s ]\n",
				r->target_role == CIB_ROLE_STOPPED
					? " (disabled)"
					: "",
				stopped->str);
		g_string_free(stopped, TRUE);
	}
	g_ptr_array_free(started, TRUE);
	g_string_free(flags, TRUE);
	g_free(busy);
}

static void
rsc_lines(const struct cib *cib, const struct cib_rsc *r, GString *out)
{
	guint i;

	if (r->kind == CIB_PRIMITIVE) {
		primitive_line(cib, r, "    ", out);
	} else if (r->kind == CIB_GROUP) {
		GString *flags = g_string_new(NULL);

		if (!r->managed)
			g_string_append(flags, ", unmanaged");
		if (r->target_role == CIB_ROLE_STOPPED)
			g_string_append(flags, ", disabled");
		g_string_append_printf(out, "    * Resource Group: %s", r->id);
		if (flags->len > 0)
			g_string_append_printf(out, " (%s)", flags->str + 2);
		g_string_append(out, ":\n");
		g_string_free(flags, TRUE);
		for (i = 0; i < r->children->len; i++)
			primitive_line(cib, g_ptr_array_index(r->children, i),
				       "      ", out);
	} else {
		clone_lines(cib, r, out);
	}
}

void
sim_status(const struct cib *cib, GString *out)
{
	guint i;

	node_list(cib, out);
	g_string_append(out, "\n  * Full List of Resources:\n");
	for (i = 0; i < cib->resources->len; i++)
		rsc_lines(cib, g_ptr_array_index(cib->resources, i), out);
	/* active orphans after the configured resources */
	for (i = 0; i < cib->all->len; i++) {
		struct cib_rsc *r = g_ptr_array_index(cib->all, i);

		if (r->orphan && r->parent == NULL)
			primitive_line(cib, r, "    ", out);
	}
}
