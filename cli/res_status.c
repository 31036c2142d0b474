/*
 * res_status.c - fo-res status, locate and failcount: the cluster as the
 * policy engine sees it, for people (crm_mon's layout) and scripts (XML,
 * JSON).
 *
 * In: a CIB model (lib/cib) and what fo-crmd said about itself
 * (struct rs_info). Out: text appended to a GString. Facts are taken once
 * per resource from the derived state (cib_history_derive()) and written
 * by one set of functions through a small emitter that builds either an
 * XML tree or a JSON object, so both formats always hold the same facts.
 * Nothing here talks to the daemon, reads the clock or prints.
 */
#include <string.h>
#include <time.h>

#include "res_status.h"
#include "fo/common.h"
#include "fo/exec.h"
#include "fo/xmlutil.h"

/* ---- an emitter: one call sequence, XML or JSON ---- */

/*
 * In XML, objects are elements, scalars attributes, and a list is a
 * container element (<nodes>) only at the top of the document; deeper
 * lists (a group's resources, a clone's instances) are the items
 * themselves, as crm_mon nests them. In JSON, lists are arrays and keys
 * use '_' where the XML names use '-'.
 */
struct emit_frame {
	bool list;    /* an array / a list (else an object) */
	bool typed;   /* JSON: items carry "type": their element name */
	bool element; /* XML: the frame opened an element */
	int n;	      /* JSON: members written so far */
};

struct emit {
	enum cli_format fmt;
	xmlNodePtr cur; /* XML: the open element */
	GString *js;	/* JSON */
	GArray *stack;	/* struct emit_frame */
};

static struct emit_frame *
emit_top(struct emit *e)
{
	return &g_array_index(e->stack, struct emit_frame, e->stack->len - 1);
}

/* JSON: the separator and "key": of the next member. */
static void
emit_key(struct emit *e, const char *key)
{
	struct emit_frame *f = emit_top(e);

	if (f->n++ > 0)
		g_string_append_c(e->js, ',');
	if (f->list)
		return;
	g_string_append_c(e->js, '"');
	for (const char *p = key; *p; p++)
		g_string_append_c(e->js, *p == '-' ? '_' : *p);
	g_string_append(e->js, "\":");
}

static void
emit_push(struct emit *e, bool list, bool typed, bool element)
{
	struct emit_frame f = {list, typed, element, 0};

	g_array_append_val(e->stack, f);
}

static void
emit_begin(struct emit *e, enum cli_format fmt, const char *root)
{
	memset(e, 0, sizeof(*e));
	e->fmt = fmt;
	e->stack = g_array_new(FALSE, FALSE, sizeof(struct emit_frame));
	emit_push(e, false, false, true);
	if (fmt == CLI_FMT_XML)
		e->cur = xmlNewNode(NULL, XC(root));
	else
		e->js = g_string_new("{");
}

/* Finish the document and append it to @out. */
static void
emit_finish(struct emit *e, GString *out)
{
	g_array_free(e->stack, TRUE);
	if (e->fmt == CLI_FMT_XML) {
		xmlDocPtr doc = xmlNewDoc(XC("1.0"));
		xmlChar *text = NULL;
		int len = 0;

		xmlDocSetRootElement(doc, e->cur);
		xmlDocDumpFormatMemoryEnc(doc, &text, &len, "UTF-8", 1);
		g_string_append_len(out, (const char *)text, len);
		xmlFree(text);
		xmlFreeDoc(doc);
		return;
	}
	g_string_append(e->js, "}\n");
	g_string_append_len(out, e->js->str, (gssize)e->js->len);
	g_string_free(e->js, TRUE);
}

/* An object: a child element, or a JSON object (a member or an item). */
static void
emit_obj(struct emit *e, const char *name)
{
	bool typed = emit_top(e)->list && emit_top(e)->typed;

	if (e->fmt == CLI_FMT_XML) {
		e->cur = xmlNewChild(e->cur, NULL, XC(name), NULL);
		emit_push(e, false, false, true);
		return;
	}
	emit_key(e, name);
	g_string_append_c(e->js, '{');
	emit_push(e, false, false, false);
	if (typed) {
		emit_key(e, "type");
		cli_json_string(e->js, name);
	}
}

/* A list: <name> at the top of an XML document, else nothing; a JSON
 * array (@typed: see struct emit_frame). */
static void
emit_list(struct emit *e, const char *name, bool typed)
{
	bool element = e->fmt == CLI_FMT_XML && e->stack->len == 1;

	if (element)
		e->cur = xmlNewChild(e->cur, NULL, XC(name), NULL);
	if (e->fmt == CLI_FMT_JSON) {
		emit_key(e, name);
		g_string_append_c(e->js, '[');
	}
	emit_push(e, true, typed, element);
}

static void
emit_end(struct emit *e)
{
	const struct emit_frame *f = emit_top(e);

	if (e->fmt == CLI_FMT_XML && f->element)
		e->cur = e->cur->parent;
	else if (e->fmt == CLI_FMT_JSON)
		g_string_append_c(e->js, f->list ? ']' : '}');
	g_array_set_size(e->stack, e->stack->len - 1);
}

static void
emit_str(struct emit *e, const char *key, const char *v)
{
	if (v == NULL)
		return;
	if (e->fmt == CLI_FMT_XML) {
		xmlNewProp(e->cur, XC(key), XC(v));
		return;
	}
	emit_key(e, key);
	cli_json_string(e->js, v);
}

static void
emit_int(struct emit *e, const char *key, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	if (e->fmt == CLI_FMT_XML) {
		xmlNewProp(e->cur, XC(key), XC(buf));
		return;
	}
	emit_key(e, key);
	g_string_append(e->js, buf);
}

static void
emit_bool(struct emit *e, const char *key, bool v)
{
	if (e->fmt == CLI_FMT_XML) {
		xmlNewProp(e->cur, XC(key), XC(v ? "true" : "false"));
		return;
	}
	emit_key(e, key);
	g_string_append(e->js, v ? "true" : "false");
}

