/*
 * cib_model.c - the CIB model's small pieces: scores, intervals, roles,
 * lookups, diagnostics and freeing.
 *
 * Everything here is pure and allocation goes through GLib; the parsers
 * (cib_unpack.c, cib_status.c) and the policy engine share these helpers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cib_private.h"
#include "fo/common.h"

int
cib_add_scores(int a, int b)
{
	long long s;

	if (a <= -CIB_INFINITY || b <= -CIB_INFINITY)
		return -CIB_INFINITY;
	if (a >= CIB_INFINITY || b >= CIB_INFINITY)
		return CIB_INFINITY;
	s = (long long)a + b;
	if (s >= CIB_INFINITY)
		return CIB_INFINITY;
	if (s <= -CIB_INFINITY)
		return -CIB_INFINITY;
	return (int)s;
}

int
cib_parse_score(const char *s, int *score)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return -FO_EINVAL;
	if (strcmp(s, "INFINITY") == 0 || strcmp(s, "+INFINITY") == 0) {
		*score = CIB_INFINITY;
		return 0;
	}
	if (strcmp(s, "-INFINITY") == 0) {
		*score = -CIB_INFINITY;
		return 0;
	}
	/* Pacemaker also knows these names (red/yellow/green health). */
	if (strcmp(s, "red") == 0) {
		*score = -CIB_INFINITY;
		return 0;
	}
	if (strcmp(s, "yellow") == 0 || strcmp(s, "green") == 0) {
		*score = 0;
		return 0;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	/* Pacemaker truncates "1.0" to 1 */
	if (*end == '.' && end != s) {
		char *p = end + 1;

		while (g_ascii_isdigit(*p))
			p++;
		if (p != end + 1 && *p == '\0')
			end = p;
	}
	if (errno != 0 || end == s || *end != '\0')
		return -FO_EINVAL;
	if (v >= CIB_INFINITY)
		v = CIB_INFINITY;
	if (v <= -CIB_INFINITY)
		v = -CIB_INFINITY;
	*score = (int)v;
	return 0;
}

static int
iso_interval(const char *s, uint64_t *ms)
{
	uint64_t total = 0;
	bool time_part = false;
	const char *p = s + 1;

	if (*p == '\0')
		return -FO_EINVAL;
	while (*p != '\0') {
		char *end;
		unsigned long long v;

		if (*p == 'T') {
			time_part = true;
			p++;
			continue;
		}
		errno = 0;
		v = strtoull(p, &end, 10);
		if (errno != 0 || end == p)
			return -FO_EINVAL;
		switch (*end) {
		case 'Y':
			total += v * 31536000000ULL;
			break;
		case 'W':
			total += v * 604800000ULL;
			break;
		case 'D':
			total += v * 86400000ULL;
			break;
		case 'H':
			total += v * 3600000ULL;
			break;
		case 'M':
			total += v * (time_part ? 60000ULL : 2592000000ULL);
			break;
		case 'S':
			total += v * 1000ULL;
			break;
		default:
			return -FO_EINVAL;
		}
		p = end + 1;
	}
	*ms = total;
	return 0;
}

int
cib_parse_interval(const char *s, uint64_t *ms)
{
	char *end;
	unsigned long long v;
	uint64_t mult = 1000;

	if (s == NULL)
		return -FO_EINVAL;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == 'P')
		return iso_interval(s, ms);
	if (*s == '\0' || *s == '-')
		return -FO_EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return -FO_EINVAL;
	while (*end == ' ')
		end++;
	if (*end == '\0' || strcmp(end, "s") == 0 || strcmp(end, "sec") == 0)
		mult = 1000;
	else if (strcmp(end, "ms") == 0 || strcmp(end, "msec") == 0)
		mult = 1;
	else if (strcmp(end, "us") == 0 || strcmp(end, "usec") == 0) {
		*ms = v / 1000;
		return 0;
	} else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		mult = 60000;
	else if (strcmp(end, "h") == 0 || strcmp(end, "hr") == 0)
		mult = 3600000;
	else
		return -FO_EINVAL;
	*ms = v * mult;
	return 0;
}

