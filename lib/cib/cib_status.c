/*
 * cib_status.c - the status section: node_state records, operation
 * histories and node attributes.
 *
 * cib__unpack_node_state() is called by the streaming reader for one
 * expanded <node_state> at a time: it decides whether the node is online
 * (as Pacemaker does with fencing disabled or enabled), collects transient
 * attributes (fail counts, standby, shutdown) and stores each
 * lrm_resource's lrm_rsc_op records sorted by call-id. Resolution of
 * history to configured resources (and orphans) happens once the whole
 * document is read, in cib__resolve_status().
 */
#include <stdlib.h>
#include <string.h>

#include "cib_private.h"
#include "fo/common.h"

static int
int_of(const char *v, int def)
{
	char *end;
	long x;

	if (v == NULL)
		return def;
	x = strtol(v, &end, 10);
	if (end == v)
		return def;
	return (int)x;
}

static int
cmp_call_id(gconstpointer a, gconstpointer b)
{
	const struct cib_lrm_op *x = *(struct cib_lrm_op *const *)a;
	const struct cib_lrm_op *y = *(struct cib_lrm_op *const *)b;

	/* Results added by a simulation come after everything recorded;
	 * pending operations (call-id -1) after the other records. */
	if (x->synthetic != y->synthetic) {
		/* a pending record of the same (simulated, -1) transition
		 * stays the latest, as Pacemaker's sort has it */
		const struct cib_lrm_op *real = x->synthetic ? y : x;
		int sign = x->synthetic ? 1 : -1;

		if (real->call_id < 0 && real->transition_id == -1)
			return -sign;
		return sign;
	}
	if (x->call_id < 0 && y->call_id >= 0)
		return 1;
	if (y->call_id < 0 && x->call_id >= 0)
		return -1;
	if (x->call_id != y->call_id)
		return x->call_id < y->call_id ? -1 : 1;
	/* the same call (an op and its last_failure record): the one
	 * whose result changed later is the newer */
	if (x->call_id >= 0 && x->last_rc_change != y->last_rc_change)
		return x->last_rc_change < y->last_rc_change ? -1 : 1;
	return 0;
}

void cib__sort_ops(GPtrArray *ops);

void
cib__sort_ops(GPtrArray *ops)
{
	/* g_ptr_array_sort is not guaranteed stable: insertion sort keeps
	 * document order among equal call-ids (histories are short). */
	guint i, j;

	for (i = 1; i < ops->len; i++) {
		gpointer v = ops->pdata[i];

		for (j = i; j > 0 && cmp_call_id(&ops->pdata[j - 1], &v) > 0;
		     j--)
			ops->pdata[j] = ops->pdata[j - 1];
		ops->pdata[j] = v;
	}
}