/* Names: XML <@item name="..."/> children, JSON "@key": ["...", ...]. */
static void
emit_names(struct emit *e, const char *key, const char *item, GPtrArray *v)
{
	if (e->fmt == CLI_FMT_JSON) {
		emit_list(e, key, false);
		for (guint i = 0; i < v->len; i++) {
			emit_key(e, "");
			cli_json_string(e->js, v->pdata[i]);
		}
		emit_end(e);
		return;
	}
	for (guint i = 0; i < v->len; i++) {
		xmlNodePtr n = xmlNewChild(e->cur, NULL, XC(item), NULL);

		xmlNewProp(n, XC("name"), XC(v->pdata[i]));
	}
}

/* ---- facts ---- */

/* What one primitive (or clone instance) is doing, over all nodes. */
struct prim_facts {
	enum cib_role role; /* the highest active role, or Stopped */
	bool failed, pending, ignored, blocked, managed, disabled;
	GPtrArray *nodes; /* node names where it is active, doc order */
};

static void
prim_facts(const struct cib *cib, const struct cib_rsc *r, struct prim_facts *f)
{
	GPtrArray *st = cib->states[r->idx];

	memset(f, 0, sizeof(*f));
	f->role = CIB_ROLE_STOPPED;
	f->nodes = g_ptr_array_new();
	/* stop-orphan-resources=false leaves orphans alone, but not the
	 * surplus instances of a clone */
	f->managed = r->managed &&
		     !(r->orphan && !cib->stop_orphans && r->tmpl == NULL);
	f->disabled = r->target_role == CIB_ROLE_STOPPED;
	for (guint i = 0; st != NULL && i < st->len; i++) {
		const struct cib_rsc_state *s = st->pdata[i];

		if (s->failure_ignored)
			f->ignored = true;
		if (s->role <= CIB_ROLE_STOPPED)
			continue;
		g_ptr_array_add(f->nodes, s->node->uname);
		if (s->role > f->role)
			f->role = s->role;
		f->failed |= s->failed;
		f->pending |= s->pending;
		if (s->block)
			f->blocked = true;
		if (s->block || s->node->maintenance)
			f->managed = false;
	}
	if (f->nodes->len > 1 && g_strcmp0(r->multiple_active, "block") == 0)
		f->blocked = true;
	if (f->blocked)
		f->managed = false;
}

static void
prim_facts_clear(struct prim_facts *f)
{
	g_ptr_array_free(f->nodes, TRUE);
}

/* One healthy, located instance: shown in a clone's "Started: [ ]". */
static bool
prim_healthy(const struct prim_facts *f)
{
	return f->nodes->len == 1 && !f->failed && !f->pending && !f->ignored &&
	       f->managed;
}

static char *
agent_text(const struct cib_rsc *r)
{
	if (r->cls == NULL)
		return g_strdup("unknown");
	if (r->provider != NULL)
		return g_strdup_printf("%s:%s:%s", r->cls, r->provider,
				       r->type);
	return g_strdup_printf("%s:%s", r->cls, r->type ? r->type : "");
}

/* The id people know: a clone instance is named after its primitive
 * (not a copy: the model's string). */
static char *
shown_id(const struct cib_rsc *r)
{
	return r->tmpl != NULL ? r->tmpl->id : r->id;
}

/* Configured primitives and clone instances, as crm_mon counts them. */
static void
count_resources(const struct cib *cib, int *total, int *disabled, int *blocked)
{
	*total = *disabled = *blocked = 0;
	for (guint i = 0; i < cib->all->len; i++) {
		const struct cib_rsc *r = cib->all->pdata[i];
		struct prim_facts f;

		if (r->kind != CIB_PRIMITIVE || r->orphan ||
		    r->clone_of != NULL)
			continue;
		(*total)++;
		prim_facts(cib, r, &f);
		if (f.disabled)
			(*disabled)++;
		if (f.blocked)
			(*blocked)++;
		prim_facts_clear(&f);
	}
}

/* "Mon Jul 15 10:03:32 2013" (local time, as crm_mon prints it). */
static char *
time_text(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[64];

	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Y", &tm) == 0)
		return g_strdup_printf("%lld", (long long)t);
	return g_strdup(buf);
}

/* "2013-07-15T10:03:32Z" for scripts; NULL for an unknown time (0). */
static char *
time_iso(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[32];

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL)
		return NULL;
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return g_strdup(buf);
}

const char *
rs_op_status_text(int status)
{
	static const char *const names[] = {
		"complete", "Cancelled",  "Timed Out",	 "NOT SUPPORTED",
		"Error",    "Hard error", "Fatal error", "NOT INSTALLED",
	};

	if (status == CIB_EXEC_PENDING)
		return "pending";
	if (status >= 0 && status < (int)G_N_ELEMENTS(names))
		return names[status];
	return "unknown";
}

/* An interval as people write it: "15s", "1m30s", "500ms". */
static char *
interval_text(uint64_t ms)
{
	GString *s = g_string_new(NULL);
	uint64_t sec = ms / 1000;

	if (ms % 1000 != 0)
		g_string_printf(s, "%" G_GUINT64_FORMAT "ms", ms);
	else {
		if (sec >= 3600)
			g_string_append_printf(s, "%" G_GUINT64_FORMAT "h",
					       sec / 3600);
		if (sec % 3600 >= 60)
			g_string_append_printf(s, "%" G_GUINT64_FORMAT "m",
					       sec % 3600 / 60);
		if (sec % 60 != 0)
			g_string_append_printf(s, "%" G_GUINT64_FORMAT "s",
					       sec % 60);
	}
	return g_string_free(s, FALSE);
}

/* One failed operation, as crm_mon's "Failed Resource Actions" lists. */
struct failure {
	const struct cib_node *node;
	const struct cib_rsc *rsc;
	const struct cib_lrm_rsc *lrm;
	const struct cib_lrm_op *op;
};