enum cib_role
cib_parse_role(const char *s)
{
	if (s == NULL)
		return CIB_ROLE_UNKNOWN;
	if (g_ascii_strcasecmp(s, "Stopped") == 0)
		return CIB_ROLE_STOPPED;
	if (g_ascii_strcasecmp(s, "Started") == 0)
		return CIB_ROLE_STARTED;
	if (g_ascii_strcasecmp(s, "Slave") == 0 ||
	    g_ascii_strcasecmp(s, "Unpromoted") == 0)
		return CIB_ROLE_UNPROMOTED;
	if (g_ascii_strcasecmp(s, "Master") == 0 ||
	    g_ascii_strcasecmp(s, "Promoted") == 0)
		return CIB_ROLE_PROMOTED;
	return CIB_ROLE_UNKNOWN;
}

const char *
cib_role_text(enum cib_role role)
{
	switch (role) {
	case CIB_ROLE_STOPPED:
		return "Stopped";
	case CIB_ROLE_STARTED:
		return "Started";
	case CIB_ROLE_UNPROMOTED:
		return "Unpromoted";
	case CIB_ROLE_PROMOTED:
		return "Promoted";
	default:
		return "Unknown";
	}
}

struct cib_rsc *
cib_find_rsc(const struct cib *cib, const char *id)
{
	return id == NULL ? NULL : g_hash_table_lookup(cib->rsc_by_id, id);
}

struct cib_node *
cib_find_node(const struct cib *cib, const char *uname)
{
	return uname == NULL ? NULL
			     : g_hash_table_lookup(cib->node_by_uname, uname);
}

const char *
cib_meta(const struct cib_rsc *rsc, const char *name)
{
	for (; rsc != NULL; rsc = rsc->parent) {
		const char *v = g_hash_table_lookup(rsc->meta, name);

		if (v != NULL)
			return v;
	}
	return NULL;
}

struct cib_rsc_state *
cib_rsc_state(const struct cib *cib, const struct cib_rsc *rsc,
	      const struct cib_node *node)
{
	GPtrArray *a;
	guint i;

	if (cib->states == NULL)
		return NULL;
	a = cib->states[rsc->idx];
	for (i = 0; a != NULL && i < a->len; i++) {
		struct cib_rsc_state *st = g_ptr_array_index(a, i);

		if (st->node == node)
			return st;
	}
	return NULL;
}

static void
node_free(void *p)
{
	struct cib_node *n = p;

	g_free(n->id);
	g_free(n->uname);
	g_hash_table_destroy(n->attrs);
	g_ptr_array_free(n->lrm, TRUE);
	g_free(n);
}

static void
op_cfg_free(void *p)
{
	struct cib_op_cfg *op = p;

	g_free(op->id);
	g_free(op->name);
	if (op->params != NULL)
		g_hash_table_destroy(op->params);
	g_free(op);
}

static void
rsc_free(void *p)
{
	struct cib_rsc *r = p;

	g_free(r->id);
	g_free(r->cls);
	g_free(r->provider);
	g_free(r->type);
	g_free(r->multiple_active);
	g_free(r->clone_name);
	g_ptr_array_free(r->children, TRUE);
	g_hash_table_destroy(r->meta);
	g_hash_table_destroy(r->params);
	g_ptr_array_free(r->ops, TRUE);
	g_free(r);
}

static void
rule_free(void *p)
{
	struct cib_rule *r = p;
	guint i;

	for (i = 0; i < r->exprs->len; i++) {
		struct cib_expr *e = g_ptr_array_index(r->exprs, i);

		g_free(e->attribute);
		g_free(e->operation);
		g_free(e->value);
		g_free(e->type);
		g_free(e);
	}
	g_ptr_array_free(r->exprs, TRUE);
	g_free(r->id);
	g_free(r->score_attribute);
	g_free(r);
}

static void
location_free(void *p)
{
	struct cib_location *l = p;

	g_free(l->id);
	g_free(l->discovery);
	g_ptr_array_free(l->rules, TRUE);
	g_free(l);
}

static void
colocation_free(void *p)
{
	struct cib_colocation *c = p;

	g_free(c->id);
	g_free(c->node_attribute);
	g_free(c);
}

static void
order_free(void *p)
{
	struct cib_order *o = p;

	g_free(o->id);
	g_free(o->first_action);
	g_free(o->then_action);
	g_free(o);
}

/* What a state holds; the state itself is cib->state_mem's. */
static void
state_free(void *p)
{
	struct cib_rsc_state *st = p;

	if (st->active_ops != NULL)
		g_array_free(st->active_ops, TRUE);
	if (st->reschedule != NULL)
		g_array_free(st->reschedule, TRUE);
	if (st->active_recs != NULL)
		g_ptr_array_free(st->active_recs, TRUE);
}

