/*
 * cib_unpack.c - read a CIB document into the model (struct cib).
 *
 * In: a file or buffer holding Pacemaker's <cib> XML. Out: a struct cib,
 * or an error with diagnostics that name file, line and element.
 * <configuration> becomes a light element tree (cib_elem.h), unpacked
 * here; the status section never becomes a tree: its elements go one at
 * a time to cib_status.c. A document in memory that is well-formed
 * UTF-8 (ASCII outside <status>) without a DTD or namespaces is read by
 * our own tokenizer alone (cib_xml.c, load_fast()); anything else by
 * libxml2 as before (load_mixed(), then load()), so malformed input
 * gets libxml2's diagnostics; libxml2 is loaded only then (cib_lx.h).
 * Document order is kept in every array; resources, constraints and
 * nodes are resolved by id.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "cib_elem.h"
#include "cib_lx.h"
#include "cib_private.h"
#include "fo/common.h"

struct unpack {
	struct cib *cib;
	GPtrArray *diags;
	int errors;
	GHashTable *ids; /* constraint and resource ids seen */
};

bool
cib__true(const char *s)
{
	return s != NULL &&
	       (g_ascii_strcasecmp(s, "true") == 0 ||
		g_ascii_strcasecmp(s, "yes") == 0 ||
		g_ascii_strcasecmp(s, "on") == 0 ||
		g_ascii_strcasecmp(s, "y") == 0 || strcmp(s, "1") == 0);
}

static void
diag_v(GPtrArray *diags, bool error, const char *file, int line,
       const char *element, const char *fmt, va_list ap)
{
	struct cib_diag *d;

	if (diags == NULL)
		return;
	d = g_new0(struct cib_diag, 1);
	d->error = error;
	d->file = g_strdup(file);
	d->line = line;
	d->element = g_strdup(element);
	d->message = g_strdup_vprintf(fmt, ap);
	g_ptr_array_add(diags, d);
}

void
cib__diag(GPtrArray *diags, bool error, const char *file,
	  const struct cib_elem *node, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_v(diags, error, file, node != NULL ? cib__elem_line(node) : 0,
	       node != NULL ? node->name : NULL, fmt, ap);
	va_end(ap);
}

void
cib__diag_at(GPtrArray *diags, bool error, const char *file, int line,
	     const char *element, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_v(diags, error, file, line, element, fmt, ap);
	va_end(ap);
}

#define ERR(u, n, ...)                                                         \
	do {                                                                   \
		cib__diag((u)->diags, true, (u)->cib->file, (n), __VA_ARGS__); \
		(u)->errors++;                                                 \
	} while (0)

/* Whether @parent has a @name child. */
static bool
has_child(const struct cib_elem *parent, const char *name)
{
	const struct cib_elem *c;

	for (c = parent->children; c != NULL; c = c->next)
		if (cib__is(c, name))
			return true;
	return false;
}

/* Collect the nvpairs of every @set_name child of @parent into @into;
 * the first value of a name wins, as Pacemaker's set evaluation does. */
static void
unpack_nvsets(struct unpack *u, const struct cib_elem *parent,
	      const char *set_name, GHashTable *into)
{
	const struct cib_elem *set, *nv;

	for (set = parent->children; set != NULL; set = set->next) {
		if (!cib__is(set, set_name))
			continue;
		for (nv = set->children; nv != NULL; nv = nv->next) {
			const char *name, *value;

			if (cib__is(nv, "rule")) {
				ERR(u, nv,
				    "rules inside %s are not supported; "
				    "use plain nvpairs",
				    set_name);
				continue;
			}
			if (!cib__is(nv, "nvpair"))
				continue;
			name = cib__attr(nv, "name");
			value = cib__attr(nv, "value");
			if (name == NULL) {
				ERR(u, nv, "nvpair without a name");
				continue;
			}
			if (value == NULL)
				continue;
			if (!g_hash_table_contains(into, name))
				g_hash_table_insert(into, g_strdup(name),
						    g_strdup(value));
		}
	}
}

static void
unpack_crm_config(struct unpack *u, const struct cib_elem *cfg)
{
	struct cib *cib = u->cib;
	GHashTable *opts =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	const char *v;

	unpack_nvsets(u, cfg, "cluster_property_set", opts);
	if ((v = g_hash_table_lookup(opts, "stonith-enabled")) != NULL)
		cib->stonith_enabled = cib__true(v);
	if ((v = g_hash_table_lookup(opts, "symmetric-cluster")) != NULL)
		cib->symmetric = cib__true(v);
	if ((v = g_hash_table_lookup(opts, "start-failure-is-fatal")) != NULL)
		cib->start_failure_fatal = cib__true(v);
	if ((v = g_hash_table_lookup(opts, "maintenance-mode")) != NULL)
		cib->maintenance_mode = cib__true(v);
	if ((v = g_hash_table_lookup(opts, "stop-all-resources")) != NULL)
		cib->stop_all = cib__true(v);
	if ((v = g_hash_table_lookup(opts, "stop-orphan-resources")) != NULL)
		cib->stop_orphans = cib__true(v);
	if ((v = g_hash_table_lookup(opts, "stop-orphan-actions")) != NULL)
		cib->stop_orphan_actions = cib__true(v);
	if ((v = g_hash_table_lookup(opts, "enable-startup-probes")) != NULL)
		cib->startup_probes = cib__true(v);
	if ((v = g_hash_table_lookup(opts, "cluster-recheck-interval")) !=
	    NULL) {
		uint64_t ms;

		if (cib_parse_interval(v, &ms) == 0)
			cib->recheck_interval = (int64_t)(ms / 1000);
	}
	if ((v = g_hash_table_lookup(opts, "no-quorum-policy")) != NULL) {
		if (strcmp(v, "stop") == 0)
			cib->no_quorum_policy = CIB_NQ_STOP;
		else if (strcmp(v, "freeze") == 0)
			cib->no_quorum_policy = CIB_NQ_FREEZE;
		else if (strcmp(v, "ignore") == 0)
			cib->no_quorum_policy = CIB_NQ_IGNORE;
		else if (strcmp(v, "demote") == 0)
			cib->no_quorum_policy = CIB_NQ_DEMOTE;
		else
			ERR(u, cfg,
			    "no-quorum-policy '%s' is not one of "
			    "stop, freeze, ignore",
			    v);
	}
	/* Old-style default stickiness as a cluster option. */
	if ((v = g_hash_table_lookup(opts, "default-resource-stickiness")) !=
		    NULL &&
	    !g_hash_table_contains(cib->rsc_defaults, "resource-stickiness"))
		g_hash_table_insert(cib->rsc_defaults,
				    g_strdup("resource-stickiness"),
				    g_strdup(v));
	g_hash_table_destroy(opts);
}

static void
unpack_nodes(struct unpack *u, const struct cib_elem *nodes)
{
	const struct cib_elem *n;

	for (n = nodes->children; n != NULL; n = n->next) {
		struct cib_node *node;
		const char *id, *uname, *type;

		if (!cib__is(n, "node"))
			continue;
		id = cib__attr(n, "id");
		uname = cib__attr(n, "uname");
		type = cib__attr(n, "type");
		if (id == NULL || uname == NULL) {
			ERR(u, n, "a node needs both id and uname");
			continue;
		}
		if (type != NULL && strcmp(type, "member") != 0 &&
		    strcmp(type, "normal") != 0) {
			ERR(u, n,
			    "node type '%s' (remote/ping nodes) is not "
			    "supported",
			    type);
			continue;
		}
		if (g_hash_table_contains(u->cib->node_by_id, id) ||
		    g_hash_table_contains(u->cib->node_by_uname, uname)) {
			ERR(u, n, "duplicate node id '%s' or name '%s'", id,
			    uname);
			continue;
		}
		node = cib__node_new();
		node->id = g_strdup(id);
		node->uname = g_strdup(uname);
		node->idx = (int)u->cib->nodes->len;
		node->line = cib__elem_line(n);
		unpack_nvsets(u, n, "instance_attributes", node->attrs);
		g_hash_table_insert(node->attrs, g_strdup("#uname"),
				    g_strdup(uname));
		g_hash_table_insert(node->attrs, g_strdup("#id"), g_strdup(id));
		g_ptr_array_add(u->cib->nodes, node);
		g_hash_table_insert(u->cib->node_by_id, node->id, node);
		g_hash_table_insert(u->cib->node_by_uname, node->uname, node);
	}
}

