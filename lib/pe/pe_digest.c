/*
 * pe_digest.c - has a resource's definition changed since an operation
 * ran? Pacemaker records an MD5 digest of the parameters an operation
 * ran with (op-digest); the same digest of the current configuration
 * tells whether to restart the resource (start) or re-run a monitor.
 *
 * The digest is of " <parameters NAME="VALUE" .../>\n" with the names
 * sorted, the resource's instance attributes plus the operation's own,
 * and for recurring operations the timeout (CRM_meta_timeout, in ms).
 */
#include <string.h>

#include "pe_private.h"

#define DEFAULT_TIMEOUT_MS 20000

static void
add_escaped(GString *s, const char *v)
{
	for (; *v != '\0'; v++) {
		switch (*v) {
		case '&':
			g_string_append(s, "&amp;");
			break;
		case '<':
			g_string_append(s, "&lt;");
			break;
		case '>':
			g_string_append(s, "&gt;");
			break;
		case '"':
			g_string_append(s, "&quot;");
			break;
		default:
			g_string_append_c(s, *v);
			break;
		}
	}
}

static uint64_t
op_timeout(const struct pe_ws *ws, const struct cib_op_cfg *op)
{
	const char *v;
	uint64_t ms;

	if (op != NULL && op->timeout_ms > 0)
		return op->timeout_ms;
	v = g_hash_table_lookup(ws->cib->op_defaults, "timeout");
	if (v != NULL && cib_parse_interval(v, &ms) == 0)
		return ms;
	return DEFAULT_TIMEOUT_MS;
}

static gint
cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
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
	GHashTable *all = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *names = g_ptr_array_new();
	GString *s = g_string_new(" <parameters");
	GHashTableIter it;
	gpointer k, v;
	char *timeout = NULL, *digest;
	guint i;

	g_hash_table_iter_init(&it, rsc->cfg->params);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_hash_table_replace(all, k, v);
	if (op != NULL && op->params != NULL) {
		g_hash_table_iter_init(&it, op->params);
		while (g_hash_table_iter_next(&it, &k, &v))
			g_hash_table_replace(all, k, v);
	}
	if (interval_ms > 0) {
		timeout = g_strdup_printf(
			"%llu", (unsigned long long)op_timeout(ws, op));
		g_hash_table_replace(all, (gpointer) "CRM_meta_timeout",
				     timeout);
	}
	g_hash_table_iter_init(&it, all);
	while (g_hash_table_iter_next(&it, &k, NULL))
		if (only == NULL || listed(only, k))
			g_ptr_array_add(names, k);
	g_ptr_array_sort(names, cmp_names);
	for (i = 0; i < names->len; i++) {
		const char *n = g_ptr_array_index(names, i);

		g_string_append_printf(s, " %s=\"", n);
		add_escaped(s, g_hash_table_lookup(all, n));
		g_string_append_c(s, '"');
	}
	g_string_append(s, "/>\n");
	digest = g_compute_checksum_for_string(G_CHECKSUM_MD5, s->str, -1);
	g_string_free(s, TRUE);
	g_ptr_array_free(names, TRUE);
	g_hash_table_destroy(all);
	g_free(timeout);
	return digest;
}
