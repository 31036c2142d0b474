/*
 * lrm.c - the node's local resource manager: the DC's actions in, the
 * executor runs them, Pacemaker-shaped history and fail counts out.
 *
 * In: <rsc_op>/<crm_event> actions for this node, cleanups, "stop
 * everything" (lost quorum, shutdown without a DC). Out: every result as
 * this node's whole history of the resource (<lrm_resource>), fail counts
 * as transient attributes (sent before the history, so the DC sees both
 * when it recomputes), log lines. Invariant: the history here is what
 * this node knows ran; the CIB copies get it after every sync again.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fo/common.h"
#include "fo/lrm.h"
#include "fo/xmlutil.h"

#define prop fo_xml_prop
#define FEATURE_SET "3.16.2"
#define LOCAL_KEY "0:0:0:local"

static void set_attr(struct lrm *l, const char *name, const char *value);

struct lrm_rsc {
	char *id; /* history id (OCF_RESOURCE_INSTANCE) */
	char *cls, *provider, *type;
	GHashTable *params, *meta;
	guint stop_timeout_ms;
	xmlNodePtr hist; /* <lrm_resource>, owned, packed between changes */
	bool active;	 /* what hist says: may it be running here? */
	GHashTable *monitors; /* interval -> struct lrm_op * */
};

struct lrm_op {
	struct lrm *l;
	char *rsc, *task, *key, *digest;
	guint interval_ms;
	int target_rc;
	bool probe;
	bool local; /* part of lrm_stop_all() */
	int64_t exec_id;
};

struct lrm {
	struct exec *exec;
	char *node;
	struct lrm_callbacks cb;
	void *data;
	GHashTable *rscs;  /* id -> struct lrm_rsc * */
	GHashTable *attrs; /* transient attribute name -> value */
	GHashTable *ops;   /* struct lrm_op * -> itself: live contexts */
	int call_id;
	guint stop_pending;
	guint idle_src;
};

static void
rsc_free(gpointer p)
{
	struct lrm_rsc *r = p;

	g_free(r->id);
	g_free(r->cls);
	g_free(r->provider);
	g_free(r->type);
	if (r->params)
		g_hash_table_destroy(r->params);
	if (r->meta)
		g_hash_table_destroy(r->meta);
	xmlFreeNode(r->hist);
	g_hash_table_destroy(r->monitors);
	g_free(r);
}

static void
op_free(gpointer p)
{
	struct lrm_op *op = p;

	g_free(op->rsc);
	g_free(op->task);
	g_free(op->key);
	g_free(op->digest);
	g_free(op);
}

struct lrm *
lrm_new(struct exec *exec, const char *node_name,
	const struct lrm_callbacks *cb, void *data)
{
	struct lrm *l = g_new0(struct lrm, 1);

	l->exec = exec;
	l->node = g_strdup(node_name);
	l->cb = *cb;
	l->data = data;
	l->rscs =
		g_hash_table_new_full(g_str_hash, g_str_equal, NULL, rsc_free);
	l->attrs =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	l->ops = g_hash_table_new_full(NULL, NULL, op_free, NULL);
	return l;
}

void
lrm_free(struct lrm *l)
{
	if (l == NULL)
		return;
	if (l->idle_src)
		g_source_remove(l->idle_src);
	g_hash_table_destroy(l->rscs);
	g_hash_table_destroy(l->attrs);
	g_hash_table_destroy(l->ops);
	g_free(l->node);
	g_free(l);
}

static struct lrm_rsc *
rsc_get(struct lrm *l, const char *id, const char *cls, const char *provider,
	const char *type)
{
	struct lrm_rsc *r = g_hash_table_lookup(l->rscs, id);

	if (r == NULL) {
		r = g_new0(struct lrm_rsc, 1);
		r->id = g_strdup(id);
		r->monitors = g_hash_table_new(NULL, NULL);
		r->hist = xmlNewNode(NULL, XC("lrm_resource"));
		xmlNewProp(r->hist, XC("id"), XC(id));
		r->stop_timeout_ms = 20000;
		g_hash_table_insert(l->rscs, r->id, r);
	}
	if (cls && g_strcmp0(cls, r->cls) != 0) {
		g_free(r->cls);
		r->cls = g_strdup(cls);
		xmlSetProp(r->hist, XC("class"), XC(cls));
	}
	if (provider && g_strcmp0(provider, r->provider) != 0) {
		g_free(r->provider);
		r->provider = g_strdup(provider);
		xmlSetProp(r->hist, XC("provider"), XC(provider));
	}
	if (type && g_strcmp0(type, r->type) != 0) {
		g_free(r->type);
		r->type = g_strdup(type);
		xmlSetProp(r->hist, XC("type"), XC(type));
	}
	return r;
}

