/*
 * exec_queue.c - the executor object, its per-resource queues and limit.
 *
 * In: requests from exec_submit() and monitor ticks. Out: operations
 * started in submit order, at most one per resource at a time and at most
 * max_parallel in all; results reported through the caller's callback from
 * the main context (never from inside exec_submit or exec_cancel). All
 * starting happens in one idle source (queue_dispatch), so a callback may
 * submit or cancel freely.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "fo/common.h"
#include "exec_int.h"

#define EXEC_DEFAULT_TIMEOUT_MS 20000
#define EXEC_DEFAULT_GRACE_MS 2000
#define EXEC_DEFAULT_OUTPUT_MAX 65536
#define EXEC_DEFAULT_RSCTMP "/run/resource-agents"

static bool
name_safe(const char *s)
{
	return s != NULL && *s != '\0' && strchr(s, '/') == NULL &&
	       strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

char *
exec_agent_path(const struct exec *exec, const char *standard,
		const char *provider, const char *type)
{
	if (!name_safe(type))
		return NULL;
	if (g_strcmp0(standard, "ocf") == 0) {
		if (!name_safe(provider))
			return NULL;
		return g_build_filename(exec->ocf_root, "resource.d", provider,
					type, NULL);
	}
	if (g_strcmp0(standard, "lsb") == 0)
		return g_build_filename(exec->lsb_dir, type, NULL);
	return NULL;
}

static bool
params_ok(GHashTable *h)
{
	GHashTableIter it;
	gpointer k;

	if (h == NULL)
		return true;
	g_hash_table_iter_init(&it, h);
	while (g_hash_table_iter_next(&it, &k, NULL))
		if (!exec_param_name_ok(k))
			return false;
	return true;
}

int
exec__req_check(const struct exec_op_req *req)
{
	if (req == NULL || req->rsc == NULL || *req->rsc == '\0' ||
	    !name_safe(req->type) || !exec_param_name_ok(req->action))
		return -EINVAL;
	if (g_strcmp0(req->standard, "ocf") == 0 && !name_safe(req->provider))
		return -EINVAL;
	if (g_strcmp0(req->standard, "ocf") != 0 &&
	    g_strcmp0(req->standard, "lsb") != 0)
		return -EINVAL;
	if (!params_ok(req->params) || !params_ok(req->meta))
		return -EINVAL;
	return 0;
}

static GHashTable *
table_copy(GHashTable *src)
{
	GHashTable *h;
	GHashTableIter it;
	gpointer k, v;

	if (src == NULL)
		return NULL;
	h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_hash_table_iter_init(&it, src);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_hash_table_insert(h, g_strdup(k), g_strdup(v ? v : ""));
	return h;
}

void
exec__req_copy(struct exec_req_copy *dst, const struct exec_op_req *src)
{
	struct exec_op_req *d = &dst->r;

	*d = *src;
	d->rsc = dst->rsc = g_strdup(src->rsc);
	d->standard = dst->standard = g_strdup(src->standard);
	d->provider = dst->provider = g_strdup(src->provider);
	d->type = dst->type = g_strdup(src->type);
	d->action = dst->action = g_strdup(src->action);
	d->check_level = dst->check_level = g_strdup(src->check_level);
	d->params = table_copy(src->params);
	d->meta = table_copy(src->meta);
	if (d->timeout_ms == 0)
		d->timeout_ms = EXEC_DEFAULT_TIMEOUT_MS;
}

void
exec__req_clear(struct exec_req_copy *c)
{
	struct exec_op_req *r = &c->r;

	g_free(c->rsc);
	g_free(c->standard);
	g_free(c->provider);
	g_free(c->type);
	g_free(c->action);
	g_free(c->check_level);
	if (r->params != NULL)
		g_hash_table_destroy(r->params);
	if (r->meta != NULL)
		g_hash_table_destroy(r->meta);
	memset(c, 0, sizeof(*c));
}

struct exec_rsc *
exec__rsc_ref(struct exec *exec, const char *name)
{
	struct exec_rsc *rsc = g_hash_table_lookup(exec->rscs, name);

	if (rsc == NULL) {
		rsc = g_new0(struct exec_rsc, 1);
		rsc->name = g_strdup(name);
		g_hash_table_insert(exec->rscs, rsc->name, rsc);
	}
	rsc->refs++;
	return rsc;
}

void
exec__rsc_unref(struct exec *exec, struct exec_rsc *rsc)
{
	if (rsc == NULL || --rsc->refs > 0)
		return;
	g_hash_table_remove(exec->rscs, rsc->name);
	g_free(rsc->cgroup);
	g_free(rsc->name);
	g_free(rsc);
}

struct exec_op *
exec__op_new(struct exec *exec, const struct exec_op_req *req,
	     exec_result_cb cb, void *data)
{
	struct exec_op *op = g_new0(struct exec_op, 1);
	struct exec_result *res = &op->res;

	op->exec = exec;
	op->id = ++exec->next_id;
	exec__req_copy(&op->req, req);
	op->rsc = exec__rsc_ref(exec, req->rsc);
	op->cb = cb;
	op->data = data;
	op->pidfd = op->errfd = -1;
	op->out.fd = op->err.fd = -1;
	op->state = OP_QUEUED;
	op->t_queued = exec__now_us();
	res->call_id = (uint64_t)op->id;
	res->rsc = op->req.rsc;
	res->standard = op->req.standard;
	res->provider = op->req.provider;
	res->type = op->req.type;
	res->action = op->req.action;
	res->interval_ms = op->req.r.interval_ms;
	res->timeout_ms = op->req.r.timeout_ms;
	res->status = EXEC_PENDING;
	res->exit_code = -1;
	return op;
}

static void
op_free(struct exec_op *op)
{
	exec__capture_clear(&op->out);
	exec__capture_clear(&op->err);
	if (op->timer != NULL) {
		g_source_destroy(op->timer);
		g_source_unref(op->timer);
	}
	if (op->child_src != NULL) {
		g_source_destroy(op->child_src);
		g_source_unref(op->child_src);
	}
	if (op->pidfd >= 0)
		close(op->pidfd);
	if (op->errfd >= 0)
		close(op->errfd);
	g_free(op->res.exit_reason);
	exec__rsc_unref(op->exec, op->rsc);
	exec__req_clear(&op->req);
	g_free(op);
}

static gboolean queue_dispatch(void *data);

void
exec__kick(struct exec *exec)
{
	if (exec->idle != NULL)
		return;
	exec->idle = g_idle_source_new();
	g_source_set_callback(exec->idle, queue_dispatch, exec, NULL);
	g_source_attach(exec->idle, exec->ctx);
}

void
exec__op_enqueue(struct exec_op *op)
{
	g_hash_table_insert(op->exec->ops, &op->id, op);
	g_queue_push_tail(&op->exec->waiting, op);
	exec__kick(op->exec);
}

static void
op_log_result(const struct exec_op *op)
{
	const struct exec_result *res = &op->res;
	const char *what = res->status == EXEC_DONE
				   ? ocf_rc_name(res->rc)
				   : exec_status_name(res->status);

	if (res->status == EXEC_DONE || res->status == EXEC_CANCELLED)
		log_debug("%s: %s %s_%u: rc %d (%s) in %u ms", __func__,
			  res->rsc, res->action, res->interval_ms, res->rc,
			  what, res->exec_ms);
	else
		log_info("%s: %s %s_%u: %s (rc %d) in %u ms: %s", __func__,
			 res->rsc, res->action, res->interval_ms, what, res->rc,
			 res->exec_ms,
			 res->exit_reason ? res->exit_reason : "no reason");
	if (res->err == NULL || *res->err == '\0')
		return;
	if (res->status != EXEC_DONE && res->status != EXEC_CANCELLED) {
		/* What the agent said, on one line, for the operator. */
		g_autofree char *e = g_strndup(res->err, 512);

		g_strdelimit(g_strstrip(e), "\n", '|');
		log_info("%s: %s %s stderr: %s", __func__, res->rsc,
			 res->action, e);
	} else if (log_verbosity() > 1) {
		log_debug("%s: %s %s stderr: %s", __func__, res->rsc,
			  res->action, res->err);
	}
}