/* The state derived from history @l, or NULL when it was not read. */
static const struct cib_rsc_state *
lrm_state(const struct cib *cib, const struct cib_lrm_rsc *l)
{
	GPtrArray *st = l->rsc ? cib->states[l->rsc->idx] : NULL;

	for (guint i = 0; st != NULL && i < st->len; i++)
		if (((const struct cib_rsc_state *)st->pdata[i])->lrm == l)
			return st->pdata[i];
	return NULL;
}

/* A failure of the same operation (history, task, interval) is listed
 * once per node, as crm_mon does. */
static bool
failure_listed(GArray *fl, const struct failure *f)
{
	for (guint i = 0; i < fl->len; i++) {
		const struct failure *o = &g_array_index(fl, struct failure, i);

		if (o->node == f->node && strcmp(o->lrm->id, f->lrm->id) == 0 &&
		    strcmp(o->op->task, f->op->task) == 0 &&
		    o->op->interval_ms == f->op->interval_ms)
			return true;
	}
	return false;
}

/*
 * A failure the policy engine still counts (cib_op_failed(), not
 * expired), except a recurring operation the agent does not support
 * (rc 3), which Pacemaker does not list either.
 */
static bool
failure_shown(const struct cib_rsc_state *st, const struct cib_lrm_op *op,
	      int64_t now)
{
	if (!cib_op_failed(op) || cib_op_expired(st, op, now))
		return false;
	return !(op->interval_ms > 0 &&
		 (op->rc == 3 || op->status == CIB_EXEC_NOT_SUPPORTED));
}

/*
 * The failed operations to list: on online nodes, in every history the
 * derivation read, each shown failure once per operation and node (as
 * crm_mon lists them). Nodes in the status section's order (as
 * Pacemaker reads them), histories and operations in the order kept.
 */
static gint
cmp_status_order(gconstpointer a, gconstpointer b)
{
	const struct cib_node *x = *(struct cib_node *const *)a;
	const struct cib_node *y = *(struct cib_node *const *)b;

	return x->status_pos - y->status_pos;
}

static GArray *
failures(const struct cib *cib, int64_t now)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(struct failure));
	GPtrArray *order = g_ptr_array_new();

	for (guint i = 0; i < cib->nodes->len; i++)
		g_ptr_array_add(order, cib->nodes->pdata[i]);
	g_ptr_array_sort(order, cmp_status_order);
	for (guint i = 0; i < order->len; i++) {
		const struct cib_node *n = order->pdata[i];

		for (guint j = 0; n->online && j < n->lrm->len; j++) {
			const struct cib_lrm_rsc *l = n->lrm->pdata[j];
			const struct cib_rsc_state *st = lrm_state(cib, l);

			for (guint k = 0; st != NULL && k < l->n_ops; k++) {
				struct failure f = {n, l->rsc, l, l->ops[k]};

				if (!failure_shown(st, f.op, now) ||
				    failure_listed(out, &f))
					continue;
				g_array_append_val(out, f);
			}
		}
	}
	g_ptr_array_free(order, TRUE);
	return out;
}

/*
 * The primitives whose fail counts are shown: every primitive, and for
 * a clone its first instance only (instances share their primitive's
 * attributes).
 */
static GPtrArray *
failcount_rscs(const struct cib *cib)
{
	GPtrArray *out = g_ptr_array_new();
	GHashTable *seen = g_hash_table_new(NULL, NULL);

	for (guint i = 0; i < cib->all->len; i++) {
		struct cib_rsc *r = cib->all->pdata[i];

		if (r->kind != CIB_PRIMITIVE || r->clone_of != NULL)
			continue;
		if (r->tmpl != NULL) {
			if (g_hash_table_contains(seen, r->tmpl))
				continue;
			g_hash_table_add(seen, r->tmpl);
		}
		g_ptr_array_add(out, r);
	}
	g_hash_table_destroy(seen);
	return out;
}

/* ---- status: text ---- */

static void
text_summary(const struct cib *cib, const struct rs_info *info, GString *out)
{
	const struct cib_node *dc =
		info->dc ? g_hash_table_lookup(cib->node_by_id, info->dc)
			 : NULL;
	int total, disabled, blocked;

	g_string_append(out, "Cluster Summary:\n");
	if (info->source)
		g_string_append_printf(out, "  * Read from: %s\n",
				       info->source);
	g_string_append(out, "  * Current DC: ");
	if (info->dc == NULL)
		g_string_append(out, "NONE");
	else
		g_string_append_printf(out, "%s (%s)",
				       dc ? dc->uname : "unknown node",
				       info->dc);
	if (info->quorate == 0)
		g_string_append(out, " - partition WITHOUT quorum");
	else if (info->quorate == 1)
		g_string_append(out, " - partition with quorum");
	g_string_append_c(out, '\n');
	if (info->transition)
		g_string_append_printf(
			out, "  * Transition: %s%s\n", info->transition,
			g_strcmp0(info->idle, "true") == 0    ? " (idle)"
			: g_strcmp0(info->idle, "false") == 0 ? " (running)"
							      : "");
	else if (info->idle)
		g_string_append_printf(out, "  * Idle: %s\n", info->idle);
	if (info->synced == 0)
		g_string_append(out, "  * This node's CIB is not synced with "
				     "its peers yet\n");
	if (info->cib_version)
		g_string_append_printf(
			out, "  * CIB version: %s%s%s\n", info->cib_version,
			info->last_change ? ", last change: " : "",
			info->last_change ? info->last_change : "");
	count_resources(cib, &total, &disabled, &blocked);
	g_string_append_printf(out, "  * %u node%s configured\n",
			       cib->nodes->len,
			       cib->nodes->len == 1 ? "" : "s");
	g_string_append_printf(out, "  * %d resource instance%s configured",
			       total, total == 1 ? "" : "s");
	if (disabled > 0 || blocked > 0) {
		g_string_append(out, " (");
		if (disabled > 0)
			g_string_append_printf(out, "%d DISABLED%s", disabled,
					       blocked > 0 ? ", " : "");
		if (blocked > 0)
			g_string_append_printf(out,
					       "%d BLOCKED from further "
					       "action due to failure",
					       blocked);
		g_string_append_c(out, ')');
	}
	g_string_append(out, "\n\n");
}

