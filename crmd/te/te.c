/*
 * te.c - the transition engine on the DC: policy engine in, actions out.
 *
 * In: triggers (configuration, membership, quorum, results, timers) and
 * the replicated CIB once it is settled. Out: TE_T_ACTION messages, one
 * per action, to the node that runs it; CIB_T_NODE_DOWN for lost nodes
 * the safety rule releases; TE_T_IDLE answers. Invariants: a graph's
 * action fires only when its inputs are confirmed; nothing is sent to a
 * node outside the view (such actions wait, and the graph with them);
 * after an abort, a new graph is computed only when nothing is in flight;
 * a lost node's resources are offered to the policy engine for recovery
 * only when safety_check() says SAFE.
 */
#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>

#include "fo/cib.h"
#include "fo/common.h"
#include "fo/lrm.h"
#include "fo/pe.h"
#include "fo/safety.h"
#include "fo/te.h"
#include "fo/xmlutil.h"

#define prop fo_xml_prop
#define RESULT_SLACK_MS 30000 /* beyond an action's own timeout */

struct waiter {
	uint32_t node;
	char *token;
};

/* A bound on waiting for one action's result. */
struct deadline {
	struct te *te;
	int transition;
	int action;
	guint src;
};

struct te {
	struct cluster *cl;
	struct cib_repl *cib;
	struct safety *safety;
	struct cib *model;     /* the input of the current graph */
	struct pe_result *res; /* its graph */
	int transition;
	bool dirty;	     /* something changed since the last run */
	bool dc;	     /* acting as DC */
	bool announced_done; /* "transition complete" logged */
	guint run_src;
	guint recheck_src;
	guint safety_src;
	GArray *waiters;	/* struct waiter */
	GHashTable *max_call;	/* node id -> highest call-id seen */
	GHashTable *held_nodes; /* node id -> verdict, for the log */
	GPtrArray *ready;
	GPtrArray *deadlines; /* struct deadline *, of the current graph */
	char myid[16];
};

static gboolean te_run(gpointer data);

static void
schedule(struct te *te)
{
	if (te->run_src == 0)
		te->run_src = g_idle_add(te_run, te);
}

struct te *
te_new(struct cluster *cl, struct cib_repl *cib)
{
	struct te *te = g_new0(struct te, 1);

	te->cl = cl;
	te->cib = cib;
	te->safety = safety_new();
	te->waiters = g_array_new(FALSE, TRUE, sizeof(struct waiter));
	te->max_call = g_hash_table_new(NULL, NULL);
	te->held_nodes = g_hash_table_new(NULL, NULL);
	te->ready = g_ptr_array_new();
	te->deadlines = g_ptr_array_new();
	te->dirty = true;
	return te;
}

static void
source_clear(guint *src)
{
	if (*src) {
		g_source_remove(*src);
		*src = 0;
	}
}

static void
deadlines_clear(struct te *te)
{
	for (guint i = 0; i < te->deadlines->len; i++) {
		struct deadline *dl = g_ptr_array_index(te->deadlines, i);

		g_source_remove(dl->src);
		g_free(dl);
	}
	g_ptr_array_set_size(te->deadlines, 0);
}

static void
drop_graph(struct te *te)
{
	deadlines_clear(te);
	pe_result_free(te->res);
	te->res = NULL;
	cib_free(te->model);
	te->model = NULL;
}

void
te_free(struct te *te)
{
	if (te == NULL)
		return;
	source_clear(&te->run_src);
	source_clear(&te->recheck_src);
	source_clear(&te->safety_src);
	drop_graph(te);
	safety_free(te->safety);
	for (guint i = 0; i < te->waiters->len; i++)
		g_free(g_array_index(te->waiters, struct waiter, i).token);
	g_array_unref(te->waiters);
	g_hash_table_destroy(te->max_call);
	g_hash_table_destroy(te->held_nodes);
	g_ptr_array_free(te->ready, TRUE);
	g_ptr_array_free(te->deadlines, TRUE);
	g_free(te);
}

static struct graph *
graph_of(const struct te *te)
{
	return te->res ? te->res->graph : NULL;
}

