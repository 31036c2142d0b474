/*
 * keys.c - a hash table's keys in a fixed order.
 *
 * Whatever fo writes out (histories, actions, attributes) must not depend
 * on hash-table iteration order; this sorts the keys once, by bytes.
 * Kept apart from error.c so that programs without GLib can link that.
 */
#include <string.h>

#include "fo/common.h"

static gint
cmp_key(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

GPtrArray *
fo_sorted_keys(GHashTable *h)
{
	GPtrArray *keys = g_ptr_array_new();
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init(&it, h);
	while (g_hash_table_iter_next(&it, &k, NULL))
		g_ptr_array_add(keys, k);
	g_ptr_array_sort(keys, cmp_key);
	return keys;
}