static int
unpack_lrm_rsc(struct cib *cib, struct cib_node *node, xmlNodePtr lr,
	       GPtrArray *diags)
{
	struct cib_lrm_rsc *l;
	const char *id = cib__attr(lr, "id");
	xmlNodePtr o;
	int errors = 0;
	guint i;

	if (id == NULL) {
		cib__diag(diags, true, cib->file, lr,
			  "lrm_resource without "
			  "an id");
		return 1;
	}
	l = cib__lrm_rsc_new();
	l->id = g_strdup(id);
	l->cls = g_strdup(cib__attr(lr, "class"));
	l->provider = g_strdup(cib__attr(lr, "provider"));
	l->type = g_strdup(cib__attr(lr, "type"));
	l->line = (int)xmlGetLineNo(lr);
	for (o = lr->children; o != NULL; o = o->next) {
		struct cib_lrm_op *op;
		xmlAttrPtr a;
		int64_t last_run = 0;
		bool have_lrc = false;

		if (!cib__is(o, "lrm_rsc_op"))
			continue;
		op = g_new0(struct cib_lrm_op, 1);
		op->line = (int)xmlGetLineNo(o);
		op->call_id = -1;
		op->target_rc = -1;
		op->transition_id = -2;
		op->exec_ms = -1;
		/* one pass over the attributes: status sections are big */
		for (a = o->properties; a != NULL; a = a->next) {
			const char *n = (const char *)a->name, *v;

			if (a->children == NULL)
				continue;
			v = (const char *)a->children->content;
			if (strcmp(n, "operation") == 0) {
				op->task = g_strdup(v);
			} else if (strcmp(n, "id") == 0) {
				op->id = g_strdup(v);
			} else if (strcmp(n, "call-id") == 0) {
				op->call_id = int_of(v, -1);
			} else if (strcmp(n, "rc-code") == 0) {
				op->rc = int_of(v, 0);
			} else if (strcmp(n, "op-status") == 0) {
				op->status = int_of(v, 0);
			} else if (strcmp(n, "interval") == 0) {
				op->interval_ms = strtoull(v, NULL, 10);
			} else if (strcmp(n, "last-rc-change") == 0) {
				op->last_rc_change = strtoll(v, NULL, 10);
				have_lrc = true;
			} else if (strcmp(n, "last-run") == 0) {
				last_run = strtoll(v, NULL, 10);
			} else if (strcmp(n, "transition-key") == 0) {
				int x, b, t;

				if (sscanf(v, "%d:%d:%d:", &x, &b, &t) == 3) {
					op->target_rc = t;
					op->transition_id = b;
				}
			} else if (strcmp(n, "op-digest") == 0) {
				op->op_digest = g_strdup(v);
			} else if (strcmp(n, "op-restart-digest") == 0) {
				op->restart_digest = g_strdup(v);
			} else if (strcmp(n, "op-force-restart") == 0) {
				op->force_restart = g_strdup(v);
			} else if (strcmp(n, "exit-reason") == 0) {
				if (*v != '\0')
					op->exit_reason = g_strdup(v);
			} else if (strcmp(n, "exec-time") == 0) {
				op->exec_ms = strtoll(v, NULL, 10);
			}
		}
		if (!have_lrc)
			op->last_rc_change = last_run;
		if (op->task == NULL) {
			cib__diag(diags, true, cib->file, o,
				  "lrm_rsc_op "
				  "without an operation");
			errors++;
			g_free(op->id);
			g_free(op->op_digest);
			g_free(op->restart_digest);
			g_free(op->force_restart);
			g_free(op->exit_reason);
			g_free(op);
			continue;
		}
		if (op->call_id > cib->max_call_id)
			cib->max_call_id = op->call_id;
		g_ptr_array_add(l->ops, op);
	}
	/* Pacemaker collects the records newest-in-document first and then
	 * sorts stably by call-id, so ties end up in reverse order */
	for (o = NULL, i = 0; i < l->ops->len / 2; i++) {
		gpointer t = l->ops->pdata[i];

		l->ops->pdata[i] = l->ops->pdata[l->ops->len - 1 - i];
		l->ops->pdata[l->ops->len - 1 - i] = t;
	}
	cib__sort_ops(l->ops);
	g_ptr_array_add(node->lrm, l);
	return errors;
}

/* Online or not, as Pacemaker decides it. */
static void
decide_online(struct cib *cib, struct cib_node *node)
{
	bool up = node->in_ccm && node->crmd_online;

	node->online = false;
	node->unclean = false;
	if (!cib->stonith_enabled) {
		if (!node->in_ccm)
			return;
		if (node->crmd_online) {
			node->online = node->join_member;
			return;
		}
		if (node->expected_member)
			node->unclean = true;
		return;
	}
	if (up && node->join_member) {
		node->online = true;
		return;
	}
	if (!node->in_ccm && !node->crmd_online) {
		/* cleanly down unless it was expected up */
		if (node->expected_member)
			node->unclean = true;
		return;
	}
	if (node->in_ccm && !node->crmd_online) {
		if (node->expected_member)
			node->unclean = true;
		return;
	}
	if (!node->in_ccm && node->crmd_online)
		node->unclean = true;
}

