/*
 * cluster_names.c - node id -> node name, from corosync's nodelist.
 *
 * In: cmap keys nodelist.node.N.nodeid (u32), .name and .ring0_addr.
 * Out: a table nodeid -> name (the name, else ring0_addr). Read once per
 * connection, outside any callback; DESIGN.md "Node identity". Also the
 * totem timing (runtime.config.totem.token, .consensus) for stop-grace.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <corosync/cmap.h>

#include "cluster_private.h"

#define CLUSTER_NODES_MAX 1024

struct cluster_entry {
	uint32_t nodeid;
	char *name;
	char *addr;
};

/* "nodelist.node.12.name" -> index 12, field "name". */
static bool
cluster_key_split(const char *key, unsigned int *idx, const char **field)
{
	const char *p = key + strlen("nodelist.node.");
	char *end;
	unsigned long v;

	v = strtoul(p, &end, 10);
	if (end == p || *end != '.' || v >= CLUSTER_NODES_MAX)
		return false;
	*idx = (unsigned int)v;
	*field = end + 1;
	return true;
}

int
cluster__names_load(GHashTable *names)
{
	struct cluster_entry *e =
		g_new0(struct cluster_entry, CLUSTER_NODES_MAX);
	char key[CMAP_KEYNAME_MAXLEN + 1];
	cmap_iter_handle_t it;
	cmap_handle_t h;
	cmap_value_types_t type;
	const char *field;
	unsigned int idx, i, found = 0;
	size_t len;
	cs_error_t rc;
	int ret;

	if ((rc = cmap_initialize(&h)) != CS_OK) {
		g_free(e);
		return cluster__errno(rc);
	}
	if ((rc = cmap_iter_init(h, "nodelist.node.", &it)) != CS_OK) {
		ret = cluster__errno(rc);
		goto done;
	}
	while (cmap_iter_next(h, it, key, &len, &type) == CS_OK) {
		if (!cluster_key_split(key, &idx, &field))
			continue;
		if (strcmp(field, "nodeid") == 0 &&
		    type == CMAP_VALUETYPE_UINT32)
			cmap_get_uint32(h, key, &e[idx].nodeid);
		else if (strcmp(field, "name") == 0 && e[idx].name == NULL)
			cmap_get_string(h, key, &e[idx].name);
		else if (strcmp(field, "ring0_addr") == 0 &&
			 e[idx].addr == NULL)
			cmap_get_string(h, key, &e[idx].addr);
	}
	cmap_iter_finalize(h, it);
	for (i = 0; i < CLUSTER_NODES_MAX; i++) {
		const char *n = e[i].name ? e[i].name : e[i].addr;

		if (e[i].nodeid == 0 || n == NULL)
			continue;
		g_hash_table_replace(names, GUINT_TO_POINTER(e[i].nodeid),
				     g_strdup(n));
		found++;
	}
	ret = found ? 0 : -ENOENT;
done:
	for (i = 0; i < CLUSTER_NODES_MAX; i++) {
		free(e[i].name); /* cmap_get_string allocates with malloc */
		free(e[i].addr);
	}
	g_free(e);
	cmap_finalize(h);
	return ret;
}

int
cluster__totem_load(guint *token_ms, guint *consensus_ms, char **name)
{
	cmap_handle_t h;
	uint32_t v;
	cs_error_t rc;
	char *s = NULL;

	if ((rc = cmap_initialize(&h)) != CS_OK)
		return cluster__errno(rc);
	if (cmap_get_uint32(h, "runtime.config.totem.token", &v) == CS_OK)
		*token_ms = v;
	if (cmap_get_uint32(h, "runtime.config.totem.consensus", &v) == CS_OK)
		*consensus_ms = v;
	if (cmap_get_string(h, "totem.cluster_name", &s) == CS_OK && s) {
		g_free(*name);
		*name = g_strdup(s);
		free(s); /* cmap allocates with malloc */
	}
	cmap_finalize(h);
	return 0;
}
