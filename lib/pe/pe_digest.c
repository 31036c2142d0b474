/*
 * pe_digest.c - has a resource's definition changed since an operation
 * ran? Pacemaker records an MD5 digest of the parameters an operation
 * ran with (op-digest); the same digest of the current configuration
 * tells whether to restart the resource (start) or re-run a monitor.
 *
 * Which parameters go in is decided here: the resource's instance
 * attributes plus the operation's own, and for recurring operations the
 * timeout (CRM_meta_timeout, in ms). The digest itself is fo_op_digest()
 * (lib/common/digest.c), the one the executor records with.
 */
#include <string.h>

#include "fo/digest.h"
#include "pe_private.h"

#define DEFAULT_TIMEOUT_MS 20000

uint64_t
pe_op_timeout(const struct cib *cib, const struct cib_op_cfg *op)
{
	const char *v;
	uint64_t ms;

	if (op != NULL && op->timeout_ms > 0)
		return op->timeout_ms;
	v = g_hash_table_lookup(cib->op_defaults, "timeout");
	if (v != NULL && cib_parse_interval(v, &ms) == 0 && ms > 0)
		return ms;
	return DEFAULT_TIMEOUT_MS;
}

static bool
listed(const char *list, const char *name)
{
	char **w = g_strsplit_set(list, " ", -1);
	bool found = false;
	char **p;

	for (p = w; *p != NULL && !found; p++)
		found = strcmp(*p, name) == 0;
	g_strfreev(w);
	return found;
}

static char *digest_of(const struct cib *cib, const struct cib_rsc *rsc,
		       const struct cib_op_cfg *op, uint64_t interval_ms,
		       const char *only, GHashTable *memo);

char *
pe__digest(const struct pe_ws *ws, const struct pe_rsc *rsc,
	   const struct cib_op_cfg *op, uint64_t interval_ms)
{
	return pe__digest_only(ws, rsc, op, interval_ms, NULL);
}

char *
pe__digest_only(const struct pe_ws *ws, const struct pe_rsc *rsc,
		const struct cib_op_cfg *op, uint64_t interval_ms,
		const char *only)
{
	/* many resources share their parameters (often none): the MD5
	 * of a text already seen is looked up */
	return digest_of(ws->cib, rsc->cfg, op, interval_ms, only, ws->digests);
}

char *
pe_op_digest(const struct cib *cib, const struct cib_rsc *rsc,
	     const struct cib_op_cfg *op, uint64_t interval_ms)
{
	return digest_of(cib, rsc, op, interval_ms, NULL, NULL);
}

/* CRM_meta_timeout of a recurring operation, in ms (caller frees) */
static char *
timeout_text(const struct cib *cib, const struct cib_op_cfg *op)
{
	return g_strdup_printf("%llu",
			       (unsigned long long)pe_op_timeout(cib, op));
}

/* The op-digest of @params with @timeout; the MD5 of a text already
 * in @memo (text -> digest, or NULL) is looked up, not computed. */
static char *
digest_text(GHashTable *params, const char *timeout, GHashTable *memo)
{
	char *text, *digest;
	const char *known;

	if (memo == NULL)
		return fo_op_digest(params, timeout);
	text = fo_op_digest_text(params, timeout);
	known = g_hash_table_lookup(memo, text);
	if (known != NULL) {
		g_free(text);
		return g_strdup(known);
	}
	digest = g_compute_checksum_for_string(G_CHECKSUM_MD5, text, -1);
	g_hash_table_insert(memo, text, g_strdup(digest));
	return digest;
}

static char *
digest_of(const struct cib *cib, const struct cib_rsc *rsc,
	  const struct cib_op_cfg *op, uint64_t interval_ms, const char *only,
	  GHashTable *memo)
{
	GHashTable *all;
	GHashTableIter it;
	gpointer k, v;
	char *timeout = NULL, *digest;

	if (interval_ms > 0 && only == NULL)
		timeout = timeout_text(cib, op);
	if (only == NULL &&
	    (op == NULL || op->params == NULL ||
	     g_hash_table_size(op->params) == 0) &&
	    (timeout == NULL ||
	     !g_hash_table_contains(rsc->params, "CRM_meta_timeout"))) {
		/* nothing to merge, filter or replace: the resource's own
		 * parameters as they are */
		digest = digest_text(rsc->params, timeout, memo);
		g_free(timeout);
		return digest;
	}
	all = g_hash_table_new(g_str_hash, g_str_equal);
	g_hash_table_iter_init(&it, rsc->params);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_hash_table_replace(all, k, v);
	if (op != NULL && op->params != NULL) {
		g_hash_table_iter_init(&it, op->params);
		while (g_hash_table_iter_next(&it, &k, &v))
			g_hash_table_replace(all, k, v);
	}
	if (only != NULL) {
		g_hash_table_iter_init(&it, all);
		while (g_hash_table_iter_next(&it, &k, NULL))
			if (!listed(only, k))
				g_hash_table_iter_remove(&it);
	}
	if (interval_ms > 0 &&
	    (only == NULL || listed(only, "CRM_meta_timeout"))) {
		/* the operation's timeout stands in for any parameter of
		 * that name */
		g_hash_table_remove(all, "CRM_meta_timeout");
		if (timeout == NULL)
			timeout = timeout_text(cib, op);
	}
	digest = digest_text(all, timeout, memo);
	g_hash_table_destroy(all);
	g_free(timeout);
	return digest;
}