/* Allocation helpers for the parsers (declared in cib_private.h). */
const char *
cib__intern(struct cib *cib, const char *s, size_t len)
{
	char buf[256], *key = buf;
	char *found;

	if (s == NULL)
		return NULL;
	if (len >= sizeof(buf))
		key = g_malloc(len + 1);
	memcpy(key, s, len);
	key[len] = '\0';
	found = g_hash_table_lookup(cib->strings, key);
	if (found == NULL) {
		found = key == buf ? g_strdup(buf) : key;
		key = NULL;
		g_hash_table_add(cib->strings, found);
	}
	if (key != buf)
		g_free(key);
	return found;
}

struct cib *
cib__new(const char *file)
{
	struct cib *cib = g_new0(struct cib, 1);

	cib->file = g_strdup(file);
	cib->records = fo_arena_new();
	cib->nodes = g_ptr_array_new_with_free_func(node_free);
	cib->resources = g_ptr_array_new();
	cib->all = g_ptr_array_new_with_free_func(rsc_free);
	cib->locations = g_ptr_array_new_with_free_func(location_free);
	cib->colocations = g_ptr_array_new_with_free_func(colocation_free);
	cib->orders = g_ptr_array_new_with_free_func(order_free);
	cib->rsc_by_id = g_hash_table_new(g_str_hash, g_str_equal);
	cib->node_by_uname = g_hash_table_new(g_str_hash, g_str_equal);
	cib->node_by_id = g_hash_table_new(g_str_hash, g_str_equal);
	cib->rsc_defaults =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	cib->op_defaults =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	cib->symmetric = true;
	cib->start_failure_fatal = true;
	cib->stonith_enabled = true;
	cib->stop_orphans = true;
	cib->startup_probes = true;
	cib->stop_orphan_actions = true;
	cib->have_quorum = true;
	cib->strings =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	cib->execution_date = -1;
	cib->recheck_interval = 900;
	return cib;
}

struct cib_node *
cib__node_new(void)
{
	struct cib_node *n = g_new0(struct cib_node, 1);

	n->attrs =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	n->lrm = g_ptr_array_new(); /* of records in cib->records */
	return n;
}

struct cib_rsc *
cib__rsc_new(void)
{
	struct cib_rsc *r = g_new0(struct cib_rsc, 1);

	r->children = g_ptr_array_new();
	r->meta =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	r->params =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	r->ops = g_ptr_array_new_with_free_func(op_cfg_free);
	r->managed = true;
	r->critical = true;
	r->migration_threshold = CIB_INFINITY;
	r->ordered = r->colocated = true;
	r->instance = -1;
	return r;
}

struct cib_lrm_rsc *
cib__lrm_rsc_new(struct cib *cib)
{
	return fo_arena_alloc(cib->records, sizeof(struct cib_lrm_rsc));
}

void
cib__lrm_add_op(struct cib *cib, struct cib_lrm_rsc *l, struct cib_lrm_op *op)
{
	/* most histories hold one to three records: no GPtrArray (two
	 * allocations each) but room from the arena, twice as much when
	 * full, the old room left to the arena */
	if (l->n_ops == l->ops_cap) {
		struct cib_lrm_op **ops;

		l->ops_cap = l->ops_cap ? 2 * l->ops_cap : 4;
		ops = fo_arena_alloc(cib->records, l->ops_cap * sizeof(*ops));
		if (l->n_ops > 0)
			memcpy(ops, l->ops, l->n_ops * sizeof(*ops));
		l->ops = ops;
	}
	l->ops[l->n_ops++] = op;
}

struct cib_lrm_op *
cib__lrm_op_new(struct cib *cib)
{
	return fo_arena_alloc(cib->records, sizeof(struct cib_lrm_op));
}

struct cib_op_cfg *
cib__op_cfg_new(void)
{
	return g_new0(struct cib_op_cfg, 1);
}

struct cib_location *
cib__location_new(void)
{
	struct cib_location *l = g_new0(struct cib_location, 1);

	l->rules = g_ptr_array_new_with_free_func(rule_free);
	return l;
}

struct cib_rule *
cib__rule_new(void)
{
	struct cib_rule *r = g_new0(struct cib_rule, 1);

	r->exprs = g_ptr_array_new();
	r->and_op = true;
	return r;
}

