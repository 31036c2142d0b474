/*
 * cib_history.c - rebuild each resource's state on each node from its
 * operation history, as Pacemaker's unpacker does.
 *
 * In: the lrm_rsc_op records of every lrm_resource (sorted by call-id)
 * and the configured ops (for on-fail). Out: one struct cib_rsc_state per
 * (resource, node) with history: role, failure flags, recovery needed,
 * live recurring monitors. Pure: "now" is an argument (failure-timeout).
 */
#include <string.h>

#include "cib_private.h"
#include "fo/common.h"

/* The operations the derivation tells apart. */
enum task {
	T_OTHER,
	T_START,
	T_STOP,
	T_MONITOR,
	T_MIGRATE_TO,
	T_MIGRATE_FROM,
	T_NOTIFY,
	T_META_DATA,
};

/* Which of them @op is: one compare of its name, not one per test. */
static enum task
task_of(const struct cib_lrm_op *op)
{
	static const struct {
		const char *name;
		enum task task;
	} tasks[] = {
		{"start", T_START},
		{"stop", T_STOP},
		{"monitor", T_MONITOR},
		{"migrate_to", T_MIGRATE_TO},
		{"migrate_from", T_MIGRATE_FROM},
		{"notify", T_NOTIFY},
		{"meta-data", T_META_DATA},
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(tasks); i++)
		if (op->task[0] == tasks[i].name[0] &&
		    strcmp(op->task, tasks[i].name) == 0)
			return tasks[i].task;
	return T_OTHER;
}

static bool
is_probe(const struct cib_lrm_op *op)
{
	return op->interval_ms == 0 && strcmp(op->task, "monitor") == 0;
}

static int
target_of(const struct cib_lrm_op *op)
{
	if (op->target_rc >= 0)
		return op->target_rc;
	return is_probe(op) ? 7 : 0;
}

/* Pacemaker's remapping of a completed operation's exit code. */
static int
remap_status(const struct cib_lrm_op *op, int target)
{
	int rc = op->rc;

	if (rc == target)
		return CIB_EXEC_DONE;
	switch (rc) {
	case 0:
		if (is_probe(op))
			return CIB_EXEC_DONE; /* found running */
		return CIB_EXEC_ERROR;
	case 7:
		if (is_probe(op))
			return CIB_EXEC_DONE;
		if (strcmp(op->task, "stop") == 0)
			return CIB_EXEC_DONE;
		return CIB_EXEC_ERROR;
	case 3:
		return op->interval_ms > 0 ? CIB_EXEC_NOT_SUPPORTED
					   : CIB_EXEC_ERROR_HARD;
	case 2:
	case 4:
	case 5:
		return CIB_EXEC_ERROR_HARD;
	case 6:
		return CIB_EXEC_ERROR_FATAL;
	default:
		return CIB_EXEC_ERROR;
	}
}

static const struct cib_op_cfg *
find_op_cfg(const struct cib_rsc *rsc, const char *task, uint64_t interval)
{
	guint i;

	for (i = 0; i < rsc->ops->len; i++) {
		const struct cib_op_cfg *c = g_ptr_array_index(rsc->ops, i);

		if (strcmp(c->name, task) == 0 && c->interval_ms == interval)
			return c;
	}
	return NULL;
}

static enum cib_on_fail
op_on_fail(const struct cib *cib, const struct cib_rsc *rsc,
	   const struct cib_lrm_op *op)
{
	const struct cib_op_cfg *c =
		find_op_cfg(rsc, op->task, op->interval_ms);
	const char *v;

	if (c != NULL && c->on_fail_set) {
		if (c->on_fail == CIB_FAIL_FENCE && !cib->stonith_enabled)
			return CIB_FAIL_BLOCK;
		return c->on_fail;
	}
	v = g_hash_table_lookup(cib->op_defaults, "on-fail");
	if (v != NULL) {
		if (strcmp(v, "ignore") == 0)
			return CIB_FAIL_IGNORE;
		if (strcmp(v, "block") == 0)
			return CIB_FAIL_BLOCK;
		if (strcmp(v, "stop") == 0)
			return CIB_FAIL_STOP;
		if (strcmp(v, "standby") == 0)
			return CIB_FAIL_STANDBY;
	}
	if (strcmp(op->task, "stop") == 0)
		return cib->stonith_enabled ? CIB_FAIL_FENCE : CIB_FAIL_BLOCK;
	return CIB_FAIL_RESTART;
}