int
cib__unpack_node_state(struct cib *cib, xmlNodePtr ns, GPtrArray *diags)
{
	const char *id = cib__attr(ns, "id"), *v;
	struct cib_node *node = NULL;
	xmlNodePtr c, d, e;
	int errors = 0;

	if (id != NULL)
		node = g_hash_table_lookup(cib->node_by_id, id);
	if (node == NULL && (v = cib__attr(ns, "uname")) != NULL)
		node = cib_find_node(cib, v);
	if (node == NULL)
		return 0; /* Pacemaker ignores state of unknown nodes */
	if (node->have_state) {
		cib__diag(diags, true, cib->file, ns,
			  "second node_state for "
			  "node '%s'",
			  node->uname);
		return 1;
	}
	node->have_state = true;
	node->status_pos = ++cib->max_status_pos;
	v = cib__attr(ns, "in_ccm");
	node->in_ccm = cib__true(v);
	v = cib__attr(ns, "crmd");
	node->crmd_online = v != NULL && strcmp(v, "online") == 0;
	v = cib__attr(ns, "join");
	node->join_member = v != NULL && strcmp(v, "member") == 0;
	v = cib__attr(ns, "expected");
	node->expected_member = v != NULL && strcmp(v, "member") == 0;
	for (c = ns->children; c != NULL; c = c->next) {
		if (cib__is(c, "transient_attributes")) {
			for (d = c->children; d != NULL; d = d->next) {
				if (!cib__is(d, "instance_attributes"))
					continue;
				for (e = d->children; e != NULL; e = e->next) {
					const char *name, *val;

					if (!cib__is(e, "nvpair"))
						continue;
					name = cib__attr(e, "name");
					val = cib__attr(e, "value");
					if (name != NULL && val != NULL)
						g_hash_table_replace(
							node->attrs,
							g_strdup(name),
							g_strdup(val));
				}
			}
		} else if (cib__is(c, "lrm")) {
			for (d = c->children; d != NULL; d = d->next) {
				if (!cib__is(d, "lrm_resources"))
					continue;
				for (e = d->children; e != NULL; e = e->next)
					if (cib__is(e, "lrm_resource"))
						errors += unpack_lrm_rsc(
							cib, node, e, diags);
			}
		}
	}
	return errors;
}

static struct cib_rsc *new_orphan(struct cib *cib, const struct cib_lrm_rsc *l,
				  bool indexed);

static struct cib_rsc *
orphan_for(struct cib *cib, struct cib_lrm_rsc *l)
{
	struct cib_rsc *rsc = cib_find_rsc(cib, l->id);
	const char *colon = strrchr(l->id, ':');

	/* anonymous clone histories ("rsc" or "rsc:N") are matched to an
	 * instance when the history is read (cib_history.c) */
	if (rsc == NULL && colon != NULL) {
		char *base = g_strndup(l->id, (gsize)(colon - l->id));

		rsc = cib_find_rsc(cib, base);
		g_free(base);
		if (rsc != NULL && rsc->clone_of == NULL && rsc->tmpl == NULL)
			rsc = NULL;
	}
	if (rsc != NULL && rsc->tmpl != NULL)
		rsc = rsc->tmpl;
	if (rsc != NULL && rsc->clone_of != NULL) {
		l->tmpl = rsc;
		return NULL;
	}
	if (rsc != NULL && rsc->kind == CIB_PRIMITIVE)
		return rsc;
	/* a history whose id is now a group or clone is an orphan too;
	 * it shares its id with the configured resource, so it is kept
	 * out of the id index */
	return new_orphan(cib, l, rsc == NULL);
}

static struct cib_rsc *
new_orphan(struct cib *cib, const struct cib_lrm_rsc *l, bool indexed)
{
	struct cib_rsc *rsc = cib__rsc_new();

	rsc->id = g_strdup(l->id);
	rsc->kind = CIB_PRIMITIVE;
	rsc->cls = g_strdup(l->cls ? l->cls : "ocf");
	rsc->provider = g_strdup(l->provider);
	rsc->type = g_strdup(l->type ? l->type : "unknown");
	rsc->orphan = true;
	rsc->idx = (int)cib->all->len;
	rsc->line = l->line;
	rsc->managed = !cib->maintenance_mode;
	g_ptr_array_add(cib->all, rsc);
	if (indexed)
		g_hash_table_insert(cib->rsc_by_id, rsc->id, rsc);
	return rsc;
}