void
te_trigger(struct te *te, bool abort, const char *why)
{
	struct graph *g = graph_of(te);

	te->dirty = true;
	if (abort && g && !g->aborted && !graph_complete(g)) {
		log_info("te: transition %d aborted: %s", te->transition, why);
		graph_abort(g);
	} else {
		log_debug("te: new computation needed: %s", why);
	}
	schedule(te);
}

static bool
is_member(const struct te *te, uint32_t nodeid)
{
	struct cluster_view v;

	cluster_view(te->cl, &v);
	for (size_t i = 0; i < v.n_members; i++)
		if (v.members[i].nodeid == nodeid)
			return true;
	return false;
}

static uint32_t
node_num(const char *id)
{
	return id ? (uint32_t)g_ascii_strtoull(id, NULL, 10) : 0;
}

void
te_membership(struct te *te)
{
	struct graph *g = graph_of(te);
	struct cluster_view v;

	/* a member is back: its next loss starts a new grace period, on
	 * whichever node is DC then (every node tracks it) */
	cluster_view(te->cl, &v);
	for (size_t i = 0; i < v.n_members; i++) {
		safety_back(te->safety, v.members[i].nodeid);
		g_hash_table_remove(te->held_nodes,
				    GUINT_TO_POINTER(v.members[i].nodeid));
	}

	/* someone else is DC now: a later term counts every loss afresh */
	if (v.n_members > 0 &&
	    v.members[0].nodeid != cluster_local_nodeid(te->cl)) {
		safety_free(te->safety);
		te->safety = safety_new();
		g_hash_table_remove_all(te->held_nodes);
	}
	/*
	 * No action in flight can be trusted to report into this view: its
	 * message or its result may have been sent in the old view and
	 * dropped as stale. They count as failed; the copies learn what
	 * really ran from the status every member announces after the sync
	 * (pending operations included), and the DC computes only then.
	 */
	for (guint i = 0; g && i < g->actions->len; i++) {
		struct graph_action *a = g_ptr_array_index(g->actions, i);

		if (a->state != GRAPH_RUNNING)
			continue;
		log_info("te: %s on %s: its result is read from the status "
			 "after the membership change",
			 a->key, a->node);
		graph_mark(g, a->id, GRAPH_FAILED);
	}
	te_trigger(te, true, "membership changed");
}

/* ---- results ---- */

/* "action:transition:target_rc:dc" */
static bool
parse_key(const char *key, int *action, int *transition, int *target,
	  const char **dc)
{
	const char *p;

	if (key == NULL ||
	    sscanf(key, "%d:%d:%d:", action, transition, target) != 3)
		return false;
	p = strrchr(key, ':');
	*dc = p ? p + 1 : "";
	return true;
}

static int
max_call_id(xmlNodePtr lrm_resource)
{
	int max = -1;

	for (xmlNodePtr op = lrm_resource->children; op; op = op->next) {
		const char *c = prop(op, "call-id");
		int v = c ? atoi(c) : -1;

		if (op->type == XML_ELEMENT_NODE && v > max)
			max = v;
	}
	return max;
}

