/*
 * check_exec.c - unit tests for lib/exec (the executor).
 *
 * Pure parts (environment, exit-code mapping, meta-data parsing) are
 * checked against values derived by hand from the OCF standard, LSB and
 * DESIGN.md. The process parts run small test agents from
 * tests/agents/ocf (provider "fotest") and fo's own agents through an
 * overlay OCF_ROOT in a temporary directory: timeouts, group and cgroup
 * kills, output limits, queues, monitors. The test process makes itself a
 * child subreaper so it can see that killed processes really died.
 */
#ifndef _GNU_SOURCE
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#endif
#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fo/common.h"
#include "fo/exec.h"

static char *tmp; /* per-test directory */
static struct exec *ex;

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p);
}

static void
overlay_link(const char *target, const char *link)
{
	g_autofree char *l = g_build_filename(tmp, link, NULL);

	ck_assert_int_eq(symlink(target, l), 0);
}

static struct exec *
exec_make(bool cgroup, guint grace_ms, guint max_parallel)
{
	struct exec_config cfg = {0};
	g_autofree char *root = g_build_filename(tmp, "ocf", NULL);
	g_autofree char *rsctmp = g_build_filename(tmp, "rsctmp", NULL);
	g_autofree char *node = g_strdup_printf("check-exec-%d", (int)getpid());
	int err = 0;
	struct exec *e;

	g_autofree char *lsb = g_build_filename(getenv("top_srcdir"), "tests",
						"agents", "lsb", NULL);

	cfg.ocf_root = root;
	cfg.lsb_dir = lsb;
	cfg.rsctmp = rsctmp;
	cfg.node_name = node;
	cfg.cgroup_base = cgroup ? NULL : "";
	cfg.kill_grace_ms = grace_ms;
	cfg.max_parallel = max_parallel;
	cfg.output_max = 4096;
	e = exec_new(NULL, &cfg, &err);
	ck_assert_msg(e != NULL, "exec_new: %s", fo_strerror(err));
	return e;
}

static void
setup(void)
{
	const char *src = getenv("top_srcdir");
	g_autofree char *agents = NULL, *fotest = NULL;

	ck_assert_msg(src != NULL, "top_srcdir must be set (make check)");
	tmp = g_dir_make_tmp("check-exec-XXXXXX", NULL);
	ck_assert(tmp != NULL);
	agents = g_build_filename(src, "agents", NULL);
	fotest = g_build_filename(src, "tests", "agents", "ocf", NULL);
	{
		g_autofree char *d =
			g_build_filename(tmp, "ocf", "resource.d", NULL);

		ck_assert_int_eq(g_mkdir_with_parents(d, 0755), 0);
	}
	overlay_link("/usr/lib/ocf/lib", "ocf/lib");
	overlay_link(agents, "ocf/resource.d/fo");
	overlay_link(fotest, "ocf/resource.d/fotest");
	(void)prctl(PR_SET_CHILD_SUBREAPER, 1);
	log_init("check_exec", true, 0);
	ex = exec_make(true, 300, 0);
}

static void
teardown(void)
{
	exec_free(ex);
	ex = NULL;
	(void)nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	g_free(tmp);
}

static char *
tmp_path(const char *name)
{
	return g_build_filename(tmp, name, NULL);
}

static struct exec_result *
run(const char *provider, const char *type, const char *action,
    guint timeout_ms, GHashTable *params)
{
	struct exec_op_req req = {
		.rsc = type,
		.standard = "ocf",
		.provider = provider,
		.type = type,
		.action = action,
		.timeout_ms = timeout_ms,
		.params = params,
	};
	struct exec_result *res = NULL;

	ck_assert_int_eq(exec_run_sync(ex, &req, &res), 0);
	return res;
}

static GHashTable *
params_new(const char *k, const char *v)
{
	GHashTable *h =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	if (k != NULL)
		g_hash_table_insert(h, g_strdup(k), g_strdup(v));
	return h;
}

/* Dead: gone, or a zombie (which exec_reap_children then reaps). */
static bool
pid_dead(pid_t pid)
{
	for (int i = 0; i < 200; i++) {
		g_autofree char *p = g_strdup_printf("/proc/%d/stat", (int)pid);
		g_autofree char *s = NULL;
		const char *st;

		(void)exec_reap_children(ex);
		if (!g_file_get_contents(p, &s, NULL, NULL))
			return true;
		st = strrchr(s, ')');
		if (st != NULL && (st[2] == 'Z' || st[2] == 'X'))
			return true;
		g_usleep(10000);
	}
	return false;
}

static pid_t
pid_from(const char *file)
{
	g_autofree char *s = NULL;

	ck_assert_msg(g_file_get_contents(file, &s, NULL, NULL), "no %s", file);
	return (pid_t)atoi(s);
}

/* ---- environment ---- */

