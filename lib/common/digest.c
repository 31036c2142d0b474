/*
 * digest.c - Pacemaker-compatible op-digest (see include/fo/digest.h).
 *
 * In: parameters and the operation's timeout. Out: an MD5 hex digest.
 * Deterministic: the names are sorted, never taken in hash-table order.
 */
#include <stdint.h>
#include <stdlib.h>
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

static int
cmp_bytes(const void *a, const void *b)
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
	GString *s = g_string_new(NULL);

	fo_op_digest_text_append(s, params, timeout_ms);
	return g_string_free(s, FALSE);
}

/* Names sorted on the stack up to this many (a resource has a handful
 * of parameters; the policy engine computes a digest per active
 * operation, and a GPtrArray per digest was a third of its cost). */
#define DIGEST_NAMES_ON_STACK 32

void
fo_op_digest_text_append(GString *s, GHashTable *params, const char *timeout_ms)
{
	const char *stack[DIGEST_NAMES_ON_STACK], **names = stack;
	guint n = 0, max = params != NULL ? g_hash_table_size(params) : 0;
	GHashTableIter it;
	gpointer k;

	max += timeout_ms != NULL;
	if (max > DIGEST_NAMES_ON_STACK)
		names = g_new(const char *, max);
	if (params) {
		g_hash_table_iter_init(&it, params);
		while (g_hash_table_iter_next(&it, &k, NULL))
			names[n++] = k;
	}
	if (timeout_ms)
		names[n++] = "CRM_meta_timeout";
	/* only CRM_meta_timeout can come twice, and both give the same
	 * text: the order of ties does not matter */
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_bytes);
	g_string_append_len(s, " <parameters", 12);
	for (guint i = 0; i < n; i++) {
		const char *v =
			strcmp(names[i], "CRM_meta_timeout") == 0 && timeout_ms
				? timeout_ms
				: g_hash_table_lookup(params, names[i]);

		g_string_append_c(s, ' ');
		g_string_append(s, names[i]);
		g_string_append_len(s, "=\"", 2);
		append_escaped(s, v ? v : "");
		g_string_append_c(s, '"');
	}
	g_string_append_len(s, "/>\n", 3);
	if (names != stack)
		g_free(names);
}