static bool
same_key(const struct cib_lrm_op *a, const struct cib_lrm_op *b)
{
	return strcmp(a->task, b->task) == 0 &&
	       a->interval_ms == b->interval_ms;
}

/* Apply a completed (or failure-ignored) operation to the role. */
static void
update_state(struct cib_rsc_state *st, const struct cib_lrm_op *op,
	     enum task task, bool stopped_result)
{
	bool clear = false;

	if (task == T_STOP) {
		st->role = CIB_ROLE_STOPPED;
		clear = true;
	} else if (task == T_START || task == T_MIGRATE_FROM) {
		st->role = CIB_ROLE_STARTED;
		clear = true;
	} else if (task == T_MONITOR) {
		if (stopped_result) {
			st->role = CIB_ROLE_STOPPED;
			st->on_fail = CIB_FAIL_IGNORE;
			return;
		}
		if (st->last_failure != NULL && same_key(op, st->last_failure))
			clear = true;
		if (st->role < CIB_ROLE_STARTED)
			st->role = CIB_ROLE_STARTED;
	} else if (task == T_MIGRATE_TO) {
		st->role = CIB_ROLE_STOPPED;
		clear = true;
	}
	if (clear) {
		switch (st->on_fail) {
		case CIB_FAIL_STOP:
		case CIB_FAIL_FENCE:
		case CIB_FAIL_MIGRATE:
		case CIB_FAIL_STANDBY:
			break;
		default:
			st->on_fail = CIB_FAIL_IGNORE;
			break;
		}
	}
}

bool
cib_op_failed(const struct cib_lrm_op *op)
{
	int status = op->status;

	if (status == CIB_EXEC_DONE || status == CIB_EXEC_ERROR)
		status = remap_status(op, target_of(op));
	return status != CIB_EXEC_DONE && status != CIB_EXEC_PENDING &&
	       status != CIB_EXEC_CANCELLED;
}

bool
cib_op_expired(const struct cib_rsc_state *st, const struct cib_lrm_op *op,
	       int64_t now)
{
	return st->failure_timeout > 0 && op->last_rc_change > 0 &&
	       op->last_rc_change + st->failure_timeout <= now &&
	       !(is_probe(op) && (op->rc == 0 || op->rc == 7));
}

/* Pacemaker ignores failure-timeout when an on-fail=block operation
 * failed: the failure must be cleared by hand. */
static bool
block_failure(const struct cib_rsc *rsc, const struct cib_lrm_rsc *l)
{
	guint i, j;

	for (i = 0; i < rsc->ops->len; i++) {
		const struct cib_op_cfg *c = g_ptr_array_index(rsc->ops, i);

		if (!c->on_fail_set || c->on_fail != CIB_FAIL_BLOCK)
			continue;
		for (j = 0; j < l->n_ops; j++) {
			const struct cib_lrm_op *op = l->ops[j];

			if (strcmp(op->task, c->name) == 0 &&
			    op->interval_ms == c->interval_ms &&
			    cib_op_failed(op))
				return true;
		}
	}
	return false;
}

