/*
 * exec_kill.c - timeouts, kills and the resources' cgroups.
 *
 * In: running operations and their timeouts. Out: signals, only ever to an
 * operation that timed out: SIGTERM to its process group, SIGKILL after the
 * grace period (or at once), and for a stop that timed out, cgroup.kill of
 * the resource's cgroup, i.e. everything the resource started, including
 * daemons that escaped the group with setsid(). A group is never signalled
 * after a normal exit. Each resource's cgroup v2 directory is
 * "<base>/rsc-<escaped name>"; the base comes from /proc/self/mountinfo.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fo/common.h"
#include "exec_int.h"

#define CG_POLL_MS 10
#define CG_POLL_MAX 500 /* 5 s for the cgroup to empty */

/* Undo mountinfo's octal escapes (\040 for a space). */
static char *
cg_unescape(const char *s)
{
	GString *o = g_string_new(NULL);

	while (*s) {
		if (s[0] == '\\' && g_ascii_isdigit(s[1]) &&
		    g_ascii_isdigit(s[2]) && g_ascii_isdigit(s[3])) {
			g_string_append_c(o, (char)((s[1] - '0') * 64 +
						    (s[2] - '0') * 8 +
						    (s[3] - '0')));
			s += 4;
		} else {
			g_string_append_c(o, *s++);
		}
	}
	return g_string_free(o, FALSE);
}

/* The cgroup v2 mount point, or NULL. */
static char *
cg_mount(void)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	char *found = NULL;

	if (!g_file_get_contents("/proc/self/mountinfo", &text, NULL, NULL))
		return NULL;
	lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l && !found; l++) {
		g_auto(GStrv) f = g_strsplit(*l, " ", -1);
		guint n = g_strv_length(f), i;

		for (i = 6; i + 1 < n; i++)
			if (strcmp(f[i], "-") == 0)
				break;
		if (i + 1 < n && strcmp(f[i + 1], "cgroup2") == 0)
			found = cg_unescape(f[4]);
	}
	return found;
}

/* Our own cgroup v2 path ("/" at the root), or NULL. */
static char *
cg_self(void)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;

	if (!g_file_get_contents("/proc/self/cgroup", &text, NULL, NULL))
		return NULL;
	lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++)
		if (g_str_has_prefix(*l, "0::"))
			return g_strdup(*l + 3);
	return NULL;
}

char *
exec__cgroup_find(void)
{
	g_autofree char *mnt = cg_mount();
	g_autofree char *self = NULL;

	if (mnt == NULL)
		return NULL;
	self = cg_self();
	if (self == NULL)
		return NULL;
	return g_build_filename(mnt, self, NULL);
}

static char *
cg_rsc_dir(const struct exec *exec, const char *rsc)
{
	GString *n = g_string_new("rsc-");
	char *dir;

	for (const char *p = rsc; *p; p++) {
		if (g_ascii_isalnum(*p) || strchr("_-.:", *p))
			g_string_append_c(n, *p);
		else
			g_string_append_printf(n, "%%%02X", (guchar)*p);
	}
	dir = g_build_filename(exec->cg_base, n->str, NULL);
	g_string_free(n, TRUE);
	return dir;
}