START_TEST(test_env_exact)
{
	g_autoptr(GHashTable) p = params_new("ip", "10.0.0.1");
	g_autoptr(GHashTable) m = params_new("clone-max", "2");
	struct exec_op_req req = {
		.rsc = "vip",
		.standard = "ocf",
		.provider = "heartbeat",
		.type = "IPaddr2",
		.action = "monitor",
		.interval_ms = 0,
		.timeout_ms = 15000,
		.params = p,
		.meta = m,
		.check_level = "10",
		.probe = true,
	};
	/* By hand from DESIGN.md "Running agents"; sorted by name. */
	static const char *const want[] = {
		"HA_RSCTMP=/run/x",
		"OCF_CHECK_LEVEL=10",
		"OCF_EXIT_REASON_PREFIX=ocf-exit-reason:",
		"OCF_RA_VERSION_MAJOR=1",
		"OCF_RA_VERSION_MINOR=1",
		"OCF_RESKEY_CRM_meta_clone_max=2",
		"OCF_RESKEY_CRM_meta_interval=0",
		"OCF_RESKEY_CRM_meta_name=monitor",
		"OCF_RESKEY_CRM_meta_on_node=n1",
		"OCF_RESKEY_CRM_meta_op_target_rc=7",
		"OCF_RESKEY_CRM_meta_timeout=15000",
		"OCF_RESKEY_ip=10.0.0.1",
		"OCF_RESOURCE_INSTANCE=vip",
		"OCF_RESOURCE_PROVIDER=heartbeat",
		"OCF_RESOURCE_TYPE=IPaddr2",
		"OCF_ROOT=/ocf",
		"PATH=" EXEC_AGENT_PATH,
		NULL};
	g_auto(GStrv) env = NULL;

	setenv("FO_LEAK_CHECK", "1", 1);
	env = exec_env_build(&req, "/ocf", "n1", "/run/x");
	ck_assert(env != NULL);
	for (guint i = 0; want[i] || env[i]; i++)
		ck_assert_str_eq(env[i] ? env[i] : "(end)",
				 want[i] ? want[i] : "(end)");
}
END_TEST

START_TEST(test_env_not_probe_and_bad_names)
{
	g_autoptr(GHashTable) p = params_new("bad=name", "x");
	struct exec_op_req req = {
		.rsc = "r",
		.standard = "ocf",
		.provider = "fo",
		.type = "Dummy",
		.action = "monitor",
		.interval_ms = 500,
	};
	g_auto(GStrv) env = exec_env_build(&req, "/o", "n", "/t");

	ck_assert(g_strv_contains((const char *const *)env,
				  "OCF_RESKEY_CRM_meta_interval=500"));
	ck_assert(g_strv_contains((const char *const *)env,
				  "OCF_RESKEY_CRM_meta_timeout=20000"));
	for (char **e = env; *e; e++)
		ck_assert(
			!g_str_has_prefix(*e, "OCF_RESKEY_CRM_meta_op_target"));
	req.params = p;
	ck_assert(exec_env_build(&req, "/o", "n", "/t") == NULL);
	ck_assert(!exec_param_name_ok(""));
	ck_assert(!exec_param_name_ok("a b"));
	ck_assert(exec_param_name_ok("cidr_netmask"));
	ck_assert(exec_param_name_ok("clone-max"));
	ck_assert_int_eq(exec_submit(ex, &req, NULL, NULL), -EINVAL);
}
END_TEST

/* ---- exit codes ---- */

START_TEST(test_rc_mapping)
{
	enum exec_status st;

	for (int rc = 0; rc <= 9; rc++) {
		ck_assert_int_eq(exec_map_rc("ocf", "start", rc, &st), rc);
		ck_assert_int_eq(st, EXEC_DONE);
	}
	ck_assert_int_eq(exec_map_rc("ocf", "monitor", 190, &st), 190);
	ck_assert_int_eq(st, EXEC_DONE);
	ck_assert_int_eq(exec_map_rc("ocf", "start", 99, &st), 1);
	ck_assert_int_eq(st, EXEC_ERROR);
	/* LSB status: 0 running, 1-3 not running, 4 unknown. */
	ck_assert_int_eq(exec_map_rc("lsb", "status", 0, &st), 0);
	ck_assert_int_eq(exec_map_rc("lsb", "monitor", 3, &st), 7);
	ck_assert_int_eq(exec_map_rc("lsb", "status", 1, &st), 7);
	ck_assert_int_eq(exec_map_rc("lsb", "status", 4, &st), 1);
	ck_assert_int_eq(st, EXEC_DONE);
	ck_assert_int_eq(exec_map_rc("lsb", "status", 150, &st), 1);
	ck_assert_int_eq(st, EXEC_ERROR);
	/* LSB other actions: 0-7 as OCF. */
	ck_assert_int_eq(exec_map_rc("lsb", "start", 5, &st), 5);
	ck_assert_int_eq(exec_map_rc("lsb", "stop", 7, &st), 7);
	ck_assert_int_eq(exec_map_rc("lsb", "start", 8, &st), 1);
	ck_assert_int_eq(st, EXEC_ERROR);
	ck_assert_str_eq(ocf_rc_name(7), "not running");
	ck_assert_str_eq(ocf_rc_symbol(8), "OCF_RUNNING_PROMOTED");
	ck_assert(ocf_rc_symbol(42) == NULL);
	ck_assert_str_eq(exec_status_name(EXEC_TIMEOUT), "timeout");
	ck_assert_str_eq(exec_status_name(EXEC_NOT_INSTALLED), "not installed");
	/* Pacemaker's op-status numbers. */
	ck_assert_int_eq(EXEC_TIMEOUT, 2);
	ck_assert_int_eq(EXEC_NOT_INSTALLED, 7);
}
END_TEST