static bool
claim_id(struct unpack *u, const struct cib_elem *n, const char *id)
{
	if (id == NULL || *id == '\0') {
		ERR(u, n, "missing id");
		return false;
	}
	if (g_hash_table_contains(u->ids, id)) {
		ERR(u, n, "duplicate id '%s'", id);
		return false;
	}
	g_hash_table_add(u->ids, g_strdup(id));
	return true;
}

static enum cib_on_fail
parse_on_fail(struct unpack *u, const struct cib_elem *n, const char *v,
	      bool *ok)
{
	*ok = true;
	if (strcmp(v, "ignore") == 0)
		return CIB_FAIL_IGNORE;
	if (strcmp(v, "restart") == 0)
		return CIB_FAIL_RESTART;
	if (strcmp(v, "block") == 0)
		return CIB_FAIL_BLOCK;
	if (strcmp(v, "stop") == 0)
		return CIB_FAIL_STOP;
	if (strcmp(v, "standby") == 0)
		return CIB_FAIL_STANDBY;
	if (strcmp(v, "fence") == 0)
		return CIB_FAIL_FENCE;
	if (strcmp(v, "demote") == 0)
		return CIB_FAIL_DEMOTE;
	ERR(u, n,
	    "on-fail '%s' is not one of ignore, restart, block, stop, "
	    "standby, fence",
	    v);
	*ok = false;
	return CIB_FAIL_RESTART;
}

static void
unpack_ops(struct unpack *u, struct cib_rsc *rsc, const struct cib_elem *ops)
{
	const struct cib_elem *n;

	for (n = ops->children; n != NULL; n = n->next) {
		struct cib_op_cfg *op;
		const char *name, *iv, *v;
		bool ok;

		if (!cib__is(n, "op"))
			continue;
		name = cib__attr(n, "name");
		iv = cib__attr(n, "interval");
		if (name == NULL) {
			ERR(u, n, "op without a name");
			continue;
		}
		op = cib__op_cfg_new();
		op->id = g_strdup(cib__attr(n, "id"));
		op->name = g_strdup(name);
		op->line = cib__elem_line(n);
		op->enabled = true;
		if (iv != NULL && cib_parse_interval(iv, &op->interval_ms)) {
			ERR(u, n, "bad interval '%s' (use e.g. 10s, 5min)", iv);
			op->interval_ms = 0;
		}
		op->role = cib_parse_role(cib__attr(n, "role"));
		if ((v = cib__attr(n, "on-fail")) != NULL) {
			op->on_fail = parse_on_fail(u, n, v, &ok);
			op->on_fail_set = ok;
		}
		if ((v = cib__attr(n, "enabled")) != NULL)
			op->enabled = cib__true(v);
		if ((v = cib__attr(n, "timeout")) != NULL &&
		    cib_parse_interval(v, &op->timeout_ms) != 0)
			ERR(u, n, "bad timeout '%s'", v);
		/* most operations have no parameters of their own: no
		 * table then (NULL, as the model allows) */
		if (has_child(n, "instance_attributes")) {
			op->params = g_hash_table_new_full(
				g_str_hash, g_str_equal, g_free, g_free);
			unpack_nvsets(u, n, "instance_attributes", op->params);
		}
		/* meta_attributes of the op may also carry these */
		if (has_child(n, "meta_attributes")) {
			GHashTable *m = g_hash_table_new_full(
				g_str_hash, g_str_equal, g_free, g_free);

			unpack_nvsets(u, n, "meta_attributes", m);
			if ((v = g_hash_table_lookup(m, "enabled")) != NULL)
				op->enabled = cib__true(v);
			if ((v = g_hash_table_lookup(m, "on-fail")) != NULL) {
				op->on_fail = parse_on_fail(u, n, v, &ok);
				op->on_fail_set = ok;
			}
			g_hash_table_destroy(m);
		}
		g_ptr_array_add(rsc->ops, op);
	}
}

static struct cib_rsc *unpack_rsc(struct unpack *u, const struct cib_elem *n,
				  struct cib_rsc *parent);

static void
add_rsc(struct unpack *u, struct cib_rsc *rsc, struct cib_rsc *parent)
{
	rsc->idx = (int)u->cib->all->len;
	rsc->parent = parent;
	g_ptr_array_add(u->cib->all, rsc);
	g_hash_table_insert(u->cib->rsc_by_id, rsc->id, rsc);
	if (parent != NULL)
		g_ptr_array_add(parent->children, rsc);
	else
		g_ptr_array_add(u->cib->resources, rsc);
}

static struct cib_rsc *
unpack_rsc(struct unpack *u, const struct cib_elem *n, struct cib_rsc *parent)
{
	struct cib_rsc *rsc;
	const char *id = cib__attr(n, "id");
	const struct cib_elem *c;

	if (cib__is(n, "master") || cib__is(n, "bundle") ||
	    cib__is(n, "template")) {
		ERR(u, n,
		    "<%s> is not supported by fo (promotable clones, "
		    "bundles and templates are outside its subset)",
		    n->name);
		return NULL;
	}
	if (!claim_id(u, n, id))
		return NULL;
	rsc = cib__rsc_new();
	rsc->id = g_strdup(id);
	rsc->line = cib__elem_line(n);
	if (cib__is(n, "primitive")) {
		rsc->kind = CIB_PRIMITIVE;
		if (cib__attr(n, "template") != NULL)
			ERR(u, n, "resource templates are not supported");
		rsc->cls = g_strdup(cib__attr(n, "class"));
		rsc->provider = g_strdup(cib__attr(n, "provider"));
		rsc->type = g_strdup(cib__attr(n, "type"));
		/* an invalid resource is still added, so it is freed
		 * with the model; the load fails on the error count */
		if (rsc->cls == NULL || rsc->type == NULL)
			ERR(u, n, "primitive '%s' needs class and type", id);
	} else if (cib__is(n, "group")) {
		rsc->kind = CIB_GROUP;
	} else {
		rsc->kind = CIB_CLONE;
	}
	add_rsc(u, rsc, parent);
	unpack_nvsets(u, n, "meta_attributes", rsc->meta);
	unpack_nvsets(u, n, "instance_attributes", rsc->params);
	for (c = n->children; c != NULL; c = c->next) {
		if (cib__is(c, "operations"))
			unpack_ops(u, rsc, c);
		else if (rsc->kind == CIB_GROUP && cib__is(c, "primitive"))
			unpack_rsc(u, c, rsc);
		else if (rsc->kind == CIB_CLONE &&
			 (cib__is(c, "primitive") || cib__is(c, "group")))
			unpack_rsc(u, c, rsc);
		else if (cib__is(c, "utilization"))
			ERR(u, c, "utilization is not supported");
		else if (rsc->kind != CIB_PRIMITIVE &&
			 (cib__is(c, "clone") || cib__is(c, "group") ||
			  cib__is(c, "master")))
			ERR(u, c, "a %s cannot contain a <%s>", n->name,
			    c->name);
	}
	if (rsc->kind == CIB_CLONE && rsc->children->len != 1)
		ERR(u, n,
		    "clone '%s' must contain exactly one primitive or "
		    "group",
		    id);
	return rsc;
}

static int
meta_int(struct cib_rsc *rsc, const char *name, int def)
{
	const char *v = cib_meta(rsc, name);
	int s;

	if (v == NULL || cib_parse_score(v, &s) != 0)
		return def;
	return s;
}

