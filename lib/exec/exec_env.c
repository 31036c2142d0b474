/*
 * exec_env.c - the environment a resource agent runs with.
 *
 * In: an operation request and the node's settings. Out: a complete,
 * sorted "NAME=value" vector for execve(). Invariant: nothing is inherited
 * from the executor's own environment; parameters travel only here (never
 * on a command line), and the interval and timeout are always present in
 * milliseconds (ocf-shellfuncs treats a missing interval as a probe).
 */
#include <string.h>

#include "exec_int.h"

bool
exec_param_name_ok(const char *name)
{
	const char *p;

	if (name == NULL || *name == '\0')
		return false;
	for (p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-')
			return false;
	return true;
}

static void
env_set(GHashTable *env, const char *name, const char *value)
{
	g_hash_table_replace(env, g_strdup(name), g_strdup(value ? value : ""));
}

static void
env_set_uint(GHashTable *env, const char *name, guint value)
{
	char buf[16];

	g_snprintf(buf, sizeof(buf), "%u", value);
	env_set(env, name, buf);
}

/* Meta attribute names use '_' where the CIB uses '-' (clone-max). */
static char *
env_meta_name(const char *name)
{
	char *n = g_strconcat("OCF_RESKEY_CRM_meta_", name, NULL);

	g_strdelimit(n, "-", '_');
	return n;
}

static int
env_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
exec_env_build(const struct exec_op_req *req, const char *ocf_root,
	       const char *node_name, const char *rsctmp)
{
	GHashTable *env;
	GHashTableIter it;
	gpointer k, v;
	GPtrArray *out;
	bool lsb = g_strcmp0(req->standard, "lsb") == 0;

	env = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	/* Parameters first, so nothing below can be overridden by them. */
	if (req->params != NULL) {
		g_hash_table_iter_init(&it, req->params);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			g_autofree char *n = NULL;

			if (!exec_param_name_ok(k))
				goto bad;
			n = g_strconcat("OCF_RESKEY_", (char *)k, NULL);
			env_set(env, n, v);
		}
	}
	if (req->meta != NULL) {
		g_hash_table_iter_init(&it, req->meta);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			g_autofree char *n = NULL;

			if (!exec_param_name_ok(k))
				goto bad;
			n = env_meta_name(k);
			env_set(env, n, v);
		}
	}
	env_set(env, "PATH", EXEC_AGENT_PATH);
	env_set(env, "OCF_ROOT", ocf_root);
	env_set(env, "OCF_RA_VERSION_MAJOR", "1");
	env_set(env, "OCF_RA_VERSION_MINOR", "1");
	env_set(env, "OCF_RESOURCE_INSTANCE", req->rsc);
	env_set(env, "OCF_RESOURCE_TYPE", req->type);
	if (req->provider != NULL && !lsb)
		env_set(env, "OCF_RESOURCE_PROVIDER", req->provider);
	env_set(env, "OCF_EXIT_REASON_PREFIX", EXEC_EXIT_REASON_PREFIX);
	env_set(env, "HA_RSCTMP", rsctmp);
	env_set(env, "OCF_RESKEY_CRM_meta_name", req->action);
	env_set_uint(env, "OCF_RESKEY_CRM_meta_interval", req->interval_ms);
	env_set_uint(env, "OCF_RESKEY_CRM_meta_timeout",
		     req->timeout_ms ? req->timeout_ms : 20000);
	env_set(env, "OCF_RESKEY_CRM_meta_on_node", node_name);
	if (req->probe)
		env_set(env, "OCF_RESKEY_CRM_meta_op_target_rc", "7");
	if (req->check_level != NULL)
		env_set(env, "OCF_CHECK_LEVEL", req->check_level);

	out = g_ptr_array_new();
	g_hash_table_iter_init(&it, env);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_ptr_array_add(out, g_strconcat(k, "=", v, NULL));
	g_ptr_array_sort(out, env_cmp);
	g_ptr_array_add(out, NULL);
	g_hash_table_destroy(env);
	return (char **)g_ptr_array_free(out, FALSE);
bad:
	g_hash_table_destroy(env);
	return NULL;
}