int
cib_node_cmp(const char *a, const char *b)
{
	while (*a != '\0' && *b != '\0') {
		if (g_ascii_isdigit(*a) && g_ascii_isdigit(*b)) {
			const char *ea = a, *eb = b;
			size_t la, lb;
			int c;

			while (*a == '0' && g_ascii_isdigit(a[1]))
				a++;
			while (*b == '0' && g_ascii_isdigit(b[1]))
				b++;
			for (ea = a; g_ascii_isdigit(*ea); ea++)
				;
			for (eb = b; g_ascii_isdigit(*eb); eb++)
				;
			la = (size_t)(ea - a);
			lb = (size_t)(eb - b);
			if (la != lb)
				return la < lb ? -1 : 1;
			c = strncmp(a, b, la);
			if (c != 0)
				return c;
			a = ea;
			b = eb;
			continue;
		}
		if (g_ascii_tolower(*a) != g_ascii_tolower(*b))
			return g_ascii_tolower(*a) < g_ascii_tolower(*b) ? -1
									 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static gint
cmp_node_ptr(gconstpointer a, gconstpointer b)
{
	const struct cib_node *x = *(struct cib_node *const *)a;
	const struct cib_node *y = *(struct cib_node *const *)b;

	return cib_node_cmp(x->uname, y->uname);
}

void
cib_node_inject(struct cib *cib, struct cib_node *node, enum cib_node_event ev)
{
	node->have_state = true;
	node->in_ccm = ev == CIB_NODE_UP;
	node->crmd_online = ev == CIB_NODE_UP;
	node->join_member = ev == CIB_NODE_UP;
	node->expected_member = ev != CIB_NODE_DOWN;
	decide_online(cib, node);
	if (ev == CIB_NODE_FAIL && !cib->stonith_enabled)
		node->unclean = false;
}

void cib__resolve_status(struct cib *cib);

void
cib__resolve_status(struct cib *cib)
{
	guint i, j;

	/* Pacemaker keeps resources sorted by priority (a stable sort:
	 * document order among equals) */
	for (i = 1; i < cib->resources->len; i++) {
		gpointer v = cib->resources->pdata[i];
		int p = ((struct cib_rsc *)v)->priority;

		for (j = i;
		     j > 0 && ((struct cib_rsc *)cib->resources->pdata[j - 1])
					      ->priority < p;
		     j--)
			cib->resources->pdata[j] = cib->resources->pdata[j - 1];
		cib->resources->pdata[j] = v;
	}
	/* Pacemaker keeps nodes sorted by name; so does the model */
	g_ptr_array_sort(cib->nodes, cmp_node_ptr);
	for (i = 0; i < cib->nodes->len; i++)
		((struct cib_node *)g_ptr_array_index(cib->nodes, i))->idx =
			(int)i;
	for (i = 0; i < cib->nodes->len; i++) {
		struct cib_node *node = g_ptr_array_index(cib->nodes, i);
		const char *v;

		if (!node->have_state) {
			/* never seen: with fencing it must be fenced first */
			node->online = false;
			node->unclean = false;
		} else {
			decide_online(cib, node);
		}
		g_hash_table_replace(
			node->attrs, g_strdup("#is_dc"),
			g_strdup(cib->dc_uuid != NULL && strcmp(cib->dc_uuid,
								node->id) == 0
					 ? "true"
					 : "false"));
		g_hash_table_replace(node->attrs, g_strdup("#kind"),
				     g_strdup("cluster"));
		/* Pacemaker reads node attributes with the node's state */
		v = g_hash_table_lookup(node->attrs, "standby");
		node->standby = node->have_state && cib__true(v);
		v = g_hash_table_lookup(node->attrs, "maintenance");
		node->maintenance = cib__true(v);
		v = g_hash_table_lookup(node->attrs, "shutdown");
		node->shutdown =
			v != NULL && strcmp(v, "0") != 0 && node->online;
		for (j = 0; j < node->lrm->len; j++) {
			struct cib_lrm_rsc *l = g_ptr_array_index(node->lrm, j);

			l->rsc = orphan_for(cib, l);
		}
	}
}

/* "ID", "ID#op_interval", and for clone instances "ID:N[#...]" */
static bool
failcount_name_matches(const char *rest, const char *id, size_t idlen,
		       bool instance)
{
	if (strncmp(rest, id, idlen) != 0)
		return false;
	rest += idlen;
	if (instance && *rest == ':' && g_ascii_isdigit(rest[1])) {
		rest++;
		while (g_ascii_isdigit(*rest))
			rest++;
	}
	return *rest == '\0' || *rest == '#';
}

int
cib_fail_count(const struct cib_node *node, const struct cib_rsc *rsc,
	       int64_t *last_failure)
{
	GHashTableIter it;
	gpointer k, v;
	/* anonymous clone instances count under the configured child's id */
	const char *id = rsc->tmpl != NULL ? rsc->tmpl->id : rsc->id;
	size_t idlen = strlen(id);
	int total = 0;
	int64_t last = 0;

	g_hash_table_iter_init(&it, node->attrs);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const char *name = k, *rest;
		int n;

		if (strncmp(name, "fail-count-", 11) == 0) {
			rest = name + 11;
			if (!failcount_name_matches(rest, id, idlen,
						    rsc->tmpl != NULL))
				continue;
			if (cib_parse_score(v, &n) == 0)
				total = cib_add_scores(total, n);
		} else if (strncmp(name, "last-failure-", 13) == 0) {
			long long t;

			rest = name + 13;
			if (!failcount_name_matches(rest, id, idlen,
						    rsc->tmpl != NULL))
				continue;
			t = strtoll(v, NULL, 10);
			if (t > last)
				last = t;
		}
	}
	if (last_failure != NULL)
		*last_failure = last;
	return total;
}

bool
cib_lrm_delete(struct cib_node *node, const struct cib_rsc *rsc)
{
	guint i;

	for (i = 0; i < node->lrm->len; i++) {
		struct cib_lrm_rsc *l = g_ptr_array_index(node->lrm, i);

		if (l->rsc == rsc) {
			g_ptr_array_remove_index(node->lrm, i);
			return true;
		}
	}
	return false;
}

static struct cib_lrm_op *
update_record(struct cib *cib, struct cib_lrm_rsc *l, struct cib_rsc *rsc,
	      const char *id_or_last, const char *task, uint64_t interval_ms,
	      int rc, int status)
{
	struct cib_lrm_op *op = NULL;
	char *id = strcmp(id_or_last, "last") == 0
			   ? g_strdup_printf("%s_last_0", rsc->id)
			   : g_strdup(id_or_last);
	guint i;

	for (i = 0; i < l->ops->len; i++) {
		struct cib_lrm_op *x = g_ptr_array_index(l->ops, i);

		if (x->id != NULL && strcmp(x->id, id) == 0) {
			op = x;
			break;
		}
	}
	if (op == NULL) {
		op = g_new0(struct cib_lrm_op, 1);
		op->id = id;
		g_ptr_array_add(l->ops, op);
	} else {
		g_free(id);
		g_free(op->task);
		g_free(op->exit_reason);
		op->exit_reason = NULL;
	}
	op->task = g_strdup(task);
	op->exec_ms = -1;
	op->interval_ms = interval_ms;
	op->call_id = ++cib->max_call_id;
	op->rc = rc;
	op->status = status;
	op->target_rc = rc;
	op->transition_id = -1;
	op->synthetic = true;
	return op;
}

struct cib_lrm_op *
cib_lrm_append(struct cib *cib, struct cib_node *node, struct cib_rsc *rsc,
	       const char *task, uint64_t interval_ms, int rc, int status)
{
	struct cib_lrm_rsc *l = NULL;
	struct cib_lrm_op *op;
	guint i;

	/* the history the instance is known by (its clone name) first, as
	 * Pacemaker records results under the name in the graph */
	for (i = 0; i < node->lrm->len; i++) {
		struct cib_lrm_rsc *x = g_ptr_array_index(node->lrm, i);

		if (x->rsc != rsc)
			continue;
		if (l == NULL || (rsc->clone_name != NULL &&
				  strcmp(x->id, rsc->clone_name) == 0))
			l = x;
	}
	if (l == NULL) {
		l = cib__lrm_rsc_new();
		l->id = g_strdup(rsc->id);
		l->cls = g_strdup(rsc->cls);
		l->provider = g_strdup(rsc->provider);
		l->type = g_strdup(rsc->type);
		l->rsc = rsc;
		g_ptr_array_add(node->lrm, l);
	}
	/* Pacemaker keeps one record per id: "RSC_last_0" for the latest
	 * non-recurring result, "RSC_last_failure_0" for the latest
	 * failure, "RSC_TASK_INTERVAL" for a recurring operation. */
	{
		bool probe = interval_ms == 0 && strcmp(task, "monitor") == 0;
		bool failed = status != CIB_EXEC_DONE ||
			      (rc != 0 && !(probe && rc == 7));
		char *id;

		if (failed && interval_ms == 0)
			update_record(cib, l, rsc, "last", task, interval_ms,
				      rc, status);
		if (failed)
			id = g_strdup_printf("%s_last_failure_0", rsc->id);
		else if (interval_ms > 0)
			id = g_strdup_printf("%s_%s_%llu", rsc->id, task,
					     (unsigned long long)interval_ms);
		else
			id = g_strdup_printf("%s_last_0", rsc->id);
		op = update_record(cib, l, rsc, id, task, interval_ms, rc,
				   status);
		g_free(id);
	}
	cib__sort_ops(l->ops);
	return op;
}