/* ---- meta-data ---- */

static const char md_good[] =
	"<?xml version=\"1.0\"?>\n"
	"<resource-agent name=\"X\" version=\"0.9\">\n"
	"<version>1.1</version>\n"
	"<longdesc lang=\"en\"> long </longdesc>\n"
	"<shortdesc lang=\"en\">short</shortdesc>\n"
	"<parameters>\n"
	"<parameter name=\"ip\" unique=\"1\" required=\"1\">\n"
	"<shortdesc>addr</shortdesc><content type=\"string\"/>\n"
	"</parameter>\n"
	"<parameter name=\"mask\">\n"
	"<content type=\"integer\" default=\"24\"/>\n"
	"</parameter>\n"
	"</parameters>\n"
	"<actions>\n"
	"<action name=\"start\" timeout=\"20s\"/>\n"
	"<action name=\"monitor\" timeout=\"2min\" interval=\"500ms\" "
	"depth=\"0\"/>\n"
	"<action name=\"promote\" timeout=\"90\" role=\"Promoted\"/>\n"
	"</actions>\n"
	"</resource-agent>\n";

START_TEST(test_metadata_parse)
{
	struct ocf_metadata *md = NULL;
	const struct ocf_param *p;
	const struct ocf_action *a;

	ck_assert_int_eq(
		ocf_metadata_parse(md_good, strlen(md_good), &md, NULL), 0);
	ck_assert_str_eq(md->name, "X");
	ck_assert_str_eq(md->shortdesc, "short");
	ck_assert_str_eq(md->longdesc, "long");
	ck_assert_uint_eq(md->params->len, 2);
	p = ocf_metadata_param(md, "ip");
	ck_assert(p->required && p->unique);
	ck_assert(p->dflt == NULL);
	p = ocf_metadata_param(md, "mask");
	ck_assert(!p->required);
	ck_assert_str_eq(p->type, "integer");
	ck_assert_str_eq(p->dflt, "24");
	ck_assert_str_eq(((struct ocf_param *)md->params->pdata[0])->name,
			 "ip");
	a = ocf_metadata_action(md, "start");
	ck_assert_uint_eq(a->timeout_ms, 20000);
	a = ocf_metadata_action(md, "monitor");
	ck_assert_uint_eq(a->timeout_ms, 120000);
	ck_assert_uint_eq(a->interval_ms, 500);
	ck_assert_str_eq(a->depth, "0");
	a = ocf_metadata_action(md, "promote");
	ck_assert_uint_eq(a->timeout_ms, 90000);
	ck_assert_str_eq(a->role, "Promoted");
	ck_assert(ocf_metadata_action(md, "stop") == NULL);
	ocf_metadata_free(md);
}
END_TEST

START_TEST(test_metadata_errors)
{
	struct ocf_metadata *md = NULL;
	char *err = NULL;
	const char *bad_xml = "<resource-agent name=\"x\">\n<actions>\n";
	const char *bad_root = "<?xml version=\"1.0\"?>\n\n<agent/>";
	const char *bad_time = "<resource-agent name=\"x\"><actions>\n"
			       "<action name=\"start\" timeout=\"soon\"/>"
			       "</actions></resource-agent>";

	ck_assert_int_eq(
		ocf_metadata_parse(bad_xml, strlen(bad_xml), &md, &err),
		-FO_ESYNTAX);
	ck_assert_msg(strstr(err, "not well-formed") != NULL, "%s", err);
	g_free(err);
	ck_assert_int_eq(
		ocf_metadata_parse(bad_root, strlen(bad_root), &md, &err),
		-FO_ESYNTAX);
	ck_assert_str_eq(err, "line 3: root element is <agent>, not "
			      "<resource-agent>");
	g_free(err);
	ck_assert_int_eq(
		ocf_metadata_parse(bad_time, strlen(bad_time), &md, &err),
		-FO_EINVAL);
	ck_assert_str_eq(err, "line 2: <action> timeout=\"soon\" is not a "
			      "duration");
	g_free(err);
	ck_assert(md == NULL);
}
END_TEST

START_TEST(test_durations)
{
	guint ms = 0;

	ck_assert_int_eq(ocf_duration_ms("20", &ms), 0);
	ck_assert_uint_eq(ms, 20000);
	ck_assert_int_eq(ocf_duration_ms("20s", &ms), 0);
	ck_assert_uint_eq(ms, 20000);
	ck_assert_int_eq(ocf_duration_ms("500ms", &ms), 0);
	ck_assert_uint_eq(ms, 500);
	ck_assert_int_eq(ocf_duration_ms("2m", &ms), 0);
	ck_assert_uint_eq(ms, 120000);
	ck_assert_int_eq(ocf_duration_ms("1h", &ms), 0);
	ck_assert_uint_eq(ms, 3600000);
	ck_assert_int_eq(ocf_duration_ms("x", &ms), -FO_EINVAL);
	ck_assert_int_eq(ocf_duration_ms("5 parsecs", &ms), -FO_EINVAL);
	ck_assert_int_eq(ocf_duration_ms("99999999999h", &ms), -FO_EINVAL);
}
END_TEST