static bool
node_active(const struct cib *cib, const struct cib_node *n)
{
	for (guint i = 0; i < cib->all->len; i++) {
		GPtrArray *st = cib->states[i];

		for (guint k = 0; st != NULL && k < st->len; k++) {
			const struct cib_rsc_state *s = st->pdata[k];

			if (s->node == n && s->role > CIB_ROLE_STOPPED)
				return true;
		}
	}
	return false;
}

static void
text_nodes(const struct cib *cib, GString *out)
{
	GString *online = g_string_new(NULL), *offline = g_string_new(NULL);

	g_string_append(out, "Node List:\n");
	for (guint i = 0; i < cib->nodes->len; i++) {
		const struct cib_node *n = cib->nodes->pdata[i];

		if (n->unclean)
			g_string_append_printf(
				out, "  * Node %s: UNCLEAN (%s)\n", n->uname,
				n->online ? "online" : "offline");
		else if (!n->online && n->standby)
			g_string_append_printf(
				out, "  * Node %s: OFFLINE (standby)\n",
				n->uname);
		else if (!n->online)
			g_string_append_printf(offline, " %s", n->uname);
		else if (n->standby)
			g_string_append_printf(
				out, "  * Node %s: standby%s\n", n->uname,
				node_active(cib, n) ? " (with active "
						      "resources)"
						    : "");
		else if (n->maintenance)
			g_string_append_printf(
				out, "  * Node %s: maintenance\n", n->uname);
		else
			g_string_append_printf(online, " %s", n->uname);
	}
	if (online->len > 0)
		g_string_append_printf(out, "  * Online: [%s ]\n", online->str);
	if (offline->len > 0)
		g_string_append_printf(out, "  * OFFLINE: [%s ]\n",
				       offline->str);
	g_string_append_c(out, '\n');
	g_string_free(online, TRUE);
	g_string_free(offline, TRUE);
}

/* " (flags)" after a resource; crm_mon puts "unmanaged" first for
 * groups and clones (@parent), "disabled" first for primitives. */
static void
text_flags(GString *out, bool parent, bool disabled, bool blocked, bool managed,
	   bool ignored)
{
	GString *f = g_string_new(NULL);

	if (parent && !managed)
		g_string_append(f, ", unmanaged");
	if (disabled)
		g_string_append(f, ", disabled");
	if (!parent && blocked)
		g_string_append(f, ", blocked");
	else if (!parent && !managed)
		g_string_append(f, ", unmanaged");
	if (ignored)
		g_string_append(f, ", failure ignored");
	if (f->len > 0)
		g_string_append_printf(out, " (%s)", f->str + 2);
	g_string_free(f, TRUE);
}

static void
text_primitive(const struct cib *cib, const struct cib_rsc *r,
	       const char *indent, GString *out)
{
	struct prim_facts f;
	g_autofree char *agent = agent_text(r);
	guint n;

	prim_facts(cib, r, &f);
	n = f.nodes->len;
	if (r->orphan && n == 0) {
		prim_facts_clear(&f);
		return;
	}
	g_string_append_printf(out, "%s* %s\t(%s):\t %s%s", indent, shown_id(r),
			       agent, r->orphan ? "ORPHANED " : "",
			       f.failed		     ? "FAILED"
			       : f.pending && n == 1 ? "Starting"
						     : cib_role_text(f.role));
	if (n == 1)
		g_string_append_printf(out, " %s",
				       (const char *)f.nodes->pdata[0]);
	text_flags(out, false, f.disabled, f.blocked, f.managed, f.ignored);
	if (n > 1) {
		g_string_append(out, " [");
		for (guint i = 0; i < n; i++)
			g_string_append_printf(out, " %s",
					       (const char *)f.nodes->pdata[i]);
		g_string_append(out, " ]");
	}
	g_string_append_c(out, '\n');
	prim_facts_clear(&f);
}

/* A group's heading; a clone's group instance shows its instance id. */
static void
text_group_head(const struct cib_rsc *g, const char *indent, GString *out)
{
	g_string_append_printf(out, "%s* Resource Group: %s", indent, g->id);
	text_flags(out, true, g->target_role == CIB_ROLE_STOPPED, false,
		   g->managed, false);
	g_string_append(out, ":\n");
}

/*
 * Where a clone instance runs (a group instance: where its first
 * located member runs); *healthy when every part runs once, cleanly.
 */
static char *
instance_node(const struct cib *cib, const struct cib_rsc *inst, bool *healthy)
{
	char *where = NULL;
	struct prim_facts f;

	*healthy = true;
	if (inst->kind == CIB_GROUP) {
		for (guint i = 0; i < inst->children->len; i++) {
			bool h;
			char *n = instance_node(cib, inst->children->pdata[i],
						&h);

			if (n == NULL || !h)
				*healthy = false;
			if (where == NULL)
				where = n;
		}
		return where;
	}
	prim_facts(cib, inst, &f);
	if (f.nodes->len > 0)
		where = f.nodes->pdata[f.nodes->len - 1];
	*healthy = prim_healthy(&f) && !inst->orphan;
	prim_facts_clear(&f);
	return where;
}

static gint
cmp_name(gconstpointer a, gconstpointer b)
{
	return cib_node_cmp(*(const char *const *)a, *(const char *const *)b);
}

