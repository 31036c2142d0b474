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

/*
 * Where digests go: @memo maps a digest's text to its MD5 (many
 * resources share their parameters, often none, so most texts are
 * seen before) and owns every digest handed out; @text is the buffer
 * each text is built in. A GString and a g_strdup_printf() per digest
 * were most of its cost.
 */
struct digest_ctx {
	GHashTable *memo;
	GString *text;
};

static const char *digest_of(struct digest_ctx *dc, const struct cib *cib,
			     const struct cib_rsc *rsc,
			     const struct cib_op_cfg *op, uint64_t interval_ms,
			     const char *only);

const char *
pe__digest(const struct pe_ws *ws, const struct pe_rsc *rsc,
	   const struct cib_op_cfg *op, uint64_t interval_ms)
{
	return pe__digest_only(ws, rsc, op, interval_ms, NULL);
}

const char *
pe__digest_only(const struct pe_ws *ws, const struct pe_rsc *rsc,
		const struct cib_op_cfg *op, uint64_t interval_ms,
		const char *only)
{
	struct digest_ctx dc = {ws->digests, ws->digest_text};

	return digest_of(&dc, ws->cib, rsc->cfg, op, interval_ms, only);
}

char *
pe_op_digest(const struct cib *cib, const struct cib_rsc *rsc,
	     const struct cib_op_cfg *op, uint64_t interval_ms)
{
	struct digest_ctx dc = {
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
		g_string_new(NULL)};
	char *digest =
		g_strdup(digest_of(&dc, cib, rsc, op, interval_ms, NULL));

	g_hash_table_destroy(dc.memo);
	g_string_free(dc.text, TRUE);
	return digest;
}

/* CRM_meta_timeout of a recurring operation, in ms, in @buf */
static const char *
timeout_text(const struct cib *cib, const struct cib_op_cfg *op,
	     char buf[static 24])
{
	uint64_t ms = pe_op_timeout(cib, op);
	char *p = buf + 23;

	*p = '\0';
	do {
		*--p = (char)('0' + ms % 10);
		ms /= 10;
	} while (ms != 0);
	return p;
}

/* The op-digest of @params with @timeout, owned by @dc->memo. */
static const char *
digest_text(struct digest_ctx *dc, GHashTable *params, const char *timeout)
{
	char *digest;
	const char *known;

	g_string_truncate(dc->text, 0);
	fo_op_digest_text_append(dc->text, params, timeout);
	known = g_hash_table_lookup(dc->memo, dc->text->str);
	if (known != NULL)
		return known;
	digest = g_compute_checksum_for_string(G_CHECKSUM_MD5, dc->text->str,
					       (gssize)dc->text->len);
	g_hash_table_insert(dc->memo, g_strndup(dc->text->str, dc->text->len),
			    digest);
	return digest;
}

static const char *
digest_of(struct digest_ctx *dc, const struct cib *cib,
	  const struct cib_rsc *rsc, const struct cib_op_cfg *op,
	  uint64_t interval_ms, const char *only)
{
	GHashTable *all;
	GHashTableIter it;
	gpointer k, v;
	char tbuf[24];
	const char *timeout = NULL, *digest;

	if (interval_ms > 0 && only == NULL)
		timeout = timeout_text(cib, op, tbuf);
	if (only == NULL &&
	    (op == NULL || op->params == NULL ||
	     g_hash_table_size(op->params) == 0) &&
	    (timeout == NULL ||
	     !g_hash_table_contains(rsc->params, "CRM_meta_timeout"))) {
		/* nothing to merge, filter or replace: the resource's own
		 * parameters as they are */
		return digest_text(dc, rsc->params, timeout);
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
			timeout = timeout_text(cib, op, tbuf);
	}
	digest = digest_text(dc, all, timeout);
	g_hash_table_destroy(all);
	return digest;
}