/* Resolve meta attributes with inheritance and rsc_defaults. */
static void
resolve_meta(struct unpack *u, struct cib_rsc *rsc)
{
	struct cib *cib = u->cib;
	const char *v;
	GHashTableIter it;
	gpointer k, val;
	uint64_t ms;

	/* rsc_defaults fill in what neither the resource nor a parent
	 * sets; only top-level resources get them, children inherit. */
	if (rsc->parent == NULL) {
		g_hash_table_iter_init(&it, cib->rsc_defaults);
		while (g_hash_table_iter_next(&it, &k, &val))
			if (!g_hash_table_contains(rsc->meta, k))
				g_hash_table_insert(rsc->meta, g_strdup(k),
						    g_strdup(val));
	}
	rsc->priority = meta_int(rsc, "priority", 0);
	if (cib_meta(rsc, "resource-stickiness") != NULL)
		rsc->stickiness = meta_int(rsc, "resource-stickiness", 0);
	else
		rsc->stickiness = meta_int(rsc, "resource_stickiness", 0);
	rsc->target_role = cib_parse_role(cib_meta(rsc, "target-role"));
	v = cib_meta(rsc, "is-managed");
	rsc->managed = v == NULL || cib__true(v);
	v = cib_meta(rsc, "maintenance");
	rsc->maintenance = v != NULL && cib__true(v);
	if (rsc->maintenance || cib->maintenance_mode)
		rsc->managed = false;
	rsc->migration_threshold =
		meta_int(rsc, "migration-threshold", CIB_INFINITY);
	if (rsc->migration_threshold < 0)
		rsc->migration_threshold = 0;
	v = cib_meta(rsc, "failure-timeout");
	if (v != NULL) {
		if (cib_parse_interval(v, &ms) == 0)
			rsc->failure_timeout = (int64_t)(ms / 1000);
		else
			ERR(u, NULL, "resource '%s': bad failure-timeout '%s'",
			    rsc->id, v);
	}
	v = cib_meta(rsc, "critical");
	rsc->critical = v == NULL || cib__true(v);
	rsc->multiple_active = g_strdup(cib_meta(rsc, "multiple-active"));
	if (rsc->kind == CIB_CLONE &&
	    !g_hash_table_contains(rsc->meta, "resource-stickiness"))
		g_hash_table_insert(rsc->meta, g_strdup("resource-stickiness"),
				    g_strdup("1"));
	if (rsc->kind == CIB_CLONE) {
		rsc->clone_max =
			meta_int(rsc, "clone-max", (int)cib->nodes->len);
		rsc->clone_node_max = meta_int(rsc, "clone-node-max", 1);
		v = cib_meta(rsc, "interleave");
		rsc->interleave = v != NULL && cib__true(v);
		if (cib__true(cib_meta(rsc, "globally-unique")))
			ERR(u, NULL,
			    "clone '%s': globally-unique clones are "
			    "not supported",
			    rsc->id);
		if (cib__true(cib_meta(rsc, "promotable")))
			ERR(u, NULL,
			    "clone '%s': promotable clones are not "
			    "supported",
			    rsc->id);
	}
	if (rsc->kind == CIB_GROUP) {
		v = g_hash_table_lookup(rsc->meta, "ordered");
		rsc->ordered = v == NULL || cib__true(v);
		v = g_hash_table_lookup(rsc->meta, "collocated");
		rsc->colocated = v == NULL || cib__true(v);
	}
}

static void
mark_template(struct cib_rsc *t, struct cib_rsc *clone)
{
	guint i;

	t->clone_of = clone;
	for (i = 0; i < t->children->len; i++)
		mark_template(g_ptr_array_index(t->children, i), clone);
}

/*
 * A clone holds clone-max instances of its child, named CHILD:N as
 * Pacemaker names them; the configured child stays as the template
 * (found by id, never placed).
 */
static void
expand_clones(struct unpack *u)
{
	guint i, len = u->cib->all->len;
	int n;

	for (i = 0; i < len; i++) {
		struct cib_rsc *c = g_ptr_array_index(u->cib->all, i);
		struct cib_rsc *t;

		if (c->kind != CIB_CLONE || c->children->len != 1)
			continue;
		t = g_ptr_array_index(c->children, 0);
		g_ptr_array_set_size(c->children, 0);
		mark_template(t, c);
		for (n = 0; n < c->clone_max && n < 4096; n++)
			cib__copy_instance(u->cib, t, c, n);
	}
}

static struct cib_rsc *
constraint_rsc(struct unpack *u, const struct cib_elem *n, const char *attr,
	       bool required)
{
	const char *id = cib__attr(n, attr);
	struct cib_rsc *rsc;

	if (id == NULL) {
		if (required)
			ERR(u, n, "'%s' is missing", attr);
		return NULL;
	}
	rsc = cib_find_rsc(u->cib, id);
	if (rsc == NULL)
		ERR(u, n, "%s '%s' names a resource that does not exist", attr,
		    id);
	else if (rsc->clone_of != NULL)
		rsc = rsc->clone_of; /* the clone's child means the clone */
	return rsc;
}

static bool
constraint_score(struct unpack *u, const struct cib_elem *n, const char *attr,
		 int *score)
{
	const char *v = cib__attr(n, attr);

	if (v == NULL)
		return false;
	if (cib_parse_score(v, score) != 0) {
		ERR(u, n, "bad %s '%s' (an integer or [+-]INFINITY)", attr, v);
		return false;
	}
	return true;
}

static bool
has_sets(struct unpack *u, const struct cib_elem *n)
{
	const struct cib_elem *c;

	for (c = n->children; c != NULL; c = c->next)
		if (cib__is(c, "resource_set")) {
			ERR(u, c,
			    "resource sets are not supported; write one "
			    "constraint per pair of resources");
			return true;
		}
	return false;
}

static void
unpack_rule(struct unpack *u, struct cib_location *loc,
	    const struct cib_elem *rn)
{
	struct cib_rule *rule = cib__rule_new();
	const char *v;
	const struct cib_elem *e;

	rule->id = g_strdup(cib__attr(rn, "id"));
	rule->score = 0;
	if (!constraint_score(u, rn, "score", &rule->score))
		rule->score = 0;
	rule->score_attribute = g_strdup(cib__attr(rn, "score-attribute"));
	v = cib__attr(rn, "boolean-op");
	rule->and_op = v == NULL || strcmp(v, "or") != 0;
	g_ptr_array_add(loc->rules, rule);
	for (e = rn->children; e != NULL; e = e->next) {
		struct cib_expr *x;

		if (!cib__is(e, "expression")) {
			ERR(u, e,
			    "only <expression> is supported inside a "
			    "location rule (no date or nested rules)");
			continue;
		}
		x = g_new0(struct cib_expr, 1);
		x->attribute = g_strdup(cib__attr(e, "attribute"));
		x->operation = g_strdup(cib__attr(e, "operation"));
		x->value = g_strdup(cib__attr(e, "value"));
		x->type = g_strdup(cib__attr(e, "type"));
		if (x->attribute == NULL || x->operation == NULL)
			ERR(u, e, "expression needs attribute and operation");
		if (cib__attr(e, "value-source") != NULL &&
		    strcmp(cib__attr(e, "value-source"), "literal") != 0)
			ERR(u, e,
			    "value-source other than literal is not "
			    "supported");
		g_ptr_array_add(rule->exprs, x);
	}
}

static void
unpack_location(struct unpack *u, const struct cib_elem *n)
{
	struct cib_location *loc;
	const char *id = cib__attr(n, "id"), *v;
	const struct cib_elem *c;

	if (!claim_id(u, n, id) || has_sets(u, n))
		return;
	if (cib__attr(n, "rsc-pattern") != NULL) {
		ERR(u, n, "rsc-pattern is not supported");
		return;
	}
	loc = cib__location_new();
	loc->id = g_strdup(id);
	loc->line = cib__elem_line(n);
	loc->rsc = constraint_rsc(u, n, "rsc", true);
	loc->role = cib_parse_role(cib__attr(n, "role"));
	loc->discovery = g_strdup(cib__attr(n, "resource-discovery"));
	v = cib__attr(n, "node");
	if (v != NULL) {
		loc->node = cib_find_node(u->cib, v);
		if (!constraint_score(u, n, "score", &loc->score))
			ERR(u, n, "a location with a node needs a score");
		/* Pacemaker ignores a location for an unknown node. */
	} else {
		for (c = n->children; c != NULL; c = c->next)
			if (cib__is(c, "rule"))
				unpack_rule(u, loc, c);
		if (loc->rules->len == 0)
			ERR(u, n,
			    "a location needs a node and score, or a "
			    "rule");
	}
	/* kept even when unusable (the policy engine skips it) so that it
	 * is freed with the model */
	g_ptr_array_add(u->cib->locations, loc);
}

