/*
 * pe_location.c - node scores from location constraints, stickiness,
 * failures and bans.
 *
 * In: the working set with every resource's score array (ABSENT where a
 * node is not in its allowed set). Out: scores after rsc_location
 * constraints (plain and rule-based), the symmetric-cluster default,
 * resource-stickiness on the current node, migration-threshold and
 * failure bans. Order follows Pacemaker: locations, then stickiness,
 * then failure thresholds.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "pe_private.h"

/* Add @score for @node (NULL: every node) to @rsc and its children,
 * adding the node to the allowed set when absent (resource_location). */
void
pe__rsc_location(struct pe_ws *ws, struct pe_rsc *rsc, struct pe_node *node,
		 int score)
{
	guint i;
	int n;

	for (i = 0; i < rsc->children.len; i++)
		pe__rsc_location(ws, rsc->children.v[i], node, score);
	for (n = 0; n < ws->nn; n++) {
		if (node != NULL && node->idx != n)
			continue;
		if (rsc->w[n] == INT_MIN)
			rsc->w[n] = 0;
		rsc->w[n] = cib_add_scores(rsc->w[n], score);
	}
}

/* Apply one location's node scores to a primitive (no recursion). */
static void
apply_scores(struct pe_rsc *rsc, const int *scores, const bool *has, int nn)
{
	int n;

	for (n = 0; n < nn; n++) {
		if (!has[n])
			continue;
		if (rsc->w[n] == INT_MIN)
			rsc->w[n] = scores[n];
		else
			rsc->w[n] = cib_add_scores(rsc->w[n], scores[n]);
	}
}

/* Pacemaker's group/clone location: the group itself and each member;
 * members after the first of a colocated group get 0 (their scores
 * reach the first member through the internal colocations). */
static void
apply_location(struct pe_rsc *rsc, int *scores, const bool *has, int nn)
{
	guint i;
	bool reset = rsc->kind == CIB_GROUP && rsc->cfg->colocated;
	int *zero = NULL;

	apply_scores(rsc, scores, has, nn);
	for (i = 0; i < rsc->children.len; i++) {
		struct pe_rsc *c = rsc->children.v[i];

		apply_location(c, zero != NULL ? zero : scores, has, nn);
		if (reset && zero == NULL)
			zero = g_new0(int, nn);
	}
	g_free(zero);
}

static bool
is_number(const char *s)
{
	char *end;

	if (s == NULL || *s == '\0')
		return false;
	(void)strtod(s, &end);
	return *end == '\0';
}

static int
compare_values(const char *a, const char *b, const char *type)
{
	bool numeric;

	if (type != NULL)
		numeric = strcmp(type, "string") != 0;
	else
		numeric = is_number(a) && is_number(b);
	if (numeric) {
		double x = strtod(a, NULL), y = strtod(b, NULL);

		return x < y ? -1 : x > y ? 1 : 0;
	}
	return g_ascii_strcasecmp(a, b);
}

static bool
expr_matches(const struct cib_expr *e, const struct cib_node *node)
{
	const char *v = e->attribute
				? g_hash_table_lookup(node->attrs, e->attribute)
				: NULL;
	const char *op = e->operation;
	int c;

	if (op == NULL)
		return false;
	if (strcmp(op, "defined") == 0)
		return v != NULL;
	if (strcmp(op, "not_defined") == 0)
		return v == NULL;
	if (v == NULL || e->value == NULL)
		return strcmp(op, "ne") == 0 && v == NULL;
	c = compare_values(v, e->value, e->type);
	if (strcmp(op, "eq") == 0)
		return c == 0;
	if (strcmp(op, "ne") == 0)
		return c != 0;
	if (strcmp(op, "lt") == 0)
		return c < 0;
	if (strcmp(op, "lte") == 0)
		return c <= 0;
	if (strcmp(op, "gt") == 0)
		return c > 0;
	if (strcmp(op, "gte") == 0)
		return c >= 0;
	return false;
}

static bool
rule_matches(const struct cib_rule *r, const struct cib_node *node)
{
	guint i;

	if (r->exprs->len == 0)
		return true;
	for (i = 0; i < r->exprs->len; i++) {
		bool m = expr_matches(g_ptr_array_index(r->exprs, i), node);

		if (r->and_op && !m)
			return false;
		if (!r->and_op && m)
			return true;
	}
	return r->and_op;
}

