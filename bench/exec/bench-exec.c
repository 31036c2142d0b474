/*
 * bench-exec.c - how fast the executor runs agents, and what it costs.
 *
 * In: an OCF root holding the agents to time (bench/exec/run builds an
 * overlay). Out: a text report: operations per second serial and parallel,
 * per-operation latency of the executor and of a bare posix_spawn() +
 * waitpid() of the same agent with the same environment, interleaved in
 * the same run so both see the same machine load; the overhead is the
 * difference of the medians. Then memory (VmRSS and heap in use) across
 * many recurring runs of a no-op agent at a sub-second interval.
 */
#include <malloc.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fo/common.h"
#include "fo/exec.h"

struct bench {
	struct exec *exec;
	const char *ocf_root, *rsctmp;
	guint ops;
};

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
percentile(double *v, guint n, double p)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[(guint)((n - 1) * p)];
}

static double
now_us(void)
{
	return (double)g_get_monotonic_time();
}

static double
spawn_once(const char *path, char **envp)
{
	char *argv[] = {(char *)(uintptr_t)path, (char *)"monitor", NULL};
	double t0 = now_us();
	pid_t pid;
	int st;

	if (posix_spawn(&pid, path, NULL, NULL, argv, envp) != 0)
		fatalx("posix_spawn %s failed", path);
	while (waitpid(pid, &st, 0) < 0)
		;
	return now_us() - t0;
}

static double
exec_once(struct bench *b, const struct exec_op_req *req)
{
	struct exec_result *res = NULL;
	double t0 = now_us();

	if (exec_run_sync(b->exec, req, &res) < 0 || res->status != EXEC_DONE)
		fatalx("%s %s: %s", req->type, req->action,
		       res ? exec_status_name(res->status) : "refused");
	exec_result_free(res);
	return now_us() - t0;
}

/* Serial: executor and bare spawn interleaved, op by op. */
static void
bench_serial(struct bench *b, const char *provider, const char *type)
{
	struct exec_op_req req = {
		.rsc = "bench",
		.standard = "ocf",
		.provider = provider,
		.type = type,
		.action = "monitor",
		.timeout_ms = 20000,
	};
	g_autofree char *path = exec_agent_path(b->exec, "ocf", provider, type);
	g_auto(GStrv) envp =
		exec_env_build(&req, b->ocf_root, "bench", b->rsctmp);
	double *te = g_new(double, b->ops), *ts = g_new(double, b->ops);
	double sum_e = 0, sum_s = 0;

	for (guint i = 0; i < 20; i++) { /* warm-up */
		exec_once(b, &req);
		spawn_once(path, envp);
	}
	for (guint i = 0; i < b->ops; i++) {
		te[i] = exec_once(b, &req);
		ts[i] = spawn_once(path, envp);
		sum_e += te[i];
		sum_s += ts[i];
	}
	printf("serial   ocf:%s:%-8s %5u ops  executor %7.0f ops/s  "
	       "bare spawn %7.0f ops/s\n",
	       provider, type, b->ops, b->ops / (sum_e / 1e6),
	       b->ops / (sum_s / 1e6));
	{
		double me = percentile(te, b->ops, 0.5);
		double ms = percentile(ts, b->ops, 0.5);
		double e90 = percentile(te, b->ops, 0.9);
		double s90 = percentile(ts, b->ops, 0.9);

		printf("         latency median: executor %.3f ms, bare %.3f ms"
		       " -> overhead %.3f ms (p90 %.3f vs %.3f ms)\n",
		       me / 1000, ms / 1000, (me - ms) / 1000, e90 / 1000,
		       s90 / 1000);
	}
	g_free(te);
	g_free(ts);
}

struct par {
	guint done;
	guint bad;
};

static void
par_done(const struct exec_result *res, void *data)
{
	struct par *p = data;

	p->done++;
	if (res->status != EXEC_DONE)
		p->bad++;
}

static void
bench_parallel(struct bench *b, const char *provider, const char *type)
{
	struct par p = {0, 0};
	double t0;

	t0 = now_us();
	for (guint i = 0; i < b->ops; i++) {
		g_autofree char *rsc = g_strdup_printf("bench%u", i % 64);
		struct exec_op_req req = {
			.rsc = rsc,
			.standard = "ocf",
			.provider = provider,
			.type = type,
			.action = "monitor",
			.timeout_ms = 20000,
		};

		if (exec_submit(b->exec, &req, par_done, &p) < 0)
			fatalx("submit refused");
	}
	while (p.done < b->ops)
		g_main_context_iteration(NULL, TRUE);
	printf("parallel ocf:%s:%-8s %5u ops  executor %7.0f ops/s  "
	       "(64 resources, %u failed)\n",
	       provider, type, b->ops, b->ops / ((now_us() - t0) / 1e6), p.bad);
}