START_TEST(test_metadata_cache)
{
	const struct ocf_metadata *a = NULL, *b = NULL;
	char *err = NULL;

	ck_assert_int_eq(exec_metadata_get(ex, "ocf", "fo", "Dummy", &a, NULL),
			 0);
	ck_assert_str_eq(a->name, "Dummy");
	ck_assert(ocf_metadata_param(a, "log") != NULL);
	ck_assert_int_eq(exec_metadata_get(ex, "ocf", "fo", "Dummy", &b, NULL),
			 0);
	ck_assert_ptr_eq(a, b);
	ck_assert_int_eq(exec_metadata_get(ex, "ocf", "fo", "Nope", &a, &err),
			 -FO_ENOTFOUND);
	ck_assert_msg(strstr(err, "Nope") != NULL, "%s", err);
	g_free(err);
}
END_TEST

/* ---- running agents ---- */

START_TEST(test_run_environment)
{
	g_autoptr(GHashTable) p = params_new("secret", "a b;$(x)");
	struct exec_result *r;
	g_autofree char *pgid = NULL;

	setenv("FO_LEAK_CHECK", "1", 1);
	r = run("fotest", "envdump", "start", 5000, p);
	ck_assert_int_eq(r->status, EXEC_DONE);
	ck_assert_int_eq(r->rc, 0);
	ck_assert(strstr(r->out, "OCF_RESKEY_secret=a b;$(x)\n") != NULL);
	ck_assert(strstr(r->out, "FO_LEAK_CHECK") == NULL);
	ck_assert(strstr(r->out, "\nPATH=" EXEC_AGENT_PATH "\n") != NULL);
	ck_assert(strstr(r->out, "STDIN=/dev/null\n") != NULL);
	ck_assert(strstr(r->out, "OCF_RESKEY_CRM_meta_name=start\n"));
	/* Its own session and process group. */
	pgid = g_strdup_printf("PGID=%d SID=%d PID=%d\n", (int)r->pid,
			       (int)r->pid, (int)r->pid);
	ck_assert_msg(strstr(r->out, pgid) != NULL, "%s", r->out);
	if (exec_cgroup_base(ex) != NULL)
		ck_assert_msg(strstr(r->out, "/rsc-envdump\n") != NULL, "%s",
			      r->out);
	{
		g_autofree char *d = tmp_path("rsctmp");

		ck_assert(g_file_test(d, G_FILE_TEST_IS_DIR));
	}
	exec_result_free(r);
}
END_TEST

START_TEST(test_bad_agents)
{
	struct exec_result *r;

	r = run("fotest", "missing", "start", 5000, NULL);
	ck_assert_int_eq(r->status, EXEC_NOT_INSTALLED);
	ck_assert_int_eq(r->rc, OCF_ERR_INSTALLED);
	ck_assert_msg(strstr(r->exit_reason, "missing") != NULL, "%s",
		      r->exit_reason);
	exec_result_free(r);
	r = run("fotest", "noexec", "start", 5000, NULL);
	ck_assert_int_eq(r->status, EXEC_NOT_INSTALLED);
	ck_assert(strstr(r->exit_reason, "not an executable") != NULL);
	exec_result_free(r);
	r = run("fotest", "exit99", "start", 5000, NULL);
	ck_assert_int_eq(r->status, EXEC_ERROR);
	ck_assert_int_eq(r->rc, OCF_ERR_GENERIC);
	ck_assert_int_eq(r->exit_code, 99);
	ck_assert(strstr(r->exit_reason, "99") != NULL);
	exec_result_free(r);
	r = run("fotest", "bigout", "start", 20000, NULL);
	ck_assert_int_eq(r->status, EXEC_DONE);
	ck_assert_uint_eq(strlen(r->out), 4096);
	ck_assert_uint_eq(r->out_dropped, 5000000 - 4096);
	ck_assert_str_eq(r->exit_reason, "last reason");
	exec_result_free(r);
	/* The executor still serves others afterwards. */
	r = run("fo", "Dummy", "monitor", 5000, NULL);
	ck_assert_int_eq(r->status, EXEC_DONE);
	ck_assert_int_eq(r->rc, OCF_NOT_RUNNING);
	exec_result_free(r);
}
END_TEST

