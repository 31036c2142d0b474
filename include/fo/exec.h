/*
 * exec.h - the executor: runs OCF and LSB resource agents on this node.
 *
 * Stage 6 of the pipeline (DESIGN.md). In: operation requests (resource,
 * agent, action, parameters, interval, timeout). Out: one result per
 * operation in the shape of Pacemaker's lrm_rsc_op record (rc, op-status,
 * exec and queue time, exit reason, captured output), delivered through a
 * callback from the caller's GLib main context. Invariants: at most one
 * operation per resource runs at a time (the others wait in submit order);
 * completion is waitpid() of the agent, never EOF on its output; a group is
 * signalled only when its operation timed out; a stop that times out kills
 * everything the resource started (its cgroup where cgroup v2 exists).
 * Nothing here blocks or sleeps: children, pipes and timers are sources on
 * the context given to exec_new().
 */
#ifndef FO_EXEC_H
#define FO_EXEC_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* OCF exit codes (OCF 1.1), as agents return them. */
enum ocf_rc {
	OCF_SUCCESS = 0,
	OCF_ERR_GENERIC = 1,
	OCF_ERR_ARGS = 2,
	OCF_ERR_UNIMPLEMENTED = 3,
	OCF_ERR_PERM = 4,
	OCF_ERR_INSTALLED = 5,
	OCF_ERR_CONFIGURED = 6,
	OCF_NOT_RUNNING = 7,
	OCF_RUNNING_PROMOTED = 8,
	OCF_FAILED_PROMOTED = 9,
	OCF_DEGRADED = 190,
	OCF_DEGRADED_PROMOTED = 191,
};

/*
 * Execution status (the op-status attribute of lrm_rsc_op). The numbers are
 * Pacemaker's (enum pcmk_exec_status) so a status section written by fo
 * reads the same in Pacemaker's tools. EXEC_NOT_CONFIGURED shares
 * Pacemaker's "fatal error" value: a request the agent can never run.
 */
enum exec_status {
	EXEC_PENDING = -1,
	EXEC_DONE = 0,		 /* agent ran to completion; rc is its answer */
	EXEC_CANCELLED = 1,	 /* cancelled before or while it ran */
	EXEC_TIMEOUT = 2,	 /* killed at its timeout; exit code ignored */
	EXEC_NOT_SUPPORTED = 3,	 /* action or standard not supported */
	EXEC_ERROR = 4,		 /* could not run, or died / exited oddly */
	EXEC_NOT_CONFIGURED = 6, /* request is unusable (bad parameters) */
	EXEC_NOT_INSTALLED = 7,	 /* agent missing or not executable */
};

/* What the daemon, fo-agent and the tests configure; zero means default. */
struct exec_config {
	const char *ocf_root;	 /* NULL: $OCF_ROOT, else FO_OCF_ROOT */
	const char *lsb_dir;	 /* NULL: /etc/init.d */
	const char *node_name;	 /* NULL: uname -n */
	const char *rsctmp;	 /* HA_RSCTMP; NULL: /run/resource-agents */
	const char *cgroup_base; /* NULL: auto (see exec_new); "": none */
	const char *cgroup_leaf; /* auto base's last part; NULL: fo-<node> */
	guint max_parallel;	 /* operations at once; 0: 2 x online CPUs */
	guint kill_grace_ms;	 /* SIGTERM -> SIGKILL; 0: 2000 */
	bool kill_at_once;	 /* timeout sends SIGKILL at once (no grace) */
	size_t output_max;	 /* bytes kept per stream; 0: 64 KiB */
	bool child_watch;	 /* reap through GLib child watches instead
				  * of pidfds (what kernels < 5.3 get);
				  * exec_reap_children() then does nothing */
};

/*
 * One operation. The executor copies everything it needs in exec_submit();
 * the caller may free the request as soon as that returns.
 */
struct exec_op_req {
	const char *rsc;      /* resource id (OCF_RESOURCE_INSTANCE) */
	const char *standard; /* "ocf" or "lsb" */
	const char *provider; /* OCF provider, NULL for lsb */
	const char *type;     /* agent name */
	const char *action;   /* start, stop, monitor, meta-data, ... */
	guint interval_ms;    /* 0 for one-shot; > 0 recurring monitor */
	guint timeout_ms;     /* 0: 20000 */
	GHashTable *params;   /* char* -> char*: OCF_RESKEY_<name>; or NULL */
	GHashTable *meta;     /* char* -> char*: OCF_RESKEY_CRM_meta_<name>
			       * ('-' becomes '_'), e.g. clone-max; or NULL */
	const char *check_level; /* OCF_CHECK_LEVEL, or NULL */
	bool probe;		 /* a probe: sets op_target_rc=7 */
};