static void
unpack_colocation(struct unpack *u, const struct cib_elem *n)
{
	struct cib_colocation *col;
	const char *id = cib__attr(n, "id"), *v;
	struct cib_rsc *a, *b;
	int score;

	if (!claim_id(u, n, id) || has_sets(u, n))
		return;
	a = constraint_rsc(u, n, "rsc", true);
	b = constraint_rsc(u, n, "with-rsc", true);
	if (!constraint_score(u, n, "score", &score)) {
		if (cib__attr(n, "score") == NULL)
			ERR(u, n, "colocation '%s' needs a score", id);
		return;
	}
	if (a == NULL || b == NULL)
		return;
	col = g_new0(struct cib_colocation, 1);
	col->id = g_strdup(id);
	col->line = cib__elem_line(n);
	col->rsc = a;
	col->with = b;
	col->score = score;
	col->rsc_role = cib_parse_role(cib__attr(n, "rsc-role"));
	col->with_role = cib_parse_role(cib__attr(n, "with-rsc-role"));
	col->node_attribute = g_strdup(cib__attr(n, "node-attribute"));
	v = cib__attr(n, "influence");
	col->influence = v != NULL ? cib__true(v) : a->critical;
	g_ptr_array_add(u->cib->colocations, col);
}

static void
unpack_order(struct unpack *u, const struct cib_elem *n)
{
	struct cib_order *o;
	const char *id = cib__attr(n, "id"), *v;
	struct cib_rsc *a, *b;
	int score;

	if (!claim_id(u, n, id) || has_sets(u, n))
		return;
	a = constraint_rsc(u, n, "first", true);
	b = constraint_rsc(u, n, "then", true);
	if (a == NULL || b == NULL)
		return;
	o = g_new0(struct cib_order, 1);
	o->id = g_strdup(id);
	o->line = cib__elem_line(n);
	o->first = a;
	o->then = b;
	v = cib__attr(n, "first-action");
	o->first_action = g_strdup(v ? v : "start");
	v = cib__attr(n, "then-action");
	o->then_action = g_strdup(v ? v : o->first_action);
	v = cib__attr(n, "kind");
	if (v != NULL) {
		if (g_ascii_strcasecmp(v, "Mandatory") == 0)
			o->kind = CIB_ORDER_MANDATORY;
		else if (g_ascii_strcasecmp(v, "Optional") == 0)
			o->kind = CIB_ORDER_OPTIONAL;
		else if (g_ascii_strcasecmp(v, "Serialize") == 0)
			o->kind = CIB_ORDER_SERIALIZE;
		else {
			/* Pacemaker treats it as Mandatory; so do we, and
			 * say so */
			cib__diag(
				u->diags, false, u->cib->file, n,
				"kind "
				"'%s' is not Mandatory, Optional or Serialize; "
				"treated as Mandatory",
				v);
			o->kind = CIB_ORDER_MANDATORY;
		}
	} else if (constraint_score(u, n, "score", &score)) {
		o->kind = score == 0 ? CIB_ORDER_OPTIONAL : CIB_ORDER_MANDATORY;
	} else {
		o->kind = CIB_ORDER_MANDATORY;
	}
	v = cib__attr(n, "symmetrical");
	if (v != NULL)
		o->symmetrical = cib__true(v);
	else
		o->symmetrical = o->kind != CIB_ORDER_SERIALIZE;
	g_ptr_array_add(u->cib->orders, o);
}

static void
unpack_constraints(struct unpack *u, const struct cib_elem *cons)
{
	const struct cib_elem *n;

	for (n = cons->children; n != NULL; n = n->next) {
		if (cib__is(n, "rsc_location"))
			unpack_location(u, n);
		else if (cib__is(n, "rsc_colocation"))
			unpack_colocation(u, n);
		else if (cib__is(n, "rsc_order"))
			unpack_order(u, n);
		else
			ERR(u, n, "<%s> is not supported by fo", n->name);
	}
}

static const char *
invert_task(const char *t)
{
	static const char *const pairs[][2] = {
		{"start", "stop"},
		{"stop", "start"},
		{"promote", "demote"},
		{"demote", "promote"},
	};
	guint i;

	for (i = 0; i < G_N_ELEMENTS(pairs); i++)
		if (strcmp(t, pairs[i][0]) == 0)
			return pairs[i][1];
	return NULL;
}

struct order_edge {
	char *from, *to;
	const struct cib_order *o;
};

static bool
loop_dfs(GHashTable *adj, GHashTable *color, char *v, GPtrArray *path)
{
	GPtrArray *out = g_hash_table_lookup(adj, v);
	guint i;

	g_hash_table_replace(color, v, GINT_TO_POINTER(1));
	for (i = 0; out != NULL && i < out->len; i++) {
		struct order_edge *e = g_ptr_array_index(out, i);
		int c;

		c = GPOINTER_TO_INT(g_hash_table_lookup(color, e->to));
		g_ptr_array_add(path, e);
		if (c == 1)
			return true;
		if (c == 0 && loop_dfs(adj, color, e->to, path))
			return true;
		g_ptr_array_set_size(path, path->len - 1);
	}
	g_hash_table_replace(color, v, GINT_TO_POINTER(2));
	return false;
}

static void
edge_free(void *p)
{
	struct order_edge *e = p;

	g_free(e->from);
	g_free(e->to);
	g_free(e);
}

/* Orderings (with their inverses) that loop can never be satisfied:
 * refuse them, naming the constraints. */
static void
check_order_loops(struct unpack *u)
{
	GPtrArray *edges = g_ptr_array_new_with_free_func(edge_free);
	GHashTable *color = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTable *adj = g_hash_table_new_full(
		g_str_hash, g_str_equal, NULL,
		(GDestroyNotify)(void (*)(void))g_ptr_array_unref);
	GPtrArray *path = g_ptr_array_new();
	guint i;

	for (i = 0; i < u->cib->orders->len; i++) {
		const struct cib_order *o =
			g_ptr_array_index(u->cib->orders, i);
		struct order_edge *e;
		const char *fi, *ti;

		if (o->kind == CIB_ORDER_SERIALIZE)
			continue;
		e = g_new0(struct order_edge, 1);
		e->from =
			g_strdup_printf("%s %s", o->first->id, o->first_action);
		e->to = g_strdup_printf("%s %s", o->then->id, o->then_action);
		e->o = o;
		g_ptr_array_add(edges, e);
		fi = invert_task(o->first_action);
		ti = invert_task(o->then_action);
		if (!o->symmetrical || fi == NULL || ti == NULL)
			continue;
		e = g_new0(struct order_edge, 1);
		e->from = g_strdup_printf("%s %s", o->then->id, ti);
		e->to = g_strdup_printf("%s %s", o->first->id, fi);
		e->o = o;
		g_ptr_array_add(edges, e);
	}
	for (i = 0; i < edges->len; i++) {
		struct order_edge *e = g_ptr_array_index(edges, i);
		GPtrArray *out = g_hash_table_lookup(adj, e->from);

		if (out == NULL) {
			out = g_ptr_array_new();
			g_hash_table_insert(adj, e->from, out);
		}
		g_ptr_array_add(out, e);
	}
	/* document order decides which loop is reported */
	for (i = 0; i < edges->len; i++) {
		struct order_edge *e = g_ptr_array_index(edges, i);
		GString *s;
		guint k;

		if (g_hash_table_lookup(color, e->from) != NULL)
			continue;
		if (!loop_dfs(adj, color, e->from, path))
			continue;
		s = g_string_new(NULL);
		for (k = 0; k < path->len; k++) {
			struct order_edge *p = g_ptr_array_index(path, k);

			g_string_append_printf(s, "%s%s -> %s (%s, line %d)",
					       k ? ", " : "", p->from, p->to,
					       p->o->id, p->o->line);
		}
		if (u->diags != NULL) {
			struct cib_diag *d = g_new0(struct cib_diag, 1);

			d->error = true;
			d->file = g_strdup(u->cib->file);
			d->line = ((struct order_edge *)g_ptr_array_index(
					   path, path->len - 1))
					  ->o->line;
			d->element = g_strdup("rsc_order");
			d->message =
				g_strdup_printf("the orderings form a "
						"loop: %s; remove one of them",
						s->str);
			g_ptr_array_add(u->diags, d);
		}
		u->errors++;
		g_string_free(s, TRUE);
		break;
	}
	g_ptr_array_free(path, TRUE);
	g_hash_table_destroy(adj);
	g_hash_table_destroy(color);
	g_ptr_array_free(edges, TRUE);
}