START_TEST(test_timeout_kills_group)
{
	g_autofree char *pf = tmp_path("hang.pid");
	g_autoptr(GHashTable) p = params_new("pidfile", pf);
	struct exec_result *r;
	gint64 t0 = g_get_monotonic_time();

	r = run("fotest", "hang", "monitor", 300, p);
	ck_assert_int_eq(r->status, EXEC_TIMEOUT);
	ck_assert_int_eq(r->rc, OCF_ERR_GENERIC);
	ck_assert(r->exec_ms >= 300 && r->exec_ms < 2000);
	ck_assert(g_get_monotonic_time() - t0 < 2 * G_USEC_PER_SEC);
	ck_assert_msg(pid_dead(pid_from(pf)), "child of the agent survived");
	exec_result_free(r);
}
END_TEST

START_TEST(test_timeout_ignores_term)
{
	g_autofree char *pf = tmp_path("ign.pid");
	g_autoptr(GHashTable) p = params_new("pidfile", pf);
	struct exec_result *r;

	r = run("fotest", "ignoreterm", "start", 300, p);
	ck_assert_int_eq(r->status, EXEC_TIMEOUT);
	/* SIGTERM at 300 ms is ignored, SIGKILL follows the 300 ms grace. */
	ck_assert_msg(r->exec_ms >= 590 && r->exec_ms < 3000, "%u", r->exec_ms);
	ck_assert_int_eq(r->signo, SIGKILL);
	ck_assert(pid_dead(pid_from(pf)));
	exec_result_free(r);
}
END_TEST

START_TEST(test_timeout_exit_code_ignored)
{
	struct exec_result *r = run("fotest", "termzero", "stop", 300, NULL);

	ck_assert_int_eq(r->status, EXEC_TIMEOUT);
	ck_assert_int_eq(r->exit_code, 0); /* it did exit 0 on TERM */
	ck_assert_int_eq(r->rc, OCF_ERR_GENERIC);
	exec_result_free(r);
}
END_TEST

START_TEST(test_completion_is_waitpid)
{
	g_autofree char *pf = tmp_path("keep.pid");
	g_autoptr(GHashTable) p = params_new("pidfile", pf);
	struct exec_result *r;
	pid_t child;

	r = run("fotest", "keeppipe", "start", 5000, p);
	ck_assert_int_eq(r->status, EXEC_DONE);
	ck_assert_uint_lt(r->exec_ms, 2000);
	child = pid_from(pf);
	/* Never signal the group after a normal exit. */
	g_usleep(200000);
	ck_assert_int_eq(kill(child, 0), 0);
	if (exec_cgroup_base(ex) != NULL) { /* lost quorum: kill it all */
		ck_assert_int_eq(exec_resource_populated(ex, "keeppipe"), 1);
		ck_assert_int_eq(exec_kill_resource(ex, "keeppipe"), 0);
	} else {
		ck_assert_int_eq(exec_resource_populated(ex, "keeppipe"),
				 -ENOTSUP);
		ck_assert_int_eq(kill(child, SIGKILL), 0);
	}
	ck_assert(pid_dead(child));
	if (exec_cgroup_base(ex) != NULL)
		ck_assert_int_eq(exec_resource_populated(ex, "keeppipe"), 0);
	ck_assert_int_eq(exec_resource_populated(ex, "no-such"),
			 exec_cgroup_base(ex) ? 0 : -ENOTSUP);
	/* The orphan came to us (subreaper) and was reaped. */
	{
		struct exec_stats st;

		for (int i = 0; i < 100 && kill(child, 0) == 0; i++) {
			(void)exec_reap_children(ex);
			g_usleep(10000);
		}
		exec_stats_get(ex, &st);
		ck_assert_uint_ge(st.orphans, 1);
		ck_assert_int_eq(kill(child, 0), -1);
	}
	exec_result_free(r);
}
END_TEST

START_TEST(test_stop_timeout_kills_cgroup)
{
	g_autofree char *pf = tmp_path("escape.pid");
	g_autoptr(GHashTable) p = params_new("pidfile", pf);
	struct exec_result *r;
	pid_t daemon_pid;

	if (exec_cgroup_base(ex) == NULL) {
		ck_assert_msg(getenv("CI") == NULL ||
				      strcmp(getenv("CI"), "true") != 0,
			      "no cgroup v2 under CI=true");
		fprintf(stderr, "check_exec: skipping the cgroup kill test: "
				"no writable cgroup v2 (needs root)\n");
		return;
	}
	r = run("fotest", "escape", "start", 5000, p);
	ck_assert_int_eq(r->rc, 0);
	exec_result_free(r);
	daemon_pid = pid_from(pf);
	g_usleep(100000);
	ck_assert_int_eq(getpgid(daemon_pid), daemon_pid); /* escaped */
	r = run("fotest", "escape", "stop", 300, p);
	ck_assert_int_eq(r->status, EXEC_TIMEOUT);
	ck_assert(r->rsc_killed);
	ck_assert_msg(pid_dead(daemon_pid), "setsid daemon survived");
	exec_result_free(r);
}
END_TEST