static void
text_clone(const struct cib *cib, const struct cib_rsc *c, GString *out)
{
	const struct cib_rsc *first =
		c->children->len > 0 ? c->children->pdata[0] : NULL;
	GPtrArray *started = g_ptr_array_new();
	GHashTable *busy = g_hash_table_new(g_str_hash, g_str_equal);
	GString *stopped = g_string_new(NULL);
	int active = 0;

	g_string_append_printf(out, "  * Clone Set: %s [%s]", c->id,
			       first ? shown_id(first) : "");
	text_flags(out, true, c->target_role == CIB_ROLE_STOPPED, false,
		   c->managed, false);
	g_string_append(out, ":\n");
	for (guint i = 0; i < c->children->len; i++) {
		const struct cib_rsc *inst = c->children->pdata[i];
		bool healthy;
		char *n = instance_node(cib, inst, &healthy);

		if (n == NULL)
			continue;
		if (!inst->orphan)
			active++;
		g_hash_table_add(busy, n);
		if (healthy) {
			g_ptr_array_add(started, n);
			continue;
		}
		if (inst->kind == CIB_GROUP) {
			text_group_head(inst, "    ", out);
			for (guint k = 0; k < inst->children->len; k++)
				text_primitive(cib, inst->children->pdata[k],
					       "      ", out);
		} else {
			text_primitive(cib, inst, "    ", out);
		}
	}
	if (started->len > 0) {
		g_ptr_array_sort(started, cmp_name);
		g_string_append(out, "    * Started: [");
		for (guint i = 0; i < started->len; i++)
			g_string_append_printf(out, " %s",
					       (const char *)started->pdata[i]);
		g_string_append(out, " ]\n");
	}
	for (guint i = 0; active < c->clone_max && i < cib->nodes->len; i++) {
		const struct cib_node *n = cib->nodes->pdata[i];

		if (!g_hash_table_contains(busy, n->uname))
			g_string_append_printf(stopped, " %s", n->uname);
	}
	if (stopped->len > 0)
		g_string_append_printf(
			out, "    * Stopped%s: [%s ]\n",
			c->target_role == CIB_ROLE_STOPPED ? " (disabled)" : "",
			stopped->str);
	g_string_free(stopped, TRUE);
	g_hash_table_destroy(busy);
	g_ptr_array_free(started, TRUE);
}

static void
text_resources(const struct cib *cib, GString *out)
{
	g_string_append(out, "Full List of Resources:\n");
	if (cib->resources->len == 0)
		g_string_append(out, "  * No resources\n");
	for (guint i = 0; i < cib->resources->len; i++) {
		const struct cib_rsc *r = cib->resources->pdata[i];

		if (r->kind == CIB_PRIMITIVE) {
			text_primitive(cib, r, "  ", out);
		} else if (r->kind == CIB_GROUP) {
			text_group_head(r, "  ", out);
			for (guint k = 0; k < r->children->len; k++)
				text_primitive(cib, r->children->pdata[k],
					       "    ", out);
		} else {
			text_clone(cib, r, out);
		}
	}
	/* active resources found only in the status section */
	for (guint i = 0; i < cib->all->len; i++) {
		const struct cib_rsc *r = cib->all->pdata[i];

		if (r->orphan && r->parent == NULL)
			text_primitive(cib, r, "  ", out);
	}
	g_string_append_c(out, '\n');
}

/* "Migration Summary:" (fail counts per node), as crm_mon -f prints it:
 * only when a node is online or there is a fail count to show. */
static void
text_failcounts(const struct cib *cib, GString *out)
{
	GPtrArray *rscs = failcount_rscs(cib);
	GString *body = g_string_new(NULL);
	bool online = false;
	for (guint i = 0; i < cib->nodes->len; i++) {
		const struct cib_node *n = cib->nodes->pdata[i];
		bool head = false;

		online |= n->online;
		for (guint k = 0; k < rscs->len; k++) {
			const struct cib_rsc *r = rscs->pdata[k];
			int64_t last = 0;
			int fc = cib_fail_count(n, r, &last);
			g_autofree char *when = NULL;

			if (fc == 0)
				continue;
			if (!head)
				g_string_append_printf(body, "  * Node: %s:\n",
						       n->uname);
			head = true;
			g_string_append_printf(
				body,
				"    * %s: migration-threshold=%d "
				"fail-count=%d",
				shown_id(r), r->migration_threshold, fc);
			if (last > 0) {
				when = time_text(last);
				g_string_append_printf(
					body, " last-failure='%s'", when);
			}
			g_string_append_c(body, '\n');
		}
	}
	if (body->len > 0 || online)
		g_string_append_printf(out, "Migration Summary:\n%s\n",
				       body->str);
	g_string_free(body, TRUE);
	g_ptr_array_free(rscs, TRUE);
}

static void
text_failure(const struct failure *f, GString *out)
{
	const struct cib_lrm_op *op = f->op;
	g_autofree char *iv = interval_text(op->interval_ms);
	g_autofree char *when = NULL;
	bool probe = op->interval_ms == 0 && strcmp(op->task, "monitor") == 0;

	g_string_append_printf(out, "  * %s ", shown_id(f->rsc));
	if (op->interval_ms > 0)
		g_string_append_printf(out, "%s-interval ", iv);
	g_string_append_printf(out, "%s on %s ", probe ? "probe" : op->task,
			       f->node->uname);
	if (op->status == CIB_EXEC_DONE)
		g_string_append_printf(out, "returned '%s'%s%s%s",
				       ocf_rc_name(op->rc),
				       op->exit_reason ? " (" : "",
				       op->exit_reason ? op->exit_reason : "",
				       op->exit_reason ? ")" : "");
	else
		g_string_append_printf(out, "could not be executed (%s%s%s)",
				       rs_op_status_text(op->status),
				       op->exit_reason ? ": " : "",
				       op->exit_reason ? op->exit_reason : "");
	if (op->last_rc_change > 0) {
		when = time_text(op->last_rc_change);
		g_string_append_printf(out, " at %s", when);
	}
	if (op->exec_ms > 0)
		g_string_append_printf(out, " after %lldms",
				       (long long)op->exec_ms);
	g_string_append_c(out, '\n');
}

static void
text_status(const struct cib *cib, const struct rs_info *info, int64_t now,
	    GString *out)
{
	GArray *fl = failures(cib, now);

	text_summary(cib, info, out);
	text_nodes(cib, out);
	text_resources(cib, out);
	text_failcounts(cib, out);
	if (fl->len > 0) {
		g_string_append(out, "Failed Resource Actions:\n");
		for (guint i = 0; i < fl->len; i++)
			text_failure(&g_array_index(fl, struct failure, i),
				     out);
	}
	g_array_free(fl, TRUE);
}