static xmlNodePtr
child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

static xmlNodePtr
hist_op(struct lrm_rsc *r, const char *id)
{
	for (xmlNodePtr c = r->hist->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    g_strcmp0(prop(c, "id"), id) == 0)
			return c;
	return NULL;
}

static void
hist_put(struct lrm_rsc *r, xmlNodePtr op)
{
	xmlNodePtr old = hist_op(r, prop(op, "id"));

	if (old) {
		xmlReplaceNode(old, op);
		xmlFreeNode(old);
	} else {
		xmlAddChild(r->hist, op);
	}
}

static void
hist_drop(struct lrm_rsc *r, const char *id)
{
	xmlNodePtr old = hist_op(r, id);

	if (old) {
		xmlUnlinkNode(old);
		xmlFreeNode(old);
	}
}

/* Drop the records of every recurring operation (they end with a stop),
 * but not the record of the last failure. */
static void
hist_drop_recurring(struct lrm_rsc *r)
{
	xmlNodePtr c, next;

	for (c = r->hist->children; c; c = next) {
		const char *iv = prop(c, "interval");
		const char *id = prop(c, "id");

		next = c->next;
		/* the last failure stays (fo-res status shows it) */
		if (id && g_str_has_suffix(id, "_last_failure_0"))
			continue;
		if (iv && strcmp(iv, "0") != 0) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
	}
}

/* The record with the highest call-id: what the resource last did. */
static xmlNodePtr
hist_last(const struct lrm_rsc *r)
{
	xmlNodePtr best = NULL;
	long best_id = -1;

	for (xmlNodePtr c = r->hist->children; c; c = c->next) {
		const char *id = prop(c, "call-id");
		long v = id ? strtol(id, NULL, 10) : -1;

		if (c->type == XML_ELEMENT_NODE && v > best_id) {
			best = c;
			best_id = v;
		}
	}
	return best;
}

/* May the resource be running? Everything but a clean stop or a probe
 * that found it stopped says yes. */
static bool
hist_says_active(const struct lrm_rsc *r)
{
	xmlNodePtr last = hist_last(r);
	const char *task, *rc, *st;

	if (last == NULL)
		return false;
	task = prop(last, "operation");
	rc = prop(last, "rc-code");
	st = prop(last, "op-status");
	if (g_strcmp0(st, "0") != 0)
		return true;
	if (g_strcmp0(task, "stop") == 0 && g_strcmp0(rc, "0") == 0)
		return false;
	if (g_strcmp0(task, "monitor") == 0 && g_strcmp0(rc, "7") == 0 &&
	    g_strcmp0(prop(last, "interval"), "0") == 0)
		return false;
	return true;
}

/*
 * A history is kept packed (fo_xml_pack: its records as one string, a
 * tenth of the memory of the tree) and opened only to change it.
 */
static void
hist_open(struct lrm_rsc *r)
{
	if (fo_xml_unpack(r->hist) != 0)
		log_warnx("lrm: the history of %s does not parse", r->id);
}

static void
hist_close(struct lrm_rsc *r)
{
	r->active = hist_says_active(r);
	(void)fo_xml_pack(r->hist);
}

static bool
rsc_active(const struct lrm_rsc *r)
{
	return r->active;
}

guint
lrm_active(const struct lrm *l)
{
	GHashTableIter it;
	gpointer v;
	guint n = 0;

	g_hash_table_iter_init(&it, l->rscs);
	while (g_hash_table_iter_next(&it, NULL, &v))
		if (rsc_active(v))
			n++;
	return n;
}

guint
lrm_busy(const struct lrm *l)
{
	return exec_running(l->exec) + exec_queued(l->exec);
}

void
lrm_set_attr(struct lrm *l, const char *name, const char *value)
{
	set_attr(l, name, value);
}

static void
set_attr(struct lrm *l, const char *name, const char *value)
{
	if (value)
		g_hash_table_replace(l->attrs, g_strdup(name), g_strdup(value));
	else
		g_hash_table_remove(l->attrs, name);
	if (l->cb.send_attr && l->cb.send_attr(name, value, l->data) != 0)
		log_warnx("lrm: cannot send attribute %s; it goes out with "
			  "the next status announcement",
			  name);
}