START_TEST(test_stop_timeout_without_cgroup)
{
	g_autofree char *pf = tmp_path("escape.pid");
	g_autoptr(GHashTable) p = params_new("pidfile", pf);
	struct exec_result *r;
	pid_t daemon_pid;

	exec_free(ex);
	ex = exec_make(false, 300, 0);
	ck_assert(exec_cgroup_base(ex) == NULL);
	r = run("fotest", "escape", "start", 5000, p);
	exec_result_free(r);
	daemon_pid = pid_from(pf);
	r = run("fotest", "escape", "stop", 300, p);
	ck_assert_int_eq(r->status, EXEC_TIMEOUT);
	ck_assert(!r->rsc_killed); /* the group kill cannot reach it */
	ck_assert_int_eq(kill(daemon_pid, 0), 0);
	ck_assert_int_eq(exec_kill_resource(ex, "escape"), -ENOTSUP);
	ck_assert_int_eq(kill(daemon_pid, SIGKILL), 0);
	ck_assert(pid_dead(daemon_pid));
	exec_result_free(r);
}
END_TEST

static int
lsb_run(const char *action, char **last)
{
	struct exec_op_req req = {
		.rsc = "lsb1",
		.standard = "lsb",
		.type = "fotest-lsb",
		.action = action,
		.timeout_ms = 5000,
	};
	struct exec_result *res = NULL;
	g_autofree char *f = tmp_path("rsctmp/fotest-lsb.last");
	int rc;

	ck_assert_int_eq(exec_run_sync(ex, &req, &res), 0);
	ck_assert_int_eq(res->status, EXEC_DONE);
	rc = res->rc;
	exec_result_free(res);
	ck_assert(g_file_get_contents(f, last, NULL, NULL));
	return rc;
}

START_TEST(test_lsb)
{
	g_autofree char *l1 = NULL, *l2 = NULL, *l3 = NULL, *l4 = NULL;

	ck_assert_int_eq(lsb_run("monitor", &l1), OCF_NOT_RUNNING);
	ck_assert_str_eq(l1, "status\n"); /* monitor runs "status" */
	ck_assert_int_eq(lsb_run("start", &l2), OCF_SUCCESS);
	ck_assert_int_eq(lsb_run("monitor", &l3), OCF_SUCCESS);
	ck_assert_int_eq(lsb_run("stop", &l4), OCF_SUCCESS);
	ck_assert_str_eq(l4, "stop\n");
}
END_TEST

/* The GLib child-watch path (kernels without pidfd_open). */
START_TEST(test_child_watch_fallback)
{
	struct exec_config cfg = {0};
	g_autofree char *root = g_build_filename(tmp, "ocf", NULL);
	g_autofree char *rsctmp = g_build_filename(tmp, "rsctmp", NULL);
	g_autofree char *pf = tmp_path("cw.pid");
	g_autoptr(GHashTable) p = params_new("pidfile", pf);
	struct exec_result *r;
	int err = 0;

	exec_free(ex);
	cfg.ocf_root = root;
	cfg.rsctmp = rsctmp;
	cfg.cgroup_base = "";
	cfg.kill_grace_ms = 300;
	cfg.child_watch = true;
	ex = exec_new(NULL, &cfg, &err);
	ck_assert(ex != NULL);
	r = run("fo", "Dummy", "monitor", 5000, NULL);
	ck_assert_int_eq(r->status, EXEC_DONE);
	ck_assert_int_eq(r->rc, OCF_NOT_RUNNING);
	exec_result_free(r);
	r = run("fotest", "exit99", "start", 5000, NULL);
	ck_assert_int_eq(r->exit_code, 99);
	exec_result_free(r);
	r = run("fotest", "hang", "monitor", 300, p);
	ck_assert_int_eq(r->status, EXEC_TIMEOUT);
	ck_assert_int_eq(exec_reap_children(ex), 0);
	/* Reaped by GLib now, so look at the child by /proc only. */
	for (int i = 0; i < 200; i++) {
		g_autofree char *st =
			g_strdup_printf("/proc/%d/stat", (int)pid_from(pf));
		g_autofree char *s = NULL;
		const char *z;

		if (!g_file_get_contents(st, &s, NULL, NULL))
			break;
		z = strrchr(s, ')');
		if (z != NULL && z[2] == 'Z')
			break;
		ck_assert_int_lt(i, 199);
		g_usleep(10000);
	}
	exec_result_free(r);
}
END_TEST

/* ---- queues ---- */

struct collect {
	GPtrArray *res;
};

static void
collect_cb(const struct exec_result *res, void *data)
{
	struct collect *c = data;

	g_ptr_array_add(c->res, exec_result_copy(res));
}

static void
wait_for(struct collect *c, guint n, guint max_ms)
{
	gint64 end = g_get_monotonic_time() + (gint64)max_ms * 1000;

	while (c->res->len < n && g_get_monotonic_time() < end)
		if (!g_main_context_iteration(NULL, FALSE))
			g_usleep(1000);
}

static int64_t
submit_slow(const char *rsc, const char *secs, struct collect *c)
{
	g_autofree char *log = tmp_path("slow.log");
	g_autoptr(GHashTable) p = params_new("log", log);
	struct exec_op_req req = {
		.rsc = rsc,
		.standard = "ocf",
		.provider = "fotest",
		.type = "slow",
		.action = "start",
		.timeout_ms = 10000,
		.params = p,
	};

	g_hash_table_insert(p, g_strdup("secs"), g_strdup(secs));
	return exec_submit(ex, &req, collect_cb, c);
}

