/*
 * exec_monitor.c - recurring monitors.
 *
 * In: a monitor request with an interval (sub-second allowed). Out: one
 * queued operation per run, the next one timed interval_ms after the
 * previous run ended, and a callback only when (rc, status) differs from
 * the previous run's (the first run is always reported). A cancelled
 * monitor reports EXEC_CANCELLED exactly once, after its in-flight run (if
 * any) has ended; a run is never killed by a cancel.
 */
#include <errno.h>
#include <string.h>

#include "exec_int.h"

static void monitor_run(struct exec_monitor *mon);

void
exec__monitor_free(struct exec_monitor *mon)
{
	if (mon == NULL)
		return;
	if (mon->timer != NULL) {
		g_source_destroy(mon->timer);
		g_source_unref(mon->timer);
	}
	if (mon->inflight != NULL)
		mon->inflight->mon = NULL;
	g_hash_table_remove(mon->exec->monitors, &mon->id);
	exec__rsc_unref(mon->exec, mon->rsc);
	exec__req_clear(&mon->req);
	g_free(mon);
}

static void
monitor_set_timer(struct exec_monitor *mon, guint ms, GSourceFunc fn)
{
	if (mon->timer != NULL) {
		g_source_destroy(mon->timer);
		g_source_unref(mon->timer);
	}
	mon->timer = g_timeout_source_new(ms);
	g_source_set_callback(mon->timer, fn, mon, NULL);
	g_source_attach(mon->timer, mon->exec->ctx);
}

/* Report the cancellation of a monitor with no run in flight, and free. */
static gboolean
monitor_report_cancel(void *data)
{
	struct exec_monitor *mon = data;
	const struct exec_op_req *r = &mon->req.r;
	struct exec_result res;

	memset(&res, 0, sizeof(res));
	res.call_id = (uint64_t)mon->id;
	res.rsc = mon->req.rsc;
	res.standard = mon->req.standard;
	res.provider = mon->req.provider;
	res.type = mon->req.type;
	res.action = mon->req.action;
	res.interval_ms = r->interval_ms;
	res.timeout_ms = r->timeout_ms;
	res.status = EXEC_CANCELLED;
	res.rc = mon->reported ? mon->last_rc : OCF_SUCCESS;
	res.exit_code = -1;
	res.out = res.err = (char *)"";
	g_source_unref(mon->timer);
	mon->timer = NULL;
	if (mon->cb != NULL)
		mon->cb(&res, mon->data);
	exec__monitor_free(mon);
	return G_SOURCE_REMOVE;
}

static gboolean
monitor_tick(void *data)
{
	struct exec_monitor *mon = data;

	g_source_unref(mon->timer);
	mon->timer = NULL;
	monitor_run(mon);
	return G_SOURCE_REMOVE;
}

static void
monitor_run(struct exec_monitor *mon)
{
	struct exec_op *op = exec__op_new(mon->exec, &mon->req.r, NULL, NULL);

	op->mon = mon;
	op->res.call_id = (uint64_t)mon->id;
	mon->inflight = op;
	exec__op_enqueue(op);
}

void
exec__monitor_done(struct exec_monitor *mon, const struct exec_result *res)
{
	bool changed;

	mon->inflight = NULL;
	if (mon->cancelled) {
		struct exec_result c = *res;

		c.status = EXEC_CANCELLED;
		if (mon->cb != NULL)
			mon->cb(&c, mon->data);
		exec__monitor_free(mon);
		return;
	}
	changed = !mon->reported || res->rc != mon->last_rc ||
		  res->status != mon->last_status;
	mon->reported = true;
	mon->last_rc = res->rc;
	mon->last_status = res->status;
	monitor_set_timer(mon, mon->req.r.interval_ms, monitor_tick);
	if (changed && mon->cb != NULL)
		mon->cb(res, mon->data); /* may cancel mon */
}

int64_t
exec_monitor_start(struct exec *exec, const struct exec_op_req *req,
		   exec_result_cb cb, void *data)
{
	struct exec_monitor *mon;

	if (exec__req_check(req) < 0 || req->interval_ms == 0)
		return -EINVAL;
	mon = g_new0(struct exec_monitor, 1);
	mon->exec = exec;
	mon->id = ++exec->next_id;
	exec__req_copy(&mon->req, req);
	mon->cb = cb;
	mon->data = data;
	mon->rsc = exec__rsc_ref(exec, req->rsc);
	g_hash_table_insert(exec->monitors, &mon->id, mon);
	monitor_run(mon);
	return mon->id;
}

int
exec__monitor_cancel(struct exec *exec, int64_t id)
{
	struct exec_monitor *mon = g_hash_table_lookup(exec->monitors, &id);

	if (mon == NULL || mon->cancelled)
		return -ENOENT;
	mon->cancelled = true;
	if (mon->inflight != NULL) {
		/* A queued run is dropped; a running one completes. */
		if (mon->inflight->state == OP_QUEUED)
			(void)exec_cancel(exec, mon->inflight->id);
		return 0;
	}
	monitor_set_timer(mon, 0, monitor_report_cancel);
	return 0;
}

int
exec_monitor_stop(struct exec *exec, const char *rsc)
{
	GList *mons = g_hash_table_get_values(exec->monitors);
	int n = 0;

	for (GList *l = mons; l; l = l->next) {
		struct exec_monitor *mon = l->data;

		if (strcmp(mon->req.r.rsc, rsc) == 0 &&
		    exec__monitor_cancel(exec, mon->id) == 0)
			n++;
	}
	g_list_free(mons);
	return n;
}