static void
unpack_configuration(struct unpack *u, const struct cib_elem *cfg)
{
	const struct cib_elem *n;
	guint i;

	/*
	 * No RELAX NG check here: fo-sim reads what it is given and
	 * reports what the unpacker refuses; fo-cib, fo-crmd and the
	 * editing tools run cib_config_check() (include/fo/schema.h) on
	 * their own paths, before a configuration is accepted.
	 */
	for (n = cfg->children; n != NULL; n = n->next) {
		if (cib__is(n, "crm_config"))
			unpack_crm_config(u, n);
		else if (cib__is(n, "rsc_defaults"))
			unpack_nvsets(u, n, "meta_attributes",
				      u->cib->rsc_defaults);
		else if (cib__is(n, "op_defaults"))
			unpack_nvsets(u, n, "meta_attributes",
				      u->cib->op_defaults);
		else if (cib__is(n, "nodes"))
			unpack_nodes(u, n);
	}
	for (n = cfg->children; n != NULL; n = n->next) {
		const struct cib_elem *r;

		if (!cib__is(n, "resources"))
			continue;
		for (r = n->children; r != NULL; r = r->next)
			unpack_rsc(u, r, NULL);
	}
	for (i = 0; i < u->cib->all->len; i++)
		resolve_meta(u, g_ptr_array_index(u->cib->all, i));
	expand_clones(u);
	for (n = cfg->children; n != NULL; n = n->next)
		if (cib__is(n, "constraints"))
			unpack_constraints(u, n);
		else if (cib__is(n, "fencing-topology"))
			ERR(u, n, "fencing topology is not supported");
	check_order_loops(u);
}

/*
 * A document in memory is read by cib_xml.c's tokenizer (load_fast()):
 * the root's attributes, <configuration> as a light tree (cib_elem.h),
 * unpacked at its end tag, the content of <status> straight to
 * cib_status.c. Whatever the tokenizer refuses outside <status> is read
 * again by libxml2's SAX2 parser (load()), whose diagnostics are kept:
 * there, outside <status> the default SAX2 handlers build a tree (the
 * root and <configuration>), copied to the light tree and unpacked the
 * same way when </configuration> closes; inside <status> no tree is
 * built: each element goes straight to cib_status.c.
 */
#define PARSE_OPTIONS                                                          \
	(XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_HUGE |               \
	 XML_PARSE_COMPACT)

/* What an element below <status> is, by its place. */
enum spos {
	SP_OTHER = 0,
	SP_NODE,      /* node_state */
	SP_TRANSIENT, /* node_state/transient_attributes */
	SP_IATTRS,    /* transient_attributes/instance_attributes */
	SP_LRM,	      /* node_state/lrm */
	SP_LRM_RSCS,  /* lrm/lrm_resources */
	SP_LRM_RSC,   /* lrm_resources/lrm_resource */
};

#define SP_DEPTH 8 /* lrm_rsc_op is 5 below <status> */

struct parse {
	struct unpack *u;
	int depth;	  /* of the element open now; the root is 0 */
	int status_depth; /* of <status>, -1 outside it */
	bool seen_root, seen_cfg;
	int rc;			      /* set when reading stopped: not a CIB */
	enum spos pos[SP_DEPTH];      /* by depth below <status> */
	struct cib_node *node;	      /* the node_state being read, or NULL */
	struct cib_lrm_rsc *rsc;      /* the lrm_resource being read, or NULL */
	const char *names[SA_COUNT];  /* interned by libxml2's dictionary */
	const char *xnames[SA_COUNT]; /* interned by cib_xml.c */
	struct cib_xml *xml;	      /* reading the status section, or NULL */
	struct cib_xattr *attrs;      /* libxml2's attributes, converted */
	int attrs_cap;
	GPtrArray *decoded; /* values of the element with "&#38;" decoded */
	const struct cib_lx *lx; /* libxml2, when it reads (cib_lx.h) */
};

static void
unpack_root(struct unpack *u, const struct cib_elem *root)
{
	const char *v;

	if ((v = cib__attr(root, "have-quorum")) != NULL)
		u->cib->have_quorum = cib__true(v);
	if ((v = cib__attr(root, "dc-uuid")) != NULL)
		u->cib->dc_uuid = g_strdup(v);
	if ((v = cib__attr(root, "execution-date")) != NULL) {
		char *end;
		long long t = strtoll(v, &end, 10);

		if (*end == '\0' && end != v)
			u->cib->execution_date = t;
	}
}

static void
stop(xmlParserCtxtPtr ctxt, struct parse *p, int line, const char *element,
     const char *msg)
{
	cib__diag_at(p->u->diags, true, p->u->cib->file, line, element, "%s",
		     msg);
	p->rc = -FO_ESYNTAX;
	p->lx->xmlStopParser(ctxt);
}

/* One element below <status>, @rel levels deep (node_state is 1);
 * false when reading must stop (the error is recorded). */
static bool
status_start(struct parse *p, const char *const *names, const char *name,
	     int line, int rel, const struct cib_xattr *attrs, int n)
{
	struct cib_status_event ev = {names,	     p->u->cib, p->u->diags,
				      &p->u->errors, name,	line,
				      attrs,	     n,		p->xml};
	enum spos parent = rel - 1 < SP_DEPTH ? p->pos[rel - 1] : SP_OTHER;
	enum spos me = SP_OTHER;

	if (rel == 1 && strcmp(name, "node_state") == 0) {
		if (!p->seen_cfg) {
			cib__diag_at(p->u->diags, true, p->u->cib->file, line,
				     name,
				     "the status section comes before the "
				     "configuration");
			p->rc = -FO_ESYNTAX;
			return false;
		}
		p->node = cib__status_node(&ev);
		me = SP_NODE;
	} else if (p->node == NULL || rel > SP_LRM_RSC) {
		/* an ignored node_state, or nothing we read */
	} else if (parent == SP_NODE) {
		if (strcmp(name, "transient_attributes") == 0)
			me = SP_TRANSIENT;
		else if (strcmp(name, "lrm") == 0)
			me = SP_LRM;
	} else if (parent == SP_TRANSIENT) {
		if (strcmp(name, "instance_attributes") == 0)
			me = SP_IATTRS;
	} else if (parent == SP_IATTRS) {
		if (strcmp(name, "nvpair") == 0)
			cib__status_nvpair(&ev, p->node);
	} else if (parent == SP_LRM) {
		if (strcmp(name, "lrm_resources") == 0)
			me = SP_LRM_RSCS;
	} else if (parent == SP_LRM_RSCS) {
		if (strcmp(name, "lrm_resource") == 0) {
			p->rsc = cib__status_rsc(&ev, p->node);
			me = SP_LRM_RSC;
		}
	} else if (parent == SP_LRM_RSC && p->rsc != NULL) {
		if (strcmp(name, "lrm_rsc_op") == 0)
			cib__status_op(&ev, p->rsc);
	}
	if (rel < SP_DEPTH)
		p->pos[rel] = me;
	return true;
}

/* The end of an element @rel (> 0) levels below <status>. */
static void
status_end(struct parse *p, int rel)
{
	if (rel < SP_DEPTH && p->pos[rel] == SP_LRM_RSC) {
		if (p->rsc != NULL)
			cib__status_rsc_end(p->rsc);
		p->rsc = NULL;
	} else if (rel == 1) {
		p->node = NULL;
	}
}

/* @v (@len bytes) with libxml2's "&#38;" back to "&": SAX2 hands '&'
 * in attribute values over that way, for the tree builder to decode. */
static const char *
sax_amp(struct parse *p, const char *v, size_t *len)
{
	GString *s = g_string_sized_new(*len);
	const char *end = v + *len, *q;

	while ((q = g_strstr_len(v, end - v, "&#38;")) != NULL) {
		g_string_append_len(s, v, q - v);
		g_string_append_c(s, '&');
		v = q + 5;
	}
	g_string_append_len(s, v, end - v);
	*len = s->len;
	if (p->decoded == NULL)
		p->decoded = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(p->decoded, s->str);
	return g_string_free(s, FALSE);
}