/* ---- status: XML and JSON ---- */

static void
emit_summary(struct emit *e, const struct cib *cib, const struct rs_info *info)
{
	const struct cib_node *dc =
		info->dc ? g_hash_table_lookup(cib->node_by_id, info->dc)
			 : NULL;
	int total, disabled, blocked;

	count_resources(cib, &total, &disabled, &blocked);
	emit_obj(e, "summary");
	emit_str(e, "source", info->source ? info->source : "fo-crmd");
	emit_str(e, "local-node-id", info->nodeid);
	emit_str(e, "dc", dc ? dc->uname : NULL);
	emit_str(e, "dc-id", info->dc);
	if (info->quorate >= 0)
		emit_bool(e, "quorum", info->quorate == 1);
	if (info->synced >= 0)
		emit_bool(e, "synced", info->synced == 1);
	emit_str(e, "ring", info->ring);
	emit_str(e, "transition", info->transition);
	if (info->idle)
		emit_bool(e, "idle", strcmp(info->idle, "true") == 0);
	emit_str(e, "cib-version", info->cib_version);
	emit_str(e, "last-change", info->last_change);
	emit_int(e, "nodes-configured", cib->nodes->len);
	emit_int(e, "resources-configured", total);
	emit_int(e, "resources-disabled", disabled);
	emit_int(e, "resources-blocked", blocked);
	emit_end(e);
}

static void
emit_nodes(struct emit *e, const struct cib *cib, const struct rs_info *info)
{
	emit_list(e, "nodes", false);
	for (guint i = 0; i < cib->nodes->len; i++) {
		const struct cib_node *n = cib->nodes->pdata[i];
		int running = 0;

		for (guint k = 0; k < cib->all->len; k++) {
			const struct cib_rsc *r = cib->all->pdata[k];
			const struct cib_rsc_state *s =
				r->kind == CIB_PRIMITIVE
					? cib_rsc_state(cib, r, n)
					: NULL;

			if (s && s->role > CIB_ROLE_STOPPED)
				running++;
		}
		emit_obj(e, "node");
		emit_str(e, "name", n->uname);
		emit_str(e, "id", n->id);
		emit_bool(e, "online", n->online);
		emit_bool(e, "standby", n->standby);
		emit_bool(e, "maintenance", n->maintenance);
		emit_bool(e, "unclean", n->unclean);
		emit_bool(e, "member", n->in_ccm);
		emit_bool(e, "is-dc", g_strcmp0(info->dc, n->id) == 0);
		emit_int(e, "resources-running", running);
		emit_end(e);
	}
	emit_end(e);
}

static void
emit_primitive(struct emit *e, const struct cib *cib, const struct cib_rsc *r)
{
	struct prim_facts f;
	g_autofree char *agent = agent_text(r);

	prim_facts(cib, r, &f);
	emit_obj(e, "resource");
	emit_str(e, "id", shown_id(r));
	if (r->tmpl != NULL)
		emit_str(e, "instance", r->id);
	emit_str(e, "agent", agent);
	emit_str(e, "role",
		 f.pending && f.nodes->len == 1 ? "Starting"
						: cib_role_text(f.role));
	emit_bool(e, "active", f.nodes->len > 0);
	emit_bool(e, "failed", f.failed);
	emit_bool(e, "pending", f.pending);
	emit_bool(e, "orphaned", r->orphan);
	emit_bool(e, "managed", f.managed);
	emit_bool(e, "blocked", f.blocked);
	emit_bool(e, "disabled", f.disabled);
	emit_bool(e, "failure-ignored", f.ignored);
	emit_names(e, "nodes", "node", f.nodes);
	emit_end(e);
	prim_facts_clear(&f);
}

static void
emit_group(struct emit *e, const struct cib *cib, const struct cib_rsc *g)
{
	emit_obj(e, "group");
	emit_str(e, "id", g->id);
	emit_bool(e, "managed", g->managed);
	emit_bool(e, "disabled", g->target_role == CIB_ROLE_STOPPED);
	emit_list(e, "resources", true);
	for (guint i = 0; i < g->children->len; i++)
		emit_primitive(e, cib, g->children->pdata[i]);
	emit_end(e);
	emit_end(e);
}

static bool
instance_shown(const struct cib *cib, const struct cib_rsc *inst)
{
	bool healthy;

	return !inst->orphan || instance_node(cib, inst, &healthy) != NULL;
}

static void
emit_clone(struct emit *e, const struct cib *cib, const struct cib_rsc *c)
{
	const struct cib_rsc *first =
		c->children->len > 0 ? c->children->pdata[0] : NULL;

	emit_obj(e, "clone");
	emit_str(e, "id", c->id);
	if (first)
		emit_str(e, "child", shown_id(first));
	emit_int(e, "clone-max", c->clone_max);
	emit_bool(e, "managed", c->managed);
	emit_bool(e, "disabled", c->target_role == CIB_ROLE_STOPPED);
	emit_list(e, "instances", true);
	for (guint i = 0; i < c->children->len; i++) {
		const struct cib_rsc *inst = c->children->pdata[i];

		if (!instance_shown(cib, inst))
			continue;
		if (inst->kind == CIB_GROUP)
			emit_group(e, cib, inst);
		else
			emit_primitive(e, cib, inst);
	}
	emit_end(e);
	emit_end(e);
}

static void
emit_resources(struct emit *e, const struct cib *cib)
{
	emit_list(e, "resources", true);
	for (guint i = 0; i < cib->resources->len; i++) {
		const struct cib_rsc *r = cib->resources->pdata[i];

		if (r->kind == CIB_PRIMITIVE)
			emit_primitive(e, cib, r);
		else if (r->kind == CIB_GROUP)
			emit_group(e, cib, r);
		else
			emit_clone(e, cib, r);
	}
	for (guint i = 0; i < cib->all->len; i++) {
		const struct cib_rsc *r = cib->all->pdata[i];
		bool healthy;

		if (r->orphan && r->parent == NULL &&
		    instance_node(cib, r, &healthy) != NULL)
			emit_primitive(e, cib, r);
	}
	emit_end(e);
}