/* One resource's history from node @sender: confirm, or trigger. */
static void
on_history(struct te *te, uint32_t sender, xmlNodePtr rsc)
{
	struct graph *g = graph_of(te);
	int seen = GPOINTER_TO_INT(
		g_hash_table_lookup(te->max_call, GUINT_TO_POINTER(sender)));
	bool matched = false, fresh = false, failure = false;
	int max = seen;

	for (xmlNodePtr op = rsc->children; op; op = op->next) {
		int action, transition, target, rc, st, call;
		const char *dc, *c;

		if (op->type != XML_ELEMENT_NODE ||
		    !parse_key(prop(op, "transition-key"), &action, &transition,
			       &target, &dc))
			continue;
		rc = atoi(prop(op, "rc-code") ? prop(op, "rc-code") : "1");
		st = atoi(prop(op, "op-status") ? prop(op, "op-status") : "4");
		c = prop(op, "call-id");
		call = c ? atoi(c) : -1;
		if (st == -1)
			continue; /* still running: not a result */
		if (call <= seen)
			continue; /* seen before */
		fresh = true;
		if (call > max)
			max = call;
		if (g && strcmp(dc, te->myid) == 0 &&
		    transition == te->transition && action >= 0 &&
		    (guint)action < g->actions->len) {
			struct graph_action *a =
				g_ptr_array_index(g->actions, action);

			if (a->state == GRAPH_RUNNING) {
				bool ok = st == 0 && rc == target;

				log_debug("te: %s confirmed: rc %d%s", a->key,
					  rc, ok ? "" : " (unexpected)");
				graph_mark(g, a->id,
					   ok ? GRAPH_DONE : GRAPH_FAILED);
				matched = true;
				if (!ok) {
					log_info("te: %s on %s returned rc %d "
						 "(expected %d); recomputing",
						 a->key, a->node, rc, target);
					te->dirty = true;
				}
				continue;
			}
		}
		if (st != 0 || rc != target)
			failure = true;
	}
	g_hash_table_replace(te->max_call, GUINT_TO_POINTER(sender),
			     GINT_TO_POINTER(max));
	if (failure)
		te_trigger(te, true, "an operation failed outside the graph");
	else if (fresh && !matched)
		te_trigger(te, false, "a result outside the graph");
	else
		schedule(te);
}

static void
on_status(struct te *te, uint32_t sender, xmlNodePtr ns)
{
	int max = -1;

	for (xmlNodePtr l = ns->children; l; l = l->next) {
		if (l->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)l->name, "lrm") != 0)
			continue;
		for (xmlNodePtr list = l->children; list; list = list->next)
			for (xmlNodePtr r = list->children; r; r = r->next)
				if (r->type == XML_ELEMENT_NODE &&
				    max_call_id(r) > max)
					max = max_call_id(r);
	}
	g_hash_table_replace(te->max_call, GUINT_TO_POINTER(sender),
			     GINT_TO_POINTER(max));
	te_trigger(te, false, "a node announced its status");
}

static void
on_ping(struct te *te, uint32_t sender, xmlNodePtr ping)
{
	struct waiter w = {.node = sender};
	const char *tok = prop(ping, "token");

	if (tok == NULL)
		return;
	w.token = g_strdup(tok);
	g_array_append_val(te->waiters, w);
	schedule(te);
}

void
te_delivered(struct te *te, uint32_t sender, const struct fo_msg_hdr *hdr,
	     const uint8_t *body, size_t len)
{
	xmlDocPtr doc;
	xmlNodePtr root;

	if (!cluster_is_dc(te->cl) || !cluster_msg_current(te->cl, hdr))
		return;
	root = fo_xml_read_msg(body, len, "cpg", &doc);
	if (root == NULL) {
		xmlFreeDoc(doc);
		return;
	}
	switch (hdr->type) {
	case CIB_T_OP:
		on_history(te, sender, root);
		break;
	case CIB_T_STATUS:
		on_status(te, sender, root);
		break;
	case CIB_T_FORGET:
		te_trigger(te, true, "a resource's history was cleaned up");
		break;
	case CIB_T_ATTR:
		te_trigger(te, false, "a node attribute changed");
		break;
	case CIB_T_NODE_DOWN:
		te_trigger(te, false, "a lost node was declared down");
		break;
	case TE_T_PING:
		on_ping(te, sender, root);
		break;
	default:
		break;
	}
	xmlFreeDoc(doc);
}

/* ---- dispatching actions ---- */

int
te_send_xml(struct cluster *cl, uint16_t type, xmlNodePtr n)
{
	xmlBufferPtr buf = xmlBufferCreate();
	int rc;

	xmlNodeDump(buf, NULL, n, 0, 0);
	rc = cluster_send(cl, type, xmlBufferContent(buf),
			  (size_t)xmlBufferLength(buf));
	xmlBufferFree(buf);
	return rc;
}