/* libxml2's SAX2 attributes (5 pointers each) as struct cib_xattr. */
static const struct cib_xattr *
sax_attrs(struct parse *p, int n, const xmlChar **attrs)
{
	int i;

	if (p->decoded != NULL)
		g_ptr_array_set_size(p->decoded, 0);
	if (n > p->attrs_cap) {
		p->attrs_cap = n;
		p->attrs = g_renew(struct cib_xattr, p->attrs, n);
	}
	for (i = 0; i < n; i++) {
		p->attrs[i].name = (const char *)attrs[5 * i];
		p->attrs[i].value = (const char *)attrs[5 * i + 3];
		p->attrs[i].len = (size_t)(attrs[5 * i + 4] - attrs[5 * i + 3]);
		p->attrs[i].tag =
			(int)cib__status_kind(p->names, p->attrs[i].name);
		if (memchr(p->attrs[i].value, '&', p->attrs[i].len) != NULL)
			p->attrs[i].value =
				sax_amp(p, p->attrs[i].value, &p->attrs[i].len);
	}
	return p->attrs;
}

static void
sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
	  const xmlChar *uri, int nb_ns, const xmlChar **ns, int nb_attrs,
	  int nb_defaulted, const xmlChar **attrs)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse *p = ctxt->_private;
	const char *name = (const char *)localname;
	int depth = ++p->depth;

	if (p->status_depth >= 0) {
		if (!status_start(p, p->names, name,
				  p->lx->xmlSAX2GetLineNumber(ctxt),
				  depth - p->status_depth,
				  sax_attrs(p, nb_attrs, attrs), nb_attrs))
			p->lx->xmlStopParser(ctxt);
		return;
	}
	if (depth == 0 && strcmp(name, "cib") != 0) {
		char *m = g_strdup_printf("the document element is <%s>, "
					  "not <cib>: this is not a CIB",
					  name);

		stop(ctxt, p, p->lx->xmlSAX2GetLineNumber(ctxt), NULL, m);
		g_free(m);
		return;
	}
	if (depth == 1 && strcmp(name, "status") == 0) {
		p->status_depth = depth; /* kept out of the tree */
		p->pos[0] = SP_OTHER;
		return;
	}
	p->lx->xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_ns, ns,
				     nb_attrs, nb_defaulted, attrs);
	if (depth == 0 && ctxt->node != NULL) {
		struct cib_etree t;

		p->seen_root = true;
		cib__etree_init(&t);
		unpack_root(p->u, cib__etree_copy(&t, ctxt->node, false));
		cib__etree_clear(&t);
	}
}

static void
sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
	const xmlChar *uri)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse *p = ctxt->_private;
	int depth = p->depth--;
	xmlNodePtr cfg;

	if (p->status_depth >= 0) {
		int rel = depth - p->status_depth;

		if (rel == 0)
			p->status_depth = -1;
		else
			status_end(p, rel);
		return;
	}
	cfg = ctxt->node;
	p->lx->xmlSAX2EndElementNs(ctx, localname, prefix, uri);
	if (depth == 1 && cfg != NULL &&
	    strcmp((const char *)localname, "configuration") == 0) {
		struct cib_etree t;

		p->seen_cfg = true;
		cib__etree_init(&t);
		unpack_configuration(p->u, cib__etree_copy(&t, cfg, true));
		cib__etree_clear(&t);
	}
}

/* Text, CDATA and comments inside <status> mean nothing: dropped. Outside
 * it they go into the tree, through the functions this returns (NULL
 * inside). */
static const struct cib_lx *
tree_lx(void *ctx)
{
	const struct parse *p = ((xmlParserCtxtPtr)ctx)->_private;

	return p->status_depth >= 0 ? NULL : p->lx;
}

static void
sax_text(void *ctx, const xmlChar *ch, int len)
{
	const struct cib_lx *lx = tree_lx(ctx);

	if (lx != NULL)
		lx->xmlSAX2Characters(ctx, ch, len);
}

static void
sax_cdata(void *ctx, const xmlChar *ch, int len)
{
	const struct cib_lx *lx = tree_lx(ctx);

	if (lx != NULL)
		lx->xmlSAX2CDataBlock(ctx, ch, len);
}

static void
sax_comment(void *ctx, const xmlChar *text)
{
	const struct cib_lx *lx = tree_lx(ctx);

	if (lx != NULL)
		lx->xmlSAX2Comment(ctx, text);
}

static void
sax_error(void *ctx, xmlErrorPtr err)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse *p = ctxt->_private;
	struct unpack *u = p->u;
	char *m;

	if (err->level != XML_ERR_ERROR && err->level != XML_ERR_FATAL)
		return;
	u->errors++;
	if (u->diags == NULL || u->diags->len > 20)
		return;
	m = g_strchomp(g_strdup(err->message != NULL ? err->message : "?"));
	cib__diag_at(u->diags, true, u->cib->file, err->line, NULL,
		     "XML syntax: %s", m);
	g_free(m);
}

/* After both sections: resolve lrm histories to resources. */
void cib__resolve_status(struct cib *cib);

/* @ctx: the parser context, whose _private is the struct parse */
static const char *
dict_intern(void *ctx, const char *name, int kind)
{
	xmlParserCtxtPtr ctxt = ctx;
	const struct parse *p = ctxt->_private;

	(void)kind;
	return (const char *)p->lx->xmlDictLookup(ctxt->dict,
						  (const xmlChar *)name, -1);
}

static const char *
xml_intern(void *ctx, const char *name, int kind)
{
	return cib__xml_tag(ctx, name, kind);
}

/* @p, a new parse into a new CIB named @name. */
static void
unpack_begin(struct parse *p, struct unpack *u, const char *name,
	     GPtrArray *diags)
{
	u->cib = cib__new(name);
	u->diags = diags;
	u->ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	p->u = u;
	p->depth = -1;
	p->status_depth = -1;
}

/* Point @ctxt's SAX2 handlers at @p, a new parse into a new CIB, with
 * libxml2's functions @lx. */
static void
parse_begin(const struct cib_lx *lx, xmlParserCtxtPtr ctxt, struct parse *p,
	    struct unpack *u, const char *name, GPtrArray *diags)
{
	xmlSAXHandlerPtr sax = ctxt->sax;

	unpack_begin(p, u, name, diags);
	p->lx = lx;
	ctxt->_private = p;
	cib__status_names(p->names, dict_intern, ctxt);
	sax->initialized = XML_SAX2_MAGIC;
	sax->startElementNs = sax_start;
	sax->endElementNs = sax_end;
	sax->characters = sax_text;
	sax->cdataBlock = sax_cdata;
	sax->comment = sax_comment;
	sax->serror = sax_error;
}

/* Decide, after reading (@ret < 0: not well-formed): the CIB in *@out,
 * or an error. */
static int
unpack_end(struct parse *p, int ret, const char *name, GPtrArray *diags,
	   struct cib **out)
{
	struct unpack *u = p->u;
	int rc = 0;

	g_hash_table_destroy(u->ids);
	g_free(p->attrs);
	if (p->decoded != NULL)
		g_ptr_array_free(p->decoded, TRUE);
	if (p->rc != 0) {
		rc = p->rc;
	} else if (ret < 0 || u->errors > 0) {
		if (ret < 0 && (diags == NULL || diags->len == 0))
			cib__diag(diags, true, name, NULL,
				  "not well-formed XML");
		rc = ret < 0 ? -FO_ESYNTAX : -FO_EINVAL;
	} else if (!p->seen_root) {
		cib__diag(diags, true, name, NULL, "empty document: not a CIB");
		rc = -FO_ESYNTAX;
	} else if (!p->seen_cfg) {
		cib__diag(diags, true, name, NULL,
			  "the CIB has no <configuration> section");
		rc = -FO_ESYNTAX;
	}
	if (rc != 0) {
		cib_free(u->cib);
		return rc;
	}
	cib__resolve_status(u->cib);
	*out = u->cib;
	return 0;
}

/* Free @ctxt and decide: the CIB in *@out, or an error. */
static int
parse_end(xmlParserCtxtPtr ctxt, struct parse *p, int ret, const char *name,
	  GPtrArray *diags, struct cib **out)
{
	const struct cib_lx *lx = p->lx;

	if (!ctxt->wellFormed)
		ret = -1;
	lx->xmlFreeDoc(ctxt->myDoc);
	ctxt->myDoc = NULL;
	lx->xmlFreeParserCtxt(ctxt);
	return unpack_end(p, ret, name, diags, out);
}