static void
copy_table(GHashTable *to, GHashTable *from)
{
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, from);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_hash_table_replace(to, g_strdup(k), g_strdup(v));
}

/* One instance of a clone's template (recursively for a group). */
struct cib_rsc *
cib__copy_instance(struct cib *cib, struct cib_rsc *t, struct cib_rsc *parent,
		   int n)
{
	struct cib_rsc *r = cib__rsc_new();
	guint i;

	r->id = g_strdup_printf("%s:%d", t->id, n);
	r->kind = t->kind;
	r->cls = g_strdup(t->cls);
	r->provider = g_strdup(t->provider);
	r->type = g_strdup(t->type);
	r->line = t->line;
	r->tmpl = t;
	r->instance = n;
	copy_table(r->meta, t->meta);
	copy_table(r->params, t->params);
	for (i = 0; i < t->ops->len; i++) {
		const struct cib_op_cfg *o = g_ptr_array_index(t->ops, i);
		struct cib_op_cfg *c = cib__op_cfg_new();

		*c = *o;
		c->id = g_strdup(o->id);
		c->name = g_strdup(o->name);
		c->params = g_hash_table_new_full(g_str_hash, g_str_equal,
						  g_free, g_free);
		if (o->params != NULL)
			copy_table(c->params, o->params);
		g_ptr_array_add(r->ops, c);
	}
	r->priority = t->priority;
	r->stickiness = t->stickiness;
	r->target_role = t->target_role;
	r->managed = t->managed;
	r->maintenance = t->maintenance;
	r->migration_threshold = t->migration_threshold;
	r->failure_timeout = t->failure_timeout;
	r->critical = t->critical;
	r->multiple_active = g_strdup(t->multiple_active);
	r->ordered = t->ordered;
	r->colocated = t->colocated;
	r->idx = (int)cib->all->len;
	r->parent = parent;
	g_ptr_array_add(cib->all, r);
	g_hash_table_insert(cib->rsc_by_id, r->id, r);
	g_ptr_array_add(parent->children, r);
	for (i = 0; i < t->children->len; i++)
		cib__copy_instance(cib, g_ptr_array_index(t->children, i), r,
				   n);
	return r;
}

/* Room in cib->states for resources added after the reset. */
void
cib__states_grow(struct cib *cib, guint old_len)
{
	guint i;

	cib->states = g_renew(GPtrArray *, cib->states, cib->all->len + 1);
	for (i = old_len; i < cib->all->len; i++)
		cib->states[i] = g_ptr_array_new_with_free_func(state_free);
}

void
cib__states_reset(struct cib *cib)
{
	guint i;

	if (cib->states != NULL) {
		for (i = 0; i < cib->all->len; i++)
			if (cib->states[i] != NULL)
				g_ptr_array_free(cib->states[i], TRUE);
		g_free(cib->states);
	}
	/* the states of one derivation are made and freed together */
	fo_arena_free(cib->state_mem);
	cib->state_mem = fo_arena_new();
	cib->states = g_new0(GPtrArray *, cib->all->len + 1);
	for (i = 0; i < cib->all->len; i++)
		cib->states[i] = g_ptr_array_new_with_free_func(state_free);
}

void
cib_free(struct cib *cib)
{
	guint i;

	if (cib == NULL)
		return;
	if (cib->states != NULL) {
		for (i = 0; i < cib->all->len; i++)
			if (cib->states[i] != NULL)
				g_ptr_array_free(cib->states[i], TRUE);
		g_free(cib->states);
	}
	g_ptr_array_free(cib->locations, TRUE);
	g_ptr_array_free(cib->colocations, TRUE);
	g_ptr_array_free(cib->orders, TRUE);
	g_ptr_array_free(cib->nodes, TRUE);
	g_ptr_array_free(cib->resources, TRUE);
	g_ptr_array_free(cib->all, TRUE);
	g_hash_table_destroy(cib->rsc_by_id);
	g_hash_table_destroy(cib->node_by_uname);
	g_hash_table_destroy(cib->node_by_id);
	g_hash_table_destroy(cib->rsc_defaults);
	g_hash_table_destroy(cib->op_defaults);
	g_hash_table_destroy(cib->strings);
	fo_arena_free(cib->records);
	fo_arena_free(cib->state_mem);
	g_free(cib->dc_uuid);
	g_free(cib->file);
	g_free(cib);
}