static void
derive_one(struct cib *cib, struct cib_node *node, struct cib_lrm_rsc *l,
	   int64_t now)
{
	struct cib_rsc *rsc = l->rsc;
	struct cib_rsc_state *st = fo_arena_alloc(cib->state_mem, sizeof(*st));
	int start_idx = -1, stop_idx = -1, implied = -1;
	/* per record: its task, and whether its failure expired */
	struct op_info {
		enum task task;
		bool skipped;
	} few[16], *info;
	guint i;

	st->node = node;
	st->lrm = l;
	st->role = CIB_ROLE_UNKNOWN;
	st->failure_timeout = block_failure(rsc, l) ? 0 : rsc->failure_timeout;
	g_ptr_array_add(cib->states[rsc->idx], st);
	/* histories are short: no allocation for most */
	if (l->n_ops <= G_N_ELEMENTS(few))
		info = few;
	else
		info = g_new(struct op_info, l->n_ops);
	for (i = 0; i < l->n_ops; i++) {
		info[i].task = task_of(l->ops[i]);
		info[i].skipped = false;
	}

	for (i = 0; i < l->n_ops; i++) {
		const struct cib_lrm_op *op = l->ops[i];
		int target = target_of(op), status = op->status;
		enum task task = info[i].task;
		enum cib_on_fail of;
		bool failed;

		if (status == CIB_EXEC_CANCELLED)
			continue;
		if (task == T_NOTIFY || task == T_META_DATA)
			continue;
		if (status == CIB_EXEC_DONE || status == CIB_EXEC_ERROR)
			status = remap_status(op, target);
		failed = status != CIB_EXEC_DONE && status != CIB_EXEC_PENDING;
		if (st->failure_timeout > 0 && op->last_rc_change > 0 &&
		    op->last_rc_change + st->failure_timeout <= now) {
			st->any_expired = true;
			if (failed && cib_op_expired(st, op, now)) {
				/* an expired failure is ignored; a recurring
				 * monitor is scheduled again */
				info[i].skipped = true;
				continue;
			}
		}
		if (!failed && (task == T_START || task == T_STOP))
			st->pending = false;
		if (status == CIB_EXEC_PENDING) {
			if (task == T_START) {
				st->pending = true;
				if (st->role < CIB_ROLE_STARTED)
					st->role = CIB_ROLE_STARTED;
			}
			continue;
		}
		if (!failed) {
			update_state(st, op, task, op->rc == 7);
			continue;
		}
		of = op_on_fail(cib, rsc, op);
		if (of == CIB_FAIL_IGNORE) {
			st->failure_ignored = true;
			st->last_failure = op;
			update_state(st, op, task, false);
			continue;
		}
		if (of > st->on_fail)
			st->on_fail = of;
		st->last_failure = op;
		if (task == T_STOP)
			st->ban = true;
		if (is_probe(op) && op->rc == 5)
			st->role = CIB_ROLE_STOPPED;
		else if (st->role < CIB_ROLE_STARTED)
			st->role = CIB_ROLE_STARTED;
		if (of == CIB_FAIL_STOP) {
			st->stop_role = true;
			st->ban_all = true;
		}
		if (status == CIB_EXEC_ERROR_HARD)
			st->ban = true;
		else if (status == CIB_EXEC_ERROR_FATAL)
			st->ban_all = true;
	}

	if (node->unclean)
		st->on_fail = CIB_FAIL_IGNORE;
	switch (st->on_fail) {
	case CIB_FAIL_BLOCK:
		st->block = true;
		break;
	case CIB_FAIL_MIGRATE:
		st->ban = true;
		break;
	case CIB_FAIL_STOP:
		st->stop_role = true;
		break;
	default:
		break;
	}
	if (st->role > CIB_ROLE_STOPPED) {
		switch (st->on_fail) {
		case CIB_FAIL_IGNORE:
			break;
		case CIB_FAIL_DEMOTE:
		case CIB_FAIL_BLOCK:
			st->failed = true;
			break;
		default:
			st->failed = true;
			st->need_stop = true;
			break;
		}
	}

	/* Live recurring monitors (Pacemaker's calculate_active_ops). */
	for (i = 0; i < l->n_ops; i++) {
		const struct cib_lrm_op *op = l->ops[i];

		if (info[i].task == T_STOP && op->status == CIB_EXEC_DONE)
			stop_idx = (int)i;
		else if (info[i].task == T_START ||
			 info[i].task == T_MIGRATE_FROM)
			start_idx = (int)i;
		else if (implied <= stop_idx && info[i].task == T_MONITOR &&
			 (op->rc == 0 || op->rc == 8))
			implied = (int)i;
	}
	if (start_idx == -1)
		start_idx = implied;
	/* most histories have none of these: made on first use */
	for (i = 0; node->online && i < l->n_ops; i++) {
		const struct cib_lrm_op *op = l->ops[i];

		if (start_idx < stop_idx && (int)i <= stop_idx)
			continue;
		if ((int)i < start_idx)
			continue;
		if (op->interval_ms == 0 || op->status == CIB_EXEC_PENDING)
			continue;
		if (info[i].skipped) {
			/* an expired failure of a live monitor: run again */
			if (st->reschedule == NULL)
				st->reschedule = g_array_new(FALSE, FALSE,
							     sizeof(uint64_t));
			g_array_append_val(st->reschedule, op->interval_ms);
			continue;
		}
		if (info[i].task != T_MONITOR)
			continue;
		if (st->active_ops == NULL) {
			st->active_ops =
				g_array_new(FALSE, FALSE, sizeof(uint64_t));
			st->active_recs = g_ptr_array_new();
		}
		g_array_append_val(st->active_ops, op->interval_ms);
		g_ptr_array_add(st->active_recs, l->ops[i]);
	}
	/* The start (or the latest probe seeing it run) holds the digest. */
	for (i = l->n_ops; i > 0; i--) {
		const struct cib_lrm_op *op = l->ops[i - 1];

		if (info[i - 1].task == T_START ||
		    (info[i - 1].task == T_MONITOR && op->interval_ms == 0 &&
		     op->rc == 0)) {
			st->last_start = op;
			break;
		}
	}
	if (info != few)
		g_free(info);
}