/* The whole document through libxml2 (the status section with SAX2),
 * from @ctxt made with @lx's functions. */
static int
load(const struct cib_lx *lx, xmlParserCtxtPtr ctxt, const char *name,
     GPtrArray *diags, struct cib **out)
{
	struct unpack u = {0};
	struct parse p = {0};

	*out = NULL;
	if (ctxt == NULL || ctxt->sax == NULL) {
		cib__diag(diags, true, name, NULL, "cannot read the file");
		lx->xmlFreeParserCtxt(ctxt);
		return -EIO;
	}
	parse_begin(lx, ctxt, &p, &u, name, diags);
	return parse_end(ctxt, &p, lx->xmlParseDocument(ctxt), name, diags,
			 out);
}

/* libxml2's functions, or NULL with the reason in @diags. */
static const struct cib_lx *
need_lx(const char *name, GPtrArray *diags)
{
	const char *why = NULL;
	const struct cib_lx *lx = cib__lx(&why);

	if (lx == NULL)
		cib__diag(diags, true, name, NULL, "%s", why);
	return lx;
}

/* After the tag at @p ('<'): its '>', NULL if it has none. */
static const char *
tag_end(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '"' || *p == '\'') {
			p = memchr(p + 1, *p, (size_t)(end - p - 1));
			if (p == NULL)
				return NULL;
		} else if (*p == '>') {
			return p;
		}
	}
	return NULL;
}

/* "<?xml ...?>" says UTF-8 (or nothing) about its encoding. */
static bool
decl_utf8(const char *p, const char *end)
{
	const char *e = g_strstr_len(p, end - p, "encoding");
	const char *q;

	if (e == NULL)
		return true;
	for (q = e + 8; q < end && (*q == ' ' || *q == '=' || *q == '\n' ||
				    *q == '\t' || *q == '\r');
	     q++)
		;
	if (q >= end || (*q != '"' && *q != '\''))
		return false;
	return end - q > 6 && (g_ascii_strncasecmp(q + 1, "UTF-8", 5) == 0) &&
	       q[6] == *q;
}

/*
 * Where the content of <status> starts: just after "<status ...>", the
 * root's child, found by a light scan of the tags before it (libxml2
 * checks them). False when there is none, or for anything the tokenizer
 * of the status section leaves to libxml2: a compressed file, a byte
 * order mark, an encoding other than UTF-8, a DTD.
 */
static bool
find_status(const char *buf, size_t len, size_t *start)
{
	const char *p = buf, *end = buf + len, *lt, *gt;
	int depth = 0;

	if (len < 8 || buf[0] != '<')
		return false;
	if (memcmp(buf, "<?xml", 5) == 0) {
		gt = g_strstr_len(buf, (gssize)len, "?>");
		if (gt == NULL || !decl_utf8(buf, gt))
			return false;
		p = gt + 2;
	}
	while ((lt = memchr(p, '<', (size_t)(end - p))) != NULL) {
		const char *name = lt + 1, *ne, *close;

		if (end - lt >= 4 && memcmp(lt, "<!--", 4) == 0) {
			close = g_strstr_len(lt + 4, end - lt - 4, "-->");
			if (close == NULL)
				return false;
			p = close + 3;
			continue;
		}
		if (end - lt >= 9 && memcmp(lt, "<![CDATA[", 9) == 0) {
			close = g_strstr_len(lt + 9, end - lt - 9, "]]>");
			if (close == NULL)
				return false;
			p = close + 3;
			continue;
		}
		if (end - lt >= 2 && lt[1] == '?') {
			close = g_strstr_len(lt + 2, end - lt - 2, "?>");
			if (close == NULL)
				return false;
			p = close + 2;
			continue;
		}
		if (end - lt < 2 || lt[1] == '!' ||
		    (gt = tag_end(lt, end)) == NULL)
			return false;
		p = gt + 1;
		if (lt[1] == '/') {
			if (--depth <= 0)
				return false; /* the root ended: no status */
			continue;
		}
		for (ne = name; ne < gt && strchr(" \t\r\n/", *ne) == NULL;
		     ne++)
			;
		if (depth == 1 && ne - name == 6 &&
		    memcmp(name, "status", 6) == 0)
			return gt[-1] != '/' &&
			       (*start = (size_t)(p - buf), true);
		if (gt[-1] != '/')
			depth++;
	}
	return false;
}

/* Hand the bytes before @upto back to the system when many are read:
 * a 90 MB status section is not kept mapped whole. */
static void
release_read(const char *buf, const char *upto, const char **released)
{
	uintptr_t page = 4096, from = (uintptr_t)*released;
	uintptr_t to = (uintptr_t)upto & ~(page - 1);

	if (to <= from || to - from < (8u << 20))
		return;
	from = (from + page - 1) & ~(page - 1);
	if (from < (uintptr_t)buf)
		return;
	(void)madvise((void *)from, to - from, MADV_DONTNEED);
	*released = (const char *)to;
}

/* The content of <status> (from @start, on @line) through cib_xml.c;
 * the offset of its end tag in *@done_at, the newlines before it in
 * *@lines. False when reading stopped (recorded). */
static bool
read_status(struct parse *p, const char *buf, size_t len, size_t start,
	    int line, bool release, size_t *done_at, int *lines)
{
	struct cib_xml x;
	const char *released = buf;
	bool ok = true;

	cib__xml_init(&x, buf, len, start, line, "status");
	cib__status_names(p->xnames, xml_intern, &x);
	p->xml = &x;
	for (;;) {
		enum cib_xml_event ev = cib__xml_next(&x);

		if (ev == CIB_XML_START) {
			if (!status_start(p, p->xnames, x.name, x.line, x.depth,
					  x.attrs, x.n_attrs)) {
				ok = false;
				break;
			}
		} else if (ev == CIB_XML_END) {
			status_end(p, x.depth);
			if (release && x.depth == 1)
				release_read(buf, x.lpos, &released);
		} else if (ev == CIB_XML_DONE) {
			*done_at = x.done_at;
			*lines = x.line - line; /* not counted again: the
						 * pages may be released */
			break;
		} else {
			cib__diag_at(p->u->diags, true, p->u->cib->file, x.line,
				     x.name, "XML syntax: %s", x.error);
			p->rc = -FO_ESYNTAX;
			ok = false;
			break;
		}
	}
	p->xml = NULL;
	cib__xml_clear(&x);
	return ok;
}

/*
 * Whether [@p, @end) is ASCII, 8 bytes at a time. Outside <status>,
 * load_fast() takes nothing else: libxml2 checks non-ASCII names against
 * XML's name characters (the tokenizer takes any UTF-8 there), so such
 * documents go the old way and read exactly as they did.
 */
static bool
plain_text(const char *p, const char *end)
{
	const guint64 highs = 0x8080808080808080ULL;
	guint64 w;

	for (; end - p >= 8; p += 8) {
		memcpy(&w, p, 8);
		if (w & highs)
			return false;
	}
	for (; p < end; p++)
		if (*p & 0x80)
			return false;
	return true;
}

/* load_fast()'s reading, and what it does after an event. */
struct fast {
	struct parse p;
	struct unpack u;
	struct cib_xml x; /* the whole document */
	const char *buf;
	size_t len;
	bool release;
	struct cib_etree t;   /* the root, and each <configuration> */
	struct cib_elem *cfg; /* the configuration being read, or NULL */
	size_t checked;	      /* plain_text() up to here */
	int n_status;	      /* <status> elements with content */
};

enum fast_step {
	FAST_ON,      /* go on reading */
	FAST_STOP,    /* stopped in <status>, error recorded */
	FAST_FALLBACK /* leave the document to libxml2 */
};

/*
 * The content of a <status> (its START just read): read by its own
 * tokenizer as before the document mode existed, so its events and
 * messages are those of read_status(); the document's tokenizer goes on
 * at </status>.
 */
static enum fast_step
fast_status(struct fast *f)
{
	size_t at, done_at = 0;
	int line, lines = 0;
	bool empty;

	at = cib__xml_here(&f->x, &line, &empty);
	if (empty)
		return FAST_ON; /* <status/>: nothing to read */
	if (!plain_text(f->buf + f->checked, f->buf + at))
		return FAST_FALLBACK;
	f->n_status++;
	if (read_status(&f->p, f->buf, f->len, at, line, f->release, &done_at,
			&lines)) {
		cib__xml_resume(&f->x, done_at, line + lines);
		f->checked = done_at;
		return FAST_ON;
	}
	/* libxml2 read every <status> after the first one before the
	 * document mode: their errors stay libxml2's */
	return f->n_status == 1 ? FAST_STOP : FAST_FALLBACK;
}