static const struct cib_op_cfg *
find_op(const struct cib_rsc *r, const char *task, uint64_t interval_ms)
{
	const struct cib_op_cfg *any_monitor = NULL;

	for (guint i = 0; r->ops && i < r->ops->len; i++) {
		const struct cib_op_cfg *op = g_ptr_array_index(r->ops, i);

		if (strcmp(op->name, task) != 0)
			continue;
		if (op->interval_ms == interval_ms)
			return op;
		if (any_monitor == NULL)
			any_monitor = op;
	}
	/* a probe takes the settings of the resource's monitor */
	if (strcmp(task, "monitor") == 0 && interval_ms == 0)
		return any_monitor;
	return NULL;
}

static void
add_nvpairs(xmlNodePtr parent, const char *name, GHashTable *h)
{
	xmlNodePtr set = xmlNewChild(parent, NULL, XC(name), NULL);
	GPtrArray *keys = fo_sorted_keys(h);
	for (guint i = 0; i < keys->len; i++) {
		xmlNodePtr nv = xmlNewChild(set, NULL, XC("nvpair"), NULL);

		xmlNewProp(nv, XC("name"), XC(keys->pdata[i]));
		xmlNewProp(nv, XC("value"),
			   XC(g_hash_table_lookup(h, keys->pdata[i])));
	}
	g_ptr_array_free(keys, TRUE);
}

/* The resource definition behind a graph action (a clone instance
 * takes its template's parameters and operations). */
static const struct cib_rsc *
action_rsc(const struct te *te, const struct graph_action *a)
{
	struct cib_rsc *r = cib_find_rsc(te->model, a->rsc_long);

	if (r == NULL)
		r = cib_find_rsc(te->model, a->rsc);
	return r;
}

static const struct cib_rsc *
definition(const struct cib_rsc *r)
{
	return r->tmpl ? r->tmpl : r;
}

static const struct cib_rsc *
clone_of(const struct cib_rsc *r)
{
	for (const struct cib_rsc *p = r->parent; p; p = p->parent)
		if (p->kind == CIB_CLONE)
			return p;
	return NULL;
}

static xmlNodePtr
rsc_op_xml(const struct te *te, const struct graph_action *a)
{
	const struct cib_rsc *r = action_rsc(te, a), *def, *clone;
	xmlNodePtr n = xmlNewNode(NULL, XC("rsc_op")), prim;
	const struct cib_op_cfg *op, *stop;
	GHashTable *params, *meta;
	g_autofree char *key = NULL, *digest = NULL;
	char buf[32];
	guint timeout;

	def = r ? definition(r) : NULL;
	clone = r ? clone_of(r) : NULL;
	op = def ? find_op(def, a->task, a->interval_ms) : NULL;
	stop = def ? find_op(def, "stop", 0) : NULL;
	timeout = (guint)pe_op_timeout(te->model, op);
	key = g_strdup_printf("%d:%d:%d:%s", a->id, te->transition,
			      a->target_rc, te->myid);
	snprintf(buf, sizeof(buf), "%d", a->id);
	xmlNewProp(n, XC("id"), XC(buf));
	xmlNewProp(n, XC("operation"), XC(a->task));
	xmlNewProp(n, XC("operation_key"), XC(a->key));
	xmlNewProp(n, XC("on_node"), XC(a->node));
	xmlNewProp(n, XC("on_node_uuid"), XC(a->node_id));
	snprintf(buf, sizeof(buf), "%" PRIu64, a->interval_ms);
	xmlNewProp(n, XC("interval"), XC(buf));
	snprintf(buf, sizeof(buf), "%u", timeout);
	xmlNewProp(n, XC("timeout"), XC(buf));
	snprintf(buf, sizeof(buf), "%u", (guint)pe_op_timeout(te->model, stop));
	xmlNewProp(n, XC("stop-timeout"), XC(buf));
	snprintf(buf, sizeof(buf), "%d", a->target_rc);
	xmlNewProp(n, XC("target-rc"), XC(buf));
	xmlNewProp(n, XC("transition-key"), XC(key));

	prim = xmlNewChild(n, NULL, XC("primitive"), NULL);
	/* anonymous clone instances keep one history, under the clone's
	 * primitive id, as Pacemaker records them */
	xmlNewProp(prim, XC("id"), XC(clone && def ? def->id : a->rsc));
	xmlNewProp(prim, XC("long-id"), XC(a->rsc_long ? a->rsc_long : a->rsc));
	xmlNewProp(prim, XC("class"), XC(a->rsc_class));
	if (a->rsc_provider)
		xmlNewProp(prim, XC("provider"), XC(a->rsc_provider));
	xmlNewProp(prim, XC("type"), XC(a->rsc_type));

	params = g_hash_table_new(g_str_hash, g_str_equal);
	meta = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	if (def && def->params) {
		GHashTableIter it;
		gpointer k, v;

		g_hash_table_iter_init(&it, def->params);
		while (g_hash_table_iter_next(&it, &k, &v))
			g_hash_table_replace(params, k, v);
		if (op && op->params) {
			g_hash_table_iter_init(&it, op->params);
			while (g_hash_table_iter_next(&it, &k, &v))
				g_hash_table_replace(params, k, v);
		}
	}
	if (def)
		digest = pe_op_digest(te->model, def, op, a->interval_ms);
	if (digest)
		xmlNewProp(n, XC("op-digest"), XC(digest));
	if (clone) {
		int max = clone->clone_max > 0 ? clone->clone_max
					       : (int)te->model->nodes->len;

		g_hash_table_replace(meta, (gpointer) "clone-max",
				     g_strdup_printf("%d", max));
		g_hash_table_replace(
			meta, (gpointer) "clone-node-max",
			g_strdup_printf("%d", clone->clone_node_max > 0
						      ? clone->clone_node_max
						      : 1));
		if (r->instance >= 0)
			g_hash_table_replace(
				meta, (gpointer) "clone",
				g_strdup_printf("%d", r->instance));
	}
	add_nvpairs(n, "params", params);
	add_nvpairs(n, "meta", meta);
	g_hash_table_destroy(params);
	g_hash_table_destroy(meta);
	return n;
}

