/*
 * exec_int.h - the executor's private structures, shared by lib/exec only.
 *
 * An operation (struct exec_op) moves through the states below, driven by
 * main-loop sources only: QUEUED (in exec->waiting) -> RUNNING (forked,
 * timeout armed) -> TERM_SENT (timed out, grace armed) -> KILL_SENT ->
 * REAPED (waitpid done; for a timed-out stop, waiting for the cgroup to
 * empty) -> reported and freed. A recurring monitor (struct exec_monitor)
 * creates one operation per run.
 */
#ifndef FO_EXEC_INT_H
#define FO_EXEC_INT_H

#include "fo/exec.h"

enum exec_op_state {
	OP_QUEUED,
	OP_RUNNING,
	OP_TERM_SENT,
	OP_KILL_SENT,
	OP_REAPED,
	OP_DONE,
};

/* One captured stream (exec_output.c). */
struct exec_capture {
	int fd; /* read end, -1 once closed */
	GSource *src;
	GString *buf; /* kept bytes, at most max */
	size_t max, dropped;
	bool scan_reason; /* stderr: look for ocf-exit-reason: lines */
	GString *line;	  /* the current partial line (bounded) */
	char *reason;	  /* the last exit reason seen */
};

/* A copy of struct exec_op_req that owns its strings. */
struct exec_req_copy {
	struct exec_op_req r; /* its strings point to the ones below */
	char *rsc, *standard, *provider, *type, *action, *check_level;
};

struct exec_rsc {
	char *name;
	struct exec_op *running;
	char *cgroup; /* directory, NULL without cgroup v2 */
	guint refs;   /* ops queued or running, monitors */
};

struct exec_monitor;

struct exec_op {
	struct exec *exec;
	int64_t id;
	struct exec_rsc *rsc;
	struct exec_req_copy req;
	exec_result_cb cb;
	void *data;
	struct exec_monitor *mon; /* set for a monitor's run */
	enum exec_op_state state;
	pid_t pid;
	int pidfd, errfd;
	int wstatus; /* set when GLib reaped it (no pidfd) */
	bool glib_reaped;
	GSource *child_src, *timer;
	struct exec_capture out, err;
	bool timed_out, cancelled, group_killed;
	guint cg_polls;
	gint64 t_queued, t_start, t_end; /* monotonic, us */
	struct exec_result res;
};

struct exec_monitor {
	struct exec *exec;
	int64_t id;
	struct exec_req_copy req;
	exec_result_cb cb;
	void *data;
	struct exec_rsc *rsc;
	GSource *timer;
	struct exec_op *inflight;
	bool reported, cancelled;
	int last_rc;
	enum exec_status last_status;
};

struct exec {
	GMainContext *ctx;
	char *ocf_root, *lsb_dir, *node_name, *rsctmp;
	char *cg_base; /* NULL: process groups only */
	guint max_parallel, grace_ms;
	bool kill_at_once;
	bool child_watch; /* GLib child watches, not pidfds */
	size_t output_max;
	int devnull;
	int64_t next_id;
	GHashTable *rscs;     /* name -> struct exec_rsc */
	GHashTable *ops;      /* id -> struct exec_op (queued, running) */
	GHashTable *monitors; /* id -> struct exec_monitor */
	GQueue waiting;	      /* struct exec_op, submit order */
	GQueue finished;      /* struct exec_op to report from the idle */
	guint running;
	GSource *idle;
	GHashTable *mdcache; /* "std:prov:type" -> struct ocf_metadata */
	struct exec_stats stats;
};

/* exec_queue.c */
void exec__kick(struct exec *exec);
void exec__op_finish(struct exec_op *op);
struct exec_op *exec__op_new(struct exec *exec, const struct exec_op_req *req,
			     exec_result_cb cb, void *data);
void exec__op_enqueue(struct exec_op *op);
int exec__req_check(const struct exec_op_req *req);
void exec__req_copy(struct exec_req_copy *dst, const struct exec_op_req *src);
void exec__req_clear(struct exec_req_copy *c);
void exec__rsc_unref(struct exec *exec, struct exec_rsc *rsc);
struct exec_rsc *exec__rsc_ref(struct exec *exec, const char *name);

/* exec_child.c */
int exec__op_spawn(struct exec_op *op);
void exec__op_reap(struct exec_op *op);
void exec__op_kill_now(struct exec_op *op);

/* exec_kill.c */
char *exec__cgroup_find(void);
int exec__cgroup_prepare(struct exec *exec, struct exec_rsc *rsc);
int exec__cgroup_kill(const char *dir);
int exec__cgroup_populated(const char *dir);
void exec__cgroup_release(struct exec_rsc *rsc);
void exec__timeout_arm(struct exec_op *op);
void exec__after_reap(struct exec_op *op);

/* exec_output.c */
void exec__capture_init(struct exec_capture *c, int fd, size_t max,
			bool scan_reason);
void exec__capture_watch(struct exec *exec, struct exec_capture *c);
void exec__capture_drain(struct exec_capture *c);
void exec__capture_clear(struct exec_capture *c);

/* exec_monitor.c */
void exec__monitor_done(struct exec_monitor *mon,
			const struct exec_result *res);
void exec__monitor_free(struct exec_monitor *mon);
int exec__monitor_cancel(struct exec *exec, int64_t id);

/* Small helpers. */
static inline gint64
exec__now_us(void)
{
	return g_get_monotonic_time();
}

#endif /* FO_EXEC_INT_H */