static void
send_history(struct lrm *l, struct lrm_rsc *r)
{
	if (l->cb.send_history && l->cb.send_history(r->hist, l->data) != 0)
		log_warnx("lrm: cannot send the history of %s; it goes out "
			  "with the next status announcement",
			  r->id);
}

static void
count_failure(struct lrm *l, const struct lrm_op *op, int rc)
{
	g_autofree char *fc = NULL, *lf = NULL, *val = NULL, *now = NULL;
	const char *old;
	long n;

	fc = g_strdup_printf("fail-count-%s#%s_%u", op->rsc, op->task,
			     op->interval_ms);
	lf = g_strdup_printf("last-failure-%s#%s_%u", op->rsc, op->task,
			     op->interval_ms);
	old = g_hash_table_lookup(l->attrs, fc);
	n = old ? strtol(old, NULL, 10) : 0;
	if (strcmp(op->task, "start") == 0 && l->cb.start_failure_fatal &&
	    l->cb.start_failure_fatal(l->data))
		val = g_strdup("INFINITY");
	else if (old && strcmp(old, "INFINITY") == 0)
		val = g_strdup("INFINITY");
	else
		val = g_strdup_printf("%ld", n + 1);
	now = g_strdup_printf("%" G_GINT64_FORMAT, (gint64)time(NULL));
	set_attr(l, fc, val);
	set_attr(l, lf, now);
	log_info("lrm: %s %s failed here (rc %d); fail count now %s", op->rsc,
		 op->task, rc, val);
}

/* Write one result into the history, count a failure, broadcast. */
static void
record(struct lrm *l, const struct lrm_op *op, const struct exec_result *res,
       int rc, int status, const char *reason)
{
	struct lrm_rsc *r = rsc_get(l, op->rsc, NULL, NULL, NULL);
	xmlNodePtr el = xmlNewNode(NULL, XC("lrm_rsc_op"));
	g_autofree char *id = NULL, *okey = NULL, *magic = NULL;
	char buf[32];
	bool failed;

	okey = g_strdup_printf("%s_%s_%u", op->rsc, op->task, op->interval_ms);
	id = op->interval_ms ? g_strdup(okey)
			     : g_strdup_printf("%s_last_0", op->rsc);
	magic = g_strdup_printf("%d:%d;%s", status, rc, op->key);
	xmlNewProp(el, XC("id"), XC(id));
	xmlNewProp(el, XC("operation_key"), XC(okey));
	xmlNewProp(el, XC("operation"), XC(op->task));
	xmlNewProp(el, XC("crm-debug-origin"), XC("fo-crmd"));
	xmlNewProp(el, XC("crm_feature_set"), XC(FEATURE_SET));
	xmlNewProp(el, XC("transition-key"), XC(op->key));
	xmlNewProp(el, XC("transition-magic"), XC(magic));
	xmlNewProp(el, XC("exit-reason"), XC(reason ? reason : ""));
	xmlNewProp(el, XC("on_node"), XC(l->node));
	snprintf(buf, sizeof(buf), "%d", ++l->call_id);
	xmlNewProp(el, XC("call-id"), XC(buf));
	snprintf(buf, sizeof(buf), "%d", rc);
	xmlNewProp(el, XC("rc-code"), XC(buf));
	snprintf(buf, sizeof(buf), "%d", status);
	xmlNewProp(el, XC("op-status"), XC(buf));
	snprintf(buf, sizeof(buf), "%u", op->interval_ms);
	xmlNewProp(el, XC("interval"), XC(buf));
	snprintf(buf, sizeof(buf), "%" G_GINT64_FORMAT, (gint64)time(NULL));
	xmlNewProp(el, XC("last-rc-change"), XC(buf));
	snprintf(buf, sizeof(buf), "%" G_GINT64_FORMAT,
		 res && res->t_run ? res->t_run : (gint64)time(NULL));
	xmlNewProp(el, XC("last-run"), XC(buf));
	snprintf(buf, sizeof(buf), "%u", res ? res->exec_ms : 0);
	xmlNewProp(el, XC("exec-time"), XC(buf));
	snprintf(buf, sizeof(buf), "%u", res ? res->queue_ms : 0);
	xmlNewProp(el, XC("queue-time"), XC(buf));
	if (op->digest)
		xmlNewProp(el, XC("op-digest"), XC(op->digest));

	/* a probe that finds the resource (running or not) did not fail */
	failed = status != EXEC_DONE ||
		 (rc != op->target_rc &&
		  !(op->probe && (rc == OCF_SUCCESS || rc == OCF_NOT_RUNNING ||
				  rc == OCF_RUNNING_PROMOTED)));
	hist_open(r);
	if (failed) {
		xmlNodePtr lf = xmlCopyNode(el, 1);
		g_autofree char *lfid =
			g_strdup_printf("%s_last_failure_0", op->rsc);

		xmlSetProp(lf, XC("id"), XC(lfid));
		hist_put(r, lf);
		count_failure(l, op, rc);
	}
	if (strcmp(op->task, "stop") == 0 && rc == 0 && status == EXEC_DONE)
		hist_drop_recurring(r);
	{
		g_autofree char *pid = g_strdup_printf("%s_pending_0", op->rsc);

		hist_drop(r, pid);
	}
	hist_put(r, el);
	hist_close(r);
	send_history(l, r);
}