static xmlNodePtr
crm_event_xml(const struct te *te, const struct graph_action *a)
{
	xmlNodePtr n = xmlNewNode(NULL, XC("crm_event"));
	g_autofree char *key =
		g_strdup_printf("%d:%d:0:%s", a->id, te->transition, te->myid);
	char buf[16];

	snprintf(buf, sizeof(buf), "%d", a->id);
	xmlNewProp(n, XC("id"), XC(buf));
	xmlNewProp(n, XC("operation"), XC(a->task));
	xmlNewProp(n, XC("on_node"), XC(a->node));
	xmlNewProp(n, XC("on_node_uuid"), XC(a->node_id));
	xmlNewProp(n, XC("transition-key"), XC(key));
	if (a->extra || a->rsc)
		xmlNewProp(n, XC("rsc"), XC(a->extra ? a->extra : a->rsc));
	return n;
}

static gboolean
deadline_passed(gpointer data)
{
	struct deadline *dl = data;
	struct te *te = dl->te;
	struct graph *g = graph_of(te);

	g_ptr_array_remove(te->deadlines, dl);
	if (g && dl->transition == te->transition &&
	    (guint)dl->action < g->actions->len) {
		struct graph_action *a =
			g_ptr_array_index(g->actions, dl->action);

		if (a->state == GRAPH_RUNNING) {
			log_warnx("te: no result for %s from %s in time; "
				  "counting it as failed",
				  a->key, a->node);
			graph_mark(g, a->id, GRAPH_FAILED);
			te_trigger(te, true, "an action's result is overdue");
		}
	}
	g_free(dl);
	return G_SOURCE_REMOVE;
}

static void
deadline_arm(struct te *te, const struct graph_action *a, guint timeout_ms)
{
	struct deadline *dl = g_new0(struct deadline, 1);

	dl->te = te;
	dl->transition = te->transition;
	dl->action = a->id;
	dl->src = g_timeout_add(timeout_ms + RESULT_SLACK_MS, deadline_passed,
				dl);
	g_ptr_array_add(te->deadlines, dl);
}