/* Fail counts per node (only @node, when not NULL) of the primitives
 * named in @only (all, when NULL); zeros only when @zeros. */
static void
emit_failcounts(struct emit *e, const struct cib *cib, GPtrArray *only,
		const struct cib_node *node, bool zeros)
{
	GPtrArray *rscs = failcount_rscs(cib);

	emit_list(e, "fail-counts", false);
	for (guint i = 0; i < cib->nodes->len; i++) {
		const struct cib_node *n = cib->nodes->pdata[i];

		if (node && n != node)
			continue;
		for (guint k = 0; k < rscs->len; k++) {
			const struct cib_rsc *r = rscs->pdata[k];
			int64_t last = 0;
			int fc;
			g_autofree char *when = NULL;

			if (only &&
			    !g_ptr_array_find_with_equal_func(
				    only, shown_id(r), g_str_equal, NULL))
				continue;
			fc = cib_fail_count(n, r, &last);
			if (fc == 0 && !zeros)
				continue;
			when = time_iso(last);
			emit_obj(e, "fail-count");
			emit_str(e, "node", n->uname);
			emit_str(e, "resource", shown_id(r));
			emit_int(e, "count", fc);
			emit_int(e, "migration-threshold",
				 r->migration_threshold);
			emit_str(e, "last-failure", when);
			emit_end(e);
		}
	}
	emit_end(e);
	g_ptr_array_free(rscs, TRUE);
}

static void
emit_failures(struct emit *e, const struct cib *cib, int64_t now)
{
	GArray *fl = failures(cib, now);

	emit_list(e, "failures", false);
	for (guint i = 0; i < fl->len; i++) {
		const struct failure *f = &g_array_index(fl, struct failure, i);
		const struct cib_lrm_op *op = f->op;
		g_autofree char *when = time_iso(op->last_rc_change);

		emit_obj(e, "failure");
		emit_str(e, "resource", shown_id(f->rsc));
		emit_str(e, "history-id", f->lrm->id);
		emit_str(e, "op-id", op->id);
		emit_str(e, "node", f->node->uname);
		emit_str(e, "task", op->task);
		emit_int(e, "interval-ms", (long long)op->interval_ms);
		emit_int(e, "call", op->call_id);
		emit_int(e, "rc", op->rc);
		emit_str(e, "rc-text", ocf_rc_name(op->rc));
		emit_int(e, "op-status", op->status);
		emit_str(e, "status", rs_op_status_text(op->status));
		emit_str(e, "exit-reason", op->exit_reason);
		emit_str(e, "last-rc-change", when);
		if (op->exec_ms >= 0)
			emit_int(e, "exec-ms", op->exec_ms);
		emit_end(e);
	}
	emit_end(e);
	g_array_free(fl, TRUE);
}

void
rs_status(struct cib *cib, const struct rs_info *info, int64_t now,
	  enum cli_format fmt, GString *out)
{
	struct emit e;

	cib_history_derive(cib, now);
	if (fmt == CLI_FMT_TEXT) {
		text_status(cib, info, now, out);
		return;
	}
	emit_begin(&e, fmt, "fo-status");
	emit_summary(&e, cib, info);
	emit_nodes(&e, cib, info);
	emit_resources(&e, cib);
	emit_failcounts(&e, cib, NULL, NULL, false);
	emit_failures(&e, cib, now);
	emit_finish(&e, out);
}

/* ---- locate, failcount ---- */

/* Add to @on (indexed by node) the nodes where @r or a part runs. */
static void
active_nodes(const struct cib *cib, const struct cib_rsc *r, bool *on)
{
	GPtrArray *st = cib->states[r->idx];

	for (guint i = 0; st != NULL && i < st->len; i++) {
		const struct cib_rsc_state *s = st->pdata[i];

		if (s->role > CIB_ROLE_STOPPED)
			on[s->node->idx] = true;
	}
	for (guint i = 0; i < r->children->len; i++)
		active_nodes(cib, r->children->pdata[i], on);
}

/* The resource named @id (a clone's primitive means its instances). */
static const struct cib_rsc *
find_rsc(const struct cib *cib, const char *id, char **why)
{
	const struct cib_rsc *r = cib_find_rsc(cib, id);

	if (r == NULL)
		*why = g_strdup_printf("no resource '%s' in the configuration "
				       "or the status section (fo-cib show "
				       "resources lists them)",
				       id);
	return r;
}

int
rs_locate(struct cib *cib, const char *rsc, int64_t now, enum cli_format fmt,
	  GString *out, char **why)
{
	const struct cib_rsc *r = find_rsc(cib, rsc, why);
	GPtrArray *names = g_ptr_array_new();
	bool *on;
	struct emit e;

	if (r == NULL) {
		g_ptr_array_free(names, TRUE);
		return CLI_ERROR;
	}
	cib_history_derive(cib, now);
	on = g_new0(bool, cib->nodes->len + 1);
	if (r->clone_of != NULL) {
		/* the configured primitive of a clone: its instances */
		for (guint i = 0; i < r->clone_of->children->len; i++)
			active_nodes(cib, r->clone_of->children->pdata[i], on);
	} else {
		active_nodes(cib, r, on);
	}
	for (guint i = 0; i < cib->nodes->len; i++)
		if (on[i])
			g_ptr_array_add(
				names, ((struct cib_node *)cib->nodes->pdata[i])
					       ->uname);
	g_free(on);
	if (fmt == CLI_FMT_TEXT) {
		for (guint i = 0; i < names->len; i++)
			g_string_append_printf(out,
					       "resource %s is running on: "
					       "%s\n",
					       rsc,
					       (const char *)names->pdata[i]);
		if (names->len == 0)
			g_string_append_printf(
				out, "resource %s is NOT running\n", rsc);
	} else {
		emit_begin(&e, fmt, "locate");
		emit_str(&e, "resource", rsc);
		emit_bool(&e, "running", names->len > 0);
		emit_names(&e, "nodes", "node", names);
		emit_finish(&e, out);
	}
	g_ptr_array_free(names, TRUE);
	return CLI_OK;
}