/* The node where an instance (or a member of it) is active so far. */
static struct cib_node *
instance_location(const struct cib *cib, const struct cib_rsc *inst)
{
	GPtrArray *st = cib->states[inst->idx];
	guint i;

	for (i = 0; st != NULL && i < st->len; i++) {
		struct cib_rsc_state *s = g_ptr_array_index(st, i);

		if (s->role > CIB_ROLE_STOPPED)
			return s->node;
	}
	for (i = 0; i < inst->children->len; i++) {
		struct cib_node *n = instance_location(
			cib, g_ptr_array_index(inst->children, i));

		if (n != NULL)
			return n;
	}
	return NULL;
}

static struct cib_rsc *
member_for(struct cib_rsc *inst, const struct cib_rsc *tmpl)
{
	guint i;

	if (inst->tmpl == tmpl)
		return inst;
	for (i = 0; i < inst->children->len; i++) {
		struct cib_rsc *c = g_ptr_array_index(inst->children, i);

		if (c->tmpl == tmpl)
			return c;
	}
	return NULL;
}

static bool
active_on(const struct cib *cib, const struct cib_rsc *r,
	  const struct cib_node *node)
{
	GPtrArray *st = cib->states[r->idx];
	guint i;

	for (i = 0; st != NULL && i < st->len; i++) {
		struct cib_rsc_state *s = g_ptr_array_index(st, i);

		if (s->node == node && s->role > CIB_ROLE_STOPPED)
			return true;
	}
	return false;
}

static void
mark_orphan(struct cib_rsc *r)
{
	guint i;

	r->orphan = true;
	for (i = 0; i < r->children->len; i++)
		mark_orphan(g_ptr_array_index(r->children, i));
}

/*
 * Pacemaker's find_anonymous_clone(): the instance already active on
 * this node, else the first instance active nowhere yet. A second
 * active history on the same node becomes an orphan instance (numbered
 * after the others), to be stopped.
 */