static enum fast_step
fast_start(struct fast *f)
{
	const struct cib_xml *x = &f->x;

	if (f->cfg != NULL) {
		cib__etree_start(&f->t, x->name, x->line, x->attrs, x->n_attrs);
		return FAST_ON;
	}
	if (x->depth == 1) {
		if (strcmp(x->name, "cib") != 0)
			return FAST_FALLBACK; /* its message is libxml2 path's
					       */
		f->p.seen_root = true;
		unpack_root(&f->u, cib__etree_start(&f->t, x->name, x->line,
						    x->attrs, x->n_attrs));
		return FAST_ON;
	}
	if (x->depth != 2)
		return FAST_ON; /* in another child of the root: not read */
	if (strcmp(x->name, "configuration") == 0) {
		f->cfg = cib__etree_start(&f->t, x->name, x->line, x->attrs,
					  x->n_attrs);
		return FAST_ON;
	}
	if (strcmp(x->name, "status") == 0)
		return fast_status(f);
	return FAST_ON;
}

static enum fast_step
fast_end(struct fast *f)
{
	struct cib_elem *cfg = f->cfg;
	size_t here;

	if (cfg == NULL)
		return FAST_ON;
	cib__etree_end(&f->t);
	if (f->x.depth > 2)
		return FAST_ON;
	f->cfg = NULL;
	here = cib__xml_here(&f->x, NULL, NULL);
	if (!plain_text(f->buf + f->checked, f->buf + here))
		return FAST_FALLBACK;
	f->checked = here;
	f->p.seen_cfg = true;
	unpack_configuration(&f->u, cfg);
	return FAST_ON;
}

/*
 * A document in memory, read by cib_xml.c alone (no libxml2 call): the
 * root's attributes, each <configuration> as a light tree unpacked at
 * its end, the content of each <status> through status_start() and
 * status_end(), and the rest checked and skipped, as load() does. 1 when
 * the document is left to load_mixed() and load(): anything the
 * tokenizer refuses outside <status> (a byte order mark, another
 * encoding, a DTD, namespaces, a compressed file, or an error, which
 * libxml2 then reports as before), or that is not plain_text().
 */
static int
load_fast(const char *buf, size_t len, const char *name, bool release,
	  GPtrArray *diags, struct cib **out)
{
	struct fast f = {0};
	guint first = diags != NULL ? diags->len : 0;
	enum fast_step step = FAST_ON;

	*out = NULL;
	if (buf == NULL || len == 0 || len > INT32_MAX)
		return 1;
	f.buf = buf;
	f.len = len;
	f.release = release;
	unpack_begin(&f.p, &f.u, name, diags);
	cib__xml_init_doc(&f.x, buf, len);
	cib__etree_init(&f.t);
	while (step == FAST_ON) {
		enum cib_xml_event ev = cib__xml_next(&f.x);

		if (ev == CIB_XML_START)
			step = fast_start(&f);
		else if (ev == CIB_XML_END)
			step = fast_end(&f);
		else if (ev == CIB_XML_DONE)
			break;
		else
			step = FAST_FALLBACK;
	}
	if (step == FAST_ON && !plain_text(buf + f.checked, buf + len))
		step = FAST_FALLBACK;
	cib__etree_clear(&f.t);
	cib__xml_clear(&f.x);
	if (step == FAST_FALLBACK) {
		/* what was read is dropped, diagnostics included */
		f.p.rc = -FO_ESYNTAX;
		unpack_end(&f.p, -1, name, NULL, out);
		if (diags != NULL)
			g_ptr_array_set_size(diags, first);
		return 1;
	}
	return unpack_end(&f.p, 0, name, diags, out);
}

/*
 * A document in memory that load_fast() refused: libxml2 reads what
 * comes before the status section's content (the configuration: a tree,
 * validated), cib_xml.c the content, libxml2 the rest, with its line
 * count moved past the part it did not see. This was the fast path
 * before load_fast(); it stays so that a malformed configuration gets
 * the very diagnostics it got then (libxml2's push parser words them
 * differently from load()). 1 when the document is left to load().
 */
static int
load_mixed(const struct cib_lx *lx, const char *buf, size_t len,
	   const char *name, bool release, GPtrArray *diags, struct cib **out)
{
	struct unpack u = {0};
	struct parse p = {0};
	xmlParserCtxtPtr ctxt;
	size_t start, done_at = 0;
	int lines = 0;
	guint first = diags != NULL ? diags->len : 0;

	*out = NULL;
	if (len > INT32_MAX || !find_status(buf, len, &start))
		return 1;
	ctxt = lx->xmlCreatePushParserCtxt(NULL, NULL, NULL, 0, name);
	if (ctxt == NULL || ctxt->sax == NULL) {
		lx->xmlFreeParserCtxt(ctxt);
		return 1;
	}
	lx->xmlCtxtUseOptions(ctxt, PARSE_OPTIONS);
	parse_begin(lx, ctxt, &p, &u, name, diags);
	lx->xmlParseChunk(ctxt, buf, (int)start, 0);
	if (ctxt->wellFormed && p.rc == 0 && p.status_depth != 1) {
		/* libxml2 did not reach <status> where the scan saw it */
		p.rc = -FO_ESYNTAX;
		parse_end(ctxt, &p, -1, name, NULL, out);
		if (diags != NULL)
			g_ptr_array_set_size(diags, first);
		return 1;
	}
	if (ctxt->wellFormed && p.rc == 0 &&
	    read_status(&p, buf, len, start, 1 + cib__xml_lines(buf, start),
			release, &done_at, &lines)) {
		ctxt->input->line += lines;
		lx->xmlParseChunk(ctxt, buf + done_at, (int)(len - done_at), 1);
	}
	return parse_end(ctxt, &p, 0, name, diags, out);
}

int
cib_load_file(const char *path, GPtrArray *diags, struct cib **out)
{
	FILE *f = fopen(path, "r");
	const struct cib_lx *lx = NULL;
	GMappedFile *m;
	int rc;

	if (f == NULL) {
		int e = errno;

		cib__diag(diags, true, path, NULL, "cannot open: %s",
			  g_strerror(e));
		*out = NULL;
		return -e;
	}
	fclose(f);
	m = g_mapped_file_new(path, FALSE, NULL);
	if (m != NULL) {
		const char *buf = g_mapped_file_get_contents(m);
		size_t len = g_mapped_file_get_length(m);

		rc = load_fast(buf, len, path, true, diags, out);
		if (rc == 1) {
			/* *out is NULL */
			lx = need_lx(path, diags);
			rc = lx == NULL ? -ENOSYS
					: load_mixed(lx, buf, len, path, true,
						     diags, out);
		}
		g_mapped_file_unref(m);
		if (rc != 1)
			return rc;
	} else if ((lx = need_lx(path, diags)) == NULL) {
		*out = NULL;
		return -ENOSYS;
	}
	/* libxml2 reads it: it also opens compressed files */
	return load(lx, lx->xmlCreateURLParserCtxt(path, PARSE_OPTIONS), path,
		    diags, out);
}

int
cib_load_memory(const char *buf, size_t len, const char *name, GPtrArray *diags,
		struct cib **out)
{
	const struct cib_lx *lx;
	xmlParserCtxtPtr ctxt;
	int rc;

	if (len > INT32_MAX) {
		*out = NULL;
		return -FO_EINVAL;
	}
	rc = load_fast(buf, len, name, false, diags, out);
	if (rc != 1)
		return rc;
	if ((lx = need_lx(name, diags)) == NULL) {
		*out = NULL;
		return -ENOSYS;
	}
	rc = load_mixed(lx, buf, len, name, false, diags, out);
	if (rc != 1)
		return rc;
	ctxt = lx->xmlCreateMemoryParserCtxt(buf, (int)len);
	if (ctxt != NULL)
		lx->xmlCtxtUseOptions(ctxt, PARSE_OPTIONS);
	return load(lx, ctxt, name, diags, out);
}