/* Send one action; false when its node is not a member (it waits). */
static bool
fire(struct te *te, struct graph_action *a)
{
	xmlNodePtr n;
	int rc;

	if (a->kind == GRAPH_PSEUDO) {
		a->state = GRAPH_DONE;
		return true;
	}
	if (!is_member(te, node_num(a->node_id)))
		return false;
	n = a->kind == GRAPH_CRM ? crm_event_xml(te, a) : rsc_op_xml(te, a);
	rc = te_send_xml(te->cl, TE_T_ACTION, n);
	xmlFreeNode(n);
	if (rc != 0) {
		log_warnx("te: cannot send %s to %s: %s", a->key, a->node,
			  fo_strerror(rc));
		graph_mark(te->res->graph, a->id, GRAPH_FAILED);
		te->dirty = true;
		return true;
	}
	log_info("te: transition %d: %s on %s", te->transition, a->key,
		 a->node);
	/* controller actions, cancellations and deletions are done once
	 * sent: the node handles them in message order */
	if (a->kind == GRAPH_CRM || strcmp(a->task, "cancel") == 0 ||
	    strcmp(a->task, "delete") == 0) {
		a->state = GRAPH_DONE;
	} else {
		const struct cib_rsc *r = action_rsc(te, a);

		a->state = GRAPH_RUNNING;
		deadline_arm(
			te, a,
			(guint)pe_op_timeout(te->model,
					     r ? find_op(definition(r), a->task,
							 a->interval_ms)
					       : NULL));
	}
	return true;
}

static void
dispatch(struct te *te)
{
	struct graph *g = graph_of(te);
	bool progress = true;

	while (g && progress) {
		progress = false;
		graph_ready(g, te->ready);
		for (guint i = 0; i < te->ready->len; i++)
			if (fire(te, g_ptr_array_index(te->ready, i)))
				progress = true;
	}
}

/* ---- lost nodes and the safety rule ---- */

/* Might the node run something, by its last known history? Everything
 * but a clean stop or a probe that found nothing counts. */
static bool
node_may_run(const struct cib_node *node)
{
	for (guint i = 0; i < node->lrm->len; i++) {
		const struct cib_lrm_rsc *l = g_ptr_array_index(node->lrm, i);
		const struct cib_lrm_op *last = NULL;

		for (guint j = 0; j < l->n_ops; j++) {
			const struct cib_lrm_op *op = l->ops[j];

			if (last == NULL || op->call_id > last->call_id)
				last = op;
		}
		if (last == NULL)
			continue;
		if (last->status != CIB_EXEC_DONE)
			return true;
		if (strcmp(last->task, "stop") == 0 && last->rc == 0)
			continue;
		if (strcmp(last->task, "monitor") == 0 && last->rc == 7)
			continue;
		return true;
	}
	return false;
}

static void
safety_settings(struct te *te, struct safety_config *sc)
{
	const char *grace = cib_repl_option(te->cib, "stop-grace");
	uint64_t ms;

	memset(sc, 0, sizeof(*sc));
	cluster_totem_timing(te->cl, &sc->token_ms, &sc->consensus_ms);
	sc->max_stop_ms = (guint)pe_op_timeout(te->model, NULL);
	for (guint i = 0; i < te->model->all->len; i++) {
		const struct cib_rsc *r = g_ptr_array_index(te->model->all, i);
		guint t;

		if (r->kind != CIB_PRIMITIVE)
			continue;
		t = (guint)pe_op_timeout(te->model,
					 find_op(definition(r), "stop", 0));
		if (t > sc->max_stop_ms)
			sc->max_stop_ms = t;
	}
	sc->stop_grace_ms = -1;
	if (grace && cib_parse_interval(grace, &ms) == 0)
		sc->stop_grace_ms = (gint64)ms;
	sc->fencing = false; /* no fence devices yet */
	sc->policy = te->model->no_quorum_policy == CIB_NQ_FREEZE
			     ? SAFETY_NQ_FREEZE
		     : te->model->no_quorum_policy == CIB_NQ_IGNORE
			     ? SAFETY_NQ_IGNORE
			     : SAFETY_NQ_STOP;
}

static void
hold(struct cib_node *node)
{
	node->in_ccm = node->crmd_online = node->join_member = true;
	node->online = true;
	node->unclean = false;
	node->shutdown = false;
	node->standby = true;
	g_hash_table_replace(node->attrs, g_strdup("standby"), g_strdup("on"));
}

