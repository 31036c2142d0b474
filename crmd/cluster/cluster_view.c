/*
 * cluster_view.c - when a CPG view is complete, and who is DC.
 *
 * In: what corosync's confchg, totem and quorum callbacks said, in the
 * order they came. Out: "emit a membership event now" decisions and the DC
 * rule. A confchg that comes from a totem change (a node left or joined,
 * reason NODEDOWN/NODEUP) is held until the totem callback that follows it
 * says which ring it belongs to; a process joining or leaving on a stable
 * ring is complete at once. The DC is the lowest (nodeid, pid) of a
 * complete view, and only while the latest quorum callback is for that
 * same ring and quorate (CPG-FACTS 2 and 5). No I/O, no corosync calls.
 */
#include <string.h>

#include "cluster_private.h"

bool
cluster__ring_eq(struct fo_ring_id a, struct fo_ring_id b)
{
	return a.nodeid == b.nodeid && a.seq == b.seq;
}

void
cluster__state_init(struct cluster__state *st, uint32_t nodeid, uint32_t pid)
{
	memset(st, 0, sizeof(*st));
	st->nodeid = nodeid;
	st->pid = pid;
	st->members = g_array_new(FALSE, FALSE, sizeof(struct cluster_member));
}

void
cluster__state_clear(struct cluster__state *st)
{
	if (st->members)
		g_array_unref(st->members);
	st->members = NULL;
}

void
cluster__state_reset(struct cluster__state *st)
{
	g_array_set_size(st->members, 0);
	st->in_group = st->ring_known = st->pending = false;
	st->q_known = st->quorate = false;
	memset(&st->ring, 0, sizeof(st->ring));
	memset(&st->q_ring, 0, sizeof(st->q_ring));
}

static gint
cluster_member_cmp(gconstpointer a, gconstpointer b)
{
	const struct cluster_member *x = a, *y = b;

	if (x->nodeid != y->nodeid)
		return x->nodeid < y->nodeid ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return 0;
}

static bool
cluster_node_level(const struct cpg_address *l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (l[i].reason == CPG_REASON_NODEDOWN ||
		    l[i].reason == CPG_REASON_NODEUP)
			return true;
	return false;
}

enum cluster__change
cluster__state_confchg(struct cluster__state *st,
    const struct cpg_address *members, size_t n_members,
    const struct cpg_address *left, size_t n_left,
    const struct cpg_address *joined, size_t n_joined)
{
	struct cluster_member m;
	bool self = false;
	size_t i;

	g_array_set_size(st->members, 0);
	for (i = 0; i < n_members; i++) {
		m.nodeid = members[i].nodeid;
		m.pid = members[i].pid;
		if (m.nodeid == st->nodeid && m.pid == st->pid)
			self = true;
		g_array_append_val(st->members, m);
	}
	/* corosync sorts member_list; do not depend on it. */
	g_array_sort(st->members, cluster_member_cmp);
	if (!self)
		return st->in_group ? CLUSTER_EVICTED : CLUSTER_NO_EVENT;
	st->in_group = true;
	if (cluster_node_level(left, n_left) ||
	    cluster_node_level(joined, n_joined) || !st->ring_known) {
		st->pending = true;
		return CLUSTER_NO_EVENT;
	}
	return CLUSTER_VIEW;
}

enum cluster__change
cluster__state_totem(struct cluster__state *st, struct fo_ring_id ring)
{
	bool changed = !st->ring_known || !cluster__ring_eq(st->ring, ring);

	st->ring = ring;
	st->ring_known = true;
	if (!st->in_group)
		return CLUSTER_NO_EVENT;
	if (st->pending || changed) {
		st->pending = false;
		return CLUSTER_VIEW;
	}
	return CLUSTER_NO_EVENT;
}

void
cluster__state_quorum(struct cluster__state *st, bool quorate,
    struct fo_ring_id ring)
{
	st->q_known = true;
	st->quorate = quorate;
	st->q_ring = ring;
}

bool
cluster__state_complete(const struct cluster__state *st)
{
	return st->in_group && st->ring_known && !st->pending &&
	    st->members->len > 0;
}

bool
cluster__state_quorate(const struct cluster__state *st)
{
	return cluster__state_complete(st) && st->q_known && st->quorate &&
	    cluster__ring_eq(st->q_ring, st->ring);
}

uint32_t
cluster__state_dc(const struct cluster__state *st)
{
	if (!cluster__state_quorate(st))
		return 0;
	return g_array_index(st->members, struct cluster_member, 0).nodeid;
}

bool
cluster__state_is_dc(const struct cluster__state *st)
{
	const struct cluster_member *low;

	if (!cluster__state_quorate(st))
		return false;
	low = &g_array_index(st->members, struct cluster_member, 0);
	return low->nodeid == st->nodeid && low->pid == st->pid;
}
