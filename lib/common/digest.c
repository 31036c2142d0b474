/*
 * digest.c - Pacemaker-compatible op-digest (see include/fo/digest.h).
 *
 * In: parameters and the operation's timeout. Out: an MD5 hex digest.
 * Deterministic: the names are sorted, never taken in hash-table order.
 */
#include <stdint.h>
#include <string.h>

#include "fo/digest.h"

static void
append_escaped(GString *s, const char *v)
{
	for (; *v; v++) {
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
		case '\'':
			g_string_append(s, "&apos;");
			break;
		/* Pacemaker 2.1.5 writes these as C escapes and a tab as
		 * four spaces (found with crm_simulate: check_digest.c) */
		case '\n':
			g_string_append(s, "\\n");
			break;
		case '\r':
			g_string_append(s, "\\r");
			break;
		case '\t':
			g_string_append(s, "    ");
			break;
		default:
			g_string_append_c(s, *v);
		}
	}
}

static gint
cmp_bytes(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *
fo_op_digest(GHashTable *params, const char *timeout_ms)
{
	char *text = fo_op_digest_text(params, timeout_ms);
	char *hex = g_compute_checksum_for_string(G_CHECKSUM_MD5, text, -1);

	g_free(text);
	return hex;
}

char *
fo_op_digest_text(GHashTable *params, const char *timeout_ms)
{
	GPtrArray *names = g_ptr_array_new();
	GString *s = g_string_new(" <parameters");
	GHashTableIter it;
	gpointer k;

	if (params) {
		g_hash_table_iter_init(&it, params);
		while (g_hash_table_iter_next(&it, &k, NULL))
			g_ptr_array_add(names, k);
	}
	if (timeout_ms)
		g_ptr_array_add(names,
				(gpointer)(uintptr_t) "CRM_meta_timeout");
	g_ptr_array_sort(names, cmp_bytes);
	for (guint i = 0; i < names->len; i++) {
		const char *n = names->pdata[i];
		const char *v = strcmp(n, "CRM_meta_timeout") == 0 && timeout_ms
					? timeout_ms
					: g_hash_table_lookup(params, n);

		g_string_append_c(s, ' ');
		g_string_append(s, n);
		g_string_append(s, "=\"");
		append_escaped(s, v ? v : "");
		g_string_append_c(s, '"');
	}
	g_string_append(s, "/>\n");
	g_ptr_array_unref(names);
	return g_string_free(s, FALSE);
}