void
exec__op_finish(struct exec_op *op)
{
	struct exec *exec = op->exec;
	struct exec_result *res = &op->res;

	if (op->state >= OP_RUNNING) {
		if (op->rsc->running == op)
			op->rsc->running = NULL;
		exec->running--;
		res->exec_ms = (guint)((op->t_end - op->t_start) / 1000);
		res->queue_ms = (guint)((op->t_start - op->t_queued) / 1000);
	} else {
		res->queue_ms = (guint)((exec__now_us() - op->t_queued) / 1000);
	}
	op->state = OP_DONE;
	exec->stats.completed++;
	if (res->status == EXEC_TIMEOUT)
		exec->stats.timed_out++;
	g_hash_table_remove(exec->ops, &op->id);
	res->out = op->out.buf ? op->out.buf->str : "";
	res->err = op->err.buf ? op->err.buf->str : "";
	res->out_dropped = op->out.dropped;
	res->err_dropped = op->err.dropped;
	op_log_result(op);
	if (op->mon != NULL)
		exec__monitor_done(op->mon, res);
	else if (op->cb != NULL)
		op->cb(res, op->data);
	op_free(op);
	exec__kick(exec);
}

/* The first waiting op that may start now, or NULL. */
static struct exec_op *
queue_next(struct exec *exec)
{
	if (exec->running >= exec->max_parallel)
		return NULL;
	for (GList *l = exec->waiting.head; l; l = l->next) {
		struct exec_op *op = l->data;

		if (op->rsc->running == NULL)
			return op;
	}
	return NULL;
}