START_TEST(test_queue_per_resource)
{
	struct collect c = {g_ptr_array_new_with_free_func(
		(GDestroyNotify)exec_result_free)};
	struct exec_result *a, *b, *d, *r2;
	int64_t idc;

	submit_slow("r1", "0.3", &c);
	submit_slow("r1", "0.3", &c);
	submit_slow("r2", "0.3", &c);
	idc = submit_slow("r1", "0", &c);
	ck_assert_int_eq(exec_cancel(ex, idc), 0);
	ck_assert_int_eq(exec_cancel(ex, idc), -ENOENT);
	wait_for(&c, 4, 5000);
	ck_assert_uint_eq(c.res->len, 4);
	/* Cancelled first (never ran); r1 and r2 ran together (either may
	 * end first); the second r1 op waited for the first. */
	d = c.res->pdata[0];
	ck_assert_int_eq(d->status, EXEC_CANCELLED);
	ck_assert_int_eq(d->pid, 0);
	a = b = r2 = NULL;
	for (guint i = 1; i < 4; i++) {
		struct exec_result *x = c.res->pdata[i];

		if (strcmp(x->rsc, "r2") == 0)
			r2 = x;
		else if (a == NULL)
			a = x;
		else
			b = x;
	}
	ck_assert(a != NULL && b != NULL && r2 != NULL);
	ck_assert_msg(b->queue_ms + 20 >= a->exec_ms,
		      "second r1 op waited "
		      "%u ms, first ran %u ms",
		      b->queue_ms, a->exec_ms);
	ck_assert_uint_lt(r2->queue_ms, 250); /* < one 300 ms run */
	ck_assert(c.res->pdata[3] == b);
	g_ptr_array_free(c.res, TRUE);
}
END_TEST

START_TEST(test_parallel_limit)
{
	struct collect c = {g_ptr_array_new_with_free_func(
		(GDestroyNotify)exec_result_free)};
	struct exec_result *b;
	int64_t ida;

	exec_free(ex);
	ex = exec_make(true, 300, 1);
	ida = submit_slow("p1", "0.3", &c);
	submit_slow("p2", "0.3", &c);
	while (exec_running(ex) == 0)
		g_main_context_iteration(NULL, TRUE);
	ck_assert_int_eq(exec_cancel(ex, ida), -EBUSY);
	ck_assert_uint_eq(exec_running(ex), 1);
	ck_assert_uint_eq(exec_queued(ex), 1);
	wait_for(&c, 2, 5000);
	ck_assert_uint_eq(c.res->len, 2);
	b = c.res->pdata[1];
	ck_assert_str_eq(b->rsc, "p2");
	ck_assert_uint_ge(b->queue_ms, 250);
	g_ptr_array_free(c.res, TRUE);
}
END_TEST

struct span {
	char rsc[16];
	gint64 t;
	bool begin;
};

static int
span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

/* 60 operations on 6 resources, limit 3: each is reported once, a
 * resource never runs two at once, never more than 3 run in all. The
 * agents' own begin/end log is the evidence, not the executor's view. */
START_TEST(test_queue_stress)
{
	struct collect c = {g_ptr_array_new_with_free_func(
		(GDestroyNotify)exec_result_free)};
	g_autofree char *log = tmp_path("slow.log");
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	GHashTable *ids = g_hash_table_new_full(g_int64_hash, g_int64_equal,
						g_free, NULL);
	int64_t idv[60];
	struct span *sp;
	guint n = 0, cancelled = 0, active = 0, peak = 0;

	exec_free(ex);
	ex = exec_make(true, 300, 3);
	for (int i = 0; i < 60; i++) {
		g_autofree char *rsc = g_strdup_printf("s%d", i % 6);

		idv[i] = submit_slow(rsc, "0.02", &c);
		ck_assert_int_gt(idv[i], 0);
	}
	for (int i = 30; i < 60; i += 7)
		if (exec_cancel(ex, idv[i]) == 0)
			cancelled++;
	wait_for(&c, 60, 30000);
	ck_assert_uint_eq(c.res->len, 60);
	for (guint i = 0; i < 60; i++) {
		struct exec_result *r = c.res->pdata[i];
		gint64 id = (gint64)r->call_id;

		ck_assert_msg(g_hash_table_add(ids, g_memdup2(&id, sizeof(id))),
			      "call %" G_GINT64_FORMAT " reported twice", id);
		ck_assert(r->status == EXEC_DONE ||
			  r->status == EXEC_CANCELLED);
	}
	ck_assert(g_file_get_contents(log, &text, NULL, NULL));
	lines = g_strsplit(text, "\n", -1);
	sp = g_new0(struct span, g_strv_length(lines));
	for (char **l = lines; *l && **l; l++) {
		char what[8];

		ck_assert_int_eq(sscanf(*l, "%7s %15s %" G_GINT64_FORMAT, what,
					sp[n].rsc, &sp[n].t),
				 3);
		sp[n].begin = strcmp(what, "begin") == 0;
		n++;
	}
	ck_assert_uint_eq(n, 2 * (60 - cancelled));
	qsort(sp, n, sizeof(*sp), span_cmp);
	for (guint i = 0; i < n; i++) {
		active += sp[i].begin ? 1 : 0;
		active -= sp[i].begin ? 0 : 1;
		peak = MAX(peak, active);
		/* Same resource: the next event after a begin is its end. */
		for (guint j = i + 1; sp[i].begin && j < n; j++) {
			if (strcmp(sp[j].rsc, sp[i].rsc) == 0) {
				ck_assert_msg(!sp[j].begin, "%s overlapped",
					      sp[i].rsc);
				break;
			}
		}
	}
	ck_assert_uint_le(peak, 3);
	ck_assert_uint_ge(peak, 2); /* and they did run in parallel */
	g_free(sp);
	g_hash_table_destroy(ids);
	g_ptr_array_free(c.res, TRUE);
}
END_TEST