/*
 * Before a start or stop runs, the copies learn that it is in flight (as
 * Pacemaker's record-pending does): a DC elected meanwhile must see the
 * resource as possibly active here, never start it elsewhere. The record
 * has an id of its own, so the previous result stays beside it.
 */
static void
record_pending(struct lrm *l, struct lrm_rsc *r, const struct lrm_op *op)
{
	xmlNodePtr el = xmlNewNode(NULL, XC("lrm_rsc_op"));
	g_autofree char *id = g_strdup_printf("%s_pending_0", op->rsc);
	g_autofree char *okey =
		g_strdup_printf("%s_%s_%u", op->rsc, op->task, op->interval_ms);
	char buf[32];

	xmlNewProp(el, XC("id"), XC(id));
	xmlNewProp(el, XC("operation_key"), XC(okey));
	xmlNewProp(el, XC("operation"), XC(op->task));
	xmlNewProp(el, XC("crm-debug-origin"), XC("fo-crmd"));
	xmlNewProp(el, XC("crm_feature_set"), XC(FEATURE_SET));
	xmlNewProp(el, XC("transition-key"), XC(op->key));
	xmlNewProp(el, XC("on_node"), XC(l->node));
	snprintf(buf, sizeof(buf), "%d", ++l->call_id);
	xmlNewProp(el, XC("call-id"), XC(buf));
	xmlNewProp(el, XC("rc-code"), XC("193"));
	xmlNewProp(el, XC("op-status"), XC("-1"));
	xmlNewProp(el, XC("interval"), XC("0"));
	snprintf(buf, sizeof(buf), "%" G_GINT64_FORMAT, (gint64)time(NULL));
	xmlNewProp(el, XC("last-rc-change"), XC(buf));
	if (op->digest)
		xmlNewProp(el, XC("op-digest"), XC(op->digest));
	hist_open(r);
	hist_put(r, el);
	hist_close(r);
	send_history(l, r);
}

static void stop_done(struct lrm *l);

static void
on_result(const struct exec_result *res, void *data)
{
	struct lrm_op *op = data;
	struct lrm *l = op->l;
	struct lrm_rsc *r = g_hash_table_lookup(l->rscs, op->rsc);
	g_autofree char *reason = NULL;
	int rc = res->rc, status = res->status;

	if (res->status == EXEC_CANCELLED) {
		if (r && g_hash_table_lookup(
				 r->monitors,
				 GUINT_TO_POINTER(op->interval_ms)) == op)
			g_hash_table_remove(r->monitors,
					    GUINT_TO_POINTER(op->interval_ms));
		if (op->local)
			stop_done(l);
		g_hash_table_remove(l->ops, op);
		return;
	}
	reason = g_strdup(res->exit_reason);
	if (op->local && (rc != 0 || status != EXEC_DONE)) {
		/* a node without quorum must not leave anything running */
		int k = exec_kill_resource(l->exec, op->rsc);

		if (res->rsc_killed ||
		    (k == 0 &&
		     exec_resource_populated(l->exec, op->rsc) == 0)) {
			g_free(reason);
			reason = g_strdup_printf(
				"stop failed (%s); killed everything "
				"the resource started",
				status != EXEC_DONE ? exec_status_name(status)
						    : ocf_rc_name(rc));
			rc = 0;
			status = EXEC_DONE;
		}
	}
	log_info("lrm: %s %s%s%.0u on %s: %s (rc %d, %s) in %u ms%s%s", op->rsc,
		 op->task, op->interval_ms ? " every " : "", op->interval_ms,
		 l->node, ocf_rc_name(rc), rc, exec_status_name(status),
		 res->exec_ms, reason ? ": " : "", reason ? reason : "");
	record(l, op, res, rc, status, reason);
	if (op->local)
		stop_done(l);
	if (op->interval_ms == 0)
		g_hash_table_remove(l->ops, op);
}