static struct cib_rsc *
map_instance(struct cib *cib, struct cib_node *node,
	     const struct cib_lrm_rsc *l)
{
	struct cib_rsc *clone = l->tmpl->clone_of, *inactive = NULL;
	struct cib_rsc *top =
		l->tmpl->parent == clone ? l->tmpl : l->tmpl->parent;
	bool orphan = false;
	guint i, old;

	for (i = 0; i < clone->children->len; i++) {
		struct cib_rsc *inst = g_ptr_array_index(clone->children, i);
		struct cib_rsc *m = member_for(inst, l->tmpl);
		struct cib_node *loc;

		if (m == NULL)
			continue;
		loc = instance_location(cib, inst);
		if (loc == node) {
			if (!active_on(cib, m, node))
				return m;
			orphan = true;
			break;
		}
		if (loc == NULL && inactive == NULL && !inst->orphan)
			inactive = m;
	}
	if (!orphan)
		return inactive;
	/* an orphan instance free from an earlier pass, or a new one */
	for (i = 0; i < clone->children->len; i++) {
		struct cib_rsc *inst = g_ptr_array_index(clone->children, i);
		struct cib_node *loc;

		if (!inst->orphan)
			continue;
		loc = instance_location(cib, inst);
		if (loc == NULL ||
		    (loc == node &&
		     !active_on(cib, member_for(inst, l->tmpl), node)))
			return member_for(inst, l->tmpl);
	}
	old = cib->all->len;
	mark_orphan(
		cib__copy_instance(cib, top, clone, (int)clone->children->len));
	cib__states_grow(cib, old);
	return member_for(
		g_ptr_array_index(clone->children, clone->children->len - 1),
		l->tmpl);
}

static gint
cmp_status_pos(gconstpointer a, gconstpointer b)
{
	const struct cib_node *x = *(struct cib_node *const *)a;
	const struct cib_node *y = *(struct cib_node *const *)b;

	return x->status_pos - y->status_pos;
}

void
cib_history_derive(struct cib *cib, int64_t now)
{
	GPtrArray *order = g_ptr_array_new();
	struct cib_rsc_state *st;
	guint i, j;

	cib__states_reset(cib);
	for (i = 0; i < cib->all->len; i++) {
		struct cib_rsc *r = g_ptr_array_index(cib->all, i);

		g_free(r->clone_name);
		r->clone_name = NULL;
	}
	/* histories in status-section order, as Pacemaker reads them */
	for (i = 0; i < cib->nodes->len; i++)
		g_ptr_array_add(order, g_ptr_array_index(cib->nodes, i));
	g_ptr_array_sort(order, cmp_status_pos);
	for (i = 0; i < order->len; i++) {
		struct cib_node *node = g_ptr_array_index(order, i);

		/* Pacemaker reads the history of offline nodes only when it
		 * can fence them */
		if (!node->online && !cib->stonith_enabled)
			continue;
		for (j = 0; j < node->lrm->len; j++) {
			struct cib_lrm_rsc *l = g_ptr_array_index(node->lrm, j);

			if (l->tmpl != NULL)
				l->rsc = map_instance(cib, node, l);
			if (l->rsc == NULL || l->rsc->kind != CIB_PRIMITIVE)
				continue;
			derive_one(cib, node, l, now);
			/* an active instance's actions are named after the
			 * history it was found in (the state just derived is
			 * the last of the instance's) */
			st = g_ptr_array_index(cib->states[l->rsc->idx],
					       cib->states[l->rsc->idx]->len -
						       1);
			if (l->tmpl != NULL && strcmp(l->rsc->id, l->id) != 0 &&
			    st->role > CIB_ROLE_STOPPED) {
				g_free(l->rsc->clone_name);
				l->rsc->clone_name = g_strdup(l->id);
			}
		}
	}
	g_ptr_array_free(order, TRUE);
}
