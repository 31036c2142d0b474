/*
 * exec_child.c - starting an agent and reaping it.
 *
 * In: a dispatched operation. Out: a running child in a new session (its
 * own process group), in the resource's cgroup when there is one, with
 * stdin on /dev/null, stdout/stderr on pipes, the built environment and
 * nothing else open; later, its exit status. The child is watched through
 * a pidfd and reaped by pid (never waitpid(-1)), so a subreaper daemon can
 * reap orphans beside us (exec_reap_children). Between fork() and execve()
 * the child calls only async-signal-safe functions.
 */
#ifndef _GNU_SOURCE
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib-unix.h>

#include "fo/common.h"
#include "exec_int.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static int
child_pidfd_open(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

/* Format a pid without stdio (async-signal-safe). */
static size_t
child_fmt_pid(char *buf, pid_t pid)
{
	char tmp[16];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + pid % 10);
		pid /= 10;
	} while (pid > 0 && n < sizeof(tmp));
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n++] = '\n';
	return n;
}

/* dup2() that also works when the descriptor is already in place. */
static int
child_dup(int from, int to)
{
	if (from == to)
		return fcntl(to, F_SETFD, 0);
	return dup2(from, to);
}

static void __attribute__((noreturn))
child_exec(const char *path, char **argv, char **envp, int devnull, int outfd,
	   int errfd, int failfd, int cgfd)
{
	struct sigaction sa;
	sigset_t none;
	char buf[20];
	int sig, e;

	(void)setsid();
	if (cgfd >= 0) {
		size_t n = child_fmt_pid(buf, getpid());

		(void)!write(cgfd, buf, n);
	}
	if (child_dup(devnull, 0) < 0 || child_dup(outfd, 1) < 0 ||
	    child_dup(errfd, 2) < 0)
		goto fail;
	(void)syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	if (chdir("/") < 0)
		goto fail;
	umask(022);
	execve(path, argv, envp);
fail:
	e = errno;
	(void)!write(failfd, &e, sizeof(e));
	_exit(127);
}

/*
 * vfork(): the child only makes system calls on its own stack until execve
 * (as glibc's posix_spawn does), and the parent is suspended meanwhile; it
 * saves copying the daemon's page tables on every operation. All signals
 * stay blocked across it, so no handler of ours can run in the child; the
 * child resets every disposition before it unblocks. Returns the pid or
 * -errno.
 */
static pid_t
child_spawn(const char *path, char **argv, char **envp, int devnull, int outfd,
	    int errfd, int failfd, int cgfd)
{
	sigset_t all, old;
	pid_t pid;
	int e;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pid = vfork();
	if (pid == 0)
		child_exec(path, argv, envp, devnull, outfd, errfd, failfd,
			   cgfd);
	e = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return pid < 0 ? -e : pid;
}

static void
op_fail_now(struct exec_op *op, enum exec_status status, int rc, char *reason)
{
	op->res.status = status;
	op->res.rc = rc;
	g_free(op->res.exit_reason);
	op->res.exit_reason = reason;
}

static gboolean
child_ready(int fd, GIOCondition cond, void *data)
{
	(void)fd;
	(void)cond;
	exec__op_reap(data);
	return G_SOURCE_CONTINUE; /* exec__op_reap removed it if done */
}

static void
child_exited(GPid pid, int status, void *data)
{
	struct exec_op *op = data;

	/* GLib already reaped it (no pidfd): record and complete. */
	(void)pid;
	op->wstatus = status;
	op->glib_reaped = true;
	exec__op_reap(op);
}

static void
child_watch(struct exec_op *op)
{
	op->pidfd = op->exec->child_watch ? -1 : child_pidfd_open(op->pid);
	if (op->pidfd >= 0) {
		op->child_src = g_unix_fd_source_new(op->pidfd, G_IO_IN);
		g_source_set_callback(op->child_src, G_SOURCE_FUNC(child_ready),
				      op, NULL);
	} else {
		if (!op->exec->child_watch) {
			log_info("%s: no pidfd (%s); reaping agents through "
				 "GLib child watches from now on",
				 __func__, g_strerror(errno));
			op->exec->child_watch = true;
		}
		op->pidfd = -1;
		op->child_src = g_child_watch_source_new(op->pid);
		g_source_set_callback(op->child_src,
				      G_SOURCE_FUNC(child_exited), op, NULL);
	}
	g_source_attach(op->child_src, op->exec->ctx);
}