static struct lrm_op *
op_new(struct lrm *l, const char *rsc, const char *task, guint interval_ms,
       const char *key, const char *digest, int target_rc)
{
	struct lrm_op *op = g_new0(struct lrm_op, 1);

	op->l = l;
	op->rsc = g_strdup(rsc);
	op->task = g_strdup(task);
	op->interval_ms = interval_ms;
	op->key = g_strdup(key ? key : LOCAL_KEY);
	op->digest = g_strdup(digest);
	op->target_rc = target_rc;
	g_hash_table_add(l->ops, op);
	return op;
}

/* Stop the resource's recurring monitors and forget their records. */
static void
monitors_stop(struct lrm *l, struct lrm_rsc *r)
{
	exec_monitor_stop(l->exec, r->id);
	hist_open(r);
	hist_drop_recurring(r);
	hist_close(r);
}

static int
submit(struct lrm *l, struct lrm_rsc *r, struct lrm_op *op, guint timeout_ms)
{
	struct exec_op_req req = {
		.rsc = r->id,
		.standard = r->cls,
		.provider = r->provider,
		.type = r->type,
		.action = op->task,
		.interval_ms = op->interval_ms,
		.timeout_ms = timeout_ms,
		.params = r->params,
		.meta = r->meta,
		.probe = op->probe,
	};
	int64_t id;

	if (op->interval_ms > 0) {
		struct lrm_op *old = g_hash_table_lookup(
			r->monitors, GUINT_TO_POINTER(op->interval_ms));

		if (old)
			exec_cancel(l->exec, old->exec_id);
		id = exec_monitor_start(l->exec, &req, on_result, op);
		if (id > 0)
			g_hash_table_replace(r->monitors,
					     GUINT_TO_POINTER(op->interval_ms),
					     op);
	} else {
		if (strcmp(op->task, "start") == 0 ||
		    strcmp(op->task, "stop") == 0 ||
		    strcmp(op->task, "promote") == 0 ||
		    strcmp(op->task, "demote") == 0)
			record_pending(l, r, op);
		id = exec_submit(l->exec, &req, on_result, op);
	}
	if (id < 0) {
		/* the request is unusable: record it as such */
		struct exec_result res = {0};

		log_warnx("lrm: cannot run %s %s: %s", r->id, op->task,
			  fo_strerror((int)id));
		record(l, op, &res, OCF_ERR_CONFIGURED, EXEC_NOT_CONFIGURED,
		       "fo-crmd could not run the request (bad parameters?)");
		g_hash_table_remove(l->ops, op);
		return (int)id;
	}
	op->exec_id = id;
	return 0;
}

static GHashTable *
nvpairs(xmlNodePtr set)
{
	GHashTable *h =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	for (xmlNodePtr c = set ? set->children : NULL; c; c = c->next) {
		const char *n = prop(c, "name"), *v = prop(c, "value");

		if (c->type == XML_ELEMENT_NODE && n && v)
			g_hash_table_replace(h, g_strdup(n), g_strdup(v));
	}
	return h;
}

static guint
uint_prop(xmlNodePtr n, const char *name, guint dflt)
{
	const char *v = prop(n, name);

	return v ? (guint)g_ascii_strtoull(v, NULL, 10) : dflt;
}

static void
clear_failcount(struct lrm *l, const char *rsc)
{
	g_autofree char *a = g_strdup_printf("fail-count-%s", rsc);
	g_autofree char *b = g_strdup_printf("last-failure-%s", rsc);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init(&it, l->attrs);
	while (g_hash_table_iter_next(&it, &k, NULL)) {
		const char *n = k;
		size_t la = strlen(a), lb = strlen(b);

		if ((strncmp(n, a, la) == 0 &&
		     (n[la] == '\0' || n[la] == '#')) ||
		    (strncmp(n, b, lb) == 0 && (n[lb] == '\0' || n[lb] == '#')))
			g_ptr_array_add(names, g_strdup(n));
	}
	for (guint i = 0; i < names->len; i++)
		set_attr(l, g_ptr_array_index(names, i), NULL);
	g_ptr_array_free(names, TRUE);
}