/*
 * The outcome of one operation. Valid only during the callback; keep a copy
 * with exec_result_copy().
 */
struct exec_result {
	uint64_t call_id; /* exec_submit()'s id (monitors: their id) */
	char *rsc;
	char *standard, *provider, *type, *action;
	guint interval_ms, timeout_ms;
	int rc; /* OCF rc after mapping (LSB mapped too) */
	enum exec_status status;
	int exit_code;	   /* raw exit status, -1 if none */
	int signo;	   /* signal that ended the agent, 0 if none */
	char *exit_reason; /* last ocf-exit-reason: line, or ours; or NULL */
	char *out, *err;   /* captured stdout/stderr (NUL-terminated) */
	size_t out_dropped, err_dropped; /* bytes beyond output_max */
	gint64 t_run;	 /* wall clock (s) at which it started */
	guint exec_ms;	 /* fork to reap (or to the kill completing) */
	guint queue_ms;	 /* submit (or monitor tick) to fork */
	pid_t pid;	 /* the agent's pid, 0 if never started */
	bool rsc_killed; /* stop timed out and everything the resource
			  * started was killed (its cgroup is empty) */
};

struct exec;

/**
 * exec_result_cb - receives a result, from the executor's main context.
 * @res:  [in] the result; owned by the executor, valid during the call.
 * @data: [in] the pointer given with the request.
 *
 * May call exec_submit(), exec_cancel() and the monitor functions, but not
 * exec_free().
 */
typedef void (*exec_result_cb)(const struct exec_result *res, void *data);

/**
 * exec_new() - create an executor.
 * @ctx: [in] main context on which all its sources run (NULL: default).
 * @cfg: [in] configuration, copied; NULL for all defaults.
 * @err: [out] on failure, a negative errno (may be NULL).
 *
 * With cfg->cgroup_base NULL, the executor looks for a cgroup v2 mount in
 * /proc/self/mountinfo and uses "<mount><own cgroup>/<leaf>" (leaf:
 * cfg->cgroup_leaf, default "fo-<node name>") when
 * it can create it; each resource then gets "<base>/rsc-<name>", in which all
 * of its operations (and what they start) run. Without cgroup v2 it falls back
 * to process groups. HA_RSCTMP is created (0755) when missing.
 *
 * Children are reaped through pidfds by pid, so a daemon that is a child
 * subreaper must reap orphans only through exec_reap_children(). The
 * process must keep descriptors 0-2 open (on /dev/null for a daemon), so
 * that the executor's pipes never take those numbers.
 *
 * Returns the executor, or NULL with *err set (-errno) when it cannot work.
 */
struct exec *exec_new(GMainContext *ctx, const struct exec_config *cfg,
		      int *err);

/**
 * exec_free() - destroy an executor.
 * @exec: [in] executor, or NULL.
 *
 * Queued operations and monitors are dropped without callbacks; running
 * agents are killed with SIGKILL to their process group and reaped.
 */
void exec_free(struct exec *exec);

/**
 * exec_submit() - queue one operation.
 * @exec: [in] executor.
 * @req:  [in] the request (copied). A non-zero interval_ms runs one
 *        instance of a recurring operation (the agent sees the interval);
 *        use exec_monitor_start() to make it recur.
 * @cb:   [in] called once with the result (never from inside this call).
 * @data: [in] passed to @cb.
 *
 * Returns the call id (> 0), or a negative errno: -EINVAL when the request
 * is incomplete or names are unsafe (a '/' in provider or type, '=' in a
 * parameter name).
 */
int64_t exec_submit(struct exec *exec, const struct exec_op_req *req,
		    exec_result_cb cb, void *data);

/**
 * exec_monitor_start() - run a monitor every req->interval_ms.
 * @exec: [in] executor.
 * @req:  [in] the monitor request (copied); interval_ms > 0, sub-second
 *        allowed. The first run is queued at once; each next run starts
 *        interval_ms after the previous one ended.
 * @cb:   [in] called with the first result and then each time (rc, status)
 *        differs from the previous run's; an unchanged result is not
 *        reported again. Called once with EXEC_CANCELLED when stopped.
 * @data: [in] passed to @cb.
 *
 * Returns the monitor's id (> 0), or -EINVAL.
 */
int64_t exec_monitor_start(struct exec *exec, const struct exec_op_req *req,
			   exec_result_cb cb, void *data);