static long
rss_kb(void)
{
	g_autofree char *s = NULL;
	const char *p;

	if (!g_file_get_contents("/proc/self/status", &s, NULL, NULL))
		return -1;
	p = strstr(s, "VmRSS:");
	return p ? atol(p + 6) : -1;
}

/* Run @runs monitor runs on @nmon monitors, then cancel and drain. */
static void
mem_phase(struct bench *b, guint64 runs, guint nmon, guint interval)
{
	struct exec_stats st;
	guint64 base;
	int64_t *ids = g_new(int64_t, nmon);

	exec_stats_get(b->exec, &st);
	base = st.completed;
	for (guint i = 0; i < nmon; i++) {
		g_autofree char *rsc = g_strdup_printf("mon%u", i);
		struct exec_op_req req = {
			.rsc = rsc,
			.standard = "ocf",
			.provider = "fobench",
			.type = "noop",
			.action = "monitor",
			.interval_ms = interval,
			.timeout_ms = 20000,
		};

		ids[i] = exec_monitor_start(b->exec, &req, NULL, NULL);
	}
	do {
		g_main_context_iteration(NULL, TRUE);
		exec_stats_get(b->exec, &st);
	} while (st.completed - base < runs);
	for (guint i = 0; i < nmon; i++)
		(void)exec_cancel(b->exec, ids[i]);
	while (exec_running(b->exec) > 0 || exec_queued(b->exec) > 0)
		g_main_context_iteration(NULL, TRUE);
	for (guint i = 0; i < 100; i++)
		g_main_context_iteration(NULL, FALSE);
	g_free(ids);
}

/* Heap and RSS measured at rest after 10% of the runs and after all. */
static void
bench_memory(struct bench *b, guint runs, guint nmon, guint interval)
{
	struct exec_stats st;
	long rss1, rss2;
	size_t heap1, heap2;
	double t0 = now_us();
	guint64 base;

	exec_stats_get(b->exec, &st);
	base = st.completed;
	mem_phase(b, runs / 10, nmon, interval);
	rss1 = rss_kb();
	heap1 = mallinfo2().uordblks;
	mem_phase(b, runs - runs / 10, nmon, interval);
	rss2 = rss_kb();
	heap2 = mallinfo2().uordblks;
	exec_stats_get(b->exec, &st);
	printf("memory   %u recurring runs of ocf:fobench:noop (%u monitors "
	       "every %u ms) in %.1f s\n",
	       (guint)(st.completed - base), nmon, interval,
	       (now_us() - t0) / 1e6);
	printf("         at rest after %u runs: VmRSS %ld kB, heap in use "
	       "%zu B; after %u: VmRSS %ld kB, heap in use %zu B (%+ld B)\n",
	       runs / 10, rss1, heap1, runs, rss2, heap2,
	       (long)heap2 - (long)heap1);
}

int
main(int argc, char **argv)
{
	struct exec_config cfg = {0};
	struct bench b = {0};
	guint runs = 10000;
	int err = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: bench-exec OCF_ROOT RSCTMP [OPS] "
				"[MONITOR_RUNS]\n");
		return 2;
	}
	log_init("bench-exec", true, 0);
	b.ocf_root = argv[1];
	b.rsctmp = argv[2];
	b.ops = argc > 3 ? (guint)atoi(argv[3]) : 1000;
	if (argc > 4)
		runs = (guint)atoi(argv[4]);
	cfg.ocf_root = b.ocf_root;
	cfg.rsctmp = b.rsctmp;
	cfg.node_name = "bench";
	if (getenv("BENCH_NO_CGROUP") != NULL)
		cfg.cgroup_base = "";
	b.exec = exec_new(NULL, &cfg, &err);
	if (b.exec == NULL)
		fatalx("exec_new: %s", fo_strerror(err));
	printf("cgroup: %s; parallel limit: 2 x %u CPUs\n",
	       exec_cgroup_base(b.exec) ? exec_cgroup_base(b.exec)
					: "none (process groups)",
	       g_get_num_processors());
	if (b.ops > 0) {
		bench_serial(&b, "fobench", "noop");
		bench_serial(&b, "heartbeat", "Dummy");
		bench_parallel(&b, "fobench", "noop");
		bench_parallel(&b, "heartbeat", "Dummy");
	}
	bench_memory(&b, runs, 20,
		     getenv("BENCH_INTERVAL")
			     ? (guint)atoi(getenv("BENCH_INTERVAL"))
			     : 50);
	exec_free(b.exec);
	return 0;
}
