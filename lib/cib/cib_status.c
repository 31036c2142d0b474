/*
 * cib_status.c - the status section: node_state records, operation
 * histories and node attributes.
 *
 * The parser (cib_unpack.c) streams the status section through here one
 * element at a time, never as a tree: cib__status_node() decides which
 * node a node_state describes, nvpairs of its transient attributes (fail
 * counts, standby, shutdown) go into the node's attributes, and each
 * lrm_resource's lrm_rsc_op records are stored sorted by call-id, with
 * their repeated strings (operation, digests, agent) interned. Whether a
 * node is online, and which resource each history is of (or orphans),
 * is decided once the whole document is read, in cib__resolve_status().
 */
#include <stdlib.h>
#include <string.h>

#include "cib_private.h"
#include "fo/common.h"

/* One attribute of the element read. */
#define ATTR_NAME(ev, i) ((ev)->attrs[i].name)
#define ATTR_VAL(ev, i) ((ev)->attrs[i].value)
#define ATTR_LEN(ev, i) ((ev)->attrs[i].len)

/* A NUL-terminated copy of attribute @i: in @buf when it fits, else
 * allocated into *@heap (the caller frees it). */
static const char *
attr_str(const struct cib_status_event *ev, int i, char *buf, size_t size,
	 char **heap)
{
	size_t len = ATTR_LEN(ev, i);

	if (len < size) {
		memcpy(buf, ATTR_VAL(ev, i), len);
		buf[len] = '\0';
		return buf;
	}
	*heap = g_strndup(ATTR_VAL(ev, i), len);
	return *heap;
}

/* Attribute @name, NUL-terminated in @buf (or *@heap), or NULL. */
static const char *
attr_get(const struct cib_status_event *ev, const char *name, char *buf,
	 size_t size, char **heap)
{
	int i;

	for (i = 0; i < ev->n; i++)
		if (strcmp(ATTR_NAME(ev, i), name) == 0)
			return attr_str(ev, i, buf, size, heap);
	return NULL;
}

/* @v (@len bytes), the value of an attribute of kind @k, from the CIB's
 * string pool; through the tokenizer's table when there is one, so a
 * repeated value is looked up once (and one that repeats the last of
 * its kind not even that). */
static const char *
ev_intern(const struct cib_status_event *ev, enum cib_sattr k, const char *v,
	  size_t len)
{
	void **slot;

	if (ev->xml == NULL)
		return cib__intern(ev->cib, v, len);
	slot = cib__xml_slot_at(ev->xml, v, len, k);
	if (*slot == NULL)
		*slot = (void *)(uintptr_t)cib__intern(ev->cib, v, len);
	return *slot;
}

static bool
attr_is(const struct cib_status_event *ev, const char *name, const char *want)
{
	char buf[64], *heap = NULL;
	const char *v = attr_get(ev, name, buf, sizeof(buf), &heap);
	bool r = v != NULL && strcmp(v, want) == 0;

	g_free(heap);
	return r;
}

void
cib__status_names(const char **names,
		  const char *(*intern)(void *ctx, const char *name, int kind),
		  void *ctx)
{
	static const char *const text[SA_COUNT] = {
		[SA_OPERATION] = "operation",
		[SA_ID] = "id",
		[SA_CALL_ID] = "call-id",
		[SA_RC_CODE] = "rc-code",
		[SA_OP_STATUS] = "op-status",
		[SA_INTERVAL] = "interval",
		[SA_LAST_RC_CHANGE] = "last-rc-change",
		[SA_LAST_RUN] = "last-run",
		[SA_TRANSITION_KEY] = "transition-key",
		[SA_OP_DIGEST] = "op-digest",
		[SA_OP_RESTART_DIGEST] = "op-restart-digest",
		[SA_OP_FORCE_RESTART] = "op-force-restart",
		[SA_EXIT_REASON] = "exit-reason",
		[SA_EXEC_TIME] = "exec-time",
		[SA_CLASS] = "class",
		[SA_PROVIDER] = "provider",
		[SA_TYPE] = "type",
	};
	int i;

	for (i = 0; i < SA_COUNT; i++)
		names[i] = intern(ctx, text[i], i);
}