static gboolean
safety_timer(gpointer data)
{
	struct te *te = data;

	te->safety_src = 0;
	te_trigger(te, true, "stop-grace of a lost node passed");
	return G_SOURCE_REMOVE;
}

/*
 * Every node outside the view that may still run something: classify
 * how it went, and either let the policy engine recover its resources
 * (and tell the copies its history is void) or hold it as present in
 * standby, so that what it ran is not started anywhere else yet.
 */
static void
apply_safety(struct te *te)
{
	struct safety_config sc;
	gint64 now = g_get_monotonic_time() / 1000, next;

	safety_settings(te, &sc);
	for (guint i = 0; i < te->model->nodes->len; i++) {
		struct cib_node *node = g_ptr_array_index(te->model->nodes, i);
		uint32_t id = node_num(node->id);
		enum safety_verdict v;
		gint64 at = 0;

		if (id == 0)
			continue;
		if (is_member(te, id)) {
			safety_back(te->safety, id);
			g_hash_table_remove(te->held_nodes,
					    GUINT_TO_POINTER(id));
			continue;
		}
		if (!node->have_state || !node_may_run(node))
			continue;
		safety_lost(te->safety, id,
			    !node->expected_member ? SAFETY_LEFT_CLEAN
			    : cluster_corosync_member(te->cl, id)
				    ? SAFETY_LEFT_DAEMON
				    : SAFETY_LEFT_MEMBERSHIP,
			    now);
		v = safety_check(te->safety, &sc, id, now, &at);
		if (v == SAFETY_SAFE) {
			log_info("te: node %s is safe: recovering what it ran "
				 "and declaring its history void",
				 node->uname);
			g_hash_table_remove(te->held_nodes,
					    GUINT_TO_POINTER(id));
			if (cib_repl_send_node_down(te->cib, id) != 0)
				log_warnx("te: cannot declare node %s down",
					  node->uname);
			continue;
		}
		if (GPOINTER_TO_INT(g_hash_table_lookup(
			    te->held_nodes, GUINT_TO_POINTER(id))) !=
		    (int)v + 1) {
			if (v == SAFETY_WAIT)
				log_info("te: node %s left the membership "
					 "(crash or partition): its resources "
					 "are recovered after stop-grace, in "
					 "%" G_GINT64_FORMAT " ms",
					 node->uname, at - now);
			else
				log_info("te: node %s may still run its "
					 "resources (its fo-crmd is gone, or "
					 "no-quorum-policy is not stop): they "
					 "are not recovered until it is back",
					 node->uname);
			g_hash_table_replace(te->held_nodes,
					     GUINT_TO_POINTER(id),
					     GINT_TO_POINTER((int)v + 1));
		}
		hold(node);
	}
	source_clear(&te->safety_src);
	next = safety_next_deadline(te->safety, &sc, now);
	if (next >= 0)
		te->safety_src =
			g_timeout_add((guint)(next > now ? next - now : 0) + 1,
				      safety_timer, te);
}

/* ---- computing ---- */

static gboolean
recheck_timer(gpointer data)
{
	struct te *te = data;

	te->recheck_src = 0;
	te_trigger(te, true, "a failure-timeout or recheck time came");
	return G_SOURCE_REMOVE;
}