/**
 * exec_cancel() - cancel a queued operation or a recurring monitor.
 * @exec: [in] executor.
 * @id:   [in] id from exec_submit() or exec_monitor_start().
 *
 * A queued operation is removed and reported as EXEC_CANCELLED. A monitor
 * stops recurring; if a run is in flight it completes (it is never killed)
 * and the cancellation is reported when it has. A running one-shot
 * operation cannot be cancelled.
 *
 * Returns 0, -ENOENT for an unknown id, -EBUSY for a running one-shot.
 */
int exec_cancel(struct exec *exec, int64_t id);

/**
 * exec_monitor_stop() - cancel every recurring monitor of a resource.
 * @exec: [in] executor.
 * @rsc:  [in] resource id.
 *
 * Returns the number of monitors cancelled.
 */
int exec_monitor_stop(struct exec *exec, const char *rsc);

/**
 * exec_kill_resource() - kill everything a resource started, now.
 * @exec: [in] executor.
 * @rsc:  [in] resource id.
 *
 * Writes cgroup.kill of the resource's cgroup. For a node that must make a
 * resource stopped without its agent (lost quorum and a stop that failed).
 * Returns 0 once the signal is sent, -ENOTSUP without cgroup v2, or -errno.
 */
int exec_kill_resource(struct exec *exec, const char *rsc);

/**
 * exec_resource_populated() - whether anything a resource started lives.
 * @exec: [in] executor.
 * @rsc:  [in] resource id.
 *
 * Reads cgroup.events of the resource's cgroup. Returns 1 when processes
 * remain, 0 when none (or the cgroup does not exist), -ENOTSUP without
 * cgroup v2.
 */
int exec_resource_populated(struct exec *exec, const char *rsc);

/**
 * exec_reap_children() - reap exited children for a subreaper daemon.
 * @exec: [in] executor.
 *
 * Call on SIGCHLD (g_unix_signal_add()). Reaps every exited child: those
 * that are running agents complete their operation as usual, the others
 * (orphans re-parented to a subreaper) are reaped and forgotten.
 * Returns the number of orphans reaped.
 */
int exec_reap_children(struct exec *exec);

/**
 * exec_run_sync() - run one operation and wait for it (tools, tests).
 * @exec: [in] executor.
 * @req:  [in] request, as for exec_submit().
 * @res:  [out] a copy of the result; free it with exec_result_free().
 *
 * Iterates the executor's main context until the result arrives; other
 * sources on that context run meanwhile. Returns 0 or the submit error.
 */
int exec_run_sync(struct exec *exec, const struct exec_op_req *req,
		  struct exec_result **res);

/**
 * exec_running() - operations running now (forked, not yet completed).
 * exec_queued() - operations waiting for their resource or a slot.
 */
guint exec_running(const struct exec *exec);
guint exec_queued(const struct exec *exec);

/* Counters since exec_new(), for status output and benchmarks. */
struct exec_stats {
	guint64 started;   /* agents forked */
	guint64 completed; /* results produced (including never started) */
	guint64 timed_out; /* operations that hit their timeout */
	guint64 orphans;   /* orphans reaped by exec_reap_children() */
};

/** exec_stats_get() - copy the counters into @st. */
void exec_stats_get(const struct exec *exec, struct exec_stats *st);

/**
 * exec_cgroup_base() - the cgroup directory in use, or NULL (groups only).
 */
const char *exec_cgroup_base(const struct exec *exec);

/**
 * exec_ocf_root() - the OCF root in use.
 */
const char *exec_ocf_root(const struct exec *exec);

/**
 * exec_agent_path() - where an agent lives.
 * @exec: [in] executor.
 * @standard, @provider, @type: [in] the agent.
 *
 * Returns a newly allocated path (g_free()), or NULL when the standard is
 * unknown or a name is unsafe.
 */
char *exec_agent_path(const struct exec *exec, const char *standard,
		      const char *provider, const char *type);

/** exec_result_copy() - deep copy; free with exec_result_free(). */
struct exec_result *exec_result_copy(const struct exec_result *res);

/** exec_result_free() - free a copy; NULL is fine. */
void exec_result_free(struct exec_result *res);

/*
 * Environment (exec_env.c).
 */

/**
 * exec_env_build() - the complete environment an agent gets.
 * @req:       [in] the request.
 * @ocf_root:  [in] OCF_ROOT.
 * @node_name: [in] OCF_RESKEY_CRM_meta_on_node.
 * @rsctmp:    [in] HA_RSCTMP.
 *
 * Nothing comes from the caller's environment: PATH is fixed
 * (EXEC_AGENT_PATH), and the variables are the ones DESIGN.md "Running
 * agents" lists. Returns a NULL-terminated "NAME=value" vector sorted by
 * name (g_strfreev()), or NULL if a parameter name is unusable.
 */
char **exec_env_build(const struct exec_op_req *req, const char *ocf_root,
		      const char *node_name, const char *rsctmp);