enum cib_sattr
cib__status_kind(const char *const *names, const char *name)
{
	int k;

	for (k = 0; k < SA_COUNT; k++)
		if (names[k] == name)
			return (enum cib_sattr)k;
	return SA_COUNT;
}

/* Which of the names read attribute @i is, SA_COUNT for none: its tag. */
static enum cib_sattr
attr_kind(const struct cib_status_event *ev, int i)
{
	int k = ev->attrs[i].tag;

	return k >= 0 && k < SA_COUNT ? (enum cib_sattr)k : SA_COUNT;
}

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

static void
sort_ops(struct cib_lrm_rsc *l)
{
	/* insertion sort: stable, so document order stays among equal
	 * call-ids (histories are short) */
	guint i, j;

	for (i = 1; i < l->n_ops; i++) {
		struct cib_lrm_op *v = l->ops[i];

		for (j = i; j > 0 && cmp_call_id(&l->ops[j - 1], &v) > 0; j--)
			l->ops[j] = l->ops[j - 1];
		l->ops[j] = v;
	}
}

struct cib_lrm_rsc *
cib__status_rsc(const struct cib_status_event *ev, struct cib_node *node)
{
	struct cib_lrm_rsc *l;
	const char *cls = NULL, *provider = NULL, *type = NULL;
	char *id = NULL;
	int i;

	for (i = 0; i < ev->n; i++) {
		enum cib_sattr k = attr_kind(ev, i);
		const char *v = ATTR_VAL(ev, i);

		if (k == SA_ID && id == NULL)
			id = fo_arena_strndup(ev->cib->records, v,
					      ATTR_LEN(ev, i));
		else if (k == SA_CLASS)
			cls = ev_intern(ev, k, v, ATTR_LEN(ev, i));
		else if (k == SA_PROVIDER)
			provider = ev_intern(ev, k, v, ATTR_LEN(ev, i));
		else if (k == SA_TYPE)
			type = ev_intern(ev, k, v, ATTR_LEN(ev, i));
	}
	if (id == NULL) {
		cib__diag_at(ev->diags, true, ev->cib->file, ev->line,
			     ev->element, "lrm_resource without an id");
		(*ev->errors)++;
		return NULL;
	}
	l = cib__lrm_rsc_new(ev->cib);
	l->id = id;
	l->cls = cls;
	l->provider = provider;
	l->type = type;
	l->line = ev->line;
	g_ptr_array_add(node->lrm, l);
	return l;
}

/* One number of a transition key, and past the ':' after it when
 * @colon; NULL when there is no number (or no colon). */
static const char *
key_field(const char *s, int *out, bool colon)
{
	char *end;
	long v = 0;

	/* plain digits (the usual case) without strtol() */
	for (end = (char *)(uintptr_t)s;
	     *end >= '0' && *end <= '9' && end - s < 9; end++)
		v = v * 10 + (*end - '0');
	if (end == s || (*end >= '0' && *end <= '9'))
		v = strtol(s, &end, 10);

	if (end == s || (colon && *end != ':'))
		return NULL;
	*out = (int)v;
	return colon ? end + 1 : end;
}

/* "ACTION:TRANSITION:TARGET_RC:UUID": the first three numbers, as
 * sscanf("%d:%d:%d:") reads them. */
static bool
parse_key(const char *s, int *action, int *transition, int *target)
{
	return (s = key_field(s, action, true)) != NULL &&
	       (s = key_field(s, transition, true)) != NULL &&
	       key_field(s, target, false) != NULL;
}

/*
 * parse_key() on the @len bytes at @s when its three numbers are plain
 * digits (up to 9 each), the usual case, read where they are; false for
 * anything else, which parse_key() reads from a copy.
 */
static bool
parse_key_digits(const char *s, size_t len, int *transition, int *target)
{
	int field[3];
	size_t i = 0, k;

	for (k = 0; k < 3; k++) {
		size_t start = i;
		int v = 0;

		while (i < len && i - start < 9 && g_ascii_isdigit(s[i]))
			v = v * 10 + (s[i++] - '0');
		if (i == start || (i < len && g_ascii_isdigit(s[i])))
			return false;
		if (k < 2 && (i >= len || s[i++] != ':'))
			return false;
		field[k] = v;
	}
	*transition = field[1];
	*target = field[2];
	return true;
}