static gboolean
queue_dispatch(void *data)
{
	struct exec *exec = data;
	struct exec_op *op;

	g_source_unref(exec->idle);
	exec->idle = NULL;
	while ((op = g_queue_pop_head(&exec->finished)) != NULL)
		exec__op_finish(op);
	while ((op = queue_next(exec)) != NULL) {
		g_queue_remove(&exec->waiting, op);
		op->rsc->running = op;
		exec->running++;
		op->state = OP_RUNNING;
		if (exec__op_spawn(op) < 0) {
			op->t_start = op->t_end = exec__now_us();
			exec__op_finish(op);
		}
	}
	return G_SOURCE_REMOVE;
}

int64_t
exec_submit(struct exec *exec, const struct exec_op_req *req, exec_result_cb cb,
	    void *data)
{
	struct exec_op *op;

	if (exec__req_check(req) < 0)
		return -EINVAL;
	op = exec__op_new(exec, req, cb, data);
	exec__op_enqueue(op);
	return op->id;
}

int
exec_cancel(struct exec *exec, int64_t id)
{
	struct exec_op *op = g_hash_table_lookup(exec->ops, &id);

	if (op == NULL)
		return exec__monitor_cancel(exec, id);
	if (op->cancelled)
		return -ENOENT; /* already being reported */
	if (op->state != OP_QUEUED)
		return -EBUSY;
	op->cancelled = true;
	g_queue_remove(&exec->waiting, op);
	op->res.status = EXEC_CANCELLED;
	op->res.rc = OCF_ERR_GENERIC;
	g_queue_push_tail(&exec->finished, op);
	exec__kick(exec);
	return 0;
}

void
exec_stats_get(const struct exec *exec, struct exec_stats *st)
{
	*st = exec->stats;
}

guint
exec_running(const struct exec *exec)
{
	return exec->running;
}

guint
exec_queued(const struct exec *exec)
{
	return exec->waiting.length;
}

const char *
exec_ocf_root(const struct exec *exec)
{
	return exec->ocf_root;
}

static char *
node_name_default(void)
{
	struct utsname u;

	if (uname(&u) < 0)
		return g_strdup("localhost");
	return g_strdup(u.nodename);
}

/* Remove the empty resource cgroups and the base (rmdir fails on busy). */
static void
exec_cgroup_prune(const char *base)
{
	GDir *d = g_dir_open(base, 0, NULL);
	const char *n;

	while (d != NULL && (n = g_dir_read_name(d)) != NULL) {
		g_autofree char *p = NULL;

		if (!g_str_has_prefix(n, "rsc-"))
			continue;
		p = g_build_filename(base, n, NULL);
		(void)rmdir(p);
	}
	if (d != NULL)
		g_dir_close(d);
	(void)rmdir(base);
}

static void
exec_cgroup_setup(struct exec *exec, const char *base, const char *name)
{
	g_autofree char *found = NULL;

	if (base != NULL && *base == '\0')
		return;
	if (base == NULL) {
		found = exec__cgroup_find();
		if (found == NULL) {
			log_debug("%s: no cgroup v2; using process groups",
				  __func__);
			return;
		}
		g_autofree char *leaf =
			name ? g_strdup(name)
			     : g_strconcat("fo-", exec->node_name, NULL);

		g_strdelimit(leaf, "/ ", '_');
		exec->cg_base = g_build_filename(found, leaf, NULL);
	} else {
		exec->cg_base = g_strdup(base);
	}
	if (g_mkdir_with_parents(exec->cg_base, 0755) < 0) {
		log_info("%s: cannot create %s (%s); using process groups",
			 __func__, exec->cg_base, g_strerror(errno));
		g_clear_pointer(&exec->cg_base, g_free);
	}
}

