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

static char *
digest_of(const struct cib *cib, const struct cib_rsc *rsc,
	  const struct cib_op_cfg *op, uint64_t interval_ms, const char *only,
	  GHashTable *memo)
{
	GHashTable *all = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTableIter it;
	gpointer k, v;
	char *timeout = NULL, *digest;

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
		timeout = g_strdup_printf(
			"%llu", (unsigned long long)pe_op_timeout(cib, op));
	}
	if (memo == NULL) {
		digest = fo_op_digest(all, timeout);
	} else {
		char *text = fo_op_digest_text(all, timeout);
		const char *known;

		known = g_hash_table_lookup(memo, text);
		if (known != NULL) {
			digest = g_strdup(known);
			g_free(text);
		} else {
			digest = g_compute_checksum_for_string(G_CHECKSUM_MD5,
							       text, -1);
			g_hash_table_insert(memo, text, g_strdup(digest));
		}
	}
	g_hash_table_destroy(all);
	g_free(timeout);
	return digest;
}