/* ---- recurring monitors ---- */

START_TEST(test_monitor_reports_changes)
{
	struct collect c = {g_ptr_array_new_with_free_func(
		(GDestroyNotify)exec_result_free)};
	g_autofree char *state = tmp_path("mon.state");
	g_autoptr(GHashTable) p = params_new("state", state);
	struct exec_op_req req = {
		.rsc = "m1",
		.standard = "ocf",
		.provider = "fo",
		.type = "Dummy",
		.action = "monitor",
		.interval_ms = 50,
		.timeout_ms = 5000,
		.params = p,
	};
	struct exec_result *r;
	int64_t id = exec_monitor_start(ex, &req, collect_cb, &c);
	gint64 end;

	ck_assert_int_gt(id, 0);
	wait_for(&c, 1, 5000);
	/* Several more runs happen, none reported: nothing changed. */
	end = g_get_monotonic_time() + 400000;
	while (g_get_monotonic_time() < end)
		if (!g_main_context_iteration(NULL, FALSE))
			g_usleep(1000);
	ck_assert_uint_eq(c.res->len, 1);
	r = c.res->pdata[0];
	ck_assert_int_eq(r->rc, OCF_NOT_RUNNING);
	ck_assert_uint_eq(r->call_id, (uint64_t)id);
	ck_assert_uint_eq(r->interval_ms, 50);
	/* The resource "starts" behind its back: reported at once. */
	ck_assert(g_file_set_contents(state, "", 0, NULL));
	wait_for(&c, 2, 2000);
	ck_assert_uint_eq(c.res->len, 2);
	ck_assert_int_eq(((struct exec_result *)c.res->pdata[1])->rc, 0);
	ck_assert_int_eq(exec_monitor_stop(ex, "m1"), 1);
	wait_for(&c, 3, 2000);
	ck_assert_uint_eq(c.res->len, 3);
	ck_assert_int_eq(((struct exec_result *)c.res->pdata[2])->status,
			 EXEC_CANCELLED);
	ck_assert_int_eq(exec_cancel(ex, id), -ENOENT);
	/* Nothing more after the cancellation. */
	end = g_get_monotonic_time() + 200000;
	while (g_get_monotonic_time() < end)
		if (!g_main_context_iteration(NULL, FALSE))
			g_usleep(1000);
	ck_assert_uint_eq(c.res->len, 3);
	g_ptr_array_free(c.res, TRUE);
}
END_TEST

static Suite *
exec_suite(void)
{
	Suite *s = suite_create("exec");
	TCase *pure = tcase_create("pure");
	TCase *proc = tcase_create("processes");

	tcase_add_checked_fixture(pure, setup, teardown);
	tcase_add_test(pure, test_env_exact);
	tcase_add_test(pure, test_env_not_probe_and_bad_names);
	tcase_add_test(pure, test_rc_mapping);
	tcase_add_test(pure, test_metadata_parse);
	tcase_add_test(pure, test_metadata_errors);
	tcase_add_test(pure, test_durations);
	suite_add_tcase(s, pure);
	tcase_add_checked_fixture(proc, setup, teardown);
	tcase_set_timeout(proc, 60);
	tcase_add_test(proc, test_metadata_cache);
	tcase_add_test(proc, test_run_environment);
	tcase_add_test(proc, test_bad_agents);
	tcase_add_test(proc, test_lsb);
	tcase_add_test(proc, test_child_watch_fallback);
	tcase_add_test(proc, test_timeout_kills_group);
	tcase_add_test(proc, test_timeout_ignores_term);
	tcase_add_test(proc, test_timeout_exit_code_ignored);
	tcase_add_test(proc, test_completion_is_waitpid);
	tcase_add_test(proc, test_stop_timeout_kills_cgroup);
	tcase_add_test(proc, test_stop_timeout_without_cgroup);
	tcase_add_test(proc, test_queue_per_resource);
	tcase_add_test(proc, test_parallel_limit);
	tcase_add_test(proc, test_queue_stress);
	tcase_add_test(proc, test_monitor_reports_changes);
	suite_add_tcase(s, proc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(exec_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