struct exec *
exec_new(GMainContext *ctx, const struct exec_config *cfg, int *err)
{
	static const struct exec_config none;
	struct exec *exec;
	const char *root;

	if (cfg == NULL)
		cfg = &none;
	exec = g_new0(struct exec, 1);
	exec->devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (exec->devnull < 0) {
		if (err != NULL)
			*err = -errno;
		g_free(exec);
		return NULL;
	}
	exec->ctx = g_main_context_ref(ctx ? ctx : g_main_context_default());
	root = cfg->ocf_root ? cfg->ocf_root : getenv("OCF_ROOT");
	exec->ocf_root = g_strdup(root && *root ? root : FO_OCF_ROOT);
	exec->lsb_dir = g_strdup(cfg->lsb_dir ? cfg->lsb_dir : "/etc/init.d");
	exec->node_name =
		cfg->node_name ? g_strdup(cfg->node_name) : node_name_default();
	exec->rsctmp =
		g_strdup(cfg->rsctmp ? cfg->rsctmp : EXEC_DEFAULT_RSCTMP);
	if (g_mkdir_with_parents(exec->rsctmp, 0755) < 0)
		log_warn("%s: cannot create HA_RSCTMP %s", __func__,
			 exec->rsctmp);
	exec->max_parallel = cfg->max_parallel
				     ? cfg->max_parallel
				     : 2 * (guint)g_get_num_processors();
	exec->grace_ms =
		cfg->kill_grace_ms ? cfg->kill_grace_ms : EXEC_DEFAULT_GRACE_MS;
	exec->kill_at_once = cfg->kill_at_once;
	exec->child_watch = cfg->child_watch;
	exec->output_max =
		cfg->output_max ? cfg->output_max : EXEC_DEFAULT_OUTPUT_MAX;
	exec->rscs = g_hash_table_new(g_str_hash, g_str_equal);
	exec->ops = g_hash_table_new(g_int64_hash, g_int64_equal);
	exec->monitors = g_hash_table_new(g_int64_hash, g_int64_equal);
	exec->mdcache =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
				      (GDestroyNotify)ocf_metadata_free);
	g_queue_init(&exec->waiting);
	g_queue_init(&exec->finished);
	exec_cgroup_setup(exec, cfg->cgroup_base, cfg->cgroup_leaf);
	return exec;
}

void
exec_free(struct exec *exec)
{
	GList *ops, *mons;

	if (exec == NULL)
		return;
	mons = g_hash_table_get_values(exec->monitors);
	for (GList *l = mons; l; l = l->next)
		exec__monitor_free(l->data);
	g_list_free(mons);
	ops = g_hash_table_get_values(exec->ops);
	for (GList *l = ops; l; l = l->next) {
		struct exec_op *op = l->data;

		exec__op_kill_now(op);
		op_free(op);
	}
	g_list_free(ops);
	g_queue_clear(&exec->waiting);
	g_queue_clear(&exec->finished);
	if (exec->idle != NULL) {
		g_source_destroy(exec->idle);
		g_source_unref(exec->idle);
	}
	if (exec->cg_base != NULL)
		exec_cgroup_prune(exec->cg_base);
	g_hash_table_destroy(exec->rscs);
	g_hash_table_destroy(exec->ops);
	g_hash_table_destroy(exec->monitors);
	g_hash_table_destroy(exec->mdcache);
	close(exec->devnull);
	g_main_context_unref(exec->ctx);
	g_free(exec->ocf_root);
	g_free(exec->lsb_dir);
	g_free(exec->node_name);
	g_free(exec->rsctmp);
	g_free(exec->cg_base);
	g_free(exec);
}

struct sync_wait {
	struct exec_result *res;
	bool done;
};

static void
sync_done(const struct exec_result *res, void *data)
{
	struct sync_wait *w = data;

	w->res = exec_result_copy(res);
	w->done = true;
}

int
exec_run_sync(struct exec *exec, const struct exec_op_req *req,
	      struct exec_result **res)
{
	struct sync_wait w = {NULL, false};
	int64_t id = exec_submit(exec, req, sync_done, &w);

	if (id < 0)
		return (int)id;
	while (!w.done)
		g_main_context_iteration(exec->ctx, TRUE);
	*res = w.res;
	return 0;
}

struct exec_result *
exec_result_copy(const struct exec_result *res)
{
	struct exec_result *c = g_new(struct exec_result, 1);

	*c = *res;
	c->rsc = g_strdup(res->rsc);
	c->standard = g_strdup(res->standard);
	c->provider = g_strdup(res->provider);
	c->type = g_strdup(res->type);
	c->action = g_strdup(res->action);
	c->exit_reason = g_strdup(res->exit_reason);
	c->out = g_strdup(res->out);
	c->err = g_strdup(res->err);
	return c;
}

void
exec_result_free(struct exec_result *res)
{
	if (res == NULL)
		return;
	g_free(res->rsc);
	g_free(res->standard);
	g_free(res->provider);
	g_free(res->type);
	g_free(res->action);
	g_free(res->exit_reason);
	g_free(res->out);
	g_free(res->err);
	g_free(res);
}