/* The same one-shot operation on the resource, queued or running. */
static struct lrm_op *
in_flight(struct lrm *l, const char *rsc, const char *task)
{
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init(&it, l->ops);
	while (g_hash_table_iter_next(&it, &k, NULL)) {
		struct lrm_op *op = k;

		if (op->interval_ms == 0 && !op->local &&
		    strcmp(op->rsc, rsc) == 0 && strcmp(op->task, task) == 0)
			return op;
	}
	return NULL;
}

static int
crm_event(struct lrm *l, xmlNodePtr a)
{
	const char *task = prop(a, "operation");
	const char *rsc = prop(a, "rsc");

	if (g_strcmp0(task, "clear_failcount") == 0 && rsc) {
		log_info("lrm: clearing the fail counts of %s", rsc);
		clear_failcount(l, rsc);
		return 0;
	}
	if (g_strcmp0(task, "do_shutdown") == 0) {
		if (l->cb.shutdown)
			l->cb.shutdown(l->data);
		return 0;
	}
	log_warnx("lrm: unknown controller action '%s'; ignored",
		  task ? task : "");
	return -FO_EINVAL;
}

int
lrm_action(struct lrm *l, xmlNodePtr a)
{
	xmlNodePtr prim;
	const char *id, *task, *key;
	struct lrm_rsc *r;
	struct lrm_op *op;
	guint interval;

	if (strcmp((const char *)a->name, "crm_event") == 0)
		return crm_event(l, a);
	prim = child(a, "primitive");
	task = prop(a, "operation");
	key = prop(a, "transition-key");
	if (strcmp((const char *)a->name, "rsc_op") != 0 || prim == NULL ||
	    task == NULL || key == NULL || (id = prop(prim, "id")) == NULL) {
		log_warnx("lrm: malformed action <%s>; ignored",
			  (const char *)a->name);
		return -FO_EINVAL;
	}
	interval = uint_prop(a, "interval", 0);
	r = rsc_get(l, id, prop(prim, "class"), prop(prim, "provider"),
		    prop(prim, "type"));
	if (strcmp(task, "cancel") == 0) {
		struct lrm_op *m = g_hash_table_lookup(
			r->monitors, GUINT_TO_POINTER(interval));
		g_autofree char *rid =
			g_strdup_printf("%s_monitor_%u", id, interval);

		if (m)
			exec_cancel(l->exec, m->exec_id);
		hist_open(r);
		hist_drop(r, rid);
		hist_close(r);
		send_history(l, r);
		return 0;
	}
	if (strcmp(task, "delete") == 0) {
		lrm_cleanup(l, id);
		return 0;
	}
	if (child(a, "params")) {
		if (r->params)
			g_hash_table_destroy(r->params);
		r->params = nvpairs(child(a, "params"));
	}
	if (child(a, "meta")) {
		if (r->meta)
			g_hash_table_destroy(r->meta);
		r->meta = nvpairs(child(a, "meta"));
	}
	r->stop_timeout_ms = uint_prop(a, "stop-timeout", r->stop_timeout_ms);
	if (interval == 0 && (op = in_flight(l, id, task)) != NULL) {
		/* a new DC asks again for what runs: its result answers both */
		log_info("lrm: %s %s is already in flight; it answers action "
			 "%s too",
			 id, task, key);
		g_free(op->key);
		op->key = g_strdup(key);
		return 0;
	}
	op = op_new(l, id, task, interval, key, prop(a, "op-digest"),
		    (int)uint_prop(a, "target-rc", 0));
	op->probe = strcmp(task, "monitor") == 0 && interval == 0 &&
		    op->target_rc == OCF_NOT_RUNNING;
	if (strcmp(task, "stop") == 0)
		monitors_stop(l, r);
	log_info("lrm: %s %s%s%.0u on %s (action %s)", id, task,
		 interval ? " every " : "", interval, l->node, key);
	return submit(l, r, op, uint_prop(a, "timeout", 20000));
}