#define EXEC_AGENT_PATH                                                        \
	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define EXEC_EXIT_REASON_PREFIX "ocf-exit-reason:"

/**
 * exec_param_name_ok() - whether a parameter name can be an env variable.
 * @name: [in] the name: non-empty, letters, digits, '_' and '-' only.
 */
bool exec_param_name_ok(const char *name);

/*
 * Exit codes (exec_rc.c).
 */

/**
 * exec_map_rc() - turn an agent's exit into (rc, status).
 * @standard: [in] "ocf" or "lsb".
 * @action:   [in] the action (LSB status codes differ from the others).
 * @exit_code: [in] the raw exit code (0-255).
 * @status:   [out] EXEC_DONE, or EXEC_ERROR for a code outside the standard.
 *
 * Returns the OCF rc: OCF codes pass through (0-9, 190, 191); LSB codes
 * follow the LSB spec (status: 0 running, 1-3 not running, 4 unknown);
 * anything else is OCF_ERR_GENERIC with status EXEC_ERROR.
 */
int exec_map_rc(const char *standard, const char *action, int exit_code,
		enum exec_status *status);

/** ocf_rc_name() - "ok", "not running", ...; "unknown" for others. */
const char *ocf_rc_name(int rc);

/** ocf_rc_symbol() - "OCF_SUCCESS", ...; NULL for others. */
const char *ocf_rc_symbol(int rc);

/** exec_status_name() - "done", "timeout", ... */
const char *exec_status_name(enum exec_status status);

/*
 * Agent meta-data (exec_metadata.c).
 */

struct ocf_param {
	char *name, *type, *dflt; /* dflt: the content="" default or NULL */
	char *shortdesc, *longdesc;
	bool required, unique;
};

struct ocf_action {
	char *name;
	guint timeout_ms, interval_ms; /* 0 when not given */
	char *depth, *role;	       /* or NULL */
};

struct ocf_metadata {
	char *name, *version, *shortdesc, *longdesc;
	GPtrArray *params;  /* struct ocf_param * in document order */
	GPtrArray *actions; /* struct ocf_action * in document order */
};

/**
 * ocf_metadata_parse() - parse an agent's meta-data XML.
 * @xml:    [in] the text.
 * @len:    [in] its length.
 * @md:     [out] the result; free with ocf_metadata_free().
 * @errmsg: [out] on error, what is wrong and where (g_free()); may be NULL.
 *
 * Accepts the OCF resource-agent document (root <resource-agent>, the
 * <parameters> and <actions> lists; durations like "20s", "2m", "500ms").
 * Returns 0, or -FO_ESYNTAX (not XML, or not that document) or -FO_EINVAL
 * (a bad attribute value, e.g. an unreadable timeout).
 */
int ocf_metadata_parse(const char *xml, size_t len, struct ocf_metadata **md,
		       char **errmsg);

/** ocf_metadata_free() - free parsed meta-data; NULL is fine. */
void ocf_metadata_free(struct ocf_metadata *md);

/** ocf_metadata_action() - the action named @name, or NULL. */
const struct ocf_action *ocf_metadata_action(const struct ocf_metadata *md,
					     const char *name);

/** ocf_metadata_param() - the parameter named @name, or NULL. */
const struct ocf_param *ocf_metadata_param(const struct ocf_metadata *md,
					   const char *name);

/**
 * ocf_duration_ms() - parse an OCF/Pacemaker duration.
 * @s:  [in] "20", "20s", "2min", "2m", "500ms", "1h" (no unit: seconds).
 * @ms: [out] milliseconds.
 * Returns 0 or -FO_EINVAL.
 */
int ocf_duration_ms(const char *s, guint *ms);

/**
 * exec_metadata_get() - an agent's meta-data, from the cache or the agent.
 * @exec:   [in] executor.
 * @standard, @provider, @type: [in] the agent.
 * @md:     [out] cached meta-data, owned by the executor (valid until
 *          exec_free() or exec_metadata_flush()).
 * @errmsg: [out] on error, why (g_free()); may be NULL.
 *
 * Runs "meta-data" through exec_run_sync() on a miss, so it iterates the
 * executor's context: call it from tools and tests, or at daemon start-up.
 * Returns 0, -FO_ENOTFOUND (agent missing), -FO_ESYNTAX, or -FO_EINVAL.
 */
int exec_metadata_get(struct exec *exec, const char *standard,
		      const char *provider, const char *type,
		      const struct ocf_metadata **md, char **errmsg);

/** exec_metadata_flush() - drop the cache (agents were upgraded). */
void exec_metadata_flush(struct exec *exec);

#endif /* FO_EXEC_H */