/* @len (1 to 18) decimal digits at @v as a number in *@out; false for
 * anything else, which is read from a copy with strtol() as before. */
static bool
digits_of(const char *v, size_t len, long long *out)
{
	long long n = 0;
	size_t i;

	if (len == 0 || len > 18)
		return false;
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned char)v[i] - (unsigned)'0';

		if (d > 9)
			return false;
		n = n * 10 + d;
	}
	*out = n;
	return true;
}

/* The numeric attribute @k from plain digits: true when done. */
static bool
op_number(enum cib_sattr k, long long n, struct cib_lrm_op *op,
	  int64_t *last_run, bool *have_lrc)
{
	switch (k) {
	case SA_CALL_ID:
		op->call_id = (int)n;
		return true;
	case SA_RC_CODE:
		op->rc = (int)n;
		return true;
	case SA_OP_STATUS:
		op->status = (int)n;
		return true;
	case SA_INTERVAL:
		op->interval_ms = (uint64_t)n;
		return true;
	case SA_LAST_RC_CHANGE:
		op->last_rc_change = n;
		*have_lrc = true;
		return true;
	case SA_LAST_RUN:
		*last_run = n;
		return true;
	case SA_EXEC_TIME:
		op->exec_ms = n;
		return true;
	default:
		return false;
	}
}

/* One attribute of an lrm_rsc_op into @op. */
static void
op_attr(const struct cib_status_event *ev, int i, struct cib_lrm_op *op,
	int64_t *last_run, bool *have_lrc)
{
	enum cib_sattr k = attr_kind(ev, i);
	const char *raw = ATTR_VAL(ev, i), *v;
	size_t len = ATTR_LEN(ev, i);
	char buf[128], *heap = NULL;
	int x, b, t;
	long long n;

	/* one pass over the attributes: status sections are big */
	switch (k) {
	case SA_OPERATION:
		op->task = ev_intern(ev, k, raw, len);
		return;
	case SA_ID:
		op->id = fo_arena_strndup(ev->cib->records, raw, len);
		return;
	case SA_OP_DIGEST:
		op->op_digest = ev_intern(ev, k, raw, len);
		return;
	case SA_OP_RESTART_DIGEST:
		op->restart_digest = ev_intern(ev, k, raw, len);
		return;
	case SA_OP_FORCE_RESTART:
		op->force_restart = ev_intern(ev, k, raw, len);
		return;
	case SA_EXIT_REASON:
		op->exit_reason =
			len ? fo_arena_strndup(ev->cib->records, raw, len)
			    : NULL;
		return;
	case SA_COUNT:
	case SA_CLASS:
	case SA_PROVIDER:
	case SA_TYPE:
		return;
	default:
		break;
	}
	if (k == SA_TRANSITION_KEY &&
	    parse_key_digits(raw, len, &op->transition_id, &op->target_rc))
		return;
	if (digits_of(raw, len, &n) && op_number(k, n, op, last_run, have_lrc))
		return;
	v = attr_str(ev, i, buf, sizeof(buf), &heap);
	switch (k) {
	case SA_CALL_ID:
		op->call_id = int_of(v, -1);
		break;
	case SA_RC_CODE:
		op->rc = int_of(v, 0);
		break;
	case SA_OP_STATUS:
		op->status = int_of(v, 0);
		break;
	case SA_INTERVAL:
		op->interval_ms = strtoull(v, NULL, 10);
		break;
	case SA_LAST_RC_CHANGE:
		op->last_rc_change = strtoll(v, NULL, 10);
		*have_lrc = true;
		break;
	case SA_LAST_RUN:
		*last_run = strtoll(v, NULL, 10);
		break;
	case SA_EXEC_TIME:
		op->exec_ms = strtoll(v, NULL, 10);
		break;
	case SA_TRANSITION_KEY:
		if (parse_key(v, &x, &b, &t)) {
			op->target_rc = t;
			op->transition_id = b;
		}
		break;
	default:
		break;
	}
	g_free(heap);
}