/* Returns 0 when the agent is usable, else fills the result. */
static int
op_check_agent(struct exec_op *op, const char *path)
{
	struct stat st;

	if (path == NULL) {
		op_fail_now(op, EXEC_NOT_SUPPORTED, OCF_ERR_UNIMPLEMENTED,
			    g_strdup_printf("unsupported standard '%s'",
					    op->req.r.standard));
		return -ENOTSUP;
	}
	if (stat(path, &st) < 0) {
		op_fail_now(op, EXEC_NOT_INSTALLED, OCF_ERR_INSTALLED,
			    g_strdup_printf("agent %s: %s", path,
					    g_strerror(errno)));
		return -ENOENT;
	}
	if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0) {
		op_fail_now(op, EXEC_NOT_INSTALLED, OCF_ERR_INSTALLED,
			    g_strdup_printf("agent %s is not an executable "
					    "file",
					    path));
		return -EACCES;
	}
	return 0;
}

int
exec__op_spawn(struct exec_op *op)
{
	struct exec *exec = op->exec;
	const struct exec_op_req *r = &op->req.r;
	g_autofree char *path = NULL;
	g_autofree char *action = g_strdup(r->action);
	char **envp = NULL;
	char *argv[3];
	int outp[2] = {-1, -1}, errp[2] = {-1, -1}, failp[2] = {-1, -1};
	int cgfd = -1, rc = 0;

	path = exec_agent_path(exec, r->standard, r->provider, r->type);
	if ((rc = op_check_agent(op, path)) < 0)
		return rc;
	if (g_strcmp0(r->standard, "lsb") == 0 &&
	    g_strcmp0(action, "monitor") == 0) {
		g_free(action);
		action = g_strdup("status");
	}
	envp = exec_env_build(r, exec->ocf_root, exec->node_name, exec->rsctmp);
	if (envp == NULL) {
		op_fail_now(op, EXEC_NOT_CONFIGURED, OCF_ERR_CONFIGURED,
			    g_strdup("unusable parameter name"));
		return -EINVAL;
	}
	argv[0] = path;
	argv[1] = action;
	argv[2] = NULL;
	/* meta-data starts nothing: it needs no cgroup of its own. */
	if (strcmp(r->action, "meta-data") != 0)
		cgfd = exec__cgroup_prepare(exec, op->rsc);
	if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0 ||
	    pipe2(failp, O_CLOEXEC) < 0) {
		rc = -errno;
		goto fail;
	}
	op->t_start = exec__now_us();
	op->res.t_run = g_get_real_time() / G_USEC_PER_SEC;
	op->pid = child_spawn(path, argv, envp, exec->devnull, outp[1], errp[1],
			      failp[1], cgfd);
	if (op->pid < 0) {
		rc = op->pid;
		op->pid = 0;
		goto fail;
	}
	close(outp[1]);
	close(errp[1]);
	close(failp[1]);
	if (cgfd >= 0)
		close(cgfd);
	g_strfreev(envp);
	(void)g_unix_set_fd_nonblocking(outp[0], TRUE, NULL);
	(void)g_unix_set_fd_nonblocking(errp[0], TRUE, NULL);
	(void)g_unix_set_fd_nonblocking(failp[0], TRUE, NULL);
	op->errfd = failp[0];
	exec__capture_init(&op->out, outp[0], exec->output_max, false);
	exec__capture_init(&op->err, errp[0], exec->output_max, true);
	exec__capture_watch(exec, &op->out);
	exec__capture_watch(exec, &op->err);
	op->res.pid = op->pid;
	op->state = OP_RUNNING;
	exec->stats.started++;
	child_watch(op);
	exec__timeout_arm(op);
	log_debug("%s: %s %s_%s_%u started as pid %d", __func__, path, r->rsc,
		  r->action, r->interval_ms, (int)op->pid);
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (outp[i] >= 0)
			close(outp[i]);
		if (errp[i] >= 0)
			close(errp[i]);
		if (failp[i] >= 0)
			close(failp[i]);
	}
	if (cgfd >= 0)
		close(cgfd);
	g_strfreev(envp);
	op_fail_now(op, EXEC_ERROR, OCF_ERR_GENERIC,
		    g_strdup_printf("cannot start agent: %s", fo_strerror(rc)));
	return rc;
}

/* errno from a failed execve(), or 0 when the exec happened. */
static int
child_exec_errno(struct exec_op *op)
{
	int e = 0;

	if (op->errfd < 0)
		return 0;
	if (read(op->errfd, &e, sizeof(e)) != (ssize_t)sizeof(e))
		e = 0;
	close(op->errfd);
	op->errfd = -1;
	return e;
}