int
rs_failcount(struct cib *cib, const char *rsc, const char *node,
	     enum cli_format fmt, GString *out, char **why)
{
	const struct cib_rsc *r = find_rsc(cib, rsc, why);
	const struct cib_node *n = NULL;
	GPtrArray *members = g_ptr_array_new();
	struct emit e;

	if (r != NULL && node != NULL && (n = cib_find_node(cib, node)) == NULL)
		*why = g_strdup_printf("no node '%s' in the CIB (fo-node "
				       "list shows the nodes)",
				       node);
	if (*why != NULL) {
		g_ptr_array_free(members, TRUE);
		return CLI_ERROR;
	}
	/* the primitives whose counts are meant, by the id people use */
	if (r->kind == CIB_CLONE && r->children->len > 0)
		r = r->children->pdata[0];
	if (r->kind == CIB_GROUP)
		for (guint i = 0; i < r->children->len; i++)
			g_ptr_array_add(members,
					shown_id(r->children->pdata[i]));
	else
		g_ptr_array_add(members, shown_id(r));
	if (fmt != CLI_FMT_TEXT) {
		emit_begin(&e, fmt, "failcounts");
		emit_str(&e, "resource", rsc);
		emit_failcounts(&e, cib, members, n, true);
		emit_finish(&e, out);
		g_ptr_array_free(members, TRUE);
		return CLI_OK;
	}
	for (guint i = 0; i < members->len; i++) {
		const struct cib_rsc *m = cib_find_rsc(cib, members->pdata[i]);

		if (m->clone_of != NULL && m->clone_of->children->len > 0)
			m = m->clone_of->children->pdata[0];
		for (guint k = 0; k < cib->nodes->len; k++) {
			const struct cib_node *x = cib->nodes->pdata[k];
			int64_t last = 0;
			int fc;
			g_autofree char *when = NULL;

			if (n != NULL && x != n)
				continue;
			fc = cib_fail_count(x, m, &last);
			when = last > 0 ? time_text(last) : NULL;
			g_string_append_printf(out,
					       "%s on %s: fail-count=%d "
					       "(migration-threshold=%d)",
					       shown_id(m), x->uname, fc,
					       m->migration_threshold);
			if (when)
				g_string_append_printf(
					out, " last-failure='%s'", when);
			g_string_append_c(out, '\n');
		}
	}
	g_ptr_array_free(members, TRUE);
	return CLI_OK;
}

/* ---- reading what fo-crmd (or a file) says ---- */

static int
tristate(const char *v)
{
	if (v == NULL)
		return -1;
	return strcmp(v, "true") == 0 || strcmp(v, "1") == 0 ? 1 : 0;
}

void
rs_info_clear(struct rs_info *info)
{
	if (info == NULL)
		return;
	g_free(info->source);
	g_free(info->nodeid);
	g_free(info->dc);
	g_free(info->ring);
	g_free(info->transition);
	g_free(info->idle);
	g_free(info->cib_version);
	g_free(info->last_change);
	memset(info, 0, sizeof(*info));
}

int
rs_info_read(xmlNodePtr top, const char *source, struct rs_info *info,
	     xmlNodePtr *cib)
{
	g_autofree char *q = NULL, *s = NULL, *a = NULL, *ep = NULL, *nu = NULL;

	memset(info, 0, sizeof(*info));
	info->quorate = info->synced = -1;
	*cib = NULL;
	if (top == NULL)
		return -FO_ESYNTAX;
	if (strcmp((const char *)top->name, "cib") == 0) {
		*cib = top;
		info->dc = cli_prop(top, "dc-uuid");
		q = cli_prop(top, "have-quorum");
	} else if (strcmp((const char *)top->name, "crmd-status") == 0) {
		*cib = cli_child(top, "cib");
		info->nodeid = cli_prop(top, "nodeid");
		info->dc = cli_prop(top, "dc");
		q = cli_prop(top, "quorate");
		s = cli_prop(top, "synced");
		info->ring = cli_prop(top, "ring");
		info->transition = cli_prop(top, "transition");
		info->idle = cli_prop(top, "idle");
	}
	/* fo-crmd says dc="0" while there is none (0 is no corosync id) */
	if (g_strcmp0(info->dc, "0") == 0 || g_strcmp0(info->dc, "") == 0)
		g_clear_pointer(&info->dc, g_free);
	if (*cib == NULL)
		return -FO_ESYNTAX;
	info->source = g_strdup(source);
	info->quorate = tristate(q);
	info->synced = tristate(s);
	a = cli_prop(*cib, "admin_epoch");
	ep = cli_prop(*cib, "epoch");
	nu = cli_prop(*cib, "num_updates");
	info->cib_version = g_strdup_printf("%s.%s.%s", a ? a : "0",
					    ep ? ep : "0", nu ? nu : "0");
	info->last_change = cli_prop(*cib, "cib-last-written");
	return 0;
}

int
rs_cib_load(xmlNodePtr cib, const char *name, struct cib **out, char **err)
{
	GPtrArray *diags =
		g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
	xmlBufferPtr buf = xmlBufferCreate();
	GString *msg;
	int rc;

	*err = NULL;
	xmlNodeDump(buf, cib->doc, cib, 0, 0);
	rc = cib_load_memory((const char *)xmlBufferContent(buf),
			     (size_t)xmlBufferLength(buf), name, diags, out);
	xmlBufferFree(buf);
	if (rc == 0) {
		g_ptr_array_unref(diags);
		return 0;
	}
	msg = g_string_new(NULL);
	cli_diag_errors(msg, diags, "\n");
	if (msg->len == 0)
		g_string_append_printf(msg, "%s: %s", name, fo_strerror(rc));
	*err = g_string_free(msg, FALSE);
	g_ptr_array_unref(diags);
	return rc;
}