static void
compute(struct te *te)
{
	xmlChar *text = NULL;
	int len = 0, rc;
	GPtrArray *diags = g_ptr_array_new_with_free_func(
		(GDestroyNotify)(void (*)(void))cib_diag_free);
	struct cib *model = NULL;
	int64_t now = (int64_t)time(NULL);
	gint64 t0 = g_get_monotonic_time();

	te->dirty = false;
	drop_graph(te);
	text = (xmlChar *)cib_repl_text(te->cib, &len);
	rc = cib_load_memory((const char *)text, (size_t)len, "cib", diags,
			     &model);
	xmlFree(text);
	if (rc != 0) {
		g_autofree char *msg =
			diags->len ? cib_diag_format(diags->pdata[0]) : NULL;

		log_warnx("te: the CIB cannot be unpacked (%s): %s; nothing "
			  "is scheduled",
			  fo_strerror(rc), msg ? msg : "");
		g_ptr_array_free(diags, TRUE);
		return;
	}
	g_ptr_array_free(diags, TRUE);
	te->model = model;
	model->have_quorum = true;
	g_free(model->dc_uuid);
	model->dc_uuid = g_strdup(te->myid);
	apply_safety(te);
	rc = pe_compute(model, now, false, &te->res);
	te->transition++;
	te->announced_done = false;
	if (rc != 0)
		log_warnx("te: transition %d: %s", te->transition,
			  te->res && te->res->warnings->len
				  ? (const char *)g_ptr_array_index(
					    te->res->warnings,
					    te->res->warnings->len - 1)
				  : fo_strerror(rc));
	if (te->res == NULL)
		return;
	log_info(
		"te: transition %d: %u action(s), computed in %" G_GINT64_FORMAT
		" us",
		te->transition, te->res->graph->actions->len,
		g_get_monotonic_time() - t0);
	for (guint i = 0; i < te->res->summary->len; i++)
		log_info("te: transition %d: %s", te->transition,
			 (const char *)g_ptr_array_index(te->res->summary, i));
	source_clear(&te->recheck_src);
	if (te->res->recheck > now)
		te->recheck_src = g_timeout_add_seconds(
			(guint)(te->res->recheck - now), recheck_timer, te);
	dispatch(te);
}

static void
answer_waiters(struct te *te)
{
	for (guint i = 0; i < te->waiters->len; i++) {
		struct waiter *w =
			&g_array_index(te->waiters, struct waiter, i);
		xmlNodePtr n = xmlNewNode(NULL, XC("idle"));
		char buf[16];

		snprintf(buf, sizeof(buf), "%" PRIu32, w->node);
		xmlNewProp(n, XC("to"), XC(buf));
		xmlNewProp(n, XC("token"), XC(w->token));
		snprintf(buf, sizeof(buf), "%d", te->transition);
		xmlNewProp(n, XC("transition"), XC(buf));
		te_send_xml(te->cl, TE_T_IDLE, n);
		xmlFreeNode(n);
		g_free(w->token);
	}
	g_array_set_size(te->waiters, 0);
}

static gboolean
te_run(gpointer data)
{
	struct te *te = data;
	struct graph *g;

	te->run_src = 0;
	if (!cluster_is_dc(te->cl)) {
		if (te->dc)
			log_info("te: no longer the DC");
		te->dc = false;
		te->dirty = true;
		drop_graph(te);
		for (guint i = 0; i < te->waiters->len; i++)
			g_free(g_array_index(te->waiters, struct waiter, i)
				       .token);
		g_array_set_size(te->waiters, 0);
		return G_SOURCE_REMOVE;
	}
	if (!cib_repl_settled(te->cib))
		return G_SOURCE_REMOVE; /* the sync's end triggers again */
	if (!te->dc) {
		te->dc = true;
		snprintf(te->myid, sizeof(te->myid), "%" PRIu32,
			 cluster_local_nodeid(te->cl));
		log_info("te: this node is the DC");
		te->dirty = true;
	}
	g = graph_of(te);
	if (g && !g->aborted)
		dispatch(te);
	if (g && !graph_complete(g))
		return G_SOURCE_REMOVE; /* results or timers come back */
	if (te->dirty) {
		compute(te);
		g = graph_of(te);
		if (g && !graph_complete(g))
			return G_SOURCE_REMOVE;
	}
	if (g && !te->announced_done) {
		te->announced_done = true;
		log_info("te: transition %d complete", te->transition);
		/* the model is needed only while actions are sent: give its
		 * memory back (fo-crmd stays small between transitions) */
		if (!te->dirty) {
			drop_graph(te);
			malloc_trim(0);
		}
	}
	if (!te->dirty)
		answer_waiters(te);
	else
		schedule(te);
	return G_SOURCE_REMOVE;
}

bool
te_idle(const struct te *te)
{
	const struct graph *g = graph_of(te);

	return te->dc && !te->dirty && (g == NULL || graph_complete(g));
}

int
te_transition(const struct te *te)
{
	return te->transition;
}