static void
apply_one(struct pe_ws *ws, const struct cib_location *loc)
{
	struct pe_rsc *rsc;
	int *scores = g_new0(int, ws->nn);
	bool *has = g_new0(bool, ws->nn);
	guint i;
	int n;

	if (loc->rsc == NULL || (loc->node == NULL && loc->rules->len == 0))
		goto out;
	if (loc->role == CIB_ROLE_UNPROMOTED || loc->role == CIB_ROLE_PROMOTED)
		goto out;
	rsc = ws->rscs[loc->rsc->idx];
	if (loc->node != NULL) {
		scores[loc->node->idx] = loc->score;
		has[loc->node->idx] = true;
	}
	for (i = 0; i < loc->rules->len; i++) {
		const struct cib_rule *r = g_ptr_array_index(loc->rules, i);

		for (n = 0; n < ws->nn; n++) {
			const struct cib_node *node = ws->nodes[n].cfg;
			int s = r->score;

			if (!rule_matches(r, node))
				continue;
			if (r->score_attribute != NULL) {
				const char *v = g_hash_table_lookup(
					node->attrs, r->score_attribute);

				if (v == NULL || cib_parse_score(v, &s) != 0)
					continue;
			}
			scores[n] = has[n] ? cib_add_scores(scores[n], s) : s;
			has[n] = true;
		}
	}
	apply_location(rsc, scores, has, ws->nn);
out:
	g_free(scores);
	g_free(has);
}

void
pe__apply_locations(struct pe_ws *ws)
{
	guint i;

	for (i = 0; i < ws->cib->locations->len; i++)
		apply_one(ws, g_ptr_array_index(ws->cib->locations, i));
}

static void
apply_stickiness(struct pe_ws *ws, struct pe_rsc *rsc)
{
	struct pe_node *node;
	guint i;

	for (i = 0; i < rsc->children.len; i++)
		apply_stickiness(ws, rsc->children.v[i]);
	if (rsc->kind != CIB_PRIMITIVE || !rsc->managed ||
	    rsc->stickiness < 1 || rsc->running_on.len != 1)
		return;
	node = rsc->running_on.v[0];
	if (!ws->cib->symmetric && rsc->w[node->idx] == INT_MIN)
		return;
	pe__rsc_location(ws, rsc, node, rsc->stickiness);
}

/* Fail count of @rsc on @node with failure-timeout applied. */
static int
effective_failcount(struct pe_ws *ws, struct pe_rsc *rsc, struct pe_node *node,
		    const struct cib_rsc_state *st, bool *expired)
{
	int64_t last = 0;
	int fc = pe__fail_count(node, rsc->cfg, &last);
	int64_t timeout =
		st != NULL ? st->failure_timeout : rsc->cfg->failure_timeout;

	*expired = false;
	if (fc > 0 && timeout > 0 && last > 0) {
		if (ws->now >= last + timeout) {
			*expired = true;
			return 0;
		}
		if (ws->recheck < 0 || last + timeout < ws->recheck)
			ws->recheck = last + timeout;
	}
	return fc;
}

static void
check_failures(struct pe_ws *ws, struct pe_rsc *rsc)
{
	guint i;
	int n;

	for (i = 0; i < rsc->children.len; i++)
		check_failures(ws, rsc->children.v[i]);
	if (rsc->kind != CIB_PRIMITIVE)
		return;
	for (n = 0; n < ws->nn; n++) {
		struct pe_node *node = &ws->nodes[n];
		struct cib_rsc_state *st =
			cib_rsc_state(ws->cib, rsc->cfg, node->cfg);
		bool expired;
		int fc;

		if (st != NULL && st->ban)
			pe__rsc_location(ws, rsc, node, -INF);
		if (st != NULL && st->ban_all)
			pe__rsc_location(ws, rsc, NULL, -INF);
		fc = effective_failcount(ws, rsc, node, st, &expired);
		if (expired && st != NULL && st->any_expired) {
			if (node->cfg->online)
				pe__clear_failcount(ws, rsc, node);
			continue;
		}
		if (rsc->cfg->migration_threshold == 0 ||
		    rsc->failure_ignored || fc <= 0)
			continue;
		if (rsc->cfg->migration_threshold - fc <= 0) {
			struct pe_rsc *ban = rsc;

			if (rsc->parent != NULL &&
			    rsc->parent->kind == CIB_CLONE)
				ban = rsc->parent;
			else if (rsc->parent != NULL &&
				 rsc->parent->parent != NULL &&
				 rsc->parent->parent->kind == CIB_CLONE)
				ban = rsc->parent->parent;
			pe__rsc_location(ws, ban, node, -INF);
		}
	}
}

void
pe__apply_stickiness_and_failures(struct pe_ws *ws)
{
	guint i;

	for (i = 0; i < ws->top->len; i++)
		apply_stickiness(ws, g_ptr_array_index(ws->top, i));
	for (i = 0; i < ws->top->len; i++)
		check_failures(ws, g_ptr_array_index(ws->top, i));
}