static void
op_result_from_status(struct exec_op *op, int status)
{
	const struct exec_op_req *r = &op->req.r;
	struct exec_result *res = &op->res;
	int e = child_exec_errno(op);

	if (WIFEXITED(status))
		res->exit_code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		res->signo = WTERMSIG(status);
	if (op->timed_out) {
		/* The exit code of a killed agent means nothing. */
		op_fail_now(op, EXEC_TIMEOUT, OCF_ERR_GENERIC,
			    g_strdup_printf("%s timed out after %u ms",
					    r->action, r->timeout_ms));
	} else if (e != 0) {
		op_fail_now(op,
			    e == ENOENT || e == EACCES || e == ENOEXEC
				    ? EXEC_NOT_INSTALLED
				    : EXEC_ERROR,
			    OCF_ERR_INSTALLED,
			    g_strdup_printf("cannot execute agent: %s",
					    g_strerror(e)));
	} else if (res->signo != 0) {
		op_fail_now(op, EXEC_ERROR, OCF_ERR_GENERIC,
			    g_strdup_printf("agent killed by signal %d (%s)",
					    res->signo,
					    g_strsignal(res->signo)));
	} else {
		res->rc = exec_map_rc(r->standard, r->action, res->exit_code,
				      &res->status);
		if (res->status != EXEC_DONE)
			op_fail_now(op, res->status, res->rc,
				    g_strdup_printf("agent exited with %d, "
						    "outside the %s codes",
						    res->exit_code,
						    r->standard));
	}
	if (op->err.reason != NULL && res->exit_reason == NULL)
		res->exit_reason = g_strdup(op->err.reason);
}

void
exec__op_reap(struct exec_op *op)
{
	int status = 0;
	pid_t got;

	if (op->glib_reaped) {
		status = op->wstatus;
		/* The leader is gone already; its group may not be. */
		if (op->timed_out && !op->group_killed) {
			(void)kill(-op->pid, SIGKILL);
			op->group_killed = true;
		}
	} else {
		/* A timed-out group dies while its zombie leader pins it. */
		if (op->timed_out && !op->group_killed) {
			(void)kill(-op->pid, SIGKILL);
			op->group_killed = true;
		}
		do {
			got = waitpid(op->pid, &status, WNOHANG);
		} while (got < 0 && errno == EINTR);
		if (got == 0)
			return; /* not yet: spurious wakeup */
		if (got < 0) {
			log_warnx("%s: pid %d of %s was reaped elsewhere; "
				  "its result is lost",
				  __func__, (int)op->pid, op->req.r.rsc);
			status = W_EXITCODE(OCF_ERR_GENERIC, 0);
		}
	}
	if (op->child_src != NULL) {
		g_source_destroy(op->child_src);
		g_source_unref(op->child_src);
		op->child_src = NULL;
	}
	if (op->pidfd >= 0)
		close(op->pidfd);
	op->pidfd = -1;
	op->t_end = exec__now_us();
	exec__capture_drain(&op->out);
	exec__capture_drain(&op->err);
	op_result_from_status(op, status);
	op->state = OP_REAPED;
	exec__after_reap(op);
}

void
exec__op_kill_now(struct exec_op *op)
{
	int status;

	if (op->pid <= 0 || op->state >= OP_REAPED)
		return;
	(void)kill(-op->pid, SIGKILL);
	while (waitpid(op->pid, &status, 0) < 0 && errno == EINTR)
		;
	op->state = OP_REAPED;
}

int
exec_reap_children(struct exec *exec)
{
	GHashTableIter it;
	gpointer v;
	siginfo_t si;
	int orphans = 0;

	if (exec->child_watch)
		return 0; /* GLib reaps: stealing its children breaks it */
	for (;;) {
		struct exec_op *mine = NULL;

		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 ||
		    si.si_pid == 0)
			break;
		g_hash_table_iter_init(&it, exec->ops);
		while (g_hash_table_iter_next(&it, NULL, &v)) {
			struct exec_op *op = v;

			if (op->state >= OP_RUNNING && op->state < OP_REAPED &&
			    op->pid == si.si_pid) {
				mine = op;
				break;
			}
		}
		if (mine != NULL) {
			int64_t id = mine->id; /* mine may be freed below */
			struct exec_op *still;

			exec__op_reap(mine);
			still = g_hash_table_lookup(exec->ops, &id);
			if (still != NULL && still->state < OP_REAPED)
				break; /* not reapable yet; never spin */
			continue;
		}
		if (waitpid(si.si_pid, NULL, WNOHANG) > 0)
			orphans++;
		else
			break;
	}
	exec->stats.orphans += (guint64)orphans;
	return orphans;
}