int
exec__cgroup_prepare(struct exec *exec, struct exec_rsc *rsc)
{
	g_autofree char *procs = NULL;
	int fd;

	if (exec->cg_base == NULL)
		return -1;
	if (rsc->cgroup == NULL)
		rsc->cgroup = cg_rsc_dir(exec, rsc->name);
	if (mkdir(rsc->cgroup, 0755) < 0 && errno != EEXIST) {
		log_warn("%s: cannot create cgroup %s; %s runs in its process "
			 "group only",
			 __func__, rsc->cgroup, rsc->name);
		return -1;
	}
	procs = g_build_filename(rsc->cgroup, "cgroup.procs", NULL);
	fd = open(procs, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		log_warn("%s: %s", __func__, procs);
	return fd;
}

static int
cg_write(const char *dir, const char *file, const char *value)
{
	g_autofree char *path = g_build_filename(dir, file, NULL);
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

/* Without cgroup.kill (kernel < 5.14): SIGKILL each pid, a few rounds. */
static int
cg_kill_each(const char *dir)
{
	g_autofree char *path = g_build_filename(dir, "cgroup.procs", NULL);
	int round;

	for (round = 0; round < 8; round++) {
		g_autofree char *text = NULL;
		g_auto(GStrv) pids = NULL;
		int n = 0;

		if (!g_file_get_contents(path, &text, NULL, NULL))
			return -ENOENT;
		pids = g_strsplit(text, "\n", -1);
		for (char **p = pids; *p; p++) {
			if (**p == '\0')
				continue;
			(void)kill((pid_t)g_ascii_strtoll(*p, NULL, 10),
				   SIGKILL);
			n++;
		}
		if (n == 0)
			break;
	}
	return 0;
}

int
exec__cgroup_kill(const char *dir)
{
	int rc = cg_write(dir, "cgroup.kill", "1");

	if (rc == -ENOENT && g_file_test(dir, G_FILE_TEST_IS_DIR))
		rc = cg_kill_each(dir);
	return rc;
}

int
exec__cgroup_populated(const char *dir)
{
	g_autofree char *path = g_build_filename(dir, "cgroup.events", NULL);
	g_autofree char *text = NULL;
	const char *p;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return -ENOENT;
	p = strstr(text, "populated ");
	if (p == NULL)
		return -FO_ESYNTAX;
	return p[10] == '1';
}

void
exec__cgroup_release(struct exec_rsc *rsc)
{
	if (rsc->cgroup != NULL && rmdir(rsc->cgroup) < 0 && errno != ENOENT &&
	    errno != EBUSY)
		log_warn("%s: rmdir %s", __func__, rsc->cgroup);
}

int
exec_kill_resource(struct exec *exec, const char *rsc)
{
	g_autofree char *dir = NULL;
	int rc;

	if (exec->cg_base == NULL)
		return -ENOTSUP;
	dir = cg_rsc_dir(exec, rsc);
	rc = exec__cgroup_kill(dir);
	if (rc == 0)
		log_info("%s: killed everything %s started (%s)", __func__, rsc,
			 dir);
	else if (rc != -ENOENT)
		log_warnx("%s: cannot kill cgroup %s: %s", __func__, dir,
			  fo_strerror(rc));
	return rc == -ENOENT ? 0 : rc;
}

int
exec_resource_populated(struct exec *exec, const char *rsc)
{
	g_autofree char *dir = NULL;
	int pop;

	if (exec->cg_base == NULL)
		return -ENOTSUP;
	dir = cg_rsc_dir(exec, rsc);
	pop = exec__cgroup_populated(dir);
	return pop == -ENOENT ? 0 : pop;
}

const char *
exec_cgroup_base(const struct exec *exec)
{
	return exec->cg_base;
}

static void
op_timer_clear(struct exec_op *op)
{
	if (op->timer != NULL) {
		g_source_destroy(op->timer);
		g_source_unref(op->timer);
		op->timer = NULL;
	}
}

static void
op_timer_set(struct exec_op *op, guint ms, GSourceFunc fn)
{
	op_timer_clear(op);
	op->timer = g_timeout_source_new(ms);
	g_source_set_callback(op->timer, fn, op, NULL);
	g_source_attach(op->timer, op->exec->ctx);
}

static bool
op_is_stop(const struct exec_op *op)
{
	return strcmp(op->req.r.action, "stop") == 0;
}

static gboolean
op_grace_over(void *data)
{
	struct exec_op *op = data;

	log_warnx("%s: %s %s (pid %d) still running %u ms after SIGTERM; "
		  "sending SIGKILL to its process group%s",
		  __func__, op->req.r.rsc, op->req.r.action, (int)op->pid,
		  op->exec->grace_ms,
		  op_is_stop(op) && op->rsc->cgroup ? " and its cgroup" : "");
	(void)kill(-op->pid, SIGKILL);
	op->group_killed = true;
	if (op_is_stop(op) && op->rsc->cgroup != NULL)
		(void)exec__cgroup_kill(op->rsc->cgroup);
	op->state = OP_KILL_SENT;
	g_source_unref(op->timer);
	op->timer = NULL;
	return G_SOURCE_REMOVE;
}

static gboolean
op_timed_out(void *data)
{
	struct exec_op *op = data;
	const struct exec_op_req *r = &op->req.r;

	op->timed_out = true;
	g_source_unref(op->timer);
	op->timer = NULL;
	if (op->exec->kill_at_once) {
		log_warnx("%s: %s %s (pid %d) timed out after %u ms; killing "
			  "its process group",
			  __func__, r->rsc, r->action, (int)op->pid,
			  r->timeout_ms);
		(void)kill(-op->pid, SIGKILL);
		op->group_killed = true;
		if (op_is_stop(op) && op->rsc->cgroup != NULL)
			(void)exec__cgroup_kill(op->rsc->cgroup);
		op->state = OP_KILL_SENT;
		return G_SOURCE_REMOVE;
	}
	log_warnx("%s: %s %s (pid %d) timed out after %u ms; sending SIGTERM "
		  "to its process group, SIGKILL in %u ms",
		  __func__, r->rsc, r->action, (int)op->pid, r->timeout_ms,
		  op->exec->grace_ms);
	(void)kill(-op->pid, SIGTERM);
	op->state = OP_TERM_SENT;
	op_timer_set(op, op->exec->grace_ms, op_grace_over);
	return G_SOURCE_REMOVE;
}

void
exec__timeout_arm(struct exec_op *op)
{
	op_timer_set(op, op->req.r.timeout_ms, op_timed_out);
}

/* A timed-out stop: wait (on a timer) until the cgroup is empty. */
static gboolean
op_cgroup_poll(void *data)
{
	struct exec_op *op = data;
	int pop = exec__cgroup_populated(op->rsc->cgroup);

	if (pop == 1 && ++op->cg_polls < CG_POLL_MAX)
		return G_SOURCE_CONTINUE;
	if (pop == 1)
		log_warnx("%s: cgroup %s of %s still has processes %u ms "
			  "after cgroup.kill; %s is not known to be stopped",
			  __func__, op->rsc->cgroup, op->req.r.rsc,
			  CG_POLL_MS * CG_POLL_MAX, op->req.r.rsc);
	else {
		op->res.rsc_killed = true;
		log_warnx("%s: stop of %s timed out; everything it started "
			  "was killed, so it is stopped",
			  __func__, op->req.r.rsc);
		exec__cgroup_release(op->rsc);
	}
	op->t_end = exec__now_us();
	g_source_unref(op->timer);
	op->timer = NULL;
	exec__op_finish(op);
	return G_SOURCE_REMOVE;
}

void
exec__after_reap(struct exec_op *op)
{
	struct exec_rsc *rsc = op->rsc;
	int pop;

	op_timer_clear(op);
	if (!op_is_stop(op) || rsc->cgroup == NULL) {
		exec__op_finish(op);
		return;
	}
	if (op->timed_out) {
		(void)exec__cgroup_kill(rsc->cgroup);
		op_timer_set(op, CG_POLL_MS, op_cgroup_poll);
		return;
	}
	pop = exec__cgroup_populated(rsc->cgroup);
	if (op->res.rc == OCF_SUCCESS && pop == 1)
		log_warnx("%s: %s stopped (rc 0) but processes remain in %s",
			  __func__, rsc->name, rsc->cgroup);
	else if (op->res.rc == OCF_SUCCESS && pop == 0)
		exec__cgroup_release(rsc);
	exec__op_finish(op);
}