void
lrm_cleanup(struct lrm *l, const char *rsc)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init(&it, l->rscs);
	while (g_hash_table_iter_next(&it, &k, NULL))
		if (rsc == NULL || strcmp(rsc, k) == 0)
			g_ptr_array_add(ids, g_strdup(k));
	for (guint i = 0; i < ids->len; i++) {
		const char *id = g_ptr_array_index(ids, i);

		log_info("lrm: forgetting the history of %s on %s", id,
			 l->node);
		exec_monitor_stop(l->exec, id);
		g_hash_table_remove(l->rscs, id);
		clear_failcount(l, id);
		if (l->cb.send_forget && l->cb.send_forget(id, l->data) != 0)
			log_warnx("lrm: cannot send the cleanup of %s", id);
	}
	if (rsc && ids->len == 0)
		clear_failcount(l, rsc);
	g_ptr_array_free(ids, TRUE);
}

static gboolean
all_stopped_idle(gpointer data)
{
	struct lrm *l = data;

	l->idle_src = 0;
	if (l->stop_pending == 0 && l->cb.all_stopped)
		l->cb.all_stopped(l->data);
	return G_SOURCE_REMOVE;
}

static void
stop_done(struct lrm *l)
{
	if (l->stop_pending > 0 && --l->stop_pending == 0 && !l->idle_src)
		l->idle_src = g_idle_add(all_stopped_idle, l);
}

void
lrm_stop_all(struct lrm *l, const char *why)
{
	GHashTableIter it;
	gpointer v;
	guint n = 0;

	g_hash_table_iter_init(&it, l->rscs);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct lrm_rsc *r = v;
		struct lrm_op *op;

		if (!rsc_active(r) || r->cls == NULL || r->type == NULL)
			continue;
		monitors_stop(l, r);
		op = op_new(l, r->id, "stop", 0, NULL, NULL, 0);
		op->local = true;
		l->stop_pending++;
		if (submit(l, r, op, r->stop_timeout_ms) != 0)
			l->stop_pending--;
		n++;
	}
	log_info("lrm: %s: stopping %u resource(s) here at once", why, n);
	if (l->stop_pending == 0 && !l->idle_src)
		l->idle_src = g_idle_add(all_stopped_idle, l);
}

xmlNodePtr
lrm_status(const struct lrm *l, uint32_t nodeid, const char *expected)
{
	xmlNodePtr ns = xmlNewNode(NULL, XC("node_state"));
	xmlNodePtr lrm, list, ta, ia;
	GPtrArray *keys;
	char id[16];

	snprintf(id, sizeof(id), "%" PRIu32, nodeid);
	xmlNewProp(ns, XC("id"), XC(id));
	xmlNewProp(ns, XC("uname"), XC(l->node));
	if (expected)
		xmlNewProp(ns, XC("expected"), XC(expected));
	lrm = xmlNewChild(ns, NULL, XC("lrm"), NULL);
	xmlNewProp(lrm, XC("id"), XC(id));
	list = xmlNewChild(lrm, NULL, XC("lrm_resources"), NULL);
	keys = fo_sorted_keys(l->rscs);
	for (guint i = 0; i < keys->len; i++) {
		const struct lrm_rsc *r =
			g_hash_table_lookup(l->rscs, keys->pdata[i]);

		xmlAddChild(list, xmlCopyNode(r->hist, 1));
	}
	g_ptr_array_free(keys, TRUE);
	ta = xmlNewChild(ns, NULL, XC("transient_attributes"), NULL);
	xmlNewProp(ta, XC("id"), XC(id));
	ia = xmlNewChild(ta, NULL, XC("instance_attributes"), NULL);
	{
		g_autofree char *iaid = g_strdup_printf("status-%s", id);

		xmlNewProp(ia, XC("id"), XC(iaid));
	}
	keys = fo_sorted_keys(l->attrs);
	for (guint i = 0; i < keys->len; i++) {
		const char *k = keys->pdata[i];
		xmlNodePtr nv = xmlNewChild(ia, NULL, XC("nvpair"), NULL);
		g_autofree char *nid = g_strdup_printf("status-%s-%s", id, k);

		xmlNewProp(nv, XC("id"), XC(nid));
		xmlNewProp(nv, XC("name"), XC(k));
		xmlNewProp(nv, XC("value"),
			   XC(g_hash_table_lookup(l->attrs, k)));
	}
	g_ptr_array_free(keys, TRUE);
	return ns;
}