void
cib__status_op(const struct cib_status_event *ev, struct cib_lrm_rsc *l)
{
	struct cib_lrm_op *op = cib__lrm_op_new(ev->cib);
	int64_t last_run = 0;
	bool have_lrc = false;
	int i;

	op->line = ev->line;
	op->call_id = -1;
	op->target_rc = -1;
	op->transition_id = -2;
	op->exec_ms = -1;
	for (i = 0; i < ev->n; i++)
		op_attr(ev, i, op, &last_run, &have_lrc);
	if (!have_lrc)
		op->last_rc_change = last_run;
	if (op->task == NULL) {
		cib__diag_at(ev->diags, true, ev->cib->file, ev->line,
			     ev->element, "lrm_rsc_op without an operation");
		(*ev->errors)++;
		return; /* the record stays in the arena, unused */
	}
	if (op->call_id > ev->cib->max_call_id)
		ev->cib->max_call_id = op->call_id;
	cib__lrm_add_op(ev->cib, l, op);
}

void
cib__status_rsc_end(struct cib_lrm_rsc *l)
{
	guint i;

	/* Pacemaker collects the records newest-in-document first and then
	 * sorts stably by call-id, so ties end up in reverse order */
	for (i = 0; i < l->n_ops / 2; i++) {
		struct cib_lrm_op *t = l->ops[i];

		l->ops[i] = l->ops[l->n_ops - 1 - i];
		l->ops[l->n_ops - 1 - i] = t;
	}
	sort_ops(l);
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

struct cib_node *
cib__status_node(const struct cib_status_event *ev)
{
	char buf[256], *heap = NULL;
	const char *v = attr_get(ev, "id", buf, sizeof(buf), &heap);
	struct cib_node *node = NULL;

	if (v != NULL)
		node = g_hash_table_lookup(ev->cib->node_by_id, v);
	g_free(heap);
	heap = NULL;
	if (node == NULL &&
	    (v = attr_get(ev, "uname", buf, sizeof(buf), &heap)) != NULL)
		node = cib_find_node(ev->cib, v);
	g_free(heap);
	if (node == NULL)
		return NULL; /* Pacemaker ignores state of unknown nodes */
	if (node->have_state) {
		cib__diag_at(ev->diags, true, ev->cib->file, ev->line,
			     ev->element, "second node_state for node '%s'",
			     node->uname);
		(*ev->errors)++;
		return NULL;
	}
	node->have_state = true;
	node->status_pos = ++ev->cib->max_status_pos;
	heap = NULL;
	v = attr_get(ev, "in_ccm", buf, sizeof(buf), &heap);
	node->in_ccm = cib__true(v);
	g_free(heap);
	node->crmd_online = attr_is(ev, "crmd", "online");
	node->join_member = attr_is(ev, "join", "member");
	node->expected_member = attr_is(ev, "expected", "member");
	return node;
}

void
cib__status_nvpair(const struct cib_status_event *ev, struct cib_node *node)
{
	char *name = NULL, *val = NULL;
	int i;

	for (i = 0; i < ev->n; i++) {
		const char *n = ATTR_NAME(ev, i);

		if (strcmp(n, "name") == 0 && name == NULL)
			name = g_strndup(ATTR_VAL(ev, i), ATTR_LEN(ev, i));
		else if (strcmp(n, "value") == 0 && val == NULL)
			val = g_strndup(ATTR_VAL(ev, i), ATTR_LEN(ev, i));
	}
	if (name != NULL && val != NULL) {
		g_hash_table_replace(node->attrs, name, val);
		return;
	}
	g_free(name);
	g_free(val);
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

static const char *
str_intern(struct cib *cib, const char *s)
{
	return s != NULL ? cib__intern(cib, s, strlen(s)) : NULL;
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

	for (i = 0; i < l->n_ops; i++) {
		struct cib_lrm_op *x = l->ops[i];

		if (x->id != NULL && strcmp(x->id, id) == 0) {
			op = x;
			break;
		}
	}
	if (op == NULL) {
		op = cib__lrm_op_new(cib);
		op->id = fo_arena_strdup(cib->records, id);
		cib__lrm_add_op(cib, l, op);
	} else {
		op->exit_reason = NULL;
	}
	g_free(id);
	op->task = cib__intern(cib, task, strlen(task));
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
		l = cib__lrm_rsc_new(cib);
		l->id = fo_arena_strdup(cib->records, rsc->id);
		l->cls = str_intern(cib, rsc->cls);
		l->provider = str_intern(cib, rsc->provider);
		l->type = str_intern(cib, rsc->type);
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
	sort_ops(l);
	return op;
}
